"""報道機関への情報提供 (guideline 5): the press information for 市政記者 before a signing.

Made from the case like Form 3: the agreement's name and items as Form 2
words them (render/context.py), the partner as read or corrected, the
department handling it; the time, place and attendees of the ceremony are what
staff know and give.  Written through the one letter path (render/letters.py)
into the case's folder.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..i18n import in_japanese

__all__ = ["press_context", "render_press"]


def press_context(cfg: Any, case: Any, *, when: str, place: str, attendees: list[str], today: date) -> dict[str, Any]:
    from ..era import format_wareki
    from ..registry.documents import proposal_of
    from ..render.context import build_context

    a = case.agreement
    proposal = proposal_of(a)
    form2 = build_context(proposal, cfg, signing_date=a.signed_on, items=list(a.items) or None).values
    dept_name = a.department or cfg.coordinator.name
    dept = next((d for d in cfg.departments.values() if d.name == dept_name), None)
    return {
        "made_on": format_wareki(today), "city": cfg.municipality, "department": dept_name,
        "agreement_name": form2["agreement_name"], "partner": form2["partner"],
        "when": when.strip() or (format_wareki(a.signed_on) if a.signed_on else "（未定）"),
        "place": place.strip() or "（未定）", "attendees": [x.strip() for x in attendees if x.strip()] or ["（未定）"],
        "purpose": form2["purpose"], "items": form2["items"], "tel": f"　電話　{dept.tel}" if dept and dept.tel else "",
    }


def render_press(cfg: Any, case: Any, out_dir: Path, *, when: str = "", place: str = "",
                 attendees: list[str] | None = None, today: date, pdf: bool = False) -> Any:
    from ..render.letters import render_letter
    from ..render.templates import PRESS_RELEASE

    with in_japanese():  # for the press: Japanese whatever --lang says
        context = press_context(cfg, case, when=when, place=place, attendees=attendees or [], today=today)
    return render_letter(cfg, PRESS_RELEASE, context, out_dir, label="報道資料", partner_name=case.organisation,
                         pdf=pdf)
