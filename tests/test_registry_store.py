"""The registry file: creation, WAL, refusal of damaged/foreign/newer files, migration, backup."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.registry.dates import DateRules
from kyotei_docs.registry.errors import RegistryError
from kyotei_docs.registry.lifecycle import add_result, renew_due
from kyotei_docs.registry.queries import events_for, fetch_agreement, list_agreements
from kyotei_docs.registry.schema import APPLICATION_ID, SCHEMA_VERSION, V1_DDL, create_v1
from kyotei_docs.registry.store import backup, open_registry
from test_registry_helpers import add, add_signed, open_new


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_registry_is_wal_with_foreign_keys_and_current_schema(tmp_path):
    with open_new(tmp_path) as reg:
        conn = reg.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
        assert reg.migrated_from is None and reg.migration_backup is None
        with pytest.raises(sqlite3.IntegrityError):  # foreign keys are enforced
            with reg.write() as c:
                c.execute("INSERT INTO results (agreement_id, fiscal_year, item_no, title, created_at)"
                          " VALUES (999, 2026, 1, 'x', 'now')")


def test_missing_file_is_not_created_without_create(tmp_path):
    target = tmp_path / "none.sqlite3"
    with pytest.raises(RegistryError) as err:
        open_registry(target)
    assert err.value.code == "missing" and err.value.exit_code == ExitCode.REGISTRY
    assert not target.exists()


def test_creates_parent_folders(tmp_path):
    with open_registry(tmp_path / "a" / "b" / "reg.sqlite3", create=True) as reg:
        assert reg.path.exists()


@pytest.mark.parametrize("content", [b"this is an Excel file, not a database" * 10, b"SQLite format 3\x00short",
                                     b"PK\x03\x04" + b"\x00" * 300])
def test_non_database_file_is_refused_and_untouched(tmp_path, content):
    target = tmp_path / "reg.sqlite3"
    target.write_bytes(content)
    with pytest.raises(RegistryError) as err:
        open_registry(target, create=True)
    assert err.value.code == "corrupt" and err.value.exit_code == ExitCode.REGISTRY
    assert "上書きしません" in err.value.message and str(target) in err.value.message
    assert target.read_bytes() == content
    assert not (tmp_path / "reg.sqlite3-wal").exists()


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_damaged_pages_are_reported_as_corrupt_and_file_kept(tmp_path, journal):
    """A valid header over damaged pages: refused on use (WAL file) or before the first write."""
    target = tmp_path / "reg.sqlite3"
    open_registry(target, create=True).close()
    conn = sqlite3.connect(target)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.close()
    data = bytearray(target.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for i in range(page_size, len(data)):  # keep the header page, wipe the rest (the schema's pages)
        data[i] = 0xA5
    target.write_bytes(bytes(data))
    before = digest(target)
    with pytest.raises(RegistryError) as err:
        with open_registry(target, create=True) as reg:
            with reg.snapshot() as conn:
                list_agreements(conn)
    assert err.value.code in ("corrupt", "not_registry")
    assert digest(target) == before


def test_newer_schema_is_refused_and_file_unchanged(tmp_path):
    target = tmp_path / "reg.sqlite3"
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE agreements (id INTEGER PRIMARY KEY)")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(target)
    with pytest.raises(RegistryError) as err:
        open_registry(target)
    assert err.value.code == "newer" and err.value.exit_code == ExitCode.REGISTRY
    assert f"スキーマ {SCHEMA_VERSION + 1}" in err.value.message
    assert digest(target) == before
    assert not (tmp_path / "reg.sqlite3-wal").exists()  # not even the journal mode was changed


def test_foreign_sqlite_file_is_refused(tmp_path):
    target = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    before = digest(target)
    with pytest.raises(RegistryError) as err:
        open_registry(target, create=True)
    assert err.value.code == "not_registry"
    assert digest(target) == before


def test_empty_file_is_refused_with_its_path_and_left_alone_when_reading(tmp_path):
    """A 0-byte file is what a read-only command of an earlier version left behind: never initialised
    by reading; a command that records may make it the registry (another process may be creating it)."""
    target = tmp_path / "reg.sqlite3"
    target.touch()
    with pytest.raises(RegistryError) as err:
        open_registry(target)
    assert err.value.code == "empty_file" and str(target) in err.value.message
    assert err.value.exit_code == ExitCode.REGISTRY
    assert target.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["reg.sqlite3"]
    with open_registry(target, create=True) as reg:
        assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_new_registry_appears_complete(tmp_path):
    target = tmp_path / "sub" / "reg.sqlite3"
    with open_registry(target, create=True) as reg:
        assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temporary left


# ---------------------------------------------------------------------------------- migration


def _v1_registry(path):
    """A registry as version 1 wrote it: one renewed agreement with its events and a result."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    create_v1(conn)
    now = "2028-04-02T09:00:00+09:00"
    conn.execute(
        "INSERT INTO agreements (id, title, kind, subtype, partner_name, fields, status, received_on, signed_on,"
        " term, expires_on, renewals, proposal, created_at, updated_at) VALUES"
        " (1, '旭川市と株式会社旧版との包括連携協定', 'comprehensive', 'axis', '株式会社旧版', '[\"災害対策\", \"環境\"]',"
        " 'renewed', '2026-04-10', '2026-06-01', 'fiscal', '2028-03-31', 1, '{}', ?, ?)", (now, now))
    conn.execute(
        "INSERT INTO agreements (id, title, status, received_on, proposal, created_at, updated_at)"
        " VALUES (2, '受付のみ', 'received', '2026-05-01', '{}', ?, ?)", (now, now))
    events = [(1, "received", None, "received", "2026-04-10"), (1, "signed", "received", "signed", "2026-06-01"),
              (1, "renewed", "signed", "renewed", "2027-04-01"), (2, "received", None, "received", "2026-05-01")]
    for aid, kind, old, new, on in events:
        conn.execute("INSERT INTO events (agreement_id, kind, from_status, to_status, on_date, actor, recorded_at)"
                     " VALUES (?, ?, ?, ?, ?, 'v1user', ?)", (aid, kind, old, new, on, now))
    conn.execute("INSERT INTO results (agreement_id, fiscal_year, item_no, title, public, created_at)"
                 " VALUES (1, 2026, 1, '防災訓練', 1, ?)", (now,))
    conn.execute("INSERT INTO submissions (sha256, submission_id, agreement_id, valid, recorded_at)"
                 " VALUES ('abc', 'sub-1', 1, 1, ?)", (now,))
    conn.execute("COMMIT")
    conn.close()


def test_v1_ddl_is_the_first_schema():
    assert any("CREATE TABLE agreements" in s for s in V1_DDL)
    assert not any("period_start" in s for s in V1_DDL)


def test_migration_from_first_schema_keeps_data_and_backs_up(tmp_path):
    target = tmp_path / "reg.sqlite3"
    _v1_registry(target)
    v1_digest = digest(target)
    with open_registry(target) as reg:
        assert reg.migrated_from == 1
        assert reg.migration_backup is not None and reg.migration_backup.exists()
        assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        with reg.snapshot() as conn:
            a = fetch_agreement(conn, 1)
            assert a is not None
            assert a.status == "renewed" and a.expires_on == date(2028, 3, 31)
            assert a.period_start == date(2027, 4, 1)  # backfilled from the renewal event
            assert a.fields == ("災害対策", "環境") and a.review_exempt is False
            second = fetch_agreement(conn, 2)
            assert second is not None and second.period_start is None
            assert len(events_for(conn, 1)) == 3
        # the migrated registry works as a new one
        report = renew_due(reg, today=date(2028, 4, 2), actor="t", rules=DateRules())
        assert [r.new_expiry for r in report.renewed] == [date(2029, 3, 31)]
        # events are append-only from version 2 on
        with pytest.raises(sqlite3.IntegrityError):
            with reg.write() as conn:
                conn.execute("DELETE FROM events")
    # the copy taken before migrating is the untouched version-1 database
    backup_conn = sqlite3.connect(reg.migration_backup)
    assert backup_conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup_conn.execute("SELECT count(*) FROM agreements").fetchone()[0] == 2
    backup_conn.close()
    assert v1_digest  # (the original bytes changed by design: it was migrated in place)


def test_second_open_does_not_migrate_again(tmp_path):
    target = tmp_path / "reg.sqlite3"
    _v1_registry(target)
    open_registry(target).close()
    with open_registry(target) as reg:
        assert reg.migrated_from is None
    assert len(list(tmp_path.glob("reg.v1-backup-*"))) == 1


# ---------------------------------------------------------------------------------- backup


def test_backup_is_a_consistent_self_contained_copy(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        add_result(reg, aid, fy=2026, item=1, title="健康セミナー", actor="t", today=date(2026, 7, 1))
        (tmp_path / "copies").mkdir()
        target = backup(reg, tmp_path / "copies" / "reg-backup.sqlite3")
    assert target.exists()
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM results").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert [p.name for p in (tmp_path / "copies").iterdir()] == ["reg-backup.sqlite3"]  # no temporary file left
    with open_registry(target) as copy:  # the copy opens as a registry
        with copy.snapshot() as c:
            assert len(list_agreements(c)) == 1


def test_backup_never_overwrites(tmp_path, cfg):
    existing = tmp_path / "keep.sqlite3"
    existing.write_bytes(b"precious")
    with open_new(tmp_path) as reg:
        add(reg, cfg)
        with pytest.raises(RegistryError) as err:
            backup(reg, existing)
    assert err.value.code == "backup_exists"
    assert existing.read_bytes() == b"precious"


def test_backup_into_folder_gets_dated_name(tmp_path, cfg, server_in_utc, monkeypatch):
    monkeypatch.setenv("KYOTEI_NOW", "2026-03-31T23:30:00+00:00")
    folder = tmp_path / "backups"
    folder.mkdir()
    with open_new(tmp_path) as reg:
        add(reg, cfg)
        target = backup(reg, folder)
    assert target.parent == folder and target.suffix == ".sqlite3"
    assert target.name == "reg-20260401-083000.sqlite3"  # the city's time in the name, not the server's


def test_backup_into_a_folder_that_is_not_there_says_so_and_creates_nothing(tmp_path, cfg):
    """A mistyped or disconnected backup drive must not go unnoticed: refused, not created."""
    with open_new(tmp_path) as reg:
        add(reg, cfg)
        for dest in (f"{tmp_path}/new-folder/", tmp_path / "new-folder" / "copy.sqlite3"):
            with pytest.raises(RegistryError) as err:
                backup(reg, dest)
            assert err.value.code == "backup_no_folder" and err.value.exit_code == 1
            assert "new-folder がありません" in err.value.message
    assert not (tmp_path / "new-folder").exists()
    (tmp_path / "new-folder").mkdir()
    with open_registry(tmp_path / "reg.sqlite3") as reg:
        target = backup(reg, f"{tmp_path}/new-folder/")
    assert target.parent == tmp_path / "new-folder" and target.suffix == ".sqlite3"


def test_backup_while_another_connection_writes(tmp_path, cfg):
    """The backup sees one state even with an open write transaction elsewhere."""
    with open_new(tmp_path) as reg:
        add(reg, cfg, "株式会社一")
        other = sqlite3.connect(reg.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE agreements SET notes = 'uncommitted'")
        target = backup(reg, tmp_path / "b.sqlite3")
        other.execute("ROLLBACK")
        other.close()
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT notes FROM agreements").fetchone()[0] is None
    conn.close()


def test_integrity_check_ok(tmp_path):
    with open_new(tmp_path) as reg:
        assert reg.integrity() == ["ok"]


def test_events_detail_is_json(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        add(reg, cfg)
        raw = reg.conn.execute("SELECT detail FROM events").fetchone()[0]
    assert json.loads(raw)["valid"] is True


# The first schema exactly as version 1 shipped it, frozen here as raw SQL: the
# migration test must not follow later edits of V1_DDL in the code.
FIRST_SCHEMA_SQL = """
PRAGMA application_id = 1264144212;
PRAGMA user_version = 1;
CREATE TABLE agreements (
    id                      INTEGER PRIMARY KEY,
    title                   TEXT    NOT NULL,
    kind                    TEXT    CHECK (kind IN ('individual', 'comprehensive')),
    subtype                 TEXT    CHECK (subtype IN ('axis', 'allround')),
    axis_field              TEXT,
    partner_name            TEXT,
    partner_address         TEXT,
    partner_representative  TEXT,
    fields                  TEXT    NOT NULL DEFAULT '[]',
    items                   TEXT    NOT NULL DEFAULT '[]',
    department              TEXT,
    status                  TEXT    NOT NULL CHECK (status IN
                              ('received', 'in_consultation', 'signed', 'renewed', 'ended')),
    proposed_on             TEXT,
    received_on             TEXT    NOT NULL,
    signed_on               TEXT,
    term                    TEXT    CHECK (term IN ('fiscal', 'one-year')),
    expires_on              TEXT,
    auto_renew              INTEGER NOT NULL DEFAULT 1,
    renewals                INTEGER NOT NULL DEFAULT 0,
    ended_on                TEXT,
    end_cause               TEXT,
    end_reason              TEXT,
    proposal                TEXT    NOT NULL DEFAULT '{}',
    created_at              TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL
);
CREATE TABLE submissions (
    sha256          TEXT    PRIMARY KEY,
    submission_id   TEXT    NOT NULL,
    agreement_id    INTEGER NOT NULL REFERENCES agreements(id),
    folder          TEXT,
    file            TEXT,
    valid           INTEGER NOT NULL,
    recorded_at     TEXT    NOT NULL
);
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    agreement_id    INTEGER NOT NULL REFERENCES agreements(id),
    kind            TEXT    NOT NULL,
    from_status     TEXT,
    to_status       TEXT,
    on_date         TEXT    NOT NULL,
    actor           TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL,
    detail          TEXT    NOT NULL DEFAULT '{}'
);
CREATE TABLE results (
    id              INTEGER PRIMARY KEY,
    agreement_id    INTEGER NOT NULL REFERENCES agreements(id),
    fiscal_year     INTEGER NOT NULL,
    item_no         INTEGER NOT NULL CHECK (item_no >= 1),
    title           TEXT    NOT NULL,
    done_on         TEXT,
    content         TEXT,
    department      TEXT,
    public          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL
);
CREATE INDEX events_by_agreement ON events (agreement_id, id);
CREATE INDEX results_by_agreement ON results (agreement_id, fiscal_year, item_no);
CREATE INDEX submissions_by_agreement ON submissions (agreement_id);
INSERT INTO agreements (id, title, kind, subtype, axis_field, partner_name, fields, items, department, status,
    proposed_on, received_on, signed_on, term, expires_on, renewals, proposal, created_at, updated_at) VALUES
  (1, '旭川市と株式会社一号との包括連携協定', 'comprehensive', 'axis', '福祉・医療・健康', '株式会社一号',
   '["福祉・医療・健康", "子育て"]', '["健康増進に関すること", "その他"]', '保健所 保健総務課', 'renewed',
   '2024-03-01', '2024-03-05', '2024-06-03', 'fiscal', '2026-03-31', 1,
   '{"organization": {"name": "株式会社一号"}}', '2024-03-05T09:00:00+09:00', '2025-04-01T09:00:00+09:00'),
  (2, '旭川市と防災株式会社との災害対策に関する連携協定', 'individual', NULL, NULL, '防災株式会社',
   '["災害対策"]', '[]', '防災安全部 防災課', 'signed', NULL, '2025-01-10', '2025-03-01', 'one-year',
   '2026-02-28', 0, '{}', '2025-01-10T09:00:00+09:00', '2025-03-01T09:00:00+09:00'),
  (3, '旭川市と株式会社受付との包括連携協定', NULL, NULL, NULL, '株式会社受付', '[]', '[]', NULL, 'received',
   NULL, '2025-11-01', NULL, NULL, NULL, 0, '{}', '2025-11-01T09:00:00+09:00', '2025-11-01T09:00:00+09:00');
INSERT INTO events (agreement_id, kind, from_status, to_status, on_date, actor, recorded_at, detail) VALUES
  (1, 'received', NULL, 'received', '2024-03-05', 'v1user', '2024-03-05T09:00:00+09:00', '{}'),
  (1, 'signed', 'received', 'signed', '2024-06-03', 'v1user', '2024-06-03T09:00:00+09:00',
   '{"term": "fiscal", "expires_on": "2025-03-31"}'),
  (1, 'renewed', 'signed', 'renewed', '2025-04-01', 'v1job', '2025-04-01T09:00:00+09:00',
   '{"previous_expires_on": "2025-03-31", "expires_on": "2026-03-31"}'),
  (2, 'received', NULL, 'received', '2025-01-10', 'v1user', '2025-01-10T09:00:00+09:00', '{}'),
  (2, 'signed', 'received', 'signed', '2025-03-01', 'v1user', '2025-03-01T09:00:00+09:00', '{}'),
  (3, 'received', NULL, 'received', '2025-11-01', 'v1user', '2025-11-01T09:00:00+09:00', '{}');
INSERT INTO results (agreement_id, fiscal_year, item_no, title, done_on, public, created_at) VALUES
  (1, 2024, 1, '健康セミナー', '2024-10-01', 1, '2024-10-02T09:00:00+09:00'),
  (1, 2025, 2, '非公表の打合せ', NULL, 0, '2025-05-02T09:00:00+09:00');
INSERT INTO submissions (sha256, submission_id, agreement_id, folder, file, valid, recorded_at) VALUES
  ('aa', '20240305-001', 1, NULL, 'teian.docx', 1, '2024-03-05T09:00:00+09:00'),
  ('bb', '20251101-001', 3, NULL, 'uketsuke.pdf', 0, '2025-11-01T09:00:00+09:00');
"""


def _schema_shape(conn) -> dict:
    """Tables with their columns, and the names of indexes and triggers."""
    shape = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        shape[name] = [tuple(row)[1:] for row in conn.execute(f"PRAGMA table_info({name})")]
    shape["_other"] = sorted(tuple(r) for r in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"))
    return shape


def test_first_schema_file_from_raw_sql_migrates_to_the_shape_of_a_new_file(tmp_path):
    old = tmp_path / "city.sqlite3"
    raw = sqlite3.connect(old)
    raw.executescript(FIRST_SCHEMA_SQL)  # rollback journal, as an old install left it
    raw.close()
    with open_registry(old) as reg:
        assert reg.migrated_from == 1 and reg.migration_backup is not None and reg.migration_backup.exists()
        migrated = _schema_shape(reg.conn)
        with reg.snapshot() as conn:
            one, two, three = (fetch_agreement(conn, i) for i in (1, 2, 3))
            assert one is not None and two is not None and three is not None
            assert (one.status, one.period_start, one.expires_on) == ("renewed", date(2025, 4, 1), date(2026, 3, 31))
            assert one.items == ("健康増進に関すること", "その他") and one.public_url is None
            assert (two.period_start, two.expires_on, two.review_exempt) == (date(2025, 3, 1), date(2026, 2, 28), False)
            assert (three.status, three.period_start, three.signed_on) == ("received", None, None)
            assert [e.actor for e in events_for(conn, 1)] == ["v1user", "v1user", "v1job"]
        # the upgraded file works like a new one: renew, results, export
        report = renew_due(reg, today=date(2026, 4, 1), actor="t", rules=DateRules())
        assert [(r.agreement_id, r.new_expiry) for r in report.renewed] == [
            (1, date(2027, 3, 31)), (2, date(2027, 2, 28))]
        add_result(reg, 1, fy=2026, item=1, title="新年度の取組", actor="t", today=date(2026, 5, 1))
    with open_new(tmp_path, "fresh.sqlite3") as fresh:
        assert _schema_shape(fresh.conn) == migrated
    assert reg.migration_backup is not None
    copy = sqlite3.connect(reg.migration_backup)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    assert copy.execute("SELECT count(*) FROM events").fetchone()[0] == 6
    copy.close()


def test_v1_ddl_in_the_code_is_still_the_shipped_first_schema(tmp_path):
    """Editing a shipped schema would break every city's upgrade: V1_DDL must build what v1 built."""
    shipped = sqlite3.connect(tmp_path / "shipped.sqlite3")
    shipped.executescript(FIRST_SCHEMA_SQL.split("INSERT INTO")[0])
    code = sqlite3.connect(tmp_path / "code.sqlite3", isolation_level=None)
    code.execute("BEGIN")
    create_v1(code)
    code.execute("COMMIT")
    assert _schema_shape(code) == _schema_shape(shipped)
    for pragma in ("user_version", "application_id"):
        assert code.execute(f"PRAGMA {pragma}").fetchone() == shipped.execute(f"PRAGMA {pragma}").fetchone()
    shipped.close()
    code.close()


# ---------------------------------------------------------------------------------- a registry the previous version wrote

V2_FILE = Path(__file__).resolve().parent / "data" / "registry-v2.sqlite3"


def test_registry_written_by_schema_2_is_migrated_in_place_keeping_every_event(tmp_path):
    """tests/data/registry-v2.sqlite3 was made by kyotei with schema 2 (registry add/consult/sign/set/
    results add/end, and a 要修正 proposal with its corrected JSON): it opens, is backed up, migrated,
    and keeps every row."""
    import shutil

    target = tmp_path / "kyotei-registry.sqlite3"
    shutil.copyfile(V2_FILE, target)
    before = sqlite3.connect(target)
    assert before.execute("PRAGMA user_version").fetchone()[0] == 2
    old_events = before.execute("SELECT id, agreement_id, kind, on_date, actor, recorded_at, detail"
                                " FROM events ORDER BY id").fetchall()
    old_results = before.execute("SELECT * FROM results ORDER BY id").fetchall()
    before.close()
    assert len(old_events) == 9
    with open_registry(target) as reg:
        assert reg.migrated_from == 2 and reg.migration_backup is not None
        with reg.snapshot() as conn:
            events = conn.execute("SELECT id, agreement_id, kind, on_date, actor, recorded_at, detail"
                                  " FROM events ORDER BY id").fetchall()
            assert [tuple(e) for e in events] == [tuple(e) for e in old_events]
            # every result kept; schema 4 adds its item numbering (0: as signed)
            assert [tuple(r) for r in conn.execute("SELECT * FROM results ORDER BY id")] == \
                [(*tuple(r), 0) for r in old_results]
            files = conn.execute("SELECT agreement_id, role, proposal IS NOT NULL FROM submissions"
                                 " ORDER BY rowid").fetchall()
            # case 3: the 要修正 proposal, then its correction (which is current and has its proposal)
            assert [tuple(f) for f in files] == [(1, "original", 1), (2, "original", 1), (3, "original", 0),
                                                 (3, "correction", 1)]
            current = conn.execute("SELECT a.current_file = s.sha256 FROM agreements a JOIN submissions s"
                                   " ON s.agreement_id = a.id AND s.role = 'correction' WHERE a.id = 3").fetchone()
            assert current[0] == 1
            first = fetch_agreement(conn, 1)
            assert first is not None and first.items == ("健康増進に関すること", "防災に関すること")
            assert first.signed_items == first.items  # schema 4: the items as signed, from the signed case
    backup = sqlite3.connect(reg.migration_backup)
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 2
    assert backup.execute("SELECT count(*) FROM events").fetchone()[0] == 9
    backup.close()
