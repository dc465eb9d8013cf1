"""What the reading screen's flows (``listing``, ``reading_flow``, ``annotating``, ``feeds``) use
of the screen: said once, so that each flow is a plain function over this face, not a mixin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Coroutine, Protocol

if TYPE_CHECKING:
    from textual.app import App

    from reader.domain.annotations.model import Annotation
    from reader.domain.articles.library import Listing
    from reader.session import Session
    from reader.session.reading import OpenArticle
    from reader.ui.panes.library import LibraryPane
    from reader.ui.panes.notes import NotesPanel
    from reader.ui.panes.reading import ReadingPane


class Host(Protocol):
    """The reading screen as its flows see it."""

    session: "Session"

    @property
    def app(self) -> "App": ...  # noqa: D102

    @property
    def library(self) -> "LibraryPane": ...  # noqa: D102

    @property
    def reading(self) -> "ReadingPane": ...  # noqa: D102

    @property
    def notes(self) -> "NotesPanel": ...  # noqa: D102

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None) -> None:
        """Show a notification."""

    def write(self, work: Coroutine[None, None, None], group: str = "store") -> None:
        """Run a write, or a dialog or fetch that ends in one, in a worker."""

    def redraw(self, keep: str | None = None) -> None:
        """Draw the sidebar for the session's state."""

    def relist(self) -> None:
        """The listing, marks or feed errors changed: draw the sidebar, open an article if none is."""

    def show_listing(self, listing: "Listing") -> None:
        """Show a listing."""

    def show_passages(self, opened: "OpenArticle") -> None:
        """Draw the open article's bookmarks and notes everywhere they show."""

    def open_listed(self, article: str, at: "Annotation | None" = None) -> None:
        """Open an article by id."""

    async def first_screen_shown(self) -> None:
        """Returns once the first headlines are on screen."""

    def refresh_bindings(self) -> None:
        """Which keys are available changed."""
