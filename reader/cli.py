"""The ``reader`` command: opens the app, or runs a sub-command for scripts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from reader import __version__
from reader.config import ConfigError, load_settings, resolve_paths
from reader.services import Services


class UserError(Exception):
    """A mistake the user can fix; printed as one line on stderr, exit code 2."""


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR", help="keep all state in DIR (or set READER_DATA_DIR)")
    parser.add_argument("--config", metavar="FILE", help="config file (or set READER_CONFIG)")


def build_parser() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The parser for ``reader [PATH ...]`` and the one for ``reader COMMAND ...``."""
    from reader import cli_library, cli_notes

    app = argparse.ArgumentParser(prog="reader", description="A terminal news reader with bookmarks and notes.")
    _global_options(app)
    app.add_argument("--version", action="version", version=f"reader {__version__}")
    app.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to open instead of the default library")

    commands = argparse.ArgumentParser(prog="reader")
    _global_options(commands)
    sub = commands.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cli_library.add_parsers(sub)
    cli_notes.add_parsers(sub)
    try:
        from reader import cli_feeds
    except ImportError:  # pragma: no cover - feeds are optional while they are being built
        cli_feeds = None
    if cli_feeds is not None:
        cli_feeds.add_parsers(sub)
    return app, commands


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
    app_parser, command_parser = build_parser()
    names = set(command_parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    is_command = _first_word(argv) in names
    args = (command_parser if is_command else app_parser).parse_args(argv)
    try:
        services = Services(
            paths=resolve_paths(args.data_dir, args.config),
            settings=load_settings(resolve_paths(args.data_dir, args.config).config_file),
        )
        if is_command:
            return _run_command(args, services)
        services.extra_paths = [_existing(Path(p)) for p in args.paths]
        from reader.ui.app import run_app

        return run_app(services)
    except (UserError, ConfigError) as error:
        print(f"reader: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run_command(args: argparse.Namespace, services: Services) -> int:
    from reader.domain.files import Unreadable

    try:
        from reader.domain.store import StoreError
    except ImportError:  # pragma: no cover
        StoreError = RuntimeError  # type: ignore[misc, assignment]
    try:
        handler = args.func
        if handler.__module__ == "reader.cli_feeds":
            return int(handler(args, services.store, services.paths.articles_dir) or 0)
        return int(handler(args, services) or 0)
    except (Unreadable, StoreError) as error:
        raise UserError(str(error)) from error
    except BrokenPipeError:
        return 0
    finally:
        services.close()


def _existing(path: Path) -> Path:
    if not path.exists():
        raise UserError(f"no such file or folder: {path}")
    return path
