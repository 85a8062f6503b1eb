"""PyYAML's scanner and parser errors in plain words, located at the key that is wrong.

PyYAML reports where its reading broke down ("expected <block end>, but found
'<block mapping start>'"), which is often the line after the mistake and always in the terms of
the YAML grammar.  :func:`plain_yaml_issue` recognises the mistakes people make in problem files
(a key indented to no level, a key indented under the line above, a key without its colon, an
indexed value such as ``short_weight[d]`` inside a one-line ``{ }`` mapping, an unclosed quote, a
``{`` or ``[`` never closed on its line)
and says what is wrong and where; anything else keeps PyYAML's words.
"""

from __future__ import annotations

import re

from ..core.errors import Issue, SourceLocation

_KEY = re.compile(r"^(\s*)(?:-\s+)?([^\s:#][^:#]*?):(\s|$)")
FLOW_HINT = ("quote it or use block style: inside {{ }} such a value must be quoted ({key}: \"{value}\"); in "
             "block style (the entry as indented key: value lines) it needs no quotes")


def _lines(text: str) -> list[str]:
    return text.splitlines()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_of(line: str) -> str | None:
    m = _KEY.match(line)
    return m.group(2).strip() if m else None


def _previous(lines: list[str], index: int) -> int | None:
    """The index of the last line before ``index`` that holds something other than a comment."""
    for i in range(index - 1, -1, -1):
        s = lines[i].strip()
        if s and not s.startswith("#"):
            return i
    return None


def _levels_above(lines: list[str], index: int) -> list[tuple[int, str]]:
    """(indentation, key) of the keys that enclose or precede line ``index``, innermost first."""
    out, deepest = [], None
    for i in range(index - 1, -1, -1):
        key = _key_of(lines[i])
        if key is None:
            continue
        ind = _indent(lines[i])
        if deepest is None or ind < deepest:
            out.append((ind, key))
            deepest = ind
        if ind == 0:
            break
    return out


def _flow_value(line: str, col: int) -> tuple[str | None, str]:
    """The key and its whole value around column ``col`` (0-based) of a one-line ``{ }`` mapping."""
    head = line[:col]
    m = re.search(r"([A-Za-z_][\w ]*?)\s*:\s*([^,{}:]*)$", head)
    key = m.group(1).strip() if m else None
    start = m.start(2) if m else col
    depth, end = 0, len(line)
    for j in range(start, len(line)):
        ch = line[j]
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch in ",}" and depth <= 0:
            end = j
            break
    return key, line[start:end].strip()


def _unclosed_end(line: str, col: int) -> int | None:
    """Where the text of ``line`` ends (before a comment) when the ``{`` or ``[`` at ``col``
    (0-based) is not closed on that line; ``None`` when it is."""
    depth, quote, end = 0, None, len(line)
    for j in range(col, len(line)):
        ch = line[j]
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return None
        elif ch == "#" and j > 0 and line[j - 1] in " \t":
            end = j
            break
    return len(line[:end].rstrip())


def plain_yaml_issue(exc, text: str, file: str | None) -> Issue:
    """An :class:`~goalprog.core.errors.Issue` for PyYAML's ``MarkedYAMLError`` ``exc`` raised on
    ``text``: ``YAML syntax error:`` and what is wrong in plain words, at the key to mend."""
    issue = _plain(exc, text, file)
    return Issue("YAML syntax error: " + issue.message, issue.location, hint=issue.hint)


def _plain(exc, text: str, file: str | None) -> Issue:
    lines = _lines(text)
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    pm, cm = exc.problem_mark, exc.context_mark
    mark = pm or cm
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)

    def at(ln, c):
        return SourceLocation(file, None, ln, c)

    here = lines[pm.line] if pm is not None and pm.line < len(lines) else ""

    if "flow" in context and pm is not None and cm is not None and pm.line > cm.line and cm.line < len(lines):
        # a { (or [) left open: PyYAML reads on into the next lines and stops later, often at the end
        opener = lines[cm.line][cm.column:cm.column + 1]
        end = _unclosed_end(lines[cm.line], cm.column) if opener in ("{", "[") else None
        later = lines[pm.line] if pm.line < len(lines) else ""
        if end is not None and (not later.strip() or _indent(later) <= _indent(lines[cm.line])):
            closer = "}" if opener == "{" else "]"
            fixed = lines[cm.line][:end] + closer
            return Issue(f"this {opener} is never closed: add {closer} at the end of the line",
                         at(cm.line + 1, cm.column + 1), hint=f"the line then reads: {fixed.strip()}")

    if "flow" in context and pm is not None:
        key, value = _flow_value(here, pm.column)
        if value and any(ch in value for ch in "[]{}"):
            what = f"the value of '{key}'" if key else "a value"
            return Issue(f"{what} ({value}) has [ ] in it inside a one-line {{ }} mapping, where YAML reads [ ] as "
                         "a list and cannot read the rest", at(line, col),
                         hint=FLOW_HINT.format(key=key or "key", value=value.replace('"', '\\"')))
        what = "[ ] list" if "sequence" in context else "{ } mapping"
        return Issue(f"YAML cannot read this one-line {what}: {problem}", at(line, col),
                     hint="quote it or use block style: inside { } or [ ], a value with [ ] { } : or , in it must "
                          "be quoted; or write the entry as indented key: value lines")

    if problem.startswith("expected <block end>") and pm is not None:
        key = _key_of(here) or here.strip()
        ind = _indent(here)
        above = _levels_above(lines, pm.line)
        shown = ", ".join(f"'{k}' at {i}" for i, k in above[:3])
        return Issue(f"the key '{key}' is indented by {ind} space{'' if ind == 1 else 's'}, which matches no key above it ({shown})",
                     at(line, ind + 1),
                     hint=f"indent '{key}' exactly like the other keys of its mapping")

    if problem == "mapping values are not allowed here" and pm is not None:
        key = _key_of(here)
        prev = _previous(lines, pm.line)
        if key is not None and prev is not None and _indent(here) > _indent(lines[prev]) \
                and _key_of(lines[prev]) is not None and lines[prev].split(":", 1)[1].strip():
            pkey = _key_of(lines[prev])
            return Issue(f"the key '{key}' is indented more than '{pkey}' on the line above, which already has a "
                         f"value, so YAML reads '{key}:' as part of that value", at(line, _indent(here) + 1),
                         hint=f"indent '{key}' like '{pkey}' ({_indent(lines[prev])} spaces)")
        return Issue("a ': ' inside a value, where YAML expects a new key", at(line, col),
                     hint="quote the value if the colon belongs to it, or put the key on its own line")

    if "simple key" in context and "could not find expected ':'" in problem and cm is not None:
        bad = lines[cm.line].strip() if cm.line < len(lines) else ""
        return Issue(f"'{bad}' is neither a 'key: value' line nor part of the value above", at(cm.line + 1,
                                                                                               cm.column + 1),
                     hint="write key: value, with a colon and a space after the key")

    if "quoted scalar" in context and cm is not None:
        return Issue("a quote opened here is never closed", at(cm.line + 1, cm.column + 1),
                     hint="close the quote on the same line")

    msg = problem or str(exc).strip()
    if context:
        msg = f"{context}: {msg}"
    return Issue(msg, at(line, col),
                 hint="check indentation and that every 'key: value' has a space after the colon")
