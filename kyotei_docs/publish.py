"""Writing a file so that nobody sees half of it and nothing is overwritten — the one way.

Every file kyotei writes for staff (rendered documents, PDFs, exports, backups,
blank forms, exported templates, check reports, drafts in the drop folder) is
written to a hidden temporary file in its target folder first and then
*published* under its name in one step: a hard link, which fails if the name is
taken, or — where a file system has no hard links (some shares) — an exclusive
create of the name followed by a rename over that reservation.  So a reader
(staff, Word, the drop folder) never sees half a file, and a file that exists is
never replaced.

When the name is taken the caller chooses: ``copies=True`` publishes under the
one naming for copies — ``X.docx``, ``X(2).docx``, ``X(3).docx`` … up to
``X(999)`` — and ``copies=False`` raises :class:`FileExistsError` so the
command can say so (an export or a backup named by the user).

Temporary names carry :data:`TMP_MARK` (``.<random>.kyotei-tmp<suffix>``):
hidden, short (the final name may be near 255 bytes), and recognised by the
drop folder's recovery, which removes only such names.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import KyoteiError
from .i18n import Catalog

__all__ = ["MAX_NUMBER", "TMP_MARK", "PublishError", "copy_new", "free_folder_name", "free_number", "is_tmp",
           "numbered", "private_dir", "publish", "temp_path", "write_new"]

#: Highest 「(n)」 tried before giving up (a folder with 999 copies needs tidying, not file 1000).
MAX_NUMBER = 999
#: In the name of every temporary file or folder kyotei creates.
TMP_MARK = ".kyotei-tmp"

MESSAGES: Catalog = {
    "no_room": ("{path} と同じ名前のファイルが多すぎます（(999) まで使用済み）。フォルダーを整理してください。",
                "Too many files named like {path} (up to (999) in use). Tidy the folder."),
}

_NUMBERED = re.compile(r"(.*)\((\d+)\)")


class PublishError(KyoteiError):
    """No free name is left for a copy."""

    catalog = MESSAGES


def is_tmp(name: str) -> bool:
    """Whether ``name`` is one of kyotei's temporary files or folders."""
    return TMP_MARK in name


def numbered(path: Path, n: int) -> Path:
    """The n-th copy's name: ``X.docx`` for n = 1, ``X(n).docx`` otherwise."""
    return path if n <= 1 else path.with_name(f"{path.stem}({n}){path.suffix}")


def _split_number(path: Path) -> tuple[Path, int]:
    """``X(3).docx`` → (``X.docx``, 3); ``X.docx`` → (``X.docx``, 1)."""
    m = _NUMBERED.fullmatch(path.stem)
    return (path.with_name(m.group(1) + path.suffix), int(m.group(2))) if m else (path, 1)


def free_number(paths: Iterable[Path]) -> int:
    """The first n for which no ``numbered(p, n)`` exists: files of one render share their number."""
    paths = list(paths)
    for n in range(1, MAX_NUMBER + 1):
        if not any(numbered(p, n).exists() for p in paths):
            return n
    raise PublishError("no_room", path=str(paths[0]))


def temp_path(folder: Path, suffix: str = "") -> Path:
    """A new, empty, hidden temporary file in ``folder`` (same file system, so publishing is one step)."""
    # Not tempfile.mkstemp: its files are private (0600) and would stay so after publishing;
    # published files should get the folder's usual permissions (0666 minus the umask).
    for _ in range(100):
        name = folder / f".{secrets.token_hex(4)}{TMP_MARK}{suffix}"
        try:
            fd = os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return name
    raise FileExistsError(folder / f"*{TMP_MARK}")


def _link_unsupported(exc: OSError) -> bool:
    return exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK,
                         errno.ENOSYS, errno.EACCES)


def _claim(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target``; FileExistsError if the name is taken (never replaces)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except (OSError, NotImplementedError) as exc:
        if isinstance(exc, OSError) and not _link_unsupported(exc):
            raise
        # No hard links here: reserve the name exclusively, then move over our own reservation.
        with open(target, "xb"):
            pass
        os.replace(tmp, target)
        return
    tmp.unlink()


def publish(tmp: Path, target: Path, *, copies: bool = True) -> Path:
    """Give the finished file ``tmp`` the name ``target`` without replacing anything; return the name used.

    With ``copies`` a taken name (even one taken meanwhile) gives the next free
    ``X(n)``; without, :class:`FileExistsError` is raised.  ``tmp`` must be on
    the same file system as ``target`` (make it with :func:`temp_path`); it is
    gone afterwards in every case.
    """
    try:
        if not copies:
            try:
                _claim(tmp, target)
            except FileExistsError:
                raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
            return target
        head, start = _split_number(target)
        for n in range(start, MAX_NUMBER + 1):
            candidate = numbered(head, n)
            try:
                _claim(tmp, candidate)
                return candidate
            except FileExistsError:
                continue
        raise PublishError("no_room", path=str(target))
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_new(target: Path, write: Callable[[Path], object], *, copies: bool = True,
              replace: bool = False) -> Path:
    """Write a file through ``write(tmp_path)`` and publish it as ``target`` (see :func:`publish`).

    ``replace`` is for a replacement the user asked for by name (``--force``):
    the finished file then takes ``target``'s place in one step.  The folder
    must exist: a folder the user named that is not there is theirs to fix (a
    typo), not ours to create.
    """
    tmp = temp_path(target.parent, target.suffix)
    try:
        write(tmp)
        if replace:
            os.replace(tmp, target)
            return target
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return publish(tmp, target, copies=copies)


def copy_new(source: Path, target: Path, *, copies: bool = True, replace: bool = False) -> Path:
    """Copy ``source`` to ``target`` under the same rules (a file from elsewhere: another disk, a scratch folder)."""

    def copy(tmp: Path) -> None:
        with open(source, "rb") as src, open(tmp, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)

    return write_new(target, copy, copies=copies, replace=replace)


def free_folder_name(path: Path) -> Path:
    """``path`` or its first free copy name ``path(2)``, ``path(3)`` … for a folder about to be moved there.

    Moving a folder is a rename, which cannot refuse an existing empty folder on
    POSIX, so the name is chosen first; the drop folder holds a lock so that no
    other kyotei chooses at the same time.
    """
    for n in range(1, MAX_NUMBER + 1):
        candidate = path if n == 1 else path.with_name(f"{path.name}({n})")
        if not candidate.exists():
            return candidate
    raise PublishError("no_room", path=str(path))


@contextlib.contextmanager
def private_dir(folder: Path, prefix: str = ".kyotei-") -> Iterator[Path]:
    """A hidden scratch folder inside ``folder``, removed afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=prefix, suffix=TMP_MARK, dir=folder) as tmp:
        yield Path(tmp)
