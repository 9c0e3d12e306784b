"""Which lines of a PDF wrapped: judged against the real right edge of the page or cell.

A PDF keeps no margins and no paragraph ends.  A line that ran up to the right
edge wrapped and is joined with the next; a short entry 「所在地：旭川市…」
ended where the writer pressed Enter.  When every line on a page is short, the
longest of them is no right edge: each entry must stay its own line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kyotei_docs.pipeline import read_proposal
from kyotei_docs.readers import read_form
from kyotei_docs.readers.layout import Item, PageLayout, TableState, arrange, blocks_of
from pdfbuild import A4, Page, docx_to_all, reportlab_pdf

SIZE = 10.5
#: Word's A4 page: 30 mm margins left and right, 40 characters of 10.5 pt a line
LEFT = 85.05

#: short entries of nearly one length, as a company re-types Form 1 line by line
ENTRIES = [
    "所在地：旭川市緑町１丁目２番３号",
    "企業等名称：株式会社かぐら商事",
    "代表者氏名：代表取締役　神楽一郎",
    "部署名：地域連携推進部",
    "担当者氏名：連絡　太郎",
]


def _items(x: float, top: float, text: str) -> list[Item]:
    return [Item(ch, x + k * SIZE, x + (k + 1) * SIZE, top, top + SIZE, SIZE) for k, ch in enumerate(text)]


def _texts(*lines: tuple[float, float, str], cells: list[tuple[float, float, float, float]] | None = None,
           width: float = A4[0]) -> list[str]:
    """Blocks' texts of one page laid out from positioned characters (no PDF)."""
    items = [it for x, top, text in lines for it in _items(x, top, text)]
    layout = PageLayout(0, width, A4[1], [])
    layout.regions = arrange(items, [cells] if cells else [], TableState(), 0, A4[1], width)
    return [b.text for b in blocks_of([layout], "pdf:text")]


def _entries(top: float = 100.0) -> list[tuple[float, float, str]]:
    return [(LEFT, top + 16 * k, text) for k, text in enumerate(ENTRIES)]


# ---------------------------------------------------------------- the layout seam

def test_a_page_of_short_entries_keeps_each_entry_its_own_line():
    assert _texts(*_entries()) == ENTRIES


def test_a_paragraph_that_reaches_the_right_margin_is_joined():
    full = "連携により期待される効果：市民の健康増進と地域の環境保全を進め、市内事業者と協力"
    assert len(full) == 40
    got = _texts(*_entries(), (LEFT, 190, full), (LEFT, 206, "して取り組む。"))
    assert got == ENTRIES + [full + "して取り組む。"]


def test_a_right_margin_wider_than_the_left_still_joins_a_wrapped_line():
    # the lines wrap after 36 characters: the right margin is four characters wider than the left
    full = "協定締結の目的：市民の健康増進と地域の環境保全を進めるため、市内事業者と"
    assert len(full) == 36
    got = _texts((LEFT, 100, full), (LEFT, 116, "協力する。"), (LEFT, 150, "部署名：総務部"))
    assert got == [full + "協力する。", "部署名：総務部"]


def test_short_lines_in_a_wide_cell_stay_apart_and_a_line_filling_the_cell_joins():
    cell = (LEFT - 5.4, 90.0, A4[0] - LEFT + 5.4, 200.0)
    short = _texts((LEFT, 100, "旭川市緑町１丁目"), (LEFT, 116, "ビル３階"), cells=[cell])
    assert short == ["旭川市緑町１丁目\nビル３階"]
    full = "ア" * 40
    assert _texts((LEFT, 100, full), (LEFT, 116, "イ"), cells=[cell]) == [full + "イ"]


# ---------------------------------------------------------------- PDFs

def _short_entries_page() -> Page:
    page = Page().text(LEFT, 60, "（様式１）").text(LEFT, 76, "令和８年４月１日").text(LEFT, 100, "旭川市長　様")
    for k, text in enumerate(ENTRIES + ["電話番号：0166-12-3456", "連携協定の種別：■包括連携協定",
                                        "連携の分野：■環境　■子育て"]):
        page.text(LEFT, 130 + 16 * k, text)
    return page


def test_a_reportlab_page_of_short_entries_reads_each_value(tmp_path):
    pdf = reportlab_pdf(tmp_path / "short.pdf", _short_entries_page())
    lines = read_form(pdf).text.splitlines()
    for text in ENTRIES:
        assert text in lines
    got = read_proposal(pdf)
    assert got.organization.address == "旭川市緑町１丁目２番３号"
    assert got.organization.name == "株式会社かぐら商事"
    assert got.fields == ["環境", "子育て"]


def _libreoffice_docx(path: Path, paragraphs: list[str]) -> Path:
    """A .docx made with python-docx like Word's Japanese default: A4, 30 mm margins, 10.5 pt,
    single spacing without space after a paragraph; one paragraph per entry."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(30)
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK JP")
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


PURPOSE = ("協定締結の目的：市民の健康増進と地域の環境保全を進めるため、市内の事業者と協力して"
           "健康診断の受診を呼びかけ、食品ロスの削減に取り組み、その成果を市民に広く知らせる。")


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_export_of_short_entries_and_a_wrapped_paragraph(tmp_path):
    """Entries of one short line each stay apart; the long purpose wraps in the PDF and is one line again."""
    paragraphs = ["（様式１）", "旭川市長　様", *ENTRIES, "連携協定の種別：■包括連携協定", "連携の分野：■環境　■子育て"]
    docs = [_libreoffice_docx(tmp_path / "short.docx", paragraphs),
            _libreoffice_docx(tmp_path / "wrapped.docx", [*paragraphs, PURPOSE])]
    short, wrapped = docx_to_all(docs, "pdf", tmp_path / "pdf").values()  # one LibreOffice run
    lines = read_form(short).text.splitlines()
    for text in ENTRIES:
        assert text in lines
    got = read_proposal(short)
    assert got.organization.address == "旭川市緑町１丁目２番３号"
    assert got.organization.name == "株式会社かぐら商事"

    import pdfplumber

    with pdfplumber.open(wrapped) as doc:
        assert PURPOSE not in doc.pages[0].extract_text().splitlines()  # it really wraps in the PDF
    lines = read_form(wrapped).text.splitlines()
    assert PURPOSE in lines
    for text in ENTRIES:
        assert text in lines
