"""Annotation files: our lossless JSON, W3C Web Annotation JSON-LD, and Markdown for notes apps.

``parse_import`` reads either JSON format back. Imported files are untrusted: every text field
passes through ``clean_text``, which leaves text we exported (already clean) unchanged, so our
own exports round-trip exactly. Ids round-trip too, so importing a file twice adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import replace
from typing import Any, Sequence
from urllib.parse import quote, unquote

from reader.domain.annotations.model import Annotation, Selectors, TextPosition, TextQuote
from reader.domain.articles.cleaning import clean_line, clean_text

FORMAT = "reader-annotations"
"""The ``format`` value that marks our own JSON export."""
VERSION = 1
"""The version of our JSON export that this module writes."""
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
"""The JSON-LD context of the W3C Web Annotation data model."""

_ARTICLE_URN = "urn:reader:article:"
_ANNOTATION_URN = "urn:reader:annotation:"
_UUID_URN = "urn:uuid:"


def export_json(annotations: Sequence[Annotation]) -> str:
    """Our own format: every field of every annotation, including fields from newer versions."""
    return _dumps({"format": FORMAT, "version": VERSION, "annotations": [a.to_record() for a in annotations]})


def export_w3c(annotations: Sequence[Annotation]) -> str:
    """A W3C Web Annotation collection; ``reader:`` keys keep what the model has no place for."""
    items = [_w3c_item(a) for a in annotations]
    return _dumps(
        {
            "@context": W3C_CONTEXT,
            "type": "AnnotationCollection",
            "label": "Annotations exported from reader",
            "total": len(items),
            "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
        }
    )


def export_markdown(annotations: Sequence[Annotation]) -> str:
    """Markdown for Obsidian and the like: a section per article, its notes, then its passages.

    Each passage is a block quote followed by an Obsidian block id (``^`` and the first 8 hex
    digits of the annotation id) on its own line, the form Obsidian requires after a quote, so
    ``[[file#^id]]`` links to it; the passage's note, as Markdown, follows.
    """
    groups: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        groups.setdefault(annotation.article, []).append(annotation)
    used: set[str] = set()
    sections = []
    for items in groups.values():
        title = clean_line(next((a.title for a in items if a.title), "")) or "Untitled article"
        lines = [f"## {title}", ""]
        url = clean_line(next((a.url for a in items if a.url), ""))
        if url:
            lines += [f"[Source](<{url.replace('<', '%3C').replace('>', '%3E')}>)", ""]
        for a in items:
            if a.is_article_note and a.note.strip():
                lines += [clean_text(a.note).strip("\n"), ""]
        passages = [a for a in items if a.selectors is not None]
        passages.sort(key=lambda a: a.selectors.position.start if a.selectors else 0)
        for a in passages:
            lines += [f"> {line}" if line.strip() else ">" for line in clean_text(a.quote).split("\n")]
            lines += ["", f"^{_block_id(a.id, used)}", ""]
            if a.note.strip():
                lines += [clean_text(a.note).strip("\n"), ""]
        sections.append("\n".join(lines).rstrip("\n"))
    return "\n\n".join(sections) + "\n" if sections else ""


def parse_import(data: str) -> list[Annotation]:
    """Annotations from our JSON export or from W3C Web Annotation JSON.

    Raises ``ValueError`` with one sentence for the user when ``data`` is neither.
    """
    try:
        document = json.loads(data.removeprefix("\ufeff"))
    except RecursionError:
        raise ValueError("The file nests too deeply to be an annotation export.") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"The file is not valid JSON (line {error.lineno}, column {error.colno}).") from None
    except ValueError:  # e.g. an integer too long for Python to convert
        raise ValueError("The file could not be read as JSON.") from None
    if isinstance(document, dict) and "format" in document:
        if document["format"] != FORMAT:
            raise ValueError(f"The file's format is {str(document['format'])[:40]!r}, not {FORMAT!r}.")
        version, records = document.get("version"), document.get("annotations")
        if type(version) is not int or version < 1:
            raise ValueError("The file's format version is missing or is not a positive whole number.")
        if not isinstance(records, list):
            raise ValueError("The file has no list of annotations.")
        return [_checked(_from_record(record, n), n) for n, record in enumerate(records, 1)]
    return [_checked(_from_w3c(item, n), n) for n, item in enumerate(_w3c_items(document), 1)]


# Writing -------------------------------------------------------------------------------------


def _dumps(document: dict[str, Any]) -> str:
    """Readable JSON; all-ASCII escapes only if some string could not be written as UTF-8."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: \u escapes keep them losslessly
        text = json.dumps(document, ensure_ascii=True, indent=2)
    return text + "\n"


def _annotation_iri(annotation_id: str) -> str:
    try:
        if str(uuid.UUID(annotation_id)) == annotation_id:
            return _UUID_URN + annotation_id
    except ValueError:
        pass
    return _ANNOTATION_URN + quote(annotation_id, safe="")


def _w3c_item(a: Annotation) -> dict[str, Any]:
    target: dict[str, Any] = {"source": a.url or _ARTICLE_URN + quote(a.article, safe="")}
    item: dict[str, Any] = {
        "id": _annotation_iri(a.id),
        "type": "Annotation",
        "motivation": "commenting" if a.note else "bookmarking",
    }
    if a.created:
        item["created"] = a.created
    if a.updated:
        item["modified"] = a.updated
    if a.note:
        item["body"] = {
            "type": "TextualBody",
            "value": a.note,
            "format": "text/markdown",
            "purpose": "commenting",
        }
    item["target"] = target
    item["reader:article"] = a.article
    if a.selectors is not None:
        q, p = a.selectors.quote, a.selectors.position
        quote_selector = {"type": "TextQuoteSelector", "exact": q.exact}
        quote_selector.update({k: v for k, v in (("prefix", q.prefix), ("suffix", q.suffix)) if v})
        position_selector = {"type": "TextPositionSelector", "start": p.start, "end": p.end}
        target["selector"] = [quote_selector, position_selector]
        item["reader:blocks"] = list(a.selectors.blocks)
    if a.title:
        item["reader:title"] = a.title
    if a.extra:
        item["reader:extra"] = dict(a.extra)
    return item


def _block_id(annotation_id: str, used: set[str]) -> str:
    """A block id unique in this file: the id's first 8 hex digits, more on a clash."""
    digits = re.sub("[^0-9a-f]", "", annotation_id.lower())
    if len(digits) < 8:
        digits = hashlib.sha1(annotation_id.encode("utf-8", "surrogatepass")).hexdigest()
    for size in range(8, len(digits) + 1, 4):
        if digits[:size] not in used:
            used.add(digits[:size])
            return digits[:size]
    n = 2
    while f"{digits}-{n}" in used:
        n += 1
    used.add(f"{digits}-{n}")
    return f"{digits}-{n}"


# Reading -------------------------------------------------------------------------------------


def _from_record(record: object, n: int) -> Annotation:
    if not isinstance(record, dict):
        raise ValueError(f"Annotation {n} in the file is not a JSON object.")
    try:
        return Annotation.from_record(record)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"Annotation {n} in the file is malformed ({str(error)[:80]}).") from None


def _w3c_items(document: object) -> list[Any]:
    """The annotations of a W3C collection, page, single annotation or list of them."""
    if isinstance(document, dict):
        kinds = _types(document)
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
    elif isinstance(document, list) and all(isinstance(i, dict) and _types(i) for i in document):
        return document  # each item's type is checked when it is read
    raise ValueError("The file is neither a reader annotation export nor W3C Web Annotation JSON.")


def _types(node: object) -> set[str]:
    if not isinstance(node, dict):
        return set()
    kind = node.get("type", node.get("@type"))
    kinds = kind if isinstance(kind, list) else [kind]
    return {k for k in kinds if isinstance(k, str)}


def _from_w3c(item: object, n: int) -> Annotation:
    if not isinstance(item, dict) or "Annotation" not in _types(item):
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
        article = unquote(source[len(_ARTICLE_URN) :]) if source.startswith(_ARTICLE_URN) else source
    extra = item.get("reader:extra")
    return Annotation(
        id=_w3c_id(item),
        article=article,
        title=_string(item.get("reader:title")),
        url="" if source.startswith(_ARTICLE_URN) else source,
        selectors=_w3c_selectors(item, target, n),
        note=_w3c_note(item),
        created=_string(item.get("created")),
        updated=_string(item.get("modified")),
        extra=extra if isinstance(extra, dict) else {},
    )


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


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


def _w3c_selectors(item: dict[str, Any], target: dict[str, Any], n: int) -> Selectors | None:
    raw = target.get("selector")
    if not raw:
        return None
    found = {kind: s for s in (raw if isinstance(raw, list) else [raw]) for kind in _types(s)}
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


def _w3c_note(item: dict[str, Any]) -> str:
    """The text of the commenting bodies (not tags and such), or ``bodyValue``."""
    value = item.get("bodyValue")
    if isinstance(value, str):
        return value
    bodies = item.get("body")
    bodies = bodies if isinstance(bodies, list) else [bodies]
    comments = [b for b in bodies if isinstance(b, dict) and b.get("purpose", "commenting") == "commenting"]
    return "\n\n".join(b["value"] for b in comments if isinstance(b.get("value"), str))


def _checked(a: Annotation, n: int) -> Annotation:
    """``a`` with its text cleaned, if its id, article and position make sense."""
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
    return replace(a, selectors=s, id=text["id"], article=text["article"], title=text["title"], url=text["url"],
                   note=text["note"], created=text["created"], updated=text["updated"])
