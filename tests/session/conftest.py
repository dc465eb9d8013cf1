"""Fixtures for the session: services on a temporary data dir with a few articles of our own."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from reader.config import Settings, resolve_paths
from reader.services import Services
from reader.session import Session

FIXED_MTIME = 1_700_000_000


def write_article(folder: Path, name: str, text: str, mtime: float = FIXED_MTIME) -> Path:
    """An article file with a fixed modification time (its date in the listing)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def services_on(data_dir: Path) -> Services:
    """Services on ``data_dir`` without the bundled seeds: only the articles written there."""
    return Services(paths=resolve_paths(str(data_dir), None), settings=Settings(include_seeds=False))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data dir with four articles in three groups: SCIENCE (two), ARTS, and Other."""
    folder = tmp_path / "data" / "articles"
    write_article(folder, "a.txt", "SCIENCE\nAtoms split\nFirst paragraph about atoms.\nSecond paragraph, more atoms.\n"
                  "Third paragraph. It has two sentences.\n", mtime=FIXED_MTIME + 400)
    write_article(folder, "b.txt", "SCIENCE\nBees return\nThe bees came back.\n", mtime=FIXED_MTIME + 300)
    write_article(folder, "c.txt", "ARTS\nCello recital\nA cello played.\n", mtime=FIXED_MTIME + 200)
    write_article(folder, "d.txt", "Dusk falls\nEvening came early.\n", mtime=FIXED_MTIME + 100)
    return tmp_path / "data"


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    """The services on ``data_dir``, closed afterwards."""
    made = services_on(data_dir)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
async def session(services: Services) -> Session:
    """A session with the library scanned and the store's marks loaded."""
    made = Session(services)
    await made.scan()
    await made.load_marks()
    return made
