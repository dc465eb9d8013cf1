"""Text fragments and citations: encoding as the WICG spec says, and that the fragment leads back
to the passage (property tests over texts made to repeat themselves)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reader.domain.annotations.citation import cite
from reader.domain.annotations.model import Annotation, Selectors
from reader.domain.annotations.text_fragment import (
    LONG_QUOTE, TextDirective, directive_for, find, fragment_url, word_span,
)

# The spec's TextDirectiveParameter: (TextDirectiveExplicitChar | PercentEncodedByte)+
PARAMETER = re.compile(r"(?:[A-Za-z0-9!$'()*+./:;=?@_~]|%[0-9A-F]{2})+")


def directive_parts(encoded: str) -> list[str]:
    assert encoded.startswith("text=")
    parts = encoded[5:].split(",")
    return [p.removesuffix("-") if i == 0 else p.removeprefix("-") for i, p in enumerate(parts)]


def folded(text: str) -> str:
    """Text as the spec's find compares it: whitespace runs, case and accents ignored (browsers
    match at collation primary strength), so 'rôle' and 'ROLE' are the same words."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_the_characters_the_syntax_uses_are_percent_encoded() -> None:
    encoded = TextDirective("fast - and, far & away #1 %", "x", "a-b", "c,d").encode()
    assert encoded == "text=a%2Db-,fast%20%2D%20and%2C%20far%20%26%20away%20%231%20%25,x,-c%2Cd"
    assert TextDirective("ça va ✓").encode() == "text=%C3%A7a%20va%20%E2%9C%93"
    assert TextDirective.decode(encoded) == TextDirective("fast - and, far & away #1 %", "x", "a-b", "c,d")
    for bad in ("text=", "text=a,b,c", "text=-a", "text=a-", "text=%FF"):
        with pytest.raises(ValueError):
            TextDirective.decode(bad)


def test_fragment_urls_keep_the_page_and_an_element_id() -> None:
    d = TextDirective("x")
    assert fragment_url("https://e.x/a?q=1", d) == "https://e.x/a?q=1#:~:text=x"
    assert fragment_url("https://e.x/a#sec:~:text=old", d) == "https://e.x/a#sec:~:text=x"


def test_find_follows_the_spec_on_word_boundaries_case_and_context() -> None:
    text = "Category cats. The Cat sat.\nA cat ran; the cat sat down."
    assert find(text, TextDirective("cat")) == (19, 22)  # not inside "Category" or "cats"; case ignored
    assert find(text, TextDirective("cat", suffix="ran")) == (30, 33)
    assert find(text, TextDirective("cat sat", prefix="the")) == (19, 26)
    assert find(text, TextDirective("cat sat", prefix="the", suffix="down")) == (43, 50)
    assert find(text, TextDirective("sat.", prefix="cat", suffix="A cat")) == (23, 27)  # context may cross blocks
    assert find(text, TextDirective("sat. A")) is None  # a part never crosses a block
    assert find(text, TextDirective("The", "ran")) == (15, 37)
    assert find(text, TextDirective("cat", suffix="nowhere")) is None


def test_long_and_multi_block_quotes_use_start_and_end() -> None:
    text = " ".join(f"w{i}" for i in range(100)) + "\nnext block here"
    start, end = 3, text.index("here") + 4
    d = directive_for(text, start, end)
    assert d.end and find(text, d) == (start, end)
    assert len(d.start) < LONG_QUOTE and len(d.end) < LONG_QUOTE


def test_a_partial_word_is_widened_to_the_word() -> None:
    assert word_span("The council voted", 6, 9) == (4, 11)
    assert word_span("a  b  ", 1, 6) == (3, 4)


WORDS = st.sampled_from(["the", "The", "cat", "sat", "on", "mat", "a-b", "x,y", "&", "rôle", "ROLE", "."])


@st.composite
def texts_and_spans(draw: st.DrawFn, blocks: int = 4) -> tuple[str, int, int]:
    """A text from a tiny vocabulary (so quotes repeat) and a whole-word span of it."""
    lines = draw(st.lists(st.lists(WORDS, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=blocks))
    text = "\n".join(lines)
    words = [m.span() for m in re.finditer(r"\S+", text)]
    i = draw(st.integers(0, len(words) - 1))
    j = draw(st.integers(i, min(len(words) - 1, i + draw(st.integers(0, 40)))))
    return text, words[i][0], words[j][1]


@settings(max_examples=300, deadline=None)
@given(texts_and_spans())
def test_decoding_the_fragment_gives_back_the_quote(case: tuple[str, int, int]) -> None:
    text, start, end = case
    start, end = word_span(text, start, end)
    encoded = directive_for(text, start, end).encode()
    assert all(PARAMETER.fullmatch(p) for p in directive_parts(encoded)), encoded
    decoded = TextDirective.decode(encoded)
    assert [unquote(p) for p in directive_parts(encoded)] == [
        p for p in (decoded.prefix, decoded.start, decoded.end, decoded.suffix) if p]
    found = find(text, decoded)
    assert found is not None
    got, quote = folded(text[found[0]:found[1]]), folded(text[start:end])
    if decoded.end:  # a multi-block quote: its first and last words, which need not be unique
        assert got.startswith(folded(decoded.start)) and got.endswith(folded(decoded.end))
        assert quote.startswith(folded(decoded.start)) and quote.endswith(folded(decoded.end))
    else:
        assert got == quote == folded(decoded.start)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 10**6).map(lambda n: f"w{n}"), min_size=1, max_size=30).map(" ".join),
                min_size=1, max_size=5).map("\n".join), st.data())
def test_with_distinct_words_any_span_is_found_exactly(text: str, data: st.DataObject) -> None:
    words = [m.span() for m in re.finditer(r"\S+", text)]
    assume(len(set(text.split())) == len(words))
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(i, len(words) - 1))
    d = directive_for(text, words[i][0], words[j][1])
    assert find(text, d) == (words[i][0], words[j][1])
    assert not d.prefix and not d.suffix


@settings(max_examples=300, deadline=None)
@given(texts_and_spans(blocks=1))
def test_within_one_block_the_fragment_finds_this_very_occurrence(case: tuple[str, int, int]) -> None:
    text, start, end = case
    start, end = word_span(text, start, end)
    assert find(text, directive_for(text, start, end)) == (start, end)


@settings(max_examples=200, deadline=None)
@given(texts_and_spans())
def test_an_ambiguous_quote_gets_context(case: tuple[str, int, int]) -> None:
    text, start, end = case
    start, end = word_span(text, start, end)
    d = directive_for(text, start, end)
    first = find(text, TextDirective(d.start, d.end))
    if first != (start, end):  # the quote alone would lead elsewhere: context, if there is any
        assert d.prefix or d.suffix or not (text[:start].strip() or text[end:].strip())
    else:
        assert not d.prefix and not d.suffix


def test_a_citation_of_the_third_occurrence_links_to_it() -> None:
    text = "The plan passed.\n\nThe plan passed again.\n\nThe plan passed."
    start = text.rindex("The plan passed.")
    a = Annotation.new("a1", title="A *title*", url="https://news.example/p",
                       selectors=Selectors.for_span(text, start, start + 16))
    c = cite(a, text, source="The Gazette")
    assert c.url == "https://news.example/p#:~:text=again.-,The%20plan%20passed."
    assert find(text, TextDirective.decode(c.url.split(":~:")[1])) == (start, start + 16)
    assert c.as_markdown() == ("> The plan passed.\n\n— [*A \\*title\\**](<https://news.example/p#:~:text=again.-,"
                               "The%20plan%20passed.>), The Gazette\n")
    assert c.as_text() == "“The plan passed.”\n— A *title*, The Gazette\nhttps://news.example/p#:~:text=again.-,The%20plan%20passed.\n"


def test_a_citation_without_a_web_address_or_text_still_cites() -> None:
    a = Annotation.new("a1", title="T", url="file:///x", selectors=Selectors.for_span("one, two", 0, 8))
    assert cite(a, None).url == "" and cite(a, None).as_text() == "“one, two”\n— T\n"
    web = cite(a, None, url="https://www.example.org/x")
    assert web.url == "https://www.example.org/x#:~:text=one%2C%20two" and web.source == "example.org"
