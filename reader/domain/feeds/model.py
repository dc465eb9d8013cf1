"""The values a parsed feed is made of: a feed, its items, and the error for what is not a feed.

Kept apart from the parsers so that each parser (``parsing``, ``jsonfeed``, ``rss_simple``)
imports these without importing another parser: no import circle.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Feed", "FeedError", "FeedItem"]


class FeedError(Exception):
    """A document that cannot be read as a feed; ``str(error)`` is one sentence for the user."""


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, cleaned: every string is safe to show, every link is http(s) or ''."""

    guid: str
    title: str
    link: str
    author: str = ""
    date: str = ""
    """Publication (or else update) time as ISO 8601 in UTC, or '' when the feed gives none."""
    summary_markdown: str = ""
    content_markdown: str = ""
    tags: tuple[str, ...] = ()
    enclosures: tuple[str, ...] = ()

    @property
    def body_markdown(self) -> str:
        """The fullest text the feed gives: the content, or else the summary."""
        return self.content_markdown or self.summary_markdown


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title, its home page and its items in document order."""

    title: str
    link: str
    items: tuple[FeedItem, ...]
    kind: str = ""
    """'rss', 'atom', 'json' or another feedparser version name."""
