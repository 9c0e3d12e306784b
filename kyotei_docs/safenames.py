"""Safe file names from untrusted text (company names, project titles).

Why: output files are named after the partner (「株式会社ななかまど_協定書.docx」),
and a partner's name is whatever was typed into Form 1.  A name must never
leave the output folder (「../」, 「／」 which NFKC folds to 「/」), never be a
name Windows refuses or treats as a device (``CON``, ``COM1``, trailing dots or
spaces), never exceed the file-system limit (255 *bytes* on Linux, and Japanese
characters take 3 bytes in UTF-8), and must look the same whether the text came
in NFC or NFD (macOS).  The renderer and the drop folder share this function so
both name files the same way.

Only characters that are dangerous are replaced; everything else (full-width
letters, ⑴, 「・」) is kept as typed, because staff search for files by name.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["RESERVED_NAMES", "safe_filename"]

#: Windows device names: reserved with any extension (``CON.docx``) and any case.
RESERVED_NAMES: frozenset[str] = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
    | {f"COM{c}" for c in "¹²³"} | {f"LPT{c}" for c in "¹²³"}
)

#: Characters Windows forbids in names, plus both path separators.
_FORBIDDEN = frozenset('<>:"/\\|?*')
_REPLACEMENT = "_"
_EMPTY = "_"
_SPACES = re.compile(r"[^\S\u3000]+")  # runs of whitespace other than the ideographic space
#: Characters that belong to the character before them: a cut must not separate them.
_JOINERS = frozenset({"\u200d"})


def _is_dangerous(ch: str) -> bool:
    """True if ``ch`` or its NFKC compatibility form is a separator/forbidden character.

    Checking the NFKC form catches 「／」「＼」「：」「＜」 and friends, which some
    tools fold to their ASCII forms after we have checked the name.
    """
    if ch in _FORBIDDEN:
        return True
    folded = unicodedata.normalize("NFKC", ch)
    return any(c in _FORBIDDEN for c in folded)


def _is_invisible(ch: str) -> bool:
    """Control and format characters (U+0000–U+001F, DEL, bidi overrides, zero-width).

    A right-to-left override can make 「協定書‮xcod.exe」 look like another file,
    and control characters are refused by Windows: drop them.  The zero-width
    joiner inside an emoji sequence is kept (it is part of a visible character).
    """
    if ch in _JOINERS:
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and not ch.isspace()


def _is_edge_junk(ch: str) -> bool:
    """Characters a name may not start or end with: dots and whitespace (any width)."""
    return ch.isspace() or unicodedata.normalize("NFKC", ch) in (".", "..", "...")


def _continues_previous(ch: str) -> bool:
    """Combining marks, variation selectors and joiners attach to the previous character."""
    cp = ord(ch)
    return (
        unicodedata.combining(ch) != 0
        or unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF  # ideographic variation selectors (葛󠄀)
        or 0x1F3FB <= cp <= 0x1F3FF  # emoji skin-tone modifiers
        or ch in _JOINERS
    )


def _truncate(name: str, max_bytes: int) -> str:
    """Cut ``name`` to at most ``max_bytes`` of UTF-8, at a character boundary.

    Never in the middle of a multi-byte character, and never between a base
    character and the marks or selectors that belong to it.
    """
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    used = 0
    cut = 0
    for i, ch in enumerate(name):
        size = len(ch.encode("utf-8"))
        if used + size > max_bytes:
            break
        used += size
        cut = i + 1
    # Back up while the first dropped character belongs to the last kept one.
    while 0 < cut < len(name) and _continues_previous(name[cut]):
        cut -= 1
    # A joiner left at the end would glue onto whatever suffix follows.
    while cut > 0 and name[cut - 1] in _JOINERS:
        cut -= 1
    return name[:cut]


def _strip_edges(name: str) -> str:
    start, end = 0, len(name)
    while start < end and _is_edge_junk(name[start]):
        start += 1
    while end > start and _is_edge_junk(name[end - 1]):
        end -= 1
    return name[start:end]


def _is_reserved(name: str) -> bool:
    """``CON``, ``con.docx``, ``ＣＯＮ``, ``COM1 .txt``: Windows reads the part before the first dot."""
    stem = unicodedata.normalize("NFKC", name).split(".", 1)[0].rstrip(" ").upper()
    return stem in RESERVED_NAMES


def safe_filename(name: str, *, max_bytes: int = 200) -> str:
    """A file name (no folder part) made from ``name``, safe on Linux, Windows and macOS.

    * NFC-normalised, so NFC and NFD input give the same name;
    * separators and characters Windows forbids (and their full-width forms,
      「／」「：」) become 「_」; control/format characters are dropped;
    * whitespace runs become one space; leading/trailing dots and spaces are
      removed (so 「..」 and 「．．」 can never name a parent folder);
    * Windows device names (``CON``, ``com1``, ``ＮＵＬ``) get a leading 「_」;
    * at most ``max_bytes`` bytes of UTF-8, cut at a character boundary (the
      default 200 leaves room for a suffix such as 「_協定書(2).docx」 within 255);
    * never empty: a name with nothing usable left becomes 「_」.
    """
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be positive, not {max_bytes}")
    text = unicodedata.normalize("NFC", name)
    out: list[str] = []
    for ch in text:
        if _is_invisible(ch):
            continue
        out.append(_REPLACEMENT if _is_dangerous(ch) else ch)
    cleaned = _SPACES.sub(" ", "".join(out))
    cleaned = _strip_edges(cleaned)
    if cleaned.startswith("~"):
        cleaned = _REPLACEMENT + cleaned[1:]  # 「~$…」 is how Office names its lock files
    if _is_reserved(cleaned):
        cleaned = _REPLACEMENT + cleaned
    cleaned = _strip_edges(_truncate(cleaned, max_bytes))
    if not cleaned:
        return _EMPTY
    return unicodedata.normalize("NFC", cleaned)
