"""The main pane: headline, metadata line, and the body as Markdown, one page of blocks at a time.

A long article mounts the page with the passage cursor first and the rest after the first paint,
so opening it never waits for every block to be built.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from reader.domain.articles.article import Article
from reader.domain.articles.markdown import Projection
from reader.domain.annotations.passages import block_span, quote_span, sentences
from reader.ui.widgets.marks import Mark, decorate
from reader.ui.widgets.page_stack import Built, PageStack


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
        Binding("J,shift+down", "extend(1)", "Extend", show=False, tooltip="Extend the passage down by a block", id="article.extend_down"),
        Binding("K,shift+up", "extend(-1)", "Extend up", show=False, tooltip="Extend the passage up by a block", id="article.extend_up"),
        Binding("s", "sentence(1)", "Sentence", show=False, tooltip="Narrow the passage to the next sentence of the block", id="article.sentence_next"),
        Binding("S", "sentence(-1)", "Prev sentence", show=False, tooltip="Narrow the passage to the previous sentence", id="article.sentence_previous"),
        Binding("escape", "widen", "Widen", show=False, tooltip="Back to the whole block (or to the list)", id="article.widen"),
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
        self.extent: int | None = None
        self.sentence: int | None = None
        self.marks: list[Mark] = []
        self._filling = False

    def compose(self):
        yield Static(id="headline", markup=False)
        yield Static(id="meta", markup=False)
        yield PageStack(id="pages")

    @property
    def stack(self) -> PageStack:
        """The pages of the body."""
        return self.query_one(PageStack)

    @property
    def _widgets(self) -> list[Widget | None]:
        return self.stack.widgets

    @property
    def article(self) -> Article | None:
        """The article shown now."""
        return self.opened.article if self.opened else None

    def block_widget(self, index: int) -> Widget | None:
        """The widget that renders block ``index``, if its page is built."""
        widgets = self.stack.widgets
        return widgets[index] if 0 <= index < len(widgets) else None

    async def show(self, opened: Opened) -> None:
        """Replace what is shown; returns when the page holding the cursor is on screen."""
        self.workers.cancel_group(self, "pages")
        self.opened = None
        self.extent = None
        self.sentence = None
        self.marks = []
        stack = self.stack
        width = self.scrollable_content_region.width or 80
        await stack.reset(opened.article.body, opened.projection, width)
        if stack.body is not opened.article.body:
            return  # another article was shown meanwhile
        self.opened = opened
        meta = opened.article.meta
        blocks = opened.projection.blocks
        self.query_one("#headline", Static).update(Content(meta.title))
        parts = [p for p in (meta.section, meta.source if meta.source != meta.section else "", meta.author,
                             (meta.date or meta.sort_key)[:10], f"{meta.minutes} min read") if p]
        self.query_one("#meta", Static).update(Content(" · ".join(parts)))
        self.scroll_home(animate=False, immediate=True)
        if not blocks:
            await stack.mount(Static(Content("This article has no text."), classes="empty"))
            self.set_reactive(ArticleView.cursor, -1)
            return
        cursor = max(0, min(opened.cursor, len(blocks) - 1))
        await self._build(stack.page_of_block(cursor))
        self.set_reactive(ArticleView.cursor, -1)
        self.cursor = cursor
        self.call_after_refresh(self._fill_visible)
        self.call_after_refresh(self._build_last)

    def _build_last(self) -> None:
        """Build the last page once the first is on screen, so that G and End answer at once."""
        if self.opened is not None and self.stack.pages:
            self.run_worker(self._build(len(self.stack.pages) - 1), group="pages", exit_on_error=False)

    async def _build(self, index: int) -> bool:
        """Build one page and draw the marks on it; ``True`` if it was built now."""
        built = await self.stack.ensure(index)
        if built is None:
            return False
        first, last = self.stack.pages[index]
        self.refresh_marks(first, last)
        stack_y = self.stack.virtual_region.y
        if stack_y + built.top < self.scroll_y:  # above the view: keep the text in view still
            self.call_after_refresh(self._compensate, built)
        return True

    def _compensate(self, built: Built) -> None:
        if built.growth:
            self.scroll_to(y=self.scroll_y + built.growth, animate=False, immediate=True)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
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

    def set_marks(self, marks: list[Mark]) -> None:
        """Draw these bookmarks (projection offsets) on the article."""
        self.marks = marks
        self.refresh_marks(0, len(self.stack.widgets) - 1)

    def _selected_range(self) -> tuple[int, int]:
        if self.extent is None:
            return (self.cursor, self.cursor)
        return (min(self.cursor, self.extent), max(self.cursor, self.extent))

    def _sentence_span(self, index: int) -> tuple[int, int] | None:
        if self.opened is None or self.sentence is None or index != self.cursor:
            return None
        block = self.opened.projection.blocks[index]
        spans = sentences(block.text)
        if not spans:
            return None
        start, end = spans[min(self.sentence, len(spans) - 1)]
        return (block.start + start, block.start + end)

    def refresh_marks(self, first: int, last: int) -> None:
        """Re-draw cursor, selection, bookmarks and note markers on blocks ``first..last``."""
        if self.opened is None:
            return
        low, high = self._selected_range()
        blocks = self.opened.projection.blocks
        for index in range(max(0, first), min(last, len(self._widgets) - 1) + 1):
            widget = self.block_widget(index)
            if widget is None:
                continue
            widget.set_class(index == self.cursor, "-cursor")
            widget.set_class(self.extent is not None and low <= index <= high, "-selected")
            decorate(widget, blocks[index], self.marks, self._sentence_span(index))

    def current_passage(self) -> tuple[int, int] | None:
        """The passage under the cursor in projection offsets: a sentence, a block or a range."""
        if self.opened is None or self.cursor < 0:
            return None
        span = self._sentence_span(self.cursor)
        if span is not None:
            return span
        low, high = self._selected_range()
        return block_span(self.opened.projection, low, high)

    @property
    def narrowed(self) -> bool:
        """True when the passage is a sentence or a range of blocks rather than the cursor block."""
        return self.extent is not None or self.sentence is not None

    def mouse_passage(self) -> tuple[int, int] | None:
        """The passage selected with the mouse inside the article, if any."""
        if self.opened is None:
            return None
        text = self.screen.get_selected_text()
        if not text or not text.strip():
            return None
        indices = sorted(i for i in (self._index_of(w) for w in self.screen.selections) if i is not None)
        if not indices:
            return None
        near = self.opened.projection.blocks[indices[0]].start
        return quote_span(self.opened.projection, text, near)

    def _index_of(self, widget: Widget) -> int | None:
        node: Widget | None = widget
        while node is not None and node is not self:
            if node in self._widgets:
                return self._widgets.index(node)
            node = node.parent if isinstance(node.parent, Widget) else None
        return None

    def block_of_offset(self, offset: int) -> int:
        """The block index that holds a projection offset."""
        if self.opened is None:
            return 0
        block = self.opened.projection.block_at(offset)
        return block.index if block else 0

    def watch_cursor(self, old: int, new: int) -> None:
        if self.sentence is not None and old != new:
            self.sentence = None
        for index in {old, new}:
            if index >= 0:
                self.refresh_marks(index, index)
        if self.extent is not None:
            low, high = self._selected_range()
            self.refresh_marks(low - 1, high + 1)
        widget = self.block_widget(new)
        if widget is not None:
            self.call_after_refresh(self.scroll_to_widget, widget, animate=False)
        if self.opened is not None and new >= 0:
            self.post_message(self.CursorMoved(self.opened.article.id, new))

    def _text_blocks(self) -> list[int]:
        if self.opened is None:
            return []
        return [b.index for b in self.opened.projection.blocks if b.text]

    def _clear_selection(self) -> None:
        if self.extent is not None or self.sentence is not None:
            low, high = self._selected_range()
            self.extent = None
            self.sentence = None
            self.refresh_marks(low, high)

    async def action_extend(self, delta: int) -> None:
        blocks = self._text_blocks()
        if not blocks or self.cursor < 0:
            return
        self.sentence = None
        base = self.cursor if self.extent is None else self.extent
        target = [i for i in blocks if (i > base if delta > 0 else i < base)]
        if not target or await self.ensure_block(target[0] if delta > 0 else target[-1]) is None:
            return
        old_low, old_high = self._selected_range()
        self.extent = target[0] if delta > 0 else target[-1]
        low, high = self._selected_range()
        self.refresh_marks(min(low, old_low), max(high, old_high))
        widget = self.block_widget(self.extent)
        if widget is not None:
            self.call_after_refresh(self.scroll_to_widget, widget, animate=False)

    def action_sentence(self, delta: int) -> None:
        if self.opened is None or self.cursor < 0:
            return
        spans = sentences(self.opened.projection.blocks[self.cursor].text)
        if not spans:
            return
        self.extent = None
        if self.sentence is None:
            self.sentence = 0 if delta > 0 else len(spans) - 1
        else:
            self.sentence = (self.sentence + delta) % len(spans)
        self.refresh_marks(self.cursor, self.cursor)

    def action_widen(self) -> None:
        if not self.narrowed:
            raise SkipAction()
        self._clear_selection()

    async def action_move(self, delta: int) -> None:
        self._clear_selection()
        blocks = self._text_blocks()
        if not blocks:
            return
        if delta > 0:
            after = [i for i in blocks if i > self.cursor]
            if after and await self.ensure_block(after[0]) is not None:
                self.cursor = after[0]
            else:
                self.scroll_down(animate=False)
        else:
            before = [i for i in blocks if i < self.cursor]
            if before and await self.ensure_block(before[-1]) is not None:
                self.cursor = before[-1]
            else:
                self.scroll_home(animate=False)

    async def action_page(self, direction: int) -> None:
        self._clear_selection()
        blocks = self._text_blocks()
        if not blocks or self.cursor < 0:
            return
        budget = max(1, self.scrollable_content_region.height - 2)
        index = self.cursor
        step = 1 if direction > 0 else -1
        used = 0
        while 0 <= index + step < len(self.stack.widgets):
            widget = await self.ensure_block(index + step)
            if widget is None:
                break
            used += widget.outer_size.height + 1
            if used > budget and index != self.cursor:
                break
            index += step
        while index not in blocks and 0 < index < len(self.stack.widgets) - 1:
            index += step
        self.cursor = index
        widget = self.block_widget(index)
        if widget is not None:
            self.call_after_refresh(self.scroll_to_widget, widget, animate=False, top=direction > 0)

    async def action_top(self) -> None:
        self._clear_selection()
        blocks = self._text_blocks()
        if blocks and await self.ensure_block(blocks[0]) is not None:
            self.cursor = blocks[0]
        self.call_after_refresh(self.scroll_home, animate=False)

    async def action_bottom(self) -> None:
        self._clear_selection()
        blocks = self._text_blocks()
        laid_out = bool(blocks) and self.block_widget(blocks[-1]) is not None
        if blocks and await self.ensure_block(blocks[-1]) is not None:
            self.cursor = blocks[-1]
        if laid_out:  # the last page was on the stack already: its height is known, scroll now
            self.scroll_end(animate=False, immediate=True)
        self.call_after_refresh(self.scroll_end, animate=False)  # (again) once the new layout is known
