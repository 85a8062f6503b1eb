"""Writing a :class:`goalprog.Model` as a problem file (``Model.to_yaml``).

The YAML is the model's document (``Model.to_dict()``) as goalprog's loader reads it back: every
text that goalprog would read as something else when written plain (``yes``, ``010``, ``1:30``,
``1e5``, ``null``, an empty text) is quoted, mappings keep their order, and no anchors are used.
An indexed parameter with more than ``csv_threshold`` values (:data:`CSV_THRESHOLD`, 1,000 by
default) goes to a CSV file beside the YAML, ``<stem>.<parameter>.csv``, one key column per index
part and a ``value`` column, named in the YAML as ``{index: ..., file: ..., keys: [...], column:
value}``; a parameter whose members or values a CSV cell would not keep (text with spaces at
its ends or starting with ``=``, ``+``, ``-``, ``@``, which spreadsheets run as formulas;
values that are not numbers) stays inline.

Files are written through :mod:`goalprog.core.outfiles`: every path is checked before anything is
written (an existing file is refused unless ``force=True``; a symbolic link never written
through), then each file is written atomically.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Any

from .core.outfiles import OutputError, Outputs, write_text
from .spec.loader import YamlBool

CSV_THRESHOLD = 1000
"""Values of one indexed parameter above which ``to_yaml`` writes them to a CSV file."""

# goalprog reads these plain scalars as numbers though YAML 1.1 (PyYAML's dumper) does not: 1e5, 1.5e5
_GOALPROG_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*\.?[0-9_]*|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _dumper():
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    Dumper.add_implicit_resolver("tag:yaml.org,2002:float", _GOALPROG_FLOAT, list("-+0123456789."))

    def text(dumper, value):
        style = None
        if value.strip() != value or not value or value.lower() in ("y", "n", "inf", "+inf", "-inf", "nan") or \
                any(c in value for c in "\x85\u2028\u2029\r\ufeff") or not value.isprintable() and "\n" not in value:
            # a quoted scalar escapes what YAML would read as a line break (NEL, LS, PS) or drop
            style = '"'
        elif "\n" in value:
            style = "|"
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    Dumper.add_representer(YamlBool, lambda dumper, value: dumper.represent_bool(bool(value)))
    Dumper.add_representer(_Block, lambda dumper, value: dumper.represent_mapping("tag:yaml.org,2002:map", value,
                                                                                  flow_style=False))
    return Dumper


class _Block(dict):
    """A mapping written in block style (the file and its sections); deeper ones of scalars
    only are written on one line, ``{expr: profit, at_least: 150000}``."""


def dump_yaml(doc: dict) -> str:
    """``doc`` as YAML text that goalprog's loader reads back to an equal document."""
    import yaml

    out = _Block({k: _Block(v) if isinstance(v, dict) and v else v for k, v in doc.items()})
    return yaml.dump(out, Dumper=_dumper(), sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)


def _leaves(values: Any, depth: int, prefix: tuple = ()):
    """``(key tuple, value)`` of a mapping nested ``depth`` levels, or ``None`` when it is not."""
    out = []
    if not isinstance(values, dict):
        return None
    for k, v in values.items():
        if depth > 1:
            inner = _leaves(v, depth - 1, prefix + (k,))
            if inner is None:
                return None
            out += inner
        else:
            out.append((prefix + (k,), v))
    return out


def _csv_safe(key: tuple, value: Any) -> bool:
    cells_ok = all(isinstance(k, int) and not isinstance(k, bool) or
                   isinstance(k, str) and k and k.strip() == k and not k.startswith(_FORMULA_START) for k in key)
    return cells_ok and isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)


def _table(name: str, entry: Any, sets: dict, threshold: int):
    """``(key columns, rows)`` for a parameter to write as CSV, or ``None`` to keep it inline."""
    if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict) or "index" not in entry:
        return None
    index = [entry["index"]] if isinstance(entry["index"], str) else list(entry["index"])
    arity = []
    for s in index:
        members = sets.get(s)
        if not isinstance(members, list) or not members:
            return None  # a range or file set: keep it simple, inline
        arity.append(len(members[0]) if isinstance(members[0], list) else 1)
    leaves = _leaves(entry["values"], sum(arity))
    if leaves is None or len(leaves) <= threshold or not all(_csv_safe(k, v) for k, v in leaves):
        return None
    if all(a == 1 for a in arity) and len(set(index)) == len(index) and "value" not in index:
        keys = list(index)
    else:
        keys = [f"key{k + 1}" for k in range(sum(arity))]
    return keys, leaves


def _csv_text(keys: list, rows: list) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(keys + ["value"])
    for key, value in rows:
        w.writerow(list(key) + [repr(float(value)) if isinstance(value, float) else str(value)])
    return buf.getvalue()


def write_yaml(doc: dict, path, *, force: bool = False, csv_threshold: int | None = None) -> Path:
    """Write ``doc`` (a model's document) to ``path``, large parameter tables to CSV files beside
    it (see the module's documentation); return ``Path(path)``.  Raises
    :class:`~goalprog.core.outfiles.OutputError` for a path that exists (without ``force``), is a
    folder, a symbolic link, or cannot be written, and :class:`ValueError` for a negative
    ``csv_threshold``."""
    threshold = CSV_THRESHOLD if csv_threshold is None else csv_threshold
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 0:
        from .core.errors import ArgumentError

        raise ArgumentError(f"csv_threshold: expected a whole number >= 0, got {threshold!r}",
                            hint="the number of values above which a parameter goes to a CSV file, e.g. 1000")
    path = Path(path)
    outputs = Outputs(force)
    try:
        target = outputs.file(path, "to_yaml")
        tables = {}
        used = {path.name}
        sets = doc.get("sets") or {}
        params = dict(doc.get("params") or {})
        for name, entry in params.items():
            got = _table(name, entry, sets, threshold)
            if got is None:
                continue
            stem = re.sub(r"[^\w.-]", "_", f"{path.stem}.{name}")[:120]
            file, n = f"{stem}.csv", 1
            while file in used:
                n += 1
                file = f"{stem}_{n}.csv"
            used.add(file)
            tables[name] = (file, got, outputs.file(path.parent / file, f"to_yaml ({name})"))
        outputs.ready()
    except OutputError as exc:
        raise OutputError([_python_words(i) for i in exc.issues]) from None
    out = dict(doc)
    if tables:
        out["params"] = params
        for name, (file, (keys, _), _) in tables.items():
            entry = {k: v for k, v in params[name].items() if k != "values"}
            params[name] = {"index": entry.pop("index"), "file": file, "keys": keys if len(keys) > 1 else keys[0],
                            "column": "value", **entry}
    for name, (file, (keys, rows), t) in tables.items():
        write_text(t, _csv_text(keys, rows))
    write_text(target, "# A goal program written by goalprog.Model.to_yaml (problem format 1, docs/format.md)\n"
               + dump_yaml(out))
    return path


def _python_words(issue):
    """An output issue with the Python keyword for the command line's flag (``force=True``)."""
    from .core.errors import Issue

    hint = issue.hint.replace("use --force", "pass force=True") if issue.hint else issue.hint
    return Issue(issue.message, issue.location, hint, issue.source, issue.span)
