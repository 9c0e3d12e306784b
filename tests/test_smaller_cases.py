"""The smaller ways real submissions went wrong (issue 16, class 6), each with a file that shows it.

* a 有／無 drop-down content control after the label written again (「主軸分野の有無：」 + 「有」):
  it was a confident axis_choice_missing;
* an e-mail cell holding the homepage on its next line: the address was glued to it
  (「info@example.jpwww.example.jp」 passed as a valid address);
* a fillable PDF whose field is named exactly 主軸分野 inside the printed 「主軸分野（　）」;
* ☑ drawn from a fallback font a line lower than its option (as LibreOffice does when the
  document's font lacks it): it was 「種別が選択されていません」.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docxbuild import Xml, make_docx, p
from formbody import axis_row, contact_rows, fields_row, form, text_rows, type_row
from kyotei_docs.pipeline import check_proposal, read_proposal
from pdfbuild import A4, Page, draw, fillable


def _verdict(prop, cfg):
    result = check_proposal(prop, cfg)
    return sorted(f.code for f in result.errors), sorted(f.code for f in result.review)


# ---------------------------------------------------------------- 有／無 as a drop-down list

def _dropdown(value: str) -> Xml:
    return Xml('<w:sdt><w:sdtPr><w:alias w:val="主軸分野の有無"/><w:tag w:val="axis"/><w:id w:val="99"/>'
               '<w:dropDownList><w:listItem w:displayText="選択してください" w:value=""/>'
               '<w:listItem w:displayText="有" w:value="1"/><w:listItem w:displayText="無" w:value="2"/></w:dropDownList>'
               f'</w:sdtPr><w:sdtContent><w:r><w:t>{value}</w:t></w:r></w:sdtContent></w:sdt>')


@pytest.mark.parametrize("content, present", [
    (lambda: Xml(p("主軸分野の有無：", _dropdown("無"))), False),
    (lambda: Xml(p("主軸分野の有無：", _dropdown("有")) + p("主軸分野：", "福祉・医療・健康")), True),
    (lambda: Xml(p(_dropdown("有")) + p("主軸分野（福祉・医療・健康）")), True),
])
def test_a_drop_down_list_of_yes_and_no_is_read(tmp_path, cfg, content, present):
    prop = read_proposal(make_docx(form(axis_content=content()), tmp_path / "dropdown.docx"))
    assert prop.axis.present is present
    assert _verdict(prop, cfg) == ([], [])


# ---------------------------------------------------------------- e-mail with the homepage under it

@pytest.mark.parametrize("cell_text", ["info@example.jp\nwww.example.jp", "info@example.jp\nhttps://www.example.jp/",
                                       "info@example.jp\nHP：www.example.jp", "info@example.jp　（HP）www.example.jp"])
def test_an_email_cell_with_the_homepage_reads_only_the_address(tmp_path, cfg, cell_text):
    rows = [type_row(), fields_row(), axis_row(), *text_rows(), *contact_rows(email=cell_text)]
    prop = read_proposal(make_docx(form(rows=rows), tmp_path / "mail.docx"))
    assert prop.contact.email == "info@example.jp"
    assert _verdict(prop, cfg) == ([], [])


# ---------------------------------------------------------------- a field named 主軸分野

def test_a_field_named_exactly_axis_field_wins_over_the_printed_empty_brackets(tmp_path, cfg):
    """More ways tools write the field (encodings, Acrobat's nesting, LibreOffice): tests/test_acroform_encodings.py."""
    prop = read_proposal(fillable(tmp_path / "named.pdf"))
    assert (prop.axis.present, prop.axis.field) == (True, "福祉・医療・健康")
    assert _verdict(prop, cfg) == ([], [])


# ---------------------------------------------------------------- ☑ a line lower

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # fonts-dejavu-core (ci/apt-packages.txt)


def _lowered_marks(path: Path, drop: float) -> Path:
    """A Form 1 whose ☑/☐ come from another font, drawn ``drop`` lines lower than the options' words."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", DEJAVU))
    c = Canvas(str(path), pagesize=A4)
    h = A4[1]
    page = Page()
    page.text(70, 60, "様式１").text(330, 80, "令和８年１１月２０日").text(70, 100, "旭川市長　様")
    page.text(70, 125, "所在地：北海道旭川市緑町１丁目").text(70, 145, "企業等名称：株式会社ロウワー")
    page.text(70, 165, "代表者氏名：代表取締役　下野　一").text(200, 195, "連携協定に関する提案書", 14)
    page.text(70, 230, "連携協定の種別").text(212, 230, "個別連携協定").text(352, 230, "包括連携協定")
    page.text(70, 260, "連携の分野").text(212, 260, "環境").text(352, 260, "子育て")
    page.text(70, 290, "主軸分野の有無").text(212, 290, "有").text(352, 290, "無")
    page.text(70, 320, "協定締結の目的：子育て支援のため。").text(70, 340, "連携により期待される効果：待機児童の減少。")
    page.text(70, 370, "連絡先").text(90, 390, "部署名：総務部").text(90, 410, "担当者氏名：下野　花")
    page.text(90, 430, "電話番号：0166-11-3333").text(90, 450, "メールアドレス：hana@lower.example.jp")
    draw(c, page)
    c.setFont("DejaVuSans", 10.5)
    for top, marks in ((230, "☐☑"), (260, "☑☑"), (290, "☐☑")):
        for x, mark in zip((200, 340), marks):
            c.drawString(x, h - (top + drop * 10.5) - 10.5 * 0.88, mark)
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("drop", [0.0, 0.6, 1.0])
def test_a_mark_drawn_a_line_lower_is_the_mark_of_its_option(tmp_path, cfg, drop):
    prop = read_proposal(_lowered_marks(tmp_path / "lower.pdf", drop))
    assert (prop.agreement_type, prop.fields, prop.axis.present) == ("comprehensive", ["環境", "子育て"], False)
    assert _verdict(prop, cfg) == ([], [])


def test_marks_under_their_options_stay_a_row_of_their_own(tmp_path, cfg):
    """A grid of marks under the options (each mark below its option's words) is not pulled up into them."""
    from kyotei_docs.readers.layout import Item, build_lines

    words = [Item(ch, 200 + 10.5 * k, 210.5 + 10.5 * k, 230, 240.5, 10.5) for k, ch in enumerate("個別連携協定")]
    marks = [Item("☑", 230, 240.5, 242, 252.5, 10.5)]
    assert len(build_lines(words + marks)) == 2
