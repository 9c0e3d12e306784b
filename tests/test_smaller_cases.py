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
from pdfbuild import A4, Page, _annots, _font, draw


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

def _named_fillable(path: Path, values: dict[str, str], checked: set[str]) -> Path:
    """A fillable Form 1 made by hand: fields named by their labels, the axis field inside the printed brackets."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject
    from reportlab.pdfgen.canvas import Canvas

    _font()
    c = Canvas(str(path), pagesize=A4)
    h = A4[1]
    page = Page()
    page.text(70, 60, "様式１").text(330, 80, "令和８年１１月２０日").text(70, 100, "旭川市長　様")
    page.text(250, 125, "所在地").text(250, 145, "企業等名称").text(250, 165, "代表者氏名")
    page.text(200, 195, "連携協定に関する提案書", 14)
    page.text(65, 230, "連携協定の種別").text(200, 230, "個別連携協定").text(340, 230, "包括連携協定")
    page.text(65, 260, "連携の分野").text(200, 260, "環境").text(340, 260, "福祉・医療・健康")
    page.text(65, 290, "主軸分野の有無").text(200, 290, "有　主軸分野（" + "\u3000" * 16 + "）").text(200, 310, "無")
    page.text(65, 340, "協定締結の目的").text(65, 400, "連携により期待される効果")
    page.text(65, 460, "部署名").text(65, 480, "担当者氏名").text(65, 500, "電話番号").text(65, 520, "メールアドレス")
    draw(c, page)
    places = {"所在地": (310, 123, 210), "企業等名称": (310, 143, 210), "代表者氏名": (310, 163, 210),
              "主軸分野": (300, 288, 155), "協定締結の目的": (175, 355, 350), "連携により期待される効果": (175, 415, 350),
              "部署名": (175, 458, 350), "担当者氏名": (175, 478, 350), "電話番号": (175, 498, 350),
              "メールアドレス": (175, 518, 350)}
    for name, (x, top, w) in places.items():
        c.acroForm.textfield(name=name, x=x, y=h - top - 12, width=w, height=14, fontName="Helvetica", fontSize=9,
                             borderWidth=0)
    for name, (x, top) in {"個別連携協定": (188, 231), "包括連携協定": (328, 231), "環境": (188, 261),
                           "福祉・医療・健康": (328, 261), "有": (188, 291), "無": (188, 311)}.items():
        c.acroForm.checkbox(name=name, x=x, y=h - top - 9, size=9, buttonStyle="check", borderWidth=0.5,
                            checked=name in checked)
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    for ref in _annots(writer):
        annot = ref.get_object()
        if str(annot.get("/T")) in values:
            annot[NameObject("/V")] = TextStringObject(values[str(annot.get("/T"))])
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def test_a_field_named_exactly_axis_field_wins_over_the_printed_empty_brackets(tmp_path, cfg):
    values = {"所在地": "北海道旭川市緑町１丁目", "企業等名称": "株式会社フィールド", "代表者氏名": "代表取締役　野原　一",
              "主軸分野": "福祉・医療・健康", "協定締結の目的": "健康づくりを進めるため。",
              "連携により期待される効果": "健診受診率の向上。", "部署名": "総務部", "担当者氏名": "野原　花",
              "電話番号": "0166-11-2222", "メールアドレス": "hana@field.example.jp"}
    path = _named_fillable(tmp_path / "named.pdf", values, {"包括連携協定", "環境", "福祉・医療・健康", "有"})
    prop = read_proposal(path)
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
