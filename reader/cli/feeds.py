"""Feed sub-commands: ``feeds add|list|remove|import|export`` and ``fetch``.

Each handler is ``handler(args, store, articles_dir) -> int``; the parser hands the dispatcher
``handler(args, services)`` (see :func:`_on_services`). Mistakes the user can fix print one
line on stderr and return 2; ``fetch`` returns 1 when any feed failed, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from reader.domain.feeds.opml import MAX_OPML_BYTES, OpmlError, OpmlFeed, parse_opml, write_opml
from reader.domain.feeds.subscriptions import (SubscriptionError, SubscriptionStore, add_subscription,
                                               find_subscription, sync_feeds)
from reader.domain.plural import plural

__all__ = ["add_parsers"]

NO_FEEDS = "no subscriptions yet; add one with: reader feeds add URL"


FeedHandler = Callable[[argparse.Namespace, SubscriptionStore, Path], int]


def _on_services(handler: FeedHandler) -> Callable[[argparse.Namespace, Any], int]:
    """``handler`` as the dispatcher calls every command: with the command's services."""

    def run(args: argparse.Namespace, services: Any) -> int:
        return handler(args, services.store, services.paths.articles_dir)

    return run


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``feeds`` (with its sub-commands) and ``fetch``."""
    feeds = sub.add_parser("feeds", help="manage feed subscriptions")
    actions = feeds.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")

    add = actions.add_parser("add", help="subscribe to a feed (http or https)")
    add.add_argument("url", metavar="URL")
    add.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeatable)")
    add.add_argument("--full", action="store_true",
                     help="save the text of each item's linked page (kept on the subscription; saved items too)")
    add.set_defaults(func=_on_services(run_add))

    listing = actions.add_parser("list", help="list subscriptions")
    listing.add_argument("--json", action="store_true", help="print JSON objects")
    listing.set_defaults(func=_on_services(run_list))

    remove = actions.add_parser("remove", help="unsubscribe (articles already saved are kept)")
    remove.add_argument("url", metavar="URL")
    remove.set_defaults(func=_on_services(run_remove))

    importing = actions.add_parser("import", help="subscribe to the feeds of an OPML file")
    importing.add_argument("file", metavar="FILE.opml")
    importing.set_defaults(func=_on_services(run_import))

    export = actions.add_parser("export", help="write subscriptions as OPML")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (never overwritten) instead of stdout")
    export.set_defaults(func=_on_services(run_export))

    fetch = sub.add_parser("fetch", help="fetch subscribed feeds and save new items as articles")
    fetch.add_argument("urls", nargs="*", metavar="URL", help="only these subscriptions (default: all)")
    fetch.add_argument("--full", action="store_true",
                       help="this time, save the page text of every item that lacks it, new or saved before")
    fetch.set_defaults(func=_on_services(run_fetch))


def _fail(message: str) -> int:
    """Print a user error as one line on stderr; the exit code for it."""
    print(f"reader: {' '.join(message.split())}", file=sys.stderr)
    return 2


def run_add(args: argparse.Namespace, store: SubscriptionStore, articles_dir: Path) -> int:
    """Subscribe to a feed; a non-http(s) address (file:, javascript:, ...) is refused."""
    try:
        before = find_subscription(store, args.url)
        sub = add_subscription(store, args.url, tags=args.tag, full=args.full)
    except SubscriptionError as error:
        return _fail(str(error))
    if before is None:
        print(f"subscribed: {sub['url']}")
        return 0
    tags = f" (tags now: {', '.join(sub['tags'])})" if sub["tags"] != before.get("tags", []) else ""
    full = " (full text from now on)" if sub.get("full") and not before.get("full") else ""
    print(f"already subscribed: {sub['url']}{tags}{full}")
    return 0


def run_list(args: argparse.Namespace, store: SubscriptionStore, articles_dir: Path) -> int:
    """Print the subscriptions, as text or as a JSON array."""
    subs = store.subscriptions()
    if args.json:
        keys = ("url", "title", "tags", "items", "error", "last_fetch", "full")
        rows = [{key: sub.get(key) for key in keys} for sub in subs]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if not subs:
        print(NO_FEEDS, file=sys.stderr)
    for sub in subs:
        state = f"FAILED: {sub['error']}" if sub.get("error") else ("ok" if sub.get("last_fetch") else "never fetched")
        tags = f" [{', '.join(sub.get('tags') or [])}]" if sub.get("tags") else ""
        full = "  full text" if sub.get("full") else ""
        print(f"{sub['url']}  {sub.get('title') or '-'}{tags}  {sub.get('items') or 0} items{full}  {state}")
    return 0


def run_remove(args: argparse.Namespace, store: SubscriptionStore, articles_dir: Path) -> int:
    """Unsubscribe; the articles already written stay where they are."""
    if not store.remove_subscription(args.url):
        return _fail(f"not subscribed to {args.url}")
    print(f"unsubscribed: {args.url}")
    return 0


def run_import(args: argparse.Namespace, store: SubscriptionStore, articles_dir: Path) -> int:
    """Subscribe to every http(s) feed in an OPML file; report what was skipped."""
    path = Path(args.file)
    try:
        if path.stat().st_size > MAX_OPML_BYTES:
            return _fail(f"{path} is larger than {MAX_OPML_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except OSError as error:
        return _fail(f"cannot read {path}: {error.strerror or error}")
    try:
        document = parse_opml(data)
    except OpmlError as error:
        return _fail(f"{path}: {error}")
    known = {sub.get("url") for sub in store.subscriptions()}
    added = 0
    for feed in document.feeds:
        add_subscription(store, feed.url, title=feed.title, tags=feed.tags)
        added += feed.url not in known
    print(f"imported {plural(added, 'new feed')} ({len(document.feeds) - added} already subscribed)")
    for url in document.skipped:
        print(f"skipped (not http or https): {url}", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace, store: SubscriptionStore, articles_dir: Path) -> int:
    """Write the subscriptions as OPML 2.0 (tags as ``category``) to stdout or a new file."""
    feeds = [OpmlFeed(s["url"], s.get("title") or "", tuple(s.get("tags") or ())) for s in store.subscriptions()]
    text = write_opml(feeds)
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        with open(args.output, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        return _fail(f"{args.output} already exists; choose another name")
    except OSError as error:
        return _fail(f"cannot write {args.output}: {error.strerror or error}")
    print(f"wrote {plural(len(feeds), 'feed')} to {args.output}")
    return 0


def run_fetch(args: argparse.Namespace, store: SubscriptionStore, articles_dir: Path) -> int:
    """Fetch feeds (all, or the URLs given) and print one line per feed; 1 if any failed."""
    known = {sub.get("url") for sub in store.subscriptions()}
    unknown = [url for url in args.urls if url not in known]
    if unknown:
        return _fail(f"not subscribed to {unknown[0]} (add it with: reader feeds add URL)")
    if not known:
        print(NO_FEEDS)
        return 0
    results = sync_feeds(store, articles_dir, args.urls or None, full=args.full)
    for result in results:
        print(result.line())
    return 1 if any(r.error for r in results) else 0
