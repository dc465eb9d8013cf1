"""``reader export`` (every format) and ``reader import`` (json, w3c, hypothesis)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader import __version__
from reader.domain.plural import plural
from reader.cli.notes import user_error
from reader.domain.annotations.exports.obsidian import ArticleInfo
from reader.domain.annotations.model import Annotation, utc_now
from reader.domain.annotations.tags import merge_tags
from reader.services import Services

FORMATS = ("markdown", "json", "w3c", "hypothesis", "readwise", "obsidian")
"""What ``--format`` takes; ``obsidian`` writes a folder, the others one file (or stdout)."""


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``export`` and ``import``."""
    export = sub.add_parser("export", help="export every annotation (obsidian: into a vault folder)")
    export.add_argument("--format", choices=FORMATS, default="markdown")
    export.add_argument("-o", "--output", metavar="PATH",
                        help="write to FILE (never overwritten) instead of stdout; for obsidian, the vault folder")
    export.set_defaults(func=run_export)

    importing = sub.add_parser("import", help="import annotations from a json, w3c or hypothesis file")
    importing.add_argument("file", metavar="FILE")
    importing.set_defaults(func=run_import)


def _articles(services: Services) -> dict[str, ArticleInfo]:
    """What the library and the store know of each article, for the exports that name it."""
    tags = services.store.article_tags()
    return {m.id: ArticleInfo(m.title, m.url, m.author, merge_tags(tags.get(m.id, ()), m.tags))
            for m in services.library.scan().articles}


def run_export(args: argparse.Namespace, services: Services) -> int:
    """Export in one format: to stdout, a new file, or (obsidian) a vault folder updated in place."""
    annotations = services.store.annotations()
    annotations.reverse()  # oldest first: files read in the order things were made
    if args.format == "obsidian":
        return _export_vault(args, services, annotations)
    text = _render(args.format, services, annotations)
    if not args.output:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    from reader.domain.annotations.export_paths import write_new_file

    target = Path(args.output)
    if target.exists():
        raise user_error(f"{target} exists; reader never overwrites a file, choose another name")
    try:
        write_new_file(target, text)
    except FileExistsError:
        raise user_error(f"{target} exists; reader never overwrites a file, choose another name") from None
    except OSError as error:
        raise user_error(f"cannot write {target}: {error.strerror or error}") from None
    print(f"exported {plural(len(annotations), 'annotation')} to {target}", file=sys.stderr)
    return 0


def _render(form: str, services: Services, annotations: list[Annotation]) -> str:
    from reader.domain.annotations import exchange

    if form == "hypothesis":
        from reader.domain.annotations.exports.hypothesis import export_hypothesis

        return export_hypothesis(annotations, utc_now(), __version__)
    if form == "readwise":
        from reader.domain.annotations.exports.readwise import export_readwise

        return export_readwise(annotations, {k: v.author for k, v in _articles(services).items()})
    writers = {"markdown": exchange.export_markdown, "json": exchange.export_json, "w3c": exchange.export_w3c}
    return writers[form](annotations)


def _export_vault(args: argparse.Namespace, services: Services, annotations: list[Annotation]) -> int:
    from reader.domain.annotations.exports.obsidian import export_vault

    if not args.output:
        raise user_error("--format obsidian needs -o VAULT_DIR, the folder to write the files into")
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise user_error(f"{folder} is not a folder; -o takes the vault folder for --format obsidian")
    try:
        done = export_vault(annotations, folder, _articles(services))
    except OSError as error:
        raise user_error(f"cannot write into {folder}: {error.strerror or error}") from None
    print(f"{plural(len(done.written), 'file')} written, {len(done.unchanged)} unchanged in {folder}", file=sys.stderr)
    return 0


def _in_library(services: Services, items: list[Annotation]) -> list[Annotation]:
    """Another tool's annotations (named by their page's URL) moved onto the library's article
    with that URL, when there is one, so that they are found in it."""
    from dataclasses import replace

    listing = services.library.scan().articles
    ids = {m.id for m in listing}
    by_url = {m.url: m.id for m in listing if m.url}
    return [replace(a, article=by_url[a.article]) if a.article not in ids and a.article in by_url else a for a in items]


def run_import(args: argparse.Namespace, services: Services) -> int:
    """Merge annotations from a json, w3c or hypothesis file, by id."""
    from reader.domain.annotations.exchange import parse_import
    from reader.domain.articles.files import Unreadable, read_text

    try:
        items = parse_import(read_text(Path(args.file), limit=64 * 1024 * 1024))
    except (ValueError, Unreadable) as error:
        raise user_error(f"{args.file}: {error}") from None
    items = _in_library(services, items)
    added = services.store.import_annotations(items)
    print(f"imported {added} new of {plural(len(items), 'annotation')}")
    return 0
