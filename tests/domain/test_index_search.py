"""The index's full-text search: every matching article's id, however many match, whatever the id."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.articles.article import ArticleMeta
from reader.domain.articles.index import Entry, MetadataIndex


def _entry(n: int, id_: str) -> Entry:
    path = f"/library/{n}.txt"
    return Entry(path, 1, 1, ArticleMeta(id=id_, path=path, title=f"Title {n}"), None)


def test_a_word_in_more_than_a_hundred_thousand_articles_finds_every_one() -> None:
    index = MetadataIndex(None)
    try:
        count = 100_001
        index.put([(_entry(n, f"id{n}"), f"Title {n}\nthe government said {n}") for n in range(count)])
        found = index.search("government")
        assert len(found) == count
        assert found == {f"id{n}" for n in range(count)}
    finally:
        index.close()


ids = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), min_size=1, max_size=20)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(ids, st.booleans()), min_size=1, max_size=30, unique_by=lambda pair: pair[0]))
def test_search_gives_back_the_ids_it_was_given(articles: list[tuple[str, bool]]) -> None:
    index = MetadataIndex(None)
    try:
        index.put([(_entry(n, id_), f"Title {n}\n{'zebra' if has else 'yak'} grazing")
                   for n, (id_, has) in enumerate(articles)])
        assert index.search("zebra") == {id_ for id_, has in articles if has}
        assert index.search("grazing") == {id_ for id_, _ in articles}
        assert index.search("ZEB graz") == {id_ for id_, has in articles if has}
    finally:
        index.close()


def test_skipped_and_forgotten_files_are_not_found() -> None:
    index = MetadataIndex(None)
    try:
        index.put([(_entry(n, f"id{n}"), f"Title {n}\nzebra") for n in range(3)])
        index.put([(Entry("/library/1.txt", 2, 2, None, "unreadable"), "")])
        index.forget(["/library/2.txt"])
        assert index.search("zebra") == {"id0"}
    finally:
        index.close()
