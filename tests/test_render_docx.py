"""Rendering Form 2 and Form 3 as .docx/.html: samples, safety of values, naming, templates, the command."""

from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from kyotei_docs.cli import cli
from kyotei_docs.config import load_config
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.pipeline import read_proposal
from kyotei_docs.proposal import Axis
from kyotei_docs.render import (
    InvalidProposal,
    RenderError,
    TemplateProblem,
    builtin_dir,
    export_templates,
    lint_dir,
    lint_template,
    render_documents,
)
from kyotei_docs.render.lint import _tiny_png
from kyotei_docs.render.naming import publish, temp_path
from kyotei_docs.render.templates import TEMPLATE_NAMES, resolve_templates
from render_support import (
    HOSTILE_NAME,
    HOSTILE_PRINTED,
    ROOT,
    docx_paragraphs,
    docx_text,
    individual_proposal,
    valid_proposal,
    valid_samples,
)

CLOSING = "その他，地域の活性化及び市民サービスの向上に関すること"


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "kyotei_docs" / "defaults" / "kyotei.toml")


# ----------------------------------------------------------------------- samples

@pytest.fixture(scope="module")
def rendered_samples(cfg, tmp_path_factory):
    """Every valid sample rendered once (no PDF): {sample: RenderResult}."""
    out = tmp_path_factory.mktemp("samples")
    return {path: (read_proposal(path), render_documents(read_proposal(path), cfg, out,
                                                         signing_date=date(2026, 12, 1)))
            for path in valid_samples()}


def test_there_are_samples_to_render() -> None:
    assert len(valid_samples()) >= 5


def test_every_valid_sample_renders(rendered_samples) -> None:
    for sample, (proposal, result) in rendered_samples.items():
        form2 = result.documents["form2_docx"]
        text = docx_text(form2)
        name = proposal.organization.name
        assert f"旭川市と{name}との" in docx_paragraphs(form2)[0], sample.name
        assert "（以下「乙」という。）" in text
        assert "第４条　本協定の有効期間は，協定締結の日から令和９年３月３１日までとする。" in text
        assert "令和８年１２月１日" in text
        assert "⑴　" in text and CLOSING in text
        assert proposal.organization.representative in text
        assert "{{" not in text and "{%" not in text
        form3 = docx_text(result.documents["form3_docx"])
        assert f"旭川市と{name}は，令和8年12月1日に「旭川市と{name}との" in form3
        assert f"{len([line for line in text.splitlines() if re.match('^[⑴-⒇]', line)])}項目を連携項目" in form3
        html = result.documents["form3_html"].read_text("utf-8")
        assert "<ol>" in html and CLOSING in html


def test_sample_item_order_follows_axis_and_canonical_order(rendered_samples) -> None:
    for _sample, (proposal, result) in rendered_samples.items():
        items = [p for p in docx_paragraphs(result.documents["form2_docx"]) if re.match("^[⑴-⒇]", p)]
        assert items[-1] == f"⑴　{CLOSING}".replace("⑴", items[-1][0])
        if proposal.axis.present and proposal.axis.field:
            assert items[0] == f"⑴　{proposal.axis.field}に関すること"


def test_articles_use_full_width_digits(rendered_samples) -> None:
    _proposal, result = next(iter(rendered_samples.values()))
    text = docx_text(result.documents["form2_docx"])
    for n in "１２３４５６":
        assert f"第{n}条" in text
    assert not re.search(r"第[0-9]+条", text)


# ----------------------------------------------------------------------- fonts, A4, layout

def test_documents_carry_japanese_font_and_a4(rendered_samples) -> None:
    _proposal, result = next(iter(rendered_samples.values()))
    path = result.documents["form2_docx"]
    with zipfile.ZipFile(path) as zf:
        body = zf.read("word/document.xml").decode()
        styles = zf.read("word/styles.xml").decode()
    assert 'w:eastAsia="ＭＳ 明朝"' in body and 'w:eastAsia="ja-JP"' in body
    assert 'w:eastAsia="ＭＳ 明朝"' in styles and "asciiTheme" not in styles.split("</w:docDefaults>")[0]
    section = Document(str(path)).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "<w:cantSplit/>" in body  # the signature block's row never splits


def test_configured_font_and_comma(cfg, tmp_path) -> None:
    city = dataclasses.replace(cfg, comma="、", render=dataclasses.replace(cfg.render, font="游明朝"))
    result = render_documents(valid_proposal(), city, tmp_path, signing_date=date(2026, 12, 1))
    path = result.documents["form2_docx"]
    text = docx_text(path)
    assert "，" not in text
    assert "その他、地域の活性化及び市民サービスの向上に関すること" in text
    with zipfile.ZipFile(path) as zf:
        body = zf.read("word/document.xml").decode()
        styles = zf.read("word/styles.xml").decode()
    assert 'w:eastAsia="游明朝"' in body and "ＭＳ 明朝" not in body
    assert 'w:eastAsia="游明朝"' in styles
    assert "、" in result.documents["form3_html"].read_text("utf-8")


def test_individual_agreement(cfg, tmp_path) -> None:
    result = render_documents(individual_proposal(), cfg, tmp_path, signing_date=date(2026, 12, 1),
                              title="災害時における応急対策業務に関する協定書")
    path = result.documents["form2_docx"]
    assert path.name == "株式会社見本商事_連携協定書.docx"
    paragraphs = docx_paragraphs(path)
    assert paragraphs[0] == "災害時における応急対策業務に関する協定書"
    text = "\n".join(paragraphs)
    assert "災害時における応急対策業務に関し" in text
    assert "⑴　災害対策に関すること" in text and f"⑵　{CLOSING}" in text
    assert "親会社" not in text


# ----------------------------------------------------------------------- hostile values

@pytest.fixture(scope="module")
def hostile(cfg, tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    p = valid_proposal(name=HOSTILE_NAME, representative="代表\x00取締役 <b>太郎</b> & {{ city }}",
                       address="旭川市\x1b[31m ]]> ' \" 1丁目")
    return render_documents(p, cfg, out, signing_date=date(2026, 12, 1),
                            items=["{{ 7*7 }}に関すること", "<w:p>A&amp;B</w:p>に関すること"],
                            results={2025: ["{% for x in items %}{{x}}{% endfor %}"]})


def test_hostile_values_print_literally_in_docx(hostile) -> None:
    text = docx_text(hostile.documents["form2_docx"])
    assert HOSTILE_PRINTED in text
    assert "代表取締役 <b>太郎</b> & {{ city }}" in text
    assert "⑴　{{ 7*7 }}に関すること" in text and "⑵　<w:p>A&amp;B</w:p>に関すること" in text
    assert "49" not in text
    assert "\x0b" not in text and "\x00" not in text and "\x1b" not in text
    form3 = docx_text(hostile.documents["form3_docx"])
    assert "{% for x in items %}{{x}}{% endfor %}" in form3


def test_hostile_values_are_escaped_in_html(hostile) -> None:
    html = hostile.documents["form3_html"].read_text("utf-8")
    assert "A&amp;B &lt;株&gt; {{7*7}}" in html
    assert "&lt;w:p&gt;A&amp;amp;B&lt;/w:p&gt;" in html
    assert "<b>" not in html


def test_hostile_file_names_stay_in_folder(hostile) -> None:
    for path in hostile.files:
        assert path.parent == hostile.documents["form2_docx"].parent
        assert "/" not in path.name and "<" not in path.name


def test_path_traversal_name(cfg, tmp_path) -> None:
    out = tmp_path / "out"
    result = render_documents(valid_proposal(name="../../株式会社／見本\\CON"), cfg, out)
    assert all(p.parent == out for p in result.files)
    assert result.documents["form2_docx"].name == "_.._株式会社_見本_CON_包括連携協定書.docx"
    reserved = render_documents(valid_proposal(name="CON"), cfg, out)
    assert reserved.documents["form2_docx"].name == "_CON_包括連携協定書.docx"
    long = render_documents(valid_proposal(name="株" * 200), cfg, out)
    assert all(len(p.name.encode()) <= 255 for p in long.files)


# ----------------------------------------------------------------------- never overwrite

def test_second_render_gets_new_names_and_leaves_no_temp_files(cfg, tmp_path) -> None:
    first = render_documents(valid_proposal(), cfg, tmp_path, signing_date=date(2026, 12, 1))
    before = {p: p.read_bytes() for p in first.files}
    second = render_documents(valid_proposal(), cfg, tmp_path)
    assert [p.name for p in second.files] == [p.stem + "(2)" + p.suffix for p in first.files]
    assert all(p.read_bytes() == data for p, data in before.items())
    assert any("上書きはしません" in w for w in second.warnings)
    # an unrelated file holding one of the names pushes the whole set to the next number
    (tmp_path / "株式会社見本商事_ホームページ掲載文(3).html").write_text("staff's own", encoding="utf-8")
    third = render_documents(valid_proposal(), cfg, tmp_path)
    assert all("(4)" in p.name for p in third.files)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_publish_never_replaces(tmp_path) -> None:
    target = tmp_path / "a.docx"
    target.write_text("original", encoding="utf-8")
    tmp = temp_path(tmp_path, ".docx")
    tmp.write_text("new", encoding="utf-8")
    used = publish(tmp, target)
    assert used.name == "a(2).docx" and used.read_text("utf-8") == "new"
    assert target.read_text("utf-8") == "original"
    assert not tmp.exists()
    tmp2 = temp_path(tmp_path, ".docx")
    assert publish(tmp2, tmp_path / "a(2).docx").name == "a(3).docx"


def test_output_files_are_not_private(cfg, tmp_path) -> None:
    import os
    import stat

    result = render_documents(valid_proposal(), cfg, tmp_path)
    umask = os.umask(0)
    os.umask(umask)
    mode = stat.S_IMODE(result.documents["form2_docx"].stat().st_mode)
    assert mode == 0o666 & ~umask


# ----------------------------------------------------------------------- refusals

def test_invalid_proposal_is_refused_before_writing(cfg, tmp_path) -> None:
    p = valid_proposal(fields=["環境"], axis=Axis(present=False))
    with pytest.raises(InvalidProposal) as err:
        render_documents(p, cfg, tmp_path / "out")
    assert err.value.result.errors
    assert not (tmp_path / "out").exists()


def test_too_many_items_is_refused(cfg, tmp_path) -> None:
    with pytest.raises(RenderError) as err:
        render_documents(valid_proposal(), cfg, tmp_path / "out", items=[f"事項{i}" for i in range(20)])
    assert err.value.code == "too_many_items"
    assert not (tmp_path / "out").exists()


def test_bad_photo_is_refused(cfg, tmp_path) -> None:
    fake = tmp_path / "photo.jpg"
    fake.write_text("not an image", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        render_documents(valid_proposal(), cfg, tmp_path / "out", photos=[fake])
    assert err.value.code == "photo_bad"


def test_photos_in_form3(cfg, tmp_path) -> None:
    photo = tmp_path / "signing.png"
    photo.write_bytes(_tiny_png())
    result = render_documents(valid_proposal(), cfg, tmp_path / "out", photos=[photo])
    copied = result.documents["photo1"]
    assert copied.name == "株式会社見本商事_写真1.png" and copied.read_bytes() == photo.read_bytes()
    html = result.documents["form3_html"].read_text("utf-8")
    assert "<img src=\"%E6%A0%AA" in html and "協定締結式の様子" in html
    with zipfile.ZipFile(result.documents["form3_docx"]) as zf:
        assert any(n.startswith("word/media/") for n in zf.namelist())


# ----------------------------------------------------------------------- templates

def _bad_template(tmp_path: Path, name: str, *paragraphs: str, table_row: str | None = None) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table_row is not None:
        table = doc.add_table(rows=1, cols=2)
        table.cell(0, 0).text = table_row
        table.cell(0, 1).text = "同じ行の文字"
    path = folder / "form2_comprehensive.docx"
    doc.save(str(path))
    return path


@pytest.mark.parametrize("paragraphs, table_row, code", [
    (("{{ title }}", "｛｛ partner.name ｝｝"), None, "ime_brace"),
    (("{{ title }}", "｛％ if kind ％｝x｛％ endif ％｝"), None, "ime_brace"),
    (("{{ partner.", "name }}"), None, "split_tag"),
    (("{{ partner.nmae }}",), None, "undefined"),
    (("{{ company }}",), None, "unknown_variable"),
    (("{% for item in items %}{{ item.text }}",), None, "syntax"),
    (("{%tr for item in items %}",), None, "tr_outside_row"),
    ((), "{%tr for item in items %}", "tr_not_alone"),
    (("{%p if kind %}見出し", "x", "{%p endif %}"), None, "p_extra_text"),
    (("{ { city } }",), None, "spaced_brace"),
    (("{{r title }}",), None, "richtext"),
])
def test_lint_findings(cfg, tmp_path, paragraphs, table_row, code) -> None:
    path = _bad_template(tmp_path, code, *paragraphs, table_row=table_row)
    findings = lint_template(path, cfg)
    assert code in [f.code for f in findings], [str(f) for f in findings]
    assert all(f.message for f in findings)


def test_builtin_templates_pass_the_lint(cfg) -> None:
    results = lint_dir(builtin_dir(), cfg)
    assert sorted(p.name for p in results) == sorted(TEMPLATE_NAMES)
    assert all(findings == [] for findings in results.values()), {p.name: [str(f) for f in f_] for p, f_ in results.items()}


def test_html_template_lint(cfg, tmp_path) -> None:
    bad = tmp_path / "form3_announcement.html"
    bad.write_text("<p>｛｛ city ｝｝{{ partner.nmae }}</p>{% if %}", encoding="utf-8")
    codes = [f.code for f in lint_template(bad, cfg)]
    assert "ime_brace" in codes and "syntax" in codes
    bad.write_text("<p>{{ partner.nmae }}</p>", encoding="utf-8")
    assert [f.code for f in lint_template(bad, cfg)] == ["undefined"]


def test_broken_template_stops_render_before_writing(cfg, tmp_path) -> None:
    path = _bad_template(tmp_path, "tpl", "｛｛ partner.name ｝｝")
    with pytest.raises(TemplateProblem) as err:
        render_documents(valid_proposal(), cfg, tmp_path / "out", templates_dir=path.parent)
    assert err.value.findings and not (tmp_path / "out").exists()
    assert "templates check" in err.value.message


def test_export_then_custom_template_is_used(cfg, tmp_path) -> None:
    folder = tmp_path / "city"
    written, skipped = export_templates(folder)
    assert sorted(p.name for p in written) == sorted(TEMPLATE_NAMES) and not skipped
    written2, skipped2 = export_templates(folder)
    assert not written2 and len(skipped2) == len(TEMPLATE_NAMES)
    # staff change one template; the others stay built-in
    (folder / "form2_individual.docx").unlink()
    doc = Document(str(folder / "form2_comprehensive.docx"))
    doc.paragraphs[0].runs[0].text = "【市の様式】{{ title }}"
    doc.save(str(folder / "form2_comprehensive.docx"))
    chosen = resolve_templates(cfg, folder)
    assert chosen.is_custom("form2_comprehensive.docx") and not chosen.is_custom("form2_individual.docx")
    result = render_documents(valid_proposal(), cfg, tmp_path / "out", templates_dir=folder)
    assert docx_paragraphs(result.documents["form2_docx"])[0].startswith("【市の様式】旭川市と")
    # and through the configuration
    configured = dataclasses.replace(cfg, render=dataclasses.replace(cfg.render, templates=str(folder)))
    result = render_documents(valid_proposal(), configured, tmp_path / "out2")
    assert docx_paragraphs(result.documents["form2_docx"])[0].startswith("【市の様式】")


def test_templates_are_current(tmp_path) -> None:
    """templates/*.docx are what scripts/make_templates.py makes (compare the XML, not the zip bytes)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_templates", ROOT / "scripts" / "make_templates.py")

    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for name in TEMPLATE_NAMES:
        fresh, committed = tmp_path / name, ROOT / "templates" / name
        if name.endswith(".html"):
            assert fresh.read_text("utf-8") == committed.read_text("utf-8")
            continue
        with zipfile.ZipFile(fresh) as a, zipfile.ZipFile(committed) as b:
            assert a.namelist() == b.namelist(), f"{name} — run scripts/make_templates.py"
            for part in a.namelist():
                assert a.read(part) == b.read(part), f"{name}:{part} — run scripts/make_templates.py"


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _style_ids_named(xml: bytes, elements: tuple[str, ...]) -> set[str]:
    from lxml import etree

    root = etree.fromstring(xml)
    return {val for name in elements for el in root.iter(f"{_W}{name}") if (val := el.get(f"{_W}val")) is not None}


@pytest.mark.parametrize("name", [n for n in TEMPLATE_NAMES if n.endswith(".docx")])
def test_templates_are_lean(name) -> None:
    """No python-docx ballast in the shipped templates, and no style they name is missing.

    The render opens, parses and re-compresses every part of the template, so the
    ~800 KB of default parts cost most of a render (bench/RESULTS.md, drop folder).
    """
    import posixpath

    from lxml import etree

    path = ROOT / "templates" / name
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        parts = {n: zf.read(n) for n in names}
    assert not [n for n in names if n == "word/stylesWithEffects.xml" or "thumbnail" in n
                or n.startswith("customXml/")]
    rels_and_types = b"".join(v for n, v in parts.items() if n.endswith(".rels") or n == "[Content_Types].xml")
    for gone in (b"stylesWithEffects", b"thumbnail", b"customXml"):
        assert gone not in rels_and_types
    # every relationship points at a part that is there, every part has a content type
    for rels_name in (n for n in names if n.endswith(".rels")):
        base = posixpath.dirname(posixpath.dirname(rels_name))
        for rel in etree.fromstring(parts[rels_name]):
            target = posixpath.normpath(posixpath.join(base, rel.get("Target", ""))).lstrip("/")
            assert target in names, f"{rels_name} → {target}"
    types = etree.fromstring(parts["[Content_Types].xml"])
    overrides = {el.get("PartName", "").lstrip("/") for el in types if el.tag.endswith("Override")}
    defaults = {el.get("Extension") for el in types if el.tag.endswith("Default")}
    for n in names:
        assert n == "[Content_Types].xml" or n in overrides or n.rsplit(".", 1)[-1] in defaults, n

    styles_xml = parts["word/styles.xml"]
    assert len(styles_xml) < 20_000
    assert b"latentStyles" not in styles_xml
    styles = etree.fromstring(styles_xml)
    defined = {s.get(f"{_W}styleId") for s in styles.iter(f"{_W}style")}
    referenced = set()
    for n, data in parts.items():
        if n.startswith("word/") and n.endswith(".xml") and n != "word/styles.xml":
            referenced |= _style_ids_named(data, ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink"))
    referenced |= _style_ids_named(styles_xml, ("basedOn", "next", "link"))
    assert referenced, "no style references found at all: the check would prove nothing"
    assert referenced <= defined, f"styles named but not defined: {sorted(referenced - defined)}"
    defaults = {s.get(f"{_W}type") for s in styles.iter(f"{_W}style") if s.get(f"{_W}default") == "1"}
    assert defaults == {"paragraph", "character", "table", "numbering"}
    # the fonts and language the render relies on live in docDefaults and Normal
    head = styles_xml.split(b"</w:docDefaults>")[0].decode()
    assert 'w:eastAsia="ＭＳ 明朝"' in head and 'w:eastAsia="ja-JP"' in head
    assert Document(str(path)).styles["Normal"].font.size.pt == 12


# ----------------------------------------------------------------------- the command

def test_command_render_and_exit_codes(tmp_path) -> None:
    runner = CliRunner()
    sample = valid_samples()[0]
    out = tmp_path / "out"
    res = runner.invoke(cli, ["render", str(sample), "--out", str(out), "--signing-date", "令和8年12月1日"])
    assert res.exit_code == 0, res.output
    assert "作成しました" in res.output and "次にすること" in res.output and "令和９年３月３１日" in res.output
    assert len(list(out.glob("*.docx"))) == 2

    invalid = ROOT / "samples" / "07_invalid_one_field_no_axis.docx"
    res = runner.invoke(cli, ["render", str(invalid), "--out", str(tmp_path / "x")])
    assert res.exit_code == ExitCode.FINDINGS and "要修正" in res.output and not (tmp_path / "x").exists()

    res = runner.invoke(cli, ["render", str(sample), "--out", str(out), "--signing-date", "そのうち"])
    assert res.exit_code == ExitCode.USAGE
    missing = runner.invoke(cli, ["render", str(tmp_path / "none.docx"), "--out", str(out)])
    assert missing.exit_code == ExitCode.UNREADABLE and "Traceback" not in missing.output

    items = tmp_path / "items.txt"
    items.write_text("\n".join(f"事項{i}" for i in range(25)), encoding="utf-8")
    res = runner.invoke(cli, ["render", str(sample), "--out", str(out), "--items", str(items)])
    assert res.exit_code == ExitCode.FINDINGS and "20 件まで" in res.output

    res = runner.invoke(cli, ["--lang", "en", "render", str(sample), "--out", str(out), "--term", "one-year",
                              "--expected-signing", "2026-12-01"])
    assert res.exit_code == 0 and "Next:" in res.output and "令和９年１１月３０日" in res.output


def test_command_names_the_output_folder_by_its_absolute_path(tmp_path, monkeypatch) -> None:
    """Staff give ``--out 出力先`` relative to wherever they are; the message says where that is."""
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["render", str(valid_samples()[0]), "--out", "出力先"])
    assert res.exit_code == 0, res.output
    assert f"作成しました（出力先: {tmp_path / '出力先'}）" in res.output
    assert len(list((tmp_path / "出力先").glob("*.docx"))) == 2


def test_command_accepts_proposal_json(tmp_path) -> None:
    import json

    data = valid_proposal().to_json()
    path = tmp_path / "proposal.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = CliRunner().invoke(cli, ["render", str(path), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output


def test_command_templates(tmp_path) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["templates", "check"])
    assert res.exit_code == 0 and "誤り 0 件" in res.output
    folder = tmp_path / "city"
    res = runner.invoke(cli, ["templates", "export", str(folder)])
    assert res.exit_code == 0 and len(list(folder.iterdir())) == len(TEMPLATE_NAMES)
    res = runner.invoke(cli, ["templates", "export", str(folder)])
    assert res.exit_code == ExitCode.FINDINGS and "上書きしません" in res.output
    shutil.copy(_bad_template(tmp_path, "bad", "｛｛ city ｝｝"), folder / "form2_comprehensive.docx")
    res = runner.invoke(cli, ["templates", "check", str(folder), "--variables"])
    assert res.exit_code == ExitCode.FINDINGS and "全角" in res.output and "partner" in res.output
    res = runner.invoke(cli, ["templates", "check", str(tmp_path / "nowhere")])
    assert res.exit_code == ExitCode.UNREADABLE


@pytest.mark.parametrize("signed, term, end", [
    (date(2026, 12, 1), "fiscal", "令和９年３月３１日"),
    (date(2026, 12, 1), "one-year", "令和９年１１月３０日"),
    (date(2027, 3, 15), "fiscal", "令和９年３月３１日"),
    (date(2027, 3, 15), "one-year", "令和１０年３月１４日"),
    (date(2028, 2, 29), "fiscal", "令和１０年３月３１日"),
    (date(2028, 2, 29), "one-year", "令和１１年２月２８日"),
])
def test_agreement_states_explicit_end_date(cfg, tmp_path, signed, term, end) -> None:
    result = render_documents(valid_proposal(), cfg, tmp_path, signing_date=signed, term=term)
    text = docx_text(result.documents["form2_docx"])
    assert f"第４条　本協定の有効期間は，協定締結の日から{end}までとする。" in text
    from kyotei_docs.era import format_wareki

    assert format_wareki(signed) in text  # the date line
    assert result.end_date is not None and format_wareki(result.end_date) == end
    warned = any("申出期限" in w for w in result.warnings)
    assert warned == (term == "fiscal" and signed != date(2026, 12, 1))


def test_command_with_results_and_photo(tmp_path) -> None:
    results = tmp_path / "results.txt"
    results.write_text("令和７年度\n・健康セミナーの開催\n", encoding="utf-8")
    photo = tmp_path / "photo.png"
    photo.write_bytes(_tiny_png())
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["render", str(valid_samples()[0]), "--out", str(out), "--results", str(results),
                                   "--photo", str(photo), "--title", "旭川市と見本との包括連携協定書"])
    assert res.exit_code == 0, res.output
    html = next(out.glob("*.html")).read_text("utf-8")
    assert "<h4>令和7年度連携実績</h4>" in html and "<li>健康セミナーの開催</li>" in html
    assert "写真" in res.output and "旭川市と見本との包括連携協定について" in html


def test_a_type_left_for_review_is_not_drafted_as_comprehensive(tmp_path, cfg):
    """Walk report: a 要確認 proposal whose type could not be read got a 包括連携協定書 draft (the default)."""
    from kyotei_docs.pipeline import check_file
    from kyotei_docs.render import render_documents
    from kyotei_docs.render.messages import RenderError

    result = check_file(ROOT / "samples" / "26_review_unknown_mark.docx", cfg)
    assert result.valid and result.proposal.agreement_type is None  # 要確認, not 要修正
    with pytest.raises(RenderError) as err:
        render_documents(result.proposal, cfg, tmp_path / "out")
    assert err.value.code == "type_unsettled" and "種別" in err.value.message
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
