"""Excel forms: the .xlsx reader (cells on their grid, merges, typed marks, form-control check boxes,
和暦 number formats, labels spaced over cells), .xls through LibreOffice, and the PDF printed from Excel.

Every workbook is written from raw SpreadsheetML (:mod:`xlsxbuild`), as Excel writes it.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from formdoc import HEADER, cell, doc
from hostile import zipped
from kyotei_docs.errors import UnreadableError
from kyotei_docs.extract import extract
from kyotei_docs.pipeline import check_proposal, read_proposal
from kyotei_docs.readers import read_form
from kyotei_docs.readers.numfmt import is_date_format, show_date, show_number
from kyotei_docs.readers.sniff import sniff
from pdfbuild import Page, docx_to, reportlab_pdf
from xlsxbuild import CheckBox, Num, Rich, Sheet, excel_form1, excel_printed_page, make_xlsx

EXPECTED = {
    "submitted_on": "2026-11-20",
    "organization": {"address": "北海道旭川市緑町１丁目２番３号", "name": "株式会社エクセル商事",
                     "representative": "代表取締役　表計　算子"},
    "agreement_type": "comprehensive",
    "fields": ["災害対策", "福祉・医療・健康"],
    "axis": {"present": True, "field": "福祉・医療・健康", "text": "福祉・医療・健康"},
    "purpose": "災害時の物資供給と\n高齢者の見守りを進めるため。",
    "expected_effects": "避難所の備えが整う。\n見守りの目が増える。",
    "contact": {"department": "総務部　地域連携課", "name": "表計　次郎", "phone": "0166-23-4567",
                "email": "jiro@excel.example.jp"},
}


def _values(prop) -> dict:
    got = prop.to_json()
    return {k: got[k] for k in EXPECTED}


# ---------------------------------------------------------------- number formats (the seam)

@pytest.mark.parametrize("code, shown", [
    ('[$-ja-JP-x-gannen]ggge"年"m"月"d"日"', "令和元年5月1日"),
    ('[$-411]ggge"年"m"月"d"日"', "令和1年5月1日"),
    ('[$-411]ge.m.d', "R1.5.1"),
    ('[$-411]gge"年"mm"月"dd"日"(aaa)', "令1年05月01日(水)"),
    ('yyyy"年"m"月"d"日"', "2019年5月1日"),
    ("yyyy/m/d", "2019/5/1"),
    ('[DBNum1][$-411]ggge"年"m"月"d"日"', "令和一年五月一日"),
])
def test_a_date_cell_shows_what_its_number_format_shows(code, shown):
    assert is_date_format(code)
    assert show_date(date(2019, 5, 1), code) == shown


def test_numbers_that_are_no_dates_show_as_general():
    assert not is_date_format("General") and not is_date_format("0.00E+00") and not is_date_format('#,##0"円"')
    assert show_number("166234567", "General") == ("166234567", False)
    assert show_number("46346", "[$-411]ggge\"年\"m\"月\"d\"日\"") == ("令和8年11月20日", True)
    assert show_number("1.5", "General") == ("1.5", False)


# ---------------------------------------------------------------- the .xlsx reader

def test_an_excel_form1_is_read_like_any_other(tmp_path):
    prop = read_proposal(excel_form1(tmp_path / "form.xlsx"))
    assert prop.format == "xlsx"
    assert _values(prop) == EXPECTED
    assert prop.doubts == []


def test_cells_sit_on_the_sheets_grid_with_merges_once(tmp_path):
    form = read_form(excel_form1(tmp_path / "form.xlsx"))
    by_text = {b.text: b for b in form.blocks}
    address = by_text["北海道旭川市緑町１丁目２番３号"]
    assert (address.table, address.col, address.span) == (1, 4, 6)
    assert by_text["所\u3000在\u3000地"].row == address.row  # the three cells 「所」「在」「地」 are one label
    assert sum(1 for b in form.blocks if b.text == "株式会社エクセル商事") == 1
    assert by_text["令和8年11月20日"].source == "xlsx:date"


@pytest.mark.parametrize("marks, expected", [(("□", "☑"), "comprehensive"), (("☑", "□"), "individual"),
                                             (("", "■"), "comprehensive"), (("○", ""), "individual")])
def test_typed_marks_in_cells_of_their_own(tmp_path, marks, expected):
    prop = read_proposal(excel_form1(tmp_path / "form.xlsx", type_marks=marks))
    assert prop.agreement_type == expected and prop.doubts == []


@pytest.mark.parametrize("caption", [False, True])
@pytest.mark.parametrize("marks, expected", [(("□", "☑"), "comprehensive"), (("☑", "□"), "individual")])
def test_form_control_check_boxes_are_read_from_ctrl_props(tmp_path, marks, expected, caption):
    path = excel_form1(tmp_path / "form.xlsx", type_marks=marks, controls=True, control_caption=caption)
    with zipfile.ZipFile(path) as zf:  # the state really is only in the controls' parts
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        assert "☑" not in sheet and "Checked" in "".join(zf.read(n).decode() for n in zf.namelist()
                                                           if n.startswith("xl/ctrlProps/"))
    prop = read_proposal(path)
    assert prop.agreement_type == expected and prop.doubts == []
    assert prop.sources["agreement_type"] == "xlsx:control"


def _type_sheet(controls, **kw) -> Sheet:
    cells = {"A1": "連携協定の種別", "C1": "個別連携協定", "F1": "包括連携協定",
             "A2": "連携の分野", "B2": "☑環境", "C2": "☑子育て", "A3": "主軸分野の有無", "B3": "☑無",
             "A4": "協定締結の目的", "B4": "目的。", "A5": "連携により期待される効果", "B5": "効果。"}
    return Sheet(cells, controls=controls, **kw)


def test_a_workbook_from_before_excel_2010_keeps_its_boxes_in_the_vml_drawing(tmp_path):
    path = make_xlsx(tmp_path / "old.xlsx", _type_sheet([CheckBox("B1", False), CheckBox("E1", True)],
                                                        modern_controls=False))
    assert read_proposal(path).agreement_type == "comprehensive"


def test_ctrl_props_state_wins_over_a_stale_vml_drawing(tmp_path):
    path = make_xlsx(tmp_path / "stale.xlsx", _type_sheet([CheckBox("B1", False, vml_checked=True),
                                                          CheckBox("E1", True, vml_checked=False)]))
    assert read_proposal(path).agreement_type == "comprehensive"


def test_a_box_between_two_option_cells_with_nothing_to_say_whose_is_a_review_item(tmp_path, cfg):
    cells = {"A1": "連携協定の種別", "B1": "個別連携協定", "C1": "☑", "D1": "包括連携協定",
             "A2": "連携の分野", "B2": "☑環境", "C2": "☑子育て", "A3": "主軸分野の有無", "B3": "☑無",
             "A4": "協定締結の目的", "B4": "目的。", "A5": "連携により期待される効果", "B5": "効果。"}
    prop = read_proposal(make_xlsx(tmp_path / "between.xlsx", Sheet(cells)))
    assert prop.agreement_type is None
    result = check_proposal(prop, cfg)
    assert "agreement_type" not in {f.field for f in result.errors}
    assert any(f.field == "agreement_type" for f in result.review)


def test_furigana_hidden_things_and_struck_options_are_not_read(tmp_path):
    cells = {"A1": "連携協定の種別", "B1": "☑個別連携協定", "C1": "☑包括連携協定",
             "A2": "企業等名称", "B2": Rich((("株式会社", False), ("北見", False)), ruby="カブシキガイシャキタミ"),
             "A3": "所在地", "B3": "秘密の住所", "A4": "代表者氏名", "B4": "代表取締役　北見　一"}
    secret = Sheet({"A1": "所在地", "B1": "隠しシートの住所"}, name="リスト", hidden=True)
    prop = read_proposal(make_xlsx(tmp_path / "hidden.xlsx", Sheet(cells, hidden_rows=[3], struck_cells=["B1"]),
                                   secret))
    assert prop.organization.name == "株式会社北見"
    assert prop.organization.address is None
    # a tick on a struck-out option: the strike was read, and the two marks are a person's to compare
    assert [(d.code, d.field) for d in prop.doubts] == [("review_mark_conflict", "agreement_type")]


def test_a_text_box_drawn_on_the_sheet_is_read_where_it_is_anchored(tmp_path):
    cells = {"A1": "連携協定の種別", "B1": "☑包括連携協定", "A2": "連携の分野", "B2": "☑環境　☑子育て",
             "A3": "主軸分野の有無", "B3": "☑無", "A4": "協定締結の目的",
             "A8": "連携により期待される効果", "B8": "効果。"}
    path = make_xlsx(tmp_path / "box.xlsx", Sheet(cells, text_boxes=[("A5", "地域の子育てを\n皆で支えるため。")]))
    assert read_proposal(path).purpose == "地域の子育てを\n皆で支えるため。"


# ---------------------------------------------------------------- hostile workbooks

def test_a_sheet_with_too_many_cells_is_refused(tmp_path):
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c><c r="B{r}"><v>{r}</v></c></row>'
                   for r in range(1, 12_001))
    path = make_xlsx(tmp_path / "big.xlsx", Sheet({"A1": "連携協定の種別"}))
    _replace(path, "xl/worksheets/sheet1.xml",
             lambda x: x.replace(x[x.index("<sheetData>"):x.index("</sheetData>")], "<sheetData>" + rows))
    with pytest.raises(UnreadableError) as err:
        read_form(path)
    assert err.value.code == "xlsx_too_large"


def test_an_entity_in_a_sheet_is_refused(tmp_path):
    path = excel_form1(tmp_path / "xxe.xlsx")
    _replace(path, "xl/sharedStrings.xml", lambda x: x.replace(
        "?>", '?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1).replace("株式会社エクセル商事", "&x;"))
    with pytest.raises(UnreadableError) as err:
        read_form(path)
    assert err.value.code == "xml_forbidden"


def test_a_truncated_workbook_is_called_a_truncated_file(tmp_path):
    path = excel_form1(tmp_path / "form.xlsx")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert sniff(cut) == "xlsx"
    with pytest.raises(UnreadableError) as err:
        read_form(cut)
    assert err.value.code == "truncated_zip" and "Excel" in err.value.message


def test_excel_is_sniffed_from_content_and_powerpoint_still_refused(tmp_path):
    path = excel_form1(tmp_path / "form.dat")
    assert sniff(path) == "xlsx"
    slides = tmp_path / "slides.xlsx"
    slides.write_bytes(zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<presentation/>"}))
    with pytest.raises(UnreadableError) as err:
        read_form(slides)
    assert err.value.code == "other_office"


def _replace(path: Path, name: str, change) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts[name] = change(parts[name].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)


# ---------------------------------------------------------------- printed from Excel

def test_a_pdf_printed_from_excel_reads_the_spaced_label_and_leaves_the_odd_mark_for_review(tmp_path, cfg):
    prop = read_proposal(reportlab_pdf(tmp_path / "print.pdf", excel_printed_page(Page())))
    assert prop.organization.address == "北海道旭川市緑町１丁目２番３号"  # not 「所 在 地北海道…」, not missing
    # 「個別連携協定■　包括連携協定」: glued to 個別, but every other line puts its mark before the option
    assert prop.agreement_type is None
    result = check_proposal(prop, cfg)
    assert not any(f.field == "agreement_type" for f in result.errors)
    assert any(f.field == "agreement_type" for f in result.review)


def test_the_seam_a_box_glued_after_an_option_reads_as_the_form_reads_its_other_lines():
    # the same line where the form's other lines put marks after their options: no doubt, it is 個別
    prop = extract(doc(*HEADER, "連携協定の種別　個別連携協定☑　包括連携協定", "連携の分野：環境☑　子育て☑",
                       "協定締結の目的：目的。", "連携により期待される効果：効果。"))
    assert prop.agreement_type == "individual"
    # and in cells: a mark cell after each option
    prop = extract(doc(*HEADER, cell("連携協定の種別", 0, 0), cell("個別連携協定", 0, 1), cell("☑", 0, 2),
                       cell("包括連携協定", 0, 3), cell("☐", 0, 4), "連携の分野：☑環境　☑子育て",
                       "協定締結の目的：目的。", "連携により期待される効果：効果。"))
    assert prop.agreement_type == "individual"


@pytest.mark.libreoffice
def test_the_pdf_libreoffice_prints_from_an_excel_form_is_read_whole(tmp_path):
    pdf = docx_to(excel_form1(tmp_path / "form.xlsx", type_marks=("", "☑")), "pdf", tmp_path / "pdf")
    prop = read_proposal(pdf)
    assert _values(prop) | {"purpose": None, "expected_effects": None} == \
        EXPECTED | {"purpose": None, "expected_effects": None}
    assert prop.purpose is not None and "高齢者の見守り" in prop.purpose
    assert prop.doubts == []


@pytest.mark.libreoffice
def test_an_xls_workbook_goes_through_libreoffice_to_the_same_reader(tmp_path):
    xls = docx_to(excel_form1(tmp_path / "form.xlsx"), "xls", tmp_path / "xls")
    assert sniff(xls) == "xls"
    prop = read_proposal(xls)
    assert prop.format == "xls"
    assert _values(prop) == EXPECTED


def test_cells_without_references_and_iso_date_cells_as_other_tools_write_them(tmp_path):
    """Some tools leave out a row's and a cell's ``r`` (the next row, the next column) and write dates as
    ISO text (``t="d"``): read as Excel shows them."""
    path = make_xlsx(tmp_path / "tool.xlsx", Sheet({"A1": "連携協定の種別"}))
    rows = ('<row><c t="inlineStr"><is><t>提出日</t></is></c><c t="d" s="0"><v>2026-11-20</v></c></row>'
            '<row><c t="inlineStr"><is><t>企業等名称</t></is></c><c t="inlineStr"><is><t>株式会社ツール</t></is></c></row>'
            '<row><c t="inlineStr"><is><t>連携協定の種別</t></is></c><c t="inlineStr"><is><t>☑包括連携協定</t></is></c></row>'
            '<row><c t="inlineStr"><is><t>協定締結の目的</t></is></c><c t="inlineStr"><is><t>目的。</t></is></c></row>')
    _replace(path, "xl/worksheets/sheet1.xml",
             lambda x: x.replace(x[x.index("<sheetData>"):x.index("</sheetData>")], "<sheetData>" + rows))
    prop = read_proposal(path)
    assert (prop.organization.name, prop.agreement_type, prop.purpose) == ("株式会社ツール", "comprehensive", "目的。")
    assert prop.submitted_on is not None and prop.submitted_on.isoformat() == "2026-11-20"


def test_the_list_behind_a_drop_down_outside_the_print_area_never_joins_a_row_of_the_form(tmp_path):
    from kyotei_docs.vocab import FIELDS

    beside = {f"Z{6 + k}": name for k, name in enumerate(FIELDS)}  # the drop-down's source list, far right
    prop = read_proposal(excel_form1(tmp_path / "list.xlsx", extra=beside, print_area="A1:J31"))
    assert _values(prop) == EXPECTED and prop.doubts == []


def test_a_phone_number_kept_as_a_number_shows_through_its_format(tmp_path):
    path = excel_form1(tmp_path / "phone.xlsx", extra={"E30": Num(166234567, "0###-##-####")})
    assert read_proposal(path).contact.phone == "0166-23-4567"


def test_without_a_print_area_a_small_block_far_beside_the_form_is_set_apart(tmp_path):
    from kyotei_docs.vocab import FIELDS

    beside = {f"Z{6 + k}": name for k, name in enumerate(FIELDS)}
    prop = read_proposal(excel_form1(tmp_path / "list.xlsx", extra=beside))
    assert _values(prop) == EXPECTED and prop.doubts == []  # 「北海道…　土木建設維持管理」 before


def test_answers_typed_far_right_of_their_labels_stay_on_their_rows(tmp_path):
    cells = {"A1": "連携協定の種別", "H1": "☑包括連携協定", "A2": "連携の分野", "H2": "☑環境　☑子育て",
             "A3": "主軸分野の有無", "H3": "☑無", "A4": "協定締結の目的", "H4": "目的。",
             "A5": "連携により期待される効果", "H5": "効果。", "A6": "企業等名称", "H6": "株式会社ファー"}
    prop = read_proposal(make_xlsx(tmp_path / "far.xlsx", Sheet(cells)))
    assert (prop.organization.name, prop.purpose, prop.agreement_type) == ("株式会社ファー", "目的。", "comprehensive")
