"""File writes that never leave a half-written file under its final name.

Every output is written to ``.<random>.kyotei-tmp`` in the same folder and
renamed into place, so a crash of the process leaves either the old file, the new
one, or a temporary file that recovery recognises by its suffix and removes.

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
import secrets
import shutil
from pathlib import Path
from typing import Any

TMP_MARK = ".kyotei-tmp"
"""Suffix of every temporary file or folder this package creates in the drop folder."""


def is_tmp(name: str) -> bool:
    return TMP_MARK in name


def tmp_path(path: Path) -> Path:
    # Keep the temporary name short: the final name may already be near 255 bytes.
    return path.with_name(f".{secrets.token_hex(4)}{TMP_MARK}")


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = False) -> None:
    tmp = tmp_path(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        _quiet_unlink(tmp)
        raise


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
