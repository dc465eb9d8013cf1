"""Reading (issue 2): the library, the passage cursor, the filter, what survives a restart,
help, links, untrusted titles and broken themes — driven through the real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.selection import Selection
from textual.widget import Widget
from textual.widgets import Input, Markdown, Static

from reader.config import bundled_dir
from reader.domain.articles.formats import parse
from reader.domain.articles.markdown import project
from reader.domain.store.store import Store
from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.screens.help import HelpScreen
from reader.ui.widgets.article_view import ArticleView

from .conftest import Running, write_article
from .keys_support import help_lines

SEED = next(bundled_dir("seeds").glob("*.txt"))
SEED_PARSED = parse(SEED.read_text(encoding="utf-8"), "text", SEED.stem)
SEED_BLOCKS = project(SEED_PARSED.body).blocks


def text_of(widget: Widget) -> str:
    """The plain text a widget renders (what a mouse selection of all of it would copy)."""
    found = widget.get_selection(Selection(None, None))
    assert found is not None, f"{widget!r} has no text"
    return found[0]


def headline(view: ArticleView) -> str:
    return str(view.query_one("#headline", Static).render())


def status(run: Running) -> str:
    return str(run.main.query_one("#status", Static).render())


def cursor_blocks(view: ArticleView) -> list[int]:
    """Indices of the block widgets that carry the ``-cursor`` class."""
    assert view.opened is not None
    return [i for i in range(len(view.opened.projection.blocks))
            if (w := view.block_widget(i)) is not None and w.has_class("-cursor")]


def on_screen(view: ArticleView, index: int) -> bool:
    """Whether block ``index`` is inside the visible part of the article pane."""
    widget = view.block_widget(index)
    return widget is not None and view.scrollable_content_region.contains_region(widget.region)


def library_folder(data_dir: Path) -> Path:
    """Three small articles in the user's folder (four with the seed): a section and a body-only word."""
    folder = data_dir / "articles"
    write_article(folder, "apple.txt", "Apple harvest begins\nThe orchards are heavy with zebrafruit this year.\n",
                  mtime=1_700_000_400)
    write_article(folder, "bridge.md", "# Bridge reopens\n\nTraffic flows over the river again.\n", mtime=1_700_000_300)
    write_article(folder, "comet.txt", "SCIENCE\nComet seen over the city\nAstronomers were delighted.\n",
                  mtime=1_700_000_200)
    return folder


# -- opening ---------------------------------------------------------------------------------


async def test_opens_with_the_seed_listed_and_shown(launch) -> None:
    async with launch() as run:
        title, details = run.sidebar_entry(SEED_PARSED.title[:30])
        assert title.startswith(" ● ")
        assert details.strip().startswith(SEED_PARSED.section)
        assert [row.meta.title for row in run.articles.rows] == [SEED_PARSED.title]
        assert headline(run.view) == SEED_PARSED.title
        assert text_of(run.view.block_widget(0)) == SEED_BLOCKS[0].text
        assert status(run) == "1 article · 1 unread"
        assert run.app.focused is run.articles
        assert run.notices_of("error") == []


async def test_enter_opens_and_focuses_the_article_with_the_cursor_on_the_first_block(launch) -> None:
    async with launch() as run:
        await run.press("enter")
        assert run.app.focused is run.view
        assert run.view.cursor == 0
        assert cursor_blocks(run.view) == [0]


async def test_cursor_keys_move_block_by_block(launch) -> None:
    async with launch() as run:
        await run.press("enter")
        view = run.view
        await run.press("j")
        assert view.cursor == 1
        await run.press("down", "down")
        assert view.cursor == 3
        await run.press("k")
        assert view.cursor == 2
        await run.press("up")
        assert view.cursor == 1
        assert cursor_blocks(view) == [1]
        await run.press("G")
        assert view.cursor == len(SEED_BLOCKS) - 1
        assert cursor_blocks(view) == [len(SEED_BLOCKS) - 1]
        await run.press("g")
        assert view.cursor == 0
        assert cursor_blocks(view) == [0]
        assert on_screen(view, 0)


async def test_space_pages_down_and_pageup_back(launch) -> None:
    async with launch() as run:
        await run.press("enter")
        view = run.view
        await run.press("space")
        first_page = view.cursor
        assert 1 < first_page < len(SEED_BLOCKS)
        await run.press("space")
        second_page = view.cursor
        assert second_page > first_page
        await run.press("pageup")
        assert view.cursor < second_page


async def test_g_from_the_end_shows_the_headline(launch) -> None:
    async with launch() as run:
        await run.press("enter", "G")
        assert run.view.scroll_y > 0
        await run.press("g")
        await run.pilot.pause(0.1)
        assert run.view.scroll_y == 0


async def test_the_cursor_block_stays_on_screen(launch) -> None:
    async with launch() as run:
        await run.press("enter")
        view = run.view
        await run.press("space", "space")
        assert on_screen(view, view.cursor)
        await run.press("G")
        assert view.max_scroll_y > 0
        assert on_screen(view, len(SEED_BLOCKS) - 1)


async def test_escape_returns_focus_to_the_list(launch) -> None:
    async with launch() as run:
        await run.press("enter", "j")
        assert run.app.focused is run.view
        await run.press("escape")
        assert run.app.focused is run.articles
        assert run.view.cursor == 1, "the article stays open where it was"


# -- filter ----------------------------------------------------------------------------------


async def test_filter_by_title_and_by_body_text(launch, data_dir: Path) -> None:
    library_folder(data_dir)
    async with launch() as run:
        assert len(run.articles.rows) == 4
        await run.press("slash")
        filter_input = run.main.query_one("#filter", Input)
        assert run.app.focused is filter_input

        await run.type("comet")
        await run.settle()
        assert [r.meta.title for r in run.articles.rows] == ["Comet seen over the city"]
        assert status(run).startswith("1 of 4 shown")
        run.sidebar_entry("Comet seen over the city")

        filter_input.value = ""
        await run.settle()
        await run.type("zebrafr")  # only in apple's body, and a word prefix
        await run.settle()
        assert [r.meta.title for r in run.articles.rows] == ["Apple harvest begins"]

        await run.press("escape")  # clears the filter, back to the list
        assert filter_input.value == ""
        assert len(run.articles.rows) == 4
        assert run.app.focused is run.articles


async def test_filter_matches_the_section(launch, data_dir: Path) -> None:
    library_folder(data_dir)
    async with launch() as run:
        await run.press("slash")
        await run.type("science")
        await run.settle()
        assert [r.meta.title for r in run.articles.rows] == ["Comet seen over the city"]
        await run.press("enter")  # submit: back to the list, the filter stays
        assert run.app.focused is run.articles
        assert len(run.articles.rows) == 1


# -- what survives a restart ----------------------------------------------------------------


async def test_read_mark_persists_across_a_restart(launch, data_dir: Path) -> None:
    async with launch() as run:
        seed_id = run.articles.rows[0].meta.id
        await run.press("enter")
        assert run.articles.rows[0].read
        assert run.sidebar_entry(SEED_PARSED.title[:20])[0].startswith("   ")
        assert status(run) == "1 article · 0 unread"
    with Store.open(data_dir / "reader.json") as store:
        assert store.read_articles() == {seed_id}
    async with launch() as run:
        assert run.articles.rows[0].read
        assert run.sidebar_entry(SEED_PARSED.title[:20])[0].startswith("   ")
        assert status(run) == "1 article · 0 unread"


async def test_reading_position_persists_across_a_restart(launch, data_dir: Path) -> None:
    async with launch() as run:
        seed_id = run.articles.rows[0].meta.id
        await run.press("enter", "j", "j", "j", "j", "j")
        assert run.view.cursor == 5
        await run.pilot.pause(0.7)  # the position is saved after a pause in movement
        await run.settle()
    with Store.open(data_dir / "reader.json") as store:
        state = store.reading_state(seed_id)
    assert state is not None and state["anchor"]["block"] == 5
    async with launch() as run:
        await run.press("enter")
        assert run.app.focused is run.view
        assert run.view.cursor == 5
        assert cursor_blocks(run.view) == [5]


async def test_theme_persists_across_a_restart(launch, data_dir: Path) -> None:
    async with launch() as run:
        assert run.app.theme == "reader-dark"
        run.app.theme = "reader-light"
        await run.settle()
    with Store.open(data_dir / "reader.json") as store:
        assert store.setting("theme") == "reader-light"
    async with launch() as run:
        assert run.app.theme == "reader-light"


# -- help, links -----------------------------------------------------------------------------


async def test_question_mark_shows_every_key(launch) -> None:
    async with launch() as run:
        await run.press("question_mark")
        assert isinstance(run.app.screen, HelpScreen)
        text = help_lines(run)
        for expected in ("j / ↓", "Space / PgDn", "/  Filter by title", "?  Show every key", "]  Next bookmark", "r  Fetch every subscribed feed",
                         "b  Bookmark the passage", "Enter  Open the article"):
            assert expected in text, expected
        groups = [str(s.render()) for s in run.app.screen.query(".help-group").results(Static)]
        expected = ["Everywhere", "Passages, bookmarks and notes", "Article list", "Article", "Notes panel"]
        assert [group for group in groups if group in expected] == expected, groups
        assert any(group.startswith("Review and tags") for group in groups), groups
        await run.press("escape")
        assert not isinstance(run.app.screen, HelpScreen)


async def click_link(run: Running, href: str) -> None:
    markdown = run.view.query_one(Markdown)
    markdown.post_message(Markdown.LinkClicked(markdown, href))
    await run.settle()


async def test_javascript_link_is_refused(launch) -> None:
    async with launch() as run:
        opened: list[str] = []
        run.app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
        await click_link(run, "javascript:alert(1)")
        assert not isinstance(run.app.screen, ConfirmScreen)
        warnings = run.notices_of("warning")
        assert len(warnings) == 1 and "javascript:alert(1)" in warnings[0].message
        assert opened == []


async def test_https_link_asks_first_and_shows_the_whole_url(launch) -> None:
    url = "https://example.com/a/very/long/path/that/goes/on?and=has&a=query#fragment-" + "x" * 60
    async with launch() as run:
        opened: list[str] = []
        run.app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
        await click_link(run, url)
        screen = run.app.screen
        assert isinstance(screen, ConfirmScreen)
        assert str(screen.query_one("#detail", Static).render()) == url
        await run.press("n")
        assert not isinstance(run.app.screen, ConfirmScreen)
        assert opened == []

        await click_link(run, url)
        await run.press("y")
        assert opened == [url]


# -- untrusted text --------------------------------------------------------------------------


MARKUP_TITLES = ["[bold red]x", "[/bold]", "[@click=app.quit]x[/]"]


async def test_markup_in_titles_shows_literally(launch, data_dir: Path) -> None:
    folder = data_dir / "articles"
    for number, title in enumerate(MARKUP_TITLES):
        write_article(folder, f"markup{number}.txt", f"{title}\nA body for {number}.\n", mtime=1_600_000_000 + number)
    async with launch() as run:
        for title in MARKUP_TITLES:
            line, _ = run.sidebar_entry(title)
            assert line.rstrip() == " ● " + title
        for title in MARKUP_TITLES:
            await run.choose(title)
            assert headline(run.view) == title
            assert run.app.is_running and run.app.return_code is None
        assert run.notices_of("error") == []


async def test_invalid_user_theme_warns_and_the_app_still_runs(launch, data_dir: Path) -> None:
    themes = data_dir / "themes"  # the config dir is the data dir given on the command line
    themes.mkdir()
    (themes / "broken.toml").write_text("name = [\n", encoding="utf-8")
    (themes / "colourless.toml").write_text('name = "colourless"\n', encoding="utf-8")
    (themes / "mine.toml").write_text('name = "mine"\nprimary = "#336699"\n', encoding="utf-8")
    async with launch() as run:
        warnings = run.notices_of("warning")
        assert sorted(n.message.split(":")[0] for n in warnings) == ["broken.toml", "colourless.toml"]
        assert all(n.title == "Theme not loaded" for n in warnings)
        assert "mine" in run.app.available_themes
        assert run.app.theme == "reader-dark"
        assert headline(run.view) == SEED_PARSED.title
        await run.press("enter", "j")
        assert run.view.cursor == 1


async def test_filter_finds_an_article_by_the_text_of_a_note(launch, data_dir: Path) -> None:
    library_folder(data_dir)
    async with launch() as run:
        comet = next(r.meta for r in run.articles.rows if r.meta.title == "Comet seen over the city")
        from reader.domain.annotations.model import Annotation

        run.services.store.add(Annotation.new(comet.id, title=comet.title, note="ask the observatory"))
        await run.press("slash")
        await run.type("observatory")
        await run.settle()
        assert [r.meta.title for r in run.articles.rows] == ["Comet seen over the city"]


async def test_a_listing_that_grows_keeps_the_newest_on_top_and_shows_it(launch, data_dir: Path) -> None:
    from reader.domain.articles.library import Listing
    from reader.ui.screens.main import PREVIEW_DELAY

    library_folder(data_dir)
    async with launch() as run:
        everything = run.main.all_articles()
        run.main.show_listing(Listing(everything[1:], ()))  # a first batch without the newest
        await run.settle()
        await run.pilot.pause(PREVIEW_DELAY + 0.05)
        await run.settle()
        run.main.show_listing(Listing(everything, ()))  # the scan found a newer article
        await run.settle()
        await run.pilot.pause(PREVIEW_DELAY + 0.05)
        await run.settle()
        assert run.articles.current.id == everything[0].id
        assert run.view.opened.article.id == everything[0].id


async def test_reading_an_article_takes_one_from_its_own_groups_unread_count(launch, data_dir: Path) -> None:
    folder = data_dir / "articles"
    for name, section, mtime in [("a", "SCIENCE", 400), ("b", "SCIENCE", 300), ("c", "ARTS", 200), ("d", "ARTS", 100)]:
        write_article(folder, f"{name}.txt", f"{section}\nStory {name}\nBody of {name}.\n", mtime=1_700_000_000 + mtime)
    async with launch() as run:
        def headings() -> list[str]:
            return [line.strip() for line in run.sidebar() if "unread" in line]

        assert headings() == ["▾ NEWS  1 unread", "▾ SCIENCE  2 unread", "▾ ARTS  2 unread"]
        await run.press("G", "enter")  # the last article of the last group: its heading is far above
        assert headline(run.view) == "Story d"
        assert headings() == ["▾ NEWS  1 unread", "▾ SCIENCE  2 unread", "▾ ARTS  1 unread"]
        run.main.open_article(next(m for m in run.main.all_articles() if m.title == "Story b"))  # not under the cursor
        await run.settle()
        assert headings() == ["▾ NEWS  1 unread", "▾ SCIENCE  1 unread", "▾ ARTS  1 unread"]


async def test_enter_twice_after_filtering_opens_the_first_match(launch, data_dir: Path) -> None:
    library_folder(data_dir)
    async with launch() as run:
        await run.press("slash")
        await run.type("comet")  # the article under the cursor (the newest) does not match
        await run.settle()
        await run.press("enter")  # from the filter box to the list: on the match, not its heading
        assert run.app.focused is run.articles
        assert run.articles.current is not None and run.articles.current.title == "Comet seen over the city"
        await run.press("enter")
        assert headline(run.view) == "Comet seen over the city"


async def test_the_palette_finds_a_title_by_its_words_before_fuzzy_look_alikes(launch, data_dir: Path) -> None:
    from textual.command import CommandList, CommandPalette

    folder = data_dir / "articles"
    write_article(folder, "old.txt", "RIVERS\nA long read about rivers\nBody.\n", mtime=1_600_000_000)
    for i in range(60):  # newer, and each a fuzzy match for "long read"
        write_article(folder, f"gadget{i}.txt", f"TECH\nLots of new gadgets: rare deals today {i}\nBody.\n",
                      mtime=1_700_000_000 + i)
    async with launch() as run:
        await run.pilot.press("ctrl+p")
        for _ in range(50):
            if isinstance(run.app.screen, CommandPalette):
                break
            await run.pilot.pause(0.02)
        await run.pilot.press(*"long read")
        results = run.app.screen.query_one(CommandList)
        for _ in range(100):  # the palette gathers hits in the background
            await run.pilot.pause(0.02)
            if results.option_count:
                break
        await run.pilot.pause(0.3)
        first = str(results.get_option_at_index(0).prompt)
        assert "A long read about rivers" in first
