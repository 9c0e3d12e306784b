"""The key a search compares: what staff type and what the registry holds, folded alike.

Why a module of its own: the list's search box, its filters and any later
search (the error folder, the case page) must agree on what "the same name"
means, and one small function is the one way of saying it.  Staff type a
company's name as they heard it — in hiragana or katakana, full or half width,
with or without spaces — so 「ひまわり」 must find 「ヒマワリ株式会社」 and
「ﾋﾏﾜﾘ」 must find both.

What is folded (both sides, by :func:`search_key`):

* width and compatibility forms (Unicode NFKC: 「ＡＢＣ」→「ABC」, 「ﾋﾏﾜﾘ」→「ヒマワリ」);
* letter case (``casefold``);
* white space of any kind (「ヒマワリ　商事」 = 「ヒマワリ商事」);
* katakana → hiragana (「ヒマワリ」 = 「ひまわり」; ヴ → ゔ, ヵ/ヶ → ゕ/ゖ, ヽ/ヾ → ゝ/ゞ);
* the abbreviated company kinds written out: 「㈱」「(株)」「（株）」 = 「株式会社」, and likewise
  ㈲ 有限会社, ㈾ 合資会社, ㈴ 合名会社, ㈶ 財団法人, ㈳ 社団法人 — an applicant writes 「㈱ひまわり」
  on one form and 「株式会社ひまわり」 on the next.

Nothing else: a long-vowel mark, a small kana or a voiced mark stays what it is,
since 「ビル」 and 「ヒル」 are different companies.
"""

from __future__ import annotations

import unicodedata

#: katakana ァ (U+30A1) … ヶ (U+30F6) and the iteration marks ヽ ヾ sit 0x60 above their hiragana
_KATA_TO_HIRA = {cp: cp - 0x60 for cp in (*range(0x30A1, 0x30F7), 0x30FD, 0x30FE)}
#: what NFKC makes of ㈱ ㈲ … (and of 「（株）」 typed with brackets), written out in full
_COMPANY_KINDS = {"(株)": "株式会社", "(有)": "有限会社", "(資)": "合資会社", "(名)": "合名会社",
                  "(財)": "財団法人", "(社)": "社団法人"}


def kana_fold(text: str) -> str:
    """Katakana written as hiragana (「ヒマワリ」 → 「ひまわり」); everything else unchanged."""
    return text.translate(_KATA_TO_HIRA)


def search_key(text: str | None) -> str:
    """``text`` as a search compares it: width, case, spaces, katakana/hiragana and ㈱/株式会社 do not matter."""
    folded = "".join(unicodedata.normalize("NFKC", text or "").casefold().split())
    if "(" in folded:
        for short, full in _COMPANY_KINDS.items():
            folded = folded.replace(short, full)
    return kana_fold(folded)


def matches(query: str | None, text: str | None) -> bool:
    """True if ``query`` (as typed) occurs in ``text`` once both are folded; an empty query matches."""
    key = search_key(query)
    return not key or key in search_key(text)
