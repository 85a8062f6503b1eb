"""The schema of problem format 1, as frozen pydantic models (``extra="forbid"``).

See ``docs/format.md`` for the reference.  :func:`validate_document` turns a loaded
:class:`~goalprog.spec.loader.Document` into a :class:`ProblemSpec`, reporting every schema issue
at once with file:line:col and a "did you mean" hint for misspelt keys.

A number field accepts a YAML number or a text expression over parameters (``1 / demand[p]``);
those are checked later, when the problem is bound to its data.
"""

from __future__ import annotations

import math
from typing import Any, Literal, Union

from pydantic import (BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError, field_validator,
                      model_validator)

from ..core.errors import IssueCollector, SchemaError, did_you_mean
from .loader import Document, YamlBool, dotted

Number = Union[float, StrictStr]
"""A constant: a number, or a text expression over parameters (``demand[p] * 1.1``)."""

SUPPORTED_FORMATS = (1,)
METHODS = ("weighted", "preemptive")
BACKENDS = ("pulp", "pyomo", "highs")

_INF_TEXT = {"inf": math.inf, "+inf": math.inf, "infinity": math.inf, "+infinity": math.inf,
             "-inf": -math.inf, "-infinity": -math.inf}


def _coerce_number(value: Any) -> Any:
    if isinstance(value, YamlBool) or isinstance(value, bool):
        raise ValueError(f"expected a number, got the boolean {value!r}")
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            raise ValueError("the number is too large (beyond what a float holds)") from None
    if isinstance(value, str) and value.strip().lower() in _INF_TEXT:
        return _INF_TEXT[value.strip().lower()]
    return value


Priority = Union[int, StrictStr, None]
"""A priority level: a whole number >= 1 (1 = most important), or a text expression over
parameters that gives one for each instance of an indexed goal (``priority: rank[a]``)."""


MAX_PRIORITY = 1_000_000_000


def _check_priority(value: Any) -> Any:
    if isinstance(value, (YamlBool, bool)):
        raise ValueError(f"a priority is a whole number >= 1, got the boolean {value!r}")
    if isinstance(value, float):
        if not value.is_integer() or abs(value) > MAX_PRIORITY:
            raise ValueError(f"a priority is a whole number from 1 to {MAX_PRIORITY}, got {value!r}")
        value = int(value)
    if isinstance(value, int) and not 1 <= value <= MAX_PRIORITY:
        raise ValueError(f"a priority is a whole number from 1 (most important) to {MAX_PRIORITY}, got {value}")
    return value


TINY = 1e-300
"""The smallest nonzero magnitude of a rate, lambda or lock tolerance: smaller numbers (subnormal
doubles and their neighbours) end up as costs or bounds a solver cannot take (HiGHS crashed on a
lambda of 1e-320); see :data:`goalprog.solve.backends.base.TINY`."""

HUGE = 1e20
"""Solvers read numbers this large as infinite (HiGHS's ``infinite_bound``)."""


def _zero_or_tiny(name: str):
    """A validator: ``name`` is 0 or at least :data:`TINY` (after the field's own range check)."""
    def check(cls, v):
        if v is not None and 0 < abs(v) < TINY:
            raise ValueError(f"{name} is 0 or at least {TINY:g}, got {v!r}: smaller numbers make costs or bounds "
                             "that solvers cannot take")
        return v
    return classmethod(check)


def _no_text_number(v):
    """Quoted values are text in YAML: a solver setting must be written as a number."""
    if isinstance(v, str):
        raise ValueError(f"expected a number, got the text {v!r}; write it without quotes")
    if isinstance(v, YamlBool):
        raise ValueError(f"{v.text!r} is read by YAML as a boolean; write a number")
    return v


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


NORMALIZATIONS = ("none", "percent", "zero_one", "euclidean", "summation")
Normalize = Literal["none", "percent", "zero_one", "euclidean", "summation"]


class PenaltySegment(_Model):
    """One piece of a piecewise-linear penalty: ``rate`` per unit of deviation up to ``up_to``
    (cumulative, in the goal's units; the last piece has no ``up_to``)."""

    up_to: float | None = Field(default=None, gt=0)  # inf: the last piece has no end (nan fails gt)
    rate: float = Field(ge=0, allow_inf_nan=False)

    _n = field_validator("up_to", "rate", mode="before")(classmethod(lambda cls, v: _coerce_number(v)))
    _r = field_validator("rate")(_zero_or_tiny("a penalty rate"))

    @field_validator("up_to")
    @classmethod
    def _up_to_range(cls, v):
        if v is not None and not math.isinf(v) and not TINY <= v < HUGE:
            raise ValueError(f"up_to is a number from {TINY:g} to below {HUGE:g} (solvers read larger ones as "
                             f"infinite), or .inf on the last piece; got {v!r}")
        return v


def _check_segments(v):
    if v is None:
        return v
    ups = [s.up_to for s in v]
    if any(u is None for u in ups[:-1]):
        raise ValueError("only the last penalty piece may leave out 'up_to'")
    if any(math.isinf(u) for u in ups[:-1]):
        k = next(k for k, u in enumerate(ups[:-1]) if math.isinf(u))
        raise ValueError(f"penalty[{k}].up_to is infinite: only the last piece may be endless (leave out its "
                         "'up_to'); give the others increasing finite breakpoints")
    if any(b <= a for a, b in zip(ups, ups[1:]) if a is not None and b is not None):
        raise ValueError("the 'up_to' breakpoints must increase")
    rates = [s.rate for s in v]
    if any(b < a for a, b in zip(rates, rates[1:])):
        raise ValueError("penalty rates must not decrease (a convex penalty), e.g. "
                         "[{up_to: 10, rate: 1}, {rate: 5}]")
    return v


class DeviationSpec(_Model):
    """Priority, weight and penalty of one deviation (under or over) of a goal, overriding the goal's."""

    priority: Priority = None
    weight: Number | None = None
    penalty: list[PenaltySegment] | None = Field(default=None, min_length=1)

    _seg = field_validator("penalty")(classmethod(lambda cls, v: _check_segments(v)))

    _n = field_validator("weight", mode="before")(classmethod(lambda cls, v: _coerce_number(v)))
    _p = field_validator("priority", mode="before")(classmethod(lambda cls, v: _check_priority(v)))


class VariableSpec(_Model):
    """A decision variable (optionally indexed over sets)."""

    index: list[StrictStr] | StrictStr | None = None
    lower: Number | None = 0.0
    upper: Number | None = None
    type: Literal["continuous", "integer", "binary"] = "continuous"
    description: str | None = None
    units: str | None = None

    _n = field_validator("lower", "upper", mode="before")(classmethod(lambda cls, v: _coerce_number(v)))


class ExpressionSpec(_Model):
    """A named linear expression, optionally indexed with ``for:``."""

    expr: StrictStr
    for_: StrictStr | None = Field(default=None, alias="for")
    description: str | None = None
    units: str | None = None


class ConstraintSpec(_Model):
    """A hard constraint ``lhs <= rhs`` (or ``>=``, ``==``), optionally indexed."""

    expr: StrictStr
    for_: StrictStr | None = Field(default=None, alias="for")
    where: StrictStr | None = None
    description: str | None = None


class GoalSpec(_Model):
    """A goal (expression + target side) or a plain objective (maximize/minimize) at a level."""

    expr: StrictStr | None = None
    at_least: Number | None = None
    at_most: Number | None = None
    equal: Number | None = None
    between: list[Number] | None = None
    maximize: StrictStr | None = None
    minimize: StrictStr | None = None
    weight: Number = 1.0
    priority: Priority = None
    under: DeviationSpec | None = None
    over: DeviationSpec | None = None
    normalize: Normalize | None = None
    scale: Number | None = None
    penalty: list[PenaltySegment] | None = Field(default=None, min_length=1)
    for_: StrictStr | None = Field(default=None, alias="for")
    where: StrictStr | None = None
    description: str | None = None
    units: str | None = None

    _seg = field_validator("penalty")(classmethod(lambda cls, v: _check_segments(v)))
    _n = field_validator("at_least", "at_most", "equal", "weight", "scale", mode="before")(
        classmethod(lambda cls, v: _coerce_number(v)))
    _p = field_validator("priority", mode="before")(classmethod(lambda cls, v: _check_priority(v)))

    @field_validator("between", mode="before")
    @classmethod
    def _between(cls, v):
        if v is None:
            return v
        if not isinstance(v, list) or len(v) != 2:
            raise ValueError("between takes two values [low, high], e.g. between: [100, 200]")
        return [_coerce_number(x) for x in v]

    @model_validator(mode="after")
    def _one_kind(self):
        sides = [k for k in ("at_least", "at_most", "equal", "between") if getattr(self, k) is not None]
        objs = [k for k in ("maximize", "minimize") if getattr(self, k) is not None]
        if self.normalize is not None and self.scale is not None:
            raise ValueError("give either normalize or scale, not both (scale is a normalisation by your own divisor)")
        if objs:
            if self.normalize is not None or self.scale is not None or self.penalty is not None:
                raise ValueError("normalize, scale and penalty apply to goals, not to a maximize/minimize objective")
            if len(objs) > 1 or sides or self.expr is not None:
                raise ValueError("an objective has exactly one of maximize/minimize and no expr or target; "
                                 "a goal has expr and one of at_least/at_most/equal/between")
            if self.under is not None or self.over is not None:
                raise ValueError("under/over apply to goals, not to a maximize/minimize objective")
            return self
        if self.expr is None:
            raise ValueError("a goal needs 'expr' (the goal expression) and one of at_least/at_most/equal/between, "
                             "or a plain objective 'maximize: ...' / 'minimize: ...'")
        if len(sides) != 1:
            raise ValueError("a goal needs exactly one target side: at_least, at_most, equal or between"
                             + (f" (found {', '.join(sides)})" if sides else ""))
        side = sides[0]
        if side == "at_least" and self.over is not None:
            raise ValueError("an at_least goal penalises only under-achievement; remove 'over' or use equal/between")
        if side == "at_most" and self.under is not None:
            raise ValueError("an at_most goal penalises only over-achievement; remove 'under' or use equal/between")
        if side == "between":
            lo, hi = self.between
            if isinstance(lo, float) and isinstance(hi, float) and lo > hi:
                raise ValueError(f"between: the low end {lo:g} is above the high end {hi:g}")
        return self

    @property
    def kind(self) -> str:
        for k in ("at_least", "at_most", "equal", "between", "maximize", "minimize"):
            if getattr(self, k) is not None:
                return k
        raise AssertionError("validated goal without a kind")


class LockSpec(_Model):
    """Lock of preemptive GP: ``h_l <= h_l* + max(abs_tol, rel_tol * |h_l*|)``, one row per level
    (``granularity: level``) or one cap per unwanted deviation of the level (``goal``).
    ``style``: ``row`` (the lock rows only), ``face`` (also the bounds the lock implies through each
    level's optimal duals: the same values), ``fix`` (also fix every column with a nonzero reduced
    cost at its bound, as Gurobi does for LP hierarchies: later levels may not trade earlier ones
    along those columns), ``auto`` (the face where the benchmark showed it pays)."""

    abs_tol: float = Field(default=1e-5, ge=0, allow_inf_nan=False)
    rel_tol: float = Field(default=1e-9, ge=0, allow_inf_nan=False)
    granularity: Literal["level", "goal"] = "level"
    style: Literal["auto", "row", "face", "fix"] = "auto"

    _f = field_validator("abs_tol", "rel_tol", mode="before")(classmethod(lambda cls, v: _no_text_number(v)))
    _t = field_validator("abs_tol", "rel_tol")(_zero_or_tiny("a lock tolerance"))


class LevelSpec(_Model):
    """How one priority level's achievement function is formed (extended lexicographic GP)."""

    achievement: Literal["weighted", "chebyshev", "extended"] = "weighted"
    lambda_: float | None = Field(default=None, alias="lambda", ge=0, le=1)

    _l = field_validator("lambda_")(_zero_or_tiny("lambda"))

    @model_validator(mode="after")
    def _lambda_only_for_extended(self):
        if self.lambda_ is not None and self.achievement != "extended":
            raise ValueError(f"lambda applies to achievement: extended, not {self.achievement}")
        return self


class SolveSpec(_Model):
    """How to solve: method, backend, solver and their options."""

    method: Literal["weighted", "preemptive", "chebyshev", "extended"] | None = None
    lambda_: float = Field(default=0.5, alias="lambda", ge=0, le=1)
    """Extended GP: the weight of the weighted sum against the Chebyshev (min-max) part."""
    normalize: Normalize | None = None
    """Default normalisation of every goal's deviations (a goal's own ``normalize`` wins)."""
    levels: dict[int, LevelSpec] = Field(default_factory=dict)
    """Per priority level: its achievement function (weighted, chebyshev or extended with lambda)."""
    pareto: Literal["off", "check", "restore"] = "off"
    """After solving: check the plan for Pareto efficiency, and restore an efficient one if asked."""
    backend: Literal["pulp", "pyomo", "highs"] | None = None
    solver: StrictStr | None = None
    lock: LockSpec = LockSpec()
    algorithm: Literal["choose", "simplex", "ipm", "pdlp"] | None = None
    """HiGHS's LP algorithm: dual simplex, interior point (with crossover) or PDLP; default: HiGHS chooses."""
    time_limit: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    mip_gap: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    threads: int | None = Field(default=None, ge=1, le=1024)
    verbose: StrictBool = False
    accept_feasible: StrictBool = False

    _b = field_validator("verbose", "accept_feasible", mode="before")(
        classmethod(lambda cls, v: bool(v) if isinstance(v, YamlBool) else v))
    _f = field_validator("time_limit", "mip_gap", "lambda_", "threads", mode="before")(
        classmethod(lambda cls, v: _no_text_number(v)))
    _l = field_validator("lambda_")(_zero_or_tiny("lambda"))
    options: dict[StrictStr, Union[bool, int, float, StrictStr]] = Field(default_factory=dict)
    """Solver options passed through verbatim (e.g. HiGHS ``presolve: "off"``, ``mip_max_nodes: 100``)."""

    @field_validator("options", mode="before")
    @classmethod
    def _options(cls, v):
        # `presolve: off` is a YAML 1.1 boolean; solvers such as HiGHS want the word
        if isinstance(v, dict):
            return {k: (x.text if isinstance(x, YamlBool) and x.text.lower() in ("on", "off", "yes", "no")
                        else bool(x) if isinstance(x, YamlBool) else x) for k, x in v.items()}
        return v


class SetTableSpec(_Model):
    """A set given as an integer range or read from a CSV file.

    ``{range: [1, 12]}`` (inclusive, optional step: ``[0, 10, 2]``);
    ``{file: data/products.csv, column: product}`` (distinct values, in file order);
    ``{file: data/arcs.csv, columns: [origin, destination]}`` (a set of tuples).
    """

    range: list[int] | None = Field(default=None, min_length=2, max_length=3)
    file: StrictStr | None = None
    column: StrictStr | None = None
    columns: list[StrictStr] | None = Field(default=None, min_length=1)
    description: str | None = None

    @model_validator(mode="after")
    def _one_source(self):
        if (self.range is None) == (self.file is None):
            raise ValueError("a set is a list of members, {range: [first, last]} or {file: ..., column: ...}")
        if self.file is not None and (self.column is None) == (self.columns is None):
            raise ValueError("a set read from a file needs 'column: NAME' (or 'columns: [A, B]' for tuples)")
        if self.range is not None and (self.column is not None or self.columns is not None):
            raise ValueError("'column'/'columns' go with 'file', not with 'range'")
        return self


class ParamSpec(_Model):
    """A parameter: ``value`` (scalar), inline ``values`` over ``index``, or a CSV ``file``.

    From a file: ``keys`` are the index columns (default: the index set names), ``column`` the
    value column (default: the parameter's name); ``default`` fills index tuples with no row.
    """

    index: list[StrictStr] | StrictStr | None = None
    values: Any = None
    value: Number | None = None
    file: StrictStr | None = None
    column: StrictStr | None = None
    keys: list[StrictStr] | StrictStr | None = None
    default: Number | None = None
    description: str | None = None
    units: str | None = None

    _n = field_validator("value", "default", mode="before")(classmethod(lambda cls, v: _coerce_number(v)))

    @model_validator(mode="after")
    def _one_source(self):
        given = [k for k in ("value", "values", "file") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"a parameter takes one of value, values or file (found {', '.join(given)})")
        if self.file is None and (self.column is not None or self.keys is not None):
            raise ValueError("'column' and 'keys' go with 'file'")
        return self


SetSpec = Union[list[Any], SetTableSpec]


class ProblemSpec(_Model):
    """A whole problem file (format 1)."""

    format: StrictInt = 1
    name: str | None = None
    description: str | None = None
    sets: dict[StrictStr, SetSpec] = Field(default_factory=dict)
    params: dict[StrictStr, Union[float, ParamSpec]] = Field(default_factory=dict)
    variables: dict[StrictStr, VariableSpec | None]
    expressions: dict[StrictStr, StrictStr | ExpressionSpec] = Field(default_factory=dict)
    constraints: dict[StrictStr, StrictStr | ConstraintSpec] = Field(default_factory=dict)
    goals: dict[StrictStr, GoalSpec]
    solve: SolveSpec = SolveSpec()

    @field_validator("format")
    @classmethod
    def _format(cls, v):
        if v not in SUPPORTED_FORMATS:
            raise ValueError(f"unsupported format {v}; this goalprog reads format 1")
        return v

    @field_validator("params", mode="before")
    @classmethod
    def _params(cls, v):
        # a number stays a number; quoted text is an expression (budget: "2 * 25000"), never a silent cast
        if isinstance(v, dict):
            return {k: (_coerce_number(x) if isinstance(x, int) and not isinstance(x, bool)
                        else {"value": x} if isinstance(x, str) else x) for k, x in v.items()}
        return v

    @field_validator("goals")
    @classmethod
    def _goals(cls, v):
        if not v:
            raise ValueError("there are no goals; add at least one goal or objective")
        return v


_SECTION_MODELS = {
    (): ProblemSpec, ("solve",): SolveSpec, ("solve", "lock"): LockSpec,
}
_NESTED_MODELS = {("solve", "levels"): LevelSpec}


def _model_at(data: Any, loc: tuple) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``loc`` (for did-you-mean on keys)."""
    if loc in _SECTION_MODELS:
        return _SECTION_MODELS[loc]
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
        spec = ProblemSpec.model_validate(data)
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
            issues.add(msg, doc.location(loc), hint=hint)
        issues.raise_if_any()
        raise  # pragma: no cover
    check_solve_trust(spec.solve, doc, spec.solve.backend, spec.solve.solver)
    return spec


def check_solve_trust(solve: SolveSpec, doc: Document, backend: str | None, solver: str | None) -> None:
    """Refuse what a problem file may not ask of a solver (it is untrusted input; see
    :mod:`goalprog.spec.solvers`): a ``solve.solver`` that is not a known solver name of
    ``backend`` (``None``: of any backend), and ``solve.options`` outside the allow-list of
    ``solver`` on ``backend`` (options that read or write files, executable paths).

    Raises :class:`~goalprog.core.errors.SchemaError` located at the offending key.
    """
    from .solvers import file_solver_known, file_solver_names, option_problems, short

    issues = IssueCollector(SchemaError)
    if solve.solver is not None and not file_solver_known(solve.solver, solve.backend):
        names = file_solver_names(solve.backend)
        issues.add(f"{short(solve.solver)!r} is not a solver name"
                   + (f" of the {solve.backend} backend" if solve.backend else "")
                   + f"; a problem file may name one of: {', '.join(names)}",
                   doc.location(("solve", "solver")),
                   hint="a solver executable is named on the command line only: --solver-path PATH "
                        "(or solver_path= in Python)")
    elif solve.options:
        for key, message, hint in option_problems(solve.options, backend, solver):
            issues.add(message, doc.location(("solve", "options", key), key=True), hint=hint)
    issues.raise_if_any()


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
        return (f"{short_repr(value)}: {err.get('msg', '').lower()}", None)
    if etype == "finite_number":
        return (f"{short_repr(value)} is not a finite number", "write a number such as 5 or 0.25 (not .inf or .nan)")
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
            hint = "write a number such as 150000 or 1.5e5"
        if word == "text" and loc and loc[-1] in ("expr", "maximize", "minimize") and \
                isinstance(value, (int, float)) and not isinstance(value, bool):
            # expr: 5 - a constant is not something the decisions change
            return (f"the expression is the constant {short_repr(value)}, which no decision changes",
                    "write an expression over the variables, e.g. expr: 10*x + 3*y; a constant target goes "
                    "under at_least/at_most/equal/between")
        return (f"expected {word}, got {shown}", hint)
    return (err.get("msg", "invalid value"), None)
