"""The models of problem format 1: frozen pydantic models (``extra="forbid"``), one per mapping
of a problem file, with the coercions of a number, a priority and a penalty.

See ``docs/format.md`` for the reference.  A number field accepts a YAML number or a text
expression over parameters (``1 / demand[p]``); those are checked later, when the problem is bound
to its data.  :mod:`goalprog.spec.validation` validates a loaded document against
:class:`ProblemSpec` and translates pydantic's errors; :mod:`goalprog.spec.schema` re-exports both.
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal, Union

from pydantic import (BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationInfo, field_validator,
                      model_validator)

from .loader import YamlBool
from .solvers import MAX_FILE_THREADS

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

_NUMBER_EXAMPLES = {
    "priority": "a whole number such as 1 or 2 (1 = most important)",
    "weight": "a number such as 1 or 0.5",
    "scale": "a positive number such as 1000 (the goal's deviations are divided by it)",
    "lower": "a number such as 0 or -10",
    "upper": "a number such as 100 or 1e6",
}


_SIMPLE = re.compile(r"^[A-Za-z_]\w*(\[[^\[\]]*\])?$")
_NAME = re.compile(r"[A-Za-z_]\w*")


def _split_comparison(expr: str) -> tuple[str, str, str] | None:
    """``x + y >= 6`` -> ``('x + y', '>=', '6')``, or ``None`` when ``expr`` holds no single
    top-level ``>=``, ``<=`` or ``==``."""
    depth, found = 0, []
    for i, ch in enumerate(expr):
        depth += ch in "([" and 1 or (-1 if ch in ")]" else 0)
        if depth == 0 and expr[i:i + 2] in (">=", "<=", "=="):
            found.append(i)
    if len(found) != 1:
        return None
    i = found[0]
    left, op, right = expr[:i].strip(), expr[i:i + 2], expr[i + 2:].strip()
    return (left, op, right) if left and right else None


def _is_constant(text: str, decided: frozenset | None) -> bool:
    """Whether ``text`` is a constant target: a number, or (when the names that depend on the
    decisions, ``decided``, are known) text that names none of them."""
    try:
        float(text)
        return True
    except ValueError:
        pass
    return decided is not None and not any(n in decided for n in _NAME.findall(text))


def _difference(left: str, right: str) -> str:
    return f"{left} - {right}" if _SIMPLE.match(right) or _is_constant(right, None) else f"{left} - ({right})"


def _comparison_as_side(expr: str, decided: frozenset | None = None) -> str | None:
    """``expr: total_choc >= 6`` written as a goal's two keys (``'expr: total_choc' and
    'at_least: 6'``; ``<=`` gives ``at_most``, ``==`` ``equal``), or ``None`` when ``expr`` holds no
    single top-level comparison.  A right side that is not a constant (it names a variable or an
    expression of ``decided``; any name when ``decided`` is ``None``) cannot be a target, so the
    difference is the quantity: ``'expr: x - y' and 'equal: 0'``."""
    parts = _split_comparison(expr)
    if parts is None:
        return None
    left, op, right = parts
    side = {">=": "at_least", "<=": "at_most", "==": "equal"}[op]
    if _is_constant(right, decided):
        return f"'expr: {left}' and '{side}: {right}'"
    return (f"'expr: {_difference(left, right)}' and '{side}: 0' (a target must be a constant, and {right} "
            "depends on the decision variables)")


def _comparison_with_target(expr: str, side: str, target: Any, decided: frozenset | None) -> str | None:
    """The message for a comparison in the expr of a goal that already has its target ``side``."""
    parts = _split_comparison(expr)
    if parts is None:
        return None
    left, _, right = parts
    quantity = left if _is_constant(right, decided) else _difference(left, right)
    def num(t):
        return str(int(t)) if isinstance(t, float) and t.is_integer() and abs(t) < 1e15 else str(t)
    shown = num(target) if not isinstance(target, list) else "[" + ", ".join(num(t) for t in target) + "]"
    return (f"a goal's expr is the quantity, not a comparison, and this goal already has its target "
            f"({side}: {shown}): remove the comparison: 'expr: {quantity}'")


def number_example(path) -> str:
    """What a number looks like in the field at key path ``path`` (its last key, or ``between``'s
    for an entry of ``between: [low, high]``), for hints: a priority is a whole number such as 1 or 2,
    a weight a number such as 1 or 0.5, a target a number such as 150000 or 1.5e5."""
    path = tuple(path or ())
    key = path[-1] if path else None
    if isinstance(key, int) and len(path) >= 2:
        key = path[-2]
    return _NUMBER_EXAMPLES.get(key, "a number such as 150000 or 1.5e5")



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
    def _one_kind(self, info: ValidationInfo):
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
        # the names that depend on the decisions (variables, expressions), given by validate_document
        decided = (info.context or {}).get("decided") if info is not None else None
        if not sides and isinstance(self.expr, str):
            written = _comparison_as_side(self.expr, decided)
            if written:
                raise ValueError(f"a goal's expr is the quantity, not a comparison: write {written}")
        if len(sides) == 1 and isinstance(self.expr, str):
            written = _comparison_with_target(self.expr, sides[0], getattr(self, sides[0]), decided)
            if written:
                raise ValueError(written)
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
    """Lock of preemptive GP.  By default (no ``abs_tol``/``rel_tol``) the exact lexicographic
    optimum: each later level is optimised over the earlier levels' optimal set (the optimal face
    of an LP level plus a guard row that absorbs only the solver's feasibility tolerance; see
    docs/methods.md).  ``abs_tol``/``rel_tol`` (or their clearer names ``slack_abs``/``slack_rel``)
    are the slack option: later levels may trade ``max(abs_tol, rel_tol * |h_l*|)`` of each
    earlier level, one row per level (``granularity: level``) or one cap per unwanted deviation
    of the level (``goal``).  ``style``: ``row`` (the lock rows only), ``face`` (also the bounds
    the lock implies through each level's optimal duals: the same values), ``fix`` (also fix
    every column with a nonzero reduced cost at its bound, as Gurobi does for LP hierarchies),
    ``auto`` (exact: the optimal face; with a slack: the face where the benchmark showed it pays)."""

    abs_tol: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    rel_tol: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    slack_abs: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    slack_rel: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    granularity: Literal["level", "goal"] = "level"
    style: Literal["auto", "row", "face", "fix"] = "auto"

    _f = field_validator("abs_tol", "rel_tol", "slack_abs", "slack_rel", mode="before")(
        classmethod(lambda cls, v: _no_text_number(v)))
    _t = field_validator("abs_tol", "rel_tol", "slack_abs", "slack_rel")(_zero_or_tiny("a lock tolerance"))

    @model_validator(mode="after")
    def _one_name_each(self):
        for old, new in (("abs_tol", "slack_abs"), ("rel_tol", "slack_rel")):
            if getattr(self, old) is not None and getattr(self, new) is not None:
                raise ValueError(f"{old} and {new} are two names of one setting; give one")
            if getattr(self, new) is not None:
                object.__setattr__(self, old, getattr(self, new))
        return self


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

    method: Literal["weighted", "preemptive", "chebyshev", "extended", "meta", "fewest_unmet"] | None = None
    lambda_: float = Field(default=0.5, alias="lambda", ge=0, le=1)
    """Extended GP: the weight of the weighted sum against the Chebyshev (min-max) part."""
    normalize: Normalize | None = None
    """Default normalisation of every goal's deviations (a goal's own ``normalize`` wins)."""
    levels: dict[int, LevelSpec] = Field(default_factory=dict)
    """Per priority level: its achievement function (weighted, chebyshev or extended with lambda)."""
    pareto: Literal["off", "check", "restore"] = "off"
    rates: Literal["auto", "on", "off"] = "auto"
    sensitivity: StrictBool = False
    """After solving: constraint and target rates and weight ranges of the plan."""
    """After solving: check the plan for Pareto efficiency, and restore an efficient one if asked."""
    backend: Literal["pulp", "pyomo", "highs"] | None = None
    solver: StrictStr | None = None
    lock: LockSpec = LockSpec()
    algorithm: Literal["choose", "simplex", "ipm", "pdlp"] | None = None
    """HiGHS's LP algorithm: dual simplex, interior point (with crossover) or PDLP; default: HiGHS chooses."""
    time_limit: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    mip_gap: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    threads: int | None = Field(default=None, ge=1, le=MAX_FILE_THREADS)
    """Solver threads, 1 to :data:`~goalprog.spec.solvers.MAX_FILE_THREADS` from a file (``--threads`` takes up to 1024)."""
    verbose: StrictBool = False
    accept_feasible: StrictBool = False

    _b = field_validator("verbose", "accept_feasible", "sensitivity", mode="before")(
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


def _check_sheet(file, sheet) -> None:
    """``sheet`` goes with ``file`` (that the file is a spreadsheet is checked when it is read)."""
    if sheet is not None and file is None:
        raise ValueError("'sheet' goes with 'file' (a spreadsheet: file: data.xlsx, sheet: products)")


class SetTableSpec(_Model):
    """A set given as an integer range or read from a data file (CSV, a spreadsheet's sheet, Parquet).

    ``{range: [1, 12]}`` (inclusive, optional step: ``[0, 10, 2]``);
    ``{file: data/products.csv, column: product}`` (distinct values, in file order);
    ``{file: data/plan.xlsx, sheet: products, column: product}`` (a worksheet);
    ``{file: data/arcs.csv, columns: [origin, destination]}`` (a set of tuples).
    """

    range: list[int] | None = Field(default=None, min_length=2, max_length=3)
    file: StrictStr | None = None
    column: StrictStr | None = None
    columns: list[StrictStr] | None = Field(default=None, min_length=1)
    sheet: StrictStr | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _one_source(self):
        _check_sheet(self.file, self.sheet)
        if (self.range is None) == (self.file is None):
            raise ValueError("a set is a list of members, {range: [first, last]} or {file: ..., column: ...}")
        if self.file is not None and (self.column is None) == (self.columns is None):
            raise ValueError("a set read from a file needs 'column: NAME' (or 'columns: [A, B]' for tuples)")
        if self.range is not None and (self.column is not None or self.columns is not None):
            raise ValueError("'column'/'columns' go with 'file', not with 'range'")
        return self


class ParamSpec(_Model):
    """A parameter: ``value`` (scalar), inline ``values`` over ``index``, or a data ``file`` (CSV,
    ``.xlsx`` with ``sheet``, ``.parquet``).

    From a file: ``keys`` are the index columns (default: the index set names), ``column`` the
    value column (default: the parameter's name); ``default`` fills index tuples with no row.
    """

    index: list[StrictStr] | StrictStr | None = None
    values: Any = None
    value: Number | None = None
    file: StrictStr | None = None
    column: StrictStr | None = None
    keys: list[StrictStr] | StrictStr | None = None
    sheet: StrictStr | None = None
    default: Number | None = None
    description: str | None = None
    units: str | None = None

    _n = field_validator("value", "default", mode="before")(classmethod(lambda cls, v: _coerce_number(v)))

    @model_validator(mode="after")
    def _one_source(self):
        _check_sheet(self.file, self.sheet)
        given = [k for k in ("value", "values", "file") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"a parameter takes one of value, values or file (found {', '.join(given)})")
        if self.file is None and (self.column is not None or self.keys is not None):
            raise ValueError("'column' and 'keys' go with 'file'")
        return self


SetSpec = Union[list[Any], SetTableSpec]


class MetaGoalSpec(_Model):
    """A meta-goal (Rodríguez Uría, Caballero, Ruiz & Romero, *EJOR* 136 (2002) 422-429): a target
    on a measure of the whole goal programme.  ``of``: ``total`` (the weighted sum of unwanted
    deviations), ``worst`` (the largest weighted unwanted deviation) or ``unmet`` (the number of
    goal instances not met); ``at_most``: the target; ``priority``/``weight``: the meta-goal's
    place in the meta achievement function (preemptive by priority, weighted within a level);
    ``level``: only the goals of that priority level (default: every goal)."""

    name: StrictStr | None = None
    of: Literal["total", "worst", "unmet"]
    at_most: float = Field(ge=0, allow_inf_nan=False)
    priority: StrictInt = Field(default=1, ge=1, le=MAX_PRIORITY)
    weight: float = Field(default=1.0, gt=0, allow_inf_nan=False)
    level: StrictInt | None = Field(default=None, ge=1, le=MAX_PRIORITY)
    description: str | None = None

    _f = field_validator("at_most", "weight", mode="before")(classmethod(lambda cls, v: _no_text_number(v)))
    _p = field_validator("priority", "level", mode="before")(classmethod(lambda cls, v: _check_priority(v)))


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
    meta_goals: list[MetaGoalSpec] | None = Field(default=None, min_length=1)
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
