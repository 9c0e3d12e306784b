"""Meetings on a case (guideline 4): 協議 with the organisation and the オールラウンド型's 三者協議.

A meeting is what staff note after it: the day, its kind, who attended, what
was said and the next action.  Each is a ``meeting`` event (append-only, like
every record of a case); the list shown is read from them.  Recording a 三者協議
does not tick the flow's step by itself — several meetings may be needed
(「必要に応じて数回」), and staff record the step when the consultation is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..i18n import Catalog, say
from ..registry.store import Registry
from .messages import CaseError

__all__ = ["EVENT", "KINDS", "Meeting", "meetings", "record"]

EVENT = "meeting"
#: 協議 (the organisation and the department), 三者協議 (with the coordinating section), 庁内 (within the city)
KINDS = ("consultation", "three_party", "internal")

MESSAGES: Catalog = {
    "consultation": ("協議", "consultation"),
    "three_party": ("三者協議", "three-party consultation"),
    "internal": ("庁内協議", "internal meeting"),
    "bad_kind": ("会議の種類は {kinds} のどれかです（指定: {kind}）。", "The kind of meeting is one of {kinds} (given: {kind})."),
    "future": ("{date} はまだ来ていない日付です。会議は行った日で記録してください。",
               "{date} has not come yet; record a meeting on the day it was held."),
    "empty": ("会議の内容（--notes）か次の対応（--next）を書いてください。", "Write what was said (--notes) or the next action (--next)."),
}


class MeetingError(CaseError):
    catalog = MESSAGES


def kind_label(kind: str) -> str:
    return say(MESSAGES, kind) if kind in KINDS else kind


@dataclass(frozen=True)
class Meeting:
    on_date: date
    kind: str
    attendees: tuple[str, ...]
    notes: str
    next_action: str
    actor: str

    def to_json(self) -> dict[str, Any]:
        return {"on_date": self.on_date.isoformat(), "kind": self.kind, "kind_label": kind_label(self.kind),
                "attendees": list(self.attendees), "notes": self.notes, "next_action": self.next_action,
                "actor": self.actor}


def meetings(events: Any) -> list[Meeting]:
    """The case's meetings in the order they were held."""
    found = [Meeting(e.on_date, e.detail.get("kind", ""), tuple(e.detail.get("attendees", [])),
                     e.detail.get("notes", ""), e.detail.get("next", ""), e.actor)
             for e in events if e.kind == EVENT]
    return sorted(found, key=lambda m: m.on_date)


def record(cfg: Any, reg: Registry, ref: str | int, *, kind: str, on: date | None = None,
           attendees: list[str] | None = None, notes: str = "", next_action: str = "", actor: str | None = None,
           today: date | None = None) -> Any:
    """Record a meeting on the case ``ref``; returns the case as it now is."""
    from ..registry.lifecycle import record_event
    from . import service

    day = service._today(cfg, today)
    when = on or day
    word = kind.strip()
    found = next((k for k in KINDS if word in (k, *MESSAGES[k])), None)
    if found is None:
        raise MeetingError("bad_kind", kinds=" / ".join(MESSAGES[k][0] for k in KINDS), kind=word)
    if when > day:
        raise MeetingError("future", date=when.isoformat())
    if not notes.strip() and not next_action.strip():
        raise MeetingError("empty")
    case_id = service._resolve(reg, ref)
    record_event(reg, case_id, EVENT, on=when, actor=service._actor(actor),
                 detail={"kind": found, "attendees": [a.strip() for a in attendees or [] if a.strip()],
                         "notes": notes.strip(), "next": next_action.strip()})
    return service.get(cfg, reg, case_id, today=day)
