"""The form as one list of lines, and the labels found on them.

Every other step of the extractor walks this flat list: a label may wrap onto
the next line of its block, and a value may run on over lines and cells, so
both are easier to follow in one sequence than block by block.  Labels are
matched on a normalised key (:func:`~kyotei_docs.vocab.char_key`), so
「所 在 地」 and 「部　署　名」 are found, also when wrapped over two lines.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from .. import vocab
from ..form import Block, Box, Piece, Text
from ..vocab import pattern

# What may stand before a label: the numbering of a heading or an entry, a bullet, an opening
# bracket — 「１　」 「第4　」 「(4) 」 「4.」 「⑴」 「【」 「ア　」 「（１）」 「一、」 「Ⅳ.」 「○」.
# (Word's automatic numbering is not in the text at all.)
_ITEM = r"(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}|[ァ-ヶｱ-ﾝ]|[A-Za-zＡ-Ｚａ-ｚ]|[IVXⅠ-Ⅻⅰ-ⅻ]{1,4})"
_LEAD = pattern(
    r"^[\s\u3000]*(?:(?:"
    r"第[\s\u3000]*(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})[\s\u3000]*(?:章|節|条|項)?(?=[\s\u3000.．、:：)）]|$)[.．、:：)）]?"
    rf"|[(（〔\[［<＜]{_ITEM}[)）〕\]］>＞]"
    rf"|{_ITEM}[)）.．、,，:：](?![0-9０-９])"
    r"|(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}|[ァ-ヶｱ-ﾝ])(?=[\s\u3000])"
    r"|[①-⑳⑴-⒇⒈-⒛㈠-㈩⒜-⒵ⓐ-ⓩ㋐-㋾❶-❿➀-➓]"
    r"|[・●◆◎◇○◯〇■□▪▫▶►▸▼▽◉*＊\-－【\[［「『〔〈《<＜]"
    r")[\s\u3000]*)*")
#: words a heading adds after its label: 「協定締結の目的について」, 「連携により期待される効果等」
_LABEL_TAIL = pattern(r"(?:について|に関して|に関すること|の概要|の内容|等|など"
                      r"|(?:及び|並びに|と|・)[^\s\u3000:：（(]{1,8})(?=[\s\u3000:：（(】」］\]]|$)")
_HIRAGANA = pattern(r"(?:等|など|及び)?[ぁ-ゖ]")
_SEPARATOR_AFTER = set(" \u3000\t:：】」］]）)(（.．※")


@dataclass
class Line:
    """One line of the form as the extractor sees it: its text, pieces and the label found at its start."""

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


def flatten(blocks: list[Block]) -> list[Line]:
    """Every line of every block, in reading order, remembering its block.

    Entries typed side by side on one line (「部署名：総務課　担当者氏名：田中」) become
    lines of their own, so each label reads only its own value.
    """
    out: list[Line] = []
    for bi, block in enumerate(blocks):
        for li, line in enumerate(block.lines):
            out.extend(_split_entries(Line(bi, li, line.plain, line.pieces)))
    return out


#: labels of a choice (「○有　主軸分野：環境」): the choice and its words stay on one line
_NO_SPLIT = frozenset({"type", "fields", "axis.choice", "axis.text"})
#: where a second entry may begin: after a blank, or after 「、」「／」 or an opening bracket
#: (「連絡先：事務局（担当：大雪、TEL 0166-88-9999、Mail: info@example.jp）」)
_GAP = pattern(r"[ \u3000\t]+|[、，,／/（(][ \u3000\t]*")
#: after a second label on a line: an optional bracketed word, then a colon
_COLON_AFTER = pattern(r"[\s\u3000]*(?:[（(][^）)\n]{1,12}[）)])?[\s\u3000]*[:：]")
#: a phone or e-mail label may go without a colon, its value's shape says where it starts
_VALUE_AFTER = {"contact.phone": pattern(r"[\s\u3000]*[0-9０-９(（+＋]"),
                "contact.email": pattern(r"[\s\u3000]*[A-Za-z0-9._%+\-]+@")}


def _split_entries(line: Line) -> list[Line]:
    """Cut ``line`` before every label that follows a blank (or 、 ／ （) and is followed by a colon,
    and before a label the page put at the start of a wrapped line, followed by a blank or nothing."""
    text = line.text
    for cut in _wrap_points(line):
        hit = _match_label([line], 0, cut)
        if hit is None or hit[0] in _NO_SPLIT or not _ENTRY_END.match(text, hit[1][1]):
            continue
        head, tail = _split_pieces(line.pieces, cut)
        return [Line(line.block, line.index, text[:cut], head),
                *_split_entries(Line(line.block, line.index, text[cut:], tail))]
    lead = _LEAD.match(text)
    own = _match_label([line], 0, lead.end() if lead else 0)
    own_end = own[1][1] if own else 0  # 「Company name：」 is one heading, never 「Company」 then 「Name：」
    for gap in _GAP.finditer(text):
        cut = gap.end()
        if cut <= own_end:
            continue
        before = text[:gap.start()]
        numbering = _LEAD.match(before)
        if cut >= len(text) or not before.strip() or (numbering and numbering.end() == len(before)):
            continue  # nothing before the label but blanks or the entry's number (「6. 連絡先：…」)
        lead = _LEAD.match(text[cut:])
        start = cut + (lead.end() if lead else 0)
        hit = _match_label([line], 0, start)
        if hit is None or hit[0] in _NO_SPLIT:
            continue
        value_shape = _VALUE_AFTER.get(hit[0])
        if not _COLON_AFTER.match(text, hit[1][1]) and not (value_shape and value_shape.match(text, hit[1][1])) \
                and not ("\t" in gap.group() and _ALONE_AFTER.match(text, hit[1][1])):
            continue
        head, tail = _split_pieces(line.pieces, cut)
        first = Line(line.block, line.index, text[:cut], head)
        return [first, *_split_entries(Line(line.block, line.index, text[cut:], tail))]
    return [line]


#: a label standing alone between tabs (the columns of a row: 「部署名\t総務部\t担当者\t北嶺　花子」)
_ALONE_AFTER = pattern(r"[ \u3000]*(?:\t|$)")
#: a label that starts an entry ends in a blank, a colon or the end of the line
_ENTRY_END = pattern(r"[\s\u3000:：]|$")


def _wrap_points(line: Line) -> list[int]:
    """Character offsets (in ``line.text``) where the page wrapped the line (PDF readers mark them)."""
    points: list[int] = []
    pos = 0
    for piece in line.pieces:
        if isinstance(piece, Text) and not piece.struck:
            if piece.wrapped and pos:
                points.append(pos)
            pos += len(piece.text)
        elif isinstance(piece, Box) and piece.weak and not piece.struck:
            pos += len(piece.glyph)
    return points


def _split_pieces(pieces: list[Piece], cut: int) -> tuple[list[Piece], list[Piece]]:
    """Split pieces at character ``cut`` of the text the extractor reads (``Line.plain``)."""
    head: list[Piece] = []
    tail: list[Piece] = []
    pos = 0
    for piece in pieces:
        if isinstance(piece, Text) and not piece.struck:
            width = len(piece.text)
        elif isinstance(piece, Box) and piece.weak and not piece.struck:
            width = len(piece.glyph)
        else:
            width = 0
        if pos + width <= cut and not (width == 0 and pos >= cut):
            head.append(piece)
        elif pos >= cut:
            tail.append(piece)
        else:  # only text straddles the cut: a weak box's glyph is one character
            assert isinstance(piece, Text)
            at = cut - pos
            head.append(replace(piece, text=piece.text[:at]))
            tail.append(replace(piece, text=piece.text[at:]))
        pos += width
    return head, tail


def find_labels(lines: list[Line]) -> None:
    """Mark each line that starts with a label, and where its value may start."""
    for i, line in enumerate(lines):
        if line.continuation:
            continue
        lead = _LEAD.match(line.text)
        start = lead.end() if lead else 0
        hit = _match_label(lines, i, start)
        if hit is None and line.text[start:start + 1] in _HONORIFIC:
            hit = _match_label(lines, i, start + 1)  # 「ご所属」「お電話番号」「御担当者名」: the label after the polite prefix
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
            hit = _same_heading_again(lines, hit)
            label, (end_line, end_char) = hit
            line.label = label
            line.label_start = start
            line.value_at = (end_line, end_char)
            for k in range(i + 1, end_line + 1):
                lines[k].continuation = True
    _misread_headings(lines)
    _resolve_person(lines)


#: the source of text read by OCR (``readers.ocr.SOURCE``)
_OCR = "pdf:ocr"
#: how a heading is numbered, whatever its number: 「第6」 and 「第５」 alike, 「(1)」, 「ア.」
_NUMBER_IN_LEAD = pattern(r"[0-9]+|[一二三四五六七八九十]+|[ァ-ヶ]")


def _misread_headings(lines: list[Line]) -> None:
    """A numbered heading OCR misread by one character (「第6　連給先」 for 「第6　連絡先」) is that heading.

    Tesseract misreads a character of a heading now and then; the label is
    then not found, and the value before it runs on over the heading and
    the entries under it.  A line read by OCR whose whole text after its
    numbering (or all before a colon) is one character off a label of three
    characters or more, and of no other label, is taken for that label —
    only when the form numbers its headings so (another heading found with
    the same kind of numbering: 「第N」, 「N.」, 「(N)」): a bullet (「・連絡会」)
    or a number in a list of effects on a form numbered otherwise is a value.
    """
    unplaced = [i for i, line in enumerate(lines) if not line.label and not line.continuation and _read_by_ocr(line)]
    if not unplaced:
        return  # nothing read by OCR (a typed form), or every line placed
    styles = {_numbering(line) for line in lines if line.label and not line.continuation}
    styles.discard("")
    for i in unplaced:
        line = lines[i]
        if _numbering(line) not in styles:
            continue
        start = end = _lead_end(line)
        keys = ""
        for k, ch in enumerate(line.text[start:]):
            if ch in ":：":
                break
            if (ck := vocab.char_key(ch)):
                keys += ck
                end = start + k + 1
        if len(keys) < 3:
            continue
        near = {label for lk, label in vocab.LABEL_KEYS
                if len(lk) == len(keys) and sum(a != b for a, b in zip(lk, keys, strict=True)) == 1}
        if len(near) == 1:
            line.label, line.label_start, line.value_at = near.pop(), start, (i, end)


def _lead_end(line: Line) -> int:
    lead = _LEAD.match(line.text)
    return lead.end() if lead else 0


def _numbering(line: Line) -> str:
    """The kind of numbering before a line's text (「第N」, 「N.」, 「(N)」), "" for none or a bullet."""
    lead = line.text[:line.label_start] if line.label else line.text[:_lead_end(line)]
    style = _NUMBER_IN_LEAD.sub("N", unicodedata.normalize("NFKC", "".join(lead.split())))
    return style if "N" in style else ""


def _read_by_ocr(line: Line) -> bool:
    """Every text of ``line`` was read by OCR (a typed line says so at its first piece)."""
    read = False
    for piece in line.pieces:
        if isinstance(piece, Text) and piece.text.strip():
            if piece.source != _OCR:
                return False
            read = True
    return read


#: between a heading and the same heading in another language: 「所在地 / Address」, 「Company name／会社名」,
#: 「代表者氏名（Representative）」
_OTHER_LANGUAGE = pattern(r"[ \u3000]*(?:[/／|｜]|(?P<open>[（(]))[ \u3000]*")
_CLOSING = pattern(r"[ \u3000]*[）)]")


def _same_heading_again(lines: list[Line], hit: tuple[str, tuple[int, int]]) -> tuple[str, tuple[int, int]]:
    """A bilingual heading (「所在地 / Address」) ends after its second half, when that names the same entry."""
    label, (li, ci) = hit
    sep = _OTHER_LANGUAGE.match(lines[li].text, ci)
    if sep is None:
        return hit
    again = _match_label(lines, li, sep.end())
    if again is None or again[0] != label:
        return hit
    if sep.group("open"):  # the second half in brackets: the heading ends after the closing one
        close = _CLOSING.match(lines[again[1][0]].text, again[1][1])
        return (label, (again[1][0], close.end())) if close else hit
    return again


#: a label spaced out letter by letter (「所　在　地」, 「部\t署\t名」: a spreadsheet's label spread over
#: cells, printed): it ends where its letters do, even with the value printed right after it
_SPACED_OUT = pattern(r"\S(?:[ \u3000\t]+\S)+")

#: polite prefixes a company may put before a label
_HONORIFIC = frozenset("ごお御")


def _resolve_person(lines: list[Line]) -> None:
    """「氏名」 is the contact's name when the label before it belongs to the contact block, the
    representative's after the representative's title (「代表者　職名：代表取締役　氏名：山田　太郎」).

    Under a bare 「代表者」 heading, its sub-entries on the lines below (「役職：代表取締役」,
    「氏名：山田　太郎」; 「Title:」, 「Name:」) are the representative's title and name.
    """
    last = None
    heading = False  # the last label was a representative heading with nothing after it on its line
    for i, line in enumerate(lines):
        if line.label == "person":
            line.label = ("contact.name" if last in vocab.CONTACT_BLOCK
                          else "organization.representative" if last in _REPRESENTATIVE else "other")
        elif line.label == "other" and heading and vocab.key(line.text[line.label_start:line.value_at[1]]) \
                in _TITLE_KEYS and line.value_at[0] == i:
            line.label = "organization.representative_title"
        if line.label:
            last = line.label
            heading = (line.label == "organization.representative" and line.value_at[0] == i
                       and not line.text[line.value_at[1]:].strip(" \u3000\t:：")) or (
                heading and line.label in _REPRESENTATIVE)


#: the labels of the representative's entries, and the sub-headings of its title under a bare 「代表者」
_REPRESENTATIVE = frozenset({"organization.representative", "organization.representative_title"})
_TITLE_KEYS = frozenset(vocab.key(s) for s in ("役職", "役職名", "職名", "肩書", "肩書き", "Title", "Position"))


def _match_label(lines: list[Line], i: int, start: int) -> tuple[str, tuple[int, int]] | None:
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
        if label in vocab.JOINED_LABELS and not (end_line == i and vocab.written_as_one(lines[i].text[start:end_char])):
            continue  # 「部署名　　担当者氏名」 are two labels side by side; 「部署名・担当者氏名」 is one
        spaced = end_line == i and _SPACED_OUT.fullmatch(lines[i].text[start:end_char]) is not None
        if len(label_key) <= 3 and not spaced and not _separated(lines, end_line, end_char):
            continue  # 「所属する…」 in a sentence is not the label 「所属」 (「所　在　地北海道…」 is: spaced out)
        if label_key[-1].isascii() and _word_goes_on(lines, end_line, end_char):
            continue  # 「mail.tanaka@…」 on a line of its own is a value, not the label 「Mail」
        if label_key in vocab.ENGLISH_KEYS and _SENTENCE_GOES_ON.match(lines[end_line].text, end_char):
            continue  # 「Contact us at…」, 「Purpose of this project…」: English text, not the heading
        tail = _LABEL_TAIL.match(lines[end_line].text, end_char)
        if tail:
            end_char = tail.end()  # 「協定締結の目的について」: the heading's own words, not its value
        elif not spaced and (_HIRAGANA.match(lines[end_line].text, end_char)
                             or len(label_key) < 5 and _kana_or_kanji(lines[end_line].text[end_char:end_char + 1])):
            continue  # 「（２）連携の効果として…」, 「・電話番号案内の充実」: a sentence that starts with a label's words
        return label, (end_line, end_char)
    return None


#: after an English heading's words, one blank and another Latin word: a sentence going on
_SENTENCE_GOES_ON = pattern(r" [A-Za-z]")


def _kana_or_kanji(ch: str) -> bool:
    # compared, not matched: the character class [ぁ-ゖァ-ヺ一-龯々] took 1.3 ms to compile (issue 20)
    return bool(ch) and ("ぁ" <= ch <= "ゖ" or "ァ" <= ch <= "ヺ" or "一" <= ch <= "龯" or ch == "々")


def _word_goes_on(lines: list[Line], li: int, ci: int) -> bool:
    nxt = unicodedata.normalize("NFKC", lines[li].text[ci:ci + 1])
    return bool(nxt) and nxt.isascii() and (nxt.isalnum() or nxt in "@._-")


def _separated(lines: list[Line], li: int, ci: int) -> bool:
    text = lines[li].text
    return ci >= len(text) or text[ci] in _SEPARATOR_AFTER or not text[ci:].strip()


def source_at(line: Line, char: int) -> str:
    """The source of the text at ``char``, so ``--explain`` can say where a value came from."""
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
