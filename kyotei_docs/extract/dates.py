"""The submission date: the labelled value if it looks like a date, else the first date line.

Form 1 may print the date on a line of its own with no label (「令和８年４月１日」),
so when no label (「提出日」, 「日付」, …) gives a date, the first line that is
nothing but a date is taken.  The date is parsed by :mod:`kyotei_docs.era`; one
left blank (「令和　年　月　日」) is no date and no error.
"""

from __future__ import annotations

import re
import unicodedata

from ..proposal import Doubt, Proposal
from ..vocab import pattern
from .lines import Line, source_at
from .values import Found

_DATE_CHARS = r"[\s\u3000\d一二三四五六七八九十〇元●○◯]"
#: words after a date that say what it is: 「令和８年１１月２０日提出」, 「…現在」, 「…付」
_DATE_WORD = r"(?:[\s\u3000]*(?:提出|提出日|提案|申込|現在|付け?|作成))?"
#: a year in both calendars: 「２０２６（令和８）年」 — the western year is read, the era year dropped
_BOTH_YEARS = pattern(r"(\d{4})[\s\u3000]*[(（](?:令和|平成|R|H)[\s\u3000]*(?:\d{1,2}|元)[)）]")
#: the same written the other ways: 「2026年(令和8年)」 (the western year read) and 「令和8年(2026年)」 (the era's)
_BOTH_YEARS_NAMED = pattern(r"(\d{4})[\s\u3000]*年[\s\u3000]*[(（](?:令和|平成|R|H)[\s\u3000]*(?:\d{1,2}|元)"
                            r"[\s\u3000]*年?[)）]")
_ERA_THEN_WESTERN = pattern(r"((?P<era>令和|平成|R|H)[\s\u3000]*(?P<year>\d{1,2}|元)[\s\u3000]*年)[\s\u3000]*[(（]"
                            r"[\s\u3000]*(?P<western>\d{4})[\s\u3000]*年?[\s\u3000]*[)）]")
#: the western year of an era's first year less one
_ERA_BASE = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}


def _era_kept(m: re.Match[str]) -> str:
    """「令和8年(2026年)」 as 「令和8年」 where both say the same year; two years that disagree stay (no date)."""
    year = 1 if m.group("year") == "元" else int(m.group("year"))
    return m.group(1) if _ERA_BASE[m.group("era")] + year == int(m.group("western")) else m.group(0)
_DATE_WORD_AT_END = pattern(_DATE_WORD + "$")
_DATE_LIKE = pattern(
    rf"^(?:令和|平成|昭和|[RHS][.．]?)?{_DATE_CHARS}*年{_DATE_CHARS}*月{_DATE_CHARS}*日"
    rf"[\s\u3000]*(?:[(（][^)）]{{1,4}}[)）])?{_DATE_WORD}$"
    r"|^(?:(?:令和|平成|昭和|[RHS][.．]?)\s*\d{1,2}|\d{4})\s*[./／\-]\s*\d{1,2}\s*[./／\-]\s*\d{1,2}"
    r"(?:[(（][^)）]{1,4}[)）])?$",
    re.I)


def apply_date(p: Proposal, lines: list[Line], labelled: Found, fmt: str) -> None:
    """Set the date text and, when it parses, the date and its warnings (or the error) on ``p``."""
    from .. import era

    candidate, source = None, None
    if labelled.value and _DATE_LIKE.match(_plain(labelled.value.strip())):
        candidate, source = labelled.value.strip(), labelled.source
    if candidate is None:
        for line in lines:
            text = line.text.strip(" \u3000\t")
            if text and _DATE_LIKE.match(_plain(text)):
                candidate, source = text, source_at(line, 0) or f"{fmt}:text"
                break
    if candidate is None:
        _serial_date(p, lines, fmt)
        return
    p.date_text = candidate
    try:
        parsed = era.parse_date(_DATE_WORD_AT_END.sub("", _plain(candidate)))
    except era.DateParseError as exc:
        p.date_error = getattr(exc, "reason", "invalid")
        return
    if parsed is None:
        return  # 「令和　年　月　日」: left blank
    p.submitted_on = parsed.date
    p.date_warnings = list(parsed.warnings)
    p.sources["submitted_on"] = source or f"{fmt}:text"


#: a date cell whose number format was lost shows the serial: days since 1899-12-30, here 2019-05-01 – 2049-12-31
_SERIALS = range(43586, 54789)
_SERIAL = pattern(r"^[0-9]{5}$")
#: a number too wide for its column, as a spreadsheet shows and prints it
_HIDDEN_NUMBER = pattern(r"^#{3,}$")
#: formats a spreadsheet's cells reach the reader in: the workbook itself, or printed to PDF
_SHEET_FORMATS = ("xlsx", "xls", "pdf")


def _serial_date(p: Proposal, lines: list[Line], fmt: str) -> None:
    """A workbook's header showing a bare serial (「46346」) where the date stands: the date it counts, as a
    review item.

    LibreOffice 7.4 does not know Excel's 元年 formats (``[$-ja-JP-x-gannen]ggge"年"…``): an .xls read
    through it (or a workbook it printed to PDF) shows its date cell as the number under the format,
    and the form was blamed for having no date.  The number is most likely that date, but nothing on
    the form says so; only a 5-digit number on a line of its own before the form's first entry is
    taken.  A date cell too narrow for its date shows 「###」: a review item, never the applicant's blank.
    """
    import datetime

    if fmt not in _SHEET_FORMATS:
        return
    for line in lines:
        if line.label:
            return
        text = line.text.strip(" \u3000\t")
        if _HIDDEN_NUMBER.match(text):
            # 「###」: the date cell too narrow for its date, printed so — no date to read, and not the applicant's blank
            p.date_text = text
            p.doubts.append(Doubt("review_date_hidden", "submitted_on", text))
            return
        if _SERIAL.match(text) and int(text) in _SERIALS:
            p.date_text = text
            p.submitted_on = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(text))
            p.sources["submitted_on"] = source_at(line, 0) or f"{fmt}:text"
            p.doubts.append(Doubt("review_date_serial", "submitted_on", text))
            return


#: a date in English, as a foreign company writes it: 「November 20, 2026」, 「Nov. 20, 2026」, 「20 Nov 2026」
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_ENGLISH_DATE = pattern(rf"^\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?(?:{_MONTH}\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s*"
                        rf"{_MONTH.replace('month', 'month2')},?)\s*(?P<year>\d{{4}})\s*$", re.I)


def _english(text: str) -> str:
    """「November 20, 2026」 as 「2026/11/20」, which :mod:`kyotei_docs.era` reads; other text as it is."""
    m = _ENGLISH_DATE.match(text)
    if m is None:
        return text
    month = _MONTHS.index((m.group("month") or m.group("month2")).lower()[:3]) + 1
    return f"{m.group('year')}/{month}/{m.group('day') or m.group('day2')}"


def _plain(text: str) -> str:
    """NFKC, a year written in both calendars as the western one, a date in English as 「2026/11/20」."""
    text = _english(unicodedata.normalize("NFKC", text))
    text = _ERA_THEN_WESTERN.sub(_era_kept, _BOTH_YEARS_NAMED.sub(r"\1年", text))
    return _BOTH_YEARS.sub(r"\1", text)
