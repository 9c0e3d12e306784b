"""案件: one case — what was read (with sources), review items beside the original, corrections,
files and roles, history, items, and the actions, each confirmed with the organisation named.

Thin: every change calls one function of :mod:`kyotei_docs.cases` (the same as
``kyotei registry …`` and ``kyotei sign``) with the signed-in user as ``actor``;
this module parses the form, asks for confirmation, and shows the result.

Actions post twice: the first post shows a confirmation page naming the case
(:meth:`Case.headline`) with what will happen (for 締結: the term, the expiry
and the notice deadline); only the second post, carrying ``confirmed``, changes
anything.  Both carry the CSRF token.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for

from ..i18n import Catalog, say
from ..registry.errors import RegistryError
from ..report import SOURCES, source_label  # noqa: F401 — the readers' sources in staff's words (one catalogue)
from . import history
from .app import site
from .security import needs_change

bp = Blueprint("case", __name__)

MESSAGES: Catalog = {
    "values": ("読み取った内容", "What was read"),
    "field": ("項目", "Entry"),
    "read": ("読み取り", "Read"),
    "used": ("使用する値", "Used"),
    "source": ("読み取り元", "Source"),
    "corrected_by": ("{actor} が訂正（{at}）", "corrected by {actor} ({at})"),
    "review": ("要確認（原本と照合してください）", "To review (compare with the original)"),
    "review_none": ("要確認の項目はありません。", "Nothing to review."),
    "confirm_item": ("原本と照合済み", "Checked against the original"),
    "confirm_note": ("メモ（任意）", "Note (optional)"),
    "confirm_how": ("原本と照合して読み取りが正しければ「原本と照合済み」を、違っていれば下の「値を訂正する」で訂正してください。"
                    "どちらでも項目は閉じます。締結できるのは、判定が受付可で未確認の項目がない案件です。",
                    "Compare each item with the original: if what was read is right, press 'Checked against the original'; "
                    "if not, correct the value below. Either closes the item. Only a case judged acceptable with no open "
                    "item can be signed."),
    "errors": ("不備", "Problems"),
    "warnings": ("注意", "Notes"),
    "original": ("原本", "Original"),
    "page": ("{n} ページ", "page {n}"),
    "show_original": ("原本を画像で表示する（Word ファイルの変換に数秒かかります）", "Show the original as images (converting a Word file takes a few seconds)"),
    "no_preview": ("原本の画像を表示できません（PDF・Word 以外の形式、または変換できませんでした）。ファイルの一覧から開いてください。",
                   "The original cannot be shown as images; open it from the file list."),
    "no_preview_viewer": ("原本の画像はまだ作成されていません（Word ファイルを画像にするのは「担当」の権限の方です）。"
                          "ファイルの一覧から開いてください。",
                          "No images of the original have been made yet (a 担当 user makes them from a Word file); "
                          "open it from the file list."),
    "correct": ("値を訂正する", "Correct a value"),
    "correct_field": ("項目", "Entry"),
    "correct_value": ("正しい値", "Correct value"),
    "correct_reason": ("理由（任意）", "Reason (optional)"),
    "correct_submit": ("訂正を記録", "Record the correction"),
    "correct_note": ("訂正は読み取った値を上書きせず、誰がいつ訂正したかとともに記録され、協定書に使われます。",
                     "A correction never overwrites what was read; it is recorded with who and when, and used for the documents."),
    "correct_how": ("種別は「個別」か「包括」、連携の分野は名前を「、」で区切って（例: 環境、子育て）、主軸分野は分野名か"
                    "「無」、提出日は令和でも書けます。",
                    "Type: 「個別」 or 「包括」; fields: names separated by 「、」 (e.g. 環境、子育て); axis: a field or 「無」; "
                    "dates may be written in 令和."),
    "corrections": ("訂正の記録", "Corrections"),
    "files": ("ファイル", "Files"),
    "file_role": ("役割", "Role"),
    "file_name": ("ファイル名", "File"),
    "file_state": ("内容", "State"),
    "file_current": ("現在の提案書", "current"),
    "file_valid": ("不備なし", "no errors"),
    "file_invalid": ("要修正", "needs correction"),
    "file_received": ("登録日時", "Recorded"),
    "file_open": ("開く", "Open"),
    "file_count": ("{n} 件のファイル", "{n} files"),
    "history": ("履歴", "History"),
    "h_date": ("日付", "Date"),
    "h_when": ("記録日時", "Recorded"),
    "form_error": ("記録していません。入力を確かめてください（入力した内容はそのまま残っています）:",
                   "Nothing was recorded. Check the form (what you typed is kept):"),
    "auto_renew": ("自動更新", "Automatic renewal"),
    "renew_yes": ("あり", "yes"),
    "renew_no": ("なし", "no"),
    "renew_yes_long": ("あり（どちらからも申出がなければ 1 年ずつ更新）", "yes (renewed for a year unless either side objects)"),
    "renew_no_long": ("なし（満了日で終了）", "no (ends at the expiry)"),
    "renewals": ("更新 {n} 回", "renewed {n} times"),
    "notes": ("備考", "Notes"),
    "details_change": ("備考・自動更新を変更", "Change the notes or the automatic renewal"),
    "details_check": ("変更を確認", "Check the change"),
    "details": ("備考・自動更新の変更", "Change of notes and renewal"),
    "nothing_changed": ("変更はありません（備考・自動更新とも今の内容のままです）。", "Nothing changed."),
    "h_what": ("内容", "What"),
    "h_who": ("担当者", "By"),
    "items": ("連携事項", "Items"),
    "items_help": ("1 行に 1 件ずつ書きます。協定書（様式２）の連携事項になり、実績は番号で登録します。",
                   "One item per line; they become Form 2's items and results refer to their numbers."),
    "items_submit": ("連携事項を保存", "Store the items"),
    "amend": ("変更協定として記録", "Record as an amendment"),
    "amend_help": ("締結済みの協定です。連携事項の変更は変更協定として記録し、変更協定書を作成します（締結時の内容は残ります）。",
                   "This agreement is signed: a change of its items is recorded as an amendment, with its 変更協定書 "
                   "(the agreement as signed is kept)."),
    "amend_date": ("変更日（効力を生ずる日）", "Amendment date"),
    "amend_before": ("変更前", "Before"),
    "amend_after": ("変更後", "After"),
    "review53": ("実績のない協定の見直し（ガイドライン５(3)）", "Review of an agreement without results (5(3))"),
    "review53_help": ("実績のない年度について相手方と協議した結果を記録します。災害時の協力など有事に備えた協定は、"
                      "理由を書いて見直しの対象外にできます（判断は職員が行います）。",
                      "Record the outcome of the consultation for a year without results; an agreement prepared for "
                      "emergencies may be exempted, with the reason (staff decide)."),
    "review_outcome": ("協議の結果", "Outcome"),
    "review_note": ("協議の内容", "Note"),
    "review_record": ("協議の結果を記録", "Record the outcome"),
    "exempt": ("見直しの対象外（有事に備えた協定）", "Exempt (prepared for emergencies)"),
    "exempt_reason": ("理由", "Reason"),
    "exempt_record": ("対象外の指定を記録", "Record the exemption"),
    "notice_written": ("解約通知書: {files}", "Notice of termination: {files}"),
    "amend_written": ("変更協定書: {files}", "Amendment document: {files}"),
    "actions": ("手続", "Actions"),
    "consult": ("協議開始", "Start consultation"),
    "consult_date": ("協議開始日", "Date talks started"),
    "sign": ("締結", "Sign"),
    "sign_date": ("締結日（例: 令和8年6月1日、R8.6.1、2026-06-01）", "Signing date (e.g. 令和8年6月1日, R8.6.1, 2026-06-01)"),
    "sign_term": ("有効期間", "Term"),
    "sign_check": ("期間を確認", "Check the term"),
    "end": ("終了", "End"),
    "end_date": ("終了日", "End date"),
    "end_cause": ("終了の理由", "Cause"),
    "end_reason": ("詳細", "Details"),
    "end_notice": ("解約の通知日", "Notice given on"),
    "end_notice_help": ("解約の申出では、書面で通知した日を入力します（終了日の１か月前まで。協定書 第４条第２項）。",
                        "For a notice of cancellation, the day written notice was given (one month before the end)."),
    "results": ("実績", "Results"),
    "result_fy": ("年度", "Fiscal year"),
    "result_item": ("連携事項の番号", "Item no."),
    "result_title": ("事業名", "Title"),
    "result_date": ("実施日（任意）", "Date (optional)"),
    "result_content": ("内容（任意）", "Content (optional)"),
    "result_public": ("ホームページに掲載する", "Publish on the homepage"),
    "result_add": ("実績を登録", "Record the result"),
    "result_remove": ("削除", "Remove"),
    "results_none": ("実績はまだありません。", "No results yet."),
    "merge": ("統合", "Merge"),
    "merge_other": ("この案件に統合する案件の番号", "Number of the case to merge into this one"),
    "merge_confirm_possible": ("「同一案件の可能性」のファイルを同じ案件として確定", "Confirm the 'possibly the same case' files"),
    "split": ("分離", "Split off"),
    "split_file": ("別の案件に分けるファイル", "File to split off into a case of its own"),
    "documents": ("協定書・掲載文", "Documents"),
    "doc_form2": ("協定書（様式２）", "Agreement (Form 2)"),
    "doc_form3": ("ホームページ掲載文（様式３）", "Homepage text (Form 3)"),
    "doc_missing": ("文書を作成できませんでした（PDF には LibreOffice が必要です）。", "The document could not be made (PDF needs LibreOffice)."),
    "confirm_how_viewer": ("原本との照合・値の訂正は「担当」の権限の方が行います。締結できるのは、判定が受付可で未確認の項目がない案件です。",
                           "Comparing with the original and correcting values is done by a 担当 user. Only an acceptable "
                           "case with no open item can be signed."),
    "actions_read_only": ("協議開始・締結・終了などの記録には「担当」の権限が必要です（閲覧の権限では見るだけです）。",
                          "Recording talks, signing or an end needs the 担当 role (閲覧 users only look)."),
    "doc_read_only": ("協定書・掲載文の作成には「担当」の権限が必要です（受付時の下書きは「ファイル」から開けます）。",
                      "Making Form 2/3 needs the 担当 (change) role (the drafts made at intake are under Files)."),
    "doc_note": ("保存されている連携事項・締結日・実績から、その時点の内容で作成します。",
                 "Made from the stored items, signing date and results as they are now."),
    "pdf_making": ("受付時の下書き（協定書・掲載文）のPDFを作成しています。しばらくしてから再読み込みしてください。"
                   "それまでは .docx の下書きを使えます。",
                   "The PDFs of the drafts made at intake are being made. Reload in a moment; "
                   "until then the .docx drafts can be used."),
    "pdf_failed": ("受付時の下書きのPDFを作成できませんでした（{detail}）。.docx の下書きはそのまま使えます。"
                   "PDF は下の「PDF」から作成してダウンロードできます。",
                   "The PDFs of the drafts made at intake could not be made ({detail}). The .docx drafts "
                   "can be used as they are; the PDF links below make one on request."),
    # what a confirmation and its result name (nouns: 「{action}を記録する」「{action}を記録しました」)
    "act_correct": ("値の訂正", "the correction"),
    "act_items": ("連携事項", "the items"),
    "act_amend": ("変更協定", "the amendment"),
    "act_confirm_item": ("原本との照合", "the check against the original"),
    "act_consult": ("協議開始", "the start of consultation"),
    "act_sign": ("締結", "the signing"),
    "act_end": ("終了", "the end"),
    "act_result_add": ("実績", "the result"),
    "act_result_remove": ("実績の削除", "the removal of the result"),
    "act_merge": ("統合", "the merge"),
    "act_split": ("分離", "the split"),
    "items_before": ("今の連携事項", "Items now"),
    "items_after": ("保存後の連携事項", "Items after"),
    "items_none": ("（なし）", "(none)"),
    "confirm_title": ("確認: {action}", "Confirm: {action}"),
    "confirm_question": ("次の案件について「{action}」を記録します。よろしいですか。",
                         "Record '{action}' for this case?"),
    "confirm_yes": ("{action}を記録する", "Record {action}"),
    "confirm_no": ("やめる", "Cancel"),
    "sign_term_line": ("有効期間: {start} から {end} まで", "Term: {start} to {end}"),
    "sign_deadline_line": ("不更新の申出期限: {deadline}（自動更新）", "Notice deadline: {deadline} (renews automatically)"),
    "done": ("{action}を記録しました。", "Recorded: {action}."),
    "bad_date": ("日付として読めません: {value}（例: 令和8年6月1日、R8.6.1、2026-06-01）",
                 "Not a date: {value} (e.g. 令和8年6月1日, R8.6.1, 2026-06-01)"),
    "bad_number": ("数字で入力してください: {value}", "Enter a number: {value}"),
    "bad_fy": ("年度を読めません: 「{value}」— {why}", "Not a fiscal year: {value!r} — {why}"),
    "merged_away": ("この案件は番号 {into} に統合されています。", "This case was merged into case {into}."),
    "possible": ("同一案件の可能性があるファイルがあります（現在の提案書にはなっていません。現在の提案書との違いは要確認の項目です）。"
                 "原本と照合して現在の提案書が正しければ違いを「原本と照合済み」にしてから「統合」すると別形式として確定します。"
                 "違いを残したまま「統合」すると、そのファイルが新しい版として現在の提案書になります。別の案件なら「分離」してください。",
                 "A file may belong to this case (it is not the current proposal; how it differs is listed to review). "
                 "If the current proposal is right, mark the differences as checked and Merge: the file joins as another "
                 "format. Merging with differences open makes the file the current proposal (a newer version). "
                 "Split it off if it is another case."),
    "status": ("状態", "Status"),
    "type": ("種別", "Type"),
    "department": ("担当部局", "Department"),
    "received": ("受付日", "Received"),
    "signed": ("締結日", "Signed"),
    "term": ("有効期間", "Term"),
    "expires": ("満了日", "Expires"),
    "deadline": ("不更新申出期限", "Notice deadline"),
    "title": ("協定名称", "Title"),
}

CAUSES = ("notice", "non_renewal", "dissolution", "exclusion", "withdrawn", "other")
TERMS = ("fiscal", "one-year")


def t(key: str, **params: Any) -> str:
    return say(MESSAGES, key, **params)


# ------------------------------------------------------------------------------ helpers


@bp.errorhandler(RegistryError)
def refused(exc: RegistryError) -> Any:
    """A change the case service refused: its message on the case page (nothing was changed)."""
    case_id = (request.view_args or {}).get("case_id")
    if request.method == "POST" and case_id is not None and exc.code not in ("not_found",):
        return _refused(int(case_id), screen_message(exc))
    from .app import _kyotei_error

    return _kyotei_error(exc)


def _get(case_id: int) -> Any:
    from ..cases import get

    s = site()
    with s.registry() as reg:
        return get(s.cfg, reg, case_id)


def _parse_date(raw: str | None) -> date | None:
    from ..era import DateParseError, parse_date

    text = (raw or "").strip()[:50]
    if not text:
        return None
    try:
        parsed = parse_date(text)
    except DateParseError:
        return None
    return parsed.date if parsed else None


#: the drop folder's own records in a submission's folder: data for the programs, not documents for staff
INTERNAL = frozenset({"check.json", "submission.json"})


def _folder_files(folder: str | None) -> list[str]:
    """Plain files directly in a case's folder that staff use (never links, subfolders or :data:`INTERNAL`)."""
    if not folder:
        return []
    try:
        return sorted(e.name for e in os.scandir(folder)
                      if e.is_file(follow_symlinks=False) and not e.name.startswith(".")
                      and e.name not in INTERNAL and not e.name.endswith(".kyotei-tmp"))
    except OSError:
        return []


def _check_json(folder: str | None) -> dict[str, Any]:
    if not folder:
        return {}
    try:
        data = json.loads((Path(folder) / "check.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _value(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _shown_date(value: Any) -> Any:
    """An ISO date as the screen shows dates; anything else (nothing, a text that is no date) as it is."""
    from .app import jdate

    try:
        return jdate(date.fromisoformat(value)) if isinstance(value, str) else value
    except ValueError:
        return value


def _show(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "有" if value else "無"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


VALUE_PATHS = ("submitted_on", "organization.address", "organization.name", "organization.representative",
               "agreement_type", "fields", "other_field_text", "axis.present", "axis.field", "purpose",
               "expected_effects", "contact.department", "contact.name", "contact.phone", "contact.email")


def _values(case: Any, check: dict[str, Any]) -> list[dict[str, Any]]:
    from ..rules import label_of

    # what the reader read: the drop folder's check.json, else (a file recorded by ``registry add``) the
    # reading the registry keeps of the current file — never 「—」 beside a value that was read
    current = case.current_file
    read = check.get("proposal") or (current.proposal if current is not None else None) or {}
    used = case.agreement.proposal or {}
    sources = check.get("sources") or {}
    corrected = {c.field: c for c in case.corrections}
    rows = []
    for path in VALUE_PATHS:
        r, u = _value(read, path), _value(used, path)
        if path == "agreement_type":
            from ..registry.model import label

            r, u = (label(r) if r else None), (label(u) if u else None)
        if path == "submitted_on":  # 令和8年4月15日（2026/04/15）, as every date on the screen
            r, u = _shown_date(r), _shown_date(u)
        rows.append({"path": path, "label": label_of(path), "read": _show(r), "used": _show(u),
                     "changed": path in corrected and _show(r) != _show(u), "correction": corrected.get(path),
                     "source": source_label(sources.get(path, ""))})
    return rows


def _correction_rows(case: Any) -> list[dict[str, Any]]:
    """The corrections table: 読み取り is what the reader read (the first correction of that field
    and file kept it; a later one's stored value may be the previous correction)."""
    from ..registry.report import correction_value

    first: dict[tuple[str, str | None], str | None] = {}
    for c in case.corrections:
        first.setdefault((c.field, c.file), c.read_value)
    return [{"c": c, "read": correction_value(c.field, first[(c.field, c.file)]),
             "value": correction_value(c.field, c.value)}
            for c in case.corrections]


def _file_of(case: Any, n: int) -> Any:
    if not 0 <= n < len(case.files):
        abort(404)
    return case.files[n]


def _original(f: Any) -> Path | None:
    """The original of a case file: the file of that name in its own folder."""
    if not f.folder or not f.name:
        return None
    names = _folder_files(f.folder)
    name = Path(f.name).name
    return Path(f.folder) / name if name in names else None


# ------------------------------------------------------------------------------ pages


@bp.route("/case/<int:case_id>")
def show(case_id: int) -> Any:
    return _page(case_id)


def _page(case_id: int, errors: FormError | None = None) -> Any:
    """The case page; with ``errors`` the form that was sent, its field marked and its values kept."""
    from ..cases.review import OUTCOMES
    from ..cases.service import CORRECTABLE
    from ..registry.dates import DateRules
    from ..registry.model import label
    from . import preview

    case = _get(case_id)
    s = site()
    current = case.current_file
    check = _check_json(current.folder if current else None)
    pages = 0
    current_index = next((i for i, f in enumerate(case.files) if f.current), None)
    offer = viewer_only = False
    if current is not None:
        original = _original(current)
        # A PDF is drawn at once; a Word file needs LibreOffice (seconds), so only when there is
        # something to compare (review items) or the person asks for it.
        if original is not None:
            # a 閲覧 user sees pages made before, never starts LibreOffice (document making is 担当's)
            may_convert = g.user.can_change
            if preview.ready(original) or (may_convert and (request.args.get("original") == "1" or check.get("review"))):
                from .workload import Busy

                try:  # the case page never waits long for LibreOffice: busy, it offers the pages instead
                    pages = preview.page_count(original, s.settings.preview_pages, convert=may_convert,
                                               gate=s.workload.slot(wait=min(5, s.settings.heavy_wait_seconds),
                                                                    office=True))
                except Busy:
                    offer = may_convert
            else:
                offer = may_convert
                viewer_only = not may_convert and preview.convertible(original)
    jobs = s.pdf_jobs()
    pdf = jobs.status(current.folder) if jobs is not None and current is not None else None
    deadline = None
    a = case.agreement
    if a.expires_on and a.auto_renew and a.status in ("signed", "renewed"):
        deadline = DateRules.from_config(s.cfg).deadline(a.expires_on)
    from ..cases.flow import flow_kind
    from ..cases.verdict import verdict_label
    from ..era import fiscal_year
    from ..review import said
    from ..rules import label_of

    steps = {x.key: x.label for x in s.cfg.guideline.flow(flow_kind(case.agreement.kind, case.agreement.subtype))}

    def step_words(key: str) -> str:
        return steps.get(key, key)

    return render_template(
        "case.html", m=t, case=case, verdict_label=verdict_label, a=a, correction_rows=_correction_rows(case), check=check, values=_values(case, check), pages=pages, offer=offer, viewer_only=viewer_only, said=said,
        current_index=current_index, files=[(i, f, _folder_files(f.folder)) for i, f in enumerate(case.files)],
        correctable=[(p, label_of(p)) for p in CORRECTABLE], field_label=label_of, causes=[(c, label(c)) for c in CAUSES],
        terms=[(x, label(x)) for x in TERMS], outcomes=[(x, label("outcome_" + x)) for x in OUTCOMES], deadline=deadline, default_term=_default_term(),
        today=_today(), fiscal_year=fiscal_year(_today()), pdf=pdf, errors=errors,
        history_lines=lambda e: history.lines(e, label, label_of, step_words),
        typed=lambda form, name, default="": (errors.values.get(name, default)
                                              if errors is not None and errors.form == form else default))


def _today() -> date:
    from .listing import today

    return today()


def _default_term() -> str:
    term = str(site().cfg.section("render").get("term") or "fiscal")
    return term if term in TERMS else "fiscal"


@bp.route("/case/<int:case_id>/files/<int:n>/<path:name>")
def file(case_id: int, n: int, name: str) -> Any:
    """A file of the case's own folder, by its listed name only (never a path)."""
    f = _file_of(_get(case_id), n)
    if "/" in name or "\\" in name or name not in _folder_files(f.folder):
        abort(404)
    return send_file(Path(f.folder) / name, as_attachment=True, download_name=name)


@bp.route("/case/<int:case_id>/preview/<int:n>/<int:page>.png")
def page_image(case_id: int, n: int, page: int) -> Any:
    from . import preview

    original = _original(_file_of(_get(case_id), n))
    if original is None:
        abort(404)
    s = site()
    png = preview.page_png(original, page, s.settings.preview_pages, convert=g.user.can_change,
                           gate=s.workload.slot(office=True))
    if png is None:
        abort(404)
    return send_file(png, mimetype="image/png", max_age=0)


@bp.route("/case/<int:case_id>/document/<any(form2, form3):form>.<any(docx, pdf):ext>")
@needs_change
def document(case_id: int, form: str, ext: str) -> Any:
    """Form 2 or 3 made now from what the case holds (items, signing date, results).

    担当 only (a render, and for a PDF LibreOffice), and one at a time with the other heavy
    work (``web/workload.py``).
    """
    import io
    import shutil
    import tempfile

    from ..cases import render

    s = site()
    tmp = Path(tempfile.mkdtemp(prefix="kyotei-doc-"))
    try:
        with s.workload.slot(office=ext == "pdf"), s.registry() as reg:
            # Form 2's PDF alone is one LibreOffice run; Form 3's needs Form 2's first (it states its size)
            rendered = render(s.cfg, reg, case_id, out_dir=tmp, pdf=ext == "pdf", form3_pdf=form == "form3")
        wanted = [Path(p) for p in rendered.files
                  if Path(p).suffix == f".{ext}" and (("掲載文" in Path(p).name) == (form == "form3"))]
        if not wanted:
            return render_template("error.html", message=rendered.detail or t("doc_missing"), code=409), 409
        data, name = wanted[0].read_bytes(), wanted[0].name
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    mime = "application/pdf" if ext == "pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True, download_name=name)


# ------------------------------------------------------------------------------ changes


def _confirm(case: Any, action: str, lines: list[str], fields: dict[str, str]) -> Any:
    return render_template("confirm.html", m=t, case=case, action=action, lines=lines, fields=fields)


def _done(case_id: int, action: str, warnings: tuple[str, ...] = ()) -> Any:
    flash(t("done", action=action), "ok")
    for w in warnings:
        flash(w, "warn")
    return redirect(url_for("case.show", case_id=case_id), code=303)


class FormError(Exception):
    """What was wrong with a form that was sent: the form, its field, the message, the values typed."""

    def __init__(self, form: str, field: str, message: str, values: dict[str, str]) -> None:
        super().__init__(message)
        self.form, self.field, self.message, self.values = form, field, message, values


#: each action's form on the case page, and the field a refusal is shown at when no other is named
FORM_FIELDS = {"sign": "sign-date", "end": "end-date", "consult": "consult-date", "add_result": "r-title",
               "correct": "c-value", "items": "items", "amend": "amend-date", "merge": "merge-other",
               "split": "split-file", "details": "d-notes", "review": "rv-date", "confirm_item": "rv-h",
               "remove_result": "res-h"}

#: the case service's refusals that name a command's options, as the screen says them
SCREEN_WORDS: Catalog = {
    "has_errors": ("この提案書には不備があるため、締結を記録できません（何も変更していません）。提出者に修正を依頼し、"
                   "修正版を受付で読み込んでから締結してください。",
                   "The proposal has problems, so the signing cannot be recorded (nothing changed). Ask for a "
                   "corrected proposal, read it at 受付, then sign."),
    "has_review": ("原本と照合していない要確認の項目があるため、締結を記録できません（何も変更していません）。"
                   "「要確認」の各項目を原本と照合して「原本と照合済み」にするか、値を訂正してから締結してください。",
                   "Review items have not been compared with the original, so the signing cannot be recorded "
                   "(nothing changed). Mark each as checked or correct the value, then sign."),
    "not_judged": ("検討票（ガイドライン2(2)）が完了していないため、締結を記録できません（何も変更していません）。"
                   "この画面の「検討票」で各項目を適合・該当なしとして記録してから締結してください。",
                   "The judgement sheet (2(2)) is not complete, so the signing cannot be recorded (nothing changed). "
                   "Record each item under 検討票 on this page, then sign."),
    "no_items": ("連携事項が登録されていません。この画面の「連携事項」に 1 行 1 件で書いて保存してから、実績を登録してください。",
                 "No items yet: store them under 連携事項 on this page, then record the result."),
    "notice_needs_date": ("解約の申出による終了には、書面で通知した日が必要です。「通知日」に入力してください。",
                          "Ending on notice needs the day written notice was given: fill in the notice date."),
    "notice_too_short": ("{notice} の通知では {end} に終了できません（協定書 第４条第２項: 解約予定日の１か月前までに"
                         "書面で通知）。この通知で終了できる最も早い日は {earliest} です。終了日を直してください。"
                         "相手方と合意して短くする場合はシステム担当者に相談してください。何も変更していません。",
                         "A notice on {notice} cannot end the agreement on {end} (one month's notice): end on "
                         "{earliest} or later. Nothing changed."),
    "non_renewal_late": ("不更新の申出（{notice}）が期限 {deadline} を過ぎているため、満了日 {expiry} で終了できません。"
                         "何も変更していません。",
                         "The objection ({notice}) came after the deadline {deadline}, so the agreement cannot end at "
                         "the expiry {expiry}. Nothing changed."),
    "empty_reason": ("終了の理由（詳細）を記入してください。", "Give the reason for ending (details)."),
    "items_signed": ("締結済みのため、連携事項は変更協定として記録します（この画面の「連携事項」から）。何も変更していません。",
                     "The agreement is signed: change its items as an amendment. Nothing changed."),
    "split_no_proposal": ("このファイルの読み取り内容が記録されていないため（以前のバージョンで登録）、分離できません。"
                          "システム担当者に相談してください。",
                          "This file was recorded by an earlier version without its reading; it cannot be split off."),
}


def screen_message(exc: Any) -> str:
    """A refusal in the screen's words: no command names or ``--options``."""
    code = getattr(exc, "code", "")
    if code in SCREEN_WORDS:
        try:
            return say(SCREEN_WORDS, code, **getattr(exc, "params", {}))
        except (KeyError, IndexError, ValueError):
            pass
    return str(getattr(exc, "message", exc))


def _refused(case_id: int, message: str, field: str | None = None) -> Any:
    """The case page again with the action's form: ``message`` at its ``field``, the values typed kept
    (nothing was recorded, and no confirmation page was shown for a form that cannot be right)."""
    form = (request.endpoint or "").rsplit(".", 1)[-1]
    values = {k: v[:4000] for k, v in request.form.items() if k not in ("csrf_token", "confirmed")}
    error = FormError(form, field or FORM_FIELDS.get(form, "act-h"), message, values)
    return _page(case_id, error), 400


def _confirmed() -> bool:
    return request.form.get("confirmed") == "1"


def _actor() -> str:
    return g.user.name


@bp.route("/case/<int:case_id>/correct", methods=["POST"])
@needs_change
def correct(case_id: int) -> Any:
    """訂正を記録: the value is checked first (an impossible date is refused on the case page,
    nothing recorded), then confirmed like every other change, then recorded."""
    from ..cases import correct as correct_value
    from ..cases.service import check_correction
    from ..rules import label_of

    field = request.form.get("field", "")
    value = request.form.get("value", "")[:2000]
    reason = request.form.get("reason", "")[:500]
    check_correction(field, value, _get(case_id))  # CaseError → the refusal on the case page (``refused``)
    if not _confirmed():
        case = _get(case_id)
        read = next((r["read"] for r in _values(case, _check_json(case.current_file.folder if case.current_file
                                                                   else None)) if r["path"] == field), "—")
        lines = [f"{t('correct_field')}: {label_of(field)}", f"{t('read')}: {read}",
                 f"{t('correct_value')}: {value.strip() or '—'}", f"{t('correct_reason')}: {reason.strip() or '—'}"]
        return _confirm(case, t("act_correct"), lines, {"field": field, "value": value, "reason": reason})
    s = site()
    with s.registry() as reg:
        correct_value(s.cfg, reg, case_id, field, value, reason=reason, actor=_actor())
    return _done(case_id, t("act_correct"))


@bp.route("/case/<int:case_id>/confirm", methods=["POST"])
@needs_change
def confirm(case_id: int) -> Any:
    """原本と照合済み: one review item closed, after the usual confirmation page."""
    from ..cases import confirm as record

    item = (request.form.get("item") or "").strip()[:200]
    note = (request.form.get("note") or "")[:500]
    case = _get(case_id)
    if not _confirmed():
        found = next((i for i in (case.verdict.items if case.verdict else ()) if str(i.no) == item), None)
        if found is None:
            abort(404)
        lines = [found.message] + ([f"{t('confirm_note')}: {note}"] if note.strip() else [])
        return _confirm(case, t("act_confirm_item"), lines, {"item": item, "note": note})
    s = site()
    with s.registry() as reg:
        record(s.cfg, reg, case_id, item, note=note, actor=_actor())
    return _done(case_id, t("act_confirm_item"))


@bp.route("/case/<int:case_id>/items", methods=["POST"])
@needs_change
def items(case_id: int) -> Any:
    from ..cases import set_items

    s = site()
    text = (request.form.get("items") or "")[:20000]
    lines = text.splitlines()
    if not _confirmed():  # 連携事項を保存 is confirmed like every other change
        from ..cases.service import item_texts

        case = _get(case_id)
        after = item_texts(s.cfg, case.agreement.proposal or {}, lines)  # as stored: Form 2's closing item too
        shown = [f"{t('items_before')}:"] + ([f"  {i.no}. {i.text}" for i in case.items] or [f"  {t('items_none')}"])
        shown += [f"{t('items_after')}:"] + ([f"  {n}. {x}" for n, x in enumerate(after, 1)] or [f"  {t('items_none')}"])
        return _confirm(case, t("act_items"), shown, {"items": text})
    with s.registry() as reg:
        set_items(s.cfg, reg, case_id, lines, actor=_actor())
    return _done(case_id, t("act_items"))


@bp.route("/case/<int:case_id>/amend", methods=["POST"])
@needs_change
def amend(case_id: int) -> Any:
    """A signed agreement's items changed: an amendment (cases/amend.py), confirmed first like every change."""
    from ..cases.amend import amend as record

    raw = request.form.get("date", "")
    on = _parse_date(raw)
    if on is None:
        return _refused(case_id, t("bad_date", value=raw[:50]))
    text = (request.form.get("items") or "")[:20000]
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    case = _get(case_id)
    if not _confirmed():
        shown = [f"{t('amend_date')}: {_jdate(on)}", f"{t('amend_before')}:"]
        shown += [f"  {i.no}. {i.text}" for i in case.items]
        shown += [f"{t('amend_after')}:"] + [f"  {n}. {x}" for n, x in enumerate(lines, 1)]
        return _confirm(case, t("act_amend"), shown, {"date": on.isoformat(), "items": "\n".join(lines)})
    s = site()
    with s.registry() as reg:
        done = record(s.cfg, reg, case_id, on=on, items=lines, actor=_actor())
    warnings = tuple(done.warnings) + ((done.detail,) if done.problem else ()) + tuple(
        t("amend_written", files=", ".join(Path(f).name for f in done.files)) for _ in done.files[:1])
    return _done(case_id, t("act_amend"), warnings)


@bp.route("/case/<int:case_id>/details", methods=["POST"])
@needs_change
def details(case_id: int) -> Any:
    """備考 and 自動更新: shown old → new on the confirmation page, recorded through the cases service."""
    from ..cases import set_details

    notes = (request.form.get("notes") or "").replace("\r\n", "\n").strip()[:4000]
    auto_renew = request.form.get("auto_renew") == "1"
    case = _get(case_id)
    a = case.agreement
    changes: dict[str, Any] = {}
    if notes != (a.notes or ""):
        changes["notes"] = notes or None
    if auto_renew != bool(a.auto_renew):
        changes["auto_renew"] = auto_renew
    if not changes:
        flash(t("nothing_changed"), "warn")
        return redirect(url_for("case.show", case_id=case_id), code=303)
    if not _confirmed():
        lines = []
        if "notes" in changes:
            lines.append(f"{t('notes')}: {a.notes or '—'} → {notes or '—'}")
        if "auto_renew" in changes:
            lines.append(f"{t('auto_renew')}: {t('renew_yes' if a.auto_renew else 'renew_no')} → "
                         f"{t('renew_yes' if auto_renew else 'renew_no')}")
        return _confirm(case, t("details"), lines, {"notes": notes, "auto_renew": "1" if auto_renew else "0"})
    s = site()
    with s.registry() as reg:
        set_details(s.cfg, reg, case_id, changes, actor=_actor())
    return _done(case_id, t("details"))


@bp.route("/case/<int:case_id>/reviewed", methods=["POST"])
@needs_change
def reviewed(case_id: int) -> Any:
    """The outcome of the 5(3) consultation (cases/review.py), confirmed first."""
    from ..cases.review import OUTCOMES, record_outcome
    from ..registry.model import label

    fy, outcome = _fiscal_year("fy"), request.form.get("outcome", "")
    if outcome not in OUTCOMES:
        abort(400)
    note = (request.form.get("note") or "")[:1000]
    case = _get(case_id)
    if not _confirmed():
        from .app import fy_label

        lines = [f"{t('result_fy')}: {fy_label(fy)}", f"{t('review_outcome')}: {label('outcome_' + outcome)}",
                 f"{t('review_note')}: {note or '—'}"]
        return _confirm(case, t("review_record"), lines, {"fy": str(fy), "outcome": outcome, "note": note})
    s = site()
    with s.registry() as reg:
        record_outcome(s.cfg, reg, case_id, fy=fy, outcome=outcome, note=note, actor=_actor())
    return _done(case_id, t("review_record"))


@bp.route("/case/<int:case_id>/exempt", methods=["POST"])
@needs_change
def exempt(case_id: int) -> Any:
    """Exempt from the 5(3) review (or not), with the reason: the cases service refuses it without one."""
    from ..cases import set_details

    flag = request.form.get("exempt") == "1"
    reason = " ".join((request.form.get("reason") or "").split())[:500]
    case = _get(case_id)
    if not _confirmed():
        lines = [f"{t('exempt')}: {t('renew_yes') if flag else t('renew_no')}", f"{t('exempt_reason')}: {reason or '—'}"]
        return _confirm(case, t("exempt_record"), lines, {"exempt": "1" if flag else "0", "reason": reason})
    s = site()
    with s.registry() as reg:
        set_details(s.cfg, reg, case_id, {"review_exempt": flag, "exempt_reason": reason or None} if flag
                    else {"review_exempt": False}, actor=_actor())
    return _done(case_id, t("exempt_record"))


@bp.route("/case/<int:case_id>/consult", methods=["POST"])
@needs_change
def consult(case_id: int) -> Any:
    from ..cases import consult as start

    raw = request.form.get("date", "")
    on = _parse_date(raw) if raw.strip() else _today()
    if on is None:  # an impossible date is refused, never silently taken as today
        return _refused(case_id, t("bad_date", value=raw[:50]))
    case = _get(case_id)
    if not _confirmed():
        return _confirm(case, t("act_consult"), [f"{t('consult_date')}: {_jdate(on)}"], {"date": on.isoformat()})
    s = site()
    with s.registry() as reg:
        start(s.cfg, reg, case_id, on=on, actor=_actor())
    return _done(case_id, t("act_consult"))


def _jdate(d: date) -> str:
    from .app import jdate

    return jdate(d)


@bp.route("/case/<int:case_id>/sign", methods=["POST"])
@needs_change
def sign(case_id: int) -> Any:
    from ..cases import sign as record
    from ..registry.dates import DateRules
    from ..registry.model import label

    raw = request.form.get("date", "")
    on = _parse_date(raw)
    if on is None:
        return _refused(case_id, t("bad_date", value=raw[:50]))
    term = request.form.get("term", "")
    term = term if term in TERMS else _default_term()
    case = _get(case_id)
    if case.needs_correction or case.open_review:  # the service would refuse: say so before asking
        return _refused(case_id, say(SCREEN_WORDS, "has_errors" if case.needs_correction else "has_review"))
    from ..cases.judging import blocking, judgement

    if blocking(judgement(site().cfg, case.events)):  # the 検討票 is not complete: the service would refuse too
        return _refused(case_id, say(SCREEN_WORDS, "not_judged"))
    if not _confirmed():
        rules = DateRules.from_config(site().cfg)
        expiry = rules.expiry(on, term)  # type: ignore[arg-type]
        lines = [f"{t('signed')}: {_jdate(on)}", f"{t('term')}: {label(term)}",
                 t("sign_term_line", start=_jdate(on), end=_jdate(expiry)),
                 t("sign_deadline_line", deadline=_jdate(rules.deadline(expiry)))]
        from ..cases.service import sign_date_warnings

        lines += [f"⚠ {w}" for w in sign_date_warnings(case, on, _today())]  # seen before anything is recorded
        return _confirm(case, t("act_sign"), lines, {"date": on.isoformat(), "term": term})
    s = site()
    with s.registry() as reg:
        signed = record(s.cfg, reg, case_id, on=on, term=term, actor=_actor(), documents=True)
    return _done(case_id, t("act_sign"), tuple(signed.warnings))


@bp.route("/case/<int:case_id>/end", methods=["POST"])
@needs_change
def end(case_id: int) -> Any:
    from ..cases import end as record
    from ..registry.model import label

    raw = request.form.get("date", "")
    on = _parse_date(raw)
    if on is None:
        return _refused(case_id, t("bad_date", value=raw[:50]))
    cause = request.form.get("cause", "")
    if cause not in CAUSES:
        abort(400)
    reason = (request.form.get("reason") or "")[:1000]
    raw_notice = request.form.get("notice_date", "")
    notice = _parse_date(raw_notice)
    if raw_notice.strip() and notice is None:
        return _refused(case_id, t("bad_date", value=raw_notice[:50]), "end-notice")
    case = _get(case_id)
    if not _confirmed():
        lines = [f"{t('end_date')}: {_jdate(on)}", f"{t('end_cause')}: {label(cause)}",
                 f"{t('end_notice')}: {_jdate(notice) if notice else '—'}", f"{t('end_reason')}: {reason or '—'}"]
        return _confirm(case, t("act_end"), lines, {"date": on.isoformat(), "cause": cause, "reason": reason,
                                                "notice_date": notice.isoformat() if notice else ""})
    s = site()
    with s.registry() as reg:
        after = record(s.cfg, reg, case_id, on=on, cause=cause, reason=reason, actor=_actor(), notice_on=notice)
        written = None
        if cause == "notice" and notice is not None:
            from ..cases.terminate import write_notice

            written = write_notice(s.cfg, reg, after)
    notes: tuple[str, ...] = ()
    if written is not None:
        notes = (written.detail,) if written.problem else tuple(
            t("notice_written", files=", ".join(Path(f).name for f in written.files)) for _ in written.files[:1])
    return _done(case_id, t("act_end"), notes)


class _BadNumber(Exception):
    def __init__(self, name: str, raw: str, why: str = "") -> None:
        super().__init__(name)
        self.name, self.raw, self.why = name, raw, why


def _fiscal_year(name: str) -> int:
    """A fiscal year as staff type it on the screen — 令和8年度, R8 or 2026, as on the command line."""
    from ..era import parse_fiscal_year

    raw = (request.form.get(name) or "").strip()
    try:
        return parse_fiscal_year(raw)
    except ValueError as exc:
        raise _BadNumber(name, raw[:20], str(exc)) from None


def _int(name: str) -> int:
    raw = (request.form.get(name) or "").strip()
    try:
        return int(raw)
    except ValueError:
        raise _BadNumber(name, raw[:20]) from None


@bp.errorhandler(_BadNumber)
def bad_number(exc: _BadNumber) -> Any:
    case_id = (request.view_args or {}).get("case_id")
    field = {"fy": "rv-fy" if request.path.endswith("/reviewed") else "r-fy", "item": "r-item",
             "file": "split-file"}.get(exc.name)
    if case_id is None:
        abort(400)
    message = t("bad_fy", value=exc.raw, why=exc.why) if exc.why else t("bad_number", value=exc.raw)
    return _refused(int(case_id), message, field)


@bp.route("/case/<int:case_id>/results", methods=["POST"])
@needs_change
def add_result(case_id: int) -> Any:
    from ..cases import add_result as record

    fy, item = _fiscal_year("fy"), _int("item")
    title = " ".join((request.form.get("title") or "").split())[:300]
    raw = request.form.get("date", "")
    on = _parse_date(raw)
    if raw.strip() and on is None:
        return _refused(case_id, t("bad_date", value=raw[:50]), "r-date")
    content = (request.form.get("content") or "")[:4000]
    public = request.form.get("public") == "1"
    case = _get(case_id)
    if not _confirmed():
        from .app import fy_label

        lines = [f"{t('result_fy')}: {fy_label(fy)}", f"{t('result_item')}: {item}", f"{t('result_title')}: {title}",
                 f"{t('result_date')}: {_jdate(on) if on else '—'}"]
        from ..cases.service import result_date_warnings

        lines += [f"⚠ {w}" for w in result_date_warnings(case, fy, on, _today())]  # seen before anything is recorded
        return _confirm(case, t("act_result_add"), lines,
                        {"fy": str(fy), "item": str(item), "title": title, "date": on.isoformat() if on else "",
                         "content": content, "public": "1" if public else "0"})
    s = site()
    with s.registry() as reg:
        added = record(s.cfg, reg, case_id, fy=fy, item=item, title=title, on=on, content=content or None,
                       public=public, actor=_actor())
    return _done(case_id, t("act_result_add"), tuple(added.warnings))


@bp.route("/case/<int:case_id>/results/<int:result_id>/remove", methods=["POST"])
@needs_change
def remove_result(case_id: int, result_id: int) -> Any:
    from ..cases import remove_result as remove

    case = _get(case_id)
    result = next((r for r in case.results if r.id == result_id), None)
    if result is None:
        abort(404)
    if not _confirmed():
        return _confirm(case, t("act_result_remove"), [f"{result.fiscal_year} / {result.item_no} / {result.title}"], {})
    s = site()
    with s.registry() as reg:
        remove(s.cfg, reg, result_id, actor=_actor())
    return _done(case_id, t("act_result_remove"))


@bp.route("/case/<int:case_id>/merge", methods=["POST"])
@needs_change
def merge(case_id: int) -> Any:
    from ..cases import merge as join

    raw = (request.form.get("other") or "").strip()
    other = int(raw) if raw.isdigit() else None
    case = _get(case_id)
    if not _confirmed():
        lines = []
        if other is not None:
            from ..cases.service import merge_warnings

            o = _get(other)
            lines = o.headline() + [f"⚠ {w}" for w in merge_warnings(case, o)]  # seen before anything is recorded
        return _confirm(case, t("act_merge"), lines, {"other": raw if other is not None else ""})
    s = site()
    with s.registry() as reg:
        join(s.cfg, reg, case_id, other, actor=_actor())
    return _done(case_id, t("act_merge"))


@bp.route("/case/<int:case_id>/split", methods=["POST"])
@needs_change
def split(case_id: int) -> Any:
    from ..cases import split as take_out

    case = _get(case_id)
    n = _int("file")
    f = _file_of(case, n)
    if not _confirmed():
        return _confirm(case, t("act_split"), [f"{t('split_file')}: {f.name or f.key}"], {"file": str(n)})
    s = site()
    with s.registry() as reg:
        new = take_out(s.cfg, reg, case_id, f.key, actor=_actor())
    flash(t("done", action=t("act_split")), "ok")
    return redirect(url_for("case.show", case_id=new.id), code=303)
