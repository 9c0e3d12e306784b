"""The judgement sheet (検討票) of a case: guideline 2(2), item by item.

What staff record is what they judged — each item's state, a note, who and
when — as ``judged`` events (append-only, like every change of a case); the
judgement shown, and whether the case may be signed, is derived from those
events and the city's checklist every time (:func:`judgement`).  A checklist
the city later extends simply shows the new items as not yet judged.

States: a *condition* (1)–6)) is 適合 (``met``) or 不適合 (``not_met``); an
*exclusion* (7)) is 該当なし (``clear``) or 該当 (``applies``); either may be
確認中 (``pending``).  Signing needs every item 適合 or 該当なし
(:func:`blocking`); the tool never decides an item — 2(2) is a human judgement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..guideline import CONDITION, EXCLUSION, ChecklistItem
from ..i18n import Catalog, in_japanese, say
from ..registry.store import Registry
from .messages import CaseError

__all__ = ["Answer", "ItemState", "STATES", "blocking", "judge", "judgement", "parse_state", "state_label"]

MET, NOT_MET, CLEAR, APPLIES, PENDING = "met", "not_met", "clear", "applies", "pending"
#: the states each kind of item may take
STATES: dict[str, tuple[str, ...]] = {CONDITION: (MET, NOT_MET, PENDING), EXCLUSION: (CLEAR, APPLIES, PENDING)}
#: the state of each kind that allows signing
FINE = {CONDITION: MET, EXCLUSION: CLEAR}
#: the event kind that records judgements
EVENT = "judged"

MESSAGES: Catalog = {
    "met": ("適合", "met"),
    "not_met": ("不適合", "not met"),
    "clear": ("該当なし", "does not apply"),
    "applies": ("該当", "applies"),
    "pending": ("確認中", "being checked"),
    "unjudged": ("未判断", "not judged"),
    "unknown_item": ("検討票に「{item}」という項目はありません。項目: {items}",
                     "The judgement sheet has no item {item!r}. Items: {items}"),
    "bad_state": ("「{item}」には {states} のどれかを指定してください（指定: {state}）。",
                  "Item {item!r} takes one of {states} (given: {state})."),
    "nothing_judged": ("判断する項目を指定してください（--item 項目=状態、または --all-clear）。",
                       "Name what to record (--item KEY=STATE, or --all-clear)."),
    "sheet_done": ("すべての検討・判断事項が適合・該当なしと判断されています。",
                   "Every item is judged met or not applicable."),
    "sheet_open": ("未了の項目が {n} 件あります（未判断・確認中・不適合・該当）。締結の前に判断を記録してください。",
                   "{n} item(s) are still open (not judged, being checked, not met or applying)."),
    "not_judged": ("協定ID {id} の検討票が完了していないため、締結を記録しません（何も変更していません）:\n{items}\n"
                   "kyotei registry judge {id} で検討票を記録してください。例外的に締結する場合は --force --reason 理由 を付けます。",
                   "The judgement sheet (検討票) of case {id} is not complete, so the signing was not recorded "
                   "(nothing changed):\n{items}\nRecord it with kyotei registry judge {id}. For a rare exception add "
                   "--force --reason TEXT."),
}


class JudgingError(CaseError):
    """A judgement that cannot be recorded, or a signing the sheet does not allow (exit 1, nothing changed)."""

    catalog = MESSAGES


def state_label(state: str | None) -> str:
    return say(MESSAGES, state or "unjudged")


def parse_state(item: ChecklistItem, word: str) -> str:
    """A state from staff's word (「適合」「該当なし」「確認中」… or the English key), checked against the item's kind."""
    text = (word or "").strip()
    allowed = STATES[item.kind]
    for state in allowed:
        if text in (state, *MESSAGES[state]):
            return state
    shown = " / ".join(say(MESSAGES, s) for s in allowed)
    raise JudgingError("bad_state", item=item.key, states=shown, state=text)


@dataclass(frozen=True)
class Answer:
    """The latest judgement of one item."""

    state: str
    note: str
    actor: str
    on_date: date
    recorded_at: str


@dataclass(frozen=True)
class ItemState:
    item: ChecklistItem
    answer: Answer | None

    @property
    def state(self) -> str | None:
        return self.answer.state if self.answer else None

    @property
    def fine(self) -> bool:
        return self.state == FINE[self.item.kind]

    def to_json(self) -> dict[str, Any]:
        a = self.answer
        return {"key": self.item.key, "kind": self.item.kind, "group": self.item.group, "text": self.item.text,
                "state": self.state, "state_label": state_label(self.state), "note": a.note if a else "",
                "actor": a.actor if a else None, "on_date": a.on_date.isoformat() if a else None,
                "recorded_at": a.recorded_at if a else None}


def judgement(cfg: Any, events: Iterable[Any]) -> tuple[ItemState, ...]:
    """Every checklist item with its latest recorded answer (``events``: the case's, oldest first)."""
    latest: dict[str, Answer] = {}
    for e in events:
        if e.kind != EVENT:
            continue
        for answer in e.detail.get("answers", []):
            latest[answer["item"]] = Answer(answer["state"], answer.get("note", ""), e.actor, e.on_date,
                                            e.recorded_at)
    return tuple(ItemState(item, latest.get(item.key)) for item in cfg.guideline.checklist)


def blocking(states: Iterable[ItemState]) -> list[ItemState]:
    """The items that stand in the way of signing: not judged, 確認中, 不適合 or 該当."""
    return [s for s in states if not s.fine]


def describe(states: Iterable[ItemState]) -> str:
    """One line per item, for refusals: 「  - [未判断] ２）それぞれの連携分野において…」."""
    return "\n".join(f"  - [{state_label(s.state)}] {short(s.item.text)}" for s in states)


def short(text: str, width: int = 40) -> str:
    """An item's text cut to ``width`` characters, with 「…」 when cut (a cut sentence must look cut)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def judge(cfg: Any, reg: Registry, case_id: int, answers: Mapping[str, tuple[str, str]], *, on: date,
          actor: str, all_clear: bool = False, note: str = "") -> None:
    """Record judgements: ``answers`` maps item keys to (state word, note); ``all_clear`` records every item
    not named in ``answers`` as 適合 / 該当なし (a case judged in a meeting), with ``note``.

    Every word is checked before anything is written: one wrong key or state
    refuses the whole record.
    """
    from ..registry.lifecycle import record_event

    checklist = cfg.guideline.checklist
    by_key = {i.key: i for i in checklist}
    rows = []
    for key, (word, item_note) in answers.items():
        item = by_key.get(key)
        if item is None:
            raise JudgingError("unknown_item", item=key, items="".join(
                f"\n  {k}　{short(i.text)}" for k, i in by_key.items()))
        rows.append({"item": key, "state": parse_state(item, word), "note": (item_note or "").strip()})
    if all_clear:
        named = set(answers)
        rows += [{"item": i.key, "state": FINE[i.kind], "note": note.strip()} for i in checklist if i.key not in named]
    if not rows:
        raise JudgingError("nothing_judged")
    record_event(reg, case_id, EVENT, on=on, actor=actor, detail={"answers": rows, "all_clear": all_clear})


def refusal(case_id: int, states: Iterable[ItemState]) -> JudgingError:
    return JudgingError("not_judged", id=case_id, items=describe(states))


# --------------------------------------------------------------------------------------
# The sheet, ready to attach to the 決裁
# --------------------------------------------------------------------------------------


def proposal_summary(cfg: Any, agreement: Any) -> list[dict[str, str]]:
    """The proposal's entries as label/value rows (also the 意向調査's and the press release's summary)."""
    from ..era import format_wareki
    from ..registry.model import type_label

    p = agreement.proposal or {}
    org = p.get("organization") or {}
    axis = p.get("axis") or {}
    comma = cfg.comma

    def when(d: Any) -> str:
        return format_wareki(d) if d else "—"

    rows = [
        ("協定ID", str(agreement.id)),
        ("企業等名称", org.get("name") or agreement.partner_name or "—"),
        ("所在地", org.get("address") or "—"),
        ("代表者氏名", org.get("representative") or "—"),
        ("協定の種別", type_label(agreement.kind, agreement.subtype, lang="ja")),  # a document: Japanese always
        ("連携の分野", comma.join(p.get("fields") or agreement.fields or []) or "—"),
        ("主軸分野", axis.get("field") or ("無" if axis.get("present") is False else "—")),
        ("協定締結の目的", p.get("purpose") or "—"),
        ("連携により期待される効果", p.get("expected_effects") or "—"),
        ("提出日", when(agreement.proposed_on)),
        ("受付日", when(agreement.received_on)),
    ]
    return [{"label": k, "value": str(v)} for k, v in rows]


def sheet_context(cfg: Any, case: Any, states: tuple[ItemState, ...], today: date) -> dict[str, Any]:
    from ..era import format_wareki
    from ..registry.documents import proposal_of
    from ..routing import route

    routing = route(proposal_of(case.agreement), cfg)
    open_items = blocking(states)
    conclusion = (say(MESSAGES, "sheet_done") if not open_items
                  else say(MESSAGES, "sheet_open", n=len(open_items)))
    items = []
    previous = None
    for s in states:
        a = s.answer
        who = f"{a.actor}・{format_wareki(a.on_date)}" if a else ""
        group, previous = ("" if s.item.group == previous else s.item.group), s.item.group
        items.append({"group": group, "text": s.item.text, "state": state_label(s.state),
                      "note": "　".join(x for x in ((a.note if a else ""), who) if x)})
    return {"made_on": format_wareki(today), "summary": proposal_summary(cfg, case.agreement),
            "routing": case.agreement.department or routing.department, "routing_notes": list(routing.notes),
            "items": items, "conclusion": conclusion}


def render_sheet(cfg: Any, case: Any, out_dir: Any, *, today: date, pdf: bool = False) -> Any:
    """The 検討票 of ``case`` as .docx (and PDF) in ``out_dir``: :class:`kyotei_docs.render.letters.Letter`."""
    from ..render.letters import render_letter
    from ..render.templates import JUDGEMENT_SHEET

    states = judgement(cfg, case.events)
    with in_japanese():  # a document for the 決裁: Japanese whatever --lang says
        context = sheet_context(cfg, case, states, today)
    return render_letter(cfg, JUDGEMENT_SHEET, context, out_dir,
                         label="検討票", partner_name=case.organisation, pdf=pdf)


# --------------------------------------------------------------------------------------
# The service: what the command and the screen call
# --------------------------------------------------------------------------------------


def record(cfg: Any, reg: Registry, ref: str | int, answers: Mapping[str, tuple[str, str]], *,
           all_clear: bool = False, note: str = "", on: date | None = None, actor: str | None = None,
           today: date | None = None) -> Any:
    """Record judgements on the case ``ref`` (see :func:`judge`); returns the case as it now is."""
    from . import service

    day = service._today(cfg, today)
    case_id = service._resolve(reg, ref)
    judge(cfg, reg, case_id, answers, on=on or day, actor=service._actor(actor), all_clear=all_clear, note=note)
    return service.get(cfg, reg, case_id, today=day)
