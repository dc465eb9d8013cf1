"""``reader review``: today's passages, and the answers that schedule them again."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Callable, TextIO

from reader.cli.edit import find_annotation
from reader.cli.notes import user_error
from reader.domain.annotations import review
from reader.domain.annotations.model import Annotation
from reader.services import Services
from reader.session.review import local_now, mark_shown, record_answer, todays

clock: Callable[[], datetime] = local_now
"""The time of the review, in the reader's time zone (tests replace it)."""

_KEYS = {"a": "again", "h": "hard", "g": "good", "e": "easy"}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``review``."""
    parser = sub.add_parser("review", help="today's passages to look at again, scheduled by your answers")
    parser.add_argument("--count", type=int, default=review.DEFAULT_COUNT, metavar="N",
                        help=f"how many passages a day (default {review.DEFAULT_COUNT})")
    parser.add_argument("--again", action="store_true", help="show today's passages again")
    parser.add_argument("--answer", nargs=2, metavar=("ID", "ANSWER"),
                        help=f"answer for one passage: {', '.join(review.RATINGS)}")
    parser.set_defaults(func=run_review)


def run_review(args: argparse.Namespace, services: Services) -> int:
    """Answer for one passage, or show today's: asking for each answer when run in a terminal."""
    now = clock()
    if args.answer:
        given, answer = args.answer
        try:
            answer = review.rating_named(answer)
        except review.BadAnswer as error:
            raise user_error(str(error)) from None
        annotation = find_annotation(services, given)
        if annotation.is_article_note:
            raise user_error("this is a note on the whole article; only passages are reviewed")
        _answer(services, annotation, answer, now, sys.stdout)
        return 0
    if args.count < 1:
        raise user_error("--count takes a whole number of 1 or more")
    passages = todays(services.store, now, args.count, again=args.again)
    if not passages:
        print("nothing to review today" + ("" if args.again else " (reader review --again shows today's passages again)"))
        return 0
    mark_shown(services.store, passages, now)
    if sys.stdin.isatty() and sys.stdout.isatty():
        return _ask(services, passages, now)
    for passage in passages:
        _show(passage, sys.stdout)
    print(f"answer with: reader review --answer ID {'|'.join(review.RATINGS)}")
    return 0


def _show(passage: Annotation, out: TextIO) -> None:
    quote = " ".join(passage.quote.split())
    out.write(f"{passage.id[:8]}  {passage.title[:60]}\n  “{quote}”\n")
    if passage.note.strip():
        out.write(f"  {' '.join(passage.note.split())[:200]}\n")
    out.write("\n")


def _answer(services: Services, passage: Annotation, answer: str, now: datetime, out: TextIO) -> None:
    answered = record_answer(services.store, passage, answer, now)
    if answered.gone:
        raise user_error(answered.message())
    out.write(answered.message() + "\n")


def _ask(services: Services, passages: list[Annotation], now: datetime) -> int:
    """Show each passage and read an answer from the terminal: a, h, g, e; s skips, q stops."""
    for number, passage in enumerate(passages, 1):
        sys.stdout.write(f"[{number}/{len(passages)}] ")
        _show(passage, sys.stdout)
        while True:
            try:
                reply = input("again, hard, good, easy? [a/h/g/e, s skip, q quit] ").strip().lower()
            except EOFError:
                return 0
            if reply in ("q", "quit"):
                return 0
            if reply in ("s", "skip"):
                break
            answer = _KEYS.get(reply[:1]) if reply else None
            if answer is not None and (reply == answer or len(reply) == 1):
                _answer(services, passage, answer, now, sys.stdout)
                break
    return 0
