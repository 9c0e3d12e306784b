"""Taking a file: rename it from ``inbox/`` into its own folder under ``.work/``.

A rename on the same volume is atomic, so a file is either still in ``inbox/``
or wholly in ``.work/<id>/``; on Windows the rename also fails while another
program still has the file open, which is the last readiness check.  Right
after the rename, ``submission.json`` records the claim in the folder itself, so
that even without the journal (a new PC, a lost disk) the folder explains itself.

Submission ids are ``YYYYMMDD-HHMMSS-xxxx`` (local time, 4 random hex digits):
they sort by arrival, are unique without a central counter (the journal may be
replaced, the folder stays), and are short enough to read out on the phone.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import citytime
from .fsutil import TMP_MARK, atomic_write_json, display_name, is_tmp, read_json, remove_tmp

SUBMISSION_JSON = "submission.json"
PROPOSAL_JSON = "proposal.json"
CHECK_JSON = "check.json"
REPORT_HTML = "report.html"
NEEDS_FIX = "要修正.txt"
REASON = "理由.txt"
DUPLICATE_NOTE = "重複.txt"
OUTPUT_NAMES = frozenset({SUBMISSION_JSON, PROPOSAL_JSON, CHECK_JSON, REPORT_HTML, NEEDS_FIX, REASON,
                          DUPLICATE_NOTE})
"""Names this package writes next to the original; an original with one of these names is renamed."""

ORIGINAL_PREFIX = "原本_"


@dataclass
class Claimed:
    sid: str
    folder: Path  # .work/<id>
    original: str  # the original's name inside the folder
    dropped_as: str  # the name it had in inbox/ (for messages), always printable
    received: datetime
    size: int


def new_id(now: datetime) -> str:
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def original_name(dropped: str) -> str:
    """The name the original keeps in its submission folder.

    The staff's name is kept, except where it would collide with an output
    (someone dropped a ``report.html``) or is not valid text (non-UTF-8 bytes).
    """
    shown = display_name(dropped)
    if shown != dropped or shown.lower() in {n.lower() for n in OUTPUT_NAMES} or is_tmp(shown):
        from ..safenames import safe_filename

        # never keep the temporary-file mark: recovery removes files that carry it
        name = safe_filename(ORIGINAL_PREFIX + shown.replace(TMP_MARK, "_kyotei_tmp"), max_bytes=200)
        return name.replace(TMP_MARK, "_kyotei_tmp")
    return dropped


def claim(work: Path, path: Path, now: datetime | None = None) -> Claimed | None:
    """Move ``path`` into a fresh ``work/<id>/``; None if the file is busy or already gone.

    Raises OSError for anything else (share gone, disk full): the caller retries later.
    """
    now = now or citytime.now()
    for _ in range(100):
        sid = new_id(now)
        folder = work / sid
        try:
            folder.mkdir()
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 100 collisions in one second
        raise FileExistsError(errno.EEXIST, "no free submission id", str(work))
    name = original_name(path.name)
    try:
        size = path.stat().st_size
        os.rename(path, folder / name)
    except FileNotFoundError:
        _rmdir_quiet(folder)  # gone: staff took it back, or another instance was faster
        return None
    except PermissionError:
        _rmdir_quiet(folder)
        if os.name == "nt":
            return None  # sharing violation: still open in the copying program or Word
        raise
    except OSError:
        _rmdir_quiet(folder)
        raise
    claimed = Claimed(sid, folder, name, display_name(path.name), now, size)
    write_claim_record(claimed)
    return claimed


def write_claim_record(c: Claimed, **extra: object) -> None:
    record = {"id": c.sid, "original": display_name(c.original), "dropped_as": c.dropped_as,
              "received_at": c.received.isoformat(timespec="seconds"), "size": c.size,
              "status": "processing"}
    record.update(extra)
    atomic_write_json(c.folder / SUBMISSION_JSON, record)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def adopt(folder: Path) -> Claimed | None:
    """Rebuild what is known about a ``.work/<id>/`` folder left by a crash.

    The original is named in ``submission.json``; if the process died before
    writing it, the original is the folder's only file.  Temporary files are
    removed (they are never a submission).  An empty folder (died between
    creating it and the rename) is removed and None returned.
    """
    remove_tmp(folder)
    record = {}
    try:
        record = read_json(folder / SUBMISSION_JSON)
    except (OSError, ValueError):
        record = {}
    files = [e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
    original = record.get("original")
    if not original or original not in files:
        candidates = [n for n in files if n not in OUTPUT_NAMES]
        if len(candidates) != 1:
            if not files and not any(os.scandir(folder)):
                _rmdir_quiet(folder)
                return None
            # Several unknown files: take the oldest one as the original and keep the rest.
            if not candidates:
                return None
            candidates.sort(key=lambda n: (folder / n).stat().st_mtime_ns)
        original = candidates[0]
    sid = folder.name
    try:
        received = datetime.fromisoformat(record["received_at"])
    except (KeyError, TypeError, ValueError):
        received = _id_time(sid) or citytime.now()
    size = (folder / original).stat().st_size
    claimed = Claimed(sid, folder, original, record.get("dropped_as") or display_name(original), received, size)
    if record.get("original") != display_name(original):
        write_claim_record(claimed)
    return claimed


def _id_time(sid: str) -> datetime | None:
    """The claim time an id names: the city's wall time (ids are made from ``citytime.now``), not the server's.

    Only the default city zone is known here (no configuration reaches a folder's recovery).
    """
    try:
        return datetime.strptime(sid[:15], "%Y%m%d-%H%M%S").replace(tzinfo=citytime.city_zone(None))
    except ValueError:
        return None


def _rmdir_quiet(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass
