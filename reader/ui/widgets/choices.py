"""A short list to choose from in a dialog (a colour, a link, a note's text): arrows or j / k."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class Choices(OptionList):
    """An ``OptionList`` that also moves with ``j`` and ``k``, as reader's other lists do."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, tooltip="Next choice", id="choices.down"),
        Binding("k", "cursor_up", "Up", show=False, tooltip="Previous choice", id="choices.up"),
    ]
