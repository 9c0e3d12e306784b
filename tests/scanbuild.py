"""Scans and phone photos of a filled Form 1, made the way paper becomes an image.

A filled Form 1 PDF (the project's own samples, made by LibreOffice, or any
PDF) is rendered at 300 dpi with pdfium, then spoiled step by step as a
scanner or a phone does it: a slight rotation, sensor noise, JPEG blocks, red
company seals (角印 and 丸印) stamped over the name, and for a phone photo the
page on a desk, seen at an angle, lit unevenly.  Every step is seeded, so a
fixture is the same image on every run.  Used by the tests, the OCR bench
(``bench/bench_ocr.py``) and the phone-photo sample (``scripts/make_samples.py``).
"""

from __future__ import annotations

import hashlib
import io
import math
import random
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPI = 300
A4_MM = (210.0, 297.0)
_SEAL_RED = (215, 35, 40)


#: images made before in this process, by what they were made from (a PDF's bytes, the arguments):
#: the tests render one sample many times and scan one PDF for two tests; the last few are kept
_MADE: OrderedDict[tuple[Any, ...], Image.Image] = OrderedDict()
_KEEP = 6


def _remembered(key: tuple[Any, ...], make: Callable[[], Image.Image]) -> Image.Image:
    """What ``make()`` gives, made once a process for ``key``; a copy each time, so a caller that
    draws on it spoils nothing."""
    made = _MADE.pop(key, None)
    if made is None:
        made = make()
    _MADE[key] = made
    while len(_MADE) > _KEEP:
        _MADE.popitem(last=False)
    return made.copy()


def _file_key(path: Path) -> str:
    """What a file holds, for :func:`_remembered`: a PDF written again with other content is another key."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def render(pdf: Path, dpi: int = DPI, page: int = 0) -> Image.Image:
    """One page of ``pdf`` as an RGB image (pdfium), white background."""
    def make() -> Image.Image:
        import pypdfium2

        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            return doc[page].render(scale=dpi / 72).to_pil().convert("RGB")
        finally:
            doc.close()

    return _remembered(("render", _file_key(pdf), dpi, page), make)


def _font(size: int) -> Any:
    for name in ("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
                 "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf",
                 "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf"):
        if Path(name).exists():
            return ImageFont.truetype(name, size)
    return ImageFont.load_default()


def seal(image: Image.Image, centre: tuple[int, int], size: int, text: str = "北嶺之印", *,
         round_: bool = False, alpha: float = 0.85) -> Image.Image:
    """A red company seal stamped over ``centre``: a square (角印) or round (丸印) frame with red writing.

    Ink is multiplied over the page (a stamp darkens the paper, the writing
    under it still shows through), unevenly inked as real stamps are.
    """
    layer = _stamp(image.size, centre, size, text, round_)
    cx = centre[0]
    out = image.convert("RGB")
    box = layer.getbbox()
    if box is None:  # stamped off the page
        return out
    # Only the pixels under the stamp change (where the layer is 0 the sum below gives the page's value
    # back exactly), so only they are computed; the unevenness is the same field of random numbers as
    # one drawn for the whole page, read at the stamp's pixels (_page_random).
    ink = np.asarray(layer.crop(box), dtype=np.float32) / 255.0
    ink *= alpha * (0.75 + 0.25 * _page_random(size + cx, image.size[0], box))
    page = np.asarray(out.crop(box), dtype=np.float32)
    red = np.array(_SEAL_RED, dtype=np.float32)
    page = page * (1 - ink[..., None]) + (page * red / 255.0) * ink[..., None]
    out.paste(Image.fromarray(page.clip(0, 255).astype(np.uint8)), box[:2])
    return out


def _stamp(page_size: tuple[int, int], centre: tuple[int, int], size: int, text: str, round_: bool) -> Image.Image:
    """Where a seal inks a page of ``page_size``: 255 on the frame and the writing, 0 elsewhere."""
    layer = Image.new("L", page_size, 0)
    draw = ImageDraw.Draw(layer)
    cx, cy = centre
    half = size // 2
    frame = (cx - half, cy - half, cx + half, cy + half)
    width = max(3, size // 22)
    if round_:
        draw.ellipse(frame, outline=255, width=width)
    else:
        draw.rectangle(frame, outline=255, width=width)
    chars = list(text)[:4]
    cell = size // 2 - width
    font = _font(int(cell * 0.85))
    for k, ch in enumerate(chars):  # a seal reads top to bottom, right column first
        col, row = 1 - k // 2, k % 2
        x = cx - half + width + col * cell + cell * 0.08
        y = cy - half + width + row * cell + cell * 0.02
        draw.text((x, y), ch, fill=255, font=font)
    return layer


def _page_random(seed: int, width: int, box: tuple[int, int, int, int]) -> Any:
    """``np.random.default_rng(seed).random((height, width), dtype=np.float32)[top:bottom, left:right]``
    for ``box`` = (left, top, right, bottom), without drawing the rest of the page's numbers.

    NumPy's generator (PCG64) makes the k-th float32 of such a draw from half of its (k // 2)-th
    64-bit output — the low 32 bits when k is even, the high ones when odd — as
    ``(bits >> 8) * 2**-24``: the generator is advanced to the box's first row and only the outputs
    from there to its last row are drawn.
    """
    left, top, right, bottom = box
    first, count = top * width + left, (bottom - top) * width
    start, stop = first // 2, (first + count + 1) // 2
    bits = np.random.PCG64(seed)
    bits.advance(start)
    raw = bits.random_raw(stop - start)
    halves = np.empty(2 * (stop - start), dtype=np.uint32)
    halves[0::2] = raw & 0xFFFFFFFF
    halves[1::2] = raw >> 32
    rows = halves[first - 2 * start:first - 2 * start + count].reshape(bottom - top, width)[:, :right - left]
    return (rows >> 8).astype(np.float32) * np.float32(1.0 / 16777216.0)


def tick(image: Image.Image, at: tuple[int, int], size: int = 40, colour: tuple[int, int, int] = (20, 30, 120)) -> Image.Image:
    """A pen tick (✓) drawn by hand at ``at`` (its lower left), in ballpoint blue."""
    out = image.copy()
    draw = ImageDraw.Draw(out)
    x, y = at
    draw.line([(x, y - size * 0.45), (x + size * 0.35, y), (x + size, y - size)], fill=colour,
              width=max(3, size // 9), joint="curve")
    return out


def hand_tick(image: Image.Image, box: tuple[int, int, int, int], *, at: tuple[float, float] = (0.45, 0.85),
              size: float = 1.6, width_mm: float = 0.9, colour: tuple[int, int, int] = (15, 15, 20),
              seed: int = 0) -> Image.Image:
    """A ✓ drawn by hand with a pen over a checkbox ``box`` (x0, top, x1, bottom pixels).

    ``at`` is where the tick's lowest point falls, in box sides from the box's
    top left (1.0 = on the bottom line; more is below it, a negative x left of
    it); ``size`` is the tick's height in box sides (over 1 it runs out through
    the frame, as ticks drawn quickly do).  The strokes are thick (a felt or
    gel pen, ``width_mm`` at 300 dpi), a little curved and tapering, the short
    arm coming down from the left, the long one going up to the right.
    """
    rng = random.Random(seed)
    x0, top, x1, bottom = box
    side = x1 - x0
    vx, vy = x0 + at[0] * side, top + at[1] * side
    h = size * side
    width = max(3, round(width_mm * DPI / 25.4))
    start = (vx - 0.38 * h + rng.uniform(-2, 2), vy - 0.42 * h + rng.uniform(-2, 2))
    end = (vx + 0.55 * h + rng.uniform(-3, 3), vy - h + rng.uniform(-3, 3))
    out = image.copy()
    draw = ImageDraw.Draw(out)
    for (ax, ay), (bx, by), bend in ((start, (vx, vy), 0.06), ((vx, vy), end, -0.08)):
        pts = []
        for k in range(13):  # a slight curve: the middle pushed sideways by ``bend`` of the length
            t = k / 12
            mx, my = ax + (bx - ax) * t, ay + (by - ay) * t
            push = bend * math.hypot(bx - ax, by - ay) * math.sin(math.pi * t)
            nx, ny = -(by - ay), (bx - ax)
            norm = math.hypot(nx, ny) or 1.0
            pts.append((mx + push * nx / norm, my + push * ny / norm))
        for k in range(12):  # tapering: the end of the long stroke is thinner (the pen lifts)
            w = width if bend > 0 else max(2, round(width * (1 - 0.5 * k / 12)))
            draw.line([pts[k], pts[k + 1]], fill=colour, width=w, joint="curve")
    return out


def radio(image: Image.Image, at: tuple[int, int], chosen: bool, *, style: str = "browser",
          across_mm: float = 3.4, inside: str = "") -> Image.Image:
    """A radio button printed at ``at`` (its top left, pixels at 300 dpi), ``across_mm`` wide.

    ``style``: ``browser`` (a thin grey ring, the chosen one blue with a blue
    dot, as Chrome prints an ``<input type=radio>``), ``print`` (a black ring
    and a black dot, as forms drawn in Word or Excel print it), ``glyph`` (the
    characters ○ and ◉ of DejaVu Sans, as typed from a symbol table).
    ``inside`` draws something else in the ring instead of the dot: ``tick``
    (a small pen tick), ``ring`` (◎), ``speck`` (a dot off the middle).
    """
    out = image.copy()
    draw = ImageDraw.Draw(out)
    d = round(across_mm * DPI / 25.4)
    x, y = at
    if style == "glyph":
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", round(d * 1.25))
        glyph = "◉" if chosen else "○"
        left, top, right, bottom = draw.textbbox((0, 0), glyph, font=font)
        draw.text((x - left + (d - (right - left)) / 2, y - top + (d - (bottom - top)) / 2), glyph, fill=(0, 0, 0),
                  font=font)
    else:
        blue, grey, black = (0, 117, 255), (118, 118, 118), (0, 0, 0)
        ring = (blue if chosen else grey) if style == "browser" else black
        width = max(2, round(d * (0.12 if chosen and style == "browser" else 0.08)))
        draw.ellipse((x, y, x + d - 1, y + d - 1), outline=ring, width=width)
        dot = blue if style == "browser" else black
        q = d / 4
        if inside == "tick":
            draw.line([(x + 0.3 * d, y + 0.5 * d), (x + 0.45 * d, y + 0.68 * d), (x + 0.72 * d, y + 0.3 * d)],
                      fill=(15, 15, 20), width=max(2, d // 12))
        elif inside == "ring":
            draw.ellipse((x + q, y + q, x + d - 1 - q, y + d - 1 - q), outline=ring, width=width)
        elif inside == "speck":
            draw.ellipse((x + 0.5 * d, y + 0.22 * d, x + 0.7 * d, y + 0.42 * d), fill=dot)
        elif chosen:
            draw.ellipse((x + q, y + q, x + d - 1 - q, y + d - 1 - q), fill=dot)
    return out


def write(image: Image.Image, at: tuple[int, int], text: str, size_pt: float = 10.5) -> Image.Image:
    """``text`` printed in Mincho at ``size_pt`` (300 dpi) with its top left at ``at``."""
    out = image.copy()
    ImageDraw.Draw(out).text(at, text, fill=(0, 0, 0), font=_font(round(size_pt * DPI / 72)))
    return out


def rotate(image: Image.Image, degrees: float) -> Image.Image:
    """Turned by ``degrees`` (counter-clockwise) as a sheet put crooked on the scanner glass."""
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(255, 255, 255))


def noise(image: Image.Image, sigma: float = 12.0, seed: int = 1) -> Image.Image:
    """Sensor noise and a slight blur (a scanner's optics)."""
    rng = np.random.default_rng(seed)
    blurred = np.asarray(image.filter(ImageFilter.GaussianBlur(0.6)))
    out = np.empty_like(blurred)
    for rows in _bands(blurred.shape[0]):
        # a band of rows at a time (its numbers drawn in turn are the whole page's, in order): the same
        # sums as one whole-page float array, without hundreds of MB of temporaries
        band = blurred[rows].astype(np.float32)
        band += rng.normal(0.0, sigma, band.shape[:2])[..., None]
        out[rows] = band.clip(0, 255, out=band)
    return Image.fromarray(out)


def _bands(height: int, rows: int = 64) -> list[slice]:
    """Slices of ``rows`` rows down an image ``height`` tall: page-sized arithmetic done band by band."""
    return [slice(top, min(top + rows, height)) for top in range(0, height, rows)]


def jpeg(image: Image.Image, quality: int = 60) -> Image.Image:
    """Through JPEG at ``quality`` and back (the blocks and ringing a phone or scanner leaves)."""
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def scanned(pdf: Path, *, degrees: float = 1.2, seals: bool = True, seed: int = 1) -> Image.Image:
    """A 300 dpi office scan of ``pdf``'s first page: seals, a crooked sheet, noise, JPEG."""
    def make() -> Image.Image:
        page = render(pdf)
        if seals:
            page = stamp_seals(page)
        return jpeg(noise(rotate(page, degrees), seed=seed), quality=70)

    return _remembered(("scanned", _file_key(pdf), degrees, seals, seed), make)


def stamp_seals(page: Image.Image) -> Image.Image:
    """A 角印 over the company name and a 丸印 over the representative, where Form 1 puts them.

    The name and the representative sit in the upper right of Form 1 (at A4 the
    name ends about 150 mm from the left, 45 mm from the top): the seals overlap their ends.
    """
    w, h = page.size
    mm = w / A4_MM[0]
    page = seal(page, (int(150 * mm), int(45 * mm)), int(16 * mm), "北嶺之印")
    return seal(page, (int(164 * mm), int(51 * mm)), int(12 * mm), "代表之印", round_=True)


def phone_photo(page: Image.Image, *, seed: int = 3, width: int = 2400) -> Image.Image:
    """``page`` photographed on a desk with a phone: at an angle, unevenly lit, on a dark wooden top.

    The page's corners go to a skewed quadrilateral inside a larger frame;
    light falls off towards one side; the whole is a little blurred and noisy.
    """
    rng = random.Random(seed)
    pw, ph = page.size
    height = int(width * 4 / 3)
    # where the page's corners land: the page fills ~75 % of the frame, tilted and foreshortened
    margin_x, margin_y = width * 0.12, height * 0.08
    corners = [(margin_x + rng.uniform(-60, 60), margin_y + rng.uniform(0, 90)),
               (width - margin_x + rng.uniform(-40, 80), margin_y + rng.uniform(-40, 40)),
               (width - margin_x * 0.6 + rng.uniform(-40, 40), height - margin_y + rng.uniform(-60, 40)),
               (margin_x * 0.6 + rng.uniform(-40, 40), height - margin_y * 1.1 + rng.uniform(-40, 40))]
    coeffs = _perspective_coeffs(corners, [(0, 0), (pw, 0), (pw, ph), (0, ph)])
    desk = _desk(width, height, rng)
    warped = page.convert("RGB").transform((width, height), Image.Transform.PERSPECTIVE, coeffs,
                                           resample=Image.Resampling.BICUBIC, fillcolor=(0, 0, 0))
    mask = Image.new("L", page.size, 255).transform((width, height), Image.Transform.PERSPECTIVE, coeffs,
                                                     resample=Image.Resampling.BILINEAR, fillcolor=0)
    shot = np.asarray(Image.composite(warped, desk, mask))
    lit = np.empty_like(shot)
    xs = np.linspace(1.0, 0.78, width, dtype=np.float32)  # light from the left
    ys = np.linspace(0.95, 1.0, height, dtype=np.float32)
    warm = np.array([1.0, 0.97, 0.9], dtype=np.float32)  # warm indoor light
    for rows in _bands(height):
        band = shot[rows].astype(np.float32)
        band *= (ys[rows, None] * xs[None, :])[..., None]
        band *= warm
        lit[rows] = band.clip(0, 255, out=band)
    photo = Image.fromarray(lit).filter(ImageFilter.GaussianBlur(0.8))
    return jpeg(noise(photo, sigma=6.0, seed=seed), quality=80)


def _desk(width: int, height: int, rng: random.Random) -> Image.Image:
    """A brown wooden top with its grain running across: each row one colour, so one pixel a row is worked out."""
    base = np.zeros((height, 1, 3), dtype=np.float32)
    base[...] = (96, 70, 48)
    stripes = np.sin(np.linspace(0, 40 * math.pi, height, dtype=np.float32) + rng.uniform(0, 3))[:, None, None]
    base += 10 * stripes
    row = base.clip(0, 255).astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(np.broadcast_to(row, (height, width, 3))))


def _perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """Pillow's PERSPECTIVE coefficients mapping output pixels ``dst`` back to input pixels ``src``."""
    rows = []
    rhs = []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    return [float(c) for c in np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64))]


def symbols_as_unicode(docx: Path, out: Path) -> Path:
    """A copy of ``docx`` whose symbol-font boxes are Unicode ☐/☑, so LibreOffice prints what Word prints.

    Word draws a Wingdings or Wingdings 2 code (``w:sym``, or a private-use
    character in a run set in the symbol font) from the symbol font itself.
    LibreOffice on a machine without those fonts falls back to OpenSymbol or
    to nothing, and a .docx's empty boxes come out of it crossed (☒) or as a
    blank glyph: a scan made from that PDF shows other answers than the
    applicant gave.  Each code is replaced by the glyph it shows
    (:mod:`kyotei_docs.symbols`) in the run's ordinary font.
    """
    import zipfile

    from lxml import etree

    from kyotei_docs.symbols import symbol, table_for

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    q = f"{{{w}}}"
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
                for sym in list(root.iter(f"{q}sym")):
                    shown = symbol(sym.get(f"{q}font", ""), int(sym.get(f"{q}char", "0"), 16))
                    parent = sym.getparent()
                    if shown is not None and parent is not None:
                        text = etree.Element(f"{q}t")
                        text.text = shown[1]
                        parent.replace(sym, text)
                for fonts in list(root.iter(f"{q}rFonts")):
                    name = fonts.get(f"{q}ascii") or fonts.get(f"{q}eastAsia") or ""
                    run = fonts.getparent().getparent()
                    if table_for(name) is None or run.tag != f"{q}r":
                        continue
                    for t in run.iter(f"{q}t"):
                        t.text = "".join((symbol(name, ord(c)) or (False, c))[1] for c in t.text or "")
                    fonts.getparent().remove(fonts)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    return out


def image_pdf(image: Image.Image, out: Path, dpi: int = DPI) -> Path:
    """``image`` as a one-page image-only PDF, as a scanner saves it."""
    image.convert("RGB").save(out, "PDF", resolution=dpi)
    return out


def with_exif_rotation(image: Image.Image, out: Path, orientation: int = 6, quality: int = 85) -> Path:
    """Saved as a phone does: pixels as the sensor saw them and an EXIF Orientation tag to turn them upright.

    Orientation 6 means "turn 90° clockwise to view": the pixels are stored
    turned 90° counter-clockwise.
    """
    turn = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}
    stored = image.transpose(turn[orientation]) if orientation in turn else image
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.convert("RGB").save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out


def glyph_only_pdf(pdf: Path, out: Path) -> Path:
    """``pdf`` with every font's /ToUnicode map removed: the glyphs print, the text decodes to ``(cid:NNN)``.

    This is what some print drivers write: the embedded subset font draws the
    page as before, but nothing says which character a glyph id is.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(str(pdf)))
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            for f in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                if NameObject("/ToUnicode") in f:
                    del f[NameObject("/ToUnicode")]
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def outlined_pdf(pdf: Path, out: Path, dpi: int = 600, *, faithful: bool = True) -> Path:
    """``pdf``'s first page with its text (and everything else) turned into filled outlines, as "convert text to outlines" does.

    The page is traced (OpenCV contours of the ink at ``dpi``) and each
    outline drawn as a filled vector path (even-odd, so the holes of 「口」
    stay open): no characters, no images, only shapes.  A contour runs
    through the centres of the stroke's edge pixels, so filled as it is it
    loses half a pixel on every side: ``faithful`` grows the ink by that
    pixel first and puts the path on the pixels' centres, and at 600 dpi the
    shapes are the glyphs' own, as a design program's outlines are.  With
    ``faithful=False`` at 300 dpi (this fixture before issue 16's OCR work)
    Mincho's hairlines come out a pixel thinner and broken.
    """
    import cv2
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = np.asarray(render(pdf, dpi).convert("L"))
    ink: Any = (page < 140).astype(np.uint8)
    if faithful:
        ink = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)))
    contours, _ = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    scale = 72.0 / dpi
    shift = 0.5 if faithful else 0.0
    c = canvas.Canvas(str(out), pagesize=A4)
    height = A4[1]
    path = c.beginPath()
    for contour in contours:
        pts = contour.reshape(-1, 2) + shift
        if len(pts) < 2:
            continue
        path.moveTo(pts[0][0] * scale, height - pts[0][1] * scale)
        for x, y in pts[1:]:
            path.lineTo(x * scale, height - y * scale)
        path.close()
    c.drawPath(path, stroke=0, fill=1, fillMode=0)  # 0 = even-odd
    c.showPage()
    c.save()
    return out
