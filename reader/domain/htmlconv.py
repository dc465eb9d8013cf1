"""HTML from the outside world turned into safe Markdown: the only way feed HTML reaches the reader.

Built on markdownify (MIT, a per-tag converter we can subclass) over BeautifulSoup's pure-Python
``html.parser``. Scripts, styles, frames, forms, comments and 1x1 tracking images are dropped;
only http(s) links and images survive (images become plain links); no raw HTML is left, and the
result has passed through :func:`clean_text`.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction
from markdownify import ATX, MarkdownConverter

from reader.domain.cleaning import clean_line, clean_text

__all__ = ["extract_article", "html_to_markdown", "html_to_text", "html_title", "safe_url"]

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
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", '"': "%22"}
_LANGUAGE_CLASS = re.compile(r"^(?:language|lang)-([\w+#.-]{1,30})$")


def safe_url(url: str | None, base_url: str | None = None) -> str | None:
    """Return ``url`` (resolved against ``base_url``) if it is an http(s) URL with a host, else None.

    Every other scheme (javascript:, data:, file:, mailto:, ...) and anything unparsable is refused.
    """
    if not url:
        return None
    url = clean_line(url)
    if not url:
        return None
    try:
        if base_url:
            url = urljoin(base_url, url)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _markdown_url(url: str) -> str:
    """Percent-encode the few characters that would end a Markdown link destination early."""
    return "".join(_URL_UNSAFE.get(ch, ch) for ch in url)


def _is_tracking_pixel(img: Tag) -> bool:
    """True for images declared 0 or 1 pixel wide or high (beacons, not pictures)."""
    for attr in ("width", "height"):
        value = str(img.get(attr) or "").strip().lower().removesuffix("px").strip()
        if value.isdigit() and int(value) <= 1:
            return True
    style = str(img.get("style") or "").replace(" ", "").lower()
    return any(f"{side}:{n}px" in style for side in ("width", "height") for n in (0, 1))


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
        text = super().escape(text, parent_tags)
        # Text that looks like a tag or an entity would become live HTML in a Markdown renderer.
        return _ENTITY_LIKE.sub(r"\\&", text.replace("<", r"\<"))

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:  # noqa: D102
        url = safe_url(el.get("href"), self.base_url)
        if url is None or "_noformat" in parent_tags or not text.strip():
            return text
        if el.find_parent("a") is not None:
            return text
        title = clean_line(str(el.get("title") or "")).replace('"', "'")
        title_part = f' "{title}"' if title else ""
        lead = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()) :]
        return f"{lead}[{text.strip()}]({_markdown_url(url)}{title_part}){tail}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:  # noqa: D102
        alt = clean_line(str(el.get("alt") or "")).replace("[", "(").replace("]", ")")
        url = safe_url(el.get("src"), self.base_url)
        if url is None or el.find_parent("a") is not None or "_noformat" in parent_tags:
            return alt
        return f"[{alt or 'image'}]({_markdown_url(url)})"


def _strip_unwanted(soup: BeautifulSoup) -> None:
    """Remove dropped elements, comments and declarations, and tracking pixels, in place."""
    doomed = [
        node
        for node in soup.descendants
        if (isinstance(node, Tag) and (node.name in _DROPPED_TAGS or (node.name == "img" and _is_tracking_pixel(node))))
        or isinstance(node, _JUNK_NODES)
    ]
    for node in doomed:
        node.extract()


def _tidy(markdown: str) -> str:
    """Clean the converter's output: control characters, trailing spaces, runs of blank lines."""
    text = clean_text(markdown)
    text = _TRAILING_SPACES.sub("\n", text)
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def html_to_markdown(html: str, base_url: str | None = None) -> str:
    """Convert untrusted HTML to Markdown that is safe to render in the reader.

    Relative links and images are resolved against ``base_url`` when given; links and images that
    are not http(s) are kept as their text only. Pathologically nested input falls back to the
    plain text of the document.
    """
    if not html or not html.strip():
        return ""
    html = clean_text(html)
    if "<" not in html and "&" not in html:
        return _tidy(_SafeConverter().escape(html, set()))
    soup = BeautifulSoup(html, "html.parser")
    _strip_unwanted(soup)
    try:
        markdown = _SafeConverter(base_url).convert_soup(soup)
    except RecursionError:
        markdown = _SafeConverter().escape(soup.get_text("\n"), set())
    return _tidy(markdown)


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


def extract_article(page: str | bytes, url: str | None = None) -> str:
    """The main text of a whole web page (no menus, ads or footers) as safe Markdown.

    Uses readability-lxml; returns '' when nothing readable is found or it is not installed, so
    callers fall back to what the feed gave.
    """
    try:
        # Deferred: lxml is heavy and only full-text subscriptions need it.
        from readability import Document
    except ImportError:
        return ""
    logging.getLogger("readability").setLevel(logging.CRITICAL)  # it logs tracebacks itself
    try:
        main = Document(page).summary(html_partial=True)
    except Exception:  # readability raises many kinds on junk pages
        return ""
    return html_to_markdown(main, base_url=url)
