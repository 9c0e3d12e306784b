"""Word 97–2003 .doc, .odt and .rtf: converted by LibreOffice, then read by the .docx reader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import json_lines, run_cli
from docxbuild import make_docx
from formbody import form
from kyotei_docs import office
from kyotei_docs.errors import UnreadableError
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.pipeline import read_proposal
from kyotei_docs.readers import read_form
from kyotei_docs.readers.sniff import sniff
from pdfbuild import docx_to


@pytest.fixture(scope="module")
def legacy(tmp_path_factory) -> dict[str, Path]:
    """The standard form saved by LibreOffice as .odt and .rtf, and the .odt saved as .doc.

    (LibreOffice 7.4 drops the table when it writes this minimal .docx straight to
    .doc; from its own .odt it writes the Word 97 table as Word does.)
    """
    folder = tmp_path_factory.mktemp("legacy")
    docx = make_docx(form(), folder / "提案書.docx")
    odt = docx_to(docx, "odt", folder / "odt")
    return {"docx": docx, "odt": odt, "rtf": docx_to(docx, "rtf", folder / "rtf"),
            "doc": docx_to(odt, "doc", folder / "doc")}


@pytest.mark.parametrize("fmt", ["doc", "odt", "rtf"])
@pytest.mark.libreoffice
@pytest.mark.slow
def test_legacy_format_reads_like_the_docx(legacy, fmt):
    assert sniff(legacy[fmt]) == fmt
    expected = read_proposal(legacy["docx"]).to_json()
    got = read_proposal(legacy[fmt]).to_json()
    assert got["format"] == fmt and got["file"] == f"提案書.{fmt}"
    for key in ("file", "format"):
        expected.pop(key), got.pop(key)
    assert got == expected


@pytest.mark.libreoffice
@pytest.mark.slow
def test_doc_with_a_wrong_name_is_still_a_doc(legacy, tmp_path):
    renamed = tmp_path / "提案書.docx"
    shutil.copyfile(legacy["doc"], renamed)
    got = read_proposal(renamed).to_json()
    assert got["format"] == "doc" and got["organization"]["name"] == "株式会社テスト商事"


@pytest.mark.libreoffice
@pytest.mark.slow
def test_without_libreoffice_a_clear_message(legacy, monkeypatch):
    monkeypatch.setattr(office, "soffice_available", lambda: False)
    with pytest.raises(UnreadableError) as err:
        read_form(legacy["doc"])
    assert err.value.code == "legacy_needs_office"
    assert "LibreOffice" in err.value.message and ".docx" in err.value.message


@pytest.mark.libreoffice
@pytest.mark.slow
def test_cli_without_libreoffice_exits_2_and_goes_on(legacy, tmp_path):
    """A PATH without soffice: the .doc is refused with the message, the .docx is read."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(legacy["doc"], folder / "a.doc")
    shutil.copyfile(legacy["docx"], folder / "b.docx")
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    res = run_cli("parse", "--json", str(folder), env={"PATH": str(empty_bin)})
    assert res.returncode == ExitCode.UNREADABLE, res.stderr
    refused, ok = json_lines(res.stdout)
    assert refused["error"]["code"] == "legacy_needs_office" and "LibreOffice" in res.stderr
    assert ok["format"] == "docx" and ok["organization"]["name"] == "株式会社テスト商事"


def test_conversion_failure_is_reported(tmp_path, monkeypatch):
    bad = tmp_path / "broken.rtf"
    bad.write_bytes(b"{\\rtf1 " + b"\x00" * 10)
    monkeypatch.setattr(office, "convert", lambda inputs, target, out, timeout=120.0, memory_mb=None:
                        office.ConversionResult(failures={inputs[0]: "no output"}))
    with pytest.raises(UnreadableError) as err:
        read_form(bad)
    assert err.value.code == "legacy_convert_failed" and "no output" in err.value.message


@pytest.mark.parametrize("uc", [1, 2])
def test_the_rtf_probe_skips_as_many_fallback_characters_as_the_file_says(tmp_path, uc):
    """An .rtf LibreOffice saves from a .doc writes \\uc2: each \\uN is followed by two \\'hh bytes
    (the cp932 fallback).  Skipping only one left one byte of each pair in the text, so the Form 1
    test saw no Form 1 word and refused an exact copy of a Form 1 before reading it."""
    from kyotei_docs.readers.legacy import PROBE_CHARS, may_be_form1_file

    words = "連携協定に関する提案書　企業等名称　連携の分野　主軸分野の有無　協定締結の目的　" * 20
    assert len(words) > PROBE_CHARS
    body = "".join(f"\\u{ord(ch)}" + "".join(f"\\'{b:02x}" for b in ch.encode("cp932"))[: 4 * uc]
                   for ch in words)
    path = tmp_path / "copy.rtf"
    path.write_bytes(("{\\rtf1\\ansi\\ansicpg932\\deff0{\\fonttbl{\\f0 MS Mincho;}}"
                      f"{{\\uc{uc} \\pard {body}\\par}}}}").encode("ascii"))
    assert may_be_form1_file(path, "rtf")
