"""Read a .docx into a :class:`~kyotei_docs.form.FormDoc`.

python-docx drops most of what a filled Form 1 holds (content controls, symbols,
legacy form fields, tracked insertions; see ``docs/pitfalls.md``), so this is
an own walk over ``word/document.xml`` with lxml.  Only the package relationships
and the main part are read: nothing else in the archive is parsed.

What the walk does, in the order Word itself shows a document:

* tables cell by cell on the grid; a vertically merged cell is read once, at its top;
* tracked insertions and moves-to count, deletions and moves-from do not;
* a content control is read through its content; its placeholder text is not a value;
* checkboxes come from structure (``w14:checkbox``, ``w:ffData/w:checkBox``,
  ``w:sym``) before typed glyphs;
* text boxes are read once (``mc:Choice``, not its ``mc:Fallback`` copy);
* ruby keeps the base text, field codes are skipped and field results kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import UnreadableError
from ..form import Block, Box, FormDoc, Line, Piece, Text, lines_from_pieces, merge_weak, split_glyphs
from ..symbols import ENCLOSING_CIRCLES, glyph_state, is_private_symbol, symbol, table_for
from ..vocab import pattern
from .fieldcopies import ANSWER_SOURCES, END, START, AnswerCopies, edge
from .package import Package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

_CIRCLES = "".join(sorted(ENCLOSING_CIRCLES))
#: what Word and our blank form show in an empty text control (「…を入力」, 「ここをクリック…」)
_PLACEHOLDER_WORDS = pattern(r"を入力|入力して|クリック|タップ|ここに|click|tap here|enter text|^\s*$", re.I)
#: the answer of a FILLIN field (what LibreOffice writes for an .odt input field)
FILLIN_SOURCE = "docx:fillin"
_EQ_CIRCLE = pattern(r"\\o\s*(?:\\ac)?\s*\((.*)\)", re.S)


def read_docx(path: Path) -> FormDoc:
    with Package(path) as pkg:
        root = pkg.xml(pkg.main_part())
        macros = any(n.lower().endswith("vbaproject.bin") for n in pkg.names())
    _refuse_early_if_not_form1(root)
    doc = FormDoc(path=str(path), format="docx")
    if macros:
        doc.warnings.append("macros_present")
    if _circles_drawn(root):
        doc.warnings.append("circles_drawn")
    walker = _Walker(_namespace(root))
    body = root.find(walker.q("body"))
    if body is not None:
        walker.body(body)
    doc.blocks = walker.blocks
    return doc


#: characters of the document's first text that decide whether it may be Form 1 at all
PROBE_CHARS = 400


def _refuse_early_if_not_form1(root: etree._Element) -> None:
    """When the caller wants Form 1, refuse a document whose first text holds none of its words.

    Walking a long document (13 MB of text: ~1.5 s) only for the extractor to say
    it is not Form 1 is the same waste the PDF reader avoids
    (:func:`kyotei_docs.readers.pdf._may_be_form1`); the test is the same lenient one.
    """
    from ..vocab import may_be_form1
    from .options import current

    if not current().form1_only:
        return
    text = ""
    for node in root.iter(f"{{{_namespace(root)}}}t"):
        text += node.text or ""
        if len(text) >= PROBE_CHARS:
            break
    if len(text) >= PROBE_CHARS and not may_be_form1(text):
        raise UnreadableError("not_form1")


def _namespace(root: etree._Element) -> str:
    return W_STRICT if root.tag.startswith("{" + W_STRICT) else W


@dataclass
class _Field:
    """A complex field (``w:fldChar`` begin … separate … end) being walked."""

    instr: list[str] = field(default_factory=list)
    in_result: bool = False
    hide_result: bool = False  # checkbox fields show their state, not their result
    source: str = "docx:field"
    answer: bool = False  # an input field's answer, marked for :mod:`.fieldcopies`


@dataclass
class _Cell:
    """Where a table cell sits in the document's grid (merged cells share one)."""

    table: int
    row: int
    col: int
    span: int


class _Walker:
    def __init__(self, ns: str) -> None:
        self.ns = ns
        self.blocks: list[Block] = []
        self.tables = 0
        self.fields: list[_Field] = []
        self._pending: list[Block] = []  # text-box blocks met inside a paragraph
        self.copies = AnswerCopies()  # LibreOffice's copies of input-field answers, dropped
        self._names: dict[object, str] = {}

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    def local(self, el: etree._Element) -> str:
        """The local name of a w: element ('' for other namespaces), cached per tag."""
        tag = el.tag
        name = self._names.get(tag)
        if name is None:
            name = tag.rsplit("}", 1)[-1] if isinstance(tag, str) and tag.startswith("{" + self.ns) else ""
            self._names[tag] = name
        return name

    # ---- block level -------------------------------------------------------------

    def body(self, parent: etree._Element, cell: _Cell | None = None, source: str = "docx:text",
             placeholder: bool = False) -> None:
        """Walk block-level content: paragraphs, tables, block content controls."""
        for child in parent:
            name = self.local(child)
            if name == "p":
                self.paragraph(child, cell, source, placeholder)
            elif name == "tbl":
                self.table(child)
            elif name == "sdt":
                box, content, src, ph = self.sdt_parts(child)
                if box is not None:
                    self.emit(Block([Line([box])], box.source, *self.cell_pos(cell)), cell)
                elif content is not None:
                    self.body(content, cell, src, placeholder or ph)
            elif name in ("customXml", "ins", "moveTo"):
                self.body(child, cell, source, placeholder)
            elif child.tag == f"{{{MC}}}AlternateContent":
                chosen = _choice(child)
                if chosen is not None:
                    self.body(chosen, cell, source, placeholder)

    def cell_pos(self, cell: _Cell | None) -> tuple[int | None, int | None, int | None, int]:
        if cell is None:
            return None, None, None, 1
        return cell.table, cell.row, cell.col, cell.span

    def emit(self, block: Block, cell: _Cell | None) -> None:
        """Add a block; the paragraphs of one table cell join into one block."""
        last = self.blocks[-1] if self.blocks else None
        if cell is not None and last is not None and last.table == cell.table \
                and last.row == cell.row and last.col == cell.col:
            last.lines.extend(block.lines)
            if last.source == "docx:text" and block.source != "docx:text":
                last.source = block.source
        else:
            self.blocks.append(block)
        if self._pending:
            # a text box belongs where it is anchored: inside a cell it is part of the cell
            if cell is not None:
                for box_block in self._pending:
                    self.blocks[-1].lines.extend(box_block.lines)
                    if self.blocks[-1].source == "docx:text":
                        self.blocks[-1].source = box_block.source
            else:
                self.blocks.extend(self._pending)
            self._pending = []

    def paragraph(self, p: etree._Element, cell: _Cell | None, source: str, placeholder: bool) -> None:
        pieces: list[Piece] = []
        self.inline(p, pieces, source, placeholder)
        table, row, col, span = self.cell_pos(cell)
        pieces, only_copies = self.copies.paragraph(pieces, (table, row, col))
        if only_copies and not self._pending:
            return  # a paragraph LibreOffice made of copies of an answer (see .fieldcopies)
        pieces = merge_weak(pieces)
        lines = lines_from_pieces(pieces)
        src = _block_source(pieces, source)
        self.emit(Block(lines, src, table, row, col, span), cell)

    def table(self, tbl: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        for row_index, tr in enumerate(self.rows(tbl)):
            col = 0
            trpr = tr.find(self.q("trPr"))
            if trpr is not None:
                col += _int_val(trpr.find(self.q("gridBefore")), self.q("val"), 0)
            for tc in self.cells(tr):
                tcpr = tc.find(self.q("tcPr"))
                span = 1
                merged = False
                if tcpr is not None:
                    span = max(1, _int_val(tcpr.find(self.q("gridSpan")), self.q("val"), 1))
                    vmerge = tcpr.find(self.q("vMerge"))
                    if vmerge is not None and vmerge.get(self.q("val"), "continue") != "restart":
                        merged = True
                    hmerge = tcpr.find(self.q("hMerge"))
                    if hmerge is not None and hmerge.get(self.q("val"), "continue") != "restart":
                        merged = True
                if not merged:
                    cell = _Cell(number, row_index, col, span)
                    before = len(self.blocks)
                    self.body(tc, cell)
                    if len(self.blocks) == before:  # an empty cell still holds its place
                        self.blocks.append(Block([Line()], "docx:text", number, row_index, col, span))
                col += span

    def rows(self, tbl: etree._Element):
        for child in tbl:
            name = self.local(child)
            if name == "tr":
                yield child
            elif name in ("sdt", "customXml", "ins", "moveTo"):
                inner = child.find(self.q("sdtContent")) if name == "sdt" else child
                if inner is not None:
                    yield from self.rows(inner)

    def cells(self, tr: etree._Element):
        for child in tr:
            name = self.local(child)
            if name == "tc":
                yield child
            elif name in ("sdt", "customXml"):
                inner = child.find(self.q("sdtContent")) if name == "sdt" else child
                if inner is not None:
                    yield from self.cells(inner)

    # ---- content controls -------------------------------------------------------

    def sdt_parts(self, sdt: etree._Element):
        """(checkbox or None, content element, source, showing placeholder?)."""
        pr = sdt.find(self.q("sdtPr"))
        content = sdt.find(self.q("sdtContent"))
        placeholder = False
        if pr is not None:
            cb = pr.find(f"{{{W14}}}checkbox")
            if cb is not None:
                checked_el = cb.find(f"{{{W14}}}checked")
                val = checked_el.get(f"{{{W14}}}val", "0") if checked_el is not None else "0"
                glyph = (_text_of(content) if content is not None else "").strip()[:1]
                checked = val.lower() in ("1", "true", "on")
                state = glyph_state(glyph) if glyph else None
                shown = checked if state is None else state
                return Box(checked, "docx:sdt", glyph, conflict=shown != checked), None, "docx:sdt", False
            placeholder = pr.find(self.q("showingPlcHdr")) is not None
            if placeholder and content is not None and not _PLACEHOLDER_WORDS.search(_text_of(content)):
                # still flagged as placeholder, but holding what looks like the company's text:
                # read it, and let the extractor ask a person (review_placeholder_text)
                return None, content, "docx:placeholder", False
        return None, content, "docx:sdt", placeholder

    # ---- inline level -------------------------------------------------------------

    def inline(self, parent: etree._Element, out: list[Piece], source: str, placeholder: bool) -> None:
        for child in parent:
            name = self.local(child)
            if name == "r":
                self.run(child, out, source, placeholder)
            elif name in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "dir", "bdo"):
                self.inline(child, out, source, placeholder)
            elif name == "fldSimple":
                self.inline(child, out, "docx:field", placeholder)
            elif name == "sdt":
                box, content, src, ph = self.sdt_parts(child)
                if box is not None:
                    if self.visible():
                        out.append(box)
                elif content is not None:
                    self.inline(content, out, src, placeholder or ph)
            elif child.tag == f"{{{MC}}}AlternateContent":
                chosen = _choice(child)
                if chosen is not None:
                    self.inline(chosen, out, source, placeholder)
            # w:del, w:moveFrom, w:pPr, bookmarks, comments, proofErr: nothing to read

    def visible(self) -> bool:
        return all(f.in_result and not f.hide_result for f in self.fields)

    def run(self, r: etree._Element, out: list[Piece], source: str, placeholder: bool) -> None:
        rpr = r.find(self.q("rPr"))
        if rpr is not None and _on(rpr.find(self.q("vanish")), self.q("val")):
            return  # hidden text is not what the applicant shows
        font = _run_font(rpr, self.q) if rpr is not None else ""
        struck = rpr is not None and (_on(rpr.find(self.q("strike")), self.q("val"))
                                      or _on(rpr.find(self.q("dstrike")), self.q("val")))
        for child in r:
            name = self.local(child)
            if name == "fldChar":
                self.field_char(child, out)
                continue
            if name == "instrText":
                if self.fields and not self.fields[-1].in_result:
                    self.fields[-1].instr.append(child.text or "")
                continue
            if placeholder or not self.visible():
                if name in ("drawing", "pict") or child.tag == f"{{{MC}}}AlternateContent":
                    self.text_boxes(child)
                continue
            src = self.fields[-1].source if self.fields else source
            if name == "t":
                self.text(child.text or "", out, src, font, struck)
            elif name in ("tab", "ptab"):
                out.append(Text("\t", src))
            elif name in ("br", "cr"):
                out.append(Text("\n", src))
            elif name == "noBreakHyphen":
                out.append(Text("-", src))
            elif name == "sym":
                out.append(self.symbol(child, struck))
            elif name == "ruby":  # furigana: the base text is what is written
                base = child.find(self.q("rubyBase"))
                if base is not None:
                    self.inline(base, out, source, placeholder)
            elif name in ("drawing", "pict", "object") or child.tag == f"{{{MC}}}AlternateContent":
                self.text_boxes(child)

    def text(self, text: str, out: list[Piece], source: str, font: str, struck: bool = False) -> None:
        if any(is_private_symbol(ch) for ch in text):
            # symbol-font characters typed as private-use code points
            buf: list[str] = []
            for ch in text:
                found = symbol(font, ord(ch)) if is_private_symbol(ch) else None
                if found is not None:
                    if buf:
                        out.extend(split_glyphs("".join(buf), source, struck))
                        buf = []
                    out.append(Box(found[0], "docx:sym", found[1], struck=struck))
                else:
                    buf.append(ch)
            if buf:
                out.extend(split_glyphs("".join(buf), source, struck))
            return
        out.extend(split_glyphs(text, source, struck))

    def symbol(self, sym: etree._Element, struck: bool = False) -> Piece:
        font = (sym.get(self.q("font")) or "").strip().lower()
        try:
            code = int(sym.get(self.q("char")) or "0", 16)
        except ValueError:
            code = 0
        found = symbol(font, code) if font else None
        if found is not None:
            return Box(found[0], "docx:sym", found[1], struck=struck)
        table = table_for(font) if font else None
        if table is None and 0x20 <= code < 0xF000:
            ch = chr(code)  # a symbol in an ordinary font is just that character
            pieces = split_glyphs(ch, "docx:sym")
            piece = pieces[0]
            return Box(piece.checked, "docx:sym", ch, struck=struck) if isinstance(piece, Box) \
                else Text(ch, "docx:sym", struck)
        return Text("", "docx:sym")

    def field_char(self, fc: etree._Element, out: list[Piece]) -> None:
        kind = fc.get(self.q("fldCharType"))
        if kind == "begin":
            fld = _Field()
            ff = fc.find(self.q("ffData"))
            if ff is not None:
                cb = ff.find(self.q("checkBox"))
                if cb is not None:
                    fld.hide_result = True
                    if self.visible():
                        out.append(Box(_checkbox_state(cb, self.q), "docx:ffdata", ""))
                elif ff.find(self.q("textInput")) is not None:
                    fld.source = "docx:formtext"
            self.fields.append(fld)
        elif kind == "separate" and self.fields:
            fld = self.fields[-1]
            fld.in_result = True
            if "".join(fld.instr).strip().upper().startswith("FILLIN") and fld.source == "docx:field":
                fld.source = FILLIN_SOURCE
            if fld.source in ANSWER_SOURCES and self.visible():
                fld.answer = True
                out.append(edge(START))
            self.circled(fld, out)
        elif kind == "end" and self.fields:
            fld = self.fields.pop()
            if fld.answer:
                out.append(edge(END))
            if not fld.in_result:
                fld.in_result = True
                self.circled(fld, out)

    def circled(self, fld: _Field, out: list[Piece]) -> None:
        """A circled option (囲い文字, ``EQ \\o\\ac(○,有)``) is a selection."""
        instr = "".join(fld.instr).strip()
        if not instr.lower().startswith("eq") or not any(c in instr for c in _CIRCLES):
            return
        m = _EQ_CIRCLE.search(instr)
        if not m:
            return
        args = [a for a in re.split(r",", m.group(1))]
        inner = "".join(re.sub(r"\\s\s*\\up\s*-?\d+\s*\(|[()]", "", a) for a in args)
        text = "".join(ch for ch in inner if ch not in _CIRCLES).strip()
        if text and all(f.in_result and not f.hide_result for f in self.fields[:-1]):
            out.append(Box(True, "docx:circled", "○"))
            out.append(Text(text, "docx:circled"))
        fld.hide_result = True

    def text_boxes(self, el: etree._Element) -> None:
        """Queue the text boxes inside a drawing; they follow the paragraph holding them."""
        saved_blocks, saved_fields, saved_copies = self.blocks, self.fields, self.copies
        self.blocks, self.fields, self.copies = [], [], AnswerCopies()
        for content in _text_box_contents(el, self.q("txbxContent")):
            self.body(content, None, "docx:textbox")
        found = self.blocks
        self.blocks, self.fields, self.copies = saved_blocks, saved_fields, saved_copies
        for block in found:
            block.source = "docx:textbox" if block.source == "docx:text" else block.source
        self._pending.extend(found)


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_V = "urn:schemas-microsoft-com:vml"


def _circles_drawn(root: etree._Element) -> bool:
    """Does the document hold an ellipse shape (DrawingML or VML), as Word draws a circle around words?

    Where it stands on the page depends on Word's layout, which a .docx does not
    record, so the circled words cannot be told: the extractor makes each choice
    left unmarked a review item instead of an applicant error.
    """
    for geom in root.iter(f"{{{_A}}}prstGeom"):
        if geom.get("prst") in ("ellipse", "flowChartConnector"):
            return True
    return next(root.iter(f"{{{_V}}}oval"), None) is not None


def _text_box_contents(el: etree._Element, txbx_tag: str):
    """Each ``w:txbxContent`` once: inside ``mc:AlternateContent`` only the Choice."""
    if el.tag == txbx_tag:
        yield el
        return
    if el.tag == f"{{{MC}}}AlternateContent":
        chosen = _choice(el)
        if chosen is not None:
            yield from _text_box_contents(chosen, txbx_tag)
        return
    for child in el:
        if isinstance(child.tag, str):
            yield from _text_box_contents(child, txbx_tag)


def _choice(alt: etree._Element) -> etree._Element | None:
    choice = alt.find(f"{{{MC}}}Choice")
    return choice if choice is not None else alt.find(f"{{{MC}}}Fallback")


def _text_of(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter() if isinstance(t.tag, str) and t.tag.endswith("}t"))


def _int_val(el: etree._Element | None, attr: str, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(attr, default))
    except (TypeError, ValueError):
        return default


def _on(el: etree._Element | None, attr: str) -> bool:
    """An OOXML on/off property: present means on unless val says otherwise."""
    if el is None:
        return False
    return el.get(attr, "true").lower() not in ("0", "false", "off")


def _checkbox_state(cb: etree._Element, q) -> bool:
    checked = cb.find(q("checked"))
    if checked is not None:
        return _on(checked, q("val"))
    return _on(cb.find(q("default")), q("val")) if cb.find(q("default")) is not None else False


def _run_font(rpr: etree._Element, q) -> str:
    fonts = rpr.find(q("rFonts"))
    if fonts is None:
        return ""
    return fonts.get(q("ascii")) or fonts.get(q("hAnsi")) or fonts.get(q("eastAsia")) or ""


def _block_source(pieces: list[Piece], default: str) -> str:
    for piece in pieces:
        if isinstance(piece, Text) and piece.text.strip() and piece.source != "docx:text":
            return piece.source
    return default
