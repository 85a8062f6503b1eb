"""Data from spreadsheets (.xlsx sheets) and Parquet files (issue 17): same answers as the CSV
version, located errors (file, sheet, row, column), the CSV confinement and limits, formulas never
evaluated, external links refused."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

import goalprog
from goalprog.core.errors import DataError

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (a dependency of goalprog) is not installed")

PROBLEMS = Path(__file__).resolve().parents[2] / "problems"
INDEXED = (PROBLEMS / "clothing_factory_indexed.yaml").read_text()
ROWS = [["product", "profit", "cost", "waste"], ["pants", 10, 5, 1.5], ["shirts", 3, 1, 1], ["dresses", 15, 10, 3]]


def workbook(path: Path, sheets: dict) -> Path:
    """Write ``{sheet name: rows}`` as an .xlsx workbook (the sheets in order)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def problem(tmp_path: Path, source: str, name: str = "model.yaml") -> Path:
    p = tmp_path / name
    p.write_text(INDEXED.replace("file: data/clothing_products.csv", source))
    return p


def rewrite_zip(path: Path, edit=None, extra: dict | None = None) -> None:
    """Rewrite the workbook's archive: ``edit(name, bytes) -> bytes`` on each member, ``extra`` members added."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            z.writestr(info.filename, edit(info.filename, data) if edit else data)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    path.write_bytes(out.getvalue())


def answer(path: Path):
    r = goalprog.load(path).solve()
    return r.objective, dict(r.value("make"))


def test_xlsx_sheet_replaces_the_csv(tmp_path):
    workbook(tmp_path / "data" / "plan.xlsx", {"notes": [["nothing here"]], "products": ROWS})
    p = problem(tmp_path, "file: data/plan.xlsx, sheet: products")
    obj, make = answer(p)
    ref_obj, ref_make = answer(PROBLEMS / "clothing_factory_indexed.yaml")
    assert obj == pytest.approx(ref_obj, rel=1e-12)
    assert obj == pytest.approx(300000 / 7, rel=1e-9)  # weights (1, 1.5): p = 60,000/7, s = 50,000/7
    assert make == pytest.approx(ref_make, rel=1e-12)
    assert make["pants"] == pytest.approx(60000 / 7, rel=1e-9)
    assert (tmp_path / "data" / "plan.xlsx").resolve() in goalprog.load(p).input_files


def test_only_sheet_needs_no_name_and_numbers_are_members(tmp_path):
    """A workbook with one sheet is read without 'sheet:'; whole numbers (stored as 1.0) are int members as in CSV."""
    workbook(tmp_path / "m.xlsx", {"Sheet1": [["month", "demand"], [1.0, 10], [2, 20.5]]})
    (tmp_path / "model.yaml").write_text(
        "sets:\n  months: {file: m.xlsx, column: month}\n"
        "params:\n  demand: {index: months, file: m.xlsx, keys: month}\n"
        "variables:\n  x: {index: months}\n"
        "goals:\n  meet: {for: m in months, expr: 'x[m]', equal: 'demand[m]'}\n")
    r = goalprog.load(tmp_path / "model.yaml").solve()
    assert dict(r.value("x")) == pytest.approx({1: 10, 2: 20.5})


def test_missing_sheet_did_you_mean(tmp_path):
    workbook(tmp_path / "plan.xlsx", {"notes": [["a"]], "products": ROWS})
    p = problem(tmp_path, "file: plan.xlsx, sheet: Product")
    with pytest.raises(DataError) as err:
        goalprog.load(p)
    text = str(err.value)
    assert "has no sheet 'Product'" in text and "did you mean 'products'" in text
    line = next(i for i, t in enumerate(p.read_text().splitlines(), 1) if "sheet: Product" in t and "sets" not in t)
    assert err.value.issues[0].location.key_path == "sets.products.sheet"
    assert err.value.issues[0].location.line == line


def test_two_sheets_need_a_name(tmp_path):
    workbook(tmp_path / "plan.xlsx", {"notes": [["a"]], "products": ROWS})
    with pytest.raises(DataError, match="has 2 sheets .*name the one to read with 'sheet:'"):
        goalprog.load(problem(tmp_path, "file: plan.xlsx"))


def test_bad_cell_names_sheet_row_and_column(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][2] = "abc"  # shirts' cost: sheet row 3, column 3 (C)
    workbook(tmp_path / "plan.xlsx", {"products": rows})
    with pytest.raises(DataError) as err:
        goalprog.load(problem(tmp_path, "file: plan.xlsx, sheet: products"))
    issue = err.value.issues[0]
    assert "is not a number: 'abc'" in issue.message
    assert issue.location.file.endswith("plan.xlsx[products]")
    assert (issue.location.line, issue.location.col) == (3, 3)
    assert issue.location.key_path == "params.unit_cost"
    assert re.search(r"plan\.xlsx\[products\]:3:3: params\.unit_cost", str(err.value))


def test_path_outside_the_folder_is_refused(tmp_path):
    workbook(tmp_path / "plan.xlsx", {"products": ROWS})
    inner = tmp_path / "problem"
    inner.mkdir()
    p = problem(inner, "file: ../plan.xlsx, sheet: products")
    with pytest.raises(DataError, match="outside the problem folder"):
        goalprog.load(p)
    assert goalprog.load(p, data_root=tmp_path).solve().objective == pytest.approx(300000 / 7, rel=1e-9)


def test_formulas_are_never_evaluated(tmp_path):
    """A formula cell reads as the value saved with it; one without a saved value is reported."""
    path = workbook(tmp_path / "plan.xlsx", {"products": ROWS})

    def cached(name, data):  # B2 (pants' profit, 10) becomes =1+1 with the saved value 10
        if name.startswith("xl/worksheets/sheet"):
            new = re.sub(rb'<c r="B2"([^>]*)><v>10</v></c>', rb'<c r="B2"\1><f>1+1</f><v>10</v></c>', data)
            assert new != data
            return new
        return data

    rewrite_zip(path, cached)
    p = problem(tmp_path, "file: plan.xlsx, sheet: products")
    assert answer(p)[0] == pytest.approx(300000 / 7, rel=1e-9)  # 10, not 2

    rows = [list(r) for r in ROWS]
    rows[2][2] = "=B3/3"  # written by openpyxl: a formula without a saved value
    workbook(path, {"products": rows})
    with pytest.raises(DataError) as err:
        goalprog.load(p)
    issue = err.value.issues[0]
    assert "cell C3 holds a formula whose value was never saved" in issue.message
    assert (issue.location.line, issue.location.col) == (3, 3)


def test_external_links_are_refused(tmp_path):
    path = workbook(tmp_path / "plan.xlsx", {"products": ROWS})
    rewrite_zip(path, extra={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    with pytest.raises(DataError, match="links to other workbooks"):
        goalprog.load(problem(tmp_path, "file: plan.xlsx, sheet: products"))


def test_unpacked_size_and_rows_are_limited(tmp_path, monkeypatch):
    import goalprog.spec.workbooks as wbmod

    workbook(tmp_path / "plan.xlsx", {"products": ROWS})
    p = problem(tmp_path, "file: plan.xlsx, sheet: products")
    monkeypatch.setattr(wbmod, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(DataError, match="unpacks to .* bytes"):
        goalprog.load(p)
    monkeypatch.undo()
    workbook(tmp_path / "long.xlsx", {"products": ROWS[:1] + [[f"p{i}", 1, 1, 1] for i in range(200)]})
    with pytest.raises(DataError, match="more than 100 cells; data files are limited to 100 cells"):
        goalprog.load(problem(tmp_path, "file: long.xlsx, sheet: products"), max_nonzeros=500)


def test_sheet_goes_with_a_spreadsheet_and_old_formats_are_refused(tmp_path):
    shutil.copy(PROBLEMS / "data" / "clothing_products.csv", tmp_path / "products.csv")
    with pytest.raises(DataError, match="'sheet' names a worksheet of a spreadsheet file") as err:
        goalprog.load(problem(tmp_path, "file: products.csv, sheet: products"))
    assert err.value.issues[0].location.key_path == "sets.products.sheet"
    (tmp_path / "plan.xls").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    with pytest.raises(DataError, match=r"old Excel format \(\.xls\)"):
        goalprog.load(problem(tmp_path, "file: plan.xls"))
    (tmp_path / "fake.xlsx").write_text("product,profit\n")
    with pytest.raises(DataError, match="not a zip archive"):
        goalprog.load(problem(tmp_path, "file: fake.xlsx"))


def test_parquet_replaces_the_csv(tmp_path):
    pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'goalprog[parquet]')")
    import pandas as pd

    pd.read_csv(PROBLEMS / "data" / "clothing_products.csv").to_parquet(tmp_path / "products.parquet")
    obj, make = answer(problem(tmp_path, "file: products.parquet"))
    assert obj == pytest.approx(300000 / 7, rel=1e-9)
    assert make["shirts"] == pytest.approx(50000 / 7, rel=1e-9)


def test_parquet_bad_cell_is_located(tmp_path):
    pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'goalprog[parquet]')")
    import pandas as pd

    df = pd.read_csv(PROBLEMS / "data" / "clothing_products.csv", dtype={"waste": str})
    df.loc[2, "waste"] = "lots"  # dresses: data row 3, file row 4 (row 1 names the columns), column 4
    df.to_parquet(tmp_path / "products.parquet")
    with pytest.raises(DataError) as err:
        goalprog.load(problem(tmp_path, "file: products.parquet"))
    issue = err.value.issues[0]
    assert "is not a number: 'lots'" in issue.message
    assert (issue.location.line, issue.location.col) == (4, 4)
    assert issue.location.file.endswith("products.parquet")


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch):
    import sys

    (tmp_path / "products.parquet").write_bytes(b"PAR1....PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(DataError, match=r"(?s)needs pyarrow.*goalprog\[parquet\]"):
        goalprog.load(problem(tmp_path, "file: products.parquet"))
