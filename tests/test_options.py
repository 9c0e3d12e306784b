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
