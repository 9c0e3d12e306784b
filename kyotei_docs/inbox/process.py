"""Processing one submission: read, check, write the parse contract, draft Forms 2 and 3.

This runs in a worker process (CPU-bound parsing and rendering) and touches only
its own ``.work/<id>/`` folder; everything it learns goes back to the parent as
one small typed result (:mod:`.results`: ``Read``, ``Unreadable``, ``Infra`` or
``Failure``), and the parent alone writes the journal.
"""

from __future__ import annotations

import os
import shutil
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import KyoteiError
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
        return Infra(task.sid, os_detail(exc))
    except MemoryError:
        return Failure(task.sid, "MemoryError")
    except Exception as exc:  # a bug must not stop the folder: report it, the parent decides
        return Failure(task.sid, f"{type(exc).__name__}: {exc}", trace=traceback.format_exc())


def _run(task: Task, cfg: Config) -> WorkerResult:
    from ..pipeline import check_file

    folder = Path(task.folder)
    original = folder / task.original
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
        warnings = tuple(str(w) for w in getattr(rendered, "warnings", []))
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


def _clear_previous(folder: Path) -> None:
    """Remove what an interrupted earlier attempt wrote; the original is never among these."""
    remove_tmp(folder)
    for name in _STALE_OUTPUTS:
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            pass


def os_detail(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{type(exc).__name__}: {exc.strerror or exc}{where}"
