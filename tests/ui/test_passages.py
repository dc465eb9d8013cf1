"""Passages (issue 3): bookmarks and notes made with keys and the mouse, what reaches the store,
how they are drawn after a restart, the annotations screen, deletion and undo, and failures."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.geometry import Offset
from textual.selection import Selection
from textual.widget import Widget
from textual.widgets import OptionList, TextArea

from reader.config import bundled_dir
from reader.domain.annotations.model import Annotation
from reader.domain.articles.formats import parse
from reader.domain.articles.markdown import project
from reader.domain.annotations.passages import sentences
from reader.domain.store.store import Store, StoreError
from reader.ui.screens.annotations import AnnotationsScreen
from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.panes.notes import NotesPanel

from .conftest import Running, write_article
from .test_reading import text_of

SEED = next(bundled_dir("seeds").glob("*.txt"))
SEED_PARSED = parse(SEED.read_text(encoding="utf-8"), "text", SEED.stem)
PROJECTION = project(SEED_PARSED.body)
BLOCKS = PROJECTION.blocks
MULTI_SENTENCE = next(b for b in BLOCKS if len(sentences(b.text)) >= 2)


def stored(data_dir: Path) -> list[Annotation]:
    """What a fresh reader of the notes file sees."""
    with Store.open(data_dir / "reader.json") as store:
        return store.annotations()


def backgrounds(widget: Widget) -> set[str]:
    """The background colours (hex) of the first rendered line of a widget."""
    return {seg.style.bgcolor.triplet.hex for seg in widget.render_line(0)
            if seg.style and seg.style.bgcolor and seg.style.bgcolor.triplet}


async def wait_for_screen(run: Running, kind: type, tries: int = 50):
    """The active screen once it is a ``kind`` (for screens pushed by a worker)."""
    for _ in range(tries):
        if isinstance(run.app.screen, kind):
            return run.app.screen
        await run.pilot.pause(0.02)
    raise AssertionError(f"{kind.__name__} not shown; the screen is {run.app.screen!r}")


async def open_seed_at(run: Running, block: int) -> None:
    """Open the seed with Enter and move the passage cursor down to ``block``."""
    await run.press("enter", *["j"] * block)
    assert run.view.cursor == block


async def test_bookmark_then_note_on_the_third_block(launch, data_dir: Path) -> None:
    async with launch() as run:
        await run.press("enter", "j", "j", "b")
        await run.press("n")
        assert isinstance(run.app.screen, NoteEditor)
        await run.type("Tonnage?")
        await run.press("ctrl+s")
        assert not isinstance(run.app.screen, NoteEditor)
        assert run.notices_of("error") == []
    annotations = stored(data_dir)
    assert len(annotations) == 1
    (annotation,) = annotations
    assert annotation.quote == BLOCKS[2].text
    assert annotation.note == "Tonnage?"
    assert annotation.selectors is not None and annotation.selectors.blocks == (2, 2)
    assert annotation.title == SEED_PARSED.title

    async with launch() as run:
        await run.press("enter")
        view = run.view
        widget = view.block_widget(2)
        assert widget is not None and widget.has_class("-noted")
        assert not view.block_widget(1).has_class("-noted")
        assert [(m.start, m.end, m.noted) for m in view.marks] == [(BLOCKS[2].start, BLOCKS[2].end, True)]
        highlight = run.app.theme_variables["highlight"].lower()
        assert highlight in backgrounds(widget), "the paragraph's text is drawn on the highlight colour"
        assert highlight not in backgrounds(view.block_widget(1))
        assert "✎ 1" in run.sidebar_entry(SEED_PARSED.title[:20])[1]

        await run.pilot.press("a")  # its worker waits for the screen's answer: no settle here
        screen = await wait_for_screen(run, AnnotationsScreen)
        options = screen.query_one("#annotations-list", OptionList)
        assert options.option_count == 1
        prompt = str(options.get_option_at_index(0).prompt)
        assert BLOCKS[2].text[:40] in prompt and "✎ Tonnage?" in prompt
        await run.press("escape")
        assert run.app.screen is run.main


async def choose_in_annotations(run: Running, *keys: str) -> None:
    """Bookmark block 2, go to the end, open the annotations screen and press ``keys`` there."""
    await open_seed_at(run, 2)
    await run.press("b", "G")
    assert run.view.cursor == len(BLOCKS) - 1
    await run.pilot.press("a")
    await wait_for_screen(run, AnnotationsScreen)
    await run.pilot.press(*keys)
    for _ in range(50):  # the screen's worker resumes and opens the article
        if run.app.screen is run.main:
            break
        await run.pilot.pause(0.02)
    if run.app.screen is run.main:
        await run.settle()


async def test_choosing_an_annotation_opens_the_article_at_its_passage(launch) -> None:
    async with launch() as run:
        await choose_in_annotations(run, "down", "enter")
        assert run.app.screen is run.main
        assert run.view.cursor == 2
        assert run.app.focused is run.view


async def test_enter_at_once_opens_the_newest_annotation(launch) -> None:
    async with launch() as run:
        await choose_in_annotations(run, "enter")
        assert run.app.screen is run.main
        assert run.view.cursor == 2


async def test_choosing_an_annotation_in_another_article_opens_it_at_the_passage(launch, data_dir: Path) -> None:
    body = "\n".join(f"Paragraph number {i} of the other story." for i in range(8))
    write_article(data_dir / "articles", "other.txt", "Other news\n" + body + "\n")
    async with launch() as run:
        await run.choose("Other news")
        await run.press("j", "j", "j", "j", "b", "g")  # bookmark block 4, read on from the top
        await run.pilot.pause(0.7)  # the reading position (block 0) is saved
        await run.settle()
        await run.choose(SEED_PARSED.title)
        await run.pilot.press("a")
        await wait_for_screen(run, AnnotationsScreen)
        await run.pilot.press("down", "enter")
        await run.pilot.pause(0.3)  # longer than the sidebar's preview delay
        await run.settle()
        assert run.view.opened.article.title == "Other news"
        assert run.view.cursor == 4
        assert run.app.focused is run.view


async def test_extended_selection_bookmarks_two_blocks(launch, data_dir: Path) -> None:
    async with launch() as run:
        await run.press("enter", "J")
        assert run.view.extent == 1
        assert run.view.block_widget(1).has_class("-selected")
        await run.press("b")
    (annotation,) = stored(data_dir)
    assert annotation.quote == PROJECTION.text[BLOCKS[0].start:BLOCKS[1].end]
    assert annotation.selectors.blocks == (0, 1)


async def test_sentence_narrowing_bookmarks_one_sentence(launch, data_dir: Path) -> None:
    start, end = sentences(MULTI_SENTENCE.text)[0]
    async with launch() as run:
        await open_seed_at(run, MULTI_SENTENCE.index)
        await run.press("s")
        assert run.view.narrowed and run.view.sentence == 0
        await run.press("b")
    (annotation,) = stored(data_dir)
    assert annotation.quote == MULTI_SENTENCE.text[start:end]
    assert annotation.quote != MULTI_SENTENCE.text


async def test_mouse_selection_bookmarks_the_selected_text(launch, data_dir: Path) -> None:
    block = BLOCKS[3]
    words = " ".join(block.text.split()[2:7])
    start = block.text.index(words)
    async with launch() as run:
        await run.press("enter")
        widget = run.view.block_widget(3)
        run.app.screen.selections = {widget: Selection(Offset(start, 0), Offset(start + len(words), 0))}
        await run.settle()
        assert run.app.screen.get_selected_text() == words
        await run.press("b")
    (annotation,) = stored(data_dir)
    assert annotation.quote == words
    assert annotation.selectors.position.start == block.start + start


async def test_b_again_asks_then_removes_and_u_restores(launch, data_dir: Path) -> None:
    async with launch() as run:
        await open_seed_at(run, 2)
        await run.press("b")
        (original,) = run.services.store.annotations()
        await run.press("b")
        assert isinstance(run.app.screen, ConfirmScreen)
        await run.press("y")
        assert not isinstance(run.app.screen, ConfirmScreen)
        assert run.services.store.annotations() == []
        assert stored(data_dir) == []
        assert run.view.marks == ()
        await run.press("u")
        assert stored(data_dir) == [original]
        assert [(m.start, m.end) for m in run.view.marks] == [(BLOCKS[2].start, BLOCKS[2].end)]


async def test_b_again_and_keep_leaves_the_bookmark(launch, data_dir: Path) -> None:
    async with launch() as run:
        await open_seed_at(run, 1)
        await run.press("b", "b")
        assert isinstance(run.app.screen, ConfirmScreen)
        await run.press("n")
        assert len(stored(data_dir)) == 1


async def test_brackets_jump_between_bookmarks(launch) -> None:
    async with launch() as run:
        await open_seed_at(run, 2)
        await run.press("b", "j", "j", "j", "b", "g")
        assert run.view.cursor == 0
        await run.press("right_square_bracket")
        assert run.view.cursor == 2
        await run.press("right_square_bracket")
        assert run.view.cursor == 5
        await run.press("right_square_bracket")
        assert run.view.cursor == 5
        assert run.notices[-1].message == "No more bookmarks in this direction."
        await run.press("left_square_bracket")
        assert run.view.cursor == 2


async def test_N_writes_a_note_on_the_whole_article(launch, data_dir: Path) -> None:
    async with launch() as run:
        await open_seed_at(run, 3)
        await run.press("N")
        assert isinstance(run.app.screen, NoteEditor)
        await run.type("April!")
        await run.press("ctrl+s")
        assert not isinstance(run.app.screen, NoteEditor)
        assert run.view.marks == (), "an article note highlights no passage"
    (annotation,) = stored(data_dir)
    assert annotation.selectors is None
    assert annotation.note == "April!"
    assert annotation.quote == ""


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `reader ARGS` on the app's data dir in another process, as a script beside the app does."""
    return subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=60)


def seed_id(data_dir: Path) -> str:
    """The seed article's id, as `reader list` gives it."""
    listed = json.loads(cli(data_dir, "list", "--json").stdout)
    return next(a["id"] for a in listed if a["title"] == SEED_PARSED.title)


async def test_N_edits_the_whole_article_note_a_script_made(launch, data_dir: Path) -> None:
    seed = seed_id(data_dir)
    made = cli(data_dir, "note", seed, "Written by a script.").stdout.strip()
    async with launch() as run:
        await run.press("enter", "N")
        editor = run.app.screen
        assert isinstance(editor, NoteEditor) and editor.text == "Written by a script."
        await run.type("!")
        await run.press("ctrl+s")
        assert not isinstance(run.app.screen, NoteEditor) and run.notices_of("error") == []
    (note,) = stored(data_dir)
    assert (note.id, note.note) == (made, "Written by a script.!"), "the same record, updated"
    assert cli(data_dir, "note", seed, "The script again.").stdout.strip() == made
    async with launch() as run:
        await run.press("enter", "N")
        assert run.app.screen.text == "The script again."
    assert [a.id for a in stored(data_dir)] == [made]


async def test_N_on_duplicated_article_notes_shows_every_text_and_saving_merges_them(launch, data_dir: Path) -> None:
    seed = seed_id(data_dir)
    older, newer = (Annotation(id=f"note-{day}", article=seed, note=f"text {day}", created=f"2024-01-0{day}T00:00:00Z")
                    for day in (1, 2))
    with Store.open(data_dir / "reader.json") as store:
        store.add(older)
        store.add(newer)
    async with launch() as run:
        await run.press("enter", "N")
        assert run.app.screen.text == "text 2\n\n---\n\ntext 1", "the newest first, then the older one"
        await run.press("escape")  # unchanged: closes, and nothing is merged
        assert not isinstance(run.app.screen, NoteEditor)
        assert {a.id for a in stored(data_dir)} == {"note-1", "note-2"}
        await run.press("N")
        await run.type("!")
        await run.press("ctrl+s")
        assert run.notices_of("error") == []
        opened = run.app.session.reading.opened
        assert [a.note for a in opened.passages.annotations] == ["text 2\n\n---\n\ntext 1!"], "one note shown"
    (note,) = stored(data_dir)
    assert (note.id, note.note) == ("note-2", "text 2\n\n---\n\ntext 1!")


async def test_u_restores_a_deletion_made_in_the_app_after_a_script_deleted_another(launch, data_dir: Path) -> None:
    async with launch() as run:
        await open_seed_at(run, 1)
        await run.press("b", "j", "b")  # bookmarks on blocks 1 and 2; the cursor is on 2
        first, second = sorted(run.services.store.annotations(), key=lambda a: a.selectors.blocks)
        await run.press("b", "y")  # remove block 2's in the app
        assert stored(data_dir) == [first]
        done = await asyncio.to_thread(cli, data_dir, "delete", first.id[:8])
        assert done.returncode == 0, done.stderr
        assert stored(data_dir) == []
        await run.press("u")
        assert stored(data_dir) == [second], "the app's deletion is undone; the script's is final"
        for _ in range(40):  # the script's deletion reaches the screen with the next poll of the store
            if [(m.start, m.end) for m in run.view.marks] == [(BLOCKS[2].start, BLOCKS[2].end)]:
                break
            await run.pilot.pause(0.2)
            await run.settle()
        assert [(m.start, m.end) for m in run.view.marks] == [(BLOCKS[2].start, BLOCKS[2].end)]


async def test_escape_with_changes_asks_and_keep_editing_stays(launch, data_dir: Path) -> None:
    async with launch() as run:
        await run.press("enter", "n")
        await run.type("Half")
        await run.press("escape")
        assert isinstance(run.app.screen, ConfirmScreen)
        await run.press("n")  # Keep editing
        editor = run.app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == "Half"
        await run.press("escape", "y")  # now discard
        assert not isinstance(run.app.screen, (NoteEditor, ConfirmScreen))
    assert stored(data_dir) == []


async def test_escape_without_changes_closes_at_once(launch) -> None:
    async with launch() as run:
        await run.press("enter", "n", "escape")
        assert not isinstance(run.app.screen, (NoteEditor, ConfirmScreen))


async def test_store_failure_keeps_the_editor_and_the_text(launch, data_dir: Path, monkeypatch) -> None:
    async with launch() as run:
        def refuse(annotation: Annotation) -> Annotation:
            raise StoreError("disk full")

        monkeypatch.setattr(run.services.store, "add", refuse)
        await run.press("enter", "n")
        await run.type("Keep me")
        await run.press("ctrl+s")
        errors = run.notices_of("error")
        assert len(errors) == 1 and "disk full" in errors[0].message
        editor = run.app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == "Keep me"

        monkeypatch.undo()  # the disk has room again: the same editor saves
        await run.press("ctrl+s")
        assert not isinstance(run.app.screen, NoteEditor)
    (annotation,) = stored(data_dir)
    assert annotation.note == "Keep me"


# -- a long article, rendered a page at a time ---------------------------------------------------

def long_article(paragraphs: int = 90) -> str:
    """A Markdown article of several pages (about 60 words a paragraph), every paragraph distinct."""
    body = [f"Paragraph {i} opens with its own words: " + " ".join(f"w{i}x{j}" for j in range(55)) + "."
            for i in range(paragraphs)]
    return "# The long read\n\n" + "\n\n".join(body) + "\n"


async def test_a_long_article_keeps_cursor_bookmarks_and_position_exact_across_pages(launch, data_dir: Path) -> None:
    from reader.domain.articles.pages import paginate
    from reader.ui.widgets.page_stack import PagePlaceholder

    text = long_article()
    write_article(data_dir / "articles", "long.md", text, mtime=1_800_000_000)  # the newest: listed first
    projection = project(parse(text, "markdown", "long").body)
    blocks = projection.blocks
    assert len(paginate(blocks)) >= 4
    async with launch() as run:
        await run.press("enter")
        view = run.view
        assert view.opened is not None and view.opened.article.title == "The long read"
        assert view.query(PagePlaceholder), "the pages far from the cursor are placeholders at first"
        await run.press("G")
        last = len(blocks) - 1
        assert view.cursor == last
        widget = view.block_widget(last)
        assert widget is not None and view.scrollable_content_region.contains_region(widget.region)
        assert text_of(widget) == blocks[last].text
        await run.press("k", "k", "b")  # a bookmark on the last page
        await run.press("g")
        assert view.cursor == 0 or not blocks[0].text
        middle = len(blocks) // 2
        await run.press(*["j"] * middle)  # across page boundaries, one block at a time
        assert view.cursor == middle
        widget = view.block_widget(middle)
        assert widget is not None and text_of(widget) == blocks[middle].text
        assert view.scrollable_content_region.contains_region(widget.region)
    (annotation,) = stored(data_dir)
    assert annotation.quote == blocks[last - 2].text
    assert annotation.selectors is not None and annotation.selectors.blocks == (last - 2, last - 2)

    async with launch() as run:  # reopened where it was left, with the bookmark drawn on its page
        await run.press("enter")
        view = run.view
        assert view.cursor == middle
        assert text_of(view.block_widget(middle)) == blocks[middle].text
        await run.press("G")
        marked = view.block_widget(last - 2)
        assert [(m.start, m.end) for m in view.marks] == [(blocks[last - 2].start, blocks[last - 2].end)]
        highlight = run.app.theme_variables["highlight"].lower()
        assert marked is not None and highlight in backgrounds(marked), "drawn on the page built for G"
        assert highlight not in backgrounds(view.block_widget(last - 1))


async def test_the_annotations_screen_lists_the_newest_few_hundred_and_narrows_as_you_type(launch, data_dir: Path) -> None:
    from reader.domain.annotations.model import Selectors
    from reader.ui.screens.annotations import SHOWN

    block = BLOCKS[2]
    made = []
    for i in range(SHOWN + 100):  # more than the screen lists at once
        a = Annotation.new("seed-id", title=f"Story {i}", selectors=Selectors.for_span(PROJECTION.text, block.start, block.end),
                           note="walrus" if i % 50 == 0 else "")
        made.append(Annotation(**{**a.__dict__, "created": f"2024-01-01T00:{i // 60:02d}:{i % 60:02d}Z"}))
    with Store.open(data_dir / "reader.json") as store:
        store.import_annotations(made)
    async with launch() as run:
        await run.pilot.press("a")
        screen = await wait_for_screen(run, AnnotationsScreen)  # its worker waits for the answer: no settle
        await run.pilot.pause()
        options = screen.query_one("#annotations-list", OptionList)
        status = str(screen.query_one("#annotations-status").render())
        assert options.option_count == SHOWN
        assert status == f"{SHOWN + 100} annotations · the newest {SHOWN} are listed: type to narrow"
        assert "Story 399" in str(options.get_option_at_index(0).prompt)  # newest first
        await run.pilot.press("slash")
        await run.type("WALRUS")
        await run.pilot.pause()
        assert options.option_count == 8
        assert str(screen.query_one("#annotations-status").render()) == f"8 of {SHOWN + 100}"
        assert "Story 350" in str(options.get_option_at_index(0).prompt)


async def test_the_notes_panel_and_marks_follow_each_anchor_status_after_the_article_changed(
    launch, data_dir: Path
) -> None:
    paragraphs = [
        "The council met on Tuesday evening to discuss the river plan.",
        "Opponents said the cost of the new embankment would rise every year.",
        "Supporters answered that the town could not wait for another flood.",
        "Work is to begin in the spring and should end within two years.",
    ]
    path = write_article(data_dir / "articles", "river.txt", "River plan\n" + "\n".join(paragraphs) + "\n")
    async with launch() as run:
        await run.choose("River plan")
        await run.press("b", "j", "b", "j", "b", "j", "b")
        assert len(stored(data_dir)) == 4
    edited = [paragraphs[0], paragraphs[1].replace("embankment", "embankmnet"), "A new paragraph about the weather.",
              paragraphs[2]]  # the last paragraph is gone
    write_article(data_dir / "articles", "river.txt", "River plan\n" + "\n".join(edited) + "\n", mtime=1_700_100_000)
    assert path.read_text(encoding="utf-8").count("\n") == 5
    async with launch() as run:
        await run.choose("River plan")
        await run.press("o")
        panel = run.main.query_one(NotesPanel)
        lines = {str(panel.get_option_at_index(i).prompt).split("”")[0].strip("“"): str(panel.get_option_at_index(i).prompt)
                 for i in range(panel.option_count)}
        assert {quote: line[len(quote) + 2:] for quote, line in lines.items()} == {
            paragraphs[0]: "",  # exact
            paragraphs[2]: "",  # moved: the very text, one block further down
            paragraphs[1]: "  (text changed)",
            paragraphs[3]: "  (text no longer in the article)",
        }
        text = run.view.opened.projection.text
        assert sorted(text[m.start:m.end] for m in run.view.marks) == sorted(
            [paragraphs[0], paragraphs[2], edited[1]])
