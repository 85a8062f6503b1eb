"""The pulp backend's printed and JSON values are exact to 1e-9 relative, with CBC too (issue 13).

CBC, run by PuLP as a program, writes its plan as text with about 8 significant digits (the
clothing factory's 60,000/7 came back as 8571.4286, a column at 0 as 5e-9).  The pulp backend
polishes such a plan (goalprog/solve/backends/polish.py: columns put on the bounds they sit on,
the active rows solved exactly).  The expected values here come from hand derivation (the
clothing factory) or from an exact rational certificate computed in this file with
``fractions.Fraction`` (a vertex whose primal and dual feasibility are checked exactly), never
from goalprog's output.
"""

import csv
import io
import json
from fractions import Fraction as F

import numpy as np
import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.solve.backends.polish import polish_plan

from tests.helpers import ROOT

PROBLEMS = ROOT / "problems"


def _cbc_available():
    try:
        import pulp

        return pulp.PULP_CBC_CMD(msg=0).available()
    except Exception:  # pragma: no cover - no CBC binary
        return False


needs_cbc = pytest.mark.skipif(not _cbc_available(), reason="PuLP's bundled CBC is not available")


def _close(got, exact, what):
    exact = float(exact)
    assert abs(got - exact) <= 1e-9 * max(1.0, abs(exact)), f"{what}: {got!r} against the exact {exact!r}"


def _cli(path, *args):
    r = CliRunner().invoke(main, ["solve", str(path), "--backend", "pulp", "--solver", "cbc", *args])
    assert r.exit_code == 0, r.output
    return r.output


def _json(path):
    return json.loads(_cli(path, "--format", "json"))


def _csv_tables(path):
    """The CSV output's tables: {title: [rows as dicts]} (the printed values, every digit)."""
    out, title, lines = {}, None, []
    for line in _cli(path, "--format", "csv").splitlines() + [""]:
        if line.startswith("# "):
            title, lines = line[2:].strip(), []
        elif not line.strip():
            if title is not None and lines:
                out[title] = list(csv.DictReader(io.StringIO("\n".join(lines))))
            title, lines = None, []
        elif title is not None:
            lines.append(line)
    return out


# Clothing factory, weights (1, 1.5) (docs/methods.md): budget 5p + s + 10d = 50,000 and waste
# 1.5p + s + 3d = 20,000 bind, d = 0: p = 60,000/7, s = 50,000/7; profit 10p + 3s = 750,000/7,
# under-achievement 150,000 - 750,000/7 = 300,000/7 (the objective, weight 1); waste exactly 20,000.
CLOTHING_15 = {"pants": F(60000, 7), "shirts": F(50000, 7), "dresses": F(0)}


@needs_cbc
def test_cbc_clothing_1_1_5_json_is_exact():
    d = _json(PROBLEMS / "clothing_factory_weighted_1_1.5.yaml")
    _close(d["objective"], F(300000, 7), "objective")
    _close(d["stages"][0]["objective"], F(300000, 7), "stage objective")
    for v in d["variables"]:
        _close(v["value"], CLOTHING_15[v["variable"]], v["variable"])
    goals = {g["goal"]: g for g in d["goals"]}
    _close(goals["profit"]["value"], F(750000, 7), "profit")
    _close(goals["profit"]["under"], F(300000, 7), "profit under")
    _close(goals["waste"]["value"], 20000, "waste")
    assert goals["waste"]["over"] == 0.0 and goals["waste"]["under"] == 0.0
    expr = {e["expression"]: e["value"] for e in d["expressions"]}
    _close(expr["cost"], 50000, "cost")


@needs_cbc
def test_cbc_clothing_1_1_5_printed_values_are_exact():
    t = _csv_tables(PROBLEMS / "clothing_factory_weighted_1_1.5.yaml")
    for row in t["variables"]:
        _close(float(row["value"]), CLOTHING_15[row["variable"]], row["variable"])
    profit = next(r for r in t["goals"] if r["goal"] == "profit")
    _close(float(profit["value"]), F(750000, 7), "profit")
    _close(float(profit["under"]), F(300000, 7), "profit under")


# Preemptive, profit first (docs/methods.md): level 1 reaches profit 150,000 (under 0), level 2
# the least waste with it: waste 50,000 - 20,000 = 30,000 over the target, so the level values are
# 0 and 30,000 and the goals' values 150,000 and 50,000.
@needs_cbc
def test_cbc_clothing_preemptive_is_exact():
    d = _json(PROBLEMS / "clothing_factory_preemptive.yaml")
    goals = {g["goal"]: g for g in d["goals"]}
    _close(goals["profit"]["value"], 150000, "profit")
    _close(goals["waste"]["value"], 50000, "waste")
    assert goals["profit"]["under"] == 0.0


def _exact_optimum(model, objective):
    """An optimal vertex of ``min c x`` over ``model`` in exact rational arithmetic, and its value.

    HiGHS (plain highspy, not goalprog) gives an optimal basis; the basic solution is then solved
    with Fractions from the model's coefficients (their binary values exactly), and its primal
    feasibility and the signs of its exact reduced costs and row duals are checked: a certificate
    that the vertex is optimal.  Returns (x as Fractions, value as Fraction)."""
    import highspy

    from goalprog.solve.backends.highs_backend import highs_lp

    n, m = model.n_cols, model.n_rows
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(highs_lp(model.col_lower, model.col_upper, model.col_integer, model.indptr, model.indices,
                         model.data, model.row_lower, model.row_upper))
    c = np.zeros(n)
    np.add.at(c, objective.vector.indices, objective.vector.coefs)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), c)
    h.setOptionValue("solver", "simplex")
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    basis = h.getBasis()
    S = highspy.HighsBasisStatus
    col_st, row_st = list(basis.col_status), list(basis.row_status)
    A = [dict() for _ in range(m)]
    for i in range(m):
        for k in range(model.indptr[i], model.indptr[i + 1]):
            A[i][int(model.indices[k])] = F(float(model.data[k]))

    def side(status, lo, hi):
        return F(float(lo)) if status == S.kLower or (status == S.kZero and np.isfinite(lo)) else F(float(hi))

    x = [None] * n
    for j in range(n):
        if col_st[j] != S.kBasic:
            x[j] = side(col_st[j], model.col_lower[j], model.col_upper[j])
    basic = [j for j in range(n) if col_st[j] == S.kBasic]
    tight = [i for i in range(m) if row_st[i] != S.kBasic]
    assert len(basic) == len(tight)
    pos = {j: k for k, j in enumerate(basic)}
    # B x_B = b - N x_N over the tight rows, solved by Gauss-Jordan elimination in Fractions
    M = []
    for i in tight:
        row = [F(0)] * len(basic) + [side(row_st[i], model.row_lower[i], model.row_upper[i])]
        for j, a in A[i].items():
            if j in pos:
                row[pos[j]] += a
            else:
                row[-1] -= a * x[j]
        M.append(row)
    B = [r[:-1] for r in M]  # kept for the duals
    k = len(basic)
    for col in range(k):
        piv = next(r for r in range(col, k) if M[r][col] != 0)
        M[col], M[piv] = M[piv], M[col]
        p = M[col][col]
        M[col] = [v / p for v in M[col]]
        for r in range(k):
            if r != col and M[r][col] != 0:
                f = M[r][col]
                M[r] = [a - f * b for a, b in zip(M[r], M[col])]
    for j, kk in pos.items():
        x[j] = M[kk][-1]
    for j in range(n):  # primal feasibility, exactly
        assert not np.isfinite(model.col_lower[j]) or x[j] >= F(float(model.col_lower[j]))
        assert not np.isfinite(model.col_upper[j]) or x[j] <= F(float(model.col_upper[j]))
    for i in range(m):
        act = sum((a * x[j] for j, a in A[i].items()), F(0))
        assert not np.isfinite(model.row_lower[i]) or act >= F(float(model.row_lower[i]))
        assert not np.isfinite(model.row_upper[i]) or act <= F(float(model.row_upper[i]))
    # duals: y over the tight rows with B^T y = c_B, exactly
    cf = [F(float(v)) for v in c]
    Mt = [[B[r][col] for r in range(k)] + [cf[basic[col]]] for col in range(k)]
    for col in range(k):
        piv = next(r for r in range(col, k) if Mt[r][col] != 0)
        Mt[col], Mt[piv] = Mt[piv], Mt[col]
        p = Mt[col][col]
        Mt[col] = [v / p for v in Mt[col]]
        for r in range(k):
            if r != col and Mt[r][col] != 0:
                f = Mt[r][col]
                Mt[r] = [a - f * b for a, b in zip(Mt[r], Mt[col])]
    y = {i: Mt[r][-1] for r, i in enumerate(tight)}
    for i in tight:  # a row at its lower side may have y >= 0, at its upper side y <= 0 (equality: any)
        if model.row_lower[i] != model.row_upper[i]:
            assert y[i] >= 0 if row_st[i] == S.kLower else y[i] <= 0
    d = list(cf)
    for i in tight:
        for j, a in A[i].items():
            d[j] -= y[i] * a
    for j in range(n):
        if col_st[j] != S.kBasic and model.col_lower[j] != model.col_upper[j]:
            assert d[j] >= 0 if col_st[j] == S.kLower else d[j] <= 0
        elif col_st[j] == S.kBasic:
            assert d[j] == 0
    value = sum((cf[j] * x[j] for j in range(n)), F(0)) + F(float(objective.vector.constant))
    return x, value


@needs_cbc
def test_cbc_production_planning_weighted_is_exact():
    """The weighted production plan (136 columns) against its exact rational optimum: CBC wrote
    5.2e-9 for a shortfall that is exactly 0, and 2.57491012 for the objective."""
    from goalprog.solve.achievement import achievement

    path = PROBLEMS / "production_planning_weighted.yaml"
    model = goalprog.load(path).model
    x, value = _exact_optimum(model, achievement(model, None, all_levels=True))
    d = _json(path)
    _close(d["objective"], value, "objective")
    r = goalprog.load(path).solve(backend="pulp", solver="cbc")
    # the plan is the certified vertex (unique here: the polished plan is checked column by column)
    for j in range(model.n_cols):
        _close(float(r.x[j]), x[j], f"column {j}")
    for g in d["goals"]:  # every goal's shortfall and excess: exactly 0 where the vertex has 0
        for key in ("under", "over"):
            if g[key] is not None and g[key] != 0.0:
                assert g[key] > 1e-9 * max(1.0, abs(g["value"])), (g["goal"], key, g[key])


def test_polish_puts_a_printed_vertex_back_exactly():
    """polish_plan alone: the clothing factory's (1, 1.5) vertex as CBC printed it (8 digits),
    with the rows as the compiler makes them, comes back to 60,000/7 and 50,000/7 exactly."""
    m = goalprog.load(PROBLEMS / "clothing_factory_weighted_1_1.5.yaml").model
    from goalprog.solve.achievement import achievement

    r = goalprog.load(PROBLEMS / "clothing_factory_weighted_1_1.5.yaml").solve()
    printed = np.array([float(f"{v:.8g}") for v in r.x])
    printed[printed == 0.0] = 2e-7  # a column at 0 printed as 2e-7
    rows = [(*m.row(i), float(m.row_lower[i]), float(m.row_upper[i])) for i in range(m.n_rows)]
    obj = achievement(m, None, all_levels=True)
    x = polish_plan(printed, m.col_lower, m.col_upper, m.col_integer, rows,
                    (obj.vector.indices, obj.vector.coefs), "min")
    assert x is not None
    _close(float(x[0]), F(60000, 7), "pants")
    _close(float(x[1]), F(50000, 7), "shirts")
    assert x[2] == 0.0


@needs_cbc
def test_a_plan_that_cannot_be_polished_is_flagged(monkeypatch):
    """Where the polish cannot run (here: its dense block made too large for it), the solver's plan
    is kept and the stage says its values are as the solver wrote them."""
    from goalprog.solve.backends import polish

    monkeypatch.setattr(polish, "MAX_ENTRIES", 0)
    monkeypatch.setattr(polish, "MAX_SPARSE_NONZEROS", 0)
    r = goalprog.load(PROBLEMS / "clothing_factory_weighted_1_1.5.yaml").solve(backend="pulp", solver="cbc")
    assert "not polished" in r.stages[0].solver_status


def test_polish_refuses_a_plan_far_from_a_vertex():
    """A plan outside a row by more than the print rounding is not 'polished' into another plan."""
    rows = [(np.array([0, 1]), np.array([1.0, 1.0]), -np.inf, 1.0)]
    assert polish_plan(np.array([0.7, 0.7]), np.zeros(2), np.full(2, np.inf), np.zeros(2, bool), rows) is None
    x = polish_plan(np.array([0.5 + 3e-9, 0.5 - 1e-9]), np.zeros(2), np.full(2, np.inf), np.zeros(2, bool), rows)
    assert x is not None and x.sum() == pytest.approx(1.0, abs=1e-15)
