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
