"""``goalprog schema``: the JSON Schema of problem format 1, for editors and other tools.

The schema is generated from the pydantic models of :mod:`goalprog.spec.schema` (so it cannot drift
from what ``goalprog validate`` accepts), plus a title, an ``$id``, descriptions for editor hovers,
and the few rules the models check in code that a schema can say too (``format: 1``, priorities
>= 1, ``between`` takes two values, ``solve.levels`` keys are level numbers).  Rules that need the
whole file (one target side per goal, names defined, expressions linear) stay with
``goalprog validate``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

SCHEMA_ID = "urn:goalprog:schema:problem-format-1"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_NUMBER_OR_EXPRESSION = ("a number, or text: an expression over parameters such as `1 / demand[p]` "
                         "(checked when the file is loaded), or inf / -inf")
_EXPRESSION = "an expression (docs/format.md, section 5), e.g. `10*pants + 3*shirts`"

_FIELD_DOCS: dict[tuple[str, str], str] = {
    ("ProblemSpec", "format"): "The problem format: 1 (the default).",
    ("ProblemSpec", "name"): "The problem's name in reports. Default: goal_program.",
    ("ProblemSpec", "description"): "Free text.",
    ("ProblemSpec", "sets"): "Index sets: a list of members, {range: [first, last]} or {file: ..., column: ...}.",
    ("ProblemSpec", "params"): "Parameters: numbers, inline values over sets, or CSV columns.",
    ("ProblemSpec", "variables"): "Decision variables (required): name -> {lower, upper, type, index}; "
                                  "an empty entry is continuous with lower bound 0.",
    ("ProblemSpec", "expressions"): "Named linear expressions, usable in constraints, goals and other expressions.",
    ("ProblemSpec", "constraints"): "Hard constraints: `lhs <= rhs`, `>=`, `==`, or a range `lo <= expr <= hi`.",
    ("ProblemSpec", "goals"): "Goals (expr with at_least / at_most / equal / between) and plain objectives "
                              "(maximize / minimize), at least one.",
    ("ProblemSpec", "solve"): "How to solve: method, backend, solver, lock tolerances and options.",
    ("VariableSpec", "index"): "A set name or a list of set names: one variable per member (per combination).",
    ("VariableSpec", "lower"): "Lower bound (default 0); null, -inf or -.inf for none. " + _NUMBER_OR_EXPRESSION + ".",
    ("VariableSpec", "upper"): "Upper bound (default none); null, inf or .inf for none. " + _NUMBER_OR_EXPRESSION + ".",
    ("VariableSpec", "type"): "continuous (default), integer or binary.",
    ("ExpressionSpec", "expr"): "The expression: " + _EXPRESSION + ".",
    ("ExpressionSpec", "for"): "An index header, `p in products` or `p in products, m in months`, optionally with `if ...`.",
    ("ConstraintSpec", "expr"): "`lhs <= rhs`, `lhs >= rhs`, `lhs == rhs` or a range `lo <= expr <= hi`.",
    ("ConstraintSpec", "for"): "Index header: one constraint per binding (`p in products`).",
    ("ConstraintSpec", "where"): "A condition filtering the bindings of `for` (only with `for`).",
    ("GoalSpec", "expr"): "The goal expression: " + _EXPRESSION + ". Give exactly one of at_least, at_most, "
                          "equal, between with it.",
    ("GoalSpec", "at_least"): "Target: penalise falling below it (under-achievement). " + _NUMBER_OR_EXPRESSION + ".",
    ("GoalSpec", "at_most"): "Target: penalise rising above it (over-achievement). " + _NUMBER_OR_EXPRESSION + ".",
    ("GoalSpec", "equal"): "Target: penalise both deviations. " + _NUMBER_OR_EXPRESSION + ".",
    ("GoalSpec", "between"): "[low, high]: penalise falling below low and rising above high.",
    ("GoalSpec", "maximize"): "A plain objective to maximise at the goal's priority level (no expr, no target).",
    ("GoalSpec", "minimize"): "A plain objective to minimise at the goal's priority level (no expr, no target).",
    ("GoalSpec", "weight"): "Weight of the penalised deviation(s), default 1. " + _NUMBER_OR_EXPRESSION + ".",
    ("GoalSpec", "priority"): "Priority level, a whole number >= 1 (1 = most important), or an expression over "
                              "parameters giving one per instance (`rank[p]`).",
    ("GoalSpec", "under"): "{priority, weight, penalty} of the under-deviation alone (at_least, equal, between).",
    ("GoalSpec", "over"): "{priority, weight, penalty} of the over-deviation alone (at_most, equal, between).",
    ("GoalSpec", "normalize"): "Normalisation of the deviations: none, percent, zero_one, euclidean or summation.",
    ("GoalSpec", "scale"): "Divide the deviations by this number. " + _NUMBER_OR_EXPRESSION + ".",
    ("GoalSpec", "penalty"): "A convex piecewise-linear penalty: [{up_to: 10, rate: 1}, {rate: 5}].",
    ("GoalSpec", "for"): "Index header: one goal per binding (`p in products, m in months`).",
    ("GoalSpec", "where"): "A condition filtering the bindings of `for` (only with `for`).",
    ("DeviationSpec", "priority"): "Priority level of this deviation, overriding the goal's.",
    ("DeviationSpec", "weight"): "Weight of this deviation, overriding the goal's. " + _NUMBER_OR_EXPRESSION + ".",
    ("ParamSpec", "index"): "A set name or list of set names. None for a scalar.",
    ("ParamSpec", "values"): "Inline values: a mapping from members to numbers, nested one level per set; the "
                             "innermost level may be a list in set order.",
    ("ParamSpec", "value"): "The number of a scalar parameter.",
    ("ParamSpec", "file"): "A CSV file, relative to the problem file's folder.",
    ("ParamSpec", "column"): "The CSV column holding the values. Default: the parameter's name.",
    ("ParamSpec", "keys"): "The CSV columns holding the index values. Default: the index set names.",
    ("ParamSpec", "default"): "The value for index combinations that are not given.",
    ("SetTableSpec", "range"): "[first, last] or [first, last, step], both ends included.",
    ("SetTableSpec", "file"): "A CSV file, relative to the problem file's folder.",
    ("SetTableSpec", "column"): "The CSV column whose distinct values are the members.",
    ("SetTableSpec", "columns"): "CSV columns whose distinct rows are the members (a set of tuples).",
    ("SolveSpec", "method"): "weighted, preemptive, chebyshev or extended. Default: preemptive when any goal "
                             "has a priority, else weighted.",
    ("SolveSpec", "lambda"): "Extended GP: the weight of the weighted sum against the min-max part (0..1).",
    ("SolveSpec", "levels"): "Per priority level (a whole number as the key): its achievement function.",
    ("SolveSpec", "backend"): "highs (default: HiGHS directly), pulp or pyomo.",
    ("SolveSpec", "solver"): "Solver name: highs (default), cbc, glpk, ... as the backend allows.",
    ("SolveSpec", "lock"): "Lock of preemptive levels: exact by default; {abs_tol (alias slack_abs), rel_tol "
                           "(alias slack_rel): the slack option, granularity: level|goal, style: auto|row|face|fix}.",
    ("SolveSpec", "time_limit"): "Seconds (> 0) for each solve (each preemptive level separately).",
    ("SolveSpec", "mip_gap"): "Relative MIP gap (>= 0) at which a MIP solve stops (default 0); a stage "
                              "stopped at a gap above 0 is not proven optimal.",
    ("SolveSpec", "threads"): "Number of solver threads (>= 1).",
    ("SolveSpec", "verbose"): "Show the solver's log.",
    ("SolveSpec", "accept_feasible"): "Preemptive: lock a level stopped at a limit at its feasible solution and go on.",
    ("SolveSpec", "options"): "Solver options passed on as they are, e.g. {presolve: \"off\", mip_max_nodes: 1000}.",
    ("SolveSpec", "pareto"): "After solving: off, check (Pareto efficiency) or restore (an efficient plan).",
    ("SolveSpec", "normalize"): "Default normalisation of every goal's deviations (a goal's own normalize wins).",
}


def _branches(prop: dict) -> list:
    return prop.get("anyOf", [prop])


def _describe_strings(node: Any) -> None:
    """Give the text branch of every ``number | text`` union a description: the text is an expression."""
    if isinstance(node, dict):
        any_of = node.get("anyOf")
        if isinstance(any_of, list):
            types = {b.get("type") for b in any_of if isinstance(b, dict)}
            if "string" in types and ("number" in types or "integer" in types):
                for b in any_of:
                    if isinstance(b, dict) and b.get("type") == "string":
                        b.setdefault("description", "an expression over parameters (not decision variables), "
                                                    "e.g. `1 / demand[p]`; inf/-inf also mean infinity")
        for v in node.values():
            _describe_strings(v)
    elif isinstance(node, list):
        for v in node:
            _describe_strings(v)


def problem_schema() -> dict:
    """The JSON Schema (draft 2020-12) of problem format 1, as a dict."""
    from goalprog.spec.schema import MAX_PRIORITY, SUPPORTED_FORMATS, ProblemSpec

    raw = ProblemSpec.model_json_schema(by_alias=True)
    defs = raw.pop("$defs", {})
    raw.pop("title", None)        # the class name; ours is below
    raw.pop("description", None)  # "A whole problem file (format 1)."; ours says more
    schema = {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "goalprog problem file (format 1)",
        "description": (
            "A goal program for goalprog: decision variables, named expressions, hard constraints, goals and "
            "plain objectives, sets and parameters, and a solve section (docs/format.md). Text fields that hold "
            "expressions (expr, maximize, minimize, constraints, bounds, targets and weights given as text) are "
            "checked by goalprog when the file is loaded, not by this schema: run `goalprog validate FILE`. "
            "Generated from goalprog's pydantic models by `goalprog schema`."),
    }
    schema.update(raw)
    schema["$defs"] = defs
    models = dict(defs)
    models["ProblemSpec"] = schema

    for (model, field), text in _FIELD_DOCS.items():
        prop = models.get(model, {}).get("properties", {}).get(field)
        if prop is not None:
            prop["description"] = text

    top = schema["properties"]
    top["format"] = {**top["format"], "enum": list(SUPPORTED_FORMATS)}
    goal = defs["GoalSpec"]["properties"]
    for b in _branches(goal["between"]):
        if b.get("type") == "array":
            b["minItems"] = 2
            b["maxItems"] = 2
    for model in ("GoalSpec", "DeviationSpec"):
        for b in _branches(defs[model]["properties"]["priority"]):
            if b.get("type") == "integer":
                b["minimum"] = 1
                b["maximum"] = MAX_PRIORITY
    # goalprog reads the text inf / -inf / infinity as a number in these float-only fields too
    inf_text = {"type": "string", "pattern": "^[+-]?[iI][nN][fF]([iI][nN][iI][tT][yY])?$",
                "description": "infinity: inf, -inf, infinity or -infinity"}
    params = top["params"]["additionalProperties"]["anyOf"]
    params.insert(1, dict(inf_text))
    for field in ("up_to",):  # a rate is finite (an infinite rate is no penalty a solver takes)
        prop = defs["PenaltySegment"]["properties"][field]
        branches = prop.pop("anyOf", None) or [{k: prop.pop(k) for k in list(prop) if k in ("type", "minimum",
                                                                                           "exclusiveMinimum")}]
        pos_inf = {**inf_text, "pattern": inf_text["pattern"].replace("[+-]", "[+]"), "description": "infinity: inf"}
        prop["anyOf"] = [b for b in branches if b.get("type") != "null"] + [pos_inf] + \
            [b for b in branches if b.get("type") == "null"]
    levels = defs["SolveSpec"]["properties"]["levels"]
    levels["propertyNames"] = {"pattern": "^[0-9]+$"}
    goals = top["goals"]
    goals["minProperties"] = 1
    _describe_strings(schema)
    return schema


def schema_text(indent: int = 2) -> str:
    """:func:`problem_schema` as JSON text."""
    return json.dumps(problem_schema(), indent=indent, ensure_ascii=False)


def json_data(data: Any) -> Any:
    """A loaded problem file's data (``goalprog.spec.loader.load_yaml_file(path).data``) as the JSON
    an editor's schema check sees: YAML booleans as ``true``/``false``, mapping keys as text."""
    from goalprog.spec.loader import YamlBool

    if isinstance(data, YamlBool):
        return bool(data)
    if isinstance(data, dict):
        return {str(k): json_data(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [json_data(v) for v in data]
    return copy.copy(data)


_HELP = """Print the JSON Schema of problem format 1 (or write it with --output).

\b
The schema is generated from goalprog's own models, so an editor that knows it
flags unknown keys (a misspelt 'weigth'), wrong types and missing sections as
you type, and completes keys. For VS Code's YAML extension, write the schema to
a file and put this line at the top of a problem file:

\b
  goalprog schema -o goalprog.schema.json
  # yaml-language-server: $schema=./goalprog.schema.json

\b
(the path is relative to the problem file). See editor.md (goalprog --help says where). The schema does
not check expressions, names or data: `goalprog validate FILE` does.
"""

_EXIT_HELP = """\b
Exit codes:
  0  the schema was written          2  usage error (e.g. --output exists)
  1  internal error (a bug)
"""


def register(main) -> None:
    import click
    from pathlib import Path

    from goalprog.cli import echo_err, guard

    @main.command("schema", help=_HELP, epilog=_EXIT_HELP, short_help="Print the JSON Schema of the problem format.")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write the schema to this file instead of stdout.")
    @click.option("--force", is_flag=True, help="Allow --output to replace an existing file.")
    @click.option("--indent", type=click.IntRange(0, 8), default=2, show_default=True,
                  help="Spaces of JSON indentation (0: one line per value).")
    @click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
    @guard
    def schema(output, force, indent, debug):
        text = schema_text(indent)
        if output is None:
            click.echo(text)
            return
        from goalprog.core.outfiles import Outputs, write_text

        outputs = Outputs(force)
        target = outputs.file(output)
        outputs.ready()
        write_text(target, text + "\n")  # checked on the resolved path, atomic
        echo_err(f"wrote the JSON Schema of problem format 1 to {output}")
