"""Options circled on the page (「該当するものを○で囲む」): an ellipse drawn around the chosen words, as Word's
ellipse shape prints to PDF. Built with reportlab: text where a test wants it, ellipses drawn over it."""

from __future__ import annotations

from kyotei_docs.pipeline import read_proposal
from pdfbuild import A4, circled_form

HEIGHT = A4[1]


def test_circled_words_are_the_choices(tmp_path):
    pdf = circled_form(tmp_path / "circled.pdf", circle={"包括連携協定": True, "環境": True, "子育て": True, "有": True})
    p = read_proposal(pdf)
    assert p.agreement_type == "comprehensive" and p.fields == ["環境", "子育て"]
    assert p.axis.present is True and p.axis.field == "環境"
    assert p.sources["agreement_type"] == "pdf:drawn" and p.sources["axis.present"] == "pdf:drawn"


def test_the_other_option_circled_and_a_frame_around_a_heading_is_no_mark(tmp_path):
    pdf = circled_form(tmp_path / "other.pdf", circle={"個別連携協定": True, "災害対策": True, "無": True},
                       frame_heading=True)
    p = read_proposal(pdf)
    assert p.agreement_type == "individual" and p.fields == ["災害対策"] and p.axis.present is False


def test_a_ring_around_several_lines_chooses_nothing(tmp_path):
    p = read_proposal(circled_form(tmp_path / "ring.pdf", circle={}, ring=True))
    assert p.agreement_type is None


def test_an_acrobat_ellipse_comment_around_a_word_is_a_circle_too(tmp_path):
    """Circling in Acrobat adds a comment (a /Circle annotation), not page content."""
    from pypdf import PdfWriter
    from pypdf.annotations import Ellipse, Rectangle

    plain = circled_form(tmp_path / "plain.pdf", circle={})
    writer = PdfWriter(clone_from=plain)
    # 包括連携協定 stands at x 220 on the eighth line (top 214); 有 at x 90 on the twelfth (top 302)
    writer.add_annotation(0, Ellipse(rect=(214, HEIGHT - 214 - 14.5, 289, HEIGHT - 214 + 4)))
    writer.add_annotation(0, Rectangle(rect=(86, HEIGHT - 302 - 13, 103, HEIGHT - 302 + 3)))
    out = tmp_path / "commented.pdf"
    writer.write(out)
    p = read_proposal(out)
    assert p.agreement_type == "comprehensive" and p.axis.present is True
