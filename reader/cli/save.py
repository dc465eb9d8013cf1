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
    from reader.domain.feeds.saving import SAVED_FOLDER, SaveError, save_url
    from reader.domain.feeds.writes import FeedLockTimeout

    tags = tuple(t for t in (clean_line(tag) for tag in args.tag) if t)
    try:
        folder, label = services.own_articles
        saved = save_url(args.url, folder, tags)
    except SaveError as error:
        raise UserError(str(error)) from None
    except FeedLockTimeout:
        raise UserError("another reader is saving a page right now; try again") from None
    except OSError as error:
        raise UserError(f"cannot write the article: {error.strerror or error}") from None
    print(article_id(label, f"{SAVED_FOLDER}/{saved.path.name}"))
    what = "updated" if saved.updated else "saved"
    note = "" if saved.found else " (no article text found; saved with a note)"
    print(f"{what}: {saved.title}{note}", file=sys.stderr)
    return 0
