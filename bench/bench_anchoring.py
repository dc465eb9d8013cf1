"""Benchmark re-anchoring on a 50,000-word article: prints the median time of each case.

Run with ``python bench/bench_anchoring.py``. A 200-character passage in the middle of the
article is anchored in: ``exact`` (the text unchanged), ``moved`` (text inserted before it),
``fuzzy-near`` (three edits inside it, moved a little), ``fuzzy-far`` (edited and moved by a
third of the article), ``orphaned`` (the passage deleted). The ``long-*`` cases do the same with
a 2,000-character passage. Each line says whether the span found is the right one.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.domain.annotations.anchoring import Anchor, anchor  # noqa: E402
from reader.domain.annotations.model import Selectors  # noqa: E402

WORDS = 50_000
RUNS = 15

_SYLLABLES = "ka lo mi ne ru sa te vo li da pe go ha ju ke ba zo wi fa ti en an or th st re".split()


def article(words: int, seed: int = 7) -> str:
    """A deterministic English-looking text of ``words`` words in sentences and paragraphs."""
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(3000)]
    vocabulary += ["the", "of", "and", "a", "to", "in", "is", "that", "it", "was"] * 60
    out: list[str] = []
    sentence: list[str] = []
    for n in range(words):
        sentence.append(rng.choice(vocabulary))
        if len(sentence) >= rng.randint(8, 24) or n == words - 1:
            text = " ".join(sentence)
            out.append(text[0].upper() + text[1:] + ".")
            out.append("\n\n" if rng.random() < 0.15 else " ")
            sentence = []
    return "".join(out)


def edited(passage: str) -> str:
    """``passage`` with a substitution, a deletion and a two-character insertion inside it."""
    a, b, c = len(passage) // 5, len(passage) // 2, 4 * len(passage) // 5
    return passage[:a] + "X" + passage[a + 1 : b] + passage[b + 1 : c] + "QZ" + passage[c:]


def median_ms(text: str, selectors: Selectors) -> tuple[float, Anchor]:
    """The median wall time of ``anchor`` in milliseconds, and its result."""
    result = anchor(text, selectors)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = anchor(text, selectors)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def cases(text: str, size: int) -> dict[str, tuple[str, int | None, int | None]]:
    """Each case's text and the span the passage now has there (None when it is gone)."""
    start = text.index(" ", len(text) // 2) + 1
    end = start + size
    before, passage, after = text[:start], text[start:end], text[end:]
    filler = article(200, seed=11)
    third = len(text) // 3
    changed = edited(passage)
    far_before, far_after = before[: start - third], before[start - third :] + after
    return {
        "exact": (text, start, end),
        "moved": (filler + text, len(filler) + start, len(filler) + end),
        "fuzzy-near": (filler + before + changed + after, len(filler) + start, len(filler) + start + len(changed)),
        "fuzzy-far": (far_before + changed + far_after, len(far_before), len(far_before) + len(changed)),
        "orphaned": (before + after, None, None),
    }


def main() -> None:
    """Time each case and print one line per case."""
    text = article(WORDS)
    print(f"text: {len(text):,} characters, {WORDS:,} words; median of {RUNS} runs")
    for size, label in ((200, ""), (2000, "long-")):
        start = text.index(" ", len(text) // 2) + 1
        selectors = Selectors.for_span(text, start, start + size)
        for name, (variant, want_start, want_end) in cases(text, size).items():
            ms, result = median_ms(variant, selectors)
            right = (result.start, result.end) == (want_start, want_end)
            print(f"{label + name:<16} {size:>5}-char quote {ms:8.2f} ms  {result.status:<8} {'right' if right else 'WRONG'} span")


if __name__ == "__main__":
    main()
