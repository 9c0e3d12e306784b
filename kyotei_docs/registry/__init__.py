"""The agreement registry: proposals to agreements, renewals, yearly results, exports.

One SQLite file (``[registry] path``, default ``kyotei-registry.sqlite3`` in
the working folder) holds every proposal received, the agreement it became,
each change to it as an event (date and actor), and the results recorded per
fiscal year and item.  See ``docs/registry.md``.

Modules: :mod:`.schema` (tables, versions, migrations), :mod:`.store` (safe
opening, transactions, backup), :mod:`.lifecycle` (state changes),
:mod:`.dates` (expiry, renewal, notice deadline), :mod:`.queries` (due,
review, summary), :mod:`.export` (CSV, .xlsx), :mod:`.documents` (Form 2/3).

The hook for the drop folder is :func:`record_submission`; this package
imports nothing heavy, so calling it costs little.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .errors import RegistryError
from .store import Registry, busy_seconds, open_registry, registry_path

__all__ = ["Registry", "RegistryError", "open_registry", "record_submission", "registry_path"]


def record_submission(cfg: Any, check_result: Any, *, submission_id: str, sha256: str, folder: Path) -> None:
    """Record a proposal processed by the drop folder; idempotent by ``sha256``.

    Opens the registry named by ``cfg.section("registry")["path"]`` (relative
    to the working folder; created on first use), records the proposal as
    *received* with an event by the current OS user, and closes it again, so
    the watcher holds no lock between files.  Calling it again for the same
    file changes nothing.  A corrected resubmission of a proposal that needed
    correction updates that record instead of adding a new one.

    Raises :class:`RegistryError` (with a message for staff) if the registry
    file cannot be used — damaged, newer schema, busy beyond the timeout.
    """
    from .lifecycle import Submission, default_actor, register

    submission = Submission(submission_id=submission_id, sha256=sha256,
                            folder=str(Path(folder).resolve()) if folder else None,
                            file=getattr(check_result.proposal, "file", None))
    with open_registry(registry_path(cfg), create=True, busy_seconds=busy_seconds(cfg)) as reg:
        register(reg, check_result, municipality=cfg.municipality, submission=submission,
                 actor=default_actor(), today=date.today())
