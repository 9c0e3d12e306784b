"""Plain-text tables of the registry for people (Japanese by default, English with --lang en).

Why its own module: the commands stay thin, and column alignment has to count
East-Asian wide characters as two columns or every Japanese table is ragged.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from ..era import fiscal_year_said, format_fiscal_year, format_wareki
from ..i18n import Catalog, get_lang, say
from ..rules import label_of
from .dates import DateRules
from .lifecycle import RenewReport
from .model import LABELS, STATUSES, Agreement, Event, Result, label, type_label
from .queries import SUMMARY_ROWS, DueItem, ReviewReport, active_count

MESSAGES: Catalog = {
    "h_id": ("ID", "ID"), "h_status": ("状態", "status"), "h_type": ("種別", "type"),
    "h_partner": ("相手方", "partner"), "h_signed": ("締結日", "signed"), "h_expires": ("満了日", "expires"),
    "h_dept": ("担当", "department"), "h_date": ("期日", "date"), "h_days": ("残日数", "days"),
    "h_what": ("内容", "what"), "h_title": ("協定名称", "title"), "h_reason": ("理由", "reason"),
    "h_total": ("計", "total"), "h_active": ("締結中", "in force"), "h_row": ("区分", "kind"),
    "none": ("該当なし", "none"),
    "h_files": ("ファイル", "files"),
    "count_cases": ("{n}件（案件の数。同じ提案書の別形式・修正版は1件に数えます）",
                    "{n} case(s) (a proposal's other formats and corrections count once)"),
    "mark_possible": ("※同一案件の可能性", "* possibly the same case"),
    "legend_possible": ("※同一案件の可能性: 確認して kyotei registry merge ID（同一なら）または kyotei registry split ID ファイル（別なら）を実行してください。",
                        "* possibly the same case: confirm with kyotei registry merge ID, or undo with kyotei registry split ID FILE."),
    "d_files": ("受け付けたファイル", "files received"),
    "d_current": ("現在の提案書", "current"),
    "d_corrections": ("職員による訂正", "staff corrections"),
    "d_errors": ("不備", "errors"),
    "h_verdict": ("判定", "verdict"),
    "d_verdict": ("判定", "Verdict"),
    "d_open": ("未確認", "open"),
    "d_review": ("要確認（原本と照合してください）", "To review (compare with the original)"),
    "d_review_next": ("照合したら kyotei registry confirm {id} 番号 --note メモ、値が違えば kyotei registry correct {id} 項目 値",
                      "Once compared: kyotei registry confirm {id} NO --note TEXT; if the value is wrong: "
                      "kyotei registry correct {id} FIELD VALUE"),
    "d_review_closed": ("{how}: {actor} {at}{note}", "{how}: {actor} {at}{note}"),
    "d_ending": ("終了予定日", "ends on"),
    "count": ("{n}件", "{n} agreement(s)"),
    "due_notice_deadline": ("不更新申出期限", "non-renewal notice deadline"),
    "due_expiry": ("有効期間満了", "expiry"),
    "due_renewal_pending": ("自動更新が未反映（renew を実行）", "renewal not applied (run renew)"),
    "due_lapsed": ("満了済・自動更新なし（end で終了を記録）", "expired, no auto-renewal (record end)"),
    "due_ending": ("終了予定", "ends"),
    "due_head": ("{today} から {within} 日以内の期限（{n}件）", "Due from {today} within {within} days ({n})"),
    "overdue": ("{n}日経過", "{n} days ago"),
    "renewed": ("自動更新しました: 協定ID {id} {title} — {old} → {new}（{start} から1年間）",
                "Renewed: agreement {id} {title} — {old} → {new} (one year from {start})"),
    "would_renew": ("見込み（未記録）: 協定ID {id} {title} — {old} → {new}（{start} から1年間）",
                    "Would renew (not recorded): agreement {id} {title} — {old} → {new} (one year from {start})"),
    "would_end": ("見込み（未記録）: 協定ID {id} は記録された終了日を迎えて終了します。",
                  "Would end (not recorded): agreement {id} reaches its recorded end."),
    "renew_none": ("更新が必要な協定はありません（{today} 時点）。", "No renewals due as of {today}."),
    "lapsed": ("満了済みですが自動更新なしの協定: 協定ID {id} {title}（満了日 {date}）。"
               "kyotei registry end で終了を記録してください。",
               "Expired without automatic renewal: agreement {id} {title} (expired {date}). Record it with "
               "kyotei registry end."),
    "review_head": ("{fy_label}（{fy}年度）に実績のない協定: {n}件（締結中 {total}件のうち）",
                    "Agreements without results in FY{fy}: {n} of {total} in force"),
    "review_hint": ("ガイドライン５(3): 実績がない協定は、協定継続について相手方と協議し意向を確認してください。"
                    "結果は kyotei registry reviewed 協定ID --outcome continue|amend|end で記録します。",
                    "Guideline 5(3): discuss continuing each of these with the partner; record the outcome with "
                    "kyotei registry reviewed ID --outcome continue|amend|end."),
    "review_suggest": ("※ {fields}の個別連携協定です。災害時の協力など有事に備えた協定なら、"
                       "kyotei registry set 協定ID --exempt --exempt-reason 理由 で見直しの対象外にできます（判断は職員が行います）。",
                       "* An individual agreement in {fields}: if it is prepared for emergencies, exempt it with "
                       "kyotei registry set ID --exempt --exempt-reason TEXT (staff decide)."),
    "h_outcome": ("協議の結果", "outcome"),
    "outcome_none": ("未記録", "not recorded"),
    "exempt_head": ("見直し対象外（職員が有事に備えた協定として指定）: {n}件",
                    "Exempt (marked by staff as prepared for emergencies): {n}"),
    "exempt_flag": ("登録で対象外に指定", "marked exempt"),
    "summary_head": ("包括連携協定の件数（{coordinator}向け）", "Comprehensive agreements by type and status (for {coordinator})"),
    "summary_individual": ("参考: 個別連携協定", "For reference: individual agreements"),
    "axis": ("主軸分野型", "with axis field"), "allround": ("オールラウンド型", "all-round"),
    "comprehensive_unknown": ("型未確定", "type not settled"), "individual": ("個別連携協定", "individual"),
    "unknown": ("種別未確定", "type not settled"),
    "d_type": ("種別", "Type"), "d_axis": ("主軸分野", "Axis field"), "d_partner": ("相手方", "Partner"),
    "d_address": ("所在地", "Address"), "d_rep": ("代表者", "Representative"),
    "d_fields": ("連携分野", "Fields"), "d_items": ("連携事項", "Items"), "d_dept": ("担当部局・課", "Department"),
    "d_received": ("受付日", "Received"), "d_proposed": ("提案書の日付", "Proposal dated"),
    "d_signed": ("締結日", "Signed"), "d_term": ("有効期間", "Term"), "d_period": ("現在の有効期間", "Current term"),
    "d_auto": ("自動更新", "Automatic renewal"), "d_deadline": ("不更新申出期限", "Notice deadline"),
    "d_ended": ("終了日", "Ended"), "d_end_reason": ("終了理由", "Reason"), "d_url": ("公表URL", "Public URL"),
    "d_notes": ("備考", "Notes"), "d_exempt": ("見直し対象外", "Exempt from review"),
    "d_events": ("履歴", "History"), "d_results": ("連携実績", "Results"),
    "yes": ("あり", "yes"), "no": ("なし", "no"),
    "renewed_times": ("更新 {n} 回", "renewed {n} time(s)"),
    "auto_line": ("{answer}（{times}）", "{answer} ({times})"),
    "public": ("公表", "public"), "private": ("非公表", "private"),
    "d_notice": ("解約・不更新の通知日", "Notice given"),
    "as_signed": ("（連携事項の番号は締結時のもの）", "(item number as signed)"),
    "as_amended": ("（連携事項の番号は{n}回目の変更後のもの）", "(item number after amendment {n})"),
    "d_signed_items": ("締結時の連携事項（変更前）", "Items as signed (before amendment)"),
    "items_default": ("（未設定: 様式２の既定の連携事項を使用）", "(not set: Form 2 default items)"),
}


def correction_value(field: str, value: Any) -> str:
    """A corrected or read value in staff's words: the type by its name (stored as ``comprehensive``),
    nothing as 「—」 (never Python's ``None``)."""
    if value in (None, "", "None"):
        return "—"
    if field == "agreement_type":
        return label(str(value))
    return str(value)


def text_width(s: str) -> int:
    """Columns ``s`` takes in a terminal: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def clip(s: str, width: int) -> str:
    """Shorten ``s`` to ``width`` columns, marking the cut with 「…」."""
    if text_width(s) <= width:
        return s
    out, used = [], 0
    for ch in s:
        w = text_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int | None] = ()) -> str:
    """Left-aligned columns separated by two spaces; ``widths`` clip long cells."""
    limits = list(widths) + [None] * (len(headers) - len(widths))
    cells = [[clip(str(c), w) if w else str(c) for c, w in zip(row, limits)] for row in rows]
    sizes = [max([text_width(h)] + [text_width(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (sizes[i] - text_width(v)) for i, v in enumerate(values)).rstrip()

    out = [line(headers), line(["-" * s for s in sizes])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def _date(d: date | None) -> str:
    return d.isoformat() if d else "—"


def _both(d: date | None) -> str:
    """「2027-03-31（令和9年3月31日）」"""
    if d is None:
        return "—"
    return f"{d.isoformat()}（{format_wareki(d, 'ascii')}）" if get_lang() == "ja" else \
        f"{d.isoformat()} ({format_wareki(d, 'ascii')})"


def _short_type(a: Agreement) -> str:
    if a.kind == "comprehensive":
        return say(MESSAGES, a.subtype or "comprehensive_unknown")
    return say(MESSAGES, "individual" if a.kind == "individual" else "unknown")


def agreements_table(agreements: Sequence[Agreement]) -> str:
    if not agreements:
        return say(MESSAGES, "none")
    head = [say(MESSAGES, k) for k in ("h_id", "h_status", "h_type", "h_partner", "h_signed", "h_expires",
                                        "h_dept")]
    rows = [[str(a.id), label(a.status), _short_type(a), a.partner_name or "—", _date(a.signed_on),
             _date(a.ended_on if a.status == "ended" else a.expires_on), a.department or "—"] for a in agreements]
    return table(head, rows, (None, None, None, 30, None, None, 24)) + "\n" + say(MESSAGES, "count", n=len(rows))


def due_table(items: Sequence[DueItem], *, today: date, within: int) -> str:
    head_line = say(MESSAGES, "due_head", today=today.isoformat(), within=within, n=len(items))
    if not items:
        return head_line + "\n" + say(MESSAGES, "none")
    head = [say(MESSAGES, k) for k in ("h_date", "h_days", "h_what", "h_id", "h_partner", "h_dept")]
    rows = []
    for i in items:
        days = str(i.days) if i.days >= 0 else say(MESSAGES, "overdue", n=-i.days)
        rows.append([_both(i.on), days, say(MESSAGES, f"due_{i.kind}"), str(i.agreement.id),
                     i.agreement.partner_name or "—", i.agreement.department or "—"])
    return head_line + "\n" + table(head, rows, (None, None, None, None, 28, 24))


def renew_text(report: RenewReport, *, today: date) -> str:
    lines = [say(MESSAGES, "would_end", id=i) for i in report.ended] if report.preview else []
    lines += [say(MESSAGES, "would_renew" if report.preview else "renewed", id=r.agreement_id, title=r.title, old=r.previous_expiry.isoformat(),
                 new=r.new_expiry.isoformat(), start=r.starts_on.isoformat()) for r in report.renewed]
    lines += [say(MESSAGES, "lapsed", id=a.id, title=a.title, date=_date(a.expires_on)) for a in report.lapsed]
    return "\n".join(lines) if lines else say(MESSAGES, "renew_none", today=today.isoformat())


def review_text(report: ReviewReport) -> str:
    fy_label = format_fiscal_year(report.fy, "ascii")
    out = [say(MESSAGES, "review_head", fy_label=fy_label, fy=report.fy, n=len(report.needs_review),
               total=report.in_force)]
    head = [say(MESSAGES, k) for k in ("h_id", "h_type", "h_partner", "h_signed", "h_dept", "h_outcome")]
    if report.needs_review:
        rows = []
        for a in report.needs_review:
            done = report.outcomes.get(a.id)
            outcome = (f"{label('outcome_' + done.outcome)}（{done.on_date.isoformat()}）" if done
                       else say(MESSAGES, "outcome_none"))
            mark = " ※" if a.id in report.suggested else ""
            rows.append([str(a.id), _short_type(a), (a.partner_name or "—") + mark, _date(a.signed_on),
                         a.department or "—", outcome])
        out.append(table(head, rows, (None, None, 30, None, 24, None)))
        out.append(say(MESSAGES, "review_hint"))
        if report.suggested:
            out.append(say(MESSAGES, "review_suggest", fields="・".join(sorted(set(report.suggested.values())))))
    out.append("")
    out.append(say(MESSAGES, "exempt_head", n=len(report.exempt)))
    if report.exempt:
        rows = []
        for a, why in report.exempt:
            reason = say(MESSAGES, "exempt_flag") if why == "flag" else why
            rows.append([str(a.id), _short_type(a), a.partner_name or "—", _date(a.signed_on), reason])
        head = [say(MESSAGES, k) for k in ("h_id", "h_type", "h_partner", "h_signed", "h_reason")]
        out.append(table(head, rows, (None, None, 30, None, None)))
    return "\n".join(out)


def summary_text(counts: dict[str, dict[str, int]], coordinator: str = "市民生活部 地域活動推進課") -> str:
    """The counts as two tables; ``coordinator`` is the section that keeps count ([routing] coordinator)."""
    head = [say(MESSAGES, "h_row")] + [label(s) for s in STATUSES] + [say(MESSAGES, "h_total"),
                                                                      say(MESSAGES, "h_active")]

    def row(key: str) -> list[str]:
        c = counts[key]
        return [say(MESSAGES, key)] + [str(c[s]) for s in STATUSES] + [str(c["total"]), str(active_count(c))]

    comprehensive = [k for k in SUMMARY_ROWS[:3] if k != "comprehensive_unknown" or counts[k]["total"]]
    total = {s: sum(counts[k][s] for k in SUMMARY_ROWS[:3]) for s in (*STATUSES, "total")}
    total_row = [say(MESSAGES, "h_total")] + [str(total[s]) for s in STATUSES] + [
        str(total["total"]), str(active_count(total))]
    out = [say(MESSAGES, "summary_head", coordinator=coordinator), table(head, [row(k) for k in comprehensive] + [total_row]), "",
           say(MESSAGES, "summary_individual"), table(head, [row("individual")] + (
               [row("unknown")] if counts["unknown"]["total"] else []))]
    return "\n".join(out)


def _event_line(e: Event) -> str:
    what = label(f"ev_{e.kind}")
    extra = ""
    d = e.detail
    if e.kind in ("signed", "sign_corrected"):
        extra = f"{label(d.get('term'))} → {d.get('expires_on')}"
    elif e.kind == "renewed":
        extra = f"{d.get('previous_expires_on')} → {d.get('expires_on')}"
    elif e.kind == "ended":
        extra = f"{label(d.get('cause'))}: {d.get('reason')}"
    elif e.kind in ("received", "resubmitted", "other_format", "possible_joined"):
        extra = f"{d.get('file') or ''} ({d.get('submission_id')})"
    elif e.kind == "end_scheduled":
        extra = f"{d.get('ends_on')} {label(d.get('cause'))}: {d.get('reason')}"
    elif e.kind in ("merged", "merged_into", "split", "split_from", "adopted"):
        other = d.get("into") or d.get("from") or d.get("to")
        extra = f"ID {other} {d.get('file') or ''}".strip() if other else ""
    elif e.kind == "confirmed":
        extra = f"{d.get('message')}" + (f"（{d.get('note')}）" if d.get("note") else "")
    elif e.kind == "corrected":
        field = str(d.get("field") or "")
        extra = (f"{label_of(field)}: {correction_value(field, d.get('read'))} → "
                 f"{correction_value(field, d.get('value'))}")
    elif e.kind == "result_added":
        extra = f"{fiscal_year_said(d['fiscal_year'])} {d.get('item')}. {d.get('title')}"
    elif e.kind == "result_removed":
        removed = d.get("removed", {})
        extra = f"{removed.get('fiscal_year')} {removed.get('item')}. {removed.get('title')}"
    elif e.kind == "amended":
        after = d.get("after")
        extra = f"第{d.get('article')}条: " + ("、".join(after) if isinstance(after, list) else str(after))
    elif e.kind == "reviewed":
        extra = f"{fiscal_year_said(d['fiscal_year'])}: {d.get('outcome_label')} {d.get('note') or ''}"
    elif e.kind == "judged":  # each item's key (what judge --item takes) with its state in staff's words
        from ..cases.judging import state_label

        extra = ", ".join(f"{a.get('item')}: {state_label(a.get('state'))}" for a in d.get("answers", [])[:6])
        extra += " …" if len(d.get("answers", [])) > 6 else ""
    elif e.kind == "step":
        extra = f"{d.get('step')}{'（取消）' if d.get('undone') else ''} {d.get('note') or ''}".strip()
    elif e.kind == "draft":
        extra = f"第{d.get('version')}版 {label('draft_' + str(d.get('direction')))} {d.get('file') or ''}".strip()
    elif e.kind == "draft_confirmed":
        extra = f"第{d.get('version')}版"
    elif e.kind == "intent_sent":
        extra = "、".join(d.get("departments") or []) + (f"（回答期限 {d['deadline']}）" if d.get("deadline") else "")
    elif e.kind == "intent_answer":
        extra = f"{d.get('department')}: {d.get('wish')}"
    elif e.kind == "meeting":
        extra = f"{d.get('notes') or ''}".strip()
    elif e.kind == "edited":
        def shown_value(v: Any) -> str:   # a list as 「a、b」, nothing as 「—」: never Python's [] or None
            return "、".join(map(str, v)) or "—" if isinstance(v, list) else "—" if v in (None, "") else str(v)

        extra = ", ".join(f"{label('ed_' + k) if 'ed_' + k in LABELS else k}: {shown_value(v[0])} → {shown_value(v[1])}"
                          for k, v in d.items())
    return f"    {e.on_date.isoformat()}  {what}  [{e.actor}]  {extra}".rstrip()


def agreement_text(a: Agreement, events: Sequence[Event], results: Sequence[Result], rules: DateRules) -> str:
    def row(key: str, value: str) -> str:
        return f"  {say(MESSAGES, key)}: {value}"

    lines = [f"■ {say(MESSAGES, 'h_id')} {a.id}  {a.title}  [{label(a.status)}]",
             row("d_type", type_label(a.kind, a.subtype))]
    if a.axis_field:
        lines.append(row("d_axis", a.axis_field))
    lines += [row("d_partner", a.partner_name or "—"), row("d_address", a.partner_address or "—"),
              row("d_rep", a.partner_representative or "—"),
              row("d_fields", ("、" if get_lang() == "ja" else ", ").join(a.fields) or "—"),
              row("d_dept", a.department or "—"), row("d_proposed", _both(a.proposed_on)),
              row("d_received", _both(a.received_on))]
    if a.items:
        lines.append(row("d_items", ""))
        lines += [f"    {n}. {item}" for n, item in enumerate(a.items, 1)]
        if a.signed_items and a.signed_items != a.items:
            lines.append(row("d_signed_items", ""))
            lines += [f"    {n}. {item}" for n, item in enumerate(a.signed_items, 1)]
    else:
        lines.append(row("d_items", say(MESSAGES, "items_default")))
    if a.signed_on:
        lines += [row("d_signed", _both(a.signed_on)), row("d_term", label(a.term)),
                  row("d_period", f"{_both(a.period_start)} 〜 {_both(a.expires_on)}"),
                  row("d_auto", say(MESSAGES, "auto_line", answer=say(MESSAGES, "yes" if a.auto_renew else "no"),
                                    times=say(MESSAGES, "renewed_times", n=a.renewals)))]
        if a.active and a.auto_renew and a.expires_on:
            lines.append(row("d_deadline", _both(rules.deadline(a.expires_on))))
    if a.ended_on:
        lines += [row("d_ended", _both(a.ended_on)),
                  row("d_end_reason", f"{label(a.end_cause)}: {a.end_reason or ''}")]
    if a.notice_on:
        lines.append(row("d_notice", _both(a.notice_on)))
    if a.public_url:
        lines.append(row("d_url", a.public_url))
    if a.notes:
        lines.append(row("d_notes", a.notes))
    if a.review_exempt:
        lines.append(row("d_exempt", a.exempt_reason or say(MESSAGES, "yes")))
    lines.append(f"  {say(MESSAGES, 'd_events')}:")
    lines += [_event_line(e) for e in events]
    lines.append(f"  {say(MESSAGES, 'd_results')}:")
    if not results:
        lines.append(f"    {say(MESSAGES, 'none')}")
    current_fy = None
    version = sum(1 for e in events if e.kind == "amended" and e.detail.get("article") == 2)
    for r in results:
        if r.fiscal_year != current_fy:
            current_fy = r.fiscal_year
            lines.append(f"    {fiscal_year_said(r.fiscal_year)}")
        when = f" ({r.done_on.isoformat()})" if r.done_on else ""
        flag = say(MESSAGES, "public" if r.public else "private")
        numbering = "" if r.items_version == version else " " + say(
            MESSAGES, "as_signed" if r.items_version == 0 else "as_amended", n=r.items_version)
        lines.append(f"      #{r.id} {r.item_no}. {r.title}{when} [{flag}]{numbering}")
    return "\n".join(lines)


def cases_table(cases: Sequence[Any]) -> str:
    """``kyotei registry list``: one row per case (its effective status: 終了予定 while in force)."""
    if not cases:
        return say(MESSAGES, "none")
    from ..cases.verdict import verdict_label

    head = [say(MESSAGES, k) for k in ("h_id", "h_status", "h_verdict", "h_type", "h_partner", "h_signed",
                                        "h_expires", "h_dept", "h_files")]
    rows = []
    for c in cases:
        a = c.agreement
        until = a.ended_on if (a.status == "ended" or a.ended_on) else a.expires_on
        files = str(len(c.files)) + (" " + say(MESSAGES, "mark_possible") if c.possibly_same else "")
        rows.append([str(a.id), label(c.status or a.status), verdict_label(c.verdict_code), _short_type(a),
                     a.partner_name or "—", _date(a.signed_on), _date(until), a.department or "—", files])
    out = table(head, rows, (None, None, None, None, 30, None, None, 24, None)) + "\n" + \
        say(MESSAGES, "count_cases", n=len(rows))
    if any(c.possibly_same for c in cases):
        out += "\n" + say(MESSAGES, "legend_possible")
    return out


def case_text(case: Any, rules: DateRules, cfg: Any | None = None) -> str:
    """``kyotei registry show``: the agreement, its files with their roles, corrections and history.

    When files came in and corrections were made is shown in the city's time (``cfg``'s zone).
    """
    from ..citytime import shown

    text = agreement_text(case.agreement, case.events, case.results, rules)
    lines = text.split("\n")
    if case.status == "ending":
        lines[0] = lines[0].replace(f"[{label(case.agreement.status)}]", f"[{label('ending')}]")
    extra = [f"  {say(MESSAGES, 'd_files')}:"]
    for f in case.files:
        marks = [label(f.role)]
        if f.current:
            marks.append(say(MESSAGES, "d_current"))
        if not f.valid:
            marks.append(say(MESSAGES, "d_errors") + f" {len(f.errors) or '?'}")
        extra.append(f"    {f.name or f.key}  [{'・'.join(marks)}]  {shown(f.recorded_at, cfg)}")
    if case.corrections:
        extra.append(f"  {say(MESSAGES, 'd_corrections')}:")
        extra += [f"    {label_of(c.field)}: {correction_value(c.field, c.read_value)} → "
                  f"{correction_value(c.field, c.value)} ({c.actor} {shown(c.recorded_at, cfg)})"
                  for c in case.corrections]
    if case.verdict is not None:
        extra.append(f"  {say(MESSAGES, 'd_verdict')}: {case.verdict.label}")
    if case.errors:
        extra.append(f"  {say(MESSAGES, 'd_errors')}:")
        extra += [f"    - {e}" for e in case.errors]
    items = case.verdict.items if case.verdict is not None else ()
    if items:
        extra.append(f"  {say(MESSAGES, 'd_review')}:")
        for i in items:
            if i.open:
                extra.append(f"    {i.no}. [{say(MESSAGES, 'd_open')}] {i.message}")
            else:
                done = i.closed_label if i.actor is None else say(
                    MESSAGES, "d_review_closed", how=i.closed_label, actor=i.actor, at=shown(i.at, cfg) if i.at else "",
                    note=f"（{i.note}）" if i.note else "")
                extra.append(f"    {i.no}. [{done}] {i.message}")
        if case.open_review:
            extra.append("    " + say(MESSAGES, "d_review_next", id=case.id))
    at = next((i for i, line in enumerate(lines) if line.startswith(f"  {say(MESSAGES, 'd_events')}:")),
              len(lines))
    return "\n".join(lines[:at] + extra + lines[at:])
