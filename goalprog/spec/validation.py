"""Validating a loaded document against problem format 1, and pydantic's errors said in the terms
of the file.

:func:`validate_document` turns a :class:`~goalprog.spec.loader.Document` into a
:class:`~goalprog.spec.models.ProblemSpec`, reporting every schema issue at once with
file:line:col, the expected type in words and a "did you mean" hint for misspelt keys, and then
applies :func:`~goalprog.spec.trust.check_solve_trust`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.errors import IssueCollector, SchemaError, did_you_mean
from .loader import Document, YamlBool, dotted
from .solvers import MAX_FILE_THREADS
from .models import (ConstraintSpec, DeviationSpec, ExpressionSpec, GoalSpec, LevelSpec, LockSpec, MetaGoalSpec,
                     ParamSpec, PenaltySegment, ProblemSpec, SetTableSpec, SolveSpec, VariableSpec, number_example)
from .trust import check_solve_trust

_SECTION_MODELS = {
    (): ProblemSpec, ("solve",): SolveSpec, ("solve", "lock"): LockSpec,
}
_NESTED_MODELS = {("solve", "levels"): LevelSpec}


def _model_at(data: Any, loc: tuple) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``loc`` (for did-you-mean on keys)."""
    if loc in _SECTION_MODELS:
        return _SECTION_MODELS[loc]
    if len(loc) == 2 and loc[0] == "meta_goals":
        return MetaGoalSpec
    if len(loc) == 2:
        return {"variables": VariableSpec, "expressions": ExpressionSpec, "constraints": ConstraintSpec,
                "goals": GoalSpec, "params": ParamSpec, "sets": SetTableSpec}.get(loc[0])
    if len(loc) == 3 and loc[0] == "goals" and loc[2] in ("under", "over"):
        return DeviationSpec
    if len(loc) == 3 and loc[:2] == ("solve", "levels"):
        return LevelSpec
    if (len(loc) == 4 and loc[0] == "goals" and loc[2] == "penalty") or \
            (len(loc) == 5 and loc[0] == "goals" and loc[3] == "penalty"):
        return PenaltySegment
    return None


def _clean_loc(loc: tuple, data: Any) -> tuple:
    """Drop pydantic's union-branch labels from an error location, keeping real keys only."""
    out: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and part == "for_" and "for" in node:
            out.append("for")
            node = node["for"]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        else:
            continue
    return tuple(out)


def _value_at(data: Any, loc: tuple) -> Any:
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


_TYPE_WORDS = {
    "float_parsing": "a number", "float_type": "a number", "string_type": "text", "int_type": "a whole number",
    "int_parsing": "a whole number", "int_from_float": "a whole number", "dict_type": "a mapping (key: value lines)",
    "list_type": "a list", "model_type": "a mapping (key: value lines)", "bool_type": "true or false",
    "bool_parsing": "true or false", "model_attributes_type": "a mapping (key: value lines)",
}


def validate_document(doc: Document) -> ProblemSpec:
    """Validate a loaded document against format 1.

    Returns the frozen :class:`ProblemSpec`.  Raises :class:`~goalprog.core.errors.SchemaError` listing
    every issue with its location, the expected type, and a did-you-mean hint for misspelt keys.
    """
    issues = IssueCollector(SchemaError)
    data = doc.data
    if not isinstance(data, dict):
        issues.add("a problem file is a mapping with sections such as 'variables:' and 'goals:'",
                   doc.location(()), hint="start the file with 'name: ...' and 'variables:'")
        issues.raise_if_any()
    try:
        decided = frozenset(str(k) for sec in ("variables", "expressions")
                            if isinstance(data.get(sec), dict) for k in data[sec])
        spec = ProblemSpec.model_validate(data, context={"decided": decided})
    except ValidationError as exc:
        reported: set = set()
        errors = exc.errors()
        cleaned = [_clean_loc(tuple(e["loc"]), data) for e in errors]
        # a union such as `text | mapping` reports its text branch too when the mapping branch has
        # specific errors; keep only the specific ones (those located deeper than the union)
        errors = [e for e, loc in zip(errors, cleaned)
                  if not (e["type"] in _union_noise and isinstance(_value_at(data, loc), (dict, list))
                          and any(len(o) > len(loc) and o[:len(loc)] == loc for o in cleaned))]
        # a misspelt key ('exprr') also makes the right one ('expr') missing: report only the misspelling
        misspelt = set()
        for e, loc in zip(errors, cleaned):
            if e["type"] == "extra_forbidden":
                parent = loc[:-1] if loc and loc[-1] == e["loc"][-1] else loc
                model = _model_at(data, parent)
                if model is not None:
                    import difflib

                    fields = [f.alias or n for n, f in model.model_fields.items()]
                    for m in difflib.get_close_matches(str(e["loc"][-1]), fields, n=1, cutoff=0.6):
                        misspelt.add((parent, m))
        errors = [e for e in errors if not (e["type"] == "missing" and
                                            (_clean_loc(tuple(e["loc"]), data),
                                             "for" if e["loc"][-1] == "for_" else e["loc"][-1]) in misspelt)]
        for err in _ordered(errors, doc):
            loc = _clean_loc(tuple(err["loc"]), data)
            etype = err["type"]
            raw_loc = tuple(err["loc"])
            if etype == "extra_forbidden":
                key = raw_loc[-1]
                parent = loc[:-1] if loc and loc[-1] == key else loc
                model = _model_at(data, parent)
                fields = []
                if model is not None:
                    fields = [f.alias or n for n, f in model.model_fields.items()]
                hint = did_you_mean(key, fields) or (f"allowed keys: {', '.join(fields)}" if fields else None)
                msg_key = (parent + (key,))
                sig = ("extra", msg_key)
                if sig in reported:
                    continue
                reported.add(sig)
                issues.add(f"unknown key {short_repr(key)}", doc.location(msg_key, key=True), hint=hint)
                continue
            sig = (loc, etype if etype not in _union_noise else "union")
            if any(r[0] == loc for r in reported if isinstance(r, tuple) and len(r) == 2 and r[0] != "extra"):
                continue
            reported.add(sig)
            value = _value_at(data, loc)
            msg, hint = _describe(err, value, loc)
            if msg.startswith("a goal's expr is the quantity") and len(loc) == 2 and loc[0] == "goals":
                loc = loc + ("expr",)  # at the expression, not at the goal's '{' or key
            issues.add(msg, doc.location(loc), hint=hint)
        issues.raise_if_any()
        raise  # pragma: no cover
    check_solve_trust(spec.solve, doc, spec.solve.backend, spec.solve.solver)
    return spec


_union_noise = {"float_parsing", "float_type", "string_type", "dict_type", "model_type", "list_type",
                "model_attributes_type"}


def _ordered(errors, doc: Document):
    def line_of(err):
        loc = _clean_loc(tuple(err["loc"]), doc.data)
        l = doc.location(loc)
        return (l.line or 0, l.col or 0)
    # extra keys first at a place, then others; sort by position in the file
    return sorted(errors, key=line_of)


def short_repr(value: Any, limit: int = 120) -> str:
    """``repr`` cut to ``limit`` characters (a big list in the wrong place is not printed whole)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def _describe(err: dict, value: Any, loc: tuple) -> tuple[str, str | None]:
    etype = err["type"]
    if isinstance(value, YamlBool):
        return (f"{value.text!r} is read by YAML as the boolean {bool(value)}",
                f"quote it to use it as text: \"{value.text}\"")
    if etype == "missing":
        missing = err["loc"][-1]
        where = dotted(loc) or "the file"
        missing = "for" if missing == "for_" else missing
        hints = {"variables": "declare decision variables, e.g. variables: {x: {lower: 0}}",
                 "goals": "add goals, e.g. goals: {profit: {expr: 10*x, at_least: 100}}",
                 "expr": "give the expression, e.g. expr: 10*x + 3*y"}
        return (f"'{missing}' is missing in {where}", hints.get(str(missing)))
    if etype == "value_error":
        msg = err.get("msg", "invalid value")
        msg = msg.removeprefix("Value error, ")
        return (msg, None)
    if etype == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        hint = None
        if isinstance(value, str):
            options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
            hint = did_you_mean(value, options)
        return (f"{short_repr(value)} is not allowed here; expected {expected}", hint)
    if etype in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        hint = None
        if loc == ("solve", "threads"):
            hint = (f"a problem file may ask for 1 to {MAX_FILE_THREADS} threads; for more, leave it out of the "
                    "file and give --threads N (threads= in Python)")
        return (f"{short_repr(value)}: {err.get('msg', '').lower()}", hint)
    if etype == "finite_number":
        return (f"{short_repr(value)} is not a finite number", "write a number such as 5 or 0.25 (not .inf or .nan)")
    if etype == "too_short" and loc == ("meta_goals",):
        return ("the list of meta-goals is empty", "give at least one meta-goal, e.g. - {of: unmet, at_most: 0}, or "
                                                "leave the section out")
    if etype in ("too_short", "too_long"):
        return (err.get("msg", "wrong length"), None)
    word = _TYPE_WORDS.get(etype)
    if word:
        shown = "nothing (an empty value)" if value is None else short_repr(value)
        hint = None
        if word.startswith("a mapping") and isinstance(value, str):
            hint = "write the entry as a mapping, e.g. {expr: ..., at_least: ...}"
        if word.startswith("a mapping") and len(loc) == 2 and loc[0] in ("goals", "variables", "constraints"):
            model = {"goals": GoalSpec, "variables": VariableSpec, "constraints": ConstraintSpec}[loc[0]]
            fields = [f.alias or n for n, f in model.model_fields.items()]
            if loc[1] in fields:
                hint = (f"'{loc[1]}' is a key of one {loc[0][:-1]}, not a {loc[0][:-1]} name: indent it under the "
                        f"{loc[0][:-1]} it belongs to")
        if word == "a number" and isinstance(value, str):
            hint = f"write {number_example(loc)}"
        if word == "text" and loc and loc[-1] in ("expr", "maximize", "minimize") and \
                isinstance(value, (int, float)) and not isinstance(value, bool):
            # expr: 5 - a constant is not something the decisions change
            return (f"the expression is the constant {short_repr(value)}, which no decision changes",
                    "write an expression over the variables, e.g. expr: 10*x + 3*y; a constant target goes "
                    "under at_least/at_most/equal/between")
        return (f"expected {word}, got {shown}", hint)
    return (err.get("msg", "invalid value"), None)
