"""Splitting a long article into pages of blocks, so the first screen renders without the rest."""

from __future__ import annotations

from typing import Any

from reader.domain.articles.markdown import Block

PAGE_WORDS = 1200


def paginate(blocks: tuple[Block, ...], words: int = PAGE_WORDS) -> list[tuple[int, int]]:
    """Consecutive block ranges ``(first, last)`` (inclusive) of about ``words`` words each."""
    pages: list[tuple[int, int]] = []
    first = 0
    count = 0
    for block in blocks:
        count += max(1, block.words)
        if count >= words:
            pages.append((first, block.index))
            first, count = block.index + 1, 0
    if first < len(blocks):
        pages.append((first, len(blocks) - 1))
    return pages


def page_of(pages: list[tuple[int, int]], block: int) -> int:
    """The index of the page that holds ``block``."""
    for index, (first, last) in enumerate(pages):
        if first <= block <= last:
            return index
    return max(0, len(pages) - 1)


def find_anchor(blocks: tuple[Block, ...], anchor: dict[str, Any] | None) -> int:
    """The block a saved reading position points at: by its quote, near its old index.

    Falls back to the saved index (clamped), then to the first block with text.
    """
    first_text = next((b.index for b in blocks if b.text), 0)
    if not anchor or not blocks:
        return first_text
    quote = str(anchor.get("quote") or "")
    try:
        index = int(anchor.get("block", 0))
    except (TypeError, ValueError):
        index = 0
    if quote:
        matches = [b.index for b in blocks if b.text.startswith(quote)]
        if matches:
            return min(matches, key=lambda i: abs(i - index))
    return min(index, len(blocks) - 1) if index >= 0 else first_text


def anchor_for(block: Block) -> dict[str, Any]:
    """A reading position that survives reflow and small edits: block index and its opening words."""
    return {"block": block.index, "quote": block.text[:80]}
