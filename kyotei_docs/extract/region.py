"""Form 1's own region within what was sent: a cover letter before it and attachments after it feed no value.

Companies send more than the form: a cover letter (送付状) with its sender's
phone and e-mail, a letterhead over the form, pages of 別紙 behind it.  The
extractor reads values only from the form itself:

* the form **starts** at 「様式１」 (「様式第１号」) before its title 「連携協定に関
  する提案書」, or else at the addressee (「旭川市長　様」, any 市長・町長・村長・区長
  with 様 or 殿) right before the title, with the date above it; or else at the
  labelled header (所在地, 企業等名称 …) right before the title.  What lies
  before is the cover letter: its values are not the form's;
* the form **ends** before a heading 「別紙」「別添」 (「（別紙１）」, 「別紙　期待され
  る効果」) after its title: the attachment is read only where an entry of the
  form says 「別紙のとおり」 (:func:`attachment_value`); and before a letter after its
  contact block (a cover letter placed behind it: its addressee 「〇〇市長　様」 or
  「…御中」 with the date above, or 「送付状」, 「拝啓」), or before a document naming the
  applicant's entries again (a 「会社概要」 with 所在地 and 電話), read as the letter before it is;
* without a title or 「様式１」 the whole file is the form, as before.

The cut is made at block boundaries: a block is what a reader saw as one unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import vocab
from ..form import Block
from ..proposal import Doubt, Proposal
from ..vocab import pattern
from .lines import Line, find_labels, flatten
from .values import EXAMPLE_TEXT, FIELD_SOURCE, contact_block_start

TITLE = vocab.key("連携協定に関する提案書")
#: 「様式１」, 「様式第１号」, 「（様式１）」 as keys (brackets kept by key(): matched without them)
_FORM_NO = pattern(r"^[(（【\[]?様式(?:第)?[1１一](?:号)?[)）】\]]?")
_ADDRESSEE = pattern(r"(?:市長|町長|村長|区長)[^様殿]{0,12}(?:様|殿)$")
#: the form's date above its addressee: 「令和８年１１月２０日」, 「R8.11.20」, 「2026/11/20」, 「令和　年　月　日」
_DATE_LIKE = pattern(r"(?:令和|平成|[RH]\.?|[0-9０-９]{4})[\s\u3000]*[0-9０-９元一二三四五六七八九十]*[\s\u3000]*[年./／\-]")
#: what an attachment is called: 「別紙」, 「別添」, 「別添資料」, 「添付資料」, 「別紙書類」
_ATTACHED = r"(?:別紙|別添|添付)(?:資料|書類)?"
#: a heading that begins an attachment: 「別紙」, 「別紙１」, 「（別添２）」, 「別添資料」, 「別紙　期待される効果」
_ATTACHMENT = pattern(r"^[\s\u3000]*[(（【\[]?" + _ATTACHED + r"(?P<no>[0-9０-９一二三四五]*)[)）】\]]?(?=[\s\u3000:：]|$)")
#: an entry answered by pointing at the attachment: 「別紙のとおり」, 「別添参照」, 「別紙１に記載」
#: (an entry holding just 「別紙１」 points at it too: :data:`BARE_REFERENCE`)
REFERENCE = pattern(r"^[\s\u3000]*[(（]?" + _ATTACHED + r"(?P<no>[0-9０-９一二三四五]*)[)）]?"
                    r"[\s\u3000]*(?:の|に)?[\s\u3000]*(?:とおり|通り|参照|を参照|のとおり|記載|記載のとおり|に記載のとおり)"
                    r"[\s\u3000。．.]*[)）]?[\s\u3000。．.]*$")
BARE_REFERENCE = pattern(r"^[\s\u3000]*[(（【]?" + _ATTACHED + r"(?P<no>[0-9０-９一二三四五]*)[)）】]?[\s\u3000。．.]*$")
#: an addressee of a letter to a section: 「旭川市地域振興部　御中」
_GOCHU = pattern(r"御中$")
#: the words that close (or open) a letter: an addressee above one of them heads the cover letter
_LETTER = pattern(r"^(?:以上|敬具|拝啓|謹啓|記|草々|かしこ|送付状|送付書|送り状|添え状)$")
#: header labels that may stand between the form's start and its title
_HEADER = frozenset({"submitted_on", "organization.address", "organization.name", "organization.representative",
                     "organization.representative_title", "applicant"})


@dataclass
class Region:
    """The blocks of the form, what came before it (a cover letter) and after it (attachments)."""

    form: list[Block]
    before: list[Block] = field(default_factory=list)
    after: list[Block] = field(default_factory=list)
    #: how many forms the file holds besides examples headed as such, and which of them (from 1) is ``form``
    forms: int = 1
    chosen: int = 1
    #: a letter after the form (a cover letter placed behind it): read no more than the one before it
    letter_after: list[Block] = field(default_factory=list)

    @property
    def letters(self) -> list[Block]:
        """The cover letter's blocks, before the form or after it."""
        return self.before + self.letter_after


def is_title(text: str) -> bool:
    """The form's title on a line of its own (「様式１　連携協定に関する提案書」 too), not a
    cover letter's 「連携協定に関する提案書を送付します」 or 「１　連携協定に関する提案書　１部」."""
    k = vocab.key(text)
    if k == TITLE:
        return True
    m = _FORM_NO.match(k)
    return k.endswith(TITLE) and m is not None and m.end() == len(k) - len(TITLE)


def is_form_number(text: str) -> bool:
    k = vocab.key(text)
    m = _FORM_NO.match(k)
    return m is not None and (m.end() == len(k) or k[m.end():] == TITLE)


#: a heading that marks a filled-in example: 「記入例」, 「【記載例】」, 「（見本）」, 「記入例　様式１」
_EXAMPLE = pattern(r"^[(（【\[]?(?:記入例|記載例|入力例|作成例|見本|サンプル)[)）】\]]?(?:様式.*|連携協定に関する提案書)?$")


def region_of(blocks: list[Block]) -> Region:
    """Form 1's blocks, and the blocks before and after it.

    A file may hold Form 1 more than once — the city's filled-in example (a sheet or page
    headed 「記入例」) kept before the company's own, a blank copy, two versions.  A form
    headed as an example is passed over; of the others the one with the fewest template
    stand-ins (「株式会社〇〇」) is read (the first of equals), and the region says how many
    there were (``forms``, ``chosen``) so that every value becomes a review item.
    """
    lines = flatten(blocks)
    find_labels(lines)
    starts = _form_starts(lines)
    if len(starts) < 2:
        return _region(blocks, lines)
    spans = [(lines[a].block, lines[b].block if b is not None else len(blocks))
             for a, b in zip(starts, [*starts[1:], None])]
    examples = [_headed_as_example(lines, a, b) for a, b in zip(starts, [*starts[1:], len(lines)])]
    # lines holding a stand-in (「〇〇」): the form's printed notes have as many in every copy, an example more
    stand_ins = [sum(1 for ln in lines[a:b] if EXAMPLE_TEXT.search(ln.text))
                 for a, b in zip(starts, [*starts[1:], len(lines)])]
    real = [k for k in range(len(starts)) if not examples[k]] or [0]
    chosen = min(real, key=lambda k: (stand_ins[k], k))
    first, last = spans[chosen]
    own = flatten(blocks[first:last])
    find_labels(own)
    region = _region(blocks[first:last], own)
    region.before = blocks[:first] + region.before
    region.after = region.after + blocks[last:]
    region.forms, region.chosen = len(real), real.index(chosen) + 1
    return region


def _form_starts(lines: list[Line]) -> list[int]:
    """Where each Form 1 of the file begins: its start (「様式１」, the addressee …) before each title that
    follows the previous form's contact block."""
    titles = [i for i, ln in enumerate(lines) if is_title(ln.text)]
    if not titles:
        titles = [i for i, ln in enumerate(lines) if is_form_number(ln.text)]
    anchors: list[int] = []
    for t in titles:
        if not anchors or any(ln.label in ("contact", "contact.department", "contact.name", "contact.phone",
                                           "contact.email", "contact.department_name")
                              for ln in lines[anchors[-1]:t]):
            anchors.append(t)
    # a title again with no entries of its own after it (a running header, a cover page) starts no form
    ends = [*anchors[1:], len(lines)]
    anchors = [a for k, a in enumerate(anchors) if k == 0 or len({ln.label for ln in lines[a:ends[k]]} & _ENTRY_LABELS) >= 3]
    starts = [_start(lines, a) for a in anchors]
    # a form's start may not reach back into the form before it
    return [max(s, (anchors[k - 1] + 1) if k else 0) for k, s in enumerate(starts)]


#: the entries of the form's body: a form has several of them
_ENTRY_LABELS = frozenset({"type", "fields", "axis.choice", "purpose", "expected_effects", "contact",
                           "contact.department", "contact.name", "contact.phone", "contact.email"})


def _headed_as_example(lines: list[Line], start: int, end: int) -> bool:
    """A form headed 「記入例」: on one of its first lines, or on the line right before it."""
    near = lines[max(start - 1, 0):min(start + 4, end)]
    return any(_EXAMPLE.match(vocab.key(ln.text)) for ln in near)


def _region(blocks: list[Block], lines: list[Line]) -> Region:
    """The region of the one form in ``blocks`` (``lines`` their flat lines, labels found)."""
    anchor = next((i for i, ln in enumerate(lines) if is_title(ln.text)), None)
    if anchor is None:
        anchor = next((i for i, ln in enumerate(lines) if is_form_number(ln.text)), None)
    if anchor is None:
        return Region(blocks)
    start = _start(lines, anchor)
    # an attachment begins after the form's last entries (its contact block), outside its table: a cell
    # reading 「別紙１」 inside the form is an answer pointing at it, and must not end the form there
    contact = contact_block_start(lines)
    after = max(anchor, contact if contact is not None else anchor)
    form_table = blocks[lines[after].block].table
    end = next((i for i in range(after + 1, len(lines)) if _attachment_heading(lines, i, blocks, form_table)), None)
    # a letter only after the contact block: a form may put its title above its addressee and header
    letter = next((_letter_from(lines, i) for i in range(after + 1, end if end is not None else len(lines))
                   if _letter_start(lines, i, blocks)), None) if contact is not None and contact > anchor else None
    if contact is not None and contact > anchor:
        again = _header_again(lines, start, contact, end if end is not None else len(lines))
        if again is not None and (letter is None or again < letter):
            letter = again
    first = lines[start].block
    stop = letter if letter is not None else end
    last = lines[stop].block if stop is not None else len(blocks)
    # a fillable PDF's fields come first in its reading order, placed by their own labels: the form's
    fields = [b for b in blocks[:first] if b.source == FIELD_SOURCE]
    before = [b for b in blocks[:first] if b.source != FIELD_SOURCE]
    if letter is not None:
        stop = lines[end].block if end is not None else len(blocks)
        return Region(fields + blocks[first:last], before, blocks[stop:], letter_after=blocks[last:stop])
    return Region(fields + blocks[first:last], before, blocks[last:])


def _letter_start(lines: list[Line], i: int, blocks: list[Block]) -> bool:
    """A letter beginning after the form's last entries: its addressee (with the date right above it), or
    a letter's own word (「送付状」, 「拝啓」) — a cover letter placed behind the form feeds no value either."""
    line = lines[i]
    if line.index != 0 or blocks[line.block].table is not None or line.label:
        return False
    k = vocab.key(line.text)
    if _LETTER.match(k):
        return k not in ("以上", "記", "敬具", "草々", "かしこ")  # words that close a letter, or the form's own 「以上」
    return bool(_ADDRESSEE.search(k) or _GOCHU.search(k))


#: a heading over another document (「会社概要」, 「（参考）会社概要」): short, no colon, no digits, no address
_HEADING = pattern(r"^[^:：@＠0-9０-９]{1,15}$")


def _header_again(lines: list[Line], start: int, contact: int, stop: int) -> int | None:
    """Where a document behind the form begins that names the applicant's entries again (a company
    profile: 「会社概要」, 「商号：…」, 「所在地：…」, 「電話：…」), after the form's contact block.

    An entry the form's header already had (所在地, 企業等名称, 代表者) standing again after the
    contact block is another document's; it begins at the heading lines right above that entry.
    A contact entry left blank must not take its phone, e-mail or name.
    """
    header = {ln.label for ln in lines[start:contact] if ln.label in _HEADER and ln.label != "submitted_on"}
    again = next((i for i in range(contact + 1, stop) if lines[i].label in header), None)
    if again is None:
        return None
    k = again
    while k - 1 > contact and lines[k - 1].label is None and _HEADING.match(lines[k - 1].text.strip(" \u3000\t")):
        k -= 1
    return k if lines[k].index == 0 else None


def _letter_from(lines: list[Line], i: int) -> int:
    """Where the letter whose addressee is on line ``i`` begins: its date right above it, if there is one."""
    return i - 1 if i > 0 and _DATE_LIKE.search(lines[i - 1].text) and not lines[i - 1].label else i


def _start(lines: list[Line], anchor: int) -> int:
    number = next((i for i in range(anchor, -1, -1) if is_form_number(lines[i].text)), None)
    if number is not None:
        return number
    for i in range(anchor - 1, max(anchor - 16, -1), -1):
        if _LETTER.match(vocab.key(lines[i].text)):
            break  # the cover letter ends here: an addressee above is the letter's, not the form's
        if _ADDRESSEE.search(vocab.key(lines[i].text)):
            k = i
            while k > 0 and (not lines[k - 1].text.strip() or _DATE_LIKE.search(lines[k - 1].text)
                             or lines[k - 1].label == "submitted_on") and i - k < 2:
                k -= 1
            return k
    k = anchor
    while k > 0 and (not lines[k - 1].text.strip() or lines[k - 1].label in _HEADER
                     or lines[k - 1].continuation or _value_of_header(lines, k - 1)):
        k -= 1
    while k < anchor and not lines[k].text.strip():
        k += 1
    return k


def _value_of_header(lines: list[Line], i: int) -> bool:
    """A line holding the value of the header label right before it (「所在地」 / 「旭川市…」)."""
    return i > 0 and lines[i].label is None and lines[i - 1].label in _HEADER


def _attachment_heading(lines: list[Line], i: int, blocks: list[Block], form_table: int | None = None) -> bool:
    """「別紙」 starting a block outside the form's table: a paragraph, or the first row of a table of
    its own (a workbook's sheet 「別紙」); 「別紙のとおり」 is a reference, not a heading."""
    line = lines[i]
    block = blocks[line.block]
    if line.index != 0 or REFERENCE.match(line.text):
        return False
    if _ATTACHMENT.match(line.text) is None:
        return False
    if block.table is not None and _alone_in_row(block, blocks):
        # a row of its own after the contact block: a PDF continues a table across the page break, so the
        # attachment's own table (「別紙１」 over its rows) came out as more rows of the contacts' table
        return True
    # a cell of the form reading 「別紙１」 answers an entry; it starts nothing
    return block.table is None or (block.table != form_table and block.row == 0)


def _alone_in_row(block: Block, blocks: list[Block]) -> bool:
    """Whether ``block`` is the only cell of its table row holding text."""
    return not any(b is not block and b.table == block.table and b.row == block.row and b.text.strip() for b in blocks)


def attachment_value(label: str, number: str, after: list[Block]) -> str | None:
    """The text an attachment gives for ``label`` (「別紙のとおり」 in the form).

    Under the attachment (numbered ``number`` when the reference has one): what
    follows the same label where the attachment repeats it (「２　連携により期待され
    る効果」 or 「別紙　連携により期待される効果」), up to the next such entry; else,
    when the attachment names no entry of its own, all of its text after the heading.
    A table in it is read row by row, its cells apart.
    """
    sections = _sections(after)
    if number:
        sections = [s for s in sections if vocab.key(s[0]) == vocab.key(number)] or sections
    for _, blocks in sections:
        lines = flatten(blocks)
        _label_headings(lines)
        at = next((i for i, ln in enumerate(lines) if ln.label == label), None)
        if at is None:
            continue
        end = next((i for i in range(at + 1, len(lines)) if lines[i].label in vocab.MULTILINE), len(lines))
        vline, vchar = lines[at].value_at
        head = lines[vline].text[vchar:].strip(" \u3000\t:：") if vline == at else ""
        text = _text_of(lines[at + 1:end], blocks, head)
        if text:
            return text
    for _, blocks in sections:
        lines = flatten(blocks)
        _label_headings(lines)
        if any(ln.label in vocab.MULTILINE for ln in lines):
            continue  # the attachment answers other entries: not this one's whole text
        text = _text_of(lines[1:], blocks, "")
        if text:
            return text
    return None


def _text_of(lines: list[Line], blocks: list[Block], head: str) -> str | None:
    """Lines as text: a table's cells of one row on one line, apart; blank lines dropped."""
    out: list[str] = [head] if head else []
    row: tuple[int, int] | None = None
    for ln in lines:
        if not ln.text.strip():
            continue
        block = blocks[ln.block]
        here = (block.table, block.row) if block.table is not None and block.row is not None else None
        if here is not None and here == row and out:
            out[-1] += "\u3000" + ln.text.strip(" \u3000\t")
        else:
            out.append(ln.text.rstrip(" \u3000\t"))
        row = here
    text = "\n".join(out).strip("\n")
    return text or None


def _sections(after: list[Block]) -> list[tuple[str, list[Block]]]:
    """Each attachment (its number, its blocks) among the blocks after the form."""
    out: list[tuple[str, list[Block]]] = []
    for block in after:
        first = block.lines[0].plain if block.lines else ""
        m = _ATTACHMENT.match(first)
        if m and not REFERENCE.match(first):
            out.append((m.group("no"), [block]))
        elif out:
            out[-1][1].append(block)
    return out


def _label_headings(lines: list[Line]) -> None:
    """Labels, also after an attachment's own heading word (「別紙　連携により期待される効果」)."""
    find_labels(lines)
    from .lines import _match_label

    for i, line in enumerate(lines):
        m = _ATTACHMENT.match(line.text)
        if line.label or not m:
            continue
        rest = m.end() + len(line.text[m.end():]) - len(line.text[m.end():].lstrip(" \u3000\t:："))
        hit = _match_label(lines, i, rest)
        if hit:
            line.label, line.label_start, line.value_at = hit[0], rest, hit[1]


def apply_attachments(p: Proposal, after: list[Block]) -> None:
    """「別紙のとおり」 as the purpose or the effects: the attachment's text, as a review item quoting both."""
    for path in ("purpose", "expected_effects"):
        value = getattr(p, path)
        flat = (value or "").replace("\n", " ")
        m = REFERENCE.match(flat) or BARE_REFERENCE.match(flat)
        if not value or m is None:
            continue
        found = attachment_value(path, m.group("no"), after)
        if found:
            setattr(p, path, found)
            p.doubts.append(Doubt("review_attachment", path, value))
        else:
            p.doubts.append(Doubt("review_attachment_missing", path, value))
