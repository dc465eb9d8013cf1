"""Export and import: golden examples, lossless round trips, idempotent import, bad files."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.annotations.model import Annotation, Selectors, TextPosition, TextQuote
from reader.domain.articles.cleaning import clean_text
from reader.domain.annotations.exchange import export_json, export_markdown, export_w3c, parse_import
from reader.domain.annotations.exports.hypothesis import export_hypothesis

PASSAGE = Annotation(
    id="0f8e3b1c-5d2a-4c6e-9b7f-1a2b3c4d5e6f",
    article="a1b2c3",
    title="Tides of Change",
    url="https://example.org/tides",
    selectors=Selectors(TextQuote("The sea rose.\nThen it fell.", "Before that, ", " After"), TextPosition(12, 39), (2, 3)),
    note="Worth **rereading**.",
    created="2025-01-02T03:04:05.000006Z",
    updated="2025-01-03T00:00:00.000000Z",
)
ARTICLE_NOTE = Annotation(
    id="7c9d2e4f-0000-4000-8000-000000000001",
    article="a1b2c3",
    title="Tides of Change",
    url="https://example.org/tides",
    note="A whole-article thought.",
    created="2025-01-02T00:00:00.000000Z",
    updated="2025-01-02T00:00:00.000000Z",
)
BOOKMARK = Annotation(
    id="9a9a9a9a-1111-4222-8333-444444444444",
    article="zz99",
    selectors=Selectors(TextQuote("Short one."), TextPosition(0, 10)),
    created="2025-02-01T00:00:00.000000Z",
    updated="2025-02-01T00:00:00.000000Z",
)
EXAMPLES = [PASSAGE, ARTICLE_NOTE, BOOKMARK]


def records(annotations: list[Annotation]) -> list[dict[str, Any]]:
    """Everything about each annotation, ``extra`` included (equality ignores it)."""
    return [a.to_record() for a in annotations]


# Golden examples ----------------------------------------------------------------------------


def test_json_export_golden() -> None:
    text = export_json([PASSAGE, ARTICLE_NOTE])
    assert text.endswith("}\n") and '\n  "format": "reader-annotations",\n' in text
    assert json.loads(text) == {
        "format": "reader-annotations",
        "version": 1,
        "annotations": [
            {
                "id": "0f8e3b1c-5d2a-4c6e-9b7f-1a2b3c4d5e6f",
                "article": "a1b2c3",
                "title": "Tides of Change",
                "url": "https://example.org/tides",
                "quote": "The sea rose.\nThen it fell.",
                "note": "Worth **rereading**.",
                "created": "2025-01-02T03:04:05.000006Z",
                "updated": "2025-01-03T00:00:00.000000Z",
                "color": "",
                "tags": [],
                "selectors": {
                    "quote": {"exact": "The sea rose.\nThen it fell.", "prefix": "Before that, ", "suffix": " After"},
                    "position": {"start": 12, "end": 39},
                    "blocks": [2, 3],
                },
            },
            {
                "id": "7c9d2e4f-0000-4000-8000-000000000001",
                "article": "a1b2c3",
                "title": "Tides of Change",
                "url": "https://example.org/tides",
                "quote": "",
                "note": "A whole-article thought.",
                "created": "2025-01-02T00:00:00.000000Z",
                "updated": "2025-01-02T00:00:00.000000Z",
                "selectors": None,
                "color": "",
                "tags": [],
            },
        ],
    }


def test_w3c_export_golden() -> None:
    document = json.loads(export_w3c(EXAMPLES))
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    assert document["total"] == 3
    page = document["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0
    passage, article_note, bookmark = page["items"]
    assert passage == {
        "id": "urn:uuid:0f8e3b1c-5d2a-4c6e-9b7f-1a2b3c4d5e6f",
        "type": "Annotation",
        "motivation": "commenting",
        "created": "2025-01-02T03:04:05.000006Z",
        "modified": "2025-01-03T00:00:00.000000Z",
        "body": {
            "type": "TextualBody",
            "value": "Worth **rereading**.",
            "format": "text/markdown",
            "purpose": "commenting",
        },
        "target": {
            "source": "https://example.org/tides",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "The sea rose.\nThen it fell.",
                    "prefix": "Before that, ",
                    "suffix": " After",
                },
                {"type": "TextPositionSelector", "start": 12, "end": 39},
            ],
        },
        "reader:article": "a1b2c3",
        "reader:blocks": [2, 3],
        "reader:title": "Tides of Change",
    }
    assert article_note["target"] == "https://example.org/tides"  # the document itself, as an IRI
    assert bookmark["motivation"] == "bookmarking" and "body" not in bookmark
    assert bookmark["target"]["source"] == "urn:reader:article:zz99"
    assert bookmark["target"]["selector"][0] == {"type": "TextQuoteSelector", "exact": "Short one."}


MARKDOWN = """\
## Tides of Change

[Source](<https://example.org/tides>)

A whole-article thought.

> The sea rose.
> Then it fell.

^0f8e3b1c

Worth **rereading**.

## Untitled article

> Short one.

^9a9a9a9a
"""


def test_markdown_export_golden() -> None:
    assert export_markdown(EXAMPLES) == MARKDOWN
    assert export_markdown([]) == ""


def test_markdown_groups_by_article_in_first_appearance_and_passages_in_text_order() -> None:
    later = replace(PASSAGE, id="11111111-0000-4000-8000-000000000000", selectors=Selectors.for_span("x" * 99, 80, 90))
    text = export_markdown([BOOKMARK, later, ARTICLE_NOTE, PASSAGE])
    assert text.index("## Untitled article") < text.index("## Tides of Change")
    section = text[text.index("## Tides of Change") :]
    assert section.index("A whole-article thought.") < section.index("^0f8e3b1c") < section.index("^11111111")


def test_markdown_titles_lose_newlines_but_notes_are_kept_as_markdown() -> None:
    odd = replace(
        PASSAGE,
        title="Evil\n# Heading injection\r\nand more",
        url="https://x.example/a b<c>\n",
        note="- a list\n- in a *note*\n\n```\ncode\n```",
        selectors=Selectors(TextQuote("line one\n\nline three"), TextPosition(0, 20)),
    )
    text = export_markdown([odd])
    assert text.splitlines()[0] == "## Evil # Heading injection and more"
    assert "[Source](<https://x.example/a b%3Cc%3E>)" in text
    assert "> line one\n>\n> line three\n\n^0f8e3b1c\n" in text
    assert "- a list\n- in a *note*\n\n```\ncode\n```\n" in text


def test_markdown_block_ids_are_unique_in_a_file() -> None:
    twin = replace(PASSAGE, id="0f8e3b1c-ffff-4fff-8fff-ffffffffffff")
    odd = replace(PASSAGE, id="not a uuid")
    text = export_markdown([PASSAGE, twin, odd])
    ids = [line for line in text.splitlines() if line.startswith("^")]
    assert len(ids) == len(set(ids)) == 3
    assert ids[:2] == ["^0f8e3b1c", "^0f8e3b1cffff"]
    assert all(set(i[1:]) <= set("0123456789abcdef-") for i in ids)


# Round trips ---------------------------------------------------------------------------------

_KNOWN = {"id", "article", "title", "url", "quote", "note", "created", "updated", "selectors", "color", "tags", "review"}
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_clean = st.text().map(clean_text)


@st.composite
def annotations(
    draw: st.DrawFn, text: st.SearchStrategy[str] = _clean, ids: st.SearchStrategy[str] | None = None
) -> Annotation:
    """Any annotation, passage or article note, whose strings come from ``text``."""
    present = text.filter(lambda s: clean_text(s).strip() != "")
    selectors = None
    if draw(st.booleans()):
        start = draw(st.integers(0, 10**6))
        selectors = Selectors(
            TextQuote(draw(text), draw(text), draw(text)),
            TextPosition(start, start + draw(st.integers(0, 10**4))),
            (draw(st.integers(0, 999)), draw(st.integers(0, 999))),
        )
    return Annotation(
        id=draw(ids if ids is not None else present),
        article=draw(present),
        title=draw(text),
        url=draw(text.filter(lambda u: not u.startswith("urn:reader:article:"))),
        selectors=selectors,
        note=draw(text),
        created=draw(text),
        updated=draw(text),
        color=draw(st.sampled_from(["", "yellow", "green", "blue", "red", "purple", "teal"])),
        tags=tuple(dict.fromkeys(draw(st.lists(st.sampled_from(["a", "B", "c d", "ünï"]), max_size=3)))),
        review=draw(st.dictionaries(st.sampled_from(["card", "shown", "answers"]), _json_values, max_size=2)),
        extra=draw(st.dictionaries(st.text(max_size=8).filter(lambda k: k not in _KNOWN), _json_values, max_size=3)),
    )


def cleaned(a: Annotation) -> Annotation:
    """What importing promises for ``a``: every string through ``clean_text``."""
    s = a.selectors
    if s is not None:
        s = replace(s, quote=TextQuote(*(clean_text(x) for x in (s.quote.exact, s.quote.prefix, s.quote.suffix))))
    fields = ("id", "article", "title", "url", "note", "created", "updated")
    return replace(a, selectors=s, **{k: clean_text(getattr(a, k)) for k in fields})


@settings(max_examples=150, deadline=None)
@given(st.lists(annotations(), max_size=4))
def test_json_round_trip_is_lossless(items: list[Annotation]) -> None:
    assert records(parse_import(export_json(items))) == records(items)


@settings(max_examples=150, deadline=None)
@given(st.lists(annotations(text=st.text(), ids=st.text().filter(lambda s: clean_text(s).strip())), max_size=4))
def test_json_export_survives_any_string(items: list[Annotation]) -> None:
    text = export_json(items)
    text.encode("utf-8")  # writable as a file, even with lone surrogates
    assert json.loads(text)["annotations"] == records(items)
    assert records(parse_import(text)) == records([cleaned(a) for a in items])


@settings(max_examples=150, deadline=None)
@given(st.lists(annotations(ids=st.uuids().map(str)), max_size=4))
def test_w3c_round_trip_is_lossless(items: list[Annotation]) -> None:
    assert records(parse_import(export_w3c(items))) == records(items)


@settings(max_examples=150, deadline=None)
@given(st.lists(annotations(ids=st.uuids().map(str)), max_size=4))
def test_hypothesis_round_trip_is_lossless(items: list[Annotation]) -> None:
    assert records(parse_import(export_hypothesis(items, "2025-01-01T00:00:00Z", "1"))) == records(items)


def test_foreign_hypothesis_annotations_import_with_stable_ids() -> None:
    foreign = {"annotations": [{"id": "Ab3dEfGhIjK", "uri": "https://news.example/a", "text": "hm",
                                "tags": ["x", 3, " "], "document": {"title": ["A page"]},
                                "target": [{"source": "https://news.example/a", "selector": [
                                    {"type": "RangeSelector", "startContainer": "/p[1]"},
                                    {"type": "TextQuoteSelector", "exact": "quoted words", "prefix": "the "}]}]}]}
    (first,), (second,) = parse_import(json.dumps(foreign)), parse_import(json.dumps(foreign))
    assert first.id == second.id != "Ab3dEfGhIjK" and first.article == first.url == "https://news.example/a"
    assert (first.title, first.note, first.tags, first.quote) == ("A page", "hm", ("x",), "quoted words")


@settings(max_examples=50, deadline=None)
@given(st.lists(annotations(), max_size=3))
def test_w3c_round_trip_keeps_ids_that_are_not_uuids(items: list[Annotation]) -> None:
    assert [a.id for a in parse_import(export_w3c(items))] == [a.id for a in items]


@pytest.mark.parametrize("export", [export_json, export_w3c])
def test_importing_the_same_file_twice_gives_the_same_ids(export: Any) -> None:
    data = export(EXAMPLES)
    first, second = parse_import(data), parse_import(data)
    assert [a.id for a in first] == [a.id for a in second] == [a.id for a in EXAMPLES]
    assert first == second == EXAMPLES


def test_imported_text_is_cleaned() -> None:
    nasty = replace(PASSAGE, title="Bad\x1b[31m title\u202e", note="note\x07\r\nline", url="https://e.x/\x00")
    (back,) = parse_import(export_json([nasty]))
    assert (back.title, back.note, back.url) == ("Bad[31m title", "note\nline", "https://e.x/")
    (back,) = parse_import(export_w3c([nasty]))
    assert (back.title, back.note, back.url) == ("Bad[31m title", "note\nline", "https://e.x/")


def test_foreign_w3c_annotations_import_with_stable_ids() -> None:
    foreign = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://annotations.example/a/42",
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "value": "A comment", "purpose": "commenting"},
            {"type": "TextualBody", "value": "a-tag", "purpose": "tagging"},
        ],
        "target": {
            "source": "https://news.example/story",
            "selector": {"type": "TextQuoteSelector", "exact": "quoted words"},
        },
    }
    data = json.dumps(foreign)
    (first,), (second,) = parse_import(data), parse_import(json.dumps([foreign]))
    assert first.id == second.id
    assert first.article == first.url == "https://news.example/story"
    assert first.note == "A comment"
    assert first.selectors == Selectors(TextQuote("quoted words"), TextPosition(0, 0))
    page = {"type": "AnnotationPage", "items": [dict(foreign, id=None, bodyValue="plain")]}
    (third,) = parse_import(json.dumps(page))
    assert third.note == "plain" and third.id == parse_import(json.dumps(page))[0].id != first.id


# Bad files -----------------------------------------------------------------------------------

_ours = '{{"format": "reader-annotations", "version": 1, "annotations": [{}]}}'
_w3c = '{{"type": "Annotation", "id": "urn:uuid:1", "target": {{{}}}}}'
BAD = {
    "empty": "",
    "not json": "annotations, please",
    "truncated": '{"format": "reader-annotations", "version": 1, "annotations": [',
    "number": "42",
    "empty object": "{}",
    "list of numbers": "[1, 2]",
    "other format": '{"format": "something-else", "annotations": []}',
    "version as text": '{"format": "reader-annotations", "version": "1", "annotations": []}',
    "no list": '{"format": "reader-annotations", "version": 1, "annotations": {}}',
    "record not object": _ours.format("1"),
    "record without id": _ours.format('{"article": "a"}'),
    "blank id": _ours.format('{"id": " ", "article": "a"}'),
    "backwards position": _ours.format(
        '{"id": "x", "article": "a", "selectors": {"quote": {"exact": "q"}, "position": {"start": 5, "end": 2}}}'
    ),
    "infinite position": _ours.format(
        '{"id": "x", "article": "a", "selectors": {"quote": {"exact": "q"}, "position": {"start": 1e999, "end": 2}}}'
    ),
    "nan position": _ours.format(
        '{"id": "x", "article": "a", "selectors": {"quote": {"exact": "q"}, "position": {"start": NaN, "end": 2}}}'
    ),
    "huge integer": _ours.format(
        '{"id": "x", "article": "a", "selectors": {"quote": {"exact": "q"}, "position": {"start": 1'
        + "0" * 5000
        + ', "end": 2}}}'
    ),
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "w3c without target": '{"type": "Annotation", "id": "urn:uuid:1"}',
    "w3c target without source": _w3c.format('"selector": []'),
    "w3c css selector only": _w3c.format('"source": "https://x", "selector": {"type": "CssSelector", "value": "p"}'),
    "w3c bad position": _w3c.format(
        '"source": "https://x", "selector": [{"type": "TextQuoteSelector", "exact": "q"},'
        ' {"type": "TextPositionSelector", "start": "one", "end": 2}]'
    ),
    "w3c selector type not a string": _w3c.format(
        '"source": "https://x", "selector": [{"type": {"a": "TextQuoteSelector"}, "exact": "q"}, 7]'
    ),
    "w3c paged collection": '{"type": "AnnotationCollection", "first": "https://x/page1"}',
    "w3c page without items": '{"type": "AnnotationPage"}',
    "w3c item of another type": '{"type": "AnnotationPage", "items": [{"type": "Note"}]}',
}


@pytest.mark.parametrize("data", BAD.values(), ids=BAD.keys())
def test_bad_files_raise_one_clear_sentence(data: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_import(data)
    message = str(caught.value)
    assert json_error_only_when_unreadable(data, message)
    assert message[0].isupper() and message.endswith(".") and "\n" not in message and len(message) < 200


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_import("\ufeff" + export_json(EXAMPLES)) == EXAMPLES


def json_error_only_when_unreadable(data: str, message: str) -> bool:
    """Files Python's json module reads must be rejected for their shape, not as bad JSON."""
    try:
        json.loads(data)
    except (ValueError, RecursionError):
        return True
    return "JSON (line" not in message


_json_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["format", "version", "annotations", "type", "id", "target", "source", "selector", "first",
             "items", "body", "exact", "start", "end", "selectors", "quote", "position", "article",
             "reader:blocks", "reader:article", "reader:extra", "value", "purpose", "blocks"]
        ) | st.text(max_size=4),
        inner,
        max_size=6,
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_json_documents)
def test_any_json_either_imports_or_raises_value_error(document: Any) -> None:
    try:
        result = parse_import(json.dumps(document))
    except ValueError:
        return
    assert all(isinstance(a, Annotation) and a.id.strip() and a.article.strip() for a in result)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([export_json, export_w3c]), st.data())
def test_damaged_exports_either_import_or_raise_value_error(export: Any, data: st.DataObject) -> None:
    text = export(EXAMPLES)
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 20))
    noise = data.draw(st.text(alphabet='{}[]",:0123456789-e.ntrufalsTx ', max_size=8))
    damaged = text[:at] + noise + text[at + cut :]
    try:
        parse_import(damaged)
    except ValueError:
        pass


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON tree, as a path of keys and indexes."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([export_json, export_w3c]), st.data())
def test_exports_with_any_value_swapped_either_import_or_raise_value_error(
    export: Any, data: st.DataObject
) -> None:
    document = json.loads(export(EXAMPLES))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(document)))
        value = data.draw(_json_documents)
        if not path:
            document = value
            continue
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = value
    try:
        parse_import(json.dumps(document))
    except ValueError:
        pass
