"""The pictures of an article that are files on this machine, by block: the only ones reader may
show inline. A picture elsewhere (``http:``, ``https:``, ``data:``, ``//host/...``) is never read.

A picture is local when its address has no scheme and no host: a path, relative to the article's
own file (or absolute). ``file:`` addresses never get here: the parser refuses ``file:`` links, so
they stay the text they were written as.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reader.domain.articles.markdown import group_blocks, parse

MAX_PICTURE_BYTES = 16 * 1024 * 1024
"""A bigger file is not shown inline (it stays ``▣ alt text``)."""


@dataclass(frozen=True)
class Picture:
    """A local picture: the block whose ``▣`` line stands for it, and its file."""

    block: int
    path: Path


def local_file(src: str, article_path: str | Path) -> Path | None:
    """The file a picture's address names on this machine, or ``None`` when the address is remote
    (any scheme or host) or empty; the file need not exist."""
    if not src or src.startswith("#"):
        return None
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = Path(unquote(parts.path))
    return path if path.is_absolute() else Path(article_path).parent / path


def local_pictures(body: str, article_path: str | Path) -> tuple[Picture, ...]:
    """Every picture of ``body`` that is a readable local file no bigger than ``MAX_PICTURE_BYTES``,
    in reading order, with the index of the projection block that holds its ``▣`` line."""
    found: list[Picture] = []
    for index, (_, tokens, _) in enumerate(group_blocks(parse(body))):
        for token in tokens:
            for child in token.children or ():
                if child.type != "link_open" or not child.meta.get("image"):
                    continue
                path = local_file(str(child.attrs.get("href", "")), article_path)
                if path is not None and _readable(path):
                    found.append(Picture(index, path))
    return tuple(found)


def _readable(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size <= MAX_PICTURE_BYTES
    except OSError:
        return False
