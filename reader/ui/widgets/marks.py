"""Drawing passages on rendered Markdown blocks: highlights, note markers, the narrowed sentence.

Styles are applied to a copy of each block's text content, so the block's own text (which
Textual uses for mouse selection) stays as rendered.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget

from reader.domain.articles.markdown import Block

HIGHLIGHT_STYLE = "on $highlight"
SENTENCE_STYLE = "underline"
_INLINE = {"MarkdownParagraph", "MarkdownHeader", "MarkdownFence"}


@dataclass(frozen=True)
class Mark:
    """A span of the projection to draw: a bookmark (with or without a note)."""

    start: int
    end: int
    noted: bool = False


def _is_leaf(widget: Widget) -> bool:
    return any(cls.__name__ in _INLINE for cls in type(widget).__mro__)


def leaves(block_widget: Widget) -> list[Widget]:
    """The widgets that render a block's runs of text, in document order."""
    found = [block_widget] if _is_leaf(block_widget) else []
    found.extend(w for w in block_widget.query("*") if _is_leaf(w))
    return found


def _content_of(widget: Widget) -> Content | None:
    content = getattr(widget, "_content", None)
    return content if isinstance(content, Content) else None


def decorate(block_widget: Widget, block: Block, marks: list[Mark], sentence: tuple[int, int] | None) -> None:
    """Draw the marks and the narrowed sentence (both in projection offsets) on one block."""
    noted = False
    touched = False
    local: list[tuple[int, int, str]] = []
    for mark in marks:
        start, end = max(mark.start, block.start), min(mark.end, block.end)
        if start < end or (mark.start == mark.end == block.start):
            touched = True
            noted = noted or mark.noted
            local.append((start - block.start, end - block.start, HIGHLIGHT_STYLE))
    if sentence is not None:
        local.append((sentence[0] - block.start, sentence[1] - block.start, SENTENCE_STYLE))
    block_widget.set_class(noted, "-noted")
    widgets = leaves(block_widget)
    inline = len(widgets) == len(block.leaves) and block.kind not in ("table", "code")
    block_widget.set_class(touched and not inline, "-bookmarked")
    if not inline:
        return
    for widget, (leaf_start, leaf_end) in zip(widgets, block.leaves):
        content = _content_of(widget)
        if content is None or "Fence" in type(widget).__name__:
            continue
        styled = content
        for start, end, style in local:
            s, e = max(start, leaf_start), min(end, leaf_end)
            if s < e:
                styled = styled.stylize(style, s - leaf_start, e - leaf_start)
        if styled is not content or getattr(widget, "_reader_styled", False):
            widget.update(styled)
            widget._reader_styled = styled is not content  # type: ignore[attr-defined]
