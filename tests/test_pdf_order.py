"""The PDF layout comes from positions, never from storage order, and reads upright however the page is turned.

The same Form 1 is written as a PDF in several ways a print driver or a tool may write it:
in order; one text object per character in random order; with ``/Rotate`` 90/180/270 over
upright content (shown sideways); with content turned by its matrix (a landscape page holding a
portrait form); and both together (shown upright).  Each must read exactly as the plain one.
"""

from __future__ import annotations

import pytest

from kyotei_docs.pipeline import read_proposal
from kyotei_docs.readers.pdf import reading_order
from pdfbuild import Page, write_pdf
from xlsxbuild import excel_printed_page

EXPECTED_ADDRESS = "北海道旭川市緑町１丁目２番３号"


def _form_page() -> Page:
    """A re-typed Form 1: labels and values on lines, the agreement type's mark before its option."""
    page = excel_printed_page(Page())
    page.texts = [t for t in page.texts if t[2] != "■" or t[0] != 313]  # no odd mark: type read from the next line
    page.text(60, 255, "□個別連携協定　■包括連携協定")
    page.texts = [t for t in page.texts if t[2] not in ("個別連携協定", "包括連携協定")]
    return page


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    prop = read_proposal(write_pdf(tmp_path_factory.mktemp("order") / "plain.pdf", _form_page()))
    assert prop.organization.address == EXPECTED_ADDRESS and prop.agreement_type == "comprehensive"
    assert prop.contact.email == "jiro@excel.example.jp" and prop.doubts == []
    return prop.to_json() | {"file": None}


def test_one_text_object_per_character_in_random_order_reads_as_in_order(tmp_path, plain):
    path = write_pdf(tmp_path / "shuffled.pdf", _form_page(), shuffle=True)
    assert read_proposal(path).to_json() | {"file": None} == plain


@pytest.mark.parametrize("rotate, turn", [(90, 0), (180, 0), (270, 0), (0, 90), (0, 180), (0, 270), (90, 90),
                                          (270, 90)])
def test_a_page_turned_by_rotate_or_by_its_content_reads_upright(tmp_path, plain, rotate, turn):
    path = write_pdf(tmp_path / f"r{rotate}t{turn}.pdf", _form_page(), rotate=rotate, turn=turn)
    assert read_proposal(path).to_json() | {"file": None} == plain


def test_turned_and_shuffled_together(tmp_path, plain):
    path = write_pdf(tmp_path / "both.pdf", _form_page(), shuffle=True, rotate=90)
    assert read_proposal(path).to_json() | {"file": None} == plain


def test_the_quick_form1_test_reads_characters_by_position():
    chars = [{"text": t, "x0": x, "top": top, "size": 10} for t, x, top in
             [("協", 20, 100), ("携", 10, 100.5), ("定", 30, 99.8), ("連", 0, 100), ("様", 0, 50)]]
    assert reading_order(chars) == "様\n連携協定"
