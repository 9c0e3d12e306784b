"""Whole files in layouts no template of ours produces (issue 16's sweep), read end to end.

Each is compared with the truth a careful person reads: every value right, or carrying a
review item — never a wrong value without one.  PDFs are written in order, one character
per text object in random order, and with ``/Rotate`` 90/180/270; workbooks put each mark
(〇 ✓ ■ ☑) in a cell of its own before or after its option, and the contacts side by side.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docxbuild import cell, make_docx, p, table
from kyotei_docs.pipeline import check_proposal, read_proposal
from pdfbuild import Page, write_pdf
from xlsxbuild import Num, Sheet, make_xlsx

T = {"organization.address": "北海道旭川市宮前１条３丁目４番", "organization.name": "北嶺物産株式会社",
     "organization.representative": "代表取締役　北嶺　太郎", "purpose": "子育て世帯の環境学習を進めるため。",
     "expected_effects": "親子で学ぶ機会が増える。", "contact.department": "経営企画部", "contact.name": "北嶺　花子",
     "contact.phone": "0166-55-1234", "contact.email": "hanako@hokurei.example.jp"}


def _wrong_without_review(path: Path, cfg, truth: dict[str, str] = T) -> list[str]:
    """The values read wrong with no review item on them (the silent wrongs), and any applicant error."""
    prop = read_proposal(path)
    result = check_proposal(prop, cfg)
    flagged = {f.field for f in result.review}
    wrong = [f"{k}={prop.value(k)!r}" for k, v in truth.items() if prop.value(k) != v and k not in flagged]
    if (prop.agreement_type, prop.fields, prop.axis.present, prop.axis.field) != \
            ("comprehensive", ["環境", "子育て"], True, "子育て") and not flagged & {"agreement_type", "fields", "axis.field"}:
        wrong.append(f"choices={(prop.agreement_type, prop.fields, prop.axis.present, prop.axis.field)}")
    return wrong + [f.code for f in result.errors]


def _head(labels: tuple[str, str, str]) -> Page:
    """The page down to the choices: the applicant's entries under ``labels``, the choices marked with ■."""
    page = Page()
    page.text(40, 40, "様式１").text(420, 60, "令和８年１１月２０日").text(40, 85, "旭川市長　様")
    for k, (label, path) in enumerate(zip(labels, ("organization.address", "organization.name",
                                                   "organization.representative"))):
        page.text(250, 115 + 20 * k, label).text(340, 115 + 20 * k, T[path])
    page.text(200, 185, "連携協定に関する提案書", 14)
    page.text(40, 220, "連携協定の種別").text(180, 220, "□個別連携協定　■包括連携協定")
    page.text(40, 245, "連携の分野").text(180, 245, "□災害対策　■環境　■子育て　□観光・魅力発信")
    page.text(40, 270, "主軸分野の有無").text(180, 270, "■有　主軸分野（子育て）　□無")
    return page


def _two_column_contacts(second: str, rows: tuple[tuple[str, ...], ...] = ()) -> Page:
    """Form 1 typed without a table, the contacts in a ruled grid: two label/value pairs per row, or ``rows``."""
    page = _head(("所在地", "企業等名称", "代表者氏名"))
    page.text(40, 300, "協定締結の目的").text(180, 300, T["purpose"])
    page.text(40, 325, "連携により期待される効果").text(180, 325, T["expected_effects"])
    page.text(40, 360, "連絡先")
    xs, top = ([40, 110, 280, 350, 555] if not rows else [40, 150, 260, 370, 555]), 380
    rows = rows or (("部署名", T["contact.department"], second, T["contact.name"]),
                    ("電話番号", T["contact.phone"], "メール", T["contact.email"]))
    for r, texts in enumerate(rows):
        for k, text in enumerate(texts):
            page.text(xs[k] + 4, top + 24 * r + 6, text, 9.5)
        page.line(40, top + 24 * r, 555, top + 24 * r)
    page.line(40, top + 48, 555, top + 48)
    for x in xs:
        page.line(x, top, x, top + 48)
    return page


@pytest.mark.parametrize("second", ["担当者", "対応者"])
@pytest.mark.parametrize("how", ["plain", "shuffle", "r90", "r180", "r270"])
def test_a_pdf_with_contacts_in_two_columns(tmp_path, cfg, second, how):
    kwargs = {"shuffle": how == "shuffle", "rotate": int(how[1:]) if how.startswith("r") else 0}
    path = write_pdf(tmp_path / "two.pdf", _two_column_contacts(second), **kwargs)
    # 「経営企画部\t担当者\t北嶺　花子」 was the department; with a heading nobody knows (対応者) it is a review item
    assert _wrong_without_review(path, cfg) == []
    if second == "担当者":
        assert read_proposal(path).contact.name == "北嶺　花子"


@pytest.mark.parametrize("how", ["plain", "shuffle", "r90"])
def test_a_pdf_with_a_row_of_contact_headings_over_the_answers(tmp_path, cfg, how):
    rows = (("担当部署名", "連絡担当者", "電話", "E-mail"),
            (T["contact.department"], T["contact.name"], T["contact.phone"], T["contact.email"]))
    kwargs = {"shuffle": how == "shuffle", "rotate": int(how[1:]) if how.startswith("r") else 0}
    path = write_pdf(tmp_path / "rows.pdf", _two_column_contacts("", rows), **kwargs)
    prop = read_proposal(path)
    assert (prop.contact.department, prop.contact.name, prop.contact.phone, prop.contact.email) == \
        (T["contact.department"], T["contact.name"], T["contact.phone"], T["contact.email"])
    assert _wrong_without_review(path, cfg) == []


def _marks_in_cells(path: Path, mark: str, after: bool, second: str) -> Path:
    """Labels spelled over cells, each mark in a cell of its own, contacts side by side."""
    cells: dict[str, object] = {
        "A1": "様式１", "H2": Num(46346, '[$-411]ggge"年"m"月"d"日"'), "A4": "旭川市長　様",
        "E6": "所", "F6": "在", "G6": "地", "H6": T["organization.address"],
        "E7": "企", "F7": "業", "G7": "等", "H7": "名", "I7": "称", "J7": T["organization.name"],
        "E8": "代表者氏名", "H8": T["organization.representative"], "A10": "連携協定に関する提案書",
        "A12": "連", "B12": "携", "C12": "協", "D12": "定", "E12": "の", "F12": "種", "G12": "別",
        "A14": "連携の分野", "A16": "主軸分野の有無", "K16": "主軸分野：子育て",
        "A18": "協定締結の目的", "A19": T["purpose"], "A21": "連携により期待される効果", "A22": T["expected_effects"],
        "A24": "連絡先", "B25": "担当部署名", "D25": T["contact.department"], "G25": second, "I25": T["contact.name"],
        "B26": "電話", "D26": T["contact.phone"], "G26": "E-mail", "I26": T["contact.email"]}
    for row, col, options in ((12, "H", (("個別連携協定", False), ("包括連携協定", True))),
                              (14, "D", (("災害対策", False), ("環境", True), ("子育て", True))),
                              (16, "D", (("有", True), ("無", False)))):
        c = ord(col)
        for name, on in options:
            if after:
                cells[f"{chr(c)}{row}"] = name
                cells[f"{chr(c + 2)}{row}"] = mark if on else "　"
            else:
                cells[f"{chr(c)}{row}"] = mark if on else ("□" if mark == "■" else "　")
                cells[f"{chr(c + 1)}{row}"] = name
            c += 3
    return make_xlsx(path, Sheet(cells, ["A19:L19", "A22:L22", "H6:L6", "J7:L7", "H8:L8"]))


@pytest.mark.parametrize("mark", ["〇", "✓", "■", "☑"])
@pytest.mark.parametrize("after", [False, True], ids=["before", "after"])
def test_a_workbook_with_marks_in_cells_of_their_own(tmp_path, cfg, mark, after):
    path = _marks_in_cells(tmp_path / "marks.xlsx", mark, after, "連絡担当者")
    assert _wrong_without_review(path, cfg) == []  # the department was 「経営企画部　連絡担当者　北嶺　花子」
    assert read_proposal(path).contact.name == "北嶺　花子"


def test_a_workbook_whose_contact_heading_nobody_knows(tmp_path, cfg):
    assert _wrong_without_review(_marks_in_cells(tmp_path / "marks.xlsx", "〇", False, "対応者"), cfg) == []


@pytest.mark.parametrize("second", ["連絡担当者", "対応者"])
def test_a_docx_whose_contacts_are_a_row_of_headings_over_a_row_of_answers(tmp_path, cfg, second):
    body = (p("令和８年１１月２０日", jc="right") + p("旭川市長　様") + p("提案者の所在地：" + T["organization.address"])
            + p("企業等名称：" + T["organization.name"]) + p("代表者氏名：" + T["organization.representative"])
            + p("連携協定に関する提案書", jc="center")
            + table([[cell("連携協定の種別"), cell("☐個別連携協定　☑包括連携協定")],
                     [cell("連携の分野"), cell("☐災害対策　☑環境　☑子育て")],
                     [cell("主軸分野の有無"), cell("☑有　主軸分野（子育て）　☐無")],
                     [cell("協定締結の目的"), cell(T["purpose"])],
                     [cell("連携により期待される効果"), cell(T["expected_effects"])]])
            + p("連絡先")
            + table([[cell("担当部署名"), cell(second), cell("電話"), cell("E-mail")],
                     [cell(T["contact.department"]), cell(T["contact.name"]), cell(T["contact.phone"]),
                      cell(T["contact.email"])]], widths=(2200, 2200, 2200, 2800)))
    path = make_docx(body, tmp_path / "rows.docx")
    assert _wrong_without_review(path, cfg) == []  # the department was the heading beside it
    assert read_proposal(path).contact.department == "経営企画部"


def _labels_above_values() -> Page:
    """Each label on a line of its own and its answer on the next, in other words (提案者の所在地, 電話, E-mail)."""
    page = _head(("提案者の所在地", "提案者名", "代表者職氏名"))
    top = 300
    for label, path in (("協定締結の目的", "purpose"), ("連携により期待される効果", "expected_effects"),
                        ("担当部署名", "contact.department"), ("連絡担当者", "contact.name"), ("電話", "contact.phone"),
                        ("E-mail", "contact.email")):
        page.text(40, top, label).text(60, top + 18, T[path])
        top += 42
    return page


@pytest.mark.parametrize("how", ["plain", "shuffle", "r180"])
def test_a_pdf_with_each_label_above_its_answer_in_other_words(tmp_path, cfg, how):
    kwargs = {"shuffle": how == "shuffle", "rotate": int(how[1:]) if how.startswith("r") else 0}
    path = write_pdf(tmp_path / "above.pdf", _labels_above_values(), **kwargs)
    prop = read_proposal(path)
    assert prop.organization.address == T["organization.address"]  # 「提案者の所在地 北海道…」 for review before
    assert prop.contact.name == T["contact.name"]
    assert _wrong_without_review(path, cfg) == []
    assert check_proposal(prop, cfg).review == []


def test_a_workbook_whose_attachment_is_a_sheet_of_its_own(tmp_path, cfg):
    """「別紙のとおり」 with a sheet 「別紙」: the attachment was not found (a review item saying so)."""
    cells: dict[str, object] = {
        "A1": "様式１", "H2": Num(46346, '[$-411]ggge"年"m"月"d"日"'), "A4": "旭川市長　様",
        "E6": "所在地", "H6": T["organization.address"], "E7": "企業等名称", "H7": T["organization.name"],
        "E8": "代表者氏名", "H8": T["organization.representative"], "A10": "連携協定に関する提案書",
        "A12": "連携協定の種別", "D12": "包括連携協定", "A14": "連携の分野", "D14": "☐災害対策", "F14": "☑環境",
        "H14": "☑子育て", "A16": "主軸分野の有無", "D16": "有", "F16": "主軸分野", "H16": "子育て",
        "A18": "協定締結の目的", "A19": T["purpose"], "A21": "連携により期待される効果", "A22": "別紙のとおり",
        "A24": "連絡先", "B25": "部署名", "E25": T["contact.department"], "B26": "担当者氏名", "E26": T["contact.name"],
        "B27": "電話番号", "E27": T["contact.phone"], "B28": "メールアドレス", "E28": T["contact.email"]}
    attachment = Sheet({"A1": "別紙", "A3": "連携により期待される効果", "A4": "親子で学ぶ機会が増える。",
                        "A5": "地域の環境意識が高まる。"}, name="別紙")
    prop = read_proposal(make_xlsx(tmp_path / "book.xlsx", Sheet(cells, ["A19:L19", "A22:L22"]), attachment))
    assert prop.expected_effects == "親子で学ぶ機会が増える。\n地域の環境意識が高まる。"
    assert [(f.code, f.field) for f in check_proposal(prop, cfg).review] == [("review_attachment", "expected_effects")]


def _english_form(labels: tuple[str, ...], above: bool = False) -> Page:
    """Form 1 typed by a foreign company: English headings before a colon (``above``: each heading printed
    under its answer instead, the answer on the line above it)."""
    page = Page()
    page.text(40, 40, "様式１").text(420, 60, "令和８年１１月２０日").text(40, 85, "旭川市長　様")
    paths = ("organization.address", "organization.name", "organization.representative")
    for k, (label, path) in enumerate(zip(labels, paths)):
        if above:
            page.text(150, 105 + 30 * k, T[path]).text(150, 119 + 30 * k, label, 8)
        else:
            page.text(150, 115 + 20 * k, f"{label}: {T[path]}")
    page.text(200, 200, "連携協定に関する提案書", 14)
    page.text(40, 230, "連携協定の種別").text(180, 230, "□個別連携協定　■包括連携協定")
    page.text(40, 255, "連携の分野").text(180, 255, "□災害対策　■環境　■子育て　□観光・魅力発信")
    page.text(40, 280, "主軸分野の有無").text(180, 280, "■有　主軸分野（子育て）　□無")
    page.text(40, 310, "Purpose").text(40, 328, T["purpose"])
    page.text(40, 355, "Expected effects").text(40, 373, T["expected_effects"])
    page.text(40, 405, "Contact")
    for k, (label, path) in enumerate((("Department", "contact.department"), ("Contact person", "contact.name"),
                                       ("TEL", "contact.phone"), ("E-mail", "contact.email"))):
        page.text(60, 425 + 18 * k, f"{label}: {T[path]}")
    return page


@pytest.mark.parametrize("how", ["plain", "shuffle", "r180"])
def test_a_pdf_with_english_headings(tmp_path, cfg, how):
    kwargs = {"shuffle": how == "shuffle", "rotate": int(how[1:]) if how.startswith("r") else 0}
    path = write_pdf(tmp_path / "en.pdf", _english_form(("Address", "Company name", "Representative")), **kwargs)
    # before: the name and the representative missing, blamed on the applicant (missing_required)
    prop = read_proposal(path)
    assert (prop.organization.name, prop.organization.representative) == (
        T["organization.name"], T["organization.representative"])
    assert _wrong_without_review(path, cfg) == []
    assert check_proposal(prop, cfg).review == []


def test_a_pdf_with_headings_under_their_answers(tmp_path, cfg):
    path = write_pdf(tmp_path / "above.pdf", _english_form(("所在地", "企業等名称", "代表者氏名"), above=True))
    assert _wrong_without_review(path, cfg) == []
