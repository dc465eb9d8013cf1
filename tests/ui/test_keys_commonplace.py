"""Keys that colour, tag and cite passages (c, t, T, y), the daily review (v and its answer keys)
and the tag view (#): checked on the widgets, the clipboard and what reached the store."""

from __future__ import annotations

import argparse
import io
from contextlib import redirect_stdout
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from reader.cli.cite import run_cite
from reader.domain.annotations.review import next_due
from reader.domain.store.store import Store

from .conftest import make_services, write_article
from .test_passages import backgrounds
from .keys_support import (
    SEED_BLOCKS,
    cursor_text,
    move_to_block,
    notes_panel,
    panel_lines,
    text_of,
    toasts,
    top,
    wait_for_top,
    widget,
)

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=timezone(timedelta(hours=1)))
RIVER = """---
title: Council approves the river plan
url: https://news.example.org/river-plan
source: Example News
---
The council voted on Tuesday to approve the river plan after a long debate.

Opponents said the cost would rise. Supporters said the river needs it now.
"""


def stored(run) -> list:
    return run.services.store.annotations()


def shown(run, text: str) -> bool:
    return any(text in toast for toast in toasts(run))


async def answer_prompt(run, text: str) -> None:
    """Replace what the prompt on top holds with ``text`` and press Enter."""
    assert top(run) == "PromptScreen"
    run.app.screen.query_one(Input).value = ""
    await run.type(text)
    await run.press("enter")
    assert top(run) == "MainScreen"


# -- c: the colour ------------------------------------------------------------------------------


async def test_c_chooses_a_colour_that_the_article_the_panel_and_the_store_show(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 2)
        await run.press("c")
        assert top(run) == "ColorChooser"
        options = run.app.screen.query_one("#colors", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == [" ●  yellow", " ▲  green", " ■  blue", " ◆  red", " ★  purple", "    none"]
        await run.press("down", "enter")
        assert top(run) == "MainScreen" and shown(run, "Coloured green")
        (saved,) = stored(run)
        assert (saved.color, saved.quote) == ("green", SEED_BLOCKS[2].text), "c on a plain passage bookmarks it"
        block = run.view.block_widget(2)
        assert text_of(block).startswith("▲ "), "the colour's glyph marks the passage, not its hue alone"
        assert run.app.theme_variables["passage-green"].lower() in backgrounds(block)
        assert run.app.theme_variables["highlight"].lower() not in backgrounds(block)
        await run.press("o")
        assert "▲" in panel_lines(run)[0]
        await run.press("shift+tab", "c")  # the chooser opens on the passage's colour
        assert run.app.screen.query_one("#colors", OptionList).highlighted == 1
        await run.press("down", "down", "down", "down", "enter")  # none
        assert [a.color for a in stored(run)] == [""] and not text_of(run.view.block_widget(2)).startswith("▲")


async def test_escape_closes_the_colour_chooser_and_changes_nothing(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 3)
        await run.press("c")
        assert top(run) == "ColorChooser"
        await run.press("down", "escape")
        assert top(run) == "MainScreen" and stored(run) == []
        assert cursor_text(run) == SEED_BLOCKS[3].text


# -- t and T: tags -----------------------------------------------------------------------------


async def test_t_tags_the_passage_and_t_again_edits_its_tags(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 1)
        await run.press("b", "t")
        assert run.app.screen.query_one(Input).value == ""
        await answer_prompt(run, "#Trade, soy beans,, trade")
        (saved,) = stored(run)
        assert saved.tags == ("Trade", "soy beans") and saved.quote == SEED_BLOCKS[1].text
        await run.press("o")
        assert "#Trade #soy beans" in panel_lines(run)[0]
        await run.press("shift+tab", "t")
        assert run.app.screen.query_one(Input).value == "Trade, soy beans"
        await answer_prompt(run, "Trade")
        assert [a.tags for a in stored(run)] == [("Trade",)] and shown(run, "Tagged Trade")


async def test_T_tags_the_whole_article_and_the_panel_shows_it(launch, data_dir: Path) -> None:
    async with launch() as run:
        await run.press("enter", "T")
        await answer_prompt(run, "politics, china")
        article = run.view.opened.id
        assert run.services.store.article_tags() == {article: ("politics", "china")}
        assert stored(run) == [], "article tags are not a passage"
        await run.press("o")
        assert panel_lines(run)[0] == "Article: #politics #china"
    async with launch() as run:  # read again when the article opens
        await run.press("enter", "o")
        assert panel_lines(run)[0] == "Article: #politics #china"


# -- y: the citation -----------------------------------------------------------------------------


async def test_y_copies_the_citation_reader_cite_prints_and_saves_nothing(launch, data_dir: Path) -> None:
    write_article(data_dir / "articles", "river.md", RIVER, mtime=1_800_000_000)
    async with launch() as run:
        await run.choose("Council approves the river plan")
        await run.press("j", "y")
        copied = run.app.clipboard
        assert copied.startswith("> Opponents said the cost would rise.")
        assert "https://news.example.org/river-plan#:~:text=Opponents" in copied and "Example News" in copied
        assert shown(run, "Copied a citation of “Opponents said") and stored(run) == []
        await run.press("b", "y")
        (saved,) = stored(run)
        assert run.app.clipboard == copied
    services = make_services(data_dir)
    try:
        out = io.StringIO()
        with redirect_stdout(out):
            run_cite(argparse.Namespace(id=saved.id, format="markdown"), services)
    finally:
        services.close()
    assert out.getvalue() == copied


# -- v: the daily review --------------------------------------------------------------------------


async def start_review(run, blocks: tuple[int, ...]) -> None:
    """Bookmark blocks, fix the review's clock and press v."""
    for block in blocks:
        await move_to_block(run, block)
        await run.press("b")
    run.app.session.review.clock = lambda: NOW
    await run.press("v")
    assert top(run) == "ReviewScreen"


def review_text(run, part: str) -> str:
    return text_of(run.app.screen.query_one(f"#review-{part}"))


async def test_v_shows_todays_passages_g_answers_s_skips_and_not_twice_a_day(launch) -> None:
    async with launch() as run:
        await start_review(run, (1, 2))
        first, second = sorted(stored(run), key=lambda a: (a.created, a.id))
        assert review_text(run, "progress").startswith("Passage 1 of 2")
        assert SEED_BLOCKS[1].text[:40] in review_text(run, "quote")
        await run.press("g")
        assert review_text(run, "progress").startswith("Passage 2 of 2")
        assert review_text(run, "last").startswith(f"{first.id[:8]}: good; back on 2025-03-")
        records = {a.id: a.review for a in stored(run)}
        assert records[first.id]["last"] == "good" and records[first.id]["answers"] == 1
        assert records[second.id] == {"shown": "2025-03-03"}, "shown when it appeared"
        await run.press("s")
        assert review_text(run, "progress") == "Done for today: 1 of 2 answered."
        await run.press("escape")
        assert top(run) == "MainScreen"
        await run.press("v")
        assert top(run) == "MainScreen" and shown(run, "Nothing to review today")


async def test_a_h_g_e_record_each_answer_and_schedule_further_each_time(launch) -> None:
    async with launch() as run:
        await start_review(run, (1, 2, 3, 4))
        order = [a.id for a in sorted(stored(run), key=lambda a: (a.created, a.id))]
        await run.press("a", "h", "g", "e")
        records = {a.id: a.review for a in stored(run)}
        assert [records[i]["last"] for i in order] == ["again", "hard", "good", "easy"]
        dues = [next_due(records[i]) for i in order]
        assert dues == sorted(dues) and dues[0] < dues[3]
        assert review_text(run, "progress") == "Done for today: 4 of 4 answered."
        await run.press("g")  # nothing left to answer: the key does nothing
        assert {a.id: a.review for a in stored(run)} == records


async def test_escape_leaves_the_review_and_a_passage_not_shown_stays_for_today(launch) -> None:
    async with launch() as run:
        await start_review(run, (1, 2))
        await run.press("escape")
        assert top(run) == "MainScreen"
        reviews = sorted((a.review for a in stored(run)), key=len)
        assert reviews == [{}, {"shown": "2025-03-03"}], "only the passage on screen counts as shown"
        await run.press("v")
        assert top(run) == "ReviewScreen" and review_text(run, "progress").startswith("Passage 1 of 1")


async def test_the_palette_opens_the_review(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 1)
        await run.press("b")
        run.app.session.review.clock = lambda: NOW
        await run.press("ctrl+p")
        await run.type("Review today")
        await run.press("enter")
        assert top(run) == "ReviewScreen"


# -- #: the tag view --------------------------------------------------------------------------------


async def test_number_sign_lists_tagged_passages_by_tag_and_enter_opens_one(launch) -> None:
    async with launch() as run:
        for block, tags in ((1, "trade"), (4, "trade, shipping")):
            await move_to_block(run, block)
            await run.press("t")
            await answer_prompt(run, tags)
        await run.press("T")
        await answer_prompt(run, "shipping")
        await run.press("g")
        await run.pilot.press("number_sign")  # its worker waits for the view's answer: no settle
        await wait_for_top(run, "TagView")
        options = run.app.screen.query_one("#tags-list", OptionList)
        lines = [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]
        assert len(lines) == 6 and [lines[0], lines[3]] == ["#shipping  ·  1 passage, 1 article", "#trade  ·  2 passages"]
        assert SEED_BLOCKS[4].text[:30] in lines[1] and "(the article)" in lines[2]
        assert SEED_BLOCKS[4].text[:30] in lines[4] and SEED_BLOCKS[1].text[:30] in lines[5], "newest first"
        assert options.highlighted == 1
        await run.press("down", "down", "down", "enter")  # past the heading: the older passage under #trade
        await wait_for_top(run, "MainScreen")
        await run.settle()
        assert cursor_text(run) == SEED_BLOCKS[1].text


async def test_j_and_k_move_in_the_tag_view(launch) -> None:
    async with launch() as run:
        for block in (1, 4):
            await move_to_block(run, block)
            await run.press("t")
            await answer_prompt(run, "trade")
        for keys, block in ((("j",), 1), (("j", "k"), 4)):  # on the newest passage first; the older below it
            await run.press("g")
            await run.pilot.press("number_sign")
            await wait_for_top(run, "TagView")
            await run.press(*keys, "enter")
            await wait_for_top(run, "MainScreen")
            await run.settle()
            assert cursor_text(run) == SEED_BLOCKS[block].text, keys


async def test_escape_leaves_the_tag_view(launch) -> None:
    async with launch() as run:
        await run.pilot.press("number_sign")
        await wait_for_top(run, "TagView")
        assert "No tags yet" in text_of(run.app.screen.query_one("#tags-status"))
        await run.pilot.press("escape")
        await wait_for_top(run, "MainScreen")
        await run.settle()
        assert stored(run) == []


# -- the annotations screen's filter: #tag and color: -------------------------------------------------


async def test_the_annotations_filter_takes_a_tag_and_a_colour(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 1)
        await run.press("t")
        await answer_prompt(run, "science")
        await move_to_block(run, 2)
        await run.press("c", "down", "down", "enter")  # blue
        await run.pilot.press("a")
        await wait_for_top(run, "AnnotationsScreen")
        screen = run.app.screen
        options = screen.query_one("#annotations-list", OptionList)
        assert options.option_count == 2
        await run.pilot.press("slash")
        await run.type("#sci")
        assert options.option_count == 1 and "#science" in str(options.get_option_at_index(0).prompt)
        screen.query_one(Input).value = ""
        await run.type("color:blue")
        assert options.option_count == 1 and "■" in str(options.get_option_at_index(0).prompt)
        screen.query_one(Input).value = ""
        await run.type("color:teal")
        assert options.option_count == 0 and "No colour 'teal'" in text_of(screen.query_one("#annotations-status"))
        await run.pilot.press("escape", "escape")
        await wait_for_top(run, "MainScreen")


# -- the marker glyph is drawn, not text ---------------------------------------------------------------


async def test_a_mouse_selection_over_a_coloured_passage_s_glyph_still_bookmarks_its_words(launch) -> None:
    from textual.geometry import Offset
    from textual.selection import Selection

    async with launch() as run:
        await move_to_block(run, 3)
        await run.press("c", "enter")  # yellow: the block now starts with "● "
        block = run.view.block_widget(3)
        words = " ".join(SEED_BLOCKS[3].text.split()[:4])
        run.app.screen.selections = {block: Selection(Offset(0, 0), Offset(len(words) + 2, 0))}
        await run.settle()
        assert run.app.screen.get_selected_text() == "● " + words
        await run.press("b")
        assert sorted(a.quote for a in stored(run)) == sorted([SEED_BLOCKS[3].text, words])


async def test_slash_with_a_tag_or_a_colour_lists_the_articles_that_carry_it(launch, data_dir: Path) -> None:
    from .keys_support import SEED_TITLE, filter_value, listed_titles, wait_until

    write_article(data_dir / "articles", "river.md", RIVER, mtime=1_800_000_000)
    async with launch() as run:
        await run.choose(SEED_TITLE)
        await run.press("T")
        await answer_prompt(run, "politics")
        await run.choose("Council approves the river plan")
        await run.press("c", "down", "enter")  # green
        assert len(listed_titles(run)) == 2
        await run.press("slash")
        await run.type("#poli")
        await run.settle()
        assert filter_value(run) == "#poli"
        assert await wait_until(run, lambda: [t[:20] for t in listed_titles(run)] == [SEED_TITLE[:20]])
        await run.press("escape", "slash")
        await run.type("color:green")
        await run.settle()
        assert await wait_until(run, lambda: [t[:20] for t in listed_titles(run)] == ["Council approves the"])


async def test_answers_then_escape_at_once_on_a_slow_disk_still_store_every_answer(launch, monkeypatch) -> None:
    import time

    import reader.session.review as session_review

    original = session_review.record_answer

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    async with launch() as run:
        await start_review(run, (1, 2, 3))
        monkeypatch.setattr(session_review, "record_answer", slow)
        await run.pilot.press("g", "e", "escape")  # no pause between: the screen goes while answers are written
        await run.settle()
        assert top(run) == "MainScreen"
        assert sorted(str(a.review.get("last")) for a in stored(run)) == ["None", "easy", "good"]


async def test_the_review_shows_the_note_rendered_not_its_markdown(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 1)
        await run.press("n")
        await run.type("A **bold** idea")
        await run.press("ctrl+s")
        run.app.session.review.clock = lambda: NOW
        await run.press("v")
        assert top(run) == "ReviewScreen"
        assert review_text(run, "note").strip() == "✎ A bold idea"
        assert review_text(run, "quote").startswith("“") and SEED_BLOCKS[1].text[:40] in review_text(run, "quote")


async def test_j_and_k_move_in_the_colour_chooser(launch) -> None:
    """``c j Enter`` chose yellow: the chooser knew only the arrow keys, so ``j`` did nothing."""
    async with launch() as run:
        await move_to_block(run, 2)
        await run.press("c", "j", "j", "k", "enter")
        assert top(run) == "MainScreen" and shown(run, "Coloured green")
        assert [a.color for a in stored(run)] == ["green"]
