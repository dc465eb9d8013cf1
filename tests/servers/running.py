"""A real server for the tests that need one: started, or the test skipped (failed under CI).

Under ``READER_REQUIRE_SERVERS=1`` (set by ``.ci/run``, which installs the servers first) a server
that cannot start fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from filelock import FileLock

INSTALL_LOCK = Path(os.environ.get("READER_TEST_SERVERS") or Path.home() / ".cache" / "reader-test-servers") / "install.lock"
"""Held while a server is installed (apt-get, useradd, the unpacked binary): the test processes
of ``make test`` (one per core) may all find it missing at once."""


@contextmanager
def installing() -> Iterator[None]:
    """One process at a time installs what the servers need."""
    INSTALL_LOCK.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(INSTALL_LOCK), timeout=1200):
        yield

Server = TypeVar("Server", bound=Any)


class NotAvailable(Exception):
    """A server cannot run here; ``str(error)`` says why (a test skips with it)."""


@contextmanager
def running(server: Server, what: str) -> Iterator[Server]:
    """``server`` entered for the block and stopped after it; skip (or fail) when it cannot start."""
    try:
        server.__enter__()
    except (NotAvailable, RuntimeError, OSError, subprocess.SubprocessError) as error:
        reason = f"no {what} could be started here: {' '.join(str(error).split())[:300]}"
        if os.environ.get("READER_REQUIRE_SERVERS"):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield server
    finally:
        server.__exit__()
