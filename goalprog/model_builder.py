"""``goalprog.Model``: a goal program built from Python code, with the problem file's concepts.

Each method adds one entry of a problem file (docs/format.md) to a plain document, the same
document a YAML file gives; :meth:`Model.to_problem` validates, binds and compiles it through the
same path as :func:`goalprog.from_dict`, so a model built in Python means exactly what the same
file means.  Expressions are the format's expression strings::

    m = goalprog.Model("clothing_factory")
    m.variable("pants").variable("shirts").variable("dresses")
    m.expression("profit", "10*pants + 3*shirts + 15*dresses")
    m.expression("cost", "5*pants + shirts + 10*dresses")
    m.expression("waste", "1.5*pants + shirts + 3*dresses")
    m.constraint("budget", "cost <= 50000")
    m.goal("profit", "profit", at_least=150000, weight=1)
    m.goal("waste", "waste", at_most=20000, weight=1)
    result = m.solve()            # shirts = 50,000, objective 30,000

Every method returns the model itself, so calls chain (fluent style).  Each call records where
it was made (file and line of the caller); an error found when the model is built names that
call and the argument, in the file format's words: ``model.goal('profit', ...) at
notebook.py:12: at_least: expected a number, got 'lots'``.  Mistakes of the call itself (a name
that is not text, a name given twice, a pandas Series without ``index=``) are an
:class:`~goalprog.core.errors.ArgumentError` at once; everything else is reported, all at once,
by :meth:`Model.to_problem` (and so by :meth:`Model.solve`, :meth:`Model.to_yaml`).

Parameters take numbers, expression text, mappings by member (tuple keys for several index
sets), lists in set order, and pandas Series or DataFrames matched to the members by label
(:mod:`goalprog.spec.override_pandas`: an unknown label or a member without a value is refused,
naming them).  :meth:`Model.to_yaml` writes a problem file that :func:`goalprog.load` reads back
to the same model (:mod:`goalprog.model_builder_files`).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .core.errors import ArgumentError, DataError, GoalProgError, Issue, ProblemFileError, SourceLocation
from .spec.loader import dotted
from .spec.override_doc import is_pandas, plain

_SECTIONS = {"set": "sets", "param": "params", "variable": "variables", "expression": "expressions",
             "constraint": "constraints", "goal": "goals", "objective": "goals"}
_ORDER = ("sets", "params", "variables", "expressions", "constraints", "goals")


class _Unset:
    def __repr__(self) -> str:  # pragma: no cover - shown in help() only
        return "<not given>"


UNSET: Any = _Unset()
"""A keyword left out: the entry gets no such key (the file format's default applies)."""


@dataclass(frozen=True)
class CallSite:
    """Where one method of a :class:`Model` was called: ``method`` (``"goal"``), the entry's
    ``name``, and the caller's ``file`` and ``line``."""

    method: str
    name: Any
    file: str
    line: int

    def call(self) -> str:
        """``model.goal('profit', ...)``, ``model.settings(...)`` or ``Model(...)``."""
        if self.method == "Model":
            return "Model(...)"
        return f"model.{self.method}(" + (f"{self.name!r}, ...)" if self.name is not None else "...)")

    def location(self, argument: str | None) -> SourceLocation:
        """The location an issue of this call is reported at: ``<call> at FILE:LINE: argument``."""
        return SourceLocation(f"{self.call()} at {self.file}", argument, self.line, None)


def _caller(method: str, name: Any) -> CallSite:
    """The call site of the user's code (the first frame outside this module)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    if frame is None:  # pragma: no cover - always called from somewhere
        return CallSite(method, name, "<unknown>", 0)
    file = frame.f_code.co_filename
    try:
        rel = os.path.relpath(file)
        if not rel.startswith(".."):
            file = rel
    except ValueError:  # another drive (Windows), or a name such as <stdin>
        pass
    return CallSite(method, name, file, frame.f_lineno)


def _index(index: Any, site: CallSite) -> Any:
    """``index=`` as the file writes it: one set name, or a list of set names."""
    if index is None or isinstance(index, str):
        return index
    if isinstance(index, (list, tuple)) and all(isinstance(s, str) for s in index) and index:
        return list(index)  # as given: [products] stays a list, as in a file
    raise ArgumentError(Issue(f"index: expected a set name or a list of set names, got {index!r}",
                              site.location("index"), hint="e.g. index='products' or index=['products', 'months']"))


def _nested(data: dict) -> dict:
    """A mapping by member as the file nests it: tuple keys ``(p, m)`` become ``{p: {m: v}}``."""
    out: dict = {}
    for k, v in data.items():
        parts = k if isinstance(k, tuple) else (k,)
        node = out
        for part in parts[:-1]:
            node = node.setdefault(plain(part), {})
        node[plain(parts[-1])] = _nested(v) if isinstance(v, dict) else plain(v)
    return out


def _checked(method):
    """``method`` of :class:`Model`, its call checked against its signature first: a misspelt
    keyword (``at_leest=``) or a missing required one (``meta_goal`` without ``at_most``) is an
    :class:`~goalprog.core.errors.ArgumentError` at the caller's line with a did-you-mean hint,
    not a bare :class:`TypeError`."""
    import functools
    import inspect

    sig = inspect.signature(method)
    keywords = [p for p in list(sig.parameters)[1:] if sig.parameters[p].kind is not inspect.Parameter.VAR_KEYWORD]

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            sig.bind(self, *args, **kwargs)
        except TypeError as exc:
            name = args[0] if args else kwargs.get("name")
            site = _caller(method.__name__, name if method.__name__ != "meta_goal" else None)
            raise _call_error(method.__name__, keywords, sig, args, kwargs, str(exc), site) from None
        return method(self, *args, **kwargs)

    return call


def _call_error(name: str, keywords: list, sig, args: tuple, kwargs: dict, why: str, site: CallSite) -> ArgumentError:
    from .core.errors import did_you_mean

    shown = ", ".join(keywords)
    params = [sig.parameters[k] for k in keywords]
    usage = [p.name if p.kind is p.POSITIONAL_OR_KEYWORD else f"{p.name}=..." for p in params if p.default is p.empty]
    usage = f"model.{name}({', '.join(usage + (['...'] if len(usage) < len(params) else []))})"
    unknown = [k for k in kwargs if k not in sig.parameters]
    if unknown:
        k = unknown[0]
        return ArgumentError(Issue(f"{name}() has no keyword {k!r}", site.location(k),
                                   hint=did_you_mean(k, keywords) or f"its keywords are: {shown}"))
    given = set(kwargs) | set(keywords[:len(args)])
    missing = [p for p in keywords if sig.parameters[p].default is sig.parameters[p].empty and p not in given
               and sig.parameters[p].kind is not sig.parameters[p].VAR_POSITIONAL]
    if missing:
        return ArgumentError(Issue(f"{name}() needs {' and '.join(repr(m) for m in missing)}", site.location(missing[0]),
                                   hint=f"call it as {usage}"))
    return ArgumentError(Issue(f"{name}(): {why.split('() ', 1)[-1]}", site.location(None),
                               hint=f"call it as {usage}; its arguments are: {shown}"))


def _given(**fields) -> dict:
    """The keywords that were given, by their file keys (``for_`` -> ``for``), values made plain."""
    return {("for" if k == "for_" else k): plain(v) for k, v in fields.items() if v is not UNSET}


class Model:
    """A goal program built from Python code (see the module's documentation).

    ``name`` and ``description`` are the file's keys of the same names.  ``base_dir``: the
    folder data files named by the model are read from (default: the current folder).
    Methods: :meth:`set`, :meth:`param`, :meth:`variable`, :meth:`expression`,
    :meth:`constraint`, :meth:`goal`, :meth:`objective`, :meth:`meta_goal`, :meth:`settings` (the ``solve:``
    section); each returns the model.  Then :meth:`solve`, :meth:`to_problem`, :meth:`to_dict`,
    :meth:`to_yaml`.
    """

    def __init__(self, name: str | None = None, description: str | None = None, *, base_dir=None):
        self._site = _caller("Model", None)
        self._head = _given(name=name if name is not None else UNSET,
                            description=description if description is not None else UNSET)
        self._sections: dict[str, dict] = {s: {} for s in _ORDER}
        self._solve: dict = {}
        self._meta: list[dict] = []
        self._sites: dict[tuple, CallSite] = {}
        self._pending: dict[str, Any] = {}  # parameter -> pandas object matched by label at build time
        self._base_dir = Path(base_dir) if base_dir is not None else None
        self._cache: dict = {}

    # -- adding entries -------------------------------------------------------------------------

    def _add(self, method: str, name: Any, entry: Any, site: CallSite) -> Model:
        section = _SECTIONS[method]
        if not isinstance(name, str) or not name:
            raise ArgumentError(Issue(f"the name must be non-empty text, got {name!r}", site.location("name"),
                                      hint=f"e.g. model.{method}('profit', ...)"))
        first = self._sites.get((section, name))
        if first is not None:
            raise ArgumentError(Issue(f"duplicate key {name!r} in {section} (first defined at "
                                      f"{first.file}:{first.line})", site.location("name"),
                                      hint=f"each name may appear once in {section}; remove or rename one"))
        self._sections[section][name] = entry
        self._sites[(section, name)] = site
        self._cache.clear()
        return self

    @_checked
    def set(self, name: str, members: Any) -> Model:
        """An index set: ``members`` a list (or any iterable: a range, a pandas Index) of names or
        whole numbers, tuples for a set of pairs; or the file's mapping ``{"range": [1, 12]}``."""
        site = _caller("set", name)
        if isinstance(members, dict) or is_pandas(members) is None and isinstance(members, (list, tuple)):
            value = plain(members)
        elif isinstance(members, (str, bytes)) or not hasattr(members, "__iter__"):
            value = plain(members)  # the schema says what is wrong with it
        else:
            value = plain(list(members))
        return self._add("set", name, value, site)

    @_checked
    def param(self, name: str, data: Any = None, index: Any = None, *, default: Any = UNSET, column: str | None = None,
              description: Any = UNSET, units: Any = UNSET) -> Model:
        """A parameter.  ``data``: a number or an expression over earlier parameters (no
        ``index``); for ``index=`` (a set name or list of set names) a mapping by member (tuple keys
        or nested mappings for several sets), a list in set order, or a pandas Series (a
        MultiIndex for several sets) or DataFrame (its column ``column``, default the parameter's
        name; or rows for the first index parts and one column per member of the last) matched
        to the members by label.  ``default`` fills members without a value.  Raises
        :class:`~goalprog.core.errors.ArgumentError` for a pandas object without ``index=`` or a
        missing ``column``."""
        site = _caller("param", name)
        idx = _index(index, site)
        extra = _given(default=default, description=description, units=units)
        kind = is_pandas(data)
        if kind == "DataFrame" and column is not None:
            if column not in data.columns:
                raise ArgumentError(Issue(f"the DataFrame has no column {column!r}", site.location("column"),
                                          hint="its columns are: " + ", ".join(str(c) for c in list(data.columns)[:12])))
            data, kind = data[column], "Series"
        if kind is not None:
            if idx is None:
                raise ArgumentError(Issue(f"a pandas {kind} gives values by label: name the set(s) it is indexed "
                                          "over", site.location("index"),
                                          hint=f"e.g. model.param({name!r}, series, index='products')"))
            self._pending[name] = data
            return self._add("param", name, {"index": idx, **extra, "values": {}}, site)
        self._pending.pop(name, None)
        if idx is None:
            if data is None or isinstance(data, dict) or extra:
                entry = {**({"values": _nested(data)} if isinstance(data, dict) else {} if data is None
                            else {"value": plain(data)}), **extra}
            else:  # a bool stays under value:, whose check refuses it (the shorthand would take it as 1.0)
                entry = plain(data) if not isinstance(data, (str, bool)) else {"value": data}
            return self._add("param", name, entry, site)
        entry: dict = {"index": idx, **extra}
        if isinstance(data, dict):
            entry["values"] = _nested(data)
        elif data is not None and (isinstance(data, (list, tuple)) or hasattr(data, "tolist")):
            entry["values"] = plain(data)
        elif data is not None:
            entry["value"] = plain(data)  # the schema's own message: an indexed parameter takes 'values'
        return self._add("param", name, entry, site)

    @_checked
    def variable(self, name: str, index: Any = None, *, lower: Any = UNSET, upper: Any = UNSET, type: Any = UNSET,
                 description: Any = UNSET, units: Any = UNSET) -> Model:
        """A decision variable, or one per member of ``index`` (a set name or list of set names).
        ``lower`` defaults to 0 as in the file; ``lower=None`` is a free variable, ``upper=None``
        no upper bound; a bound may be a number, an expression over scalar parameters, or the
        bare name of a parameter indexed like the variable.  ``type``: ``"continuous"``
        (default), ``"integer"`` or ``"binary"``."""
        site = _caller("variable", name)
        entry = _given(index=_index(index, site) if index is not None else UNSET, lower=lower, upper=upper, type=type,
                       description=description, units=units)
        return self._add("variable", name, entry, site)

    @_checked
    def expression(self, name: str, expr: Any, *, for_: Any = UNSET, description: Any = UNSET,
                   units: Any = UNSET) -> Model:
        """A named expression (text in the format's expression language); ``for_`` an index
        header such as ``"p in products"`` makes it indexed."""
        site = _caller("expression", name)
        rest = _given(for_=for_, description=description, units=units)
        return self._add("expression", name, {"expr": plain(expr), **rest} if rest else plain(expr), site)

    @_checked
    def constraint(self, name: str, expr: Any, *, for_: Any = UNSET, where: Any = UNSET,
                   description: Any = UNSET) -> Model:
        """A hard constraint ``lhs <= rhs`` (or ``>=``, ``==``, ``lo <= e <= hi``); ``for_`` an index
        header, ``where`` a condition on its names."""
        site = _caller("constraint", name)
        rest = _given(for_=for_, where=where, description=description)
        return self._add("constraint", name, {"expr": plain(expr), **rest} if rest else plain(expr), site)

    @_checked
    def goal(self, name: str, expr: Any, *, at_least: Any = UNSET, at_most: Any = UNSET, equal: Any = UNSET,
             between: Any = UNSET, weight: Any = UNSET, priority: Any = UNSET, under: Any = UNSET, over: Any = UNSET,
             normalize: Any = UNSET, scale: Any = UNSET, penalty: Any = UNSET, for_: Any = UNSET, where: Any = UNSET,
             description: Any = UNSET, units: Any = UNSET) -> Model:
        """A goal: the quantity ``expr`` and one target side, ``at_least``, ``at_most``, ``equal`` or
        ``between=(low, high)`` (numbers or expressions over parameters); ``weight`` (default 1)
        and ``priority`` (1 = most important) of its unwanted deviation, ``under``/``over``
        (mappings with ``priority``, ``weight``, ``penalty``) for an equal or between goal's two
        sides, ``normalize``, ``scale``, ``penalty`` (a list of ``{"up_to": ..., "rate": ...}``),
        ``for_``/``where`` for an indexed goal, ``units``; see docs/format.md section 7."""
        site = _caller("goal", name)
        entry = {"expr": plain(expr), **_given(at_least=at_least, at_most=at_most, equal=equal, between=between,
                                               weight=weight, priority=priority, under=under, over=over,
                                               normalize=normalize, scale=scale, penalty=penalty, for_=for_,
                                               where=where, description=description, units=units)}
        return self._add("goal", name, entry, site)

    @_checked
    def objective(self, name: str, *, maximize: Any = UNSET, minimize: Any = UNSET, priority: Any = UNSET,
                  weight: Any = UNSET, for_: Any = UNSET, where: Any = UNSET, description: Any = UNSET,
                  units: Any = UNSET) -> Model:
        """A plain objective at a priority level: ``maximize=`` or ``minimize=`` an expression
        (docs/format.md section 8).  Objectives and goals share one namespace (the file's
        ``goals:``)."""
        site = _caller("objective", name)
        entry = _given(maximize=maximize, minimize=minimize, priority=priority, weight=weight, for_=for_,
                       where=where, description=description, units=units)
        return self._add("objective", name, entry, site)

    @_checked
    def meta_goal(self, of: str, *, at_most: Any, priority: Any = UNSET, weight: Any = UNSET, level: Any = UNSET,
                  name: Any = UNSET, description: Any = UNSET) -> Model:
        """A meta-goal (the file's ``meta_goals:`` list, docs/format.md): a target ``at_most`` on a
        measure ``of`` the whole programme: ``"total"`` (weighted sum of unwanted deviations),
        ``"worst"`` (largest weighted unwanted deviation) or ``"unmet"`` (number of goal instances
        not met), at ``priority`` with ``weight``, over the goals of ``level`` only if given
        (Rodríguez Uría, Caballero, Ruiz & Romero, *EJOR* 136, 2002)."""
        site = _caller("meta_goal", None)
        entry = _given(name=name, of=of, at_most=at_most, priority=priority, weight=weight, level=level,
                       description=description)
        self._sites[("meta_goals", len(self._meta))] = site
        self._meta.append(entry)
        self._cache.clear()
        return self

    def settings(self, **solve) -> Model:
        """Keys of the file's ``solve:`` section (docs/format.md section 10): ``method``,
        ``normalize``, ``levels``, ``lock``, ``pareto``, ``rates``, ``backend``, ``solver``,
        ``time_limit``, ... (``lambda_`` for ``lambda``).  They are written by :meth:`to_yaml` and
        used by :meth:`solve`, whose arguments override them.  Later calls add to earlier ones."""
        site = _caller("settings", None)
        for key, value in solve.items():
            key = "lambda" if key == "lambda_" else key
            self._solve[key] = plain(value)
            self._sites[("solve", key)] = site
        self._cache.clear()
        return self

    # -- the document ---------------------------------------------------------------------------

    def _document(self) -> dict:
        doc: dict = dict(self._head)
        for section in _ORDER:
            if self._sections[section] or section in ("variables", "goals"):
                doc[section] = dict(self._sections[section])
        if "variables" in doc and not doc["variables"]:
            del doc["variables"]  # 'variables' is missing: the schema's message
        if self._meta:
            doc["meta_goals"] = [dict(m) for m in self._meta]
        if self._solve:
            doc["solve"] = dict(self._solve)
        return doc

    def to_dict(self) -> dict:
        """The problem as the plain document a problem file gives (``goalprog.from_dict`` builds
        the same problem from it; a new copy each call).  Parameters given as pandas objects
        are matched to their sets' members here, so this raises their errors (an unknown label,
        a member without a value) and those of the sets they need."""
        import copy

        if "dict" not in self._cache:
            doc = self._document()
            if self._pending:
                params = doc["params"] = dict(doc["params"])
                for name, value in self._pending.items():
                    params[name] = self._by_label(name, value, doc)
            self._cache["dict"] = doc
        return copy.deepcopy(self._cache["dict"])

    def _by_label(self, name: str, value: Any, doc: dict) -> Any:
        """The parameter ``name``'s definition with the pandas object's values matched to its
        sets' members by label (:func:`~goalprog.spec.override_pandas.labelled_definition`)."""
        from .spec.loader import Document
        from .spec.override_doc import OverrideState
        from .spec.override_pandas import labelled_definition

        mini = {"sets": doc.get("sets", {}), "params": {name: doc["params"][name]}, "variables": {},
                "goals": {"_": {"maximize": "0"}}}
        state = OverrideState(Document(mini, None), "param()", data_root=self._base_dir)
        definition = labelled_definition(state, name, name, value)
        if state.issues:
            site = self._sites[("params", name)]
            issues = [Issue(i.message, site.location("data"), i.hint, i.source, i.span)
                      if "(from param())" in (i.location.key_path or "") else i for i in state.issues]
            raise DataError([self._relocate(i) for i in issues])
        return definition

    # -- errors at the call site ------------------------------------------------------------------

    def _relocate(self, issue: Issue) -> Issue:
        """``issue`` at the call that made the entry it is about, naming the argument."""
        loc = issue.location
        if loc.file is not None:
            return issue  # a data file's own location, or already a call site
        path = loc.key_path or ""
        best = None
        for (section, name), site in self._sites.items():
            prefix = dotted((section, name))
            if path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "["):
                if best is None or len(prefix) > len(best[0]):
                    best = (prefix, section, site)
        if best is None:
            hint = issue.hint
            if path in ("", "variables", "goals"):
                hint = {"'variables' is missing": "declare one with model.variable('x')",
                        "there are no goals": "add one with model.goal(...) or model.objective(...)"}.get(
                    next((k for k in ("'variables' is missing", "there are no goals") if issue.message.startswith(k)),
                         ""), hint)
            return Issue(issue.message, self._site.location(path or None), hint, issue.source, issue.span)
        prefix, section, site = best
        rest = path[len(prefix):]
        if section == "solve":  # settings(key=...): the key is the argument
            rest = "." + prefix.partition(".")[2] + rest
        return Issue(issue.message, site.location(_argument(section, rest)), issue.hint, issue.source, issue.span)

    def _raise_here(self, exc: GoalProgError):
        raise type(exc)([self._relocate(i) for i in exc.issues]) from None

    # -- building and solving ---------------------------------------------------------------------

    def to_problem(self, *, data_root=None, max_nonzeros: int | None = None):
        """The :class:`~goalprog.problem.Problem` this model describes: validated, bound to its
        data and compiled as :func:`goalprog.from_dict` would.  Raises the errors of
        :func:`goalprog.load` (``SchemaError``, ``DataError``, ``ExpressionError``,
        ``SizeLimitError``), every issue at its call site and argument."""
        from .core.limits import make_limits
        from .problem import build
        from .spec.files import check_data_root
        from .spec.loader import Document

        key = ("problem", str(data_root), max_nonzeros)
        if key not in self._cache:
            root = check_data_root(data_root)
            limits = make_limits(max_nonzeros)
            try:
                self._cache[key] = build(Document(self.to_dict(), None), self._base_dir, root, limits)
            except ProblemFileError as exc:
                self._raise_here(exc)
        return self._cache[key]

    def solve(self, method: str | None = None, backend: str | None = None, solver: str | None = None, **options):
        """Build the model (:meth:`to_problem`) and solve it: the arguments and the result are
        those of :meth:`goalprog.problem.Problem.solve` (the model's :meth:`settings` play the
        file's ``solve:`` section)."""
        problem = self.to_problem()
        try:
            return problem.solve(method, backend, solver, **options)
        except ProblemFileError as exc:
            self._raise_here(exc)

    def to_yaml(self, path, *, force: bool = False, csv_threshold: int | None = None) -> Path:
        """Write the model as a problem file at ``path`` that :func:`goalprog.load` reads back to
        the same model; return the path.  An indexed parameter with more than ``csv_threshold``
        values (default :data:`goalprog.model_builder_files.CSV_THRESHOLD`, 1,000) goes to a CSV
        file beside it (``<stem>.<parameter>.csv``).  The model is validated first (its errors as
        :meth:`to_problem`).  Refuses to replace an existing file unless ``force=True``
        (:class:`~goalprog.core.outfiles.OutputError`)."""
        from .model_builder_files import write_yaml

        self.to_problem()
        return write_yaml(self.to_dict(), path, force=force, csv_threshold=csv_threshold)

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(v)} {k}" for k, v in self._sections.items() if v)
        return f"<goalprog.Model {self._head.get('name', 'goal_program')!r}: {counts or 'empty'}>"


def _argument(section: str, rest: str) -> str | None:
    """The argument of the method that wrote ``section``'s entry, for the key path ``rest`` below
    the entry (``.at_least``, ``.under.weight``, ``[2]``, ``.values.pants``)."""
    if not rest:
        return {"sets": "members", "expressions": "expr", "constraints": "expr"}.get(section)
    if rest.startswith("["):
        return ("members" if section == "sets" else "value") + rest
    head, _, tail = rest[1:].partition(".")
    sub = ""
    if "[" in head:
        head, sub = head.split("[", 1)
        sub = "[" + sub
    more = "".join(f"[{p!r}]" for p in tail.split(".")) if tail else ""
    if section == "sets":
        return "members"
    if section == "params" and head in ("values", "value", "file", "column", "keys"):
        return "data" + sub + more
    if section == "solve":
        return ("lambda_" if head == "lambda" else head) + sub + more
    return ("for_" if head == "for" else head) + sub + more


def _solve_signature():
    """:meth:`Model.solve`'s signature as help() shows it: :meth:`Problem.solve`'s keywords."""
    from .problem import Problem

    return Problem.solve.__signature__


Model.solve.__signature__ = _solve_signature()
