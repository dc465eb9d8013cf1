"""The tag view, a commonplace book: every tag across the library with its passages and the
articles tagged with it; Enter opens the passage (or the article)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.domain.annotations.colors import marker
from reader.domain.annotations.model import Annotation
from reader.session.commonplace import TaggedArticle, TagGroup
from reader.ui.widgets.footer import ReaderFooter
from reader.ui.widgets.choices import Choices

Chosen = Annotation | TaggedArticle
"""What Enter picks: a passage, or an article tagged as a whole."""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _passage(passage: Annotation) -> Content:
    quote = " ".join(passage.quote.split()) or "Note on the whole article"
    glyph = marker(passage.color) or " "
    head = Content.assemble(f"  {glyph} ", Content.styled(f"“{quote[:150]}{'…' if len(quote) > 150 else ''}”", "italic"))
    return Content("\n").join([head, Content.styled(f"    {passage.title or '(untitled)'}", "dim")])


class TagView(Screen[Chosen | None]):
    """Lists each tag (a heading) with what carries it; returns the passage or article chosen."""

    BINDINGS = [Binding("escape", "close", "Back", tooltip="Back to reading", id="tags.back")]

    def __init__(self, groups: tuple[TagGroup, ...]) -> None:
        super().__init__()
        self._groups = groups
        self._chosen: dict[str, Chosen] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="tags"):
            yield Static(Content("Tags — every tagged passage and article"), id="tags-title")
            yield Choices(id="tags-list")
            yield Static(id="tags-status", markup=False)
        yield ReaderFooter()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for n, group in enumerate(self._groups):
            counts = [_count(n, noun) for n, noun in ((len(group.passages), "passage"), (len(group.articles), "article")) if n]
            options.add_option(Option(Content.styled(f"#{group.tag}  ·  {', '.join(counts)}", "bold"), disabled=True))
            for passage in group.passages:
                self._chosen[key := f"{n}:p:{passage.id}"] = passage
                options.add_option(Option(_passage(passage), id=key))
            for article in group.articles:
                self._chosen[key := f"{n}:a:{article.id}"] = article
                options.add_option(Option(Content.assemble("  ▤ ", article.title, Content.styled("  (the article)", "dim")), id=key))
        status = f"{_count(len(self._groups), 'tag')} · Enter opens the passage" if self._groups else \
            "No tags yet: in an article, t tags the passage under the cursor, T the article."
        self.query_one("#tags-status", Static).update(Content(status))
        if self._chosen:
            options.highlighted = 1
        options.focus()

    @on(OptionList.OptionSelected, "#tags-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in self._chosen:
            self.dismiss(self._chosen[event.option.id])

    def action_close(self) -> None:
        self.dismiss(None)
