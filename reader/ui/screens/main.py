"""The reading screen: the library pane, the reading pane and the notes panel, coordinated.

Panes get immutable values and post messages; the screen asks the session in workers (what it
does for each concern is in ``listing``, ``reading_flow``, ``annotating`` and ``feeds``).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Callable, Coroutine

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from reader.domain.annotations.model import Annotation
from reader.domain.articles.article import ArticleMeta
from reader.domain.articles.files import Unreadable
from reader.domain.articles.library import Listing
from reader.session import Session
from reader.session.reading import OpenArticle
from reader.ui.panes.library import LibraryPane
from reader.ui.panes.notes import NotesPanel
from reader.ui.panes.reading import ReadingPane
from reader.ui.screens import annotating, commonplace, feeds, listing, reading_flow
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.footer import ReaderFooter

if TYPE_CHECKING:
    from textual.widgets import Markdown

PREVIEW_DELAY = 0.15
SAVE_POSITION_DELAY = 0.5
POLL_SECONDS = 2.0
MIN_BODY_QUERY = 3


class MainScreen(Screen[None]):
    """Browse, filter and read articles; bookmark and annotate passages."""

    BINDINGS = [
        Binding("slash", "filter", "Filter", tooltip="Filter by title, section, source, text and notes (or #tag, color:NAME)", id="main.filter"),
        Binding("escape", "back", "Back", show=False, tooltip="Back to the article list", id="main.back"),
        Binding("full_stop", "next_article(1)", "Next article", show=False, tooltip="Open the next article in the list", id="main.next"),
        Binding("comma", "next_article(-1)", "Prev article", show=False, tooltip="Open the previous article in the list", id="main.previous"),
        Binding("tab", "next_pane(1)", "Next pane", show=False, tooltip="Switch between the list, the article and the notes panel", id="main.next_pane"),
        Binding("shift+tab", "next_pane(-1)", "Prev pane", show=False, tooltip="Switch panes the other way round", id="main.previous_pane"),
        Binding("question_mark", "help", "Help", tooltip="Show every key", id="main.help"),
        Binding("q", "app.quit", "Quit", show=False, tooltip="Quit reader", id="main.quit"),
        *annotating.SCREEN_BINDINGS, *commonplace.COMMONPLACE_BINDINGS, *feeds.FEED_BINDINGS,
        *reading_flow.STAR_BINDINGS,
    ]

    class FirstScreen(Message):
        """The newest articles are on screen: start-up work that competes with them may begin
        (decoding a big notes file holds Python's lock for a second)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._preview: Timer | None = None
        self._save_timer: Timer | None = None
        self._opening: str | None = None
        self._requested = False
        self._opens = 0
        """Article opens started and not shown yet: a key for the article waits for them."""
        self._all_shown = asyncio.Event()
        self._all_shown.set()
        self._asked_for: str | None = None
        """The article the last open was for."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield LibraryPane(id="sidebar")
            yield ReadingPane(id="reading")
            yield NotesPanel(id="notes")
        yield ReaderFooter()

    @property
    def library(self) -> LibraryPane:
        """The sidebar."""
        return self.query_one(LibraryPane)

    @property
    def reading(self) -> ReadingPane:
        """The article's pane."""
        return self.query_one(ReadingPane)

    @property
    def notes(self) -> NotesPanel:
        """The notes panel."""
        return self.query_one(NotesPanel)

    @property
    def article_list(self) -> ArticleList:
        """The sidebar's list."""
        return self.library.articles

    @property
    def article_view(self) -> ArticleView:
        """The article."""
        return self.reading.view

    def on_mount(self) -> None:
        self.notes.display = False
        self.library.focus_list()
        ready = self.session.loader.first_ready()  # read while the app loaded: in the first frame
        if ready is not None and ready.articles:
            self.show_listing(ready)
        self.run_worker(listing.load(self, ready), group="library", exclusive=True, exit_on_error=False)
        self.set_interval(POLL_SECONDS, lambda: self.run_worker(listing.catch_up(self), group="poll", exit_on_error=False))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "toggle_notes" and self.article_view.opened is None else True

    def write(self, work: Coroutine[None, None, None], group: str = "store") -> None:
        """Run a write (or a dialog or a fetch that ends in one) in a worker; writes are never exclusive."""
        self.run_worker(work, group=group, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, Unreadable):
                self.notify(f"Cannot open this article: {error}", severity="error")
            else:
                self.notify(f"{type(error).__name__}: {error}", title="Something went wrong", severity="error")

    # -- the sidebar ----------------------------------------------------------------------------

    def redraw(self, keep: str | None = None) -> None:
        """Draw the sidebar for the session's state, the cursor kept on ``keep`` (by default: on
        its row; at the top of the list a growing listing shows its newest, unless it would take
        the place of the article being read)."""
        browsing = self.article_view.opened is None or self.library.has_focus_within
        self.library.show(self.session.sidebar.view(keep if keep is not None else self.article_list.keep_key(browsing)))

    def show_listing(self, listing: Listing) -> None:
        """Show a listing (a first batch, the cache, a scan)."""
        self.session.show_listing(listing)
        self.relist()

    def relist(self) -> None:
        """The listing, the marks or the feeds' errors changed: draw the sidebar (and open an article)."""
        self.redraw()
        articles = self.session.sidebar.articles
        if not articles:
            self.article_view.show_empty("No articles yet", f"Put .txt, .md or .html files in {self.session.library_folder}, "
                                         "or start reader with a file or folder: reader PATH")
        elif not self._requested:  # the first listing: its first article, once the list is on screen
            self.call_after_refresh(self._open_first)

    def _open_first(self) -> None:
        articles = self.session.sidebar.articles
        if articles and not self._requested:  # unless one was asked for meanwhile
            self.open_article(self.article_list.current or articles[0], focus=False)

    async def first_screen_shown(self) -> None:
        """The first headlines are drawn (or there are none to show): returns once they are on
        screen, so that the start-up work after it does not compete with the first paint."""
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        await painted.wait()
        self.post_message(self.FirstScreen())

    @on(ArticleList.Highlighted)
    def _preview_later(self, event: ArticleList.Highlighted) -> None:
        self._stop_preview()
        opened = self.article_view.opened
        if (opened is None or opened.id != event.meta.id) and event.meta.id != self._opening:
            self._preview = self.set_timer(PREVIEW_DELAY, lambda: self.open_article(event.meta, focus=False))

    def _stop_preview(self) -> None:
        if self._preview is not None:
            self._preview.stop()

    @on(ArticleList.Chosen)
    def _open_chosen(self, event: ArticleList.Chosen) -> None:
        self._stop_preview()
        opened = self.article_view.opened
        if opened is not None and opened.id == event.meta.id:
            self.article_view.focus()
            reading_flow.mark_read(self, event.meta)
        else:
            self.open_article(event.meta)

    @on(ArticleList.Toggled)
    def _toggle_group(self, event: ArticleList.Toggled) -> None:
        self.write(self.session.toggle_group(event.group))
        self.redraw(event.group)

    @on(LibraryPane.FilterChanged)
    def _filter_changed(self, event: LibraryPane.FilterChanged) -> None:
        self.session.sidebar.set_query(event.query)
        self.redraw(self.article_list.current_key)  # the cursor stays on its row
        if len(event.query.strip()) >= MIN_BODY_QUERY:
            self.run_worker(listing.search(self, event.query), group="search", exclusive=True, exit_on_error=False)

    # -- the article ----------------------------------------------------------------------------

    def open_article(self, meta: ArticleMeta, focus: bool = True, at: Annotation | None = None) -> None:
        """Load an article, show it at its saved position (or a passage), mark it read when focused."""
        self._requested = True
        self.run_worker(self._open(meta, focus, at), group="article", exit_on_error=False)

    async def _open(self, meta: ArticleMeta, focus: bool, at: Annotation | None) -> None:
        shown = self._open_started(meta.id)
        try:
            await reading_flow.open_article(self, meta, focus, at, shown)
        finally:
            shown()
            if self._opening == meta.id:
                self._opening = None

    def _open_started(self, article: str) -> Callable[[], None]:
        """Count an open until the callback it returns is called (the article is shown, or the
        open stepped aside or failed)."""
        self._opens += 1
        self._all_shown.clear()
        self._asked_for = article
        done = False

        def shown() -> None:
            nonlocal done
            if not done:
                done = True
                self._opens -= 1
                if not self._opens:
                    self._all_shown.set()
        return shown

    def _for_the_article_opening(self, then: Callable[[], None]) -> bool:
        """A key for the article pressed while one is opening (``.`` then ``b`` typed at once) is
        for the one coming, not the one leaving: ``then`` runs once it is shown, if it is (an
        open that failed leaves the key unanswered). False when no article is opening."""
        if not self._opens:
            return False
        wanted = self._asked_for

        async def after() -> None:
            await self._all_shown.wait()
            opened = self.session.reading.opened
            if opened is not None and opened.id == wanted and self.article_view.opened is not None \
                    and self.article_view.opened.id == wanted:
                then()
        self.write(after())
        return True

    def show_passages(self, opened: OpenArticle) -> None:
        """Draw the open article's bookmarks and notes in the article, the panel and the sidebar."""
        reading_flow.show_passages(self, opened)

    @on(ArticleView.CursorMoved)
    def _remember_position(self, event: ArticleView.CursorMoved) -> None:
        if self.article_view.has_focus and self.session.reading.moved(event.article, event.block):
            if self._save_timer is not None:
                self._save_timer.stop()
            self._save_timer = self.set_timer(SAVE_POSITION_DELAY, lambda: self.write(self.session.reading.save_position()))

    def on_unmount(self) -> None:
        """A position still waiting for its timer when reader closes is written now."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self.session.reading.save_position_now()

    @on(ReadingPane.LinkChosen)
    def _confirm_link(self, event: Markdown.LinkClicked | ReadingPane.LinkChosen) -> None:
        event.stop()
        reading_flow.confirm_link(self, event.href)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """A link clicked in the article (handled by name: Textual's Markdown loads with the first article)."""
        self._confirm_link(event)

    # -- passages: the reading pane and the notes panel ask, ``annotating`` answers ---------------

    @on(ReadingPane.PassageAsked)
    def _passage_asked(self, event: ReadingPane.PassageAsked) -> None:
        if event.exact and self._opens:
            return  # text selected in the article that is leaving
        if not self._for_the_article_opening(lambda: self.reading.action_ask(event.what)):
            annotating.passage_asked(self, event.span, event.exact, event.what)

    @on(ReadingPane.ArticleAsked)
    def _article_asked(self, event: ReadingPane.ArticleAsked) -> None:
        if not self._for_the_article_opening(lambda: annotating.article_asked(self, event.what)):
            annotating.article_asked(self, event.what)

    @on(NotesPanel.Jump)
    async def _jump(self, event: NotesPanel.Jump) -> None:
        if await self.reading.go_to(event.id):
            self.article_view.focus()

    @on(NotesPanel.Asked)
    def _notes_asked(self, event: NotesPanel.Asked) -> None:
        annotating.notes_asked(self, event.id, event.what)

    def action_toggle_notes(self) -> None:  # -notes: below 110 columns the panel takes the sidebar's place (app.tcss)
        self.notes.display = self.toggle_class("-notes").has_class("-notes")
        (self.notes if self.notes.display else self.article_view).focus()

    def action_annotations(self) -> None:
        self.write(annotating.browse(self))

    def action_undo(self) -> None:
        self.write(annotating.undo(self))

    # -- feeds, and the other keys ---------------------------------------------------------------

    def action_refresh_feeds(self) -> None:
        self.write(feeds.refresh(self, None), "feeds")

    def action_refresh_feed(self) -> None:
        opened = self.article_view.opened  # the article being read, wherever the list's cursor is
        self.write(feeds.refresh_source(self, opened.article.meta.source if opened is not None else ""), "feeds")

    def action_filter(self) -> None:
        self.library.focus_filter()

    def action_back(self) -> None:
        self.library.focus_list()

    def action_next_article(self, step: int) -> None:
        reading_flow.next_article(self, step)

    def action_star(self) -> None:
        reading_flow.star(self)

    def action_next_pane(self, step: int) -> None:
        panes = [p for p in (self.article_list, self.article_view, self.notes) if p in self.screen.focus_chain]
        focused = self.article_list if self.focused is self.library.filter_box else self.focused
        index = panes.index(focused) if focused in panes else (-1 if step > 0 else 0)
        panes[(index + step) % len(panes)].focus()

    def action_help(self) -> None:
        from reader.ui.screens.help import HelpScreen, reading_keys  # a screen the first frame does not draw loads when opened

        self.app.push_screen(HelpScreen(reading_keys(self.BINDINGS, self.app.BINDINGS)))

    # -- used by the command palette and the annotations screen ---------------------------------

    def all_articles(self) -> tuple[ArticleMeta, ...]:
        """Every listed article, ignoring the filter."""
        return self.session.sidebar.articles

    def open_listed(self, article: str, at: Annotation | None = None) -> None:
        """Open an article by id (at a passage), clearing a filter that hides it."""
        sidebar = self.session.sidebar
        meta = sidebar.find(article)
        if meta is None:
            self.notify("That article is not in the library any more; the annotation is kept.", severity="warning")
            return
        if sidebar.current.row_of(article) is None and sidebar.query:
            self.library.clear_filter()
            sidebar.set_query("")
            self.redraw()
        self._stop_preview()
        self._opening = article
        self.article_list.select_id(article)
        self.open_article(meta, at=at)
