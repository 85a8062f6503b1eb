"""PyYAML's syntax errors in plain words, at the key to mend (issue 14, "what trips up a new user")."""

from __future__ import annotations

import pytest

from goalprog.core.errors import YamlError
from goalprog.spec.loader import load_yaml_text

HEAD = "variables:\n  x: {lower: 0}\ngoals:\n  g:\n"


def _issue(text):
    with pytest.raises(YamlError) as exc:
        load_yaml_text(text, "p.yaml")
    (issue,) = exc.value.issues
    return issue


def test_indexed_value_in_a_flow_mapping_says_quote_it_or_use_block_style():
    text = ("sets:\n  d: [a, b]\nparams:\n  short_weight: {index: d, values: {a: 1, b: 2}}\n"
            "variables:\n  x: {index: d}\n"
            "goals:\n  g: {for: i in d, expr: \"x[i]\", at_least: 3, weight: short_weight[i], priority: 1}\n")
    issue = _issue(text)
    assert "the value of 'weight' (short_weight[i])" in issue.message
    assert "expected ','" not in issue.message
    assert issue.hint.startswith("quote it or use block style")
    assert 'weight: "short_weight[i]"' in issue.hint
    assert issue.location.line == 8


def test_key_indented_to_no_level_names_the_key_and_its_line():
    text = HEAD + "    expr: x\n   at_least: 3\n    priority: 1\n"
    issue = _issue(text)
    assert "<block end>" not in issue.message
    assert "the key 'at_least' is indented by 3 spaces, which matches no key above it" in issue.message
    assert (issue.location.line, issue.location.col) == (6, 4)
    assert "indent 'at_least'" in issue.hint


def test_key_indented_under_a_key_with_a_value_points_at_the_key():
    text = HEAD + "    expr: x\n      at_least: 3\n    priority: 1\n"
    issue = _issue(text)
    assert "mapping values are not allowed" not in issue.message
    assert "the key 'at_least' is indented more than 'expr'" in issue.message
    assert (issue.location.line, issue.location.col) == (6, 7)
    assert "(4 spaces)" in issue.hint


def test_key_without_colon_points_at_its_own_line_not_the_next():
    text = HEAD + "    expr: x\n    at_least 3\n    priority: 1\n"
    issue = _issue(text)
    assert "could not find expected" not in issue.message
    assert "'at_least 3' is neither a 'key: value' line" in issue.message
    assert issue.location.line == 6


def test_unclosed_quote_points_at_the_quote():
    issue = _issue(HEAD + '    expr: "x\n    at_least: 3\n')
    assert "a quote opened here is never closed" in issue.message
    assert (issue.location.line, issue.location.col) == (5, 11)
