"""Legacy files (.doc, .odt, .rtf; Excel's .xls): convert to .docx (.xlsx), then read as that.

A second reader for Word 97–2003 binaries would be a second source of bugs; the
.docx reader already handles everything a form can hold.  LibreOffice converts
the file (private profile, hard timeout, verified output: :mod:`kyotei_docs.office`)
and the result is read by :func:`~kyotei_docs.readers.docx.read_docx` (an Excel 97–2003
workbook becomes an .xlsx read by :func:`~kyotei_docs.readers.xlsx.read_xlsx`); the
proposal keeps the original file's name and reports its real format.

An .rtf LibreOffice saved from a form with content controls holds a control
character (``\\u5``) between the copies of each answer it writes; read back,
it becomes a 「0」 inside the value (「地域連携部0地域連携部」).  Control
characters are never text, so their escapes are left out of the copy LibreOffice
converts, and the copies are dropped as in any other format (:mod:`.fieldcopies`).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from ..errors import UnreadableError
from ..form import FormDoc

#: sniffed format -> how staff know it
KINDS = {"doc": "Word 97–2003 (.doc)", "odt": "OpenDocument (.odt)", "rtf": "リッチテキスト (.rtf)",
         "xls": "Excel 97–2003 (.xls)"}
#: sniffed format -> what LibreOffice converts it to
TARGETS = {"xls": "xlsx"}


def read_legacy(path: Path, fmt: str) -> FormDoc:
    from .. import office
    from .docx import read_docx
    from .options import current
    from .xlsx import read_xlsx

    kind = KINDS.get(fmt, fmt)
    limits = current().effective_limits()
    if fmt == "odt":
        # an .odt is a zip: prove what its entries really inflate to before
        # LibreOffice (which has no such bound) reads them
        from .package import Package

        with Package(path, limits) as pkg:
            pkg.verify()
    if not office.soffice_available():
        raise UnreadableError("legacy_needs_office", kind=kind)
    with tempfile.TemporaryDirectory(prefix="kyotei-legacy-") as tmp:
        # a plain ASCII name with the real suffix: soffice picks its import filter by both
        src = Path(tmp) / f"submitted.{fmt}"
        if fmt == "rtf":
            src.write_bytes(rtf_without_controls(path.read_bytes()))
        else:
            shutil.copyfile(path, src)
        try:
            result = office.convert([src], TARGETS.get(fmt, "docx"), Path(tmp) / "out", timeout=limits.office_seconds,
                                    memory_mb=limits.office_memory_mb)
        except office.OfficeUnavailable as exc:
            raise UnreadableError("legacy_needs_office", kind=kind) from exc
        out = result.outputs.get(src)
        if out is None:
            raise UnreadableError("legacy_convert_failed", kind=kind,
                                  detail=result.failures.get(src, "no output"))
        doc = read_xlsx(out) if TARGETS.get(fmt) == "xlsx" else read_docx(out)
    doc.path = str(path)
    doc.format = fmt
    return doc


#: an RTF escape of a control character (U+0000–U+001F but tab, line feed and carriage return),
#: with the one fallback character after it (``\'05`` or ``?``); not a literal ``\\u5``
_RTF_CONTROL = re.compile(rb"(?<!\\)\\u0*(?:[0-8]|1[1-24-9]|2[0-9]|3[01])(?![0-9])(?:\\'[0-9a-fA-F]{2}|\?)?")


def rtf_without_controls(data: bytes) -> bytes:
    """``data`` (an .rtf) without the escapes of control characters, which are never text."""
    return _RTF_CONTROL.sub(b"", data)
