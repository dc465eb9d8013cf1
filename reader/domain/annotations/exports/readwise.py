"""Readwise's CSV import: ``Highlight,Title,Author,URL,Note,Location,Date``.

Rules taken from Readwise's documentation: the bulk CSV import needs a ``Highlight`` column and
takes ``Title``, ``Author``, ``URL``, ``Note``, ``Location`` and ``Date``; quotes inside a field are
doubled (``""``), never backslash-escaped; the highlights API behind it (readwise.io/api_deets)
limits ``text`` to 8191 characters, ``title`` to 511, ``author`` to 1024 and ``source_url`` to
2047, wants ``location`` as an integer (it orders the highlights of a source) and the date as an
ISO 8601 time (the CSV's ``Date`` is ``YYYY-MM-DD HH:MM:SS``, in UTC); tags go in the note, as
Readwise's inline tagging reads them: ``.tag`` words at its start.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone
from typing import Mapping, Sequence
from urllib.parse import urlsplit

from reader.domain.annotations.model import Annotation
from reader.domain.articles.cleaning import shorten

HEADER = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date")
"""The columns, in Readwise's order."""
LIMITS = {"Highlight": 8191, "Title": 511, "Author": 1024, "URL": 2047, "Note": 8191}
"""The longest value Readwise takes in each column, in characters."""
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
"""How the ``Date`` column is written (UTC)."""

_SPACE = re.compile(r"\s+")


def export_readwise(annotations: Sequence[Annotation], authors: Mapping[str, str] | None = None) -> str:
    """The passages of ``annotations`` as Readwise CSV (whole-article notes have no highlight and
    are left out); ``authors`` maps article ids to their authors."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n", doublequote=True)
    writer.writerow(HEADER)
    for a in annotations:
        if a.selectors is None or not a.quote.strip():
            continue
        url = a.url if urlsplit(a.url).scheme.lower() in ("http", "https") and len(a.url) <= LIMITS["URL"] else ""
        tags = " ".join("." + _SPACE.sub("-", tag.strip()) for tag in a.tags)
        note = "\n".join(part for part in (tags, a.note.strip()) if part)
        writer.writerow([
            _fit(a.quote.strip(), "Highlight"), _fit(a.title, "Title"), _fit((authors or {}).get(a.article, ""), "Author"),
            url, _fit(note, "Note"), str(a.selectors.position.start + 1), _date(a.created),
        ])
    return out.getvalue()


def _fit(text: str, column: str) -> str:
    """``text`` cut to the column's limit, with an ellipsis where it was cut."""
    return shorten(text, LIMITS[column], fill=True)


def _date(value: str) -> str:
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime(DATE_FORMAT)
