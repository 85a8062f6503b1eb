"""The state every builder of the compiler shares: :class:`CompileContext`.

It holds the inputs (spec, document, bound data, limits), what has been declared so far (names and
their kinds, variables, named expressions), the column and row blocks written so far with their
origins, and the issues found.  It also parses and evaluates the fields of an item (reporting
every problem at the item's place in the file) and writes column and row blocks (holding them to
the size limits).  The builders (:mod:`.variables`, :mod:`.constraints`, ...) take a context and
add to it; :func:`goalprog.model.compile.compile_problem` runs them in order.

An item that has reported an issue raises :class:`ItemFailed` to stop being built (the builder
goes on with the next item); a model over the size limit raises :class:`TooLarge` (compiling
stops, the issue is in :attr:`CompileContext.size_issue`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ...core.errors import ExpressionError, Issue, IssueCollector, clip, did_you_mean
from ...core.limits import Limits, default_limits
from ...spec.data import DataModel
from ...spec.loader import Document
from ...spec.models import number_example
from ...spec.schema import ProblemSpec
from ..expr import ast as A
from ..expr.parser import parse, parse_for
from ..expr.values import EvalError, EvalSizeError, Frame, Lin
from ..ir import Origins, index_columns

INF = math.inf
DENSE_LIMIT = 20_000_000  # parameters over index products up to this size are stored densely
HUGE = 1e20  # HiGHS (and most solvers) read numbers this large as infinite
TINY = 1e-300  # the smallest positive scale or weight (reciprocals of smaller ones overflow or nearly)

NUMBER_FIELDS = {"at_least", "at_most", "equal", "weight", "lower", "upper", "priority", "scale", 0, 1, "value"}
"""Last keys of the fields that take a number (an unknown bare name there gets a hint saying so)."""


class ItemFailed(Exception):
    """Internal: the current item has reported an issue; stop expanding it."""


class TooLarge(Exception):
    """Internal: the model exceeds the size limit; stop compiling (the issue is recorded)."""


@dataclass
class Var:
    """A decision variable's block of columns: ``count`` columns from ``start``."""

    name: str
    index: tuple[str, ...]
    start: int = 0
    count: int = 0
    failed: bool = False


@dataclass
class NamedExpr:
    """A named expression, evaluated once (on first use) over its whole binding table."""

    name: str
    clauses: list
    condition: object
    node: object
    targets: tuple[str, ...]
    path: tuple
    state: str = "new"        # new | evaluating | done | failed
    frame: Frame | None = None
    value: object = None       # Lin over frame rows
    keymap: dict = field(default_factory=dict)
    order: np.ndarray | None = None
    ptr: np.ndarray | None = None


class CompileContext:
    """One compilation of a (spec, document, data) triple: inputs, declarations, blocks, issues.

    ``resolver`` (:class:`~goalprog.model.compile.resolver.Resolver`) and ``ev`` (the
    :class:`~goalprog.model.expr.vector.VectorEvaluator` over it) are set by
    :func:`~goalprog.model.compile.compile_problem` right after construction.
    """

    def __init__(self, spec: ProblemSpec, doc: Document, data: DataModel, limits: Limits | None = None):
        self.spec = spec
        self.doc = doc
        self.data = data
        self.limits = limits or default_limits()
        self.issues = IssueCollector(ExpressionError)
        self.warnings: list[str] = []  # accepted but doubtful (LinearModel.warnings)
        self.resolver = None
        self.ev = None
        self.size_issue: Issue | None = None  # set when the model exceeds the size limit
        self.nnz = 0  # running count of nonzeros in the rows built so far
        self.item_path: tuple = ()  # the item being built (where a size issue is reported)
        self.parsed: dict = {}  # expression text -> syntax tree (the size estimate parses first)
        # column blocks
        self.n_cols = 0
        self.col_blocks: list[tuple[np.ndarray, np.ndarray, bool, int]] = []  # lower, upper, integer, role
        self.col_origin = Origins()
        # row blocks (CSR pieces)
        self.n_rows = 0
        self.row_blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self.row_origin = Origins()
        self.vars: dict[str, Var] = {}
        self.exprs: dict[str, NamedExpr] = {}
        self.kinds: dict[str, str] = {}
        self.index_names: dict = {}
        self.failed_exprs: set = set()
        self.failed_params: set = set()
        self.n_goals = 0
        self.penalties: list = []
        # what the builders hand to assemble()
        self.n_hard = 0
        self.goal_blocks: list[dict] = []
        self.objectives: list = []
        self.goal_units: dict = {}  # goal -> units of its expression, where known and not declared (units.check)
        self.expressions = None  # ExpressionTable

    def declare_names(self) -> None:
        """Record the kind of every name (set, param, var, expr); a name used twice is an issue."""
        spec = self.spec
        for section, names, kind in (("sets", spec.sets, "set"), ("params", spec.params, "param"),
                                     ("variables", spec.variables, "var"), ("expressions", spec.expressions, "expr")):
            for name in names:
                if name in self.kinds:
                    other = {"set": "sets", "param": "params", "var": "variables", "expr": "expressions"}[self.kinds[name]]
                    self.issues.add(f"the name '{name}' is already used under '{other}'",
                                    self.doc.location((section, name), key=True),
                                    hint="names of sets, parameters, variables and expressions must be distinct")
                    continue
                self.kinds[name] = kind

    def member_hint(self, name: str) -> str | None:
        """If ``name`` is a member of a set (``D4`` in ``x[D4]``), say that members are quoted."""
        owners = [s for s, sd in self.data.sets.items() if sd.arity == 1 and (name,) in sd]
        if not owners:
            return None
        return (f"'{name}' is a member of the set {', '.join(owners)}; a member written in an expression is quoted: "
                f"'{name}' (or \"{name}\"), otherwise it is read as a name")

    # -- reporting and parsing -----------------------------------------------------------------
    def report(self, exc: EvalError, path: tuple, text: str | None = None) -> None:
        if text is None:
            text = text_at(self.doc.data, path)
        loc = self.doc.locate(path, exc.span[0]) if isinstance(text, str) else self.doc.location(path)
        issue = Issue(exc.message, loc, exc.hint, text if isinstance(text, str) else None,
                      exc.span if isinstance(text, str) else None)
        if isinstance(exc, EvalSizeError):
            self.size_issue = issue
            raise TooLarge()
        self.issues.issues.append(issue)

    def relocated(self, exc: ExpressionError, path) -> None:
        for issue in exc.issues:
            loc = self.doc.locate(path, issue.span[0]) if issue.span else self.doc.location(path)
            self.issues.issues.append(Issue(issue.message, loc, issue.hint, issue.source, issue.span))

    def parse(self, text, path, bound: frozenset | None = None):
        """Parse a field; with ``bound`` (the loop names in scope) also report every unknown name
        in it at once.  Returns the tree, or ``None`` after reporting."""
        try:
            node = self.parsed.get(text) if isinstance(text, str) else None
            if node is None:
                node = parse(text, self.doc.location(path))
        except ExpressionError as exc:
            self.relocated(exc, path)
            return None
        if bound is not None:
            unknown: list = []
            self._unknown_names(node, bound, unknown)
            if unknown:
                for name, span in unknown:
                    hint = self.member_hint(name) or did_you_mean(name, list(self.kinds) + sorted(bound)) or \
                        "declare it under variables:, expressions:, params: or sets:"
                    if path and path[-1] in NUMBER_FIELDS and span == (0, len(text.strip())) and text.strip() == text:
                        near = did_you_mean(name, list(self.kinds) + sorted(bound))
                        hint = (f"{path[-1]} takes {number_example(path)} or an expression over parameters; "
                                f"'{name}' is neither" + (f" ({near})" if near else ""))
                    self.report(EvalError(f"unknown name '{clip(name)}'", span, hint), path, text)
                return None
        return node

    def _unknown_names(self, node, bound, out) -> None:
        """Collect unknown names in ``node`` (iteratively: expressions may have thousands of terms)."""
        stack = [(node, bound)]
        while stack:
            node, bound = stack.pop()
            if isinstance(node, A.Name):
                if node.id not in bound and node.id not in self.kinds and node.id not in self.failed_exprs \
                        and node.id not in self.failed_params:
                    out.append((node.id, node.span))
            elif isinstance(node, A.Index):
                stack.append((node.base, bound))
                stack.extend((a, bound) for a in node.args)
            elif isinstance(node, A.Sum):
                inner = set(bound)
                for c in node.clauses:
                    stack.append((c.set_name, bound))
                    inner.update(t.id for t in c.targets)
                stack.append((node.body, frozenset(inner)))
                if node.condition is not None:
                    stack.append((node.condition, frozenset(inner)))
            elif isinstance(node, A.Call):
                stack.extend((a, bound) for a in node.args)
            elif isinstance(node, A.Unary):
                stack.append((node.operand, bound))
            elif isinstance(node, (A.BinOp, A.Compare)):
                stack.append((node.right, bound))
                stack.append((node.left, bound))
            elif isinstance(node, A.Tuple):
                stack.extend((a, bound) for a in node.items)
        out.sort(key=lambda t: t[1][0])

    def loop_names(self, for_text, path=None) -> frozenset:
        """Index names a ``for:`` header binds.  With ``path`` (the item's), a header that does not
        parse is reported there and the item fails, before its fields are checked against it."""
        if for_text is None:
            return frozenset()
        try:
            clauses, _ = parse_for(for_text)
        except ExpressionError as exc:
            if path is not None:
                self.relocated(exc, path + ("for",))
                raise ItemFailed() from None
            return frozenset()
        return frozenset(t.id for c in clauses for t in c.targets)

    def parse_for(self, text, path):
        try:
            return parse_for(text, self.doc.location(path))
        except ExpressionError as exc:
            self.relocated(exc, path)
            return None

    # -- fields of an item ---------------------------------------------------------------------
    def field(self, value, path, bound: frozenset = frozenset()):
        """A constant field: a number (float/int), or text parsed into a tree, or ``None`` (absent,
        or reported: callers check ``None`` against the spec's value)."""
        if value is None or isinstance(value, (float, int)):
            return value
        return self.parse(value, path, bound)

    def consts(self, f, frame: Frame, path, what) -> np.ndarray:
        """A constant field evaluated for every row of ``frame``."""
        if isinstance(f, (float, int)):
            return np.full(frame.n, float(f))
        try:
            a = self.ev.constant(f, frame, what)
        except EvalError as exc:
            self.report(exc, path)
            raise ItemFailed() from None
        return np.broadcast_to(np.asarray(a, dtype=np.float64), (frame.n,))

    def weights(self, f, frame: Frame, path) -> np.ndarray:
        w = self.consts(f, frame, path, "a weight")
        with np.errstate(all="ignore"):
            tiny = (w > 0) & (w < TINY)  # 1e-320 (subnormal): its reciprocal overflows
        bad = np.flatnonzero(~(w >= 0) | np.isinf(w) | (w >= HUGE) | tiny)
        if len(bad):
            self.issues.add(f"a weight must be a number from 0 to below {HUGE:g} (0 or at least 1e-300), got {w[int(bad[0])]:g}",
                            self.doc.location(path),
                            hint="weights scale unwanted deviations; use priorities to rank goals")
            raise ItemFailed()
        return w

    def priorities(self, f, frame: Frame, path) -> list:
        if f is None:
            return [None] * frame.n
        if isinstance(f, int):
            return [f] * frame.n
        v = self.consts(f, frame, path, "a priority")
        bad = np.flatnonzero(~((v >= 1) & (v <= 1e9) & (v == np.round(v))))
        if len(bad):
            self.issues.add(f"a priority must be a whole number from 1 to 1e9, got {v[int(bad[0])]:g}",
                            self.doc.location(path),
                            hint="1 is the most important level")
            raise ItemFailed()
        return [int(x) for x in v]

    def frame(self, for_text, where_text, path, item=None) -> tuple[Frame, tuple[str, ...]]:
        """The bindings of an item's ``for:`` header and ``where:`` filter, and its index names.

        ``item`` = ``(kind, name)`` records the item's index column names in ``index_names``.
        """
        if for_text is None:
            if where_text is not None:
                self.issues.add("'where' filters the instances of a 'for:' header, and there is none",
                                self.doc.location(path + ("where",)), hint="add for: i in S, or remove where")
                raise ItemFailed()
            return Frame.unit(), ()
        header = self.parse_for(for_text, path + ("for",))
        if header is None:
            raise ItemFailed()
        clauses, cond = header
        targets = tuple(t.id for c in clauses for t in c.targets)
        if item is not None:
            self.index_names[item] = clause_columns(clauses)
        where = None
        if where_text is not None:
            where = self.parse(where_text, path + ("where",), frozenset(targets))
            if where is None:
                raise ItemFailed()
        try:
            frame, _ = self.ev.bindings(clauses, cond)
        except EvalError as exc:
            self.report(exc, path + ("for",))
            raise ItemFailed() from None
        if where is not None and frame.n:
            try:
                frame = frame.take(np.flatnonzero(self.ev.condition(where, frame)))
            except EvalError as exc:
                self.report(exc, path + ("where",))
                raise ItemFailed() from None
        frame.cols = {t: frame.cols[t] for t in targets}  # keep index order
        return frame, targets

    def eval_linear(self, node, frame: Frame, path) -> Lin:
        try:
            lin = self.ev.linear(node, frame)
            check_finite(lin, frame, node.span)
            return lin
        except EvalError as exc:
            self.report(exc, path)
            raise ItemFailed() from None

    # -- blocks --------------------------------------------------------------------------------
    def too_large(self, message: str, path, hint: str) -> None:
        """Record the size issue at ``path`` and stop compiling."""
        self.size_issue = Issue(message, self.doc.location(path) if path else self.doc.location(()), hint)
        raise TooLarge()

    def add_cols(self, lower: np.ndarray, upper: np.ndarray, integer: bool, role: int, name: str,
                 keys: list) -> int:
        """Append a block of columns (origin ``name`` with index values ``keys``); returns its first column."""
        start = self.n_cols
        count = len(lower)
        if start + count > self.limits.max_nonzeros:
            self.too_large(f"the model has more than {self.limits.max_nonzeros:,} columns (variables and deviations) "
                           f"with '{name}'", self.item_path, self.limits.nonzero_hint())
        self.col_blocks.append((np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64),
                                integer, role))
        self.col_origin.add(name, keys, count)
        self.n_cols += count
        return start

    def add_rows(self, indptr, cols, coefs, lower, upper, name: str, keys: list) -> int:
        """Append a block of CSR rows ``lower <= row <= upper``; returns its first row."""
        start = self.n_rows
        count = len(lower)
        self.nnz += len(cols)
        if self.nnz > self.limits.max_nonzeros or start + count > self.limits.max_nonzeros:
            self.too_large(f"the model has more than {self.limits.max_nonzeros:,} nonzeros (or rows) with '{name}': "
                           f"{self.nnz:,} nonzeros in {start + count:,} rows so far", self.item_path,
                           self.limits.nonzero_hint())
        self.row_blocks.append((np.asarray(indptr, dtype=np.int64), np.asarray(cols, dtype=np.int64),
                                np.asarray(coefs, dtype=np.float64), np.asarray(lower, dtype=np.float64),
                                np.asarray(upper, dtype=np.float64)))
        self.row_origin.add(name, keys, count)
        self.n_rows += count
        return start


def key_str(key: tuple) -> str:
    return repr(key[0]) if len(key) == 1 else repr(key)


def norm(v):
    """Hashable key under which 3 and 3.0 meet."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, np.generic):
        return norm(v.item())
    return v


def check_finite(lin: Lin, frame: Frame, span) -> None:
    """A coefficient or constant that is inf, NaN or 1e20 and more cannot go to a solver."""
    huge = np.isfinite(lin.coefs) & (np.abs(lin.coefs) >= HUGE)
    if huge.any():
        k = int(np.flatnonzero(huge)[0])
        raise EvalError(f"a coefficient is {lin.coefs[k]:g}: solvers treat {HUGE:g} and more as infinite", span,
                        "rescale the units of the data")
    huge = np.isfinite(lin.const) & (np.abs(lin.const) >= HUGE)
    if huge.any():
        i = int(np.flatnonzero(huge)[0])
        raise EvalError(f"the constant part is {lin.const[i]:g}: solvers treat {HUGE:g} and more as infinite", span,
                        "rescale the units of the data")
    bad = ~np.isfinite(lin.coefs)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        where = frame.describe(int(lin.rows[k]))
        raise EvalError(f"a coefficient is {lin.coefs[k]} (not a finite number)" + (f" for {where}" if where else ""),
                        span, "check the parameters used here for .inf or .nan")
    bad = ~np.isfinite(lin.const)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        where = frame.describe(i)
        raise EvalError(f"the constant part is {lin.const[i]} (not a finite number)" + (f" for {where}" if where else ""),
                        span, "check the parameters used here for .inf or .nan")


def clause_columns(clauses) -> tuple[str, ...]:
    return index_columns([(c.set_name.id, t.id) for c in clauses for t in c.targets])


def text_at(data, path):
    node = data
    for p in path:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            return None
    return node
