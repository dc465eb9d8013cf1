"""Tags on passages and articles: how a tag is cleaned and compared, and the tag view's counts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from reader.domain.articles.cleaning import clean_line

MAX_TAG = 64
"""The longest tag, in characters."""

_SPACES = re.compile(r"\s+")


class BadTag(ValueError):
    """A tag that cannot be used; ``str(error)`` is one sentence for the user."""


def clean_tag(tag: str) -> str:
    """A tag as stored: control characters removed, spaces collapsed, a leading ``#`` dropped.

    Raises ``BadTag`` for a tag that is empty after that or longer than ``MAX_TAG``.
    """
    text = _SPACES.sub(" ", clean_line(tag)).strip().lstrip("#").strip()
    if not text:
        raise BadTag("a tag cannot be empty")
    if len(text) > MAX_TAG:
        raise BadTag(f"a tag has at most {MAX_TAG} characters")
    return text


def tag_key(tag: str) -> str:
    """What two tags are compared by: ``Science`` and ``science`` are one tag."""
    return tag.casefold()


def merge_tags(tags: Iterable[str], add: Iterable[str] = (), remove: Iterable[str] = ()) -> tuple[str, ...]:
    """``tags`` with ``add`` appended and ``remove`` taken out, each tag once, first spelling kept."""
    gone = {tag_key(t) for t in remove}
    seen: set[str] = set()
    result: list[str] = []
    for tag in (*tags, *add):
        key = tag_key(tag)
        if key not in seen and key not in gone:
            seen.add(key)
            result.append(tag)
    return tuple(result)


def has_tags(tags: Iterable[str], wanted: Iterable[str]) -> bool:
    """True when ``tags`` include every tag in ``wanted`` (compared as ``tag_key`` does)."""
    keys = {tag_key(t) for t in tags}
    return all(tag_key(w) in keys for w in wanted)


@dataclass(frozen=True)
class TagCount:
    """One line of the tag view: a tag and how many passages and articles carry it."""

    tag: str
    passages: int
    articles: int

    def as_json(self) -> dict[str, object]:
        """The object ``reader tags --json`` prints."""
        return {"tag": self.tag, "passages": self.passages, "articles": self.articles}


def count_tags(passage_tags: Iterable[Iterable[str]], article_tags: Iterable[Iterable[str]]) -> list[TagCount]:
    """Every tag (its first spelling) with how many of each carry it, most used first, then by name."""
    spelling: dict[str, str] = {}
    counts: dict[str, list[int]] = {}
    for column, groups in ((0, passage_tags), (1, article_tags)):
        for tags in groups:
            for tag in merge_tags(tags):
                key = tag_key(tag)
                spelling.setdefault(key, tag)
                counts.setdefault(key, [0, 0])[column] += 1
    rows = [TagCount(spelling[key], *pair) for key, pair in counts.items()]
    return sorted(rows, key=lambda r: (-(r.passages + r.articles), tag_key(r.tag)))
