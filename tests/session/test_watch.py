"""Other processes' changes: an article saved into the library folder, a fetch in another shell,
a note written by the CLI, and the store's notices."""

from __future__ import annotations

from pathlib import Path

from reader.domain.annotations.model import Annotation
from reader.domain.store.store import Store
from reader.session import Session
from reader.session.watch import FolderWatch

from .conftest import write_article


async def test_nothing_changed_is_nothing_to_catch_up(session: Session) -> None:
    await session.watch.start()
    caught = await session.catch_up()
    assert not caught.sidebar and caught.opened is None


async def test_an_article_saved_into_a_subfolder_is_listed(session: Session, data_dir: Path) -> None:
    await session.watch.start()
    write_article(data_dir / "articles" / "new" / "deeper", "e.txt", "Eels migrate\nFar away.\n", mtime=1_800_000_000)
    caught = await session.catch_up()
    assert caught.sidebar
    view = session.sidebar.view()
    assert view.article(view.first_article()).title == "Eels migrate"
    assert view.status == "5 articles · 5 unread"
    assert not (await session.catch_up()).sidebar


async def test_a_note_written_by_another_process_reaches_the_open_article_and_the_counts(session: Session) -> None:
    meta = next(m for m in session.sidebar.articles if m.title == "Bees return")
    opened = await session.reading.open(meta)
    await session.watch.start()
    block = opened.projection.blocks[0]
    from reader.domain.annotations.passages import selectors_for

    with Store.open(session.services.paths.store_file) as other:
        other.add(Annotation.new(meta.id, selectors=selectors_for(opened.projection, block.start, block.end), note="hm"))
    caught = await session.catch_up()
    assert caught.sidebar and caught.opened is not None
    assert [h.noted for h in caught.opened.passages.highlights()] == [True]
    assert session.sidebar.view().annotations(meta.id) == 1


def test_a_library_folder_that_appears_later_is_noticed(tmp_path: Path) -> None:
    watch = FolderWatch([tmp_path / "not-yet"])
    watch.take()
    assert not watch.changed()
    (tmp_path / "not-yet").mkdir()
    assert watch.changed()
    assert not watch.changed()


async def test_store_notices_are_handed_out_once(session: Session) -> None:
    store = session.services.store
    store.messages.append("The notes file was repaired from its journal.")
    assert session.notices() == ["The notes file was repaired from its journal."]
    assert session.notices() == []
