"""The layout model every PDF reader builds: positioned items → lines → regions → blocks.

A PDF page, whether it comes from the text layer (:mod:`.pdf`), from a page
image read by Tesseract (:mod:`.ocr`) or is searched for the label beside a
form field (:mod:`.acroform`), is the same thing to a person: characters on
lines, lines in table cells or paragraphs.  This module holds that model and
the one way of arranging it, so the three readers share it without importing
each other:

* :class:`Item` (a character, an OCR character or a box with its position) →
  :func:`build_lines` → :class:`TextLine`;
* :func:`arrange` puts lines into table cells (given the cells' rectangles)
  or paragraphs (:func:`paragraphs`): :class:`Region`, in reading order, with a
  table cut by a page break kept as one table (:class:`TableState`);
* :func:`blocks_of` turns regions into the :class:`~kyotei_docs.form.Block`
  list of a :class:`~kyotei_docs.form.FormDoc`: lines that only wrapped are
  joined (:func:`unwrap`), a justified line's widened gaps are no spaces
  (:func:`spread`), typed ☑/□ become boxes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..form import Block, Box, Line, Piece, Text, merge_weak, split_glyphs
from ..symbols import glyph_state
from ..vocab import pattern
from .columns import split_columns

Cell = tuple[float, float, float, float]
"""A table cell's rectangle: x0, top, x1, bottom (points, from the page's top)."""

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
    #: a paragraph in the page's top or bottom margin (a running header, a page number)
    margin: bool = False

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
    beyond: int = 0  # characters drawn outside the page: cut off where a person reads it


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
    #: the texts of the table's first row, to know it when a page repeats it (Word's 「タイトル行の繰り返し」)
    header: list[str] = field(default_factory=list)


#: share of the page height at its top and bottom where running headers and page numbers stand;
#: text there does not separate a table from its continuation on the next page
MARGIN_SHARE = 0.08
#: a page number as word processors print it in a header or footer
PAGE_NUMBER = pattern(r"^[\s\u3000\-‐–—－ー]*(?:(?:page|p\.?|ページ)[\s\u3000]*)?[0-9０-９]{1,3}"
                         r"(?:[\s\u3000]*[/／][\s\u3000]*[0-9０-９]{1,3})?[\s\u3000]*(?:ページ|頁)?"
                         r"[\s\u3000\-‐–—－ー]*$", re.I)


# ---------------------------------------------------------------- blocks

def blocks_of(layouts: Iterable[PageLayout], source: str, *, glyphs: bool = True) -> list[Block]:
    blocks: list[Block] = []
    for region in _margins_after_tables(_running_once(list(layouts))):
        lines = [Line(line_pieces(tl, source, glyphs=glyphs)) for tl in unwrap(region.lines)] or [Line()]
        blocks.append(Block(lines, source, region.table, region.row, region.col, region.span))
    return blocks


def _running_once(layouts: list[PageLayout]) -> list[Region]:
    """The pages' regions, a running header or footer read on the first page that prints it only.

    A letterhead printed in the margin of every page (the company's name, its 代表 number and
    e-mail) stands, from page 2 on, between the form's entries: read there, it ran on as the
    value of the entry above it (「…売上が伸びる。\n株式会社…」).  The same words in the same
    margin of an earlier page say it is the printer's; the first stays, for the form's start.
    """
    seen: set[str] = set()
    out: list[Region] = []
    for layout in layouts:
        here: set[str] = set()
        for region in layout.regions:
            key = "".join(region.text.split()) if region.margin else ""
            if key and key in seen:
                continue
            here.add(key)
            out.append(region)
        seen |= here - {""}
    return out


def _margins_after_tables(regions: list[Region]) -> list[Region]:
    """A running header or footer between the two parts of one table moves after the table.

    A value cut by a page break (「協定締結の目的」 running on to page 2) must
    reach the extractor as one cell; the footer of page 1 and the header of
    page 2 stand between the parts in reading order, and are read after them.
    """
    out: list[Region] = []
    k = 0
    while k < len(regions):
        region = regions[k]
        if region.margin and out and out[-1].table is not None:
            j = k
            while j < len(regions) and regions[j].margin:
                j += 1
            if j < len(regions) and regions[j].table == out[-1].table:
                end = j
                while end < len(regions) and regions[end].table == out[-1].table:
                    end += 1
                out.extend(regions[j:end])
                out.extend(regions[k:j])
                k = end
                continue
        out.append(region)
        k += 1
    return out


def unwrap(lines: list[TextLine]) -> list[TextLine]:
    """Join lines that only wrapped: what was one line (one paragraph) in the source stays one.

    A line wrapped when it ran up to the right edge of its column or cell and the
    next line starts back at the left edge.  Where two Latin words meet, the
    space the wrap replaced comes back.  A line that starts far from the left edge
    (a date set flush right: 「令和８年１１月２０日」 over 「旭川市長　様」) reached the
    edge by its alignment, not by wrapping: a wrapped line is full from the left.
    """
    if len(lines) < 2:
        return lines
    left = min(ln.x0 for ln in lines)
    out = [_copy(lines[0])]
    for line in lines[1:]:
        prev = out[-1]
        size = max(prev.size, line.size)
        if prev.right and prev.x1 >= prev.right - 2.0 * size and line.x0 <= left + 1.5 * size \
                and prev.x0 <= left + 2.5 * size \
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
        width, k, near = items[0].x1 - items[0].x0, 1, 0.3 * line.size  # the size sorts every item: once
        while k < len(items) and items[k].box is None and items[k].text.isascii() and not items[k].text.isspace() \
                and items[k].x0 - items[k - 1].x1 <= near:
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
    line_size = line.size  # sorts every item's size: measured once, not for each run and character
    for k, run in enumerate(runs):
        full = k < len(runs) - 1 or not line.right or run[-1].x1 >= line.right - 1.5 * line_size
        widening += [spread(run, line_size) if full else 0.0] * len(run)
    starts = {id(run[0]) for run in runs[1:]}  # where the page wrapped the line
    wraps: list[int] = []  # indexes of the pieces that start there
    prev: Item | None = None
    for item, extra in zip(line.items, widening):
        if id(item) in starts:
            flush()
            wraps.append(len(pieces))
        if prev is not None and item.box is None and prev.box is None and item.x0 >= prev.x0:
            gap = item.x0 - prev.x1
            size = max(prev.size, item.size, 1.0)
            if extra and gap >= extra - max(0.08 * line_size, 0.15 * extra):
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
    for k in wraps:
        piece = pieces[k] if k < len(pieces) else None
        if isinstance(piece, Text):
            pieces[k] = replace(piece, wrapped=True)
    return merge_weak(pieces)


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
            page_height: float, page_width: float) -> list[Region]:
    """Regions in reading order: table cells on their grid, other text as paragraphs.

    A line wrapped when it reached the right edge of its cell (the cell's
    border less its padding) or, outside tables, of the page's text column
    (:func:`text_right`) — never simply the longest line around it.
    """
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
        first = not any(it.bottom <= table_top and not it.text.isspace() and it.top > MARGIN_SHARE * page_height
                        for it in rest) and not units
        units.append((table_top, _table_regions(cells, inside, state, page_index, first)))
    all_cells = [c for cells in tables for c in cells]
    for _, group in units:
        for region in group:
            for line in region.lines:
                line.right = _innermost_right(line, all_cells, region.x1) - _PADDING
    lines = build_lines(free)
    right = text_right(lines, all_cells, page_width)
    for line in lines:
        line.right = right
    # a page set in two columns (no ruled table on it): the left column, then the right one
    groups = (split_columns(lines, page_width) if not tables else None) or [lines]
    for g, column in enumerate(groups):
        edge = max((ln.x1 for ln in column), default=right) if len(groups) > 1 and g == 1 else right
        for ln in column:
            ln.right = edge
        for k, para in enumerate(paragraphs(column, edge)):
            region = Region(para, min(ln.x0 for ln in para), para[0].top, max(ln.x1 for ln in para), para[-1].bottom)
            region.margin = region.top > (1 - MARGIN_SHARE) * page_height or region.bottom < MARGIN_SHARE * page_height
            if region.margin and PAGE_NUMBER.match(region.text):
                continue  # 「- 1 -」「1/2」「ページ 2」: the printer's, not the applicant's
            # the columns' paragraphs keep their reading order among the page's units: both start where they do
            at = para[0].top if g in (0, 3) or len(groups) == 1 else groups[1][0].top + g * 1e-3 + k * 1e-6
            units.append((at, [region]))
    units.sort(key=lambda u: u[0])
    regions: list[Region] = []
    for _, group in units:
        regions.extend(group)
    body = [u for u in units if not u[1][0].margin]
    state.last_was_table = bool(body) and body[-1][1][0].table is not None
    state.last_page = page_index
    return regions


#: a cell's text stops short of its border by the cell padding (Word: 5.4 pt)
_PADDING = 5.4

#: how much wider than the left margin the right one may be, as a share of the text width, for the
#: longest line to be taken as reaching the right edge (a binding margin, a narrow column)
_RIGHT_MARGIN_SLACK = 0.15


def text_right(lines: list[TextLine], cells: list[Cell], page_width: float) -> float:
    """The right edge of the page's text column: where a line outside tables wrapped.

    A PDF keeps no margins.  The longest line is no measure on its own: on a
    page of short entries (「所在地：旭川市…」, 「企業等名称：…」, a re-typed
    Form 1) every line would reach it and all would be joined into one.  Word
    and LibreOffice set the right margin like the left one, so the edge is
    the page width less the left margin (where the leftmost line starts, or a
    table's text).  A line longer than that shows a narrower right margin; a
    longest line just short of it (within a share of the text width) shows a
    wider one, and is the edge.
    """
    if not lines or page_width <= 0:
        return max((ln.x1 for ln in lines), default=0.0)
    left = min([ln.x0 for ln in lines] + [c[0] + _PADDING for c in cells])
    mirrored = page_width - left
    longest = max(ln.x1 for ln in lines)
    if mirrored <= left or longest >= mirrored - _RIGHT_MARGIN_SLACK * (mirrored - left):
        return longest
    return mirrored


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
    header = [r.text for row, _, _, r in placed if row == 0]
    # a table continued from the previous page (same columns, nothing in between) keeps its number;
    # a first row whose first column is empty continues the row the page break cut
    continued = (first_on_page and state.last_no is not None and state.last_was_table
                 and state.last_page == page_index - 1 and bool(state.last_cols)
                 and abs(cols[0] - state.last_cols[0]) <= 2.0 and abs(cols[-1] - state.last_cols[-1]) <= 2.0)
    if continued and placed and header == state.header and any(t.strip() for t in header) \
            and any(row > 0 for row, _, _, _ in placed):
        # the header row repeated at the top of the page: read once, and the row under it
        # may continue the row the page break cut
        placed = [(row - 1, col, span, r) for row, col, span, r in placed if row > 0]
    if continued:
        number = state.last_no
        first_empty = all(not r.lines for row, col, _, r in placed if row == 0 and col == 0)
        offset = state.last_row if first_empty else state.last_row + 1
    else:
        number = state.next_no
        state.next_no += 1
        offset = 0
        state.last_regions = []
        state.header = header
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
    return _marks_into_line_above(lines)


def _is_mark(item: Item) -> bool:
    return item.box is not None or glyph_state(item.text) is not None


def _marks_into_line_above(lines: list[TextLine]) -> list[TextLine]:
    """A line of nothing but marks, each standing in a gap of the line above, belongs to that line.

    LibreOffice draws a ☑ its font lacks from a fallback font whose metrics put the
    glyph lower — up to a line lower — than the words beside it; grouped by height
    alone, 「☐個別連携協定　包括連携協定」 lost its ☑ to a line of its own (then
    「種別が選択されていません」).  Marks under their options (a grid: each mark below
    an option's words) overlap the words above them and stay a line of their own.
    """
    out: list[TextLine] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and _only_marks(line) and not _only_marks(prev) \
                and line.top - prev.top >= 0 and line.top - prev.bottom <= 0.6 * prev.size \
                and _in_gaps([m for m in line.items if not m.text.isspace()], prev):
            for item in line.items:
                prev.add(item)
            prev.items.sort(key=lambda i: i.x0)
            continue
        out.append(line)
    return out


def _only_marks(line: TextLine) -> bool:
    return all(_is_mark(i) or i.text.isspace() for i in line.items)


#: marks of one line that may each stand in a gap of the line above (a form's row of options has a few
#: dozen at most); each is measured against every word above, so a page-wide run of marks is left alone
GAP_MARKS = 64


def _in_gaps(marks: list[Item], line: TextLine) -> bool:
    """Each of ``marks`` overlaps no word of ``line`` and has a word of it right after it (the option it
    marks).  The words and the line's size are measured once: a line of 20,000 marks under one of 20,000
    characters was measured again for each mark."""
    if len(marks) > GAP_MARKS:
        return False
    words = [i for i in line.items if not i.text.isspace() and not _is_mark(i)]
    near = 1.5 * line.size
    for mark in marks:
        width = max(mark.x1 - mark.x0, 1.0)
        if any(min(mark.x1, w.x1) - max(mark.x0, w.x0) > 0.2 * width for w in words):
            return False
        if not any(0 <= w.x0 - mark.x1 <= near for w in words):
            return False
    return True


def paragraphs(lines: list[TextLine], right: float) -> list[list[TextLine]]:
    """Lines outside tables, grouped into paragraphs.

    A line continues the paragraph above when that line ran up to ``right``,
    the right edge of the text column (:func:`text_right`), so it wrapped; the
    gap between them is no more than normal line spacing; and the new line
    starts where the paragraph did (a first-line indent allowed).  It also continues it when it stands under the
    value of a 「label　value」 line (:func:`value_column`): the second line of
    an address or of 代表者 in a header table drawn without borders.  Anything
    else starts a new paragraph.
    """
    if not lines:
        return []
    paras: list[list[TextLine]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:]):
        size = max(prev.size, line.size)
        first = paras[-1][0]
        close = line.top - prev.bottom <= 0.8 * size and abs(prev.size - line.size) <= 0.15 * size
        column = value_column(first)
        wrapped = (prev.x1 >= right - 1.5 * size and close
                   and first.x0 - 2.5 * size <= line.x0 <= first.x0 + 1.5 * size
                   and not (column is not None and value_column(line) is not None))  # two 「label　value」 rows
        hanging = (close and column is not None and abs(line.x0 - column) <= 0.6 * size
                   and not any(i.box is not None for i in line.items) and value_column(line) is None)
        if wrapped or hanging:
            paras[-1].append(line)
        else:
            paras.append([line])
    return paras


def value_column(line: TextLine) -> float | None:
    """Where the value of a 「label　value」 line starts: after the first wide gap, or None.

    A borderless table prints its label and value cells as one line with a gap
    of more than a character between them; the value's next lines start at
    this x.
    """
    items = [i for i in line.items if not i.text.isspace()]
    for a, b in zip(items, items[1:]):
        if b.x0 - a.x1 > 1.0 * max(a.size, b.size, 1.0):
            if a.box is not None or b.box is not None:
                return None  # options set apart (「□個別　□包括」), no label and value
            return b.x0
    return None
