"""An input field's answer once, however often LibreOffice copied it.

A Word text content control becomes an input field when LibreOffice opens the
form (``text:text-input`` in an .odt, a FORMTEXT field in a .doc it writes, an
RTF ``formfield``).  Writing that field back to .docx — which is how every .doc,
.odt and .rtf reaches the .docx reader (:mod:`.legacy`) — LibreOffice 7.4 puts
the answer in a FILLIN or FORMTEXT field and then copies it: the answer's runs
one by one, each followed by the whole field again (「[A]平成[A]31[A]年[A]」).
Where the control was a block of paragraphs, or its answer spans lines, the
copies and the fields' ends fall into the following paragraphs, leaving
paragraphs of nothing but copies (「[A¶」 「A][A¶」 「]¶」 「[A¶」 「]¶」): a field
there runs on past its paragraph's end, which Word's own fields never do.

The .docx reader marks where an answer field's result starts and ends
(:data:`START`, :data:`END`, empty :class:`Text` pieces), and :class:`AnswerCopies`
is fed the pieces of each paragraph in reading order: the first answer is kept;
what follows it and only repeats it — the same field again, the answer's runs
again (line breaks are not compared: a copy splits at them) — is dropped, and a
paragraph left holding nothing but such copies is no paragraph at all.  The first
text that is not a copy ends the copying, and so does a paragraph's end unless a
field runs on past it or the paragraph held only copies: the same answer in the
next paragraph's field of its own is the applicant's, not a copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..form import Box, Piece, Text

#: the piece sources of an input field's answer (FILLIN from an .odt, FORMTEXT from a .doc or .rtf)
ANSWER_SOURCES = frozenset({"docx:fillin", "docx:formtext"})
#: marks the .docx reader puts where an answer field's result starts and ends
START, END = "docx:answer-start", "docx:answer-end"


def edge(kind: str) -> Text:
    """A mark (:data:`START` or :data:`END`) in a paragraph's pieces; it never reaches a block."""
    return Text("", kind)


def _bare(text: str) -> str:
    """An answer as compared with its copies: without line breaks (a copy splits at them)."""
    return text.replace("\n", "").replace("\r", "")


@dataclass
class _Open:
    """An answer field whose end has not been met yet."""

    kept: bool  # the answer itself (True) or a copy under test (False)
    text: str = ""
    held: list[Piece] = field(default_factory=list)  # a copy's pieces, until it is known to be one


@dataclass
class AnswerCopies:
    """The copying state of one container (a cell, or the body), paragraph after paragraph."""

    #: the answer whose copies are being dropped (line breaks removed), or None
    answer: str | None = None
    #: where that answer stands: copies never cross into another cell
    place: object = None
    _field: _Open | None = None
    _copy: list[Piece] = field(default_factory=list)  # plain runs that may be a copy of the answer
    _copied: str = ""

    def paragraph(self, pieces: list[Piece], place: object) -> tuple[list[Piece], bool]:
        """(the pieces without copies and marks, whether the paragraph was only copies).

        ``place`` names the container (cell) the paragraph is in.
        """
        if place != self.place:
            self._reset(place)
        out: list[Piece] = []
        dropped = False
        for piece in pieces:
            if isinstance(piece, Text) and piece.source == START:
                self._field = _Open(kept=self.answer is None)
                continue
            if isinstance(piece, Text) and piece.source == END:
                dropped = self._end(out) or dropped
                continue
            if self._field is not None:
                if self._field.kept:
                    out.append(piece)
                else:
                    self._field.held.append(piece)
                if isinstance(piece, Text):
                    self._field.text += piece.text
                continue
            if self.answer is not None and isinstance(piece, Text):
                candidate = _bare(self._copied + piece.text)
                if self.answer.startswith(candidate):
                    self._copy.append(piece)
                    self._copied += piece.text
                    if candidate == self.answer:
                        self._copy, self._copied, dropped = [], "", True
                    continue
            self._stop(out)
            out.append(piece)
        if self._field is not None and not self._field.kept:
            # a field going on into the next paragraph: held while it still reads as a copy
            if not self.answer or not self.answer.startswith(_bare(self._field.text)):
                out.extend(self._field.held)
                self._field.held = []
                self._field.kept = True
            elif self._field.held:
                dropped = True
        if self._copy:
            self._stop(out)  # a copy does not run on into the next paragraph
        only_copies = dropped and not any(isinstance(p, Box) or p.text.strip() for p in out)
        if self._field is None and not only_copies:
            self.answer = None  # copies run on into the next paragraph only where LibreOffice cut a field
        return out, only_copies

    def _end(self, out: list[Piece]) -> bool:
        """An answer field ends: remember the answer, or drop the copy. True when something was dropped."""
        fld, self._field = self._field, None
        if fld is None:
            return False
        if fld.kept:
            self.answer = _bare(fld.text) or None
            self._copy, self._copied = [], ""
            return False
        if _bare(fld.text) == self.answer:
            return True  # the same field again
        self._stop(out)
        out.extend(fld.held)
        self.answer = _bare(fld.text) or None
        return False

    def _stop(self, out: list[Piece]) -> None:
        """Text that is no copy: the runs held as a possible copy were the applicant's, and copying ends."""
        out.extend(self._copy)
        self._copy, self._copied = [], ""
        self.answer = None

    def _reset(self, place: object) -> None:
        self.answer, self.place, self._field, self._copy, self._copied = None, place, None, [], ""
