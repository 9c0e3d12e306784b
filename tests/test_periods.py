"""Tests for kyotei_docs.periods: the spec is docs/domain.md §3 (民法 §§138–143)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import FrozenInstanceError
from datetime import date, timedelta
from pathlib import Path

import jpholiday
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyotei_docs.periods import (
    YEAR_END_CLOSURE,
    ClosedDays,
    add_years_end,
    fiscal_term_end,
    notice_deadline,
    renewal_end,
    subtract_months,
    term_end,
)

D = date
ONE_DAY = timedelta(days=1)
CITY = ClosedDays()
# jpholiday knows the holidays of these years; keep calendar properties inside them.
CAL_MIN, CAL_MAX = D(2025, 1, 1), D(2030, 12, 31)


# --------------------------------------------------------------------------
# Periods in years (§143)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 4, 1), D(2027, 3, 31)),  # domain.md §3
        (D(2028, 2, 29), D(2029, 2, 28)),  # domain.md §3: no 2029-02-29
        (D(2027, 3, 15), D(2028, 3, 14)),
        (D(2026, 12, 1), D(2027, 11, 30)),
        (D(2027, 3, 1), D(2028, 2, 29)),  # ends on a leap day
        (D(2026, 1, 1), D(2026, 12, 31)),
        (D(2027, 2, 28), D(2028, 2, 27)),
    ],
)
def test_add_years_end_examples(start: date, end: date) -> None:
    assert add_years_end(start) == end


def test_add_years_end_several_years() -> None:
    assert add_years_end(D(2026, 4, 1), 3) == D(2029, 3, 31)
    assert add_years_end(D(2028, 2, 29), 4) == D(2032, 2, 28)  # 2032-02-29 exists
    assert add_years_end(D(2028, 2, 29), 2) == D(2030, 2, 28)  # no 2030-02-29


@pytest.mark.parametrize("years", [0, -1])
def test_add_years_end_rejects_non_positive_years(years: int) -> None:
    with pytest.raises(ValueError):
        add_years_end(D(2026, 4, 1), years)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)), st.integers(1, 10))
def test_add_years_end_property(start: date, years: int) -> None:
    end = add_years_end(start, years)
    target_year = start.year + years
    if (start.month, start.day) != (2, 29) or _is_leap(target_year):
        assert end + ONE_DAY == start.replace(year=target_year)
    else:
        assert end == D(target_year, 2, 28)
    # A period of N years lasts N years give or take leap days.
    assert 365 * years - 1 <= (end - start).days + 1 <= 366 * years


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# --------------------------------------------------------------------------
# Renewal
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expiry", "new_expiry"),
    [
        (D(2027, 3, 31), D(2028, 3, 31)),  # domain.md §3
        (D(2029, 2, 28), D(2030, 2, 28)),  # domain.md §3 (naive answer: 2030-02-27)
        (D(2028, 2, 28), D(2029, 2, 28)),  # renewal starts 2028-02-29: no 2029-02-29
        (D(2028, 2, 29), D(2029, 2, 28)),
        (D(2027, 2, 28), D(2028, 2, 29)),  # renewal starts 2027-03-01
        (D(2027, 11, 30), D(2028, 11, 30)),
        (D(2027, 12, 31), D(2028, 12, 31)),
    ],
)
def test_renewal_end_examples(expiry: date, new_expiry: date) -> None:
    assert renewal_end(expiry) == new_expiry


def test_renewal_end_is_not_the_naive_formula() -> None:
    """expiry + 1 year (clamped) - 1 day is wrong after 2029-02-28."""
    naive = D(2030, 2, 28) - ONE_DAY
    assert renewal_end(D(2029, 2, 28)) != naive


def test_renewal_several_years() -> None:
    assert renewal_end(D(2027, 3, 31), years=2) == D(2029, 3, 31)


@given(st.integers(2020, 2100), st.integers(1, 30))
def test_fiscal_agreements_keep_ending_on_31_march(year: int, renewals: int) -> None:
    expiry = D(year, 3, 31)
    for _ in range(renewals):
        expiry = renewal_end(expiry)
    assert expiry == D(year + renewals, 3, 31)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)))
def test_renewal_equals_a_new_period_from_the_next_day(expiry: date) -> None:
    new_expiry = renewal_end(expiry)
    assert new_expiry == add_years_end(expiry + ONE_DAY)
    assert 365 <= (new_expiry - expiry).days <= 366


# --------------------------------------------------------------------------
# Validity terms
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signing", "fiscal", "one_year"),
    [
        (D(2026, 11, 20), D(2027, 3, 31), D(2027, 11, 19)),
        (D(2027, 2, 15), D(2027, 3, 31), D(2028, 2, 14)),
        (D(2027, 3, 31), D(2027, 3, 31), D(2028, 3, 30)),
        (D(2026, 4, 1), D(2027, 3, 31), D(2027, 3, 31)),
        (D(2028, 2, 29), D(2028, 3, 31), D(2029, 2, 28)),
    ],
)
def test_term_end(signing: date, fiscal: date, one_year: date) -> None:
    assert fiscal_term_end(signing) == fiscal
    assert term_end(signing, "fiscal") == fiscal
    assert term_end(signing, "one-year") == one_year


def test_term_end_rejects_unknown_term() -> None:
    with pytest.raises(ValueError):
        term_end(D(2026, 4, 1), "two-years")  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Notice deadline 「満了する日の１か月前までに」
# --------------------------------------------------------------------------


def test_notice_deadline_domain_example() -> None:
    expiry = D(2027, 3, 31)
    assert subtract_months(expiry, 1) == D(2027, 2, 28)
    assert notice_deadline(expiry) == D(2027, 2, 27)  # safe is the default
    assert notice_deadline(expiry, "safe") == D(2027, 2, 27)
    assert notice_deadline(expiry, "plain") == D(2027, 2, 28)


@pytest.mark.parametrize(
    ("expiry", "safe", "plain"),
    [
        (D(2028, 3, 31), D(2028, 2, 28), D(2028, 2, 29)),  # leap year
        (D(2027, 11, 30), D(2027, 10, 29), D(2027, 10, 30)),
        (D(2027, 1, 15), D(2026, 12, 14), D(2026, 12, 15)),  # across the year
        (D(2027, 5, 31), D(2027, 4, 29), D(2027, 4, 30)),
    ],
)
def test_notice_deadline_readings(expiry: date, safe: date, plain: date) -> None:
    assert notice_deadline(expiry, "safe") == safe
    assert notice_deadline(expiry, "plain") == plain


def test_notice_deadline_rejects_unknown_reading() -> None:
    with pytest.raises(ValueError):
        notice_deadline(D(2027, 3, 31), "lenient")  # type: ignore[arg-type]


def test_notice_deadline_on_saturday_moves_earlier() -> None:
    # 2027-02-27 is a Saturday: the deadline is Friday 2027-02-26, never Monday.
    assert notice_deadline(D(2027, 3, 31), calendar=CITY) == D(2027, 2, 26)
    # The plain reading, Sunday 2027-02-28, also moves back to Friday.
    assert notice_deadline(D(2027, 3, 31), "plain", calendar=CITY) == D(2027, 2, 26)


def test_notice_deadline_on_holiday_moves_earlier() -> None:
    assert jpholiday.is_holiday(D(2027, 2, 23))  # 天皇誕生日, a Tuesday
    assert notice_deadline(D(2027, 3, 24)) == D(2027, 2, 23)
    assert notice_deadline(D(2027, 3, 24), calendar=CITY) == D(2027, 2, 22)
    assert jpholiday.is_holiday(D(2027, 4, 29))  # 昭和の日, a Thursday
    assert notice_deadline(D(2027, 5, 31), calendar=CITY) == D(2027, 4, 28)


def test_notice_deadline_in_year_end_closure_moves_before_it() -> None:
    # Expiry 2029-01-30: safe deadline 2028-12-29, inside the 12/29–1/3 closure.
    assert notice_deadline(D(2029, 1, 30)) == D(2028, 12, 29)
    assert notice_deadline(D(2029, 1, 30), calendar=CITY) == D(2028, 12, 28)
    # Expiry 2029-02-03: safe deadline 2029-01-02 → Thursday 2028-12-28.
    assert notice_deadline(D(2029, 2, 3), calendar=CITY) == D(2028, 12, 28)


def test_notice_deadline_on_open_day_is_unchanged_by_calendar() -> None:
    assert notice_deadline(D(2027, 3, 24), "plain", calendar=CITY) == D(2027, 2, 24)


@given(st.dates(min_value=D(2025, 3, 1), max_value=D(2030, 12, 31)))
def test_notice_deadline_properties(expiry: date) -> None:
    safe, plain = notice_deadline(expiry, "safe"), notice_deadline(expiry, "plain")
    assert safe + ONE_DAY == plain < expiry
    assert 28 <= (expiry - plain).days <= 31
    moved = notice_deadline(expiry, calendar=CITY)
    assert moved <= safe
    assert not CITY.is_closed(moved)
    assert all(CITY.is_closed(moved + ONE_DAY * k) for k in range(1, (safe - moved).days + 1))


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
)
def test_notice_deadline_is_monotonic(a: date, b: date) -> None:
    early, late = min(a, b), max(a, b)
    assert notice_deadline(early) <= notice_deadline(late)


# --------------------------------------------------------------------------
# Closed days
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "closed"),
    [
        (D(2027, 2, 26), False),  # Friday
        (D(2027, 2, 27), True),  # Saturday
        (D(2027, 2, 28), True),  # Sunday
        (D(2027, 2, 23), True),  # 天皇誕生日
        (D(2027, 3, 22), True),  # 春分の日 振替休日
        (D(2027, 7, 19), True),  # 海の日
        (D(2028, 3, 20), True),  # 春分の日
        (D(2028, 10, 9), True),  # スポーツの日
        (D(2027, 12, 28), False),  # last working day of the year
        (D(2027, 12, 29), True),  # year-end closure, a Wednesday
        (D(2027, 12, 31), True),
        (D(2028, 1, 3), True),  # Monday, still closed
        (D(2028, 1, 4), False),  # first working day
    ],
)
def test_is_closed(day: date, closed: bool) -> None:
    assert CITY.is_closed(day) is closed


def test_next_open_day_is_a_forward_deadline() -> None:
    assert CITY.next_open_day(D(2027, 2, 26)) == D(2027, 2, 26)  # open: unchanged
    assert CITY.next_open_day(D(2027, 2, 27)) == D(2027, 3, 1)
    # Saturday, Sunday 春分の日, Monday 振替休日 → Tuesday.
    assert CITY.next_open_day(D(2027, 3, 20)) == D(2027, 3, 23)
    # Golden Week 2028: Wed 5/3 … Sun 5/7 → Monday 5/8.
    assert CITY.next_open_day(D(2028, 5, 3)) == D(2028, 5, 8)
    assert CITY.next_open_day(D(2027, 12, 29)) == D(2028, 1, 4)


def test_previous_open_day_is_a_backward_deadline() -> None:
    assert CITY.previous_open_day(D(2027, 2, 26)) == D(2027, 2, 26)
    assert CITY.previous_open_day(D(2027, 3, 22)) == D(2027, 3, 19)
    assert CITY.previous_open_day(D(2028, 5, 5)) == D(2028, 5, 2)
    assert CITY.previous_open_day(D(2028, 1, 3)) == D(2027, 12, 28)


def test_without_year_end_closure_29_december_is_open() -> None:
    assert YEAR_END_CLOSURE == (((12, 29), (1, 3)),)
    no_closure = ClosedDays(closures=())
    assert not no_closure.is_closed(D(2027, 12, 29))
    assert no_closure.is_closed(D(2028, 1, 1))  # 元日 is a national holiday anyway
    assert no_closure.next_open_day(D(2027, 12, 29)) == D(2027, 12, 29)


def test_custom_closures_from_lists() -> None:
    """Configuration files give lists; ranges may wrap over the new year or not."""
    city = ClosedDays(closures=[[(12, 28), (1, 4)], [(8, 13), (8, 16)]])  # type: ignore[arg-type]
    assert city.closures == (((12, 28), (1, 4)), ((8, 13), (8, 16)))
    assert city.is_closed(D(2027, 12, 28))
    assert city.is_closed(D(2028, 1, 4))
    assert not city.is_closed(D(2028, 1, 5))
    assert city.is_closed(D(2028, 8, 14))  # Monday in the summer closure
    assert not city.is_closed(D(2028, 8, 17))  # Thursday
    assert not city.is_closed(D(2027, 6, 1))
    hash(city)  # frozen and hashable, so it can be cached


def test_single_day_closure_and_extra_dates() -> None:
    city = ClosedDays(closures=[((6, 1), (6, 1))], extra_dates={D(2027, 10, 1)})  # type: ignore[arg-type]
    assert city.is_closed(D(2027, 6, 1))
    assert not city.is_closed(D(2027, 6, 2))
    assert city.is_closed(D(2027, 10, 1))
    assert not city.is_closed(D(2028, 10, 2))
    assert not city.is_closed(D(2027, 12, 29))  # custom list replaced the default


@pytest.mark.parametrize("bad", [[((13, 1), (1, 3))], [((2, 30), (3, 1))], [((12, 29), (0, 3))]])
def test_invalid_closures_are_rejected(bad: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    with pytest.raises(ValueError):
        ClosedDays(closures=bad)  # type: ignore[arg-type]


def test_leap_day_closure_is_allowed() -> None:
    city = ClosedDays(closures=[((2, 29), (2, 29))])  # type: ignore[arg-type]
    assert city.is_closed(D(2028, 2, 29))
    assert not city.is_closed(D(2028, 2, 28))


def test_holidays_and_weekends_can_be_switched() -> None:
    no_holidays = ClosedDays(national_holidays=False)
    assert not no_holidays.is_closed(D(2027, 2, 23))
    assert no_holidays.is_closed(D(2027, 2, 27))
    sunday_only = ClosedDays(weekends=frozenset({6}))
    assert not sunday_only.is_closed(D(2027, 2, 27))
    assert sunday_only.is_closed(D(2027, 2, 28))


def test_closed_days_is_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        CITY.national_holidays = False  # type: ignore[misc]


def test_calendar_with_no_open_day_fails_loudly() -> None:
    always = ClosedDays(weekends=frozenset(range(7)))
    with pytest.raises(ValueError):
        always.next_open_day(D(2027, 1, 1))
    with pytest.raises(ValueError):
        always.previous_open_day(D(2027, 1, 1))


@given(st.dates(min_value=CAL_MIN, max_value=CAL_MAX))
def test_open_day_search_properties(day: date) -> None:
    forward, backward = CITY.next_open_day(day), CITY.previous_open_day(day)
    assert backward <= day <= forward
    assert not CITY.is_closed(forward) and not CITY.is_closed(backward)
    assert (forward == day) == (not CITY.is_closed(day)) == (backward == day)
    # Every day skipped is closed.
    assert all(CITY.is_closed(day + ONE_DAY * k) for k in range((forward - day).days))
    assert all(CITY.is_closed(day - ONE_DAY * k) for k in range((day - backward).days))


@given(st.dates(min_value=CAL_MIN, max_value=CAL_MAX))
def test_is_closed_matches_jpholiday_and_weekends(day: date) -> None:
    year_end = (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3)
    expected = day.weekday() >= 5 or bool(jpholiday.is_holiday(day)) or year_end
    assert CITY.is_closed(day) is expected


def test_importing_periods_does_not_import_jpholiday() -> None:
    """jpholiday is imported lazily so that the CLI starts fast."""
    code = (
        "import sys, kyotei_docs.periods, kyotei_docs.era; "
        "sys.exit('jpholiday' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env={"PYTHONPATH": str(root)}, check=False
    )
    assert result.returncode == 0
