"""The app's daily review through the session, with a fixed clock: a few passages a day, each
marked shown when shown (so never twice a day), answers stored with the passage by the same
code ``reader review`` uses."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reader.session import Session
from reader.session.cursor import PassageCursor
from reader.session.review import DailyReview

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
async def three(session: Session):
    meta = next(m for m in session.sidebar.articles if m.title == "Atoms split")
    opened = await session.reading.open(meta)
    for block in (0, 1, 2):
        opened = await session.annotating.bookmark(PassageCursor(block).span(opened.projection))
    return sorted(opened.passages.annotations, key=lambda a: (a.created, a.id))


async def test_today_brings_each_passage_once_and_answers_schedule_it(session: Session, three) -> None:
    clock = {"now": NOW}
    daily = DailyReview(session.services, lambda: clock["now"])
    daily.count = 2
    first = await daily.today()
    assert [a.id for a in first] == [a.id for a in three[:2]]
    await daily.shown(first[0])
    answered = await daily.answer(first[0], "good")
    assert answered.message().startswith(f"{first[0].id[:8]}: good; back on 2025-03-")
    stored = session.services.store.get(first[0].id)
    assert stored.review["last"] == "good" and stored.review["answers"] == 1 and stored.review["shown"] == "2025-03-03"
    assert [a.id for a in await daily.today()] == [three[1].id], "one of two shown today: one more"
    await daily.shown(three[1])
    assert await daily.today() == [], "never the same passage twice a day"
    clock["now"] = NOW + timedelta(days=1)
    assert first[0].id not in [a.id for a in await daily.today()], "answered good: not due tomorrow"


async def test_an_answer_for_a_passage_deleted_meanwhile_stores_nothing(session: Session, three) -> None:
    daily = DailyReview(session.services, lambda: NOW)
    session.services.store.delete(three[0].id)
    answered = await daily.answer(three[0], "again")
    assert answered.gone and "deleted" in answered.message()
    assert session.services.store.get(three[0].id) is None
