"""The applicant's address, name and representative written without labels, as a letter is headed.

Many companies head Form 1 like any letter to the city — the date, 「旭川市長　様」,
then three unlabelled lines (address, company, representative) before the title.
When a label gave no value, such a line is recognised by its shape: a company
form in the name (株式会社, 一般社団法人 …), a title before the representative's
name (代表取締役, 理事長 …), an address's place and block words.  What is read so
is always a review item: no label said what it is.  The same shapes tell when a
labelled value is another entry's (:func:`add_misplaced_doubts`).
"""

from __future__ import annotations

import re

from ..proposal import Doubt, Proposal
from ..vocab import pattern
from .doubts import ENTRY_SHAPE
from .lines import Line, source_at
from .values import Found, clean_representative, clean_single, is_boilerplate

_COMPANY = pattern(
    r"株式会社|有限会社|合同会社|合名会社|合資会社|[一公]般?(?:社団|財団)法人|公益(?:社団|財団)法人|特定非営利活動法人"
    r"|NPO法人|ＮＰＯ法人|学校法人|医療法人|社会福祉法人|協同組合|[（(][株有同][）)]|[㈱㈲]")
_TITLE = pattern(r"^(?:代表取締役|取締役社長|代表執行役|代表理事|理事長|会長|社長|代表社員|代表者|代表|学長|組合長"
                 r"|支店長|支社長|所長|執行役員)")
_ADDRESS = pattern(r"(?:都|道|府|県|市|区|町|村|郡).*(?:[0-9０-９一二三四五六七八九十]|丁目|番地?|号|条|通)")
_HEADER_END = frozenset({"type", "fields", "axis.choice", "axis.text", "purpose", "expected_effects", "contact"})
_SHAPES = (("organization.name", lambda t: bool(_COMPANY.search(t))),
           ("organization.representative", lambda t: bool(_TITLE.match(t)) and len(t) <= 40
                                           and not re.search(r"[0-9０-９]", t)),
           ("organization.address", lambda t: bool(_ADDRESS.search(t)) and not _COMPANY.search(t) and len(t) <= 60))


def apply_unlabelled_header(p: Proposal, lines: list[Line], fmt: str) -> None:
    """Fill the applicant's missing address, name and representative from unlabelled header lines."""
    org = p.organization
    if org.name and not org.representative:  # 「名称：株式会社ヘッダ　代表取締役　上田　一」
        parts = _name_and_title(org.name)
        if len(parts) == 2:
            org.name, org.representative = parts
            p.sources["organization.representative"] = p.sources.get("organization.name", f"{fmt}:text")
    missing = {path for path, value in (("organization.address", org.address), ("organization.name", org.name),
                                        ("organization.representative", org.representative)) if not value}
    if not missing:
        return
    for whole, line in _header_lines(lines):
        for text in _name_and_title(whole):
            _place(p, text, line, missing, fmt)


def _place(p: Proposal, text: str, line: Line, missing: set[str], fmt: str) -> None:
    entry = ENTRY_SHAPE.match(text)  # 「屋号・法人格　　豊岡ホールディングス株式会社」: a heading word of its own
    for path, shape in _SHAPES:
        if path not in missing:
            continue
        if entry and shape(entry.group("value")) and not shape(text[:entry.start("value")]):
            text = entry.group("value").strip(" \u3000\t")
        if shape(text):
            setattr(p.organization, path.split(".")[1], text)
            p.sources[path] = source_at(line, 0) or f"{fmt}:text"
            p.doubts.append(Doubt("review_unlabelled_text", path, line.text.strip(" \u3000\t")))
            missing.discard(path)
            return


#: the shape each applicant entry may have, and the shapes of the others' values (an entry holding only another's)
_OWN = {"organization.address": lambda t: bool(_ADDRESS.search(t)),
        "organization.name": lambda t: bool(_COMPANY.search(t)),
        "organization.representative": lambda t: bool(_TITLE.match(t))}
_PHONE_ONLY = pattern(r"^[\s\u3000]*(?:TEL|Tel|tel|電話)?[\s\u3000:：]*[0-9０-９(（+＋][0-9０-９\-－‐ー()（）\s\u3000]{8,}$")
_MAIL = pattern(r"[A-Za-z0-9._%+\-]+[@＠][A-Za-z0-9\-]+\.")


def add_misplaced_doubts(p: Proposal, lines: list[Line]) -> None:
    """A review item for each entry whose value is shaped like another entry's and not like its own.

    Where a form prints each caption *under* its answer line (「北海道…」 over 「所在地」), the
    value after a caption is the next entry's: the address read as 「株式会社…」, the name as
    「代表取締役…」, the phone as an e-mail address — wrong, and with no sign of it.  Which
    answer belongs to which caption is for a person to see on the page (a form may also
    leave its last entry blank, which reads the same), so nothing is moved: the value is
    flagged (``review_value_shape``), quoting the lines around its caption.
    """
    org, c = p.organization, p.contact
    values = {"organization.address": org.address, "organization.name": org.name,
              "organization.representative": org.representative, "contact.department": c.department,
              "contact.name": c.name, "contact.phone": c.phone, "contact.email": c.email}
    misplaced_in: set[str] = set()
    for path, value in values.items():
        if not value or any(d.field == path for d in p.doubts):
            continue
        if path in _OWN:
            others = [other for other in _OWN if other != path and _OWN[other](value)]
            misplaced = not _OWN[path](value) and bool(others) or bool(_MAIL.search(value)) \
                or bool(_PHONE_ONLY.match(value))
        elif path == "contact.phone":
            misplaced = bool(_MAIL.search(value))
        elif path == "contact.email":
            misplaced = False  # an address is checked as one by the rules
        else:  # a department or a name holding a phone number or an e-mail address and nothing else
            misplaced = bool(_PHONE_ONLY.match(value)) or bool(_MAIL.search(value)) and " " not in value.strip()
        if misplaced:
            p.doubts.append(Doubt("review_value_shape", path, _around(path, lines)))
            misplaced_in.add(path.split(".")[0])
    # one answer under the wrong caption shifts its neighbours too (the department read as the contact's name):
    # every other entry of the same group is flagged, though its own shape cannot tell
    for path, value in values.items():
        if value and path.split(".")[0] in misplaced_in and not any(d.field == path for d in p.doubts):
            p.doubts.append(Doubt("review_value_shape", path, _around(path, lines)))


def _around(path: str, lines: list[Line]) -> str:
    """The caption's line with the lines above and below it, as the page shows them."""
    at = next((k for k, line in enumerate(lines) if line.label == path), None)
    if at is None:
        return ""
    shown = [ln.text.strip(" \u3000\t") for ln in lines[max(0, at - 1):at + 2]]
    return " ／ ".join(t for t in shown if t)


def apply_name_and_representative(p: Proposal, found: Found, fmt: str) -> None:
    """「氏名（法人にあっては名称及び代表者の氏名）：株式会社… 代表取締役 …」: one entry for both, parted before
    the representative's title; where it cannot be parted the whole entry is the name and the representative
    a review item (the applicant did write one).  The name was missing, blamed on the applicant."""
    text = clean_single(found.value) if found.value else None
    org = p.organization
    if not text or org.name or org.representative:
        return
    source = found.source or f"{fmt}:text"
    parts = _name_and_title(text)
    if len(parts) == 2 and clean_representative(parts[1]):
        org.name, org.representative = parts[0].strip(" \u3000"), clean_representative(parts[1])
        p.sources["organization.name"] = p.sources["organization.representative"] = source
        return
    org.name = text
    p.sources["organization.name"] = source
    p.doubts.append(Doubt("review_unplaced_text", "organization.representative", text))


def _name_and_title(text: str) -> list[str]:
    """「株式会社ヘッダ　代表取締役　上田　一」 → the company, then its representative."""
    if _COMPANY.search(text):
        m = re.search(r"[\s\u3000]+(?=" + _TITLE.pattern.lstrip("^") + ")", text)
        if m and _COMPANY.search(text[:m.start()]):
            return [text[:m.start()], text[m.end():]]
    return [text]


def _header_lines(lines: list[Line]) -> list[tuple[str, Line]]:
    """Unlabelled text after the addressee (「旭川市長　様」) and before the form's first entry or title.

    The text after a bare 「提案者」 heading counts too (「提案者　株式会社ヘッダ」).
    """
    start = next((k + 1 for k, line in enumerate(lines) if is_boilerplate(line.text)
                  and re.search(r"(?:長|様|殿)[\s\u3000]*$", line.text)), 0)
    out: list[tuple[str, Line]] = []
    for k, line in enumerate(lines[start:], start):
        if line.label in _HEADER_END or (is_boilerplate(line.text) and "提案" in line.text):
            break
        if line.label == "applicant" and line.value_at[0] == k:
            text = line.text[line.value_at[1]:]
        elif not line.label:
            text = line.text
        else:
            continue
        text = text.strip(" \u3000\t:：")
        if text:
            out.append((text, line))
    return out
