"""The axis text: the field named after 「主軸となる分野」.

It may be written inline — 「主軸となる分野（福祉）」, 「主軸となる分野：福祉」 —
as well as under its own label, so a line holding it inline is read first, and
the labelled value only when there is none.  Whether there is an axis at all is a
checkbox choice (有／無), read with the other options in :mod:`.options`; where
no 有／無 was marked, the axis text answers it (:func:`apply_axis_answer`).
"""

from __future__ import annotations

import re

from .. import vocab
from ..proposal import Axis, Doubt, Proposal
from ..vocab import pattern
from .lines import Line, source_at
from .options import Choice, display_line
from .values import NOTE, PLACEHOLDER, Found, clean_single

_AXIS_INLINE = pattern(r"主[\s\u3000]*軸[\s\u3000]*(?:と[\s\u3000]*な[\s\u3000]*る[\s\u3000]*)?分[\s\u3000]*野"
                       r"(?![\s\u3000]*の[\s\u3000]*有)(?:[\s\u3000]*[:：][\s\u3000]*(?P<colon>[^\n]*)|"
                       r"[\s\u3000]*[（(](?P<paren>[^）)\n]*)[）)]|[\s\u3000]+(?P<space>[^\s\u3000※(（][^\n]*))")


#: words of the form's own directions, not an answer: 「（包括連携協定の場合のみ）」, 「（記入してください）」
_CLOSING = pattern(r"[）)]")
_INSTRUCTION = pattern(r"場合|のみ|記入|選択|該当(?!な|無|しな)|有無|ください|こと$")


_NEXT_OPTION = pattern(r"[ \t\u3000]{2,}|[ \t\u3000]+(?=(?:[☐□○◯〇☑■✓✔]|[（(][\s\u3000○◯〇レ✓✔]*[）)])?"
                       r"(?:無|なし)(?:[（(\s\u3000]|$))")


def _inline(line: Line, fmt: str) -> tuple[str, str] | None:
    """The axis written inline on ``line`` — 「主軸分野：環境」, 「主軸となる分野（福祉）」 — and its source."""
    m = _AXIS_INLINE.search(line.text)
    if not m:
        return None
    group = next(g for g in ("paren", "colon", "space") if m.group(g) is not None)
    raw = m.group(group)
    before = line.text[:m.start()]
    if group != "paren" and before.count("（") + before.count("(") > before.count("）") + before.count(")"):
        # 「有（主軸分野：　　）　○無」: the value ends where the bracket around the label closes
        raw = _CLOSING.split(raw, maxsplit=1)[0]
    # 「主軸分野：災害対策　　無（　）」: the axis ends where the next option begins
    raw = _NEXT_OPTION.split(raw.strip(" \u3000\t"), maxsplit=1)[0]
    if raw and raw[-1] in "）)" and raw.count(raw[-1]) > raw.count("（" if raw[-1] == "）" else "("):
        raw = raw[:-1].rstrip(" \u3000\t")  # 「有（主軸分野：環境）」: the bracket closes around the label
    if not raw or PLACEHOLDER.match(raw) or NOTE.match(raw):
        return None
    return raw, source_at(line, m.start(group)) or f"{fmt}:text"


def apply_axis_text(p: Proposal, lines: list[Line], labelled: Found, fmt: str) -> None:
    """Set the axis text, and the field it names, on ``p.axis``."""
    candidates = [c for line in lines if (c := _inline(line, fmt))]
    # 「３　主軸分野（包括連携協定の場合のみ）」 heads the entry; 「有（主軸分野：環境）」 below answers it
    named = [c for c in candidates if vocab.resolve_field(c[0])]
    answers = [c for c in candidates if not _INSTRUCTION.search(c[0])]
    text: str | None
    source: str | None
    text, source = named[0] if named else answers[0] if answers else (None, None)
    if text is None and labelled.value and not _INSTRUCTION.search(labelled.value):
        text = clean_single(labelled.value)
        source = labelled.source
    if text is None:
        text, source = _after_yes(lines, fmt)
    if text:
        p.axis.text = text
        p.axis.field = vocab.resolve_field(text)
        p.sources["axis.text"] = source or f"{fmt}:text"


#: 「有（子育て）」: a field in brackets right after 有, the 「主軸分野：」 left out
_YES_FIELD = pattern(r"有[\s\u3000]*[（(](?P<field>[^）)\n]{1,20})[）)]")


def _after_yes(lines: list[Line], fmt: str) -> tuple[str | None, str | None]:
    """The field written in brackets after 有 on the 「主軸分野の有無」 line, if it names one."""
    for line in lines:
        if line.label != "axis.choice":
            continue
        for m in _YES_FIELD.finditer(line.text):
            if vocab.resolve_field(m.group("field")):
                return m.group("field").strip(" \u3000"), source_at(line, m.start("field")) or f"{fmt}:text"
    return None, None


#: an axis entry that says there is none: 「なし」「無し」「特になし」「該当なし」「ありません」
_NO_AXIS = pattern(r"(?:特に)?(?:な[しい]|無し?|ありません|該当(?:なし|無し|しない)|設定しない)")
_BRACKETS = "【】［］[]（）()〔〕「」"


def apply_axis_answer(p: Proposal, lines: list[Line], has_axis_options: bool) -> None:
    """Whether there is an axis, from the axis entry of a form that has no 有／無 to mark.

    Forms retyped without the 有／無 line answer in the entry itself:
    「主軸分野：なし」 is 無, and 「主軸となる分野【災害対策】」 names a field, so 有 —
    as a person reads it.  Where the form has 有／無 (boxes, or a 「主軸分野の有無」
    entry) and none is chosen, that stays the applicant's blank; text that is
    neither (「検討中」) leaves the choice unanswered.
    """
    if p.axis_ticked or not p.axis.text or has_axis_options or any(ln.label == "axis.choice" for ln in lines):
        return
    source = p.sources.get("axis.text")
    core = p.axis.text.strip(_BRACKETS + " \u3000\t")
    if _NO_AXIS.fullmatch(core):
        p.axis = Axis(present=False)
        p.sources.pop("axis.text", None)
    elif p.axis.field:
        p.axis.present = True
    else:
        return
    p.axis_ticked = [bool(p.axis.present)]
    if source:
        p.sources["axis.present"] = source


def split_axis_list(choices: list[Choice], lines: list[Line]) -> tuple[list[Choice], list[Choice]]:
    """(fields marked under the axis's own label or its 有／無 question, every other choice).

    Some forms ask for the axis as a second list of fields with boxes
    (「主軸分野（１つ選択）　☐災害対策　☑子育て…」, or inside 有's bracket:
    「☑有（主軸分野：☑環境　☐子育て）」): those marks choose the axis, not more fields.
    """
    axis_list: list[Choice] = []
    rest: list[Choice] = []
    for choice in choices:
        under_axis = choice.group == "field" and _section(lines, choice.line) in ("axis.text", "axis.choice")
        (axis_list if under_axis else rest).append(choice)
    return axis_list, rest


def apply_axis_list(p: Proposal, axis_list: list[Choice], lines: list[Line]) -> None:
    """The axis field marked in the axis's own list of fields.

    The list decides where no axis was written, or where what was read as written is
    only the list's printed names (「主軸分野：☑環境　☐子育て」 reads 「環境　子育て」);
    two fields marked are left for a person (a review item quoting the marks), never
    a choice between them; none marked is the applicant's blank.
    """
    if not axis_list or (p.axis.text and not _only_names_of(p.axis.text, {c.value for c in axis_list})):
        return
    marked = [c for c in axis_list if c.checked]
    values = list(dict.fromkeys(c.value for c in marked))
    p.axis.text = p.axis.field = None
    p.sources.pop("axis.text", None)
    if len(values) == 1:
        p.axis.text = marked[0].value
        p.axis.field = vocab.resolve_field(marked[0].value)
        p.sources["axis.text"] = marked[0].source
    elif values:
        shown = dict.fromkeys(display_line(lines, c.line) or c.after for c in marked)
        p.doubts.append(Doubt("review_unplaced_text", "axis.field", " ".join(shown)))


def _only_names_of(text: str, listed: set[str]) -> bool:
    """Whether ``text`` is nothing but names of the ``listed`` fields (the list as printed)."""
    words = [w for w in re.split(r"[\s\u3000、，,/／]+", text) if w]
    return bool(words) and all(vocab.resolve_field(w) in listed for w in words)


def _section(lines: list[Line], n: int) -> str | None:
    """The label heading line ``n``: its own, or the nearest one above it."""
    for k in range(n, -1, -1):
        if lines[k].label:
            return lines[k].label
    return None
