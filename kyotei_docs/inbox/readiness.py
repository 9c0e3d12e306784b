"""When is a dropped file complete?  Only the file system can tell, and only roughly.

A copy to a Windows share can show the full size before the bytes arrive
(CopyFile pre-allocates and keeps the source's modification time), Word keeps
lock files beside a document it has open, and browsers and copy tools write
under temporary names.  A file is *ready* when:

* its signature (size, mtime, and on POSIX ctime, which a copy cannot set back)
  has not changed across two scans at least ``settle`` seconds apart;
* it is not empty and its bytes look finished: a zip (``.docx``) ends with its
  central directory, a PDF has ``%%EOF`` near the end, and the first bytes are
  not all zero (a pre-allocated file being filled).  A file that stays
  "unfinished" for ``grace`` seconds is taken anyway, so that it reaches
  ``error/`` with a reason instead of waiting in silence.  That time is counted
  from the first sight of the file's current signature *recorded in the
  journal* (:class:`Sightings`), not from this process's memory: a one-shot
  ``kyotei inbox`` run by a scheduled task lives for seconds, and every pass
  after the grace must file the file.  Not from the file's modification time:
  Windows CopyFile keeps the source's (years old) while the bytes are still
  arriving, and a share's clock may differ from ours;
* no Office lock file names it (``~$name.docx``, ``.~lock.name#``; a recent
  ``~WRL*.tmp``/``~WRD*.tmp`` holds every Word file in the folder).

What is never taken: lock files, hidden files (dot names, the Windows hidden or
system attribute), ``Thumbs.db``/``desktop.ini``/``.DS_Store``, partial
downloads (``.tmp``, ``.part``, ``.crdownload``, …), symbolic links and
subfolders.  Subfolders and links are reported so staff can see why a file
"does nothing"; the rest is noise that is ignored forever.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db"})
PARTIAL_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".filepart",
                    ".!ut", ".opdownload")
WORD_SUFFIXES = (".doc", ".docx", ".docm", ".dot", ".dotx", ".rtf")
WORD_TEMP_STALE_SECONDS = 600.0
"""A ``~WRL*.tmp`` older than this is left over from a crash and no longer holds anything."""

_TAIL = 65536 + 22  # a zip's end-of-central-directory record sits in the last 64 KiB + 22 bytes


class Sightings(Protocol):
    """Since when each unfinished file has looked as it does now (kept by the journal across passes)."""

    def age(self, name: str, signature: tuple[int, ...]) -> float:
        """Seconds since ``name`` was first seen with ``signature`` (0 the first time, or after a change)."""
        ...

    def keep_only(self, names: set[str]) -> None:
        """Forget every file not in ``names`` (taken, finished, removed or renamed)."""
        ...


class MemorySightings:
    """Sightings in this process only, on the scanner's clock (tests, and a scanner without a journal)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._first: dict[str, tuple[tuple[int, ...], float]] = {}

    def age(self, name: str, signature: tuple[int, ...]) -> float:
        now = self.clock()
        known = self._first.get(name)
        if known is None or known[0] != signature:
            self._first[name] = (signature, now)
            return 0.0
        return now - known[1]

    def keep_only(self, names: set[str]) -> None:
        for name in [n for n in self._first if n not in names]:
            del self._first[name]


@dataclass
class ScanResult:
    """What one scan of ``inbox/`` found; names are the entries' own names."""

    ready: list[Path] = field(default_factory=list)
    pending: list[Path] = field(default_factory=list)  # changed recently: may be ready after the next scan
    incomplete: list[Path] = field(default_factory=list)  # settled, but empty or its bytes look unfinished
    #: for each incomplete file's name: seconds until it is taken anyway (the grace left)
    grace_left: dict[str, float] = field(default_factory=dict)
    locked: list[tuple[Path, str]] = field(default_factory=list)  # (file, lock file holding it)
    subfolders: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return len(self.pending) + len(self.incomplete) + len(self.locked)


def kind_of(name: str) -> str:
    """``lock``, ``hidden``, ``system``, ``partial`` or ``file`` — from the name alone."""
    low = name.lower()
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        return "lock"
    if (low.startswith("~wrl") or low.startswith("~wrd")) and low.endswith(".tmp"):
        return "lock"
    if low in SYSTEM_FILES:
        return "system"
    if name.startswith("."):
        return "hidden"
    if low.endswith(PARTIAL_SUFFIXES):
        return "partial"
    return "file"


def _hidden_attr(st: os.stat_result) -> bool:
    attrs = getattr(st, "st_file_attributes", 0)
    return bool(attrs & (getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 2) | getattr(stat, "FILE_ATTRIBUTE_SYSTEM", 4)))


def _signature(st: os.stat_result) -> tuple[int, ...]:
    sig: tuple[int, ...] = (st.st_size, st.st_mtime_ns)
    if os.name == "posix":
        sig += (st.st_ctime_ns,)
    return sig


def looks_finished(path: Path, size: int) -> bool:
    """False when the bytes say "still being written"; True when they could be complete.

    Errs towards True for anything it does not recognise: the reader will say
    what is wrong with it.
    """
    with open(path, "rb") as fh:
        head = fh.read(8)
        if not head or head == b"\0" * len(head):
            return False
        if head.startswith(b"PK"):
            fh.seek(max(0, size - _TAIL))
            return b"PK\x05\x06" in fh.read(_TAIL)
        if head.startswith(b"%PDF"):
            fh.seek(max(0, size - 2048))
            return b"%%EOF" in fh.read(2048)
    return True


def lock_for(name: str, locks: list[str], word_temp: bool) -> str | None:
    """The lock file that holds ``name`` open, if any.

    Word names its owner file ``~$`` + the name with up to two leading
    characters dropped (``~$cument1.docx`` for ``Document1.docx``); LibreOffice
    uses ``.~lock.<name>#``.  Windows names are case-insensitive.
    """
    low = name.lower()
    for lock in locks:
        lk = lock.lower()
        if lk == f".~lock.{low}#":
            return lock
        if lk.startswith("~$"):
            rest = lk[2:]
            if rest and low.endswith(rest) and len(low) - len(rest) <= 2:
                return lock
    if word_temp and low.endswith(WORD_SUFFIXES):
        return next(lk for lk in locks if lk.lower().startswith(("~wrl", "~wrd")))
    return None


@dataclass
class _Seen:
    signature: tuple[int, ...]
    since: float  # monotonic time the signature was first seen


class Scanner:
    """Remembers what earlier scans saw, so that ``scan()`` can tell settled files.

    One scanner lives as long as a watch (or one pass), scanning the same folder.
    """

    def __init__(self, inbox: Path, settle: float, grace: float = 600.0,
                 clock: Callable[[], float] = time.monotonic, sightings: Sightings | None = None) -> None:
        self.inbox = inbox
        self.settle = settle
        self.grace = grace
        self.clock = clock
        self.sightings: Sightings = sightings if sightings is not None else MemorySightings(clock)
        self._seen: dict[str, _Seen] = {}

    def scan(self) -> ScanResult:
        """One look at the folder.  Raises OSError when the folder cannot be listed."""
        now = self.clock()
        out = ScanResult()
        files: list[tuple[os.DirEntry, os.stat_result]] = []
        locks: list[str] = []
        word_temp = False
        with os.scandir(self.inbox) as it:
            entries = list(it)
        for entry in entries:
            name = entry.name
            kind = kind_of(name)
            if kind == "lock":
                locks.append(name)
                if name.lower().startswith(("~wrl", "~wrd")) and self._fresh_word_temp(entry):
                    word_temp = True
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue  # gone between listing and stat
            if stat.S_ISLNK(st.st_mode):
                out.links.append(name)
            elif stat.S_ISDIR(st.st_mode):
                if kind == "file" and not _hidden_attr(st):
                    out.subfolders.append(name)
            elif not stat.S_ISREG(st.st_mode) or kind != "file" or _hidden_attr(st):
                out.ignored.append(name)
            else:
                files.append((entry, st))
        present = set()
        for entry, st in files:
            present.add(entry.name)
            path = Path(entry.path)
            sig = _signature(st)
            seen = self._seen.get(entry.name)
            if seen is None or seen.signature != sig:
                self._seen[entry.name] = _Seen(sig, now)
                out.pending.append(path)
                continue
            lock = lock_for(entry.name, locks, word_temp)
            if lock:
                out.locked.append((path, lock))
                continue
            if now - seen.since < self.settle:
                out.pending.append(path)
                continue
            try:
                finished = st.st_size > 0 and looks_finished(path, st.st_size)
            except OSError:
                out.incomplete.append(path)  # locked for reading (Windows) or vanished: never taken so
                continue
            if finished:
                out.ready.append(path)
                continue
            left = self.grace - self.sightings.age(entry.name, sig)
            if left <= 0:
                out.ready.append(path)  # unfinished for the whole grace: taken, to reach error/ with a reason
            else:
                out.incomplete.append(path)
                out.grace_left[entry.name] = left
        # Forget taken and vanished files; a file merely pending here (new to this process) keeps its
        # history: its signature, checked by age(), says whether it changed meanwhile.
        self.sightings.keep_only(present - {p.name for p in out.ready})
        for name in list(self._seen):
            if name not in present:
                del self._seen[name]
        out.ready.sort(key=lambda p: p.name)
        return out

    def forget(self, name: str) -> None:
        """Drop what is known about ``name`` (after it was claimed)."""
        self._seen.pop(name, None)

    def next_due(self) -> float | None:
        """Seconds until the earliest pending file could be ready, or None if none is pending."""
        if not self._seen:
            return None
        now = self.clock()
        return max(0.0, min(s.since + self.settle - now for s in self._seen.values()))

    @staticmethod
    def _fresh_word_temp(entry: os.DirEntry) -> bool:
        try:
            return time.time() - entry.stat(follow_symlinks=False).st_mtime < WORD_TEMP_STALE_SECONDS
        except OSError:
            return False
