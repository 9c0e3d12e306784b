"""Print-ready PDFs through the shared LibreOffice runner (:mod:`kyotei_docs.office`).

Why a batch: starting soffice costs about a second, converting one more
document about a tenth of that, so all documents of a run go through one
process.  The runner converts into a private scratch folder; each PDF is then
published next to its .docx under the no-overwrite rule of :mod:`.naming`
(the runner itself would replace a file of the same name, and could mistake a
stale one for fresh output).

Item numbers ⑴…⒇ (U+2474–U+2487): the IPA fonts installed on Linux servers do
not have these glyphs (measured: ``fc-query`` lists U+2460–2473 but not
2474–2487), so LibreOffice would print an empty box.  When no installed font
has them, the copy handed to LibreOffice writes 「(1)」 instead; the .docx keeps
⑴ (Word on Windows prints it).  Installing a font that has them (e.g. Noto
Serif CJK JP) makes the PDF use ⑴ as well, automatically.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

from ..errors import UnreadableError
from .naming import private_dir, publish

__all__ = ["PdfBatch", "numbers_printable", "pdf_batch"]

_PARENTHESISED = re.compile("[\u2474-\u2487]")
_XML_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


class PdfBatch(dict[Path, Path]):
    """``{docx: pdf}`` for every document converted; ``failures`` holds ``{docx: reason}`` for the rest."""

    def __init__(self) -> None:
        super().__init__()
        self.failures: dict[Path, str] = {}


@lru_cache(maxsize=1)
def numbers_printable() -> bool:
    """True if an installed font has ⑴ (U+2474), so LibreOffice can print it."""
    if os.name == "nt" or sys.platform == "darwin":
        return True  # MS/Hiragino fonts and font fallback cover them
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        out = subprocess.run([fc_list, ":charset=2474", "family"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def _plain_number(m: re.Match[str]) -> str:
    return f"({ord(m.group(0)) - 0x2473})"


def printable_copy(src: Path, folder: Path) -> Path:
    """``src`` itself, or a copy in ``folder`` (same name) with ⑴… written as (1)… if no font has them."""
    if numbers_printable():
        return src
    from ..readers.package import Package

    with Package(src) as pkg:  # read under the same caps as every zip (one way of opening one)
        parts = {name: pkg.read(name) for name in pkg.names() if _XML_PARTS.fullmatch(name)}
        if not any(_PARENTHESISED.search(data.decode("utf-8", "replace")) for data in parts.values()):
            return src
        target = folder / src.name
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in pkg.names():
                data = parts.get(name)
                if data is not None:
                    data = _PARENTHESISED.sub(_plain_number, data.decode("utf-8")).encode("utf-8")
                else:
                    data = pkg.read(name)
                zout.writestr(pkg.info(name), data)
    return target


def pdf_batch(docx_files: list[Path], out_dir: Path, *, timeout: float = 120.0) -> PdfBatch:
    """Convert ``docx_files`` to PDF in one LibreOffice process; PDFs go to ``out_dir``.

    Each PDF is named like its .docx (``X.docx`` → ``X.pdf``, or ``X(2).pdf`` if
    ``X.pdf`` exists).  Raises :class:`kyotei_docs.office.OfficeUnavailable`
    when LibreOffice is not installed; a document that fails is listed in
    ``failures`` and does not stop the others.
    """
    from ..office import convert

    result = PdfBatch()
    if not docx_files:
        return result
    with private_dir(Path(out_dir), ".kyotei-pdf-") as scratch:
        inputs, outputs = scratch / "in", scratch / "out"
        inputs.mkdir()
        sources: dict[Path, Path] = {}
        for src in map(Path, docx_files):
            folder = inputs / str(len(sources) + len(result.failures))  # one folder each: equal names from different folders
            folder.mkdir()
            try:
                sources[src] = printable_copy(src, folder)
            except (OSError, UnreadableError, UnicodeDecodeError) as exc:
                result.failures[src] = f"{type(exc).__name__}: {exc}"
        converted = convert(list(sources.values()), "pdf", outputs, timeout=timeout)
        for src, given in sources.items():
            made = converted.outputs.get(given)
            if made is None:
                result.failures[src] = converted.failures.get(given, "?")
                continue
            result[src] = publish(made, Path(out_dir) / f"{src.stem}.pdf")
    return result
