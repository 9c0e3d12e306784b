"""The city's date whatever the server's clock: 23:30 UTC is already the next day in Asahikawa."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from conftest import ROOT, run_cli
from kyotei_docs import citytime
from kyotei_docs.config import ConfigError, config_from

LATE_UTC = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 08:30 on 1 April in Japan


def test_late_evening_utc_is_the_next_morning_in_japan(cfg):
    assert citytime.today(cfg, at=LATE_UTC) == date(2026, 4, 1)
    assert citytime.stamp(cfg, at=LATE_UTC) == "2026-04-01T08:30:00+09:00"
    assert citytime.today(cfg, at=datetime(2026, 3, 31, 14, 59)) == date(2026, 3, 31)  # naive = UTC


def test_another_city_zone_and_an_unknown_one(cfg):
    utc_city = replace(cfg, timezone="UTC")
    assert citytime.today(utc_city, at=LATE_UTC) == date(2026, 3, 31)
    with pytest.raises(ConfigError) as err:  # refused when the configuration is loaded, naming the key
        config_from({"municipality": {"timezone": "Mars/Olympus"}}, "city.toml")
    assert "Mars/Olympus" in err.value.message and "[municipality] timezone" in err.value.message


def test_tokyo_without_the_zone_database_is_the_databases_answer_since_1951():
    """Asia/Tokyo and UTC are fixed offsets (no zoneinfo import at start-up): the same offset and the
    same local time as the zone database for every month from 1952 to 2100; another zone is the database's."""
    from zoneinfo import ZoneInfo

    for name in ("Asia/Tokyo", "UTC"):
        fixed, database = citytime.zone_named(name), ZoneInfo(name)
        for year in range(1952, 2101):
            for month in range(1, 13):
                moment = datetime(year, month, 1, 12, 34, tzinfo=UTC)
                assert moment.astimezone(fixed).isoformat() == moment.astimezone(database).isoformat()
                assert moment.astimezone(fixed).tzname() == moment.astimezone(database).tzname()
    assert isinstance(citytime.zone_named("Europe/Berlin"), ZoneInfo)


def test_registry_dates_a_proposal_received_at_2330_utc_on_the_japanese_day(tmp_path):
    """A whole command in a process whose clock is UTC (TZ=UTC) at 23:30 UTC on 31 March."""
    env = {"TZ": "UTC", "KYOTEI_NOW": LATE_UTC.isoformat(), "KYOTEI_ACTOR": "t",
           "KYOTEI_REGISTRY": str(tmp_path / "reg.sqlite3"), "PYTHONPATH": str(ROOT)}
    sample = ROOT / "samples" / "01_content_controls.docx"
    added = run_cli("registry", "add", str(sample), cwd=tmp_path, env=env)
    assert added.returncode == 0, added.stderr
    shown = json.loads(run_cli("registry", "show", "1", "--json", cwd=tmp_path, env=env).stdout)
    assert shown["agreement"]["received_on"] == "2026-04-01"
    [event] = shown["events"]
    assert event["on_date"] == "2026-04-01"
    assert os.environ.get("KYOTEI_NOW") is None  # the test process itself keeps the real clock


def test_stored_moments_are_shown_in_the_city(cfg):
    assert citytime.shown("2026-03-31T23:30:00+00:00", cfg) == "2026-04-01 08:30"
    assert citytime.shown("not a moment", cfg) == "not a moment" and citytime.shown(None, cfg) == "—"


def test_in_city_turns_a_stored_moment_into_the_citys_and_leaves_other_text():
    from kyotei_docs.citytime import in_city

    assert in_city("2026-03-31T23:30:00+00:00") == "2026-04-01T08:30:00+09:00"
    assert in_city("2026-04-01T08:30:00+09:00") == "2026-04-01T08:30:00+09:00"
    assert in_city("2026-03-31T23:30:00") == "2026-03-31T23:30:00"  # zone unknown: as stored
    assert in_city("not a moment") == "not a moment"
