"""The real Miniflux (tests/servers/miniflux.py) for the account tests: one per test session, a
fresh user and a loopback feed server for each test, every process stopped at the end.

Where the servers cannot be installed, these tests skip with the reason; under CI
(``READER_REQUIRE_SERVERS=1``, set by ``.ci/run``, which installs them first) they fail instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "servers"), str(HERE.parent / "domain")]

from miniflux import MinifluxServer, NotAvailable  # noqa: E402


@pytest.fixture(scope="session")
def miniflux() -> Iterator[MinifluxServer]:
    """PostgreSQL and Miniflux on 127.0.0.1 for the whole session."""
    server = MinifluxServer()
    try:
        server.__enter__()
    except (NotAvailable, RuntimeError, OSError, subprocess.SubprocessError) as error:
        reason = f"no Miniflux server could be started here: {' '.join(str(error).split())[:300]}"
        if os.environ.get("READER_REQUIRE_SERVERS"):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield server
    finally:
        server.__exit__()
