"""The JSON file Hypothesis's client exports and imports, both ways.

The shape follows the client (github.com/hypothesis/client): ``src/sidebar/helpers/import.ts``
(``readExportFile``) accepts an object whose ``annotations`` is an array;
``src/sidebar/services/annotations-exporter.tsx`` (``JSONExportContent``) writes ``export_date``,
``export_userid`` and ``client_version`` beside it; ``src/sidebar/services/import-annotations.ts``
keeps ``target``, ``tags``, ``text``, ``uri`` and ``document`` of each annotation and finds
duplicates by text, tags and quote; ``src/sidebar/components/ShareDialog/ImportAnnotations.tsx``
lists the file's annotations by ``user`` (an ``acct:name@authority`` id, ``helpers/account-id.ts``)
for the reader to pick whose to import; ``helpers/annotation-metadata.ts`` reads the title as
``document.title[0]`` and the quote from ``target[0].selector``'s ``TextQuoteSelector``, and takes
an annotation without selectors for a page note. ``src/types/api.ts`` (``APIAnnotationData``)
names the other fields. Colours and what else Hypothesis has no place for go in ``reader:`` keys,
which its import ignores and ours reads back.
"""

from __future__ import annotations

import uuid
from typing import Any, Sequence

from reader.domain.annotations.exports.jsonfile import dumps
from reader.domain.annotations.exports.w3c import ARTICLE_URN
from reader.domain.annotations.model import Annotation, Selectors, TextPosition, TextQuote

USER = "acct:reader@localhost"
"""The author the file names: Hypothesis's import asks whose annotations to import."""
_NAMESPACE = uuid.UUID("0c3f2a57-7b1e-5d3a-8e0f-4a6b9c2d1e73")


def export_hypothesis(annotations: Sequence[Annotation], now: str, version: str) -> str:
    """A Hypothesis export file of ``annotations``, dated ``now`` (ISO 8601), from reader ``version``."""
    return dumps({
        "export_date": now,
        "export_userid": USER,
        "client_version": f"reader {version}",
        "annotations": [_item(a) for a in annotations],
    })


def _item(a: Annotation) -> dict[str, Any]:
    uri = a.url or ARTICLE_URN + a.article
    target: dict[str, Any] = {"source": uri}
    if a.selectors is not None:
        q, p = a.selectors.quote, a.selectors.position
        target["selector"] = [
            {"type": "TextQuoteSelector", "exact": q.exact, "prefix": q.prefix, "suffix": q.suffix},
            {"type": "TextPositionSelector", "start": p.start, "end": p.end},
        ]
    item: dict[str, Any] = {
        "id": a.id, "created": a.created, "updated": a.updated, "user": USER,
        "user_info": {"display_name": "reader"}, "uri": uri, "text": a.note, "tags": list(a.tags),
        "group": "__world__", "permissions": {"read": [USER], "update": [USER], "delete": [USER]},
        "hidden": False, "flagged": False, "document": {"title": [a.title]} if a.title else {},
        "target": [target], "links": {}, "reader:article": a.article,
    }
    if a.selectors is not None:
        item["reader:blocks"] = list(a.selectors.blocks)
    for key, value in (("reader:color", a.color), ("reader:review", dict(a.review)), ("reader:extra", dict(a.extra))):
        if value:
            item[key] = value
    return item


def is_hypothesis(document: object) -> bool:
    """True for what Hypothesis's ``readExportFile`` accepts: an object with an ``annotations`` array."""
    return isinstance(document, dict) and isinstance(document.get("annotations"), list) and "type" not in document


def from_hypothesis(item: object, n: int) -> Annotation:
    """The annotation in one item of a Hypothesis file; ``ValueError`` if it is not one."""
    if not isinstance(item, dict):
        raise ValueError(f"Annotation {n} in the file is not a JSON object.")
    targets = item.get("target")
    target = targets[0] if isinstance(targets, list) and targets and isinstance(targets[0], dict) else {}
    uri = item.get("uri", target.get("source"))
    if not isinstance(uri, str) or not uri:
        raise ValueError(f"Annotation {n} in the file has no uri.")
    article = item.get("reader:article")
    article = article if isinstance(article, str) else uri.removeprefix(ARTICLE_URN)
    tags, review, extra = item.get("tags"), item.get("reader:review"), item.get("reader:extra")
    document = item.get("document")
    title = document.get("title") if isinstance(document, dict) else None
    title = title[0] if isinstance(title, list) and title else title
    return Annotation(
        id=_id(item.get("id"), item),
        article=article,
        title=_string(title),
        url="" if uri.startswith(ARTICLE_URN) else uri,
        selectors=_selectors(item, target, n),
        note=_string(item.get("text")),
        created=_string(item.get("created")),
        updated=_string(item.get("updated")),
        color=_string(item.get("reader:color")),
        tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (),
        review=review if isinstance(review, dict) else {},
        extra=extra if isinstance(extra, dict) else {},
    )


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def _id(value: object, item: dict[str, Any]) -> str:
    """Our UUID back; another id made into a UUID derived from it, so a second import matches."""
    if isinstance(value, str) and value:
        try:
            if str(uuid.UUID(value)) == value:
                return value
        except ValueError:
            pass
        return str(uuid.uuid5(_NAMESPACE, value))
    return str(uuid.uuid5(_NAMESPACE, dumps(item)))


def _selectors(item: dict[str, Any], target: dict[str, Any], n: int) -> Selectors | None:
    raw = target.get("selector")
    if not isinstance(raw, list) or not raw:
        return None
    found = {s.get("type"): s for s in raw if isinstance(s, dict)}
    text_quote, position = found.get("TextQuoteSelector"), found.get("TextPositionSelector") or {}
    if text_quote is None:
        return None  # a selector Hypothesis has and we do not (a page, a time): kept as a page note
    values = [text_quote.get("exact"), text_quote.get("prefix", ""), text_quote.get("suffix", "")]
    numbers = [position.get("start", 0), position.get("end", 0), *(item.get("reader:blocks") or [0, 0])]
    if not all(isinstance(v, str) for v in values) or len(numbers) != 4 or not all(type(x) is int for x in numbers):
        raise ValueError(f"Annotation {n} in the file has a malformed selector.")
    return Selectors(TextQuote(*values), TextPosition(numbers[0], numbers[1]), (numbers[2], numbers[3]))
