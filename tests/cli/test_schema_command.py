"""`goalprog schema`: the JSON Schema of problem format 1.

The schema must accept every shipped problem file and reject what goalprog rejects at the schema
level (a misspelt key first of all).  (Split from the former tests/test_schema_export.py; the
export half is tests/output/test_export.py.)
"""

import json

import pytest
from click.testing import CliRunner

import goalprog

from goalprog.cli import main
from goalprog.cli.commands.schema import SCHEMA_ID, json_data, problem_schema
from goalprog.spec.loader import load_yaml_file, load_yaml_text
from tests.helpers import PROBLEMS

PROBLEM_FILES = sorted(PROBLEMS.glob("*.yaml"))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# -- the JSON Schema ---------------------------------------------------------------------------

def _validator(dialect="2020-12"):
    """A validator of the schema: as declared (draft 2020-12), or as draft 7, the dialect editors'
    YAML language servers validate with (the schema uses nothing newer)."""
    jsonschema = pytest.importorskip("jsonschema", reason="the schema tests need the jsonschema package")
    schema = problem_schema()
    if dialect == "draft-07":
        schema = {**schema, "$schema": "http://json-schema.org/draft-07/schema#"}
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


DIALECTS = ["2020-12", "draft-07"]


def test_schema_is_a_json_schema_with_title_and_id():
    schema = problem_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    assert "format 1" in schema["title"]
    assert "expression" in schema["description"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"variables", "goals"}
    # text in a number field is an expression over parameters: said where it applies
    at_least = schema["$defs"]["GoalSpec"]["properties"]["at_least"]
    text = [b for b in at_least["anyOf"] if b.get("type") == "string"]
    assert text and "expression" in text[0]["description"]
    _validator()  # a valid schema for its dialect
    json.dumps(schema)  # plain JSON


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("path", PROBLEM_FILES, ids=[p.name for p in PROBLEM_FILES])
def test_schema_accepts_every_shipped_problem(path, dialect):
    v = _validator(dialect)
    # goalprog's own loader: 1e5 is a number and `presolve: off` a boolean, as goalprog reads them
    data = json_data(load_yaml_file(path).data)
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("dialect", DIALECTS)
def test_schema_rejects_a_misspelt_key(dialect):
    v = _validator(dialect)
    data = json_data(load_yaml_text(
        "variables: {pants: {}}\n"
        "goals:\n"
        "  profit: {expr: 10*pants, at_least: 150000, weigth: 2}\n").data)
    errors = list(v.iter_errors(data))
    assert errors, "a misspelt key must not validate"
    assert any("weigth" in e.message for e in errors)
    assert all(list(e.absolute_path)[:2] == ["goals", "profit"] for e in errors)
    with pytest.raises(goalprog.ProblemFileError, match="did you mean 'weight'"):
        goalprog.from_dict({"variables": {"pants": {}},
                            "goals": {"profit": {"expr": "10*pants", "at_least": 150000, "weigth": 2}}})


AGREE = [
    # (snippet after `variables: {x: {}}`, accepted by goalprog and so by the schema)
    ("goals: {g: {expr: x, at_least: 1e5}}", True),
    ("goals: {g: {expr: x, at_least: 1, priority: rank}}", True),
    ("goals: {g: {expr: x, at_least: inf}}", True),
    ("goals: {g: {maximize: x, priority: 2}}", True),
    ("goals: {g: {expr: x, at_least: 1, penalty: [{up_to: 10, rate: 1}, {up_to: inf, rate: 2}]}}", True),
    ("goals: {g: {expr: x, at_least: 1, penalty: [{up_to: 10, rate: 1}, {rate: inf}]}}", False),
    ("goals: {g: {expr: x, at_least: 1}}\nsolve: {verbose: yes, options: {presolve: off}}", True),
    ("goals: {g: {expr: x, at_least: 1}}\nsolve: {levels: {1: {achievement: chebyshev}}}", True),
    ("goals: {g: {expr: x, at_least: 1}}\nparams: {big: inf, b: 5}", True),
    ("goals: {g: {expr: x, at_least: 1, priority: 0}}", False),
    ("goals: {g: {expr: x, between: [1, 2, 3]}}", False),
    ("goals: {g: {expr: x, at_least: yes}}", False),
    ("goals: {}", False),
    ("goals: {g: {expr: x, at_least: 1}}\nformat: 2", False),
    ("goals: {g: {expr: x, at_least: 1}}\nsolve: {levels: {a: {achievement: chebyshev}}}", False),
    ("goals: {g: {expr: x, at_least: 1}}\nsolve: {methd: weighted}", False),
    ("goals: {g: {expr: 5, at_least: 1}}", False),
]


@pytest.mark.parametrize("snippet, ok", AGREE)
def test_schema_agrees_with_goalprog(snippet, ok):
    from goalprog.core.errors import ProblemFileError
    from goalprog.spec.schema import validate_document

    v = _validator()
    doc = load_yaml_text("variables: {x: {}}\n" + snippet)
    try:
        validate_document(doc)
        accepted = True
    except ProblemFileError:
        accepted = False
    assert accepted is ok
    assert (not list(v.iter_errors(json_data(doc.data)))) is ok


def test_schema_command_prints_and_writes(tmp_path):
    res = run("schema")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == json.loads(json.dumps(problem_schema()))
    out = tmp_path / "goalprog.schema.json"
    res = run("schema", "--output", out)
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())["$id"] == SCHEMA_ID
    res = run("schema", "-o", out)  # never replaced silently
    assert res.exit_code == 2 and "already exists" in res.output
    assert run("schema", "-o", out, "--force").exit_code == 0
    assert "yaml-language-server" in run("schema", "--help").output
