"""The registry's tables and how each schema version becomes the next.

Why versioned migrations: a city keeps one registry file for years and
upgrades kyotei in between; its data must survive every upgrade.  The schema
version lives in ``PRAGMA user_version``; ``PRAGMA application_id`` marks the
file as a kyotei registry so that another program's SQLite file is never
touched.

A new database is made by running the first schema and then every migration,
so a fresh file and an upgraded one are built by the same statements and the
migration path is exercised on every install.  To change the schema, append a
``Migration`` to :data:`MIGRATIONS`; never edit one that has shipped.

Statements are lists (not scripts) because ``sqlite3.executescript`` commits
first, and a migration must run inside one transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

#: "KYOT" — identifies the file as a kyotei registry (PRAGMA application_id).
APPLICATION_ID = 0x4B594F54

#: Version 1: the first layout — agreements, the submissions that created
#: them, the event log and yearly results.
V1_DDL: tuple[str, ...] = (
    """CREATE TABLE agreements (
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
    )""",
    """CREATE TABLE submissions (
        sha256          TEXT    PRIMARY KEY,
        submission_id   TEXT    NOT NULL,
        agreement_id    INTEGER NOT NULL REFERENCES agreements(id),
        folder          TEXT,
        file            TEXT,
        valid           INTEGER NOT NULL,
        recorded_at     TEXT    NOT NULL
    )""",
    """CREATE TABLE events (
        id              INTEGER PRIMARY KEY,
        agreement_id    INTEGER NOT NULL REFERENCES agreements(id),
        kind            TEXT    NOT NULL,
        from_status     TEXT,
        to_status       TEXT,
        on_date         TEXT    NOT NULL,
        actor           TEXT    NOT NULL,
        recorded_at     TEXT    NOT NULL,
        detail          TEXT    NOT NULL DEFAULT '{}'
    )""",
    """CREATE TABLE results (
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
    )""",
    "CREATE INDEX events_by_agreement ON events (agreement_id, id)",
    "CREATE INDEX results_by_agreement ON results (agreement_id, fiscal_year, item_no)",
    "CREATE INDEX submissions_by_agreement ON submissions (agreement_id)",
)


@dataclass(frozen=True)
class Migration:
    """Statements that turn schema ``version - 1`` into ``version``."""

    version: int
    summary: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        2,
        "current period start, public URL, notes, review exemption flag; "
        "status/expiry and fiscal-year indexes; the event log becomes append-only",
        (
            "ALTER TABLE agreements ADD COLUMN period_start TEXT",
            "ALTER TABLE agreements ADD COLUMN public_url TEXT",
            "ALTER TABLE agreements ADD COLUMN notes TEXT",
            "ALTER TABLE agreements ADD COLUMN review_exempt INTEGER NOT NULL DEFAULT 0",
            # The current period starts on the day after the last expiry that was
            # renewed (the on_date of the latest renewal event), else on signing.
            """UPDATE agreements SET period_start = COALESCE(
                   (SELECT max(e.on_date) FROM events e
                     WHERE e.agreement_id = agreements.id AND e.kind = 'renewed'),
                   signed_on)
               WHERE signed_on IS NOT NULL""",
            "CREATE INDEX agreements_by_status ON agreements (status, expires_on)",
            "CREATE INDEX results_by_year ON results (fiscal_year, agreement_id)",
            """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
               BEGIN SELECT RAISE(ABORT, 'registry events are kept unchanged'); END""",
            """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
               BEGIN SELECT RAISE(ABORT, 'registry events are kept unchanged'); END""",
        ),
    ),
    Migration(
        3,
        "cases: every file received for a case keeps its role, its own proposal and errors; "
        "the case names its current file; staff corrections beside what was read; merged cases",
        (
            # role: original | other_format | correction | possible (see registry/matching.py)
            "ALTER TABLE submissions ADD COLUMN role TEXT NOT NULL DEFAULT 'original'",
            "ALTER TABLE submissions ADD COLUMN proposal TEXT",
            "ALTER TABLE submissions ADD COLUMN errors TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE submissions ADD COLUMN format TEXT",
            "ALTER TABLE agreements ADD COLUMN current_file TEXT",
            "ALTER TABLE agreements ADD COLUMN merged_into INTEGER REFERENCES agreements(id)",
            # Version 2 replaced a proposal needing correction by its resubmission: the
            # later files of a case were corrections, and the latest one is current.
            """UPDATE submissions SET role = 'correction'
               WHERE rowid > (SELECT min(s.rowid) FROM submissions s
                               WHERE s.agreement_id = submissions.agreement_id)""",
            """UPDATE agreements SET current_file =
                   (SELECT s.sha256 FROM submissions s WHERE s.agreement_id = agreements.id
                     ORDER BY s.rowid DESC LIMIT 1)""",
            """UPDATE submissions SET proposal =
                   (SELECT a.proposal FROM agreements a WHERE a.id = submissions.agreement_id)
               WHERE sha256 = (SELECT a.current_file FROM agreements a
                                WHERE a.id = submissions.agreement_id)""",
            """CREATE TABLE corrections (
                id              INTEGER PRIMARY KEY,
                agreement_id    INTEGER NOT NULL REFERENCES agreements(id),
                field           TEXT    NOT NULL,
                read_value      TEXT,
                value           TEXT,
                reason          TEXT,
                actor           TEXT    NOT NULL,
                recorded_at     TEXT    NOT NULL
            )""",
            "CREATE INDEX corrections_by_agreement ON corrections (agreement_id, field, id)",
            "CREATE INDEX agreements_by_merge ON agreements (merged_into)",
        ),
    ),
    Migration(
        4,
        "after signing: amendments (変更協定) as records of their own, the items as signed kept beside the "
        "current ones, each result's item numbering, the date a termination notice was given",
        (
            """CREATE TABLE amendments (
                id              INTEGER PRIMARY KEY,
                agreement_id    INTEGER NOT NULL REFERENCES agreements(id),
                article         INTEGER NOT NULL CHECK (article >= 1),
                before          TEXT    NOT NULL,
                after           TEXT    NOT NULL,
                on_date         TEXT    NOT NULL,
                reason          TEXT,
                actor           TEXT    NOT NULL,
                recorded_at     TEXT    NOT NULL
            )""",
            "CREATE INDEX amendments_by_agreement ON amendments (agreement_id, id)",
            """CREATE TRIGGER amendments_no_update BEFORE UPDATE ON amendments
               BEGIN SELECT RAISE(ABORT, 'registry amendments are kept unchanged'); END""",
            """CREATE TRIGGER amendments_no_delete BEFORE DELETE ON amendments
               BEGIN SELECT RAISE(ABORT, 'registry amendments are kept unchanged'); END""",
            # the items the agreement carried when signed; agreements.items is the current text
            "ALTER TABLE agreements ADD COLUMN signed_items TEXT",
            "UPDATE agreements SET signed_items = items WHERE signed_on IS NOT NULL",
            # how many item amendments the agreement had when the result was recorded (0: as signed)
            "ALTER TABLE results ADD COLUMN items_version INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE agreements ADD COLUMN notice_on TEXT",
        ),
    ),
    Migration(
        5,
        "the case's verdict is derived: each file keeps its findings as read (errors and review items "
        "with their codes and entries); a correction names the file it corrects; staff confirmations "
        "(原本と照合済み) of review items",
        (
            # {"errors": [{code, field, message}], "review": [...]}; NULL for files recorded before
            "ALTER TABLE submissions ADD COLUMN findings TEXT",
            # the current file when the correction was made: a later current file replaces it
            "ALTER TABLE corrections ADD COLUMN file TEXT",
            """UPDATE corrections SET file =
                   (SELECT a.current_file FROM agreements a WHERE a.id = corrections.agreement_id)""",
            """CREATE TABLE confirmations (
                id              INTEGER PRIMARY KEY,
                agreement_id    INTEGER NOT NULL REFERENCES agreements(id),
                file            TEXT    NOT NULL,
                item            TEXT    NOT NULL,
                note            TEXT,
                actor           TEXT    NOT NULL,
                recorded_at     TEXT    NOT NULL
            )""",
            "CREATE INDEX confirmations_by_agreement ON confirmations (agreement_id, file, item)",
        ),
    ),
    Migration(
        6,
        "the site a registry belongs to (kyotei init): a registry of another site, or a new empty one put "
        "in its place, is refused (registry/identity.py)",
        (
            """CREATE TABLE site (
                site_id         TEXT    NOT NULL PRIMARY KEY,
                recorded_at     TEXT    NOT NULL
            )""",
        ),
    ),
    Migration(
        7,
        "continuation reviews (guideline 5(3)): why staff exempted an agreement, and each consultation's outcome",
        (
            "ALTER TABLE agreements ADD COLUMN exempt_reason TEXT",
            """CREATE TABLE reviews (
                id              INTEGER PRIMARY KEY,
                agreement_id    INTEGER NOT NULL REFERENCES agreements(id),
                fiscal_year     INTEGER NOT NULL,
                outcome         TEXT    NOT NULL CHECK (outcome IN ('continue', 'amend', 'end')),
                on_date         TEXT    NOT NULL,
                note            TEXT,
                actor           TEXT    NOT NULL,
                recorded_at     TEXT    NOT NULL
            )""",
            "CREATE INDEX reviews_by_year ON reviews (fiscal_year, agreement_id, id)",
            """CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
               BEGIN SELECT RAISE(ABORT, 'registry reviews are kept unchanged'); END""",
            """CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
               BEGIN SELECT RAISE(ABORT, 'registry reviews are kept unchanged'); END""",
        ),
    ),
    Migration(
        8,
        "the screen: each person's list settings (columns shown), and the drop folder's error "
        "files staff marked as handled (who, when; the file itself stays)",
        (
            """CREATE TABLE screen_settings (
                user            TEXT    NOT NULL,
                key             TEXT    NOT NULL,
                value           TEXT    NOT NULL,
                updated_at      TEXT    NOT NULL,
                PRIMARY KEY (user, key)
            )""",
            """CREATE TABLE handled_errors (
                entry           TEXT    PRIMARY KEY,
                actor           TEXT    NOT NULL,
                handled_at      TEXT    NOT NULL,
                note            TEXT
            )""",
        ),
    ),
    Migration(
        9,
        "reminders sent by e-mail: each thing once per recipient, never twice",
        (
            """CREATE TABLE reminders_sent (
                key             TEXT    NOT NULL,
                recipient       TEXT    NOT NULL,
                department      TEXT    NOT NULL,
                agreement_id    INTEGER REFERENCES agreements(id),
                sent_at         TEXT    NOT NULL,
                PRIMARY KEY (key, recipient)
            )""",
        ),
    ),
    Migration(
        10,
        "each case's change stamp: a new random number whenever anything of the case is written (the "
        "agreement row, its files, corrections, confirmations, events, results, amendments, reviews), set "
        "by triggers so that every process's writes stamp it; a listing re-derives only the cases whose "
        "stamp moved (cases/listing.py)",
        (
            "ALTER TABLE agreements ADD COLUMN changed INTEGER NOT NULL DEFAULT 0",
            "UPDATE agreements SET changed = random()",
            # covering: the listing reads (id, changed) of every case from this index alone
            "CREATE INDEX agreements_by_change ON agreements (merged_into, changed)",
            """CREATE TRIGGER agreements_stamp_insert AFTER INSERT ON agreements
               BEGIN UPDATE agreements SET changed = random() WHERE id = NEW.id; END""",
            # a write that sets the stamp itself (this trigger's own) is not stamped again
            """CREATE TRIGGER agreements_stamp_update AFTER UPDATE ON agreements WHEN NEW.changed IS OLD.changed
               BEGIN UPDATE agreements SET changed = random() WHERE id = NEW.id; END""",
            *(f"""CREATE TRIGGER {table}_stamp_{when.lower()} AFTER {when} ON {table}
               BEGIN UPDATE agreements SET changed = random() WHERE id IN ({rows}); END"""
              for table in ("submissions", "corrections", "confirmations", "results")
              for when, rows in (("INSERT", "NEW.agreement_id"), ("UPDATE", "OLD.agreement_id, NEW.agreement_id"),
                                 ("DELETE", "OLD.agreement_id"))),
            # kept unchanged (their own triggers refuse UPDATE and DELETE): only a new row stamps
            *(f"""CREATE TRIGGER {table}_stamp_insert AFTER INSERT ON {table}
               BEGIN UPDATE agreements SET changed = random() WHERE id = NEW.agreement_id; END"""
              for table in ("events", "amendments", "reviews")),
        ),
    ),
)

#: The version this code writes and reads.
SCHEMA_VERSION: int = 1 + len(MIGRATIONS)


def create_v1(conn: sqlite3.Connection) -> None:
    """Lay down schema version 1 in an open transaction (also used by the migration tests)."""
    for statement in V1_DDL:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")


def migrate(conn: sqlite3.Connection, from_version: int) -> list[Migration]:
    """Apply every migration after ``from_version`` in the caller's transaction.

    Returns the migrations applied.  ``from_version`` 0 means an empty file:
    the first schema is created, then migrated.
    """
    if from_version == 0:
        create_v1(conn)
        from_version = 1
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= from_version:
            continue
        for statement in migration.statements:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {migration.version}")
        applied.append(migration)
    return applied
