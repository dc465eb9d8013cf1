"""How Markdown articles are laid out (issue 12, 13): one blank line around headings, code and
tables (also where a page of blocks begins), table columns in their alignment, and a sign on a
code block whose lines are cut in a narrow pane."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget
from textual.widgets import Label
from textual.widgets._markdown import MarkdownFence, MarkdownTableCellContents

from .conftest import Running, write_article

LONG_LINE = "x = [" + ", ".join(str(n) for n in range(60)) + "]"

LAYOUT = f"""---
title: Layout story
---
First paragraph.

## A heading

Paragraph after the heading.

```
{LONG_LINE}
short = 1
```

Paragraph after the code.

| Name | Qty | Mid |
|:-----|----:|:---:|
| apple | 1 | x |
| banana | 1000 | yyy |

Paragraph after the table.

### A smaller heading

Last paragraph.
"""


def text_rows(widget: Widget) -> tuple[int, int]:
    """The first screen row of a block's text and the row after its box (a code block's padding
    is not text; its scroll bar is part of its box)."""
    if isinstance(widget, MarkdownFence):
        return widget.query_one(Label).content_region.y, widget.region.bottom
    return widget.content_region.y, widget.content_region.bottom


async def open_story(run: Running, title: str) -> None:
    await run.choose(title)
    await run.press("G")  # every page built
    await run.press("g")


def blank_rows_between_blocks(run: Running) -> list[int]:
    view = run.view
    assert view.opened is not None
    widgets = [view.block_widget(i) for i in range(len(view.opened.projection.blocks))]
    assert all(w is not None for w in widgets)
    rows = [text_rows(w) for w in widgets if w is not None]
    return [after[0] - before[1] for before, after in zip(rows, rows[1:])]


async def test_one_blank_line_between_every_block_headings_code_and_tables_too(launch, data_dir: Path) -> None:
    write_article(data_dir / "articles", "layout.md", LAYOUT)
    async with launch() as run:
        await open_story(run, "Layout story")
        assert blank_rows_between_blocks(run) == [1] * 8


async def test_a_heading_that_begins_a_page_has_one_blank_line_before_it_too(launch, data_dir: Path) -> None:
    words = " ".join(f"word{n}" for n in range(1300))
    write_article(data_dir / "articles", "pages.md",
                  f"---\ntitle: Paged story\n---\n{words}\n\n## Second page\n\nMore text.\n\n```\ncode\n```\n")
    async with launch() as run:
        await open_story(run, "Paged story")
        assert len(run.view.stack.pages) == 2
        assert blank_rows_between_blocks(run) == [1, 1, 1]


async def test_table_columns_keep_their_alignment(launch, data_dir: Path) -> None:
    write_article(data_dir / "articles", "layout.md", LAYOUT)
    async with launch() as run:
        await open_story(run, "Layout story")
        cells = list(run.view.query(MarkdownTableCellContents))
        assert len(cells) == 9
        margins = [(lead(cell), cell.size.width - len(cell.render_line(0).text.rstrip())) for cell in cells]
        for row in (0, 1, 2):  # the header, "apple | 1 | x", "banana | 1000 | yyy"
            (name_lead, _), (_, qty_tail), (mid_lead, mid_tail) = margins[row * 3 : row * 3 + 3]
            assert name_lead <= 1, "left"
            assert qty_tail <= 1, "right: at most the cell's padding after it"
            assert abs(mid_lead - mid_tail) <= 1 and mid_lead > 1, "centred"


def lead(cell: Widget) -> int:
    text = cell.render_line(0).text
    return len(text) - len(text.lstrip())


async def test_a_code_line_cut_by_a_narrow_pane_shows_a_sign(launch, data_dir: Path) -> None:
    write_article(data_dir / "articles", "layout.md", LAYOUT)
    async with launch() as run:
        await open_story(run, "Layout story")
        fence = run.view.query_one(MarkdownFence)
        assert fence.size.width < len(LONG_LINE)  # the line is cut here (120 columns minus the sidebar)
        assert fence.show_horizontal_scrollbar  # a scroll bar under it says so, and scrolls to the rest
        assert fence.horizontal_scrollbar.region.height == 1
        short = Path(data_dir / "articles" / "short.md")
        write_article(short.parent, short.name, "---\ntitle: Short code\n---\nText.\n\n```\nshort = 1\n```\n")
        await run.pilot.pause(3)  # the library notices the new file
        await run.settle()
        await open_story(run, "Short code")
        assert not run.view.query_one(MarkdownFence).show_horizontal_scrollbar  # nothing cut: no sign
