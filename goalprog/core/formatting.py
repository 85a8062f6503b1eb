"""Numbers for people, shared by the command line's tables and the HTML report."""

from __future__ import annotations

import math


def fmt(v) -> str:
    """A number for people: 7 significant digits, thousands separators, no trailing zeros
    (the same rules as the command line's tables)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float)):
        v = float(v) if not isinstance(v, int) else v
        if isinstance(v, float) and math.isnan(v):
            return ""
        if isinstance(v, float) and math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if v == 0:
            return "0"
        if abs(v) >= 1e15 or abs(v) < 1e-4:
            return f"{v:.6g}"
        decimals = max(0, 7 - (int(math.floor(math.log10(abs(v)))) + 1))
        s = f"{v:,.{decimals}f}"
        if "." in s:
            s = s.rstrip("0").rstrip(".")
        return "0" if s in ("-0", "") else s
    try:  # numpy scalars
        return fmt(v.item())
    except AttributeError:
        return str(v)


def penalty_text(row: dict) -> str:
    """``under P1 w1, over P4 w1``: the penalised deviations with their priority and weight."""
    parts = []
    for side in ("under", "over"):
        p, w = row[f"{side}_priority"], row[f"{side}_weight"]
        if w is None:
            continue
        txt = side
        if p is not None:
            txt += f" P{p}"
        txt += f" w{fmt(w)}"
        parts.append(txt)
    return ", ".join(parts)


# Characters that steer a terminal rather than print: C0 controls (ESC among them) but the line
# feed, DEL, the C1 controls (U+0080-U+009F, some terminals act on them as on ESC + a letter) and
# the Unicode bidirectional overrides and isolates (they reorder what is shown).
_TERMINAL_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x0A), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0))}
_TERMINAL_ESCAPES.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def terminal_text(text) -> str:
    """``text`` made safe to print on a terminal: every control character is shown as a visible
    escape instead of being sent raw (ESC becomes the four characters ``\\x1b``, a carriage return
    ``\\x0d``, a bidirectional override ``\\u202e``), so a name or message taken from a problem or
    data file cannot clear the screen, set the window title or hide text.  Line feeds are kept.
    ``None`` gives ``""``; anything else is passed through ``str`` first."""
    if text is None:
        return ""
    return str(text).translate(_TERMINAL_ESCAPES)
