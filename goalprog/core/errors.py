"""The one exception hierarchy of goalprog.

Every error a user can cause carries one or more :class:`Issue` objects, each with a
:class:`SourceLocation` (file, key path, line, column), a message, an optional caret span inside
an expression and an optional hint saying how to fix it.  All issues found in one phase (loading,
schema validation, expression checking) are collected and raised together, once.

Hierarchy::

    GoalProgError
    ├── ProblemFileError        the problem file cannot be used as written
    │   ├── YamlError           not well-formed YAML, duplicate keys, unsafe constructs
    │   ├── SchemaError         wrong keys, wrong types, missing fields
    │   ├── DataError           sets/parameters/data values that are missing or inconsistent
    │   ├── ExpressionError     expression syntax, unknown names, non-linear terms
    │   └── SizeLimitError      the model would be larger than the size limit (--max-nonzeros)
    ├── ArgumentError           an argument of the Python API is invalid (also a ValueError)
    ├── BackendError            a backend or solver is not installed / cannot be used
    ├── ReportError             a report or chart could not be written
    └── SolverError             the solver failed in a way that is not a model status

Infeasible and unbounded models are *not* errors: they are statuses of a
:class:`goalprog.solve.results.Result`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

ECHO_LIMIT = 200  # characters of a user's value quoted in a message
DID_YOU_MEAN_CANDIDATES = 10_000  # names compared for a did-you-mean hint (the first ones of a big set)
MESSAGE_LIMIT = 600  # characters of one message or hint (a backstop: values are clipped where quoted)


def clip(text, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was: echoed input stays short.

    >>> clip("x" * 1000, 10)
    'xxxxxxxxxx... (1,000 characters)'
    """
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


@dataclass(frozen=True)
class SourceLocation:
    """Where something came from in a problem file.

    ``line`` and ``col`` are 1-based; ``key_path`` is the dotted path of keys, e.g.
    ``goals.waste.at_most``.  Any part may be ``None`` when unknown (e.g. a dict given to
    :func:`goalprog.from_dict`).
    """

    file: str | None = None
    key_path: str | None = None
    line: int | None = None
    col: int | None = None

    def prefix(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def shifted(self, col_offset: int) -> "SourceLocation":
        """The same location moved right by ``col_offset`` columns (inside a one-line scalar)."""
        if self.col is None:
            return self
        return SourceLocation(self.file, self.key_path, self.line, self.col + col_offset)


@dataclass(frozen=True)
class Issue:
    """One problem found in the user's input.

    ``source`` is the text of an expression (or a source line) and ``span`` the ``(start, end)``
    character offsets inside it to underline with carets.
    """

    message: str
    location: SourceLocation = field(default_factory=SourceLocation)
    hint: str | None = None
    source: str | None = None
    span: tuple[int, int] | None = None

    def format(self) -> str:
        head = self.location.prefix()
        key = self.location.key_path
        if key:
            key = clip(key)
        text = clip(self.message, MESSAGE_LIMIT)
        if key:
            text = f"{key}: {text}"
        lines = [f"{head}: {text}" if head else text]
        if self.source is not None and self.span is not None:
            start, end = self.span
            src = self.source.replace("\n", " ")
            if len(src) > 100:  # a window around the caret of a long expression
                lo = max(0, start - 40)
                hi = min(len(src), min(max(end, start + 1), start + 80) + 40)  # a long span: its start
                prefix = "..." if lo > 0 else ""
                src = prefix + src[lo:hi] + ("..." if hi < len(src) else "")
                start, end = start - lo + len(prefix), min(end, hi) - lo + len(prefix)
            lines.append("    " + src)
            lines.append("    " + " " * start + "^" * max(1, min(end - start, 80)))
        if self.hint:
            lines.append(f"  hint: {clip(self.hint, MESSAGE_LIMIT)}")
        return "\n".join(lines)


class GoalProgError(Exception):
    """Base class of every error goalprog raises on purpose.

    ``issues`` holds every problem found (at least one); ``str(err)`` formats them all as
    ``file:line:col: key.path: message`` lines with carets and hints.
    """

    def __init__(self, issues: "Issue | str | list[Issue] | tuple[Issue, ...]", *, hint: str | None = None):
        if isinstance(issues, str):
            issues = [Issue(issues, hint=hint)]
        elif isinstance(issues, Issue):
            issues = [issues]
        self.issues: tuple[Issue, ...] = tuple(issues)
        super().__init__(self.format())

    def format(self) -> str:
        return "\n".join(issue.format() for issue in self.issues)

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.format()


class ProblemFileError(GoalProgError):
    """The problem file (or dict) cannot be used as written."""


class YamlError(ProblemFileError):
    """The file is not acceptable YAML: syntax, duplicate keys, tabs, unsafe tags, alias bombs."""


class SchemaError(ProblemFileError):
    """A key is unknown, missing, or has a value of the wrong type."""


class DataError(ProblemFileError):
    """A set or parameter value is missing, inconsistent or not numeric."""


class ExpressionError(ProblemFileError):
    """An expression does not parse, names something unknown, or is not linear."""


class SizeLimitError(ProblemFileError):
    """The model would be larger than the size limit (``--max-nonzeros``, ``max_nonzeros=``):
    a set, a variable, the bindings of an item or the whole model; see :mod:`goalprog.core.limits`."""


class ArgumentError(GoalProgError, ValueError):
    """An argument given to the Python API is invalid (e.g. ``solve(time_limit=-1)``)."""


class BackendError(GoalProgError):
    """A backend or solver was asked for that is unknown or not installed."""


class ReportError(GoalProgError):
    """A report, chart or export file could not be written (unwritable path, missing matplotlib)."""


class SolverError(GoalProgError):
    """The solver failed in a way that is not a model status (crash, license, internal error)."""


class IssueCollector:
    """Collects issues during one phase and raises them together.

    >>> issues = IssueCollector(SchemaError)
    >>> issues.add("bad", location)       # doctest: +SKIP
    >>> issues.raise_if_any()             # doctest: +SKIP
    """

    def __init__(self, error_type: type[GoalProgError]):
        self.error_type = error_type
        self.issues: list[Issue] = []

    def add(self, message: str, location: SourceLocation | None = None, *, hint: str | None = None,
            source: str | None = None, span: tuple[int, int] | None = None) -> None:
        self.issues.append(Issue(message, location or SourceLocation(), hint, source, span))

    def extend(self, err: GoalProgError) -> None:
        self.issues.extend(err.issues)

    def __bool__(self) -> bool:
        return bool(self.issues)

    def raise_if_any(self) -> None:
        if self.issues:
            raise self.error_type(self.issues)


def did_you_mean(name: str, candidates) -> str | None:
    """A ``did you mean 'x'?`` hint for ``name`` among ``candidates``, or ``None``."""
    import difflib

    if len(str(name)) > ECHO_LIMIT:  # a long name is no typo of a short one (and difflib is quadratic)
        return None
    cands = [str(c) for c in itertools.islice(candidates, DID_YOU_MEAN_CANDIDATES)]
    close = difflib.get_close_matches(str(name), cands, n=3, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in cands}
        if str(name).lower() in lowered:
            close = [lowered[str(name).lower()]]
    if not close:
        return None
    close = [clip(c, 80) for c in close]
    if len(close) == 1:
        return f"did you mean '{close[0]}'?"
    return "did you mean " + ", ".join(f"'{c}'" for c in close[:-1]) + f" or '{close[-1]}'?"
