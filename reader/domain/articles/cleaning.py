"""Cleaning of untrusted text: everything that comes from outside passes through here once."""

from __future__ import annotations

import re

# C0 controls except tab (09) and newline (0A); DEL; C1 controls; bidi embeddings, overrides and
# isolates; zero-width and invisible formatting characters; lone surrogates; the BOM.
_FORBIDDEN = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb"
    "\ud800-\udfff"
    "]"
)


def clean_text(text: str) -> str:
    """Remove control, bidi-override and zero-width characters; keep tab, newline and the rest.

    A carriage return becomes a newline first (CRLF becomes one newline), so line structure
    survives. The result contains no character that a terminal could act on.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _FORBIDDEN.sub("", text)


def clean_line(text: str) -> str:
    """``clean_text`` for a one-line field (a title, a label): newlines and tabs become spaces."""
    cleaned = clean_text(text).replace("\n", " ").replace("\t", " ")
    return " ".join(cleaned.split())


def shorten(text: str, limit: int, fill: bool = False) -> str:
    """``text`` if it has at most ``limit`` characters, else cut with ``…`` where it was cut: no
    space before the ``…`` (for reading), or with ``fill`` exactly ``limit`` characters (for a
    consumer's limit, where every character kept counts)."""
    if len(text) <= limit:
        return text
    kept = text[: max(0, limit - 1)]
    return (kept if fill else kept.rstrip()) + "…"
