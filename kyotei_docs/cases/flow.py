"""Where a case stands in its agreement type's flow (guideline 4), and what is late.

The steps come from the city's configuration (``[flows]``, Asahikawa's from
the guideline's diagrams); staff record each step when it happens (``step``
events: date, who, a note), and everything shown — the current step, the
expected date of each, what is late — is derived from those records, the
case's type and its receipt date every time (:func:`progress`).  The last step
``signed`` is the signing itself: it is done when the case is signed, never
recorded here.

The expected date of a step is the end of the guideline's month for it,
counted from receipt (オールラウンド型: 意向調査 in month 1, とりまとめ in 2 …
締結 by 6); a step without a month has no expected date and is never late.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..guideline import FlowStep
from ..i18n import Catalog, say
from ..periods import subtract_months
from ..registry.store import Registry
from .messages import CaseError

__all__ = ["EVENT", "SIGNED", "Progress", "StepState", "check_step", "flow_kind", "progress", "record_step"]

#: the event kind that records a step
EVENT = "step"
#: the step that is the signing (done by ``kyotei sign``)
SIGNED = "signed"

MESSAGES: Catalog = {
    "kind_individual": ("個別連携協定", "individual agreement"),
    "kind_axis": ("包括連携協定（主軸分野型）", "comprehensive agreement (with an axis field)"),
    "kind_allround": ("包括連携協定（オールラウンド型）", "comprehensive agreement (all-round)"),
    "no_flow": ("協定ID {id} は種別（個別／包括、主軸分野の有無）が決まっていないため、流れの段階を記録できません。"
                "種別を訂正（kyotei registry correct {id} agreement_type …）してから記録してください。",
                "Case {id} has no settled type (individual/comprehensive, axis or not), so no step can be recorded. "
                "Correct the type first (kyotei registry correct {id} agreement_type …)."),
    "unknown_step": ("「{step}」は{kind}の流れにない段階です。段階: {steps}",
                     "{step!r} is not a step of the {kind} flow. Steps: {steps}"),
    "step_is_signing": ("締結は kyotei sign {id} で記録します（流れの段階としては記録しません）。",
                        "The signing is recorded with kyotei sign {id}, not as a step."),
    "step_future": ("{date} はまだ来ていない日付です。段階は実際に行った日で記録してください。",
                    "{date} has not come yet; record a step on the day it happened."),
}


class FlowError(CaseError):
    """A step that cannot be recorded (exit 1, nothing changed)."""

    catalog = MESSAGES


def flow_kind(kind: str | None, subtype: str | None) -> str | None:
    """The flow a case follows: ``individual``, ``axis`` or ``allround``; None while its type is unsettled."""
    if kind == "individual":
        return "individual"
    if kind == "comprehensive" and subtype in ("axis", "allround"):
        return str(subtype)
    return None


def kind_label(flow: str | None) -> str:
    return say(MESSAGES, f"kind_{flow}") if flow else "—"


@dataclass(frozen=True)
class StepState:
    step: FlowStep
    done_on: date | None
    actor: str | None
    note: str
    expected: date | None
    late: bool

    def to_json(self) -> dict[str, Any]:
        return {"key": self.step.key, "label": self.step.label, "done_on": _iso(self.done_on), "actor": self.actor,
                "note": self.note, "expected": _iso(self.expected), "late": self.late}


@dataclass(frozen=True)
class Progress:
    """A case's flow on one day: every step with its record, the current one and the late ones."""

    flow: str | None
    steps: tuple[StepState, ...]

    @property
    def signed(self) -> bool:
        """The flow has ended: its last step, the signing, is recorded (steps skipped before it stay unticked)."""
        return any(s.step.key == SIGNED and s.done_on for s in self.steps)

    @property
    def current(self) -> StepState | None:
        """The first step not done after the last one done (None once signed, when every step is done or
        there is no flow): a step left unrecorded before one that was recorded has been passed."""
        if self.signed:
            return None
        return next((s for s in self.steps[_after_last_done(self.steps):] if s.done_on is None), None)

    @property
    def late(self) -> list[StepState]:
        return [s for s in self.steps if s.late]

    def to_json(self) -> dict[str, Any]:
        current = self.current
        return {"flow": self.flow, "flow_label": kind_label(self.flow),
                "current": current.step.key if current else None,
                "late": [s.step.key for s in self.late], "steps": [s.to_json() for s in self.steps]}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def progress(cfg: Any, agreement: Any, events: Iterable[Any], today: date) -> Progress:
    """The flow of ``agreement`` as its ``events`` (oldest first) record it, seen on ``today``."""
    flow = flow_kind(agreement.kind, agreement.subtype)
    records: dict[str, Any] = {}
    for e in events:
        if e.kind == EVENT:
            records[e.detail.get("step", "")] = e  # the latest record of a step wins (undone included)
    received = agreement.received_on
    states = []
    for step in cfg.guideline.flow(flow):
        record = records.get(step.key)
        if step.key == SIGNED:
            done_on, actor, note = agreement.signed_on, None, ""
        elif record is not None and not record.detail.get("undone"):
            done_on, actor, note = record.on_date, record.actor, record.detail.get("note", "")
        else:
            done_on, actor, note = None, None, ""
        expected = subtract_months(received, -step.month) if step.month and received else None
        # once signed, a step skipped on the way is history, not a delay to chase
        late = done_on is None and expected is not None and today > expected and not agreement.signed_on
        states.append(StepState(step, done_on, actor, note, expected, late))
    # a step skipped before one recorded later (a draft sent before the hearing was ticked) is passed:
    # it is neither the current step nor late
    passed = _after_last_done(states)
    states = [dataclasses.replace(st, late=False) if i < passed else st for i, st in enumerate(states)]
    return Progress(flow, tuple(states))


def _after_last_done(steps: Sequence[StepState]) -> int:
    """The index after the last step recorded as done (0 when none is)."""
    return max((i + 1 for i, st in enumerate(steps) if st.done_on is not None), default=0)


def check_step(cfg: Any, agreement: Any, step_key: str, *, on: date, today: date) -> None:
    """Refuse a step the case's flow does not have, the signing, or a day that has not come."""
    flow = flow_kind(agreement.kind, agreement.subtype)
    if flow is None:
        raise FlowError("no_flow", id=agreement.id)
    steps = cfg.guideline.flow(flow)
    if step_key == SIGNED:
        raise FlowError("step_is_signing", id=agreement.id)
    if step_key not in {s.key for s in steps}:
        raise FlowError("unknown_step", step=step_key, kind=kind_label(flow),
                        steps=", ".join(f"{s.key}（{s.label}）" for s in steps if s.key != SIGNED))
    if on > today:
        raise FlowError("step_future", date=on.isoformat())


def record_step(cfg: Any, reg: Registry, agreement: Any, step_key: str, *, on: date, actor: str, note: str = "",
                undo: bool = False, today: date, detail: dict[str, Any] | None = None) -> None:
    """Record that ``step_key`` happened on ``on`` (or, with ``undo``, that it was recorded by mistake)."""
    from ..registry.lifecycle import record_event

    check_step(cfg, agreement, step_key, on=on, today=today)
    record_event(reg, agreement.id, EVENT, on=on, actor=actor,
                 detail={"step": step_key, "note": note.strip(), "undone": undo, **(detail or {})})


def record(cfg: Any, reg: Registry, ref: str | int, step_key: str, *, on: date | None = None, note: str = "",
           undo: bool = False, actor: str | None = None, today: date | None = None) -> Any:
    """Record a step on the case ``ref`` (the service the command and the screen call); returns the case."""
    from . import service

    day = service._today(cfg, today)
    case = service.get(cfg, reg, ref, today=day)
    record_step(cfg, reg, case.agreement, step_key, on=on or day, actor=service._actor(actor), note=note,
                undo=undo, today=day)
    return service.get(cfg, reg, case.id, today=day)


def mark(cfg: Any, reg: Registry, case: Any, step_key: str, *, on: date, actor: str, today: date,
         note: str = "") -> bool:
    """Record ``step_key`` as done because a step's own record shows it (a 協定書（案） sent, the 意向調査 sheets
    made) — only when the case's flow has that step and it is not done yet; True when recorded."""
    p = progress(cfg, case.agreement, case.events, today)
    state = next((s for s in p.steps if s.step.key == step_key), None)
    if state is None or state.done_on is not None or step_key == SIGNED or on > today:
        return False
    record_step(cfg, reg, case.agreement, step_key, on=on, actor=actor, note=note, today=today)
    return True
