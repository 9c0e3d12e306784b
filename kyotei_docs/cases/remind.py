"""Reminders: what is due or late after signing, per department — listed, shown, e-mailed once.

Why: nobody remembers to run ``due`` and ``renew``.  :func:`collect` derives
from the registry what each department has to do (nothing is stored but what
was sent):

* ``notice_deadline`` — the last day to object to the automatic renewal is
  within ``[reminders] notice_days``;
* ``ending`` — an end recorded for a coming day (終了予定, e.g. after a notice
  of termination) is within ``notice_days``;
* ``renewal_pending`` / ``lapsed`` — late: expired, and ``renew`` has not run
  or the end has not been recorded;
* ``survey`` — after the fiscal year ends, an agreement in force during it has
  no result recorded: the results survey (実績調査) is due by ``survey_due``;
* ``consultation`` — after ``survey_due``, an agreement still without results
  and not exempt needs the consultation of 5(3) (recorded with ``registry
  reviewed``) by ``consultation_due``.

Each reminder has a ``key`` naming the thing (kind, case, date or year), so
:func:`send` mails one message per department and records each key per
recipient in ``reminders_sent``: the same thing is never mailed twice, and a
relay failure part-way leaves exactly the sent ones recorded.  Used by
``kyotei remind``, ``watch`` (once a day) and the screen's 対応が必要なもの.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..era import fiscal_year, fiscal_year_said, format_wareki
from ..i18n import Catalog, in_japanese, say
from ..registry.dates import DateRules
from ..registry.model import Agreement
from ..registry.queries import due, outcomes_for, review
from ..registry.store import Registry, now_stamp
from .listing import Listed, listed, only
from .service import _today

__all__ = ["KINDS", "MESSAGES", "Reminder", "SendReport", "collect", "send"]

#: kinds, in the order a department reads them
KINDS: tuple[str, ...] = ("lapsed", "renewal_pending", "notice_deadline", "ending", "survey", "consultation", "step")

MESSAGES: Catalog = {
    "lapsed": ("満了済み・自動更新なし（終了の記録が必要）", "expired without renewal (record the end)"),
    "renewal_pending": ("満了済み・自動更新が未反映（kyotei registry renew）", "expired, renewal not applied (renew)"),
    "notice_deadline": ("不更新の申出期限", "non-renewal notice deadline"),
    "ending": ("協定の終了日（終了予定）", "the agreement ends"),
    "survey": ("{fy}の実績調査（実績が未登録）", "{fy} results survey (no result recorded)"),
    "consultation": ("{fy}に実績のない協定の継続協議（ガイドライン５(3)）", "5(3) consultation (no results in {fy})"),
    "step": ("締結までの段階「{step}」の目安（ガイドライン4）", "step 「{step}」 expected (guideline 4)"),
    "late": ("期限切れ", "late"),
    "no_department": ("担当未設定", "no department"),
    "mail_head": ("{department} ご担当者様\n\n連携協定について、対応が必要な事項（{today} 現在）をお知らせします。\n",
                  "To {department}\n\nPartnership agreements: what needs doing (as of {today}).\n"),
    "mail_line": ("・{what}: {date}{late}\n　協定ID {id}　{title}（{partner}）", "- {what}: {date}{late}\n  case {id} {title} ({partner})"),
    "mail_foot": ("\n詳しくは kyotei の画面（案件）または kyotei remind で確認してください。\nこのメールは kyotei から自動で送信しています。",
                  "\nSee the case on the kyotei screen, or run kyotei remind.\nThis message was sent by kyotei."),
}


@dataclass(frozen=True)
class Reminder:
    """One thing a department has to do by a date (or is late with)."""

    key: str
    kind: str
    department: str
    on: date
    days: int
    agreement: Agreement
    #: the fiscal year a survey or consultation is about
    fy: int | None = None
    #: the step of the flow a ``step`` reminder is about
    step: str = ""

    @property
    def late(self) -> bool:
        return self.days < 0

    def what(self) -> str:
        label = fiscal_year_said(self.fy) if self.fy else ""
        return say(MESSAGES, self.kind, fy=label, step=self.step)

    def to_json(self) -> dict[str, Any]:
        a = self.agreement
        return {"key": self.key, "kind": self.kind, "what": self.what(), "department": self.department,
                "date": self.on.isoformat(), "days": self.days, "late": self.late, "id": a.id, "title": a.title,
                "partner": a.partner_name, "fiscal_year": self.fy}


def _department(a: Agreement) -> str:
    return a.department or say(MESSAGES, "no_department")


def _due_day(cfg: Any, name: str, fy: int) -> date:
    """``[reminders] name`` ("MM-DD") as a day of the fiscal year after ``fy`` (April–March)."""
    month, day = cfg.reminders.day(name)
    return date(fy + 1 if month >= 4 else fy + 2, month, day)


def collect(cfg: Any, reg: Registry, *, today: date | None = None) -> list[Reminder]:
    """Every reminder due or late on ``today``, sorted by department, then date."""
    day = _today(cfg, today)
    within = int(cfg.reminders.notice_days)
    rules = DateRules.from_config(cfg)
    out: list[Reminder] = []
    last_fy = fiscal_year(day) - 1
    survey_due = _due_day(cfg, "survey_due", last_fy)
    consultation_due = _due_day(cfg, "consultation_due", last_fy)
    cases = listed(cfg, reg, today=day)  # every case, re-derived only where one changed
    with reg.snapshot() as conn:
        for item in due(conn, today=day, within=within, rules=rules, agreements=[x.case.agreement for x in cases]):
            if item.kind == "expiry":
                continue  # the expiry itself needs nothing: its notice deadline does
            a = item.agreement
            out.append(Reminder(f"{item.kind}:{a.id}:{item.on.isoformat()}", item.kind, _department(a), item.on,
                                item.days, a))
        report = review(conn, fy=last_fy, suggest_fields=cfg.registry.review_exempt_fields,
                        agreements=[x.case.agreement for x in cases])
        outcomes = outcomes_for(conn, last_fy)
    # the last fiscal year has ended: its results are surveyed by survey_due, then the agreements
    # still without results are discussed with the partner (5(3)) by consultation_due
    for a in report.needs_review:
        if day <= survey_due:
            out.append(Reminder(f"survey:{last_fy}:{a.id}", "survey", _department(a), survey_due,
                                (survey_due - day).days, a, last_fy))
        elif a.id not in outcomes:
            out.append(Reminder(f"consultation:{last_fy}:{a.id}", "consultation", _department(a),
                                consultation_due, (consultation_due - day).days, a, last_fy))
    out += _steps(cases, day, within)
    out.sort(key=lambda r: (r.department, r.on, KINDS.index(r.kind), r.agreement.id))
    return out


def _steps(cases: Sequence[Listed], day: date, within: int) -> list[Reminder]:
    """Cases before signing whose current step of the flow is late or expected within ``within`` days."""
    found = []
    for x in only(cases, ("received", "in_consultation")):
        current = x.progress.current
        if current is None or current.expected is None or (current.expected - day).days > within:
            continue
        a = x.case.agreement
        found.append(Reminder(f"step:{a.id}:{current.step.key}", "step", _department(a), current.expected,
                              (current.expected - day).days, a, step=current.step.label))
    return found


def by_department(reminders: Sequence[Reminder]) -> dict[str, list[Reminder]]:
    grouped: dict[str, list[Reminder]] = {}
    for r in reminders:
        grouped.setdefault(r.department, []).append(r)
    return grouped


def _line(r: Reminder) -> str:
    a = r.agreement
    late = f"（{say(MESSAGES, 'late')}）" if r.late else ""
    return say(MESSAGES, "mail_line", what=r.what(), date=f"{r.on.isoformat()}（{format_wareki(r.on, 'ascii')}）",
               late=late, id=a.id, title=a.title, partner=a.partner_name or "—")


def message_body(department: str, reminders: Sequence[Reminder], today: date) -> str:
    """The plain-text e-mail for one department — Japanese whatever ``--lang`` says: it goes to the
    department's staff, not to the person who runs ``remind``."""
    with in_japanese():
        lines = [say(MESSAGES, "mail_head", department=department, today=today.isoformat())]
        lines += [_line(r) for r in reminders]
        lines.append(say(MESSAGES, "mail_foot"))
    return "\n".join(lines)


@dataclass
class SendReport:
    """What :func:`send` did per department."""

    #: department → recipient the message went to
    sent: dict[str, str] = field(default_factory=dict)
    #: department → the reminders in its message
    included: dict[str, list[Reminder]] = field(default_factory=dict)
    #: departments with something new but no e-mail address in [routing.departments]
    no_address: list[str] = field(default_factory=list)
    #: reminders left out because they were mailed before
    already: int = 0
    #: the relay's failure, if any (what was accepted before it is recorded)
    error: str | None = None


def recipient(cfg: Any, department: str) -> str | None:
    """The e-mail of the department of that name in ``[routing.departments]``, if any."""
    for d in cfg.departments.values():
        if department in (d.name, d.key) and d.email:
            return str(d.email)
    return None


def send(cfg: Any, reg: Registry, reminders: Sequence[Reminder], *, today: date | None = None) -> SendReport:
    """One e-mail per department with the reminders not mailed to that recipient before; each recorded."""
    from ..mail import MailError, Outgoing, send_all

    day = _today(cfg, today)
    report = SendReport()
    with reg.snapshot() as conn:
        done = {(r["key"], r["recipient"]) for r in conn.execute("SELECT key, recipient FROM reminders_sent")}
    batches: list[tuple[Outgoing, str, list[Reminder]]] = []
    for department, items in by_department(reminders).items():
        to = recipient(cfg, department)
        if to is None:
            report.no_address.append(department)
            continue
        new = [r for r in items if (r.key, to) not in done]
        report.already += len(items) - len(new)
        if new:
            batches.append((Outgoing(to, cfg.mail.subject, message_body(department, new, day)), department, new))

    def record(m: Outgoing) -> None:
        """Called as soon as the relay accepted ``m``: its reminders are recorded as sent to its recipient."""
        _, department, new = next(b for b in batches if b[0] is m)
        with reg.write() as conn:
            conn.executemany("INSERT OR IGNORE INTO reminders_sent (key, recipient, department, agreement_id, sent_at)"
                             " VALUES (?, ?, ?, ?, ?)",
                             [(r.key, m.to, department, r.agreement.id, now_stamp()) for r in new])
        report.sent[department] = m.to
        report.included[department] = new

    try:
        send_all(cfg, [b[0] for b in batches], on_sent=record)
    except MailError as exc:
        report.error = exc.message
    return report


def daily(cfg: Any, *, today: date | None = None) -> SendReport | None:
    """What ``watch`` does once a day: with ``[mail]`` set, mail each department what is new.

    Opens the registry ``cfg`` names; None when no e-mail is configured.  Safe
    to call again the same day (and after a restart): nothing is mailed twice.
    """
    from ..mail import configured
    from ..registry.location import open_located

    if not configured(cfg):
        return None
    day = _today(cfg, today)
    with open_located(cfg) as reg:
        return send(cfg, reg, collect(cfg, reg, today=day), today=day)
