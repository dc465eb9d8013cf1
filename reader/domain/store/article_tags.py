"""Tags on whole articles: the ``article_tags`` table, read and changed as plain records.

A record is ``{"article": id, "tags": [...], "updated": time}`` keyed by the article id; an
article whose last tag is removed loses its record. Records of a shape this version cannot read
are ignored when reading and replaced only when the article's tags are changed.
"""

from __future__ import annotations

from typing import Any, Callable

TABLE = "article_tags"
"""The table's name in the store."""

Record = dict[str, Any]


def readable(record: Record) -> bool:
    """True for a record with an article id and a list of string tags."""
    tags = record.get("tags")
    return isinstance(record.get("article"), str) and isinstance(tags, list) and all(isinstance(t, str) for t in tags)


def tags_by_article(records: list[Record]) -> dict[str, tuple[str, ...]]:
    """The tags of every tagged article in ``records``."""
    return {r["article"]: tuple(r["tags"]) for r in records if readable(r) and r["tags"]}


def changed(old: Record | None, article: str, change: Callable[[tuple[str, ...]], tuple[str, ...]],
            now: str) -> tuple[Record | None, tuple[str, ...]]:
    """The record after ``change`` (``None``: delete it) and the article's new tags."""
    before = tuple(old["tags"]) if old is not None and readable(old) else ()
    tags = tuple(change(before))
    if not tags:
        return None, tags
    return {**(old or {}), "article": article, "tags": list(tags), "updated": now}, tags
