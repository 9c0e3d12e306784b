"""Choices answered in words instead of marks, as retyped forms do: 「主軸分野：なし」,
「連携する分野　【災害対策】【人材育成】」, 「主軸となる分野【災害対策】」 with no 有／無 line.
Fed to the extractor as a FormDoc (the seam); the verdict through the rules."""

from __future__ import annotations

import pytest

from formdoc import form
from kyotei_docs.config import load_config
from kyotei_docs.extract import extract
from kyotei_docs.pipeline import check_proposal

TYPE = "１　協定の種別：包括連携協定"
FIELDS = "２　連携分野：子育て、教育・文化・スポーツ"


def errors(p) -> list[str]:
    return [f.code for f in check_proposal(p, load_config(None)).errors]


@pytest.mark.parametrize("answer", ["なし", "無し", "無", "特になし", "該当なし", "【なし】", "ありません"])
def test_an_axis_entry_saying_none_answers_no_axis(answer):
    p = extract(form(TYPE, FIELDS, f"３　主軸分野：{answer}"))
    assert (p.axis.present, p.axis.field, p.axis.text) == (False, None, None)
    assert p.sources["axis.present"]
    assert errors(p) == []


def test_an_axis_entry_naming_a_field_answers_that_there_is_one():
    p = extract(form("1. 連携協定の種別　【包括連携協定】", "2. 連携する分野　【災害対策】【安全・交通】【人材育成】",
                     "3. 主軸となる分野　【災害対策】"))
    assert p.fields == ["災害対策", "人材育成", "安全・交通"]
    assert (p.axis.present, p.axis.field) == (True, "災害対策")
    assert errors(p) == []


def test_a_marked_choice_wins_over_the_entry():
    p = extract(form(TYPE, FIELDS, "主軸分野の有無　☐有　☑無", "主軸分野：環境"))
    assert p.axis.present is False  # the rules then say the axis was written under 無, not this module


def test_an_entry_that_is_neither_leaves_the_choice_unanswered():
    p = extract(form(TYPE, FIELDS, "３　主軸分野：検討中"))
    assert p.axis.present is None
    assert "axis_choice_missing" in errors(p)


def test_a_blank_axis_choice_and_entry_stay_the_applicants_blank():
    p = extract(form(TYPE, FIELDS, "主軸分野の有無　☐有（主軸分野：　　　）　☐無"))
    assert p.axis.present is None and p.axis.text is None
    assert "axis_choice_missing" in errors(p)


@pytest.mark.parametrize("label", ["連携する分野", "連携を希望する分野", "連携したい分野"])
def test_fields_under_other_words_for_the_label(label):
    p = extract(form(TYPE, f"２　{label}：子育て、環境", "３　主軸分野：なし"))
    assert p.fields == ["環境", "子育て"]


def review_fields(p) -> dict[str, str | None]:
    return {d.field: d.original for d in p.doubts}


def test_contact_entries_in_brackets_on_one_line_each_read_their_own_value():
    p = extract(form(TYPE, FIELDS, "３　主軸分野：なし",
                     contact=("6. 連絡先：事務局（担当：大雪 花子、TEL 0166-88-9999、Mail: info@taisetsu.net）",)))
    c = p.contact
    assert (c.name, c.phone, c.email) == ("大雪 花子", "0166-88-9999", "info@taisetsu.net")
    assert "contact.department" in review_fields(p)  # 「事務局」 stands under no label: a person looks
    assert errors(p) == []


def test_a_phone_label_without_a_colon_and_an_address_without_a_label():
    p = extract(form(TYPE, FIELDS, "３　主軸分野：なし",
                     contact=("担当者連絡先　総務課　旭川　次郎　TEL 0166-77-1234　jiro@asahikawa-tech.co.jp",)))
    assert p.contact.phone == "0166-77-1234"
    assert p.contact.email == "jiro@asahikawa-tech.co.jp"
    doubts = review_fields(p)
    assert "jiro@asahikawa-tech.co.jp" in (doubts["contact.email"] or "")  # whose address: no label said
    assert "総務課" in (doubts["contact.department"] or "") and "旭川市長" not in (doubts["contact.department"] or "")
    assert errors(p) == []


def test_two_different_addresses_without_labels_are_not_guessed():
    p = extract(form(TYPE, FIELDS, "３　主軸分野：なし",
                     contact=("連絡先", "部署名：総務課", "担当者氏名：田中", "電話番号：0166-12-3456",
                              "a@example.jp　b@example.jp")))
    assert p.contact.email is None


def _wrapped_block(*parts: str):
    """One paragraph of a PDF whose page wrapped it before each part after the first."""
    from kyotei_docs.form import Block, Line, Piece, Text

    pieces: list[Piece] = [Text(part, "pdf:text", wrapped=k > 0) for k, part in enumerate(parts)]
    return Block([Line(pieces)], "pdf:text")


def test_a_label_where_the_page_wrapped_a_line_starts_an_entry():
    p = extract(form(TYPE, FIELDS, "３　主軸分野：なし", contact=(
        "連絡先", "部署名　営業推進課", "担当者氏名　長山　美奈",
        _wrapped_block("電話番号　0166-48-2222（内線15）", "メールアドレス　"), "m.nagayama@nagayama-denki.jp")))
    assert p.contact.phone == "0166-48-2222(内線15)"
    assert p.contact.email == "m.nagayama@nagayama-denki.jp"
    assert errors(p) == [] and not p.doubts


def test_a_word_in_a_sentence_where_the_page_wrapped_it_is_no_label():
    p = extract(form(TYPE, FIELDS, "３　主軸分野：なし", texts=(
        "協定締結の目的", _wrapped_block("地域の防災訓練に市内で", "所属する企業の社員が参加する。"),
        "連携により期待される効果", "防災力の向上。")))
    assert p.purpose == "地域の防災訓練に市内で所属する企業の社員が参加する。"


def test_an_axis_field_written_where_the_form_has_an_unmarked_choice_stays_unanswered():
    p = extract(form(TYPE, FIELDS, "主軸分野の有無　☐有　☐無", "主軸分野：環境"))
    assert p.axis.present is None
    assert "axis_choice_missing" in errors(p)


def test_a_shared_phone_and_fax_entry_and_a_polite_contact_label():
    p = extract(form(TYPE, FIELDS, "３　主軸分野：なし", contact=(
        "■連絡先", "　部署名：営業部", "　ご担当：朝日　光", "　ＴＥＬ／ＦＡＸ：0166-23-4567／0166-23-4568",
        "　Ｅメール：hikari@asahi-fudosan.co.jp")))
    assert p.contact.name == "朝日　光"
    assert p.contact.phone == "0166-23-4567/0166-23-4568"  # as written: staff see which is which
    assert errors(p) == [] and not p.doubts


@pytest.mark.parametrize(("entry", "department", "name"), [
    ("担当部署・氏名：工務部　末広　一", "工務部", "末広　一"),
    ("所属・氏名　総務部総務課　阿部　一郎", "総務部総務課", "阿部　一郎"),  # 「阿部」 is a person, not a unit
    ("部署名・担当者名：営業推進グループ（田中）", "営業推進グループ", "田中"),
])
def test_one_entry_for_the_department_and_the_person_is_parted(entry, department, name):
    p = extract(form(TYPE, FIELDS, "３　主軸分野：なし", contact=(
        "担当者連絡先", entry, "電話番号：0166-34-5678", "メールアドレス：a@example.jp")))
    assert (p.contact.department, p.contact.name) == (department, name)
    assert errors(p) == [] and not p.doubts


def test_an_entry_for_both_that_cannot_be_parted_is_a_review_item_not_a_missing_name():
    p = extract(form(TYPE, FIELDS, "３　主軸分野：なし", contact=(
        "担当者連絡先", "担当部署・氏名：山田太郎", "電話番号：0166-34-5678", "メールアドレス：a@example.jp")))
    assert p.contact.department == "山田太郎" and p.contact.name is None
    result = check_proposal(p, load_config(None))
    assert not result.errors and [f.field for f in result.review] == ["contact.name"]


@pytest.mark.parametrize("line", ["令和8年11月20日提出", "２０２６（令和８）年１１月２０日", "令和８年１１月２０日現在",
                                  "令和８年１１月２０日付", "2026年11月20日　提出"])
def test_a_date_line_with_a_word_after_it_or_both_calendars_is_the_date(line):
    from datetime import date

    from formdoc import CONTACT, HEADER, TEXTS, doc

    p = extract(doc(line, *HEADER[1:], "連携協定の種別　☐個別連携協定　☑包括連携協定", "連携の分野　☑環境　☑子育て",
                    "主軸分野の有無　☐有　☑無", *TEXTS, *CONTACT))
    assert p.submitted_on == date(2026, 11, 20) and p.date_text == line
    assert errors(p) == []


def test_fields_asked_on_rows_of_their_own_all_count():
    p = extract(form("連携協定の種別：包括連携協定", "連携の分野１　環境", "連携の分野２　子育て", "連携の分野３",
                     "主軸分野の有無：無"))
    assert p.fields == ["環境", "子育て"] and p.axis.present is False
    assert errors(p) == []


def test_drop_down_lists_in_a_docx_are_read_as_their_shown_choice(tmp_path):
    """Word's drop-down content controls (w:dropDownList): the choice shown is the answer; one still
    showing its placeholder is the applicant's blank."""
    from docxbuild import Xml, make_docx, p, run
    from kyotei_docs.pipeline import read_proposal

    def drop_down(shown: str, *items: str, placeholder: bool = False) -> Xml:
        entries = "".join(f'<w:listItem w:displayText="{i}" w:value="{i}"/>' for i in items)
        flag = "<w:showingPlcHdr/>" if placeholder else ""
        return Xml(f'<w:sdt><w:sdtPr>{flag}<w:dropDownList>{entries}</w:dropDownList></w:sdtPr>'
                   f"<w:sdtContent><w:r><w:t>{shown}</w:t></w:r></w:sdtContent></w:sdt>")

    def form1(type_shown: str, placeholder: bool) -> str:
        rows = [("連携協定の種別　", drop_down(type_shown, "個別連携協定", "包括連携協定", placeholder=placeholder)),
                ("連携の分野１　", drop_down("環境", "環境", "子育て")), ("連携の分野２　", drop_down("子育て", "環境", "子育て")),
                ("主軸分野の有無　", drop_down("無", "有", "無"))]
        return (p("令和８年１１月２０日") + p("旭川市長　様") + p("所在地：旭川市緑町１丁目") + p("企業等名称：株式会社ドロップ")
                + p("代表者氏名：代表取締役　落合　一") + p("連携協定に関する提案書")
                + "".join(Xml(f"<w:p>{run(label)}{control}</w:p>") for label, control in rows)
                + p("協定締結の目的") + p("脱炭素の推進。") + p("連携により期待される効果") + p("CO2削減。") + p("連絡先")
                + p("部署名：総務部") + p("担当者氏名：落合　二") + p("電話番号：0166-00-1111") + p("メールアドレス：a@b.jp"))

    chosen = read_proposal(make_docx(form1("包括連携協定", False), tmp_path / "chosen.docx"))
    assert (chosen.agreement_type, chosen.fields, chosen.axis.present) == ("comprehensive", ["環境", "子育て"], False)
    assert errors(chosen) == []
    blank = read_proposal(make_docx(form1("選択してください。", True), tmp_path / "blank.docx"))
    assert blank.agreement_type is None and "agreement_type_missing" in errors(blank)


def test_two_labels_side_by_side_are_not_the_joined_label():
    p = extract(form(TYPE, FIELDS, "３　主軸分野：なし", contact=(
        "担当者連絡先", "部署名：工務部　　担当者氏名：末広　一", "電話番号：0166-34-5678", "メールアドレス：a@example.jp")))
    assert (p.contact.department, p.contact.name) == ("工務部", "末広　一")


@pytest.mark.parametrize("example", ["（記入例：〇〇の推進）", "例）〇〇の推進", "【記入例】〇〇の推進"])
def test_the_forms_example_left_above_the_answer_is_no_part_of_it(example):
    from formdoc import CONTACT, HEADER, cell, doc

    p = extract(doc(*HEADER, TYPE, FIELDS, "３　主軸分野：なし", cell("協定締結の目的", 0, 0),
                    cell(f"{example}\n市民の健康増進のため。", 0, 1), cell("連携により期待される効果", 1, 0),
                    cell("例えば健診の受診率の向上。", 1, 1), *CONTACT))
    assert p.purpose == "市民の健康増進のため。"
    assert p.expected_effects == "例えば健診の受診率の向上。"  # 「例えば」 is the applicant's own word


def _boxes(chosen: set[str]) -> str:
    return "　".join(("☑" if n in chosen else "☐") + n for n in ("災害対策", "環境", "人材育成", "子育て"))


@pytest.mark.parametrize("axis_lines", [
    ("主軸分野の有無　☑有　☐無", f"主軸分野（１つ選択）　{_boxes({'子育て'})}"),
    (f"主軸分野（１つ選択）　{_boxes({'子育て'})}",),
    ("主軸分野（１つ選択）", _boxes({"子育て"})),
])
def test_the_axis_marked_in_a_list_of_its_own_is_the_axis_not_another_field(axis_lines):
    p = extract(form("連携協定の種別　☐個別連携協定　☑包括連携協定", f"連携の分野　{_boxes({'環境', '人材育成', '子育て'})}",
                     *axis_lines))
    assert p.fields == ["環境", "人材育成", "子育て"]
    assert (p.axis.present, p.axis.field) == (True, "子育て")
    assert errors(p) == [] and not p.doubts


def test_two_marked_in_the_axis_list_are_not_guessed():
    p = extract(form("連携協定の種別　☐個別連携協定　☑包括連携協定", f"連携の分野　{_boxes({'環境', '子育て'})}",
                     "主軸分野の有無　☑有　☐無", f"主軸分野（１つ選択）　{_boxes({'環境', '子育て'})}"))
    assert p.fields == ["環境", "子育て"] and p.axis.field is None
    result = check_proposal(p, load_config(None))
    assert not result.errors and [f.field for f in result.review] == ["axis.field"]


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪"
ALL = ("災害対策", "環境", "土木建設維持管理", "福祉・医療・健康", "教育・文化・スポーツ", "産業・商業", "地域活性化・まちづくり",
       "人材育成", "安全・交通", "観光・魅力発信", "子育て")
PRINTED = ("　".join(CIRCLED[k] + ALL[k] for k in range(6)), "　".join(CIRCLED[k] + ALL[k] for k in range(6, 11)))


@pytest.mark.parametrize("answer", [("連携の分野（該当する番号を記入）：②、⑪", *PRINTED),
                                    ("連携の分野（２つ以上選び番号を記入）", *PRINTED, "回答：2, 11")])
def test_choices_answered_by_the_printed_options_numbers(answer):
    p = extract(form("連携協定の種別（番号を記入）：２", "　１　個別連携協定　２　包括連携協定", *answer,
                     "主軸分野の有無　☐有　☑無"))
    assert (p.agreement_type, p.fields) == ("comprehensive", ["環境", "子育て"])
    assert errors(p) == []


def test_a_printed_numbered_list_without_an_answer_is_the_applicants_blank():
    p = extract(form("連携協定の種別　☐個別連携協定　☑包括連携協定", "連携の分野（２つ以上選択）", *PRINTED,
                     "主軸分野の有無　☐有　☑無"))
    assert p.fields == [] and "no_field_selected" in errors(p)


def test_a_number_that_names_no_printed_option_is_no_answer():
    p = extract(form("連携協定の種別　☐個別連携協定　☑包括連携協定", "連携の分野（番号を記入）：②、⑭", *PRINTED,
                     "主軸分野の有無　☐有　☑無"))
    assert p.fields == []


@pytest.mark.parametrize("contact", [
    ("ご担当者様のお名前：山田　太郎", "ご所属：営業部", "お電話番号：0166-11-2222", "メールアドレス：a@example.jp"),
    ("御担当者名：山田　太郎", "ご所属部署：営業部", "お電話：0166-11-2222", "Eメール：a@example.jp"),
    ("担当者　営業部　山田　太郎", "電話番号　0166-11-2222", "メールアドレス　a@example.jp"),
    ("担当：営業部 山田　太郎（TEL：0166-11-2222　E-mail：a@example.jp）",),
], ids=["polite", "polite-2", "department-in-name", "all-in-one"])
def test_contact_written_politely_or_with_the_department_in_the_name(contact):
    p = extract(form(TYPE, FIELDS, "３　主軸分野：なし", contact=contact))
    assert (p.contact.department, p.contact.phone, p.contact.email) == ("営業部", "0166-11-2222", "a@example.jp")
    assert p.contact.name == "山田　太郎"
    assert errors(p) == []


def test_a_name_without_a_department_stays_the_applicants_missing_department():
    p = extract(form(TYPE, FIELDS, "３　主軸分野：なし", contact=(
        "担当者　山田　太郎", "電話番号　0166-11-2222", "メールアドレス　a@example.jp")))
    assert p.contact.name == "山田　太郎" and "missing_required" in errors(p)


@pytest.mark.parametrize("axis_line", ["主軸分野の有無：有（子育て）", "主軸分野の有無　☑有（子育て）　☐無"])
def test_a_field_in_brackets_right_after_yes_is_the_axis(axis_line):
    p = extract(form("連携協定の種別：包括連携協定", "連携の分野：環境、子育て", axis_line))
    assert (p.axis.present, p.axis.field) == (True, "子育て")
    assert errors(p) == []


def test_yes_with_empty_brackets_stays_the_applicants_missing_axis():
    p = extract(form("連携協定の種別：包括連携協定", "連携の分野：環境、子育て", "主軸分野の有無　☑有（　　）　☐無"))
    assert p.axis.present is True and p.axis.field is None and "axis_field_missing" in errors(p)


@pytest.mark.parametrize(("written", "fields"), [("観光", ["観光・魅力発信"]),
                                                 ("観光、スポーツ", ["教育・文化・スポーツ", "観光・魅力発信"])])
def test_fields_written_in_short_are_read_when_each_word_names_one_field(written, fields):
    p = extract(form("連携協定の種別：包括連携協定", f"連携の分野：{written}", "主軸分野：なし"))
    assert p.fields == fields


def test_a_short_word_that_names_no_single_field_is_a_review_item():
    p = extract(form("連携協定の種別：包括連携協定", "連携の分野：観光とまちづくり", "主軸分野：なし"))
    assert p.fields == []
    assert "no_field_selected" not in errors(p) and any(d.field == "fields" for d in p.doubts)
