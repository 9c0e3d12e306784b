"""The fillable PDF we hand out shows every answer in Japanese, whoever draws it (pypdf, poppler)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kyotei_docs.blankpdf import TEXT_FIELDS, write_blank_pdf
from test_acroform import ANSWERS

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdffonts") is None,
                                reason="poppler-utils (pdftoppm, pdffonts) not installed")
DPI = 72  # one pixel per point: a widget's /Rect is its pixel box


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("blankpdf") / "様式１.pdf"
    write_blank_pdf(path)
    return path


@pytest.fixture(scope="module")
def filled(blank, tmp_path_factory) -> Any:
    """``filled(mode)``: the blank form filled with :data:`ANSWERS` in that way, made once per mode (never changed)."""
    folder, made = tmp_path_factory.mktemp("filled"), {}

    def fill(mode: str) -> Path:
        if mode not in made:
            made[mode] = _fill(blank, folder / f"filled_{mode}.pdf", mode)
        return made[mode]

    return fill


@pytest.fixture(scope="module")
def blank_image(blank) -> Any:
    """The blank form as poppler draws it (drawn once: each filled form is compared with it)."""
    return _render(blank)


def _render(pdf: Path) -> Any:
    from PIL import Image

    out = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", str(pdf), str(out)],
                   check=True, capture_output=True, timeout=120)
    return Image.open(out.with_suffix(".png")).convert("L")


def _ink(image, rect, height: float) -> int:
    x0, y0, x1, y1 = (float(v) for v in rect)
    box = (int(x0) + 2, int(height - y1) + 2, int(x1) - 2, int(height - y0) - 2)
    return sum(image.crop(box).histogram()[:110])


def _widgets(pdf: Path) -> dict[str, tuple]:
    from pypdf import PdfReader

    from pdfbuild import _annots

    return {str(a.get_object()["/T"]): tuple(a.get_object()["/Rect"]) for a in _annots(PdfReader(str(pdf)))}


def _fill(blank: Path, out: Path, mode: str) -> Path:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

    from pdfbuild import _annots

    writer = PdfWriter(clone_from=PdfReader(str(blank)))
    texts = {k: v for k, v in ANSWERS.items() if isinstance(v, str)}
    ticks = {k: "/Yes" for k, v in ANSWERS.items() if v is True}
    if mode == "viewer":  # values only, the viewer draws them (NeedAppearances)
        for ref in _annots(writer):
            annot = ref.get_object()
            name = str(annot["/T"])
            if name in texts:
                annot[NameObject("/V")] = TextStringObject(texts[name])
                del annot["/AP"]
            elif name in ticks:
                annot[NameObject("/V")] = NameObject("/Yes")
                annot[NameObject("/AS")] = NameObject("/Yes")
        acro = writer._root_object["/AcroForm"].get_object()
        assert isinstance(acro, DictionaryObject)
        acro[NameObject("/NeedAppearances")] = BooleanObject(True)
    else:
        writer.update_page_form_field_values(writer.pages[0], {**texts, **ticks},
                                             auto_regenerate=mode == "regenerate")
    writer.write(out)
    return out


@pytest.mark.parametrize("mode", ["regenerate", "appearances", "viewer"])
def test_every_answer_is_visible_when_the_form_is_filled(blank, blank_image, filled, mode):
    before, after = blank_image, _render(filled(mode))
    height = before.size[1]
    for name, rect in _widgets(blank).items():
        answered = isinstance(ANSWERS.get(name), str) or ANSWERS.get(name) is True
        gained = _ink(after, rect, height) - _ink(before, rect, height)
        if answered:
            assert gained > (40 if name in TEXT_FIELDS else 8), (mode, name, gained)
        else:
            assert gained == 0, (mode, name, gained)


def test_labels_and_the_field_font_are_embedded(filled):
    lines = subprocess.run(["pdffonts", str(filled("regenerate"))], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    fonts = {line.split()[0]: line.split() for line in lines[2:]}
    assert any("IPAexMincho" in name and row[-5] == "yes" for name, row in fonts.items())  # the labels
    assert any("IPAexGothic" in name and row[-5] == "yes" for name, row in fonts.items())  # the answers
    japanese = [name for name in fonts if "Heisei" in name or "Mincho" in name or "Gothic" in name]
    assert all(fonts[name][-5] == "yes" for name in japanese)


def test_no_field_is_required(blank):
    from pypdf import PdfReader

    for name, field in (PdfReader(str(blank)).get_fields() or {}).items():
        assert not int(field.get("/Ff", 0)) & 2, name


def test_the_notes_follow_the_city_comma(tmp_path):
    import pdfplumber

    path = tmp_path / "touten.pdf"
    write_blank_pdf(path, comma="、")
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[0].extract_text()
    assert "，" not in text and "について、次のとおり" in text
