"""Fillable PDFs (AcroForm): answers from the form fields, not from the page.

What an applicant types into a fillable PDF is not in the page's text layer;
it is in each field's value ``/V`` (``docs/pitfalls.md``).  The appearance
stream a viewer draws may be stale (a value set by a script without a new
appearance), so ``/V`` counts where it is set; a field with no ``/V`` at all is
read from its appearance (:func:`shown_values`, ``/AS`` for a check box).  A checkbox is ticked when its value is
present and is not ``/Off``: the on-value can be any name (``/Yes``, ``/On``,
``/1``, ``/はい``).

Every field needs a meaning — which label or option it answers:

1. its name or tooltip (``/TU``) names one: ``organization.name``,
   ``所在地``, ``field.環境``, ``包括連携協定``...;
2. otherwise (「テキスト1」, 「チェック ボックス2」, what Acrobat's field
   detection produces) the text printed beside it on the page: for a text
   field the label to its left (a whole table cell, so wrapped labels work)
   or above it; for a checkbox the option text to its right (or left).

The fields then become blocks of one synthetic table (number 0) that the
shared extractor reads like any Word table: a label cell and a value cell per
text field, a ``Box`` followed by the option's text per checkbox.  The text
layer follows these blocks, so anything typed into the page itself (a date,
a flattened part) is still read; a field's value comes first and wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import vocab
from ..form import CHECKED_GLYPHS, UNCHECKED_GLYPHS, Block, Box, Line, Text, lines_from_pieces
from .layout import Item, PageLayout, Region, TextLine

SOURCE = "pdf:acroform"
TABLE = 0  # text-layer tables are numbered from 1

_FF_MULTILINE = 1 << 12
_FF_RADIO = 1 << 15
_FF_PUSHBUTTON = 1 << 16
_BOX_GLYPHS = CHECKED_GLYPHS | UNCHECKED_GLYPHS
_OFF = {"", "/Off", "Off", "/off", "/OFF"}
_TRAILING = vocab.pattern(r"[\s\u3000:：()（）\[\]［］【】「」]+$")
_LEADING = vocab.pattern(r"^[\s\u3000]*(?:[(（]?[0-9０-９]{1,2}[)）.．、]|[①-⑳⑴-⒇]|[・●◆◎◇*＊])?[\s\u3000]*")


@dataclass
class Widget:
    """One widget annotation with the field it belongs to."""

    name: str
    kind: str  # "text", "check", "radio" or "choice"
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    value: str | None = None
    checked: bool = False
    on_name: str | None = None
    tooltip: str | None = None
    #: what a viewer shows for a checkbox (its appearance state ``/AS``); None when it has none
    shown: bool | None = None
    #: the widget's ``/Rect`` as written (to find it again in pdfminer's page)
    rect: tuple[float, float, float, float] | None = None


@dataclass
class Meaning:
    """What a field answers: a label (text fields) or an option (checkboxes)."""

    kind: str  # "label", "option", "other_text", "value"
    text: str  # label or option text as the extractor should see it
    label: str | None = None


# ---------------------------------------------------------------- reading fields

def rebuilt_table(doc: Any) -> bool:
    """Whether pdfminer had to rebuild the cross-reference table (no ``startxref``, a damaged table)."""
    from .pdfbounds import PDFXRefFallback  # pdfminer's own class (pdfbounds installs a subclass)

    return any(isinstance(xref, PDFXRefFallback) for xref in doc.xrefs)


def declares_fields(doc: Any) -> bool:
    """Whether the catalog lists form fields, asked of pdfminer's document before pypdf opens the file.

    pdfminer has already read the cross-reference table for the text layer;
    pypdf would read it again and, not strict, seek to every object it lists
    to check it (a 9 MB PDF of 20,000 pages: 40,000 objects, as long as the
    whole text read of its first page).  Most PDFs are no fillable forms, so
    pypdf opens a file only when its catalog has an ``/AcroForm`` with
    ``/Fields`` — the same test :func:`widgets` makes first.  When unsure (a
    damaged catalog, a cross-reference table pdfminer had to rebuild) the
    answer is True and pypdf decides, as it always did.
    """
    from pdfminer.pdftypes import resolve1

    if rebuilt_table(doc):
        return True
    try:
        acro = resolve1(doc.catalog.get("AcroForm"))
        if acro is None:
            return False
        if not isinstance(acro, dict):
            return True
        fields = resolve1(acro.get("Fields"))
    except Exception:  # pdfminer raises anything on a damaged object: let pypdf look
        return True
    return fields is not None and not (isinstance(fields, list) and not fields)


#: depth of the page tree walked (pypdf's own walk stops at a similar depth; real trees are 2–4 deep)
_TREE_DEPTH = 64
#: page attributes a page inherits from the ``/Pages`` nodes above it (ISO 32000-1, 7.7.3.4)
_INHERITABLE = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def first_pages(reader: Any, n: int) -> list[Any]:
    """The first ``n`` pages of the page tree as pypdf pages, without walking the rest of it.

    ``reader.pages`` flattens the whole tree first: every page object of a
    20,000-page form is read to find its first page.  This walks the tree
    depth first as pypdf does (a node without ``/Type`` and ``/Kids`` is a
    page, inherited attributes are copied into each page, cycles and
    anything but a dictionary are skipped) and stops after ``n`` pages.
    """
    from pypdf import PageObject
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject

    root = reader.trailer["/Root"].get_object()
    top = root.get("/Pages")
    pages: list[Any] = []
    # (kids still to visit, attributes they inherit, id of their /Pages node); the ids of the
    # nodes on the path are the open ones: meeting one again below itself is a cycle
    stack: list[tuple[Any, dict[str, Any], int]] = [(iter([top] if top is not None else []), {}, 0)]
    while stack and len(pages) < n:
        kids, inherit, _ = stack[-1]
        ref = next(kids, None)
        if ref is None:
            stack.pop()
            continue
        node = ref.get_object() if hasattr(ref, "get_object") else ref
        if not isinstance(node, DictionaryObject) or not node or any(id(node) == f[2] for f in stack):
            continue
        kind = node.get("/Type", "/Pages" if "/Kids" in node else "/Page")
        if kind == "/Pages" and len(stack) <= _TREE_DEPTH:
            below = dict(inherit)
            below.update((NameObject(k), node[k]) for k in _INHERITABLE if k in node)
            kids_of = node.get("/Kids")
            kids_of = kids_of.get_object() if kids_of is not None else None
            stack.append((iter(kids_of if isinstance(kids_of, list) else []), below, id(node)))
        elif kind == "/Page":
            page = PageObject(reader, ref if isinstance(ref, IndirectObject) else None)
            page.update(node)
            for key, value in inherit.items():
                if key not in page:
                    page[key] = value
            pages.append(page)
    return pages


def widgets(reader: Any, max_pages: int) -> list[Widget]:
    """All widgets of the first ``max_pages`` pages; [] for a form without fields (flattened)."""
    root = reader.trailer["/Root"].get_object()
    acro = root.get("/AcroForm")
    if acro is None:
        return []
    fields = acro.get_object().get("/Fields")
    if not fields or not len(fields.get_object()):
        return []
    out: list[Widget] = []
    for pi, page in enumerate(first_pages(reader, max_pages)):
        annots = page.get("/Annots")
        if annots is None:
            continue
        box = page.mediabox
        left, top_edge = float(box.left), float(box.top)
        for ref in annots.get_object():
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            widget = _widget(annot, pi, left, top_edge)
            if widget is not None:
                out.append(widget)
    out.sort(key=lambda w: (w.page, round(w.top), w.x0))
    return out


def _widget(annot: Any, page: int, left: float, top_edge: float) -> Widget | None:
    chain = _chain(annot)
    ft = _inherit(chain, "/FT")
    if ft is None:
        return None
    ff = int(_inherit(chain, "/Ff") or 0)
    if ft == "/Btn":
        if ff & _FF_PUSHBUTTON:
            return None
        kind = "radio" if ff & _FF_RADIO else "check"
    elif ft == "/Tx":
        kind = "text"
    elif ft == "/Ch":
        kind = "choice"
    else:
        return None  # signatures and the like hold no answer
    name = ".".join(reversed([_name(n.get("/T")) for n in chain if n.get("/T") is not None]))
    try:
        x1, y1, x2, y2 = (float(v) for v in annot.get("/Rect"))
    except (TypeError, ValueError):
        return None
    w = Widget(name, kind, page, min(x1, x2) - left, top_edge - max(y1, y2),
               max(x1, x2) - left, top_edge - min(y1, y2), rect=(x1, y1, x2, y2))
    tu = _inherit(chain, "/TU")
    w.tooltip = _name(tu) if tu is not None else None
    value = _inherit(chain, "/V")
    if kind in ("check", "radio"):
        w.on_name = _on_name(annot)
        v = _str(value) if value is not None else None
        field = next((n for n in chain if n.get("/T") is not None), annot)
        kids = field.get("/Kids")
        shared = kids is not None and len(kids) > 1
        if kind == "radio" or (shared and w.on_name):
            w.checked = v is not None and w.on_name is not None and v.lstrip("/") == w.on_name.lstrip("/")
        else:
            w.checked = v is not None and v not in _OFF
        state = annot.get("/AS")
        if state is not None:
            w.shown = _str(state) not in _OFF
            if value is None:  # no value at all: what a viewer shows and prints is the answer, not a doubt
                w.checked = w.shown
    else:
        shown = _choice_display(_inherit(chain, "/Opt")) if kind == "choice" else {}
        if isinstance(value, (list, tuple)):
            w.value = "\n".join(shown.get(_text_value(v), _text_value(v)) for v in value)
        elif value is not None:
            w.value = shown.get(_text_value(value), _text_value(value))
        if w.value is not None:
            w.value = w.value.replace("\r\n", "\n").replace("\r", "\n")
    return w


def shown_values(pages: list[Any], found: list[Widget]) -> bool:
    """Text fields with no value: the text their appearance stream draws, what a viewer shows and prints.

    Some form fillers and print drivers leave ``/V`` out and keep only the appearance; a
    stale appearance is a doubt where ``/V`` says otherwise, but with no ``/V`` at all the
    drawing is the only answer there is (read blank, every entry was blamed on the applicant).
    The stream is laid out by pdfminer, as the page is, so its fonts decode as the page's do.
    ``pages`` are pdfplumber's pages (``page_obj`` is pdfminer's).  True when some appearance draws
    text that cannot be decoded (a font without a Unicode map): its entry looks blank and is not.
    """
    empty = [w for w in found if w.kind in ("text", "choice") and w.value is None and w.rect is not None]
    if not empty:
        return False
    from pdfminer.pdftypes import resolve1

    unreadable = False
    budget = [APPEARANCE_OPERATIONS]
    by_page: dict[int, dict[tuple[float, ...], Any]] = {}  # each page's widgets by their rectangle, looked up once
    for w in empty:
        if w.page >= len(pages):
            continue
        page = pages[w.page].page_obj
        if w.page not in by_page:
            by_page[w.page] = _annots_by_rect(resolve1(page.annots) or [])
        annot = by_page[w.page].get(_rect_key(w.rect))
        if annot is None:
            continue
        text = _drawn_text(page.doc, resolve1(annot.get("AP")), budget)
        if text is None:
            unreadable = True
        elif text:
            w.value = text
    return unreadable


#: operations (and characters drawn) of all the appearance streams of one file that are read: a field's
#: appearance draws its value in tens; a form of hundreds of fields needs a few thousand.  Past it, the
#: entries not yet read are unreadable (a review item each) — a Form XObject drawing the next one twice,
#: forty deep, is 2**40 draws (the read ran into its time limit), thousands of widgets each drawing
#: 20,000 characters took 21 s of CPU.
APPEARANCE_OPERATIONS = 30_000


def _rect_key(rect: Any) -> tuple[float, ...]:
    """A widget's rectangle to a hundredth of a point (pypdf and pdfminer read the same numbers)."""
    return tuple(round(float(v), 2) for v in rect)


def _annots_by_rect(annots: Any) -> dict[tuple[float, ...], Any]:
    """A page's annotations by their rectangle, the first of each; a page of thousands of widgets was
    searched once for each field (9.6 s for 3,000)."""
    from pdfminer.pdftypes import resolve1

    out: dict[tuple[float, ...], Any] = {}
    for ref in annots if isinstance(annots, (list, tuple)) else []:
        annot = resolve1(ref)
        if not isinstance(annot, dict):
            continue
        try:
            rect = resolve1(annot.get("Rect"))
            if isinstance(rect, (list, tuple)) and len(rect) == 4:
                out.setdefault(_rect_key([resolve1(v) for v in rect]), annot)
        except (TypeError, ValueError, OverflowError):
            continue
    return out


def _drawn_text(doc: Any, ap: Any, budget: list[int]) -> str | None:
    """The text an appearance dictionary's normal stream draws, line by line: "" when it draws none, None
    when what it draws cannot be decoded, or when reading it would pass what is left of ``budget``
    (operations and characters, shared by every appearance of the file; :data:`APPEARANCE_OPERATIONS`).

    A stream that inflates past its cap refuses the file as a page's would (``zip_bomb``), and running
    out of memory or stack is not swallowed as a blank entry: a blank is blamed on the applicant.
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextBox
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import PDFStream, resolve1

    from ..errors import KyoteiError

    normal = resolve1(ap.get("N")) if isinstance(ap, dict) else None
    if not isinstance(normal, PDFStream):
        return ""
    if budget[0] <= 0:
        return None

    def spend() -> None:
        budget[0] -= 1
        if budget[0] < 0:
            raise _Spent

    class Interpreter(PDFPageInterpreter):  # as readers/pdf.py's probe counts: each operation with operands
        def pop(self, n: int) -> list[Any]:
            spend()
            return super().pop(n)

    class Device(PDFPageAggregator):
        def render_char(self, *args: Any, **kwargs: Any) -> float:
            spend()
            return float(super().render_char(*args, **kwargs))

    bbox = resolve1(normal.attrs.get("BBox")) or [0, 0, 1000, 1000]
    attrs = {"MediaBox": bbox, "Resources": resolve1(normal.attrs.get("Resources")) or {}, "Contents": normal}
    try:
        manager = PDFResourceManager()
        device = Device(manager, laparams=LAParams())
        Interpreter(manager, device).process_page(PDFPage(doc, 0, attrs, None))
        boxes = [b for b in device.get_result() if isinstance(b, LTTextBox)]
    except (_Spent, RecursionError):  # Form XObjects nested thousands deep: drawn, but not to be read
        return None
    except (KyoteiError, MemoryError):
        raise
    except Exception as exc:  # a damaged appearance draws nothing a person could read either
        if isinstance(exc.__cause__ or exc.__context__, (KyoteiError, MemoryError)):
            raise
        return ""
    boxes.sort(key=lambda b: (-b.y1, b.x0))
    text = "\n".join(b.get_text().strip("\n") for b in boxes).strip()
    if "(cid:" in text or any(ord(ch) < 0x20 and ch not in "\n\t" for ch in text):
        return None  # a font without a Unicode map: garbage is no answer (the entry stays blank, for review)
    return text


class _Spent(Exception):
    """The appearance streams of one file have used their operations (:data:`APPEARANCE_OPERATIONS`)."""


def _choice_display(opt: Any) -> dict[str, str]:
    """A choice field's options as export value → the text shown: ``/Opt [[(3) (福祉・医療・健康)] …]``.

    A drop-down or list keeps the export value in ``/V``; what the applicant chose
    is the text shown beside it (a value 「3」 would name the third field).
    """
    out: dict[str, str] = {}
    if not isinstance(opt, (list, tuple)):
        return out
    for item in opt[:500]:
        item = item.get_object() if hasattr(item, "get_object") else item
        if isinstance(item, (list, tuple)) and len(item) == 2:
            export, display = (_text_value(v.get_object() if hasattr(v, "get_object") else v) for v in item)
            out.setdefault(export, display)
    return out


def _chain(annot: Any) -> list[Any]:
    """The widget, its field, and the field's ancestors (attributes are inherited)."""
    chain: list[Any] = []
    node, seen = annot, set()
    while node is not None and len(chain) < 32:
        if id(node) in seen:
            break
        seen.add(id(node))
        chain.append(node)
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return chain


def _inherit(chain: list[Any], key: str) -> Any:
    for node in chain:
        if key in node:
            value = node[key]
            return value.get_object() if hasattr(value, "get_object") else value
    return None


def _on_name(annot: Any) -> str | None:
    ap = annot.get("/AP")
    if ap is None:
        return None
    for state in ("/N", "/D"):
        states = ap.get_object().get(state)
        if states is None:
            continue
        states = states.get_object()
        if hasattr(states, "keys"):
            names = [k for k in states if k not in _OFF]
            if names:
                return str(names[0])
    return None


def _str(value: Any) -> str:
    """A PDF string or name as text, whatever encoding the writing tool chose.

    The standard allows PDFDocEncoding and UTF-16BE with a byte order mark (and,
    since PDF 2.0, UTF-8 with one); tools in the field also write UTF-8 without
    it and Shift_JIS, which pypdf decodes as PDFDocEncoding into mojibake
    (「ç¦‘ç¥›」 for 福祉): a field name then means nothing and a value is garbage.
    Bytes with the high bit set that are valid UTF-8 are UTF-8 (PDFDocEncoding
    text almost never is); else valid Shift_JIS giving Japanese is Shift_JIS.
    """
    from pypdf.generic import NameObject

    if isinstance(value, NameObject):
        return str(value)  # a name keeps its slash: the on-values of check boxes are compared as names
    if isinstance(value, bytes):  # a byte string pypdf could not decode
        data = bytes(value)
        if data.startswith(b"\xfe\xff"):
            return data[2:].decode("utf-16-be", "replace")
        return _decoded(data) or data.decode("latin-1")
    raw = getattr(value, "original_bytes", None) if getattr(value, "autodetect_pdfdocencoding", False) else None
    return (_decoded(raw) if isinstance(raw, bytes) else None) or str(value)


#: kana and kanji (a Shift_JIS reading that gives none of them is not Japanese)
_JAPANESE = vocab.pattern(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _decoded(raw: bytes) -> str | None:
    """``raw`` as UTF-8 (with or without a byte order mark) or Shift_JIS, where it is one of them; else None."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.isascii():
        return None
    for codec in ("utf-8", "cp932"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "utf-8" or _JAPANESE.search(text):
            return text
    return None


#: a name escaped as a PDF name is (「#E4#B8#BB#E8#BB#B8」): how LibreOffice writes a field name that is not ASCII
_NAME_ESCAPED = vocab.pattern(r"(?:[\x21-\x7e]*#[0-9A-Fa-f]{2})+[\x21-\x7e]*")


def _name(value: Any) -> str:
    """A field's name or tooltip as text: LibreOffice writes 主軸分野 as the string 「#E4#B8#BB…」."""
    text = _str(value)
    if "#" in text and _NAME_ESCAPED.fullmatch(text):
        try:
            return re.sub(r"#([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), text).encode("latin-1").decode("utf-8")
        except UnicodeError:
            pass
    return text


def _text_value(value: Any) -> str:
    """A text field's value: a string, or a name some tools write (``/V /福祉``) without its slash."""
    from pypdf.generic import NameObject

    return str(value)[1:] if isinstance(value, NameObject) else _str(value)


# ---------------------------------------------------------------- meanings

def meaning_of_name(text: str | None, kind: str) -> Meaning | None:
    """The label or option a field name or tooltip names, if any."""
    if not text:
        return None
    raw = text.strip().lstrip("/")
    parts = [raw] + [p for p in re.split(r"[.\[\]/:]", raw)[::-1] if p]
    scheme = _own_scheme(raw, kind)
    if scheme:
        return scheme
    for part in parts:
        k = vocab.key(_TRAILING.sub("", part))
        if not k:
            continue
        if kind in ("check", "radio"):
            for group, options in vocab.OPTION_GROUPS.items():
                if k in options:
                    return Meaning("option", _option_text(group, options[k]))
        else:
            if k == vocab.key(vocab.OTHER) or k == vocab.key("その他の内容"):
                return Meaning("other_text", vocab.OTHER)
            for label_key, label in vocab.LABEL_KEYS:
                if k == label_key and label not in vocab.SECTION_LABELS:
                    return Meaning("label", vocab.LABELS[label][0], label)
    return None


def _own_scheme(name: str, kind: str) -> Meaning | None:
    """Names of the form ``kyotei blank-form --pdf`` writes: the parse contract's paths,
    with ``_`` for ``.`` (a period separates levels of a PDF field name)."""
    if kind in ("check", "radio"):
        sep = "." if "." in name else "_"
        head, _, tail = name.partition(sep)
        if head == "type" and tail in vocab.AGREEMENT_TYPES:
            return Meaning("option", vocab.AGREEMENT_TYPES[tail])
        if head == "axis" and tail in ("yes", "no"):
            return Meaning("option", "有" if tail == "yes" else "無")
        if head == "field":
            if tail == "other":
                return Meaning("option", vocab.OTHER)
            if tail.isdigit() and 1 <= int(tail) <= len(vocab.FIELDS):  # field_01 ... field_11
                return Meaning("option", vocab.FIELDS[int(tail) - 1])
            if tail in vocab.ALL_FIELDS:
                return Meaning("option", tail)
        return None
    if name == "other_field_text":
        return Meaning("other_text", vocab.OTHER)
    for path in (name, name.replace("_", ".", 1)):
        if path in vocab.LABELS and path not in vocab.SECTION_LABELS:
            return Meaning("label", vocab.LABELS[path][0], path)
    return None


def _option_text(group: str, value: str) -> str:
    if group == "type":
        return vocab.AGREEMENT_TYPES[value]
    if group == "axis":
        return "有" if value == "yes" else "無"
    return value


def meaning_of_label_text(text: str) -> Meaning | None:
    """A text field's meaning from the label printed beside it."""
    k = vocab.key(_TRAILING.sub("", _LEADING.sub("", text)))
    if not k:
        return None
    if k.endswith(vocab.key(vocab.OTHER)):
        return Meaning("other_text", vocab.OTHER)
    joined_ok = vocab.written_as_one(text)
    for label_key, label in vocab.LABEL_KEYS:  # longest first
        if label in vocab.JOINED_LABELS and not joined_ok:
            continue  # 「部署名　　担当者氏名」: two labels side by side, not 「部署名・担当者氏名」
        if (k.startswith(label_key) or k.endswith(label_key)) and label not in vocab.SECTION_LABELS:
            return Meaning("label", vocab.LABELS[label][0], label)
    return None


# ---------------------------------------------------------------- geometry

def _lines_of(layout: PageLayout) -> list[tuple[Region, TextLine]]:
    return [(region, line) for region in layout.regions for line in region.lines]


def _overlaps_v(line: TextLine, w: Widget) -> bool:
    h = max(line.bottom - line.top, 0.1)
    return min(line.bottom, w.bottom) - max(line.top, w.top) >= 0.4 * min(h, max(w.bottom - w.top, 0.1))


def _inside_any(item: Item, ws: list[Widget]) -> bool:
    cx, cy = (item.x0 + item.x1) / 2, (item.top + item.bottom) / 2
    return any(w.x0 <= cx <= w.x1 and w.top <= cy <= w.bottom for w in ws)


def _in_region(w: Widget, region: Region) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return region.x0 <= cx <= region.x1 and region.top <= cy <= region.bottom


def label_beside(w: Widget, layout: PageLayout, page_widgets: list[Widget]) -> str | None:
    """The text printed left of a text field (same line), else right above it."""
    best: tuple[float, Region, TextLine, int] | None = None
    for region, line in _lines_of(layout):
        if not _overlaps_v(line, w):
            continue
        for k, item in enumerate(line.items):
            if item.x1 <= w.x0 + 2 and not item.text.isspace() and not _inside_any(item, page_widgets):
                if best is None or item.x1 > best[0]:
                    best = (item.x1, region, line, k)
    if best is not None:
        _, region, line, k = best
        if region.table is not None and not _in_region(w, region):
            return region.text  # the label cell next to the field's cell, wrapped lines and all
        return _run_left(line, k)
    above: tuple[float, Region, TextLine] | None = None
    for region, line in _lines_of(layout):
        if line.bottom <= w.top + 2 and min(line.x1, w.x1) - max(line.x0, w.x0) > 0 \
                and w.top - line.bottom <= 3 * line.size:
            if above is None or line.bottom > above[0]:
                above = (line.bottom, region, line)
    if above is not None:
        _, region, line = above
        return region.text if region.table is not None and not _in_region(w, region) else line.text
    # a label heading the row above, left of a field indented under it (「協定締結の目的」 over a
    # multi-line field that starts further right); not a label that a field of its own line answers
    for region, line in _lines_of(layout):
        if line.bottom <= w.top + 2 and w.top - line.bottom <= 1.5 * line.size and line.x0 < w.x0 \
                and not any(o is not w and _overlaps_v(line, o) for o in page_widgets):
            if above is None or line.bottom > above[0]:
                above = (line.bottom, region, line)
    return above[2].text if above is not None else None


def _run_left(line: TextLine, k: int) -> str:
    items = line.items
    start = k
    while start > 0:
        prev, cur = items[start - 1], items[start]
        if cur.x0 - prev.x1 > 2.0 * max(cur.size, prev.size) or prev.box is not None:
            break
        start -= 1
    return "".join(i.text for i in items[start:k + 1])


def option_beside(w: Widget, layout: PageLayout, page_widgets: list[Widget]) -> tuple[str, bool] | None:
    """The option text right of a checkbox (or left of it): (text, text comes after the box).

    The nearest text to the right on the same line wins; only where there is
    none, the text to the left in the checkbox's own cell (「個別連携協定□」).
    """
    others = [o for o in page_widgets if o is not w]
    best: tuple[float, str, Region, TextLine, bool] | None = None
    for region, line in _lines_of(layout):
        if not _overlaps_v(line, w):
            continue
        right = [i for i in line.items if i.x0 >= w.x1 - 2 and not _inside_any(i, page_widgets)]
        text, to_end = _run_right(right, w.x1, others, line)
        if text.strip() and (best is None or right[0].x0 < best[0]):
            best = (right[0].x0, text, region, line, to_end)
    if best is not None:
        _, text, region, line, to_end = best
        nxt = _next_line(region, line)
        if to_end and nxt is not None and line.x1 >= region.x1 - 2 * line.size - 5.4:
            # the option wrapped onto the next line (「子育\nて」)
            text += _run_right(nxt.items, nxt.x0, others, nxt)[0]
        return text, True
    for region, line in _lines_of(layout):
        if not _overlaps_v(line, w) or (region.table is not None and not _in_region(w, region)):
            continue
        left = [i for i in line.items if i.x1 <= w.x0 + 2 and not _inside_any(i, page_widgets)]
        if left:
            run = _run_left(line, line.items.index(left[-1]))
            if run.strip():
                return run, False
    return None


def _run_right(items: list[Item], start_x: float, others: list[Widget], line: TextLine) -> tuple[str, bool]:
    """Text from ``start_x`` up to the next field, box or wide gap; and whether it ran to the line's end."""
    stop = min((o.x0 for o in others if o.x0 >= start_x - 1 and _overlaps_v(line, o)), default=float("inf"))
    out: list[str] = []
    prev_x = start_x
    for item in items:
        gap = item.x0 - prev_x
        if item.x0 >= stop - 1 or item.box is not None or item.text in _BOX_GLYPHS \
                or (out and gap > 1.5 * item.size) or (not out and gap > 3.0 * item.size):
            return "".join(out).rstrip(), False
        out.append(item.text)
        prev_x = item.x1
    return "".join(out).rstrip(), stop == float("inf")


def _next_line(region: Region, line: TextLine) -> TextLine | None:
    k = region.lines.index(line)
    return region.lines[k + 1] if k + 1 < len(region.lines) else None


# ---------------------------------------------------------------- fields inside a printed line

InlineGroup = list[tuple[Widget, TextLine]]


def printed_line_around(w: Widget, layout: PageLayout, page_widgets: list[Widget]) -> TextLine | None:
    """The printed line a text field sits inside, with printed text close on both sides (「令和[ ]年」)."""
    for _, line in _lines_of(layout):
        if not _overlaps_v(line, w):
            continue
        shown = [i for i in line.items if not i.text.isspace() and not _inside_any(i, page_widgets)]
        left = [i for i in shown if (i.x0 + i.x1) / 2 <= w.x0]
        right = [i for i in shown if (i.x0 + i.x1) / 2 >= w.x1]
        if left and right and right[0].x0 - w.x1 <= 3 * line.size and w.x0 - left[-1].x1 <= 3 * line.size:
            return line
    return None


def inline_groups(ws: list[Widget], by_page: dict[int, PageLayout]) -> dict[int, InlineGroup]:
    """Text fields that fill the blanks of one printed line, read as that line with the values in it.

    Acrobat's field detection splits 「令和[ ]年[ ]月[ ]日」 into three fields
    whose labels are 「令和」, 「年」, 「月」 (or all 「提出日」, the run of text to
    their left): each alone means nothing, the line with its values is a date.
    A line counts when its fields do not each answer a label of their own; so
    「部署名[ ]　担当者氏名[ ]」 stays two fields, and a single field with a
    meaning — 「その他（[ ]）」, 「有（主軸分野：[ ]）」 — keeps it.  Keyed by
    ``id(widget)``.
    """
    by_line: dict[int, InlineGroup] = {}
    for w in ws:
        layout = by_page.get(w.page)
        if w.kind != "text" or layout is None:
            continue
        page_ws = [o for o in ws if o.page == w.page]
        line = printed_line_around(w, layout, page_ws)
        if line is not None:
            by_line.setdefault(id(line), []).append((w, line))
    out: dict[int, InlineGroup] = {}
    for group in by_line.values():
        group.sort(key=lambda g: g[0].x0)
        layout = by_page[group[0][0].page]
        page_ws = [o for o in ws if o.page == group[0][0].page]
        meanings = [_meaning_of_text_field(w, layout, page_ws) for w, _ in group]
        named = {(m.kind, m.label) for m in meanings if m is not None}
        if len(named) < len(group):  # not every field answers a label of its own
            for w, _ in group:
                out[id(w)] = group
    return out


def _meaning_of_text_field(w: Widget, layout: PageLayout, page_ws: list[Widget]) -> Meaning | None:
    meaning = meaning_of_name(w.name, w.kind) or meaning_of_name(w.tooltip, w.kind)
    if meaning is None:
        beside = label_beside(w, layout, page_ws)
        meaning = meaning_of_label_text(beside) if beside else None
    return meaning


def spliced(group: InlineGroup) -> str:
    """The printed line with each field's value where the field stands; "" when every field is empty."""
    fields = [w for w, _ in group]
    if not any((w.value or "").strip() for w in fields):
        return ""
    line = group[0][1]
    size = line.size

    def blank_beside_a_field(i: Item) -> bool:  # the room left for the value, not a word gap
        return i.text.isspace() and any(w.x0 - size <= (i.x0 + i.x1) / 2 <= w.x1 + size for w in fields)

    parts: list[tuple[float, str]] = [(i.x0, i.text) for i in line.items
                                      if not _inside_any(i, fields) and i.box is None and not blank_beside_a_field(i)]
    parts += [(w.x0, " ".join((w.value or "").split())) for w in fields]
    parts.sort(key=lambda p: p[0])
    return "".join(text for _, text in parts).strip()


# ---------------------------------------------------------------- blocks

def blocks(ws: list[Widget], layouts: list[PageLayout]) -> list[Block]:
    """The synthetic table the extractor reads: one row per field."""
    by_page = {lay.index: lay for lay in layouts}
    rows: list[list[Block]] = []
    checks: list[tuple[Widget, list[Block], str]] = []  # (widget, row, option text)
    other_texts: list[str] = []
    inline = inline_groups(ws, by_page)
    for w in ws:
        page_ws = [o for o in ws if o.page == w.page]
        layout = by_page.get(w.page)
        group = inline.get(id(w))
        if group is not None:
            if group[0][0] is w:  # the whole printed line, once, where its first field stands
                text = spliced(group)
                if text:
                    rows.append([Block(lines_from_pieces([Text(text, SOURCE)]), SOURCE, name=w.name)])
            continue
        meaning = meaning_of_name(w.name, w.kind) or meaning_of_name(w.tooltip, w.kind)
        if w.kind in ("check", "radio"):
            if meaning is None and w.on_name:
                meaning = meaning_of_name(w.on_name, w.kind)
            text, after = (meaning.text, True) if meaning else \
                (option_beside(w, layout, page_ws) if layout else None) or ("", True)
            # a viewer shows the appearance state, the answer is /V: when they differ (a value set by a
            # script, an appearance left stale) the reader keeps /V and a person must look
            # (the glyph is what the viewer shows, so the review line quotes the form as the applicant saw it)
            shown = w.checked if w.shown is None else w.shown
            box = Box(w.checked, SOURCE, "☑" if shown else "☐", conflict=shown != w.checked)
            pieces: list[Text | Box] = [box, Text(text, SOURCE)] if after else [Text(text, SOURCE), box]
            row = [Block([Line(pieces)], SOURCE, name=w.name)]
            checks.append((w, row, text))
            rows.append(row)
            continue
        value = (w.value or "").strip("\n")
        if meaning is None and layout is not None:
            beside = label_beside(w, layout, page_ws)
            meaning = meaning_of_label_text(beside) if beside else None
        if meaning is not None and meaning.kind == "other_text":
            if value.strip():
                other_texts.append(value.replace("\n", " "))
            continue
        if not value.strip():
            continue  # an empty field says nothing, and must not take the next row as its value
        value_block = Block(lines_from_pieces([Text(value, SOURCE)]), SOURCE, name=w.name)
        if meaning is not None and meaning.kind == "label":
            label_block = Block([Line([Text(meaning.text, SOURCE)])], SOURCE, name=w.name)
            rows.append([label_block, value_block])
        else:
            rows.append([value_block])  # no label: a date typed on its own line still counts
    _attach_other_text(checks, other_texts)
    out: list[Block] = []
    for r, row in enumerate(rows):
        for c, block in enumerate(row):
            block.table, block.row, block.col = TABLE, r, c
            block.span = 2 if len(row) == 1 else 1
            out.append(block)
    return out


def _attach_other_text(checks: list[tuple[Widget, list[Block], str]], texts: list[str]) -> None:
    """「その他（…）」: the free text goes after the その他 option, where the extractor looks."""
    if not texts:
        return
    other = vocab.key(vocab.OTHER)
    for _w, row, text in checks:
        if vocab.key(text).startswith(other):
            box = next(p for p in row[0].lines[0].pieces if isinstance(p, Box))
            row[0].lines[0].pieces = [box, Text(f"{vocab.OTHER}（{'　'.join(texts)}）", SOURCE)]
            return
