"""The sidebar's order: articles grouped by feed (or section), or by their server category when
they came through an account; groups by their newest article."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from itertools import compress, repeat
from operator import contains, or_
from typing import Callable, Iterable, Mapping, Sequence

from reader.domain.articles.article import ArticleMeta

UNGROUPED = "Other"

Columns = tuple[list[ArticleMeta], list[str], "list[str] | Callable[[], list[str]]"]
"""One group's articles, their ids and their haystacks (or what makes them), index for index."""


def _kept(items: list[str], mask: list[bool]) -> list[str]:
    return list(compress(items, mask))


@dataclass(frozen=True)
class Group:
    """A group heading: its name, how many articles it has, how many are unread, its feed error."""

    name: str
    total: int
    unread: int
    error: str | None = None
    collapsed: bool = False


def group_of(meta: ArticleMeta, categories: Mapping[str, str]) -> str:
    """The group an article is listed under: its account category, else its feed, else its section."""
    return categories.get(meta.id) or meta.source or meta.section or UNGROUPED


def haystack(meta: ArticleMeta) -> str:
    """What the sidebar filter matches against: title, section and source, case-folded."""
    return f"{meta.title}\n{meta.section}\n{meta.source}".casefold()


class Grouping:
    """The groups of one listing, worked out once, so that each filter keystroke is one pass."""

    def __init__(self, articles: Sequence[ArticleMeta], categories: Mapping[str, str] | None = None) -> None:
        self.names: list[str] = []
        members: dict[str, list[ArticleMeta]] = {}
        categories = categories or {}
        for meta in articles:
            name = group_of(meta, categories)
            bucket = members.get(name)
            if bucket is None:
                bucket = members[name] = []
                self.names.append(name)
            bucket.append(meta)
        self.members = [members[name] for name in self.names]
        self.ids = [[m.id for m in group] for group in self.members]
        self.hays = [[haystack(m) for m in group] for group in self.members]
        self._all: list[Columns] = list(zip(self.members, self.ids, self.hays))
        self._last: tuple[str, list[Columns]] = ("", self._all)
        self.found: int | None = None
        """After ``rows(..., find=...)``: the row of what was looked for, or ``None``."""

    def _title_matches(self, needle: str) -> list[Columns]:
        """Per group, the articles whose title, section or source has ``needle``.

        Typing one more letter narrows the last answer instead of looking at every article again
        (whatever has the longer needle has the shorter one too). Each pass runs in C.
        """
        last_needle, last = self._last
        found: list[Columns] = []
        for members, ids, hays in last if last_needle and last_needle in needle else self._all:
            if callable(hays):
                hays = hays()
            mask = list(map(contains, hays, repeat(needle)))
            # the matches' haystacks only if a next letter narrows them: not on this keystroke
            found.append((list(compress(members, mask)), list(compress(ids, mask)), partial(_kept, hays, mask)))
        self._last = (needle, found)
        return found

    def rows(
        self,
        read: set[str] | frozenset[str],
        needle: str = "",
        also: set[str] | frozenset[str] | None = None,
        collapsed: Iterable[str] = (),
        errors: Mapping[str, str] | None = None,
        find: str | None = None,
    ) -> tuple[list[Group | ArticleMeta], int]:
        """Headings and articles in display order, and how many articles that is.

        With a ``needle`` (already case-folded), only articles whose title, section or source has
        it, or whose id is in ``also`` (matches in the body or the notes). A collapsed group shows
        its heading only. ``errors`` maps a group name (a feed title) to its feed's last error; a
        failing feed with no articles at all still gets its heading. ``found`` is then the row
        of ``find`` (an article id or a group name), or ``None`` when it is not shown.
        """
        folded = set(collapsed)
        errors = errors or {}
        result: list[Group | ArticleMeta] = []
        count = 0
        found: int | None = None
        columns = self._title_matches(needle) if needle and not also else self._all
        for name, (members, ids, hays) in zip(self.names, columns):
            if needle and also:  # the body and note matches too, in list order (one pass in C)
                texts = hays() if callable(hays) else hays  # the whole columns here: always lists
                mask = list(map(or_, map(contains, texts, repeat(needle)), map(also.__contains__, ids)))
                items, keys = list(compress(members, mask)), list(compress(ids, mask))
            else:
                items, keys = members, ids
            if not items:
                continue
            count += len(items)
            unread = len(keys) - len(read.intersection(keys))
            if find is not None and found is None:  # looked up in C, not row by row
                if name == find:
                    found = len(result)
                elif name not in folded and find in keys:
                    found = len(result) + 1 + keys.index(find)
            result.append(Group(name, len(items), unread, errors.get(name), name in folded))
            if name not in folded:
                result.extend(items)
        known = set(self.names)
        for name, error in errors.items():
            if name not in known:
                if name == find and found is None:
                    found = len(result)
                result.append(Group(name, 0, 0, error, name in folded))
        self.found = found
        return result, count


def group_articles(
    articles: Sequence[ArticleMeta],
    read: set[str] | frozenset[str],
    collapsed: Iterable[str] = (),
    errors: Mapping[str, str] | None = None,
    categories: Mapping[str, str] | None = None,
) -> list[Group | ArticleMeta]:
    """Headings and articles in display order; ``articles`` must already be newest first."""
    return Grouping(articles, categories).rows(read, "", None, collapsed, errors)[0]
