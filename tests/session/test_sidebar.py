"""The sidebar's state: rows, read marks and counts as read-only values, the filter, next and
previous article across groups, the first article, collapsed groups kept across restarts."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.domain.articles.article import ArticleMeta
from reader.domain.store.store import Store
from reader.session import Session
from reader.session.grouping import Group
from reader.session.sidebar import Sidebar

from .conftest import services_on

TITLES = ["Atoms split", "Bees return", "Cello recital", "Dusk falls"]


def titles(rows) -> list[str]:
    return [row.title for row in rows if isinstance(row, ArticleMeta)]


def headings(rows) -> list[str]:
    return [row.name for row in rows if isinstance(row, Group)]


async def test_the_view_groups_articles_and_says_how_many_are_unread(session: Session) -> None:
    view = session.sidebar.view()
    assert headings(view.rows) == ["SCIENCE", "ARTS", "Other"]
    assert titles(view.rows) == TITLES
    assert view.status == "4 articles · 4 unread"
    assert view.first_article() == 1 and view.article(1).title == "Atoms split"
    assert view.article(0) is None


async def test_the_views_mappings_are_read_only_copies(session: Session) -> None:
    view = session.sidebar.view()
    with pytest.raises(TypeError):
        view.counts["x"] = 1  # type: ignore[index]
    with pytest.raises(AttributeError):
        view.read.add("x")  # type: ignore[union-attr]
    first = view.article(1)
    session.sidebar.set_count(first.id, 3)
    assert view.annotations(first.id) == 0, "a view given out never changes"
    assert session.sidebar.current.annotations(first.id) == 3


async def test_next_and_previous_skip_headings_across_groups(session: Session) -> None:
    sidebar = session.sidebar
    view = sidebar.view()
    ids = [row.id for row in view.rows if isinstance(row, ArticleMeta)]
    seen = [ids[0]]
    while (after := sidebar.neighbour(seen[-1], 1)) is not None:
        seen.append(after.id)
    assert seen == ids
    assert sidebar.neighbour(ids[-1], -1).id == ids[-2]
    assert sidebar.neighbour(ids[2], -1).id == ids[1], "back across the ARTS heading"
    assert sidebar.neighbour(ids[0], -1) is None
    assert sidebar.neighbour("not-shown", 1).id == ids[0]


async def test_reading_an_article_changes_its_mark_and_its_groups_count_without_new_rows(session: Session) -> None:
    sidebar = session.sidebar
    view = sidebar.view()
    bees = view.article(2)
    after, saving = session.mark_read(bees)
    assert after.rows is view.rows
    science = view.rows[0]
    assert view.unread(science) == 2 and after.unread(science) == 1
    assert after.is_read(bees.id) and not view.is_read(bees.id)
    assert after.status == "4 articles · 3 unread"
    assert session.mark_read(bees) is None
    with Store.open(session.services.paths.store_file) as store:
        assert store.read_articles() == set(), "saved only by the coroutine"
    await saving
    with Store.open(session.services.paths.store_file) as store:
        assert store.read_articles() == {bees.id}


async def test_before_the_store_answers_nothing_is_drawn_unread_and_marks_made_meanwhile_stay() -> None:
    from reader.domain.articles.library import Listing

    metas = tuple(ArticleMeta(id=f"id{i}", path=f"/{i}", title=f"T{i}", section="S") for i in range(3))
    sidebar = Sidebar()
    sidebar.set_listing(Listing(metas, ()))
    view = sidebar.view()
    assert view.read is None and view.is_read("id0")
    sidebar.mark_read("id1")
    sidebar.set_marks(frozenset({"id0"}), {})
    view = sidebar.view()
    assert not view.is_read("id2") and view.is_read("id0") and view.is_read("id1")
    assert view.status == "3 articles · 1 unread"


async def test_the_filter_keeps_the_cursors_article_and_adds_body_matches(session: Session) -> None:
    sidebar = session.sidebar
    atoms = sidebar.view().article(1)
    sidebar.set_query("cello")
    view = sidebar.view(keep=atoms.id)
    assert titles(view.rows) == ["Cello recital"] and view.cursor is None
    assert view.status == "1 of 4 shown · 4 unread"
    sidebar.set_query("evening")
    assert titles(sidebar.view().rows) == []
    assert await session.search("evening")
    view = sidebar.view()
    assert titles(view.rows) == ["Dusk falls"]
    assert view.cursor is None
    sidebar.set_query("")
    view = sidebar.view(keep=view.article(view.first_article()).id)
    assert view.article(view.cursor).title == "Dusk falls"


async def test_the_filter_lists_body_matches_and_note_matches_together(session: Session) -> None:
    bees = next(m for m in session.sidebar.articles if m.title == "Bees return")
    await session.reading.open(bees)
    draft = session.annotating.article_draft()
    assert draft is not None
    await session.annotating.save_note(draft, "Heard them at evening too")
    session.sidebar.set_query("evening")
    assert await session.search("evening")  # Dusk falls by its body, Bees return by its note
    assert sorted(titles(session.sidebar.view().rows)) == ["Bees return", "Dusk falls"]


async def test_a_collapsed_group_is_saved_and_comes_back_in_a_new_session(session: Session, data_dir: Path) -> None:
    saving = session.toggle_group("SCIENCE")
    view = session.sidebar.view(keep="SCIENCE")
    assert view.cursor == 0 and view.rows[0].collapsed
    assert titles(view.rows) == ["Cello recital", "Dusk falls"]
    await saving
    again_services = services_on(data_dir)
    try:
        again = Session(again_services)
        await again.scan()
        await again.load_marks()
        assert again.sidebar.collapsed == {"SCIENCE"}
        assert titles(again.sidebar.view().rows) == ["Cello recital", "Dusk falls"]
        await again.toggle_group("SCIENCE")
        assert titles(again.sidebar.view().rows) == TITLES
    finally:
        again_services.close()


async def test_a_look_at_the_store_before_a_toggle_was_saved_does_not_undo_it(session: Session) -> None:
    saving = session.toggle_group("ARTS")  # not saved yet
    await session.load_marks()  # another process wrote meanwhile: the marks are read again
    assert session.sidebar.collapsed == {"ARTS"}
    await saving
