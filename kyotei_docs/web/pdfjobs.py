"""The drafts' PDFs of uploaded submissions, made in the background of the server, one at a time.

Why: the upload's pass files a submission with its .docx drafts and the report
is shown at once; LibreOffice's seconds are spent here afterwards, by
:func:`kyotei_docs.inbox.later.make_later_pdfs` (the drop folder's own PDF
step, under the same LibreOffice runner and limits).  One thread, one job at a
time: a second LibreOffice beside the first would only share the same two cores.
The folders queued meanwhile (several files in one upload, uploads in a row) are
converted together, up to ``[inbox] pdf_batch_size``, as the drop folder does:
LibreOffice's start-up is paid per batch, not per submission.

The pages ask :meth:`PdfJobs.status` for a submission folder: 作成中 while it is
queued or being made, the reason when it failed.  A folder still waiting for its
PDFs that this server does not know of (the server was stopped half-way) is
queued again when its page is looked at, so nothing waits for ever; a failure is
not retried by itself (the page says it, the case page makes PDFs on request).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import set_lang

log = logging.getLogger("kyotei.web")


@dataclass(frozen=True)
class PdfStatus:
    """What a page says of a submission's PDFs: ``making`` (queued or under way) or ``failed``."""

    state: str
    detail: str = ""

    @property
    def making(self) -> bool:
        return self.state == "making"


class PdfJobs:
    """A queue of submission folders and the one thread that makes their PDFs."""

    def __init__(self, layout: Any, cfg: Any, lang: str, commit: contextlib.AbstractContextManager[Any],
                 workload: Any = None) -> None:
        self.layout = layout
        self.workload = workload  # the server's one queue for heavy work: a batch takes a slot
        self.cfg = cfg
        self.lang = lang
        self.commit = commit  # held while files enter done/ (the server's lock on passes)
        self._queue: deque[Path] = deque()
        self._known: set[str] = set()  # queued or under way
        self._failed: dict[str, str] = {}  # this server could not finish them (share gone, …)
        self._cond = threading.Condition()
        self._paused = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ queue

    def add(self, folder: Path) -> None:
        """Queue ``folder`` (a submission in ``done/``) unless it is queued or under way already."""
        key = _key(folder)
        with self._cond:
            if key in self._known or self._stop.is_set():
                return
            self._known.add(key)
            self._failed.pop(key, None)
            self._queue.append(Path(folder))
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="kyotei-pdf", daemon=True)
                self._thread.start()
                atexit.register(self.close)
            self._cond.notify_all()

    def status(self, folder: Path | str | None) -> PdfStatus | None:
        """The PDFs of the submission in ``folder``: being made, failed, or None (made, or none due)."""
        from ..inbox.claim import SUBMISSION_JSON
        from ..inbox.fsutil import read_json
        from ..inbox.later import PDF_LATER

        if not folder:
            return None
        folder = Path(folder)
        key = _key(folder)
        with self._cond:
            if key in self._known:
                return PdfStatus("making")
            failed = self._failed.get(key)
        if failed is not None:
            return PdfStatus("failed", failed)
        try:
            record = read_json(folder / SUBMISSION_JSON)
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict):
            return None
        if record.get(PDF_LATER):
            if not self._inside(folder):
                return None
            self.add(folder)  # left waiting by a server that stopped half-way: made now
            return PdfStatus("making")
        if record.get("pdf_error"):
            return PdfStatus("failed", str(record["pdf_error"]))
        return None

    def _inside(self, folder: Path) -> bool:
        try:
            return folder.resolve().is_relative_to(self.layout.done.resolve())
        except OSError:
            return False

    # ------------------------------------------------------------------ control

    def pause(self) -> None:
        """Hold the queue (tests and the benchmark look at a page before any PDF exists)."""
        with self._cond:
            self._paused = True

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or under way; False if ``timeout`` seconds passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._known, timeout)

    def close(self, wait: float = 0.0) -> None:
        """Stop taking jobs; a job under way does not publish (its folder keeps waiting, intact).

        With ``wait`` (the server's stop), LibreOffice is ended too (``office.stop_all``) and the
        thread is given up to ``wait`` seconds to remove its private copy in ``.work/``.
        """
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        # a job publishing holds the commit lock for a moment: let it end, so no half-written
        # record is left in done/
        with self.commit:
            pass
        if wait and self._thread is not None:
            from ..office import stop_all

            stop_all()
            self._thread.join(wait)

    # ------------------------------------------------------------------ the thread

    def _work(self) -> None:
        set_lang(self.lang)
        batch = max(1, self.cfg.inbox.pdf_batch_size)
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stop.is_set() or (self._queue and not self._paused))
                if self._stop.is_set():
                    return
                folders = [self._queue.popleft() for _ in range(min(batch, len(self._queue)))]
            try:
                if self.workload is None:
                    self._make(folders)
                elif self.workload.acquire_until(self._stop.is_set):
                    try:
                        self.workload.office()
                        self._make(folders)
                    finally:
                        self.workload.release()
            finally:
                with self._cond:
                    for folder in folders:
                        self._known.discard(_key(folder))
                    self._cond.notify_all()

    def _make(self, folders: list[Path]) -> None:
        """The PDFs of ``folders`` in one LibreOffice batch; a folder's trouble is its own."""
        from ..inbox.later import convert_later, discard, publish_later, stage_later

        jobs = []
        for folder in folders:
            try:
                job = stage_later(self.layout, folder)
            except Exception as exc:  # noqa: BLE001 - the share, the disk: said on the page
                self._fail(folder, exc)
                continue
            if job is not None:
                jobs.append(job)
        try:
            try:
                convert_later(jobs, self.cfg)
            except Exception as exc:  # noqa: BLE001 - never a dead thread; each page says why
                for job in jobs:
                    self._fail(job.folder, exc)
                return
            for job in jobs:
                try:
                    publish_later(job, self.commit, self._stop.is_set)
                except Exception as exc:  # noqa: BLE001
                    self._fail(job.folder, exc)
        finally:
            for job in jobs:
                discard(job)

    def _fail(self, folder: Path, exc: BaseException) -> None:
        detail = f"{type(exc).__name__}: {getattr(exc, 'message', None) or getattr(exc, 'strerror', None) or exc}"
        log.warning("PDF: %s (%s)", folder, detail)
        with self._cond:
            self._failed[_key(folder)] = detail


def _key(folder: Path | str) -> str:
    return str(Path(folder).resolve())
