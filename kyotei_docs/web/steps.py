"""The case page's 検討票 and 流れ: the guideline's steps before signing, on the screen.

Thin over the same services as ``kyotei registry judge / step / sheet``
(cases/judging.py, cases/flow.py): the panel is drawn by ``_steps.html``
inside the case page (:func:`case_steps` gives it the derived judgement and
flow); each change posts twice like every action of the case page — a
confirmation naming the case and what will be recorded, then the record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, request, send_file

from ..i18n import Catalog, say
from ..registry.errors import RegistryError
from .app import site
from .case import _actor, _confirm, _confirmed, _done, _get, _jdate, _parse_date, _refused, _today, refused
from .security import needs_change

bp = Blueprint("steps", __name__)
bp.register_error_handler(RegistryError, refused)

MESSAGES: Catalog = {
    "judging": ("検討票（ガイドライン2(2)）", "Judgement sheet (guideline 2(2))"),
    "judging_done": ("{done} / {total} 項目が判断済み", "{done} of {total} judged"),
    "judging_ok": ("すべて適合・該当なし: 締結できます。", "Every item met or not applicable: may be signed."),
    "judging_open": ("未了 {n} 件: 締結の前に判断を記録してください。", "{n} open: record them before signing."),
    "judging_state": ("判断", "Judgement"),
    "judging_note": ("備考", "Note"),
    "judging_who": ("判断者・日付", "Who, when"),
    "judging_keep": ("（変更しない）", "(unchanged)"),
    "judging_submit": ("検討票の判断を記録", "Record the judgements"),
    "judging_all": ("残りをすべて適合・該当なしとして記録（会議で判断した場合）", "Record every other item as met / not applicable"),
    "judging_all_note": ("会議などの備考", "Note (e.g. the meeting)"),
    "judging_nothing": ("記録する判断が選ばれていません。", "No judgement was chosen."),
    "judging_action": ("検討票の判断", "the judgements"),
    "judging_line": ("{text} → {state}", "{text} → {state}"),
    "judging_all_line": ("ほかの {n} 項目 → 適合・該当なし", "the other {n} items → met / not applicable"),
    "sheet": ("検討票を作成（Word）", "Make the sheet (Word)"),
    "flow": ("流れ（ガイドライン4）", "Flow (guideline 4)"),
    "flow_none": ("種別（個別／包括、主軸分野の有無）が決まると、流れが表示されます。",
                  "The flow shows once the type is settled."),
    "flow_expected": ("目安 {date}", "expected by {date}"),
    "flow_late": ("遅れ（目安 {date}）", "late (expected by {date})"),
    "flow_current": ("現在の段階", "Now"),
    "flow_record": ("段階を記録", "Record a step"),
    "flow_step": ("段階", "Step"),
    "flow_date": ("行った日", "Date"),
    "flow_note": ("備考（任意）", "Note (optional)"),
    "flow_action": ("流れの段階", "a step of the flow"),
    "flow_line": ("{label}（{date}）", "{label} ({date})"),
    "meetings": ("協議の記録", "Meetings"),
    "meeting_kind": ("種類", "Kind"),
    "meeting_date": ("行った日", "Date"),
    "meeting_attendees": ("出席者（「、」で区切る）", "Attendees (separated by 「、」)"),
    "meeting_notes": ("内容", "What was said"),
    "meeting_next": ("次の対応", "Next action"),
    "meeting_action": ("協議の記録", "a meeting"),
    "meeting_submit": ("協議を記録", "Record the meeting"),
    "intent": ("意向調査（{asked} 部局に調査、{answered} 部局が回答）", "Survey ({asked} asked, {answered} answered)"),
    "intent_none": ("未回答", "no answer"),
    "drafts": ("協定書（案）", "Draft agreement"),
    "draft_row": ("第{n}版　{way}　{date}　{file}", "version {n}  {way}  {date}  {file}"),
    "way_sent": ("送付", "sent"),
    "way_returned": ("返送", "returned"),
    "draft_confirmed": ("内容確定", "confirmed"),
    "notify_consultation": ("地域活動推進課へ連絡（協議開始）を作成", "Make the notice (consultation started)"),
    "notify_signing_date": ("地域活動推進課へ連絡（締結日決定）を作成", "Make the notice (signing date fixed)"),
    "notify_date": ("決まった締結日", "Signing date"),
    "notify_action": ("地域活動推進課への連絡", "the notice to the coordinating section"),
    "notify_written": ("連絡文とメールの下書きを作成しました: {files}（.eml を開いて送信してください）",
                       "Wrote the notice and a draft e-mail: {files} (open the .eml and send it)"),
}


def t(key: str, **params: Any) -> str:
    return say(MESSAGES, key, **params)


@bp.app_template_global()
def case_steps(case: Any) -> dict[str, Any]:
    """The judgement and the flow of ``case`` as the panel shows them, derived on every view."""
    from ..cases.drafts import confirmed, versions
    from ..cases.flow import progress
    from ..cases.intent import answers
    from ..cases.judging import STATES, blocking, judgement, state_label
    from ..cases.meetings import KINDS, kind_label, meetings

    cfg = site().cfg
    states = judgement(cfg, case.events)
    asked, latest = answers(case.events)
    return {"intent_asked": asked, "intent_answers": latest, "drafts": versions(case.events),
            "draft_confirmed": confirmed(case.events), "notify": cfg.guideline.notify_kinds, "states": states, "open": blocking(states), "label": state_label, "meetings": meetings(case.events),
            "meeting_kinds": [(k, kind_label(k)) for k in KINDS], "meeting_label": kind_label,
            "choices": {kind: [(s, state_label(s)) for s in allowed] for kind, allowed in STATES.items()},
            "progress": progress(cfg, case.agreement, case.events, _today()), "m": t}


def _form_day() -> date | None:
    """The form's 「date」: today when left empty, None when it is no date (the caller refuses)."""
    raw = request.form.get("date", "")
    return _parse_date(raw) if raw.strip() else _today()


def _bad_day(case_id: int, field: str = "date") -> Any:
    from .case import t as case_t

    return _refused(case_id, case_t("bad_date", value=request.form.get(field, "")[:50]))


@bp.route("/case/<int:case_id>/judge", methods=["POST"])
@needs_change
def judge(case_id: int) -> Any:
    from ..cases.judging import parse_state, record, state_label

    cfg = site().cfg
    answers: dict[str, tuple[str, str]] = {}
    for item in cfg.guideline.checklist:
        word = (request.form.get(f"state_{item.key}") or "").strip()
        if word:
            answers[item.key] = (word, (request.form.get(f"note_{item.key}") or "")[:500])
    all_clear = request.form.get("all_clear") == "1"
    note = (request.form.get("note") or "")[:500]
    if not answers and not all_clear:
        return _refused(case_id, t("judging_nothing"))
    case = _get(case_id)
    if not _confirmed():
        by_key = {i.key: i for i in cfg.guideline.checklist}
        lines = [t("judging_line", text=by_key[k].text[:40], state=state_label(parse_state(by_key[k], w)))
                 for k, (w, _n) in answers.items() if k in by_key]
        if all_clear:
            lines.append(t("judging_all_line", n=len(cfg.guideline.checklist) - len(answers)))
        fields = {f"state_{k}": w for k, (w, _n) in answers.items()}
        fields |= {f"note_{k}": n for k, (_w, n) in answers.items() if n}
        fields |= {"all_clear": "1", "note": note} if all_clear else {}
        return _confirm(case, t("judging_action"), lines, fields)
    s = site()
    with s.registry() as reg:
        record(s.cfg, reg, case_id, answers, all_clear=all_clear, note=note, actor=_actor())
    return _done(case_id, t("judging_action"))


@bp.route("/case/<int:case_id>/step", methods=["POST"])
@needs_change
def step(case_id: int) -> Any:
    from ..cases.flow import progress, record

    cfg = site().cfg
    on = _form_day()
    if on is None:
        return _bad_day(case_id)
    key = (request.form.get("step") or "")[:100]
    note = (request.form.get("note") or "")[:500]
    case = _get(case_id)
    if not _confirmed():
        flow = progress(cfg, case.agreement, case.events, _today())
        label = next((s.step.label for s in flow.steps if s.step.key == key), key)
        return _confirm(case, t("flow_action"), [t("flow_line", label=label, date=_jdate(on))],
                        {"step": key, "date": on.isoformat(), "note": note})
    s = site()
    with s.registry() as reg:
        record(s.cfg, reg, case_id, key, on=on, note=note, actor=_actor())
    return _done(case_id, t("flow_action"))


@bp.route("/case/<int:case_id>/sheet", methods=["POST"])
@needs_change
def sheet(case_id: int) -> Any:
    """The 検討票 written into the case's documents folder, then downloaded (a document is made: a change role)."""
    from ..cases.judging import render_sheet
    from ..registry.documents import default_out_dir

    s = site()
    case = _get(case_id)
    letter = render_sheet(s.cfg, case, default_out_dir(case.agreement, None, s.cfg), today=_today())
    path = letter.files[0].resolve()  # send_file reads a relative path from the package, not the working folder
    return send_file(path, as_attachment=True, download_name=path.name)


@bp.route("/case/<int:case_id>/meeting", methods=["POST"])
@needs_change
def meeting(case_id: int) -> Any:
    from ..cases.meetings import kind_label
    from ..cases.meetings import record as record_meeting

    on = _form_day()
    if on is None:
        return _bad_day(case_id)
    kind = (request.form.get("kind") or "")[:40]
    attendees = [a.strip() for a in (request.form.get("attendees") or "")[:2000].replace(",", "、").split("、")]
    notes, next_action = (request.form.get("notes") or "")[:4000], (request.form.get("next") or "")[:1000]
    case = _get(case_id)
    if not _confirmed():
        lines = [f"{kind_label(kind)}（{_jdate(on)}）", "、".join(a for a in attendees if a), notes, next_action]
        return _confirm(case, t("meeting_action"), [x for x in lines if x],
                        {"kind": kind, "date": on.isoformat(), "attendees": "、".join(attendees), "notes": notes,
                         "next": next_action})
    s = site()
    with s.registry() as reg:
        record_meeting(s.cfg, reg, case_id, kind=kind, on=on, attendees=attendees, notes=notes,
                       next_action=next_action, actor=_actor())
    return _done(case_id, t("meeting_action"))


@bp.route("/case/<int:case_id>/notify", methods=["POST"])
@needs_change
def notify(case_id: int) -> Any:
    """主軸分野型's notice to the coordinating section: the text and .eml written into the case folder, recorded."""
    from ..cases.notices import KINDS
    from ..cases.notices import notify as make_notice
    from ..registry.documents import default_out_dir

    which = request.form.get("which", "")
    if which not in KINDS:
        return _refused(case_id, t("notify_action"))
    signing = None
    if which == "signing_date":
        signing = _parse_date(request.form.get("signing_date", ""))
        if signing is None:
            return _bad_day(case_id, "signing_date")
    case = _get(case_id)
    if not _confirmed():
        lines = [t(f"notify_{which}")] + ([f"{t('notify_date')}: {_jdate(signing)}"] if signing else [])
        return _confirm(case, t("notify_action"), lines,
                        {"which": which, "signing_date": signing.isoformat() if signing else ""})
    s = site()
    with s.registry() as reg:
        _notice, files = make_notice(s.cfg, reg, case.agreement, which, on=_today(), actor=_actor(), today=_today(),
                                     out_dir=default_out_dir(case.agreement, None, s.cfg), signing=signing)
    return _done(case_id, t("notify_action"), (t("notify_written", files="、".join(str(f) for f in files)),))
