"""``reader list`` and ``reader show``: the library for scripts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reader.domain.plural import plural
from reader.services import Services


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``list`` and ``show``."""
    listing = sub.add_parser("list", help="list the articles in the library")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.add_argument("--errors", action="store_true", help="list the files that were skipped, and why")
    listing.add_argument("paths", nargs="*", metavar="PATH", help="files or folders instead of the default library")
    listing.set_defaults(func=run_list)

    show = sub.add_parser("show", help="print an article as Markdown")
    show.add_argument("id", metavar="ID", help="an article id from `reader list`")
    show.set_defaults(func=run_show)


def _use_paths(services: Services, paths: list[str]) -> None:
    from reader.cli.main import UserError

    for name in paths:
        if not Path(name).exists():
            raise UserError(f"no such file or folder: {name}")
    services.extra_paths = [Path(name) for name in paths]


def run_list(args: argparse.Namespace, services: Services) -> int:
    """Print one article per line (or JSON); with ``--errors``, the skipped files instead."""
    _use_paths(services, args.paths)
    listing = services.library.scan()
    out = sys.stdout
    if args.errors:
        if args.json:
            json.dump([{"path": s.path, "reason": s.reason} for s in listing.skipped], out, ensure_ascii=False, indent=1)
            out.write("\n")
        else:
            for skipped in listing.skipped:
                out.write(f"{skipped.path}\t{skipped.reason}\n")
            print(plural(len(listing.skipped), "file skipped"), file=sys.stderr)
        return 0
    if args.json:
        json.dump([a.as_json() for a in listing.articles], out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    for meta in listing.articles:
        label = meta.group or "-"
        date = (meta.date or meta.sort_key)[:10]
        out.write(f"{meta.id}  {date}  {label}  {meta.title}\n")
    if listing.skipped:
        print(f"{plural(len(listing.skipped), 'file skipped')} (reader list --errors)", file=sys.stderr)
    return 0


def find_article(services: Services, article: str):
    """The metadata of an article by id (or unique id prefix), or a UserError."""
    from reader.cli.main import UserError

    known = services.library.lookup(article)  # a whole id, its file unchanged: no scan of the library
    if known is not None:
        return known
    listing = services.library.scan()
    matches = [m for m in listing.articles if m.id == article] or [
        m for m in listing.articles if m.id.startswith(article) and len(article) >= 4
    ]
    if len(matches) != 1:
        raise UserError(f"no article with id {article!r} (see `reader list`)")
    return matches[0]


def run_show(args: argparse.Namespace, services: Services) -> int:
    """Print the article: its title as a heading, then the Markdown body."""
    meta = find_article(services, args.id)
    article = services.library.load(meta)
    sys.stdout.write(f"# {article.title}\n\n{article.body}\n")
    return 0
