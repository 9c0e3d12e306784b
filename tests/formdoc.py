"""Build a :class:`FormDoc` directly, for fast extractor tests at the seam (no file, no reader).

A block is written as text; ``~~…~~`` marks struck-through text (what the .docx
reader makes of w:strike and w:dstrike), and typed glyphs (☑ ☐ ○) become boxes
exactly as a reader splits them.  Table cells are ``cell(text, row, col)``.
"""

from __future__ import annotations

import re

from kyotei_docs.form import Block, FormDoc, Piece, lines_from_pieces, merge_weak, split_glyphs

_STRUCK = re.compile(r"~~(.*?)~~", re.S)


def pieces(text: str, source: str = "docx:text") -> list[Piece]:
    out: list[Piece] = []
    pos = 0
    for m in _STRUCK.finditer(text):
        out += split_glyphs(text[pos:m.start()], source)
        out += split_glyphs(m.group(1), source, struck=True)
        pos = m.end()
    out += split_glyphs(text[pos:], source)
    return merge_weak(out)


def para(text: str, source: str = "docx:text") -> Block:
    """A paragraph (``\\n`` breaks lines inside it)."""
    return Block(lines_from_pieces(pieces(text, source)), source)


def cell(text: str, row: int, col: int, *, table: int = 1, span: int = 1) -> Block:
    """A table cell on the grid; its paragraphs are the ``\\n``-separated lines."""
    return Block(lines_from_pieces(pieces(text)), "docx:text", table, row, col, span)


def doc(*blocks: str | Block, fmt: str = "docx") -> FormDoc:
    """A FormDoc of paragraphs (plain strings) and cells, in reading order."""
    return FormDoc(f"test.{fmt}", fmt, [b if isinstance(b, Block) else para(b) for b in blocks])


HEADER = ("令和８年１１月２０日", "旭川市長　様", "所在地：北海道旭川市緑町１丁目２番３号",
          "企業等名称：株式会社テスト商事", "代表者氏名：代表取締役　試験　花子")
TEXTS = ("協定締結の目的", "市民の健康増進を進めるため。", "連携により期待される効果", "健診受診率の向上。")
CONTACT = ("連絡先", "部署名：地域連携部", "担当者氏名：連絡　太郎", "電話番号：0166-12-3456",
           "メールアドレス：renraku@example.co.jp")


def form(*choice_lines: str | Block, texts=TEXTS, contact=CONTACT) -> FormDoc:
    """A re-typed Form 1 whose choice section is ``choice_lines``; the rest is valid."""
    return doc(*HEADER, *choice_lines, *texts, *contact)
