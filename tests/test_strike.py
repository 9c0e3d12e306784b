"""Options struck through in Word (w:strike, w:dstrike) and through LibreOffice (.odt, .rtf).

The form says 「不要なものを二重線で消すこと」: what is struck is not chosen.  The
fixtures are raw WordprocessingML; the .odt and .rtf are written by real
LibreOffice from it and read back through the legacy reader.
"""

from __future__ import annotations

import pytest

from docxbuild import Xml, cell, make_docx, p, run
from formbody import HEADER, axis_row, contact_rows, fields_row, form, text_rows, type_row
from kyotei_docs import office
from kyotei_docs.form import Text
from kyotei_docs.pipeline import check_proposal, read_proposal
from kyotei_docs.readers import read_form
from pdfbuild import docx_to

STRIKE, DSTRIKE = "<w:strike/>", "<w:dstrike/>"


def struck(text: str, how: str = DSTRIKE) -> Xml:
    return run(text, rpr=how)


def _rows(mark=DSTRIKE) -> list:
    type_content = Xml(p(struck("個別連携協定", mark), "　包括連携協定"))
    fields_content = Xml(p("環境　", struck("災害対策", mark), "　子育て　", struck("その他（　　）", mark)))
    axis_content = Xml(p(struck("有（主軸分野：　　　）", mark), "　無"))
    return [[cell("連携協定の種別", "不要なものを二重線で消すこと"), cell(type_content, span=2)],
            [cell("連携の分野", "不要なものを二重線で消すこと"), cell(fields_content, span=2)],
            [cell("主軸分野の有無"), cell(axis_content, span=2)], *text_rows(), *contact_rows()]


@pytest.mark.parametrize("mark", [STRIKE, DSTRIKE, '<w:strike w:val="1"/>', '<w:dstrike w:val="true"/>'])
def test_struck_options_in_a_docx(parse, cfg, mark):
    prop = parse(form(rows=_rows(mark)))
    assert prop.agreement_type == "comprehensive"
    assert prop.fields == ["環境", "子育て"]
    assert prop.axis.present is False
    assert check_proposal(prop, cfg).valid


def test_strike_switched_off_is_no_strike(build):
    body = HEADER + p(run("個別連携協定", rpr='<w:strike w:val="0"/>'))
    doc = read_form(build(body))
    texts = [piece for b in doc.blocks for piece in b.pieces() if isinstance(piece, Text)]
    assert any(t.text == "個別連携協定" and not t.struck for t in texts)


def test_a_struck_word_in_a_value_is_withdrawn(parse):
    rows = [type_row(), fields_row(), axis_row(),
            [cell("協定締結の目的"), cell(Xml(p("市民の", struck("健康", STRIKE), "環境を守るため。")), span=2)],
            *text_rows()[1:], *contact_rows()]
    assert parse(form(rows=rows)).purpose == "市民の環境を守るため。"


def test_ticked_box_on_a_struck_option_is_for_review(parse):
    prop = parse(form(type_content=Xml(p("☑", struck("個別連携協定"), "　☐包括連携協定"))))
    assert any(d.code == "review_mark_conflict" and d.field == "agreement_type" for d in prop.doubts)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    if not office.soffice_available():
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("strike")
    docx = make_docx(form(rows=_rows(DSTRIKE)), folder / "二重線.docx")
    single = make_docx(form(rows=_rows(STRIKE)), folder / "取消線.docx")
    return {"odt": docx_to(docx, "odt", folder / "odt"), "rtf": docx_to(single, "rtf", folder / "rtf")}


@pytest.mark.parametrize("fmt", ["odt", "rtf"])
@pytest.mark.libreoffice
@pytest.mark.slow
def test_struck_options_survive_libreoffice(converted, fmt, cfg):
    prop = read_proposal(converted[fmt])
    assert prop.format == fmt
    assert prop.agreement_type == "comprehensive"
    assert prop.fields == ["環境", "子育て"]
    assert prop.axis.present is False
    assert check_proposal(prop, cfg).valid


def _fillin(value: str) -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> FILLIN "" </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{value}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def test_input_field_answers_copied_by_libreoffice_are_read_once(build):
    """LibreOffice writes an .odt input field back as FILLIN fields plus copies of the answer, run by run."""
    answer = "平成31年5月10日"
    noise = "".join(_fillin(answer) + f"<w:r><w:t>{part}</w:t></w:r>" for part in ("平成", "31", "年", "5月", "10日"))
    body = (Xml(f"<w:p>{noise}{_fillin(answer)}</w:p>") + p("企業等名称：", Xml(_fillin("株式会社Ａ") + run("株式会社Ａ")
                                                                         + _fillin("株式会社Ａ"))))
    doc = read_form(build(body))
    assert [b.text for b in doc.blocks] == [answer, "企業等名称：株式会社Ａ"]


@pytest.mark.libreoffice
def test_a_content_control_form_saved_as_odt_by_libreoffice(tmp_path):
    if not office.soffice_available():
        pytest.skip("LibreOffice is not installed")
    import json

    from conftest import ROOT
    sample = ROOT / "samples" / "11_heisei_individual_two_fields.docx"
    odt = docx_to(sample, "odt", tmp_path)
    got = read_proposal(odt).to_json()
    expected = json.loads((ROOT / "samples" / "expected" / "11_heisei_individual_two_fields.json").read_text("utf-8"))
    for key in ("file", "format"):
        got.pop(key), expected.pop(key)
    assert got == expected
