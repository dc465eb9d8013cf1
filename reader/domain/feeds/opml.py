"""OPML 2.0 subscription lists: reading them safely (defusedxml) and writing them.

Tags travel as the ``category`` attribute (comma-separated); on import the titles of enclosing
folder outlines become tags too. Only http(s) feed addresses are imported; the rest are reported
as skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # writing only; reading goes through defusedxml
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.utils import formatdate

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from reader.domain.articles.cleaning import clean_line
from reader.domain.articles.htmlconv import safe_url

__all__ = ["MAX_OPML_BYTES", "OpmlDocument", "OpmlError", "OpmlFeed", "parse_opml", "write_opml"]

MAX_OPML_BYTES = 10 * 1024 * 1024
"""Largest OPML file :func:`parse_opml` reads."""


class OpmlError(Exception):
    """An OPML file that cannot be imported; ``str(error)`` is one sentence for the user."""


@dataclass(frozen=True)
class OpmlFeed:
    """One feed outline: its address, title, tags and (optional) home page."""

    url: str
    title: str = ""
    tags: tuple[str, ...] = ()
    html_url: str = ""


@dataclass(frozen=True)
class OpmlDocument:
    """What an OPML file holds: its title, its feeds, and the addresses that were refused."""

    title: str
    feeds: tuple[OpmlFeed, ...]
    skipped: tuple[str, ...] = ()


def _split_categories(value: str) -> list[str]:
    """OPML categories are comma-separated (maybe ``/slash/paths``); each becomes one tag."""
    tags: list[str] = []
    for category in value.split(","):
        tag = clean_line(category).strip("/ ")
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def parse_opml(data: bytes) -> OpmlDocument:
    """Read an OPML document; raise :class:`OpmlError` for anything unsafe or unreadable.

    DTDs, entity declarations and external references are refused outright (defusedxml).
    """
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"The OPML file is larger than {MAX_OPML_BYTES // (1024 * 1024)} MB.")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise OpmlError("The OPML file declares a DTD or entities, which reader refuses.") from None
    except (ParseError, ValueError, RecursionError) as error:
        raise OpmlError(f"The file is not valid XML ({clean_line(str(error))[:80]}).") from None
    if root.tag != "opml":
        raise OpmlError("The file is not OPML (its root element is not <opml>).")
    body = root.find("body")
    if body is None:
        raise OpmlError("The OPML file has no <body>.")
    title = clean_line(root.findtext("head/title") or "")
    feeds: dict[str, OpmlFeed] = {}
    skipped: list[str] = []
    stack: list[tuple[Iterator[ET.Element], tuple[str, ...]]] = [(iter(body), ())]
    while stack:
        children, folders = stack[-1]
        outline = next(children, None)
        if outline is None:
            stack.pop()
            continue
        if outline.tag != "outline":
            continue
        label = clean_line(outline.get("title") or outline.get("text") or "")
        raw_url = outline.get("xmlUrl") or outline.get("xmlurl")
        if raw_url is None:  # a folder: its title tags the feeds inside
            inner = folders + (label,) if label and label not in folders else folders
            stack.append((iter(outline), inner))
            continue
        url = safe_url(raw_url)
        if url is None:
            skipped.append(clean_line(raw_url)[:200])
            continue
        tags = list(folders)
        tags += [t for t in _split_categories(outline.get("category") or "") if t not in tags]
        feeds.setdefault(url, OpmlFeed(url, label, tuple(tags), safe_url(outline.get("htmlUrl")) or ""))
    return OpmlDocument(title=title, feeds=tuple(feeds.values()), skipped=tuple(skipped))


def write_opml(feeds: Iterable[OpmlFeed], title: str = "reader subscriptions") -> str:
    """An OPML 2.0 document listing ``feeds``, one flat outline each, tags as ``category``."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = clean_line(title)
    ET.SubElement(head, "dateCreated").text = formatdate(usegmt=True)
    body = ET.SubElement(root, "body")
    for feed in feeds:
        name = clean_line(feed.title) or feed.url
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": clean_line(feed.url)}
        if feed.html_url:
            attrs["htmlUrl"] = clean_line(feed.html_url)
        tags = [clean_line(t).replace(",", " ") for t in feed.tags]
        if any(tags):
            attrs["category"] = ",".join(t for t in tags if t)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
