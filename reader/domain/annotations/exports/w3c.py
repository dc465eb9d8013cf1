"""W3C Web Annotation JSON-LD, both ways: an ``AnnotationCollection`` with an embedded page.

A passage's colour is a ``styleClass`` (``reader-<colour>``) on its target, a Specific Resource,
with the colours in the annotation's ``CssStylesheet``; its tags are ``TextualBody`` bodies with
``purpose: tagging``; ``reader:`` keys keep what the model has no place for (the article id, the
block range, the review schedule, unknown fields), so our own export round-trips losslessly.
The collection and its page get ids derived from the annotations' ids, as the model requires.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Sequence
from urllib.parse import quote, unquote

from reader.domain.annotations.colors import BY_NAME
from reader.domain.annotations.exports.jsonfile import dumps
from reader.domain.annotations.model import Annotation, Selectors, TextPosition, TextQuote

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
"""The JSON-LD context of the W3C Web Annotation data model."""
CLASS_PREFIX = "reader-"
"""The start of the ``styleClass`` of a coloured passage."""

ARTICLE_URN = "urn:reader:article:"
_ANNOTATION_URN = "urn:reader:annotation:"
_UUID_URN = "urn:uuid:"
_EXPORT = uuid.UUID("6b1f6f4e-3f0c-5b8e-9a51-5c1d2f7a0e42")


def export_w3c(annotations: Sequence[Annotation]) -> str:
    """A W3C Web Annotation collection of ``annotations``."""
    items = [_item(a) for a in annotations]
    name = uuid.uuid5(_EXPORT, json.dumps(sorted(a.id for a in annotations), ensure_ascii=True))
    collection = f"{_UUID_URN}{name}"
    page = f"{_UUID_URN}{uuid.uuid5(name, 'page-0')}"
    return dumps({
        "@context": CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": "Annotations exported from reader",
        "total": len(items),
        "first": {"id": page, "type": "AnnotationPage", "partOf": collection, "startIndex": 0, "items": items},
    })


def annotation_iri(annotation_id: str) -> str:
    """The IRI an annotation gets: ``urn:uuid:`` for a UUID, else a ``urn:reader:annotation:``."""
    try:
        if str(uuid.UUID(annotation_id)) == annotation_id:
            return _UUID_URN + annotation_id
    except ValueError:
        pass
    return _ANNOTATION_URN + quote(annotation_id, safe="")


def _item(a: Annotation) -> dict[str, Any]:
    target: dict[str, Any] = {"source": a.url or ARTICLE_URN + quote(a.article, safe="")}
    palette = BY_NAME.get(a.color)
    motivation = "commenting" if a.note else "highlighting" if palette else "bookmarking"
    item: dict[str, Any] = {"id": annotation_iri(a.id), "type": "Annotation", "motivation": motivation}
    if a.created:
        item["created"] = a.created
    if a.updated:
        item["modified"] = a.updated
    bodies: list[dict[str, Any]] = []
    if a.note:
        bodies.append({"type": "TextualBody", "value": a.note, "format": "text/markdown", "purpose": "commenting"})
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in a.tags]
    if bodies:
        item["body"] = bodies[0] if len(bodies) == 1 else bodies
    if palette is not None:
        target["type"] = "SpecificResource"
        target["styleClass"] = CLASS_PREFIX + palette.name
        item["stylesheet"] = {"type": "CssStylesheet",
                              "value": f".{CLASS_PREFIX}{palette.name} {{ background-color: {palette.css}; }}"}
    # a whole-article note's target is the document itself: its IRI, which the model takes as a
    # string (an object with only "source" is neither an External nor a Specific Resource)
    item["target"] = target if len(target) > 1 or a.selectors is not None else target["source"]
    item["reader:article"] = a.article
    if a.selectors is not None:
        q, p = a.selectors.quote, a.selectors.position
        quote_selector = {"type": "TextQuoteSelector", "exact": q.exact}
        quote_selector.update({k: v for k, v in (("prefix", q.prefix), ("suffix", q.suffix)) if v})
        target["selector"] = [quote_selector, {"type": "TextPositionSelector", "start": p.start, "end": p.end}]
        item["reader:blocks"] = list(a.selectors.blocks)
    if a.title:
        item["reader:title"] = a.title
    if a.color and palette is None:
        item["reader:color"] = a.color
    if a.review:
        item["reader:review"] = dict(a.review)
    if a.extra:
        item["reader:extra"] = dict(a.extra)
    return item


# Reading -------------------------------------------------------------------------------------


def w3c_items(document: object) -> list[Any]:
    """The annotations of a W3C collection, page, single annotation or list of them."""
    if isinstance(document, dict):
        kinds = types(document)
        if "AnnotationCollection" in kinds:
            page = document.get("first", document)
            if isinstance(page, str):
                raise ValueError("The collection's annotations are on another page, which is not imported.")
            document = page
        if "AnnotationPage" in kinds or "AnnotationCollection" in kinds:
            items = document.get("items") if isinstance(document, dict) else None
            if not isinstance(items, list):
                raise ValueError("The annotation collection in the file has no list of items.")
            return items
        if "Annotation" in kinds:
            return [document]
    elif isinstance(document, list) and all(isinstance(i, dict) and types(i) for i in document):
        return document  # each item's type is checked when it is read
    raise ValueError("The file is neither a reader annotation export nor W3C Web Annotation JSON.")


def types(node: object) -> set[str]:
    """The ``type`` (or ``@type``) values of a JSON-LD node."""
    if not isinstance(node, dict):
        return set()
    kind = node.get("type", node.get("@type"))
    kinds = kind if isinstance(kind, list) else [kind]
    return {k for k in kinds if isinstance(k, str)}


def from_w3c(item: object, n: int) -> Annotation:
    """The annotation in one W3C item (the ``n``-th, for messages); ``ValueError`` if it is not one."""
    if not isinstance(item, dict) or "Annotation" not in types(item):
        raise ValueError(f"Item {n} in the file is not a W3C Annotation.")
    target = item.get("target")
    if isinstance(target, list) and target:
        target = target[0]
    if isinstance(target, str):
        target = {"source": target}
    if not isinstance(target, dict) or not isinstance(target.get("source", target.get("id")), str):
        raise ValueError(f"Annotation {n} in the file has no target document.")
    source = str(target.get("source", target.get("id")))
    article = item.get("reader:article")
    if not isinstance(article, str):
        article = unquote(source[len(ARTICLE_URN) :]) if source.startswith(ARTICLE_URN) else source
    extra, review = item.get("reader:extra"), item.get("reader:review")
    return Annotation(
        id=_w3c_id(item),
        article=article,
        title=_string(item.get("reader:title")),
        url="" if source.startswith(ARTICLE_URN) else source,
        selectors=_selectors(item, target, n),
        note="\n\n".join(_bodies(item, "commenting")),
        created=_string(item.get("created")),
        updated=_string(item.get("modified")),
        color=_color(item, target),
        tags=tuple(_bodies(item, "tagging")),
        review=review if isinstance(review, dict) else {},
        extra=extra if isinstance(extra, dict) else {},
    )


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def _color(item: dict[str, Any], target: dict[str, Any]) -> str:
    style = target.get("styleClass")
    name = style.removeprefix(CLASS_PREFIX) if isinstance(style, str) and style.startswith(CLASS_PREFIX) else ""
    return name if name in BY_NAME else _string(item.get("reader:color"))


def _w3c_id(item: dict[str, Any]) -> str:
    """Our id back from ``urn:uuid:``; for another tool's id, a UUID derived from it, stably."""
    iri = item.get("id", item.get("@id"))
    if not isinstance(iri, str) or not iri:
        iri = json.dumps(item, sort_keys=True, ensure_ascii=True)
    if iri.lower().startswith(_UUID_URN):
        return iri[len(_UUID_URN) :]
    if iri.startswith(_ANNOTATION_URN):
        return unquote(iri[len(_ANNOTATION_URN) :])
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def _selectors(item: dict[str, Any], target: dict[str, Any], n: int) -> Selectors | None:
    raw = target.get("selector")
    if not raw:
        return None
    found = {kind: s for s in (raw if isinstance(raw, list) else [raw]) for kind in types(s)}
    text_quote, text_position = found.get("TextQuoteSelector"), found.get("TextPositionSelector") or {}
    if text_quote is None or not isinstance(text_quote.get("exact"), str):
        raise ValueError(f"Annotation {n} in the file has no TextQuoteSelector to find its passage by.")
    strings = [text_quote.get(k, "") for k in ("prefix", "suffix")]
    blocks = item.get("reader:blocks", [0, 0])
    numbers = [text_position.get("start", 0), text_position.get("end", 0)]
    numbers += blocks if isinstance(blocks, list) else [blocks]
    if len(numbers) != 4 or not all(map(_whole, numbers)) or not all(isinstance(x, str) for x in strings):
        raise ValueError(f"Annotation {n} in the file has a malformed selector.")
    start, end, first, last = (int(x) for x in numbers)
    return Selectors(TextQuote(text_quote["exact"], *strings), TextPosition(start, end), (first, last))


def _whole(value: object) -> bool:
    return (type(value) is int) or (isinstance(value, float) and value.is_integer())


def _bodies(item: dict[str, Any], purpose: str) -> list[str]:
    """The values of the bodies with ``purpose`` (commenting is the default), or ``bodyValue``."""
    value = item.get("bodyValue")
    if isinstance(value, str):
        return [value] if purpose == "commenting" else []
    bodies = item.get("body")
    bodies = bodies if isinstance(bodies, list) else [bodies]
    chosen = [b for b in bodies if isinstance(b, dict) and b.get("purpose", "commenting") == purpose]
    return [b["value"] for b in chosen if isinstance(b.get("value"), str)]
