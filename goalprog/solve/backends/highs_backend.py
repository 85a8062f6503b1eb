"""The ``highs`` backend: the IR handed to highspy as sparse arrays, one persistent instance.

No per-term Python objects are built: columns, bounds and the row-wise CSR matrix go to HiGHS in
one ``passModel`` call.  A preemptive chain re-solves the same instance, so each level starts from
the previous level's basis (warm start); only the objective changes and lock rows are added.
"""

from __future__ import annotations

import time

import numpy as np

from ...core.errors import BackendError
from ...model.ir import ExtraRow, LinearModel, Objective
from ...core.status import SolutionStatus
from .base import (Backend, FaceRestriction, Session, SolveOptions, StageRecord, check_highs_options, highs_status,
                   new_highs, reset_highs_threads)
from .gaps import integral_level, proven, user_gap


def highs_lp(col_lower, col_upper, col_integer, indptr, indices, data, row_lower, row_upper, cost=None):
    """A ``highspy.HighsLp`` from row-wise CSR arrays (infinite bounds as HiGHS's infinity).

    Shapes: ``col_*`` length n, ``indptr`` length m + 1, ``indices``/``data`` the nonzeros,
    ``row_*`` length m; ``cost`` length n (zeros when omitted).  Minimisation, no offset.
    """
    import highspy

    inf = highspy.kHighsInf
    n, m = len(col_lower), len(row_lower)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = np.zeros(n) if cost is None else np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.where(np.isinf(col_lower), -inf, col_lower)
    lp.col_upper_ = np.where(np.isinf(col_upper), inf, col_upper)
    lp.row_lower_ = np.where(np.isinf(row_lower), -inf, row_lower)
    lp.row_upper_ = np.where(np.isinf(row_upper), inf, row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.asarray(indptr, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(data, dtype=np.float64)
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m
    if np.any(col_integer):
        lp.integrality_ = [highspy.HighsVarType.kInteger if b else highspy.HighsVarType.kContinuous
                           for b in col_integer]
    return lp


class HighsSession(Session):
    def __init__(self, model: LinearModel, options: SolveOptions):
        import highspy

        if options.solver not in (None, "highs"):
            raise BackendError(f"the highs backend solves with HiGHS only, not {options.solver!r}",
                               hint="use --backend pulp or --backend pyomo for other solvers")
        self.model = model
        self.options = options
        h = new_highs(options.verbose)
        self.h = h
        inf = highspy.kHighsInf
        lp = highs_lp(model.col_lower, model.col_upper, model.col_integer, model.indptr, model.indices, model.data,
                      model.row_lower, model.row_upper)
        n = model.n_cols
        status = h.passModel(lp)
        if status == highspy.HighsStatus.kError:
            raise BackendError("HiGHS rejected the model")
        if options.time_limit is not None:
            h.setOptionValue("time_limit", float(options.time_limit))
        # a gap of 0 unless the user sets one: a stop at HiGHS's default gap (1e-4) is no proof
        h.setOptionValue("mip_rel_gap", float(options.mip_gap) if options.mip_gap is not None else 0.0)
        h.setOptionValue("mip_abs_gap", 0.0)
        if options.threads is not None:
            h.setOptionValue("threads", int(options.threads))
        check_highs_options(options.solver_options)
        for k, v in options.solver_options.items():
            h.setOptionValue(str(k), v)
        self.inf = inf
        self.n = n
        self.offset = 0.0
        self.sense = "min"
        self.objective: Objective | None = None
        # bounds as HiGHS holds them (rows added later appended), for face restrictions and undo
        self.col_lo = np.array(model.col_lower, dtype=np.float64)
        self.col_hi = np.array(model.col_upper, dtype=np.float64)
        self.row_lo = list(np.asarray(model.row_lower, dtype=np.float64))
        self.row_hi = list(np.asarray(model.row_upper, dtype=np.float64))
        self.added: list[tuple[np.ndarray, np.ndarray]] = []  # rows added (lock rows), for polished_plan
        # per narrowed column/row: which restriction set its bound, d(bound)/d(budget), which side moved
        self.n_faces = 0
        self.col_owner = np.full(n, -1, dtype=np.int64)
        self.col_rate = np.zeros(n)
        self.col_upper_moved = np.zeros(n, dtype=bool)
        self.row_face: dict[int, tuple[int, float, bool]] = {}
        self.orig_row: dict[int, tuple[float, float]] = {}  # row -> its bounds before any face restriction

    def set_objective(self, objective: Objective) -> None:
        import highspy

        cost = np.zeros(self.n)
        np.add.at(cost, objective.vector.indices, objective.vector.coefs)
        self.h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), cost)
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize if objective.sense == "max" else highspy.ObjSense.kMinimize)
        self.offset = objective.vector.constant
        self.h.changeObjectiveOffset(self.offset)
        self.sense = objective.sense
        self.objective = objective

    def _integral(self) -> tuple[bool, str]:
        """(whether the objective takes whole-number values only, its sense), for :func:`proven`."""
        o = self.objective
        return (o is not None and integral_level(self.model, o)), (o.sense if o is not None else "min")

    def set_option(self, name: str, value) -> None:
        self.h.setOptionValue(name, value)

    def add_row(self, row: ExtraRow) -> None:
        c = row.vector.constant
        lo = -self.inf if np.isinf(row.lower) else row.lower - c
        hi = self.inf if np.isinf(row.upper) else row.upper - c
        idx = np.asarray(row.vector.indices, dtype=np.int32)
        self.h.addRow(lo, hi, len(idx), idx, np.asarray(row.vector.coefs, dtype=np.float64))
        self.added.append((np.asarray(idx, dtype=np.int64), np.asarray(row.vector.coefs, dtype=np.float64)))
        self.row_lo.append(-np.inf if np.isinf(row.lower) else row.lower - c)
        self.row_hi.append(np.inf if np.isinf(row.upper) else row.upper - c)

    def restrict_to_optimal_face(self, budget: float = 0.0, fix: bool = False,
                                 dual_tol: float | None = None) -> FaceRestriction | None:
        """Bound later solves to the part of the feasible set the lock of the objective just solved
        allows (see :class:`FaceRestriction`); LPs only, after an optimal solve with a valid dual
        solution.  A column with reduced cost ``d_j`` at a bound may leave it by at most
        ``budget / |d_j|`` (``budget = 0`` or ``fix``: fixed, the optimal face); with ``budget = 0``
        a row with a nonzero dual also becomes an equality at its active side.  Signs are checked against the objective's
        sense (HiGHS: minimising, a column at its lower bound has a positive reduced cost;
        maximising, negative), so a dual of the wrong sign (never optimal) bounds nothing."""
        if self.model.is_mip or self.h is None:
            return None
        sol = self.h.getSolution()
        if not (sol.value_valid and sol.dual_valid):
            return None
        budget = max(0.0, float(budget))
        _, dual_feas = self.h.getOptionValue("dual_feasibility_tolerance")
        _, primal_tol = self.h.getOptionValue("primal_feasibility_tolerance")
        tol = 10.0 * float(dual_feas) if dual_tol is None else float(dual_tol)
        sign = 1.0 if self.sense == "min" else -1.0
        inf = self.inf

        def narrow(value, dual, lo, hi):
            # (indices, new lower, new upper) of the entries to narrow
            free = lo < hi
            near = primal_tol * np.maximum(1.0, np.abs(value))
            at_lo = free & (dual > tol) & np.isfinite(lo) & (np.abs(value - lo) <= near)
            at_hi = free & (dual < -tol) & np.isfinite(hi) & (np.abs(value - hi) <= near)
            idx = np.flatnonzero(at_lo | at_hi)
            reach = np.zeros(len(idx)) if fix else budget / np.abs(dual[idx])
            # a nonzero range is at least ten times the feasibility tolerance: narrower ranges stalled
            # HiGHS's interior point method (IPX "no progress" and a simplex fallback), and a wider
            # bound than the lock implies is still valid (rounding to fixed would not be)
            reach = np.where(reach > 0.0, np.maximum(reach, 10.0 * primal_tol), 0.0)
            low = at_lo[idx]
            new_lo = np.where(low, lo[idx], np.maximum(lo[idx], hi[idx] - reach))
            new_hi = np.where(low, np.minimum(hi[idx], lo[idx] + reach), hi[idx])
            keep = (new_lo > lo[idx]) | (new_hi < hi[idx])
            # how fast the moved bound follows the budget (0 where the floor above decided it, and for
            # ``fix``, whose bounds do not follow the budget)
            rate = np.zeros(len(idx)) if fix else \
                np.where(reach == budget / np.abs(dual[idx]), 1.0 / np.abs(dual[idx]), 0.0)
            return idx[keep].astype(np.int32), new_lo[keep], new_hi[keep], rate[keep], low[keep]

        face = self.n_faces
        self.n_faces += 1
        cols, c_lo, c_hi, c_rate, c_up = narrow(np.asarray(sol.col_value, dtype=np.float64),
                                                sign * np.asarray(sol.col_dual, dtype=np.float64), self.col_lo,
                                                self.col_hi)
        if len(cols):
            self.col_lo[cols], self.col_hi[cols] = c_lo, c_hi
            self.col_owner[cols], self.col_rate[cols], self.col_upper_moved[cols] = face, c_rate, c_up
            self.h.changeColsBounds(len(cols), cols, np.where(np.isinf(c_lo), -inf, c_lo),
                                    np.where(np.isinf(c_hi), inf, c_hi))
        rows = np.zeros(0, dtype=np.int32)
        if budget == 0.0:
            # rows only become equalities: a narrow row range (budget > 0) stalls HiGHS's interior
            # point method (IPX "no progress", then a simplex fallback) and gains the simplex method
            # nothing (measured on the benchmark's medium instance)
            rows, r_lo, r_hi, r_rate, r_up = narrow(np.asarray(sol.row_value, dtype=np.float64),
                                                    sign * np.asarray(sol.row_dual, dtype=np.float64),
                                                    np.asarray(self.row_lo), np.asarray(self.row_hi))
        if len(rows):
            for i, a, b, rt, up in zip(rows.tolist(), r_lo.tolist(), r_hi.tolist(), r_rate.tolist(), r_up.tolist()):
                self.orig_row.setdefault(i, (self.row_lo[i], self.row_hi[i]))
                self.row_lo[i], self.row_hi[i] = a, b
                self.row_face[i] = (face, rt, up)
            self.h.changeRowsBounds(len(rows), rows, np.where(np.isinf(r_lo), -inf, r_lo),
                                    np.where(np.isinf(r_hi), inf, r_hi))
        if not len(rows):
            r_lo = r_hi = np.zeros(0)
        return FaceRestriction(int(len(cols)), int(len(rows)), budget, tol, bool(fix), cols.astype(np.int64), c_lo, c_hi,
                               rows.astype(np.int64), np.asarray(r_lo, dtype=np.float64),
                               np.asarray(r_hi, dtype=np.float64))

    def face_trade_off(self) -> float | None:
        """After a solve: how much this objective would gain per unit of budget of the latest face
        restriction, i.e. the sum of ``|dual| * d(bound)/d(budget)`` over the bounds that
        restriction moved and the solution sits at.  Added to the lock row's dual it is the
        level's trade-off rate, as the lock row's dual alone is with row locks (LP sensitivity of
        the bound right-hand sides); ``None`` without a dual solution."""
        if self.h is None or self.n_faces == 0:
            return None
        sol = self.h.getSolution()
        if not sol.dual_valid:
            return None
        face = self.n_faces - 1
        sign = 1.0 if self.sense == "min" else -1.0
        x = np.asarray(sol.col_value, dtype=np.float64)
        d = sign * np.asarray(sol.col_dual, dtype=np.float64)
        own = np.flatnonzero(self.col_owner == face)
        up = self.col_upper_moved[own]
        # a moved bound counts where its dual is the one of that side (at an upper bound a minimised
        # objective's dual is negative); a range can be narrower than the feasibility tolerance, so
        # the sign, not the distance, says which side the solution is at
        at = np.where(up, d[own] < 0.0, d[own] > 0.0)
        total = float(np.sum(np.abs(d[own][at]) * self.col_rate[own][at]))
        if self.row_face:
            y = sign * np.asarray(sol.row_dual, dtype=np.float64)
            for i, (owner, rate, upper) in self.row_face.items():
                if owner == face and (y[i] < 0.0 if upper else y[i] > 0.0):
                    total += abs(y[i]) * rate
        return total

    def set_row_bounds(self, index: int, lower: float, upper: float) -> bool:
        inf = self.inf
        self.h.changeRowBounds(int(index), -inf if np.isinf(lower) else float(lower),
                               inf if np.isinf(upper) else float(upper))
        self.row_lo[index], self.row_hi[index] = float(lower), float(upper)
        return True

    def undo_face_restrictions(self) -> bool:
        narrowed = np.flatnonzero(self.col_owner >= 0).astype(np.int32)
        if not len(narrowed) and not self.orig_row:
            return False
        inf = self.inf
        if len(narrowed):
            cols = narrowed
            self.col_lo[cols] = self.model.col_lower[cols]
            self.col_hi[cols] = self.model.col_upper[cols]
            self.h.changeColsBounds(len(cols), cols, np.where(np.isinf(self.col_lo[cols]), -inf, self.col_lo[cols]),
                                    np.where(np.isinf(self.col_hi[cols]), inf, self.col_hi[cols]))
        if self.orig_row:
            rows = np.array(sorted(self.orig_row), dtype=np.int32)
            lo = np.array([self.orig_row[i][0] for i in rows.tolist()])
            hi = np.array([self.orig_row[i][1] for i in rows.tolist()])
            for i, a, b in zip(rows.tolist(), lo.tolist(), hi.tolist()):
                self.row_lo[i], self.row_hi[i] = a, b
            self.h.changeRowsBounds(len(rows), rows, np.where(np.isinf(lo), -inf, lo), np.where(np.isinf(hi), inf, hi))
        self.orig_row.clear()
        self.col_owner[:] = -1
        self.row_face.clear()
        self.h.clearSolver()  # solve the next level cold: a warm start from the narrowed model misled HiGHS
        return True

    def solve(self) -> StageRecord:
        reset_highs_threads(self.options.threads)
        t0 = time.perf_counter()
        self.h.run()
        elapsed = time.perf_counter() - t0
        term, sol, bound = highs_status(self.h)
        x = None
        obj = None
        if sol is not SolutionStatus.NONE:
            x = np.array(self.h.getSolution().col_value, dtype=np.float64)
            obj = float(self.h.getInfo().objective_function_value)
        duals = None
        message = str(self.h.getModelStatus())
        if self.model.is_mip:
            term, sol, note = proven(term, sol, obj, bound, user_gap(self.options), *self._integral())
            message += f" ({note})" if note else ""
        else:
            bound = None
            if sol is not SolutionStatus.NONE:
                row_dual = np.asarray(self.h.getSolution().row_dual, dtype=np.float64)
                duals = row_dual[self.model.n_rows:] if len(row_dual) > self.model.n_rows else np.zeros(0)
        return StageRecord(term, sol, obj, x, bound, elapsed, "highs", message, duals)

    def basis(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The simplex basis of the last solve, ``(col_status, row_status)`` (int8 arrays of shape (n,)
        and (rows,), HiGHS's ``HighsBasisStatus`` codes: 0 at lower, 1 basic, 2 at upper, 3 zero, 4
        nonbasic), or ``None`` without a valid one (a MIP, no solve yet).  Kept by a preemptive chain
        so that a later re-solve of the same model (the sensitivity's) starts from it."""
        if self.h is None or self.model.is_mip:
            return None
        b = self.h.getBasis()
        if not b.valid:
            return None
        return (np.array([int(s) for s in b.col_status], dtype=np.int8),
                np.array([int(s) for s in b.row_status], dtype=np.int8))

    def set_basis(self, col_status, row_status) -> bool:
        """Start the next solve from a basis given as :meth:`basis` returns it; ``False`` (nothing set)
        when its shape is not this model's (rows added since count) or HiGHS refuses it."""
        import highspy

        if self.h is None or len(col_status) != self.n or len(row_status) != len(self.row_lo):
            return False
        b = highspy.HighsBasis()
        status = [highspy.HighsBasisStatus(i) for i in range(5)]
        b.col_status = [status[s] for s in np.asarray(col_status).tolist()]
        b.row_status = [status[s] for s in np.asarray(row_status).tolist()]
        b.valid = True
        return self.h.setBasis(b) == highspy.HighsStatus.kOk

    def polished_plan(self, x) -> np.ndarray | None:
        """``x`` (an LP plan of this instance) with HiGHS's last-bit noise removed on the model as
        held now (lock rows, face bounds): :func:`~goalprog.solve.backends.polish.polish_csr` with
        ``rel`` :data:`~goalprog.solve.backends.polish.LAST_BITS`; ``None`` when not polished."""
        from .polish import LAST_BITS, polish_csr

        if x is None or self.model.is_mip:
            return None
        m = self.model
        ptr = [np.asarray(m.indptr, dtype=np.int64)]
        idx, val = [np.asarray(m.indices, dtype=np.int64)], [np.asarray(m.data, dtype=np.float64)]
        end = int(ptr[0][-1])
        for i, c in self.added:
            end += len(i)
            ptr.append(np.array([end], dtype=np.int64))
            idx.append(i)
            val.append(c)
        o = self.objective
        return polish_csr(x, self.col_lo, self.col_hi, m.col_integer, np.concatenate(ptr), np.concatenate(idx),
                          np.concatenate(val), np.asarray(self.row_lo), np.asarray(self.row_hi),
                          (o.vector.indices, o.vector.coefs) if o is not None else None,
                          o.sense if o is not None else "min", LAST_BITS, m.n_rows)

    def close(self) -> None:
        self.h = None


class HighsBackend(Backend):
    """Direct highspy backend (fastest; HiGHS only)."""

    name = "highs"

    def available(self) -> tuple[bool, str]:
        try:
            import highspy  # noqa: F401
        except ImportError as exc:  # pragma: no cover - highspy is a dependency
            return False, f"highspy is not installed ({exc})"
        return True, ""

    def session(self, model: LinearModel, options: SolveOptions) -> Session:
        return HighsSession(model, options)
