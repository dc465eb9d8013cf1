"""The article's header: the headline, one line of metadata (section, source, author, date,
reading time) and the address the article came from, all shown as plain text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from reader.domain.articles.article import ArticleMeta
from reader.domain.articles.cleaning import clean_line


def meta_line(meta: ArticleMeta) -> str:
    """Section, source, author, date (or the day it was added) and reading time, joined."""
    source = meta.source if meta.source != meta.section else ""
    parts = (meta.section, source, meta.author, meta.shown_date, f"{meta.minutes} min read")
    return " · ".join(clean_line(part) for part in parts if part)


class ArticleHeader(Vertical):
    """Headline (``#headline``), metadata (``#meta``) and the article's own address (``#source``)."""

    DEFAULT_CSS = """
    ArticleHeader { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="headline", markup=False)
        yield Static(id="meta", markup=False)
        yield Static(id="source", markup=False)

    def show(self, title: str, meta: str, url: str = "") -> None:
        """Show a headline, its metadata and an address (none: no line for it)."""
        self.query_one("#headline", Static).update(Content(clean_line(title)))
        self.query_one("#meta", Static).update(Content(meta))
        source = self.query_one("#source", Static)
        source.update(Content(clean_line(url)))
        source.display = bool(url)

    def show_article(self, meta: ArticleMeta) -> None:
        """Show an article's header."""
        self.show(meta.title, meta_line(meta), meta.url)
