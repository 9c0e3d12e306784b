"""Checkbox choices, and what they select: agreement type, fields, axis, その他's text.

The option a box stands for is the text right after it (「☑包括連携協定」) or,
where a line is written the other way round, right before it
(「包括連携協定☑」).  A box whose neighbouring text names no option — such as
the ☑ in the printed label 「該当に☑」 — selects nothing.  A re-typed form with
no boxes at all is read from the options named after the label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import vocab
from ..form import CIRCLE_MARKS, Block, Box
from ..proposal import Axis, Proposal
from .lines import Line
from .values import CLOSE, NOTE, PLACEHOLDER, may_continue, strip_separators


@dataclass
class Choice:
    group: str
    value: str
    checked: bool
    source: str
    after: str  # the text that named the option, for その他's free text


def find_choices(blocks: list[Block], lines: list[Line]) -> list[Choice]:
    """Every box that names an option; marks the lines holding one, which end a value."""
    choices: list[Choice] = []
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


def _choices_in(seq: list, boxes: list[int]) -> list[tuple[Choice, int | None]]:
    afters = [_text_between(seq, k + 1, boxes[n + 1] if n + 1 < len(boxes) else len(seq))[0]
              for n, k in enumerate(boxes)]
    befores = [_text_between(seq, boxes[n - 1] + 1 if n else 0, k)[0] for n, k in enumerate(boxes)]
    # 「☑包括連携協定」 (box first) is the norm; 「包括連携協定☑」 is read when more
    # boxes make sense that way
    prefix_hits = sum(_option_of(a) is not None for a in afters)
    suffix_hits = sum(_option_of(b) is not None for b in befores)
    suffix_style = suffix_hits > prefix_hits
    out: list[tuple[Choice, int | None]] = []
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
        out.append((Choice(group, value, box.checked, box.source, text), _line_of_box(seq, k)))
    return out


def _only_boxes(seq: list) -> bool:
    return not any(isinstance(item, tuple) and item[0].strip() for item in seq)


def _choices_from_neighbour(blocks: list[Block], bi: int, boxes: list[Box]) -> list[tuple[Choice, None]]:
    """A cell holding only a checkbox: its option is the text of the next (or previous) cell."""
    block = blocks[bi]
    if block.table is None or len(boxes) != 1:
        return []
    for nb in (bi + 1, bi - 1):
        if 0 <= nb < len(blocks) and blocks[nb].table == block.table and blocks[nb].row == block.row \
                and not blocks[nb].has_box():
            opt = _option_of(blocks[nb].text)
            if opt:
                return [(Choice(opt[0], opt[1], boxes[0].checked, boxes[0].source, blocks[nb].text), None)]
    return []


#: what may stand between a mark and its option: the bracket closing 「（レ）」, a number 「①」 「1.」 「(1)」
_BEFORE_OPTION = re.compile(r"^[\s\u3000]*[)）\]］】〕]?[\s\u3000]*"
                            r"(?:(?:[(（]?[0-9０-９]{1,2}[)）.．、]|[①-⑳⑴-⒇])[\s\u3000]*)?")


def _option_of(text: str) -> tuple[str, str] | None:
    k = vocab.key(_BEFORE_OPTION.sub("", text, count=1))
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


def apply_choices(p: Proposal, choices: list[Choice], lines: list[Line], blocks: list[Block],
                  fmt: str) -> None:
    """Set agreement type, fields, その他's text and whether there is an axis on ``p``."""
    by_group: dict[str, list[Choice]] = {"type": [], "field": [], "axis": []}
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


def _ticked(choices: list[Choice]) -> dict[str, str]:
    """Checked option -> source; structure (sdt, form field, symbol) outranks glyphs."""
    out: dict[str, str] = {}
    for choice in choices:
        if choice.checked and choice.value not in out:
            out[choice.value] = choice.source
    return out


def _text_selection(lines: list[Line], blocks: list[Block], label: str, group: str,
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
                # 「有」, or 「有（主軸分野：環境）」: the word, then only what may follow it
                if k == opt_key or k.startswith(opt_key) and _axis_tail_ok(k[len(opt_key):]):
                    found[value] = f"{fmt}:text"
            elif opt_key in k:
                found[value] = f"{fmt}:text"
        if group == "type" and len(found) > 1:
            return {}  # both named: the form's printed options, not a choice
        if group == "field" and len(found) >= len(vocab.FIELDS) - 2:
            return {}  # (nearly) every field named: the printed list whose boxes were lost
        return found
    return {}


def _section_text(i: int, lines: list[Line], blocks: list[Block]) -> str:
    vline, vchar = lines[i].value_at
    parts = [strip_separators(lines[vline].text[vchar:])]
    origin = blocks[lines[i].block]
    for line in lines[vline + 1:]:
        if line.label or line.continuation:
            break
        if line.block != lines[vline].block and not may_continue(origin, blocks[line.block], True, True):
            break
        parts.append(line.text)
    return "\n".join(p for p in parts if not NOTE.match(p))


def _other_text(after: str) -> str | None:
    """The free text of 「その他（　…　）」."""
    text = _BEFORE_OPTION.sub("", after.strip(" \u3000\t\n"), count=1)
    k = 0
    # skip the word その他 itself, whatever its width or spacing
    consumed = ""
    while k < len(text) and vocab.key(consumed) != vocab.key(vocab.OTHER):
        consumed += text[k]
        k += 1
    rest = text[k:].lstrip(" \u3000\t")
    if rest[:1] in CLOSE:
        inner = rest[1:].split(CLOSE[rest[0]], 1)[0]
    else:
        inner = strip_separators(rest).split("\n", 1)[0]
    inner = inner.strip(" \u3000\t\n")
    return None if not inner or PLACEHOLDER.match(inner) else inner
