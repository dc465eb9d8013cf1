"""``reader cite``: print a citation of a passage, with a link that scrolls to it."""

from __future__ import annotations

import argparse
import sys

from reader.cli.edit import find_annotation
from reader.cli.notes import user_error
from reader.domain.articles.texts import ArticleTexts
from reader.domain.annotations.citation import FORMATS, cite
from reader.services import Services


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``cite``."""
    parser = sub.add_parser("cite", help="print a citation of a passage: quote, title, source, link to the passage")
    parser.add_argument("id", metavar="ANNOTATION_ID", help="its id, or the start of it that `reader annotations` lists")
    parser.add_argument("--format", choices=FORMATS, default="markdown")
    parser.set_defaults(func=run_cite)


def run_cite(args: argparse.Namespace, services: Services) -> int:
    """Print the citation; the link's text fragment is checked against the article's text now."""
    annotation = find_annotation(services, args.id)
    if annotation.is_article_note:
        raise user_error("this is a note on the whole article; only a passage can be cited")
    texts = ArticleTexts.of(services.library, [annotation.article])
    meta = texts.meta(annotation.article)
    citation = cite(annotation, texts.text(annotation.article),
                    title=meta.title if meta else "", source=meta.source if meta else "", url=meta.url if meta else "")
    sys.stdout.write(citation.formatted(args.format))
    return 0
