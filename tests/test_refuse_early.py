"""What is plainly not Form 1 is refused from its own text, before the costly part of reading it.

The files are those of ``bench/foreign.py`` (the shapes that were slow: a drawing of
51,000 path operations, a scan, a first page heavy for pdfplumber, a fillable tax
form, a letter as .rtf/.odt/.doc).  Each test asserts what the reader did *not* do
— lay out a page, match a fillable form's fields, start LibreOffice — so it fails
if the early test is skipped, whatever the machine's speed (the times are measured
by ``bench/bench_refuse.py``).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench import foreign
from kyotei_docs.errors import UnreadableError
from kyotei_docs.readers import pdf as pdf_reader
from kyotei_docs.readers.ocr import tesseract_available
from kyotei_docs.readers.pdf import read_pdf_unlimited

ROOT = Path(__file__).resolve().parent.parent


def _never(what: str):
    def fail(*args, **kw):
        raise AssertionError(f"{what} ran for a file the first page's text already refuses")
    return fail


@pytest.fixture
def no_layout(monkeypatch):
    """Neither our layout, nor the fields matched to it, nor pdfplumber's objects of a page (``page.chars``
    builds every curve and rect of it: 9–13 s and 323 MB for the drawing)."""
    import pdfplumber.page

    from kyotei_docs.readers import acroform

    monkeypatch.setattr(pdf_reader, "layout_page", _never("the layout"))
    monkeypatch.setattr(acroform, "blocks", _never("acroform.blocks"))
    monkeypatch.setattr(pdfplumber.page.Page, "objects", property(_never("pdfplumber's page objects")))


def _refused(path: Path) -> str:
    with pytest.raises(UnreadableError) as info:
        read_pdf_unlimited(str(path), form1_only=True)
    return info.value.code


@pytest.mark.parametrize("make", [foreign.drawing_pdf, foreign.heavy_first_page_pdf, foreign.fillable_tax_form_pdf],
                         ids=["51000-path-operations", "heavy-first-page", "fillable-tax-form"])
def test_a_pdf_that_is_not_form1_is_refused_before_any_layout(tmp_path, no_layout, make):
    assert _refused(make(tmp_path / "f.pdf")) == "not_form1"


def test_the_drawing_is_read_only_up_to_the_cap_of_operations(tmp_path):
    import pdfplumber

    with pdfplumber.open(foreign.drawing_pdf(tmp_path / "d.pdf")) as pdf:
        text, capped = pdf_reader.probe_text(pdf.pages[0])
        assert capped and text.startswith("Site plan")
        text, capped = pdf_reader.probe_text(pdf.pages[0], limit=10**6)
        assert not capped and text == "Site plan, sheet 3 of 12"


def test_a_scan_is_still_named_a_scan(tmp_path):
    assert _refused(foreign.scanned_pdf(tmp_path / "s.pdf", dpi=100)) == "scanned_pdf"


@pytest.mark.parametrize("sample", ["12_pdf_typed_glyphs.pdf", "16_fillable_pdf.pdf", "40_acrobat_fillable_pdf.pdf",
                                    "44_pdf_circled_options.pdf"])
def test_form1_pdfs_still_go_on_to_the_full_read(sample):
    doc = read_pdf_unlimited(str(ROOT / "samples" / sample), form1_only=True)
    assert doc.blocks


@pytest.mark.parametrize("make", [foreign.letter_rtf, foreign.letter_odt], ids=["rtf", "odt"])
def test_a_letter_as_rtf_or_odt_is_refused_without_libreoffice(tmp_path, make):
    """No mark: the suite's guard fails this test if LibreOffice is started at all."""
    from kyotei_docs.pipeline import read_proposal

    path = make(tmp_path / f"letter.{make.__name__.rsplit('_', 1)[1]}")
    with pytest.raises(UnreadableError) as info:
        read_proposal(path)
    assert info.value.code == "not_form1"


@pytest.mark.libreoffice
def test_a_letter_as_doc_is_refused_without_libreoffice_and_a_form1_doc_is_read(tmp_path, monkeypatch):
    from kyotei_docs import office
    from kyotei_docs.pipeline import read_proposal
    from pdfbuild import docx_to

    letter = foreign.letter_doc(tmp_path / "letter.doc")  # LibreOffice makes the .doc (a real Word binary)
    form1 = docx_to(ROOT / "samples" / "01_content_controls.docx", "doc", tmp_path / "out")
    real = office.convert
    monkeypatch.setattr(office, "convert", _never("LibreOffice"))
    with pytest.raises(UnreadableError) as info:
        read_proposal(letter)
    assert info.value.code == "not_form1"
    monkeypatch.setattr(office, "convert", real)
    assert read_proposal(form1).organization.name


def test_rtf_text_leaves_out_control_words_and_groups_that_are_not_text(tmp_path):
    from kyotei_docs.readers.legacy import _rtf_text

    rtf = (rb"{\rtf1\ansi\ansicpg932{\fonttbl{\f0 MS Mincho;}}{\colortbl;\red0\green0\blue0;}"
           rb"{\*\generator Word;}\pard\f0\fs21 \u36899?\u25658?\'82\'a0 Form\par {\b bold}\~x}")
    path = tmp_path / "probe.rtf"
    path.write_bytes(rtf)
    text = _rtf_text(path)
    assert text.replace(" ", "") == "連携あFormboldx" and "Mincho" not in text and "Word" not in text


def test_the_row_rule_index_finds_what_pairing_every_rule_found():
    """The banded index (linear in the rules) against the pairwise test it replaced, on random rules."""
    rng = random.Random(5)

    def crosses(v: dict, h: dict) -> bool:
        x, y = float(v["x0"]), float(h["top"])
        return float(h["x0"]) + 3 < x < float(h["x1"]) - 3 and float(v["top"]) - 1 <= y <= float(v["bottom"]) + 1

    for _ in range(30):
        vs, hs = [], []
        for _ in range(rng.randint(0, 60)):
            x, top = rng.uniform(0, 600), rng.uniform(0, 800)
            vs.append({"x0": x, "x1": x, "top": top, "bottom": top + rng.uniform(3, 300)})
        for _ in range(rng.randint(0, 60)):
            x0, y = rng.uniform(0, 600), round(rng.uniform(0, 800))
            hs.append({"x0": x0, "x1": x0 + rng.uniform(3, 400), "top": y, "bottom": y})
        index = pdf_reader._VerticalIndex(vs)
        assert [index.crosses(h) for h in hs] == [any(crosses(v, h) for v in vs) for h in hs]
        top, bottom = sorted((rng.uniform(0, 800), rng.uniform(0, 800)))
        assert index.overlapping(top, bottom) == [v for v in vs if v["top"] <= bottom and v["bottom"] >= top]


def test_a_page_of_thousands_of_rules_is_not_searched_for_tables():
    class Page:
        edges = [{"x0": i % 500, "x1": i % 500 + 100, "top": i / 10, "bottom": i / 10, "orientation": "h"}
                 for i in range(pdf_reader.MAX_TABLE_EDGES + 1)]

        def find_tables(self, settings):
            raise AssertionError("tables searched")

    assert pdf_reader.table_cells(Page(), []) == []



# --- scans: the cheap look before OCR (readers/ocr.py may_be_form1) ---

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="needs tesseract with jpn data")


def _blank_scan(seed: int = 5):
    """An A4 sheet at 150 dpi as a scanner gives a blank one: off-white, a little grain, some dust."""
    from PIL import Image

    rng = random.Random(seed)
    page = Image.new("RGB", (1240, 1754), (246, 245, 240))
    for _ in range(300):  # dust and grain: single pixels a little darker than the paper
        page.putpixel((rng.randrange(1240), rng.randrange(1754)), (200, 200, 195))
    return page


def _form1_page(dpi: int = 150):
    from scanbuild import render

    return render(ROOT / "samples" / "12_pdf_typed_glyphs.pdf", dpi=dpi)


def _pdf_of(images: list, path: Path, dpi: int = 150) -> Path:
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path


def _look(path: Path) -> bool:
    import pdfplumber

    from kyotei_docs.readers.ocr import may_be_form1

    with pdfplumber.open(path) as pdf:
        return may_be_form1(pdf.pages)


def test_the_look_finds_no_marks_on_a_blank_sheet_or_a_lone_seal_and_marks_on_a_faint_page():
    from PIL import Image, ImageDraw

    from kyotei_docs.readers.ocr import _look_image

    assert _look_image(_blank_scan()) is None
    sealed = _blank_scan()
    ImageDraw.Draw(sealed).ellipse((900, 300, 1100, 500), outline=(200, 30, 40), width=12)  # red ink: paper in the look
    assert _look_image(sealed) is None
    faint = Image.new("L", (1240, 1754), 238)
    ImageDraw.Draw(faint).text((100, 100), "連携協定に関する提案書\n" * 20, fill=160, font_size=40)  # a pale scan's grey print
    assert _look_image(faint) is not None


@needs_tesseract
def test_a_blank_scan_is_refused_as_not_form1_without_starting_tesseract(tmp_path, monkeypatch):
    from kyotei_docs.readers import ocr

    monkeypatch.setattr(ocr, "_start_tesseract", _never("Tesseract"))
    scan = _pdf_of([_blank_scan(), _blank_scan(6)], tmp_path / "blank.pdf")
    with pytest.raises(UnreadableError) as info:
        read_pdf_unlimited(str(scan), "auto", 20, 300.0, 32, True)
    assert info.value.code == "not_form1"


@needs_tesseract
@pytest.mark.slow
def test_a_blank_sheet_before_form1_is_passed_over_not_the_file_refused(tmp_path):
    assert _look(_pdf_of([_blank_scan(), _form1_page()], tmp_path / "blank_then_form1.pdf"))


@pytest.fixture(scope="module")
def office_scan() -> Iterator[Callable[[str], Any]]:
    """``office_scan(sample)``: the sample as an office scanner gives it (300 dpi, seals, noise, JPEG), made
    once in this file (~3 s of CPU each) and turned by each test as it was fed."""
    from scanbuild import scanned

    made: dict[str, Any] = {}

    def scan(sample: str) -> Any:
        if sample not in made:
            made[sample] = scanned(ROOT / "samples" / sample)
        return made[sample]

    yield scan
    made.clear()


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("turn", [0, 180])
def test_an_office_scan_of_form1_with_seals_and_noise_passes_the_look(tmp_path, turn, office_scan):
    """The look reads the red channel: the 角印 and 丸印 over the name vanish, the title stays."""
    page = office_scan("44_pdf_circled_options.pdf").rotate(turn, expand=True)
    assert _look(_pdf_of([page], tmp_path / f"scan{turn}.pdf", 300))


@pytest.fixture(scope="module")
def report_photo(tmp_path_factory) -> Path:
    """A phone photo of a traffic report (not Form 1), made once for the refusal tests (~1 s of CPU)."""
    return foreign.report_photo_jpg(tmp_path_factory.mktemp("report") / "report_photo.jpg")


@needs_tesseract
@pytest.mark.slow
def test_a_scan_of_speckle_and_a_photo_of_a_report_are_refused_with_the_japanese_message_and_exit_code(tmp_path,
                                                                                                   report_photo):
    from conftest import json_lines, run_cli
    from kyotei_docs.exitcodes import ExitCode

    res = run_cli("check", "--json", str(foreign.scanned_pdf(tmp_path / "speckle.pdf")), str(report_photo))
    assert res.returncode == ExitCode.UNREADABLE and "Traceback" not in res.stderr, res.stderr
    errors = {o["file"]: o["error"] for o in json_lines(res.stdout)}
    assert set(errors) == {"speckle.pdf", "report_photo.jpg"}
    for error in errors.values():
        assert error["code"] == "not_form1"
        assert error["message"].startswith("様式１（連携協定に関する提案書）ではないようです")


class _Reached(Exception):
    """The full read began."""


def _reached(*args, **kw):
    raise _Reached


@needs_tesseract
@pytest.mark.slow
def test_a_photo_of_a_report_is_refused_before_any_page_is_read_and_a_photo_of_form1_is_read(report_photo, monkeypatch,
                                                                                            shared_cli):
    """A photo was read in full (a minute of OCR, 12 s of CPU) before the extractor found it was not Form 1."""
    from conftest import json_lines
    from kyotei_docs.exitcodes import ExitCode
    from kyotei_docs.readers import ocr
    from kyotei_docs.readers.image import read_image_unlimited

    monkeypatch.setattr(ocr, "layout_image", _reached)
    with pytest.raises(UnreadableError) as info:
        read_image_unlimited(str(report_photo), form1_only=True)
    assert info.value.code == "not_form1"
    # the phone photo of Form 1 (stored sideways, an EXIF tag) passes the same look and is read in full: `kyotei
    # check` reads for the extractor (form1_only); the session's one reading of it (tests/test_ocr_images.py's too)
    res = shared_cli("check", "--json", "--explain", str(ROOT / "samples" / "47_phone_photo.jpg"))
    assert res.returncode == ExitCode.FINDINGS, res.stderr
    [result] = json_lines(res.stdout)
    assert "error" not in result and result["proposal"]["organization"]["name"]


@pytest.mark.parametrize("sample", ["12_pdf_typed_glyphs.pdf", "44_pdf_circled_options.pdf", "16_fillable_pdf.pdf"])
def test_the_lines_of_a_form1_page_run_across_it_upright_and_down_it_on_its_side(sample):
    from kyotei_docs.readers.ocr import _lines_run_down, _look_image
    from scanbuild import render

    page = render(ROOT / "samples" / sample, dpi=100)
    judged = {turn: _lines_run_down(_look_image(page.rotate(turn, expand=True) if turn else page))
              for turn in (0, 90, 180, 270)}
    assert judged == {0: False, 90: True, 180: False, 270: True}


def test_a_page_of_print_or_speckle_lying_as_printed_is_not_taken_for_one_on_its_side(tmp_path):
    import pdfplumber

    from kyotei_docs.readers.ocr import _lines_run_down, _look_image

    for made in (foreign.scanned_pdf(tmp_path / "s.pdf", dpi=100), foreign.scanned_report_pdf(tmp_path / "r.pdf", dpi=100)):
        with pdfplumber.open(made) as pdf:
            assert not _lines_run_down(_look_image(pdf.pages[0].to_image(resolution=100).original))


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("turn", [90, 270])
def test_a_form1_scan_fed_sideways_passes_the_look(tmp_path, turn, office_scan):
    """It was refused as not Form 1 (the look read it only as it lay and turned over)."""
    page = office_scan("12_pdf_typed_glyphs.pdf").rotate(turn, expand=True)
    assert _look(_pdf_of([page], tmp_path / f"scan{turn}.pdf", 300))


@needs_tesseract
@pytest.mark.slow
def test_a_form1_scan_fed_sideways_is_read_in_full(tmp_path):
    from conftest import run_cli
    from kyotei_docs.exitcodes import ExitCode

    scan = _pdf_of([_form1_page(200).rotate(90, expand=True)], tmp_path / "sideways.pdf", 200)
    res = run_cli("parse", "--json", str(scan))
    assert res.returncode != ExitCode.UNREADABLE, res.stderr
    said = json.loads(res.stdout)
    assert said["organization"]["name"] == "北嶺防災サービス株式会社" and said["agreement_type"] == "individual"
