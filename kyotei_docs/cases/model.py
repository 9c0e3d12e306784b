"""A case as staff see it: one proposal from one organisation through its whole life.

Plain frozen dataclasses built from the registry's rows in one place
(:func:`kyotei_docs.cases.service.get`), so the commands, the web screen and
the drop folder show the same thing.  ``to_json()`` is what ``--json`` and
the screen's API return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..registry.matching import POSSIBLE
from ..registry.model import ACTIVE, ENDED, Agreement, Event, Result, label, type_label
from .verdict import FIX, OK, ReviewItem, Verdict, verdict_label

#: The status shown for an agreement whose end is recorded for a later date: still in force.
ENDING = "ending"


@dataclass(frozen=True)
class CaseFile:
    """One file received for a case, with the role it plays there."""

    #: the registry's key of the file (its SHA-256, or ``id:<submission id>``)
    key: str
    submission_id: str
    #: the file's name as received
    name: str | None
    #: where the drop folder put its drafts and report, if it came that way
    folder: str | None
    #: original, other_format, correction, possible (see registry/matching.py)
    role: str
    #: the file's proposal had no errors
    valid: bool
    #: the case's current proposal is this file's
    current: bool
    recorded_at: str
    format: str | None = None
    errors: tuple[str, ...] = ()
    proposal: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    #: {"errors": [...], "review": [...]} as read, the JSON text as stored (None for files recorded
    #: before they were kept); :mod:`.verdict` reads it when it has to judge the case afresh
    findings: str | None = field(default=None, compare=False, repr=False)

    @property
    def possible(self) -> bool:
        """Joined as "possibly the same case": staff confirm (merge) or split it off."""
        return self.role == POSSIBLE

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "submission_id": self.submission_id, "name": self.name, "folder": self.folder,
                "role": self.role, "role_label": label(self.role), "valid": self.valid, "current": self.current,
                "format": self.format, "errors": list(self.errors), "recorded_at": self.recorded_at}


@dataclass(frozen=True)
class Correction:
    """A value staff corrected, kept beside what was read (never over it)."""

    id: int
    field: str
    read_value: str | None
    value: str | None
    reason: str | None
    actor: str
    recorded_at: str
    #: the file that was current when it was made (it corrects that file's reading)
    file: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "field": self.field, "read_value": self.read_value, "value": self.value,
                "reason": self.reason, "actor": self.actor, "recorded_at": self.recorded_at, "file": self.file}


@dataclass(frozen=True)
class Item:
    """One negotiated 連携事項, numbered from 1 as in Form 2 and in ``results add --item``."""

    no: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"no": self.no, "text": self.text}


def effective_status(a: Agreement, today: date) -> str:
    """The status on ``today``: an end recorded for a later date leaves the agreement in force
    (``ending``, 終了予定) until that date; once it has come the agreement is ended, even before
    ``kyotei registry renew`` has written that down."""
    if a.status in ACTIVE and a.ended_on is not None:
        return ENDED if a.ended_on <= today else ENDING
    return a.status


def status_label(status: str) -> str:
    return label(status)


@dataclass(frozen=True)
class Case:
    """One case: the agreement row, its files, corrections, events and results."""

    agreement: Agreement
    files: tuple[CaseFile, ...] = ()
    corrections: tuple[Correction, ...] = ()
    events: tuple[Event, ...] = ()
    results: tuple[Result, ...] = ()
    #: the status on the day the case was read (see :func:`effective_status`)
    status: str = ""
    #: 受付可 / 要確認 / 要修正 with its errors and review items, derived when the case was read
    verdict: Verdict | None = None

    @property
    def id(self) -> int:
        return self.agreement.id

    @property
    def organisation(self) -> str:
        return self.agreement.partner_name or "（名称未記入）"

    @property
    def type_label(self) -> str:
        return type_label(self.agreement.kind, self.agreement.subtype)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(Item(n, text) for n, text in enumerate(self.agreement.items, start=1))

    @property
    def current_file(self) -> CaseFile | None:
        return next((f for f in self.files if f.current), None)

    @property
    def possibly_same(self) -> bool:
        """A file joined this case without certainty: staff should merge-confirm or split."""
        return any(f.possible for f in self.files)

    @property
    def errors(self) -> tuple[str, ...]:
        """Errors that stand: the current proposal's, re-checked with the staff corrections."""
        if self.verdict is not None:
            return self.verdict.errors
        current = self.current_file
        return current.errors if current else ()

    @property
    def needs_correction(self) -> bool:
        if self.verdict is not None:
            return self.verdict.code == FIX
        current = self.current_file
        return current is not None and not current.valid

    @property
    def open_review(self) -> tuple[ReviewItem, ...]:
        """Review items nobody has settled yet (a correction or 原本と照合済み closes one)."""
        return self.verdict.open_items if self.verdict is not None else ()

    @property
    def verdict_code(self) -> str:
        """ok / review / fix (受付可 / 要確認 / 要修正)."""
        if self.verdict is not None:
            return self.verdict.code
        return FIX if self.needs_correction else OK

    def headline(self) -> list[str]:
        """The lines shown before a change is confirmed: whose case it is."""
        from .messages import say_case

        current = self.current_file
        return [
            say_case("head_id", id=self.id, org=self.organisation),
            say_case("head_type", type=self.type_label, status=label(self.status or self.agreement.status)),
            say_case("head_title", title=self.agreement.title),
            say_case("head_current", file=(current.name or current.key) if current else "—",
                     state=verdict_label(self.verdict_code)),
        ]

    def to_json(self) -> dict[str, Any]:
        data = self.agreement.to_json()
        data["effective_status"] = self.status or self.agreement.status
        return {"case": data, "items": [i.to_json() for i in self.items],
                "files": [f.to_json() for f in self.files],
                "corrections": [c.to_json() for c in self.corrections],
                "events": [e.to_json() for e in self.events], "results": [r.to_json() for r in self.results],
                "possibly_same": self.possibly_same, "needs_correction": self.needs_correction,
                **(self.verdict.to_json() if self.verdict is not None else {"verdict": self.verdict_code})}


@dataclass(frozen=True)
class Intake:
    """What :func:`~kyotei_docs.cases.service.intake` did with one file."""

    case_id: int
    #: new, duplicate, other_format, correction, possible
    outcome: str
    #: the file's errors, if any (要修正)
    errors: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "outcome": self.outcome, "errors": list(self.errors)}


@dataclass(frozen=True)
class Signed:
    """A signing recorded: the case and the plausibility warnings to show."""

    case: Case
    warnings: tuple[str, ...] = ()
    forced: bool = False


@dataclass(frozen=True)
class ResultAdded:
    """A result recorded, and warnings (dated in the future)."""

    result: Result
    warnings: tuple[str, ...] = ()
