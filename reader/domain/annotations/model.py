"""Bookmarks and notes on passages: the values the store keeps and the exporters read.

A passage is anchored in an article's plain-text projection (see ``reader.domain.articles.markdown``),
never in screen rows. Selectors follow the W3C Web Annotation model.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Mapping

CONTEXT_CHARS = 32
"""How many characters of prefix and suffix a TextQuoteSelector keeps."""


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string with microseconds, for created/updated."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class TextQuote:
    """A W3C TextQuoteSelector: the exact text and some context on each side."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class TextPosition:
    """A W3C TextPositionSelector: code-point offsets into the article's projection."""

    start: int
    end: int


@dataclass(frozen=True)
class Selectors:
    """Everything we know about where a passage is: quote, position and a block range hint."""

    quote: TextQuote
    position: TextPosition
    blocks: tuple[int, int] = (0, 0)

    @classmethod
    def for_span(cls, text: str, start: int, end: int, blocks: tuple[int, int] = (0, 0)) -> "Selectors":
        """Selectors for ``text[start:end]`` with the standard amount of context."""
        return cls(
            quote=TextQuote(
                exact=text[start:end],
                prefix=text[max(0, start - CONTEXT_CHARS) : start],
                suffix=text[end : end + CONTEXT_CHARS],
            ),
            position=TextPosition(start, end),
            blocks=blocks,
        )


@dataclass(frozen=True)
class Annotation:
    """A bookmark on a passage, with an optional note; or a note on a whole article.

    ``selectors`` is ``None`` for a note on the whole article. ``color`` is one of the names in
    ``colors.COLORS`` or ""; ``tags`` are cleaned tags (``colors.clean_tag``), each once.
    ``review`` is the passage's daily-review schedule as stored (see ``review``; empty when
    never reviewed). ``extra`` carries fields this version does not know, so that a newer
    file's data survives a save.
    """

    id: str
    article: str
    title: str = ""
    url: str = ""
    selectors: Selectors | None = None
    note: str = ""
    created: str = ""
    updated: str = ""
    color: str = ""
    tags: tuple[str, ...] = ()
    review: Mapping[str, Any] = field(default_factory=dict, repr=False)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def quote(self) -> str:
        """The passage's text as it was when it was made ("" for an article note)."""
        return self.selectors.quote.exact if self.selectors else ""

    @property
    def is_article_note(self) -> bool:
        """True for a note on the whole article rather than on a passage."""
        return self.selectors is None

    @classmethod
    def new(
        cls,
        article: str,
        *,
        title: str = "",
        url: str = "",
        selectors: Selectors | None = None,
        note: str = "",
        color: str = "",
        tags: tuple[str, ...] = (),
    ) -> "Annotation":
        """A fresh annotation with a new UUID and the current time."""
        now = utc_now()
        return cls(
            id=str(uuid.uuid4()),
            article=article,
            title=title,
            url=url,
            selectors=selectors,
            note=note,
            created=now,
            updated=now,
            color=color,
            tags=tags,
        )

    def with_note(self, note: str) -> "Annotation":
        """A copy with the note replaced and ``updated`` set to now."""
        return replace(self, note=note, updated=utc_now())

    def restyled(self, color: str, tags: tuple[str, ...]) -> "Annotation":
        """A copy with this colour and these tags and ``updated`` set to now."""
        return replace(self, color=color, tags=tags, updated=utc_now())

    def to_record(self) -> dict[str, Any]:
        """The JSON-ready record stored in TinyDB and written by the lossless export."""
        record: dict[str, Any] = dict(self.extra)
        record.update(
            id=self.id,
            article=self.article,
            title=self.title,
            url=self.url,
            quote=self.quote,
            note=self.note,
            created=self.created,
            updated=self.updated,
            selectors=None,
        )
        # a colour, tags or schedule of a shape this version cannot read stay (in ``extra``)
        # until this version replaces them
        if self.color or "color" not in self.extra:
            record["color"] = self.color
        if self.tags or "tags" not in self.extra:
            record["tags"] = list(self.tags)
        if self.review:
            record["review"] = dict(self.review)
        if self.selectors is not None:
            s = self.selectors
            record["selectors"] = {
                "quote": {"exact": s.quote.exact, "prefix": s.quote.prefix, "suffix": s.quote.suffix},
                "position": {"start": s.position.start, "end": s.position.end},
                "blocks": [s.blocks[0], s.blocks[1]],
            }
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> "Annotation":
        """Rebuild an annotation from a stored record; raises ``ValueError`` on a bad shape."""
        known = {"id", "article", "title", "url", "quote", "note", "created", "updated", "selectors"}
        color, tags, review = record.get("color", ""), record.get("tags", []), record.get("review", {})
        known |= {name for name, ok in (("color", isinstance(color, str)), ("tags", _is_tag_list(tags)),
                                        ("review", isinstance(review, dict))) if ok}
        try:
            raw = record.get("selectors")
            selectors = None
            if raw:
                q, p = raw["quote"], raw["position"]
                blocks = raw.get("blocks") or [0, 0]
                selectors = Selectors(
                    quote=TextQuote(str(q["exact"]), str(q.get("prefix", "")), str(q.get("suffix", ""))),
                    position=TextPosition(int(p["start"]), int(p["end"])),
                    blocks=(int(blocks[0]), int(blocks[1])),
                )
            return cls(
                id=str(record["id"]),
                article=str(record["article"]),
                title=str(record.get("title", "")),
                url=str(record.get("url", "")),
                selectors=selectors,
                note=str(record.get("note", "")),
                created=str(record.get("created", "")),
                updated=str(record.get("updated", "")),
                color=color if "color" in known else "",
                tags=tuple(dict.fromkeys(tags)) if "tags" in known else (),
                review=review if "review" in known else {},
                extra={k: v for k, v in record.items() if k not in known},
            )
        except (KeyError, TypeError, IndexError, AttributeError) as error:
            raise ValueError(f"not an annotation record: {error}") from error


def _is_tag_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(tag, str) for tag in value)
