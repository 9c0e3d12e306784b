"""The blank Form 1 (様式１, 連携協定に関する提案書) as a fillable Word document.

The guideline's Form 1 is a plain Word table: applicants tick boxes however
their Word lets them (typed ☑, Insert ▸ Symbol, legacy fields...), which is
why reading submissions is hard. The form we hand out instead uses content
controls: each answer sits in a ``w:sdt`` whose ``w:tag`` says what it holds
(``kyotei:organization.name``, ``kyotei:field.環境``...), so a reader can take
answers by tag instead of guessing from layout. The layout itself stays the
guideline's (section 7 (1)), so staff and applicants recognise it.

:func:`fill_form` fills such a form by tag. The tool itself never needs it;
it exists so that samples and tests are real filled copies of this form.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from .vocab import FIELDS, OTHER

TAG_PREFIX = "kyotei:"

MINCHO = "ＭＳ 明朝"
"""Exact East-Asian font name: the only spelling LibreOffice maps to a serif face."""

CHECKBOX_FONT = "MS Gothic"
CHECKED_GLYPH = "☑"  # U+2611
UNCHECKED_GLYPH = "☐"  # U+2610

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main", "w14": W14}

_PLACEHOLDER_COLOR = "808080"
_BLANK = "　" * 10
"""Placeholder for inline blanks (主軸分野, その他): prints as the guideline's empty parentheses."""

# Grid (twips) of the one table: 連絡先 | contact label | value. Upper rows span
# the first two columns with their label. A4 minus 25 mm margins = 9070 twips.
_GRID = (567, 1985, 6518)
_FIELD_TABS = (2350, 4500)
"""Tab stops laying the 11 fields out three to a line, as the guideline prints them.

At :data:`FIELD_OPTION_SIZE` the widest option of each column with its box
(「☐地域活性化・まちづくり」 12 characters, 「☐教育・文化・スポーツ」 11,
「☐土木建設維持管理」 9) ends at least half a character before the next column
and the last inside the cell."""
FIELD_OPTION_SIZE = 9.0


# ------------------------------------------------------------ content controls


def tag(name: str) -> str:
    """The full w:tag value for ``name`` (``organization.name`` -> ``kyotei:organization.name``)."""
    return name if name.startswith(TAG_PREFIX) else TAG_PREFIX + name


def _fonts(font: str) -> str:
    f = quoteattr(font)
    return f'<w:rFonts w:ascii={f} w:eastAsia={f} w:hAnsi={f} w:hint="eastAsia"/>'


def _text_runs(text: str, rpr: str = "") -> str:
    """Runs for ``text``; a newline becomes w:br, which is how Word stores multi-line controls."""
    lines = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(x)}</w:t>' for x in text.split("\n"))
    return f"<w:r>{rpr}{lines}</w:r>"


def _sdt_identity(tag_name: str | None, alias: str | None, sdt_id: int) -> str:
    """w:alias, w:tag, w:id; a form made elsewhere may have untagged controls, so both are optional."""
    out = f"<w:alias w:val={quoteattr(alias)}/>" if alias else ""
    out += f"<w:tag w:val={quoteattr(tag(tag_name))}/>" if tag_name else ""
    return out + f'<w:id w:val="{sdt_id}"/>'


def checkbox_sdt_xml(
    tag_name: str | None, alias: str | None, checked: bool = False, sdt_id: int = 0
) -> str:
    """An inline w14:checkbox content control (prefixes w:/w14:, declarations left to the caller)."""
    rpr = f"<w:rPr>{_fonts(CHECKBOX_FONT)}</w:rPr>"
    glyph = CHECKED_GLYPH if checked else UNCHECKED_GLYPH
    return (
        f"<w:sdt><w:sdtPr>{rpr}{_sdt_identity(tag_name, alias, sdt_id)}"
        f'<w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
        f'<w14:checkedState w14:val="{ord(CHECKED_GLYPH):04X}" w14:font="{CHECKBOX_FONT}"/>'
        f'<w14:uncheckedState w14:val="{ord(UNCHECKED_GLYPH):04X}" w14:font="{CHECKBOX_FONT}"/>'
        f"</w14:checkbox></w:sdtPr><w:sdtContent>{_text_runs(glyph, rpr)}</w:sdtContent></w:sdt>"
    )


def text_sdt_xml(
    tag_name: str | None,
    alias: str | None,
    value: str | None = None,
    *,
    placeholder: str = "",
    multiline: bool = False,
    sdt_id: int = 0,
) -> str:
    """An inline plain-text content control.

    With ``value=None`` it shows ``placeholder`` flagged by w:showingPlcHdr, the
    way Word marks "nothing entered yet": a reader must then report no value.
    """
    showing = value is None
    text = placeholder if value is None else value
    rpr = f'<w:rPr><w:color w:val="{_PLACEHOLDER_COLOR}"/></w:rPr>' if showing else ""
    multi = ' w:multiLine="1"' if multiline else ""
    return (
        f"<w:sdt><w:sdtPr>{_sdt_identity(tag_name, alias, sdt_id)}"
        f"{'<w:showingPlcHdr/>' if showing else ''}<w:text{multi}/></w:sdtPr>"
        f"<w:sdtContent>{_text_runs(text, rpr)}</w:sdtContent></w:sdt>"
    )


class _Builder:
    """Appends content controls to python-docx paragraphs, numbering their w:id."""

    def __init__(self) -> None:
        self._next_id = 1000

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    @staticmethod
    def _append(paragraph: Paragraph, xml: str) -> None:
        paragraph._p.append(parse_xml(xml.replace("<w:sdt>", f"<w:sdt {nsdecls('w', 'w14')}>", 1)))

    def checkbox(self, paragraph: Paragraph, tag_name: str, alias: str) -> None:
        self._append(paragraph, checkbox_sdt_xml(tag_name, alias, sdt_id=self._id()))

    def text(
        self, paragraph: Paragraph, tag_name: str, alias: str, placeholder: str, multiline: bool = False
    ) -> None:
        xml = text_sdt_xml(
            tag_name, alias, placeholder=placeholder, multiline=multiline, sdt_id=self._id()
        )
        self._append(paragraph, xml)


# ------------------------------------------------------------------ page setup


def _setup_document(doc: DocxDocument) -> None:
    """A4, Japanese defaults: without w:lang eastAsia LibreOffice renders Gothic everywhere."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    section.left_margin = section.right_margin = Mm(25)
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), "Century")
    fonts.set(qn("w:hAnsi"), "Century")
    fonts.set(qn("w:eastAsia"), MINCHO)
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "ja-JP")
    rpr.find(qn("w:sz")).set(qn("w:val"), "21")
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(0), 1.0
    _check_w14_ignorable(doc)


def _check_w14_ignorable(doc: DocxDocument) -> None:
    """w14 elements are only safe for older readers when w14 is declared and mc:Ignorable.

    python-docx's default template does both; fail loudly should that change.
    """
    root = doc.element
    ignorable = root.get(f"{{{MC}}}Ignorable", "").split()
    if root.nsmap.get("w14") != W14 or "w14" not in ignorable:
        raise RuntimeError("python-docx template no longer declares w14 as ignorable")


def _para(doc_or_cell: DocxDocument | _Cell, text: str = "", *, size: float | None = None,
          align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:
    paragraph = doc_or_cell.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _first_para(cell: _Cell, text: str = "", size: float | None = None) -> Paragraph:
    """The cell's existing empty paragraph, so cells carry no stray blank line."""
    paragraph = cell.paragraphs[0]
    if text:
        run = paragraph.add_run(text)
        if size:
            run.font.size = Pt(size)
    return paragraph


# ---------------------------------------------------------------------- header


def _write_header(doc: DocxDocument, b: _Builder, comma: str) -> None:
    _para(doc, "（様式１）")
    date = _para(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
    b.text(date, "submitted_on", "提出日", "令和　　年　　月　　日")
    _para(doc)
    _para(doc, "旭川市長　様")
    _para(doc)
    for label, name, alias in (
        ("所 在 地：", "organization.address", "所在地"),
        ("企業等名称：", "organization.name", "企業等名称"),
        ("代表者氏名：", "organization.representative", "代表者氏名"),
    ):
        line = _para(doc, label)
        line.paragraph_format.left_indent = Mm(75)
        b.text(line, name, alias, f"{alias}を入力")
    _para(doc)
    title = _para(doc, "連携協定に関する提案書", size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.runs[0].bold = True
    _para(doc)
    _para(doc, f"連携協定に係る連携内容等について{comma}次のとおり提案します。")
    _para(doc, "※別紙企画書等の添付も可。", align=WD_ALIGN_PARAGRAPH.RIGHT)


# ----------------------------------------------------------------------- table


def _label(cell: _Cell, title: str, note: str = "") -> None:
    """A label cell; a newline in ``title`` or ``note`` is a line break where a word ends.

    The breaks are explicit so no viewer wraps a label inside a word
    (「連携により期待される効／果」): each line fits the cell at its size.
    """
    _first_para(cell, title)
    if note:
        paragraph = _para(cell)
        for k, part in enumerate(note.split("\n")):
            if k:
                paragraph.add_run().add_break()
            for chunk in _glyph_chunks(part):
                run = paragraph.add_run(chunk)
                run.font.size = Pt(8)
                if chunk in (CHECKED_GLYPH, UNCHECKED_GLYPH):
                    run._r.get_or_add_rPr().insert(0, parse_xml(f"<w:rFonts {nsdecls('w')} "
                                                                f'w:ascii="{CHECKBOX_FONT}" w:eastAsia="{CHECKBOX_FONT}" '
                                                                f'w:hAnsi="{CHECKBOX_FONT}"/>'))
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _glyph_chunks(text: str) -> list[str]:
    """``text`` cut around box glyphs, which print in the checkbox font."""
    out: list[str] = []
    for ch in text:
        if ch in (CHECKED_GLYPH, UNCHECKED_GLYPH) or not out or out[-1] in (CHECKED_GLYPH, UNCHECKED_GLYPH):
            out.append(ch)
        else:
            out[-1] += ch
    return out


def _option(b: _Builder, paragraph: Paragraph, tag_name: str, label: str) -> None:
    b.checkbox(paragraph, tag_name, label)
    paragraph.add_run(label)


def _type_row(b: _Builder, cell: _Cell) -> None:
    line = _first_para(cell)
    _option(b, line, "type.individual", "個別連携協定")
    line.add_run("　　　")
    _option(b, line, "type.comprehensive", "包括連携協定")


def _fields_row(b: _Builder, cell: _Cell) -> None:
    for row_no in range(0, len(FIELDS), 3):
        line = _first_para(cell) if row_no == 0 else _para(cell)
        for stop in _FIELD_TABS:
            line.paragraph_format.tab_stops.add_tab_stop(Twips(stop))
        for i, name in enumerate(FIELDS[row_no : row_no + 3]):
            if i:
                line.add_run("\t")
            _option(b, line, f"field.{name}", name)
    other = _para(cell)
    _option(b, other, f"field.{OTHER}", OTHER)
    other.add_run("（")
    b.text(other, "other_field_text", "その他の分野", _BLANK)
    other.add_run("）")
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(FIELD_OPTION_SIZE)


def _axis_row(b: _Builder, cell: _Cell) -> None:
    present = _first_para(cell)
    _option(b, present, "axis.present", "有")
    present.add_run("　主軸分野（")
    b.text(present, "axis.text", "主軸分野", _BLANK)
    present.add_run("）")
    note = _para(cell, "　　※協定の中心的位置づけとなる分野", size=8)
    note.paragraph_format.space_after = Pt(2)
    _option(b, _para(cell), "axis.absent", "無")


def _free_text_row(b: _Builder, cell: _Cell, tag_name: str, alias: str) -> None:
    b.text(_first_para(cell), tag_name, alias, f"{alias}を入力", multiline=True)


_CONTACT_ROWS = (
    ("部　署　名", "contact.department", "部署名"),
    ("担当者氏名", "contact.name", "担当者氏名"),
    ("電 話 番 号", "contact.phone", "電話番号"),
    ("メールアドレス", "contact.email", "メールアドレス"),
)


def _set_widths(table: Table) -> None:
    """Fixed widths in the grid and in every cell (a merged cell gets the sum it spans).

    LibreOffice lays out from w:tblGrid, Word from the cells' w:tcW: both must agree.
    """
    table.autofit = False
    for col, width in zip(table.columns, _GRID):
        col.width = Twips(width)
    for tr in table._tbl.tr_lst:
        start = 0
        for tc in tr.tc_lst:
            tc.width = Twips(sum(_GRID[start : start + tc.grid_span]))
            start += tc.grid_span


def _min_height(table: Table, row: int, twips: int) -> None:
    table.rows[row].height = Twips(twips)


def _vertical(cell: _Cell) -> None:
    """Write 連絡先 top to bottom, centred, as the guideline prints it.

    In vertical text the paragraph alignment is what centres it down the column.
    """
    direction = OxmlElement("w:textDirection")
    direction.set(qn("w:val"), "tbRlV")
    cell._tc.get_or_add_tcPr().append(direction)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _write_table(doc: DocxDocument, b: _Builder, comma: str) -> None:
    upper = (
        ("連携協定の種別", "該当に☑", lambda c: _type_row(b, c)),
        ("連携の分野", f"※包括連携協定を希望する\n場合{comma}２つ以上選択すること", lambda c: _fields_row(b, c)),
        (
            "主軸分野の有無",
            f"※包括連携協定を希望する\n場合{comma}主軸分野の有無を\n選択し{comma}有の場合はその\n主軸分野を記入すること",
            lambda c: _axis_row(b, c),
        ),
        ("協定締結の目的", "", lambda c: _free_text_row(b, c, "purpose", "協定締結の目的")),
        ("連携により\n期待される効果", "", lambda c: _free_text_row(b, c, "expected_effects", "連携により期待される効果")),
    )
    table = doc.add_table(rows=len(upper) + len(_CONTACT_ROWS), cols=len(_GRID))
    table.style = doc.styles["Table Grid"]
    for i, (title, note, fill) in enumerate(upper):
        label = table.cell(i, 0).merge(table.cell(i, 1))
        _label(label, title, note)
        fill(table.cell(i, 2))
    _min_height(table, 0, 600)
    _min_height(table, 3, 2000)
    _min_height(table, 4, 2000)
    first = len(upper)
    contact = table.cell(first, 0).merge(table.cell(first + len(_CONTACT_ROWS) - 1, 0))
    _first_para(contact, "連絡先")
    _vertical(contact)
    for offset, (label, name, alias) in enumerate(_CONTACT_ROWS):
        _label(table.cell(first + offset, 1), label)
        b.text(_first_para(table.cell(first + offset, 2)), name, alias, f"{alias}を入力")
        _min_height(table, first + offset, 450)
    _set_widths(table)


def write_blank_form(path: Path, comma: str = "，") -> None:
    """Write the blank Form 1 with content controls to ``path``, punctuated with the city's ``comma``."""
    doc = Document()
    _setup_document(doc)
    b = _Builder()
    _write_header(doc, b, comma)
    _write_table(doc, b, comma)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


# --------------------------------------------------------------------- filling


def _controls(doc: DocxDocument) -> dict[str, etree._Element]:
    """Every tagged content control in the body, by its w:tag."""
    found: dict[str, etree._Element] = {}
    for sdt in doc.element.body.iter(qn("w:sdt")):
        tag_el = sdt.find("w:sdtPr/w:tag", _NS)
        if tag_el is not None:
            found[tag_el.get(qn("w:val"))] = sdt
    return found


def _child(el: etree._Element, path: str) -> etree._Element:
    """The element at ``path`` under ``el``; our own controls always have it, so a miss is a bug."""
    found = el.find(path, _NS)
    if found is None:
        raise ValueError(f"content control without {path}")
    return found


def _set_checkbox(sdt: etree._Element, checked: bool) -> None:
    """Set w14:checked and show the glyph (and font) the control declares for that state."""
    box = _child(sdt, "w:sdtPr/w14:checkbox")
    _child(box, "w14:checked").set(f"{{{W14}}}val", "1" if checked else "0")
    state = _child(box, "w14:checkedState" if checked else "w14:uncheckedState")
    glyph = chr(int(state.get(f"{{{W14}}}val", ""), 16))
    _child(sdt, "w:sdtContent//w:t").text = glyph


def _set_text(sdt: etree._Element, value: str) -> None:
    """Replace the control's runs with ``value`` and drop the placeholder flag.

    The placeholder run's grey colour must not stick to the answer, so the new
    run takes its formatting from the control's own w:rPr, if any.
    """
    pr = _child(sdt, "w:sdtPr")
    text_pr = pr.find("w:text", _NS)
    if "\n" in value and (text_pr is None or text_pr.get(qn("w:multiLine")) not in ("1", "true")):
        raise ValueError(f"{_tag_of(sdt)} is a single-line control: {value!r}")
    content = _child(sdt, "w:sdtContent")
    paragraphs = content.findall("w:p", _NS)
    target = paragraphs[0] if paragraphs else content
    for r in list(content.iter(qn("w:r"))):
        parent = r.getparent()
        if parent is not None:
            parent.remove(r)
    rpr = pr.find("w:rPr", _NS)
    rpr_xml = etree.tostring(deepcopy(rpr), encoding="unicode") if rpr is not None else ""
    target.append(parse_xml(_text_runs(value, rpr_xml).replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))
    placeholder = pr.find("w:showingPlcHdr", _NS)
    if placeholder is not None:
        pr.remove(placeholder)


def _tag_of(sdt: etree._Element) -> str:
    return _child(sdt, "w:sdtPr/w:tag").get(qn("w:val"), "")


def fill_form(template: Path, out: Path, values: Mapping[str, str | bool]) -> None:
    """Fill the content controls of ``template`` by tag and save the copy as ``out``.

    ``values`` maps tags (with or without the ``kyotei:`` prefix) to a ``bool``
    for a check box or a ``str`` for a text control. An empty string leaves the
    placeholder, exactly what an applicant who skips a box leaves behind. A tag
    the form does not have raises ``KeyError``, so a typo cannot pass silently.
    """
    doc = Document(str(template))
    controls = _controls(doc)
    for key, value in values.items():
        full = tag(key)
        if full not in controls:
            raise KeyError(f"no content control tagged {full!r}")
        sdt = controls[full]
        is_box = sdt.find("w:sdtPr/w14:checkbox", _NS) is not None
        if is_box != isinstance(value, bool):
            kind = "check box" if is_box else "text control"
            raise TypeError(f"{full} is a {kind}, got {value!r}")
        if isinstance(value, bool):
            _set_checkbox(sdt, value)
        elif value:
            _set_text(sdt, value)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))


def control_tags(path: Path) -> list[str]:
    """The tags of a form's content controls in document order (for tests and docs)."""
    return list(_controls(Document(str(path))))


__all__ = [
    "TAG_PREFIX",
    "checkbox_sdt_xml",
    "control_tags",
    "fill_form",
    "tag",
    "text_sdt_xml",
    "write_blank_form",
]
