"""Keys of the article pane, pressed while reading the seed: the passage cursor, paging, the ends,
extending and narrowing the passage, Esc; what reaches the store (the reading position, the
passage a bookmark gets), and a resize while reading."""

from __future__ import annotations

import pytest

from reader.domain.annotations.passages import sentences

from .keys_support import (
    SEED_BLOCKS,
    SEED_TITLE,
    cursor_on_screen,
    cursor_text,
    focused_id,
    headline,
    move_to_block,
    seed_text,
    wait_until,
)

LAST = len(SEED_BLOCKS) - 1
TWO_SENTENCES = SEED_BLOCKS[1]
assert len(sentences(TWO_SENTENCES.text)) == 2


def seed_id(run) -> str:
    (article,) = run.services.store.read_articles()  # opened with Enter: the one read article
    return article


async def saved_block(run, block: int) -> int | None:
    """The block of the reading position in the store, once it is ``block`` (or after a wait)."""
    def saved() -> int | None:
        state = run.services.store.reading_state(seed_id(run))
        return ((state or {}).get("anchor") or {}).get("block")

    await wait_until(run, lambda: saved() == block, tries=40)
    return saved()


def cursor_block(run) -> int:
    """The index of the seed block under the cursor (its text is unique)."""
    return next(b.index for b in SEED_BLOCKS if b.text == cursor_text(run))


def stored_quote(run) -> str:
    (annotation,) = run.services.store.annotations()
    return annotation.quote


# -- the passage cursor ---------------------------------------------------------------------------


@pytest.mark.parametrize(("keys", "expected"), [
    (["j"], 1), (["down", "down"], 2), (["j", "j", "j", "k"], 2), (["j", "j", "up"], 1),
])
async def test_j_k_down_up_move_the_passage_cursor_and_the_position_is_saved(launch, keys: list[str],
                                                                            expected: int) -> None:
    async with launch() as run:
        await run.press("enter", *keys)
        assert cursor_text(run) == SEED_BLOCKS[expected].text
        assert cursor_on_screen(run)
        assert focused_id(run) == "article"
        assert await saved_block(run, expected) == expected


@pytest.mark.parametrize(("forward", "back"), [("space", "shift+space"), ("pagedown", "pageup")])
async def test_space_and_pagedown_page_down_shift_space_and_pageup_page_back(launch, forward: str, back: str) -> None:
    async with launch() as run:
        await run.press("enter", forward)
        first = cursor_block(run)
        assert first > 1, "a page is more than one block"
        assert cursor_on_screen(run)
        await run.press(forward)
        second = cursor_block(run)
        assert second > first
        assert cursor_on_screen(run)
        assert await saved_block(run, second) == second
        await run.press(back)
        assert cursor_block(run) < second
        assert cursor_on_screen(run)
        await run.press(back, back)
        assert cursor_block(run) == 0


@pytest.mark.parametrize(("last", "first"), [("G", "g"), ("end", "home")])
async def test_G_and_end_go_to_the_last_block_g_and_home_to_the_first(launch, last: str, first: str) -> None:
    async with launch() as run:
        await run.press("enter", last)
        assert cursor_text(run) == SEED_BLOCKS[LAST].text
        assert cursor_on_screen(run)
        assert await saved_block(run, LAST) == LAST
        await run.press(first)
        assert cursor_text(run) == SEED_BLOCKS[0].text
        assert cursor_on_screen(run)
        assert await saved_block(run, 0) == 0


async def test_resizing_while_reading_keeps_the_cursor_block_on_screen(launch) -> None:
    async with launch() as run:
        await run.press("enter", *["j"] * 7)
        assert cursor_text(run) == SEED_BLOCKS[7].text
        assert cursor_on_screen(run)
        await run.pilot.resize_terminal(80, 24)
        await run.settle()
        await run.pilot.pause(0.1)
        assert cursor_text(run) == SEED_BLOCKS[7].text
        assert cursor_on_screen(run), "after 120×40 → 80×24 the passage under the cursor is still in view"


# -- extending and narrowing the passage ------------------------------------------------------------


@pytest.mark.parametrize(("start", "keys", "blocks"), [
    (0, ["J"], (0, 1)),
    (0, ["shift+down", "shift+down"], (0, 2)),
    (3, ["K", "K"], (1, 3)),
    (3, ["shift+up"], (2, 3)),
])
async def test_J_K_shift_down_shift_up_extend_the_passage_that_b_bookmarks(launch, start: int, keys: list[str],
                                                                         blocks: tuple[int, int]) -> None:
    async with launch() as run:
        await move_to_block(run, start)
        await run.press(*keys, "b")
        assert cursor_text(run) == SEED_BLOCKS[start].text, "the cursor stays; the passage grows"
        assert stored_quote(run) == seed_text(*blocks)
        (annotation,) = run.services.store.annotations()
        assert annotation.selectors.blocks == blocks


@pytest.mark.parametrize(("keys", "sentence"), [(["s"], 0), (["s", "s"], 1), (["S"], 1), (["S", "S"], 0)])
async def test_s_and_S_narrow_the_passage_to_a_sentence_that_b_bookmarks(launch, keys: list[str], sentence: int) -> None:
    start, end = sentences(TWO_SENTENCES.text)[sentence]
    async with launch() as run:
        await move_to_block(run, 1)
        await run.press(*keys, "b")
        assert stored_quote(run) == TWO_SENTENCES.text[start:end]


async def test_escape_on_a_narrowed_passage_widens_it_and_stays_in_the_article(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 1)
        await run.press("s", "escape")
        assert focused_id(run) == "article"
        await run.press("b")
        assert stored_quote(run) == TWO_SENTENCES.text, "the whole block again"


async def test_escape_on_an_extended_passage_widens_it(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 2)
        await run.press("J", "escape")
        assert focused_id(run) == "article"
        await run.press("b")
        assert stored_quote(run) == SEED_BLOCKS[2].text


async def test_escape_in_the_article_returns_to_the_list_and_keeps_the_article_open(launch) -> None:
    async with launch() as run:
        await move_to_block(run, 3)
        await run.press("escape")
        assert focused_id(run) == "articles"
        assert headline(run) == SEED_TITLE
        assert cursor_text(run) == SEED_BLOCKS[3].text
