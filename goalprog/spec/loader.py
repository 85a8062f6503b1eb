"""YAML problem files -> plain Python data plus a map from key paths to line/column.

Only PyYAML's *safe* composer is used: the file is parsed into a node tree and turned into data
here, by our own rules, so nothing in a problem file is ever executed and every value keeps its
position for error messages.

Our scalar rules (a deliberate, documented subset of YAML 1.1/1.2):

* quoted scalars are always strings;
* ``null``, ``~`` and an empty value are ``None``;
* ``true``/``false`` are booleans; YAML 1.1's ``yes``/``no``/``on``/``off`` (any case) are read
  as booleans too, so that a key or name written that way can be reported ("quote it");
* decimal integers (``12``, ``-3``, ``1_000``) are ``int``; floats include ``1e5``, ``1.5e-6``,
  ``2.5E+4``, ``.5``, ``.inf``; octal-looking ``010`` and base-60 ``1:30`` are *errors*
  (write ``10`` or quote the value);
* everything else plain is a string.

Duplicate keys are an error naming both lines; tabs and syntax errors are reported with their
position; anchors/aliases are expanded but the total number of expanded nodes is capped (a "billion
laughs" file is refused); files larger than :data:`MAX_FILE_BYTES` (bytes read) and anything but a
regular file (a FIFO, a device) are refused; every explicit YAML tag (``!x``, ``!!str 5``,
``!!python/...``) is an error, and so is a whole number of more than :data:`MAX_INT_DIGITS` digits.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import Issue, IssueCollector, SourceLocation, YamlError
from .files import FileRefused, cut, read_regular_file
from .yaml_errors import plain_yaml_issue

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_INT_DIGITS = 4300  # Python's limit for converting text to int (sys.get_int_max_str_digits)

Path_ = tuple  # a key path: tuple of str | int


class YamlBool:
    """A boolean read from a plain YAML scalar, remembering how it was written (``NO``, ``on``).

    Deliberately *not* an ``int``: a number field given ``yes`` is an error ("quote it or write a
    number"), never silently 1.  Fields that want a boolean convert it explicitly.
    """

    __slots__ = ("value", "text")

    def __init__(self, value: bool, text: str):
        self.value = bool(value)
        self.text = text

    def __bool__(self) -> bool:
        return self.value

    def __repr__(self) -> str:
        return repr(self.value)

    def __eq__(self, other):
        if isinstance(other, YamlBool):
            return self.value == other.value
        return isinstance(other, bool) and self.value == other

    def __hash__(self):
        return hash(self.value)

    def __reduce__(self):
        return (YamlBool, (self.value, self.text))

    def __deepcopy__(self, memo):
        return self


_BOOL_TRUE = {"true", "yes", "on"}
_BOOL_FALSE = {"false", "no", "off"}
_NULL = {"", "~", "null"}
_INT_RE = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_OCTAL_RE = re.compile(r"^[-+]?0[0-9_]+$")
_FLOAT_RE = re.compile(r"^[-+]?(?:[0-9][0-9_]*\.?[0-9_]*|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?$")
_SEXAGESIMAL_RE = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_SPECIAL_FLOATS = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}


@dataclass(frozen=True)
class Document:
    """A loaded problem file.

    ``data`` is plain Python (dict/list/str/int/float/bool/None); ``values`` maps a key path
    (tuple of keys and list indices) to the 1-based ``(line, col)`` of its value, ``keys`` to the
    position of the key itself.  ``styles`` records the scalar style (``''`` plain, ``'"'``,
    ``"'"``, ``'|'``, ``'>'``) so expression carets can be placed exactly.
    """

    data: Any
    file: str | None = None
    values: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    styles: dict = field(default_factory=dict)
    lines: tuple = ()

    def location(self, path: Path_, *, key: bool = False) -> SourceLocation:
        """The location of ``path`` (its key when ``key`` is true); walks up to the nearest known."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                line, col = table[p]
                return SourceLocation(self.file, dotted(path), line, col)
            if not key and p in self.keys:
                line, col = self.keys[p]
                return SourceLocation(self.file, dotted(path), line, col)
            p = p[:-1]
        return SourceLocation(self.file, dotted(path) or None, *(self.values.get((), (None, None))))

    def locate(self, path: Path_, offset: int) -> SourceLocation:
        """The file position of character ``offset`` of the text scalar at ``path``.

        Works for plain, quoted, folded (``>``) and literal (``|``) scalars over several lines:
        YAML folds line breaks and indentation, so the ``offset``-th character is found by
        counting the non-blank characters before it in the value and in the source.
        """
        loc = self.location(path)
        value = _get(self.data, path)
        key = tuple(path)
        if not isinstance(value, str) or key not in self.values or not self.lines or loc.line is None:
            return loc
        style = self.styles.get(key, "")
        line, col = self.values[key]
        if style in ("|", ">"):
            line, col = line + 1, 1
        elif style in ("'", '"'):
            col += 1
        need = sum(1 for ch in value[:offset] if not ch.isspace())
        total = sum(1 for ch in value if not ch.isspace())
        past_end = total > 0 and need >= total  # e.g. an unclosed "(" reported at the end of the text
        if past_end:
            need = total - 1  # the last character; the position just after it is returned
        r, c = line - 1, col - 1
        while r < len(self.lines):
            text = self.lines[r]
            while c < len(text):
                if not text[c].isspace():
                    if need == 0:
                        return SourceLocation(self.file, loc.key_path, r + 1, c + 1 + (1 if past_end else 0))
                    need -= 1
                c += 1
            r, c = r + 1, 0
        return loc

    def expression_location(self, path: Path_) -> tuple[SourceLocation, int]:
        """Location of the start of an expression scalar and the column shift of its first char."""
        loc = self.location(path)
        style = self.styles.get(tuple(path), "")
        shift = 1 if style in ("'", '"') else 0
        return loc, shift


def _get(data: Any, path: Path_) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def dotted(path: Path_) -> str:
    """``('goals', 'waste', 'at_most')`` -> ``goals.waste.at_most``; list indices as ``[3]``."""
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _compose(text: str):
    """PyYAML's node tree of ``text``: by libyaml (PyYAML's C parser, about 15 times faster) when
    PyYAML was built with it and it reads the text; otherwise, and for every error, by PyYAML's
    own parser, so what is accepted and every message and position are PyYAML's."""
    return _compose_with(text)[0]


def _compose_with(text: str):
    """``(node tree, loader class that read it)``: see :func:`_compose`."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast), fast
        except yaml.YAMLError:
            pass  # PyYAML's parser below gives the error (or reads what libyaml would not)
    return yaml.compose(text, Loader=yaml.SafeLoader), yaml.SafeLoader


def _explicit_tags(text: str, loader) -> dict:
    """``{(line, column): tag}`` (0-based, as in PyYAML's marks) of every node written with an
    explicit tag (``!x``, ``!!str``, ``!!python/...``, the non-specific ``!``).

    Read from the parser's events, where a tag is ``None`` unless it was written: after
    composition an explicit tag cannot be told from the one YAML resolves implicitly.  A tag
    always contains ``!``, so a text without one is not parsed again."""
    if "!" not in text:
        return {}
    out = {}
    for event in yaml.parse(text, Loader=loader):
        tag = getattr(event, "tag", None)
        if tag is not None:
            out[(event.start_mark.line, event.start_mark.column)] = tag
    return out


def _tag_text(tag: str) -> str:
    """A tag as written: ``tag:yaml.org,2002:str`` -> ``!!str``, cut to 60 characters."""
    if tag.startswith("tag:yaml.org,2002:"):
        tag = "!!" + tag[len("tag:yaml.org,2002:"):]
    return tag if len(tag) <= 60 else tag[:60] + "..."


def load_yaml_text(text: str, file: str | None = None) -> Document:
    """Parse YAML ``text`` into a :class:`Document`.

    Raises :class:`~goalprog.core.errors.YamlError` with every problem found (syntax, tabs, duplicate
    keys, unsupported tags, bad numbers, alias bombs).
    """
    issues = IssueCollector(YamlError)
    try:
        node, loader = _compose_with(text)
        tags = _explicit_tags(text, loader) if node is not None else {}
    except RecursionError:
        raise YamlError(Issue("the document is nested too deeply (YAML mappings or lists inside each other "
                              "beyond what can be read)", SourceLocation(file, None, 1, 1),
                              hint="problem files are a few levels deep; flatten the data or keep it in CSV files")) from None
    except yaml.MarkedYAMLError as exc:
        if "\t" in text:  # tabs in indentation are the usual cause; name each one
            for lineno, line in enumerate(text.splitlines(), 1):
                stripped = line.lstrip(" ")
                if stripped.startswith("\t"):
                    issues.add("a tab is used for indentation; YAML allows only spaces",
                               SourceLocation(file, None, lineno, len(line) - len(stripped) + 1),
                               hint="replace the tab with spaces (2 per level is usual)")
            issues.raise_if_any()
        raise YamlError(plain_yaml_issue(exc, text, file)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - non-marked errors are rare
        raise YamlError(Issue(f"YAML error: {exc}", SourceLocation(file)))
    if node is None:
        raise YamlError(Issue("the file is empty", SourceLocation(file, None, 1, 1),
                              hint="a problem file needs at least 'variables:' and 'goals:'"))
    try:
        total = _expanded_size(node)
    except _Recursive as rec:
        m = rec.node.start_mark
        raise YamlError(Issue("an alias (*name) refers to a mapping or list that contains it, so the data would be "
                              "infinite", SourceLocation(file, None, m.line + 1, m.column + 1),
                              hint="problem files are plain data: remove the recursive alias")) from None
    if total > MAX_NODES:
        m = node.start_mark
        raise YamlError(Issue(f"the document expands to about {total:.3g} values through anchors and aliases "
                              f"(the limit is {MAX_NODES}); refused", SourceLocation(file, None, m.line + 1, m.column + 1),
                              hint="avoid nested aliases (*name) that multiply data; keep large data in CSV files"))
    builder = _Builder(file, issues, tags)
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise YamlError(Issue("the document is nested too deeply", SourceLocation(file, None, 1, 1),
                              hint="problem files are a few levels deep; flatten the data or keep it in CSV files")) from None
    for (line, col), tag in sorted(builder.tags.items()):  # tagged nodes the builder did not meet
        issues.add(f"the YAML tag {_tag_text(tag)!r} is not allowed", SourceLocation(file, None, line + 1, col + 1),
                   hint=_TAG_HINT)
    issues.raise_if_any()
    return Document(data, file, builder.values, builder.keys, builder.styles, tuple(text.splitlines()))


def load_yaml_file(path: str | Path) -> Document:
    """Read and parse a YAML problem file (see :func:`load_yaml_text`).

    Only a regular file is read (a folder, named pipe, device or socket is refused before
    anything is read) and at most :data:`MAX_FILE_BYTES` bytes of it.
    Raises :class:`~goalprog.core.errors.YamlError` when the file is missing, not a regular file,
    unreadable, too large, not UTF-8, or not acceptable YAML.
    """
    p = Path(path)
    name = str(path)  # the path given by the person running goalprog: shown whole, and the base of data paths
    try:
        if p.is_dir():
            raise YamlError(Issue(f"{name} is a directory, not a problem file", SourceLocation(name)))
        raw = read_regular_file(p, MAX_FILE_BYTES, name=name)
    except FileNotFoundError:
        raise YamlError(Issue(f"no such file: {name}", SourceLocation(name),
                              hint="check the path; it is relative to the current directory")) from None
    except FileRefused as exc:
        hint = "a problem file is a regular YAML file"
        if "larger than" in exc.message:
            hint = (f"problem files are limited to {MAX_FILE_BYTES:,} bytes; "
                    "keep large data in CSV files referenced from the YAML")
        raise YamlError(Issue(exc.message, SourceLocation(name), hint=hint)) from None
    except (OSError, ValueError) as exc:
        raise YamlError(Issue(f"cannot read {name}: {getattr(exc, 'strerror', None) or exc}",
                              SourceLocation(name))) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(Issue(f"the file is not UTF-8 text (byte {exc.start})", SourceLocation(name),
                              hint="save the file as UTF-8")) from None
    return load_yaml_text(text, name)


def _expanded_size(root) -> int:
    """How many values the node tree has once every alias is expanded (memoised on shared nodes,
    so a "billion laughs" document is measured without being expanded)."""
    memo: dict = {}
    active: set = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in memo:
            continue
        if isinstance(node, yaml.ScalarNode):
            memo[key] = 1
            continue
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else list(node.value)
        if done:
            active.discard(key)
            memo[key] = 1 + sum(memo.get(id(c), 1) for c in children)
            continue
        if key in active:
            raise _Recursive(node)
        active.add(key)
        stack.append((node, True))
        for c in children:
            if id(c) in active:
                raise _Recursive(c)
            if id(c) not in memo:
                stack.append((c, False))
    return memo[id(root)]


class _Recursive(Exception):
    """An alias refers to a node that contains it: the data would be infinite."""

    def __init__(self, node):
        super().__init__("recursive alias")
        self.node = node


_TAG_HINT = ("problem files are plain data and take no YAML tags (!x, !!str, !!python/...); remove the tag, "
             "and quote a value to make it text: \"5\"")


class _Builder:
    def __init__(self, file: str | None, issues: IssueCollector, tags: dict | None = None):
        self.file = file
        self.issues = issues
        self.tags = dict(tags or {})
        self.values: dict = {}
        self.keys: dict = {}
        self.styles: dict = {}
        self.count = 0
        self.too_big = False

    def loc(self, node, path) -> SourceLocation:
        m = node.start_mark
        return SourceLocation(self.file, dotted(path) or None, m.line + 1, m.column + 1)

    def build(self, node, path):
        self.count += 1
        if self.count > MAX_NODES:
            if not self.too_big:
                self.too_big = True
                self.issues.add(f"the document expands to more than {MAX_NODES} values (anchors and aliases "
                                "multiply it); refused", self.loc(node, path),
                                hint="avoid deeply nested aliases; keep large data in CSV files")
            return None
        self.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        self._check_tag(node, path)
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self.build_scalar(node, path)

    def _check_tag(self, node, path):
        """Report an explicit tag on ``node`` (once, even when aliases repeat the node)."""
        if self.tags:
            tag = self.tags.pop((node.start_mark.line, node.start_mark.column), None)
            if tag is not None:
                self.issues.add(f"the YAML tag {_tag_text(tag)!r} is not allowed", self.loc(node, path),
                                hint=_TAG_HINT)

    def build_mapping(self, node, path):
        out: dict = {}
        seen: dict = {}
        pairs = self._flatten(node, path, set())
        for knode, vnode in pairs:
            if not isinstance(knode, yaml.ScalarNode):
                self.issues.add("a key must be a plain name, not a list or mapping", self.loc(knode, path))
                continue
            key = self.scalar_value(knode, path, is_key=True)
            if isinstance(key, YamlBool):
                self.issues.add(f"the key {cut(knode.value, 60)!r} is read by YAML as the boolean {bool(key)}",
                                self.loc(knode, path),
                                hint=f"quote it to use it as a name: \"{cut(knode.value, 60)}\"")
                key = knode.value
            elif key is None:
                self.issues.add("a key is empty or null", self.loc(knode, path), hint="give the entry a name")
                continue
            elif isinstance(key, float) or (isinstance(key, int) and knode.value.isdigit() and len(knode.value) == 3
                                            and knode.style is None and vnode.tag.endswith(":null")):
                hint = f"quote it to use it as a name: \"{cut(knode.value, 60)}\""
                if len(knode.value) == 3 and knode.value.isdigit():
                    hint = ("was it a number with a thousands separator, like 1,000? Inside { } YAML splits it "
                            "at the comma; write 1000 (or 1_000)")
                self.issues.add(f"the key {cut(knode.value, 60)!r} looks like a number, not a name", self.loc(knode, path),
                                hint=hint)
                key = knode.value
            if key in seen:
                first = seen[key]
                self.issues.add(f"duplicate key {cut(knode.value, 60)!r} (first defined on line {first})",
                                self.loc(knode, path + (key,)),
                                hint="each key may appear once in a mapping; remove or rename one")
                continue
            seen[key] = knode.start_mark.line + 1
            child_path = path + (key,)
            self.keys[child_path] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
            out[key] = self.build(vnode, child_path)
        return out

    def _flatten(self, node, path, visiting: set) -> list:
        """The (key, value) pairs of a mapping with YAML merge keys (``<<: *a`` or ``<<: [*a, *b]``)
        resolved as PyYAML does: explicit keys win over merged ones, earlier merged mappings over
        later ones, and merged mappings may merge others in turn."""
        explicit, merged = [], []
        for knode, vnode in node.value:
            if isinstance(knode, yaml.ScalarNode) and knode.tag == "tag:yaml.org,2002:merge":
                sources = vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode]
                for src in sources:
                    if not isinstance(src, yaml.MappingNode):
                        self.issues.add("'<<' must merge a mapping (or a list of mappings)", self.loc(vnode, path))
                        continue
                    if id(src) in visiting:
                        continue
                    merged.append(self._flatten(src, path, visiting | {id(node)}))
            else:
                explicit.append((knode, vnode))
        out = list(explicit)
        taken = {k.value for k, _ in explicit if isinstance(k, yaml.ScalarNode)}
        for group in merged:
            for knode, vnode in group:
                name = knode.value if isinstance(knode, yaml.ScalarNode) else None
                if name is not None and name in taken:
                    continue
                taken.add(name)
                out.append((knode, vnode))
        return out

    def build_scalar(self, node, path):
        value = self.scalar_value(node, path)
        self.styles[path] = node.style or ""
        return value

    def scalar_value(self, node, path, *, is_key: bool = False):
        text = node.value
        if is_key:
            self._check_tag(node, path)
        if node.style in ("'", '"', "|", ">"):
            return text
        low = text.strip().lower()
        if low in _NULL:
            return None
        if low in _BOOL_TRUE:
            return YamlBool(True, text)
        if low in _BOOL_FALSE:
            return YamlBool(False, text)
        if low in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[low]
        if _OCTAL_RE.match(text) and not set(text.lstrip("+-")) <= {"0", "_"}:
            self.issues.add(f"{cut(text, 60)!r} looks like an octal number (leading zero)", self.loc(node, path),
                            hint=f"write {cut(text.lstrip('+-').lstrip('0_') or '0', 60)} for the decimal number, or quote it for a name")
            return text
        if _INT_RE.match(text):
            digits = len(text.lstrip("+-").replace("_", ""))
            if digits > MAX_INT_DIGITS:
                self.issues.add(f"the number has {digits} digits; whole numbers are limited to {MAX_INT_DIGITS} digits",
                                self.loc(node, path), hint="check the value; a number this large cannot be used in a "
                                                           "model (floating point ends near 1.8e308)")
                return text[:20] + "..."
            return int(text.replace("_", ""))
        if _FLOAT_RE.match(text) and any(ch.isdigit() for ch in text):
            try:
                return float(text.replace("_", ""))
            except ValueError:  # pragma: no cover - regex guards
                return text
        if _SEXAGESIMAL_RE.match(text) and not is_key:
            self.issues.add(f"{cut(text, 60)!r} is a base-60 number in old YAML and is ambiguous", self.loc(node, path),
                            hint="quote it if it is a name or time, or write the number in decimal")
            return text
        return text
