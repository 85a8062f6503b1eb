"""The processes of a sweep: a SIGTERM or SIGHUP that stops a sweep tidily, worker processes that
end with their parent (``PR_SET_PDEATHSIG`` on Linux, a watchdog thread everywhere) and end the
solver programs they started when they go, and a pool stopped at once (see
:mod:`goalprog.analysis.sweep`)."""

from __future__ import annotations

import os
import time

STOP_SIGNALS = ("SIGTERM", "SIGHUP")
"""The signals that stop a sweep tidily (in the sweep's process) and end a worker together with the
solver programs it started (in a worker); SIGHUP where the system has it."""


def _stop_signals() -> list:
    import signal

    return [getattr(signal, name) for name in STOP_SIGNALS if hasattr(signal, name)]


class _Terminated(KeyboardInterrupt):
    """Raised in the main thread by the handler of :func:`sigterm_stops_sweep`."""

    def __init__(self, signum: int):
        super().__init__("terminated")
        self.signum = signum


class sigterm_stops_sweep:
    """While a sweep runs in the main thread, SIGTERM and SIGHUP take the path of Ctrl-C (stop the
    workers, keep the finished rows) instead of ending the process on the spot; a second signal of
    the same kind does.  Leaves a handler of the caller's alone (each signal on its own)."""

    def __enter__(self):
        import signal
        import threading

        self.old: dict = {}
        if threading.current_thread() is threading.main_thread():
            for sig in _stop_signals():
                if signal.getsignal(sig) in (signal.SIG_DFL, None):
                    self.old[sig] = signal.signal(sig, self._handler)
        return self

    @staticmethod
    def _handler(signum, frame):
        import signal

        signal.signal(signum, signal.SIG_DFL)
        raise _Terminated(signum)

    def __exit__(self, *exc):
        import signal

        for sig, old in self.old.items():
            signal.signal(sig, old)
        return False


_PDEATHSIG = True
"""Linux: ask the kernel to send SIGTERM to a worker when its parent dies (``prctl``)."""
_WATCH_SECONDS = 0.5  # how often a worker's watchdog looks for its parent
_GRACE_SECONDS = 1.0  # how long a worker that ends gives its solver programs to end on SIGTERM


def worker_signals() -> None:
    """In a worker process, at its start (main thread): Ctrl-C is the parent's business (it stops the
    pool), and SIGTERM or SIGHUP (from the pool being stopped, from the kernel when the parent dies,
    or from anyone) ends the worker *and the solver programs it started*: with SIGTERM at its
    default the kernel ended the worker on the spot and a solver program such as cbc ran on, under
    init, until its MIP was solved.

    A Python handler runs only when the main thread is between bytecodes, not while it is inside
    a solver library; so the signal is also taken from a wake-up pipe (:func:`signal.set_wakeup_fd`)
    by a thread, which ends the worker at once."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stops = _stop_signals()
    for sig in stops:
        signal.signal(sig, _on_stop_signal)
    try:
        r, w = os.pipe()
        os.set_blocking(w, False)
        signal.set_wakeup_fd(w, warn_on_full_buffer=False)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not the main thread, or no pipes
        return
    threading.Thread(target=_watch_signals, args=(r, {int(s) for s in stops}), name="goalprog-sweep-signals",
                     daemon=True).start()


def _on_stop_signal(signum, frame) -> None:
    _exit_worker(signum)


def _watch_signals(fd: int, stops: set) -> None:
    while True:
        try:
            data = os.read(fd, 64)
        except InterruptedError:  # pragma: no cover - retried by Python itself
            continue
        except OSError:  # pragma: no cover
            return
        if not data:  # pragma: no cover - the pipe was closed
            return
        for signum in data:
            if signum in stops:
                _exit_worker(signum)


def die_with_parent(parent: int) -> None:
    """End this process when process ``parent`` (its parent, or the sweep's process that a
    fork server stands between) goes: on Linux the kernel sends SIGTERM when the parent dies
    (``PR_SET_PDEATHSIG``); everywhere, a watchdog thread checks twice a second."""
    import signal
    import sys
    import threading

    ppid = os.getppid()
    if _PDEATHSIG and sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError, ValueError):  # pragma: no cover - no libc prctl
            pass
    if _parent_gone(ppid, parent):  # it died before prctl: no signal will come
        _exit_worker()
    threading.Thread(target=_watch_parent, args=(ppid, parent), name="goalprog-sweep-parent-watch",
                     daemon=True).start()


def _parent_gone(ppid: int, parent: int) -> bool:
    if os.getppid() != ppid:
        return True
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        return True
    except OSError:  # e.g. no permission: it exists
        pass
    return False


def _watch_parent(ppid: int, parent: int) -> None:
    while not _parent_gone(ppid, parent):
        time.sleep(_WATCH_SECONDS)
    _exit_worker()


def _exit_worker(signum: int | None = None) -> None:
    """End this worker and any program it started (a solver run as a separate program): SIGTERM to
    each, SIGKILL to any still running after :data:`_GRACE_SECONDS`; exit status ``128 + signum``."""
    import signal

    signum = int(signal.SIGTERM if signum is None else signum)
    below = _descendants(os.getpid())
    for pid in below:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + _GRACE_SECONDS
    while any(_running(pid) for pid in below) and time.monotonic() < deadline:
        time.sleep(0.02)
    for pid in below:
        if _running(pid):
            _signal(pid, signal.SIGKILL)
    os._exit(128 + signum)


def _running(pid: int) -> bool:
    """Process ``pid`` exists and is not a zombie (Linux: from /proc; elsewhere: by ``kill 0``)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            stat = fh.read()
        return stat[stat.rindex(")") + 2] != "Z"
    except FileNotFoundError:
        return False
    except (OSError, ValueError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass
    return True


def _descendants(pid: int) -> list[int]:
    """The processes below ``pid``, children first (Linux: from /proc; elsewhere: none)."""
    out: list[int] = []
    todo = [pid]
    while todo and len(out) < 10_000:
        p = todo.pop()
        kids: list[int] = []
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    kids.extend(int(k) for k in fh.read().split())
        except (OSError, ValueError):
            continue
        out.extend(kids)
        todo.extend(kids)
    return out


def _signal(pid: int, sig) -> None:
    try:
        os.kill(pid, sig)
    except OSError:
        pass


def death(procs) -> str:
    """How a dead worker ended: ``" (signal 11, SIGSEGV)"``, ``" (exit code 3)"`` or ``""``."""
    import signal

    codes = []
    for proc in procs:
        try:
            proc.join(0.5)
            codes.append(proc.exitcode)
        except Exception:  # noqa: BLE001 - a process object of another pool implementation
            pass
    codes = [c for c in codes if c] or [None]
    # the pool ends the other workers with SIGTERM: they die of it (-15) or leave through the
    # workers' own SIGTERM handler (128 + 15); the one that died first is the one to name
    ended = (-signal.SIGTERM, 128 + signal.SIGTERM)
    code = next((c for c in codes if c not in ended), codes[0])
    if code is None:
        return ""
    if code < 0:
        try:
            return f" (signal {-code}, {signal.Signals(-code).name})"
        except ValueError:
            return f" (signal {-code})"
    return f" (exit code {code})"


def stop_pool(pool, wait: float = 3.0) -> None:
    """Stop a pool now: cancel what has not started and end the worker processes (and the solver
    programs they started), waiting up to ``wait`` seconds before killing what is left."""
    import signal

    procs = list((getattr(pool, "_processes", None) or {}).values())
    below = [d for proc in procs if proc.pid for d in _descendants(proc.pid)]
    try:
        pool.shutdown(wait=False, cancel_futures=True)
    except Exception:  # noqa: BLE001 - the pool may already be broken
        pass
    for pid in below:
        _signal(pid, signal.SIGTERM)
    for proc in procs:
        try:
            if proc.is_alive():
                proc.terminate()
        except Exception:  # noqa: BLE001
            pass
    deadline = time.monotonic() + wait
    for proc in procs:
        try:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(1.0)
        except Exception:  # noqa: BLE001
            pass
