"""The case page's history: when (date and time), who, and what changed — old → new — in staff's words.

Why here: the registry keeps every event with its detail as data (``edited`` holds
``{field: [old, new]}``, ``corrected`` the value read and the value used, ``renewed``
the expiry before and after …); a ledger's history must say that in sentences a
person reads, not as JSON.  Only the page shows it this way: the events stay as
they were recorded.
"""

from __future__ import annotations

from typing import Any

from ..i18n import Catalog, say

MESSAGES: Catalog = {
    "change": ("{what}: {old} → {new}", "{what}: {old} → {new}"),
    "status": ("状態", "Status"),
    "reason": ("理由: {text}", "Reason: {text}"),
    "note": ("メモ: {text}", "Note: {text}"),
    "expires": ("満了日", "Expiry"),
    "ends_on": ("終了日: {date}", "Ends on: {date}"),
    "cause": ("終了の理由: {cause}", "Cause: {cause}"),
    "result": ("実績: {fy} {item}. {title}", "Result: {fy} item {item}: {title}"),
    "merged_from": ("番号 {id} の案件を統合", "case {id} merged in"),
    "merged_into": ("番号 {id} の案件に統合", "merged into case {id}"),
    "split_to": ("{file} を番号 {id} の案件に分離", "{file} split off into case {id}"),
    "split_from": ("番号 {id} の案件から {file} を分離", "{file} split off from case {id}"),
    "confirmed": ("{message}", "{message}"),
    "amended": ("第{article}条: {before} → {after}", "Article {article}: {before} → {after}"),
    "reviewed": ("{fy}: {outcome}", "{fy}: {outcome}"),
    "file": ("ファイル: {name}", "File: {name}"),
    "step": ("段階: {step}", "Step: {step}"),
    "step_undone": ("段階: {step}（記録の取消）", "Step: {step} (record withdrawn)"),
    "draft": ("第{version}版 {direction}", "Version {version} {direction}"),
    "judged_all": ("{n} 項目を一括で適合・該当なしと記録", "{n} items recorded as met / not applicable at once"),
    "judged_item": ("{item}: {state}", "{item}: {state}"),
    "yes": ("あり", "yes"),
    "no": ("なし", "no"),
    "items_n": ("{n} 件", "{n} items"),
    # the details staff edit (registry/lifecycle.py EDITABLE)
    "f_title": ("協定名称", "Title"),
    "f_public_url": ("公表URL", "Public URL"),
    "f_notes": ("備考", "Notes"),
    "f_items": ("連携事項", "Items"),
    "f_department": ("担当部局", "Department"),
    "f_auto_renew": ("自動更新", "Automatic renewal"),
    "f_review_exempt": ("実績なしの見直しの対象外", "Exempt from the no-results review"),
    "f_exempt_reason": ("対象外の理由", "Why exempt"),
}

_BLANK = "—"


def _t(key: str, **params: Any) -> str:
    return say(MESSAGES, key, **params)


def _text(value: Any) -> str:
    """A stored value as a person reads it: lists one per 「、」, booleans あり/なし, nothing as —."""
    if value is None or value == "" or value == []:
        return _BLANK
    if isinstance(value, bool):
        return _t("yes") if value else _t("no")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    text = " ".join(str(value).split())
    return text if len(text) <= 200 else text[:199] + "…"


def _fy(value: Any) -> str:
    """A recorded fiscal year as the screen names years (令和8年度, FY2026); anything else as it is."""
    from .app import fy_label

    return fy_label(value) if isinstance(value, int) and not isinstance(value, bool) else _text(value) or "?"


def _field(name: str) -> str:
    key = f"f_{name}"
    return _t(key) if key in MESSAGES else name


def lines(event: Any, status_label: Any, field_label: Any, step_label: Any = str) -> list[str]:
    """What ``event`` changed, one line each (empty when the kind says it all); ``step_label`` names a
    flow's step by its words (the configuration's)."""
    d = event.detail if isinstance(event.detail, dict) else {}
    kind = event.kind
    out: list[str] = []
    if event.from_status and event.to_status and event.from_status != event.to_status:
        out.append(_t("change", what=_t("status"), old=status_label(event.from_status),
                      new=status_label(event.to_status)))
    if kind == "edited":
        for name, pair in d.items():
            if isinstance(pair, list) and len(pair) == 2:
                old, new = pair
                if name == "items" and isinstance(old, list) and isinstance(new, list):
                    out.append(_t("change", what=_field(name), old=_t("items_n", n=len(old)),
                                  new=_t("items_n", n=len(new))))
                    out.extend(f"  {n}. {text}" for n, text in enumerate(new, 1))
                else:
                    out.append(_t("change", what=_field(name), old=_text(old), new=_text(new)))
    elif kind == "corrected":
        read, value = d.get("read"), d.get("value")
        if d.get("field") == "agreement_type":  # stored as its key (comprehensive): in staff's words
            read, value = (status_label(v) if v else v for v in (read, value))
        out.append(_t("change", what=field_label(d.get("field", "")), old=_text(read), new=_text(value)))
    elif kind == "renewed":
        out.append(_t("change", what=_t("expires"), old=_text(d.get("previous_expires_on")),
                      new=_text(d.get("expires_on"))))
    elif kind in ("end_scheduled", "ended"):
        if d.get("ends_on"):
            out.append(_t("ends_on", date=d["ends_on"]))
        if d.get("cause"):
            out.append(_t("cause", cause=status_label(d["cause"])))
    elif kind in ("result_added", "result_removed"):
        r = d.get("removed") if kind == "result_removed" else d
        if isinstance(r, dict) and r.get("title"):
            out.append(_t("result", fy=_fy(r.get("fiscal_year")), item=r.get("item_no", r.get("item", "?")),
                          title=_text(r.get("title"))))
    elif kind == "merged" and d.get("from"):
        out.append(_t("merged_from", id=d["from"]))
    elif kind == "merged_into":
        out.append(_t("merged_into", id=d.get("into", "?")))
    elif kind == "split":
        out.append(_t("split_to", file=_text(d.get("file")), id=d.get("to", "?")))
    elif kind == "split_from":
        out.append(_t("split_from", file=_text(d.get("file")), id=d.get("from", "?")))
    elif kind == "confirmed" and d.get("message"):
        out.append(_t("confirmed", message=_text(d["message"])))
    elif kind == "amended":
        out.append(_t("amended", article=d.get("article", "?"), before=_text(d.get("before")),
                      after=_text(d.get("after"))))
    elif kind == "reviewed":
        out.append(_t("reviewed", fy=_fy(d.get("fiscal_year")), outcome=_text(d.get("outcome_label"))))
    elif kind == "judged":
        out.extend(_judged(d))
    elif kind == "step" and d.get("step"):  # it said only 「流れの段階」, not which
        out.append(_t("step_undone" if d.get("undone") else "step", step=_text(step_label(str(d["step"])))))
    elif kind == "draft" and d.get("version"):
        out.append(_t("draft", version=d["version"], direction=status_label(f"draft_{d.get('direction')}")))
    elif kind in ("received", "resubmitted", "other_format", "possible_joined") and d.get("file"):
        out.append(_t("file", name=_text(d["file"])))
    for key, name in (("reason", "reason"), ("note", "note")):
        text = d.get(key)
        if isinstance(text, str) and text.strip():
            out.append(_t(name, text=_text(text)))
    return out


def _judged(d: dict[str, Any]) -> list[str]:
    """A judgement of the sheet: an all-clear in one line, every other answer by its item with its state
    (「c2_feasible: 確認中（計画書待ち）」); the page showed only 「検討票の判断」, not what was judged."""
    from ..cases.judging import FINE, state_label

    answers = [a for a in d.get("answers", []) if isinstance(a, dict)]
    fine = set(FINE.values())
    out = []
    if d.get("all_clear"):
        cleared = [a for a in answers if a.get("state") in fine]
        note = next((a["note"] for a in cleared if a.get("note")), "")
        out.append(_t("judged_all", n=len(cleared)) + (f"（{_text(note)}）" if note else ""))
    for a in answers:
        if d.get("all_clear") and a.get("state") in fine:
            continue
        state = state_label(a.get("state")) + (f"（{_text(a['note'])}）" if a.get("note") else "")
        out.append(_t("judged_item", item=_text(a.get("item")), state=state))
    return out
