"""The text of an override: ``NAME=VALUE`` items of ``--set`` and ``--vary`` read into key paths
and values (:func:`parse_set_items`, :func:`split_key`, :func:`parse_value`).

Nothing here knows a problem: a name is checked only for its form (``goals.waste.weight``,
``demand[pants, 1]``); :mod:`goalprog.spec.overrides` resolves it against the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..core.errors import ArgumentError, Issue, YamlError, clip
from .loader import load_yaml_text

_PART_RE = re.compile(r"([^.\[\]]+)((?:\[[^\[\]]*\])*)")

SET_HINT = "write NAME=VALUE, e.g. --set budget=60000 or --set goals.waste.weight=2"
"""The generic hint of an error in the form of a ``--set`` item (:func:`set_hint` fits it to the item)."""


def _mended_key(name: str) -> str | None:
    """``name`` with the usual slips mended (``..``, a leading or trailing ``.``, spaces around
    parts, ``name.[m]``), when that makes a key :func:`split_key` reads; else ``None``."""
    text = re.sub(r"\s*\.\s*", ".", name.strip())
    text = re.sub(r"\.{2,}", ".", text).strip(".")
    text = re.sub(r"\.\[", "[", text)
    if not text or text == name:
        return None
    try:
        split_key(text)
    except ValueError:
        return None
    return text


def set_hint(item: Any, origin: str = "--set") -> str:
    """The hint of an error in the form of an override item, fitted to ``item``: ``budget:60000``
    -> ``--set budget=60000``; ``goals..waste.weight=2`` -> ``--set goals.waste.weight=2``; from the
    Python API (``origin`` ``params=`` or ``overrides=``) in the API's terms; ``--vary`` items as such."""
    text = item if isinstance(item, str) else str(item)
    if origin.endswith("="):
        mended = _mended_key(text)
        if mended:
            return f"did you mean {origin}{{{mended!r}: ...}}?"
        return (f"a key is a parameter name ('budget'), a member ('demand[pants]') or a key path "
                f"('goals.waste.weight'), e.g. {origin}{{'goals.waste.weight': 2}}")
    name, eq, value = text.partition("=")
    if not eq:
        m = re.fullmatch(r"\s*([^\s:=]+)\s*(?::\s*|\s+)(\S.*)", text)
        if m:
            return f"write NAME=VALUE: {origin} {m.group(1)}={m.group(2).strip()}"
        return f"write NAME=VALUE: {origin} {text.strip() or 'NAME'}=VALUE"
    mended = _mended_key(name)
    if mended:
        return f"did you mean {origin} {mended}={value.strip() or 'VALUE'}?"
    return ("write NAME=VALUE with NAME a parameter (budget), a member (demand[pants]) or a key path "
            f"(goals.waste.weight), e.g. {origin} goals.waste.weight={value.strip() or '2'}")


@dataclass(frozen=True)
class Members:
    """``[a, b]`` after a parameter name: member keys of an indexed parameter (or a list index)."""

    items: tuple


def split_key(key: str) -> tuple:
    """``goals.waste.weight`` -> ``('goals', 'waste', 'weight')``; ``demand[pants, 1]`` ->
    ``('demand', Members(('pants', '1')))``.  Raises ``ValueError`` with the reason."""
    if not isinstance(key, str):
        raise ValueError(f"a key is text, got {clip(key)!r}")
    text = key.strip()
    if not text:
        raise ValueError("the name is empty")
    parts: list = []
    pos = 0
    while True:
        m = _PART_RE.match(text, pos)
        if not m:
            what = "an empty part ('..' or a '.' at an end)" if pos >= len(text) or text[pos] in ".[]" else "a bad part"
            raise ValueError(f"{clip(key)!r} has {what} at character {pos + 1}")
        name = m.group(1).strip()
        if not name:
            raise ValueError(f"{clip(key)!r} has an empty part at character {pos + 1}")
        parts.append(name)
        for raw in re.findall(r"\[([^\[\]]*)\]", m.group(2)):
            items = tuple(_unquote(i.strip()) for i in raw.split(","))
            if not raw.strip() or any(i == "" for i in items):
                raise ValueError(f"{clip(key)!r}: empty brackets or an empty member between commas")
            parts.append(Members(items))
        pos = m.end()
        if pos == len(text):
            break
        if text[pos] != ".":
            raise ValueError(f"{clip(key)!r}: unexpected {text[pos]!r} at character {pos + 1}")
        pos += 1
        if pos == len(text):
            raise ValueError(f"{clip(key)!r} ends with '.'")
    return tuple(parts)


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        return s[1:-1]
    return s


def parse_value(text: str, *, what: str = "the value") -> Any:
    """A value written on the command line, read as YAML with goalprog's rules (``1e5`` a number,
    ``weighted`` text, ``[1, 2]`` a list, ``{a: 1}`` a mapping, ``"010"`` text).

    Raises :class:`~goalprog.core.errors.ArgumentError` when it is not acceptable YAML.
    """
    if text.strip() == "":
        raise ArgumentError(Issue(f"{what} is empty",
                                  hint="write a value after '=': NAME=0; NAME=null removes the value, "
                                       "NAME='' is empty text"))
    try:
        return load_yaml_text(text).data
    except YamlError as exc:
        first = exc.issues[0]
        msg = first.message
        return_hint = first.hint
        raise ArgumentError(Issue(f"{what} {clip(text)!r} is not a value goalprog can read: {msg}", hint=return_hint
                                  or "quote text that contains ':', '#', '[' or '{'")) from None


class SetItems(dict):
    """The ``NAME=VALUE`` items of ``--set`` read into a dict (what :func:`parse_set_items`
    returns): a dict whose ``origin`` tells :func:`~goalprog.spec.overrides.apply_overrides` and
    :func:`goalprog.load` that they came from the command line, so that a mistake in them reads
    ``(from --set)`` and the run records them as ``--set``."""

    origin = "--set"


def parse_set_items(items: tuple[str, ...]) -> dict[str, object]:
    """``("budget=60000", "goals.waste.weight=2")`` -> ``{"budget": 60000, "goals.waste.weight": 2}``.

    Each item is ``NAME=VALUE`` (split at the first ``=``); NAME is a parameter name or a dotted key
    path, VALUE is read by :func:`parse_value`.  Raises :class:`~goalprog.core.errors.ArgumentError`
    naming every bad item (no ``=``, empty name or value, a bad key, unreadable YAML, a name given
    twice).  The dict is a :class:`SetItems` (its overrides are recorded as ``--set``).
    """
    out: dict[str, object] = SetItems()
    first: dict[str, str] = {}
    issues: list[Issue] = []
    for item in items:
        if not isinstance(item, str) or "=" not in item:
            issues.append(Issue(f"--set {clip(item)!r}: expected NAME=VALUE", hint=set_hint(item)))
            continue
        name, text = item.split("=", 1)
        name = name.strip()
        try:
            split_key(name)
        except ValueError as exc:
            issues.append(Issue(f"--set {clip(item)!r}: {exc}", hint=set_hint(item)))
            continue
        try:
            value = parse_value(text, what=f"--set {clip(item)!r}: the value")
        except ArgumentError as exc:
            issues.extend(exc.issues)
            continue
        if name in out:
            issues.append(Issue(f"--set {clip(item)!r}: {name!r} is set twice on the command line: --set "
                                f"{clip(first[name])} and --set {clip(item)}; which one should hold is not "
                                "for goalprog to guess", hint=f"give {name} once"))
            continue
        out[name] = value
        first[name] = item
    if issues:
        raise ArgumentError(issues)
    return out
