"""Text shown on at most a few lines: wrapped to the width it has, the last line ending in ``…``
when there is more (CSS can cut a single line with an ellipsis, not a wrapped paragraph)."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from reader.domain.articles.cleaning import clean_line

ELLIPSIS = "…"


def clamp(text: Content, width: int, lines: int) -> Content:
    """``text`` wrapped to ``width`` cells, cut to ``lines`` lines, the last ending in ``…`` if cut."""
    if width <= 1 or lines < 1:
        return text
    wrapped = text.wrap(width)
    if len(wrapped) <= lines:
        return text
    last = wrapped[lines - 1].rstrip().truncate(width - len(ELLIPSIS)) + ELLIPSIS
    return Content("\n").join([*(line.rstrip() for line in wrapped[:lines - 1]), last])


class Clamped(Widget):
    """Untrusted or long text (a quote) on at most ``lines`` lines, never interpreted as markup."""

    def __init__(self, text: str, lines: int = 4, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = Content(clean_line(text))
        self._lines = lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the text takes at ``width``, at most ``lines``."""
        return min(self._lines, len(self._text.wrap(width))) if width else 0

    def render(self) -> Content:
        """The text cut to fit the width it has now."""
        return clamp(self._text, self.content_size.width, self._lines)
