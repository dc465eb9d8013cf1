"""Notes and quotes as the compact lists show them: the quote as plain text (it is the article's,
untrusted), the note rendered from its Markdown (``note_lines``), in the theme's colours."""

from __future__ import annotations

from functools import lru_cache

from textual.content import Content
from textual.widgets.option_list import Option

from reader.domain.annotations.note_lines import note_lines
from reader.domain.articles.cleaning import clean_line

RUN_STYLES = {"strong": "bold", "em": "italic", "strike": "strike", "code": "$text-accent", "link": "underline",
              "heading": "bold", "marker": "$text-muted"}
"""How each style of a note's run is drawn (theme variables only)."""

MORE = "…"


@lru_cache(maxsize=4096)
def note_content(note: str, max_lines: int) -> Content:
    """A note's first ``max_lines`` lines as Content, ``✎`` before the first, ``…`` if cut (kept:
    a filter redraws the same notes at each keystroke)."""
    lines = note_lines(note)
    shown = []
    for number, line in enumerate(lines[:max_lines]):
        runs = [Content.styled(run.text, " ".join(RUN_STYLES[s] for s in sorted(run.styles))) for run in line]
        lead = Content("✎ " if number == 0 else "  ")
        shown.append(Content.assemble(lead, *runs))
    if len(lines) > max_lines:
        shown[-1] = shown[-1] + MORE
    return Content("\n").join(shown)


OPENING_MARKS = frozenset("“\"'‘«„")
"""A quote that starts with one of these gets no second opening mark."""
CLOSING_MARKS = frozenset("”\"'’»")
"""A quote that ends with one of these (and is not cut) gets no second closing mark."""


def quote_content(quote: str, limit: int, style: str = "italic") -> Content:
    """An article's quote on one logical line (cleaned: it is untrusted), in curly quotes, cut at
    ``limit`` characters with ``…``."""
    words = clean_line(quote)
    cut = f"{words[:limit]}{MORE if len(words) > limit else ''}"
    opening = "" if cut[:1] in OPENING_MARKS else "“"
    closing = "" if cut[-1:] in CLOSING_MARKS and len(cut) > 1 else "”"
    return Content.styled(f"{opening}{cut}{closing}", style)


def remark_content(remark: str) -> Content:
    """What is said beside a passage whose text changed or is gone."""
    return Content.styled(f"  ({remark})", "italic $text-warning")


def with_rules(options: list[Option]) -> list[Option | None]:
    """The options with a rule (``None``: an OptionList separator) between each two."""
    ruled: list[Option | None] = []
    for option in options:
        ruled += [None, option] if ruled else [option]
    return ruled
