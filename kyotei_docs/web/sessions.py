"""Sign-ins kept on the server: a sign-out, a changed password or time ends them for good.

Why on the server: the session cookie alone (signed, 8 hours) kept working after
ログアウト — anyone who had copied it (a shared PC, a proxy log) stayed signed
in.  Now the cookie carries only a random session id; the server keeps a row
per sign-in and a request counts as signed in only while its row exists, is
younger than ``[web] session_hours`` and was used within
``[web] session_idle_minutes``.  Signing out deletes the row; a password
changed with ``kyotei serve adduser`` deletes every row of that user (and the
server drops rows whose password mark no longer matches the users file).

Where: a small SQLite file next to the users file (``kyotei-sessions.sqlite3``),
because the users live there too, not in the registry.  Only a SHA-256 of
each id is stored, so the file never holds a cookie that works.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import sqlitedb

FILE_NAME = "kyotei-sessions.sqlite3"
BUSY_SECONDS = 5.0
#: a row's last use is written at most this often (every page would be a write otherwise)
TOUCH_SECONDS = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,   -- SHA-256 of the cookie's id (the id itself is never stored)
    user    TEXT NOT NULL,
    mark    TEXT NOT NULL,      -- the end of the user's password hash when signing in
    created REAL NOT NULL,      -- seconds since the epoch
    seen    REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user);
"""


@dataclass(frozen=True)
class Signed:
    """A live sign-in: who, with which password mark."""

    user: str
    mark: str


def path_for(users_file: Path) -> Path:
    return users_file.with_name(FILE_NAME)


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


class SessionStore:
    """The sessions file of one site (see the module docstring)."""

    def __init__(self, path: Path, lifetime_seconds: float, idle_seconds: float) -> None:
        self.path = path
        self.lifetime = lifetime_seconds
        self.idle = idle_seconds
        self._ready = False
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        conn = sqlitedb.connect(self.path, BUSY_SECONDS)
        try:
            if not self._ready:
                with self._lock:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    sqlitedb.use_wal(conn, BUSY_SECONDS)
                    conn.executescript(_SCHEMA)
                    self._ready = True
            yield conn
        finally:
            conn.close()

    def start(self, user: str, mark: str) -> str:
        """A new sign-in of ``user``; returns the id for the cookie.  Ended sign-ins are swept meanwhile."""
        sid = secrets.token_urlsafe(32)
        now = time.time()
        with self._db() as conn, sqlitedb.immediate(conn):
            conn.execute("DELETE FROM sessions WHERE created < ? OR seen < ?", (now - self.lifetime, now - self.idle))
            conn.execute("INSERT INTO sessions (id_hash, user, mark, created, seen) VALUES (?, ?, ?, ?, ?)",
                         (_digest(sid), user, mark, now, now))
        return sid

    def find(self, sid: str) -> Signed | None:
        """The live sign-in of ``sid`` (its last use noted), or None — an ended one is deleted."""
        if not sid:
            return None
        now = time.time()
        key = _digest(sid)
        with self._db() as conn:
            row = conn.execute("SELECT user, mark, created, seen FROM sessions WHERE id_hash = ?", (key,)).fetchone()
            if row is None:
                return None
            user, mark, created, seen = row
            if created < now - self.lifetime or seen < now - self.idle:
                conn.execute("DELETE FROM sessions WHERE id_hash = ?", (key,))
                return None
            if now - seen > TOUCH_SECONDS:
                conn.execute("UPDATE sessions SET seen = ? WHERE id_hash = ?", (now, key))
        return Signed(str(user), str(mark))

    def end(self, sid: str) -> None:
        """Sign-out: the id never works again."""
        if sid:
            with self._db() as conn:
                conn.execute("DELETE FROM sessions WHERE id_hash = ?", (_digest(sid),))

    def end_user(self, user: str) -> int:
        """Every sign-in of ``user`` (a changed password, a removed user); returns how many ended."""
        with self._db() as conn:
            return conn.execute("DELETE FROM sessions WHERE user = ?", (user,)).rowcount


def end_user_sessions(users_file: Path, user: str) -> int:
    """For ``kyotei serve adduser``: a changed password signs ``user`` out everywhere at once."""
    path = path_for(users_file)
    if not path.exists():
        return 0
    return SessionStore(path, 0, 0).end_user(user)
