"""The layout at the sizes people use: 80×24, 120×40 and 200×60. Dialogs fit the screen, the
sidebar and the notes panel leave the article a readable width, a wide screen keeps lines to a
comfortable measure, the sidebar's cursor colours its whole row, cut titles end in ``…``, the
footer names the palette once and the help's keys line up."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from reader.config import Settings
from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.screens.prompt import PromptScreen

from .conftest import Running, write_article
from .keys_support import SEED_TITLE, many_articles

READABLE = 36
"""The fewest columns of text an article may be left with."""

LONG_TITLE = "A remarkably long headline about the council's river plan that no sidebar can hold whole"
PARAGRAPH = " ".join(["The council voted on Tuesday to approve the river plan after a long debate."] * 8)


def long_article(data_dir: Path) -> None:
    """One article with a long title and long paragraphs, newest of the library."""
    body = "\n".join([PARAGRAPH] * 6)
    write_article(data_dir / "articles", "long.txt", f"NEWS\n{LONG_TITLE}\n{body}\n", mtime=1_800_000_000)


def text_width(run: Running) -> int:
    """The columns the article's first paragraph is laid out in."""
    block = run.view.block_widget(0)
    assert block is not None
    return block.content_region.width


def inside(widget: Widget, screen: Region) -> bool:
    """Whether a widget lies wholly on screen."""
    return screen.contains_region(widget.region)


async def open_long(run: Running) -> None:
    await run.choose(LONG_TITLE)
    assert run.view.block_widget(0) is not None


# -- dialogs fit ------------------------------------------------------------------------------


async def save_nothing(text: str) -> str | None:
    return None


DIALOGS = {
    "note editor": lambda: NoteEditor("Note on “the river plan”", PARAGRAPH, "", save_nothing),
    "confirm": lambda: ConfirmScreen("Unsubscribe from this feed?", "https://example.invalid/" + "long/" * 20),
    "prompt": lambda: PromptScreen("Subscribe to a feed (RSS, Atom or JSON Feed)", "https://…"),
    "help": lambda: HelpScreen([("Everywhere", [])]),
}


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@pytest.mark.parametrize("dialog", list(DIALOGS))
async def test_dialogs_fit_the_screen(launch, size: tuple[int, int], dialog: str) -> None:
    async with launch(size=size) as run:
        await run.app.push_screen(DIALOGS[dialog]())
        await run.settle()
        screen = run.app.screen.region
        box = run.app.screen.query_one("#editor, #dialog, #help")
        assert inside(box, screen), (box.region, screen)
        for part in box.query(Static):
            assert inside(part, screen), (part.id, part.region, screen)


async def test_the_note_editor_at_80_by_24_shows_its_quote_within_the_screen(launch, data_dir: Path) -> None:
    long_article(data_dir)
    async with launch(size=(80, 24)) as run:
        await open_long(run)
        await run.press("n")
        editor = run.app.screen
        assert isinstance(editor, NoteEditor)
        quote = editor.query_one("#note-quote")
        assert inside(quote, editor.region) and quote.region.width >= 60
        assert inside(editor.query_one("#note-text"), editor.region)


# -- the article keeps a readable width -------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_notes_panel_leaves_the_article_readable(launch, data_dir: Path, size: tuple[int, int]) -> None:
    long_article(data_dir)
    async with launch(size=size) as run:
        await open_long(run)
        alone = text_width(run)
        assert alone >= 50, alone
        await run.press("o")
        assert run.main.notes.display and run.app.focused is run.main.notes
        assert text_width(run) >= READABLE, text_width(run)
        assert run.main.notes.region.width >= 24
        assert run.main.notes.region.right <= size[0]
        await run.press("o")  # closed again: the article has its width back
        assert text_width(run) == alone


async def test_at_80_columns_the_sidebar_comes_back_when_the_panel_closes(launch, data_dir: Path) -> None:
    long_article(data_dir)
    async with launch(size=(80, 24)) as run:
        await open_long(run)
        await run.press("o")
        await run.press("tab", "tab")  # the panel and the article: the hidden list is skipped
        assert run.app.focused in (run.main.notes, run.view)
        await run.press("o")
        assert run.main.library.display and run.main.library.region.width >= 22


async def test_at_200_columns_the_text_keeps_a_comfortable_measure(launch, data_dir: Path) -> None:
    long_article(data_dir)
    async with launch(size=(200, 60)) as run:
        await open_long(run)
        assert 70 <= text_width(run) <= 90, text_width(run)
        headline = run.view.query_one("#headline")
        assert headline.region.width <= 90


async def test_the_measure_comes_from_the_settings(launch, data_dir: Path) -> None:
    long_article(data_dir)
    async with launch(size=(200, 60), settings=Settings(measure=60)) as run:
        await open_long(run)
        assert 56 <= text_width(run) <= 60, text_width(run)


# -- the sidebar ------------------------------------------------------------------------------


async def test_the_sidebar_cursor_colours_its_whole_row(launch, data_dir: Path) -> None:
    many_articles(data_dir, 5)
    async with launch(size=(80, 24)) as run:
        articles = run.articles
        articles.focus()
        await run.press("j", "j")
        assert articles.region.width == run.main.library.content_region.width  # the rows span the sidebar
        top = articles.cursor * 2 - int(articles.scroll_y)
        cursor = articles.get_component_rich_style("article-list--cursor").bgcolor
        for y in (top, top + 1):
            colours = {segment.style.bgcolor for segment in articles.render_line(y) if segment.text}
            assert colours == {cursor}, (y, articles.render_line(y).text, colours)
        other = {s.style.bgcolor for s in articles.render_line(top + 2) if s.text}
        assert cursor not in other
        muted = articles.get_component_rich_style("article-list--meta").color  # as the theme blends it
        for y in (top + 1, top + 3):  # details on the cursor and off it
            assert {s.style.color for s in articles.render_line(y) if s.text.strip()} == {muted}


async def test_no_horizontal_scrollbar_under_a_scrolled_sidebar(launch, data_dir: Path) -> None:
    many_articles(data_dir, 40)
    async with launch(size=(80, 24)) as run:
        run.articles.focus()
        await run.press("G")
        assert run.articles.scroll_y > 0
        assert run.articles.show_vertical_scrollbar
        assert not run.articles.show_horizontal_scrollbar
        assert int(run.articles.scroll_y) % 2 == 0, "the list scrolls by whole rows: a headline on top"
        lines = run.sidebar()
        last = next(y for y, line in enumerate(lines) if line.startswith(" ● Item 39"))
        assert last + 1 < len(lines) and "ITEMS" in lines[last + 1], lines  # the last row is whole


@pytest.mark.parametrize("others", [0, 30])
async def test_a_long_title_is_cut_with_an_ellipsis(launch, data_dir: Path, others: int) -> None:
    """Also beside the scrollbar a list of 31 articles has."""
    long_article(data_dir)
    many_articles(data_dir, others)
    async with launch(size=(80, 24)) as run:
        assert run.articles.show_vertical_scrollbar == bool(others)
        width = run.articles.scrollable_content_region.width
        line = next(line for line in run.sidebar() if LONG_TITLE[:12] in line)
        assert cell_len(line) == width
        assert line.rstrip().endswith("…") and LONG_TITLE not in line, line


# -- footer and help --------------------------------------------------------------------------


def footer_descriptions(run: Running) -> list[str]:
    return [key.description for key in run.app.screen.query("FooterKey")]


async def test_the_footer_names_the_palette_once(launch) -> None:
    async with launch() as run:
        assert footer_descriptions(run).count("Commands") == 1, footer_descriptions(run)
        await run.press("a")
        assert type(run.app.screen).__name__ == "AnnotationsScreen"
        assert footer_descriptions(run).count("Commands") == 1, footer_descriptions(run)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_help_row_starts_its_text_in_one_column(launch, size: tuple[int, int]) -> None:
    async with launch(size=size) as run:
        await run.press("question_mark")
        help = run.app.screen
        texts = list(help.query(".help-text"))
        assert len(texts) > 30
        assert len({text.region.x for text in texts}) == 1, {str(t.render()): t.region.x for t in texts}
        for key in help.query(".help-key").results(Static):  # no key is cut
            assert key.content_region.width >= cell_len(str(key.render())), str(key.render())
        panel = help.query_one("#help").content_region
        assert all(text.region.right <= panel.right for text in texts)  # long texts wrap in their column


async def test_the_status_line_is_cut_with_an_ellipsis(launch, data_dir: Path) -> None:
    many_articles(data_dir, 40)
    async with launch(size=(80, 24)) as run:
        status = run.main.query_one("#status")
        assert str(status.render()) == "41 articles · 41 unread"
        shown = status.render_line(0).text.rstrip()
        assert shown.endswith("…") and shown.startswith("41 articles"), shown


async def test_a_long_group_name_is_cut_and_its_unread_count_stays(launch, data_dir: Path) -> None:
    section = "THE REGIONAL EVENING EDITION AND WEEKEND SUPPLEMENT"
    write_article(data_dir / "articles", "s.md", f"---\ntitle: Short story\nsection: {section}\n---\nA paragraph.\n",
                  mtime=1_800_000_000)
    async with launch(size=(80, 24)) as run:
        heading = next(line for line in run.sidebar() if line.startswith(" ▾ THE"))
        assert "…  1 unread" in heading and section not in heading, heading
        assert cell_len(heading) == run.articles.scrollable_content_region.width


async def test_remove_feed_lists_a_long_feed_title_cut_with_an_ellipsis(launch, data_dir: Path) -> None:
    from reader.domain.feeds.subscriptions import new_subscription
    from reader.domain.store.store import Store

    title = "The Extraordinarily Long Name of a Regional Newspaper's Evening Edition and Weekend Supplement"
    with Store.open(data_dir / "reader.json") as store:
        store.put_subscription(new_subscription("https://news.invalid/feed.xml", title=title))
    async with launch(size=(80, 24)) as run:
        await run.pilot.press("ctrl+p")
        await run.pilot.pause(0.3)
        await run.pilot.press(*"Remove feed")
        await run.pilot.pause(0.5)  # the palette gathers its hits
        await run.pilot.press("enter")
        await run.pilot.pause(0.5)
        await run.settle()
        hits = run.app.screen.query_one("CommandList")
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        chosen = next(p for p in prompts if p.startswith("The Extraordinarily"))
        first_line = chosen.splitlines()[0]
        assert first_line.endswith("…") and title not in chosen and len(first_line) <= 60, chosen
        assert "https://news.invalid/feed.xml" in chosen  # the URL says which feed it is


def test_a_sidebar_line_cut_after_a_word_leaves_no_space_before_the_ellipsis() -> None:
    from rich.segment import Segment
    from rich.style import Style

    from reader.ui.widgets.article_list import ArticleList

    line = ArticleList._fitted([Segment("Trump Speaks With Xi by Phone, Predicts")], Style(), 32)
    assert line.text.rstrip() == "Trump Speaks With Xi by Phone,…"
    assert line.cell_length == 32


async def test_the_footer_is_rebuilt_only_when_the_keys_it_shows_change(launch, data_dir: Path) -> None:
    """Opening another article asks for the footer again, with the same keys: its key widgets stay
    (rebuilding them cost a long read's open 60 ms); a key that becomes unavailable is redrawn."""
    many_articles(data_dir, 3)
    async with launch() as run:
        await run.choose("Item 00")
        keys = list(run.main.query("FooterKey"))
        await run.press("full_stop")  # the next article, read in the same pane
        assert run.view.opened.article.meta.title == "Item 01"
        await run.pilot.pause()
        assert list(run.main.query("FooterKey")) == keys, "the same keys: not rebuilt"
        run.main.refresh_bindings()
        await run.pilot.pause()
        assert list(run.main.query("FooterKey")) == keys
        run.main.library.focus_list()  # the list has other keys than the article
        await run.pilot.pause()
        await run.pilot.pause()
        assert list(run.main.query("FooterKey")) != keys
        assert footer_descriptions(run).count("Commands") == 1


async def test_a_cut_details_line_keeps_the_note_count_in_sight(launch, data_dir: Path) -> None:
    """At 80×24 the sidebar's details line of a bookmarked article was cut before its ``✎ 1``."""
    from reader.domain.annotations.model import Annotation

    write_article(data_dir / "articles", "l.md", "---\ntitle: Long read\nsection: Longreads and essays\n"
                  "date: 2001-01-01\n---\nA paragraph.\n", mtime=1_900_000_000)
    async with launch(size=(80, 24)) as run:
        meta = next(m for m in run.main.all_articles() if m.title == "Long read")
        run.services.store.add(Annotation.new(meta.id, title=meta.title, note="A note."))
        await run.choose("Long read")
        await run.press("tab")  # (the count is drawn once the article's notes are found)
        _, details = run.sidebar_entry("Long read")
        width = run.articles.scrollable_content_region.width
        assert cell_len(details) == width
        assert details.rstrip().endswith("✎ 1") and "…" in details, details


async def test_a_details_line_with_only_a_note_count_keeps_its_indent(launch, data_dir: Path) -> None:
    from reader.domain.annotations.model import Annotation

    write_article(data_dir / "articles", "p.md", "---\ntitle: Plain page\n---\nA paragraph.\n", mtime=1_900_000_000)
    async with launch(size=(80, 24)) as run:
        meta = next(m for m in run.main.all_articles() if m.title == "Plain page")
        run.services.store.add(Annotation.new(meta.id, title=meta.title, note="A note."))
        await run.choose(SEED_TITLE)  # (it was open already: opened again, its note is counted)
        await run.choose("Plain page")
        await run.press("tab")
        _, details = run.sidebar_entry("Plain page")
        prefix = "   " + " · ".join(p for p in (meta.group, meta.date[:10]) if p)
        assert details.rstrip() == (prefix + " · ✎ 1" if prefix.strip() else "   ✎ 1"), run.sidebar()
