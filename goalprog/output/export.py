"""Write a compiled goal program as an LP or MPS file that HiGHS, CBC and other solvers read.

:func:`export_model` writes the model one solve of goalprog would hand to the solver:

* **weighted** (also ``chebyshev`` and ``extended``): the one achievement function over every goal,
  with the min-max column and rows when the method needs them;
* **preemptive** with ``level=N``: *stage N*, i.e. priority level N's achievement function with
  what holds the levels before N: their lock rows and the bounds their face, fix or exact locks
  set.  Those need the optima of the earlier levels, so the levels before N are solved first with
  HiGHS (the ``highs`` backend) by the preemptive strategy itself, and the stage is rebuilt from
  its stage records (:func:`goalprog.solve.stages.stage_model`).

The file is written by highspy: the IR's arrays go to HiGHS in one ``passModel`` call, then
``writeModel``.  Columns and rows are named from the model's origins, made safe for LP and MPS
readers (see :func:`safe_name`): ``make[pants,3]`` becomes ``make(pants,3)``, the deviations of a
goal ``profit`` are ``profit.under`` / ``profit.over`` (``meet_demand.under(pants,1)`` when
indexed), lock rows are ``lock_level_1``.  Names that clean to the same text get ``_2``, ``_3``, ...
suffixes, so every name in the file is distinct.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

import numpy as np

from ..core.errors import ArgumentError, GoalProgError, Issue, ReportError, SolverError
from ..model.ir import ExtraRow, LinearModel, Objective
from ..solve.native_names import EXPONENT_LIKE, LP_KEYWORDS

FORMATS = ("lp", "mps", "mo-lp")
METHODS = ("weighted", "preemptive", "chebyshev", "extended")

MAX_NAME = 60
"""Longest name written.  CBC's MPS reader fails on lines much longer than ~160 characters, and a
line holds a column name, a row name and a number."""

# words that LP readers (CPLEX-style: CBC, GLPK, CPLEX, Gurobi, HiGHS) may take as keywords; a name
# equal to one of them (any case) gets a trailing "_".  CBC's LP reader fails on a variable "st".
_KEYWORDS = LP_KEYWORDS

_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.(),")
_char_cache: dict[str, str] = {"[": "(", "]": ")", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe",
                               "Œ": "OE", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH"}


def _safe_char(ch: str) -> str:
    out = _char_cache.get(ch)
    if out is None:
        if ch in _ALLOWED:
            out = ch
        else:  # a letter with an accent keeps its base letter (é -> e); anything else becomes "_"
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c in _ALLOWED)
            out = base if base else "_"
        _char_cache[ch] = out
    return out


def safe_name(text: str) -> str:
    """``text`` as a name every LP/MPS reader accepts: ASCII letters, digits and ``_ . ( ) ,``
    only (``[ ]`` become ``( )``, spaces and other characters ``_``), starting with a letter or
    ``_`` but not with ``e``/``E`` and a digit or ``.`` (CPLEX reads ``0 e1`` as the number 0e1,
    so such a name gets a leading ``_``), not an LP keyword, at most :data:`MAX_NAME` characters.  Not necessarily unique: see
    :func:`unique_names`."""
    name = "".join(_safe_char(ch) for ch in str(text))
    if not name or not (name[0].isalpha() or name[0] == "_") or EXPONENT_LIKE.match(name):
        name = "_" + name
    if name.lower() in _KEYWORDS:
        name += "_"
    return name[:MAX_NAME]


def unique_names(labels: Iterable[str]) -> list[str]:
    """Safe, distinct names for ``labels`` (in order).

    A label that is already safe keeps its text (the first one, if it occurs twice); labels that
    had to be cleaned, or collide, get the first free ``_2``, ``_3``, ... suffix.  So variables
    ``a b`` and ``a_b`` are written ``a_b_2`` and ``a_b``.
    """
    from ..solve.native_names import unique_names as _unique

    return _unique(labels, clean=safe_name, max_name=MAX_NAME)


def column_labels(model: LinearModel) -> list[str]:
    """The readable label of every column: ``make[pants]``; ``profit.under``, ``profit.over``
    (``meet_demand.under[pants,1]`` for an indexed goal); auxiliary columns by their origin."""
    from ..solve.native_names import column_labels as labels

    return labels(model)


class ExportStageError(GoalProgError):
    """A level before the exported stage did not solve to optimality, so its lock (and so the
    stage's model) is not defined.  ``status`` is that level's :class:`~goalprog.core.status.Status`."""

    def __init__(self, message: str, status, *, hint: str | None = None):
        self.status = status
        super().__init__(Issue(message, hint=hint))


@dataclass(frozen=True)
class ExportInfo:
    """What :func:`export_model` wrote."""

    path: Path
    format: str
    name: str
    method: str
    level: object           # the priority level of the stage (preemptive), else None
    stage: int              # 1-based stage number (1 for one-stage methods)
    stages: int             # number of stages of the method
    sense: str              # "min" or "max"
    n_cols: int
    n_rows: int             # rows written, lock rows included
    n_locks: int
    objective_constant: float
    col_names: tuple
    row_names: tuple
    earlier: tuple = ()     # (level, optimum) of the levels solved to build the locks
    negated: bool = False   # a maximisation written as the minimisation of its negative (MPS)

    def describe(self) -> str:
        what = (f"stage {self.stage} of {self.stages} (priority level {self.level})"
                if self.method == "preemptive" and self.level is not None else f"the {self.method} model")
        locks = f", {self.n_locks} lock row{'s' if self.n_locks != 1 else ''}" if self.n_locks else ""
        text = (f"wrote {what} of {self.name} to {self.path} ({self.format.upper()}: {self.sense}imise, "
                f"{self.n_cols} columns, {self.n_rows} rows{locks})")
        if self.negated:
            text += ("; the stage maximises, so the file minimises its negative (MPS readers differ on "
                     "OBJSENSE): the optimum read back is the level's value with the sign changed")
        return text


def stage_config(problem, method: str, *, lam: float | None = None, verbose: bool = False):
    """The :class:`~goalprog.solve.config.SolveConfig` of an export's solves, built as
    :meth:`goalprog.Problem.solve` builds its own (defaults < the file's ``solve:`` < arguments),
    with HiGHS as the solver: of the file's settings for the solver, its ``options`` apply only
    when the file names no solver or HiGHS, and its ``algorithm`` and ``verbose`` not at all
    (``verbose`` is the argument's).  Raises :class:`~goalprog.core.errors.ArgumentError`."""
    from ..solve.config import SolveConfig

    s = problem.spec.solve
    view = s.model_copy(update={"options": dict(s.options) if s.solver in (None, "highs") else {},
                                "algorithm": None, "verbose": False, "backend": None, "solver": None})
    return SolveConfig.resolve(view, method=method, backend="highs", solver="highs", lam=lam, verbose=bool(verbose))


def infer_format(path: Path, fmt: str | None) -> str:
    """``"lp"``, ``"mps"`` or ``"mo-lp"``: ``fmt`` when given, else the suffix of ``path``.  Raises
    :class:`~goalprog.core.errors.ArgumentError` for another format or suffix."""
    if fmt is not None:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise ArgumentError(f"unknown export format {fmt!r}; choose lp, mps or mo-lp")
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise ArgumentError(f"cannot tell the format from the file name {str(path)!r}",
                        hint="name the file *.lp or *.mps, or give the format (--format lp|mps)")


def build_stage(problem, level=None, method: str | None = None, *, lam: float | None = None,
                lock=None, verbose: bool = False, result=None):
    """The model, objective and extra (lock) rows of one solve of ``problem``.

    Returns ``(model, objective, extra_rows, info)`` where ``info`` is a dict with ``method``,
    ``level``, ``stage``, ``stages`` and ``earlier`` (the optima of the levels solved first).
    A preemptive stage is rebuilt from the chain's stage records by
    :func:`goalprog.solve.stages.stage_model` (lock rows, and the bounds a face, fix or exact
    lock set): from ``result`` (a preemptive :class:`~goalprog.solve.results.Result` of this
    problem, solved on the ``highs`` backend) when it reached the stage, else from a chain run
    through the preemptive strategy up to the level before the stage.  Other arguments as for
    :func:`export_model`.
    """
    from ..solve.backends.highs_backend import HighsBackend
    from ..solve.stages import stage_model
    from ..solve.strategies import ALIASES, get_strategy

    if method is not None:
        method = ALIASES.get(method, method)
        if method not in METHODS:
            raise ArgumentError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    elif level is not None:
        method = "preemptive"
    else:
        method = ALIASES.get(problem.method, problem.method)
    if method not in METHODS:  # meta, fewest_unmet: a derived model with 0-1 indicators
        raise ArgumentError(f"export writes the {', '.join(METHODS)} models; the {method} method's model (the "
                            "meta-goals over the goals) is not exported", hint="give --method weighted or preemptive")
    if level is not None and method != "preemptive":
        raise ArgumentError(f"a level is a stage of the preemptive method; the {method} method has one stage",
                            hint="leave out the level, or use the preemptive method")
    if lam is not None and not (lam == 0.0 or 1e-300 <= lam <= 1.0):
        raise ArgumentError(f"lambda must be 0 or in [1e-300, 1], got {lam!r}")
    problem.check(method)
    backend = HighsBackend()
    config = stage_config(problem, method, lam=lam, verbose=verbose)
    options = config.solve_options()

    if method != "preemptive":
        from ..solve.native import one_stage_arrays

        arrays = one_stage_arrays(problem, method, config)
        return arrays.model, arrays.objective, [], {"method": method, "level": None, "stage": 1, "stages": 1,
                                                    "earlier": ()}

    lock = lock or config.lock
    levels = problem.model.priorities()
    if level is None:
        if len(levels) != 1:
            raise ArgumentError(f"the preemptive method has {len(levels)} stages; choose one with a level: "
                                + ", ".join(str(lv) for lv in levels),
                                hint="e.g. --level " + str(levels[-1] if levels else 1))
        level = levels[0]
    if level not in levels:
        shown = ", ".join(str(lv) for lv in levels if lv is not None) or "none (no goal has a priority)"
        raise ArgumentError(f"there is no priority level {level}; the levels are {shown}")
    k = levels.index(level)
    settings = replace(config.settings(), lock=lock, progress=None, rates="off", stop_at=k)
    from ..solve.chain_prefix import solved_through

    # the chain up to stage k not solved yet: the preemptive strategy itself, stopped before stage k
    result = solved_through(k, level, result, lambda: get_strategy("preemptive")(
        problem.model, backend, options, lock, settings.accept_feasible, settings), ExportStageError,
        "solve the file to see why (goalprog solve FILE --backend highs)", " and nothing was written")
    records = result.stage_records
    sm = stage_model(result, k)
    earlier = tuple((r.level, r.value) for r in records[:k])
    return sm.model, sm.objective, list(sm.extra_rows), {"method": "preemptive", "level": level, "stage": k + 1,
                                                         "stages": len(levels), "earlier": earlier}


def _highs_lp(model: LinearModel, objective: Objective, extra: list[ExtraRow], col_names, row_names,
              negate: bool, constant_col: bool):
    """The HighsLp to write.  ``negate``: write ``min -f`` for ``max f``.  ``constant_col``: the
    objective's constant as the cost of a column fixed at 1 (the last column), since LP and MPS
    readers disagree on objective constants (CBC drops an LP objective's constant)."""
    import highspy

    n = model.n_cols + (1 if constant_col else 0)
    sign = -1.0 if negate else 1.0
    cost = np.zeros(n)
    np.add.at(cost, objective.vector.indices, sign * objective.vector.coefs)
    col_lower = np.asarray(model.col_lower, dtype=np.float64)
    col_upper = np.asarray(model.col_upper, dtype=np.float64)
    integer = np.asarray(model.col_integer, dtype=bool)
    if constant_col:
        cost[-1] = sign * objective.vector.constant
        col_lower = np.concatenate([col_lower, [1.0]])
        col_upper = np.concatenate([col_upper, [1.0]])
        integer = np.concatenate([integer, [False]])
    index = [np.asarray(model.indices, dtype=np.int64)]
    value = [np.asarray(model.data, dtype=np.float64)]
    lower = [np.asarray(model.row_lower, dtype=np.float64)]
    upper = [np.asarray(model.row_upper, dtype=np.float64)]
    nnz = int(model.indptr[-1]) if len(model.indptr) else 0
    ptr = []
    for row in extra:
        c = row.vector.constant
        index.append(np.asarray(row.vector.indices, dtype=np.int64))
        value.append(np.asarray(row.vector.coefs, dtype=np.float64))
        nnz += len(row.vector.indices)
        ptr.append(nnz)
        lower.append(np.array([row.lower - c]))
        upper.append(np.array([row.upper - c]))
    start = np.concatenate([np.asarray(model.indptr, dtype=np.int64), np.array(ptr, dtype=np.int64)])
    row_lower = np.concatenate(lower)
    row_upper = np.concatenate(upper)
    from ..solve.backends.highs_backend import highs_lp

    lp = highs_lp(col_lower, col_upper, integer, start, np.concatenate(index), np.concatenate(value),
                  row_lower, row_upper, cost)
    lp.model_name_ = safe_name(model.name)
    lp.offset_ = 0.0 if constant_col else sign * float(objective.vector.constant)
    maximise = objective.sense == "max" and not negate
    lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    lp.col_names_ = list(col_names)
    lp.row_names_ = list(row_names)
    return lp


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _portable_lp(src: str, dst: str) -> None:
    """Copy HiGHS's LP file ``src`` to ``dst`` with section names every LP reader knows.

    HiGHS writes the integer sections as ``bin`` and ``gen`` (and an empty ``semi``); CBC's LP
    reader does not know these short forms and silently reads ``bin`` and ``gen`` as variable
    names, dropping integrality.  ``binary``/``general`` are the CPLEX LP keywords all readers
    (HiGHS included) accept.  A section header is a line of its own; names never clash with it
    (:func:`safe_name` suffixes keyword names, and HiGHS indents names).
    """
    renamed = {"bin": "binary", "gen": "general"}
    with open(src, encoding="ascii", errors="replace") as fin, open(dst, "w", encoding="ascii") as fout:
        pending = None
        for line in fin:
            word = line.strip()
            if pending is not None:
                if line[:1] == " ":  # the semi section has members: keep it
                    fout.write(pending)
                pending = None
            if line.rstrip("\r\n") == "semi":
                pending = line
                continue
            if line.rstrip("\r\n") in renamed:
                line = renamed[word] + "\n"
            fout.write(line)
        if pending is not None:
            fout.write(pending)


def export_model(problem, path, fmt: str | None = None, level=None, method: str | None = None, *,
                 lam: float | None = None, lock=None, verbose: bool = False, result=None) -> ExportInfo:
    """Write the model of one solve of ``problem`` to ``path`` as LP or MPS; return an :class:`ExportInfo`.

    ``problem``: a :class:`goalprog.Problem` or the path of a problem file.  ``fmt``: ``"lp"`` or
    ``"mps"`` (default: from the file name), or ``"mo-lp"``: every priority level as one objective
    of a multi-objective LP file for Gurobi and CPLEX (:func:`goalprog.output.export_molp.export_molp`,
    which returns a :class:`~goalprog.output.export_molp.MultiObjectiveExportInfo`).  ``method``: ``weighted``, ``preemptive``
    (``lexicographic``), ``chebyshev`` or ``extended``; default: preemptive when ``level`` is
    given, else the method ``problem.solve()`` would use.  ``level``: the priority level whose
    stage is written (preemptive; may be left out when there is one level); the levels before it
    are solved with HiGHS to build their lock rows.  ``lam``: extended GP's lambda (default: the
    file's).  ``lock``: a :class:`~goalprog.solve.strategies.common.LockTolerance` (default: the file's).
    ``result``: a preemptive result of ``problem`` on the ``highs`` backend whose stage records
    reach the stage: the stage is rebuilt from them without solving (see :func:`build_stage`).

    Portability: a stage that maximises (a level made only of ``maximize:`` objectives) is written
    as ``max`` in LP but as the minimisation of its negative in MPS, because MPS readers disagree
    on ``OBJSENSE`` (CBC ignores it); ``ExportInfo.negated`` says so.  A constant in the objective
    is written as the cost of a column ``objective_constant`` fixed at 1 (CBC drops the constant
    of an LP objective).

    Raises :class:`~goalprog.core.errors.ArgumentError` for a bad format, method or level,
    :class:`ExportStageError` when a level before the stage is not solved to optimality, the
    problem-file errors of :func:`goalprog.load`, and :class:`~goalprog.core.errors.SolverError` when
    HiGHS cannot write the file; :class:`~goalprog.core.errors.ReportError` when ``path`` is a file the
    problem was read from (:attr:`goalprog.Problem.input_files`).
    """
    import highspy

    from ..solve.backends.base import check_model_numbers, check_objective_numbers, check_row_numbers, new_highs

    if isinstance(problem, (str, os.PathLike)):
        from ..problem import load

        problem = load(problem)
    path = Path(path)
    fmt = infer_format(path, fmt)
    for source in getattr(problem, "input_files", ()):
        try:
            same = path.exists() and os.path.samefile(path, source)
        except OSError:
            same = False
        if same:
            raise ReportError(f"cannot write {path}: it is a file the problem was read from; refusing to overwrite "
                              "an input", hint="choose another path for the exported model")
    if fmt == "mo-lp":  # every level as one objective of a multi-objective LP (Gurobi, CPLEX)
        from .export_molp import export_molp

        return export_molp(problem, path, method=method, level=level, lam=lam, lock=lock, verbose=verbose)
    model, objective, extra, info = build_stage(problem, level, method, lam=lam, lock=lock, verbose=verbose,
                                               result=result)
    check_model_numbers(model)  # what a solver reading the file could not take is refused here too
    check_objective_numbers(model, objective)
    for row in extra:
        check_row_numbers(model, row)
    negate = fmt == "mps" and objective.sense == "max"
    constant = float(objective.vector.constant)
    labels = column_labels(model) + (["objective_constant"] if constant != 0.0 else [])
    col_names = unique_names(labels)
    row_names = unique_names([o.label for o in model.row_origin] + [r.name for r in extra])
    lp = _highs_lp(model, objective, extra, col_names, row_names, negate, constant != 0.0)
    h = new_highs(verbose)
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise SolverError("HiGHS rejected the model to export")
    # write next to the target under the right extension (HiGHS picks the format from it), then
    # move into place: an existing file is replaced whole or not at all
    # a link or a special file (/dev/stdout, a named pipe) is written through, never replaced
    special = path.is_symlink() or (path.exists() and not path.is_file())
    folder = Path(tempfile.gettempdir()) if special else path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temps = []
        for _ in range(2):
            fd, tmp = tempfile.mkstemp(prefix=".goalprog-export-", suffix=f".{fmt}", dir=folder)
            os.close(fd)
            temps.append(tmp)
        try:
            status = h.writeModel(temps[0])
            if status == highspy.HighsStatus.kError or not os.path.getsize(temps[0]):
                raise SolverError(f"HiGHS could not write {path}")
            done = temps[0]
            if fmt == "lp":
                _portable_lp(temps[0], temps[1])
                done = temps[1]
            if special:
                with open(done, "rb") as fin, open(path, "wb") as fout:
                    shutil.copyfileobj(fin, fout)
            else:
                os.chmod(done, 0o666 & ~_umask())  # mkstemp makes the file private; give it the usual mode
                os.replace(done, path)
        finally:
            for tmp in temps:
                if os.path.exists(tmp):
                    os.unlink(tmp)
    except OSError as exc:
        raise SolverError(f"cannot write {path}: {exc.strerror or exc}") from None
    return ExportInfo(path=path, format=fmt, name=model.name, method=info["method"], level=info["level"],
                      stage=info["stage"], stages=info["stages"], sense="min" if negate else objective.sense,
                      n_cols=len(col_names), n_rows=len(row_names), n_locks=len(extra),
                      objective_constant=constant, col_names=tuple(col_names), row_names=tuple(row_names),
                      earlier=info["earlier"], negated=negate)
