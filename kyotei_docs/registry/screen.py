"""What the screen keeps in the registry besides cases: each person's settings, and the error
files of the drop folder that staff marked as handled.

Why in the registry: it is the site's one store (one file, backed up with everything
else), and a setting belongs to the person, not to a browser's cookie — the columns
someone chose are there on another PC and after signing in again.  A handled error
file is recorded (who, when, a note) and never deleted: the file stays in
``error/`` for whoever needs it later; the screen only stops listing it as waiting.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from .store import Registry, now_stamp

#: longest stored setting (a list of column names is a few dozen bytes)
_MAX_VALUE = 4000


def get_setting(conn: sqlite3.Connection, user: str, key: str) -> Any:
    """The stored value (JSON) of ``key`` for ``user``; None if never set or unreadable."""
    row = conn.execute("SELECT value FROM screen_settings WHERE user = ? AND key = ?", (user, key)).fetchone()
    if row is None:
        return None
    try:
        return json.loads(row[0])
    except ValueError:
        return None


def put_setting(reg: Registry, user: str, key: str, value: Any) -> None:
    """Store ``value`` (JSON-able, small) as ``user``'s ``key``, replacing the previous one."""
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > _MAX_VALUE:
        raise ValueError("setting too large")
    with reg.write() as conn:
        conn.execute("INSERT INTO screen_settings (user, key, value, updated_at) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT (user, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                     (user, key, text, now_stamp()))


@dataclass(frozen=True)
class Handled:
    """An error file staff marked as handled."""

    entry: str
    actor: str
    handled_at: str
    note: str | None


def handled_errors(conn: sqlite3.Connection) -> dict[str, Handled]:
    """Every error-folder entry marked as handled, by its folder name."""
    return {r["entry"]: Handled(r["entry"], r["actor"], r["handled_at"], r["note"])
            for r in conn.execute("SELECT * FROM handled_errors")}


def mark_handled(reg: Registry, entry: str, *, actor: str, note: str | None = None) -> Handled:
    """Record that ``entry`` (an ``error/`` folder's name) was dealt with; the first record stays."""
    with reg.write() as conn:
        conn.execute("INSERT OR IGNORE INTO handled_errors (entry, actor, handled_at, note) VALUES (?, ?, ?, ?)",
                     (entry, actor, now_stamp(), (note or "").strip() or None))
        row = conn.execute("SELECT * FROM handled_errors WHERE entry = ?", (entry,)).fetchone()
    return Handled(row["entry"], row["actor"], row["handled_at"], row["note"])
