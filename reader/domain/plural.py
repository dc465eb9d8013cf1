"""Counted words for what reader says ("1 feed", "2 feeds", "1 file skipped"), in one place."""

from __future__ import annotations

_ADJECTIVES = frozenset({"new", "more", "old", "other", "unread", "whole-article", "damage"})
"""Words before the noun that stay as they are ("1 new feed", "2 new feeds")."""


def _plural_of(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def plural(count: int, words: str, many: str | None = None) -> str:
    """``count`` and ``words``, its noun made plural unless ``count`` is 1 ("3 files skipped");
    ``many`` gives the plural words outright where the rule would get them wrong."""
    if count == 1:
        return f"1 {words}"
    if many is not None:
        return f"{count:,} {many}"
    parts = words.split(" ")
    noun = next((i for i, part in enumerate(parts) if part not in _ADJECTIVES), len(parts) - 1)
    parts[noun] = _plural_of(parts[noun])
    return f"{count:,} {' '.join(parts)}"
