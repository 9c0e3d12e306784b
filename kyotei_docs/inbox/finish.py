"""Finishing a submission: the staff's files, the final ``submission.json``, and one move.

Everything is written inside ``.work/<id>/`` first (each file via a temporary
name); only then is the whole folder renamed to its place under ``done/``,
``error/`` or ``duplicate/``.  A directory rename is atomic on one volume, so
staff never see a half-finished folder, and the journal records the chosen
destination *before* the move, so a crash between the two is recognised on
restart (folder already there → just record it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..i18n import Catalog, get_lang, say
from .casenote import CaseNote
from .claim import CHECK_JSON, DUPLICATE_NOTE, NEEDS_FIX, REASON, REPORT_HTML, SUBMISSION_JSON, Claimed
from .fsutil import atomic_write_json, atomic_write_text, fsync_dir, read_json, remove_tmp
from .journal import Journal, Row
from .layout import Layout, unique
from .pdf import PdfOutcome
from .report import ReportInput, report_html
from .results import Read

MESSAGES: Catalog = {
    "status_valid": ("受付可", "acceptable"),
    "status_invalid": ("要修正", "needs correction"),
    "status_unreadable": ("読込不可", "unreadable"),
    "status_failed": ("処理不能", "could not be processed"),
    "status_duplicate": ("重複", "duplicate"),
    "status_review": ("要確認", "to review"),
    "needs_fix": (
        "この提案書（様式１）には記入の不備があります（{n}件）。\n"
        "\n受付番号: {sid}\n企業等名称: {company}\n提出ファイル: {original}\n\n不備:\n{errors}\n\n"
        "次にすること: report.html を開いて内容を確認し、提案者（{contact}）に\n"
        "不備を伝えて、修正した様式１を再提出してもらってください。\n"
        "再提出されたファイルは、いつもどおり inbox フォルダに置いてください。\n",
        "This proposal (Form 1) needs correcting ({n} problems).\n"
        "\nSubmission id: {sid}\nOrganisation: {company}\nSubmitted file: {original}\n\nProblems:\n{errors}\n\n"
        "Next: open report.html, tell the proposer ({contact}) what to correct and ask for a corrected Form 1.\n"
        "Put the corrected file into the inbox folder as usual.\n"),
    "unreadable": (
        "このファイルは読み込めなかったため、処理していません。\n"
        "\n提出ファイル: {original}\n受付番号: {sid}\n受付日時: {received}\n\n理由: {reason}\n\n"
        "次にすること: 提出者にファイルの送り直しを依頼してください。\n"
        "届いたファイルは inbox フォルダに置いてください。このフォルダは確認後に削除してかまいません。\n",
        "This file could not be read and was not processed.\n"
        "\nSubmitted file: {original}\nSubmission id: {sid}\nReceived: {received}\n\nReason: {reason}\n\n"
        "Next: ask the sender for the file again and put it into the inbox folder.\n"
        "You may delete this folder once checked.\n"),
    "failed": (
        "このファイルの処理中に予期しないエラーが {attempts} 回続いたため、処理を中止しました。\n"
        "ファイルはこのフォルダに保管しています。\n"
        "\n提出ファイル: {original}\n受付番号: {sid}\n受付日時: {received}\n\n詳細: {detail}\n\n"
        "次にすること: システム担当者に連絡してください（受付番号を伝えてください）。\n"
        "内容はファイルを開いて直接確認できます。\n",
        "Processing this file failed unexpectedly {attempts} times, so it was stopped.\n"
        "The file is kept in this folder.\n"
        "\nSubmitted file: {original}\nSubmission id: {sid}\nReceived: {received}\n\nDetail: {detail}\n\n"
        "Next: contact your system administrator with the submission id.\n"),
    "duplicate": (
        "このファイルは、以前に受け付けたファイルと内容が全く同じ（SHA-256 が一致）ため、処理していません。\n"
        "\n提出ファイル: {original}\n受付番号: {sid}\n受付日時: {received}\n\n"
        "最初の受付: {first_id}（{first_received}、ファイル名 {first_name}）\n結果の場所: {first_dest}\n\n"
        "次にすること: 通常は対応不要です（同じファイルが二重に置かれたものです）。\n"
        "確認後、このフォルダは削除してかまいません。\n",
        "This file is byte-for-byte identical (same SHA-256) to one received before, so it was not processed.\n"
        "\nSubmitted file: {original}\nSubmission id: {sid}\nReceived: {received}\n\n"
        "First received: {first_id} ({first_received}, file {first_name})\nResults: {first_dest}\n\n"
        "Next: usually nothing (the same file was dropped twice). You may delete this folder.\n"),
    "in_progress": ("（処理中）", "(being processed)"),
    "none": ("（記入なし）", "(not given)"),
}

#: ``submission.json`` of a submission whose PDFs are still to be made (``inbox/later.py``)
PDF_LATER = "pdf_later"

STATUS_LABEL = {"valid": "status_valid", "invalid": "status_invalid", "unreadable": "status_unreadable",
                "failed": "status_failed", "duplicate": "status_duplicate"}
FINAL_STATE = {"valid": "done", "invalid": "done", "unreadable": "error", "failed": "error",
               "duplicate": "duplicate"}


@dataclass
class Sub:
    """A submission as the parent process sees it during a pass."""

    claimed: Claimed
    sha256: str | None = None
    result: Read | None = None  # what the worker read (None after a restart: check.json holds it)
    pdf: PdfOutcome | None = None
    attempts: int = 0

    @property
    def sid(self) -> str:
        return self.claimed.sid


@dataclass
class Finished:
    sid: str
    outcome: str  # valid, invalid, unreadable, failed, duplicate
    dest: Path
    name: str
    company: str | None = None
    detail: str | None = None
    notes: list[str] = field(default_factory=list)
    #: the case the registry put it in (valid and invalid submissions, once recorded)
    case: CaseNote | None = None
    #: review items (要確認): what the reader was unsure of, for a person to compare with the original
    review: int = 0
    #: filed with its .docx drafts; the PDFs are made afterwards (``inbox/later.py``)
    pdf_later: bool = False

    @property
    def to_review(self) -> bool:
        """Valid as read, but the reader was unsure of something: not simply 受付可."""
        return self.outcome == "valid" and self.review > 0

    @property
    def label(self) -> str:
        """The outcome in staff's words (受付可, 要確認, 要修正, 読込不可 …), for the log and the console."""
        if self.to_review:
            return say(MESSAGES, "status_review")
        key = STATUS_LABEL.get(self.outcome)
        return say(MESSAGES, key) if key else self.outcome


def _received(c: Claimed) -> str:
    return c.received.strftime("%Y-%m-%d %H:%M:%S")


def _record(journal: Journal, sub: Sub, outcome: str, **extra: Any) -> dict[str, Any]:
    c = sub.claimed
    record = {"id": c.sid, "original": c.original, "dropped_as": c.dropped_as,
              "received_at": c.received.isoformat(timespec="seconds"), "size": c.size, "sha256": sub.sha256,
              "status": outcome, "status_label": say(MESSAGES, STATUS_LABEL[outcome]),
              "finished_at": journal.stamp()}  # the city's offset, like received_at
    record.update(extra)
    return record


def finish_checked(layout: Layout, journal: Journal, sub: Sub, *, registry: bool = False) -> Finished:
    """A submission that was read: ``done/YYYY/MM/<id>_<company>/``.

    ``registry=True`` marks it ``pending`` for the registry before it moves, so a
    pass killed between the move and the recording (or while the case is being
    named in the folder) records and names it on the next pass.
    """
    c, res = sub.claimed, sub.result
    check = res.check if res is not None else read_json(c.folder / CHECK_JSON)
    valid = bool(check.get("valid"))
    outcome = "valid" if valid else "invalid"
    company = (check.get("proposal") or {}).get("organization", {}).get("name")
    pdf = sub.pdf
    render_error = res.render_error if res is not None else None
    drafts = list(res.drafts if res is not None else ()) + (pdf.pdfs if pdf else [])
    render_warnings = list(res.render_warnings if res is not None else ())
    later = bool(pdf and pdf.later)
    report = ReportInput(sid=c.sid, received=_received(c), original=c.original, sha256=sub.sha256, check=check,
                         drafts=drafts, render_error=render_error, render_warnings=render_warnings,
                         pdf_error=pdf.error if pdf else None, pdf_later=later)
    atomic_write_text(c.folder / REPORT_HTML, report_html(report))
    notes: list[str] = []
    if not valid:
        atomic_write_text(c.folder / NEEDS_FIX, _needs_fix_text(c, check, company), staff=True)
    if render_error:
        notes.append(f"render: {render_error}")
    if pdf and pdf.error:
        notes.append(f"pdf: {pdf.error}")
    record = _record(journal, sub, outcome, company=company, routing=check.get("routing"),
                     errors=len(check.get("errors") or []), warnings=len(check.get("warnings") or []),
                     review=len(check.get("review") or []),
                     drafts=drafts, notes=notes, render_error=render_error, render_warnings=render_warnings,
                     pdf_error=report.pdf_error)
    if later:
        record[PDF_LATER] = True
    dest = layout.done_dir(c.sid, company, c.received)
    finished = _move(layout, journal, sub, outcome, dest, record, company=company, notes=notes,
                     registry="pending" if registry else None)
    finished.review = record["review"]
    finished.pdf_later = later
    return finished


def finish_unreadable(layout: Layout, journal: Journal, sub: Sub, code: str, message: str) -> Finished:
    c = sub.claimed
    text = say(MESSAGES, "unreadable", original=c.dropped_as, sid=c.sid, received=_received(c), reason=message)
    atomic_write_text(c.folder / REASON, text, staff=True)
    record = _record(journal, sub, "unreadable", reason={"code": code, "message": message})
    return _move(layout, journal, sub, "unreadable", layout.error_dir(c.sid, c.original), record, detail=message)


def finish_failed(layout: Layout, journal: Journal, sub: Sub, detail: str, attempts: int) -> Finished:
    c = sub.claimed
    text = say(MESSAGES, "failed", original=c.dropped_as, sid=c.sid, received=_received(c), detail=detail,
               attempts=attempts)
    atomic_write_text(c.folder / REASON, text, staff=True)
    record = _record(journal, sub, "failed", reason={"code": "failed", "message": detail})
    return _move(layout, journal, sub, "failed", layout.error_dir(c.sid, c.original), record, detail=detail)


def finish_duplicate(layout: Layout, journal: Journal, sub: Sub, first: Row) -> Finished:
    c = sub.claimed
    first_dest = first.dest if first.dest else say(MESSAGES, "in_progress")
    text = say(MESSAGES, "duplicate", original=c.dropped_as, sid=c.sid, received=_received(c), first_id=first.id,
               first_received=first.received.strftime("%Y-%m-%d %H:%M:%S"), first_name=first.name,
               first_dest=first_dest)
    atomic_write_text(c.folder / DUPLICATE_NOTE, text, staff=True)
    record = _record(journal, sub, "duplicate", duplicate_of={"id": first.id, "folder": first.dest})
    return _move(layout, journal, sub, "duplicate", layout.duplicate_dir(c.sid, c.original), record,
                 duplicate_of=first.id)


def _move(layout: Layout, journal: Journal, sub: Sub, outcome: str, dest: Path, record: dict[str, Any],
          *, company: str | None = None, detail: str | None = None, notes: list[str] | None = None,
          duplicate_of: str | None = None, registry: str | None = None) -> Finished:
    c = sub.claimed
    remove_tmp(c.folder)  # a write killed in an earlier run must not travel into done/ or error/
    atomic_write_json(c.folder / SUBMISSION_JSON, record, durable=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest = unique(dest)
    rel = layout.relative(dest)
    journal.update(c.sid, "finishing", rel, state="finishing", outcome=outcome, company=company, dest=rel,
                   duplicate_of=duplicate_of, sha256=sub.sha256, registry=registry, review=record.get("review"))
    os.rename(c.folder, dest)
    fsync_dir(dest.parent)
    final = FINAL_STATE[outcome]
    journal.update(c.sid, final, rel, state=final, next_try=None)
    return Finished(c.sid, outcome, dest, c.dropped_as, company, detail, notes or [])


def _needs_fix_text(c: Claimed, check: dict[str, Any], company: str | None) -> str:
    errors = "\n".join(f" - {f.get('message', '')}" for f in check.get("errors") or [])
    contact = (check.get("proposal") or {}).get("contact") or {}
    sep = "、" if get_lang() == "ja" else ", "
    who = sep.join(str(contact[k]) for k in ("department", "name", "phone", "email") if contact.get(k))
    none = say(MESSAGES, "none")
    return say(MESSAGES, "needs_fix", n=len(check.get("errors") or []), sid=c.sid, company=company or none,
               original=c.dropped_as, errors=errors, contact=who or none)


# ------------------------------------------------------------------- registry


def registry_api() -> Callable[..., object]:
    """The registry's hook (a function, so that tests can stand in for the registry)."""
    from ..registry import record_submission

    return record_submission


def check_result_from_json(data: dict[str, Any]):
    """Rebuild a CheckResult from ``check.json`` (what the worker wrote)."""
    from ..pipeline import CheckResult
    from ..proposal import Proposal
    from ..routing import Routing
    from ..rules import Finding

    def findings(items: list[dict], severity: str) -> list[Finding]:
        return [Finding(f.get("code", ""), f.get("field", ""), f.get("message", ""), severity,
                        f["params"] if isinstance(f.get("params"), dict) else None) for f in items]

    routing = data.get("routing")
    return CheckResult(Proposal.from_json(data.get("proposal") or {}), findings(data.get("errors") or [], "error"),
                       findings(data.get("warnings") or [], "warning"), Routing(**routing) if routing else None,
                       findings(data.get("review") or [], "review"))


@dataclass(frozen=True)
class Recorded:
    """What recording a submission in the registry gave: its case, or why it failed (retried later)."""

    case: CaseNote | None = None
    failure: str | None = None


def record_in_registry(cfg: Any, journal: Journal, layout: Layout, sid: str, sha256: str, folder: Path,
                       check: dict[str, Any] | None = None, actor: str | None = None) -> Recorded:
    """Record a finished submission in the agreement registry, then name its case in the folder.

    A failure never touches the submission (it is already in ``done/``): the
    journal marks it ``pending`` and the next pass tries again.  On success the
    folder's ``submission.json`` and ``report.html`` are written again naming
    the case and the file's role (:func:`name_case`); the same happens when a
    pending submission is recorded on a later pass.
    """
    record = registry_api()
    try:
        data = check if check is not None else read_json(folder / CHECK_JSON)
        result = check_result_from_json(data)
        extra = {"actor": actor} if actor else {}  # who uploaded it on the screen
        registered = record(cfg, result, submission_id=sid, sha256=sha256, folder=folder, **extra)
    except Exception as exc:  # the registry's trouble must not stop the drop folder
        detail = f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"
        journal.update(sid, "registry_failed", detail, registry="pending", last_error=detail)
        return Recorded(failure=detail)
    note = CaseNote.of(registered, getattr(result.proposal, "file", None))
    if note is not None:
        try:
            name_case(folder, note, data)
        except (OSError, ValueError) as exc:  # the case is recorded; only the folder's mention of it is missing
            journal.update(sid, "case_note_failed", f"{type(exc).__name__}: {exc}")
    # only now: a pass killed before this point (the row is still pending) records again and names the case
    journal.update(sid, "registered", None, registry="done")
    return Recorded(case=note)


def name_case(folder: Path, note: CaseNote, check: dict[str, Any] | None = None) -> None:
    """Write ``submission.json`` and ``report.html`` of a finished folder again, naming the case."""
    rewrite_finished(folder, lambda record: record.__setitem__("case", note.to_json()), check)


def rewrite_finished(folder: Path, change: Callable[[dict[str, Any]], None],
                     check: dict[str, Any] | None = None) -> dict[str, Any]:
    """``change`` the ``submission.json`` of a finished folder, then write it and ``report.html`` again.

    Both are rebuilt from what the folder holds (``submission.json`` keeps the
    report's inputs, ``check.json`` the check), each replaced atomically, so a
    reader sees the old or the new file, never half of one.  Used when the case
    is named (:func:`name_case`) and when PDFs made later join the drafts.
    """
    remove_tmp(folder)  # what a rewrite killed half-way left behind
    record = read_json(folder / SUBMISSION_JSON)
    change(record)
    if check is None:
        check = read_json(folder / CHECK_JSON)
    received = record.get("received_at") or ""
    try:
        received = datetime.fromisoformat(received).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        pass
    report = ReportInput(sid=str(record.get("id", "")), received=received, original=str(record.get("original", "")),
                         sha256=record.get("sha256"), check=check, drafts=list(record.get("drafts") or []),
                         render_error=record.get("render_error"),
                         render_warnings=list(record.get("render_warnings") or []),
                         pdf_error=record.get("pdf_error"), pdf_later=bool(record.get(PDF_LATER)),
                         case=CaseNote.from_json(record.get("case")))
    atomic_write_text(folder / REPORT_HTML, report_html(report))
    atomic_write_json(folder / SUBMISSION_JSON, record, durable=True)
    return record
