"""The daily review: a few passages a day, brought back by spaced repetition (FSRS, through the
``fsrs`` package) from the reader's answers: again, hard, good or easy.

A passage's schedule is a plain mapping kept in its record (``Annotation.review``)::

    {"card": <fsrs Card.to_dict()>, "shown": "2025-01-02", "answers": 3, "last": "good", "fsrs": 6}

``shown`` is the day (in the reader's time zone) it was last shown: a passage is shown at most once
a day unless asked for again. Scheduling has whole-day steps (no minute-long learning steps, no
random fuzz), so a passage answered today comes back on a later day and a test with a fixed
clock knows which. Every function takes ``now`` (an aware ``datetime``) instead of reading a
clock, and returns new schedules for the store's ``set_reviews`` instead of writing them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from fsrs import Card, Rating, Scheduler

from reader.domain.annotations.model import Annotation

RATINGS = ("again", "hard", "good", "easy")
"""The answers, from "forgot it" to "knew it at once"."""
DEFAULT_COUNT = 5
"""How many passages a day's review brings back."""
FSRS_MAJOR = 6
"""The major version of the ``fsrs`` package whose card format the schedules hold."""

_RATING = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
_SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


class BadAnswer(ValueError):
    """An answer that is not one of ``RATINGS``; ``str(error)`` is one sentence for the user."""


@dataclass(frozen=True)
class Schedule:
    """A passage's review schedule, read from its record (never-reviewed passages have no card)."""

    card: Card | None
    shown: str = ""
    answers: int = 0
    last: str = ""

    @classmethod
    def of(cls, annotation: Annotation) -> "Schedule":
        """The schedule stored with ``annotation``; one that cannot be read counts as new."""
        raw = annotation.review
        card = None
        try:
            if isinstance(raw.get("card"), dict):
                card = Card.from_dict(raw["card"])
                if card.due.tzinfo is None:
                    card = None
        except (KeyError, TypeError, ValueError):
            card = None
        answers = raw.get("answers", 0)
        return cls(card, _text(raw.get("shown")), answers if type(answers) is int else 0, _text(raw.get("last")))

    @property
    def due(self) -> datetime | None:
        """When the passage is next due (``None`` for one never answered, which is due now)."""
        return self.card.due if self.card is not None else None

    def is_due(self, now: datetime) -> bool:
        """True when the passage should come back at ``now``."""
        return self.due is None or self.due <= now


def day_of(now: datetime) -> str:
    """The review day of ``now``, in ``now``'s own time zone: ``2025-01-02``."""
    if now.tzinfo is None:
        raise ValueError("the review clock must be timezone-aware")
    return now.date().isoformat()


def rating_named(name: str) -> str:
    """The answer ``name`` in lower case, or ``BadAnswer`` for something else."""
    key = name.strip().lower()
    if key not in _RATING:
        raise BadAnswer(f"the answer is one of {', '.join(RATINGS)}, not {name[:20]!r}")
    return key


def todays_passages(annotations: Iterable[Annotation], now: datetime, count: int = DEFAULT_COUNT,
                    again: bool = False) -> list[Annotation]:
    """The passages to show at ``now``: up to ``count`` a day, the most overdue first, then the
    oldest never reviewed. A passage shown today is left out, unless ``again``: then today's are
    the ones shown (up to ``count``)."""
    day = day_of(now)
    passages = [a for a in annotations if a.selectors is not None and a.quote.strip()]
    schedules = {a.id: Schedule.of(a) for a in passages}
    today = sorted((a for a in passages if schedules[a.id].shown == day), key=lambda a: (a.created, a.id))
    if again:
        return today[:count]
    due = [a for a in passages if schedules[a.id].shown != day and schedules[a.id].is_due(now)]

    def order(a: Annotation) -> tuple[int, str, str, str]:
        when = schedules[a.id].due
        return (1, "", a.created, a.id) if when is None else (0, when.astimezone(timezone.utc).isoformat(), a.created, a.id)

    return sorted(due, key=order)[: max(0, count - len(today))]


def shown(annotations: Iterable[Annotation], now: datetime) -> dict[str, dict[str, Any]]:
    """The schedules that record each passage as shown on ``now``'s day (for ``set_reviews``)."""
    day = day_of(now)
    return {a.id: {**a.review, "shown": day} for a in annotations}


def answered(annotation: Annotation, answer: str, now: datetime) -> dict[str, Any]:
    """The passage's schedule after ``answer`` (one of ``RATINGS``) at ``now``."""
    rating = _RATING[rating_named(answer)]
    utc = now.astimezone(timezone.utc)
    card = Schedule.of(annotation).card or Card(card_id=zlib.crc32(annotation.id.encode("utf-8", "replace")), due=utc)
    card, _ = _SCHEDULER.review_card(card, rating, review_datetime=utc)
    schedule: Mapping[str, Any] = annotation.review
    answers = schedule.get("answers", 0)
    return {**schedule, "card": dict(card.to_dict()), "shown": day_of(now), "last": rating_named(answer),
            "answers": (answers if type(answers) is int else 0) + 1, "fsrs": FSRS_MAJOR}


def next_due(schedule: Mapping[str, Any]) -> datetime | None:
    """When a schedule returned by ``answered`` brings the passage back."""
    card = schedule.get("card")
    return datetime.fromisoformat(card["due"]) if isinstance(card, dict) and isinstance(card.get("due"), str) else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
