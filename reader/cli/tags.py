"""Colours and tags from scripts: the options ``bookmark`` and ``edit`` share, ``reader tags``
(every tag, with counts) and ``reader tag`` (tags on a whole article)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass

from reader.cli.library import find_article
from reader.domain.annotations.colors import COLORS, NO_COLOR, color_named
from reader.domain.annotations.model import Annotation
from reader.domain.annotations.tags import clean_tag, count_tags, merge_tags
from reader.services import Services

COLOR_HELP = f"one of {', '.join(c.name for c in COLORS)}"


def add_style_options(parser: argparse.ArgumentParser, *, removing: bool) -> None:
    """``--color NAME`` and ``--tag T`` (repeatable); with ``removing``, ``none`` and ``--untag T`` too."""
    extra = f" ({NO_COLOR} removes it)" if removing else ""
    parser.add_argument("--color", "--colour", metavar="NAME", help=f"the passage's colour: {COLOR_HELP}{extra}")
    parser.add_argument("--tag", action="append", default=[], metavar="TAG", help="add a tag (repeat for more)")
    if removing:
        parser.add_argument("--untag", action="append", default=[], metavar="TAG", help="remove a tag (repeat for more)")


@dataclass(frozen=True)
class StyleChange:
    """What the command line asked to change: a colour (``None``: keep it), tags to add or remove."""

    color: str | None
    add: tuple[str, ...]
    remove: tuple[str, ...]

    @classmethod
    def of(cls, args: argparse.Namespace) -> "StyleChange":
        """The change in ``args``; ``UnknownColor`` or ``BadTag`` (one sentence each) for bad input."""
        color = color_named(args.color) if args.color is not None else None
        untag = getattr(args, "untag", [])
        return cls(color, merge_tags(map(clean_tag, args.tag)), merge_tags(map(clean_tag, untag)))

    @property
    def empty(self) -> bool:
        """True when nothing is to change."""
        return self.color is None and not self.add and not self.remove

    def applied(self, annotation: Annotation) -> Annotation:
        """``annotation`` with the change made (``updated`` is set only if something changed)."""
        color = annotation.color if self.color is None else self.color
        tags = merge_tags(annotation.tags, self.add, self.remove)
        if (color, tags) == (annotation.color, annotation.tags):
            return annotation
        return annotation.restyled(color, tags)

    def describe(self) -> list[str]:
        """What was done, as phrases for the one line ``edit`` prints."""
        done = []
        if self.color is not None:
            done.append(f"coloured it {self.color}" if self.color else "removed its colour")
        if self.add:
            done.append(f"tagged it {', '.join(self.add)}")
        if self.remove:
            done.append(f"untagged {', '.join(self.remove)}")
        return done


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``tags`` and ``tag``."""
    tags = sub.add_parser("tags", help="every tag, with how many passages and articles have it")
    tags.add_argument("--json", action="store_true")
    tags.set_defaults(func=run_tags)

    tag = sub.add_parser("tag", help="add tags to a whole article (or remove them with --remove)")
    tag.add_argument("id", metavar="ARTICLE_ID")
    tag.add_argument("tags", nargs="+", metavar="TAG")
    tag.add_argument("--remove", action="store_true", help="remove these tags instead")
    tag.set_defaults(func=run_tag)


def run_tags(args: argparse.Namespace, services: Services) -> int:
    """Print every tag with its counts (``reader annotations --tag T`` lists the passages)."""
    rows = count_tags((a.tags for a in services.store.annotations()), services.store.article_tags().values())
    if args.json:
        json.dump([row.as_json() for row in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("no tags")
    width = max((len(row.tag) for row in rows), default=0)
    for row in rows:
        print(f"{row.tag:{width}}  {_count(row.passages, 'passage')}  {_count(row.articles, 'article')}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def run_tag(args: argparse.Namespace, services: Services) -> int:
    """Add (or remove) tags on a whole article; print the article's tags now."""
    meta = find_article(services, args.id)
    given = tuple(map(clean_tag, args.tags))
    tags = services.store.set_article_tags(
        meta.id, lambda old: merge_tags(old, remove=given) if args.remove else merge_tags(old, given))
    print(f"{meta.id}  {meta.title[:60]}: " + (", ".join(tags) if tags else "no tags"))
    return 0
