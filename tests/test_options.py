"""Choices read at the FormDoc seam (kyotei_docs/extract/options.py): each test a layout built by
hand, read as a person reads it, at the boundaries mutation testing pointed at (issue 20) and
where a mark was misread (issue 16).  Never a silent choice: an ambiguous mark is a review item.
"""

from __future__ import annotations

import pytest

from formdoc import form
from kyotei_docs.config import load_config
from kyotei_docs.extract import extract
from kyotei_docs.pipeline import check_proposal

TYPE = "連携協定の種別　☐個別連携協定　☑包括連携協定"


def _doubts(p) -> list[tuple[str, str, str | None]]:
    return [(d.code, d.field, d.original) for d in p.doubts]


# -- その他's own words -----------------------------------------------------------------------------

@pytest.mark.parametrize("lines", [
    ("環境☐　その他☑（農業体験）",),                # the box after その他, its words after the box
    ("環境☐　その他☑　（農業体験）　子育て☐",),      # a blank before the bracket, an option after it
    ("環境○　その他○（農業体験）　子育て",),          # a circle glued to その他, the bracket right after
    ("☐環境　☑その他\n（農業体験）",),               # the bracket opening the cell's next line
    ("☐環境　☑その他", "（農業体験）"),              # ... or the next paragraph
])
def test_the_other_fields_words_after_its_mark_or_on_the_next_line_are_read(lines):
    p = extract(form("連携の分野", *lines))
    assert "その他" in p.fields and p.other_field_text == "農業体験"
    assert p.sources["other_field_text"] == "docx:glyph"


@pytest.mark.parametrize("lines", [
    ("環境☐　その他☑　子育て☐",),           # no bracket: the next option's name is not その他's words
    ("☐環境　☑その他（※具体的に記入）",),     # the form's own direction in the bracket
    ("☐環境　☑その他", "（※具体的に記入）"),
    ("☑その他", "☐環境"),                   # the next line is another option
])
def test_the_other_field_without_words_of_its_own_has_none(lines):
    p = extract(form("連携の分野", *lines))
    assert "その他" in p.fields and p.other_field_text is None


# -- the axis chosen inside 有's bracket ------------------------------------------------------------

@pytest.mark.parametrize("axis", ["☐無　☑有（主軸分野：☑環境　☐子育て）", "☑有（主軸分野：☑環境　☐子育て）　☐無"])
def test_the_axis_field_ticked_inside_the_bracket_of_yes_is_the_axis_and_no_field(axis):
    # the applicant chose 子育て as a field and 環境 as the axis: the rules say so, nothing is added to fields
    p = extract(form(TYPE, "連携の分野　☐環境　☑子育て　☑人材育成", "主軸分野の有無", axis))
    assert p.fields == ["人材育成", "子育て"]
    assert (p.axis.present, p.axis.text, p.axis.field) == (True, "環境", "環境")
    assert p.sources["axis.text"] == "docx:glyph" and p.doubts == []
    result = check_proposal(p, load_config(None))
    assert [f.code for f in result.errors] == ["axis_field_not_selected"] and result.review == []


def test_two_axis_fields_ticked_inside_the_bracket_of_yes_are_left_to_a_person():
    p = extract(form(TYPE, "連携の分野　☑環境　☑子育て", "主軸分野の有無", "☐無　☑有（主軸分野：☑環境　☑子育て）"))
    assert p.fields == ["環境", "子育て"] and p.axis.present is True and p.axis.text is None
    assert _doubts(p) == [("review_unplaced_text", "axis.field", "☐無\u3000☑有（主軸分野：☑環境\u3000☑子育て）")]
    result = check_proposal(p, load_config(None))
    assert result.errors == [] and [f.field for f in result.review] == ["axis.field"]


def test_no_axis_field_ticked_inside_the_bracket_is_the_applicants_blank_not_the_printed_names():
    p = extract(form(TYPE, "連携の分野　☑環境　☑子育て", "主軸分野の有無", "☐無　☑有（主軸分野：☐環境　☐子育て）"))
    assert p.axis.present is True and p.axis.text is None and p.doubts == []
    assert [f.code for f in check_proposal(p, load_config(None)).errors] == ["axis_field_missing"]


def test_two_ticked_in_an_axis_list_on_its_own_line_are_left_to_a_person():
    p = extract(form(TYPE, "連携の分野　☑環境　☑子育て", "主軸分野の有無　☑有　☐無", "主軸分野（１つ選択）", "☑環境　☑子育て"))
    assert p.axis.text is None
    assert _doubts(p) == [("review_unplaced_text", "axis.field", "☑環境\u3000☑子育て")]


def test_an_axis_written_beside_its_list_is_kept_as_written():
    p = extract(form(TYPE, "連携の分野　☑環境　☑子育て", "主軸分野の有無", "☑有（主軸分野：子育て）　☐無"))
    assert (p.axis.present, p.axis.field) == (True, "子育て") and p.doubts == []


# -- ◎ among ○ names the axis -----------------------------------------------------------------------

@pytest.mark.parametrize("fields", ["◎福祉・医療・健康　○子育て", "福祉・医療・健康◎　子育て○", "○子育て　◎福祉・医療・健康"])
def test_a_double_circle_among_circles_names_the_axis_with_nothing_unmarked_beside(fields):
    p = extract(form("連携協定の種別", "☑包括連携協定", "連携の分野", fields, "主軸分野の有無", "☑有　☐無"))
    assert p.fields == ["福祉・医療・健康", "子育て"]
    assert (p.axis.present, p.axis.field) == (True, "福祉・医療・健康") and p.doubts == []
    assert p.sources["fields"] == p.sources["axis.text"] == "docx:glyph"


def test_a_double_circle_without_yes_invents_no_axis():
    p = extract(form("連携協定の種別", "☑包括連携協定", "連携の分野", "◎福祉・医療・健康　○子育て", "主軸分野の有無", "☐有　☑無"))
    assert p.axis.present is False and p.axis.text is None and p.doubts == []


def test_double_circles_on_every_field_are_only_the_applicants_marks():
    p = extract(form("連携協定の種別", "☑包括連携協定", "連携の分野", "◎福祉・医療・健康　◎子育て", "主軸分野の有無", "☑有　☐無"))
    assert p.fields == ["福祉・医療・健康", "子育て"] and p.axis.text is None


@pytest.mark.parametrize(("fields", "axis"), [
    ("◎福祉・医療・健康　◎子育て　○環境", "☑有　☐無"),               # two ◎: which is the axis?
    ("◎福祉・医療・健康　○子育て", "☑有（主軸分野：子育て）　☐無"),  # ◎ on another field than the one written
])
def test_a_double_circle_that_does_not_settle_the_axis_is_left_to_a_person(fields, axis):
    p = extract(form("連携協定の種別", "☑包括連携協定", "連携の分野", fields, "主軸分野の有無", axis))
    assert [(d.code, d.field) for d in p.doubts] == [("review_mark_conflict", "axis.field")]
    assert p.doubts[0].original == fields


def test_double_circles_in_a_form_that_asks_to_strike_out_are_bullets():
    p = extract(form("連携協定の種別", "包括連携協定", "連携の分野（不要なものを消すこと）", "◎福祉・医療・健康　○子育て",
                     "主軸分野の有無", "有"))
    assert p.fields == ["福祉・医療・健康", "子育て"] and p.axis.text is None


# -- boundaries mutation testing pointed at (issue 20) ----------------------------------------------

def test_an_instructions_mark_is_skipped_and_the_options_after_it_in_the_same_cell_are_read():
    p = extract(form("連携協定の種別", "該当するものに☑を付けること\n☐個別連携協定　☑包括連携協定"))
    assert p.agreement_type == "comprehensive" and p.doubts == []


def test_circles_count_where_the_form_asks_both_to_circle_and_to_strike_out():
    p = extract(form("連携協定の種別（該当するものに○を付け、不要なものは二重線で消すこと）", "個別連携協定　○包括連携協定"))
    assert p.agreement_type == "comprehensive" and p.sources["agreement_type"] == "docx:glyph"


def test_words_starting_with_yes_or_no_elsewhere_are_not_the_axis_choice():
    # 「☐無償　☑有償」 answers another question: 有償 is not 有, 無償 is not 無
    p = extract(form(TYPE, "連携の分野　☑環境　☑子育て", "主軸分野の有無　☐有　☑無", "費用の負担　☐無償　☑有償"))
    assert p.axis_ticked == [False] and p.axis.present is False


def test_a_double_circle_typed_in_a_cell_of_its_own_names_the_axis():
    from formdoc import CONTACT, HEADER, TEXTS, cell, doc

    cells = [cell("連携の分野", 0, 0), *(cell(t, 1, c) for c, t in enumerate(["福祉・医療・健康", "◎", "子育て", "○", "環境", ""]))]
    p = extract(doc(*HEADER, "連携協定の種別　☑包括連携協定", *cells, "主軸分野の有無　☑有　☐無", *TEXTS, *CONTACT))
    assert p.fields == ["福祉・医療・健康", "子育て"]
    assert p.axis.field == "福祉・医療・健康" and p.doubts == []


def test_a_circle_between_two_options_takes_the_side_the_forms_other_lines_agree_on():
    # brackets before options (「（○）包括」) and circles glued before options (「○環境」) both say: before;
    # so 「有　○　無」 marks 無
    p = extract(form("連携協定の種別", "（○）包括連携協定　（　）個別連携協定", "連携の分野", "○環境　○子育て　人材育成",
                     "主軸分野の有無", "有　○　無"))
    assert p.agreement_type == "comprehensive" and p.fields == ["環境", "子育て"]
    assert p.axis.present is False and p.doubts == []


@pytest.mark.parametrize(("written", "fields"), [
    # nearly every field, some in short: the printed list whose boxes were lost, as for names in full
    ("連携の分野：災害対策、環境、福祉、教育、産業、まちづくり、人材育成、安全、観光", []),
    # eight, some in short: each is read, not only those written in full
    ("連携の分野：災害対策、環境、福祉、教育、産業、まちづくり、人材育成、安全", [
        "災害対策", "環境", "福祉・医療・健康", "教育・文化・スポーツ", "産業・商業", "地域活性化・まちづくり", "人材育成",
        "安全・交通"]),
    ("連携の分野：観光（主に冬季）、子育て", ["観光・魅力発信", "子育て"]),  # a bracket of the applicant's own
])
def test_fields_retyped_in_short_follow_the_rule_for_fields_written_in_full(written, fields):
    p = extract(form("連携協定の種別：包括連携協定", written, "主軸分野の有無：無"))
    assert p.fields == fields


@pytest.mark.parametrize(("line", "type_"), [
    ("〇包括連携協定　個別連携協定", "comprehensive"),   # 〇 (the kanji zero) typed before an option
    ("個別連携協定〇　包括連携協定", "individual"),      # ... or glued after one
])
def test_a_kanji_zero_typed_as_a_circle_marks_the_option_it_touches(line, type_):
    p = extract(form("連携協定の種別（該当するものに○）", line))
    assert p.agreement_type == type_ and p.doubts == []


def test_a_placeholder_of_kanji_zeros_is_no_mark():
    p = extract(form("連携協定の種別（該当するものに○）", "〇〇〇〇包括連携協定　個別連携協定"))
    assert p.agreement_type is None and p.types_ticked == []


@pytest.mark.parametrize(("written", "fields"), [
    ("連携の分野：環境、観光・魅力\n発信", ["環境", "観光・魅力発信"]),    # a name wrapped in a narrow cell
    ("連携の分野：環境、土木建設\n維持管理", ["環境", "土木建設維持管理"]),
])
def test_a_field_name_wrapped_over_two_lines_of_its_cell_is_read(written, fields):
    p = extract(form("連携協定の種別：包括連携協定", written, "主軸分野の有無：無"))
    assert p.fields == fields


def test_a_mark_under_an_empty_cell_between_two_options_is_left_to_a_person():
    from formdoc import CONTACT, HEADER, TEXTS, cell, doc

    # 「個別｜　｜包括」 over 「　｜○｜　」: the ○ touches neither option's column
    cells = [cell("連携協定の種別", 0, 0), cell("個別連携協定", 0, 1), cell("", 0, 2), cell("包括連携協定", 0, 3),
             cell("", 1, 0), cell("", 1, 1), cell("○", 1, 2), cell("", 1, 3)]
    p = extract(doc(*HEADER, *cells, "連携の分野：☑環境　☑子育て", *TEXTS, *CONTACT))
    assert p.types_ticked == []
    assert [(d.code, d.field) for d in p.doubts] == [("review_unplaced_text", "agreement_type")]


@pytest.mark.parametrize(("last", "text"), [
    (("☐環境　☑その他",), None),                    # its line the document's last
    (("☐環境　☑その他", "（農業体験）"), "農業体験"),  # its words on the document's last line
])
def test_the_other_fields_words_at_the_end_of_the_document(last, text):
    from formdoc import HEADER, doc

    p = extract(doc(*HEADER, "連携協定の種別　☑包括連携協定", "連携の分野", *last))
    assert p.fields == ["その他"] and p.other_field_text == text


def test_the_other_fields_brackets_left_with_the_forms_underscores_hold_no_words():
    p = extract(form("連携の分野", "☐環境　☑その他（＿＿＿＿）"))
    assert p.fields == ["その他"] and p.other_field_text is None


def test_circles_on_every_option_written_with_one_kind_of_mark_are_read_from_the_words():
    # 「○環境　○子育て」 and nothing else: bullets or marks? the same fields either way, read from the words
    p = extract(form("連携の分野", "○環境　○子育て"))
    assert p.fields == ["環境", "子育て"] and p.sources["fields"] == "docx:text"


def test_an_instruction_ending_the_line_before_does_not_make_the_next_lines_mark_its_own():
    # 「次のいずれかに」 ends its line; the ☑ opening the next line is the applicant's
    p = extract(form("連携協定の種別", "次のいずれかに\n☑個別連携協定　☐包括連携協定"))
    assert p.agreement_type == "individual"


@pytest.mark.parametrize("axis", ["☐無　☑有→主軸分野：環境", "☐無　☑有※主軸分野は下欄", "☐無　☑有：環境"])
def test_yes_followed_by_an_arrow_a_note_or_a_colon_is_the_axis_choice(axis):
    p = extract(form(TYPE, "連携の分野　☑環境　☑子育て", "主軸分野の有無", axis))
    assert p.axis_ticked == [True]


def test_a_retyped_fields_answer_ends_with_its_row():
    from formdoc import CONTACT, HEADER, TEXTS, cell, doc

    # the row after 「連携の分野｜環境」 is another entry's (a heading the reader does not know)
    cells = [cell("連携の分野", 0, 0), cell("環境", 0, 1), cell("取組の例", 1, 0), cell("子育て支援の講座", 1, 1)]
    p = extract(doc(*HEADER, "連携協定の種別：包括連携協定", *cells, "主軸分野の有無：無", *TEXTS, *CONTACT))
    assert p.fields == ["環境"]


def test_a_suffix_mark_after_a_field_with_a_note_in_brackets_marks_that_field():
    p = extract(form("連携の分野", "環境○　子育て（主に乳幼児）○　人材育成"))
    assert p.fields == ["環境", "子育て"]


def test_a_mark_after_an_option_named_with_more_words_marks_that_option():
    p = extract(form("連携の分野", "環境☐　子育て支援☑"))
    assert p.fields == ["子育て"]


def test_an_example_tick_followed_by_a_space_is_a_letter_and_the_marks_after_it_are_read():
    # 「レ 個別連携協定」 in the form's example: a letter, not a tick; the applicant's ☑ on the next line is read
    p = extract(form("連携協定の種別", "（記入例：レ 個別連携協定）\n☐個別連携協定　☑包括連携協定"))
    assert p.agreement_type == "comprehensive" and p.types_ticked == ["comprehensive"]


def test_a_box_with_blanks_on_both_sides_is_the_option_after_it_as_the_forms_other_boxes():
    p = extract(form("連携協定の種別", "個別連携協定　☑　包括連携協定", "連携の分野", "☑環境　☐子育て"))
    assert p.agreement_type == "comprehensive" and p.doubts == []


def test_a_double_circle_bullet_before_the_form_is_no_choice():
    from formdoc import CONTACT, HEADER, TEXTS, doc

    p = extract(doc("◎包括連携協定の締結について", *HEADER, "連携協定の種別　☑個別連携協定　☐包括連携協定",
                    "連携の分野　☑環境　☑子育て", *TEXTS, *CONTACT))
    assert p.agreement_type == "individual" and p.types_ticked == ["individual"]


def test_the_other_fields_words_come_from_the_fields_entry_when_another_entry_mentions_others():
    # the purpose (placed first on this form) says 「その他」 too: the words are the fields entry's own
    p = extract(form("協定締結の目的：環境保全その他の地域活動を進めるため。", "連携協定の種別：包括連携協定",
                     "連携の分野：環境、その他（農業体験）", "主軸分野の有無：無", texts=("連携により期待される効果", "効果。")))
    assert "その他" in p.fields and p.other_field_text == "農業体験"


def test_a_written_axis_among_two_double_circles_is_kept_without_a_question():
    p = extract(form("連携協定の種別", "☑包括連携協定", "連携の分野", "◎福祉・医療・健康　◎子育て　○環境",
                     "主軸分野の有無", "☑有（主軸分野：子育て）　☐無"))
    assert p.axis.field == "子育て" and p.doubts == []
    assert p.sources["axis.present"] == "docx:glyph"


def test_brackets_after_options_settle_a_circle_between_two_options_on_another_line():
    # 「環境（○）」 says: marks after their options; so 「有　○　無」 marks 有
    p = extract(form("連携の分野", "環境（○）　子育て（　）", "主軸分野の有無", "有　○　無"))
    assert p.fields == ["環境"] and p.axis.present is True and p.doubts == []


def test_a_bracketed_mark_after_an_option_named_with_more_words_marks_that_option():
    p = extract(form("連携の分野", "環境（　）　子育て支援（○）"))
    assert p.fields == ["子育て"]


def test_a_bracketed_mark_glued_to_words_that_are_more_than_an_option_is_theirs_not_the_next_options():
    # 「子育て支援（○）　人材育成（　）」: the （○） closes 子育て支援 (glued to it, a blank after); it was read
    # as opening 人材育成 (silent)
    p = extract(form("連携の分野", "環境（ ）　子育て支援（○）　人材育成（　）"))
    assert p.fields == ["子育て"] and p.sources["fields"] == "docx:glyph"


def test_an_unplaced_mark_in_a_cell_of_several_lines_quotes_its_own_line():
    p = extract(form("連携の分野", "○環境　子育て○\n（複数選択可）"))
    assert p.fields == [] and _doubts(p) == [("review_unplaced_text", "fields", "○環境 子育て○")]


def test_a_tick_after_a_word_ending_in_yes_is_not_the_axis_choice():
    # 「特有☑」: 有 inside a word; the ☑ is left for a person, 有 is not read as ticked
    p = extract(form(TYPE, "連携の分野　☑環境　☑子育て", "主軸分野の有無", "特有☑　有☐　無☐"))
    assert p.axis_ticked == [] and [(d.code, d.field) for d in p.doubts] == [("review_unplaced_text", "axis.present")]


def test_circles_glued_both_ways_in_a_text_entry_are_bullets_not_a_question():
    p = extract(form("協定締結の目的", "○環境　子育て○の推進", texts=("連携により期待される効果", "効果。")))
    assert p.doubts == []
