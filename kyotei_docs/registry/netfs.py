"""Refusing a registry on a network file system, with the reason.

Why: SQLite's locking and its WAL journal need a local disk; over SMB/NFS two
PCs writing the same file can damage it, silently (sqlite.org, "SQLite Over a
Network").  The office keeps the site on the machine that runs ``kyotei
serve``/``watch`` and the other PCs use the screen (docs/office-setup.md).  A
site's registry found on a share is refused before it is opened.

How it is told:

* Linux: the mount that holds the file, from ``/proc/self/mountinfo`` (the
  longest mount point above the file's real path) and its file-system type
  (:data:`NETWORK_TYPES`: nfs, cifs, smb3, fuse.sshfs …);
* Windows: a UNC path (``\\\\server\\share``), or ``GetDriveTypeW`` of the drive
  saying ``DRIVE_REMOTE`` (a mapped network drive);
* elsewhere (macOS): not checked.

:func:`mount_of` takes the mountinfo text as an argument so the tests can
feed it any mount table.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import RegistryError

#: file-system types of /proc/self/mountinfo that live on another machine
NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "coda", "ceph", "glusterfs", "lustre", "gpfs",
    "9p", "davfs", "fuse.sshfs", "sshfs", "fuse.davfs2", "fuse.glusterfs", "fuse.s3fs", "fuse.rclone",
    "fuse.cephfs", "fuse.smbnetfs", "fuse.gvfsd-fuse",
})
MOUNTINFO = Path("/proc/self/mountinfo")
_DRIVE_REMOTE = 4


@dataclass(frozen=True)
class Mount:
    point: str
    fstype: str
    source: str

    @property
    def remote(self) -> bool:
        return self.fstype in NETWORK_TYPES or self.fstype.startswith("nfs")


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash as octal escapes (``\\040``)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts of a ``/proc/self/mountinfo`` text (malformed lines are skipped)."""
    mounts = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        head, tail = left.split(), right.split()
        if not sep or len(head) < 5 or len(tail) < 2:
            continue
        mounts.append(Mount(point=_unescape(head[4]), fstype=tail[0], source=_unescape(tail[1])))
    return mounts


def mount_of(path: str, mountinfo: str) -> Mount | None:
    """The mount holding ``path`` (absolute, symlinks resolved): the longest mount point above it."""
    best: Mount | None = None
    for m in parse_mountinfo(mountinfo):
        point = m.point.rstrip("/") or "/"
        if path == point or path.startswith(point.rstrip("/") + "/") or point == "/":
            if best is None or len(point) >= len(best.point.rstrip("/") or "/"):
                best = m
    return best


def network_reason(path: Path, *, mountinfo: str | None = None) -> tuple[str, str] | None:
    """(kind, where) if ``path`` is on a network file system, else None."""
    if os.name == "nt":
        return _windows_reason(path)
    text = mountinfo
    if text is None:
        try:
            text = MOUNTINFO.read_text("utf-8", "surrogateescape")
        except OSError:
            return None  # not Linux (or no /proc): not checked
    real = os.path.realpath(path if path.exists() else path.parent)
    mount = mount_of(real, text)
    if mount is not None and mount.remote:
        return mount.fstype, f"{mount.source} → {mount.point}"
    return None


def _windows_reason(path: Path) -> tuple[str, str] | None:  # pragma: no cover - Windows only
    full = os.path.abspath(path)
    if full.startswith(("\\\\", "//")) and not full.startswith(("\\\\?\\", "\\\\.\\")) or \
            full.upper().startswith("\\\\?\\UNC\\"):
        return "UNC", full
    drive = os.path.splitdrive(full)[0]
    if not drive:
        return None
    import ctypes

    kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")  # type: ignore[attr-defined]
    return ("DRIVE_REMOTE", drive) if kind == _DRIVE_REMOTE else None


def refuse_network(path: Path, *, mountinfo: str | None = None) -> None:
    """Raise :class:`RegistryError` ``network_fs`` if the registry at ``path`` is on a share."""
    reason = network_reason(path, mountinfo=mountinfo)
    if reason is not None:
        raise RegistryError("network_fs", path=str(path), kind=reason[0], where=reason[1])
