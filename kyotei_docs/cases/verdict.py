"""A case's verdict — 受付可 / 要確認 / 要修正 — derived every time the case is read, never stored.

Why derived: staff change a case after it was read (a correction, a new file,
a merge or split, a review item compared with the original).  A verdict kept
in a column goes stale the moment one of them happens: a case kept saying
「種別…選択されていません」 after staff corrected 種別.  So the registry stores only
what happened — each file's findings as read, the corrections (naming the file
they correct), the confirmations (原本と照合済み) — and :func:`decide` computes
the verdict from them with the same rules (:func:`kyotei_docs.pipeline.check_proposal`).

* **Errors** (要修正): the rules re-run on the current proposal with the staff
  corrections applied.  The contract JSON cannot carry everything the reader
  saw (two boxes ticked, a date that is not a day), so those findings as read
  stand for the entries staff have not corrected.  An entry the reader doubted
  is a review item, not an error, while that item is open: once a person
  compared it with the original (照合済み), what was read stands, errors too.
* **Review items** (要確認): the current file's review items as read, and how
  each 「同一案件の可能性」 file differs from the current proposal
  (「PDF では種別が読み取れません」).  An item is closed by a correction of its
  entry or by a confirmation; the others are open.
* **Verdict**: 要修正 with an error, else 要確認 with an open review item, else 受付可.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..i18n import Catalog, get_lang, say

OK, REVIEW, FIX = "ok", "review", "fix"
VERDICTS: tuple[str, ...] = (OK, REVIEW, FIX)

MESSAGES: Catalog = {
    OK: ("受付可", "acceptable"),
    REVIEW: ("要確認", "to review"),
    FIX: ("要修正", "needs correction"),
    "differs_missing": ("{what}では{label}が読み取れません（現在の提案書: {current}）。原本と照合してください。",
                        "{what}: no {label} was read (current proposal: {current}). Compare with the original."),
    "differs_extra": ("{what}では{label}が「{value}」と読み取られています（現在の提案書では空欄）。原本と照合してください。",
                      "{what}: the {label} reads 「{value}」 (blank in the current proposal). Compare with the original."),
    "differs_value": ("{what}では{label}が「{value}」です（現在の提案書: 「{current}」）。原本と照合してください。",
                      "{what}: the {label} is 「{value}」 (current proposal: 「{current}」). Compare with the original."),
    "what_file": ("{format}「{name}」", "{format} {name!r}"),
    "closed_corrected": ("訂正済み", "corrected"),
    "closed_confirmed": ("原本と照合済み", "checked against the original"),
}

#: findings the contract JSON cannot reproduce (both boxes ticked, a date that is not a day):
#: as read, they stand until staff correct the entry
_AS_READ_ONLY = frozenset({"agreement_type_ambiguous", "axis_choice_ambiguous", "invalid_date"})
#: a correction or doubt of one entry settles the entries that are one choice with it
_COVERS = {"axis.field": ("axis.field", "axis.present"), "axis.present": ("axis.present", "axis.field"),
           "fields": ("fields", "other_field_text"), "other_field_text": ("other_field_text", "fields")}


def verdict_label(code: str) -> str:
    """受付可 / 要確認 / 要修正 (English with ``--lang en``)."""
    return say(MESSAGES, code)


def covered(fields: Iterable[str]) -> set[str]:
    """The entries settled by correcting (or doubting) ``fields``."""
    return {c for f in fields for c in _COVERS.get(f, (f,))}


@dataclass(frozen=True)
class Confirmation:
    """A review item a person compared with the original (原本と照合済み): who, when, why."""

    file: str
    item: str
    note: str | None
    actor: str
    recorded_at: str


@dataclass(frozen=True)
class ReviewItem:
    """One thing a person must compare with the original, and whether it is settled."""

    #: its number on the case (``kyotei registry confirm CASE NO``), in the order listed
    no: int
    #: the file it comes from (the registry's key) and its key there (``code:field``, ``code:field#2`` for
    #: a second item of that kind on that entry)
    file: str
    key: str
    field: str
    message: str
    #: None while open; ``corrected`` or ``confirmed``
    closed: str | None = None
    actor: str | None = None
    at: str | None = None
    note: str | None = None

    @property
    def open(self) -> bool:
        return self.closed is None

    @property
    def closed_label(self) -> str:
        return say(MESSAGES, f"closed_{self.closed}") if self.closed else ""

    def to_json(self) -> dict[str, Any]:
        return {"no": self.no, "file": self.file, "key": self.key, "field": self.field, "message": self.message,
                "open": self.open, "closed": self.closed, "actor": self.actor, "at": self.at, "note": self.note}


@dataclass(frozen=True)
class Verdict:
    """What the case needs now: its code, the errors that stand and every review item."""

    code: str
    errors: tuple[str, ...] = ()
    items: tuple[ReviewItem, ...] = ()

    @property
    def label(self) -> str:
        return verdict_label(self.code)

    @property
    def open_items(self) -> tuple[ReviewItem, ...]:
        return tuple(i for i in self.items if i.open)

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.code, "verdict_label": self.label, "errors": list(self.errors),
                "review": [i.to_json() for i in self.items], "open_review": len(self.open_items)}


@dataclass(frozen=True)
class Reading:
    """One file's reading as the registry keeps it: its key, name, format, proposal and findings."""

    key: str
    name: str | None
    format: str | None
    proposal: dict[str, Any] | None
    #: {"errors": [...], "review": [...]} as read (or that JSON's text, read when needed);
    #: None for files recorded before findings were kept
    findings: dict[str, Any] | str | None
    #: error messages as read (kept for files recorded before findings were kept)
    errors: tuple[str, ...] = ()


def findings_of(text: str | None) -> dict[str, Any] | None:
    """The findings column as stored (None when absent or unreadable)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


#: decide() is a pure function of its inputs; a listing of a thousand cases asks it again on every
#: page, so answers are remembered by those inputs (never by the case: any change is a new key)
_MEMO: OrderedDict[tuple[Any, ...], tuple[Any, Verdict]] = OrderedDict()
_MEMO_SIZE = 20_000
_MEMO_LOCK = threading.Lock()  # the screen's threads share it


def decide(cfg: Any, proposal: dict[str, Any], current: Reading | None, *, corrected: Iterable[str] = (),
           confirmations: Sequence[Confirmation] = (), possible: Sequence[Reading] = (),
           proposal_text: str | None = None) -> Verdict:
    """The verdict of a case whose current proposal (corrections applied) is ``proposal``.

    ``current`` is the current file's reading (None: a case without one, only
    the rules speak); ``corrected`` the entries staff corrected on it;
    ``possible`` the 「同一案件の可能性」 files, whose differences are review items.
    A file's reading and findings never change once recorded, so a file is
    named by its key; everything else is part of the memo's key as it is
    (``proposal_text``: ``proposal`` as the registry stores it, if the caller has it).
    """
    corrected = tuple(sorted(set(corrected)))
    text = proposal_text if proposal_text is not None else json.dumps(proposal, sort_keys=True, ensure_ascii=False)
    key = (id(cfg), get_lang(), text,
           current.key if current is not None else None, corrected,
           tuple((c.file, c.item, c.note, c.actor, c.recorded_at) for c in confirmations),
           tuple(o.key for o in possible))
    with _MEMO_LOCK:
        known = _MEMO.get(key)
        if known is not None and known[0] is cfg:
            _MEMO.move_to_end(key)
            return known[1]
    verdict = _decide(cfg, proposal, current, corrected, confirmations, possible)
    with _MEMO_LOCK:
        _MEMO[key] = (cfg, verdict)  # the configuration is held, so its id() is never another's
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    return verdict


def _decide(cfg: Any, proposal: dict[str, Any], current: Reading | None, corrected: Iterable[str],
            confirmations: Sequence[Confirmation], possible: Sequence[Reading]) -> Verdict:
    from ..pipeline import check_proposal
    from ..proposal import Proposal
    from ..review import said

    fixed = covered(corrected)
    data = dict(proposal)
    data.setdefault("file", "")
    data.setdefault("format", "")
    recheck = check_proposal(Proposal.from_json(data), cfg)
    found = current.findings if current is not None else None
    if isinstance(found, str):
        found = findings_of(found)
    if found is None and current is not None and current.proposal:
        # a file recorded before findings were kept: its own reading, checked again
        base = dict(current.proposal, file=current.proposal.get("file") or "", format=current.proposal.get("format") or "")
        again = check_proposal(Proposal.from_json(base), cfg)
        found = {"errors": [f.to_json() for f in again.errors], "review": [f.to_json() for f in again.review]}
    read_errors = [e for e in (found or {}).get("errors") or [] if isinstance(e, dict)]
    read_review = [r for r in (found or {}).get("review") or [] if isinstance(r, dict)]

    done = {(c.file, c.item): c for c in confirmations}
    items: list[ReviewItem] = []

    def add(file: str, code: str, field: str, message: str) -> None:
        key = f"{code}:{field}"
        same = [i for i in items if i.file == file and i.key.split("#")[0] == key]
        if any(i.message == message for i in same):
            return
        if same:  # one entry can hold several doubts (marks that disagree on two lines): each is an item
            key = f"{key}#{len(same) + 1}"
        closed = actor = at = note = None
        conf = done.get((file, key))
        if field in fixed:
            closed = "corrected"
        elif conf is not None:
            closed, actor, at, note = "confirmed", conf.actor, conf.recorded_at, conf.note
        items.append(ReviewItem(len(items) + 1, file, key, field, message, closed, actor, at, note))

    if current is not None:
        for r in read_review:
            add(current.key, str(r.get("code") or ""), str(r.get("field") or ""), said(r))
    for other in possible:
        for path, message in _differences(other, proposal):
            add(other.key, "differs", path, message)

    # An entry the reader doubted is the reader's question, not the applicant's error, while the item
    # is open; once a person compared it with the original (照合済み) what was read stands, errors too.
    doubted = covered(i.field for i in items if i.open and current is not None and i.file == current.key)
    as_read = {str(e.get("field") or "") for e in read_errors if e.get("code") in _AS_READ_ONLY}
    errors: list[str] = []
    for e in read_errors:
        field = str(e.get("field") or "")
        if e.get("code") in _AS_READ_ONLY and field not in fixed and field not in doubted:
            errors.append(said(e))
    for f in recheck.errors:
        if f.field in fixed or (f.field not in doubted and f.field not in as_read):
            errors.append(f.message)
    errors = list(dict.fromkeys(errors))

    code = FIX if errors else REVIEW if any(i.open for i in items) else OK
    return Verdict(code, tuple(errors), tuple(items))


def _differences(other: Reading, current: dict[str, Any]) -> list[tuple[str, str]]:
    """How a 「同一案件の可能性」 file's reading differs from the current proposal, in words."""
    from ..registry.matching import differences, value_at
    from ..rules import label_of

    if not other.proposal:
        return []
    from ..report import format_label

    what = say(MESSAGES, "what_file", format=format_label(other.format), name=other.name or other.key[:12])
    out = []
    for path in differences(other.proposal, current):
        value, now = _shown(value_at(other.proposal, path)), _shown(value_at(current, path))
        params = {"what": what, "label": label_of(path), "value": value, "current": now}
        key = "differs_missing" if not value else "differs_extra" if not now else "differs_value"
        out.append((path, say(MESSAGES, key, **params)))
    return out


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "有" if value else "無"
    if isinstance(value, list):
        return ("、" if get_lang() == "ja" else ", ").join(str(v) for v in value)
    if value in ("individual", "comprehensive"):
        from ..registry.model import label

        return label(value)
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:59] + "…"
