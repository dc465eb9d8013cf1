"""The commonplace book: every tagged passage and article across the library, by tag; and the
filters' ``#tag`` and ``color:NAME`` (beside plain words in the annotations screen's, alone in
the article list's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from reader.domain.annotations.colors import BY_NAME
from reader.domain.annotations.model import Annotation
from reader.domain.annotations.tags import count_tags, tag_key

COLOR_PREFIXES = ("color:", "colour:")


@dataclass(frozen=True)
class TaggedArticle:
    """An article that carries a tag itself: its id and title."""

    id: str
    title: str


@dataclass(frozen=True)
class TagGroup:
    """One tag of the tag view, with its passages (newest first) and the articles tagged with it."""

    tag: str
    passages: tuple[Annotation, ...]
    articles: tuple[TaggedArticle, ...]


def tag_groups(annotations: Iterable[Annotation], article_tags: Mapping[str, tuple[str, ...]],
               titles: Mapping[str, str]) -> tuple[TagGroup, ...]:
    """Every tag, most used first (as ``reader tags`` orders them), with what carries it; an
    article no longer listed keeps its tag under its id."""
    annotations = list(annotations)
    groups = []
    for row in count_tags((a.tags for a in annotations), article_tags.values()):
        key = tag_key(row.tag)
        passages = tuple(a for a in annotations if any(tag_key(t) == key for t in a.tags))
        articles = tuple(TaggedArticle(article, titles.get(article, article)) for article, tags in article_tags.items()
                         if any(tag_key(t) == key for t in tags))
        groups.append(TagGroup(row.tag, passages, tuple(sorted(articles, key=lambda a: a.title.casefold()))))
    return tuple(groups)


@dataclass(frozen=True)
class AnnotationQuery:
    """What the annotations screen's filter asks for: words (in quote, note or title), tags that
    must all be there (as typed so far: ``#sci`` finds ``science``), and a colour ("" for any)."""

    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    color: str = ""
    unknown_color: str = ""
    """A ``color:`` the filter does not know (then nothing matches, and the screen says why)."""

    @classmethod
    def parse(cls, text: str) -> "AnnotationQuery":
        """``#science color:yellow atoms`` → tags, a colour and words (all casefolded)."""
        words: list[str] = []
        tags: list[str] = []
        color = unknown = ""
        for token in text.split():
            lowered = token.casefold()
            prefix = next((p for p in COLOR_PREFIXES if lowered.startswith(p)), None)
            if prefix is not None:
                name = lowered[len(prefix):]
                color, unknown = (name, "") if name in BY_NAME else (color, name or unknown)
            elif token.startswith("#") and len(token) > 1:
                tags.append(token[1:])
            else:
                words.append(lowered)
        return cls(tuple(words), tuple(tags), color, unknown)

    @property
    def empty(self) -> bool:
        """True when the filter asks for nothing."""
        return not (self.words or self.tags or self.color or self.unknown_color)

    @property
    def styled(self) -> bool:
        """True when the filter asks for tags or a colour (not only words)."""
        return bool(self.tags or self.color or self.unknown_color)

    def has_tags(self, tags: Iterable[str]) -> bool:
        """Whether ``tags`` hold every tag asked for (as typed so far)."""
        keys = [tag_key(t) for t in tags]
        return all(any(k.startswith(tag_key(w)) for k in keys) for w in self.tags)

    def matches_style(self, annotation: Annotation) -> bool:
        """Whether an annotation has the tags and the colour asked for."""
        if self.unknown_color or (self.color and annotation.color != self.color):
            return False
        return self.has_tags(annotation.tags)

    def matches(self, annotation: Annotation, haystack: str) -> bool:
        """Whether an annotation passes; ``haystack`` is its casefolded quote, note and title."""
        return self.matches_style(annotation) and all(word in haystack for word in self.words)

    def problem(self) -> str:
        """Why nothing can match ("" when something can)."""
        if not self.unknown_color:
            return ""
        return f"No colour {self.unknown_color[:20]!r}: the colours are {', '.join(BY_NAME)}."


def articles_styled(query: AnnotationQuery, annotations: Iterable[Annotation],
                    article_tags: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The articles the list's filter shows for ``#tag`` and ``color:NAME``: those with a passage
    that has them, and (for tags alone) those tagged so themselves."""
    found = {a.article for a in annotations if query.matches_style(a)}
    if query.tags and not (query.color or query.unknown_color):
        found |= {article for article, tags in article_tags.items() if query.has_tags(tags)}
    return found
