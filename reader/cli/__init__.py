"""The ``reader`` command: the dispatcher (``main``) and one module per command group.

``main.py`` parses the command line and runs the app or a sub-command; ``library.py`` (``list``,
``show``), ``notes.py`` (bookmarks, notes, export, import, doctor) and ``feeds.py`` (``feeds``,
``fetch``) each add their parsers and handlers. A handler is ``handler(args, services) -> int``.
"""

from reader.cli.main import UserError, main

__all__ = ["UserError", "main"]
