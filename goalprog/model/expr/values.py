"""The values an expression evaluates to over a table of index bindings (a :class:`Frame`).

An indexed item (``for: p in products, t in periods``) is evaluated once for *all* its instances:
the bindings form a :class:`Frame` (one row per instance, one column per index name) and every
node of the syntax tree evaluates to an array over those rows:

* :class:`Const` - ``float64[n]`` numbers (numbers, parameters, arithmetic on them);
* :class:`Member` - ``object[n]`` set members (loop names, quoted strings);
* :class:`Bool` - ``bool[n]`` conditions;
* :class:`Lin` - linear expressions in COO form: term ``k`` adds ``coefs[k] * x[cols[k]]`` to row
  ``rows[k]``; ``const[n]`` is the constant part;
* :class:`TupleV` - a tuple of the above (an index of a set of tuples).

Errors are :class:`EvalError` with the span of the offending node.  The evaluator itself is
:class:`goalprog.model.expr.vector.VectorEvaluator`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...core.errors import clip

OBJ = object


class EvalError(Exception):
    """An evaluation problem at ``span`` (character offsets) of the expression text; the
    compiler turns it into a located :class:`~goalprog.core.errors.ExpressionError`."""

    def __init__(self, message: str, span: tuple[int, int], hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint


class EvalSizeError(EvalError):
    """The bindings or the terms of an expression would exceed the size limit
    (:mod:`goalprog.core.limits`); the compiler stops and raises a SizeLimitError."""


@dataclass
class Frame:
    """Bindings: ``n`` rows; ``cols`` maps an index name to its ``object[n]`` values and ``src``
    to where they came from, ``(set name, tuple position, member codes)``, so lookups indexed by
    loop names need no hashing."""

    n: int
    cols: dict
    src: dict = None

    def __post_init__(self):
        if self.src is None:
            self.src = {}

    @staticmethod
    def unit() -> "Frame":
        return Frame(1, {})

    def take(self, idx: np.ndarray) -> "Frame":
        return Frame(len(idx), {k: v[idx] for k, v in self.cols.items()},
                     {k: (s, p, c[idx]) for k, (s, p, c) in self.src.items()})

    def describe(self, i: int) -> str:
        if not self.cols:
            return ""
        return ", ".join(f"{k}={clip(repr(self.cols[k][i]), 80)}" for k in self.cols)


@dataclass
class Const:
    a: np.ndarray  # float64[n]


@dataclass
class Member:
    a: np.ndarray  # object[n]
    src: tuple | None = None  # (set name, tuple position, codes) when the values are a loop name's


@dataclass
class Bool:
    a: np.ndarray  # bool[n]


@dataclass
class Lin:
    rows: np.ndarray   # int64[k]
    cols: np.ndarray   # int64[k]
    coefs: np.ndarray  # float64[k]
    const: np.ndarray  # float64[n]

    @property
    def n(self) -> int:
        return len(self.const)

    def has_terms(self) -> bool:
        return bool(len(self.coefs)) and bool(np.any(self.coefs != 0.0))

    def scaled(self, k: np.ndarray) -> "Lin":
        """Multiply row ``i`` by ``k[i]``."""
        return Lin(self.rows, self.cols, self.coefs * k[self.rows], self.const * k)


@dataclass
class TupleV:
    items: list


EMPTY_I = np.zeros(0, dtype=np.int64)
EMPTY_F = np.zeros(0, dtype=np.float64)


def as_lin(v, n: int) -> Lin:
    if isinstance(v, Lin):
        return v
    return Lin(EMPTY_I, EMPTY_I, EMPTY_F, v.a.astype(np.float64))



def describe(v) -> str:
    if isinstance(v, Lin):
        return "an expression in the variables"
    if isinstance(v, Bool):
        return "a condition"
    if isinstance(v, Member):
        return "a set member"
    if isinstance(v, TupleV):
        return "a tuple"
    return "a number"


def numbers(v, span, what: str) -> np.ndarray:
    """The float array of a Const, or of a Member holding numbers (``t - 1``)."""
    if isinstance(v, Const):
        return v.a
    if isinstance(v, Member):
        try:
            return v.a.astype(np.float64)
        except (TypeError, ValueError):
            bad = next((x for x in v.a if not isinstance(x, (int, float)) or isinstance(x, bool)), None)
            raise EvalError(f"{what} needs numbers, got the set member {clip(repr(bad))}", span,
                            "set members can only be compared or used as indices") from None
    raise EvalError(f"{what} needs numbers, got {describe(v)}", span)


def as_member(v, span) -> Member:
    """An index value as a :class:`Member` (keeping its set codes when it is a loop name)."""
    if isinstance(v, Member):
        return v
    return Member(member_values(v, span))


def member_values(v, span) -> np.ndarray:
    """Index values: members, or whole numbers computed by arithmetic (``t - 1``)."""
    if isinstance(v, Member):
        return v.a
    if isinstance(v, Const):
        a = v.a
        whole = np.isfinite(a) & (a == np.round(a))
        if not whole.all():
            bad = a[~whole][0]
            raise EvalError(f"an index must be a set member, got the number {bad:g}", span)
        out = np.empty(len(a), dtype=OBJ)
        out[:] = [int(x) for x in a]
        return out
    raise EvalError(f"an index must be a set member, got {describe(v)}", span)



def fold(lin: Lin, n_cols: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum duplicate (row, column) terms and drop zeros: CSR ``(indptr, cols, coefs)`` over ``lin.n`` rows."""
    n = lin.n
    if len(lin.coefs) == 0:
        return np.zeros(n + 1, dtype=np.int64), EMPTY_I, EMPTY_F
    key = lin.rows.astype(np.int64) * np.int64(max(n_cols, 1)) + lin.cols.astype(np.int64)
    uniq, inv = np.unique(key, return_inverse=True)
    coefs = np.bincount(inv, weights=lin.coefs, minlength=len(uniq))
    keep = coefs != 0.0
    uniq, coefs = uniq[keep], coefs[keep]
    rows = uniq // max(n_cols, 1)
    cols = uniq % max(n_cols, 1)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr, cols, coefs


def is_finite(x: float) -> bool:
    return not (math.isnan(x) or math.isinf(x))
