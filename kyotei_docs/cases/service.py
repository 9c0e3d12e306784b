"""One function per thing a person does with a case.

The commands (``kyotei registry …``, ``kyotei sign``, ``kyotei render``), the
web screen (``kyotei serve``) and the drop folder all call these, so a case
changes the same way whoever changes it.  Each takes the configuration loaded
once at the edge and an open registry (:func:`open_registry`), returns plain
data (:mod:`.model`) and raises :class:`~kyotei_docs.registry.errors.RegistryError`
(:class:`.CaseError` for refused requests; ``exit_code`` says 1 or 3) —
never prints.

A case is named by its ID or by a unique part of the organisation's name
(:func:`resolve`).  Showing the case and asking before a change is the
interface's job: it calls :func:`get` and presents :meth:`Case.headline`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from .. import citytime
from ..registry.errors import RegistryError
from ..registry.matching import (
    CORRECTION,
    OPEN_STATUSES,
    ORIGINAL,
    OTHER_FORMAT,
    differences,
    org_key,
)
from ..registry.model import Agreement, Result
from ..registry.store import Registry
from ..sqlitedb import insert
from .messages import CaseError
from .model import (
    Case,
    CaseFile,
    Correction,
    Intake,
    ResultAdded,
    Signed,
    effective_status,
)
from .verdict import Confirmation, Reading, Verdict, decide

__all__ = [
    "add_result", "confirm", "consult", "correct", "end", "get", "intake", "list_cases", "merge", "open_registry",
    "remove_result", "render", "resolve", "set_details", "set_items", "sign", "split",
]

#: Proposal values staff may correct (JSON paths of the parse contract).
CORRECTABLE: tuple[str, ...] = (
    "submitted_on", "organization.name", "organization.address", "organization.representative",
    "agreement_type", "fields", "other_field_text", "axis.field",
    "purpose", "expected_effects", "contact.department", "contact.name", "contact.phone", "contact.email",
)
#: the choices a correction sets from words: 「包括」, 「環境、子育て」, 「子育て」 or 「無」
CHOICES = ("agreement_type", "fields", "axis.field")


def correction_field(name: str) -> str:
    """The path of the value staff name: the path itself, or its label as ``check``/``show`` print it
    (「連携協定の種別」, 「連絡先の電話番号」 or just 「電話番号」, 「主軸分野の有無」 — the axis is one choice,
    corrected as 主軸分野 with 「無」); unknown names are refused with every path and its label."""
    import unicodedata

    from ..rules import LABELS_EN, LABELS_JA, label_of

    def plain(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split()).casefold()

    wanted = plain(name)
    if name.strip() in CORRECTABLE:
        return name.strip()
    for labels in (LABELS_JA, LABELS_EN):
        for path, label in labels.items():
            target = "axis.field" if path == "axis.present" else path
            if target in CORRECTABLE and wanted and wanted in (plain(label), plain(label.removeprefix("連絡先の"))):
                return target
    raise CaseError("bad_correction_field", field=name,
                    fields="、".join(f"{p}（{label_of(p)}）" for p in CORRECTABLE))


def _actor(actor: str | None) -> str:
    from ..registry.lifecycle import default_actor

    return (actor or "").strip() or default_actor()


def _today(cfg: Any, today: date | None) -> date:
    return today or citytime.today(cfg)


# --------------------------------------------------------------------------------------
# Opening and finding
# --------------------------------------------------------------------------------------


def open_registry(cfg: Any, override: str | None = None, *, create: bool = False) -> Registry:
    """Open the registry ``cfg`` names (``--registry`` may override); ``create`` only for commands that add.

    A read-only caller passes ``create=False``: a missing registry is then a
    :class:`RegistryError` ("missing", saying where it looked), never a new file.
    A site's registry is never created here at all (registry/identity.py).
    """
    from ..registry.location import open_located

    return open_located(cfg, override, create=create)


def resolve(conn: sqlite3.Connection, ref: str | int) -> int:
    """The case ID named by ``ref``: a number, or a unique part of the organisation's name.

    Merged-away cases are not found by name.  Several matches are refused with
    the list of them, so a staff member never changes the wrong company's case.
    """
    text = str(ref).strip()
    if text.isdigit():
        row = conn.execute("SELECT id, merged_into FROM agreements WHERE id = ?", (int(text),)).fetchone()
        if row is None:
            raise RegistryError("not_found", id=int(text))
        return int(row["id"])
    wanted = org_key(text)
    if not wanted:
        raise CaseError("no_match", ref=text)
    rows = conn.execute("SELECT id, partner_name, status FROM agreements WHERE merged_into IS NULL ORDER BY id")
    found = [(r["id"], r["partner_name"]) for r in rows if wanted in org_key(r["partner_name"])]
    if not found:
        raise CaseError("no_match", ref=text)
    if len(found) > 1:
        raise CaseError("ambiguous", ref=text, cases="\n".join(f"  {i}  {n}" for i, n in found[:20]))
    return int(found[0][0])


def _file(r: sqlite3.Row, current: str | None) -> CaseFile:
    proposal = json.loads(r["proposal"]) if r["proposal"] else None
    return CaseFile(key=r["sha256"], submission_id=r["submission_id"], name=r["file"], folder=r["folder"],
                    role=r["role"], valid=bool(r["valid"]), current=r["sha256"] == current,
                    recorded_at=r["recorded_at"], format=r["format"],
                    errors=tuple(json.loads(r["errors"] or "[]")), proposal=proposal,
                    findings=r["findings"])


def _files(conn: sqlite3.Connection, case_id: int, current: str | None) -> tuple[CaseFile, ...]:
    rows = conn.execute("SELECT * FROM submissions WHERE agreement_id = ? ORDER BY rowid", (case_id,))
    return tuple(_file(r, current) for r in rows)


def _correction(r: sqlite3.Row) -> Correction:
    return Correction(r["id"], r["field"], r["read_value"], r["value"], r["reason"], r["actor"], r["recorded_at"],
                      r["file"])


def _corrections(conn: sqlite3.Connection, case_id: int) -> tuple[Correction, ...]:
    rows = conn.execute("SELECT * FROM corrections WHERE agreement_id = ? ORDER BY id", (case_id,))
    return tuple(_correction(r) for r in rows)


def _confirmation(r: sqlite3.Row) -> Confirmation:
    return Confirmation(r["file"], r["item"], r["note"], r["actor"], r["recorded_at"])


def _confirmations(conn: sqlite3.Connection, case_id: int) -> tuple[Confirmation, ...]:
    rows = conn.execute("SELECT * FROM confirmations WHERE agreement_id = ? ORDER BY id", (case_id,))
    return tuple(_confirmation(r) for r in rows)


def _reading(f: CaseFile) -> Reading:
    return Reading(f.key, f.name, f.format, f.proposal, f.findings, f.errors)


def verdict_for(cfg: Any, a: Agreement, files: Sequence[CaseFile], corrections: Sequence[Correction],
                confirmations: Sequence[Confirmation], proposal_text: str | None = None) -> Verdict:
    """The case's verdict from what the registry holds (see :mod:`.verdict`): computed, never stored."""
    current = next((f for f in files if f.current), None)
    corrected = [c.field for c in corrections if current is not None and c.file == current.key]
    return decide(cfg, a.proposal or {}, _reading(current) if current else None, corrected=corrected,
                  confirmations=confirmations, possible=[_reading(f) for f in files if f.possible],
                  proposal_text=proposal_text)


def load(conn: sqlite3.Connection, case_id: int, today: date, cfg: Any = None) -> Case:
    """The whole case from one read transaction's connection (with ``cfg``, its verdict too)."""
    from ..registry.queries import events_for, fetch_agreement, results_for

    a = fetch_agreement(conn, case_id)
    if a is None:
        raise RegistryError("not_found", id=case_id)
    current = conn.execute("SELECT current_file FROM agreements WHERE id = ?", (case_id,)).fetchone()[0]
    files, corrections = _files(conn, case_id, current), _corrections(conn, case_id)
    confirmations = _confirmations(conn, case_id)
    verdict = verdict_for(cfg, a, files, corrections, confirmations) if cfg is not None else None
    return Case(a, files, corrections, tuple(events_for(conn, case_id)),
                tuple(results_for(conn, case_id)), effective_status(a, today), verdict)


def get(cfg: Any, reg: Registry, ref: str | int, *, today: date | None = None) -> Case:
    """The case named by ``ref`` (ID or unique part of the organisation's name), with everything it holds."""
    with reg.snapshot() as conn:
        return load(conn, resolve(conn, ref), _today(cfg, today), cfg)


def list_cases(cfg: Any, reg: Registry, *, statuses: Sequence[str] = (), verdicts: Sequence[str] = (),
               today: date | None = None) -> list[Case]:
    """Every case (merged-away ones excluded), oldest first, each with its verdict.

    ``statuses`` filters on the status of ``today``, ``verdicts`` on the
    verdict (``ok``, ``review``, ``fix``: 受付可, 要確認, 要修正).  Cases carry
    their files (for the 「同一案件の可能性」 mark) but not their events and
    results, and only the cases that changed since the last listing are read
    and decided again (:mod:`.listing`): a listing of a few thousand cases stays fast.
    """
    from .listing import listed, only

    return [x.case for x in only(listed(cfg, reg, today=today), statuses, verdicts)]


# --------------------------------------------------------------------------------------
# Files in
# --------------------------------------------------------------------------------------


def intake(cfg: Any, reg: Registry, check_result: Any, *, submission_id: str, sha256: str,
           file: str | None = None, folder: Path | str | None = None, actor: str | None = None,
           today: date | None = None) -> Intake:
    """Record one checked file in the case it belongs to, or in a new case; idempotent.

    The matching (organisation name normalised, content compared) is
    :mod:`kyotei_docs.registry.matching`; the outcome says what happened:
    ``new``, ``duplicate`` (this file was recorded before), ``other_format``,
    ``correction`` (now current) or ``possible`` (staff should confirm with
    :func:`merge` or undo with :func:`split`).
    """
    from ..registry.lifecycle import Submission, register

    submission = Submission(submission_id=submission_id or "", sha256=sha256 or "",
                            folder=str(Path(folder).resolve()) if folder else None, file=file)
    outcome = register(reg, check_result, municipality=cfg.municipality, submission=submission,
                       actor=_actor(actor), today=_today(cfg, today))
    kind = ("duplicate" if outcome.duplicate else "new" if outcome.created else outcome.role)
    return Intake(outcome.agreement_id, kind, tuple(f.message for f in getattr(check_result, "errors", [])))


# --------------------------------------------------------------------------------------
# Changes to one case
# --------------------------------------------------------------------------------------


def consult(cfg: Any, reg: Registry, ref: str | int, *, on: date | None = None, actor: str | None = None,
            today: date | None = None) -> Case:
    """received → in consultation (talks with the organisation have started)."""
    from ..registry.lifecycle import start_consultation

    day = _today(cfg, today)
    case_id = _resolve(reg, ref)
    start_consultation(reg, case_id, on=on or day, actor=_actor(actor))
    return get(cfg, reg, case_id, today=day)


def sign(cfg: Any, reg: Registry, ref: str | int, *, on: date, term: str | None = None,
         actor: str | None = None, force: bool = False, reason: str | None = None, correct: bool = False,
         documents: bool = False, today: date | None = None) -> Signed:
    """Record the signing; refused (nothing recorded) unless the case is 受付可 with no open review item
    and its judgement sheet (検討票, cases/judging.py) has every item 適合 / 該当なし.

    ``force`` with a ``reason`` records it anyway (the rare exception; the
    reason is kept in the signing event).  With ``documents`` (the caller
    renders Form 2/3 next) the documents are made once in a scratch folder
    first: when they cannot be made, nothing is recorded.  Warnings, not
    refusals: a signing date before the proposal's date or after today.
    """
    from ..registry.dates import DateRules
    from ..registry.lifecycle import sign as sign_agreement

    day = _today(cfg, today)
    chosen = term or cfg.render.term
    if force and not (reason or "").strip():
        raise CaseError("force_needs_reason")
    case = get(cfg, reg, ref, today=day)
    forced = not correct and _refuse_unless_acceptable(case, force)
    from .judging import blocking, judgement, refusal

    unjudged = blocking(judgement(cfg, case.events))
    if unjudged and not correct:
        if not force:
            raise refusal(case.id, unjudged)
        forced = True
    extra = {"forced": True, "reason": (reason or "").strip(), "errors": list(case.errors),
             "review": [i.message for i in case.open_review],
             "unjudged": [s.item.key for s in unjudged]} if forced else None
    # The signed agreement has items even if none were negotiated: the default wording, stored
    # with the signing so that results, the export and later renders use the same numbers.
    defaults = None if case.agreement.items else item_texts(cfg, case.agreement.proposal, None)
    if documents:
        _documents_can_be_made(cfg, case, on, chosen, defaults)
    sign_agreement(reg, case.id, on=on, term=chosen, actor=_actor(actor), rules=DateRules.from_config(cfg),
                   correct=correct, extra=extra, items=defaults)
    warnings = sign_date_warnings(case, on, day)
    if forced:
        passed = ([_say("forced_errors")] if case.errors else []) + \
            ([_say("forced_review")] if case.open_review else []) + \
            ([_say("forced_unjudged", n=len(unjudged))] if unjudged else [])
        warnings.append(_say("warn_forced", what=_say("forced_join").join(passed), reason=(reason or "").strip()))
    return Signed(get(cfg, reg, case.id, today=day), tuple(warnings), forced)


def _refuse_unless_acceptable(case: Case, force: bool) -> bool:
    """Refuse a signing unless the case is 受付可 with no open review item; True when ``force`` overrides."""
    if case.verdict_code == "ok" and not case.open_review:
        return False
    if force:
        return True
    if case.errors:
        listed = "\n".join(f"  - {e}" for e in case.errors)
        raise CaseError("has_errors", id=case.id, errors=listed)
    listed = "\n".join(f"  {i.no}. {i.message}" for i in case.open_review)
    raise CaseError("has_review", id=case.id, items=listed)


def _documents_can_be_made(cfg: Any, case: Case, on: date, term: str, items: list[str] | None) -> None:
    """Make Form 2/3 (.docx) of the case as it will be signed, in a scratch folder; CaseError if they
    cannot be made — checked before the signing is recorded, so a refusal leaves nothing behind."""
    import dataclasses
    import shutil
    import tempfile

    from ..registry.dates import DateRules
    from ..registry.documents import render_for

    expiry = DateRules.from_config(cfg).expiry(on, term)  # type: ignore[arg-type]
    a = case.agreement
    signed = dataclasses.replace(a, signed_on=on, term=term, period_start=on, expires_on=expiry,
                                 items=a.items or tuple(items or ()))
    scratch = Path(tempfile.mkdtemp(prefix="kyotei-sign-"))
    try:
        outcome = render_for(signed, list(case.results), cfg, scratch, pdf=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if outcome.problem == "failed":
        raise CaseError("documents_fail", id=case.id, detail=outcome.detail)


def sign_date_warnings(case: Case, on: date, today: date) -> list[str]:
    """What is odd about signing ``case`` on ``on``: before the proposal was written or received, or after today.

    Warnings, not refusals: an office registering agreements signed years ago
    receives them today.  The screen shows them on the confirmation page,
    before anything is recorded; the command prints them with the result.
    """
    warnings = []
    proposed, received = case.agreement.proposed_on, case.agreement.received_on
    if proposed and on < proposed:
        warnings.append(_say("warn_sign_before_proposal", date=on.isoformat(), proposed=proposed.isoformat()))
    elif received and on < received:
        warnings.append(_say("warn_sign_before_receipt", date=on.isoformat(), received=received.isoformat()))
    if on > today:
        warnings.append(_say("warn_sign_future", date=on.isoformat(), today=today.isoformat()))
    return warnings


def end(cfg: Any, reg: Registry, ref: str | int, *, on: date, cause: str, reason: str,
        actor: str | None = None, today: date | None = None, notice_on: date | None = None,
        force: bool = False) -> Case:
    """Record the end; a date after today keeps the agreement in force until then (終了予定).

    Ending on notice needs the notice date and the one-month period of
    協定書 第４条第２項 (:func:`.terminate.check_notice`; ``force`` records an
    agreed shorter one, its reason kept).
    """
    from ..registry.lifecycle import end as end_agreement
    from .terminate import check_notice

    day = _today(cfg, today)
    case = get(cfg, reg, ref, today=day)
    extra = check_notice(cfg, case.agreement, on=on, cause=cause, notice_on=notice_on, force=force, reason=reason)
    end_agreement(reg, case.id, on=on, cause=cause, reason=reason, actor=_actor(actor), today=day,
                  notice_on=notice_on, extra=extra)
    return get(cfg, reg, case.id, today=day)


def item_texts(cfg: Any, proposal: dict[str, Any], items: Sequence[str] | None) -> list[str]:
    """The items as Form 2 numbers them (closing 「その他…」 item included): what the case stores.

    ``items`` None: the default wording the proposal implies.
    """
    from ..proposal import Proposal

    cleaned = None if items is None else [" ".join(str(i).split()) for i in items if str(i).strip()]
    if cleaned is not None and not cleaned:
        raise CaseError("empty_items")
    try:
        from ..render.context import agreement_items
    except ImportError:  # an installation without the renderer: the items as given, no default wording
        return list(cleaned or [])
    data = dict(proposal)
    data.setdefault("file", "")
    data.setdefault("format", "")
    return [i.text for i in agreement_items(Proposal.from_json(data), cfg, cleaned)]


def set_items(cfg: Any, reg: Registry, ref: str | int, items: Sequence[str], *, actor: str | None = None,
              today: date | None = None) -> Case:
    """Store the negotiated 連携事項 on the case (replacing the previous ones; the event keeps both).

    Stored as Form 2 numbers them: the closing 「その他…」 item is added
    unless the last item already is one, so item numbers mean the same
    everywhere (Form 2, ``results add --item``, the export).
    """
    return set_details(cfg, reg, ref, {"items": list(items)}, actor=actor, today=today)


def set_details(cfg: Any, reg: Registry, ref: str | int, changes: dict[str, Any], *, actor: str | None = None,
                today: date | None = None) -> Case:
    """Change descriptive details (title, URL, notes, items, department, exemption, renewal)."""
    from ..registry.lifecycle import update_details

    day = _today(cfg, today)
    case_id = _resolve(reg, ref)
    if changes.get("review_exempt") and not (changes.get("exempt_reason") or "").strip():
        raise CaseError("exempt_needs_reason")  # an emergency agreement is a judgement: say why
    if changes.get("review_exempt") is False:
        changes = dict(changes, exempt_reason=None)
    if "items" in changes:
        case = get(cfg, reg, case_id, today=day)
        if case.agreement.signed_on is not None:  # a signed agreement changes by an amendment (変更協定)
            raise CaseError("items_signed", id=case_id)
        changes = dict(changes, items=item_texts(cfg, case.agreement.proposal, changes["items"]))
    update_details(reg, case_id, actor=_actor(actor), today=day, changes=changes)
    return get(cfg, reg, case_id, today=day)


def correct(cfg: Any, reg: Registry, ref: str | int, field: str, value: str | None, *, reason: str | None = None,
            actor: str | None = None, today: date | None = None) -> Case:
    """Correct one value of the current proposal; what was read stays in the case's file and beside it.

    The agreement (and the documents rendered from it) use the corrected
    value; the corrections table keeps the value read, the new value, who
    and why.  A later corrected file from the organisation replaces both.
    """
    from ..pipeline import check_proposal
    from ..proposal import Proposal
    from ..registry.lifecycle import _event, proposal_columns
    from ..registry.store import now_stamp
    from ..rules import label_of

    field = correction_field(field)
    day = _today(cfg, today)
    case_id = _resolve(reg, ref)
    who = _actor(actor)
    with reg.write() as conn:
        row = conn.execute("SELECT proposal, current_file FROM agreements WHERE id = ?", (case_id,)).fetchone()
        data = json.loads(row["proposal"] or "{}")
        node = data
        parts = field.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {}) or {}
        read_value = node.get(parts[-1])
        new_value: Any = _checked_value(field, (value or "").strip() or None)
        if field in CHOICES:
            new_value = _choice_value(field, new_value)
        if _unchanged(data, field, new_value):
            raise CaseError("correct_unchanged", id=case_id, field=label_of(field),
                            value=_shown_value(field, new_value))
        node[parts[-1]] = new_value
        no_axis_read = field == "axis.field" and read_value is None and node.get("present") is False
        if field == "axis.field":  # the axis is one choice: 有 with its field, or 無
            node["present"] = new_value is not None
            node["text"] = new_value
        if isinstance(read_value, list):
            read_value = "、".join(read_value)
        read_value = _as_read(conn, case_id, field, row["current_file"], _NO_AXIS if no_axis_read else read_value)
        shown = "、".join(new_value) if isinstance(new_value, list) else new_value
        if field == "axis.field" and new_value is None:
            shown = _NO_AXIS   # history says 「福祉・医療・健康 → 無」, not 「→ —」 (— is 'nothing read')
        columns = proposal_columns(check_proposal(Proposal.from_json(data), cfg), cfg.municipality)
        sets = ", ".join(f"{k} = ?" for k in columns)
        conn.execute(f"UPDATE agreements SET {sets}, updated_at = ? WHERE id = ?",
                     (*columns.values(), now_stamp(), case_id))
        conn.execute("INSERT INTO corrections (agreement_id, field, read_value, value, reason, actor, recorded_at,"
                     " file) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (case_id, field, None if read_value is None else str(read_value), shown,
                      (reason or "").strip() or None, who, now_stamp(), row["current_file"]))
        _event(conn, case_id, "corrected", day, who,
               detail={"field": field, "read": read_value, "value": shown, "reason": reason})
    return get(cfg, reg, case_id, today=day)


#: how the corrections table stores 「主軸分野の有無: 無」 (the axis field's correction to no axis)
_NO_AXIS = "無"


def _as_read(conn: sqlite3.Connection, case_id: int, field: str, file: str | None, current: Any) -> Any:
    """What the reader read for ``field`` of ``file``: kept by the first correction of it; the value
    in the proposal (``current``) is a previous correction once there is one."""
    first = conn.execute("SELECT read_value FROM corrections WHERE agreement_id = ? AND field = ? AND file IS ?"
                         " ORDER BY id LIMIT 1", (case_id, field, file)).fetchone()
    return first[0] if first is not None else current


def check_correction(field: str, value: str | None, case: Case | None = None) -> None:
    """Raise the CaseError :func:`correct` would raise for ``field`` and ``value``, changing nothing
    (the screen refuses an impossible value, or one the case already holds, before its confirmation page)."""
    from ..rules import label_of

    field = correction_field(field)
    checked = _checked_value(field, (value or "").strip() or None)
    if field in CHOICES:
        checked = _choice_value(field, checked)
    if case is not None and _unchanged(case.agreement.proposal or {}, field, checked):
        raise CaseError("correct_unchanged", id=case.id, field=label_of(field), value=_shown_value(field, checked))


def _value_at(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _unchanged(data: dict[str, Any], field: str, new_value: Any) -> bool:
    """Does the current proposal already hold ``new_value`` at ``field``? (a correction 「A → A」 says nothing)"""
    if field == "axis.field":  # one choice: 有 with its field, or 無
        return _value_at(data, "axis.present") is (new_value is not None) and _value_at(data, "axis.field") == new_value
    before = _value_at(data, field)
    if isinstance(before, str):
        before = before.strip() or None
    return before == new_value or (before in (None, []) and new_value in (None, []))


def _shown_value(field: str, value: Any) -> str:
    if field == "axis.field" and value is None:
        return _NO_AXIS
    if isinstance(value, list):
        return "、".join(value)
    if value in ("individual", "comprehensive"):
        from ..registry.model import label

        return label(value)
    return "—" if value in (None, "") else str(value)


def _checked_value(field: str, value: str | None) -> Any:
    """A corrected value after the same value checks as a reading: a date that is a day (stored as
    ISO), a well-formed e-mail address and phone number; CaseError saying why otherwise."""
    if value is None:
        return None
    if field == "submitted_on":
        from ..era import DateParseError, parse_date

        try:
            parsed = parse_date(value)
        except DateParseError as exc:
            raise CaseError("bad_correction_date", value=value, detail=exc.why()) from None
        if parsed is None:  # a blank template line 「令和　年　月　日」 is no date either
            from ..era import MESSAGES as ERA_MESSAGES
            from ..i18n import say

            raise CaseError("bad_correction_date", value=value, detail=say(ERA_MESSAGES, "incomplete"))
        return parsed.date.isoformat()
    if field == "contact.email":
        from ..contactvalues import valid_email

        if not valid_email(value):
            raise CaseError("bad_correction_email", value=value)
    if field == "contact.phone":
        from ..contactvalues import valid_phone

        if not valid_phone(value):
            raise CaseError("bad_correction_phone", value=value)
    return value


def open_item(case: Case, item: str | int) -> Any:
    """The case's open review item ``item`` (its number or key); CaseError when there is none or it is
    closed.  Also asked before a confirmation is asked for (no 「よろしいですか」 for item 7 of 2)."""
    wanted = str(item).strip()
    assert case.verdict is not None
    found = next((i for i in case.verdict.items if wanted in (str(i.no), i.key)), None)
    if found is None:
        raise CaseError("confirm_unknown", id=case.id, item=wanted)
    if not found.open:
        raise CaseError("confirm_closed", id=case.id, item=wanted, how=found.closed_label)
    return found


def confirm(cfg: Any, reg: Registry, ref: str | int, item: str | int, *, note: str | None = None,
            actor: str | None = None, today: date | None = None) -> Case:
    """Record that a person compared review item ``item`` (its number, or its key) with the original
    (原本と照合済み): who, when and an optional note.  The item is then closed; nothing else changes.

    Refused when the case has no such open item (a closed one says how it was closed).
    """
    from ..registry.lifecycle import _event
    from ..registry.store import now_stamp

    day = _today(cfg, today)
    who = _actor(actor)
    with reg.write() as conn:
        case = load(conn, resolve(conn, ref), day, cfg)
        found = open_item(case, item)
        text = (note or "").strip() or None
        conn.execute("INSERT INTO confirmations (agreement_id, file, item, note, actor, recorded_at)"
                     " VALUES (?, ?, ?, ?, ?, ?)", (case.id, found.file, found.key, text, who, now_stamp()))
        _event(conn, case.id, "confirmed", day, who,
               detail={"item": found.key, "file": found.file, "message": found.message, "note": text})
    return get(cfg, reg, case.id, today=day)


def _choice_value(field: str, text: str | None) -> Any:
    """The stored value of a choice staff wrote in words; CaseError naming what may be written."""
    from .. import vocab

    if field == "agreement_type":
        k = vocab.key(text or "")
        found = {v for opt, v in vocab.OPTION_GROUPS["type"].items() if k.startswith(opt)} | (
            {k} if k in vocab.AGREEMENT_TYPES else set())
        if len(found) != 1:
            raise CaseError("bad_choice_type", value=text or "")
        return found.pop()
    if field == "fields":
        names = [n for n in re.split(r"[、，,;；/／\s　]+", text or "") if n]
        resolved = [vocab.resolve_field(n) or (vocab.OTHER if vocab.key(n) == vocab.key(vocab.OTHER) else None)
                    for n in names]
        if not names or None in resolved:
            bad = next((n for n, r in zip(names, resolved) if r is None), text or "")
            raise CaseError("bad_choice_field", value=bad, fields="、".join(vocab.ALL_FIELDS))
        return [f for f in vocab.ALL_FIELDS if f in resolved]
    # axis.field: a field, or 無 / なし / empty for no axis
    if not text or vocab.key(text) in ("無", "なし", "無し", "no", "none"):
        return None
    axis = vocab.resolve_field(text)
    if axis is None:
        raise CaseError("bad_choice_field", value=text, fields="、".join(vocab.FIELDS) + "、無")
    return axis


def add_result(cfg: Any, reg: Registry, ref: str | int, *, fy: int, item: int, title: str,
               on: date | None = None, content: str | None = None, department: str | None = None,
               public: bool = True, actor: str | None = None, today: date | None = None) -> ResultAdded:
    """Record one result under an item the agreement has (refused otherwise); warns on a future date."""
    from ..registry.lifecycle import add_result as add

    day = _today(cfg, today)
    case = get(cfg, reg, ref, today=day)
    if not case.agreement.items:
        raise CaseError("no_items", id=case.id)
    if not 1 <= item <= len(case.agreement.items):
        raise CaseError("unknown_item", item=item, count=len(case.agreement.items))
    result = add(reg, case.id, fy=fy, item=item, title=title, actor=_actor(actor), today=day, done_on=on,
                 content=content, department=department, public=public)
    return ResultAdded(result, tuple(result_date_warnings(case, fy, on, day)))


def result_date_warnings(case: Case, fy: int, on: date | None, today: date) -> list[str]:
    """What is odd about a result of fiscal year ``fy`` done on ``on``: before the signing, or not yet.

    Warnings, not refusals: an office registering an agreement signed in the
    past may record the joint work that led to it, and the registry's own
    tests (and old data) hold such rows.  The screen shows them on the
    confirmation page, before anything is recorded; the command prints them
    with the result.
    """
    from ..era import fiscal_year, fiscal_year_said

    warnings = []
    signed = case.agreement.signed_on
    if on and signed and on < signed:
        warnings.append(_say("warn_result_before_signing", date=on.isoformat(), signed=signed.isoformat()))
    elif signed and fy < fiscal_year(signed):
        warnings.append(_say("warn_result_fy_before_signing", fy=fiscal_year_said(fy),
                             signed=signed.isoformat(), signed_fy=fiscal_year_said(fiscal_year(signed))))
    if on and on > today:
        warnings.append(_say("warn_result_future", date=on.isoformat(), today=today.isoformat()))
    elif fy > fiscal_year(today):
        warnings.append(_say("warn_result_fy_future", fy=fiscal_year_said(fy),
                             this_fy=fiscal_year_said(fiscal_year(today))))
    return warnings


def remove_result(cfg: Any, reg: Registry, result_id: int, *, actor: str | None = None,
                  today: date | None = None) -> Result:
    """Remove a mistaken result; the history keeps a copy."""
    from ..registry.lifecycle import remove_result as remove

    return remove(reg, result_id, actor=_actor(actor), today=_today(cfg, today))


def case_of_result(reg: Registry, result_id: int) -> int:
    """The case a result belongs to (to show it before removing the result)."""
    with reg.snapshot() as conn:
        row = conn.execute("SELECT agreement_id FROM results WHERE id = ?", (result_id,)).fetchone()
    if row is None:
        raise RegistryError("result_not_found", id=result_id)
    return int(row[0])


# --------------------------------------------------------------------------------------
# Merge and split
# --------------------------------------------------------------------------------------


def merge_warnings(keep: Case, other: Case) -> list[str]:
    """What is odd about making ``other`` part of ``keep``: two organisations whose names differ even
    without their legal form (「ひまわりフーズ株式会社」 and 「株式会社あかしや…」) are rarely one proposal.

    A warning, not a refusal: a company may have renamed itself between two submissions.  The screen
    shows it on the confirmation page; the command prints it before asking (and with --yes).
    """
    from ..registry.matching import org_core

    a, b = keep.agreement.partner_name, other.agreement.partner_name
    if a and b and org_core(a) != org_core(b):
        return [_say("warn_merge_names", keep=keep.id, other=other.id, keep_name=a, other_name=b)]
    return []


def merge(cfg: Any, reg: Registry, keep: str | int, other: str | int | None = None, *,
          actor: str | None = None, today: date | None = None) -> Case:
    """Make ``other`` part of ``keep`` (one case), or with ``other`` None confirm ``keep``'s
    "possibly the same case" files (see :func:`_confirm_possible`).

    ``other`` must not have been signed.  Its files join ``keep`` (as the same
    proposal in another format when every value agrees, else as a correction);
    ``keep``'s current proposal stays.  ``other`` is marked merged and no longer counted;
    its history stays, with an event on both.
    """
    from ..registry.lifecycle import _event
    from ..registry.store import now_stamp

    day = _today(cfg, today)
    who = _actor(actor)
    with reg.write() as conn:
        keep_id = resolve(conn, keep)
        other_id = resolve(conn, other) if other is not None else None
        if other_id == keep_id:
            raise CaseError("merge_self", id=keep_id)
        confirmed = _confirm_possible(cfg, conn, keep_id, day)
        moved: list[str] = []
        if other_id is not None:
            row = conn.execute("SELECT status, merged_into FROM agreements WHERE id = ?", (other_id,)).fetchone()
            if row["merged_into"] is not None:
                raise CaseError("merged_away", id=other_id, into=row["merged_into"])
            if row["status"] not in OPEN_STATUSES:
                raise CaseError("merge_signed", id=other_id)
            keep_row = conn.execute("SELECT proposal, merged_into FROM agreements WHERE id = ?", (keep_id,)).fetchone()
            if keep_row["merged_into"] is not None:
                raise CaseError("merged_away", id=keep_id, into=keep_row["merged_into"])
            kept = json.loads(keep_row["proposal"] or "{}")
            for r in conn.execute("SELECT rowid, sha256, proposal FROM submissions WHERE agreement_id = ?"
                                  " ORDER BY rowid", (other_id,)).fetchall():
                proposal = json.loads(r["proposal"]) if r["proposal"] else {}
                role = OTHER_FORMAT if proposal and not differences(proposal, kept) else CORRECTION
                conn.execute("UPDATE submissions SET agreement_id = ?, role = ? WHERE rowid = ?",
                             (keep_id, role, r["rowid"]))
                moved.append(r["sha256"])
            conn.execute("UPDATE agreements SET merged_into = ?, updated_at = ? WHERE id = ?",
                         (keep_id, now_stamp(), other_id))
            _event(conn, other_id, "merged_into", day, who, detail={"into": keep_id, "files": moved})
        _event(conn, keep_id, "merged", day, who,
               detail={"from": other_id, "files": moved, "confirmed": confirmed})
    return get(cfg, reg, keep_id, today=day)


def _confirm_possible(cfg: Any, conn: sqlite3.Connection, case_id: int, day: date) -> list[str]:
    """Staff confirm the case's 「同一案件の可能性」 files: each belongs to this case.

    A file whose every difference from the current proposal was checked
    against the original (照合済み: the current reading is right) is a copy in
    another format; otherwise it is the newer version, and the newest such
    file becomes the current proposal (its own findings then make the verdict).
    Returns the files confirmed.
    """
    from ..pipeline import check_proposal
    from ..proposal import Proposal
    from ..registry.lifecycle import proposal_columns
    from ..registry.store import now_stamp

    case = load(conn, case_id, day, cfg)
    assert case.verdict is not None
    still_open = {i.file for i in case.verdict.open_items}
    newest = None
    for f in case.files:
        if not f.possible:
            continue
        role = CORRECTION if f.key in still_open else OTHER_FORMAT
        conn.execute("UPDATE submissions SET role = ? WHERE agreement_id = ? AND sha256 = ?", (role, case_id, f.key))
        if role == CORRECTION and f.proposal:
            newest = f
    if newest is not None and newest.proposal is not None:
        data = dict(newest.proposal, file=newest.proposal.get("file") or "", format=newest.proposal.get("format") or "")
        cols = proposal_columns(check_proposal(Proposal.from_json(data), cfg), cfg.municipality)
        sets = ", ".join(f"{k} = ?" for k in cols)
        conn.execute(f"UPDATE agreements SET {sets}, current_file = ?, updated_at = ? WHERE id = ?",
                     (*cols.values(), newest.key, now_stamp(), case_id))
    return [f.key for f in case.files if f.possible]


def _file_row(conn: sqlite3.Connection, case_id: int, file: str) -> sqlite3.Row:
    rows = conn.execute("SELECT rowid, * FROM submissions WHERE agreement_id = ? ORDER BY rowid",
                        (case_id,)).fetchall()
    wanted = file.strip()
    exact = [r for r in rows if wanted in (r["file"], r["sha256"], r["submission_id"])
             or (r["file"] and Path(r["file"]).name == Path(wanted).name)]
    if len(exact) == 1:
        return exact[0]
    prefix = [r for r in rows if len(wanted) >= 6 and r["sha256"].startswith(wanted.lower())]
    if len(prefix) == 1:
        return prefix[0]
    raise CaseError("split_unknown_file", id=case_id, file=file)


def split(cfg: Any, reg: Registry, ref: str | int, file: str, *, actor: str | None = None,
          today: date | None = None) -> Case:
    """Take ``file`` (its name, submission ID or hash) out of the case into a case of its own.

    Undoes a wrong "possibly the same case" (or any wrong join) before
    signing.  If the file was current, the case's latest remaining file with
    a recorded proposal becomes current again.  Returns the new case.
    """
    from ..pipeline import check_proposal
    from ..proposal import Proposal
    from ..registry.lifecycle import _event, proposal_columns
    from ..registry.model import RECEIVED
    from ..registry.store import now_stamp

    day = _today(cfg, today)
    who = _actor(actor)
    with reg.write() as conn:
        case_id = resolve(conn, ref)
        a = conn.execute("SELECT status, current_file FROM agreements WHERE id = ?", (case_id,)).fetchone()
        if a["status"] not in OPEN_STATUSES:
            raise CaseError("split_signed", id=case_id)
        row = _file_row(conn, case_id, file)
        label = row["file"] or row["sha256"]
        count = conn.execute("SELECT count(*) FROM submissions WHERE agreement_id = ?", (case_id,)).fetchone()[0]
        if count < 2:
            raise CaseError("split_only_file", id=case_id, file=label)
        if not row["proposal"]:
            raise CaseError("split_no_proposal", file=label)

        def columns_of(proposal_text: str) -> dict[str, Any]:
            return proposal_columns(check_proposal(Proposal.from_json(json.loads(proposal_text)), cfg),
                                    cfg.municipality)

        stamp = now_stamp()
        cols = columns_of(row["proposal"])
        names, marks = ", ".join(cols), ", ".join("?" for _ in cols)
        new_id = insert(
            conn, f"INSERT INTO agreements ({names}, status, received_on, current_file, created_at, updated_at)"
            f" VALUES ({marks}, ?, ?, ?, ?, ?)",
            (*cols.values(), RECEIVED, day.isoformat(), row["sha256"], stamp, stamp))
        conn.execute("UPDATE submissions SET agreement_id = ?, role = ? WHERE rowid = ?",
                     (new_id, ORIGINAL, row["rowid"]))
        if a["current_file"] == row["sha256"]:
            rest = conn.execute("SELECT sha256, proposal FROM submissions WHERE agreement_id = ?"
                                " AND proposal IS NOT NULL ORDER BY rowid DESC LIMIT 1", (case_id,)).fetchone()
            if rest is not None:
                back = columns_of(rest["proposal"])
                sets = ", ".join(f"{k} = ?" for k in back)
                conn.execute(f"UPDATE agreements SET {sets}, current_file = ?, updated_at = ? WHERE id = ?",
                             (*back.values(), rest["sha256"], stamp, case_id))
        _event(conn, case_id, "split", day, who, detail={"file": label, "to": new_id})
        _event(conn, new_id, "split_from", day, who, to_status=RECEIVED, detail={"file": label, "from": case_id})
    return get(cfg, reg, new_id, today=day)


# --------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------


def render(cfg: Any, reg: Registry, ref: str | int, *, out_dir: Path | None = None, pdf: bool = False,
           today: date | None = None, form3_pdf: bool = True) -> Any:
    """Render Form 2/3 of the case from what the registry holds (stored items, signing date, results).

    Returns :class:`kyotei_docs.registry.documents.Rendered` (files written,
    warnings, or why nothing was written).  ``form3_pdf=False``: with ``pdf``, the
    agreement's PDF only (one LibreOffice run instead of two).
    """
    from ..registry.amendments import amendments_for, items_in_force
    from ..registry.documents import render_for

    day = _today(cfg, today)
    case = get(cfg, reg, ref, today=day)
    with reg.snapshot() as conn:
        in_force = items_in_force(case.agreement, amendments_for(conn, case.id), day)
    return render_for(case.agreement, list(case.results), cfg, document_folder(cfg, reg, case, out_dir), pdf=pdf,
                      in_force=in_force, form3_pdf=form3_pdf)


def document_folder(cfg: Any, reg: Registry, case: Case, out_dir: Path | None = None) -> Path:
    """Where a case's documents go (Form 2/3, 変更協定書, 解約通知書): ``out_dir`` if given, else the
    place :func:`~kyotei_docs.registry.documents.default_out_dir` names (the site's case folder)."""
    from ..registry.documents import default_out_dir
    from ..registry.queries import submission_folder

    if out_dir is not None:
        return out_dir
    with reg.snapshot() as conn:
        folder = submission_folder(conn, case.id)
    return default_out_dir(case.agreement, folder, cfg)


def case_for_file(cfg: Any, reg: Registry, proposal: Any, *, sha256: str | None = None) -> int | None:
    """The case a file belongs to, if any — without recording anything.

    The file itself if it was recorded (by its SHA-256), else an open case
    whose current proposal is the same or that it corrects.  Used by
    ``kyotei render FILE --items F`` to store the items on the case.
    """
    from ..registry.lifecycle import _candidates
    from ..registry.matching import match

    with reg.snapshot() as conn:
        if sha256:
            row = conn.execute("SELECT s.agreement_id, a.merged_into FROM submissions s JOIN agreements a"
                               " ON a.id = s.agreement_id WHERE s.sha256 = ?", (sha256.lower(),)).fetchone()
            if row is not None:
                return int(row["merged_into"] or row["agreement_id"])
        data = proposal.to_json()
        found = match(data, _candidates(conn, (data.get("organization") or {}).get("name")))
    return found.case_id if found.role in (OTHER_FORMAT, CORRECTION) else None


def _resolve(reg: Registry, ref: str | int) -> int:
    with reg.snapshot() as conn:
        return resolve(conn, ref)


def _say(key: str, **params: object) -> str:
    from .messages import say_case

    return say_case(key, **params)


def agreement_of(case: Case) -> Agreement:
    return case.agreement
