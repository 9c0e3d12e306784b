"""The proposal a company made, as read from Form 1, whatever the file format.

``Proposal.to_json()`` is the output contract of ``kyotei parse --json``; later
tools (drop folder, registry, renderers) and the city's own scripts rely on it,
so its keys and value types never change.  What only explains a value (its
source, the raw date text) lives beside it and is not part of the contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class Organization:
    """The applicant (提案者) as Form 1 names it."""

    address: str | None = None
    name: str | None = None
    representative: str | None = None


@dataclass
class Contact:
    """The applicant's contact person (担当者) as Form 1 gives them."""

    department: str | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass
class Axis:
    """The axis field (主軸となる分野) of a comprehensive proposal: whether there is one, which, in what words."""

    #: True for 有, False for 無, None when neither or both are ticked.
    present: bool | None = None
    field: str | None = None
    text: str | None = None


@dataclass
class Doubt:
    """Something the reader could not settle alone: a person compares it with the original.

    ``code`` is a review code (``review_unplaced_text``, ``review_mark_conflict``,
    ``review_placeholder_text``, ``review_ocr``); ``field`` the JSON path it concerns;
    ``original`` the text as the form shows it, printed next to what was read.
    """

    code: str
    field: str
    original: str = ""


@dataclass
class Proposal:
    """What was read from one Form 1: values as the applicant wrote them, where each came from, and doubts."""

    file: str
    format: str
    submitted_on: date | None = None
    organization: Organization = field(default_factory=Organization)
    agreement_type: str | None = None
    fields: list[str] = field(default_factory=list)
    other_field_text: str | None = None
    axis: Axis = field(default_factory=Axis)
    purpose: str | None = None
    expected_effects: str | None = None
    contact: Contact = field(default_factory=Contact)

    # --- what the rules and --explain need beyond the contract -------------------
    #: agreement types that were ticked (both ticked is an error, not a guess)
    types_ticked: list[str] = field(default_factory=list)
    #: axis choices ticked: True for 有, False for 無
    axis_ticked: list[bool] = field(default_factory=list)
    #: the date as written, and why it could not be read
    date_text: str | None = None
    date_error: str | None = None
    date_warnings: list[str] = field(default_factory=list)
    #: findings of the reader (macros present, OCR used, ...)
    reader_warnings: list[str] = field(default_factory=list)
    #: JSON path -> where the value came from (``docx:sdt``, ``pdf:acroform``, ...)
    sources: dict[str, str] = field(default_factory=dict)
    #: what the reader was unsure of (review items, never applicant errors)
    doubts: list[Doubt] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "submitted_on": self.submitted_on.isoformat() if self.submitted_on else None,
            "organization": {"address": self.organization.address, "name": self.organization.name,
                             "representative": self.organization.representative},
            "agreement_type": self.agreement_type,
            "fields": list(self.fields),
            "other_field_text": self.other_field_text,
            "axis": {"present": self.axis.present, "field": self.axis.field, "text": self.axis.text},
            "purpose": self.purpose,
            "expected_effects": self.expected_effects,
            "contact": {"department": self.contact.department, "name": self.contact.name,
                        "phone": self.contact.phone, "email": self.contact.email},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Proposal:
        """Rebuild a proposal from its contract JSON (e.g. a stored ``proposal.json``)."""
        submitted = data.get("submitted_on")
        axis = data.get("axis") or {}
        p = cls(
            file=data.get("file", ""), format=data.get("format", ""),
            submitted_on=date.fromisoformat(submitted) if submitted else None,
            organization=Organization(**(data.get("organization") or {})),
            agreement_type=data.get("agreement_type"),
            fields=list(data.get("fields") or []),
            other_field_text=data.get("other_field_text"),
            axis=Axis(axis.get("present"), axis.get("field"), axis.get("text")),
            purpose=data.get("purpose"), expected_effects=data.get("expected_effects"),
            contact=Contact(**(data.get("contact") or {})),
        )
        if p.agreement_type:
            p.types_ticked = [p.agreement_type]
        if p.axis.present is not None:
            p.axis_ticked = [p.axis.present]
        return p

    def value(self, path: str) -> Any:
        """The value at a JSON path such as ``contact.email``."""
        node: Any = self.to_json()
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node
