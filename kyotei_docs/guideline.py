"""The guideline's steps as data: the judgement checklist (2(2)) and the flow of each agreement type (4).

Why data, not code: another city judges by other questions and runs other
steps, and Asahikawa itself revises its guideline; the wording staff tick and
the steps the case page shows must change with a configuration file, not a
release.  ``[judging]`` and ``[flows]`` in ``defaults/kyotei.toml`` hold
Asahikawa's, taken from the guideline's 2(2) and the flow diagrams of 4(1)/4(2);
:func:`parse` checks a city's version once at load (config.py), so a typo is
refused in one line naming the key, never later by whichever screen reads it.

Each checklist item is one of two kinds, because the guideline asks two kinds of
question: a *condition* (1)–6): 「…しているか」) is 適合 when met; an *exclusion*
(7): 「次に該当しないもの」) is 該当なし when it does not apply.  Either may be
確認中 while staff find out.  What a judgement state allows (signing) is decided
in :mod:`kyotei_docs.cases.judging`; this module only holds the words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CONDITION", "EXCLUSION", "FLOW_KINDS", "ChecklistItem", "FlowStep", "Guideline", "parse"]

CONDITION = "condition"
EXCLUSION = "exclusion"
#: the agreement types that have a flow: 個別, 包括（主軸分野型）, 包括（オールラウンド型）
FLOW_KINDS = ("individual", "axis", "allround")


@dataclass(frozen=True)
class ChecklistItem:
    """One question of the judgement sheet (検討票)."""

    key: str
    kind: str  # CONDITION or EXCLUSION
    #: the heading it stands under on the sheet (「検討・判断事項」「企業等の事業」…)
    group: str
    text: str


@dataclass(frozen=True)
class FlowStep:
    """One step of an agreement type's flow (4(1)/4(2)).

    ``month`` is the guideline's month (1 = the first month after receipt) by
    whose end the step is expected; 0 means the guideline sets no time for it.
    """

    key: str
    label: str
    month: int = 0


@dataclass(frozen=True)
class Guideline:
    """The guideline as configured: the checklist, each agreement type's flow of steps, who is told of what."""

    checklist: tuple[ChecklistItem, ...] = ()
    flows: dict[str, tuple[FlowStep, ...]] = field(default_factory=dict)
    #: the types whose steps the coordinating section must be told of (主軸分野型: 4(1)★)
    notify_kinds: tuple[str, ...] = ("axis",)

    def item(self, key: str) -> ChecklistItem | None:
        return next((i for i in self.checklist if i.key == key), None)

    def flow(self, kind: str | None) -> tuple[FlowStep, ...]:
        return self.flows.get(kind or "", ())


Wrong = Callable[[str, str, Any, str], Exception]


def parse(data: dict[str, Any], wrong: Wrong) -> Guideline:
    """``[judging]`` and ``[flows]`` of a merged configuration, checked; ``wrong(section, key, value, expected)``
    makes the configuration's one-line error."""
    judging = data.get("judging", {})
    items = []
    seen: set[str] = set()
    for n, raw in enumerate(judging.get("items", []), start=1):
        where = f"items[{n}]"
        if not isinstance(raw, dict):
            raise wrong("judging", where, raw, "{ key = \"…\", kind = \"condition\" | \"exclusion\", group, text }")
        key, kind = str(raw.get("key", "")).strip(), raw.get("kind")
        if not key or key in seen:
            raise wrong("judging", f"{where}.key", raw.get("key"), "a key of its own (unique)")
        if kind not in (CONDITION, EXCLUSION):
            raise wrong("judging", f"{where}.kind", kind, "\"condition\" or \"exclusion\"")
        if not str(raw.get("text", "")).strip():
            raise wrong("judging", f"{where}.text", raw.get("text"), "the question's words")
        seen.add(key)
        items.append(ChecklistItem(key, kind, str(raw.get("group", "")), str(raw["text"]).strip()))
    flows: dict[str, tuple[FlowStep, ...]] = {}
    for kind, raw_flow in data.get("flows", {}).items():
        if kind == "notify":
            continue
        if kind not in FLOW_KINDS:
            raise wrong("flows", kind, kind, " / ".join(FLOW_KINDS))
        steps = []
        keys: set[str] = set()
        for n, raw in enumerate(raw_flow.get("steps", []) if isinstance(raw_flow, dict) else [], start=1):
            step_key = str(raw.get("key", "")).strip() if isinstance(raw, dict) else ""
            if not step_key or step_key in keys:
                raise wrong(f"flows.{kind}", f"steps[{n}].key", raw, "a key of its own (unique)")
            month = raw.get("month", 0)
            if not isinstance(month, int) or isinstance(month, bool) or not 0 <= month <= 36:
                raise wrong(f"flows.{kind}", f"steps[{n}].month", month, "0–36")
            keys.add(step_key)
            steps.append(FlowStep(step_key, str(raw.get("label", step_key)), month))
        flows[kind] = tuple(steps)
    notify = data.get("flows", {}).get("notify", ["axis"])
    if not isinstance(notify, list) or any(k not in FLOW_KINDS for k in notify):
        raise wrong("flows", "notify", notify, " / ".join(FLOW_KINDS))
    return Guideline(tuple(items), flows, tuple(notify))
