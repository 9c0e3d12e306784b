"""Pages of an original as PNG images, to compare review items with what the company sent.

Why images: a browser shows a PNG everywhere without plug-ins, and the
original's bytes never reach the browser as a document that could run
anything.  A PDF's pages are drawn by poppler's ``pdftoppm``; a Word file
(or .odt/.rtf) is first converted to PDF by LibreOffice (``office.convert``,
private profile, time limit).  Both run as child processes with a time limit;
only the first ``[web] preview_pages`` pages are drawn.  Results are cached in
a private temporary folder of the server, keyed by the file's SHA-256, so a
page is drawn once per server run.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import subprocess
import tempfile
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

PDFTOPPM_SECONDS = 30
RESOLUTION = 80  # dots per inch: an A4 page is about 660 × 935 pixels

_lock = threading.Lock()
_cache_root: Path | None = None


def _cache() -> Path:
    global _cache_root
    with _lock:
        if _cache_root is None or not _cache_root.is_dir():
            _cache_root = Path(tempfile.mkdtemp(prefix="kyotei-preview-"))
        return _cache_root


def available() -> bool:
    return shutil.which("pdftoppm") is not None


def _sniff(path: Path) -> str:
    from ..readers.sniff import sniff

    try:
        return str(sniff(path))
    except Exception:  # an unreadable file has no preview
        return "unknown"


def ready(original: Path) -> bool:
    """True when pages can be drawn without LibreOffice: a PDF, or a file converted before."""
    if _sniff(original) in ("pdf", "image"):
        return True
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    return (_cache() / digest / "original.pdf").is_file()


def page_png(original: Path, page: int, max_pages: int, *, convert: bool = True,
             gate: AbstractContextManager[Any] | None = None) -> Path | None:
    """The PNG of ``page`` (1-based) of ``original``, or None if it cannot be drawn.

    ``convert`` False: a Word original not converted before is not converted now (a 閲覧 user
    does not start LibreOffice).  ``gate`` is held while a child process draws or converts
    (the server's one queue for heavy work); a cached page needs neither.
    """
    if not 1 <= page <= max_pages or not available():
        return None
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    folder = _cache() / digest
    png = folder / f"page-{page}.png"
    if png.is_file():
        return png
    with _lock:
        folder.mkdir(exist_ok=True)
    if not convert and not ready(original):
        return None
    with gate or contextlib.nullcontext():
        pdf = _as_pdf(original, folder)
        if pdf is None:
            return None
        prefix = folder / f"p{page}"
        try:
            subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", str(page), "-l", str(page),
                            "-singlefile", str(pdf), str(prefix)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=PDFTOPPM_SECONDS,
                           check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
    made = prefix.with_name(prefix.name + ".png")
    if not made.is_file():
        return None
    made.replace(png)
    return png


#: what LibreOffice turns into pages for a preview
_OFFICE_KINDS = ("docx", "doc", "odt", "rtf", "xlsx", "xls")


def convertible(original: Path) -> bool:
    """A file LibreOffice could draw (a Word or Excel file): what a 閲覧 user is told a 担当 user can show."""
    return _sniff(original) in _OFFICE_KINDS


def _as_pdf(original: Path, folder: Path) -> Path | None:
    kind = _sniff(original)
    if kind == "pdf":
        return original
    pdf = folder / "original.pdf"
    if kind == "image":
        return pdf if pdf.is_file() else _image_pdf(original, pdf)
    if kind not in _OFFICE_KINDS:
        return None
    if pdf.is_file():
        return pdf
    from ..office import OfficeUnavailable, convert

    with tempfile.TemporaryDirectory(prefix="kyotei-preview-in-") as tmp:
        src = Path(tmp) / f"original.{kind}"
        shutil.copyfile(original, src)
        try:
            result = convert([src], "pdf", Path(tmp) / "out", timeout=120)
        except OfficeUnavailable:
            return None
        made = result.outputs.get(src)
        if made is None:
            return None
        shutil.copyfile(made, pdf)
    return pdf


def _image_pdf(original: Path, pdf: Path) -> Path | None:
    """A scan or photo as a PDF of its pages, upright as its EXIF tag says, for pdftoppm to draw.

    Only an image within the reader's pixel bound is decoded (checked from
    its header first, :mod:`..readers.image`), so a bomb is never drawn.
    """
    from ..errors import UnreadableError
    from ..readers.image import pages

    try:
        frames = [frame for frame, _ in pages(str(original), max_pages=20)]
    except (UnreadableError, OSError, ValueError):
        return None
    if not frames:
        return None
    tmp = pdf.with_name(pdf.name + ".part")
    frames[0].save(tmp, "PDF", resolution=150, save_all=True, append_images=frames[1:])
    tmp.replace(pdf)
    return pdf


def page_count(original: Path, max_pages: int, *, convert: bool = True,
               gate: AbstractContextManager[Any] | None = None) -> int:
    """Pages to offer (at most ``max_pages``); 0 when the file cannot be shown (``convert``, ``gate``:
    as for :func:`page_png`)."""
    if not available() or (not convert and not ready(original)):
        return 0
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    folder = _cache() / digest
    with _lock:
        folder.mkdir(exist_ok=True)
    if (folder / "original.pdf").is_file() or _sniff(original) == "pdf":
        pdf = _as_pdf(original, folder)
    else:
        with gate or contextlib.nullcontext():
            pdf = _as_pdf(original, folder)
    if pdf is None:
        return 0
    try:
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, timeout=PDFTOPPM_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return 0
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("Pages:"):
            try:
                return max(0, min(max_pages, int(line.split(":", 1)[1])))
            except ValueError:
                return 0
    return 0
