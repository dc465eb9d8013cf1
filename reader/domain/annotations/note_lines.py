"""A note's Markdown as short lines of styled runs, for the compact lists that show notes (the
notes panel, the annotations screen): bold, italic, code and links kept; lists as bullets,
quotes with a bar, code blocks line by line, table rows with ``│`` between cells.

The note is the user's own text; it is parsed as Markdown (raw HTML off) and never as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reader.domain.articles.cleaning import clean_text
from reader.domain.articles.markdown import parse_tokens

_INLINE_STYLES = {"strong": "strong", "em": "em", "s": "strike", "link": "link"}
"""Inline token names (``strong_open`` …) and the style each gives its text."""


@dataclass(frozen=True)
class Run:
    """Some text of a line and its styles: ``strong``, ``em``, ``strike``, ``code``, ``link``,
    ``heading`` or ``marker`` (a bullet, a quote bar: not the note's own words)."""

    text: str
    styles: frozenset[str] = frozenset()


NoteLine = tuple[Run, ...]
"""One line of a rendered note."""


class _Lines:
    """Collects runs into lines; a line opens with the markers of the lists and quotes it is in."""

    def __init__(self) -> None:
        self.lines: list[list[Run]] = []
        self.quotes = 0
        self.lists: list[list[int]] = []  # per open list: [next number], or [] for bullets
        self.bullet: str | None = None
        self.cells = 0

    def open_line(self, styles: frozenset[str] = frozenset()) -> None:
        prefix = "▎ " * self.quotes + "  " * max(0, len(self.lists) - 1)
        if self.bullet is not None:
            prefix, self.bullet = prefix + self.bullet, None
        elif self.lists:
            prefix += "  "
        self.lines.append([Run(prefix, frozenset({"marker"}))] if prefix else [])

    def add(self, text: str, styles: frozenset[str]) -> None:
        if not self.lines:
            self.open_line()
        line = self.lines[-1]
        if line and line[-1].styles == styles:  # one run per stretch of one style
            line[-1] = Run(line[-1].text + text, styles)
        elif text:
            line.append(Run(text, styles))

    def next_bullet(self) -> None:
        numbers = self.lists[-1] if self.lists else []
        if numbers:
            self.bullet = f"{numbers[0]}. "
            numbers[0] += 1
        else:
            self.bullet = "• "


_MARKUP = re.compile(r"[*_`\[\]#>|~<&!\\:\t]|^[ \t]*(?:[-+=]|\d+[.)])|^ {4}| {2}$", re.M)
"""What could make a note more than plain paragraphs (emphasis, code, links, lists, quotes, …)."""


@lru_cache(maxsize=4096)
def note_lines(note: str) -> tuple[NoteLine, ...]:
    """The note as lines of runs, in order; blank lines between blocks are left out. (Lists
    redraw the same notes at each keystroke of a filter: the answers are kept.)"""
    note = clean_text(note)
    return _parsed(note) if _MARKUP.search(note) else _plain(note)


def _plain(note: str) -> tuple[NoteLine, ...]:
    """A note with nothing Markdown in it (most notes): its paragraphs, no parser needed."""
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", note))
    return tuple((Run(p),) for p in paragraphs if p)


def _parsed(note: str) -> tuple[NoteLine, ...]:
    """The note as the shared Markdown parser reads it."""
    out = _Lines()
    block: frozenset[str] = frozenset()
    for token in parse_tokens(note):
        kind = token.type
        if kind == "blockquote_open":
            out.quotes += 1
        elif kind == "blockquote_close":
            out.quotes -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            out.lists.append([int(token.attrs.get("start", 1) or 1)] if kind == "ordered_list_open" else [])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            out.lists.pop()
        elif kind == "list_item_open":
            out.next_bullet()
        elif kind in ("paragraph_open", "heading_open", "tr_open"):
            block = frozenset({"heading"}) if kind == "heading_open" else frozenset()
            out.open_line(block)
            out.cells = 0
        elif kind in ("td_open", "th_open"):
            if out.cells:
                out.add(" │ ", frozenset({"marker"}))
            out.cells += 1
        elif kind in ("fence", "code_block"):
            for line in token.content.rstrip("\n").split("\n"):
                out.open_line()
                out.add(line, frozenset({"code"}))
        elif kind == "hr":
            out.open_line()
            out.add("───", frozenset({"marker"}))
        elif kind == "inline":
            _inline(out, token.children or [], block)
    return tuple(tuple(line) for line in out.lines if any(run.text.strip() for run in line))


def _inline(out: _Lines, children: list[Any], block: frozenset[str]) -> None:
    """The runs of one inline token's children onto the current line."""
    styles = set(block)
    for child in children:
        kind = child.type
        name, _, edge = kind.rpartition("_")
        if name in _INLINE_STYLES and edge in ("open", "close"):
            (styles.add if edge == "open" else styles.discard)(_INLINE_STYLES[name])
        elif kind == "text":
            out.add(child.content, frozenset(styles))
        elif kind == "code_inline":
            out.add(child.content, frozenset(styles | {"code"}))
        elif kind == "softbreak":
            out.add(" ", frozenset(styles))
        elif kind == "hardbreak":
            out.open_line()
        elif kind == "image":
            out.add(str(child.attrs.get("alt", "") or child.content), frozenset(styles | {"em"}))
