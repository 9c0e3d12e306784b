"""Regenerate the Form 2 and Form 3 templates in ``templates/``.

    .venv/bin/python scripts/make_templates.py

The generated files are committed (they ship in the wheel and staff copy them
with ``kyotei templates export``); this script is how they are made, so a
change to the wording or layout is a reviewed change to code.  It writes:

* ``form2_comprehensive.docx`` — 包括連携協定書 (the guideline's 様式２);
* ``form2_individual.docx`` — 個別連携協定書 in the same style;
* ``form3_announcement.docx`` and ``form3_announcement.html`` — ホームページ掲載文 (様式３);
* ``amendment.docx`` — 変更協定書 (協定書 第５条: the articles changed, a 新旧対照表, both signatures);
* ``termination_notice.docx`` — 解約通知書 (協定書 第４条第２項).

Layout choices, and why:

* A4, every run carries ``w:rFonts w:eastAsia="ＭＳ 明朝"`` and
  ``w:lang w:eastAsia="ja-JP"``: without the language LibreOffice picked a Gothic
  face for Japanese text; ＭＳ 明朝 maps to IPA明朝 (same metrics) on Linux.
* Each Jinja tag is one run, so docxtpl always sees it whole.
* The closing sentence, the date line and both signature blocks are kept
  together (keep-with-next + keep-lines): a signature must never stand on a
  page without its date line.
* Loops use ``{%p … %}`` in paragraphs of their own (no tables), which are the
  simplest for staff to keep intact when editing in Word.
* Lean packages (:func:`lean_package`): python-docx's ``Document()`` carries
  about 800 KB of parts the templates never use (``stylesWithEffects.xml``, a
  350 KB ``styles.xml`` of latent and unused styles, a thumbnail, ``customXml``),
  and every render opened, parsed and re-compressed them.  After python-docx
  saves a template, those parts go (with their relationships and content
  types) and ``styles.xml`` keeps ``docDefaults`` plus the styles the package
  refers to and what they are based on / linked to.
"""

from __future__ import annotations

import posixpath
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, Twips
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates"

FONT = "ＭＳ 明朝"
SIZE_PT = 12
CHAR = 240  # one 12-point character, in twentieths of a point
TEXT_WIDTH = 9070  # 160 mm of text width (A4 minus 25 mm margins) in twips
SIGN_INDENT = 2880  # signature blocks start about a third of the way across
TAB = object()  # a tab in a paragraph's parts
FIXED_TIME = datetime(2026, 4, 1, tzinfo=UTC)


# ------------------------------------------------------------------------ helpers

def _rfonts_xml() -> str:
    return (f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}" '
            f'w:cs="{FONT}"/>')


def _run_props(run, *, size: float | None = None, bold: bool = False) -> None:
    rpr = run._r.get_or_add_rPr()
    rpr.append(parse_xml(_rfonts_xml()))
    if bold:
        run.bold = True
    if size:
        run.font.size = Pt(size)
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:eastAsia="ja-JP"/>'))


def _set_document_defaults(doc) -> None:
    """Explicit fonts and language in docDefaults and Normal (no theme fonts, which would win)."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    styles.insert(0, parse_xml(
        f'<w:docDefaults {nsdecls("w")}>'
        f'<w:rPrDefault><w:rPr>{_rfonts_xml()}<w:kern w:val="2"/>'
        f'<w:sz w:val="{SIZE_PT * 2}"/><w:szCs w:val="{SIZE_PT * 2}"/>'
        '<w:lang w:val="en-US" w:eastAsia="ja-JP" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="both"/></w:pPr></w:pPrDefault>'
        '</w:docDefaults>'))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(SIZE_PT)
    rpr = normal.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rpr.insert(0, parse_xml(_rfonts_xml()))


def _a4(doc, *, top=30, bottom=25, left=25, right=25) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)


def _page_number_footer(doc) -> None:
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in ("－", None, "－"):
        if text is None:
            p._p.append(parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr>{_rfonts_xml()}'
                '<w:lang w:val="en-US" w:eastAsia="ja-JP"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'))
        else:
            _run_props(p.add_run(text), size=10)


def _fixed_properties(doc, title: str) -> None:
    props = doc.core_properties
    props.title = title
    props.author = "kyotei-docs"
    props.last_modified_by = "kyotei-docs"
    props.comments = "scripts/make_templates.py で生成（差し込み項目は docs/render.md を参照）"
    props.created = props.modified = FIXED_TIME
    props.revision = 1


def para(doc, *parts, align: str | None = None, left: int = 0, hanging: int = 0, first: int = 0,
         keep_next: bool = False, keep_lines: bool = True, before: float = 0, size: float | None = None,
         bold: bool = False, right_tab: bool = False):
    """One paragraph; each string in ``parts`` is a run of its own (tags are never split)."""
    p = doc.add_paragraph()
    pf = p.paragraph_format
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "left":
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    ind = []
    if left:
        ind.append(f'w:left="{left}"')
    if hanging:
        ind.append(f'w:hanging="{hanging}"')
    elif first:
        ind.append(f'w:firstLine="{first}"')
    ppr = p._p.get_or_add_pPr()
    if keep_next:
        pf.keep_with_next = True
    if keep_lines:
        pf.keep_together = True
    if right_tab:
        ppr.append(parse_xml(f'<w:tabs {nsdecls("w")}><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'))
    if before:
        pf.space_before = Pt(before)
    if ind:
        ppr.append(parse_xml(f'<w:ind {nsdecls("w")} {" ".join(ind)}/>'))
    for part in parts:
        if part is TAB:
            run = p.add_run()
            run.add_tab()
            _run_props(run, size=size, bold=bold)
        else:
            _run_props(p.add_run(part), size=size, bold=bold)
    return p


def article(doc, heading: str, number: str, *text: str) -> None:
    """「（目的）」 then 「第１条　…」 with a one-character hanging indent."""
    para(doc, f"（{heading}）", left=CHAR, keep_next=True, before=6)
    para(doc, f"第{number}条", "　", *text, left=CHAR, hanging=CHAR)


def clause(doc, number: str, text: str, *, before: float = 0) -> None:
    """A further paragraph of an article: 「２　…」."""
    para(doc, number, "　", text, left=CHAR, hanging=CHAR, before=before)


def tag(doc, text: str) -> None:
    """A paragraph holding only a {%p … %} tag (docxtpl removes the paragraph itself)."""
    para(doc, text, keep_lines=False)


def items_block(doc) -> None:
    tag(doc, "{%p for item in items %}")
    para(doc, "{{ item.number }}", "　", "{{ item.text }}", left=2 * CHAR, hanging=CHAR)
    tag(doc, "{%p endfor %}")


def _keep_together_table(doc):
    """A borderless one-cell table whose row may not split across pages (``w:cantSplit``).

    Why a table: LibreOffice does not always honour a chain of keep-with-next
    paragraphs (measured with LibreOffice 7.4: the chain broke after the date
    line or after 甲 depending on what preceded it), while both Word and
    LibreOffice keep a ``cantSplit`` row on one page.
    """
    table = doc.add_table(rows=1, cols=1)
    tbl = table._tbl
    old = tbl.tblPr
    tbl.remove(old)
    none = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tbl.insert(0, parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/>'
        f'<w:tblBorders>{none}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr>'))
    grid = tbl.tblGrid
    for col in grid.findall(qn("w:gridCol")):
        col.set(qn("w:w"), str(TEXT_WIDTH))
    row = table.rows[0]._tr
    row.insert(0, parse_xml(f'<w:trPr {nsdecls("w")}><w:cantSplit/></w:trPr>'))
    cell = table.cell(0, 0)
    cell.width = Twips(TEXT_WIDTH)
    return cell


def signature_block(doc) -> None:
    """Closing sentence, date line, 甲 and 乙, in one row that never splits across pages.

    The paragraphs are also keep-with-next/keep-lines, for Word's sake and for
    staff who copy them out of the table.
    """
    cell = _keep_together_table(doc)
    first = cell.paragraphs[0]._p
    para(cell, "本協定の締結を証するため，本書を２通作成し，甲及び乙は，それぞれの署名の上，各自１通を保有する"
               "ものとする。", first=CHAR, keep_next=True, before=12)
    first.getparent().remove(first)
    para(cell, "{{ dates.signing }}", left=CHAR, keep_next=True, before=18)
    para(cell, "甲", "　", "{{ city_address }}", left=SIGN_INDENT + 2 * CHAR, hanging=2 * CHAR,
         keep_next=True, before=18)
    para(cell, "{{ mayor_title }}", "　", "{{ mayor_name }}", TAB, "印", left=SIGN_INDENT + 2 * CHAR,
         keep_next=True, right_tab=True, before=6)
    para(cell, "乙", "　", "{{ partner.address }}", left=SIGN_INDENT + 2 * CHAR, hanging=2 * CHAR,
         keep_next=True, before=24)
    para(cell, "{{ partner.name }}", left=SIGN_INDENT + 2 * CHAR, keep_next=True, before=6)
    para(cell, "{{ partner.representative }}", TAB, "印", left=SIGN_INDENT + 2 * CHAR, right_tab=True, before=6)


def new_document(title: str, *, footer: bool):
    doc = Document()
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _set_document_defaults(doc)
    _a4(doc)
    if footer:
        _page_number_footer(doc)
    _fixed_properties(doc, title)
    return doc


# ------------------------------------------------------------------------ Form 2

TERM_ARTICLE = ("本協定の有効期間は，協定締結の日から", "{{ dates.end }}",
                "までとする。ただし，本協定の有効期間が満了する日の１か月前までに，甲及び乙が書面により特段の申出を"
                "行わないときは，本協定の有効期間は１年間延長されるものとし，その後も同様とする。")
TERM_CANCEL = ("甲又は乙のいずれかが本協定の解約を希望する場合は，解約予定日の１か月前までに書面をもって相手方に通知する"
               "ことで，前項の定めにかかわらず本協定を解約することができる。")
REVIEW = "甲及び乙のいずれかが協定内容の変更を申し出たときは，甲及び乙の協議の上，本協定の変更を行うものとする。"
OTHER = ("本協定に定めのない事項又は本協定に関して疑義が生じたときは，甲及び乙の協議の上，これを定めるものとする。")
PARTIES = ("{{ city }}", "（以下「甲」という。）と", "{{ partner.name }}", "（以下「乙」という。）")


def form2_comprehensive() -> object:
    doc = new_document("包括連携協定書（様式２）テンプレート", footer=True)
    para(doc, "{{ title }}", align="center", size=14, keep_next=True)
    para(doc, *PARTIES, "は，幅広く様々な分野において，相互に連携・協力しながら協働事業に取り組むこととし，次のとおり"
         "協定（以下「本協定」という。）を締結する。", first=CHAR, before=18)
    article(doc, "目的", "１", "本協定は，甲及び乙が緊密な相互連携と協働による活動を推進することにより，一層の地域の"
            "活性化及び市民サービスの向上を図ることを目的とする。")
    article(doc, "連携・協力事項", "２", "甲及び乙は，前条に規定する目的を達成するため，次に掲げる事項について連携し，"
            "協力する。")
    items_block(doc)
    clause(doc, "２", "甲及び乙は，前項各号に掲げる事項を効果的に実施・促進するため，定期的に協議を行い，具体的な"
           "取組内容，実施方法及び費用負担その他の条件については，別途取り決めるものとする。")
    clause(doc, "３", "乙は，第１項各号に定める取組の一部を，甲と協議の上，乙の親会社及びその関係会社に実施させる"
           "ことができる。")
    article(doc, "守秘義務", "３", "甲及び乙は，本協定に基づく連携に当たり知り得た相手方の秘密及び個人情報を，当該"
            "相手方の承諾を得ることなく第三者（乙の親会社及びその関係会社を除く。）に開示し，又は漏洩してはならない。"
            "なお，その他当該秘密及び個人情報の取扱いについては，法令に基づくほか，開示した当事者の指示に従うものとする。")
    clause(doc, "２", "甲及び乙は，本協定が理由の如何を問わず終了した後も，前項に定める秘密保持の責任を負うものとする。")
    article(doc, "有効期間", "４", *TERM_ARTICLE)
    clause(doc, "２", TERM_CANCEL)
    article(doc, "協定の見直し", "５", REVIEW)
    article(doc, "その他", "６", OTHER)
    signature_block(doc)
    return doc


def form2_individual() -> object:
    doc = new_document("連携協定書（個別）テンプレート", footer=True)
    para(doc, "{{ title }}", align="center", size=14, keep_next=True)
    para(doc, *PARTIES, "は，", "{{ subject }}", "に関し，相互に連携・協力して取り組むこととし，次のとおり協定（以下"
         "「本協定」という。）を締結する。", first=CHAR, before=18)
    article(doc, "目的", "１", "本協定は，甲及び乙が", "{{ subject }}", "に関し相互に連携・協力することにより，"
            "地域の活性化及び市民サービスの向上を図ることを目的とする。")
    article(doc, "連携事項", "２", "甲及び乙は，前条に規定する目的を達成するため，次に掲げる事項について連携し，協力する。")
    items_block(doc)
    clause(doc, "２", "前項各号に掲げる事項の具体的な取組内容，実施方法及び費用負担その他の条件については，甲及び乙の"
           "協議の上，別途取り決めるものとする。")
    article(doc, "守秘義務", "３", "甲及び乙は，本協定に基づく連携に当たり知り得た相手方の秘密及び個人情報を，当該"
            "相手方の承諾を得ることなく第三者に開示し，又は漏洩してはならない。なお，その他当該秘密及び個人情報の取扱い"
            "については，法令に基づくほか，開示した当事者の指示に従うものとする。")
    clause(doc, "２", "甲及び乙は，本協定が理由の如何を問わず終了した後も，前項に定める秘密保持の責任を負うものとする。")
    article(doc, "有効期間", "４", *TERM_ARTICLE)
    clause(doc, "２", TERM_CANCEL)
    article(doc, "協定の見直し", "５", REVIEW)
    article(doc, "その他", "６", OTHER)
    signature_block(doc)
    return doc


# ------------------------------------------------------------------------ Form 3

FORM3_LEAD = ("この協定は，官民連携により協働の取組を推進し，双方が持つノウハウやサービスを活用することで，地域の"
              "活性化と市民サービスの向上を図ることを目的としています。")
FORM3_ITEMS = "項目を連携項目としており，地域活性化や市民の皆様へのサービス向上に向けて，取組を進めてまいります。"


def heading(doc, text: str) -> None:
    para(doc, text, bold=True, keep_next=True, before=12)


def form3_docx() -> object:
    doc = new_document("ホームページ掲載文（様式３）テンプレート", footer=False)
    para(doc, "{{ agreement_name }}", "について", size=14, bold=True, keep_next=True)
    para(doc, "{{ city }}", "と", "{{ partner.name }}", "は，", "{{ dates.signing_web }}", "に「",
         "{{ agreement_name }}", "」を締結しました。", first=CHAR, before=12)
    para(doc, FORM3_LEAD, first=CHAR, before=6)
    para(doc, "協定内容は，", "{{ items_summary }}", "など，", "{{ item_count }}", FORM3_ITEMS, first=CHAR, before=6)
    heading(doc, "連携内容")
    tag(doc, "{%p for item in items %}")
    para(doc, "{{ item.index }}", "．", "{{ item.text }}", left=2 * CHAR, hanging=2 * CHAR)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if results %}")
    heading(doc, "これまでの主な取組")
    tag(doc, "{%p for year in results %}")
    para(doc, "・", "{{ year.label }}", "連携実績", left=CHAR, hanging=CHAR, keep_next=True, before=6)
    tag(doc, "{%p for result in year.lines %}")
    para(doc, "{{ result }}", left=2 * CHAR)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    heading(doc, "関連ファイル")
    para(doc, "●", "{{ title }}", "（ＰＤＦ形式　", "{{ pdf.kb }}", "キロバイト）", left=CHAR, hanging=CHAR)
    tag(doc, "{%p if photos %}")
    heading(doc, "協定締結式の様子")
    tag(doc, "{%p for photo in photos %}")
    para(doc, "{{ photo.image }}", align="center", keep_next=True, before=6)
    para(doc, "{{ photo.caption }}", align="center")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    return doc


FORM3_HTML = """\
{# 様式３ ホームページ掲載文（CMS に貼り付ける HTML の断片）。差し込み項目は docs/render.md を参照。 #}
<section class="kyotei-announcement">
<h2>{{ agreement_name }}について</h2>
<p>{{ city }}と{{ partner.name }}は，{{ dates.signing_web }}に「{{ agreement_name }}」を締結しました。</p>
<p>この協定は，官民連携により協働の取組を推進し，双方が持つノウハウやサービスを活用することで，地域の活性化と市民サービスの向上を図ることを目的としています。</p>
<p>協定内容は，{{ items_summary }}など，{{ item_count }}項目を連携項目としており，地域活性化や市民の皆様へのサービス向上に向けて，取組を進めてまいります。</p>
<h3>連携内容</h3>
<ol>
{%- for item in items %}
<li>{{ item.text }}</li>
{%- endfor %}
</ol>
{%- if results %}
<h3>これまでの主な取組</h3>
{%- for year in results %}
<h4>{{ year.label }}連携実績</h4>
<ul>
{%- for result in year.lines %}
<li>{{ result }}</li>
{%- endfor %}
</ul>
{%- endfor %}
{%- endif %}
<h3>関連ファイル</h3>
<ul>
<li><a href="{{ pdf.href }}">{{ title }}（PDF形式，{{ pdf.kb }}キロバイト）</a></li>
</ul>
{%- if photos %}
<h3>協定締結式の様子</h3>
{%- for photo in photos %}
<figure>
<img src="{{ photo.href }}" alt="{{ photo.caption }}">
<figcaption>{{ photo.caption }}</figcaption>
</figure>
{%- endfor %}
{%- endif %}
</section>
"""


# ------------------------------------------------------------------------ after signing

def _bordered_table(doc, widths: tuple[int, ...]):
    """A plain table with single borders and fixed column widths (twips): the 新旧対照表."""
    table = doc.add_table(rows=0, cols=len(widths))
    tbl = table._tbl
    tbl.remove(tbl.tblPr)
    lines = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                    for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tbl.insert(0, parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblBorders>{lines}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr>'))
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(width))
    return table


def _row(table, texts: tuple[str, ...], widths: tuple[int, ...], *, center: bool = False) -> None:
    """One row; each cell holds one paragraph of one run per text (a tag stays whole)."""
    cells = table.add_row().cells
    for cell, text, width in zip(cells, texts, widths):
        cell.width = Twips(width)
        p = cell.paragraphs[0]
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run_props(p.add_run(text), size=10.5)


def amendment_docx() -> object:
    """変更協定書: which articles change, the new wording, a 新旧対照表, the date it applies, both signatures."""
    doc = new_document("変更協定書テンプレート", footer=True)
    para(doc, "{{ title }}", align="center", size=14, keep_next=True)
    para(doc, *PARTIES, "は，", "{{ dates.signed }}", "に締結した", "{{ agreement_name }}",
         "（以下「原協定」という。）の一部を次のとおり変更する協定（以下「本協定」という。）を締結する。",
         first=CHAR, before=18)
    tag(doc, "{%p for change in changes %}")
    para(doc, "{{ change.heading }}", first=CHAR, before=6, keep_next=True)
    tag(doc, "{%p for line in change.lines %}")
    para(doc, "{{ line }}", left=2 * CHAR, hanging=CHAR)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    para(doc, "（新旧対照表）", before=12, keep_next=True)
    widths = (TEXT_WIDTH // 2, TEXT_WIDTH - TEXT_WIDTH // 2)
    table = _bordered_table(doc, widths)
    _row(table, ("変更後", "変更前"), widths, center=True)
    _row(table, ("{%tr for row in rows %}", ""), widths)
    _row(table, ("{{ row.after }}", "{{ row.before }}"), widths)
    _row(table, ("{%tr endfor %}", ""), widths)
    para(doc, "附　則", left=2 * CHAR, before=12, keep_next=True)
    para(doc, "本協定は，", "{{ dates.effective }}", "から効力を生ずる。", first=CHAR)
    signature_block(doc)
    return doc


def termination_docx() -> object:
    """解約通知書 (協定書 第４条第２項): the written notice, one month before the day the agreement ends."""
    doc = new_document("解約通知書テンプレート", footer=False)
    para(doc, "{{ dates.notice }}", align="right")
    para(doc, "{{ addressee.name }}", before=18)
    para(doc, "{{ addressee.representative }}", "　様", left=CHAR)
    para(doc, "{{ sender.name }}", align="right", before=18)
    para(doc, "{{ sender.representative }}", align="right")
    para(doc, "{{ agreement_name }}", "の解約について（通知）", align="center", size=13, before=24)
    para(doc, "{{ dates.signed }}", "に締結した", "{{ agreement_name }}", "について，同協定第４条第２項の規定により，",
         "{{ dates.end }}", "をもって解約することを通知します。", first=CHAR, before=18)
    para(doc, "記", align="center", before=12)
    para(doc, "１　協定の名称　", "{{ agreement_name }}", left=CHAR, hanging=CHAR, before=6)
    para(doc, "２　締結日　　　", "{{ dates.signed }}", left=CHAR, hanging=CHAR)
    para(doc, "３　解約日　　　", "{{ dates.end }}", left=CHAR, hanging=CHAR)
    para(doc, "４　理由　　　　", "{{ reason }}", left=CHAR, hanging=CHAR)
    para(doc, "以上", align="right", before=12)
    tag(doc, "{%p if contact %}")
    para(doc, "（担当）", "{{ contact }}", align="right", before=24)
    tag(doc, "{%p endif %}")
    return doc


# ------------------------------------------------------------------------ documents of the steps before signing

def grid_table(doc, header: tuple[str, ...], row: tuple[str, ...], loop: str, widths: tuple[int, ...]):
    """A ruled table: a header row, then ``row`` repeated by docxtpl for each ``loop`` (``{%tr for … %}``)."""
    table = _bordered_table(doc, widths)
    blank = ("",) * (len(widths) - 1)
    _row(table, header, widths, center=True)
    _row(table, (f"{{%tr for {loop} %}}", *blank), widths)
    _row(table, row, widths)
    _row(table, ("{%tr endfor %}", *blank), widths)
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    return table


def judgement_sheet() -> object:
    """検討票 (guideline 2(2)): the proposal's summary, its routing and each judgement, to attach to the 決裁."""
    doc = new_document("連携協定に関する検討票 テンプレート", footer=True)
    para(doc, "連携協定に関する検討票", align="center", size=14, bold=True, keep_next=True)
    para(doc, "{{ made_on }}", "　作成", align="right", before=6)
    heading(doc, "１　提案の概要")
    grid_table(doc, ("項目", "内容"), ("{{ row.label }}", "{{ row.value }}"), "row in summary", (2200, 6870))
    heading(doc, "２　回付先（担当部局）")
    para(doc, "{{ routing }}", left=CHAR)
    tag(doc, "{%p for note in routing_notes %}")
    para(doc, "※", "{{ note }}", left=CHAR, hanging=CHAR)
    tag(doc, "{%p endfor %}")
    heading(doc, "３　検討・判断事項（ガイドライン２(2)）")
    grid_table(doc, ("区分", "検討・判断事項", "判断", "備考（判断者・日付）"),
               ("{{ item.group }}", "{{ item.text }}", "{{ item.state }}", "{{ item.note }}"),
               "item in items", (1500, 4370, 1200, 2000))
    heading(doc, "４　判定")
    para(doc, "{{ conclusion }}", left=CHAR)
    para(doc, "※検討・判断事項は職員が判断し記録したものです（kyotei は判断しません）。", left=CHAR, hanging=CHAR,
         size=9, before=6)
    return doc


def intent_summary() -> object:
    """意向調査のとりまとめ (guideline 4(2), month 2): each department's wish, for the 三者協議."""
    doc = new_document("意向調査とりまとめ テンプレート", footer=True)
    para(doc, "連携協定に関する意向調査結果（とりまとめ）", align="center", size=14, bold=True, keep_next=True)
    para(doc, "{{ made_on }}", align="right", before=6)
    para(doc, "提案者　", "{{ partner }}", "（協定ID ", "{{ case_id }}", "）", before=6)
    para(doc, "{{ counts }}", before=6)
    grid_table(doc, ("部局", "意向", "希望する連携内容・取組事項", "担当・備考"),
               ("{{ row.department }}", "{{ row.wish }}", "{{ row.contents }}", "{{ row.note }}"),
               "row in rows", (1900, 1200, 4170, 1800))
    return doc


def press_release() -> object:
    """報道機関への情報提供 (guideline 5): what 市政記者 are sent before a signing."""
    doc = new_document("報道機関への情報提供 テンプレート", footer=False)
    para(doc, "{{ made_on }}", align="right")
    para(doc, "市政記者　各位", before=6)
    para(doc, "{{ city }}", "{{ department }}", align="right", before=6)
    para(doc, "{{ agreement_name }}", "の締結について（情報提供）", align="center", size=14, bold=True,
         keep_next=True, before=18)
    para(doc, "{{ city }}", "と", "{{ partner.name }}", "は，次のとおり", "{{ agreement_name }}",
         "を締結しますので，お知らせします。", first=CHAR, before=12)
    heading(doc, "１　締結日時")
    para(doc, "{{ when }}", left=CHAR)
    heading(doc, "２　場所")
    para(doc, "{{ place }}", left=CHAR)
    heading(doc, "３　出席者")
    tag(doc, "{%p for person in attendees %}")
    para(doc, "{{ person }}", left=CHAR)
    tag(doc, "{%p endfor %}")
    heading(doc, "４　協定の目的")
    para(doc, "{{ purpose }}", left=CHAR, first=0)
    heading(doc, "５　連携・協力事項")
    items_block(doc)
    heading(doc, "６　相手方の概要")
    para(doc, "名称　", "{{ partner.name }}", left=CHAR)
    para(doc, "所在地　", "{{ partner.address }}", left=CHAR)
    para(doc, "代表者　", "{{ partner.representative }}", left=CHAR)
    para(doc, "【問合せ先】", "{{ department }}", "{{ tel }}", before=18, align="right")
    return doc


# ------------------------------------------------------------------------ lean packages

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
#: Parts python-docx's default document carries and no template uses.
DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")
#: Elements whose ``w:val`` names a style (in the body, footers, numbering, settings).
STYLE_REFS = ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink", "clickAndTypeStyle",
              "defaultTableStyle")
#: Elements of a style that name another style, which must then be kept too.
STYLE_CHAINS = ("basedOn", "next", "link")
ZIP_TIME = (FIXED_TIME.year, FIXED_TIME.month, FIXED_TIME.day, 0, 0, 0)


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _dropped(name: str) -> bool:
    return any(name == d or (d.endswith("/") and name.startswith(d)) for d in DROP_PARTS)


def _rels_source_dir(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` → ``word``; ``_rels/.rels`` → ``""``."""
    return posixpath.dirname(posixpath.dirname(rels_name))


def _without_dropped_rels(rels_name: str, data: bytes) -> bytes:
    root = etree.fromstring(data)
    base = _rels_source_dir(rels_name)
    for rel in list(root.iter(f"{{{REL_NS}}}Relationship")):
        if rel.get("TargetMode") == "External":
            continue
        target = posixpath.normpath(posixpath.join(base, rel.get("Target", ""))).lstrip("/")
        if _dropped(target):
            root.remove(rel)
    return _xml(root)


def _without_dropped_types(data: bytes, kept: list[str]) -> bytes:
    root = etree.fromstring(data)
    extensions = {posixpath.splitext(n)[1].lstrip(".").lower() for n in kept}
    for el in list(root):
        if el.tag == f"{{{CT_NS}}}Override" and _dropped(el.get("PartName", "").lstrip("/")) or el.tag == f"{{{CT_NS}}}Default" and el.get("Extension", "").lower() not in extensions:
            root.remove(el)
    return _xml(root)


def used_style_ids(parts: dict[str, bytes]) -> set[str]:
    """Style ids named by the package's parts other than the styles themselves."""
    used: set[str] = set()
    for name, data in parts.items():
        if not (name.startswith("word/") and name.endswith(".xml")) or name == "word/styles.xml":
            continue
        root = etree.fromstring(data)
        for ref in STYLE_REFS:
            used.update(el.get(_w("val")) for el in root.iter(_w(ref)))
    used.discard(None)
    return used


def trim_styles(data: bytes, used: set[str]) -> bytes:
    """``docDefaults`` and the styles in ``used``, the default ones and every style they chain to."""
    root = etree.fromstring(data)
    styles = {s.get(_w("styleId")): s for s in root.iter(_w("style"))}
    keep = set(used) | {sid for sid, s in styles.items() if s.get(_w("default")) in ("1", "true", "on")}
    todo = list(keep)
    while todo:
        style = styles.get(todo.pop())
        if style is None:
            continue
        for chain in STYLE_CHAINS:
            for el in style.iter(_w(chain)):
                sid = el.get(_w("val"))
                if sid and sid not in keep:
                    keep.add(sid)
                    todo.append(sid)
    for child in list(root):
        if child.tag == _w("latentStyles") or (child.tag == _w("style") and child.get(_w("styleId")) not in keep):
            root.remove(child)
    return _xml(root)


def lean_package(path: Path) -> None:
    """Rewrite the saved package at ``path`` without the unused parts and styles (see the module's notes)."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    kept = [n for n in parts if not _dropped(n)]
    parts["word/styles.xml"] = trim_styles(parts["word/styles.xml"], used_style_ids(
        {n: parts[n] for n in kept}))
    for name in kept:
        if name.endswith(".rels"):
            parts[name] = _without_dropped_rels(name, parts[name])
    parts["[Content_Types].xml"] = _without_dropped_types(parts["[Content_Types].xml"], kept)
    order = ["[Content_Types].xml"] + [n for n in kept if n != "[Content_Types].xml"]
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, parts[name])
    tmp.replace(path)


def main(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in (("form2_comprehensive.docx", form2_comprehensive),
                        ("form2_individual.docx", form2_individual),
                        ("form3_announcement.docx", form3_docx),
                        ("amendment.docx", amendment_docx),
                        ("termination_notice.docx", termination_docx),
                        ("judgement_sheet.docx", judgement_sheet),
                        ("press_release.docx", press_release),
                        ("intent_summary.docx", intent_summary)):
        build().save(out / name)  # type: ignore[attr-defined]
        lean_package(out / name)
        written.append(out / name)
    (out / "form3_announcement.html").write_text(FORM3_HTML, encoding="utf-8", newline="\n")
    written.append(out / "form3_announcement.html")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    for path in main(target):
        print(path)
