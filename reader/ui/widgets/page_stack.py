"""The body of an article as a stack of pages, each a Markdown widget built only when needed.

Until a page is needed it is a placeholder of its estimated height, so a 50,000-word article
opens, scrolls and jumps to its end without building every block first.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass

from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from reader.domain.articles.markdown import Projection, make_parser, source_of
from reader.domain.articles.pages import page_of, paginate
from reader.domain.articles.pictures import Picture
from reader.ui.widgets.inline_pictures import OFF, PictureSupport, load_picture, picture_widget


@dataclass(frozen=True)
class Built:
    """A page that was just built: where its slot started and the height it was estimated at."""

    index: int
    top: int
    estimate: int
    page: Widget

    @property
    def growth(self) -> int:
        """How much taller the page is than its placeholder was (once laid out)."""
        height = self.page.outer_size.height
        return height - self.estimate if height else 0


class PagePlaceholder(Static):
    """Stands in for a page that is not built yet."""


class PageStack(Vertical):
    """One slot per page; ``ensure`` turns a placeholder into the rendered page."""

    DEFAULT_CSS = """
    PageStack { height: auto; }
    PagePlaceholder { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.body = ""
        self.projection = Projection("", ())
        self.pages: list[tuple[int, int]] = []
        self.widgets: list[Widget | None] = []
        self._slots: list[Widget] = []
        self._built: list[bool] = []
        self._generation = 0
        self._lock = asyncio.Lock()
        self.support: PictureSupport = OFF
        """How pictures are drawn here (set by the app; off by default)."""
        self._pictures: tuple[Picture, ...] = ()

    def set_pictures(self, pictures: tuple[Picture, ...]) -> None:
        """The local pictures of the body about to be shown (drawn under their ``▣`` lines)."""
        self._pictures = pictures if self.support.widget is not None else ()

    async def reset(self, body: str, projection: Projection, width: int) -> None:
        """Show a new body: every page as a placeholder of estimated height."""
        self._generation += 1
        await self.remove_children()
        self.body, self.projection = body, projection
        self.pages = paginate(projection.blocks)
        self.widgets = [None] * len(projection.blocks)
        self._built = [False] * len(self.pages)
        self._slots = []
        for first, last in self.pages:
            slot = PagePlaceholder(classes="placeholder")
            slot.styles.height = self._estimate(first, last, width)
            self._slots.append(slot)
        if self._slots:
            await self.mount_all(self._slots)

    def _estimate(self, first: int, last: int, width: int) -> int:
        width = max(20, width)
        lines = 0
        for block in self.projection.blocks[first : last + 1]:
            runs = block.text.split("\n") or [""]
            lines += sum(max(1, math.ceil(len(run) / width)) for run in runs) + 1
        return max(1, lines)

    def page_of_block(self, block: int) -> int:
        """The page that holds a block."""
        return page_of(self.pages, block)

    def is_built(self, index: int) -> bool:
        """Whether page ``index`` is rendered."""
        return 0 <= index < len(self._built) and self._built[index]

    def unbuilt_between(self, top: int, bottom: int) -> list[int]:
        """Pages not built yet whose slot overlaps rows ``top..bottom`` of the stack."""
        found = []
        for index, slot in enumerate(self._slots):
            if self._built[index]:
                continue
            region = slot.virtual_region
            if region.y <= bottom and region.y + region.height >= top:
                found.append(index)
        return found

    def slot_top(self, index: int) -> int:
        """The row where page ``index`` starts, within the stack."""
        return self._slots[index].virtual_region.y if 0 <= index < len(self._slots) else 0

    async def ensure(self, index: int) -> Built | None:
        """Build page ``index`` if needed; ``None`` if it was already built or the body changed."""
        generation = self._generation
        async with self._lock:
            if generation != self._generation or not 0 <= index < len(self.pages) or self._built[index]:
                return None
            placeholder = self._slots[index]
            top, estimate = placeholder.virtual_region.y, placeholder.outer_size.height
            first, last = self.pages[index]
            from reader.ui.widgets.article_markdown import ArticleMarkdown  # Textual's Markdown loads with the first page built

            page = ArticleMarkdown(parser_factory=make_parser, open_links=False, classes="page")
            await self.mount(page, before=placeholder)
            await page.update(source_of(self.body, self.projection, first, last))
            placeholder.display = False  # gone from the next layout; its removal need not be waited for
            placeholder.remove()
            if generation != self._generation:
                return None
            self._slots[index] = page
            self._built[index] = True
            for offset, child in enumerate(page.children):
                if first + offset <= last:
                    self.widgets[first + offset] = child
            if page.children:
                page.children[0].add_class("-page-first")  # its top margin goes (app.tcss)
            await self._mount_pictures(first, last, generation)
        return Built(index, top, estimate, page)

    async def _mount_pictures(self, first: int, last: int, generation: int) -> None:
        """Each local picture of blocks ``first..last`` under its block: decoration only, the
        blocks (and so the projection and the passages) stay as they are."""
        below: dict[int, Widget] = {}  # the widget the next picture of a block goes after
        for picture in self._pictures:
            block = self.widgets[picture.block] if first <= picture.block <= last else None
            if block is None or not isinstance(block.parent, Widget):
                continue
            loaded = await asyncio.to_thread(load_picture, picture.path)
            shown = picture_widget(self.support, loaded) if loaded is not None else None
            if shown is not None and generation == self._generation:
                await block.parent.mount(shown, after=below.get(picture.block, block))
                below[picture.block] = shown
