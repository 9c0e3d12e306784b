"""Form 1 as strangers send it, in layouts no template of ours produces (issue 16's second sweep).

Each builder writes one whole file from raw objects — SpreadsheetML (:mod:`xlsxbuild`),
WordprocessingML (:mod:`docxbuild`), reportlab pages and raw PDF objects (:mod:`pdfbuild`) —
holding the same proposal, :data:`TRUTH`.  ``bench/bench_unseen.py`` reads every one and
counts the values right, flagged and silently wrong; ``tests/test_unseen_sweep.py`` keeps one
whole file of each class that failed.

What surrounds the form is part of the layout: a letterhead whose 代表 number and e-mail are
not the contact's, a 送付状 signed by someone else, a company profile, 別紙 pages under
headings written three ways.  Their numbers (:data:`DECOYS`) must never become a value.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxbuild import Xml, cell, ffcheckbox, make_docx, p, reset_ids, sdt_checkbox, table, textbox
from pdfbuild import A4, MINCHO, Page, _font, write_pdf
from xlsxbuild import CheckBox, Num, Sheet, make_xlsx

#: the proposal every file holds, by the sweep's 14 values
TRUTH: dict[str, object] = {
    "organization.address": "北海道旭川市神楽３条５丁目１番２号", "organization.name": "株式会社大雪ラボ",
    "organization.representative": "代表取締役社長　雪野　一郎", "submitted_on": "2026-11-20",
    "agreement_type": "comprehensive", "fields": ["環境", "観光・魅力発信"], "axis.present": True,
    "axis.field": "観光・魅力発信", "purpose": "冬の観光資源を活かした地域づくりを進めるため。",
    "expected_effects": "来訪者が増え、地域の事業者の売上が伸びる。", "contact.department": "事業開発部",
    "contact.name": "雪野　美咲", "contact.phone": "0166-74-2233", "contact.email": "misaki@taisetsu-lab.example.jp"}
VALUES = tuple(TRUTH)

#: what surrounds the form: the switchboard, the company's general address, the letter's sender
DECOYS = {"tel": "0166-74-0001", "fax": "0166-74-0002", "mail": "info@taisetsu-lab.example.jp",
          "sender": "総務部　山田　花子", "sender_tel": "0166-74-9999", "sender_mail": "soumu@taisetsu-lab.example.jp"}

FIELDS = ("災害対策", "環境", "土木建設維持管理", "福祉・医療・健康", "教育・文化・スポーツ", "産業・商業",
          "地域活性化・まちづくり", "人材育成", "安全・交通", "観光・魅力発信", "子育て")
T = {k: str(v) for k, v in TRUTH.items()}
ON = {"環境", "観光・魅力発信"}


@dataclass(frozen=True)
class Case:
    name: str
    klass: str  # the class it belongs to (the sweep's table rows)
    build: Callable[[Path], Path]  # writes the file under the given folder, returns it
    needs_office: bool = False
    #: values this file holds otherwise than :data:`TRUTH` (path, value)
    expect: tuple[tuple[str, object], ...] = ()

    @property
    def truth(self) -> dict[str, object]:
        return TRUTH | dict(self.expect)


# ------------------------------------------------------------------------------------------ Excel

def _excel_cells(date: object) -> dict[str, object]:
    """The parts every workbook shares: header, texts and contacts on the grid (columns A–J)."""
    return {
        "A1": "様式１", "H2": date, "A4": "旭川市長　様",
        "D6": "所在地", "F6": T["organization.address"], "D7": "企業等名称", "F7": T["organization.name"],
        "D8": "代表者氏名", "F8": T["organization.representative"], "A10": "連携協定に関する提案書",
        "A30": "協定締結の目的", "A31": T["purpose"], "A33": "連携により期待される効果", "A34": T["expected_effects"],
        "A36": "連絡先", "B37": "部署名", "D37": T["contact.department"], "B38": "担当者氏名", "D38": T["contact.name"],
        "B39": "電話番号", "D39": T["contact.phone"], "B40": "メールアドレス", "D40": T["contact.email"]}


_EXCEL_MERGES = ["F6:J6", "F7:J7", "F8:J8", "A31:J32", "A34:J35", "D37:J37", "D38:J38", "D39:J39", "D40:J40"]


def _excel_spaced_marks(date: object) -> dict[str, object]:
    """Options typed with a mark, a space and the option: 「☑ 環境」."""
    cells = _excel_cells(date)
    cells.update({"A12": "連携協定の種別", "C12": "☐ 個別連携協定", "F12": "☑ 包括連携協定", "A14": "連携の分野"})
    for k, name in enumerate(FIELDS):
        cells[f"{'CFI'[k % 3]}{15 + k // 3}"] = ("☑ " if name in ON else "☐ ") + name
    cells.update({"A20": "主軸分野の有無", "C20": "☑ 有", "D20": "主軸分野（観光・魅力発信）", "I20": "☐ 無"})
    return cells


def xlsx_gannen_controls(folder: Path, fmt: str = '[$-ja-JP-x-gannen]ggge"年"m"月"d"日";@') -> Path:
    """The date a serial under a 元年-style 和暦 format; the type as form-control check boxes linked to cells
    in column L (Excel writes TRUE/FALSE there), the fields typed 「☑ 環境」."""
    cells = _excel_spaced_marks(Num(46346, fmt))
    cells.update({"C12": "個別連携協定", "F12": "包括連携協定", "L12": False, "M12": True})
    controls = [CheckBox("B12", False, link="L12"), CheckBox("E12", True, link="M12")]
    return make_xlsx(folder / "gannen_controls.xlsx", Sheet(cells, _EXCEL_MERGES, controls))


def xlsx_dbnum_date(folder: Path) -> Path:
    return _renamed(xlsx_gannen_controls(folder, '[DBNum3][$-411]ggge"年"m"月"d"日"'), "dbnum.xlsx")


def xlsx_text_date(folder: Path, text: str = "令和８年１１月２０日（金）") -> Path:
    """A date typed as text, the options 「☑ 環境」 with a space."""
    return make_xlsx(folder / "text_date.xlsx", Sheet(_excel_spaced_marks(text), _EXCEL_MERGES))


def xlsx_short_text_date(folder: Path) -> Path:
    return _renamed(xlsx_text_date(folder, "R8.11.20"), "short_date.xlsx")


def xlsx_merged_rows(folder: Path) -> Path:
    """Labels merged down several rows at the left, their answers merged over the same rows at the right."""
    cells = _excel_spaced_marks(Num(46346, '[$-411]ggge"年"m"月"d"日"'))
    for ref in ("A30", "A31", "A33", "A34", "A36", "B37", "B38", "B39", "B40", "D37", "D38", "D39", "D40"):
        cells.pop(ref)
    cells.update({"A30": "協定締結の目的", "C30": T["purpose"], "A34": "連携により期待される効果", "C34": T["expected_effects"],
                  "A38": "連絡先", "B38": "部署名", "D38": T["contact.department"], "B39": "担当者氏名",
                  "D39": T["contact.name"], "B40": "電話番号", "D40": T["contact.phone"], "B41": "メールアドレス",
                  "D41": T["contact.email"]})
    merges = ["F6:J6", "F7:J7", "F8:J8", "A30:B33", "C30:J33", "A34:B37", "C34:J37", "A38:A41",
              "D38:J38", "D39:J39", "D40:J40", "D41:J41"]
    return make_xlsx(folder / "merged_rows.xlsx", Sheet(cells, merges))


def xlsx_vertical_list(folder: Path, before: bool = False, mark: str = "〇") -> Path:
    """Every option on a row of its own, the mark in the column beside it (after, or ``before``)."""
    cells = _excel_cells(Num(46346, '[$-411]ggge"年"m"月"d"日"'))
    name_col, mark_col = ("C", "B") if before else ("B", "E")
    cells.update({"A11": "連携協定の種別", f"{name_col}12": "個別連携協定", f"{name_col}13": "包括連携協定",
                  f"{mark_col}13": mark, "A14": "連携の分野"})
    for k, name in enumerate(FIELDS):
        cells[f"{name_col}{15 + k}"] = name
        if name in ON:
            cells[f"{mark_col}{15 + k}"] = mark
    cells.update({"A26": "主軸分野の有無", f"{name_col}27": "有", f"{mark_col}27": mark, f"{name_col}28": "無",
                  "F27": "主軸分野", "G27": "観光・魅力発信"})
    name = f"vertical_{'before' if before else 'after'}.xlsx"
    return make_xlsx(folder / name, Sheet(cells, _EXCEL_MERGES))


def xlsx_print_area_example(folder: Path) -> Path:
    """A column of 記入例 beside the form, outside the print area (L–N), the form in A–J."""
    cells = _excel_spaced_marks(Num(46346, '[$-411]ggge"年"m"月"d"日"'))
    cells.update({"L1": "記入例", "L6": "北海道旭川市〇〇町１丁目１番１号", "L7": "株式会社〇〇", "L8": "代表取締役　旭川　太郎",
                  "L12": "☑ 包括連携協定", "L15": "☑ 災害対策", "L20": "☑ 有　主軸分野（災害対策）",
                  "L31": "災害時に協力するため。", "L34": "市民の安心が高まる。", "L37": "総務部", "L38": "旭川　次郎",
                  "L39": "0166-00-0000", "L40": "sample@example.jp"})
    return make_xlsx(folder / "print_area.xlsx", Sheet(cells, _EXCEL_MERGES, print_area="A1:J40"))


def xlsx_field_controls(folder: Path) -> Path:
    """Every choice a form-control check box with its caption, linked to hidden cells in column P."""
    cells = _excel_cells(Num(46346, '[$-ja-JP-x-gannen]ggge"年"m"月"d"日"'))
    cells.update({"A12": "連携協定の種別", "A14": "連携の分野", "A20": "主軸分野の有無", "F20": "主軸分野（観光・魅力発信）"})
    boxes = [CheckBox("C12", False, "個別連携協定", link="P12"), CheckBox("F12", True, "包括連携協定", link="P13")]
    for k, name in enumerate(FIELDS):
        boxes.append(CheckBox(f"{'CFI'[k % 3]}{15 + k // 3}", name in ON, name, link=f"P{15 + k}"))
    boxes += [CheckBox("C20", True, "有", link="P27"), CheckBox("I20", False, "無", link="P28")]
    for box in boxes:
        cells[box.link] = box.checked
    return make_xlsx(folder / "field_controls.xlsx", Sheet(cells, _EXCEL_MERGES, boxes))


def _renamed(path: Path, name: str) -> Path:
    return path.rename(path.with_name(name))


def to_xls(source: Callable[[Path], Path], name: str, target: str = "xls") -> Callable[[Path], Path]:
    """The workbook saved as .xls (Excel 97–2003) by LibreOffice, as older offices still do (``target``
    "pdf": a document printed to PDF by LibreOffice, as a company sends its Word file)."""
    def build(folder: Path) -> Path:
        from kyotei_docs.office import _seed_profile, soffice_path

        src = source(folder / "src")
        with tempfile.TemporaryDirectory() as profile:
            # seeded as the project seeds its own: a new profile's first start costs ~0.8 s more of CPU
            # (a graphics self-test and a restart) and changes nothing in what LibreOffice writes
            _seed_profile(Path(profile), soffice_path() or "soffice")
            subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                            "--outdir", str(folder), str(src)], check=True, capture_output=True, timeout=120)
        return _renamed(folder / f"{src.stem}.{target}", name)
    return build


def docx_table_wider_than_its_text_box(folder: Path) -> Path:
    """The form in a text box narrower than its table: the table runs out over the box's right side."""
    reset_ids()
    inner = _docx_header() + table(_glyph_cells()) + p("連絡先") + table(_docx_contacts())
    return make_docx(p(textbox([Xml(inner)], height_mm=240)), folder / "text_box_narrow.docx")


# ------------------------------------------------------------------------------------------- Word

def _docx_header() -> str:
    return (p("様式１") + p("令和８年１１月２０日", jc="right") + p("旭川市長　様")
            + p("所在地　" + T["organization.address"]) + p("企業等名称　" + T["organization.name"])
            + p("代表者氏名　" + T["organization.representative"]) + p("連携協定に関する提案書", jc="center"))


def _docx_rows(type_cell: Xml, fields_cell: Xml, axis_cell: Xml, effects: str = T["expected_effects"]) -> list:
    return [[cell("連携協定の種別"), type_cell], [cell("連携の分野"), fields_cell], [cell("主軸分野の有無"), axis_cell],
            [cell("協定締結の目的"), cell(T["purpose"])], [cell("連携により期待される効果"), cell(effects)]]


def _docx_contacts() -> list:
    return [[cell("部署名"), cell(T["contact.department"])], [cell("担当者氏名"), cell(T["contact.name"])],
            [cell("電話番号"), cell(T["contact.phone"])], [cell("メールアドレス"), cell(T["contact.email"])]]


def _glyph_cells(effects: str = T["expected_effects"]) -> list:
    fields = "　".join(("☑" if n in ON else "☐") + n for n in FIELDS)
    return _docx_rows(cell("☐個別連携協定　☑包括連携協定"), cell(fields), cell("☑有　主軸分野（観光・魅力発信）　☐無"), effects)


def docx_nested(folder: Path) -> Path:
    """The form's table inside the one cell of a frame table, the contacts a table nested in the last row."""
    reset_ids()
    inner = table(_glyph_cells() + [[cell("連絡先"), cell(table(_docx_contacts(), widths=(1800, 4200)))]],
                  widths=(2400, 6400))
    body = _docx_header() + table([[cell(inner)]], widths=(9000,))
    return make_docx(body, folder / "nested.docx")


def docx_in_text_box(folder: Path) -> Path:
    """The whole form typed inside a text box (Word stores it twice: DrawingML and VML)."""
    reset_ids()
    inner = (_docx_header() + table(_glyph_cells(), widths=(2400, 5600)) + p("連絡先")
             + table(_docx_contacts(), widths=(2400, 5600)))
    return make_docx(p(textbox([Xml(inner)], width_mm=150, height_mm=240)), folder / "text_box.docx")


def docx_checkbox_cells(folder: Path) -> Path:
    """w14:checkbox content controls in both states, each in a cell of its own before its option's cell."""
    reset_ids()

    def row(options: list[tuple[str, bool]]) -> Xml:
        cells = []
        for name, on in options:
            cells += [cell(p(sdt_checkbox(on))), cell(name)]
        return table([cells], widths=(400, 2000) * len(options))
    fields = Xml("".join(row([(n, n in ON) for n in FIELDS[k:k + 3]]) for k in range(0, len(FIELDS), 3)))
    rows = _docx_rows(cell(row([("個別連携協定", False), ("包括連携協定", True)])), cell(fields),
                      cell(row([("有", True), ("無", False)]), "主軸分野（観光・魅力発信）"))
    return make_docx(_docx_header() + table(rows) + p("連絡先") + table(_docx_contacts()), folder / "checkbox_cells.docx")


def _dropdown(shown: str, items: list[tuple[str, str]]) -> Xml:
    """A drop-down list content control showing ``shown`` (items: display text, value)."""
    listing = "".join(f'<w:listItem w:displayText="{d}" w:value="{v}"/>' for d, v in items)
    return Xml(f'<w:sdt><w:sdtPr><w:id w:val="7001"/><w:dropDownList>{listing}</w:dropDownList></w:sdtPr>'
               f'<w:sdtContent><w:r><w:t>{shown}</w:t></w:r></w:sdtContent></w:sdt>')


def docx_dropdowns(folder: Path) -> Path:
    """有/無 a drop-down whose values are codes (「1」/「2」), the axis field a second drop-down in its own row."""
    reset_ids()
    fields = "　".join(("■" if n in ON else "□") + n for n in FIELDS)
    rows = [[cell("連携協定の種別"), cell("□個別連携協定　■包括連携協定")], [cell("連携の分野"), cell(fields)],
            [cell("主軸分野の有無"), cell(p(_dropdown("有", [("選択してください", ""), ("有", "1"), ("無", "2")])))],
            [cell("主軸分野"), cell(p(_dropdown("観光・魅力発信", [(n, str(k)) for k, n in enumerate(FIELDS, 1)])))],
            [cell("協定締結の目的"), cell(T["purpose"])], [cell("連携により期待される効果"), cell(T["expected_effects"])]]
    return make_docx(_docx_header() + table(rows) + p("連絡先") + table(_docx_contacts()), folder / "dropdowns.docx")


def docx_legacy_boxes(folder: Path) -> Path:
    """Legacy FORMCHECKBOX fields: ticked with a bare <w:checked/>, or left at their default ticked."""
    reset_ids()

    def line(options: list[tuple[str, bool]], by_default: bool = False) -> Xml:
        parts: list[str] = []
        for name, on in options:
            box = ffcheckbox(default=on) if by_default else ffcheckbox(checked=on, default=False)
            parts += [box, name + "　"]
        return p(*parts)
    fields = line([(n, n in ON) for n in FIELDS], by_default=True)
    rows = _docx_rows(cell(line([("個別連携協定", False), ("包括連携協定", True)])), cell(fields),
                      cell(line([("有　主軸分野（観光・魅力発信）", True), ("無", False)])))
    return make_docx(_docx_header() + table(rows) + p("連絡先") + table(_docx_contacts()), folder / "legacy_boxes.docx")


def docx_date_picker(folder: Path) -> Path:
    """The date a date-picker content control in 和暦 (ggge年M月d日, calendar japan) after 「提出日」."""
    reset_ids()
    picker = Xml('<w:sdt><w:sdtPr><w:id w:val="7100"/><w:date w:fullDate="2026-11-20T00:00:00Z">'
                 '<w:dateFormat w:val="ggge年M月d日"/><w:lid w:val="ja-JP"/><w:storeMappedDataAs w:val="dateTime"/>'
                 '<w:calendar w:val="japan"/></w:date></w:sdtPr><w:sdtContent><w:r><w:t>令和8年11月20日</w:t></w:r>'
                 '</w:sdtContent></w:sdt>')
    header = (p("様式１") + p("提出日　", picker, jc="right") + p("旭川市長　様")
              + p("所在地　" + T["organization.address"]) + p("企業等名称　" + T["organization.name"])
              + p("代表者氏名　" + T["organization.representative"]) + p("連携協定に関する提案書", jc="center"))
    return make_docx(header + table(_glyph_cells()) + p("連絡先") + table(_docx_contacts()), folder / "date_picker.docx")


PAGE_BREAK = Xml('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')


def docx_attachment(folder: Path, reference: str = "別紙参照", heading: str = "別添資料") -> Path:
    """「別紙参照」 as the effects, the attachment behind a page break under ``heading``."""
    reset_ids()
    body = (_docx_header() + table(_glyph_cells(reference)) + p("連絡先") + table(_docx_contacts()) + PAGE_BREAK
            + p(heading) + p("連携により期待される効果") + p(T["expected_effects"]))
    return make_docx(body, folder / f"attachment_{heading}.docx")


def _letterhead_lines() -> list[str]:
    return [T["organization.name"], f"〒070-8003　{T['organization.address']}",
            f"TEL {DECOYS['tel']}（代表）　FAX {DECOYS['fax']}", f"E-mail {DECOYS['mail']}"]


def docx_cover_letter(folder: Path) -> Path:
    """A 送付状 on letterhead (代表 TEL and info@ e-mail) signed by 総務部, then Form 1 after a page break."""
    reset_ids()
    letter = (p("令和８年１１月２０日", jc="right") + p("旭川市　市民生活部　地域活動推進課　御中")
              + "".join(p(x, jc="right") for x in _letterhead_lines())
              + p("送付状", jc="center") + p("拝啓　時下ますますご清祥のこととお喜び申し上げます。")
              + p("下記の書類を送付いたしますので、ご査収のほどよろしくお願い申し上げます。") + p("記", jc="center")
              + p("１　連携協定に関する提案書　１部") + p("以上", jc="right")
              + p(f"担当　{DECOYS['sender']}") + p(f"TEL {DECOYS['sender_tel']}") + p(f"E-mail {DECOYS['sender_mail']}"))
    body = letter + PAGE_BREAK + _docx_header() + table(_glyph_cells()) + p("連絡先") + table(_docx_contacts())
    return make_docx(body, folder / "cover_letter.docx")


# -------------------------------------------------------------------------------------------- PDF

def form_page(page: Page | None = None, *, top: float = 40, labels: tuple[str, ...] = (), effects: str = "",
              contacts: bool = True) -> Page:
    """Form 1 typed on lines: labels at the left, answers at x = 200; ``labels`` replace the Japanese ones."""
    page = page or Page()
    names = labels or ("所在地", "企業等名称", "代表者氏名", "連携協定の種別", "連携の分野", "主軸分野の有無",
                       "協定締結の目的", "連携により期待される効果", "連絡先", "部署名", "担当者氏名", "電話番号",
                       "メールアドレス")
    y = top
    page.text(40, y, "様式１").text(420, y + 20, "令和８年１１月２０日").text(40, y + 45, "旭川市長　様")
    for k, key in enumerate(("organization.address", "organization.name", "organization.representative")):
        page.text(230, y + 75 + 20 * k, names[k]).text(330, y + 75 + 20 * k, T[key])
    page.text(200, y + 145, "連携協定に関する提案書", 14)
    page.text(40, y + 180, names[3]).text(200, y + 180, "□個別連携協定　■包括連携協定")
    page.text(40, y + 205, names[4])
    for k, n in enumerate(FIELDS):
        page.text(200 + (k % 3) * 120, y + 205 + (k // 3) * 16, ("■" if n in ON else "□") + n, 9)
    page.text(40, y + 275, names[5]).text(200, y + 275, "■有　主軸分野（観光・魅力発信）　□無")
    page.text(40, y + 305, names[6]).text(200, y + 305, T["purpose"])
    page.text(40, y + 335, names[7]).text(200, y + 335, effects or T["expected_effects"])
    if contacts:
        page.text(40, y + 370, names[8])
        for k, key in enumerate(("contact.department", "contact.name", "contact.phone", "contact.email")):
            page.text(60, y + 390 + 20 * k, names[9 + k]).text(200, y + 390 + 20 * k, T[key])
    return page


ENGLISH = ("Address", "Company name", "Representative", "連携協定の種別", "連携の分野", "主軸分野の有無", "Purpose",
           "Expected effects", "Contact", "Department", "Contact person", "TEL", "E-mail")


def pdf_rotated(rotate: int, turn: int = 0, labels: tuple[str, ...] = ()) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        name = f"{'english' if labels else 'form'}_rot{rotate}_turn{turn}.pdf"
        return write_pdf(folder / name, form_page(labels=labels), rotate=rotate, turn=turn)
    return build


def two_column_page() -> Page:
    """Form 1 set in two columns: the applicant and the choices at the left, texts and contacts at the right,
    each answer on the line under its label."""
    page = Page()
    page.text(40, 40, "様式１").text(420, 60, "令和８年１１月２０日").text(40, 85, "旭川市長　様")
    page.text(180, 110, "連携協定に関する提案書", 14)
    left = [("所在地", T["organization.address"]), ("企業等名称", T["organization.name"]),
            ("代表者氏名", T["organization.representative"]), ("連携協定の種別", "□個別連携協定　■包括連携協定"),
            *[("連携の分野" if k == 0 else "", "　".join(("■" if n in ON else "□") + n for n in FIELDS[k:k + 3]))
              for k in range(0, len(FIELDS), 3)],
            ("主軸分野の有無", "■有　主軸分野（観光・魅力発信）　□無")]
    right = [("協定締結の目的", T["purpose"]), ("連携により期待される効果", T["expected_effects"]), ("連絡先", ""),
             ("部署名", T["contact.department"]), ("担当者氏名", T["contact.name"]), ("電話番号", T["contact.phone"]),
             ("メールアドレス", T["contact.email"])]
    y = 150
    for label, value in left:
        if label:
            page.text(40, y, label, 9)
            y += 13
        page.text(48, y, value, 7.5)
        y += 18
    y = 150
    for label, value in right:
        if label:
            page.text(310, y, label, 9)
            y += 13
        if value:
            page.text(318, y, value, 9)
            y += 18
    page.line(300, 140, 300, 560)
    return page


def pdf_two_columns(shuffle: bool) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        return write_pdf(folder / f"two_columns{'_shuffled' if shuffle else ''}.pdf", two_column_page(), shuffle=shuffle)
    return build


def _letterhead(page: Page) -> Page:
    page.text(40, 18, T["organization.name"], 9).text(220, 18, f"TEL {DECOYS['tel']}（代表）", 8)
    page.text(360, 18, f"E-mail {DECOYS['mail']}", 8)
    page.line(40, 30, 555, 30)
    return page


def pdf_letterhead_every_page(shuffle: bool = False) -> Callable[[Path], Path]:
    """A letterhead (代表 TEL, info@) on both pages of a form whose contacts start page 2."""
    def build(folder: Path) -> Path:
        first = form_page(_letterhead(Page()), top=50, contacts=False)
        second = _letterhead(Page()).text(40, 50, "連絡先")
        for k, (label, key) in enumerate((("部署名", "contact.department"), ("担当者氏名", "contact.name"),
                                          ("電話番号", "contact.phone"), ("メールアドレス", "contact.email"))):
            second.text(60, 70 + 20 * k, label).text(200, 70 + 20 * k, T[key])
        return write_pdf(folder / f"letterhead{'_shuffled' if shuffle else ''}.pdf", first, second, shuffle=shuffle)
    return build


def pdf_cover_letter(folder: Path) -> Path:
    """A 送付状 page (担当 / TEL / E-mail of someone else) before the form."""
    letter = Page().text(420, 40, "令和８年１１月２０日").text(40, 70, "旭川市長　様")
    for k, line in enumerate(_letterhead_lines()):
        letter.text(330, 100 + 16 * k, line, 9)
    letter.text(250, 190, "送付状", 14).text(40, 230, "拝啓　時下ますますご清祥のこととお喜び申し上げます。")
    letter.text(40, 250, "下記の書類を送付いたしますので、ご査収ください。").text(280, 280, "記")
    letter.text(60, 300, "連携協定に関する提案書　１部").text(500, 330, "以上")
    letter.text(330, 380, f"担当：{DECOYS['sender']}").text(330, 398, f"TEL：{DECOYS['sender_tel']}")
    letter.text(330, 416, f"E-mail：{DECOYS['sender_mail']}")
    return write_pdf(folder / "cover_letter.pdf", letter, form_page())


def pdf_profile_first(folder: Path) -> Path:
    """A company profile page (会社概要: 商号, 所在地, 代表電話, 担当) before the form."""
    prof = Page().text(250, 40, "会社概要", 14)
    for k, (label, value) in enumerate((("商号", T["organization.name"]), ("所在地", T["organization.address"]),
                                        ("代表者", "代表取締役社長　雪野　一郎"), ("電話", f"{DECOYS['tel']}（代表）"),
                                        ("E-mail", DECOYS["mail"]), ("担当者", DECOYS["sender"]),
                                        ("事業内容", "観光アプリの開発、地域イベントの企画"))):
        prof.text(60, 90 + 24 * k, label).text(180, 90 + 24 * k, value)
    return write_pdf(folder / "profile_first.pdf", prof, form_page())


def pdf_attachment(reference: str, heading: str) -> Callable[[Path], Path]:
    """The effects answered 「reference」, a page titled ``heading`` behind the form giving them."""
    def build(folder: Path) -> Path:
        attach = Page().text(40, 40, heading, 12).text(40, 80, "連携により期待される効果").text(60, 100, T["expected_effects"])
        safe = heading.strip("（）")
        return write_pdf(folder / f"attachment_{safe}.pdf", form_page(effects=reference), attach)
    return build


def pdf_fillable_appearances(folder: Path, decodable: bool = True) -> Path:
    """Fillable fields whose values are only drawn in their appearance streams (/V absent), as some
    print drivers and form fillers leave them; the check boxes' state only in /AS.  Not ``decodable``:
    the values' two-byte codes drawn in a simple font, as a tool without the CJK font writes them."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, StreamObject, TextStringObject

    page = Page().text(40, 40, "様式１").text(380, 60, "提出日").text(40, 85, "旭川市長　様")
    labels: list[tuple[str, float, float, str]] = [("所在地", 230, 115, "organization.address"), ("企業等名称", 230, 135, "organization.name"),
              ("代表者氏名", 230, 155, "organization.representative")]
    page.text(200, 185, "連携協定に関する提案書", 14)
    page.text(40, 220, "連携協定の種別").text(215, 220, "個別連携協定").text(335, 220, "包括連携協定")
    page.text(40, 245, "連携の分野")
    boxes: list[tuple[str, float, float, bool]] = [("個別", 200, 220, False), ("包括", 320, 220, True)]
    for k, n in enumerate(FIELDS):
        bx, by = 200.0 + (k % 3) * 120, 245.0 + (k // 3) * 16
        page.text(bx + 15, by, n, 9)
        boxes.append((n, bx, by, n in ON))
    page.text(40, 315, "主軸分野の有無").text(215, 315, "有　主軸分野（").text(470, 315, "）").text(515, 315, "無")
    boxes += [("有", 200, 315, True), ("無", 500, 315, False)]
    texts: list[tuple[str, float, float, float, str]] = [("提出日", 420, 58, 120, "令和8年11月20日")]
    texts += [(label, 330, top - 2, 220, T[key]) for label, _, top, key in labels]
    texts.append(("主軸分野", 290, 313, 175, T["axis.field"]))
    page.text(40, 345, "協定締結の目的").text(40, 375, "連携により期待される効果").text(40, 410, "連絡先")
    texts += [("目的", 200, 343, 350, T["purpose"]), ("効果", 200, 373, 350, T["expected_effects"])]
    for k, (label, key) in enumerate((("部署名", "contact.department"), ("担当者氏名", "contact.name"),
                                      ("電話番号", "contact.phone"), ("メールアドレス", "contact.email"))):
        page.text(60, 430 + 20 * k, label)
        texts.append((label, 200, 428 + 20 * k, 300, T[key]))
    for label, x, top, _ in labels:
        page.text(x, top, label)
    path = write_pdf(folder / f"fillable_appearances{'' if decodable else '_undecodable'}.pdf", page)
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    pg = writer.pages[0]
    fonts: Any = pg["/Resources"]["/Font"]  # type: ignore[index]
    font_name, font_ref = next((k, v) for k, v in fonts.items()
                               if (MINCHO in str(v.get_object().get("/BaseFont"))) == decodable)
    height = A4[1]
    annots, fields = ArrayObject(), ArrayObject()

    def widget(name: str, ft: str, rect: tuple[float, float, float, float], ap: dict, **extra) -> None:
        d = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
                              NameObject("/FT"): NameObject(ft), NameObject("/T"): TextStringObject(name),
                              NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
                              NameObject("/P"): pg.indirect_reference, NameObject("/AP"): DictionaryObject(ap)})
        d.update({NameObject(k): v for k, v in extra.items()})
        ref = writer._add_object(d)
        annots.append(ref)
        fields.append(ref)

    def stream(width: float, hh: float, data: bytes):
        s = StreamObject()
        s._data = data
        s[NameObject("/BBox")] = ArrayObject([FloatObject(v) for v in (0, 0, width, hh)])
        s[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject(font_name): font_ref})})
        return writer._add_object(s)

    for k, (_label, x, top, width, value) in enumerate(texts):
        hex_text = value.encode("utf-16-be").hex().encode()
        data = b"/Tx BMC q BT %s 9 Tf 2 4 Td <%s> Tj ET Q EMC" % (font_name.encode(), hex_text)
        widget(f"Text{k + 1}", "/Tx", (x, height - top - 14, x + width, height - top),
               {NameObject("/N"): stream(width, 14, data)})
    for k, (_name, x, top, on) in enumerate(boxes):
        ap = {NameObject("/N"): DictionaryObject({NameObject("/Yes"): stream(10, 10, b"q 1 1 m 9 9 l S Q"),
                                                  NameObject("/Off"): stream(10, 10, b"")})}
        widget(f"Check Box{k + 1}", "/Btn", (x, height - top - 10, x + 10, height - top), ap,
               **{"/AS": NameObject("/Yes" if on else "/Off")})
    pg[NameObject("/Annots")] = annots
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(DictionaryObject({NameObject("/Fields"): fields}))
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


# ---------------------------------------------------------------------------------- second batch

def xlsx_radio_buttons(folder: Path) -> Path:
    """The type and 有/無 as option buttons (Radio form controls) captioned with the option."""
    cells = _excel_spaced_marks(Num(46346, '[$-411]ggge"年"m"月"d"日"'))
    for ref in ("C12", "F12", "C20", "I20"):
        cells.pop(ref)
    boxes = [CheckBox("C12", False, "個別連携協定", radio=True), CheckBox("F12", True, "包括連携協定", radio=True),
             CheckBox("C20", True, "有", radio=True), CheckBox("I20", False, "無", radio=True)]
    return make_xlsx(folder / "radio.xlsx", Sheet(cells, _EXCEL_MERGES, boxes))


def xlsx_hidden_rows_and_example_sheet(folder: Path) -> Path:
    """An older answer left in hidden rows, and a hidden sheet holding the city's 記入例."""
    cells = _excel_spaced_marks(Num(46346, '[$-411]ggge"年"m"月"d"日"'))
    cells.update({"A42": "（旧）協定締結の目的", "A43": "災害時の物資供給のため。", "A44": "☑ 災害対策"})
    example = Sheet({"A1": "様式１", "H2": "令和〇年〇月〇日", "A4": "旭川市長　様", "D6": "所在地",
                     "F6": "北海道旭川市〇〇町", "D7": "企業等名称", "F7": "株式会社〇〇", "A10": "連携協定に関する提案書",
                     "A12": "連携協定の種別", "C12": "☑ 個別連携協定", "A30": "協定締結の目的", "A31": "〇〇のため。"},
                    name="記入例", hidden=True)
    return make_xlsx(folder / "hidden.xlsx", example, Sheet(cells, _EXCEL_MERGES, hidden_rows=[42, 43, 44]))


def xlsx_labelled_text_date(folder: Path) -> Path:
    """「提出日」 in a cell, the date typed as text 「2026年11月20日」 two cells to the right."""
    cells = _excel_spaced_marks(None)
    cells.pop("H2")
    cells.update({"F2": "提出日", "H2": "2026年11月20日"})
    return make_xlsx(folder / "labelled_date.xlsx", Sheet(cells, _EXCEL_MERGES))


def docx_merged_contact_label(folder: Path) -> Path:
    """「連絡先」 a cell merged down the four contact rows (vMerge), sub-labels in the middle column."""
    reset_ids()
    contact = [[cell("連絡先", vmerge="restart"), cell("部署名"), cell(T["contact.department"])],
               [cell(vmerge="continue"), cell("担当者氏名"), cell(T["contact.name"])],
               [cell(vmerge="continue"), cell("電話番号"), cell(T["contact.phone"])],
               [cell(vmerge="continue"), cell("メールアドレス"), cell(T["contact.email"])]]
    rows = [[cell(str(label), span=2), value] for label, value in
            (("連携協定の種別", _glyph_cells()[0][1]), ("連携の分野", _glyph_cells()[1][1]),
             ("主軸分野の有無", _glyph_cells()[2][1]), ("協定締結の目的", cell(T["purpose"])),
             ("連携により期待される効果", cell(T["expected_effects"])))]
    body = _docx_header() + table(rows + contact, widths=(1200, 1800, 6000))
    return make_docx(body, folder / "merged_contact.docx")


def docx_borderless_header(folder: Path) -> Path:
    """The applicant's entries a borderless table at the right (label | value), the date above it."""
    reset_ids()
    head = Xml(table([[cell("所在地"), cell(T["organization.address"])], [cell("企業等名称"), cell(T["organization.name"])],
                      [cell("代表者氏名"), cell(T["organization.representative"])]], widths=(1800, 5000))
               .replace('w:val="single"', 'w:val="nil"'))
    body = (p("様式１") + p("令和８年１１月２０日", jc="right") + p("旭川市長　様") + head
            + p("連携協定に関する提案書", jc="center") + table(_glyph_cells()) + p("連絡先") + table(_docx_contacts()))
    return make_docx(body, folder / "borderless_header.docx")


def docx_vertical_options(folder: Path) -> Path:
    """Each option on a row of its own, its ☑/☐ in a narrow column before it; the label cell merged down."""
    reset_ids()
    rows = [[cell("連携協定の種別", vmerge="restart"), cell("☐"), cell("個別連携協定")],
            [cell(vmerge="continue"), cell("☑"), cell("包括連携協定")]]
    for k, n in enumerate(FIELDS):
        rows.append([cell("連携の分野", vmerge="restart") if k == 0 else cell(vmerge="continue"),
                     cell("☑" if n in ON else "☐"), cell(n)])
    rows += [[cell("主軸分野の有無", vmerge="restart"), cell("☑"), cell("有　主軸分野（観光・魅力発信）")],
             [cell(vmerge="continue"), cell("☐"), cell("無")],
             [cell("協定締結の目的"), cell(T["purpose"], span=2)],
             [cell("連携により期待される効果"), cell(T["expected_effects"], span=2)]]
    body = _docx_header() + table(rows, widths=(2400, 500, 6000)) + p("連絡先") + table(_docx_contacts())
    return make_docx(body, folder / "vertical_options.docx")


def docx_profile_first(folder: Path) -> Path:
    """A company profile (会社概要) page with its switchboard and 担当 before the form."""
    reset_ids()
    profile = (p("会社概要", jc="center")
               + table([[cell("商号"), cell(T["organization.name"])], [cell("所在地"), cell(T["organization.address"])],
                        [cell("代表者"), cell(T["organization.representative"])], [cell("電話"), cell(DECOYS["tel"])],
                        [cell("E-mail"), cell(DECOYS["mail"])], [cell("担当者"), cell(DECOYS["sender"])]]))
    body = profile + PAGE_BREAK + _docx_header() + table(_glyph_cells()) + p("連絡先") + table(_docx_contacts())
    return make_docx(body, folder / "profile_first.docx")


def docx_custom_checkbox_glyphs(folder: Path) -> Path:
    """w14:checkbox controls whose states are drawn ■/□ in ＭＳ ゴシック (not the default ☒/☐)."""
    reset_ids()

    def box(on: bool) -> Xml:
        glyph = "■" if on else "□"
        return Xml(f'<w:sdt><w:sdtPr><w:id w:val="{7200 + int(on)}"/><w14:checkbox><w14:checked w14:val="{int(on)}"/>'
                   '<w14:checkedState w14:val="25A0" w14:font="ＭＳ ゴシック"/>'
                   '<w14:uncheckedState w14:val="25A1" w14:font="ＭＳ ゴシック"/></w14:checkbox></w:sdtPr>'
                   '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="ＭＳ ゴシック" w:eastAsia="ＭＳ ゴシック" w:hAnsi="ＭＳ ゴシック"/>'
                   f'</w:rPr><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>')

    def line(options: list[tuple[str, bool]]) -> Xml:
        parts: list[str] = []
        for name, on in options:
            parts += [box(on), name + "　"]
        return p(*parts)
    rows = _docx_rows(cell(line([("個別連携協定", False), ("包括連携協定", True)])),
                      cell(line([(n, n in ON) for n in FIELDS])),
                      cell(line([("有　主軸分野（観光・魅力発信）", True), ("無", False)])))
    return make_docx(_docx_header() + table(rows) + p("連絡先") + table(_docx_contacts()), folder / "custom_boxes.docx")


def pdf_ruled_vertical_marks(folder: Path, mark: str = "レ") -> Path:
    """A ruled grid as Excel prints it: each option on a row, its mark (レ) in the narrow column after it."""
    page = form_page(contacts=True)
    page.texts = [t for t in page.texts if not (t[0] >= 200 and 210 <= t[1] <= 330)]  # drop the inline choices
    page.texts = [t for t in page.texts if t[2] not in ("連携協定の種別", "連携の分野", "主軸分野の有無")]
    # the texts and contacts move down; the choices become a grid from y = 230
    rest = [t for t in page.texts if t[1] >= 340]
    page.texts = [t for t in page.texts if t[1] < 340] + [(x, y + 250, tx, sz) for x, y, tx, sz in rest]
    rows = [("連携協定の種別", "個別連携協定", False), ("", "包括連携協定", True)]
    rows += [("連携の分野" if k == 0 else "", n, n in ON) for k, n in enumerate(FIELDS)]
    rows += [("主軸分野の有無", "有　主軸分野（観光・魅力発信）", True), ("", "無", False)]
    top = 225.0
    for k, (label, option, on) in enumerate(rows):
        y = top + 16 * k
        if label:
            page.text(44, y + 3, label, 9)
            page.line(40, y, 555, y)
        else:
            page.line(200, y, 555, y)
        page.text(204, y + 3, option, 9).text(480, y + 3, mark if on else "", 9)
    bottom = top + 16 * len(rows)
    page.line(40, bottom, 555, bottom)
    for x in (40, 200, 470, 555):
        page.line(x, top, x, bottom)
    page.texts = [t for t in page.texts if t[2]]
    return write_pdf(folder / "ruled_vertical.pdf", page)


def pdf_everything_around(folder: Path) -> Path:
    """送付状, 会社概要, the form, then 「別紙１」 — four pages, the letterhead on each."""
    letter = _letterhead(Page()).text(420, 50, "令和８年１１月２０日").text(40, 80, "旭川市長　様").text(250, 120, "送付状", 14)
    letter.text(40, 160, "下記の書類を送付いたします。").text(60, 190, "１　連携協定に関する提案書　１部").text(500, 210, "以上")
    letter.text(330, 260, f"担当　{DECOYS['sender']}").text(330, 278, f"TEL {DECOYS['sender_tel']}")
    letter.text(330, 296, f"E-mail {DECOYS['sender_mail']}")
    prof = _letterhead(Page()).text(250, 50, "会社概要", 14)
    for k, (label, value) in enumerate((("商号", T["organization.name"]), ("所在地", T["organization.address"]),
                                        ("電話", DECOYS["tel"]), ("担当者", DECOYS["sender"]))):
        prof.text(60, 90 + 24 * k, label).text(180, 90 + 24 * k, value)
    form = form_page(_letterhead(Page()), top=50, effects="別紙１のとおり")
    attach = _letterhead(Page()).text(40, 50, "別紙１", 12).text(40, 80, "連携により期待される効果")
    attach.text(60, 100, T["expected_effects"])
    return write_pdf(folder / "everything.pdf", letter, prof, form, attach)


def pdf_fillable_rotated(folder: Path) -> Path:
    """The appearance-only fillable form on a page shown turned by /Rotate 90."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, NumberObject

    path = pdf_fillable_appearances(folder)
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    writer.pages[0][NameObject("/Rotate")] = NumberObject(90)
    out = folder / "fillable_rot90.pdf"
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def pdf_contact_words_of_letters(folder: Path) -> Path:
    """The form's own contact block in a letter's words: 担当部署 / 担当 / TEL / E-mail."""
    labels = ("所在地", "企業等名称", "代表者氏名", "連携協定の種別", "連携の分野", "主軸分野の有無", "協定締結の目的",
              "連携により期待される効果", "連絡先", "担当部署", "担当", "TEL", "E-mail")
    return write_pdf(folder / "letter_words.pdf", form_page(labels=labels))


# ----------------------------------------------------------------------------------- third batch

def xlsx_controls_after_options(folder: Path) -> Path:
    """Check boxes without captions placed in the cell *after* each option, the date shown 「R8.11.20」."""
    cells = _excel_spaced_marks(Num(46346, "[$-411]ge.m.d"))
    cells.update({"B12": "個別連携協定", "E12": "包括連携協定", "C12": None, "F12": None})
    boxes = [CheckBox("C12", False), CheckBox("F12", True)]
    return make_xlsx(folder / "controls_after.xlsx", Sheet(cells, _EXCEL_MERGES, boxes))


def pdf_excel_grid(folder: Path) -> Path:
    """A sheet printed with gridlines: every column a cell, labels spread over cells (「所」「在」「地」), the
    answers over several cells, marks 〇 in cells of their own before the options."""
    page = Page()
    xs = [40 + 26 * k for k in range(20)] + [555]
    top, h = 60.0, 18.0
    rows: list[list[tuple[int, str]]] = [
        [(0, "様式１"), (15, "令和８年１１月２０日")], [(0, "旭川市長　様")], [],
        [(6, "所"), (7, "在"), (8, "地"), (10, T["organization.address"])],
        [(6, "企"), (7, "業"), (8, "等"), (9, "名"), (10, T["organization.name"])],
        [(6, "代表者氏名"), (10, T["organization.representative"])], [],
        [(5, "連携協定に関する提案書")], [],
        [(0, "連携協定の種別"), (6, ""), (7, "個別連携協定"), (11, "〇"), (12, "包括連携協定")],
        [(0, "連携の分野"), (5, ""), (6, "災害対策"), (10, "〇"), (11, "環境"), (14, ""), (15, "土木建設維持管理")],
        [(6, "福祉・医療・健康"), (11, "教育・文化・スポーツ"), (15, "産業・商業")],
        [(6, "地域活性化・まちづくり"), (11, "人材育成"), (15, "安全・交通")],
        [(5, "〇"), (6, "観光・魅力発信"), (11, "子育て")],
        [(0, "主軸分野の有無"), (5, "〇"), (6, "有"), (8, "主軸分野（観光・魅力発信）"), (16, ""), (17, "無")],
        [(0, "協定締結の目的")], [(1, T["purpose"])], [(0, "連携により期待される効果")], [(1, T["expected_effects"])],
        [(0, "連絡先")], [(1, "部署名"), (6, T["contact.department"])], [(1, "担当者氏名"), (6, T["contact.name"])],
        [(1, "電話番号"), (6, T["contact.phone"])], [(1, "メールアドレス"), (6, T["contact.email"])]]
    from reportlab.pdfbase.pdfmetrics import stringWidth

    _font()
    for r, cells in enumerate(rows):
        y = top + h * r
        spans = []
        for col, text in cells:
            if text:
                page.text(xs[col] + 2, y + 4, text, 9)
                spans.append((xs[col], xs[col] + 2 + stringWidth(text, MINCHO, 9)))
        # Excel draws no gridline through text running on over the empty cells beside it (or a merged range)
        for x in xs:
            if not any(a < x < b for a, b in spans):
                page.line(x, y, x, y + h)
    for r in range(len(rows) + 1):
        page.line(40, top + h * r, 555, top + h * r)
    return write_pdf(folder / "excel_grid.pdf", page)


def pdf_table_across_pages_letterhead(folder: Path) -> Path:
    """A ruled form table cut by the page break inside 「協定締結の目的」, a letterhead at the top of both pages."""
    from pdfbuild import ruled_rows

    first = _letterhead(Page())
    first.text(40, 50, "様式１").text(420, 70, "令和８年１１月２０日").text(40, 95, "旭川市長　様")
    for k, key in enumerate(("organization.address", "organization.name", "organization.representative")):
        first.text(230, 120 + 20 * k, ("所在地", "企業等名称", "代表者氏名")[k]).text(330, 120 + 20 * k, T[key])
    first.text(200, 190, "連携協定に関する提案書", 14)
    fields = ["　".join(("■" if n in ON else "□") + n for n in FIELDS[k:k + 3]) for k in range(0, len(FIELDS), 3)]
    purpose = [f"{T['purpose']}その{k}。" if k else T["purpose"] for k in range(0, 28)]
    ruled_rows(first, 220, [("連携協定の種別", ["□個別連携協定　■包括連携協定"]), ("連携の分野", fields),
                            ("主軸分野の有無", ["■有　主軸分野（観光・魅力発信）　□無"]), ("協定締結の目的", purpose[:24])],
               header=False)
    second = _letterhead(Page())
    ruled_rows(second, 60, [("", purpose[24:]), ("連携により期待される効果", [T["expected_effects"]]),
                            ("部署名", [T["contact.department"]]), ("担当者氏名", [T["contact.name"]]),
                            ("電話番号", [T["contact.phone"]]), ("メールアドレス", [T["contact.email"]])], header=False)
    return write_pdf(folder / "across_pages.pdf", first, second)


# ---------------------------------------------------------------------------------- fourth batch

def _blank(page: Page, label: str) -> Page:
    """``page`` with the answer beside ``label`` left blank."""
    at = next(t for t in page.texts if t[2] == label)
    page.texts = [t for t in page.texts if not (t[1] == at[1] and t[0] > at[0])]
    return page


def pdf_blank_email_letter_behind(folder: Path) -> Path:
    """The form's e-mail left blank, a 送付状 behind the form with the sender's E-mail."""
    letter = Page().text(420, 40, "令和８年１１月２０日").text(40, 70, "旭川市長　様").text(250, 110, "送付状", 14)
    letter.text(40, 150, "下記の書類を送付いたします。").text(60, 180, "連携協定に関する提案書　１部").text(500, 200, "以上")
    letter.text(330, 240, f"担当：{DECOYS['sender']}").text(330, 258, f"E-mail：{DECOYS['sender_mail']}")
    return write_pdf(folder / "blank_email_letter.pdf", _blank(form_page(), "メールアドレス"), letter)


def pdf_blank_phone_letterhead(folder: Path) -> Path:
    """The form's phone left blank under a letterhead with the 代表 number."""
    page = _blank(form_page(_letterhead(Page()), top=50), "電話番号")
    return write_pdf(folder / "blank_phone_letterhead.pdf", page)


def pdf_blank_name_profile_first(folder: Path) -> Path:
    """The form's contact name left blank, a company profile with 担当者 before it."""
    prof = Page().text(250, 40, "会社概要", 14)
    for k, (label, value) in enumerate((("商号", T["organization.name"]), ("所在地", T["organization.address"]),
                                        ("電話", DECOYS["tel"]), ("担当者", DECOYS["sender"]))):
        prof.text(60, 90 + 24 * k, label).text(180, 90 + 24 * k, value)
    return write_pdf(folder / "blank_name_profile.pdf", prof, _blank(form_page(), "担当者氏名"))


def xlsx_example_column_beside(folder: Path) -> Path:
    """The city's template keeps a 記入例 column right beside the answers (K–M), no print area set."""
    cells = _excel_spaced_marks(Num(46346, '[$-411]ggge"年"m"月"d"日"'))
    cells.update({"L4": "【記入例】", "L6": "北海道旭川市〇〇町１丁目", "L7": "株式会社〇〇", "L8": "代表取締役　〇〇　〇〇",
                  "L12": "☑ 包括連携協定", "L15": "☑ 災害対策", "L16": "☑ 安全・交通", "L20": "☑ 有　主軸分野（災害対策）",
                  "L31": "災害時に協力するため。", "L34": "市民の安心が高まる。", "L37": "総務部", "L38": "〇〇　〇〇",
                  "L39": "0166-00-0000", "L40": "sample@example.jp"})
    return make_xlsx(folder / "example_beside.xlsx", Sheet(cells, _EXCEL_MERGES))


def pdf_direct_line(folder: Path) -> Path:
    """The phone written 「0166-74-2233（直通）」 under a letterhead with the 代表 number."""
    page = form_page(_letterhead(Page()), top=50)
    page.texts = [(x, y, tx + "（直通）" if tx == T["contact.phone"] else tx, sz) for x, y, tx, sz in page.texts]
    return write_pdf(folder / "direct_line.pdf", page)


def pdf_options_on_lines(folder: Path) -> Path:
    """No table: each option on a line of its own under its label, ■/□ and a space before it (the PDF font
    has no ☑/☐: drawn with it they would leave no mark at all)."""
    page = Page()
    page.text(40, 40, "様式１").text(420, 60, "令和８年１１月２０日").text(40, 85, "旭川市長　様")
    for k, key in enumerate(("organization.address", "organization.name", "organization.representative")):
        page.text(230, 110 + 20 * k, ("所在地", "企業等名称", "代表者氏名")[k]).text(330, 110 + 20 * k, T[key])
    page.text(200, 180, "連携協定に関する提案書", 14)
    y = 215.0
    page.text(40, y, "１　連携協定の種別")
    for name, on in (("個別連携協定", False), ("包括連携協定", True)):
        y += 16
        page.text(60, y, ("■ " if on else "□ ") + name, 9.5)
    y += 24
    page.text(40, y, "２　連携の分野")
    for n in FIELDS:
        y += 15
        page.text(60, y, ("■ " if n in ON else "□ ") + n, 9.5)
    y += 24
    page.text(40, y, "３　主軸分野の有無")
    page.text(60, y + 16, "■ 有（主軸分野：観光・魅力発信）", 9.5).text(60, y + 32, "□ 無", 9.5)
    y += 60
    for label, key in (("４　協定締結の目的", "purpose"), ("５　連携により期待される効果", "expected_effects")):
        page.text(40, y, label).text(60, y + 16, T[key])
        y += 40
    page.text(40, y, "６　連絡先")
    for k, (label, key) in enumerate((("部署名", "contact.department"), ("担当者氏名", "contact.name"),
                                      ("電話番号", "contact.phone"), ("メールアドレス", "contact.email"))):
        page.text(60, y + 18 + 18 * k, f"{label}：{T[key]}")
    return write_pdf(folder / "options_on_lines.pdf", page)


# ----------------------------------------------------------------------------------- fifth batch

def xlsx_letter_sheet_blank_email(folder: Path) -> Path:
    """A 送付状 sheet first (担当, TEL, E-mail of the sender), the form on the next sheet with its e-mail blank."""
    letter = Sheet({"H1": "令和８年１１月２０日", "A3": "旭川市長　様", "C6": "送付状", "A8": "下記の書類を送付いたします。",
                    "B10": "連携協定に関する提案書　１部", "H12": "以上", "F14": f"担当　{DECOYS['sender']}",
                    "F15": f"TEL　{DECOYS['sender_tel']}", "F16": f"E-mail　{DECOYS['sender_mail']}"}, name="送付状")
    cells = _excel_spaced_marks(Num(46346, '[$-411]ggge"年"m"月"d"日"'))
    cells.pop("D40")
    return make_xlsx(folder / "letter_sheet.xlsx", letter, Sheet(cells, _EXCEL_MERGES))


def docx_attachment_table(folder: Path) -> Path:
    """「別紙１のとおり」, the attachment a table of its own after a page break, 「別紙１」 in its first row."""
    reset_ids()
    attach = table([[cell("別紙１", span=2)], [cell("連携により期待される効果"), cell(T["expected_effects"])]],
                   widths=(3000, 6000))
    body = (_docx_header() + table(_glyph_cells("別紙１のとおり")) + p("連絡先") + table(_docx_contacts())
            + PAGE_BREAK + attach)
    return make_docx(body, folder / "attachment_table.docx")


def pdf_contact_in_one_line(folder: Path) -> Path:
    """The contacts on one line: 「連絡先　事業開発部　雪野　美咲（TEL …　E-mail …）」."""
    page = form_page(contacts=False)
    page.text(40, 410, f"連絡先　{T['contact.department']}　{T['contact.name']}（TEL {T['contact.phone']}", 9.5)
    page.text(60, 426, f"E-mail {T['contact.email']}）", 9.5)
    return write_pdf(folder / "contact_one_line.pdf", page)


# ----------------------------------------------------------------------------------- sixth batch

def docx_contact_in_header(folder: Path) -> Path:
    """The contact person written in the applicant's header, before the title (担当者, 電話, メール)."""
    reset_ids()
    header = (p("様式１") + p("令和８年１１月２０日", jc="right") + p("旭川市長　様")
              + p("所在地　" + T["organization.address"]) + p("企業等名称　" + T["organization.name"])
              + p("代表者氏名　" + T["organization.representative"]) + p("担当部署　" + T["contact.department"])
              + p("担当者氏名　" + T["contact.name"]) + p("電話番号　" + T["contact.phone"])
              + p("メールアドレス　" + T["contact.email"]) + p("連携協定に関する提案書", jc="center"))
    return make_docx(header + table(_glyph_cells()), folder / "contact_in_header.docx")


def pdf_seal_mark_and_full_width(folder: Path) -> Path:
    """「印」 printed after the representative, the phone and e-mail typed in full-width characters."""
    page = form_page()
    wide = {T["contact.phone"]: "０１６６－７４－２２３３", T["contact.email"]: "ｍｉｓａｋｉ＠ｔａｉｓｅｔｓｕ－ｌａｂ．ｅｘａｍｐｌｅ．ｊｐ"}
    page.texts = [(x, y, wide.get(tx, tx), sz) for x, y, tx, sz in page.texts]
    rep = next(t for t in page.texts if t[2] == T["organization.representative"])
    page.text(rep[0] + 190, rep[1], "印")
    return write_pdf(folder / "seal_full_width.pdf", page)


# --------------------------------------------------------------------------------- seventh batch

def xlsx_hyperlink_formula(folder: Path) -> Path:
    """The e-mail a =HYPERLINK("mailto:…", "…") formula (its cached text shown), the date =DATE(2026,11,20)."""
    cells = _excel_spaced_marks(None)
    for ref in ("H2", "D40"):
        cells.pop(ref)
    mail = T["contact.email"]
    extra = [f'<c r="D40" t="str"><f>HYPERLINK("mailto:{mail}","{mail}")</f><v>{mail}</v></c>',
             '<c r="H2" s="1"><f>DATE(2026,11,20)</f><v>46346</v></c>']
    # style 1 of make_xlsx is the first number format it registers: give one cell that format
    cells["Z99"] = Num(0, '[$-411]ggge"年"m"月"d"日"')
    sheet = Sheet(cells, _EXCEL_MERGES, extra_cells=extra)
    return make_xlsx(folder / "hyperlink.xlsx", sheet)


def docx_hyperlinks(folder: Path) -> Path:
    """The e-mail in a w:hyperlink, the phone in a fldSimple field, the date 「令和8年(2026年)11月20日」."""
    reset_ids()
    mail = Xml(f'<w:hyperlink r:id="rId99" w:history="1"><w:r><w:t>{T["contact.email"]}</w:t></w:r></w:hyperlink>')
    phone = Xml(f'<w:fldSimple w:instr=" HYPERLINK &quot;tel:0166742233&quot; "><w:r><w:t>{T["contact.phone"]}'
                '</w:t></w:r></w:fldSimple>')
    contacts = [[cell("部署名"), cell(T["contact.department"])], [cell("担当者氏名"), cell(T["contact.name"])],
                [cell("電話番号"), cell(p(phone))], [cell("メールアドレス"), cell(p(mail))]]
    header = _docx_header().replace("令和８年１１月２０日", "令和8年(2026年)11月20日")
    return make_docx(header + table(_glyph_cells()) + p("連絡先") + table(contacts), folder / "hyperlinks.docx")


# ------------------------------------------------------------------------------------------ cases

CASES: tuple[Case, ...] = (
    Case("xlsx 元年 format, linked form controls, 「☑ 環境」", "Excel", xlsx_gannen_controls),
    Case("xlsx [DBNum3] 和暦 format", "Excel", xlsx_dbnum_date),
    Case("xlsx date typed as text", "Excel", xlsx_text_date),
    Case("xlsx date typed R8.11.20", "Excel", xlsx_short_text_date),
    Case("xlsx labels merged down several rows", "Excel", xlsx_merged_rows),
    Case("xlsx options listed down, mark after", "Excel", xlsx_vertical_list),
    Case("xlsx options listed down, mark before", "Excel", lambda f: xlsx_vertical_list(f, before=True)),
    Case("xlsx options listed down, ✓ after", "Excel",
         lambda f: _renamed(xlsx_vertical_list(f, mark="✓"), "vertical_tick.xlsx")),
    Case("xlsx 記入例 column outside the print area", "Excel", xlsx_print_area_example),
    Case("xlsx every choice a captioned form control", "Excel", xlsx_field_controls),
    Case("xls (LibreOffice) of the linked controls", "Excel", to_xls(xlsx_gannen_controls, "controls.xls"), True),
    Case("xls (LibreOffice) of the listed options", "Excel", to_xls(xlsx_vertical_list, "vertical.xls"), True),
    Case("docx tables nested in tables", "Word", docx_nested),
    Case("docx form in a text box", "Word", docx_in_text_box),
    Case("docx w14:checkbox cells, both states", "Word", docx_checkbox_cells),
    Case("docx 有/無 drop-down with coded values", "Word", docx_dropdowns),
    Case("docx legacy form-field check boxes", "Word", docx_legacy_boxes),
    Case("docx 和暦 date picker", "Word", docx_date_picker),
    Case("docx 別紙参照 → 別添資料", "Word", docx_attachment),
    Case("docx 別紙１のとおり → 別紙１", "Word", lambda f: docx_attachment(f, "別紙１のとおり", "別紙１")),
    Case("docx cover letter on letterhead", "Word", docx_cover_letter),
    Case("pdf /Rotate 90, portrait box", "PDF", pdf_rotated(90)),
    Case("pdf /Rotate 270, portrait box", "PDF", pdf_rotated(270)),
    Case("pdf /Rotate 90 over content turned 90 (upright)", "PDF", pdf_rotated(90, 90)),
    Case("pdf /Rotate 270 over content turned 270 (upright)", "PDF", pdf_rotated(270, 270)),
    Case("pdf content turned 90, no /Rotate", "PDF", pdf_rotated(0, 90)),
    Case("pdf English labels, /Rotate 90", "PDF", pdf_rotated(90, 0, ENGLISH)),
    Case("pdf English labels, /Rotate 270 upright", "PDF", pdf_rotated(270, 270, ENGLISH)),
    Case("pdf two columns", "PDF", pdf_two_columns(False)),
    Case("pdf two columns, one character per object shuffled", "PDF", pdf_two_columns(True)),
    Case("pdf letterhead on every page", "PDF", pdf_letterhead_every_page()),
    Case("pdf letterhead on every page, shuffled", "PDF", pdf_letterhead_every_page(True)),
    Case("pdf fillable, values only in appearances", "PDF", pdf_fillable_appearances),
    Case("pdf 送付状 with 担当/TEL/E-mail first", "surroundings", pdf_cover_letter),
    Case("pdf company profile first", "surroundings", pdf_profile_first),
    Case("pdf 別紙１のとおり → 「別紙１」", "surroundings", pdf_attachment("別紙１のとおり", "別紙１")),
    Case("pdf 別紙参照 → 「（別紙）」", "surroundings", pdf_attachment("別紙参照", "（別紙）")),
    Case("pdf 別添資料のとおり → 「別添資料」", "surroundings", pdf_attachment("別添資料のとおり", "別添資料")),
    Case("docx 別紙参照 → 「（別紙）」", "surroundings", lambda f: docx_attachment(f, "別紙参照", "（別紙）")),
    # the second batch
    Case("xlsx option buttons for type and 有/無", "Excel", xlsx_radio_buttons),
    Case("xlsx old answer in hidden rows, hidden 記入例 sheet", "Excel", xlsx_hidden_rows_and_example_sheet),
    Case("xlsx 提出日 label, date typed 2026年11月20日", "Excel", xlsx_labelled_text_date),
    Case("docx 連絡先 merged down four rows", "Word", docx_merged_contact_label),
    Case("docx borderless header table", "Word", docx_borderless_header),
    Case("docx options down a column, marks before", "Word", docx_vertical_options),
    Case("docx check boxes drawn ■/□", "Word", docx_custom_checkbox_glyphs),
    Case("pdf ruled grid, レ after each option", "PDF", pdf_ruled_vertical_marks),
    Case("pdf fillable appearances, /Rotate 90", "PDF", pdf_fillable_rotated),
    Case("pdf contacts 担当部署/担当/TEL/E-mail", "PDF", pdf_contact_words_of_letters),
    Case("pdf fillable appearances in a font without Unicode", "PDF", lambda f: pdf_fillable_appearances(f, False)),
    Case("pdf two columns, /Rotate 90 upright", "PDF",
         lambda f: write_pdf(f / "two_rot.pdf", two_column_page(), rotate=90, turn=90)),
    Case("pdf English labels shuffled, /Rotate 270", "PDF",
         lambda f: write_pdf(f / "en_shuf.pdf", form_page(labels=ENGLISH), shuffle=True, rotate=270)),
    # the third batch
    Case("xlsx check boxes after their options, date R8.11.20", "Excel", xlsx_controls_after_options),
    Case("pdf printed with gridlines, labels over cells, 〇 before", "PDF", pdf_excel_grid),
    Case("pdf table cut by the page break, letterhead on both", "PDF", pdf_table_across_pages_letterhead,
         expect=(("purpose", "\n".join([T["purpose"]] + [f"{T['purpose']}その{k}。" for k in range(1, 28)])),)),
    # the fourth batch
    Case("xlsx 記入例 column right beside the answers", "Excel", xlsx_example_column_beside),
    Case("pdf each option on a line of its own, no table", "PDF", pdf_options_on_lines),
    Case("pdf phone 「…（直通）」 under a 代表 letterhead", "surroundings", pdf_direct_line,
         expect=(("contact.phone", "0166-74-2233(直通)"),)),  # words in a phone entry are kept (contactvalues)
    Case("pdf e-mail blank, 送付状 behind with E-mail", "surroundings", pdf_blank_email_letter_behind,
         expect=(("contact.email", None),)),
    Case("pdf phone blank under a 代表 letterhead", "surroundings", pdf_blank_phone_letterhead,
         expect=(("contact.phone", None),)),
    Case("pdf contact name blank, 会社概要 with 担当者 first", "surroundings", pdf_blank_name_profile_first,
         expect=(("contact.name", None),)),
    # the fifth batch
    Case("docx 別紙１ a table of its own after a page break", "Word", docx_attachment_table),
    Case("pdf contacts on one line with TEL and E-mail in brackets", "PDF", pdf_contact_in_one_line),
    Case("xlsx 送付状 sheet first, the form's e-mail blank", "surroundings", xlsx_letter_sheet_blank_email,
         expect=(("contact.email", None),)),
    # the sixth batch
    Case("docx contact person in the header, before the title", "Word", docx_contact_in_header),
    Case("pdf 「印」 after the representative, full-width phone and e-mail", "PDF", pdf_seal_mark_and_full_width),
    # the seventh batch
    Case("xlsx e-mail a HYPERLINK formula, date a DATE formula", "Excel", xlsx_hyperlink_formula),
    Case("docx e-mail in a hyperlink, phone in a field, 令和8年(2026年)", "Word", docx_hyperlinks),
    # Word files printed to PDF by LibreOffice
    Case("pdf (LibreOffice) of the form in a text box narrower than its table", "PDF",
         to_xls(docx_table_wider_than_its_text_box, "text_box_narrow.pdf", "pdf"), True),
    Case("pdf (LibreOffice) of tables nested in tables", "PDF", to_xls(docx_nested, "nested.pdf", "pdf"), True),
    Case("pdf (LibreOffice) of w14:checkbox cells", "PDF", to_xls(docx_checkbox_cells, "checkbox_cells.pdf", "pdf"), True),
    Case("pdf (LibreOffice) of options down a column", "PDF",
         to_xls(docx_vertical_options, "vertical_options.pdf", "pdf"), True),
    Case("pdf (LibreOffice) of a cover letter on letterhead", "surroundings",
         to_xls(docx_cover_letter, "cover_letter.pdf", "pdf"), True),
    Case("pdf (LibreOffice) of 別紙１ as a table of its own", "surroundings",
         to_xls(docx_attachment_table, "attachment_table.pdf", "pdf"), True),
    # workbooks printed to PDF by LibreOffice (its date cells too narrow, or their 元年 format unknown to it)
    Case("pdf (LibreOffice) of labels merged down, date cell too narrow (###)", "Excel",
         to_xls(xlsx_merged_rows, "merged_rows.pdf", "pdf"), True),
    Case("pdf (LibreOffice) of options listed down, ✓ after", "Excel",
         to_xls(lambda f: _renamed(xlsx_vertical_list(f, mark="✓"), "vertical_tick.xlsx"), "vertical_tick.pdf", "pdf"),
         True),
    Case("pdf (LibreOffice) of every choice a captioned form control", "Excel",
         to_xls(xlsx_field_controls, "field_controls.pdf", "pdf"), True),
    Case("docx company profile first", "surroundings", docx_profile_first),
    Case("pdf 送付状 + 会社概要 + form + 別紙１, letterhead on each", "surroundings", pdf_everything_around),
)
