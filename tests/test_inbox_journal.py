"""The journal's schema and times: 要確認 (review items) counted apart from 受付可, a version-1 file
still opens, and times are stored with the city's offset whatever the server's zone.

The version-1 journal is built by raw SQL as the schema-1 code wrote it (no
``review`` column), with finished folders on disk beside it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

from inboxkit import ROOT, drop, journal, one_pass, root, submission_folders, write_form  # noqa: F401  (fixtures)
from kyotei_docs.commands.inbox import status_data, status_text
from kyotei_docs.config import config_from
from kyotei_docs.inbox.journal import SCHEMA_VERSION, Journal
from kyotei_docs.inbox.layout import Layout

#: What the schema-1 code created (kyotei_docs/inbox/journal.py before the review column).
SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE submissions (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, original TEXT NOT NULL, size INTEGER, sha256 TEXT,
    state TEXT NOT NULL, outcome TEXT, company TEXT, dest TEXT, duplicate_of TEXT,
    attempts INTEGER NOT NULL DEFAULT 0, pdf_attempts INTEGER NOT NULL DEFAULT 0, next_try REAL,
    last_error TEXT, registry TEXT, received_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX submissions_sha ON submissions(sha256);
CREATE INDEX submissions_state ON submissions(state);
CREATE TABLE steps (seq INTEGER PRIMARY KEY AUTOINCREMENT, submission TEXT NOT NULL, at TEXT NOT NULL,
                    step TEXT NOT NULL, detail TEXT);
CREATE INDEX steps_submission ON steps(submission);
CREATE TABLE sightings (name TEXT PRIMARY KEY, signature TEXT NOT NULL, first_seen REAL NOT NULL);
"""

AT = "2026-11-20T10:00:00+09:00"


def _old_journal(path: Path, root: Path, rows: list[tuple[str, str, str, dict | None]]) -> None:
    """A schema-1 journal with one finished row per (id, state, outcome, submission.json or None)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_1)
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", "1"), ("root", str(root)), ("created", AT)])
    for sid, state, outcome, record in rows:
        dest = f"done/2026/11/{sid}_会社" if state == "done" else f"error/{sid}_x"
        if record is not None:
            (root / dest).mkdir(parents=True)
            (root / dest / "submission.json").write_text(json.dumps({"id": sid, "status": outcome, **record}),
                                                         encoding="utf-8")
        db.execute("INSERT INTO submissions (id, name, original, state, outcome, dest, received_at, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (sid, f"{sid}.docx", f"{sid}.docx", state, outcome, dest, AT, AT))
    db.commit()
    db.close()


def test_a_schema_1_journal_opens_and_learns_the_review_counts_from_the_folders(root, journal):
    _old_journal(journal, root, [
        ("s1", "done", "valid", {"review": 2}),      # 要確認
        ("s2", "done", "valid", {"review": 0}),      # 受付可
        ("s3", "done", "valid", {}),                 # written before review counts existed: 受付可
        ("s4", "done", "valid", None),               # folder gone: unknown, counted as before (受付可)
        ("s5", "done", "invalid", {"review": 1}),    # 要修正 stays 要修正
        ("s6", "error", "unreadable", {}),
    ])
    with Journal(journal, root) as j:
        assert j.meta("schema") == str(SCHEMA_VERSION) == "3"
        assert {r.id: r.review for r in j.all_rows()} == {"s1": 2, "s2": 0, "s3": None, "s4": None,
                                                           "s5": None, "s6": None}
        assert j.counts() == {"review": 1, "valid": 3, "invalid": 1, "unreadable": 1}
        j.update("s1", "note", "kept")  # and it is written as usual
    with Journal(journal, root) as j:  # opened again: nothing left to upgrade
        row = j.get("s1")
        assert row is not None and row.review == 2 and j.counts()["review"] == 1
    db = sqlite3.connect(journal)
    assert [r[1] for r in db.execute("PRAGMA table_info(submissions)")].count("review") == 1
    db.close()


def test_a_pass_stores_the_review_count_and_counts_review_apart(root, journal, tmp_path):
    drop(root, "ok.docx", write_form(tmp_path / "ok.docx", "株式会社ジャーナル").read_bytes())
    drop(root, "review.docx", (ROOT / "samples" / "29_review_placeholder_text.docx").read_bytes())
    summary = one_pass(root, journal)
    assert sorted((f.outcome, f.to_review) for f in summary.finished) == [("valid", False), ("valid", True)]
    with Journal(journal, root) as j:
        assert j.counts() == {"valid": 1, "review": 1}
        assert sorted(r.review or 0 for r in j.all_rows()) == [0, next(f.review for f in summary.finished
                                                                        if f.to_review)]


def test_a_journal_rebuilt_from_the_folders_keeps_review_apart(root, journal):
    drop(root, "review.docx", (ROOT / "samples" / "29_review_placeholder_text.docx").read_bytes())
    one_pass(root, journal)
    assert len(submission_folders(root)["done"]) == 1
    for f in journal.parent.glob("journal.sqlite3*"):
        f.unlink()
    one_pass(root, journal)  # a new journal: rebuilt from done/
    with Journal(journal, root) as j:
        assert j.counts() == {"review": 1}


def test_journal_times_carry_the_citys_offset_whatever_the_servers_zone(root, journal, server_in_utc,
                                                                      monkeypatch):
    monkeypatch.setenv("KYOTEI_NOW", "2026-03-31T23:30:00+00:00")
    with Journal(journal, root) as j:  # no configuration: the default city zone, Asia/Tokyo
        j.add("s1", "a.docx", "a.docx", 1, datetime.fromisoformat("2026-04-01T08:29:00+09:00"))
        j.update("s1", "parsed", state="parsed")
        assert j.meta("created") == "2026-04-01T08:30:00+09:00"
        row = j.get("s1")
        assert row is not None and row.updated_at == "2026-04-01T08:30:00+09:00"
        assert {at for at, _, _ in j.steps("s1")} == {"2026-04-01T08:30:00+09:00"}
    zoned = config_from({"municipality": {"timezone": "Pacific/Honolulu"}})
    with Journal(journal, root, zoned) as j:  # the configured zone where the writer has the configuration
        j.update("s1", "note")
        assert j.steps("s1")[-1][0] == "2026-03-31T13:30:00-10:00"


def test_recent_failures_are_ordered_by_moment_and_shown_in_city_time(root, journal):
    """A row written by a server in UTC and one written with the city's offset: the later moment first."""
    with Journal(journal, root) as j:
        for sid, at in (("early", "2026-04-01T08:30:00+09:00"),   # 2026-03-31 23:30 UTC
                        ("late", "2026-04-01T00:10:00+00:00")):   # 2026-04-01 09:10 in Japan
            j.add(sid, f"{sid}.docx", f"{sid}.docx", 1, datetime.fromisoformat(at))
            j.update(sid, "fault", "share gone", last_error="share gone")
            j.db.execute("UPDATE submissions SET updated_at = ? WHERE id = ?", (at, sid))
        assert [r.id for r in j.recent_failures()] == ["late", "early"]  # as text, "early" sorts last
        data = status_data(Layout.at(root), j)
    assert [(f["id"], f["at"]) for f in data["recent_failures"]] == [
        ("late", "2026-04-01T09:10:00+09:00"), ("early", "2026-04-01T08:30:00+09:00")]
    data["journal"] = str(journal)
    assert "  2026-04-01 09:10  late  late.docx" in status_text(Layout.at(root), data)


def test_the_watch_lock_is_stamped_and_shown_in_city_time(root, journal, server_in_utc, monkeypatch):
    from kyotei_docs.inbox.lock import LOCK_NAME, FolderLock

    monkeypatch.setenv("KYOTEI_NOW", "2026-03-31T23:30:00+00:00")
    layout = Layout.at(root)
    layout.work.mkdir(parents=True)
    with FolderLock(layout.work), Journal(journal, root) as j:
        assert json.loads((layout.work / LOCK_NAME).read_text("utf-8"))["since"] == "2026-04-01T08:30:00+09:00"
        data = status_data(layout, j)
    data["journal"] = str(journal)
    assert "2026-04-01 08:30 開始" in status_text(layout, data)


def test_a_schema_2_journal_gains_the_progress_column_and_keeps_its_rows(root, journal):
    """A journal from before ``progress``: the column is added empty (those submissions are redone from the
    start, as then), the review counts are not looked up again, and progress is recorded from then on."""
    _old_journal(journal, root, [("s1", "done", "valid", {"review": 2})])
    db = sqlite3.connect(journal)
    db.execute("ALTER TABLE submissions ADD COLUMN review INTEGER")
    db.execute("UPDATE submissions SET review = 5")
    db.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    db.commit()
    db.close()
    with Journal(journal, root) as j:
        assert j.meta("schema") == "3"
        row = j.get("s1")
        assert row is not None and row.review == 5 and row.progress is None and j.progress("s1") == {}
        j.update("s1", "parsed", progress=j.more_progress("s1", drafts=["a.docx"]))
        j.update("s1", "pdf", progress=j.more_progress("s1", pdfs=["a.pdf"]))
        assert j.progress("s1") == {"drafts": ["a.docx"], "pdfs": ["a.pdf"]}
