"""The values a sweep varies: ranges ``a:b:step`` in exact decimals, comma lists read as YAML, and
the ``KEY=VALUES`` items of ``goalprog sweep --vary`` (see :mod:`goalprog.analysis.sweep`)."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from ..core.errors import ArgumentError, Issue, clip

MAX_RUNS = 1_000_000
"""The most runs one sweep may have (a range with a tiny step is usually a typo)."""

_NUMBER = r"[-+]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?"
_RANGE_RE = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*:\s*({_NUMBER})\s*$")
_RANGE_2_RE = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*$")
_NON_FINITE = r"[-+]?\.?(?:inf(?:inity)?|nan)"  # as Python and YAML write them: inf, -Infinity, .nan, ...
_PART = rf"(?:{_NUMBER}|{_NON_FINITE})"
_NON_FINITE_RANGE_RE = re.compile(rf"^\s*{_PART}\s*:\s*{_PART}\s*:\s*{_PART}\s*$", re.IGNORECASE)
VARY_HINT = "write KEY=START:STOP:STEP (e.g. goals.waste.weight=0.5:3:0.25) or KEY=V1,V2,V3"


def parse_range(text: str) -> list | None:
    """``"0.5:3:0.25"`` -> ``[0.5, 0.75, ..., 3.0]``; ``None`` when ``text`` is not a range.

    Exact decimal arithmetic: the stop is included when it is on the grid, whatever binary
    floating point would say.  Whole-number ranges (``1:10:1``) give ints.  Raises
    :class:`~goalprog.core.errors.ArgumentError` for a zero step, a step that goes away from the stop,
    an end or a step that is not finite (``1:2:nan``, ``1:inf:1``), or more than :data:`MAX_RUNS` values.
    """
    from ..core.errors import clip

    m = _RANGE_RE.match(text)
    if not m:
        if _RANGE_2_RE.match(text):
            raise ArgumentError(f"{clip(text)!r}: a range needs a step, START:STOP:STEP", hint=VARY_HINT)
        if _NON_FINITE_RANGE_RE.match(text):  # a range in form, not one text value for every run
            raise ArgumentError(f"{clip(text)!r}: the ends and the step of a range are finite numbers",
                                hint=VARY_HINT)
        return None
    shown = clip(text)
    try:
        start, stop, step = (Decimal(g.replace("_", "")) for g in m.groups())
    except InvalidOperation:  # pragma: no cover - the regex admits only numbers
        return None
    if not all(d.is_finite() for d in (start, stop, step)):
        raise ArgumentError(f"{shown!r}: the ends and the step of a range are finite numbers", hint=VARY_HINT)
    if step == 0:
        raise ArgumentError(f"{shown!r}: the step is 0", hint="e.g. 0.5:3:0.25")
    if (step > 0 and stop < start) or (step < 0 and stop > start):  # compared, not multiplied: no overflow
        raise ArgumentError(f"{shown!r}: the step {clip(step)} goes away from the stop {clip(stop)}",
                            hint=f"use a {'negative' if stop < start else 'positive'} step")
    big = Decimal("1e300")
    if any(d > big or d < -big for d in (start, stop)):  # compared: abs() would round in the context
        raise ArgumentError(f"{shown!r}: the ends of a range are numbers up to 1e300 in size", hint="check the ends")
    try:  # exponents far beyond a float's overflow Decimal's context: the range has too many values anyway
        steps = (stop - start) / step
    except ArithmeticError:
        steps = None
    if steps is None or steps >= MAX_RUNS:
        many = "far more than 10^999999" if steps is None else \
            f"{int(steps) + 1:,}" if steps < 10 ** 30 else f"about {steps + 1:.3E}"
        raise ArgumentError(f"{shown!r} has {many} values; a sweep is limited to {MAX_RUNS:,} runs",
                            hint="check the step")
    count = int(steps) + 1  # int() truncates towards 0: the last point on the grid
    whole = all(d == d.to_integral_value() for d in (start, step))
    values = [start + k * step for k in range(count)]
    return [int(v) if whole else float(v) for v in values]


def parse_vary_values(text: str, *, what: str = "the values") -> list:
    """``"0.5:3:0.25"`` (a range, see :func:`parse_range`) or ``"v1,v2,v3"`` (each read as YAML:
    ``weighted,preemptive``, ``1e5,2e5``, ``[1, 2],[3, 4]``) -> a list of values."""
    if not isinstance(text, str) or not text.strip():
        raise ArgumentError(f"{what} are empty", hint=VARY_HINT)
    rng = parse_range(text)
    if rng is not None:
        return rng
    from ..spec.overrides import parse_value

    pieces = _split_commas(text)
    if any(not p.strip() for p in pieces):
        from ..core.errors import clip

        raise ArgumentError(f"{what} {clip(text)!r} have an empty item between commas", hint=VARY_HINT)
    issues: list[Issue] = []
    values = []
    for piece in pieces:
        try:
            values.append(parse_value(piece, what=f"{what}: the value"))
        except ArgumentError as exc:
            issues.extend(exc.issues)
    if issues:
        raise ArgumentError(issues)
    return values


def _split_commas(text: str) -> list[str]:
    """Split at the commas that are not inside [ ], { } or quotes: ``1,[2, 3],'a,b'`` -> 3 pieces."""
    pieces, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


def parse_vary_item(item: str) -> tuple[str, list]:
    """``"goals.waste.weight=0.5:3:0.25"`` -> ``("goals.waste.weight", [0.5, 0.75, ...])``."""
    from ..spec.overrides import split_key

    if not isinstance(item, str) or "=" not in item:
        raise ArgumentError(f"--vary {clip(item)!r}: expected KEY=VALUES", hint=VARY_HINT)
    key, text = item.split("=", 1)
    key = key.strip()
    try:
        split_key(key)
    except ValueError as exc:
        raise ArgumentError(f"--vary {clip(item)!r}: {exc}", hint=VARY_HINT) from None
    return key, parse_vary_values(text, what=f"--vary {clip(item)!r}: the values")


def vary_lists(vary: dict) -> dict[str, list]:
    if not isinstance(vary, dict) or not vary:
        raise ArgumentError("nothing to vary: give at least one key and its values",
                            hint="e.g. vary={'goals.waste.weight': [0.5, 1, 2]} or --vary goals.waste.weight=0.5:3:0.25")
    out: dict[str, list] = {}
    issues: list[Issue] = []
    for key, values in vary.items():
        try:
            if isinstance(values, str):
                values = parse_vary_values(values, what=f"the values of {key!r}")
            elif isinstance(values, (list, tuple, range)):
                values = list(values)
            elif hasattr(values, "tolist"):
                values = list(values.tolist())
            else:
                raise ArgumentError(f"the values of {key!r} must be a list (or text such as '0.5:3:0.25'), "
                                    f"got {type(values).__name__}")
            if not values:
                raise ArgumentError(f"{key!r} has no values", hint=VARY_HINT)
        except ArgumentError as exc:
            issues.extend(exc.issues)
            continue
        out[str(key)] = values
    if issues:
        raise ArgumentError(issues)
    total = math.prod(len(v) for v in out.values())
    if total > MAX_RUNS:
        raise ArgumentError(f"the sweep has {total:,} combinations; it is limited to {MAX_RUNS:,} runs",
                            hint="vary fewer keys or use coarser steps")
    return out
