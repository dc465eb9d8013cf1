"""The real Miniflux (tests/servers/miniflux.py) for the account tests: one per test session, a
fresh user and a loopback feed server for each test, every process stopped at the end.

Where the servers cannot be installed, these tests skip with the reason; under CI
(``READER_REQUIRE_SERVERS=1``, set by ``.ci/run``, which installs them first) they fail instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "servers"), str(HERE.parent / "domain")]

from miniflux import MinifluxServer  # noqa: E402
from running import running  # noqa: E402


@pytest.fixture(scope="session")
def miniflux() -> Iterator[MinifluxServer]:
    """PostgreSQL and Miniflux on 127.0.0.1 for the whole session."""
    with running(MinifluxServer(), "Miniflux server") as server:
        yield server
