"""The registry's dates: expiry on signing, automatic renewals, the notice deadline.

Why a thin layer over :mod:`kyotei_docs.periods`: the arithmetic is there and
tested; this module only binds it to the city's configuration (``[dates]
notice_reading`` and ``closures``) once, and caches deadlines, because an
export computes one for each of thousands of agreements and most of them
share an expiry (31 March).

* Expiry is never moved off a closed day: the agreement states its end date.
* The non-renewal notice deadline is a *backward* deadline: when it falls on a
  closed day it moves earlier (:func:`periods.notice_deadline`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..periods import (
    ClosedDays,
    NoticeReading,
    Term,
    earliest_end_after_notice,
    notice_deadline,
    renewal_end,
    term_end,
)

TERMS: tuple[str, ...] = ("fiscal", "one-year")


@dataclass(frozen=True)
class DateRules:
    """The city's date settings, ready to apply."""

    reading: NoticeReading = "safe"
    calendar: ClosedDays = field(default_factory=ClosedDays)
    _deadlines: dict[date, date] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_config(cls, cfg: object | None) -> DateRules:
        """``[dates] notice_reading`` and ``closures`` from the configuration."""
        if cfg is None:
            return cls()
        reading: NoticeReading = "plain" if getattr(cfg, "notice_reading", "safe") == "plain" else "safe"
        closures = getattr(cfg, "closures", None)
        calendar = ClosedDays(closures=closures) if closures is not None else ClosedDays()
        return cls(reading=reading, calendar=calendar)

    def expiry(self, signing: date, term: Term) -> date:
        """Last day of the first term of an agreement signed on ``signing``."""
        return term_end(signing, term)

    def deadline(self, expiry: date) -> date:
        """Last day to object to the automatic renewal of a term ending on ``expiry``."""
        found = self._deadlines.get(expiry)
        if found is None:
            found = notice_deadline(expiry, self.reading, self.calendar)
            self._deadlines[expiry] = found
        return found

    def earliest_end(self, notice: date) -> date:
        """First day an agreement may end on written notice given on ``notice`` (協定書 第４条第２項)."""
        return earliest_end_after_notice(notice, self.reading, self.calendar)

    def renewals(self, expiry: date, today: date) -> Iterator[tuple[date, date]]:
        """The renewals due by ``today``: (first day, new expiry) pairs, oldest first.

        A term ending on ``expiry`` is renewed from the next day, so a renewal
        has come due once ``today`` is after ``expiry``; several come due if the
        registry was not updated for years.
        """
        current = expiry
        while current < today:
            new = renewal_end(current)
            yield current + timedelta(days=1), new
            current = new
