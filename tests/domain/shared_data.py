"""Where the project's sample data (``shared/``, beside the checkout) is, for tests that use it."""

from __future__ import annotations

from pathlib import Path

import pytest


def shared_path(*parts: str) -> Path:
    """``shared/<parts>`` beside the checkout or one of its parent folders; skips the test if absent."""
    for parent in Path(__file__).resolve().parents[2:]:
        candidate = parent.joinpath("shared", *parts)
        if candidate.exists():
            return candidate
    pytest.skip(f"no shared/{'/'.join(parts)} beside the checkout (the project's sample data is not here)")
