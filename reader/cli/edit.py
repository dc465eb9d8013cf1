"""Changing one annotation from a script: ``reader edit`` and ``reader delete``."""

from __future__ import annotations

import argparse
from dataclasses import replace

from reader.cli.notes import save_article_note, user_error
from reader.cli.tags import StyleChange, add_style_options
from reader.domain.annotations.model import Annotation, utc_now
from reader.domain.annotations.article_notes import ArticleNote
from reader.domain.articles.cleaning import clean_line, clean_text
from reader.domain.articles.markdown import project
from reader.domain.annotations.passages import locate, nearest, quote_spans, selectors_for
from reader.services import Services

MIN_PREFIX = 4
"""The fewest characters of an id that ``edit`` and ``delete`` accept in place of the whole id."""


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the commands that change or delete one annotation."""
    edit = sub.add_parser("edit", help="change a note's text, or re-point a passage to a quote")
    edit.add_argument("id", metavar="ANNOTATION_ID", help="its id, or the start of it that `reader annotations` lists")
    edit.add_argument("--note", metavar="TEXT", help="the new text of the note")
    edit.add_argument("--quote", metavar="TEXT", help="text in the article's current text; the nearest occurrence is taken")
    add_style_options(edit, removing=True)
    edit.set_defaults(func=run_edit)

    delete = sub.add_parser("delete", help="delete a bookmark or note (final: there is no undo)")
    delete.add_argument("id", metavar="ANNOTATION_ID", help="its id, or the start of it that `reader annotations` lists")
    delete.set_defaults(func=run_delete)


def find_annotation(services: Services, given: str) -> Annotation:
    """The annotation with this id, or the one whose id begins with it; else a one-line UserError."""
    store = services.store
    found = store.get(given)
    if found is not None:
        return found
    if len(given) < MIN_PREFIX:
        raise user_error(f"no annotation with id {given!r}; give its id or at least its first {MIN_PREFIX} characters")
    ids = store.ids_starting(given)
    if len(ids) > 1:
        raise user_error(f"{len(ids)} annotations have ids beginning {given!r}; give more of the id (see `reader annotations --json`)")
    found = store.get(ids[0]) if ids else None
    if found is None:
        raise user_error(f"no annotation with id {given!r} (see `reader annotations`)")
    return found


def _describe(annotation: Annotation) -> str:
    what = f"passage “{' '.join(annotation.quote.split())[:40]}”" if annotation.selectors else "whole-article note"
    return f"{annotation.id[:8]} ({what} in “{annotation.title[:40]}”)"


def run_edit(args: argparse.Namespace, services: Services) -> int:
    """Change an annotation's note, its passage, or both; print one line saying what changed."""
    style = StyleChange.of(args)
    if args.note is None and args.quote is None and style.empty:
        raise user_error("say what to change: --note TEXT, --quote TEXT, --color NAME, --tag TAG or --untag TAG")
    annotation = find_annotation(services, args.id)
    if style.color and annotation.is_article_note:
        raise user_error("this is a note on the whole article; only a passage has a colour (`reader tag` tags an article)")
    done: list[str] = []
    if args.quote is not None:
        annotation, where = _repointed(services, annotation, args.quote)
        done.append(f"re-pointed it to “{' '.join(annotation.quote.split())[:60]}”{where}")
    annotation = style.applied(annotation)
    if args.note is not None and annotation.is_article_note:
        notes = ArticleNote.of(services.store.annotations(annotation.article), keep=annotation.id)
        annotation = save_article_note(services, replace(notes, kept=annotation), clean_text(args.note))
    else:
        if args.note is not None:
            annotation = annotation.with_note(clean_text(args.note))
        services.store.put(annotation)
    if args.note is not None:
        done.insert(0, "changed its note")
    done += style.describe()
    print(f"{_describe(annotation)}: {' and '.join(done)}")
    return 0


def _repointed(services: Services, annotation: Annotation, quote: str) -> tuple[Annotation, str]:
    """The passage moved to the occurrence of ``quote`` nearest to where it is now (or was)."""
    if annotation.selectors is None:
        raise user_error("this is a note on the whole article; only a passage's bookmark can be re-pointed with --quote")
    meta = services.library.lookup(annotation.article) or next(
        (m for m in services.library.scan().articles if m.id == annotation.article), None)
    if meta is None:
        raise user_error(f"article {annotation.article!r} is not in the library any more; its passage cannot be re-pointed")
    projection = project(services.library.load(meta).body)
    spans = quote_spans(projection, quote)
    if not spans:
        raise user_error(f"“{clean_line(quote)[:60]}” is not found in the article's current text")
    now = locate(annotation, projection.text).anchor.start
    index = nearest(spans, now if now is not None else annotation.selectors.position.start)
    moved = replace(annotation, selectors=selectors_for(projection, *spans[index]), updated=utc_now())
    where = f" (occurrence {index + 1} of {len(spans)}, the nearest to where the passage was)" if len(spans) > 1 else ""
    return moved, where


def run_delete(args: argparse.Namespace, services: Services) -> int:
    """Delete one annotation for good; print one line saying which."""
    annotation = find_annotation(services, args.id)
    if services.store.delete(annotation.id) is None:
        raise user_error(f"no annotation with id {args.id!r} (deleted meanwhile?)")
    print(f"deleted {_describe(annotation)}")
    return 0
