"""Sidebar grouping: by feed or section, groups ordered by their newest article."""

from reader.domain.articles.article import ArticleMeta
from reader.session.grouping import UNGROUPED, Group, group_articles


def meta(id: str, source: str = "", section: str = "") -> ArticleMeta:
    return ArticleMeta(id=id, path=f"/{id}", title=id, source=source, section=section)


ARTICLES = [meta("a", source="Feed A"), meta("b", section="NEWS"), meta("c", source="Feed A"), meta("d")]


def test_groups_follow_their_newest_article_and_count_unread() -> None:
    rows = group_articles(ARTICLES, read={"c"})
    names = [r.name for r in rows if isinstance(r, Group)]
    assert names == ["Feed A", "NEWS", UNGROUPED]
    assert [r.id for r in rows if isinstance(r, ArticleMeta)] == ["a", "c", "b", "d"]
    feed = rows[0]
    assert isinstance(feed, Group) and (feed.total, feed.unread) == (2, 1)


def test_a_collapsed_group_shows_only_its_heading() -> None:
    rows = group_articles(ARTICLES, read=set(), collapsed={"Feed A"})
    assert isinstance(rows[0], Group) and rows[0].collapsed
    assert not any(isinstance(r, ArticleMeta) and r.source == "Feed A" for r in rows)


def test_a_failing_feed_without_articles_still_shows_its_error() -> None:
    rows = group_articles(ARTICLES, read=set(), errors={"Broken": "HTTP 404", "Feed A": "timed out"})
    groups = {r.name: r for r in rows if isinstance(r, Group)}
    assert groups["Broken"].error == "HTTP 404" and groups["Broken"].total == 0
    assert groups["Feed A"].error == "timed out"


def test_a_filter_keeps_group_order_and_counts_only_matches() -> None:
    from reader.session.grouping import Grouping

    grouping = Grouping(ARTICLES)
    rows, count = grouping.rows(read={"a"}, needle="c")
    assert count == 1 and [r.id for r in rows if isinstance(r, ArticleMeta)] == ["c"]
    assert [(r.name, r.total, r.unread) for r in rows if isinstance(r, Group)] == [("Feed A", 1, 1)]
    rows, count = grouping.rows(read=set(), needle="zzz", also={"d"})
    assert count == 1 and [r.id for r in rows if isinstance(r, ArticleMeta)] == ["d"]
    rows, count = grouping.rows(read=set())
    assert count == 4 and rows == group_articles(ARTICLES, set())


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reader.session.grouping import Grouping  # noqa: E402

letters = st.sampled_from("abcß ")
titles = st.lists(st.text(letters, max_size=6), min_size=1, max_size=12)
needles = st.lists(st.text(letters, max_size=4), max_size=8)


def _row_of(rows: list, key: str) -> int | None:
    return next((i for i, r in enumerate(rows) if (r.name if isinstance(r, Group) else r.id) == key), None)


@given(titles, needles, st.sets(st.integers(0, 11)), st.sampled_from(["0", "3", "11", "S", "T", "nowhere"]),
       st.sets(st.sampled_from(["S", "T"])))
def test_each_keystroke_gives_what_a_fresh_search_gives(names: list[str], typed: list[str], body: set[int], find: str,
                                                       collapsed: set[str]) -> None:
    articles = [ArticleMeta(id=str(i), path=f"/{i}", title=t, section="S" if i % 3 else "T") for i, t in enumerate(names)]
    also = {str(i) for i in body}
    grouping = Grouping(articles)
    for needle in typed:  # typing, deleting and retyping: the answer never depends on the last one
        folded = needle.casefold()
        for extra in (None, also):
            got = grouping.rows(set(), folded, extra, collapsed, find=find)
            assert got == Grouping(articles).rows(set(), folded, extra, collapsed)
            assert grouping.found == _row_of(got[0], find)  # where the cursor's article or heading is now
            expected = [m.id for m in articles if folded in f"{m.title}\n{m.section}\n{m.source}".casefold()
                        or (extra and m.id in extra)]
            shown = [m for m in expected if articles[int(m)].section not in collapsed]
            assert sorted(r.id for r in got[0] if isinstance(r, ArticleMeta)) == sorted(shown)
