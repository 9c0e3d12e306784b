"""Build small .docx files from raw WordprocessingML, for tests and for ``samples/``.

Submitted Form 1 files store answers in XML that python-docx neither writes nor
reads (w:sym, legacy form fields, tracked changes, text boxes, ...). The only
honest way to get such files into tests is to write the XML by hand, so this
module wraps a ``w:body`` fragment in a minimal package that Word and
LibreOffice accept.

This is the single home of the builder: ``scripts/make_samples.py`` imports it
from here (``tests/`` ships in the sdist, ``scripts/`` does not).

Snippet helpers return :class:`Xml`; a plain ``str`` passed where content is
expected is *text* and gets escaped. That keeps a value such as
「<株式会社>」 from silently turning into markup.
"""

from __future__ import annotations

import itertools
import struct
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from kyotei_docs.blankform import MINCHO, checkbox_sdt_xml, text_sdt_xml

NS: dict[str, str] = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "wp14": "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "w10": "urn:schemas-microsoft-com:office:word",
}

A4_SECTPR = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1701" w:right="1418" w:bottom="1418" w:left="1418"'
    ' w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>'
)

_REL_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_CT = "application/vnd.openxmlformats-package.relationships+xml"
_DOC_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_STYLES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"

KNOWN_PARTS: dict[str, tuple[str, str]] = {
    "word/vbaProject.bin": (
        "application/vnd.ms-office.vbaProject",
        "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
    ),
    "word/numbering.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering",
    ),
}
"""Extra parts make_docx knows how to register: part name -> (content type, relationship).

The main part keeps the plain .docx content type even with a VBA project: Word
refuses a macro-enabled main part under a .docx name and python-docx opens no
other, so this is the macro-carrying .docx a reader can actually be handed.
"""


class Xml(str):
    """A string that is already WordprocessingML, as opposed to text to escape.

    ``Xml + Xml`` stays Xml (``dele(..) + ins(..)`` is one piece of markup);
    anything else mixed in gives a plain ``str``, as for any str subclass.
    """

    def __add__(self, other: str) -> str:
        joined = str.__add__(self, other)
        return Xml(joined) if isinstance(other, Xml) else joined


# --------------------------------------------------------------------------- runs


def _rpr(font: str | None = None, extra: str = "") -> str:
    """Run properties; ``font`` sets every slot so Word and LibreOffice agree."""
    fonts = ""
    if font:
        f = quoteattr(font)
        fonts = f"<w:rFonts w:ascii={f} w:eastAsia={f} w:hAnsi={f} w:hint=\"eastAsia\"/>"
    inner = fonts + extra
    return f"<w:rPr>{inner}</w:rPr>" if inner else ""


def t(text: str, *, deleted: bool = False) -> str:
    """A w:t (or w:delText) element; newlines become w:br so multi-line values survive."""
    tag = "w:delText" if deleted else "w:t"
    parts = [f'<{tag} xml:space="preserve">{escape(line)}</{tag}>' for line in text.split("\n")]
    return "<w:br/>".join(parts)


def run(text: str, *, font: str | None = None, rpr: str = "", deleted: bool = False) -> Xml:
    """One run of text."""
    return Xml(f"<w:r>{_rpr(font, rpr)}{t(text, deleted=deleted)}</w:r>")


def sym(font: str, char: str) -> Xml:
    """A symbol inserted via Insert > Symbol: Word stores the font and code, not the glyph."""
    return Xml(f'<w:r><w:sym w:font={quoteattr(font)} w:char="{char}"/></w:r>')


def _content(parts: Iterable[str]) -> str:
    """Join snippet parts: Xml as is, plain str as an escaped run."""
    return "".join(x if isinstance(x, Xml) else run(x) for x in parts)


def p(*parts: str, jc: str | None = None, ppr: str = "") -> Xml:
    """A paragraph from text and/or Xml snippets (``jc``: left/center/right)."""
    props = ppr + (f'<w:jc w:val="{jc}"/>' if jc else "")
    pp = f"<w:pPr>{props}</w:pPr>" if props else ""
    return Xml(f"<w:p>{pp}{_content(parts)}</w:p>")


# --------------------------------------------------------------- content controls

_sdt_ids = itertools.count(5000)


def reset_ids() -> None:
    """Start content-control ids afresh, so a file's XML does not depend on what was built before it."""
    global _sdt_ids
    _sdt_ids = itertools.count(5000)


def sdt_checkbox(checked: bool, *, tag: str | None = None, alias: str | None = None) -> Xml:
    """A Word 2010 content-control check box (w14:checkbox), as the blank form writes it."""
    return Xml(checkbox_sdt_xml(tag, alias, checked, sdt_id=next(_sdt_ids)))


def sdt_text(value: str, *, tag: str | None = None, alias: str | None = None) -> Xml:
    """An inline plain-text content control already holding ``value``."""
    return Xml(text_sdt_xml(tag, alias, value, multiline="\n" in value, sdt_id=next(_sdt_ids)))


def sdt_wrap(inner: str, *, tag: str | None = None, alias: str | None = None) -> Xml:
    """A rich-text content control around block content: paragraphs, a cell or a row.

    Templates made elsewhere wrap whole cells or paragraphs like this (no w:text),
    which python-docx reads as empty.
    """
    ident = (f"<w:alias w:val={quoteattr(alias)}/>" if alias else "") + (
        f"<w:tag w:val={quoteattr(tag)}/>" if tag else ""
    )
    return Xml(
        f'<w:sdt><w:sdtPr>{ident}<w:id w:val="{next(_sdt_ids)}"/></w:sdtPr>'
        f"<w:sdtContent>{inner}</w:sdtContent></w:sdt>"
    )


def _fld(char_type: str, inner: str = "") -> str:
    return f'<w:r><w:fldChar w:fldCharType="{char_type}">{inner}</w:fldChar></w:r>'


def _instr(code: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'


def ffcheckbox(
    checked: bool | None = None, default: bool | None = None, *, name: str = "Check"
) -> Xml:
    """A legacy FORMCHECKBOX field.

    ``checked=None`` omits w:checked, so the state falls back to w:default, as
    Word writes for a box the user never touched. ``checked=True`` is written as
    a bare ``<w:checked/>`` (no w:val means true), which readers often miss.
    """
    state = ""
    if default is not None:
        state += f'<w:default w:val="{int(default)}"/>'
    if checked is True:
        state += "<w:checked/>"
    elif checked is False:
        state += '<w:checked w:val="0"/>'
    ff = (
        f"<w:ffData><w:name w:val={quoteattr(name)}/><w:enabled/>"
        f'<w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/>{state}</w:checkBox></w:ffData>'
    )
    return Xml(_fld("begin", ff) + _instr("FORMCHECKBOX") + _fld("end"))


def fftext(value: str, *, name: str = "Text") -> Xml:
    """A legacy FORMTEXT field whose result runs hold ``value``."""
    ff = (
        f"<w:ffData><w:name w:val={quoteattr(name)}/><w:enabled/>"
        f'<w:calcOnExit w:val="0"/><w:textInput/></w:ffData>'
    )
    return Xml(
        _fld("begin", ff) + _instr("FORMTEXT") + _fld("separate") + run(value) + _fld("end")
    )


# --------------------------------------------------------------- tracked changes

_REV_DATE = "2026-08-01T09:00:00Z"


def ins(text: str, *, rev: int, author: str = "申請者") -> Xml:
    """Text inserted with track changes on."""
    return Xml(
        f'<w:ins w:id="{rev}" w:author={quoteattr(author)} w:date="{_REV_DATE}">'
        f"{run(text)}</w:ins>"
    )


def dele(text: str, *, rev: int, author: str = "申請者") -> Xml:
    """Text deleted with track changes on (kept as w:delText)."""
    return Xml(
        f'<w:del w:id="{rev}" w:author={quoteattr(author)} w:date="{_REV_DATE}">'
        f"{run(text, deleted=True)}</w:del>"
    )


# -------------------------------------------------------------------- text boxes


def textbox(paragraphs: Iterable[str], *, width_mm: float = 140, height_mm: float = 30) -> Xml:
    """A text box as Word inserts it: floating (wp:anchor) DrawingML in mc:Choice, VML in mc:Fallback.

    The same text is stored twice, which is exactly the trap for readers; the box
    is anchored to the paragraph that holds it (layoutInCell inside a table cell)
    and wraps top and bottom, so it sits where the applicant put it.
    """
    body = "".join(x if isinstance(x, Xml) else p(x) for x in paragraphs)
    cx, cy = int(width_mm * 36000), int(height_mm * 36000)
    wpt, hpt = width_mm * 72 / 25.4, height_mm * 72 / 25.4
    choice = (
        '<mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0"'
        ' relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:wrapTopAndBottom/><wp:docPr id="1" name="テキスト ボックス 1"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>'
        '<a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln>'
        f"</wps:spPr><wps:txbx><w:txbxContent>{body}</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720"'
        ' rIns="91440" bIns="45720" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    )
    fallback = (
        "<mc:Fallback><w:pict>"
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"'
        ' path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        '<v:shape id="テキスト ボックス 1" o:spid="_x0000_s1026" type="#_x0000_t202"'
        f' style="position:absolute;margin-left:0;margin-top:0;width:{wpt:.1f}pt;height:{hpt:.1f}pt;'
        'z-index:251659264;mso-position-horizontal-relative:text;mso-position-vertical-relative:text"'
        ' strokeweight=".5pt">'
        f"<v:textbox><w:txbxContent>{body}</w:txbxContent></v:textbox>"
        '<w10:wrap type="topAndBottom"/></v:shape></w:pict></mc:Fallback>'
    )
    return Xml(f"<w:r><mc:AlternateContent>{choice}{fallback}</mc:AlternateContent></w:r>")


# ------------------------------------------------------------------------ tables


def cell(*paragraphs: str, span: int = 1, vmerge: str | None = None, width: int | None = None) -> Xml:
    """A table cell. ``vmerge``: "restart" or "continue"; plain str items become paragraphs.

    A cell must hold at least one paragraph, so an empty cell gets an empty one.
    """
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>' if width else ""
    props += f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    body = "".join(x if isinstance(x, Xml) else p(x) for x in paragraphs) or "<w:p/>"
    return Xml(f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")


def _is_cell(item: str) -> bool:
    """A cell, or a cell-level content control wrapping one."""
    return isinstance(item, Xml) and (
        item.startswith("<w:tc") or (item.startswith("<w:sdt>") and "<w:sdtContent><w:tc" in item)
    )


def table(rows: Iterable[Iterable[str]], *, widths: Iterable[int] = (2600, 6400)) -> Xml:
    """A bordered table; a row item is cell XML (from :func:`cell`) or plain text.

    ``widths`` (twips) define the grid; cells spanning columns say so with ``span``.
    """
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    trs = "".join(
        "<w:tr>" + "".join(c if _is_cell(c) else cell(c) for c in row) + "</w:tr>"
        for row in rows
    )
    return Xml(
        f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{trs}</w:tbl>'
    )


# -------------------------------------------------------------------- numbering


def numbering_xml(fmt: str = "decimalFullWidth", text: str = "%1．") -> bytes:
    """``word/numbering.xml`` with one list (numId 1): Word draws 「１．」「２．」… before each
    paragraph that names it in ``w:numPr`` — the numbers are never in the text."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:numbering xmlns:w="{NS["w"]}"><w:abstractNum w:abstractNumId="0">'
        '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="420" w:hanging="420"/></w:pPr></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    ).encode()


NUMBERED = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
"""Paragraph properties of a paragraph numbered by Word (list 1 of :func:`numbering_xml`)."""


# ---------------------------------------------------------------------- package


def empty_vba_project() -> bytes:
    """A valid but empty OLE compound file to stand in for ``word/vbaProject.bin``.

    A reader only has to notice that macros are present; shipping real VBA code
    in test data would be pointless and would upset virus scanners. Layout: a
    512-byte v3 header, one FAT sector, one directory sector holding the root.
    """
    free, end, fat_sect, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6),
        0, 1, 1, 0, 0x1000, end, 0, end, 0,
    )
    difat = struct.pack("<109I", 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sect, end, *([free] * 126))
    name = "Root Entry".encode("utf-16-le") + b"\0\0"
    root = struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, len(name), 5, 1, no_stream, no_stream, no_stream, bytes(16), 0, 0, 0, end, 0,
    )
    unused = struct.pack(
        "<64sHBBIII16sIQQIQ", bytes(64), 0, 0, 0, no_stream, no_stream, no_stream,
        bytes(16), 0, 0, 0, 0, 0,
    )
    return header + difat + fat + root + unused * 3


def document_xml(body_xml: str) -> str:
    """Wrap a w:body fragment in a w:document declaring every namespace a form may use."""
    decls = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
    sect = "" if "<w:sectPr" in body_xml else A4_SECTPR
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document {decls} mc:Ignorable="w14 wp14"><w:body>{body_xml}{sect}</w:body></w:document>'
    )


STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:styles xmlns:w="{NS["w"]}"><w:docDefaults><w:rPrDefault><w:rPr>'
    f'<w:rFonts w:ascii="Century" w:eastAsia="{MINCHO}" w:hAnsi="Century" w:cs="Times New Roman"/>'
    '<w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="22"/>'
    '<w:lang w:val="en-US" w:eastAsia="ja-JP" w:bidi="ar-SA"/>'
    "</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/>'
    '<w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>'
    '<w:style w:type="character" w:default="1" w:styleId="a0">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="a1"><w:name w:val="Normal Table"/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    "</w:styles>"
)
"""Japanese document defaults: without w:lang eastAsia LibreOffice picks a Gothic face."""


def _content_types(extra: Iterable[str]) -> str:
    overrides = [("/word/document.xml", _DOC_CT), ("/word/styles.xml", _STYLES_CT)]
    overrides += [("/" + name, KNOWN_PARTS.get(name, ("application/octet-stream", ""))[0]) for name in extra]
    body = "".join(f'<Override PartName="{n}" ContentType="{c}"/>' for n, c in overrides)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{_PKG_CT}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{body}</Types>"
    )


def _rels(targets: Iterable[tuple[str, str]]) -> str:
    body = "".join(
        f'<Relationship Id="rId{i}" Type="{typ}" Target="{tgt}"/>'
        for i, (typ, tgt) in enumerate(targets, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'
    )


def make_docx(body_xml: str, path: Path, *, extra_parts: Mapping[str, bytes] | None = None) -> Path:
    """Write a minimal .docx around ``body_xml`` (the inside of w:body) and return ``path``.

    ``extra_parts`` maps part names (e.g. ``word/vbaProject.bin``) to bytes; parts
    listed in :data:`KNOWN_PARTS` are also given their content type and a
    relationship from the document, as Word would.
    """
    extra = dict(extra_parts or {})
    doc_rels = [(f"{_REL_OFFICE}/styles", "styles.xml")]
    doc_rels += [
        (KNOWN_PARTS[name][1], name.removeprefix("word/")) for name in extra if name in KNOWN_PARTS
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _content_types(extra))
        z.writestr("_rels/.rels", _rels([(f"{_REL_OFFICE}/officeDocument", "word/document.xml")]))
        z.writestr("word/_rels/document.xml.rels", _rels(doc_rels))
        z.writestr("word/document.xml", document_xml(body_xml))
        z.writestr("word/styles.xml", STYLES_XML)
        for name, data in extra.items():
            z.writestr(name, data)
    return path
