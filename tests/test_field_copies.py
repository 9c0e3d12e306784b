"""Input-field answers read once: what LibreOffice writes for a content-control form saved as .doc or .odt.

LibreOffice turns a Word text content control into an input field; writing the
field back to .docx (how every .doc/.odt reaches the .docx reader) it copies the
answer run by run with the field again after each run, and where the control was
a block of paragraphs the copies and the fields' ends fall into the following
paragraphs.  The fast tests build that XML by hand (the shapes LibreOffice 7.4
wrote, seen in its output); the LibreOffice tests make the .doc and .odt for real.
"""

from __future__ import annotations

import pytest

from conftest import json_lines, run_cli
from docxbuild import Xml, cell, make_docx, p, run, sdt_text, sdt_wrap, table
from formbody import HEADER, axis_row, contact_rows, fields_row, form, type_row
from kyotei_docs import office
from kyotei_docs.readers import read_form
from pdfbuild import docx_to


def _field(value: str, code: str = 'FILLIN ""', *, end: bool = True) -> str:
    """An input field; ``value`` may hold ``\\n`` (w:br); ``end=False`` leaves its end to the next paragraph."""
    ff = '<w:ffData><w:name w:val="T"/><w:enabled/><w:textInput/></w:ffData>' if "FORMTEXT" in code else ""
    result = "<w:br/>".join(f"<w:t>{part}</w:t>" for part in value.split("\n"))
    head = (f'<w:r><w:fldChar w:fldCharType="begin">{ff}</w:fldChar></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r>{result}</w:r>')
    return head + ('<w:r><w:fldChar w:fldCharType="end"/></w:r>' if end else "")


def _end() -> str:
    return '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def _texts(body: str, build) -> list[str]:
    return [b.text for b in read_form(build(Xml(body))).blocks]


def test_a_multi_line_answer_and_its_copies_read_once_with_its_lines(build):
    """An .odt input field holding two lines: [A]一行目。[A]↵[A]二行目。[A][A], A = 一行目。↵二行目。"""
    answer = "一行目。\n二行目。"
    noise = _field(answer) + "".join(
        (f"<w:r><w:t>{part}</w:t></w:r>" if part != "\n" else "<w:r><w:br/></w:r>") + _field(answer)
        for part in ("一行目。", "\n", "二行目。")) + _field(answer)
    assert _texts(p("協定締結の目的") + f"<w:p>{noise}</w:p>" + p("以上"), build) == \
        ["協定締結の目的", answer, "以上"]


def test_copies_in_the_paragraphs_after_a_block_answer_are_no_paragraphs(build):
    """A .doc LibreOffice saved from a block-level control: each field ends in the next paragraph."""
    a = "市民の健康増進を進めるため。"
    paragraphs = [
        _field(a, "FORMTEXT", end=False),                               # [A¶
        _end() + run(a) + _field(a, "FORMTEXT", end=False),             # ] A [A¶
        _end(),                                                         # ]¶
        _field(a, "FORMTEXT", end=False),                               # [A¶
        _end(),                                                         # ]¶
        str(run("環境保全も進める。")),
    ]
    body = "".join(f"<w:p>{x}</w:p>" for x in paragraphs)
    blocks = _texts(table([[cell("協定締結の目的"), cell(Xml(body))]]), build)
    assert blocks == ["協定締結の目的", f"{a}\n環境保全も進める。"]


def test_what_only_looks_like_a_copy_is_kept(build):
    a = "株式会社Ａ"
    body = (p("企業等名称：", Xml(_field(a, "FORMTEXT")), "株式会社")            # starts like the answer, ends short
            + p(Xml(_field(a, "FORMTEXT")))                                     # the same answer, a field of its own
            + p(Xml(_field("旭川市", "FORMTEXT") + run("旭川市役所前"))))      # text that goes on past the answer
    assert _texts(body, build) == ["企業等名称：株式会社Ａ株式会社", a, "旭川市旭川市役所前"]


def test_the_same_answer_in_the_next_paragraphs_field_is_no_copy(build):
    a = "旭川市緑町１丁目"
    body = p(Xml(_field(a, "FORMTEXT"))) + p(Xml(_field(a, "FORMTEXT")))
    assert _texts(body, build) == [a, a]


def test_control_characters_are_left_out_of_an_rtf_before_libreoffice_reads_it():
    """LibreOffice's .rtf of a content-control form: 「\\u5\\'05」 between copies, read back as 「0」;
    an escaped backslash before 「u5」 is text, tab (\\u9) is kept."""
    from kyotei_docs.readers.legacy import rtf_without_controls

    rtf = rb"{\rtf1 A\u5\'05{\field B}\u21271\'3f\u9\'09\ul x\u31?y\\u5 z}"
    assert rtf_without_controls(rtf) == rb"{\rtf1 A{\field B}\u21271\'3f\u9\'09\ul xy\\u5 z}"


def test_a_blank_paragraph_the_applicant_left_stays(build):
    a = "地域連携部"
    body = p(Xml(_field(a, "FORMTEXT") + run(a) + _field(a, "FORMTEXT"))) + "<w:p/>" + p("以上")
    assert _texts(body, build) == [a, "", "以上"]


# ---------------------------------------------------------------- through LibreOffice


def _control_form() -> str:
    """Form 1 whose answers are content controls: inline, a block of two paragraphs, a whole cell."""
    header = Xml(p("令和８年１１月２０日", jc="right") + p("旭川市長　様")
                 + p("所 在 地：", sdt_text("北海道旭川市緑町１丁目２番３号"))
                 + p("企業等名称：", sdt_text("株式会社テスト商事"))
                 + p("代表者氏名：", sdt_text("代表取締役　試験　花子")))
    contact = contact_rows()
    contact[1][2] = sdt_wrap(cell("連絡　太郎"))
    rows = [type_row(), fields_row(), axis_row(),
            [cell("協定締結の目的"), cell(sdt_wrap(p("市民の健康増進を進めるため。") + p("環境保全も進める。")), span=2)],
            [cell("連携により", "期待される効果"), cell(p(sdt_text("健診受診率の向上。")), span=2)],
            *contact]
    return form(header=header, rows=rows)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    if not office.soffice_available():
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("copies")
    docx = make_docx(_control_form(), folder / "様式.docx")
    odt = docx_to(docx, "odt", folder / "odt")
    # (LibreOffice 7.4 drops the table when it writes this minimal .docx straight to .doc;
    # from its own .odt it writes the table as Word does — see test_legacy)
    return {"docx": docx, "odt": odt, "doc": docx_to(odt, "doc", folder / "doc"),
            "rtf": docx_to(docx, "rtf", folder / "rtf")}


@pytest.fixture(scope="module")
def from_docx(saved) -> dict:
    """``kyotei check --json`` of the .docx the copies were saved from: what each copy must read (checked once)."""
    [want] = json_lines(run_cli("check", "--json", str(saved["docx"])).stdout)
    return want


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["odt", "doc", "rtf"])
def test_a_content_control_form_saved_by_libreoffice_reads_each_answer_once(saved, from_docx, fmt):
    res = run_cli("check", "--json", str(saved[fmt]))
    [obj] = json_lines(res.stdout)
    want = from_docx
    got = obj["proposal"]
    assert got["purpose"] == "市民の健康増進を進めるため。\n環境保全も進める。"
    assert got["contact"]["name"] == "連絡　太郎"
    for key in ("organization", "purpose", "expected_effects", "contact"):
        assert got[key] == want["proposal"][key], key
    assert res.returncode == 0 and obj["review"] == [], res.stdout


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_multi_line_input_field_in_an_odt_keeps_its_lines(tmp_path, cfg):
    """LibreOffice keeps a multi-line input field's answer as one text with a newline in the .odt."""
    if not office.soffice_available():
        pytest.skip("LibreOffice is not installed")
    from kyotei_docs.pipeline import check_proposal, read_proposal

    effects = "健診受診率の向上。\n環境意識の向上。"
    rows = [type_row(), fields_row(), axis_row(),
            [cell("協定締結の目的"), cell("市民の健康増進を進めるため。", span=2)],
            [cell("連携により", "期待される効果"), cell(p(Xml(_field(effects))), span=2)], *contact_rows()]
    odt = docx_to(make_docx(form(header=HEADER, rows=rows), tmp_path / "様式.docx"), "odt", tmp_path / "odt")
    assert "健診受診率の向上。\n環境意識の向上。</text:text-input>" in _content(odt)
    prop = read_proposal(odt)
    assert prop.expected_effects == effects
    assert check_proposal(prop, cfg).clear


def _content(odt) -> str:
    import zipfile

    with zipfile.ZipFile(odt) as z:
        return z.read("content.xml").decode("utf-8")
