"""The reading pane: the article with its passage cursor, and the keys that bookmark, annotate
and jump between bookmarks. It asks; the screen decides (and the session writes)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget

from reader.domain.annotations.passages import quote_span
from reader.session.cursor import next_text_block
from reader.session.reading import OpenArticle
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.inline_pictures import support_of


SINGLE_SENTENCE = "This block is a single sentence: b and n take all of it."
"""What ``s`` says on a block it cannot narrow."""


class ReadingPane(Vertical):
    """Holds the article view (``#article``); its keys act on the passage under the cursor."""

    MOVE_BINDINGS = [
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
    """Keys that move the passage cursor."""

    PASSAGE_BINDINGS = [
        Binding("b", "bookmark", "Bookmark", tooltip="Bookmark the passage (on a bookmark: remove it)", id="passage.bookmark"),
        Binding("n", "note", "Note", tooltip="Write a note on the passage (on a bookmark: its note)", id="passage.note"),
        Binding("N", "article_note", "Article note", show=False, tooltip="Write a note on the whole article", id="passage.article_note"),
        Binding("right_square_bracket", "jump(1)", "Next mark", show=False, tooltip="Next bookmark in the article", id="passage.next"),
        Binding("left_square_bracket", "jump(-1)", "Prev mark", show=False, tooltip="Previous bookmark in the article", id="passage.previous"),
        Binding("c", "ask('color')", "Colour", show=False, tooltip="Choose the passage's colour (bookmarks it if need be)", id="passage.color"),
        Binding("t", "ask('tags')", "Tag", show=False, tooltip="Edit the passage's tags (bookmarks it if need be)", id="passage.tags"),
        Binding("T", "article_tags", "Tag article", show=False, tooltip="Edit the whole article's tags", id="passage.article_tags"),
        Binding("y", "ask('cite')", "Cite", show=False, tooltip="Copy a citation of the passage, with a link to it", id="passage.cite"),
    ]
    """Keys that bookmark and annotate the passage."""

    LINK_BINDINGS = [
        Binding("l", "links", "Links", show=False, tooltip="List the article's links, numbered, to open one", id="article.links"),
    ]
    """Keys that reach the article's links."""

    BINDINGS = [*MOVE_BINDINGS, *PASSAGE_BINDINGS, *LINK_BINDINGS]

    @dataclass
    class PassageAsked(Message):
        """A key asked to do ``what`` to the passage ``span`` (``bookmark``, ``note``, ``color``,
        ``tags`` or ``cite``); ``exact`` when it was narrowed or selected with the mouse (then
        only that very passage counts)."""

        span: tuple[int, int]
        exact: bool
        what: str

    @dataclass
    class ArticleAsked(Message):
        """``N`` or ``T``: the note (``what="note"``) or the tags (``"tags"``) of the whole article."""

        what: str

    @dataclass
    class LinkChosen(Message):
        """A link was chosen from the link list (it is not opened yet: the screen asks first)."""

        href: str

    def compose(self) -> ComposeResult:
        yield ArticleView(id="article")

    def on_mount(self) -> None:
        self.view.stack.support = support_of(self.app)  # what the terminal was found to draw, at start

    @property
    def view(self) -> ArticleView:
        """The article view."""
        return self.query_one(ArticleView)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.view.opened is not None or action == "widen"

    def passage(self) -> tuple[tuple[int, int], bool] | None:
        """The passage a key acts on: a mouse selection in the article, else the cursor's."""
        mouse = self._mouse_passage()
        if mouse is not None:
            return mouse, True
        span = self.view.current_passage()
        return (span, self.view.narrowed) if span is not None else None

    def _mouse_passage(self) -> tuple[int, int] | None:
        opened = self.view.opened
        text = self.screen.get_selected_text()
        if opened is None or not text or not text.strip():
            return None
        blocks = sorted(i for i in (self._block_of(w) for w in self.screen.selections) if i is not None)
        if not blocks:
            return None
        from reader.ui.widgets.marks import without_markers  # loads Textual's Markdown, which a selection has shown already

        near = opened.projection.blocks[blocks[0]].start  # the text as drawn, else without colour markers
        return quote_span(opened.projection, text, near) or quote_span(opened.projection, without_markers(text), near)

    def _block_of(self, widget: Widget) -> int | None:
        widgets = self.view.stack.widgets
        node: Widget | None = widget
        while node is not None and node is not self.view:
            if node in widgets:
                return widgets.index(node)
            node = node.parent if isinstance(node.parent, Widget) else None
        return None

    # -- moving the cursor ------------------------------------------------------------------

    async def action_move(self, delta: int) -> None:
        view, opened = self.view, self.view.opened
        if opened is None:
            return
        view.set_passage(view.passage_cursor.widened())
        if not await view.move_to(next_text_block(opened.projection, view.cursor, delta)):
            (view.scroll_down if delta > 0 else view.scroll_home)(animate=False)

    async def action_extend(self, delta: int) -> None:
        view, opened = self.view, self.view.opened
        if opened is None or view.cursor < 0:
            return
        extended = view.passage_cursor.extended(opened.projection, delta)
        if extended is not None and extended.extent is not None and await view.ensure_block(extended.extent) is not None:
            view.set_passage(extended)
            view.scroll_to_block(extended.extent)

    def action_sentence(self, delta: int) -> None:
        view, opened = self.view, self.view.opened
        if opened is None or view.cursor < 0:
            return
        if view.passage_cursor.sentence_count(opened.projection) == 1:
            self.notify(SINGLE_SENTENCE, timeout=3)
            return
        narrowed = view.passage_cursor.next_sentence(opened.projection, delta)
        if narrowed is not None:
            view.set_passage(narrowed)

    def action_widen(self) -> None:
        if not self.view.narrowed:
            raise SkipAction()  # Escape then means: back to the list
        self.view.set_passage(self.view.passage_cursor.widened())

    async def action_page(self, direction: int) -> None:
        await self.view.page(direction)

    async def action_top(self) -> None:
        await self.view.to_top()

    async def action_bottom(self) -> None:
        await self.view.to_bottom()

    # -- bookmarks and notes ------------------------------------------------------------------

    def action_bookmark(self) -> None:
        self.action_ask("bookmark")

    def action_note(self) -> None:
        self.action_ask("note")

    def action_ask(self, what: str) -> None:
        passage = self.passage()
        if passage is not None:
            self.post_message(self.PassageAsked(passage[0], passage[1], what))

    def action_article_note(self) -> None:
        self.post_message(self.ArticleAsked("note"))

    def action_article_tags(self) -> None:
        self.post_message(self.ArticleAsked("tags"))

    async def action_links(self) -> None:
        opened = self.view.opened
        if opened is None:
            return
        from reader.domain.articles.links import article_links  # the link list loads when first asked for
        from reader.ui.screens.links import LinkList

        links = await asyncio.to_thread(article_links, opened.article.body, opened.article.meta.url)
        if not links:
            self.notify("This article has no links.", timeout=2)
            return
        self.app.push_screen(LinkList(links), lambda href: self.post_message(self.LinkChosen(href)) if href else None)

    async def action_jump(self, step: int) -> None:
        view, opened = self.view, self.view.opened
        if opened is None:
            return
        starts = sorted({opened.block_of(start) for start in opened.passages.starts()})
        after = [b for b in starts if (b > view.cursor if step > 0 else b < view.cursor)]
        if not after:
            self.notify("No more bookmarks in this direction.", timeout=2)
            return
        await view.move_to(after[0] if step > 0 else after[-1])

    async def go_to(self, annotation: str) -> bool:
        """Put the cursor on an annotation's passage; ``False`` if it is not in the text."""
        opened = self.view.opened
        found = opened.passages.find(annotation) if opened is not None else None
        if opened is None or found is None or found.anchor.start is None:
            return False
        return await self.view.move_to(opened.block_of(found.anchor.start))

    async def show(self, opened: OpenArticle) -> None:
        """Show an article (returns when its cursor's page is on screen)."""
        await self.view.show(opened)
        self.refresh_bindings()

    def show_passages(self, opened: OpenArticle) -> None:
        """The open article's bookmarks changed."""
        self.view.set_passages(opened)
