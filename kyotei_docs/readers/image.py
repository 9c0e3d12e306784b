"""Images as a format: a scanned or photographed Form 1 (.jpg, .png, .tif) read by OCR.

Companies send a phone photo of the signed and sealed form, or the scanner's
JPEG or TIFF.  The image is sniffed from its bytes (:mod:`.sniff`), opened
under bounds (at most :data:`MAX_PIXELS` pixels a page, checked from the
header before any pixel is decoded, so a 1 MB PNG that inflates to gigapixels
is refused at once; the configured file size and page count), turned upright as its EXIF Orientation says (phones store the
sensor's pixels and a tag), and handed to the one OCR path (:mod:`.ocr`), which
cuts the sheet out of a photo, straightens it and reads it.  All of it runs in
the limited child process (:mod:`kyotei_docs.sandbox`) like a PDF.

Every value read is ``pdf:ocr`` and the document carries ``ocr_used``: a
person compares it with the original.  With ``[reading] ocr = "never"`` (or no
Tesseract) an image is refused with a message saying OCR would read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import UnreadableError
from ..form import FormDoc

#: largest image (pixels a page) decoded at all: a phone's 48-megapixel photo is refused, a 12-megapixel one read
MAX_PIXELS = 40_000_000
#: formats an image file may hold (as Pillow names them; MPO is a phone's JPEG with a second picture)
FORMATS = frozenset({"JPEG", "MPO", "PNG", "TIFF"})
#: an A4 page's width in points, portrait and landscape
_A4_POINTS = (595.28, 841.89)


def read_image(path: Path) -> FormDoc:
    """Read an image in a child process under the configured limits (OCR time included)."""
    from ..sandbox import run_limited
    from .ocr import tesseract_available
    from .options import current

    opts = current()
    wanted = opts.ocr_wanted
    if wanted == "never" or (wanted == "auto" and not tesseract_available()):
        raise UnreadableError("image_needs_ocr")
    if not tesseract_available():
        raise UnreadableError("ocr_unavailable")
    limits = opts.effective_limits()
    return run_limited(read_image_unlimited, str(path), limits.pdf_pages, limits.ocr_seconds, opts.form1_only,
                       seconds=limits.pdf_seconds + limits.ocr_seconds, memory_mb=limits.memory_mb)


def read_image_unlimited(path: str, max_pages: int = 20, seconds: float = 300.0, form1_only: bool = False) -> FormDoc:
    """The image read without the process limits: call it through :func:`read_image`.

    ``form1_only`` (reading for the extractor): a one-page image is looked at
    for Form 1's words once prepared (:func:`.ocr.may_be_form1_images`) and
    refused as ``not_form1`` without them; a TIFF of several pages is read in
    full (its Form 1 may follow a cover letter).
    """
    from .ocr import read_images

    return read_images(path, "image", pages(path, max_pages), seconds, photo=True,
                       look=form1_only and _frames(path) == 1)


def _frames(path: str) -> int:
    """Pages in the image file, from its header (0 when it cannot be opened: :func:`pages` says why)."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():  # a huge image is pages()'s to refuse, without Pillow's warning
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return int(getattr(image, "n_frames", 1))
    except Exception:  # noqa: BLE001 — any failure to open is pages()'s to report, with its message
        return 0


def pages(path: str, max_pages: int = 20) -> Iterator[tuple[Any, float]]:
    """Each page (a TIFF may hold several) upright, as RGB, with its PDF points per pixel.

    An image carries no trustworthy page size (a phone writes 72 dpi), so a
    page is taken to be A4 across its width; a photo's sheet is cut out and
    scaled to A4 later anyway (:func:`.scanprep.find_page`).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    # Pillow's own bomb check warns between one and two times its limit; the size is checked here
    # from the header, before any pixel is decoded
    Image.MAX_IMAGE_PIXELS = None
    try:
        image = Image.open(path)
        if image.format not in FORMATS:
            raise UnreadableError("unknown_format")
        count = min(max_pages, getattr(image, "n_frames", 1))
        for index in range(count):
            image.seek(index)
            _check_size(image)
            frame = ImageOps.exif_transpose(image.copy()) if index == 0 else image.copy()
            frame = frame.convert("RGB")
            width, height = frame.size
            yield frame, _A4_POINTS[0 if width <= height else 1] / width
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnreadableError("image_broken", detail=type(exc).__name__) from exc


def _check_size(image: Any) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise UnreadableError("image_too_large", pixels=f"{width * height / 1e6:.0f}", limit=f"{MAX_PIXELS / 1e6:g}")
