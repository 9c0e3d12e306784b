"""The city's date and time, whatever the server's clock is set to.

Why: 受付日, "today" and every date a person reads are the city's business
dates.  A server kept in UTC (common for containers and cloud machines) is
still on the previous day before 09:00 in Japan, so ``date.today()`` would
date a proposal received at 08:30 on 1 April as 31 March — another fiscal
year.  Everything that needs "now" asks this module, with the zone named by
``[municipality] timezone`` (default ``Asia/Tokyo``).

Timestamps are stored with the city's offset (``2026-04-01T08:30:00+09:00``,
:func:`stamp`: the journal, ``submission.json``, the registry) so that a later
reader knows which moment they name and a person opening the file reads the
city's time.  Text written with another offset (by an older version on a server
in UTC) is still read by its moment: compare and show through :func:`in_city`
and :func:`shown`, never as text.

The zone database: ``zoneinfo`` reads the system's (Linux, macOS) or the
``tzdata`` package (Windows).  Japan has had no daylight saving since 1951, so
``Asia/Tokyo`` is a fixed +09:00 — the database's answer for every moment since
then — taken without the database: it works where neither is present, and a
start does not import zoneinfo and sysconfig for it (~2–3 ms of every
``kyotei`` command, issue 20).  ``UTC`` likewise; every other zone is the
database's.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

from .errors import KyoteiError
from .exitcodes import ExitCode
from .i18n import Catalog

DEFAULT_ZONE = "Asia/Tokyo"

#: Zones with one offset for every moment since 1951, taken without the zone database.
_FIXED = {"Asia/Tokyo": timezone(timedelta(hours=9), "JST"), "UTC": UTC}

MESSAGES: Catalog = {
    "bad_zone": ("設定の [municipality] timezone「{name}」はタイムゾーンとして認識できません（例: Asia/Tokyo）。",
                 "[municipality] timezone {name!r} is not a known time zone (e.g. Asia/Tokyo)."),
}


class TimeZoneError(KyoteiError):
    """The configured zone is unknown: a configuration error (exit code 4, ``CONFIG``)."""

    catalog = MESSAGES
    exit_code = ExitCode.CONFIG


def zone_named(name: str) -> tzinfo:
    """The ``tzinfo`` for an IANA zone name such as ``Asia/Tokyo`` (a fixed offset where it has one, see above)."""
    if name in _FIXED:
        return _FIXED[name]
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover - Python without zoneinfo
        raise TimeZoneError("bad_zone", name=name) from None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise TimeZoneError("bad_zone", name=name) from None


def city_zone(cfg: Any | None) -> tzinfo:
    """The zone of ``cfg``'s municipality (``[municipality] timezone``), Asia/Tokyo by default."""
    return zone_named(getattr(cfg, "timezone", None) or DEFAULT_ZONE)


def now(cfg: Any | None = None, *, at: datetime | None = None) -> datetime:
    """The current moment (or ``at``) as a time in the city, with its offset.

    ``at`` lets a caller say which moment "now" is; a naive ``at`` is taken
    as UTC.  ``KYOTEI_NOW`` (an ISO moment with its offset) stands in for the
    clock in a rehearsal or a test of a whole command.
    """
    moment = at if at is not None else _clock()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(city_zone(cfg))


def _clock() -> datetime:
    fixed = os.environ.get("KYOTEI_NOW", "").strip()
    if fixed:
        try:
            return datetime.fromisoformat(fixed)
        except ValueError:
            pass  # not a moment: the real clock
    return datetime.now(UTC)


def today(cfg: Any | None = None, *, at: datetime | None = None) -> date:
    """The city's date now (or at ``at``): what 受付日 and "today" mean."""
    return now(cfg, at=at).date()


def stamp(cfg: Any | None = None, *, at: datetime | None = None) -> str:
    """ISO 8601 with the city's offset, to the second: how moments are stored."""
    return now(cfg, at=at).isoformat(timespec="seconds")


def shown(stamp_text: str | None, cfg: Any | None = None) -> str:
    """A stored moment (ISO with its offset) as staff read it: the city's time, to the minute.

    Text that is no moment is shown as it is.
    """
    if not stamp_text:
        return "—"
    try:
        moment = datetime.fromisoformat(stamp_text)
    except ValueError:
        return stamp_text
    return now(cfg, at=moment).strftime("%Y-%m-%d %H:%M")


def in_city(stamp_text: str, cfg: Any | None = None) -> str:
    """A stored moment (ISO with its offset, e.g. written by a server in UTC) as the same moment
    in the city's zone, ISO to the second: what ``--json`` prints, so a reader's date is Japan's.

    Text that is no moment, or a moment without an offset (its zone unknown), is returned as it is.
    """
    try:
        moment = datetime.fromisoformat(stamp_text)
    except (TypeError, ValueError):
        return stamp_text
    if moment.tzinfo is None:
        return stamp_text
    return now(cfg, at=moment).isoformat(timespec="seconds")
