"""What every start would work out again, kept beside the bytecode: compiled patterns, the parsed defaults.

Why (issue 20): ``kyotei check`` of one file is measured against the library call it stands
on, and most of its time is start-up.  Three things a start did each time depend only on what
ships with kyotei and on the Python running it: the code ``re`` compiles for our patterns
(``vocab.compile_kept``, ~15 ms), the parsed ``defaults/kyotei.toml`` (``config``, ~2 ms
and the TOML parser's import) and the code of the methods ``dataclasses`` writes for each class
(:mod:`kyotei_docs.keptcode`, ~24 ms of a PDF check).  They are kept as Python keeps bytecode:
one file per thing in this package's ``__pycache__`` (or under ``PYTHONPYCACHEPREFIX``), named for the Python
(``cache_tag``), holding that Python's full version, and written only where Python writes
bytecode.  A file that is missing, damaged or another Python's is ignored and written anew;
what a caller reads from it must still be checked by the caller against what it stands for
(the pattern's text, the defaults' text), so a stale file can never change a result.

What is kept is checked before it is unmarshalled: the file holds the kept value's bytes with
their CRC-32, and a file whose bytes do not match (a disk error, a copy cut short, a byte
changed inside a kept code object — which ``marshal`` would load and Python would run) is
ignored as a damaged one is; a file larger than :data:`MOST` bytes is not read at all.
"""

from __future__ import annotations

import os
import sys
from typing import Any

#: bytes of one kept file read at most (the dataclasses' code: ~0.3 MB; the patterns: ~0.1 MB)
MOST = 16 * 1024 * 1024


def path(name: str) -> str | None:
    """The file that keeps ``name``, or None where this Python keeps no bytecode."""
    from importlib.util import cache_from_source

    try:
        pyc = cache_from_source(__file__)  # …/__pycache__/kept.cpython-311.pyc
    except (NotImplementedError, ValueError):  # no cache_tag: this Python keeps no bytecode
        return None
    return f"{os.path.splitext(pyc)[0]}.{name}"


def read(name: str) -> Any:
    """What was kept under ``name`` by this very Python, or None."""
    where = path(name)
    if where is None:
        return None
    import marshal
    import zlib

    try:
        with open(where, "rb") as fh:
            data = fh.read(MOST + 1)
        if len(data) > MOST:
            return None
        version, crc, payload = marshal.loads(data)
        if version != sys.version or not isinstance(payload, bytes) or zlib.crc32(payload) != crc:
            return None  # another Python's, or damaged: what it holds is never unmarshalled
        return marshal.loads(payload)
    except (OSError, EOFError, ValueError, TypeError):
        return None  # none yet, or unreadable: worked out afresh and written anew


def write(name: str, value: Any) -> None:
    """Keep ``value`` (plain data: marshal) under ``name``, where Python writes bytecode; never raises."""
    where = path(name)
    if where is None or sys.dont_write_bytecode:
        return
    import marshal
    import zlib

    temp = f"{where}.{os.getpid()}.tmp"
    try:
        payload = marshal.dumps(value)
        data = marshal.dumps((sys.version, zlib.crc32(payload), payload))
        os.makedirs(os.path.dirname(where), exist_ok=True)
        with open(temp, "wb") as fh:
            fh.write(data)
        os.replace(temp, where)  # whole or not at all, whoever else writes it at the same moment
    except (OSError, ValueError):  # a folder this user cannot write, or data marshal cannot keep
        try:
            os.unlink(temp)
        except OSError:
            pass


def read_table(name: str) -> dict[Any, Any]:
    """The table kept under ``name`` by this very Python, or an empty one."""
    value = read(name)
    return value if isinstance(value, dict) else {}


def add_to_table(name: str, table: dict[Any, Any], new: dict[Any, Any], limit: int) -> None:
    """Keep ``table`` with the ``new`` entries of this run; past ``limit`` entries, only the new ones
    (an older file holds entries no run uses any more)."""
    if not new:
        return
    value = dict(table) if len(table) + len(new) <= limit else {}
    value.update(new)
    write(name, value)
