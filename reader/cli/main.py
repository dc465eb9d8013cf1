"""The ``reader`` command: opens the app, or runs a sub-command for scripts."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from reader import __version__
from reader.config import ConfigError, load_settings, resolve_paths
from reader.services import Services

if TYPE_CHECKING:
    from reader.domain.store.store import Store


class UserError(Exception):
    """A mistake the user can fix; printed as one line on stderr, exit code 2."""


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR", help="keep all state in DIR (or set READER_DATA_DIR)")
    parser.add_argument("--config", metavar="FILE", help="config file (or set READER_CONFIG)")


COMMANDS = {
    "list": "library", "show": "library",
    "bookmark": "notes", "note": "notes", "annotations": "notes", "export": "exports",
    "import": "exports", "doctor": "notes", "edit": "edit", "delete": "edit",
    "feeds": "feeds", "fetch": "feeds", "tags": "tags", "tag": "tags",
    "cite": "cite", "review": "review",
    "account": "account", "sync": "account", "mark": "account",
    "save": "save",
}
"""Each sub-command and the module that defines it; only that module is imported to run it."""


def app_parser() -> argparse.ArgumentParser:
    """The parser for ``reader [PATH ...]``."""
    parser = argparse.ArgumentParser(prog="reader", description="A terminal news reader with bookmarks and notes.",
                                     epilog="commands: " + ", ".join(COMMANDS) + " (reader COMMAND --help)")
    _global_options(parser)
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to open instead of the default library")
    return parser


def command_parser(modules: set[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``reader COMMAND ...``, with the commands of ``modules`` (default: all)."""
    import importlib

    parser = argparse.ArgumentParser(prog="reader")
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in dict.fromkeys(COMMANDS.values()):
        if modules is None or name in modules:
            importlib.import_module(f"reader.cli.{name}").add_parsers(sub)
    return parser


def _first_word(argv: Sequence[str]) -> str | None:
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word in ("--data-dir", "--config"):
            skip = True
            continue
        if word == "--":
            return None
        if not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and of ``python -m reader``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    word = _first_word(argv)
    is_command = word in COMMANDS
    parser = command_parser({COMMANDS[word]}) if is_command and word else app_parser()
    args = parser.parse_args(argv)
    try:
        services = Services(
            paths=resolve_paths(args.data_dir, args.config),
            settings=load_settings(resolve_paths(args.data_dir, args.config).config_file),
        )
        if is_command:
            return _run_command(args, services)
        services.extra_paths = [_existing(Path(p)) for p in args.paths]
        services.read_first_listing()  # the index is read while the app's modules load
        from reader.ui.app import run_app

        return run_app(services)
    except (UserError, ConfigError) as error:
        print(f"reader: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run_command(args: argparse.Namespace, services: Services) -> int:
    from reader.domain.annotations.colors import UnknownColor
    from reader.domain.annotations.tags import BadTag
    from reader.domain.articles.files import Unreadable

    try:
        from reader.domain.store.store import StoreError
    except ImportError:  # pragma: no cover
        StoreError = RuntimeError  # type: ignore[misc, assignment]
    services.on_store_opened = _tell_store_messages
    try:
        return int(args.func(args, services) or 0)
    except (Unreadable, StoreError, UnknownColor, BadTag) as error:
        raise UserError(str(error)) from error
    except BrokenPipeError:
        return 0
    finally:
        services.close()


def _tell_store_messages(store: "Store") -> None:
    """What opening the notes file found (damage, recovery, a newer file), on stderr."""
    for message in store.messages:
        print(f"reader: {message}", file=sys.stderr)


def _existing(path: Path) -> Path:
    """``path`` if it exists; else a :class:`UserError` that names it, or the command it looks like."""
    if path.exists():
        return path
    word = str(path)
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.75)
    if close and "/" not in word:
        raise UserError(f"unknown command {word!r} (did you mean {close[0]!r}? reader --help lists the commands)")
    raise UserError(f"no such file or folder: {path}")
