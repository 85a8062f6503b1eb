"""Running a sweep's runs: one run in a worker (a row of the sweep), the size of the tasks, a local
process pool that survives the death of a worker, and a Dask cluster (see
:mod:`goalprog.analysis.sweep`)."""

from __future__ import annotations

import os
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import ArgumentError, BackendError, GoalProgError
from .columns import GOAL, LEVEL, VARIABLE, column_label, vary_columns
from .processes import death, die_with_parent, stop_pool, worker_signals

_CHUNK_SECONDS = 0.05  # work per task sent to a worker, once the run time is known
_MAX_CHUNK = 64


def default_workers() -> int:
    """``min(4, CPUs available to this process)``."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, min(4, n))


@dataclass(frozen=True)
class Context:
    """What every run needs; sent to each worker once."""

    doc: Any
    base_dir: str
    keys: tuple
    solve_kwargs: dict = field(default_factory=dict)
    variables: bool = True
    data_root: str | None = None
    fixed: tuple = ()
    """``(column, value)`` of every ``--set`` / ``overrides=`` item, the same in every run's row."""


_WORKER: dict = {}


def _init_worker(ctx: Context, parent: int | None = None) -> None:
    """Process-pool worker start: Ctrl-C is the parent's business (it stops the pool); SIGTERM or
    SIGHUP ends the worker at once with the solver programs it started (not the parent's handler,
    inherited by fork; see :func:`~goalprog.analysis.processes.worker_signals`); and the worker
    ends with its parent, ``parent`` (a process id), even when that is killed outright."""
    worker_signals()
    _WORKER["ctx"] = ctx
    if parent is not None:
        die_with_parent(parent)


def _run_chunk(tasks: list, ctx: Context | None = None) -> list[dict]:
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


def _start_row(ctx: Context, run: int, values) -> dict:
    row = {"run": run}
    row.update(zip(vary_columns(ctx.keys), values))
    row.update(ctx.fixed)
    row["status"] = ""
    row["message"] = ""
    return row


def _error_row(ctx: Context, run: int, values, message: str) -> dict:
    row = _start_row(ctx, run, values)
    row["status"] = "error"
    row["message"] = message
    return row


def _run_one(ctx: Context, run: int, values) -> dict:
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


def run_serial(ctx: Context, tasks: list, emit) -> None:
    for run, values in tasks:
        emit([_run_one(ctx, run, values)])


def run_pool(ctx: Context, tasks: list, workers: int, emit) -> None:
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
                stop_pool(pool)
                pool = new_pool(workers)
        # the runs that were in flight when a worker died: alone, so a run that kills its worker is found
        for run, values in sorted(suspects, key=lambda t: t[0]):
            fut = pool.submit(_run_chunk, [(run, values)])
            procs = list((getattr(pool, "_processes", None) or {}).values())
            try:
                emit(fut.result())
            except BrokenProcessPool:
                emit([_error_row(ctx, run, values, f"the worker process died{death(procs)} while solving this "
                                                   "run (crashed, killed, or out of memory)")])
                stop_pool(pool)
                pool = new_pool(1)
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)


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


def run_dask(ctx: Context, tasks: list, scheduler, emit) -> None:
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
