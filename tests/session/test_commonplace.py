"""The commonplace book's groups and the annotations filter's ``#tag`` and ``color:``."""

from __future__ import annotations

from reader.domain.annotations.model import Annotation, Selectors
from reader.session.commonplace import AnnotationQuery, tag_groups


def passage(ident: str, quote: str, tags: tuple[str, ...] = (), color: str = "", article: str = "a1") -> Annotation:
    return Annotation(ident, article, title="T", selectors=Selectors.for_span(quote, 0, len(quote)), tags=tags,
                      color=color, created=ident)


def test_each_tag_lists_its_passages_and_articles_most_used_first() -> None:
    one, two, three = passage("1", "one", ("Science",)), passage("2", "two", ("science", "art")), passage("3", "three")
    groups = tag_groups([one, two, three], {"a1": ("art",), "a9": ("Art",)}, {"a1": "First"})
    assert [(g.tag, [p.id for p in g.passages], [a.title for a in g.articles]) for g in groups] == [
        ("art", ["2"], ["a9", "First"]), ("Science", ["1", "2"], [])]


def test_the_filter_takes_tags_by_prefix_a_colour_and_words() -> None:
    query = AnnotationQuery.parse("#sci COLOR:Yellow Atoms")
    assert (query.words, query.tags, query.color) == (("atoms",), ("sci",), "yellow")
    hit = passage("1", "atoms", ("Science",), "yellow")
    assert query.matches(hit, "atoms")
    assert not query.matches(passage("2", "atoms", ("Science",), "blue"), "atoms")
    assert not query.matches(passage("3", "atoms", ("art",), "yellow"), "atoms")
    assert not query.matches(hit, "molecules")
    unknown = AnnotationQuery.parse("colour:teal")
    assert unknown.unknown_color == "teal" and not unknown.matches(hit, "atoms") and not unknown.empty
    assert AnnotationQuery.parse("  ").empty and AnnotationQuery.parse("#").words == ("#",)


def test_the_list_filter_finds_articles_by_a_passage_s_tag_or_colour_or_their_own_tags() -> None:
    from reader.session.commonplace import articles_styled

    passages = [passage("1", "one", ("Science",), "blue", article="a1"), passage("2", "two", ("art",), article="a2")]
    own = {"a3": ("science",), "a4": ("law",)}
    assert articles_styled(AnnotationQuery.parse("#sci"), passages, own) == {"a1", "a3"}
    assert articles_styled(AnnotationQuery.parse("color:blue"), passages, own) == {"a1"}
    assert articles_styled(AnnotationQuery.parse("#sci color:blue"), passages, own) == {"a1"}, "a colour: passages only"
    assert articles_styled(AnnotationQuery.parse("color:teal"), passages, own) == set()


async def test_the_session_search_takes_a_tag_alone(session) -> None:
    meta = next(m for m in session.sidebar.articles if m.title == "Bees return")
    opened = await session.reading.open(meta)
    await session.annotating.tag_article(("insects",))
    session.sidebar.set_query("#insect")
    assert await session.search("#insect")
    assert [m.title for m in session.sidebar.view().articles(10)] == ["Bees return"]
    assert opened is not None
