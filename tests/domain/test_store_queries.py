"""The store's cheap queries: counts per article and search over notes."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.domain.annotations.model import Annotation, Selectors
from reader.domain.store.store import Store


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


# -- the per-article groups stay in step with the records --------------------------------------

ARTICLES = ["a", "b", "c"]
WORDS = ["tonnage", "Minerals", "soy", "ß", "x\x00y"]
steps = st.lists(
    st.tuples(
        st.sampled_from(["add", "add", "edit", "move", "delete", "other", "compact"]),
        st.integers(0, 1),  # which of two stores (two processes sharing the files)
        st.sampled_from(ARTICLES),
        st.sampled_from(WORDS),
    ),
    max_size=25,
)


def _brute_force(store: Store, needle: str) -> tuple[dict[str, int], set[str]]:
    """Counts and note matches computed from every record, as the store did before it had groups."""
    records = store._storage.tables.get("annotations", {}).values()
    counts: dict[str, int] = {}
    for r in records:
        counts[r["article"]] = counts.get(r["article"], 0) + 1
    folded = needle.casefold()
    found = {r["article"] for r in records if any(folded in str(r.get(f) or "").casefold() for f in ("note", "quote", "title"))}
    return counts, found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_groups_follow_every_write_from_either_process(tmp_path_factory, steps) -> None:
    path = tmp_path_factory.mktemp("groups") / "reader.json"
    with Store.open(path) as one, Store.open(path) as two:
        stores = [one, two]
        for action, who, article, word in steps:
            store = stores[who]
            mine = store.annotations()
            if action == "add":
                store.add(_bookmark(article, f"quote {word}", note=f"note {word}"))
            elif action == "edit" and mine:
                store.put(mine[0].with_note(f"edited {word}"))
            elif action == "move" and mine:
                store.put(Annotation(**{**mine[-1].__dict__, "article": article}))
            elif action == "delete" and mine:
                store.delete(mine[0].id)
            elif action == "other":
                store.set_reading_state(article)
            elif action == "compact":
                store._storage.write(store._storage.tables)
            for each in stores:
                each.annotation_counts()  # catches up with the other store's writes first
                for needle in ["tonnage", "minerals", "SOY", "edited", "ss", "\x00", "quote"]:
                    counts, found = _brute_force(each, needle)
                    assert each.articles_with_notes(needle) == found
                    assert {a.article for a in each.search_notes(needle)} == found
                    assert each.annotation_counts() == counts
                for name in ARTICLES:
                    expected = sorted(r["id"] for r in each._storage.tables.get("annotations", {}).values() if r["article"] == name)
                    assert sorted(a.id for a in each.annotations(name)) == expected
    with Store.open(path) as reopened:
        counts, _ = _brute_force(reopened, "")
        assert reopened.annotation_counts() == counts


def test_a_reopened_store_shares_repeated_strings_without_changing_a_value(tmp_path: Path) -> None:
    path = tmp_path / "reader.json"
    with Store.open(path) as store:
        for quote in ("first passage", "second passage"):
            store.add(_bookmark("a", quote, note="n"))
        before = store.annotations()
        store._storage.write(store._storage.tables)  # a compaction: the next open decodes a snapshot
    with Store.open(path) as store:
        assert store.annotations() == before
        one, two = store._storage.tables["annotations"].values()
        assert one["article"] is two["article"] and one["title"] is two["title"]
        assert one["selectors"]["quote"]["exact"] is one["quote"]
        assert one["updated"] is one["created"]
        key = next(iter(store._storage.tables["annotations"]))
        assert store._storage.tables["annotations"][key]["id"] is key
        assert list(one)[0] is list(two)[0]  # the field names too
