"""A sweep's rows as CSV: appended to a file as runs finish (:class:`CsvSink`), and written whole
in run order (:func:`write_csv`); see :mod:`goalprog.analysis.sweep`."""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path
from typing import Any

from .columns import SOLVED, column_order

def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float) and math.isnan(v):
        return ""
    if isinstance(v, (list, dict)):
        import json

        return json.dumps(v)
    return v


class CsvSink:
    """Rows appended to a CSV file as they finish (header once, flushed each time).

    The file is a new one moved into place at the start (an existing file is replaced whole, never
    truncated or written through a link; a terminal or pipe is written through), and replaced by
    the rows in run order at the end by :meth:`finish` (atomically).  Text cells that a spreadsheet
    would run as a formula are neutralised (:func:`goalprog.core.outfiles.spreadsheet_safe`)."""

    BUFFER = 64

    def __init__(self, path: Path, keys: tuple):
        from ..core.outfiles import is_special, temp_beside

        self.path = Path(path)
        self.keys = keys
        self.special = is_special(self.path)
        if self.special:
            self.fh = open(self.path, "w", newline="", encoding="utf-8")
        else:
            tmp = temp_beside(self.path, ".part")
            self.fh = open(tmp, "w", newline="", encoding="utf-8")
            try:
                os.replace(tmp, self.path)
            except BaseException:
                self.fh.close()
                os.unlink(tmp)
                raise
        self.writer = None
        self.buffer: list = []
        self.written = 0

    def write(self, rows: list[dict]) -> None:
        if self.writer is None:
            self.buffer.extend(rows)
            # the header comes from a solved run (it has every goal column) or, failing that, later
            if any(r["status"] in SOLVED for r in self.buffer) or len(self.buffer) >= self.BUFFER:
                self._start()
            return
        self._rows(rows)

    def _start(self) -> None:
        from ..core.outfiles import spreadsheet_safe

        columns = column_order(self.buffer, self.keys)
        csv.writer(self.fh).writerow([spreadsheet_safe(c) for c in columns])
        self.writer = csv.DictWriter(self.fh, fieldnames=columns, extrasaction="ignore")
        rows, self.buffer = self.buffer, []
        self._rows(rows)

    def _rows(self, rows: list[dict]) -> None:
        from ..core.outfiles import spreadsheet_safe

        for r in rows:
            self.writer.writerow({k: spreadsheet_safe(_cell(v)) for k, v in r.items()})
        self.written += len(rows)
        self.fh.flush()

    def close(self) -> None:
        from ..core.outfiles import spreadsheet_safe

        if self.writer is None and self.buffer:
            self._start()
        elif self.writer is None:
            csv.writer(self.fh).writerow([spreadsheet_safe(c) for c in column_order([], self.keys)])
        if not self.fh.closed:
            self.fh.flush()
            if not self.special:
                os.fsync(self.fh.fileno())
        self.fh.close()

    def finish(self, frame) -> None:
        """Replace the file by all rows in run order (with any column a late run added)."""
        from ..core.outfiles import temp_beside

        self.close()
        if self.special:
            return
        tmp = temp_beside(self.path)
        try:
            with open(tmp, "w", newline="", encoding="utf-8") as fh:
                write_csv(frame, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        finally:
            if tmp.exists():
                tmp.unlink()


def write_csv(frame, target) -> None:
    """Write a sweep's rows as CSV to ``target`` (a path or an open text file): empty cells for
    missing values, lists and mappings as JSON, text cells a spreadsheet would run as a formula
    with a leading ``'`` (:func:`goalprog.core.outfiles.spreadsheet_safe`; numbers stay numbers).  A
    path is written atomically (a new file moved into place)."""
    from ..core.outfiles import spreadsheet_safe, write_text

    if isinstance(target, (str, Path)):
        import io

        buf = io.StringIO(newline="")
        write_csv(frame, buf)
        write_text(target, buf.getvalue())
        return
    writer = csv.writer(target)
    writer.writerow([spreadsheet_safe(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([spreadsheet_safe(_cell(None if _isna(v) else v)) for v in row])


def _isna(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))
