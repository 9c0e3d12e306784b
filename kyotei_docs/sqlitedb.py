"""One way to open an SQLite file: busy timeout, WAL switched on under that timeout, BEGIN IMMEDIATE.

The drop folder's journal and the registry are both written by several
processes at once (the watcher, staff commands, the web screen), so both need
the same three things:

* a **busy timeout**: a writer waits for another instead of failing;
* **WAL**, switched on so that the switch itself waits too.  ``PRAGMA
  journal_mode = WAL`` needs an exclusive lock and SQLite does not always call
  the busy handler for it (it answers "database is locked" at once when another
  connection holds a lock), so several processes opening the same new file at
  once failed.  :func:`use_wal` retries until the busy timeout is spent, like
  every other write;
* writes in **BEGIN IMMEDIATE** transactions (:func:`immediate`): the write
  lock is taken up front, so two writers queue instead of deadlocking on a lock
  upgrade.

A new row's id comes from :func:`insert`, which raises when the statement made
no row: ``cursor.lastrowid`` then still names the connection's previous insert
(or is ``None``), and an id read from it would silently point at another row or
at nothing.

WAL needs the file on a local disk (it does not work over SMB/NFS shares).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from os import PathLike
from typing import Any


def connect(path: str | PathLike[str], busy_seconds: float) -> sqlite3.Connection:
    """An autocommit connection (transactions are explicit) that waits ``busy_seconds`` for locks."""
    conn = sqlite3.connect(str(path), timeout=busy_seconds, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {max(0, int(busy_seconds * 1000))}")
    except BaseException:
        conn.close()
        raise
    return conn


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite saying another connection holds the lock."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def use_wal(conn: sqlite3.Connection, busy_seconds: float) -> None:
    """Switch ``conn``'s file to WAL, waiting up to ``busy_seconds`` for other connections.

    Raises ``sqlite3.OperationalError`` ("database is locked") if the lock is
    still held when the time is spent, or if the file system cannot do WAL.
    """
    deadline = time.monotonic() + busy_seconds
    pause = 0.005
    while True:
        try:
            mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
            break
        except sqlite3.OperationalError as exc:
            left = deadline - time.monotonic()
            if not is_busy(exc) or left <= 0:
                raise
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.1)
    if mode.lower() != "wal":  # pragma: no cover - only on file systems without WAL support
        raise sqlite3.OperationalError(f"this disk cannot hold an SQLite WAL journal (mode {mode})")


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction with the write lock taken at BEGIN; rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # SQLite may already have rolled back (a full disk, an I/O error)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def insert(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> int:
    """Run one single-row ``INSERT`` and return the new row's id.

    Raises ``sqlite3.IntegrityError`` if the statement made no row (``INSERT OR
    IGNORE`` that ignored, ``INSERT … SELECT`` that selected nothing): the
    cursor's ``lastrowid`` would then be the previous insert's id, not this one's.
    """
    cur = conn.execute(sql, params)
    if cur.rowcount != 1 or not cur.lastrowid:
        raise sqlite3.IntegrityError(f"INSERT made {max(cur.rowcount, 0)} rows, not one: {sql.split('(')[0].strip()}")
    return cur.lastrowid
