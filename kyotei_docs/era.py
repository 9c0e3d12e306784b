"""Japanese era (和暦) dates and fiscal years, with an explicit era table.

Why in-house: the third-party era libraries have traps for official documents
(one writes year 1 as 「令和01年」 and months in kanji, another does not check
that a date lies inside its era).  A five-row table and a small parser are
easier to verify than a dependency.  See ``docs/domain.md`` §2.

Public API:

* :func:`parse_date` — text as people type it → :class:`ParsedDate`, ``None``
  for a blank date line (「令和　年　月　日」), :class:`DateParseError` otherwise
  (its :meth:`~DateParseError.why` says why in a sentence: 「2月30日はありません」);
* :func:`parse_fiscal_year` — 「令和8年度」, 「R8」, 「2026」 → 2026;
* :func:`format_wareki`, :func:`format_era_year` — date → 「令和８年１２月１日」;
* :func:`fiscal_year`, :func:`fiscal_year_end`, :func:`format_fiscal_year` —
  年度 (April–March, 地方自治法 §208);
* :func:`era_of`, :data:`ERAS`, :func:`to_fullwidth_digits`.

Only the standard library (and the tiny :mod:`kyotei_docs.i18n`) is imported,
so this module is cheap to import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .i18n import Catalog, get_lang, say
from .vocab import pattern

__all__ = [
    "ERAS",
    "DateParseError",
    "Digits",
    "Era",
    "ParsedDate",
    "WARN_HEISEI_AFTER_END",
    "WARN_WEEKDAY_MISMATCH",
    "era_of",
    "fiscal_year",
    "fiscal_year_end",
    "fiscal_year_start",
    "format_era_year",
    "format_both",
    "fiscal_year_said",
    "format_fiscal_year",
    "format_wareki",
    "parse_date",
    "parse_fiscal_year",
    "to_fullwidth_digits",
]

MESSAGES: Catalog = {
    "no_era_year_0": ("{era}0年はありません（最初の年は{era}元年です）。", "There is no {era} year 0 (the first is {era}元年)."),
    "no_month": ("{month}月はありません。", "There is no month {month}."),
    "no_day": ("{month}月{day}日はありません。", "There is no {month}/{day}."),
    "not_leap": ("{year}年はうるう年ではないため、2月29日はありません。", "{year} is not a leap year: there is no 29 February."),
    "era_span": ("{era}は{start}から{end}までです。", "{era} runs from {start} to {end}."),
    "era_from": ("{era}は{start}からです。", "{era} begins on {start}."),
    "era_year_too_big": ("{era}{year}年はありません（西暦の年には元号を付けません: {western}）。",
                         "There is no {era} year {year} (a Western year takes no era: {western})."),
    "incomplete": ("年・月・日のどれかが空欄です。", "The year, month or day is blank."),
    "missing_era_first": ("「元年」だけでは、どの元号の元年か決まりません（令和元年 や 2019年 のように元号か西暦で書いてください）。",
                          "元年 alone does not say which era's first year: write 令和元年 or the Western year (2019)."),
    "heisei_overrun": ("平成は2019年4月30日までです。平成{year}年は{western}年（令和{reiwa}年）にあたり、旧元号の書き誤りとしても"
                       "遠すぎるため日付として扱いません。令和か西暦で書いてください。",
                       "平成 ended on 30 April 2019. 平成 year {year} would be {western} (令和{reiwa}), too far beyond the "
                       "era to be an old form's slip: write the 令和 or Western year."),
    "missing_era": ("{year}年だけでは年が決まりません（令和8年 や 2026年 のように元号か西暦で書いてください）。",
                    "Year {year} alone is ambiguous: write the era (令和8年) or the Western year (2026)."),
    "unrecognized": ("日付の書き方として読めません（例: 2026-06-01、2026/6/1、令和8年6月1日、R8.6.1）。",
                     "Not a date (e.g. 2026-06-01, 2026/6/1, 令和8年6月1日, R8.6.1)."),
    "fy_unrecognized": ("年度として読めません（例: 令和8年度、R8、2026）。", "Not a fiscal year (e.g. 令和8年度, R8, 2026)."),
    "fy_missing_era": ("{year} だけでは年度が決まりません（令和8年度、R8、2026 のように書いてください）。",
                       "{year} alone is ambiguous: write 令和8年度, R8 or 2026."),
    "fy_range": ("{text} は扱える年度ではありません（{low}年度から{high}年度まで）。",
                 "{text} is not a fiscal year kyotei handles ({low} to {high})."),
}

Digits = Literal["full", "ascii"]

#: A 平成 date after 2019-04-30 (平成31年5月1日, 平成32年…): still accepted in
#: official practice, converted, and flagged so a human can rewrite it.
WARN_HEISEI_AFTER_END = "heisei_after_end"
#: The weekday suffix 「（金）」 does not match the date: usually a typo in the day.
WARN_WEEKDAY_MISMATCH = "weekday_mismatch"


@dataclass(frozen=True)
class Era:
    """One row of the era table.

    ``first_year`` is the Gregorian year numbered 元年, so era year *n* is
    Gregorian ``first_year + n - 1``.  ``start``/``end`` bound the days this
    module accepts for the era (``end`` is ``None`` for the current era).
    """

    name: str
    initial: str
    first_year: int
    start: date
    end: date | None

    def contains(self, d: date) -> bool:
        """True if ``d`` lies within this era's supported days."""
        return self.start <= d and (self.end is None or d <= self.end)


#: The era table, oldest first.  明治 is supported only from 明治6年1月1日
#: (1873-01-01), when Japan adopted the Gregorian calendar: earlier 明治 dates
#: are lunisolar and cannot be converted by arithmetic.
ERAS: tuple[Era, ...] = (
    Era("明治", "M", 1868, date(1873, 1, 1), date(1912, 7, 29)),
    Era("大正", "T", 1912, date(1912, 7, 30), date(1926, 12, 24)),
    Era("昭和", "S", 1926, date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "H", 1989, date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "R", 2019, date(2019, 5, 1), None),
)

_ERA_BY_KEY: dict[str, Era] = {
    **{era.name: era for era in ERAS},
    **{era.initial: era for era in ERAS},
}
_HEISEI = _ERA_BY_KEY["平成"]


# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def to_fullwidth_digits(s: str) -> str:
    """Replace ASCII digits 0–9 with full-width ０–９; nothing else changes.

    Official documents print dates and article numbers with full-width digits
    (令和９年３月３１日, 第１条).
    """
    return s.translate(_FULLWIDTH)


def _apply_digits(s: str, digits: Digits) -> str:
    if digits == "full":
        return to_fullwidth_digits(s)
    if digits == "ascii":
        return s
    raise ValueError(f"digits must be 'full' or 'ascii', not {digits!r}")


def era_of(d: date) -> Era:
    """The era in force on ``d``; ValueError before 1873-01-01 (see :data:`ERAS`)."""
    for era in reversed(ERAS):
        if d >= era.start:
            return era
    raise ValueError(f"{d.isoformat()} is before the supported era table (1873-01-01)")


def _era_year_text(year: int) -> str:
    """Year 1 is written 元年, never 1年 or 01年."""
    return "元" if year == 1 else str(year)


def format_era_year(d: date, digits: Digits = "full") -> str:
    """「令和８年」 for a date in 2026 (令和元年 for 2019-05-01…2019-12-31)."""
    era = era_of(d)
    text = f"{era.name}{_era_year_text(d.year - era.first_year + 1)}年"
    return _apply_digits(text, digits)


def format_wareki(d: date, digits: Digits = "full") -> str:
    """「令和８年１２月１日」: era year, month and day without zero padding.

    ``digits="ascii"`` gives 「令和8年12月1日」 for places that want
    half-width digits (file names, CSV).
    """
    return format_era_year(d, digits) + _apply_digits(f"{d.month}月{d.day}日", digits)


def format_both(d: date) -> str:
    """「令和8年6月1日（2026/06/01）」: a date as staff read it on its own (report, screen), both calendars."""
    return f"{format_wareki(d, 'ascii')}（{d:%Y/%m/%d}）"


# --------------------------------------------------------------------------
# Fiscal year (年度)
# --------------------------------------------------------------------------


def fiscal_year(d: date) -> int:
    """The 年度 of ``d`` as its Gregorian start year: 2026-02-15 → 2025."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_start(d: date) -> date:
    """1 April opening the fiscal year that contains ``d``."""
    return date(fiscal_year(d), 4, 1)


def fiscal_year_end(d: date) -> date:
    """31 March closing the fiscal year that contains ``d``."""
    return date(fiscal_year(d) + 1, 3, 31)


def format_fiscal_year(fy: int, digits: Digits = "full") -> str:
    """「令和７年度」 for fiscal year 2025 (April 2025–March 2026).

    A fiscal year takes the era whose 元年 falls in or before its starting
    calendar year, i.e. the era of the calendar year ``fy`` as labelled at its
    end: FY2019 is 「令和元年度」 as a whole although April 2019 was still 平成,
    while FY1988 stays 「昭和６３年度」 (平成 began only in January 1989).
    """
    if fy < ERAS[0].start.year:
        raise ValueError(f"fiscal year {fy} is before the supported era table")
    era = next(e for e in reversed(ERAS) if e.first_year <= fy)
    text = f"{era.name}{_era_year_text(fy - era.first_year + 1)}年度"
    return _apply_digits(text, digits)


def fiscal_year_said(fy: int) -> str:
    """A fiscal year in a message or on a page: 「令和8年度」, or 「FY2026」 with --lang en.

    Documents, file names and the CSV keep 「令和8年度」 (:func:`format_fiscal_year`) in any language.
    """
    return format_fiscal_year(fy, "ascii") if get_lang() == "ja" else f"FY{fy}"


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------

ParseReason = Literal[
    "unrecognized", "invalid_date", "outside_era", "incomplete", "missing_era"
]


class DateParseError(ValueError):
    """A date that is written but cannot be accepted.

    ``reason`` is a stable code for callers and messages:

    * ``unrecognized`` — not a date in any accepted spelling;
    * ``invalid_date`` — no such day (2月30日, 13月, era year 0);
    * ``outside_era`` — a real day, but not in the named era (令和元年4月30日),
      or an era year above 99 (R2026.1.1);
    * ``incomplete`` — some fields filled, others left blank (令和８年　月　日);
    * ``missing_era`` — a small year with no era (8年11月20日): which era is meant?
    """

    def __init__(self, reason: ParseReason, text: str, detail: str = "", *, era: Era | None = None,
                 year: int | None = None, month: int | None = None, day: int | None = None) -> None:
        self.reason: ParseReason = reason
        self.text = text
        self.detail = detail
        #: what was read, where known: the era, the year as written (era year or Western), month, day
        self.era, self.year, self.month, self.day = era, year, month, day
        message = f"{reason}: {text!r}"
        super().__init__(f"{message} ({detail})" if detail else message)

    def why(self) -> str:
        """Why the date cannot be accepted, in a sentence for the person who typed it."""
        era, year, month, day = self.era, self.year, self.month, self.day
        if self.reason == "invalid_date" and year is not None and month is not None and day is not None:
            if era is not None and year < 1:
                return say(MESSAGES, "no_era_year_0", era=era.name)
            if not 1 <= month <= 12:
                return say(MESSAGES, "no_month", month=month)
            western = era.first_year + year - 1 if era is not None else year
            if month == 2 and day == 29:
                return say(MESSAGES, "not_leap", year=western)
            return say(MESSAGES, "no_day", month=month, day=day)
        if self.reason == "outside_era" and era is not None:
            if year is not None and year > _MAX_ERA_YEAR:
                example = f"{year}-{month or 1:02d}-{day or 1:02d}"
                return say(MESSAGES, "era_year_too_big", era=era.name, year=year, western=example)
            if era is _HEISEI and year is not None and year > _HEISEI_LAST_OVERRUN_YEAR:
                western = era.first_year + year - 1
                return say(MESSAGES, "heisei_overrun", year=year, western=western, reiwa=western - 2018)
            start = _long_western(era.start)
            if era.end is None:
                return say(MESSAGES, "era_from", era=era.name, start=start)
            return say(MESSAGES, "era_span", era=era.name, start=start, end=_long_western(era.end))
        if self.reason == "incomplete":
            return say(MESSAGES, "incomplete")
        if self.reason == "missing_era" and self.detail == _FIRST_YEAR_WITHOUT_ERA:
            return say(MESSAGES, "missing_era_first")  # 「元年5月1日」: not 「1年だけでは…」
        if self.reason == "missing_era" and year is not None:
            return say(MESSAGES, "missing_era", year=year)
        return say(MESSAGES, "unrecognized")


#: the detail of 「元年」 written without an era (why() says 元年, not 「1年」)
_FIRST_YEAR_WITHOUT_ERA = "元年 without an era"


def _long_western(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date, the era it was written in (``None`` for Gregorian) and warnings."""

    date: date
    era: str | None
    warnings: tuple[str, ...] = field(default=())


_KANJI_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_WEEKDAYS = "月火水木金土日"
#: Characters that mark an unfilled field in a template: ●●年, 〇〇年, ＿年, XX年.
_PLACEHOLDER_CHARS = "●○〇◯□■◇◆△▲×xX*_?〃・"
_PLACEHOLDERS = frozenset(_PLACEHOLDER_CHARS)
#: No era has reached year 100; a larger era year is a typo (R2026.1.1), not a date.
_MAX_ERA_YEAR = 99
#: A 平成 date after the era's end is still written on old forms (平成32年, 平成38年 on a form
#: printed before 2019) and is converted with a warning; beyond this era year (2029 and later)
#: it is no slip of an old form but a mistake (平成99年 would be 2087) and is refused.
_HEISEI_LAST_OVERRUN_YEAR = 40
#: Longer numerals are garbage (and would hit int()'s digit limit).
_MAX_NUMERAL_LENGTH = 8
#: Dashes people use between date parts; NFKC folds only the full-width one.
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})

_ERA_PREFIX = r"(?P<era>明治|大正|昭和|平成|令和|[MTSHRmtshr]\.?)"
_KANJI_FORM = pattern(
    rf"{_ERA_PREFIX}?(?P<y>[^年月日]*)年(?P<m>[^年月日]*)月(?P<d>[^年月日]*)日"
)
_SEPARATED_FORM = pattern(
    rf"{_ERA_PREFIX}?(?P<y>[0-9]+|元)(?P<sep>[./-])(?P<m>[0-9]{{1,2}})"
    r"(?P=sep)(?P<d>[0-9]{1,2})"
)
_WEEKDAY_SUFFIX = pattern(
    rf"(?:\((?P<wp>[{_WEEKDAYS}])(?:曜日?)?(?:・?祝日?)?\)"
    rf"|(?P<wb>[{_WEEKDAYS}])曜日?"
    rf"|\([{re.escape(_PLACEHOLDER_CHARS)}]*\))$"  # a template's unfilled 「（　）」
)
_ASCII_NUMBER = pattern(r"[0-9]+")


def _compact(text: str) -> str:
    """NFKC-fold (full-width digits/letters/punctuation, ㋿) and drop all whitespace.

    NFKC is safe here because a date string is only matched, never written back.
    """
    folded = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return "".join(folded.split())


def _split_weekday(compact: str) -> tuple[str, int | None]:
    """Strip a trailing 「(金)」/「(金曜日)」/「金曜日」/「(　)」.

    Returns the rest and the weekday (0 = Monday) if one was written.
    """
    match = _WEEKDAY_SUFFIX.search(compact)
    if match is None:
        return compact, None
    char = match.group("wp") or match.group("wb")
    return compact[: match.start()], _WEEKDAYS.index(char) if char else None


def _kanji_number(s: str) -> int | None:
    """二十 → 20, 三十一 → 31, 十一 → 11, 二〇二六 → 2026, 二千二十六 → 2026.

    Positional spelling (digit by digit, with 〇) and unit spelling (十, 百, 千)
    are both in use; a malformed mix (十十, 二三十) gives None.
    """
    if not s or any(ch not in _KANJI_DIGITS and ch not in _KANJI_UNITS for ch in s):
        return None
    if not any(ch in _KANJI_UNITS for ch in s):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in s))
    total, pending, last_unit = 0, None, 10_000
    for ch in s:
        if ch in _KANJI_DIGITS:
            if pending is not None:
                return None
            pending = _KANJI_DIGITS[ch]
            continue
        unit = _KANJI_UNITS[ch]
        if unit >= last_unit or pending == 0:
            return None
        total += (1 if pending is None else pending) * unit
        pending, last_unit = None, unit
    return total + (pending or 0)


def _number(s: str) -> int | None:
    """An ASCII or kanji numeral, or None."""
    if len(s) > _MAX_NUMERAL_LENGTH:
        return None
    if _ASCII_NUMBER.fullmatch(s):
        return int(s)
    return _kanji_number(s)


def _is_blank_field(s: str) -> bool:
    return all(ch in _PLACEHOLDERS for ch in s)


def _era_from_prefix(prefix: str | None) -> Era | None:
    if prefix is None:
        return None
    return _ERA_BY_KEY[prefix.rstrip(".").upper() if prefix.isascii() else prefix]


def _year_number(raw: str, era: Era | None, text: str) -> int:
    """Era year (元 allowed) or Gregorian year (four digits, no 元)."""
    if raw == "元":
        if era is None:
            raise DateParseError("missing_era", text, _FIRST_YEAR_WITHOUT_ERA, year=1)
        return 1
    year = _number(raw)
    if year is None:
        raise DateParseError("unrecognized", text, f"year {raw!r}")
    if era is None and year < 1000:
        raise DateParseError("missing_era", text, f"year {year} without an era", year=year)
    return year


def _build(
    era: Era | None, year: int, month: int, day: int, text: str
) -> tuple[date, tuple[str, ...]]:
    """Make the date and check it lies in its era (平成 may overrun, with a warning)."""
    written = {"era": era, "year": year, "month": month, "day": day}
    if era is not None:
        if year < 1:
            raise DateParseError("invalid_date", text, "era year 0", **written)  # type: ignore[arg-type]
        if year > _MAX_ERA_YEAR:
            raise DateParseError("outside_era", text, f"{era.name}{year}年", **written)  # type: ignore[arg-type]
        year = era.first_year + year - 1
    try:
        result = date(year, month, day)
    except ValueError as exc:
        raise DateParseError("invalid_date", text, str(exc), **written) from None  # type: ignore[arg-type]
    if era is None or era.contains(result):
        return result, ()
    if era is _HEISEI and result > _HEISEI.end:  # type: ignore[operator]
        if written["year"] > _HEISEI_LAST_OVERRUN_YEAR:  # type: ignore[operator]
            raise DateParseError("outside_era", text, f"平成 ended 2019-04-30; {era.name}{written['year']}年 is {year}",
                                 **written)  # type: ignore[arg-type]
        return result, (WARN_HEISEI_AFTER_END,)
    span = f"{era.start.isoformat()}..{era.end.isoformat() if era.end else ''}"
    raise DateParseError("outside_era", text, f"{era.name} is {span}", **written)  # type: ignore[arg-type]


def _fields_from_kanji_form(match: re.Match[str], text: str) -> tuple[str, str, str] | None:
    """The three raw fields, or None for a wholly blank template date line."""
    fields = (match.group("y"), match.group("m"), match.group("d"))
    blanks = [_is_blank_field(f) for f in fields]
    if all(blanks):
        return None
    if any(blanks):
        raise DateParseError("incomplete", text, "some of 年/月/日 are blank")
    return fields


def parse_date(text: str) -> ParsedDate | None:
    """Parse a date as written in proposals and agreements.

    Accepts era dates (令和8年11月20日, 令和八年十一月二十日, 令和元年5月1日,
    R8.11.20, h31/4/30) and Gregorian ones (2026年11月20日, 2026/11/20,
    2026-11-20, 2026.11.20), full-width or ASCII digits, spaces anywhere and a
    trailing weekday 「（金）」.  Returns ``None`` for a blank date line — empty,
    「令和　年　月　日」, 「●●年●●月●●日」 — because a blank is a normal state of
    a template, not an error.  Raises :class:`DateParseError` for anything else
    that is not a real day in its era.
    """
    compact = _compact(text)
    if not compact:
        return None
    body, weekday = _split_weekday(compact)

    kanji = _KANJI_FORM.fullmatch(body)
    separated = None if kanji else _SEPARATED_FORM.fullmatch(body)
    if kanji is not None:
        era = _era_from_prefix(kanji.group("era"))
        fields = _fields_from_kanji_form(kanji, text)
        if fields is None:
            return None
        raw_year, raw_month, raw_day = fields
    elif separated is not None:
        era = _era_from_prefix(separated.group("era"))
        raw_year, raw_month, raw_day = separated.group("y", "m", "d")
    else:
        raise DateParseError("unrecognized", text)

    year = _year_number(raw_year, era, text)
    month, day = _number(raw_month), _number(raw_day)
    if month is None or day is None:
        raise DateParseError("unrecognized", text, "month or day is not a number")
    result, warnings = _build(era, year, month, day, text)
    if weekday is not None and weekday != result.weekday():
        warnings += (WARN_WEEKDAY_MISMATCH,)
    return ParsedDate(result, era.name if era else None, warnings)


#: fiscal years kyotei handles (the registry keeps the same range)
FISCAL_YEAR_RANGE = (1900, 2999)
_FY_FORM = pattern(rf"{_ERA_PREFIX}?(?P<y>[0-9]+|元)(?:年度?)?")


def parse_fiscal_year(text: str) -> int:
    """A fiscal year as staff write it → its starting calendar year.

    「令和8年度」「令和８年度」「R8」「r8年度」「令和元年度」 and 「2026」「2026年度」
    all work; 令和8年度 is 2026 (April 2026–March 2027), the inverse of
    :func:`format_fiscal_year`.  Raises :class:`ValueError` with a sentence
    for the person who typed it: an era-less small number (「8」) says which
    spellings to use rather than guess an era.
    """
    compact = _compact(text)
    match = _FY_FORM.fullmatch(compact)
    if match is None:
        raise ValueError(say(MESSAGES, "fy_unrecognized"))
    era = _era_from_prefix(match.group("era"))
    raw = match.group("y")
    if era is None:
        if raw == "元" or len(raw) < 4:
            raise ValueError(say(MESSAGES, "fy_missing_era", year=text.strip()))
        fy = int(raw)
    else:
        n = 1 if raw == "元" else int(raw)
        if not 1 <= n <= _MAX_ERA_YEAR:
            raise ValueError(say(MESSAGES, "fy_range", text=text.strip(), low=FISCAL_YEAR_RANGE[0],
                                 high=FISCAL_YEAR_RANGE[1]))
        fy = era.first_year + n - 1
    low, high = FISCAL_YEAR_RANGE
    if not low <= fy <= high:
        raise ValueError(say(MESSAGES, "fy_range", text=text.strip(), low=low, high=high))
    return fy
