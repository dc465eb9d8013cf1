"""The front matter of feed articles is byte for byte what yaml.dump writes, and reads back the same."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.articles.front_matter import front_matter

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_PIECES = st.sampled_from([
    "a", "Z", "é", "日本", "1", "2024", " ", "  ", ":", ": ", "#", " #", "-", "- ", "?", "'", '"', "\\", "/", "%", "@",
    "&", "*", "!", "|", ">", "[", "]", "{", "}", ",", "=", "~", "\t", "\xa0", "\u3000", "\u0301",
    "\U0001f600",
    "yes", "No", "null", "ON", "https://e.org/a?b=c#d", "2024-01-02T10:00:00+00:00", "0x1F", ".inf", "<<", "\ufeff",
])
_VALUES = st.lists(_PIECES, max_size=6).map("".join) | st.text(max_size=30)


def dump(meta: dict) -> str:
    return yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(["title", "author", "date", "url", "guid"]), _VALUES, min_size=1),
       st.lists(_VALUES, max_size=3))
def test_property_front_matter_is_what_yaml_dump_writes(meta: dict, tags: list[str]) -> None:
    if tags:
        meta["tags"] = tags
    assert front_matter(meta) == dump(meta)
    assert yaml.safe_load(front_matter(meta)) == meta


def test_typical_item_is_written_without_pyyaml() -> None:
    meta = {"title": "Item number 5", "author": "", "date": "2023-11-14T22:13:20+00:00", "source": "Bench feed",
            "url": "https://bench.example/items/5", "guid": "bench-5", "section": "Bench feed", "tags": ["news"]}
    assert front_matter(meta) == (
        "title: Item number 5\nauthor: ''\ndate: '2023-11-14T22:13:20+00:00'\nsource: Bench feed\n"
        "url: https://bench.example/items/5\nguid: bench-5\nsection: Bench feed\ntags:\n- news\n"
    )
    assert front_matter(meta) == dump(meta)
