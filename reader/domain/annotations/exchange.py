"""Annotation files: our lossless JSON, and reading back every JSON format reader writes.

``export_json`` writes our own format; the other formats live in ``exports/`` (``export_w3c`` and
``export_markdown`` are re-exported here). ``parse_import`` reads our JSON, W3C Web Annotation
JSON and Hypothesis export files. Imported files are untrusted: every text field passes through
``clean_text`` and tags through ``clean_tag``, which leave text we exported (already clean)
unchanged, so our own exports round-trip exactly. Ids round-trip too, so importing a file twice
adds nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from reader.domain.annotations.colors import BY_NAME
from reader.domain.annotations.exports.hypothesis import from_hypothesis, is_hypothesis
from reader.domain.annotations.exports.jsonfile import dumps, loads
from reader.domain.annotations.exports.markdown import export_markdown
from reader.domain.annotations.exports.w3c import CONTEXT as W3C_CONTEXT
from reader.domain.annotations.exports.w3c import export_w3c, from_w3c, w3c_items
from reader.domain.annotations.model import Annotation, TextQuote
from reader.domain.annotations.tags import BadTag, clean_tag, merge_tags
from reader.domain.articles.cleaning import clean_text

__all__ = ["FORMAT", "VERSION", "W3C_CONTEXT", "export_json", "export_markdown", "export_w3c", "parse_import"]

FORMAT = "reader-annotations"
"""The ``format`` value that marks our own JSON export."""
VERSION = 1
"""The version of our JSON export that this module writes."""

_COLOR_NAME = re.compile(r"[a-z0-9-]{1,32}")


def export_json(annotations: Sequence[Annotation]) -> str:
    """Our own format: every field of every annotation, including fields from newer versions."""
    return dumps({"format": FORMAT, "version": VERSION, "annotations": [a.to_record() for a in annotations]})


def parse_import(data: str) -> list[Annotation]:
    """Annotations from our JSON export, W3C Web Annotation JSON or a Hypothesis export file.

    Raises ``ValueError`` with one sentence for the user when ``data`` is none of them.
    """
    document = loads(data)
    if isinstance(document, dict) and "format" in document:
        if document["format"] != FORMAT:
            raise ValueError(f"The file's format is {str(document['format'])[:40]!r}, not {FORMAT!r}.")
        version, records = document.get("version"), document.get("annotations")
        if type(version) is not int or version < 1:
            raise ValueError("The file's format version is missing or is not a positive whole number.")
        if not isinstance(records, list):
            raise ValueError("The file has no list of annotations.")
        return [_checked(_from_record(record, n), n) for n, record in enumerate(records, 1)]
    if is_hypothesis(document):
        return [_checked(from_hypothesis(item, n), n) for n, item in enumerate(document["annotations"], 1)]
    return [_checked(from_w3c(item, n), n) for n, item in enumerate(w3c_items(document), 1)]


def _from_record(record: object, n: int) -> Annotation:
    if not isinstance(record, dict):
        raise ValueError(f"Annotation {n} in the file is not a JSON object.")
    try:
        return Annotation.from_record(record)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"Annotation {n} in the file is malformed ({str(error)[:80]}).") from None


def _checked(a: Annotation, n: int) -> Annotation:
    """``a`` with its text and tags cleaned, if its id, article and position make sense."""
    s = a.selectors
    if s is not None:
        if not 0 <= s.position.start <= s.position.end:
            raise ValueError(f"Annotation {n} in the file has an impossible position.")
        q = s.quote
        s = replace(s, quote=TextQuote(clean_text(q.exact), clean_text(q.prefix), clean_text(q.suffix)))
    fields = ("id", "article", "title", "url", "note", "created", "updated")
    text = {k: clean_text(getattr(a, k)) for k in fields}
    if not text["id"].strip() or not text["article"].strip():
        raise ValueError(f"Annotation {n} in the file has no id or no article.")
    color = a.color if a.color in BY_NAME or _COLOR_NAME.fullmatch(a.color) else ""
    return replace(a, selectors=s, id=text["id"], article=text["article"], title=text["title"], url=text["url"],
                   note=text["note"], created=text["created"], updated=text["updated"], color=color,
                   tags=merge_tags(_usable(a.tags)))


def _usable(tags: Sequence[str]) -> list[str]:
    """The tags that can be kept after cleaning (a file may hold any strings)."""
    kept = []
    for tag in tags:
        try:
            kept.append(clean_tag(tag))
        except BadTag:
            continue
    return kept
