"""Messages in Japanese (default) and English.

Each module keeps its own small catalogue next to the code that raises or
reports; this module only holds the current language and the lookup.  The
language is a context variable so that deep code (rules, readers) need not
pass it around.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

LANGS = ("ja", "en")
_lang: ContextVar[str] = ContextVar("kyotei_lang", default="")

Catalog = dict[str, tuple[str, str]]


def set_lang(lang: str | None) -> None:
    if lang:
        _lang.set(lang if lang in LANGS else "ja")


@contextmanager
def in_japanese() -> Iterator[None]:
    """Japanese within the block whatever ``--lang`` says: documents the city sends or files
    (検討票, 報道資料, 意向調査, notices) are Japanese even for a member of staff working in English."""
    token = _lang.set("ja")
    try:
        yield
    finally:
        _lang.reset(token)


def get_lang() -> str:
    lang = _lang.get() or os.environ.get("KYOTEI_LANG", "ja")
    return lang if lang in LANGS else "ja"


def say(catalog: Catalog, key: str, /, **params: object) -> str:
    """The message ``key`` from ``catalog`` in the current language, filled in.

    ``catalog`` and ``key`` are positional-only, so a message may itself have a
    ``{key}`` field (「[web] {key} の値…」) without clashing with the lookup.
    """
    ja, en = catalog[key]
    template = en if get_lang() == "en" else ja
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
