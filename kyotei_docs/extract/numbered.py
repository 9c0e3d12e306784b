"""Choices answered by the numbers of the printed options: 「連携の分野（該当する番号を記入）：２、１１」.

Some forms print the options numbered (「①災害対策　②環境 …」, 「１　個別連携協定　２　包括連携協定」)
and ask for the numbers.  The numbers the form prints before an option are its
list; the numbers left in the answer, each one a printed option's, are the choice.
"""

from __future__ import annotations

import re
import unicodedata

from .. import vocab
from ..vocab import pattern
from .lines import Line

_NUMBER = r"[0-9０-９]{1,2}|[①-⑳]|[⑴-⒇]|[⒈-⒛]"
#: a printed option: its number, then its name
_PRINTED = pattern(rf"[（(]?(?P<n>{_NUMBER})[)）.．、:：]?[\s\u3000]*(?P<name>[^\s\u3000、，,／/（(0-9０-９①-⑳⑴-⒇⒈-⒛]+)")
#: a number standing alone in the answer, not a count (「２つ以上」「２分野」) or a date
_ANSWER = pattern(rf"(?<![0-9０-９])(?P<n>{_NUMBER})(?![0-9０-９]|[\s\u3000]*(?:つ|個|以上|分野|件|年|月|日|％|%))")


def _number(token: str) -> int:
    return int(re.sub(r"\D", "", unicodedata.normalize("NFKC", token)))


def _option(name: str, group: str) -> str | None:
    k = vocab.key(name)
    options = vocab.OPTION_GROUPS[group]
    return next((options[o] for o in sorted(options, key=len, reverse=True) if k.startswith(o)), None)


def printed_numbers(lines: list[Line], group: str) -> dict[int, str]:
    """Number → option of ``group``, from options printed after a number anywhere in the form."""
    found: dict[int, str] = {}
    for line in lines:
        for m in _PRINTED.finditer(line.text):
            value = _option(m.group("name"), group)
            if value is not None:
                found.setdefault(_number(m.group("n")), value)
    return found if len(set(found.values())) >= 2 else {}


def numbered_answer(text: str, lines: list[Line], group: str) -> list[str]:
    """The options ``text`` names by number; empty unless every number left in it is a printed option's."""
    numbers = printed_numbers(lines, group)
    if not numbers:
        return []
    rest = _PRINTED.sub(lambda m: " " if _option(m.group("name"), group) else m.group(0), text)
    answer = [_number(m.group("n")) for m in _ANSWER.finditer(rest)]
    if not answer or any(n not in numbers for n in answer):
        return []
    return list(dict.fromkeys(numbers[n] for n in answer))
