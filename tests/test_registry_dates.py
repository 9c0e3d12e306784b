"""Expiry, renewals and notice deadlines in the registry: leap years, month ends, closed days."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from kyotei_docs.registry.dates import DateRules
from kyotei_docs.registry.lifecycle import renew_due
from kyotei_docs.registry.queries import due, fetch_agreement
from test_registry_helpers import add_signed, open_new

RULES = DateRules()

# signing date, term → first expiry and the next three after automatic renewal
RENEWAL_CASES = [
    (date(2028, 2, 29), "fiscal", [date(2028, 3, 31), date(2029, 3, 31), date(2030, 3, 31), date(2031, 3, 31)]),
    (date(2028, 2, 29), "one-year", [date(2029, 2, 28), date(2030, 2, 28), date(2031, 2, 28), date(2032, 2, 29)]),
    (date(2027, 3, 15), "fiscal", [date(2027, 3, 31), date(2028, 3, 31), date(2029, 3, 31), date(2030, 3, 31)]),
    (date(2027, 3, 15), "one-year", [date(2028, 3, 14), date(2029, 3, 14), date(2030, 3, 14), date(2031, 3, 14)]),
    (date(2026, 12, 1), "fiscal", [date(2027, 3, 31), date(2028, 3, 31), date(2029, 3, 31), date(2030, 3, 31)]),
    (date(2026, 12, 1), "one-year", [date(2027, 11, 30), date(2028, 11, 30), date(2029, 11, 30),
                                     date(2030, 11, 30)]),
]


@pytest.mark.parametrize("signed, term, expiries", RENEWAL_CASES)
def test_expiry_and_renewals_through_the_registry(tmp_path, cfg, signed, term, expiries):
    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, signed, term)
        with reg.snapshot() as conn:
            first = fetch_agreement(conn, aid)
            assert first is not None and first.expires_on == expiries[0]
        seen = [expiries[0]]
        # run renew on the day after each expiry, as a daily job would
        for _ in range(3):
            report = renew_due(reg, today=seen[-1] + timedelta(days=1), actor="job", rules=RULES)
            [r] = report.renewed
            assert r.starts_on == seen[-1] + timedelta(days=1)
            seen.append(r.new_expiry)
        assert seen == expiries
        with reg.snapshot() as conn:
            a = fetch_agreement(conn, aid)
        assert a is not None
        assert (a.renewals, a.period_start, a.expires_on) == (3, expiries[2] + timedelta(days=1), expiries[3])


@pytest.mark.parametrize("signed, term, expiries", RENEWAL_CASES)
def test_catching_up_several_years_at_once_gives_the_same_dates(tmp_path, cfg, signed, term, expiries):
    with open_new(tmp_path) as reg:
        add_signed(reg, cfg, signed, term)
        # on the last day of the third renewed term, all three renewals have come due
        report = renew_due(reg, today=expiries[3], actor="job", rules=RULES)
        assert [r.new_expiry for r in report.renewed] == expiries[1:]
        assert [r.previous_expiry for r in report.renewed] == expiries[:3]
        assert renew_due(reg, today=expiries[3], actor="job", rules=RULES).renewed == []


def test_renewal_from_month_end_is_not_the_naive_date():
    # 2029-02-28 + 1 year − 1 day would be 2030-02-27
    assert list(RULES.renewals(date(2029, 2, 28), date(2029, 3, 1))) == [(date(2029, 3, 1), date(2030, 2, 28))]
    assert list(RULES.renewals(date(2027, 1, 31), date(2027, 2, 1))) == [(date(2027, 2, 1), date(2028, 1, 31))]


# ---------------------------------------------------------------------------------- deadlines

DEADLINE_CASES = [
    # expiry, reading, deadline, why
    (date(2027, 3, 31), "safe", date(2027, 2, 26), "2/27 is a Saturday"),
    (date(2027, 3, 31), "plain", date(2027, 2, 26), "2/28 Sunday, 2/27 Saturday"),
    (date(2028, 3, 31), "safe", date(2028, 2, 28), "2028-02-29 − 1 day, a Monday"),
    (date(2028, 3, 31), "plain", date(2028, 2, 29), "leap day, a Tuesday"),
    (date(2027, 3, 24), "safe", date(2027, 2, 22), "2/23 天皇誕生日"),
    (date(2027, 6, 4), "safe", date(2027, 4, 30), "5/3 憲法記念日, then a weekend"),
    (date(2027, 1, 31), "safe", date(2026, 12, 28), "12/30 in the year-end closure"),
    (date(2029, 2, 28), "safe", date(2029, 1, 26), "1/27 is a Saturday"),
    (date(2028, 3, 14), "safe", date(2028, 2, 10), "2/13 Sunday, 2/12 Saturday, 2/11 建国記念の日"),
    (date(2027, 11, 30), "safe", date(2027, 10, 29), "an ordinary Friday"),
]


@pytest.mark.parametrize("expiry, reading, deadline, why", DEADLINE_CASES)
def test_notice_deadline_moves_earlier_off_closed_days(expiry, reading, deadline, why):
    rules = DateRules(reading=reading)
    found = rules.deadline(expiry)
    assert found == deadline, why
    assert not rules.calendar.is_closed(found)


def test_rules_from_config(cfg):
    rules = DateRules.from_config(cfg)
    assert rules.reading == "safe"
    assert rules.calendar.is_closed(date(2026, 12, 30)) and rules.calendar.is_closed(date(2027, 1, 3))
    plain = DateRules.from_config(replace(cfg, notice_reading="plain", closures=(((8, 13), (8, 16)),)))
    assert plain.reading == "plain"
    assert plain.calendar.is_closed(date(2027, 8, 16)) and not plain.calendar.is_closed(date(2026, 12, 30))
    # expiry 2027-09-16: plain deadline 8/16 is closed by the city's own summer closure → 8/12
    assert plain.deadline(date(2027, 9, 16)) == date(2027, 8, 12)


def test_due_lists_deadlines_with_closed_day_adjustment(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        fiscal = add_signed(reg, cfg, date(2026, 6, 1), "fiscal", name="株式会社年度")  # → 2027-03-31
        yearly = add_signed(reg, cfg, date(2026, 2, 1), "one-year", name="株式会社一年")  # → 2027-01-31
        with reg.snapshot() as conn:
            items = due(conn, today=date(2026, 12, 1), within=61, rules=DateRules.from_config(cfg))
            assert [(i.kind, i.on, i.agreement.id) for i in items] == [
                ("notice_deadline", date(2026, 12, 28), yearly),
                ("expiry", date(2027, 1, 31), yearly),
            ]
            items = due(conn, today=date(2027, 2, 1), within=60, rules=DateRules.from_config(cfg))
            assert [(i.kind, i.on, i.days) for i in items] == [
                ("renewal_pending", date(2027, 1, 31), -1),
                ("notice_deadline", date(2027, 2, 26), 25),
                ("expiry", date(2027, 3, 31), 58),
            ]
            assert items[1].agreement.id == fiscal


def test_expiry_is_never_moved_off_a_closed_day(tmp_path, cfg):
    # signed 2026-01-04 for one year → expires Sunday 2027-01-03, inside the year-end closure
    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, date(2026, 1, 4), "one-year")
        with reg.snapshot() as conn:
            a = fetch_agreement(conn, aid)
            assert a is not None and a.expires_on == date(2027, 1, 3)
