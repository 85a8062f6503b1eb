"""Output files of the command line: checked on resolved paths, written atomically, never over an input.

Every file ``goalprog`` writes for a command-line option (``--output``, ``--report``, ``--plot``,
``--chart``, the CSV files of ``--format csv --output DIR``, ``export -o``, ``schema -o``,
``sweep -o``) goes through this module:

* :class:`Outputs` checks each path before any work is done.  The path is resolved as the kernel
  would open it (symbolic links in its folders followed, ``..`` taken after them, missing folders
  allowed), so ``fresh/../p.yaml`` is ``p.yaml``.  Refused, with :class:`OutputError` (exit 2):
  a path whose last component is a symbolic link, dangling or not (goalprog never writes through a
  link; a link to a terminal or pipe such as ``/dev/stdout`` is the one exception); an input of
  the run (the problem file and every data file it reads), even with ``--force``; two options of
  one command naming the same file; a folder; an existing file without ``--force``.
* :func:`write_bytes` / :func:`write_text` write a new file beside the target (``.NAME.XXXX.tmp``),
  flush it to disk (``fsync``) and then move it into place: with ``--force`` by ``os.replace``
  (a reader sees the old file or the new one, never a mix; of two runs the last one wins), without
  it by a hard link, which fails if the target exists by then (so of two runs racing for one new
  path exactly one succeeds and the other stops with "exists"; on a file system without hard links
  the target is created with ``O_CREAT | O_EXCL`` instead).
* :func:`claim` creates an empty target exclusively for a writer that streams (``sweep -o``).
* :func:`spreadsheet_safe` / :func:`spreadsheet_frame` neutralise CSV cells a spreadsheet would
  run as a formula (the OWASP rule: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or
  a carriage return gets a leading ``'``; numbers stay numbers).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import Issue, ReportError


class OutputError(ReportError):
    """An output path is refused (an input of the run, a link, taken twice, exists) or cannot be
    written.  The command line exits with code 2."""


def _show(path) -> str:
    text = str(path)
    return text if len(text) <= 300 else text[:297] + "..."


def resolve(path) -> Path:
    """``path`` made absolute with every symbolic link followed and ``..`` applied after them
    (as opening it would); a missing tail is kept as written."""
    return Path(os.path.realpath(os.path.abspath(os.fspath(path))))


def is_special(path: Path) -> bool:
    """An existing character device or named pipe (a terminal, ``/dev/null``, ``/dev/stdout``):
    written through, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


@dataclass(frozen=True)
class Target:
    """A checked output: ``option`` (e.g. ``--report``), the ``given`` path, its resolved
    ``path``, whether it is a ``special`` file (written through) and whether it may ``replace``
    an existing file (``--force``)."""

    option: str
    given: Path
    path: Path
    special: bool = False
    replace: bool = False

    def describe(self) -> str:
        given, real = _show(self.given), _show(self.path)
        plain = os.path.join(os.getcwd(), str(self.given)) == str(self.path)
        return f"{self.option} {given}" + ("" if plain else f" (= {real})")


class Outputs:
    """The outputs of one command, checked against its inputs and each other.

    ``force``: existing files may be replaced.  ``inputs``: paths the command reads (resolved
    here; ``what`` they are, for messages); more may be added with :meth:`add_inputs` or
    :meth:`add_problem` once the problem is loaded.  Every check
    raises :class:`OutputError`, except that existing files (without ``force``) are collected and
    raised together by :meth:`ready`, so that one run names them all.
    """

    def __init__(self, force: bool = False, inputs: Iterable = (), what: str = "the problem file"):
        self.force = bool(force)
        self.inputs: dict[Path, str] = {}
        self.claimed: dict[Path, Target] = {}
        self.existing: list[Issue] = []
        self.add_inputs(inputs, what)

    def ready(self) -> None:
        """Raise one :class:`OutputError` naming every output that already exists (without
        ``force``); call it once every output is registered, before any work."""
        if self.existing:
            raise OutputError(self.existing)

    def add_inputs(self, paths: Iterable, what: str = "an input of this run") -> None:
        """Record more inputs (e.g. the data files of the loaded problem); an output already
        checked that is one of them is refused now."""
        for p in paths:
            if p is None:
                continue
            real = resolve(p)
            self.inputs.setdefault(real, what)
            if real in self.claimed:
                self._refuse_input(self.claimed[real], self.inputs[real])

    def add_problem(self, problem, file=None) -> None:
        """Record the problem file ``file`` and every file the loaded ``problem`` read."""
        files = list(getattr(problem, "input_files", ()) or ())
        if file is not None:
            self.add_inputs([file], "the problem file")
        source = getattr(problem, "source", None)
        if source:
            self.add_inputs([source], "the problem file")
            files += _declared_data_files(problem, Path(source).parent)
        self.add_inputs(files, "a data file of the problem")

    def _refuse_input(self, target: Target, what: str):
        raise OutputError(f"{target.describe()} is {what}; refusing to overwrite an input",
                          hint="goalprog never writes over the files it reads, even with --force: choose "
                               "another path")

    def file(self, path, option: str = "--output", *, _exists_said: bool = False) -> Target:
        """Check one output file; return its :class:`Target` (an existing file without ``force``
        is recorded for :meth:`ready`)."""
        given = Path(path)
        special = False
        if given.is_symlink():
            if not is_special(given):
                raise OutputError(f"{option} {_show(given)} is a symbolic link; goalprog does not write through "
                                  "links", hint="name the file itself, or remove the link first")
            special = True
        real = resolve(given)
        target = Target(option, given, real, special or is_special(real), self.force)
        if real in self.inputs:
            self._refuse_input(target, self.inputs[real])
        if real in self.claimed:
            other = self.claimed[real]
            raise OutputError(f"{other.option} and {option} name the same file {_show(real)}",
                              hint="give each output its own path")
        if real.is_dir():
            raise OutputError(f"{target.describe()} is a directory; name a file",
                              hint="csv output (--format csv) writes into a directory; other formats write one file")
        for parent in real.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise OutputError(f"{target.describe()}: {_show(parent)} is a file, not a folder")
                break
        if not target.special and os.path.lexists(real) and not self.force and not _exists_said:
            self.existing.append(Issue(f"{target.describe()} already exists",
                                       hint="use --force to replace it, or choose another path"))
        self.claimed[real] = target
        return target

    def folder(self, path, names: Iterable[str], option: str = "--output") -> dict[str, Target]:
        """Check a folder receiving one file per name (``--format csv``); every file is checked
        as :meth:`file` checks one.  Returns ``{name: Target}``."""
        given = Path(path)
        if given.is_symlink():
            raise OutputError(f"{option} {_show(given)} is a symbolic link; goalprog does not write through links",
                              hint="name the folder itself")
        real = resolve(given)
        if real.exists() and not real.is_dir():
            raise OutputError(f"{option} {_show(given)} exists and is not a directory (csv output writes one file "
                              "per table)", hint="name a new or existing directory")
        folder = Target(option, given, real, False, self.force)
        if real in self.inputs:
            self._refuse_input(folder, self.inputs[real])
        if real in self.claimed:
            raise OutputError(f"{self.claimed[real].option} and {option} name the same path {_show(real)}",
                              hint="give each output its own path")
        self.claimed[real] = folder
        names = list(names)
        existing = [n for n in names if os.path.lexists(real / n)]
        if existing and not self.force:
            self.existing.append(Issue(f"{option} {_show(given)} already holds result CSV files "
                                       f"({', '.join(existing)})",
                                       hint="use --force to replace them, or choose another directory"))
        return {n: self.file(given / n, f"{option} ({n})", _exists_said=bool(existing)) for n in names}


def _declared_data_files(problem, base: Path) -> list[Path]:
    """The ``file:`` entries of the problem's document (the data files it reads), as paths."""
    doc = getattr(problem, "_doc", None)
    out: list[Path] = []

    def walk(node, depth=0):
        if depth > 50:
            return
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "file" and isinstance(v, str):
                    try:
                        out.append(base / v)
                    except (TypeError, ValueError):
                        pass
                else:
                    walk(v, depth + 1)
        elif isinstance(node, list):
            for v in node:
                walk(v, depth + 1)

    walk(getattr(doc, "data", None))
    return out


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _target(target) -> Target:
    """A :class:`Target`, or a plain path (the Python API): written at that path as given,
    replacing what is there (a symbolic link there is replaced, not written through)."""
    if isinstance(target, Target):
        return target
    p = Path(target)
    return Target("output", p, p, is_special(p), True)


def temp_beside(target, suffix: str = ".tmp") -> Path:
    """A new empty file in the target's folder (created exclusively, mode as for a new file), to
    be filled and then moved into place by :func:`commit`.  Missing folders are created.  For a
    terminal or pipe the file is made in the temporary folder (its contents are copied at the end)."""
    t = _target(target)
    folder = Path(tempfile.gettempdir()) if t.special else t.path.parent  # a terminal or pipe: copied at the end
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{t.path.name[:80]}.", suffix=suffix, dir=folder)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
    except OSError:
        pass
    os.close(fd)
    return Path(tmp)


def _exists_error(t: Target) -> OutputError:
    return OutputError(f"{t.describe()} already exists (made by another program while this one ran)",
                       hint="use --force to replace it, or choose another path")


def _write_error(t: Target, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {t.describe()}: {exc.strerror or exc}",
                       hint="choose a path in a folder you can write to")


def commit(tmp, target) -> None:
    """Move the finished file ``tmp`` (made by :func:`temp_beside`) into place at ``target``:
    replacing an existing file when the target allows it, else only if no file is there (an
    :class:`OutputError` "already exists" otherwise; ``tmp`` is removed either way)."""
    t = _target(target)
    tmp = Path(tmp)
    try:
        if t.special:
            with open(tmp, "rb") as fin:
                fd = os.open(t.given, os.O_WRONLY)
                with os.fdopen(fd, "wb") as fout:
                    while chunk := fin.read(1 << 20):
                        fout.write(chunk)
            return
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if t.replace:
            os.replace(tmp, t.path)
        else:
            try:
                os.link(tmp, t.path)
            except FileExistsError:
                raise _exists_error(t) from None
            except OSError as exc:  # no hard links here: create the target exclusively and copy
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV,
                                     errno.ENOSYS):
                    raise
                _copy_exclusive(tmp, t)
        _sync_folder(t.path.parent)
    except OutputError:
        raise
    except OSError as exc:
        raise _write_error(t, exc) from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _copy_exclusive(tmp: Path, t: Target) -> None:
    try:
        fd = os.open(t.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise _exists_error(t) from None
    with os.fdopen(fd, "wb") as fout, open(tmp, "rb") as fin:
        while chunk := fin.read(1 << 20):
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes(target, data: bytes) -> None:
    """Write ``data`` to ``target`` (a :class:`Target`, or a path, which is then replaced if it
    exists) atomically: a temporary file beside it, ``fsync``, then :func:`commit`."""
    t = _target(target)
    if t.special:
        try:
            fd = os.open(t.given, os.O_WRONLY)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise _write_error(t, exc) from None
        return
    try:
        tmp = temp_beside(t)
    except OSError as exc:
        raise _write_error(t, exc) from None
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        if t.replace and t.path.is_file():  # a replaced file keeps its permissions
            os.chmod(tmp, t.path.stat().st_mode & 0o7777)
    except OSError as exc:
        os.unlink(tmp)
        raise _write_error(t, exc) from None
    commit(tmp, t)


def write_text(target, text: str) -> None:
    """:func:`write_bytes` of ``text`` in UTF-8."""
    write_bytes(target, text.encode("utf-8"))


def claim(target) -> None:
    """Create ``target`` as an empty file, exclusively unless it may replace an existing one
    (then atomically by ``os.replace``), for a writer that streams into it afterwards.  Raises
    :class:`OutputError` "already exists" when another program made it since the check."""
    t = _target(target)
    if t.special:
        return
    try:
        if t.replace:
            commit(temp_beside(t), t)
            return
        t.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(t.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.close(fd)
    except FileExistsError:
        raise _exists_error(t) from None
    except OSError as exc:
        raise _write_error(t, exc) from None


# -- spreadsheet formula injection ---------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|infinity|nan)", re.IGNORECASE)


def spreadsheet_safe(value):
    """A CSV cell a spreadsheet will not run as a formula (OWASP's rule for CSV injection): text
    starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``
    (``=1+2`` is written ``'=1+2``).  Numbers, and text that is a plain number such as ``-3.5``,
    are returned as they are; so is anything that is not text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_frame(frame):
    """A copy of the pandas DataFrame ``frame`` with :func:`spreadsheet_safe` applied to every
    text cell and column name (numeric columns are left alone)."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    out = frame.copy()
    for col in out.columns:
        if not (is_numeric_dtype(out[col].dtype) or is_bool_dtype(out[col].dtype)):
            out[col] = out[col].astype(object).map(spreadsheet_safe)
    out.columns = [spreadsheet_safe(c) for c in out.columns]
    return out
