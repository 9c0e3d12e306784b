"""Hostile and broken submissions as bytes, with the reader's refusal code for each.

One corpus, so that every way a file reaches the readers is tried with the whole
set: the reader itself (tests/test_unreadable.py) and an upload on the screen,
which goes through the drop folder (tests/test_web.py).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from docxbuild import make_docx, p
from formbody import form


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
