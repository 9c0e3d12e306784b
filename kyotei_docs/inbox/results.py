"""What a worker tells the parent about one submission: one small typed object per outcome.

They travel through a pipe (pickled), so they hold only plain data.  The
parent decides from the type alone:

* :class:`Read`       – read and checked (``valid`` or not); outputs are in ``.work/<id>/``;
* :class:`Unreadable` – not a readable Form 1: it goes to ``error/`` with the reason;
* :class:`Infra`      – the share, the disk or permissions failed: try again later, never ``error/``;
* :class:`Failure`    – something unexpected (a bug, memory exhausted, a worker that died or ran
  out of time): retried a few times, then ``error/`` with a reason, so a poison file cannot
  block the folder forever.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Read:
    sid: str
    valid: bool
    company: str | None
    check: dict[str, Any]  # the check report as written to check.json
    drafts: tuple[str, ...] = ()  # names of the drafts written into the folder
    render_warnings: tuple[str, ...] = ()
    render_error: str | None = None
    trace: str | None = None  # a render bug's traceback, for the log only

    @property
    def outcome(self) -> str:
        return "valid" if self.valid else "invalid"

    @property
    def docx_drafts(self) -> list[str]:
        return [n for n in self.drafts if n.lower().endswith(".docx")]


@dataclass(frozen=True)
class Unreadable:
    sid: str
    code: str
    message: str


@dataclass(frozen=True)
class Infra:
    sid: str
    detail: str


@dataclass(frozen=True)
class Failure:
    sid: str
    detail: str
    trace: str | None = None
    timeout: bool = False


WorkerResult = Read | Unreadable | Infra | Failure
