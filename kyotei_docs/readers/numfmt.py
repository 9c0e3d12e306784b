"""An Excel cell's number as the sheet shows it: dates in 和暦 and in the Western calendar.

An Excel Form 1 keeps its date as a serial number (46346) and shows it through
the cell's number format: 「令和8年11月20日」 from ``[$-ja-JP-x-gannen]ggge"年"m"月"d"日"``,
「R8.11.20」 from ``[$-411]ge.m.d``, 「2026/11/20」 from the built-in format 14 in a
Japanese Excel.  What the applicant saw is what counts, so the reader shows the
number the same way; the extractor then reads that text like any typed date.

Only what a date cell needs is interpreted: era (``g``/``gg``/``ggg``), era year
(``e``/``ee``, 元年 with the ``x-gannen`` locale), ``yyyy``/``yy``, ``m``/``mm``,
``d``/``dd``, weekdays (``aaa``/``aaaa``, ``ddd``/``dddd``), quoted and escaped
literals, and ``[DBNum1]`` (kanji numerals).  A whole number through digit
placeholders and literals (a phone number kept as a number: ``0###-##-####``
shows 166234567 as 「0166-23-4567」) is shown so too; any other number as
Excel's General format shows it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ..era import era_of

#: Excel's built-in number formats that show dates, as a Japanese Excel shows them (ECMA-376 §18.8.30)
BUILTIN: dict[int, str] = {
    14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 22: "yyyy/m/d h:mm",
    27: '[$-411]ge.m.d', 28: '[$-411]ggge"年"m"月"d"日"', 29: '[$-411]ggge"年"m"月"d"日"',
    30: "m/d/yy", 31: 'yyyy"年"m"月"d"日"', 34: 'yyyy"年"m"月"', 35: 'm"月"d"日"', 36: '[$-411]ge.m.d',
    50: '[$-411]ge.m.d', 51: '[$-411]ggge"年"m"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: '[$-411]ggge"年"m"月"d"日"', 55: 'yyyy"年"m"月"', 56: 'm"月"d"日"', 57: '[$-411]ge.m.d',
    58: '[$-411]ggge"年"m"月"d"日"',
}

_QUOTED = re.compile(r'"[^"]*"|\\.')
_BRACKETS = re.compile(r"\[[^\]]*\]")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_KANJI = "〇一二三四五六七八九"


#: the longest number format Excel accepts; a longer one is no format of Excel's and is read as General
#: (a format of a megabyte was parsed again for each of 20,000 cells)
MAX_CODE = 255


def format_code(num_fmt_id: int, custom: dict[int, str]) -> str:
    """The format code of a cell style: the workbook's own (``numFmts``) or a built-in one."""
    code = custom.get(num_fmt_id) or BUILTIN.get(num_fmt_id, "General")
    return code if len(code) <= MAX_CODE else "General"


def is_date_format(code: str) -> bool:
    """Whether ``code`` shows a date (its first section has a date token outside literals)."""
    section = _QUOTED.sub("", code.split(";", 1)[0])
    section = _BRACKETS.sub("", section).lower()
    if not section or section == "general":
        return False
    return bool(re.search(r"[ydg]|e+[^a-z]*m|aaa", section))


def serial_to_date(serial: float, date1904: bool = False) -> date | None:
    """The day of an Excel serial number (the 1900 system counts a 29 Feb 1900 that never was)."""
    if not 1 <= serial <= 2958465:  # 9999-12-31; a NaN (「nan」 is a float to Python) is no day either
        return None
    try:
        if date1904:  # counted from 1904: its last serial is 2957003, the 1900 system's bound lies beyond 9999
            return date(1904, 1, 1) + timedelta(days=int(serial))
        base = datetime(1899, 12, 31) if serial < 60 else datetime(1899, 12, 30)
        return (base + timedelta(days=int(serial))).date()
    except OverflowError:
        return None


def iso_date(text: str) -> date | None:
    """The day of an ISO 8601 date cell value (``t="d"``: 「2026-11-20」 or 「2026-11-20T00:00:00」)."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def show_number(value: str, code: str, date1904: bool = False) -> tuple[str, bool]:
    """(what the cell shows, whether it is a date) for a number cell's stored ``value``."""
    try:
        number = float(value)
    except ValueError:
        return value, False
    if is_date_format(code):
        day = serial_to_date(number, date1904)
        if day is not None:
            return show_date(day, code), True
    return _digits(number, code) or _general(number), False


def _digits(number: float, code: str) -> str | None:
    """A whole number through a format of digit placeholders (0 # ?) and literals; None for any other format."""
    section = _BRACKETS.sub("", code.split(";", 1)[0])
    if not number.is_integer() or number < 0 or not section or section.lower() == "general":
        return None
    parts: list[tuple[bool, str]] = []  # (placeholder, text)
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            parts.append((False, section[i + 1:end]))
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            parts.append((False, section[i + 1]))
            i += 2
        elif ch in "0#?":
            parts.append((True, ch))
            i += 1
        elif ch in "-() /:":
            parts.append((False, ch))
            i += 1
        else:
            return None  # decimals, thousands, percent, text, colours: not a digits-only format
    places = [k for k, (placeholder, _) in enumerate(parts) if placeholder]
    if not places:
        return None
    digits = str(int(number))
    shown = [text for _, text in parts]
    for k in reversed(places):
        if digits:
            shown[k], digits = digits[-1], digits[:-1]
        else:
            shown[k] = {"0": "0", "#": "", "?": " "}[parts[k][1]]
    if digits:
        shown[places[0]] = digits + shown[places[0]]
    return "".join(shown)


def _general(number: float) -> str:
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.10g}"


def show_date(day: date, code: str) -> str:
    """``day`` through the date format ``code`` (its first section)."""
    section = code.split(";", 1)[0]
    gannen = "gannen" in section.lower()
    kanji = "dbnum1" in section.lower() or "dbnum2" in section.lower()
    section = _BRACKETS.sub("", section)
    try:
        era = era_of(day)
    except ValueError:
        era = None
    out: list[str] = []
    i = 0
    n = len(section)
    while i < n:
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = n if end < 0 else end
            out.append(section[i + 1:end])
            i = end + 1
            continue
        if ch == "\\" and i + 1 < n:
            out.append(section[i + 1])
            i += 2
            continue
        if ch in "_*":  # padding to the width of the next character: nothing to read
            i += 2
            continue
        run = 1
        while i + run < n and section[i + run].lower() == ch.lower():
            run += 1
        low = ch.lower()
        if low == "g" and era is not None:
            out.append(era.initial if run == 1 else era.name[0] if run == 2 else era.name)
        elif low == "e" and era is not None:
            year = day.year - era.first_year + 1
            out.append("元" if year == 1 and gannen else _num(year, 2 if run >= 2 else 1, kanji))
        elif low == "y":
            out.append(_num(day.year, 4, kanji) if run >= 3 else _num(day.year % 100, 2, kanji))
        elif low == "m":
            out.append(_MONTHS[day.month - 1] if run == 3 else _num(day.month, run, kanji) if run <= 2
                       else date(2000, day.month, 1).strftime("%B"))
        elif low == "d":
            out.append(_num(day.day, run, kanji) if run <= 2 else _WEEKDAYS_EN[day.weekday()]
                       if run == 3 else day.strftime("%A"))
        elif low == "a" and run >= 3:
            out.append(_WEEKDAYS_JA[day.weekday()] + ("曜日" if run >= 4 else ""))
        else:
            out.append(section[i:i + run])
        i += run
    return "".join(out)


def _num(value: int, width: int, kanji: bool) -> str:
    if not kanji:
        return f"{value:0{width}d}"
    if value < 10:
        return _KANJI[value]
    tens, ones = divmod(value, 10)
    if value >= 100:
        return "".join(_KANJI[int(c)] for c in str(value))
    return ("" if tens == 1 else _KANJI[tens]) + "十" + (_KANJI[ones] if ones else "")
