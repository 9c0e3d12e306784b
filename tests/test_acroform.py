"""Fillable PDFs: values from /V, checkboxes with any on-value, fields mapped by name or by layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from kyotei_docs.blankpdf import CHECKBOXES, TEXT_FIELDS, fill_pdf, write_blank_pdf
from kyotei_docs.pipeline import read_proposal
from kyotei_docs.readers import read_form
from pdfbuild import A4, Page, _annots, _font, draw

ANSWERS: dict[str, str | bool] = {
    "submitted_on": "令和８年４月１日",
    "organization_address": "北海道旭川市緑町１丁目２番３号",
    "organization_name": "株式会社ななかまど<テスト>&商事",
    "organization_representative": "代表取締役　試験　花子",
    "type_comprehensive": True,
    "field_02": True, "field_04": True, "field_other": True,
    "other_field_text": "農業体験・食育",
    "axis_yes": True, "axis_text": "福祉・医療・健康",
    "purpose": "市民の健康増進のため。\n環境保全のため。",
    "expected_effects": "健診受診率の向上。",
    "contact_department": "地域連携部",
    "contact_name": "連絡　太郎",
    "contact_phone": "0166-12-3456",
    "contact_email": "renraku@example.co.jp",
}

EXPECTED = {
    "format": "pdf", "submitted_on": "2026-04-01",
    "organization": {"address": "北海道旭川市緑町１丁目２番３号", "name": "株式会社ななかまど<テスト>&商事",
                     "representative": "代表取締役　試験　花子"},
    "agreement_type": "comprehensive", "fields": ["環境", "福祉・医療・健康", "その他"],
    "other_field_text": "農業体験・食育",
    "axis": {"present": True, "field": "福祉・医療・健康", "text": "福祉・医療・健康"},
    "purpose": "市民の健康増進のため。\n環境保全のため。", "expected_effects": "健診受診率の向上。",
    "contact": {"department": "地域連携部", "name": "連絡　太郎", "phone": "0166-12-3456",
                "email": "renraku@example.co.jp"},
}


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("blank") / "様式１.pdf"
    write_blank_pdf(path)
    return path


def _contract(path: Path) -> dict:
    got = read_proposal(path).to_json()
    got.pop("file")
    return got


def test_blank_form_command_writes_a_form_the_reader_maps_exactly(tmp_path):
    out = tmp_path / "form1.pdf"
    res = run_cli("blank-form", "--pdf", str(out))
    assert res.returncode == 0, res.stderr
    from pypdf import PdfReader
    fields = PdfReader(str(out)).get_fields()
    assert fields is not None and set(fields) == set(TEXT_FIELDS) | set(CHECKBOXES)
    filled = tmp_path / "filled.pdf"
    fill_pdf(out, filled, ANSWERS)
    assert _contract(filled) == EXPECTED


def test_every_value_comes_from_the_fields_not_the_page(blank, tmp_path):
    filled = tmp_path / "filled.pdf"
    fill_pdf(blank, filled, ANSWERS)
    p = read_proposal(filled)
    assert all(src == "pdf:acroform" for src in p.sources.values()), p.sources
    # the values are nowhere in the page content: they are only in /V
    import pdfplumber
    with pdfplumber.open(filled) as pdf:
        assert "株式会社ななかまど" not in pdf.pages[0].extract_text()


def test_each_field_maps_to_its_own_answer(blank, tmp_path):
    """Fill one field at a time: nothing else changes (no field is read as another's label)."""
    for name in ("organization_name", "contact_phone", "purpose", "submitted_on"):
        filled = tmp_path / f"{name}.pdf"
        fill_pdf(blank, filled, {name: ANSWERS[name]})
        got = read_proposal(filled).to_json()
        values = [v for v in _leaves(got) if v not in (None, [], False, "pdf")]
        assert len(values) == 2, (name, got)  # the file name and that one answer


def _leaves(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _leaves(v)
    else:
        yield obj


def test_blank_form_reads_as_empty(blank):
    got = _contract(blank)
    assert got["fields"] == [] and got["agreement_type"] is None and got["organization"]["name"] is None


def test_value_without_regenerated_appearance(blank, tmp_path):
    """A script set /V and left the old appearance: what a viewer shows is stale, /V counts."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    filled = tmp_path / "filled.pdf"
    fill_pdf(blank, filled, ANSWERS)
    writer = PdfWriter(clone_from=PdfReader(str(filled)))
    for ref in _annots(writer):
        annot = ref.get_object()
        if annot.get("/FT") == "/Btn":
            annot[NameObject("/AS")] = NameObject("/Off")  # every box looks empty
    stale = tmp_path / "stale.pdf"
    with open(stale, "wb") as fh:
        writer.write(fh)
    got = _contract(stale)
    assert got["agreement_type"] == "comprehensive" and got["fields"] == EXPECTED["fields"]
    # the viewer shows empty boxes where /V says ticked: a person must look
    doubts = read_proposal(stale).doubts
    assert doubts and {d.code for d in doubts} == {"review_mark_conflict"}
    assert not read_proposal(filled).doubts  # shown as answered: nothing to doubt


@pytest.mark.parametrize("on_name", ["/はい", "/Yes", "/On", "/1", "/選択"])
def test_checkbox_on_value_of_any_name(blank, tmp_path, on_name):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    filled = tmp_path / "filled.pdf"
    fill_pdf(blank, filled, ANSWERS)
    writer = PdfWriter(clone_from=PdfReader(str(filled)))
    for ref in _annots(writer):
        annot = ref.get_object()
        if annot.get("/FT") != "/Btn":
            continue
        ap = annot["/AP"]
        for state in ("/N", "/D"):
            if state in ap:
                old = ap[state]
                ap[NameObject(state)] = DictionaryObject({NameObject(on_name if k == "/Yes" else k): v
                                                          for k, v in old.items()})
        if annot.get("/V") == "/Yes":
            annot[NameObject("/V")] = NameObject(on_name)
    custom = tmp_path / "custom.pdf"
    with open(custom, "wb") as fh:
        writer.write(fh)
    got = _contract(custom)
    assert got["agreement_type"] == "comprehensive"
    assert got["fields"] == EXPECTED["fields"] and got["axis"]["present"] is True


# ---------------------------------------------------------------- forms made elsewhere

def _generic_form(path: Path, names: dict[str, str], tooltips: bool = False) -> Path:
    """A Word-like Form 1 made fillable by a tool that names fields 「テキスト1」「チェック ボックス2」.

    ``names`` maps our meaning (``address``, ``cb_individual``...) to the field name used.
    """
    from reportlab.pdfgen.canvas import Canvas

    _font()
    c = Canvas(str(path), pagesize=A4)
    h = A4[1]
    page = Page()
    page.text(70, 60, "（様式１）").text(70, 90, "旭川市長　様")
    page.text(250, 120, "所 在 地").text(250, 140, "企業等名称").text(250, 160, "代表者氏名")
    page.text(200, 190, "連携協定に関する提案書", 14)
    # table: label column 60–170, values 170–530
    tops = [220, 250, 300, 340, 400, 460, 484, 508, 532, 556]
    for t in tops:
        page.line(60, t, 530, t)
    for x in (60, 170, 530):
        page.line(x, 220, x, 556)
    page.text(65, 225, "連携協定の種別")
    page.text(200, 228, "個別連携協定").text(330, 228, "包括連携協定")
    page.text(65, 255, "連携の分野")
    page.text(200, 258, "環境").text(300, 258, "子育て").text(400, 258, "災害対策")
    page.text(200, 278, "その他（").text(430, 278, "）")
    page.text(65, 305, "主軸分野の有無")
    page.text(200, 308, "有　主軸分野（").text(430, 308, "）").text(200, 325, "無")
    page.text(65, 345, "協定締結の目的")
    page.text(65, 405, "連携により").text(65, 418, "期待される効果")
    page.text(65, 465, "部署名").text(65, 489, "担当者氏名").text(65, 513, "電話番号")
    page.text(65, 537, "メールアド").text(65, 548, "レス", 8)
    draw(c, page)

    def tf(key: str, x: float, top: float, w: float, hh: float, multiline: bool = False, tip: str = "") -> None:
        c.acroForm.textfield(name=names[key], tooltip=tip if tooltips else None, x=x, y=h - top - hh, width=w,
                             height=hh, fontName="Helvetica", fontSize=9, borderWidth=0,
                             fieldFlags="multiline" if multiline else "")

    def cb(key: str, x: float, top: float, tip: str = "") -> None:
        c.acroForm.checkbox(name=names[key], tooltip=tip if tooltips else None, x=x, y=h - top - 10, size=10,
                            buttonStyle="check", borderWidth=0.5, checked=False)

    tf("address", 310, 118, 200, 14, tip="所在地")
    tf("name", 310, 138, 200, 14, tip="企業等名称")
    tf("representative", 310, 158, 200, 14, tip="代表者氏名")
    cb("cb_individual", 186, 228, "個別連携協定")
    cb("cb_comprehensive", 316, 228, "包括連携協定")
    cb("cb_env", 186, 258, "環境")
    cb("cb_kids", 286, 258, "子育て")
    cb("cb_disaster", 386, 258, "災害対策")
    cb("cb_other", 186, 278, "その他")
    tf("other", 245, 276, 180, 14, tip="その他の内容")
    cb("cb_axis_yes", 186, 308, "有")
    tf("axis", 275, 306, 150, 14, tip="主軸分野")
    cb("cb_axis_no", 186, 325, "無")
    tf("purpose", 175, 343, 350, 54, multiline=True, tip="協定締結の目的")
    tf("effects", 175, 403, 350, 54, multiline=True, tip="期待される効果")
    tf("department", 175, 463, 350, 18, tip="部署名")
    tf("contact", 175, 487, 350, 18, tip="担当者氏名")
    tf("phone", 175, 511, 350, 18, tip="電話番号")
    tf("email", 175, 535, 350, 18, tip="メールアドレス")
    c.showPage()
    c.save()
    return path


_KEYS = ["address", "name", "representative", "cb_individual", "cb_comprehensive", "cb_env", "cb_kids",
         "cb_disaster", "cb_other", "other", "cb_axis_yes", "axis", "cb_axis_no", "purpose", "effects",
         "department", "contact", "phone", "email"]

_VALUES = {"address": "北海道旭川市神楽１条", "name": "株式会社かぐら", "representative": "代表取締役　神楽　一郎",
           "cb_comprehensive": True, "cb_env": True, "cb_kids": True, "cb_other": True, "other": "食育",
           "cb_axis_yes": True, "axis": "子育て", "purpose": "子どもの食育を進めるため。",
           "effects": "食品ロスの削減。\n地域の魅力向上。", "department": "総務部", "contact": "神楽　花",
           "phone": "0166-99-0000", "email": "hana@example.jp"}


def _fill_generic(src: Path, out: Path, names: dict[str, str]) -> Path:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(str(src)))
    by_name = {names[k]: v for k, v in _VALUES.items()}
    for ref in _annots(writer):
        annot = ref.get_object()
        value = by_name.get(str(annot.get("/T")))
        if value is True:
            annot[NameObject("/V")] = NameObject("/Yes")
        elif isinstance(value, str):
            annot[NameObject("/V")] = TextStringObject(value)
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def _check_generic(got: dict) -> None:
    assert got["organization"] == {"address": "北海道旭川市神楽１条", "name": "株式会社かぐら",
                                   "representative": "代表取締役　神楽　一郎"}
    assert got["agreement_type"] == "comprehensive"
    assert got["fields"] == ["環境", "子育て", "その他"] and got["other_field_text"] == "食育"
    assert got["axis"] == {"present": True, "field": "子育て", "text": "子育て"}
    assert got["purpose"] == "子どもの食育を進めるため。"
    assert got["expected_effects"] == "食品ロスの削減。\n地域の魅力向上。"
    assert got["contact"] == {"department": "総務部", "name": "神楽　花", "phone": "0166-99-0000",
                              "email": "hana@example.jp"}


def test_generic_field_names_are_mapped_by_the_label_beside_them(tmp_path):
    names = {k: (f"チェック ボックス{i}" if k.startswith("cb_") else f"テキスト{i}") for i, k in enumerate(_KEYS, 1)}
    form = _generic_form(tmp_path / "generic.pdf", names)
    filled = _fill_generic(form, tmp_path / "filled.pdf", names)
    p = read_proposal(filled)
    _check_generic(p.to_json())
    assert p.sources["organization.name"] == "pdf:acroform" and p.sources["agreement_type"] == "pdf:acroform"


def test_fields_named_by_tooltip(tmp_path):
    names = {k: f"Text{i}" if not k.startswith("cb_") else f"Check Box{i}" for i, k in enumerate(_KEYS, 1)}
    form = _generic_form(tmp_path / "tips.pdf", names, tooltips=True)
    _check_generic(read_proposal(_fill_generic(form, tmp_path / "filled.pdf", names)).to_json())


def test_fields_named_after_their_labels(tmp_path):
    names = {"address": "所在地", "name": "企業等名称", "representative": "代表者氏名",
             "cb_individual": "個別連携協定", "cb_comprehensive": "包括連携協定", "cb_env": "環境",
             "cb_kids": "子育て", "cb_disaster": "災害対策", "cb_other": "その他", "other": "その他の内容",
             "cb_axis_yes": "有", "axis": "主軸分野", "cb_axis_no": "無", "purpose": "協定締結の目的",
             "effects": "連携により期待される効果", "department": "部署名", "contact": "担当者氏名",
             "phone": "電話番号", "email": "メールアドレス"}
    # placed anywhere: names alone must do, so move every field to a blank corner of the page
    form = _generic_form(tmp_path / "named.pdf", names)
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(str(form)))
    for k, ref in enumerate(_annots(writer)):
        annot = ref.get_object()
        annot[NameObject("/Rect")] = ArrayObject([FloatObject(v) for v in (60 + 25 * k, 40, 80 + 25 * k, 55)])
    moved = tmp_path / "moved.pdf"
    with open(moved, "wb") as fh:
        writer.write(fh)
    _check_generic(read_proposal(_fill_generic(moved, tmp_path / "filled.pdf", names)).to_json())


def test_radio_group_takes_the_chosen_kid(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    _font()
    path = tmp_path / "radio.pdf"
    c = Canvas(str(path), pagesize=A4)
    page = (Page().text(70, 80, "連携協定の種別").text(215, 80, "個別連携協定").text(335, 80, "包括連携協定")
            .text(70, 110, "連携の分野").text(215, 110, "環境").text(335, 110, "子育て"))
    draw(c, page)
    for value, x in (("Choice1", 200), ("Choice2", 320)):
        c.acroForm.radio(name="ラジオボタン1", value=value, selected=value == "Choice2", x=x, y=A4[1] - 90,
                         size=10, buttonStyle="circle")
    for name, x in (("チェック1", 200), ("チェック2", 320)):
        c.acroForm.checkbox(name=name, x=x, y=A4[1] - 120, size=10, checked=True)
    c.showPage()
    c.save()
    got = read_proposal(path)
    assert got.agreement_type == "comprehensive" and got.types_ticked == ["comprehensive"]
    assert got.fields == ["環境", "子育て"]


def test_flattened_form_falls_back_to_the_text_layer(tmp_path):
    """Values printed into the page and no fields left: read like any text PDF."""
    from reportlab.pdfgen.canvas import Canvas

    _font()
    path = tmp_path / "flat.pdf"
    c = Canvas(str(path), pagesize=A4)
    draw(c, Page().text(70, 80, "連携協定の種別：■包括連携協定　□個別連携協定")
         .text(70, 100, "連携の分野：■環境　■子育て")
         .text(70, 120, "企業等名称：株式会社フラット"))
    _ = c.acroForm  # an empty AcroForm dictionary, as flattening tools leave behind
    c.showPage()
    c.save()
    from pypdf import PdfReader
    assert not PdfReader(str(path)).get_fields()
    got = read_proposal(path)
    assert got.agreement_type == "comprehensive" and got.fields == ["環境", "子育て"]
    assert got.organization.name == "株式会社フラット" and got.sources["organization.name"] == "pdf:text"
    assert read_form(path).format == "pdf"


def test_cli_json_for_a_filled_form(blank, tmp_path):
    filled = tmp_path / "提案書.pdf"
    fill_pdf(blank, filled, ANSWERS)
    res = run_cli("check", "--json", str(filled))
    assert res.returncode == 0, res.stdout + res.stderr
    obj = json.loads(res.stdout)
    assert obj["valid"] is True and obj["proposal"]["format"] == "pdf"


# ---------------------------------------------------------------- made fillable by Acrobat

ACROBAT_EXPECTED = {
    "format": "pdf", "submitted_on": "2026-04-01",
    "organization": {"address": "北海道旭川市神楽１条", "name": "株式会社かぐら",
                     "representative": "代表取締役　神楽　一郎"},
    "agreement_type": "comprehensive", "fields": ["環境", "子育て", "その他"], "other_field_text": "食育",
    "axis": {"present": True, "field": "子育て", "text": "子育て"},
    "purpose": "子どもの食育を進めるため。", "expected_effects": "食品ロスの削減。\n地域の魅力向上。",
    "contact": {"department": "総務部", "name": "神楽　花", "phone": "0166-99-0000", "email": "hana@example.jp"},
}


@pytest.mark.parametrize("type_exports, axis_exports", [(("Choice1", "Choice2"), ("0", "1")),
                                                        (("0", "1"), ("Choice1", "Choice2"))])
def test_an_acrobat_form_reads_by_the_printed_text_around_each_widget(tmp_path, type_exports, axis_exports):
    """Text1…, Check Box7… with /On /1 /Ja /Oui /Check, radio groups Group1/Group2, a date in three fields."""
    from pdfbuild import ACROBAT_VALUES, acrobat_form, fill_acrobat

    names = acrobat_form(tmp_path / "acrobat.pdf", type_exports=type_exports, axis_exports=axis_exports)
    assert names["era_year"] == "Text1" and names["type"] == "Group1" and names["field_環境"].startswith("Check Box")
    values = dict(ACROBAT_VALUES, type=type_exports[1], axis=axis_exports[0])
    filled = fill_acrobat(tmp_path / "acrobat.pdf", tmp_path / "filled.pdf", names, values)
    from pypdf import PdfReader
    fields = PdfReader(str(filled)).get_fields() or {}
    on_values = {str(f.get("/V")) for n, f in fields.items() if n.startswith("Check")}
    assert on_values - {"/Off"} == {"/1", "/Check", "/Yes"}  # three of the on-values Acrobat writes
    p = read_proposal(filled)
    assert _contract(filled) == ACROBAT_EXPECTED
    assert p.sources["submitted_on"] == "pdf:acroform" and p.sources["agreement_type"] == "pdf:acroform"


def test_an_unfilled_acrobat_form_has_no_date_and_no_choice(tmp_path):
    from pdfbuild import acrobat_form

    acrobat_form(tmp_path / "acrobat.pdf")
    got = _contract(tmp_path / "acrobat.pdf")
    assert got["submitted_on"] is None and got["agreement_type"] is None and got["fields"] == []
    assert got["axis"]["present"] is None


def test_a_date_field_inside_a_labelled_line_reads_with_its_label(tmp_path):
    """「提出日　令和[ ]年[ ]月[ ]日」: the first field's neighbour is a label, the others are blanks of one date."""
    from reportlab.pdfgen.canvas import Canvas

    _font()
    path = tmp_path / "date.pdf"
    c = Canvas(str(path), pagesize=A4)
    page = Page().text(300, 80, "提出日　令和　　年　　月　　日")
    for k, label in enumerate(("所在地", "企業等名称", "代表者氏名", "連携協定の種別", "連携の分野", "協定締結の目的")):
        page.text(70, 120 + 25 * k, label)
    draw(c, page)
    for k, x in enumerate((363.5, 395, 426.5)):
        c.acroForm.textfield(name=f"Text{k + 1}", x=x, y=A4[1] - 80 - 13, width=20, height=13, fontName="Helvetica",
                             fontSize=9, borderWidth=0)
    c.showPage()
    c.save()
    from pdfbuild import fill_acrobat

    filled = fill_acrobat(path, tmp_path / "filled.pdf", {"y": "Text1", "m": "Text2", "d": "Text3"},
                          {"y": "７", "m": "12", "d": "25"})
    assert _contract(filled)["submitted_on"] == "2025-12-25"


# ------------------------------------------------------------------ long files: only the pages read are walked

def _page_objects_read(reader) -> int:
    """Page dictionaries pypdf has parsed so far (it keeps every object it reads in ``resolved_objects``)."""
    return sum(1 for obj in reader.resolved_objects.values() if hasattr(obj, "get") and obj.get("/Type") == "/Page")


@pytest.fixture(scope="module")
def long_fillable(blank, tmp_path_factory) -> Path:
    """The filled Form 1 (one page) followed by 300 pages of attachments."""
    from pypdf import PdfReader, PdfWriter

    folder = tmp_path_factory.mktemp("long")
    fill_pdf(blank, folder / "filled.pdf", ANSWERS)
    writer = PdfWriter(clone_from=PdfReader(folder / "filled.pdf"))
    for _ in range(300):
        writer.add_blank_page()
    out = folder / "form_and_300_pages.pdf"
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def test_the_fields_of_a_long_form_are_read_without_walking_its_other_pages(long_fillable):
    from pypdf import PdfReader

    from kyotei_docs.readers import acroform

    reader = PdfReader(long_fillable)
    found = acroform.widgets(reader, 3)
    assert {w.name for w in found} >= {"organization_name", "type_comprehensive"}
    assert _page_objects_read(reader) == 3
    assert len(reader.pages) == 301 and _page_objects_read(reader) == 301  # the count sees a whole walk
    assert _contract(long_fillable) == EXPECTED


def test_the_page_walk_inherits_from_the_tree_as_pypdf_does(tmp_path):
    """MediaBox and Rotate set on /Pages nodes; a page without /Type; a kid that is no dictionary."""
    from pypdf import PdfReader

    from kyotei_docs.readers import acroform
    from pdfbuild import raw_pdf

    path = tmp_path / "tree.pdf"
    path.write_bytes(raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 6 0 R 4 0 R] /Count 3 /MediaBox [0 0 200 300] >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [5 0 R] /Count 1 /Rotate 90 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 120] >>",
        b"<< /Parent 3 0 R >>",
        b"42",
    ]))
    ours = acroform.first_pages(PdfReader(path), 10)
    theirs = list(PdfReader(path).pages)
    assert [(list(p.mediabox), p.get("/Rotate")) for p in ours] == \
        [(list(p.mediabox), p.get("/Rotate")) for p in theirs] == [([0, 0, 200, 300], 90), ([0, 0, 100, 120], None)]
    assert len(acroform.first_pages(PdfReader(path), 1)) == 1


def test_a_page_tree_that_contains_itself_ends(tmp_path):
    from pypdf import PdfReader

    from kyotei_docs.readers import acroform
    from pdfbuild import raw_pdf

    path = tmp_path / "cycle.pdf"
    path.write_bytes(raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
    ]))
    assert len(acroform.first_pages(PdfReader(path), 20)) == 1


def test_the_catalog_decides_whether_pypdf_opens_a_pdf(blank, tmp_path):
    """pdfminer has read the catalog for the text layer: pypdf is needed only when it lists fields."""
    import pdfplumber

    from kyotei_docs.readers import acroform
    from pdfbuild import one_page, raw_pdf

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(one_page(b"BT ET"))
    no_fields = tmp_path / "empty_acroform.pdf"
    no_fields.write_bytes(raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Fields [] >>",
    ]))
    data = blank.read_bytes()
    moved = tmp_path / "wrong_startxref.pdf"  # pdfminer rebuilds its table: unsure, pypdf decides
    cut = data.rfind(b"startxref")
    moved.write_bytes(data[:cut] + b"startxref\n123\n%%EOF\n")
    verdicts = {}
    for path in (blank, plain, no_fields, moved):
        with pdfplumber.open(path) as pdf:
            verdicts[path.name] = acroform.declares_fields(pdf.doc)
    assert verdicts == {blank.name: True, "plain.pdf": False, "empty_acroform.pdf": False,
                        "wrong_startxref.pdf": True}
    filled = tmp_path / "filled_moved.pdf"
    fill_pdf(blank, filled, ANSWERS)
    data = filled.read_bytes()
    filled.write_bytes(data[:data.rfind(b"startxref")] + b"startxref\n123\n%%EOF\n")
    assert _contract(filled) == EXPECTED  # pypdf repairs it and reads the fields
