"""Opening the registry file safely, short transactions, consistent backups.

Why so careful: the drop-folder watcher writes to the same file while staff
run commands, and the file holds years of a city's records.  So:

* WAL journal (readers never block the writer), a busy timeout (a writer waits
  for another instead of failing, and so does the switch to WAL when several
  processes open a new file at once), and writes in short ``BEGIN IMMEDIATE``
  transactions (the write lock is taken up front, so two writers queue instead
  of deadlocking on a lock upgrade) — all through :mod:`kyotei_docs.sqlitedb`,
  the one way the project opens an SQLite file;
* foreign keys on, for every connection (SQLite's default is off);
* a file that is not an SQLite database, is damaged, belongs to another
  program, or was written by a newer schema is refused with a clear message
  and never written to — the checks run before anything (even the journal
  mode) is changed;
* before a migration the old file is copied with the backup API.

WAL needs the file on a local disk: keep the registry off network shares
(back it up onto them with :func:`backup`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .. import citytime
from ..publish import write_new
from ..sqlitedb import connect, immediate, use_wal
from .errors import RegistryError
from .schema import APPLICATION_ID, SCHEMA_VERSION, migrate

_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100
DEFAULT_BUSY_SECONDS = 10.0
#: Page cache per connection (KiB): a city's registry fits; memory is taken only as pages are read.
_CACHE_KIB = 64 * 1024


def now_stamp() -> str:
    """When a row was written: ISO to the second with the city's offset (``citytime.stamp``).

    The registry's functions are not handed the configuration, so this is the
    default city zone (Asia/Tokyo), whatever the server's zone.  A time stored
    with another offset (by a version that used the server's) names the same
    moment and is shown in the city's time all the same.
    """
    return citytime.stamp()


def registry_path(cfg: object | None, override: str | os.PathLike[str] | None = None) -> Path:
    """The registry file: ``--registry`` if given, else the site's, else ``[registry] path`` (:mod:`.location`)."""
    from .location import locate

    return locate(cfg, override).path


def busy_seconds(cfg: object | None) -> float:
    """How long a writer waits for another (``[registry] busy_timeout_seconds``)."""
    return cfg.registry.busy_timeout_seconds if cfg is not None else DEFAULT_BUSY_SECONDS  # type: ignore[attr-defined]


def translate(exc: sqlite3.Error, path: Path, seconds: float) -> RegistryError:
    """Turn an sqlite3 error into the message staff should see."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return RegistryError("busy", path=str(path), seconds=f"{seconds:g}")
    if "readonly" in text or "read-only" in text:
        return RegistryError("readonly", path=str(path))
    if "not a database" in text or "malformed" in text or "disk image" in text or "corrupt" in text:
        return RegistryError("corrupt", path=str(path), detail=str(exc))
    if "unable to open" in text:
        return RegistryError("cannot_open", path=str(path), detail=str(exc))
    return RegistryError("cannot_open", path=str(path), detail=f"{type(exc).__name__}: {exc}")


@dataclass
class Registry:
    """An open registry file.  Use as a context manager; reads and writes go through
    :meth:`snapshot` and :meth:`write` so every error is translated and every
    transaction is short."""

    path: Path
    conn: sqlite3.Connection
    busy_seconds: float = DEFAULT_BUSY_SECONDS
    #: the schema version found on opening, if it was migrated
    migrated_from: int | None = None
    #: where the pre-migration copy was written
    migration_backup: Path | None = None
    _closed: bool = field(default=False, repr=False)

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._closed:
            self.conn.close()
            self._closed = True

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction, the write lock taken at BEGIN."""
        with self._translated(), immediate(self.conn) as conn:
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: several queries see one consistent state."""
        with self._translated():
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("ROLLBACK")

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.IntegrityError:
            raise  # a bug or a constraint the caller handles, not a file problem
        except sqlite3.Error as exc:
            raise translate(exc, self.path, self.busy_seconds) from exc

    def integrity(self) -> list[str]:
        """``PRAGMA integrity_check``: ``["ok"]`` for a sound file."""
        with self.snapshot() as conn:
            return [row[0] for row in conn.execute("PRAGMA integrity_check")]


def _check_header(path: Path, *, empty_ok: bool = False) -> None:
    """Refuse, before SQLite opens it, a file that cannot be a database.

    A 0-byte file is refused when reading (a read-only command never turns a
    stray empty file into a registry, which would hide the real one); a
    command that records (``empty_ok``) may make it the registry, as another
    process may be creating it right now.
    """
    if path.is_dir():
        raise RegistryError("cannot_open", path=str(path), detail="is a folder")
    size = path.stat().st_size
    if size == 0:
        if empty_ok:
            return
        raise RegistryError("empty_file", path=str(path))
    with path.open("rb") as fh:
        header = fh.read(_HEADER_SIZE)
    if len(header) < _HEADER_SIZE or not header.startswith(_MAGIC):
        raise RegistryError("corrupt", path=str(path), detail="not an SQLite header")


def open_registry(
    path: Path | str,
    *,
    create: bool = False,
    busy_seconds: float = DEFAULT_BUSY_SECONDS,
    backup_before_migration: bool = True,
) -> Registry:
    """Open (and with ``create``, make) the registry at ``path``, migrating an older schema.

    Raises :class:`RegistryError` (exit code 3) for a missing file (without
    ``create``), a damaged or foreign file, or a newer schema — in all of
    these cases nothing has been written to the file.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise RegistryError("missing", path=str(path))
        _create_new(path, busy_seconds)
    _check_header(path, empty_ok=create)
    try:
        conn = connect(path, busy_seconds)
    except sqlite3.Error as exc:
        raise translate(exc, path, busy_seconds) from exc
    try:
        reg = _prepare(conn, path, busy_seconds, backup_before_migration)
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path, busy_seconds) from exc
    except BaseException:
        conn.close()
        raise
    return reg


def _create_new(path: Path, seconds: float) -> None:
    """Make a new, empty registry at ``path`` atomically: it appears complete or not at all.

    Built under a temporary name and published into place (:mod:`kyotei_docs.publish`,
    which fails if another process made one meanwhile — then that one is used), so no one ever meets
    a half-made or 0-byte registry, and a 0-byte file can always be refused.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RegistryError("cannot_open", path=str(path), detail=str(exc)) from exc

    def build(tmp: Path) -> None:
        conn = connect(tmp, seconds)
        try:
            with immediate(conn):
                migrate(conn, 0)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        finally:
            conn.close()
        tmp.with_name(tmp.name + "-journal").unlink(missing_ok=True)

    try:
        write_new(path, build, copies=False)
    except FileExistsError:
        pass  # another process created it first: use theirs
    except sqlite3.Error as exc:
        raise translate(exc, path, seconds) from exc
    except OSError as exc:
        raise RegistryError("cannot_open", path=str(path), detail=str(exc)) from exc


def _read_marks(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """(user_version, application_id, number of schema objects) — reads only."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return version, app_id, objects


def _verify(conn: sqlite3.Connection, path: Path) -> None:
    """``PRAGMA quick_check`` — refuse a damaged file before writing anything to it."""
    verdict = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if verdict != ["ok"]:
        raise RegistryError("corrupt", path=str(path), detail="; ".join(verdict[:3]))


def _prepare(conn: sqlite3.Connection, path: Path, seconds: float, backup_first: bool) -> Registry:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")  # exports and reports read the whole file
    version, app_id, objects = _read_marks(conn)
    # Refusals come first: nothing below this point may run on a file we refuse.
    if version > SCHEMA_VERSION:
        raise RegistryError("newer", path=str(path), found=version, known=SCHEMA_VERSION)
    if app_id not in (0, APPLICATION_ID) or (version == 0 and objects > 0):
        raise RegistryError("not_registry", path=str(path))
    wal = conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    if objects > 0 and (not wal or version < SCHEMA_VERSION):
        _verify(conn, path)  # the first write to a file we did not last write: check it first
    conn.execute("PRAGMA foreign_keys = ON")
    if not wal:
        use_wal(conn, seconds)
    reg = Registry(path, conn, seconds)
    if version < SCHEMA_VERSION:
        if version > 0 and backup_first:
            stamp = citytime.now().strftime("%Y%m%d-%H%M%S")  # a name staff read: the city's time
            target = path.with_name(f"{path.stem}.v{version}-backup-{stamp}{path.suffix or '.sqlite3'}")
            reg.migration_backup = backup(reg, target)
        with reg.write() as wconn:
            # Another process may have migrated while we waited for the lock.
            current = wconn.execute("PRAGMA user_version").fetchone()[0]
            if current < SCHEMA_VERSION:
                migrate(wconn, current)
                wconn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                if current > 0:
                    reg.migrated_from = current
    return reg


def backup(reg: Registry, dest: Path | str) -> Path:
    """A consistent copy of the registry at ``dest`` (a new file, or an existing folder to put it in).

    Uses the SQLite backup API, so the copy is a single consistent state even
    while the watcher writes.  The copy is a self-contained file (rollback
    journal, not WAL) so it can be kept on a network share.  ``dest`` is
    never overwritten (:mod:`kyotei_docs.publish`: written under a temporary
    name beside it, then published in one step that fails if ``dest``
    appeared meanwhile).  A folder that is not there is refused, not created:
    a mistyped or disconnected backup drive must not go unnoticed.
    """
    target = Path(dest)
    names_folder = str(dest).endswith(("/", "\\"))  # 「D:\\backup\\」 names a folder
    if target.is_dir():
        stamp = citytime.now().strftime("%Y%m%d-%H%M%S")  # a name staff read: the city's time
        target = target / f"{reg.path.stem}-{stamp}{reg.path.suffix or '.sqlite3'}"
    elif names_folder:
        raise RegistryError("backup_no_folder", folder=str(target))
    elif target.exists():
        raise RegistryError("backup_exists", path=str(target))
    elif not target.parent.is_dir():
        raise RegistryError("backup_no_folder", folder=str(target.parent))

    def copy_into(tmp: Path) -> None:
        copy = connect(tmp, reg.busy_seconds)
        try:
            with reg._translated():
                reg.conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
        tmp.with_name(tmp.name + "-journal").unlink(missing_ok=True)
        if verdict != "ok":
            raise RegistryError("backup_failed", detail=f"quick_check: {verdict}")

    try:
        return write_new(target, copy_into, copies=False)
    except FileExistsError:
        raise RegistryError("backup_exists", path=str(target)) from None
    except (OSError, sqlite3.Error) as exc:
        raise RegistryError("backup_failed", detail=str(exc)) from exc
