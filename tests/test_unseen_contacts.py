"""Contacts laid out as strangers lay them out (issue 16's sweep of unseen layouts).

Each of these read a wrong value with no review item before:

* 「連絡担当者」 (and 「連絡者」) as the contact's heading: unknown, so the department's value ran on
  over the row's next cells — 「経営企画部　連絡担当者　北嶺　花子」 as the department;
* two entries in one row of a PDF without rules, their columns apart by tabs
  (「部署名\\t経営企画部\\t担当者\\t北嶺　花子」): a label after a tab starts an entry without a colon;
* a heading the reader does not know at all (「対応者」): a one-line value joined from several cells
  of its row is a review item quoting them (``review_joined_cells``), and a missing entry beside it
  is a review item, never 「記入されていません」;
* a row of headings with the answers in the row below (「担当部署名｜対応者｜電話｜E-mail」): the
  department was the unknown heading next to it (「対応者」); the answer under the label counts.
"""

from __future__ import annotations

import pytest

from formdoc import HEADER, cell, doc
from kyotei_docs.extract import extract
from kyotei_docs.pipeline import check_proposal

CHOICES = ("連携協定の種別　☐個別連携協定　☑包括連携協定", "連携の分野　☐災害対策　☑環境　☑子育て",
           "主軸分野の有無　☑有　主軸分野（子育て）　☐無", "協定締結の目的：子育て世帯の環境学習を進めるため。",
           "連携により期待される効果：親子で学ぶ機会が増える。", "連絡先")


def verdict(prop, cfg):
    r = check_proposal(prop, cfg)
    return sorted(f.code for f in r.errors), sorted((f.code, f.field) for f in r.review)


def grid(*rows: tuple[str, ...]) -> list:
    return [cell(text, r, c) for r, row in enumerate(rows) for c, text in enumerate(row)]


def contact_of(prop) -> tuple:
    c = prop.contact
    return c.department, c.name, c.phone, c.email


@pytest.mark.parametrize("heading", ["連絡担当者", "連絡担当者氏名", "連絡者"])
def test_a_contact_heading_of_other_words_side_by_side(cfg, heading):
    prop = extract(doc(*HEADER, *CHOICES, *grid(("担当部署名", "経営企画部", heading, "北嶺　花子"),
                                                 ("電話", "0166-55-1234", "E-mail", "hanako@hokurei.example.jp"))))
    assert contact_of(prop) == ("経営企画部", "北嶺　花子", "0166-55-1234", "hanako@hokurei.example.jp")
    assert verdict(prop, cfg) == ([], [])


def test_two_entries_on_a_line_in_columns_apart_by_tabs(cfg):
    prop = extract(doc(*HEADER, *CHOICES, "部署名\t経営企画部\t担当者\t北嶺　花子",
                       "電話番号\t0166-55-1234\tメール\thanako@hokurei.example.jp", fmt="pdf"))
    assert contact_of(prop) == ("経営企画部", "北嶺　花子", "0166-55-1234", "hanako@hokurei.example.jp")
    assert verdict(prop, cfg) == ([], [])


def test_an_unknown_heading_in_a_row_is_a_review_item_not_part_of_the_value(cfg):
    prop = extract(doc(*HEADER, *CHOICES, *grid(("部署名", "経営企画部", "対応者", "北嶺　花子"),
                                                 ("電話", "0166-55-1234", "E-mail", "hanako@hokurei.example.jp"))))
    errors, review = verdict(prop, cfg)
    assert errors == []  # it was the department 「経営企画部　対応者　北嶺　花子」, with no review item
    assert ("review_joined_cells", "contact.department") in review
    assert ("review_unlabelled_text", "contact.name") in review
    assert "対応者" in " ".join(f.message for f in check_proposal(prop, cfg).review)


def test_an_unknown_heading_between_tabs_is_a_review_item(cfg):
    prop = extract(doc(*HEADER, *CHOICES, "部署名\t経営企画部\t対応者\t北嶺　花子",
                       "電話番号\t0166-55-1234\tメール\thanako@hokurei.example.jp", fmt="pdf"))
    errors, review = verdict(prop, cfg)
    assert errors == []
    assert {("review_joined_cells", "contact.department"), ("review_unlabelled_text", "contact.name")} <= set(review)


def test_a_value_one_cell_holds_on_two_lines_is_no_joined_value(cfg):
    prop = extract(doc(*HEADER, *CHOICES, *grid(("部署名", "経営企画部\n地域連携課"), ("担当者氏名", "北嶺　花子"),
                                                 ("電話番号", "0166-55-1234"), ("メールアドレス", "hanako@hokurei.example.jp"))))
    assert prop.contact.department == "経営企画部　地域連携課"
    assert verdict(prop, cfg) == ([], [])


def test_a_row_of_headings_takes_the_answer_under_the_label(cfg):
    prop = extract(doc(*HEADER, *CHOICES, *grid(("担当部署名", "対応者", "電話", "E-mail"),
                                                 ("経営企画部", "北嶺　花子", "0166-55-1234", "hanako@hokurei.example.jp"))))
    assert contact_of(prop)[0] == "経営企画部"  # it was 「対応者」, the heading beside it, with no review item
    errors, review = verdict(prop, cfg)
    assert errors == [] and ("review_unlabelled_text", "contact.name") in review


def test_a_label_with_its_answer_beside_it_in_a_row_of_labels_keeps_it(cfg):
    """「部署名｜総務部｜担当者氏名｜…」: labels and answers alternate — the answer is beside its label."""
    prop = extract(doc(*HEADER, *CHOICES, *grid(("部署名", "経営企画部", "担当者氏名", "北嶺　花子"),
                                                 ("電話番号", "0166-55-1234", "メールアドレス", "hanako@hokurei.example.jp"))))
    assert contact_of(prop) == ("経営企画部", "北嶺　花子", "0166-55-1234", "hanako@hokurei.example.jp")
    assert verdict(prop, cfg) == ([], [])


def test_a_line_of_headings_apart_by_tabs_over_a_line_of_answers(cfg):
    """A PDF table whose rules gave no cells: the answers stand in the same columns one line lower."""
    prop = extract(doc(*HEADER, *CHOICES, "担当部署名\t連絡担当者\t電話\tE-mail",
                       "経営企画部\t北嶺　花子\t0166-55-1234\thanako@hokurei.example.jp", fmt="pdf"))
    # every entry was a review item (the four answers joined under E-mail); now each column answers its heading
    assert contact_of(prop) == ("経営企画部", "北嶺　花子", "0166-55-1234", "hanako@hokurei.example.jp")
    assert verdict(prop, cfg) == ([], [])


def test_a_line_of_answers_with_a_column_too_many_is_no_column_answer(cfg):
    prop = extract(doc(*HEADER, *CHOICES, "担当部署名\t連絡担当者\t電話\tE-mail",
                       "経営企画部\t地域連携課\t北嶺　花子\t0166-55-1234\thanako@hokurei.example.jp", fmt="pdf"))
    errors, review = verdict(prop, cfg)
    assert errors == [] and review  # which column is whose cannot be told: a person looks


@pytest.mark.parametrize("written", ["hanako@hokurei.example.jp（担当直通）", "hanako@hokurei.example.jp(直通)",
                                     "（hanako@hokurei.example.jp）"])
def test_an_address_with_a_note_in_brackets_is_the_address(cfg, written):
    prop = extract(doc(*HEADER, *CHOICES, "部署名：経営企画部", "担当者氏名：北嶺　花子", "電話番号：0166-55-1234",
                       f"メールアドレス：{written}"))
    assert prop.contact.email == "hanako@hokurei.example.jp"  # it was an invalid address blamed on the applicant
    assert verdict(prop, cfg) == ([], [])


@pytest.mark.parametrize("entries, doubted", [
    (("部署名：同上", "担当者氏名：同上"), ["contact.department", "contact.name"]),
    (("部署名：総務部", "担当者氏名：代表者に同じ"), ["contact.name"]),
    (("部署名：総務部", "担当者氏名：〃"), ["contact.name"]),
])
def test_an_entry_pointing_at_another_is_a_review_item(cfg, entries, doubted):
    """「同上」 as the contact's name was read as the name 「同上」, with no review item."""
    prop = extract(doc(*HEADER, *CHOICES, *entries, "電話番号：0166-55-1234", "メールアドレス：hanako@hokurei.example.jp"))
    assert verdict(prop, cfg) == ([], [("review_same_as", path) for path in doubted])


def test_a_phone_written_as_same_as_above_is_no_applicant_error(cfg):
    prop = extract(doc(*HEADER, *CHOICES, "部署名：総務部", "担当者氏名：北嶺　花子", "電話番号：上記に同じ",
                       "メールアドレス：hanako@hokurei.example.jp"))
    assert verdict(prop, cfg) == ([], [("review_same_as", "contact.phone")])  # it was invalid_phone


HEAD = ("様式１", "令和８年１１月２０日", "旭川市長　様", "所在地：北海道旭川市宮前１条３丁目４番", "企業等名称：北嶺物産株式会社",
        "代表者氏名：代表取締役　北嶺　太郎", "連携協定に関する提案書")
LETTER = ("令和８年１１月２０日", "旭川市長　様", "北嶺物産株式会社", "総務部　送付　担当", "TEL 0166-99-0000",
          "E-mail: soufu@hokurei.example.jp", "送付状", "拝啓　下記のとおり送付します。", "敬具")


@pytest.mark.parametrize("blank, kept", [("電話番号：", ("メールアドレス：hanako@hokurei.example.jp",)),
                                        ("メールアドレス：", ("電話番号：0166-55-1234",))])
def test_a_cover_letter_behind_the_form_feeds_no_value(cfg, blank, kept):
    """The letter's sender's 「TEL 0166-99-0000」 was the contact's phone, with no review item."""
    prop = extract(doc(*HEAD, *CHOICES, "部署名：経営企画部", "担当者氏名：北嶺　花子", *kept, blank, *LETTER))
    path = "contact.phone" if blank.startswith("電話") else "contact.email"
    assert prop.value(path) is None  # the e-mail was the letter's date, 「令和8年11月20日」: an invalid address
    assert verdict(prop, cfg) == ([], [("review_cover_letter", path)])


def test_a_letter_to_a_section_behind_the_form(cfg):
    prop = extract(doc(*HEAD, *CHOICES, "部署名：経営企画部", "担当者氏名：北嶺　花子", "電話番号：",
                       "メールアドレス：hanako@hokurei.example.jp", "令和８年１１月２０日", "旭川市地域振興部　御中",
                       "北嶺物産株式会社　総務部", "電話 0166-99-0000"))
    assert prop.contact.phone is None
    assert verdict(prop, cfg) == ([], [("review_cover_letter", "contact.phone")])


def test_a_form_whose_title_stands_above_its_addressee_is_not_cut(cfg):
    prop = extract(doc("連携協定に関する提案書", "令和８年１１月２０日", "旭川市長　様", *HEAD[3:6], *CHOICES,
                       "部署名：経営企画部", "担当者氏名：北嶺　花子", "電話番号：0166-55-1234", "メールアドレス：hanako@hokurei.example.jp"))
    assert contact_of(prop) == ("経営企画部", "北嶺　花子", "0166-55-1234", "hanako@hokurei.example.jp")
    assert verdict(prop, cfg) == ([], [])


@pytest.mark.parametrize("line", ["携帯：090-1234-5678", "携帯電話　090-1234-5678", "FAX：0166-55-9999"])
def test_a_number_under_another_heading_where_the_phone_is_missing_is_a_review_item(cfg, line):
    prop = extract(doc(*HEAD, *CHOICES, "部署名：経営企画部", "担当者氏名：北嶺　花子", line,
                       "メールアドレス：hanako@hokurei.example.jp"))
    assert verdict(prop, cfg) == ([], [("review_unlabelled_text", "contact.phone")])  # it was missing_required


def test_a_row_of_mark_cells_ending_in_an_empty_cell_reads_each_mark_before_its_option(cfg):
    """「□｜個別連携協定｜☑｜包括連携協定｜（空）」: the empty cell at the row's end made 'after' possible
    too, so the ☑ between the two options was left to a person; every option has a mark cell before it."""
    rows = (("連携協定の種別", "☐", "個別連携協定", "☑", "包括連携協定", ""),
            ("連携の分野", "☑", "環境", "☐", "子育て", ""), ("主軸分野の有無", "☑", "有", "☐", "無", ""),
            ("主軸分野", "環境", "", "", "", ""))
    prop = extract(doc(*HEADER, *grid(*rows), "協定締結の目的：子育て世帯の環境学習を進めるため。",
                       "連携により期待される効果：親子で学ぶ機会が増える。", "連絡先", "部署名：経営企画部",
                       "担当者氏名：北嶺　花子", "電話番号：0166-55-1234", "メールアドレス：hanako@hokurei.example.jp"))
    assert (prop.agreement_type, prop.fields, prop.axis.present, prop.axis.field) == \
        ("comprehensive", ["環境"], True, "環境")
    assert verdict(prop, cfg)[1] == []


def test_a_contact_name_only_in_the_cover_letter_is_a_review_item(cfg):
    letter = ("令和８年１１月２０日", "旭川市長　様", "北嶺物産株式会社", "経営企画部　担当：北嶺　花子", "送付状",
              "拝啓　下記のとおり送付します。", "敬具")
    prop = extract(doc(*letter, *HEAD, *CHOICES, "部署名：経営企画部", "担当者氏名：", "電話番号：0166-55-1234",
                       "メールアドレス：hanako@hokurei.example.jp"))
    assert prop.contact.name is None  # the letter's value is not taken
    assert verdict(prop, cfg) == ([], [("review_cover_letter", "contact.name")])  # it was missing_required


PROFILE = ("会社概要", "商号：北嶺物産株式会社", "所在地：北海道旭川市宮前１条３丁目４番", "電話：0166-36-0001",
           "E-mail：info@hokurei.example.jp", "担当者：営業部　旭　次郎", "資本金：1,000万円")


@pytest.mark.parametrize("blank, path", [("電話番号：", "contact.phone"), ("担当者氏名：", "contact.name")])
def test_a_company_profile_behind_the_form_feeds_no_contact_entry(cfg, blank, path):
    """A 会社概要 page after the form names the applicant's entries again: a contact entry left blank took
    its switchboard 「0166-36-0001」 or its 「営業部　旭　次郎」, with no review item."""
    entries = {"部署名：": "経営企画部", "担当者氏名：": "北嶺　花子", "電話番号：": "0166-55-1234",
               "メールアドレス：": "hanako@hokurei.example.jp"}
    entries[blank] = ""
    prop = extract(doc(*HEAD, *CHOICES, *(k + v for k, v in entries.items()), *PROFILE))
    assert prop.value(path) is None
    assert verdict(prop, cfg) == ([], [("review_cover_letter", path)])


def test_a_form_with_its_contacts_and_a_profile_behind_reads_the_form(cfg):
    prop = extract(doc(*HEAD, *CHOICES, "部署名：経営企画部", "担当者氏名：北嶺　花子", "電話番号：0166-55-1234",
                       "メールアドレス：hanako@hokurei.example.jp", *PROFILE))
    assert contact_of(prop) == ("経営企画部", "北嶺　花子", "0166-55-1234", "hanako@hokurei.example.jp")
    assert prop.organization.address == "北海道旭川市宮前１条３丁目４番" and verdict(prop, cfg) == ([], [])
