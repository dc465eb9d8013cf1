"""The article: headline, metadata line and the body as Markdown, one page of blocks at a time,
with the passage cursor and the bookmarks drawn on it.

A long article mounts the page with the passage cursor first and the rest after the first paint,
so opening it never waits for every block to be built.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from textual import events, work
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from reader.session.cursor import PassageCursor, next_text_block, text_blocks
from reader.session.passages import Highlight
from reader.session.reading import OpenArticle
from reader.ui.widgets.article_header import ArticleHeader
from reader.ui.widgets.page_stack import Built, PageStack

if TYPE_CHECKING:
    from reader.ui.widgets.marks import Decorations


class ArticleView(VerticalScroll, can_focus=True, inherit_bindings=False):
    """Shows one article and a passage cursor that moves from block to block (the reading pane
    has the keys that move it)."""

    cursor: reactive[int] = reactive(-1, init=False)

    @dataclass
    class CursorMoved(Message):
        """The passage cursor is on a new block."""

        article: str
        block: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.opened: OpenArticle | None = None
        self.extent: int | None = None
        self.sentence: int | None = None
        self.marks: tuple[Highlight, ...] = ()
        self._filling = False
        self._showing = asyncio.Lock()

    def compose(self):
        yield ArticleHeader(id="header")
        yield PageStack(id="pages")

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", self._scrolled, init=False)

    @cached_property
    def _decorations(self) -> Decorations:
        """What draws the marks on the blocks (made with the first marks drawn: it loads Textual's Markdown)."""
        from reader.ui.widgets.marks import Decorations

        return Decorations()

    @property
    def stack(self) -> PageStack:
        """The pages of the body."""
        return self.query_one(PageStack)

    def block_widget(self, index: int) -> Widget | None:
        """The widget that renders block ``index``, if its page is built."""
        widgets = self.stack.widgets
        return widgets[index] if 0 <= index < len(widgets) else None

    # -- what is shown ----------------------------------------------------------------------

    async def show(self, opened: OpenArticle) -> None:
        """Replace what is shown; returns when the page holding the cursor is on screen.

        One article is mounted at a time: the next waits for the mount in progress (callers are
        not cancelled mid-mount, which left widgets that never finished their messages).
        """
        async with self._showing:
            await self._replace(opened)

    async def _replace(self, opened: OpenArticle) -> None:
        self.workers.cancel_group(self, "pages")
        self.opened, self.extent, self.sentence = None, None, None
        self.marks = opened.passages.highlights()
        stack = self.stack
        stack.set_pictures(opened.pictures)
        await stack.reset(opened.article.body, opened.projection, stack.size.width or self.scrollable_content_region.width or 80)
        if stack.body is not opened.article.body:
            return  # another article was shown meanwhile
        self.opened = opened
        self.query_one(ArticleHeader).show_article(opened.article.meta)
        self.scroll_home(animate=False, immediate=True)
        self.set_reactive(ArticleView.cursor, -1)
        blocks = opened.projection.blocks
        if not blocks:
            await stack.mount(Static(Content("This article has no text."), classes="empty"))
            return
        cursor = max(0, min(opened.cursor, len(blocks) - 1))
        await self._build(stack.page_of_block(cursor))
        self.cursor = cursor
        self.call_after_refresh(self._fill_visible)
        self.call_after_refresh(self._build_last)

    def show_empty(self, title: str, detail: str) -> None:
        """No article to show: say why, and what to do."""
        self.query_one(ArticleHeader).show(title, detail)

    def set_passages(self, opened: OpenArticle) -> None:
        """The open article's bookmarks changed: draw them (the article itself is unchanged)."""
        if self.opened is not None and self.opened.id == opened.id:
            self.opened = opened
            self.marks = opened.passages.highlights()
            self.refresh_marks(0, len(self.stack.widgets) - 1)

    @property
    def passage_cursor(self) -> PassageCursor:
        """The cursor with its extent or narrowed sentence."""
        return PassageCursor(self.cursor, self.extent, self.sentence)

    @property
    def narrowed(self) -> bool:
        """True when the passage is a sentence or a range of blocks rather than the cursor block."""
        return self.passage_cursor.narrowed

    def current_passage(self) -> tuple[int, int] | None:
        """The passage under the cursor in projection offsets: a sentence, a block or a range."""
        if self.opened is None or self.cursor < 0:
            return None
        return self.passage_cursor.span(self.opened.projection)

    def refresh_marks(self, first: int, last: int) -> None:
        """Draw cursor, selection, bookmarks and note markers again on blocks ``first..last``."""
        if self.opened is None:
            return
        projection = self.opened.projection
        passage = self.passage_cursor
        low, high = passage.blocks
        for index in range(max(0, first), min(last, len(self.stack.widgets) - 1) + 1):
            widget = self.block_widget(index)
            if widget is None:
                continue
            widget.set_class(index == self.cursor, "-cursor")
            widget.set_class(self.extent is not None and low <= index <= high, "-selected")
            sentence = passage.sentence_span(projection) if index == self.cursor else None
            self._decorations.draw(widget, projection.blocks[index], self.marks, sentence)

    def watch_cursor(self, old: int, new: int) -> None:
        if self.sentence is not None and old != new:
            self.sentence = None
        for index in {old, new}:
            if index >= 0:
                self.refresh_marks(index, index)
        if self.extent is not None:
            low, high = self.passage_cursor.blocks
            self.refresh_marks(low - 1, high + 1)
        self.scroll_to_block(new)
        if self.opened is not None and new >= 0:
            self.post_message(self.CursorMoved(self.opened.id, new))

    def scroll_to_block(self, index: int, top: bool = False) -> None:
        """Scroll a block into view once the layout is known (to the top of the view if ``top``)."""
        widget = self.block_widget(index)
        if widget is not None:
            self.call_after_refresh(self.scroll_to_widget, widget, animate=False, top=top)

    def on_resize(self, event: events.Resize) -> None:
        """The text reflows: keep the cursor's passage in view (a scroll offset means nothing now)."""
        if self.opened is not None and self.cursor >= 0:
            self.call_after_refresh(self.scroll_to_block, self.cursor)

    # -- pages --------------------------------------------------------------------------------

    def _build_last(self) -> None:
        """Build the last page once the first is on screen, so that G and End answer at once."""
        if self.opened is not None and self.stack.pages:
            self.run_worker(self._build_last_page, group="pages", exit_on_error=False)

    async def _build_last_page(self) -> None:
        await self._build(len(self.stack.pages) - 1)

    async def _build(self, index: int) -> bool:
        """Build one page and draw the marks on it; ``True`` if it was built now."""
        built = await self.stack.ensure(index)
        if built is None:
            return False
        first, last = self.stack.pages[index]
        self.refresh_marks(first, last)
        if self.stack.virtual_region.y + built.top < self.scroll_y:  # above the view: keep the text still
            self.call_after_refresh(self._compensate, built)
        return True

    def _compensate(self, built: Built) -> None:
        if built.growth:
            self.scroll_to(y=self.scroll_y + built.growth, animate=False, immediate=True)

    def _scrolled(self) -> None:
        if self.opened is not None and not self._filling:
            self.call_after_refresh(self._fill_visible)

    def _pages_in_view(self) -> list[int]:
        height = self.scrollable_content_region.height
        top = int(self.scroll_y) - self.stack.virtual_region.y
        return self.stack.unbuilt_between(top - height, top + 2 * height)

    def _fill_visible(self) -> None:
        if self.opened is not None and not self._filling and self._pages_in_view():
            self._filling = True
            self._fill()

    @work(group="pages", exit_on_error=False)
    async def _fill(self) -> None:
        try:
            while pages := self._pages_in_view():
                if not await self._build(pages[0]):
                    break
        finally:
            self._filling = False

    async def ensure_block(self, index: int) -> Widget | None:
        """The widget of a block, building its page first if needed."""
        if self.opened is None or not 0 <= index < len(self.stack.widgets):
            return None
        if self.block_widget(index) is None:
            await self._build(self.stack.page_of_block(index))
        return self.block_widget(index)

    # -- moving -------------------------------------------------------------------------------

    def set_passage(self, passage: PassageCursor) -> None:
        """Extend, narrow or widen the passage (the cursor's block stays), drawing what changed."""
        old_low, old_high = self.passage_cursor.blocks
        self.extent, self.sentence = passage.extent, passage.sentence
        low, high = self.passage_cursor.blocks
        self.refresh_marks(min(low, old_low), max(high, old_high))

    async def move_to(self, index: int | None) -> bool:
        """Put the cursor on a block (its page built first); ``False`` if there is none."""
        if index is None or await self.ensure_block(index) is None:
            return False
        self.cursor = index
        return True

    async def page(self, direction: int) -> None:
        """Move the cursor about a screenful down (``direction`` > 0) or up."""
        if self.opened is None or self.cursor < 0:
            return
        self.set_passage(self.passage_cursor.widened())
        budget = max(1, self.scrollable_content_region.height - 2)
        index, step, used = self.cursor, 1 if direction > 0 else -1, 0
        count = len(self.stack.widgets)
        while 0 <= index + step < count:
            widget = await self.ensure_block(index + step)
            if widget is None:
                break
            used += widget.outer_size.height + 1
            if used > budget and index != self.cursor:
                break
            index += step
        blocks = self.opened.projection.blocks
        while not blocks[index].text and 0 < index < count - 1:
            index += step
        self.cursor = index
        self.scroll_to_block(index, top=direction > 0)

    async def to_top(self) -> None:
        """The cursor on the first block with text, the view at the headline."""
        if self.opened is not None:
            self.set_passage(self.passage_cursor.widened())
            await self.move_to(next_text_block(self.opened.projection, -1, 1))
        self.call_after_refresh(self.scroll_home, animate=False)

    async def to_bottom(self) -> None:
        """The cursor on the last block with text, the view at the end."""
        if self.opened is None:
            return
        self.set_passage(self.passage_cursor.widened())
        blocks = text_blocks(self.opened.projection)
        laid_out = bool(blocks) and self.block_widget(blocks[-1]) is not None
        if blocks:
            await self.move_to(blocks[-1])
        if laid_out:  # the last page was on the stack already: its height is known, scroll now
            self.scroll_end(animate=False, immediate=True)
        self.call_after_refresh(self.scroll_end, animate=False)  # (again) once the new layout is known
