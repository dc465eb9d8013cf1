"""The passage cursor: the block it is on, a range of blocks it was extended over, or one sentence
of its block it was narrowed to; and the span of the article's text that is the passage."""

from __future__ import annotations

from dataclasses import dataclass

from reader.domain.annotations.passages import block_span, sentences
from reader.domain.articles.markdown import Projection


@dataclass(frozen=True)
class PassageCursor:
    """Where the passage cursor is: ``block``, extended to ``extent`` or narrowed to ``sentence``."""

    block: int
    extent: int | None = None
    sentence: int | None = None

    @property
    def narrowed(self) -> bool:
        """True when the passage is a sentence or a range of blocks rather than the cursor's block."""
        return self.extent is not None or self.sentence is not None

    @property
    def blocks(self) -> tuple[int, int]:
        """The first and last block of the passage."""
        if self.extent is None:
            return (self.block, self.block)
        return (min(self.block, self.extent), max(self.block, self.extent))

    def sentence_span(self, projection: Projection) -> tuple[int, int] | None:
        """The narrowed sentence in projection offsets, if the cursor is narrowed to one."""
        if self.sentence is None or not 0 <= self.block < len(projection.blocks):
            return None
        block = projection.blocks[self.block]
        spans = sentences(block.text)
        if not spans:
            return None
        start, end = spans[min(self.sentence, len(spans) - 1)]
        return (block.start + start, block.start + end)

    def span(self, projection: Projection) -> tuple[int, int] | None:
        """The passage in projection offsets: a sentence, a block or a range of blocks."""
        if not 0 <= self.block < len(projection.blocks):
            return None
        sentence = self.sentence_span(projection)
        if sentence is not None:
            return sentence
        return block_span(projection, *self.blocks)

    def moved(self, block: int) -> "PassageCursor":
        """On another block, neither extended nor narrowed."""
        return PassageCursor(block)

    def widened(self) -> "PassageCursor":
        """Back to the whole cursor block."""
        return PassageCursor(self.block)

    def extended(self, projection: Projection, step: int) -> "PassageCursor | None":
        """Extended by one block with text down (``step`` > 0) or up; ``None`` at the edge."""
        base = self.block if self.extent is None else self.extent
        target = next_text_block(projection, base, step)
        return None if target is None else PassageCursor(self.block, extent=target)

    def sentence_count(self, projection: Projection) -> int:
        """How many sentences the cursor's block has (0 off the text)."""
        if not 0 <= self.block < len(projection.blocks):
            return 0
        return len(sentences(projection.blocks[self.block].text))

    def next_sentence(self, projection: Projection, step: int) -> "PassageCursor | None":
        """Narrowed to the next (or previous) sentence of its block, wrapping; ``None`` if it has none."""
        count = self.sentence_count(projection)
        if not count:
            return None
        if self.sentence is None:
            return PassageCursor(self.block, sentence=0 if step > 0 else count - 1)
        return PassageCursor(self.block, sentence=(self.sentence + step) % count)


def text_blocks(projection: Projection) -> list[int]:
    """The blocks the cursor can stop on: those with text."""
    return [block.index for block in projection.blocks if block.text]


def next_text_block(projection: Projection, block: int, step: int) -> int | None:
    """The next block with text after ``block`` (``step`` > 0) or before it; ``None`` at the edge."""
    blocks = projection.blocks
    index = block + (1 if step > 0 else -1)
    while 0 <= index < len(blocks):
        if blocks[index].text:
            return index
        index += 1 if step > 0 else -1
    return None
