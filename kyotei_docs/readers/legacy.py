"""Legacy files (.doc, .odt, .rtf; Excel's .xls): convert to .docx (.xlsx), then read as that.

A second reader for Word 97–2003 binaries would be a second source of bugs; the
.docx reader already handles everything a form can hold.  LibreOffice converts
the file (private profile, hard timeout, verified output: :mod:`kyotei_docs.office`)
and the result is read by :func:`~kyotei_docs.readers.docx.read_docx` (an Excel 97–2003
workbook becomes an .xlsx read by :func:`~kyotei_docs.readers.xlsx.read_xlsx`); the
proposal keeps the original file's name and reports its real format.

What is plainly not Form 1 is refused from the file's own text before LibreOffice
starts (:func:`may_be_form1_file`, the same lenient test as the .docx and PDF
readers): an .odt's ``content.xml`` through the bounded zip reader, an .rtf's text
without its control words, a .doc's ``WordDocument`` stream through the OLE reader
(Japanese text is stored there as UTF-16; its runs of text are enough for one word
of Form 1).  Text the probe cannot get at goes on to LibreOffice.

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
    if current().form1_only and fmt in ("doc", "odt", "rtf") and not may_be_form1_file(path, fmt):
        raise UnreadableError("not_form1")  # LibreOffice (~210 MB, seconds) only for what may be Form 1
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


#: text a legacy file's probe reads at most, and the least it must find to refuse without a word of Form 1
PROBE_BYTES = 256 * 1024
PROBE_CHARS = 400


def may_be_form1_file(path: Path, fmt: str) -> bool:
    """False when the file's own text is long enough and holds no word of Form 1 (see the module's docstring)."""
    from ..vocab import may_be_form1

    try:
        text = {"odt": _odt_text, "rtf": _rtf_text, "doc": _doc_text}[fmt](path)
    except (OSError, ValueError, KeyError, UnreadableError):
        return True  # the probe could not read it: LibreOffice decides
    return len(text) < PROBE_CHARS or may_be_form1(text)


def _odt_text(path: Path) -> str:
    from .options import current
    from .package import Package

    with Package(path, current().effective_limits()) as pkg:
        root = pkg.xml("content.xml")
    return " ".join(str(t) for t in root.itertext())[:PROBE_BYTES]


_RTF_SKIP = re.compile(rb"\\(?:fonttbl|colortbl|stylesheet|info|pict|listtable|listoverridetable|themedata|"
                       rb"colorschememapping|latentstyles|datastore|xmlnstbl|rsidtbl|generator|\*)")
_RTF_TOKEN = re.compile(rb"\\u(-?\d+) ?|\\'([0-9a-fA-F]{2})|\\([a-zA-Z]+)(-?\d+)? ?|\\([^a-zA-Z])|([{}])|([^\\{}]+)")


def _rtf_text(path: Path) -> str:
    """The text of an .rtf: groups that are not text (fonts, colours, pictures, ``{\\*…}``) left out,
    ``\\uN`` and ``\\'hh`` (in the document's code page) decoded, every other control word dropped.
    After ``\\uN`` the writer's ``\\ucN`` fallback characters are skipped (LibreOffice writes ``\\uc2``
    and two ``\\'hh`` in cp932 when it saves a .doc as .rtf)."""
    with path.open("rb") as fh:
        data = fh.read(PROBE_BYTES * 4)
    codepage = re.search(rb"\\ansicpg(\d+)", data[:2048])
    encoding = f"cp{int(codepage.group(1))}" if codepage else "cp1252"
    out: list[str] = []
    pending = bytearray()
    depth, skip_from, skip_next = 0, None, 0
    fallback = [1]  # \ucN of each open group: how many characters follow \uN for readers without Unicode

    def flush() -> None:
        if pending:
            try:
                out.append(pending.decode(encoding, "replace"))
            except LookupError:
                out.append(pending.decode("cp1252", "replace"))
            pending.clear()

    for n, m in enumerate(_RTF_TOKEN.finditer(data)):
        if n % 4096 == 4095 and sum(len(s) for s in out) > PROBE_BYTES:
            break
        unicode, hexbyte, word, _arg, symbol, brace, plain = m.groups()
        if brace == b"{":
            depth += 1
            fallback.append(fallback[-1])
            if skip_from is None and _RTF_SKIP.match(data, m.end()):
                skip_from = depth
            continue
        if brace == b"}":
            if skip_from == depth:
                skip_from = None
            depth -= 1
            if len(fallback) > 1:
                fallback.pop()
            continue
        if skip_from is not None:
            continue
        if unicode is not None:
            flush()
            n = int(unicode)
            out.append(chr(n + 65536 if n < 0 else n) if -32768 <= n < 65536 else "")
            skip_next = fallback[-1]  # the fallback characters after \uN
        elif hexbyte is not None:
            if skip_next:
                skip_next -= 1
            else:
                pending.append(int(hexbyte, 16))
        elif plain is not None:
            flush()
            text = plain.replace(b"\r", b"").replace(b"\n", b"")
            if skip_next and text:
                text, skip_next = text[skip_next:], max(0, skip_next - len(text))
            out.append(text.decode(encoding, "replace") if text else "")
        elif word is not None:
            flush()
            skip_next = 0
            if word == b"uc" and _arg is not None:
                fallback[-1] = max(0, int(_arg))
            if word in (b"par", b"line", b"tab", b"cell"):
                out.append(" ")
        elif symbol is not None:
            flush()
            if symbol in (b"\\", b"{", b"}"):
                out.append(symbol.decode())
    flush()
    return "".join(out)


_DOC_TEXT = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffefA-Za-z0-9 、。・：（）\n]{2,}")


def _doc_text(path: Path) -> str:
    """Runs of text in a .doc's ``WordDocument`` stream: Word keeps Japanese there as UTF-16 (read at
    both byte alignments, as a piece may start at either), ASCII as single bytes."""
    from . import ole

    with path.open("rb") as fh:
        stream = ole.read_word_stream(fh, path.stat().st_size, PROBE_BYTES)
    if not stream:
        raise ValueError("no WordDocument stream in regular sectors")
    runs: list[str] = []
    for start in (0, 1):
        chunk = stream[start:]
        runs += _DOC_TEXT.findall(chunk[:len(chunk) // 2 * 2].decode("utf-16-le", "replace"))
    runs += re.findall(r"[ -~]{4,}", stream.decode("latin-1"))
    return " ".join(r for r in runs if len(r.strip()) >= 2)
