"""reader: a terminal news reader with bookmarks and personal notes on passages."""

__version__ = "0.1.0"
