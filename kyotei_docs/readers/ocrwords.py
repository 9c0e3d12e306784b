"""What OCR read, set right where the words can only be one thing: 「北海道加川市」 → 「北海道旭川市」.

Tesseract misreads a character of a place name now and then (「旭」 as 「加」),
and no shape rule can know 「旭川市」 is meant.  The city's configuration can:
its own name, the mayor's title and the place names in ``[reading] ocr_words``
(``Config.ocr_words``).  A run of OCR text as long as one of these words and
different from it in exactly one character becomes the word, if that
character is a kanji read for a kanji or a kana for a kana (never a digit, a
Latin letter or punctuation) and is not the word's last: the last one (「市」
「町」「長」) says what kind of name it is, and 「旭川の」「旭川駅」「旭川支店」 are
other words, not misreadings.  Only words of three characters or more: with
two, one character is half the word.  Applied after the reader, in the process that holds the configuration
(:func:`kyotei_docs.readers.read_form`), to documents read by OCR only: every
such value is a review item anyway, and stays one.

Two shapes are set right whatever the configuration says, because nothing
else can stand there: the 「丁目」 of an address between two numbers, which
Tesseract reads as 「」目」「]目」「」FH」 (「丁」 is a bracket to it), and the
Japanese second-level domain at the end of an e-mail address (「.coJp」,
「.co.Jjp」 for 「.co.jp」), and a 「1」 among digits that Tesseract took for a
bracket or a bar (「令和8年]1月」).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from ..form import FormDoc, Text

#: shortest word snapped to
LEAST = 3

#: 「丁目」 between the numbers of an address as Tesseract reads it: 「2」目3」「4]目5」「2」FH3」「2」 日1」
_CHOME = re.compile(r"(?<=[0-9０-９])\s?[」\]|J丁]\s?(?:目|日|FH|H)(?=\s?[0-9０-９])")
#: a 「1」 read as a bracket or bar among digits (「令和8年]1月」, 「0166-4|-…」); after 「丁目」 is set right
_ONE = re.compile(r"(?<=[0-9０-９年月])[\]」|](?=[0-9０-９])")
#: a Japanese second-level domain at the end of an address, its dot lost or its 「j」 doubled (「.coJp」)
_JP_SLD = re.compile(r"(@[A-Za-z0-9_-][A-Za-z0-9._-]*?)\.?(co|or|ne|ac|go|lg|ed|gr|ad)[.」\]|]?[jJ]+[pP](?![\w.-])",
                     re.ASCII)


def snap_words(doc: FormDoc, words: Iterable[str]) -> None:
    """Every text piece of ``doc`` set right (in place): near misses of ``words``, 「丁目」, the e-mail's domain."""
    vocabulary = sorted({w for w in words if len(w) >= LEAST}, key=len, reverse=True)
    for block in doc.blocks:
        for line in block.lines:
            line.pieces = [replace(p, text=correct(p.text, vocabulary)) if isinstance(p, Text) else p
                           for p in line.pieces]


def correct(text: str, vocabulary: list[str]) -> str:
    """One run of OCR text set right: :func:`snap_text`, then 「丁目」 and the e-mail's domain."""
    text = _ONE.sub("1", _CHOME.sub("丁目", snap_text(text, vocabulary) if vocabulary else text))
    return _JP_SLD.sub(lambda m: f"{m.group(1)}.{m.group(2)}.jp", text)


def snap_text(text: str, vocabulary: list[str]) -> str:
    """``text`` with each window one letter off a word of ``vocabulary`` (longest first) set to that word."""
    chars = list(text)
    taken = [False] * len(chars)
    for word in vocabulary:  # a word read right is never part of another's near miss (「旭川市旭…」)
        start = text.find(word)
        while start >= 0:
            taken[start:start + len(word)] = [True] * len(word)
            start = text.find(word, start + 1)
    for word in vocabulary:
        n = len(word)
        for start in range(len(chars) - n + 1):
            if any(taken[start:start + n]):
                continue
            window = chars[start:start + n]
            wrong = [k for k in range(n) if window[k] != word[k]]
            if len(wrong) == 1 and wrong[0] < n - 1 and _script(window[wrong[0]]) == _script(word[wrong[0]]) != "":
                chars[start + wrong[0]] = word[wrong[0]]
                taken[start:start + n] = [True] * n
    return "".join(chars)


def _script(ch: str) -> str:
    """「kanji」 or 「kana」 (what OCR confuses with another of its kind: 「旭」/「加」), else ""."""
    name = unicodedata.name(ch, "")
    return "kanji" if name.startswith("CJK UNIFIED IDEOGRAPH") else "kana" if name.startswith(
        ("HIRAGANA", "KATAKANA")) else ""
