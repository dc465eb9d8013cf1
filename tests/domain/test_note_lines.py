"""A note's Markdown as the lists show it: styled runs per line, nothing interpreted as markup."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.domain.annotations.note_lines import note_lines


def plain(note: str) -> list[str]:
    return ["".join(run.text for run in line) for line in note_lines(note)]


def styled(note: str, style: str) -> list[str]:
    return [run.text for line in note_lines(note) for run in line if style in run.styles]


def test_inline_styles_become_runs_and_markup_stays_text() -> None:
    note = "**Bold** and *em*, `code`, ~~gone~~, [a link](http://x.example) and [b]markup[/b]"
    assert plain(note) == ["Bold and em, code, gone, a link and [b]markup[/b]"]
    assert styled(note, "strong") == ["Bold"] and styled(note, "em") == ["em"] and styled(note, "code") == ["code"]
    assert styled(note, "strike") == ["gone"] and styled(note, "link") == ["a link"]


def test_blocks_become_lines_with_markers() -> None:
    note = "# Title\n\n- one\n- two\n  1. sub\n\n> said\n\n```\nx = 1\ny\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---"
    assert plain(note) == ["Title", "• one", "• two", "  1. sub", "▎ said", "x = 1", "y", "a │ b", "1 │ 2", "───"]
    assert styled(note, "heading") == ["Title"] and styled(note, "code") == ["x = 1", "y"]
    assert "• " in styled(note, "marker"), "a bullet is not the note's text"


def test_a_hard_break_starts_a_line_and_a_soft_one_does_not() -> None:
    assert plain("one\ntwo") == ["one two"]
    assert plain("one  \ntwo") == ["one", "two"]


def test_raw_html_is_shown_as_typed() -> None:
    assert plain("<b>x</b> & y") == ["<b>x</b> & y"]


@settings(deadline=None)
@given(st.text(max_size=200))
def test_any_note_renders_without_control_characters_or_empty_lines(note: str) -> None:
    for line in plain(note):
        assert line.strip()
        assert not any((ord(char) < 32 and char != "\t") or 0x7F <= ord(char) < 0xA0 for char in line), repr(line)


@settings(deadline=None, max_examples=500)
@example("a\n=")
@example("a\n-")
@example("a  \nb")
@example("a\n\n    code")
@given(st.text(alphabet=st.sampled_from("ab 1.,;'\"()=-+*_`#>|\n\t:<&!\\"), max_size=30))
def test_the_shortcut_for_plain_notes_gives_what_the_parser_gives(note: str) -> None:
    from reader.domain.annotations import note_lines as module

    if not module._MARKUP.search(note):
        assert module._plain(note) == module._parsed(note)
