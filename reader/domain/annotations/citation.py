"""Citing a passage: the quote, the article's title and source, and a link that scrolls a browser
to the passage (a text fragment, see ``text_fragment``). ``reader cite`` prints one; the app's
copy key can use the same values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from reader.domain.annotations.model import Annotation
from reader.domain.annotations.passages import locate
from reader.domain.annotations.text_fragment import TextDirective, directive_for, fragment_url
from reader.domain.articles.cleaning import clean_line, clean_text

FORMATS = ("markdown", "text")
"""The forms a citation can be printed in."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


@dataclass(frozen=True)
class Citation:
    """What a citation says: the quote, where it is from, and a link to it ("" when unknown)."""

    quote: str
    title: str
    source: str
    url: str

    def as_text(self) -> str:
        """Plain text: the quote in quotation marks, then the title and source, then the link."""
        quote = " ".join(self.quote.split())
        lines = [f"“{quote}”", "— " + ", ".join(p for p in (self.title, self.source) if p)]
        return "\n".join(lines + ([self.url] if self.url else [])) + "\n"

    def as_markdown(self) -> str:
        """Markdown: a block quote, then the title (a link to the passage) and the source."""
        quote = [f"> {line}" if line.strip() else ">" for line in self.quote.split("\n")]
        title = f"*{_escape(self.title)}*" if self.title else ""
        if title and self.url:
            title = f"[{title}](<{self.url}>)"
        credit = ", ".join(p for p in (title, _escape(self.source)) if p)
        if self.url and not self.title:
            credit = ", ".join(p for p in (f"<{self.url}>", credit) if p)
        return "\n".join(quote + ["", f"— {credit}"]) + "\n"

    def formatted(self, form: str) -> str:
        """The citation in ``form``, one of ``FORMATS``."""
        return self.as_markdown() if form == "markdown" else self.as_text()


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def cite(annotation: Annotation, article_text: str | None, *, title: str = "", source: str = "",
         url: str = "") -> Citation:
    """The citation of a passage; ``article_text`` (the article's text now, if it can be read)
    is where the link's text fragment is made unambiguous. Only an http(s) URL is linked."""
    quote = clean_text(annotation.quote).strip()
    link = clean_line(url or annotation.url).strip()
    if urlsplit(link).scheme.lower() not in ("http", "https") or any(c.isspace() for c in link):
        link = ""
    if link and quote:
        link = fragment_url(link, _directive(annotation, article_text, quote))
    name = clean_line(title or annotation.title).strip()
    return Citation(quote, name, clean_line(source).strip() or _site(link), link)


def _directive(annotation: Annotation, article_text: str | None, quote: str) -> TextDirective:
    """The passage where it is now, with context from the article; else the quote alone."""
    if article_text is not None:
        anchor = locate(annotation, article_text).anchor
        if anchor.start is not None and anchor.end is not None and anchor.end > anchor.start:
            return directive_for(article_text, anchor.start, anchor.end)
    return directive_for(quote, 0, len(quote))


def _site(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")
