"""Files a problem reads: confined data paths and bounded reads of regular files only.

A problem file and its data are untrusted input.  Every file goalprog reads because of a problem
(the problem file itself, and each CSV data file it names) goes through this module:

* :func:`resolve_data_path` turns the ``file:`` of a set or parameter into a resolved path
  (symbolic links followed) and refuses it unless it lies under the *problem folder* (the folder
  of the problem file, or ``base_dir`` of :func:`goalprog.from_dict`, default the current
  folder), or under the ``data_root`` that the person running goalprog gave on the command line
  (``--data-root DIR``) or to the API (``data_root=``).  A data root *adds* a folder: the
  problem folder stays allowed and relative paths are still taken from it.  Files under
  ``/proc``, ``/sys`` and ``/dev`` are never read, whatever the roots.
* :func:`read_regular_file` reads at most ``limit`` bytes (counted as read, not taken from the
  file's reported size) of a *regular* file: folders, named pipes (FIFOs), devices and sockets
  are refused before anything is read, and the opened file is checked again (``fstat``), so a
  file swapped after the check is refused too.  A FIFO never blocks: it is refused by ``stat``,
  and opened, if at all, without blocking.
* compressed files (gzip, bzip2, zip, xz, zstd; by name or by their first bytes) are refused:
  data files are plain CSV text, so nothing is ever decompressed.

Error messages name files and positions; they never show what a file contains.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..core.errors import ArgumentError, DataError, Issue, SourceLocation, clip

MAX_DATA_BYTES = 256 * 1024 * 1024
"""The largest data (CSV) file read, in bytes (256 MiB)."""

SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")
"""Folders of pseudo-files that are never read as data, whatever the data roots."""

COMPRESSED_SUFFIXES = {".gz": "gzip", ".tgz": "gzip", ".bz2": "bzip2", ".zip": "zip", ".xz": "xz",
                       ".lzma": "xz", ".zst": "zstd", ".z": "compress", ".7z": "7-zip", ".tar": "tar"}
_MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"PK\x03\x04", "zip"), (b"\xfd7zXZ\x00", "xz"),
          (b"\x28\xb5\x2f\xfd", "zstd"), (b"7z\xbc\xaf\x27\x1c", "7-zip"))


class FileRefused(Exception):
    """A file that is not read: ``message`` says why (names only, never contents), ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


def cut(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters, with the length said when cut (for echoing names):
    :func:`goalprog.core.errors.clip` with a shorter default."""
    return clip(text, limit)


def file_kind(mode: int) -> str:
    """What a ``stat`` mode is, in words: ``"a folder"``, ``"a named pipe (FIFO)"``, ..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a regular file"
    return "not a regular file"


def read_regular_file(path: str | os.PathLike, limit: int, name: str | None = None, *, follow: bool = True) -> bytes:
    """The bytes of the regular file ``path`` (links followed unless ``follow`` is false: then a
    link as the last part of ``path`` is refused), at most ``limit`` of them.

    Raises :class:`FileRefused` when ``path`` is not a regular file (folder, FIFO, device,
    socket) or holds more than ``limit`` bytes (counted while reading), ``FileNotFoundError``
    when it does not exist and ``OSError`` when it cannot be read.  ``name`` is how messages
    call the file (default ``str(path)``).
    """
    name = cut(name if name is not None else str(path), 300)
    mode = (os.stat(path) if follow else os.lstat(path)).st_mode
    if stat.S_ISLNK(mode):
        raise FileRefused(f"{name} became a symbolic link after it was checked; it is not read")
    if not stat.S_ISREG(mode):
        raise FileRefused(f"{name} is {file_kind(mode)}, not a regular file; only regular files are read")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode  # the file opened is the file checked (no swap in between)
        if not stat.S_ISREG(mode):
            raise FileRefused(f"{name} is {file_kind(mode)}, not a regular file; only regular files are read")
        chunks = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileRefused(f"{name} is larger than {limit:,} bytes, the limit for this file")
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_data_root(data_root: str | os.PathLike | None) -> Path | None:
    """The resolved ``data_root`` (``None`` stays ``None``).

    Raises :class:`~goalprog.core.errors.ArgumentError` unless it is an existing folder.
    """
    if data_root is None:
        return None
    if not isinstance(data_root, (str, os.PathLike)):
        raise ArgumentError(f"data_root must be a folder path, got {type(data_root).__name__}")
    try:
        real = Path(os.path.realpath(data_root))
        ok = real.is_dir()
    except (OSError, ValueError):
        ok = False
    if not ok:
        raise ArgumentError(f"data_root {cut(os.fspath(data_root), 200)!r} is not an existing folder",
                            hint="name the folder that holds the data files")
    return real


def _under(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def resolve_data_path(raw: str, base_dir: str | os.PathLike, data_root: str | os.PathLike | None,
                      location: SourceLocation) -> Path:
    """The resolved path of the data file ``raw`` named by a problem, checked before any read.

    ``raw`` is relative to ``base_dir`` (the problem folder) or absolute.  The path with every
    link followed must lie under the resolved ``base_dir`` or the resolved ``data_root`` (when
    given), outside ``/proc``, ``/sys`` and ``/dev``, and be an existing regular file.  Raises
    :class:`~goalprog.core.errors.DataError` at ``location`` otherwise; the message names the file,
    never its contents.
    """
    shown = repr(cut(raw, 200))
    allowed_hint = ("data files are read only from the problem file's folder and the folders below it (links are "
                    "followed and must stay inside); copy the file there, or, if you trust this problem, allow "
                    "another folder with --data-root DIR (goalprog.load(..., data_root=DIR))")
    if not isinstance(raw, str) or not raw or "\x00" in raw:
        raise DataError(Issue(f"the data file name {shown} is not a usable path", location,
                              hint="give a path such as data/demand.csv"))
    try:
        base = Path(os.path.realpath(base_dir))
        real = Path(os.path.realpath(Path(base_dir) / raw))
    except (OSError, ValueError) as exc:
        raise DataError(Issue(f"cannot use the data file name {shown}: {getattr(exc, 'strerror', None) or exc}",
                              location, hint="check the path given under 'file:'")) from None
    roots = [base]
    root = check_data_root(data_root)
    if root is not None:
        roots.append(root)
    for system in SYSTEM_FOLDERS:
        if _under(real, Path(system)):
            raise DataError(Issue(f"the data file {shown} is in {system}, a folder of system pseudo-files; "
                                  "it is never read", location, hint="data files are CSV files beside the problem file"))
    if not any(_under(real, r) for r in roots):
        where = f"the problem folder {cut(str(base), 200)}" + \
            (f" and the data root {cut(str(root), 200)}" if root is not None else "")
        shown_real = "" if os.path.normpath(Path(base_dir) / raw) == str(real) else f" (it resolves to {cut(str(real), 200)})"
        raise DataError(Issue(f"the data file {shown} is outside {where}{shown_real}; it is not read", location,
                              hint=allowed_hint))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        raise DataError(Issue(f"data file not found: {cut(str(Path(base_dir) / raw), 300)}", location,
                              hint="paths are relative to the problem file's folder")) from None
    except OSError as exc:
        raise DataError(Issue(f"cannot use the data file {shown}: {exc.strerror or exc}", location,
                              hint="check the path given under 'file:'")) from None
    if stat.S_ISDIR(mode):
        raise DataError(Issue(f"{cut(str(Path(base_dir) / raw), 300)} is a folder, not a CSV file", location,
                              hint="name the CSV file itself, e.g. data/demand.csv"))
    if not stat.S_ISREG(mode):
        raise DataError(Issue(f"the data file {shown} is {file_kind(mode)}, not a regular file; only regular "
                              "files are read", location, hint="name a CSV file"))
    return real


def compression_of(name: str, head: bytes) -> str | None:
    """The compression format of a file by its name's suffix or its first bytes, else ``None``."""
    suffix = Path(name).suffix.lower()
    if suffix in COMPRESSED_SUFFIXES:
        return COMPRESSED_SUFFIXES[suffix]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def read_data_file(real: Path, raw: str, location: SourceLocation, limit: int | None = None) -> bytes:
    """The bytes of the data file at the resolved path ``real`` (from :func:`resolve_data_path`),
    checked to be UTF-8 text, without a byte-order mark.

    At most ``limit`` bytes (default :data:`MAX_DATA_BYTES`) are read; compressed and archived
    files are refused.  ``raw`` is the name the problem gave (for messages).  Raises
    :class:`~goalprog.core.errors.DataError` at ``location``.
    """
    shown = repr(cut(raw, 200))
    limit = MAX_DATA_BYTES if limit is None else limit
    try:
        data = read_regular_file(real, limit, name=f"the data file {shown}", follow=False)  # real has no links
    except FileRefused as exc:
        hint = "only regular CSV files are read"
        if "larger than" in exc.message:
            hint = f"data files are limited to {limit:,} bytes; split the data over several files"
        raise DataError(Issue(exc.message, location, hint=hint)) from None
    except OSError as exc:
        raise DataError(Issue(f"cannot read the data file {shown}: {exc.strerror or type(exc).__name__}", location,
                              hint="check that the file exists and is readable")) from None
    kind = compression_of(raw, data[:8]) or compression_of(str(real), data[:8])
    if kind is not None:
        what = "an archive (tar)" if kind == "tar" else f"compressed ({kind})"
        raise DataError(Issue(f"the data file {shown} is {what}; compressed and archived data files are not read",
                              location, hint="decompress it and name the .csv file under 'file:'"))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(Issue(f"the data file {shown} is not UTF-8 text (byte {exc.start})", location,
                              hint="a data file is comma-separated UTF-8 text with one header line")) from None
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data
