"""File names made from company names must stay inside the output folder and be valid everywhere."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyotei_docs.safenames import safe_filename

#: every character but the surrogates — what st.text() draws from (its characters(codec="utf-8")), without
#: the table of the UTF-8 codec hypothesis builds on a fresh clone (every code point encoded: 1.7 s of CPU a worker)
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("株式会社ななかまど", "株式会社ななかまど"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..", "_"),
        ("．．", "_"),
        ("A／B＼C：D", "A_B_C_D"),
        ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
        ("CON", "_CON"),
        ("con.docx", "_con.docx"),
        ("ＣＯＮ", "_ＣＯＮ"),
        ("COM1", "_COM1"),
        ("LPT9.txt", "_LPT9.txt"),
        ("CONSOLE", "CONSOLE"),
        ("name. . ", "name"),
        ("  前後の空白　", "前後の空白"),
        ("株式会社\u3000ななかまど", "株式会社\u3000ななかまど"),
        ("tab\tand\nnewline", "tab and newline"),
        ("null\x00byte\x0bvt", "nullbyte vt"),
        ("rlo\u202eexe.docx", "rloexe.docx"),
        ("~$lock", "_$lock"),
        ("", "_"),
        ("\x00\x01", "_"),
        ("⑴株式会社", "⑴株式会社"),
    ],
)
def test_examples(raw: str, expected: str) -> None:
    assert safe_filename(raw) == expected


def test_nfc_and_nfd_give_the_same_name() -> None:
    nfc = "株式会社ガス・プラザ"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert safe_filename(nfd) == safe_filename(nfc) == nfc


def test_long_names_are_cut_at_a_character_boundary() -> None:
    name = "株" * 100  # 300 bytes
    out = safe_filename(name)
    assert len(out.encode("utf-8")) <= 200
    assert out == "株" * 66
    out = safe_filename("a" + "株" * 100, max_bytes=10)
    assert out == "a株株株"


def test_cut_keeps_variation_selectors_with_their_base() -> None:
    base = "葛\U000E0100"  # 3 + 4 bytes
    out = safe_filename("あ" + base, max_bytes=5)
    assert out == "あ"
    out = safe_filename("e\u0301" * 10, max_bytes=3)  # NFC turns e+´ into é (2 bytes)
    assert out == "é"


@settings(max_examples=300, deadline=None)
@given(st.text(ANY_CHARACTER, min_size=0, max_size=120))
def test_any_text_gives_a_file_inside_the_folder(tmp_path_factory, text: str) -> None:
    folder: Path = tmp_path_factory.getbasetemp()
    name = safe_filename(text, max_bytes=120)
    assert name and name not in (".", "..")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert len(name.encode("utf-8")) <= 120
    assert name == unicodedata.normalize("NFC", name)
    assert not name.endswith((".", " ")) and not name.startswith(".")
    assert (folder / name).resolve().parent == folder.resolve()
    for ch in name:
        assert unicodedata.normalize("NFKC", ch) not in ("/", "\\")
