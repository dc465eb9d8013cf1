"""The plain text a text-format parse reports is the projection of the Markdown it produces."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.articles.formats import parse_text
from reader.domain.articles.markdown import project

_lines = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=60), min_size=0, max_size=8)


@settings(max_examples=300, deadline=None)
@given(_lines)
def test_plain_equals_projection(lines: list[str]) -> None:
    parsed = parse_text("\n".join(lines), "fallback")
    assert parsed.plain == project(parsed.body).text


def test_plain_of_the_seed_is_its_paragraphs() -> None:
    parsed = parse_text("NEWS\nHeadline\n*not emphasis*\n# not a heading\n", "x")
    assert parsed.plain == "*not emphasis*\n\n# not a heading"
    assert project(parsed.body).text == parsed.plain
