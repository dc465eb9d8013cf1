"""Every key has a test: the table of keys (from the bindings and from README.md) and their tests,
and the checks that keep it whole."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from functools import lru_cache
from pathlib import Path

from textual.binding import Binding

import reader.ui

README = Path(__file__).resolve().parents[2] / "README.md"

DIALOGS = {"HelpScreen", "ConfirmScreen", "PromptScreen", "NoteEditor", "AnnotationsScreen", "ResolveScreen", "LinkList",
           "ColorChooser", "ReviewScreen", "TagView", "Choices"}
"""Screens whose keys work on that screen only, and are shown there: the help lists the rest."""


@lru_cache(maxsize=1)
def ui_bindings() -> tuple[tuple[str, Binding], ...]:
    """(class name, binding) for every binding declared by a class of ``reader.ui``."""
    found: list[tuple[str, Binding]] = []
    modules = [reader.ui.__name__] + [m.name for m in pkgutil.walk_packages(reader.ui.__path__, "reader.ui.")]
    for name in sorted(modules):
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name or "BINDINGS" not in vars(cls):
                continue
            for item in vars(cls)["BINDINGS"]:
                binding = item if isinstance(item, Binding) else Binding(*item)
                found.append((cls.__name__, binding))
    return tuple(found)


def help_bindings() -> list[Binding]:
    """The bindings the help screen must list: all but the dialogs' own."""
    return [binding for owner, binding in ui_bindings() if owner not in DIALOGS]


# -- the table ---------------------------------------------------------------------------------------
#
# One row per key: where it applies (a binding id; for a key a Textual widget handles itself,
# the widget and what it does), the key as Textual names it, and the tests that press it there.
# A test marked (D) fails on today's code because of a known defect (issue 11) or one these
# tests found; see the report of branch i1x-keys.

LIST = "test_keys_list.py::"
ARTICLE = "test_keys_article.py::"
PASSAGES = "test_keys_passages.py::"
NOTES = "test_keys_notes.py::"
MODALS = "test_keys_modals.py::"
FEEDS = "test_keys_feeds.py::"
ACCOUNTS = "test_keys_accounts.py::"
LINKS = "test_keys_links.py::"
COMMON = "test_keys_commonplace.py::"
NOTES_VIEW = "test_notes_view.py::"

KEYS: list[tuple[str, str, list[str]]] = [
    # app
    ("app.palette", "ctrl+p", [LIST + "test_ctrl_p_opens_the_palette_and_an_article_from_it",
                               MODALS + "test_escape_closes_the_palette",
                               FEEDS + "test_enter_in_the_add_feed_prompt_subscribes_and_fetches"]),
    ("main.next_pane", "tab", [LIST + "test_tab_cycles_list_article_and_back_without_the_filter_box",  # (D)
                               LIST + "test_tab_and_shift_tab_cycle_list_article_notes_panel"]),  # (D)
    ("main.previous_pane", "shift+tab", [LIST + "test_tab_and_shift_tab_cycle_list_article_notes_panel"]),  # (D)
    # the reading screen
    ("main.filter", "slash", [LIST + "test_slash_focuses_the_filter_and_typing_narrows_the_list",
                              COMMON + "test_slash_with_a_tag_or_a_colour_lists_the_articles_that_carry_it"]),
    ("main.back", "escape", [LIST + "test_escape_in_the_filter_box_clears_it_and_returns_to_the_list",
                             LIST + "test_escape_in_the_list_clears_the_filter_after_focus_left_the_box",  # (D)
                             ARTICLE + "test_escape_in_the_article_returns_to_the_list_and_keeps_the_article_open"]),
    ("main.next", "full_stop", [LIST + "test_full_stop_and_comma_open_the_next_and_previous_article",  # (D) over a heading
                                LIST + "test_full_stop_and_comma_on_a_slow_disk_still_mark_the_article_read"]),  # (D) found
    ("main.previous", "comma", [LIST + "test_full_stop_and_comma_open_the_next_and_previous_article",  # (D) over a heading
                                LIST + "test_full_stop_and_comma_on_a_slow_disk_still_mark_the_article_read"]),  # (D) found
    ("main.help", "question_mark", [LIST + "test_question_mark_shows_help_with_every_key_of_the_reading_screen"]),
    ("main.quit", "q", [LIST + "test_q_quits_and_writes_the_position_still_waiting_for_its_timer",
                        LIST + "test_q_in_the_filter_box_is_typed_and_does_not_quit"]),
    # passages
    ("passage.bookmark", "b", [PASSAGES + "test_b_bookmarks_the_block_under_the_cursor",
                               PASSAGES + "test_b_on_a_bookmarked_block_asks_and_y_removes_the_bookmark",
                               PASSAGES + "test_b_inside_a_bookmarked_multi_block_passage_asks_to_remove_it"]),  # (D)
    ("passage.note", "n", [PASSAGES + "test_n_writes_a_note_on_the_passage",
                           PASSAGES + "test_n_on_a_bookmarked_block_edits_that_bookmarks_note",
                           PASSAGES + "test_n_inside_a_noted_multi_block_passage_edits_its_note"]),  # (D)
    ("passage.article_note", "N", [PASSAGES + "test_N_writes_a_note_on_the_whole_article_and_N_again_edits_it"]),
    ("passage.next", "right_square_bracket", [PASSAGES + "test_right_and_left_bracket_jump_between_bookmarks"]),
    ("passage.previous", "left_square_bracket", [PASSAGES + "test_right_and_left_bracket_jump_between_bookmarks"]),
    ("passage.panel", "o", [PASSAGES + "test_o_shows_and_focuses_the_notes_panel_and_o_again_hides_it"]),
    ("passage.all", "a", [PASSAGES + "test_a_lists_every_annotation_and_enter_opens_the_passage"]),
    ("passage.undo", "u", [PASSAGES + "test_u_restores_the_last_deleted_bookmark"]),
    ("passage.color", "c", [COMMON + "test_c_chooses_a_colour_that_the_article_the_panel_and_the_store_show",
                            COMMON + "test_the_annotations_filter_takes_a_tag_and_a_colour"]),
    ("passage.tags", "t", [COMMON + "test_t_tags_the_passage_and_t_again_edits_its_tags",
                           COMMON + "test_number_sign_lists_tagged_passages_by_tag_and_enter_opens_one"]),
    ("passage.article_tags", "T", [COMMON + "test_T_tags_the_whole_article_and_the_panel_shows_it"]),
    ("passage.cite", "y", [COMMON + "test_y_copies_the_citation_reader_cite_prints_and_saves_nothing"]),
    # the daily review and the tag view
    ("commonplace.review", "v", [COMMON + "test_v_shows_todays_passages_g_answers_s_skips_and_not_twice_a_day"]),
    ("commonplace.tags", "number_sign", [COMMON + "test_number_sign_lists_tagged_passages_by_tag_and_enter_opens_one",
                                         COMMON + "test_escape_leaves_the_tag_view"]),
    ("review.again", "a", [COMMON + "test_a_h_g_e_record_each_answer_and_schedule_further_each_time"]),
    ("review.hard", "h", [COMMON + "test_a_h_g_e_record_each_answer_and_schedule_further_each_time"]),
    ("review.good", "g", [COMMON + "test_v_shows_todays_passages_g_answers_s_skips_and_not_twice_a_day",
                          COMMON + "test_a_h_g_e_record_each_answer_and_schedule_further_each_time"]),
    ("review.easy", "e", [COMMON + "test_a_h_g_e_record_each_answer_and_schedule_further_each_time"]),
    ("review.skip", "s", [COMMON + "test_v_shows_todays_passages_g_answers_s_skips_and_not_twice_a_day"]),
    ("review.close", "escape", [COMMON + "test_v_shows_todays_passages_g_answers_s_skips_and_not_twice_a_day",
                                COMMON + "test_escape_leaves_the_review_and_a_passage_not_shown_stays_for_today",
                                COMMON + "test_answers_then_escape_at_once_on_a_slow_disk_still_store_every_answer"]),
    ("tags.back", "escape", [COMMON + "test_escape_leaves_the_tag_view"]),
    ("#tags-list OptionList select", "enter", [COMMON + "test_number_sign_lists_tagged_passages_by_tag_and_enter_opens_one"]),
    # the colour chooser
    ("colors.cancel", "escape", [COMMON + "test_escape_closes_the_colour_chooser_and_changes_nothing"]),
    ("#colors OptionList select", "enter", [COMMON + "test_c_chooses_a_colour_that_the_article_the_panel_and_the_store_show"]),
    # the dialogs' lists (colours, links, the texts of a note, the tag view)
    ("choices.down", "j", [COMMON + "test_j_and_k_move_in_the_colour_chooser", COMMON + "test_j_and_k_move_in_the_tag_view",
                           LINKS + "test_j_and_k_move_in_the_link_list", NOTES + "test_j_and_k_move_in_the_resolve_dialog"]),
    ("choices.up", "k", [COMMON + "test_j_and_k_move_in_the_colour_chooser", COMMON + "test_j_and_k_move_in_the_tag_view",
                         LINKS + "test_j_and_k_move_in_the_link_list", NOTES + "test_j_and_k_move_in_the_resolve_dialog"]),
    # feeds
    ("feeds.refresh", "r", [FEEDS + "test_r_fetches_every_feed_and_lists_the_new_articles",
                            FEEDS + "test_r_without_feeds_says_how_to_add_one",
                            ACCOUNTS + "test_r_syncs_the_account_with_progress_and_lists_its_entries_under_their_category",
                            ACCOUNTS + "test_r_with_the_server_away_says_so_in_one_line_and_changes_nothing",
                            ACCOUNTS + "test_a_feed_both_local_and_on_the_server_is_listed_once_in_the_app"]),
    ("main.star", "asterisk", [ACCOUNTS + "test_asterisk_stars_a_local_article_and_again_unstars_it",
                               ACCOUNTS + "test_opening_marks_read_star_key_stars_and_the_next_r_sends_both"]),
    ("feeds.refresh_one", "R", [FEEDS + "test_R_fetches_only_the_feed_of_the_article_being_read",
                                FEEDS + "test_R_reading_a_feed_article_with_the_list_cursor_on_its_heading",  # (D) found
                                FEEDS + "test_R_on_an_article_that_is_not_from_a_feed_says_so"]),
    # the article list
    ("list.down", "j", [LIST + "test_j_k_down_up_move_in_the_list_and_preview_without_marking_read"]),
    ("list.down", "down", [LIST + "test_j_k_down_up_move_in_the_list_and_preview_without_marking_read"]),
    ("list.up", "k", [LIST + "test_j_k_down_up_move_in_the_list_and_preview_without_marking_read"]),
    ("list.up", "up", [LIST + "test_j_k_down_up_move_in_the_list_and_preview_without_marking_read"]),
    ("list.pagedown", "pagedown", [LIST + "test_pagedown_and_pageup_move_a_page_and_keep_the_cursor_in_view"]),
    ("list.pageup", "pageup", [LIST + "test_pagedown_and_pageup_move_a_page_and_keep_the_cursor_in_view"]),
    ("list.first", "g", [LIST + "test_g_and_home_go_to_the_first_article_not_its_group_heading"]),  # (D)
    ("list.first", "home", [LIST + "test_g_and_home_go_to_the_first_article_not_its_group_heading"]),  # (D)
    ("list.last", "G", [LIST + "test_G_and_end_go_to_the_last_article"]),
    ("list.last", "end", [LIST + "test_G_and_end_go_to_the_last_article"]),
    ("list.open", "enter", [LIST + "test_enter_opens_the_article_focuses_it_and_marks_it_read"]),
    ("list.collapse", "enter", [LIST + "test_enter_on_a_group_heading_folds_and_unfolds_it",
                                LIST + "test_a_folded_group_stays_folded_after_a_restart"]),  # (D)
    ("list.expand", "enter", [LIST + "test_enter_on_a_group_heading_folds_and_unfolds_it"]),
    # the library pane (the list and the filter box)
    ("library.clear", "escape", [LIST + "test_escape_in_the_filter_box_clears_it_and_returns_to_the_list",
                                 LIST + "test_escape_in_the_list_clears_the_filter_after_focus_left_the_box"]),  # (D)
    # the article
    ("article.down", "j", [ARTICLE + "test_j_k_down_up_move_the_passage_cursor_and_the_position_is_saved"]),
    ("article.down", "down", [ARTICLE + "test_j_k_down_up_move_the_passage_cursor_and_the_position_is_saved"]),
    ("article.up", "k", [ARTICLE + "test_j_k_down_up_move_the_passage_cursor_and_the_position_is_saved"]),
    ("article.up", "up", [ARTICLE + "test_j_k_down_up_move_the_passage_cursor_and_the_position_is_saved"]),
    ("article.pagedown", "space", [ARTICLE + "test_space_and_pagedown_page_down_shift_space_and_pageup_page_back"]),
    ("article.pagedown", "pagedown", [ARTICLE + "test_space_and_pagedown_page_down_shift_space_and_pageup_page_back"]),
    ("article.pageup", "shift+space", [ARTICLE + "test_space_and_pagedown_page_down_shift_space_and_pageup_page_back"]),
    ("article.pageup", "pageup", [ARTICLE + "test_space_and_pagedown_page_down_shift_space_and_pageup_page_back"]),
    ("article.top", "g", [ARTICLE + "test_G_and_end_go_to_the_last_block_g_and_home_to_the_first"]),
    ("article.top", "home", [ARTICLE + "test_G_and_end_go_to_the_last_block_g_and_home_to_the_first"]),
    ("article.bottom", "G", [ARTICLE + "test_G_and_end_go_to_the_last_block_g_and_home_to_the_first"]),
    ("article.bottom", "end", [ARTICLE + "test_G_and_end_go_to_the_last_block_g_and_home_to_the_first"]),
    ("article.extend_down", "J", [ARTICLE + "test_J_K_shift_down_shift_up_extend_the_passage_that_b_bookmarks"]),
    ("article.extend_down", "shift+down", [ARTICLE + "test_J_K_shift_down_shift_up_extend_the_passage_that_b_bookmarks"]),
    ("article.extend_up", "K", [ARTICLE + "test_J_K_shift_down_shift_up_extend_the_passage_that_b_bookmarks"]),
    ("article.extend_up", "shift+up", [ARTICLE + "test_J_K_shift_down_shift_up_extend_the_passage_that_b_bookmarks"]),
    ("article.sentence_next", "s", [ARTICLE + "test_s_and_S_narrow_the_passage_to_a_sentence_that_b_bookmarks",
                                    NOTES_VIEW + "test_s_gives_the_sentence_its_own_background_in_every_theme",
                                    NOTES_VIEW + "test_s_on_a_one_sentence_block_says_so_and_keeps_the_block"]),
    ("article.sentence_previous", "S", [ARTICLE + "test_s_and_S_narrow_the_passage_to_a_sentence_that_b_bookmarks"]),
    ("article.widen", "escape", [ARTICLE + "test_escape_on_a_narrowed_passage_widens_it_and_stays_in_the_article",
                                 ARTICLE + "test_escape_on_an_extended_passage_widens_it",
                                 ARTICLE + "test_escape_in_the_article_returns_to_the_list_and_keeps_the_article_open"]),
    ("article.links", "l", [LINKS + "test_l_lists_the_links_numbered_and_a_number_asks_before_opening",
                            LINKS + "test_l_on_an_article_without_links_says_so"]),
    # the link list
    ("links.close", "escape", [LINKS + "test_escape_closes_the_link_list_and_opens_nothing"]),
    ("#links-list OptionList select", "enter", [LINKS + "test_enter_in_the_link_list_opens_the_highlighted_link_after_asking"]),
    ("#links-list number", "4", [LINKS + "test_l_lists_the_links_numbered_and_a_number_asks_before_opening"]),
    ("#links-list number", "1", [LINKS + "test_with_ten_links_or_more_two_digits_choose_one"]),
    # while reading, not a key: a resize
    ("#article resize", "", [ARTICLE + "test_resizing_while_reading_keeps_the_cursor_block_on_screen"]),  # (D)
    # the notes panel
    ("notes.delete", "d", [NOTES + "test_d_and_delete_in_the_panel_delete_the_entry_and_u_restores_it"]),  # (D)
    ("notes.delete", "delete", [NOTES + "test_d_and_delete_in_the_panel_delete_the_entry_and_u_restores_it"]),  # (D)
    ("notes.jump", "enter", [NOTES + "test_enter_in_the_panel_jumps_to_the_passage"]),  # (D)
    ("#notes OptionList cursor", "down", [NOTES + "test_down_and_up_move_the_highlight_in_the_panel"]),
    ("#notes OptionList cursor", "up", [NOTES + "test_down_and_up_move_the_highlight_in_the_panel"]),
    ("notes.down", "j", [NOTES + "test_j_and_k_move_the_highlight_in_the_panel"]),  # (D)
    ("notes.up", "k", [NOTES + "test_j_and_k_move_the_highlight_in_the_panel"]),  # (D)
    ("#notes on opening", "o", [NOTES + "test_the_panel_opens_with_the_first_entry_highlighted"]),  # (D)
    ("notes.resolve", "c", [NOTES + "test_c_in_the_panel_keeps_both_texts_of_a_note_edited_on_two_machines",
                            NOTES + "test_escape_in_the_resolve_dialog_keeps_both_texts"]),
    # the choice for a note edited on two machines
    ("resolve.cancel", "escape", [NOTES + "test_escape_in_the_resolve_dialog_keeps_both_texts"]),
    ("#resolve-list OptionList select", "enter", [NOTES + "test_c_in_the_panel_keeps_both_texts_of_a_note_edited_on_two_machines"]),
    # help
    ("help.close", "escape", [MODALS + "test_escape_q_and_question_mark_close_the_help"]),
    ("help.close", "q", [MODALS + "test_escape_q_and_question_mark_close_the_help"]),
    ("help.close", "question_mark", [MODALS + "test_escape_q_and_question_mark_close_the_help"]),
    # the yes/no question
    ("confirm.yes", "y", [MODALS + "test_y_n_escape_answer_the_question",
                          MODALS + "test_escape_after_typing_asks_and_y_drops_the_text"]),
    ("confirm.no", "n", [MODALS + "test_y_n_escape_answer_the_question",
                         MODALS + "test_escape_after_typing_asks_and_n_keeps_editing"]),
    ("confirm.no", "escape", [MODALS + "test_y_n_escape_answer_the_question",
                              MODALS + "test_escape_after_typing_asks_and_n_keeps_editing"]),
    # the note editor
    ("note.save", "ctrl+s", [MODALS + "test_ctrl_s_saves_the_note_and_closes_the_editor"]),
    ("note.cancel", "escape", [MODALS + "test_escape_in_an_unchanged_editor_closes_it_and_writes_nothing",
                               MODALS + "test_escape_after_typing_asks_and_y_drops_the_text"]),
    # the annotations screen
    ("annotations.back", "escape", [MODALS + "test_escape_leaves_the_annotations_screen"]),
    ("annotations.filter", "slash", [MODALS + "test_slash_filters_the_annotations_and_enter_opens_the_match"]),
    ("#annotations-list OptionList select", "enter", [MODALS + "test_slash_filters_the_annotations_and_enter_opens_the_match",
                                                      PASSAGES + "test_a_lists_every_annotation_and_enter_opens_the_passage",
                                                      NOTES_VIEW + "test_typing_on_the_annotations_list_filters_at_once"]),
    ("#annotations-list a letter typed", "", [NOTES_VIEW + "test_typing_on_the_annotations_list_filters_at_once"]),
    ("#annotations-filter Input submit", "enter", [MODALS + "test_slash_filters_the_annotations_and_enter_opens_the_match",
                                                   NOTES_VIEW + "test_typing_on_the_annotations_list_filters_at_once"]),
    # the prompt (Add feed… in the palette)
    ("prompt.cancel", "escape", [FEEDS + "test_escape_in_the_add_feed_prompt_subscribes_to_nothing"]),
    ("#answer Input submit", "enter", [FEEDS + "test_enter_in_the_add_feed_prompt_subscribes_and_fetches"]),
    # the filter box
    ("#filter Input submit", "enter", [LIST + "test_escape_in_the_list_clears_the_filter_after_focus_left_the_box"]),
    # not keys: what arrives while the app runs
    ("library folder, new file", "", [FEEDS + "test_a_file_added_to_the_library_folder_is_listed_while_the_app_runs"]),  # (D)
    ("reader fetch in another process", "", [FEEDS + "test_articles_fetched_by_reader_fetch_in_another_process_are_listed"]),  # (D)
]
"""(where, key, tests). Mouse selection + b: test_passages.py::test_mouse_selection_bookmarks_the_selected_text."""


def _is_binding(where: str) -> bool:
    return " " not in where


def test_every_binding_of_the_app_has_an_id_and_a_row_in_the_table() -> None:
    tabled = {(where, key) for where, key, _ in KEYS}
    missing = []
    for owner, binding in ui_bindings():
        assert binding.id, f"{owner}: the binding for {binding.key!r} has no id (the table and keymaps need one)"
        missing += [f"{binding.id} {key.strip()!r} ({owner})" for key in binding.key.split(",")
                    if (binding.id, key.strip()) not in tabled]
    assert not missing, "keys without a test in KEYS: " + ", ".join(missing)


def test_every_binding_row_names_a_binding_that_exists() -> None:
    bound = {(b.id, key.strip()) for _, b in ui_bindings() for key in b.key.split(",")}
    stale = [(where, key) for where, key, _ in KEYS if _is_binding(where) and (where, key) not in bound]
    assert not stale, f"rows for bindings that are gone (or moved to another id): {stale}"


def readme_keys() -> set[str]:
    """Every `key` written in README.md's key tables (both columns)."""
    found: set[str] = set()
    in_table = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("| key |"):
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table and not line.startswith("|---"):
            found.update(re.findall(r"`([^`]+)`", line))
    return found


def test_every_key_in_the_readme_has_a_row_in_the_table() -> None:
    from reader.ui.screens.help import key_label

    labels = {key_label(key) for _, key, _ in KEYS if key}
    found = readme_keys()
    assert {"j", "Enter", "Shift+Space", "Ctrl+P", "b", "Ctrl+S", "d", "u"} <= found, "the README's tables were read"
    assert not found - labels, f"README keys without a row: {sorted(found - labels)}"


def test_every_test_named_in_the_table_exists() -> None:
    missing = []
    for where, key, tests in KEYS:
        assert tests, f"{where} {key!r} has no test"
        for ref in tests:
            module, name = ref.split("::")
            found = importlib.import_module(f"{__package__}.{module.removesuffix('.py')}")
            if not inspect.iscoroutinefunction(getattr(found, name, None)):
                missing.append(ref)
    assert not missing, f"named in KEYS but not there: {missing}"
