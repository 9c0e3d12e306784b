"""The agreement registry: proposals to agreements, renewals, yearly results, exports.

One SQLite file (the site's ``registry.sqlite3``, see :mod:`.location` and
:mod:`.identity`) holds every proposal received, the agreement it became,
each change to it as an event (date and actor), and the results recorded per
fiscal year and item.  See ``docs/registry.md``.

Modules: :mod:`.schema` (tables, versions, migrations), :mod:`.store` (safe
opening, transactions, backup), :mod:`.lifecycle` (state changes),
:mod:`.dates` (expiry, renewal, notice deadline), :mod:`.queries` (due,
review, summary), :mod:`.export` (CSV, .xlsx), :mod:`.documents` (Form 2/3),
:mod:`.location` (which file), :mod:`.identity` (the site's own file only),
:mod:`.netfs` (never on a share), :mod:`.backups` (daily copies, restore).

The hook for the drop folder is :func:`record_submission`; this package
imports nothing heavy, so calling it costs little.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import RegistryError
from .store import Registry, open_registry, registry_path

if TYPE_CHECKING:
    from .lifecycle import Registered

__all__ = ["Registry", "RegistryError", "open_registry", "record_submission", "registry_path"]


def record_submission(cfg: Any, check_result: Any, *, submission_id: str, sha256: str,
                      folder: Path | None, actor: str | None = None) -> Registered:
    """Record a proposal processed by the drop folder; idempotent and safe to call concurrently.

    Opens the site's registry (or the file ``cfg.registry.path`` names outside
    a site, created on first use; registry/location.py), records the proposal as
    *received* with an event by the current OS user, and closes it again, so
    the watcher holds no lock between files.

    * Idempotent: the same file (same ``sha256``, whatever the submission ID)
      or the same ``submission_id`` recorded again changes nothing and returns
      ``Registered(duplicate=True)`` naming the agreement it is recorded under.
      So a retry after a failure, a rescan, or two watchers meeting the same
      file leave one registry row.  An empty ``sha256`` is allowed (the
      submission is then known by its ID alone).
    * Concurrent callers are safe: the look-up and the insert happen in one
      ``BEGIN IMMEDIATE`` transaction, so a second process waits (up to
      ``[registry] busy_timeout_seconds``) and then finds the first one's row.
    * A corrected resubmission (a new file) of a proposal that needed
      correction and is still only received updates that record instead of
      adding a new one.

    Raises :class:`RegistryError` (with a message for staff) if the registry
    file cannot be used — damaged, newer schema, busy beyond the timeout —
    and ``ValueError`` if both ``sha256`` and ``submission_id`` are empty.
    """
    from ..citytime import today as city_today
    from .lifecycle import Submission, default_actor, register

    submission = Submission(submission_id=submission_id or "", sha256=sha256 or "",
                            folder=str(Path(folder).resolve()) if folder else None,
                            file=getattr(check_result.proposal, "file", None))
    from .location import open_located

    with open_located(cfg, create=True) as reg:
        return register(reg, check_result, municipality=cfg.municipality, submission=submission,
                        actor=actor or default_actor(), today=city_today(cfg))
