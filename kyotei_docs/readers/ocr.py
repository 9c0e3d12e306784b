"""Scanned Form 1 (``--ocr``): Tesseract reads the words, the image decides the checkboxes.

OCR reads ☒ as 「図」 and ☐ as 「口」 with high confidence (``docs/pitfalls.md``),
so checkbox states never come from OCR text.  Instead the page image is
searched for box-shaped outlines (a square of thin dark lines, the size of a
character or a little more) and a box counts as ticked when enough dark
pixels lie inside it; radio buttons (rings, the chosen one with a dot), solid
marks (■ ●) and pen ticks become boxes too.  The boxes are then painted white before Tesseract runs,
so they cannot turn into characters.  Table rules are found in the image the
same way (long dark runs) and give the same cell grid a text PDF has, so the
one layout model (:mod:`.layout`) and the one extractor read the result.

Everything read here is marked ``pdf:ocr`` and the document carries the
``ocr_used`` warning: a person must compare it with the original.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import UnreadableError
from ..form import Box, FormDoc
from .layout import Item, PageLayout, TableState, arrange, blocks_of

SOURCE = "pdf:ocr"
#: Tesseract's language data for the words: ``jpn`` read best of what Debian ships (bench/bench_ocr.py)
LANG = "jpn"
DPI = 300
#: share of dark pixels inside a box (border excluded) from which it counts as ticked
TICK_SHARE = 0.04
#: share of a box's side kept clear of its frame when looking for a tick inside
CORE_INSET = 0.2
_DARK = 128
#: largest page image OCR works on (an A4 page at 300 dpi is 8.7 million)
MAX_PIXELS = 35_000_000


@lru_cache(maxsize=1)
def tesseract_languages() -> frozenset[str]:
    """The language data Tesseract has (``jpn``, ``jpn_vert``, ``osd`` …); empty without Tesseract."""
    exe = shutil.which("tesseract")
    if not exe:
        return frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset((out.stdout + out.stderr).split())


def tesseract_available() -> bool:
    return "jpn" in tesseract_languages()


@dataclass(frozen=True)
class ImageBox:
    """A checkbox found in the page image (pixels)."""

    x0: int
    top: int
    x1: int
    bottom: int
    checked: bool
    #: a tick drawn by hand (coloured pen, or black strokes thicker than print), not a printed box
    #: (:func:`page_boxes`)
    pen: bool = False
    #: a tick beside a box rather than in it, or over two: which option it marks is a person's call
    ambiguous: bool = False
    #: the pixels the tick's strokes cover (x0, top, x1, bottom), painted out before OCR; None = the box
    reach: tuple[int, int, int, int] | None = None
    #: a tick standing on a printed box (found, or hidden by the strokes): the box is painted out too
    boxed: bool = False


def read_scan(path: str, pages: list[Any], seconds: float = 300.0) -> FormDoc:
    """OCR every page (pdfplumber pages) into a FormDoc marked for human review.

    ``seconds`` bounds the Tesseract runs together: a Tesseract process would
    outlive the reading process that the sandbox kills.
    """
    if not tesseract_available():
        raise UnreadableError("ocr_unavailable")

    def images() -> Iterator[tuple[Any, float]]:
        for page in pages:
            width_in, height_in = float(page.width) / 72, float(page.height) / 72
            # an odd page size must not become a gigantic image: at most ~35 million pixels
            dpi = int(min(DPI, (MAX_PIXELS / max(width_in * height_in, 1e-6)) ** 0.5))
            if dpi < 100:
                raise UnreadableError("ocr_failed", detail=f"page {width_in:.0f} x {height_in:.0f} in")
            image = page.to_image(resolution=dpi).original
            yield image, float(page.width) / image.width

    return read_images(path, "pdf", images(), seconds, photo=False)


#: resolution and share of the page (from its top) of the cheap look at a scan before it is read
PROBE_DPI = 100
PROBE_SHARE = 0.3
#: mean word confidence (Tesseract's 0–100) of the upright look from which the page is taken to lie
#: upright: a Form 1 scan at 100 dpi reads at ~55, the same page upside down at ~25, noise below 10
UPRIGHT_CONFIDENCE = 45
#: words the upright look must have read for its confidence to count
UPRIGHT_WORDS = 20
#: how much darker than its paper a pixel of the look must be to count as a mark, and the share of a
#: page's pixels that must be marks for it to hold anything to read: a blank sheet's dust and a
#: scanner's noise stay far below, the sparsest Form 1 has ~0.9 % (bench/RESULTS.md)
PROBE_CONTRAST = 64
PROBE_MARKS = 0.001
#: the look's Tesseract: one block of lines, no second reading of weak lines as white-on-black
#: (``tessedit_do_invert``: a page of speckle or a sheet upside down is all weak lines, and reading
#: each twice took ~40 % of the look; printed forms have no light-on-dark words to lose)
_LOOK = ["--psm", "6", "--dpi", str(PROBE_DPI), "-c", "tessedit_do_invert=0", "tsv"]


def may_be_form1(pages: list[Any], seconds: float = 30.0) -> bool:
    """Could a scan (its first pdfplumber pages) be Form 1?  A cheap look before minutes of OCR.

    Form 1's title and 「様式１」 stand in the top part of its page: the top
    30 % of the first two pages (a cover letter may come first), at 100 dpi,
    is read as it lies and, in a second Tesseract process run at the same
    time, turned over (a sheet fed upside down).  Each takes about half a
    second of CPU; together they take that on two cores.  When the upright
    look has read words with confidence (the page lies upright) and none of
    Form 1, the turned one is stopped: it could only read that page's foot.
    Any word of Form 1 (``vocab.may_be_form1``) and the file is read in full;
    a failure to look says yes.  A page with no marks at all (a blank sheet)
    is not looked at.  A first page whose lines run down it (a sheet fed
    sideways, :func:`_lines_run_down`) is looked at turned a quarter each way
    first, then as it lies and turned over: a page judged wrongly costs two
    more looks, never a refusal.

    The look uses Pillow only (numpy and OpenCV, ~0.15 s to import, wait for
    the full read): the red channel is the page with its seals gone — red
    ink is as light as paper there, black and blue print stay dark.
    """
    return may_be_form1_images([page.to_image(resolution=PROBE_DPI).original for page in pages[:2]], seconds)


def may_be_form1_images(images: list[Any], seconds: float = 30.0) -> bool:
    """:func:`may_be_form1` of page images (PIL) at :data:`PROBE_DPI`: a PDF's pages drawn, or an image
    file's first page once prepared (the sheet cut out of a photo, turned as OSD says)."""
    from ..vocab import may_be_form1 as hint

    greys = [g for g in (_look_image(image) for image in images[:2]) if g is not None]
    if not greys:
        return False   # blank pages: nothing on them could be Form 1
    turns = ((90, 270), (0, 180)) if _lines_run_down(greys[0]) else ((0, 180),)
    limit = min(seconds, 30.0)
    deadline = time.monotonic() + limit
    for pair in turns:
        said = _look_both(greys, pair, hint, deadline, limit)
        if said is not None:
            return said
    return False


def _look_both(greys: list[Any], turns: tuple[int, int], hint: Any, deadline: float, limit: float) -> bool | None:
    """The look of :func:`may_be_form1` with the pages turned (clockwise degrees) two ways at once: True (a
    word of Form 1), False (the first way read with confidence and none), None (no word either way)."""
    from PIL import Image

    turned = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    with tempfile.TemporaryDirectory(prefix="kyotei-probe-") as tmp:
        looks: list[subprocess.Popen[str]] = []
        try:
            for turn in turns:
                parts = []
                for grey in greys:
                    page = grey.transpose(turned[turn]) if turn else grey
                    parts.append(page.crop((0, 0, page.width, int(page.height * PROBE_SHARE))))
                looks.append(_start_tesseract([_image_list(Path(tmp), f"turn{turn}", parts), "stdout", "-l", LANG,
                                               *_LOOK]))
            words = _tsv_words(_finish_tesseract(looks[0], deadline, limit))
            if hint(" ".join(w for w, _ in words)):
                return True
            sure = [c for _, c in words if c >= 0]
            if len(sure) >= UPRIGHT_WORDS and sum(sure) / len(sure) >= UPRIGHT_CONFIDENCE:
                return False   # read upright with confidence, and not Form 1
            found = hint(" ".join(w for w, _ in _tsv_words(_finish_tesseract(looks[1], deadline, limit))))
            return True if found else None
        except UnreadableError:
            return True
        finally:
            _stop(looks)


def _paper(grey: Any) -> int:
    """The brightness of a grey page's paper: the level half its pixels are at least as bright as."""
    counts = grey.histogram()
    total, seen = sum(counts), 0
    for level in range(255, -1, -1):
        seen += counts[level]
        if seen * 2 >= total:
            return level
    return 255


def _look_image(image: Any) -> Any | None:
    """The page for :func:`may_be_form1`: its red channel (seals gone), or None when it bears no marks."""
    grey = (image if image.mode == "RGB" else image.convert("RGB")).getchannel("R")
    counts = grey.histogram()
    marks = sum(counts[:max(0, _paper(grey) - PROBE_CONTRAST)])
    return grey if marks >= PROBE_MARKS * sum(counts) else None


#: how much longer a page's runs of marks must be down it than across it for its lines to count as
#: running down it: Form 1 upright runs across 1.07–27× as long as down (bench/RESULTS.md), lying on
#: its side 0.04–0.47× (two retyped forms' 0.6 and 0.9 are not caught: they get today's two looks)
DOWN_SHARE = 0.5


def _lines_run_down(grey: Any) -> bool:
    """Do the page's lines run down it (a horizontal page lying on its side)?

    At a quarter of the look's resolution (~25 dpi) the characters of a
    line of print touch, and the lines stay apart: its marks form long runs
    along the lines and short ones across them.  The runs are weighted by
    their length (a long rule counts as much as the line it underlines).
    """
    from PIL import Image

    cut = _paper(grey) - PROBE_CONTRAST
    marks = grey.point(lambda v: 255 if v < cut else 0)
    small = marks.resize((max(1, grey.width // 4), max(1, grey.height // 4)), Image.Resampling.BOX)
    small = small.point(lambda v: 255 if v >= 32 else 0)
    return _run_length(small) < DOWN_SHARE * _run_length(small.transpose(Image.Transpose.TRANSPOSE))


def _run_length(marks: Any) -> float:
    """The mean length of the runs of marks (255) along the rows of a 0/255 image, each weighted by its length."""
    from PIL import ImageOps

    rows = ImageOps.expand(marks, (0, 0, 1, 0), fill=0).tobytes()   # a gap closes each row
    runs = [len(run) for run in rows.split(b"\0") if run]
    total = sum(runs)
    return sum(n * n for n in runs) / total if total else 0.0


def _image_list(tmp: Path, name: str, parts: list[Any]) -> str:
    """Save ``parts`` in ``tmp`` and return the file that lists them (Tesseract reads each).

    As PGM: the uncompressed format costs nothing to write (a PNG ~25 ms a part)."""
    names = []
    for k, part in enumerate(parts):
        path = tmp / f"{name}{k}.pgm"
        part.save(path)
        names.append(str(path))
    listing = tmp / f"{name}.txt"
    listing.write_text("\n".join(names) + "\n", encoding="utf-8")
    return str(listing)


def _tsv_words(tsv: str) -> list[tuple[str, float]]:
    """The words of Tesseract's TSV with their confidence (-1 where it gives none)."""
    words = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 12 and cols[11].strip():
            try:
                conf = float(cols[10])
            except ValueError:
                conf = -1.0
            words.append((cols[11].strip(), conf))
    return words


def read_images(path: str, fmt: str, pages: Iterable[tuple[Any, float]], seconds: float = 300.0, *,
                photo: bool = True, look: bool = False) -> FormDoc:
    """OCR page images ``(PIL image, PDF points per pixel)`` into a FormDoc marked for review.

    Each page is prepared first (:mod:`.scanprep`: seals removed, the sheet
    cut out of a photo when ``photo``, turned upright, straightened).  The
    points per pixel keep the layout model in points, as for a text PDF.
    ``look``: the first page, prepared, is looked at for Form 1's words
    (:func:`may_be_form1_images`) before it is read — a photo of a letter is
    refused as ``not_form1`` in seconds, not after a minute of reading.
    """
    if not tesseract_available():
        raise UnreadableError("ocr_unavailable")
    try:
        return _read_images(path, fmt, pages, seconds, photo, look)
    except UnreadableError as exc:
        if exc.code != "timeout":
            raise
        # each step was given what was left of the time, and said that: 「制限時間（-2.51897 秒）」 when the
        # page's preparation had used it up; staff are told the limit they can set ([limits] ocr_seconds)
        raise UnreadableError("timeout", seconds=f"{seconds:g}") from exc


def _read_images(path: str, fmt: str, pages: Iterable[tuple[Any, float]], seconds: float, photo: bool,
                 look: bool) -> FormDoc:
    """:func:`read_images` within ``seconds`` (Tesseract available)."""
    from .scanprep import prepare

    deadline = time.monotonic() + seconds
    layouts: list[PageLayout] = []
    state = TableState()
    for index, (image, scale) in enumerate(pages):
        left = deadline - time.monotonic()
        if left <= 0:
            raise UnreadableError("timeout", seconds=f"{seconds:g}")
        prepared = prepare(image, photo_search=photo, seconds=left)
        grey = prepared.grey
        if grey.size != image.size:  # cut out of a photo (A4 at 300 dpi) or turned on its side
            scale = 72.0 / DPI
        dpi = max(72, round(72.0 / scale))
        if look and index == 0:
            from PIL import Image

            small = grey.resize((max(1, round(grey.width * PROBE_DPI / dpi)), max(1, round(grey.height * PROBE_DPI / dpi))),
                                Image.Resampling.BOX)
            if not may_be_form1_images([small], deadline - time.monotonic()):
                raise UnreadableError("not_form1")
        layouts.append(layout_image(grey, index, scale, state, dpi, deadline - time.monotonic(), prepared.pen))
        if time.monotonic() > deadline:  # the image work before Tesseract counts too
            raise UnreadableError("timeout", seconds=f"{seconds:g}")
    return FormDoc(path=path, format=fmt, blocks=blocks_of(layouts, SOURCE, glyphs=False),
                   warnings=["ocr_used"])


def layout_image(image: Any, index: int, scale: float, state: TableState, dpi: int = DPI,
                 seconds: float = 300.0, pen: Any = None) -> PageLayout:
    """Boxes, table cells and OCR text of one prepared page image; ``scale`` = PDF points per pixel.

    Ticks and rules are taken from the image and painted out; then the text
    outside the tables and each table cell are recognised apart
    (:func:`recognise`), so a line in a cell is never run together with its
    label or the next cell.
    """
    from .scanprep import binarise

    flat, binary = binarise(image.convert("L"))
    strokes = pen_strokes(binary, dpi, pen)
    boxes = page_boxes(binary, dpi, pen, strokes)
    for b in boxes:  # boxes must not become 「口」 or 「図」, nor a pen's tick 「レ」 (its strokes only: text runs under it)
        for img in (binary, flat):
            if b.pen:
                x0, top, x1, bottom = b.reach or (b.x0, b.top, b.x1, b.bottom)
                area = (x0, top, x1 + 1, bottom + 1)
                img.paste(255, area, mask=strokes.crop(area))
                if b.boxed:  # what is left of the frame must not become 「」 or 「口」
                    img.paste(255, (b.x0 - 2, b.top - 2, b.x1 + 3, b.bottom + 3))
            else:
                img.paste(255, (b.x0 - 2, b.top - 2, b.x1 + 3, b.bottom + 3))
    h_lines, v_lines, rules = find_rules(binary, dpi)
    rules = frame_remnants(binary, rules, h_lines, v_lines, dpi)
    tables_px = _table_cells(h_lines, v_lines, 1.0, tol=3 * dpi / 72)
    binary, flat = _painted_out(binary, rules), _painted_out(flat, rules)  # rules are not text either
    cells_px = [c for t in tables_px for c in t]
    items = [Item(text, x0 * scale, x1 * scale, top * scale, bottom * scale, size * scale)
             for text, x0, top, x1, bottom, size in recognise(flat, cells_px, dpi, seconds, binary)]
    marks = []
    for b in boxes:
        glyph = "☑" if b.checked else "☐"
        marks.append(Item(glyph, b.x0 * scale, b.x1 * scale, b.top * scale, b.bottom * scale,
                          (b.bottom - b.top) * scale, Box(b.checked, SOURCE, glyph, conflict=b.ambiguous)))
    snap_options(items, marks)
    items += marks
    cells = [[(x0 * scale, top * scale, x1 * scale, bottom * scale) for x0, top, x1, bottom in t] for t in tables_px]
    width, height = image.size
    layout = PageLayout(index, width * scale, height * scale, [])
    layout.regions = arrange(items, cells, state, index, height * scale, width * scale)
    for region in layout.regions:
        for line in region.lines:
            snap_label(line.items)
    return layout


def _options() -> list[str]:
    from ..vocab import AGREEMENT_TYPES, ALL_FIELDS

    return sorted((o for o in (*AGREEMENT_TYPES.values(), *ALL_FIELDS) if len(o) >= 3), key=len, reverse=True)


def snap_options(chars: list[Item], boxes: list[Item]) -> None:
    """The words printed after a box are one of the form's options: OCR's near miss is set right.

    Tesseract reads 「災害対策」 as 「炎害対策」; the box is found, its option is
    not.  Words that start right after a box and differ from a printed option
    (of three characters or more) in one character become that option.  Only
    there: a value (a name, a purpose) is never changed, and every OCR value
    is a review item anyway.
    """
    options = _options()
    runs: dict[int, list[Item]] = {}
    for box in boxes:
        height = box.bottom - box.top
        line = sorted((c for c in chars if c.x0 >= box.x1 - 0.2 * height
                       and min(c.bottom, box.bottom) - max(c.top, box.top) >= 0.4 * height), key=lambda c: c.x0)
        run: list[Item] = []
        edge = box.x1
        for c in line:
            if c.x0 - edge > 1.5 * max(c.size, height) or any(edge <= b.x0 <= c.x0 for b in boxes if b is not box):
                break
            run.append(c)
            edge = c.x1
        runs[id(box)] = run
        text = "".join(c.text for c in run)
        if any(text.startswith(option) for option in options):
            continue
        near = [o for o in options if len(run) >= len(o) and sum(a != b for a, b in zip(text[:len(o)], o)) == 1]
        if len(near) == 1:  # two options as near: left as read
            for c, ch in zip(run, near[0]):
                c.text = ch
    _snap_pairs(boxes, runs)


#: options that come as a pair on one line, each a single character: the other one's box says which
#: one a garbled character is (「☐有 ☑舞」: 「舞」 beside 有's box is 無)
PAIRS = (("有", "無"),)


def _snap_pairs(boxes: list[Item], runs: dict[int, list[Item]]) -> None:
    """One character after a box, on a line with exactly one other box whose word is one of a pair, is the other.

    Single characters are never snapped alone (any one character is one off
    「有」); here the line itself says which pair is printed.
    """
    for box in boxes:
        run = runs.get(id(box), [])
        height = box.bottom - box.top
        mates = [b for b in boxes if b is not box and min(b.bottom, box.bottom) - max(b.top, box.top) >= 0.4 * height]
        if len(run) != 1 or len(mates) != 1:
            continue
        other = "".join(c.text for c in runs.get(id(mates[0]), []))
        for pair in PAIRS:
            if other in pair and run[0].text not in pair:
                run[0].text = pair[1 - pair.index(other)]


@lru_cache(maxsize=1)
def _label_keys() -> dict[int, list[str]]:
    from ..vocab import LABEL_KEYS

    by_length: dict[int, list[str]] = {}
    for k, _ in LABEL_KEYS:
        if len(k) >= 3:
            by_length.setdefault(len(k), []).append(k)
    return by_length


def snap_label(items: list[Item]) -> None:
    """A line that is a printed label but for one character (「部著名」 for 「部署名」) becomes that label.

    Only a whole line, or what stands before its first colon (「所在地：…」),
    and only labels of three characters or more; the characters compared are
    those the label key keeps (:func:`~kyotei_docs.vocab.key`), so a
    letter-spaced 「部　署　名」 is compared as 「部署名」.
    """
    from ..vocab import char_key

    visible = [it for it in items if it.box is None and char_key(it.text)]
    for k, it in enumerate(visible):
        if it.text in ":：":
            visible = visible[:k]
            break
    keys = [char_key(it.text) for it in visible]
    if not keys or any(len(c) != 1 for c in keys):
        return
    text = "".join(keys)
    labels = _label_keys().get(len(text), [])
    if text in labels:
        return
    near = [label for label in labels if sum(a != b for a, b in zip(label, text)) == 1]
    if len(near) == 1:  # two labels as near (代表者氏名, 代表者職名) leave it as read
        for it, ch, old in zip(visible, near[0], text):
            if ch != old:
                it.text = ch


def page_boxes(binary: Any, dpi: int = DPI, pen: Any = None, strokes: Any = None) -> list[ImageBox]:
    """The page's checkboxes, radio buttons (:func:`radio_marks`), solid marks (:func:`filled_marks`) and
    ticks drawn by hand, as boxes.

    A ballpoint or felt-pen tick drawn across a printed box hides its frame
    from :func:`find_boxes` (the frame's sides run on into the stroke); drawn
    beside an option it has no frame at all.  Hand-drawn strokes are told from
    print by their ink: coloured (``pen``, :func:`.scanprep.pen_ink`), or
    black and thicker than any printed stroke (``strokes``,
    :func:`pen_strokes`).  Such a stroke the size and shape of a tick
    (:func:`pen_ticks`) is a ticked box standing where its point is — the
    box it was drawn in — and replaces any box found there.  A tick whose
    point is beside a box rather than in it, or over two, is marked
    ``ambiguous``: the reading shows it as a mark conflict for a person
    (review item), never as a choice made for them.  Longer pen ink
    (handwriting) is left to the text.
    """
    boxes = find_boxes(binary, dpi)
    boxes += [b for b in radio_marks(binary, dpi) if not any(_overlap(b, o) for o in boxes)]
    boxes += [b for b in filled_marks(binary, dpi)
              if not any(b.x0 <= o.x1 and o.x0 <= b.x1 and b.top <= o.bottom and o.top <= b.bottom for o in boxes)]
    if strokes is None:
        strokes = pen_strokes(binary, dpi, pen)
    ticks = pen_ticks(strokes, dpi, boxes, binary) if strokes is not None else []
    if not ticks:
        return boxes
    kept = [b for b in boxes if not any(_overlap(b, t) for t in ticks)]
    return sorted(kept + ticks, key=lambda b: (b.top, b.x0))


def _overlap(a: ImageBox, b: ImageBox, share: float = 0.0) -> bool:
    """Do the two boxes overlap (by more than ``share`` of the smaller's width)?"""
    least = share * min(a.x1 - a.x0, b.x1 - b.x0)
    return min(a.x1, b.x1) - max(a.x0, b.x0) > least and a.top <= b.bottom and b.top <= a.bottom


def filled_marks(binary: Any, dpi: int = DPI) -> list[ImageBox]:
    """Solid squares and discs the size of a checkbox (■ ●): a chosen option, as a ticked box.

    Forms typed in Word often mark the choice by turning □ into ■; no
    character is a solid blob 2–6 mm across, so one is a mark.  A phone
    photo's blur nearly fills a dense character (「書」「園」「目」) too, but its
    paper is left in several holes; a mark holds at most one (a browser's
    checked box: the white tick in it).
    """
    import cv2
    import numpy as np

    ink = (np.asarray(binary) < 128).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    least, most = dpi * 2 / 25.4, dpi * 6 / 25.4
    return [ImageBox(int(x), int(y), int(x + w), int(y + h), True) for k, (x, y, w, h, area) in enumerate(stats[1:n], 1)
            if least <= w <= most and least <= h <= most and abs(w - h) <= 0.2 * w and area >= 0.72 * w * h
            and _holes(labels[y:y + h, x:x + w] == k) <= 1]


def _holes(own: Any) -> int:
    """How many holes of paper (each 0.5 % of the box or more: not a speck) the shape encloses."""
    import cv2
    import numpy as np

    contours, hierarchy = cv2.findContours(own.astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0
    least = 0.005 * own.shape[0] * own.shape[1]
    return sum(1 for c, (_, _, _, parent) in zip(contours, hierarchy[0]) if parent >= 0 and cv2.contourArea(c) >= least)


#: a radio button's ring across (mm): a browser's is about 3.4 mm, Word's ○ at 9–14 pt 3–5 mm, a form
#: printed to fit the page a little smaller
RING_MM = (2.2, 7.0)
#: share of a ring's inside that must be ink for the ring to hold something (a dot, a tick, a speck)
RING_INK = 0.025
#: round marks of a radio button's size on one page past which none is read as one: a form has a few
#: dozen; a page of thousands of rings (a pattern, a hostile image) was grouped pair by pair
RING_MAX = 400


@dataclass(frozen=True)
class _Round:
    """A round mark the size of a radio button (:func:`radio_marks`): a ring, or a solid disc."""

    x0: int
    top: int
    x1: int
    bottom: int
    #: a solid disc (●, or a blurred ◉ whose dot ran into its ring: little paper inside)
    disc: bool
    #: ink inside the ring
    marked: bool
    #: that ink is a dot in the middle: a chosen radio button (◉), nothing else
    dot: bool


def radio_marks(binary: Any, dpi: int = DPI) -> list[ImageBox]:
    """Radio buttons (○ not chosen, ◉ chosen) of a web form or a printed form, as boxes.

    A radio button is a thin ring 2–7 mm across; the chosen one holds a dot
    in its middle (its own blob, apart from the ring).  A ring alone could be
    a typed 「〇」 — which on a paper form *marks* the option it stands
    before — or a letter 「o」, so rings are taken for radio buttons only as a
    group: two or more round marks of one size in a row (each option's label
    between them) or in a column, at least one of them plainly chosen (a
    ring with a centred dot, or a solid disc).  Then each ring of the group
    is a box: ticked when it holds a dot; when it holds ink that is not a
    clean dot (a pen's tick, a ◎, a smudge) ticked and ``ambiguous`` — a
    mark conflict a person settles (review item), never a choice made for
    them.  A group without a plain choice is left to the text as before:
    「〇福祉　〇子育て」 typed as marks must not become two empty boxes.
    A solid disc (●, or a photo's blurred ◉ whose dot ran into the ring) is
    a chosen member; alone it is :func:`filled_marks`'.
    """
    import cv2
    import numpy as np

    ink = (np.asarray(binary) < 128).astype(np.uint8)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if hierarchy is None:
        return []
    tree = hierarchy[0]
    least, most = dpi * RING_MM[0] / 25.4, dpi * RING_MM[1] / 25.4
    found: list[_Round] = []
    for i, contour in enumerate(contours):
        if tree[i][3] >= 0:
            continue  # a hole's outline
        x, y, w, h = cv2.boundingRect(contour)
        if not (least <= w <= most and least <= h <= most and abs(w - h) <= 0.15 * max(w, h)):
            continue
        if not _round(contour, w, h):
            continue  # a square (☐, 「口」) or any other shape
        holes = []
        child = tree[i][2]
        while child >= 0:
            holes.append(child)
            child = tree[child][0]
        area = cv2.contourArea(contour)
        hole = max(holes, key=lambda k: cv2.contourArea(contours[k]), default=None)
        hole_area = cv2.contourArea(contours[hole]) if hole is not None else 0.0
        paper = sum(cv2.contourArea(contours[k]) for k in holes)
        hx, hy, hw, hh = cv2.boundingRect(contours[hole]) if hole is not None else (x, y, w, h)
        if hole is None or hole_area < 0.3 * area or not _round(contours[hole], hw, hh) \
                or abs((hx + hw / 2) - (x + w / 2)) > 0.15 * w or abs((hy + hh / 2) - (y + h / 2)) > 0.15 * h:
            if paper <= 0.25 * area and len(found) < RING_MAX:  # solid: a disc, or a blurred ◉ whose dot ran into its ring
                found.append(_Round(x, y, x + w - 1, y + h - 1, True, True, True))
            continue  # else a thick 「o」, a letter with a bowl, a ring with something run into it
        assert hole is not None
        if len(found) >= RING_MAX:
            return []  # left to the text, as rings none of which is plainly chosen are
        outline: Any = np.zeros((h, w), np.uint8)
        cv2.drawContours(outline, [contours[hole]], 0, 1, thickness=-1, offset=(-x, -y))
        inside: Any = cv2.erode(outline, np.ones((3, 3), np.uint8), iterations=2)  # off the ring's inner edge (JPEG rings)
        held = ink[y:y + h, x:x + w] & inside
        marked = int(held.sum()) >= RING_INK * max(1, int(inside.sum()))
        found.append(_Round(x, y, x + w - 1, y + h - 1, False, marked, marked and _dot(held, hw, hh)))
    return _radio_groups(found)


def _round(contour: Any, w: int, h: int) -> bool:
    """Is the outline a circle: its area that of the ellipse in its box (π/4 of it, not a square's), and
    every point of it about as far from the middle (a 「凹」 has a circle's area share, not its outline)?"""
    import cv2
    import numpy as np

    share = cv2.contourArea(contour) / max(1, (w - 1) * (h - 1))
    if not 0.68 <= share <= 0.88:
        return False
    pts = contour.reshape(-1, 2).astype(np.float64)
    x0, y0 = pts.min(axis=0)
    # distances scaled to a circle (the box may be a little wider than tall)
    d = np.hypot((pts[:, 0] - x0 - (w - 1) / 2) / max(1, w - 1), (pts[:, 1] - y0 - (h - 1) / 2) / max(1, h - 1))
    return float(d.max() - d.min()) <= 0.2 * float(d.mean())


def _dot(held: Any, hw: int, hh: int) -> bool:
    """Is the ink inside a ring one solid blob in its middle, the size of a radio button's dot?"""
    import cv2
    import numpy as np

    n, labels, stats, centres = cv2.connectedComponentsWithStats(held, connectivity=8)
    if n < 2:
        return False
    k = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h, area = stats[k]
    if area < 0.9 * int(held.sum()):
        return False  # more than one thing inside
    cx, cy = centres[k]
    middle_x, middle_y = (held.shape[1] - 1) / 2, (held.shape[0] - 1) / 2
    return (0.2 * hw <= w <= 0.85 * hw and 0.2 * hh <= h <= 0.85 * hh and abs(w - h) <= 0.25 * max(w, h)
            and area >= 0.6 * w * h and abs(cx - middle_x) <= 0.15 * hw and abs(cy - middle_y) <= 0.15 * hh)


def _radio_groups(found: list[_Round]) -> list[ImageBox]:
    """The rings of :func:`radio_marks`' groups, as boxes (see there)."""
    parent = list(range(len(found)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, r in enumerate(found):
        for b in range(a + 1, len(found)):
            s = found[b]
            side = max(r.x1 - r.x0, s.x1 - s.x0) + 1
            if abs((r.x1 - r.x0) - (s.x1 - s.x0)) > 0.12 * side or abs((r.bottom - r.top) - (s.bottom - s.top)) > 0.12 * side:
                continue  # one group, one size
            dx, dy = abs(r.x0 + r.x1 - s.x0 - s.x1) / 2, abs(r.top + r.bottom - s.top - s.bottom) / 2
            in_row = dy <= 0.25 * side and dx >= 2 * side  # an option's label between them
            in_column = dx <= 0.15 * side and 1.2 * side <= dy <= 2.6 * side  # on consecutive lines
            if in_row or in_column:
                parent[root(a)] = root(b)
    groups: dict[int, list[_Round]] = {}
    for k, r in enumerate(found):
        groups.setdefault(root(k), []).append(r)
    out: list[ImageBox] = []
    for group in groups.values():
        if len(group) < 2 or not any(r.dot for r in group) or all(r.disc for r in group):
            continue  # a lone ring, rings none of which is plainly chosen (left to the text), or only discs
        out += [ImageBox(r.x0, r.top, r.x1, r.bottom, r.marked, ambiguous=r.marked and not r.dot) for r in group]
    return sorted(out, key=lambda b: (b.top, b.x0))


#: width from which a black stroke is a pen's, not print's: the bold title of Form 1 measures under
#: 0.55 mm at 300 dpi; a felt or gel pen's line 0.7 mm and more
THICK_MM = 0.65
#: a page whose thickest print (:func:`print_width`) is this share of :data:`THICK_MM` or more has print as
#: thick as a pen (a blurred photo): black pen strokes are told from print there by :data:`PHOTO_THICK`
THICK_PRINT = 0.8
#: on such a page, a black stroke is a pen's when it is this many times the thickest print's width
#: (a felt or gel pen's 0.9 mm line against a photo's blurred bold title) …
PHOTO_THICK = 1.3
#: … and runs on for this many of its widths (what survives of print at that width is where strokes
#: cross: blobs about one width across)
PHOTO_RUN = 3.0


def pen_strokes(binary: Any, dpi: int = DPI, pen: Any = None) -> Any:
    """Mask (PIL "L", 255) of ink drawn by hand: coloured pen (``pen``), and black strokes thicker than print.

    A morphological opening with a disc :data:`THICK_MM` across keeps only
    strokes at least that wide (print's hairlines and Mincho's strokes
    vanish).  On a page whose own print is nearly that thick
    (:data:`THICK_PRINT`, :func:`print_width`) — a phone photo, whose blur
    thickens every stroke — the disc is :data:`PHOTO_THICK` times the
    thickest print instead, and of what survives only strokes that run on
    (:data:`PHOTO_RUN` widths of ink) are kept: where a bold title's strokes
    cross, a blob as wide as a pen survives too, but never a stroke.  Solid
    printed marks (■ ●) survive: :func:`pen_ticks` leaves them to
    :func:`filled_marks`.  None when there is no such ink.
    """
    import cv2
    import numpy as np
    from PIL import Image

    ink = (np.asarray(binary) < 128).astype(np.uint8)
    k = max(3, round(dpi * THICK_MM / 25.4))
    widest = print_width(ink)
    photo = widest >= THICK_PRINT * k
    if photo:
        k = max(k, round(PHOTO_THICK * widest))
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, disc)
    if photo:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
        runs = np.zeros(n, np.uint8)
        runs[1:] = stats[1:, cv2.CC_STAT_AREA] >= PHOTO_RUN * k * k
        opened = runs[labels]
    thick = cv2.dilate(opened, np.ones((3, 3), np.uint8)) * 255
    if pen is not None:
        thick = np.maximum(thick, np.asarray(pen))
    if not thick.any():
        return None
    return Image.fromarray(thick.astype(np.uint8))


def print_width(ink: Any) -> float:
    """The width (pixels) of the page's thickest print: twice the 99th percentile of the distance to paper
    along the strokes' middles (a scan of Form 1 at 300 dpi: about 6; a phone photo: about 8)."""
    import cv2
    import numpy as np

    if not ink.any():
        return 0.0
    dist = cv2.distanceTransform(ink, cv2.DIST_L2, 3)
    ridge = (dist > 0) & (dist >= cv2.dilate(dist, np.ones((3, 3), np.uint8)))
    return 2.0 * float(np.percentile(dist[ridge], 99)) if ridge.any() else 0.0


#: tick-sized pen strokes level with option boxes looked at on one page (a form has a few dozen options;
#: looking for the frame a tick hides costs up to 0.16 s of CPU a stroke)
PEN_MARKS = 200


def pen_ticks(strokes: Any, dpi: int = DPI, boxes: list[ImageBox] | None = None,
              binary: Any = None) -> list[ImageBox]:
    """Tick-sized strokes of the hand-drawn ink, as ticked boxes where their point is.

    A component 2 to 15 mm each way that is neither solid (a printed ■ is a
    :func:`filled_marks`) nor closed round paper (a radio button's ring) is a
    tick or a cross.  It stands for a box of the
    usual size (that of ``boxes``, else 4 mm) around its point: the lowest
    ink of a tick (the point of a ✓ is drawn in the box, its long arm runs
    out of it), the middle of a cross.  Only in a row of options: level with
    a printed box of the usual size (``boxes``) — pen ink elsewhere is
    writing, or print thickened by a blur.  When the printed page (``binary``) shows the rest
    of a box's frame under the strokes (:func:`_hidden_frame`), the tick
    stands for that box.  When its place is not over a printed box but next
    to one (within a box's width), or over two, it is set on the nearest
    box marked ``ambiguous``: the extractor reports a mark conflict (a review
    item), and the option beside it is read ticked only for a person to
    confirm or correct.
    """
    import cv2
    import numpy as np

    mask = (np.asarray(strokes) > 0).astype(np.uint8)
    joined = cv2.dilate(mask, np.ones((5, 5), np.uint8))  # a tick's two strokes, a cross's two lines
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    least, most = dpi * 2 / 25.4, dpi * 15 / 25.4
    boxes = [b for b in boxes or [] if not b.pen]
    sides = sorted(b.x1 - b.x0 for b in boxes if not b.checked or b.x1 - b.x0 < dpi * 6 / 25.4)
    side = sides[len(sides) // 2] if sides else round(dpi * 4 / 25.4)
    # a form's option boxes share one size: a kanji taken for a box (a bold title's 「関」) does not make a row
    boxes = [b for b in boxes if abs((b.x1 - b.x0) - side) <= 0.3 * side]
    ticks: list[ImageBox] = []
    looked = 0
    for label, (x, y, w, h, _) in enumerate(stats[1:n], start=1):
        if not (least <= w <= most and least <= h <= most):
            continue
        # in a row of options or nowhere: wherever its point or a hidden frame falls, it is within the
        # strokes' reach and a box's side around them (a page of handwriting is no row of options)
        if not any(y - 2 * side <= (b.top + b.bottom) / 2 <= y + h + 2 * side for b in boxes):
            continue
        looked += 1
        if looked > PEN_MARKS:
            break  # a page of more strokes level with boxes than any form has ticks: the rest is not looked at
        own = (labels[y:y + h, x:x + w] == label) & (mask[y:y + h, x:x + w] > 0)
        if _solid(own) or _encloses(own):
            continue  # solid (■, a radio button's dot), or a ring (◉, a filled box with a white ✓): printed marks
        cx, cy, cross = _point(own)
        low = 0.5 if cross else 0.3  # a tick's point lies low in its box, a cross's middle in the middle
        point = ImageBox(int(x + cx - side // 2), int(y + cy - side * (1 - low)), int(x + cx + side // 2),
                         int(y + cy + side * low), True, pen=True, reach=(int(x), int(y), int(x + w), int(y + h)))
        frame = _hidden_frame(binary, mask, (int(x), int(y), int(x + w), int(y + h)), side) \
            if binary is not None else None
        if frame is not None and any(_overlap(ImageBox(*frame, False), b) for b in boxes):
            frame = None  # a box found whole: not hidden by these strokes, which may only stand beside it
        if frame is not None:  # the box the strokes hid: the tick is drawn in it
            point = ImageBox(*frame, True, pen=True, reach=point.reach, boxed=True)
        if not any(abs((b.top + b.bottom) - (point.top + point.bottom)) <= 1.2 * side for b in boxes):
            continue  # not in a row of options
        level = {id(b): min(point.bottom, b.bottom) - max(point.top, b.top) for b in boxes}
        under = [b for b in boxes if _overlap(point, b, 0.3) and level[id(b)] >= 0.5 * side]
        # a box above or below it half in reach, or one beside it in its row: either could be meant
        near = [b for b in boxes if b not in under and (
            (_overlap(point, b, 0.3) and level[id(b)] >= 0.25 * side)
            or (level[id(b)] >= 0.5 * side and (0 <= b.x0 - point.x1 <= side or 0 <= point.x0 - b.x1 <= side)))]
        if len(under) == 1 and not near:  # drawn in a box that was found: the tick stands exactly for it
            b = under[0]
            point = ImageBox(b.x0, b.top, b.x1, b.bottom, True, pen=True, reach=point.reach, boxed=True)
        elif len(under) > 1 or near:  # set on the nearest box, as a mark conflict a person settles
            b = min(under + near, key=lambda o: abs(o.x0 + o.x1 - point.x0 - point.x1)
                    + abs(o.top + o.bottom - point.top - point.bottom))
            point = ImageBox(b.x0, b.top, b.x1, b.bottom, True, pen=True, ambiguous=True, reach=point.reach,
                             boxed=True)
        ticks.append(point)
    return ticks


def _hidden_frame(binary: Any, strokes: Any, reach: tuple[int, int, int, int],
                  side: int) -> tuple[int, int, int, int] | None:
    """The box frame (x0, top, x1, bottom) a pen's strokes run across, from the rest of its outline.

    A tick drawn through a box hides pieces of its frame, and
    :func:`find_boxes` no longer sees a box.  Every square of the usual side
    placed over the tick's reach (and half a side around) is scored by the
    share of its outline that is printed ink, counting only the outline the
    strokes leave visible; the best square, if at least 90 % inked over at
    least half of its outline, is the box.
    """
    import cv2
    import numpy as np

    height, width = strokes.shape
    pad = side // 2
    x0, y0 = max(0, reach[0] - pad), max(0, reach[1] - pad)
    x1, y1 = min(width, reach[2] + pad), min(height, reach[3] + pad)
    hidden = cv2.dilate(strokes[y0:y1, x0:x1], np.ones((3, 3), np.uint8)) > 0
    ink = cv2.dilate((np.asarray(binary)[y0:y1, x0:x1] < 128).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    inked, seen = (ink & ~hidden).astype(np.int64), (~hidden).astype(np.int64)
    rows, cols = y1 - y0 - side + 1, x1 - x0 - side + 1  # the squares' top and left positions
    if rows <= 0 or cols <= 0:
        return None
    s = side - 1

    def outline(counts: Any) -> Any:
        """For every square (top, left): ``counts`` summed over its four sides, corners twice."""
        along = np.zeros((counts.shape[0], counts.shape[1] + 1), np.int64)  # sums along each row from the left
        along[:, 1:] = np.cumsum(counts, axis=1)
        down = np.zeros((counts.shape[0] + 1, counts.shape[1]), np.int64)  # sums down each column from the top
        down[1:, :] = np.cumsum(counts, axis=0)
        top = along[:rows, side:side + cols] - along[:rows, :cols]
        bottom = along[s:s + rows, side:side + cols] - along[s:s + rows, :cols]
        left = down[side:side + rows, :cols] - down[:rows, :cols]
        right = down[side:side + rows, s:s + cols] - down[:rows, s:s + cols]
        return top + bottom + left + right

    got, shown = outline(inked), outline(seen)
    enough = shown >= 2 * side
    share = np.full(got.shape, -1.0)
    np.divide(got, shown, out=share, where=enough)
    best = int(np.argmax(share))  # the first best square, row by row, as a scan from the top left finds it
    if share.flat[best] <= 0.9:
        return None
    top, left = divmod(best, cols)
    return x0 + left, y0 + top, x0 + left + s, y0 + top + s


def _solid(own: Any) -> bool:
    """Does the ink fill most of its own box (a ■, a dot ●), as no stroke drawn by hand does?"""
    import numpy as np

    ys, xs = np.nonzero(own)
    if not len(ys):
        return False
    return len(ys) >= 0.6 * (ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1)


def _encloses(own: Any) -> bool:
    """Does the shape enclose paper (more than a speck)?  A ✓ or ✗ drawn by hand is open; a ring is not."""
    import cv2
    import numpy as np

    contours, hierarchy = cv2.findContours(own.astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return False
    least = 0.02 * own.shape[0] * own.shape[1]
    return any(parent >= 0 and cv2.contourArea(c) >= least for c, (_, _, _, parent) in zip(contours, hierarchy[0]))


def _point(own: Any) -> tuple[float, float, bool]:
    """Where a tick points (its lowest ink; x and y in its box), or the middle of a cross (and True)."""
    import numpy as np

    ys, xs = np.nonzero(own)
    h, w = own.shape
    q, r = max(1, h // 4), max(1, w // 4)
    if own[:q, :r].any() and own[:q, -r:].any() and own[-q:, :r].any() and own[-q:, -r:].any():
        return w / 2, h / 2, True  # ink in all four corners: a cross
    low = ys >= ys.max() - max(2, h // 10)
    return float(xs[low].mean()), float(ys.max()), False


# ---------------------------------------------------------------- image analysis

def _runs(row: bytes, least: int, most: int | None = None) -> list[tuple[int, int]]:
    pattern = rb"\x00{%d,%s}" % (least, b"" if most is None else str(most).encode())
    return [(m.start(), m.end()) for m in re.finditer(pattern, row)]


def find_boxes(binary: Any, dpi: int = DPI, ink: Any = None) -> list[ImageBox]:
    """Square outlines 2–6 mm wide with thin sides and a clear margin inside.

    Top and bottom sides are horizontal dark segments of the same extent, one
    side-length apart; the vertical sides must be dark over most of the height.
    The margin test keeps box-like ideographs out: the strokes of 「田」 touch
    its frame, a tick in a checkbox stays clear of it.  ``ink`` (default
    ``binary``) is the image a tick is looked for in: the page with a pen's
    strokes, when the boxes are found on it without them.
    """
    width, height = binary.size
    data = binary.tobytes()
    segments = _segments(data, width, height, int(dpi * 2.0 / 25.4), int(dpi * 6 / 25.4))
    by_start: dict[int, list[tuple[int, list[int]]]] = {}
    for j, seg in enumerate(segments):
        by_start.setdefault(seg[2] // 8, []).append((j, seg))
    found: list[ImageBox] = []
    used: set[int] = set()
    for k, (t0, t1, s, e) in enumerate(segments):
        if k in used:
            continue
        side = e - s
        below = [(j, seg) for key in (s // 8 - 1, s // 8, s // 8 + 1) for j, seg in by_start.get(key, ())
                 if j != k and j not in used and abs(seg[2] - s) <= 3 and abs(seg[3] - e) <= 3
                 and abs((seg[1] - t0) - side) <= 0.2 * side]
        if not below:
            continue
        j, (b0, b1, s2, e2) = min(below, key=lambda p: abs((p[1][1] - t0) - side))
        x0, x1, top, bottom = min(s, s2), max(e, e2), t0, b1
        thick = max(t1 - t0, b1 - b0) + 1
        if not _is_box(data, width, x0, top, x1, bottom, thick):
            continue
        inner = thick + 1
        if _sides_touched(binary, x0 + inner, top + inner, x1 - inner, bottom - inner, max(2, side // 8)) >= 3 \
                or _sides_run_on(data, width, height, x0, x1, bottom, thick) \
                or _long_stroke(data, width, x0 + inner, top + inner, x1 - inner, bottom - inner):
            continue  # a character drawn in a frame (「田」「国」「固」), not a box
        used.update((k, j))
        # the middle of the inside decides: a blurred photo's frame is thicker than its top line measured,
        # and a tick or a cross always crosses the middle
        core = max(inner, round(CORE_INSET * side))
        checked = _ink(binary if ink is None else ink, x0 + core, top + core, x1 - core, bottom - core) >= TICK_SHARE
        found.append(ImageBox(x0, top, x1, bottom, checked))
    return _outermost(found)


def _outermost(boxes: list[ImageBox]) -> list[ImageBox]:
    """One box where two were found one inside the other (the inner and outer edge of a thick frame).

    The inner one's inside holds no frame; the outer one's does, and would
    read as ticked: the outer one is the box, ticked when either says so
    only if the inner one's inside — the real inside — holds ink.
    """
    out: list[ImageBox] = []
    for b in sorted(boxes, key=lambda b: (b.x1 - b.x0) * (b.bottom - b.top), reverse=True):
        cx, cy = (b.x0 + b.x1) / 2, (b.top + b.bottom) / 2
        host = next((k for k, o in enumerate(out) if o.x0 <= cx <= o.x1 and o.top <= cy <= o.bottom), None)
        if host is None:
            out.append(b)
        else:  # b is the inner edge of out[host]'s frame: its inside is the box's inside
            o = out[host]
            out[host] = ImageBox(o.x0, o.top, o.x1, o.bottom, b.checked)
    return sorted(out, key=lambda b: (b.top, b.x0))


def _segments(data: bytes, width: int, height: int, least: int, most: int) -> list[list[int]]:
    """Horizontal dark runs ``least``–``most`` pixels long, merged over consecutive rows.

    Each is ``[first row, last row, start, end]``; only thin ones (a line, not a
    blot) are kept, in reading order.
    """
    done: list[list[int]] = []
    open_: list[list[int]] = []
    for y in range(height):
        row = data[y * width:(y + 1) * width]
        still: list[list[int]] = []
        if b"\x00" * least in row:
            for s, e in _runs(row, least, most):
                if not ((s == 0 or row[s - 1] != 0) and (e == width or row[e] != 0)):
                    continue  # part of a longer run: a table rule
                for seg in open_:
                    if abs(seg[2] - s) <= 2 and abs(seg[3] - e) <= 2:
                        seg[1], seg[2], seg[3] = y, min(seg[2], s), max(seg[3], e)
                        open_.remove(seg)
                        still.append(seg)
                        break
                else:
                    still.append([y, y, s, e])
        done.extend(open_)
        open_ = still
    done.extend(open_)
    return [seg for seg in sorted(done) if seg[1] - seg[0] <= 6]


def _is_box(data: bytes, width: int, x0: int, top: int, x1: int, bottom: int, thick: int) -> bool:
    """Both vertical sides dark over most of the height, and as thin as the top and bottom."""
    height = bottom - top + 1
    for x in (x0, x1 - 1):
        best = 0
        for dx in range(-2, 3):
            col = [data[y * width + x + dx] == 0 for y in range(top, bottom + 1) if 0 <= x + dx < width]
            best = max(best, sum(col))
        if best < 0.85 * height:
            return False
    mid = (top + bottom) // 2
    row = data[mid * width + max(0, x0 - 2): mid * width + min(width, x1 + 2)]
    row = row.strip(b"\xff")  # the sides may sit a pixel or two inside the longer of top and bottom
    left = len(row) - len(row.lstrip(b"\x00"))
    right = len(row) - len(row.rstrip(b"\x00"))
    return 0 < left <= thick + 3 and 0 < right <= thick + 3 and len(row) >= 0.8 * (x1 - x0)


def _sides_touched(binary: Any, x0: int, top: int, x1: int, bottom: int, depth: int) -> int:
    """How many sides have ink in the middle third of the band ``depth`` pixels wide inside them.

    A character drawn in a frame (「田」「図」「団」) meets the frame with its strokes
    in the middle of three or four sides; a tick or a cross (☒) meets it at most
    at a corner or on one or two sides.
    """
    w, h = x1 - x0, bottom - top
    if w <= 3 * depth or h <= 3 * depth:
        return 4
    strips = ((x0 + w // 3, top, x1 - w // 3, top + depth), (x0 + w // 3, bottom - depth, x1 - w // 3, bottom),
              (x0, top + h // 3, x0 + depth, bottom - h // 3), (x1 - depth, top + h // 3, x1, bottom - h // 3))
    return sum(_ink(binary, *s) > 0.05 for s in strips)


def _sides_run_on(data: bytes, width: int, height: int, x0: int, x1: int, bottom: int, thick: int) -> bool:
    """Do both sides go on below the bottom line, as the frame of 「国」 or 「回」 does in Mincho?"""
    if bottom + 4 >= height:
        return False
    reach = thick + 5  # a serif may widen the top line a little beyond the side
    return all(b"\x00" in data[y * width + a:y * width + b] for y in (bottom + 2, bottom + 3)
               for a, b in ((max(0, x0), x0 + reach), (max(0, x1 - reach), x1)))


def _long_stroke(data: bytes, width: int, x0: int, top: int, x1: int, bottom: int) -> bool:
    """Strokes across most of the inside as a character has them in its frame (「田」「日」「国」「団」): two
    horizontal ones apart, or one with a vertical one.  Not a tick: a photo's blur may thicken a ✓'s
    base into one bar across the box, but a ✓ has no second bar and no upright stroke."""
    wide = b"\x00" * max(3, int(0.6 * (x1 - x0)))
    rows = [y for y in range(top, bottom) if wide in data[y * width + x0:y * width + x1]]
    if not rows:
        return False
    if rows[-1] - rows[0] + 1 > len(rows) + 1:
        return True  # two bars with paper between them
    tall = b"\x00" * max(3, int(0.6 * (bottom - top)))
    return any(tall in data[top * width + x:bottom * width + x:width] for x in range(x0, x1))


def _ink(binary: Any, x0: int, top: int, x1: int, bottom: int) -> float:
    if x1 <= x0 or bottom <= top:
        return 0.0
    hist = binary.crop((x0, top, x1, bottom)).histogram()
    return hist[0] / max(1, (x1 - x0) * (bottom - top))


Rule = tuple[int, int, int, int]


def find_rules(binary: Any, dpi: int = DPI) -> tuple[list[Rule], list[Rule], Any]:
    """Table rules, as (x0, top, x1, bottom) pixel boxes, and a mask of their pixels (to paint out).

    A rule is ink that survives a morphological opening with a line 15 mm
    long: text never holds a straight stroke that long.  The opening is done
    on the rule's own direction only, so a rule a little tilted (a photo's
    page is never warped perfectly flat) still survives in overlapping
    pieces that join into one component; a component much longer than it is
    thick is a rule.
    """
    import cv2
    import numpy as np

    ink = (np.asarray(binary) < 128).astype(np.uint8)
    least = int(dpi * 15 / 25.4)
    thick = dpi * 1.5 / 25.4  # a rule drawn 1.5 mm thick is a bar, not a rule; tilt adds to the height
    out: list[list[Rule]] = []
    mask: Any = np.zeros_like(ink)
    for kernel, horizontal in ((np.ones((1, least), np.uint8), True), (np.ones((least, 1), np.uint8), False)):
        opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        n, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
        found: list[Rule] = []
        for x, y, w, h, _area in stats[1:n]:
            length, across = (w, h) if horizontal else (h, w)
            if across <= thick + 0.02 * length:
                found.append((int(x), int(y), int(x + w - 1), int(y + h - 1)))
        out.append(found)
        mask = np.maximum(mask, opened)
    mask = cv2.dilate(mask, np.ones((5, 5), np.uint8))
    return out[0], out[1], mask


#: a straight vertical stroke at least this long is a frame's side, not writing: Form 1 is written
#: across, and no character of its text (28 pt at most) holds a stroke 10 mm tall
FRAME_SIDE_MM = 10.0
#: thickest piece of a broken rule: a rule's stroke, not a dot or a character
_REMNANT_MM = 0.5
#: a straight run this long on a rule's rows is the rule going on, never a character's stroke
_REMNANT_RUN_MM = 5.0


def frame_remnants(binary: Any, mask: Any, h_lines: list[Rule], v_lines: list[Rule], dpi: int = DPI) -> Any:
    """``mask`` (the rules' pixels) grown by what is left of frames that are not rules, so it is painted out too.

    A web form's rounded field is no table: its sides are shorter than a
    rule (:func:`find_rules`), and a field two lines tall has a side that
    reaches from the text's first line to below its last.  Left on the page,
    that side joined the value's line pieces into one tall band, read as a
    block (「観光と防災」 came out as 「と用」).  And where a red seal was
    removed, the grey rule under it is left in dashes that no opening joins;
    Tesseract read them as 「ーーージーー」 after the name.  So two more kinds
    of ink are frame, never writing: a straight thin vertical stroke
    :data:`FRAME_SIDE_MM` tall, and what lies on a rule's own rows (or
    columns) beyond its ends (:func:`_along_rules`).  A character crossing a
    rule's rows reaches above or below them, and stays.
    """
    import cv2
    import numpy as np

    ink = ((np.asarray(binary) < 128) & (mask == 0)).astype(np.uint8)
    side = int(dpi * FRAME_SIDE_MM / 25.4)
    thick = dpi * 1.5 / 25.4
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((side, 1), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    sides = np.zeros(n, bool)
    sides[1:] = stats[1:, 2] <= thick + 0.02 * stats[1:, 3]
    frame = sides[labels]
    frame |= _along_rules(ink, h_lines, dpi)
    frame |= _along_rules(ink.T, [(top, x0, bottom, x1) for x0, top, x1, bottom in v_lines], dpi).T
    if not frame.any():
        return mask
    return np.maximum(mask, cv2.dilate(frame.astype(np.uint8), np.ones((3, 3), np.uint8)))


def _along_rules(ink: Any, rules: list[Rule], dpi: int) -> Any:
    """Ink lying on the rows of a horizontal rule (``rules``), beyond its ends: the rule's broken rest.

    On the rule's rows (a little slack: a deskewed rule is never quite
    level), a piece no taller than :data:`_REMNANT_MM` is a dash of the broken
    rule, and a straight run :data:`_REMNANT_RUN_MM` long is the rule going
    on to a rounded corner (too short itself to be a rule).  For vertical
    rules call it on the transposed page.
    """
    import cv2
    import numpy as np

    frame = np.zeros(ink.shape, bool)
    if not rules:
        return frame
    thin = max(2, round(dpi * _REMNANT_MM / 25.4))
    slack = max(2, round(dpi * 0.25 / 25.4))
    run = np.ones((1, round(dpi * _REMNANT_RUN_MM / 25.4)), np.uint8)
    bands = sorted({(max(0, top - slack), min(ink.shape[0], bottom + slack + 1)) for _, top, _, bottom in rules})
    for a, b in bands:
        if b - a > 4 * thin:
            continue  # a thick or tilted rule: its rows hold more than the rule
        strip = ink[max(0, a - 1):b + 1]
        n, labels, stats, _ = cv2.connectedComponentsWithStats(strip, connectivity=8)
        inside = np.zeros(n, bool)
        off = 1 if a > 0 else 0
        inside[1:] = (stats[1:, 1] >= off) & (stats[1:, 1] + stats[1:, 3] <= off + b - a) & (stats[1:, 3] <= thin)
        dashes = inside[labels][off:off + b - a]
        frame[a:b] |= dashes | (cv2.morphologyEx(ink[a:b], cv2.MORPH_OPEN, run) > 0)
    return frame


def _painted_out(image: Any, mask: Any) -> Any:
    import numpy as np
    from PIL import Image

    arr = np.asarray(image).copy()
    arr[mask > 0] = 255
    return Image.fromarray(arr)


def _table_cells(h_lines: list, v_lines: list, scale: float,
                 tol: float = 3.0) -> list[list[tuple[float, float, float, float]]]:
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = []
    for x0, top, x1, bottom in h_lines:  # a tilted rule lies along its box's middle
        y = (top + bottom) / 2 * scale
        edges.append({"x0": x0 * scale, "x1": x1 * scale, "top": y, "bottom": y, "width": (x1 - x0) * scale,
                      "height": 0, "orientation": "h", "object_type": "line"})
    for x0, top, x1, bottom in v_lines:
        x = (x0 + x1) / 2 * scale
        edges.append({"x0": x, "x1": x, "top": top * scale, "bottom": bottom * scale, "width": 0,
                      "height": (bottom - top) * scale, "orientation": "v", "object_type": "line"})
    if not edges:
        return []
    edges = merge_edges(edges, tol, tol, tol, tol)
    cells = intersections_to_cells(edges_to_intersections(edges, tol, tol))
    return [t for t in cells_to_tables(cells) if t]


#: white margin around a cell's crop: Tesseract misses characters that touch the image's edge
_MARGIN = 16
#: what is cut off a cell's crop on each side: what is left of its rules after they were painted out
_INSET_MM = 0.6
#: share of dark pixels below which a crop holds nothing to read (specks left by a rule)
_EMPTY_SHARE = 0.0008


def recognise(page: Any, cells: list[tuple[float, float, float, float]], dpi: int = DPI,
              seconds: float = 300.0, binary: Any = None) -> list[tuple[str, int, int, int, int, int]]:
    """Characters (text, x0, top, x1, bottom, line height; page pixels) of the page and of each cell.

    The page outside the tables and every table cell are cut into their
    printed lines (:func:`line_bands`), and each line is recognised on its own
    (``--psm 7``, one line); a band two lines tall (lines that touch) is read
    as a block (``--psm 6``).  All go to one Tesseract process per mode as a
    file list, so the model is loaded once.  On the whole page at once
    Tesseract joined a label to the value in the next cell and dropped short
    lines (a date, a phone number, the last line of a cell) it took for noise.
    ``binary`` (the page in black and white, default ``page``) tells where the
    ink is.
    """
    from PIL import Image

    binary = page if binary is None else binary
    rest_ink = binary.copy()
    inset = 2
    regions: list[tuple[int, int, int, int]] = []
    for x0, top, x1, bottom in cells:
        rest_ink.paste(255, (int(x0), int(top), int(x1) + 1, int(bottom) + 1))
        box = (int(x0) + inset, int(top) + inset, int(x1) + 1 - inset, int(bottom) + 1 - inset)
        if box[2] - box[0] >= 4 and box[3] - box[1] >= 4:
            regions.append(box)
    lines: list[tuple[int, int, Any]] = []
    blocks: list[tuple[int, int, Any]] = []
    for region, ink in [((0, 0, *page.size), rest_ink)] + [(r, binary.crop(r)) for r in regions]:
        rx, ry = region[0], region[1]
        for top, bottom, left, right, tall in line_bands(ink, dpi):
            crop = page.crop((rx + left, ry + top, rx + right, ry + bottom))
            if region == (0, 0, *page.size):
                crop = _masked(crop, ink.crop((left, top, right, bottom)))
            (blocks if tall else lines).append((rx + left - _MARGIN, ry + top - _MARGIN, _framed(crop)))
    chars: list[tuple[str, int, int, int, int, int]] = []
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryDirectory(prefix="kyotei-ocr-") as tmp:
        for psm, crops in (("7", lines), ("6", blocks)):
            if not crops:
                continue
            readings: list[list[tuple[list[Scored], float]]] = [[] for _ in crops]
            runs = []
            for scale in SCALES:
                names = []
                for k, (_, _, img) in enumerate(crops):
                    name = Path(tmp) / f"p{psm}_{scale:g}_{k:03d}.png"
                    if scale != 1:
                        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))),
                                         Image.Resampling.LANCZOS)
                    img.save(name, dpi=(round(dpi * scale),) * 2)
                    names.append(str(name))
                listing = Path(tmp) / f"parts{psm}_{scale:g}.txt"
                listing.write_text("\n".join(names) + "\n", encoding="utf-8")
                runs.append((scale, [str(listing), "stdout", "-l", LANG, "--psm", psm, "--dpi",
                                     str(round(dpi * scale)), "tsv"]))
            for scale, out in zip(SCALES, _tesseract_all([a for _, a in runs], deadline - time.monotonic())):
                for part in range(len(crops)):
                    found, conf = _characters_scored(out, part + 1)
                    readings[part].append(([(t, round(x0 / scale), round(top / scale), round(x1 / scale),
                                             round(bottom / scale), round(h / scale), c)
                                            for t, x0, top, x1, bottom, h, c in found], conf))
            for (dx, dy, _), options in zip(crops, readings):
                chars.extend((t, x0 + dx, top + dy, x1 + dx, bottom + dy, h)
                             for t, x0, top, x1, bottom, h, _ in _vote(options))
    return chars


#: sizes each line is recognised at (1 = as scanned); the readings vote (:func:`_vote`)
SCALES = (1.0, 0.75, 1.5)


#: a character read by OCR: text, x0, top, x1, bottom, line height (pixels) and Tesseract's confidence
Scored = tuple[str, int, int, int, int, int, float]


def _vote(readings: list[tuple[list[Scored], float]]) -> list[Scored]:
    """The reading of one line that the readings at several sizes agree on most, character by character.

    Tesseract's reading of a line changes with the size of its image: the
    same 「災害」 comes out as 「炎害」 at one size and right at two others,
    and a single character alone in a cell (「有」) is dropped at one size
    and read with high confidence at another.  First the line: each distinct
    text scores the sum of the confidences of the readings that gave it; the
    highest wins (a tie: the first, read at the scanned size), an empty
    reading scores nothing.  Then each of its characters (ROVER's vote, the
    line's characters the skeleton): where another reading, aligned to it,
    holds another character in its place (a run of the same length
    replaced), and no other reading agrees with the line's, that character
    stands instead if Tesseract was far surer of it — by :data:`SURER`
    points of its confidence (0–100) —: three readings 「ゆきどけ怠」
    「ゆきどけ吾」「ゆきどけ台」 whose odd character scored 0, 0 and 82 give
    「台」 though the line of 「吾」 won.  A character two sizes agree on
    stands however unsure Tesseract was (it gives a rare kanji 0: 「北嶺」
    at 0 twice, 「北領」 at 78), and a smaller lead says nothing (「20昌」 at
    34 and 18, 「20日」 at 23: the line of 「日」 was right).  Characters left
    out stay as the winning line has them; characters another reading adds
    are taken where the winning line read nothing there (their boxes clear
    of its characters' — a small mark it dropped at its size, the bullet
    「・」 of a list) and Tesseract was sure of each as of writing, not dirt
    (:data:`_SURE_INK`: the other sizes may have read it too, and dropped it
    as a speck).  Every OCR value is still a review item.
    """
    score: dict[str, float] = {}
    for found, conf in readings:
        text = "".join(c[0] for c in found)
        score[text] = score.get(text, 0.0) + (conf if text else 0.0)
    best = max(score, key=lambda t: score[t])
    line = next(found for found, _ in readings if "".join(c[0] for c in found) == best)
    others: list[list[Scored]] = [[] for _ in line]  # what the other readings hold in each character's place
    holes: dict[int, list[Scored]] = {}  # characters another reading found where the line has no ink read
    for found, _ in readings:
        if found is line:
            continue
        other = "".join(c[0] for c in found)
        for op, i1, i2, j1, j2 in SequenceMatcher(None, best, other, autojunk=False).get_opcodes():
            if op in ("equal", "replace") and i2 - i1 == j2 - j1:
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    others[i].append(found[j])
            elif op == "insert" and _in_hole(found[j1:j2], line[i1 - 1] if i1 else None,
                                             line[i1] if i1 < len(line) else None) \
                    and min(c[6] for c in found[j1:j2]) >= _SURE_INK \
                    and sum(c[6] for c in found[j1:j2]) > sum(c[6] for c in holes.get(i1, [])):
                holes[i1] = found[j1:j2]
    chosen = list(line)
    for i, (mine, seen) in enumerate(zip(line, others, strict=True)):
        if seen and all(c[0] != mine[0] for c in seen):
            surest = max(seen, key=lambda c: c[6])
            if surest[6] >= mine[6] + SURER:
                chosen[i] = (surest[0], *mine[1:6], surest[6])
    for i in sorted(holes, reverse=True):
        chosen[i:i] = holes[i]
    return chosen


def _in_hole(chars: list[Scored], before: Scored | None, after: Scored | None) -> bool:
    """``chars`` stand between ``before`` and ``after`` (the winning line's neighbours), outside their boxes.

    By the characters' middles: a run's characters share its width evenly
    (:func:`_characters_scored`), so a bullet run together with the word
    after it reaches into that word's box.
    """
    first, last = (chars[0][1] + chars[0][3]) / 2, (chars[-1][1] + chars[-1][3]) / 2
    return (before is None or first >= before[3]) and (after is None or last <= after[1])


#: how much surer (Tesseract's confidence, 0–100) another size must be of a character to replace the winning line's
SURER = 50.0


def _tesseract_all(runs: list[list[str]], seconds: float) -> list[str]:
    """:func:`_tesseract` for several argument lists at once (one process each, side by side)."""
    procs: list[subprocess.Popen[str]] = []
    try:
        for args in runs:
            procs.append(_start_tesseract(args))
        deadline = time.monotonic() + seconds
        return [_finish_tesseract(proc, deadline, seconds) for proc in procs]
    finally:
        _stop(procs)


def _start_tesseract(args: list[str]) -> subprocess.Popen[str]:
    """One Tesseract process (one thread: several run side by side), its output read by
    :func:`_finish_tesseract`; every one started is ended by :func:`_stop`."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        return subprocess.Popen(["tesseract", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)
    except (OSError, subprocess.SubprocessError) as exc:
        raise UnreadableError("ocr_failed", detail=type(exc).__name__) from exc


def _finish_tesseract(proc: subprocess.Popen[str], deadline: float, seconds: float) -> str:
    """What ``proc`` wrote, waiting at most until ``deadline`` (``seconds`` is the bound the message names)."""
    try:
        out, err = proc.communicate(timeout=max(0.01, deadline - time.monotonic()))
    except subprocess.TimeoutExpired as exc:
        raise UnreadableError("timeout", seconds=f"{seconds:g}") from exc
    if proc.returncode != 0:
        raise UnreadableError("ocr_failed", detail=(err.strip().splitlines() or ["exit"])[-1][:80])
    return out


def _stop(procs: list[subprocess.Popen[str]]) -> None:
    """End every process still running (a Tesseract would outlive its reader) and reap each, closing its pipes."""
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def line_bands(ink: Any, dpi: int = DPI) -> list[tuple[int, int, int, int, bool]]:
    """The printed line pieces of a black-and-white region: (top, bottom, left, right, tall) in its pixels.

    Ink smeared sideways by :data:`_JOIN_MM` joins the characters of a line
    (and a full-width space) but not two entries set apart on one line (the
    addressee on the left, the date on the right), nor a line with the next:
    each connected piece is one line piece.  Pieces are found this way and not
    from blank rows across the whole width because a photographed page is
    never quite flat — its lines slope a little and their rows overlap.  A
    piece lower than a speck is dropped; one over 1.7 lines high (lines that
    touch) is cut where its rows hold least ink, else marked ``tall`` and read
    as a block.
    """
    import cv2
    import numpy as np

    arr = (np.asarray(ink) < 128).astype(np.uint8)
    if not arr.any():
        return []
    join = max(3, round(dpi * _JOIN_MM / 25.4))
    smeared = cv2.dilate(arr, np.ones((1, join), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    small = dpi * _SPECK_MM / 25.4
    pieces = []
    for x, y, w, h, _area in stats[1:n]:
        left, right = int(x) + join // 2, int(x + w) - join // 2  # the smear's reach is no ink
        if right <= left:
            left, right = int(x), int(x + w)
        inked = int(arr[y:y + h, left:right].sum())
        if h < small and inked < small * small:
            continue  # a speck, or what is left of a rule
        pieces.append((int(y), int(y + h), left, right))
    heights = sorted(b - t for t, b, _, _ in pieces if b - t >= small)
    usual = heights[len(heights) // 2] if heights else 0
    bands: list[tuple[int, int, int, int, bool]] = []
    pad = 2
    for top, bottom, left, right in pieces:
        rows = arr[:, left:right].sum(axis=1)
        for a, b in _split_touching(rows, [top, bottom], usual) if usual else [[top, bottom]]:
            bands.append((max(0, a - pad), min(arr.shape[0], b + pad), max(0, left - pad),
                          min(arr.shape[1], right + pad), bool(usual and b - a > 1.7 * usual)))
    return sorted(bands)


#: sideways reach that joins the characters of one line piece (a full-width space of 10.5 pt is 3.7 mm)
_JOIN_MM = 4.5


def _split_touching(rows: Any, run: list[int], usual: int) -> list[list[int]]:
    """A band over 1.7 lines high cut where its rows hold least ink: lines a blur or a descender joined."""
    top, bottom = run
    if bottom - top <= 1.7 * usual:
        return [run]
    band = rows[top:bottom]
    low = 0.08 * float(band.max())
    parts: list[list[int]] = []
    start = top
    y = top + int(0.6 * usual)
    while y < bottom - int(0.6 * usual):
        if rows[y] <= low:
            end = y
            while end < bottom and rows[end] <= low:
                end += 1
            cut = (y + end) // 2
            parts.append([start, cut])
            start = cut
            y = cut + int(0.6 * usual)
        else:
            y += 1
    parts.append([start, bottom])
    return parts


#: height under which a band of ink is a speck or part of a character, not a line (1 mm ≈ a 3 pt character)
_SPECK_MM = 1.0


def _masked(crop: Any, ink: Any) -> Any:
    """``crop`` with paper wherever ``ink`` (the same area in black and white) has none: cells cut out stay blank."""
    from PIL import Image

    white = Image.new("L", crop.size, 255)
    return Image.composite(crop, white, ink.point(lambda v: 255 if v < 128 else 0).convert("L"))


def _framed(crop: Any) -> Any:
    from PIL import Image

    framed = Image.new("L", (crop.width + 2 * _MARGIN, crop.height + 2 * _MARGIN), 255)
    framed.paste(crop, (_MARGIN, _MARGIN))
    return framed


def _tesseract(args: list[str], seconds: float) -> str:
    """Tesseract's output for one argument list (:func:`_tesseract_all`)."""
    return _tesseract_all([args], seconds)[0]


def run_tesseract(binary: Any, dpi: int = DPI, seconds: float = 300.0) -> list[tuple[str, int, int, int, int, int]]:
    """Characters of one whole image read as one block (``--psm 6``); see :func:`recognise`."""
    return recognise(binary, [], dpi, seconds)


#: what Tesseract makes of the hyphen of a phone number (「0166ー45ー6789」, 「0166--45--6789」, 「0166一45」)
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=[0-9０-９])[-‐‑–—―−－ー一]{1,3}(?=[0-9０-９])")

#: Tesseract's jpn data reads the 「j」 of an address's 「.jp」 as 「i」; there is no 「.ip」 domain
_JP_DOMAIN = re.compile(r"(@[\w.-]*\.)ip\b", re.ASCII)

#: gap between Tesseract's words (in line heights) below which they are one run: its word boxes hug
#: the ink, so two characters of one word can stand half a line apart; a full-width space is a whole one
_WORD_GAP = 0.8


def _characters(tsv: str, part: int) -> list[tuple[str, int, int, int, int, int]]:
    """The characters of :func:`_characters_scored` without their confidence."""
    return [c[:6] for c in _characters_scored(tsv, part)[0]]


def _characters_scored(tsv: str, part: int) -> tuple[list[Scored], float]:
    """Characters of image ``part`` (1-based) of Tesseract's TSV, with pixel boxes, line height and confidence.

    Tesseract's word boxes are rough for Japanese (a word's box may overlap
    the next one), so words that nearly touch become one run whose characters
    share its width evenly; only a gap of more than :data:`_WORD_GAP` line
    heights (a full-width space, a cell border) separates runs.  Bars at a
    word's edges (:data:`_BARS`: a frame's side) are dropped, and a kana
    read twice from one glyph (:func:`_one_glyph_once`).  Each character
    has its word's confidence; the line's is their mean (0 for none).
    """
    lines: dict[tuple[str, ...], tuple[int, int]] = {}
    words: dict[tuple[str, ...], list[tuple[int, int, str, float]]] = {}
    wanted = str(part)
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[1] != wanted:
            continue
        key = tuple(cols[1:5])
        left, top, w, h = (int(c) for c in cols[6:10])
        if cols[0] == "4":
            lines[key] = (top, top + h)
        elif cols[0] == "5" and (word := cols[11].strip().strip(_BARS)) and not _speck(word, cols[10]):
            words.setdefault(key, []).append((left, left + w, word, max(0.0, float(cols[10]))))
    chars: list[Scored] = []
    for key, ws in words.items():
        top, bottom = lines.get(key, (0, 0))
        height = max(bottom - top, 1)
        for x0, x1, text, confs in _runs_of(_one_glyph_once(sorted(ws), height), _WORD_GAP * height):
            read = text
            text = _JP_DOMAIN.sub(r"\1jp", _DASH_BETWEEN_DIGITS.sub("-", text))
            if len(text) != len(read):
                confs = [sum(confs) / len(confs)] * len(text)
            step = (x1 - x0) / len(text)
            chars.extend((ch, round(x0 + k * step), top, round(x0 + (k + 1) * step), bottom, height, conf)
                         for k, (ch, conf) in enumerate(zip(text, confs, strict=True)))
    return chars, sum(c[6] for c in chars) / len(chars) if chars else 0.0


#: how wide (in line heights) two words may be together to stand on one glyph
_ONE_GLYPH = 1.2


def _one_glyph_once(words: list[tuple[int, int, str, float]], height: int) -> list[tuple[int, int, str, float]]:
    """Words (left, right, text, confidence; in reading order) without a kana Tesseract read twice from one glyph.

    Tesseract now and then reads one kana as two words, the letter with and
    without its voicing mark (「ど」 as 「どと」, 「ぷ」 as 「ぶぷ」): two words
    next to each other whose characters have the same base letter and
    together are about one character wide — :data:`_ONE_GLYPH` of the
    line's ``height``, as Tesseract's boxes reach a little past the glyph's
    ink —, where two characters written one after the other (「ただ」「ほぼ」
    「なな」) are a character and a half wide or more.  The one Tesseract was
    less sure of goes; two as sure (or one word, whose characters only share
    its box) are left as read.
    """
    at = [(round(x0 + k * (x1 - x0) / len(text)), round(x0 + (k + 1) * (x1 - x0) / len(text)), ch, conf, w)
          for w, (x0, x1, text, conf) in enumerate(words) for k, ch in enumerate(text)]
    dropped: set[int] = set()
    for k in range(len(at) - 1):
        (a0, a1, a, ca, wa), (b0, b1, b, cb, wb) = at[k], at[k + 1]
        if k in dropped or wa == wb or ca == cb or max(a1, b1) - min(a0, b0) > _ONE_GLYPH * height \
                or _base(a) != _base(b) or not _base(a):
            continue
        dropped.add(k if ca < cb else k + 1)
    if not dropped:
        return words
    kept: dict[int, str] = {}
    for k, (_, _, ch, _, w) in enumerate(at):
        if k not in dropped:
            kept[w] = kept.get(w, "") + ch
    return [(x0, x1, kept[w], conf) for w, (x0, x1, _, conf) in enumerate(words) if w in kept]


def _base(ch: str) -> str:
    """A kana letter without its voicing mark (「ど」 → 「と」, 「ぷ」 → 「ふ」); "" for any other character."""
    if not unicodedata.name(ch, "").startswith(("HIRAGANA LETTER", "KATAKANA LETTER")):
        return ""
    return unicodedata.normalize("NFD", ch)[0]


#: what Tesseract makes of the side of a frame drawn round a value (a web form's rounded field, a box
#: too short for a rule): a bar at a word's edge is never writing on Form 1
_BARS = "|｜¦"


#: Tesseract's confidence (0–100) from which a mark is writing, not dirt: punctuation read less surely
#: is dropped (:func:`_speck`), and a mark one size read where the winning line read nothing is added
#: from it (:func:`_vote`)
_SURE_INK = 50.0


def _speck(text: str, conf: str) -> bool:
    """A doubtful word of punctuation only: dirt or the rest of a rule, not writing."""
    try:
        doubtful = float(conf) < _SURE_INK
    except ValueError:
        doubtful = True
    return doubtful and not any(unicodedata.category(ch)[0] in "LN" for ch in text)


def _runs_of(words: list[tuple[int, int, str, float]], gap: float) -> list[tuple[int, int, str, list[float]]]:
    """Words (left, right, text, confidence) in reading order joined where the gap between them is small;
    each run with its characters' confidences."""
    runs: list[list] = []
    for x0, x1, text, conf in words:
        if runs and x0 - runs[-1][1] <= gap:
            runs[-1][1] = max(runs[-1][1], x1)
            runs[-1][2] += text
            runs[-1][3] += [conf] * len(text)
        else:
            runs.append([x0, x1, text, [conf] * len(text)])
    return [(a, b, t, c) for a, b, t, c in runs]
