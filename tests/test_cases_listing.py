"""A listing derives again only the cases that changed (``cases/listing.py``, issue 17).

Each case's change stamp (schema version 10) moves with every write of the case —
through kyotei or through any other connection, as ``watch``, a command or another
program writes — and only with its own writes.  A listing reads the stamps and reads
and decides again only the cases whose stamp moved; the configuration and the language
start it afresh, a new day gives every case its status and flow of that day without
reading it again.  Real SQLite files; the writes of "another program" are raw
SQL through a connection of its own.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from conftest import ROOT
from kyotei_docs import cases
from kyotei_docs.cases import listing
from kyotei_docs.cases.listing import listed
from kyotei_docs.config import load_config
from kyotei_docs.i18n import set_lang
from kyotei_docs.registry.queries import change_stamps
from test_registry_helpers import add, open_new

DAY = date(2026, 4, 20)


def stamps(reg) -> dict[int, int]:
    with reg.snapshot() as conn:
        return change_stamps(conn)


def test_every_write_of_a_case_moves_its_stamp_and_only_its_own(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        a, b = add(reg, cfg, "株式会社いち"), add(reg, cfg, "株式会社に")
        before = stamps(reg)
        assert set(before) == {a, b} and before[a] != before[b] and 0 not in before.values()
        writes = [
            "UPDATE agreements SET notes = 'メモ' WHERE id = {a}",
            "INSERT INTO corrections (agreement_id, field, value, actor, recorded_at)"
            " VALUES ({a}, 'purpose', '訂正', 't', 'now')",
            "UPDATE corrections SET reason = '電話で確認' WHERE agreement_id = {a}",
            "DELETE FROM corrections WHERE agreement_id = {a}",
            "INSERT INTO confirmations (agreement_id, file, item, actor, recorded_at) VALUES ({a}, 'f', 'i', 't', 'now')",
            "DELETE FROM confirmations WHERE agreement_id = {a}",
            "INSERT INTO events (agreement_id, kind, on_date, actor, recorded_at)"
            " VALUES ({a}, 'step', '2026-04-01', 't', 'now')",
            "INSERT INTO results (agreement_id, fiscal_year, item_no, title, created_at)"
            " VALUES ({a}, 2026, 1, '清掃活動', 'now')",
            "UPDATE results SET public = 0 WHERE agreement_id = {a}",
            "DELETE FROM results WHERE agreement_id = {a}",
            "INSERT INTO amendments (agreement_id, article, before, after, on_date, actor, recorded_at)"
            " VALUES ({a}, 1, '前', '後', '2026-05-01', 't', 'now')",
            "INSERT INTO reviews (agreement_id, fiscal_year, outcome, on_date, actor, recorded_at)"
            " VALUES ({a}, 2026, 'continue', '2026-05-01', 't', 'now')",
            "UPDATE submissions SET role = role WHERE agreement_id = {a}",
        ]
        other = sqlite3.connect(reg.path)  # another program's connection, outside kyotei
        try:
            for sql in writes:
                other.execute(sql.format(a=a))
                other.commit()
                now = stamps(reg)
                assert now[a] != before[a] and now[b] == before[b], sql
                before = now
            # a file moved from one case to another (merge, split): both cases change
            other.execute(f"UPDATE submissions SET agreement_id = {b} WHERE agreement_id = {a}")
            other.commit()
            now = stamps(reg)
            assert now[a] != before[a] and now[b] != before[b]
            # merged away: no longer a case of the listing
            other.execute(f"UPDATE agreements SET merged_into = {b} WHERE id = {a}")
            other.commit()
            assert set(stamps(reg)) == {b}
        finally:
            other.close()


def test_the_stamps_come_from_one_covering_index(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        add(reg, cfg, "株式会社いち")
        with reg.snapshot() as conn:
            plan = " ".join(str(r[-1]) for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT id, changed FROM agreements INDEXED BY agreements_by_change"
                " WHERE merged_into IS NULL"))
    assert "COVERING INDEX agreements_by_change" in plan


@pytest.fixture
def derived(monkeypatch) -> list[list[int]]:
    """The IDs of the cases each listing read and decided again, in order."""
    seen: list[list[int]] = []
    real = listing._derive

    def spy(cfg, conn, ids, day, *, everything):
        seen.append(sorted(ids))
        return real(cfg, conn, ids, day, everything=everything)

    monkeypatch.setattr(listing, "_derive", spy)
    return seen


def test_a_listing_reads_again_only_the_cases_that_changed(tmp_path, cfg, derived):
    with open_new(tmp_path) as reg:
        ids = [add(reg, cfg, f"株式会社{n}", complete=n != "う") for n in "あいうえお"]
        first = listed(cfg, reg, today=DAY)
        assert derived == [ids] and [x.case.verdict_code for x in first] == ["ok", "ok", "fix", "ok", "ok"]
        again = listed(cfg, reg, today=DAY)
        assert len(derived) == 1 and all(x is y for x, y in zip(again, first))  # nothing changed: nothing read
        # a correction of one case: that case alone is read and decided again, and its verdict follows
        cases.correct(cfg, reg, ids[2], "contact.email", "tanto@example.jp", actor="staff", today=DAY)
        third = listed(cfg, reg, today=DAY)
        assert derived[-1] == [ids[2]] and third[2].case.verdict_code == "ok"
        assert all(third[i] is first[i] for i in (0, 1, 3, 4))
        # a new case: it alone; the list service (and so the command line) gives the same
        new = add(reg, cfg, "株式会社か")
        assert [c.id for c in cases.list_cases(cfg, reg, today=DAY)] == [*ids, new] and derived[-1] == [new]
        # a new day: every case's status and flow of that day, nothing read again
        with sqlite3.connect(reg.path) as db:  # case あ signed, its end recorded for 21 April (終了予定)
            db.execute("UPDATE agreements SET status = 'signed', signed_on = '2026-04-01', ended_on = '2026-04-21'"
                       f" WHERE id = {ids[0]}")
        assert listed(cfg, reg, today=DAY)[0].case.status == "ending" and derived[-1] == [ids[0]]
        n = len(derived)
        next_day = listed(cfg, reg, today=date(2026, 4, 21))
        assert len(derived) == n and next_day[0].case.status == "ended"
        assert [x.case.verdict_code for x in next_day] == [x.case.verdict_code for x in third] + ["ok"]
        # what every case depends on at once: the configuration, the language
        other = load_config(ROOT / "kyotei_docs" / "defaults" / "kyotei.toml")
        assert other is not cfg
        n = len(derived)
        listed(other, reg, today=date(2026, 4, 21))
        assert len(derived) == n + 1 and derived[-1] == [*ids, new]
        set_lang("en")  # the messages of the verdicts are in the language of the listing
        try:
            listed(other, reg, today=date(2026, 4, 21))
        finally:
            set_lang(None)
        assert len(derived) == n + 2 and derived[-1] == [*ids, new]


def test_the_verdict_follows_a_write_from_another_connection(tmp_path, cfg, derived):
    """A confirmation recorded by another process (another ``Registry`` on the same file) shows at once."""
    from kyotei_docs.registry.store import open_registry

    with open_new(tmp_path) as reg:
        case_id = add(reg, cfg, "株式会社てすと", complete=False)
        assert [x.case.verdict_code for x in listed(cfg, reg, today=DAY)] == ["fix"]
        with open_registry(reg.path) as elsewhere:
            cases.correct(cfg, elsewhere, case_id, "contact.email", "tanto@example.jp", actor="staff", today=DAY)
        assert [x.case.verdict_code for x in listed(cfg, reg, today=DAY)] == ["ok"]
        assert derived[-1] == [case_id]
