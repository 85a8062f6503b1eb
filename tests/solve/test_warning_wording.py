"""Issue 14: warnings say what fits the method (the Chebyshev weight warning does not speak of a
weighted sum), and ``goalprog validate`` prints the warnings known before any solve.

Chebyshev by hand: x + y <= 10, important x >= 10 (weight 10,000), minor y >= 10 (weight 1);
min D with 10,000 (10 - x) <= D and 10 - y <= D: at the optimum both are equal and x + y = 10, so
10,000 (10 - x) = x, x = 100,000/10,001: important misses by 10/10,001, 1/10,000 of minor's miss.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import yaml
from click.testing import CliRunner

import goalprog
from goalprog.cli import main

SPEC = {"variables": {"x": {}, "y": {}}, "constraints": {"share": "x + y <= 10"},
        "goals": {"important": {"expr": "x", "at_least": 10, "weight": 10000},
                  "minor": {"expr": "y", "at_least": 10, "weight": 1}}}


def test_the_chebyshev_weight_warning_fits_chebyshev():
    r = goalprog.from_dict({**SPEC, "solve": {"method": "chebyshev"}}).solve(backend="highs")
    assert r.value("x") == pytest.approx(float(Fraction(100000, 10001)), rel=1e-9)
    hits = [w for w in r.warnings if w.startswith("the weights in the achievement function range")]
    assert len(hits) == 1, r.warnings
    assert "weighted sum" not in hits[0]
    assert ("a Chebyshev (min-max) achievement evens out the weighted deviations, so important is not kept first: "
            "wherever minor misses, important may miss too, by up to 1/10,000 as much") in hits[0]


def test_a_chebyshev_level_of_a_chain_gets_the_chebyshev_wording():
    goals = {k: {**v, "priority": 1} for k, v in SPEC["goals"].items()}
    goals["small_y"] = {"minimize": "y", "priority": 2}
    spec = {**SPEC, "goals": goals, "solve": {"levels": {1: {"achievement": "chebyshev"}}}}
    ws = goalprog.from_dict(spec).solve(backend="highs").warnings
    hit = next(w for w in ws if w.startswith("the weights in priority level 1 range"))
    assert "Chebyshev (min-max)" in hit and "weighted sum" not in hit


def test_the_weighted_wording_is_kept_for_a_weighted_sum():
    ws = goalprog.from_dict(SPEC).solve(backend="highs").warnings
    assert any("a weighted sum still trades goals off, so the plan gives up on important" in w for w in ws), ws


def test_validate_prints_the_warnings_known_before_solving(tmp_path):
    spec = {"variables": {"x": {"upper": 10}, "y": {"upper": 3}},
            "goals": {"a": {"expr": "x", "at_least": 5, "priority": 1},
                      "b": {"expr": "y", "at_least": 4, "weight": 0, "priority": 2},
                      "d": {"expr": "x", "at_least": 3, "priority": 3}}}
    f = tmp_path / "p.yaml"
    f.write_text(yaml.safe_dump(spec))
    r = CliRunner().invoke(main, ["validate", str(f)])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].endswith("method preemptive (default)")
    assert "warning: priority level 2 is decided by nothing: every goal and objective in it weighs 0 (b); " in r.output
    assert "warning: b (the best is 1 short of 4) can never be met" in r.output
    # the weighted method's own wording and its note on ignored priorities
    spec["solve"] = {"method": "weighted"}
    f.write_text(yaml.safe_dump(spec))
    out = CliRunner().invoke(main, ["validate", str(f)]).output
    assert "warning: the weighted method ignores priorities (3 levels given)" in out
    assert "b weighs 0 in the achievement function" in out
