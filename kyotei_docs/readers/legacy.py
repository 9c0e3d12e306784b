"""Legacy word-processor files (.doc, .odt, .rtf): convert to .docx, then read as .docx.

A second reader for Word 97–2003 binaries would be a second source of bugs; the
.docx reader already handles everything a form can hold.  LibreOffice converts
the file (private profile, hard timeout, verified output: :mod:`kyotei_docs.office`)
and the result is read by :func:`~kyotei_docs.readers.docx.read_docx`; the
proposal keeps the original file's name and reports its real format.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..errors import UnreadableError
from ..form import FormDoc

#: sniffed format -> how staff know it
KINDS = {"doc": "Word 97–2003 (.doc)", "odt": "OpenDocument (.odt)", "rtf": "リッチテキスト (.rtf)"}


def read_legacy(path: Path, fmt: str) -> FormDoc:
    from .. import office
    from .docx import read_docx
    from .options import current

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
        shutil.copyfile(path, src)
        try:
            result = office.convert([src], "docx", Path(tmp) / "out", timeout=limits.office_seconds,
                                    memory_mb=limits.office_memory_mb)
        except office.OfficeUnavailable as exc:
            raise UnreadableError("legacy_needs_office", kind=kind) from exc
        out = result.outputs.get(src)
        if out is None:
            raise UnreadableError("legacy_convert_failed", kind=kind,
                                  detail=result.failures.get(src, "no output"))
        doc = read_docx(out)
    doc.path = str(path)
    doc.format = fmt
    return doc
