"""Processing one submission: read, check, write the parse contract, draft Forms 2 and 3.

This runs in a worker process (CPU-bound parsing and rendering) and touches only
its own ``.work/<id>/`` folder; everything it learns goes back to the parent as
one small typed result (:mod:`.results`: ``Read``, ``Unreadable``, ``Infra`` or
``Failure``), and the parent alone writes the journal.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import KyoteiError
from ..i18n import Catalog, say
from ..safenames import safe_filename
from .claim import CHECK_JSON, NEEDS_FIX, OUTPUT_NAMES, PROPOSAL_JSON, REASON, REPORT_HTML
from .fsutil import TMP_MARK, atomic_write_json, remove_tmp
from .results import Failure, Infra, Read, Unreadable, WorkerResult

RENDER_STAGE = f"render{TMP_MARK}"
DRAFT_PREFIX = "下書き_"
_STALE_OUTPUTS = (PROPOSAL_JSON, CHECK_JSON, REPORT_HTML, NEEDS_FIX, REASON)


@dataclass(frozen=True)
class Task:
    sid: str
    folder: str  # absolute path of .work/<id>
    original: str
    render: bool = True


def run_task(task: Task, cfg: Config) -> WorkerResult:
    """Do the work for one submission; never raises (every failure is an outcome)."""
    try:
        return _run(task, cfg)
    except OSError as exc:
        return Infra(task.sid, os_detail(exc, task.folder))
    except MemoryError:
        return Failure(task.sid, "MemoryError")
    except Exception as exc:  # a bug must not stop the folder: report it, the parent decides
        return Failure(task.sid, f"{type(exc).__name__}: {exc}", trace=traceback.format_exc())


def _run(task: Task, cfg: Config) -> WorkerResult:
    from ..pipeline import check_file

    folder = Path(task.folder)
    original = folder / task.original
    earlier = _earlier_reading(folder)
    if earlier is not None:  # read by a pass killed while drafting: draft from that reading
        from ..proposal import Proposal

        read = Read(task.sid, bool(earlier["valid"]),
                    (earlier["proposal"].get("organization") or {}).get("name"), earlier)
        if read.valid and task.render:
            read = _render(Proposal.from_json(earlier["proposal"]), cfg, folder, task.original, read)
        return read
    _clear_previous(folder)
    try:
        result = check_file(original, cfg)
    except KyoteiError as exc:
        if not original.is_file():  # the share went away under us: not the file's fault
            raise FileNotFoundError(2, "original not reachable", str(original)) from exc
        return Unreadable(task.sid, exc.code, exc.message)
    atomic_write_json(folder / PROPOSAL_JSON, result.proposal.to_json())
    check = result.to_json()
    # where each value came from (docx:sdt, pdf:acroform, …): the screen shows it beside the value
    check["sources"] = dict(result.proposal.sources)
    atomic_write_json(folder / CHECK_JSON, check)
    read = Read(task.sid, result.valid, result.proposal.organization.name, check)
    if result.valid and task.render:
        read = _render(result.proposal, cfg, folder, task.original, read)
    return read


def _render(proposal: Any, cfg: Config, folder: Path, original: str, read: Read) -> Read:
    """Draft Forms 2 and 3 into the folder; ``read`` with the drafts, or with why there are none."""
    from ..render import render_documents

    stage = folder / RENDER_STAGE
    stage.mkdir()
    try:
        rendered = render_documents(proposal, cfg, stage)
        # the render repeats the check's warnings (for kyotei render alone): the report already lists them
        # under 注意, so only what concerns the drafts is kept here (an OCR notice was shown three times)
        said = {f.get("message") for f in read.check.get("warnings") or [] if isinstance(f, dict)}
        warnings = tuple(str(w) for w in getattr(rendered, "warnings", []) if str(w) not in said)
        names = []
        taken = {original.lower(), *(n.lower() for n in OUTPUT_NAMES)}
        for path in sorted(stage.iterdir()):
            if path.is_file() and TMP_MARK not in path.name and not path.name.startswith("."):
                name = path.name
                if name.lower() in taken:  # never replace the original (staff may name it like a draft)
                    name = safe_filename(DRAFT_PREFIX + name, max_bytes=200)
                os.replace(path, folder / name)  # the stage is inside the folder: a rename of a whole file
                names.append(name)
        return replace(read, drafts=tuple(names), render_warnings=warnings)
    except OSError:
        raise
    except KyoteiError as exc:
        return replace(read, render_error=exc.message)
    except Exception as exc:
        return replace(read, render_error=f"{type(exc).__name__}: {exc}", trace=traceback.format_exc())
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _earlier_reading(folder: Path) -> dict[str, Any] | None:
    """The check report an earlier attempt wrote, when both of its files are whole (each is written
    in one rename, check.json last); outputs after the reading are removed, to be made again."""
    try:
        check = json.loads((folder / CHECK_JSON).read_text(encoding="utf-8"))
        json.loads((folder / PROPOSAL_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(check, dict) or "valid" not in check or not isinstance(check.get("proposal"), dict):
        return None
    remove_tmp(folder)
    for name in (REPORT_HTML, NEEDS_FIX, REASON):
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            pass
    return check


def _clear_previous(folder: Path) -> None:
    """Remove what an interrupted earlier attempt wrote; the original is never among these."""
    remove_tmp(folder)
    for name in _STALE_OUTPUTS:
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            pass


#: What staff read for the system refusing a write or read (the summary, ``inbox status``, the
#: screen): what is wrong, where, and what to do — the summary's heading already says the file is
#: kept and retried.  The errno's name in brackets is for the administrator.
OS_MESSAGES: Catalog = {
    "disk_full": ("ディスクの空き容量がありません（{path}）。不要なファイルを削除するか管理者に連絡して、空きを作ってください",
                  "The disk is full ({path}). Free some space (delete files no longer needed, or ask your administrator)"),
    "permission": ("書き込み・読み取りの権限がありません（{path}）。ファイルを開いているプログラムを閉じるか、フォルダーの権限を管理者に確認してください",
                   "Permission denied ({path}). Close the program that has it open, or ask your administrator about the folder's permissions"),
    "read_only": ("読み取り専用の場所には書き込めません（{path}）。書き込みできるフォルダーにするよう管理者に連絡してください",
                  "The location is read-only ({path}). Ask your administrator to make it writable"),
    "gone": ("ファイルかフォルダーが見つかりません（{path}）。共有フォルダーがつながっているか確認してください",
             "A file or folder is not there ({path}). Check that the shared folder is connected"),
    "other": ("ファイルを読み書きできませんでした（{path}: {reason}）。共有フォルダーとディスクの状態を確認してください",
              "Could not read or write a file ({path}: {reason}). Check the shared folder and the disk"),
}
_OS_KEYS = {errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full", errno.EACCES: "permission",
            errno.EPERM: "permission", errno.EROFS: "read_only", errno.ENOENT: "gone"}


def os_detail(exc: OSError, where: str | Path | None = None) -> str:
    """``exc`` said for staff in their language: what is wrong, which file (``exc``'s own, else
    ``where``: the folder being written), what to do; ``[ENOSPC]`` and the like for the administrator."""
    path = exc.filename if exc.filename else (str(where) if where else "?")
    key = _OS_KEYS.get(exc.errno or 0, "other")
    code = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    return f"{say(OS_MESSAGES, key, path=path, reason=exc.strerror or exc)} [{code}]"
