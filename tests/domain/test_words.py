"""Word counts: white space for spaced scripts, characters for Chinese and Japanese."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.domain.articles.markdown import project
from reader.domain.articles.pages import paginate
from reader.domain.articles.words import count_words

CHINESE = "国务院总理今天在北京会见了来访的代表团，双方就经贸合作交换了意见。"  # 31 Han characters, 2 marks


@given(st.text(alphabet=st.characters(codec="ascii")))
def test_a_spaced_text_counts_its_runs_between_white_space(text: str) -> None:
    assert count_words(text) == len(text.split())


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFF)))
def test_a_text_without_kana_or_han_counts_as_before(text: str) -> None:
    assert count_words(text) == len(text.split())


def test_chinese_and_japanese_count_two_characters_a_word() -> None:
    assert count_words(CHINESE) == 16  # not 1
    assert count_words("東京で雨が降った。") == 4  # 8 kana and kanji, then a full stop
    assert count_words("한국어는 단어를 띄어 씁니다") == 4  # Hangul is spaced: four words
    assert count_words("Python 3.12 在 2023 年发布") == 3 + 2  # three spaced runs and four Han characters


@given(st.integers(1, 40))
def test_more_characters_never_count_fewer_words(n: int) -> None:
    assert count_words(CHINESE * n) <= count_words(CHINESE * (n + 1))


def test_a_long_chinese_article_is_cut_into_pages_like_any_other() -> None:
    body = "\n\n".join(CHINESE * 10 for _ in range(400))  # 400 paragraphs, 124,000 characters
    blocks = project(body).blocks
    assert sum(b.words for b in blocks) == 400 * count_words(CHINESE * 10)
    assert len(paginate(blocks)) > 40, "pages of about 1,200 words, not one page"
