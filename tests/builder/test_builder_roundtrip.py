"""Model.to_yaml writes a problem file that goalprog.load reads back to the same model.

Checked by value: the written file's document equals ``Model.to_dict()`` (goalprog's own loader,
not PyYAML's), and the loaded problem solves to the same result (``Result.to_dict()`` apart from
the solve times) and to the published clothing-factory answers.
"""

from fractions import Fraction as F

import pandas as pd
import pytest

import goalprog
from goalprog.core.outfiles import OutputError
from goalprog.spec.loader import load_yaml_file
from tests.builder.clothing import clothing


def same_result(a, b):
    a, b = a.to_dict(), b.to_dict()
    for d in (a, b):
        for stage in d["stages"]:
            stage.pop("time")
    assert a == b


@pytest.mark.parametrize("kind", ["weighted", "preemptive"])
def test_to_yaml_load_solve_round_trip(tmp_path, kind):
    m = clothing((1, 1.5)) if kind == "weighted" else clothing(priorities=(1, 2))
    path = m.to_yaml(tmp_path / "factory.yaml")
    assert load_yaml_file(path).data == m.to_dict()
    loaded, built = goalprog.load(path).solve(), m.solve()
    same_result(loaded, built)
    if kind == "weighted":
        assert loaded.value("pants") == pytest.approx(60_000 / 7)
        assert loaded.objective == pytest.approx(float(F(300_000, 7)))
    else:
        assert loaded.value("waste") == pytest.approx(50_000)


def test_to_yaml_refuses_an_existing_file_unless_forced(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("keep me\n")
    with pytest.raises(OutputError) as err:
        clothing().to_yaml(path)
    assert "already exists" in str(err.value) and "force=True" in str(err.value)
    assert path.read_text() == "keep me\n"
    clothing().to_yaml(path, force=True)
    assert load_yaml_file(path).data == clothing().to_dict()


def test_an_invalid_model_writes_nothing(tmp_path):
    m = goalprog.Model("bad").variable("x").goal("g", "x + y", at_least=1)
    with pytest.raises(goalprog.ExpressionError):
        m.to_yaml(tmp_path / "bad.yaml")
    assert not (tmp_path / "bad.yaml").exists()


def indexed(n_extra=0):
    """The indexed clothing factory from a DataFrame, with ``n_extra`` more products that are
    never worth making (profit 0, cost 1, waste 1), to make the tables large."""
    names = ["pants", "shirts", "dresses"] + [f"p{k}" for k in range(n_extra)]
    df = pd.DataFrame({"profit": [10, 3, 15] + [0] * n_extra, "cost": [5, 1, 10] + [1] * n_extra,
                       "waste": [1.5, 1, 3] + [1] * n_extra}, index=names)
    m = goalprog.Model("indexed")
    m.set("products", names)
    for col in ("profit", "cost", "waste"):
        m.param(f"unit_{col}", df.sample(frac=1, random_state=1)[col], index="products")
    m.param("budget", 50000)
    m.variable("make", index="products")
    for col in ("profit", "cost", "waste"):
        m.expression(col, f"sum(unit_{col}[p] * make[p] for p in products)")
    m.constraint("budget", "cost <= budget")
    m.goal("profit", "profit", at_least=150000, weight=1)
    m.goal("waste", "waste", at_most=20000, weight=1)
    return m


def test_large_tables_go_to_csv_beside_the_yaml(tmp_path):
    m = indexed(n_extra=10)
    path = m.to_yaml(tmp_path / "big.yaml", csv_threshold=5)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["big.unit_cost.csv", "big.unit_profit.csv", "big.unit_waste.csv", "big.yaml"]
    doc = load_yaml_file(path).data
    assert doc["params"]["unit_waste"] == {"index": "products", "file": "big.unit_waste.csv", "keys": "products",
                                           "column": "value"}
    rows = (tmp_path / "big.unit_waste.csv").read_text().splitlines()
    assert rows[0] == "products,value" and len(rows) == 14
    table = dict(r.split(",") for r in rows[1:])
    assert (float(table["pants"]), float(table["shirts"]), float(table["dresses"]), float(table["p7"])) == (1.5, 1, 3, 1)
    problem = goalprog.load(path)
    assert len(problem.input_files) == 4
    r = problem.solve()
    same_result(r, m.solve())
    assert r.value(("make", "shirts")) == pytest.approx(50_000) and r.objective == pytest.approx(30_000)


def test_csv_refuses_existing_tables_too(tmp_path):
    (tmp_path / "big.unit_cost.csv").write_text("x\n")
    with pytest.raises(OutputError, match="big.unit_cost.csv already exists"):
        indexed(n_extra=10).to_yaml(tmp_path / "big.yaml", csv_threshold=5)
    assert not (tmp_path / "big.yaml").exists()


def test_text_that_yaml_would_misread_is_quoted(tmp_path):
    """Members and names goalprog would read as something else when written plain come back as
    the same text: booleans, octal and base-60 numbers, 1e5 (a number to goalprog, text to PyYAML)."""
    tricky = ["yes", "No", "on", "010", "1:30", "1e5", "1.5e5", "null", "~", "true", "-", "x y", "a,b", "[x]",
              "#c", "inf", ".inf", "nan", " pad", "é"]
    m = goalprog.Model("tricky", "a: b # not a comment")
    m.set("s", tricky)
    m.param("w", {t: k + 1 for k, t in enumerate(tricky)}, index="s")
    m.variable("x", index="s", upper=10)
    m.goal("g", "sum(w[i] * x[i] for i in s)", at_least=100, description="yes")
    m.to_yaml(tmp_path / "t.yaml")
    assert load_yaml_file(tmp_path / "t.yaml").data == m.to_dict()
    same_result(goalprog.load(tmp_path / "t.yaml").solve(), m.solve())


def test_lower_none_is_a_free_variable_as_lower_null_in_a_file(tmp_path):
    """``lower=None`` is the file's ``lower: null`` (no lower bound); left out, the bound is 0."""
    free = goalprog.Model("free").variable("x", lower=None).goal("g", "x", equal=-3)
    default = goalprog.Model("default").variable("x").goal("g", "x", equal=-3)
    assert free.to_dict()["variables"] == {"x": {"lower": None}}
    assert default.to_dict()["variables"] == {"x": {}}
    assert free.solve().value("x") == pytest.approx(-3)
    assert default.solve().value("x") == pytest.approx(0)
    path = free.to_yaml(tmp_path / "free.yaml")
    assert "lower: null" in path.read_text()
    assert goalprog.load(path).solve().value("x") == pytest.approx(-3)


def test_a_table_over_a_set_of_pairs_and_a_second_set_goes_to_csv_and_back(tmp_path):
    """Key columns key1..key3 for (arc origin, arc destination, month); the loaded values equal
    the given ones member by member (c[(o, d), m] = 10*o + d + m/10, the cost of arc o -> d in month m)."""
    arcs = [(o, d) for o in range(1, 4) for d in range(1, 4) if o != d]
    m = goalprog.Model("arcs")
    m.set("arcs", arcs).set("months", [1, 2])
    cost = {(o, d, t): 10 * o + d + t / 10 for (o, d) in arcs for t in (1, 2)}
    m.param("c", cost, index=["arcs", "months"])
    m.variable("flow", index=["arcs", "months"], upper=1)
    m.goal("spend", "sum(c[o, d, t] * flow[o, d, t] for (o, d) in arcs for t in months)", equal=100)
    path = m.to_yaml(tmp_path / "arcs.yaml", csv_threshold=3)
    assert load_yaml_file(path).data["params"]["c"] == {"index": ["arcs", "months"], "file": "arcs.c.csv",
                                                      "keys": ["key1", "key2", "key3"], "column": "value"}
    loaded = goalprog.load(path)
    assert len(loaded.input_files) == 2
    same_result(loaded.solve(), m.solve())
    assert loaded.solve().value("spend") == pytest.approx(100)


def test_numpy_scalars_and_yaml_line_breaks_round_trip(tmp_path):
    """Adversarial review: ``np.float64`` (what ``df['x'].sum()`` gives) crashed ``to_yaml`` with
    PyYAML's RepresenterError, and a member holding NEL (U+0085) or LS (U+2028) was written raw,
    so YAML read it back as a line break: the member was renamed."""
    import numpy as np

    from goalprog.spec.loader import load_yaml_file

    m = goalprog.Model("n")
    m.set("S", ["a\x85b", "c\u2028d", np.str_("e")])
    m.param("q", np.float64(2.5))
    m.variable("x", upper=10)
    m.goal("g", "x", at_least="q", weight=np.float64(2))
    doc = m.to_dict()
    assert type(doc["params"]["q"]) is float and type(doc["goals"]["g"]["weight"]) is float
    path = m.to_yaml(tmp_path / "t.yaml")
    assert load_yaml_file(path).data == doc
    assert load_yaml_file(path).data["sets"]["S"] == ["a\x85b", "c\u2028d", "e"]
    r = goalprog.load(path).solve(backend="highs")
    assert r.objective == 0 and r.value("x") >= 2.5  # the goal x >= q = 2.5 is met
