"""Text fragments (``#:~:text=``, the WICG "URL Fragment Text Directives" spec): making one that
leads a browser to a passage, and finding what one points at in a text, as a browser would.

Syntax: ``text=[prefix-,]textStart[,textEnd][,-suffix]``. Each part is percent-encoded except the
spec's TextDirectiveExplicitChar set (ASCII letters and digits and ``!$'()*+./:;=?@_~``), so
``-``, ``,`` and ``&``, which the syntax uses, are always encoded, and so is every other byte.

``find`` follows the spec's "find a range from a text directive" on plain text: a part matches
within one block (blocks are separated by newlines), at word boundaries, ignoring case and
accents (browsers search at primary collation strength) and treating any run of spaces as one;
the prefix and suffix must be separated from the match by white space only, which may cross
blocks. ``directive_for`` grows context until ``find`` resolves the directive to the passage.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from urllib.parse import quote, unquote

EXPLICIT = "!$'()*+./:;=?@_~"
"""Characters besides ASCII letters and digits that a text directive may hold unencoded."""
LONG_QUOTE = 150
"""Quotes longer than this (in characters) are given as ``textStart,textEnd``."""
EDGE_WORDS = (3, 6, 10)
"""How many words of the quote ``textStart`` and ``textEnd`` try, in turn."""
MAX_CONTEXT_WORDS = 40
"""The most words of prefix or suffix context a directive gets."""

_WORD = re.compile(r"\w+(?:['’.]\w+)*")


@dataclass(frozen=True)
class TextDirective:
    """The parts of one text directive, decoded."""

    start: str
    end: str = ""
    prefix: str = ""
    suffix: str = ""

    def encode(self) -> str:
        """The directive as it goes in a URL, after ``#:~:``: ``text=...``."""
        parts = [f"{_encode(self.prefix)}-"] if self.prefix else []
        parts.append(_encode(self.start))
        if self.end:
            parts.append(_encode(self.end))
        if self.suffix:
            parts.append(f"-{_encode(self.suffix)}")
        return "text=" + ",".join(parts)

    @classmethod
    def decode(cls, directive: str) -> "TextDirective":
        """The parts of ``text=...`` (with or without ``text=``); ``ValueError`` if malformed."""
        raw = directive.removeprefix("text=").split(",")
        prefix = raw.pop(0)[:-1] if raw and raw[0].endswith("-") and len(raw) > 1 else ""
        suffix = raw.pop()[1:] if raw and raw[-1].startswith("-") and len(raw) > 1 else ""
        if not 1 <= len(raw) <= 2 or not all(raw) or any(p.startswith("-") or p.endswith("-") for p in raw):
            raise ValueError(f"not a text directive: {directive[:60]!r}")
        start, end = raw[0], raw[1] if len(raw) == 2 else ""
        return cls(*(unquote(p, errors="strict") for p in (start, end, prefix, suffix)))


def directive_for(text: str, start: int, end: int) -> TextDirective:
    """A directive that leads to ``text[start:end]`` (widened to whole words), with as little
    context as makes ``find`` land on this occurrence; the most context tried if none does
    (the same words elsewhere, with the same surroundings, cannot be told apart)."""
    start, end = word_span(text, start, end)
    folded = _Folded(text)
    quote = text[start:end]
    tried = TextDirective(quote)
    for first, last in _edges(quote):
        for before, after in _contexts():
            prefix, suffix = _prefix(text, start, before), _suffix(text, end, after)
            if (before and not prefix) or (after and not suffix):
                continue
            tried = TextDirective(first, last, prefix, suffix)
            if _find(folded, tried) == (start, end):
                return tried
    return tried


def word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to whole words and without white space at either end."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _edges(quote: str) -> list[tuple[str, str]]:
    """The (textStart, textEnd) pairs to try: the whole quote, or its first and last words."""
    lines = quote.split("\n")
    if "\n" not in quote and len(" ".join(quote.split())) <= LONG_QUOTE:
        return [(quote, "")]
    head, tail = list(_WORD.finditer(lines[0])), list(_WORD.finditer(lines[-1]))
    pairs = []
    for n in EDGE_WORDS:
        if len(lines) == 1 and len(head) <= 2 * n:
            pairs.append((quote, ""))
            break
        first = lines[0][: head[min(n, len(head)) - 1].end()] if head else lines[0]
        last = lines[-1][tail[max(0, len(tail) - n)].start() :] if tail else lines[-1]
        pairs.append((first, last))
    return list(dict.fromkeys(pairs))


def _contexts() -> list[tuple[int, int]]:
    """(prefix words, suffix words) to try, least context first."""
    sizes = [1, 2, 3, 5, 8, 12, 20, MAX_CONTEXT_WORDS]
    return [(0, 0)] + [pair for k in sizes for pair in ((k, 0), (0, k), (k, k))]


def _prefix(text: str, start: int, words: int) -> str:
    """Up to ``words`` words before ``start``, from the block of the last word before it."""
    if not words:
        return ""
    stop = start
    while stop > 0 and text[stop - 1].isspace():
        stop -= 1
    block = text.rfind("\n", 0, stop) + 1
    found = list(_WORD.finditer(text, block, stop))
    return text[found[max(0, len(found) - words)].start() if found else block : stop].strip()


def _suffix(text: str, end: int, words: int) -> str:
    """Up to ``words`` words after ``end``, from the block of the first word after it."""
    if not words:
        return ""
    begin = end
    while begin < len(text) and text[begin].isspace():
        begin += 1
    block_end = text.find("\n", begin)
    block_end = len(text) if block_end < 0 else block_end
    found = list(_WORD.finditer(text, begin, block_end))
    return text[begin : found[min(words, len(found)) - 1].end() if found else block_end].strip()


def fragment_url(url: str, directive: TextDirective) -> str:
    """``url`` with its fragment replaced by the text directive (an existing ``#id`` is kept)."""
    base, _, fragment = url.partition("#")
    fragment = fragment.split(":~:", 1)[0]
    return f"{base}#{fragment}:~:{directive.encode()}"


def _encode(text: str) -> str:
    # ``quote`` never encodes "-" (nor "_.~", which the spec allows), so "-" is done here
    return quote(" ".join(text.split()), safe=EXPLICIT).replace("-", "%2D")


# Finding -------------------------------------------------------------------------------------


class _Folded:
    """A text folded for matching (case, accents, runs of space), with offsets back into it."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(text):
            if char.isspace():
                kind = "\n" if char == "\n" else " "
                if chars and chars[-1] in " \n":
                    if kind == "\n":
                        chars[-1] = "\n"
                    continue
                chars.append(kind)
                origin.append(index)
                continue
            for folded in _fold(char):
                chars.append(folded)
                origin.append(index)
        self.text = "".join(chars)
        self.origin = origin
        self.length = len(text)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original text of the folded ``[start, end)``."""
        return self.origin[start], self.origin[end - 1] + 1

    def at(self, offset: int) -> int:
        """The folded offset of the original ``offset`` (the first folded character at or after it)."""
        return bisect_left(self.origin, offset)

    def bounded(self, offset: int) -> bool:
        """True at a word boundary of the folded text."""
        t = self.text
        return offset <= 0 or offset >= len(t) or not (t[offset - 1].isalnum() and t[offset].isalnum())

    def search(self, query: str, start: int, start_bounded: bool, end_bounded: bool) -> tuple[int, int] | None:
        """The first match of folded ``query`` at or after ``start`` (never across a block)."""
        at = start
        while (found := self.text.find(query, at)) >= 0:
            end = found + len(query)
            if (not start_bounded or self.bounded(found)) and (not end_bounded or self.bounded(end)):
                return found, end
            at = found + 1
        return None

    def skip_space(self, offset: int) -> int:
        """The first offset at or after ``offset`` that is not white space."""
        while offset < len(self.text) and self.text[offset] in " \n":
            offset += 1
        return offset


def _fold(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold() or char


def _query(part: str) -> str:
    return "".join(_fold(c) for c in " ".join(part.split()))


def find(text: str, directive: TextDirective) -> tuple[int, int] | None:
    """Where a browser's match of ``directive`` is in ``text`` (offsets), or ``None``."""
    return _find(_Folded(text), directive)


def _find(folded: _Folded, directive: TextDirective) -> tuple[int, int] | None:
    start_q, end_q = _query(directive.start), _query(directive.end)
    prefix_q, suffix_q = _query(directive.prefix), _query(directive.suffix)
    if not start_q:
        return None
    must_end = bool(end_q) or not suffix_q
    search_from = 0
    while search_from <= len(folded.text):
        if prefix_q:
            before = folded.search(prefix_q, search_from, True, False)
            if before is None:
                return None
            search_from = before[0] + 1
            match_start = folded.skip_space(before[1])
            if match_start >= len(folded.text):
                return None
            match = folded.search(start_q, match_start, False, must_end)
            if match is None:
                return None
            if match[0] != match_start:
                continue
        else:
            match = folded.search(start_q, search_from, True, must_end)
            if match is None:
                return None
            search_from = match[0] + 1
        found = _range_end(folded, match, end_q, suffix_q)
        if found == "none":
            return None
        if found is not None:
            return folded.span(*found)
    return None


def _range_end(folded: _Folded, match: tuple[int, int], end_q: str, suffix_q: str) -> tuple[int, int] | str | None:
    """The whole match from ``match`` on (textEnd and suffix checked); ``None``: try the next
    start; ``"none"``: no match anywhere."""
    end_from = match[1]
    while True:
        whole, last = match, None
        if end_q:
            last = folded.search(end_q, end_from, True, not suffix_q)
            if last is None:
                return "none"
            whole = (match[0], last[1])
        if not suffix_q:
            return whole
        suffix_at = folded.skip_space(whole[1])
        after = folded.search(suffix_q, suffix_at, False, True)
        if after is None:
            return "none"
        if after[0] == suffix_at:
            return whole
        if last is None:
            return None
        end_from = last[0] + 1
