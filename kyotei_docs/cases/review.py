"""Continuation reviews (guideline 5(3)): agreements without results, the consultation, its outcome.

Guideline 5(3): an agreement without results in a year is discussed with
the partner, and whether it continues is confirmed — except an agreement
prepared for emergencies (災害時の協力など), which may stay without results.
Whether an agreement is one is staff's judgement, so it is a flag on the
case with the reason (``registry set ID --exempt --exempt-reason``); the
review only *suggests* it for an individual agreement in a field of
``[registry] review_exempt_fields``.  The consultation's outcome (continue,
continue with an amendment, end) is recorded per agreement and fiscal year,
append-only; the latest one counts.  Used by ``kyotei registry review`` /
``reviewed`` and the reminders (:mod:`.remind`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..registry.lifecycle import _event, _require, check_fiscal_year
from ..registry.model import label
from ..registry.queries import OUTCOMES, ReviewReport, review
from ..registry.store import Registry, now_stamp
from ..sqlitedb import insert
from .messages import CaseError
from .model import Case
from .service import _actor, _resolve, _today, get

__all__ = ["OUTCOMES", "record_outcome", "report"]


def report(cfg: Any, reg: Registry, *, fy: int) -> ReviewReport:
    """Agreements without results in ``fy`` (with suggestions and recorded outcomes), and the exempt ones."""
    check_fiscal_year(fy)
    with reg.snapshot() as conn:
        return review(conn, fy=fy, suggest_fields=cfg.registry.review_exempt_fields)


def record_outcome(cfg: Any, reg: Registry, ref: str | int, *, fy: int, outcome: str, on: date | None = None,
                   note: str | None = None, actor: str | None = None, today: date | None = None) -> Case:
    """Record what the consultation of 5(3) decided for ``fy`` (a later record supersedes an earlier one)."""
    if outcome not in OUTCOMES:
        raise CaseError("bad_outcome", outcome=outcome, outcomes=", ".join(OUTCOMES))
    check_fiscal_year(fy)
    day = _today(cfg, today)
    when = on or day
    case_id = _resolve(reg, ref)
    who = _actor(actor)
    with reg.write() as conn:
        a = _require(conn, case_id)
        if a.signed_on is None:
            raise CaseError("review_not_signed", id=a.id)
        insert(conn, "INSERT INTO reviews (agreement_id, fiscal_year, outcome, on_date, note, actor, recorded_at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)",
               (a.id, fy, outcome, when.isoformat(), (note or "").strip() or None, who, now_stamp()))
        _event(conn, a.id, "reviewed", when, who,
               detail={"fiscal_year": fy, "outcome": outcome, "outcome_label": label(f"outcome_{outcome}"),
                       "note": (note or "").strip() or None})
    return get(cfg, reg, case_id, today=day)
