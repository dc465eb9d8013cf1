"""Bookmarks and notes through the session: what a key acts on, one located passage per write
(never the whole article located again), deletion and undo, failures as one sentence."""

from __future__ import annotations

import pytest

from reader.domain.store.store import Store, StoreError
from reader.session import Session
from reader.session.annotating import SaveFailed
from reader.session.cursor import PassageCursor


@pytest.fixture
async def opened(session: Session, monkeypatch):
    meta = next(m for m in session.sidebar.articles if m.title == "Atoms split")
    article = await session.reading.open(meta)
    import reader.session.passages as passages

    def never(*args):
        raise AssertionError("the whole article was located again")

    monkeypatch.setattr(passages, "locate_all", never)  # from here on: one passage at a time
    return article


def stored(session: Session):
    with Store.open(session.services.paths.store_file) as store:
        return store.annotations()


async def test_a_bookmark_adds_one_located_passage(session: Session, opened) -> None:
    span = PassageCursor(1).span(opened.projection)
    after = await session.annotating.bookmark(span)
    assert after is not None and [(h.start, h.end, h.noted) for h in after.passages.highlights()] == [(*span, False)]
    (saved,) = stored(session)
    assert saved.quote == "Second paragraph, more atoms." and saved.title == "Atoms split"
    assert session.reading.opened is after


async def test_the_same_passage_bookmarked_twice_at_once_is_one_bookmark_and_another_is_its_own(session: Session, opened) -> None:
    import asyncio

    span, other = PassageCursor(1).span(opened.projection), PassageCursor(0).span(opened.projection)
    first, second, third = await asyncio.gather(session.annotating.bookmark(span), session.annotating.bookmark(span),
                                                session.annotating.bookmark(other))
    assert len(stored(session)) == 2 and first is second is not None
    assert third is not None and len(session.reading.opened.passages) == 2
    again = await session.annotating.bookmark(span)  # once the first is saved, a new ask is a new write
    assert again is not None and len(stored(session)) == 3


async def test_b_or_n_on_a_block_inside_a_multi_block_passage_acts_on_that_passage(session: Session, opened) -> None:
    both = PassageCursor(0, extent=1).span(opened.projection)
    await session.annotating.bookmark(both)
    inside = session.annotating.target(PassageCursor(1).span(opened.projection), exact=False)
    assert inside is not None and inside.existing is not None and inside.existing.anchor.start == both[0]
    draft = session.annotating.draft(inside)
    assert not draft.new
    saved, after = await session.annotating.save_note(draft, "Both\x1b paragraphs")
    assert saved.annotation.note == "Both paragraphs", "control characters never reach the store"
    (only,) = stored(session)
    assert only.note == "Both paragraphs" and only.selectors.blocks == (0, 1)
    assert [h.noted for h in after.passages.highlights()] == [True]
    narrowed = session.annotating.target(PassageCursor(1).span(opened.projection), exact=True)
    assert narrowed.existing is None, "an explicit passage is acted on only when it is exactly one"
    elsewhere = session.annotating.target(PassageCursor(2).span(opened.projection), exact=False)
    assert elsewhere.existing is None


async def test_delete_then_undo(session: Session, opened) -> None:
    after = await session.annotating.bookmark(PassageCursor(2).span(opened.projection))
    (passage,) = after.passages.items
    gone = await session.annotating.delete(passage.annotation)
    assert gone is not None and len(gone.passages) == 0 and stored(session) == []
    assert session.annotating.can_undo
    restored, back = await session.annotating.undo()
    assert stored(session) == [restored] and len(back.passages) == 1
    assert await session.annotating.undo() is None


async def test_an_article_note_is_one_per_article(session: Session, opened) -> None:
    draft = session.annotating.article_draft()
    assert draft.new
    saved, after = await session.annotating.save_note(draft, "Read again in May")
    assert after.passages.article_note == saved.annotation
    again = session.annotating.article_draft()
    assert not again.new and again.annotation.id == saved.annotation.id
    assert after.passages.highlights() == (), "an article note highlights nothing"
    assert [e.quote for e in after.passages.entries()] == [""]


async def test_a_refused_write_is_one_sentence_and_nothing_changes(session: Session, opened, monkeypatch) -> None:
    def full(annotation):
        raise StoreError("The disk is full.")

    monkeypatch.setattr(session.services.store, "add", full)
    with pytest.raises(SaveFailed, match="The disk is full."):
        await session.annotating.bookmark(PassageCursor(0).span(opened.projection))
    assert len(session.reading.opened.passages) == 0


async def test_the_notes_panel_entries_say_when_a_passages_text_changed(session: Session) -> None:
    from reader.domain.annotations.anchoring import Anchor
    from reader.domain.annotations.model import Annotation
    from reader.domain.annotations.passages import Located
    from reader.session.passages import Passages

    a = Annotation.new("x", note="n")
    passages = Passages((Located(a, Anchor("fuzzy", 0, 3, "abc")), Located(a, Anchor("orphaned")),
                         Located(a, Anchor("exact", 0, 3, "abc"))))
    assert [e.remark for e in passages.entries()] == ["text changed", "text no longer in the article", ""]
