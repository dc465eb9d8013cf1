"""What every anchoring result must satisfy, whatever the inputs (shared by the anchoring tests)."""

from __future__ import annotations

from reader.domain.annotations.anchoring import Anchor
from reader.domain.annotations.model import Selectors


def check_invariants(text: str, selectors: Selectors, result: Anchor) -> None:
    """``exact`` and ``moved`` only for the quote's very text, ``exact`` only at its stored
    position, ``fuzzy`` only for other text; an orphan has no place."""
    exact = selectors.quote.exact
    if result.status == "orphaned":
        assert (result.start, result.end, result.text) == (None, None, None)
        return
    assert result.start is not None and result.end is not None
    assert 0 <= result.start < result.end <= len(text)
    assert result.text == text[result.start : result.end]
    if result.status == "exact":
        assert result.text == exact and result.start == selectors.position.start
    elif result.status == "moved":
        assert result.text == exact and result.start != selectors.position.start
    else:
        assert result.status == "fuzzy" and result.text != exact
