"""The second sweep of unseen layouts (issue 16, ``bench/bench_unseen.py``): each class that failed.

At the FormDoc seam where the failure was the extractor's; one whole file of each class, built
from raw objects by ``tests/unseenbuild.py``, read end to end and compared with its truth.
"""

from __future__ import annotations

import pytest

from formdoc import CONTACT, HEADER, cell, doc
from kyotei_docs.extract import extract
from kyotei_docs.pipeline import check_file, check_proposal
from test_form_region import FORM
from unseenbuild import (
    TRUTH,
    docx_attachment_table,
    docx_hyperlinks,
    docx_table_wider_than_its_text_box,
    form_page,
    pdf_attachment,
    pdf_excel_grid,
    pdf_fillable_appearances,
    pdf_letterhead_every_page,
    pdf_ruled_vertical_marks,
    pdf_seal_mark_and_full_width,
    pdf_two_columns,
    to_xls,
    write_pdf,
    xlsx_example_column_beside,
    xlsx_gannen_controls,
    xlsx_print_area_example,
)


def _wrong(result) -> list[str]:
    """Values not as the truth says, and applicant errors: what a person would not be told to check."""
    prop = result.proposal
    got = {key: prop.value(key) for key in TRUTH}
    got["submitted_on"] = prop.submitted_on.isoformat() if prop.submitted_on else None
    got["fields"] = sorted(prop.fields)
    want = TRUTH | {"fields": sorted(TRUTH["fields"])}  # type: ignore[call-overload]
    return [f"{k}={got[k]!r}" for k in TRUTH if got[k] != want[k]] + [f.code for f in result.errors]


# ---------------------------------------------------------------- 別紙 called otherwise (seam)

@pytest.mark.parametrize("reference, heading", [("別添資料のとおり", "別添資料"), ("別紙参照", "別添資料"),
                                                ("添付資料のとおり", "添付資料"), ("別紙参照", "（別紙）"),
                                                ("別紙１のとおり", "別紙１")])
def test_an_attachment_headed_in_other_words_answers_the_entry(reference, heading, cfg):
    """「別添資料のとおり」 was taken as the effects themselves (silent); 「別紙参照」 with the page headed
    「別添資料」 found no attachment (a review item, the text unread)."""
    texts = ("協定締結の目的", "目的。", "連携により期待される効果", reference)
    prop = extract(doc(*FORM[:-4], *texts, *CONTACT, heading, "連携により期待される効果", "来訪者が増える。"))
    assert prop.expected_effects == "来訪者が増える。"
    assert [(f.code, f.field) for f in check_proposal(prop, cfg).review] == [("review_attachment", "expected_effects")]


def test_a_note_headed_like_an_attachment_inside_the_form_ends_nothing(cfg):
    """「添付資料」 written in a cell of the form's own table is an answer, not where the form ends."""
    prop = extract(doc(*FORM[:-4], cell("協定締結の目的", 0, 0), cell("添付資料", 0, 1),
                       cell("連携により期待される効果", 1, 0), cell("効果。", 1, 1), *CONTACT))
    assert prop.contact.email == "renraku@example.co.jp"


# ---------------------------------------------------------------- a date cell showing its serial (seam)

def test_a_workbook_date_shown_as_its_serial_is_read_for_review(cfg):
    """An .xls whose 元年 date format LibreOffice dropped shows 「46346」: 提出日 was 「not filled in」 (silent)."""
    prop = extract(doc("様式１", "46346", *HEADER[1:], "連携協定に関する提案書", *FORM[-7:], *CONTACT, fmt="xlsx"))
    assert prop.submitted_on is not None and prop.submitted_on.isoformat() == "2026-11-20"
    result = check_proposal(prop, cfg)
    assert result.errors == [] and [(f.code, f.field) for f in result.review] == [("review_date_serial", "submitted_on")]


@pytest.mark.parametrize("fmt, text", [("docx", "46346"), ("xlsx", "12345"), ("xlsx", "0166")])
def test_a_number_is_a_date_only_in_a_workbook_and_only_in_the_date_range(fmt, text, cfg):
    """(A workbook printed to PDF counts as one: see the next test.)"""
    prop = extract(doc("様式１", text, *HEADER[1:], "連携協定に関する提案書", *FORM[-7:], *CONTACT, fmt=fmt))
    assert prop.submitted_on is None and not prop.doubts


@pytest.mark.parametrize("shown, code, day", [("46346", "review_date_serial", "2026-11-20"),
                                              ("###", "review_date_hidden", None), ("########", "review_date_hidden", None)])
def test_a_workbook_printed_to_pdf_with_its_date_cell_unformatted_or_too_narrow(shown, code, day, cfg):
    """LibreOffice prints a 元年 date as its serial, and a date too wide for its column as 「###」: both were
    「提出日が記入されていません」, blamed on the applicant."""
    prop = extract(doc("様式１", shown, *HEADER[1:], "連携協定に関する提案書", *FORM[-7:], *CONTACT, fmt="pdf"))
    assert (prop.submitted_on.isoformat() if prop.submitted_on else None) == day
    result = check_proposal(prop, cfg)
    assert result.errors == [] and [(f.code, f.field) for f in result.review] == [(code, "submitted_on")]


# ---------------------------------------------------------------- whole files

def test_a_letterhead_on_every_page_never_runs_on_as_a_value(tmp_path, cfg):
    """Page 2's letterhead stood between the effects and the contacts: 「…売上が伸びる。\\n株式会社大雪ラボ」."""
    for shuffle in (False, True):
        result = check_file(pdf_letterhead_every_page(shuffle)(tmp_path), cfg)
        assert _wrong(result) == [] and result.review == []


@pytest.mark.parametrize("reference, heading", [("別添資料のとおり", "別添資料"), ("別紙参照", "（別紙）")])
def test_a_pdf_whose_attachment_page_is_headed_otherwise(tmp_path, cfg, reference, heading):
    result = check_file(pdf_attachment(reference, heading)(tmp_path), cfg)
    assert _wrong(result) == []
    assert [(f.code, f.field) for f in result.review] == [("review_attachment", "expected_effects")]


def test_a_fillable_pdf_whose_values_are_only_in_the_appearances(tmp_path, cfg):
    """No /V, the text drawn in each widget's appearance and the boxes' state in /AS: every entry was
    blank and blamed on the applicant (ten missing_required, silent)."""
    result = check_file(pdf_fillable_appearances(tmp_path), cfg)
    assert _wrong(result) == [] and result.review == []


def test_a_fillable_pdf_whose_appearances_cannot_be_decoded_blames_no_one(tmp_path, cfg):
    """The same drawn in a font without a Unicode map: garbage is no value, and each entry read blank is a
    review item, never missing_required (ten errors blamed on the applicant before)."""
    result = check_file(pdf_fillable_appearances(tmp_path, decodable=False), cfg)
    assert result.errors == []
    assert {f.field for f in result.review if f.code == "review_field_unreadable"} == {
        "organization.address", "organization.name", "organization.representative", "submitted_on", "purpose",
        "expected_effects", "contact.department", "contact.name", "contact.phone", "contact.email", "axis.field"}


def test_an_unreadable_field_warning_flags_only_the_entries_read_blank(cfg):
    form = doc(*FORM[:-2], "連携により期待される効果", "", *CONTACT)
    form.warnings.append("field_unreadable")
    prop = extract(form)
    assert [(d.code, d.field) for d in prop.doubts] == [("review_field_unreadable", "expected_effects")]


def test_blocks_the_reader_sets_apart_are_no_entry_of_the_form(cfg):
    """FormDoc.apart: what follows it (a workbook's cells outside the print area) feeds no value."""
    form = doc(*FORM, *CONTACT, cell("記入例", 0, 0, table=9), cell("☑ 災害対策", 1, 0, table=9),
               cell("メールアドレス", 2, 0, table=9), cell("sample@example.jp", 2, 1, table=9))
    form.apart = len(form.blocks) - 4
    prop = extract(form)
    assert (prop.fields, prop.contact.email) == (["環境", "子育て"], "renraku@example.co.jp")
    assert check_proposal(prop, cfg).review == []


def test_a_workbook_whose_example_column_lies_outside_the_print_area(tmp_path, cfg):
    """「☑ 災害対策」 of a 記入例 column beside the print area was read as a chosen field (silent)."""
    result = check_file(xlsx_print_area_example(tmp_path), cfg)
    assert _wrong(result) == [] and result.review == []


@pytest.mark.libreoffice
def test_an_xls_whose_gannen_date_format_libreoffice_drops(tmp_path, cfg):
    """The .xls of a workbook with ``[$-ja-JP-x-gannen]ggge"年"…``: LibreOffice shows the serial."""
    result = check_file(to_xls(xlsx_gannen_controls, "controls.xls")(tmp_path), cfg)
    assert result.proposal.submitted_on is not None and result.proposal.submitted_on.isoformat() == "2026-11-20"
    assert [(f.code, f.field) for f in result.review] == [("review_date_serial", "submitted_on")]
    assert result.errors == [] and result.proposal.agreement_type == "comprehensive"  # its boxes were ☑☐ in one cell


def test_form_controls_whose_vml_shapes_libreoffice_numbered_apart(tmp_path, cfg):
    """LibreOffice writes every VML shape as 「shape_0」 and numbers the controls 1001, 1002: the second shape
    replaced the first, and the ☑ box's cell got a ☐ besides (type unread, review_unplaced_text)."""
    import zipfile

    src = xlsx_gannen_controls(tmp_path)
    out = tmp_path / "renumbered.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.endswith(".vml"):
                data = data.replace(b"_x0000_s1025", b"shape_0").replace(b"_x0000_s1026", b"shape_0")
            elif info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b'shapeId="1025"', b'shapeId="1001"').replace(b'shapeId="1026"', b'shapeId="1002"')
            zout.writestr(info, data)
    result = check_file(out, cfg)
    assert _wrong(result) == [] and result.review == []


@pytest.mark.parametrize("shuffle", [False, True], ids=["in_order", "one_char_each_shuffled"])
def test_a_pdf_retyped_in_two_columns_reads_the_left_column_first(tmp_path, cfg, shuffle):
    """Read across the page, 「企業等名称」 took the right column's 「地域づくりを進めるため。」 and the effects
    were blamed as missing (four values silent)."""
    result = check_file(pdf_two_columns(shuffle)(tmp_path), cfg)
    assert _wrong(result) == [] and result.review == []


def test_a_form_of_labels_and_answers_is_never_taken_for_two_columns(tmp_path):
    """The gap between labels and answers is no gutter: neither column has headings with answers under them."""
    import pdfplumber

    from kyotei_docs.readers.columns import split_columns
    from kyotei_docs.readers.layout import Item, build_lines

    with pdfplumber.open(write_pdf(tmp_path / "form.pdf", form_page())) as pdf:
        page = pdf.pages[0]
        items = [Item(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"]) for c in page.chars]
        assert split_columns(build_lines(items), page.width) is None


# ---------------------------------------------------------------- options printed one per row, no mark read

def _listed(mark: str = "") -> list:
    """The choices as a grid: a label cell, each option on a row of its own, a mark cell after it."""
    from unseenbuild import FIELDS, ON

    rows = [("連携協定の種別", "個別連携協定", False), ("", "包括連携協定", True)]
    rows += [("連携の分野" if k == 0 else "", n, n in ON) for k, n in enumerate(FIELDS)]
    rows += [("主軸分野の有無", "有　主軸分野（観光・魅力発信）", True), ("", "無", False)]
    out = []
    for r, (label, option, on) in enumerate(rows):
        if label:
            out.append(cell(label, r, 0))
        out += [cell(option, r, 1), cell(mark if on else "", r, 2)]
    return out


def test_options_listed_one_per_row_with_no_mark_read_are_a_review_item(cfg):
    """No mark beside any option (a tick drawn as a shape): 個別 and 災害対策, named in their label's row, were
    read as written answers (silent)."""
    prop = extract(doc(*FORM[:7], *_listed(), *FORM[-4:], *CONTACT))
    review = {(f.code, f.field) for f in check_proposal(prop, cfg).review}
    assert {("review_printed_options", "agreement_type"), ("review_printed_options", "fields")} <= review


def test_options_listed_one_per_row_with_their_marks_are_read(cfg):
    prop = extract(doc(*FORM[:7], *_listed("レ"), *FORM[-4:], *CONTACT))
    assert (prop.agreement_type, sorted(prop.fields), prop.axis.present) == (
        "comprehensive", ["環境", "観光・魅力発信"], True)
    assert check_proposal(prop, cfg).review == []


def test_a_written_answer_stays_one_when_the_section_names_no_other_option(cfg):
    prop = extract(doc(*FORM[:7], "連携協定の種別：包括連携協定", "連携の分野：環境、子育て", "主軸分野の有無：無",
                       *FORM[-4:], *CONTACT))
    assert prop.agreement_type == "comprehensive"
    assert check_proposal(prop, cfg).review == []


@pytest.mark.parametrize("mark, readable", [("レ", True), ("✓", False)])
def test_a_pdf_grid_with_its_marks_after_the_options(tmp_path, cfg, mark, readable):
    """With ✓ the PDF's font has no glyph for (nothing is drawn) the type and fields are a review item."""
    result = check_file(pdf_ruled_vertical_marks(tmp_path, mark), cfg)
    if readable:
        assert _wrong(result) == [] and result.review == []
    else:
        assert {"agreement_type", "fields"} <= {f.field for f in result.review}
        assert result.errors == []


# ---------------------------------------------------------------- a sheet printed with its gridlines

def test_an_answer_under_its_label_past_an_empty_cell_of_the_grid(cfg):
    """「協定締結の目的」 over A–C, its answer from B: the empty A under the label was taken for the answer."""
    grid = (cell("協定締結の目的", 0, 0, table=2, span=3), cell("", 1, 0, table=2),
            cell("市民の健康増進を進めるため。", 1, 1, table=2, span=9),
            cell("連携により期待される効果", 2, 0, table=2, span=5), cell("", 3, 0, table=2),
            cell("健診受診率の向上。", 3, 1, table=2, span=8))
    prop = extract(doc(*FORM[:-4], *grid, *CONTACT))
    assert (prop.purpose, prop.expected_effects) == ("市民の健康増進を進めるため。", "健診受診率の向上。")
    assert check_proposal(prop, cfg).review == []


def test_a_pdf_printed_from_a_sheet_with_its_gridlines(tmp_path, cfg):
    result = check_file(pdf_excel_grid(tmp_path), cfg)
    assert _wrong(result) == [] and result.errors == []


def test_a_workbook_with_an_example_column_right_beside_the_answers(tmp_path, cfg):
    """「【記入例】」 heads column L, one empty column from the form and no print area: every value was joined
    with the example's (flagged) and its 「☑ 災害対策」「☑ 安全・交通」 were chosen fields (silent)."""
    result = check_file(xlsx_example_column_beside(tmp_path), cfg)
    assert _wrong(result) == [] and result.review == []


def test_an_example_heading_inside_the_forms_columns_sets_nothing_apart(tmp_path, cfg):
    """A 「記入例」 note in a column the form's merged answers run across is the form's own text."""
    from unseenbuild import _EXCEL_MERGES, _excel_spaced_marks
    from xlsxbuild import Num, Sheet, make_xlsx

    cells = _excel_spaced_marks(Num(46346, '[$-411]ggge"年"m"月"d"日"')) | {"H4": "記入例"}
    result = check_file(make_xlsx(tmp_path / "note.xlsx", Sheet(cells, _EXCEL_MERGES)), cfg)
    assert _wrong(result) == []


# ---------------------------------------------------------------- an address typed in full width

@pytest.mark.parametrize("typed", ["misaki@taisetsu−lab.example.jp", "misaki@taisetsu‐lab.example.jp",
                                   "ｍｉｓａｋｉ＠ｔａｉｓｅｔｓｕ－ｌａｂ．ｅｘａｍｐｌｅ．ｊｐ"])
def test_an_address_whose_hyphen_is_a_look_alike_is_one_address(typed):
    """A PDF's font draws the full-width 「－」 as U+2212 「−」: the address was invalid, blamed on the applicant."""
    from kyotei_docs.contactvalues import emails_in, normalise_email, valid_email

    assert normalise_email(typed) == "misaki@taisetsu-lab.example.jp" and valid_email(typed)
    assert emails_in(f"連絡先 {typed}") == ["misaki@taisetsu-lab.example.jp"]


def test_a_pdf_with_full_width_phone_and_address_and_a_seal_mark(tmp_path, cfg):
    result = check_file(pdf_seal_mark_and_full_width(tmp_path), cfg)
    assert _wrong(result) == [] and result.review == []


# ---------------------------------------------------------------- a date in both calendars, links

@pytest.mark.parametrize("written, day", [("令和8年(2026年)11月20日", "2026-11-20"), ("令和８年（２０２６年）１１月２０日", "2026-11-20"),
                                          ("2026年（令和8年）11月20日", "2026-11-20"), ("令和元年(2019年)5月7日", "2019-05-07"),
                                          ("令和8年(2025年)11月20日", None)])
def test_a_date_written_in_both_calendars(written, day):
    """「令和8年(2026年)」 was no date at all (提出日 blamed as not filled); years that disagree are not settled."""
    prop = extract(doc("様式１", written, *HEADER[1:], "連携協定に関する提案書", *FORM[-7:], *CONTACT))
    assert (prop.submitted_on.isoformat() if prop.submitted_on else None) == day


def test_a_docx_with_its_address_and_phone_in_links(tmp_path, cfg):
    result = check_file(docx_hyperlinks(tmp_path), cfg)
    assert _wrong(result) == [] and result.review == []


@pytest.mark.parametrize("written, day", [("November 20, 2026", "2026-11-20"), ("20 Nov 2026", "2026-11-20"),
                                          ("Nov. 20, 2026", "2026-11-20"), ("20th November 2026", "2026-11-20"),
                                          ("令和8.11.20", "2026-11-20"), ("令和8-11-20", "2026-11-20"),
                                          ("Friday, November 20, 2026", "2026-11-20"), ("Fri. 20 Nov 2026", "2026-11-20")])
def test_a_date_in_english_or_with_the_era_named_and_dots(written, day):
    """A foreign company's 「November 20, 2026」, and 「令和8.11.20」: no date before (提出日 blamed as not filled)."""
    prop = extract(doc("様式１", written, *HEADER[1:], "連携協定に関する提案書", *FORM[-7:], *CONTACT))
    assert prop.submitted_on is not None and prop.submitted_on.isoformat() == day


@pytest.mark.parametrize("phone", ["TEL.0166-74-2233", "Tel．0166-74-2233", "ＴＥＬ．０１６６－７４－２２３３"])
def test_a_phone_after_tel_and_a_period_is_valid(phone, cfg):
    """「TEL.0166-74-2233」 was invalid_phone, blamed on the applicant."""
    contact = ("連絡先", "部署名：事業開発部", "担当者氏名：雪野　美咲", f"電話番号：{phone}", "メールアドレス：m@example.jp")
    result = check_proposal(extract(doc(*FORM, *contact)), cfg)
    assert result.errors == [] and result.review == []


# ---------------------------------------------------------------- an official form's header entries

_CHOSEN = ("連携協定の種別：☐個別連携協定　☑包括連携協定", "連携の分野：☑環境　☑子育て", "主軸分野の有無：☐有　☑無")


@pytest.mark.parametrize("label", ["氏名（法人にあっては名称及び代表者の氏名）", "名称及び代表者氏名", "法人名・代表者名"])
def test_the_name_and_representative_in_one_entry(label, cfg):
    """「氏名（法人にあっては名称及び代表者の氏名）：株式会社… 代表取締役 …」: the name was missing_required
    (blamed on the applicant), the representative a review item."""
    from formdoc import TEXTS

    header = ("令和８年１１月２０日", "旭川市長　様", "住所（法人にあっては主たる事務所の所在地）：北海道旭川市緑町",
              f"{label}：株式会社大雪ラボ　代表取締役　雪野　一郎")
    prop = extract(doc(*header, "連携協定に関する提案書", *_CHOSEN, *TEXTS, *CONTACT))
    assert (prop.organization.address, prop.organization.name, prop.organization.representative) == (
        "北海道旭川市緑町", "株式会社大雪ラボ", "代表取締役\u3000雪野\u3000一郎")  # the qualifier was in the address
    result = check_proposal(prop, cfg)
    assert result.errors == [] and result.review == []


def test_a_name_and_representative_entry_that_cannot_be_parted_is_the_name_for_review(cfg):
    from formdoc import TEXTS

    header = ("令和８年１１月２０日", "旭川市長　様", "所在地：北海道旭川市緑町", "名称及び代表者氏名：大雪の会　雪野　一郎")
    prop = extract(doc(*header, "連携協定に関する提案書", *_CHOSEN, *TEXTS, *CONTACT))
    assert prop.organization.name == "大雪の会\u3000雪野\u3000一郎"
    result = check_proposal(prop, cfg)
    assert result.errors == [] and [(f.code, f.field) for f in result.review] == [
        ("review_unplaced_text", "organization.representative")]


# ---------------------------------------------------------------- Word files printed to PDF by LibreOffice

def test_a_line_set_flush_right_is_not_wrapped_into_the_next():
    """A date flush right in a cell reached its right edge by alignment: it was joined to 「旭川市長　様」 below
    (「令和８年１１月２０日旭川市長　様」: no date, blamed on the applicant)."""
    from kyotei_docs.readers.layout import Item, TextLine, unwrap

    def line(text: str, x0: float, top: float) -> TextLine:
        out = TextLine()
        for k, ch in enumerate(text):
            out.add(Item(ch, x0 + 10 * k, x0 + 10 * (k + 1), top, top + 10, 10))
        out.right = 300
        return out
    lines = unwrap([line("令和８年１１月２０日", 200, 0), line("旭川市長　様", 40, 14)])
    assert [ln.text for ln in lines] == ["令和８年１１月２０日", "旭川市長　様"]
    wrapped = unwrap([line("あ" * 26, 40, 0), line("続き。", 40, 14)])
    assert [ln.text for ln in wrapped] == ["あ" * 26 + "続き。"]


def test_an_attachment_heading_alone_in_its_row_of_the_contacts_table(cfg):
    """A PDF continues a table over the page break: 「別紙１」 and its rows came out as rows of the contacts'
    table, and 「別紙１のとおり」 found no attachment."""
    texts = ("協定締結の目的", "目的。", "連携により期待される効果", "別紙１のとおり")
    contacts = [cell(text, r, c, table=2) for r, (a, b) in enumerate(
        (("部署名", "総務部"), ("担当者氏名", "連絡　太郎"), ("電話番号", "0166-12-3456"), ("メールアドレス", "r@example.jp")))
        for c, text in ((0, a), (1, b))]
    attachment = (cell("別紙１", 4, 0, table=2, span=2), cell("連携により期待される効果", 5, 0, table=2),
                  cell("来訪者が増える。", 5, 1, table=2))
    prop = extract(doc(*FORM[:-4], *texts, "連絡先", *contacts, *attachment))
    assert prop.expected_effects == "来訪者が増える。" and prop.contact.email == "r@example.jp"
    assert [(f.code, f.field) for f in check_proposal(prop, cfg).review] == [("review_attachment", "expected_effects")]


@pytest.mark.libreoffice
@pytest.mark.parametrize("source", [docx_table_wider_than_its_text_box, docx_attachment_table])
def test_a_word_file_printed_to_pdf_by_libreoffice(tmp_path, cfg, source):
    result = check_file(to_xls(source, "printed.pdf", "pdf")(tmp_path), cfg)
    assert _wrong(result) == [] and result.errors == []


# ---------------------------------------------------------------- ticked fields no option took

def test_a_ticked_form_field_no_option_took_makes_the_unanswered_group_a_review_item(cfg):
    """LibreOffice printed a workbook's form controls as PDF fields whose captions came out scattered
    (「環人連育協文化境材携・定・」): the ticked boxes went to no option and the type, fields and axis were
    blamed on the applicant as unanswered."""
    from formdoc import TEXTS
    from kyotei_docs.form import Block, Box, Line, Text

    def field(checked: bool, text: str, row: int) -> Block:
        return Block([Line([Box(checked, "pdf:acroform"), Text(text, "pdf:text")])], "pdf:acroform", 0, row, 0)
    form = doc(*FORM[:7], *TEXTS, *CONTACT)
    form.blocks[:0] = [field(True, "環人連育協文化境材携・定・", 0), field(False, "土建安維産業木設持・", 1)]
    result = check_proposal(extract(form), cfg)
    assert result.errors == []
    assert {"agreement_type", "fields"} <= {f.field for f in result.review if f.code == "review_unplaced_text"}


def test_a_blank_form_whose_instructions_print_a_tick_stays_the_applicants_blank(cfg):
    """「（該当に☑）」 typed in the label is no tick: an unanswered type is still the applicant's error."""
    from formdoc import TEXTS

    prop = extract(doc(*FORM[:7], "連携協定の種別（該当に☑）：☐個別連携協定　☐包括連携協定", "連携の分野：☑環境　☑子育て",
                       "主軸分野の有無：☐有　☑無", *TEXTS, *CONTACT))
    assert "agreement_type_missing" in {f.code for f in check_proposal(prop, cfg).errors}


@pytest.mark.parametrize("left", ["ここをクリックまたはタップしてテキストを入力してください。", "（ここに記入）", "記入してください",
                                  "アイテムを選択してください。"])
def test_an_instruction_left_in_the_answer_is_no_answer(left, cfg):
    """Word's content-control prompt printed to PDF was read as the purpose (an unanswered entry accepted)."""
    prop = extract(doc(*FORM[:-4], "協定締結の目的", left, "連携により期待される効果", "効果。", *CONTACT))
    assert prop.purpose is None
    assert "missing_required" in {f.code for f in check_proposal(prop, cfg).errors}
