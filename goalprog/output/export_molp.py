"""A preemptive goal program as a multi-objective LP file that Gurobi and CPLEX read (``--format mo-lp``).

Gurobi and CPLEX extend the LP file format with several objectives, each with a priority, a
weight and two degradation tolerances, and both read the same syntax::

    Minimize multi-objectives
     level_1: Priority=2 Weight=1 AbsTol=0 RelTol=0
      1 profit.under
     level_2: Priority=1 Weight=1 AbsTol=0 RelTol=0
      1 waste.over
    Subject To
     ...

(CPLEX File Formats, "Multiobjective optimization in LP file format"; Gurobi reference manual,
"LP format", multi-objective section.)  :func:`export_molp` writes the whole lexicographic goal
program in one such file, with no solve and no lock rows:

* **one objective per priority level** (:func:`goalprog.solve.hierarchy.hierarchy`): the level's
  achievement function, i.e. its weighted unwanted deviations (within-level weights and
  normalisation scales in the coefficients) plus its plain objectives with their sense folded in
  (the file minimises every objective; a level of ``maximize`` objectives only is written
  negated); ``Priority = L - k`` for the ``k``-th level (0-based, most important first), since
  both solvers optimise the largest priority first; ``Weight=1``; ``AbsTol=0 RelTol=0``;
* the goal rows with their deviation columns, the hard constraints, the bounds and the integer
  columns (``Generals``), as compiled; a level with a lambda below 1 (extended lexicographic GP,
  0 = Chebyshev) also gets its min-max column and rows, as goalprog's chain adds them; zero-one
  normalisation scales are filled in from the payoff table, solved with HiGHS.

Portability (both readers checked with gurobipy 13 and cplex 22.2): an objective constant is
written as the coefficient of a column ``objective_constant`` fixed at 1, because Gurobi's reader
takes a number in a multi-objective expression for a variable name; a row with two different
finite sides becomes two rows ``NAME_lo`` and ``NAME_hi`` (neither reader takes ``lo <= a.x <=
hi``); a column used nowhere else is listed in the first objective with coefficient 0 (CPLEX drops
a column that only the ``Bounds`` section names); a name starting with ``e`` or ``E`` and a digit
or ``.`` gets a leading ``_`` (CPLEX reads ``0 e1`` as the number ``0e1``).  Numbers are written
with Python's shortest round-trip repr, so the file holds the model's doubles exactly.

What the tolerances mean, and how they relate to goalprog's locks: docs/export.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.errors import ArgumentError
from .export import MAX_NAME, ExportInfo, column_labels, safe_name

__all__ = ["MultiObjectiveExportInfo", "export_molp", "molp_lines", "molp_name"]

TERMS_PER_LINE = 4
CONSTANT_COLUMN = "objective_constant"


def molp_name(text: str) -> str:
    """:func:`goalprog.output.export.safe_name`, which gives a leading ``_`` to a name CPLEX
    would read as the exponent of the number before it (``e1``, ``E.2``)."""
    return safe_name(text)


@dataclass(frozen=True)
class MultiObjectiveExportInfo(ExportInfo):
    """What :func:`export_molp` wrote: :class:`~goalprog.output.export.ExportInfo` (``format``
    ``"mo-lp"``, ``method`` ``"preemptive"``, ``stages`` the number of objectives, ``n_locks`` 0)
    and ``objectives``, ``(name, goalprog level, Priority)`` per objective, most important first;
    ``notes``: settings of the file the mo-lp file does not carry."""

    objectives: tuple = ()
    notes: tuple = ()

    def describe(self) -> str:
        levels = ", ".join(f"{name} Priority={p}" for name, _, p in self.objectives)
        text = (f"wrote the {len(self.objectives)} priority level{'s' if len(self.objectives) != 1 else ''} of "
                f"{self.name} to {self.path} (MO-LP: {len(self.objectives)} objectives minimised lexicographically, "
                f"{levels}, AbsTol=0 RelTol=0; {self.n_cols} columns, {self.n_rows} rows)")
        return "; ".join([text, *self.notes])


def _number(v: float) -> str:
    if v == math.inf:
        return "+inf"
    if v == -math.inf:
        return "-inf"
    text = repr(float(v))
    return text[:-2] if text.endswith(".0") else text


def _terms(pairs, indent: str = "   "):
    """The lines of a linear expression: ``+ 3 x - 1.5 y``, :data:`TERMS_PER_LINE` terms a line."""
    parts = []
    for name, coef in pairs:
        sign = "-" if coef < 0 or (coef == 0 and math.copysign(1.0, coef) < 0) else "+"
        parts.append(f"{sign} {_number(abs(coef))} {name}")
    if not parts:
        return []
    if parts[0].startswith("+ "):
        parts[0] = parts[0][2:]
    return [indent + " ".join(parts[i:i + TERMS_PER_LINE]) for i in range(0, len(parts), TERMS_PER_LINE)]


def molp_lines(hierarchy, col_names, row_names, *, title: str = ""):
    """The lines of the mo-lp file of ``hierarchy`` (a :class:`~goalprog.solve.hierarchy.Hierarchy`)
    with ``col_names`` (one per column of its model, plus :data:`CONSTANT_COLUMN`'s name last when
    an objective has a constant) and ``row_names`` (one per row).  Returns ``(lines, n_rows)``,
    ``n_rows`` the rows written (a ranged row counts twice)."""
    model = hierarchy.model
    n = model.n_cols
    constant_col = len(col_names) > n
    lines = [f"\\ {line}" for line in title.splitlines()] if title else []
    lines.append("Minimize multi-objectives")
    used = np.zeros(n, dtype=bool)
    used[np.asarray(model.indices, dtype=np.int64)] = True
    for objective in hierarchy.objectives:  # zero costs are not written, so they do not count
        v = objective.vector
        used[np.asarray(v.indices, dtype=np.int64)[np.asarray(v.coefs) != 0.0]] = True
    for k, objective in enumerate(hierarchy.objectives):
        v = objective.vector
        order = np.argsort(v.indices, kind="stable")
        pairs = [(col_names[j], c) for j, c in zip(v.indices[order].tolist(), v.coefs[order].tolist()) if c != 0.0]
        if constant_col and v.constant != 0.0:
            pairs.append((col_names[-1], float(v.constant)))
        if k == 0:  # columns no row or objective names: CPLEX would drop them
            pairs += [(col_names[j], 0.0) for j in np.flatnonzero(~used).tolist()]
        if not pairs:
            pairs = [(col_names[0], 0.0)] if col_names else []
        lines.append(f" {objective.name}: Priority={objective.priority} Weight=1 AbsTol=0 RelTol=0")
        lines.extend(_terms(pairs) or ["   0"])
    lines.append("Subject To")
    written = 0
    indptr = model.indptr.tolist()
    cols = model.indices.tolist()
    vals = model.data.tolist()
    taken = set(row_names)
    for i, (lo, hi) in enumerate(zip(model.row_lower.tolist(), model.row_upper.tolist())):
        a, b = indptr[i], indptr[i + 1]
        body = _terms([(col_names[j], c) for j, c in zip(cols[a:b], vals[a:b])]) or ["   0 " + col_names[0]]
        if lo == hi:
            sides = [(row_names[i], "=", lo)]
        elif math.isinf(lo) and math.isinf(hi):
            continue  # a free row constrains nothing; LP files have no sense for it
        elif math.isinf(hi):
            sides = [(row_names[i], ">=", lo)]
        elif math.isinf(lo):
            sides = [(row_names[i], "<=", hi)]
        else:
            sides = []
            for suffix, sense, rhs in (("_lo", ">=", lo), ("_hi", "<=", hi)):
                name, k = row_names[i] + suffix, 1
                while name in taken:
                    k += 1
                    name = f"{row_names[i]}{suffix}_{k}"
                taken.add(name)
                sides.append((name, sense, rhs))
        for name, sense, rhs in sides:
            lines.append(f" {name}:")
            lines.extend(body)
            lines.append(f"   {sense} {_number(rhs)}")
            written += 1
    lines.append("Bounds")
    for j, (lo, hi) in enumerate(zip(model.col_lower.tolist(), model.col_upper.tolist())):
        name = col_names[j]
        if lo == hi:
            lines.append(f" {name} = {_number(lo)}")
        elif lo == 0.0 and math.isinf(hi):
            continue
        elif math.isinf(lo) and math.isinf(hi):
            lines.append(f" {name} free")
        elif math.isinf(hi):
            lines.append(f" {name} >= {_number(lo)}")
        else:
            lines.append(f" {_number(lo)} <= {name} <= {_number(hi)}")
    if constant_col:
        lines.append(f" {col_names[-1]} = 1")
    integer = np.flatnonzero(np.asarray(model.col_integer, dtype=bool)).tolist()
    if integer:
        lines.append("Generals")
        lines.extend(" " + " ".join(col_names[j] for j in integer[i:i + 8]) for i in range(0, len(integer), 8))
    lines.append("End")
    return lines, written


def export_molp(problem, path, *, method: str | None = None, level=None, lam: float | None = None, lock=None,
                verbose: bool = False) -> MultiObjectiveExportInfo:
    """Write ``problem``'s preemptive goal program to ``path`` as a multi-objective LP file.

    ``problem``: a :class:`goalprog.Problem`.  The file holds every priority level as one
    objective (see the module docstring), so ``level`` must be ``None`` and ``method`` ``None``,
    ``"preemptive"`` or ``"lexicographic"``; ``lam`` (extended GP's one lambda) does not apply.
    ``lock``: the caller's lock setting; the file always says ``AbsTol=0 RelTol=0`` (goalprog's
    exact default) and holds each level as a whole, so a slack lock or the lock granularity ``goal``
    (given, or the file's) is reported in ``notes``, not written.

    Returns a :class:`MultiObjectiveExportInfo`.  Raises :class:`~goalprog.core.errors.ArgumentError`
    for a level, another method, a lambda, or a problem without priority levels (its one
    objective is the single-objective LP of ``--format lp``); the
    :class:`~goalprog.core.errors.SchemaError` of :meth:`goalprog.Problem.check` when some goals
    have no priority; :class:`~goalprog.core.errors.ProblemFileError` for numbers no solver takes;
    :class:`~goalprog.core.errors.ReportError` when the file cannot be written.
    """
    from ..core.outfiles import write_text
    from ..solve.backends.base import check_model_numbers, check_objective_numbers
    from ..solve.backends.highs_backend import HighsBackend
    from ..solve.hierarchy import hierarchy
    from ..solve.normalize import zero_one_scales
    from ..solve.strategies import ALIASES
    from ..model.ir import Objective
    from .export import stage_config

    if level is not None:
        raise ArgumentError("the mo-lp format holds every priority level, each as its own objective; --level picks "
                            "one stage, for the single-objective formats", hint="leave out --level, or use --format lp")
    if method is not None and ALIASES.get(method, method) != "preemptive":
        raise ArgumentError(f"the mo-lp format writes the preemptive (lexicographic) goal program, one objective per "
                            f"priority level; the {method} method has one objective",
                            hint=f"export the {method} model with --format lp (or mps)")
    if method is None and problem.method in ("meta", "fewest_unmet"):
        raise ArgumentError(f"{problem.model.name} is solved by the {problem.method} method (meta-goals over the "
                            "goals), whose model is not exported",
                            hint="give --method preemptive to write the goals' priority levels without the meta-goals")
    if lam is not None:
        raise ArgumentError("--lambda is the lambda of the extended method; the mo-lp format writes the preemptive "
                            "goal program", hint="give a level its lambda in the file's levels: section")
    model = problem.model
    if not any(lv is not None for lv in model.priorities()):
        raise ArgumentError(f"{model.name} has no priority levels, so its goal program has one objective: the "
                            "mo-lp format is for several", hint="export it with --format lp (or mps)")
    problem.check("preemptive")
    config = stage_config(problem, "preemptive", verbose=verbose)
    notes = []
    lock = lock or config.lock
    if not lock.exact:
        notes.append(f"the slack lock (abs_tol {lock.abs_tol}, rel_tol {lock.rel_tol}) is not written: the file sets "
                     "AbsTol=0 RelTol=0, goalprog's exact default (see export.md in the docs)")
    if lock.granularity == "goal":
        notes.append("the lock granularity goal (each goal of a level held at its own value) is not written: a "
                     "multi-objective file holds each level's objective as a whole, as granularity level does")
    scaled, _ = zero_one_scales(model, HighsBackend(), config.solve_options())
    h = hierarchy(scaled, config.levels, scales_filled=True)
    check_model_numbers(h.model)
    for objective in h.objectives:
        check_objective_numbers(h.model, Objective("min", objective.vector))
    from ..solve.native_names import unique_names

    constant = any(o.vector.constant != 0.0 for o in h.objectives)
    col_names = unique_names(column_labels(h.model) + [CONSTANT_COLUMN] * constant, clean=molp_name, max_name=MAX_NAME)
    row_names = unique_names([o.label for o in h.model.row_origin], clean=molp_name, max_name=MAX_NAME)
    title = (f"goalprog mo-lp: {h.model.name}, the preemptive goal program, one objective per priority level "
             "(Priority: larger first)\ngoalprog level -> objective: "
             + ", ".join(f"{o.level if o.level is not None else 'none'} -> {o.name}" for o in h.objectives))
    title = "".join(ch if " " <= ch <= "~" or ch == "\n" else "_" for ch in title)  # ASCII comment lines only
    lines, n_rows = molp_lines(h, col_names, row_names, title=title)
    path = Path(path)
    write_text(path, "\n".join(lines) + "\n")
    return MultiObjectiveExportInfo(
        path=path, format="mo-lp", name=h.model.name, method="preemptive", level=None, stage=1,
        stages=len(h.objectives), sense="min", n_cols=len(col_names), n_rows=n_rows, n_locks=0,
        objective_constant=0.0, col_names=tuple(col_names), row_names=tuple(row_names), earlier=(), negated=False,
        objectives=tuple((o.name, o.level, o.priority) for o in h.objectives), notes=tuple(notes))
