"""The library pane: the filter box, the list of articles and the status line under it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from reader.session.sidebar import SidebarView
from reader.ui.widgets.article_list import ArticleList


class LibraryPane(Vertical):
    """Shows a ``SidebarView``; says when the filter changed. Its list posts ``ArticleList`` messages."""

    BINDINGS = [
        Binding("escape", "clear_filter", "Clear filter", show=False,
                tooltip="In the list or the filter box: clear the filter", id="library.clear"),
    ]

    @dataclass
    class FilterChanged(Message):
        """The filter box holds new text."""

        query: str

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ filter", id="filter", compact=True)
        yield ArticleList(id="articles")
        yield Static(id="status", markup=False)

    @property
    def articles(self) -> ArticleList:
        """The list."""
        return self.query_one(ArticleList)

    @property
    def filter_box(self) -> Input:
        """The filter box."""
        return self.query_one("#filter", Input)

    def show(self, view: SidebarView) -> None:
        """Draw a new view of the sidebar, with its status line."""
        self.articles.show(view)
        self.say(view.status)

    def say(self, text: str) -> None:
        """Put a line (progress of a scan or a refresh) where the status goes."""
        self.query_one("#status", Static).update(Content(text))

    def focus_filter(self) -> None:
        """Type into the filter box."""
        self.filter_box.focus()

    def focus_list(self) -> None:
        """Move in the list."""
        self.articles.focus()

    def clear_filter(self) -> None:
        """Empty the filter box (the list then shows every article)."""
        self.filter_box.value = ""

    def action_clear_filter(self) -> None:
        if not self.filter_box.value and self.articles.has_focus:
            raise SkipAction()  # nothing to clear: Escape means what it means around the pane
        self.clear_filter()
        self.focus_list()

    @on(Input.Changed, "#filter")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.FilterChanged(event.value))

    @on(Input.Submitted, "#filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_list()
