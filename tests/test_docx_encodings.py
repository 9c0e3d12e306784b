"""Every way a Form 1 .docx stores an answer (docs/pitfalls.md), built from raw XML."""

from __future__ import annotations

from docxbuild import (
    Xml,
    cell,
    dele,
    ffcheckbox,
    fftext,
    ins,
    p,
    run,
    sdt_checkbox,
    sdt_text,
    sdt_wrap,
    sym,
    table,
    textbox,
)
from formbody import HEADER, axis_row, contact_rows, fields_row, form, text_rows, type_row


def test_default_body_is_valid_comprehensive(parse, cfg):
    from kyotei_docs.pipeline import check_proposal

    prop = parse(form())
    assert prop.agreement_type == "comprehensive"
    assert prop.fields == ["環境", "福祉・医療・健康"]
    assert prop.axis.present is True and prop.axis.field == "福祉・医療・健康"
    assert prop.organization.name == "株式会社テスト商事"
    assert prop.organization.address == "北海道旭川市緑町１丁目２番３号"
    assert prop.contact.email == "renraku@example.co.jp"
    assert prop.expected_effects == "健診受診率の向上。\n環境意識の向上。"
    assert prop.submitted_on.isoformat() == "2026-11-20"
    assert check_proposal(prop, cfg).valid


def test_label_glyph_is_not_a_selection(parse):
    # the only ☑ in the type row is the printed 「該当に☑」
    prop = parse(form(type_content="☐個別連携協定　☐包括連携協定"))
    assert prop.types_ticked == []
    assert prop.agreement_type is None


def test_typed_glyph_variants(parse):
    for mark in "☑☒■✓✔●":
        prop = parse(form(type_content=f"□個別連携協定　{mark}包括連携協定"))
        assert prop.agreement_type == "comprehensive", mark
        assert prop.sources["agreement_type"] == "docx:glyph"


def test_re_as_tick_but_not_inside_words(parse):
    prop = parse(form(type_content="レ個別連携協定　□包括連携協定",
                      rows=None))
    assert prop.agreement_type == "individual"
    # 「レジャー」 in a value stays a word and ticks nothing
    body = form(rows=[type_row(), fields_row(), axis_row(),
                      [cell("協定締結の目的"), cell("レジャー施設の活用を進めるため。", span=2)],
                      [cell("連携により期待される効果"), cell("交流人口の増加。", span=2)], *contact_rows()])
    prop = parse(body)
    assert prop.purpose == "レジャー施設の活用を進めるため。"


def test_wingdings_sym(parse):
    content = Xml(p(sym("Wingdings", "F0A8"), "個別連携協定　", sym("Wingdings", "F0FE"), "包括連携協定"))
    prop = parse(form(type_content=content))
    assert prop.agreement_type == "comprehensive"
    assert prop.sources["agreement_type"] == "docx:sym"


def test_wingdings2_sym_and_unprefixed_code(parse):
    content = Xml(p(sym("Wingdings 2", "0052"), "個別連携協定　", sym("Wingdings 2", "00A3"), "包括連携協定"))
    assert parse(form(type_content=content)).agreement_type == "individual"
    content = Xml(p(sym("Wingdings", "F0FD"), "個別連携協定　", sym("Wingdings", "F0A8"), "包括連携協定"))
    assert parse(form(type_content=content)).agreement_type == "individual"


def test_private_use_symbol_text(parse):
    content = Xml(p(run("\uf0fe", font="Wingdings"), "個別連携協定　", run("\uf0a8", font="Wingdings"), "包括連携協定"))
    prop = parse(form(type_content=content))
    assert prop.agreement_type == "individual"
    assert prop.sources["agreement_type"] == "docx:sym"


def test_content_control_checkbox_state_beats_its_glyph(parse):
    content = Xml(p(sdt_checkbox(False), "個別連携協定　", sdt_checkbox(True), "包括連携協定"))
    prop = parse(form(type_content=content))
    assert prop.agreement_type == "comprehensive"
    assert prop.sources["agreement_type"] == "docx:sdt"


def test_content_control_checkbox_with_wrong_glyph(parse):
    # w14:checked says 1 while the content still shows ☐ (edited XML, old viewer)
    xml = sdt_checkbox(True).replace("☑", "☐")
    content = Xml(p(sdt_checkbox(False), "個別連携協定　", Xml(xml), "包括連携協定"))
    assert parse(form(type_content=content)).agreement_type == "comprehensive"


def test_legacy_form_checkboxes(parse):
    content = Xml(p(ffcheckbox(checked=True), "個別連携協定　", ffcheckbox(), "包括連携協定"))
    prop = parse(form(type_content=content))
    assert prop.agreement_type == "individual"
    assert prop.sources["agreement_type"] == "docx:ffdata"
    # default only: the state is the default; checked=0 overrides a default of 1
    content = Xml(p(ffcheckbox(default=True), "個別連携協定　", ffcheckbox(checked=False, default=True), "包括連携協定"))
    prop = parse(form(type_content=content))
    assert prop.types_ticked == ["individual"]


def test_legacy_text_fields(parse):
    rows = [type_row(), fields_row(), axis_row(), *text_rows(),
            *contact_rows(department=Xml(p(fftext("総務部"))), email=Xml(p(fftext("a@example.jp"))))]
    prop = parse(form(rows=rows))
    assert prop.contact.department == "総務部"
    assert prop.sources["contact.department"] == "docx:formtext"
    assert prop.contact.email == "a@example.jp"


def test_content_control_text_and_placeholder(parse):
    placeholder = sdt_text("ここをクリックしてテキストを入力").replace(
        "<w:sdtPr>", "<w:sdtPr><w:showingPlcHdr/>", 1)
    rows = [type_row(), fields_row(), axis_row(), *text_rows(),
            *contact_rows(department=Xml(p(sdt_text("営業企画部"))), name=Xml(p(Xml(placeholder))))]
    prop = parse(form(rows=rows))
    assert prop.contact.department == "営業企画部"
    assert prop.sources["contact.department"] == "docx:sdt"
    assert prop.contact.name is None  # placeholder text is not a value


def test_block_and_row_level_content_controls(parse):
    purpose = sdt_wrap(p("第一段落。") + p("第二段落。"))
    rows = [type_row(), fields_row(), axis_row(),
            [cell("協定締結の目的"), cell(Xml(purpose), span=2)],
            [cell("連携により期待される効果"), cell("効果。", span=2)], *contact_rows()]
    prop = parse(form(rows=rows))
    assert prop.purpose == "第一段落。\n第二段落。"


def test_tracked_changes(parse):
    header = HEADER.replace("株式会社テスト商事", "")
    header = header.replace(p("企業等名称："), "")
    header = Xml(header + p("企業等名称：", dele("旧商事株式会社", rev=1), ins("新テスト株式会社", rev=2)))
    content = Xml(p(dele("☑", rev=3), ins("☐", rev=4), "個別連携協定　", dele("☐", rev=5), ins("☑", rev=6),
                    "包括連携協定"))
    prop = parse(form(header=header, type_content=content))
    assert prop.organization.name == "新テスト株式会社"
    assert prop.agreement_type == "comprehensive"


def test_merged_cells_read_once(parse):
    # 連絡先 spans four rows: its continuation cells must not repeat it
    prop = parse(form())
    assert prop.contact.department == "地域連携部"
    assert prop.contact.name == "連絡　太郎"
    import pathlib
    import tempfile

    from docxbuild import make_docx
    from kyotei_docs.readers import read_form
    with tempfile.TemporaryDirectory() as tmp:
        doc = read_form(make_docx(form(), pathlib.Path(tmp) / "m.docx"))
    assert sum(1 for b in doc.blocks if b.text == "連絡先") == 1


def test_text_box_read_once(parse):
    rows = [type_row(), fields_row(), axis_row(),
            [cell("協定締結の目的"), cell(Xml(p(textbox(["箱の中の目的です。"]))), span=2)],
            [cell("連携により期待される効果"), cell("効果。", span=2)], *contact_rows()]
    prop = parse(form(rows=rows))
    assert prop.purpose == "箱の中の目的です。"
    assert prop.sources["purpose"] == "docx:textbox"


def test_hidden_text_is_ignored(parse):
    hidden = Xml('<w:r><w:rPr><w:vanish/></w:rPr><w:t>隠し文字</w:t></w:r>')
    rows = [type_row(), fields_row(), axis_row(), *text_rows(),
            *contact_rows(department=Xml(p("総務部", hidden)))]
    assert parse(form(rows=rows)).contact.department == "総務部"


def test_ruby_keeps_base_text_only(parse):
    ruby = Xml('<w:r><w:ruby><w:rubyPr><w:rubyAlign w:val="distributeSpace"/></w:rubyPr>'
               '<w:rt><w:r><w:t>れんらく</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>連絡</w:t></w:r></w:rubyBase>'
               '</w:ruby></w:r>')
    rows = [type_row(), fields_row(), axis_row(), *text_rows(),
            *contact_rows(name=Xml(p(ruby, "　太郎")))]
    assert parse(form(rows=rows)).contact.name == "連絡　太郎"


def test_simple_field_and_hyperlink(parse):
    link = Xml('<w:hyperlink r:id="rIdX"><w:r><w:t>link@example.jp</w:t></w:r></w:hyperlink>')
    rows = [type_row(), fields_row(), axis_row(), *text_rows(), *contact_rows(email=Xml(p(link)))]
    assert parse(form(rows=rows)).contact.email == "link@example.jp"


def test_circled_option_eq_field(parse):
    eq = Xml('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve">eq \\o\\ac(○,有)</w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    content = Xml(p(eq, "　主軸分野（環境）") + p("無"))
    prop = parse(form(axis_content=content))
    assert prop.axis.present is True
    assert prop.sources["axis.present"] == "docx:circled"
    assert prop.axis.field == "環境"


def test_nested_table_cells(parse):
    inner = table([["☑環境", "☐子育て"], ["☑福祉・医療・健康", "☐人材育成"]], widths=(3000, 3000))
    rows = [type_row(), [cell("連携の分野"), cell(Xml(inner + p("")), span=2)], axis_row(), *text_rows(),
            *contact_rows()]
    prop = parse(form(rows=rows))
    assert prop.fields == ["環境", "福祉・医療・健康"]
