"""Honest doubt: what the reader could not place is a review item (要確認), never an applicant error."""

from __future__ import annotations

import json

import pytest

from conftest import json_lines, run_cli
from docxbuild import Xml, make_docx, p, sdt_checkbox, sdt_text
from formbody import contact_rows, fields_row, form, text_rows, type_row
from formdoc import CONTACT, HEADER, TEXTS, cell, doc
from kyotei_docs.extract import extract
from kyotei_docs.pipeline import check_proposal
from kyotei_docs.report import check_text


def _choices():
    return ("連携協定の種別：☑個別連携協定　☐包括連携協定", "連携の分野：☑環境　☐子育て")


def test_text_after_a_label_that_no_value_took_is_review_not_error(cfg):
    # the purpose sits in the row below, in columns that do not line up with its label
    prop = extract(doc(*HEADER, *_choices(), cell("協定締結の目的", 0, 0), cell("", 0, 1, span=2),
                       cell("", 1, 0), cell("市民の健康づくりを進めるため。", 1, 1, span=2),
                       "連携により期待される効果", "受診率の向上。", *CONTACT))
    result = check_proposal(prop, cfg)
    assert prop.purpose is None
    assert result.errors == [] and result.valid and not result.clear
    [item] = result.review
    assert (item.code, item.field) == ("review_unplaced_text", "purpose")
    assert "市民の健康づくりを進めるため。" in item.message and "（なし）" in item.message


def test_a_blank_left_by_the_applicant_stays_an_error(cfg):
    prop = extract(doc(*HEADER, *_choices(), cell("協定締結の目的", 0, 0), cell("", 0, 1),
                       cell("連携により期待される効果", 1, 0), cell("効果。", 1, 1),
                       cell("※具体的に記入してください。", 2, 0), *CONTACT))
    result = check_proposal(prop, cfg)
    assert [(f.code, f.field) for f in result.errors] == [("missing_required", "purpose")]
    assert result.review == []


def test_an_unknown_mark_in_a_choice_section_is_review(cfg):
    prop = extract(doc(*HEADER, "連携協定の種別（該当に☑）", "◎個別連携協定　包括連携協定", "連携の分野：☑環境",
                       *TEXTS, *CONTACT))
    result = check_proposal(prop, cfg)
    assert "agreement_type_missing" not in [f.code for f in result.errors]
    assert [(f.code, f.field) for f in result.review] == [("review_unplaced_text", "agreement_type")]
    assert "◎個別連携協定" in result.review[0].message


def test_no_choice_among_printed_options_stays_an_error(cfg):
    prop = extract(doc(*HEADER, "連携協定の種別（該当に☑）", "☐個別連携協定　☐包括連携協定", "連携の分野：☑環境",
                       *TEXTS, *CONTACT))
    result = check_proposal(prop, cfg)
    assert "agreement_type_missing" in [f.code for f in result.errors]
    assert result.review == []


def test_a_ticked_and_struck_option_is_review(cfg):
    prop = extract(doc(*HEADER, "連携協定の種別", "☑~~個別連携協定~~　☐包括連携協定", "連携の分野：☑環境",
                       *TEXTS, *CONTACT))
    result = check_proposal(prop, cfg)
    assert [f.code for f in result.review] == ["review_mark_conflict"]
    assert "~~個別連携協定~~" in result.review[0].message


def test_content_control_whose_glyph_contradicts_its_state(parse, cfg):
    shown_ticked = Xml(sdt_checkbox(False).replace("☐", "☑"))
    prop = parse(form(type_content=Xml(p(sdt_checkbox(False), "個別連携協定　", shown_ticked, "包括連携協定"))))
    result = check_proposal(prop, cfg)
    assert ("review_mark_conflict", "agreement_type") in [(f.code, f.field) for f in result.review]
    assert "agreement_type_missing" not in [f.code for f in result.errors]


def test_text_control_still_flagged_as_placeholder_but_holding_text(parse, cfg):
    flagged = Xml(sdt_text("x").replace("<w:text/>", "<w:showingPlcHdr/><w:text/>").replace(">x<", ">株式会社レビュー<"))
    left_blank = Xml(sdt_text("x").replace("<w:text/>", "<w:showingPlcHdr/><w:text/>").replace(">x<", ">企業等名称を入力<"))
    header = lambda v: Xml(p("令和８年１１月２０日") + p("所在地：旭川市１条") + p("企業等名称：", v)  # noqa: E731
                           + p("代表者氏名：代表取締役　確認　一郎"))
    prop = parse(form(header=header(flagged)))
    assert prop.organization.name == "株式会社レビュー"
    result = check_proposal(prop, cfg)
    assert [(f.code, f.field) for f in result.review] == [("review_placeholder_text", "organization.name")]
    assert result.valid and not result.clear
    prop = parse(form(header=header(left_blank)))
    assert prop.organization.name is None
    assert [f.code for f in check_proposal(prop, cfg).errors] == ["missing_required"]


def test_ocr_findings_are_all_review(cfg):
    form1 = doc(*HEADER, *_choices(), "協定締結の目的", "連携により期待される効果", "効果。", *CONTACT)
    form1.warnings.append("ocr_used")
    result = check_proposal(extract(form1), cfg)
    assert result.errors == []
    codes = [(f.code, f.field) for f in result.review]
    assert ("review_ocr", "file") in codes and ("review_ocr", "purpose") in codes
    assert "ocr_used" not in [w.code for w in result.warnings]  # the notice is the review item, not also a 注意


def test_readable_report_shows_review_with_original_and_read(cfg):
    prop = extract(doc(*HEADER, "連携協定の種別（該当に☑）", "◎個別連携協定　包括連携協定", "連携の分野：☑環境",
                       *TEXTS, *CONTACT))
    text = check_text(check_proposal(prop, cfg))
    assert "要確認 — 原本と照合してください" in text
    assert "原本「◎個別連携協定 包括連携協定」" in text and "読み取り「（なし）」" in text
    assert "✔ 受付可" not in text


def test_cli_json_review_and_exit_codes(tmp_path):
    rows = [type_row("◎個別連携協定　包括連携協定"), fields_row(), *text_rows(), *contact_rows()]
    doubtful = make_docx(form(rows=rows), tmp_path / "doubt.docx")
    clean = make_docx(form(), tmp_path / "clean.docx")
    res = run_cli("check", "--json", str(doubtful))
    [obj] = json_lines(res.stdout)
    assert res.returncode == 1
    assert obj["valid"] is True and obj["errors"] == []
    assert [r["code"] for r in obj["review"]] == ["review_unplaced_text"]
    assert set(obj["review"][0]) == {"code", "field", "message", "params"}
    res = run_cli("check", "--json", str(clean))
    assert res.returncode == 0 and json_lines(res.stdout)[0]["review"] == []
    res = run_cli("check", str(doubtful), str(clean))
    assert res.returncode == 1
    assert "要確認 — 原本と照合してください" in res.stdout and "要確認 1件" in res.stdout


def test_report_html_shows_review(tmp_path, cfg):
    from kyotei_docs.inbox.report import ReportInput, report_html
    prop = extract(doc(*HEADER, "連携協定の種別（該当に☑）", "◎個別連携協定　<包括連携協定>", "連携の分野：☑環境",
                       *TEXTS, *CONTACT))
    check = json.loads(json.dumps(check_proposal(prop, cfg).to_json()))
    html = report_html(ReportInput(sid="R1", received="2026-11-20 10:00:00", original="a.docx", sha256=None,
                                   check=check))
    assert 'class="status rv"' in html and "要確認 — 原本と照合してください" in html
    assert "原本「◎個別連携協定 &lt;包括連携協定&gt;」" in html


# ---------------------------------------------------------------- entry names run together with other text


def _glued_form():
    """Form 1 as a .doc LibreOffice saved from a .docx reads back: the table gone, cells run together."""
    return doc(*HEADER[:2], "所在地：北海道旭川市緑町１丁目２番３号", "企業等名称：株式会社テスト商事",
               "代表者氏名：代表取締役　試験　花子", "連携協定の種別", "☐個別連携協定　☑包括連携協定", "連携の分野",
               "☑環境　☑子育て", "主軸分野の有無", "☐有　主軸分野（　）", "☑無協定締結の目的",
               "市民の健康増進を進めるため。連携により",
               "期待される効果健診受診率の向上。連絡先部　署　名地域連携部担当者氏名連絡　太郎電 話 番 号0166-12-3456"
               "メールアドレスrenraku@example.co.jp")


def test_an_entry_name_run_together_with_other_text_is_review_not_missing(cfg):
    prop = extract(_glued_form())
    result = check_proposal(prop, cfg)
    assert [f.field for f in result.errors] == []
    doubted = {d.field: d.original for d in prop.doubts if d.code == "review_unplaced_text"}
    assert {"purpose", "contact.department", "contact.name", "contact.phone"} <= set(doubted)
    assert doubted["purpose"] == "☑無協定締結の目的"
    assert "担当者氏名連絡" in doubted["contact.name"]


def test_an_entry_missing_with_its_name_nowhere_stays_the_applicants_error(cfg):
    prop = extract(doc(*HEADER, "連携協定の種別：☑個別連携協定", "連携の分野：☑環境", "連携により期待される効果", "効果。",
                       "担当者連絡先", "部署名：総務課", "担当者氏名：山田", "電話番号：0166-11-2222",
                       "メールアドレス：a@example.jp"))
    assert prop.purpose is None and not any(d.field == "purpose" for d in prop.doubts)
    assert "purpose" in [f.field for f in check_proposal(prop, cfg).errors]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_doc_libreoffice_saved_straight_from_a_docx_gets_no_confident_errors(tmp_path, cfg):
    """LibreOffice 7.4 writes this .docx to .doc with a table its own import reads as plain paragraphs."""
    from kyotei_docs import office
    from kyotei_docs.pipeline import read_proposal
    from pdfbuild import docx_to

    if not office.soffice_available():
        pytest.skip("LibreOffice is not installed")
    saved = docx_to(make_docx(form(), tmp_path / "様式.docx"), "doc", tmp_path / "doc")
    result = check_proposal(read_proposal(saved), cfg)
    assert result.errors == [] and result.review
