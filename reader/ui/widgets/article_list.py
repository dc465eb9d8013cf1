"""The sidebar: a virtual list of articles that renders only the rows on screen."""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.domain.articles.article import ArticleMeta
from reader.session.grouping import UNGROUPED, Group

ROW_HEIGHT = 2


@dataclass(frozen=True)
class Row:
    """What the list shows for one article."""

    meta: ArticleMeta
    read: bool = False
    annotations: int = 0


class ArticleList(ScrollView, can_focus=True):
    """Two lines per article (headline; group, date and note count), newest first."""

    COMPONENT_CLASSES = {
        "article-list--title",
        "article-list--unread",
        "article-list--meta",
        "article-list--cursor",
        "article-list--open",
        "article-list--group",
        "article-list--error",
    }
    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False, tooltip="Next article in the list", id="list.down"),
        Binding("k,up", "move(-1)", "Up", show=False, tooltip="Previous article in the list", id="list.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="A page down the list", id="list.pagedown"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="A page up the list", id="list.pageup"),
        Binding("g,home", "edge(0)", "First", show=False, tooltip="First article", id="list.first"),
        Binding("G,end", "edge(1)", "Last", show=False, tooltip="Last article", id="list.last"),
        Binding("enter", "choose", "Open", tooltip="Open the article and read it", id="list.open"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Chosen(Message):
        """The user asked to open an article."""

        meta: ArticleMeta

    @dataclass
    class Toggled(Message):
        """The user asked to fold or unfold a group."""

        group: str

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto an article."""

        meta: ArticleMeta

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: list[ArticleMeta | Group] = []
        self._read: Container[str] | None = None
        self._counts: Mapping[str, int] = {}
        self._rows: list[Row] | None = None
        self._article_count = 0
        self._read_since: dict[str, int] = {}  # group name → articles read since ``set_rows``
        self.open_id: str | None = None

    @property
    def rows(self) -> list[Row]:
        """The article rows shown now (after filtering), without group headings."""
        if self._rows is None:
            self._rows = [Row(item, self._is_read(item.id), self._counts.get(item.id, 0))
                          for item in self._items if not isinstance(item, Group)]
        return self._rows

    @property
    def article_count(self) -> int:
        """How many articles are shown now."""
        return self._article_count

    def has_article(self, article: str) -> bool:
        """Whether an article is among the rows shown now."""
        return any(not isinstance(item, Group) and item.id == article for item in self._items)

    def first_articles(self, count: int) -> list[ArticleMeta]:
        """The first few articles shown, for the command palette."""
        found: list[ArticleMeta] = []
        for item in self._items:
            if not isinstance(item, Group):
                found.append(item)
                if len(found) == count:
                    break
        return found

    def _is_read(self, article: str) -> bool:
        return True if self._read is None else article in self._read

    @property
    def current(self) -> ArticleMeta | None:
        """The article under the cursor (``None`` on a group heading)."""
        item = self._items[self.cursor] if 0 <= self.cursor < len(self._items) else None
        return None if item is None or isinstance(item, Group) else item

    def set_rows(self, items: list[ArticleMeta | Group], at: int | None = None, *,
                 read: Container[str] | None = None, counts: Mapping[str, int] | None = None,
                 count: int | None = None) -> None:
        """Show these articles and headings with the cursor on row ``at`` (``None``: the first article).

        ``read`` and ``counts`` are looked up as rows are drawn (``read=None``: no unread marks
        yet), so a change to them shows after ``refresh()`` without rebuilding the rows.
        """
        before = self.current_key
        self._items = items
        self._article_count = count if count is not None else sum(1 for i in items if type(i) is not Group)
        self._read = read
        self._counts = counts if counts is not None else {}
        self._rows = None
        self._read_since = {}
        self.virtual_size = Size(self.size.width, len(items) * ROW_HEIGHT)
        index = at if at is not None else 1 if len(items) > 1 and isinstance(items[0], Group) else 0
        index = min(index, max(0, len(items) - 1))
        if index == self.cursor and self.current is not None and self.current_key != before:
            self.post_message(self.Highlighted(self.current))  # same row, another article
        self.cursor = index
        self.refresh()

    @property
    def current_key(self) -> str | None:
        """The id of the article, or the name of the group, under the cursor."""
        return _key(self._items[self.cursor]) if 0 <= self.cursor < len(self._items) else None

    def mark_read(self, article: ArticleMeta) -> None:
        """The article was just read: one fewer unread in its group (the read set is shared)."""
        name = article.group or UNGROUPED
        self._read_since[name] = self._read_since.get(name, 0) + 1  # the heading subtracts it as it is drawn
        self._rows = None
        self.refresh()

    def counts_changed(self) -> None:
        """Annotation counts changed (the mapping is shared): draw again."""
        self._rows = None
        self.refresh()

    def select_id(self, article: str) -> None:
        """Put the cursor on an article by id."""
        for i, item in enumerate(self._items):
            if not isinstance(item, Group) and item.id == article:
                self.cursor = i
                return

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.scroll_to_region(Region(0, new * ROW_HEIGHT, 1, ROW_HEIGHT), animate=False, immediate=True)
        if self.current is not None and old != new:
            self.post_message(self.Highlighted(self.current))

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._items) * ROW_HEIGHT)

    def action_move(self, delta: int) -> None:
        if self._items:
            self.cursor = max(0, min(len(self._items) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height // ROW_HEIGHT - 1))

    def action_edge(self, end: int) -> None:
        if self._items:
            self.cursor = len(self._items) - 1 if end else 0

    def action_choose(self) -> None:
        item = self._items[self.cursor] if 0 <= self.cursor < len(self._items) else None
        if isinstance(item, Group):
            self.post_message(self.Toggled(item.name))
        elif item is not None:
            self.post_message(self.Chosen(item))

    def on_click(self, event: events.Click) -> None:
        row = (event.y + int(self.scroll_y)) // ROW_HEIGHT
        if 0 <= row < len(self._items):
            self.cursor = row
            if event.chain >= 2:
                self.action_choose()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index, line = divmod(y + int(self.scroll_y), ROW_HEIGHT)
        if index >= len(self._items):
            return Strip.blank(width, self.rich_style)
        item = self._items[index]
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("article-list--cursor")
        if isinstance(item, Group):
            return self._group_line(item, base, width, line)
        row = Row(item, self._is_read(item.id), self._counts.get(item.id, 0))
        if index != self.cursor and item.id == self.open_id:
            base = base + self.get_component_rich_style("article-list--open")
        if line == 0:
            return self._title_line(row, base, width)
        return self._meta_line(row, base, width)

    def _group_line(self, group: Group, base: Style, width: int, line: int) -> Strip:
        if line == 0:
            mark = "▸ " if group.collapsed else "▾ "
            style = base + self.get_component_rich_style("article-list--group")
            unread = max(0, group.unread - self._read_since.get(group.name, 0))
            counts = f"  {unread:,} unread" if unread else ""
            return Strip([Segment(f" {mark}{group.name}", style), Segment(counts, base + self.get_component_rich_style("article-list--meta"))]).adjust_cell_length(width, base)
        if group.error:
            style = base + self.get_component_rich_style("article-list--error")
            return Strip([Segment(f"   ⚠ {group.error}", style)]).adjust_cell_length(width, base)
        text = f"   {group.total:,} article{'s' if group.total != 1 else ''}"
        return Strip([Segment(text, base + self.get_component_rich_style("article-list--meta"))]).adjust_cell_length(width, base)

    def _title_line(self, row: Row, base: Style, width: int) -> Strip:
        mark_style = base + self.get_component_rich_style("article-list--unread")
        title_style = base + self.get_component_rich_style("article-list--title")
        if not row.read:
            title_style = title_style + Style(bold=True)
        mark = " ● " if not row.read else "   "
        segments = [Segment(mark, mark_style), Segment(row.meta.title, title_style)]
        return Strip(segments).adjust_cell_length(width, base)

    def _meta_line(self, row: Row, base: Style, width: int) -> Strip:
        meta = row.meta
        parts = [p for p in (meta.group, (meta.date or meta.sort_key)[:10]) if p]
        if row.annotations:
            parts.append(f"✎ {row.annotations}")
        text = "   " + " · ".join(parts)
        style = base + self.get_component_rich_style("article-list--meta")
        return Strip([Segment(text, style)]).adjust_cell_length(width, base)


def _key(item: ArticleMeta | Group) -> str:
    return item.name if isinstance(item, Group) else item.id
