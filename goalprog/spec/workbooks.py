"""Data tables from spreadsheets (``.xlsx``, ``.xlsm``: one worksheet) and Parquet files.

A set or parameter may read its table from a worksheet (``file: data/plan.xlsx, sheet:
products``) or a Parquet file (``file: data/products.parquet``) instead of a CSV file; the table
is then checked cell by cell exactly as a CSV table (:mod:`goalprog.spec.tables`), with errors at
``FILE[SHEET]:ROW:COLUMN`` (the spreadsheet's own row and column numbers: the header is row 1,
column 3 is column C) or ``FILE:ROW:COLUMN`` for Parquet (row 1 is the column names, as in CSV).

A spreadsheet is untrusted data like a CSV file (docs/security.md):

* the file is found and read as a CSV file is (confined to the problem folder or the data root, a
  regular file, at most :data:`~goalprog.spec.files.MAX_DATA_BYTES` bytes);
* it is a zip archive: its members are listed before anything is unpacked, and a workbook with
  more than :data:`MAX_MEMBERS` members or more than :data:`MAX_UNPACKED_BYTES` unpacked bytes is
  refused (the sizes are those the archive declares; Python's zip reader never returns more than
  the declared size of a member);
* a workbook that links to other workbooks (external links) is refused;
* formulas are never evaluated: only the values a spreadsheet program saved with the workbook
  (its cached values) are read (openpyxl's ``data_only`` mode), and a formula cell without a
  saved value is reported, not computed; macros are never run (openpyxl does not run them);
* the XML is parsed through ``defusedxml`` (openpyxl uses it when it is installed: a dependency of
  goalprog), so entity expansion attacks are refused;
* rows and cells are counted while the sheet is read, and reading stops at the limits of a CSV
  table (``max_instances`` data rows, ``2 * max_instances`` cells, 10,000 columns).

Parquet needs ``pyarrow`` (``pip install goalprog[parquet]``); its footer (rows, columns, the
unpacked size of the row groups) is checked before the data are decoded.

Cells become text the way a CSV file holds them, so a sheet and a CSV file with the same table
give the same model: whole numbers ``10`` (also ``10.0``), other numbers in their shortest exact
form, empty cells ``""``, dates in ISO form, booleans ``true``/``false``.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from dataclasses import dataclass

from ..core.errors import DataError, Issue, SourceLocation, did_you_mean
from .files import MAX_DATA_BYTES, FileRefused, cut, read_regular_file

__all__ = ["SPREADSHEET_SUFFIXES", "PARQUET_SUFFIXES", "OLD_FORMATS", "MAX_MEMBERS", "MAX_UNPACKED_BYTES",
           "Table", "kind_of", "read_table_file", "cell_text", "column_letter"]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")
OLD_FORMATS = {".xls": "the old Excel format (.xls)", ".ods": "OpenDocument (.ods)", ".xlsb": "binary Excel (.xlsb)",
               ".numbers": "Apple Numbers"}
MAX_MEMBERS = 10_000
"""The most members (files) a workbook's zip archive may hold."""
MAX_UNPACKED_BYTES = 4 * MAX_DATA_BYTES
"""The most bytes a workbook's members may unpack to, together (1 GiB)."""
MAX_COLUMNS = 10_000


@dataclass
class Table:
    """A data table as text: ``header`` (column names), ``rows`` (lists of cell texts, each as
    long as the header), ``shown`` (the name for locations: ``data/plan.xlsx[products]``)."""

    header: list
    rows: list
    shown: str


def kind_of(file: str) -> str:
    """``"sheet"``, ``"parquet"``, ``"old"`` (a spreadsheet format not read) or ``"csv"``, by suffix."""
    low = file.lower()
    if low.endswith(SPREADSHEET_SUFFIXES):
        return "sheet"
    if low.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if any(low.endswith(s) for s in OLD_FORMATS):
        return "old"
    return "csv"


def column_letter(col: int) -> str:
    """The spreadsheet name of the 1-based column ``col``: 1 -> ``A``, 28 -> ``AB``."""
    out = ""
    while col > 0:
        col, r = divmod(col - 1, 26)
        out = chr(65 + r) + out
    return out


def cell_text(v) -> str:
    """A cell's value as the text a CSV file would hold (see the module)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if v.is_integer() and abs(v) < 2 ** 63:
            return str(int(v))
        return repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    try:  # numpy and pyarrow scalars
        import numpy as np

        if isinstance(v, np.generic):
            return cell_text(v.item())
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    return str(v)


def _fail(message: str, location: SourceLocation, hint: str | None = None):
    raise DataError(Issue(message, location, hint=hint))


def _read_bytes(real, raw: str, location: SourceLocation) -> bytes:
    shown = repr(cut(raw, 200))
    try:
        return read_regular_file(real, MAX_DATA_BYTES, name=f"the data file {shown}", follow=False)
    except FileRefused as exc:
        hint = f"data files are limited to {MAX_DATA_BYTES:,} bytes" if "larger than" in exc.message else \
            "only regular files are read"
        _fail(exc.message, location, hint)
    except OSError as exc:
        _fail(f"cannot read the data file {shown}: {exc.strerror or type(exc).__name__}", location,
              "check that the file exists and is readable")
    raise AssertionError("unreachable")  # pragma: no cover


def _check_limits(n_rows: int, n_cols: int, name: str, at: SourceLocation, limits) -> None:
    if n_cols > MAX_COLUMNS:
        _fail(f"{name} has {n_cols:,} columns; data files are limited to {MAX_COLUMNS:,} columns", at,
              "a data table holds a few key columns and value columns")
    if n_rows > limits.max_instances:
        _fail(f"{name} has more than {limits.max_instances:,} rows of data; data files are limited to "
              f"{limits.max_instances:,}", at, limits.instance_hint())
    if n_rows * max(1, n_cols) > 2 * limits.max_instances:
        _fail(f"{name} has more than {2 * limits.max_instances:,} cells; data files are limited to "
              f"{2 * limits.max_instances:,} cells", at,
              "leave out the columns no set or parameter reads; " + limits.instance_hint())


def _openpyxl():
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise DataError(Issue("reading a spreadsheet needs openpyxl, which is not installed",
                              hint="pip install openpyxl")) from None
    return openpyxl


def _check_archive(data: bytes, name: str, at: SourceLocation) -> None:
    """Refuse a workbook whose archive is broken, too large unpacked, or links to other workbooks."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        _fail(f"{name} is not a spreadsheet (.xlsx) file: it is not a zip archive", at,
              "save the workbook as an Excel workbook (.xlsx), or export the sheet as CSV")
    if len(members) > MAX_MEMBERS:
        _fail(f"{name} holds {len(members):,} files in its archive; workbooks are limited to {MAX_MEMBERS:,}", at)
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        _fail(f"{name} unpacks to {unpacked:,} bytes; workbooks are limited to {MAX_UNPACKED_BYTES:,} "
              "unpacked bytes", at, "export the sheet as CSV, or split the data over several files")
    if any(m.filename.lower().startswith("xl/externallinks/") for m in members):
        _fail(f"{name} links to other workbooks (external links); such a workbook is not read", at,
              "break the links in your spreadsheet program (Excel: Data > Edit Links > Break Link) and save, "
              "or export the sheet as CSV")


def _read_sheet(data: bytes, raw: str, shown: str, sheet: str | None, file_loc: SourceLocation,
                sheet_loc: SourceLocation, limits) -> Table:
    openpyxl = _openpyxl()
    name = repr(cut(raw, 200))
    _check_archive(data, f"the data file {name}", file_loc)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on features it does not read
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False,
                                        keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        _fail(f"cannot read {name} as a spreadsheet: {cut(type(exc).__name__ + ': ' + str(exc), 200)}", file_loc,
              "save the workbook again as .xlsx, or export the sheet as CSV")
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            if len(names) != 1:
                shown_names = ", ".join(repr(cut(n, 40)) for n in names[:8]) + (" ..." if len(names) > 8 else "")
                _fail(f"{name} has {len(names)} sheets ({shown_names}); name the one to read with 'sheet:'",
                      file_loc, f"e.g. sheet: {cut(names[0], 40) if names else 'Sheet1'}")
            sheet = names[0]
        if sheet not in names:
            _fail(f"{name} has no sheet {cut(sheet, 60)!r} (sheets: {', '.join(repr(cut(n, 40)) for n in names[:8])})",
                  sheet_loc, did_you_mean(sheet, names) or "name one of the workbook's sheets (the tab names)")
        ws = wb[sheet]
        if not hasattr(ws, "iter_rows"):
            _fail(f"the sheet {cut(sheet, 60)!r} of {name} is a chart, not a worksheet", sheet_loc,
                  "name a worksheet that holds the table")
        shown = f"{shown}[{sheet}]"
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # the size the file declares is not trusted: rows are read as they come
        at = SourceLocation(shown, None, 1, 1)
        rows = []
        width = 0
        cells = 0
        for i, values in enumerate(ws.iter_rows(values_only=True)):
            values = list(values)
            if i == 0:
                while values and values[-1] is None:
                    values.pop()
                width = len(values)
                _check_limits(0, width, f"the sheet {cut(sheet, 60)!r} of {name}", at, limits)
                header = [cell_text(v).strip() for v in values]
                continue
            values = values[:width]
            cells += width
            rows.append([cell_text(v) for v in values] + [""] * (width - len(values)))
            if len(rows) > limits.max_instances or cells > 2 * limits.max_instances:
                _check_limits(len(rows), width, f"the sheet {cut(sheet, 60)!r} of {name}", at, limits)
        if width == 0:
            _fail(f"the sheet {cut(sheet, 60)!r} of {name} is empty: its first row names no columns",
                  sheet_loc, "the first row of the sheet names the columns; the data follow below it")
        while rows and not any(c.strip() for c in rows[-1]):
            rows.pop()  # empty rows below the table (formatted but blank)
    finally:
        wb.close()
    _uncached_formulas(data, sheet, rows, shown)
    return Table(header, rows, shown)


def _uncached_formulas(data: bytes, sheet: str, rows: list, shown: str) -> None:
    """Report formula cells without a saved value among the empty cells of ``rows`` (a workbook
    written by a program that does not compute formulas, e.g. openpyxl itself).  The workbook is
    read again without ``data_only``, only when some cell came out empty."""
    empty = {(r, c) for r, row in enumerate(rows) for c, t in enumerate(row) if t == ""}
    if not empty:
        return
    openpyxl = _openpyxl()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False, keep_vba=False)
    found = []
    try:
        ws = wb[sheet]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        for i, values in enumerate(ws.iter_rows(values_only=True)):
            if i == 0:
                continue
            if i > len(rows):
                break
            for c, v in enumerate(values):
                if (i - 1, c) in empty and (isinstance(v, str) and v.startswith("=") or type(v).__name__ == "ArrayFormula"):
                    found.append((i + 1, c + 1))
                    if len(found) >= 20:
                        break
            if len(found) >= 20:
                break
    finally:
        wb.close()
    if found:
        issues = [Issue(f"cell {column_letter(c)}{r} holds a formula whose value was never saved; formulas are "
                        "never evaluated, only the values saved with the workbook are read",
                        SourceLocation(shown, None, r, c),
                        hint="open the workbook in a spreadsheet program and save it (that stores the values), "
                             "or type the value") for r, c in found]
        raise DataError(issues)


def _read_parquet(data: bytes, raw: str, shown: str, file_loc: SourceLocation, limits) -> Table:
    name = repr(cut(raw, 200))
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        _fail(f"reading the Parquet file {name} needs pyarrow, which is not installed", file_loc,
              "install the extra: pip install 'goalprog[parquet]' (or pip install pyarrow), or save the table as CSV")
    if not (data[:4] == b"PAR1" and data[-4:] == b"PAR1"):
        _fail(f"{name} is not a Parquet file (no PAR1 marks)", file_loc,
              "write the table with pandas' to_parquet, or save it as CSV")
    at = SourceLocation(shown, None, 1, 1)
    try:
        pf = pq.ParquetFile(pa.BufferReader(data))
        meta = pf.metadata
        n_rows, n_cols = int(meta.num_rows), int(meta.num_columns)
        _check_limits(n_rows, n_cols, f"the data file {name}", at, limits)
        unpacked = sum(int(meta.row_group(i).total_byte_size) for i in range(meta.num_row_groups))
        if unpacked > MAX_UNPACKED_BYTES:
            _fail(f"{name} unpacks to {unpacked:,} bytes; data files are limited to {MAX_UNPACKED_BYTES:,}", at,
                  "split the data over several files")
        table = pf.read()
    except DataError:
        raise
    except Exception as exc:  # pyarrow raises several kinds on a damaged file
        _fail(f"cannot read {name} as Parquet: {cut(type(exc).__name__ + ': ' + str(exc), 200)}", file_loc,
              "write the table again, or save it as CSV")
    header = [cell_text(n).strip() for n in table.column_names]
    columns = [[cell_text(v) for v in col.to_pylist()] for col in table.columns]
    rows = [list(r) for r in zip(*columns)] if columns else []
    return Table(header, rows, shown)


def read_table_file(real, raw: str, shown: str, sheet: str | None, file_loc: SourceLocation,
                    sheet_loc: SourceLocation, limits) -> Table:
    """The table of the spreadsheet or Parquet file at the resolved path ``real`` (from
    :func:`~goalprog.spec.files.resolve_data_path`); ``raw`` the name the problem gave, ``shown``
    the name for locations, ``sheet`` the worksheet (``None``: the only one).  Raises
    :class:`~goalprog.core.errors.DataError` (at ``file_loc``, ``sheet_loc`` or a cell)."""
    kind = kind_of(raw)
    if kind == "old":
        suffix = "." + raw.rsplit(".", 1)[-1].lower()
        _fail(f"the data file {cut(raw, 200)!r} is {OLD_FORMATS.get(suffix, 'a spreadsheet format')}, "
              "which is not read", file_loc, "save it as an Excel workbook (.xlsx) or export the sheet as CSV")
    data = _read_bytes(real, raw, file_loc)
    if kind == "sheet":
        return _read_sheet(data, raw, shown, sheet, file_loc, sheet_loc, limits)
    return _read_parquet(data, raw, shown, file_loc, limits)
