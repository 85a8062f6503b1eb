"""The processes of a sweep: a SIGTERM that stops a sweep tidily, worker processes that end with
their parent (``PR_SET_PDEATHSIG`` on Linux, a watchdog thread everywhere) together with the solver
programs they started, and a pool stopped at once (see :mod:`goalprog.analysis.sweep`)."""

from __future__ import annotations

import os
import time

class _Terminated(KeyboardInterrupt):
    """Raised in the main thread by the SIGTERM handler of :func:`sigterm_stops_sweep`."""

    def __init__(self, signum: int):
        super().__init__("terminated")
        self.signum = signum


class sigterm_stops_sweep:
    """While a sweep runs in the main thread, SIGTERM takes the path of Ctrl-C (stop the workers,
    keep the finished rows) instead of ending the process on the spot; a second SIGTERM does.
    Leaves a SIGTERM handler of the caller's alone."""

    def __enter__(self):
        import signal
        import threading

        self.old = None
        if threading.current_thread() is threading.main_thread() and \
                signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
            self.old = signal.signal(signal.SIGTERM, self._handler)
        return self

    @staticmethod
    def _handler(signum, frame):
        import signal

        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise _Terminated(signum)

    def __exit__(self, *exc):
        import signal

        if self.old is not None:
            signal.signal(signal.SIGTERM, self.old)
        return False


_PDEATHSIG = True
"""Linux: ask the kernel to send SIGTERM to a worker when its parent dies (``prctl``)."""
_WATCH_SECONDS = 0.5  # how often a worker's watchdog looks for its parent


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


def _exit_worker() -> None:
    """End this worker and any program it started (a solver run as a separate program)."""
    import signal

    for pid in _descendants(os.getpid()):
        _signal(pid, signal.SIGTERM)
    os._exit(128 + int(signal.SIGTERM))


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
