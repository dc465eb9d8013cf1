"""The article's header (its own address, its date, its reading time) and the link list (``l``):
numbered links, chosen by number or Enter, opened only after the usual question (issue 12, 13)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.screens.links import LinkList

from .conftest import Running, write_article

LINKED = """---
title: Linked story
url: "https://example.com/story?[bold]x\x1b[31m"
---
Intro with [a link](https://example.net/x) and a bare https://example.org/a_b too.

![a cat [red]photo[/red]](https://example.com/cat.png)
"""

URLS = ["https://example.com/story?[bold]x[31m", "https://example.net/x", "https://example.org/a_b",
        "https://example.com/cat.png"]


def shown(run: Running, selector: str) -> str:
    return str(run.view.query_one(selector, Static).render())


async def open_linked(run: Running) -> None:
    await run.choose("Linked story")
    run.opened_urls = []  # type: ignore[attr-defined]
    run.app.open_url = lambda url, **kw: run.opened_urls.append(url)  # type: ignore[attr-defined, method-assign]


def linked_library(data_dir: Path) -> None:
    write_article(data_dir / "articles", "linked.md", LINKED)


async def test_the_header_shows_the_articles_own_address_added_date_and_reading_time(launch, data_dir: Path) -> None:
    linked_library(data_dir)
    async with launch() as run:
        await open_linked(run)
        assert shown(run, "#source") == URLS[0]
        assert shown(run, "#meta") == "added 2023-11-14 · 1 min read"
        assert "2023-11-14" not in run.sidebar_entry("Linked story")[1]  # the file's mtime is no date of the story


async def test_the_seed_without_a_date_is_labelled_as_added(launch) -> None:
    async with launch() as run:
        meta = shown(run, "#meta")
        assert "added " in meta and "min read" in meta
        assert run.view.query_one("#source", Static).display is False  # no address: no empty line


async def test_l_lists_the_links_numbered_and_a_number_asks_before_opening(launch, data_dir: Path) -> None:
    linked_library(data_dir)
    async with launch() as run:
        await open_linked(run)
        await run.press("l")
        screen = run.app.screen
        assert isinstance(screen, LinkList)
        options = screen.query_one(OptionList)
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert [line.split()[0] for line in lines] == ["1", "2", "3", "4"]
        for line, url in zip(lines, URLS):
            assert line.endswith(url)
        assert "▣ a cat [red]photo[/red]" in lines[3]  # untrusted text shows literally
        await run.press("4")
        question = run.app.screen
        assert isinstance(question, ConfirmScreen)
        assert str(question.query_one("#detail", Static).render()) == URLS[3]
        await run.press("y")
        assert run.opened_urls == [URLS[3]]  # type: ignore[attr-defined]
        assert run.app.screen is run.main
        assert run.services.store.annotations() == []  # nothing was bookmarked on the way


async def test_enter_in_the_link_list_opens_the_highlighted_link_after_asking(launch, data_dir: Path) -> None:
    linked_library(data_dir)
    async with launch() as run:
        await open_linked(run)
        await run.press("l")
        await run.press("down", "enter")
        assert isinstance(run.app.screen, ConfirmScreen)
        await run.press("n")
        assert run.opened_urls == []  # type: ignore[attr-defined]
        await run.press("l", "down", "enter", "y")
        assert run.opened_urls == [URLS[1]]  # type: ignore[attr-defined]


async def test_escape_closes_the_link_list_and_opens_nothing(launch, data_dir: Path) -> None:
    linked_library(data_dir)
    async with launch() as run:
        await open_linked(run)
        await run.press("l")
        assert isinstance(run.app.screen, LinkList)
        await run.press("escape")
        assert run.app.screen is run.main and run.opened_urls == []  # type: ignore[attr-defined]


async def test_l_on_an_article_without_links_says_so(launch) -> None:
    async with launch() as run:
        await run.press("enter")
        await run.press("l")
        assert run.app.screen is run.main
        assert any("no links" in n.message for n in run.notices)


async def test_with_ten_links_or_more_two_digits_choose_one(launch, data_dir: Path) -> None:
    links = "\n\n".join(f"Link [number {n}](https://example.com/{n})." for n in range(1, 13))
    write_article(data_dir / "articles", "many.md", f"---\ntitle: Many links\n---\n{links}\n")
    async with launch() as run:
        await run.choose("Many links")
        opened: list[str] = []
        run.app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
        await run.press("l", "1")
        screen = run.app.screen
        assert isinstance(screen, LinkList)  # 1 could begin 10, 11 or 12: it waits
        assert screen.query_one(OptionList).highlighted == 0
        await run.press("2")
        assert isinstance(run.app.screen, ConfirmScreen)
        await run.press("y")
        assert opened == ["https://example.com/12"]
        await run.press("l", "3", "y")  # no number begins with 3 but 3 itself
        assert opened == ["https://example.com/12", "https://example.com/3"]


async def test_j_and_k_move_in_the_link_list(launch, data_dir: Path) -> None:
    linked_library(data_dir)
    async with launch() as run:
        await open_linked(run)
        await run.press("l", "j", "j", "k", "enter", "y")
        assert run.opened_urls == [URLS[1]]  # type: ignore[attr-defined]
