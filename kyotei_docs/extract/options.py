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
    checked: bool = False
    source: str = ""
    after: str = ""  # the text that named the option, for その他's free text
    #: a circle (○ typed before, after or around an option), not a box (a checkbox, typed ☑/■, レ)
    circle: bool = False
    #: the option's name is struck through
    struck: bool = False
    #: the box's structure and glyph disagree (see :class:`~kyotei_docs.form.Box`)
    conflict: bool = False
    #: flat line number of the mark, for the original text of a review item (set by :func:`find_choices`)
    line: int = 0
    #: the mark as typed (「◎」 marks the axis field among fields marked 「○」)
    glyph: str = ""
    #: a mark the reader could not place on an option (「○個別　包括○」: which side is whose?);
    #: never checked, it makes the group a review item (:func:`~.doubts.add_unplaced`, which quotes
    #: the mark's line): only its group, line and whether it is a circle are read
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
                choice.line = starts[bi]
                candidates.append((choice, bi, True, False))
    marks = [c for c, *_ in candidates]
    counted = [c for c in candidates if not c[0].circle or _circle_counts(c[0], c[2], rules, lines, sections, marks)]
    # ◎ is a mark only where circles are the form's way (its instruction, or ○ beside it in the
    # group: 「◎福祉・医療・健康　○子育て」); elsewhere it stays for a person to look at
    circled = {c.group for c, *_ in counted if c.circle and c.glyph != "◎"}
    choices: list[Choice] = []
    for choice, _bi, beside_empty, own_line in counted:
        if choice.glyph == "◎" and not (beside_empty or "circle" in rules or choice.group in circled):
            # a ◎ where circles are not the form's way: a mark or a bullet? a person looks
            choice.checked, choice.unplaced = False, True
        choices.append(choice)
        if own_line:
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
            befores, afters = _around(segment, boxes)
            pre = any(_glued_before_option(b[0], a[0]) for b, a in zip(befores, afters))
            post = any(_glued_after_option(b[0], a[0]) for b, a in zip(befores, afters))
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
                   sections: list[int | None], marks: list[Choice]) -> bool:
    """Whether a circle marks its option: beside empty boxes, or in a choice section where the form asks
    for circles, or marks some options of its section and not the others (never where the form asks
    for options to be struck out and not circled: there ○ is a bullet)."""
    if beside_empty:
        return True
    start = sections[choice.line]
    if start is None or lines[start].label not in _CHOICE_LABELS[choice.group]:
        return False  # a ○ bullet in a text, not a choice
    if "strike" in rules and "circle" not in rules:
        return False  # the form asks to strike out: ○ is a bullet there
    if "circle" in rules:
        return True
    # some options of the section marked and not the others: a choice; or every option written
    # marked, one ◎ among ○ (「◎福祉・医療・健康　○子育て」): two kinds of mark, so marks, not bullets
    named = set(_names_in(section_value_text(start, lines), choice.group))
    marked = [c for c in marks if c.group == choice.group and c.checked and sections[c.line] == start]
    return bool(named - {c.value for c in marked}) \
        or any(c.glyph == "◎" for c in marked) and any(c.glyph != "◎" for c in marked)


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


def _names_in(text: str, group: str) -> list[str]:
    """Options of ``group`` whose names ``text`` holds: 「有」 and 「無」 as words of their own
    (「有（主軸分野：環境）」, not 「有効」)."""
    keys = _option_keys(text, group)
    return list(dict.fromkeys(value for opt_key, value in vocab.OPTION_GROUPS[group].items()  # 個別連携協定, 個別: one
                              if any(_axis_named(k, opt_key) if group == "axis" else opt_key in k for k in keys)))


def _option_keys(text: str, group: str) -> list[str]:
    """Keys in which to look for option names: the whole text, so that a name wrapped in a narrow
    cell is found (「観光・魅力」 / 「発信」); for 有/無 one per word, between blanks or 「・」
    (「○無　有（主軸分野：　）」 names both; its key 「無有…」 would name neither).  Brackets keep
    their contents with the word (「有（主軸分野：環境）」)."""
    if group != "axis":
        return [vocab.key(text)]
    parts = re.findall(r"[^\s\u3000・･、，,/／（(]+(?:[（(][^）)]*[）)]?)?[^\s\u3000・･、，,/／]*", text)
    return [k for k in (vocab.key(part) for part in parts) if k]


def _axis_named(k: str, opt_key: str) -> bool:
    """Whether the key text names 有/無 as a word: 「有」, 「有（主軸分野：…）」, not 「有効」 or 「無料」."""
    for m in re.finditer(re.escape(opt_key), k):
        if m.start() and k[m.start() - 1].isalpha():
            continue  # 「主軸分野の有無」, 「特有」
        tail = k[m.end():]
        if not tail or _axis_tail_ok(tail) or not tail[0].isalnum():
            return True  # 「有」, 「有（主軸分野：…）」; not 「有無」 or 「有効」: the next occurrence may be the word
    return False


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
    marks = [m.start() for m in _CIRCLE_BEFORE.finditer(text) if _option_of(text[m.end():]) is not None]
    marks += [m.start() for m in _CIRCLE_AFTER.finditer(text)
              if m.start() not in marks and _option_before_mark(text[:m.start()]) is not None]
    out: list = []
    pos = 0
    for at in sorted(marks):  # an empty piece of text between two marks is no word
        out += [(text[pos:at], n, struck), Box(True, f"{fmt}:glyph", text[at], weak=True)]
        pos = at + 1
    return [*out, (text[pos:], n, struck)]


def _bracket_style(seq: list) -> str | None:
    """"prefix" when a bracketed mark stands before its option (「（○）包括」), "suffix" after it."""
    for k in range(1, len(seq) - 1):
        before, item, after = seq[k - 1:k + 2]
        if not (isinstance(item, Box) and item.checked and isinstance(before, tuple) and isinstance(after, tuple)):
            continue
        before, after = before[0], after[0]
        opened, closed = _MARK_OPENED.search(before), _MARK_CLOSED.match(after)
        if opened and closed:
            named_before = before[:opened.start()]
            # 「個別連携協定（○）」, 「子育て支援（○）　人材育成（　）」 (glued to the words before it, a blank
            # after it); not 「（　）環境、（○）子育て」, where 「、」 ends 環境 and the bracket opens 子育て
            suffix = named_before[-1:] not in _ENDS and (
                _ends_with_option(named_before) or after[closed.end():closed.end() + 1] in _ENDS)
            return "suffix" if suffix else "prefix"
    return None


#: a mark in brackets: the bracket before it (or nothing) and the one after it, blanks inside: 「（ ○ ）」
_MARK_OPENED = pattern(r"[（(][ \u3000]*\Z")
_MARK_CLOSED = pattern(r"^[ \u3000]*[）)]")


def _blank_brackets_as_boxes(seq: list, style: str) -> list:
    """The blank brackets of a block marked with 「（○）」 as the empty boxes of the options they touch."""
    out: list = []
    for item in seq:
        if isinstance(item, Box) or item[0] == "\n":
            out.append(item)
            continue
        text, n, struck = item
        pos = 0
        for m in _BLANK_BRACKETS.finditer(text):
            before, after = text[pos:m.start()], text[m.end():]
            if style == "prefix" and before[-1:] in _BLANK_OR_SEPARATOR and _option_of(after) is not None \
                    or style == "suffix" and before[-1:] not in _ENDS and _ends_with_option(before):
                if before:
                    out.append((before, n, struck))
                out.append(Box(False, "docx:text"))  # never ticked: its glyph and whether struck are never asked
                pos = m.end()
        out.append((text[pos:], n, struck))  # an empty rest is no word
    return out


def _ends_with_option(text: str) -> bool:
    k = vocab.key(text)
    return any(k.endswith(opt_key) for options in vocab.OPTION_GROUPS.values() for opt_key in options)


def _text_between(seq: list, start: int, stop: int) -> tuple[str, bool]:
    """The text between two items, and whether all its words are struck through."""
    items = [item for item in seq[start:stop] if isinstance(item, tuple)]
    words = [item for item in items if item[0].strip()]
    return "".join(item[0] for item in items), all(item[2] for item in words)


def _around(seq: list, boxes: list[int]) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """For each box of ``seq`` (at the ``boxes`` indices): the text since the mark before it, and
    the text up to the next mark, each with whether all its words are struck through."""
    ends = [-1, *boxes, len(seq)]
    befores = [_text_between(seq, ends[n] + 1, k) for n, k in enumerate(boxes)]
    afters = [_text_between(seq, k + 1, ends[n + 2]) for n, k in enumerate(boxes)]
    return befores, afters


def _is_circle(box: Box) -> bool:
    """A circle typed as text (〇 ◎ ○ ◯), not a box or a tick."""
    return box.weak and box.glyph in _CIRCLES


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
    befores, afters = _around(seq, boxes)
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
               if _is_circle(seq[k]) and prefix_glue == suffix_glue and brackets is None
               and _option_of(afters[n][0]) is not None and _option_before_mark(befores[n][0]) is not None}
    if side is not None and (mixed or between):
        suffix_style = side == "suffix"
    # boxes read against the side the form's other lines show: whose is a box between two options?
    against = brackets is None and box_side is not None and box_side != ("suffix" if suffix_style else "prefix")
    out: list[tuple[Choice, int | None]] = []
    for n, k in enumerate(boxes):
        box: Box = seq[k]
        if _in_instruction(_line_before(seq, k), afters[n][0]):
            continue  # 「該当するものに☑を付けること」, 「（該当に☑）」: the mark of an instruction
        if against and not box.weak and box.checked and _option_of(afters[n][0]) is not None \
                and _option_before_mark(befores[n][0]) is not None \
                or _is_circle(box) and side is None and (mixed or n in between):
            # 「個別連携協定☑　包括連携協定」 against the form, 「個別連携協定　○　包括連携協定」, 「○個別　包括○」:
            # nothing says which option the mark belongs to
            unplaced = _unplaced(box, befores[n][0], afters[n][0])
            if unplaced is not None:
                out.append((unplaced, _line_of_box(seq, k)))
            continue
        text, struck = befores[n] if suffix_style else afters[n]
        opt: tuple[str, str] | None
        if suffix_style:
            # the option nearest the mark: 「個別連携協定　包括連携協定○」 marks 包括
            ending = _option_before_mark(text)
            if ending is not None:
                opt, text = (ending[0], ending[1]), text[ending[2]:]
                if opt[1] == vocab.OTHER:  # 「その他☑（農業体験）」: its words in the bracket after the mark
                    text += _bracket_after(afters[n][0])
            else:  # 「子育て支援☑」, 「子育てなど（○）」: the option the words before the mark start with
                opt = _option_of(text)
        else:
            opt = _option_of(text)
        if opt is None:
            continue
        if box.weak and not text[:1].strip() and box.glyph not in CIRCLE_MARKS:
            continue  # 「レ 」 followed by a space is a letter, not a tick
        group, value = opt
        out.append((Choice(group, value, box.checked, box.source, text, _is_circle(box), struck or box.struck,
                           box.conflict, glyph=box.glyph), _line_of_box(seq, k)))
    return out


def _circle_glue(seq: list, boxes: list[int], befores: list, afters: list) -> tuple[bool, bool]:
    """(a circle glued before an option, a circle glued after one) in the block, instructions aside."""
    marks = [n for n, k in enumerate(boxes)
             if _is_circle(seq[k]) and not _in_instruction(_line_before(seq, k), afters[n][0])]
    return (any(_glued_before_option(befores[n][0], afters[n][0]) for n in marks),
            any(_glued_after_option(befores[n][0], afters[n][0]) for n in marks))


def circle_side(seq: list) -> str | None:
    """How the block types its circles, where it says so alone: 「prefix」 (「○環境　○子育て」,
    「（○）環境」) or 「suffix」 (「環境○　子育て○」, 「環境（○）」); None where it has no circle
    touching an option, or circles touching options on both sides."""
    boxes = [k for k, item in enumerate(seq) if isinstance(item, Box)]
    if not any(_is_circle(seq[k]) for k in boxes):
        return None
    brackets = _bracket_style(seq)
    if brackets is not None:
        return brackets
    befores, afters = _around(seq, boxes)
    glue = _circle_glue(seq, boxes, befores, afters)
    return {(True, False): "prefix", (False, True): "suffix"}.get(glue)


def _unplaced(box: Box, before: str, after: str) -> Choice | None:
    """The mark no option can be given to, in the group of the option it stands by: the one it
    touches, else the one before it (a review item names the group; the mark is never checked)."""
    opt = _option_of(after) if _glued_before_option(before, after) else None
    ending = _option_before_mark(before)
    opt = opt or (ending[:2] if ending else _option_of(after))
    if opt is None:
        return None
    return Choice(opt[0], opt[1], circle=_is_circle(box), unplaced=True)


_BLANK_OR_SEPARATOR = " \u3000\t・･、，,/／"


#: what may stand before a mark that opens an option: a blank, a separator, a line break, a bracket
_OPENS = _BLANK_OR_SEPARATOR + "\n（("
#: what ends the word before a mark: a blank, a separator, a line break
_ENDS = _BLANK_OR_SEPARATOR + "\n"


def _glued_before_option(before: str, after: str) -> bool:
    """「○包括連携協定」: the mark touches the option after it and not a word before it."""
    return before[-1:] in _OPENS and after[:1] not in _BLANK_OR_SEPARATOR and _option_of(after) is not None


def _glued_after_option(before: str, after: str) -> bool:
    """「包括連携協定○」, 「環境○　子育て」: the mark touches the option's end, a blank (or the line's end) follows."""
    return before[-1:] not in _ENDS and after[:1] in _ENDS and _option_before_mark(before) is not None


def _in_instruction(before: str, after: str) -> bool:
    if _INSTRUCTION_AFTER.match(after):
        return True
    if _INSTRUCTION_BEFORE.search(before) and _OPEN_BRACKET.search(before):
        return True  # 「（該当に☑」 whose bracket a spreadsheet's narrow cell cut off when printed
    return bool(_INSTRUCTION_BEFORE.search(before)) and _CLOSES_OR_ENDS.match(after) is not None


#: what may follow the mark of an instruction: its closing bracket, or nothing (「（該当に☑）」, 「該当に☑」)
_CLOSES_OR_ENDS = pattern(r"[ \u3000]*(?:[)）]|\Z)")
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
    text = block.text.strip()
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
    found = _cell_for_mark(blocks, bi)
    if found is None:
        return []
    target, sure = found
    opt = _option_of(blocks[target].text)
    if not opt:
        return []
    if not sure and box.checked:
        # a mark cell between two option cells, and the row says nothing of which side is whose
        return [(Choice(opt[0], opt[1], circle=_is_circle(box), unplaced=True), None)]
    return [(Choice(opt[0], opt[1], box.checked, box.source, blocks[target].text, _is_circle(box),
                    box.struck, box.conflict, glyph=box.glyph), None)]


def _row_side(kinds: list[str]) -> bool | None:
    """Whether a row of cells (``_kind``) puts the mark of each option after it (True) or before
    it (False); None where the row cannot say."""
    options = [n for n, k in enumerate(kinds) if k == "O"]
    if not options or "M" not in kinds:
        return None
    padded = ["L", *kinds, "L"]  # past the row's ends: nothing that marks (cell n is padded[n + 1])
    nexts = [padded[n + 2] for n in options]
    prevs = [padded[n] for n in options]
    # a mark (or empty) cell after every option, or before every one; both sides possible because an
    # empty cell ends the row (「□｜個別｜☑｜包括｜　」): the side where every option has a mark cell
    # beside it, not merely an empty one; else where some option has one
    for after, before in ((all(k in ("M", "E") for k in nexts), all(k in ("M", "E") for k in prevs)),
                          (all(k == "M" for k in nexts), all(k == "M" for k in prevs)),
                          ("M" in nexts, "M" in prevs)):
        if after != before:
            return after
    return None


def _kind(block: Block) -> str:
    if block.has_box() or _mark_cell(block) is not None:
        return "M"
    if block.is_blank():
        return "E"
    return "O" if _option_of(block.text) else "L"


def _cell_for_mark(blocks: list[Block], bi: int) -> tuple[int, bool] | None:
    """The option cell a mark cell stands for, and whether the row says so (else it is one of two)."""
    block = blocks[bi]
    row = [k for k in range(len(blocks)) if blocks[k].table == block.table and blocks[k].row == block.row]
    cells = [None, *row, None]  # the row's ends have no neighbour
    at = row.index(bi) + 1
    left, right = (k if k is not None and _kind(blocks[k]) == "O" else None for k in (cells[at - 1], cells[at + 1]))
    if left is not None and right is not None:
        # marks follow their options where every option of the row has a mark (or empty) cell
        # after it, and precede them where every option has one before it; a row saying both or
        # neither takes what the table's other rows say, and else leaves the mark to a person
        after = _row_side([_kind(blocks[k]) for k in row])
        if after is None:
            others = {_row_side([_kind(blocks[k]) for k in range(len(blocks))
                                 if blocks[k].table == block.table and blocks[k].row == r])
                      for r in {b.row for b in blocks if b.table == block.table}}  # this row's own: None
            others.discard(None)
            after = others.pop() if len(others) == 1 else None
        if after is None:
            return right, False
        return (left if after else right), True
    if right is not None:
        return right, True
    if left is not None:
        return left, True
    # a row of marks under (or over) a row of options: the cell on the same grid column
    for other in (block.row - 1, block.row + 1) if block.row is not None else ():
        for k in range(len(blocks)):
            b = blocks[k]
            if b.table == block.table and b.row == other and b.col is not None and block.col is not None \
                    and b.col < block.col + block.span and block.col < b.col + b.span and _kind(b) == "O":
                return k, True
    return None


#: what may stand between a mark and its option: the bracket closing 「（レ）」, a number 「①」 「1.」 「(1)」
_BEFORE_OPTION = pattern(r"^[\s\u3000]*[)）\]］】〕]?[\s\u3000]*"
                         r"(?:(?:[(（]?[0-9０-９]{1,2}[)）.．、]|[①-⑳⑴-⒇])[\s\u3000]*)?")


def _option_of(text: str) -> tuple[str, str] | None:
    text = _BEFORE_OPTION.sub("", text)  # anchored at the start: it can only match once
    k = vocab.key(text)
    if not k:
        return None
    # the longest name the text starts with (「個別連携協定」 over 「個別」); no two names are alike
    best = max(((len(opt_key), group, value) for group, options in vocab.OPTION_GROUPS.items()
                for opt_key, value in options.items() if k.startswith(opt_key)), default=None)
    if best is None:
        return None
    length, group, value = best
    # 「有」/「無」 alone are options; 「有効…」 or 「無料…」 in a sentence are not
    if group == "axis" and len(k) > length and not _axis_tail_ok(k[length:]) and not _AXIS_WORD.match(text):
        return None
    return group, value


def _option_ending_at(text: str) -> tuple[str, str, int] | None:
    """The option whose name ends ``text``, and where its name starts: 「【連携協定の種別】個別連携協定（」 →
    individual.  The name must stand as a word: 「有（○）」 after 「】」 or a blank is the axis choice,
    「特有（○）」 is not."""
    text = text.rstrip(" \u3000\t（(")
    best: tuple[int, str, str, int] | None = None
    for n in range(1, min(len(text), vocab.LONGEST_OPTION + 8) + 1):
        k = vocab.key(text[-n:])
        hit = _BY_KEY.get(k)
        # the longest name; 有 or 無 only as a word (the letter before it, if any: text[-n - 1:-n])
        if hit and (best is None or len(k) > best[0]) and not (hit[0] == "axis" and text[-n - 1:-n].isalnum()):
            best = (len(k), *hit, len(text) - n)
    return (best[1], best[2], best[3]) if best else None


#: every option's key → (its group, its value); no key is in two groups
_BY_KEY = {k: (group, value) for group, options in vocab.OPTION_GROUPS.items() for k, value in options.items()}


#: the bracket an option may carry before a mark after it: 「有（主軸分野：環境）○」, 「その他（農業）○」,
#: 「子育て（主に乳幼児）○」
_TRAILING_BRACKET = pattern(r"[（(][^（()）]*[）)][\s\u3000]*$")


def _option_before_mark(text: str) -> tuple[str, str, int] | None:
    """The option a mark typed after it belongs to: the one whose name (and its bracket) ends ``text``."""
    text = text.rstrip(" \u3000\t")
    m = _TRAILING_BRACKET.search(text)
    return _option_ending_at(text) or (_option_ending_at(text[:m.start()]) if m else None)


#: 有/無 written as a word of its own: 「無　有（…）」, 「有・無」
_AXIS_WORD = pattern(r"^[\s\u3000]*(?:有|無|あり|なし)(?=[\s\u3000・･、，,/／]|$)")


def _axis_tail_ok(tail: str) -> bool:
    """What may follow 有/無 in a key (NFKC: 「（」 is 「(」, 「：」 is 「:」): 「有(主軸分野:…)」, 「有:環境」, 「有※…」."""
    return tail.startswith(("主軸", "(", "※", "→", ":"))


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
    elif p.axis.field not in values:  # two ◎ and no axis written, or a ◎ on another field than the one written
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
            p.doubts.append(Doubt("review_mark_conflict", path, display_line(lines, choice.line) or choice.after))
    # a mark no option could be given (a doubt, :func:`~.doubts.add_unplaced`): the group is
    # what the placed marks say, never read from the options named instead
    unplaced = any(c.unplaced for c in choices)
    ticked = _ticked(choices)
    struck = _struck_in_group(group, lines)
    if not ticked and not unplaced and (struck or not choices):
        ticked = _text_selection(lines, blocks, GROUP_LABEL[group], group, fmt, struck=bool(struck))
    return ticked


def display_line(lines: list[Line], n: int) -> str:
    """A line as the form shows it, struck words in 「~~…~~」 and boxes as their glyphs."""
    out = []
    for piece in lines[n].pieces:
        if isinstance(piece, Box):
            out.append(piece.glyph or ("☑" if piece.checked else "☐"))
        elif piece.struck and piece.text.strip():
            out.append(f"~~{piece.text}~~")
        else:
            out.append(piece.text)
    return "".join(out).strip()


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
                    fmt: str, struck: bool) -> dict[str, str]:
    """No checkboxes at all (a re-typed form): take the options named after the label.

    Fields may be asked for on rows of their own (「連携の分野１」「連携の分野２」,
    a drop-down list each): every such row counts.
    """
    heads = [i for i, line in enumerate(lines) if line.label == label]
    texts = [_section_text(i, lines, blocks) for i in heads]
    # the label may stand twice: in its cell with a note, and again before the answer
    # (「主軸分野の有無：」 then a drop-down list showing 「有」): the first that holds anything
    text = "\n".join(texts) if group == "field" else next((t for t in texts if t.strip()), "")
    by_number = numbered_answer(text, lines, group)
    if by_number:  # 「（該当する番号を記入）：２、１１」 under 「①災害対策　②環境 …」
        return {value: f"{fmt}:text" for value in by_number}
    found = _names_in(text, group)
    if group in ("type", "axis") and len(found) > 1:
        return {}  # both named: the form's printed options, not a choice
    if group == "field" and not struck:
        # every word names one field, in full or in short (「災害、環境、観光」): each is read, not only
        # the names written in full; (nearly) every field named is the printed list whose boxes were lost
        found = _fields_in_short(text) or found
        if len(found) >= len(vocab.FIELDS) - 2:
            return {}
    return {value: f"{fmt}:text" for value in found}


#: a bracket in a short list of fields (「観光（主に冬季）」), and what parts its words
_SHORT_NOTE = pattern(r"[（(][^）)]*[）)]")
_SHORT_SPLIT = pattern(r"[、，,／/;；:：\s\u3000]+")


def _fields_in_short(text: str) -> list[str]:
    """Fields written in short (「観光、スポーツ」): only when every word written names exactly one field.

    A bare number names none here (「連携の分野１　環境」: the row's number); numbers chosen from the
    printed options are read by :func:`~.numbered.numbered_answer`.
    """
    fields = [None if vocab.key(w).isdigit() else vocab.resolve_field(w)
              for w in _SHORT_SPLIT.split(_SHORT_NOTE.sub(" ", text)) if w]
    return [] if None in fields else [f for f in vocab.ALL_FIELDS if f in fields]


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
    if n + 1 >= len(lines) or lines[n + 1].label or lines[n + 1].options \
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
    text = _BEFORE_OPTION.sub("", after.strip())
    # skip the word その他 itself, whatever its width or spacing
    other = vocab.key(vocab.OTHER)
    k = next((n for n in range(len(text)) if vocab.key(text[:n]) == other), len(text))
    rest = _bracket_after(text[k:]) or text[k:]
    if rest[:1] in CLOSE:
        inner = rest[1:].partition(CLOSE[rest[0]])[0]
    else:
        inner = strip_separators(rest).partition("\n")[0]
    inner = inner.strip()
    # 「その他（※具体的に記入）」: the form's own direction, not the applicant's words
    return None if PLACEHOLDER.match(inner) or NOTE.match(inner) else inner  # PLACEHOLDER matches nothing written
