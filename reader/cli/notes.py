"""Annotation sub-commands: bookmark, note, annotations, export, import, doctor."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reader.cli.library import find_article
from reader.domain.annotations.anchoring import STATUSES
from reader.domain.annotations.model import Annotation
from reader.domain.articles.cleaning import clean_text
from reader.domain.articles.files import Unreadable
from reader.domain.articles.markdown import project
from reader.domain.annotations.passages import block_span, locate, quote_span, selectors_for
from reader.services import Services


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the annotation commands."""
    bookmark = sub.add_parser("bookmark", help="bookmark a passage of an article")
    bookmark.add_argument("id", metavar="ID")
    where = bookmark.add_mutually_exclusive_group(required=True)
    where.add_argument("--paragraph", type=int, metavar="N", help="the N-th body block, from 1")
    where.add_argument("--quote", metavar="TEXT", help="text that occurs in the article")
    bookmark.add_argument("--note", metavar="TEXT", default="", help="a note on the passage")
    bookmark.set_defaults(func=run_bookmark)

    note = sub.add_parser("note", help="add a note on a whole article")
    note.add_argument("id", metavar="ID")
    note.add_argument("text", metavar="TEXT")
    note.set_defaults(func=run_note)

    listing = sub.add_parser("annotations", help="list bookmarks and notes")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--article", metavar="ID")
    listing.add_argument("--search", metavar="Q", help="only those whose quote, note or title has Q")
    listing.set_defaults(func=run_annotations)

    export = sub.add_parser("export", help="export every annotation")
    export.add_argument("--format", choices=("markdown", "json", "w3c"), default="markdown")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (never overwritten) instead of stdout")
    export.set_defaults(func=run_export)

    importing = sub.add_parser("import", help="import annotations from a json or w3c export")
    importing.add_argument("file", metavar="FILE")
    importing.set_defaults(func=run_import)

    doctor = sub.add_parser("doctor", help="check the notes file and re-anchor every annotation")
    doctor.set_defaults(func=run_doctor)


class ArticleTexts:
    """The current text (projection) of each article, read once; ``None`` for a missing one."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self.listing = services.library.scan()
        self._by_id = {m.id: m for m in self.listing.articles}
        self._texts: dict[str, str | None] = {}

    def text(self, article: str) -> str | None:
        """The article's text now, or ``None`` when it is gone or unreadable (its passages are orphaned)."""
        if article not in self._texts:
            meta = self._by_id.get(article)
            # the index holds the text as of the scan above: no file to read and parse again
            text = self._services.library.index.text_of(meta.path) if meta else None
            if text is None and meta is not None:
                try:
                    text = project(self._services.library.load(meta).body).text
                except Unreadable:
                    text = None
            self._texts[article] = text
        return self._texts[article]


def _user_error(message: str) -> Exception:
    from reader.cli.main import UserError

    return UserError(message)


def run_bookmark(args: argparse.Namespace, services: Services) -> int:
    """Bookmark a block or a quoted span; print the new annotation id."""
    meta = find_article(services, args.id)
    article = services.library.load(meta)
    projection = project(article.body)
    if args.paragraph is not None:
        if not 1 <= args.paragraph <= len(projection.blocks):
            raise _user_error(f"the article has {len(projection.blocks)} blocks; --paragraph takes 1 to {len(projection.blocks)}")
        start, end = block_span(projection, args.paragraph - 1, args.paragraph - 1)
    else:
        span = quote_span(projection, args.quote)
        if span is None:
            raise _user_error("that text does not occur in the article")
        start, end = span
    annotation = Annotation.new(meta.id, title=meta.title, url=meta.url,
                                selectors=selectors_for(projection, start, end), note=clean_text(args.note))
    services.store.add(annotation)
    print(annotation.id)
    return 0


def run_note(args: argparse.Namespace, services: Services) -> int:
    """Add a note on a whole article; print its id."""
    meta = find_article(services, args.id)
    annotation = Annotation.new(meta.id, title=meta.title, url=meta.url, note=clean_text(args.text))
    services.store.add(annotation)
    print(annotation.id)
    return 0


def _matches(annotation: Annotation, query: str) -> bool:
    needle = query.casefold()
    return any(needle in field.casefold() for field in (annotation.quote, annotation.note, annotation.title))


def run_annotations(args: argparse.Namespace, services: Services) -> int:
    """List annotations with where they are in the article's current text."""
    annotations = services.store.annotations(args.article)
    if args.search:
        annotations = [a for a in annotations if _matches(a, args.search)]
    texts = ArticleTexts(services) if annotations else None
    rows = []
    for annotation in annotations:
        text = texts.text(annotation.article) if texts else None
        located = locate(annotation, text) if text is not None else None
        status = located.status if located else "orphaned"
        anchor = None
        if located and located.anchor.start is not None and annotation.selectors is not None:
            anchor = {"start": located.anchor.start, "end": located.anchor.end, "text": located.anchor.text}
        rows.append((annotation, status, anchor))
    if args.json:
        out = [{**a.to_record(), "status": s, "anchor": anc} for a, s, anc in rows]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for annotation, status, _ in rows:
        quote = " ".join(annotation.quote.split())[:60] or "(whole article)"
        note = " ".join(annotation.note.split())[:40]
        print(f"{annotation.id[:8]}  {status:8}  {annotation.title[:40]}  “{quote}”  {note}")
    return 0


def run_export(args: argparse.Namespace, services: Services) -> int:
    """Export in our json format, as W3C Web Annotations, or as Markdown."""
    from reader.domain.annotations import exchange

    annotations = services.store.annotations()
    writer = {"markdown": exchange.export_markdown, "json": exchange.export_json, "w3c": exchange.export_w3c}[args.format]
    text = writer(annotations)
    if not args.output:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    from reader.domain.annotations.export_paths import write_new_file

    target = Path(args.output)
    if target.exists():
        raise _user_error(f"{target} exists; reader never overwrites a file, choose another name")
    try:
        write_new_file(target, text)
    except FileExistsError:
        raise _user_error(f"{target} exists; reader never overwrites a file, choose another name") from None
    except OSError as error:
        raise _user_error(f"cannot write {target}: {error.strerror or error}") from None
    print(f"exported {len(annotations)} annotations to {target}", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace, services: Services) -> int:
    """Merge annotations from a json or w3c file, by id."""
    from reader.domain.annotations.exchange import parse_import
    from reader.domain.articles.files import Unreadable, read_text

    try:
        items = parse_import(read_text(Path(args.file), limit=64 * 1024 * 1024))
    except (ValueError, Unreadable) as error:
        raise _user_error(f"{args.file}: {error}") from None
    added = services.store.import_annotations(items)
    print(f"imported {added} new of {len(items)} annotations")
    return 0


def run_doctor(args: argparse.Namespace, services: Services) -> int:
    """Validate the store, re-anchor every annotation and print counts."""
    store = services.store
    for message in store.messages:
        print(message)
    annotations = store.annotations()
    counts = dict.fromkeys(STATUSES, 0)
    texts = ArticleTexts(services)
    listing = texts.listing
    for annotation in annotations:
        text = texts.text(annotation.article)
        counts[locate(annotation, text).status if text is not None else "orphaned"] += 1
    print(f"store: {store.path} ({'read-only, from a newer reader' if store.read_only else 'ok'})")
    print(f"articles: {len(listing.articles)} listed, {len(listing.skipped)} skipped")
    print(f"annotations: {len(annotations)} ({', '.join(f'{counts[s]} {s}' for s in STATUSES)})")
    return 0
