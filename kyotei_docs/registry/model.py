"""What the registry holds, as plain dataclasses, and the words used to show it.

Rows are turned into these objects in one place (``from_row``) so that the rest
of the code works with dates and tuples, never with the ISO strings and JSON
text stored in SQLite.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from ..i18n import Catalog, get_lang, say

#: The states of an agreement, in order of its life.
RECEIVED, IN_CONSULTATION, SIGNED, RENEWED, ENDED = (
    "received", "in_consultation", "signed", "renewed", "ended")
STATUSES: tuple[str, ...] = (RECEIVED, IN_CONSULTATION, SIGNED, RENEWED, ENDED)
#: States in which an agreement is in force (until ``expires_on``).
ACTIVE: frozenset[str] = frozenset({SIGNED, RENEWED})

#: How an agreement ended (guideline §5(3), 協定書 第4条).
END_CAUSES: tuple[str, ...] = ("notice", "non_renewal", "dissolution", "exclusion", "withdrawn", "other")

LABELS: Catalog = {
    "received": ("受付", "received"),
    "in_consultation": ("協議中", "in consultation"),
    "signed": ("締結済", "signed"),
    "renewed": ("更新済", "renewed"),
    "ended": ("終了", "ended"),
    "individual": ("個別連携協定", "individual"),
    "comprehensive": ("包括連携協定", "comprehensive"),
    "axis": ("主軸分野型", "with axis field"),
    "allround": ("オールラウンド型", "all-round"),
    "unknown_subtype": ("型未確定", "type not settled"),
    "unknown_kind": ("種別未確定", "type not settled"),
    "fiscal": ("締結年度の3月31日まで", "to 31 March of the fiscal year"),
    "one-year": ("1年間", "one year"),
    "notice": ("解約の申出", "notice of cancellation"),
    "non_renewal": ("不更新の申出（期間満了）", "notice of non-renewal (expiry)"),
    "dissolution": ("企業等の解散・消滅", "dissolution of the partner"),
    "exclusion": ("除外事項への該当", "exclusion criterion applies"),
    "withdrawn": ("提案の取下げ・不成立", "proposal withdrawn or not concluded"),
    "other": ("その他", "other"),
    # event kinds
    "ev_received": ("受付", "received"),
    "ev_resubmitted": ("再提出（修正版）", "resubmitted (corrected)"),
    "ev_other_format": ("別形式で同じ提案書", "same proposal in another format"),
    "ev_possible_joined": ("同一案件の可能性", "possibly the same case"),
    "ev_merged": ("案件の統合", "cases merged"),
    "ev_merged_into": ("他の案件に統合", "merged into another case"),
    "ev_split": ("案件の分離", "file split off"),
    "ev_split_from": ("分離により受付", "received by a split"),
    "ev_corrected": ("職員による訂正", "corrected by staff"),
    "ev_confirmed": ("原本と照合済み", "checked against the original"),
    "ev_end_scheduled": ("終了予定", "end scheduled"),
    "ev_adopted": ("サイトへの取り込み（旧協定ID）", "brought into the site (old ID)"),
    "ending": ("終了予定", "ending"),
    "original": ("原本", "original"),
    "other_format": ("別形式", "other format"),
    "correction": ("修正版", "correction"),
    "possible": ("同一案件の可能性", "possibly the same case"),
    "ev_consultation": ("協議開始", "consultation started"),
    "ev_signed": ("締結", "signed"),
    "ev_sign_corrected": ("締結日訂正", "signing date corrected"),
    "ev_renewed": ("自動更新", "renewed automatically"),
    "ev_ended": ("終了", "ended"),
    "ev_result_added": ("実績登録", "result recorded"),
    "ev_result_removed": ("実績削除", "result removed"),
    "ev_edited": ("登録内容の変更", "details changed"),
    "ev_amended": ("協定の変更（変更協定）", "agreement amended"),
    "ev_notice_given": ("解約の通知", "notice of termination given"),
    "ev_reviewed": ("継続の協議（実績なし）", "continuation consulted (no results)"),
    "outcome_continue": ("継続する", "continue"),
    "outcome_amend": ("内容を変更して継続する", "continue with an amendment"),
    "outcome_end": ("終了する", "end it"),
    "ev_judged": ("検討票の判断", "judgement recorded"),
    "ev_step": ("流れの段階", "step of the flow"),
    "ev_draft": ("協定書（案）", "draft agreement"),
    "ev_draft_confirmed": ("協定書（案）の内容確定", "draft agreement confirmed"),
    "ev_intent_sent": ("意向調査票の作成", "intent survey made"),
    "ev_intent_answer": ("意向調査の回答", "intent survey answer"),
    "ev_meeting": ("協議の記録", "meeting recorded"),
    "ed_items": ("連携事項", "items"),
    "ed_notes": ("備考", "notes"),
    "ed_title": ("協定名称", "title"),
    "ed_department": ("担当部局", "department"),
    "ed_auto_renew": ("自動更新", "automatic renewal"),
    "draft_sent": ("送付", "sent"),
    "draft_returned": ("返送", "returned"),
}


def label(key: str | None, *, lang: str | None = None) -> str:
    """Display word for a status, type, term, end cause or event kind.

    ``lang="ja"`` forces Japanese (exports keep Japanese values whatever ``--lang`` says).
    """
    if not key:
        return "—"
    if key not in LABELS:
        return key
    if lang == "ja":
        return LABELS[key][0]
    if lang == "en":
        return LABELS[key][1]
    return say(LABELS, key)


def type_label(kind: str | None, subtype: str | None, *, lang: str | None = None) -> str:
    """「包括連携協定（主軸分野型）」, 「個別連携協定」, …"""
    if kind == "comprehensive":
        sub = label(subtype if subtype else "unknown_subtype", lang=lang)
        english = lang == "en" or (lang is None and get_lang() == "en")
        return f"{label('comprehensive', lang=lang)} ({sub})" if english else \
            f"{label('comprehensive', lang=lang)}（{sub}）"
    if kind == "individual":
        return label("individual", lang=lang)
    return label("unknown_kind", lang=lang)


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _proposal_of(r: dict[str, Any]) -> dict[str, Any]:
    """The stored proposal JSON; listings that skip it may carry just ``other_field_text``."""
    if "proposal" in r:
        return json.loads(r["proposal"]) if r["proposal"] else {}
    if "other_field_text" in r:
        return {"other_field_text": r["other_field_text"]}
    return {}


@lru_cache(maxsize=4096)
def _lists(fields: str | None, items: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The JSON lists of fields and items (few distinct values across a registry: cached)."""
    return tuple(json.loads(fields or "[]")), tuple(json.loads(items or "[]"))


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True)
class Agreement:
    """One agreement (or proposal not yet signed) as the registry knows it."""

    id: int
    title: str
    kind: str | None
    subtype: str | None
    axis_field: str | None
    partner_name: str | None
    partner_address: str | None
    partner_representative: str | None
    fields: tuple[str, ...]
    items: tuple[str, ...]
    department: str | None
    status: str
    proposed_on: date | None
    received_on: date
    signed_on: date | None
    term: str | None
    period_start: date | None
    expires_on: date | None
    auto_renew: bool
    renewals: int
    ended_on: date | None
    end_cause: str | None
    end_reason: str | None
    public_url: str | None
    notes: str | None
    review_exempt: bool
    #: the items as signed (amendments change ``items``, never these); () before signing
    signed_items: tuple[str, ...] = ()
    #: the day written notice of termination was given (協定書 第４条第２項), if any
    notice_on: date | None = None
    #: why staff exempted it from the review of 5(3) (an agreement prepared for emergencies)
    exempt_reason: str | None = None
    proposal: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Agreement:
        # one dict per row: sqlite3.Row looks names up one column at a time
        r = dict(zip(row.keys(), row))
        lists = _lists(r["fields"], r["items"])
        return cls(
            id=r["id"], title=r["title"], kind=r["kind"], subtype=r["subtype"], axis_field=r["axis_field"],
            partner_name=r["partner_name"], partner_address=r["partner_address"],
            partner_representative=r["partner_representative"], fields=lists[0], items=lists[1],
            department=r["department"], status=r["status"], proposed_on=_d(r["proposed_on"]),
            received_on=date.fromisoformat(r["received_on"]), signed_on=_d(r["signed_on"]), term=r["term"],
            period_start=_d(r["period_start"]), expires_on=_d(r["expires_on"]), auto_renew=bool(r["auto_renew"]),
            renewals=r["renewals"], ended_on=_d(r["ended_on"]), end_cause=r["end_cause"],
            end_reason=r["end_reason"], public_url=r["public_url"], notes=r["notes"],
            review_exempt=bool(r["review_exempt"]),
            signed_items=tuple(json.loads(r["signed_items"])) if r.get("signed_items") else (),
            notice_on=_d(r.get("notice_on")), exempt_reason=r.get("exempt_reason"), proposal=_proposal_of(r),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "kind": self.kind, "subtype": self.subtype,
            "axis_field": self.axis_field,
            "partner": {"name": self.partner_name, "address": self.partner_address,
                        "representative": self.partner_representative},
            "fields": list(self.fields), "items": list(self.items), "department": self.department,
            "status": self.status, "proposed_on": iso(self.proposed_on), "received_on": iso(self.received_on),
            "signed_on": iso(self.signed_on), "term": self.term, "period_start": iso(self.period_start),
            "expires_on": iso(self.expires_on), "auto_renew": self.auto_renew, "renewals": self.renewals,
            "ended_on": iso(self.ended_on), "end_cause": self.end_cause, "end_reason": self.end_reason,
            "public_url": self.public_url, "notes": self.notes, "review_exempt": self.review_exempt,
            "signed_items": list(self.signed_items), "notice_on": iso(self.notice_on),
            "exempt_reason": self.exempt_reason,
        }


@dataclass(frozen=True)
class Event:
    """One change in an agreement's life; events are never changed or deleted."""

    id: int
    agreement_id: int
    kind: str
    from_status: str | None
    to_status: str | None
    on_date: date
    actor: str
    recorded_at: str
    detail: dict[str, Any]

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Event:
        return cls(row["id"], row["agreement_id"], row["kind"], row["from_status"], row["to_status"],
                   date.fromisoformat(row["on_date"]), row["actor"], row["recorded_at"],
                   json.loads(row["detail"] or "{}"))

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "agreement_id": self.agreement_id, "kind": self.kind,
                "from_status": self.from_status, "to_status": self.to_status,
                "on_date": self.on_date.isoformat(), "actor": self.actor,
                "recorded_at": self.recorded_at, "detail": self.detail}


@dataclass(frozen=True)
class Result:
    """One piece of work done under an agreement in a fiscal year (連携実績)."""

    id: int
    agreement_id: int
    fiscal_year: int
    item_no: int
    title: str
    done_on: date | None
    content: str | None
    department: str | None
    public: bool
    #: the item numbering it was recorded under: 0 as signed, n after the n-th amendment of the items
    items_version: int = 0

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Result:
        return cls(row["id"], row["agreement_id"], row["fiscal_year"], row["item_no"], row["title"],
                   _d(row["done_on"]), row["content"], row["department"], bool(row["public"]),
                   row["items_version"])

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "agreement_id": self.agreement_id, "fiscal_year": self.fiscal_year,
                "item": self.item_no, "title": self.title, "date": iso(self.done_on),
                "content": self.content, "department": self.department, "public": self.public,
                "items_version": self.items_version}
