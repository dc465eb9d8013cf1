"""The one markdown-it configuration in Textual's Markdown widget: what it shows is the projection."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock

from reader.domain.articles.markdown import make_parser, project

BODY = """Intro with a note[^1] and a bare https://example.org/a_b link, www.example.org too.

[^1]: The note, written
    over two lines.

Middle paragraph[^x].

[^x]:
    - a note that is a list

- item one
- item two

> quoted text

A picture ![a cat](https://example.com/cat.png) and one ![](https://example.com/dog.png) without words.
"""


class _Page(App[None]):
    def compose(self) -> ComposeResult:
        yield Markdown(BODY, parser_factory=make_parser, open_links=False)


def _leaf_texts(block: MarkdownBlock) -> list[str]:
    """The text of each block inside ``block`` (or of ``block`` itself) that holds no other block."""
    leaves = [inner for inner in block.query(MarkdownBlock) if not inner.query(MarkdownBlock)]
    return [leaf._content.plain for leaf in leaves] or [block._content.plain]


async def test_widget_shows_footnotes_and_links_as_the_projection_says() -> None:
    app = _Page()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        markdown = app.query_one(Markdown)
        shown = ["\n".join(_leaf_texts(block)) for block in markdown.children if isinstance(block, MarkdownBlock)]
    assert shown == [block.text for block in project(BODY).blocks]
    assert "[1] The note, written over two lines." in shown
    assert shown[0].startswith("Intro with a note[1] and a bare https://example.org/a_b link")
    assert shown[-1] == "A picture ▣ a cat and one ▣ image without words."
