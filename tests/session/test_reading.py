"""The open article: where it opens, the position saved and found again, the passage cursor."""

from __future__ import annotations

import asyncio

from reader.domain.annotations.model import Annotation
from reader.domain.annotations.passages import selectors_for
from reader.domain.store.store import Store
from reader.session import Session
from reader.session.cursor import PassageCursor, next_text_block


async def open_atoms(session: Session):
    meta = next(m for m in session.sidebar.articles if m.title == "Atoms split")
    return meta, await session.reading.open(meta)


async def test_an_article_opens_on_its_first_block_then_where_it_was_left(session: Session) -> None:
    meta, opened = await open_atoms(session)
    assert opened.cursor == 0 and opened.projection.blocks[0].text == "First paragraph about atoms."
    assert session.reading.moved(meta.id, 2)
    assert not session.reading.moved("another", 1), "only the open article's cursor counts"
    await session.reading.save_position()
    _, again = await open_atoms(session)
    assert again.cursor == 2


async def test_the_position_waiting_when_reader_closes_is_saved(session: Session) -> None:
    meta, _ = await open_atoms(session)
    session.reading.moved(meta.id, 1)
    session.reading.save_position_now()
    with Store.open(session.services.paths.store_file) as store:
        assert store.reading_state(meta.id)["anchor"]["block"] == 1


async def test_opening_at_a_passage_puts_the_cursor_on_it(session: Session) -> None:
    meta, opened = await open_atoms(session)
    block = opened.projection.blocks[2]
    at = Annotation.new(meta.id, selectors=selectors_for(opened.projection, block.start, block.end))
    again = await session.reading.open(meta, at=at)
    assert again.cursor == 2


async def test_another_processes_annotation_is_taken_in_and_an_unchanged_store_locates_nothing(session: Session, monkeypatch) -> None:
    meta, opened = await open_atoms(session)
    assert await session.reading.reload_passages() is None
    block = opened.projection.blocks[1]
    with Store.open(session.services.paths.store_file) as other:  # another process
        other.add(Annotation.new(meta.id, selectors=selectors_for(opened.projection, block.start, block.end)))
    reloaded = await session.reading.reload_passages()
    assert reloaded is not None and [h.start for h in reloaded.passages.highlights()] == [block.start]
    import reader.session.passages as passages

    monkeypatch.setattr(passages, "locate_all", lambda *a: (_ for _ in ()).throw(AssertionError("located again")))
    assert await session.reading.reload_passages() is None


async def test_the_passage_cursor_extends_narrows_and_widens(session: Session) -> None:
    _, opened = await open_atoms(session)
    projection = opened.projection
    blocks = projection.blocks
    cursor = PassageCursor(0)
    assert cursor.span(projection) == (blocks[0].start, blocks[0].end) and not cursor.narrowed
    extended = cursor.extended(projection, 1)
    assert extended is not None and extended.blocks == (0, 1) and extended.narrowed
    assert extended.span(projection) == (blocks[0].start, blocks[1].end)
    third = PassageCursor(2).next_sentence(projection, 1)
    assert third is not None and projection.text[slice(*third.span(projection))] == "Third paragraph."
    second = third.next_sentence(projection, 1)
    assert projection.text[slice(*second.span(projection))] == "It has two sentences."
    assert second.next_sentence(projection, 1).sentence == 0, "wraps round"
    assert second.widened() == PassageCursor(2)
    assert PassageCursor(2).extended(projection, 1) is None, "no block with text below the last"
    assert next_text_block(projection, -1, 1) == 0


async def test_the_last_article_asked_for_is_the_one_opened(session: Session) -> None:
    atoms = next(m for m in session.sidebar.articles if m.title == "Atoms split")
    bees = next(m for m in session.sidebar.articles if m.title == "Bees return")
    first, second = await asyncio.gather(session.reading.open(atoms), session.reading.open(bees))
    assert first is None and second is not None
    assert session.reading.opened is second and second.article.title == "Bees return"


async def test_an_open_whose_bookmarks_were_located_meanwhile_is_still_the_latest(session: Session) -> None:
    """A look at another process's write locates the bookmarks of an article still being shown:
    its open is still the one asked for last, with the located copy; a later open is not."""
    bees, other = (next(m for m in session.sidebar.articles if m.title == t) for t in ("Bees return", "Atoms split"))
    opened = await session.reading.open(bees, passages=False)
    assert opened is not None and not opened.located
    located = await session.reading.reload_passages()
    assert located is not None and located.located and located is not opened
    assert session.reading.latest(opened) is located
    await session.reading.open(other)
    assert session.reading.latest(opened) is None and session.reading.latest(located) is None


async def test_an_open_stays_the_latest_when_a_later_one_fails(session: Session, monkeypatch) -> None:
    """A later open that fails (an unreadable file) leaves the article shown the one to finish
    opening: it is still marked read and its bookmarks located."""
    from reader.domain.articles.files import Unreadable

    bees, atoms = (next(m for m in session.sidebar.articles if m.title == t) for t in ("Bees return", "Atoms split"))
    opened = await session.reading.open(bees, passages=False)
    load = session.services.library.load

    def unreadable(meta):
        if meta.id == atoms.id:
            raise Unreadable("permission denied")
        return load(meta)

    monkeypatch.setattr(session.services.library, "load", unreadable)
    try:
        await session.reading.open(atoms)
    except Unreadable:
        pass
    assert session.reading.latest(opened) is opened
