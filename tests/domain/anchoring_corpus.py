"""Articles edited the ways editors edit them, each with where its bookmarked passage is now.

The texts are real: the seed articles, and the paragraphs (``<p>``) of the readability test pages
in ``../shared/testdata`` when that folder is there (skipped cleanly when it is not). An article is
a list of paragraphs of words (split on white space); the passage is a run of marked words. Each
edit works on the words, carrying the marks along, so the ground truth comes from the edit itself,
never from the anchoring code: the passage is now from the start of its first marked word to the
end of its last one (words inserted between them are marked too), or it is gone (``None``) when
the edit deleted its words. Texts are joined as the projection joins them: one space between
words, a blank line between paragraphs.

Long passages (a sentence, a few words, a paragraph, two paragraphs) are picked only where their
text occurs once in the article, since no anchoring can tell identical copies apart by their text;
short ones (one or two words) are picked anywhere, their context has to tell. Pages that repeat
runs of words a lot (lorem ipsum) are left out (``repeated``), and a deleted passage whose words
are still in the article elsewhere, or that has a near copy there, is flagged (``Case.ambiguous``).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ("sentence", "words", "paragraph", "two paragraphs", "short")


@dataclass(frozen=True)
class Word:
    """A word of an article, marked when it belongs to the passage."""

    text: str
    mark: bool = False


Doc = list[list[Word]]


@dataclass(frozen=True)
class Case:
    """A passage bookmarked in ``old`` at ``old[start:end]``, and where it is in ``new``."""

    kind: str
    shape: str
    old: str
    start: int
    end: int
    new: str
    expected: tuple[int, int] | None
    ambiguous: bool = False
    """``new`` holds the passage in two places: another copy of it (``said_twice``: the article
    said it twice), or a clause added next to it that repeats its edge word; no ground truth can
    say which place the bookmark is on, or that a deleted one is gone."""

    @property
    def expected_status(self) -> str:
        """The status a right answer has: exact, moved, fuzzy or orphaned."""
        if self.expected is None:
            return "orphaned"
        a, b = self.expected
        if self.new[a:b] != self.old[self.start : self.end]:
            return "fuzzy"
        return "exact" if a == self.start else "moved"


class _Paragraphs(HTMLParser):
    """The text of every ``<p>`` of a page, white space collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._parts: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._depth:
            self._depth -= 1
            if not self._depth:
                self.found.append(" ".join("".join(self._parts).split()))
                self._parts = []

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._parts.append(data)


def shared_folder() -> Path | None:
    """``../shared`` beside the checkout (a worktree's is one level further up), if it is there."""
    for folder in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if (folder / "testdata").is_dir():
            return folder
    return None


def texts(pages: int | None = None) -> list[list[str]]:
    """The paragraphs of each source article: the seeds, then up to ``pages`` readability pages."""
    found = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        found.append(seed.read_text(encoding="utf-8").splitlines()[2:])  # after section and headline
    shared = shared_folder()
    if shared is not None:
        for page in sorted((shared / "testdata" / "readability-pages").glob("*/expected.html"))[:pages]:
            parser = _Paragraphs()
            parser.feed(page.read_text(encoding="utf-8", errors="replace"))
            found.append(parser.found)
    kept = ([p for p in text if len(p.split()) >= 6][:60] for text in found)
    return [ps for ps in kept if len(ps) >= 5 and repeated(ps) <= 0.05]


def repeated(paragraphs: list[str]) -> float:
    """The share of the runs of six words (case and punctuation aside) that occur more than once.

    Test pages filled with lorem ipsum repeat whole sentences; there, a "deleted" passage is still
    in the text word for word, and no ground truth could say it is gone.
    """
    words = [w.strip(".,;:!?\"'“”‘’()").casefold() for p in paragraphs for w in p.split()]
    runs = Counter(tuple(words[i : i + 6]) for i in range(len(words) - 5))
    return sum(n for n in runs.values() if n > 1) / max(1, sum(runs.values()))


def render(doc: Doc) -> tuple[str, tuple[int, int] | None]:
    """The text, and the span from the first marked word's start to the last one's end."""
    lines = [" ".join(w.text for w in paragraph) for paragraph in doc if paragraph]
    first = last = None
    at = 0
    for line, paragraph in zip(lines, (paragraph for paragraph in doc if paragraph)):
        if any(w.mark for w in paragraph):
            word_at = at
            for word in paragraph:
                if word.mark:
                    first = word_at if first is None else first
                    last = word_at + len(word.text)
                word_at += len(word.text) + 1
        at += len(line) + 2
    return "\n\n".join(lines), (None if first is None or last is None else (first, last))


_QUOTES = "\"'“”‘’"
_END = re.compile(r"[.!?][\"'”’)\]]*$")


def _sentences(paragraph: list[Word]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, word in enumerate(paragraph):
        if _END.search(word.text) or i == len(paragraph) - 1:
            spans.append((start, i + 1))
            start = i + 1
    return spans


def _marked(doc: Doc) -> list[int]:
    return [p for p, paragraph in enumerate(doc) if any(w.mark for w in paragraph)]


def _mark(doc: Doc, p: int, a: int, b: int) -> Doc:
    """A copy of ``doc`` (the other paragraphs shared) with words ``a:b`` of paragraph ``p`` marked."""
    marked = list(doc)
    marked[p] = [Word(w.text, a <= i < b) for i, w in enumerate(doc[p])]
    return marked


def _pick(doc: Doc, shape: str, rng: random.Random, quotes: bool = False) -> Doc | None:
    """``doc`` with a passage of ``shape`` marked (in a paragraph with quotation marks when
    ``quotes``), or ``None`` when none fits."""
    if quotes:
        with_quotes = [p for p, ps in enumerate(doc) if any(c in w.text for w in ps for c in _QUOTES)]
        if not with_quotes:
            return None
    p = rng.choice(with_quotes) if quotes else rng.randrange(len(doc))
    paragraph = doc[p]
    if shape == "sentence":
        a, b = rng.choice(_sentences(paragraph))
    elif shape == "words":
        size = rng.randint(4, 12)
        if len(paragraph) <= size:
            return None
        a = rng.randrange(len(paragraph) - size)
        b = a + size
    elif shape == "short":
        size = rng.randint(1, 2)
        if len(paragraph) < size + 4:
            return None
        a = rng.randrange(len(paragraph) - size + 1)
        b = a + size
    else:
        a, b = 0, len(paragraph)
    marked = _mark(doc, p, a, b)
    if shape == "two paragraphs":
        if p + 1 >= len(doc):
            return None
        marked[p + 1] = [Word(w.text, True) for w in marked[p + 1]]
    text, span = render(marked)
    if span is None:
        return None
    if shape != "short" and text.count(text[span[0] : span[1]]) != 1:
        return None
    return marked


_TYPOS: tuple[Callable[[str, int], str], ...] = (
    lambda w, i: w[:i] + w[i + 1] + w[i] + w[i + 2 :],  # two letters swapped
    lambda w, i: w[:i] + w[i + 1 :],  # a letter dropped
    lambda w, i: w[:i] + w[i] + w[i:],  # a letter doubled
    lambda w, i: w[:i] + ("e" if w[i] != "e" else "a") + w[i + 1 :],  # a letter wrong
)


def _typo(word: str, rng: random.Random) -> str | None:
    letters = [i for i in range(len(word) - 1) if word[i].isalpha() and word[i + 1].isalpha()]
    return None if len(letters) < 3 else rng.choice(_TYPOS)(word, rng.choice(letters))


def _clause(source: Doc, rng: random.Random, mark: bool) -> tuple[list[Word], bool]:
    """A few words from elsewhere as an aside (between commas, dashes or parentheses), and whether
    the word before it takes a comma."""
    paragraph = rng.choice(source)
    size = rng.randint(2, min(14, len(paragraph)))
    at = rng.randrange(len(paragraph) - size + 1)
    words = [w.text.strip(".,;:!?\"“”()") or "so" for w in paragraph[at : at + size]]
    left, right = rng.choice([(",", ","), ("—", "—"), ("(", ")")])
    if left == ",":
        words[-1] += ","
    else:
        words = [left + words[0]] + words[1:-1] + [words[-1] + right]
    return [Word(w, mark) for w in words], left == ","


def _insert(paragraph: list[Word], at: int, clause: tuple[list[Word], bool]) -> None:
    words, comma = clause
    if comma and at and not paragraph[at - 1].text.endswith(","):
        paragraph[at - 1] = replace(paragraph[at - 1], text=paragraph[at - 1].text + ",")
    paragraph[at:at] = words


def _quote_style(text: str) -> str:
    if any(c in text for c in "“”‘’"):
        return text.translate(str.maketrans("“”‘’", "\"\"''"))
    return re.sub(r'(^|(?<=[\s(\[]))"', "“", text).replace('"', "”").replace("'", "’")


def _edit(kind: str, doc: Doc, other: Doc, rng: random.Random) -> tuple[Doc, Doc, bool] | None:
    """``(old, new, ambiguous)`` for an edit of ``kind`` on ``doc`` (``other`` lends words), or
    ``None``. Ambiguous: a clause added next to the passage's first (last) word begins (ends) with
    that very word, so that the text reads as well with the passage's edge inside the clause."""
    new = [list(ps) for ps in doc]
    ambiguous = False
    here = _marked(doc)
    first, last = here[0], here[-1]
    if kind == "typo fixed":
        spots = [(p, i) for p in here for i, w in enumerate(doc[p]) if w.mark]
        if len(spots) <= 2 and rng.random() < 0.5:  # a short quote: half the time in its context
            p, i = spots[0]
            spots = [(p, j) for j in range(max(0, i - 4), min(len(doc[p]), i + 6)) if not doc[p][j].mark]
        p, i = rng.choice(spots)
        typo = _typo(doc[p][i].text, rng)
        if typo is None:
            return None
        old = [list(ps) for ps in doc]
        old[p][i] = replace(doc[p][i], text=typo)
        return old, doc, False
    if kind == "clause inside":
        inner = [(p, i) for p in here for i in range(len(doc[p]) - 1) if doc[p][i].mark and doc[p][i + 1].mark]
        if not inner:
            return None
        p, i = rng.choice(inner)
        clause = _clause(other, rng, mark=True)
        marks = [j for j, w in enumerate(doc[p]) if w.mark]
        ambiguous = (i == marks[0] and _key(clause[0][-1].text) == _key(doc[p][i].text)) or (
            i + 1 == marks[-1] and _key(clause[0][0].text) == _key(doc[p][i + 1].text))
        _insert(new[p], i + 1, clause)
    elif kind == "clause around":
        ends = [i for i, w in enumerate(doc[first]) if w.mark]
        clause = _clause(other, rng, mark=False)
        one = first == last and len(ends) == 1
        if rng.random() < 0.5:
            ambiguous = one and _key(clause[0][0].text) == _key(doc[first][ends[0]].text)
            _insert(new[first], ends[0], clause)
        else:
            tail = [i for i, w in enumerate(doc[last]) if w.mark][-1] + 1
            ambiguous = one and _key(clause[0][-1].text) == _key(doc[last][tail - 1].text)
            _insert(new[last], tail, clause)
    elif kind == "paragraph inserted":
        new.insert(rng.randint(0, len(new)), [Word(w.text) for w in rng.choice(other)])
    elif kind == "paragraph deleted":
        choices = [p for p in range(len(doc)) if p not in here]
        del new[rng.choice(choices)]
    elif kind == "paragraphs reordered":
        block = new[first : last + 1]
        del new[first : last + 1]
        to = rng.choice([p for p in range(len(new) + 1) if p != first])
        new[to:to] = block
    elif kind == "quote style":
        if not any(c in w.text for w in doc[first] for c in _QUOTES):
            return None
        new = [[Word(_quote_style(w.text), w.mark) for w in ps] for ps in doc]
    elif kind == "passage's paragraph deleted":
        del new[first : last + 1]
    elif kind == "passage's sentence deleted":
        if first != last:
            return None
        spans = [(a, b) for a, b in _sentences(doc[first]) if any(w.mark for w in doc[first][a:b])]
        if len(spans) != 1 or spans[0] == (0, len(doc[first])):
            return None
        del new[first][spans[0][0] : spans[0][1]]
    return doc, new, ambiguous


def _key(word: str) -> str:
    return word.strip(".,;:!?\"'“”‘’()[]—…").casefold()


def _keys(text: str) -> list[str]:
    return [_key(w) for w in text.split()]


def said_twice(old: str, start: int, end: int, new: str, expected: tuple[int, int] | None, short: bool) -> bool:
    """Whether ``new`` has another copy of the passage (a short one's with the context from its own
    paragraph, 32 characters on each side): 80 % of its words, in order, in a stretch of the same
    length (give or take two words; 20 for a long passage, whose copy may have a clause more)
    around any of its longer words, outside the paragraphs where the passage is now (``expected``)."""
    if short:
        before, after = old[max(0, start - 32) : start], old[end : end + 32]
        before, after = before[before.rfind("\n") + 1 :], after.split("\n", 1)[0]
        words = _keys(before)[len(before) == 32 :] + _keys(old[start:end]) + _keys(after)[: len(_keys(after)) - (len(after) == 32)]
    else:
        words = _keys(old[start:end])
    if expected is None:
        others = _keys(new)
    else:  # the paragraphs the passage is in now are not another copy
        lo, hi = new.rfind("\n\n", 0, expected[0]), new.find("\n\n", expected[1])
        others = _keys(new[: max(0, lo)]) + ["\0"] + _keys(new[hi:] if hi != -1 else "")
    if not words:
        return False
    where: dict[str, list[int]] = {}
    for j, word in enumerate(others):
        where.setdefault(word, []).append(j)
    starts = {j - i for i, word in enumerate(words) if len(word) >= 4 for j in where.get(word, [])[:20]}
    slack = 2 if short else 20  # a long passage's copy may have a clause more
    for at in sorted(starts):
        around = others[max(0, at - slack) : at + len(words) + slack]
        same = sum(block.size for block in SequenceMatcher(None, words, around, autojunk=False).get_matching_blocks())
        if same >= 0.8 * len(words):
            return True
    return False


KINDS = (
    "typo fixed", "clause inside", "clause around", "paragraph inserted", "paragraph deleted",
    "paragraphs reordered", "quote style", "passage's paragraph deleted", "passage's sentence deleted",
)
DELETIONS = ("passage's paragraph deleted", "passage's sentence deleted")


def cases(per_kind: int = 3, pages: int | None = None, seed: int = 10) -> Iterator[Case]:
    """``per_kind`` cases of each kind of edit and each shape of passage, for every source text."""
    rng = random.Random(seed)
    sources = [[[Word(w) for w in p.split()] for p in text] for text in texts(pages)]
    for n, doc in enumerate(sources):
        other = sources[(n + 1) % len(sources)]
        for shape in SHAPES:
            for kind in KINDS:
                if shape == "short" and kind == "clause inside" or shape == "two paragraphs" and kind.endswith("sentence deleted"):
                    continue
                made = 0
                for _ in range(per_kind * 8):
                    if made == per_kind:
                        break
                    marked = _pick(doc, shape, rng, quotes=kind == "quote style")
                    edited = None if marked is None else _edit(kind, marked, other, rng)
                    if edited is None:
                        continue
                    (old, old_span), (new, new_span) = render(edited[0]), render(edited[1])
                    if old_span is None or old == new:
                        continue
                    made += 1
                    ambiguous = edited[2] or said_twice(old, *old_span, new, new_span, shape == "short")
                    yield Case(kind, shape, old, *old_span, new, new_span, ambiguous)
