"""The one symbol table: a symbol means the same in a .docx, in its PDF and in a hand-made PDF."""

from __future__ import annotations

import pytest

from docxbuild import Xml, make_docx, p, sym
from kyotei_docs import symbols
from kyotei_docs.form import Box
from kyotei_docs.readers import read_form
from pdfbuild import docx_to, one_page


@pytest.mark.parametrize("name, table", [("Wingdings", symbols.WINGDINGS), ("Wingdings 2", symbols.WINGDINGS_2),
                                         ("Webdings", symbols.WEBDINGS)])
def test_a_code_table_never_contradicts_the_glyph_it_shows(name, table):
    for code, (checked, glyph) in table.items():
        state = symbols.glyph_state(glyph)
        assert state is None or state == checked, (name, hex(code), glyph)
        assert symbols.symbol(name, code) == (checked, glyph)
        assert symbols.symbol(name, 0xF000 + code) == (checked, glyph)


def test_font_names_as_pdfs_and_word_write_them():
    assert symbols.table_for("ABCDEF+Wingdings-Regular") is symbols.WINGDINGS
    assert symbols.table_for("Wingdings 2") is symbols.WINGDINGS_2
    assert symbols.table_for("BCDEEE+Wingdings2") is symbols.WINGDINGS_2
    assert symbols.table_for("Webdings,Regular") is symbols.WEBDINGS
    assert symbols.table_for("IPAexMincho") is None
    # a private-use code in a font that is no symbol font (LibreOffice writes OpenSymbol) is Wingdings
    assert symbols.symbol("CAAAAA+OpenSymbol", 0xF06C) == (True, "●")
    assert symbols.symbol("IPAexGothic", 0xF052) == (True, "☑")  # only Wingdings 2 has a box there
    assert symbols.symbol("Symbol", 0xF06C) is None  # λ in the Symbol font, no mark
    assert symbols.symbol("IPAexGothic", ord("l")) is None


def _states(doc) -> list[bool]:
    return [piece.checked for block in doc.blocks for piece in block.pieces() if isinstance(piece, Box)]


@pytest.mark.libreoffice
def test_wingdings_marks_read_alike_in_a_docx_and_in_its_pdf(tmp_path):
    body = Xml("".join([
        p(sym("Wingdings", "F06C"), "災害対策　", sym("Wingdings", "F0A1"), "環境"),
        p(sym("Wingdings 2", "F052"), "教育・文化・スポーツ　", sym("Wingdings 2", "F0A3"), "観光・魅力発信"),
        p(sym("Wingdings", "F0FE"), "子育て　", sym("Wingdings", "F0A8"), "人材育成"),
    ]))
    docx = make_docx(body, tmp_path / "sym.docx")
    pdf = docx_to(docx, "pdf", tmp_path)
    expected = [True, False, True, False, True, False]
    assert _states(read_form(docx)) == expected
    assert _states(read_form(pdf)) == expected


def test_a_symbol_font_in_a_hand_made_pdf(tmp_path):
    # Word's own PDF export names the font and writes the one-byte code: 'l' is ● in Wingdings
    font = (b"<< /Type /Font /Subtype /TrueType /BaseFont /Wingdings-Regular /FirstChar 32 /LastChar 255"
            b" /FontDescriptor 7 0 R >>")
    desc = (b"<< /Type /FontDescriptor /FontName /Wingdings-Regular /Flags 4 /FontBBox [0 -210 1359 899]"
            b" /ItalicAngle 0 /Ascent 899 /Descent -210 /CapHeight 719 /StemV 80 >>")
    latin = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    content = (b"BT /W 10.5 Tf 70 760 Td (l) Tj ET BT /H 10.5 Tf 84 760 Td (Option A) Tj ET\n"
               b"BT /W 10.5 Tf 200 760 Td (\xa8) Tj ET BT /H 10.5 Tf 214 760 Td (Option B) Tj ET\n"
               b"BT /H 10.5 Tf 70 740 Td (l is a letter here) Tj ET\n")
    f = tmp_path / "wd.pdf"
    f.write_bytes(one_page(content, b"<< /Font << /W 5 0 R /H 6 0 R >> >>", [font, latin, desc]))
    doc = read_form(f)
    assert _states(doc) == [True, False]
    assert "l is a letter here" in doc.text


@pytest.mark.libreoffice
def test_a_private_use_symbol_in_a_stand_in_font_is_a_doubt(tmp_path):
    """A PUA code typed in a Wingdings run, printed by LibreOffice without Wingdings: drawn in a fallback font."""
    from docxbuild import run
    from kyotei_docs.pipeline import read_proposal

    body = Xml("".join([
        p("連携協定の種別　", run("\uf0fe", font="Wingdings"), "包括連携協定"),
        p("連携の分野　", sym("Wingdings", "F0FE"), "環境　", sym("Wingdings", "F0FE"), "子育て"),
        p("企業等名称：株式会社代替"),
    ]))
    pdf = docx_to(make_docx(body, tmp_path / "pua.docx"), "pdf", tmp_path)
    got = read_proposal(pdf)
    assert got.agreement_type == "comprehensive" and got.fields == ["環境", "子育て"]
    # drawn as a stand-in glyph (the same for ☑ and ☐): read as coded, and a person compares
    assert got.doubts and {d.code for d in got.doubts} == {"review_mark_conflict"}
    assert "agreement_type" in {d.field for d in got.doubts}
