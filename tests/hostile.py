"""Hostile and broken submissions as bytes, with the reader's refusal code for each.

One corpus, so that every way a file reaches the readers is tried with the whole
set: the reader itself (tests/test_unreadable.py) and an upload on the screen,
which goes through the drop folder (tests/test_web.py).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from docxbuild import make_docx, p
from formbody import form

#: a megabyte of zeros, the unit the bombs below are built of
ZEROS_MB = bytes(1024 * 1024)
_zero_blocks: dict[int, bytes] = {}


class ZerosDeflater:
    """Deflates as ``zlib.compressobj(level, DEFLATED, wbits)`` does (raw deflate for a zip entry,
    ``wbits`` -15; a zlib stream for a PDF's FlateDecode, 15), except that each megabyte of zeros
    given to :meth:`compress` whole costs nothing.

    A bomb of hundreds of megabytes took a second of CPU per 300 MB to deflate, the same
    megabyte again and again.  Here its deflated bytes are made once per level: a full flush
    before and after them (byte-aligned, no reference to what came before) makes them a
    stretch that can stand anywhere in a stream, and a stream of such stretches inflates to
    exactly the data given (tests/test_hostile.py reads one back).  Only a zlib stream's
    Adler-32 is computed over the data (fast); a zip entry's CRC-32 is zipfile's.
    """

    def __init__(self, level: int = 9, wbits: int = -15) -> None:
        self._raw = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._level, self._zlib, self._adler, self._dirty = level, wbits > 0, 1, False
        self._head = zlib.compress(b"", level)[:2] if self._zlib else b""

    def compress(self, data: bytes) -> bytes:
        if self._zlib:
            self._adler = zlib.adler32(data, self._adler)
        head, self._head = self._head, b""
        if len(data) != len(ZEROS_MB) or data != ZEROS_MB:
            self._dirty = True
            return head + self._raw.compress(data)
        if self._level not in _zero_blocks:
            once = zlib.compressobj(self._level, zlib.DEFLATED, -15)
            _zero_blocks[self._level] = once.compress(ZEROS_MB) + once.flush(zlib.Z_FULL_FLUSH)
        ended = self._raw.flush(zlib.Z_FULL_FLUSH) if self._dirty else b""  # what came before, byte-aligned
        self._dirty = False
        return head + ended + _zero_blocks[self._level]

    def flush(self) -> bytes:
        head, self._head = self._head, b""
        return head + self._raw.flush() + (struct.pack(">I", self._adler) if self._zlib else b"")


def zero_entry(zf: zipfile.ZipFile, name: str, megabytes: float, prefix: bytes = b"") -> None:
    """A zip entry of ``prefix`` and then ``megabytes`` of zeros, written in chunks (never held in memory)."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as fh:
        # zipfile's writer deflates through this attribute (CPython 3.8–3.13): were it renamed, the
        # zeros would be deflated by zlib itself, the same entry, only slower
        fh._compressor = ZerosDeflater(zlib.Z_DEFAULT_COMPRESSION)  # type: ignore[attr-defined]
        fh.write(prefix)
        left = int(megabytes * len(ZEROS_MB))
        while left > 0:
            fh.write(ZEROS_MB[:left])
            left -= len(ZEROS_MB)


def _good(tmp: Path) -> bytes:
    return make_docx(form(), tmp / "good.docx").read_bytes()


def _rezip(tmp: Path, change: Callable[[str, bytes], bytes], extra: int = 0,
           method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_good(tmp))) as src, zipfile.ZipFile(out, "w", method) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, change(item.filename, src.read(item)))
        for i in range(extra):
            dst.writestr(f"junk/{i}.xml", b"<x/>")
    return out.getvalue()


def _doc_xml(f: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda name, data: f(data) if name == "word/document.xml" else data


def empty(tmp: Path) -> bytes:
    return b""


def random_bytes(tmp: Path) -> bytes:
    return bytes(range(256)) * 40


def truncated(tmp: Path) -> bytes:
    data = _good(tmp)
    return data[: len(data) // 2]


def zipped(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


def not_word(tmp: Path) -> bytes:
    return zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})


def slides(tmp: Path) -> bytes:
    return zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<presentation/>"})


def plain_zip(tmp: Path) -> bytes:
    return zipped({"photos/readme.txt": "not a document"})


def not_form1(tmp: Path) -> bytes:
    return make_docx(p("拝啓　時下ますますご清祥のこととお喜び申し上げます。") + p("敬具"), tmp / "letter.docx").read_bytes()


def encrypted(tmp: Path) -> bytes:
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1016)
    data += "EncryptionInfo".encode("utf-16-le") + b"\0" * 50 + "EncryptedPackage".encode("utf-16-le")
    return bytes(data + b"\0" * 4096)


def zip_bomb(tmp: Path) -> bytes:
    return _rezip(tmp, _doc_xml(lambda d: d.replace(b"</w:body>", b" " * (40 * 1024 * 1024) + b"</w:body>")))


def many_entries(tmp: Path) -> bytes:
    return _rezip(tmp, lambda n, d: d, extra=2100, method=zipfile.ZIP_STORED)


def xxe(tmp: Path) -> bytes:
    def evil(d: bytes) -> bytes:
        d = d.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">'
                             b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>', 1)
        return d.replace("株式会社テスト商事".encode(), b"&x;&b;")

    return _rezip(tmp, _doc_xml(evil))


def broken_xml(tmp: Path) -> bytes:
    return _rezip(tmp, _doc_xml(lambda d: d[: len(d) // 2]))


#: file name → (recipe, the reader's refusal code)
CORPUS: dict[str, tuple[Callable[[Path], bytes], str]] = {
    "empty.docx": (empty, "empty"),
    "random.docx": (random_bytes, "unknown_format"),
    "cut.docx": (truncated, "truncated_zip"),
    "book.docx": (not_word, "not_form1"),  # an empty Excel workbook named .docx: read as Excel, no Form 1 in it
    "slides.docx": (slides, "other_office"),  # a PowerPoint file named .docx
    "archive.docx": (plain_zip, "not_docx"),
    "letter.docx": (not_form1, "not_form1"),
    "locked.docx": (encrypted, "encrypted_office"),
    "bomb.docx": (zip_bomb, "zip_bomb"),
    "many.docx": (many_entries, "zip_bomb"),
    "xxe.docx": (xxe, "xml_forbidden"),
    "broken.docx": (broken_xml, "bad_xml"),
}
