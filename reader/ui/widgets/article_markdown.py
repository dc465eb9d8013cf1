"""The Markdown widget of a page of an article: Textual's, with table columns in the alignment
the table asks for (``:--:`` centred, ``--:`` right).

Only public API: the alignments come from our own parse of the page's source (the domain's
markdown-it parser), and the cells are found by the ``header`` and ``cell`` classes Textual's
table gives them, in document order, one table after another. tests/ui/test_markdown_layout.py
notices if Textual's table stops marking its cells so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.await_complete import AwaitComplete
from textual.widget import Widget
from textual.widgets import Markdown

ALIGNMENTS = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}
"""The style markdown-it gives a header cell, and the text alignment it stands for."""


def table_alignments(parser: Any, source: str) -> list[list[str]]:
    """For each table in ``source``, in order, its columns' alignments (``left`` by default)."""
    tables: list[list[str]] = []
    for token in parser.parse(source):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "th_open" and tables:
            style = str((token.attrs or {}).get("style", "")).replace(" ", "")
            tables[-1].append(ALIGNMENTS.get(style, "left"))
    return tables


def _tables(page: Widget) -> list[list[Widget]]:
    """The cells of each table on the page (headers first, then the rows), in document order."""
    parents: list[Widget] = []
    for header in page.query(".header"):
        parent = header.parent
        if isinstance(parent, Widget) and parent not in parents:
            parents.append(parent)
    return [[child for child in parent.children if child.has_class("header") or child.has_class("cell")] for parent in parents]


class ArticleMarkdown(Markdown):
    """Textual's Markdown widget whose tables keep their columns' alignment."""

    def __init__(self, *, parser_factory: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__(parser_factory=parser_factory, **kwargs)
        self._make_parser = parser_factory

    def update(self, markdown: str) -> AwaitComplete:
        """Show ``markdown``, then align its tables' cells."""
        shown = super().update(markdown)

        async def aligned() -> None:
            await shown
            if "|" in markdown:
                self._align(table_alignments(self._make_parser(), markdown))

        return AwaitComplete(aligned())

    def _align(self, alignments: list[list[str]]) -> None:
        for columns, cells in zip(alignments, _tables(self)):
            if not columns or set(columns) == {"left"}:
                continue
            for index, cell in enumerate(cells):
                alignment = columns[index % len(columns)]
                if alignment != "left":
                    cell.styles.text_align = alignment  # type: ignore[assignment]
