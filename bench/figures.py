"""A table of benchmark figures: each median beside its target and its reference, OK or MISS."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One row of the table: a median, its target and, where there is one, its reference."""

    measure: str
    median: float
    target: float | None = None
    reference: float | None = None
    unit: str = "s"
    ratio: float | None = None
    """Judged against the reference instead: at most this many times it."""

    def verdict(self) -> str:
        """OK or MISS against the ratio or the target; empty for a figure shown for information."""
        if self.ratio is not None and self.reference:
            return "OK" if self.median <= self.reference * self.ratio else "MISS"
        if self.target is None:
            return ""
        return "OK" if self.median <= self.target else "MISS"

    def judged(self) -> str:
        """What the figure is judged by, for the table."""
        if self.ratio is not None and self.reference:
            return f"{self.median / self.reference:.2f}× (≤ {self.ratio:.1f}×)"
        return f"≤ {self.show(self.target)}" if self.target is not None else "(info)"

    def show(self, value: float | None) -> str:
        """A value of this figure in its unit."""
        if value is None:
            return "—"
        if self.unit == "MB":
            return f"{value:.0f} MB"
        return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def ms_list(samples: list[float]) -> str:
    """Samples (seconds) as a short list of milliseconds, for the progress log."""
    return "[" + " ".join(f"{s * 1000:.0f}" for s in samples) + "] ms"


def print_table(figures: list[Figure], runs: int) -> None:
    """The figures as a fixed-width table."""
    rows = [("measure", f"median ({runs} runs)", "reference", "target", "")]
    for f in figures:
        rows.append((f.measure, f.show(f.median), f.show(f.reference), f.judged(), f.verdict()))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
