"""Choices circled with Word's ellipse shape: a .docx does not record where the shape falls on the
text, so the reader cannot tell the circled words — each choice left unmarked is a review item for a
person, never an applicant error. (The same form printed to PDF is read: tests/test_pdf_circled.py.)"""

from __future__ import annotations

from docxbuild import Xml, make_docx, p, run
from kyotei_docs.config import load_config
from kyotei_docs.pipeline import check_proposal, read_proposal

FIELDS = "　".join(("災害対策", "環境", "土木建設維持管理", "福祉・医療・健康", "教育・文化・スポーツ", "産業・商業",
                   "地域活性化・まちづくり", "人材育成", "安全・交通", "観光・魅力発信", "子育て"))

DRAWINGML = (
    '<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0"'
    ' relativeHeight="251660288" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>1400000</wp:posOffset>'
    '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>-40000</wp:posOffset></wp:positionV>'
    '<wp:extent cx="900000" cy="250000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="7" name="楕円 7"/><wp:cNvGraphicFramePr/><a:graphic>'
    '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
    '<wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="900000" cy="250000"/></a:xfrm>'
    '<a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom><a:noFill/>'
    '<a:ln w="12700"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr>'
    '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')
VML = ('<w:r><w:pict><v:oval id="楕円 3" style="position:absolute;margin-left:110pt;margin-top:-3pt;'
       'width:70pt;height:20pt;z-index:251661312" filled="f" strokeweight="1pt"/></w:pict></w:r>')


def circled_docx(path, shape: str, *, ticked_type: bool = False):
    type_line = "連携協定の種別　☐個別連携協定　☑包括連携協定" if ticked_type else "連携協定の種別　個別連携協定　包括連携協定"
    body = (p("令和８年１１月２０日", jc="right") + p("旭川市長　様") + p("所在地：旭川市緑町１丁目")
            + p("企業等名称：株式会社まる印") + p("代表者氏名：代表取締役　丸山　円")
            + p("連携協定に関する提案書", jc="center") + p("（該当するものを○で囲んでください）")
            + Xml(f"<w:p>{run(type_line)}{shape}</w:p>") + p(f"連携の分野　{FIELDS}")
            + p("主軸分野の有無　有（主軸分野：環境）　無") + p("協定締結の目的") + p("脱炭素の推進。")
            + p("連携により期待される効果") + p("CO2削減。") + p("連絡先") + p("部署名：環境部")
            + p("担当者氏名：丸山　花") + p("電話番号：0166-00-1111") + p("メールアドレス：hana@maru.jp"))
    return make_docx(body, path)


def test_ellipse_shapes_make_the_unmarked_choices_review_items_not_errors(tmp_path):
    for name, shape in (("drawingml.docx", DRAWINGML), ("vml.docx", VML)):
        proposal = read_proposal(circled_docx(tmp_path / name, shape))
        result = check_proposal(proposal, load_config(None))
        assert not result.errors, name
        assert {f.field for f in result.review if f.code == "review_circles_drawn"} == \
            {"agreement_type", "fields", "axis.present"}, name
        assert "楕円" in result.review[0].message or "○" in result.review[0].message


def test_a_choice_marked_otherwise_is_read_and_only_the_unmarked_ones_are_doubted(tmp_path):
    proposal = read_proposal(circled_docx(tmp_path / "ticked.docx", DRAWINGML, ticked_type=True))
    result = check_proposal(proposal, load_config(None))
    assert proposal.agreement_type == "comprehensive"
    assert {f.field for f in result.review} == {"fields", "axis.present"}


def test_without_shapes_an_unmarked_choice_is_the_applicants_blank(tmp_path):
    proposal = read_proposal(circled_docx(tmp_path / "none.docx", ""))
    result = check_proposal(proposal, load_config(None))
    assert "agreement_type_missing" in {f.code for f in result.errors}
    assert not [f for f in result.review if f.code == "review_circles_drawn"]
