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
