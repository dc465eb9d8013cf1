"""Keys that make, find and remove bookmarks and notes in the open article: b, n, N, ] [, o, a, u —
checked on the article list, the notes panel, the screen on top and the store."""

from __future__ import annotations

from pathlib import Path

from reader.domain.store.store import Store

from .keys_support import (
    SEED_BLOCKS,
    SEED_TITLE,
    cursor_text,
    focused_id,
    move_to_block,
    notes_panel,
    panel_lines,
    seed_text,
    sidebar,
    toasts,
    top,
    wait_for_top,
)


def stored(run) -> list:
    return run.services.store.annotations()


def note_count_shown(run) -> str:
    """The details line of the seed in the list (it carries ``✎ N`` once it has annotations)."""
    lines = sidebar(run)
    row = next(i for i, line in enumerate(lines) if line[3:].startswith(SEED_TITLE[:30]))
    return lines[row + 1]


def shown(run, text: str) -> bool:
    return any(text in toast for toast in toasts(run))


async def write_note(run, text: str) -> None:
    """Type into the note editor that is on top and save with Ctrl+S."""
    assert top(run) == "NoteEditor"
    await run.type(text)
    await run.press("ctrl+s")
    assert top(run) == "MainScreen"


async def bookmark_blocks(run, *blocks: int) -> None:
    """Bookmark whole blocks with b, then go back to the top."""
    for block in blocks:
        await move_to_block(run, block)
        await run.press("b")
    await run.press("g")
    assert len(stored(run)) == len(blocks)


# -- b ----------------------------------------------------------------------------------------------


async def test_b_bookmarks_the_block_under_the_cursor(launch, data_dir: Path) -> None:
    async with launch() as run:
        await move_to_block(run, 2)
        await run.press("b")
        assert shown(run, "Bookmarked")
        assert "✎ 1" in note_count_shown(run)
        await run.press("o")
        (entry,) = panel_lines(run)
        assert entry.startswith(f"“{SEED_BLOCKS[2].text[:100]}")
    with Store.open(data_dir / "reader.json") as store:
        (annotation,) = store.annotations()
    assert annotation.quote == SEED_BLOCKS[2].text and annotation.note == ""
    assert annotation.selectors.blocks == (2, 2)


async def test_b_on_a_bookmarked_block_asks_and_y_removes_the_bookmark(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 2)
        await run.press("b", "b")
        assert top(run) == "ConfirmScreen"
        await run.press("y")
        assert top(run) == "MainScreen"
        assert stored(run) == []
        assert shown(run, "Deleted. Press u to undo.")
        assert "✎" not in note_count_shown(run)


async def test_b_inside_a_bookmarked_multi_block_passage_asks_to_remove_it(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 0)
        await run.press("J", "b")  # one bookmark over blocks 0–1
        (passage,) = stored(run)
        assert passage.quote == seed_text(0, 1)
        await run.press("escape", "j")  # the cursor on block 1, inside the passage
        assert cursor_text(run) == SEED_BLOCKS[1].text
        await run.press("b")
        assert [a.id for a in stored(run)] == [passage.id], "no second, overlapping bookmark"
        assert top(run) == "ConfirmScreen", "b on a bookmarked passage offers to remove it"
        await run.press("y")
        assert stored(run) == []


# -- n, N -------------------------------------------------------------------------------------------


async def test_n_writes_a_note_on_the_passage(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 3)
        await run.press("n")
        assert top(run) == "NoteEditor"
        await write_note(run, "Check the tonnage")
        (annotation,) = stored(run)
        assert (annotation.quote, annotation.note) == (SEED_BLOCKS[3].text, "Check the tonnage")
        assert focused_id(run) == "article"
        await run.press("o")
        assert "✎ Check the tonnage" in panel_lines(run)[0]


async def test_n_on_a_bookmarked_block_edits_that_bookmarks_note(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 3)
        await run.press("b", "n")
        await write_note(run, "on the bookmark")
        (annotation,) = stored(run)
        assert annotation.note == "on the bookmark"


async def test_n_inside_a_noted_multi_block_passage_edits_its_note(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 0)
        await run.press("J", "n")
        await write_note(run, "first")
        (passage,) = stored(run)
        assert passage.quote == seed_text(0, 1)
        await run.press("escape", "j")  # the cursor on block 1, inside the passage
        await run.press("n")
        assert top(run) == "NoteEditor"
        assert run.app.screen.query_one("#note-text").text == "first", "the editor opens on the passage's note"
        await write_note(run, " and more")
        assert [(a.id, a.note) for a in stored(run)] == [(passage.id, "first and more")]


async def test_N_writes_a_note_on_the_whole_article_and_N_again_edits_it(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 5)
        await run.press("N")
        await write_note(run, "Whole thing")
        (annotation,) = stored(run)
        assert annotation.selectors is None and annotation.note == "Whole thing"
        await run.press("N")
        assert run.app.screen.query_one("#note-text").text == "Whole thing"
        await write_note(run, "!")
        assert [(a.id, a.note) for a in stored(run)] == [(annotation.id, "Whole thing!")]
        await run.press("o")
        assert panel_lines(run)[0].startswith("Whole article")


# -- ] [ ------------------------------------------------------------------------------------------


async def test_right_and_left_bracket_jump_between_bookmarks(launch) -> None:
    async with launch() as run:
        await bookmark_blocks(run, 2, 6)
        assert cursor_text(run) == SEED_BLOCKS[0].text
        await run.press("right_square_bracket")
        assert cursor_text(run) == SEED_BLOCKS[2].text
        await run.press("right_square_bracket")
        assert cursor_text(run) == SEED_BLOCKS[6].text
        await run.press("right_square_bracket")
        assert cursor_text(run) == SEED_BLOCKS[6].text
        assert shown(run, "No more bookmarks in this direction.")
        await run.press("left_square_bracket")
        assert cursor_text(run) == SEED_BLOCKS[2].text
        assert focused_id(run) == "article"


# -- o, a, u -----------------------------------------------------------------------------------------


async def test_o_shows_and_focuses_the_notes_panel_and_o_again_hides_it(launch) -> None:
    async with launch() as run:
        await bookmark_blocks(run, 2)
        assert not notes_panel(run).display
        await run.press("o")
        assert notes_panel(run).display
        assert focused_id(run) == "notes"
        assert panel_lines(run)[0].startswith(f"“{SEED_BLOCKS[2].text[:40]}")
        await run.press("o")
        assert not notes_panel(run).display
        assert focused_id(run) == "article"


async def test_a_lists_every_annotation_and_enter_opens_the_passage(launch) -> None:
    async with launch() as run:
        await bookmark_blocks(run, 4)
        await run.press("G")
        await run.pilot.press("a")  # its worker waits for the screen's answer: no settle here
        await wait_for_top(run, "AnnotationsScreen")
        options = run.app.screen.query_one("#annotations-list")
        assert options.option_count == 1
        assert SEED_BLOCKS[4].text[:40] in str(options.get_option_at_index(0).prompt)
        await run.pilot.press("enter")
        await wait_for_top(run, "MainScreen")
        await run.settle()
        assert cursor_text(run) == SEED_BLOCKS[4].text
        assert focused_id(run) == "article"


async def test_u_restores_the_last_deleted_bookmark(launch, data_dir: Path) -> None:
    async with launch() as run:
        await move_to_block(run, 2)
        await run.press("b")
        (original,) = stored(run)
        await run.press("b", "y")
        assert stored(run) == []
        await run.press("u")
        assert [a.id for a in stored(run)] == [original.id]
        assert shown(run, "Restored.")
        assert "✎ 1" in note_count_shown(run)
        await run.press("u")
        assert shown(run, "Nothing to undo.")
    with Store.open(data_dir / "reader.json") as store:
        assert [a.quote for a in store.annotations()] == [SEED_BLOCKS[2].text]
