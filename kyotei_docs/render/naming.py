"""Output file names, and writing files without ever overwriting one.

Decision (documented in docs/render.md): an existing file is never replaced.
When 「株式会社X_包括連携協定書.docx」 exists, the next render writes
「株式会社X_包括連携協定書(2).docx」, and the files of one render share the same
number so they belong together visibly.  A signed agreement's draft can
therefore not be lost by rendering again.

Every file is written to a hidden temporary file in the target folder first
and then published under its name in one step (a hard link, which fails if the
name is taken, or an exclusive create + rename where links are unsupported),
so nobody — including the drop folder — ever sees half a document.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..safenames import safe_filename
from .messages import RenderError

__all__ = ["MAX_NUMBER", "OutputNames", "numbered", "publish", "temp_path", "write_new"]

#: Highest 「(n)」 tried before giving up (a folder with 999 copies needs tidying, not file 1000).
MAX_NUMBER = 999

LABEL_FORM2 = {"comprehensive": "包括連携協定書", "individual": "連携協定書"}
LABEL_FORM3 = "ホームページ掲載文"
LABEL_PHOTO = "写真"
_NUMBERED = re.compile(r"(.*)\((\d+)\)")


def numbered(path: Path, n: int) -> Path:
    """``X.docx`` for n = 1, ``X(n).docx`` otherwise."""
    return path if n <= 1 else path.with_name(f"{path.stem}({n}){path.suffix}")


class OutputNames:
    """The names of one render's files, all with the same free number.

    ``base`` is the partner's name made safe by :func:`safe_filename`.
    """

    def __init__(self, out_dir: Path, partner_name: str, kind: str, *, photo_suffixes: list[str] | None = None):
        base = safe_filename(partner_name or "協定")
        label = LABEL_FORM2.get(kind, LABEL_FORM2["comprehensive"])
        self.out_dir = out_dir
        wanted = {
            "form2_docx": out_dir / f"{base}_{label}.docx",
            "form2_pdf": out_dir / f"{base}_{label}.pdf",
            "form3_docx": out_dir / f"{base}_{LABEL_FORM3}.docx",
            "form3_pdf": out_dir / f"{base}_{LABEL_FORM3}.pdf",
            "form3_html": out_dir / f"{base}_{LABEL_FORM3}.html",
        }
        for i, suffix in enumerate(photo_suffixes or [], start=1):
            wanted[f"photo{i}"] = out_dir / f"{base}_{LABEL_PHOTO}{i}{suffix}"
        self.wanted = wanted
        self.number = self._free_number(list(wanted.values()))
        self.paths = {k: numbered(p, self.number) for k, p in wanted.items()}

    @staticmethod
    def _free_number(paths: list[Path]) -> int:
        for n in range(1, MAX_NUMBER + 1):
            if not any(numbered(p, n).exists() for p in paths):
                return n
        raise RenderError("no_room", path=str(paths[0]))

    def __getitem__(self, key: str) -> Path:
        return self.paths[key]


def temp_path(folder: Path, suffix: str) -> Path:
    """A new hidden temporary file in ``folder`` (same file system, so publishing is one step)."""
    # Not tempfile.mkstemp: its files are private (0600) and would stay so after publishing;
    # the documents should get the folder's usual permissions (0666 minus the umask).
    for _ in range(100):
        name = folder / f".kyotei-{secrets.token_hex(8)}{suffix}.tmp"
        try:
            fd = os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return name
    raise FileExistsError(folder / ".kyotei-*.tmp")


def _link_unsupported(exc: OSError) -> bool:
    return exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK,
                         errno.ENOSYS, errno.EACCES) or isinstance(exc, (NotImplementedError,))


def _claim(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target``; FileExistsError if the name is taken (never replaces)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except (OSError, NotImplementedError) as exc:
        if isinstance(exc, OSError) and not _link_unsupported(exc):
            raise
        # No hard links here (some shares): reserve the name exclusively, then move over our own reservation.
        with open(target, "xb"):
            pass
        os.replace(tmp, target)
        return
    tmp.unlink()


def _split_number(path: Path) -> tuple[str, int]:
    """``X(3).docx`` → ("X", 3); ``X.docx`` → ("X", 1)."""
    m = _NUMBERED.fullmatch(path.stem)
    return (m.group(1), int(m.group(2))) if m else (path.stem, 1)


def publish(tmp: Path, target: Path) -> Path:
    """Move ``tmp`` to ``target``, or to the next free ``…(n)`` name if ``target`` is taken meanwhile.

    Returns the name used.  The temporary file is gone afterwards in every case.
    """
    head, start = _split_number(target)
    try:
        for n in range(start, MAX_NUMBER + 1):
            candidate = target if n == start else target.with_name(f"{head}({n}){target.suffix}")
            try:
                _claim(tmp, candidate)
                return candidate
            except FileExistsError:
                continue
        raise RenderError("no_room", path=str(target))
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_new(target: Path, write: Callable[[Path], None]) -> Path:
    """Write a file through ``write(tmp_path)`` and publish it as ``target`` (or a free variant)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target.parent, target.suffix)
    try:
        write(tmp)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return publish(tmp, target)


@contextlib.contextmanager
def private_dir(folder: Path, prefix: str = ".kyotei-") -> Iterator[Path]:
    """A hidden scratch folder inside ``folder``, removed afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=prefix, dir=folder) as tmp:
        yield Path(tmp)
