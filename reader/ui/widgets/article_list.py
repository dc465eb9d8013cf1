"""The sidebar's list: a virtual list of group headings and articles that draws only the rows on
screen, from the immutable ``SidebarView`` it was given."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.domain.plural import plural
from reader.domain.articles.article import ArticleMeta
from reader.session.grouping import Group
from reader.session.sidebar import SidebarView

ROW_HEIGHT = 2


@dataclass(frozen=True)
class Row:
    """What the list shows for one article."""

    meta: ArticleMeta
    read: bool = False
    annotations: int = 0
    starred: bool = False


HAND_OVER_WAIT = 2.0
"""Seconds the list keeps keys typed after Enter for the article being opened."""


class ArticleList(ScrollView, can_focus=True):
    """Two lines per row: a heading (name, unread; size or feed error) or an article (headline;
    a star, group, date and note count), newest first."""

    COMPONENT_CLASSES = {
        "article-list--title", "article-list--unread", "article-list--meta", "article-list--cursor",
        "article-list--open", "article-list--group", "article-list--error",
    }
    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False, tooltip="Next row of the list", id="list.down"),
        Binding("k,up", "move(-1)", "Up", show=False, tooltip="Previous row of the list", id="list.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="A page down the list", id="list.pagedown"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="A page up the list", id="list.pageup"),
        Binding("g,home", "first", "First", show=False, tooltip="First article", id="list.first"),
        Binding("G,end", "last", "Last", show=False, tooltip="Last row", id="list.last"),
        Binding("enter", "choose", "Open", tooltip="Open the article and read it", id="list.open"),
        Binding("enter", "toggle_group('collapse')", "Collapse", tooltip="On a heading: collapse its group", id="list.collapse"),
        Binding("enter", "toggle_group('expand')", "Expand", tooltip="On a collapsed heading: expand its group", id="list.expand"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Chosen(Message):
        """The user asked to open an article."""

        meta: ArticleMeta

    @dataclass
    class Toggled(Message):
        """The user asked to collapse or expand a group."""

        group: str

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto an article."""

        meta: ArticleMeta

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view = SidebarView()
        self._rows: tuple[Row, ...] | None = None
        self._kind = "article"
        self.open_id: str | None = None
        """The article open in the reading pane (drawn as such when the cursor is elsewhere)."""
        self._typed_ahead: list[events.Key] | None = None
        """Keys typed after Enter chose an article and before it took the focus (``Enter b``)."""

    @property
    def view(self) -> SidebarView:
        """What the list shows."""
        return self._view

    @property
    def rows(self) -> tuple[Row, ...]:
        """The article rows shown now (after filtering), without headings; one tuple per view."""
        if self._rows is None:
            view = self._view
            self._rows = tuple(Row(item, view.is_read(item.id), view.annotations(item.id), view.is_starred(item.id))
                               for item in view.rows if isinstance(item, ArticleMeta))
        return self._rows

    @property
    def article_count(self) -> int:
        """How many articles are shown now."""
        return self._view.shown

    @property
    def current(self) -> ArticleMeta | None:
        """The article under the cursor (``None`` on a heading)."""
        return self._view.article(self.cursor)

    @property
    def current_heading(self) -> Group | None:
        """The heading under the cursor (``None`` on an article)."""
        rows = self._view.rows
        item = rows[self.cursor] if 0 <= self.cursor < len(rows) else None
        return item if isinstance(item, Group) else None

    @property
    def current_key(self) -> str | None:
        """The id of the article, or the name of the group, under the cursor."""
        heading = self.current_heading
        current = self.current
        return heading.name if heading is not None else current.id if current is not None else None

    def keep_key(self, newest_on_top: bool = True) -> str | None:
        """What to keep the cursor on when the rows change: the row under the cursor; on the first
        article, if ``newest_on_top``, nothing (so a growing listing shows its newest)."""
        if newest_on_top and self.cursor == self._view.first_article():
            return None
        return self.current_key

    def show(self, view: SidebarView) -> None:
        """Draw a new view; new rows put the cursor on ``view.cursor`` (else the first article)."""
        before, same_rows = self.current_key, view.rows is self._view.rows
        self._view = view
        self._rows = None
        self._size_rows(self.size)
        if not same_rows:
            index = view.cursor if view.cursor is not None else view.first_article()
            index = min(index, max(0, len(view.rows) - 1))
            if index == self.cursor and self.current is not None and self.current_key != before:
                self.post_message(self.Highlighted(self.current))  # the same row, another article
            self.cursor = index
        self.refresh()

    def select_id(self, article: str) -> None:
        """Put the cursor on an article by id (if it is shown)."""
        row = self._view.row_of(article)
        if row is not None:
            self.cursor = row

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        heading = self.current_heading
        kind = "article" if heading is None else "collapsed" if heading.collapsed else "expanded"
        if kind != self._kind:  # Enter opens, collapses or expands: the footer says which
            self._kind = kind
            self.refresh_bindings()
        self._scroll_to_row(new)
        if self.current is not None and old != new:
            self.post_message(self.Highlighted(self.current))

    def _scroll_to_row(self, index: int) -> None:
        """Scroll just enough to show a row, by whole rows (no headline cut off at the top)."""
        shown = self.size.height // ROW_HEIGHT * ROW_HEIGHT
        if not shown:
            self.scroll_to_region(Region(0, index * ROW_HEIGHT, 1, ROW_HEIGHT), animate=False, immediate=True)
            return
        top, y = index * ROW_HEIGHT, int(self.scroll_y)
        y = top if top < y else top + ROW_HEIGHT - shown if top + ROW_HEIGHT > y + shown else y
        self.scroll_to(y=y, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self._size_rows(event.size)

    def _size_rows(self, size: Size) -> None:
        """As tall as the rows, and a blank line under them when the view is an odd number of lines
        high, so that scrolling by whole rows reaches the last."""
        self.virtual_size = Size(size.width, len(self._view.rows) * ROW_HEIGHT + size.height % ROW_HEIGHT)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return self.current is not None
        if action == "toggle_group":
            heading = self.current_heading
            return heading is not None and heading.collapsed == (parameters == ("expand",))
        return True

    def action_move(self, delta: int) -> None:
        if self._view.rows:
            self.cursor = max(0, min(len(self._view.rows) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height // ROW_HEIGHT - 1))

    def action_first(self) -> None:
        if self._view.rows:
            self.cursor = self._view.first_article()

    def action_last(self) -> None:
        if self._view.rows:
            self.cursor = len(self._view.rows) - 1

    def action_choose(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current))

    def on_key(self, event: events.Key) -> None:
        """A key typed after Enter, before the article it chose took the focus, is for that
        article: kept, and sent on once it has the focus. (Textual queues each key for the widget
        focused when it arrives, and runs a binding only once the key has passed through it, so
        ``Enter b`` typed together gave ``b`` to the list before Enter had chosen anything.)"""
        if self._typed_ahead is not None:
            event.stop()
            event.prevent_default()
            self._typed_ahead.append(event)
        elif event.key == "enter" and self.current is not None:  # it goes on to choose (action_choose)
            self._typed_ahead = []
            self.set_timer(HAND_OVER_WAIT, self._hand_over)

    def on_blur(self) -> None:
        self._hand_over()

    def _hand_over(self) -> None:
        """Send the keys typed ahead to whatever has the focus now (the list itself, when the
        article could not be opened in ``HAND_OVER_WAIT`` seconds)."""
        keys, self._typed_ahead = self._typed_ahead or [], None
        for key in keys:
            self.app.post_message(events.Key(key.key, key.character))

    def action_toggle_group(self, which: str) -> None:
        heading = self.current_heading
        if heading is not None:
            self.post_message(self.Toggled(heading.name))

    def on_click(self, event: events.Click) -> None:
        row = (event.y + int(self.scroll_y)) // ROW_HEIGHT
        if 0 <= row < len(self._view.rows):
            self.cursor = row
            if event.chain >= 2:
                if self.current is not None:
                    self.action_choose()
                else:
                    self.action_toggle_group("")

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width  # beside the scrollbar, when there is one
        index, line = divmod(y + int(self.scroll_y), ROW_HEIGHT)
        view = self._view
        if index >= len(view.rows):
            return Strip.blank(width, self.rich_style)
        item = view.rows[index]
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("article-list--cursor")
        if isinstance(item, Group):
            return self._group_line(item, base, width, line)
        if index != self.cursor and item.id == self.open_id:
            base = base + self.get_component_rich_style("article-list--open")
        row = Row(item, view.is_read(item.id), view.annotations(item.id), view.is_starred(item.id))
        return self._title_line(row, base, width) if line == 0 else self._meta_line(row, base, width)

    def _part(self, component: str) -> Style:
        """A component's colour and weight without its background, so the row's (the cursor's) shows."""
        full = self.get_component_rich_style(component)  # its colour blended as the theme means it
        return Style.from_color(full.color) + full.without_color

    def _styled(self, text: str, base: Style, component: str) -> Segment:
        return Segment(text, base + self._part(component))

    @staticmethod
    def _fitted(segments: list[Segment], base: Style, width: int) -> Strip:
        """One line of the list: padded to the width, or cut with ``…`` where it runs over."""
        strip = Strip(segments)
        if strip.cell_length <= width:
            return strip.adjust_cell_length(width, base)
        cut = list(strip.crop(0, max(0, width - 1)))
        if cut and cut[-1].text != cut[-1].text.rstrip():  # "Phone,…", not "Phone, …"
            cut[-1] = Segment(cut[-1].text.rstrip(), cut[-1].style)
        return Strip([*cut, Segment("…", cut[-1].style if cut else base)]).adjust_cell_length(width, base)

    def _cut_before(self, text: str, tail: str, base: Style, width: int) -> str:
        """``text`` cut with ``…`` where it would push ``tail`` (a count that stays in sight) off the line."""
        room = max(8, width - cell_len(tail))
        return self._fitted([Segment(text)], base, room).text if cell_len(text) > room else text

    def _group_line(self, group: Group, base: Style, width: int, line: int) -> Strip:
        if line == 0:
            unread = self._view.unread(group)
            count = f"  {unread:,} unread" if unread else ""
            name = self._cut_before(f" {'▸' if group.collapsed else '▾'} {group.name}", count, base, width)
            segments = [self._styled(name, base, "article-list--group"), self._styled(count, base, "article-list--meta")]
        elif group.error:
            segments = [self._styled(f"   ⚠ {group.error}", base, "article-list--error")]
        else:
            segments = [self._styled(f"   {plural(group.total, 'article')}", base, "article-list--meta")]
        return self._fitted(segments, base, width)

    def _title_line(self, row: Row, base: Style, width: int) -> Strip:
        title_style = base + self._part("article-list--title")
        if not row.read:
            title_style = title_style + Style(bold=True)
        mark = self._styled(" ● " if not row.read else "   ", base, "article-list--unread")
        return self._fitted([mark, Segment(row.meta.title, title_style)], base, width)

    def _meta_line(self, row: Row, base: Style, width: int) -> Strip:
        meta = row.meta
        parts = [p for p in (meta.group, meta.date[:10]) if p]  # no date: none (the header says when it was added)
        count = f"{' · ' if parts else ''}✎ {row.annotations}" if row.annotations else ""
        details = self._cut_before(f"   {'★ ' if row.starred else ''}" + " · ".join(parts), count, base, width)
        return self._fitted([self._styled(details + count, base, "article-list--meta")], base, width)
