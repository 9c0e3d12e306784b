"""File writes that never leave a half-written file under its final name.

Every output is written to ``.<random>.kyotei-tmp`` in the same folder and
renamed into place (:func:`kyotei_docs.publish.write_new` with ``replace``: these
are the pass's own records inside ``.work/<id>/``, rewritten at each step), so a
crash of the process leaves either the old file, the new one, or a temporary file
that recovery recognises by its mark and removes.

Only the record that completes a submission (its final ``submission.json``) is
fsync'ed (``durable=True``): an fsync costs milliseconds, more on a share, and
everything else in ``.work/`` is rewritten if the process dies before the move.
Originals are only ever renamed, never rewritten, so no crash or power cut can
damage one.  Staff-facing ``.txt`` files get a BOM and CRLF line ends because older
Windows Notepad guesses the encoding wrongly without them.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from ..publish import TMP_MARK, is_tmp, write_new

__all__ = ["TMP_MARK", "atomic_write_bytes", "atomic_write_json", "atomic_write_text", "display_name",
           "fsync_dir", "is_tmp", "read_json", "remove_tmp"]


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = False) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())

    write_new(path, write, replace=True)


def atomic_write_text(path: Path, text: str, *, staff: bool = False, durable: bool = False) -> None:
    """Write text atomically; ``staff=True`` gives UTF-8 with BOM and CRLF for Notepad."""
    if staff:
        data = ("\ufeff" + text.replace("\r\n", "\n").replace("\n", "\r\n")).encode("utf-8")
    else:
        data = text.encode("utf-8")
    atomic_write_bytes(path, data, durable=durable)


def atomic_write_json(path: Path, obj: Any, *, durable: bool = False) -> None:
    atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n", durable=durable)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def remove_tmp(folder: Path) -> int:
    """Remove this package's temporary files and folders directly inside ``folder``.

    Only names carrying :data:`TMP_MARK` are touched; a submitted file never does
    (claiming keeps the staff's own name), so this cannot lose a submission.
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return 0
    for entry in entries:
        if not is_tmp(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            _quiet_unlink(Path(entry.path))
        removed += 1
    return removed


def _quiet_unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable where the platform allows it (POSIX)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def display_name(name: str) -> str:
    """A file name as text that can always be stored and printed.

    On POSIX a name may hold bytes that are not UTF-8 (Python keeps them as
    surrogates); SQLite and JSON refuse those, so they are shown as U+FFFD.
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
