"""Read an Excel workbook (.xlsx, .xlsm) into a :class:`~kyotei_docs.form.FormDoc`.

Many companies fill Form 1 in Excel: the form laid out on the sheet's grid,
labels and answers in cells (merged where the form needs room), ☑ or ○ typed
in a cell, check boxes of the 「開発」 tab (form controls) floating over the
cells, the date a serial number shown in 和暦 by its number format.  This is an
own walk over the package's XML (as :mod:`.docx` is for Word) through the
bounded package reader (:mod:`.package`: entry count, inflated sizes, no DTD or
entities); openpyxl's read-only mode knows neither merged cells nor form
controls, and its full mode holds every styled cell of a sheet in memory.

What a person sees is read:

* every visible sheet in the workbook's order (hidden sheets, rows and columns
  are not read); each sheet is one table, each cell with text a block on the
  grid (``row`` counts rows with content, ``col`` is the sheet's column), a
  merged range once at its top-left with its width as ``span``;
* strings through the shared-string table without their furigana (``rPh``),
  struck-through runs and cells as struck text;
* numbers through their number format (:mod:`.numfmt`): a date cell reads as
  the date the sheet shows (「令和8年11月20日」), source ``xlsx:date``;
* form-control check boxes and option buttons (:mod:`.xlcontrols`): their state
  from ``xl/ctrlProps`` (or the VML drawing), placed in the cell they are
  anchored on — with their own caption where they have one (「個別連携協定」),
  else before the cell's text or alone in it (the option is then the cell beside);
* a label spaced out over cells (「所」「在」「地」 in three cells, as a form
  copied from paper often is) is one cell, so the extractor finds the label;
* text boxes drawn on the sheet, as cells of the grid where they are anchored;
* what lies apart from the form — outside the print area where the workbook sets
  one, else a small block of cells beyond three or more empty columns (the list
  behind a drop-down, a note in a far column) — is a table of its own after the
  form: it never runs on from a row of the form.

A sheet is bounded: more than :data:`MAX_CELLS` cells with content, more
than :data:`MAX_SHEETS` visible sheets, :data:`MAX_MERGES` merged ranges or
:data:`MAX_SHAPES` form controls or ovals on a sheet, is refused
(``xlsx_too_large``) rather than laid out; a print area of more than
:data:`MAX_AREAS` ranges is no print area.  Nothing is looked up in a way that
grows with the square of what a sheet holds.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import vocab
from ..errors import UnreadableError
from ..form import Block, Box, FormDoc, Line, Piece, Text, lines_from_pieces, merge_weak, split_glyphs
from . import numfmt
from .package import REL_OFFICE_DOCUMENT, Package
from .xlcontrols import Control, controls, rel_id, rings, text_boxes

SOURCE = "xlsx:text"
DATE = "xlsx:date"
TEXTBOX = "xlsx:textbox"
CONTROL = "xlsx:control"
#: a choice circled with an oval drawn over its cell
DRAWN = "xlsx:drawn"
#: cells with content over all sheets read: a Form 1 has about a hundred
MAX_CELLS = 20_000
#: visible sheets read
MAX_SHEETS = 20
#: merged ranges of one sheet (a Form 1 has a few hundred); each form control is looked up among them
MAX_MERGES = 5_000
#: form controls, and ovals drawn over cells, of one sheet (a Form 1 has a few dozen); each oval is
#: looked up among the cells
MAX_SHAPES = 1_000
#: cells looked at to clear what merged ranges hide, over a sheet (a Form 1's few hundred small ranges
#: look at a few thousand; ranges over the whole sheet, each laid over the others, at every cell each)
MERGE_WORK = 1_000_000
#: ranges of one sheet's print area (Excel sets one, or a few); each cell is looked up among them
MAX_AREAS = 64
#: a sheet holding the city's filled-in example, not an answer: 「記入例」, 「記載例（様式１）」, 「見本」
_EXAMPLE_SHEET = vocab.pattern(r"^[(（【\[]?(?:記入例|記載例|入力例|作成例|見本|サンプル|例)[)）】\]]?(?:[\s　]*[(（]?様式.*)?$")
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
#: a caption Excel gives a new control («チェック 1», «Check Box 3»): it names no option
_DEFAULT_CAPTION = re.compile(r"^(?:チェック|Check\s*Box|オプション|Option\s*Button)\s*[0-9]+$", re.I)


def local(el: etree._Element) -> str:
    """An element's name without its namespace (transitional and strict OOXML alike)."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if local(c) == name]


def child(el: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in el if local(c) == name), None)


def descendants(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el.iter() if local(c) == name]


def cell_ref(ref: str) -> tuple[int, int] | None:
    """(row, col), both from 0, of 「B12」; None for anything else."""
    m = _CELL_REF.match(ref.strip().upper())
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    if col > 16384 or row > 1048576 or row < 1:
        return None
    return row - 1, col - 1


def _area_end(ref: str, last: bool) -> tuple[int, int] | None:
    """A print area's corner: a cell (「B12」), or a whole column (「A」 of 「$A:$J」) or row (「3」 of
    「$1:$40」) as Excel writes an area of whole columns or rows — its first (or ``last``) row or column."""
    ref = ref.strip().upper()
    if ref.isascii() and ref.isalpha():
        col = cell_ref(f"{ref}1")
        return (1048575 if last else 0, col[1]) if col is not None else None
    if ref.isascii() and ref.isdigit():
        row = cell_ref(f"A{ref}")
        return (row[0], 16383 if last else 0) if row is not None else None
    return cell_ref(ref)


def relationships(pkg: Package, part: str) -> dict[str, tuple[str, str]]:
    """rId -> (type, target part) of ``part``'s relationships; targets resolved against its folder."""
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if rels_part not in pkg:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for rel in pkg.xml(rels_part):
        if local(rel) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], posixpath.normpath(path))
    return out


@dataclass
class _Cell:
    row: int
    col: int
    pieces: list[Piece]
    span: int = 1
    source: str = SOURCE


@dataclass
class _Sheet:
    cells: dict[tuple[int, int], _Cell] = field(default_factory=dict)
    #: form controls with a caption of their own (「☑個別連携協定」), each shown after its cell
    captioned: list[_Cell] = field(default_factory=list)
    #: the print area's ranges (top, left, bottom, right), where the workbook sets one
    print_area: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: merged ranges: (top, left, bottom, right)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: text boxes drawn on the sheet: (row, col, columns spanned, paragraphs)
    boxes: list[tuple[int, int, int, list[str]]] = field(default_factory=list)
    #: ovals circling a choice that could not be given to one cell's word
    unplaced_rings: int = 0


#: how long a circled cell's text may be: one option's name (「包括連携協定」, 「福祉・医療・健康」), not a line of them
_RING_TEXT = 12


def _place_ring(sheet: _Sheet, ring: tuple[int, int, int, int]) -> bool:
    """An oval drawn over cells as a ○ before the one short word it circles; False when it circles no such one.

    A ring is anchored from the cell its top-left corner lies in to the cell of its
    bottom-right corner, so it covers those cells at least in part: it circles the one
    cell among them holding a short text (an option's name).  Around a cell holding
    several options, or over several words, which one it circles is not known.
    """
    top, left, bottom, right = ring
    if (bottom - top + 1) * (right - left + 1) <= len(sheet.cells):  # a few cells: looked up, not searched for
        under = [sheet.cells[(r, c)] for r in range(top, bottom + 1) for c in range(left, right + 1)
                 if (r, c) in sheet.cells]
    else:
        under = [cell for (r, c), cell in sheet.cells.items() if top <= r <= bottom and left <= c <= right]
    covered = [cell for cell in under if _plain(cell.pieces).strip()]
    if len(covered) != 1 or len(_plain(covered[0].pieces).strip(" \u3000")) > _RING_TEXT:
        return False
    covered[0].pieces = [Box(True, DRAWN, "○"), *covered[0].pieces]
    return True


def _plain(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces if isinstance(p, Text))


def read_xlsx(path: Path) -> FormDoc:
    with Package(path) as pkg:
        book = _workbook_part(pkg)
        reader = _Book(pkg, book)
        sheets = reader.sheets()
        macros = any(n.lower().endswith("vbaproject.bin") for n in pkg.names())
    doc = FormDoc(path=str(path), format="xlsx")
    if macros:
        doc.warnings.append("macros_present")
    if any(sheet.unplaced_rings for sheet in sheets):
        doc.warnings.append("circles_drawn")  # as for a .docx: each choice left unmarked is a review item
    beyond: list[_Sheet] = []
    for number, sheet in enumerate(sheets, start=1):
        inside, outside = _split_print_area(sheet)
        doc.blocks += _blocks(inside, number)
        if outside.cells:
            beyond.append(outside)
    # what lies outside a sheet's print area (the list behind a drop-down, a note to self, a column of
    # 記入例) is a table of its own after every sheet: it never runs on from a row of the form, and is
    # no entry of it (「☑ 災害対策」 of an example was read as a chosen field) — unless it holds more
    # than the form does (a print area left from an older layout)
    if beyond and sum(len(s.cells) for s in beyond) < sum(len(s.cells) for s in sheets) / 2:
        doc.apart = len(doc.blocks)
    for number, sheet in enumerate(beyond, start=len(sheets) + 1):
        doc.blocks += _blocks(sheet, number)
    return doc


def _workbook_part(pkg: Package) -> str:
    if "_rels/.rels" in pkg:
        for rel in pkg.xml("_rels/.rels"):
            if rel.get("Type") in REL_OFFICE_DOCUMENT:
                target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                if target in pkg:
                    return target
    if "xl/workbook.xml" in pkg:
        return "xl/workbook.xml"
    raise UnreadableError("not_docx", kind="no xl/workbook.xml")


class _Book:
    def __init__(self, pkg: Package, part: str) -> None:
        self.pkg = pkg
        self.part = part
        self.root = pkg.xml(part)
        self.rels = relationships(pkg, part)
        pr = child(self.root, "workbookPr")
        self.date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
        self.strings = self._shared_strings()
        self.formats, self.struck_styles = self._styles()
        self.count = 0

    def _target(self, kind: str) -> str | None:
        return next((t for k, t in self.rels.values() if k == kind and t in self.pkg), None)

    def _shared_strings(self) -> list[list[Piece]]:
        part = self._target("sharedStrings")
        if part is None:
            return []
        return [_rich_text(si, False) for si in children(self.pkg.xml(part), "si")]

    def _styles(self) -> tuple[list[str], set[int]]:
        """Each cell style's number format code, and the styles whose font is struck through."""
        part = self._target("styles")
        if part is None:
            return [], set()
        root = self.pkg.xml(part)
        custom: dict[int, str] = {}
        fmts = child(root, "numFmts")
        for nf in children(fmts, "numFmt") if fmts is not None else []:
            try:
                custom[int(nf.get("numFmtId", ""))] = nf.get("formatCode", "")
            except ValueError:
                continue
        fonts_el = child(root, "fonts")
        struck_fonts = {k for k, font in enumerate(children(fonts_el, "font") if fonts_el is not None else [])
                        if _on(child(font, "strike"))}
        codes: list[str] = []
        struck: set[int] = set()
        xfs = child(root, "cellXfs")
        for k, xf in enumerate(children(xfs, "xf") if xfs is not None else []):
            try:
                codes.append(numfmt.format_code(int(xf.get("numFmtId", "0")), custom))
            except ValueError:
                codes.append("General")
            if xf.get("fontId", "").isdigit() and int(xf.get("fontId", "")) in struck_fonts:
                struck.add(k)
        return codes, struck

    def sheets(self) -> list[_Sheet]:
        out: list[_Sheet] = []
        sheets_el = child(self.root, "sheets")
        areas = self._print_areas()
        listed = list(children(sheets_el, "sheet") if sheets_el is not None else [])
        visible = [sheet for sheet in listed if sheet.get("state", "visible") == "visible"]
        examples = {id(sheet) for sheet in visible if _EXAMPLE_SHEET.match(sheet.get("name", "").strip())}
        for index, sheet in enumerate(listed):
            if sheet.get("state", "visible") != "visible":
                continue  # a hidden sheet (lists behind drop-downs, calculations) is no one's answer
            if id(sheet) in examples and len(examples) < len(visible):
                continue  # the city's filled-in example kept beside the company's own sheet (「記入例」)
            rid = rel_id(sheet)
            kind, part = self.rels.get(rid or "", ("", ""))
            if kind != "worksheet" or part not in self.pkg:
                continue
            if len(out) >= MAX_SHEETS:
                raise UnreadableError("xlsx_too_large", detail=f"> {MAX_SHEETS} sheets")
            out.append(self._sheet(part))
            out[-1].print_area = areas.get(index, [])
        return out

    def _print_areas(self) -> dict[int, list[tuple[int, int, int, int]]]:
        """Sheet index -> its print area (``_xlnm.Print_Area``: 「'様式１'!$A$1:$J$40」, ranges by commas)."""
        out: dict[int, list[tuple[int, int, int, int]]] = {}
        names = child(self.root, "definedNames")
        for dn in children(names, "definedName") if names is not None else []:
            if dn.get("name") != "_xlnm.Print_Area" or not (dn.get("localSheetId") or "").isdigit():
                continue
            ranges = []
            for part in (dn.text or "").split(","):
                ref = part.rsplit("!", 1)[-1].replace("$", "")
                a, _, b = ref.partition(":")
                start, end = _area_end(a, False), _area_end(b or a, True)
                if start is not None and end is not None:
                    ranges.append((min(start[0], end[0]), min(start[1], end[1]),
                                   max(start[0], end[0]), max(start[1], end[1])))
            if ranges and len(ranges) <= MAX_AREAS:  # thousands of ranges: each cell looked up in each
                out[int(dn.get("localSheetId", "0"))] = ranges
        return out

    def _sheet(self, part: str) -> _Sheet:
        root = self.pkg.xml(part)
        sheet = _Sheet()
        hidden_cols = _hidden_columns(root)
        data = child(root, "sheetData")
        row_no = -1
        for row in children(data, "row") if data is not None else []:
            # ``r`` may be left out (some tools do): the next row, the next column
            number = row.get("r") or ""
            row_no = int(number) - 1 if number.isdigit() else row_no + 1
            if _on_attr(row.get("hidden")):
                continue
            col_no = -1
            for c in children(row, "c"):
                ref = cell_ref(c.get("r", "")) if c.get("r") else (row_no, col_no + 1)
                if ref is None:
                    continue
                col_no = ref[1]
                if ref[1] in hidden_cols or not 0 <= ref[0] < 1048576 or ref[1] >= 16384:
                    continue
                pieces, source = self._value(c)
                if not pieces:
                    continue
                self.count += 1
                if self.count > MAX_CELLS:
                    raise UnreadableError("xlsx_too_large", detail=f"> {MAX_CELLS} cells")
                sheet.cells[ref] = _Cell(ref[0], ref[1], pieces, source=source)
        _apply_merges(root, sheet)
        rels = relationships(self.pkg, part)
        found = controls(self.pkg, root, rels)
        drawn = rings(self.pkg, root, rels)
        if max(len(found), len(drawn)) > MAX_SHAPES:
            raise UnreadableError("xlsx_too_large", detail=f"> {MAX_SHAPES} controls")
        for control in found:
            _place_control(sheet, control)
        sheet.boxes = text_boxes(self.pkg, root, rels)
        _join_spaced_labels(sheet)
        for ring in drawn:
            sheet.unplaced_rings += not _place_ring(sheet, ring)
        return sheet

    def _value(self, c: etree._Element) -> tuple[list[Piece], str]:
        kind = c.get("t", "n")
        style = int(c.get("s", "0")) if c.get("s", "0").isdigit() else 0
        struck = style in self.struck_styles
        v = child(c, "v")
        raw = v.text if v is not None and v.text is not None else None
        if kind == "s":
            if raw is None or not raw.strip().isdigit() or int(raw) >= len(self.strings):
                return [], SOURCE
            pieces = self.strings[int(raw)]
            return ([_strike(p) for p in pieces] if struck else list(pieces)), SOURCE
        if kind == "inlineStr":
            is_el = child(c, "is")
            return (_rich_text(is_el, struck) if is_el is not None else []), SOURCE
        if raw is None or not raw.strip():
            return [], SOURCE
        if kind == "b":
            text = "TRUE" if raw.strip() in ("1", "true") else "FALSE"
        elif kind == "d":  # an ISO 8601 date cell (strict OOXML, some tools): shown through its format
            code = self.formats[style] if style < len(self.formats) else "General"
            day = numfmt.iso_date(raw)
            if day is not None:
                shown = numfmt.show_date(day, code) if numfmt.is_date_format(code) else day.isoformat()
                return [Text(shown, DATE, struck)], DATE
            text = raw
        elif kind in ("str", "e"):
            text = raw
        else:
            code = self.formats[style] if style < len(self.formats) else "General"
            text, is_date = numfmt.show_number(raw, code, self.date1904)
            if is_date:
                return [Text(text, DATE, struck)], DATE
        return _pieces(text, struck), SOURCE


def _on(el: etree._Element | None) -> bool:
    return el is not None and _on_attr(el.get("val", "1"))


def _on_attr(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "on")


def _strike(piece: Piece) -> Piece:
    if isinstance(piece, Text):
        return Text(piece.text, piece.source, True, piece.wrapped)
    return Box(piece.checked, piece.source, piece.glyph, piece.weak, True, piece.conflict)


def _pieces(text: str, struck: bool, source: str = SOURCE) -> list[Piece]:
    return merge_weak(split_glyphs(text, source, struck))


def _rich_text(si: etree._Element, struck: bool) -> list[Piece]:
    """A string item's runs (furigana left out), struck runs as struck text."""
    pieces: list[Piece] = []
    for part in si:
        name = local(part)
        if name == "t":
            pieces += split_glyphs(part.text or "", SOURCE, struck)
        elif name == "r":
            rpr = child(part, "rPr")
            run_struck = struck or (rpr is not None and _on(child(rpr, "strike")))
            t = child(part, "t")
            pieces += split_glyphs(t.text or "" if t is not None else "", SOURCE, run_struck)
    return merge_weak(pieces)


def _hidden_columns(root: etree._Element) -> set[int]:
    spans: list[tuple[int, int]] = []
    cols = child(root, "cols")
    for col in children(cols, "col") if cols is not None else []:
        if not _on_attr(col.get("hidden")):
            continue
        try:
            lo, hi = int(col.get("min", "0")), int(col.get("max", "0"))
        except ValueError:
            continue
        spans.append((max(lo, 1) - 1, min(hi, 16384)))
    # the spans joined first: thousands of <col> each hiding all 16,384 columns were each counted out
    hidden: set[int] = set()
    reach = 0
    for lo, hi in sorted(spans):
        hidden.update(range(max(lo, reach), hi))
        reach = max(reach, hi)
    return hidden


def _apply_merges(root: etree._Element, sheet: _Sheet) -> None:
    merges = child(root, "mergeCells")
    found = children(merges, "mergeCell") if merges is not None else []
    if len(found) > MAX_MERGES:
        raise UnreadableError("xlsx_too_large", detail=f"> {MAX_MERGES} merged ranges")
    work = 0
    for m in found:
        ref = m.get("ref", "")
        if ":" not in ref:
            continue
        a, b = (cell_ref(x) for x in ref.split(":", 1))
        if a is None or b is None:
            continue
        top, left = min(a[0], b[0]), min(a[1], b[1])
        bottom, right = max(a[0], b[0]), max(a[1], b[1])
        sheet.merges.append((top, left, bottom, right))
        cell = sheet.cells.get((top, left))
        if cell is not None:
            cell.span = right - left + 1
        # what other cells of a merged range hold is not shown by Excel; a small range is looked up cell
        # by cell, a large one (A1:XFD1048576) against the cells there are (each bounded by MAX_CELLS)
        area = (bottom - top + 1) * (right - left + 1)
        work += min(area, len(sheet.cells))
        if work > MERGE_WORK:
            raise UnreadableError("xlsx_too_large", detail="merged ranges laid over each other")
        if area <= len(sheet.cells):
            inside = [(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1) if (r, c) in sheet.cells]
        else:
            inside = [k for k in sheet.cells if top <= k[0] <= bottom and left <= k[1] <= right]
        for key in inside:
            if key != (top, left):
                del sheet.cells[key]


def _place_control(sheet: _Sheet, control: Control) -> None:
    row, col = _owner(sheet, control.row, control.col)
    box = Box(control.checked, CONTROL, "☑" if control.checked else "☐")
    caption = control.caption.strip()
    if caption and not _DEFAULT_CAPTION.match(caption):
        # a control with its own caption is an option of its own, right of what its cell holds
        sheet.captioned.append(_Cell(row, col, [box, *_pieces(caption, False, CONTROL)]))
        return
    cell = sheet.cells.get((row, col))
    if cell is None:
        sheet.cells[(row, col)] = _Cell(row, col, [box])
    else:
        cell.pieces.insert(0, box)


def _owner(sheet: _Sheet, row: int, col: int) -> tuple[int, int]:
    """The cell showing (row, col): the top-left of a merged range covering it, else itself."""
    for top, left, bottom, right in sheet.merges:
        if top <= row <= bottom and left <= col <= right:
            return top, left
    return row, col


def _join_spaced_labels(sheet: _Sheet) -> None:
    """「所」「在」「地」 in three cells side by side: one cell 「所　在　地」, when it spells a label."""
    by_row: dict[int, list[tuple[int, _Cell]]] = {}
    for (r, c), cell in sheet.cells.items():
        by_row.setdefault(r, []).append((c, cell))
    for row_cells in by_row.values():
        row_cells.sort(key=lambda rc: rc[0])
        k = 0
        while k < len(row_cells):
            run = [row_cells[k]]
            while k + len(run) < len(row_cells):
                prev_c, prev = run[-1]
                nxt_c, nxt = row_cells[k + len(run)]
                if nxt_c > prev_c + prev.span or not _one_letter(nxt) \
                        or not _one_letter(run[0][1]):
                    break
                run.append(row_cells[k + len(run)])
            if len(run) >= 2 and _spells_label("".join(_letter(c) for _, c in run)):
                first_c, first = run[0]
                last_c, last = run[-1]
                first.pieces = [Text("\u3000".join(_letter(c) for _, c in run), SOURCE)]
                first.span = last_c + last.span - first_c
                for c, _ in run[1:]:
                    del sheet.cells[(first.row, c)]
            k += len(run)


def _one_letter(cell: _Cell) -> bool:
    text = _letter(cell)
    return len(text) == 1 and bool(re.match(r"[ぁ-ゖァ-ヺ一-龯々]", text)) and \
        all(isinstance(p, Text) and not p.struck for p in cell.pieces)


def _letter(cell: _Cell) -> str:
    return "".join(p.text for p in cell.pieces if isinstance(p, Text)).strip(" \u3000\t")


def _spells_label(text: str) -> bool:
    k = vocab.key(text)
    return any(label_key == k for label_key, _ in vocab.LABELS_BY_INITIAL.get(k[:1], []))


#: entirely empty columns that set a block of cells apart from the form (a spacer column is one or two)
APART = 3


def _split_print_area(sheet: _Sheet) -> tuple[_Sheet, _Sheet]:
    """(the form, what lies apart from it): outside the print area where the workbook sets one, else the
    cells beyond :data:`APART` or more empty columns from the columns holding most of the sheet's cells."""
    area = sheet.print_area or _before_example(sheet) or _main_columns(sheet)
    if not area:
        return sheet, _Sheet()

    def inside(row: int, col: int) -> bool:
        return any(top <= row <= bottom and left <= col <= right for top, left, bottom, right in area)

    outside = _Sheet({k: c for k, c in sheet.cells.items() if not inside(*k)})
    kept = _Sheet(cells={k: c for k, c in sheet.cells.items() if inside(*k)},
                  captioned=[c for c in sheet.captioned if inside(c.row, c.col)], print_area=sheet.print_area,
                  merges=sheet.merges, boxes=[b for b in sheet.boxes if inside(b[0], b[1])])
    return kept, outside


def _before_example(sheet: _Sheet) -> list[tuple[int, int, int, int]]:
    """The columns left of a column headed 「記入例」 (「【記入例】」, 「見本」) that no cell or merge of the form
    runs into: a template's example answers kept beside the company's own, where no print area sets them
    apart (its 「☑ 災害対策」 was read as a chosen field); [] when there is none."""
    heads = {col for (_, col), cell in sheet.cells.items()
             if col and _EXAMPLE_SHEET.match(vocab.key("".join(getattr(p, "text", "") for p in cell.pieces)
                                                       .strip(" \u3000")))}
    if not heads:
        return []
    last = max(heads)
    # per column, counted once (a sheet of thousands of 「記入例」 was counted over for each): the cells
    # left of it, and the cells and merges running into it
    width = last + 2
    starts, into = [0] * width, [0] * width
    for (_, c), other in sheet.cells.items():
        starts[min(c, width - 1)] += 1
        if other.span > 1 and c + 1 < width:  # runs into columns c+1 … c+span-1
            into[c + 1] += 1
            into[min(c + other.span, width - 1)] -= 1
    for _, left, _, right in sheet.merges:
        if left + 1 < width and right > left:  # runs into columns left+1 … right
            into[left + 1] += 1
            into[min(right + 1, width - 1)] -= 1
    form = crossing = 0
    for col in range(last + 1):
        crossing += into[col]
        if col in heads and not crossing and 2 * form > len(sheet.cells):
            return [(0, 0, 1048575, col - 1)]
        form += starts[col]
    return []


def _main_columns(sheet: _Sheet) -> list[tuple[int, int, int, int]]:
    """The column bands of the form, as ranges over every row; [] when nothing lies apart from it."""
    used: dict[int, int] = {}
    for (_, col), cell in sheet.cells.items():
        for c in range(col, col + min(cell.span, 64)):
            used[c] = used.get(c, 0) + (1 if c == col else 0)
    for _, col, span, _ in sheet.boxes:
        for c in range(col, col + min(span, 64)):
            used.setdefault(c, 0)
    bands: list[list[int]] = []
    for col in sorted(used):
        if bands and col - bands[-1][-1] <= APART:
            bands[-1].append(col)
        else:
            bands.append([col])
    if len(bands) < 2:
        return []
    counts = [sum(used[c] for c in band) for band in bands]
    # a band as full as the form's is part of it (labels in A, answers typed far right in F): only a
    # small block beside the form (a list of 11 fields next to a form of 40 cells) is set apart
    kept = [band for band, n in zip(bands, counts) if n > 0.5 * max(counts)]
    if len(kept) == len(bands):
        return []
    return [(0, band[0], 1048575, band[-1]) for band in kept]


def _blocks(sheet: _Sheet, table: int) -> list[Block]:
    """The sheet's cells as blocks on its grid, row by row; text boxes where they are anchored."""
    rows = sorted({r for r, _ in sheet.cells} | {c.row for c in sheet.captioned} | {r for r, *_ in sheet.boxes})
    number = {r: n for n, r in enumerate(rows)}
    items: list[tuple[int, float, int, Block]] = []
    for (r, c), cell in sheet.cells.items():
        lines = lines_from_pieces(cell.pieces) or [Line()]
        items.append((r, float(c), 0, Block(lines, cell.source, table, number[r], c, cell.span)))
    for cell in sheet.captioned:
        items.append((cell.row, cell.col + 0.5, 0, Block(lines_from_pieces(cell.pieces), CONTROL, table,
                                                           number[cell.row], cell.col)))
    for k, (r, c, span, paragraphs) in enumerate(sheet.boxes):
        # on the grid where it is drawn: a value under its label cell is the cell below
        pieces = _pieces("\n".join(paragraphs), False, TEXTBOX)
        items.append((r, float(c), 1 + k, Block(lines_from_pieces(pieces), TEXTBOX, table, number[r], c, span)))
    items.sort(key=lambda it: (it[0], it[2] > 0, it[1], it[2]))
    return [b for *_, b in items]
