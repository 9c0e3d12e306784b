"""A page image made fit for OCR: the page cut out of a photo, upright, straight, seals gone, black on white.

Scans and phone photos reach :mod:`.ocr` in every state paper can be in.
Each step undoes one thing a scanner or a phone does, in the order they
happen to the paper, and each is cheap (OpenCV on a reduced copy where the
whole page is not needed):

1. **Red seals removed** (:func:`remove_red`): a company's 角印 or 丸印 is
   stamped in red over its name; printed and written text is black or blue.
   Pixels of saturated red become paper.  Where a seal covers a black stroke
   the pixel is dark (ink over ink), not saturated, and stays.
2. **The page found in a photo** (:func:`find_page`): the sheet is the large
   bright quadrilateral on a darker desk; its corners are warped to an A4
   page at 300 dpi.  A scan (the page fills the image) is left alone.
3. **Orientation** (:func:`orientation`): Tesseract's OSD says whether the
   page is on its side or upside down; only a confident answer turns it.
4. **Deskew** (:func:`skew_angle`): a sheet put crooked on the glass; the
   angle whose row profile is sharpest (text lines and table rules lie along
   the rows) straightens it.
5. **Binarisation** (:func:`binarise`): uneven light (a photo's shadow, a
   grey scan) is divided out against a blurred copy of the page, then Otsu's
   threshold separates ink from paper.

Nothing here decides what the page says; every value read from it stays a
review item (:mod:`.ocr`).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DPI = 300
#: A4 at 300 dpi, portrait (pixels)
A4 = (2480, 3508)


#: the margin of a page cut out of a photo that is cleared (printers leave at least 4 mm blank)
EDGE_MM = 3.5


@dataclass
class Prepared:
    """The prepared page: grey (for OCR) and what was done to it (for the bench and tests)."""

    grey: Any  # PIL "L" image, upright and straight
    steps: list[str] = field(default_factory=list)
    #: where coloured (not red) pen ink lies on ``grey`` (PIL "L", 255 = pen), None without any
    pen: Any = None


def prepare(image: Any, *, photo_search: bool = True, osd: bool = True, seconds: float = 60.0) -> Prepared:
    """All steps on one page image (PIL, any mode) → :class:`Prepared`.

    The coloured pen mask (:func:`pen_ink`) goes through the same warps as
    the page, so it still lies over the same strokes.
    """
    import cv2
    import numpy as np
    from PIL import Image

    rgb = np.asarray(image.convert("RGB"))
    steps: list[str] = []
    grey, reds = remove_red(rgb)
    if reds:
        steps.append("seal")
    pen = pen_ink(rgb)
    if photo_search:
        quad = find_page(grey)
        if quad is not None:
            grey, pen = warp_to_a4(grey, quad), warp_to_a4(pen, quad, blank=0)
            # what the corners missed of the desk lies along the edges; a printed page leaves them blank
            edge = round(DPI * EDGE_MM / 25.4)
            grey[:edge, :] = grey[-edge:, :] = 255
            grey[:, :edge] = grey[:, -edge:] = 255
            steps.append("page")
    if osd:
        turn = orientation(grey, seconds)
        if turn:
            grey = np.ascontiguousarray(np.rot90(grey, k=-turn // 90))
            pen = np.ascontiguousarray(np.rot90(pen, k=-turn // 90))
            steps.append(f"turn{turn}")
    angle = skew_angle(grey)
    if abs(angle) >= 0.05:
        h, w = grey.shape
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        grey = cv2.warpAffine(grey, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
        pen = cv2.warpAffine(pen, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        steps.append(f"deskew{angle:+.2f}")
    return Prepared(Image.fromarray(grey), steps, Image.fromarray(pen) if pen.any() else None)


def pen_ink(rgb: Any) -> Any:
    """Mask (255) of coloured ink that is not red: a blue ballpoint's ticks and writing.

    Print is black; a pen tick drawn across a box's frame hides the frame
    from the box finder.  Found without the pen's strokes, the box is then
    judged with them (:func:`.ocr.layout_image`).
    """
    import cv2
    import numpy as np

    r, g, b = (rgb[..., k].astype(np.int16) for k in range(3))
    coloured = (b - np.maximum(r, g) > 35) | ((np.maximum(np.maximum(r, g), b) - np.minimum(np.minimum(r, g), b) > 70)
                                             & (r - np.maximum(g, b) <= 40))
    mask = coloured.astype(np.uint8) * 255
    if int(mask.sum()) // 255 < 30:
        return np.zeros_like(mask)
    return cv2.dilate(mask, np.ones((3, 3), np.uint8))


def remove_red(rgb: Any) -> tuple[Any, int]:
    """Grey page with the red seal ink turned to paper; and how many pixels were seal ink.

    Seal ink: the red channel well above both others.  Around it (the seal's
    area, the ink grown by a millimetre) every pixel that is not dark goes
    too: JPEG and a phone's blur leave greyish pink specks at the seal's
    strokes.  Black print under the seal is dark and stays; blue ballpoint
    and black print elsewhere are never red.
    """
    import cv2
    import numpy as np

    r, g, b = (rgb[..., k].astype(np.int16) for k in range(3))
    red = (r - np.maximum(g, b) > 40) & (r > 90)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    count = int(red.sum())
    if count < 50:
        return grey, 0
    area = cv2.dilate(red.astype(np.uint8), np.ones((11, 11), np.uint8)) > 0
    grey = grey.copy()
    grey[area & ((grey > 110) | red)] = 255
    return grey, count


def find_page(grey: Any) -> Any | None:
    """Corners (4×2, clockwise from top left, full-size pixels) of a sheet photographed on a darker ground.

    None for a scan: no quadrilateral covering between a fifth and 97 % of
    the image stands out from a darker background.
    """
    import cv2
    import numpy as np

    h, w = grey.shape
    scale = 800 / max(h, w)
    small = cv2.resize(grey, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (7, 7), 0)
    _, mask = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    sheet = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(sheet)
    if not 0.2 * small.size <= area <= 0.97 * small.size:
        return None
    hull = cv2.convexHull(sheet)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4:
        quad = cv2.boxPoints(cv2.minAreaRect(hull))
    pts = np.asarray(quad, dtype=np.float32).reshape(4, 2) / scale
    # the sheet must be brighter than what surrounds it (paper on a desk, not a dark photo on paper)
    inside = cv2.fillConvexPoly(np.zeros_like(small), (pts * scale).astype(np.int32), 1).astype(bool)
    if inside.all() or small[inside].mean() < small[~inside].mean() + 30:
        return None
    return _clockwise(pts)


def _clockwise(pts: Any) -> Any:
    import numpy as np

    s, d = pts.sum(axis=1), pts[:, 1] - pts[:, 0]
    return np.array([pts[s.argmin()], pts[d.argmin()], pts[s.argmax()], pts[d.argmax()]], dtype=np.float32)


def warp_to_a4(grey: Any, quad: Any, blank: int = 255) -> Any:
    """The quadrilateral as an upright A4 page at 300 dpi (landscape when the sheet lies so)."""
    import cv2
    import numpy as np

    top = np.linalg.norm(quad[1] - quad[0])
    side = np.linalg.norm(quad[3] - quad[0])
    size = A4 if side >= top else (A4[1], A4[0])
    target = np.array([[0, 0], [size[0] - 1, 0], [size[0] - 1, size[1] - 1], [0, size[1] - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    return cv2.warpPerspective(grey, matrix, size, flags=cv2.INTER_CUBIC if blank else cv2.INTER_NEAREST,
                               borderValue=blank)


#: Tesseract OSD's orientation confidence below which the page is left as it is
OSD_CONFIDENCE = 3.0
_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")


def orientation(grey: Any, seconds: float = 60.0) -> int:
    """Degrees to turn the page clockwise to read it (0, 90, 180, 270), from Tesseract's OSD.

    OSD reads a half-size copy (150 dpi is plenty to tell up from down and
    takes about half the time); a failure or a doubtful answer turns nothing.
    """
    import cv2

    if not _osd_available():
        return 0
    half = cv2.resize(grey, (grey.shape[1] // 2, grey.shape[0] // 2), interpolation=cv2.INTER_AREA)
    with tempfile.TemporaryDirectory(prefix="kyotei-osd-") as tmp:
        img = Path(tmp) / "page.png"
        cv2.imwrite(str(img), half)
        try:
            out = subprocess.run(["tesseract", str(img), "stdout", "--psm", "0", "--dpi", str(DPI // 2)],
                                 capture_output=True, text=True, timeout=max(0.01, min(seconds, 30.0)),
                                 env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        except (OSError, subprocess.SubprocessError):
            return 0
    turn, conf = _ROTATE.search(out.stdout), _CONF.search(out.stdout)
    if out.returncode != 0 or turn is None or conf is None or float(conf.group(1)) < OSD_CONFIDENCE:
        return 0
    return int(turn.group(1)) % 360


def _osd_available() -> bool:
    from .ocr import tesseract_languages

    return "osd" in tesseract_languages()


def skew_angle(grey: Any, limit: float = 5.0) -> float:
    """Degrees (counter-clockwise) that straighten the page: the sharpest row profile within ±``limit``.

    Text lines and table rules run along the rows of a straight page, so its
    row sums alternate sharply between ink and paper; a tilted page blurs
    them.  Searched on a reduced, inverted copy: 0.2° steps, then 0.02°.
    """
    import cv2
    import numpy as np

    h, w = grey.shape
    scale = 1000 / max(h, w)
    small = cv2.resize(grey, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1].astype(np.float32)
    sh, sw = ink.shape
    centre = (sw / 2, sh / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rows = cv2.warpAffine(ink, m, (sw, sh), flags=cv2.INTER_NEAREST).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-limit, limit + 0.001, 0.2), key=sharpness)
    best = max(np.arange(best - 0.2, best + 0.201, 0.02), key=sharpness)
    # a straight page stays untouched: the profile of a reduced page wobbles by a tenth of a degree
    if abs(best) <= 0.2 and sharpness(best) < 1.01 * sharpness(0.0):
        return 0.0
    return float(round(best, 2))


def binarise(grey: Any) -> tuple[Any, Any]:
    """The page with its light evened out (grey, for Tesseract) and as black ink on white (0 and 255).

    Tesseract reads the evened grey page better than a hard black and white
    one (a blurred photo's strokes thicken when cut at one threshold); the
    boxes, ticks and rules are found in the black and white one.
    """
    import cv2
    import numpy as np
    from PIL import Image

    arr = np.asarray(grey)
    background = cv2.morphologyEx(arr, cv2.MORPH_CLOSE, np.ones((31, 31), np.uint8))
    background = cv2.GaussianBlur(background, (0, 0), 15)
    flat = cv2.divide(arr, background, scale=255)
    _, ink = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Otsu on a nearly white page may cut into the paper's grain: never call paler than 200 ink
    ink[flat > 200] = 255
    # the grey page keeps its strokes' grey edges, but the paper is paper: grain and specks read as dots
    soft = flat.copy()
    soft[ink == 255] = 255
    return Image.fromarray(soft), Image.fromarray(ink)
