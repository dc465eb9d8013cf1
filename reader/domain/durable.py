"""What every durable write here is made of: write all bytes, sync a folder, hold a file lock.

Shared by the store (``store/``) and the feeds' article files (``feeds/writes.py``); the only
module that uses ``filelock``.
"""

from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock, Timeout

__all__ = ["LockTimeout", "file_lock", "fsync_dir", "write_all"]

LockTimeout = Timeout
"""Raised by acquiring a :func:`file_lock` that another process held for longer than its timeout."""


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` to ``fd`` (``os.write`` may write fewer)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (Windows has no directory fsync)."""
    if os.name == "nt":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_lock(path: Path, timeout: float, poll_interval: float) -> FileLock:
    """The cross-process lock ``<path>.lock``, shared by every thread of this process."""
    return FileLock(f"{path}.lock", timeout=timeout, thread_local=False, poll_interval=poll_interval)
