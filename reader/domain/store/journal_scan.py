"""Reading the journal's lines: every intact checksummed line, wherever damage sits between them.

A line is ``<crc32 hex> {"ops": [...]}`` and a newline. A line that fails its checksum costs only
its own changes: the lines after it are read as usual. Damage can also hit a newline; then the
line before it still ends where its JSON object ends, and the next one starts where
``<8 hex> {"ops":`` is found (that text occurs nowhere else: inside JSON strings quotes are
escaped), so no intact line is lost because its neighbour's newline was. What follows the last
newline is a write that never finished: the torn tail.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]
Op = tuple[str, str, "Record | None"]
"""One change: (table, key, the whole new record, or ``None`` to delete)."""

_LINE_START = re.compile(rb'[0-9a-f]{8} \{"ops":')
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Span:
    """Journal bytes that could not be read: ``length`` bytes from ``offset``, on ``lines`` lines."""

    offset: int
    length: int
    lines: int = 1


@dataclass
class JournalScan:
    """What a journal holds: its readable transactions in order, and where it was unreadable."""

    batches: list[list[Op]] = field(default_factory=list)
    end: int = 0
    """Offset just after the last newline: where the next line goes."""
    damaged: list[Span] = field(default_factory=list)
    """Unreadable stretches before the last newline (not a torn write: damage)."""
    torn: Span | None = None
    """The bytes after the last newline, if any: a write that never finished."""
    kept_after: int = 0
    """How many transactions were read after the first damaged stretch."""


def _ops_of(raw: Any) -> list[Op] | None:
    """The ops of a decoded line body, or ``None`` when it does not have their shape."""
    try:
        ops = [(t, k, r) for t, k, r in raw["ops"]]
    except (ValueError, TypeError, KeyError):
        return None
    if all(isinstance(t, str) and isinstance(k, str) and (r is None or isinstance(r, dict)) for t, k, r in ops):
        return ops
    return None


def _decode_line(line: bytes) -> list[Op] | None:
    """The ops of one whole journal line (without its newline), or ``None`` if it is not valid."""
    if len(line) < 10 or line[8:9] != b" ":
        return None
    try:
        if int(line[:8], 16) != zlib.crc32(line[9:]):
            return None
        return _ops_of(json.loads(line[9:]))
    except ValueError:
        return None


def _decode_at(segment: bytes, text: str, start: int) -> tuple[list[Op], int] | None:
    """A valid line starting at ``start`` of ``segment`` (``text`` is it as latin-1) and where it ends."""
    if not _LINE_START.match(segment, start):
        return None
    try:
        raw, end = _DECODER.raw_decode(text, start + 9)
    except ValueError:
        return None
    if int(segment[start : start + 8], 16) != zlib.crc32(segment[start + 9 : end]):
        return None
    ops = _ops_of(raw)
    return (ops, end) if ops is not None else None


def _salvage(data: bytes, pos: int, newline: int) -> list[list[Op] | Span]:
    """The intact lines and the unreadable stretches, in order, of the bad line ``data[pos:newline]``.

    The last stretch includes the newline, so stretches on consecutive lines touch.
    """
    segment = data[pos:newline]
    text = segment.decode("latin-1")  # one character per byte: offsets stay byte offsets
    found: list[list[Op] | Span] = []
    cursor = 0
    for start in [0] + [m.start() for m in _LINE_START.finditer(segment, 1)]:
        decoded = _decode_at(segment, text, start) if start >= cursor else None
        if decoded is None:
            continue
        if start > cursor:
            found.append(Span(pos + cursor, start - cursor))
        found.append(decoded[0])
        cursor = decoded[1]
    if cursor < len(segment) or not segment:
        found.append(Span(pos + cursor, newline + 1 - pos - cursor))
    return found


def parse_journal(data: bytes, start: int = 0) -> JournalScan:
    """Every readable transaction in ``data[start:]`` and where the rest was unreadable."""
    scan = JournalScan()
    complete = data.rfind(b"\n", start) + 1 or start
    pos = start
    while pos < complete:
        newline = data.find(b"\n", pos)
        ops = _decode_line(data[pos:newline])
        for item in [ops] if ops is not None else _salvage(data, pos, newline):
            if isinstance(item, Span):
                last = scan.damaged[-1] if scan.damaged else None
                if last is not None and last.offset + last.length == item.offset:
                    scan.damaged[-1] = Span(last.offset, last.length + item.length, last.lines + item.lines)
                else:
                    scan.damaged.append(item)
            else:
                scan.batches.append(item)
                scan.kept_after += bool(scan.damaged)
        pos = newline + 1
    scan.end = complete
    if complete < len(data):
        scan.torn = Span(complete, len(data) - complete)
    return scan
