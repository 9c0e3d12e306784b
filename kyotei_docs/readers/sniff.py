"""Tell a file's format from its first bytes, never from its name.

Staff rename files, mail clients add ``.dat``, and a PDF saved as ``.docx`` is
common; the extension is only used for messages.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_OLE_WORD = "WordDocument".encode("utf-16-le")


def sniff(path: Path) -> str:
    """Return ``docx``, ``pdf``, ``odt``, ``doc``, ``rtf``, ``encrypted_office``,
    ``zip``, ``empty`` or ``unknown``."""
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
    return "unknown"


def _sniff_ole(path: Path) -> str:
    # An encrypted .docx/.xlsx is an OLE file holding an "EncryptedPackage"
    # stream; directory entries sit near the start in all files seen, so a
    # bounded scan is enough and never loads a large file.
    with open(path, "rb") as fh:
        data = fh.read(4 * 1024 * 1024)
    if _OLE_ENCRYPTED in data:
        return "encrypted_office"
    if _OLE_WORD in data:
        return "doc"
    return "unknown"


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mime = zf.read("mimetype")[:100]
                if b"opendocument.text" in mime:
                    return "odt"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "docx"  # a damaged zip: the docx reader says exactly what is wrong
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return "docx"
    return "zip"
