"""Read Form 1 from a PDF: text layer, fillable form, or (with ``--ocr``) a scan.

A PDF has no paragraphs or table cells, only positioned characters and drawn
lines.  This reader rebuilds what a person sees, so that the one extractor
(``kyotei_docs.extract``) can read it exactly as it reads a Word file:

* characters become lines (by vertical overlap) and words keep their gaps;
* ruled tables are found from the drawn edges, each cell becomes one block with
  its grid position (small squares are checkboxes, not table rules — they would
  split a table into dozens of columns, ``docs/pitfalls.md``);
* text outside tables becomes paragraphs: a line joins the one above when that
  one runs to the right margin (it wrapped) and no gap separates them.  So
  「□子育\\nて」 and 「メールアドレ\\nス」 arrive as one block, where the
  extractor already joins wrapped words;
* a justified line that ends in a manual break (Shift+Enter) is stretched
  across the cell letter by letter: it reaches the edge but did not wrap when
  the next line's first character would have fitted into the room spread over
  its gaps, and its widened gaps are no spaces (:func:`spread`);
* typed ☑/□ glyphs become boxes (``pdf:glyph``), squares drawn on the page
  become boxes whose state is what is drawn inside them (``pdf:drawn``);
* fake bold (every glyph printed two or three times) is removed with
  pdfplumber's ``dedupe_chars()``; Kangxi radicals (⾏) are turned into the
  ideographs (行) they stand for; symbol-font code points (U+F0FE...) into the
  glyphs the font shows;
* a text layer without Unicode (``(cid:NNN)``) or with no text at all (a scan)
  is refused with a message that says what staff can do.

Parsing runs in a child process under the configured time and memory limits
(:mod:`kyotei_docs.sandbox`).  Fillable forms are read by
:mod:`.acroform`, scans by :mod:`.ocr`; both reuse the layout built here.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import KyoteiError, UnreadableError
from ..form import Block, Box, FormDoc, Line, Piece, Text, merge_weak, split_glyphs
from ..symbols import INNER_MARKS, ZAPF_DINGBATS, glyph_state, is_private_symbol, symbol, table_for

# pypdf and pdfminer log what they repair in a damaged file ("EOF marker not found");
# without a handler Python prints that to the staff's terminal.  Our own message
# says what is wrong; their notes still reach a logging set up by the application.
for _name in ("pypdf", "pdfminer"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

SOURCE = "pdf:text"
DRAWN = "pdf:drawn"

#: share of undecodable characters from which a text layer counts as unreadable
CID_SHARE = 0.3

#: what a character in a symbol font or a private-use code became (the one symbol table)
SYMBOL = "pdf:sym"


# ---------------------------------------------------------------- layout model

@dataclass(slots=True)
class Item:
    """One positioned thing on a page: a character, an OCR word or a box."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    box: Box | None = None


@dataclass(slots=True)
class TextLine:
    items: list[Item] = field(default_factory=list)
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    #: right edge of the column or cell the line sits in: a line reaching it wrapped
    right: float = 0.0

    def add(self, item: Item) -> None:
        if not self.items:
            self.x0, self.x1, self.top, self.bottom = item.x0, item.x1, item.top, item.bottom
        else:
            self.x0, self.x1 = min(self.x0, item.x0), max(self.x1, item.x1)
            self.top, self.bottom = min(self.top, item.top), max(self.bottom, item.bottom)
        self.items.append(item)

    @property
    def size(self) -> float:
        sizes = sorted(i.size for i in self.items if i.box is None) or [self.bottom - self.top]
        return max(sizes[len(sizes) // 2], 1.0)

    @property
    def text(self) -> str:
        return "".join(i.text for i in self.items)


@dataclass(slots=True)
class Region:
    """A table cell or a paragraph: what becomes one :class:`Block`."""

    lines: list[TextLine]
    x0: float
    top: float
    x1: float
    bottom: float
    table: int | None = None
    row: int | None = None
    col: int | None = None
    span: int = 1

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(slots=True)
class PageLayout:
    index: int
    width: float
    height: float
    regions: list[Region]
    chars: int = 0  # visible characters read
    cids: int = 0  # characters without a Unicode mapping
    images: int = 0


@dataclass
class TableState:
    """Numbers tables across pages; a table cut by a page break keeps its number."""

    next_no: int = 1
    last_no: int | None = None
    last_cols: list[float] = field(default_factory=list)
    last_row: int = -1
    last_page: int = -1
    last_was_table: bool = False
    last_regions: list[Region] = field(default_factory=list)


# ---------------------------------------------------------------- entry points

def read_pdf(path: Path) -> FormDoc:
    """Read a PDF in a child process under the configured limits."""
    from ..sandbox import run_limited
    from .options import current

    opts = current()
    limits = opts.effective_limits()
    seconds = limits.pdf_seconds + (limits.ocr_seconds if opts.ocr else 0.0)
    return run_limited(read_pdf_unlimited, str(path), opts.ocr, limits.pdf_pages, limits.ocr_seconds,
                       limits.pdf_stream_mb, opts.form1_only, seconds=seconds, memory_mb=limits.memory_mb)


def read_pdf_unlimited(path: str, ocr: bool = False, max_pages: int = 20, ocr_seconds: float = 300.0,
                       stream_mb: int = 32, form1_only: bool = False) -> FormDoc:
    """The whole PDF read, without the time and memory limits: call it through :func:`read_pdf`.

    Streams are still inflated under ``stream_mb`` (:mod:`.pdfbounds`).  With
    ``form1_only`` (reading for the extractor) a file whose first pages hold no
    word of Form 1 is refused before any page is laid out.
    """
    from .pdfbounds import install

    install(stream_mb)
    try:
        return _read(path, ocr, max_pages, ocr_seconds, form1_only)
    except (KyoteiError, MemoryError, RecursionError):
        raise
    except Exception as exc:
        # pdfminer and pypdf raise anything from PSSyntaxError to KeyError on a damaged
        # file; an exception raised in our own code is a bug and is reported as one
        if _caused_by(exc, (MemoryError, RecursionError)):
            raise MemoryError from exc  # pdfminer wraps it: still the memory limit
        ours = _cause(exc, KyoteiError)
        if ours is not None:  # raised inside pdfminer (a stream past its cap), wrapped by pdfplumber
            raise ours from None
        if _raised_in_library(exc):
            raise UnreadableError("pdf_broken", detail=type(exc).__name__) from exc
        raise


def _caused_by(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    seen: set[int] = set()
    node: BaseException | None = exc
    while node is not None and id(node) not in seen:
        if isinstance(node, kinds):
            return True
        seen.add(id(node))
        node = node.__cause__ or node.__context__
    return False


def _cause(exc: BaseException, kind: type[KyoteiError]) -> KyoteiError | None:
    seen: set[int] = set()
    node: BaseException | None = exc
    while node is not None and id(node) not in seen:
        if isinstance(node, kind):
            return node
        seen.add(id(node))
        node = node.__cause__ or node.__context__
    return None


def _raised_in_library(exc: BaseException) -> bool:
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    package = str(Path(__file__).resolve().parents[1])
    return last is None or not str(Path(last).resolve()).startswith(package)


def _read(path: str, ocr: bool, max_pages: int, ocr_seconds: float = 300.0, form1_only: bool = False) -> FormDoc:
    import pdfplumber

    from . import acroform
    from .pdfbounds import first_pages

    widgets = _widgets(path, max_pages)
    with pdfplumber.open(path, password="") as pdf:
        pages = first_pages(pdf, max_pages)  # not pdf.pages: that walks every page of the tree
        if form1_only and not widgets and not _may_be_form1(pages[:PROBE_PAGES]):
            raise UnreadableError("not_form1")
        state = TableState()
        layouts = [layout_page(page, i, state) for i, page in enumerate(pages)]
        doc = FormDoc(path=path, format="pdf")
        if widgets:
            doc.blocks = acroform.blocks(widgets, layouts) + blocks_of(layouts, SOURCE)
            return doc
        chars = sum(lay.chars for lay in layouts)
        cids = sum(lay.cids for lay in layouts)
        if chars == 0 or cids > CID_SHARE * chars:
            if not ocr:
                raise UnreadableError("scanned_pdf" if chars == 0 else "pdf_no_unicode")
            from .ocr import read_scan
            return read_scan(path, pages, ocr_seconds)
        doc.blocks = blocks_of(layouts, SOURCE)
        return doc


#: pages whose text decides whether a PDF may be Form 1 before any page is laid out
PROBE_PAGES = 2


def _may_be_form1(pages: list[Any]) -> bool:
    """False when the first pages have a readable text layer and none of Form 1's words.

    Laying out a page costs ~0.15 s on top of pdfminer's ~0.3 s; a 15-page
    report was read to the end (12–15 s) before the extractor said it was not
    Form 1.  The text of the first page is enough to tell (the second is looked
    at only when the first holds little text, e.g. a short cover page), and is
    not wasted: pdfplumber keeps it for the layout.  Scans and undecodable text
    layers go on (they get their own message); any hint of Form 1 goes on to
    the full read.
    """
    from ..vocab import may_be_form1

    text = ""
    for page in pages:
        text += "".join(ch.get("text", "") for ch in page.chars)
        if may_be_form1(text):
            return True
        if len(text) >= PROBE_CHARS:
            break
    cids = text.count("(cid:")
    return len(text) < 20 or cids * 6 > CID_SHARE * len(text)


#: characters of readable text that are enough to decide without the next page
PROBE_CHARS = 400


def _widgets(path: str, max_pages: int) -> list[Any]:
    """A fillable form's widgets, read with pypdf; [] when pypdf cannot read the file.

    pypdf gives up on damage pdfminer repairs (a missing ``startxref``): its
    failure must not stop the text engine, which reads such files.  A password
    is still a password.
    """
    from . import acroform

    try:
        reader = open_pypdf(path)
        return acroform.widgets(reader, max_pages)
    except KyoteiError:
        raise
    except Exception as exc:
        if not _raised_in_library(exc) or _caused_by(exc, (MemoryError, RecursionError)):
            raise
        logging.getLogger(__name__).info("pypdf cannot read %s (%s); text layer only", path, type(exc).__name__)
        return []


def open_pypdf(path: str) -> Any:
    """Open with pypdf; an owner password alone is no obstacle, a user password is."""
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        try:
            result = reader.decrypt("")
        except Exception as exc:  # unsupported algorithm or a damaged /Encrypt
            raise UnreadableError("pdf_password") from exc
        if result == PasswordType.NOT_DECRYPTED:
            raise UnreadableError("pdf_password")
    return reader


# ---------------------------------------------------------------- blocks

def blocks_of(layouts: Iterable[PageLayout], source: str, *, glyphs: bool = True) -> list[Block]:
    blocks: list[Block] = []
    for layout in layouts:
        for region in layout.regions:
            lines = [Line(line_pieces(tl, source, glyphs=glyphs)) for tl in unwrap(region.lines)] or [Line()]
            blocks.append(Block(lines, source, region.table, region.row, region.col, region.span))
    return blocks


def unwrap(lines: list[TextLine]) -> list[TextLine]:
    """Join lines that only wrapped: what was one line (one paragraph) in the source stays one.

    A line wrapped when it ran up to the right edge of its column or cell and the
    next line starts back at the left edge.  Where two Latin words meet, the
    space the wrap replaced comes back.
    """
    if len(lines) < 2:
        return lines
    left = min(ln.x0 for ln in lines)
    out = [_copy(lines[0])]
    for line in lines[1:]:
        prev = out[-1]
        size = max(prev.size, line.size)
        if prev.right and prev.x1 >= prev.right - 2.0 * size and line.x0 <= left + 1.5 * size \
                and line.top - prev.bottom <= 0.8 * size and not _broken_by_hand(prev, line, size):
            if _latin_word_wrap(prev, line):
                prev.items.append(Item(" ", prev.x1, prev.x1, prev.top, prev.bottom, size))
            for item in line.items:
                prev.items.append(item)
            prev.bottom = max(prev.bottom, line.bottom)
            prev.x1 = line.x1  # the joined line now ends where its last part does
            prev.right = line.right
        else:
            out.append(_copy(line))
    return out


#: characters that may not start a line (kinsoku): a wrap carries them with the character before
_NO_START = frozenset("、。，．,.・：；:;！？!?）)］]｝}〕〉》」』】〙〗〟’”ー～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ")
#: characters that may not end a line: a wrap carries them with the character after
_NO_END = frozenset("（(［[｛{〔〈《「『【〘〖〝‘“")


def _broken_by_hand(prev: TextLine, line: TextLine, size: float) -> bool:
    """Did a justified line end in a manual break, though it reaches the right edge?

    Justification widens the gaps between CJK characters until the line fills
    its column; a line that wrapped is widened by less than the next line's
    first character (else it would have fitted), a line that ends in a manual
    break by at least that.  A long Latin word or URL pushed to the next line
    leaves a widely spread line that still wrapped: the whole word is measured.
    """
    last = _visual_lines(prev.items)[-1]
    extra = spread(last, size)
    if not extra:
        return False
    room = extra * sum(1 for g in _cjk_gaps(last) if _is_spread(g, extra, size))
    return room >= _first_unit(line) + 0.25 * size


def _first_unit(line: TextLine) -> float:
    """Width of what cannot be parted from the start of ``line``: a Latin word, or a character with its kinsoku."""
    items = line.items
    k = 0
    if items[0].box is None and items[0].text[:1].isascii() and not items[0].text[:1].isspace():
        width, k = items[0].x1 - items[0].x0, 1
        while k < len(items) and items[k].box is None and items[k].text.isascii() and not items[k].text.isspace() \
                and items[k].x0 - items[k - 1].x1 <= 0.3 * line.size:
            width += items[k].x1 - items[k].x0
            k += 1
        return width
    width = 0.0
    while k < len(items) - 1 and items[k].text[-1:] in _NO_END:
        width += items[k].x1 - items[k].x0
        k += 1
    width += items[k].x1 - items[k].x0
    k += 1
    while k < len(items) and items[k].text[:1] in _NO_START:
        width += items[k].x1 - items[k].x0
        k += 1
    return width


def _visual_lines(items: list[Item]) -> list[list[Item]]:
    """The items of a (possibly unwrapped) line, cut where the text went back to the left."""
    runs: list[list[Item]] = []
    for item in items:
        if runs and item.x0 >= runs[-1][-1].x0:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _wide(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in ("W", "F")


def _cjk_gaps(items: list[Item]) -> list[float]:
    """Gaps next to a CJK (full-width) character: what justification widens."""
    gaps: list[float] = []
    for a, b in zip(items, items[1:]):
        if a.box is not None or b.box is not None:
            continue
        ta, tb = a.text[-1:], b.text[:1]
        if (ta.isascii() and ta.isspace()) or (tb.isascii() and tb.isspace()):
            continue
        if _wide(ta) or _wide(tb):
            gaps.append(b.x0 - a.x1)
    return gaps


def _is_spread(gap: float, extra: float, size: float) -> bool:
    return abs(gap - extra) <= max(0.08 * size, 0.15 * extra)


def spread(items: list[Item], size: float) -> float:
    """How far justification pulled the CJK characters of one printed line apart (0.0: not at all).

    The gaps beside full-width characters are widened evenly: at least two of
    them, nearly all about the same width.  A wrapped line of a justified
    paragraph is widened a little, a line ending in a manual break (stretched
    across the cell) a lot.
    """
    gaps = _cjk_gaps(items)
    if len(gaps) < 2:
        return 0.0
    extra = sorted(gaps)[len(gaps) // 2]
    if extra <= 0.03 * size:
        return 0.0
    if sum(1 for g in gaps if _is_spread(g, extra, size)) < 0.75 * len(gaps):
        return 0.0
    return extra


def _latin_word_wrap(prev: TextLine, line: TextLine) -> bool:
    """Did the wrap eat a space between two Latin words?

    Only in running Latin text: an e-mail address, URL or phone number broken
    in a narrow cell (「renraku@exampl\ne.co.jp」) had no space to lose.
    """
    last, first = prev.items[-1].text[-1:], line.items[0].text[:1]
    if not (last.isascii() and last.isalnum() and first.isascii() and first.isalnum()):
        return False
    text = prev.text.rstrip()
    word = text.rsplit(None, 1)[-1] if text else ""
    return " " in text and not any(c in word for c in "@/.-:_")


def _copy(line: TextLine) -> TextLine:
    return TextLine(list(line.items), line.x0, line.x1, line.top, line.bottom, line.right)


def line_pieces(line: TextLine, source: str, *, glyphs: bool = True) -> list[Piece]:
    """Text and boxes of one line; gaps wider than a third of a character become a space.

    Gaps are measured without the widening of a justified line (:func:`spread`).
    """
    pieces: list[Piece] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            text = "".join(buf)
            pieces.extend(split_glyphs(text, source) if glyphs else [Text(text, source)])
            buf.clear()

    # justification's even widening of a printed line is no space: take it off its gaps.  A justified
    # line fills its column; evenly spaced characters short of the edge were set apart (tabs, spaces).
    widening: list[float] = []
    runs = _visual_lines(line.items)
    for k, run in enumerate(runs):
        full = k < len(runs) - 1 or not line.right or run[-1].x1 >= line.right - 1.5 * line.size
        widening += [spread(run, line.size) if full else 0.0] * len(run)
    prev: Item | None = None
    for item, extra in zip(line.items, widening):
        if prev is not None and item.box is None and prev.box is None and item.x0 >= prev.x0:
            gap = item.x0 - prev.x1
            size = max(prev.size, item.size, 1.0)
            if extra and gap >= extra - max(0.08 * line.size, 0.15 * extra):
                gap -= extra
            sep = "\t" if gap > 2.0 * size else " " if gap > 0.3 * size else ""
            if sep and not prev.text[-1:].isspace() and not item.text[:1].isspace():
                buf.append(sep)
        if item.box is not None:
            flush()
            pieces.append(item.box)
        else:
            buf.append(item.text)
        prev = item
    flush()
    return merge_weak(pieces)


# ---------------------------------------------------------------- one page

def layout_page(page: Any, index: int, state: TableState) -> PageLayout:
    items, chars, cids = page_items(page)
    items = drop_struck(page, items)
    boxes, items = drawn_boxes(page, items)
    tables = table_cells(page, boxes)
    layout = PageLayout(index, float(page.width), float(page.height), [], chars, cids, len(page.images))
    layout.regions = arrange(items + boxes, tables, state, index, float(page.height))
    return layout


def page_items(page: Any) -> tuple[list[Item], int, int]:
    """Characters as items: fake bold removed, Kangxi radicals and symbol fonts mapped."""
    chars = page.chars
    if _has_doubles(chars):
        chars = page.dedupe_chars().chars
    items: list[Item] = []
    visible = cids = 0
    for c in chars:
        text = c.get("text") or ""
        if not text:
            continue
        box = None
        if text.startswith("(cid:"):
            cids += 1
            text = "\ufffd"
        else:
            text, box = normalise(text, c.get("fontname") or "")
        if not text.isspace():
            visible += 1
        top, bottom = float(c["top"]), float(c["bottom"])
        items.append(Item(text, float(c["x0"]), float(c["x1"]), top, bottom,
                          float(c.get("size") or (bottom - top) or 1.0), box))
    return items, visible, cids


def drop_struck(page: Any, items: list[Item]) -> list[Item]:
    """Remove struck-out text: deleted text of a printed tracked change, an option struck through.

    A strike line crosses a character between a quarter and seven eighths of
    its height; an underline sits at or below its bottom, a table rule at its
    edge.
    """
    segments = [(float(o["x0"]), float(o["x1"]), (float(o["top"]) + float(o["bottom"])) / 2)
                for o in list(page.lines) + list(page.rects)
                if float(o["bottom"]) - float(o["top"]) <= 1.5 and float(o["x1"]) - float(o["x0"]) >= 3.0]
    if not segments:
        return items
    kept: list[Item] = []
    for it in items:
        h = it.bottom - it.top
        cx = (it.x0 + it.x1) / 2
        if not it.text.isspace() and any(x0 <= cx <= x1 and it.top + 0.25 * h <= y <= it.top + 0.88 * h
                                         for x0, x1, y in segments):
            continue
        kept.append(it)
    return kept


def _has_doubles(chars: list[dict]) -> bool:
    """Cheap test for fake bold before the O(n²) ``dedupe_chars`` runs."""
    seen: set[tuple[str, int, int]] = set()
    for c in chars:
        text = c.get("text") or ""
        if text.isspace():
            continue
        x, y = int(c["x0"]), int(c["top"])
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if (text, x + dx, y + dy) in seen:
                    return True
        seen.add((text, x, y))
    return False


def normalise(text: str, fontname: str) -> tuple[str, Box | None]:
    """Kangxi radicals → ideographs; a symbol-font code → the box it shows (:mod:`..symbols`).

    A symbol code becomes a :class:`Box` with the same state the .docx reader
    gives the same code, so a .docx and its PDF read alike.
    """
    if len(text) == 1:
        code = ord(text)
        if is_private_symbol(text) or (code < 0x100 and table_for(fontname)):
            found = symbol(fontname, code)
            if found is not None:
                return found[1], Box(found[0], SYMBOL, found[1])
    out: list[str] = []
    for ch in text:
        if 0x2E80 <= ord(ch) <= 0x2FDF:
            ch = unicodedata.normalize("NFKC", ch)
        out.append(ch)
    return "".join(out), None


def drawn_boxes(page: Any, items: list[Item]) -> tuple[list[Item], list[Item]]:
    """Squares drawn on the page as checkbox items; marks inside them are used up.

    A square is ticked when a diagonal line, a filled shape or a mark character
    sits inside it.  A square around a typed ☐ glyph is the glyph's frame: the
    glyph decides.
    """
    squares: dict[tuple[int, int, int, int], dict] = {}
    for r in page.rects:
        w, h = float(r["width"]), float(r["height"])
        if 5.0 <= w <= 20.0 and abs(w - h) <= 0.15 * w and r.get("stroke", True):
            squares.setdefault((round(r["x0"]), round(r["top"]), round(w), round(h)), r)
    if not squares:
        return [], items
    used: set[int] = set()
    boxes: list[Item] = []
    marks = list(page.lines) + list(page.curves)
    fills = [r for r in page.rects if r.get("fill")]
    for r in squares.values():
        x0, x1, top, bottom = float(r["x0"]), float(r["x1"]), float(r["top"]), float(r["bottom"])
        side = x1 - x0
        inside = [k for k, it in enumerate(items) if _centre_in(it, x0, top, x1, bottom)]
        if any(items[k].box is not None or glyph_state(items[k].text) is not None for k in inside):
            continue
        checked = any(items[k].text in INNER_MARKS or items[k].text in ZAPF_DINGBATS for k in inside
                      if not items[k].text.isspace())
        checked = checked or any(_within(m, x0, top, x1, bottom) and float(m["width"]) > 0.3 * side
                                 and float(m["height"]) > 0.3 * side for m in marks)
        checked = checked or any(f is not r and _within(f, x0, top, x1, bottom)
                                 and float(f["width"]) < 0.95 * side for f in fills)
        used.update(inside)
        glyph = "☑" if checked else "☐"
        boxes.append(Item(glyph, x0, x1, top, bottom, bottom - top, Box(checked, DRAWN, glyph)))
    rest = [it for k, it in enumerate(items) if k not in used]
    return boxes, rest


def _centre_in(it: Item, x0: float, top: float, x1: float, bottom: float) -> bool:
    cx, cy = (it.x0 + it.x1) / 2, (it.top + it.bottom) / 2
    return x0 - 0.5 <= cx <= x1 + 0.5 and top - 0.5 <= cy <= bottom + 0.5


def _within(obj: dict, x0: float, top: float, x1: float, bottom: float, tol: float = 1.0) -> bool:
    return (float(obj["x0"]) >= x0 - tol and float(obj["x1"]) <= x1 + tol
            and float(obj["top"]) >= top - tol and float(obj["bottom"]) <= bottom + tol)


# ---------------------------------------------------------------- tables

Cell = tuple[float, float, float, float]


def table_cells(page: Any, boxes: list[Item]) -> list[list[Cell]]:
    """Cells of each ruled table, from straight edges that are not checkbox sides."""
    v_edges: list[dict] = []
    h_edges: list[dict] = []
    for e in page.edges:
        x0, x1, top, bottom = float(e["x0"]), float(e["x1"]), float(e["top"]), float(e["bottom"])
        if any(b.x0 - 1 <= x0 and x1 <= b.x1 + 1 and b.top - 1 <= top and bottom <= b.bottom + 1 for b in boxes):
            continue
        if e["orientation"] == "v" and x1 - x0 <= 1.0 and bottom - top >= 3.0:
            v_edges.append(e)
        elif e["orientation"] == "h" and bottom - top <= 1.0 and x1 - x0 >= 3.0:
            h_edges.append(e)
    if len(v_edges) < 2 or len(h_edges) < 2:
        return []
    settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                "explicit_vertical_lines": v_edges, "explicit_horizontal_lines": h_edges,
                "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3,
                "edge_min_length": 3}
    return [list(t.cells) for t in page.find_tables(settings) if t.cells]


def _cluster(values: Iterable[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _nearest(values: list[float], v: float) -> int:
    return min(range(len(values)), key=lambda k: abs(values[k] - v))


# ---------------------------------------------------------------- arranging

def arrange(items: list[Item], tables: list[list[Cell]], state: TableState, page_index: int,
            page_height: float) -> list[Region]:
    """Regions in reading order: table cells on their grid, other text as paragraphs."""
    units: list[tuple[float, list[Region]]] = []
    free = items
    for cells in sorted(tables, key=lambda cs: min(c[1] for c in cs)):
        inside: list[list[Item]] = [[] for _ in cells]
        rest: list[Item] = []
        for it in free:
            cx, cy = (it.x0 + it.x1) / 2, (it.top + it.bottom) / 2
            for k, (x0, top, x1, bottom) in enumerate(cells):
                if x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1:
                    inside[k].append(it)
                    break
            else:
                rest.append(it)
        free = rest
        table_top = min(c[1] for c in cells)
        first = not any(it.bottom <= table_top and not it.text.isspace() for it in rest) and not units
        units.append((table_top, _table_regions(cells, inside, state, page_index, first)))
    all_cells = [c for cells in tables for c in cells]
    for _, group in units:
        for region in group:
            for line in region.lines:
                line.right = _innermost_right(line, all_cells, region.x1) - _PADDING
    lines = build_lines(free)
    right = max((ln.x1 for ln in lines), default=0.0)
    for line in lines:
        line.right = right
    for para in paragraphs(lines):
        units.append((para[0].top, [Region(para, min(ln.x0 for ln in para), para[0].top,
                                           max(ln.x1 for ln in para), para[-1].bottom)]))
    units.sort(key=lambda u: u[0])
    regions: list[Region] = []
    for _, group in units:
        regions.extend(group)
    state.last_was_table = bool(units) and units[-1][1][0].table is not None
    state.last_page = page_index
    return regions


#: a cell's text stops short of its border by the cell padding (Word: 5.4 pt)
_PADDING = 5.4


def _innermost_right(line: TextLine, cells: list[Cell], default: float) -> float:
    cx, cy = line.x0 + 1.0, (line.top + line.bottom) / 2
    rights = [c[2] for c in cells if c[0] - 1 <= cx <= c[2] + 1 and c[1] - 1 <= cy <= c[3] + 1]
    return min(rights, default=default)


def _table_regions(cells: list[Cell], inside: list[list[Item]], state: TableState,
                   page_index: int, first_on_page: bool) -> list[Region]:
    cols = _cluster(x for c in cells for x in (c[0], c[2]))
    rows = _cluster(c[1] for c in cells)
    placed = []
    for (x0, top, x1, bottom), its in zip(cells, inside):
        col = _nearest(cols, x0)
        span = max(1, _nearest(cols, x1) - col)
        placed.append((_nearest(rows, top), col, span, Region(build_lines(its), x0, top, x1, bottom)))
    placed.sort(key=lambda p: (p[0], p[1]))
    # a table continued from the previous page (same columns, nothing in between) keeps its number;
    # a first row whose first column is empty continues the row the page break cut
    continued = (first_on_page and state.last_no is not None and state.last_was_table
                 and state.last_page == page_index - 1 and bool(state.last_cols)
                 and abs(cols[0] - state.last_cols[0]) <= 2.0 and abs(cols[-1] - state.last_cols[-1]) <= 2.0)
    if continued:
        number = state.last_no
        first_empty = all(not r.lines for row, col, _, r in placed if row == 0 and col == 0)
        offset = state.last_row if first_empty else state.last_row + 1
    else:
        number = state.next_no
        state.next_no += 1
        offset = 0
        state.last_regions = []
    out: list[Region] = []
    for row, col, span, region in placed:
        if continued and first_empty and row == 0 and not region.lines:
            continue  # the cut row's empty cells on the new page are not blank lines of its value
        region.table, region.row, region.col, region.span = number, row + offset, col, span
        out.append(region)
    if continued:
        # one grid for both parts: a column boundary seen on either page counts on both
        cols = _cluster(state.last_cols + cols)
        for region in state.last_regions + out:
            region.col = _nearest(cols, region.x0)
            region.span = max(1, _nearest(cols, region.x1) - region.col)
    state.last_regions += out
    state.last_no, state.last_cols = number, cols
    state.last_row = max((r.row for r in out if r.row is not None), default=offset)
    state.last_page = page_index
    return out


def build_lines(items: list[Item]) -> list[TextLine]:
    """Group items into lines by vertical overlap, left to right inside each line."""
    lines: list[TextLine] = []
    for it in sorted(items, key=lambda i: (i.top, i.x0)):
        h = max(it.bottom - it.top, 0.1)
        for line in reversed(lines[-4:]):
            overlap = min(line.bottom, it.bottom) - max(line.top, it.top)
            if overlap >= 0.5 * min(h, max(line.bottom - line.top, 0.1)):
                line.add(it)
                break
        else:
            line = TextLine()
            line.add(it)
            lines.append(line)
    for line in lines:
        line.items.sort(key=lambda i: i.x0)
    lines = [ln for ln in lines if ln.text.strip() or any(i.box for i in ln.items)]
    lines.sort(key=lambda ln: ln.top)
    return lines


def paragraphs(lines: list[TextLine]) -> list[list[TextLine]]:
    """Lines outside tables, grouped into paragraphs.

    A line continues the paragraph above when that line ran up to the right
    edge of the text (so it wrapped), the gap between them is no more than
    normal line spacing, and the new line starts where the paragraph did (a
    first-line indent allowed).  Anything else starts a new paragraph.
    """
    if not lines:
        return []
    right = max(ln.x1 for ln in lines)
    paras: list[list[TextLine]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:]):
        size = max(prev.size, line.size)
        first = paras[-1][0]
        wrapped = (prev.x1 >= right - 1.5 * size
                   and line.top - prev.bottom <= 0.8 * size
                   and first.x0 - 2.5 * size <= line.x0 <= first.x0 + 1.5 * size
                   and abs(prev.size - line.size) <= 0.15 * size)
        if wrapped:
            paras[-1].append(line)
        else:
            paras.append([line])
    return paras
