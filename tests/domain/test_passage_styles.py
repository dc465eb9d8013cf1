"""Colours and tags: the palette as data, tag cleaning and counting, the records that carry them,
and the store's article tags and review schedules."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.domain.annotations.colors import BY_NAME, COLORS, UnknownColor, color_named, marker
from reader.domain.annotations.model import Annotation, Selectors
from reader.domain.annotations.tags import BadTag, MAX_TAG, clean_tag, count_tags, has_tags, merge_tags, tag_key
from reader.domain.store.store import Store

THEMES = Path(__file__).resolve().parents[2] / "themes"


def passage(**fields: object) -> Annotation:
    base = Annotation.new("a1", title="T", selectors=Selectors.for_span("one two three", 4, 7))
    return replace(base, **fields)  # type: ignore[arg-type]


# -- the palette --------------------------------------------------------------------------------


def test_the_default_colours_and_their_markers_differ_in_shape() -> None:
    assert [c.name for c in COLORS] == ["yellow", "green", "blue", "red", "purple"]
    for attribute in ("glyph", "ascii", "css", "theme_variable"):
        values = [getattr(c, attribute) for c in COLORS]
        assert len(set(values)) == len(values), attribute
    assert all(len(c.glyph) == 1 and c.ascii.isascii() and len(c.ascii) == 1 for c in COLORS)
    assert marker("red") == "◆" and marker("red", ascii_only=True) == "!" and marker("") == marker("teal") == ""


def test_colour_names_are_forgiving_of_case_and_unknown_ones_are_one_sentence() -> None:
    assert color_named(" Blue ") == "blue" and color_named("none") == color_named("NONE") == ""
    with pytest.raises(UnknownColor) as caught:
        color_named("pink\x1b[31m")
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value) and "yellow" in str(caught.value)


@pytest.mark.parametrize("path", sorted(THEMES.glob("*.toml")), ids=lambda p: p.stem)
def test_every_theme_sets_every_passage_colour(path: Path) -> None:
    from reader.ui.themes import theme_from_toml

    variables = tomllib.loads(path.read_text(encoding="utf-8"))["variables"]
    assert sorted(k for k in variables if k.startswith("passage-") and k != "passage-cursor") == sorted(
        c.theme_variable for c in COLORS)
    theme = theme_from_toml(path)  # the colours parse as Textual colours
    assert all(theme.variables[c.theme_variable] == variables[c.theme_variable] for c in COLORS)
    assert len({variables[c.theme_variable] for c in COLORS}) == len(COLORS)


# -- tags ---------------------------------------------------------------------------------------


def test_tags_are_cleaned_and_compared_without_case() -> None:
    assert clean_tag("  #city \t hall\x07 ") == "city hall"
    for bad in ("", "  ", "#", "\x1b", "x" * (MAX_TAG + 1)):
        with pytest.raises(BadTag):
            clean_tag(bad)
    assert merge_tags(["Science", "art"], ["science", "Law", "law"], ["ART"]) == ("Science", "Law")
    assert has_tags(["Science", "law"], ["LAW", "science"]) and not has_tags(["law"], ["law", "art"])


@given(st.lists(st.lists(st.sampled_from(["a", "A", "b", "c d", "É"]), max_size=4), max_size=6),
       st.lists(st.lists(st.sampled_from(["a", "b", "z"]), max_size=3), max_size=4))
def test_tag_counts_count_each_carrier_once(passages: list[list[str]], articles: list[list[str]]) -> None:
    rows = count_tags(passages, articles)
    for row in rows:
        key = tag_key(row.tag)
        assert row.passages == sum(any(tag_key(t) == key for t in tags) for tags in passages)
        assert row.articles == sum(any(tag_key(t) == key for t in tags) for tags in articles)
    totals = [r.passages + r.articles for r in rows]
    assert totals == sorted(totals, reverse=True) and len({tag_key(r.tag) for r in rows}) == len(rows)


# -- records ------------------------------------------------------------------------------------


def test_old_records_without_colour_or_tags_read_as_plain() -> None:
    old = passage().to_record()
    for key in ("color", "tags", "review"):
        old.pop(key, None)
    back = Annotation.from_record(old)
    assert (back.color, back.tags, dict(back.review), dict(back.extra)) == ("", (), {}, {})


def test_colour_tags_and_schedule_round_trip_through_a_record() -> None:
    a = passage(color="green", tags=("x", "Y"), review={"card": {"due": "2025-01-01"}})
    record = a.to_record()
    assert (record["color"], record["tags"], record["review"]) == ("green", ["x", "Y"], {"card": {"due": "2025-01-01"}})
    assert Annotation.from_record(json.loads(json.dumps(record))) == a


def test_shapes_this_version_cannot_read_survive_until_replaced() -> None:
    record = {**passage().to_record(), "color": {"rgb": [1, 2, 3]}, "tags": "not-a-list", "review": [1]}
    back = Annotation.from_record(record)
    assert (back.color, back.tags, dict(back.review)) == ("", (), {})
    kept = back.with_note("edited").to_record()
    assert (kept["color"], kept["tags"], kept["review"]) == ({"rgb": [1, 2, 3]}, "not-a-list", [1])
    replaced = back.restyled("red", ("t",)).to_record()
    assert (replaced["color"], replaced["tags"]) == ("red", ["t"])


# -- the store ----------------------------------------------------------------------------------


def test_article_tags_are_kept_in_the_store(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with Store.open(path) as store:
        assert store.set_article_tags("a1", lambda old: merge_tags(old, ["Local"])) == ("Local",)
        assert store.set_article_tags("a1", lambda old: merge_tags(old, ["city"])) == ("Local", "city")
        store.set_article_tags("a2", lambda old: ("x",))
        store.set_article_tags("a2", lambda old: ())
    with Store.open(path) as store:  # durable, and an untagged article leaves no record
        assert store.article_tags() == {"a1": ("Local", "city")}
    assert "a2" not in json.loads(path.read_text()).get("article_tags", {})


def test_saving_an_annotation_keeps_the_review_schedule_stored(tmp_path: Path) -> None:
    with Store.open(tmp_path / "notes.json") as store:
        read_before = store.add(passage(tags=("t",)))
        assert store.set_reviews({read_before.id: {"card": {"state": 2}}, "gone": {"card": {}}}) == 1
        store.put(read_before.with_note("edited while reviewing"))
        now = store.get(read_before.id)
        assert now is not None and now.note == "edited while reviewing" and now.review == {"card": {"state": 2}}
        assert now.tags == ("t",)


def test_a_theme_without_passage_colours_gets_reader_s_defaults(tmp_path: Path) -> None:
    from reader.ui.themes import THEME_VARIABLE_DEFAULTS, theme_from_toml

    path = tmp_path / "plain.toml"
    path.write_text('name = "plain"\nprimary = "#336699"\n', encoding="utf-8")
    theme = theme_from_toml(path)
    for color in COLORS:  # the app's defaults also cover Textual's built-in themes
        assert theme.variables[color.theme_variable] == THEME_VARIABLE_DEFAULTS[color.theme_variable]
