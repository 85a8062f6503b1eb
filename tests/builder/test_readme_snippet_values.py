"""The values README.md's Python snippets print in their comments are the values the runs give
(a fresh user compares them): 50,000 shirts by hand (profit goal met by 150,000 / 3 shirts)."""

import re
from pathlib import Path

import pytest

import goalprog

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _comment(code_start: str) -> str:
    line = next(ln for ln in README.splitlines() if ln.startswith(code_start))
    return line.split("#", 1)[1]


def test_builder_snippet_comment_is_what_value_returns():
    m = goalprog.Model("clothing_factory").variable("pants").variable("shirts").variable("dresses")
    m.expression("profit", "10*pants + 3*shirts + 15*dresses").constraint("budget",
                                                                          "5*pants + shirts + 10*dresses <= 50000")
    m.goal("profit", "profit", at_least=150000).goal("waste", "1.5*pants + shirts + 3*dresses", at_most=20000)
    said = re.match(r"\s*([0-9.e+-]+)", _comment('m.solve().value("shirts")')).group(1)
    assert float(said) == 50_000  # by hand: 150,000 / 3 shirts, all of the budget
    for backend in ("highs", "pulp", "pyomo"):  # exactly, on every backend: no last-bit noise (was 50000.00000000001)
        r = m.solve(backend=backend)
        assert r.value("shirts") == 50_000, backend
        assert r.goals.set_index("goal").loc["profit", "value"] == 150_000, backend
        assert r.objective == 30_000, backend


def test_api_snippet_comment_is_what_value_returns():
    r = goalprog.load(Path(__file__).resolve().parents[2] / "problems/clothing_factory_preemptive.yaml").solve(
        backend="pyomo")
    said = re.match(r"\s*([0-9.e+-]+)", _comment('print(result.value("shirts"))')).group(1)
    assert float(said) == pytest.approx(r.value("shirts"), rel=1e-12)
    assert r.value("shirts") == pytest.approx(50_000, rel=1e-12)  # by hand
