"""Markdown from the simple HTML most feed items carry, without building a BeautifulSoup tree.

A typical item body is a few paragraphs with emphasis, links, line breaks, inline code and images.
:func:`simple_markdown` converts exactly that subset the way the full converter in
:mod:`reader.domain.articles.htmlconv` does (markdownify over ``html.parser``; a property test holds the two
equal) in a tenth of the time, and returns None for anything else: another tag, a comment, a
stray ``<``, unbalanced nesting, an unusual entity. The link, image and escaping rules live here
so both converters share them.
"""

from __future__ import annotations

from typing import Any

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import ParseResult, urljoin, urlparse, urlsplit, urlunparse, uses_netloc, uses_relative

from bs4.dammit import EntitySubstitution
from markdownify import (  # type: ignore[attr-defined]  # module-level helpers it does not export (bounded <2)
    chomp, re_backtick_runs, re_extract_newlines, re_newline_whitespace, re_whitespace)

from reader.domain.articles.cleaning import clean_line
from reader.domain.articles.markdown_rules import IMAGE_MARK

__all__ = [
    "IMAGE_MARK", "escape_text", "image_markdown", "is_tracking_pixel", "join_url", "link_markdown", "safe_url", "simple_markdown",
]

_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_URL_UNSAFE = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", '"': "%22"})

# Only ASCII whitespace that survives clean_text: Python's \s would also match what html.parser
# reads as part of a tag name.
_TAG = re.compile(
    r"<(?:/([A-Za-z][A-Za-z0-9]*)[ \t\n]*"
    r"|([A-Za-z][A-Za-z0-9]*)((?:[ \t\n]+[A-Za-z_:][-A-Za-z0-9_:.]*"
    r"(?:[ \t\n]*=[ \t\n]*(?:\"[^\"]*\"|'[^']*'|[^ \t\n\"'=<>`]+))?)*)[ \t\n]*(/?))>"
)
_ATTR = re.compile(r"([A-Za-z_:][-A-Za-z0-9_:.]*)(?:[ \t\n]*=[ \t\n]*(?:\"([^\"]*)\"|'([^']*)'|([^ \t\n\"'=<>`]+)))?")
_REFERENCE = re.compile(r"&(?:#([0-9]{1,7});|#[xX]([0-9a-fA-F]{1,6});|([A-Za-z][A-Za-z0-9]{0,31});|([ \t\n])|)")
_NAMED = EntitySubstitution.HTML_ENTITY_TO_CHARACTER
_EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
_CONTAINERS = frozenset({"p", "a", "code", "span", *_EMPHASIS})
_VOID = frozenset({"br", "img"})
_MAX_DEPTH = 40

Node = tuple[str, dict[str, str], list[Any]]
"""An element: its name, its attributes and its children (strings and elements)."""


_parsed = lru_cache(maxsize=256)(urlparse)  # a feed item's link is resolved twice in a row


def _join(base: str, url: str) -> tuple[str, ParseResult | None]:
    """``urljoin(base, url)``, and the parse of ``url`` when that is the answer unchanged."""
    if not base or not url:
        return url or base, None
    scheme = _parsed(base).scheme
    parts = _parsed(url, scheme)
    if parts.scheme != scheme or parts.scheme not in uses_relative:
        return url, parts
    if parts.scheme in uses_netloc and parts.netloc:
        return urlunparse(parts), None
    return urljoin(base, url), None


def join_url(base: str, url: str) -> str:
    """``urllib.parse.urljoin(base, url)``, without parsing the same base again for every link."""
    return _join(base, url)[0]


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
        url, joined = _join(base_url, url) if base_url else (url, None)
        parts = urlsplit(url) if joined is None else joined
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
    except ValueError:
        return None
    return url


def _markdown_url(url: str) -> str:
    """Percent-encode the few characters that would end a Markdown link destination early."""
    return url.translate(_URL_UNSAFE)


def escape_text(text: str) -> str:
    """Escape text for Markdown: emphasis marks, and anything that looks like a tag or an entity
    (which would become live HTML in a Markdown renderer)."""
    text = text.replace("*", r"\*").replace("_", r"\_").replace("<", r"\<")
    return _ENTITY_LIKE.sub(r"\\&", text) if "&" in text else text


def is_tracking_pixel(attrs: Mapping[str, Any]) -> bool:
    """True for an image declared 0 or 1 pixel wide or high (a beacon, not a picture)."""
    for attr in ("width", "height"):
        value = str(attrs.get(attr) or "").strip().lower().removesuffix("px").strip()
        if value.isdigit() and int(value) <= 1:
            return True
    style = str(attrs.get("style") or "").replace(" ", "").lower()
    return any(f"{side}:{n}px" in style for side in ("width", "height") for n in (0, 1))


def link_markdown(attrs: Mapping[str, Any], text: str, parent_tags: set[str], base_url: str | None) -> str:
    """An <a> as a Markdown link, or just its text unless it is a live http(s) link outside code
    and outside another link."""
    url = safe_url(attrs.get("href"), base_url)
    if url is None or "_noformat" in parent_tags or "a" in parent_tags or not text.strip():
        return text
    title = clean_line(str(attrs.get("title") or "")).replace('"', "'")
    title_part = f' "{title}"' if title else ""
    lead = text[: len(text) - len(text.lstrip())]
    tail = text[len(text.rstrip()) :]
    return f"{lead}[{text.strip()}]({_markdown_url(url)}{title_part}){tail}"


def image_markdown(attrs: Mapping[str, Any], parent_tags: set[str], base_url: str | None) -> str:
    """An <img> as the placeholder ``▣ alt text``, linked to the picture (never an inline image).

    Inside another link or in code it is the placeholder alone; an image with neither alt text
    nor an address reader may open leaves nothing.
    """
    alt = clean_line(str(attrs.get("alt") or "")).replace("[", "(").replace("]", ")")
    url = safe_url(attrs.get("src"), base_url)
    if url is None and not alt:
        return ""
    label = f"{IMAGE_MARK} {escape_text(alt) if alt else 'image'}"
    if "_noformat" in parent_tags:
        return f"{IMAGE_MARK} {alt or 'image'}"
    if url is None or "a" in parent_tags:
        return label
    return f"[{label}]({_markdown_url(url)})"


class _Unsupported(Exception):
    """The document leaves the subset; the full converter must handle it."""


def _reference(match: re.Match[str]) -> str:
    """The text a character reference stands for, as html.parser and BeautifulSoup read it."""
    decimal, hexadecimal, name, space = match.groups()
    if decimal or hexadecimal:
        code = int(decimal, 10) if decimal else int(hexadecimal, 16)
        if 32 <= code < 127 or (160 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF):
            return chr(code)
    elif name in _NAMED:
        return _NAMED[name]
    elif space:
        return "&" + space  # an ampersand before whitespace is text
    raise _Unsupported  # a control or unknown reference, or an ampersand read another way


def _text(segment: str) -> str:
    """A text run with its character references decoded."""
    if "<" in segment:
        raise _Unsupported
    return _REFERENCE.sub(_reference, segment) if "&" in segment else segment


def _attributes(source: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR.finditer(source):
        name, double, single, bare = match.groups()
        value = double if double is not None else single if single is not None else bare
        attrs[name.lower()] = html.unescape(value) if value else ""
    return attrs


def _parse(source: str) -> Node:
    """The element tree of ``source``; raises :class:`_Unsupported` outside the subset."""
    root: Node = ("[document]", {}, [])
    stack = [root]
    children = root[2]
    pieces = _TAG.split(source)  # text, then four groups per tag, then text, ...
    if pieces[0]:
        children.append(_text(pieces[0]))
    for i in range(1, len(pieces), 5):
        closing, opening, attrs, slash, text = pieces[i : i + 5]
        if closing is not None:
            if len(stack) == 1 or stack[-1][0] != closing.lower():
                raise _Unsupported
            stack.pop()
            children = stack[-1][2]
        else:
            name = opening.lower()
            if name in _VOID:
                node: Node = (name, _attributes(attrs), [])
                if not (name == "img" and is_tracking_pixel(node[1])):
                    children.append(node)
            elif name in _CONTAINERS and not slash and len(stack) < _MAX_DEPTH:
                node = (name, _attributes(attrs) if name == "a" else {}, [])
                children.append(node)
                stack.append(node)
                children = node[2]
            else:
                raise _Unsupported
        if text:
            children.append(_text(text))
    if len(stack) != 1:
        raise _Unsupported
    return root


def _convert(node: Node, parent_tags: set[str], base_url: str | None) -> str:
    """markdownify's ``process_tag`` for the subset, with reader's link and image rules."""
    name, attrs, children = node
    block = name == "p"
    inner_tags = parent_tags | {name}
    if name == "code":
        inner_tags.add("_noformat")
    escape = "_noformat" not in inner_tags
    # Whether each child, and the (missing) neighbours at either end, is a block (a <p>); a
    # missing neighbour inside a block counts as one for stripping text at the edges.
    blocks = [type(child) is tuple and child[0] == "p" for child in children]
    last = len(children) - 1
    strings = []
    for i, child in enumerate(children):
        if type(child) is str:
            before = blocks[i - 1] if i else block
            after = blocks[i + 1] if i < last else block
            if not child.strip() and (before or after):
                continue
            text = child
            if "\n" in text or "\r" in text:
                text = re_newline_whitespace.sub("\n", text)
            if "\t" in text or "  " in text:
                text = re_whitespace.sub(" ", text)
            if escape:
                text = escape_text(text)
            if before:
                text = text.lstrip(" \t\r\n")
            if after:
                text = text.rstrip()
        else:
            text = _convert(child, inner_tags, base_url)
        if text:
            strings.append(text)
    pieces = [""]
    for string in strings:
        if string[0] != "\n" and string[-1] != "\n":
            pieces += ("", string, "")
            continue
        leading, content, trailing = re_extract_newlines.match(string).groups()
        if pieces[-1] and leading:
            leading = "\n" * min(2, max(len(pieces.pop()), len(leading)))
        pieces += (leading, content, trailing)
    return _finish(name, attrs, "".join(pieces), parent_tags, base_url)


def _finish(name: str, attrs: dict[str, str], text: str, parent_tags: set[str], base_url: str | None) -> str:
    """The element's own conversion, given its converted content."""
    if name == "[document]":
        return text.strip("\n")
    if name == "p":
        text = text.strip(" \t\r\n")
        return f"\n\n{text}\n\n" if text else ""
    if name == "a":
        return link_markdown(attrs, text, parent_tags, base_url)
    if name == "img":
        return image_markdown(attrs, parent_tags, base_url)
    if name == "br":
        return "  \n" + text
    if name == "span" or "_noformat" in parent_tags:
        return text
    prefix, suffix, text = chomp(text)
    if not text:
        return ""
    if name == "code":
        ticks = max((len(run) for run in re_backtick_runs.findall(text)), default=0)
        if ticks:
            text = f" {text} "
        mark = "`" * (ticks + 1)
    else:
        mark = _EMPHASIS[name]
    return f"{prefix}{mark}{text}{mark}{suffix}"


def simple_markdown(source: str, base_url: str | None = None) -> str | None:
    """Markdown (before tidying) for HTML within the subset, or None to say "use the full converter"."""
    try:
        return _convert(_parse(source), set(), base_url)
    except _Unsupported:
        return None
