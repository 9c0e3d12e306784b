"""Phone numbers and e-mail addresses: identifiers, normalised to half-width, then validated.

Every other value keeps the applicant's own characters, but a phone number or an
address is something staff dial or paste, so 「０１６６－２５－６０１２」 and
「ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ」 are stored as 「0166-25-6012」 and
「yamada@example.jp」.  A phone entry may carry an extension
(「0166-25-6012（内線123）」, 「内線123」, 「ext. 123」) and several numbers
(「代表 0166-25-6000／直通 0166-25-6012」); it is valid when every number in it is.
"""

from __future__ import annotations

import re
import unicodedata

from .vocab import pattern

#: hyphen look-alikes applicants type between digits (NFKC keeps these)
_DASHES = pattern(r"[ー‐‑‒–—―−ｰ－﹣]")
_SPACES = pattern(r"[\s\u3000]+")
_EXTENSION = pattern(r"[(（]?\s*(?:内線|内|ext\.?|extension|(?<![A-Za-z])x)\s*[:：.]?\s*\d{1,6}\s*[)）]?", re.I)
_NUMBER_LABEL = pattern(r"[(（]?\s*(?:代表|直通|直|携帯|固定|本社|支社|支店|事務所|会社|自宅|TEL|Tel|tel|電話番号|電話"
                           r"|FAX|Fax|fax|ファクス|ファックス)\s*[)）]?\s*[:：.．]?", re.I)
#: a note in brackets that is no part of a number: 「（平日9時～17時）」, 「(担当直通)」
_NOTE = pattern(r"[(（][^)）]*[^\d\-()（）\s+][^)）]*[)）]")
_SPLIT = pattern(r"\s*(?:[、,/;|・]|または|又は|及び|\bor\b)\s*")
_EMAIL = pattern(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def normalise_phone(text: str) -> str:
    """Half-width digits, ASCII hyphens and single spaces; words (内線, 代表) stay."""
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", text)
    return _SPACES.sub(" ", text).strip()


#: a hyphen look-alike inside an address (a PDF's font maps 「－」 to U+2212 「−」): NFKC keeps these
_MAIL_DASH = pattern(r"(?<=[A-Za-z0-9])[‐‑‒–—―−﹣](?=[A-Za-z0-9])")


def normalise_email(text: str) -> str:
    """Half-width, without blanks or a ``mailto:`` prefix; a hyphen look-alike between letters a hyphen
    (「taisetsu−lab」 from a PDF whose font draws the full-width 「－」 as a minus sign)."""
    text = _SPACES.sub("", _MAIL_DASH.sub("-", unicodedata.normalize("NFKC", text)))
    return text[7:] if text.lower().startswith("mailto:") else text


def valid_email(text: str) -> bool:
    """One address, or several separated by 「／」 「、」 or blanks, each valid; a note in brackets
    after it (「yamada@example.jp（山田）」) is no part of it."""
    text = _NOTE.sub(" ", unicodedata.normalize("NFKC", text))
    parts = [part for part in _EMAILS_APART.split(text) if part]
    return bool(parts) and all(_EMAIL.match(normalise_email(part)) for part in parts)


#: an address anywhere in a text (half-width after NFKC)
_EMAIL_IN = pattern(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")


def emails_in(text: str) -> list[str]:
    """Every e-mail address written in ``text``, half-width, in order."""
    return _EMAIL_IN.findall(_MAIL_DASH.sub("-", unicodedata.normalize("NFKC", text)))


def phone_numbers(text: str) -> list[str] | None:
    """The numbers in a phone entry (extensions and words such as 代表 dropped), or None.

    None means the entry holds something that is not a phone number; each number
    returned still has to pass :func:`valid_number`.
    """
    rest = _NUMBER_LABEL.sub(" ", _NOTE.sub(" ", _EXTENSION.sub(" ", normalise_phone(text))))
    numbers: list[str] = []
    for part in _SPLIT.split(rest):
        part = part.strip()
        if not part:
            continue
        if _NOT_PHONE.search(part):
            return None
        numbers.extend(_by_digits(part))
    return numbers


def _by_digits(part: str) -> list[str]:
    """「0166 25 6012」 is one number; 「0166-25-6012 090-1234-5678」 two."""
    if len(_NOT_DIGIT.sub("", part)) <= 11:
        return [part]
    out: list[str] = []
    current = ""
    for token in part.split(" "):
        current = f"{current} {token}".strip()
        if len(_NOT_DIGIT.sub("", current)) >= 10:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


#: prefixes of the 11-digit numbers (mobile 070/080/090, IP 050, 020, free dial 0800); every other is 10 digits
_ELEVEN = ("020", "050", "070", "080", "090", "0800")


def valid_number(number: str) -> bool:
    """A Japanese number from 0 (or +81), with -, (), spaces: 11 digits for mobiles and the other
    ``_ELEVEN`` prefixes, 10 for the rest (a mobile missing a digit is not taken for a landline)."""
    digits = _NOT_DIGIT.sub("", number)
    if number.lstrip().startswith("+81"):
        digits = "0" + digits[2:]
    elif number.lstrip().startswith("+"):
        return False
    if not digits.startswith("0"):
        return False
    return len(digits) == (11 if digits.startswith(_ELEVEN) else 10)


def valid_phone(text: str) -> bool:
    """Every number in the entry is valid, and there is at least one."""
    numbers = phone_numbers(text)
    return numbers is not None and bool(numbers) and all(valid_number(n) for n in numbers)


#: the end of a department's name: 「工務部」「総務課」「企画室」「営業推進グループ」「札幌支店」
_UNIT = pattern(r"(?:部|課|室|係|局|班|所|店|社|署|センター|グループ|チーム|ユニット|本部|事務局)$")
_PARTS = pattern(r"[\s\u3000]+|[（(]|[）)]")
_EMAILS_APART = pattern(r"[\s\u3000/、,;；]+")
_NOT_PHONE = pattern(r"[^\d\-()\s+]")
_NOT_DIGIT = pattern(r"\D")


def split_department_name(text: str) -> tuple[str, str] | None:
    """「工務部　末広　一」 → (「工務部」, 「末広　一」): a department and a person written as one entry.

    The department is the words that end in a unit word (部, 課, 室, センター …) and
    are three characters or more (「阿部」「服部」 are people); the person is the one or
    two words after them, or a name in brackets.  ``None`` when it cannot be parted so.
    """
    text = text.strip()  # every blank, line breaks too (a cell's entry may end with one)
    words = [w for w in _PARTS.split(text) if w]
    k = 0
    while k < len(words) and len(words[k]) >= 3 and _UNIT.search(words[k]):
        k += 1
    if k == 0 or not 1 <= len(words) - k <= 2:
        return None
    department = text[:text.index(words[k - 1]) + len(words[k - 1])]
    name = text[len(department):].strip().strip("（()）").strip()
    return department, name
