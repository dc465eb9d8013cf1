"""What the app says about its notes file (issue 10): damage found on opening reaches the screen."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import OptionList

from reader.domain.annotations.model import Annotation
from reader.domain.store.storage import journal_path
from reader.domain.store.store import Store
from reader.ui.screens.annotations import AnnotationsScreen

from .conftest import write_article
from .keys_support import status
from .test_passages import wait_for_screen


def squeezed(text: str) -> str:
    """``text`` without any whitespace (a toast wraps its lines where it likes)."""
    return "".join(text.split())


async def test_a_damaged_journal_is_on_screen_and_the_later_notes_are_kept(launch, data_dir: Path) -> None:
    path = data_dir / "reader.json"
    with Store.open(path) as store:
        for n in range(11):
            store.add(Annotation(id=f"n{n:02d}", article="a1", title=f"Story {n}", note=f"note {n}",
                                 created=f"2026-01-01T00:00:{n:02d}Z"))
    data = journal_path(path).read_bytes()
    lines = data.splitlines(keepends=True)
    middle = sum(map(len, lines[:5])) + len(lines[5]) // 2
    journal_path(path).write_bytes(data[:middle] + b"####" + data[middle + 4 :])

    async with launch() as run:
        (notice,) = [n for n in run.notices if "damaged" in n.message]
        assert notice.severity == "error" and "doctor --acknowledge" in notice.message
        copy = next(data_dir.glob("reader.json.journal.corrupt-*"))
        assert str(copy) in notice.message
        toasts = run.app.screen.query("Toast")
        shown = [squeezed("".join(t.render_line(y).text for y in range(t.size.height))) for t in toasts]
        assert any(squeezed(notice.message) in text for text in shown), shown

        await run.pilot.press("a")
        screen = await wait_for_screen(run, AnnotationsScreen)
        await run.pilot.pause()
        options = screen.query_one("#annotations-list", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert options.option_count == 10
        assert any("Story 10" in p for p in prompts) and not any("Story 5" in p for p in prompts)


def newer_store(path: Path, read: list[str], feeds: tuple[str, ...] = ()) -> bytes:
    """A notes file written by a newer reader (schema 2) with ``read`` marked read and ``feeds``
    subscribed; its bytes."""
    reading = {a: {"article": a, "read": True, "anchor": None, "opened": "2026-01-01T00:00:00Z"} for a in read}
    data = json.dumps({"_meta": {"schema_version": {"key": "schema_version", "value": 2}},
                       "reading": reading, "subscriptions": {url: {"url": url} for url in feeds}, "v2": {}}).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


async def test_a_newer_notes_file_is_told_once_and_reading_shows_the_true_marks(launch, data_dir: Path) -> None:
    for name, title, mtime in [("one.txt", "Story one", 1_700_000_300), ("two.txt", "Story two", 1_700_000_200)]:
        write_article(data_dir / "articles", name, f"{title}\nThe body of {title.lower()}.\n", mtime=mtime)
    async with launch() as first:  # ids as the app lists them
        ids = {m.title: m.id for m in first.main.all_articles()}
    seed = next(t for t in ids if t not in ("Story one", "Story two"))
    path = data_dir / "reader.json"
    for leftover in [path, journal_path(path)]:
        leftover.unlink(missing_ok=True)
    data = newer_store(path, [ids[seed]])

    async with launch() as run:
        assert "1 unread" not in status(run) and "2 unread" in status(run), status(run)  # the seed was read elsewhere
        await run.choose("Story two")
        await run.pilot.pause(0.7)  # past the wait before a position is saved
        await run.settle()
        told = [n for n in run.notices if "read-only" in n.message or "newer" in n.message]
        assert len(told) == 1, run.notices
        assert [n for n in run.notices if n.severity == "error"] == [], run.notices
        assert run.view.opened is not None and run.view.opened.article.title == "Story two"
        assert "2 unread" in status(run), status(run)  # marking read could not be saved: still unread
        line, _ = run.sidebar_entry("Story two")
        assert "●" in line, line
        await run.choose("Story one")
        assert len([n for n in run.notices if "read-only" in n.message or "newer" in n.message]) == 1, run.notices
    assert path.read_bytes() == data


async def test_refreshing_feeds_with_a_newer_notes_file_says_why_not_in_one_sentence(launch, data_dir: Path) -> None:
    path = data_dir / "reader.json"
    data = newer_store(path, [], feeds=("http://127.0.0.1:9/feed.xml",))
    async with launch() as run:
        await run.press("r")
        assert [n for n in run.notices if n.severity == "error"] == [], run.notices
        (told,) = [n for n in run.notices if "refresh" in n.message.lower()]
        assert "read-only" in told.message, told
    assert path.read_bytes() == data


async def test_adding_a_feed_with_a_newer_notes_file_says_why_not_in_one_sentence(launch, data_dir: Path) -> None:
    from .test_keys_feeds import open_add_feed

    data = newer_store(data_dir / "reader.json", [])
    async with launch() as run:
        await open_add_feed(run)
        await run.pilot.press(*"http://127.0.0.1:9/feed.xml", "enter")
        await run.settle()
        assert [n.title for n in run.notices if n.severity == "error"] == [""], run.notices  # not "Something went wrong"
        (told,) = run.notices_of("error")
        assert told.message.startswith("Not subscribed: ") and "read-only" in told.message, told
    assert (data_dir / "reader.json").read_bytes() == data
