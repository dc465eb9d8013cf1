"""Keys of the article list and of the whole reading screen, pressed where they apply: moving,
opening, groups, the filter, next/previous article, Tab, help, the palette and quitting."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reader.domain.store.store import Store
from reader.ui.screens.main import PREVIEW_DELAY

from .keys_support import (
    SEED_TITLE,
    cursor_text,
    filter_value,
    focused_id,
    grouped_library,
    headline,
    help_lines,
    list_current,
    listed_titles,
    many_articles,
    open_title,
    sidebar,
    status,
    top,
    wait_for_top,
    wait_until,
    widget,
    SEED_BLOCKS,
)


async def preview(run) -> None:
    """Wait past the list's preview delay and for the article it opens."""
    await run.pilot.pause(PREVIEW_DELAY + 0.05)
    await run.settle()


def read_ids(run) -> set[str]:
    return run.services.store.read_articles()


def title_id(run, title: str) -> str:
    return next(r.meta.id for r in widget(run, "#articles").rows if r.meta.title == title)


# -- moving ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "keys", "expected"), [
    ("Story a", ["j"], "Story b"),
    ("Story b", ["down", "down"], "Story c"),  # over the ARTS heading
    ("Story d", ["k"], "Story c"),
    ("Story c", ["up", "up"], "Story b"),  # over the ARTS heading
])
async def test_j_k_down_up_move_in_the_list_and_preview_without_marking_read(launch, data_dir: Path, start: str,
                                                                            keys: list[str], expected: str) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        widget(run, "#articles").select_id(title_id(run, start))
        await preview(run)
        await run.press(*keys)
        assert list_current(run) == expected
        await preview(run)
        assert headline(run) == expected
        assert focused_id(run) == "articles"
        assert read_ids(run) == set(), "a preview is not a read"
        assert status(run) == "5 articles · 5 unread"


async def test_pagedown_and_pageup_move_a_page_and_keep_the_cursor_in_view(launch, data_dir: Path) -> None:
    titles = many_articles(data_dir, 40)
    async with launch() as run:
        widget(run, "#articles").select_id(title_id(run, titles[0]))
        await run.settle()
        await run.press("pagedown")
        down = list_current(run)
        assert down is not None and titles.index(down) >= 10, down
        assert down in listed_titles(run), "the cursor's row is on screen"
        await preview(run)
        assert headline(run) == down
        await run.press("pageup")
        up = list_current(run)
        assert up is not None and titles.index(up) < titles.index(down) - 9
        assert up in listed_titles(run)


async def test_g_and_home_go_to_the_first_article_not_its_group_heading(launch, data_dir: Path) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        await run.press("G")
        assert list_current(run) == "Story d"
        await run.press("g")
        assert list_current(run) == SEED_TITLE, "g lands on an article (Enter there opens it, not folds a group)"
        await run.press("G", "home")
        assert list_current(run) == SEED_TITLE


async def test_G_and_end_go_to_the_last_article(launch, data_dir: Path) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        await run.press("G")
        assert list_current(run) == "Story d"
        await preview(run)
        assert headline(run) == "Story d"
        await run.press("g", "end")
        assert list_current(run) == "Story d"


# -- opening, groups --------------------------------------------------------------------------


async def test_enter_opens_the_article_focuses_it_and_marks_it_read(launch, data_dir: Path) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        widget(run, "#articles").select_id(title_id(run, "Story c"))
        await run.press("enter")
        assert headline(run) == "Story c"
        assert focused_id(run) == "article"
        assert cursor_text(run) == "Paragraph 0 of story c."
        assert read_ids(run) == {title_id(run, "Story c")}
        assert status(run) == "5 articles · 4 unread"
        assert "   Story c" in [line.rstrip() for line in sidebar(run)], "its unread mark is gone"
    with Store.open(data_dir / "reader.json") as store:
        assert len(store.read_articles()) == 1


async def test_enter_on_a_group_heading_folds_and_unfolds_it(launch, data_dir: Path) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        widget(run, "#articles").select_id(title_id(run, "Story a"))
        await run.press("k")  # the SCIENCE heading
        assert list_current(run) is None
        await run.press("enter")
        assert any(line.startswith(" ▸ SCIENCE") for line in sidebar(run))
        assert listed_titles(run)[1:] == ["Story c", "Story d"]
        assert focused_id(run) == "articles"
        await run.press("enter")
        assert any(line.startswith(" ▾ SCIENCE") for line in sidebar(run))
        assert listed_titles(run)[1:] == ["Story a", "Story b", "Story c", "Story d"]


async def test_a_folded_group_stays_folded_after_a_restart(launch, data_dir: Path) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        widget(run, "#articles").select_id(title_id(run, "Story a"))
        await run.press("k", "enter")
        assert any(line.startswith(" ▸ SCIENCE") for line in sidebar(run))
    async with launch() as run:
        assert any(line.startswith(" ▸ SCIENCE") for line in sidebar(run)), sidebar(run)[:12]
        assert "Story a" not in listed_titles(run)


# -- the filter ----------------------------------------------------------------------------------


async def test_slash_focuses_the_filter_and_typing_narrows_the_list(launch, data_dir: Path) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        await run.press("slash")
        assert focused_id(run) == "filter"
        await run.type("story c")
        await run.settle()
        assert filter_value(run) == "story c"
        assert listed_titles(run) == ["Story c"]
        assert status(run).startswith("1 of 5 shown")


async def test_escape_in_the_filter_box_clears_it_and_returns_to_the_list(launch, data_dir: Path) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        await run.press("slash")
        await run.type("story c")
        await run.settle()
        await run.press("escape")
        assert filter_value(run) == ""
        assert focused_id(run) == "articles"
        assert len(listed_titles(run)) == 5
        assert status(run) == "5 articles · 5 unread"


async def test_escape_in_the_list_clears_the_filter_after_focus_left_the_box(launch, data_dir: Path) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        await run.press("slash")
        await run.type("story")
        await run.settle()
        await run.press("enter")  # submitted: the list has focus, the filter stays
        assert focused_id(run) == "articles"
        assert len(listed_titles(run)) == 4
        await run.press("escape")
        assert filter_value(run) == "", "Esc in the list clears the filter (README: Esc is back to the list)"
        assert len(listed_titles(run)) == 5
        assert status(run) == "5 articles · 5 unread"


async def test_q_in_the_filter_box_is_typed_and_does_not_quit(launch, data_dir: Path) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        await run.press("slash", "q")
        assert filter_value(run) == "q"
        assert run.app.is_running


# -- next / previous article ------------------------------------------------------------------


@pytest.mark.parametrize(("start", "key", "expected"), [
    ("Story a", "full_stop", "Story b"),  # within a group
    ("Story b", "full_stop", "Story c"),  # over the ARTS heading
    ("Story b", "comma", "Story a"),
    ("Story c", "comma", "Story b"),  # over the ARTS heading
])
async def test_full_stop_and_comma_open_the_next_and_previous_article(launch, data_dir: Path, start: str, key: str,
                                                                      expected: str) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        await open_title(run, start)
        await run.press(key)
        assert headline(run) == expected, "a group heading is passed over"
        assert focused_id(run) == "article"
        # The read mark it writes is checked below on a slow disk: on a fast one it is written
        # only if the open beats the list's preview timer (see the next test).


@pytest.mark.parametrize("key", ["full_stop", "comma"])
async def test_full_stop_and_comma_on_a_slow_disk_still_mark_the_article_read(launch, data_dir: Path, key: str) -> None:
    """An open that takes longer than the list's preview delay is not replaced by the preview."""
    grouped_library(data_dir)
    async with launch() as run:
        await open_title(run, "Story a" if key == "full_stop" else "Story b")
        library = run.services.library
        load = library.load

        def slow_load(meta):  # runs in the worker's thread: a disk slower than the preview delay
            time.sleep(PREVIEW_DELAY * 3)
            return load(meta)

        library.load = slow_load
        await run.press(key)
        expected = "Story b" if key == "full_stop" else "Story a"
        assert headline(run) == expected
        assert focused_id(run) == "article"
        assert read_ids(run) == {title_id(run, "Story a"), title_id(run, "Story b")}, "the article opened is read"
        assert status(run) == "5 articles · 3 unread"


async def test_another_process_writing_while_an_article_opens_still_focuses_and_reads_it(launch, data_dir: Path) -> None:
    """A poll that finds the store changed, while the article chosen is being drawn, locates its
    bookmarks then: the open it raced still focuses the article and writes its read mark (it
    returned early once, taking the located copy for a later article asked for)."""
    grouped_library(data_dir)
    async with launch() as run:
        await open_title(run, "Story a")
        screen = run.main
        pane = screen.reading
        show = pane.show

        async def show_while_another_process_writes(opened):
            with Store.open(run.services.paths.store_file) as other:
                other.set_starred(title_id(run, "Story d"), True)
            await screen.session.catch_up()  # the poll's look, landing in the middle of the open
            await show(opened)

        pane.show = show_while_another_process_writes
        await run.press("full_stop")
        assert headline(run) == "Story b"
        assert focused_id(run) == "article"
        assert read_ids(run) == {title_id(run, "Story a"), title_id(run, "Story b")}, "the article opened is read"


# -- Tab ------------------------------------------------------------------------------------------


async def focus_path(run, key: str, count: int) -> list[str | None]:
    """The focused widget's id after each of ``count`` presses of ``key``."""
    seen = []
    for _ in range(count):
        await run.press(key)
        seen.append(focused_id(run))
    return seen


async def test_tab_cycles_list_article_and_back_without_the_filter_box(launch) -> None:
    async with launch() as run:
        assert focused_id(run) == "articles"
        assert await focus_path(run, "tab", 2) == ["article", "articles"], "/ is the way to the filter box"


async def test_tab_and_shift_tab_cycle_list_article_notes_panel(launch) -> None:
    async with launch() as run:
        await run.press("enter", "o")  # the notes panel is shown and focused
        assert focused_id(run) == "notes"
        assert await focus_path(run, "tab", 3) == ["articles", "article", "notes"]
        assert await focus_path(run, "shift+tab", 3) == ["article", "articles", "notes"]


# -- help, palette, quit -------------------------------------------------------------------------


async def test_question_mark_shows_help_with_every_key_of_the_reading_screen(launch) -> None:
    from .test_keys_table import help_bindings

    async with launch() as run:
        await run.press("question_mark")
        assert top(run) == "HelpScreen"
        text = help_lines(run)
        for binding in help_bindings():
            assert (binding.tooltip or binding.description) in text, binding.id


async def test_ctrl_p_opens_the_palette_and_an_article_from_it(launch, data_dir: Path) -> None:
    grouped_library(data_dir)
    async with launch() as run:
        await run.pilot.press("ctrl+p")
        await wait_for_top(run, "CommandPalette")
        await run.pilot.press(*"Story c")
        palette = run.app.screen
        assert await wait_until(run, lambda: any("Open: Story c" in str(palette.query_one("CommandList").get_option_at_index(i).prompt)
                                                 for i in range(palette.query_one("CommandList").option_count)))
        await run.pilot.pause(0.3)  # the palette settles its hits
        await run.press("enter")
        await wait_for_top(run, "MainScreen")
        await run.settle()
        assert headline(run) == "Story c"
        assert focused_id(run) == "article"
        assert title_id(run, "Story c") in read_ids(run)


async def test_q_quits_and_writes_the_position_still_waiting_for_its_timer(launch, data_dir: Path) -> None:
    async with launch() as run:
        await run.press("enter", "j", "j")
        assert cursor_text(run) == SEED_BLOCKS[2].text
        (seed,) = read_ids(run)
        await run.pilot.press("q")
        await wait_until(run, lambda: not run.app.is_running)
        assert not run.app.is_running
    with Store.open(data_dir / "reader.json") as store:
        state = store.reading_state(seed)
    assert state is not None and state["anchor"]["block"] == 2
