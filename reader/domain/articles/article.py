"""What an article is: metadata for the list, and a body loaded only when it is opened."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WORDS_PER_MINUTE = 230


def article_id(root_label: str, relative_path: str) -> str:
    """A stable id: the same for the same library-relative path, on every run and machine."""
    import hashlib  # OpenSSL's module loads with the first id a scan makes, not with the first frame

    key = f"{root_label}/{relative_path}".encode("utf-8", "surrogatepass")
    return hashlib.sha1(key).hexdigest()[:12]


def reading_minutes(words: int) -> int:
    """Minutes to read ``words`` at an ordinary pace (at least one)."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


@dataclass(frozen=True)
class Parsed:
    """What a format parser found in one file, before the library gives it an id."""

    title: str
    body: str
    section: str = ""
    author: str = ""
    date: str = ""
    source: str = ""
    url: str = ""
    tags: tuple[str, ...] = ()
    plain: str | None = None
    """The body's plain-text projection when the parser already knows it (plain-text files)."""


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """Everything the sidebar, the filter and the CLI list need, without the body."""

    id: str
    path: str
    title: str
    section: str = ""
    author: str = ""
    date: str = ""
    source: str = ""
    url: str = ""
    tags: tuple[str, ...] = ()
    words: int = 0
    format: str = "text"
    mtime: float = 0.0
    size: int = 0
    sort_key: str = field(default="", compare=False)

    @property
    def minutes(self) -> int:
        """Estimated reading time in minutes."""
        return reading_minutes(self.words)

    @property
    def shown_date(self) -> str:
        """The date to show: the article's own, else labelled as the day it was added (a file's
        modification time is not the date of what it tells)."""
        if self.date:
            return self.date[:10]
        return f"added {self.sort_key[:10]}" if self.sort_key else ""

    @property
    def group(self) -> str:
        """The sidebar group: the source (a feed) or the section of a local file."""
        return self.source or self.section

    def as_json(self) -> dict[str, object]:
        """The object ``reader list --json`` prints."""
        return {
            "id": self.id,
            "title": self.title,
            "section": self.section,
            "source": self.source,
            "author": self.author,
            "date": self.date,
            "url": self.url,
            "tags": list(self.tags),
            "words": self.words,
            "reading_minutes": self.minutes,
            "path": self.path,
        }


@dataclass(frozen=True)
class Article:
    """An opened article: its metadata and its Markdown body."""

    meta: ArticleMeta
    body: str

    @property
    def id(self) -> str:
        """The article's stable id."""
        return self.meta.id

    @property
    def title(self) -> str:
        """The headline."""
        return self.meta.title
