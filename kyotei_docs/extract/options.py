"""Checkbox choices, and what they select: agreement type, fields, axis, その他's text.

The option a box stands for is the text right after it (「☑包括連携協定」) or,
where a line is written the other way round, right before it
(「包括連携協定☑」).  A box whose neighbouring text names no option — such as
the ☑ in the printed label 「該当に☑」 — selects nothing.  A re-typed form with
no boxes at all is read from the options named after the label.

Circles typed as text follow the same rule: 「○包括連携協定」 and
「環境○　子育て○　災害対策」 are read on the side the marks touch (a ○ glued to
an option's end, a blank before the next option, is after it); where nothing
tells the side — a ○ between two options with blanks on both sides (「個別連携協定
○　包括連携協定」), or circles touching options on both sides of one line
(「○個別連携協定　包括連携協定○」: ○個別 and 包括○, or one of them stray?) — the
form's other choice lines settle it where they all type their circles on one
side; else the mark is left for a person (a review item, never a guess).
◎ counts only where circles are the form's way (elsewhere it is left for a
person too), and among ○-marked fields it names the axis (:func:`apply_axis_mark`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import vocab
from ..form import CIRCLE_MARKS, Block, Box, Text
from ..proposal import Axis, Doubt, Proposal
from ..vocab import pattern
from .lines import Line
from .numbered import numbered_answer
from .values import CLOSE, NOTE, PLACEHOLDER, may_continue, strip_separators


@dataclass
class Choice:
    """One option of a choice group (type, fields, axis) and whether the applicant marked it."""

    group: str
    value: str
    checked: bool
    source: str
    after: str  # the text that named the option, for その他's free text
    #: "box" (a checkbox, typed ☑/■, レ) or "circle" (○ typed before or around an option)
    kind: str = "box"
    #: the option's name is struck through
    struck: bool = False
    #: the box's structure and glyph disagree (see :class:`~kyotei_docs.form.Box`)
    conflict: bool = False
    #: flat line number of the mark, for the original text of a review item
    line: int | None = None
    #: the mark as typed (「◎」 marks the axis field among fields marked 「○」)
    glyph: str = ""
    #: a mark the reader could not place on an option (「○個別　包括○」: which side is whose?);
    #: never checked, it makes the group a review item (:func:`~.doubts.add_unplaced`)
    unplaced: bool = False


#: instruction lines that say how a choice is marked
_CIRCLE_RULE = pattern(r"[○◯〇](?:を|印|で|に)|丸(?:を|印|で)|まる(?:を|で)"
                       r"|(?:該当|当てはまる|あてはまる|希望する|選択する|もの|項目|方)[^\n。]{0,6}[にへ][○◯〇◎]")
_STRIKE_RULE = pattern(r"二重線|取消線|取り消し線|横線|線を引|線で消|抹消|(?:不要|該当しない)[^\n。]{0,12}(?:消|削除)")
#: a mark inside an instruction (「該当するものに☑を付けること」) is no mark
_INSTRUCTION_BEFORE = pattern(r"(?:該当|当てはまる|あてはまる|希望する|選択する|いずれか|もの|項目|箇所|欄|方)"
                              r"[^\n。]{0,6}(?:に|へ|を)[\s\u3000]*[(（]?[\s\u3000]*$")
_INSTRUCTION_AFTER = pattern(r"^[\s\u3000]*[)）]?[\s\u3000]*(?:を|印|で|と)[\s\u3000]*(?:付|つ|記|囲|入|し|選|チェック)"
                                r"|^[\s\u3000]*(?:印|点)(?:を|で)")
#: a blank pair of brackets that stands for an unmarked option where others read 「（○）」
_BLANK_BRACKETS = pattern(r"[（(][\s\u3000]*[）)]")


def conventions(lines: list[Line]) -> set[str]:
    """How the form asks for choices: ``circle`` (該当するものに○), ``strike`` (不要なものを消す)."""
    found: set[str] = set()
    for line in lines:
        text = line.text
        if _CIRCLE_RULE.search(text) and not line.options:
            found.add("circle")
        if _STRIKE_RULE.search(text):
            found.add("strike")
    return found


def find_choices(blocks: list[Block], lines: list[Line]) -> list[Choice]:
    """Every mark that names an option; marks the lines holding one, which end a value.

    Typed and structural boxes always count.  A ○ counts where its convention
    holds: the form asks for ○, or it stands beside empty boxes (「（○）」 against
    「（　）」), or it marks some of the options written in its section and not
    the others (「個別連携協定　○包括連携協定」) — never where the form asks for
    options to be struck out (there ○ is a bullet), never in a section that is
    not a choice (a ○ bullet in the purpose).
    """
    rules = conventions(lines)
    starts = _block_starts(blocks)
    sections = _sections(lines)
    seqs = [_sequence(block) for block in blocks]
    side = _form_side(seqs, starts, lines, sections)
    box_sides = _box_sides(seqs, starts, lines, sections)
    candidates: list[tuple[Choice, int, bool, bool]] = []  # (choice, block, beside empty boxes, own line)
    for bi, seq in enumerate(seqs):
        boxes = [k for k, item in enumerate(seq) if isinstance(item, Box)]
        if not boxes:
            continue
        others = {s for b, s in box_sides if b != bi}
        found = _choices_in(seq, boxes, side, others.pop() if len(others) == 1 else None)
        first = seq[boxes[0]]
        if not found and len(boxes) == 1 and _only_boxes(seq) and isinstance(first, Box):
            found = list(_choices_from_neighbour(blocks, bi, first))
        beside_empty = any(isinstance(x, Box) and not x.checked for x in seq)
        for choice, line_no in found:
            choice.line = starts[bi] + (line_no or 0)
            candidates.append((choice, bi, beside_empty, line_no is not None))
    for bi, block in enumerate(blocks):
        mark = _mark_cell(block)
        if mark is not None:
            for choice, _ in _choices_from_neighbour(blocks, bi, mark):
                choice.kind = "circle" if mark.glyph in _CIRCLES else "box"
                choice.line = starts[bi]
                candidates.append((choice, bi, True, False))
    counted = [c for c in candidates
               if c[0].kind != "circle" or _circle_counts(c[0], c[2], rules, lines, sections)]
    # ◎ is a mark only where circles are the form's way (its instruction, or ○ beside it in the
    # group: 「◎福祉・医療・健康　○子育て」); elsewhere it stays for a person to look at
    circled = {c.group for c, *_ in counted if c.kind == "circle" and c.glyph != "◎"}
    choices: list[Choice] = []
    for choice, _bi, beside_empty, own_line in counted:
        if choice.glyph == "◎" and not (beside_empty or "circle" in rules or choice.group in circled):
            # a ◎ where circles are not the form's way: a mark or a bullet? a person looks
            choice.checked, choice.unplaced = False, True
        choices.append(choice)
        if own_line and choice.line is not None:
            lines[choice.line].options = True
    return choices


def _form_side(seqs: list[list], starts: list[int], lines: list[Line], sections: list[int | None]) -> str | None:
    """How the form's choices type their circles, where every line that says so agrees.

    Each line of a choice section whose circles all touch options on one side
    (「○環境　○子育て」: before; 「環境○　子育て○」: after) says so; a line with
    circles on both sides (「○個別連携協定　包括連携協定○」) says nothing.  One
    answer from all of them settles the lines that cannot settle themselves; none,
    or two, leaves those to a person.
    """
    found: set[str] = set()
    for bi, seq in enumerate(seqs):
        for n, segment in enumerate(_line_segments(seq)):
            head = sections[starts[bi] + n]
            if head is not None and lines[head].label in _CHOICE_SECTIONS \
                    and (side := circle_side(segment)) is not None:
                found.add(side)
    return found.pop() if len(found) == 1 else None


def _box_sides(seqs: list[list], starts: list[int], lines: list[Line],
               sections: list[int | None]) -> list[tuple[int, str]]:
    """(block, side) of every choice line whose ticked or empty boxes all touch options on one side.

    「☑災害対策　☐環境」 says the form puts its boxes before the options; 「災害対策☑　環境☐」
    after them.  A line whose box sits between two options with nothing to tell whose it is
    (「個別連携協定☑　包括連携協定」: a spreadsheet's cells printed side by side) is read by the
    side the other lines show, and left for a person when they show the other side.
    """
    found: list[tuple[int, str]] = []
    for bi, seq in enumerate(seqs):
        for n, segment in enumerate(_line_segments(seq)):
            head = sections[starts[bi] + n]
            if head is None or lines[head].label not in _CHOICE_SECTIONS:
                continue
            boxes = [k for k, item in enumerate(segment) if isinstance(item, Box) and not item.weak]
            if not boxes:
                continue
            afters = [_text_between(segment, k + 1, boxes[m + 1] if m + 1 < len(boxes) else len(segment))[0]
                      for m, k in enumerate(boxes)]
            befores = [_text_between(segment, boxes[m - 1] + 1 if m else 0, k)[0] for m, k in enumerate(boxes)]
            pre = any(_glued_before_option(b, a) for b, a in zip(befores, afters))
            post = any(_glued_after_option(b, a) for b, a in zip(befores, afters))
            if pre != post:
                found.append((bi, "prefix" if pre else "suffix"))
    return found


def _line_segments(seq: list) -> list[list]:
    """A block's sequence cut into its lines (at the ``("\\n", n, …)`` items)."""
    out: list[list] = [[]]
    for item in seq:
        if isinstance(item, tuple) and item[0] == "\n":
            out.append([])
        else:
            out[-1].append(item)
    return out


def _block_starts(blocks: list[Block]) -> list[int]:
    starts, n = [], 0
    for block in blocks:
        starts.append(n)
        n += len(block.lines)
    return starts


def _sections(lines: list[Line]) -> list[int | None]:
    """For each flat line, the line number of the label it falls under (None before the first)."""
    out: list[int | None] = []
    current: int | None = None
    for i, line in enumerate(lines):
        if line.label:
            current = i
        out.append(current)
    return out


_CHOICE_LABELS = {"type": ("type",), "field": ("fields",), "axis": ("axis.choice", "axis.text")}
_CHOICE_SECTIONS = frozenset(label for labels in _CHOICE_LABELS.values() for label in labels)


def _circle_counts(choice: Choice, beside_empty: bool, rules: set[str], lines: list[Line],
                   sections: list[int | None]) -> bool:
    if beside_empty:
        return True
    start = sections[choice.line] if choice.line is not None else None
    if start is None or lines[start].label not in _CHOICE_LABELS[choice.group]:
        return False  # a ○ bullet in a text, not a choice
    if "strike" in rules and "circle" not in rules:
        return False  # the form asks to strike out: ○ is a bullet there
    if "circle" in rules:
        return True
    # some options of the section marked and not the others: a choice; or every option written
    # marked, one ◎ among ○ (「◎福祉・医療・健康　○子育て」): two kinds of mark, so marks, not bullets
    named = _named(choice.group, start, lines)
    marked = _circled(choice.group, _section_lines(start, lines))
    return bool(named - set(marked)) or len(set(marked.values())) > 1


def _section_lines(start: int, lines: list[Line]) -> list[Line]:
    out = []
    for k in range(start, len(lines)):
        if k > start and lines[k].label:
            break
        out.append(lines[k])
    return out


def section_value_text(start: int, lines: list[Line]) -> str:
    """The text of the section headed by line ``start``, without its label and printed notes (「※…」)."""
    vline, vchar = lines[start].value_at
    parts = []
    for k, line in enumerate(_section_lines(start, lines), start):
        if k < vline:
            continue
        text = line.text[vchar:] if k == vline else line.text
        if not NOTE.match(text):
            parts.append(text)
    return "\n".join(parts)


def _named(group: str, start: int, lines: list[Line]) -> set[str]:
    """Options of ``group`` whose names the section's text holds (not struck out)."""
    keys = _option_keys(section_value_text(start, lines), group)
    return {value for opt_key, value in vocab.OPTION_GROUPS[group].items()
            if any(group != "axis" and opt_key in k or group == "axis" and _axis_named(k, opt_key) for k in keys)}


def _option_keys(text: str, group: str) -> list[str]:
    """Keys in which to look for option names: one per line; for 有/無 one per word, between
    blanks or 「・」 (「○無　有（主軸分野：　）」 names both; its line key 「無有…」 would name
    neither).  Brackets keep their contents with the word (「有（主軸分野：環境）」)."""
    if group != "axis":
        return [vocab.key(line) for line in text.split("\n")]
    parts = re.findall(r"[^\s\u3000・･、，,/／（(]+(?:[（(][^）)]*[）)]?)?[^\s\u3000・･、，,/／]*", text)
    return [k for k in (vocab.key(part) for part in parts) if k]


def _axis_named(k: str, opt_key: str) -> bool:
    """Whether the key text names 有/無 as a word: 「有」, 「有（主軸分野：…）」, not 「有効」 or 「無料」."""
    for m in re.finditer(re.escape(opt_key), k):
        if m.start() and k[m.start() - 1].isalnum() and k[m.start() - 1] not in "0123456789":
            continue  # 「主軸分野の有無」, 「特有」
        tail = k[m.end():]
        if not tail or _axis_tail_ok(tail) or not tail[0].isalnum():
            return True
        if opt_key in ("有", "無") and tail[0] in "無有":
            continue
    return False


def _circled(group: str, section: list[Line]) -> dict[str, str]:
    """The options of ``group`` the section marks, each with its kind of mark: ◎, or ○ for any other."""
    out: dict[str, str] = {}
    for line in section:
        seq: list = []
        for piece in line.pieces:
            if isinstance(piece, Box):
                seq.append(piece)
            else:
                seq.extend(_text_items(piece.text, 0, piece.struck, "docx"))
        boxes = [k for k, item in enumerate(seq) if isinstance(item, Box)]
        for choice, _ in _choices_in(seq, boxes) if boxes else []:
            if choice.group == group and choice.checked:
                out[choice.value] = "◎" if choice.glyph == "◎" else "○"
    return out


def struck_options(group: str, section: list[Line]) -> set[str]:
    """Options of ``group`` whose names are struck through in the section."""
    struck = "".join(p.text for line in section for p in line.pieces if isinstance(p, Text) and p.struck)
    k = vocab.key(struck)
    return {value for opt_key, value in vocab.OPTION_GROUPS[group].items() if k and opt_key in k}


def _sequence(block: Block) -> list[Box | tuple[str, int] | tuple[str, int, bool]]:
    """Boxes and (text, line number, struck) items in order; weak boxes that are letters stay text.

    Where the block marks options with a bracketed mark (「（○）」), a blank pair of
    brackets before (or after) an option is that option's empty box.
    """
    seq: list = []
    for n, line in enumerate(block.lines):
        if n:
            seq.append(("\n", n, False))
        for piece in line.pieces:
            if isinstance(piece, Box):
                seq.append(piece)
            else:
                seq.extend(_text_items(piece.text, n, piece.struck, _fmt(block)))
    style = _bracket_style(seq)
    if style:
        seq = _blank_brackets_as_boxes(seq, style)
    return seq


#: circles typed as text that may mark an option: 〇 (the kanji zero), ◎ (often the axis field
#: among ○-marked fields), and ○ / ◯ where the reader left them as letters (glued to a word)
_TEXT_CIRCLES = "〇◎○◯"
#: a circle typed before an option: 「〇包括連携協定」, 「個別・◎福祉」
_CIRCLE_BEFORE = pattern(r"(?:(?<=^)|(?<=[\s\u3000・･、，,/／（(]))[〇◎](?=[^\s\u3000〇◎○◯])")
#: a circle typed right after an option, then a blank, a separator or the line's end:
#: 「包括連携協定○」, 「環境○　子育て○　災害対策」
_CIRCLE_AFTER = pattern(r"(?<=[^\s\u3000〇◎○◯])[〇◎○◯](?=$|[\s\u3000・･、，,/／（(])")


def _text_items(text: str, n: int, struck: bool, fmt: str) -> list:
    """Text as (text, line, struck) items, with a circle typed before an option (〇, ◎) or glued
    right after one (○ ◯ 〇 ◎) as a circle mark; a 〇 in a placeholder 「〇〇〇〇」 stays text."""
    if not any(c in text for c in _TEXT_CIRCLES):
        return [(text, n, struck)]
    marks = [m.start() for m in _CIRCLE_BEFORE.finditer(text) if _option_of(text[m.end():]) is not None]
    marks += [m.start() for m in _CIRCLE_AFTER.finditer(text)
              if m.start() not in marks and _option_before_mark(text[:m.start()]) is not None]
    out: list = []
    pos = 0
    for at in sorted(marks):
        if at > pos:
            out.append((text[pos:at], n, struck))
        out.append(Box(True, f"{fmt}:glyph", text[at], weak=True, struck=struck))
        pos = at + 1
    if pos < len(text):
        out.append((text[pos:], n, struck))
    return out


def _bracket_style(seq: list) -> str | None:
    """"prefix" when a bracketed mark stands before its option (「（○）包括」), "suffix" after it."""
    for k, item in enumerate(seq):
        if not isinstance(item, Box) or not item.checked:
            continue
        before = seq[k - 1][0] if k and isinstance(seq[k - 1], tuple) else ""
        after = seq[k + 1][0] if k + 1 < len(seq) and isinstance(seq[k + 1], tuple) else ""
        if before.rstrip(" \u3000")[-1:] in "（(" and after.lstrip(" \u3000")[:1] in "）)" and after.strip():
            named_before = before.rstrip(" \u3000")[:-1]
            # 「個別連携協定（○）」; not 「（　）環境、（○）子育て」, where 「、」 ends 環境 and the bracket opens 子育て
            if named_before and not named_before[-1].isspace() and named_before[-1] not in "、，,・" \
                    and _ends_with_option(named_before):
                return "suffix"
            return "prefix"
    return None


def _blank_brackets_as_boxes(seq: list, style: str) -> list:
    out: list = []
    for item in seq:
        if isinstance(item, Box) or item[0] == "\n":
            out.append(item)
            continue
        text, n, struck = item
        pos = 0
        for m in _BLANK_BRACKETS.finditer(text):
            before, after = text[pos:m.start()], text[m.end():]
            glued_after = _option_of(after) is not None
            glued_before = bool(before) and not before[-1].isspace() and _ends_with_option(before)
            if (style == "prefix" and glued_after and (not before or before[-1] in " \u3000\t、，,・"))\
                    or (style == "suffix" and glued_before):
                if before:
                    out.append((before, n, struck))
                out.append(Box(False, "docx:text", m.group(0), struck=struck))
                pos = m.end()
        if pos < len(text):
            out.append((text[pos:], n, struck))
    return out


def _ends_with_option(text: str) -> bool:
    k = vocab.key(text)
    return any(k.endswith(opt_key) for options in vocab.OPTION_GROUPS.values() for opt_key in options)


def _text_between(seq: list, start: int, stop: int) -> tuple[str, int | None, bool]:
    """The text between two items, its first line, and whether all its words are struck through."""
    text, line_no = "", None
    struck_any, plain_any = False, False
    for item in seq[start:stop]:
        if isinstance(item, tuple):
            text += item[0]
            if item[0].strip():
                if line_no is None:
                    line_no = item[1]
                if len(item) > 2 and item[2]:
                    struck_any = True
                else:
                    plain_any = True
    return text, line_no, struck_any and not plain_any


def _line_of_box(seq: list, k: int) -> int:
    for item in reversed(seq[:k]):
        if isinstance(item, tuple) and item[0] == "\n":
            return item[1]
    return 0


def _line_before(seq: list, k: int) -> str:
    """The text on the box's line before it."""
    text = ""
    for item in reversed(seq[:k]):
        if isinstance(item, tuple):
            if item[0] == "\n":
                break
            text = item[0] + text
    return text


def _choices_in(seq: list, boxes: list[int], side: str | None = None,
                box_side: str | None = None) -> list[tuple[Choice, int | None]]:
    """The choices the marks of one block make.

    ``box_side`` is the side the form's other choice lines put their boxes on
    (:func:`_box_sides`): a box with an option on each side that this block's glue
    reads the other way is left for a person (「個別連携協定☑　包括連携協定」 where every
    other line reads 「☑環境」: 個別 by the glue, 包括 by the form).

    ``side`` is the form's settled way of typing circles (「prefix」: 「○環境」, 「suffix」:
    「環境○」, see :func:`circle_side`); it decides circles this block leaves open —
    circles glued before some options and after others (「○個別連携協定　包括連携協定○」),
    or one between two options with blanks on both sides.  Without it such circles
    are unplaced: a person decides, the reader does not guess.
    """
    afters = [_text_between(seq, k + 1, boxes[n + 1] if n + 1 < len(boxes) else len(seq))
              for n, k in enumerate(boxes)]
    befores = [_text_between(seq, boxes[n - 1] + 1 if n else 0, k) for n, k in enumerate(boxes)]
    # 「☑包括連携協定」 (box first) is the norm; 「包括連携協定☑」 is read when marks are
    # glued to the end of more options than to the start (「環境○　子育て」: the blank
    # says which option the mark belongs to), or, with no glue either way, when more
    # marks make sense that way
    prefix_hits = sum(_option_of(a[0]) is not None for a in afters)
    suffix_hits = sum(_option_before_mark(b[0]) is not None for b in befores)
    prefix_glue = sum(_glued_before_option(b[0], a[0]) for b, a in zip(befores, afters))
    suffix_glue = sum(_glued_after_option(b[0], a[0]) for b, a in zip(befores, afters))
    brackets = _bracket_style(seq)
    # 「個別連携協定（　）　包括連携協定（○）」: the brackets say which side names the option
    suffix_style = brackets == "suffix" or (brackets is None and (
        suffix_glue > prefix_glue or (suffix_glue == prefix_glue and suffix_hits > prefix_hits)))
    # circles touching options on both sides: the block alone cannot say whose each one is
    mixed = brackets is None and _circle_glue(seq, boxes, befores, afters) == (True, True)
    # a circle with an option on both sides and blanks between: 「個別連携協定　○　包括連携協定」
    between = {n for n, k in enumerate(boxes)
               if seq[k].weak and seq[k].glyph in _CIRCLES and prefix_glue == suffix_glue and brackets is None
               and _option_of(afters[n][0]) is not None and _option_before_mark(befores[n][0]) is not None}
    if side is not None and (mixed or between):
        suffix_style = side == "suffix"
    # boxes read against the side the form's other lines show: whose is a box between two options?
    against = brackets is None and box_side is not None and box_side != ("suffix" if suffix_style else "prefix")
    out: list[tuple[Choice, int | None]] = []
    for n, k in enumerate(boxes):
        box: Box = seq[k]
        circle = box.weak and box.glyph in _CIRCLES
        if _in_instruction(_line_before(seq, k), afters[n][0]):
            continue  # 「該当するものに☑を付けること」, 「（該当に☑）」: the mark of an instruction
        if against and not box.weak and box.checked and _option_of(afters[n][0]) is not None \
                and _option_before_mark(befores[n][0]) is not None:
            unplaced = _unplaced(box, befores[n][0], afters[n][0])
            if unplaced is not None:
                unplaced.kind = "box"
                out.append((unplaced, _line_of_box(seq, k)))
            continue
        if circle and side is None and (mixed or n in between):
            # 「個別連携協定　○　包括連携協定」, 「○個別　包括○」: nothing says which option the ○ belongs to
            unplaced = _unplaced(box, befores[n][0], afters[n][0])
            if unplaced is not None:
                out.append((unplaced, _line_of_box(seq, k)))
            continue
        text, _, struck = befores[n] if suffix_style else afters[n]
        opt: tuple[str, str] | None
        if suffix_style:
            # the option nearest the mark: 「個別連携協定　包括連携協定○」 marks 包括
            ending = _option_before_mark(text)
            if ending is not None:
                opt, text = (ending[0], ending[1]), text[ending[2]:]
                if opt[1] == vocab.OTHER:  # 「その他☑（農業体験）」: its words in the bracket after the mark
                    text += _bracket_after(afters[n][0])
            else:
                opt = None if brackets == "suffix" else _option_of(text)
        else:
            opt = _option_of(text)
        if opt is None:
            continue
        if box.weak and not text[:1].strip() and box.glyph not in CIRCLE_MARKS:
            continue  # 「レ 」 followed by a space is a letter, not a tick
        group, value = opt
        kind = "circle" if circle else "box"
        out.append((Choice(group, value, box.checked, box.source, text, kind, struck or box.struck, box.conflict,
                           glyph=box.glyph), _line_of_box(seq, k)))
    return out


def _circle_glue(seq: list, boxes: list[int], befores: list, afters: list) -> tuple[bool, bool]:
    """(a circle glued before an option, a circle glued after one) in the block."""
    before = after = False
    for n, k in enumerate(boxes):
        box = seq[k]
        if not (box.weak and box.glyph in _CIRCLES) or _in_instruction(_line_before(seq, k), afters[n][0]):
            continue
        before = before or _glued_before_option(befores[n][0], afters[n][0])
        after = after or _glued_after_option(befores[n][0], afters[n][0])
    return before, after


def circle_side(seq: list) -> str | None:
    """How the block types its circles, where it says so alone: 「prefix」 (「○環境　○子育て」,
    「（○）環境」) or 「suffix」 (「環境○　子育て○」, 「環境（○）」); None where it has no circle
    touching an option, or circles touching options on both sides."""
    boxes = [k for k, item in enumerate(seq) if isinstance(item, Box)]
    if not any(seq[k].weak and seq[k].glyph in _CIRCLES for k in boxes):
        return None
    brackets = _bracket_style(seq)
    if brackets is not None:
        return brackets
    afters = [_text_between(seq, k + 1, boxes[n + 1] if n + 1 < len(boxes) else len(seq))
              for n, k in enumerate(boxes)]
    befores = [_text_between(seq, boxes[n - 1] + 1 if n else 0, k) for n, k in enumerate(boxes)]
    glue = _circle_glue(seq, boxes, befores, afters)
    return {(True, False): "prefix", (False, True): "suffix"}.get(glue)


def _unplaced(box: Box, before: str, after: str) -> Choice | None:
    """The mark of a circle no option can be given to, in the group of the options it stands by."""
    opt = _option_of(after) if _glued_before_option(before, after) else None
    if opt is None:
        ending = _option_before_mark(before)
        opt = (ending[0], ending[1]) if ending is not None else _option_of(after)
    if opt is None:
        return None
    return Choice(opt[0], opt[1], False, box.source, before + box.glyph + after, "circle", box.struck,
                  glyph=box.glyph, unplaced=True)


_BLANK_OR_SEPARATOR = " \u3000\t・･、，,/／"


def _glued_before_option(before: str, after: str) -> bool:
    """「○包括連携協定」: the mark touches the option after it and not a word before it."""
    return (not before or before[-1] in _BLANK_OR_SEPARATOR + "\n（(") and bool(after) \
        and after[0] not in _BLANK_OR_SEPARATOR and _option_of(after) is not None


def _glued_after_option(before: str, after: str) -> bool:
    """「包括連携協定○」, 「環境○　子育て」: the mark touches the option's end, a blank (or the line's end) follows."""
    return bool(before) and before[-1] not in _BLANK_OR_SEPARATOR + "\n" \
        and (not after or after[0] in _BLANK_OR_SEPARATOR + "\n") and _option_before_mark(before) is not None


def _in_instruction(before: str, after: str) -> bool:
    if _INSTRUCTION_AFTER.match(after):
        return True
    if _INSTRUCTION_BEFORE.search(before) and _OPEN_BRACKET.search(before):
        return True  # 「（該当に☑」 whose bracket a spreadsheet's narrow cell cut off when printed
    return bool(_INSTRUCTION_BEFORE.search(before)) and after.lstrip(" \u3000")[:1] in ")）"


#: an instruction opened by a bracket that is still open at the mark: 「連携協定の種別（該当に」
_OPEN_BRACKET = pattern(r"[（(][^）)\n]{0,12}$")


def _only_boxes(seq: list) -> bool:
    return not any(isinstance(item, tuple) and item[0].strip() for item in seq)


#: a cell holding nothing but a mark: ○ typed alone, 「レ」, a tick
_MARK_CELL = frozenset("○◯〇◎✓✔レﾚ☑☒■●")
_CIRCLES = CIRCLE_MARKS | {"〇", "◎"}


def _mark_cell(block: Block) -> Box | None:
    """A table cell whose only content is a mark typed as a letter (a lone ○ is text to the reader)."""
    if block.table is None or block.has_box():
        return None
    text = block.text.strip(" \u3000\t\n")
    if len(text) == 1 and text in _MARK_CELL:
        return Box(True, f"{_fmt(block)}:glyph", text, weak=True)
    return None


def _fmt(block: Block) -> str:
    return block.source.split(":")[0]


def _choices_from_neighbour(blocks: list[Block], bi: int, box: Box) -> list[tuple[Choice, int | None]]:
    """A cell holding only a mark: its option is in the cell beside it, or above or below it.

    Which side is read from the row: where the row's last option has an empty or
    marked cell after it, marks stand after their options, else before them.
    """
    block = blocks[bi]
    if block.table is None:
        return []
    target = _cell_for_mark(blocks, bi)
    if target is None:
        return []
    unsure = target < 0
    target = -target - 1 if unsure else target
    opt = _option_of(blocks[target].text)
    if not opt:
        return []
    kind = "circle" if box.weak and box.glyph in _CIRCLES else "box"
    if unsure and box.checked:
        # a mark cell between two option cells, and the row says nothing of which side is whose
        return [(Choice(opt[0], opt[1], False, box.source, blocks[target].text, kind, box.struck,
                        glyph=box.glyph, unplaced=True), None)]
    return [(Choice(opt[0], opt[1], box.checked, box.source, blocks[target].text, kind,
                    box.struck, box.conflict, glyph=box.glyph), None)]


def _row_side(kinds: list[str]) -> str | None:
    """``after`` or ``before``: where a row of cells (``_kind``) puts the mark of each option."""
    options = [n for n, k in enumerate(kinds) if k == "O"]
    if not options or "M" not in kinds:
        return None
    after = all(n + 1 < len(kinds) and kinds[n + 1] in ("M", "E") for n in options)
    before = all(n > 0 and kinds[n - 1] in ("M", "E") for n in options)
    if after != before:
        return "after" if after else "before"
    # both sides possible because an empty cell ends the row (「□｜個別｜☑｜包括｜　」): the side where
    # every option has a mark cell beside it, not merely an empty one
    mark_after = all(n + 1 < len(kinds) and kinds[n + 1] == "M" for n in options)
    mark_before = all(n > 0 and kinds[n - 1] == "M" for n in options)
    if mark_after != mark_before:
        return "after" if mark_after else "before"
    marked_after = any(n + 1 < len(kinds) and kinds[n + 1] == "M" for n in options)
    marked_before = any(n > 0 and kinds[n - 1] == "M" for n in options)
    if marked_after != marked_before:
        return "after" if marked_after else "before"
    return None


def _kind(block: Block) -> str:
    if block.has_box() or _mark_cell(block) is not None:
        return "M"
    if block.is_blank():
        return "E"
    return "O" if _option_of(block.text) else "L"


def _cell_for_mark(blocks: list[Block], bi: int) -> int | None:
    """The option cell a mark cell stands for; ``-k - 1`` for cell ``k`` when the row cannot say."""
    block = blocks[bi]
    row = [k for k in range(len(blocks)) if blocks[k].table == block.table and blocks[k].row == block.row]
    pos = row.index(bi)
    left = row[pos - 1] if pos else None
    right = row[pos + 1] if pos + 1 < len(row) else None
    lo = left is not None and _kind(blocks[left]) == "O"
    ro = right is not None and _kind(blocks[right]) == "O"
    if lo and ro and left is not None and right is not None:
        # marks follow their options where every option of the row has a mark (or empty) cell
        # after it, and precede them where every option has one before it; a row saying both or
        # neither takes what the table's other rows say, and else leaves the mark to a person
        side = _row_side([_kind(blocks[k]) for k in row])
        if side is None:
            others = {_row_side([_kind(blocks[k]) for k in range(len(blocks))
                                 if blocks[k].table == block.table and blocks[k].row == r])
                      for r in {b.row for b in blocks if b.table == block.table and b.row != block.row}}
            others.discard(None)
            side = others.pop() if len(others) == 1 else None
        if side is None:
            return -right - 1
        return left if side == "after" else right
    if ro:
        return right
    if lo:
        return left
    # a row of marks under (or over) a row of options: the cell on the same grid column
    for other in (block.row - 1, block.row + 1) if block.row is not None else ():
        for k in range(len(blocks)):
            b = blocks[k]
            if b.table == block.table and b.row == other and b.col is not None and block.col is not None \
                    and b.col < block.col + block.span and block.col < b.col + b.span and _kind(b) == "O":
                return k
    return None


#: what may stand between a mark and its option: the bracket closing 「（レ）」, a number 「①」 「1.」 「(1)」
_BEFORE_OPTION = pattern(r"^[\s\u3000]*[)）\]］】〕]?[\s\u3000]*"
                         r"(?:(?:[(（]?[0-9０-９]{1,2}[)）.．、]|[①-⑳⑴-⒇])[\s\u3000]*)?")


def _option_of(text: str) -> tuple[str, str] | None:
    text = _BEFORE_OPTION.sub("", text, count=1)
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
    if best[1] == "axis" and len(k) > best[0] and not _axis_tail_ok(k[best[0]:]) \
            and not _AXIS_WORD.match(text):
        return None
    return best[1], best[2]


def _option_ending(text: str) -> tuple[str, str] | None:
    """The option whose name ends ``text``: 「【連携協定の種別】個別連携協定（」 → individual.

    The name must stand as a word: 「有（○）」 after 「】」 or a blank is the axis choice,
    「特有（○）」 is not.
    """
    found = _option_ending_at(text)
    return (found[0], found[1]) if found else None


def _option_ending_at(text: str) -> tuple[str, str, int] | None:
    """:func:`_option_ending`, with where the option's name starts in ``text``."""
    text = text.rstrip(" \u3000\t（(")
    best: tuple[int, str, str, int] | None = None
    for n in range(1, min(len(text), vocab.LONGEST_OPTION + 8) + 1):
        k = vocab.key(text[-n:])
        for group, options in vocab.OPTION_GROUPS.items():
            value = options.get(k)
            if value is None or (best is not None and best[0] >= len(k)):
                continue
            before = text[-n - 1:-n] if n < len(text) else ""
            if group == "axis" and before.isalnum():
                continue
            best = (len(k), group, value, len(text) - n)
    return (best[1], best[2], best[3]) if best else None


#: the bracket an option may carry before a mark after it: 「有（主軸分野：環境）○」, 「その他（農業）○」
_TRAILING_BRACKET = pattern(r"[（(][^（()）]*[）)][\s\u3000]*$")


def _option_before_mark(text: str) -> tuple[str, str, int] | None:
    """The option a mark typed after it belongs to: the one whose name (and its bracket) ends ``text``."""
    text = text.rstrip(" \u3000\t")
    found = _option_ending_at(text)
    if found is None:
        m = _TRAILING_BRACKET.search(text)
        if m and m.start():
            found = _option_ending_at(text[:m.start()])
            if found is not None and found[0] != "axis" and found[1] != vocab.OTHER:
                return None  # only 有（主軸分野：…） and その他（…） carry a bracket of their own
    return found


#: 有/無 written as a word of its own: 「無　有（…）」, 「有・無」
_AXIS_WORD = pattern(r"^[\s\u3000]*(?:有|無|あり|なし)(?=[\s\u3000・･、，,/／]|$)")


def _axis_tail_ok(tail: str) -> bool:
    return tail.startswith(("主軸", "(", "（", "※", "→")) or tail[:1] in ":："


#: the label heading each option group, and the JSON path its choice fills
GROUP_LABEL = {"type": "type", "field": "fields", "axis": "axis.choice"}
GROUP_PATH = {"type": "agreement_type", "field": "fields", "axis": "axis.present"}


def apply_choices(p: Proposal, choices: list[Choice], lines: list[Line], blocks: list[Block],
                  fmt: str) -> None:
    """Set agreement type, fields, その他's text and whether there is an axis on ``p``."""
    by_group: dict[str, list[Choice]] = {"type": [], "field": [], "axis": []}
    for choice in choices:
        by_group[choice.group].append(choice)

    ticked_types = _settle(p, "type", by_group["type"], lines, blocks, fmt)
    p.types_ticked = [v for v in ("individual", "comprehensive") if v in ticked_types]
    if len(p.types_ticked) == 1:
        p.agreement_type = p.types_ticked[0]
        p.sources["agreement_type"] = ticked_types[p.agreement_type]

    ticked_fields = _settle(p, "field", by_group["field"], lines, blocks, fmt)
    p.fields = [name for name in vocab.ALL_FIELDS if name in ticked_fields]
    if p.fields:
        p.sources["fields"] = ticked_fields[p.fields[0]]
    p.other_field_text = None
    if vocab.OTHER in ticked_fields:
        other = next((c for c in by_group["field"] if c.value == vocab.OTHER and c.checked), None)
        if other is not None:
            p.other_field_text = _other_text(other.after) or _other_on_next_line(other, lines)
        else:  # chosen by writing (or leaving) 「その他（…）」 in the text
            p.other_field_text = _other_in_text(lines)
        if p.other_field_text:
            p.sources["other_field_text"] = other.source if other else f"{fmt}:text"

    ticked_axis = _settle(p, "axis", by_group["axis"], lines, blocks, fmt)
    p.axis_ticked = [v == "yes" for v in ("yes", "no") if v in ticked_axis]
    present = p.axis_ticked[0] if len(p.axis_ticked) == 1 else None
    p.axis = Axis(present=present)
    if present is not None:
        p.sources["axis.present"] = ticked_axis["yes" if present else "no"]


def apply_axis_mark(p: Proposal, choices: list[Choice], lines: list[Line]) -> None:
    """「◎福祉・医療・健康　○子育て」: the field marked ◎ among fields marked otherwise is the axis.

    Read only where the applicant chose 有 and wrote no axis field; without an
    axis choice nothing is invented (有 stays unset), and ◎ on every chosen field
    is just the applicant's mark.  Two fields marked ◎ among ○, or a ◎ on another
    field than the axis written, are left for a person (a review item quoting the line).
    """
    if p.axis.present is not True:
        return
    marked = [c for c in choices if c.group == "field" and c.checked and c.value in p.fields]
    double = [c for c in marked if c.glyph == "◎"]
    if not double or all(c.glyph == "◎" for c in marked):
        return
    values = {c.value for c in double}
    if len(values) == 1 and not p.axis.text:
        p.axis.text = double[0].value
        p.axis.field = vocab.resolve_field(double[0].value)
        p.sources["axis.text"] = double[0].source
    elif len(values) > 1 or p.axis.field not in values:
        shown = dict.fromkeys(display_line(lines, c.line) or c.after for c in double)
        p.doubts.append(Doubt("review_mark_conflict", "axis.field", " ".join(shown)))


def _settle(p: Proposal, group: str, choices: list[Choice], lines: list[Line], blocks: list[Block],
            fmt: str) -> dict[str, str]:
    """The options chosen in ``group``: marks first, then what striking out or deleting left.

    Marks that contradict each other (a box whose structure and glyph disagree, a
    ticked option struck out) become doubts for a person, never a guess.
    """
    path = GROUP_PATH[group]
    for choice in choices:
        if choice.conflict or (choice.checked and choice.struck):
            original = lines[choice.line].text if choice.line is not None else choice.after
            p.doubts.append(Doubt("review_mark_conflict", path, display_line(lines, choice.line) or original))
    # a mark no option could be given (a doubt, :func:`~.doubts.add_unplaced`): the group is
    # what the placed marks say, never read from the options named instead
    unplaced = any(c.unplaced for c in choices)
    ticked = _ticked(choices)
    struck = _struck_in_group(group, lines)
    if not ticked and not unplaced and (struck or not choices):
        ticked = _text_selection(lines, blocks, GROUP_LABEL[group], group, fmt, struck=bool(struck))
    return ticked


def display_line(lines: list[Line], n: int | None) -> str:
    """A line as the form shows it, struck words in 「~~…~~」 and boxes as their glyphs."""
    if n is None:
        return ""
    out = []
    for piece in lines[n].pieces:
        if isinstance(piece, Box):
            out.append(piece.glyph or ("☑" if piece.checked else "☐"))
        elif piece.struck and piece.text.strip():
            out.append(f"~~{piece.text}~~")
        else:
            out.append(piece.text)
    return "".join(out).strip(" \u3000\t")


def _struck_in_group(group: str, lines: list[Line]) -> set[str]:
    out: set[str] = set()
    for i, line in enumerate(lines):
        if line.label == GROUP_LABEL[group]:
            out |= struck_options(group, _section_lines(i, lines))
    return out


def _other_in_text(lines: list[Line]) -> str | None:
    """The free text of 「その他（…）」 written in the fields' section."""
    for i, line in enumerate(lines):
        if line.label == "fields":
            text = section_value_text(i, lines)
            m = re.search(r"そ[\s\u3000]*の[\s\u3000]*他", text)
            if m:
                return _other_text(text[m.start():])
    return None


def _ticked(choices: list[Choice]) -> dict[str, str]:
    """Checked option -> source; structure (sdt, form field, symbol) outranks glyphs."""
    out: dict[str, str] = {}
    for choice in choices:
        if choice.checked and choice.value not in out:
            out[choice.value] = choice.source
    return out


def _text_selection(lines: list[Line], blocks: list[Block], label: str, group: str,
                    fmt: str, struck: bool = False) -> dict[str, str]:
    """No checkboxes at all (a re-typed form): take the options named after the label.

    Fields may be asked for on rows of their own (「連携の分野１」「連携の分野２」,
    a drop-down list each): every such row counts.
    """
    heads = [i for i, line in enumerate(lines) if line.label == label]
    if group == "field" and len(heads) > 1:
        texts = ["\n".join(_section_text(i, lines, blocks) for i in heads)]
    else:
        # the label may stand twice: in its cell with a note, and again before the answer
        # (「主軸分野の有無：」 then a drop-down list showing 「有」): the first that answers
        texts = [t for t in (_section_text(i, lines, blocks) for i in heads) if t.strip()][:1] or [""]
    for text in texts:
        by_number = numbered_answer(text, lines, group)
        if by_number:  # 「（該当する番号を記入）：２、１１」 under 「①災害対策　②環境 …」
            return {value: f"{fmt}:text" for value in by_number}
        keys = _option_keys(text, group)
        found: dict[str, str] = {}
        for opt_key, value in vocab.OPTION_GROUPS[group].items():
            if group == "axis":
                # 「有」, or 「有（主軸分野：環境）」: the word, then only what may follow it
                if any(_axis_named(k, opt_key) for k in keys):
                    found[value] = f"{fmt}:text"
            elif any(opt_key in k for k in keys):
                found[value] = f"{fmt}:text"
        if group in ("type", "axis") and len(found) > 1:
            return {}  # both named: the form's printed options, not a choice
        if group == "field" and len(found) >= len(vocab.FIELDS) - 2 and not struck:
            return {}  # (nearly) every field named: the printed list whose boxes were lost
        if group == "field" and not found and not struck:
            found = {value: f"{fmt}:text" for value in _fields_in_short(text)}
        return found
    return {}


def _fields_in_short(text: str) -> list[str]:
    """Fields written in short (「観光、スポーツ」): only when every word written names exactly one field."""
    text = re.sub(r"[（(][^）)]*[）)]", " ", text).strip(" \u3000\t:：")
    words = [w for w in re.split(r"[、，,／/;；\s\u3000]+", text) if w]
    fields = [vocab.resolve_field(w) for w in words]
    if not words or len(words) > len(vocab.FIELDS) or any(f is None for f in fields):
        return []
    return [f for f in vocab.ALL_FIELDS if f in fields]


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


def _other_on_next_line(other: Choice, lines: list[Line]) -> str | None:
    """「☑その他」 ending its line, 「（農業体験）」 opening the next line (a paragraph of its own)."""
    n = other.line
    if n is None or n + 1 >= len(lines) or lines[n + 1].label or lines[n + 1].options \
            or not vocab.key(lines[n].text).endswith(vocab.key(vocab.OTHER)):
        return None
    return _other_text(f"{vocab.OTHER}\n{lines[n + 1].text}")


def _bracket_after(text: str) -> str:
    """The bracket ``text`` opens with, blanks and one line break before it allowed: 「（農業体験）」."""
    m = _OPENING_BRACKET.match(text)
    return m.group(1) if m else ""


#: a bracket standing first, on this line or at the start of the next: 「　（農業体験）」, 「\n（農業体験）」
_OPENING_BRACKET = pattern(r"[ \u3000\t]*\n?[ \u3000\t]*([（(「［\[][^\n]*)")


def _other_text(after: str) -> str | None:
    """The free text of 「その他（　…　）」; the bracket may open the next line (「☑その他」 / 「（農業体験）」)."""
    text = _BEFORE_OPTION.sub("", after.strip(" \u3000\t\n"), count=1)
    k = 0
    # skip the word その他 itself, whatever its width or spacing
    consumed = ""
    while k < len(text) and vocab.key(consumed) != vocab.key(vocab.OTHER):
        consumed += text[k]
        k += 1
    rest = text[k:].lstrip(" \u3000\t")
    rest = _bracket_after(rest) or rest
    if rest[:1] in CLOSE:
        inner = rest[1:].split(CLOSE[rest[0]], 1)[0]
    else:
        inner = strip_separators(rest).split("\n", 1)[0]
    inner = inner.strip(" \u3000\t\n")
    # 「その他（※具体的に記入）」: the form's own direction, not the applicant's words
    return None if not inner or PLACEHOLDER.match(inner) or NOTE.match(inner) else inner
