"""Read Form 1 from a PDF: text layer, fillable form, or (with ``--ocr``) a scan.

A PDF has no paragraphs or table cells, only positioned characters and drawn
lines.  This reader rebuilds what a person sees, so that the one extractor
(``kyotei_docs.extract``) can read it exactly as it reads a Word file:

* characters become lines (by vertical overlap) and words keep their gaps;
* ruled tables are found from the drawn edges, each cell becomes one block with
  its grid position (small squares are checkboxes, not table rules — they would
  split a table into dozens of columns, ``docs/pitfalls.md``);
* text outside tables becomes paragraphs: a line joins the one above when that
  one runs to the right margin (it wrapped) and no gap separates them.  The
  margin is the page's (its width less the left margin), never the longest
  line's: a page of short entries stays one entry a line.  So
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
(:mod:`kyotei_docs.sandbox`).  The lines, cells and paragraphs are the shared
layout model (:mod:`.layout`); this module only turns a pdfplumber page into
its items and cells.  Fillable forms are read by :mod:`.acroform`, scans by
:mod:`.ocr`; both use the same layout model and neither imports this module.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..errors import KyoteiError, UnreadableError
from ..form import Box, FormDoc
from ..symbols import (
    INNER_MARKS,
    ZAPF_DINGBATS,
    font_key,
    glyph_state,
    is_private_symbol,
    symbol,
    table_for,
)
from .layout import Cell, Item, PageLayout, TableState, arrange, blocks_of
from .pdfturn import upright

# pypdf and pdfminer log what they repair in a damaged file ("EOF marker not found");
# without a handler Python prints that to the staff's terminal.  Our own message
# says what is wrong; their notes still reach a logging set up by the application.
for _name in ("pypdf", "pdfminer"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

SOURCE = "pdf:text"
DRAWN = "pdf:drawn"
GLYPH = "pdf:glyph"

#: share of undecodable characters from which a text layer counts as unreadable
CID_SHARE = 0.3

#: what a character in a symbol font or a private-use code became (the one symbol table)
SYMBOL = "pdf:sym"


# ---------------------------------------------------------------- entry points

def read_pdf(path: Path) -> FormDoc:
    """Read a PDF in a child process under the configured limits."""
    from ..sandbox import run_limited
    from .options import current

    opts = current()
    limits = opts.effective_limits()
    ocr = opts.ocr_wanted
    args = (str(path), ocr, limits.pdf_pages, limits.ocr_seconds, limits.pdf_stream_mb, opts.form1_only)
    try:
        # the text layer under pdf_seconds alone: a hostile PDF gets no more time because OCR might be on
        return run_limited(read_pdf_unlimited, *args, True, seconds=limits.pdf_seconds, memory_mb=limits.memory_mb)
    except UnreadableError as exc:
        if exc.code != OCR_NEEDED:
            raise
    return run_limited(read_pdf_unlimited, *args, False, seconds=limits.pdf_seconds + limits.ocr_seconds,
                       memory_mb=limits.memory_mb)


#: what the first, text-layer-only read of :func:`read_pdf` says when only OCR can read the file
OCR_NEEDED = "ocr_needed"


def read_pdf_unlimited(path: str, ocr: bool | str = False, max_pages: int = 20, ocr_seconds: float = 300.0,
                       stream_mb: int = 32, form1_only: bool = False, staged: bool = False) -> FormDoc:
    """The whole PDF read, without the time and memory limits: call it through :func:`read_pdf`.

    Streams are still inflated under ``stream_mb`` (:mod:`.pdfbounds`).  With
    ``form1_only`` (reading for the extractor) a file whose first pages hold no
    word of Form 1 is refused before any page is laid out.  ``ocr`` is what
    to do with pages only OCR can read (``ReadOptions.ocr_wanted``: ``"force"``,
    ``"auto"``, ``"never"``; True and False stand for the first and the last).
    ``staged``: instead of reading such a file by OCR, say so (:data:`OCR_NEEDED`),
    so that the caller gives OCR its own time limit.
    """
    if isinstance(ocr, bool):
        ocr = "force" if ocr else "never"
    from .pdfbounds import install

    install(stream_mb)
    try:
        return _read(path, ocr, max_pages, ocr_seconds, form1_only, staged)
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


E = TypeVar("E", bound=BaseException)


def _caused_by(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    return _cause(exc, kinds) is not None


def _cause(exc: BaseException, kinds: type[E] | tuple[type[E], ...]) -> E | None:
    """The first exception of ``kinds`` in the chain of causes (and contexts) of ``exc``."""
    seen: set[int] = set()
    node: BaseException | None = exc
    while node is not None and id(node) not in seen:
        if isinstance(node, kinds):
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


def _read(path: str, ocr: str, max_pages: int, ocr_seconds: float = 300.0, form1_only: bool = False,
          staged: bool = False) -> FormDoc:
    from . import acroform
    from .pdfbounds import first_pages

    with _open_text_layer(path) as pdf:
        # first: not pdf.pages, which walks every page of the tree (so would pdfplumber's close());
        # a page stored sideways is laid out turned so its text reads upright (:mod:`.pdfturn`), below
        pages = first_pages(pdf, max_pages)
        if form1_only and acroform.rebuilt_table(pdf.doc) and not _may_be_form1(pages[:PROBE_PAGES]):
            # a damaged table leaves the catalog in doubt, so pypdf would be asked, reading the whole
            # file again (~1 s for 9 MB); a fillable Form 1 prints its words, and these pages have none
            raise UnreadableError("not_form1")
        # pypdf only for a catalog that lists fields: it would read the cross-reference table again
        widgets = _widgets(path, max_pages) if acroform.declares_fields(pdf.doc) else []
        unreadable = acroform.shown_values(pages, widgets)
        # a fillable form says what it is by its printed words and its field names, before its
        # fields are matched to the layout (acroform.blocks lays out every page)
        names = " ".join(f"{w.name} {w.tooltip or ''}" for w in widgets)
        if form1_only and not _may_be_form1(pages[:PROBE_PAGES], names):
            _drawn_only(pages[:PROBE_PAGES], ocr, ocr_seconds)
        # after the Form 1 test (which reads sideways text upright by itself): finding which way is up
        # builds every object of a page
        pages = [upright(pdf, page) for page in pages]
        state = TableState()
        layouts = [layout_page(page, i, state) for i, page in enumerate(pages)]
        doc = FormDoc(path=path, format="pdf")
        if widgets:
            doc.blocks = acroform.blocks(widgets, layouts) + blocks_of(layouts, SOURCE)
            if unreadable:  # a field shows text its font cannot decode: an entry read blank may not be
                doc.warnings.append("field_unreadable")
            return doc
        chars = sum(lay.chars for lay in layouts)
        cids = sum(lay.cids for lay in layouts)
        if chars == 0 or cids > CID_SHARE * chars:
            return _by_ocr(path, pages, layouts, ocr, ocr_seconds, form1_only, undecodable=chars > 0, staged=staged)
        doc.blocks = blocks_of(layouts, SOURCE)
        if sum(lay.beyond for lay in layouts) >= BEYOND_PAGE:
            doc.warnings.append("text_beyond_page")
        return doc


def _by_ocr(path: str, pages: list[Any], layouts: list[PageLayout], ocr: str, seconds: float, form1_only: bool,
            undecodable: bool, staged: bool = False) -> FormDoc:
    """A PDF whose text cannot be used, read by OCR (:mod:`.ocr`) — or refused, saying OCR would read it.

    Three kinds reach here: a scan (images, no characters), text whose fonts
    have no Unicode map (``(cid:NNN)``, glyph ids only) and text turned into
    outlines (no characters, no images, the letters drawn as curves).  With
    ``[reading] ocr = "auto"`` they are read when Tesseract is installed;
    ``--ocr`` (``"force"``) asks for Tesseract and says when it is missing.
    Reading for the extractor, the top of the first pages is looked at
    cheaply first (:func:`.ocr.may_be_form1`): a scanned report is refused
    after about a second of OCR, not after minutes.
    """
    from .ocr import may_be_form1, read_scan, tesseract_available

    if undecodable:
        code = "pdf_no_unicode"
    elif sum(lay.images for lay in layouts) == 0 and sum(len(p.curves) + len(p.rects) for p in pages) > OUTLINE_SHAPES:
        code = "pdf_outlines"
    else:
        code = "scanned_pdf"
    if ocr == "never" or (ocr == "auto" and not tesseract_available()):
        raise UnreadableError(code)
    if staged:
        raise UnreadableError(OCR_NEEDED)
    if form1_only and not may_be_form1(pages, seconds):
        raise UnreadableError("not_form1")
    return read_scan(path, pages, seconds)


#: shapes on pages without characters or images from which their text counts as outlines (a blank
#: form's few rules and boxes stay well below; each letter of outlined text is a shape or more)
OUTLINE_SHAPES = 100

#: characters outside the page from which a PDF counts as cut off (a stray space or two does not)
BEYOND_PAGE = 5
#: pages whose text decides whether a PDF may be Form 1 before any page is laid out
PROBE_PAGES = 2


def _may_be_form1(pages: list[Any], names: str = "") -> bool:
    """False when the first pages have a readable text layer and none of Form 1's words.

    Laying out a page costs ~0.15 s on top of pdfminer's ~0.3 s; a 15-page
    report was read to the end (12–15 s) before the extractor said it was not
    Form 1, and pdfplumber's own objects of a page (``page.chars`` builds every
    curve and rect too) took 9–13 s and 323 MB for one page of a vector drawing.
    So the test reads characters only (:func:`probe_text`: no drawings, no
    layout, at most ``PROBE_OPERATIONS`` operations a page) of the first page, and
    of the second only when the first holds little text (a short cover page).
    ``names`` are a fillable form's field names and tooltips, which count like
    printed words.  Scans and undecodable text layers go on (they get their own
    message); any hint of Form 1 goes on to the full read; a page past the cap
    with text and no hint in what was read of it is not Form 1 (one with next to no
    text goes on: its letters may be drawn as outlines, which the full read names).
    """
    from ..vocab import may_be_form1

    if names and may_be_form1(names):
        return True
    text = ""
    for page in pages:
        said, capped = _probed(page)
        text += said
        if may_be_form1(text):
            return True
        if capped:  # text enough to judge: not Form 1; next to none: outlines or a scan — the full read says
            return len(text) < 20
        if len(text) >= PROBE_CHARS:
            break
    cids = text.count("(cid:")
    return len(text) < 20 or cids * 6 > CID_SHARE * len(text)


def _drawn_only(pages: list[Any], ocr: str, seconds: float) -> None:
    """Raise why pages without Form 1's words are refused: not Form 1, or text drawn as outlines.

    A page too full of drawing to be read cheaply with no character at all
    may be Form 1 with its text turned into outlines: it is looked at by OCR
    (:func:`.ocr.may_be_form1`, about a second; pdfium draws it without
    pdfplumber building its shapes) before it is called not Form 1, and with
    OCR off it is refused saying OCR would read it.  Returns when OCR found
    Form 1's words.
    """
    from .ocr import may_be_form1, tesseract_available

    said = [_probed(page) for page in pages]
    if any(text.strip() for text, _ in said) or not any(capped for _, capped in said):
        raise UnreadableError("not_form1")
    if ocr == "never" or not tesseract_available():
        raise UnreadableError("pdf_outlines")
    if not may_be_form1(pages, seconds):
        raise UnreadableError("not_form1")


#: characters of readable text that are enough to decide without the next page
PROBE_CHARS = 400
#: operations of a page's content (with those of the forms it draws) the Form 1 test reads at most:
#: a Form 1 page saved from Word has a few thousand; a drawing can have 50,000 and more
PROBE_OPERATIONS = 20_000


def _probed(page: Any) -> tuple[str, bool]:
    """:func:`probe_text` of ``page``, read once: the Form 1 test and the reason for a refusal both ask."""
    said: tuple[str, bool] | None = getattr(page, "_kyotei_probe", None)
    if said is None:
        said = page._kyotei_probe = probe_text(page)
    return said


class _ProbeDone(Exception):
    """The probe has read as many operations as it may."""


def probe_text(page: Any, limit: int = PROBE_OPERATIONS) -> tuple[str, bool]:
    """The characters of a pdfplumber page in reading order, and whether ``limit`` cut them short.

    pdfminer's interpreter with a device that keeps the characters, and counting the
    operations that take operands (``pop``) stops a page of tens of thousands of drawing
    operations early.  Undecodable characters come out as ``(cid:N)``, as pdfplumber writes
    them.  While the page has at most ``LAYOUT_OPERATIONS`` operations the same device also
    builds pdfplumber's own objects of it (:class:`_FirstRead`), and a page read to its end
    that way is given them: a Form 1 page, which goes on to the full read, is interpreted
    once, not twice (~11 ms of a one-page check, issue 20).  A heavier page is read on for
    its characters only: its paths are parsed but never built into curves, nothing is laid
    out, and the full read (if any) interprets it again.
    """
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdftypes import PDFException

    device = _first_read(page)

    class Interpreter(PDFPageInterpreter):
        def pop(self, n: int) -> list[Any]:
            device.operations += 1
            if device.operations > LAYOUT_OPERATIONS:
                device.building = False
            if device.operations > limit:
                raise _ProbeDone
            return super().pop(n)

    # pdfplumber's own resource manager: the fonts (a Japanese font's ToUnicode CMap takes a quarter
    # of a page's reading) are parsed once, here, and the full read takes them from its cache
    try:
        Interpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except _ProbeDone:
        return _upright_order(device.out), True
    except (PDFException, KeyError, ValueError, TypeError, AttributeError):
        pass  # what the probe cannot read, the full read will say (or read)
    else:
        if device.building:
            # what pdfplumber's Page.layout would have made (the same device class, same interpreter)
            page._layout = device.get_result()
    return _upright_order(device.out), False


#: operations of a page up to which :func:`probe_text` also builds pdfplumber's objects of it (a Form 1
#: page has a few hundred to a few thousand; building costs ~40 % more than the characters alone)
LAYOUT_OPERATIONS = 5_000


def _first_read(page: Any) -> Any:
    """A :class:`_FirstRead` device for ``page`` (the class is made on first use: pdfplumber is imported then)."""
    global _FirstRead
    if _FirstRead is None:
        _FirstRead = _first_read_class()
    return _FirstRead(page)


_FirstRead: Any = None


def _first_read_class() -> type:
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class FirstRead(PDFPageAggregatorWithMarkedContent):
        """The probe's characters always; pdfplumber's objects of the page while ``building``.

        Building is pdfplumber's own aggregator (``Page.layout`` uses the same class), so a page
        read to its end while building is exactly what ``page.layout`` would give.  Once the page
        passes :data:`LAYOUT_OPERATIONS` (or pdfminer could not build an object), building stops
        for good and the objects made so far are dropped.
        """

        def __init__(self, page: Any) -> None:
            super().__init__(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
            self.out: list[dict[str, Any]] = []
            self.operations = 0
            self.building = True

        def render_char(self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int,
                        ncs: Any, graphicstate: Any) -> float:
            try:
                text = font.to_unichr(cid)
            except Exception:  # PDFUnicodeNotDefined and the like: as pdfplumber shows it
                text = f"(cid:{cid})"
            # where the character starts (matrix: the text matrix times the page's, moved to the character),
            # as pdfplumber's top/x0/size, for reading_order
            self.out.append({"text": text, "x": matrix[4], "y": matrix[5], "a": matrix[0], "b": matrix[1],
                             "size": math.hypot(matrix[2], matrix[3]) * fontsize or fontsize})
            if self.building:
                try:
                    return float(super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate))
                except Exception:  # the full read meets it again and says what it is
                    self.building = False
            try:
                return float(font.char_width(cid)) * fontsize * scaling
            except Exception:
                return fontsize * scaling

        def _built(self, method: Callable[..., Any], *args: Any) -> None:
            if self.building:
                try:
                    method(*args)
                except Exception:  # as in render_char
                    self.building = False

        def begin_page(self, page: Any, ctm: Any) -> None:
            self._built(super().begin_page, page, ctm)

        def end_page(self, page: Any) -> None:
            self._built(super().end_page, page)

        def begin_figure(self, name: str, bbox: Any, matrix: Any) -> None:
            self._built(super().begin_figure, name, bbox, matrix)

        def end_figure(self, name: str) -> None:
            self._built(super().end_figure, name)

        def render_image(self, name: str, stream: Any) -> None:
            self._built(super().render_image, name, stream)

        def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
            self._built(super().paint_path, gstate, stroke, fill, evenodd, path)

        def begin_tag(self, tag: Any, props: Any = None) -> None:
            self._built(super().begin_tag, tag, props)

        def end_tag(self) -> None:
            self._built(super().end_tag)

    return FirstRead


def _upright_order(chars: list[dict[str, Any]]) -> str:
    """:func:`reading_order` of the probe's characters, turned first so that most of them run left to
    right (text drawn sideways; :mod:`.pdfturn` does the same for the layout, at the cost of every object)."""
    counts = [0, 0, 0, 0]
    for ch in chars:
        if ch["a"] or ch["b"]:
            counts[round(math.degrees(math.atan2(ch["b"], ch["a"])) / 90) % 4] += 1
    turn = max(range(4), key=lambda k: counts[k]) if any(counts) else 0
    placed = []
    for ch in chars:
        x, y = ch["x"], ch["y"]
        x, y = ((x, y), (y, -x), (-x, -y), (-y, x))[turn]  # turned back by turn × 90°
        placed.append({"text": ch["text"], "x0": x, "top": -y, "size": ch["size"]})
    return reading_order(placed)


def reading_order(chars: list[dict]) -> str:
    """The characters' text in the order a person reads them: by line (top, within a third of a
    character's height), then left to right — never the order the file stores them in (a PDF may
    store one text object per character, in any order)."""
    placed = sorted(chars, key=lambda c: (float(c.get("top", 0)), float(c.get("x0", 0))))
    lines: list[list[dict]] = []
    for ch in placed:
        if lines and abs(float(ch.get("top", 0)) - float(lines[-1][0].get("top", 0))) \
                <= max(float(lines[-1][0].get("size", 0) or 0), 1.0) / 3:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return "\n".join("".join(c.get("text", "") for c in sorted(line, key=lambda c: float(c.get("x0", 0))))
                     for line in lines)


def _open_text_layer(path: str) -> Any:
    """``pdfplumber.open``; a password pdfminer cannot open with is named as one.

    pdfminer opens a PDF with an owner password alone (the empty user
    password).  When it cannot open a file for another reason, pypdf is asked
    whether the file needs a password, so that a password is still named as
    one whichever library stumbles first.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError

    try:
        return pdfplumber.open(path, password="")
    except Exception as exc:
        if _caused_by(exc, (PDFEncryptionError,)):  # a user password, or an algorithm pdfminer lacks
            raise UnreadableError("pdf_password") from exc
        if _raised_in_library(exc) and not _caused_by(exc, (MemoryError, RecursionError)):
            try:
                open_pypdf(path)
            except UnreadableError:
                raise
            except Exception:  # pypdf cannot read it either: pdfminer's failure is the answer
                pass
        raise


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


# ---------------------------------------------------------------- one page

def layout_page(page: Any, index: int, state: TableState) -> PageLayout:
    items, chars, cids = page_items(page)
    items = drop_struck(page, items)
    boxes, items = drawn_boxes(page, items)
    circled = circled_words(page, items)
    tables = table_cells(page, boxes)
    layout = PageLayout(index, float(page.width), float(page.height), [], chars, cids, len(page.images),
                        _beyond(page, items + boxes))
    layout.regions = arrange(items + boxes + circled, tables, state, index, float(page.height), float(page.width))
    return layout


def _beyond(page: Any, items: list[Item]) -> int:
    """Characters drawn outside the page's box (a spreadsheet printed wider than the page): nobody sees them there."""
    x0, top, x1, bottom = (float(v) for v in page.bbox)
    return sum(1 for it in items if not it.text.isspace()
               and (it.x0 >= x1 - 0.5 or it.x1 <= x0 + 0.5 or it.top >= bottom - 0.5 or it.bottom <= top + 0.5))


def page_items(page: Any) -> tuple[list[Item], int, int]:
    """Characters as items: fake bold removed, Kangxi radicals and symbol fonts mapped."""
    chars = page.chars
    if _has_doubles(chars):
        chars = page.dedupe_chars().chars
    items: list[Item] = []
    visible = cids = 0
    garbled = sequential_fonts(chars)
    for c in chars:
        text = c.get("text") or ""
        if not text:
            continue
        box = None
        if text.startswith("(cid:") or (garbled and c.get("fontname") in garbled):
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


#: distinct characters of a font from which the order of their codes tells
SEQUENTIAL_LEAST = 20


def sequential_fonts(chars: list[dict]) -> set[str]:
    """Fonts whose text is glyph numbers, not characters: codes given out in the order of first use.

    A print driver that subsets a font without a /ToUnicode map numbers the
    glyphs as they are first used (1, 2, 3 … or 「 !"#$%…」 in a simple
    font), and pdfminer decodes those numbers as Latin-1 — garbage that is
    neither empty nor ``(cid:NNN)``.  Real text does not meet new characters
    in the order of their codes: when most of a font's distinct characters,
    taken in order of first appearance, follow the one before by exactly one
    code point, the font's text is unusable (read by OCR).
    """
    firsts: dict[str, list[int]] = {}
    seen: set[tuple[str, str]] = set()
    for c in chars:
        text, font = c.get("text") or "", c.get("fontname") or ""
        if len(text) != 1 or text.isspace() or (font, text) in seen:
            continue
        seen.add((font, text))
        firsts.setdefault(font, []).append(ord(text))
    out: set[str] = set()
    for font, codes in firsts.items():
        if len(codes) >= SEQUENTIAL_LEAST:
            steps = sum(1 for a, b in zip(codes, codes[1:]) if b == a + 1)
            if steps >= 0.7 * (len(codes) - 1):
                out.add(font)
    return out


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
                # a private-use code drawn in an ordinary font is a stand-in glyph: LibreOffice without
                # Wingdings draws every such code alike and may map them all to one code (□ and ☒
                # swapped, docs/pdf.md), so a person must compare it with the original
                unsure = is_private_symbol(text) and table_for(fontname) is None \
                    and font_key(fontname) != "opensymbol"
                return found[1], Box(found[0], SYMBOL, found[1], conflict=unsure)
    out: list[str] = []
    for ch in text:
        if 0x2E80 <= ord(ch) <= 0x2FDF:
            ch = unicodedata.normalize("NFKC", ch)
        out.append(ch)
    return "".join(out), None


def drawn_boxes(page: Any, items: list[Item]) -> tuple[list[Item], list[Item]]:
    """Squares and circles drawn on the page as checkbox items; marks inside them are used up.

    A square (a rectangle, or a rounded one drawn with curves as a browser
    prints a web form's checkbox) is ticked when a tick, a diagonal line, a
    filled shape or a mark character sits inside it, or when it is filled with
    a dark colour (a browser's checked box: blue with a white tick).  A circle
    is a radio button: chosen when a filled dot sits inside it.  A square
    around a typed ☐ glyph is the glyph's frame: the glyph decides, and a tick
    drawn over an empty glyph marks the box as a conflict for review.
    """
    rects, curves = list(page.rects), list(page.curves)
    shapes = rects + curves
    found: dict[tuple[int, int, int, int], tuple[dict, bool]] = {}
    for s in shapes:
        w, h = float(s["width"]), float(s["height"])
        if not (5.0 <= w <= 20.0 and abs(w - h) <= 0.15 * w):
            continue
        is_curve = s.get("object_type") == "curve"
        round_ = is_curve and _is_circle(s)
        if is_curve and not round_ and not _is_closed_square(s):
            continue
        outlined = bool(s.get("stroke", True))
        if (round_ and not outlined) or (not round_ and not outlined and not _dark(s)):
            continue  # a dot or bullet without an outline is no radio button; a pale fill no box
        key = (round(s["x0"]), round(s["top"]), round(w), round(h))
        found.setdefault(key, (s, round_))
    if not found:
        return [], items
    # a shape inside a bigger one is its mark (a radio's dot), not a box of its own
    outer = {k: v for k, v in found.items()
             if not any(o != k and _within(v[0], *_bbox(ov[0]), tol=0.5)
                        and float(ov[0]["width"]) > 1.2 * float(v[0]["width"]) for o, ov in found.items())}
    used: set[int] = set()
    boxes: list[Item] = []
    marks = list(page.lines) + curves
    fills = [s for s in shapes if s.get("fill")]
    for s, round_ in outer.values():
        x0, top, x1, bottom = _bbox(s)
        side = x1 - x0
        inside = [k for k, it in enumerate(items) if _centre_in(it, x0, top, x1, bottom)]
        inner_fill = any(_within(f, x0, top, x1, bottom) and float(f["width"]) < 0.9 * side for f in fills)
        drawn_tick = any(_within(m, x0, top, x1, bottom) and float(m["width"]) > 0.3 * side
                         and float(m["height"]) > 0.3 * side and not _outline_of(m, side) for m in marks)
        framed = [k for k in inside if items[k].box is not None or glyph_state(items[k].text) is not None]
        if framed:
            # the square is a typed glyph's frame: the glyph decides, but a tick drawn over an
            # empty ☐ is a second answer that disagrees — a person must look
            for k in framed:
                it = items[k]
                box = it.box or Box(bool(glyph_state(it.text)), GLYPH, it.text)
                if (drawn_tick or inner_fill) and not box.checked:
                    box = Box(box.checked, box.source, box.glyph, conflict=True)
                it.box = box
            continue
        if round_ and any(items[k].box is None and not items[k].text.isspace()
                          and items[k].text not in INNER_MARKS for k in inside):
            continue  # a circle around a letter (「有」 circled) is a circled word: circled_words reads it
        if round_:
            checked = inner_fill
        else:
            checked = any(items[k].text in INNER_MARKS or items[k].text in ZAPF_DINGBATS for k in inside
                          if not items[k].text.isspace())
            checked = checked or drawn_tick or inner_fill or (bool(s.get("fill")) and _dark(s))
        used.update(inside)
        glyph = ("●" if checked else "○") if round_ else ("☑" if checked else "☐")
        boxes.append(Item(glyph, x0, x1, top, bottom, bottom - top, Box(checked, DRAWN, glyph)))
    rest = [it for k, it in enumerate(items) if k not in used]
    return boxes, rest


def circled_words(page: Any, items: list[Item]) -> list[Item]:
    """Words circled on the page (「該当するものを○で囲む」) as a ○ mark just before them.

    A drawn ellipse about as tall as one line of text, around characters, is how
    a form is marked by circling — in Word with an ellipse shape, in Acrobat with
    its ellipse, rectangle or pen comment (annotations).  The words stay; the mark goes before the first of them, where a typed
    「○」 would stand, so the extractor reads it under the same convention.
    """
    marks: list[Item] = []
    rings = [_bbox(s) for s in page.curves if s.get("stroke", True) and _is_ellipse(s)]
    rings += [_bbox(a) for a in _annots(page) if _subtype(a) in _CIRCLING]
    for x0, top, x1, bottom in rings:
        inside = [it for it in items if it.box is None and not it.text.isspace() and _centre_in(it, x0, top, x1, bottom)]
        if not inside or bottom - top > 2.6 * max(it.size for it in inside):
            continue
        first = min(inside, key=lambda it: it.x0)
        at = first.x0 - 0.01
        marks.append(Item("○", at, at, first.top, first.bottom, first.size, Box(True, DRAWN, "○")))
    return marks


#: comments Acrobat and other viewers draw around words: its ellipse, rectangle and pen tools
_CIRCLING = frozenset({"Circle", "Square", "Ink"})


def _annots(page: Any) -> list[dict]:
    try:
        return list(page.annots)
    except Exception:  # noqa: BLE001 - a broken annotation array marks nothing; the text still reads
        return []


def _subtype(annot: dict) -> str:
    subtype = (annot.get("data") or {}).get("Subtype")
    return str(getattr(subtype, "name", subtype) or "").lstrip("/")


def _is_ellipse(curve: dict) -> bool:
    """A closed curve of Bézier segments whose end points lie on one ellipse (a circle drawn around words)."""
    pts = curve.get("pts") or []
    path = curve.get("path") or []
    if len(pts) < 4 or sum(1 for op in path if op[0] == "c") < 4:
        return False
    x0, top, x1, bottom = _bbox(curve)
    cx, cy, rx, ry = (x0 + x1) / 2, (top + bottom) / 2, (x1 - x0) / 2, (bottom - top) / 2
    if rx < 3.0 or ry < 3.0:
        return False
    closed = abs(pts[0][0] - pts[-1][0]) <= 0.05 * rx + 0.5 and abs(pts[0][1] - pts[-1][1]) <= 0.05 * ry + 0.5
    return closed and all(abs((((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2) ** 0.5 - 1) <= 0.15 for px, py in pts)


def _outline_of(mark: dict, side: float) -> bool:
    """A closed path as big as the box: its own outline drawn again (fill and stroke apart), no tick."""
    pts = mark.get("pts") or []
    closed = len(pts) >= 4 and abs(pts[0][0] - pts[-1][0]) <= 0.5 and abs(pts[0][1] - pts[-1][1]) <= 0.5
    return closed and float(mark["width"]) >= 0.9 * side


def _bbox(obj: dict) -> tuple[float, float, float, float]:
    return float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"])


def _is_circle(curve: dict) -> bool:
    """A closed curve made of Bézier segments whose points all lie on one circle (a radio button)."""
    pts = curve.get("pts") or []
    path = curve.get("path") or []
    if len(pts) < 4 or not any(op[0] == "c" for op in path):
        return False
    x0, top, x1, bottom = _bbox(curve)
    cx, cy, r = (x0 + x1) / 2, (top + bottom) / 2, (x1 - x0) / 2
    return all(abs(((px - cx) ** 2 + (py - cy) ** 2) ** 0.5 - r) <= 0.12 * r for px, py in pts)


def _is_closed_square(curve: dict) -> bool:
    """A closed path along a square's edges (a rounded rectangle): every point near the border."""
    pts = curve.get("pts") or []
    if len(pts) < 4:
        return False
    x0, top, x1, bottom = _bbox(curve)
    tol = 0.08 * (x1 - x0) + 0.3
    near = all(min(abs(px - x0), abs(px - x1), abs(py - top), abs(py - bottom)) <= tol for px, py in pts)
    closed = abs(pts[0][0] - pts[-1][0]) <= tol and abs(pts[0][1] - pts[-1][1]) <= tol
    return near and closed


def _dark(obj: dict) -> bool:
    """Filled with a colour a person sees as a filled box (not white, not a pale shading)."""
    colour = obj.get("non_stroking_color")
    if colour is None:
        return False
    values = list(colour) if isinstance(colour, (list, tuple)) else [colour]
    if not values or not all(isinstance(v, (int, float)) for v in values):
        return False
    if len(values) == 1:
        light = float(values[0])
    elif len(values) == 3:
        light = 0.299 * values[0] + 0.587 * values[1] + 0.114 * values[2]
    elif len(values) == 4:
        light = 1.0 - min(1.0, 0.3 * values[0] + 0.59 * values[1] + 0.11 * values[2] + values[3])
    else:
        return False
    return light < 0.6


def _centre_in(it: Item, x0: float, top: float, x1: float, bottom: float) -> bool:
    cx, cy = (it.x0 + it.x1) / 2, (it.top + it.bottom) / 2
    return x0 - 0.5 <= cx <= x1 + 0.5 and top - 0.5 <= cy <= bottom + 0.5


def _within(obj: dict, x0: float, top: float, x1: float, bottom: float, tol: float = 1.0) -> bool:
    return (float(obj["x0"]) >= x0 - tol and float(obj["x1"]) <= x1 + tol
            and float(obj["top"]) >= top - tol and float(obj["bottom"]) <= bottom + tol)


# ---------------------------------------------------------------- tables

def _open_sides(v_edges: list[dict], h_edges: list[dict]) -> list[dict]:
    """Vertical edges a table's open side lacks: where its row rules end together beyond every vertical rule.

    Tables drawn without outer side borders, and a spreadsheet printed wider than
    the page (its last column's right border falls on the next page, the rules stop
    at the margin), still have their last column: its text must stay in its row.
    Vertical rules are looked up in bands of the page's height (:class:`_VerticalIndex`),
    so a drawing of thousands of lines costs in proportion to its lines, not their square.
    """
    index = _VerticalIndex(v_edges)
    rules = [e for e in h_edges if index.crosses(e)]  # row rules, not underlines or strikes
    out: list[dict] = []
    for end in ("x1", "x0"):
        groups: dict[int, list[dict]] = {}
        for e in rules:
            groups.setdefault(round(float(e[end]) / 3), []).append(e)
        for group in groups.values():
            if len(group) < 2:
                continue
            x = sum(float(e[end]) for e in group) / len(group)
            top, bottom = min(float(e["top"]) for e in group), max(float(e["bottom"]) for e in group)
            crossing = index.overlapping(top - 1, bottom + 1)
            inner = [v for v in crossing if (float(v["x0"]) < x - 6 if end == "x1" else float(v["x0"]) > x + 6)]
            if inner and not any(abs(float(v["x0"]) - x) <= 3 for v in crossing):
                out.append({**inner[0], "x0": x, "x1": x, "top": top, "bottom": bottom, "height": bottom - top})
    return out


class _VerticalIndex:
    """Vertical edges by bands of ``BAND`` points of height, each band's edges sorted by x."""

    BAND = 24.0

    def __init__(self, v_edges: list[dict]) -> None:
        import bisect

        self._bisect = bisect
        self.bands: dict[int, tuple[list[float], list[dict], list[int]]] = {}
        spans: dict[int, list[tuple[float, int, dict]]] = {}
        for n, v in enumerate(v_edges):
            for band in range(int((float(v["top"]) - 1) // self.BAND), int((float(v["bottom"]) + 1) // self.BAND) + 1):
                spans.setdefault(band, []).append((float(v["x0"]), n, v))
        for band, items in spans.items():
            items.sort(key=lambda item: (item[0], item[1]))
            self.bands[band] = ([x for x, _, _ in items], [v for _, _, v in items], [n for _, n, _ in items])

    def crosses(self, h: dict) -> bool:
        """Whether a vertical edge crosses ``h`` (inside its ends by more than 3 points)."""
        y, x0, x1 = float(h["top"]), float(h["x0"]) + 3, float(h["x1"]) - 3
        xs, vs, _ = self.bands.get(int(y // self.BAND), ([], [], []))
        i = self._bisect.bisect_right(xs, x0)
        while i < len(xs) and xs[i] < x1:
            v = vs[i]
            if float(v["top"]) - 1 <= y <= float(v["bottom"]) + 1:
                return True
            i += 1
        return False

    def overlapping(self, top: float, bottom: float) -> list[dict]:
        """The vertical edges reaching into ``top``–``bottom``, each once, in the order they were given."""
        seen: dict[int, dict] = {}
        for band in range(int(top // self.BAND), int(bottom // self.BAND) + 1):
            _, vs, ns = self.bands.get(band, ([], [], []))
            for n, v in zip(ns, vs):
                if float(v["top"]) <= bottom and float(v["bottom"]) >= top:
                    seen.setdefault(n, v)
        return [seen[n] for n in sorted(seen)]


#: rules on one page beyond which no table is searched: pdfplumber pairs every vertical rule with
#: every horizontal one; a form's tables have a few hundred, a technical drawing tens of thousands
MAX_TABLE_EDGES = 4_000


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
    if len(v_edges) + len(h_edges) > MAX_TABLE_EDGES:
        return []  # a drawing, not a form's table: its text is read line by line
    v_edges += _open_sides(v_edges, h_edges)
    if len(v_edges) < 2 or len(h_edges) < 2:
        return []
    settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                "explicit_vertical_lines": v_edges, "explicit_horizontal_lines": h_edges,
                "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3,
                "edge_min_length": 3}
    return [list(t.cells) for t in page.find_tables(settings) if t.cells]
