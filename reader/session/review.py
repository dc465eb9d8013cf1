"""The daily review as ``reader review`` and the app's review screen both run it: which passages
today brings, recording each as shown, and an answer that schedules a passage again.

The plain functions take the store (the CLI calls them directly); ``DailyReview`` runs them in a
thread for the app, with a clock tests can fix.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from reader.domain.annotations import review
from reader.domain.annotations.model import Annotation
from reader.session.library import open_store

if TYPE_CHECKING:
    from reader.domain.store.store import Store
    from reader.services import Services

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """Now, in the reader's time zone (a review day is a day where the reader is)."""
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Answered:
    """An answer recorded: the passage, the answer, and the day it comes back ("" when unknown);
    ``gone`` when the passage was deleted meanwhile (nothing was stored)."""

    passage: Annotation
    answer: str
    back_on: str
    gone: bool = False

    def message(self) -> str:
        """One line for the user, as ``reader review --answer`` prints it."""
        if self.gone:
            return f"annotation {self.passage.id[:8]} was deleted meanwhile"
        return f"{self.passage.id[:8]}: {self.answer}; back on {self.back_on or 'later'}"


def todays(store: "Store", now: datetime, count: int = review.DEFAULT_COUNT, again: bool = False) -> list[Annotation]:
    """The passages to show today (none shown yet today, unless ``again``)."""
    return review.todays_passages(store.annotations(), now, count, again=again)


def mark_shown(store: "Store", passages: list[Annotation], now: datetime) -> None:
    """Record the passages as shown today, so today brings them no more (each schedule as
    stored now: an answer recorded meanwhile is kept)."""
    if passages:
        store.set_reviews(review.shown([store.get(p.id) or p for p in passages], now))


def record_answer(store: "Store", passage: Annotation, answer: str, now: datetime) -> Answered:
    """Schedule the passage by ``answer`` (one of ``review.RATINGS``) and store the schedule with it."""
    answer = review.rating_named(answer)
    current = store.get(passage.id) or passage  # the schedule as stored now, not as read earlier
    schedule = review.answered(current, answer, now)
    if not store.set_reviews({passage.id: schedule}):
        return Answered(passage, answer, "", gone=True)
    due = review.next_due(schedule)
    return Answered(passage, answer, due.astimezone(now.tzinfo).date().isoformat() if due else "")


class DailyReview:
    """The app's review: today's passages, each marked shown when it is shown, answers recorded."""

    def __init__(self, services: "Services", clock: Clock = local_now) -> None:
        self._services = services
        self.clock = clock
        """Where the review's time comes from (tests fix it)."""
        self.count = review.DEFAULT_COUNT
        """How many passages a day brings."""
        self._writing = asyncio.Lock()  # "shown" then the answer, in the order they were asked for

    async def today(self) -> list[Annotation]:
        """Today's passages not shown yet today, the most overdue first."""
        store = await open_store(self._services)
        return await asyncio.to_thread(todays, store, self.clock(), self.count)

    async def shown(self, passage: Annotation) -> None:
        """The passage is on screen: today does not bring it again."""
        async with self._writing:
            store = await open_store(self._services)
            await asyncio.to_thread(mark_shown, store, [passage], self.clock())

    async def answer(self, passage: Annotation, answer: str) -> Answered:
        """Record an answer for a passage shown."""
        async with self._writing:
            store = await open_store(self._services)
            return await asyncio.to_thread(record_answer, store, passage, answer, self.clock())
