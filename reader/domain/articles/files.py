"""Reading local files that may be anything: bounded, regular files only, never a hang."""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

MAX_ARTICLE_BYTES = 5 * 1024 * 1024
"""Files larger than this are skipped, not read."""

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)|^charset:\s*([A-Za-z0-9_.:-]+)|encoding=["']([A-Za-z0-9_.:-]+)""", re.I | re.M)


class Unreadable(Exception):
    """A file reader will not use; ``str(error)`` is the reason shown to the user."""


def read_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ``Unreadable`` with a reason.

    The file is opened without blocking and checked after opening, so a FIFO, a device or a
    symlink to ``/dev/zero`` is refused rather than read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise Unreadable("broken link" if os.path.islink(path) else "no such file") from None
    except PermissionError:
        raise Unreadable("permission denied") from None
    except OSError as error:
        raise Unreadable(error.strerror or "cannot open") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file")
        if info.st_size > limit:
            raise Unreadable(f"larger than {limit // (1024 * 1024)} MB")
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except OSError as error:
        raise Unreadable(error.strerror or "cannot read") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Unreadable(f"larger than {limit // (1024 * 1024)} MB")
    if not data.strip():
        raise Unreadable("empty file")
    return data


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (BOM allowed), else a charset the file declares, else ``Unreadable``."""
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    match = _DECLARED.search(data[:4096])
    if match:
        name = next(g for g in match.groups() if g).decode("ascii", "replace")
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            raise Unreadable(f"unknown declared charset {name!r}") from None
        try:
            return data.decode(codec)
        except (UnicodeError, LookupError):  # LookupError: a bytes codec such as base64 or zlib
            raise Unreadable(f"not valid {name}") from None
    raise Unreadable("not UTF-8 text and no charset declared")


def read_text(path: Path, limit: int = MAX_ARTICLE_BYTES) -> str:
    """``decode(read_bytes(path))``: the text of a file, or ``Unreadable`` with a reason."""
    return decode(read_bytes(path, limit))


_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def decode_page(data: bytes, content_type: str = "") -> str:
    """The text of a downloaded page: in the charset its Content-Type names, else as :func:`decode`
    reads a file, else as UTF-8 with bad bytes replaced (a page is never refused for its bytes)."""
    match = _HEADER_CHARSET.search(content_type or "")
    if match:
        try:
            return data.decode(codecs.lookup(match.group(1)).name, "replace")
        except (LookupError, UnicodeError, TypeError):  # a bytes codec, or no such codec
            pass
    try:
        return decode(data)
    except Unreadable:
        return data.decode("utf-8", "replace")
