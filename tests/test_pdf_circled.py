"""Options circled on the page (「該当するものを○で囲む」): an ellipse drawn around the chosen words, as Word's
ellipse shape prints to PDF. Built with reportlab: text where a test wants it, ellipses drawn over it."""

from __future__ import annotations

from pathlib import Path

from kyotei_docs.pipeline import read_proposal
from pdfbuild import A4, Page, draw

HEIGHT = A4[1]
SIZE = 10.5


def circled_form(path: Path, *, circle: dict[str, bool], frame_heading: bool = False, ring: bool = False) -> Path:
    """A retyped Form 1 whose options are plain words; ``circle`` names the words circled."""
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4)
    page, spots, y = Page(), {}, 60.0

    def line(*parts: tuple[float, str]) -> None:
        nonlocal y
        for x, text in parts:
            page.text(x, y, text)
            spots[text] = (x, y, len(text))
        y += 22

    for text in ("令和８年１１月２０日", "旭川市長　様", "所在地　旭川市緑町１丁目", "企業等名称　株式会社まる印",
                 "代表者氏名　代表取締役　丸山　円", "連携協定に関する提案書", "連携協定の種別（該当するものを○で囲む）"):
        line((72, text))
    line((90, "個別連携協定"), (220, "包括連携協定"))
    line((72, "連携の分野（該当するものを○で囲む）"))
    line((90, "災害対策"), (156, "環境"), (207, "子育て"), (268, "人材育成"))
    line((72, "主軸分野の有無"))
    line((90, "有"), (120, "（主軸分野：環境）"), (260, "無"))
    for text in ("協定締結の目的", "脱炭素の推進。", "連携により期待される効果", "CO2削減。", "連絡先", "部署名：環境部",
                 "担当者氏名：丸山　花", "電話番号：0166-00-1111", "メールアドレス：hana@maru.jp"):
        line((72, text))
    draw(c, page)
    c.setLineWidth(0.8)
    for word, on in circle.items():
        if on:
            x, top, n = spots[word]
            c.ellipse(x - 6, HEIGHT - top - SIZE - 4, x + n * SIZE + 6, HEIGHT - top + 4, stroke=1, fill=0)
    if frame_heading:  # a rounded frame around a heading is decoration, not a mark
        x, top, n = spots["連携協定の種別（該当するものを○で囲む）"]
        c.roundRect(x - 4, HEIGHT - top - SIZE - 4, n * SIZE + 8, SIZE + 8, 4, stroke=1, fill=0)
    if ring:  # a big ring drawn around a whole block of lines marks nothing
        x, top, _ = spots["個別連携協定"]
        c.ellipse(x - 20, HEIGHT - top - 60, x + 300, HEIGHT - top + 30, stroke=1, fill=0)
    c.showPage()
    c.save()
    return path


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
