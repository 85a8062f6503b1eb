"""params=/overrides= with a pandas Series or DataFrame: matched to the set's members by label, never
by position (issue 14).  The model gives each region exactly its cap (invest[r] <= cap[r], the goal
asks for more than all caps together), so invest[r] must be the value labelled r."""

from __future__ import annotations

import pandas as pd
import pytest

import goalprog
from goalprog.core.errors import ArgumentError

PROBLEM = """\
name: invest
sets:
  regions: [A, B, C, D, E]
  pairs: [[a, 1], [b, 2]]
  years: [2030, 2031]
params:
  cap: {index: regions, values: {A: 1, B: 2, C: 3, D: 4, E: 5}}
  pcap: {index: pairs, values: {a: {1: 1}, b: {2: 1}}}
  ycap: {index: [regions, years], default: 1}
  floor: {index: regions, default: 0}
variables:
  invest: {index: regions, lower: floor, upper: cap}
  pinv: {index: pairs, lower: 0, upper: pcap}
  yinv: {index: [regions, years], lower: 0, upper: ycap}
goals:
  total:
    expr: sum(invest[r] for r in regions) + sum(pinv[p, q] for (p, q) in pairs) + sum(yinv[r, y] for r in regions for y in years)
    at_least: 1e9
    weight: 1
"""

# the labels in the reverse of the set's order, with values that tell them apart
CAPS = {"E": 10_000, "D": 20_000, "C": 30_000, "B": 40_000, "A": 50_000}


@pytest.fixture
def problem_file(tmp_path):
    f = tmp_path / "invest.yaml"
    f.write_text(PROBLEM)
    return f


def invest(result) -> dict:
    v = result.variables
    return {lab: val for lab, val in zip(v["label"], v["value"])}


@pytest.mark.parametrize("how", ["params", "overrides"])
def test_a_series_is_read_by_label(problem_file, how):
    r = goalprog.load(problem_file, **{how: {"cap": pd.Series(CAPS)}}).solve()
    got = invest(r)
    for region, cap in CAPS.items():
        assert got[f"invest[{region}]"] == pytest.approx(cap)
    assert got["invest[A]"] == pytest.approx(50_000)  # A's value, not E's (the first by position)


def test_a_multiindex_series_over_a_tuple_set_and_a_wide_dataframe(problem_file):
    pairs = pd.Series([7.0, 3.0], index=pd.MultiIndex.from_tuples([("b", 2), ("a", 1)]))
    # rows: regions (shuffled); columns: years by name, in the reverse of the set's order
    wide = pd.DataFrame({2031: [11, 12, 13, 14, 15], 2030: [21, 22, 23, 24, 25]}, index=["C", "A", "E", "B", "D"])
    r = goalprog.load(problem_file, params={"pcap": pairs, "ycap": wide}).solve()
    got = invest(r)
    assert got["pinv[a,1]"] == pytest.approx(3.0) and got["pinv[b,2]"] == pytest.approx(7.0)
    assert got["yinv[A,2031]"] == pytest.approx(12) and got["yinv[A,2030]"] == pytest.approx(22)
    assert got["yinv[D,2030]"] == pytest.approx(25) and got["yinv[C,2031]"] == pytest.approx(11)


def test_a_dataframe_column_named_as_the_parameter(problem_file):
    df = pd.DataFrame({"other": [0] * 5, "cap": list(CAPS.values())}, index=list(CAPS))
    got = invest(goalprog.load(problem_file, params={"cap": df}).solve())
    assert got["invest[A]"] == pytest.approx(50_000) and got["invest[E]"] == pytest.approx(10_000)


def test_labels_that_are_not_the_members_are_refused_and_named(problem_file):
    with pytest.raises(ArgumentError) as exc:
        goalprog.load(problem_file, params={"cap": pd.Series({"A": 1, "B": 2, "Z": 3, "Q": 4})})
    issue = exc.value.issues[0]
    assert issue.location.key_path == "cap (in params=)"
    assert "not members: Z, Q" in issue.message
    assert "no value for 3 member(s): C, D, E" in issue.message
    assert "by their index labels, not by position" in issue.hint


def test_a_series_by_position_is_refused(problem_file):
    with pytest.raises(ArgumentError) as exc:
        goalprog.load(problem_file, overrides={"cap": pd.Series([1, 2, 3, 4, 5])})
    issue = exc.value.issues[0]
    assert issue.location.key_path == "cap (in overrides=)"
    assert "not members: 0, 1, 2, 3, 4" in issue.message


def test_long_lists_of_labels_are_cut(problem_file):
    bad = pd.Series({f"X{i}": i for i in range(20)} | {"A": 1})
    with pytest.raises(ArgumentError) as exc:
        goalprog.load(problem_file, params={"cap": bad})
    message = exc.value.issues[0].message
    assert "20 label(s) that are not members: X0, X1" in message and "and 12 more" in message
    assert "X19" not in message


def test_members_left_out_take_the_default(problem_file):
    r = goalprog.load(problem_file, params={"floor": pd.Series({"B": 1.5})}).solve()
    lower = dict(zip(r.variables["label"], r.variables["lower"]))
    assert lower["invest[B]"] == 1.5 and lower["invest[A]"] == 0


def test_a_dataframe_without_the_parameters_column_is_refused(problem_file):
    with pytest.raises(ArgumentError) as exc:
        goalprog.load(problem_file, params={"cap": pd.DataFrame({"x": [1]})})
    assert "needs a column named 'cap'" in exc.value.issues[0].message
