"""Keys of the notes panel (`o`): what is highlighted when it opens, moving with j/k and the arrows,
Enter to jump to the passage, d / Del to delete it (and u to bring it back)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.domain.store.store import Store

from .keys_support import SEED_BLOCKS, cursor_text, focused_id, notes_panel, panel_lines, toasts
from .test_keys_passages import bookmark_blocks

MARKED = (2, 6, 9)
"""The seed's blocks that get a bookmark; the panel lists them in this order."""


async def open_panel(run) -> None:
    """Bookmark the ``MARKED`` blocks, go back to the top and open the notes panel."""
    await bookmark_blocks(run, *MARKED)
    await run.press("o")
    assert focused_id(run) == "notes"
    assert len(panel_lines(run)) == len(MARKED)


def highlighted_quote(run) -> str | None:
    """The passage of the highlighted entry, as the panel shows it (``None``: nothing highlighted)."""
    panel = notes_panel(run)
    if panel.highlighted is None:
        return None
    return str(panel.get_option_at_index(panel.highlighted).prompt)


def entry_of(block: int) -> str:
    return f"“{SEED_BLOCKS[block].text[:60]}"


async def test_the_panel_opens_with_the_first_entry_highlighted(launch) -> None:
    async with launch() as run:
        await open_panel(run)
        quote = highlighted_quote(run)
        assert quote is not None and quote.startswith(entry_of(2)), "Enter or d right away act on an entry"


async def test_j_and_k_move_the_highlight_in_the_panel(launch) -> None:
    async with launch() as run:
        await open_panel(run)
        await run.press("home")  # the first entry, whatever the panel opened with
        assert highlighted_quote(run).startswith(entry_of(2))
        await run.press("j")
        assert highlighted_quote(run).startswith(entry_of(6)), "j moves down"
        await run.press("k")
        assert highlighted_quote(run).startswith(entry_of(2)), "k moves up"
        assert focused_id(run) == "notes"


async def test_down_and_up_move_the_highlight_in_the_panel(launch) -> None:
    async with launch() as run:
        await open_panel(run)
        await run.press("home", "down")
        quote = highlighted_quote(run)
        assert quote is not None and quote.startswith(entry_of(6))
        await run.press("up")
        assert highlighted_quote(run).startswith(entry_of(2))
        assert cursor_text(run) == SEED_BLOCKS[0].text, "moving in the panel leaves the cursor alone"


async def test_enter_in_the_panel_jumps_to_the_passage(launch) -> None:
    async with launch() as run:
        await open_panel(run)
        await run.press("home", "down")  # the second entry: block 6
        assert highlighted_quote(run).startswith(entry_of(6))
        await run.press("enter")
        assert cursor_text(run) == SEED_BLOCKS[6].text
        assert focused_id(run) == "article"


@pytest.mark.parametrize("key", ["d", "delete"])
async def test_d_and_delete_in_the_panel_delete_the_entry_and_u_restores_it(launch, data_dir: Path, key: str) -> None:
    async with launch() as run:
        await open_panel(run)
        await run.press("home", "down")  # the second entry: block 6
        await run.press(key)
        assert sorted(a.quote for a in run.services.store.annotations()) == sorted(
            SEED_BLOCKS[b].text for b in (2, 9)), "the highlighted entry is deleted from the store"
        assert [line[:61] for line in panel_lines(run)] == [entry_of(2), entry_of(9)]
        assert any("Press u to undo" in toast for toast in toasts(run))
        await run.press("u")
        assert len(run.services.store.annotations()) == 3
        assert len(panel_lines(run)) == 3
    with Store.open(data_dir / "reader.json") as store:
        assert len(store.annotations()) == 3
