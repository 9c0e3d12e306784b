"""Agreement periods and deadlines under the Civil Code (民法 §§138–143).

Why a module of its own: the naive ``date + relativedelta(years=1) - 1 day``
is wrong at month ends (a term signed on 2028-02-29, a renewal after
2029-02-28), and an agreement must always print its explicit end date, so the
arithmetic has to be right.  See ``docs/domain.md`` §3.

* :func:`add_years_end`, :func:`renewal_end` — period end dates (§143);
* :func:`fiscal_term_end`, :func:`term_end` — the two validity rules of the
  guideline (to 31 March of the fiscal year, or one year);
* :func:`notice_deadline` — 「満了する日の１か月前までに」, with a reading setting;
* :class:`ClosedDays` — weekends, national holidays (``jpholiday``, imported
  lazily) and the city's own closures, to move deadlines off closed days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from kyotei_docs.era import fiscal_year_end

__all__ = [
    "ClosedDays",
    "MonthDay",
    "NoticeReading",
    "Term",
    "YEAR_END_CLOSURE",
    "add_years_end",
    "fiscal_term_end",
    "notice_deadline",
    "renewal_end",
    "subtract_months",
    "term_end",
]

Term = Literal["fiscal", "one-year"]
NoticeReading = Literal["safe", "plain"]
MonthDay = tuple[int, int]

_ONE_DAY = timedelta(days=1)


def _last_day_of_month(year: int, month: int) -> int:
    """Days in the month (computed here so that ``calendar``/``locale`` need not load)."""
    if month == 12:
        return 31
    first_of_next = date(year, month + 1, 1)
    return (first_of_next - _ONE_DAY).day


def add_years_end(start: date, years: int = 1) -> date:
    """Last day of a period of ``years`` years that takes effect on ``start``.

    The start day counts (the agreement is in force from 00:00 of the signing
    day, §140 proviso), so the period ends on the day before the corresponding
    day ``years`` later; when that month has no corresponding day (29 February
    in a common year) it ends on the last day of that month (§143(2)).
    2026-04-01 → 2027-03-31; 2028-02-29 → 2029-02-28.
    """
    if years < 1:
        raise ValueError(f"years must be at least 1, not {years}")
    year = start.year + years
    if start.day > _last_day_of_month(year, start.month):
        return date(year, start.month, _last_day_of_month(year, start.month))
    return start.replace(year=year) - _ONE_DAY


def renewal_end(expiry: date, years: int = 1) -> date:
    """New expiry after renewing for ``years`` from the day after ``expiry``.

    2027-03-31 → 2028-03-31; 2029-02-28 → 2030-02-28 (not 2030-02-27, the
    answer of the naive ``expiry + 1 year - 1 day``).
    """
    return add_years_end(expiry + _ONE_DAY, years)


def fiscal_term_end(signing: date) -> date:
    """31 March of the signing date's fiscal year (年度, April–March)."""
    return fiscal_year_end(signing)


def term_end(signing: date, term: Term) -> date:
    """Expiry of an agreement signed on ``signing`` under one of the guideline's rules.

    ``"fiscal"``: to 31 March of that fiscal year; ``"one-year"``: one year
    counted from the signing day.
    """
    if term == "fiscal":
        return fiscal_term_end(signing)
    if term == "one-year":
        return add_years_end(signing, 1)
    raise ValueError(f"term must be 'fiscal' or 'one-year', not {term!r}")


def subtract_months(d: date, months: int) -> date:
    """``d`` moved back ``months`` months, clamped to the end of a shorter month.

    2027-03-31 minus one month is 2027-02-28.
    """
    index = d.year * 12 + (d.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, _last_day_of_month(year, month)))


def notice_deadline(
    expiry: date,
    reading: NoticeReading = "safe",
    calendar: ClosedDays | None = None,
) -> date:
    """Last day to give notice 「満了する日の１か月前までに」 for expiry ``expiry``.

    Practice reads the phrase two ways, so the reading is a setting:

    * ``"safe"`` (default, the earliest): expiry minus one month minus one
      day — 2027-03-31 → 2027-02-27;
    * ``"plain"``: expiry minus one month — 2027-03-31 → 2027-02-28.

    With a ``calendar``, a deadline on a closed day moves *earlier* to the
    previous open day: a backward deadline must never be pushed later.
    """
    if reading == "safe":
        deadline = subtract_months(expiry, 1) - _ONE_DAY
    elif reading == "plain":
        deadline = subtract_months(expiry, 1)
    else:
        raise ValueError(f"reading must be 'safe' or 'plain', not {reading!r}")
    return deadline if calendar is None else calendar.previous_open_day(deadline)


def earliest_end_after_notice(
    notice: date,
    reading: NoticeReading = "safe",
    calendar: ClosedDays | None = None,
) -> date:
    """The first day an agreement can end when written notice is given on ``notice``.

    協定書 第４条第２項: notice 「解約予定日の１か月前までに」.  The end ``E`` is
    allowed when ``notice`` is on or before :func:`notice_deadline` of ``E``
    (the same reading and calendar as the renewal notice), so this is the
    smallest such ``E`` — e.g. notice on 2027-01-15, safe reading → 2027-02-16.
    """
    candidate = notice + timedelta(days=28)
    while notice_deadline(candidate, reading, calendar) < notice:
        candidate += _ONE_DAY
    return candidate


#: The national year-end closure of government offices (行政機関の休日に関する法律 §1).
YEAR_END_CLOSURE: tuple[tuple[MonthDay, MonthDay], ...] = (((12, 29), (1, 3)),)

#: More than a year of consecutive closed days means a misconfigured calendar.
_MAX_SEARCH_DAYS = 400


def _check_month_day(md: MonthDay) -> MonthDay:
    month, day = md
    date(2000, month, day)  # a leap year, so 2/29 is allowed; raises if invalid
    return (month, day)


@dataclass(frozen=True)
class ClosedDays:
    """Which days the city office is closed.

    ``closures`` are inclusive ranges of (month, day) pairs repeated every year;
    a range may wrap over the new year, like the default 12/29–1/3.  Give the
    city's own list to replace the default (include the year-end range if it
    still applies).  ``extra_dates`` are one-off closures.  National holidays
    (including substitute holidays) come from ``jpholiday``.
    """

    closures: tuple[tuple[MonthDay, MonthDay], ...] = YEAR_END_CLOSURE
    weekends: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday
    national_holidays: bool = True
    extra_dates: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        """Accept lists from configuration files and validate every (month, day)."""
        ranges = tuple(
            (_check_month_day(tuple(first)), _check_month_day(tuple(last)))  # type: ignore[arg-type]
            for first, last in self.closures
        )
        object.__setattr__(self, "closures", ranges)
        object.__setattr__(self, "weekends", frozenset(self.weekends))
        object.__setattr__(self, "extra_dates", frozenset(self.extra_dates))

    def _in_closure(self, d: date) -> bool:
        key = (d.month, d.day)
        for first, last in self.closures:
            if first <= last and first <= key <= last:
                return True
            if first > last and (key >= first or key <= last):
                return True
        return False

    def is_closed(self, d: date) -> bool:
        """True on weekends, national holidays, configured closures and extra dates."""
        if d.weekday() in self.weekends or d in self.extra_dates or self._in_closure(d):
            return True
        if not self.national_holidays:
            return False
        import jpholiday  # lazy: only deadline checks need it

        return bool(jpholiday.is_holiday(d))

    def _step_to_open(self, d: date, step: timedelta) -> date:
        current = d
        for _ in range(_MAX_SEARCH_DAYS):
            if not self.is_closed(current):
                return current
            current += step
        raise ValueError(f"no open day within {_MAX_SEARCH_DAYS} days of {d.isoformat()}")

    def next_open_day(self, d: date) -> date:
        """``d`` if open, else the next open day: a forward deadline (§142)."""
        return self._step_to_open(d, _ONE_DAY)

    def previous_open_day(self, d: date) -> date:
        """``d`` if open, else the previous open day: a backward deadline."""
        return self._step_to_open(d, -_ONE_DAY)
