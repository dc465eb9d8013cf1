"""Keys of the notes panel (`o`): what is highlighted when it opens, moving with j/k and the arrows,
Enter to jump to the passage, d / Del to delete it (and u to bring it back), c to settle a note
edited on two machines while apart (and Esc / Enter in that dialog)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import OptionList

from reader.config import Settings
from reader.domain.store.store import Store
from reader.services import machine_id
from reader.ui.screens.resolve import ResolveScreen

from .keys_support import SEED_BLOCKS, cursor_text, focused_id, notes_panel, panel_lines, toasts, wait_until
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


# -- c: a note edited on two machines while apart ---------------------------------------------------


def carry(source: Path, target: Path, machine: str) -> None:
    """What a sync engine does: bring ``machine``'s files from one sync folder to another."""
    shutil.copytree(source / "machines" / machine, target / "machines" / machine, dirs_exist_ok=True)


def desk(run) -> str:
    """The app's machine id."""
    return machine_id(run.services.paths.machine_id_file)


async def conflicted_note(run, tmp_path: Path) -> tuple[str, Path]:
    """Bookmark block 2, note it here and on a laptop (another sync folder) while apart, then
    bring the laptop's files in as the sync engine would; returns (its id, the laptop's folder)."""
    await bookmark_blocks(run, 2)
    [made] = run.services.store.annotations()
    laptop_sync = tmp_path / "laptop-sync"
    carry(run.services.settings.sync_dir, laptop_sync, desk(run))
    with Store.open_synced(laptop_sync, "laptop", tmp_path / "laptop" / "reader.json") as laptop:
        laptop.put(laptop.get(made.id).with_note("written on the laptop"))
    run.services.store.put(run.services.store.get(made.id).with_note("written here"))  # later: wins
    carry(laptop_sync, run.services.settings.sync_dir, "laptop")
    return made.id, laptop_sync


async def test_c_in_the_panel_keeps_both_texts_of_a_note_edited_on_two_machines(launch, tmp_path: Path) -> None:
    sync_dir = tmp_path / "sync"
    async with launch(settings=Settings(sync_dir=sync_dir)) as run:
        made, laptop_sync = await conflicted_note(run, tmp_path)
        assert await wait_until(run, lambda: any("also edited on laptop" in line for line in panel_lines(run)), tries=120)
        await run.press("o")
        assert focused_id(run) == "notes"
        shown = "\n".join(panel_lines(run))
        assert "✎ written here" in shown and "written on the laptop" in shown, shown
        await run.press("c")
        dialog = run.app.screen
        assert isinstance(dialog, ResolveScreen)
        texts = [str(w.render()) for w in dialog.query(".resolve-text")]
        assert any("written here" in t for t in texts) and any("laptop wrote: written on the laptop" in t for t in texts)
        await run.press("down", "down", "enter")  # Keep both texts
        assert not isinstance(run.app.screen, ResolveScreen)
        saved = run.services.store.get(made)
        assert saved.note == "written here\n\nwritten on the laptop" and "conflicts" not in saved.extra
        assert not any("also edited" in line for line in panel_lines(run))
        assert any("one text again" in toast for toast in toasts(run))
        machine = desk(run)
    carry(sync_dir, laptop_sync, machine)  # the resolution reaches the laptop: it is settled there too
    with Store.open_synced(laptop_sync, "laptop", tmp_path / "laptop" / "reader.json") as laptop:
        there = laptop.get(made)
        assert there.note == "written here\n\nwritten on the laptop" and "conflicts" not in there.extra


async def resolve_dialog(run, tmp_path: Path) -> str:
    """Open the resolve dialog (``o c``) on a note edited on two machines; the note's id."""
    made, _ = await conflicted_note(run, tmp_path)
    assert await wait_until(run, lambda: any("also edited on laptop" in line for line in panel_lines(run)), tries=120)
    await run.press("o", "c")
    assert isinstance(run.app.screen, ResolveScreen)
    return made


async def test_escape_in_the_resolve_dialog_keeps_both_texts(launch, tmp_path: Path) -> None:
    async with launch(settings=Settings(sync_dir=tmp_path / "sync")) as run:
        made = await resolve_dialog(run, tmp_path)
        await run.press("escape")
        assert not isinstance(run.app.screen, ResolveScreen) and focused_id(run) == "notes"
        kept = run.services.store.get(made)
        assert kept.note == "written here" and [c["note"] for c in kept.extra["conflicts"]] == ["written on the laptop"]
        await run.press("a")  # the annotations screen says so too
        listed = "\n".join(str(o.prompt) for o in run.app.screen.query_one(OptionList).options)
        assert "also edited on laptop" in listed, listed


async def test_j_and_k_move_in_the_resolve_dialog(launch, tmp_path: Path) -> None:
    async with launch(settings=Settings(sync_dir=tmp_path / "sync")) as run:
        made = await resolve_dialog(run, tmp_path)
        await run.press("j", "j", "j", "k", "enter")  # the third choice: keep both texts
        assert run.services.store.get(made).note == "written here\n\nwritten on the laptop"
