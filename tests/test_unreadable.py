"""Bad and hostile files: a clear one-line reason and exit code 2, never a traceback."""

from __future__ import annotations

import zipfile

import pytest

from conftest import json_lines, run_cli
from docxbuild import make_docx, p
from formbody import form
from kyotei_docs.errors import UnreadableError
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.pipeline import read_proposal


def _code(path) -> str:
    with pytest.raises(UnreadableError) as info:
        read_proposal(path)
    return info.value.code


def test_empty_file(tmp_path):
    f = tmp_path / "empty.docx"
    f.write_bytes(b"")
    assert _code(f) == "empty"


def test_random_bytes_with_docx_name(tmp_path):
    f = tmp_path / "random.docx"
    f.write_bytes(bytes(range(256)) * 40)
    assert _code(f) == "unknown_format"


def test_truncated_docx(tmp_path):
    good = make_docx(form(), tmp_path / "good.docx")
    data = good.read_bytes()
    bad = tmp_path / "cut.docx"
    bad.write_bytes(data[: len(data) // 2])
    assert _code(bad) == "truncated_zip"


def test_zip_that_is_not_a_word_document(tmp_path):
    f = tmp_path / "book.docx"
    with zipfile.ZipFile(f, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert _code(f) == "not_docx"


def test_word_document_that_is_not_form1(tmp_path):
    letter = make_docx(p("拝啓　時下ますますご清祥のこととお喜び申し上げます。") + p("敬具"), tmp_path / "letter.docx")
    assert _code(letter) == "not_form1"


def test_password_protected_office_file(tmp_path):
    # an encrypted .docx is an OLE compound file holding an EncryptedPackage stream
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1016)
    data += "EncryptionInfo".encode("utf-16-le") + b"\0" * 50 + "EncryptedPackage".encode("utf-16-le")
    data += b"\0" * 4096
    f = tmp_path / "locked.docx"
    f.write_bytes(bytes(data))
    assert _code(f) == "encrypted_office"


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    good = make_docx(form(), tmp_path / "good.docx")
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b" " * (40 * 1024 * 1024) + b"</w:body>")
            dst.writestr(item.filename, data)
    assert bomb.stat().st_size < 1024 * 1024
    assert _code(bomb) == "zip_bomb"


def test_too_many_entries(tmp_path):
    good = make_docx(form(), tmp_path / "good.docx")
    many = tmp_path / "many.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(many, "w") as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item))
        for i in range(2100):
            dst.writestr(f"junk/{i}.xml", b"<x/>")
    assert _code(many) == "zip_bomb"


def test_doctype_and_entities_are_refused(tmp_path):
    good = make_docx(form(), tmp_path / "good.docx")
    evil = tmp_path / "xxe.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">'
                                           b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>', 1)
                data = data.replace("株式会社テスト商事".encode(), b"&x;&b;")
            dst.writestr(item.filename, data)
    assert _code(evil) == "xml_forbidden"


def test_broken_xml(tmp_path):
    good = make_docx(form(), tmp_path / "good.docx")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            dst.writestr(item.filename, data)
    assert _code(broken) == "bad_xml"


def test_cli_unreadable_exit_code_and_one_line_reason(tmp_path):
    f = tmp_path / "empty.docx"
    f.write_bytes(b"")
    res = run_cli("check", str(f))
    assert res.returncode == ExitCode.UNREADABLE
    assert "Traceback" not in res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "空" in lines[0] and "empty.docx" in lines[0]


def test_cli_batch_continues_after_a_bad_file(tmp_path):
    good = make_docx(form(), tmp_path / "a_good.docx")
    bad = tmp_path / "b_bad.docx"
    bad.write_bytes(b"PK\x03\x04garbage")
    res = run_cli("parse", "--json", str(good), str(bad))
    assert res.returncode == ExitCode.UNREADABLE
    objs = json_lines(res.stdout)
    assert [o["file"] for o in objs] == ["a_good.docx", "b_bad.docx"]
    assert objs[0]["organization"]["name"] == "株式会社テスト商事"
    assert objs[1]["error"]["code"] in ("truncated_zip", "not_zip")


def test_cli_english_messages(tmp_path):
    f = tmp_path / "empty.docx"
    f.write_bytes(b"")
    res = run_cli("--lang", "en", "parse", str(f))
    assert res.returncode == ExitCode.UNREADABLE and "empty" in res.stderr.lower() and "空" not in res.stderr
