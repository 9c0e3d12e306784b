"""One instance per drop folder: a lock file in ``.work/``.

Two instances on one folder would both claim files (the rename makes each file
go to one of them, so nothing would be lost) but would fight over ``.work/``
recovery.  The lock is ``.work/lock.json``:

* on one machine the operating system's lock on the open file decides
  (``flock``/``msvcrt.locking``); it is released when the process dies, even by
  SIGKILL, so a crashed instance never blocks a restart;
* across machines (two PCs on one share, where such locks are unreliable) the
  file's content names the holder, and its time stamp is a heartbeat refreshed
  while the holder works: a lock held by another host with a fresh heartbeat is
  respected, a stale one (``stale`` seconds, default 10 minutes) is taken over.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from .. import citytime, oskit
from ..errors import KyoteiError
from ..exitcodes import ExitCode
from ..i18n import Catalog
from .layout import FolderUnavailable

MESSAGES: Catalog = {
    "locked_here": ("このフォルダは既に処理中です（同じ PC のプロセス {pid}、{since} 開始）。"
                    "同じフォルダに対して kyotei watch / inbox を二重に起動しないでください。",
                    "This folder is already being processed (process {pid} on this PC, since {since}). "
                    "Do not run kyotei watch / inbox twice on one folder."),
    "locked_elsewhere": ("このフォルダは別の PC（{host}）で処理中です（{since} 開始、最終確認 {age} 秒前）。",
                         "This folder is being processed on another PC ({host}, since {since}, "
                         "last seen {age} s ago)."),
}

LOCK_NAME = "lock.json"


class FolderLocked(KyoteiError):
    catalog = MESSAGES
    exit_code = ExitCode.LOCKED


@dataclass
class FolderLock:
    work: Path
    stale: float = 600.0
    _fd: int | None = None

    @property
    def path(self) -> Path:
        return self.work / LOCK_NAME

    def acquire(self) -> FolderLock:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:  # the share went away between the layout check and here
            raise FolderUnavailable("io", path=str(self.path), detail=str(exc)) from exc
        if not _os_lock(fd):
            holder = _read(fd)
            os.close(fd)
            raise FolderLocked("locked_here", pid=holder.get("pid", "?"), since=citytime.shown(holder.get("since")))
        holder = _read(fd)
        me = socket.gethostname()
        if holder.get("host") and holder.get("host") != me and holder.get("active"):
            age = time.time() - os.fstat(fd).st_mtime
            if age < self.stale:
                _os_unlock(fd)
                os.close(fd)
                raise FolderLocked("locked_elsewhere", host=holder["host"], since=citytime.shown(holder.get("since")),
                                   age=int(age))
        info = {"host": me, "pid": os.getpid(), "active": True, "since": citytime.stamp()}  # the city's offset
        _write(fd, info)
        self._fd = fd
        return self

    def heartbeat(self) -> None:
        """Refresh the time stamp (cheap; call it as work progresses)."""
        if self._fd is not None:
            try:
                os.utime(self.path)
            except OSError:
                pass

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            _write(self._fd, {"active": False})
        except OSError:
            pass
        _os_unlock(self._fd)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read(fd: int) -> dict:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 4096)
        return json.loads(data.decode("utf-8")) if data.strip() else {}
    except (OSError, ValueError):
        return {}


def _write(fd: int, info: dict) -> None:
    data = json.dumps(info).encode("utf-8")
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, data)
    os.fsync(fd)


def _os_lock(fd: int) -> bool:
    return oskit.lock_file(fd)


def _os_unlock(fd: int) -> None:
    oskit.unlock_file(fd)
