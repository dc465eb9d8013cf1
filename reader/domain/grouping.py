"""The sidebar's order: articles grouped by feed (or section), groups by their newest article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from reader.domain.article import ArticleMeta

UNGROUPED = "Other"


@dataclass(frozen=True)
class Group:
    """A group heading: its name, how many articles it has, how many are unread, its feed error."""

    name: str
    total: int
    unread: int
    error: str | None = None
    collapsed: bool = False


def group_articles(
    articles: Sequence[ArticleMeta],
    read: set[str],
    collapsed: Iterable[str] = (),
    errors: Mapping[str, str] | None = None,
) -> list[Group | ArticleMeta]:
    """Headings and articles in display order; ``articles`` must already be newest first.

    A collapsed group shows its heading only. ``errors`` maps a group name (a feed title) to
    the last error of its feed.
    """
    folded = set(collapsed)
    errors = errors or {}
    members: dict[str, list[ArticleMeta]] = {}
    for meta in articles:
        members.setdefault(meta.group or UNGROUPED, []).append(meta)
    result: list[Group | ArticleMeta] = []
    for name, items in members.items():
        unread = sum(1 for m in items if m.id not in read)
        result.append(Group(name, len(items), unread, errors.get(name), name in folded))
        if name not in folded:
            result.extend(items)
    for name, error in errors.items():
        if name not in members:
            result.append(Group(name, 0, 0, error, name in folded))
    return result
