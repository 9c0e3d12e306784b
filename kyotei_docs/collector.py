"""Python's cyclic garbage collector while ``kyotei`` starts and when it ends (start-up, issue 20).

A command makes most of its objects while it starts: modules, classes, functions, the
configuration — tens of thousands of objects that live as long as the process.  Python's
collector runs every 700 new objects and walks the young ones each time: ~60 collections
and ~15 ms of CPU in a PDF check, finding nothing (the library a check is measured against,
pdfplumber, alone makes ~45 of them while it is imported).  At the end the interpreter walks
and frees everything once more, ~25 ms, although the operating system takes the memory back
at once.  So:

* :func:`starting` (the entry points, first thing) turns the collector off, and
  :func:`started` (when the command has been found and starts its work) sets aside what
  start-up made (``gc.freeze``: never walked again) and turns it back on — the command's
  own work runs with the collector as usual, so a long ``serve`` or ``watch`` is unchanged;
* :func:`importing` does the same around a lazy import of a heavy library (pdfplumber
  before the sandbox forks its child: a child that never walks the parent's objects does not
  copy the pages they lie on either, ``gc.freeze``'s documented use before ``fork``);
* :func:`ending` sets everything aside just before the interpreter shuts down: the
  shutdown's collections skip it and it is not freed object by object.  ``atexit``
  handlers, ``finally`` blocks and the flushing of stdout/stderr run as before; only
  reference cycles still alive at exit are not collected (a file must be closed by the code
  that opened it, which ours does with ``with`` or :mod:`kyotei_docs.publish`).

Only the entry points call :func:`starting`; without it :func:`started` does nothing, so a
test that invokes the click group in its own process keeps its collector as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_paused = False


def starting() -> None:
    """Turn the collector off until :func:`started` (only the ``kyotei`` entry points call this)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def started() -> None:
    """Start-up is over: what it made is set aside for good, the collector runs again."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


@contextmanager
def importing() -> Iterator[None]:
    """Around importing a heavy library: no collection while it is made, then it is set aside."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def ending() -> None:
    """The process is about to end: its objects are left to the operating system."""
    gc.freeze()
