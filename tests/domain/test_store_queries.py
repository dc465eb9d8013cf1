"""The store's cheap queries: counts per article and search over notes."""

from pathlib import Path

from reader.domain.annotations import Annotation, Selectors
from reader.domain.store import Store


def _bookmark(article: str, quote: str, note: str = "", title: str = "T") -> Annotation:
    text = f"before {quote} after"
    return Annotation.new(article, title=title, selectors=Selectors.for_span(text, 7, 7 + len(quote)), note=note)


def test_counts_per_article_match_the_annotations(tmp_path: Path) -> None:
    with Store.open(tmp_path / "reader.json") as store:
        for item in [_bookmark("a", "x"), _bookmark("a", "y"), _bookmark("b", "z"), Annotation.new("c", note="n")]:
            store.add(item)
        assert store.annotation_counts() == {"a": 2, "b": 1, "c": 1}
        gone = store.annotations("a")[0]
        store.delete(gone.id)
        assert store.annotation_counts() == {"a": 1, "b": 1, "c": 1}


def test_search_notes_looks_at_note_quote_and_title_case_insensitively(tmp_path: Path) -> None:
    with Store.open(tmp_path / "reader.json") as store:
        store.add(_bookmark("a", "Soybean purchases", note="check tonnage"))
        store.add(_bookmark("b", "critical minerals", title="Minerals Summit"))
        store.add(_bookmark("c", "unrelated"))
        assert {a.article for a in store.search_notes("TONNAGE")} == {"a"}
        assert {a.article for a in store.search_notes("soybean")} == {"a"}
        assert {a.article for a in store.search_notes("summit")} == {"b"}
        assert store.search_notes("") == []


def test_articles_with_notes_gives_article_ids(tmp_path: Path) -> None:
    with Store.open(tmp_path / "reader.json") as store:
        store.add(_bookmark("a", "Soybean purchases", note="check tonnage"))
        store.add(_bookmark("a", "other", note="tonnage again"))
        store.add(_bookmark("b", "critical minerals"))
        assert store.articles_with_notes("Tonnage") == {"a"}
        assert store.articles_with_notes("minerals") == {"b"}
        assert store.articles_with_notes("") == set()
