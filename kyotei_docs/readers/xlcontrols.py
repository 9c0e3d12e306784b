"""What floats over an Excel sheet's cells: form-control check boxes and text boxes.

A check box of Excel's 「開発」 tab is no cell value: its state is in
``xl/ctrlProps/ctrlPropN.xml`` (``checked="Checked"``), its place in the
sheet's ``<controls>`` (the cell its top-left corner is anchored on) and its
caption only in the legacy VML drawing (``xl/drawings/vmlDrawingN.vml``), which
also holds state and anchor for files written before Excel 2010.  Both are
read; where they disagree the ctrlProps state wins (it is what Excel 2010 and
later show).  Option buttons (``Radio``) are read the same way.

Text boxes are drawing shapes (``xdr:sp`` with a ``txBody``) anchored on a
cell; the drawing also holds each form control once more as a hidden shape
(``a14:compatExt``), which is not text of the sheet and is skipped.  Ovals
without text (an ellipse, a rounded box) one or two rows tall are how a choice
is circled on a sheet (「該当するものを○で囲む」): :func:`rings` gives the cells they cover.

Every part is read through the bounded package reader; the VML drawing, which
Excel writes with HTML's unclosed ``<br>``, is mended before it is parsed.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from lxml import etree

from ..errors import UnreadableError
from .package import Package, parse_xml

#: VML's unclosed line breaks, closed so the drawing parses as XML
_BR = re.compile(rb"<br\s*>", re.I)
_SHAPE_NO = re.compile(r"(\d+)$")


@dataclass
class Control:
    row: int
    col: int
    checked: bool
    caption: str = ""


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _find(el: etree._Element, *path: str) -> etree._Element | None:
    node: etree._Element | None = el
    for name in path:
        if node is None:
            return None
        node = next((c for c in node if _local(c) == name), None)
    return node


def _int(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None


_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL_STRICT = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"


def rel_id(el: etree._Element) -> str | None:
    """The ``r:id`` of an element (transitional or strict OOXML)."""
    return el.get(_REL) or el.get(_REL_STRICT)


_rid = rel_id


def _from(start: etree._Element | None) -> tuple[int | None, int | None]:
    """(row, col) of an anchor's ``from`` corner."""
    if start is None:
        return None, None
    row, col = _find(start, "row"), _find(start, "col")
    return (_int(row.text) if row is not None else None), (_int(col.text) if col is not None else None)


def controls(pkg: Package, sheet: etree._Element, rels: dict[str, tuple[str, str]]) -> list[Control]:
    """The sheet's check boxes and option buttons, with their state, anchor cell and caption."""
    vml = _vml_controls(pkg, sheet, rels)
    found: dict[str, Control] = dict(vml)
    ctrls = [el for el in sheet.iter() if _local(el) == "control"]  # the sheet walked once, not once a shape
    named = {el.get("shapeId") for el in ctrls}
    paired: set[str] = {k for k in found if k in named}  # VML shapes whose number names a control
    # the others are paired by place: the unpaired shapes of each anchor cell, in the drawing's order
    by_place: dict[tuple[int, int], deque[str]] = {}
    for k, c in vml.items():
        if k not in paired:
            by_place.setdefault((c.row, c.col), deque()).append(k)
    props_of: dict[str, etree._Element] = {}  # each ctrlProps part parsed once, however many controls name it
    for ctrl in ctrls:
        kind, part = rels.get(_rid(ctrl) or "", ("", ""))
        if kind != "ctrlProp" or part not in pkg:
            continue
        if part not in props_of:
            props_of[part] = pkg.xml(part)
        props = props_of[part]
        if (props.get("objectType") or "").lower() not in ("checkbox", "radio"):
            continue
        checked = (props.get("checked") or "").lower() == "checked"
        shape = ctrl.get("shapeId", "")
        row, col = _from(_find(ctrl, "controlPr", "anchor", "from"))
        known = found.get(shape)
        if known is None and row is not None:
            # LibreOffice numbers its VML shapes apart from the controls (「shape_0」 for each): the VML
            # shape anchored on the same cell is this control — two of them read one box as ☑ and ☐
            queue = by_place.get((row, col), deque()) if col is not None else deque()
            while queue and queue[0] in paired:
                queue.popleft()
            key = queue.popleft() if queue else None
            known = found.get(key) if key is not None else None
            paired.add(key or "")
        if known is not None:
            known.checked = checked
            if row is not None and col is not None:
                known.row, known.col = row, col
        elif row is not None and col is not None:
            found[shape] = Control(row, col, checked)
    return list(found.values())


def _vml_controls(pkg: Package, sheet: etree._Element, rels: dict[str, tuple[str, str]]) -> dict[str, Control]:
    out: dict[str, Control] = {}
    legacy = _find(sheet, "legacyDrawing")
    if legacy is None:
        return out
    kind, part = rels.get(_rid(legacy) or "", ("", ""))
    if kind != "vmlDrawing" or part not in pkg:
        return out
    data = _BR.sub(b"<br/>", pkg.read(part, pkg.limits.zip_xml_bytes))
    try:
        root = parse_xml(data, part)
    except UnreadableError as exc:
        if exc.code != "bad_xml":
            raise
        return out  # a drawing no parser reads holds no state we could trust
    for shape in (el for el in root.iter() if _local(el) == "shape"):
        data_el = _find(shape, "ClientData")
        if data_el is None or (data_el.get("ObjectType") or "").lower() not in ("checkbox", "radio"):
            continue
        anchor = _find(data_el, "Anchor")
        numbers = [_int(x) for x in (anchor.text or "").split(",")] if anchor is not None else []
        if len(numbers) < 4 or numbers[0] is None or numbers[2] is None:
            continue
        state = _find(data_el, "Checked")
        checked = state is not None and (state.text or "").strip() == "1"
        box = _find(shape, "textbox")
        caption = "".join(str(t) for t in box.itertext()).strip() if box is not None else ""
        m = _SHAPE_NO.search(shape.get("id") or "")
        key = m.group(1) if m and m.group(1) not in out else f"vml{len(out)}"  # LibreOffice repeats 「shape_0」
        out[key] = Control(numbers[2], numbers[0], checked, caption)
    return out


#: shapes drawn to circle a choice (「該当するものを○で囲む」): ellipses, and the rounded boxes some use
_RINGS = frozenset({"ellipse", "flowChartConnector", "roundRect", "flowChartAlternateProcess"})
#: a ring taller than this many rows is a frame around part of the form, not a circled word
_RING_ROWS = 2


def rings(pkg: Package, sheet: etree._Element, rels: dict[str, tuple[str, str]]) -> list[tuple[int, int, int, int]]:
    """Ovals drawn over the sheet without text of their own: (first row, first col, last row, last col) they cover."""
    root = _drawing_root(pkg, sheet, rels)
    if root is None:
        return []
    out: list[tuple[int, int, int, int]] = []
    for anchor in root.iter():
        if _local(anchor) != "twoCellAnchor":
            continue
        row, col = _from(_find(anchor, "from"))
        last_row, last_col = _from(_find(anchor, "to"))
        if None in (row, col, last_row, last_col):
            continue
        assert row is not None and col is not None and last_row is not None and last_col is not None
        for sp in (el for el in anchor if _local(el) == "sp"):
            geom = _find(sp, "spPr", "prstGeom")
            text = "".join(t.text or "" for t in sp.iter() if _local(t) == "t")
            if geom is not None and geom.get("prst") in _RINGS and not text.strip() \
                    and last_row - row < _RING_ROWS:
                out.append((row, col, last_row, last_col))
    return out


def _drawing_root(pkg: Package, sheet: etree._Element, rels: dict[str, tuple[str, str]]) -> etree._Element | None:
    drawing = _find(sheet, "drawing")
    if drawing is None:
        return None
    kind, part = rels.get(_rid(drawing) or "", ("", ""))
    if kind != "drawing" or part not in pkg:
        return None
    return pkg.xml(part)


def text_boxes(pkg: Package, sheet: etree._Element,
               rels: dict[str, tuple[str, str]]) -> list[tuple[int, int, int, list[str]]]:
    """Text boxes drawn on the sheet: (anchor row, anchor col, columns spanned, their paragraphs)."""
    root = _drawing_root(pkg, sheet, rels)
    if root is None:
        return []
    out: list[tuple[int, int, int, list[str]]] = []
    for anchor in root.iter():
        if _local(anchor) not in ("twoCellAnchor", "oneCellAnchor"):
            continue
        row, col = _from(_find(anchor, "from"))
        if row is None or col is None:
            continue
        _, last = _from(_find(anchor, "to"))
        span = max(1, (last if last is not None else col) - col + 1)
        for sp in (el for el in anchor.iter() if _local(el) == "sp"):
            props = _find(sp, "nvSpPr", "cNvPr")
            if props is not None and (props.get("hidden") in ("1", "true")
                                      or any(_local(e) == "compatExt" for e in props.iter())):
                continue  # a form control's shadow in the drawing, not a text box
            body = _find(sp, "txBody")
            if body is None:
                continue
            paragraphs = ["".join(t.text or "" for t in p.iter() if _local(t) == "t")
                          for p in body if _local(p) == "p"]
            if any(x.strip() for x in paragraphs):
                out.append((row, col, span, paragraphs))
    return out
