"""What reader says (issue 12, Messages): Ctrl+C, the palette's Screenshot and Keys, saving a
note, skipped files and links — plain sentences, never markup, driven through the real app."""

from __future__ import annotations

import webbrowser
from pathlib import Path

from textual.widgets import Markdown

from reader.domain.feeds.subscriptions import new_subscription
from reader.domain.store.store import Store
from reader.ui.screens.help import HelpScreen

from .conftest import Running, write_article
from .keys_support import toasts, top, wait_for_top, wait_until


def prompts(run: Running) -> list[str]:
    """The hits of the palette on top, as plain text."""
    commands = run.app.screen.query_one("CommandList")
    return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


async def palette_hits(run: Running, typed: str) -> list[str]:
    """Type into the palette on top; its hits once one contains what was typed."""
    await run.pilot.press(*typed)
    assert await wait_until(run, lambda: any(typed in p for p in prompts(run))), prompts(run)
    return prompts(run)


async def run_command(run: Running, name: str) -> None:
    """Open the command palette, type ``name`` and run the first command whose title it is."""
    await run.pilot.press("ctrl+p")
    await wait_for_top(run, "CommandPalette")
    await palette_hits(run, name)
    assert any(p.startswith(name) for p in prompts(run)), prompts(run)
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


async def test_a_confirmed_link_with_no_browser_says_so_and_shows_the_url(launch, monkeypatch) -> None:
    asked: list[str] = []

    def no_browser(url: str, new: int = 0, autoraise: bool = True) -> bool:
        asked.append(url)
        return False  # what webbrowser.open answers where no browser can be found

    monkeypatch.setattr(webbrowser, "open", no_browser)
    url = "https://example.com/[b]bold[/b]?q=1"
    async with launch() as run:
        markdown = run.view.query_one(Markdown)
        markdown.post_message(Markdown.LinkClicked(markdown, url))
        await run.settle()
        await wait_for_top(run, "ConfirmScreen")
        await run.press("y")
        assert await wait_until(run, lambda: any("browser" in n.message for n in run.notices)), run.notices
        assert asked == [url]
        (notice,) = [n for n in run.notices if "browser" in n.message]
        assert notice.severity == "warning" and url in notice.message
        assert any(url in toast for toast in toasts(run)), toasts(run)  # shown as it is, not as markup


async def test_a_skipped_file_is_named_with_its_reason_once_and_never_as_markup(launch, data_dir: Path) -> None:
    folder = data_dir / "articles"
    folder.mkdir(parents=True)
    (folder / "[b]bold\x1b.txt").write_bytes(b"\x00\x01binary")
    async with launch() as run:
        told = [n for n in run.notices if "skipped" in n.message.lower()]
        assert len(told) == 1, run.notices
        message = told[0].message
        assert "[b]bold.txt" in message and "\x1b" not in message, message
        assert "reader list --errors" in message
        reason = run.main.session.sidebar.listing.skipped[0].reason
        assert reason and reason in message
        shown = "".join(toasts(run))
        assert "[b]bold.txt" in shown and "\x1b" not in shown, shown  # drawn as typed, not as bold
        assert str(run.main.query_one("#status").render()).endswith(" · 1 skipped")

        write_article(folder, "later.txt", "A later story\nIts body.\n")  # a later scan finds the file again
        assert await wait_until(run, lambda: any(r.meta.title == "A later story" for r in run.articles.rows), tries=200)
        assert len([n for n in run.notices if "skipped" in n.message.lower()]) == 1, "told once"
        await run_command(run, "Skipped files")
        await wait_for_top(run, "MainScreen")
        again = [n for n in run.notices if "skipped" in n.message.lower()]
        assert len(again) == 2 and again[1].message == message  # asked for: told again


async def test_the_palette_shows_a_title_that_looks_like_markup_as_it_is(launch, data_dir: Path) -> None:
    write_article(data_dir / "articles", "bold.txt", "[b]Bold[/b] story [link=x]\nIts body.\n")
    async with launch() as run:
        await run.pilot.press("ctrl+p")
        await wait_for_top(run, "CommandPalette")
        shown = await palette_hits(run, "Bold")
        assert any("Open: [b]Bold[/b] story [link=x]" in p for p in shown), shown


async def test_remove_feed_lists_a_title_that_looks_like_markup_as_it_is(launch, data_dir: Path) -> None:
    with Store.open(data_dir / "reader.json") as store:
        store.put_subscription(new_subscription("https://example.org/[i]feed.xml", title="[b]Loud[/b] News"))
    async with launch() as run:
        await run_command(run, "Remove feed")
        await wait_for_top(run, "CommandPalette")
        shown = await palette_hits(run, "Loud")
        assert any("[b]Loud[/b] News" in p and "https://example.org/[i]feed.xml" in p for p in shown), shown
