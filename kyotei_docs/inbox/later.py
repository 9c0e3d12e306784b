"""The drafts' PDFs of a submission already filed in ``done/``, made after it (the screen's uploads).

Why: LibreOffice takes seconds to make the PDFs, and a person who uploads one
Form 1 on the screen waits for the report.  So an upload's pass files the
submission with its .docx drafts (``PassOptions.pdf_later``: its
``submission.json`` says ``"pdf_later": true`` and ``report.html`` says the
PDFs follow), the report is shown at once, and the server then makes them:
:func:`stage_later` for each folder waiting, :func:`convert_later` for those
together (one LibreOffice batch, as the drop folder converts), :func:`publish_later`
for each (:func:`make_later_pdfs` does the three for one folder).

There is one way of making the drafts' PDFs: this is the drop folder's own step
(:func:`kyotei_docs.inbox.pdf.convert_stating_size` over the batch converter,
under the LibreOffice runner's timeout and memory cap — agreements first, then
Form 3 written again stating that PDF's size, then Form 3), only run on a copy
of the drafts in a private folder under ``.work/`` carrying the temporary mark.
So ``done/`` never holds a half-made PDF or a half-restated announcement: the
finished files enter the submission's folder by rename, then ``submission.json``
and ``report.html`` are written again (:func:`kyotei_docs.inbox.finish.rewrite_finished`,
atomic).  Until then the .docx drafts in ``done/`` are complete and usable.

A conversion that fails ends with ``pdf_error`` in ``submission.json`` (the
report says so, the .docx drafts stay); a stop before the end leaves the
folder as it was, still ``pdf_later``, so the next look at its page makes them.
A process killed outright leaves its private folder in ``.work/`` (never in
``done/``); the next job removes it once it is an hour old.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config
from ..i18n import say
from ..publish import copy_new
from .claim import CHECK_JSON, SUBMISSION_JSON
from .finish import PDF_LATER, rewrite_finished
from .fsutil import TMP_MARK, is_tmp, read_json
from .layout import Layout
from .pdf import Converter, PdfJob, PdfOutcome, convert_stating_size, converter

__all__ = ["PDF_LATER", "Later", "convert_later", "discard", "make_later_pdfs", "pdf_later", "publish_later",
           "remove_stale_stages", "stage_later"]

#: the private folders under ``.work/`` (with the temporary mark, so recovery never takes them for submissions)
STAGE_PREFIX = "pdf-"
#: a private folder untouched this long belongs to a job that was killed
STALE_SECONDS = 3600.0


def pdf_later(folder: Path) -> bool:
    """Whether the finished submission in ``folder`` still waits for its drafts' PDFs."""
    try:
        record = read_json(folder / SUBMISSION_JSON)
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and bool(record.get(PDF_LATER))


@dataclass
class Later:
    """One submission whose PDFs are being made: its folder, its records and its private copy."""

    folder: Path
    sid: str
    original: str
    drafts: list[str]
    check: dict[str, Any]
    stage: Path
    restated: list[str] = field(default_factory=list)  # Form 3 drafts written again in ``stage``
    outcome: PdfOutcome | None = None


def stage_later(layout: Layout, folder: Path) -> Later | None:
    """Copy the drafts of the submission in ``folder`` to a private folder under ``.work/``.

    None when nothing is due (its PDFs were made meanwhile).  Raises ``OSError``
    (or ``ValueError`` for a damaged record) when the folder cannot be read; nothing is
    left behind then.
    """
    record = read_json(folder / SUBMISSION_JSON)
    if not record.get(PDF_LATER):
        return None
    drafts = [n for n in record.get("drafts") or [] if isinstance(n, str) and "/" not in n and "\\" not in n
              and (folder / n).is_file()]
    check = read_json(folder / CHECK_JSON)
    remove_stale_stages(layout)
    stage = layout.work / f"{STAGE_PREFIX}{secrets.token_hex(6)}{TMP_MARK}"
    stage.mkdir()
    try:
        for name in drafts:
            shutil.copyfile(folder / name, stage / name)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return Later(folder, str(record.get("id", "")), str(record.get("original", "")), drafts, check, stage)


def convert_later(jobs: list[Later], cfg: Config, convert: Converter | None = None) -> None:
    """Make the PDFs of ``jobs`` in their private folders, in one batch (LibreOffice starts twice for
    the batch, not for each submission); each job's ``outcome`` says what was made or why not."""
    from ..proposal import Proposal
    from ..render import restate_form3

    if not jobs:
        return
    convert = convert or converter()
    if convert is None:
        from ..office import OfficeUnavailable

        for job in jobs:
            job.outcome = PdfOutcome(error=OfficeUnavailable().message)
        return
    by_key = {str(n): job for n, job in enumerate(jobs)}  # keys of their own: the ids are not ours to trust

    def restate(pdf_job: PdfJob, form2_pdf: Path, form3: list[Path]) -> None:
        job = by_key[pdf_job.sid]
        restate_form3(Proposal.from_json(job.check.get("proposal") or {}), cfg, form2_pdf, form3)
        job.restated.extend(p.name for p in form3)

    outcomes = convert_stating_size([PdfJob(key, job.stage, job.drafts, job.original) for key, job in by_key.items()],
                                    convert, restate)
    for key, job in by_key.items():
        job.outcome = outcomes[key]


def publish_later(job: Later, commit: AbstractContextManager[Any] | None = None,
                  stopping: Callable[[], bool] = lambda: False) -> bool:
    """Put the job's files into its submission's folder and write its records again; False if stopping.

    ``commit`` is held meanwhile (the server's lock on drop-folder passes, so no
    pass rewrites the same ``submission.json`` at the same time).  Raises ``OSError``
    when the folder cannot be written.
    """
    outcome = job.outcome or PdfOutcome()
    with commit or contextlib.nullcontext():
        if stopping():
            return False
        for name in job.restated:
            _move_in(job.stage / name, job.folder / name)
        placed = [_move_in(job.stage / name, job.folder / name).name for name in outcome.pdfs]
        rewrite_finished(job.folder, lambda r: _joined(r, placed, outcome.error, bool(job.restated)), job.check)
    return True


def discard(job: Later) -> None:
    """Remove the job's private folder (whatever it still holds was not published)."""
    shutil.rmtree(job.stage, ignore_errors=True)


def make_later_pdfs(layout: Layout, folder: Path, cfg: Config, *, convert: Converter | None = None,
                    commit: AbstractContextManager[Any] | None = None,
                    stopping: Callable[[], bool] = lambda: False) -> PdfOutcome | None:
    """Make the PDFs of the finished submission in ``folder``; what was made, or None if nothing was
    due or ``stopping()`` became true before they were published (the folder is then untouched and
    still waiting).  Raises ``OSError`` when the folder cannot be read or written."""
    job = stage_later(layout, folder)
    if job is None:
        return None
    try:
        convert_later([job], cfg, convert)
        return job.outcome if publish_later(job, commit, stopping) else None
    finally:
        discard(job)


def remove_stale_stages(layout: Layout, older_than: float = STALE_SECONDS) -> int:
    """Remove the private folders of jobs killed half-way (SIGKILL, power cut): ours by name, and
    untouched for longer than any conversion may take (LibreOffice's timeout is minutes)."""
    removed, now = 0, time.time()
    try:
        entries = list(os.scandir(layout.work))
    except OSError:
        return 0
    for entry in entries:
        if not (entry.name.startswith(STAGE_PREFIX) and is_tmp(entry.name)):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed += 1
    return removed


def _joined(record: dict[str, Any], pdfs: list[str], error: str | None, restated: bool) -> None:
    """``submission.json`` once the PDFs are made: listed with the drafts, or why they are missing."""
    from ..render.messages import MESSAGES as RENDER_MESSAGES

    record.pop(PDF_LATER, None)
    drafts = list(record.get("drafts") or [])
    record["drafts"] = drafts + [p for p in pdfs if p not in drafts]
    record["pdf_error"] = error
    if error:
        record["notes"] = list(record.get("notes") or []) + [f"pdf: {error}"]
    if restated:  # Form 3 now states the PDF's size: the drafts' note that it is blank no longer holds
        stale = say(RENDER_MESSAGES, "pdf_size_unknown")
        record["render_warnings"] = [w for w in record.get("render_warnings") or [] if w != stale]


def _move_in(source: Path, target: Path) -> Path:
    """Our own finished file into the submission's folder in one step (replacing our own earlier draft)."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        copy_new(source, target, replace=True)  # another volume: written beside it, then renamed
    return target
