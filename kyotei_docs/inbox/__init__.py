"""The drop folder: staff drop Form 1 files into ``inbox/``; every file is processed
exactly once and nothing is ever lost, whatever happens to the process.

Modules, in the order a file meets them:

* ``layout``     – the folder layout (``inbox/``, ``.work/``, ``done/``, ``error/``, ``duplicate/``)
* ``readiness``  – when a file is complete (settled, no Office lock, not half-filled)
* ``claim``      – taking a file by renaming it into the work area
* ``journal``    – SQLite on local disk: one row per submission, its SHA-256, state, attempts, steps
* ``process``    – reading, checking and drafting one submission (runs in a worker process)
* ``pool``       – a small worker pool with time limits that survives a crashing worker
* ``pdf``        – PDFs of the drafts, one LibreOffice start per batch
* ``finish``     – report, status files and the final move to ``done/``/``error/``/``duplicate/``
* ``batch``      – one pass over the folder (``kyotei inbox DIR``)
* ``watcher``    – ``kyotei watch DIR``: events as hints, periodic rescans, one instance per folder

The journal is written by the parent process only; workers write files into their
own submission's work folder, always under a temporary name first.
"""

from __future__ import annotations

from .batch import PassOptions, PassSummary, run_pass
from .layout import FolderUnavailable, Layout
from .locations import default_journal_path, default_log_path

__all__ = ["Layout", "FolderUnavailable", "PassOptions", "PassSummary", "run_pass",
           "default_journal_path", "default_log_path"]
