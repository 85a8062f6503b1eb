"""CSV tables for sets and parameters, read with pandas and checked cell by cell.

A spreadsheet's sheet (``.xlsx``) or a Parquet file is read into the same table of text by
:mod:`goalprog.spec.workbooks` and checked the same way.

Paths are relative to the problem file and confined to its folder (or a data root) by
:mod:`goalprog.spec.files`, which also reads the bytes (regular files only, capped, never
compressed); pandas parses the text.  Each file is read once (as text, so that nothing is
silently converted) and shared by every set and parameter that names it.  Problems are reported
as ``data/demand.csv:7:3: params.demand: ...``: the CSV file, its line (the header is line 1) and
the 1-based column number.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

from ..core.errors import DataError, IssueCollector, SourceLocation, did_you_mean
from ..core.limits import Limits, default_limits
from .files import cut, read_data_file, resolve_data_path
from .loader import Document
from .workbooks import kind_of, read_table_file

_INT = re.compile(r"^-?(0|[1-9][0-9]*)$")  # canonical whole numbers only: '01' stays text
MAX_INT_DIGITS = 4300  # Python's limit for converting text to int
MAX_LISTED = 8  # column names shown when a column is missing
MAX_COLUMNS = 10_000
"""The most columns a data file's header may name."""
MAX_HEADER_BYTES = 1024 * 1024
"""The longest header line (the first line) of a data file, in bytes."""
CELL_SHARE = 2
"""A data file may have at most ``CELL_SHARE * max_instances`` cells (data lines x columns; 10
million at the default limits), and at most ``max_instances`` data lines: parsing costs about a
microsecond and a hundred bytes per cell."""


def _listing(names) -> str:
    """Some column names for a message: at most :data:`MAX_LISTED`, each cut short."""
    names = list(names)
    shown = ", ".join(repr(cut(n, 30)) for n in names[:MAX_LISTED])
    if len(names) > MAX_LISTED:
        shown += f" and {len(names) - MAX_LISTED} more"
    return shown


def _too_long(text: str) -> int:
    """The number of digits of ``text`` when it is a whole number with more than :data:`MAX_INT_DIGITS`, else 0."""
    digits = text.lstrip("+-")
    return len(digits) if len(digits) > MAX_INT_DIGITS and digits.isdigit() else 0


def _member(text: str):
    """A CSV cell as a set member: whole numbers become ``int``, everything else stays text."""
    t = text.strip()
    return int(t) if _INT.match(t) and not _too_long(t) else t


def _members(text) -> list:
    """A column of stripped cells (a pandas Series) as set members, as :func:`_member` makes them:
    short whole numbers are converted at once, the rest one by one."""
    import numpy as np

    values = text.tolist()
    whole = text.str.fullmatch(_INT.pattern[1:-1]).to_numpy(dtype=bool)
    if not whole.any():
        return values
    short = whole & (text.str.len() <= 18).to_numpy(dtype=bool)  # fits an int64
    out = np.asarray(values, dtype=object)
    if short.any():
        out[short] = text[short].astype(np.int64).tolist()
    for i in np.flatnonzero(whole & ~short):
        out[i] = _member(values[i])
    return out.tolist()


class TableReader:
    """Reads the CSV files of one problem (see :mod:`goalprog.spec.files` for what may be read).

    ``base_dir``: the problem folder (default: the problem file's folder, else the current
    folder); ``data_root``: a further folder data may be read from.  ``files`` lists the resolved
    paths of the files read, in order.
    """

    def __init__(self, doc: Document, base_dir, issues: IssueCollector, data_root=None, limits: Limits | None = None):
        self.doc = doc
        self.limits = limits or default_limits()
        if base_dir is None:
            base_dir = Path(doc.file).parent if doc.file else Path.cwd()
        self.base = Path(base_dir)
        self.data_root = data_root
        self.issues = issues
        self.cache: dict = {}
        self.files: list[Path] = []
        self._text: dict = {}

    def _frame(self, file: str, path: tuple, sheet: str | None = None):
        """The table of ``file`` (read once), or ``None`` after reporting; and its name for messages.

        The path is checked by :func:`~goalprog.spec.files.resolve_data_path` (inside the problem
        folder or the data root, a regular file) and read by
        :func:`~goalprog.spec.files.read_data_file` (size cap, no compressed files, UTF-8), or, for
        a spreadsheet's ``sheet`` or a Parquet file, by :mod:`goalprog.spec.workbooks`."""
        shown = str(self.base / file)
        loc = self.doc.location(path + ("file",))
        try:
            real = resolve_data_path(file, self.base, self.data_root, loc)
        except DataError as exc:
            self.issues.extend(exc)
            return None, shown
        if sheet is not None and kind_of(file) != "sheet":
            self.issues.add(f"'sheet' names a worksheet of a spreadsheet file (.xlsx, .xlsm); {cut(file, 200)!r} "
                            "is not one", self.doc.location(path + ("sheet",)),
                            hint="leave 'sheet' out for a CSV or Parquet file")
            return None, shown
        if kind_of(file) != "csv":
            return self._workbook(file, real, shown, sheet, path, loc)
        key = str(real)
        if key in self.cache:
            return self.cache[key], shown
        self.cache[key] = None
        try:
            data = read_data_file(real, file, loc)
        except DataError as exc:
            self.issues.extend(exc)
            return None, shown
        self.files.append(real)
        if not self._shape_ok(data, file, shown, path):
            return None, shown
        import pandas as pd

        try:
            df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, skipinitialspace=True, encoding="utf-8")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OSError) as exc:
            reason = cut(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, 200)
            self.issues.add(f"cannot read {cut(file, 200)} as CSV: {reason}", loc,
                            hint="a data file is comma-separated with one header line")
            return None, shown
        df.columns = [str(c).strip() for c in df.columns]
        self.cache[key] = df
        return df, shown

    def _workbook(self, file: str, real: Path, shown: str, sheet, path: tuple, loc):
        """The table of a spreadsheet's sheet or a Parquet file (read once), as for :meth:`_frame`."""
        key = (str(real), sheet)
        if key in self.cache:
            return self.cache[key]
        self.cache[key] = (None, shown)
        if real not in self.files:
            self.files.append(real)
        try:
            table = read_table_file(real, file, shown, sheet, loc, self.doc.location(path + ("sheet",)), self.limits)
        except DataError as exc:
            from dataclasses import replace

            key_path = ".".join(map(str, path))
            for issue in exc.issues:  # a cell's location gets the set's or parameter's key path
                at = issue.location
                self.issues.issues.append(issue if at.key_path else replace(issue, location=replace(at, key_path=key_path)))
            return None, shown
        first: dict = {}
        for k, col in enumerate(table.header):
            if col and col in first:
                self.issues.add(f"the column name {cut(col, 60)!r} is in the header of {cut(file, 200)} twice: "
                                f"columns {first[col] + 1} and {k + 1}",
                                SourceLocation(table.shown, ".".join(map(str, path)), 1, k + 1),
                                hint="give each column its own name")
                return None, table.shown
            first[col] = k
        import pandas as pd

        df = pd.DataFrame(table.rows, columns=table.header, dtype=str) if table.rows else \
            pd.DataFrame({k: pd.Series([], dtype=str) for k in range(len(table.header))})
        df.columns = table.header
        self.cache[key] = (df, table.shown)
        return df, table.shown

    def _shape_ok(self, data: bytes, file: str, shown: str, path: tuple) -> bool:
        """Check the header and the size of a data file before pandas parses it (reports and
        returns ``False`` otherwise): at most :data:`MAX_COLUMNS` columns, no column name twice,
        a header line of at most :data:`MAX_HEADER_BYTES`, at most ``max_instances`` data lines
        and ``CELL_SHARE * max_instances`` cells.  The header is read with the csv module first,
        so a header pandas would be slow on (it renames repeated names one by one) is never
        handed to it."""
        key_path = ".".join(map(str, path))
        at = SourceLocation(shown, key_path, 1, 1)
        name = cut(file, 200)
        ends = [i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0]  # \r alone ends lines too
        end = min(ends) if ends else -1
        line = data if end < 0 else data[:end]
        if len(line) > MAX_HEADER_BYTES:
            self.issues.add(f"the header line of {name} is {len(line):,} bytes long; at most {MAX_HEADER_BYTES:,} are read",
                            at, hint="the first line of a data file names its columns")
            return False
        commas = line.count(b",")
        if b'"' in line or commas >= MAX_COLUMNS:  # quoted names may hold commas: count with the csv module
            try:
                header = next(csv.reader(io.StringIO(data[:end + 1 if end >= 0 else len(data)]
                                                     .decode("utf-8", "replace")), skipinitialspace=True), [])
            except csv.Error as exc:
                self.issues.add(f"cannot read the header line of {name}: {cut(str(exc), 120)}", at,
                                hint="a data file is comma-separated with one header line")
                return False
        else:
            header = line.decode("utf-8", "replace").split(",")
        if len(header) > MAX_COLUMNS:
            self.issues.add(f"{name} has {len(header):,} columns; data files are limited to {MAX_COLUMNS:,} columns",
                            at, hint="a data file holds a few key columns and value columns; split a wide table "
                                     "or write it in long form (one row per key and value)")
            return False
        first: dict = {}
        for k, raw in enumerate(header):
            col = raw.strip()
            if not col:
                continue
            if col in first:
                self.issues.add(f"the column name {cut(col, 60)!r} is in the header of {name} twice: columns "
                                f"{first[col] + 1} and {k + 1}", SourceLocation(shown, key_path, 1, k + 1),
                                hint="give each column its own name")
                return False
            first[col] = k
        newline = b"\n" if b"\n" in data else b"\r"
        lines = data.count(newline) + (0 if data.endswith(newline) else 1)
        rows = max(0, lines - 1)
        lim = self.limits
        if rows > lim.max_instances:
            self.issues.add(f"{name} has {rows:,} lines of data; data files are limited to {lim.max_instances:,}",
                            at, hint=lim.instance_hint())
            return False
        cells = rows * max(1, len(header))
        if cells > CELL_SHARE * lim.max_instances:
            self.issues.add(f"{name} has {cells:,} cells ({rows:,} lines x {len(header):,} columns); data files are "
                            f"limited to {CELL_SHARE * lim.max_instances:,} cells", at,
                            hint="leave out the columns no set or parameter reads; " + lim.instance_hint())
            return False
        return True

    def _columns(self, df, file, names, path, field, exclude=()):
        out = []
        for name in names:
            if name not in df.columns:
                others = [c for c in df.columns if c not in exclude]
                self.issues.add(f"{cut(file, 200)} has no column {cut(name, 60)!r} (columns: {_listing(df.columns)})",
                                self.doc.location(path + (field,)),
                                hint=did_you_mean(name, [cut(c, 60) for c in others]) or "check the header line (the first row) of the data file")
                return None
            out.append(list(df.columns).index(name))
        return out

    def _stripped(self, df, i):
        """Column ``i`` as stripped text (cached per file and column)."""
        key = (id(df), i)
        if key not in self._text:
            self._text[key] = df.iloc[:, i].str.strip()
        return self._text[key]

    def set_members(self, file: str, columns: list[str], path: tuple, sheet: str | None = None):
        """Distinct members (tuples) of ``columns`` in file order, or ``None`` after reporting."""
        df, full = self._frame(file, path, sheet)
        if df is None:
            return None
        field = "columns" if len(columns) > 1 else "column"
        idx = self._columns(df, file, columns, path, field)
        if idx is None:
            return None
        texts = [self._stripped(df, i) for i in idx]
        bad = False
        for c, t in zip(idx, texts):
            for r in (t == "").to_numpy().nonzero()[0][:20]:
                self.issues.add(f"empty cell in column {cut(df.columns[c], 60)!r}",
                                SourceLocation(full, ".".join(map(str, path)), int(r) + 2, c + 1),
                                hint="every row needs a member name")
                bad = True
            long = ((t.str.len() > MAX_INT_DIGITS) & t.str.lstrip("+-").str.isdigit()).to_numpy().nonzero()[0]
            for r in long[:20]:
                self.issues.add(f"the member has {_too_long(t.iloc[r])} digits; whole numbers are limited to "
                                f"{MAX_INT_DIGITS} digits", SourceLocation(full, ".".join(map(str, path)), int(r) + 2, c + 1),
                                hint="a set member is a name or a whole number of at most "
                                     f"{MAX_INT_DIGITS} digits")
                bad = True
        if bad:
            return None
        import pandas as pd

        distinct = pd.DataFrame({k: t for k, t in enumerate(texts)}).drop_duplicates()
        return list(zip(*(_members(distinct.iloc[:, k]) for k in range(distinct.shape[1]))))

    def param_values(self, file: str, keys: tuple, column: str, sets: list, path: tuple,
                     sheet: str | None = None):
        """``{key tuple: float}`` from ``file``; reports bad cells, unknown members, duplicates
        (at most 20 of each kind)."""
        import pandas as pd

        df, full = self._frame(file, path, sheet)
        if df is None:
            return None
        kidx = self._columns(df, file, list(keys), path, "keys" if self._has(path, "keys") else "index")
        vidx = self._columns(df, file, [column], path, "column" if self._has(path, "column") else "file",
                             exclude=tuple(keys))
        if kidx is None or vidx is None:
            return None
        key_path = ".".join(map(str, path))
        n_bad = 0
        # text -> member for each key position (a tuple set contributes several positions)
        positions = [(sd, k) for sd in sets for k in range(sd.arity)]
        members = []
        for (sd, k), c in zip(positions, kidx):
            table = {str(m[k]): m[k] for m in sd.members}
            text = self._stripped(df, c)
            mapped = text.map(table)
            missing = mapped.isna().to_numpy().nonzero()[0]
            for r in missing[:20]:
                t = text.iloc[r]
                self.issues.add(f"{cut(t, 60)!r} in column {cut(df.columns[c], 60)!r} is not a member of the set "
                                f"'{sd.name}'", SourceLocation(full, key_path, int(r) + 2, c + 1),
                                hint=did_you_mean(cut(t, 60), [cut(m, 60) for m in table])
                                or f"add it to the set '{sd.name}', or remove the row")
            n_bad += len(missing)
            members.append(mapped)
        text = self._stripped(df, vidx[0])
        values = pd.to_numeric(text, errors="coerce")
        bad_v = values.isna().to_numpy().nonzero()[0]
        for r in bad_v[:20]:
            t = text.iloc[r]
            what = "is empty" if not t else f"is not a number: {cut(t, 60)!r}"
            if _too_long(t):
                what = f"has {_too_long(t)} digits; numbers are limited to {MAX_INT_DIGITS} digits"
            self.issues.add(f"the value in column {column!r} {what}", SourceLocation(full, key_path, int(r) + 2, vidx[0] + 1),
                            hint="write a number, or leave the row out and give the parameter a 'default:'")
        n_bad += len(bad_v)
        if n_bad:
            return None
        frame = pd.DataFrame({k: m for k, m in enumerate(members)})
        dup = frame.duplicated(keep="first").to_numpy().nonzero()[0]
        if len(dup):
            first = frame.drop_duplicates(keep="first")
            first_line = {tuple(row[1:]): int(row[0]) + 2 for row in first.itertuples(name=None)}
            for r in dup[:20]:
                key = tuple(frame.iloc[r])
                self.issues.add(f"duplicate row for {cut(repr(key) if len(key) > 1 else repr(key[0]), 120)} "
                                f"(first on line {first_line[key]})",
                                SourceLocation(full, key_path, int(r) + 2, kidx[0] + 1),
                                hint="each index tuple may appear once; remove or merge the rows")
            return None
        return dict(zip(zip(*(m.tolist() for m in members)), values.to_numpy(dtype=float).tolist()))

    def scalar_value(self, file: str, column: str, path: tuple, sheet: str | None = None):
        """The number in ``column`` of a one-row table (a scalar parameter), or ``None`` after reporting."""
        df, full = self._frame(file, path, sheet)
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
            what = f"has {_too_long(text)} digits; numbers are limited to {MAX_INT_DIGITS} digits" if _too_long(text) \
                else f"is not a number: {cut(text, 60)!r}"
            self.issues.add(f"the value in column {cut(column, 60)!r} {what}",
                            SourceLocation(full, ".".join(map(str, path)), 2, idx[0] + 1))
            return None
        return value

    def _has(self, path, field) -> bool:
        node = self.doc.data
        for p in path:
            node = node.get(p, {}) if isinstance(node, dict) else {}
        return isinstance(node, dict) and field in node
