"""The code ``dataclasses`` compiles for each class's methods, kept between runs (start-up, issue 20).

Python writes a dataclass's ``__init__``, ``__repr__`` and ``__eq__`` (a frozen one's
``__setattr__``, ``__delattr__`` and ``__hash__`` too) as source text and compiles each with its
own ``exec`` (3.11 and 3.12; 3.13 one per class): ~200 compilations for the ~47 classes a PDF
check defines, ~24 ms of its CPU — the largest part of start-up that is kyotei's own.  The
code compiled from a text depends only on that text, the compiler's flags and the Python, so
it is kept as the compiled patterns are (:mod:`kyotei_docs.kept`: beside the bytecode, for this
very Python), looked up by the whole text itself.  :func:`install` gives ``dataclasses`` an
``exec`` that runs the code compiled from exactly the text it was asked to run, with the flags
its own ``exec`` would have used (the module's ``__future__`` imports; it has none today), so
every class is the class Python would have made; a text not kept yet is compiled as before and
kept when the process ends.  Anything that goes wrong falls back to compiling the text.

Only the ``kyotei`` entry points install it (:func:`kyotei_docs.cli.main`): a program that
imports kyotei_docs as a library, the tests included, keeps ``dataclasses`` as it is.
"""

from __future__ import annotations

import builtins
from types import CodeType
from typing import Any

#: source text -> the code compiled from it (None: not read yet)
_kept: dict[str, Any] | None = None
#: the entries compiled in this process, written beside the bytecode when it ends
_new: dict[str, Any] = {}
#: an older file keeps texts no run uses any more; past this many it is started afresh
_KEPT_MAX = 1000
_NAME = "dataclasses"


def install() -> None:
    """Let ``dataclasses`` run kept code for the method texts it compiles (idempotent)."""
    import dataclasses

    if getattr(dataclasses, "exec", None) is not _exec:
        dataclasses.exec = _exec  # type: ignore[attr-defined]  # a module global before the builtin


def uninstall() -> None:
    """``dataclasses`` compiles every text again (the tests)."""
    import dataclasses

    if getattr(dataclasses, "exec", None) is _exec:
        del dataclasses.exec  # type: ignore[attr-defined]


def _exec(source: Any, globals: Any = None, locals: Any = None, /, **options: Any) -> None:  # noqa: A002
    if isinstance(source, str):
        try:
            source = _code(source)
        except SyntaxError:
            raise
        except Exception:  # noqa: BLE001 - whatever this Python does differently: its own exec compiles it
            pass
    builtins.exec(source, globals, locals, **options)


def _code(source: str) -> Any:
    code = _kept_codes().get(source)
    if type(code) is not CodeType:  # none kept (or not code: made afresh, kept anew)
        code = compile(source, "<string>", "exec", _flags(), dont_inherit=True)
        if not _new:
            import atexit

            atexit.register(_keep)
        _new[source] = code
    return code


def _flags() -> int:
    """The ``__future__`` flags ``exec`` inherits from the code that calls it (``dataclasses``' own)."""
    import __future__

    import dataclasses

    return sum(feature.compiler_flag for feature in vars(dataclasses).values()
               if isinstance(feature, __future__._Feature))


def _kept_codes() -> dict[str, Any]:
    global _kept
    if _kept is None:
        from . import kept

        _kept = kept.read_table(_NAME)
    return _kept


def _keep() -> None:
    """At exit: the texts this run compiled afresh join those kept (where Python writes bytecode)."""
    if not _new:
        return
    from . import kept

    kept.add_to_table(_NAME, _kept_codes(), _new, _KEPT_MAX)
