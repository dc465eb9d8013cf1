"""Textual's footer, rebuilt only when the keys it shows change.

Textual rebuilds every key of the footer each time a screen's bindings are refreshed (a focus
change, an article opened), even when the same keys come back; on the reading screen that was
60 ms of each long read's open. This footer remembers the keys it last composed and is rebuilt
only for others.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


def keys_shown(screen: Screen[object]) -> tuple[tuple[object, ...], ...]:
    """What a footer shows of a screen's bindings now: each key, its text, state and tooltip."""
    return tuple((binding.key, binding.description, binding.action, enabled, tooltip)
                 for _node, binding, enabled, tooltip in screen.active_bindings.values() if binding.show)


class ReaderFooter(Footer):
    """A footer that keeps its keys while the keys shown, their state and tooltips are the same."""

    def __init__(self) -> None:
        super().__init__()
        self._ready = False
        self._composed: tuple[tuple[object, ...], ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild the keys, unless the ones composed last are the ones to show."""
        if self._ready and keys_shown(screen) == self._composed:
            return
        self._ready = True
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if self._ready:  # (before the first bindings, Textual's footer composes nothing)
            self._composed = keys_shown(self.screen)
        yield from super().compose()
