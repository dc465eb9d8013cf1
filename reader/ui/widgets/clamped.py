"""Text shown on at most a few lines: wrapped to the width it has, the last line ending in ``…``
when there is more (CSS can cut a single line with an ellipsis, not a wrapped paragraph)."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Static

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


class Clamped(Static):
    """Untrusted or long text (a quote) on at most ``lines`` lines, never interpreted as markup."""

    def __init__(self, text: str, lines: int = 4, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._text = Content(" ".join(text.split()))
        self._lines = lines
        self.update(self._text)

    def on_resize(self, event: events.Resize) -> None:
        """Wrap again for the new width."""
        self.update(clamp(self._text, self.content_size.width, self._lines))
