"""Keys of the screens that open over the reading screen: help, the yes/no question, the note
editor, the annotations screen and the command palette."""

from __future__ import annotations

import pytest

from .keys_support import (
    SEED_BLOCKS,
    cursor_text,
    focused_id,
    move_to_block,
    toasts,
    top,
    wait_for_top,
    wait_until,
)


def stored(run) -> list:
    return run.services.store.annotations()


# -- help -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["escape", "q", "question_mark"])
async def test_escape_q_and_question_mark_close_the_help(launch, key: str) -> None:
    async with launch() as run:
        await run.press("enter", "question_mark")
        assert top(run) == "HelpScreen"
        await run.press(key)
        assert top(run) == "MainScreen"
        assert run.app.is_running, "q closes the help, it does not quit"
        assert focused_id(run) == "article"


# -- the yes/no question (removing a bookmark) -------------------------------------------------------


@pytest.mark.parametrize(("key", "left"), [("y", 0), ("n", 1), ("escape", 1)])
async def test_y_n_escape_answer_the_question(launch, key: str, left: int) -> None:
    async with launch() as run:
        await move_to_block(run, 2)
        await run.press("b", "b")
        assert top(run) == "ConfirmScreen"
        await run.press(key)
        assert top(run) == "MainScreen"
        assert len(stored(run)) == left


# -- the note editor ---------------------------------------------------------------------------------


async def test_ctrl_s_saves_the_note_and_closes_the_editor(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 4)
        await run.press("n")
        assert top(run) == "NoteEditor"
        assert focused_id(run) == "note-text"
        await run.type("Saved text")
        assert stored(run) == [], "nothing is written before Ctrl+S"
        await run.press("ctrl+s")
        assert top(run) == "MainScreen"
        assert [(a.quote, a.note) for a in stored(run)] == [(SEED_BLOCKS[4].text, "Saved text")]
        assert any("Note saved" in toast for toast in toasts(run)), toasts(run)  # as a bookmark says "Bookmarked"


async def test_escape_in_an_unchanged_editor_closes_it_and_writes_nothing(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 4)
        await run.press("n", "escape")
        assert top(run) == "MainScreen"
        assert stored(run) == []


async def test_escape_after_typing_asks_and_y_drops_the_text(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 4)
        await run.press("n")
        await run.type("Draft")
        await run.press("escape")
        assert top(run) == "ConfirmScreen"
        await run.press("y")
        assert top(run) == "MainScreen"
        assert stored(run) == []


@pytest.mark.parametrize("key", ["n", "escape"])
async def test_escape_after_typing_asks_and_n_keeps_editing(launch, key: str) -> None:
    async with launch() as run:
        await move_to_block(run, 4)
        await run.press("n")
        await run.type("Draft")
        await run.press("escape", key)
        assert top(run) == "NoteEditor"
        assert run.app.screen.query_one("#note-text").text == "Draft"
        await run.press("ctrl+s")
        assert [a.note for a in stored(run)] == ["Draft"]


# -- the annotations screen ----------------------------------------------------------------------------


async def open_annotations(run) -> None:
    """Bookmark blocks 2 and 7 (a note on 7), go to the end, open the annotations screen."""
    await move_to_block(run, 2)
    await run.press("b")
    await move_to_block(run, 7)
    await run.press("n")
    await run.type("minerals")
    await run.press("ctrl+s", "G")
    await run.pilot.press("a")  # its worker waits for the screen's answer: no settle
    await wait_for_top(run, "AnnotationsScreen")


def listed(run) -> list[str]:
    options = run.app.screen.query_one("#annotations-list")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_escape_leaves_the_annotations_screen(launch) -> None:
    async with launch() as run:
        await open_annotations(run)
        assert len(listed(run)) == 2
        await run.pilot.press("escape")
        await wait_for_top(run, "MainScreen")
        await run.settle()
        assert cursor_text(run) == SEED_BLOCKS[-1].text, "nothing was chosen: the cursor stays"
        assert len(stored(run)) == 2


async def test_slash_filters_the_annotations_and_enter_opens_the_match(launch) -> None:
    async with launch() as run:
        await open_annotations(run)
        await run.pilot.press("slash")
        await run.pilot.pause()
        assert focused_id(run) == "annotations-filter"
        await run.pilot.press(*"minerals")
        await run.pilot.pause()
        assert len(listed(run)) == 1 and "✎ minerals" in listed(run)[0]
        assert "1 of 2" in str(run.app.screen.query_one("#annotations-status").render())
        await run.pilot.press("enter")  # from the filter to the list
        await run.pilot.pause()
        assert focused_id(run) == "annotations-list"
        await run.pilot.press("enter")
        await wait_for_top(run, "MainScreen")
        await run.settle()
        assert cursor_text(run) == SEED_BLOCKS[7].text
        assert focused_id(run) == "article"


# -- the command palette -------------------------------------------------------------------------------


async def test_escape_closes_the_palette(launch) -> None:
    async with launch() as run:
        await run.pilot.press("ctrl+p")
        await wait_for_top(run, "CommandPalette")
        await run.pilot.press("escape")
        assert await wait_until(run, lambda: top(run) == "MainScreen")
        assert focused_id(run) == "articles"
