"""Turn any :class:`~kyotei_docs.form.FormDoc` into a :class:`~kyotei_docs.proposal.Proposal`.

There is one extractor for every format.  It is label-driven, never
position-driven: a real submission's layout is not ours.

* **Options** come from checkbox marks: the option a box stands for is the text
  right after it (「☑包括連携協定」) or, where a line is written the other way
  round, right before it (「包括連携協定☑」).  A box whose neighbouring text names
  no option — such as the ☑ in the printed label 「該当に☑」 — selects nothing.
* **Values** follow their label: after a colon on the same line, in the next
  cell of the same row, in the cell below, or on the following lines, up to the
  next label.  Labels are matched on a normalised key, so 「所 在 地」 and
  「部　署　名」 are found, also when wrapped over two lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .. import vocab
from ..errors import UnreadableError
from ..form import CIRCLE_MARKS, Block, Box, FormDoc, Piece, Text
from ..proposal import Axis, Contact, Organization, Proposal

_LEAD = re.compile(r"^[\s\u3000]*(?:(?:[(（]?[0-9０-９]{1,2}[)）.．、]|[①-⑳⑴-⒇]|[・●◆◎◇*＊【\[「〔])[\s\u3000]*)*")
_SEPARATOR_AFTER = set(" \u3000\t:：】」］]）)(（.．※")
_NOTE = re.compile(r"^[\s\u3000]*[（(]?[※＊*]")
_PLACEHOLDER = re.compile(r"^[\s\u3000●○◯〇◎＿_…・\-－ー（）()「」]*$")
_SEAL = re.compile(r"[\s\u3000]+(?:㊞|\(印\)|（印）|印)$")
_CLOSE = {"（": "）", "(": ")", "「": "」", "［": "］", "[": "]"}

PAREN_LABELS = frozenset({"axis.text"})
_AXIS_INLINE = re.compile(r"主[\s\u3000]*軸[\s\u3000]*(?:と[\s\u3000]*な[\s\u3000]*る[\s\u3000]*)?分[\s\u3000]*野"
                          r"(?![\s\u3000]*の[\s\u3000]*有)(?:[\s\u3000]*[:：][\s\u3000]*(?P<colon>[^\n]*)|"
                          r"[\s\u3000]*[（(](?P<paren>[^）)\n]*)[）)]|[\s\u3000]+(?P<space>[^\s\u3000※(（][^\n]*))")

_DATE_CHARS = r"[\s\u3000\d一二三四五六七八九十〇元●○◯]"
_DATE_LIKE = re.compile(
    rf"^(?:令和|平成|昭和|[RHS][.．]?)?{_DATE_CHARS}*年{_DATE_CHARS}*月{_DATE_CHARS}*日"
    r"[\s\u3000]*(?:[(（][^)）]{1,4}[)）])?$"
    r"|^(?:[RHS][.．]?\s*\d{1,2}|\d{4})\s*[./／\-]\s*\d{1,2}\s*[./／\-]\s*\d{1,2}(?:[(（][^)）]{1,4}[)）])?$",
    re.I)


@dataclass
class _Line:
    block: int
    index: int
    text: str
    pieces: list[Piece]
    label: str | None = None
    label_start: int = 0
    #: where the value may start: (flat line number, character offset)
    value_at: tuple[int, int] = (0, 0)
    continuation: bool = False  # the second half of a label wrapped over two lines
    options: bool = False  # holds a checkbox that selects a known option


@dataclass
class _Choice:
    group: str
    value: str
    checked: bool
    source: str
    after: str  # the text that named the option, for その他's free text


@dataclass
class _Found:
    value: str | None = None
    source: str | None = None


@dataclass
class Extraction:
    """The intermediate result, kept for ``--explain``."""

    choices: list[_Choice] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)


def extract(doc: FormDoc, *, require_form1: bool = True) -> Proposal:
    """Read the proposal out of ``doc``; raise ``not_form1`` if it is not Form 1."""
    lines = _flatten(doc.blocks)
    _find_labels(lines)
    choices = _find_choices(doc.blocks, lines)
    labels_found = {ln.label for ln in lines if ln.label}
    if require_form1 and not _looks_like_form1(labels_found, choices):
        raise UnreadableError("not_form1")

    proposal = Proposal(file=_basename(doc.path), format=doc.format)
    proposal.reader_warnings = list(doc.warnings)
    fmt = doc.format
    values = {label: _value_for(label, lines, doc.blocks) for label in vocab.LABELS
              if label not in vocab.SECTION_LABELS}

    def put(path: str, found: _Found, clean=_clean_single) -> str | None:
        value = clean(found.value) if found.value is not None else None
        if value:
            proposal.sources[path] = found.source or f"{fmt}:text"
        return value or None

    org = Organization(
        address=put("organization.address", values["organization.address"]),
        name=put("organization.name", values["organization.name"]),
        representative=put("organization.representative", values["organization.representative"],
                           _clean_representative),
    )
    proposal.organization = org
    proposal.purpose = put("purpose", values["purpose"], _clean_multi)
    proposal.expected_effects = put("expected_effects", values["expected_effects"], _clean_multi)
    proposal.contact = Contact(
        department=put("contact.department", values["contact.department"]),
        name=put("contact.name", values["contact.name"]),
        phone=put("contact.phone", values["contact.phone"]),
        email=put("contact.email", values["contact.email"]),
    )
    _apply_choices(proposal, choices, lines, doc.blocks, fmt)
    _apply_axis_text(proposal, lines, doc.blocks, values["axis.text"], fmt)
    _apply_date(proposal, lines, values["submitted_on"], fmt)
    return proposal


# ---- lines and labels -------------------------------------------------------------

def _flatten(blocks: list[Block]) -> list[_Line]:
    out: list[_Line] = []
    for bi, block in enumerate(blocks):
        for li, line in enumerate(block.lines):
            out.append(_Line(bi, li, line.plain, line.pieces))
    return out


def _find_labels(lines: list[_Line]) -> None:
    for i, line in enumerate(lines):
        if line.continuation:
            continue
        start = _LEAD.match(line.text).end()
        hit = _match_label(lines, i, start)
        # 「連絡先　部署名：…」: a section label may be followed by the entry's own label
        while hit and hit[0] in vocab.SECTION_LABELS:
            nxt_line, nxt_char = hit[1]
            if nxt_line != i:
                break
            rest = lines[i].text[nxt_char:]
            skip = len(rest) - len(rest.lstrip(" \u3000\t:："))
            inner = _match_label(lines, i, nxt_char + skip)
            if not inner:
                break
            hit = inner
        if hit:
            label, (end_line, end_char) = hit
            line.label = label
            line.label_start = start
            line.value_at = (end_line, end_char)
            for k in range(i + 1, end_line + 1):
                lines[k].continuation = True


def _match_label(lines: list[_Line], i: int, start: int) -> tuple[str, tuple[int, int]] | None:
    """Match the longest label key at (line i, char start), allowing a wrap in the same block."""
    block = lines[i].block
    stream: list[tuple[int, int]] = []  # key length reached -> position after that char
    keytext = ""
    li, ci = i, start
    candidates: list[tuple[str, str]] = []
    while li < len(lines) and lines[li].block == block and len(keytext) < vocab.LONGEST_LABEL:
        text = lines[li].text
        if ci >= len(text):
            li, ci = li + 1, 0
            continue
        k = vocab.char_key(text[ci])
        ci += 1
        if k:
            if not keytext:
                candidates = vocab.LABELS_BY_INITIAL.get(k[0], [])
                if not candidates:
                    return None  # most lines start with no label's first character
            keytext += k
            stream.append((li, ci))
    if not keytext:
        return None
    for label_key, label in candidates:
        if not keytext.startswith(label_key):
            continue
        end_line, end_char = stream[len(label_key) - 1]
        if len(label_key) <= 3 and not _separated(lines, end_line, end_char):
            continue  # 「所属する…」 in a sentence is not the label 「所属」
        return label, (end_line, end_char)
    return None


def _separated(lines: list[_Line], li: int, ci: int) -> bool:
    text = lines[li].text
    return ci >= len(text) or text[ci] in _SEPARATOR_AFTER or not text[ci:].strip()


# ---- values -------------------------------------------------------------------------

def _value_for(label: str, lines: list[_Line], blocks: list[Block]) -> _Found:
    for i, line in enumerate(lines):
        if line.label == label:
            found = _collect(i, lines, blocks)
            if found.value and _PLACEHOLDER.match(found.value) is None:
                return found
    return _Found()


def _collect(i: int, lines: list[_Line], blocks: list[Block]) -> _Found:
    """The value of the label on line ``i``: inline, next lines, next cell, cell below."""
    label = lines[i].label
    multiline = label in vocab.MULTILINE
    vline, vchar = lines[i].value_at
    origin = blocks[lines[i].block]
    rest = _strip_separators(lines[vline].text[vchar:])
    if label in PAREN_LABELS and rest[:1] in _CLOSE:
        inner = rest[1:].split(_CLOSE[rest[0]], 1)[0].strip(" \u3000")
        if inner:
            return _Found(inner, _source_at(lines[vline], vchar))
    parts: list[str] = []
    sources: list[str] = []
    if rest.strip() and not _NOTE.match(rest):
        parts.append(rest)
        sources.append(_source_at(lines[vline], vchar))
    j = vline + 1
    prev_block = lines[vline].block
    while j < len(lines):
        line = lines[j]
        if line.label or line.options or _is_boilerplate(line.text):
            break
        if line.block != prev_block:
            if not _may_continue(origin, blocks[line.block], multiline, bool(parts)):
                break
            prev_block = line.block
        if not parts and (not line.text.strip() or _NOTE.match(line.text)):
            j += 1
            continue
        parts.append(line.text)
        sources.append(_source_at(line, 0))
        j += 1
    if not any(p.strip() for p in parts) and origin.table is not None:
        return _cell_below(i, lines, blocks)
    value = "\n".join(parts) if multiline else _join_single(parts)
    return _Found(value, _best_source(sources))


def _may_continue(origin: Block, block: Block, multiline: bool, have_text: bool) -> bool:
    if origin.table is not None:
        # the value of a label cell lies to its right in the same row
        return block.table == origin.table and block.row == origin.row
    if block.table is not None:
        return False
    return multiline or not have_text


def _cell_below(i: int, lines: list[_Line], blocks: list[Block]) -> _Found:
    """Labels in a header row, values in the row below (same grid columns)."""
    origin = blocks[lines[i].block]
    multiline = lines[i].label in vocab.MULTILINE
    for bi in range(lines[i].block + 1, len(blocks)):
        block = blocks[bi]
        if block.table != origin.table or block.row is None or origin.row is None:
            continue
        if block.row <= origin.row:
            continue
        if block.row > origin.row + 1:
            break
        if _overlaps(origin, block):
            cell_lines = [ln for ln in lines if ln.block == bi]
            if any(ln.label or ln.options for ln in cell_lines):
                return _Found()
            texts = [ln.text for ln in cell_lines]
            value = "\n".join(texts) if multiline else _join_single(texts)
            return _Found(value, _best_source([_source_at(ln, 0) for ln in cell_lines]))
    return _Found()


def _overlaps(a: Block, b: Block) -> bool:
    if a.col is None or b.col is None:
        return False
    return a.col < b.col + b.span and b.col < a.col + a.span


def _strip_separators(text: str) -> str:
    text = text.lstrip(" \u3000\t")
    if text[:1] in "】」］]":
        text = text[1:].lstrip(" \u3000\t")
    if text[:1] in ":：":
        text = text[1:]
    return text


def _is_boilerplate(text: str) -> bool:
    k = vocab.key(text)
    if not k:
        return False
    if any(k.startswith(b) for b in vocab.BOILERPLATE):
        return True
    return bool(re.search(r"(市長|町長|村長|区長)(様|殿)$", k))


def _join_single(parts: list[str]) -> str:
    parts = [p.strip(" \u3000\t") for p in parts if p.strip()]
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def _source_at(line: _Line, char: int) -> str:
    pos = 0
    for piece in line.pieces:
        if isinstance(piece, Text):
            end = pos + len(piece.text)
            if end > char and piece.text.strip():
                return piece.source
            pos = end
        elif piece.weak:
            pos += len(piece.glyph)
    return ""


def _best_source(sources: list[str]) -> str | None:
    specific = [s for s in sources if s and not s.endswith(":text")]
    if specific:
        return specific[0]
    return next((s for s in sources if s), None)


def _clean_single(value: str) -> str | None:
    value = value.strip(" \u3000\t\n")
    if not value or _PLACEHOLDER.match(value):
        return None
    return value


def _clean_representative(value: str) -> str | None:
    value = _clean_single(value) or ""
    return _SEAL.sub("", value).strip(" \u3000") or None


def _clean_multi(value: str) -> str | None:
    lines = [ln.rstrip(" \u3000\t") for ln in value.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    text = "\n".join(lines)
    if not text.strip() or _PLACEHOLDER.match(text):
        return None
    # the first line keeps no leading blanks left over from 「目的：　…」
    return text.lstrip(" \u3000\t")


# ---- options --------------------------------------------------------------------

def _find_choices(blocks: list[Block], lines: list[_Line]) -> list[_Choice]:
    choices: list[_Choice] = []
    first_line = 0
    for bi, block in enumerate(blocks):
        seq = _sequence(block)
        boxes = [k for k, item in enumerate(seq) if isinstance(item, Box)]
        if boxes:
            found = _choices_in(seq, boxes)
            if not found and _only_boxes(seq):
                found = _choices_from_neighbour(blocks, bi, [seq[k] for k in boxes])
            for choice, line_no in found:
                choices.append(choice)
                if line_no is not None:
                    lines[first_line + line_no].options = True
        first_line += len(block.lines)
    return choices


def _sequence(block: Block) -> list[Box | tuple[str, int]]:
    """Boxes and (text, line number) items in order; weak boxes that are letters stay text."""
    seq: list[Box | tuple[str, int]] = []
    for n, line in enumerate(block.lines):
        if n:
            seq.append(("\n", n))
        for piece in line.pieces:
            if isinstance(piece, Box):
                seq.append(piece)
            else:
                seq.append((piece.text, n))
    return seq


def _text_between(seq: list, start: int, stop: int) -> tuple[str, int | None]:
    text, line_no = "", None
    for item in seq[start:stop]:
        if isinstance(item, tuple):
            text += item[0]
            if line_no is None and item[0].strip():
                line_no = item[1]
    return text, line_no


def _line_of_box(seq: list, k: int) -> int:
    for item in reversed(seq[:k]):
        if isinstance(item, tuple) and item[0] == "\n":
            return item[1]
    return 0


def _choices_in(seq: list, boxes: list[int]) -> list[tuple[_Choice, int | None]]:
    afters = [_text_between(seq, k + 1, boxes[n + 1] if n + 1 < len(boxes) else len(seq))[0]
              for n, k in enumerate(boxes)]
    befores = [_text_between(seq, boxes[n - 1] + 1 if n else 0, k)[0] for n, k in enumerate(boxes)]
    # 「☑包括連携協定」 (box first) is the norm; 「包括連携協定☑」 is read when more
    # boxes make sense that way
    prefix_hits = sum(_option_of(a) is not None for a in afters)
    suffix_hits = sum(_option_of(b) is not None for b in befores)
    suffix_style = suffix_hits > prefix_hits
    out: list[tuple[_Choice, int | None]] = []
    for n, k in enumerate(boxes):
        box: Box = seq[k]
        text = befores[n] if suffix_style else afters[n]
        opt = _option_of(text)
        if opt is None:
            continue
        if box.weak and not text[:1].strip():
            continue  # 「レ 」 followed by a space is a letter, not a tick
        if box.weak and box.glyph in CIRCLE_MARKS and not any(isinstance(x, Box) and not x.checked for x in seq):
            continue  # ○ marks a choice only beside empty boxes; alone it may be a bullet
        group, value = opt
        out.append((_Choice(group, value, box.checked, box.source, text), _line_of_box(seq, k)))
    return out


def _only_boxes(seq: list) -> bool:
    return not any(isinstance(item, tuple) and item[0].strip() for item in seq)


def _choices_from_neighbour(blocks: list[Block], bi: int, boxes: list[Box]) -> list[tuple[_Choice, None]]:
    """A cell holding only a checkbox: its option is the text of the next (or previous) cell."""
    block = blocks[bi]
    if block.table is None or len(boxes) != 1:
        return []
    for nb in (bi + 1, bi - 1):
        if 0 <= nb < len(blocks) and blocks[nb].table == block.table and blocks[nb].row == block.row \
                and not blocks[nb].has_box():
            opt = _option_of(blocks[nb].text)
            if opt:
                return [(_Choice(opt[0], opt[1], boxes[0].checked, boxes[0].source, blocks[nb].text), None)]
    return []


def _option_of(text: str) -> tuple[str, str] | None:
    k = vocab.key(text)
    if not k:
        return None
    best: tuple[int, str, str] | None = None
    for group, options in vocab.OPTION_GROUPS.items():
        for opt_key, value in options.items():
            if k.startswith(opt_key) and (best is None or len(opt_key) > best[0]):
                best = (len(opt_key), group, value)
    if best is None:
        return None
    # 「有」/「無」 alone are options; 「有効…」 or 「無料…」 in a sentence are not
    if best[1] == "axis" and len(k) > best[0] and not _axis_tail_ok(k[best[0]:]):
        return None
    return best[1], best[2]


def _axis_tail_ok(tail: str) -> bool:
    return tail.startswith(("主軸", "(", "（", "※", "→")) or tail[:1] in ":："


def _apply_choices(p: Proposal, choices: list[_Choice], lines: list[_Line], blocks: list[Block],
                   fmt: str) -> None:
    by_group: dict[str, list[_Choice]] = {"type": [], "field": [], "axis": []}
    for choice in choices:
        by_group[choice.group].append(choice)

    ticked_types = _ticked(by_group["type"])
    if not by_group["type"]:
        ticked_types = _text_selection(lines, blocks, "type", "type", fmt)
    p.types_ticked = [v for v in ("individual", "comprehensive") if v in ticked_types]
    if len(p.types_ticked) == 1:
        p.agreement_type = p.types_ticked[0]
        p.sources["agreement_type"] = ticked_types[p.agreement_type]

    ticked_fields = _ticked(by_group["field"])
    if not by_group["field"]:
        ticked_fields = _text_selection(lines, blocks, "fields", "field", fmt)
    p.fields = [name for name in vocab.ALL_FIELDS if name in ticked_fields]
    if p.fields:
        p.sources["fields"] = ticked_fields[p.fields[0]]
    if vocab.OTHER in ticked_fields:
        other = next(c for c in by_group["field"] if c.value == vocab.OTHER and c.checked) \
            if by_group["field"] else None
        p.other_field_text = _other_text(other.after) if other else None
        if p.other_field_text:
            p.sources["other_field_text"] = other.source
    else:
        p.other_field_text = None

    ticked_axis = _ticked(by_group["axis"])
    if not by_group["axis"]:
        ticked_axis = _text_selection(lines, blocks, "axis.choice", "axis", fmt)
    p.axis_ticked = [v == "yes" for v in ("yes", "no") if v in ticked_axis]
    present = p.axis_ticked[0] if len(p.axis_ticked) == 1 else None
    p.axis = Axis(present=present)
    if present is not None:
        p.sources["axis.present"] = ticked_axis["yes" if present else "no"]


def _ticked(choices: list[_Choice]) -> dict[str, str]:
    """Checked option -> source; structure (sdt, form field, symbol) outranks glyphs."""
    out: dict[str, str] = {}
    for choice in choices:
        if choice.checked and choice.value not in out:
            out[choice.value] = choice.source
    return out


def _text_selection(lines: list[_Line], blocks: list[Block], label: str, group: str,
                    fmt: str) -> dict[str, str]:
    """No checkboxes at all (a re-typed form): take the options named after the label."""
    for i, line in enumerate(lines):
        if line.label != label:
            continue
        text = _section_text(i, lines, blocks)
        k = vocab.key(text)
        found: dict[str, str] = {}
        for opt_key, value in vocab.OPTION_GROUPS[group].items():
            if group == "axis":
                if k in (opt_key,):
                    found[value] = f"{fmt}:text"
            elif opt_key in k:
                found[value] = f"{fmt}:text"
        if group == "type" and len(found) > 1:
            return {}  # both named: the form's printed options, not a choice
        if group == "field" and len(found) >= len(vocab.FIELDS) - 2:
            return {}  # (nearly) every field named: the printed list whose boxes were lost
        return found
    return {}


def _section_text(i: int, lines: list[_Line], blocks: list[Block]) -> str:
    vline, vchar = lines[i].value_at
    parts = [_strip_separators(lines[vline].text[vchar:])]
    origin = blocks[lines[i].block]
    for line in lines[vline + 1:]:
        if line.label or line.continuation:
            break
        if line.block != lines[vline].block and not _may_continue(origin, blocks[line.block], True, True):
            break
        parts.append(line.text)
    return "\n".join(p for p in parts if not _NOTE.match(p))


def _other_text(after: str) -> str | None:
    """The free text of 「その他（　…　）」."""
    text = after.strip(" \u3000\t\n")
    k = 0
    # skip the word その他 itself, whatever its width or spacing
    consumed = ""
    while k < len(text) and vocab.key(consumed) != vocab.key(vocab.OTHER):
        consumed += text[k]
        k += 1
    rest = text[k:].lstrip(" \u3000\t")
    if rest[:1] in _CLOSE:
        inner = rest[1:].split(_CLOSE[rest[0]], 1)[0]
    else:
        inner = _strip_separators(rest).split("\n", 1)[0]
    inner = inner.strip(" \u3000\t\n")
    return None if not inner or _PLACEHOLDER.match(inner) else inner


# ---- axis and date -----------------------------------------------------------------

def _apply_axis_text(p: Proposal, lines: list[_Line], blocks: list[Block], labelled: _Found,
                     fmt: str) -> None:
    text, source = None, None
    for line in lines:
        m = _AXIS_INLINE.search(line.text)
        if m:
            group = next(g for g in ("paren", "colon", "space") if m.group(g) is not None)
            raw = m.group(group).strip(" \u3000\t")
            if raw and not _PLACEHOLDER.match(raw) and not _NOTE.match(raw):
                text, source = raw, _source_at(line, m.start(group)) or f"{fmt}:text"
                break
    if text is None and labelled.value:
        text = _clean_single(labelled.value)
        source = labelled.source
    if text:
        p.axis.text = text
        p.axis.field = vocab.resolve_field(text)
        p.sources["axis.text"] = source or f"{fmt}:text"


def _apply_date(p: Proposal, lines: list[_Line], labelled: _Found, fmt: str) -> None:
    from .. import era

    candidate, source = None, None
    if labelled.value and _DATE_LIKE.match(unicodedata.normalize("NFKC", labelled.value.strip())):
        candidate, source = labelled.value.strip(), labelled.source
    if candidate is None:
        for line in lines:
            text = line.text.strip(" \u3000\t")
            if text and _DATE_LIKE.match(unicodedata.normalize("NFKC", text)):
                candidate, source = text, _source_at(line, 0) or f"{fmt}:text"
                break
    if candidate is None:
        return
    p.date_text = candidate
    try:
        parsed = era.parse_date(candidate)
    except era.DateParseError as exc:
        p.date_error = getattr(exc, "reason", "invalid")
        return
    if parsed is None:
        return  # 「令和　年　月　日」: left blank
    p.submitted_on = parsed.date
    p.date_warnings = list(parsed.warnings)
    p.sources["submitted_on"] = source or f"{fmt}:text"


def _looks_like_form1(labels: set[str | None], choices: list[_Choice]) -> bool:
    groups = {c.group for c in choices}
    strong = labels & {"type", "fields", "axis.choice", "purpose", "expected_effects"}
    return len(strong) + len(groups) >= 2 or (len(labels) >= 5 and bool(strong or groups))


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]
