"""How notes read (issue 12, "Reading and notes"): the note editor's quote, the notes panel and the
annotations screen (entries apart, notes as Markdown, status labels, typing filters), and the
sentence that ``s`` narrows the passage to, in every theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.geometry import Region
from textual.widget import Widget

from reader.config import bundled_dir
from reader.domain.annotations.passages import sentences
from reader.domain.store.store import Store

from .conftest import write_article
from .keys_support import (
    SEED_BLOCKS,
    cursor_text,
    cursor_widget,
    focused_id,
    help_lines,
    move_to_block,
    notes_panel,
    toasts,
    top,
    wait_for_top,
    wait_until,
)

THEMES = sorted(path.stem for path in bundled_dir("themes").glob("*.toml"))
NOTE = "**Bold** word, `code` and [b]markup[/b]\n\n- one item"
"""A note in Markdown, with text that Rich or Textual markup would eat."""


def visible_lines(widget: Widget) -> list[str]:
    """The lines a widget shows now (its own region), as plain text."""
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def list_lines(widget: Widget) -> list[str]:
    """Every rendered line of a line-API list (OptionList), as plain text."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def write_note(run, block: int, text: str) -> None:
    """A note on one of the seed's blocks, typed into the editor and saved."""
    await move_to_block(run, block)
    await run.press("n")
    await run.pilot.press(*["enter" if char == "\n" else char for char in text])
    await run.press("ctrl+s")
    assert top(run) == "MainScreen"


def assert_note_rendered(prompt) -> None:
    """The note is shown as Markdown: no ** or backticks, bold where it was asked, markup as text."""
    plain = prompt.plain
    assert "Bold word, code and [b]markup[/b]" in plain, plain
    assert "**" not in plain and "`" not in plain
    assert "• one item" in plain, "a list item is a bullet"
    assert "bold" in styles_at(prompt, plain.index("Bold"))
    assert "bold" not in styles_at(prompt, plain.index("markup")), "[b] is text, not markup"


def styles_at(prompt, offset: int) -> str:
    """The styles of every span of a Content over one character, as text."""
    return " ".join(str(span.style) for span in prompt.spans if span.start <= offset < span.end)


# -- the note editor ------------------------------------------------------------------------------------


async def test_the_note_editor_wraps_a_long_quote_to_a_few_lines_and_ends_it_with_an_ellipsis(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 1)
        await run.press("J", "J", "J", "n")  # a passage over four paragraphs
        assert top(run) == "NoteEditor"
        quote = run.app.screen.query_one("#note-quote")
        lines = [line.rstrip() for line in visible_lines(quote) if line.strip()]
        assert lines and lines[-1].endswith("…"), f"the quote is cut with no sign: {lines}"
        assert 1 < len(lines) <= 4
        assert quote.size.height == len(lines), "no blank rows under the quote"
        words = " ".join(" ".join(SEED_BLOCKS[b].text for b in range(1, 5)).split())
        assert words.startswith(" ".join(" ".join(lines).removesuffix("…").split())), "the start of the quote, in order"


async def test_the_note_editor_shows_a_short_quote_whole(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 0)
        await run.press("n")
        text = " ".join(" ".join(visible_lines(run.app.screen.query_one("#note-quote"))).split())
        assert text == " ".join(SEED_BLOCKS[0].text.split())


# -- the notes panel ------------------------------------------------------------------------------------


async def test_the_notes_panel_renders_notes_as_markdown_and_separates_entries(launch) -> None:
    async with launch() as run:
        await write_note(run, 2, NOTE)
        await move_to_block(run, 6)
        await run.press("b", "o")
        assert [a.note for a in run.services.store.annotations() if a.note] == [NOTE], "the store keeps the Markdown"
        panel = notes_panel(run)
        assert panel.option_count == 2
        assert_note_rendered(panel.get_option_at_index(0).prompt)
        lines = list_lines(panel)
        first = next(y for y, line in enumerate(lines) if SEED_BLOCKS[6].text[:20] in line)
        assert any(set(line.strip()) == {"─"} for line in lines[:first]), f"no rule between the entries: {lines}"


# -- the annotations screen -----------------------------------------------------------------------------


async def open_annotations(run) -> None:
    await run.pilot.press("a")  # its worker waits for the screen's answer: no settle
    await wait_for_top(run, "AnnotationsScreen")


async def test_the_annotations_screen_renders_notes_as_markdown_and_separates_entries(launch) -> None:
    async with launch() as run:
        await write_note(run, 2, NOTE)
        await move_to_block(run, 6)
        await run.press("b")
        await open_annotations(run)
        options = run.app.screen.query_one("#annotations-list")
        assert options.option_count == 2
        noted = next(options.get_option_at_index(i).prompt for i in range(2)
                     if SEED_BLOCKS[2].text[:20] in options.get_option_at_index(i).prompt.plain)
        assert_note_rendered(noted)
        assert any(set(line.strip()) == {"─"} for line in list_lines(options)), "a rule between the entries"


async def test_typing_on_the_annotations_list_filters_at_once(launch) -> None:
    async with launch() as run:
        await write_note(run, 2, "minerals")
        await move_to_block(run, 6)
        await run.press("b")
        await open_annotations(run)
        assert focused_id(run) == "annotations-list"
        await run.pilot.press(*"mine")
        await run.pilot.pause()
        assert focused_id(run) == "annotations-filter"
        assert run.app.screen.query_one("#annotations-filter").value == "mine", "the first letter is not lost"
        options = run.app.screen.query_one("#annotations-list")
        assert options.option_count == 1 and "minerals" in options.get_option_at_index(0).prompt.plain
        await run.pilot.press("enter")  # the filter stays; the list takes the keys
        await run.pilot.pause()
        assert focused_id(run) == "annotations-list"
        assert options.option_count == 1
        await run.pilot.press("enter")
        await wait_for_top(run, "MainScreen")
        await run.settle()
        assert cursor_text(run) == SEED_BLOCKS[2].text


async def test_quotes_and_notes_reach_the_annotations_screen_without_control_characters(launch) -> None:
    from reader.domain.annotations.model import Annotation, Selectors

    evil = "Evil \x1b]0;pwned\x07quote\u202e with \x9b2J controls"
    async with launch() as run:
        article = run.view.opened.article.id
        run.services.store.add(Annotation.new(article, title="T", selectors=Selectors.for_span(evil, 0, len(evil)),
                                              note="note \x1b[31mred\x1b[0m"))
        await open_annotations(run)
        plain = run.app.screen.query_one("#annotations-list").get_option_at_index(0).prompt.plain
        assert "Evil ]0;pwnedquote with 2J controls" in plain and "note [31mred[0m" in plain
        assert not any(char in plain for char in "\x1b\x07\u202e\x9b"), repr(plain)


async def test_the_help_says_how_the_annotations_screen_filters(launch) -> None:
    async with launch() as run:
        await run.press("question_mark")
        text = help_lines(run)
        assert "Start the filter with that letter" in text
        assert "In the filter: back to the list, the filter kept; on the list: open the passage" in text
        assert "Filter by quote, note, title, #tag or color:NAME" in text, "the screen's own bindings are listed too"


async def test_the_annotations_screen_labels_changed_and_lost_passages(launch, data_dir: Path) -> None:
    paragraphs = [
        "The council met on Tuesday evening to discuss the river plan.",
        "Opponents said the cost of the new embankment would rise every year.",
        "Work is to begin in the spring and should end within two years.",
    ]
    write_article(data_dir / "articles", "river.txt", "River plan\n" + "\n".join(paragraphs) + "\n")
    async with launch() as run:
        await run.choose("River plan")
        await run.press("b", "j", "b", "j", "b")
        assert len(run.services.store.annotations()) == 3
    edited = [paragraphs[0], paragraphs[1].replace("embankment", "embankmnet")]  # the last paragraph is gone
    write_article(data_dir / "articles", "river.txt", "River plan\n" + "\n".join(edited) + "\n", mtime=1_700_100_000)
    async with launch() as run:
        await open_annotations(run)
        options = run.app.screen.query_one("#annotations-list")

        def labels() -> dict[str, str]:
            prompts = [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]
            return {p: next((q for q in paragraphs if q[:30] in p), "?") for p in prompts}

        def label_of(paragraph: str) -> str:
            return next(p for p, q in labels().items() if q == paragraph)

        assert await wait_until(run, lambda: "text no longer in the article" in label_of(paragraphs[2]))
        assert "text changed" in label_of(paragraphs[1])
        assert "text changed" not in label_of(paragraphs[0]) and "no longer" not in label_of(paragraphs[0])


# -- s: the sentence ------------------------------------------------------------------------------------


def cell_backgrounds(widget: Widget) -> list[tuple[str, str | None]]:
    """Each visible character a block renders (spaces left out), with its background (hex)."""
    cells = []
    for y in range(widget.size.height):
        for segment in widget.render_line(y):
            colour = segment.style.bgcolor if segment.style else None
            background = Color.from_rich_color(colour).hex if colour is not None else None
            cells += [(char, background) for char in segment.text if not char.isspace()]
    return cells


@pytest.mark.parametrize("theme", THEMES)
async def test_s_gives_the_sentence_its_own_background_in_every_theme(launch, theme: str) -> None:
    block = SEED_BLOCKS[1]
    first, _second = sentences(block.text)
    async with launch() as run:
        run.app.theme = theme
        await move_to_block(run, 1)
        await run.press("s")
        widget = cursor_widget(run)
        variables = run.app.get_css_variables()
        sentence = Color.parse(variables["sentence-cursor"]).hex
        cells = cell_backgrounds(widget)
        count = len("".join(block.text[first[0]:first[1]].split()))
        assert "".join(c for c, _ in cells) == "".join(block.text.split()), "the block's text, in order"
        assert {bg for _, bg in cells[:count]} == {sentence}, "the sentence has the sentence colour"
        rest = {bg for _, bg in cells[count:]}
        assert sentence not in rest, "the rest of the block does not"
        assert Color.parse(variables["passage-cursor"]).hex not in rest, "the block is no longer drawn as the passage"
        await run.press("b")
        assert [a.quote for a in run.services.store.annotations()] == [block.text[first[0]:first[1]]]


async def test_s_on_a_one_sentence_block_says_so_and_keeps_the_block(launch) -> None:
    assert len(sentences(SEED_BLOCKS[0].text)) == 1
    async with launch() as run:
        await move_to_block(run, 0)
        await run.press("s")
        assert any("single sentence" in toast for toast in toasts(run)), toasts(run)
        assert not run.view.narrowed
        await run.press("b")
        assert [a.quote for a in run.services.store.annotations()] == [SEED_BLOCKS[0].text]


def test_every_theme_gives_the_sentence_a_colour_of_its_own() -> None:
    import tomllib

    for path in bundled_dir("themes").glob("*.toml"):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        variables = raw["variables"]
        sentence = Color.parse(variables["sentence-cursor"])
        others = [raw["background"], raw["surface"], variables["passage-cursor"], variables["highlight"]]
        others += [v for k, v in variables.items() if k.startswith("passage-")]
        assert all(Color.parse(other) != sentence for other in others), path.name
        background, foreground = Color.parse(raw["background"]), Color.parse(raw["foreground"])
        assert abs(sentence.brightness - background.brightness) >= 0.08, f"{path.name}: the sentence stands out"
        assert abs(sentence.brightness - foreground.brightness) >= 0.35, f"{path.name}: its text stays readable"


def test_a_quote_that_starts_or_ends_with_quotation_marks_gets_no_second_pair() -> None:
    from reader.ui.widgets.note_text import quote_content

    assert quote_content("“Many subjects,” he said", 100).plain == "“Many subjects,” he said”"
    assert quote_content("“Many subjects were discussed.”", 100).plain == "“Many subjects were discussed.”"
    assert quote_content("\"Plain quotes\"", 100).plain == "\"Plain quotes\""
    assert quote_content("No marks at all", 100).plain == "“No marks at all”"
    assert quote_content("“A long quote that goes on", 6).plain == "“A lon…”"
