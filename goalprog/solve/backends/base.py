"""The backend contract: a session that holds one model and solves it stage after stage.

A :class:`Backend` builds a :class:`Session` for a :class:`~goalprog.model.ir.LinearModel`.  A strategy
then sets an objective, optionally adds rows (preemptive locks), and calls
:meth:`Session.solve`, which returns a :class:`StageRecord` with plain numpy values copied out of
the solver: no solver object ever leaves a backend.  Backends import their modelling library only
when a session is created, never at ``import goalprog``.

Every number a backend hands to a solver passes one guard first (:func:`check_model_numbers`,
:func:`check_objective_numbers`, :func:`check_row_numbers`): subclasses of :class:`Backend` and
:class:`Session` get it wrapped around ``session``, ``set_objective`` and ``add_row``
automatically, so no backend can skip it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...core.errors import BackendError, ProblemFileError
from ...model.ir import ExtraRow, LinearModel, Objective
from ...core.status import SolutionStatus, Termination


TINY = 1e-300
"""The smallest nonzero magnitude handed to a solver.  Smaller numbers (subnormal doubles, below
about 2.2e-308, and their neighbours) crashed HiGHS with a segmentation fault when they were
costs (an extended-GP ``lambda`` of 1e-320), whatever the backend; a solver cannot use them anyway."""

INFINITE = 1e20
"""HiGHS's ``infinite_bound`` and ``infinite_cost``: it reads a finite bound, right-hand side or
cost this large as infinite, silently.  No finite number this large goes to a solver; a missing
bound is given as ``inf``."""

LARGE_COEFFICIENT = 1e15
"""HiGHS's ``large_matrix_value``: HiGHS refuses a model with a constraint coefficient this large
(and CBC, through PuLP or Pyomo, returns nonsense), so none goes to a solver."""


def _bad(values, limit: float, allow_inf: bool) -> np.ndarray:
    """Positions of ``values`` that are neither 0 nor of magnitude in ``[TINY, limit)`` (nor
    ``+-inf`` where ``allow_inf``); NaN is always bad."""
    v = np.asarray(values, dtype=np.float64)
    a = np.abs(v)
    ok = (a == 0.0) | ((a >= TINY) & (a < limit))
    if allow_inf:
        ok |= np.isinf(v)
    return np.flatnonzero(~ok)


def _why(value: float, limit: float) -> str:
    if np.isnan(value):
        return "is NaN (not a number)"
    if np.isinf(value):
        return "is infinite"
    if abs(value) < TINY:
        return (f"is {value:g}: a nonzero number smaller than {TINY:g} in size cannot go to a solver "
                "(HiGHS crashes on such numbers)")
    what = "reads" if limit >= INFINITE else "refuses"
    return f"is {value:g}: solvers take numbers below {limit:g} in size here (HiGHS {what} {limit:g} and more " \
           f"{'as infinite' if limit >= INFINITE else 'as too large'})"


_HINT = ("a product of small and large numbers of the file can get there (a tiny lambda, weight, rate, "
         "coefficient or target, a large scale): write 0 where you mean 0, or rescale the units")


def _label(origins, i: int, fallback: str) -> str:
    try:
        return origins[int(i)].label
    except Exception:  # an origin table that does not cover i (a hand-built model)
        return f"{fallback} {int(i)}"


def _column(model: LinearModel | None, j: int) -> str:
    """Column ``j`` in the user's terms: a variable, a goal's deviation, or an auxiliary column."""
    if model is None:
        return f"column {int(j)}"
    label = _label(model.col_origin, j, "column")
    role = int(model.col_role[j]) if 0 <= j < len(model.col_role) else -1
    return {0: f"variable '{label}'", 1: f"the under-deviation of goal '{label}'",
            2: f"the over-deviation of goal '{label}'"}.get(role, f"'{label}'")


def _row(model: LinearModel, i: int) -> str:
    """Row ``i`` in the user's terms: a hard constraint, a goal, or an auxiliary row."""
    label = _label(model.row_origin, i, "row")
    if i < model.n_hard:
        return f"constraint '{label}'"
    if np.any(np.asarray(model.goals.row) == i):
        return f"goal '{label}'"
    return f"'{label}'"


def check_model_numbers(model: LinearModel) -> None:
    """Raise :class:`~goalprog.core.errors.ProblemFileError` (exit 3) unless every number of
    ``model`` a solver receives is usable: constraint coefficients 0 or of magnitude in
    [1e-300, 1e15); column and row bounds 0, ``+-inf`` or of magnitude in [1e-300, 1e20).  The
    message names the row and column by their origin (``make[pants]``, ``g[3]``)."""
    for name, arr, describe in (("lower bound", model.col_lower, _column), ("upper bound", model.col_upper, _column),
                                ("lower side", model.row_lower, _row), ("upper side", model.row_upper, _row)):
        bad = _bad(arr, INFINITE, True)
        if len(bad):
            i = int(bad[0])
            raise ProblemFileError(f"the {name} of {describe(model, i)} {_why(float(arr[i]), INFINITE)}", hint=_HINT)
    bad = _bad(model.data, LARGE_COEFFICIENT, False)
    if len(bad):
        k = int(bad[0])
        i = int(np.searchsorted(model.indptr, k, side="right")) - 1
        raise ProblemFileError(f"in {_row(model, i)}, the coefficient of {_column(model, int(model.indices[k]))} "
                               f"{_why(float(model.data[k]), LARGE_COEFFICIENT)}", hint=_HINT)


def check_objective_numbers(model: LinearModel | None, objective: Objective) -> None:
    """Raise :class:`~goalprog.core.errors.ProblemFileError` unless every cost of ``objective``
    is 0 or of magnitude in [1e-300, 1e20) and its constant is finite (see :data:`TINY`)."""
    v = objective.vector
    bad = _bad(v.coefs, INFINITE, False)
    if len(bad):
        k = int(bad[0])
        raise ProblemFileError(f"the objective's cost of {_column(model, int(v.indices[k]))} "
                               f"{_why(float(v.coefs[k]), INFINITE)}", hint=_HINT)
    if not np.isfinite(v.constant):
        raise ProblemFileError(f"the objective's constant {_why(float(v.constant), INFINITE)}", hint=_HINT)


def check_row_numbers(model: LinearModel | None, row: ExtraRow) -> None:
    """Raise :class:`~goalprog.core.errors.ProblemFileError` unless an added row (a preemptive
    lock) has coefficients as :func:`check_model_numbers` allows and sides ``row.lower - c`` and
    ``row.upper - c`` (``c`` its constant) 0, ``+-inf`` or of magnitude in [1e-300, 1e20)."""
    v = row.vector
    bad = _bad(v.coefs, LARGE_COEFFICIENT, False)
    if len(bad):
        k = int(bad[0])
        raise ProblemFileError(f"in the added row '{row.name}', the coefficient of {_column(model, int(v.indices[k]))} "
                               f"{_why(float(v.coefs[k]), LARGE_COEFFICIENT)}", hint=_HINT)
    with np.errstate(invalid="ignore", over="ignore"):
        sides = (("lower side", row.lower - v.constant), ("upper side", row.upper - v.constant))
    for name, side in sides:
        if len(_bad([side], INFINITE, True)):
            raise ProblemFileError(f"the {name} of the added row '{row.name}' {_why(float(side), INFINITE)}",
                                   hint=_HINT)


def _guard_objective(method):
    @functools.wraps(method)
    def set_objective(self, objective):
        check_objective_numbers(getattr(self, "model", None), objective)
        return method(self, objective)
    return set_objective


def _guard_row(method):
    @functools.wraps(method)
    def add_row(self, row):
        check_row_numbers(getattr(self, "model", None), row)
        return method(self, row)
    return add_row


def _guard_session(method):
    @functools.wraps(method)
    def session(self, model, options):
        check_model_numbers(model)
        return method(self, model, options)
    return session


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

    ``columns``: how many columns had their bounds narrowed (fixed when ``budget`` is 0 or
    ``fixed``); ``rows``: how many rows were made equalities; ``budget``: the lock slack, in the
    level's units.  The chain keeps which ones, and their bounds, in its stage records
    (:class:`goalprog.solve.stages.BoundRestriction`).
    """

    columns: int
    rows: int
    budget: float
    tolerance: float
    fixed: bool = False
    col_index: np.ndarray | None = None  # the narrowed columns and their new bounds
    col_lower: np.ndarray | None = None
    col_upper: np.ndarray | None = None
    row_index: np.ndarray | None = None  # model rows, then added rows; sides without a row's constant
    row_lower: np.ndarray | None = None
    row_upper: np.ndarray | None = None


DUAL_TOLERANCE = 1e-6
"""A dual value or reduced cost counts as nonzero above this by default (ten times the dual
feasibility tolerance of HiGHS, CBC and GLPK, 1e-7), so round-off never fixes a column."""

EXACT_DUAL_TOLERANCE = 1e-11
"""The dual threshold of an exact lock's optimal face: reduced costs of 1e-12 to 1e-6 are real on
the benchmark's medium instance (at 1e-9 its level 3 was 4.5e-6 below the exact rational optimum:
docs/methods.md); smaller ones are held by the guard row."""


def at_bound(value, dual, lo, hi, dual_tol: float = DUAL_TOLERANCE, primal_tol: float = 1e-7):
    """The entries (columns, or rows with their activities) an optimal face fixes: those with
    ``|dual| > dual_tol`` whose ``value`` sits at a finite bound (within ``primal_tol *
    max(1, |value|)``), and that bound.  Returns ``(indices, bound values)``.

    The dual's sign is not checked (conventions differ between solvers and modelling layers).
    By complementary slackness the optimal plans are the feasible plans with these entries at
    these bounds (for any one optimal dual solution)."""
    value = np.asarray(value, dtype=np.float64)
    dual = np.asarray(dual, dtype=np.float64)
    lo = np.asarray(lo, dtype=np.float64)
    hi = np.asarray(hi, dtype=np.float64)
    near = primal_tol * np.maximum(1.0, np.abs(value))
    big = np.isfinite(dual) & (np.abs(dual) > dual_tol) & (lo < hi)
    at_lo = big & np.isfinite(lo) & (np.abs(value - lo) <= near)
    at_hi = big & np.isfinite(hi) & (np.abs(value - hi) <= near) & ~at_lo
    idx = np.flatnonzero(at_lo | at_hi)
    return idx, np.where(at_lo[idx], lo[idx], hi[idx])


class Session(ABC):
    """One model loaded into a solver interface; stages change the objective and add rows.

    A subclass's ``set_objective`` and ``add_row`` are wrapped so that the objective or row passes
    :func:`check_objective_numbers` / :func:`check_row_numbers` before the subclass sees it."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, guard in (("set_objective", _guard_objective), ("add_row", _guard_row)):
            if name in cls.__dict__:
                setattr(cls, name, guard(cls.__dict__[name]))

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

    def restrict_to_optimal_face(self, budget: float = 0.0, fix: bool = False,
                                 dual_tol: float | None = None) -> FaceRestriction | None:
        """After an optimal LP solve, bound all later solves to what a lock with slack ``budget``
        on the objective just solved allows (the optimal face when 0; see :class:`FaceRestriction`).
        ``fix``: fix every column with a nonzero reduced cost at its bound whatever the budget
        (the lock style ``fix``: Gurobi's rule for LP hierarchies).  ``dual_tol``: the smallest
        dual that counts as nonzero (default: ten times the solver's dual feasibility tolerance;
        exact locks use :data:`EXACT_DUAL_TOLERANCE`).  Returns ``None`` where the
        backend cannot do it (the default; the lock row alone then carries the level), or for a
        MIP."""
        return None

    def face_trade_off(self) -> float | None:
        """After a solve: the part of the latest face-restricted level's trade-off rate carried by
        the bounds it narrowed (see the ``highs`` backend); ``None`` where unsupported."""
        return None

    def set_row_bounds(self, index: int, lower: float, upper: float) -> bool:
        """Set the sides of the row ``index`` (the model's rows first, then the added rows in the
        order added; sides on the row's linear part, a row's constant not included) for the
        following solves, which may start warm from the last basis.  Returns ``False`` where the
        backend cannot (the default: the caller builds a new session)."""
        return False

    def undo_face_restrictions(self) -> bool:
        """Lift every face restriction made so far (bounds back to the model's and the added
        rows'); returns ``True`` if there was any to lift."""
        return False

    def close(self) -> None:
        """Release solver resources."""


class Backend(ABC):
    """A way to build and solve models (``pulp``, ``pyomo``, ``highs``).

    A subclass's ``session`` is wrapped so that the model passes :func:`check_model_numbers`
    before the subclass sees it."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "session" in cls.__dict__:
            cls.session = _guard_session(cls.__dict__["session"])

    name: str = ""
    default_solver: str = "highs"

    @abstractmethod
    def available(self) -> tuple[bool, str]:
        """``(True, "")`` when usable, else ``(False, why)``."""

    @abstractmethod
    def session(self, model: LinearModel, options: SolveOptions) -> Session:
        """Load ``model`` and return a :class:`Session`; raises :class:`~goalprog.core.errors.BackendError`,
        and :class:`~goalprog.core.errors.ProblemFileError` for numbers no solver can take
        (:func:`check_model_numbers`)."""


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
