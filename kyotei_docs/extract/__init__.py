"""Turn any :class:`~kyotei_docs.form.FormDoc` into a :class:`~kyotei_docs.proposal.Proposal`.

There is one extractor for every format.  It is label-driven, never
position-driven: a real submission's layout is not ours.

* **Options** come from checkbox marks: the option a box stands for is the text
  right after it (「☑包括連携協定」) or, where a line is written the other way
  round, right before it (「包括連携協定☑」).  A box whose neighbouring text names
  no option — such as the ☑ in the printed label 「該当に☑」 — selects nothing.
* **Doubts** (:mod:`.doubts`): a missing value whose label is followed by text
  no value took, marks that disagree, a text control still flagged as placeholder
  but holding text, OCR — a person compares these with the original (review items).
* **Values** follow their label: after a colon on the same line, in the next
  cell of the same row, in the cell below, or on the following lines, up to the
  next label.  Labels are matched on a normalised key, so 「所 在 地」 and
  「部　署　名」 are found, also when wrapped over two lines.

The steps live in modules named for what they hold: :mod:`.lines` (the flat
lines and the labels on them), :mod:`.values` (values after labels, and their
cleaning), :mod:`.options` (checkbox choices and what they select),
:mod:`.numbered` (choices answered by the printed options' numbers),
:mod:`.axis` (the axis text, and 有／無 answered in words), :mod:`.region` (Form 1's
own region: no value from a cover letter before it, attachments after it only where
the form says 「別紙のとおり」), :mod:`.header`
(the applicant's block without labels), :mod:`.contact` (the contact block in
other shapes) and :mod:`.dates` (the submission date).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import vocab
from ..errors import UnreadableError
from ..form import FormDoc
from ..proposal import Contact, Doubt, Organization, Proposal
from .axis import apply_axis_answer, apply_axis_list, apply_axis_text, split_axis_list
from .contact import apply_contact_origin, apply_contact_shapes
from .dates import apply_date
from .doubts import add_reader_doubts, add_unplaced
from .header import add_misplaced_doubts, apply_name_and_representative, apply_unlabelled_header
from .lines import find_labels, flatten
from .options import Choice, apply_axis_mark, apply_choices, find_choices
from .region import apply_attachments, region_of
from .values import (
    EXAMPLE_TEXT,
    SAME_AS,
    Found,
    clean_email,
    clean_multi,
    clean_phone,
    clean_representative,
    clean_single,
    value_for,
)

#: where the .docx reader puts text of a content control still flagged as showing its placeholder
PLACEHOLDER_SOURCE = "docx:placeholder"


@dataclass
class Extraction:
    """The intermediate result, kept for ``--explain``."""

    choices: list[Choice] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)


def extract(doc: FormDoc, *, require_form1: bool = True) -> Proposal:
    """Read the proposal out of ``doc``; raise ``not_form1`` if it is not Form 1.

    Values come from Form 1's own region only (:mod:`.region`): a cover letter before it
    and attachments after it are read only where the form points at them.
    """
    region = region_of(doc.blocks[:doc.apart])
    if doc.apart is not None:  # what the file sets apart (a 記入例 column beside the print area) is no entry
        region.after += doc.blocks[doc.apart:]
    blocks = region.form
    lines = flatten(blocks)
    find_labels(lines)
    choices = find_choices(blocks, lines)
    labels_found = {ln.label for ln in lines if ln.label}
    if require_form1 and not _looks_like_form1(labels_found, choices):
        raise UnreadableError("not_form1")

    proposal = Proposal(file=_basename(doc.path), format=doc.format)
    proposal.reader_warnings = list(doc.warnings)
    if region.forms > 1:  # the file holds Form 1 more than once: which one is the proposal, a person decides
        proposal.doubts.append(Doubt("review_several_forms", "file", str(region.chosen)))
    fmt = doc.format
    values = {label: value_for(label, lines, blocks) for label in vocab.LABELS
              if label not in vocab.SECTION_LABELS}

    def put(path: str, found: Found, clean=clean_single) -> str | None:
        value = clean(found.value) if found.value is not None else None
        if value:
            proposal.sources[path] = found.source or f"{fmt}:text"
            if found.source == PLACEHOLDER_SOURCE:
                # a text control still flagged as showing its placeholder, holding other text
                proposal.doubts.append(Doubt("review_placeholder_text", path, value))
            elif EXAMPLE_TEXT.search(value):
                # 「株式会社〇〇」: the form's example or stand-in left in the answer, not the applicant's own words
                proposal.doubts.append(Doubt("review_example_text", path, value))
            elif SAME_AS.match(value):
                # 「同上」, 「代表者に同じ」: an answer pointing at another entry, kept as written for a person
                proposal.doubts.append(Doubt("review_same_as", path, value))
            elif found.joined:
                # cells side by side joined into one value: a second entry under a heading word we do not know?
                proposal.doubts.append(Doubt("review_joined_cells", path, found.joined))
        return value or None

    org = Organization(
        address=put("organization.address", values["organization.address"]),
        name=put("organization.name", values["organization.name"]),
        representative=_with_title(
            put("organization.representative", values["organization.representative"], clean_representative),
            clean_single(values["organization.representative_title"].value or "")),
    )
    proposal.organization = org
    apply_name_and_representative(proposal, values["organization.name_representative"], fmt)
    apply_unlabelled_header(proposal, lines, fmt)
    proposal.purpose = put("purpose", values["purpose"], clean_multi)
    proposal.expected_effects = put("expected_effects", values["expected_effects"], clean_multi)
    apply_attachments(proposal, region.after)
    proposal.contact = Contact(
        department=put("contact.department", values["contact.department"]),
        name=put("contact.name", values["contact.name"]),
        phone=put("contact.phone", values["contact.phone"], clean_phone),
        email=put("contact.email", values["contact.email"], clean_email),
    )
    apply_contact_shapes(proposal, values["contact.department_name"], lines, fmt)
    apply_contact_origin(proposal, values, lines, region.letters)
    axis_list, choices = split_axis_list(choices, lines)
    apply_choices(proposal, choices, lines, blocks, fmt)
    apply_axis_text(proposal, lines, values["axis.text"], fmt)
    apply_axis_list(proposal, axis_list, lines)
    apply_axis_mark(proposal, choices, lines)
    apply_axis_answer(proposal, lines, any(c.group == "axis" for c in choices))
    apply_date(proposal, lines, values["submitted_on"], fmt)
    add_misplaced_doubts(proposal, lines)
    add_unplaced(proposal, lines, {
        "submitted_on": proposal.date_text, "organization.address": org.address, "organization.name": org.name,
        "organization.representative": org.representative, "purpose": proposal.purpose,
        "expected_effects": proposal.expected_effects, "contact.department": proposal.contact.department,
        "contact.name": proposal.contact.name, "contact.phone": proposal.contact.phone,
        "contact.email": proposal.contact.email,
        **({"axis.field": proposal.axis.text} if proposal.axis.present else {}),
    }, choices, blocks)
    add_reader_doubts(proposal)
    return proposal


def _with_title(name: str | None, title: str | None) -> str | None:
    """「代表取締役　山田　太郎」 from a title and a name written on rows of their own.

    The contract has one ``representative`` (the guideline's 代表者氏名, which
    Form 2's signature block prints whole); a name that already starts with the
    title is left alone.
    """
    if not name or not title or name.startswith(title):
        return name
    return f"{title} {name}" if title[-1].isascii() and name[0].isascii() else f"{title}\u3000{name}"


def _looks_like_form1(labels: set[str], choices: list[Choice]) -> bool:
    """Two signs of Form 1 (its own labels, its option groups), or one among five labels."""
    groups = {c.group for c in choices}
    strong = labels & {"type", "fields", "axis.choice", "purpose", "expected_effects"}
    return len(strong) + len(groups) >= 2 or (len(labels) >= 5 and bool(strong or groups))


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]
