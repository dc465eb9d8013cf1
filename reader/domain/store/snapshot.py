"""The snapshot's layout: plain JSON, one record a line, so a big one loads a record at a time.

The file is one JSON object ``{table: {key: record}}`` that any JSON reader (TinyDB's own
included) reads as usual; only its line breaks are chosen::

    {
    "annotations":{
    "3f2a…":{"id":"3f2a…","article":"…",…},
    "9c01…":{…}
    },
    "settings":{
    "theme":{"key":"theme","value":"reader-dark"}
    }
    }

``decode_lines`` reads that layout some hundred records at a time. Decoding 100,000 records in
one ``json.loads`` call holds Python's lock for half a second, so the app could not draw or
answer a key meanwhile; between chunks other threads run. It accepts only that exact layout and returns
``None`` for anything else (an older snapshot, a file edited by hand, damage), and the caller
then reads the file as a whole, which says precisely what is wrong with it.

A big table can be left undecoded until it is first used (``DeferredTable``): a command that
reads a setting or marks an article read need not decode 100,000 annotations. That is safe only
for bytes known to be what ``encode_snapshot`` wrote, so the snapshot ends with one more table,
``_checksums``, holding the CRC-32 and length of each big table's record lines::

    "_checksums":{
    "annotations":{"crc32":2812739951,"bytes":93122048}
    }

A table whose lines match is deferred; any other is decoded (and so checked) at once. The
``_checksums`` table is the layout's, not the data's: decoding drops it, encoding writes it
afresh, and a program that keeps it unchanged while changing a table (an older reader) only
makes that table decode at once.
"""

from __future__ import annotations

import functools
import json
import zlib
from typing import Any, Callable, Iterable, Iterator, MutableMapping

from reader.collector import paused

Record = dict[str, Any]
Table = MutableMapping[str, Record]
Tables = dict[str, Table]

_OPEN = b"{"
_CLOSE = b"}"

RELAYOUT_MIN_BYTES = 1 << 20
"""A snapshot in another layout at least this big is rewritten in this one when opened."""


def wants_relayout(data: bytes | None, tables: Tables | None = None) -> bool:
    """True for a big snapshot written before this layout (or by another program), or one whose
    big tables had to be decoded at once (``tables``, what it decoded to): no checksums yet."""
    if data is None or len(data) < RELAYOUT_MIN_BYTES:
        return False
    return not data.startswith(_OPEN + b"\n") or tables is not None and any(
        not isinstance(tables.get(name), DeferredTable) and tables.get(name) for name in DEFERRED)


def encode_json(value: Any) -> bytes:
    """Compact ASCII JSON; raises ``TypeError``/``ValueError`` for what JSON cannot hold."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode("ascii")


CHECKSUMS = "_checksums"
"""The layout's own table: the CRC-32 and length of the record lines of each table in ``DEFERRED``."""

DEFERRED = ("annotations",)
"""Tables that may stay undecoded until first used, when their checksum matches."""


def encode_snapshot(tables: Tables) -> bytes:
    """The snapshot bytes of ``tables``; ``TypeError``/``ValueError`` for what JSON cannot hold."""
    parts = [_OPEN]
    sums: dict[str, Record] = {}
    names = [name for name in tables if name != CHECKSUMS]  # the layout's own, written afresh below
    for name in names:
        body = _record_lines(tables[name].items())
        parts.append(encode_json(name) + b":{")
        if body:
            parts.append(body)
            if name in DEFERRED:
                sums[name] = {"crc32": zlib.crc32(body), "bytes": len(body)}
        parts.append(_CLOSE + b",")
    if sums:
        parts.append(encode_json(CHECKSUMS) + b":{")
        parts.append(_record_lines(sums.items()))
        parts.append(_CLOSE)
    elif names:
        parts[-1] = _CLOSE
    parts.append(_CLOSE)
    return b"\n".join(parts) + b"\n"


def _record_lines(items: Iterable[tuple[str, Record]]) -> bytes:
    """A table's record lines, ``"key":{record}`` each, a comma ending all but the last."""
    return b",\n".join(encode_json(key) + b":" + encode_json(record) for key, record in items)


def _put(rows: dict[str, Record], key: str, record: Record | None) -> None:
    """Set the record under ``key``, or remove it when ``record`` is ``None``."""
    if record is None:
        rows.pop(key, None)
    else:
        rows[key] = record


class DeferredTable(MutableMapping[str, Record]):
    """A table still held as its snapshot's record lines, decoded the first time it is used.

    Any read or write decodes it (in chunks, as ``decode_lines`` does) and from then on works on
    the decoded dict. ``later`` records a change without decoding: replaying a journal over it
    keeps the changes, in order, for the moment it is decoded.
    """

    def __init__(self, data: bytes, start: int, stop: int, decode: Callable[[bytes, int, int], dict[str, Record] | None]) -> None:
        self._source: tuple[bytes, int, int, Callable[[bytes, int, int], dict[str, Record] | None]] | None = (
            data, start, stop, decode)  # dropped once decoded, and the file's bytes with it
        self._rows: dict[str, Record] = {}
        self._later: list[tuple[str, Record | None]] = []

    @property
    def decoded(self) -> bool:
        """True once the records were decoded."""
        return self._source is None

    def rows(self) -> dict[str, Record]:
        """The decoded records (decoding them now if need be)."""
        if self._source is not None:
            data, start, stop, decode = self._source
            with paused():
                rows = decode(data, start, stop)
            if rows is None:  # the checksum matched, so only a bug (or a forged file) gets here
                raise ValueError("a table whose checksum matched does not decode")
            for key, record in self._later:
                _put(rows, key, record)
            self._rows, self._source, self._later = rows, None, []
        return self._rows

    def later(self, key: str, record: Record | None) -> None:
        """Set (or, with ``None``, remove) the record under ``key`` without decoding the table first."""
        if self._source is not None:
            self._later.append((key, record))
        else:
            _put(self._rows, key, record)

    def __getitem__(self, key: str) -> Record:
        return self.rows()[key]

    def __setitem__(self, key: str, record: Record) -> None:
        self.rows()[key] = record

    def __delitem__(self, key: str) -> None:
        del self.rows()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows())

    def __len__(self) -> int:
        return len(self.rows())

    def __contains__(self, key: object) -> bool:
        return key in self.rows()

    def get(self, key: str, default: Any = None) -> Any:
        return self.rows().get(key, default)

    def keys(self) -> Any:
        return self.rows().keys()

    def values(self) -> Any:
        return self.rows().values()

    def items(self) -> Any:
        return self.rows().items()

    def __eq__(self, other: object) -> bool:
        return self.rows() == (other.rows() if isinstance(other, DeferredTable) else other)

    def __repr__(self) -> str:
        return f"DeferredTable({'decoded' if self.decoded else 'undecoded'}, {len(self._later)} changes waiting)"


CHUNK_BYTES = 1 << 18
"""Record lines decoded in one ``json.loads`` call: it shares the field names of all of them
(one copy per chunk, not per record) and holds Python's lock for a few milliseconds."""


def decode_lines(data: bytes, each: Callable[[str, str, Record], Record] | None = None,
                 defer: tuple[str, ...] = ()) -> Tables | None:
    """The tables of a snapshot in ``encode_snapshot``'s layout, or ``None`` if it is not in it.

    ``each(table, key, record)`` is called on every record as it is read and what it returns (an
    equal record) is kept. Whenever the result is not ``None`` it equals ``json.loads(data)``
    without its ``_checksums`` table: every comma, brace and duplicate key is checked as JSON has
    it. A table's record lines are decoded some hundred at a time, cut only after a line's comma
    (no line of JSON holds a raw newline, so a cut there never falls inside a string of valid
    JSON). A table named in ``defer`` whose record lines match their checksum is returned as a
    ``DeferredTable`` instead, decoded (the same way) when first used.
    """
    end = len(data) - 1 if data.endswith(b"\n") else len(data)
    last = data.rfind(b"\n", 0, end)  # the line break before the closing brace's line
    if not data.startswith(_OPEN + b"\n") or last < 0 or data[last + 1 : end] != _CLOSE:
        return None
    sums = _checksums(data, last) if defer else {}

    tables: Tables = {}
    more_tables = True  # the last table's closing line had a comma (or none was read yet)
    pos = len(_OPEN) + 1
    try:
        while pos <= last:  # a table: its "name":{ line, its record lines, its closing line
            newline = data.find(b"\n", pos)
            line = data[pos:newline]
            if not more_tables or not line.endswith(b":{"):
                return None
            found = json.loads(_OPEN + line + b"}}")
            if len(found) != 1:
                return None
            (name,) = found
            start = newline + 1
            close = _checked_end(data, start, sums.get(name)) if name in defer else -1
            deferred = close >= 0
            if not deferred:
                close = data.find(b"\n}", newline)  # record lines start with their key's quote
            if close < 0 or close >= last:  # the file's own closing line is not a table's
                return None
            closing_end = data.find(b"\n", close + 1)
            if data[close + 1 : closing_end] not in (_CLOSE, _CLOSE + b","):
                return None
            more_tables = data[closing_end - 1 : closing_end] == b","
            if deferred:
                tables[name] = DeferredTable(data, start, close, functools.partial(_decoded_records, name=name, each=each))
            else:
                table = _records(data, start, close, name, each)
                if table is None:
                    return None
                tables[name] = table  # a repeated name replaces the table, as in JSON
            pos = closing_end + 1
    except (ValueError, UnicodeDecodeError):
        return None
    if tables and more_tables:
        return None  # a comma after the last table
    tables.pop(CHECKSUMS, None)
    return tables


def _records(data: bytes, start: int, close: int, name: str,
             each: Callable[[str, str, Record], Record] | None) -> dict[str, Record] | None:
    """The records of the record lines ``data[start:close]``, some hundred a ``json.loads`` call;
    ``None`` (or ``ValueError``) when they are not a table's record lines."""
    table: dict[str, Record] = {}
    loads = json.loads
    while start < close:
        cut = data.find(b",\n", start + CHUNK_BYTES, close)
        stop = close if cut < 0 else cut
        pairs = loads(_OPEN + data[start:stop] + _CLOSE)
        if not pairs:
            return None  # a chunk of nothing but white space between two commas
        for key, record in pairs.items():
            if not isinstance(record, dict):
                return None
            table[key] = each(name, key, record) if each is not None else record
        start = stop + 2
    return table


def _decoded_records(data: bytes, start: int, close: int, *, name: str,
                     each: Callable[[str, str, Record], Record] | None) -> dict[str, Record] | None:
    """``_records`` for a ``DeferredTable``: ``None`` instead of an exception."""
    try:
        return _records(data, start, close, name, each)
    except (ValueError, UnicodeDecodeError):
        return None


def _checksums(data: bytes, last: int) -> dict[str, tuple[int, int]]:
    """The (CRC-32, length) of each table's record lines, from the ``_checksums`` table that
    ``encode_snapshot`` writes last (nothing when it is absent or not as written)."""
    head = b"\n" + encode_json(CHECKSUMS) + b":{\n"
    at = data.rfind(head, 0, last + 1)
    if at < 0:
        return {}
    close = data.find(b"\n}", at + len(head) - 1, last + 1)
    try:
        found = json.loads(_OPEN + data[at + 1 : close + 2] + _CLOSE)[CHECKSUMS] if close >= 0 else None
    except (ValueError, UnicodeDecodeError, KeyError):
        return {}
    sums: dict[str, tuple[int, int]] = {}
    for name, record in (found.items() if isinstance(found, dict) else ()):
        crc, size = (record.get("crc32"), record.get("bytes")) if isinstance(record, dict) else (None, None)
        if type(crc) is int and type(size) is int and size > 0:
            sums[name] = (crc, size)
    return sums


def _checked_end(data: bytes, start: int, expected: tuple[int, int] | None) -> int:
    """Where the record lines starting at ``start`` end when they are the bytes ``expected``
    describes (a table's closing line follows, and their CRC-32 matches); else -1."""
    if expected is None:
        return -1
    crc, size = expected
    close = start + size
    if data[close : close + 2] != b"\n}" or zlib.crc32(memoryview(data)[start:close]) != crc:
        return -1
    return close
