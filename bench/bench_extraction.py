"""Benchmark main-content extraction on Mozilla Readability's test pages: reader beside two references.

Run: ``python bench/bench_extraction.py [--quick] [--pages DIR] [--worst N] [--only NAME,...]``.

Each page folder holds ``source.html`` (the page as saved), ``expected.html`` (the article text
Mozilla Readability extracts) and ``expected-metadata.json`` (its title, among others). Every
extractor gets ``source.html`` and gives a title and a text; the text is scored against the text
of ``expected.html`` as bags of words (lower-cased ``\\w+`` runs, counted with repeats):
precision = shared / extracted words, recall = shared / expected words, F1 their harmonic mean,
averaged over the pages (an extractor that gives nothing scores 0 on that page). The title counts
when it equals the expected one after collapsing whitespace. The references run on the same pages
in the same run: readability-lxml (``Document.summary()`` and ``short_title()``) and trafilatura
(``bare_extraction`` with its defaults). Image alt text is left out on every side: the expected
text and the references' text have none, and reader's image placeholders (``▣ alt text``) are taken
out of its text before scoring. ``--quick`` takes every third page.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_PAGES = Path("shared") / "testdata" / "readability-pages"
_WORD = re.compile(r"\w+")

Extractor = Callable[[str, str], tuple[str, str]]
"""(html, url) -> (title, text)."""


@dataclass(frozen=True)
class Page:
    """One test page: its name, its HTML, and what Mozilla Readability made of it."""

    name: str
    html: str
    expected_text: str
    expected_title: str


@dataclass(frozen=True)
class Score:
    """One extractor on one page."""

    precision: float
    recall: float
    f1: float
    title_ok: bool
    seconds: float


def words(text: str) -> Counter[str]:
    """The bag of words of ``text``."""
    return Counter(_WORD.findall(text.casefold()))


def score_text(extracted: str, expected: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of ``extracted`` against ``expected``."""
    got, want = words(extracted), words(expected)
    shared = sum((got & want).values())
    if not got or not want:
        return (1.0, 1.0, 1.0) if not got and not want else (0.0, 0.0, 0.0)
    precision, recall = shared / sum(got.values()), shared / sum(want.values())
    f1 = 2 * precision * recall / (precision + recall) if shared else 0.0
    return precision, recall, f1


def same_title(got: str, want: str) -> bool:
    """Whether two titles are the same after collapsing whitespace."""
    return " ".join(got.split()) == " ".join(want.split())


def html_text(html: str) -> str:
    """The visible text of an HTML fragment."""
    import lxml.html

    if not html.strip():
        return ""
    return lxml.html.fromstring(html).text_content()


def find_pages() -> Path:
    """The test pages in the ``shared/`` folder beside the checkout (or beside one of its parents)."""
    for parent in Path(__file__).resolve().parents[1:]:
        if (parent / _PAGES).is_dir():
            return parent / _PAGES
    return Path(__file__).resolve().parents[2] / _PAGES


def load_pages(folder: Path) -> list[Page]:
    """Every page folder under ``folder`` that has the three files."""
    pages = []
    for sub in sorted(p for p in folder.iterdir() if (p / "source.html").is_file()):
        meta = json.loads((sub / "expected-metadata.json").read_text(encoding="utf-8"))
        pages.append(Page(
            name=sub.name,
            html=(sub / "source.html").read_text(encoding="utf-8"),
            expected_text=html_text((sub / "expected.html").read_text(encoding="utf-8")),
            expected_title=meta.get("title") or "",
        ))
    return pages


def reader_extractor(html: str, url: str) -> tuple[str, str]:
    """reader's own path for a local ``.html`` file: the parse the library does, then the projection.

    The image placeholders (``▣ alt text``) are taken out of the text: the expected text and the
    references' text leave alt text out too, so all three are scored on the same kind of words.
    """
    import lxml.html

    from reader.domain.articles.cleaning import clean_line
    from reader.domain.articles.formats import parse
    from reader.domain.articles.markdown import project
    from reader.domain.articles.simple_html import IMAGE_MARK

    parsed = parse(html, "html", "source")
    text = project(parsed.body).text
    if IMAGE_MARK in text:
        alts = {clean_line(img.get("alt") or "").replace("[", "(").replace("]", ")")
                for img in lxml.html.document_fromstring(html.encode("utf-8")).iter("img")}
        for alt in sorted(alts, key=len, reverse=True):
            text = text.replace(f"{IMAGE_MARK} {alt or 'image'}", " ")
        text = text.replace(f"{IMAGE_MARK} image", " ")
    return parsed.title, text


def readability_extractor(html: str, url: str) -> tuple[str, str]:
    """readability-lxml as it comes."""
    import logging

    from readability import Document

    logging.getLogger("readability").setLevel(logging.CRITICAL)
    document = Document(html, url=url)
    return document.short_title(), html_text(document.summary(html_partial=True))


def trafilatura_extractor(html: str, url: str) -> tuple[str, str]:
    """trafilatura with its defaults."""
    import trafilatura

    result = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if result is None:
        return "", ""
    return result.title or "", result.text or ""


EXTRACTORS: dict[str, Extractor] = {
    "reader": reader_extractor,
    "readability-lxml": readability_extractor,
    "trafilatura": trafilatura_extractor,
}


def run(extract: Extractor, page: Page) -> Score:
    """Score one extractor on one page; an exception scores zero."""
    start = time.perf_counter()
    try:
        title, text = extract(page.html, "http://fakehost/test/page.html")
    except Exception as error:  # noqa: BLE001 - a crash is a zero, and is reported
        print(f"  {page.name}: {type(error).__name__}: {error}", file=sys.stderr)
        title, text = "", ""
    seconds = time.perf_counter() - start
    precision, recall, f1 = score_text(text, page.expected_text)
    return Score(precision, recall, f1, same_title(title, page.expected_title), seconds)


def main() -> int:
    """Score every extractor on every page and print the table."""
    parser = argparse.ArgumentParser(description="Score main-content extraction on Readability's test pages.")
    parser.add_argument("--quick", action="store_true", help="every third page only")
    parser.add_argument("--pages", type=Path, default=None, help="the folder of test pages")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="also list reader's N lowest-F1 pages")
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()
    args.pages = args.pages or find_pages()
    if not args.pages.is_dir():
        print(f"no test pages at {args.pages}: nothing measured (the shared/ sample data is not here)")
        return 0
    pages = load_pages(args.pages)
    if args.only:
        wanted = set(args.only.split(","))
        pages = [p for p in pages if p.name in wanted]
    if args.quick:
        pages = pages[::3]
    scores: dict[str, list[Score]] = {}
    extractors = dict(EXTRACTORS)
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        print("trafilatura is not installed (pip install -e '.[bench]'): its row is left out", file=sys.stderr)
        del extractors["trafilatura"]
    for name, extract in extractors.items():
        extract(pages[0].html, "http://fakehost/")  # warm-up: imports
        scores[name] = [run(extract, page) for page in pages]
    rows = [("extractor", "mean F1", "precision", "recall", "titles", "median ms/page")]
    for name, results in scores.items():
        rows.append((
            name,
            f"{statistics.fmean(s.f1 for s in results):.3f}",
            f"{statistics.fmean(s.precision for s in results):.3f}",
            f"{statistics.fmean(s.recall for s in results):.3f}",
            f"{sum(s.title_ok for s in results)}/{len(results)}",
            f"{statistics.median(s.seconds for s in results) * 1000:.0f}",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print(f"{len(pages)} pages from {args.pages}")
    for n, row in enumerate(rows):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    if args.worst:
        print(f"\nreader's {args.worst} lowest F1 ({' / '.join(scores)}), and titles missed:")
        ranked = sorted(range(len(pages)), key=lambda i: scores["reader"][i].f1)
        for i in ranked[: args.worst]:
            print(f"  {pages[i].name:40} " + " / ".join(f"{scores[n][i].f1:.3f}" for n in scores))
        for i, page in enumerate(pages):
            if not scores["reader"][i].title_ok:
                print(f"  title {page.name}: {reader_extractor(page.html, '')[0]!r} != {page.expected_title!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
