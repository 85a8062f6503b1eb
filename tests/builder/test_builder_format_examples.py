"""Every YAML example of docs/format.md has a goalprog.Model twin that means the same.

Part one replays each example through the builder's methods (one call per entry, keywords as the
file's keys; data files read with pandas and given as Series, as a notebook would) and checks
that the example and its twin agree: the same document (inline data), the same result, or the
same error with the same messages.  A snippet is applied to the running example as the page
says: a ``goals:`` section replaces the file's goals, other sections are merged key by key.

Part two writes three twins by hand and checks them against the answers the page publishes.
"""

import copy
import re
from fractions import Fraction as F

import pandas as pd
import pytest

import goalprog
from goalprog.spec.loader import load_yaml_file, load_yaml_text
from tests.builder.clothing import clothing
from tests.helpers import PROBLEMS, ROOT

PAGE = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
BLOCKS = [(PAGE[:m.start()].count("\n") + 2, m.group(1)) for m in re.finditer(r"```yaml\n(.*?)```", PAGE, re.S)]
BASE = load_yaml_text(BLOCKS[0][1]).data


def applied(snippet: dict) -> dict:
    doc = copy.deepcopy(BASE)
    for key, value in snippet.items():
        if key == "goals" or not isinstance(value, dict) or not isinstance(doc.get(key), dict):
            doc[key] = value
        else:
            doc[key] = {**doc[key], **value}
    return doc


def examples():
    out = []
    for line, text in BLOCKS:
        try:
            data = load_yaml_text(text).data
        except goalprog.YamlError:
            continue  # examples of YAML that is refused as YAML: nothing to build
        if isinstance(data, dict):
            out.append(pytest.param(data if line == BLOCKS[0][0] else applied(data), id=f"line{line}"))
    return out


def read(file, column, keys=None):
    """A data file's column as a notebook would read it: a Series by its key columns (members
    as the file's reader makes them: whole numbers as int, the rest as text)."""
    df = pd.read_csv(PROBLEMS / file, dtype=str, skipinitialspace=True)
    df = df.apply(lambda c: c.str.strip())
    if keys is None:
        return [int(v) if v.lstrip("-").isdigit() else v for v in df[column].drop_duplicates()]
    keys = [keys] if isinstance(keys, str) else keys
    return df.set_index(keys)[column].astype(float)


def twin(doc: dict) -> goalprog.Model:
    """``doc`` replayed through the builder's methods."""
    m = goalprog.Model(doc.get("name"), doc.get("description"), base_dir=PROBLEMS)
    files = False
    for name, s in (doc.get("sets") or {}).items():
        if isinstance(s, dict) and "file" in s and "column" in s:
            s, files = read(s["file"], s["column"]), True
        m.set(name, s)
    for name, p in (doc.get("params") or {}).items():
        if not isinstance(p, dict):
            m.param(name, p)
            continue
        rest = {k: v for k, v in p.items() if k in ("default", "description", "units")}
        if "file" in p:
            files = True
            m.param(name, read(p["file"], p.get("column", name), p.get("keys", p.get("index"))), p.get("index"), **rest)
        else:
            m.param(name, p.get("values", p.get("value")), p.get("index"), **rest)
    for name, v in (doc.get("variables") or {}).items():
        m.variable(name, **(v or {}))
    for section, add in (("expressions", m.expression), ("constraints", m.constraint)):
        for name, e in (doc.get(section) or {}).items():
            e = {"expr": e} if isinstance(e, str) else dict(e)
            add(name, e.pop("expr"), **{("for_" if k == "for" else k): v for k, v in e.items()})
    for name, g in (doc.get("goals") or {}).items():
        g = {("for_" if k == "for" else k): v for k, v in g.items()}
        if "maximize" in g or "minimize" in g:
            m.objective(name, **g)
        else:
            m.goal(name, g.pop("expr"), **g)
    for entry in doc.get("meta_goals") or []:
        entry = dict(entry)
        m.meta_goal(entry.pop("of"), **entry)
    if doc.get("solve"):
        m.settings(**{("lambda_" if k == "lambda" else k): v for k, v in doc["solve"].items()})
    m.files = files
    return m


def plain_result(r):
    d = r.to_dict()
    for stage in d["stages"]:
        stage.pop("time")
    return d


@pytest.mark.parametrize("doc", examples())
def test_every_example_has_a_builder_twin(doc, tmp_path):
    m = twin(doc)
    if not m.files:
        assert m.to_dict() == doc
    try:
        path = m.to_yaml(tmp_path / "twin.yaml")
    except goalprog.ProblemFileError:
        path = None  # refused examples write nothing
    if path is not None:
        assert load_yaml_file(path).data == m.to_dict()
    try:
        expected = plain_result(goalprog.from_dict(doc, base_dir=PROBLEMS).solve())
    except goalprog.GoalProgError as exc:
        with pytest.raises(type(exc)) as err:
            m.solve()
        assert [i.message for i in err.value.issues] == [i.message for i in exc.issues]
        return
    assert plain_result(m.solve()) == expected


def test_most_examples_build_and_solve():
    """The replay is not vacuous: most examples solve, some are refused (they show errors)."""
    solved = 0
    for p in examples():
        try:
            goalprog.from_dict(p.values[0], base_dir=PROBLEMS).solve()
            solved += 1
        except goalprog.GoalProgError:
            pass
    assert len(examples()) >= 20 and solved >= 15


def approx(v):
    return pytest.approx(float(v), rel=1e-6, abs=1e-4)


def test_chebyshev_percent_twin():
    """format.md section 10: Chebyshev GP with percent deviations: 7,200 pants, 14,000 shirts,
    profit 114,000 (24 % short), waste 24,800 (24 % over), achievement 24."""
    m = clothing((1, 1)).settings(method="chebyshev", normalize="percent")
    r = m.solve()
    assert (r.value("pants"), r.value("shirts"), r.value("dresses")) == (approx(7_200), approx(14_000), approx(0))
    assert (r.value("profit"), r.value("waste")) == (approx(114_000), approx(24_800))
    assert r.objective == approx(24)


def test_extended_lambda_twin():
    """Section 10: extended GP with lambda 0.3 (above the tie at 4/21) gives the weighted plan
    pants = 60,000/7, shirts = 50,000/7, achievement 200/7, which the Pareto check finds efficient."""
    m = clothing((1, 1)).settings(method="extended", lambda_=0.3, normalize="percent", pareto="check")
    r = m.solve()
    assert (r.value("pants"), r.value("shirts")) == (approx(F(60_000, 7)), approx(F(50_000, 7)))
    assert r.objective == approx(F(200, 7))
    assert r.to_dict()["pareto"]["dominated"] is False


def test_piecewise_penalty_twin():
    """Section 7: the first 10,000 yards over cost 1 each, more 3 each: pants = 40,000/7,
    shirts = 150,000/7, waste 30,000, achievement 270,000/7."""
    m = goalprog.Model("clothing_factory")
    for v in ("pants", "shirts", "dresses"):
        m.variable(v)
    m.expression("profit", "10*pants + 3*shirts + 15*dresses")
    m.expression("cost", "5*pants + shirts + 10*dresses")
    m.expression("waste", "1.5*pants + shirts + 3*dresses")
    m.constraint("budget", "cost <= 50000")
    m.goal("profit", "profit", at_least=150000)
    m.goal("waste", "waste", at_most=20000, over={"penalty": [{"up_to": 10000, "rate": 1}, {"rate": 3}]})
    r = m.solve()
    assert (r.value("pants"), r.value("shirts")) == (approx(F(40_000, 7)), approx(F(150_000, 7)))
    assert r.value("waste") == approx(30_000)
    assert r.objective == approx(F(270_000, 7))
