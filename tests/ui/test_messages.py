"""What reader says (issue 12, Messages): Ctrl+C, the palette's Screenshot and Keys, saving a
note, skipped files and links — plain sentences, never markup, driven through the real app."""

from __future__ import annotations

from pathlib import Path

from reader.ui.screens.help import HelpScreen

from .conftest import Running
from .keys_support import top, wait_for_top, wait_until


async def run_command(run: Running, name: str) -> None:
    """Open the command palette, type ``name`` and run the first command whose title it is."""
    await run.pilot.press("ctrl+p")
    await wait_for_top(run, "CommandPalette")
    await run.pilot.press(*name)
    palette = run.app.screen

    def prompts() -> list[str]:
        commands = palette.query_one("CommandList")
        return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]

    assert await wait_until(run, lambda: any(p.startswith(name) for p in prompts())), prompts()
    await run.pilot.pause(0.3)  # the palette settles its hits
    await run.press("enter")


async def test_ctrl_c_says_in_plain_words_which_key_quits(launch) -> None:
    async with launch() as run:
        await run.press("ctrl+c")
        assert run.app.is_running
        (notice,) = [n for n in run.notices if "quit" in n.message.lower()]
        assert notice.message == "Press q to quit reader.", notice
        assert "[" not in notice.message and "[" not in notice.title


async def test_the_screenshot_command_saves_into_a_folder_that_exists_and_says_where(launch, data_dir: Path) -> None:
    async with launch() as run:
        await run_command(run, "Screenshot")
        await wait_for_top(run, "MainScreen")
        assert await wait_until(run, lambda: any("Screenshot saved" in n.message for n in run.notices)), run.notices
        (notice,) = [n for n in run.notices if "Screenshot saved" in n.message]
        (saved,) = (data_dir / "screenshots").glob("*.svg")
        assert str(saved) in notice.message and notice.severity == "information"
        assert "<svg" in saved.read_text(encoding="utf-8")


async def test_the_keys_command_opens_readers_help_and_escape_closes_it(launch) -> None:
    async with launch() as run:
        await run_command(run, "Keys")
        await wait_for_top(run, "HelpScreen")
        assert isinstance(run.app.screen, HelpScreen)
        assert not run.app.query("HelpPanel") and not run.main.query("HelpPanel")
        await run.press("escape")
        assert top(run) == "MainScreen" and not run.main.query("HelpPanel")
