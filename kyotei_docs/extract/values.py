"""Values after their labels, and their cleaning.

A value follows its label: after a colon on the same line, in the next cell of
the same row, in the cell below, or on the following lines, up to the next
label.  Where it sits depends on the company's layout, never on ours, so each
place is tried in turn.  Cleaning then drops what is not the applicant's
answer: the form's placeholders (「●●」, 「（　）」) and the seal mark after a
representative's name.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .. import vocab
from ..contactvalues import emails_in, normalise_email, normalise_phone
from ..form import Block
from ..vocab import pattern
from .lines import Line, source_at

#: the printed note under a label (「※…」), not part of its value
#: the form's own notes and examples, no answer: 「※…」, 「（記入例：〇〇の推進）」, 「例）…」
NOTE = pattern(r"^[\s\u3000]*(?:[（(【]?[※＊*]|[（(【]?記入例|[（(【]例[)）】]|例[)）:：])")
#: what a blank form holds where the answer goes: blanks and marks, or an instruction left in place — Word's
#: content-control prompt printed to PDF (「ここをクリックまたはタップしてテキストを入力してください。」),
#: a template's 「（ここに記入）」, 「アイテムを選択してください。」 — never an answer
PLACEHOLDER = pattern(r"^(?:[\s\u3000●○◯〇◎＿_…・\-－ー（）()「」]*"
                      r"|[\s\u3000(（【「]*(?:ここに|こちらに|ここを)?(?:クリック(?:または|もしくは)?(?:タップ)?して)?"
                      r"(?:テキストを|日付を|内容を)?(?:ご?記入|入力|記載)(?:して(?:ください|下さい))?。?[\s\u3000)）】」]*"
                      r"|[\s\u3000]*(?:アイテムを)?選択してください。?[\s\u3000]*)$")
#: brackets whose contents are the value: 「主軸となる分野（…）」, 「その他（…）」
CLOSE = {"（": "）", "(": ")", "「": "」", "［": "］", "[": "]"}
_SEAL = pattern(r"[\s\u3000]+(?:㊞|\(印\)|（印）|印)$")

PAREN_LABELS = frozenset({"axis.text"})
#: a template's stand-in left in an answer: 「株式会社〇〇」, 「〇〇部」, 「●●の推進」 (a blank answer is PLACEHOLDER)
EXAMPLE_TEXT = pattern(r"〇〇|○○|◯◯|●●|××|△△|＊＊")
#: an entry answered by pointing at another: 「同上」, 「上記に同じ」, 「代表者と同じ」, 「〃」 — the applicant's
#: answer is elsewhere on the form, which one a person decides (as a value it would stand in Form 2 as written)
SAME_AS = pattern(r"^[\s\u3000(（]*(?:同上|同左|同右|〃|″|同じ|同様|上記のとおり|上記の通り"
                  r"|(?:上記|上|左記|左|代表者|提案者|申請者|所在地|企業等|連絡先|担当者)(?:欄)?(?:に|と)同じ)"
                  r"[\s\u3000。．.)）]*$")


@dataclass
class Found:
    """A value for one field, where it was read, and what a review item needs to show it."""

    value: str | None = None
    source: str | None = None
    #: the contact entry was taken from outside the form's contact block (a letterhead's 「TEL …（代表）」
    #: over the form, the applicant's header) because the block has no such entry: whose is it?
    outside_contact: bool = False
    #: the text of the label's line, for a review item's original
    line_text: str = ""
    #: a one-line value joined from several cells of the label's row (or columns of its line): what stood
    #: side by side, for a review item — a second entry under a heading word the reader does not know
    #: (「部署名｜総務部｜対応者｜北嶺　花子」) would otherwise be glued into this value
    joined: str = ""


#: contact entries a letterhead or the applicant's header may carry too
CONTACT_ENTRIES = frozenset({"contact.phone", "contact.email"})
#: the source of a fillable PDF's field blocks (:mod:`kyotei_docs.readers.acroform`): they come first in
#: reading order, each placed by the printed label beside it — entries of the form, never a letterhead
FIELD_SOURCE = "pdf:acroform"


def value_for(label: str, lines: list[Line], blocks: list[Block]) -> Found:
    """The first value of ``label`` that is not a placeholder.

    A phone number or an e-mail address is looked for in the form's contact block
    first (from 「連絡先」, or its first department or name entry, on): a letterhead's
    「TEL 0166-36-0001（代表） FAX …」 above the form is the company's switchboard, not
    the contact's.  Found only outside the block, it is marked ``outside_contact``.
    """
    block_start = contact_block_start(lines) if label in CONTACT_ENTRIES else None
    fallback: Found | None = None
    for i, line in enumerate(lines):
        if line.label == label:
            found = _collect(i, lines, blocks)
            if found.value and PLACEHOLDER.match(found.value) is None:
                found.line_text = line.text
                if block_start is None or i >= block_start or blocks[line.block].source == FIELD_SOURCE:
                    return found
                if fallback is None:
                    found.outside_contact = True
                    fallback = found
    return fallback or Found()


def contact_block_start(lines: list[Line]) -> int | None:
    """Where the form's contact block begins: its 「連絡先」 heading, else its first department or name entry."""
    heading = next((i for i, ln in enumerate(lines) if ln.label == "contact"), None)
    if heading is not None:
        return heading
    return next((i for i, ln in enumerate(lines)
                 if ln.label in ("contact.department", "contact.name", "contact.department_name")), None)


def _collect(i: int, lines: list[Line], blocks: list[Block]) -> Found:
    """The value of the label on line ``i``: inline, next lines, next cell, cell below."""
    label = lines[i].label
    multiline = label in vocab.MULTILINE
    vline, vchar = lines[i].value_at
    origin = blocks[lines[i].block]
    rest = lines[vline].text[vchar:]
    if label not in PAREN_LABELS:
        rest = skip_qualifier(rest)
    rest = strip_separators(rest)
    text = lines[vline].text
    start = len(text) - len(rest.lstrip(" \u3000\t"))  # where the value's own words begin
    if label in PAREN_LABELS and rest[:1] in CLOSE:
        inner = rest[1:].split(CLOSE[rest[0]], 1)[0].strip(" \u3000")
        if inner:
            return Found(inner, source_at(lines[vline], vchar))
    if not rest.strip(" \u3000\t") and vline == i:
        column = _under_heading(i, lines)
        if column is not None:
            return column
    parts: list[str] = []
    sources: list[str] = []
    if rest.strip() and not NOTE.match(rest):
        parts.append(rest)
        sources.append(source_at(lines[vline], start))
    j = vline + 1
    prev_block = lines[vline].block
    while j < len(lines):
        line = lines[j]
        if line.label or line.options or is_boilerplate(line.text):
            break
        if line.block != prev_block:
            if not (may_continue(origin, blocks[line.block], multiline, bool(parts))
                    or _indented_continuation(label, origin, blocks[line.block], line.text)):
                break
            prev_block = line.block
        if not parts and (not line.text.strip() or NOTE.match(line.text)):
            j += 1
            continue
        parts.append(line.text)
        sources.append(source_at(line, 0))
        j += 1
    if not any(p.strip() for p in parts) and origin.table is not None:
        return _cell_below(i, lines, blocks)
    if origin.table is not None and not multiline and vline == i and not rest.strip() and _heading_row(i, lines, blocks):
        # a row of headings (「担当部署名｜対応者｜電話｜E-mail」): the next cell is a heading the reader does not
        # know, the answer stands under the label
        below = _cell_below(i, lines, blocks)
        if below.value:
            return below
    value = "\n".join(parts) if multiline else _join_single(parts)
    return Found(value, _best_source(sources), joined="" if multiline else side_by_side(i, vline, j, lines, blocks))


def _under_heading(i: int, lines: list[Line]) -> Found | None:
    """The answer in the same column of the next line, under a line of headings set apart by tabs.

    A PDF table without usable rules reads as lines with tabs between its columns:
    「担当部署名\t連絡担当者\t電話\tE-mail」 over 「経営企画部\t北嶺　花子\t0166-…\t…」.  When
    every column of the first line is a label, and the next line has as many columns and
    no label, column ``k`` answers label ``k``.
    """
    here = (lines[i].block, lines[i].index)
    first = i
    while first > 0 and (lines[first - 1].block, lines[first - 1].index) == here:
        first -= 1
    last = i
    while last + 1 < len(lines) and (lines[last + 1].block, lines[last + 1].index) == here:
        last += 1
    headings = lines[first:last + 1]
    if len(headings) < 2 or last + 1 >= len(lines) or any(not h.label or "\t" not in h.text and h is not headings[-1]
                                                          for h in headings):
        return None
    if any(h.text[h.value_at[1]:].strip(" \u3000\t:：") for h in headings if h.value_at[0] == lines.index(h)):
        return None
    below = lines[last + 1]
    if below.label or below.options or (below.block, below.index) == here:
        return None
    columns = [c.strip(" \u3000") for c in below.text.split("\t")]
    if len(columns) != len(headings):
        return None
    value = columns[i - first]
    return Found(value, source_at(below, 0)) if value and not PLACEHOLDER.match(value) else None


def side_by_side(i: int, first: int, end: int, lines: list[Line], blocks: list[Block]) -> str:
    """The parts of a one-line value that stood apart, as 「総務部 ／ 対応者 ／ 北嶺　花子」; "" when it is one.

    Apart means in cells of the label's table row (a spreadsheet's row, a Word table's
    cells) or in columns of a line set apart by tabs (a PDF row without rules): a value
    spread over them may be one entry the layout split, or two entries whose second
    heading the reader does not know — a person decides.  Lines of one cell, and
    paragraphs a value runs on into, are one part.
    """
    origin = blocks[lines[i].block]
    groups: dict[int, list[str]] = {}
    for k in range(first, end):
        text = lines[k].text[lines[i].value_at[1]:] if k == first else lines[k].text
        block = blocks[lines[k].block]
        in_row = origin.table is not None and block.table == origin.table and block.row == origin.row
        groups.setdefault(lines[k].block if in_row else -1, []).append(text)
    parts = [part.strip(" \u3000:：") for texts in groups.values() for part in "\u3000".join(texts).split("\t")]
    parts = [part for part in parts if part and not PLACEHOLDER.match(part) and not NOTE.match(part)
             and not _SEAL.match("\u3000" + part)]  # 「印」 printed where the seal goes is no second entry
    return " ／ ".join(parts) if len(parts) > 1 else ""


def may_continue(origin: Block, block: Block, multiline: bool, have_text: bool) -> bool:
    """Whether a value begun in ``origin`` runs on into ``block``."""
    if origin.table is not None:
        # the value of a label cell lies to its right in the same row
        return block.table == origin.table and block.row == origin.row
    if block.table is not None:
        # the answer framed in a box under its heading: the first cell of a table right after it
        return multiline and not have_text and block.row == 0 and block.col == 0
    return multiline or not have_text


#: entries a company may write over two lines, the second indented under the first: an address
#: and its building, a title and a name
_RUN_ON = frozenset({"organization.address", "organization.representative"})
_INDENT = pattern(r"^(?:[ \t]{2,}|\u3000)[ \t\u3000]*\S")
_COLON = pattern(r"[:：]")


def _indented_continuation(label: str | None, origin: Block, block: Block, text: str) -> bool:
    """「所在地　札幌市中央区北1条西2丁目」 / 「　　　　○○ビル5階」: the second paragraph goes on."""
    return (label in _RUN_ON and origin.table is None and block.table is None
            and bool(_INDENT.match(text)) and not _COLON.search(text))


def _cell_below(i: int, lines: list[Line], blocks: list[Block]) -> Found:
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
        if _row_has_label(lines, blocks, block):
            return Found()  # the row below is a row of labels and values of its own, not this label's value
        if _overlaps(origin, block):
            cell_lines = [ln for ln in lines if ln.block == bi]
            if any(ln.label or ln.options for ln in cell_lines):
                return Found()
            texts = [ln.text for ln in cell_lines]
            if not any(t.strip() for t in texts):
                continue  # a sheet printed with gridlines: an empty cell under the label, the answer in the next
            value = "\n".join(texts) if multiline else _join_single(texts)
            return Found(value, _best_source([source_at(ln, 0) for ln in cell_lines]))
    return Found()


def _heading_row(i: int, lines: list[Line], blocks: list[Block]) -> bool:
    """Whether label ``i`` stands in a row of headings: two other labels in its row, labels in at least
    half of the row's cells, and every label the last line of its cell (nothing after it)."""
    origin = blocks[lines[i].block]
    row = [bi for bi, b in enumerate(blocks) if b.table == origin.table and b.row == origin.row]
    texts = {bi: [ln for ln in lines if ln.block == bi and ln.text.strip()] for bi in row}
    filled = [bi for bi in row if texts[bi]]
    labelled = [bi for bi in filled if texts[bi][0].label and len(texts[bi]) == 1
                and texts[bi][0].value_at[0] == lines.index(texts[bi][0])
                and not texts[bi][0].text[texts[bi][0].value_at[1]:].strip(" \u3000\t:：")]
    return len(labelled) >= 3 and 2 * len(labelled) >= len(filled)


def _row_has_label(lines: list[Line], blocks: list[Block], block: Block) -> bool:
    return any(ln.label for ln in lines if blocks[ln.block].table == block.table and blocks[ln.block].row == block.row)


def _overlaps(a: Block, b: Block) -> bool:
    if a.col is None or b.col is None:
        return False
    return a.col < b.col + b.span and b.col < a.col + a.span


_QUALIFIER = pattern(r"^[\s\u3000]*[（(][^）)\n]{1,12}[）)](?=[\s\u3000]*(?:[:：]|$))")
#: a longer one an official form prints: 「住所（法人にあっては主たる事務所の所在地）：…」 (it was read into the address)
_LONG_QUALIFIER = pattern(r"^[\s\u3000]*[（(][^）)\n]{0,30}(?:にあっては|の場合|場合は)[^）)\n]{0,30}[）)]"
                          r"(?=[\s\u3000]*(?:[:：]|$))")


def skip_qualifier(text: str) -> str:
    """Drop a bracketed word between a label and its colon: 「所在地(本社)：…」, 「代表者（職・氏名）」."""
    return _QUALIFIER.sub("", _LONG_QUALIFIER.sub("", text, count=1), count=1)


def strip_separators(text: str) -> str:
    """Drop what stands between a label and its value: blanks, a closing bracket, a colon."""
    text = text.lstrip(" \u3000\t")
    if text[:1] in "】」］]":
        text = text[1:].lstrip(" \u3000\t")
    if text[:1] in ":：":
        text = text[1:]
    return text


#: the addressee, with or without the mayor's name: 「旭川市長　様」, 「旭川市長　今津　寛介　様」
_ADDRESSEE = pattern(r"(市長|町長|村長|区長)[^様殿]{0,12}(様|殿)$")


def is_boilerplate(text: str) -> bool:
    k = vocab.key(text)
    if not k:
        return False
    if any(k.startswith(b) for b in vocab.BOILERPLATE):
        return True
    # the addressee, with or without the mayor's name: 「旭川市長　様」, 「旭川市長　今津　寛介　様」
    return bool(_ADDRESSEE.search(k))


def _join_single(parts: list[str]) -> str:
    """One line from a value written over several: 「代表取締役」 / 「山田　太郎」 → 「代表取締役　山田　太郎」.

    Readers hand over lines the applicant broke (a wrap is already undone), so a blank
    keeps the two apart as the page did: a space between Latin words, 「　」 otherwise.
    """
    parts = [p.strip(" \u3000\t") for p in parts if p.strip()]
    out = ""
    for part in parts:
        if out:
            out += " " if out[-1].isascii() and part[0].isascii() else "\u3000"
        out += part
    return out


def _best_source(sources: list[str]) -> str | None:
    specific = [s for s in sources if s and not s.endswith(":text")]
    if specific:
        return specific[0]
    return next((s for s in sources if s), None)


def clean_single(value: str) -> str | None:
    """A one-line value without surrounding blanks; ``None`` for a placeholder.

    An entry cut from a line of several (「担当：大雪、TEL …」, 「（… Mail: a@b.jp）」) loses
    the 「、」 before the next entry and a bracket closing around all of them.
    """
    value = value.strip(" \u3000\t\n")
    while value and value[-1] in "、，,;；（(「【" or _unbalanced_close(value):
        value = value[:-1].rstrip(" \u3000\t")
    if not value or PLACEHOLDER.match(value):
        return None
    return value


def _unbalanced_close(value: str) -> bool:
    if not value or value[-1] not in "）)":
        return False
    return value.count("）") + value.count(")") > value.count("（") + value.count("(")


#: an e-mail address written after a phone number on the same entry: 「0166-77-1234　jiro@example.jp」
_MAIL_AFTER = pattern(r"[\s\u3000]+\S*[@＠]\S*$")
#: words apart by blanks, or by a bracket opening right after the address (「…@example.jp（担当直通）」)
_MAIL_WORDS = pattern(r"[\s\u3000]+|(?<=\S)(?=[（(【［\[])")


def clean_phone(value: str) -> str | None:
    """A phone entry in half-width (an identifier staff dial), extensions and all numbers kept."""
    text = clean_single(_MAIL_AFTER.sub("", value))
    return normalise_phone(text) if text else None


def clean_email(value: str) -> str | None:
    """An e-mail address in half-width without blanks (an identifier staff paste).

    The entry's cell may hold more than the address — the homepage on the next line
    (「www.example.jp」, 「HP：https://…」), a note (「（担当直通）」) —: where exactly one of its words is
    a whole address, that word is the value (joined, 「info@example.jpwww.example.jp」
    would look like an address and be wrong).
    """
    text = clean_single(value)
    if not text:
        return None
    # words apart by blanks, or by a bracket opening right after the address (「…@example.jp（担当直通）」)
    words = [w.strip("（）()「」<>＜＞[]［］,，、;；") for w in _MAIL_WORDS.split(text)]
    addresses = [w for w in words if emails_in(unicodedata.normalize("NFKC", w)) == [unicodedata.normalize("NFKC", w)]]
    if len(addresses) == 1:  # also one address in brackets: 「（info@example.jp）」
        text = addresses[0]
    return normalise_email(text) or None


#: the parts of a representative written under sub-headings of its own: 「職名　代表取締役　氏名　山田　太郎」
_REP_PART = pattern(r"(?:^|(?<=[\s\u3000]))(?P<head>職名|役職名?|肩書き?|氏名|お名前|名前)(?:[\s\u3000]*[:：][\s\u3000]*|[\s\u3000]+)")
_REP_TITLE_HEADS = frozenset({"職名", "役職", "役職名", "肩書", "肩書き"})


def clean_representative(value: str) -> str | None:
    """The representative's name without the seal mark (「㊞」, 「（印）」) after it.

    Written under sub-headings on one line (「職名：代表取締役　氏名：山田　太郎」, also name first), the
    value is the title then the name without the sub-headings, as Form 2's signature block prints it.
    """
    value = clean_single(value) or ""
    value = _SEAL.sub("", value).strip(" \u3000")
    heads = list(_REP_PART.finditer(value))
    if not heads or heads[0].start() != 0 or len(heads) > 2:
        return value or None
    ends = [h.start() for h in heads[1:]] + [len(value)]
    parts = {("title" if m["head"] in _REP_TITLE_HEADS else "name"): value[m.end():end].strip(" \u3000")
             for m, end in zip(heads, ends)}
    if len(heads) == 1 and parts.get("name"):
        return parts["name"]  # 「氏名：山田　太郎」 (its title, if any, on an entry of its own)
    if len(parts) == 2 and all(parts.values()):
        return _SEAL.sub("", f"{parts['title']}\u3000{parts['name']}").strip(" \u3000")
    return value or None


def clean_multi(value: str) -> str | None:
    """A multi-line value without blank lines around it; ``None`` for a placeholder."""
    lines = [ln.rstrip(" \u3000\t") for ln in value.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    # lines indented under a heading lose the indent they share (a first-line indent alone stays
    # out of the others: 「　本事業は…」 then 「…」)
    indents = [len(ln) - len(ln.lstrip(" \u3000\t")) for ln in lines if ln.strip()]
    common = min(indents, default=0)
    lines = [ln[common:] if ln.strip() else "" for ln in lines]
    text = "\n".join(lines)
    if not text.strip() or PLACEHOLDER.match(text):
        return None
    # the first line keeps no leading blanks left over from 「目的：　…」
    return text.lstrip(" \u3000\t")
