"""Feed documents (RSS, Atom, JSON Feed) turned into clean, frozen values.

The only module that imports feedparser. Input is always bytes, never a path or URL. Before
feedparser sees a document its prolog is removed, so no DTD, entity declaration or external
reference can reach either of its parsers (no XXE, no billion laughs, no quadratic blow-up).
Every text field is cleaned; links and enclosures that are not http(s) are dropped.
"""

from __future__ import annotations

import html
import re
import time
from datetime import datetime, timezone
from typing import Any

import feedparser
from feedparser.datetimes import _parse_date
from feedparser.encodings import convert_to_utf8
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urifixer, make_safe_absolute_uri

from reader.domain.articles.cleaning import clean_line
from reader.domain.articles.htmlconv import html_to_markdown, html_to_text, join_url, safe_url
from reader.domain.feeds.model import Feed, FeedError, FeedItem
from reader.domain.feeds.rss_simple import SimpleRss, read_simple_rss

__all__ = ["MAX_FEED_BYTES", "Feed", "FeedError", "FeedItem", "neutralise_prolog", "parse_feed"]

MAX_FEED_BYTES = 10 * 1024 * 1024
"""Largest document :func:`parse_feed` accepts; the fetcher caps downloads at the same size."""

_UTF8_BOM = b"\xef\xbb\xbf"
_XML_DECL = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\?>")
# Inside a <!DOCTYPE ...>: quoted strings and comments are skipped whole; brackets and '>' count.
_DECL_TOKENS = re.compile(rb"\"[^\"]*\"|'[^']*'|<!--.*?-->|[\[\]>]", re.DOTALL)
_ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)


def parse_feed(data: bytes, content_type: str = "", url: str = "") -> Feed:
    """Parse an RSS 2.0, Atom 1.0 or JSON Feed 1.x document given as bytes.

    ``content_type`` (the HTTP header, if any) helps tell JSON from XML; ``url`` is the address
    the document came from, used to resolve relative links. Raises :class:`FeedError` with a
    one-line message for anything that is not a readable feed.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("parse_feed takes bytes")
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"The feed is larger than {MAX_FEED_BYTES // (1024 * 1024)} MB.")
    data = bytes(data)
    if _looks_like_json(data, content_type):
        from reader.domain.feeds.jsonfeed import parse_json_feed  # only for JSON documents

        return parse_json_feed(data, url)
    try:
        return _parse_xml(data, content_type, url)
    except FeedError:
        raise
    except Exception as error:  # feedparser raises odd things on hostile input
        raise FeedError(f"The feed could not be parsed ({type(error).__name__}).") from None


def _looks_like_json(data: bytes, content_type: str) -> bool:
    """True for a JSON Feed: a document that starts with '{', or a JSON content type and no '<'."""
    head = data[:64].removeprefix(_UTF8_BOM).lstrip()
    if head.startswith((b"{", b"<")):
        return head.startswith(b"{")
    return "json" in content_type.lower()


def _skip_declaration(data: bytes, start: int) -> int:
    """The offset just past the ``<!...>`` declaration at ``start``, internal subset included."""
    depth = 0
    for token in _DECL_TOKENS.finditer(data, start + 2):
        mark = token.group(0)
        if mark == b"[":
            depth += 1
        elif mark == b"]":
            depth = max(0, depth - 1)
        elif mark == b">" and depth == 0:
            return token.end()
    raise FeedError("The document ends inside a declaration; it is not a feed.")


def neutralise_prolog(data: bytes) -> bytes:
    """Drop everything before the root element except the XML declaration.

    Removes the DOCTYPE with its internal subset (entity declarations, external DTDs), comments
    and processing instructions, so no parser ever sees a DTD. Input and output are UTF-8.
    """
    decl = _XML_DECL.match(data)
    pos = decl.end() if decl else 0
    while True:
        pos = data.find(b"<", pos)
        if pos < 0:
            raise FeedError("The document has no XML root element; it is not a feed.")
        if data.startswith(b"<?", pos):
            end = data.find(b"?>", pos + 2)
            pos = end + 2 if end >= 0 else len(data)
        elif data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos + 4)
            pos = end + 3 if end >= 0 else len(data)
        elif data.startswith(b"<!", pos):
            pos = _skip_declaration(data, pos)
        else:
            break
    body = data[pos:]
    if _ENTITY_DECL.search(body):
        raise FeedError("The feed declares XML entities, which reader refuses.")
    return (decl.group(0) if decl else b"") + b"\n" + body


def _parse_xml(data: bytes, content_type: str, url: str) -> Feed:
    """Transcode to UTF-8, strip the prolog, and let feedparser read the rest."""
    headers = {"content-type": content_type or "application/xml"}
    result: dict[str, Any] = {}
    utf8 = convert_to_utf8(headers, data, result)
    if not result.get("encoding"):
        utf8 = data.decode("utf-8", "replace").encode("utf-8")
    utf8 = neutralise_prolog(utf8)
    quirks = _Quirks.for_url(url)
    simple = read_simple_rss(utf8) if quirks is not None else None
    if quirks is not None and simple is not None:
        return _simple_feed(simple, quirks, url)
    response_headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        response_headers["content-location"] = url
    # Our own converter sanitises and resolves links (htmlconv); feedparser's passes would only
    # triple the parsing time.
    parsed = feedparser.parse(utf8, response_headers=response_headers, sanitize_html=False,
                              resolve_relative_uris=False)
    version = str(parsed.get("version") or "")
    if not version and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = clean_line(str(reason))[:120] if reason else "no feed elements found"
        raise FeedError(f"The document is not an RSS or Atom feed ({detail}).")
    kind = "atom" if version.startswith("atom") else "rss" if version.startswith("rss") else version
    return _feed(parsed.feed, parsed.entries, url, kind)


def _feed(meta: Any, entries: Any, url: str, kind: str) -> Feed:
    """A :class:`Feed` from feedparser's (or the simple reader's) channel and entries."""
    base = url or str(meta.get("link") or "")
    return Feed(
        title=_text_field(meta, "title"),
        link=safe_url(meta.get("link"), url or None) or "",
        items=tuple(_xml_item(entry, base) for entry in entries),
        kind=kind,
    )


_ENTITY_IN_LINK = re.compile("&([A-Za-z0-9_]+);")


def _finish_text(value: str) -> str:
    """feedparser's last steps for every text: undo UTF-8 read as Latin-1, map cp1252 controls."""
    if value.isascii():
        return value
    try:
        value = value.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return value.translate(_cp1252)


class _Quirks:
    """feedparser's rules for an element's text (its strict parser, for the elements that
    :mod:`reader.domain.feeds.rss_simple` reads), so both paths give the same :class:`Feed`."""

    def __init__(self, base: str) -> None:
        self.base = base

    @classmethod
    def for_url(cls, url: str) -> _Quirks | None:
        """The rules for a document fetched from ``url``; None in the odd case where feedparser's
        base address would drift from element to element (then feedparser must read it)."""
        if not url:
            return cls("")
        once = make_safe_absolute_uri(url, url) or url
        return cls(once) if (make_safe_absolute_uri(once, once) or once) == once else None

    @staticmethod
    def text(raw: str) -> str:
        """Stripped, a UTF-8 text once decoded as Latin-1 repaired, cp1252 controls mapped."""
        return _finish_text(raw.strip())

    def uri(self, raw: str) -> str:
        """A link-like element's text, resolved against the document's address."""
        value = raw.strip()
        if value:
            try:
                value = join_url(self.base, _urifixer.sub(r"\1\3", value))
            except ValueError:
                value = ""
        return _finish_text(value)

    @staticmethod
    def detail(raw: str, kind: str) -> dict[str, str]:
        """A text construct: its value and type (plain text that looks like HTML is HTML)."""
        value = raw.strip()
        if kind == "text/plain" and _FeedParserMixin.looks_like_html(value):
            kind = "text/html"
        return {"type": kind, "value": _finish_text(value)}

    def entry(self, raw: dict[str, Any]) -> dict[str, Any]:
        """One simple item as the entry feedparser would have made of it."""
        entry: dict[str, Any] = {}
        if "title" in raw:
            entry["title_detail"] = detail = self.detail(raw["title"], "text/plain")
            entry["title"] = detail["value"]
        if "description" in raw:
            entry["summary_detail"] = self.detail(raw["description"], "text/html")
        if "content" in raw:
            entry["content"] = [self.detail(raw["content"], "text/html")]
        if "guid" in raw:
            entry["id"] = self.uri(raw["guid"]) if raw["permalink"] else self.text(raw["guid"])
        if "link" in raw:
            entry["link"] = _ENTITY_IN_LINK.sub(r"&\g<1>", self.uri(raw["link"]).replace("&amp;", "&"))
        elif raw.get("permalink"):
            entry["link"] = entry["id"]
        if "author" in raw:
            entry["author"] = self.text(raw["author"])
        if "pubdate" in raw:
            entry["published_parsed"] = _parse_date(self.text(raw["pubdate"]))
        if "dcdate" in raw:
            entry["updated_parsed"] = _parse_date(self.text(raw["dcdate"]))
        tags: list[list[str | None]] = []
        for domain, text in raw["categories"]:
            if domain and [None, domain] not in tags:
                tags.append([None, domain])
            value = self.text(text)
            if value and tags and not tags[-1][0]:
                tags[-1][0] = value
            elif value and [value, None] not in tags:
                tags.append([value, None])
        entry["tags"] = [{"term": term} for term, _scheme in tags]
        entry["links"] = [{"rel": "enclosure", "href": url} for url in raw["enclosures"]]
        return entry


def _simple_feed(simple: SimpleRss, quirks: _Quirks, url: str) -> Feed:
    """A :class:`Feed` from an RSS document read by :func:`read_simple_rss`."""
    meta: dict[str, Any] = {}
    if simple.title is not None:
        meta["title_detail"] = detail = quirks.detail(simple.title, "text/plain")
        meta["title"] = detail["value"]
    if simple.link is not None:
        meta["link"] = _ENTITY_IN_LINK.sub(r"&\g<1>", quirks.uri(simple.link))
    # A generator: each entry is converted right after it is made, while its link is still cached.
    return _feed(meta, (quirks.entry(raw) for raw in simple.items), url, "rss")


def _text_field(node: Any, name: str) -> str:
    """A title-like field as one plain line, whether the feed typed it as text or HTML."""
    value = node.get(name)
    if not isinstance(value, str):
        return ""
    detail = node.get(f"{name}_detail") or {}
    if "html" in str(detail.get("type", "")):
        return html_to_text(value)
    return clean_line(value)


def _detail_markdown(detail: Any, base: str) -> str:
    """Markdown from a feedparser text construct, converting HTML and escaping plain text."""
    value = detail.get("value") if hasattr(detail, "get") else None
    if not isinstance(value, str) or not value.strip():
        return ""
    if "html" not in str(detail.get("type", "text/html")):
        value = html.escape(value).replace("\n\n", "<p>")
    return html_to_markdown(value, base_url=base or None)


def _iso_date(struct: Any) -> str:
    """A feedparser UTC ``struct_time`` as ISO 8601, or '' if absent or impossible."""
    if not isinstance(struct, time.struct_time):
        return ""
    try:
        return datetime(*struct[:6], tzinfo=timezone.utc).isoformat()
    except (ValueError, OverflowError):
        return ""


def _xml_item(entry: Any, base: str) -> FeedItem:
    """A feedparser entry as a :class:`FeedItem`."""
    link = safe_url(entry.get("link"), base or None) or ""
    summary = _detail_markdown(entry.get("summary_detail") or {}, base)
    contents = entry.get("content") or []
    content = _detail_markdown(contents[0], base) if contents else ""
    enclosures = tuple(
        url
        for extra in entry.get("links") or []
        if extra.get("rel") == "enclosure" and (url := safe_url(extra.get("href")))
    )
    tags = tuple(t for tag in entry.get("tags") or [] if (t := clean_line(str(tag.get("term") or ""))))
    return FeedItem(
        guid=clean_line(str(entry.get("id") or "")),
        title=_text_field(entry, "title"),
        link=link,
        author=clean_line(str(entry.get("author") or "")),
        date=_iso_date(entry.get("published_parsed") or dict.get(entry, "updated_parsed")),  # (no deprecated alias)
        summary_markdown=summary,
        content_markdown=content if content != summary else "",
        tags=tags,
        enclosures=enclosures,
    )
