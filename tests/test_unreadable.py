"""Bad and hostile files: a clear one-line reason and exit code 2, never a traceback."""

from __future__ import annotations

import pytest

from conftest import json_lines, run_cli
from docxbuild import make_docx
from formbody import form
from hostile import CORPUS, zip_bomb
from kyotei_docs.errors import UnreadableError
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.pipeline import read_proposal


def _code(path) -> str:
    with pytest.raises(UnreadableError) as info:
        read_proposal(path)
    return info.value.code


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_refused_with_its_reason(tmp_path, name):
    """Empty, random bytes, truncated, a zip that is no Word file, a letter, encrypted, a zip bomb,
    too many entries, DOCTYPE/entities, broken XML — the corpus every way in is tried with
    (tests/hostile.py: the screen's uploads go through the same files)."""
    make, code = CORPUS[name]
    f = tmp_path / name
    f.write_bytes(make(tmp_path))
    assert _code(f) == code


def test_the_zip_bomb_is_small_on_disk(tmp_path):
    assert len(zip_bomb(tmp_path)) < 1024 * 1024  # refused for what it would expand to, not its size


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


def _cut_zip(path, parts: dict[str, bytes], *, stored_first: bool = False) -> None:
    """A zip written with ``parts`` and then cut before its central directory (a failed transfer)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, data) in enumerate(parts.items()):
            z.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored_first and i == 0 else None)
    whole = buffer.getvalue()
    path.write_bytes(whole[:whole.index(b"PK\x01\x02")])


@pytest.mark.parametrize(("name", "parts", "kind"), [
    ("book.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>" * 50}, "Excel"),
    ("proposal.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>" * 50}, "Word"),
    ("slides.pptx", {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>" * 50}, "PowerPoint"),
    ("proposal.odt", {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>" * 50},
     "OpenDocument"),
    ("archive.zip", {"notes.txt": b"hello" * 50}, "ZIP"),
])
def test_a_cut_office_file_is_called_by_its_kind(tmp_path, name, parts, kind):
    """The end of the file (the zip's directory) is gone; the parts' own headers still say what it was:
    a truncated workbook is an Excel file cut short, never 「Word ファイルが途中で切れています」."""
    path = tmp_path / name
    _cut_zip(path, parts, stored_first=name.endswith(".odt"))
    with pytest.raises(UnreadableError) as info:
        read_proposal(path)
    assert info.value.code == "truncated_zip"
    assert info.value.message.startswith(f"{kind} ファイルが途中で切れています"), info.value.message
