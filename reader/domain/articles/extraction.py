"""The article in a web page: its main text as safe Markdown, without menus, footers and sidebars.

readability-lxml finds the main text (hidden elements and ARIA-hidden ones are removed first, and
lists of sentences inside the article are kept where it would drop them as link lists); reader
converts it with :func:`html_to_markdown` and drops a heading that repeats the title. Metadata
comes from :mod:`reader.domain.articles.page_meta`. A page whose main text is under
``MIN_CHARACTERS`` characters is not an article: ``found`` is False and the body is the whole page's text.
Scores on Mozilla Readability's test pages: ``bench/bench_extraction.py``.
"""

from __future__ import annotations

from typing import Any

import logging
import re
import statistics
from dataclasses import dataclass

import lxml.etree
import lxml.html
from rapidfuzz import fuzz
from readability import Document

from reader.domain.articles.cleaning import clean_text
from reader.domain.articles.files import decode_page
from reader.domain.articles.htmlconv import html_to_markdown
from reader.domain.articles.markdown import project
from reader.domain.articles.page_meta import PageMeta, page_meta

__all__ = ["MIN_CHARACTERS", "Extracted", "extract"]

MIN_CHARACTERS = 100
"""Fewer characters of main text than this (spaces not counted), and the page is not an article."""

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SAME_TITLE = 85  # rapidfuzz ratio at which a heading repeats the title
_SENTENCE_ITEM = 40  # list items this long on average are prose, not a menu
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


@dataclass(frozen=True)
class Extracted:
    """What a page holds: its metadata and its text as Markdown."""

    meta: PageMeta
    body: str
    found: bool
    """Whether main text was found; when not, ``body`` is the whole page's text (perhaps empty)."""

    @property
    def title(self) -> str:
        """The page's title ('' when it has none)."""
        return self.meta.title


class _Readability(Document):
    """readability-lxml, keeping lists of sentences that it would drop for their links."""

    def get_preserved_elements(self, node: lxml.html.HtmlElement) -> dict[str, Any]:  # noqa: D102 - its hook
        allowed = super().get_preserved_elements(node)
        for element in self.tags(node, "ul", "ol"):
            items = [" ".join(item.text_content().split()) for item in element.findall("li")]
            if items and statistics.fmean(len(item) for item in items) >= _SENTENCE_ITEM:
                allowed[element] = True
        return allowed


def _parse(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (lxml.etree.ParserError, ValueError, UnicodeError):
        return None


def _drop_hidden(doc: lxml.html.HtmlElement) -> None:
    """Remove what a browser would not show: hidden, ARIA-hidden, display:none, visibility:hidden."""
    doomed = [
        element for element in doc.iter(lxml.etree.Element)
        if element.tag not in ("html", "body") and (
            element.get("hidden") is not None
            or (element.get("aria-hidden") or "").strip().lower() == "true"
            or _HIDDEN_STYLE.search(element.get("style") or "")
        )
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _main_html(html: str, url: str | None) -> str:
    """readability-lxml's main-text HTML for the page, or '' when it finds none."""
    logging.getLogger("readability").setLevel(logging.CRITICAL)  # it logs tracebacks itself
    try:
        return _Readability(html, url=url).summary(html_partial=True)
    except Exception:  # noqa: BLE001 - readability raises many kinds on junk pages
        return ""


def _without_repeated_title(body: str, title: str) -> str:
    """``body`` less a heading near its top that repeats the title."""
    if not title:
        return body
    wanted = title.casefold()
    for block in project(body).blocks[:3]:
        if block.kind == "heading" and fuzz.ratio(block.text.casefold(), wanted) >= _SAME_TITLE:
            lines = body.split("\n")
            start, end = block.lines
            return "\n".join(lines[:start] + lines[end:]).strip("\n")
    return body


def _characters(markdown: str) -> int:
    """How many characters of text ``markdown`` shows, spaces not counted (fair to CJK text too)."""
    return sum(len(word) for word in project(markdown).text.split())


def extract(page: str | bytes, url: str | None = None, content_type: str = "") -> Extracted:
    """The article in ``page`` (HTML as text, or bytes with the Content-Type they came with).

    Relative links and images resolve against ``url``. Never raises for bad input: a page that
    cannot be read at all gives an empty body and ``found=False``.
    """
    html = clean_text(page if isinstance(page, str) else decode_page(page, content_type))
    doc = _parse(html) if html.strip() else None
    if doc is None:
        return Extracted(PageMeta(), "", False)
    meta = page_meta(doc)
    _drop_hidden(doc)
    visible = lxml.html.tostring(doc, encoding="unicode")
    main = _main_html(visible, url)
    body = _without_repeated_title(html_to_markdown(main, base_url=url), meta.title) if main else ""
    if body and _characters(body) >= MIN_CHARACTERS:
        return Extracted(meta, body, True)
    return Extracted(meta, _without_repeated_title(html_to_markdown(visible, base_url=url), meta.title), False)

