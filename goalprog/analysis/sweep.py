"""What-if sweeps: solve one problem file for every combination of some varied values.

>>> from goalprog.analysis.sweep import sweep
>>> runs = sweep("problems/clothing_factory_weighted.yaml",
...              {"goals.waste.weight": "0.5:3:0.25"}, backend="highs")        # doctest: +SKIP
>>> runs[["vary:goals.waste.weight", "status", "goal:profit.value", "goal:waste.value"]]  # doctest: +SKIP

Each key of ``vary`` is a parameter name or a key path, as for ``goalprog solve --set`` (see
:mod:`goalprog.spec.overrides`); its values are a list, or text: a range ``a:b:step`` (``b`` included
when it is on the grid; computed in exact decimal arithmetic, so ``0.1:0.3:0.1`` is 0.1, 0.2, 0.3)
or values separated by commas (``weighted,preemptive``), each read as YAML.  Every combination
is one run: the file is loaded with the overrides, solved, and summarised as one row of the
returned :class:`pandas.DataFrame`:

``run``, ``vary:<key>`` (one column per varied key), ``status``, ``message``, ``method``,
``objective`` (one-stage methods), ``level:<p>.achievement`` (preemptive, one per priority
level), ``goal:<label>.value``, ``goal:<label>.under``, ``goal:<label>.over`` (each goal
instance), ``variable:<label>`` (each decision-variable instance, unless ``variables=False``),
``solve_time`` (seconds in the solver, all stages) and ``run_time`` (seconds to build and solve
the run).  The names are unique whatever the names in the file: the bookkeeping columns have no
``:``, and labels are written by :func:`column_label` (quoted where a name or member could be
read as another).  :func:`resolve_column` finds a column by a short form (``profit``).

Runs go in parallel on a local process pool (``workers``; ``1`` runs them in this process) or on
a Dask cluster (``scheduler``: an address ``tcp://host:port``, a ``distributed.Client`` or a
cluster object).  A run that fails (infeasible, an error in the overridden file, an exception,
even a worker process that dies) is a row with its status and message; the sweep goes on.  With
``output`` the rows are appended to a CSV file as they finish (header once), so an interrupted
sweep keeps what finished; at the end the file is rewritten in run order.  Worker processes end
with the sweep: on Ctrl-C, SIGTERM or an error the pool is stopped; when this process is killed
outright they end by themselves (``PR_SET_PDEATHSIG`` on Linux, a watchdog thread everywhere).
"""

from __future__ import annotations

import csv
import itertools
import math
import os
import re
import time
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..core.errors import ArgumentError, BackendError, GoalProgError, Issue, clip, did_you_mean

__all__ = ["sweep", "parse_vary_item", "parse_vary_values", "parse_range", "tradeoff_chart", "default_workers",
           "SweepInterrupted", "MAX_RUNS", "write_csv", "resolve_column"]

MAX_RUNS = 1_000_000
"""The most runs one sweep may have (a range with a tiny step is usually a typo)."""

SOLVED = ("optimal", "feasible")
_CHUNK_SECONDS = 0.05  # work per task sent to a worker, once the run time is known
_MAX_CHUNK = 64
_NUMBER = r"[-+]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?"
_RANGE_RE = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*:\s*({_NUMBER})\s*$")
_RANGE_2_RE = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*$")
VARY_HINT = "write KEY=START:STOP:STEP (e.g. goals.waste.weight=0.5:3:0.25) or KEY=V1,V2,V3"


class SweepInterrupted(KeyboardInterrupt):
    """The sweep was interrupted (Ctrl-C, or SIGTERM while :func:`sweep` ran in the main thread);
    ``rows`` holds the runs that finished (also in ``output``); ``signum`` is the signal
    (``signal.SIGINT`` or ``signal.SIGTERM``)."""

    def __init__(self, rows: list, output: Path | None, signum: int = 2):
        super().__init__("sweep interrupted" if signum == 2 else "sweep terminated")
        self.rows = rows
        self.output = output
        self.signum = signum


class _Terminated(KeyboardInterrupt):
    """Raised in the main thread by the SIGTERM handler of :func:`_sigterm_stops_sweep`."""

    def __init__(self, signum: int):
        super().__init__("terminated")
        self.signum = signum


class _sigterm_stops_sweep:
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


# ------------------------------------------------------------------------------------------------
# varied values
# ------------------------------------------------------------------------------------------------

def parse_range(text: str) -> list | None:
    """``"0.5:3:0.25"`` -> ``[0.5, 0.75, ..., 3.0]``; ``None`` when ``text`` is not a range.

    Exact decimal arithmetic: the stop is included when it is on the grid, whatever binary
    floating point would say.  Whole-number ranges (``1:10:1``) give ints.  Raises
    :class:`~goalprog.core.errors.ArgumentError` for a zero step, a step that goes away from the stop,
    or more than :data:`MAX_RUNS` values.
    """
    from ..core.errors import clip

    m = _RANGE_RE.match(text)
    if not m:
        if _RANGE_2_RE.match(text):
            raise ArgumentError(f"{clip(text)!r}: a range needs a step, START:STOP:STEP", hint=VARY_HINT)
        return None
    shown = clip(text)
    try:
        start, stop, step = (Decimal(g.replace("_", "")) for g in m.groups())
    except InvalidOperation:  # pragma: no cover - the regex admits only numbers
        return None
    if not all(d.is_finite() for d in (start, stop, step)):
        raise ArgumentError(f"{shown!r}: the ends and the step of a range are finite numbers", hint=VARY_HINT)
    if step == 0:
        raise ArgumentError(f"{shown!r}: the step is 0", hint="e.g. 0.5:3:0.25")
    if (step > 0 and stop < start) or (step < 0 and stop > start):  # compared, not multiplied: no overflow
        raise ArgumentError(f"{shown!r}: the step {clip(step)} goes away from the stop {clip(stop)}",
                            hint=f"use a {'negative' if stop < start else 'positive'} step")
    big = Decimal("1e300")
    if any(d > big or d < -big for d in (start, stop)):  # compared: abs() would round in the context
        raise ArgumentError(f"{shown!r}: the ends of a range are numbers up to 1e300 in size", hint="check the ends")
    try:  # exponents far beyond a float's overflow Decimal's context: the range has too many values anyway
        steps = (stop - start) / step
    except ArithmeticError:
        steps = None
    if steps is None or steps >= MAX_RUNS:
        many = "far more than 10^999999" if steps is None else \
            f"{int(steps) + 1:,}" if steps < 10 ** 30 else f"about {steps + 1:.3E}"
        raise ArgumentError(f"{shown!r} has {many} values; a sweep is limited to {MAX_RUNS:,} runs",
                            hint="check the step")
    count = int(steps) + 1  # int() truncates towards 0: the last point on the grid
    whole = all(d == d.to_integral_value() for d in (start, step))
    values = [start + k * step for k in range(count)]
    return [int(v) if whole else float(v) for v in values]


def parse_vary_values(text: str, *, what: str = "the values") -> list:
    """``"0.5:3:0.25"`` (a range, see :func:`parse_range`) or ``"v1,v2,v3"`` (each read as YAML:
    ``weighted,preemptive``, ``1e5,2e5``, ``[1, 2],[3, 4]``) -> a list of values."""
    if not isinstance(text, str) or not text.strip():
        raise ArgumentError(f"{what} are empty", hint=VARY_HINT)
    rng = parse_range(text)
    if rng is not None:
        return rng
    from ..spec.overrides import parse_value

    pieces = _split_commas(text)
    if any(not p.strip() for p in pieces):
        from ..core.errors import clip

        raise ArgumentError(f"{what} {clip(text)!r} have an empty item between commas", hint=VARY_HINT)
    issues: list[Issue] = []
    values = []
    for piece in pieces:
        try:
            values.append(parse_value(piece, what=f"{what}: the value"))
        except ArgumentError as exc:
            issues.extend(exc.issues)
    if issues:
        raise ArgumentError(issues)
    return values


def _split_commas(text: str) -> list[str]:
    """Split at the commas that are not inside [ ], { } or quotes: ``1,[2, 3],'a,b'`` -> 3 pieces."""
    pieces, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


def parse_vary_item(item: str) -> tuple[str, list]:
    """``"goals.waste.weight=0.5:3:0.25"`` -> ``("goals.waste.weight", [0.5, 0.75, ...])``."""
    from ..spec.overrides import split_key

    if not isinstance(item, str) or "=" not in item:
        raise ArgumentError(f"--vary {clip(item)!r}: expected KEY=VALUES", hint=VARY_HINT)
    key, text = item.split("=", 1)
    key = key.strip()
    try:
        split_key(key)
    except ValueError as exc:
        raise ArgumentError(f"--vary {clip(item)!r}: {exc}", hint=VARY_HINT) from None
    return key, parse_vary_values(text, what=f"--vary {clip(item)!r}: the values")


def _vary_lists(vary: dict) -> dict[str, list]:
    if not isinstance(vary, dict) or not vary:
        raise ArgumentError("nothing to vary: give at least one key and its values",
                            hint="e.g. vary={'goals.waste.weight': [0.5, 1, 2]} or --vary goals.waste.weight=0.5:3:0.25")
    out: dict[str, list] = {}
    issues: list[Issue] = []
    for key, values in vary.items():
        try:
            if isinstance(values, str):
                values = parse_vary_values(values, what=f"the values of {key!r}")
            elif isinstance(values, (list, tuple, range)):
                values = list(values)
            elif hasattr(values, "tolist"):
                values = list(values.tolist())
            else:
                raise ArgumentError(f"the values of {key!r} must be a list (or text such as '0.5:3:0.25'), "
                                    f"got {type(values).__name__}")
            if not values:
                raise ArgumentError(f"{key!r} has no values", hint=VARY_HINT)
        except ArgumentError as exc:
            issues.extend(exc.issues)
            continue
        out[str(key)] = values
    if issues:
        raise ArgumentError(issues)
    total = math.prod(len(v) for v in out.values())
    if total > MAX_RUNS:
        raise ArgumentError(f"the sweep has {total:,} combinations; it is limited to {MAX_RUNS:,} runs",
                            hint="vary fewer keys or use coarser steps")
    return out


def default_workers() -> int:
    """``min(4, CPUs available to this process)``."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, min(4, n))


# ------------------------------------------------------------------------------------------------
# one run (in a worker)
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Context:
    """What every run needs; sent to each worker once."""

    doc: Any
    base_dir: str
    keys: tuple
    solve_kwargs: dict = field(default_factory=dict)
    variables: bool = True
    data_root: str | None = None


_WORKER: dict = {}


_PDEATHSIG = True
"""Linux: ask the kernel to send SIGTERM to a worker when its parent dies (``prctl``)."""
_WATCH_SECONDS = 0.5  # how often a worker's watchdog looks for its parent


def _init_worker(ctx: _Context, parent: int | None = None) -> None:
    """Process-pool worker start: Ctrl-C is the parent's business (it stops the pool); SIGTERM
    ends the worker at once (not the parent's handler, inherited by fork); and the worker ends
    with its parent, ``parent`` (a process id), even when that is killed outright."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER["ctx"] = ctx
    if parent is not None:
        _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
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


def _run_chunk(tasks: list, ctx: _Context | None = None) -> list[dict]:
    ctx = ctx if ctx is not None else _WORKER["ctx"]
    return [_run_one(ctx, run, values) for run, values in tasks]


def _one_line(text: str) -> str:
    return " | ".join(line.strip() for line in str(text).splitlines() if line.strip())


def _error_message(exc: GoalProgError) -> str:
    """Every issue of an error on one line each, joined: ``file: key.path: message (hint: ...)``."""
    out = []
    for issue in exc.issues:
        loc = issue.location
        head = loc.prefix()
        text = f"{loc.key_path}: {issue.message}" if loc.key_path else issue.message
        line = f"{head}: {text}" if head else text
        if issue.hint:
            line += f" (hint: {issue.hint})"
        out.append(_one_line(line))
    return " | ".join(out)


def _start_row(ctx: _Context, run: int, values) -> dict:
    row = {"run": run}
    row.update(zip(_vary_columns(ctx.keys), values))
    row["status"] = ""
    row["message"] = ""
    return row


def _error_row(ctx: _Context, run: int, values, message: str) -> dict:
    row = _start_row(ctx, run, values)
    row["status"] = "error"
    row["message"] = message
    return row


def _run_one(ctx: _Context, run: int, values) -> dict:
    from ..spec.overrides import apply_overrides
    from ..problem import build

    t0 = time.perf_counter()
    row = _start_row(ctx, run, values)
    try:
        doc = apply_overrides(ctx.doc, {}, dict(zip(ctx.keys, values)), origin="--vary", data_root=ctx.data_root)
        result = build(doc, ctx.base_dir, ctx.data_root).solve(**ctx.solve_kwargs)
        row.update(_result_columns(result, ctx.variables))
    except GoalProgError as exc:
        row["status"] = "error"
        row["message"] = _error_message(exc)
    except Exception as exc:  # noqa: BLE001 - a failed run is a row, never the end of the sweep
        row["status"] = "error"
        row["message"] = _one_line(f"{type(exc).__name__}: {exc}")
    row["run_time"] = time.perf_counter() - t0
    return row


def _result_columns(result, variables: bool) -> dict:
    d = result.to_dict()
    notes = [d.get("message") or ""] + list(d.get("warnings") or [])
    out: dict = {"status": d["status"], "message": _one_line("; ".join(n for n in notes if n)),
                 "method": d["method"], "objective": d["objective"]}
    for lv in d["levels"]:
        level = lv["level"] if lv["level"] is not None else "all"
        out[f"{LEVEL}{level}.achievement"] = lv["achievement"]
    for g in d["goals"]:
        label = column_label(g["goal"], g["index"])
        for k in ("value", "under", "over"):
            out[f"{GOAL}{label}.{k}"] = g[k]
    if variables:
        for v in d["variables"]:
            out[VARIABLE + column_label(v["variable"], v["index"])] = v["value"]
    out["solve_time"] = sum(s["time"] or 0.0 for s in d["stages"])
    return out


# ------------------------------------------------------------------------------------------------
# column names
# ------------------------------------------------------------------------------------------------

VARY, GOAL, VARIABLE, LEVEL = "vary:", "goal:", "variable:", "level:"
"""Prefixes of a sweep's namespaced columns; the bookkeeping columns (``run``, ``status``,
``message``, ``method``, ``objective``, ``solve_time``, ``run_time``) have no ``:``."""

_BARE_NAME = re.compile(r'^[^\s\[\],"](?:[^\[\],"]*[^\s\[\],"])?$')


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _reads_as_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _member_text(m) -> str:
    """A member in a label: a number as it reads, a text bare or quoted (never read as a number)."""
    import numbers

    if isinstance(m, numbers.Integral) and not isinstance(m, bool):
        return str(int(m))
    if isinstance(m, numbers.Real) and not isinstance(m, bool):
        return repr(float(m))  # has a '.', an 'e', 'inf' or 'nan': never the text of an int
    text = str(m)
    if _BARE_NAME.match(text) and not _reads_as_number(text):
        return text
    return _quoted(text)


def column_label(name: str, index=()) -> str:
    """The label of a goal or variable instance in a sweep's column names: ``make[pants,3]``.

    As :attr:`goalprog.model.ir.Origin.label`, except that a name or a text member that could be
    mistaken for another is written as a JSON string: one with ``[``, ``]``, ``,`` or ``"``, with
    spaces at either end, empty, or (a member) one that reads as a number, so the member ``"1"`` is
    ``make["1"]`` beside the member 1 (``make[1]``) and the member ``"a,b"`` is ``g["a,b"]``, not
    ``g[a,b]`` (the members ``a`` and ``b``).  Distinct (name, index) pairs of text and number
    members give distinct labels.
    """
    name = str(name)
    head = name if _BARE_NAME.match(name) else _quoted(name)
    if not index:
        return head
    return f"{head}[{','.join(_member_text(m) for m in index)}]"


def _vary_columns(keys) -> list[str]:
    return [VARY + str(k) for k in keys]


# ------------------------------------------------------------------------------------------------
# scheduling
# ------------------------------------------------------------------------------------------------

class _ChunkSizer:
    """Runs per task: one at first, then about :data:`_CHUNK_SECONDS` of work (so that messages
    between processes cost little against the work), smaller towards the end so that the workers
    finish together."""

    def __init__(self, slots: int):
        self.slots = max(1, slots)
        self.n = 0
        self.total = 0.0

    def observe(self, rows: list[dict]) -> None:
        for r in rows:
            t = r.get("run_time")
            if isinstance(t, float):
                self.n += 1
                self.total += t

    def take(self, pending: deque) -> list:
        if self.n == 0:
            size = 1
        else:
            mean = max(self.total / self.n, 1e-5)
            size = max(1, min(_MAX_CHUNK, int(_CHUNK_SECONDS / mean)))
        size = min(size, max(1, len(pending) // (4 * self.slots)))  # small tasks at the end keep workers even
        return [pending.popleft() for _ in range(min(size, len(pending)))]


def _run_serial(ctx: _Context, tasks: list, emit) -> None:
    for run, values in tasks:
        emit([_run_one(ctx, run, values)])


def _run_pool(ctx: _Context, tasks: list, workers: int, emit) -> None:
    import concurrent.futures as cf
    from concurrent.futures.process import BrokenProcessPool

    pending = deque(tasks)
    suspects: list = []  # runs in flight when a worker process died: retried one by one
    sizer = _ChunkSizer(workers)

    def new_pool(n):
        return cf.ProcessPoolExecutor(max_workers=n, initializer=_init_worker, initargs=(ctx, os.getpid()))

    pool = new_pool(workers)
    try:
        inflight: dict = {}
        while pending or inflight:
            while pending and len(inflight) < 2 * workers:
                chunk = sizer.take(pending)
                inflight[pool.submit(_run_chunk, chunk)] = chunk
            done, _ = cf.wait(inflight, return_when=cf.FIRST_COMPLETED)
            broken = False
            for fut in done:
                chunk = inflight.pop(fut)
                try:
                    rows = fut.result()
                except BrokenProcessPool:
                    broken = True
                    suspects.extend(chunk)
                    continue
                except Exception as exc:  # noqa: BLE001 - e.g. a value that cannot be pickled
                    rows = [_error_row(ctx, run, values, _one_line(f"{type(exc).__name__}: {exc}"))
                            for run, values in chunk]
                sizer.observe(rows)
                emit(rows)
            if broken:
                for fut, chunk in inflight.items():  # every task in flight is lost with the pool
                    suspects.extend(chunk)
                inflight.clear()
                _stop_pool(pool)
                pool = new_pool(workers)
        # the runs that were in flight when a worker died: alone, so a run that kills its worker is found
        for run, values in sorted(suspects, key=lambda t: t[0]):
            fut = pool.submit(_run_chunk, [(run, values)])
            procs = list((getattr(pool, "_processes", None) or {}).values())
            try:
                emit(fut.result())
            except BrokenProcessPool:
                emit([_error_row(ctx, run, values, f"the worker process died{_death(procs)} while solving this "
                                                   "run (crashed, killed, or out of memory)")])
                _stop_pool(pool)
                pool = new_pool(1)
    except BaseException:
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def _death(procs) -> str:
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
    code = next((c for c in codes if c != -signal.SIGTERM), codes[0])  # others are ended with SIGTERM
    if code is None:
        return ""
    if code < 0:
        try:
            return f" (signal {-code}, {signal.Signals(-code).name})"
        except ValueError:
            return f" (signal {-code})"
    return f" (exit code {code})"


def _stop_pool(pool, wait: float = 3.0) -> None:
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


def _dask_client(scheduler):
    try:
        from distributed import Client
    except ImportError:
        raise BackendError("--scheduler needs dask.distributed, which is not installed",
                           hint="pip install 'dask[distributed]', or run on local processes with --workers N") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    address = getattr(scheduler, "scheduler_address", scheduler)
    if not isinstance(address, str) or not address.strip():
        raise ArgumentError(f"scheduler must be an address such as tcp://127.0.0.1:8786, a distributed.Client "
                            f"or a cluster, got {scheduler!r}")
    try:
        client = Client(address, timeout=15, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise BackendError(f"cannot connect to the Dask scheduler at {address}: {exc}",
                           hint="start one with 'dask scheduler' (and workers with 'dask worker ADDRESS'), "
                                "check the address, or leave out --scheduler to use local processes") from None
    except ValueError as exc:
        raise ArgumentError(f"--scheduler {address!r}: {exc}", hint="e.g. --scheduler tcp://127.0.0.1:8786") from None
    return client, True


def _run_dask(ctx: _Context, tasks: list, scheduler, emit) -> None:
    from distributed import as_completed

    client, own = _dask_client(scheduler)
    futures: dict = {}
    try:
        slots = max(1, sum(client.nthreads().values()))
        shared = client.scatter(ctx, broadcast=True, hash=False)
        pending = deque(tasks)
        sizer = _ChunkSizer(slots)
        ac = as_completed(loop=client.loop)
        while pending or futures:
            while pending and len(futures) < 2 * slots:
                chunk = sizer.take(pending)
                fut = client.submit(_run_chunk, chunk, shared, pure=False)
                futures[fut.key] = (fut, chunk)
                ac.add(fut)
            fut = next(ac)
            fut, chunk = futures.pop(fut.key)
            try:
                rows = fut.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker, a lost connection, ...
                rows = [_error_row(ctx, run, values, _one_line(f"{type(exc).__name__}: {exc}"))
                        for run, values in chunk]
            sizer.observe(rows)
            emit(rows)
    finally:
        if futures:
            try:
                client.cancel([f for f, _ in futures.values()])
            except Exception:  # noqa: BLE001
                pass
        if own:
            client.close()


# ------------------------------------------------------------------------------------------------
# output
# ------------------------------------------------------------------------------------------------

_HEAD_AFTER_KEYS = ("status", "message", "method", "objective")
_TAIL = ("solve_time", "run_time")


def _columns(rows: list[dict], keys: tuple) -> list[str]:
    head = ["run", *_vary_columns(keys), *_HEAD_AFTER_KEYS]
    seen: dict = {}
    for r in rows:
        for k in r:
            if k not in seen:
                seen[k] = None
    middle = [k for k in seen if k not in head and k not in _TAIL]
    return head + middle + list(_TAIL)


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float) and math.isnan(v):
        return ""
    if isinstance(v, (list, dict)):
        import json

        return json.dumps(v)
    return v


class _CsvSink:
    """Rows appended to a CSV file as they finish (header once, flushed each time).

    The file is a new one moved into place at the start (an existing file is replaced whole, never
    truncated or written through a link; a terminal or pipe is written through), and replaced by
    the rows in run order at the end by :meth:`finish` (atomically).  Text cells that a spreadsheet
    would run as a formula are neutralised (:func:`goalprog.core.outfiles.spreadsheet_safe`)."""

    BUFFER = 64

    def __init__(self, path: Path, keys: tuple):
        from ..core.outfiles import is_special, temp_beside

        self.path = Path(path)
        self.keys = keys
        self.special = is_special(self.path)
        if self.special:
            self.fh = open(self.path, "w", newline="", encoding="utf-8")
        else:
            tmp = temp_beside(self.path, ".part")
            self.fh = open(tmp, "w", newline="", encoding="utf-8")
            try:
                os.replace(tmp, self.path)
            except BaseException:
                self.fh.close()
                os.unlink(tmp)
                raise
        self.writer = None
        self.buffer: list = []
        self.written = 0

    def write(self, rows: list[dict]) -> None:
        if self.writer is None:
            self.buffer.extend(rows)
            # the header comes from a solved run (it has every goal column) or, failing that, later
            if any(r["status"] in SOLVED for r in self.buffer) or len(self.buffer) >= self.BUFFER:
                self._start()
            return
        self._rows(rows)

    def _start(self) -> None:
        from ..core.outfiles import spreadsheet_safe

        columns = _columns(self.buffer, self.keys)
        csv.writer(self.fh).writerow([spreadsheet_safe(c) for c in columns])
        self.writer = csv.DictWriter(self.fh, fieldnames=columns, extrasaction="ignore")
        rows, self.buffer = self.buffer, []
        self._rows(rows)

    def _rows(self, rows: list[dict]) -> None:
        from ..core.outfiles import spreadsheet_safe

        for r in rows:
            self.writer.writerow({k: spreadsheet_safe(_cell(v)) for k, v in r.items()})
        self.written += len(rows)
        self.fh.flush()

    def close(self) -> None:
        from ..core.outfiles import spreadsheet_safe

        if self.writer is None and self.buffer:
            self._start()
        elif self.writer is None:
            csv.writer(self.fh).writerow([spreadsheet_safe(c) for c in _columns([], self.keys)])
        if not self.fh.closed:
            self.fh.flush()
            if not self.special:
                os.fsync(self.fh.fileno())
        self.fh.close()

    def finish(self, frame) -> None:
        """Replace the file by all rows in run order (with any column a late run added)."""
        from ..core.outfiles import temp_beside

        self.close()
        if self.special:
            return
        tmp = temp_beside(self.path)
        try:
            with open(tmp, "w", newline="", encoding="utf-8") as fh:
                write_csv(frame, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        finally:
            if tmp.exists():
                tmp.unlink()


def write_csv(frame, target) -> None:
    """Write a sweep's rows as CSV to ``target`` (a path or an open text file): empty cells for
    missing values, lists and mappings as JSON, text cells a spreadsheet would run as a formula
    with a leading ``'`` (:func:`goalprog.core.outfiles.spreadsheet_safe`; numbers stay numbers).  A
    path is written atomically (a new file moved into place)."""
    from ..core.outfiles import spreadsheet_safe, write_text

    if isinstance(target, (str, Path)):
        import io

        buf = io.StringIO(newline="")
        write_csv(frame, buf)
        write_text(target, buf.getvalue())
        return
    writer = csv.writer(target)
    writer.writerow([spreadsheet_safe(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([spreadsheet_safe(_cell(None if _isna(v) else v)) for v in row])


def _isna(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


class _Progress:
    """A rich progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, enabled: bool, label: str):
        self.bar = None
        self.failed = 0
        if not enabled:
            return
        from rich.console import Console

        console = Console(stderr=True)
        if not console.is_terminal:
            return
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("[red]{task.fields[failed]}[/red]"), TimeElapsedColumn(),
                            TextColumn("eta"), TimeRemainingColumn(), console=console, transient=False)
        self.task = self.bar.add_task(label, total=total, failed="")

    def __enter__(self):
        if self.bar is not None:
            self.bar.start()
        return self

    def advance(self, rows: list[dict]) -> None:
        if self.bar is None:
            return
        self.failed += sum(1 for r in rows if r["status"] not in SOLVED)
        self.bar.update(self.task, advance=len(rows), failed=f"{self.failed} failed" if self.failed else "")

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


# ------------------------------------------------------------------------------------------------
# the sweep
# ------------------------------------------------------------------------------------------------

def _check_solve_arguments(method, backend) -> None:
    if method is not None:
        from ..solve.strategies import get_strategy

        try:
            get_strategy(method)
        except GoalProgError as exc:
            raise ArgumentError(list(exc.issues)) from None
    if backend is not None:
        from ..solve.backends.base import get_backend

        get_backend(backend)


def _short_name(name: str, limit: int = 24) -> str:
    """A file name for the progress bar: cut, control characters made visible, markup taken literally."""
    from rich.markup import escape

    from ..core.formatting import terminal_text

    name = name if len(name) <= limit else name[:limit - 3] + "..."
    return escape(terminal_text(name))


def _warm_up(problem, method, backend) -> None:
    """Import the strategy and backend here, before worker processes are forked from this one."""
    from ..solve.backends.base import get_backend
    from ..solve.strategies import get_strategy

    try:
        get_strategy(method or problem.method)
        get_backend(backend or problem.spec.solve.backend or "pulp")
    except GoalProgError:
        pass  # reported by each run


def sweep(path, vary: dict[str, list], *, workers: int | None = None, scheduler=None, method: str | None = None,
          backend: str | None = None, output=None, progress: bool = True, overrides: dict | None = None,
          solver: str | None = None, time_limit: float | None = None, variables: bool = True,
          solver_path=None, data_root=None):
    """Solve the problem file ``path`` once for every combination of the ``vary`` values.

    ``vary`` maps a parameter name or key path (as in :func:`goalprog.load`'s ``overrides``) to a
    list of values, or to text: ``"0.5:3:0.25"`` (a range, stop included when on the grid) or
    ``"v1,v2"``.  Combinations run in the order of :func:`itertools.product` (the last key varies
    fastest); ``run`` numbers them from 0.  ``overrides`` are applied to every run.

    ``workers``: local worker processes (default :func:`default_workers`; ``1`` runs in this
    process).  ``scheduler``: run on a Dask cluster instead: an address (``tcp://host:port``), a
    ``distributed.Client`` or a cluster object with ``scheduler_address``; every worker needs
    goalprog and the problem's data files at the same paths.  ``method``, ``backend``,
    ``solver``, ``time_limit`` and ``solver_path`` (trusted: an executable run as the solver) are
    passed to :meth:`goalprog.Problem.solve`.  ``output``: a CSV
    file that receives each row as its run finishes (replaced if it exists), rewritten in run order
    at the end.  ``progress``: a progress bar on stderr when it is a terminal.  ``variables``:
    include a ``variable:<label>`` column per decision variable.  ``data_root``: a folder data files
    may also be read from, as for :func:`goalprog.load` (every worker gets it).

    Returns a :class:`pandas.DataFrame`, one row per run in run order (columns: see
    :mod:`goalprog.analysis.sweep`).  A run that fails is a row whose ``status`` says so (``infeasible``,
    ``unbounded``, ``error``, ...) with a ``message``.  Raises, before any run, a
    :class:`~goalprog.core.errors.ProblemFileError` for errors in the file,
    :class:`~goalprog.core.errors.ArgumentError` for an unknown key, bad values to vary or a ``data_root``
    that is not a folder, and
    :class:`~goalprog.core.errors.BackendError` for an unusable backend or scheduler; raises
    :class:`SweepInterrupted` (a ``KeyboardInterrupt``) on Ctrl-C, with the finished rows, and on
    SIGTERM too when called in the main thread with no SIGTERM handler set (one is set for the
    duration of the runs; the worker processes are ended before it is raised).
    """
    import pandas as pd

    from ..spec.overrides import apply_overrides, check_keys
    from ..problem import build
    from ..spec.loader import load_yaml_file

    from ..spec.files import check_data_root

    root = check_data_root(data_root)
    lists = _vary_lists(vary)
    keys = tuple(lists)
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ArgumentError(f"workers must be a whole number >= 1, got {workers!r}")
    _check_solve_arguments(method, backend)
    if output is not None and Path(path).exists() and Path(output).resolve() == Path(path).resolve():
        raise ArgumentError(f"output {output} is the problem file itself; refusing to overwrite it")
    doc = load_yaml_file(path)
    if overrides:
        doc = apply_overrides(doc, {}, overrides, data_root=root)
    check_keys(doc, keys)
    base_dir = str(Path(path).resolve().parent)
    base = build(doc, base_dir, root)  # errors in the file itself are reported now, not once per run
    _warm_up(base, method, backend)
    if solver is not None or solver_path is not None:
        from ..problem import check_solver_arguments

        solver_path = check_solver_arguments(solver, solver_path, backend or base.spec.solve.backend or "highs")
    solve_kwargs = {k: v for k, v in (("method", method), ("backend", backend), ("solver", solver),
                                      ("time_limit", time_limit), ("solver_path", solver_path)) if v is not None}
    ctx = _Context(doc, base_dir, keys, solve_kwargs, bool(variables), None if root is None else str(root))
    tasks = list(enumerate(itertools.product(*lists.values())))
    rows: list[dict] = []
    sink = _CsvSink(Path(output), keys) if output is not None else None

    n_workers = workers or default_workers()
    progress_bar = _Progress(len(tasks), progress, f"sweep {_short_name(Path(path).name)}")

    def emit(new_rows: list[dict]) -> None:
        rows.extend(new_rows)
        if sink is not None:
            sink.write(new_rows)
        progress_bar.advance(new_rows)

    try:
        with _sigterm_stops_sweep(), progress_bar:
            if scheduler is not None:
                _run_dask(ctx, tasks, scheduler, emit)
            elif n_workers == 1 or len(tasks) == 1:
                _run_serial(ctx, tasks, emit)
            else:
                _run_pool(ctx, tasks, min(n_workers, len(tasks)), emit)
    except KeyboardInterrupt as exc:
        if sink is not None:
            sink.close()
        raise SweepInterrupted(sorted(rows, key=lambda r: r["run"]), sink.path if sink else None,
                               getattr(exc, "signum", 2)) from None
    except BaseException:
        if sink is not None:
            sink.close()
        raise
    rows.sort(key=lambda r: r["run"])
    frame = pd.DataFrame(rows, columns=_columns(rows, keys))
    if sink is not None:
        sink.finish(frame)
    return frame


# ------------------------------------------------------------------------------------------------
# the trade-off chart
# ------------------------------------------------------------------------------------------------

def resolve_column(name: str, columns) -> str:
    """A column of a sweep named in full or by a short form -> the column.

    A full column name (``goal:profit.value``, ``variable:make[pants]``, ``vary:budget``,
    ``run``, ``objective``, ...) is taken as it is.  Otherwise ``name`` is a short form, looked up
    as a goal label (``profit`` -> ``goal:profit.value``; ``profit.over`` -> ``goal:profit.over``),
    a variable label (``make[pants]``, or ``var.make[pants]`` as before namespacing), a varied key
    (``budget``) or a level (``1.achievement``, ``level_1.achievement``).  Raises
    :class:`~goalprog.core.errors.ArgumentError` when no column matches (with a did-you-mean hint) or
    when several do (listing them: write one in full).
    """
    columns = list(columns)
    name = str(name)
    if name in columns:
        return name
    found = [c for c in dict.fromkeys(_short_form_candidates(name)) if c in columns]
    if len(found) == 1:
        return found[0]
    shown = _cut(name)
    if found:
        raise ArgumentError(f"{shown!r} names {len(found)} columns of the sweep: {', '.join(found)}",
                            hint="write the whole column name")
    goals = [_short(c) for c in columns if c.startswith(GOAL) and c.endswith(".value")]
    shorts = [_short(c) for c in columns if not c.startswith(GOAL)]  # goals: by label only
    hint = did_you_mean(name, list(dict.fromkeys(goals + shorts)))
    raise ArgumentError(f"no goal or column called {shown!r} in the sweep",
                        hint=hint or f"goals: {', '.join(goals[:20])}")


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _short_form_candidates(name: str) -> list[str]:
    out = [f"{GOAL}{name}.value", GOAL + name, VARIABLE + name, VARY + name, LEVEL + name,
           f"{LEVEL}{name}.achievement"]
    if name.startswith("var."):
        out.append(VARIABLE + name[len("var."):])
    m = re.fullmatch(r"level_(.+?)(\.achievement)?", name)
    if m:
        out.append(f"{LEVEL}{m.group(1)}.achievement")
    return out


def _short(column: str) -> str:
    """``goal:profit.value`` -> ``profit``; ``vary:budget`` -> ``budget``; ``variable:x`` -> ``x``."""
    if column.startswith(GOAL) and column.endswith(".value"):
        return column[len(GOAL):-len(".value")]
    for prefix in (GOAL, VARIABLE, VARY):
        if column.startswith(prefix):
            return column[len(prefix):]
    return column


def _varied_columns(frame) -> list[str]:
    """The varied columns of a sweep's frame: ``vary:KEY``."""
    return [c for c in frame.columns if isinstance(c, str) and c.startswith(VARY)]


def tradeoff_chart(frame, x: str, y: str, path, *, color_by: str | None = None, title: str | None = None) -> Path:
    """Draw the values of goals ``x`` and ``y`` (goal labels, other short forms or column names,
    see :func:`resolve_column`) across the runs of a sweep as a PNG (or any format matplotlib knows
    by the suffix of ``path``).

    Points are coloured by ``color_by`` (default: the first varied column) and joined in its
    order (one line for each combination of the other varied values).  With one varied column and
    at most 12 distinct plans, each point is labelled with the range of that value that gives it.
    Runs without a solution are left out (and counted in the title).  Needs matplotlib (imported
    here only).
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise BackendError("the trade-off chart needs matplotlib, which is not installed",
                           hint="pip install matplotlib") from None
    import pandas as pd

    xc, yc = resolve_column(x, frame.columns), resolve_column(y, frame.columns)
    ok = frame[frame["status"].isin(SOLVED)] if "status" in frame else frame
    ok = ok[pd.to_numeric(ok[xc], errors="coerce").notna() & pd.to_numeric(ok[yc], errors="coerce").notna()]
    varied = _varied_columns(frame)
    if color_by is None:
        color_by = varied[0] if varied else None
    else:
        color_by = resolve_column(color_by, frame.columns)
    cvals = pd.to_numeric(ok[color_by], errors="coerce") if color_by in ok else None
    numeric_color = cvals is not None and len(ok) > 0 and bool(cvals.notna().all())

    fig = Figure(figsize=(7.5, 5.2), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs = ok[xc].astype(float)
    ys = ok[yc].astype(float)
    if numeric_color:
        others = [c for c in varied if c != color_by]
        groups = ok.groupby([ok[c].astype(str) for c in others], sort=False).groups.values() if others else [ok.index]
        for idx in groups:
            order = cvals.loc[idx].sort_values(kind="stable").index
            ax.plot(xs.loc[order], ys.loc[order], color="0.75", lw=1, zorder=1)
        sc = ax.scatter(xs, ys, c=cvals, cmap="viridis", s=40, edgecolors="black", linewidths=0.4, zorder=3)
        fig.colorbar(sc, ax=ax, label=_short(color_by))
    else:
        ax.scatter(xs, ys, s=40, color="tab:blue", edgecolors="black", linewidths=0.4, zorder=3)
    if len(ok):
        ax.margins(0.12)
        plans: dict = {}
        for i in ok.index:
            plans.setdefault((float(f"{xs[i]:.6g}"), float(f"{ys[i]:.6g}")), []).append(i)
        if len(plans) <= 12 and len(varied) <= 1:
            x_mid = (xs.min() + xs.max()) / 2
            y_mid = (ys.min() + ys.max()) / 2
            for (px, py), idx in plans.items():
                text = f"{len(idx)} run{'s' if len(idx) != 1 else ''}"
                if numeric_color:
                    lo, hi = cvals.loc[idx].min(), cvals.loc[idx].max()
                    shown = _short(color_by)
                    text = (f"{shown} = {lo:g}" if lo == hi else f"{shown} {lo:g} to {hi:g}") + f"\n({text})"
                right, top = px > x_mid, py > y_mid  # labels point into the plot, away from the edges
                ax.annotate(text, (px, py), textcoords="offset points", xytext=(-10 if right else 10, -10 if top else 10),
                            ha="right" if right else "left", va="top" if top else "bottom", fontsize=8,
                            bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="0.7", alpha=0.9), zorder=4)
    failed = len(frame) - len(ok)
    x, y = _short(xc), _short(yc)
    ax.set_xlabel(f"{x} (value)" if xc.startswith(GOAL) and xc.endswith(".value") else x)
    ax.set_ylabel(f"{y} (value)" if yc.startswith(GOAL) and yc.endswith(".value") else y)
    ax.set_title(title or f"Trade-off: {x} against {y} over {len(frame)} run{'s' if len(frame) != 1 else ''}"
                 + (f" ({failed} without a solution)" if failed else ""), fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.xaxis.set_major_formatter(_thousands())
    ax.yaxis.set_major_formatter(_thousands())
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    return out


def _thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{v:,.6g}" if abs(v) < 1e15 else f"{v:.3g}")
