"""The ``pulp`` backend: the IR as a PuLP ``LpProblem``, solved with HiGHS by default.

Columns are named ``x0, x1, ...`` and rows ``r0, r1, ...`` inside PuLP, so user names never
clash with PuLP's name cleaning; results map back through the IR's origins.  With HiGHS (PuLP's
``HiGHS`` API class) the termination and solution status are read from the HiGHS instance itself,
not from PuLP's summary status (which calls a time-limited MIP stop "Optimal").  Any other PuLP
solver is available by name (``cbc``, ``glpk``, ``highs_cmd`` or PuLP's own class names).
"""

from __future__ import annotations

import math
import os
import re
import time

import numpy as np

from ...core.errors import BackendError, did_you_mean
from ...model.ir import ExtraRow, LinearModel, Objective
from ...core.status import SolutionStatus, Termination
from .base import (DUAL_TOLERANCE, Backend, FaceRestriction, at_bound, fill_missing, Session, SolveOptions, StageRecord, check_highs_options, highs_status, quiet_stdout,
                   reset_highs_threads)
from .gaps import bound_in_stage_terms, integral_level, proven, user_gap
from .polish import PRINT_ROUNDING, polish_plan
from . import native_status
from .pulp_solvers import (API_CLASSES, GLPK_INTEGER_PLAN, glpk_class, glpk_outcome, pulp_class_name, scip_class,
                           solver_arguments)
from ...spec.solvers import PULP_CLASS_NAMES, PULP_CMD_CLASSES, find_program, is_path_like, short

_ALIASES = PULP_CLASS_NAMES


def _make_solver(pulp, options: SolveOptions):
    name = options.solver or "highs"
    if is_path_like(name):
        raise BackendError(f"the solver is named, not given as a path: {short(name)!r}",
                           hint="run an executable with --solver-path PATH (solver_path= in Python)")
    cls_name = pulp_class_name(name)
    known = pulp.listSolvers()
    if cls_name not in known:
        raise BackendError(f"PuLP has no solver {short(name)!r}",
                           hint=did_you_mean(name, list(_ALIASES) + known) or f"PuLP knows: {', '.join(_ALIASES)}")
    if options.solver_path is not None:
        alias = {v: k for k, v in _ALIASES.items()}.get(cls_name, name.lower())
        cls_name = PULP_CMD_CLASSES.get(alias)
        if cls_name is None or getattr(pulp, cls_name, None) is None:
            runs = sorted(a for a, c in PULP_CMD_CLASSES.items() if getattr(pulp, c, None) is not None)
            raise BackendError(f"PuLP cannot run the solver {name!r} as a program (--solver-path)",
                               hint=f"PuLP runs these solvers from a path: {', '.join(runs)}")
    kwargs = {"msg": bool(options.verbose)}
    if options.time_limit is not None:
        kwargs["timeLimit"] = options.time_limit
    kwargs.update(gap_arguments(getattr(pulp, cls_name, None), options))
    if options.threads is not None:
        kwargs["threads"] = options.threads
    solver_arguments(cls_name, options, kwargs)
    kwargs.update(options.solver_options)
    if options.solver_path is not None:
        kwargs["path"] = options.solver_path
    try:
        cls = {"GLPK_CMD": glpk_class, "SCIP_PY": scip_class}.get(cls_name, lambda p: getattr(p, cls_name, None))(pulp)
        if cls is None:  # pragma: no cover - a solver PuLP lists but does not export
            solver = pulp.getSolver(cls_name, **kwargs)
        else:
            solver = cls(**kwargs)  # not getSolver: a HiGHS option called "solver" would clash with its argument
    except TypeError as exc:
        err = native_status.option_error(name, str(exc), options.solver_options, class_keywords(cls))
        if err is not None:
            raise err from None
        raise BackendError(f"the PuLP solver {name!r} rejected its options: {exc}")
    if options.solver_path is None:
        _check_installed(pulp, solver, name)
    return solver


def class_keywords(cls) -> list[str]:
    """The keyword arguments a PuLP solver class takes by name (``[]`` when unknown)."""
    import inspect

    try:
        params = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError, AttributeError):  # pragma: no cover - a class without a signature
        return []
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [p for p, v in params.items() if p != "self" and not p.startswith("_") and v.kind in kinds]


def gap_arguments(cls, options: SolveOptions) -> dict:
    """PuLP's gap keywords for the solver class ``cls``: ``gapRel`` the user's ``mip_gap`` or 0,
    ``gapAbs`` 0, each where the class takes it by name (HiGHS, HiGHS_CMD, PULP_CBC_CMD, COIN_CMD,
    CPLEX_CMD, GUROBI_CMD, SCIP_CMD, FSCIP_CMD; XPRESS only ``gapRel``).  Classes that take options
    only as ``**kwargs`` (GUROBI, COPT, MOSEK, CPLEX_PY, ...) pass a gap of 0 on as "no gap" (PuLP
    tests ``if gapRel:``), so they keep their solver's default: a gap stop there is caught only
    from a bound, or when the user set a gap (see :mod:`goalprog.solve.backends.gaps`)."""
    import inspect

    try:
        params = inspect.signature(cls.__init__).parameters if cls is not None else {}
    except (TypeError, ValueError):  # pragma: no cover - a class without a signature
        params = {}
    out = {}
    if "gapRel" in params:
        out["gapRel"] = float(options.mip_gap) if options.mip_gap is not None else 0.0
    elif options.mip_gap is not None:
        out["gapRel"] = options.mip_gap
    if "gapAbs" in params:
        out["gapAbs"] = 0.0
    return out


def _check_installed(pulp, solver, name: str) -> None:
    """Make sure ``solver`` is installed, and that a PuLP solver that runs a program runs one found
    in the absolute folders of ``PATH`` (or PuLP's bundled CBC), never one in the current folder.

    PuLP's command-line solvers (``LpSolver_CMD``) keep a bare program name (``cbc``, ``glpsol``,
    ``highs``, ...) and look it up with ``shutil.which``, then run it by that name: an empty, ``.``
    or relative ``PATH`` entry makes both find a program in the current folder.  So the name is
    replaced by the absolute path :func:`~goalprog.spec.solvers.find_program` finds.  Never calls
    ``available()`` of another solver (PuLP's ``GUROBI_CMD.available()`` runs its program).
    Raises :class:`~goalprog.core.errors.BackendError` when the solver is not installed."""
    install = native_status.INSTALL.get(name.lower())
    missing = BackendError(f"the PuLP solver {name!r} is not installed on this machine",
                           hint=f"{install}; or use --solver highs (installed with goalprog)" if install else
                           "use --solver highs (installed with goalprog), or install the solver; a program "
                                "is looked up in the absolute folders of PATH only, never the current folder: "
                                "give it with --solver-path PATH if you trust it")
    cmd = getattr(pulp, "LpSolver_CMD", None)
    if cmd is None or not isinstance(solver, cmd) or solver.name in ("SAS94", "SASCAS"):  # SAS: through saspy
        ok = False
        try:
            ok = bool(solver.available())  # a library in this process (highspy, gurobipy, ...)
        except Exception:
            ok = False
        if not ok:
            raise missing
        return
    path = os.fspath(solver.path) if solver.path is not None else ""
    if os.path.isabs(path):  # PuLP's bundled CBC
        found = path if os.path.isfile(path) and os.access(path, os.X_OK) else None
    else:
        found = find_program(path)
    if found is None:
        raise missing
    if solver.name == "CHOCO_CMD":
        # CHOCO's path is a jar that PuLP runs with the program `java`, found by name when it runs
        import shutil

        java = find_program(solver.executableExtension("java"))
        if java is None or shutil.which(solver.executableExtension("java")) != java:
            raise missing
    solver.path = found


PULP_HIGHS_ARGUMENTS = frozenset({"mip", "msg", "gapAbs", "gapRel", "threads", "timeLimit", "callbackTuple"})
"""Keyword arguments of PuLP's ``HiGHS`` class itself; every other keyword is a HiGHS option."""


class PulpSession(Session):
    def __init__(self, model: LinearModel, options: SolveOptions):
        import pulp

        self.pulp = pulp
        self.model = model
        self.options = options
        self.solver = _make_solver(pulp, options)
        if self.solver.name == "CPLEX_PY" and not model.is_mip:
            self.solver.mip = False  # else PuLP hands CPLEX an LP as a MILP: no duals, no optimal face
        if self.solver.name == "SCIP_PY" and hasattr(self.solver, "lp_duals"):
            self.solver.lp_duals = not model.is_mip
        if self.solver.name == "HiGHS":  # PuLP's own arguments (timeLimit, gapRel, ...) are not HiGHS options
            check_highs_options({k: v for k, v in options.solver_options.items() if k not in PULP_HIGHS_ARGUMENTS})
        self.prob = pulp.LpProblem("goalprog", pulp.LpMinimize)
        cat_int, cat_cont = pulp.LpInteger, pulp.LpContinuous
        # PuLP >= 3.3 attaches variables to the problem (prob.add_variable); older PuLP has only LpVariable
        new_var = getattr(self.prob, "add_variable", None) or pulp.LpVariable
        self.vars = [
            new_var(f"x{j}", None if math.isinf(lo) else float(lo), None if math.isinf(hi) else float(hi),
                    cat_int if integer else cat_cont)
            for j, (lo, hi, integer) in enumerate(zip(model.col_lower.tolist(), model.col_upper.tolist(),
                                                      model.col_integer.tolist()))
        ]
        indptr = model.indptr.tolist()
        cols = model.indices.tolist()
        vals = model.data.tolist()
        v = self.vars
        self.row_cons: list[list] = []
        for i, (lo, hi) in enumerate(zip(model.row_lower.tolist(), model.row_upper.tolist())):
            a, b = indptr[i], indptr[i + 1]
            self.row_cons.append(self._add(f"r{i}", [(v[j], c) for j, c in zip(cols[a:b], vals[a:b])], 0.0, lo, hi))
        self.n_extra = 0
        self.extra_cons: list[list] = []
        self.extra_rows: list[ExtraRow] = []
        self.last_x: np.ndarray | None = None  # the plan of the latest optimal LP solve
        self.face_cols: dict[int, tuple] = {}  # column -> its bounds before any face restriction
        self.face_names: list[str] = []        # the equality rows face restrictions added
        self.face_eqs: list[tuple] = []         # (indices, coefficients, value) of each of them
        self.objective: Objective | None = None

    def _add(self, name, pairs, constant, lo, hi) -> list:
        """Add ``lo <= sum(pairs) + constant <= hi`` as one or two PuLP constraints; returns them."""
        pulp = self.pulp
        made = []
        if math.isinf(lo) and math.isinf(hi):
            return made
        if not math.isinf(lo) and lo == hi:
            made.append((pulp.LpConstraint(pulp.LpAffineExpression(pairs), pulp.LpConstraintEQ, rhs=lo - constant), name))
        else:
            if not math.isinf(lo):
                made.append((pulp.LpConstraint(pulp.LpAffineExpression(pairs), pulp.LpConstraintGE, rhs=lo - constant),
                             name + ("_lo" if not math.isinf(hi) else "")))
            if not math.isinf(hi):
                made.append((pulp.LpConstraint(pulp.LpAffineExpression(pairs), pulp.LpConstraintLE, rhs=hi - constant),
                             name + ("_hi" if not math.isinf(lo) else "")))
        for con, cname in made:
            self.prob.addConstraint(con, cname)
        return [con for con, _ in made]

    def set_objective(self, objective: Objective) -> None:
        pulp = self.pulp
        vec = objective.vector
        expr = pulp.LpAffineExpression([(self.vars[j], c) for j, c in zip(vec.indices.tolist(), vec.coefs.tolist())],
                                       constant=vec.constant)
        self.prob.setObjective(expr)
        self.prob.sense = pulp.LpMaximize if objective.sense == "max" else pulp.LpMinimize
        self.objective = objective

    def _integral(self) -> tuple[bool, str]:
        """(whether the objective takes whole-number values only, its sense), for :func:`proven`."""
        o = self.objective
        return (o is not None and integral_level(self.model, o)), (o.sense if o is not None else "min")

    def set_option(self, name: str, value) -> None:
        if self.solver.name == "HiGHS":
            self.solver.optionsDict[name] = value
        elif self.solver.name == "SCIP_PY":  # a SCIP parameter (e.g. numerics/feastol, strategies/mip_check.py)
            self.solver.params = {**getattr(self.solver, "params", {}), name: value}

    def add_row(self, row: ExtraRow) -> None:
        vec = row.vector
        made = self._add(f"lock{self.n_extra}", [(self.vars[j], c) for j, c in zip(vec.indices.tolist(), vec.coefs.tolist())],
                         vec.constant, row.lower, row.upper)
        self.extra_cons.append(made)
        self.extra_rows.append(row)
        self.n_extra += 1
        self.last_x = None  # a new row: the latest solution no longer says what is optimal

    def row_duals(self) -> np.ndarray | None:
        """The model rows' duals (PuLP's ``pi``, ``d objective / d side``) of the last optimal LP solve; ``None``
        for a MIP, after a solve that was not optimal, or when the solver gave none."""
        if self.model.is_mip or self.last_x is None:
            return None
        pis = [[c.pi for c in group] for group in self.row_cons]
        return None if any(p is None for g in pis for p in g) else np.array([sum(g) for g in pis], dtype=np.float64)

    def restrict_to_optimal_face(self, budget: float = 0.0, fix: bool = False,
                                 dual_tol: float | None = None) -> FaceRestriction | None:
        """The optimal face of the LP just solved (``budget`` 0 only: with a lock slack the lock row
        alone holds the level here), from PuLP's reduced costs (``dj``) and duals (``pi``):
        columns with a nonzero reduced cost fixed at their bound, rows with a nonzero dual made
        equalities at their active side (see :func:`~goalprog.solve.backends.base.at_bound`).
        ``None`` for a MIP, after a solve that was not optimal, or when the solver gave no duals."""
        x = self.last_x
        if self.model.is_mip or x is None or budget > 0.0:
            return None
        handed = {id(v) for v in self.prob.variables()}  # PuLP leaves out columns in no row and no objective:
        dj = [0.0 if v.dj is None and id(v) not in handed else v.dj for v in self.vars]  # their reduced cost is 0
        cons = self.row_cons + self.extra_cons
        pis = [[c.pi for c in group] for group in cons]
        if any(d is None for d in dj) or any(p is None for group in pis for p in group):
            return None
        m = self.model
        rows_value = np.concatenate([m.row_activity(x), [r.vector.value(x) - r.vector.constant for r in self.extra_rows]])
        rows_lo = np.concatenate([m.row_lower, [r.lower - r.vector.constant for r in self.extra_rows]])
        rows_hi = np.concatenate([m.row_upper, [r.upper - r.vector.constant for r in self.extra_rows]])
        rows_dual = np.array([sum(group) for group in pis], dtype=np.float64)
        lo = np.array([-np.inf if v.lowBound is None else v.lowBound for v in self.vars], dtype=np.float64)
        hi = np.array([np.inf if v.upBound is None else v.upBound for v in self.vars], dtype=np.float64)
        tol = DUAL_TOLERANCE if dual_tol is None else dual_tol
        cols, c_val = at_bound(x, np.array(dj, dtype=np.float64), lo, hi, tol)
        rows, r_val = at_bound(rows_value, rows_dual, rows_lo, rows_hi, tol)
        for j, val in zip(cols.tolist(), c_val.tolist()):
            v = self.vars[j]
            self.face_cols.setdefault(j, (v.lowBound, v.upBound))
            v.lowBound = v.upBound = val
        pulp = self.pulp
        for i, val in zip(rows.tolist(), r_val.tolist()):
            if i < m.n_rows:
                idx, coefs = m.row(i)
                pairs = [(self.vars[j], c) for j, c in zip(idx.tolist(), coefs.tolist())]
            else:
                vec = self.extra_rows[i - m.n_rows].vector
                pairs = [(self.vars[j], c) for j, c in zip(vec.indices.tolist(), vec.coefs.tolist())]
            name = f"face{len(self.face_names)}"
            self.prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(pairs), pulp.LpConstraintEQ, rhs=val), name)
            self.face_names.append(name)
            self.face_eqs.append((np.asarray(idx if i < m.n_rows else vec.indices, dtype=np.int64),
                                  np.asarray(coefs if i < m.n_rows else vec.coefs, dtype=np.float64), float(val)))
        return FaceRestriction(int(len(cols)), int(len(rows)), 0.0, tol, False, cols.astype(np.int64), c_val,
                               c_val.copy(), rows.astype(np.int64), r_val, r_val.copy())

    def undo_face_restrictions(self) -> bool:
        if not self.face_cols and not self.face_names:
            return False
        for j, (lo, hi) in self.face_cols.items():
            self.vars[j].lowBound, self.vars[j].upBound = lo, hi
        for name in self.face_names:
            self.prob.constraints.pop(name, None)
        self.face_cols.clear()
        self.face_names.clear()
        self.face_eqs.clear()
        return True

    def solve(self) -> StageRecord:
        pulp = self.pulp
        t0 = time.perf_counter()
        self.prob.solverModel = None
        failure = None
        if self.solver.name == "HiGHS":
            reset_highs_threads(self.options.threads)
        if self.solver.name == "GUROBI" and getattr(self.solver, "init_gurobi", False):
            # PuLP's GUROBI adds every constraint again to its model and keeps the first objective:
            # a new solver object (a new Gurobi model) for every solve
            self.solver.close()
            self.solver = _make_solver(pulp, self.options)
        if hasattr(self.solver, "glpk_status"):
            self.solver.glpk_status = self.solver.glpk_duals = None
        log = _cbc_log_file(self.solver, self.model.is_mip and not self.options.verbose)
        try:
            with quiet_stdout(not self.options.verbose):
                self.prob.solve(self.solver)
                if getattr(self.solver, "glpk_status", "") == "UNDEFINED" and self.options.time_limit is None:
                    # glpsol's presolver stops undecided on an infeasible or unbounded LP: solve again without it
                    self.solver.options = [*self.solver.options, "--nopresol"]
                    try:
                        self.prob.solve(self.solver)
                    finally:
                        self.solver.options = self.solver.options[:-1]
                if self.model.is_mip and getattr(self.solver, "glpk_status", None) in GLPK_INTEGER_PLAN:
                    self._glpk_fixed_lp()
        except Exception as exc:  # PuLP's own failures, e.g. its HiGHS interface on statuses it does not map
            failure = f"{type(exc).__name__}: {exc}"
        finally:
            cbc = _read_cbc_log(self.solver, log)
        elapsed = time.perf_counter() - t0
        licence = failure and native_status.licence_error(self.options.solver or self.solver.name, failure, self.model)
        if licence:
            raise licence
        unknown = failure and native_status.option_error(self.options.solver or self.solver.name, failure,
                                                         self.options.solver_options)
        if unknown:
            raise unknown
        bound = None
        solver_obj = None  # the solver's own objective value and bound, for the proof of a MIP stage
        h = getattr(self.prob, "solverModel", None)
        if self.solver.name == "HiGHS" and h is not None:
            # read the outcome from HiGHS itself (PuLP assigns values before it maps the status)
            term, sol, bound = highs_status(h)
            message = str(h.getModelStatus())
            solver_obj = float(h.getInfo().objective_function_value)
            if self.objective is not None and self.objective.sense == "max":
                # PuLP hands HiGHS the negated objective of a maximisation
                bound = -bound if bound is not None else None
                solver_obj = -solver_obj
        elif self.solver.name in API_CLASSES and h is not None and native_status.family(h) is not None:
            # Gurobi, CPLEX, SCIP in this process: read the outcome from the solver's own model
            out = native_status.read(h)
            term, sol, solver_obj, bound, message = (out.termination, out.solution, out.objective, out.bound,
                                                     out.message)
            if failure is not None and sol is SolutionStatus.NONE:  # PuLP failed before the solve (a bad option)
                term, message = Termination.ERROR, failure
                bad = re.search(r"has no attribute '([^']+)'", failure)
                if self.solver.name == "CPLEX_PY" and bad:
                    message = (f"CPLEX has no parameter {bad.group(1)!r} (PuLP's cplex takes CPLEX's parameter "
                               f"path with dots, e.g. --option mip.tolerances.mipgap=0.01)")
        elif failure is not None:
            if self.options.solver_path is not None:
                self._not_the_solver(failure)
            return StageRecord(Termination.ERROR, SolutionStatus.NONE, None, None, None, elapsed,
                               f"pulp/{self.solver.name}", failure)
        else:
            term, sol = _pulp_status(self.prob.status, getattr(self.prob, "sol_status", None))
            message = pulp.LpStatus.get(self.prob.status, str(self.prob.status))
            if getattr(self.solver, "glpk_duals", None) is not None:  # an LP's duals, for its optimal face
                self.prob.assignConsPi(self.solver.glpk_duals[0])
                self.prob.assignVarsDj(self.solver.glpk_duals[1])
            if getattr(self.solver, "glpk_status", None) is not None:  # glpsol's own status line
                term, sol = glpk_outcome(self.solver.glpk_status, self.options.time_limit is not None,
                                         user_gap(self.options), self.model.is_mip)
                message = f"GLPK {self.solver.glpk_status}"
            if self.options.solver_path is not None and sol is SolutionStatus.NONE and self.prob.status in (0, -3):
                self._not_the_solver(f"PuLP read no result from it: status {message}")
            if cbc is not None:  # CBC's log says how it stopped, and with which objective and bound
                solver_obj, bound = cbc.objective, cbc.bound
                if cbc.limit is not None and sol is not SolutionStatus.NONE:
                    term = cbc.limit
                    message += f" (CBC: {cbc.result})"
                elif cbc.optimal and sol is not SolutionStatus.NONE and bound is None:
                    bound = solver_obj  # CBC finished its tree (no gap stop, no limit): a proof
        x = None
        obj = None
        self.last_x = None
        if sol is not SolutionStatus.NONE:
            x = np.array([_value(v) for v in self.vars], dtype=np.float64)
            missing = np.isnan(x)
            if missing.any():  # columns in no row and not in the objective: at the bound nearest 0
                x[missing] = fill_missing(self.model, missing)
            if isinstance(self.solver, pulp.LpSolver_CMD):  # a program wrote its plan as text (CBC: 8 digits)
                polished = self._polish(x)
                if polished is None:
                    message += " (values as the solver wrote them, not polished: about 8 significant digits)"
                x = x if polished is None else polished
            if self.objective is not None:
                obj = self.objective.vector.value(x)
        duals = None
        if self.model.is_mip:
            term, sol, note = proven(term, sol, solver_obj, bound, user_gap(self.options), *self._integral())
            message += f" ({note})" if note else ""
            bound = bound_in_stage_terms(obj, solver_obj, bound)
        else:
            bound = None
            if sol is SolutionStatus.OPTIMAL and term is Termination.OPTIMAL:
                self.last_x = x
            if sol is not SolutionStatus.NONE and self.extra_cons:
                duals = np.array([sum(c.pi for c in cons) if all(c.pi is not None for c in cons) else np.nan
                                  for cons in self.extra_cons], dtype=np.float64)
        return StageRecord(term, sol, obj, x, bound, elapsed, f"pulp/{self.solver.name}", message, duals)


    def polished_plan(self, x) -> np.ndarray | None:
        """The final plan of a solve (any PuLP solver; a MIP's with its integer columns on whole
        numbers) without its last-bit noise (``rel`` ``LAST_BITS``, on the model's own rows only:
        a program's plan, polished by :meth:`solve` against the lock rows too, inherits their
        sides' last bits); ``None`` when it cannot be polished safely."""
        from .polish import LAST_BITS

        return self._polish(np.asarray(x, dtype=np.float64), LAST_BITS, self.model.n_rows)

    def _glpk_fixed_lp(self) -> None:
        """glpsol rounds the integer columns of a MIP plan (off by up to its ``tol_int``, 1e-5) and
        leaves the continuous ones, so rows miss by up to about 1e-5: solve the LP with the integer
        columns fixed at those whole values (the *fixed model* Gurobi and CPLEX use) and keep its
        continuous columns when it is optimal.  glpsol's MIP status stays the stage's status."""
        pulp = self.pulp
        ints = [v for v in self.vars if v.cat == pulp.LpInteger and v.varValue is not None]
        saved = [(v.lowBound, v.upBound) for v in ints]
        status, values, ok = self.solver.glpk_status, [v.varValue for v in self.vars], False
        try:
            for v in ints:
                v.lowBound = v.upBound = float(round(v.varValue))
                v.cat = pulp.LpContinuous
            self.prob.solve(self.solver)
            ok = self.solver.glpk_status == "OPTIMAL"
        except Exception:  # the MIP plan stands as glpsol wrote it
            ok = False
        finally:
            for v, (lo, hi) in zip(ints, saved):
                v.lowBound, v.upBound, v.cat = lo, hi, pulp.LpInteger
            self.solver.glpk_status, self.solver.glpk_duals = status, None
        if not ok:
            for v, val in zip(self.vars, values):
                v.varValue = val

    def _polish(self, x: np.ndarray, rel: float = PRINT_ROUNDING, targets: int | None = None) -> np.ndarray | None:
        """``x`` without the solver's print rounding (:func:`~goalprog.solve.backends.polish.polish_plan`)
        on the model as solved now: the model's rows, the lock rows, the face equalities and the
        columns' current bounds."""
        m = self.model
        rows = [(*m.row(i), float(m.row_lower[i]), float(m.row_upper[i])) for i in range(m.n_rows)]
        rows += [(r.vector.indices, r.vector.coefs, r.lower - r.vector.constant, r.upper - r.vector.constant)
                 for r in self.extra_rows]
        rows += [(idx, coefs, val, val) for idx, coefs, val in self.face_eqs]
        lo = np.array([-np.inf if v.lowBound is None else v.lowBound for v in self.vars], dtype=np.float64)
        hi = np.array([np.inf if v.upBound is None else v.upBound for v in self.vars], dtype=np.float64)
        o = self.objective
        obj = (o.vector.indices, o.vector.coefs) if o is not None else None
        return polish_plan(x, lo, hi, m.col_integer, rows, obj, o.sense if o is not None else "min", rel, targets)

    def _not_the_solver(self, why: str):
        from ...core.errors import SolverError

        raise SolverError(f"the executable {short(self.options.solver_path, 200)} did not behave like the solver "
                          f"{self.options.solver!r} ({short(why, 300)})",
                          hint="check --solver-path (a trusted executable) and name its kind with --solver NAME")


class _CbcOutcome:
    """What CBC's log says about a MIP solve: ``optimal`` (it finished its tree or stopped at its
    gap), ``limit`` (a :class:`Termination` for a time/node/iteration stop, else ``None``), its
    objective value and bound in the problem's sense (``None`` where the log has none)."""

    def __init__(self, optimal: bool, limit, objective, bound, result: str = ""):
        self.optimal, self.limit, self.objective, self.bound, self.result = optimal, limit, objective, bound, result


def _cbc_log_file(solver, active: bool) -> str | None:
    """For CBC through PuLP (``PULP_CBC_CMD``, ``COIN_CMD``) on a MIP, not verbose: a new temporary
    file for its log (PuLP's ``logPath``), read by :func:`_read_cbc_log`; else ``None``.  (A
    verbose run shows the log instead, and the proof then rests on the gap asked for.)"""
    if not active or solver.name not in ("PULP_CBC_CMD", "COIN_CMD") or solver.optionsDict.get("logPath"):
        return None  # (a log file the user asked for is left alone)
    import tempfile

    fd, path = tempfile.mkstemp(prefix="goalprog-cbc-", suffix=".log")
    os.close(fd)
    solver.optionsDict["logPath"] = path
    return path


def _read_cbc_log(solver, path: str | None) -> _CbcOutcome | None:
    """Parse (and delete) the log :func:`_cbc_log_file` asked CBC to write.  CBC ends a MIP log
    with ``Result - Optimal solution found`` (``(within gap tolerance)`` after a gap stop) or
    ``Result - Stopped on time limit`` / ``on iterations or time`` / ``on nodes``, then
    ``Objective value:``, and after a stop ``Lower bound:`` (``Upper bound:`` when maximising) and
    ``Gap:``."""
    if path is None:
        return None
    solver.optionsDict.pop("logPath", None)
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    finally:
        try:
            os.remove(path)
        except OSError:
            pass

    def number(line):
        try:
            return float(line.split(":", 1)[1].split()[0])
        except (IndexError, ValueError):
            return None

    result = next((ln for ln in lines if ln.startswith("Result - ")), None)
    if result is None:
        return None
    objective = next((number(ln) for ln in lines if ln.startswith("Objective value:")), None)
    bound = next((number(ln) for ln in lines if ln.startswith(("Lower bound:", "Upper bound:"))), None)
    limit = None
    if result.startswith("Result - Stopped on time"):
        limit = Termination.TIME_LIMIT
    elif result.startswith("Result - Stopped on iterations"):
        limit = Termination.ITERATION_LIMIT
    elif result.startswith("Result - Stopped on node"):
        limit = Termination.NODE_LIMIT
    return _CbcOutcome(result.startswith("Result - Optimal solution found"), limit, objective, bound,
                       result[len("Result - "):].strip())


def _value(v) -> float:
    val = v.varValue
    return float("nan") if val is None else float(val)


def _pulp_status(status: int, sol_status: int | None) -> tuple[Termination, SolutionStatus]:
    # PuLP: status 1 optimal, 0 not solved, -1 infeasible, -2 unbounded, -3 undefined
    # sol_status: 1 optimal, 2 integer feasible, 0 none, -1 infeasible, -2 unbounded
    if status == 1:
        if sol_status in (None, 1):
            return Termination.OPTIMAL, SolutionStatus.OPTIMAL
        if sol_status == 2:
            return Termination.UNKNOWN, SolutionStatus.FEASIBLE
        return Termination.UNKNOWN, SolutionStatus.NONE
    if status == -1:
        return Termination.INFEASIBLE, SolutionStatus.NONE
    if status == -2:
        return Termination.UNBOUNDED, SolutionStatus.NONE
    if status == 0 and sol_status == 2:
        return Termination.UNKNOWN, SolutionStatus.FEASIBLE
    return Termination.UNKNOWN, SolutionStatus.NONE


class PulpBackend(Backend):
    """PuLP model, any PuLP solver (HiGHS by default)."""

    name = "pulp"

    def available(self) -> tuple[bool, str]:
        try:
            import pulp  # noqa: F401
        except ImportError as exc:  # pragma: no cover - pulp is a dependency
            return False, f"pulp is not installed ({exc})"
        return True, ""

    def session(self, model: LinearModel, options: SolveOptions) -> Session:
        return PulpSession(model, options)
