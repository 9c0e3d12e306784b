"""The one SQLite connection helper: switching to WAL waits under the busy timeout.

Another process holding the write lock on a file still in rollback mode makes
``PRAGMA journal_mode = WAL`` fail at once ("database is locked") whatever the
busy timeout: SQLite skips the busy handler there.  That is what several
watchers, commands and the web screen opening a new registry or journal at
once run into.  The holder here is a real second process.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from kyotei_docs.inbox.journal import Journal
from kyotei_docs.registry.errors import RegistryError
from kyotei_docs.registry.store import open_registry
from kyotei_docs.sqlitedb import connect, immediate, insert, use_wal

T = TypeVar("T")

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()  # hold the write lock until told
conn.execute("COMMIT")
"""


class Holder:
    """A second process holding the write lock on ``path`` (rollback journal) until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            sqlite3.connect(path).close()
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "held"

    def release(self) -> None:
        """Let the holder commit and end; communicate() also closes its pipes (no ResourceWarning)."""
        self.proc.communicate("go\n", timeout=60)
        assert self.proc.returncode == 0


def _while_held(path: Path, opener: Callable[[], T]) -> T:
    """Run ``opener()`` in a thread while another process holds the lock; release it meanwhile."""
    holder = Holder(path)
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = opener()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=run)
    try:
        thread.start()
        thread.join(0.3)
        waiting = thread.is_alive()  # still waiting for the lock, not failed at once
    finally:
        holder.release()
    thread.join(60)
    if "error" in box:
        raise box["error"]
    assert waiting
    return box["value"]


def test_switch_to_wal_waits_for_a_writer_in_another_process(tmp_path):
    path = tmp_path / "plain.sqlite3"

    def open_wal() -> str:
        conn = connect(path, 30)
        try:
            use_wal(conn, 30)
            return conn.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            conn.close()

    assert _while_held(path, open_wal) == "wal"


def test_switch_to_wal_gives_up_when_the_busy_timeout_is_spent(tmp_path):
    path = tmp_path / "plain.sqlite3"
    holder = Holder(path)
    try:
        conn = connect(path, 0.2)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            use_wal(conn, 0.2)
        conn.close()
    finally:
        holder.release()


def test_new_registry_opened_while_another_process_writes_waits(tmp_path):
    path = tmp_path / "reg.sqlite3"

    def open_it() -> tuple[str, int]:
        with open_registry(path, create=True, busy_seconds=30) as reg:
            return (reg.conn.execute("PRAGMA journal_mode").fetchone()[0],
                    reg.conn.execute("PRAGMA user_version").fetchone()[0])

    mode, version = _while_held(path, open_it)
    assert mode == "wal" and version > 0


def test_registry_busy_past_the_timeout_is_a_clear_message(tmp_path):
    path = tmp_path / "reg.sqlite3"
    holder = Holder(path)
    try:
        with pytest.raises(RegistryError) as err:
            open_registry(path, create=True, busy_seconds=0.2)
    finally:
        holder.release()
    assert err.value.code == "busy"


def test_journal_opened_while_another_process_writes_waits(tmp_path):
    path = tmp_path / "journal.sqlite3"

    def open_it() -> str | None:
        with Journal(path, tmp_path) as journal:
            return journal.meta("root")

    assert _while_held(path, open_it) == str(tmp_path)


def test_immediate_rolls_back_on_error_and_commits_otherwise(tmp_path):
    conn = connect(tmp_path / "t.sqlite3", 5)
    conn.execute("CREATE TABLE t (x)")
    with immediate(conn):
        conn.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ZeroDivisionError), immediate(conn):
        conn.execute("INSERT INTO t VALUES (2)")
        raise ZeroDivisionError
    assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]
    assert not conn.in_transaction
    conn.close()


def test_insert_returns_the_new_rows_id(tmp_path):
    conn = connect(tmp_path / "t.sqlite3", 5)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT UNIQUE)")
    first = insert(conn, "INSERT INTO t (x) VALUES (?)", ("a",))
    second = insert(conn, "INSERT INTO t (x) VALUES (?)", ("b",))
    assert (first, second) == (1, 2)
    assert conn.execute("SELECT x FROM t WHERE id = ?", (second,)).fetchone() == ("b",)
    conn.close()


@pytest.mark.parametrize("sql", ["INSERT OR IGNORE INTO t (x) VALUES ('a')",
                                 "INSERT INTO t (x) SELECT 'c' WHERE 0"])
def test_insert_that_made_no_row_raises_instead_of_naming_the_previous_row(tmp_path, sql):
    """``lastrowid`` still names the row inserted before: an id taken from it points elsewhere."""
    conn = connect(tmp_path / "t.sqlite3", 5)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT UNIQUE)")
    insert(conn, "INSERT INTO t (x) VALUES ('a')")
    with pytest.raises(sqlite3.IntegrityError, match="made 0 rows"):
        insert(conn, sql)
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (1,)
    conn.close()
