"""The one symbol table: which characters and symbol-font codes show a checkbox, and its state.

A tick reaches us in many spellings: a typed ☑ or ■, a Wingdings code inserted
with Insert ▸ Symbol (``w:sym``), the same code as a private-use character
(U+F0FE) in a run or in a PDF's text layer, a ZapfDingbats ✔ inside a PDF form
appearance.  Every reader (``readers/docx.py``, ``readers/pdf.py``,
``readers/acroform.py``, ``form.split_glyphs``) asks this module, so one
symbol means the same in a .docx and in the PDF made from it (before, a
Wingdings ● counted as ticked in a .docx and as nothing in its PDF).

Code tables give the Unicode glyph a symbol-font code shows (Microsoft's
Wingdings, Wingdings 2 and Webdings layouts, as LibreOffice's symbol-font
conversion maps them); only the codes that look like a box, a tick or a round
mark are listed — other pictures are no answer.  A symbol-font circle is a
radio button: ● chosen, ○ not chosen.  A *typed* ○ is different: it is the
mark Japanese applicants put before a chosen option (丸を付ける), so it is a
weak mark that the extractor counts only where the form's convention holds.
"""

from __future__ import annotations

from functools import lru_cache

# ---------------------------------------------------------------- typed glyphs

#: glyphs applicants type (or fonts map) for a ticked box or a chosen radio button
CHECKED_GLYPHS = frozenset("☑☒■✓✔✅◼▣●◉⬛🗹🗷⚫⬤")
#: glyphs for an empty box or radio button (a typed ○ is not one: see CIRCLE_MARKS)
UNCHECKED_GLYPHS = frozenset("□☐◻⬜▢❏❑❒")
#: ○ in front of an option is how some applicants choose; the extractor counts it only
#: where empty boxes or the form's instruction show it stands for a choice
CIRCLE_MARKS = frozenset("○◯")
#: 「レ」 is a tick only when it stands alone in front of an option (the extractor decides)
WEAK_CHECK_GLYPHS = frozenset("レﾚ") | CIRCLE_MARKS
ALL_GLYPHS = CHECKED_GLYPHS | UNCHECKED_GLYPHS | WEAK_CHECK_GLYPHS
#: circles a Word enclosed character (囲い文字, ``EQ \\o\\ac(○,有)``) may be drawn with
ENCLOSING_CIRCLES = CIRCLE_MARKS | frozenset("〇")
#: what may be drawn or typed inside a square to tick it (besides a checked glyph)
INNER_MARKS = frozenset("✓✔✗✘×xXvVレﾚ") | CHECKED_GLYPHS

# ---------------------------------------------------------------- symbol fonts

#: code (without the U+F000 private-use offset) -> (checked, glyph shown)
WINGDINGS: dict[int, tuple[bool, str]] = {
    0xFE: (True, "☑"), 0xFD: (True, "☒"), 0xFC: (True, "✓"), 0xFB: (True, "✗"),
    0x78: (True, "☒"), 0x6E: (True, "■"), 0x6C: (True, "●"), 0xA4: (True, "◉"),
    0xA8: (False, "☐"), 0x6F: (False, "□"), 0x70: (False, "□"), 0x71: (False, "❑"),
    0x72: (False, "❒"), 0xA1: (False, "○"),
}
WINGDINGS_2: dict[int, tuple[bool, str]] = {
    0x52: (True, "☑"), 0x53: (True, "☒"), 0x54: (True, "☒"), 0x51: (True, "☒"),
    0x50: (True, "✓"), 0x4F: (True, "✗"), 0x96: (True, "●"), 0x97: (True, "●"), 0x98: (True, "●"),
    0xA0: (True, "■"), 0xA1: (True, "■"), 0xA2: (True, "■"), 0x9E: (True, "◉"),
    0xA3: (False, "☐"), 0x2A: (False, "☐"),
}
WEBDINGS: dict[int, tuple[bool, str]] = {
    0x61: (True, "✔"), 0x67: (True, "■"), 0x6E: (True, "●"), 0x63: (False, "□"),
}
#: ZapfDingbats, the font of PDF form appearances (``/MK /CA``): code character -> glyph
ZAPF_DINGBATS: dict[str, tuple[bool, str]] = {
    "3": (True, "✓"), "4": (True, "✔"), "8": (True, "✘"), "l": (True, "●"),
    "n": (True, "■"), "u": (True, "◆"), "H": (True, "★"), "o": (False, "□"),
}

_PUA = 0xF000


@lru_cache(maxsize=256)
def font_key(fontname: str) -> str:
    """A font name as the tables know it: no subset prefix, style, spaces or case."""
    name = fontname.split("+", 1)[-1].lower()
    for cut in (",", "-"):
        name = name.split(cut, 1)[0]
    return name.replace(" ", "").replace("_", "")


@lru_cache(maxsize=256)
def table_for(fontname: str) -> dict[int, tuple[bool, str]] | None:
    """The code table of a symbol font, or None for an ordinary font."""
    key = font_key(fontname)
    if key.startswith("wingdings2"):
        return WINGDINGS_2
    if key.startswith("wingdings3") or key in ("symbol", "symbolmt"):
        return {}  # arrows, Greek letters: no box among them
    if key.startswith("wingdings"):
        return WINGDINGS
    if key.startswith("webdings"):
        return WEBDINGS
    if key in ("zapfdingbats", "zadb", "dingbats"):
        return {ord(k): v for k, v in ZAPF_DINGBATS.items()}
    return None


def symbol(fontname: str, code: int) -> tuple[bool, str] | None:
    """(checked, glyph) for a symbol-font code, or None when it shows no box or mark.

    ``code`` may carry the private-use offset (U+F0FE for Wingdings 0xFE).  A
    private-use code in a font that is not named as a symbol font (a PDF from
    LibreOffice writes Wingdings as U+F06C in *OpenSymbol*; a run may lose its
    font) is read as Wingdings, then as Wingdings 2.
    """
    low = code - _PUA if _PUA <= code <= _PUA + 0xFF else code
    table = table_for(fontname)
    if table is not None:
        if code >= 0x100 and not _PUA <= code <= _PUA + 0xFF:
            return None
        return table.get(low)
    if not _PUA <= code <= _PUA + 0xFF:
        return None
    return WINGDINGS.get(low) or WINGDINGS_2.get(low)


def is_private_symbol(ch: str) -> bool:
    """Is ``ch`` a symbol-font code written as a private-use character (U+F020–U+F0FF)?"""
    return _PUA <= ord(ch) <= _PUA + 0xFF if len(ch) == 1 else False


def glyph_state(ch: str) -> bool | None:
    """A typed glyph's box state: True ticked, False empty, None not a box (weak marks too)."""
    if ch in CHECKED_GLYPHS:
        return True
    if ch in UNCHECKED_GLYPHS:
        return False
    return None
