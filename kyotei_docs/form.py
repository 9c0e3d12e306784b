"""The layout-neutral form every reader produces.

A submitted Form 1 can be a Word table, re-typed paragraphs, a PDF text layer or a
fillable PDF.  Readers flatten all of them into the same shape so that one extractor
serves every format:

* a :class:`FormDoc` is a list of :class:`Block` in reading order;
* a block is what a person reads as one unit: a paragraph, a table cell (merged
  cells appear once), a text box, a PDF text line group, an AcroForm field;
* a block holds :class:`Line` objects, each a sequence of :class:`Text` and
  :class:`Box` pieces, so a checkbox stays exactly where it stood between words.

Every piece carries a ``source`` string (``docx:sdt``, ``docx:sym``, ``pdf:acroform``,
...) so that ``kyotei parse --explain`` can say where each value came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

# The glyph sets live in the one symbol table (:mod:`kyotei_docs.symbols`); they are
# named here too because every reader and the extractor import the form model.
from .symbols import ALL_GLYPHS as _ALL_GLYPHS
from .symbols import (
    CHECKED_GLYPHS,
    CIRCLE_MARKS,
    UNCHECKED_GLYPHS,
    WEAK_CHECK_GLYPHS,
    glyph_state,
)
from .vocab import pattern

__all__ = ["CHECKED_GLYPHS", "CIRCLE_MARKS", "UNCHECKED_GLYPHS", "WEAK_CHECK_GLYPHS", "Block", "Box", "FormDoc",
           "Line", "Piece", "Text", "lines_from_pieces", "merge_weak", "split_glyphs"]


@dataclass(frozen=True, slots=True)
class Text:
    """A run of text as the applicant typed it."""

    text: str
    source: str
    #: struck through (w:strike, w:dstrike): the applicant crossed it out — an option not
    #: chosen where the form says 「不要なものを二重線で消すこと」, a word withdrawn elsewhere
    struck: bool = False
    #: starts where the page wrapped the line (PDF): a soft break, where the source may have had
    #: a break of its own that the page cannot show (「…（内線15）」 ending at the cell's edge,
    #: then 「メールアドレス」)
    wrapped: bool = False


@dataclass(frozen=True, slots=True)
class Box:
    """A checkbox, with its state taken from structure where the format has one."""

    checked: bool
    source: str
    glyph: str = ""
    #: ``weak`` marks a glyph that may just be a letter (「レ」).
    weak: bool = False
    struck: bool = False
    #: the structure and the glyph disagree (a content-control checkbox unchecked whose
    #: glyph shows ☑): a person must look, whichever state ``checked`` holds
    conflict: bool = False


Piece = Text | Box


@dataclass(slots=True)
class Line:
    """One line of a block: text pieces and checkboxes in reading order."""

    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The line's text with boxes shown as their glyphs (for display and labels)."""
        return "".join(p.text if isinstance(p, Text) else (p.glyph or ("☑" if p.checked else "☐"))
                       for p in self.pieces)

    @property
    def plain(self) -> str:
        """The line's text without any box (a weak 「レ」 may be a letter: it stays).

        Struck-through text is left out: crossed out is withdrawn, for a value as for an option.
        """
        return "".join(p.text if isinstance(p, Text) else p.glyph
                       for p in self.pieces if (isinstance(p, Text) or p.weak) and not p.struck)

    def has_box(self) -> bool:
        return any(isinstance(p, Box) for p in self.pieces)


@dataclass(slots=True)
class Block:
    """One unit of reading order.

    ``table``/``row``/``col`` place a table cell on the table's grid (``col`` is
    the grid column, so merged cells keep their true position); they are ``None``
    outside tables.  ``name`` holds a field name or tag where the format has one
    (content-control tags, AcroForm field names) so an extractor may use it.
    """

    lines: list[Line]
    source: str
    table: int | None = None
    row: int | None = None
    col: int | None = None
    span: int = 1
    name: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(line.plain for line in self.lines)

    def pieces(self) -> Iterator[Piece]:
        for line in self.lines:
            yield from line.pieces

    def has_box(self) -> bool:
        return any(line.has_box() for line in self.lines)

    def is_blank(self) -> bool:
        return not self.has_box() and not self.text.strip()


@dataclass(slots=True)
class FormDoc:
    """What a reader hands to the extractor."""

    path: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    #: Reader findings that are not about the proposal itself (macros present, OCR used).
    warnings: list[str] = field(default_factory=list)
    #: the index of the first block set apart from the form by the file itself (a workbook's cells outside
    #: its print area): read only as an attachment, never as an entry of the form; None when nothing is
    apart: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def split_glyphs(text: str, source: str, struck: bool = False) -> list[Piece]:
    """Split typed text into text and glyph boxes (``source`` + ``:glyph``)."""
    if _ALL_GLYPHS.isdisjoint(text):
        return [Text(text, source, struck)] if text else []
    pieces: list[Piece] = []
    buf: list[str] = []
    glyph_source = f"{source.split(':')[0]}:glyph"

    def flush() -> None:
        if buf:
            pieces.append(Text("".join(buf), source, struck))
            buf.clear()

    for ch in text:
        state = glyph_state(ch)
        if state is not None:
            flush()
            pieces.append(Box(state, glyph_source, ch, struck=struck))
        elif ch in WEAK_CHECK_GLYPHS:
            flush()
            pieces.append(Box(True, glyph_source, ch, weak=True, struck=struck))
        else:
            buf.append(ch)
    flush()
    return pieces


_NEWLINES = pattern(r"\r\n|\r|\n|\v|\f|\u2028|\u2029")


def lines_from_pieces(pieces: list[Piece]) -> list[Line]:
    """Break a flat piece list into lines at every newline inside the text."""
    lines = [Line()]
    for piece in pieces:
        if isinstance(piece, Box):
            lines[-1].pieces.append(piece)
            continue
        parts = _NEWLINES.split(piece.text)
        for i, part in enumerate(parts):
            if i:
                lines.append(Line())
            if part:
                lines[-1].pieces.append(Text(part, piece.source, piece.struck))
    return lines


def merge_weak(pieces: list[Piece]) -> list[Piece]:
    """Turn weak 「レ」 boxes back into text when they sit inside a word.

    「レ」 counts as a tick only at the start of the text or after a space or an
    opening bracket, and only when text follows; 「レジャー」 stays a word.
    """
    out: list[Piece] = []
    for i, piece in enumerate(pieces):
        if isinstance(piece, Box) and piece.weak and not _standalone(out, pieces, i):
            text = Text(piece.glyph, piece.source.replace(":glyph", ":text"), piece.struck)
            if out and isinstance(out[-1], Text) and out[-1].struck == text.struck:
                out[-1] = replace(out[-1], text=out[-1].text + text.text)
            else:
                out.append(text)
            continue
        if isinstance(piece, Text) and i and out and isinstance(out[-1], Text) \
                and isinstance(pieces[i - 1], Box) and out[-1].struck == piece.struck:
            # the box before was a letter turned back into text: glue the word
            out[-1] = replace(out[-1], text=out[-1].text + piece.text)
            continue
        out.append(piece)
    return out


def _standalone(done: list[Piece], pieces: list[Piece], i: int) -> bool:
    prev = done[-1] if done else None
    prev_ch = prev.text[-1:] if isinstance(prev, Text) else ""
    nxt = pieces[i + 1] if i + 1 < len(pieces) else None
    next_ch = nxt.text[:1] if isinstance(nxt, Text) else ""
    if next_ch == "" or next_ch in "ー−-" or next_ch.isspace() and isinstance(nxt, Text) and not nxt.text.strip():
        return False
    return prev_ch == "" or prev_ch.isspace() or prev_ch in "（(［[【「・･、，,/／"
