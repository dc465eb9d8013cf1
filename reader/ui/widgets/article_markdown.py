"""The Markdown widget of a page of an article: Textual's, with table columns in the alignment
the table asks for (``:--:`` centred, ``--:`` right).

Textual exports no table classes: these build on ``textual.widgets._markdown`` (pinned below 9 in
pyproject.toml; tests/ui/test_markdown_layout.py notices if the table's structure changes).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownTable, MarkdownTableContent, MarkdownTH

ALIGNMENTS = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}
"""The style markdown-it gives a header cell, and the text alignment it stands for."""


class AlignedTableContent(MarkdownTableContent):
    """The cells of a table, each aligned as its column's header says."""

    def __init__(self, headers, rows, alignments: list[str]) -> None:  # type: ignore[no-untyped-def]
        super().__init__(headers, rows)
        self.alignments = alignments

    def compose(self) -> ComposeResult:
        columns = max(1, len(self.headers))
        for index, cell in enumerate(super().compose()):
            alignment = self.alignments[index % columns] if index % columns < len(self.alignments) else "left"
            if alignment != "left":
                cell.styles.text_align = alignment  # type: ignore[assignment]
            yield cell


class AlignedTable(MarkdownTable):
    """A table whose columns keep their alignment."""

    def compose(self) -> ComposeResult:
        headers, rows = self._get_headers_and_rows()
        self._headers, self._rows = headers, rows
        yield AlignedTableContent(headers, rows, [_alignment(th) for th in _header_cells(self)])


def _header_cells(block: MarkdownBlock) -> list[MarkdownBlock]:
    found: list[MarkdownBlock] = []
    for child in block._blocks:
        if isinstance(child, MarkdownTH):
            found.append(child)
        found += _header_cells(child)
    return found


def _alignment(cell: MarkdownBlock) -> str:
    style = str(cell._token.attrs.get("style", "")).replace(" ", "")
    return ALIGNMENTS.get(style, "left")


class ArticleMarkdown(Markdown):
    """Textual's Markdown widget with aligned tables."""

    BLOCKS = {**Markdown.BLOCKS, "table_open": AlignedTable}
