"""One pass over the drop folder: recover, take what is ready, process, finish.

Order of a pass, and why:

1. make sure the layout is there (and refuse to recreate it on a bare mount point);
2. recover: every folder left in ``.work/`` by an earlier run goes on from the
   steps it completed (the journal's ``progress``: read and drafted, PDFs made —
   a pass killed every few seconds still makes progress) or is redone (outputs
   are rewritten, the original is never touched), journal rows whose move had
   already happened are completed, and a lost journal is rebuilt from the folders;
3. wait until dropped files are settled, then claim them by rename;
4. hash each claimed file (SHA-256) and divert exact copies to ``duplicate/``;
5. read, check and draft on the worker pool (both cores), finishing each
   submission as soon as its result is back;
6. convert the drafts to PDF in batches (one LibreOffice start per batch), then
   finish those submissions (an upload on the screen finishes them at once with
   their .docx drafts instead, and its server makes the PDFs afterwards:
   ``PassOptions.pdf_later``, :mod:`kyotei_docs.inbox.later`).

A fault of the infrastructure (``OSError``: share gone, disk full, permission
denied, LibreOffice crashed) leaves the submission in ``.work/`` with a back-off;
it is never a reason to send a file to ``error/``.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from .. import citytime
from ..config import Config
from ..exitcodes import ExitCode
from ..i18n import Catalog, get_lang, say
from ..limits import Limits
from .casenote import CaseNote
from .claim import CHECK_JSON, SUBMISSION_JSON, adopt, claim, sha256_of
from .finish import (
    FINAL_STATE,
    Finished,
    Sub,
    finish_checked,
    finish_duplicate,
    finish_failed,
    finish_unreadable,
    record_in_registry,
)
from .fsutil import is_tmp, read_json
from .journal import Journal, JournalSightings, recorded_review
from .layout import Layout
from .pdf import PdfJob, PdfOutcome, convert_stating_size, converter
from .pool import WorkerPool
from .process import Task, os_detail
from .readiness import Scanner, ScanResult
from .results import Failure, Read, Unreadable, WorkerResult

log = logging.getLogger("kyotei.inbox")

MESSAGES: Catalog = {
    "log_claimed": ("受付: {name} → {sid}", "claimed: {name} → {sid}"),
    "log_finished": ("完了: {sid} {name} → {dest}（{outcome}）", "finished: {sid} {name} → {dest} ({outcome})"),
    "log_fault": ("再試行します: {sid} {name}（{detail}）", "will retry: {sid} {name} ({detail})"),
    "log_claim_fault": ("受付できません: {name}（{detail}）", "cannot claim: {name} ({detail})"),
    "log_recovered": ("前回の中断から再開: {sid} {name}", "resuming after an interruption: {sid} {name}"),
    "log_resumed": ("前回までに済んだ処理（{step}）から続けます: {sid} {name}",
                    "going on from the steps done before ({step}): {sid} {name}"),
    "log_registry": ("協定登録簿に登録できませんでした（次回再試行）: {sid}（{detail}）",
                     "could not record in the registry (will retry): {sid} ({detail})"),
    "log_trace": ("予期しないエラー: {sid} {name}\n{trace}", "unexpected error: {sid} {name}\n{trace}"),
    "log_missing": ("作業フォルダが見つかりません（手作業で移動された可能性）: {sid} {name}",
                    "work folder missing (moved by hand?): {sid} {name}"),
}


@dataclass
class PassOptions:
    """Knobs of a pass; ``from_config`` reads ``[inbox]``, the CLI overrides some."""

    workers: int = 2
    pdf: bool = True
    settle: float = 2.0
    grace: float = 600.0
    timeout: float = 120.0
    memory_mb: int = 1536
    max_attempts: int = 3
    backoff: float = 10.0
    backoff_cap: float = 900.0
    pdf_attempts: int = 3
    pdf_batch: int = 25
    registry: bool = True  # record finished submissions in the agreement registry
    honour_backoff: bool = False  # `watch` waits out the back-off; a pass run by hand retries at once
    settle_wait: bool = True  # a one-off pass waits for freshly dropped files to settle
    init: bool = False
    actor: str | None = None  # recorded in the registry as who received it (the screen's signed-in user)
    #: file the submissions with their .docx drafts and leave the PDFs for later (the screen's uploads:
    #: ``inbox/later.py``); ``Finished.pdf_later`` names those whose PDFs are still to be made
    pdf_later: bool = False

    @classmethod
    def from_config(cls, cfg: Config, **overrides: Any) -> PassOptions:
        """``[inbox]`` (checked when the configuration was loaded), then the command line's overrides."""
        s = cfg.inbox
        values: dict[str, Any] = dict(
            workers=s.workers, pdf=s.pdf, settle=s.settle_seconds, grace=s.incomplete_grace_seconds,
            timeout=s.timeout_seconds, memory_mb=s.worker_memory_mb, max_attempts=s.max_attempts,
            backoff=s.retry_seconds, backoff_cap=s.retry_max_seconds, pdf_attempts=s.pdf_attempts,
            pdf_batch=s.pdf_batch_size, registry=s.registry)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class PassSummary:
    finished: list[Finished] = field(default_factory=list)
    retrying: list[tuple[str, str, str]] = field(default_factory=list)  # (sid or "", name, detail)
    deferred: int = 0  # waiting for their back-off to pass (watch)
    scan: ScanResult = field(default_factory=ScanResult)
    registry_failures: list[tuple[str, str]] = field(default_factory=list)
    recovered: int = 0
    stopped: bool = False

    def count(self, outcome: str) -> int:
        """Submissions that ended as ``outcome``; ``valid`` counts only those with nothing to review."""
        if outcome == "review":
            return sum(1 for f in self.finished if f.to_review)
        return sum(1 for f in self.finished if f.outcome == outcome and not f.to_review)

    @property
    def processed(self) -> int:
        return len(self.finished)

    @property
    def exit_code(self) -> ExitCode:
        """``OK`` everything taken was finished; ``RETRY`` some submissions wait for a retry."""
        return ExitCode.RETRY if self.retrying or self.deferred else ExitCode.OK


class ProgressHook(Protocol):
    """What a pass tells its caller as it goes (any object with these two methods)."""

    def start(self, total: int) -> None: ...

    def advance(self, finished: Finished | None) -> None: ...


class Progress:
    """A :class:`ProgressHook` that ignores both; the CLI draws a bar, the watcher logs."""

    def start(self, total: int) -> None:  # noqa: D401 - a hook
        pass

    def advance(self, finished: Finished | None) -> None:
        pass


class _Pass:
    def __init__(self, layout: Layout, journal: Journal, cfg: Config, opts: PassOptions,
                 scanner: Scanner | None, stop: threading.Event | None, progress: ProgressHook,
                 heartbeat: Callable[[], None], files: list[Path] | None = None,
                 pool: WorkerPool | None = None) -> None:
        self.layout = layout
        self.journal = journal
        self.cfg = cfg
        self.opts = opts
        self.scanner = scanner or Scanner(layout.inbox, opts.settle, opts.grace, sightings=JournalSightings(journal))
        self.stop = stop or threading.Event()
        self.progress = progress
        self.heartbeat = heartbeat
        self.files = files
        self.pool = pool
        self.summary = PassSummary()
        self.subs: dict[str, Sub] = {}
        self.pdf_queue: list[Sub] = []
        #: copies of a file earlier in this same pass: finished once the first one's folder is known
        self.waiting_duplicates: list[tuple[Sub, str]] = []
        self._convert: Any = None
        self._convert_known = False

    # ------------------------------------------------------------------ driver

    def run(self) -> PassSummary:
        if self.opts.registry:
            # A site's registry that is missing or not its own is refused before any file is claimed:
            # the files stay in inbox/ and no new registry is made (registry/identity.py).
            from ..registry.location import check_usable

            check_usable(self.cfg)
        prepare_layout(self.layout, self.journal, init=self.opts.init)
        recovered = self._due(self._recover())
        self._retry_registry()
        scan = self._scan()
        self.summary.scan = scan
        total = len(recovered) + len(scan.ready)
        self.progress.start(total)
        if total and not self.stop.is_set():
            self._parse(self._tasks(recovered, scan.ready), total)
        self._pdfs()
        self._duplicates()
        self.summary.stopped = self.stop.is_set()
        return self.summary

    def _tasks(self, recovered: list[Sub], ready: list[Path]) -> Iterator[Task]:
        """Tasks for the pool, produced as workers ask for them.

        Claiming and hashing happen here, lazily, so the parent's file-system work
        overlaps the workers' parsing instead of preceding it, and a stop request
        leaves unclaimed files where staff put them.
        """
        for sub in recovered:
            if self.stop.is_set():
                return
            if self._prepare(sub) and not self._resume(sub):
                yield Task(sub.sid, str(sub.claimed.folder), sub.claimed.original)
        for path in ready:
            if self.stop.is_set():
                return
            fresh = self._claim(path)
            if fresh is None:
                self.progress.advance(None)
                continue
            if self._prepare(fresh):
                yield Task(fresh.sid, str(fresh.claimed.folder), fresh.claimed.original)

    # ---------------------------------------------------------------- recovery

    def _recover(self) -> list[Sub]:
        j, layout = self.journal, self.layout
        in_work = {e.name for e in os.scandir(layout.work) if e.is_dir(follow_symlinks=False) and not is_tmp(e.name)}
        for row in j.unfinished():
            if row.id in in_work:
                continue
            dest = layout.root / row.dest if row.dest else None
            outcome = row.outcome
            if not (row.state == "finishing" and dest is not None and dest.is_dir()):
                # Moved, but the journal did not hear of it (a power cut can undo its last
                # transactions): the folder's own submission.json says what it is.
                dest, outcome = find_finished(layout, row.id)
            if dest is not None and outcome in FINAL_STATE:
                final = FINAL_STATE[outcome]
                rel = layout.relative(dest)
                review = row.review if row.review is not None else recorded_review(dest)
                j.update(row.id, final, rel, state=final, outcome=outcome, dest=rel, next_try=None, review=review)
                if final == "done" and row.sha256:
                    self._register(row.id, row.sha256, dest)
            else:
                j.update(row.id, "missing", None, state="missing")
                log.warning(say(MESSAGES, "log_missing", sid=row.id, name=row.name))
        subs: list[Sub] = []
        for name in sorted(in_work):
            folder = layout.work / name
            try:
                claimed = adopt(folder)
            except OSError as exc:
                self._fault_unclaimed(name, os_detail(exc))
                continue
            if claimed is None:
                continue
            entry = j.get(claimed.sid)
            if entry is None:
                j.add(claimed.sid, claimed.dropped_as, claimed.original, claimed.size, claimed.received,
                      step="recovered")
                entry = j.get(claimed.sid)
            else:
                j.update(claimed.sid, "resumed", entry.state)
            log.info(say(MESSAGES, "log_recovered", sid=claimed.sid, name=claimed.dropped_as))
            sub = Sub(claimed, sha256=entry.sha256 if entry else None, attempts=entry.attempts if entry else 0)
            subs.append(sub)
        self.summary.recovered = len(subs)
        return subs

    def _retry_registry(self) -> None:
        if not self.opts.registry:
            return
        for row in self.journal.registry_pending():
            if row.dest and row.sha256:
                self._register(row.id, row.sha256, self.layout.root / row.dest)

    # ------------------------------------------------------------ scan / claim

    def _scan(self) -> ScanResult:
        if self.files is not None:  # complete files handed over by the caller (an upload)
            return ScanResult(ready=list(self.files))
        scan = self.scanner.scan()
        if not self.opts.settle_wait:
            return scan
        # A pass started by hand waits for what was just dropped, but not for ever:
        # a file still changing after three settle periods is left for the next pass.
        deadline = time.monotonic() + max(self.opts.settle * 3, 0.5)
        while scan.pending and not self.stop.is_set() and time.monotonic() < deadline:
            self.stop.wait(min(max(self.opts.settle, 0.05), max(0.0, deadline - time.monotonic())))
            scan = self.scanner.scan()
        return scan

    def _claim(self, path: Path) -> Sub | None:
        try:
            # received in the city's time (受付日時, the id, done/YYYY/MM), whatever the server's zone
            claimed = claim(self.layout.work, path, now=citytime.now(self.cfg))
        except OSError as exc:
            self._fault_unclaimed(path.name, os_detail(exc))
            return None
        self.scanner.forget(path.name)
        if claimed is None:
            return None
        self.journal.add(claimed.sid, claimed.dropped_as, claimed.original, claimed.size, claimed.received)
        log.info(say(MESSAGES, "log_claimed", name=claimed.dropped_as, sid=claimed.sid))
        return Sub(claimed)

    def _due(self, subs: list[Sub]) -> list[Sub]:
        if not self.opts.honour_backoff:
            return subs
        now, out = time.time(), []
        for sub in subs:
            row = self.journal.get(sub.sid)
            if row and row.next_try and row.next_try > now:
                self.summary.deferred += 1
            else:
                out.append(sub)
        return out

    def _prepare(self, sub: Sub) -> bool:
        """Hash the original and divert an exact copy to duplicate/; True if it is to be read."""
        self.subs[sub.sid] = sub
        try:
            if sub.sha256 is None:
                sub.sha256 = sha256_of(sub.claimed.folder / sub.claimed.original)
                self.journal.update(sub.sid, "hashed", sub.sha256, sha256=sub.sha256)
            first = self.journal.first_with_sha(sub.sha256, before=sub.sid)
            if first is not None and first.dest is None and first.id in self.subs:
                # the first copy is in this pass and has no folder yet: 重複.txt and submission.json
                # should point to it, so this one is finished after it (see _duplicates)
                self.waiting_duplicates.append((sub, first.id))
                return False
            if first is not None:
                self._done(finish_duplicate(self.layout, self.journal, sub, first))
                return False
        except OSError as exc:
            self._fault(sub, os_detail(exc))
            return False
        return True

    # ------------------------------------------------------------------- parse

    def _parse(self, tasks: Iterator[Task], total: int) -> None:
        if self.pool is not None:  # the caller's pool, its workers already started (the screen)
            self.pool.run(tasks, self._on_result, self.stop.is_set)
            return
        workers = min(self.opts.workers, total)
        with WorkerPool(workers, self.cfg, get_lang(), pass_limits(self.cfg, self.opts)) as pool:
            pool.run(tasks, self._on_result, self.stop.is_set)

    def _on_result(self, task: Task, res: WorkerResult) -> None:
        sub = self.subs[task.sid]
        name = sub.claimed.dropped_as
        trace = getattr(res, "trace", None)
        if trace:
            log.error(say(MESSAGES, "log_trace", sid=sub.sid, name=name, trace=trace), extra={"file_only": True})
        try:
            if isinstance(res, Read):
                sub.result = res
                # the read and the drafts are durable from here: a pass killed later goes on from them
                done = {"drafts": list(res.drafts), "render_warnings": list(res.render_warnings),
                        "render_error": res.render_error}
                self.journal.update(sub.sid, "parsed", res.outcome, state="parsed", outcome=res.outcome,
                                    company=res.company, progress=json.dumps(done, ensure_ascii=False))
                self._after_read(sub)
            elif isinstance(res, Unreadable):
                self.journal.update(sub.sid, "parsed", res.code, state="parsed", outcome="unreadable")
                self._done(finish_unreadable(self.layout, self.journal, sub, res.code, res.message))
            elif isinstance(res, Failure):
                attempts = self.journal.fault(sub.sid, "failed", res.detail, backoff=self.opts.backoff,
                                              cap=self.opts.backoff_cap)
                if attempts >= self.opts.max_attempts:
                    self._done(finish_failed(self.layout, self.journal, sub, res.detail, attempts))
                else:
                    self._retrying(sub, res.detail)
            else:  # Infra: the share, the disk, permissions — never the file's fault
                self._fault(sub, res.detail)
        except OSError as exc:
            self._fault(sub, os_detail(exc))

    def _after_read(self, sub: Sub) -> None:
        """A submission read (now, or by an earlier pass): its PDFs, or straight to done/."""
        res = sub.result
        assert res is not None
        if res.valid and sub.pdf is None and self._wants_pdf(res):
            if not self.opts.pdf_later:
                self.pdf_queue.append(sub)
                return
            sub.pdf = PdfOutcome(later=True)  # filed now; inbox/later.py makes them
        self._done(finish_checked(self.layout, self.journal, sub, registry=self.opts.registry))

    def _resume(self, sub: Sub) -> bool:
        """Go on from the steps an earlier (killed) pass completed; True if no worker is needed.

        The journal's ``progress`` says which drafts (and PDFs) were made, ``check.json``
        in the folder holds the reading; every file named must still be there, else the
        submission is read again from the start (a folder tampered with is not trusted).
        """
        row = self.journal.get(sub.sid)
        if row is None or row.state not in ("parsed", "finishing") or not row.progress:
            return False
        done = self.journal.progress(sub.sid)
        folder = sub.claimed.folder
        drafts, pdfs = done.get("drafts"), done.get("pdfs")
        if not isinstance(drafts, list) or not all(isinstance(n, str) and (folder / n).is_file() for n in drafts):
            return False
        try:
            check = read_json(folder / CHECK_JSON)
        except (OSError, ValueError):
            return False
        if not isinstance(check, dict) or "valid" not in check:
            return False
        company = (check.get("proposal") or {}).get("organization", {}).get("name")
        sub.result = Read(sub.sid, bool(check["valid"]), company, check, tuple(drafts),
                          tuple(done.get("render_warnings") or ()), done.get("render_error"))
        if isinstance(pdfs, list) and all(isinstance(n, str) and (folder / n).is_file() for n in pdfs):
            sub.pdf = PdfOutcome(pdfs=list(pdfs))
        log.info(say(MESSAGES, "log_resumed", sid=sub.sid, name=sub.claimed.dropped_as,
                     step="pdf" if sub.pdf else "parsed"))
        try:
            self._after_read(sub)
        except OSError as exc:
            self._fault(sub, os_detail(exc))
        return True

    def _wants_pdf(self, res: Read) -> bool:
        return bool(self.opts.pdf and res.docx_drafts and self.convert is not None)

    @property
    def convert(self) -> Any:
        """The PDF converter, looked up once per pass (None: no LibreOffice or --no-pdf)."""
        if not self._convert_known:
            self._convert = converter() if self.opts.pdf else None
            self._convert_known = True
        return self._convert

    # -------------------------------------------------------------------- pdfs

    def _pdfs(self) -> None:
        queue = self.pdf_queue
        size = max(1, self.opts.pdf_batch)
        for start in range(0, len(queue), size):
            chunk = queue[start:start + size]
            if self.stop.is_set():
                for sub in chunk:  # left in .work/; redone next time
                    self._retrying(sub, "stopped before PDF conversion")
                continue
            jobs = [PdfJob(s.sid, s.claimed.folder, list(s.result.drafts if s.result else ()), s.claimed.original)
                    for s in chunk]
            outcomes = convert_stating_size(jobs, self.convert, self._restate)
            for sub in chunk:
                sub.pdf = outcomes[sub.sid]
                try:
                    if sub.pdf.error:
                        n = self.journal.fault(sub.sid, "pdf_failed", sub.pdf.error, backoff=self.opts.backoff,
                                               cap=self.opts.backoff_cap, counter="pdf_attempts")
                        if n < self.opts.pdf_attempts:
                            self._retrying(sub, sub.pdf.error)
                            continue
                    else:
                        self.journal.update(sub.sid, "pdf", ", ".join(sub.pdf.pdfs),
                                            progress=self.journal.more_progress(sub.sid, pdfs=sub.pdf.pdfs))
                    self._done(finish_checked(self.layout, self.journal, sub, registry=self.opts.registry))
                except OSError as exc:
                    self._fault(sub, os_detail(exc))

    def _duplicates(self) -> None:
        """Finish the copies of files met earlier in this pass, pointing to where the first one went."""
        for sub, first_id in self.waiting_duplicates:
            first = self.journal.get(first_id)
            try:
                if first is None:  # pragma: no cover - the journal keeps every row it was given
                    continue
                self._done(finish_duplicate(self.layout, self.journal, sub, first))
            except OSError as exc:
                self._fault(sub, os_detail(exc))
        self.waiting_duplicates.clear()

    def _restate(self, job: PdfJob, form2_pdf: Path, form3: list[Path]) -> None:
        """Form 3 drafts again, stating the agreement PDF's size (see inbox/pdf.py)."""
        from ..proposal import Proposal
        from ..render import restate_form3
        from ..render.messages import MESSAGES as RENDER_MESSAGES

        sub = self.subs[job.sid]
        if sub.result is None:
            return
        restate_form3(Proposal.from_json(sub.result.check["proposal"]), self.cfg, form2_pdf, form3)
        # the drafts' note that Form 3 leaves the size blank no longer holds: report.html must not say it
        stale = say(RENDER_MESSAGES, "pdf_size_unknown")
        sub.result = replace(sub.result, render_warnings=tuple(w for w in sub.result.render_warnings if w != stale))

    # ----------------------------------------------------------------- endings

    def _done(self, fin: Finished) -> None:
        self.summary.finished.append(fin)
        log.info(say(MESSAGES, "log_finished", sid=fin.sid, name=fin.name, dest=self.layout.relative(fin.dest),
                     outcome=fin.label))
        if fin.outcome in ("valid", "invalid"):
            sub = self.subs.get(fin.sid)
            check = sub.result.check if sub and sub.result else None
            fin.case = self._register(fin.sid, (sub.sha256 or "") if sub else "", fin.dest, check)
            if fin.case is not None and not fin.case.new:  # `kyotei watch` has no summary: its log says it
                log.info(fin.case.summary_row(fin.name))
        self.heartbeat()
        self.progress.advance(fin)

    def _register(self, sid: str, sha256: str, folder: Path, check: dict | None = None) -> CaseNote | None:
        """Record in the registry; the case it joined (named in the folder too), or None."""
        if not self.opts.registry:
            return None
        recorded = record_in_registry(self.cfg, self.journal, self.layout, sid, sha256, folder, check,
                                      actor=self.opts.actor)
        if recorded.failure:
            self.summary.registry_failures.append((sid, recorded.failure))
            log.warning(say(MESSAGES, "log_registry", sid=sid, detail=recorded.failure))
        return recorded.case

    def _fault(self, sub: Sub, detail: str) -> None:
        self.journal.fault(sub.sid, "fault", detail, backoff=self.opts.backoff, cap=self.opts.backoff_cap)
        self._retrying(sub, detail)

    def _retrying(self, sub: Sub, detail: str) -> None:
        self.summary.retrying.append((sub.sid, sub.claimed.dropped_as, detail))
        log.warning(say(MESSAGES, "log_fault", sid=sub.sid, name=sub.claimed.dropped_as, detail=detail))
        self.heartbeat()
        self.progress.advance(None)

    def _fault_unclaimed(self, name: str, detail: str) -> None:
        self.summary.retrying.append(("", name, detail))
        log.warning(say(MESSAGES, "log_claim_fault", name=name, detail=detail))


def prepare_layout(layout: Layout, journal: Journal, *, init: bool = False) -> None:
    """Make sure the folder layout is there; raises FolderUnavailable.

    The layout is created only the first time this journal meets the folder (or
    with ``init``): once it has been made, a folder without ``.work`` is a share
    that is not mounted, and building a new layout on the bare mount point would
    hide that.  A new journal for a folder that was used before (lost journal,
    another PC) is rebuilt from the folders, so duplicates are still recognised.
    """
    first = journal.meta("layout") is None and journal.count() == 0
    existed = layout.exists()
    layout.ensure(create=first or init)
    if first:
        if existed:
            rebuild_journal(layout, journal)
        journal.set_meta("layout", str(layout.root))


def run_pass(layout: Layout, journal: Journal, cfg: Config, opts: PassOptions, *,
             scanner: Scanner | None = None, stop: threading.Event | None = None,
             progress: ProgressHook | None = None, heartbeat: Callable[[], None] = lambda: None,
             files: list[Path] | None = None, pool: WorkerPool | None = None) -> PassSummary:
    """Do one pass over the folder.  Raises FolderUnavailable when the folder cannot be used.

    ``files`` replaces the scan of ``inbox/``: exactly these complete files (on the
    drop folder's volume, e.g. uploads staged in ``.work/``) are claimed and processed
    like dropped ones.  The caller must hold the folder's lock.  ``pool`` is a
    :class:`WorkerPool` the caller keeps between passes (made with
    :func:`pass_limits`), so its workers need not start again for every pass.
    """
    return _Pass(layout, journal, cfg, opts, scanner, stop, progress or Progress(), heartbeat, files,
                 pool).run()


def pass_limits(cfg: Config, opts: PassOptions) -> Limits:
    """The limits a pass's workers read under: ``[limits]``, with the pass's time and memory."""
    return replace(cfg.limits, submission_seconds=opts.timeout, worker_memory_mb=opts.memory_mb)


def find_finished(layout: Layout, sid: str) -> tuple[Path | None, str | None]:
    """The finished folder of submission ``sid`` and its outcome, looked up in the folders."""
    for pattern in (f"*/*/{sid}_*", f"{sid}_*"):
        for base in ((layout.done,) if pattern.startswith("*") else (layout.error, layout.duplicate)):
            for folder in sorted(base.glob(pattern)):
                try:
                    record = read_json(folder / SUBMISSION_JSON)
                except (OSError, ValueError):
                    continue
                if record.get("id") == sid and record.get("status") in FINAL_STATE:
                    return folder, record["status"]
    return None, None


def rebuild_journal(layout: Layout, journal: Journal) -> int:
    """Enter finished submissions found in the folders into an empty journal.

    Used when the journal was lost or the folder is run from another PC: the
    ``submission.json`` in each folder carries the id, SHA-256 and outcome, so
    duplicates are still recognised.
    """
    n = 0
    places = [(layout.done, 3, "done"), (layout.error, 1, "error"), (layout.duplicate, 1, "duplicate")]
    for base, depth, state in places:
        if not base.is_dir():
            continue
        for record_path in sorted(base.glob("/".join(["*"] * depth) + "/" + SUBMISSION_JSON)):
            try:
                record = read_json(record_path)
            except (OSError, ValueError):
                continue
            journal.adopt_final(record, layout.relative(record_path.parent), state)
            n += 1
    return n
