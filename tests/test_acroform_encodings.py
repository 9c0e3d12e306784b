"""Fillable PDFs as the tools in the field write their fields (issue 16: the field named 主軸分野).

The same Form 1, printed with a text layer, gets its fields from raw objects the
way Acrobat, LibreOffice and Japanese PDF tools write them: names nested under
「form1[0].#subform[0]」, names and values in UTF-16BE with a byte order mark, in
PDFDocEncoding, in UTF-8 without one and in Shift_JIS (both read as mojibake
before), LibreOffice's names escaped like PDF names (「#E4#B8#BB…」), a value
written as a name (``/V /福祉・医療・健康``, read with its slash), a drop-down whose
``/V`` is the export value of an ``/Opt`` pair (「3」 read as the third field),
widgets with and without appearance streams and ``/NeedAppearances``, and the
axis field inside the printed 「有　主軸分野（　　）」.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kyotei_docs.pipeline import check_proposal, read_proposal
from pdfbuild import VALUES, _annots, fillable


def _read(path: Path, cfg):
    prop = read_proposal(path)
    result = check_proposal(prop, cfg)
    return prop, sorted(f.code for f in result.errors), sorted(f.code for f in result.review)


def _all_right(prop) -> None:
    assert (prop.axis.present, prop.axis.text, prop.axis.field) == (True, "福祉・医療・健康", "福祉・医療・健康")
    assert (prop.agreement_type, prop.fields) == ("comprehensive", ["環境", "福祉・医療・健康"])
    assert (prop.organization.name, prop.purpose, prop.expected_effects) == \
        ("株式会社フィールド", "健康づくりを進めるため。", "健診受診率の向上。")
    assert (prop.contact.department, prop.contact.name, prop.contact.phone, prop.contact.email) == \
        ("総務部", "野原　花", "0166-11-2222", "hana@field.example.jp")


@pytest.mark.parametrize("kwargs", [
    {},  # UTF-16BE names and values, appearance streams, no /NeedAppearances
    {"names": "pdfdoc", "values": "utf16", "nested": True},  # Acrobat's form1[0].#subform[0].主軸分野[0]
    {"appearances": False, "need_appearances": True},
    {"need_appearances": False},
    {"names": "sjis", "values": "sjis"},  # Shift_JIS: mojibake through PDFDocEncoding before
    {"names": "utf8", "values": "utf8"},  # UTF-8 without a byte order mark: 「ç¦‘ç¥›…」 before
    {"names": "utf8bom", "values": "utf8bom"},  # PDF 2.0's UTF-8 with one
    {"names": "escaped"},  # LibreOffice: 「#E4#B8#BB#E8#BB#B8…」
    {"generic": True},  # Text1…: every meaning from the page, 協定締結の目的 above-left of its field
], ids=["utf16", "acrobat-nested", "no-appearances", "need-false", "shift-jis", "utf8", "utf8-bom",
        "libreoffice-escaped", "generic-names"])
def test_a_field_named_axis_field_is_read_however_its_strings_are_written(tmp_path, cfg, kwargs):
    prop, errors, review = _read(fillable(tmp_path / "form.pdf", **kwargs), cfg)
    _all_right(prop)
    assert (errors, review) == ([], [])


def test_a_value_written_as_a_name_loses_its_slash(tmp_path, cfg):
    from pypdf.generic import NameObject

    prop, errors, review = _read(fillable(tmp_path / "form.pdf", axis_value=NameObject("/福祉・医療・健康")), cfg)
    _all_right(prop)  # it was 「/福祉・医療・健康」
    assert (errors, review) == ([], [])


def test_a_drop_down_gives_the_option_shown_not_its_export_value(tmp_path, cfg):
    from pypdf.generic import TextStringObject

    options = [("1", "災害対策"), ("2", "環境"), ("3", "福祉・医療・健康")]
    prop, errors, review = _read(fillable(tmp_path / "form.pdf", axis_value=TextStringObject("3"),
                                          axis_options=options), cfg)
    _all_right(prop)  # 「3」 named the third field (土木建設維持管理): a confident axis_field_not_selected
    assert (errors, review) == ([], [])


def test_a_field_no_label_can_be_found_for_is_a_review_item_not_a_blank(tmp_path, cfg):
    """A generic field far from any printed label: its value is shown to a person, the entry is not 'missing'."""
    path = fillable(tmp_path / "form.pdf", generic=True, moved={"協定締結の目的": (175, 650, 350, 40)})
    prop, errors, review = _read(path, cfg)
    assert prop.purpose is None
    assert "missing_required" not in errors  # it was: 協定締結の目的が記入されていません
    assert review == ["review_unlabelled_text"]


@pytest.mark.libreoffice
@pytest.mark.parametrize("axis", ["text", "combo"])
def test_a_libreoffice_fillable_pdf_with_a_field_named_axis_field(tmp_path, cfg, axis):
    """Writer's form controls exported by LibreOffice: names escaped as 「#E4#B8#BB…」, the axis inside its brackets."""
    from odtbuild import Controls, make_odt, paragraphs, table
    from pdfbuild import docx_to

    c = Controls()
    axis_control = c.text("主軸分野", "福祉・医療・健康") if axis == "text" else \
        c.combo("主軸分野", "福祉・医療・健康", ["災害対策", "環境", "福祉・医療・健康"])
    rows = [("連携協定の種別", f"<text:p>{c.check('個別連携協定', False)}個別連携協定　{c.check('包括連携協定', True)}包括連携協定</text:p>"),
            ("連携の分野", f"<text:p>{c.check('環境', True)}環境　{c.check('福祉・医療・健康', True)}福祉・医療・健康　"
                          f"{c.check('子育て', False)}子育て</text:p>"),
            ("主軸分野の有無", f"<text:p>{c.check('有', True)}有　主軸分野（{axis_control}）</text:p>"
                             f"<text:p>{c.check('無', False)}無</text:p>")]
    rows += [(label, f"<text:p>{c.text(label, VALUES[label])}</text:p>")
             for label in ("協定締結の目的", "連携により期待される効果", "部署名", "担当者氏名", "電話番号", "メールアドレス")]
    body = paragraphs("様式１", "令和８年１１月２０日", "旭川市長　様", "所在地　北海道旭川市緑町１丁目",
                      "企業等名称　株式会社フィールド", "代表者氏名　代表取締役　野原　一", "連携協定に関する提案書") + table(rows)
    pdf = docx_to(make_odt(tmp_path / "writer.odt", c, body), "pdf", tmp_path / "out")
    from pypdf import PdfReader

    names = [str(a.get_object()["/T"]) for a in _annots(PdfReader(str(pdf)))]
    assert "#E4#B8#BB#E8#BB#B8#E5#88#86#E9#87#8E" in names  # how LibreOffice 7.4 writes 主軸分野
    prop, errors, review = _read(pdf, cfg)
    _all_right(prop)
    assert (errors, review) == ([], [])
