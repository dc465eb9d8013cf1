"""The links of an article, numbered in reading order for the link list (as newsboat's URL view)."""

from __future__ import annotations

from dataclasses import dataclass

from reader.domain.articles.cleaning import clean_line
from reader.domain.articles.markdown import children_text, link_text_end, parse

OWN_PAGE = "this article's page"
"""How the link list names the address the article itself came from."""


@dataclass(frozen=True)
class Link:
    """One link as the list shows it: its text, its address, and whether it leads to a picture."""

    text: str
    url: str
    image: bool = False


def article_links(body: str, own_url: str = "") -> tuple[Link, ...]:
    """The article's own page (when it has one), then every link of ``body`` in reading order,
    each address once (under the text of its first link); text and addresses are cleaned."""
    found: dict[str, Link] = {}
    own = clean_line(own_url)
    if own:
        found[own] = Link(OWN_PAGE, own)
    for token in parse(body):
        children = token.children or []
        for start, child in enumerate(children):
            if child.type != "link_open":
                continue
            url = clean_line(str(child.attrs.get("href", "")))
            if not url or url in found:
                continue
            label = clean_line(children_text(children[start + 1 : link_text_end(children, start)]))
            found[url] = Link(label or url, url, bool(child.meta.get("image")))
    return tuple(found.values())
