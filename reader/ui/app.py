"""The Textual app: wiring of services, themes, screens and the command palette."""

from __future__ import annotations

import asyncio
import sys
from typing import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from reader.config import bundled_dir
from reader.domain.articles.cleaning import clean_text
from reader.services import Services
from reader.ui.commands import ArticleCommands
from reader.ui import palette
from reader.ui.browser import open_in_browser
from reader.ui.hangup import TerminalWatch
from reader.collector import IdleCollector
from reader.session import Session
from reader.ui.screens import commonplace, feeds, listing
from reader.ui.screens.main import MainScreen
from reader.ui.themes import THEME_VARIABLE_DEFAULTS, load_themes, neutral_dim
from reader.ui.widgets.inline_pictures import OFF, PictureSupport, detect

HANGUP_GRACE = 5.0
"""Seconds quitting may take once the terminal has gone before the process just ends."""

DEFAULT_THEME = "reader-dark"
THEME_CACHE = "theme"


class ReaderApp(App[None]):
    """reader: read the news, bookmark passages, keep notes."""

    TITLE = "reader"
    CSS_PATH = ["app.tcss"]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    """Screens narrower than 110 columns are ``-narrow``: there the notes panel replaces the sidebar."""
    COMMANDS = App.COMMANDS | {ArticleCommands}
    BINDINGS = [
        Binding("ctrl+p", "command_palette", "Commands", show=False, tooltip="Open the command palette", id="app.palette"),  # the footer shows it at its right
    ]

    def __init__(self, services: Services, pictures: PictureSupport | None = None, terminal: int | None = None) -> None:
        """``pictures``: what ``detect`` answered before the app took the terminal (asked now if
        not given and the user turned ``inline_images`` on); ``terminal``: the file descriptor of
        the terminal the app runs in, watched so that the app quits when it goes away."""
        self._measure = services.settings.measure  # before App.__init__, which reads the CSS variables
        super().__init__()
        self.services = services
        self.pictures = pictures if pictures is not None else detect() if services.settings.inline_images else OFF
        self.session = Session(services)
        themes, problems = load_themes([bundled_dir("themes"), services.paths.user_themes_dir])
        for theme in themes:
            self.register_theme(theme)
        self._theme_problems = problems
        self.theme = self._usable(self._cached_theme() or services.settings.theme)  # before the first CSS parse: no second one
        self._collector = IdleCollector()
        self._store_opening = False
        self._terminal = TerminalWatch(terminal)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's colours, ``$modal-dim`` (a theme may set its own) and ``$measure``: the
        longest line of an article, in columns."""
        variables = super().get_css_variables()
        return {"modal-dim": neutral_dim(variables["background"]), **variables, "measure": str(self._measure)}

    def get_default_screen(self) -> Screen:
        return MainScreen(self.session)

    def on_mount(self) -> None:
        for problem in self._theme_problems:
            self.notify(f"{problem.path.name}: {problem.reason}", title="Theme not loaded", severity="warning")
        if self.pictures.notice:
            self.notify(self.pictures.notice, title="Pictures", severity="warning", timeout=12)
        self._collector.start()
        self.set_interval(1.0, self._collector.tick)
        if self._terminal.armed:
            self.set_interval(1.0, self._quit_if_terminal_gone)

    def _quit_if_terminal_gone(self) -> None:
        """The terminal hung up and no signal said so (see ``hangup``): quit as ``q`` does, so
        the reading position waiting to be saved is saved."""
        if self._terminal.gone():
            self._terminal.detach()  # what Textual still writes or reads on the way out goes nowhere
            self._terminal.end_after(HANGUP_GRACE)
            self.exit()

    def on_unmount(self) -> None:
        self._collector.stop()

    def _usable(self, name: str | None) -> str:
        return name if name and name in self.available_themes else DEFAULT_THEME

    def _cached_theme(self) -> str | None:
        """The theme last chosen, from a one-line cache, so the first frame needs no store."""
        try:
            return (self.services.paths.cache_dir / THEME_CACHE).read_text(encoding="utf-8").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    def on_main_screen_first_screen(self, message: MainScreen.FirstScreen) -> None:
        if not self._store_opening:
            self._store_opening = True
            self._open_store()

    @work(group="store", exit_on_error=False)
    async def _open_store(self) -> None:
        """Open the store off the event loop (a big one takes a while), then apply what it holds."""
        try:
            store = await asyncio.to_thread(lambda: self.services.store)
            chosen, findings = await asyncio.to_thread(lambda: (store.setting("theme"), store.damage()))
            unacknowledged = {d.message() for d in findings if d.blocking}
        except Exception as error:  # StoreError and OSError: say so, keep reading
            self.notify(str(error), title="Your notes could not be opened", severity="error", timeout=30)
            return
        if chosen and self._usable(chosen) != self.theme:
            self.theme = self._usable(chosen)
        for message in self.session.notices():  # damage not acknowledged stays up longest: it says what was lost
            if message in unacknowledged:
                self.notify(message, title="Your notes file was damaged", severity="error", timeout=120)
            else:
                self.notify(message, title="Your notes", severity="warning", timeout=20)
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _remember_theme(self, theme) -> None:
        def save() -> None:
            if self.services.store.read_only:
                return  # opening said so; the theme holds for this session
            self.services.store.set_setting("theme", theme.name)
            cache = self.services.paths.cache_dir
            cache.mkdir(parents=True, exist_ok=True)
            (cache / THEME_CACHE).write_text(theme.name, encoding="utf-8")

        self.run_worker(asyncio.to_thread(save), group="store", exit_on_error=False)

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Notifications never interpret markup nor pass control characters: they often quote
        titles, URLs and file names."""
        super().notify(clean_text(message), title=clean_text(title), severity=severity, timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """Ctrl+C: say which key quits, in plain words."""
        self.notify(palette.quit_hint(self), title="Quit?", timeout=4)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save a picture of the screen in reader's data folder and say where."""
        self.run_worker(palette.save_screenshot(self, self.services.paths.screenshots_dir), exit_on_error=False)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open ``url`` in the browser; say so when there is none (Textual's own says nothing)."""
        if self.is_web:
            super().open_url(url, new_tab=new_tab)
        else:
            self.run_worker(open_in_browser(self, url, new_tab), group="browser", exit_on_error=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        main = self._main_screen()
        yield from palette.own_commands(super().get_system_commands(screen), main,
                                        lambda: self.set_timer(0.1, self.action_screenshot))  # once the palette closed
        yield SystemCommand("Open article…", "Find an article by its title and open it", self.action_open_article)
        if main is not None:
            yield SystemCommand("Add feed…", "Subscribe to an RSS, Atom or JSON feed",
                                lambda: main.write(feeds.subscribe(main), "feeds"))
            yield SystemCommand("Remove feed…", "Unsubscribe from a feed (its articles stay)",
                                lambda: main.write(feeds.choose_to_unsubscribe(main), "feeds"))
            yield SystemCommand("Refresh feeds", "Fetch every subscribed feed and sync every account (r)", main.action_refresh_feeds)
            yield SystemCommand("Save page…", "Save a web page as an article (as reader save URL does)",
                                lambda: main.write(feeds.save_page(main), "feeds"))
            if main.session.sidebar.listing.skipped:
                yield SystemCommand("Skipped files", "Which files were not listed, and why",
                                    lambda: listing.tell_skipped(main, again=True))
            yield SystemCommand("Review today's passages", "The daily review: a few passages to look at again (v)",
                                self.action_review)
            yield SystemCommand("Tags", "Every tagged passage and article, by tag: a commonplace book (#)",
                                self.action_tag_view)

    def _main_screen(self) -> MainScreen | None:
        return next((s for s in reversed(self.screen_stack) if isinstance(s, MainScreen)), None)

    def action_review(self) -> None:
        """The daily review, over the reading screen."""
        main = self._main_screen()
        if main is not None:
            main.write(commonplace.review(main))

    def action_tag_view(self) -> None:
        """The tag view, over the reading screen."""
        main = self._main_screen()
        if main is not None:
            main.write(commonplace.tag_view(main))

    def action_open_article(self) -> None:
        """A palette that searches only articles."""
        from textual.command import CommandPalette

        self.push_screen(CommandPalette(providers=[ArticleCommands], placeholder="Open article…"))


def run_app(services: Services) -> int:
    """Run the app until the user quits; the exit code for the CLI."""
    try:
        ReaderApp(services, detect() if services.settings.inline_images else OFF, terminal=_terminal_fd()).run()
    finally:
        services.close()
    return 0


def _terminal_fd() -> int | None:
    """The descriptor Textual reads the keyboard from (``sys.__stdin__``), if there is one."""
    try:
        return sys.__stdin__.fileno() if sys.__stdin__ is not None else None
    except (OSError, ValueError):
        return None
