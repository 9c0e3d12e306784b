"""The contact block written in other shapes than one label per entry.

Companies join the department and the person in one entry (「担当部署・氏名：工務部
末広　一」), write the department into the name's entry (「担当者　営業部　山田　太郎」),
or leave the e-mail address without its label.  After the labelled values are
read, these are parted or taken here; what no label vouches for is a review item.
"""

from __future__ import annotations

from ..contactvalues import emails_in, split_department_name
from ..form import Block
from ..proposal import Doubt, Proposal
from .lines import Line, find_labels, flatten
from .values import CONTACT_ENTRIES, Found, clean_email, clean_phone, clean_single, value_for


def apply_contact_shapes(p: Proposal, joined: Found, lines: list[Line], fmt: str) -> None:
    """Part a joined department and name, and take the one unlabelled e-mail address."""
    _department_and_name(p, joined, fmt)
    if p.contact.email is None:
        _bare_email(p, lines, fmt)


def _department_and_name(p: Proposal, found: Found, fmt: str) -> None:
    """「担当部署・氏名：工務部　末広　一」: one entry for both, parted where the department ends.

    Where it cannot be parted, the whole entry is the department and the name a
    review item (the applicant did write one).
    """
    text = clean_single(found.value) if found.value else None
    c = p.contact
    if not c.department and c.name and not text:
        # 「担当者　営業部　山田　太郎」: the department written into the name's entry
        parts = split_department_name(c.name)
        if parts:
            c.department, c.name = parts
            p.sources["contact.department"] = p.sources.get("contact.name", f"{fmt}:text")
        return
    if not text or c.department or c.name:
        return
    source = found.source or f"{fmt}:text"
    parts = split_department_name(text)
    if parts is None:
        c.department = text
        p.sources["contact.department"] = source
        p.doubts.append(Doubt("review_unplaced_text", "contact.name", text))
        return
    c.department, c.name = parts
    p.sources["contact.department"] = p.sources["contact.name"] = source


def _bare_email(p: Proposal, lines: list[Line], fmt: str) -> None:
    """The one e-mail address the form holds, written without its label (「総務課　TEL …　a@b.jp」).

    Read as the contact's address — only an address can look like one — but as a
    review item, since no label said whose it is.  Two different addresses: none.
    """
    found = {(mail, line.text.strip(" \u3000\t")) for line in lines for mail in emails_in(line.text)}
    if len({mail for mail, _ in found}) != 1:
        return
    ((mail, original),) = sorted(found)[:1]
    p.contact.email = mail
    p.sources["contact.email"] = f"{fmt}:text"
    p.doubts.append(Doubt("review_unlabelled_text", "contact.email", original))


def apply_contact_origin(p: Proposal, values: dict[str, Found], lines: list[Line], before: list[Block]) -> None:
    """Review items for a phone or e-mail that may be someone else's.

    * taken from outside the form's contact block (a letterhead over the form, the
      applicant's header): the value is kept, a person confirms it is the contact's;
    * missing from the form while the cover letter (before or behind it) has one — a phone,
      an e-mail, the department or the name under 「担当」: the letter's sender may or may
      not be the contact — not taken, a person looks.
    """
    for path in sorted(CONTACT_ENTRIES):
        found = values[path]
        if found.outside_contact and p.value(path):
            p.doubts.append(Doubt("review_outside_contact", path, found.line_text.strip(" \u3000\t")))
    if not before:
        return
    cover = flatten(before)
    find_labels(cover)
    clean = {"contact.phone": clean_phone, "contact.email": clean_email, "contact.department": clean_single,
             "contact.name": clean_single}
    for path in ("contact.department", "contact.name", *sorted(CONTACT_ENTRIES)):
        if p.value(path):
            continue
        found = value_for(path, cover, before)
        value = clean[path](found.value) if found.value else None
        if value is None and path == "contact.email":
            mails = {m for ln in cover for m in emails_in(ln.text)}
            value = mails.pop() if len(mails) == 1 else None
        if value:
            p.doubts.append(Doubt("review_cover_letter", path, value))
