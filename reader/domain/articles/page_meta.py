"""What a web page says about itself: title, byline, site, date, language and address.

Read from ``<meta>`` tags (Dublin Core, OpenGraph, Twitter, Parse.ly, plain names), from JSON-LD
(schema.org ``Article`` and kin), and from ``<title>``, ``<html lang>`` and ``<link rel=canonical>``.
Declared metadata wins over the ``<title>`` element, whose site-name part is dropped. Every
value comes back as one clean line.
"""

from __future__ import annotations

from typing import Any

import json
import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from reader.domain.articles.cleaning import clean_line

__all__ = ["PageMeta", "page_meta", "title_from_element"]

_TITLE_KEYS = ("dc:title", "dcterm:title", "og:title", "weibo:article:title", "weibo:webpage:title", "title",
               "twitter:title", "parsely-title")
_BYLINE_KEYS = ("dc:creator", "dcterm:creator", "author", "parsely-author", "article:author_name")
_EXCERPT_KEYS = ("dc:description", "dcterm:description", "og:description", "description", "twitter:description")
_PUBLISHED_KEYS = ("article:published_time", "parsely-pub-date", "dc:date", "dcterm:date", "date")
_ARTICLE_TYPES = re.compile(r"(?:Article|BlogPosting|Report|Posting)$")
_SEPARATOR = re.compile(r"\s+[|\-–—·»/\\]\s+|\s+::\s+")
_MAX_JSON = 1_000_000
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


@dataclass(frozen=True)
class PageMeta:
    """The metadata a page declares; empty strings for what it does not say."""

    title: str = ""
    byline: str = ""
    site: str = ""
    published: str = ""
    language: str = ""
    canonical_url: str = ""
    excerpt: str = ""


def _meta_tags(doc: HtmlElement) -> dict[str, str]:
    """``<meta>`` values by lower-cased key; a ``property`` wins over a ``name`` for the same key."""
    by_property: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for tag in doc.iter("meta"):
        content = clean_line(tag.get("content") or "")
        if not content:
            continue
        for attribute, found in (("property", by_property), ("name", by_name), ("itemprop", by_name)):
            for key in (tag.get(attribute) or "").lower().split():
                found.setdefault(re.sub(r"^(dc|dcterm)s?\.", r"\1:", key), content)
    return {**by_name, **by_property}


def _json_ld(doc: HtmlElement) -> dict[str, Any]:
    """The first schema.org article-like object in the page's JSON-LD, else {}."""
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = _CDATA.sub("", (script.text or "").strip())
        if not text or len(text) > _MAX_JSON:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kinds = item.get("@type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                    return item
                stack.extend(item.get("@graph") or [])
    return {}


def _name(value: object) -> str:
    """A person's or organisation's name from a JSON-LD value (text, object, or list of them)."""
    if isinstance(value, str):
        return clean_line(value)
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        return ", ".join(name for name in (_name(v) for v in value) if name)
    return ""


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str:
    return next((values[key] for key in keys if values.get(key)), "")


def title_from_element(title: str, headings: list[str]) -> str:
    """The article title in a ``<title>`` text: all of it when a heading repeats it, else the text
    without its last separated part (the site name, most often) when three words or more are left."""
    title = clean_line(title)
    if title in headings:
        return title
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    last = list(_SEPARATOR.finditer(title))[-1]
    shorter = title[: last.start()].strip()
    return shorter if len(shorter.split()) >= 3 else title


def page_meta(doc: HtmlElement) -> PageMeta:
    """The metadata of a parsed page (before anything is removed from it)."""
    tags = _meta_tags(doc)
    ld = _json_ld(doc)
    element = doc.find(".//title")
    element_text = clean_line(element.text_content()) if element is not None else ""
    named = [name for name in (_name(ld.get("headline")), _name(ld.get("name"))) if name]
    # Of a headline and a name that differ, the one the <title> repeats (Wikipedia's headline is a summary).
    title = next((name for name in named if name in element_text), named[0] if named else "")
    title = title or _first(tags, _TITLE_KEYS)
    if not title:
        headings = [clean_line(h.text_content()) for h in doc.iter("h1", "h2")]
        if element_text:
            title = title_from_element(element_text, headings)
        elif headings:
            title = headings[0]
    canonical = ""
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            canonical = clean_line(link.get("href") or "")
            break
    publisher = ld.get("publisher")
    return PageMeta(
        title=title,
        byline=_name(ld.get("author")) or _first(tags, _BYLINE_KEYS),
        site=(_name(publisher) if isinstance(publisher, dict) else "") or tags.get("og:site_name", ""),
        published=_name(ld.get("datePublished")) or _first(tags, _PUBLISHED_KEYS),
        language=clean_line(doc.get("lang") or "") or _name(ld.get("inLanguage")) or tags.get("og:locale", ""),
        canonical_url=canonical or tags.get("og:url", ""),
        excerpt=_name(ld.get("description")) or _first(tags, _EXCERPT_KEYS),
    )
