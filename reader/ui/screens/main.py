"""The reading screen: the article list on the left, the article on the right.

The screen owns the services' use: widgets get plain data and post messages; loads and writes
run in workers, and one handler turns a failed worker into a notification.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Markdown, Static
from textual.worker import Worker, WorkerState

from reader.collector import freeze_long_lived
from reader.domain.articles.article import ArticleMeta
from reader.domain.articles.files import Unreadable
from reader.session.grouping import Grouping
from reader.domain.articles.library import Listing
from reader.domain.articles.markdown import project
from reader.domain.articles.pages import anchor_for, find_anchor
from reader.ui.screens.confirm import ConfirmScreen
from reader.domain.annotations.model import Annotation
from reader.domain.annotations.passages import locate
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.feed_actions import FEED_BINDINGS, FeedActions
from reader.ui.screens.passage_actions import PASSAGE_BINDINGS, PassageActions
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView, Opened
from reader.ui.widgets.notes_panel import NotesPanel

if TYPE_CHECKING:
    from reader.services import Services

PREVIEW_DELAY = 0.15
SAVE_POSITION_DELAY = 0.5
POLL_SECONDS = 2.0
MIN_BODY_QUERY = 3
FIRST_SCREEN = 200
PROGRESS_EVERY = 0.25
SEARCH_PAUSE = 0.12
PASSAGE_ACTIONS = {"bookmark", "note", "article_note", "jump", "toggle_notes"}


class MainScreen(PassageActions, FeedActions, Screen[None]):
    """Browse, filter and read articles."""

    BINDINGS = [
        Binding("slash", "filter", "Filter", tooltip="Filter by title, section, source, text and notes", id="main.filter"),
        Binding("escape", "back", "Back", show=False, tooltip="Back to the article list (clears the filter there)", id="main.back"),
        Binding("full_stop", "next_article(1)", "Next article", show=False, tooltip="Open the next article in the list", id="main.next"),
        Binding("comma", "next_article(-1)", "Prev article", show=False, tooltip="Open the previous article in the list", id="main.previous"),
        Binding("question_mark", "help", "Help", tooltip="Show every key", id="main.help"),
        Binding("q", "quit", "Quit", show=False, tooltip="Quit reader", id="main.quit"),
        *PASSAGE_BINDINGS,
        *FEED_BINDINGS,
    ]

    def __init__(self, services: "Services") -> None:
        super().__init__()
        self.services = services
        self._listing = Listing((), ())
        self._read: set[str] = set()
        self._preview: Timer | None = None
        self._save_timer: Timer | None = None
        self._pending_position: tuple[str, dict] | None = None  # (article, anchor) waiting for its timer
        self._grouping = Grouping(())
        self._counts: dict[str, int] = {}
        self._unread = 0
        self._collapsed: set[str] = set()
        self._opening: str | None = None
        self._body_matches: tuple[str, set[str]] = ("", set())
        self._read_known = False
        self._feed_errors: dict[str, str] = {}
        self._generation: object = None
        self._init_passages()

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="/ filter", id="filter", compact=True)
                yield ArticleList(id="articles")
                yield Static(id="status", markup=False)
            yield ArticleView(id="article")
            yield NotesPanel(id="notes")
        yield Footer()

    @property
    def article_list(self) -> ArticleList:
        """The sidebar list."""
        return self.query_one(ArticleList)

    @property
    def article_view(self) -> ArticleView:
        """The main pane."""
        return self.query_one(ArticleView)

    def on_mount(self) -> None:
        self.query_one(NotesPanel).display = False
        self.article_list.focus()
        self.load_library()
        self.set_interval(POLL_SECONDS, self._poll_store)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PASSAGE_ACTIONS and self.article_view.opened is None:
            return None
        return True

    @work(exclusive=True, group="poll", exit_on_error=False)
    async def _poll_store(self) -> None:
        """Pick up what a CLI command (or another copy of reader) wrote meanwhile."""
        store = await self.store()
        generation = await asyncio.to_thread(store.generation)
        if self._generation is None or generation == self._generation:
            self._generation = generation
            return
        self._generation = generation
        await self._load_counts()
        self._read = await asyncio.to_thread(store.read_articles)
        self._redraw_list()
        self._reload_annotations()

    async def store(self):
        """The store, reached in a thread: the first use opens it, which takes a while when big."""
        return await asyncio.to_thread(lambda: self.services.store)

    def _redraw_list(self) -> None:
        """Recount unread and draw the list again with the current filter.

        The cursor stays on its article, except at the top of the list, where it stays at the top:
        a library that is still being scanned, or a feed that brings newer items, shows the newest.
        """
        self._unread = sum(1 for m in self._listing.articles if m.id not in self._read)
        at_top = self.article_list.cursor <= 1
        keep = None if at_top else self.article_list.current_key
        self._apply_filter(self.query_one("#filter", Input).value, keep=keep)
        self._update_status()

    async def _load_counts(self) -> None:
        counts = await asyncio.to_thread(self.services.store.annotation_counts)
        if counts != self._counts:
            self._counts.clear()
            self._counts.update(counts)  # the list reads this mapping as it draws
            self.article_list.counts_changed()

    def update_annotation_count(self, article: str, count: int) -> None:
        """Show a new annotation count for an article in the sidebar."""
        if self._counts.get(article, 0) != count:
            self._counts[article] = count
            self.article_list.counts_changed()

    # -- loading ---------------------------------------------------------------------------

    class FirstScreen(Message):
        """The newest articles are on screen: start-up work that competes with them may begin.

        (Decoding a big notes file holds Python's lock for a second; started at once, it kept
        the first headlines of a 100,000-article library off the screen until it was done.)
        """

    @work(exclusive=True, group="library", exit_on_error=False)
    async def load_library(self) -> None:
        """Show the cached listing at once, then the result of a fresh scan."""
        library = self.services.library
        try:
            first = await asyncio.to_thread(library.cached, FIRST_SCREEN)
            if first.articles:  # the index answers before the store is open: no read marks yet
                self._show_listing(first)
        finally:
            self.post_message(self.FirstScreen())
        cached = await asyncio.to_thread(library.cached)
        if len(cached.articles) > len(first.articles):
            self._show_listing(cached)
        store = await self.store()
        self._read = await asyncio.to_thread(store.read_articles)
        self._read_known = True
        self._generation = await asyncio.to_thread(store.generation)
        await self._load_counts()
        await self.load_feed_errors()
        if self._listing.articles:  # read marks and counts are known now: draw them
            self._redraw_list()
        status = self.query_one("#status", Static)
        status.update(Content("Scanning the library…"))

        shown_at = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if now - shown_at[0] >= PROGRESS_EVERY or done == total:
                shown_at[0] = now
                self.app.call_from_thread(status.update, Content(f"Scanning the library… {done:,} of {total:,}"))

        def partial(found: Listing) -> None:
            self.app.call_from_thread(self._show_listing, found)

        listing = await asyncio.to_thread(library.scan, progress, partial)
        shown = self._listing
        if await asyncio.to_thread(lambda: listing != shown):  # 100,000 comparisons: not on the event loop
            self._show_listing(listing)
        else:
            self._update_status()
        freeze_long_lived()  # the listing lives as long as the app

    def _show_listing(self, listing: Listing) -> None:
        first = not self._listing.articles
        self._listing = listing
        self._grouping = Grouping(listing.articles)
        self._redraw_list()
        if first and listing.articles and self.article_view.opened is None:
            self.open_article(self.article_list.current or listing.articles[0], focus=False)
        elif not listing.articles:
            self._show_empty()

    def _update_status(self) -> None:
        shown, total = self.article_list.article_count, len(self._listing.articles)
        unread = self._unread
        text = f"{total:,} article{'s' if total != 1 else ''} · {unread:,} unread"
        if shown != total:
            text = f"{shown:,} of {total:,} shown · {unread:,} unread"
        if self._listing.skipped:
            text += f" · {len(self._listing.skipped):,} skipped"
        self.query_one("#status", Static).update(Content(text))

    def _show_empty(self) -> None:
        folder = self.services.paths.articles_dir
        view = self.article_view
        view.query_one("#headline", Static).update(Content("No articles yet"))
        view.query_one("#meta", Static).update(Content(
            f"Put .txt, .md or .html files in {folder}, or start reader with a file or folder: reader PATH"))

    @work(exclusive=True, group="article", exit_on_error=False)
    async def open_article(self, meta: ArticleMeta, focus: bool = True, at: Annotation | None = None) -> None:
        """Load an article in a thread, show it at its saved position (or a passage), mark it read."""
        article = await asyncio.to_thread(self.services.library.load, meta)
        projection = await asyncio.to_thread(project, article.body)
        store = await self.store()
        state = await asyncio.to_thread(store.reading_state, meta.id)
        annotations = await asyncio.to_thread(store.annotations, meta.id)
        cursor = find_anchor(projection.blocks, (state or {}).get("anchor"))
        if at is not None:
            found = locate(at, projection.text)
            if found.anchor.start is not None and at.selectors is not None:
                block = projection.block_at(found.anchor.start)
                cursor = block.index if block else cursor
        self.article_list.open_id = meta.id
        self.article_list.refresh()
        await self.article_view.show(Opened(article, projection, cursor))
        self.refresh_bindings()  # passage keys are available now
        if self._opening == meta.id:
            self._opening = None
        self.show_annotations(annotations)
        if focus:
            self.article_view.focus()
            self._mark_read(meta)

    def _mark_read(self, meta: ArticleMeta) -> None:
        if meta.id not in self._read:
            self._read.add(meta.id)
            self._unread = max(0, self._unread - 1)
            self.article_list.mark_read(meta)
            self._update_status()
            self.save_reading_state(meta.id, None)

    @work(group="store", exit_on_error=False)
    async def save_reading_state(self, article: str, anchor: dict | None) -> None:
        """Write the read mark (and the position, when given) to the store."""
        store = self.services.store
        if anchor is None:
            state = await asyncio.to_thread(store.reading_state, article)
            anchor = (state or {}).get("anchor")
        await asyncio.to_thread(store.set_reading_state, article, read=True, anchor=anchor)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, Unreadable):
            self.notify(f"Cannot open this article: {error}", severity="error")
        else:
            self.notify(f"{type(error).__name__}: {error}", title="Something went wrong", severity="error")

    # -- messages from widgets ------------------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _preview_later(self, event: ArticleList.Highlighted) -> None:
        if self._preview is not None:
            self._preview.stop()
        opened = self.article_view.opened
        if (opened is not None and opened.article.id == event.meta.id) or event.meta.id == self._opening:
            return
        self._preview = self.set_timer(PREVIEW_DELAY, lambda: self.open_article(event.meta, focus=False))

    @on(ArticleList.Toggled)
    def _toggle_group(self, event: ArticleList.Toggled) -> None:
        self._collapsed ^= {event.group}
        self._apply_filter(self.query_one("#filter", Input).value, keep=event.group)

    @on(ArticleList.Chosen)
    def _open_chosen(self, event: ArticleList.Chosen) -> None:
        if self._preview is not None:
            self._preview.stop()
        opened = self.article_view.opened
        if opened is not None and opened.article.id == event.meta.id:
            self.article_view.focus()
            self._mark_read(event.meta)
            return
        self.open_article(event.meta)

    @on(ArticleView.CursorMoved)
    def _remember_position(self, event: ArticleView.CursorMoved) -> None:
        if not self.article_view.has_focus:
            return
        opened = self.article_view.opened
        if opened is None or opened.article.id != event.article:
            return
        block = opened.projection.blocks[event.block]
        if self._save_timer is not None:
            self._save_timer.stop()
        self._pending_position = (event.article, anchor_for(block))
        self._save_timer = self.set_timer(SAVE_POSITION_DELAY, self._save_position)

    def _save_position(self) -> None:
        pending, self._pending_position = self._pending_position, None
        if pending is not None:
            self.save_reading_state(*pending)

    def on_unmount(self) -> None:
        """A position still waiting for its timer when reader closes is written now."""
        if self._save_timer is not None:
            self._save_timer.stop()
        pending, self._pending_position = self._pending_position, None
        if pending is not None:
            from reader.domain.store.store import StoreError  # not at start-up: it brings TinyDB and filelock

            try:
                self.services.store.set_reading_state(pending[0], read=True, anchor=pending[1])
            except StoreError:
                pass  # closing: the position is only a convenience, and there is no screen left to say so

    @on(Markdown.LinkClicked)
    def _confirm_link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        url = event.href
        if not url.lower().startswith(("http://", "https://")):
            self.notify(f"Not opened: reader opens only http and https links ({url[:200]})", severity="warning")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.app.open_url(url)

        self.app.push_screen(ConfirmScreen("Open this link in your browser?", url, yes="Open", no="Cancel"), answer)

    # -- filter -------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value, keep=self.article_list.current_key)
        self._update_status()
        if len(event.value.strip()) >= MIN_BODY_QUERY:
            self.search_bodies(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.article_list.focus()

    def _apply_filter(self, query: str, keep: str | None = None, body_ids: set[str] | None = None) -> None:
        if body_ids is not None:
            self._body_matches = (query, body_ids)
        elif self._body_matches[0] == query:  # redrawn for another reason: keep the text matches
            body_ids = self._body_matches[1]
        read = self._read if self._read_known else None
        items, count = self._grouping.rows(self._read, query.strip().casefold(), body_ids,
                                           self._collapsed, self._feed_errors, find=keep)
        # the row of ``keep``; when it is filtered out (or none is kept): the first article
        self.article_list.set_rows(items, self._grouping.found, read=read, counts=self._counts, count=count)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def search_bodies(self, query: str) -> None:
        """Add articles whose body or notes match the filter, once typing paused and the index answered."""
        await asyncio.sleep(SEARCH_PAUSE)
        ids = await asyncio.to_thread(self.services.library.search, query)
        ids |= await asyncio.to_thread(self.services.store.articles_with_notes, query.strip())
        if ids and self.query_one("#filter", Input).value == query:
            self._apply_filter(query, keep=self.article_list.current_key, body_ids=ids)
            self._update_status()

    # -- actions ------------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_back(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if filter_input.has_focus and filter_input.value:
            filter_input.value = ""
        self.article_list.focus()

    def action_next_article(self, step: int) -> None:
        articles = self.article_list
        if not articles.article_count:
            return
        opened = self.article_view.opened
        if opened is not None:
            articles.select_id(opened.article.id)
        articles.action_move(step)
        if articles.current is not None:
            if self._preview is not None:
                self._preview.stop()
            self.open_article(articles.current, focus=True)

    def action_help(self) -> None:
        groups = [
            ("Everywhere", [b for b in self.BINDINGS if b not in PASSAGE_BINDINGS and b not in FEED_BINDINGS]
             + [b for b in self.app.BINDINGS if isinstance(b, Binding)]),
            ("Passages, bookmarks and notes", list(PASSAGE_BINDINGS)),
            ("Article list", list(ArticleList.BINDINGS)),
            ("Article", list(ArticleView.BINDINGS)),
            ("Notes panel", list(NotesPanel.BINDINGS)),
            ("Feeds (Ctrl+P also has Add feed…, Remove feed…)", list(FEED_BINDINGS)),
        ]
        self.app.push_screen(HelpScreen(groups))

    async def action_quit(self) -> None:
        await self.app.action_quit()

    # -- used by the command palette -----------------------------------------------------------

    def all_articles(self) -> tuple[ArticleMeta, ...]:
        """Every listed article, ignoring the filter."""
        return self._listing.articles

    def open_at(self, annotation: Annotation) -> None:
        """Open an annotation's article with the cursor on its passage."""
        meta = next((m for m in self._listing.articles if m.id == annotation.article), None)
        if meta is None:
            self.notify("That article is not in the library any more; the annotation is kept.", severity="warning")
            return
        self.open_listed(annotation.article, at=annotation)

    def open_listed(self, article: str, at: Annotation | None = None) -> None:
        """Open an article by id, clearing a filter that hides it."""
        filter_input = self.query_one("#filter", Input)
        if not self.article_list.has_article(article) and filter_input.value:
            filter_input.value = ""
            self._apply_filter("")
        if self._preview is not None:
            self._preview.stop()
        self._opening = article
        self.article_list.select_id(article)
        meta = next((m for m in self._listing.articles if m.id == article), None)
        if meta is not None:
            self.open_article(meta, at=at)
