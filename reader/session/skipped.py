"""Files the library could not list, told to the user: each once a session, and all again when asked."""

from __future__ import annotations

from typing import Sequence

from reader.domain.articles.cleaning import clean_line
from reader.domain.articles.library import Skipped
from reader.domain.plural import plural

NAMED = 3
"""How many skipped files one notice names with their reasons; the rest are counted."""

ALL_OF_THEM = "`reader list --errors` lists every one with its reason."


def skipped_message(skipped: Sequence[Skipped]) -> str:
    """One notice for files that were not listed: the first few by path with their reasons."""
    named = [f"{clean_line(s.path)} ({clean_line(s.reason)})" for s in skipped[:NAMED]]
    more = [f"and {len(skipped) - NAMED} more"] if len(skipped) > NAMED else []
    return f"{plural(len(skipped), 'file')} not listed: " + "; ".join(named + more) + ". " + ALL_OF_THEM


class SkippedFiles:
    """Which skipped files were told already this session."""

    def __init__(self) -> None:
        self._told: set[tuple[str, str]] = set()

    def untold(self, skipped: Sequence[Skipped]) -> str | None:
        """The notice for the files in ``skipped`` not told yet (``None`` if there are none);
        they count as told from now on."""
        fresh = [s for s in skipped if (s.path, s.reason) not in self._told]
        self._told.update((s.path, s.reason) for s in fresh)
        return skipped_message(fresh) if fresh else None
