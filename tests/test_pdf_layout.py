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
