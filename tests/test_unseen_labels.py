"""Headings in other words than the reader's (issue 16's sweep of unseen layouts, what it left).

Each of these was a confident error blamed on the applicant, or a value read in part, before:

* English headings (a foreign company's own form, a bilingual one: 「Representative:」, 「Company name」,
  「Contact person」): the representative and the company's name were left missing (missing_required);
  they are read as the Japanese headings' synonyms now, and English sentences that start with the same
  word (「Contact us …」 in a purpose) stay text;
* a heading in English the reader does not know (「Corporate officer:」): the missing entry is a review
  item quoting the line, never 「記入されていません」;
* the representative under sub-headings on one line (「代表者　職名：代表取締役　氏名：山田　太郎」):
  only the title was read (the name was taken for an unknown 「氏名」); now the title and the name.
"""

from __future__ import annotations

import pytest

from formdoc import CONTACT, TEXTS, cell, doc
from kyotei_docs.extract import extract
from kyotei_docs.pipeline import check_proposal

TOP = ("令和８年１１月２０日", "旭川市長　様")
HEADER_LINES = ("所在地：北海道旭川市緑町１丁目２番３号", "企業等名称：株式会社テスト商事", "代表者氏名：代表取締役　試験　花子")
CHOICES = ("連携協定の種別　☐個別連携協定　☑包括連携協定", "連携の分野　☐災害対策　☑環境　☑子育て",
           "主軸分野の有無　☑有　主軸分野（子育て）　☐無")
ENGLISH_CONTACT = ("Contact", "Department: Overseas Sales", "Contact person: Jane Doe", "TEL: 0166-12-3456",
                   "E-mail: jane.doe@example.com")


def verdict(prop, cfg):
    r = check_proposal(prop, cfg)
    return sorted(f.code for f in r.errors), sorted((f.code, f.field) for f in r.review)


def test_english_headings_are_read_as_their_japanese_synonyms(cfg):
    prop = extract(doc(*TOP, "Address: 北海道旭川市緑町１丁目２番３号", "Company name: Hokurei Trading Co., Ltd.",
                       "Representative: CEO John Smith", *CHOICES,
                       "Purpose", "To promote environmental learning for families.",
                       "Contact us at any time for the programme.",
                       "Expected effects", "More children learn about the environment.", *ENGLISH_CONTACT))
    org, c = prop.organization, prop.contact
    assert (org.address, org.name, org.representative) == (
        "北海道旭川市緑町１丁目２番３号", "Hokurei Trading Co., Ltd.", "CEO John Smith")
    # an English sentence starting with a heading's word (「Contact us」) is the purpose's text, not a heading
    assert prop.purpose == ("To promote environmental learning for families.\n"
                            "Contact us at any time for the programme.")
    assert prop.expected_effects == "More children learn about the environment."
    assert (c.department, c.name, c.phone, c.email) == ("Overseas Sales", "Jane Doe", "0166-12-3456",
                                                        "jane.doe@example.com")
    assert verdict(prop, cfg) == ([], [])


def test_english_headings_in_a_bilingual_table(cfg):
    rows = (("所在地 / Address", "北海道旭川市緑町１丁目２番３号"), ("Company name", "株式会社ホクレイ"),
            ("Representative", "代表取締役　山田　太郎"))
    prop = extract(doc(*TOP, *[cell(t, r, c) for r, row in enumerate(rows) for c, t in enumerate(row)],
                       *CHOICES, *TEXTS, *CONTACT))
    assert (prop.organization.name, prop.organization.representative) == ("株式会社ホクレイ", "代表取締役　山田　太郎")
    assert verdict(prop, cfg) == ([], [])


@pytest.mark.parametrize("heading", ["代表者氏名（Representative）", "代表者氏名 (Name of representative)",
                                     "Representative / 代表者氏名"])
def test_a_bilingual_heading_in_a_cell_is_one_heading(cfg, heading):
    rows = (("所在地", "北海道旭川市緑町１丁目２番３号"), ("企業等名称", "株式会社ホクレイ"), (heading, "代表取締役　山田　太郎"))
    prop = extract(doc(*TOP, *[cell(t, r, c) for r, row in enumerate(rows) for c, t in enumerate(row)],
                       *CHOICES, *TEXTS, *CONTACT))
    assert prop.organization.representative == "代表取締役　山田　太郎"
    assert verdict(prop, cfg) == ([], [])


def test_an_english_heading_the_reader_does_not_know_is_a_review_item_not_a_blank(cfg):
    prop = extract(doc(*TOP, "Address: 北海道旭川市緑町１丁目２番３号", "Company name: Hokurei Trading Co., Ltd.",
                       "Corporate officer in charge: CEO John Smith", *CHOICES, *TEXTS, *ENGLISH_CONTACT))
    assert prop.organization.representative is None
    errors, review = verdict(prop, cfg)
    assert "missing_required" not in errors
    assert ("review_unlabelled_text", "organization.representative") in review
    assert any("Corporate officer in charge" in d.original for d in prop.doubts
               if d.field == "organization.representative")


@pytest.mark.parametrize("line", [
    "代表者　職名：代表取締役　氏名：山田　太郎",
    "代表者　役職：代表取締役　氏名：山田　太郎",
    "代表者：職名　代表取締役　氏名　山田　太郎",
    "代表者：役職名　代表取締役　　氏名　山田　太郎　㊞",
    "代表者　肩書：代表取締役　氏名：山田　太郎",
])
def test_the_representative_under_sub_headings_on_one_line_is_read_whole(cfg, line):
    prop = extract(doc(*TOP, "所在地：北海道旭川市緑町１丁目２番３号", "企業等名称：株式会社テスト商事", line,
                       *CHOICES, *TEXTS, *CONTACT))
    assert prop.organization.representative == "代表取締役　山田　太郎"
    assert verdict(prop, cfg) == ([], [])


@pytest.mark.parametrize(("entries", "read"), [
    (("代表者", "役職：代表取締役", "氏名：山田　太郎"), "代表取締役　山田　太郎"),
    (("代表者", "役職名：代表取締役", "氏名：山田　太郎"), "代表取締役　山田　太郎"),
    (("代表者", "　職名　代表取締役", "　氏名　山田　太郎"), "代表取締役　山田　太郎"),
    (("代表者", "氏名：山田　太郎"), "山田　太郎"),
    (("Representative", "Title: CEO", "Name: John Smith"), "CEO John Smith"),
])
def test_the_representative_under_sub_headings_on_lines_below_a_bare_heading(cfg, entries, read):
    # before: the sub-headings (「役職」, 「氏名」 outside the contact block) ended the entry — missing_required
    prop = extract(doc(*TOP, "所在地：北海道旭川市緑町１丁目２番３号", "企業等名称：株式会社テスト商事", *entries,
                       *CHOICES, *TEXTS, *CONTACT))
    assert prop.organization.representative == read
    assert verdict(prop, cfg) == ([], [])


def test_a_name_sub_heading_after_a_filled_representative_stays_nobodys(cfg):
    # 「代表者：代表取締役　山田　太郎」 holds its value: a 「氏名」 below it is not the representative's
    prop = extract(doc(*TOP, "所在地：北海道旭川市緑町１丁目２番３号", "企業等名称：株式会社テスト商事",
                       "代表者：代表取締役　山田　太郎", "氏名：旭川　一郎", *CHOICES, *TEXTS, *CONTACT))
    assert prop.organization.representative == "代表取締役　山田　太郎"


def test_a_representative_name_under_its_sub_heading_loses_the_heading(cfg):
    prop = extract(doc(*TOP, "所在地：北海道旭川市緑町１丁目２番３号", "企業等名称：株式会社テスト商事",
                       "代表者：氏名　山田　太郎", *CHOICES, *TEXTS, *CONTACT))
    assert prop.organization.representative == "山田　太郎"


# --- values printed above their captions (「北海道…」 over 「所在地」): each caption's next line is the next
# entry's answer. Which answer is whose is not moved (a form may also leave its last entry blank, which reads
# the same); every value so read is a review item, never a silent wrong or an error blamed on the applicant.

def test_applicant_values_above_their_captions_are_review_items_not_silent(cfg):
    prop = extract(doc(*TOP, "北海道旭川市緑町１丁目２番３号", "所在地", "株式会社テスト商事", "企業等名称",
                       "代表取締役　試験　花子", "代表者氏名", *CHOICES, *TEXTS, *CONTACT, fmt="pdf"))
    errors, review = verdict(prop, cfg)
    assert errors == []
    # before: the address read as 「株式会社テスト商事」 and the name as 「代表取締役…」 with no review item
    assert {("review_value_shape", "organization.address"), ("review_value_shape", "organization.name")} <= set(review)
    quoted = next(d.original for d in prop.doubts if d.field == "organization.address")
    assert quoted == "北海道旭川市緑町１丁目２番３号 ／ 所在地 ／ 株式会社テスト商事"


def test_contact_values_above_their_captions_are_review_items_not_errors(cfg):
    prop = extract(doc(*TOP, *HEADER_LINES, *CHOICES, *TEXTS, "連絡先", "地域連携部", "部署名", "連絡　太郎",
                       "担当者氏名", "0166-12-3456", "電話番号", "renraku@example.co.jp", "メールアドレス", fmt="pdf"))
    errors, review = verdict(prop, cfg)
    assert errors == []  # before: the phone read as the e-mail address, an invalid phone blamed on the applicant
    assert {path for code, path in review} >= {"contact.department", "contact.name", "contact.phone"}
    assert ("review_value_shape", "contact.department") in review  # its shape says nothing: its neighbours do


@pytest.mark.parametrize("entries", [
    ("所在地：北海道旭川市緑町１丁目２番３号　株式会社テストビル３階", "企業等名称：テスト商事", "代表者氏名：試験　花子"),
    ("所在地", "北海道旭川市緑町１丁目２番３号", "企業等名称", "株式会社テスト商事", "代表者氏名", "代表取締役　試験　花子"),
])
def test_values_under_their_captions_raise_no_doubt(cfg, entries):
    prop = extract(doc(*TOP, *entries, *CHOICES, *TEXTS, *CONTACT, fmt="pdf"))
    assert verdict(prop, cfg) == ([], [])
