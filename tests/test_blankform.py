"""The blank Form 1, fill_form, and the committed samples built from them."""

from __future__ import annotations

import importlib.util
import json
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from docxbuild import NS, Xml, dele, ffcheckbox, ins, make_docx, p, run, table
from kyotei_docs.blankform import control_tags, fill_form, write_blank_form
from kyotei_docs.vocab import ALL_FIELDS

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates" / "form1_proposal.docx"
SAMPLES = ROOT / "samples"
W14_VAL = f"{{{NS['w14']}}}val"


def _xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _w(name: str) -> str:
    return f"{{{NS['w']}}}{name}"


def _sdt(root: etree._Element, tag: str) -> etree._Element:
    found = root.xpath("//w:sdt[w:sdtPr/w:tag/@w:val=$t]", namespaces=NS, t=f"kyotei:{tag}")
    assert isinstance(found, list) and len(found) == 1, tag
    (sdt,) = found
    assert isinstance(sdt, etree._Element)
    return sdt


def _one(el: etree._Element, path: str) -> etree._Element:
    """The element at ``path``; the test fails here, by name, when it is missing."""
    found = el.find(path, NS)
    assert found is not None, path
    return found


def _text(el: etree._Element) -> str:
    """Text of an element with w:br as a newline, the way a reader must see it."""
    return "".join("\n" if n.tag == _w("br") else n.text or "" for n in el.iter(_w("t"), _w("br")))


def _load_make_samples():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("blank") / "form1.docx"
    write_blank_form(path)
    return path


# ------------------------------------------------------------------ structure


def test_one_table_with_contact_merged_vertically(blank: Path) -> None:
    root = _xml(blank)
    (tbl,) = root.findall(".//w:tbl", NS)
    first_col = [_one(tr, "w:tc") for tr in tbl.findall("w:tr", NS)]
    merges = [tc.find("w:tcPr/w:vMerge", NS) for tc in first_col]
    states = [None if m is None else m.get(_w("val"), "continue") for m in merges]
    assert states == [None] * 5 + ["restart", "continue", "continue", "continue"]
    assert _text(first_col[5]) == "連絡先"
    labels = [_text(tr.findall("w:tc", NS)[1]) for tr in tbl.findall("w:tr", NS)[5:]]
    assert labels == ["部　署　名", "担当者氏名", "電 話 番 号", "メールアドレス"]


def test_checkbox_count_and_glyphs(blank: Path) -> None:
    root = _xml(blank)
    boxes = root.findall(".//w14:checkbox", NS)
    assert len(boxes) == 2 + 12 + 2
    for box in boxes:
        assert _one(box, "w14:checked").get(W14_VAL) == "0"
        assert _one(box, "w14:checkedState").get(W14_VAL) == "2611"
        assert _one(box, "w14:uncheckedState").get(W14_VAL) == "2610"
        assert _one(box, "w14:checkedState").get(f"{{{NS['w14']}}}font") == "MS Gothic"
        sdt = next(box.iterancestors(_w("sdt")))
        assert _text(_one(sdt, "w:sdtContent")) == "☐"


def test_every_answer_has_a_tagged_control(blank: Path) -> None:
    expected = {
        "kyotei:submitted_on",
        "kyotei:organization.address",
        "kyotei:organization.name",
        "kyotei:organization.representative",
        "kyotei:type.individual",
        "kyotei:type.comprehensive",
        *(f"kyotei:field.{name}" for name in ALL_FIELDS),
        "kyotei:other_field_text",
        "kyotei:axis.present",
        "kyotei:axis.text",
        "kyotei:axis.absent",
        "kyotei:purpose",
        "kyotei:expected_effects",
        "kyotei:contact.department",
        "kyotei:contact.name",
        "kyotei:contact.phone",
        "kyotei:contact.email",
    }
    tags = control_tags(blank)
    assert len(tags) == len(set(tags)) == len(expected)
    assert set(tags) == expected
    fields = [t.removeprefix("kyotei:field.") for t in tags if t.startswith("kyotei:field.")]
    assert fields == list(ALL_FIELDS)  # canonical order in the document too


def test_text_controls_show_placeholders_and_aliases(blank: Path) -> None:
    root = _xml(blank)
    ids = root.xpath("//w:sdtPr/w:id/@w:val", namespaces=NS)
    assert isinstance(ids, list)
    assert len(ids) == len(set(ids)) == 28
    for sdt in root.iter(_w("sdt")):
        pr = _one(sdt, "w:sdtPr")
        assert _one(pr, "w:alias").get(_w("val"))
        if pr.find("w:text", NS) is not None:
            assert pr.find("w:showingPlcHdr", NS) is not None
    assert _text(_sdt(root, "submitted_on")) == "令和　　年　　月　　日"
    multi = {"purpose", "expected_effects"}
    for tag in multi:
        assert _one(_sdt(root, tag), "w:sdtPr/w:text").get(_w("multiLine")) == "1"


def test_header_sentences_in_order(blank: Path) -> None:
    paras = [p.text for p in docx.Document(str(blank)).paragraphs]
    wanted = [
        "旭川市長　様",
        "所 在 地：",
        "企業等名称：",
        "代表者氏名：",
        "連携協定に関する提案書",
        "連携協定に係る連携内容等について，次のとおり提案します。",
        "※別紙企画書等の添付も可。",
    ]
    found = [next(i for i, t in enumerate(paras) if t.startswith(w)) for w in wanted]
    assert found == sorted(found)


def test_page_fonts_and_namespaces(blank: Path) -> None:
    document = docx.Document(str(blank))
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.5)
    styles = document.styles.element
    fonts = _one(styles, ".//w:docDefaults//w:rFonts")
    assert fonts.get(_w("eastAsia")) == "ＭＳ 明朝"
    assert _one(styles, ".//w:docDefaults//w:lang").get(_w("eastAsia")) == "ja-JP"
    root = _xml(blank)
    assert root.nsmap["w14"] == NS["w14"]
    assert "w14" in (root.get(f"{{{NS['mc']}}}Ignorable") or "").split()


def test_committed_template_is_current(blank: Path) -> None:
    assert TEMPLATE.exists(), "run scripts/make_template.py"
    assert etree.tostring(_xml(TEMPLATE)) == etree.tostring(_xml(blank))


# ---------------------------------------------------------------------- filling


def test_fill_form_sets_boxes_and_text(blank: Path, tmp_path: Path) -> None:
    out = tmp_path / "filled.docx"
    fill_form(
        blank,
        out,
        {
            "type.comprehensive": True,
            "kyotei:field.環境": True,
            "field.子育て": False,
            "organization.name": "株式会社<テスト>&商会",
            "purpose": "一行目\n二行目",
        },
    )
    root = _xml(out)
    box = _sdt(root, "type.comprehensive")
    assert _one(box, ".//w14:checked").get(W14_VAL) == "1"
    assert _text(_one(box, "w:sdtContent")) == "☑"
    assert _text(_one(_sdt(root, "field.環境"), "w:sdtContent")) == "☑"
    assert _text(_one(_sdt(root, "type.individual"), "w:sdtContent")) == "☐"
    name = _sdt(root, "organization.name")
    assert name.find("w:sdtPr/w:showingPlcHdr", NS) is None
    assert _text(_one(name, "w:sdtContent")) == "株式会社<テスト>&商会"
    assert name.find(".//w:color", NS) is None  # the placeholder's grey is gone
    purpose = _sdt(root, "purpose")
    assert _text(_one(purpose, "w:sdtContent")) == "一行目\n二行目"
    untouched = _sdt(root, "organization.address")
    assert untouched.find("w:sdtPr/w:showingPlcHdr", NS) is not None


def test_fill_form_unticks(blank: Path, tmp_path: Path) -> None:
    once, twice = tmp_path / "a.docx", tmp_path / "b.docx"
    fill_form(blank, once, {"axis.present": True})
    fill_form(once, twice, {"axis.present": False})
    box = _sdt(_xml(twice), "axis.present")
    assert _one(box, ".//w14:checked").get(W14_VAL) == "0"
    assert _text(_one(box, "w:sdtContent")) == "☐"


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"field.存在しない": True}, KeyError),
        ({"type.individual": "yes"}, TypeError),
        ({"purpose": True}, TypeError),
        ({"organization.name": "二行\nの社名"}, ValueError),
    ],
)
def test_fill_form_rejects_mistakes(blank: Path, tmp_path: Path, values: dict, error: type) -> None:
    with pytest.raises(error):
        fill_form(blank, tmp_path / "x.docx", values)


# ----------------------------------------------------------------- docxbuild


def test_docxbuild_escapes_text_but_not_markup(tmp_path: Path) -> None:
    body = p("A&B<C>", run("x")) + table([["ラベル", "値"]])
    assert isinstance(dele("旧", rev=1) + ins("新", rev=2), Xml)
    path = make_docx(body, tmp_path / "t.docx")
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == "A&B<C>x"
    assert document.tables[0].cell(0, 1).text == "値"


def test_ffcheckbox_writes_bare_checked_and_default_only() -> None:
    assert "<w:checked/>" in ffcheckbox(True)
    only_default = ffcheckbox(None, True)
    assert '<w:default w:val="1"/>' in only_default and "w:checked" not in only_default


# -------------------------------------------------------------------- samples

SAMPLE_FILES = sorted(SAMPLES.glob("*.docx"))


def test_there_are_enough_samples() -> None:
    assert len(SAMPLE_FILES) >= 10


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_opens_and_has_expectations(path: Path) -> None:
    docx.Document(str(path))
    stem = path.stem
    expected = json.loads((SAMPLES / "expected" / f"{stem}.json").read_text(encoding="utf-8"))
    check = json.loads((SAMPLES / "expected" / f"{stem}.check.json").read_text(encoding="utf-8"))
    assert expected["file"] == path.name and expected["format"] == "docx"
    assert set(expected) == {
        "file", "format", "submitted_on", "organization", "agreement_type", "fields",
        "other_field_text", "axis", "purpose", "expected_effects", "contact",
    }
    assert set(check["expected_check"]) == {"valid", "errors", "warnings", "review"}
    assert check["expected_check"]["valid"] == (not check["expected_check"]["errors"])


def test_samples_are_what_make_samples_writes(tmp_path: Path) -> None:
    """The committed samples and expectations must come from the script, not hand edits."""
    make_samples = _load_make_samples()
    for path in make_samples.write_all(tmp_path):
        assert etree.tostring(_xml(path)) == etree.tostring(_xml(SAMPLES / path.name)), path.name
        for suffix in (".json", ".check.json"):
            name = path.stem + suffix
            assert (tmp_path / "expected" / name).read_bytes() == (SAMPLES / "expected" / name).read_bytes()


def test_macro_sample_carries_a_vba_project() -> None:
    with zipfile.ZipFile(SAMPLES / "10_textbox_macros.docx") as z:
        assert z.read("word/vbaProject.bin").startswith(bytes.fromhex("D0CF11E0A1B11AE1"))
        assert b"vbaProject" in z.read("word/_rels/document.xml.rels")


# ---------------------------------------------------------------- as printed (LibreOffice)

@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> list[list[dict]]:
    """The blank form written with the tōten 「、」, printed to PDF by LibreOffice: its text lines with characters."""
    import pdfplumber

    from pdfbuild import docx_to

    folder = tmp_path_factory.mktemp("printed")
    path = folder / "blank.docx"
    write_blank_form(path, comma="、")
    pdf = docx_to(path, "pdf", folder)
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == 1
        return [line["chars"] for line in doc.pages[0].extract_text_lines(return_chars=True)]


def _line_text(chars: list[dict]) -> str:
    return "".join(c["text"] for c in chars)


@pytest.mark.libreoffice
def test_labels_break_only_where_a_word_ends(printed: list[list[dict]]) -> None:
    texts = [_line_text(chars) for chars in printed]
    for whole in ("連携により", "期待される効果", "連携協定の種別", "主軸分野の有無", "協定締結の目的", "メールアドレス"):
        assert any(whole in t for t in texts), whole
    # a note line never ends inside 「場合」 or another word (the breaks are explicit)
    assert not any(t.endswith(("場", "効", "選", "主軸")) for t in texts)


@pytest.mark.libreoffice
def test_field_options_do_not_touch(printed: list[list[dict]]) -> None:
    """Between one option's last character and the next box there is at least a third of a character."""
    rows = [chars for chars in printed if sum(c["text"] == "☐" for c in chars) == 3]
    assert len(rows) >= 3
    for chars in rows:
        for before, box in zip(chars, chars[1:]):
            if box["text"] == "☐" and before["text"] != "☐" and not before["text"].isspace():
                assert box["x0"] - before["x1"] >= 0.33 * float(box["size"]), _line_text(chars)


@pytest.mark.libreoffice
def test_punctuation_follows_the_configured_comma(printed: list[list[dict]]) -> None:
    text = "".join(_line_text(chars) for chars in printed)
    assert "，" not in text and text.count("、") >= 4
