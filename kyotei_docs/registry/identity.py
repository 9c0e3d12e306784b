"""Which site a registry belongs to, and opening a site's registry only if it is really its own.

Why: when the registry file went missing, the drop folder used to make a new,
empty one and number the next proposal 協定ID 1 again — two case 1s, nothing
said.  A site (:mod:`kyotei_docs.site`) names itself in its ``kyotei.toml``
(``[site] id``) and the registry made with it stores the same id (table
``site``, schema 4).  So a site's registry that is missing, or replaced by a
file of another site, by an old per-user registry or by a new empty one, is
refused by every command and pass with a message saying where it looked and
how to restore a backup; nothing is created in its place.  Only ``kyotei
init`` and an explicit ``kyotei registry create`` make one.

A file of the right site that has no stored id (made before schema 4 and
moved in by ``kyotei site adopt``) is given the id by adopt, never silently.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from .. import citytime
from .errors import RegistryError
from .store import DEFAULT_BUSY_SECONDS, Registry, open_registry


def site_id_of(reg: Registry) -> str | None:
    """The site id stored in the registry (None for a registry made without a site)."""
    with reg.snapshot() as conn:
        try:
            row = conn.execute("SELECT site_id FROM site ORDER BY recorded_at LIMIT 1").fetchone()
        except sqlite3.OperationalError:  # pragma: no cover - the table exists from schema 4 on
            return None
    return str(row[0]) if row else None


def stamp(reg: Registry, site_id: str) -> None:
    """Store ``site_id`` in a registry that has none yet (``init``, ``registry create``, ``site adopt``)."""
    with reg.write() as conn:
        if conn.execute("SELECT count(*) FROM site").fetchone()[0] == 0:
            conn.execute("INSERT INTO site (site_id, recorded_at) VALUES (?, ?)", (site_id, citytime.stamp()))


def create_for_site(path: Path, site_id: str, *, busy_seconds: float = DEFAULT_BUSY_SECONDS) -> None:
    """Make the site's new registry at ``path`` (refused if one is there: nothing is replaced)."""
    if path.exists():
        raise RegistryError("site_exists", path=str(path))
    with open_registry(path, create=True, busy_seconds=busy_seconds) as reg:
        stamp(reg, site_id)


def latest_backup(site: Any) -> Path | None:
    """The newest file in the site's ``backups/`` (named in the refusal: what to restore)."""
    try:
        files = [p for p in Path(site.backups).iterdir() if p.is_file() and p.suffix == ".sqlite3"]
    except OSError:
        return None
    return max(files, key=lambda p: p.name, default=None)


def open_site_registry(site: Any, path: Path, *, busy_seconds: float) -> Registry:
    """Open the site's registry at ``path``: it must exist and carry the site's id.

    Raises :class:`RegistryError` (exit 5) with where it looked and how to
    restore from ``backups/``; nothing is created or written when refused.
    """
    from .netfs import refuse_network

    latest = latest_backup(site)
    restore = str(latest) if latest else str(Path(site.backups) / "…")
    if not path.exists():
        raise RegistryError("site_missing", path=str(path), site=str(site.root), backup=restore)
    refuse_network(path)
    reg = open_registry(path, busy_seconds=busy_seconds)
    try:
        found = site_id_of(reg)
    except BaseException:
        reg.close()
        raise
    if found != site.id:
        reg.close()
        raise RegistryError("site_replaced", path=str(path), site=str(site.root), found=found or "—",
                            expected=site.id, backup=restore)
    return reg
