"""Where an export goes: a portable file name, a path that stays in its folder, a write that never
overwrites anything.
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from pathlib import Path

MAX_NAME = 80
"""The longest file name ``safe_filename`` returns, suffix included."""
FALLBACK = "annotations"
"""The name used when a title has nothing portable in it."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DASHES = re.compile(r"-{2,}")
_MAX_SUFFIX = 16
_MAX_TRIES = 10_000
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)}


def safe_filename(title: str, suffix: str) -> str:
    """A file name made from ``title`` that is safe on every common file system.

    Only ASCII letters, digits, ``.``, ``_`` and ``-``; accents are dropped and anything else
    becomes ``-``; no leading dot or dash; at most ``MAX_NAME`` characters; never empty and
    never a Windows device name. ``suffix`` may be given with or without its dot: ``".md"``.
    """
    extension = _portable(suffix)[:_MAX_SUFFIX].strip(".-")
    extension = f".{extension}" if extension else ""
    stem = _portable(title)[: MAX_NAME - len(extension)].strip(".-")
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"{FALLBACK}-{stem}"[: MAX_NAME - len(extension)]
    return (stem or FALLBACK) + extension


def _portable(text: str) -> str:
    """``text`` with accents dropped, other unsafe runs turned into one ``-``, and no dot first."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _DASHES.sub("-", _UNSAFE.sub("-", plain)).lstrip(".-")


def unique_path(folder: Path, filename: str) -> Path:
    """A path for ``filename`` in ``folder`` that names nothing yet: ``name.md``, ``name-2.md``, ...

    ``filename`` must be a plain name (see ``safe_filename``); anything that could lead out of
    ``folder``, such as ``../x`` or ``a/b``, raises ``ValueError``.
    """
    _check_plain(filename)
    base = folder.resolve()
    stem, extension = _split(filename)
    for n in range(1, _MAX_TRIES + 1):
        candidate = base / (filename if n == 1 else f"{stem}-{n}{extension}")
        if candidate.resolve().parent != base:
            raise ValueError(f"{filename!r} would leave the folder {str(base)!r}.")
        if not os.path.lexists(candidate):  # a dangling symlink counts as taken
            return candidate
    raise FileExistsError(f"There are already {_MAX_TRIES} files named like {filename!r} in {str(base)!r}.")


def write_new_file(path: Path, text: str) -> None:
    """Create ``path`` and write ``text`` to it as UTF-8, durably; never replaces anything.

    Raises ``FileExistsError`` if anything (a file, a directory, a symlink) is already there. A
    failed write removes the half-written file.
    """
    data = text.encode("utf-8")  # fails before the file exists, not after
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags, 0o666)
    try:
        with open(descriptor, "wb", closefd=True) as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    _sync_folder(path.parent)


def replace_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8, replacing the file at once: a crash leaves the old
    text or the new, never a mix (a temporary file beside it is renamed over it)."""
    data = text.encode("utf-8")
    temporary = path.with_name(f".{path.name}.reader-tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)


def write_unique_file(folder: Path, filename: str, text: str) -> Path:
    """Write ``text`` to a new file in ``folder`` named like ``filename``; return its path.

    Combines ``unique_path`` and ``write_new_file``, trying the next name if another process
    takes the chosen one in between.
    """
    for _ in range(_MAX_TRIES):
        path = unique_path(folder, filename)
        try:
            write_new_file(path, text)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"Could not find a free name like {filename!r} in {str(folder)!r}.")


def _check_plain(filename: str) -> None:
    if (
        not filename
        or filename in (".", "..")
        or "\x00" in filename
        or "/" in filename
        or "\\" in filename
        or os.sep in filename
        or (os.altsep is not None and os.altsep in filename)
        or Path(filename).name != filename
    ):
        raise ValueError(f"{filename!r} is not a plain file name.")


def _split(filename: str) -> tuple[str, str]:
    """``("notes", ".md")`` from ``"notes.md"``; a leading dot does not start a suffix."""
    dot = filename.rfind(".")
    return (filename[:dot], filename[dot:]) if dot > 0 else (filename, "")


def _sync_folder(folder: Path) -> None:
    """Make the new directory entry durable too, where the platform allows it."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
