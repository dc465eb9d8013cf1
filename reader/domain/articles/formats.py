"""Turning a file's text into an article: plain-text news, Markdown, HTML."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path


from reader.domain.articles.article import Parsed
from reader.domain.articles.cleaning import clean_line, clean_text
from reader.domain.articles.markdown import escape_text

MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
TEXT_SUFFIXES = {".txt", ".text", ""}
SUFFIXES = MARKDOWN_SUFFIXES | HTML_SUFFIXES | TEXT_SUFFIXES

_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_SETEXT_H1 = re.compile(r"^=+\s*$")


def format_of(path: Path) -> str | None:
    """``markdown``, ``html`` or ``text`` for a file reader can open, else ``None``."""
    return format_of_name(path.name)


def format_of_name(name: str) -> str | None:
    """``format_of`` for a file name: what a scan of many files asks without making a ``Path`` each."""
    dot = name.rfind(".")
    suffix = name[dot:].lower() if 0 < dot < len(name) - 1 else ""  # as ``Path.suffix`` has it
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def _is_section_label(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and line == line.upper() and len(line.split()) <= 4 and len(line) <= 40


_HEADLINE_CHARS = 150
"""A first paragraph of one line at most this long, followed by a blank line, is the headline."""


def _paragraphs(text: str) -> tuple[list[list[str]], bool]:
    """The paragraphs of a plain-text file as lists of lines, and whether blank lines separate them.

    With no blank line between two lines of text, each line is a paragraph (the seed format);
    otherwise blank lines separate paragraphs and the lines of one paragraph are joined.
    """
    lines = [" ".join(line.split()) for line in clean_text(text).split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    if "" not in lines:
        return [[line] for line in lines], False
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return paragraphs, True


def parse_text(text: str, fallback_title: str) -> Parsed:
    """Plain text: an optional section label line, a headline line, then the paragraphs.

    In the seed format (no blank lines) every line is a paragraph. In hard-wrapped text, blank
    lines separate paragraphs and single newlines join lines; its headline is a short first line
    followed by a blank line (the label may stand on the line above it). Everything in the
    paragraphs is text: Markdown syntax in them is escaped so it shows as typed.
    """
    paragraphs, wrapped = _paragraphs(text)
    section = ""
    first = paragraphs[0] if paragraphs else []
    if (len(paragraphs) >= 2 and len(first) == 1 or wrapped and len(first) == 2) and _is_section_label(first[0]):
        section = first.pop(0)
        if not first:
            paragraphs.pop(0)
    title = fallback_title
    if paragraphs and len(paragraphs[0]) == 1 and (len(paragraphs) >= 2 or not section):
        if not wrapped or len(paragraphs[0][0]) <= _HEADLINE_CHARS:
            title = paragraphs.pop(0)[0]
    plain = [" ".join(lines) for lines in paragraphs]
    body = "\n\n".join(escape_text(paragraph) for paragraph in plain)
    return Parsed(title=clean_line(title) or fallback_title, body=body, section=section, plain="\n\n".join(plain))


_SCALARS = (str, int, float, dt.date)


def _as_text(value: object) -> str:
    # Only scalars: str() of a nested YAML alias structure grows exponentially ("billion laughs").
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, _SCALARS):
        return clean_line(str(value))
    return ""


def _as_tags(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\s]+", value) if part]
    if isinstance(value, (list, tuple)):
        return tuple(t for t in (_as_text(v) for v in value) if t)
    return ()


def _split_first_h1(body: str) -> tuple[str | None, str]:
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = _H1.match(line)
        if match:
            return match.group(1), "\n".join(lines[index + 1 :]).lstrip("\n")
        if index + 1 < len(lines) and _SETEXT_H1.match(lines[index + 1]) and line.strip():
            return line.strip(), "\n".join(lines[index + 2 :]).lstrip("\n")
        return None, body
    return None, body


def parse_markdown(text: str, fallback_title: str) -> Parsed:
    """Markdown with optional YAML front matter; the title falls back to the first H1, then the name."""
    from reader.domain.articles.front_matter import read_front_matter  # YAML loads with the first Markdown file read

    text = clean_text(text)
    metadata, body = read_front_matter(text)
    title = _as_text(metadata.get("title"))
    if not title:
        heading, rest = _split_first_h1(body)
        if heading:
            title, body = clean_line(heading), rest
    return Parsed(
        title=title or fallback_title,
        body=body.strip("\n"),
        section=_as_text(metadata.get("section")),
        author=_as_text(metadata.get("author")),
        date=_as_text(metadata.get("date")),
        source=_as_text(metadata.get("source")),
        url=_as_text(metadata.get("url") or metadata.get("link")),
        tags=_as_tags(metadata.get("tags")),
    )


def parse_html(text: str, fallback_title: str) -> Parsed:
    """A web page saved as a file: its main text (no menus, footers or sidebars) and metadata.

    A page with no main text to find is converted whole.
    """
    from reader.domain.articles.extraction import extract

    page = extract(text)
    body = page.body
    heading, rest = _split_first_h1(body)
    title = page.title or (clean_line(heading) if heading else "") or fallback_title
    if heading and clean_line(heading) == title:
        body = rest
    meta = page.meta
    return Parsed(title=title, body=body.strip("\n"), author=meta.byline, date=meta.published,
                  source=meta.site, url=meta.canonical_url)


def parse(text: str, kind: str, fallback_title: str) -> Parsed:
    """Dispatch on the format name from ``format_of``; the fallback title (a file name) is cleaned too."""
    fallback_title = clean_line(fallback_title) or "Untitled"
    if kind == "markdown":
        return parse_markdown(text, fallback_title)
    if kind == "html":
        return parse_html(text, fallback_title)
    return parse_text(text, fallback_title)
