"""Make untrusted text safe to put into a document.

Why: every value comes from Form 1, i.e. from outside.  XML 1.0 cannot hold
most control characters (U+0000–U+001F except tab/newline/CR, U+FFFE/U+FFFF,
lone surrogates): one of them makes Word refuse the whole file.  docxtpl also
turns some of them into layout (``\\f`` becomes a page break, ``\\a`` a new
paragraph).  Escaping of ``&``/``<`` is *not* done here: the Jinja environment
autoescapes, so a value is escaped exactly once.  And values are never used as
template source, so 「{{7*7}}」 stays text.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["clean_text", "one_line", "safe_context"]

# C0 controls except \t and \n, DEL is allowed in XML but invisible: drop it too.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_SPACE_RUN = re.compile(r"[ \t\n]+")


def clean_text(value: str) -> str:
    """``value`` with characters XML or docxtpl cannot take removed; line breaks kept as ``\\n``.

    CR and CRLF become ``\\n`` (a value pasted from Windows), U+2028/2029 too.
    """
    value = _LINE_BREAKS.sub("\n", value)
    return _CONTROL.sub("", value)


def one_line(value: str) -> str:
    """For names, addresses and titles: any run of tabs/newlines becomes one space, ends trimmed.

    A line break inside a company name would break the title line and the
    signature block; a tab would jump to a tab stop.
    """
    return _SPACE_RUN.sub(" ", clean_text(value)).strip(" \u3000")


def safe_context(value: Any) -> Any:
    """A copy of ``value`` with :func:`clean_text` applied to every string in it.

    Dicts, lists and tuples are walked; other objects (images) are returned as they are.
    """
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: safe_context(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe_context(v) for v in value]
    return value
