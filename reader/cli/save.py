"""``reader save URL``: keep any web page as an article in the library."""

from __future__ import annotations

import argparse
import sys

from reader.services import Services


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``save``."""
    save = sub.add_parser("save", help="save a web page as an article (saving it again updates it)")
    save.add_argument("url", metavar="URL", help="an http or https address")
    save.add_argument("--tag", action="append", default=[], metavar="T", help="tag the article (repeatable)")
    save.set_defaults(func=run_save)


def run_save(args: argparse.Namespace, services: Services) -> int:
    """Fetch, extract and store the page; print the article's id (the same on every save of the URL)."""
    from reader.cli.main import UserError
    from reader.domain.articles.article import article_id
    from reader.domain.articles.cleaning import clean_line
    from reader.domain.feeds.saving import SAVED_FOLDER, SaveError, save_page

    tags = tuple(t for t in (clean_line(tag) for tag in args.tag) if t)
    try:
        folder, label = services.own_articles
        saved = save_page(args.url, folder, tags)
    except SaveError as error:
        raise UserError(str(error)) from None
    print(article_id(label, f"{SAVED_FOLDER}/{saved.path.name}"))
    print(saved.summary, file=sys.stderr)
    return 0
