"""The backend contract: a session that holds one model and solves it stage after stage.

A :class:`Backend` builds a :class:`Session` for a :class:`~goalprog.model.ir.LinearModel`.  A strategy
then sets an objective, optionally adds rows (preemptive locks), and calls
:meth:`Session.solve`, which returns a :class:`StageRecord` with plain numpy values copied out of
the solver: no solver object ever leaves a backend.  Backends import their modelling library only
when a session is created, never at ``import goalprog``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...core.errors import BackendError
from ...model.ir import ExtraRow, LinearModel, Objective
from ...core.status import SolutionStatus, Termination


@dataclass(frozen=True)
class SolveOptions:
    """Options passed to every stage solve.

    ``solver``: solver name (``highs`` by default; ``cbc`` for PuLP; any installed Pyomo solver),
    never a path; ``time_limit`` in seconds per stage; ``mip_gap`` relative; ``threads``;
    ``verbose`` shows the solver log; ``solver_options`` are passed through verbatim (name ->
    value; a problem file's pass the allow-list of :mod:`goalprog.spec.solvers` first).
    ``solver_path``: an executable to run as ``solver`` (PuLP and Pyomo backends).  It is trusted:
    it comes only from the command line (``--solver-path``) or the API (``solver_path=``), never
    from a problem file.
    """

    solver: str | None = None
    time_limit: float | None = None
    mip_gap: float | None = None
    threads: int | None = None
    verbose: bool = False
    solver_options: dict = field(default_factory=dict)
    solver_path: str | None = None


@dataclass(frozen=True)
class StageRecord:
    """What one solve produced, copied out of the solver.

    ``x`` holds one value per model column (``None`` without a solution); ``objective`` is the
    stage objective value in the stage's sense; ``bound`` the best proven bound for a MIP (or
    ``None``); ``time`` wall seconds of the solve call.
    """

    termination: Termination
    solution: SolutionStatus
    objective: float | None
    x: np.ndarray | None
    bound: float | None = None
    time: float = 0.0
    solver: str = ""
    message: str = ""
    extra_duals: np.ndarray | None = None
    """Dual values of the rows added with :meth:`Session.add_row`, in order (LPs with a solution
    only; ``None`` otherwise).  The sign follows the solver's convention; use magnitudes."""


@dataclass(frozen=True)
class FaceRestriction:
    """What :meth:`Session.restrict_to_optimal_face` did after one level of an LP chain.

    Let level ``l`` be solved to optimality with value ``h*`` and an optimal dual (reduced costs
    ``d``, row duals ``y``), and be locked at ``h <= h* + budget``.  For every feasible ``x``::

        h(x) - h* = sum_j d_j (x_j - x*_j) + sum_i y_i (a_i x - a_i x*)

    and by complementary slackness every term is >= 0 (a nonzero ``d_j`` only where ``x*_j`` is
    at the bound the sign allows, a nonzero ``y_i`` only at an active row side).  So the lock
    implies ``|x_j - x*_j| <= budget / |d_j|`` and ``|a_i x - a_i x*| <= budget / |y_i|``: these
    bounds are valid inequalities, and adding any of them leaves every later level's optimum
    unchanged (the same level values as the lock row alone), while the solver works on a much
    smaller polytope.  The column bounds are added; the row bounds only when ``budget = 0`` (a
    level met exactly, or no lock tolerance), where they make the rows equalities and, with the
    columns fixed, restrict later levels to the level's optimal face, as Gurobi and CPLEX do for
    LP hierarchies.  (Narrow row ranges stall HiGHS's interior point method and gain nothing.)  Only duals above ``tolerance`` (ten times the solver's dual
    feasibility tolerance) and solutions at the bound (within the primal feasibility tolerance)
    count, so round-off never narrows a bound.  The lock row stays as a guard.

    With ``fixed`` (the lock style ``fix``), every such column is fixed at its bound whatever the
    budget: later levels may not trade any of this level along those columns, only along the
    directions the lock row's slack allows without them (columns whose reduced cost is below the
    tolerance, and rows).  This is how Gurobi holds the levels of an LP hierarchy (its
    ``ObjNAbsTol`` attribute: "for LP models, solution quality for higher-priority objectives is
    maintained by fixing some variables to their values in previous optimal solutions. These
    fixings are decided using variable reduced costs"; Gurobi Optimizer Reference Manual).  It
    is not a valid inequality of the lock row: the later levels' values lie between the row
    chain's (which may spend the whole slack) and the exact lexicographic optimum (no slack).

    ``columns``: columns whose bounds were narrowed (fixed when ``budget`` is 0 or ``fixed``);
    ``rows``: rows made equalities; ``budget``: the lock slack, in the level's units.
    """

    columns: int
    rows: int
    budget: float
    tolerance: float
    fixed: bool = False


class Session(ABC):
    """One model loaded into a solver interface; stages change the objective and add rows."""

    @abstractmethod
    def set_objective(self, objective: Objective) -> None:
        """Replace the objective (sense and linear function)."""

    @abstractmethod
    def add_row(self, row: ExtraRow) -> None:
        """Add a row ``row.lower <= row.vector <= row.upper`` for this and all later solves."""

    @abstractmethod
    def solve(self) -> StageRecord:
        """Solve and return a :class:`StageRecord`; never raises for infeasible/unbounded models."""

    def set_option(self, name: str, value) -> None:
        """Set a solver option for the following solves (HiGHS names); ignored where unsupported."""

    def restrict_to_optimal_face(self, budget: float = 0.0, fix: bool = False) -> FaceRestriction | None:
        """After an optimal LP solve, bound all later solves to what a lock with slack ``budget``
        on the objective just solved allows (the optimal face when 0; see :class:`FaceRestriction`).
        ``fix``: fix every column with a nonzero reduced cost at its bound whatever the budget
        (the lock style ``fix``: Gurobi's rule for LP hierarchies).  Returns ``None`` where the
        backend cannot do it (the default; the lock row alone then carries the level), or for a
        MIP."""
        return None

    def face_trade_off(self) -> float | None:
        """After a solve: the part of the latest face-restricted level's trade-off rate carried by
        the bounds it narrowed (see the ``highs`` backend); ``None`` where unsupported."""
        return None

    def undo_face_restrictions(self) -> bool:
        """Lift every face restriction made so far (bounds back to the model's and the added
        rows'); returns ``True`` if there was any to lift."""
        return False

    def close(self) -> None:
        """Release solver resources."""


class Backend(ABC):
    """A way to build and solve models (``pulp``, ``pyomo``, ``highs``)."""

    name: str = ""
    default_solver: str = "highs"

    @abstractmethod
    def available(self) -> tuple[bool, str]:
        """``(True, "")`` when usable, else ``(False, why)``."""

    @abstractmethod
    def session(self, model: LinearModel, options: SolveOptions) -> Session:
        """Load ``model`` and return a :class:`Session`; raises :class:`~goalprog.core.errors.BackendError`."""


_REGISTRY = {
    "pulp": ("goalprog.solve.backends.pulp_backend", "PulpBackend"),
    "pyomo": ("goalprog.solve.backends.pyomo_backend", "PyomoBackend"),
    "highs": ("goalprog.solve.backends.highs_backend", "HighsBackend"),
}


def backend_names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def get_backend(name: str) -> Backend:
    """The backend called ``name``; raises :class:`~goalprog.core.errors.BackendError` if unknown or unusable."""
    import importlib

    from ...core.errors import did_you_mean

    if name not in _REGISTRY:
        raise BackendError(f"unknown backend {name!r}",
                           hint=did_you_mean(name, _REGISTRY) or f"choose one of {', '.join(_REGISTRY)}")
    module, cls = _REGISTRY[name]
    backend = getattr(importlib.import_module(module), cls)()
    ok, why = backend.available()
    if not ok:
        raise BackendError(f"backend {name!r} is not usable: {why}", hint="pip install goalprog installs pulp, pyomo and highspy")
    return backend


class _Redirect:
    """The process-wide redirection of file descriptor 1, shared by every thread.

    File descriptors belong to the process, not to a thread: two threads that each saved fd 1,
    pointed it elsewhere and restored it could interleave and leave fd 1 at /dev/null for good.
    So the redirection is reference-counted under a lock: the first entrant saves fd 1 and points
    it at its target, later entrants (any thread) share that redirection, and the last one out
    restores fd 1.  A solver running in one thread while another thread's redirection is active
    writes where that redirection points (both are solver logs or banners).
    """

    lock = threading.Lock()
    depth = 0
    fd: int | None = None
    saved: int | None = None


@contextlib.contextmanager
def _stdout_to(target_fd_factory, active: bool):
    """Point file descriptor 1 (C-level writes, e.g. a solver's) at another file while active
    (thread-safe: see :class:`_Redirect`)."""
    if not active:
        yield
        return
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        yield
        return
    with _Redirect.lock:
        if _Redirect.depth and _Redirect.fd != fd:
            fd = None  # sys.stdout has another descriptor now: leave the running redirection be
        elif _Redirect.depth == 0:
            sys.stdout.flush()
            saved = os.dup(fd)
            try:
                with target_fd_factory() as target:
                    os.dup2(target, fd)  # fd 1 now holds its own reference to the target
            except BaseException:
                os.close(saved)
                raise
            _Redirect.fd, _Redirect.saved = fd, saved
        if fd is not None:
            _Redirect.depth += 1
    try:
        yield
    finally:
        if fd is not None:
            with _Redirect.lock:
                _Redirect.depth -= 1
                if _Redirect.depth == 0:
                    try:
                        sys.stdout.flush()
                    except (OSError, ValueError):
                        pass
                    saved, _Redirect.saved, _Redirect.fd = _Redirect.saved, None, None
                    try:
                        os.dup2(saved, fd)
                    finally:
                        os.close(saved)


@contextlib.contextmanager
def _devnull():
    with open(os.devnull, "w") as fh:
        yield fh.fileno()


@contextlib.contextmanager
def _stderr():
    yield sys.stderr.fileno()


def quiet_stdout(active: bool = True):
    """Silence C-level writes to stdout (solver banners) while active."""
    return _stdout_to(_devnull, active)


def stdout_to_stderr(active: bool = True):
    """Send C-level writes to stdout (a solver log) to stderr while active."""
    try:
        sys.stderr.fileno()
    except (AttributeError, ValueError, OSError):
        active = False
    return _stdout_to(_stderr, active)


_BANNER_DONE = False


def new_highs(verbose: bool = False) -> Any:
    """A ``highspy.Highs`` with output off unless ``verbose`` (its once-per-process banner swallowed)."""
    global _BANNER_DONE
    import highspy

    with quiet_stdout(not verbose and not _BANNER_DONE):
        h = highspy.Highs()
    _BANNER_DONE = True
    if not verbose:
        h.setOptionValue("output_flag", False)
    return h


def reset_highs_threads(threads: int | None) -> None:
    """HiGHS fixes its thread pool at the first solve of a process; asking for another number of
    threads later fails.  Resetting the global scheduler first makes ``threads`` work every time."""
    if threads is None:
        return
    import highspy

    reset = getattr(highspy.Highs, "resetGlobalScheduler", None)
    if reset is not None:
        reset(True)


def check_highs_options(options: dict) -> None:
    """Raise :class:`~goalprog.core.errors.BackendError` for a solver option HiGHS does not accept
    (PuLP and Pyomo would pass it on silently, or fail without saying which)."""
    if not options:
        return
    import highspy

    h = new_highs(False)
    bad = [f"{k}={v!r}" for k, v in options.items() if h.setOptionValue(str(k), v) == highspy.HighsStatus.kError]
    if bad:
        raise BackendError(f"HiGHS does not accept the option{'s' if len(bad) > 1 else ''} {', '.join(bad)}",
                           hint="see the HiGHS option list (e.g. presolve=off, mip_max_nodes=1000, "
                                "mip_rel_gap=0.01); values must have the option's type")


def highs_status(h: Any) -> tuple[Termination, SolutionStatus, float | None]:
    """Read (termination, solution status, MIP dual bound) off a solved ``highspy.Highs``."""
    import highspy

    MS = highspy.HighsModelStatus
    ms = h.getModelStatus()
    info = h.getInfo()
    term = {
        MS.kOptimal: Termination.OPTIMAL,
        MS.kInfeasible: Termination.INFEASIBLE,
        MS.kUnbounded: Termination.UNBOUNDED,
        MS.kUnboundedOrInfeasible: Termination.INFEASIBLE_OR_UNBOUNDED,
        MS.kTimeLimit: Termination.TIME_LIMIT,
        MS.kIterationLimit: Termination.ITERATION_LIMIT,
        MS.kInterrupt: Termination.INTERRUPTED,
    }.get(ms)
    if term is None:
        name = str(ms)
        if "SolutionLimit" in name or "NodeLimit" in name:
            term = Termination.NODE_LIMIT
        elif "ModelEmpty" in name:
            term = Termination.OPTIMAL
        elif "Error" in name:
            term = Termination.ERROR
        else:
            term = Termination.UNKNOWN
    primal = getattr(info, "primal_solution_status", 0)
    # 2 = kSolutionStatusFeasible
    has_solution = primal == 2
    if term is Termination.OPTIMAL:
        sol = SolutionStatus.OPTIMAL if has_solution or str(ms).endswith("ModelEmpty") else SolutionStatus.FEASIBLE
    elif has_solution and term not in (Termination.INFEASIBLE, Termination.UNBOUNDED,
                                       Termination.INFEASIBLE_OR_UNBOUNDED):
        sol = SolutionStatus.FEASIBLE
    else:
        sol = SolutionStatus.NONE
    bound = None
    try:
        if h.getNumCol() and getattr(info, "mip_node_count", -1) >= 0:
            bound = float(info.mip_dual_bound)
    except Exception:  # pragma: no cover - info fields differ across versions
        bound = None
    return term, sol, bound


def fill_missing(model, missing: np.ndarray) -> np.ndarray:
    """Values for columns a modelling layer did not pass to the solver (in no row and not in the
    objective): the bound nearest 0, rounded up to a whole number for integer columns."""
    v = np.clip(0.0, model.col_lower[missing], model.col_upper[missing])
    ints = model.col_integer[missing]
    v[ints] = np.ceil(v[ints] - 1e-9)
    return v


def finite(v: float) -> float | None:
    return None if v is None or v in (float("inf"), float("-inf")) else v
