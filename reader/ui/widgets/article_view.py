"""The main pane: headline, metadata line, and the body as Markdown, one page of blocks at a time.

A long article mounts the page with the passage cursor first and the rest after the first paint,
so opening it never waits for every block to be built.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Markdown, Static

from reader.domain.article import Article
from reader.domain.markdown import Projection, make_parser, source_of
from reader.domain.pages import paginate, page_of


@dataclass(frozen=True)
class Opened:
    """An article ready to show: the article, its projection and where the cursor starts."""

    article: Article
    projection: Projection
    cursor: int


class ArticleView(VerticalScroll, can_focus=True):
    """Shows one article and a passage cursor that moves from block to block."""

    BINDINGS = [
        Binding("j,down", "move(1)", "Next", tooltip="Move the passage cursor to the next block", id="article.down"),
        Binding("k,up", "move(-1)", "Previous", show=False, tooltip="Move the passage cursor to the previous block", id="article.up"),
        Binding("space,pagedown", "page(1)", "Page", show=False, tooltip="Page down", id="article.pagedown"),
        Binding("shift+space,pageup", "page(-1)", "Page up", show=False, tooltip="Page up", id="article.pageup"),
        Binding("g,home", "top", "Top", show=False, tooltip="First block", id="article.top"),
        Binding("G,end", "bottom", "Bottom", show=False, tooltip="Last block", id="article.bottom"),
    ]

    cursor: reactive[int] = reactive(-1, init=False)

    @dataclass
    class CursorMoved(Message):
        """The passage cursor is on a new block."""

        article: str
        block: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.opened: Opened | None = None
        self._pages: list[tuple[int, int]] = []
        self._mounted: list[bool] = []
        self._widgets: list[Widget | None] = []
        self._generation = 0

    def compose(self):
        yield Static(id="headline", markup=False)
        yield Static(id="meta", markup=False)
        yield Vertical(id="pages")

    @property
    def article(self) -> Article | None:
        """The article shown now."""
        return self.opened.article if self.opened else None

    def block_widget(self, index: int) -> Widget | None:
        """The widget that renders block ``index``, if its page is mounted."""
        return self._widgets[index] if 0 <= index < len(self._widgets) else None

    async def show(self, opened: Opened) -> None:
        """Replace what is shown; returns when the page holding the cursor is on screen."""
        self._generation += 1
        generation = self._generation
        self.opened = opened
        meta = opened.article.meta
        blocks = opened.projection.blocks
        self.query_one("#headline", Static).update(Content(meta.title))
        parts = [p for p in (meta.section, meta.source if meta.source != meta.section else "", meta.author,
                             (meta.date or meta.sort_key)[:10], f"{meta.minutes} min read") if p]
        self.query_one("#meta", Static).update(Content(" · ".join(parts)))
        pages = self.query_one("#pages", Vertical)
        await pages.remove_children()
        self._pages = paginate(blocks)
        self._mounted = [False] * len(self._pages)
        self._widgets = [None] * len(blocks)
        self.scroll_home(animate=False)
        if not blocks:
            await pages.mount(Static(Content("This article has no text."), classes="empty"))
            self.cursor = -1
            return
        target = page_of(self._pages, opened.cursor)
        for index in range(target + 1):
            await self._mount_page(index)
        self.set_reactive(ArticleView.cursor, -1)
        self.cursor = max(0, min(opened.cursor, len(blocks) - 1))
        self._mount_rest(generation)

    async def _mount_page(self, index: int) -> None:
        if self._mounted[index] or self.opened is None:
            return
        self._mounted[index] = True
        first, last = self._pages[index]
        body, projection = self.opened.article.body, self.opened.projection
        page = Markdown(parser_factory=make_parser, open_links=False, classes="page")
        await self.query_one("#pages", Vertical).mount(page)
        await page.update(source_of(body, projection, first, last))
        for offset, child in enumerate(page.children):
            if first + offset <= last:
                self._widgets[first + offset] = child
        self.refresh_marks(first, last)

    @work(exclusive=True, group="pages")
    async def _mount_rest(self, generation: int) -> None:
        for index in range(len(self._pages)):
            if generation != self._generation:
                return
            await self._mount_page(index)

    async def ensure_all(self) -> None:
        """Mount every page now (before jumping to the end)."""
        for index in range(len(self._pages)):
            await self._mount_page(index)

    def refresh_marks(self, first: int, last: int) -> None:
        """Re-apply cursor and selection classes to blocks ``first..last``."""
        for index in range(first, last + 1):
            widget = self.block_widget(index)
            if widget is not None:
                widget.set_class(index == self.cursor, "-cursor")

    def watch_cursor(self, old: int, new: int) -> None:
        for index in (old, new):
            widget = self.block_widget(index)
            if widget is not None:
                widget.set_class(index == new, "-cursor")
        widget = self.block_widget(new)
        if widget is not None:
            self.call_after_refresh(self.scroll_to_widget, widget, animate=False)
        if self.opened is not None and new >= 0:
            self.post_message(self.CursorMoved(self.opened.article.id, new))

    def _text_blocks(self) -> list[int]:
        if self.opened is None:
            return []
        return [b.index for b in self.opened.projection.blocks if b.text]

    def action_move(self, delta: int) -> None:
        blocks = self._text_blocks()
        if not blocks:
            return
        if delta > 0:
            after = [i for i in blocks if i > self.cursor and self.block_widget(i) is not None]
            if after:
                self.cursor = after[0]
            else:
                self.scroll_down(animate=False)
        else:
            before = [i for i in blocks if i < self.cursor]
            if before:
                self.cursor = before[-1]
            else:
                self.scroll_home(animate=False)

    def action_page(self, direction: int) -> None:
        blocks = self._text_blocks()
        if not blocks or self.cursor < 0:
            return
        budget = max(1, self.scrollable_content_region.height - 2)
        index = self.cursor
        step = 1 if direction > 0 else -1
        used = 0
        while 0 <= index + step < len(self._widgets):
            widget = self.block_widget(index + step)
            if widget is None:
                break
            used += widget.outer_size.height + 1
            if used > budget and index != self.cursor:
                break
            index += step
        while index not in blocks and 0 < index < len(self._widgets) - 1:
            index += step
        self.cursor = index
        widget = self.block_widget(index)
        if widget is not None:
            self.call_after_refresh(self.scroll_to_widget, widget, animate=False, top=direction > 0)

    def action_top(self) -> None:
        blocks = self._text_blocks()
        if blocks:
            self.cursor = blocks[0]
        self.scroll_home(animate=False)

    async def action_bottom(self) -> None:
        await self.ensure_all()
        blocks = self._text_blocks()
        if blocks:
            self.cursor = blocks[-1]
        self.call_after_refresh(self.scroll_end, animate=False)
