"""Colours, tags and citations through the session: a colour or tag on a passage with no bookmark
makes one, on a bookmark changes only it (its review schedule kept); article tags; the citation
is the text ``reader cite`` prints."""

from __future__ import annotations

import argparse
import io
from contextlib import redirect_stdout

import pytest

from reader.cli.cite import run_cite
from reader.domain.annotations.tags import BadTag
from reader.domain.store.store import Store
from reader.session import Session
from reader.session.cursor import PassageCursor
from reader.session.styling import citation_of, color_choices, labelled, parse_tags, tags_line


@pytest.fixture
async def opened(session: Session):
    meta = next(m for m in session.sidebar.articles if m.title == "Atoms split")
    return await session.reading.open(meta)


def stored(session: Session):
    with Store.open(session.services.paths.store_file) as store:
        return store.annotations()


async def test_a_colour_on_a_passage_without_a_bookmark_bookmarks_it_in_that_colour(session: Session, opened) -> None:
    span = PassageCursor(1).span(opened.projection)
    saved, after = await session.annotating.restyle(session.annotating.target(span, False), color="green")
    (record,) = stored(session)
    assert (record.id, record.color, record.quote) == (saved.id, "green", "Second paragraph, more atoms.")
    assert [(h.start, h.end, h.color) for h in after.passages.highlights()] == [(*span, "green")]


async def test_restyling_a_bookmark_keeps_its_note_and_review_schedule(session: Session, opened) -> None:
    span = PassageCursor(1).span(opened.projection)
    first = await session.annotating.bookmark(span)
    (passage,) = first.passages.annotations
    session.services.store.set_reviews({passage.id: {"shown": "2025-01-01"}})
    target = session.annotating.target(span, False)
    saved, after = await session.annotating.restyle(target, tags=("Atoms", "physics"))
    saved, after = await session.annotating.restyle(session.annotating.target(span, False), color="blue")
    (record,) = stored(session)
    assert (record.id, record.color, record.tags) == (passage.id, "blue", ("Atoms", "physics"))
    assert record.review == {"shown": "2025-01-01"}, "a restyle never loses the schedule"
    (entry,) = after.passages.entries()
    assert (entry.color, entry.tags) == ("blue", ("Atoms", "physics"))
    await session.annotating.restyle(session.annotating.target(span, False), color="")
    assert stored(session)[0].color == ""


async def test_article_tags_are_saved_and_read_when_the_article_opens_again(session: Session, opened) -> None:
    after = await session.annotating.tag_article(("long read", "physics"))
    assert after.tags == ("long read", "physics")
    assert session.services.store.article_tags() == {opened.id: ("long read", "physics")}
    meta = next(m for m in session.sidebar.articles if m.id == opened.id)
    again = await session.reading.open(meta)
    assert again.tags == ("long read", "physics")
    cleared = await session.annotating.tag_article(())
    assert cleared.tags == () and session.services.store.article_tags() == {}


def test_the_tag_line_round_trips_and_cleans_what_is_typed() -> None:
    assert parse_tags(" #Science, long   reads,, science ,") == ("Science", "long reads")
    assert parse_tags(tags_line(("a b", "c"))) == ("a b", "c")
    assert parse_tags("") == ()
    with pytest.raises(BadTag):
        parse_tags("x" * 65)


def test_every_colour_is_offered_with_a_distinct_glyph_and_none_last() -> None:
    choices = color_choices()
    assert [c.name for c in choices] == ["yellow", "green", "blue", "red", "purple", ""]
    glyphs = [c.glyph for c in choices[:-1]]
    assert len(set(glyphs)) == 5 and all(g.strip() for g in glyphs)
    assert labelled("red", ("a", "b c")) == "◆ #a #b c" and labelled("", ()) == ""


async def test_the_citation_is_what_reader_cite_prints(session: Session, opened) -> None:
    span = PassageCursor(2).span(opened.projection)
    unsaved = citation_of(opened, span, None)
    assert unsaved.startswith("> Third paragraph. It has two sentences.") and "*Atoms split*" in unsaved
    after = await session.annotating.bookmark(span)
    (passage,) = after.passages.annotations
    out = io.StringIO()
    with redirect_stdout(out):
        run_cite(argparse.Namespace(id=passage.id, format="markdown"), session.services)
    assert citation_of(after, span, passage) == out.getvalue() == unsaved


async def test_tags_another_process_gave_the_open_article_are_taken_in(session: Session, opened) -> None:
    session.services.store.set_article_tags(opened.id, lambda old: ("from a script",))
    again = await session.reading.reload_passages()
    assert again is not None and again.tags == ("from a script",)
    assert await session.reading.reload_passages() is None, "nothing new the second time"
