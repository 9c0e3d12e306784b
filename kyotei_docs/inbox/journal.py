"""The journal: what happened to every submission, in SQLite on local disk.

SQLite's WAL mode and locking do not work over SMB/NFS, so the journal never
lives on the share (see ``locations.py``).  Only the parent process writes it;
workers report back and the parent records.  The folders on the share remain the
ground truth: after a crash the journal is reconciled with ``.work/``, ``done/``,
``error/`` and ``duplicate/``, and a journal that was lost is rebuilt from the
``submission.json`` files there (duplicate detection keeps working).

One row per submission (``submissions``) with its SHA-256, state, attempts,
last error and review count (要確認: what the reader was unsure of, so that
``inbox status`` counts a valid submission with review items apart from 受付可); one row per step (``steps``) as the log; one row per file in
``inbox/`` that looks unfinished (``sightings``: since when it has looked as it
does now), so that the grace for such a file is counted across passes — a
one-shot ``kyotei inbox`` run every few minutes files it once the grace is over.

States: ``claimed`` (in ``.work/``) → ``parsed`` (outputs written, PDFs may be
missing) → ``finishing`` (destination chosen, move pending) → ``done``, ``error``
or ``duplicate``.  A submission that hit an infrastructure fault stays where it
was with ``next_try`` set (back-off).

The steps a submission completed are durable: ``progress`` (JSON) holds what the
parent learnt of each — the drafts the worker wrote (with ``parsed``), the PDFs
LibreOffice made (with the ``pdf`` step) — so a pass killed after them continues
from there instead of reading the file again (``batch._resume``).

Schema versions: 1 had no ``review`` column, 2 no ``progress`` column (added
empty: a submission in ``.work/`` from before is redone from the start, as then).  Opening a version-1 file adds it
(``ALTER TABLE … ADD COLUMN``, under the write lock, so two processes opening it
at once do it once) and fills it for the valid submissions already finished
from the ``review`` count in their ``submission.json``; a row whose folder
cannot be read keeps NULL (review unknown) and is counted as 受付可, as before.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import citytime
from ..sqlitedb import connect, immediate, use_wal
from .claim import SUBMISSION_JSON
from .fsutil import display_name, read_json

SCHEMA_VERSION = 3
#: How long a journal write waits for another process (a watcher and a one-shot pass, or `inbox status`).
BUSY_SECONDS = 30.0
FINAL_STATES = ("done", "error", "duplicate", "missing")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    original     TEXT NOT NULL,
    size         INTEGER,
    sha256       TEXT,
    state        TEXT NOT NULL,
    outcome      TEXT,
    company      TEXT,
    dest         TEXT,
    duplicate_of TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    pdf_attempts INTEGER NOT NULL DEFAULT 0,
    next_try     REAL,
    last_error   TEXT,
    registry     TEXT,
    received_at  TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    review       INTEGER,
    progress     TEXT
);
CREATE INDEX IF NOT EXISTS submissions_sha ON submissions(sha256);
CREATE INDEX IF NOT EXISTS submissions_state ON submissions(state);
CREATE TABLE IF NOT EXISTS steps (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    submission TEXT NOT NULL,
    at         TEXT NOT NULL,
    step       TEXT NOT NULL,
    detail     TEXT
);
CREATE INDEX IF NOT EXISTS steps_submission ON steps(submission);
CREATE TABLE IF NOT EXISTS sightings (
    name       TEXT PRIMARY KEY,
    signature  TEXT NOT NULL,
    first_seen REAL NOT NULL
);
"""


@dataclass
class Row:
    id: str
    name: str
    original: str
    size: int | None
    sha256: str | None
    state: str
    outcome: str | None
    company: str | None
    dest: str | None
    duplicate_of: str | None
    attempts: int
    pdf_attempts: int
    next_try: float | None
    last_error: str | None
    registry: str | None
    received_at: str
    updated_at: str
    #: review items (要確認) of a read submission; None: not read, or finished before schema 2 and not found
    review: int | None = None
    #: the steps completed so far, as JSON (drafts, PDFs): what a resumed pass need not do again
    progress: str | None = None

    @property
    def received(self) -> datetime:
        return datetime.fromisoformat(self.received_at)


_COLUMNS = tuple(Row.__dataclass_fields__)




class Journal:
    """The journal file of one drop folder.

    ``cfg`` names the city's zone (``[municipality] timezone``): every time the
    journal writes is stored with the city's offset (:meth:`stamp`), whatever the
    server's zone; rows written with another offset (before, or by another PC)
    still name the right moment, and are ordered by moment, not by text.
    """

    def __init__(self, path: Path, root: Path, cfg: Any = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.cfg = cfg
        self.is_new = not path.exists() or path.stat().st_size == 0
        self.db = connect(path, BUSY_SECONDS)
        try:
            use_wal(self.db, BUSY_SECONDS)
        except BaseException:
            self.db.close()
            raise
        self.db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL survives a process crash
        self.db.executescript(_SCHEMA)
        with self.tx():
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('root', ?)", (str(root),))
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('created', ?)", (self.stamp(),))
            upgraded = self._upgrade()
        if upgraded:
            self._fill_review(root)

    def _upgrade(self) -> bool:
        """Bring an older file to this schema (inside the opening transaction); True if it lacked ``review``
        (version 1: the review counts are then filled from the folders)."""
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(submissions)")}
        added = [(name, kind) for name, kind in (("review", "INTEGER"), ("progress", "TEXT")) if name not in columns]
        for name, kind in added:
            self.db.execute(f"ALTER TABLE submissions ADD COLUMN {name} {kind}")
        if added:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        return "review" not in columns

    def _fill_review(self, root: Path) -> None:
        """Review counts of the valid submissions finished before the column existed (from their folders)."""
        rows = self.db.execute("SELECT id, dest FROM submissions WHERE state = 'done' AND outcome = 'valid'"
                               " AND review IS NULL AND dest IS NOT NULL").fetchall()
        found = [(n, sid) for sid, dest in rows if (n := recorded_review(root / dest)) is not None]
        if found:
            with self.tx() as db:
                db.executemany("UPDATE submissions SET review = ? WHERE id = ?", found)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- plumbing

    def stamp(self) -> str:
        """Now, as the journal stores a time: ISO to the second with the city's offset."""
        return citytime.stamp(self.cfg)

    def tx(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: writers queue under the busy timeout)."""
        return immediate(self.db)

    def _rows(self, sql: str, params: tuple = ()) -> list[Row]:
        cols = ", ".join(_COLUMNS)
        return [Row(*r) for r in self.db.execute(f"SELECT {cols} FROM submissions {sql}", params)]

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.tx() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # ------------------------------------------------------------------ queries

    def get(self, sid: str) -> Row | None:
        rows = self._rows("WHERE id = ?", (sid,))
        return rows[0] if rows else None

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]

    def unfinished(self) -> list[Row]:
        marks = ",".join("?" * len(FINAL_STATES))
        return self._rows(f"WHERE state NOT IN ({marks}) ORDER BY id", FINAL_STATES)

    def first_with_sha(self, sha: str, before: str) -> Row | None:
        """The earliest submission with these bytes journaled before submission ``before``.

        "Earlier" is the journal's insertion order (claim order), so that two
        copies left half-done by a crash never each call the other the duplicate.
        """
        rows = self._rows("WHERE sha256 = ? AND rowid < (SELECT rowid FROM submissions WHERE id = ?)"
                          " AND state NOT IN ('duplicate', 'missing') ORDER BY rowid LIMIT 1", (sha, before))
        return rows[0] if rows else None

    def with_sha(self, sha: str) -> list[Row]:
        """Every submission of these bytes, in claim order (an upload looks its result up so)."""
        return self._rows("WHERE sha256 = ? ORDER BY rowid", (sha,))

    def registry_pending(self) -> list[Row]:
        return self._rows("WHERE registry = 'pending' AND state = 'done' ORDER BY id")

    def counts(self) -> dict[str, int]:
        """Submissions by outcome once finished (else by state); ``review``: valid with review items (要確認),
        which ``valid`` does not count."""
        out: dict[str, int] = {}
        for state, outcome, to_review, n in self.db.execute(
                "SELECT state, COALESCE(outcome, ''), outcome = 'valid' AND COALESCE(review, 0) > 0, COUNT(*)"
                " FROM submissions GROUP BY 1, 2, 3"):
            key = outcome if state in ("done", "error") and outcome else state
            if key == "valid" and to_review:
                key = "review"
            out[key] = out.get(key, 0) + n
        return out

    def recent_failures(self, limit: int = 10) -> list[Row]:
        return self._rows("WHERE last_error IS NOT NULL ORDER BY julianday(updated_at) DESC, id DESC LIMIT ?", (limit,))

    def steps(self, sid: str) -> list[tuple[str, str, str | None]]:
        return list(self.db.execute("SELECT at, step, detail FROM steps WHERE submission = ? ORDER BY seq", (sid,)))

    def all_rows(self) -> Iterator[Row]:
        yield from self._rows("ORDER BY id")

    # ------------------------------------------------------------------ updates

    def add(self, sid: str, name: str, original: str, size: int, received: datetime,
            *, sha256: str | None = None, step: str = "claimed") -> None:
        now = self.stamp()
        with self.tx() as db:
            db.execute("INSERT OR IGNORE INTO submissions (id, name, original, size, sha256, state, received_at,"
                       " updated_at) VALUES (?, ?, ?, ?, ?, 'claimed', ?, ?)",
                       (sid, name, original, size, sha256, received.isoformat(timespec="seconds"), now))
            db.execute("INSERT INTO steps (submission, at, step, detail) VALUES (?, ?, ?, ?)",
                       (sid, now, step, name))

    def update(self, sid: str, step: str, detail: str | None = None, **fields: object) -> None:
        """Set ``fields`` on the row and log ``step`` in one transaction."""
        now = self.stamp()
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self.tx() as db:
            if fields:
                db.execute(f"UPDATE submissions SET {sets}, updated_at = ? WHERE id = ?",
                           (*fields.values(), now, sid))
            db.execute("INSERT INTO steps (submission, at, step, detail) VALUES (?, ?, ?, ?)",
                       (sid, now, step, detail))

    def progress(self, sid: str) -> dict[str, Any]:
        """The steps ``sid`` completed (see the module's docstring); {} when none is recorded."""
        row = self.db.execute("SELECT progress FROM submissions WHERE id = ?", (sid,)).fetchone()
        try:
            value = json.loads(row[0]) if row and row[0] else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def more_progress(self, sid: str, **done: object) -> str:
        """What ``sid`` completed with ``done`` added, as the ``progress`` value to store (JSON):
        ``journal.update(sid, step, …, progress=journal.more_progress(sid, pdfs=[…]))`` records the
        step and its result in one transaction."""
        return json.dumps({**self.progress(sid), **done}, ensure_ascii=False)

    def fault(self, sid: str, step: str, detail: str, *, backoff: float, cap: float,
              counter: str = "attempts") -> int:
        """Record a failed attempt and when to try again (exponential back-off); return attempts."""
        row = self.get(sid)
        attempts = (getattr(row, counter) if row else 0) + 1
        delay = min(cap, backoff * (2 ** (attempts - 1)))
        self.update(sid, step, detail, **{counter: attempts, "last_error": detail,
                                          "next_try": time.time() + delay})
        return attempts

    # ------------------------------------------------------- unfinished files

    def sighting_age(self, name: str, signature: tuple[int, ...]) -> float:
        """Seconds since ``name`` was first seen in ``inbox/`` with ``signature`` (wall clock)."""
        key, sig, now = display_name(name), ",".join(map(str, signature)), time.time()
        row = self.db.execute("SELECT signature, first_seen FROM sightings WHERE name = ?", (key,)).fetchone()
        if row is not None and row[0] == sig:
            return max(0.0, now - row[1])
        with self.tx() as db:
            db.execute("INSERT OR REPLACE INTO sightings (name, signature, first_seen) VALUES (?, ?, ?)",
                       (key, sig, now))
        return 0.0

    def keep_sightings(self, names: set[str]) -> None:
        """Forget the files no longer waiting as unfinished (taken, removed, renamed or changed)."""
        keep = {display_name(n) for n in names}
        gone = [r[0] for r in self.db.execute("SELECT name FROM sightings") if r[0] not in keep]
        if gone:
            with self.tx() as db:
                db.executemany("DELETE FROM sightings WHERE name = ?", [(n,) for n in gone])

    def waiting_files(self) -> list[tuple[str, float]]:
        """(name, first seen as time.time()) of every file that looked unfinished at the last scan."""
        return [(r[0], r[1]) for r in self.db.execute("SELECT name, first_seen FROM sightings ORDER BY first_seen")]

    def adopt_final(self, record: dict, dest: str, state: str) -> None:
        """Enter a finished submission found in the folders (journal rebuilt after loss)."""
        sid = record.get("id")
        if not sid or self.get(sid):
            return
        now = self.stamp()
        with self.tx() as db:
            db.execute("INSERT INTO submissions (id, name, original, size, sha256, state, outcome, company, dest,"
                       " received_at, updated_at, review) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (sid, record.get("dropped_as") or record.get("original") or "?",
                        record.get("original") or "?", record.get("size"), record.get("sha256"), state,
                        record.get("status"), record.get("company"), dest,
                        record.get("received_at") or now, now, _review_of(record)))
            db.execute("INSERT INTO steps (submission, at, step, detail) VALUES (?, ?, 'rebuilt', ?)",
                       (sid, now, dest))


def _review_of(record: dict) -> int | None:
    n = record.get("review")
    return n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else None


def recorded_review(folder: Path) -> int | None:
    """The review count a finished folder's ``submission.json`` records (None: unreadable or not said)."""
    try:
        record = read_json(folder / SUBMISSION_JSON)
    except (OSError, ValueError):
        return None
    return _review_of(record) if isinstance(record, dict) else None


class JournalSightings:
    """The journal as the scanner's memory of unfinished files (see :class:`~.readiness.Sightings`)."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def age(self, name: str, signature: tuple[int, ...]) -> float:
        return self.journal.sighting_age(name, signature)

    def keep_only(self, names: set[str]) -> None:
        self.journal.keep_sightings(names)
