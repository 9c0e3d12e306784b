"""What the reader found and could not place: the doubts a person settles against the original.

A value that is missing may be the applicant's blank or the reader's miss.  The
two differ in what follows the label: a blank leaves nothing before the next
label (or only the form's own notes and placeholders), a miss leaves text that
no value took — a layout the extractor does not know, a mark it does not read.
Only the second is a doubt (``review_unplaced_text``); the rules then report the
missing value as a review item instead of blaming the applicant.
"""

from __future__ import annotations

import re

from .. import vocab
from ..form import Block, Text
from ..proposal import Doubt, Proposal
from ..vocab import pattern
from .lines import Line
from .options import (
    GROUP_LABEL,
    GROUP_PATH,
    Choice,
    _axis_named,
    _option_keys,
    conventions,
    display_line,
    section_value_text,
    struck_options,
)
from .values import FIELD_SOURCE, NOTE, PLACEHOLDER, is_boilerplate

#: how much of the original a review item quotes
QUOTE = 120
#: lines that are the form's, never an answer: 「以上」, 「記」, a date line, instructions in brackets
_FORM_LINE = pattern(r"^[\s\u3000]*(?:以上|記|[（(][^）)]*(?:該当|選択|記入|記載|消|付け|つけ|入力|チェック)[^）)]*[）)])"
                        r"[\s\u3000]*$")
_INSTRUCTION = pattern(r"[（(][^）)]*(?:該当|選択|記入|記載|消し|消す|付け|つけ|入力|チェック|不要|場合|のみ)[^）)]*[）)]")
#: a printed direction on a line of its own: 「具体的に記入してください。」, 「該当に☑」
_DIRECTION = pattern(r"(?:記入|記載|入力|選択|添付|該当|チェック)[^\n]{0,24}(?:こと|ください|下さい)[。.]?$"
                     r"|^[\s\u3000]*該当[^\n]{0,8}$")
#: words of a printed direction in a choice section (「該当に」, 「する場合に選択し，有の場合は…」)
_DIRECTION_TOKEN = pattern(r"[^\s\u3000]*(?:該当|選択|記入|記載|チェック|付け|つけ|場合|消|入力|こと|ください)"
                           r"[^\s\u3000]*")
#: a mark no option took, where nothing was chosen: a tick, a filled box, a circle in brackets 「（○）」
_MARK = pattern(r"[☑☒■✓✔●◉◎]|[（(][\s\u3000]*[○◯〇レﾚ✓✔][\s\u3000]*[）)]")
#: what may stand in a choice section besides option names: marks, numbers, brackets, separators
_CHOICE_NOISE = pattern(r"[\s\u3000()（）\[\]［］【】「」0-9０-９①-⑳⑴-⒇:：、，,・.．/／~～\-－ー]+")


def unplaced_text(label: str, lines: list[Line]) -> str | None:
    """Text after the first ``label`` that no value took, or None when there is none."""
    for i, line in enumerate(lines):
        if line.label != label:
            continue
        vline, vchar = line.value_at
        parts: list[str] = []
        for k in range(vline, len(lines)):
            if k > i and lines[k].label:
                break
            if k > vline and (lines[k].continuation or lines[k].options):
                continue  # a line of choices is read by the options, not left unplaced
            text = lines[k].text[vchar:] if k == vline else lines[k].text
            text = _INSTRUCTION.sub("", text).strip(" \u3000\t:：")
            if not text or NOTE.match(text) or PLACEHOLDER.match(text) or _FORM_LINE.match(text) \
                    or _DIRECTION.search(text) or is_boilerplate(text):
                continue
            parts.append(text)
        if parts:
            return _quote("　".join(parts))
        return None
    return None


#: how long a label's name must be to be looked for inside other text (「部署名」, not 「担当」)
_GLUED_MIN = 3


def glued_label(label: str, lines: list[Line]) -> str | None:
    """A line holding ``label``'s name run together with other text, where no line heads that label.

    A table whose cells lost their borders on the way (a .doc LibreOffice saved from a
    .docx reads back without its table: 「☐無協定締結の目的…」, 「連絡先部署名総務課担当者氏名…」)
    leaves the entry's name inside a line the label finder does not take as a label.
    The value may well be there: a person looks, the applicant is not told it is missing.
    """
    if label not in vocab.LABELS or any(line.label == label for line in lines):
        return None
    names = [k for k in (vocab.key(s) for s in vocab.LABELS[label]) if len(k) >= _GLUED_MIN]
    for n, line in enumerate(lines):
        text = line.text
        if not names or NOTE.match(text) or _DIRECTION.search(text) or is_boilerplate(text):
            continue
        k = vocab.key(_INSTRUCTION.sub("", text))
        if k not in names and any(_stands_alone(name, k) for name in names):
            return _quote(display_line(lines, n))
    return None


def _stands_alone(name: str, k: str) -> bool:
    """``name`` occurs in ``k`` other than as part of a longer label's name (「担当者」 in 「担当者連絡先」)."""
    for m in re.finditer(re.escape(name), k):
        start, end = m.start(), m.end()
        if not any(len(other) > len(name) and k.find(other, max(0, end - len(other)), start + len(other)) >= 0
                   for other, _ in vocab.LABEL_KEYS):
            return True
    return False


def unplaced_marks(group: str, lines: list[Line]) -> str | None:
    """A choice section holding something besides option names and empty boxes (「◎包括」, 「※済」)."""
    for i, line in enumerate(lines):
        if line.label != GROUP_LABEL[group]:
            continue
        text = section_value_text(i, lines)
        rest = _DIRECTION_TOKEN.sub("", _INSTRUCTION.sub("", text))
        if _MARK.search(rest):
            return _quote(_section_display(i, lines))  # a mark stands there, and no option took it
        k = vocab.key(rest)
        for opt_key in sorted({o for options in vocab.OPTION_GROUPS.values() for o in options}, key=len, reverse=True):
            k = k.replace(opt_key, "")
        k = _CHOICE_NOISE.sub("", k).replace("その他", "").replace("主軸分野", "").replace("主軸となる分野", "")
        if k:
            return _quote(_section_display(i, lines))
    return None


def _section_display(start: int, lines: list[Line]) -> str:
    """The section as the form shows it (boxes as glyphs, struck words in ~~), without its label and notes."""
    vline, vchar = lines[start].value_at
    shown = [_INSTRUCTION.sub("", lines[vline].text[vchar:])]
    for k in range(vline + 1, len(lines)):
        if lines[k].label:
            break
        text = display_line(lines, k)
        if not NOTE.match(text) and not _DIRECTION.search(text):
            shown.append(_INSTRUCTION.sub("", text))
    return " ".join(t.strip(" \u3000\t") for t in shown if t.strip(" \u3000\t"))


#: entries a company may head with a word of its own (「商号又は名称」, 「ご担当者」)
_ENTRIES = ("organization.address", "organization.name", "organization.representative",
            "contact.department", "contact.name", "contact.phone", "contact.email")
#: a line shaped like an entry: a short heading word, then a colon or a wide blank, then the text; or a
#: heading of a few English words before a colon (「Corporate officer: …」, a foreign company's own words)
ENTRY_SHAPE = pattern(r"^[\s\u3000]*(?:[^\s\u3000:：]{1,12}(?:[\s\u3000]*[:：]|[\s\u3000]{2,}|\u3000)"
                      r"|[A-Za-z][A-Za-z0-9.'’&/()\- ]{0,40}?[\s\u3000]*[:：])"
                      r"[\s\u3000]*(?P<value>\S.*)$")


#: the sections of the contact block, and how long a line there may be to be taken for an entry of its own
_CONTACT_SECTIONS = frozenset({"contact", "contact.department", "contact.name", "contact.phone", "contact.email",
                               "contact.department_name", "person"})
_LOOSE_MAX = 40


def unlabelled_entries(lines: list[Line], values: list[str], blocks: list[Block] | None = None) -> str | None:
    """Lines written like an entry under a heading word the reader does not know, that no value took.

    A required entry is missing and such a line stands in the form: the company may
    have written the entry under its own word (「商号又は名称　…」), so a person looks.
    """
    taken = [vocab.key(v) for v in values]
    section: str | None = None
    section_table: int | None = None
    found: list[str] = []
    for i, line in enumerate(lines):
        table = blocks[line.block].table if blocks is not None else None
        if line.label == "contact":  # 「担当者連絡先　総務課　旭川　次郎」: the heading's own line holds entries
            rest = line.text[line.value_at[1]:] if line.value_at[0] == i else ""
            k = vocab.key(rest)
            if k and not any(k in t for t in taken):
                found.append(line.text.strip(" \u3000\t"))
        if line.label:
            section, section_table = line.label, table
            continue
        if line.continuation or line.options or section in vocab.MULTILINE:
            continue
        m = ENTRY_SHAPE.match(line.text)
        # a cell of the contact block's table no value took may be an answer under a heading the reader does
        # not know (「担当部署名｜対応者｜電話」 over 「総務部｜北嶺　花子｜…」): the cell itself is the entry
        loose = section in _CONTACT_SECTIONS and table is not None and table == section_table \
            and len(line.text.strip()) <= _LOOSE_MAX
        if not (m or loose) or is_boilerplate(line.text) or _FORM_LINE.match(line.text) \
                or _DIRECTION.search(line.text) or NOTE.match(line.text):
            continue
        k = vocab.key(m.group("value") if m else line.text)
        if k and not any(k in t for t in taken):
            found.append(line.text.strip(" \u3000\t"))
    return _quote("　／　".join(found[:3])) if found else None


def loose_field_values(lines: list[Line], values: list[str]) -> str | None:
    """Values typed into a fillable PDF's fields that no label could be found for, and no entry took.

    A field named 「Text7」 with no label printed beside it or right above it holds the
    applicant's answer all the same: where an entry is missing, a person looks at it
    rather than the applicant being told the entry is blank.
    """
    taken = [vocab.key(v) for v in values]
    found = [line.text.strip(" \u3000\t") for line in lines
             if line.label is None and not line.options and line.pieces
             and all(isinstance(piece, Text) and piece.source == FIELD_SOURCE for piece in line.pieces)
             and (k := vocab.key(line.text)) and not any(k in t for t in taken)]
    return _quote("　／　".join(found[:3])) if found else None


#: a phone number's shape: 「090-1234-5678」, 「0166(55)1234」, 「0166 55 1234」
_NUMBER = pattern(r"[0-9０-９]{2,5}[\s\u3000\-－‐ー()（）]*[0-9０-９]{1,4}[\s\u3000\-－‐ー()（）]*[0-9０-９]{3,4}")


def other_number(lines: list[Line]) -> str | None:
    """A line under another heading of the form's entries (「携帯」, 「FAX」) holding a phone number's shape."""
    for i, line in enumerate(lines):
        text = line.text[line.value_at[1]:] if line.value_at[0] == i else line.text
        if line.label == "other" and _NUMBER.search(text):
            return _quote(line.text.strip(" \u3000\t"))
    return None


def add_unplaced(p: Proposal, lines: list[Line], values: dict[str, str | None], choices: list[Choice],
                 blocks: list[Block] | None = None) -> None:
    """A doubt for each missing value whose label is followed by text no value took, and for
    each choice group holding a mark the reader could not give to an option."""
    for path, value in values.items():
        if value:
            continue
        original = unplaced_text(path if path != "axis.field" else "axis.text", lines)
        if not original and not any(d.field == path for d in p.doubts):
            original = glued_label(path, lines)
        if original and not any(d.field == path and d.code == "review_unplaced_text" for d in p.doubts):
            p.doubts.append(Doubt("review_unplaced_text", path, original))
    loose: list[str | None] = []  # computed once, when a value is missing
    for path, value in values.items():
        if value or any(d.field == path for d in p.doubts):
            continue
        if not loose:
            loose.append(loose_field_values(lines, [v for v in values.values() if v]))
        if loose[0]:
            p.doubts.append(Doubt("review_unlabelled_text", path, loose[0]))
    orphans = None
    joined = next((d.original for d in p.doubts if d.code == "review_joined_cells"), None)
    for path in _ENTRIES:
        if values.get(path) or any(d.field == path for d in p.doubts):
            continue
        if joined:  # 「総務部 ／ 対応者 ／ 北嶺　花子」 read as one entry: the missing one may be in it
            p.doubts.append(Doubt("review_unlabelled_text", path, joined))
            continue
        other = other_number(lines) if path == "contact.phone" else None
        if other:  # 「携帯：090-…」 with no 電話番号: a number under another heading, a person decides
            p.doubts.append(Doubt("review_unlabelled_text", path, other))
            continue
        if orphans is None:
            orphans = unlabelled_entries(lines, [v for v in values.values() if v], blocks)
        if orphans:
            p.doubts.append(Doubt("review_unlabelled_text", path, orphans))
    chosen: dict[str, list] = {"type": p.types_ticked, "field": p.fields, "axis": p.axis_ticked}
    for group, picked in chosen.items():
        marks = [c for c in choices if c.group == group and c.unplaced]
        if marks:
            # 「○個別連携協定　包括連携協定○」: a mark no option could be given, whatever else was chosen
            shown = dict.fromkeys(display_line(lines, c.line) or c.after for c in marks)
            p.doubts.append(Doubt("review_unplaced_text", GROUP_PATH[group], _quote(" ".join(shown))))
            continue
        if picked and not any(c.checked for c in choices if c.group == group) \
                and group_asks_for_circles(group, lines) and (group != "axis" or p.agreement_type == "comprehensive") \
                and not any(d.field == GROUP_PATH[group] for d in p.doubts):
            # 「該当するものを○で囲む」 and no circle found, yet options were read from the words: the printed
            # options themselves, or what is left after deleting the others — a person looks (nothing at
            # all stays the applicant's blank)
            p.doubts.append(Doubt("review_no_circle", GROUP_PATH[group], _quote(section_of(group, lines))))
            continue
        if picked and not any(c.checked for c in choices if c.group == group) \
                and not any(d.field == GROUP_PATH[group] for d in p.doubts) and _lists_more(group, len(picked), lines):
            # the options printed one under another, no mark read beside any (a tick drawn as a shape, a glyph
            # the PDF's font lacks): the first option's words were taken for a written answer (個別, silent)
            p.doubts.append(Doubt("review_printed_options", GROUP_PATH[group], _quote(section_of(group, lines))))
            continue
        if picked:
            continue
        original = unplaced_marks(group, lines) or _stray_ticks(lines, choices)
        if original:
            p.doubts.append(Doubt("review_unplaced_text", GROUP_PATH[group], original))


def _stray_ticks(lines: list[Line], choices: list[Choice]) -> str:
    """Check boxes ticked by their structure (a form field, a content control, a form control) that no option
    took, quoted: LibreOffice prints a workbook's form controls as PDF fields whose captions come out as
    scattered characters, and the groups they answer were blamed on the applicant as unanswered."""
    from ..form import Box

    taken = {c.line for c in choices if c.line is not None}
    stray = [k for k, line in enumerate(lines) if k not in taken and any(
        isinstance(piece, Box) and piece.checked and not piece.source.endswith((":glyph", ":text"))
        for piece in line.pieces)]
    return _quote(" ".join(display_line(lines, k) for k in stray[:6])) if stray else ""


def _lists_more(group: str, picked: int, lines: list[Line]) -> bool:
    """Whether ``group``'s section lists more of its options, one to a line, than the ``picked`` ones read
    from its words (a numbered list answered 「⑤、⑪」 prints its options several to a line)."""
    for i, line in enumerate(lines):
        if line.label != GROUP_LABEL[group]:
            continue
        end = next((k for k in range(i + 1, len(lines)) if lines[k].label), len(lines))
        vline, vchar = line.value_at
        texts = [lines[vline].text[vchar:]] + [ln.text for ln in lines[vline + 1:end]]
        if sum(1 for text in texts if len(_names_in(group, text)) == 1) > max(picked, 1):
            return True
    return False


def _names_in(group: str, text: str) -> set[str]:
    """The options of ``group`` that ``text`` names (as :func:`~.options._named` does for a section)."""
    keys = _option_keys(text, group)
    return {value for opt_key, value in vocab.OPTION_GROUPS[group].items()
            if any(_axis_named(k, opt_key) if group == "axis" else opt_key in k for k in keys)}


def group_asks_for_circles(group: str, lines: list[Line]) -> bool:
    """Whether the form asks for ``group`` to be answered by circling (「該当するものを○で囲む」), in the
    group's own section or for the whole form, with nothing struck out instead."""
    if "circle" not in conventions(lines):
        return False
    return not any(struck_options(group, lines[i:i + 6]) for i, ln in enumerate(lines) if ln.label == GROUP_LABEL[group])


def section_of(group: str, lines: list[Line]) -> str:
    """The group's section as the form shows it, for a review item."""
    at = next((i for i, ln in enumerate(lines) if ln.label == GROUP_LABEL[group]), None)
    return _section_display(at, lines) if at is not None else ""


def _quote(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= QUOTE else text[:QUOTE - 1] + "…"


def add_reader_doubts(p: Proposal) -> None:
    """Doubts a reader's warnings carry: what it could see only in part, so a person compares.

    ``circles_drawn`` (a .docx with ellipse shapes, whose place on the text it does
    not record): each choice left unmarked; ``text_beyond_page`` (text drawn
    outside a PDF's page) and ``ocr_used`` (a scan read by OCR): the whole file; ``field_unreadable`` (a
    fillable PDF's field whose appearance cannot be decoded): each entry read blank.
    """
    warnings = p.reader_warnings
    if "circles_drawn" in warnings:
        chosen = {"type": p.types_ticked, "field": p.fields, "axis": p.axis_ticked or p.agreement_type == "individual"}
        p.doubts += [Doubt("review_circles_drawn", GROUP_PATH[g]) for g, picked in chosen.items() if not picked]
    if "text_beyond_page" in warnings:
        p.doubts.append(Doubt("review_cut_off", "file"))
    if "field_unreadable" in warnings:  # a fillable field drawn in a font without a Unicode map
        paths = (*_ENTRIES, "purpose", "expected_effects", "submitted_on") + (("axis.field",) if p.axis.present else ())
        p.doubts += [Doubt("review_field_unreadable", path) for path in paths if not p.value(path)]
    if "ocr_used" in warnings:
        p.doubts.append(Doubt("review_ocr", "file"))
