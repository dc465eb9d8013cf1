"""Deterministic synthetic articles for the benchmarks: whole libraries, and single long articles.

A library mixes the seed format (section line, headline, one paragraph a line) with Markdown
files that carry YAML front matter. Every file gets a fixed modification time, so the same call
gives the same library, in the same order, on every machine. Article 0 is always the newest one,
so a benchmark knows which headline tops the sidebar.

Run: ``python bench/generate.py library DIR -n 1000`` or ``python bench/generate.py long FILE --words 10000``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
from dataclasses import dataclass
from pathlib import Path

NEWEST = dt.datetime(2025, 6, 30, 18, 0, tzinfo=dt.timezone.utc)
"""The timestamp of article 0; each later article is older."""
STEP = dt.timedelta(minutes=37)
MARKDOWN_EVERY = 4
"""One article in this many is Markdown with front matter; the rest are seed-format text."""

SECTIONS = ("NEWS", "WORLD", "BUSINESS", "SCIENCE", "HEALTH", "TECHNOLOGY", "SPORTS", "CULTURE", "OPINION", "CLIMATE")
AUTHORS = ("Ada Moreno", "Ben Okafor", "Chen Wei", "Dana Ruiz", "Elif Kaya", "Femi Adeyemi", "Greta Lind")
SOURCES = ("The Daily Ledger", "Harbor Times", "Northern Wire", "")
_COMMON = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have "
    "an had they you were their one all we can her has there been if more when will would who so no said "
    "year new people government report state city council market officials minister company week after "
    "plan data study public water energy school health workers prices court police election support "
    "research local national growth budget policy talks billion percent according expected announced"
).split()
_SYLLABLES = "ka lo mi ne ru sa te vo li da pe go ha ju ke ba zo wi fa ti en an or st re".split()
_HEADLINE_VERBS = ("Weighs", "Approves", "Rejects", "Delays", "Backs", "Questions", "Expands", "Cuts", "Studies", "Opens")


@dataclass(frozen=True)
class Generated:
    """One written article: where it is, its headline, and the date it sorts by."""

    path: Path
    title: str
    when: dt.datetime


class _Words:
    """An English-looking word stream: common words mixed with made-up ones."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rare = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(3000)]

    def word(self) -> str:
        if self.rng.random() < 0.6:
            return self.rng.choice(_COMMON)
        return self.rng.choice(self.rare)

    def sentence(self, low: int = 6, high: int = 20) -> str:
        words = [self.word() for _ in range(self.rng.randint(low, high))]
        return " ".join(words).capitalize() + "."

    def paragraph(self, words: int) -> str:
        sentences, count = [], 0
        while count < words:
            sentence = self.sentence()
            sentences.append(sentence)
            count += len(sentence.split())
        return " ".join(sentences)

    def headline(self, index: int) -> str:
        subject = " ".join(self.word().capitalize() for _ in range(self.rng.randint(1, 2)))
        rest = " ".join(self.word() for _ in range(self.rng.randint(3, 7)))
        return f"{subject} Council {self.rng.choice(_HEADLINE_VERBS)} {rest} (No. {index})"


def _markdown_inline(words: _Words, text: str) -> str:
    """Sprinkle emphasis, strong text, inline code and links over a paragraph."""
    parts = text.split(" ")
    rng = words.rng
    for _ in range(max(1, len(parts) // 40)):
        i = rng.randrange(len(parts))
        choice = rng.randrange(4)
        if choice == 0:
            parts[i] = f"*{parts[i]}*"
        elif choice == 1:
            parts[i] = f"**{parts[i]}**"
        elif choice == 2:
            parts[i] = f"`{parts[i]}`"
        else:
            parts[i] = f"[{parts[i]}](https://example.org/{rng.randrange(10_000)})"
    return " ".join(parts)


def seed_text(words: _Words, index: int) -> tuple[str, str]:
    """A seed-format article (section, headline, paragraphs a line each) and its headline."""
    rng = words.rng
    title = words.headline(index)
    paragraphs = [words.paragraph(rng.randint(30, 110)) for _ in range(rng.randint(4, 12))]
    return "\n".join([rng.choice(SECTIONS), title, *paragraphs]) + "\n", title


def markdown_text(words: _Words, index: int, when: dt.datetime) -> tuple[str, str]:
    """A short Markdown article with front matter (title, date, author, section, tags) and its headline."""
    rng = words.rng
    title = words.headline(index)
    source = rng.choice(SOURCES)
    front = [
        "---",
        f'title: "{title}"',
        f"date: {when.date().isoformat()}",
        f"author: {rng.choice(AUTHORS)}",
        f"section: {rng.choice(SECTIONS).title()}",
        *([f"source: {source}"] if source else []),
        f"tags: [{', '.join(words.word() for _ in range(rng.randint(1, 3)))}]",
        "---",
        "",
    ]
    body: list[str] = []
    for n in range(rng.randint(4, 10)):
        if n and rng.random() < 0.2:
            body.append(f"## {words.sentence(2, 5)[:-1]}")
        body.append(_markdown_inline(words, words.paragraph(rng.randint(30, 110))))
        if rng.random() < 0.15:
            body.append("\n".join(f"- {words.sentence(3, 9)}" for _ in range(rng.randint(2, 5))))
    return "\n".join(front) + "\n\n".join(body) + "\n", title


def write_library(folder: Path, count: int, seed: int = 0) -> list[Generated]:
    """Write ``count`` articles under ``folder`` (one sub-folder a section); article 0 is the newest."""
    rng = random.Random(seed)
    words = _Words(rng)
    written: list[Generated] = []
    for index in range(count):
        when = NEWEST - STEP * index
        markdown = index % MARKDOWN_EVERY == MARKDOWN_EVERY - 1
        if markdown:
            text, title = markdown_text(words, index, when)
        else:
            text, title = seed_text(words, index)
        section = SECTIONS[index % len(SECTIONS)].lower()
        path = folder / section / f"{index:06d}.{'md' if markdown else 'txt'}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        stamp = when.timestamp()
        os.utime(path, (stamp, stamp))
        written.append(Generated(path, title, when))
    return written


def long_article(words: int, seed: int = 1, title: str | None = None, date: str = "2001-01-01") -> str:
    """A Markdown article of about ``words`` words: front matter, headings, paragraphs, lists, quotes."""
    rng = random.Random(seed)
    stream = _Words(rng)
    title = title or f"A Long Read of {words:,} Words ({seed})"
    parts = ["---", f'title: "{title}"', f"date: {date}", f"author: {rng.choice(AUTHORS)}", "section: Longreads",
             "---", ""]
    body: list[str] = []
    count = 0
    since_heading = 0
    while count < words:
        if since_heading >= 800:
            heading = stream.sentence(2, 6)[:-1]
            body.append(f"## {heading}")
            count += len(heading.split())
            since_heading = 0
        roll = rng.random()
        if roll < 0.12:
            items = [stream.sentence(4, 14) for _ in range(rng.randint(3, 6))]
            marker = "-" if rng.random() < 0.6 else "1."
            body.append("\n".join(f"{marker} {item}" for item in items))
            added = sum(len(item.split()) for item in items)
        elif roll < 0.16:
            quote = stream.paragraph(rng.randint(20, 50))
            body.append(f"> {quote}")
            added = len(quote.split())
        else:
            paragraph = _markdown_inline(stream, stream.paragraph(rng.randint(50, 150)))
            body.append(paragraph)
            added = len(paragraph.split())
        count += added
        since_heading += added
    return "\n".join(parts) + "\n\n".join(body) + "\n"


def write_long_article(path: Path, words: int, seed: int = 1, title: str | None = None) -> Path:
    """Write ``long_article(words, seed, title)`` to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(long_article(words, seed, title), encoding="utf-8")
    return path


def main() -> None:
    """The command line: ``library DIR -n N`` or ``long FILE --words N``."""
    parser = argparse.ArgumentParser(description="Write deterministic synthetic articles for benchmarks.")
    sub = parser.add_subparsers(dest="kind", required=True)
    library = sub.add_parser("library", help="a folder of N articles (text and Markdown)")
    library.add_argument("folder", type=Path)
    library.add_argument("-n", "--count", type=int, default=1000)
    library.add_argument("--seed", type=int, default=0)
    long = sub.add_parser("long", help="one long Markdown article")
    long.add_argument("file", type=Path)
    long.add_argument("--words", type=int, default=10_000)
    long.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.kind == "library":
        written = write_library(args.folder, args.count, args.seed)
        print(f"wrote {len(written)} articles under {args.folder}; newest: {written[0].title if written else '-'}")
    else:
        write_long_article(args.file, args.words, args.seed)
        print(f"wrote {args.file} ({args.words:,} words)")


if __name__ == "__main__":
    main()
