"""Numbered headings and contact values: labels behind any numbering, values on the lines below.

Fast tests feed a FormDoc straight into the extractor; one .docx fixture uses
Word's automatic numbering (w:numPr), whose numbers are not in the text at all.
"""

from __future__ import annotations

import pytest

from docxbuild import p
from formdoc import HEADER, doc
from kyotei_docs.extract import extract
from kyotei_docs.pipeline import check_proposal

PREFIXES = ["１　", "第4　", "第４　", "(4) ", "4.", "４．", "⑴", "（１）", "ア　", "(ア) ", "一、", "Ⅳ．", "○", "■"]


def _body(pre: str, sub: str) -> list[str]:
    return [f"{pre}連携協定の種別", "　☐個別連携協定　☑包括連携協定", f"{pre}連携の分野", "　☑環境　☑子育て",
            f"{pre}主軸分野の有無", "　☐有　☑無",
            f"{pre}協定締結の目的", "　市民の健康づくりを進めるため。", "　あわせて環境保全に取り組む。",
            f"{pre}連携により期待される効果", "　受診率の向上。",
            f"{pre}連絡先", f"{sub}部署名：企画部", f"{sub}担当者氏名：山田　一郎", f"{sub}電話番号：0166-11-2222",
            f"{sub}メールアドレス：a@example.jp"]


@pytest.mark.parametrize("pre", PREFIXES)
@pytest.mark.parametrize("sub", ["", "ア　", "（１）", "(2) ", "・"])
def test_numbered_headings_and_entries(pre, sub, cfg):
    prop = extract(doc(*HEADER, *_body(pre, sub)))
    assert prop.purpose == "市民の健康づくりを進めるため。\nあわせて環境保全に取り組む。"
    assert prop.expected_effects == "受診率の向上。"
    assert prop.agreement_type == "comprehensive" and prop.fields == ["環境", "子育て"]
    assert (prop.contact.department, prop.contact.name) == ("企画部", "山田　一郎")
    assert (prop.contact.phone, prop.contact.email) == ("0166-11-2222", "a@example.jp")
    assert check_proposal(prop, cfg).valid


def test_bracketed_heading_and_value_after_colon():
    prop = extract(doc(*HEADER, "【連携協定の種別】☑個別連携協定　☐包括連携協定", "【連携の分野】☑環境",
                       "【協定締結の目的】：ごみの減量を進めるため。", "【連携により期待される効果】",
                       "リサイクル率の向上。"))
    assert prop.purpose == "ごみの減量を進めるため。"
    assert prop.expected_effects == "リサイクル率の向上。"


def test_heading_words_after_the_label_are_not_the_value():
    prop = extract(doc(*HEADER, "連携協定の種別：包括連携協定", "連携の分野：環境、子育て",
                       "３　協定締結の目的について", "　子育て支援のため。",
                       "４　連携により期待される効果等", "　待機児童の解消。"))
    assert prop.purpose == "子育て支援のため。"
    assert prop.expected_effects == "待機児童の解消。"


def test_a_numbered_sentence_that_starts_with_a_label_word_is_value_text():
    prop = extract(doc(*HEADER, "連携協定の種別：個別連携協定", "連携の分野：環境",
                       "協定締結の目的", "（１）市民の環境意識を高める。", "（２）連携の効果として資源化を進める。",
                       "連携により期待される効果", "ごみの減量。"))
    assert prop.purpose == "（１）市民の環境意識を高める。\n（２）連携の効果として資源化を進める。"


def test_first_line_indent_alone_is_kept_out_of_the_other_lines():
    prop = extract(doc(*HEADER, "連携協定の種別：個別連携協定", "連携の分野：環境", "協定締結の目的",
                       "　本事業は市と連携し、", "ごみの減量を進める。", "連携により期待される効果", "効果。"))
    assert prop.purpose == "本事業は市と連携し、\nごみの減量を進める。"


def test_word_automatic_numbering(parse):
    """Headings numbered by w:numPr: the number is drawn by Word and is not in the text."""
    num = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
    ind = '<w:ind w:left="420"/>'
    body = (p("令和８年１１月２０日") + p("所在地：旭川市緑町１丁目") + p("企業等名称：株式会社番号")
            + p("代表者氏名：代表取締役　番号　太郎")
            + p("連携協定の種別", ppr=num) + p("☑個別連携協定　☐包括連携協定", ppr=ind)
            + p("連携の分野", ppr=num) + p("☑環境", ppr=ind)
            + p("協定締結の目的", ppr=num) + p("資源循環を進めるため。", ppr=ind) + p("市民と協働する。", ppr=ind)
            + p("連携により期待される効果", ppr=num) + p("ごみの減量。", ppr=ind)
            + p("連絡先", ppr=num) + p("部署名：環境部", ppr=ind) + p("担当者氏名：番号　花子", ppr=ind)
            + p("電話番号：0166-22-3333", ppr=ind) + p("メールアドレス：bango@example.jp", ppr=ind))
    prop = parse(body)
    assert prop.purpose == "資源循環を進めるため。\n市民と協働する。"
    assert prop.expected_effects == "ごみの減量。"
    assert prop.contact.email == "bango@example.jp"


# ---------------------------------------------------------------- contact values


@pytest.mark.parametrize("phone,read", [
    ("0166-25-6012（内線123）", "0166-25-6012(内線123)"),
    ("０１６６－２５－６０１２　内線１２３", "0166-25-6012 内線123"),
    ("0166-25-6012 ext. 123", "0166-25-6012 ext. 123"),
    ("0166-25-6012、090-1234-5678", "0166-25-6012、090-1234-5678"),
    ("代表：0166-25-6000／直通：0166-25-6012", "代表:0166-25-6000/直通:0166-25-6012"),
    ("TEL 0166-25-6012　FAX 0166-25-3381", "TEL 0166-25-6012 FAX 0166-25-3381"),
    ("０１６６ー２５ー６０１２", "0166-25-6012"),
])
def test_phone_with_extensions_and_several_numbers_is_valid_and_half_width(phone, read, cfg):
    prop = extract(doc(*HEADER, "連携協定の種別：個別連携協定", "連携の分野：環境", "協定締結の目的：目的。",
                       "連携により期待される効果：効果。", "部署名：総務課", "担当者氏名：電話　太郎",
                       f"電話番号：{phone}", "メールアドレス：ｄｅｎｗａ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ"))
    assert prop.contact.phone == read
    assert prop.contact.email == "denwa@example.co.jp"
    assert check_proposal(prop, cfg).errors == []


@pytest.mark.parametrize("phone,ok", [("0166-12-345", False), ("12-3456", False), ("電話なし", False),
                                      ("内線123", False), ("+1-555-123-4567", False),
                                      ("+81-166-12-3456", True), ("(0166)12-3456", True),
                                      ("0166 12 3456", True), ("0166-12-3456 x12", True)])
def test_phone_validity(phone, ok):
    from kyotei_docs.contactvalues import valid_phone
    assert valid_phone(phone) is ok


def test_full_width_email_is_no_error_and_other_values_keep_their_characters(cfg):
    prop = extract(doc(*HEADER, "連携協定の種別：個別連携協定", "連携の分野：環境", "協定締結の目的：ＤＸ推進。",
                       "連携により期待される効果：効果。", "部署名：総務課", "担当者氏名：全角　太郎",
                       "電話番号：０１６６－１２－３４５６", "メールアドレス：ｚｅｎｋａｋｕ＠ｅｘａｍｐｌｅ．ｊｐ"))
    assert prop.contact.email == "zenkaku@example.jp"
    assert prop.purpose == "ＤＸ推進。"
    assert prop.organization.address == "北海道旭川市緑町１丁目２番３号"
    assert check_proposal(prop, cfg).errors == []


def test_heading_naming_two_things_reads_its_lines_as_the_value():
    prop = extract(doc(*HEADER, "連携協定の種別：包括連携協定", "連携の分野：環境、子育て",
                       "３．協定締結の目的及び内容", "　子育て世帯の環境学習を進める。", "４．連携により期待される効果等",
                       "　環境意識の向上。"))
    assert prop.purpose == "子育て世帯の環境学習を進める。"
    assert prop.expected_effects == "環境意識の向上。"


@pytest.mark.parametrize("phone", ["0166-25-6012（平日9時～17時）", "0166-25-6012（担当直通）", "0166-25-6012(代表)"])
def test_a_note_in_brackets_after_a_phone_number_is_no_error(phone):
    from kyotei_docs.contactvalues import valid_phone
    assert valid_phone(phone)
    assert not valid_phone(phone.replace("6012", "601"))


@pytest.mark.parametrize("email,ok", [("yamada@example.co.jp（山田）", True), ("a@example.jp／b@example.jp", True),
                                      ("ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ", True), ("renraku@example", False),
                                      ("yamada＠example", False)])
def test_email_validity(email, ok):
    from kyotei_docs.contactvalues import valid_email
    assert valid_email(email) is ok


def test_purpose_lines_that_start_with_a_label_word_stay_in_the_purpose():
    lines = ["・連絡先の一本化を図る。", "・メールアドレス等の整備を進める。", "(2) 担当者の育成", "(3) 名称変更に伴う周知",
             "・電話番号案内の充実", "・所在地周辺の清掃", "①企業名の周知"]
    prop = extract(doc(*HEADER, "連携協定の種別：☑個別連携協定", "連携の分野：☑環境", "協定締結の目的", *lines,
                       "連携により期待される効果", "効果。", "所属部署名：総務課", "担当者：山田", "電話番号：0166-11-2222",
                       "メールアドレス：a@example.jp"))
    assert prop.purpose == "\n".join(lines)
    assert (prop.contact.department, prop.contact.phone) == ("総務課", "0166-11-2222")
