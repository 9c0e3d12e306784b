"""Scanned Form 1 (``--ocr``): Tesseract reads the words, the image decides the checkboxes.

OCR reads ☒ as 「図」 and ☐ as 「口」 with high confidence (``docs/pitfalls.md``),
so checkbox states never come from OCR text.  Instead the page image is
searched for box-shaped outlines (a square of thin dark lines, the size of a
character or a little more) and a box counts as ticked when enough dark
pixels lie inside it.  The boxes are then painted white before Tesseract runs,
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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import UnreadableError
from ..form import Box, FormDoc
from .layout import Item, PageLayout, TableState, arrange, blocks_of

SOURCE = "pdf:ocr"
DPI = 300
#: share of dark pixels inside a box (border excluded) from which it counts as ticked
TICK_SHARE = 0.04
_DARK = 128
#: largest page image OCR works on (an A4 page at 300 dpi is 8.7 million)
MAX_PIXELS = 35_000_000


@lru_cache(maxsize=1)
def tesseract_available() -> bool:
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return "jpn" in (out.stdout + out.stderr).split()


@dataclass(frozen=True)
class ImageBox:
    """A checkbox found in the page image (pixels)."""

    x0: int
    top: int
    x1: int
    bottom: int
    checked: bool


def read_scan(path: str, pages: list[Any], seconds: float = 300.0) -> FormDoc:
    """OCR every page (pdfplumber pages) into a FormDoc marked for human review.

    ``seconds`` bounds the Tesseract runs together: a Tesseract process would
    outlive the reading process that the sandbox kills.
    """
    if not tesseract_available():
        raise UnreadableError("ocr_unavailable")
    deadline = time.monotonic() + seconds
    layouts: list[PageLayout] = []
    state = TableState()
    for index, page in enumerate(pages):
        width_in, height_in = float(page.width) / 72, float(page.height) / 72
        # an odd page size must not become a gigantic image: at most ~35 million pixels
        dpi = int(min(DPI, (MAX_PIXELS / max(width_in * height_in, 1e-6)) ** 0.5))
        if dpi < 100:
            raise UnreadableError("ocr_failed", detail=f"page {width_in:.0f} x {height_in:.0f} in")
        left = deadline - time.monotonic()
        if left <= 0:
            raise UnreadableError("timeout", seconds=f"{seconds:g}")
        image = page.to_image(resolution=dpi).original.convert("L")
        layouts.append(layout_image(image, index, float(page.width) / image.width, state, dpi, left))
        if time.monotonic() > deadline:  # the image work before Tesseract counts too
            raise UnreadableError("timeout", seconds=f"{seconds:g}")
    return FormDoc(path=path, format="pdf", blocks=blocks_of(layouts, SOURCE, glyphs=False),
                   warnings=["ocr_used"])


def layout_image(image: Any, index: int, scale: float, state: TableState, dpi: int = DPI,
                 seconds: float = 300.0) -> PageLayout:
    """Boxes, table cells and OCR text of one page image; ``scale`` = PDF points per pixel."""
    binary = image.point(lambda v: 0 if v < _DARK else 255)
    boxes = find_boxes(binary, dpi)
    for b in boxes:  # boxes must not become 「口」 or 「図」
        binary.paste(255, (b.x0 - 2, b.top - 2, b.x1 + 3, b.bottom + 3))
    h_lines, v_lines = find_rules(binary, dpi)
    cells = _table_cells(h_lines, v_lines, scale)
    for x0, top, x1, bottom in h_lines + v_lines:  # rules are not text either
        binary.paste(255, (x0, top, x1 + 1, bottom + 1))
    items = [Item(text, x0 * scale, x1 * scale, top * scale, bottom * scale, size * scale)
             for text, x0, top, x1, bottom, size in run_tesseract(binary, dpi, seconds)]
    for b in boxes:
        glyph = "☑" if b.checked else "☐"
        items.append(Item(glyph, b.x0 * scale, b.x1 * scale, b.top * scale, b.bottom * scale,
                          (b.bottom - b.top) * scale, Box(b.checked, SOURCE, glyph)))
    width, height = image.size
    layout = PageLayout(index, width * scale, height * scale, [])
    layout.regions = arrange(items, cells, state, index, height * scale, width * scale)
    return layout


# ---------------------------------------------------------------- image analysis

def _runs(row: bytes, least: int, most: int | None = None) -> list[tuple[int, int]]:
    pattern = rb"\x00{%d,%s}" % (least, b"" if most is None else str(most).encode())
    return [(m.start(), m.end()) for m in re.finditer(pattern, row)]


def find_boxes(binary: Any, dpi: int = DPI) -> list[ImageBox]:
    """Square outlines 2–6 mm wide with thin sides and a clear margin inside.

    Top and bottom sides are horizontal dark segments of the same extent, one
    side-length apart; the vertical sides must be dark over most of the height.
    The margin test keeps box-like ideographs out: the strokes of 「田」 touch
    its frame, a tick in a checkbox stays clear of it.
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
        checked = _ink(binary, x0 + inner, top + inner, x1 - inner, bottom - inner) >= TICK_SHARE
        found.append(ImageBox(x0, top, x1, bottom, checked))
    return found


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
    """A horizontal stroke across most of the inside: part of a character, not a tick."""
    least = max(3, int(0.6 * (x1 - x0)))
    needle = b"\x00" * least
    return any(needle in data[y * width + x0:y * width + x1] for y in range(top, bottom))


def _ink(binary: Any, x0: int, top: int, x1: int, bottom: int) -> float:
    if x1 <= x0 or bottom <= top:
        return 0.0
    hist = binary.crop((x0, top, x1, bottom)).histogram()
    return hist[0] / max(1, (x1 - x0) * (bottom - top))


def find_rules(binary: Any, dpi: int = DPI) -> tuple[list[tuple[int, int, int, int]], list[tuple[int, int, int, int]]]:
    """Table rules: dark runs longer than 15 mm, as (x0, top, x1, bottom) pixel boxes."""
    least = int(dpi * 15 / 25.4)

    def scan(img: Any) -> list[tuple[int, int, int]]:
        w, h = img.size
        data = img.tobytes()
        out: list[tuple[int, int, int]] = []
        for y in range(h):
            row = data[y * w:(y + 1) * w]
            if b"\x00" * least in row:
                out.extend((y, s, e) for s, e in _runs(row, least))
        return out

    def merge(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int, int]]:
        lines: list[list[int]] = []  # [first, last, start, end]
        for y, s, e in sorted(runs, key=lambda r: (r[1] // 8, r[0])):
            for line in reversed(lines[-6:]):
                if y - line[1] <= 1 and abs(s - line[2]) < 8 and abs(e - line[3]) < 8:
                    line[1] = y
                    break
            else:
                lines.append([y, y, s, e])
        return [(s, a, e, b) for a, b, s, e in lines if b - a <= 8]

    h = merge(scan(binary))
    from PIL import Image

    v = [(a, s, b, e) for s, a, e, b in merge(scan(binary.transpose(Image.Transpose.TRANSPOSE)))]
    return h, v


def _table_cells(h_lines: list, v_lines: list, scale: float) -> list[list[tuple[float, float, float, float]]]:
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = []
    for x0, top, x1, bottom in h_lines:
        y = (top + bottom) / 2 * scale
        edges.append({"x0": x0 * scale, "x1": x1 * scale, "top": y, "bottom": y, "width": (x1 - x0) * scale,
                      "height": 0, "orientation": "h", "object_type": "line"})
    for x0, top, x1, bottom in v_lines:
        x = (x0 + x1) / 2 * scale
        edges.append({"x0": x, "x1": x, "top": top * scale, "bottom": bottom * scale, "width": 0,
                      "height": (bottom - top) * scale, "orientation": "v", "object_type": "line"})
    if not edges:
        return []
    edges = merge_edges(edges, 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    return [t for t in cells_to_tables(cells) if t]


def run_tesseract(binary: Any, dpi: int = DPI, seconds: float = 300.0) -> list[tuple[str, int, int, int, int, int]]:
    """Characters with pixel boxes and line height from ``tesseract … jpn --psm 6 tsv``.

    Tables rules and boxes are already gone from the image, so the page reads
    as one block of lines (``--psm 6``); the table cells are put back by
    geometry afterwards.  Tesseract's word boxes are rough for Japanese (a
    word's box may overlap the next one), so words that nearly touch become
    one run whose characters share its width evenly; only a gap of more than
    half a line height (a full-width space, a cell border) separates runs.
    """
    with tempfile.TemporaryDirectory(prefix="kyotei-ocr-") as tmp:
        img = Path(tmp) / "page.png"
        binary.save(img, dpi=(dpi, dpi))
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        try:
            out = subprocess.run(["tesseract", str(img), "stdout", "-l", "jpn", "--psm", "6",
                                  "--dpi", str(dpi), "tsv"],
                                 capture_output=True, text=True, timeout=max(0.01, seconds), env=env)
        except subprocess.TimeoutExpired as exc:
            raise UnreadableError("timeout", seconds=f"{seconds:g}") from exc
        except (OSError, subprocess.SubprocessError) as exc:
            raise UnreadableError("ocr_failed", detail=type(exc).__name__) from exc
    if out.returncode != 0:
        raise UnreadableError("ocr_failed", detail=(out.stderr.strip().splitlines() or ["exit"])[-1][:80])
    lines: dict[tuple[str, ...], tuple[int, int]] = {}
    words: dict[tuple[str, ...], list[tuple[int, int, str]]] = {}
    for row in out.stdout.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        key = tuple(cols[1:5])
        left, top, w, h = (int(c) for c in cols[6:10])
        if cols[0] == "4":
            lines[key] = (top, top + h)
        elif cols[0] == "5" and cols[11].strip() and not _speck(cols[11].strip(), cols[10]):
            words.setdefault(key, []).append((left, left + w, cols[11].strip()))
    chars: list[tuple[str, int, int, int, int, int]] = []
    for key, ws in words.items():
        top, bottom = lines.get(key, (0, 0))
        height = max(bottom - top, 1)
        for x0, x1, text in _runs_of(sorted(ws), 0.5 * height):
            step = (x1 - x0) / len(text)
            chars.extend((ch, round(x0 + k * step), top, round(x0 + (k + 1) * step), bottom, height)
                         for k, ch in enumerate(text))
    return chars


def _speck(text: str, conf: str) -> bool:
    """A doubtful word of punctuation only: dirt or the rest of a rule, not writing."""
    try:
        doubtful = float(conf) < 50
    except ValueError:
        doubtful = True
    return doubtful and not any(unicodedata.category(ch)[0] in "LN" for ch in text)


def _runs_of(words: list[tuple[int, int, str]], gap: float) -> list[tuple[int, int, str]]:
    """Words (left, right, text) in reading order joined where the gap between them is small."""
    runs: list[list] = []
    for x0, x1, text in words:
        if runs and x0 - runs[-1][1] <= gap:
            runs[-1][1] = max(runs[-1][1], x1)
            runs[-1][2] += text
        else:
            runs.append([x0, x1, text])
    return [(a, b, t) for a, b, t in runs]
