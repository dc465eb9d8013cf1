"""The daily review with a fixed clock: which passages come back, when, and never twice a day."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.domain.annotations import review
from reader.domain.annotations.model import Annotation, Selectors
from reader.domain.store.store import Store

ZONE = timezone(timedelta(hours=-5))
MONDAY = datetime(2025, 3, 3, 8, 30, tzinfo=ZONE)


def passages(n: int) -> list[Annotation]:
    text = " ".join(f"word{i}" for i in range(n))
    return [replace(Annotation.new("a1", selectors=Selectors.for_span(text, i * 7, i * 7 + 5)),
                    id=f"p{i:02d}", created=f"2025-01-{i + 1:02d}T00:00:00.000000Z") for i in range(n)]


def apply(items: list[Annotation], schedules: dict[str, dict]) -> list[Annotation]:
    return [replace(a, review=schedules.get(a.id, a.review)) for a in items]


def test_a_day_brings_back_a_few_and_never_the_same_twice() -> None:
    items = passages(8) + [Annotation.new("a1", note="a whole-article note")]
    first = review.todays_passages(items, MONDAY)
    assert [a.id for a in first] == ["p00", "p01", "p02", "p03", "p04"]  # oldest never-reviewed first
    items = apply(items, review.shown(first, MONDAY))
    assert review.todays_passages(items, MONDAY + timedelta(hours=3)) == []  # the day's five were shown
    assert [a.id for a in review.todays_passages(items, MONDAY, count=7)] == ["p05", "p06"]
    assert [a.id for a in review.todays_passages(items, MONDAY, again=True)] == [a.id for a in first]
    tuesday = review.todays_passages(items, MONDAY + timedelta(days=1))
    assert [a.id for a in tuesday] == ["p00", "p01", "p02", "p03", "p04"]  # shown, never answered: still due


def test_the_day_is_the_readers_own() -> None:
    late = datetime(2025, 3, 3, 23, 30, tzinfo=ZONE)  # already Tuesday in UTC
    items = apply(passages(2), review.shown(passages(2)[:1], late))
    assert [a.id for a in review.todays_passages(items, late, count=2)] == ["p01"]
    assert [a.id for a in review.todays_passages(items, late + timedelta(hours=1), count=2)] == ["p00", "p01"]
    with pytest.raises(ValueError):
        review.day_of(datetime(2025, 3, 3))


def test_answers_schedule_later_days_and_better_answers_later_still() -> None:
    (item,) = passages(1)
    dues = {}
    for answer in review.RATINGS:
        schedule = review.answered(item, answer, MONDAY)
        assert schedule["shown"] == "2025-03-03" and schedule["answers"] == 1 and schedule["last"] == answer
        dues[answer] = review.next_due(schedule)
    assert MONDAY < dues["again"] <= dues["hard"] <= dues["good"] <= dues["easy"]
    assert dues["again"] < dues["easy"]
    answered = replace(item, review=review.answered(item, "good", MONDAY))
    assert review.todays_passages([answered], MONDAY) == []
    assert review.todays_passages([answered], dues["good"] - timedelta(minutes=1)) == []  # not due yet
    assert review.todays_passages([answered], dues["good"] + timedelta(minutes=1)) == [answered]
    again = replace(answered, review=review.answered(answered, "good", dues["good"] + timedelta(minutes=1)))
    assert review.next_due(again.review) - dues["good"] > dues["good"] - MONDAY  # intervals grow
    assert again.review["answers"] == 2


def test_overdue_passages_come_before_new_ones() -> None:
    items = passages(3)
    old = replace(items[2], review=review.answered(items[2], "again", MONDAY - timedelta(days=30)))
    picked = review.todays_passages([items[0], items[1], old], MONDAY, count=2)
    assert [a.id for a in picked] == ["p02", "p00"]


def test_a_damaged_schedule_counts_as_new_and_bad_answers_are_refused() -> None:
    (item,) = passages(1)
    damaged = replace(item, review={"card": {"due": "not a date"}, "answers": "x", "shown": 5})
    assert review.todays_passages([damaged], MONDAY) == [damaged]
    assert review.answered(damaged, "Easy", MONDAY)["answers"] == 1
    with pytest.raises(review.BadAnswer):
        review.rating_named("meh")


def test_schedules_are_durable_in_the_store(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    items = passages(2)
    with Store.open(path) as store:
        for item in items:
            store.add(item)
        store.set_reviews(review.shown(review.todays_passages(store.annotations(), MONDAY, count=1), MONDAY))
        store.set_reviews({"p01": review.answered(store.get("p01"), "easy", MONDAY)})
    with Store.open(path) as store:
        assert store.get("p00").review == {"shown": "2025-03-03"}
        assert review.Schedule.of(store.get("p01")).card is not None
        assert review.todays_passages(store.annotations(), MONDAY) == []
