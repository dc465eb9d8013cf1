"""Cut text ends in ``…`` right after the last character kept, never after a space."""

from reader.domain.articles.cleaning import shorten


def test_shorten_keeps_short_text_and_cuts_long_text_with_an_ellipsis() -> None:
    assert shorten("Short", 10) == "Short"
    assert shorten("A longer title", 6) == "A lon…"


def test_a_cut_after_a_word_leaves_no_space_before_the_ellipsis() -> None:
    assert shorten("Phone, Predicts", 8) == "Phone,…"
