"""The LibreOffice runner, for real: batch conversion, verification, no overwriting, fonts."""

from __future__ import annotations

import subprocess

import pytest

from docxbuild import Xml, make_docx, p
from kyotei_docs.office import convert

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def test_batch_converts_and_never_overwrites(tmp_path):
    a = make_docx(p("第１条　甲及び乙は協力する。"), tmp_path / "a.docx")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a document")
    out = tmp_path / "out"
    out.mkdir()
    existing = out / "a.pdf"
    existing.write_bytes(b"staff's own file")
    result = convert([a, broken], "pdf", out, timeout=60)
    assert existing.read_bytes() == b"staff's own file"
    made = result.outputs[a]
    assert made.name == "a(2).pdf" and made.read_bytes().startswith(b"%PDF")
    # a file soffice could not load is a failure even though soffice exits 0
    assert broken in result.failures and broken not in result.outputs
    assert not list(out.glob(".kyotei-convert-*"))  # the scratch folder is gone


def test_mincho_maps_to_an_embedded_serif_font(tmp_path):
    mincho_run = Xml('<w:r><w:rPr><w:rFonts w:eastAsia="ＭＳ 明朝"/><w:lang w:eastAsia="ja-JP"/></w:rPr>'
                     '<w:t>旭川市長</w:t></w:r>')
    doc = make_docx(p(mincho_run), tmp_path / "m.docx")
    pdf = convert([doc], "pdf", tmp_path / "out").outputs[doc]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    mincho = [line for line in fonts.splitlines() if "Mincho" in line]
    assert mincho and all(" yes " in line for line in mincho)  # a Mincho face, embedded
