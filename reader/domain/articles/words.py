"""Counting the words of a text, for reading times and for cutting a long article into pages.

Chinese and Japanese are written without spaces between words, so splitting on white space
finds one "word" per sentence or paragraph: a 5,000-character article read as "1 min", and a
long one drawn as a single page. Their characters are counted instead, two to a word (about
the ratio of their reading speed in characters to an English reader's in words). Korean spaces
its words, so Hangul is counted as any other script.
"""

from __future__ import annotations

import math
import re

_UNSPACED = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
"""Kana and Han ideographs: the letters of scripts that do not space their words."""

_PUNCTUATION = re.compile("[\u3000-\u303f\uff00-\uff65]")
"""CJK and full-width punctuation and spaces: not words, but they part them."""

CHARACTERS_PER_WORD = 2


def count_words(text: str) -> int:
    """Words in ``text``: runs between white space, with kana and Han characters counted two
    to a word."""
    if text.isascii():
        return len(text.split())
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    rest = _PUNCTUATION.sub(" ", _UNSPACED.sub(" ", text))
    return len(rest.split()) + math.ceil(unspaced / CHARACTERS_PER_WORD)
