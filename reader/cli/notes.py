"""Annotation sub-commands: bookmark, note, annotations, doctor (export and import: ``exports.py``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.collector import paused
from reader.domain.plural import plural
from reader.cli.library import find_article
from reader.cli.tags import COLOR_HELP, StyleChange, add_style_options
from reader.domain.annotations.colors import color_named, marker
from reader.domain.annotations.tags import clean_tag, has_tags
from reader.domain.annotations.anchoring import STATUSES
from reader.domain.annotations.model import Annotation
from reader.domain.annotations.article_notes import ArticleNote, duplicated
from reader.domain.articles.cleaning import clean_text, shorten
from reader.domain.articles.files import Unreadable
from reader.domain.articles.markdown import project
from reader.domain.articles.texts import ArticleTexts
from reader.domain.annotations.passages import block_span, locate, quote_span, selectors_for, status_in
from reader.services import Services

if TYPE_CHECKING:
    from reader.domain.store.store import Store
    from reader.domain.store.damage import Damage


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the annotation commands."""
    bookmark = sub.add_parser("bookmark", help="bookmark a passage of an article")
    bookmark.add_argument("id", metavar="ID")
    where = bookmark.add_mutually_exclusive_group(required=True)
    where.add_argument("--paragraph", type=int, metavar="N", help="the N-th body block, from 1")
    where.add_argument("--quote", metavar="TEXT", help="text that occurs in the article")
    bookmark.add_argument("--note", metavar="TEXT", default="", help="a note on the passage")
    add_style_options(bookmark, removing=False)
    bookmark.set_defaults(func=run_bookmark)

    note = sub.add_parser("note", help="write the note on a whole article (replaces its text)")
    note.add_argument("id", metavar="ID")
    note.add_argument("text", metavar="TEXT")
    note.set_defaults(func=run_note)

    listing = sub.add_parser("annotations", help="list bookmarks and notes")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--article", metavar="ID")
    listing.add_argument("--search", metavar="Q", help="only those whose quote, note or title has Q")
    listing.add_argument("--tag", action="append", default=[], metavar="TAG",
                         help="only passages with this tag (repeat: with all of them), across the library")
    listing.add_argument("--color", "--colour", metavar="NAME", help=f"only passages of this colour: {COLOR_HELP}")
    listing.set_defaults(func=run_annotations)

    doctor = sub.add_parser("doctor", help="check the notes file and re-anchor every annotation; "
                            "exits 1 while damage found in it is not acknowledged")
    doctor.add_argument("--acknowledge", action="store_true",
                        help="acknowledge the damage found so far (look at the copies kept aside first)")
    doctor.set_defaults(func=run_doctor)


DOCTOR_LISTS = 20
"""How many articles with duplicated whole-article notes ``reader doctor`` names."""


def user_error(message: str) -> Exception:
    """A UserError to raise: one line on stderr and exit status 2."""
    from reader.cli.main import UserError

    return UserError(message)


def run_bookmark(args: argparse.Namespace, services: Services) -> int:
    """Bookmark a block or a quoted span; print the new annotation id."""
    style = StyleChange.of(args)
    meta = find_article(services, args.id)
    article = services.library.load(meta)
    projection = project(article.body)
    if args.paragraph is not None:
        if not 1 <= args.paragraph <= len(projection.blocks):
            raise user_error(f"the article has {len(projection.blocks)} blocks; --paragraph takes 1 to {len(projection.blocks)}")
        start, end = block_span(projection, args.paragraph - 1, args.paragraph - 1)
    else:
        span = quote_span(projection, args.quote)
        if span is None:
            raise user_error("that text does not occur in the article")
        start, end = span
    annotation = Annotation.new(meta.id, title=meta.title, url=meta.url,
                                selectors=selectors_for(projection, start, end), note=clean_text(args.note),
                                color=style.color or "", tags=style.add)
    services.add_annotation(annotation)
    print(annotation.id)
    return 0


def run_note(args: argparse.Namespace, services: Services) -> int:
    """Write the article's one whole-article note (made, or its text replaced); print its id."""
    meta = find_article(services, args.id)
    text = clean_text(args.text)
    notes = ArticleNote.of(services.store.annotations(meta.id))
    if notes.kept is None:
        annotation = services.store.add(Annotation.new(meta.id, title=meta.title, url=meta.url, note=text))
    else:
        annotation = save_article_note(services, notes, text)
    print(annotation.id)
    return 0


def save_article_note(services: Services, notes: ArticleNote, text: str) -> Annotation:
    """Replace the text of an existing whole-article note, merging its duplicates into it."""
    annotation = services.store.put(notes.replaced(text), notes.absorbed)
    if notes.others:
        print(f"merged {plural(len(notes.others), 'more whole-article note')} on this article into {annotation.id[:8]}, "
              "below the new text", file=sys.stderr)
    return annotation


def _matches(annotation: Annotation, query: str) -> bool:
    needle = query.casefold()
    return any(needle in field.casefold() for field in (annotation.quote, annotation.note, annotation.title))


def run_annotations(args: argparse.Namespace, services: Services) -> int:
    """List annotations with where they are in the article's current text."""
    annotations = services.store.annotations(args.article)
    if args.article is not None and not annotations:  # a known article without any, or a mistake?
        annotations = services.store.annotations(find_article(services, args.article).id)
    if args.search:
        annotations = [a for a in annotations if _matches(a, args.search)]
    if args.tag:
        wanted = [clean_tag(t) for t in args.tag]
        annotations = [a for a in annotations if has_tags(a.tags, wanted)]
    if args.color is not None:
        color = color_named(args.color)
        annotations = [a for a in annotations if a.color == color]
    texts = ArticleTexts.of(services.library, {a.article for a in annotations}) if annotations else None
    rows = []
    with paused():  # 100,000 rows are no garbage: no full collection over them while they are made
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
    if not rows:
        print("no annotations")
    for annotation, status, _ in rows:
        quote = shorten(" ".join(annotation.quote.split()), 60) or "(whole article)"
        note = shorten(" ".join(annotation.note.split()), 40)
        tags = " ".join(f"#{tag}" for tag in annotation.tags)
        mark = marker(annotation.color) or " "
        quoted = f"“{quote}”"
        print(f"{annotation.id[:8]}  {status:8}  {mark} {shorten(annotation.title, 40):40}  {quoted:62}  {note}  {tags}".rstrip())
    return 0


def _report_files(store: "Store") -> list["Damage"]:
    """Print the damage found in the notes file, the copies kept aside and the backups; returns
    the findings not acknowledged yet."""
    from reader.domain.store.damage import kept_aside
    from reader.domain.store.recovery import backups

    findings = store.damage()
    blocking = [d for d in findings if d.blocking]
    state = "damage not acknowledged" if blocking else "ok"
    print(f"store: {store.path} ({'read-only, from a newer reader' if store.read_only else state})")
    for found in findings:
        status = "not acknowledged" if found.blocking else f"acknowledged {found.acknowledged or '(no loss)'}"
        print(f"damage: found {found.found}: {found.summary()}; kept as {found.aside} ({status})")
    for copy in kept_aside(store.path):
        print(f"kept aside: {copy} ({plural(copy.stat().st_size, 'byte')})")
    taken = backups(store.path, store.backup_folder)
    newest = f", newest {taken[0].taken:%Y-%m-%d %H:%M} UTC ({taken[0].snapshot})" if taken else ""
    print(f"backups: {len(taken)} in {store.backup_folder}{newest}")
    _report_sync(store)
    return blocking


def _report_sync(store: "Store") -> None:
    """Print the sync folder's machines, the time of each one's newest change, and the files (or
    parts) that could not be read."""
    from datetime import datetime, timezone

    synced = store.sync_storage()
    if synced is None:
        return
    print(f"sync folder: {clean_text(str(synced.sync_dir))} (this machine: {synced.machine})")
    for machine, last in sorted(synced.machines().items()):
        when = datetime.fromtimestamp(last / 1e9, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC") if last else "no changes yet"
        mine = " (this machine)" if machine == synced.machine else ""
        print(f"machine {clean_text(machine)}{mine}: last change {when}")
    for found in synced.unreadable():
        print(f"could not read: {clean_text(str(found.path))}: {found.reason}")


def run_doctor(args: argparse.Namespace, services: Services) -> int:
    """Check the store (damage, copies kept aside, backups), re-anchor every annotation and print
    counts; exit 1 while damage is not acknowledged (``--acknowledge`` acknowledges it)."""
    store = services.store
    if args.acknowledge:
        count = store.acknowledge_damage()
        print(f"acknowledged {plural(count, 'damage finding')}")
    blocking = _report_files(store)
    annotations = store.annotations()
    counts = dict.fromkeys(STATUSES, 0)
    listing = services.library.scan()
    texts = ArticleTexts(services.library, listing)
    with paused():
        for annotation in annotations:
            counts[status_in(annotation, texts.text(annotation.article))] += 1
    print(f"articles: {len(listing.articles)} listed, {plural(len(listing.skipped), 'file skipped')}")
    print(f"annotations: {len(annotations)} ({', '.join(f'{counts[s]} {s}' for s in STATUSES)})")
    twice = duplicated(annotations)
    if twice:
        print(f"{plural(len(twice), 'article')} {'has' if len(twice) == 1 else 'have'} more than one whole-article note; "
              "the next `reader note` (or N in the app) merges them into one, keeping every text:")
    for article, notes in sorted(twice.items())[:DOCTOR_LISTS]:
        print(f"  {article}: {plural(len(notes), 'whole-article note')}  {notes[0].title[:60]}")
    if len(twice) > DOCTOR_LISTS:
        print(f"  … and {len(twice) - DOCTOR_LISTS} more (reader annotations --json lists every note)")
    if blocking:
        print("The damage above is not acknowledged: look at the copies kept aside, then run `reader doctor --acknowledge`.")
        return 1
    return 0
