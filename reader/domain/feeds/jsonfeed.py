"""JSON Feed 1.0 and 1.1 documents read with the standard json module into :class:`Feed` values.

Every field is type-checked (a hostile feed may put a list where a string belongs), cleaned, and
its links filtered to http(s), exactly as the XML path does.
"""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from typing import Any

from reader.domain.articles.cleaning import clean_line
from reader.domain.feeds.model import Feed, FeedError, FeedItem
from reader.domain.articles.htmlconv import html_to_markdown, safe_url

__all__ = ["parse_json_feed"]

_VERSION_PREFIX = "https://jsonfeed.org/version/"


def parse_json_feed(data: bytes, url: str = "") -> Feed:
    """Parse a JSON Feed document; raise :class:`FeedError` if it is not one."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FeedError("The document is not valid JSON.") from None
    if not isinstance(doc, dict) or not _str(doc.get("version")).startswith(_VERSION_PREFIX):
        raise FeedError("The JSON document is not a JSON Feed (no jsonfeed.org version).")
    home = safe_url(_str(doc.get("home_page_url")), url or None) or ""
    base = url or home
    raw_items = doc.get("items")
    items = tuple(
        _item(raw, base) for raw in (raw_items if isinstance(raw_items, list) else []) if isinstance(raw, dict)
    )
    return Feed(title=clean_line(_str(doc.get("title"))), link=home, items=items, kind="json")


def _str(value: Any) -> str:
    """``value`` if it is a string, else '' (numbers are accepted for ids)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _iso(value: Any) -> str:
    """An RFC 3339 date as ISO 8601 in UTC, or '' when it does not parse."""
    text = _str(value).strip()
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def _author(raw: dict[str, Any]) -> str:
    """The names of the item's authors (1.1 ``authors``, or 1.0 ``author``), comma-separated."""
    people = raw.get("authors")
    if not isinstance(people, list):
        people = [raw.get("author")]
    names = [clean_line(_str(p.get("name"))) for p in people if isinstance(p, dict)]
    return ", ".join(n for n in names if n)


def _item(raw: dict[str, Any], base: str) -> FeedItem:
    """One JSON Feed item as a :class:`FeedItem`."""
    link = safe_url(_str(raw.get("url")), base or None) or safe_url(_str(raw.get("external_url"))) or ""
    if _str(raw.get("content_html")).strip():
        content = html_to_markdown(_str(raw["content_html"]), base_url=link or base or None)
    else:
        text = html.escape(_str(raw.get("content_text"))).replace("\n\n", "<p>")
        content = html_to_markdown(text)
    summary_text = html.escape(_str(raw.get("summary")))
    summary = html_to_markdown(summary_text)
    tags = raw.get("tags")
    attachments = raw.get("attachments")
    return FeedItem(
        guid=clean_line(_str(raw.get("id"))),
        title=clean_line(_str(raw.get("title"))),
        link=link,
        author=_author(raw),
        date=_iso(raw.get("date_published")) or _iso(raw.get("date_modified")),
        summary_markdown=summary,
        content_markdown=content if content != summary else "",
        tags=tuple(t for tag in (tags if isinstance(tags, list) else []) if (t := clean_line(_str(tag)))),
        enclosures=tuple(
            u
            for a in (attachments if isinstance(attachments, list) else [])
            if isinstance(a, dict) and (u := safe_url(_str(a.get("url"))))
        ),
    )
