"""PDF layout a person follows without thinking: values on two lines, tables across a page break."""

from __future__ import annotations

import pytest

from kyotei_docs.pipeline import read_proposal
from kyotei_docs.readers.layout import PAGE_NUMBER
from pdfbuild import Page, borderless_header, page_break_pdf, reportlab_pdf, ruled_rows


def test_the_second_line_of_a_value_in_a_borderless_header_is_read(tmp_path):
    page = borderless_header(Page())
    ruled_rows(page, 240, [("連携協定の種別", ["□個別連携協定　■包括連携協定"]), ("連携の分野", ["■環境"])])
    got = read_proposal(reportlab_pdf(tmp_path / "header.pdf", page)).to_json()
    assert got["organization"] == {"address": "北海道旭川市緑町１丁目２番３号　ななかまどビル３階",
                                   "name": "株式会社ななかまど", "representative": "代表取締役社長　七竈　花子"}
    assert got["submitted_on"] == "2026-04-01"


def test_a_line_under_the_label_is_a_new_entry_not_a_continuation(tmp_path):
    page = Page().text(250, 125, "所在地").text(320, 125, "北海道旭川市緑町１丁目")
    page.text(250, 140, "企業等名称").text(320, 140, "株式会社ななかまど")
    ruled_rows(page, 240, [("連携協定の種別", ["■個別連携協定"]), ("代表者氏名", ["七竈　花子"])])
    got = read_proposal(reportlab_pdf(tmp_path / "header.pdf", page)).to_json()
    assert got["organization"]["address"] == "北海道旭川市緑町１丁目"
    assert got["organization"]["name"] == "株式会社ななかまど"


@pytest.mark.parametrize("running_header", ["", "株式会社ななかまど　提案書"])
def test_a_value_cut_by_a_page_break_under_a_repeated_header_row_is_read_whole(tmp_path, running_header):
    got = read_proposal(page_break_pdf(tmp_path / "split.pdf", running_header=running_header)).to_json()
    purpose = got["purpose"].split("\n")
    assert purpose[0] == "目的の説明その1。" and purpose[-1] == "目的の続きその32。" and len(purpose) == 32
    assert got["expected_effects"] == "効果の説明。"
    assert got["contact"]["email"] == "taro@example.jp"
    assert "項目" not in got["purpose"] and "- 1 -" not in got["purpose"]


@pytest.mark.parametrize("text, number", [("- 1 -", True), ("2/3", True), ("ページ ２", True), ("Page 4", True),
                                          ("（様式１）", False), ("令和８年４月１日", False), ("12345678", False)])
def test_page_numbers(text, number):
    assert bool(PAGE_NUMBER.match(text)) is number


OPEN_ROWS = [("連携協定の種別", ["□個別連携協定　■包括連携協定"]), ("連携の分野", ["■環境　■子育て　□人材育成"]),
             ("主軸分野の有無", ["■有（主軸分野：子育て）　□無"]),
             ("協定締結の目的", ["子育て世帯の暮らしを支え、", "環境にやさしい住まいを広げる。"]),
             ("連携により期待される効果", ["子育て世帯の定住。"]),
             ("担当者連絡先", ["部署名：地域連携部", "担当者氏名：連絡　太郎", "電話番号：0166-12-3456",
                              "メールアドレス：renraku@example.co.jp"])]


@pytest.mark.parametrize("sides", [(False, False), (True, False)], ids=["open sides", "right border on the next page"])
def test_a_table_without_outer_side_borders_keeps_each_value_in_its_row(tmp_path, sides):
    """Row rules and the rule between label and value only (a common style, or a spreadsheet printed wider than
    the page): the value column is still a column, so 「協定締結の目的」's two lines stay its value."""
    page = borderless_header(Page())
    ruled_rows(page, 240, OPEN_ROWS, header=False, sides=sides)
    p = read_proposal(reportlab_pdf(tmp_path / "open.pdf", page))
    assert p.purpose == "子育て世帯の暮らしを支え、\n環境にやさしい住まいを広げる。"
    assert p.expected_effects == "子育て世帯の定住。"
    assert (p.agreement_type, p.fields, p.axis.field) == ("comprehensive", ["環境", "子育て"], "子育て")
    assert (p.contact.department, p.contact.email) == ("地域連携部", "renraku@example.co.jp")


def test_text_that_runs_off_the_page_makes_every_finding_a_review_item(tmp_path):
    """A spreadsheet printed without fitting it to the paper: the rest of a line lies beyond the page's right
    edge, unseen there. What the reader found wrong may be what it could not see, so a person compares."""
    from kyotei_docs.config import load_config
    from kyotei_docs.pipeline import check_proposal

    page = borderless_header(Page())
    rows = [(label, lines) for label, lines in OPEN_ROWS if label != "連携の分野"]
    bottom = ruled_rows(page, 240, [("連携の分野", ["■環境　□人材育成　□災害対策　□土木建設維持管理"]), *rows],
                        header=False, sides=(True, False), right=595)
    page.text(600, 244, "□福祉・医療・健康　■子育て")  # drawn past the page's edge at 595: on no page
    p = read_proposal(reportlab_pdf(tmp_path / "cut.pdf", page))
    result = check_proposal(p, load_config(None))
    assert bottom > 240 and "text_beyond_page" in p.reader_warnings
    assert not result.errors
    assert {f.code for f in result.review} == {"review_cut_off"}
    assert any(f.field == "file" for f in result.review)


def test_a_whole_file_doubt_turns_each_applicant_error_into_a_review_item():
    from kyotei_docs.proposal import Doubt, Proposal
    from kyotei_docs.review import review
    from kyotei_docs.rules import Finding

    p = Proposal("cut.pdf", "pdf", doubts=[Doubt("review_cut_off", "file")])
    kept, items = review(p, [Finding("comprehensive_needs_two_fields", "fields", "分野を２つ以上", "error")])
    assert kept == []
    assert [(f.code, f.field) for f in items] == [("review_cut_off", "file"), ("review_cut_off", "fields")]
    assert items[1].message.endswith("分野を２つ以上") and "はみ出した" in items[1].message


def test_a_page_whose_text_stays_on_it_has_no_such_doubt(tmp_path):
    page = borderless_header(Page())
    ruled_rows(page, 240, OPEN_ROWS, header=False)
    assert "text_beyond_page" not in read_proposal(reportlab_pdf(tmp_path / "whole.pdf", page)).reader_warnings
