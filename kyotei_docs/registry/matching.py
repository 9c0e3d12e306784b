"""Does a newly received proposal belong to a case already open?  Pure functions, no SQL.

Why: a company often sends 提案書.docx and its PDF, or a corrected Form 1
after 要修正; each used to become a second agreement, counted twice.  The
answer combines who sent it (the organisation's name, normalised) with what
it says (the proposal's content):

==========================  =====================  ===============================
organisation                content                the file joins the case as
==========================  =====================  ===============================
same name                   every value agrees     ``other_format`` (a copy; current unchanged)
same name                   completes what the     ``correction`` (becomes current)
                            current one lacked
                            (it is free of errors,
                            the current is 要修正)
same name                   differs otherwise      ``possible`` (not current; staff confirm)
near name (legal form,      any                    ``possible`` (not current)
one side unreadable)
otherwise                   —                      a new case
==========================  =====================  ===============================

"Not sure" never decides silently: a ``possible`` file is shown as 「同一案件の可能性」
until staff merge or split it, and it never replaces the current proposal on
its own — a copy read differently (a PDF whose ☑ moved a line) must not
change the case.  Its :func:`differences` from the current proposal are
review items on the case (:mod:`kyotei_docs.cases.verdict`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from ..vocab import key as text_key

ORIGINAL, OTHER_FORMAT, CORRECTION, POSSIBLE = "original", "other_format", "correction", "possible"
ROLES: tuple[str, ...] = (ORIGINAL, OTHER_FORMAT, CORRECTION, POSSIBLE)

#: Legal-form abbreviations as companies write them, after NFKC (㈱ → (株)).
_LEGAL_FORMS: dict[str, str] = {
    "(株)": "株式会社", "(有)": "有限会社", "(同)": "合同会社", "(資)": "合資会社", "(名)": "合名会社",
    "(一社)": "一般社団法人", "(一財)": "一般財団法人", "(公社)": "公益社団法人", "(公財)": "公益財団法人",
    "(社福)": "社会福祉法人", "(医)": "医療法人", "(特非)": "特定非営利活動法人", "(NPO)": "特定非営利活動法人",
    "(学)": "学校法人", "(独)": "独立行政法人",
}
_FORM_WORDS = tuple(sorted(set(_LEGAL_FORMS.values()) | {"NPO法人"}, key=len, reverse=True))
_ABBREV = re.compile("|".join(re.escape(k) for k in sorted(_LEGAL_FORMS, key=len, reverse=True)))


def org_key(name: str | None) -> str:
    """The organisation's name for matching: ㈱/（株）→ 株式会社, width, spaces and case folded.

    「㈱ななかまど」, 「（株）ななかまど」 and 「株式会社　ななかまど」 give the same key;
    「ななかまど株式会社」 (the legal form after the name) does not — see :func:`org_core`.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"\s+", "", text)
    text = _ABBREV.sub(lambda m: _LEGAL_FORMS[m.group(0)], text)
    return text_key(text)


def org_core(name: str | None) -> str:
    """The name without its legal form: used only to say "possibly the same"."""
    text = org_key(name)
    for word in _FORM_WORDS:
        text = text.replace(text_key(word), "")
    return text


def _text(value: Any) -> str:
    return text_key(str(value)) if value else ""


def _ratio(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


#: the values two readings of one proposal must agree on (JSON paths of the parse contract)
COMPARED: tuple[str, ...] = (
    "submitted_on", "organization.name", "organization.address", "organization.representative",
    "agreement_type", "fields", "other_field_text", "axis.present", "axis.field", "purpose",
    "expected_effects", "contact.department", "contact.name", "contact.phone", "contact.email",
)
#: free texts: equal when 90 % alike after dropping spaces and punctuation (line breaks differ by format)
_LONG = frozenset({"purpose", "expected_effects", "other_field_text"})


def value_at(data: dict[str, Any], path: str) -> Any:
    """The value at a JSON path such as ``contact.email`` (None when absent)."""
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _comparable(path: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if path == "organization.name":
        return org_key(str(value))
    if path == "fields":
        return "|".join(sorted(str(v) for v in value))
    if isinstance(value, bool):
        return "1" if value else "0"
    return _text(value)


def differences(new: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """The values (JSON paths, :data:`COMPARED` order) on which two proposals' readings differ.

    A value read on one side only is a difference: a copy whose reader lost
    the agreement type is not "the same proposal" (its reading would hide an
    error or invent one).  Long texts compare at 90 % (line breaks, spacing
    and punctuation differ between a .docx and its PDF).
    """
    out = []
    for path in COMPARED:
        a, b = _comparable(path, value_at(new, path)), _comparable(path, value_at(current, path))
        if path in _LONG and a and b:
            if _ratio(a, b) < 0.9:
                out.append(path)
        elif a != b:
            out.append(path)
    return out


@dataclass(frozen=True)
class Likeness:
    """How alike two proposals are (their contract JSON)."""

    #: the same proposal, as far as the readers can tell (a .docx and its PDF)
    same: bool
    #: the same kind of agreement about the same thing, worded or completed differently
    similar: bool


def likeness(a: dict[str, Any], b: dict[str, Any]) -> Likeness:
    """Compare two proposals' contract JSON, ignoring the file, its format and layout noise.

    Readers of different formats may miss a value the other found (a PDF line
    lost to layout), so a value present on one side only is tolerated once;
    values present on both sides must agree (long texts: 90 % alike after
    dropping spaces and punctuation).
    """
    org_a, org_b = a.get("organization") or {}, b.get("organization") or {}
    con_a, con_b = a.get("contact") or {}, b.get("contact") or {}
    axis_a, axis_b = a.get("axis") or {}, b.get("axis") or {}
    short = [
        (a.get("agreement_type"), b.get("agreement_type")),
        (a.get("submitted_on"), b.get("submitted_on")),
        (org_a.get("representative"), org_b.get("representative")),
        (org_a.get("address"), org_b.get("address")),
        (axis_a.get("present"), axis_b.get("present")),
        (axis_a.get("field"), axis_b.get("field")),
        (con_a.get("email"), con_b.get("email")),
        (con_a.get("phone"), con_b.get("phone")),
        (con_a.get("name"), con_b.get("name")),
        ("|".join(sorted(a.get("fields") or [])), "|".join(sorted(b.get("fields") or []))),
    ]
    long = [(a.get("purpose"), b.get("purpose")), (a.get("expected_effects"), b.get("expected_effects"))]
    one_sided = 0
    same = True
    for x, y in short:
        kx, ky = _text(x) if x is not None else "", _text(y) if y is not None else ""
        if kx and ky:
            same = same and kx == ky
        elif kx or ky:
            one_sided += 1
    ratios = []
    for x, y in long:
        kx, ky = _text(x), _text(y)
        if kx and ky:
            ratios.append(_ratio(kx, ky))
            same = same and ratios[-1] >= 0.9
        elif kx or ky:
            one_sided += 1
    same = same and one_sided <= 1
    same_type = (a.get("agreement_type") or "") == (b.get("agreement_type") or "")
    fields_a, fields_b = set(a.get("fields") or []), set(b.get("fields") or [])
    shares = bool(fields_a & fields_b) or any(r >= 0.5 for r in ratios)
    return Likeness(same=same, similar=same or (same_type and shares))


@dataclass(frozen=True)
class Candidate:
    """A case that may receive the new file: its ID, status, organisation and current proposal."""

    case_id: int
    status: str
    partner_name: str | None
    proposal: dict[str, Any]
    #: the current proposal needs correction (要修正)
    needs_correction: bool


@dataclass(frozen=True)
class Match:
    """Where a new file goes: a case and the role it plays there, or ``case_id`` None for a new case."""

    case_id: int | None
    role: str
    #: the file's proposal becomes the case's current one
    becomes_current: bool


def _older(new: dict[str, Any], current: dict[str, Any]) -> bool:
    """The new proposal is dated before the case's current one."""
    a, b = new.get("submitted_on"), current.get("submitted_on")
    return bool(a and b and str(a) < str(b))


#: A proposal to these cases is still open for another format or a correction.
OPEN_STATUSES = frozenset({"received", "in_consultation"})


def match(new: dict[str, Any], candidates: list[Candidate], *, new_valid: bool = True) -> Match:
    """Decide the case for a new proposal among ``candidates`` (newest first wins ties).

    A proposal alike the current one that is free of errors where the current
    one needed correction is the correction (it completed what was missing).

    Signed, renewed and ended cases only take a copy of their own proposal in
    another format: after signing, a new proposal is a new case.
    """
    name = (new.get("organization") or {}).get("name")
    key, core = org_key(name), org_core(name)
    best: tuple[int, Match] | None = None
    for c in sorted(candidates, key=lambda c: -c.case_id):
        ckey, ccore = org_key(c.partner_name), org_core(c.partner_name)
        strong = bool(key) and key == ckey
        weak = not strong and ((bool(core) and core == ccore) or not key or not ckey)
        if not (strong or weak):
            continue
        alike = likeness(new, c.proposal)
        agrees = not differences(new, c.proposal)
        if c.status not in OPEN_STATUSES:
            if strong and agrees:
                found = (3, Match(c.case_id, OTHER_FORMAT, False))
            else:
                continue
        elif strong and agrees:
            found = (3, Match(c.case_id, OTHER_FORMAT, False))
        elif strong and alike.similar and new_valid and c.needs_correction:
            # the corrected resubmission; an earlier version arriving after the later one
            # (one pass, any order) is history, not current
            found = (2, Match(c.case_id, CORRECTION, not _older(new, c.proposal)))
        elif strong or (alike.similar and (key or ckey or alike.same)):
            found = (1, Match(c.case_id, POSSIBLE, False))  # never current until staff confirm
        else:
            continue
        if best is None or found[0] > best[0]:
            best = found
    return best[1] if best else Match(None, ORIGINAL, True)
