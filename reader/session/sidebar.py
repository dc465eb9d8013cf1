"""The sidebar's state: the listing, read and starred marks, annotation counts, the filter, failing
feeds, account categories and collapsed groups, given out as one immutable ``SidebarView`` for the library pane to draw.

Everything here is plain state on the caller's thread; loading it is ``LibraryLoader``'s work.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Mapping

from reader.domain.plural import plural
from reader.domain.articles.article import ArticleMeta
from reader.domain.articles.library import Listing
from reader.session.grouping import Group, Grouping, group_of, haystack

Row = Group | ArticleMeta
"""One row of the sidebar: a group heading or an article."""

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class SidebarView:
    """What the library pane shows: the rows in order and what to draw on each (all read-only).

    ``cursor`` is the row of the article (or heading) the screen asked to keep, ``None`` when it
    is not shown (the pane then puts its cursor on the first article). ``read`` is ``None``
    until the store has answered: then no article is drawn as unread.
    """

    rows: tuple[Row, ...] = ()
    shown: int = 0
    cursor: int | None = None
    read: frozenset[str] | None = None
    counts: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    read_since: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    status: str = ""
    starred: frozenset[str] = frozenset()

    def is_starred(self, article: str) -> bool:
        """Whether an article is drawn as starred."""
        return article in self.starred

    def is_read(self, article: str) -> bool:
        """Whether an article is drawn as read."""
        return True if self.read is None else article in self.read

    def annotations(self, article: str) -> int:
        """How many bookmarks and notes an article has."""
        return self.counts.get(article, 0)

    def unread(self, group: Group) -> int:
        """A heading's unread count, less the articles read since the rows were built."""
        return max(0, group.unread - self.read_since.get(group.name, 0))

    def article(self, row: int) -> ArticleMeta | None:
        """The article on a row (``None`` on a heading or past the end)."""
        item = self.rows[row] if 0 <= row < len(self.rows) else None
        return item if isinstance(item, ArticleMeta) else None

    def first_article(self) -> int:
        """The row of the first article (0 when there is none)."""
        return next((i for i, item in enumerate(self.rows) if isinstance(item, ArticleMeta)), 0)

    def row_of(self, article: str) -> int | None:
        """The row of an article, if it is shown."""
        return next((i for i, item in enumerate(self.rows) if isinstance(item, ArticleMeta) and item.id == article), None)

    def articles(self, limit: int) -> list[ArticleMeta]:
        """The first ``limit`` articles shown, for the command palette."""
        found: list[ArticleMeta] = []
        for item in self.rows:
            if isinstance(item, ArticleMeta):
                found.append(item)
                if len(found) == limit:
                    break
        return found


def status_line(total: int, shown: int, unread: int, skipped: int) -> str:
    """The line under the list: how many articles, how many shown and unread, how many skipped."""
    text = f"{plural(total, 'article')} · {unread:,} unread"
    if shown != total:
        text = f"{shown:,} of {total:,} shown · {unread:,} unread"
    if skipped:
        text += f" · {skipped:,} skipped"  # short: the sidebar is narrow, and the notice names them
    return text


class Sidebar:
    """The state behind the sidebar; each change is answered by ``view()`` or a cheaper update."""

    def __init__(self) -> None:
        self._listing = Listing((), ())
        self._grouping = Grouping(())
        self._by_id: dict[str, ArticleMeta] | None = None
        self._read: frozenset[str] | None = None
        self._read_here: frozenset[str] = frozenset()  # marked read before the store's marks arrived
        self._starred: frozenset[str] = frozenset()
        self._categories: Mapping[str, str] = _EMPTY
        self._unread = 0
        self._counts: Mapping[str, int] = _EMPTY
        self._errors: Mapping[str, str] = _EMPTY
        self._collapsed: frozenset[str] = frozenset()
        self._query = ""
        self._matches: tuple[str, frozenset[str]] = ("", frozenset())
        self._view = SidebarView()

    # -- what it holds ----------------------------------------------------------------------

    @property
    def articles(self) -> tuple[ArticleMeta, ...]:
        """Every listed article, newest first, ignoring the filter."""
        return self._listing.articles

    @property
    def listing(self) -> Listing:
        """The listing shown."""
        return self._listing

    @property
    def query(self) -> str:
        """The filter as typed."""
        return self._query

    @property
    def collapsed(self) -> frozenset[str]:
        """The names of the collapsed groups."""
        return self._collapsed

    @property
    def current(self) -> SidebarView:
        """The last view given out."""
        return self._view

    def find(self, article: str) -> ArticleMeta | None:
        """A listed article by id."""
        if self._by_id is None:
            self._by_id = {meta.id: meta for meta in self._listing.articles}
        return self._by_id.get(article)

    # -- changes ------------------------------------------------------------------------------

    def set_listing(self, listing: Listing) -> None:
        """A new listing (a scan, a feed refresh, another process's change)."""
        self._listing = listing
        self._grouping = Grouping(listing.articles, self._categories)
        self._by_id = None
        self._count_unread()

    def set_marks(self, read: frozenset[str], counts: Mapping[str, int]) -> None:
        """The store's read marks and annotation counts (copied: nobody else holds them)."""
        self._read = frozenset(read) | self._read_here
        self._counts = MappingProxyType(dict(counts))
        self._count_unread()

    def forget_own_marks(self) -> None:
        """Drop the read marks made here that the store has not taken (it is read-only); the
        next ``set_marks`` shows the stored ones alone."""
        self._read_here = frozenset()

    def set_starred(self, starred: frozenset[str]) -> None:
        """The store's starred articles."""
        self._starred = frozenset(starred)

    def set_categories(self, categories: Mapping[str, str]) -> None:
        """Article id to its server category, for the articles an account brought (their group)."""
        if categories != self._categories:
            self._categories = MappingProxyType(dict(categories))
            self._grouping = Grouping(self._listing.articles, self._categories)

    def star(self, article: str, starred: bool) -> SidebarView:
        """An article was starred or unstarred here: the view with its mark."""
        self._starred = self._starred | {article} if starred else self._starred - {article}
        self._view = replace(self._view, starred=self._starred)
        return self._view

    def set_errors(self, errors: Mapping[str, str]) -> None:
        """Each failing feed's last error, by group name (the feed's title)."""
        self._errors = MappingProxyType(dict(errors))

    def set_collapsed(self, groups: frozenset[str]) -> None:
        """Which groups are collapsed (as saved)."""
        self._collapsed = frozenset(groups)

    def toggle(self, group: str) -> frozenset[str]:
        """Collapse an expanded group or expand a collapsed one; the groups collapsed now."""
        self._collapsed = self._collapsed ^ {group}
        return self._collapsed

    def set_query(self, query: str) -> None:
        """The filter as typed."""
        self._query = query

    def add_matches(self, query: str, ids: frozenset[str]) -> bool:
        """Articles whose text or notes match ``query``; ``False`` if the filter has changed since."""
        if query != self._query:
            return False
        self._matches = (query, frozenset(ids))
        return True

    def view(self, keep: str | None = None) -> SidebarView:
        """The rows for the state now, with ``cursor`` on ``keep`` (an article id or group name)."""
        needle = self._query.strip().casefold()
        also = self._matches[1] if self._matches[0] == self._query and needle else None
        read = self._read if self._read is not None else frozenset()
        items, count = self._grouping.rows(read, needle, also or None, self._collapsed,
                                           self._errors, find=keep)
        self._view = SidebarView(tuple(items), count, self._grouping.found, self._read, self._counts,
                                 _EMPTY, self._status(count), self._starred)
        return self._view

    def mark_read(self, article: str) -> SidebarView | None:
        """An article was read: the view with its mark and its group's count; ``None`` if it was read."""
        if self._read is not None and article in self._read:
            return None
        self._read_here = self._read_here | {article}
        if self._read is not None:
            self._read = self._read | {article}
        self._unread = max(0, self._unread - 1)
        view = self._view
        since = view.read_since
        meta = self.find(article)
        if meta is not None and self._shown(meta):
            name = group_of(meta, self._categories)
            since = MappingProxyType({**since, name: since.get(name, 0) + 1})
        self._view = replace(view, read=self._read, read_since=since, status=self._status(view.shown))
        return self._view

    def set_count(self, article: str, count: int) -> SidebarView | None:
        """An article's annotation count changed here: the view with it, or ``None`` if unchanged."""
        if self._counts.get(article, 0) == count:
            return None
        self._counts = MappingProxyType({**self._counts, article: count})
        self._view = replace(self._view, counts=self._counts)
        return self._view

    def neighbour(self, article: str | None, step: int) -> ArticleMeta | None:
        """The article ``step`` articles after (or before) ``article`` among those shown, headings
        skipped; from an article that is not shown, the first (or last) one."""
        rows = self._view.rows
        start = self._view.row_of(article) if article is not None else None
        if start is None:
            order = rows if step > 0 else reversed(rows)
            return next((item for item in order if isinstance(item, ArticleMeta)), None)
        index, remaining = start, abs(step)
        direction = 1 if step > 0 else -1
        while remaining:
            index += direction
            if not 0 <= index < len(rows):
                return None
            if isinstance(rows[index], ArticleMeta):
                remaining -= 1
        found = rows[index]
        return found if isinstance(found, ArticleMeta) else None

    # -- inside -----------------------------------------------------------------------------

    def _count_unread(self) -> None:
        read = self._read if self._read is not None else self._read_here
        self._unread = sum(1 for meta in self._listing.articles if meta.id not in read)

    def _shown(self, meta: ArticleMeta) -> bool:
        """Whether the filter now lets an article through (so its heading counts it)."""
        needle = self._query.strip().casefold()
        if not needle:
            return True
        return needle in haystack(meta) or (self._matches[0] == self._query and meta.id in self._matches[1])

    def _status(self, shown: int) -> str:
        return status_line(len(self._listing.articles), shown, self._unread, len(self._listing.skipped))
