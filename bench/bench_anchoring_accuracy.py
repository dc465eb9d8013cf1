"""How often re-anchoring finds a passage at the right text after an edit: a table per kind of edit.

Run with ``python bench/bench_anchoring_accuracy.py [--quick] [--seed N] [--show N]``. The corpus is
``tests/domain/anchoring_corpus.py``: real articles (the seeds, and the readability test pages of
``../shared`` when it is there), a passage bookmarked in each, then one edit of each kind, with the
ground truth computed from the edit. Long passages are a sentence, 4-12 words, a paragraph or two
paragraphs; the ``short:`` rows are passages of one or two words.

For each case the anchor found in the edited text is:

- *right*: its span is the expected span, once both are trimmed of white space and punctuation
  (Unicode categories Z* and P*, and other white space) at their two edges: ``“Quick,`` and
  ``quick”`` differ, ``quick,`` and ``quick`` do not. The span is compared by position, not text,
  so a copy of the passage elsewhere is wrong;
- *wrong*: any other span, or any span for a passage the edit deleted;
- *orphaned*: no span; for the deletion kinds that is what they should get (*as it should*).

A case where the edited article holds the passage in two places has a row of its own, outside
the totals (``Case.ambiguous`` in the corpus): a near copy elsewhere (80 % of its words in order;
for a short one, with the context from its own paragraph), or a clause added next to it that
repeats the word it starts or ends with. No ground truth can say which place the bookmark is on
(or that a deleted one is gone); there *right* means the place the edit put it.

*status as expected* counts the cases whose status is the one a right answer has: ``exact`` for
the unchanged text at its stored offset, ``moved`` for it elsewhere, ``fuzzy`` for changed text,
``orphaned`` for a deleted passage. The target: 0 wrong, at least 99 % right of the passages still
there, every deleted passage orphaned.
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "domain"))

from anchoring_corpus import DELETIONS, KINDS, Case, cases, shared_folder  # noqa: E402

from reader.domain.annotations.anchoring import Anchor, anchor  # noqa: E402
from reader.domain.annotations.model import Selectors  # noqa: E402


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` moved inwards past white space and punctuation at both edges."""

    def loose(char: str) -> bool:
        return char.isspace() or unicodedata.category(char)[0] in "PZ"

    while start < end and loose(text[start]):
        start += 1
    while end > start and loose(text[end - 1]):
        end -= 1
    return start, end


def verdict(case: Case, found: Anchor) -> str:
    """``right``, ``wrong`` or ``orphaned`` for one case."""
    if found.start is None or found.end is None:
        return "orphaned"
    if case.expected is None:
        return "wrong"
    same = trimmed(case.new, found.start, found.end) == trimmed(case.new, *case.expected)
    return "right" if same else "wrong"


def main() -> int:
    """Anchor every case, print the table, and list a few of the wrong ones when asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 readability pages instead of all, one case a kind")
    parser.add_argument("--seed", type=int, default=10, help="another seed picks other passages and edits")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="print the first N wrong or orphaned cases")
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = list(cases(per_kind=1 if args.quick else 3, pages=8 if args.quick else None, seed=args.seed))
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    shown = 0
    anchoring_time = 0.0
    for case in corpus:
        before = time.perf_counter()
        found = anchor(case.new, Selectors.for_span(case.old, case.start, case.end))
        anchoring_time += time.perf_counter() - before
        row = ("short: " if case.shape == "short" else "") + case.kind
        if case.ambiguous:
            row = "ambiguous (not counted)"
        result = verdict(case, found)
        for key in (row,) if case.ambiguous else (row, "all"):
            tally[key]["cases"] += 1
            tally[key][result] += 1
            tally[key]["status"] += found.status == case.expected_status
        if result != "right" and case.kind not in DELETIONS and shown < args.show:
            shown += 1
            print(f"--- {row} ({case.shape}): {result}, {found.status}")
            print(f"    was:  {case.old[case.start:case.end]!r}")
            print(f"    want: {None if case.expected is None else case.new[slice(*case.expected)]!r}")
            print(f"    got:  {found.text!r}")
    source = "seeds + readability pages" if shared_folder() else "seeds only (../shared is absent)"
    print(f"{len(corpus):,} cases from {source}; anchoring took {anchoring_time:.1f} s "
          f"(all {time.perf_counter() - started:.1f} s)")
    header = f"{'kind of edit':<38}{'cases':>7}{'right':>7}{'wrong':>7}{'orphaned':>10}{'as it should':>14}{'status as expected':>20}"
    print(header)
    print("-" * len(header))
    rows = [k for k in KINDS] + ["short: " + k for k in KINDS] + ["all", "ambiguous (not counted)"]
    for row in rows:
        t = tally.get(row)
        if not t:
            continue
        deletion = row.removeprefix("short: ") in DELETIONS
        should = f"{t['orphaned']}/{t['cases']}" if deletion else ""
        print(f"{row:<38}{t['cases']:>7}{t['right']:>7}{t['wrong']:>7}{t['orphaned']:>10}{should:>14}{t['status']:>20}")
    there = [t for row, t in tally.items() if row.removeprefix("short: ") in KINDS and row.removeprefix("short: ") not in DELETIONS]
    gone = [t for row, t in tally.items() if row.removeprefix("short: ") in DELETIONS]
    kept, right = sum(t["cases"] for t in there), sum(t["right"] for t in there)
    deleted, orphaned = sum(t["cases"] for t in gone), sum(t["orphaned"] for t in gone)
    print(f"passages still there: {right:,} of {kept:,} right ({100 * right / max(1, kept):.2f} %, target >= 99 %); "
          f"wrong: {tally['all']['wrong']} (target 0); deleted passages orphaned: {orphaned} of {deleted}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
