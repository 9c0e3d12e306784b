"""The list is never stale (issue 17): the screen keeps what it derived from each case, so a change made
elsewhere — by the command line in another process, through another connection, even by another
program's SQL — shows on the very next request (the row, its verdict, the counts, the reminders), and so
do a new day and a new configuration.  Real registry file, real processes."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from conftest import run_cli
from kyotei_docs import cases
from kyotei_docs.config import load_config
from kyotei_docs.registry.store import open_registry
from webkit import fill_cases, home, make_app  # noqa: F401

NOW = "2026-12-01T10:00:00+09:00"  # the day the cases are received
RECEIVED = date(2026, 12, 1)


def row(html: str, case_id: int) -> str:
    """The list's row of ``case_id`` (its cells' text, tags dropped)."""
    body = html.split('class="cases"')[1].split("</table>")[0].split("<tbody>")[1]
    for tr in body.split("</tr>")[:-1]:
        if f'href="/case/{case_id}"' in tr:
            return re.sub(r"<[^>]+>|\s+", " ", tr).strip()
    raise AssertionError(f"no row for case {case_id}")


def ids(html: str) -> list[int]:
    """The cases the list's table shows."""
    if 'class="cases"' not in html:
        return []
    return [int(i) for i in re.findall(r'href="/case/(\d+)"', html.split('class="cases"')[1].split("</table>")[0])]


def counts(html: str) -> list[str]:
    """The 包括連携協定（主軸分野型） row of the counts: per status, then the total."""
    summary = html.split('class="summary"')[1].split("</table>")[0]
    return re.findall(r'<td class="num">(\d+)</td>', summary.split("</tr>")[1])


def attention(html: str) -> str:
    return re.sub(r"<[^>]+>|\s+", " ", html.split('id="att-h"')[1].split("</section>")[0])


@pytest.fixture
def three(home, monkeypatch):  # noqa: F811
    """Three cases received on one day: 受付可, 要修正, 要確認 (one review item)."""
    monkeypatch.setenv("KYOTEI_NOW", NOW)
    fill_cases(home, ["株式会社あさひ", "株式会社いぶき", "株式会社うらら"], invalid={1}, review={2: 1})
    return home


def test_a_change_made_elsewhere_shows_on_the_next_request(three):
    client = make_app(three).test_client()
    html = client.get("/").get_data(as_text=True)
    assert "受付可" in row(html, 1) and "要修正" in row(html, 2) and "要確認" in row(html, 3)
    assert counts(html)[:2] == ["3", "0"]  # 受付 3, 協議中 0
    # the command line, in a process of its own, corrects the organisation's name of case 1
    done = run_cli("registry", "correct", "1", "organization.name", "株式会社さくら", "--reason", "電話で確認",
                   "--yes", cwd=three, env={"KYOTEI_NOW": NOW})
    assert done.returncode == 0, done.stderr
    html = client.get("/").get_data(as_text=True)
    assert "株式会社さくら" in row(html, 1) and "株式会社あさひ" not in html
    assert client.get("/?q=さくら").get_data(as_text=True).count('href="/case/1"') == 1  # its search key too
    # another connection (as watch or a second screen): the review item compared with the original,
    # and talks started on case 2
    cfg = load_config(three / "kyotei.toml")
    with open_registry(cfg.registry.path) as elsewhere:
        cases.confirm(cfg, elsewhere, 3, 1, actor="staff")
        cases.consult(cfg, elsewhere, 2, actor="staff")
    html = client.get("/").get_data(as_text=True)
    assert "受付可" in row(html, 3) and "協議中" in row(html, 2) and "要修正" in row(html, 2)
    assert counts(html)[:2] == ["2", "1"]
    assert "株式会社うらら" not in attention(html)  # nothing left to compare
    # another program's SQL: the registry's own triggers mark the case changed
    import sqlite3

    raw = sqlite3.connect(cfg.registry.path)
    try:
        raw.execute("UPDATE agreements SET department = '環境部 環境総務課' WHERE id = 2")
        raw.commit()
    finally:
        raw.close()
    assert "環境部 環境総務課" in row(client.get("/").get_data(as_text=True), 2)


AXIS_WITH_MONTHS = """
[flows.axis]
steps = [
  { key = "hearing", label = "提案内容の聴取・確認", month = 1 },
  { key = "notice_consultation", label = "地域活動推進課へ連絡", month = 2 },
  { key = "consultation", label = "企業等と主軸分野の担当部局で協議", month = 3 },
  { key = "signed", label = "包括連携協定締結", month = 6 },
]
"""


def on(day: date) -> str:
    return day.isoformat() + "T09:00:00+09:00"


def test_a_new_day_and_a_new_configuration_refresh_the_rows_and_the_reminders(three, monkeypatch):
    monkeypatch.setenv("KYOTEI_NOW", on(RECEIVED + timedelta(days=5)))
    before = make_app(three).test_client()
    html = before.get("/").get_data(as_text=True)
    assert "目安" not in attention(html)  # the shipped axis flow has no expected months
    # the configuration changed (the screen started again with it): expected months on the axis flow
    conf = three / "kyotei.toml"
    conf.write_text(conf.read_text(encoding="utf-8") + AXIS_WITH_MONTHS, encoding="utf-8")
    client = make_app(three).test_client()
    html = client.get("/").get_data(as_text=True)
    assert attention(html).count("「提案内容の聴取・確認」の目安") == 3  # due within [reminders] notice_days
    assert ids(client.get("/?step=late").get_data(as_text=True)) == []
    # a month and more later: the same screen, a new day — every step is late
    monkeypatch.setenv("KYOTEI_NOW", on(RECEIVED + timedelta(days=40)))
    late = client.get("/?step=late").get_data(as_text=True)
    assert "3 件" in late and sorted(ids(late)) == [1, 2, 3]
    assert html.count('class="flag bad"') < client.get("/").get_data(as_text=True).count('class="flag bad"')
    # the step recorded elsewhere: that case's reminder moves on to its next step
    from kyotei_docs.cases import flow

    cfg = load_config(conf)
    with open_registry(cfg.registry.path) as elsewhere:
        flow.record(cfg, elsewhere, 1, "hearing", on=RECEIVED + timedelta(days=5), actor="staff")
    html = client.get("/").get_data(as_text=True)
    assert attention(html).count("「提案内容の聴取・確認」の目安") == 2
    assert attention(html).count("「地域活動推進課へ連絡」の目安") == 1
    assert sorted(ids(client.get("/?step=late").get_data(as_text=True))) == [2, 3]
