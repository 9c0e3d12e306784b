"""The one way to publish a file: whole or not at all, never over an existing file, one naming for copies."""

from __future__ import annotations

import errno
import os

import pytest

from conftest import run_cli
from kyotei_docs.publish import (
    TMP_MARK,
    PublishError,
    copy_new,
    free_folder_name,
    numbered,
    publish,
    temp_path,
    write_new,
)


def _left(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_copies_are_numbered_and_nothing_is_replaced(tmp_path):
    target = tmp_path / "協定書.docx"
    target.write_text("signed", encoding="utf-8")
    second = write_new(target, lambda tmp: tmp.write_text("new", encoding="utf-8"))
    third = write_new(target, lambda tmp: tmp.write_text("newer", encoding="utf-8"))
    assert (second.name, third.name) == ("協定書(2).docx", "協定書(3).docx")
    assert target.read_text("utf-8") == "signed" and third.read_text("utf-8") == "newer"
    # asking for a copy's name continues from its number
    assert write_new(second, lambda tmp: tmp.write_bytes(b"x")).name == "協定書(4).docx"
    assert _left(tmp_path) == ["協定書(2).docx", "協定書(3).docx", "協定書(4).docx", "協定書.docx"]


def test_without_copies_a_taken_name_is_refused_and_kept(tmp_path):
    target = tmp_path / "backup.sqlite3"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        write_new(target, lambda tmp: tmp.write_bytes(b"other"), copies=False)
    assert target.read_bytes() == b"precious" and _left(tmp_path) == ["backup.sqlite3"]


def test_a_failed_write_leaves_nothing(tmp_path):
    def fail(tmp):
        tmp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        write_new(tmp_path / "a.pdf", fail)
    assert _left(tmp_path) == []


def test_replace_only_when_asked(tmp_path):
    target = tmp_path / "台帳.csv"
    target.write_bytes(b"old")
    assert write_new(target, lambda tmp: tmp.write_bytes(b"new"), replace=True) == target
    assert target.read_bytes() == b"new" and _left(tmp_path) == ["台帳.csv"]


def test_without_hard_links_the_name_is_still_never_replaced(tmp_path, monkeypatch):
    """A file system without hard links (FAT, some shares): exclusive create, then rename over our reservation."""

    def no_links(src, dst):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "a.docx"
    assert write_new(target, lambda tmp: tmp.write_bytes(b"one")) == target
    assert write_new(target, lambda tmp: tmp.write_bytes(b"two")).name == "a(2).docx"
    with pytest.raises(FileExistsError):
        write_new(target, lambda tmp: tmp.write_bytes(b"three"), copies=False)
    assert target.read_bytes() == b"one" and _left(tmp_path) == ["a(2).docx", "a.docx"]


def test_temporary_files_are_hidden_and_marked(tmp_path):
    tmp = temp_path(tmp_path, ".docx")
    assert tmp.name.startswith(".") and TMP_MARK in tmp.name and tmp.name.endswith(".docx")
    tmp.write_bytes(b"x")
    assert publish(tmp, tmp_path / "x.docx").name == "x.docx" and not tmp.exists()


def test_no_room_after_the_last_number(tmp_path, monkeypatch):
    import kyotei_docs.publish as publish_module

    monkeypatch.setattr(publish_module, "MAX_NUMBER", 3)
    for n in (1, 2, 3):
        numbered(tmp_path / "a.txt", n).write_bytes(b"")
    with pytest.raises(PublishError) as err:
        write_new(tmp_path / "a.txt", lambda tmp: tmp.write_bytes(b"x"))
    assert err.value.code == "no_room" and "整理" in err.value.message
    assert len(_left(tmp_path)) == 3


def test_copy_and_folder_names(tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(b"data" * 1000)
    out = tmp_path / "out"
    out.mkdir()
    assert copy_new(src, out / "a.bin").read_bytes() == src.read_bytes()
    assert copy_new(src, out / "a.bin").name == "a(2).bin"
    folder = tmp_path / "20261201-101010-abcd_株式会社X"
    assert free_folder_name(folder) == folder
    folder.mkdir()
    assert free_folder_name(folder).name == "20261201-101010-abcd_株式会社X(2)"


# ------------------------------------------------------------------------ commands that publish


def test_templates_export_into_a_folder_that_holds_them_exits_1(tmp_path):
    folder = tmp_path / "city"
    first = run_cli("templates", "export", str(folder))
    assert first.returncode == 0, first.stderr
    kept = {p.name: p.read_bytes() for p in folder.iterdir()}
    second = run_cli("templates", "export", str(folder))
    assert second.returncode == 1 and "上書きしません" in second.stdout
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == kept


def test_blank_form_refuses_a_name_that_says_another_format(tmp_path):
    for args in (("--pdf", "x.docx"), ("x.doc",), ("--pdf", "x")):
        res = run_cli("blank-form", *args[:-1], str(tmp_path / args[-1]))
        assert res.returncode == 2, res
        assert "Traceback" not in res.stderr and (".pdf" in res.stderr or ".docx" in res.stderr)
    assert _left(tmp_path) == []
    res = run_cli("blank-form", "--pdf", str(tmp_path / "x.pdf"))
    assert res.returncode == 0 and (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")
    assert _left(tmp_path) == ["x.pdf"]


def test_check_out_twice_keeps_the_first_results(tmp_path):
    from docxbuild import make_docx
    from formbody import form

    f = make_docx(form(), tmp_path / "a.docx")
    out = tmp_path / "out"
    assert run_cli("check", str(f), "--out", str(out)).returncode == 0
    first = (out / "summary.txt").read_bytes()
    again = run_cli("check", str(f), "--out", str(out))
    assert again.returncode == 0 and (out / "summary.txt").read_bytes() == first
    assert f"結果を {out} に書き出しました（1ファイルにつき .check.json、全体の一覧 summary(2).txt）" in again.stdout
    assert _left(out) == ["a.docx.check(2).json", "a.docx.check.json", "summary(2).txt", "summary.txt"]
