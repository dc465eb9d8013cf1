"""Server accounts: ``account add|list|remove``, ``sync`` and ``mark``.

``account add`` checks the credentials with the server before saving anything; the secret is
read from a file (``-``: standard input), never from the command line, kept in the system
keyring when there is one (else in a 0600 file) and never printed. ``sync`` prints one line per account and returns 1 if any failed; ``mark`` sets an
article's read or starred flag in the store, where the next ``sync`` finds it and sends it.
Mistakes the user can fix in the command print one line and return 2; a server that refuses or
cannot be reached prints one line and returns 1.
"""

from __future__ import annotations

import argparse
import json
import sys

from reader.domain.plural import plural
from reader.domain.feeds.accounts.model import KINDS, AccountError
from reader.services import Services

__all__ = ["add_parsers"]


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``account`` (add, list, remove), ``sync`` and ``mark``."""
    account = sub.add_parser("account", help="server accounts (Miniflux, Google Reader API)")
    actions = account.add_subparsers(dest="account_command", required=True, metavar="ACTION")

    add = actions.add_parser("add", help="add an account (its credentials are checked first)")
    add.add_argument("kind", choices=KINDS, help="miniflux (its /v1 API) or greader (the Google Reader API)")
    add.add_argument("url", metavar="URL", help="the server's address")
    add.add_argument("--token-file", metavar="F", help="a file whose first line is a Miniflux API token")
    add.add_argument("--user", metavar="U", help="the user name")
    add.add_argument("--password-file", metavar="F", help="a file whose first line is the password (-: stdin)")
    add.set_defaults(func=run_add)

    listing = actions.add_parser("list", help="list the accounts (never their secrets)")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(func=run_list)

    remove = actions.add_parser("remove", help="forget an account (its articles stay)")
    remove.add_argument("url", metavar="URL")
    remove.set_defaults(func=run_remove)

    sync = sub.add_parser("sync", help="two-way sync with the server accounts")
    sync.add_argument("urls", nargs="*", metavar="URL", help="only these accounts (default: all)")
    sync.set_defaults(func=run_sync)

    mark = sub.add_parser("mark", help="mark an article read, unread, starred or unstarred")
    mark.add_argument("id", metavar="ID", help="an article id from `reader list`")
    flag = mark.add_mutually_exclusive_group(required=True)
    for name in ("read", "unread", "star", "unstar"):
        flag.add_argument(f"--{name}", dest="flag", action="store_const", const=name)
    mark.set_defaults(func=run_mark)


def _usage(message: str) -> int:
    print(f"reader: {message}", file=sys.stderr)
    return 2


def _failed(message: str, *secrets: str) -> int:
    """A refusal or an unreachable server: one line on stderr (any secret blanked, to be sure), 1."""
    for secret in secrets:
        if secret:
            message = message.replace(secret, "********")
    print(f"reader: {' '.join(message.split())}", file=sys.stderr)
    return 1


def _tables(services: Services):
    from reader.domain.store.account_tables import AccountTables

    return AccountTables(services.store)


def _credentials(services: Services):
    from reader.domain.feeds.accounts.credentials import CredentialFile

    return CredentialFile(services.paths.credentials_file)


def run_add(args: argparse.Namespace, services: Services) -> int:
    """Check the credentials with the server, then save the account."""
    from reader.domain.feeds.accounts.connect import add_account
    from reader.domain.feeds.accounts.credentials import read_secret_file

    if args.token_file and (args.user or args.password_file):
        return _usage("give either --token-file or --user with --password-file, not both")
    if args.kind == "greader" and args.token_file:
        return _usage("a Google Reader account signs in with --user and --password-file")
    if not args.token_file and not (args.user and args.password_file):
        return _usage("give --token-file F, or --user U with --password-file F")
    try:
        secret = read_secret_file(args.token_file or args.password_file)
    except AccountError as error:
        return _usage(str(error))
    try:
        record = add_account(_tables(services), _credentials(services), services.paths.articles_dir, args.kind,
                             args.url, user=args.user or "", secret=secret)
    except AccountError as error:
        return _failed(f"{error} Nothing was saved.", secret.reveal())
    kept = "the system keyring" if _credentials(services).where(record["url"]) == "keyring" else "credentials.json (mode 0600)"
    print(f"added {record['kind']} account {record['url']} (user {record['user']}, secret in {kept}); "
          "`reader sync` brings its feeds")
    return 0


def _rows(services: Services) -> list[dict]:
    tables = _tables(services)
    keys = ("url", "kind", "user", "folder", "last_sync", "entries")
    credentials = _credentials(services)
    return [{**{key: account.get(key) for key in keys}, "feeds": len(account.get("feeds") or {}),
             "pending": tables.pending(account["url"]), "secret": credentials.where(account["url"])}
            for account in tables.accounts()]


def run_list(args: argparse.Namespace, services: Services) -> int:
    """Print the accounts: address, kind, user, what was synced, what waits to be sent."""
    rows = _rows(services)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("no accounts yet; add one with: reader account add miniflux URL --token-file F")
    for row in rows:
        synced = f"synced {row['last_sync']}" if row["last_sync"] else "never synced"
        print(f"{row['url']}  {row['kind']}  {row['user']}  {plural(row['feeds'], 'feed')}  "
              f"{plural(row['entries'], 'entry')}  {plural(row['pending'], 'change waiting')}  {synced}  "
              f"secret in {row['secret']}")
    return 0


def run_remove(args: argparse.Namespace, services: Services) -> int:
    """Forget an account and its secret; its articles stay where they are."""
    from reader.domain.feeds.accounts.client import normal_url

    try:
        url = normal_url(args.url)
    except AccountError as error:
        return _usage(str(error))
    tables = _tables(services)
    account = tables.account(url)
    if tables.remove_account(url) is None:
        return _usage(f"no account for {url} (see reader account list)")
    _credentials(services).remove(url)
    folder = services.paths.articles_dir / (account or {}).get("folder", "")
    print(f"removed account {url}; its articles stay in {folder}")
    return 0


def run_sync(args: argparse.Namespace, services: Services) -> int:
    """Sync every account (or those named); one line each; 1 if any failed."""
    from reader.domain.feeds.accounts.client import normal_url
    from reader.domain.feeds.accounts.sync import sync_account

    tables = _tables(services)
    known = [account["url"] for account in tables.accounts()]
    try:
        wanted = [normal_url(url) for url in args.urls] or known
    except AccountError as error:
        return _usage(str(error))
    unknown = [url for url in wanted if url not in known]
    if unknown:
        return _usage(f"no account for {unknown[0]} (see reader account list)")
    if not wanted:
        print("no accounts yet; add one with: reader account add miniflux URL --token-file F")
        return 0
    credentials = _credentials(services)
    failed = False
    for url in wanted:
        report = sync_account(tables, credentials, url, services.paths.articles_dir)
        failed = failed or report.error is not None
        print(report.line(), file=sys.stderr if report.error else sys.stdout)
    return 1 if failed else 0


def run_mark(args: argparse.Namespace, services: Services) -> int:
    """Set an article's flag in the store; an account's article has it sent by the next sync."""
    from reader.cli.library import find_article

    meta = find_article(services, args.id)
    store = services.store
    if args.flag in ("read", "unread"):
        store.set_read(meta.id, args.flag == "read")
    else:
        store.set_starred(meta.id, args.flag == "star")
    owner = _tables(services).find_article(meta.id)
    where = f"; `reader sync` sends it to {owner[0]}" if owner else ""
    print(f"marked {args.flag}: {meta.title}{where}")
    return 0
