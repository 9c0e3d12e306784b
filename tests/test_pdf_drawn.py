"""Checkboxes and radio buttons drawn on the page (a web form printed to PDF): the state is in the drawing."""

from __future__ import annotations

from kyotei_docs.form import Box
from kyotei_docs.pipeline import read_proposal
from kyotei_docs.readers import read_form
from pdfbuild import WEB_VALUES, web_form_pdf


def test_a_printed_web_form_reads_its_drawn_checkboxes_and_radio_buttons(tmp_path):
    pdf = web_form_pdf(tmp_path / "web.pdf")
    got = read_proposal(pdf).to_json()
    assert got["submitted_on"] == "2026-05-20"
    assert got["organization"] == {"address": "北海道旭川市宮前１条３丁目", "name": "ウェブ商事株式会社",
                                   "representative": "代表取締役　網野　光"}
    assert got["agreement_type"] == "comprehensive" and got["fields"] == ["災害対策", "観光・魅力発信"]
    assert got["axis"] == {"present": True, "field": "観光・魅力発信", "text": "観光・魅力発信"}
    assert got["contact"]["email"] == "yo@web.example.jp"
    boxes = [p for b in read_form(pdf).blocks for p in b.pieces() if isinstance(p, Box)]
    assert {b.source for b in boxes} == {"pdf:drawn"}
    # 2 type radios + 11 field checkboxes + 2 axis radios, each read once
    assert len(boxes) == 15 and sum(b.checked for b in boxes) == 4


def test_the_other_radio_and_no_box_chosen(tmp_path):
    values = dict(WEB_VALUES, type="個別連携協定", fields=["環境"], axis="無", axis_text="")
    got = read_proposal(web_form_pdf(tmp_path / "web.pdf", values)).to_json()
    assert got["agreement_type"] == "individual" and got["fields"] == ["環境"]
    assert got["axis"]["present"] is False
    nothing = dict(WEB_VALUES, type="", fields=[], axis="")
    got = read_proposal(web_form_pdf(tmp_path / "none.pdf", nothing)).to_json()
    assert got["agreement_type"] is None and got["fields"] == [] and got["axis"]["present"] is None


def test_a_bullet_is_no_radio_button(tmp_path):
    """A filled dot without an outline (a list bullet) before an option name chooses nothing."""
    from reportlab.pdfgen.canvas import Canvas

    from pdfbuild import A4, Page, draw

    path = tmp_path / "bullets.pdf"
    c = Canvas(str(path), pagesize=A4)
    draw(c, Page().text(84, 100, "環境への取組").text(84, 120, "子育て支援"))
    for top in (100, 120):
        c.circle(76, A4[1] - top - 5, 3, stroke=0, fill=1)
    c.showPage()
    c.save()
    assert not [p for b in read_form(path).blocks for p in b.pieces() if isinstance(p, Box)]


def test_a_tick_drawn_over_an_empty_glyph_is_a_doubt(tmp_path):
    """The glyph says □, a tick drawn over it says chosen: the reader keeps the glyph and asks a person."""
    from pdfbuild import Page, reportlab_pdf

    page = Page().text(70, 100, "連携協定の種別").text(70, 130, "連携の分野").text(70, 160, "企業等名称　株式会社二重")
    page.text(200, 100, "□個別連携協定").text(320, 100, "■包括連携協定")
    page.rect(199.8, 100.2, 10.9, 10.9).line(201, 101, 209.5, 110).line(201, 110, 209.5, 101)  # an X over □
    page.text(200, 130, "■環境　■子育て")
    got = read_proposal(reportlab_pdf(tmp_path / "both.pdf", page))
    assert got.agreement_type == "comprehensive"
    assert [d.code for d in got.doubts] == ["review_mark_conflict"]
