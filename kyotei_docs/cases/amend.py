"""Amend a signed agreement (協定書 第５条): record the change, then write the 変更協定書.

Used by ``kyotei registry amend`` and the case page alike.  The change is
recorded first (:mod:`kyotei_docs.registry.amendments`: its own record, the
items as signed kept); the document is written afterwards, so a broken
template or a missing LibreOffice never loses a recorded amendment — the
interface reports it and ``render_amendment`` writes it again later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..registry.amendments import ARTICLES, Amendment, amendments_for, record
from ..registry.lifecycle import ITEMS_ARTICLE
from ..registry.store import Registry
from .messages import CaseError
from .model import Case
from .service import _actor, _resolve, _say, _today, document_folder, get, item_texts

__all__ = ["Amended", "amend", "amendments", "render_amendment"]


@dataclass
class Amended:
    """What :func:`amend` did: the case after it, the amendment, the files written (or why not)."""

    case: Case
    amendment: Amendment
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: "failed" when the 変更協定書 could not be written (the amendment stays recorded), else None
    problem: str | None = None
    detail: str = ""


def amendments(cfg: Any, reg: Registry, ref: str | int) -> list[Amendment]:
    """The case's amendments, oldest first."""
    with reg.snapshot() as conn:
        from .service import resolve

        return amendments_for(conn, resolve(conn, ref))


def amend(cfg: Any, reg: Registry, ref: str | int, *, on: date, items: Sequence[str] | None = None,
          article: int | None = None, new_text: str | None = None, old_text: str | None = None,
          reason: str | None = None, actor: str | None = None, today: date | None = None,
          out_dir: Path | None = None, pdf: bool = False, render: bool = True) -> Amended:
    """Record one amendment — the items (article 2, ``items``) or another article's text — and write its
    変更協定書.

    The items are stored as Form 2 numbers them (the closing 「その他…」 item
    added as at signing).  A date after today is recorded with a warning (an
    amendment agreed to apply later).
    """
    day = _today(cfg, today)
    case_id = _resolve(reg, ref)
    chosen = article or ITEMS_ARTICLE
    if chosen == ITEMS_ARTICLE:
        if items is None:
            raise CaseError("amend_needs_items", id=case_id)
        case = get(cfg, reg, case_id, today=day)
        after: Any = item_texts(cfg, case.agreement.proposal, items)
    else:
        if items is not None:
            raise CaseError("amend_items_article", article=chosen)
        after = new_text or ""
    done = record(reg, case_id, article=chosen, after=after, before=old_text, on=on, reason=reason,
                  actor=_actor(actor))
    result = Amended(get(cfg, reg, case_id, today=day), done)
    if on > day:
        result.warnings.append(_say("warn_amend_future", date=on.isoformat(), today=day.isoformat()))
    if render:
        _write(cfg, reg, result, out_dir, pdf)
    return result


def render_amendment(cfg: Any, reg: Registry, ref: str | int, amendment_id: int | None = None, *,
                     out_dir: Path | None = None, pdf: bool = False, today: date | None = None) -> Amended:
    """Write the 変更協定書 of a recorded amendment again (the latest one unless ``amendment_id``)."""
    case = get(cfg, reg, ref, today=today)
    found = amendments(cfg, reg, case.id)
    chosen = [m for m in found if amendment_id is None or m.id == amendment_id]
    if not chosen:
        raise CaseError("amend_none", id=case.id)
    result = Amended(case, chosen[-1])
    _write(cfg, reg, result, out_dir, pdf)
    return result


def _write(cfg: Any, reg: Registry, result: Amended, out_dir: Path | None, pdf: bool) -> None:
    """The 変更協定書 of ``result.amendment`` into the case's documents folder; a failure is reported."""
    from ..render.letters import AMENDMENT, Change, amendment_context, render_letter

    a, m = result.case.agreement, result.amendment
    assert a.signed_on is not None
    values = amendment_context(
        cfg, agreement_name=a.title, partner={"name": a.partner_name or "", "address": a.partner_address or "",
                                              "representative": a.partner_representative or ""},
        signed_on=a.signed_on, on=m.on_date, changes=[Change(m.article, ARTICLES[m.article], m.before, m.after)])
    try:
        letter = render_letter(cfg, AMENDMENT, values, document_folder(cfg, reg, result.case, out_dir),
                               label=f"変更協定書_{m.on_date.strftime('%Y%m%d')}", partner_name=a.partner_name or "",
                               pdf=pdf)
    except Exception as exc:  # the renderer's own errors carry their messages; the record stays
        result.problem = "failed"
        result.detail = str(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")
        return
    result.files += letter.files
    result.warnings += letter.warnings
