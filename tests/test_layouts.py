"""Layouts no template of ours produces: the extractor must follow labels, not positions."""

from __future__ import annotations

import pytest

from docxbuild import Xml, cell, p, table
from formbody import HEADER, axis_row, contact_rows, fields_row, form, text_rows, type_row
from kyotei_docs.pipeline import check_proposal


def codes(prop, cfg):
    result = check_proposal(prop, cfg)
    return sorted(f.code for f in result.errors), sorted(f.code for f in result.warnings)


def test_retyped_form_without_table_or_boxes(parse, cfg):
    body = (p("提出日：令和八年十一月二十日（金）")
            + p("所　在　地：東京都千代田区丸の内１－１－１")
            + p("企業等名称：", "丸の内ホールディングス株式会社")
            + p("代表者氏名：代表取締役社長　丸野　内蔵　㊞")
            + p("連携協定の種別：包括連携協定")
            + p("連携の分野：環境、子育て、その他")
            + p("主軸分野の有無：無")
            + p("協定締結の目的")
            + p("一行目の目的。") + p("二行目の目的。")
            + p("連携により期待される効果")
            + p("効果です。")
            + p("連絡先　部署名：経営企画部")
            + p("担当者氏名：企画　一郎")
            + p("電話番号：03-1234-5678")
            + p("メールアドレス：kikaku@example.co.jp"))
    prop = parse(body)
    assert prop.submitted_on.isoformat() == "2026-11-20"
    assert prop.organization.address == "東京都千代田区丸の内１－１－１"
    assert prop.organization.name == "丸の内ホールディングス株式会社"
    assert prop.organization.representative == "代表取締役社長　丸野　内蔵"
    assert prop.agreement_type == "comprehensive"
    assert prop.sources["agreement_type"] == "docx:text"
    assert prop.fields == ["環境", "子育て", "その他"]
    assert prop.axis.present is False
    assert prop.purpose == "一行目の目的。\n二行目の目的。"
    assert prop.expected_effects == "効果です。"
    assert prop.contact.department == "経営企画部"
    assert prop.contact.email == "kikaku@example.co.jp"
    errors, _ = codes(prop, cfg)
    assert errors == ["other_field_text_missing"]


def test_values_after_colon_inside_cells(parse):
    rows = [type_row(), fields_row(), axis_row(), *text_rows(),
            [cell("連絡先"), cell("部署名：広報課", "担当者：広報　花子", "TEL：0166-00-1111", "E-mail：koho@example.jp",
                                 span=2)]]
    prop = parse(form(rows=rows))
    assert prop.contact.department == "広報課"
    assert prop.contact.name == "広報　花子"
    assert prop.contact.phone == "0166-00-1111"
    assert prop.contact.email == "koho@example.jp"


def test_labels_in_header_row_values_in_row_below(parse):
    rows = [type_row(), fields_row(), axis_row(),
            [cell("協定締結の目的"), cell("連携により期待される効果", span=2)],
            [cell("下段の目的。"), cell("下段の効果。", span=2)], *contact_rows()]
    prop = parse(form(rows=rows))
    assert prop.purpose == "下段の目的。"
    assert prop.expected_effects == "下段の効果。"


def test_label_wrapped_over_two_lines_in_a_cell(parse):
    rows = [type_row(), fields_row(), axis_row(), *text_rows(),
            [cell("部署名"), cell("総務課", span=2)],
            [cell("メールアドレ", "ス"), cell("wrap@example.jp", span=2)]]
    prop = parse(form(rows=rows))
    assert prop.contact.email == "wrap@example.jp"


def test_header_block_in_a_table(parse):
    header = (p("令和8年11月20日") + table([["所在地", "札幌市中央区北1条西2丁目"], ["企業等名称", "株式会社北"],
                                            ["代表者職氏名", "代表取締役　北野　一"]]))
    prop = parse(form(header=Xml(header)))
    assert prop.organization.address == "札幌市中央区北1条西2丁目"
    assert prop.organization.name == "株式会社北"
    assert prop.organization.representative == "代表取締役　北野　一"


def test_options_written_after_their_box(parse):
    prop = parse(form(type_content="個別連携協定☐　包括連携協定☑"))
    assert prop.agreement_type == "comprehensive"


def test_checkbox_alone_in_its_cell(parse):
    rows = [[cell("連携協定の種別"), cell("☐"), cell("個別連携協定")],
            [cell(""), cell("☑"), cell("包括連携協定")],
            fields_row(), axis_row(), *text_rows(), *contact_rows()]
    assert parse(form(rows=rows)).agreement_type == "comprehensive"


def test_field_names_with_other_separators(parse):
    content = "☑福祉、医療、健康　☑教育･文化･スポーツ　☐子育て"
    assert parse(form(fields_content=content)).fields == ["福祉・医療・健康", "教育・文化・スポーツ"]


def test_other_field_with_free_text(parse, cfg):
    prop = parse(form(fields_content="☑環境　☑その他（　農業体験・食育　）"))
    assert prop.fields == ["環境", "その他"]
    assert prop.other_field_text == "農業体験・食育"
    prop = parse(form(fields_content="☑環境　☑その他（　　　　）"))
    assert prop.other_field_text is None
    assert "other_field_text_missing" in codes(prop, cfg)[0]


def test_both_types_ticked_is_ambiguous(parse, cfg):
    prop = parse(form(type_content="☑個別連携協定　☑包括連携協定"))
    assert prop.agreement_type is None
    assert "agreement_type_ambiguous" in codes(prop, cfg)[0]


def test_axis_choices(parse, cfg):
    both = Xml(p("☑有　主軸分野（環境）") + p("☑無"))
    assert "axis_choice_ambiguous" in codes(parse(form(axis_content=both)), cfg)[0]
    none = Xml(p("☐有　主軸分野（　　）") + p("☐無"))
    assert "axis_choice_missing" in codes(parse(form(axis_content=none)), cfg)[0]
    missing = Xml(p("☑有　主軸分野（　　　）") + p("☐無"))
    assert "axis_field_missing" in codes(parse(form(axis_content=missing)), cfg)[0]
    unknown = Xml(p("☑有　主軸分野（ＤＸ推進）") + p("☐無"))
    prop = parse(form(axis_content=unknown))
    assert prop.axis.text == "ＤＸ推進" and prop.axis.field is None
    assert "axis_field_unknown" in codes(prop, cfg)[0]
    other = Xml(p("☑有　主軸分野（④子育て）") + p("☐無"))
    prop = parse(form(axis_content=other))
    assert prop.axis.field == "子育て"
    assert "axis_field_not_selected" in codes(prop, cfg)[0]


def test_axis_text_in_its_own_cell(parse):
    rows = [type_row(), fields_row(), [cell("主軸分野の有無"), cell("☑有　☐無", span=2)],
            [cell("主軸分野"), cell("環境分野", span=2)], *text_rows(), *contact_rows()]
    prop = parse(form(rows=rows))
    assert prop.axis.present is True
    assert prop.axis.field == "環境"
    assert prop.axis.text == "環境分野"


def test_individual_with_axis_entries_warns(parse, cfg):
    prop = parse(form(type_content="☑個別連携協定　☐包括連携協定", fields_content="☑環境"))
    errors, warnings = codes(prop, cfg)
    assert errors == []
    assert "individual_has_axis" in warnings


@pytest.mark.parametrize("date_text,expected", [
    ("令和８年１１月２０日", "2026-11-20"),
    ("令和八年十一月二十日（金）", "2026-11-20"),
    ("R8.11.20", "2026-11-20"),
    ("2026/11/20", "2026-11-20"),
    ("令和元年５月１日", "2019-05-01"),
])
def test_submission_dates(parse, date_text, expected):
    header = HEADER.replace("令和８年１１月２０日", date_text)
    assert parse(form(header=header)).submitted_on.isoformat() == expected


def test_blank_and_invalid_dates(parse, cfg):
    blank = parse(form(header=HEADER.replace("令和８年１１月２０日", "令和　　年　　月　　日")))
    assert blank.submitted_on is None
    errors, _ = codes(blank, cfg)
    assert "missing_required" in errors and "invalid_date" not in errors
    bad = parse(form(header=HEADER.replace("令和８年１１月２０日", "令和８年１３月２０日")))
    errors, _ = codes(bad, cfg)
    assert "invalid_date" in errors and "missing_required" not in errors
    heisei = parse(form(header=HEADER.replace("令和８年１１月２０日", "平成31年5月10日")))
    assert heisei.submitted_on.isoformat() == "2019-05-10"
    assert "heisei_after_end" in codes(heisei, cfg)[1]


def test_missing_entries_are_reported_by_json_path(parse, cfg):
    rows = [type_row(), fields_row(), axis_row(), *text_rows(), *contact_rows(phone="", email="")]
    result = check_proposal(parse(form(rows=rows)), cfg)
    missing = [f.field for f in result.errors if f.code == "missing_required"]
    assert missing == ["contact.phone", "contact.email"]


@pytest.mark.parametrize("phone,ok", [("0166-12-3456", True), ("０１６６－１２－３４５６", True),
                                      ("(0166)12-3456", True), ("090-1234-5678", True),
                                      ("+81-166-12-3456", True), ("0166-12-3456（内線123）", True),
                                      ("0166-12-345", False), ("12-3456", False), ("電話なし", False)])
def test_phone_validation(phone, ok):
    from kyotei_docs.rules import valid_phone
    assert valid_phone(phone.replace("（", "").replace("）", "")) is ok


def test_invalid_email(parse, cfg):
    rows = [type_row(), fields_row(), axis_row(), *text_rows(), *contact_rows(email="renraku@example")]
    assert "invalid_email" in codes(parse(form(rows=rows)), cfg)[0]


def test_sentence_starting_with_a_short_label_word_is_not_a_label(parse):
    rows = [type_row(), fields_row(), axis_row(),
            [cell("協定締結の目的"), cell("名称変更後も地域に貢献するため。", "所属する団体と連携する。", span=2)],
            [cell("連携により期待される効果"), cell("効果。", span=2)], *contact_rows()]
    prop = parse(form(rows=rows))
    assert prop.purpose == "名称変更後も地域に貢献するため。\n所属する団体と連携する。"
    assert prop.organization.name == "株式会社テスト商事"


def test_fax_line_does_not_join_the_phone(parse):
    rows = [type_row(), fields_row(), axis_row(), *text_rows(),
            [cell("連絡先"), cell("部署名：総務課", "担当者：総務　一", "電話：0166-11-2222", "FAX：0166-11-3333",
                                 "メール：soumu@example.jp", span=2)]]
    prop = parse(form(rows=rows))
    assert prop.contact.phone == "0166-11-2222"
    assert prop.contact.email == "soumu@example.jp"


def test_representative_label_variants(parse):
    header = HEADER.replace("代表者氏名：代表取締役　試験　花子", "代表者役職・氏名：代表取締役　試験　花子")
    assert parse(form(header=header)).organization.representative == "代表取締役　試験　花子"


def test_circle_mark_beside_empty_boxes_is_a_choice(parse):
    assert parse(form(type_content="□個別連携協定　○包括連携協定")).agreement_type == "comprehensive"
    # ○ as bullets with no box anywhere: not a choice
    prop = parse(form(type_content="○個別連携協定　○包括連携協定"))
    assert prop.types_ticked == []


def test_axis_text_without_brackets(parse):
    content = Xml(p("☑有　主軸分野　観光・魅力発信") + p("☐無"))
    prop = parse(form(axis_content=content, fields_content="☑環境　☑観光・魅力発信"))
    assert prop.axis.field == "観光・魅力発信"


def test_printed_field_list_without_boxes_selects_nothing(parse):
    names = "　".join(["災害対策", "環境", "土木建設維持管理", "福祉・医療・健康", "教育・文化・スポーツ", "産業・商業",
                      "地域活性化・まちづくり", "人材育成", "安全・交通", "観光・魅力発信", "子育て"])
    assert parse(form(fields_content=names)).fields == []


def test_contact_labels_as_companies_type_them(parse):
    """「部署」「担当」「Mail」 in one cell; 「e-mail」「E-Mail」 in any case; 「Ｅメール」."""
    rows = [type_row(), fields_row(), axis_row(), *text_rows(),
            [cell("連絡先"), cell("部署：広報課", "担当：広報　花子", "TEL：0166-00-1111", "Mail：koho@example.jp",
                                 span=2)]]
    prop = parse(form(rows=rows))
    assert (prop.contact.department, prop.contact.name) == ("広報課", "広報　花子")
    assert (prop.contact.phone, prop.contact.email) == ("0166-00-1111", "koho@example.jp")
    rows = [type_row(), fields_row(), axis_row(), *text_rows(),
            [cell("部署名"), cell("総務課"), cell("担当者名"), cell("総務　一")],
            [cell("電話番号"), cell("0166-11-2222"), cell("E-Mail"), cell("soumu@example.jp")]]
    prop = parse(form(rows=rows))
    assert (prop.contact.phone, prop.contact.email) == ("0166-11-2222", "soumu@example.jp")
    for label in ("e-mail", "Ｅメール"):
        rows = [type_row(), fields_row(), axis_row(), *text_rows(), *contact_rows()[:3],
                [cell(""), cell(label), cell("mail.box@example.jp")]]
        assert parse(form(rows=rows)).contact.email == "mail.box@example.jp"


def test_value_starting_like_a_latin_label_is_not_a_label(parse):
    rows = [type_row(), fields_row(), axis_row(), *text_rows(), *contact_rows()[:3],
            [cell(""), cell("メールアドレス"), cell("mailroom@example.jp")]]
    assert parse(form(rows=rows)).contact.email == "mailroom@example.jp"


def test_bracketed_word_between_label_and_value(parse):
    header = (p("令和8年11月20日") + p("所在地(本社)：札幌市中央区北1条西2丁目")
              + table([["企業等名称（法人名）", "株式会社北"], ["代表者（職・氏名）", "代表取締役　北野　一"]]))
    prop = parse(form(header=Xml(header)))
    assert prop.organization.address == "札幌市中央区北1条西2丁目"
    assert prop.organization.name == "株式会社北"
    assert prop.organization.representative == "代表取締役　北野　一"
    # a value that itself starts with brackets stays whole
    header = p("令和8年11月20日") + p("企業等名称：（株）北") + p("所在地：札幌市") + p("代表者氏名：北野　一")
    assert parse(form(header=Xml(header))).organization.name == "（株）北"


def test_marks_in_brackets_and_numbered_options(parse):
    prop = parse(form(type_content="（　）個別連携協定　（レ）包括連携協定",
                      fields_content="（レ）環境　（　）子育て　（レ）福祉・医療・健康　（レ）その他（農業体験）"))
    assert prop.agreement_type == "comprehensive"
    assert prop.fields == ["環境", "福祉・医療・健康", "その他"]
    assert prop.other_field_text == "農業体験"
    prop = parse(form(fields_content="□①災害対策　■②環境　□⑪子育て　■(4)福祉・医療・健康　■12.その他（食育）"))
    assert prop.fields == ["環境", "福祉・医療・健康", "その他"]
    assert prop.other_field_text == "食育"


def test_axis_written_in_words_without_boxes(parse):
    prop = parse(form(axis_content="有（主軸分野：福祉・医療・健康）"))
    assert prop.axis.present is True
    assert prop.axis.text == "福祉・医療・健康"
    assert prop.axis.field == "福祉・医療・健康"
    prop = parse(form(axis_content="あり　主軸分野：環境（環境保全）"))
    assert prop.axis.present is True and prop.axis.text == "環境（環境保全）"
    assert parse(form(axis_content="無")).axis.present is False
    # a sentence beginning with 有 names no choice
    assert parse(form(axis_content="有効な連携を目指す")).axis.present is None


def test_purpose_and_effects_label_wording(parse):
    rows = [type_row(), fields_row(), axis_row(),
            [cell("提案の目的"), cell("目的の文。", span=2)],
            [cell("連携による効果"), cell("効果の一。", "効果の二。", span=2)], *contact_rows()]
    prop = parse(form(rows=rows))
    assert prop.purpose == "目的の文。"
    assert prop.expected_effects == "効果の一。\n効果の二。"


def test_bare_name_label_inside_the_contact_block(parse):
    rows = [type_row(), fields_row(), axis_row(), *text_rows(),
            [cell("担当者連絡先", vmerge="restart"), cell("所属"), cell("総務課")],
            [cell("", vmerge="continue"), cell("氏名"), cell("総務　一")],
            [cell("", vmerge="continue"), cell("TEL"), cell("0166-11-2222")],
            [cell("", vmerge="continue"), cell("e-mail"), cell("soumu@example.jp")]]
    prop = parse(form(rows=rows))
    assert (prop.contact.department, prop.contact.name) == ("総務課", "総務　一")
    assert (prop.contact.phone, prop.contact.email) == ("0166-11-2222", "soumu@example.jp")
    # outside the contact block 「氏名」 names nobody the form asks for
    header = p("令和8年11月20日") + table([["所在地", "札幌市"], ["企業等名称", "株式会社北"], ["代表者", "代表取締役"],
                                           ["氏名", "北野　一"]])
    prop = parse(form(header=Xml(header)))
    assert prop.contact.name == "連絡　太郎"


@pytest.mark.parametrize("title_label", ["代表者役職", "代表者職名"])
def test_representative_title_on_a_row_of_its_own(parse, title_label):
    header = p("令和8年11月20日") + table([["所在地", "札幌市中央区北１条西２丁目"], ["企業等名称", "株式会社北"],
                                           [title_label, "代表取締役社長"], ["代表者氏名", "北野　一　㊞"]])
    prop = parse(form(header=Xml(header)))
    assert prop.organization.representative == "代表取締役社長\u3000北野　一"
    assert prop.organization.name == "株式会社北"
    # a name that already carries the title is not given it twice
    header = p("令和8年11月20日") + table([["所在地", "札幌市"], ["企業等名称", "株式会社北"],
                                           [title_label, "代表取締役"], ["代表者氏名", "代表取締役　北野　一"]])
    assert parse(form(header=Xml(header))).organization.representative == "代表取締役　北野　一"
