"""HTML from the outside world turned into safe Markdown: the only way feed HTML reaches the reader.

Built on markdownify (MIT, a per-tag converter we can subclass) over BeautifulSoup's pure-Python
``html.parser``; the simple HTML most feed items carry takes a shortcut that gives the same result
(:mod:`reader.domain.articles.simple_html`). Scripts, styles, frames, forms, comments and 1x1 tracking
images are dropped; only http(s) links and images survive (an image becomes the placeholder ``▣ alt text`` linked to the picture); no raw
HTML is left, and the result has passed through :func:`clean_text`.
"""

from __future__ import annotations

import re
from html import unescape

from bs4 import BeautifulSoup, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction
from markdownify import ATX, MarkdownConverter

from reader.domain.articles.cleaning import clean_line, clean_text
from reader.domain.articles.simple_html import (
    escape_text, image_markdown, is_tracking_pixel, join_url, link_markdown, safe_url, simple_markdown,
)

__all__ = ["extract_article", "html_to_markdown", "html_to_text", "html_title", "join_url", "safe_url"]

# Elements removed with everything inside them before conversion.
_DROPPED_TAGS = frozenset((
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "select", "textarea", "option", "noscript", "template", "svg", "math",
    "canvas", "head", "title", "meta", "link", "base", "audio", "video", "source", "track",
    "map", "area", "dialog", "portal",
))
_JUNK_NODES = (Comment, Doctype, Declaration, ProcessingInstruction, CData)
_MANY_NEWLINES = re.compile(r"\n{3,}")
_TRAILING_SPACES = re.compile(r"[ \t]+\n")
_LANGUAGE_CLASS = re.compile(r"^(?:language|lang)-([\w+#.-]{1,30})$")
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(left|center|right)", re.IGNORECASE)
_ALIGN_MARKS = {"left": ":---", "center": ":---:", "right": "---:"}


def _code_language(el: Tag) -> str:
    """The language named by a ``language-xxx`` class on a <pre> or its <code>, else ''."""
    for node in (el, el.find("code")):
        if isinstance(node, Tag):
            for cls in node.get("class") or []:
                match = _LANGUAGE_CLASS.match(str(cls))
                if match:
                    return match.group(1)
    return ""


class _SafeConverter(MarkdownConverter):
    """markdownify with scheme checks on links and images, and no HTML-looking text."""

    def __init__(self, base_url: str | None = None) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            code_language_callback=_code_language,
            autolinks=False,
        )
        self.base_url = base_url

    def escape(self, text: str, parent_tags: set[str]) -> str:  # noqa: D102 - markdownify hook
        return escape_text(text)

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:  # noqa: D102
        return link_markdown(el.attrs, text, parent_tags, self.base_url)

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:  # noqa: D102
        return image_markdown(el.attrs, parent_tags, self.base_url)

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:  # noqa: D102
        """markdownify's row, with the alignment of the first row's cells in the separator line."""
        row = super().convert_tr(el, text, parent_tags)  # type: ignore[misc]  # defined, but not in its stubs
        cells = el.find_all(["td", "th"])
        plain = [] if "| --- |" not in row else [
            mark for cell in cells for mark in [_alignment(cell)] * _span(cell)
        ]
        if not plain or all(mark == "---" for mark in plain):
            return row
        separator = "| " + " | ".join(["---"] * len(plain)) + " |"
        return row.replace(separator, "| " + " | ".join(plain) + " |", 1)


def _alignment(cell: Tag) -> str:
    """The Markdown separator for a table cell's column: ``---``, or with colons for its alignment."""
    align = str(cell.get("align") or "").strip().lower()
    if align not in _ALIGN_MARKS:
        match = _TEXT_ALIGN.search(str(cell.get("style") or ""))
        align = match.group(1).lower() if match else ""
    return _ALIGN_MARKS.get(align, "---")


def _span(cell: Tag) -> int:
    """How many columns a cell spans, as markdownify counts them."""
    span = str(cell.get("colspan") or "")
    return max(1, min(1000, int(span))) if span.isdigit() else 1


def _strip_unwanted(soup: BeautifulSoup) -> None:
    """Remove dropped elements, comments and declarations, and tracking pixels, in place."""
    doomed = [
        node
        for node in soup.descendants
        if (isinstance(node, Tag) and (node.name in _DROPPED_TAGS or (node.name == "img" and is_tracking_pixel(node.attrs))))
        or isinstance(node, _JUNK_NODES)
    ]
    for node in doomed:
        node.extract()


def _tidy(markdown: str) -> str:
    """Clean the converter's output: control characters, trailing spaces, runs of blank lines."""
    text = clean_text(markdown)
    if " \n" in text or "\t\n" in text:  # the searches are cheap; the substitutions are not
        text = _TRAILING_SPACES.sub("\n", text)
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def html_to_markdown(html: str, base_url: str | None = None) -> str:
    """Convert untrusted HTML to Markdown that is safe to render in the reader.

    Relative links and images are resolved against ``base_url`` when given; links and images that
    are not http(s) are kept as their text only. Pathologically nested input falls back to the
    plain text of the document.
    """
    if not html or not html.strip():
        return ""
    html = clean_text(html)
    if "<" not in html:  # text, perhaps with entities (a bare URL with &amp; in it): no parser needed
        return _tidy(escape_text(clean_text(unescape(html)) if "&" in html else html))
    markdown = simple_markdown(html, base_url)
    return _tidy(markdown if markdown is not None else _full_markdown(html, base_url))


def _full_markdown(html: str, base_url: str | None) -> str:
    """Any HTML (already cleaned) through BeautifulSoup and markdownify, before tidying."""
    soup = BeautifulSoup(html, "html.parser")
    _strip_unwanted(soup)
    try:
        return _SafeConverter(base_url).convert_soup(soup)
    except RecursionError:
        return escape_text(soup.get_text("\n"))


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment as one clean line (for titles and names typed as HTML)."""
    if not html or ("<" not in html and "&" not in html):
        return clean_line(html or "")
    soup = BeautifulSoup(clean_text(html), "html.parser")
    _strip_unwanted(soup)
    return clean_line(soup.get_text(""))


def html_title(html: str) -> str | None:
    """The document's <title>, or else its first <h1>, as one clean line; None when neither exists."""
    if not html:
        return None
    soup = BeautifulSoup(clean_text(html), "html.parser")
    for name in ("title", "h1"):
        tag = soup.find(name)
        if tag is not None:
            title = clean_line(tag.get_text(" "))
            if title:
                return title
    return None


def extract_article(page: str | bytes, url: str | None = None, content_type: str = "") -> str:
    """The main text of a whole web page (no menus, ads or footers) as safe Markdown.

    Returns '' when the page has no main text to find, so callers fall back to what the feed
    gave. The extraction is :func:`reader.domain.articles.extraction.extract`.
    """
    from reader.domain.articles.extraction import extract  # deferred: lxml is heavy

    page_text = extract(page, url, content_type)
    return page_text.body if page_text.found else ""
