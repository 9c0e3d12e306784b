"""How to read: options that reach the readers without changing their signature.

``read_form(path)`` is called from commands, the drop folder and the registry;
a reader must not grow parameters each of them has to pass on.  Options that a
command sets (``--ocr``, the configured limits) travel in a context variable,
the same way the message language does (``i18n``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from ..limits import Limits


@dataclass(frozen=True)
class ReadOptions:
    """How files are read in this run (OCR, limits, Form 1 only), set once by whoever holds a Config."""

    #: ``--ocr``: read every scan, image and unusable text layer with Tesseract, whatever the configuration says
    ocr: bool = False
    #: the configuration's ``[reading] ocr``: ``"auto"`` reads them by OCR when Tesseract is installed, ``"never"``
    #: refuses them (saying OCR would read them).  Whoever holds a Config passes it; without one nothing is OCRed
    ocr_mode: str = "never"
    #: limits for untrusted input (the configuration's ``Config.limits``); None = the shipped ones
    limits: Limits | None = None
    #: the caller wants Form 1 only (:func:`kyotei_docs.pipeline.read_proposal`): a reader may
    #: refuse a file as ``not_form1`` from its first pages instead of reading it whole
    form1_only: bool = False
    #: words of the city's configuration an OCR near miss is set to (:mod:`.ocrwords`): its name, the
    #: mayor's title, ``[reading] ocr_words`` (``Config.ocr_words``)
    ocr_words: tuple[str, ...] = ()

    @property
    def ocr_wanted(self) -> str:
        """``"force"`` (``--ocr``), ``"auto"`` or ``"never"``: what a reader does with a file only OCR can read."""
        return "force" if self.ocr else "auto" if self.ocr_mode == "auto" else "never"

    def effective_limits(self) -> Limits:
        """Never reloads a configuration: whoever holds one passes its limits (``check_file`` does)."""
        return self.limits or Limits()


_current: ContextVar[ReadOptions] = ContextVar("kyotei_read_options", default=ReadOptions())


def current() -> ReadOptions:
    return _current.get()


def set_options(opts: ReadOptions) -> None:
    """Set the options for the rest of this context (a command sets them once)."""
    _current.set(opts)


@contextmanager
def reading(**changes: Any) -> Iterator[ReadOptions]:
    """``with reading(ocr=True, limits=...):`` — options for every read inside the block."""
    opts = replace(_current.get(), **changes)
    token = _current.set(opts)
    try:
        yield opts
    finally:
        _current.reset(token)
