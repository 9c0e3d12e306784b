"""PDFs of the drafts, converted in batches: LibreOffice costs ~0.8 s to start and
~0.12 s per document, so one start per batch instead of one per document.

The drafts of many submissions share names (「株式会社X_包括連携協定書.docx」
twice from the same partner), and LibreOffice names its output after the input,
so the drafts are copied to a local staging folder under unique names first
(also faster than converting over the share), converted there, and each PDF is
then put next to its .docx through the one publish helper (:mod:`kyotei_docs.publish`).

A conversion failure is an infrastructure fault (LibreOffice crashed, hung or is
missing a font), never the submission's: the caller retries it with back-off.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..publish import copy_new


@dataclass
class PdfJob:
    sid: str
    folder: Path
    drafts: list[str]  # .docx names inside folder
    original: str


@dataclass
class PdfOutcome:
    pdfs: list[str] = field(default_factory=list)
    error: str | None = None
    #: not made yet: the submission is filed with its .docx drafts and the PDFs follow (``inbox/later.py``)
    later: bool = False


Converter = Callable[[list[Path], Path], dict[Path, Path]]


def converter() -> Converter | None:
    """The batch converter (:func:`kyotei_docs.render.pdf_batch`), or None without LibreOffice."""
    from ..office import soffice_available

    if not soffice_available():
        return None
    from ..render import pdf_batch

    return pdf_batch


def convert_jobs(jobs: list[PdfJob], convert: Converter) -> dict[str, PdfOutcome]:
    """Convert every job's drafts in one LibreOffice run; one outcome per submission."""
    outcomes = {job.sid: PdfOutcome() for job in jobs}
    stage = Path(tempfile.mkdtemp(prefix="kyotei-pdf-"))
    try:
        src_of: dict[Path, tuple[PdfJob, str]] = {}
        (stage / "in").mkdir()
        for n, job in enumerate(jobs):
            for name in job.drafts:
                if not name.lower().endswith(".docx"):
                    continue
                staged = stage / "in" / f"{n:04d}_{len(src_of):04d}.docx"
                try:
                    shutil.copyfile(job.folder / name, staged)
                except OSError as exc:
                    outcomes[job.sid].error = f"{type(exc).__name__}: {exc.strerror or exc}"
                    continue
                src_of[staged] = (job, name)
        if not src_of:
            return outcomes
        try:
            made = convert(list(src_of), stage / "out")
        except Exception as exc:  # LibreOffice missing, crashed, timed out: retry later
            for job in jobs:
                outcomes[job.sid].error = outcomes[job.sid].error or _detail(exc)
            return outcomes
        for staged, (job, name) in src_of.items():
            outcome = outcomes[job.sid]
            pdf = made.get(staged)
            if pdf is None or not Path(pdf).is_file():
                reason = (getattr(made, "failures", None) or {}).get(staged) or "LibreOffice produced no PDF"
                outcome.error = outcome.error or str(reason)
                continue
            target = pdf_name(name, job.original)
            try:  # a PDF of an earlier, interrupted attempt is ours to replace
                copy_new(Path(pdf), job.folder / target, replace=True)
            except OSError as exc:
                outcome.error = outcome.error or f"{type(exc).__name__}: {exc.strerror or exc}"
                continue
            outcome.pdfs.append(target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return outcomes


def is_form3(name: str) -> bool:
    """A Form 3 (homepage announcement) draft, by the name the renderer gives it."""
    from ..render.naming import LABEL_FORM3

    return LABEL_FORM3 in name


def convert_stating_size(jobs: list[PdfJob], convert: Converter,
                         restate: Callable[[PdfJob, Path, list[Path]], None]) -> dict[str, PdfOutcome]:
    """Convert the agreements (Form 2) first, let ``restate(job, form2_pdf, form3_drafts)`` write each
    announcement again with that PDF's size, then convert the announcements (Form 3).

    Two LibreOffice runs per batch instead of one, so that Form 3 (.docx, .html
    and .pdf) states 「（PDF形式，NNキロバイト）」 like ``kyotei render --pdf`` does.
    A failed restatement leaves the announcement as it was (a blank size).
    """
    first = [PdfJob(j.sid, j.folder, [n for n in j.drafts if not is_form3(n)], j.original) for j in jobs]
    out = convert_jobs(first, convert)
    for job in jobs:
        made = out[job.sid]
        form3 = [job.folder / n for n in job.drafts if is_form3(n) and n.lower().endswith((".docx", ".html"))]
        if made.error or not made.pdfs or not form3:
            continue
        try:
            restate(job, job.folder / made.pdfs[0], form3)
        except Exception:  # noqa: BLE001 - the announcement keeps its blank size; the pass goes on
            continue
    second = [PdfJob(j.sid, j.folder, [n for n in j.drafts if is_form3(n)], j.original) for j in jobs]
    for sid, outcome in convert_jobs(second, convert).items():
        out[sid].pdfs += outcome.pdfs
        out[sid].error = out[sid].error or outcome.error
    return out


def pdf_name(docx_name: str, original: str) -> str:
    """``X.pdf`` for ``X.docx``, unless that would replace the submitted original."""
    name = docx_name[:-5] + ".pdf"
    if name.lower() == original.lower():
        from ..safenames import safe_filename

        name = safe_filename("下書き_" + name, max_bytes=200)
    return name


def _detail(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {message}"
