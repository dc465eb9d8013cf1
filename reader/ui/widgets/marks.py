"""Drawing passages on rendered Markdown blocks: highlights, note markers, the narrowed sentence.

Styles go on a copy of each block's text as Markdown rendered it (kept here, by widget), so
drawing again, or taking a highlight away, starts from the rendered text.
"""

from __future__ import annotations

import re
from typing import Iterable
from weakref import WeakKeyDictionary

from textual.content import Content
from textual.widget import Widget
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

from reader.domain.annotations.colors import COLORS, marker
from reader.domain.articles.markdown import Block
from reader.session.passages import Highlight

HIGHLIGHT_STYLE = "on $highlight"
SENTENCE_STYLE = "underline on $sentence-cursor"


def highlight_style(color: str) -> str:
    """How a passage of ``color`` is painted: its theme variable ($highlight for no colour)."""
    return f"on $passage-{color}" if marker(color) else HIGHLIGHT_STYLE


_MARKERS = re.compile("(?:" + "|".join(re.escape(c.glyph) for c in COLORS) + ") ")


def without_markers(text: str) -> str:
    """Text selected in the article without the colour markers drawn into it (they are not the
    article's text)."""
    return _MARKERS.sub("", text)


def color_class(color: str) -> str:
    """The class a table or code block gets when a passage of ``color`` covers it."""
    return f"-passage-{color}"


def _is_leaf(widget: Widget) -> bool:
    """A block widget that renders one run of text: no block inside it, and text of its own."""
    if not isinstance(widget, MarkdownBlock) or any(isinstance(child, MarkdownBlock) for child in widget.children):
        return False
    return isinstance(widget, MarkdownFence) or (isinstance(widget.content, Content) and bool(widget.content.plain))


def leaves(block_widget: Widget) -> list[Widget]:
    """The widgets that render a block's runs of text, in document order."""
    return [w for w in (block_widget, *block_widget.query(MarkdownBlock)) if _is_leaf(w)]


class Decorations:
    """Draws marks on blocks, remembering the rendered text of every leaf it styled."""

    def __init__(self) -> None:
        self._rendered: WeakKeyDictionary[Widget, Content] = WeakKeyDictionary()

    def draw(self, block_widget: Widget, block: Block, marks: Iterable[Highlight], sentence: tuple[int, int] | None) -> None:
        """Draw the marks and the narrowed sentence (both in projection offsets) on one block."""
        noted = touched = False
        colors: set[str] = set()
        local: list[tuple[int, int, str]] = []
        glyphs: list[tuple[int, str, str]] = []  # a coloured passage's marker, where it starts
        for mark in marks:
            start, end = max(mark.start, block.start), min(mark.end, block.end)
            if start < end or (mark.start == mark.end == block.start):
                touched = True
                noted = noted or mark.noted
                colors.add(mark.color)
                local.append((start - block.start, end - block.start, highlight_style(mark.color)))
                if marker(mark.color) and block.start <= mark.start < block.end:
                    glyphs.append((mark.start - block.start, marker(mark.color) + " ", highlight_style(mark.color)))
        if sentence is not None:
            local.append((sentence[0] - block.start, sentence[1] - block.start, SENTENCE_STYLE))
        block_widget.set_class(noted, "-noted")
        widgets = leaves(block_widget)
        inline = len(widgets) == len(block.leaves) and block.kind not in ("table", "code")
        block_widget.set_class(touched and not inline, "-bookmarked")
        for color in COLORS:
            block_widget.set_class(touched and not inline and color.name in colors, color_class(color.name))
        block_widget.set_class(sentence is not None and inline, "-narrowed")  # the sentence, not the block, is the passage
        if inline:
            for widget, leaf in zip(widgets, block.leaves):
                if not isinstance(widget, MarkdownFence):
                    self._style(widget, leaf, local, glyphs)

    def _style(self, widget: Widget, leaf: tuple[int, int], spans: list[tuple[int, int, str]],
               glyphs: list[tuple[int, str, str]]) -> None:
        rendered = self._rendered.get(widget)
        if rendered is None:
            if not (spans or glyphs) or not isinstance(widget, MarkdownBlock) or not isinstance(widget.content, Content):
                return  # never styled, nothing to style: leave it as rendered
            rendered = self._rendered[widget] = widget.content
        styled = rendered
        leaf_start, leaf_end = leaf
        for start, end, style in spans:
            s, e = max(start, leaf_start), min(end, leaf_end)
            if s < e:
                styled = styled.stylize(style, s - leaf_start, e - leaf_start)
        for at, glyph, style in sorted(glyphs, reverse=True):  # from the end: offsets before stay put
            if leaf_start <= at < leaf_end:
                cut = at - leaf_start
                styled = styled[:cut] + Content.styled(glyph, style) + styled[cut:]
        assert isinstance(widget, MarkdownBlock)
        widget.update(styled)
        if styled is rendered:
            del self._rendered[widget]  # back as rendered: nothing to remember
