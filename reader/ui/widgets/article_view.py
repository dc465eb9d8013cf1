"""The main pane: headline, metadata line, and the body as Markdown, one page of blocks at a time.

A long article mounts the page with the passage cursor first and the rest after the first paint,
so opening it never waits for every block to be built.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.actions import SkipAction
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
from reader.domain.passages import block_span, quote_span, sentences
from reader.ui.widgets.marks import Mark, decorate


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
        self._pages: list[tuple[int, int]] = []
        self._mounted: list[bool] = []
        self._widgets: list[Widget | None] = []
        self._generation = 0
        self.extent: int | None = None
        self.sentence: int | None = None
        self.marks: list[Mark] = []

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
        self.workers.cancel_group(self, "pages")
        pages = self.query_one("#pages", Vertical)
        await pages.remove_children()  # first, so no frame lays out the old article again
        if generation != self._generation:
            return
        self.opened = opened
        self.extent = None
        self.sentence = None
        self.marks = []
        meta = opened.article.meta
        blocks = opened.projection.blocks
        self.query_one("#headline", Static).update(Content(meta.title))
        parts = [p for p in (meta.section, meta.source if meta.source != meta.section else "", meta.author,
                             (meta.date or meta.sort_key)[:10], f"{meta.minutes} min read") if p]
        self.query_one("#meta", Static).update(Content(" · ".join(parts)))
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
            if not await self._mount_page(index, generation):
                return
        self.set_reactive(ArticleView.cursor, -1)
        self.cursor = max(0, min(opened.cursor, len(blocks) - 1))
        self._mount_rest(generation)

    async def _mount_page(self, index: int, generation: int) -> bool:
        """Mount one page of blocks; ``False`` if another article was shown meanwhile."""
        if generation != self._generation or self.opened is None:
            return False
        if self._mounted[index]:
            return True
        self._mounted[index] = True
        first, last = self._pages[index]
        body, projection, widgets = self.opened.article.body, self.opened.projection, self._widgets
        page = Markdown(parser_factory=make_parser, open_links=False, classes="page")
        await self.query_one("#pages", Vertical).mount(page)
        if generation != self._generation:
            return False
        await page.update(source_of(body, projection, first, last))
        if generation != self._generation:
            return False
        for offset, child in enumerate(page.children):
            if first + offset <= last:
                widgets[first + offset] = child
        self.refresh_marks(first, last)
        return True

    @work(exclusive=True, group="pages", exit_on_error=False)
    async def _mount_rest(self, generation: int) -> None:
        for index in range(len(self._pages)):
            if not await self._mount_page(index, generation):
                return

    async def ensure_all(self) -> None:
        """Mount every page now (before jumping to the end)."""
        generation = self._generation
        for index in range(len(self._pages)):
            if not await self._mount_page(index, generation):
                return

    def set_marks(self, marks: list[Mark]) -> None:
        """Draw these bookmarks (projection offsets) on the article."""
        self.marks = marks
        self.refresh_marks(0, len(self._widgets) - 1)

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

    def action_extend(self, delta: int) -> None:
        blocks = self._text_blocks()
        if not blocks or self.cursor < 0:
            return
        self.sentence = None
        base = self.cursor if self.extent is None else self.extent
        target = [i for i in blocks if (i > base if delta > 0 else i < base) and self.block_widget(i) is not None]
        if not target:
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

    def action_move(self, delta: int) -> None:
        self._clear_selection()
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
