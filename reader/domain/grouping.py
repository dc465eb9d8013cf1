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


def haystack(meta: ArticleMeta) -> str:
    """What the sidebar filter matches against: title, section and source, case-folded."""
    return f"{meta.title}\n{meta.section}\n{meta.source}".casefold()


class Grouping:
    """The groups of one listing, worked out once, so that each filter keystroke is one pass."""

    def __init__(self, articles: Sequence[ArticleMeta]) -> None:
        self.names: list[str] = []
        members: dict[str, list[ArticleMeta]] = {}
        for meta in articles:
            name = meta.source or meta.section or UNGROUPED
            bucket = members.get(name)
            if bucket is None:
                bucket = members[name] = []
                self.names.append(name)
            bucket.append(meta)
        self.members = [members[name] for name in self.names]
        self.ids = [[m.id for m in group] for group in self.members]
        self.hays = [[haystack(m) for m in group] for group in self.members]

    def rows(
        self,
        read: set[str],
        needle: str = "",
        also: set[str] | None = None,
        collapsed: Iterable[str] = (),
        errors: Mapping[str, str] | None = None,
    ) -> tuple[list[Group | ArticleMeta], int]:
        """Headings and articles in display order, and how many articles that is.

        With a ``needle`` (already case-folded), only articles whose title, section or source has
        it, or whose id is in ``also`` (matches in the body or the notes). A collapsed group shows
        its heading only. ``errors`` maps a group name (a feed title) to its feed's last error; a
        failing feed with no articles at all still gets its heading.
        """
        folded = set(collapsed)
        errors = errors or {}
        result: list[Group | ArticleMeta] = []
        count = 0
        for name, members, ids, hays in zip(self.names, self.members, self.ids, self.hays):
            if needle:
                items = [m for m, h in zip(members, hays) if needle in h or (also and m.id in also)]
                keys = [m.id for m in items]
            else:
                items, keys = members, ids
            if not items:
                continue
            count += len(items)
            unread = len(keys) - len(read.intersection(keys))
            result.append(Group(name, len(items), unread, errors.get(name), name in folded))
            if name not in folded:
                result.extend(items)
        known = set(self.names)
        for name, error in errors.items():
            if name not in known:
                result.append(Group(name, 0, 0, error, name in folded))
        return result, count


def group_articles(
    articles: Sequence[ArticleMeta],
    read: set[str],
    collapsed: Iterable[str] = (),
    errors: Mapping[str, str] | None = None,
) -> list[Group | ArticleMeta]:
    """Headings and articles in display order; ``articles`` must already be newest first."""
    return Grouping(articles).rows(read, "", None, collapsed, errors)[0]
