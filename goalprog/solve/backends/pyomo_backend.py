"""The ``pyomo`` backend: the IR as a Pyomo ``ConcreteModel``, solved with HiGHS by default.

With HiGHS the persistent interface of ``pyomo.contrib.solver``: the model is loaded once, each level
only changes the objective and adds its lock row (warm re-solves); its termination and solution status
map one to one.  Other solvers (:mod:`.pyomo_solvers`) through Pyomo's classic or direct interfaces.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time

import numpy as np

from ...core.errors import BackendError
from ...model.ir import ExtraRow, LinearModel, Objective
from ...core.status import SolutionStatus, Termination
from .base import (DUAL_TOLERANCE, Backend, FaceRestriction, at_bound, fill_missing, Session, SolveOptions, StageRecord, check_highs_options, quiet_stdout,
                   reset_highs_threads)
from .gaps import bound_in_stage_terms, integral_level, proven, user_gap
from . import native_status
from .polish import polish_plan
from .pyomo_solvers import DUAL_SUFFIXES, problem_bounds, LEGACY_OPTION_NAMES, LP_DUAL_OPTIONS, LEGACY_ZERO_GAP, TEXT_SOLVERS, direct_name, family, option_value
from ...spec.solvers import PYOMO_SHELL_SOLVERS, PYOMO_SOLVERS, find_program, is_path_like, short

PYOMO_LOCK = threading.RLock()
"""Held while Pyomo builds a model or solves: Pyomo is not thread-safe.  Its solvers redirect the
process's file descriptors 1 and 2 (``pyomo.common.tee``) and share a stack of temporary files
(``TempfileManager``); two threads solving at once deadlocked.  So the ``pyomo`` backend's
sessions take turns: solving from several threads is correct, not parallel."""


@contextlib.contextmanager
def _pyomo_quiet():
    """Keep Pyomo's log records (warnings with tracebacks, printed on stdout) out of the output."""
    import io

    from pyomo.common.log import LoggingIntercept

    with LoggingIntercept(io.StringIO(), "pyomo"):
        yield


PYOMO_PROGRAMS = {"cbc": ("cbc",), "glpk": ("glpsol",), "scip": ("scip", "scipampl"), "cplex": ("cplex",),
                  "gurobi": ("gurobi.bat",) if os.name == "nt" else ("gurobi.sh",), "ipopt": ("ipopt",),
                  "baron": ("baron",), "conopt": ("conopt",), "knitroampl": ("knitroampl",)}
"""The programs Pyomo's shell interface for each solver runs (its ``_default_executable``), in the
order Pyomo tries them.  goalprog looks them up itself (:func:`find_pyomo_program`) and hands
Pyomo the absolute path, because Pyomo's own search starts in the current folder."""


def _pyomo_bin() -> list[str]:
    """Pyomo's own folder of programs (``PYOMO_CONFIG_DIR/bin``, where ``pyomo download-extensions``
    puts them), searched after ``PATH``, if it is an absolute path."""
    try:
        from pyomo.common import envvar

        folder = os.path.join(envvar.PYOMO_CONFIG_DIR, "bin")
    except Exception:  # pragma: no cover - Pyomo without envvar
        return []
    return [folder] if os.path.isabs(folder) else []


def find_pyomo_program(solver: str) -> str | None:
    """The absolute path of the program Pyomo's ``solver`` interface runs, looked up in the absolute
    folders of ``PATH`` and Pyomo's own folder only (never the current folder, the problem's
    folder or a relative ``PATH`` entry); ``None`` if not found or ``solver`` runs no program we know."""
    for program in PYOMO_PROGRAMS.get(solver, ()):
        found = find_program(program, _pyomo_bin())
        if found is not None:
            return found
    return None


@contextlib.contextmanager
def _no_relative_programs():
    """While held: Pyomo's executable registry (``pyomo.common.Executable``, which every solver
    plugin asks, and which looks in the current folder first) finds programs only by absolute
    path or in :func:`find_program`'s folders.  A second guard behind the explicit paths, for the
    solver names typed on the command line that goalprog has no program name for (their
    sub-solvers too).  Restored, and the registry re-searched, on exit."""
    try:
        from pyomo.common import Executable

        manager = Executable._manager
        original = manager._find
    except Exception:  # pragma: no cover - another Pyomo layout: the explicit paths still hold
        yield
        return

    def find(name, *args, pathlist=None, **kwargs):
        name = os.fspath(name)
        if os.path.isabs(name):
            return name if os.path.isfile(name) and os.access(name, os.X_OK) else None
        extra = [p for p in (pathlist.split(os.pathsep) if isinstance(pathlist, str) else pathlist or ())]
        return find_program(name, extra + _pyomo_bin())

    manager._find = find
    try:
        manager.rehash()
        yield
    finally:
        manager._find = original
        manager.rehash()


def _solver_factory(pyo, name: str, executable: str | None):
    """A classic Pyomo solver for ``name`` (a registered name only, never Pyomo's fallback of
    running an unknown name as an executable), with ``executable`` when given (trusted), else the
    program :func:`find_pyomo_program` finds (never one in the current folder).  Raises
    :class:`~goalprog.core.errors.BackendError` when the solver's program is not installed."""
    from pyomo.opt import SolverFactory

    registered = set(SolverFactory)
    if is_path_like(name) or name not in registered:
        from ...core.errors import did_you_mean

        raise BackendError(f"Pyomo has no solver {short(name)!r}",
                           hint=did_you_mean(name, sorted(n for n in registered if not n.startswith("_")))
                           or f"for example: {', '.join(PYOMO_SOLVERS)}; an executable is given with --solver-path")
    if executable is None and direct_name(name) is not None:
        return SolverFactory(direct_name(name))  # gurobipy, cplex, pyscipopt: in this process, no program
    if executable is None and name in PYOMO_PROGRAMS:
        program = find_pyomo_program(name)
        if program is None:
            raise _not_installed(name)
        return SolverFactory(name, executable=program, validate=False)  # safe: absolute, from absolute PATH folders
    if executable is None:
        return SolverFactory(name)
    if name in PYOMO_SHELL_SOLVERS:
        return SolverFactory(name, executable=executable)  # safe: --solver-path / solver_path= (the user's)
    return SolverFactory("asl", executable=executable)  # safe: the user's --solver-path; an AMPL (.nl) program


def _not_installed(solver: str) -> BackendError:
    programs = " or ".join(PYOMO_PROGRAMS.get(solver, ()))
    return BackendError(f"the Pyomo solver {solver!r} is not installed on this machine"
                        + (f" (no program {programs} in the absolute folders of PATH)" if programs else ""),
                        hint=(native_status.INSTALL[family(solver)] + "; or use --solver highs (installed with goalprog)")
                        if family(solver) in native_status.INSTALL else
                        "use --solver highs (installed with goalprog), or install the solver; a program in "
                        "the current folder is never run: give it with --solver-path PATH if you trust it")


def _bound(v: float):
    return None if math.isinf(v) else float(v)


class PyomoSession(Session):
    def __init__(self, model: LinearModel, options: SolveOptions):
        with PYOMO_LOCK:
            self._build(model, options)

    def _build(self, model: LinearModel, options: SolveOptions):
        import pyomo.environ as pyo

        self.pyo = pyo
        self.model = model
        self.options = options
        solver = (options.solver or "highs").lower()
        self.solver_name = solver
        m = pyo.ConcreteModel(name="goalprog")
        n = model.n_cols
        m.x = pyo.Var(range(n), domain=pyo.Reals)
        x = m.x
        for j, (lo, hi, integer) in enumerate(zip(model.col_lower.tolist(), model.col_upper.tolist(),
                                                  model.col_integer.tolist())):
            v = x[j]
            v.setlb(_bound(lo))
            v.setub(_bound(hi))
            if integer:
                v.domain = pyo.Integers
        indptr = model.indptr.tolist()
        cols = model.indices.tolist()
        vals = model.data.tolist()
        lows = model.row_lower.tolist()
        highs = model.row_upper.tolist()
        quicksum = pyo.quicksum

        def rule(mm, i):
            a, b = indptr[i], indptr[i + 1]
            lo, hi = lows[i], highs[i]
            if a == b or (math.isinf(lo) and math.isinf(hi)):
                return pyo.Constraint.Skip
            e = quicksum(c * x[j] for j, c in zip(cols[a:b], vals[a:b]))
            if not math.isinf(lo) and lo == hi:
                return e == lo
            return (_bound(lo), e, _bound(hi))

        m.rows = pyo.Constraint(range(model.n_rows), rule=rule)
        m.locks = pyo.ConstraintList()
        m.face = pyo.ConstraintList()  # rows an optimal face made equalities
        self.extra_rows: list[ExtraRow] = []
        self.face_cols: dict[int, tuple] = {}
        self.face_eqs: list[tuple] = []  # (indices, coefficients, value) of the rows in m.face, for _polish
        self._faceable = None  # after an optimal LP solve: (x, reduced costs, row duals) or None
        m.obj = pyo.Objective(expr=0.0, sense=pyo.minimize)
        self.m = m
        self.objective: Objective | None = None
        self.extra_options: dict = {}
        if solver == "highs" and options.solver_path is None:
            from pyomo.contrib.solver.solvers.highs import Highs

            self.opt = Highs()
            if not self.opt.available():
                raise BackendError("Pyomo's HiGHS interface is not available (is highspy installed?)")
            check_highs_options(options.solver_options)
            self.persistent = True
        else:
            why = "Pyomo finds it unavailable"
            with _pyomo_quiet(), _no_relative_programs():
                self.opt = _solver_factory(pyo, solver, options.solver_path)
                try:
                    ok = self.opt is not None and self.opt.available(exception_flag=False)
                except Exception as exc:  # e.g. Pyomo's asl interface on a program that prints no version
                    ok, why = False, f"{type(exc).__name__}: {short(exc, 300)}"
            if not ok:
                if options.solver_path is not None:
                    self._not_the_solver(why)
                raise _not_installed(solver)
            self.persistent = False
            if not model.is_mip and family(solver) in DUAL_SUFFIXES and options.solver_path is None:
                m.dual = pyo.Suffix(direction=pyo.Suffix.IMPORT)  # duals and reduced costs for the optimal face
                m.rc = pyo.Suffix(direction=pyo.Suffix.IMPORT)

    def _not_the_solver(self, why: str):
        raise _not_the_solver_error(self.options.solver_path, self.solver_name, why) from None

    def _expr(self, vec):
        x = self.m.x
        return self.pyo.quicksum(c * x[j] for j, c in zip(vec.indices.tolist(), vec.coefs.tolist())) + vec.constant

    def set_objective(self, objective: Objective) -> None:
        pyo = self.pyo
        vec = objective.vector
        if len(vec.indices) == 0 and self.model.n_cols:
            # Pyomo's solvers reject a constant objective: give it a zero-weight variable
            self.m.obj.set_value(0.0 * self.m.x[0] + vec.constant)
        else:
            self.m.obj.set_value(self._expr(vec))
        self.m.obj.sense = pyo.maximize if objective.sense == "max" else pyo.minimize
        self.objective = objective

    def _integral(self) -> tuple[bool, str]:
        """(whether the objective takes whole-number values only, its sense), for :func:`proven`."""
        o = self.objective
        return (o is not None and integral_level(self.model, o)), (o.sense if o is not None else "min")

    def set_option(self, name: str, value) -> None:
        if self.persistent:
            self.extra_options[name] = value
        elif family(self.solver_name) == "scip":  # a SCIP parameter (strategies/mip_check.py)
            self.opt.options[name] = value

    def add_row(self, row: ExtraRow) -> None:
        if len(row.vector.indices) == 0:
            return  # a row without variables (a level with nothing to optimise) constrains nothing
        e = self._expr(row.vector)
        if not math.isinf(row.lower) and row.lower == row.upper:
            self.m.locks.add(e == row.lower)
        else:
            self.m.locks.add((_bound(row.lower), e, _bound(row.upper)))
        self.extra_rows.append(row)
        self._faceable = None

    def restrict_to_optimal_face(self, budget: float = 0.0, fix: bool = False,
                                 dual_tol: float | None = None) -> FaceRestriction | None:
        """The optimal face of the LP just solved (``budget`` 0 only), from the solver's reduced
        costs and duals (HiGHS's persistent interface; a classic Pyomo solver through ``rc`` and
        ``dual`` suffixes where it fills them): columns with a nonzero reduced cost fixed at
        their bound, rows with a nonzero dual made equalities (see
        :func:`~goalprog.solve.backends.base.at_bound`).  ``None`` where there are no duals."""
        if self.model.is_mip or budget > 0.0 or self._faceable is None:
            return None
        x, rc, row_dual = self._faceable
        m = self.model
        keep = [k for k, r in enumerate(self.extra_rows) if len(r.vector.indices)]  # rows Pyomo holds
        extra = [self.extra_rows[k] for k in keep]
        rows_value = np.concatenate([m.row_activity(x), [r.vector.value(x) - r.vector.constant for r in extra]])
        rows_lo = np.concatenate([m.row_lower, [r.lower - r.vector.constant for r in extra]])
        rows_hi = np.concatenate([m.row_upper, [r.upper - r.vector.constant for r in extra]])
        xs = self.m.x
        lo = np.array([-np.inf if xs[j].lb is None else xs[j].lb for j in range(m.n_cols)], dtype=np.float64)
        hi = np.array([np.inf if xs[j].ub is None else xs[j].ub for j in range(m.n_cols)], dtype=np.float64)
        tol = DUAL_TOLERANCE if dual_tol is None else dual_tol
        cols, c_val = at_bound(x, rc, lo, hi, tol)
        rows, r_val = at_bound(rows_value, row_dual, rows_lo, rows_hi, tol)
        with PYOMO_LOCK:
            for j, val in zip(cols.tolist(), c_val.tolist()):
                self.face_cols.setdefault(j, (xs[j].lb, xs[j].ub))
                xs[j].setlb(val)
                xs[j].setub(val)
            for i, val in zip(rows.tolist(), r_val.tolist()):
                vec = extra[i - m.n_rows].vector if i >= m.n_rows else None
                if vec is None:
                    idx, coefs = m.row(i)
                    e = self.pyo.quicksum(c * xs[j] for j, c in zip(idx.tolist(), coefs.tolist()))
                else:
                    e = self._expr(vec) - vec.constant
                self.m.face.add(e == val)
                self.face_eqs.append((idx, coefs, val) if vec is None else (vec.indices, vec.coefs, val))
        self._faceable = None
        # number the rows as the chain does: the model's rows, then every added row
        numbered = np.array([i if i < m.n_rows else m.n_rows + keep[i - m.n_rows] for i in rows.tolist()], dtype=np.int64)
        return FaceRestriction(int(len(cols)), int(len(rows)), 0.0, tol, False, cols.astype(np.int64), c_val,
                               c_val.copy(), numbered, r_val, r_val.copy())

    def undo_face_restrictions(self) -> bool:
        if not self.face_cols and not len(self.m.face):
            return False
        with PYOMO_LOCK:
            for j, (lo, hi) in self.face_cols.items():
                self.m.x[j].setlb(lo)
                self.m.x[j].setub(hi)
            self.face_cols.clear()
            self.m.face.clear()
            self.face_eqs.clear()
        return True

    def polished_plan(self, x) -> np.ndarray | None:
        """``x`` (an LP plan) without the solver's last-bit noise on the model as held now (lock rows,
        face rows, fixed columns): :func:`~goalprog.solve.backends.polish.polish_plan`, ``rel`` ``LAST_BITS``."""
        from .polish import LAST_BITS

        return polish_plan(x, *self._polish_inputs(), LAST_BITS, self.model.n_rows)

    def _polish_inputs(self) -> tuple:
        """``(col_lower, col_upper, integer, rows, objective, sense)`` of
        :func:`~goalprog.solve.backends.polish.polish_plan` for the model as held now: the model's
        rows, the lock rows, the face equalities and the columns' current bounds."""
        m, xs, o = self.model, self.m.x, self.objective
        rows = [(*m.row(i), float(m.row_lower[i]), float(m.row_upper[i])) for i in range(m.n_rows)]
        rows += [(r.vector.indices, r.vector.coefs, r.lower - r.vector.constant, r.upper - r.vector.constant)
                 for r in self.extra_rows] + [(idx, coefs, val, val) for idx, coefs, val in self.face_eqs]
        lo = np.array([-np.inf if xs[j].lb is None else xs[j].lb for j in range(m.n_cols)], dtype=np.float64)
        hi = np.array([np.inf if xs[j].ub is None else xs[j].ub for j in range(m.n_cols)], dtype=np.float64)
        return (lo, hi, m.col_integer, rows, (o.vector.indices, o.vector.coefs) if o is not None else None,
                o.sense if o is not None else "min")

    def row_duals(self) -> np.ndarray | None:
        """The model rows' duals (``d objective / d side``) of the last optimal LP solve; ``None`` without them."""
        return None if self._faceable is None else self._faceable[2][:self.model.n_rows]

    def _read_face(self, rc_of, dual_of) -> None:
        """Keep an optimal LP solve's plan, reduced costs and row duals (``None`` without duals) for the face."""
        self._faceable = None
        try:
            n = self.model.n_cols
            xs = self.m.x
            x = np.array([xs[j].value if xs[j].value is not None else np.nan for j in range(n)], dtype=np.float64)
            rc = rc_of([xs[j] for j in range(n)])
            rows = [self.m.rows[i] if i in self.m.rows else None for i in range(self.model.n_rows)]
            locks = list(self.m.locks.values())
            duals = dual_of([c for c in rows if c is not None] + locks)
        except Exception:  # duals are a courtesy: without them the guard row holds the level
            return
        if rc is None or duals is None or np.isnan(x).any():
            return
        row_dual = [0.0 if c is None else duals.get(c) for c in rows] + [duals.get(c) for c in locks]
        col_rc = [rc.get(xs[j]) for j in range(n)]
        if any(v is None for v in row_dual) or any(v is None for v in col_rc):
            return
        self._faceable = (x, np.array(col_rc, dtype=np.float64), np.array(row_dual, dtype=np.float64))

    def solve(self) -> StageRecord:
        t0 = time.perf_counter()
        self._solver_objective = None
        with PYOMO_LOCK:
            if self.persistent:
                term, sol, bound, message = self._solve_persistent()
            else:
                term, sol, bound, message = self._solve_legacy()
                self._duals = None
        elapsed = time.perf_counter() - t0
        x = None
        obj = None
        if sol is not SolutionStatus.NONE:
            vals = [v.value for v in self.m.x.values()]
            x = np.array([np.nan if v is None else v for v in vals], dtype=np.float64)
            missing = np.isnan(x)
            if missing.any():
                x[missing] = fill_missing(self.model, missing)
            if self.objective is not None:
                obj = self.objective.vector.value(x)
        duals = None
        if self.model.is_mip:
            bound = bound_in_stage_terms(obj, self._solver_objective, bound)
        else:
            bound = None
            if sol is not SolutionStatus.NONE and len(self.m.locks) and self._duals is not None:
                duals = self._duals
        return StageRecord(term, sol, obj, x, bound, elapsed, f"pyomo/{self.solver_name}", message, duals)

    def _solve_persistent(self):
        from pyomo.contrib.solver.common.results import SolutionStatus as PS
        from pyomo.contrib.solver.common.results import TerminationCondition as TC

        kwargs = {"load_solutions": False, "raise_exception_on_nonoptimal_result": False, "tee": self.options.verbose}
        if self.options.time_limit is not None:
            kwargs["time_limit"] = self.options.time_limit
        # a gap of 0 unless the user sets one (a stop at HiGHS's default gap, 1e-4, is no proof)
        kwargs["rel_gap"] = self.options.mip_gap if self.options.mip_gap is not None else 0.0
        kwargs["abs_gap"] = 0.0
        if self.options.threads is not None:
            kwargs["threads"] = self.options.threads
        if self.options.solver_options or self.extra_options:
            kwargs["solver_options"] = {**self.options.solver_options, **self.extra_options}
        reset_highs_threads(self.options.threads)
        with quiet_stdout(not self.options.verbose):
            res = self.opt.solve(self.m, **kwargs)
        tc = res.termination_condition
        term = {
            TC.convergenceCriteriaSatisfied: Termination.OPTIMAL, TC.maxTimeLimit: Termination.TIME_LIMIT,
            TC.iterationLimit: Termination.ITERATION_LIMIT, TC.unbounded: Termination.UNBOUNDED,
            TC.provenInfeasible: Termination.INFEASIBLE, TC.locallyInfeasible: Termination.INFEASIBLE,
            TC.infeasibleOrUnbounded: Termination.INFEASIBLE_OR_UNBOUNDED, TC.error: Termination.ERROR,
            TC.interrupted: Termination.INTERRUPTED, TC.emptyModel: Termination.OPTIMAL,
        }.get(tc, Termination.UNKNOWN)
        ss = res.solution_status
        if ss == PS.optimal:
            sol = SolutionStatus.OPTIMAL
        elif ss == PS.feasible:
            sol = SolutionStatus.FEASIBLE
        else:
            sol = SolutionStatus.NONE
        if term is Termination.OPTIMAL and sol is SolutionStatus.FEASIBLE and not self.model.is_mip:
            sol = SolutionStatus.OPTIMAL
        self._duals = None
        self._faceable = None
        if sol is not SolutionStatus.NONE:
            res.solution_loader.load_vars()
            if not self.model.is_mip and term is Termination.OPTIMAL and sol is SolutionStatus.OPTIMAL:
                loader = res.solution_loader
                self._read_face(lambda vs: loader.get_reduced_costs(vs), lambda cs: loader.get_duals(cs))
            if not self.model.is_mip and len(self.m.locks):
                try:
                    cons = list(self.m.locks.values())
                    d = res.solution_loader.get_duals(cons)
                    self._duals = np.array([d.get(c, np.nan) for c in cons], dtype=np.float64)
                except Exception:  # pragma: no cover - duals are a courtesy
                    self._duals = None
        bound = res.objective_bound
        bound = None if bound is None or (isinstance(bound, float) and math.isinf(bound)) else float(bound)
        message = str(tc.name)
        if self.model.is_mip:
            incumbent = res.incumbent_objective
            term, sol, note = proven(term, sol, None if incumbent is None else float(incumbent), bound,
                                     user_gap(self.options), *self._integral())
            message += f" ({note})" if note else ""
            self._solver_objective = None if incumbent is None else float(incumbent)
        return term, sol, bound, message

    def _solve_legacy(self):
        from pyomo.opt import SolverStatus, TerminationCondition as LTC

        fam = family(self.solver_name)
        names = LEGACY_OPTION_NAMES.get(fam, {})
        for k, v in (LEGACY_ZERO_GAP.get(fam, {}) if self.model.is_mip else LP_DUAL_OPTIONS.get(fam, {})).items():
            self.opt.options[k] = v
        for field in ("time_limit", "mip_gap", "threads"):
            value = getattr(self.options, field)
            if value is None:
                continue
            if field not in names:
                raise BackendError(f"goalprog does not know how to pass {field} to the Pyomo solver {self.solver_name!r}",
                                   hint=f"pass it with the solver's own option name: --option NAME={value}")
            self.opt.options[names[field]] = option_value(fam, field, value)
        for k, v in self.options.solver_options.items():
            self.opt.options[k] = v
        try:
            with quiet_stdout(not self.options.verbose), _pyomo_quiet(), _no_relative_programs():
                res = self.opt.solve(self.m, load_solutions=False, tee=self.options.verbose)
                if fam == "glpk" and res.solver.termination_condition == LTC.other and self.options.time_limit is None:
                    self.opt.options["nopresol"] = ""  # glpsol's presolver left it undecided: once more without
                    try:
                        res = self.opt.solve(self.m, load_solutions=False, tee=self.options.verbose)
                    finally:
                        del self.opt.options["nopresol"]
        except Exception as exc:  # the solver program crashed, or its output was not a solver's
            from ...core.errors import SolverError

            why = f"{type(exc).__name__}: {short(exc, 300)}"
            if self.options.solver_path is not None:
                self._not_the_solver(why)
            if native_status.licence_error(self.solver_name, why, self.model):
                raise native_status.licence_error(self.solver_name, why, self.model) from None
            unknown = native_status.option_error(self.solver_name, why, self.options.solver_options)
            if unknown is not None:
                raise unknown from None
            raise SolverError(f"the Pyomo solver {self.solver_name!r} failed ({why})",
                              hint="run again with --verbose to see the solver's log") from None
        tc = res.solver.termination_condition
        if self.options.solver_path is not None and tc in (LTC.unknown, LTC.error):
            self._not_the_solver(f"Pyomo read no termination from it; solver status {res.solver.status}")
        term = {
            LTC.optimal: Termination.OPTIMAL, LTC.globallyOptimal: Termination.OPTIMAL,
            LTC.infeasible: Termination.INFEASIBLE, LTC.unbounded: Termination.UNBOUNDED,
            LTC.infeasibleOrUnbounded: Termination.INFEASIBLE_OR_UNBOUNDED,
            LTC.maxTimeLimit: Termination.TIME_LIMIT, LTC.maxIterations: Termination.ITERATION_LIMIT,
            LTC.maxEvaluations: Termination.NODE_LIMIT, LTC.error: Termination.ERROR,
            # a solution without a proof (glpsol's INTEGER NON-OPTIMAL): the time limit stopped it, if one was set
            LTC.feasible: Termination.TIME_LIMIT if self.options.time_limit is not None else Termination.UNKNOWN,
            # glpsol undecided even without presolve (a MIP whose LP relaxation is unbounded)
            LTC.other: Termination.INFEASIBLE_OR_UNBOUNDED if fam == "glpk" and self.options.time_limit is None
            else Termination.UNKNOWN,
        }.get(tc, Termination.UNKNOWN)
        has = len(res.solution) > 0 and res.solver.status in (SolverStatus.ok, SolverStatus.warning, SolverStatus.aborted)
        native = native_status.read(getattr(self.opt, "_solver_model", None))  # a direct interface's model
        if native is not None:  # the solver's own status (Pyomo's summary merges some of them)
            # the solver's own incumbent counts (Pyomo says status 'unknown' at CPLEX's or SCIP's solution limit)
            term, has = native.termination, len(res.solution) > 0 and native.solution is not SolutionStatus.NONE
            if has and res.solver.status not in (SolverStatus.ok, SolverStatus.warning, SolverStatus.aborted):
                res.solver.status = SolverStatus.aborted  # a limit stopped it with that incumbent: load it
        self._faceable = None
        if has:
            with _pyomo_quiet():  # Pyomo warns on loading a time-limited solution ('aborted' status)
                self.m.solutions.load_from(res)
            if fam == "glpk" and self.model.is_mip:
                self._glpk_fixed_lp()
            if term is Termination.OPTIMAL and hasattr(self.m, "dual"):
                self._read_face(lambda vs: self.m.rc, lambda cs: self.m.dual)
            elif term is Termination.OPTIMAL and fam == "scip" and not self.model.is_mip:  # no suffixes: from SCIP
                from pyomo.common.collections import ComponentMap

                s, vm, cm = self.opt._solver_model, self.opt._pyomo_var_to_solver_var_map, self.opt._pyomo_con_to_solver_con_map
                self._read_face(lambda vs: ComponentMap((v, s.getVarRedcost(vm[v]) if v in vm else 0.0) for v in vs),
                                lambda cs: ComponentMap((c, s.getDualsolLinear(cm[c])) for c in cs if c in cm))
        sol = (SolutionStatus.OPTIMAL if term is Termination.OPTIMAL else SolutionStatus.FEASIBLE) if has else SolutionStatus.NONE
        message, bound = (native.message if native is not None else str(tc)), None
        if has and native is None and fam in TEXT_SOLVERS:
            message += self._polish()
        if self.model.is_mip:
            # Pyomo's classic interfaces read the incumbent and the bound off the solver's log (CBC)
            lower, upper = problem_bounds(res)
            maximising = self.objective is not None and self.objective.sense == "max"
            incumbent, bound = (lower, upper) if maximising else (upper, lower)
            if native is not None:
                incumbent, bound = native.objective, native.bound
            term, sol, note = proven(term, sol, incumbent, bound, user_gap(self.options), *self._integral())
            message += f" ({note})" if note else ""
            self._solver_objective = incumbent
        return term, sol, bound, message

    def _glpk_fixed_lp(self) -> None:
        """The continuous columns of glpsol's MIP plan re-solved as an LP with the integer columns
        fixed at their whole values (see ``PulpSession._glpk_fixed_lp``); kept when optimal."""
        from pyomo.opt import TerminationCondition as LTC

        ints = [v for v in self.m.x.values() if v.is_integer() and v.value is not None]
        for v in ints:
            v.fix(float(round(v.value)))
        try:  # on any failure the MIP plan stands as glpsol wrote it
            with contextlib.suppress(Exception), quiet_stdout(not self.options.verbose), _pyomo_quiet(), \
                    _no_relative_programs():
                res = self.opt.solve(self.m, load_solutions=False, tee=self.options.verbose)
                if res.solver.termination_condition == LTC.optimal and len(res.solution):
                    self.m.solutions.load_from(res)
        finally:
            for v in ints:
                v.unfix()

    def _polish(self) -> str:
        """Put the plan a solver program wrote as text back to double precision (see
        :func:`~goalprog.solve.backends.polish.polish_plan`); returns a note when it could not."""
        xs = self.m.x
        x = np.array([np.nan if xs[j].value is None else xs[j].value for j in range(self.model.n_cols)], dtype=np.float64)
        done = None if np.isnan(x).any() else polish_plan(x, *self._polish_inputs())
        if done is None:
            return " (values as the solver wrote them, not polished)"
        for j, v in enumerate(done.tolist()):
            xs[j].set_value(v, skip_validation=True)
        return ""


def _not_the_solver_error(path: str, solver: str, why: str):
    from ...core.errors import SolverError

    return SolverError(f"the executable {short(path, 200)} did not behave like the solver {solver!r} ({short(why, 300)})",
                       hint="check --solver-path (a trusted executable) and name its kind with --solver NAME")


class PyomoBackend(Backend):
    """Pyomo model; HiGHS through Pyomo's persistent interface by default, any Pyomo solver by name."""

    name = "pyomo"

    def available(self) -> tuple[bool, str]:
        try:
            import pyomo  # noqa: F401
        except ImportError as exc:  # pragma: no cover - pyomo is a dependency
            return False, f"pyomo is not installed ({exc})"
        return True, ""

    def session(self, model: LinearModel, options: SolveOptions) -> Session:
        return PyomoSession(model, options)
