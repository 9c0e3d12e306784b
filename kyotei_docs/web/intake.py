"""受付: Form 1 files uploaded in the browser go through the drop folder's own processing.

Thin: :func:`kyotei_docs.inbox.upload.submit` reads, checks, routes, drafts,
files into ``done/`` and records in the registry exactly as ``kyotei inbox``
does (or hands the files to a running ``kyotei watch``).  The result page is
reached by redirect (reloading it never uploads twice) and finds each file's
outcome by its SHA-256, so it works the same whether the server or the watcher
processed it.  The drafts' PDFs are made afterwards by the server's background
job (``web/pdfjobs.py``), so the report is there before LibreOffice has started;
the result page says 作成中 and refreshes itself until they are in the folder.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from ..cases.verdict import verdict_label
from ..i18n import Catalog, say
from .app import site
from .security import REPORT_CSP, needs_change

bp = Blueprint("intake", __name__)

MESSAGES: Catalog = {
    "title": ("受付（様式１の読み込み）", "Intake (read Form 1)"),
    "intro": ("提案書（様式１）のファイルを選ぶと、受付フォルダと同じ手順で読み取り・確認・回付先の判定・"
              "協定書の下書き作成を行い、受付フォルダの done に保存して案件に登録します。",
              "Choose Form 1 files: each is read, checked, routed and drafted exactly as in the drop folder, "
              "filed under done/ and joined to its case."),
    "files": ("ファイル（.docx・.xlsx・PDF・.doc・.odt・.rtf、スキャンや写真の .jpg・.png・.tif、複数可）",
              "Files (.docx, .xlsx, PDF, .doc, .odt, .rtf, scans and photos .jpg/.png/.tif; several allowed)"),
    "limits": ("1 ファイル {mb} MB まで、一度に {n} ファイルまで。ファイルをここにドラッグしても選べます。",
               "Up to {mb} MB per file and {n} files at a time. You can also drag files onto the field."),
    "submit": ("読み込む", "Read"),
    "read_only": ("受付には「担当」の権限が必要です。", "Intake needs the 担当 (change) role."),
    "no_folder": ("受付フォルダが設定されていません。kyotei serve --inbox フォルダ で起動するか、設定ファイルの "
                  "[web] drop_folder に kyotei watch と同じフォルダを指定してください。",
                  "No drop folder is configured: start with kyotei serve --inbox DIR or set [web] drop_folder "
                  "to the folder kyotei watch uses."),
    "none_chosen": ("ファイルが選ばれていません。", "No file was chosen."),
    "too_many": ("一度に読み込めるのは {n} ファイルまでです。", "At most {n} files at a time."),
    "too_big": ("{name} は大きすぎます（{mb} MB まで）。何も読み込んでいません。",
                "{name} is too large (limit {mb} MB). Nothing was read."),
    "folder_problem": ("受付フォルダを使えません: {detail}", "The drop folder cannot be used: {detail}"),
    "result_title": ("受付結果", "Intake result"),
    "waiting": ("処理中です（受付フォルダの監視が処理しています）。",
                "Being processed (by the drop folder's watcher)."),
    "progress": ("処理が終わるまでお待ちください。終わるとここでお知らせします（画面は勝手に切り替わりません）。"
                 "「更新」を押すと、いつでも最新の状態を表示します。",
                 "Please wait; this line tells you when it is done (the page does not reload by itself). "
                 "Press Refresh to see the latest state at any time."),
    "progress_done": ("処理が終わりました。「更新」を押すと結果を表示します。", "Done: press Refresh to see the result."),
    "refresh": ("更新", "Refresh"),
    "findings": ("確認結果", "Check result"),
    "f_errors": ("不備（提出者に修正を依頼するもの）", "Problems (the applicant corrects them)"),
    "f_warnings": ("注意", "Notes"),
    "f_routing": ("回付先", "Routed to"),
    "f_department": ("担当部局", "Department"),
    "f_flow": ("手続の流れ", "Procedure"),
    "f_notify": ("連絡先", "Tell"),
    "f_drafts": ("作成した下書き", "Drafts"),
    "f_draft_notes": ("下書きの注意", "Notes on the drafts"),
    "f_content": ("記入内容", "What the form says"),
    "f_print": ("印刷用の確認結果（report.html）を開く", "Open the printable report (report.html)"),
    "no_drafts_invalid": ("不備があるため協定書の下書きは作成していません。", "No drafts: the form needs correcting first."),
    "retrying": ("一時的な問題のため再試行を待っています: {detail}", "Waiting to retry after a temporary problem: {detail}"),
    "open_case": ("案件を開く", "Open the case"),
    "case_verdict": ("案件（協定ID {id}）の判定", "The case (ID {id}) is"),
    "case_review": ("原本と照合する項目（案件の画面で「原本と照合済み」にするか、値を訂正します）",
                    "To compare with the original (on the case page: mark as checked, or correct the value)"),
    "report": ("確認結果（report.html と同じもの）", "Check report (the same as report.html)"),
    "reason": ("理由", "Reason"),
    "folder": ("保存先", "Filed in"),
    "another": ("続けて読み込む", "Read more files"),
    "queued": ("処理待ち", "queued"),
    "pdf_making": ("PDFを作成しています。できあがると下書きの一覧に加わります（「更新」で表示）。"
                   "それまでは .docx の下書きを使えます。",
                   "The PDFs are being made; they join the drafts when made (press Refresh). "
                   "Until then the .docx drafts can be used."),
    "pdf_failed": ("PDFを作成できませんでした（{detail}）。.docx の下書きはそのまま使えます。"
                   "PDF は案件の画面の「文書」から作成してダウンロードできます。",
                   "The PDFs could not be made ({detail}). The .docx drafts can be used as they are; "
                   "the case page's Documents make a PDF on request."),
}

_SID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{4}")
_SHA = re.compile(r"[0-9a-f]{64}")


def t(key: str, **params: Any) -> str:
    return say(MESSAGES, key, **params)


def _folder() -> tuple[Any, Path] | None:
    """The drop folder's layout and journal, or None if none is configured."""
    from ..inbox.layout import Layout
    from ..inbox.locations import default_journal_path

    st = site().settings
    if st.drop_folder is None:
        return None
    layout = Layout.at(st.drop_folder)
    return layout, (st.journal or default_journal_path(layout.root))


@bp.route("/intake")
def form(error: str | None = None, status: int = 200) -> Any:
    st = site().settings
    return render_template("intake.html", m=t, error=error, configured=_folder() is not None,
                           mb=st.upload_max_mb, n=st.upload_max_files), status


@bp.route("/intake", methods=["POST"])
@needs_change
def upload() -> Any:
    from ..errors import KyoteiError
    from ..inbox.upload import Upload, submit

    st = site().settings
    where = _folder()
    if where is None:
        return form(t("no_folder"), 409)
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        return form(t("none_chosen"), 400)
    if len(files) > st.upload_max_files:
        return form(t("too_many", n=st.upload_max_files), 413)
    uploads = []
    for f in files:  # werkzeug has spooled each file to disk: measured there, copied in chunks, never read whole
        f.stream.seek(0, 2)
        if f.stream.tell() > st.max_upload_bytes:
            from ..inbox.upload import upload_name

            return form(t("too_big", name=upload_name(f.filename or ""), mb=st.upload_max_mb), 413)
        uploads.append(Upload(f.filename or "", stream=f.stream))
    layout, journal = where
    since = (datetime.now().astimezone() - timedelta(seconds=2)).isoformat(timespec="seconds")
    s = site()
    try:
        with s.workload.slot(), s.passes:  # one heavy job at a time (web/workload.py): 503 when too many wait
            jobs = s.pdf_jobs()  # the drafts' PDFs follow in the background: the report does not wait
            receipts = submit(layout, journal, s.cfg, uploads, actor=g.user.name, pool=s.worker_pool(),
                              pdf_later=jobs.add if jobs is not None else None)
    except KyoteiError as exc:
        return form(t("folder_problem", detail=exc.message), 503)
    except OSError as exc:
        return form(t("folder_problem", detail=f"{type(exc).__name__}: {exc.strerror or exc}"), 503)
    g.receipts = receipts
    # each result is addressed by its submission; a file queued for the watcher has none yet
    return redirect(url_for("intake.result", sid=[r.sid for r in receipts if r.sid],
                            sha=[r.sha256 for r in receipts if not r.sid], since=since), code=303)


@bp.route("/intake/result")
def result() -> Any:
    from ..inbox.finish import MESSAGES as FINISH
    from ..inbox.finish import STATUS_LABEL
    from ..inbox.upload import Receipt, find_by_sha, find_by_sid

    where = _folder()
    if where is None:
        abort(404)
    layout, journal = where
    sids = [s for s in request.args.getlist("sid") if _SID.fullmatch(s)][:50]
    shas = [s for s in request.args.getlist("sha") if _SHA.fullmatch(s)][:50]
    since = request.args.get("since", "")[:40]

    def lookup() -> list[tuple[str, Receipt | None]]:
        return ([(sid, find_by_sid(layout, journal, sid)) for sid in sids]
                + [(sha, find_by_sha(layout, journal, sha, since)) for sha in shas])

    looked = lookup()
    if any(found is None for _, found in looked):
        _process_waiting(layout, journal)
        looked = lookup()
    items = []
    pending = making = False
    jobs = site().pdf_jobs()
    with site().registry() as reg:
        for key, found in looked:
            if found is None:
                pending = True
                items.append({"sha": key, "pending": True})
                continue
            case = _case_of(reg, found)
            reason = ""
            if found.dest is not None and found.outcome in ("unreadable", "failed", "duplicate"):
                reason = _note(found.dest)
            pdf = jobs.status(found.dest) if jobs is not None and found.outcome == "valid" else None
            making = making or bool(pdf and pdf.making)
            outcome = found.outcome
            label = say(FINISH, STATUS_LABEL.get(outcome or "", "status_failed"))
            if outcome == "valid" and found.review:  # its own reading has items to compare: 要確認, never green
                outcome, label = "review", verdict_label("review")
            items.append({"sha": found.sha256, "pending": False, "name": found.name, "sid": found.sid, "pdf": pdf,
                          "outcome": outcome, "label": label,
                          "case": case[0].id if case else None, "role": case[1] if case else None,
                          "verdict": case[0].verdict if case else None,
                          "reason": reason,
                          "report": found.dest is not None and (found.dest / "report.html").is_file(),
                          "findings": _findings(found.dest, found.sid) if found.dest and found.sid else None,
                          "folder": layout.relative(found.dest) if found.dest else ""})
    # Still working: the page says so and offers 更新; static/progress.js (same origin, as the CSP
    # allows) looks again in the background and says in the live region when it is done — the page
    # is never reloaded under the person's focus (a Refresh header did, every 3 s).
    return render_template("intake_result.html", m=t, items=items, pending=pending, progress=pending or making)


def _findings(folder: Path, sid: str) -> dict[str, Any] | None:
    """What the file's report says, for the page itself: 不備, 注意, 回付先, drafts, 記入内容.

    From the folder's check.json and submission.json (the report's own sources); the drafts'
    notes in the screen's words (no command flags).
    """
    import json

    from ..proposal import Proposal
    from ..report import _ROWS, _display
    from ..report import MESSAGES as CHECK
    from ..rules import label_of

    try:
        check = json.loads((folder / "check.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    try:
        record = json.loads((folder / "submission.json").read_text("utf-8"))
    except (OSError, ValueError):
        record = {}
    if not isinstance(check, dict) or not isinstance(record, dict):
        return None
    routing = check.get("routing") if isinstance(check.get("routing"), dict) else None
    flow = None
    if routing and routing.get("flow"):
        flow = say(CHECK, routing["flow"]) if routing["flow"] in CHECK else routing["flow"]
    listed = {e.name for e in folder.iterdir() if e.is_file()}
    drafts = [(d, url_for("intake.draft", sid=sid, name=d)) for d in record.get("drafts") or []
              if isinstance(d, str) and d in listed]
    proposal = Proposal.from_json(check.get("proposal") or {})
    return {"valid": bool(check.get("valid")),
            "errors": [f.get("message", "") for f in check.get("errors") or [] if isinstance(f, dict)],
            "warnings": [f.get("message", "") for f in check.get("warnings") or [] if isinstance(f, dict)],
            "routing": routing, "flow": flow, "drafts": drafts,
            "draft_notes": [screen_words(w) for w in record.get("render_warnings") or [] if isinstance(w, str)],
            "content": [(label_of(p), _display(proposal, p)) for p in _ROWS]}


#: render messages that name a command's options, and what the screen says instead
_SCREEN_WORDS: Catalog = {
    "no_signing_fiscal": ("締結日が未定のため、日付欄と満了日の年は空欄です（「令和　年３月３１日」）。締結日が決まったら"
                          "案件の画面で締結を記録し、「協定書・掲載文」から作り直すか、手書きで記入してください。",
                          "No signing date: the date lines and the expiry year are blank. Once it is fixed, record the "
                          "signing on the case page and make the documents again there, or fill them in by hand."),
    "no_signing_one_year": ("締結日が未定のため、日付欄と満了日は空欄です（「令和　年　月　日」）。締結日が決まったら"
                            "案件の画面で締結を記録し、「協定書・掲載文」から作り直すか、手書きで記入してください。",
                            "No signing date: the date lines and the expiry are blank. Once it is fixed, record the "
                            "signing on the case page and make the documents again there, or fill them in by hand."),
    "pdf_size_unknown": ("協定書の PDF がまだないため、掲載文の「キロバイト」は空欄です。案件の画面の「協定書・掲載文」で"
                         "PDF を作ってから掲載文を作り直すか、掲載前に記入してください。",
                         "The agreement PDF is not there yet, so its size in Form 3 is blank: make the PDF on the "
                         "case page, then Form 3 again, or fill it in before publishing."),
}


def screen_words(text: str) -> str:
    """``text`` (a note written for the command line) as the screen says it."""
    from ..i18n import get_lang
    from ..render.messages import MESSAGES as RENDER

    index = 1 if get_lang() == "en" else 0
    for key, words in _SCREEN_WORDS.items():
        if key in RENDER and text.strip() in (RENDER[key][0].strip(), RENDER[key][1].strip()):
            return words[index]
    return text


def _case_of(reg: Any, found: Any) -> tuple[Any, str | None] | None:
    """The case a finished upload was filed in (with its verdict) and the file's role there.

    By the submission ID; a 重複 has no row of its own, so by its bytes (the case it was filed in before).
    """
    from ..cases import get

    with reg.snapshot() as conn:
        row = conn.execute("SELECT COALESCE(a.merged_into, s.agreement_id), s.role FROM submissions s"
                           " JOIN agreements a ON a.id = s.agreement_id WHERE s.submission_id = ?",
                           (found.sid,)).fetchone()
        if row is None and found.outcome == "duplicate" and found.sha256:
            row = conn.execute("SELECT COALESCE(a.merged_into, s.agreement_id), NULL FROM submissions s"
                               " JOIN agreements a ON a.id = s.agreement_id WHERE s.sha256 = ?",
                               (found.sha256,)).fetchone()
    if row is None:
        return None
    return get(site().cfg, reg, row[0]), row[1]


def _process_waiting(layout: Any, journal: Path) -> None:
    """Files still waiting and nobody processing the folder (the watcher stopped): process them here."""
    from ..errors import KyoteiError
    from ..inbox.upload import process_waiting
    from .workload import Busy

    s = site()
    try:
        with s.workload.slot(wait=0):
            if not s.passes.acquire(blocking=False):
                return  # this server is processing already
            try:
                jobs = s.pdf_jobs()  # the PDFs follow in the background, as an upload's do
                process_waiting(layout, journal, s.cfg, s.worker_pool(), pdf_later=jobs.add if jobs is not None else None)
            except (KyoteiError, OSError):
                pass  # the page says the files wait; the next refresh tries again
            finally:
                s.passes.release()
    except Busy:
        return  # busy: the next refresh tries again


def _note(folder: Path) -> str:
    for name in ("理由.txt", "重複.txt"):
        try:
            return (folder / name).read_text("utf-8-sig").strip()
        except OSError:
            continue
    return ""


@bp.route("/intake/report/<sid>")
@bp.route("/intake/report/<sid>/")
def report(sid: str) -> Any:
    """The submission's own report.html, sandboxed (no script, only its inline style).

    Served under ``…/<sid>/`` so that its links to the drafts — names relative to
    its folder, as they work when staff open it there — reach :func:`draft`.
    """
    folder = _submission_folder(sid)
    try:
        html = (folder / "report.html").read_text("utf-8")
    except OSError:
        abort(404)
    return html, 200, {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": REPORT_CSP}


@bp.route("/intake/report/<sid>/<name>")
def draft(sid: str, name: str) -> Any:
    """A file the report links to: one listed in the submission's folder, by its name only (never a path)."""
    from flask import send_file

    folder = _submission_folder(sid)
    listed = {e.name for e in folder.iterdir() if e.is_file() and not e.name.startswith(".")}
    if name not in listed or name == "report.html":
        abort(404)
    response = send_file(folder / name, as_attachment=True, download_name=name)
    response.headers["Content-Security-Policy"] = REPORT_CSP  # opened from the report's frame: may stand in it
    return response


def _submission_folder(sid: str) -> Path:
    """The finished folder of submission ``sid`` inside the drop folder; 404 for anything else."""
    from ..inbox.journal import Journal

    where = _folder()
    if where is None or not _SID.fullmatch(sid):
        abort(404)
    layout, journal_path = where
    if not journal_path.exists():
        abort(404)
    with Journal(journal_path, layout.root) as journal:
        row = journal.get(sid)
    if row is None or not row.dest:
        abort(404)
    folder = (layout.root / row.dest).resolve()
    if not folder.is_relative_to(layout.root.resolve()) or not folder.is_dir():
        abort(404)
    return folder
