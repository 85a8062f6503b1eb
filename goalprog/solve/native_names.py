"""Readable, unique names for the columns and rows of a model handed over to PuLP or Pyomo.

:func:`goalprog.Problem.to_pulp` and :func:`goalprog.Problem.to_pyomo` name each variable and
constraint after its label in the problem: ``shirts`` stays ``shirts``, ``make[shirts]`` becomes
``make_shirts_``, the deviations of a goal ``profit`` are ``profit_under`` and ``profit_over``
(``meet_demand_under_pants_1_`` for the goal instance ``meet_demand[pants,1]``).  A name holds
ASCII letters, digits and ``_`` only (a letter with an accent keeps its base letter: ``é`` ->
``e``), never starts with a digit, is never an LP keyword (``st``, ``e``, ``inf`` ... get a
trailing ``_``) and has at most :data:`MAX_NAME` characters, so it is valid in an LP file that
PuLP or Pyomo writes and in CBC's, GLPK's, Gurobi's and CPLEX's LP readers.

Collisions are resolved deterministically: a label that is already a valid name keeps it; labels
that had to be cleaned, or clean to a name already taken, get the first free ``_2``, ``_3``, ...
suffix, in the model's column (row) order.  So ``a b`` and ``a_b`` are named ``a_b_2`` and ``a_b``.

:class:`NativeNames` is the map between the two: goalprog label -> library name and back.

No solver library is imported here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from ..model.ir import ROLE_OVER, ROLE_UNDER, LinearModel

__all__ = ["MAX_NAME", "LP_KEYWORDS", "EXPONENT_LIKE", "NativeNames", "clean_name", "unique_names", "column_labels", "row_labels"]

MAX_NAME = 100
"""The longest name given (LP files allow 255 characters; a suffix ``_2`` ... fits inside)."""

# CPLEX's LP reader takes ``0 e1`` for the number 0e1: such names get a leading ``_``
EXPONENT_LIKE = re.compile(r"[eE][0-9.]")
LP_KEYWORDS = frozenset("""
st s.t s.t. st. subject to such that min max minimize maximize minimise maximise minimum maximum
bound bounds end int integer integers general generals gen bin binary binaries semi semis
semi-continuous semicontinuous sos sos1 sos2 free inf infinity obj e marker
lazy constraints user cuts general constraints gencons pwlobj pwl scenario scenarios indicator indicators
""".split())
"""Words LP readers (CPLEX-style: CBC, GLPK, CPLEX, Gurobi, HiGHS, SCIP) may take as keywords or
section names, in lower case: a name equal to one of them (any case) gets a trailing ``_``.  Every
word of a multi-word section name is listed on its own (Gurobi read the names ``lazy`` and
``constraints`` side by side in a ``Generals`` list as the section ``Lazy Constraints``; likewise
``User Cuts``, ``General Constraints``), with Gurobi's ``PWLObj``, ``GenCons`` and ``Scenario``
sections and CPLEX's ``pwl`` constraints."""
_KEYWORDS = LP_KEYWORDS

_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SPECIAL = {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D",
            "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH"}


def _char(ch: str) -> str:
    if ch in _ALLOWED:
        return ch
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c in _ALLOWED)
    return base or "_"


def clean_name(text: str) -> str:
    """``text`` as a valid name (see the module's rules); not necessarily unique (see :func:`unique_names`).

    >>> clean_name("make[shirts]"), clean_name("ship[Zürich,3]"), clean_name("st"), clean_name("2nd")
    ('make_shirts_', 'ship_Zurich_3_', 'st_', '_2nd')
    """
    name = "".join(_char(ch) for ch in str(text))
    if not name or name[0].isdigit() or EXPONENT_LIKE.match(name):
        name = "_" + name
    if name.lower() in _KEYWORDS:
        name += "_"
    return name[:MAX_NAME]


def unique_names(labels: Iterable[str], reserved: Iterable[str] = (), *, clean=None, max_name: int = MAX_NAME) -> list[str]:
    """Valid, distinct names for ``labels`` (in order), none equal to a ``reserved`` name.

    A label that is already valid keeps its text (its first occurrence); the others get the first
    free ``_2``, ``_3``, ... suffix after cleaning (by ``clean``, default :func:`clean_name`; at most
    ``max_name`` characters).  Deterministic: the same labels in the same
    order always get the same names."""
    labels = [str(x) for x in labels]
    cleaned = [(clean or clean_name)(x) for x in labels]
    taken: set[str] = set(reserved)
    names: list[str | None] = [None] * len(labels)
    for i, (label, name) in enumerate(zip(labels, cleaned)):
        if label == name and name not in taken:
            names[i] = name
            taken.add(name)
    counters: dict[str, int] = {}
    for i, name in enumerate(cleaned):
        if names[i] is not None:
            continue
        if name in taken:
            k = counters.get(name, 1)
            while True:
                k += 1
                suffix = f"_{k}"
                candidate = name[:max_name - len(suffix)] + suffix
                if candidate not in taken:
                    break
            counters[name] = k
            name = candidate
        names[i] = name
        taken.add(name)
    return names  # type: ignore[return-value]


def column_labels(model: LinearModel) -> list[str]:
    """The label of every column: ``make[shirts]``; a goal's deviations ``profit.under`` /
    ``profit.over`` (``meet_demand.under[pants,1]`` for an instance of an indexed goal);
    auxiliary columns (a min-max column, piecewise segments) by their origin's label."""
    out = []
    roles = model.col_role
    for j, origin in enumerate(model.col_origin):
        role = int(roles[j])
        if role in (ROLE_UNDER, ROLE_OVER):
            name = origin.name + (".under" if role == ROLE_UNDER else ".over")
            out.append(name + (f"[{','.join(str(i) for i in origin.index)}]" if origin.index else ""))
        else:
            out.append(origin.label)
    return out


def row_labels(model: LinearModel, extra_rows=()) -> list[str]:
    """The label of every row (hard constraints and goal rows by their origin, ``budget``,
    ``meet_demand[pants,1]``), then of each extra (lock) row by its name (``lock_level_1``)."""
    return [o.label for o in model.row_origin] + [r.name for r in extra_rows]


@dataclass(frozen=True)
class NativeNames:
    """The names of a model handed to PuLP or Pyomo, and the way back to goalprog's labels.

    ``columns``: goalprog label -> variable name, in column order (``{"make[shirts]":
    "make_shirts_", "profit.under": "profit_under", ...}``); ``rows``: row label -> constraint
    name (hard constraints, goal rows, then the lock rows of earlier levels, ``lock_level_1``);
    ``objective``: the objective's name; ``split``: the constraints of a row with two different
    finite sides where the library holds it as two (PuLP): row label -> ``(name_lo, name_hi)``.

    :meth:`label` maps a library name back to its label; :meth:`values` reads the variables'
    values from the solved library model as ``{label: value}``.
    """

    columns: dict
    rows: dict
    objective: str = "achievement"
    split: dict = field(default_factory=dict)
    kind: str = ""

    def label(self, name: str) -> str:
        """The goalprog label of a variable or constraint name.  Raises :class:`KeyError`."""
        back = self.__dict__.get("_back")
        if back is None:
            back = {v: k for k, v in self.columns.items()}
            for k, v in self.rows.items():
                back.setdefault(v, k)
            for k, pair in self.split.items():
                for v in pair:
                    back.setdefault(v, k)
            object.__setattr__(self, "_back", back)
        return back[name]

    def values(self, model) -> dict:
        """``{label: value}`` of every goalprog column in the solved PuLP problem or Pyomo model
        ``model`` (``None`` where the library holds no value); variables the user added are left out."""
        out = {}
        if self.kind == "pyomo":
            x = model.x
            for label, name in self.columns.items():
                v = x[name].value
                out[label] = None if v is None else float(v)
        else:
            by_name = getattr(model, "goalprog_variables", None) or model.variablesDict()
            for label, name in self.columns.items():
                var = by_name.get(name)
                v = None if var is None else var.varValue
                out[label] = None if v is None else float(v)
        return out
