"""Tell a file's format from its content, never from its name.

Staff rename files, mail clients add ``.dat``, and a PDF saved as ``.docx`` is
common; the extension is only used for messages.  Sniffing reads a bounded
amount: the first bytes, an OLE file's directory (:mod:`.ole`), a zip's
directory and at most the first bytes of its ``mimetype`` entry through the
bounded package reader (:mod:`.package`) — a ``mimetype`` entry inflating to
gigabytes is never inflated.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UnreadableError

#: an OLE compound file's first bytes (:data:`.ole.MAGIC`; the module is imported for such files only)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: JPEG, PNG, TIFF (little- and big-endian): a scan or a phone photo, read by OCR (:mod:`.image`)
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")
_OLE_SCAN = 4 * 1024 * 1024


def sniff(path: Path) -> str:
    """Return ``docx``, ``xlsx``, ``pdf``, ``odt``, ``doc``, ``xls``, ``rtf``, ``image``, ``encrypted_office``,
    ``other_office`` (PowerPoint), ``zip``, ``empty`` or ``unknown``.

    A zip that cannot even be opened (truncated, corrupt, a bomb) is ``docx`` or
    ``xlsx`` by the part names its first local headers carry (a workbook's are
    ``xl/…``): that reader opens it through the same package reader and says
    exactly what is wrong.
    """
    with open(path, "rb") as fh:
        head = fh.read(2048)
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path)
    if head.startswith(b"PK"):
        return _sniff_zip(path)
    if head.startswith(IMAGE_MAGIC):
        return "image"
    return "unknown"


def _sniff_ole(path: Path) -> str:
    """``doc``, ``encrypted_office`` (an encrypted .docx, or a .doc Word encrypted) or ``unknown``."""
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        try:
            from . import ole

            info = ole.inspect(fh, size)
        except (ValueError, OSError, IndexError):
            info = None
        if info is not None:
            if "encryptedpackage" in info.streams or info.word_encrypted:
                return "encrypted_office"
            if "worddocument" in info.streams:
                return "doc"
            return "xls" if info.streams & {"workbook", "book"} else "unknown"
        # a damaged directory: directory entries sit near the start in all files seen,
        # so a bounded, case-insensitive scan still tells most files apart
        fh.seek(0)
        data = fh.read(_OLE_SCAN).lower()
    if "encryptedpackage".encode("utf-16-le") in data:
        return "encrypted_office"
    if "worddocument".encode("utf-16-le") in data:
        return "doc"
    if "workbook".encode("utf-16-le") in data:
        return "xls"
    return "unknown"


def _sniff_zip(path: Path) -> str:
    from .package import Package

    try:
        with Package(path) as pkg:
            if "mimetype" in pkg and b"opendocument.text" in pkg.head("mimetype", 100):
                return "odt"
            names = pkg.names()
    except UnreadableError:
        return _damaged_zip(path)
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "other_office"  # a PowerPoint file: staff can say what to ask for
    return "zip"


def _damaged_zip(path: Path) -> str:
    """``xlsx`` when the first local headers name workbook parts (``xl/…``), else ``docx``."""
    from .package import kind_from_local_headers

    with open(path, "rb") as fh:
        return "xlsx" if kind_from_local_headers(fh) == "Excel" else "docx"
