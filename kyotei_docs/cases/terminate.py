"""Termination on notice (協定書 第４条第２項): the notice date, the one-month period, the 解約通知書.

Why its own step: ending on notice is only right when the written notice was
given at least one month before the end (「解約予定日の１か月前までに書面をもって」).
:func:`check_notice` holds that rule, read with the city's notice reading and
closed days (:class:`~kyotei_docs.registry.dates.DateRules`, the same as for the
renewal notice): a shorter period is refused with the earliest end the notice
allows, unless staff record an agreed shorter one (``force`` with a reason,
kept in the history).  :func:`write_notice` writes the 解約通知書 letter from
``templates/termination_notice.docx`` through the one render path.  Used by
``kyotei registry end`` and the case page alike (through :func:`cases.end`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..registry.dates import DateRules
from ..registry.documents import Rendered
from ..registry.model import ACTIVE, Agreement
from ..registry.store import Registry
from .messages import CaseError
from .model import Case

__all__ = ["NOTICE", "check_notice", "write_notice"]

#: The end cause that needs written notice (解約の申出).
NOTICE = "notice"
#: The end at expiry after an objection to the renewal (不更新の申出, 第４条第１項).
NON_RENEWAL = "non_renewal"


def check_notice(cfg: Any, a: Agreement, *, on: date, cause: str, notice_on: date | None, force: bool,
                 reason: str) -> dict[str, Any] | None:
    """Refuse (CaseError) an end on notice without a notice date or before the notice allows.

    Returns what the history should keep about a period shorter than the
    notice allows and agreed (``force``), else None.  An objection to the
    renewal (``non_renewal``) whose notice date is given is checked against
    the notice deadline of the current term in the same way.  Only an agreement in
    force ending by notice is checked: a proposal withdrawn, a partner
    dissolved or an exclusion has no notice period.
    """
    if a.status not in ACTIVE:
        return None
    if cause == NON_RENEWAL and notice_on is not None and a.expires_on is not None:
        # 第４条第１項: an objection to the renewal is due one month before the expiry
        deadline = DateRules.from_config(cfg).deadline(a.expires_on)
        if notice_on <= deadline:
            return None
        if not force:
            raise CaseError("non_renewal_late", id=a.id, notice=notice_on.isoformat(), deadline=deadline.isoformat(),
                            expiry=a.expires_on.isoformat())
        if not reason.strip():
            raise CaseError("force_needs_reason")
        return {"after_notice_deadline": True, "notice_deadline": deadline.isoformat()}
    if cause != NOTICE:
        return None
    if notice_on is None:
        raise CaseError("notice_needs_date", id=a.id)
    if notice_on > on:
        raise CaseError("notice_after_end", notice=notice_on.isoformat(), end=on.isoformat())
    earliest = DateRules.from_config(cfg).earliest_end(notice_on)
    if on >= earliest:
        return None
    if not force:
        raise CaseError("notice_too_short", id=a.id, notice=notice_on.isoformat(), end=on.isoformat(),
                        earliest=earliest.isoformat())
    if not reason.strip():
        raise CaseError("force_needs_reason")
    return {"shorter_than_notice": True, "earliest_end": earliest.isoformat()}


def write_notice(cfg: Any, reg: Registry, case: Case, *, from_city: bool = True, out_dir: Path | None = None,
                 pdf: bool = False) -> Rendered:
    """Write the 解約通知書 for ``case``'s recorded end (its notice date, end date and reason).

    A failure is reported in the result (``problem`` "failed"): the end stays recorded either way.
    """
    from ..render.letters import TERMINATION, render_letter, termination_context
    from .service import document_folder

    a = case.agreement
    result = Rendered()
    if a.signed_on is None or a.ended_on is None or a.notice_on is None:
        result.problem, result.detail = "failed", "no notice recorded"
        return result
    values = termination_context(
        cfg, agreement_name=a.title, partner={"name": a.partner_name or "", "address": a.partner_address or "",
                                              "representative": a.partner_representative or ""},
        signed_on=a.signed_on, notice_on=a.notice_on, ends_on=a.ended_on, reason=a.end_reason or "",
        from_city=from_city, contact=a.department or "")
    try:
        letter = render_letter(cfg, TERMINATION, values, document_folder(cfg, reg, case, out_dir),
                               label=f"解約通知書_{a.notice_on.strftime('%Y%m%d')}", partner_name=a.partner_name or "",
                               pdf=pdf)
    except Exception as exc:  # the renderer's own errors carry their messages; the end stays recorded
        result.problem = "failed"
        result.detail = str(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")
        return result
    result.files, result.warnings = letter.files, letter.warnings
    return result
