"""CSV tables for sets and parameters, read with pandas and checked cell by cell.

Paths are relative to the problem file.  Each file is read once (as text, so that nothing is
silently converted) and shared by every set and parameter that names it.  Problems are reported
as ``data/demand.csv:7:3: params.demand: ...``: the CSV file, its line (the header is line 1) and
the 1-based column number.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from ..errors import IssueCollector, SourceLocation, did_you_mean
from .loader import Document

_INT = re.compile(r"^[-+]?\d+$")


def _member(text: str):
    """A CSV cell as a set member: whole numbers become ``int``, everything else stays text."""
    t = text.strip()
    return int(t) if _INT.match(t) else t


class TableReader:
    def __init__(self, doc: Document, base_dir, issues: IssueCollector):
        self.doc = doc
        if base_dir is None:
            base_dir = Path(doc.file).parent if doc.file else Path.cwd()
        self.base = Path(base_dir)
        self.issues = issues
        self.cache: dict = {}

    def _frame(self, file: str, path: tuple):
        full = (self.base / file)
        key = str(full)
        if key in self.cache:
            return self.cache[key], key
        loc = self.doc.location(path + ("file",))
        if not full.is_file():
            self.issues.add(f"data file not found: {full}", loc,
                            hint="paths are relative to the problem file's folder")
            self.cache[key] = None
            return None, key
        import pandas as pd

        try:
            df = pd.read_csv(full, dtype=str, keep_default_na=False, skipinitialspace=True, encoding="utf-8-sig")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as exc:
            self.issues.add(f"cannot read {file} as CSV: {str(exc).strip().splitlines()[0]}", loc,
                            hint="a data file is comma-separated with one header line")
            self.cache[key] = None
            return None, key
        df.columns = [str(c).strip() for c in df.columns]
        self.cache[key] = df
        return df, key

    def _columns(self, df, file, names, path, field):
        out = []
        for name in names:
            if name not in df.columns:
                self.issues.add(f"{file} has no column {name!r} (columns: {', '.join(df.columns)})",
                                self.doc.location(path + (field,)),
                                hint=did_you_mean(name, df.columns) or "check the header line of the CSV file")
                return None
            out.append(list(df.columns).index(name))
        return out

    def set_members(self, file: str, columns: list[str], path: tuple):
        """Distinct members (tuples) of ``columns`` in file order, or ``None`` after reporting."""
        df, _ = self._frame(file, path)
        if df is None:
            return None
        field = "columns" if len(columns) > 1 else "column"
        idx = self._columns(df, file, columns, path, field)
        if idx is None:
            return None
        cols = [df.iloc[:, i].tolist() for i in idx]
        members, seen = [], set()
        bad = False
        for r, values in enumerate(zip(*cols)):
            for c, v in zip(idx, values):
                if not str(v).strip():
                    self.issues.add(f"empty cell in column {df.columns[c]!r}",
                                    SourceLocation(str(self.base / file), ".".join(map(str, path)), r + 2, c + 1),
                                    hint="every row needs a member name")
                    bad = True
            m = tuple(_member(str(v)) for v in values)
            if m not in seen:
                seen.add(m)
                members.append(m)
        return None if bad else members

    def param_values(self, file: str, keys: tuple, column: str, sets: list, path: tuple):
        """``{key tuple: float}`` from ``file``; reports bad cells, unknown members, duplicates."""
        df, full = self._frame(file, path)
        if df is None:
            return None
        kidx = self._columns(df, file, list(keys), path, "keys" if self._has(path, "keys") else "index")
        vidx = self._columns(df, file, [column], path, "column" if self._has(path, "column") else "file")
        if kidx is None or vidx is None:
            return None
        # lookup text -> member for each key position (tuple sets contribute several positions)
        lookups, set_of_pos = [], []
        for sd in sets:
            for k in range(sd.arity):
                lookups.append({str(m[k]): m[k] for m in sd.members})
                set_of_pos.append(sd)
        key_cols = [df.iloc[:, i].tolist() for i in kidx]
        val_col = df.iloc[:, vidx[0]].tolist()
        out: dict = {}
        first_line: dict = {}
        key_path = ".".join(map(str, path))
        n_bad = 0
        for r, (*kvals, v) in enumerate(zip(*key_cols, val_col)):
            line = r + 2
            if n_bad >= 20:
                self.issues.add(f"more errors in {file} were not listed", SourceLocation(full, key_path))
                break
            key = []
            ok = True
            for pos, (text, c) in enumerate(zip(kvals, kidx)):
                member = lookups[pos].get(str(text).strip())
                if member is None:
                    sd = set_of_pos[pos]
                    self.issues.add(f"{str(text).strip()!r} in column {df.columns[c]!r} is not a member of the set '{sd.name}'",
                                    SourceLocation(full, key_path, line, c + 1),
                                    hint=did_you_mean(str(text).strip(), list(lookups[pos])) or f"add it to the set '{sd.name}', or remove the row")
                    ok = False
                    n_bad += 1
                    break
                key.append(member)
            if not ok:
                continue
            key = tuple(key)
            text = str(v).strip()
            try:
                value = float(text)
                if math.isnan(value):
                    raise ValueError
            except ValueError:
                what = "is empty" if not text else f"is not a number: {text!r}"
                self.issues.add(f"the value in column {column!r} {what}", SourceLocation(full, key_path, line, vidx[0] + 1),
                                hint="write a number, or leave the row out and give the parameter a 'default:'")
                n_bad += 1
                continue
            if key in out:
                self.issues.add(f"duplicate row for {key if len(key) > 1 else key[0]!r} (first on line {first_line[key]})",
                                SourceLocation(full, key_path, line, kidx[0] + 1),
                                hint="each index tuple may appear once; remove or merge the rows")
                n_bad += 1
                continue
            out[key] = value
            first_line[key] = line
        return out if n_bad == 0 else None

    def scalar_value(self, file: str, column: str, path: tuple):
        """The number in ``column`` of a one-row table (a scalar parameter), or ``None`` after reporting."""
        df, full = self._frame(file, path)
        if df is None:
            return None
        idx = self._columns(df, file, [column], path, "column" if self._has(path, "column") else "file")
        if idx is None:
            return None
        if len(df) != 1:
            self.issues.add(f"a scalar parameter reads a table with exactly one row; {file} has {len(df)}",
                            self.doc.location(path + ("file",)),
                            hint="give 'index:' to read one value per row, or keep one data row")
            return None
        text = str(df.iloc[0, idx[0]]).strip()
        try:
            value = float(text)
            if math.isnan(value):
                raise ValueError
        except ValueError:
            self.issues.add(f"the value in column {column!r} is not a number: {text!r}",
                            SourceLocation(full, ".".join(map(str, path)), 2, idx[0] + 1))
            return None
        return value

    def _has(self, path, field) -> bool:
        node = self.doc.data
        for p in path:
            node = node.get(p, {}) if isinstance(node, dict) else {}
        return isinstance(node, dict) and field in node
