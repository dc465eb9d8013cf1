"""What the reading screen does for ``c``, ``t``, ``T`` and ``y``: the colour chooser, the tag
prompts and the citation copied to the clipboard.

Plain functions over the screen's ``Host`` face (``host.py``).
"""

from __future__ import annotations

from typing import Callable

from reader.domain.annotations.tags import BadTag
from reader.session.annotating import SaveFailed, Target
from reader.session.styling import citation_of, color_choices, parse_tags, tags_line
from reader.ui.screens.color_chooser import ColorChooser
from reader.ui.screens.host import Host
from reader.ui.screens.prompt import PromptScreen

TAGS_HINT = "e.g. science, long reads"


def choose_color(host: Host, target: Target) -> None:
    """``c``: ask for a colour, then give it to the passage (bookmarking it if it has none)."""
    current = target.existing.annotation.color if target.existing is not None else ""

    def chosen(color: str | None) -> None:
        if color is not None and (target.existing is None or color != current):
            host.write(restyle(host, target, color=color))

    host.app.push_screen(ColorChooser(color_choices(), current), chosen)


def edit_tags(host: Host, target: Target) -> None:
    """``t``: edit the passage's tags in a one-line prompt (bookmarking it if it has none)."""
    current = target.existing.annotation.tags if target.existing is not None else ()
    ask_tags(host, "Tags of this passage (comma-separated; empty removes them)", current, lambda tags: host.write(restyle(host, target, tags=tags)))


def tag_article(host: Host) -> None:
    """``T``: edit the whole article's own tags."""
    opened = host.session.reading.opened
    if opened is not None:
        ask_tags(host, f"Tags of “{opened.article.title}” (comma-separated; empty removes them)", opened.tags, lambda tags: host.write(save_article_tags(host, tags)))


def ask_tags(host: Host, question: str, current: tuple[str, ...], save: Callable[[tuple[str, ...]], None]) -> None:
    """Ask for tags starting from ``current``; ``save`` gets them cleaned, unless nothing changed."""

    def answered(line: str | None) -> None:
        if line is None:
            return
        try:
            tags = parse_tags(line)
        except BadTag as error:
            host.notify(f"Tags not saved: {error}.", severity="error")
            return
        if tags != current:
            save(tags)

    host.app.push_screen(PromptScreen(question, TAGS_HINT, tags_line(current)), answered)


async def restyle(host: Host, target: Target, *, color: str | None = None, tags: tuple[str, ...] | None = None) -> None:
    """Save a colour or tags on the passage; the article and the panel show them once stored."""
    try:
        saved, opened = await host.session.annotating.restyle(target, color=color, tags=tags)
    except SaveFailed as error:
        host.notify(f"Not saved: {error}", severity="error")
        return
    if color is not None:
        host.notify(f"Coloured {color}" if color else "Colour removed", timeout=2)
    else:
        host.notify("Tagged " + ", ".join(saved.tags) if saved.tags else "Tags removed", timeout=2)
    if opened is not None:
        host.show_passages(opened)


async def save_article_tags(host: Host, tags: tuple[str, ...]) -> None:
    """Save the open article's tags; the notes panel shows them."""
    try:
        opened = await host.session.annotating.tag_article(tags)
    except SaveFailed as error:
        host.notify(f"Tags not saved: {error}", severity="error")
        return
    host.notify("Article tagged " + ", ".join(tags) if tags else "Article tags removed", timeout=2)
    if opened is not None:
        host.show_passages(opened)


def copy_citation(host: Host, target: Target) -> None:
    """``y``: copy the citation ``reader cite`` prints (Markdown, with a link to the passage)."""
    opened = host.session.reading.opened
    if opened is None:
        return
    existing = target.existing.annotation if target.existing is not None else None
    text = citation_of(opened, target.span, existing)
    host.app.copy_to_clipboard(text)
    quote = " ".join((existing.quote if existing else opened.projection.text[slice(*target.span)]).split())
    link = " with a link to the passage" if "#:~:text=" in text else ""
    host.notify(f"Copied a citation of “{quote[:60]}{'…' if len(quote) > 60 else ''}”{link}", timeout=4)


PASSAGE_FLOWS: dict[str, Callable[[Host, Target], None]] = {"color": choose_color, "tags": edit_tags, "cite": copy_citation}
"""What each passage key other than ``b`` and ``n`` does (``ReadingPane.PassageAsked.what``)."""
