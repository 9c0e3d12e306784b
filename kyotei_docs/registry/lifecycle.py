"""The life of an agreement: received → in consultation → signed → renewed → ended.

Why a state machine with an event log: the guideline asks the city to know
every agreement's state and to act on it each year, and an auditor asks who
changed what and when.  So every change goes through one function here, which
checks the transition, updates the agreement and appends an event (business
date, actor, detail) in the same short transaction.  Events are never updated
or deleted (the schema enforces it).

Transitions (anything else is refused with a message):

====================  ==========================================
from                  to
====================  ==========================================
received              in_consultation, signed, ended (withdrawn)
in_consultation       signed, ended
signed                renewed, ended
renewed               renewed (each further year), ended
ended                 —
====================  ==========================================
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..era import fiscal_year_end, fiscal_year_said, fiscal_year_start
from ..sqlitedb import insert
from ..vocab import FIELDS
from .dates import DateRules
from .errors import RegistryError
from .matching import CORRECTION, ORIGINAL, POSSIBLE, Candidate, match, org_core
from .model import ACTIVE, END_CAUSES, ENDED, IN_CONSULTATION, RECEIVED, RENEWED, SIGNED, Agreement, Result, label
from .queries import fetch_agreement, fetch_result
from .store import Registry, now_stamp

TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({IN_CONSULTATION, SIGNED, ENDED}),
    IN_CONSULTATION: frozenset({SIGNED, ENDED}),
    SIGNED: frozenset({RENEWED, ENDED}),
    RENEWED: frozenset({RENEWED, ENDED}),
    ENDED: frozenset(),
}

#: Details staff may change with ``kyotei registry set`` (each change is an event).
EDITABLE: frozenset[str] = frozenset(
    {"title", "public_url", "notes", "review_exempt", "exempt_reason", "items", "department", "auto_renew"})

_FY_RANGE = range(1900, 3000)

#: The article of Form 2 that holds the 連携事項 (an amendment of it changes the items).
ITEMS_ARTICLE = 2


def default_actor() -> str:
    """Who is acting when ``--actor`` is not given: the operating-system user name."""
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers): fall back to the environment
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


def _check_transition(agreement: Agreement, target: str) -> None:
    if target not in TRANSITIONS[agreement.status]:
        raise RegistryError("bad_transition", id=agreement.id, current=label(agreement.status),
                            target=label(target))


def _event(conn: sqlite3.Connection, agreement_id: int, kind: str, on: date, actor: str, *,
           from_status: str | None = None, to_status: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    conn.execute(
        "INSERT INTO events (agreement_id, kind, from_status, to_status, on_date, actor, recorded_at, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (agreement_id, kind, from_status, to_status, on.isoformat(), actor, now_stamp(),
         json.dumps(detail or {}, ensure_ascii=False)),
    )


def _require(conn: sqlite3.Connection, agreement_id: int) -> Agreement:
    found = fetch_agreement(conn, agreement_id)
    if found is None:
        raise RegistryError("not_found", id=agreement_id)
    return found


# --------------------------------------------------------------------------------------
# Proposals in
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """Where a proposal came from: the drop folder's id, the file's hash, its folder."""

    submission_id: str
    sha256: str
    folder: str | None = None
    file: str | None = None


@dataclass(frozen=True)
class Registered:
    """What :func:`register` did: a new agreement, a resubmission, or nothing (duplicate)."""

    agreement_id: int
    created: bool = False
    resubmission: bool = False
    duplicate: bool = False
    #: the file's role in the case (original, other_format, correction, possible)
    role: str = "original"
    #: joined as "possibly the same case": staff confirm (merge) or split it
    possible: bool = False
    #: the case's organisation (its current proposal's), so the drop folder can name the case
    organisation: str | None = None


def agreement_title(municipality: str, proposal: Any) -> str:
    """「旭川市と◯◯株式会社との包括連携協定」, 「…との災害対策に関する連携協定」.

    The same wording the renderer gives Form 2's title (without the final 「書」),
    so that the registry and the documents name an agreement alike.
    """
    name = proposal.organization.name or "（相手方未記入）"
    if proposal.agreement_type == "comprehensive":
        return f"{municipality}と{name}との包括連携協定"
    subject = proposal.axis.field or next((f for f in FIELDS if f in proposal.fields), None) \
        or " ".join((proposal.other_field_text or "").split()) or "連携"
    return f"{municipality}と{name}との{subject}に関する連携協定"


def proposal_columns(check_result: Any, municipality: str) -> dict[str, Any]:
    """Agreement columns taken from a checked proposal."""
    p = check_result.proposal
    kind = p.agreement_type if p.agreement_type in ("individual", "comprehensive") else None
    subtype = None
    if kind == "comprehensive" and p.axis.present is not None:
        # 有 with the axis left blank is not settled (counted as 型未確定 until corrected)
        subtype = ("axis" if p.axis.field else None) if p.axis.present else "allround"
    routing = check_result.routing
    return {
        "title": agreement_title(municipality, p),
        "kind": kind, "subtype": subtype,
        "axis_field": p.axis.field if subtype == "axis" else None,
        "partner_name": p.organization.name, "partner_address": p.organization.address,
        "partner_representative": p.organization.representative,
        "fields": json.dumps(list(p.fields), ensure_ascii=False),
        "department": routing.department if routing else None,
        "proposed_on": p.submitted_on.isoformat() if p.submitted_on else None,
        "proposal": json.dumps(p.to_json(), ensure_ascii=False),
    }


def _candidates(conn: sqlite3.Connection, partner: str | None) -> list[Candidate]:
    """Cases the new file may belong to: not merged away, organisation name near the new one's.

    Cases with no organisation name read are candidates too (the name may be
    what the correction added); :func:`.matching.match` decides, comparing the
    new reading with the current file's reading (a copy of the same file agrees
    with what was read, not with staff corrections made since).
    """
    core = org_core(partner)
    out = []
    rows = conn.execute(
        "SELECT a.id, a.status, a.partner_name,"
        " COALESCE((SELECT s.proposal FROM submissions s WHERE s.sha256 = a.current_file), a.proposal) AS proposal,"
        " (SELECT s.valid FROM submissions s WHERE s.sha256 = a.current_file) AS current_valid"
        " FROM agreements a WHERE a.merged_into IS NULL ORDER BY a.id DESC")
    for row in rows:
        ccore = org_core(row["partner_name"])
        if core and ccore and core != ccore:
            continue
        try:
            proposal = json.loads(row["proposal"] or "{}")
        except ValueError:
            proposal = {}
        out.append(Candidate(row["id"], row["status"], row["partner_name"], proposal,
                             needs_correction=row["current_valid"] == 0))
    return out


def submission_key(submission: Submission) -> str:
    """The key a submission is stored under: its SHA-256, else ``id:<submission_id>``.

    A caller that lost the file's hash (a drop folder recovering after a crash)
    still records the submission once; an empty hash must not make every such
    submission look like the first one.
    """
    sha = (submission.sha256 or "").strip().lower()
    if sha:
        return sha
    if not (submission.submission_id or "").strip():
        raise ValueError("a submission needs a sha256 or a submission_id")
    return f"id:{submission.submission_id}"


def register(reg: Registry, check_result: Any, *, municipality: str, submission: Submission,
             actor: str, today: date) -> Registered:
    """Record a checked proposal; idempotent by the file's SHA-256 and by the submission ID.

    The same file (same SHA-256, whatever its submission ID) or the same
    submission ID seen again changes nothing and returns ``duplicate=True``
    with the agreement it was recorded under — also when two processes record
    it at the same moment.

    Otherwise the file joins the case it belongs to (:mod:`.matching`): the
    same proposal in another format (event ``other_format``; the current
    proposal stays), a corrected resubmission (``resubmitted``; it becomes
    current), or "possibly the same case" (``possible_joined``; not current until
    staff confirm with ``registry merge`` or undo with ``registry split``).
    Nothing else opens a second case for one proposal.
    """
    key = submission_key(submission)
    columns = proposal_columns(check_result, municipality)
    valid = bool(check_result.valid)
    proposal_json = check_result.proposal.to_json()
    errors = [f.message for f in getattr(check_result, "errors", [])]
    findings = {"errors": [f.to_json() for f in getattr(check_result, "errors", [])],
                "review": [f.to_json() for f in getattr(check_result, "review", [])]}
    with reg.write() as conn:
        # Looked up under the write lock (BEGIN IMMEDIATE): two processes recording the
        # same file queue here, and the second finds the first one's row.
        known = conn.execute(
            "SELECT s.agreement_id, s.role, a.partner_name FROM submissions s"
            " JOIN agreements a ON a.id = s.agreement_id"
            " WHERE s.sha256 = ? OR (? <> '' AND s.submission_id = ?) ORDER BY s.rowid LIMIT 1",
            (key, submission.submission_id, submission.submission_id)).fetchone()
        if known is not None:  # recorded before: the role it was given then
            role = known["role"] or ORIGINAL
            return Registered(known["agreement_id"], duplicate=True, role=role, possible=role == POSSIBLE,
                              organisation=known["partner_name"])
        found = match(proposal_json, _candidates(conn, columns["partner_name"]), new_valid=valid)
        detail = {"submission_id": submission.submission_id, "sha256": submission.sha256,
                  "file": submission.file, "valid": valid, "role": found.role}
        if found.case_id is not None:
            agreement_id = found.case_id
            if found.becomes_current:
                sets = ", ".join(f"{k} = ?" for k in columns)
                conn.execute(f"UPDATE agreements SET {sets}, current_file = ?, updated_at = ? WHERE id = ?",
                             (*columns.values(), key, now_stamp(), agreement_id))
            kind = {CORRECTION: "resubmitted", POSSIBLE: "possible_joined"}.get(found.role, "other_format")
            _event(conn, agreement_id, kind, today, actor, detail=detail)
            name = conn.execute("SELECT partner_name FROM agreements WHERE id = ?", (agreement_id,)).fetchone()
            outcome = Registered(agreement_id, resubmission=found.role == CORRECTION, role=found.role,
                                 possible=found.role == POSSIBLE, organisation=name[0] if name else None)
        else:
            stamp = now_stamp()
            names = ", ".join(columns)
            marks = ", ".join("?" for _ in columns)
            agreement_id = insert(
                conn, f"INSERT INTO agreements ({names}, status, received_on, current_file, created_at, updated_at)"
                f" VALUES ({marks}, ?, ?, ?, ?, ?)",
                (*columns.values(), RECEIVED, today.isoformat(), key, stamp, stamp))
            outcome = Registered(agreement_id, created=True, organisation=columns["partner_name"])
            _event(conn, agreement_id, "received", today, actor, to_status=RECEIVED, detail=detail)
        conn.execute(
            "INSERT INTO submissions (sha256, submission_id, agreement_id, folder, file, valid, recorded_at,"
            " role, proposal, errors, format, findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, submission.submission_id, agreement_id, submission.folder,
             submission.file, int(valid), now_stamp(), found.role,
             json.dumps(proposal_json, ensure_ascii=False), json.dumps(errors, ensure_ascii=False),
             proposal_json.get("format"), json.dumps(findings, ensure_ascii=False)))
    return outcome


# --------------------------------------------------------------------------------------
# State changes
# --------------------------------------------------------------------------------------


def start_consultation(reg: Registry, agreement_id: int, *, on: date, actor: str) -> Agreement:
    """received → in_consultation: talks with the partner have started."""
    with reg.write() as conn:
        a = _require(conn, agreement_id)
        _check_transition(a, IN_CONSULTATION)
        conn.execute("UPDATE agreements SET status = ?, updated_at = ? WHERE id = ?",
                     (IN_CONSULTATION, now_stamp(), a.id))
        _event(conn, a.id, "consultation", on, actor, from_status=a.status, to_status=IN_CONSULTATION)
        return _require(conn, a.id)


def sign(reg: Registry, agreement_id: int, *, on: date, term: str, actor: str, rules: DateRules,
         correct: bool = False, extra: dict[str, Any] | None = None,
         items: list[str] | None = None) -> Agreement:
    """Fix the signing date and the term: the expiry follows from periods.py.

    With ``correct``, an agreement already signed (and not yet renewed or
    ended) gets a corrected signing date; the old dates stay in the event.
    """
    expiry = rules.expiry(on, term)  # type: ignore[arg-type]
    with reg.write() as conn:
        a = _require(conn, agreement_id)
        if a.status == SIGNED and not correct:
            raise RegistryError("already_signed", id=a.id, date=a.signed_on.isoformat() if a.signed_on else "—")
        if correct and a.status in (RENEWED, ENDED):
            raise RegistryError("cannot_correct", id=a.id)
        kind = "sign_corrected" if a.status == SIGNED else "signed"
        if kind == "signed":
            _check_transition(a, SIGNED)
        conn.execute(
            "UPDATE agreements SET status = ?, signed_on = ?, term = ?, period_start = ?, expires_on = ?,"
            " updated_at = ? WHERE id = ?",
            (SIGNED, on.isoformat(), term, on.isoformat(), expiry.isoformat(), now_stamp(), a.id))
        detail: dict[str, Any] = {"term": term, "expires_on": expiry.isoformat()}
        if extra:
            detail |= extra
        if items and not a.items:  # the items the signed agreement carries (default wording)
            conn.execute("UPDATE agreements SET items = ? WHERE id = ?",
                         (json.dumps(list(items), ensure_ascii=False), a.id))
            detail["items"] = list(items)
        # the items as signed stay as they were: amendments (registry/amendments.py) change ``items`` only
        conn.execute("UPDATE agreements SET signed_items = items WHERE id = ? AND signed_items IS NULL", (a.id,))
        if kind == "sign_corrected":
            detail |= {"previous_signed_on": a.signed_on.isoformat() if a.signed_on else None,
                       "previous_term": a.term,
                       "previous_expires_on": a.expires_on.isoformat() if a.expires_on else None}
        _event(conn, a.id, kind, on, actor, from_status=a.status, to_status=SIGNED, detail=detail)
        return _require(conn, a.id)


@dataclass(frozen=True)
class Renewal:
    """One automatic renewal applied by :func:`renew_due`."""

    agreement_id: int
    title: str
    starts_on: date
    previous_expiry: date
    new_expiry: date


@dataclass
class RenewReport:
    """What ``renew`` did, and what it found but may not do."""

    renewed: list[Renewal]
    #: agreements past their expiry without automatic renewal: staff should record the end
    lapsed: list[Agreement]
    #: agreements whose end, recorded for a later date, has come (written down now)
    ended: list[int] = field(default_factory=list)
    #: nothing was recorded: what a run on ``today`` would do (a day that has not come)
    preview: bool = False


def _planned(a: Agreement, today: date, rules: DateRules) -> list[tuple[date, date]]:
    """The renewals of ``a`` due by ``today`` that start before its recorded end, if any."""
    if a.status not in ACTIVE or a.expires_on is None or a.expires_on >= today or not a.auto_renew:
        return []
    return [(start, new) for start, new in rules.renewals(a.expires_on, today)
            if a.ended_on is None or start < a.ended_on]


def renew_preview(reg: Registry, *, today: date, rules: DateRules) -> RenewReport:
    """What :func:`renew_due` would do on ``today``, recording nothing (``today`` has not come)."""
    report = RenewReport([], [], preview=True)
    with reg.snapshot() as conn:
        rows = conn.execute("SELECT * FROM agreements WHERE status IN (?, ?) AND merged_into IS NULL"
                            " AND (expires_on < ? OR ended_on <= ?) ORDER BY id",
                            (SIGNED, RENEWED, today.isoformat(), today.isoformat())).fetchall()
    for row in rows:
        a = Agreement.from_row(row)
        if a.ended_on is not None and a.ended_on <= today:
            report.ended.append(a.id)
            continue
        if a.expires_on is None or a.expires_on >= today:
            continue
        if not a.auto_renew:
            report.lapsed.append(a)
            continue
        previous = a.expires_on
        for start, new in _planned(a, today, rules):
            report.renewed.append(Renewal(a.id, a.title, start, previous, new))
            previous = new
    return report


def renew_due(reg: Registry, *, today: date, actor: str, rules: DateRules) -> RenewReport:
    """Apply every automatic renewal that has come due by ``today``; idempotent.

    Each agreement is renewed in its own short transaction, re-read under the
    write lock, so two runs (or a run racing the watcher) never renew twice.
    Ends recorded for a later date are written down first (:func:`settle_ends`),
    and no renewal starts on or after an agreement's recorded end.  Callers
    pass the real date: a later one is only previewed (:func:`renew_preview`).
    """
    ended = settle_ends(reg, today=today, actor=actor)
    with reg.snapshot() as conn:
        ids = [row["id"] for row in conn.execute(
            "SELECT id FROM agreements WHERE status IN (?, ?) AND expires_on < ? ORDER BY id",
            (SIGNED, RENEWED, today.isoformat()))]
    report = RenewReport([], [], ended)
    for agreement_id in ids:
        with reg.write() as conn:
            a = _require(conn, agreement_id)
            if a.status not in ACTIVE or a.expires_on is None or a.expires_on >= today:
                continue  # renewed or ended by someone else meanwhile
            if not a.auto_renew:
                report.lapsed.append(a)
                continue
            done = _planned(a, today, rules)
            if not done:
                continue
            previous, status = a.expires_on, a.status
            for start, new in done:
                _event(conn, a.id, "renewed", start, actor, from_status=status, to_status=RENEWED,
                       detail={"previous_expires_on": previous.isoformat(), "expires_on": new.isoformat()})
                report.renewed.append(Renewal(a.id, a.title, start, previous, new))
                previous, status = new, RENEWED
            start, new = done[-1]
            conn.execute(
                "UPDATE agreements SET status = ?, period_start = ?, expires_on = ?, renewals = renewals + ?,"
                " updated_at = ? WHERE id = ?",
                (RENEWED, start.isoformat(), new.isoformat(), len(done), now_stamp(), a.id))
    return report


def end(reg: Registry, agreement_id: int, *, on: date, cause: str, reason: str, actor: str,
        today: date | None = None, notice_on: date | None = None,
        extra: dict[str, Any] | None = None) -> Agreement:
    """→ ended, with the date it ends, the cause and the reason in words.

    An agreement in force whose end is recorded for a date after ``today``
    stays in force until then (終了予定): its status is kept, the end's date,
    cause and reason are stored and an ``end_scheduled`` event says so;
    :func:`settle_ends` (run by ``kyotei registry renew``) writes the end once
    the day has come, and every query counts it as ended from that day on.
    """
    if cause not in END_CAUSES:
        raise ValueError(f"cause must be one of {END_CAUSES}, not {cause!r}")
    if not reason.strip():
        raise RegistryError("empty_reason")
    with reg.write() as conn:
        a = _require(conn, agreement_id)
        if a.status == ENDED:
            raise RegistryError("already_ended", id=a.id, date=a.ended_on.isoformat() if a.ended_on else "—")
        if a.ended_on is not None:  # 終了予定: its end is recorded already
            raise RegistryError("already_ending", id=a.id, date=a.ended_on.isoformat())
        _check_transition(a, ENDED)
        if notice_on is not None and a.signed_on and notice_on < a.signed_on:
            raise RegistryError("date_before", what=label("ev_notice_given"), date=notice_on.isoformat(),
                                other=label("ev_signed"), other_date=a.signed_on.isoformat())
        if a.signed_on and on < a.signed_on:
            raise RegistryError("date_before", what=label("ev_ended"), date=on.isoformat(),
                                other=label("ev_signed"), other_date=a.signed_on.isoformat())
        scheduled = today is not None and on > today and a.status in ACTIVE
        status = a.status if scheduled else ENDED
        conn.execute("UPDATE agreements SET status = ?, ended_on = ?, end_cause = ?, end_reason = ?,"
                     " notice_on = ?, updated_at = ? WHERE id = ?",
                     (status, on.isoformat(), cause, reason.strip(), notice_on.isoformat() if notice_on else None,
                      now_stamp(), a.id))
        more: dict[str, Any] = dict(extra or {})
        if notice_on is not None:
            more["notice_on"] = notice_on.isoformat()
        if scheduled:
            _event(conn, a.id, "end_scheduled", today or on, actor,
                   detail={"cause": cause, "reason": reason.strip(), "ends_on": on.isoformat()} | more)
        else:
            _event(conn, a.id, "ended", on, actor, from_status=a.status, to_status=ENDED,
                   detail={"cause": cause, "reason": reason.strip()} | more)
        return _require(conn, a.id)


def settle_ends(reg: Registry, *, today: date, actor: str) -> list[int]:
    """Write down the ends recorded for a later date whose day has come; idempotent."""
    with reg.snapshot() as conn:
        ids = [row["id"] for row in conn.execute(
            "SELECT id FROM agreements WHERE status IN (?, ?) AND ended_on IS NOT NULL AND ended_on <= ?"
            " ORDER BY id", (SIGNED, RENEWED, today.isoformat()))]
    done = []
    for agreement_id in ids:
        with reg.write() as conn:
            a = _require(conn, agreement_id)
            if a.status not in ACTIVE or a.ended_on is None or a.ended_on > today:
                continue
            conn.execute("UPDATE agreements SET status = ?, updated_at = ? WHERE id = ?",
                         (ENDED, now_stamp(), a.id))
            _event(conn, a.id, "ended", a.ended_on, actor, from_status=a.status, to_status=ENDED,
                   detail={"cause": a.end_cause, "reason": a.end_reason, "scheduled": True})
            done.append(a.id)
    return done


# --------------------------------------------------------------------------------------
# Results and details
# --------------------------------------------------------------------------------------


def check_fiscal_year(fy: int) -> None:
    if fy not in _FY_RANGE:
        raise RegistryError("bad_fy", fy=fy)


def _check_done_on(fy: int, done_on: date | None) -> None:
    if done_on is not None:
        start, stop = fiscal_year_start(date(fy, 4, 1)), fiscal_year_end(date(fy, 4, 1))
        if not start <= done_on <= stop:
            raise RegistryError("date_outside_fy", date=done_on.isoformat(), fy_label=fiscal_year_said(fy),
                                start=start.isoformat(), end=stop.isoformat())


def _insert_result(conn: sqlite3.Connection, agreement_id: int, *, fy: int, item: int, title: str, actor: str,
                   today: date, done_on: date | None, content: str | None, department: str | None,
                   public: bool, via: str | None = None) -> int:
    """One result row and its event, in the caller's transaction (checks the agreement and the item)."""
    a = _require(conn, agreement_id)
    if a.signed_on is None:
        raise RegistryError("no_results_yet", id=a.id)
    if item < 1 or (a.items and item > len(a.items)):
        raise RegistryError("bad_item", item=item, count=len(a.items) or "?")
    version = conn.execute("SELECT count(*) FROM amendments WHERE agreement_id = ? AND article = ?",
                           (a.id, ITEMS_ARTICLE)).fetchone()[0]
    result_id = insert(
        conn, "INSERT INTO results (agreement_id, fiscal_year, item_no, title, done_on, content, department,"
        " public, created_at, items_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (a.id, fy, item, title.strip(), done_on.isoformat() if done_on else None, content,
         department or a.department, int(public), now_stamp(), version))
    detail: dict[str, Any] = {"result_id": result_id, "fiscal_year": fy, "item": item, "title": title.strip(),
                              "public": public}
    if via:
        detail["via"] = via
    _event(conn, a.id, "result_added", done_on or today, actor, detail=detail)
    return result_id


def add_result(reg: Registry, agreement_id: int, *, fy: int, item: int, title: str, actor: str,
               today: date, done_on: date | None = None, content: str | None = None,
               department: str | None = None, public: bool = True) -> Result:
    """Record one result (連携実績) of fiscal year ``fy`` under item ``item``."""
    check_fiscal_year(fy)
    _check_done_on(fy, done_on)
    with reg.write() as conn:
        result_id = _insert_result(conn, agreement_id, fy=fy, item=item, title=title, actor=actor, today=today,
                                   done_on=done_on, content=content, department=department, public=public)
        found = fetch_result(conn, result_id)
        assert found is not None
        return found


@dataclass(frozen=True)
class NewResult:
    """One result of a bulk import (the yearly survey), with where it came from."""

    agreement_id: int
    fy: int
    item: int
    title: str
    done_on: date | None = None
    content: str | None = None
    department: str | None = None
    public: bool = True
    via: str | None = None


def add_results(reg: Registry, entries: list[NewResult], *, actor: str, today: date) -> list[int]:
    """Record many results in ONE transaction: all of them, or (on any refusal) none."""
    for e in entries:
        check_fiscal_year(e.fy)
        _check_done_on(e.fy, e.done_on)
    with reg.write() as conn:
        return [_insert_result(conn, e.agreement_id, fy=e.fy, item=e.item, title=e.title, actor=actor, today=today,
                               done_on=e.done_on, content=e.content, department=e.department, public=e.public,
                               via=e.via) for e in entries]


def remove_result(reg: Registry, result_id: int, *, actor: str, today: date) -> Result:
    """Delete a mistaken result; the event keeps a copy of what was removed."""
    with reg.write() as conn:
        found = fetch_result(conn, result_id)
        if found is None:
            raise RegistryError("result_not_found", id=result_id)
        conn.execute("DELETE FROM results WHERE id = ?", (result_id,))
        _event(conn, found.agreement_id, "result_removed", today, actor, detail={"removed": found.to_json()})
        return found


def update_details(reg: Registry, agreement_id: int, *, actor: str, today: date,
                   changes: dict[str, Any]) -> Agreement:
    """Change descriptive details (title, URL, notes, items, exemption…); one event lists old and new."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with reg.write() as conn:
        a = _require(conn, agreement_id)
        before = a.to_json()
        stored: dict[str, Any] = {}
        diff: dict[str, list[Any]] = {}
        old: Any
        new: Any
        db: Any
        for name, value in changes.items():
            if name == "items":
                old, new, db = list(a.items), list(value), json.dumps(list(value), ensure_ascii=False)
            elif name in ("review_exempt", "auto_renew"):
                old, new, db = before[name], bool(value), int(bool(value))
            else:
                old, new, db = before[name], value, value
            if old != new:
                stored[name], diff[name] = db, [old, new]
        if stored:
            sets = ", ".join(f"{k} = ?" for k in stored)
            conn.execute(f"UPDATE agreements SET {sets}, updated_at = ? WHERE id = ?",
                         (*stored.values(), now_stamp(), a.id))
            _event(conn, a.id, "edited", today, actor, detail=diff)
        return _require(conn, a.id)


def record_event(reg: Registry, agreement_id: int, kind: str, *, on: date, actor: str,
                 detail: dict[str, Any]) -> None:
    """Record what a person did on a case that changes no column (a judgement, a step of the flow, a notice).

    The case's state that follows from such records is derived from the events
    (cases/judging.py, cases/flow.py), so the record is the only write.
    """
    with reg.write() as conn:
        _require(conn, agreement_id)
        _event(conn, agreement_id, kind, on, actor, detail=detail)
