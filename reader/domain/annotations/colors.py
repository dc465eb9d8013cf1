"""The named colours a passage can have: data the CLI, the exports and the UI share.

Every colour has a marker glyph (and an ASCII one) so that a passage's colour can be told apart
without seeing colour: for colour-blind readers and monochrome terminals. Each theme file sets
``passage-<name>`` for every colour here (a test checks it), so the UI can style passages from
the theme alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from reader.domain.articles.cleaning import clean_line


@dataclass(frozen=True)
class PassageColor:
    """One named colour: its name, its marker glyphs and the theme variable that paints it."""

    name: str
    glyph: str
    """A marker that differs in shape from every other colour's."""
    ascii: str
    """The marker for terminals without Unicode."""
    css: str
    """A light highlight colour for exports read outside the terminal (the W3C stylesheet)."""

    @property
    def theme_variable(self) -> str:
        """The theme variable (without ``$``) that each theme file sets for this colour."""
        return f"passage-{self.name}"


COLORS: tuple[PassageColor, ...] = (
    PassageColor("yellow", "●", "*", "#fff3a3"),
    PassageColor("green", "▲", "+", "#c8f0c0"),
    PassageColor("blue", "■", "#", "#c4dcff"),
    PassageColor("red", "◆", "!", "#ffc8c8"),
    PassageColor("purple", "★", "~", "#e4ccff"),
)
"""The colours a passage can have, in the order they are offered."""

BY_NAME = {color.name: color for color in COLORS}
"""Each colour by its name."""

NO_COLOR = "none"
"""What ``--color`` takes to remove a passage's colour."""


class UnknownColor(ValueError):
    """A colour name that is not one of ``COLORS``; ``str(error)`` is one sentence for the user."""


def color_named(name: str) -> str:
    """The colour called ``name`` (any case), or "" for ``none``; ``UnknownColor`` otherwise."""
    key = name.strip().lower()
    if key in ("", NO_COLOR):
        return ""
    if key not in BY_NAME:
        raise UnknownColor(f"unknown colour {clean_line(name)[:20]!r}; the colours are {', '.join(BY_NAME)} (or {NO_COLOR})")
    return key


def marker(color: str, *, ascii_only: bool = False) -> str:
    """The glyph that marks a passage of ``color`` ("" for no colour or one this version lacks)."""
    found = BY_NAME.get(color)
    if found is None:
        return ""
    return found.ascii if ascii_only else found.glyph
