"""Annotations grouped by article, kept in step with the store's tables.

Opening an article asks for its annotations, the sidebar for how many each article has, and the
filter for the articles whose notes contain a word. With 100,000 annotations a scan of all of
them per question costs a tenth of a second or more; these groups answer from one article's
records. A group's search text (its notes, quotes and titles, casefolded) is built on the first
search and dropped when one of its records changes.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

Record = dict[str, Any]

TABLE = "annotations"
SEARCHED = ("note", "quote", "title")
_SEPARATOR = "\x00"


def search_text(records: Iterable[Record]) -> str:
    """The casefolded note, quote and title of ``records``, each field apart from the others."""
    parts = {str(r.get(f) or "").casefold() for r in records for f in SEARCHED}
    parts.discard("")
    return _SEPARATOR.join(parts)


class StringSharer:
    """Makes equal strings that annotation records repeat one object (no value changes).

    A snapshot decoded in chunks holds a separate copy of every string the chunks repeat: the
    article id, title and url of each of an article's annotations, ``updated`` equal to
    ``created``, the id beside the key it is stored under, and the quote twice (the record's
    ``quote`` and its quote selector's ``exact``). Sharing them as each record is read keeps
    100,000 annotations in less memory. (Field names are shared already: ``json.loads`` shares
    the keys of every object it decodes in one call, and ``decode_lines`` decodes hundreds of
    records a call.)
    """

    def __init__(self) -> None:
        self._shared: dict[str, str] = {}

    def __call__(self, record: Record, key: str | None = None) -> Record:
        """``record`` (stored under ``key``) with its strings shared."""
        shared = self._shared
        if key is not None and record.get("id") == key:
            record["id"] = key
        for name in ("article", "title", "url"):
            value = record.get(name)
            if type(value) is str:
                record[name] = shared.setdefault(value, value)
        created = record.get("created")
        if created is not None and record.get("updated") == created:
            record["updated"] = created
        selectors = record.get("selectors")
        if type(selectors) is dict:
            quote = selectors.get("quote")
            if type(quote) is dict and quote.get("exact") == record.get("quote"):
                quote["exact"] = record["quote"]
        return record


def matches(record: Record, needle: str) -> bool:
    """True when ``needle`` (casefolded) is in the record's note, quote or title."""
    return any(needle in str(record.get(f) or "").casefold() for f in SEARCHED)


class ArticleGroups:
    """The annotation records of each article, by key, and a search text per article."""

    def __init__(self) -> None:
        self._groups: dict[str, dict[str, Record]] = {}
        self._texts: dict[str, str] = {}

    def rebuild(self, tables: Mapping[str, Mapping[str, Record]]) -> None:
        """Group every annotation afresh (after the tables were loaded or replaced)."""
        groups: dict[str, dict[str, Record]] = {}
        for key, record in tables.get(TABLE, {}).items():
            article = record.get("article")
            if isinstance(article, str):
                group = groups.get(article)
                if group is None:
                    groups[article] = {key: record}
                else:
                    group[key] = record
        self._groups = groups
        self._texts = {}

    def change(self, table: str, key: str, old: Record | None, new: Record | None) -> None:
        """Follow one record of ``table`` going from ``old`` to ``new`` (``None``: absent)."""
        if table != TABLE:
            return
        for record, keep in ((old, False), (new, True)):
            article = record.get("article") if record is not None else None
            if not isinstance(article, str):
                continue
            self._texts.pop(article, None)
            group = self._groups.setdefault(article, {})
            if keep:
                group[key] = record  # type: ignore[assignment]
            else:
                group.pop(key, None)
                if not group:
                    del self._groups[article]

    def records(self, article: str) -> list[Record]:
        """The records on ``article``."""
        return list(self._groups.get(article, {}).values())

    def counts(self) -> dict[str, int]:
        """How many annotations each article has."""
        return {article: len(group) for article, group in self._groups.items()}

    def articles_matching(self, needle: str) -> set[str]:
        """Articles with an annotation whose note, quote or title contains ``needle`` (casefolded)."""
        if _SEPARATOR in needle:  # cannot be told from the joins in the search text: ask each record
            return {a for a, group in self._groups.items() if any(matches(r, needle) for r in group.values())}
        texts = self._texts
        found: set[str] = set()
        for article, group in self._groups.items():
            text = texts.get(article)
            if text is None:
                text = texts[article] = search_text(group.values())
            if needle in text:
                found.add(article)
        return found
