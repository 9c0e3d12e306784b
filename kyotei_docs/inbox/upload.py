"""Files handed over directly (the screen's 受付 page), processed exactly like dropped ones.

Why this lives in the drop folder's package: an upload must end in the same
``done/YYYY/MM/<id>_<company>/`` layout, with the same journal row, duplicate
check, sandboxed readers, limits and registry hook as a file dropped into
``inbox/``.  So it goes through :func:`run_pass` itself, with the uploaded files
in place of the scan.

Two situations:

* nobody holds the folder (no ``kyotei watch`` running): the folder lock is
  taken for the moment of the pass, the files are claimed and processed at once,
  and the caller gets each file's outcome, submission ID and folder (the screen
  has the drafts' PDFs made afterwards, ``pdf_later``, so the report does not
  wait for LibreOffice); its result is found again by the submission
  (:func:`find_by_sid`), never by content: someone else uploading the same
  bytes must not change this result;
* ``kyotei watch`` holds the folder: the files are placed into ``inbox/`` (never
  over an existing file) and the watcher processes them; the caller gets
  ``queued`` receipts and finds the result later by the file's SHA-256 and the
  moment of the upload: the first submission of those bytes from then on
  (:func:`find_by_sha`).

Uploads are first written into a private folder under ``.work/`` whose name
carries the temporary mark, so recovery ignores it and a half-written upload is
never taken for a submission.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from ..config import Config
from .batch import PassOptions, find_finished, run_pass
from .fsutil import TMP_MARK
from .journal import Journal
from .journal import Row as JournalRow
from .layout import Layout
from .lock import FolderLock, FolderLocked
from .pool import WorkerPool


@dataclass(frozen=True)
class Upload:
    name: str  # the name the browser sent (any text: never used as a path)
    data: bytes = b""
    #: read in chunks instead of ``data``: the screen's uploads stay on disk (werkzeug spools them),
    #: never a whole file in memory
    stream: IO[bytes] | None = None

    def chunks(self, size: int = 1024 * 1024) -> Iterator[bytes]:
        if self.stream is None:
            yield self.data
            return
        self.stream.seek(0)
        while chunk := self.stream.read(size):
            yield chunk


@dataclass
class Receipt:
    name: str  # the file's own name, made safe
    sha256: str
    outcome: str | None = None  # valid, invalid, unreadable, failed, duplicate; None while queued
    sid: str | None = None
    dest: Path | None = None
    queued_as: str | None = None  # its name in inbox/ when the watcher will take it
    detail: str | None = None  # why it waits for a retry
    review: int = 0  # review items (要確認) of its reading

    @property
    def queued(self) -> bool:
        return self.outcome is None


def upload_name(raw: str) -> str:
    """The last component of a browser-sent name, without control characters; never a path."""
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    from ..safenames import safe_filename

    return safe_filename(text.strip() or "upload", max_bytes=200)


def submit(layout: Layout, journal_path: Path, cfg: Config, uploads: list[Upload],
           opts: PassOptions | None = None, *, actor: str | None = None,
           pool: WorkerPool | None = None, pdf_later: Callable[[Path], None] | None = None) -> list[Receipt]:
    """Process ``uploads`` as submissions of the drop folder; see the module docstring.

    ``pool`` keeps the sandboxed worker processes warm between uploads (see :func:`run_pass`).
    ``actor`` (the signed-in user) is recorded in the registry as who received
    them when this process records them (a running watcher records its own user).
    ``pdf_later`` files the submissions with their .docx drafts and is called
    with each folder in ``done/`` whose PDFs are still to be made
    (:mod:`kyotei_docs.inbox.later`; the screen's background job), so the
    caller need not wait for LibreOffice.  Without it the PDFs are made in the
    pass, as ``[inbox] pdf`` says.  Files queued for a running watcher are
    the watcher's to finish, PDFs included.

    Raises ``FolderUnavailable`` when the folder cannot be used and ``OSError``
    when the files cannot be written; nothing is half-submitted in either case.
    """
    opts = opts or PassOptions.from_config(cfg, settle_wait=False)
    if actor:
        opts.actor = actor
    if pdf_later is not None:
        opts.pdf_later = True
    layout.ensure(create=not layout.exists() and not _used_before(journal_path))
    stage = layout.work / f"upload-{secrets.token_hex(6)}{TMP_MARK}"
    stage.mkdir()
    try:
        staged: list[tuple[Receipt, Path]] = []
        for n, up in enumerate(uploads):
            name = upload_name(up.name)
            folder = stage / str(n)
            folder.mkdir()
            path = folder / name
            digest = hashlib.sha256()
            with open(path, "xb") as fh:
                for chunk in up.chunks():
                    fh.write(chunk)
                    digest.update(chunk)
            staged.append((Receipt(name, digest.hexdigest()), path))
        try:
            lock = FolderLock(layout.work).acquire()
        except FolderLocked:
            return [_queue(layout, receipt, path) for receipt, path in staged]
        try:
            with Journal(journal_path, layout.root) as journal:
                summary = run_pass(layout, journal, cfg, opts, files=[p for _, p in staged], pool=pool)
                if pdf_later is not None:  # the uploads, and any submission this pass resumed
                    for done in summary.finished:
                        if done.pdf_later:
                            pdf_later(done.dest)
                by_name = {f.name: f for f in summary.finished}
                waiting = {name: detail for _, name, detail in summary.retrying}
                out = []
                for receipt, path in staged:
                    fin = by_name.pop(_dropped_as(path), None)
                    if fin is not None:
                        receipt.outcome, receipt.sid, receipt.dest = fin.outcome, fin.sid, fin.dest
                    else:
                        receipt.detail = waiting.get(_dropped_as(path))
                    out.append(receipt)
                return out
        finally:
            lock.release()
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _dropped_as(path: Path) -> str:
    from .fsutil import display_name

    return display_name(path.name)


def _used_before(journal_path: Path) -> bool:
    return journal_path.exists() and journal_path.stat().st_size > 0


def _queue(layout: Layout, receipt: Receipt, path: Path) -> Receipt:
    """Hand a staged file to the running watcher: into ``inbox/`` under a free name."""
    from ..publish import publish

    placed = publish(path, layout.inbox / path.name)
    receipt.queued_as = placed.name
    return receipt


def find_by_sid(layout: Layout, journal_path: Path, sid: str) -> Receipt | None:
    """Submission ``sid`` once finished, or None while it waits (or if there is no such submission).

    The result page of an upload is addressed by its submission: another
    person uploading the same bytes later makes a submission of their own
    (a 重複) and never changes this one's page.
    """
    if not journal_path.exists():
        return None
    with Journal(journal_path, layout.root) as journal:
        row = journal.get(sid)
    return _receipt(layout, row) if row is not None and row.state in ("done", "error", "duplicate") else None


def find_by_sha(layout: Layout, journal_path: Path, sha256: str, since: str = "") -> Receipt | None:
    """For a file queued for the watcher (its submission not known yet): the first submission
    of these bytes received at or after ``since`` (ISO time) once finished; None while it waits.

    The first, not the latest: someone uploading the same file after this one
    makes a later submission (a 重複), which must not become this one's result.
    """
    if not journal_path.exists():
        return None
    with Journal(journal_path, layout.root) as journal:
        rows = journal.with_sha(sha256)
    after = _moment(since)
    for row in rows:
        received = _moment(row.received_at)
        if after is not None and received is not None and received < after:  # moments, not texts: zones differ
            continue
        return _receipt(layout, row) if row.state in ("done", "error", "duplicate") else None
    return None


def _receipt(layout: Layout, row: JournalRow) -> Receipt:
    dest = layout.root / row.dest if row.dest else find_finished(layout, row.id)[0]
    return Receipt(row.name, row.sha256 or "", row.outcome or row.state, row.id, dest, review=row.review or 0)




def process_waiting(layout: Layout, journal_path: Path, cfg: Config, pool: WorkerPool | None = None,
                    pdf_later: Callable[[Path], None] | None = None) -> bool:
    """Run one ordinary pass over ``inbox/`` if nobody holds the folder; False if someone does.

    Uploads queued for a watcher that has stopped meanwhile (or another process
    that held the folder for a moment) are then not left waiting: the screen
    processes them itself, exactly as ``kyotei inbox`` would — except that with
    ``pdf_later`` (as :func:`submit`) their drafts' PDFs are left to the caller's
    background job, so LibreOffice never runs beside the pass's reader process.
    """
    if not layout.exists():
        return False
    try:
        lock = FolderLock(layout.work).acquire()
    except FolderLocked:
        return False
    try:
        opts = PassOptions.from_config(cfg)
        opts.pdf_later = pdf_later is not None
        with Journal(journal_path, layout.root) as journal:
            summary = run_pass(layout, journal, cfg, opts, pool=pool)
        if pdf_later is not None:
            for done in summary.finished:
                if done.pdf_later:
                    pdf_later(done.dest)
    finally:
        lock.release()
    return True


def _moment(text: str) -> datetime | None:
    """``since`` as a moment (a naive one is taken as the server's local time); None if not given."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.astimezone()
