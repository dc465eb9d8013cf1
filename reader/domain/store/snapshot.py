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
"""

from __future__ import annotations

import json
from typing import Any, Callable

Record = dict[str, Any]
Tables = dict[str, dict[str, Record]]

_OPEN = b"{"
_CLOSE = b"}"

RELAYOUT_MIN_BYTES = 1 << 20
"""A snapshot in another layout at least this big is rewritten in this one when opened."""


def wants_relayout(data: bytes | None) -> bool:
    """True for a big snapshot written before this layout (or by another program)."""
    return data is not None and len(data) >= RELAYOUT_MIN_BYTES and not data.startswith(_OPEN + b"\n")


def encode_json(value: Any) -> bytes:
    """Compact ASCII JSON; raises ``TypeError``/``ValueError`` for what JSON cannot hold."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode("ascii")


def encode_snapshot(tables: Tables) -> bytes:
    """The snapshot bytes of ``tables``; ``TypeError``/``ValueError`` for what JSON cannot hold."""
    lines = [_OPEN]
    names = list(tables)
    for t, name in enumerate(names):
        lines.append(encode_json(name) + b":{")
        table = tables[name]
        last = len(table) - 1
        for r, (key, record) in enumerate(table.items()):
            lines.append(encode_json(key) + b":" + encode_json(record) + (b"," if r < last else b""))
        lines.append(_CLOSE + (b"," if t < len(names) - 1 else b""))
    lines.append(_CLOSE)
    return b"\n".join(lines) + b"\n"


CHUNK_BYTES = 1 << 18
"""Record lines decoded in one ``json.loads`` call: it shares the field names of all of them
(one copy per chunk, not per record) and holds Python's lock for a few milliseconds."""


def decode_lines(data: bytes, each: Callable[[str, str, Record], Record] | None = None) -> Tables | None:
    """The tables of a snapshot in ``encode_snapshot``'s layout, or ``None`` if it is not in it.

    ``each(table, key, record)`` is called on every record as it is read and what it returns (an
    equal record) is kept. Whenever the result is not ``None`` it equals ``json.loads(data)``:
    every comma, brace and duplicate key is checked as JSON has it. A table's record lines are
    decoded some hundred at a time, cut only after a line's comma (no line of JSON holds a raw
    newline, so a cut there never falls inside a string of valid JSON).
    """
    end = len(data) - 1 if data.endswith(b"\n") else len(data)
    last = data.rfind(b"\n", 0, end)  # the line break before the closing brace's line
    if not data.startswith(_OPEN + b"\n") or last < 0 or data[last + 1 : end] != _CLOSE:
        return None
    tables: Tables = {}
    more_tables = True  # the last table's closing line had a comma (or none was read yet)
    loads = json.loads
    pos = len(_OPEN) + 1
    try:
        while pos <= last:  # a table: its "name":{ line, its record lines, its closing line
            newline = data.find(b"\n", pos)
            line = data[pos:newline]
            if not more_tables or not line.endswith(b":{"):
                return None
            found = loads(_OPEN + line + b"}}")
            if len(found) != 1:
                return None
            (name,) = found
            table = tables[name] = {}  # a repeated name replaces the table, as in JSON
            close = data.find(b"\n}", newline)  # record lines start with their key's quote
            if close < 0 or close >= last:  # the file's own closing line is not a table's
                return None
            closing_end = data.find(b"\n", close + 1)
            if data[close + 1 : closing_end] not in (_CLOSE, _CLOSE + b","):
                return None
            more_tables = data[closing_end - 1 : closing_end] == b","
            start = newline + 1
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
            pos = closing_end + 1
    except (ValueError, UnicodeDecodeError):
        return None
    if tables and more_tables:
        return None  # a comma after the last table
    return tables
