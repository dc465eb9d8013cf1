"""Issue 11: the reading screen's defects, each driven as a new user meets it.

Written against the old ``MainScreen`` first (where every one of them failed), so they assert only
through what a user has: keys, the widgets' ids (#filter, #articles, #status, #article, #notes),
the text on screen and what reached the store.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from reader.config import bundled_dir
from reader.domain.articles.formats import parse
from reader.domain.articles.markdown import project
from reader.domain.store.store import Store
from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.note_editor import NoteEditor

from .conftest import PREVIEW_DELAY, Running, write_article
from .keys_support import help_lines
from .test_feeds_ui import _subscribe, server  # noqa: F401  (the loopback feed server fixture)
from .test_passages import long_article
from .test_reading import library_folder, text_of

SEED = next(bundled_dir("seeds").glob("*.txt"))
BLOCKS = project(parse(SEED.read_text(encoding="utf-8"), "text", SEED.stem).body).blocks
TITLES = ["Trump Speaks With Xi by Phone", "Apple harvest begins", "Bridge reopens", "Comet seen over the city"]


def pane(run: Running, selector: str) -> Widget:
    """A widget of the reading screen by its id."""
    return run.main.query_one(selector)


def headline(run: Running) -> str:
    return str(pane(run, "#article").query_one("#headline", Static).render())


def status(run: Running) -> str:
    return str(pane(run, "#status").render())


def cursor_widget(run: Running) -> Widget:
    """The one block of the article that carries the passage cursor."""
    (widget,) = pane(run, "#article").query(".-cursor")
    return widget


def on_screen(run: Running, widget: Widget) -> bool:
    article = pane(run, "#article")
    return article.scrollable_content_region.contains_region(widget.region)


async def wait_until(run: Running, condition, seconds: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds (for work the app starts by itself)."""
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await run.pilot.pause(0.1)
    await run.settle()


async def after_preview(run: Running) -> None:
    """The list opens the highlighted article after a short delay: let it pass."""
    await run.pilot.pause(PREVIEW_DELAY + 0.05)
    await run.settle()


def stored(data_dir: Path):
    with Store.open(data_dir / "reader.json") as store:
        return store.annotations()


# -- the notes panel -------------------------------------------------------------------------


async def test_enter_in_the_notes_panel_jumps_to_the_passage(launch) -> None:
    async with launch() as run:
        await run.press("enter", "j", "j", "b", "G")
        assert text_of(cursor_widget(run)) == BLOCKS[-1].text
        await run.press("o")
        assert run.app.focused is pane(run, "#notes")
        await run.press("down", "enter")
        assert run.app.focused is pane(run, "#article")
        assert text_of(cursor_widget(run)) == BLOCKS[2].text
        assert on_screen(run, cursor_widget(run))


async def test_d_in_the_notes_panel_deletes_and_u_restores(launch, data_dir: Path) -> None:
    async with launch() as run:
        await run.press("enter", "j", "b")
        (original,) = stored(data_dir)
        await run.press("o", "down", "d")
        assert stored(data_dir) == []
        assert not pane(run, "#article").query(".-bookmarked") and "Deleted" in run.notices[-1].message
        await run.press("u")
        assert stored(data_dir) == [original]


async def test_the_notes_panel_opens_on_its_first_entry_and_answers_j_and_k(launch) -> None:
    async with launch() as run:
        await run.press("enter", "j", "b", "j", "j", "b")
        await run.press("o")
        notes = pane(run, "#notes")
        assert isinstance(notes, OptionList)
        assert notes.highlighted == 0
        await run.press("j")
        assert notes.highlighted == 1
        await run.press("k")
        assert notes.highlighted == 0
        await run.press("j", "enter")
        assert text_of(cursor_widget(run)) == BLOCKS[3].text


# -- moving between articles -----------------------------------------------------------------


async def test_full_stop_and_comma_open_the_next_and_previous_article_across_groups(launch, data_dir: Path) -> None:
    library_folder(data_dir)  # three groups: NEWS (the seed), Other (apple, bridge), SCIENCE (comet)
    async with launch() as run:
        await run.press("enter")
        seen = [headline(run)]
        for _ in range(3):
            await run.press("full_stop")
            seen.append(headline(run))
        assert [title[:20] for title in seen] == [title[:20] for title in TITLES]
        assert run.app.focused is pane(run, "#article")
        for _ in range(3):
            await run.press("comma")
        assert headline(run).startswith(TITLES[0])


async def test_g_in_the_list_lands_on_the_first_article(launch, data_dir: Path) -> None:
    library_folder(data_dir)
    async with launch() as run:
        await run.press("G", "g")
        await after_preview(run)
        await run.press("enter")
        assert run.app.focused is pane(run, "#article")
        assert headline(run).startswith(TITLES[0])


# -- groups ------------------------------------------------------------------------------------


def footer_text(run: Running) -> str:
    return " ".join(str(key.render()) for key in run.main.query("FooterKey"))


async def test_a_collapsed_group_is_remembered_across_a_restart(launch, data_dir: Path) -> None:
    library_folder(data_dir)
    async with launch() as run:
        await run.press("g", "k", "enter")  # Enter on the NEWS heading
        assert any(line.startswith(" ▸ NEWS") for line in run.sidebar()), run.sidebar()
    async with launch() as run:
        assert any(line.startswith(" ▸ NEWS") for line in run.sidebar()), run.sidebar()
        assert not any(TITLES[0][:20] in line for line in run.sidebar())


async def test_the_footer_and_the_help_say_that_enter_on_a_heading_collapses_it(launch, data_dir: Path) -> None:
    library_folder(data_dir)
    async with launch() as run:
        await run.press("g", "k")  # the NEWS heading
        await wait_until(run, lambda: "Collapse" in footer_text(run), 3)
        assert "Collapse" in footer_text(run)
        await run.press("enter")
        await wait_until(run, lambda: "Expand" in footer_text(run), 3)
        assert "Expand" in footer_text(run)
        await run.press("j", "j")  # past the next heading (Other) onto its first article
        await wait_until(run, lambda: "Open" in footer_text(run), 3)  # the footer is recomposed when Enter changes meaning
        assert "Collapse" not in footer_text(run) and "Open" in footer_text(run)
        await run.press("question_mark")
        assert isinstance(run.app.screen, HelpScreen)
        lines = help_lines(run).splitlines()
        assert any("Enter" in line and "collapse" in line.lower() for line in lines), lines


# -- focus and the filter ----------------------------------------------------------------------


async def test_escape_in_the_list_clears_the_filter(launch, data_dir: Path) -> None:
    library_folder(data_dir)
    async with launch() as run:
        await run.press("slash")
        await run.type("comet")
        await run.settle()
        await run.press("enter")  # the filter box hands over to the list
        assert run.app.focused is pane(run, "#articles")
        assert status(run).startswith("1 of 4 shown")
        await run.press("escape")
        assert pane(run, "#filter").value == ""
        assert status(run).startswith("4 articles")
        assert run.app.focused is pane(run, "#articles")


async def test_tab_cycles_the_list_the_article_and_the_notes_panel_never_the_filter(launch) -> None:
    async with launch() as run:
        articles, article, notes = pane(run, "#articles"), pane(run, "#article"), pane(run, "#notes")
        assert run.app.focused is articles
        await run.press("tab")
        assert run.app.focused is article
        await run.press("tab")
        assert run.app.focused is articles
        await run.press("shift+tab")
        assert run.app.focused is article
        await run.press("o")  # the notes panel joins the cycle while it is shown
        assert run.app.focused is notes
        await run.press("tab")
        assert run.app.focused is articles
        await run.press("shift+tab")
        assert run.app.focused is notes
        await run.press("tab", "j")
        filter_box = pane(run, "#filter")
        assert isinstance(filter_box, Input) and filter_box.value == ""


# -- a resize while reading ------------------------------------------------------------------


async def test_a_resize_keeps_the_cursor_passage_on_screen(launch, data_dir: Path) -> None:
    write_article(data_dir / "articles", "long.md", long_article(), mtime=1_900_000_000)  # listed first
    async with launch() as run:
        await run.press("enter", *["j"] * 30)
        await run.pilot.pause(0.2)
        passage = text_of(cursor_widget(run))
        assert passage.startswith("Paragraph 30 ") and on_screen(run, cursor_widget(run))
        await run.pilot.resize_terminal(80, 24)
        await run.settle()
        await run.pilot.pause(0.2)
        assert text_of(cursor_widget(run)) == passage
        assert on_screen(run, cursor_widget(run))
        await run.pilot.resize_terminal(120, 40)
        await run.settle()
        await run.pilot.pause(0.2)
        assert text_of(cursor_widget(run)) == passage
        assert on_screen(run, cursor_widget(run))


# -- a passage inside a passage ----------------------------------------------------------------


async def test_b_inside_a_multi_block_passage_offers_to_remove_it(launch, data_dir: Path) -> None:
    async with launch() as run:
        await run.press("enter", "J", "b")  # blocks 0 and 1
        (passage,) = stored(data_dir)
        await run.press("j")  # the cursor on block 1 alone: inside the passage
        assert text_of(cursor_widget(run)) == BLOCKS[1].text
        await run.press("b")
        assert isinstance(run.app.screen, ConfirmScreen)
        await run.press("n")
        assert stored(data_dir) == [passage]
        await run.press("b", "y")
        assert stored(data_dir) == []


async def test_n_inside_a_multi_block_passage_edits_its_note(launch, data_dir: Path) -> None:
    async with launch() as run:
        await run.press("enter", "J", "b", "j")
        await run.press("n")
        assert isinstance(run.app.screen, NoteEditor)
        await run.type("Both paragraphs")
        await run.press("ctrl+s")
        (passage,) = stored(data_dir)
        assert passage.note == "Both paragraphs"
        assert passage.selectors is not None and passage.selectors.blocks == (0, 1)


# -- other processes ---------------------------------------------------------------------------


async def test_an_article_added_to_the_library_folder_appears_without_a_restart(launch, data_dir: Path) -> None:
    async with launch() as run:
        assert not any("Late news" in line for line in run.sidebar())
        write_article(data_dir / "articles", "late.txt", "Late news\nIt arrived while reader was open.\n",
                      mtime=1_900_000_000)
        await wait_until(run, lambda: any("Late news" in line for line in run.sidebar()))
        assert any("Late news" in line for line in run.sidebar()), run.sidebar()
        assert status(run) == "2 articles · 2 unread"


async def test_articles_fetched_by_reader_fetch_in_another_shell_appear(launch, data_dir: Path, server: str) -> None:
    _subscribe(data_dir, f"{server}/rss.xml")
    async with launch() as run:
        env = {k: v for k, v in os.environ.items() if not k.startswith("READER_")}
        fetched = subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir), "fetch"],
                                 capture_output=True, text=True, timeout=60, env=env)
        assert fetched.returncode == 0, fetched.stderr
        await wait_until(run, lambda: any("Story 2" in line for line in run.sidebar()))
        lines = run.sidebar()
        assert any(line.startswith(" ▾ Loopback News  3 unread") for line in lines), lines


async def test_a_notice_the_store_gives_while_the_app_runs_is_shown_once(launch) -> None:
    async with launch() as run:
        run.services.store.messages.append("The notes file was repaired from its journal.")
        await wait_until(run, lambda: any("repaired" in n.message for n in run.notices))
        shown = [n for n in run.notices if "repaired" in n.message]
        assert len(shown) == 1 and shown[0].severity == "warning"
        await run.pilot.pause(2.5)  # another look at the store
        assert len([n for n in run.notices if "repaired" in n.message]) == 1


async def test_an_article_is_shown_before_its_bookmarks_are_located(launch, data_dir: Path, monkeypatch) -> None:
    """Locating sixty passages on a long read takes longer than drawing its first page: the text
    comes first, the highlights when they are found (they waited for the locating before)."""
    import threading

    from reader.domain.annotations.passages import selectors_for
    from reader.domain.annotations.model import Annotation
    from reader.domain.articles.article import article_id
    from reader.session.passages import Passages

    from .keys_support import panel_lines

    write_article(data_dir / "articles", "second.md", "---\ntitle: Second story\n---\nFirst paragraph.\n\nSecond paragraph.\n")
    projection = project(parse((data_dir / "articles" / "second.md").read_text(encoding="utf-8"), "markdown", "second").body)
    span = projection.blocks[1]
    with Store.open(data_dir / "reader.json") as store:
        store.add(Annotation(id="00000000-0000-4000-8000-000000000001", article=article_id("library", "second.md"),
                             title="Second story", selectors=selectors_for(projection, span.start, span.end), note=""))
    release, entered = threading.Event(), threading.Event()
    real = Passages.locate.__func__

    def slow_locate(cls, annotations, projection):
        annotations = list(annotations)
        if annotations:
            entered.set()
            release.wait(10)
        return real(cls, annotations, projection)

    async with launch() as run:
        monkeypatch.setattr(Passages, "locate", classmethod(slow_locate))
        articles = run.articles
        articles.focus()
        articles.select_id(next(r.meta.id for r in articles.rows if r.meta.title == "Second story"))
        await run.pilot.pause()
        await run.pilot.press("enter")
        for _ in range(100):
            await run.pilot.pause(0.05)
            if entered.is_set() and run.view.opened is not None and run.view.opened.article.meta.title == "Second story":
                break
        try:
            assert entered.is_set(), "the bookmarks are being located"
            assert run.view.opened is not None and run.view.opened.article.meta.title == "Second story", \
                "the article is on screen while they are"
            assert "First paragraph." in text_of(cursor_widget(run)), "its first page is drawn"
            assert not any("Second paragraph" in line for line in panel_lines(run)), "not listed before it is found"
            assert "✎ 1" in run.sidebar_entry("Second story")[1], "the sidebar keeps its count meanwhile"
            assert any("Finding" in line for line in panel_lines(run)), "the panel says they are being found"
        finally:
            release.set()
        await run.settle()
        assert any("Second paragraph" in line for line in panel_lines(run)), "listed once it is found"
        assert run.view.opened.passages.find("00000000-0000-4000-8000-000000000001") is not None, "and drawn"


@pytest.mark.parametrize("key", ["b", "N"])
async def test_b_and_N_before_the_bookmarks_are_located_act_on_the_ones_there(launch, data_dir: Path,
                                                                             monkeypatch, key: str) -> None:
    """``b`` or ``N`` pressed while a long read's bookmarks are still being located waited for
    nothing: ``b`` on a bookmarked block made a second bookmark, ``N`` a second note on the
    article. They wait for the bookmarks, then act on the one there."""
    import threading

    from reader.domain.annotations.model import Annotation
    from reader.domain.annotations.passages import selectors_for
    from reader.session.passages import Passages

    write_article(data_dir / "articles", "a.txt", "SCIENCE\nStory a\nParagraph one.\nParagraph two.\n", mtime=1_900_000_000)
    async with launch() as run:
        meta = next(m for m in run.main.all_articles() if m.title == "Story a")
        projection = project(run.services.library.load(meta).body)
        block = projection.blocks[0]
        existing = Annotation.new(meta.id, selectors=selectors_for(projection, block.start, block.end)) if key == "b" \
            else Annotation.new(meta.id, title=meta.title, note="On the whole article.")
        run.services.store.add(existing)
        release = threading.Event()
        locate = Passages.locate

        def slow_locate(annotations, projection):  # runs in a worker's thread
            release.wait(10)
            return locate(annotations, projection)

        monkeypatch.setattr(Passages, "locate", staticmethod(slow_locate))
        run.main.open_listed(meta.id)
        for _ in range(200):
            opened = run.main.session.reading.opened
            if opened is not None and opened.id == meta.id and run.view.opened is not None \
                    and run.view.opened.id == meta.id and run.app.focused is run.view:
                break
            await run.pilot.pause(0.01)
        assert not run.main.session.reading.opened.located
        await run.pilot.press(key)
        release.set()
        await run.settle()
        assert [a.id for a in run.services.store.annotations(meta.id)] == [existing.id], "nothing written twice"
        assert type(run.app.screen) is (ConfirmScreen if key == "b" else NoteEditor)
        if key == "N":
            from textual.widgets import TextArea

            assert run.app.screen.query_one(TextArea).text == "On the whole article.", "the note there is edited"


async def test_b_pressed_again_while_the_bookmark_is_being_saved_makes_one_bookmark(launch, data_dir: Path,
                                                                                     monkeypatch) -> None:
    """``b`` twice on a passage, the second before the first write was done (a slow disk): the
    passage was not bookmarked yet when the second looked, so it wrote a second bookmark."""
    import threading

    release = threading.Event()
    add = Store.add

    def slow_add(store, annotation):  # runs in a worker's thread
        release.wait(10)
        return add(store, annotation)

    async with launch() as run:
        await run.press("enter", "j")
        monkeypatch.setattr(Store, "add", slow_add)
        await run.pilot.press("b")
        await run.pilot.pause(0.05)
        await run.pilot.press("b")
        await run.pilot.pause(0.05)
        release.set()
        await run.settle()
        assert len(stored(data_dir)) == 1, "one bookmark"
        assert len(run.view.opened.passages) == 1, "one passage drawn"
        assert type(run.app.screen) is not ConfirmScreen, "the second press is taken for the first"


def type_ahead(run: Running, *keys: str) -> None:
    """Keys sent as a fast typist's arrive: all of them before the app has handled the first
    (``Pilot.press`` waits for each key to be handled before it sends the next)."""
    from textual import events

    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(run.app)
        run.app._driver.send_message(event)


async def test_enter_then_b_typed_at_once_bookmarks_in_the_article(launch, data_dir: Path) -> None:
    """``Enter b`` typed together on the list: ``b`` reached the list, which has no ``b``, and was lost."""
    async with launch() as run:
        assert run.view.opened is not None and run.app.focused is pane(run, "#articles")  # the preview
        type_ahead(run, "enter", "b")
        await run.settle()
        await run.pilot.pause(0.1)
        await run.settle()
        assert run.app.focused is run.view
        (saved,) = stored(data_dir)
        assert saved.article == run.view.opened.id and saved.quote == BLOCKS[0].text


async def test_b_typed_while_the_next_article_opens_bookmarks_that_article_not_the_one_before(
        launch, data_dir: Path, monkeypatch) -> None:
    """``.`` then ``b`` at once, the next article slow to load: ``b`` must not land on the
    article still on screen (it is leaving), nor be lost; it acts once the next one is open."""
    import threading

    for n, title in enumerate(TITLES[1:], start=1):
        write_article(data_dir / "articles", f"{n}.txt", f"NEWS\n{title}\nFirst of {title}.\nSecond.\n", mtime=1_600_000_000 - n)
    async with launch() as run:
        await run.press("enter")
        first = run.view.opened.id
        library = run.services.library
        release = threading.Event()
        load = type(library).load

        def slow_load(self, meta):  # runs in a worker's thread
            if meta.id != first:
                release.wait(10)
            return load(self, meta)

        monkeypatch.setattr(type(library), "load", slow_load)
        type_ahead(run, "full_stop", "b")
        await run.pilot.pause(0.2)
        release.set()
        await run.settle()
        await run.pilot.pause(0.1)
        await run.settle()
        second = run.view.opened.id
        assert second != first
        assert [a.article for a in stored(data_dir)] == [second]
