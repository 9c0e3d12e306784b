"""Notices to the coordinating section (guideline 4(1)★): 主軸分野型 consultation decided, signing date fixed.

The coordinating section (``[routing] coordinator``, Asahikawa's 市民生活部
地域活動推進課) keeps count of comprehensive agreements, so the axis
department tells it when it decides to go on towards an agreement and when the
signing date is fixed.  What this module makes is what a staff member would
type: a short text, and the same as an .eml draft (``X-Unsent: 1``: Outlook and
Thunderbird open it as a message ready to send) — and the notice is recorded
on the case as a step of its flow (``notice_consultation`` /
``notice_signing_date``), so the case page shows it was sent and when.

Which types are notified is configuration (``[flows] notify``); an individual
agreement needs no notice (4(1)※) and is refused with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from ..i18n import Catalog, in_japanese, say
from ..publish import write_new
from .flow import FlowError, check_step, flow_kind, kind_label, record_step
from .messages import CaseError

__all__ = ["KINDS", "Notice", "compose", "write_notice"]

#: the two notices and the flow step each records
KINDS = {"consultation": "notice_consultation", "signing_date": "notice_signing_date"}
#: the notices' file names, in the words staff file them under (the step keys are the registry's)
FILE_NAMES = {"consultation": "協議開始", "signing_date": "締結日決定"}

MESSAGES: Catalog = {
    "subject_consultation": ("【連絡】包括連携協定（主軸分野型）の協議開始について（{org}）",
                             "Comprehensive agreement (axis type): consultation started ({org})"),
    "subject_signing_date": ("【連絡】包括連携協定（主軸分野型）の締結日の決定について（{org}）",
                             "Comprehensive agreement (axis type): signing date fixed ({org})"),
    "what_consultation": ("締結に向けて協議を進めることとしました（{date}判断）。",
                          "We decided to proceed with consultation towards an agreement ({date})."),
    "what_signing_date": ("協定締結日が{signing}に決定しました。", "The signing date is fixed: {signing}."),
    "not_notified": ("{kind}は地域活動推進課への連絡の対象ではありません（ガイドライン4(1)：個別連携協定は連絡不要）。",
                     "A {kind} needs no notice to the coordinating section (guideline 4(1))."),
    "need_signing_date": ("締結日の連絡には締結日（--signing-date）が必要です。",
                          "The signing-date notice needs the date (--signing-date)."),
}


class NoticeError(CaseError):
    catalog = MESSAGES


@dataclass(frozen=True)
class Notice:
    to_name: str
    to_address: str
    from_name: str
    subject: str
    body: str


def _department(cfg: Any, name: str) -> Any:
    return next((d for d in cfg.departments.values() if d.name == name), None)


def compose(cfg: Any, agreement: Any, which: str, *, on: date, signing: date | None = None) -> Notice:
    """The notice ``which`` (``consultation`` / ``signing_date``) for ``agreement``, in the city's words."""
    from ..era import format_wareki

    flow = flow_kind(agreement.kind, agreement.subtype)
    if flow not in cfg.guideline.notify_kinds:
        raise NoticeError("not_notified", kind=kind_label(flow) if flow else "種別未確定の案件")
    if which == "signing_date" and signing is None:
        raise NoticeError("need_signing_date")
    org = agreement.partner_name or "（名称未記入）"
    p = agreement.proposal or {}
    axis = (p.get("axis") or {}).get("field") or "—"
    sender = agreement.department or "—"
    what = (say(MESSAGES, "what_consultation", date=format_wareki(on)) if which == "consultation"
            else say(MESSAGES, "what_signing_date", signing=format_wareki(signing) if signing else ""))
    coordinator = cfg.coordinator
    comma = cfg.comma
    body = "\n".join([
        f"{coordinator.name}　御中",
        "",
        f"{sender}です。",
        f"「{cfg.municipality}と企業等との連携協定に関するガイドライン」4(1)により{comma}次のとおり連絡します。",
        "",
        f"１　企業等名称　{org}",
        f"２　協定の種別　{kind_label(flow)}",
        f"３　主軸分野　　{axis}",
        f"４　連携の分野　{comma.join(p.get('fields') or agreement.fields or []) or '—'}",
        f"５　内容　　　　{what}",
        f"６　担当　　　　{sender}",
        f"（協定ID {agreement.id}）",
    ])
    return Notice(coordinator.name, coordinator.email, sender,
                  say(MESSAGES, f"subject_{which}", org=org), body)


def write_notice(cfg: Any, notice: Notice, out_dir: Path, stem: str) -> list[Path]:
    """The notice as ``stem.txt`` and ``stem.eml`` (a draft to open and send) in ``out_dir``; nothing overwritten."""
    from .. import citytime

    out_dir.mkdir(parents=True, exist_ok=True)
    text = f"件名: {notice.subject}\n宛先: {notice.to_name} <{notice.to_address}>\n\n{notice.body}\n"
    msg = EmailMessage()
    msg["To"] = f"{notice.to_address}" if notice.to_address else ""
    msg["Subject"] = notice.subject
    msg["Date"] = format_datetime(citytime.now(cfg))
    msg["X-Unsent"] = "1"
    msg.set_content(notice.body + "\n", charset="utf-8", cte="8bit")
    written = [write_new(out_dir / f"{stem}.txt", lambda tmp: tmp.write_text(text, encoding="utf-8")),
               write_new(out_dir / f"{stem}.eml", lambda tmp: tmp.write_bytes(bytes(msg)))]
    return written


def notify(cfg: Any, reg: Any, agreement: Any, which: str, *, on: date, actor: str, today: date, out_dir: Path,
           signing: date | None = None) -> tuple[Notice, list[Path]]:
    """Make the notice, write it into ``out_dir`` and record it as the flow's step (sent on ``on``)."""
    if which not in KINDS:
        raise FlowError("unknown_step", step=which, kind="", steps=", ".join(KINDS))
    with in_japanese():  # an e-mail to the coordinating section: Japanese whatever --lang says
        notice = compose(cfg, agreement, which, on=on, signing=signing)
    check_step(cfg, agreement, KINDS[which], on=on, today=today)
    files = write_notice(cfg, notice, out_dir, f"連絡_{FILE_NAMES[which]}_{agreement.id}")
    record_step(cfg, reg, agreement, KINDS[which], on=on, actor=actor, today=today,
                detail={"signing_date": signing.isoformat()} if signing else None)
    return notice, files
