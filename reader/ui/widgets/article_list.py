"""The sidebar: a virtual list of articles that renders only the rows on screen."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.domain.article import ArticleMeta
from reader.domain.grouping import UNGROUPED, Group

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
        self._rows: list[Row | Group] = []
        self.open_id: str | None = None

    @property
    def rows(self) -> list[Row]:
        """The article rows shown now (after filtering), without group headings."""
        return [row for row in self._rows if isinstance(row, Row)]

    @property
    def current(self) -> ArticleMeta | None:
        """The article under the cursor (``None`` on a group heading)."""
        row = self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None
        return row.meta if isinstance(row, Row) else None

    def set_rows(self, rows: list[Row | Group], keep: str | None = None) -> None:
        """Show these rows; keep the cursor on ``keep`` (an article id or a group name) if it is there."""
        self._rows = rows
        self.virtual_size = Size(self.size.width, len(rows) * ROW_HEIGHT)
        index = 0
        if keep:
            index = next((i for i, row in enumerate(rows) if _key(row) == keep), 0)
        if index == 0 and rows and isinstance(rows[0], Group) and len(rows) > 1 and not keep:
            index = 1
        self.cursor = min(index, max(0, len(rows) - 1))
        self.refresh()

    @property
    def current_key(self) -> str | None:
        """The id of the article, or the name of the group, under the cursor."""
        return _key(self._rows[self.cursor]) if 0 <= self.cursor < len(self._rows) else None

    def update_row(self, article: str, *, read: bool | None = None, annotations: int | None = None) -> None:
        """Change the read mark or the note count of one row."""
        for i, row in enumerate(self._rows):
            if isinstance(row, Row) and row.meta.id == article:
                self._rows[i] = Row(row.meta, row.read if read is None else read,
                                    row.annotations if annotations is None else annotations)
                if read and not row.read:
                    self._count_read(row.meta.group)
                self.refresh()
                return

    def _count_read(self, group: str) -> None:
        name = group or UNGROUPED
        for i, row in enumerate(self._rows):
            if isinstance(row, Group) and row.name == name:
                self._rows[i] = replace(row, unread=max(0, row.unread - 1))
                return

    def select_id(self, article: str) -> None:
        """Put the cursor on an article by id."""
        for i, row in enumerate(self._rows):
            if isinstance(row, Row) and row.meta.id == article:
                self.cursor = i
                return

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.scroll_to_region(Region(0, new * ROW_HEIGHT, 1, ROW_HEIGHT), animate=False, immediate=True)
        if self.current is not None and old != new:
            self.post_message(self.Highlighted(self.current))

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._rows) * ROW_HEIGHT)

    def action_move(self, delta: int) -> None:
        if self._rows:
            self.cursor = max(0, min(len(self._rows) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height // ROW_HEIGHT - 1))

    def action_edge(self, end: int) -> None:
        if self._rows:
            self.cursor = len(self._rows) - 1 if end else 0

    def action_choose(self) -> None:
        row = self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None
        if isinstance(row, Group):
            self.post_message(self.Toggled(row.name))
        elif row is not None:
            self.post_message(self.Chosen(row.meta))

    def on_click(self, event: events.Click) -> None:
        row = (event.y + int(self.scroll_y)) // ROW_HEIGHT
        if 0 <= row < len(self._rows):
            self.cursor = row
            if event.chain >= 2:
                self.action_choose()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index, line = divmod(y + int(self.scroll_y), ROW_HEIGHT)
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        row = self._rows[index]
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("article-list--cursor")
        if isinstance(row, Group):
            return self._group_line(row, base, width, line)
        if index != self.cursor and row.meta.id == self.open_id:
            base = base + self.get_component_rich_style("article-list--open")
        if line == 0:
            return self._title_line(row, base, width)
        return self._meta_line(row, base, width)

    def _group_line(self, group: Group, base: Style, width: int, line: int) -> Strip:
        if line == 0:
            mark = "▸ " if group.collapsed else "▾ "
            style = base + self.get_component_rich_style("article-list--group")
            counts = f"  {group.unread} unread" if group.unread else ""
            return Strip([Segment(f" {mark}{group.name}", style), Segment(counts, base + self.get_component_rich_style("article-list--meta"))]).adjust_cell_length(width, base)
        if group.error:
            style = base + self.get_component_rich_style("article-list--error")
            return Strip([Segment(f"   ⚠ {group.error}", style)]).adjust_cell_length(width, base)
        text = f"   {group.total} article{'s' if group.total != 1 else ''}"
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


def _key(row: Row | Group) -> str:
    return row.name if isinstance(row, Group) else row.meta.id
