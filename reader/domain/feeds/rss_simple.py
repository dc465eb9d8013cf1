"""RSS 2.0 documents of the usual shape read with expat alone, for speed.

feedparser spends some 130 us an item on bookkeeping for the dozens of formats and extensions it
knows. Most feeds are RSS 2.0 with a handful of familiar elements: :func:`read_simple_rss` walks
such a document with expat and returns each element's raw text, and returns None for anything
else (another element or namespace, an attribute it does not know, a repeated field, nesting, any
XML error) so that feedparser reads it instead. :mod:`reader.domain.feeds.parsing` applies feedparser's
own text rules to the result; a differential test holds the two paths equal.
"""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass, field
from xml.parsers import expat

__all__ = ["SimpleRss", "read_simple_rss"]

_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
_ATOM = "http://www.w3.org/2005/atom"  # namespaces are compared in lower case, as feedparser does
_SY = "http://purl.org/rss/1.0/modules/syndication/"
_SLASH = "http://purl.org/rss/1.0/modules/slash/"
_WFW = "http://wellformedweb.org/commentapi/"

# Text elements of an item: (namespace, lower-case name) -> field; None is read and ignored.
_ITEM_TEXT: dict[tuple[str, str], str | None] = {
    ("", "title"): "title", ("", "link"): "link", ("", "description"): "description", ("", "guid"): "guid",
    ("", "pubdate"): "pubdate", ("", "author"): "author", (_DC, "creator"): "author", (_DC, "date"): "dcdate",
    (_CONTENT, "encoded"): "content", ("", "category"): "category", ("", "comments"): None,
    (_SLASH, "comments"): None, (_WFW, "commentrss"): None, (_WFW, "comment"): None,
}
_CHANNEL_TEXT: dict[tuple[str, str], str | None] = {
    ("", "title"): "title", ("", "link"): "link", **{
        ("", name): None for name in ("description", "language", "copyright", "managingeditor", "webmaster",
                                      "pubdate", "lastbuilddate", "generator", "docs", "ttl", "category")
    }, **{(_SY, name): None for name in ("updateperiod", "updatefrequency", "updatebase")},
}
_IMAGE_TEXT = frozenset(("", name) for name in ("title", "url", "link", "width", "height", "description"))
_ATTRIBUTES = {("", "guid"): {"ispermalink"}, ("", "category"): {"domain"}}
_ENCLOSURE = {"url", "length", "type"}


@dataclass
class SimpleRss:
    """An RSS 2.0 document's raw text: the channel's title and link (None when absent) and, per
    item, each field's text as the document had it. Categories are (domain or None, text) pairs;
    enclosures are the ``url`` attributes; ``permalink`` is the guid's isPermaLink reading."""

    title: str | None = None
    link: str | None = None
    items: list[dict[str, Any]] = field(default_factory=list)


class _Unsupported(Exception):
    """The document is not of the simple shape; feedparser must read it."""


def _attributes(attrs: dict[str, str], allowed: set[str] | frozenset[str]) -> dict[str, str]:
    """``attrs`` with lower-case names (as feedparser keys them), if every one is allowed."""
    lowered = {name.lower(): value for name, value in attrs.items()}
    if len(lowered) != len(attrs) or not lowered.keys() <= allowed:
        raise _Unsupported
    return lowered


def read_simple_rss(data: bytes) -> SimpleRss | None:
    """The raw text of an RSS 2.0 document (UTF-8, prolog already removed) of the simple shape,
    or None when feedparser must read it."""
    result = SimpleRss()
    stack: list[str] = []  # "rss", "channel", "item", "image", "text", "empty"
    text: list[str] = []
    target: list[Any] = [None, None]  # where the current text element's text goes: (container, field)
    item: dict[str, Any] = {}
    seen: set[str] = set()

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal item
        space, _, local = name.rpartition(" ")
        key = (space.lower(), local.lower())
        parent = stack[-1] if stack else ""
        if parent == "channel":
            if key == ("", "item"):
                if attrs:
                    raise _Unsupported
                item = {"categories": [], "enclosures": []}
                result.items.append(item)
                stack.append("item")
                return
            if key in _CHANNEL_TEXT:
                _attributes(attrs, _ATTRIBUTES.get(key, set()))
                field = _CHANNEL_TEXT[key]
                if field is not None and getattr(result, field) is not None:
                    raise _Unsupported
                open_text(result, field)
                return
            if key == ("", "image") and not attrs:
                stack.append("image")
                return
            if key == ("", "cloud"):
                stack.append("empty")
                return
            if key == (_ATOM, "link"):
                lowered = _attributes(attrs, {"rel", "href", "type"})
                if not lowered.get("href") or lowered.get("rel", "alternate").lower() == "alternate":
                    raise _Unsupported  # an alternate link would set the channel's link
                stack.append("empty")
                return
            raise _Unsupported
        if parent == "item":
            if key in _ITEM_TEXT:
                lowered = _attributes(attrs, _ATTRIBUTES.get(key, set()))
                field = _ITEM_TEXT[key]
                if field == "category":
                    item["categories"].append([lowered.get("domain"), ""])
                    open_text(item["categories"][-1], 1)
                    return
                if field is not None and field in item:
                    raise _Unsupported
                if field == "guid":
                    item["permalink"] = lowered.get("ispermalink", "true") == "true"
                open_text(item, field)
                return
            if key == ("", "enclosure"):
                url = _attributes(attrs, _ENCLOSURE).get("url")
                if url:
                    item["enclosures"].append(url)
                stack.append("empty")
                return
            raise _Unsupported
        if parent == "image" and key in _IMAGE_TEXT and not attrs:
            open_text(None, None)
            return
        if parent == "rss" and key == ("", "channel") and not attrs and "channel" not in seen:
            seen.add("channel")
            stack.append("channel")
            return
        if not stack and key == ("", "rss") and attrs.keys() <= {"version"}:
            stack.append("rss")
            return
        raise _Unsupported

    def open_text(where: object, field: object) -> None:
        stack.append("text")
        text.clear()
        target[0], target[1] = where, field

    def end(_name: str) -> None:
        if stack.pop() == "text" and target[1] is not None:
            where, field = target
            value = "".join(text)
            if isinstance(where, SimpleRss):
                setattr(where, field, value)
            else:
                where[field] = value
        target[0] = target[1] = None

    def characters(data: str) -> None:
        if stack and stack[-1] == "text":
            text.append(data)

    parser = expat.ParserCreate("utf-8", " ")  # the encoding overrides any declaration
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    try:
        parser.Parse(data, True)
    except (_Unsupported, expat.ExpatError, ValueError):
        return None
    return result if "channel" in seen else None


def _refuse(*_args: object) -> None:
    raise _Unsupported
