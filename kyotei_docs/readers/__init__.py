"""Readers: one per file format, each producing a :class:`~kyotei_docs.form.FormDoc`.

A new format is a new reader registered in ``READERS``; nothing else changes.
The format is sniffed from the file's bytes, never taken from its name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import UnreadableError
from ..form import FormDoc
from .sniff import sniff

Reader = Callable[[Path], FormDoc]


def _docx(path: Path) -> FormDoc:
    from .docx import read_docx
    return read_docx(path)


def _pdf(path: Path) -> FormDoc:
    from .pdf import read_pdf
    return read_pdf(path)


def _xlsx(path: Path) -> FormDoc:
    from .xlsx import read_xlsx
    return read_xlsx(path)


def _image(path: Path) -> FormDoc:
    from .image import read_image
    return read_image(path)


def _legacy(fmt: str) -> Reader:
    def read(path: Path) -> FormDoc:
        from .legacy import read_legacy
        return read_legacy(path, fmt)
    return read


#: format name (as sniffed) -> reader.  Readers import their libraries lazily.
READERS: dict[str, Reader] = {"docx": _docx, "pdf": _pdf, "xlsx": _xlsx, "image": _image, "xls": _legacy("xls"),
                              "doc": _legacy("doc"), "odt": _legacy("odt"), "rtf": _legacy("rtf")}

#: sniffed kinds we recognise but cannot read, with the error code to report
_REFUSED = {"empty": "empty", "encrypted_office": "encrypted_office", "other_office": "other_office",
            "zip": "not_docx", "unknown": "unknown_format"}


def register(fmt: str, reader: Reader) -> None:
    READERS[fmt] = reader


def read_form(path: Path | str) -> FormDoc:
    """Read ``path`` with the reader for its real format; raise UnreadableError otherwise."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableError("not_found", path=str(path))
    from .options import current

    limit = current().effective_limits().file_bytes
    size = path.stat().st_size
    if size > limit:  # no reader is given a file larger than the limit (its time and memory bound)
        raise UnreadableError("too_large", size=f"{size / 2**20:.0f}", limit=f"{limit / 2**20:.0f}")
    kind = sniff(path)
    reader = READERS.get(kind)
    if reader is None:
        code = _REFUSED.get(kind, "unknown_format")
        if code == "not_docx":
            raise UnreadableError("not_docx", kind="zip")
        raise UnreadableError(code)
    doc = reader(path)
    if "ocr_used" in doc.warnings:  # here, in the process that holds the configuration's words
        from .ocrwords import snap_words

        snap_words(doc, current().ocr_words)
    return doc
