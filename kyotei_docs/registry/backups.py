"""The site's daily registry backups and restoring one, without ever losing a record.

Why: the registry holds years of a city's agreements on one PC.  ``kyotei
watch`` and ``kyotei serve`` copy it once a day (the city's date) into the
site's ``backups/`` with SQLite's online backup API (:func:`.store.backup`: a
consistent copy while the watcher writes), and ``kyotei registry backup``
does it on request.  Only kyotei's own daily files
(``registry-YYYYMMDD-HHMMSS.sqlite3``) are rotated: the newest
``[registry] backups_keep`` stay, older ones go; any other file in the folder
is left alone.

``kyotei registry restore FILE`` checks that FILE is a registry of this site,
copies the current registry into ``backups/`` first (if it still opens), moves
the current file aside as ``registry.sqlite3.replaced-<date>`` (kept even if
damaged), and only then copies FILE into place — so a restore can itself be
undone.  Stop ``watch`` and ``serve`` before restoring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import citytime
from .errors import RegistryError

PREFIX = "registry-"
_DAILY = re.compile(r"registry-(\d{8})-(\d{6})(?:\(\d+\))?\.sqlite3")


def daily_files(folder: Path) -> list[Path]:
    """kyotei's own backup files in ``folder``, oldest first (by the date in the name)."""
    try:
        return sorted((p for p in folder.iterdir() if p.is_file() and _DAILY.fullmatch(p.name)),
                      key=lambda p: p.name)
    except OSError:
        return []


def make(cfg: Any, reg: Any | None = None) -> Path:
    """Copy the site's registry into its ``backups/`` now and rotate; the new file's path."""
    from .location import open_located
    from .store import backup

    site = cfg.site
    name = f"{PREFIX}{citytime.now(cfg).strftime('%Y%m%d-%H%M%S')}.sqlite3"
    site.backups.mkdir(parents=True, exist_ok=True)
    if reg is None:
        with open_located(cfg) as opened:
            made = backup(opened, site.backups / name)
    else:
        made = backup(reg, site.backups / name)
    rotate(site.backups, cfg.registry.backups_keep, keep_also=made)
    return made


def rotate(folder: Path, keep: int, *, keep_also: Path | None = None) -> list[Path]:
    """Remove kyotei's daily files beyond the newest ``keep`` (never ``keep_also``); what was removed."""
    files = daily_files(folder)
    old = files[:-keep] if keep > 0 else files
    removed = []
    for path in old:
        if keep_also is not None and path == keep_also:
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass  # a copy open elsewhere stays until the next rotation
    return removed


def due(cfg: Any) -> bool:
    """Whether the site has no backup of the city's today yet."""
    today = citytime.today(cfg).strftime("%Y%m%d")
    return not any(_DAILY.fullmatch(p.name).group(1) == today  # type: ignore[union-attr]
                   for p in daily_files(cfg.site.backups))


def daily(cfg: Any) -> Path | None:
    """The day's backup if it is due (``watch`` after a pass, ``serve`` every hour); None when not."""
    if getattr(cfg, "site", None) is None or not due(cfg):
        return None
    return make(cfg)


@dataclass(frozen=True)
class Restored:
    source: Path
    registry: Path
    #: the current registry copied into backups/ first (None if there was none, or it did not open)
    saved: Path | None
    #: the current file itself, moved aside (None if there was none)
    replaced: Path | None


def restore(cfg: Any, source: Path) -> Restored:
    """Put the backup ``source`` in place of the site's registry; nothing is deleted (module docstring)."""
    from .identity import site_id_of
    from .location import locate
    from .store import backup, busy_seconds, open_registry

    site = cfg.site
    if site is None:
        raise RegistryError("no_site")
    location = locate(cfg)
    target = location.path
    if not source.is_file():
        raise RegistryError("missing", path=str(source))
    with open_registry(source, busy_seconds=busy_seconds(cfg), backup_before_migration=False) as reg:
        found = site_id_of(reg)
    if found != site.id:
        raise RegistryError("restore_other_site", path=str(source), site=str(site.root), found=found or "—")
    stamp = citytime.now(cfg).strftime("%Y%m%d-%H%M%S")
    saved: Path | None = None
    replaced: Path | None = None
    if target.exists():
        try:
            site.backups.mkdir(parents=True, exist_ok=True)
            with open_registry(target, busy_seconds=busy_seconds(cfg), backup_before_migration=False) as current:
                saved = backup(current, site.backups / f"before-restore-{stamp}.sqlite3")
        except RegistryError:
            saved = None  # damaged or foreign: the file itself is kept aside below
        replaced = target.with_name(f"{target.name}.replaced-{stamp}")
        try:
            target.replace(replaced)
            for extra in ("-wal", "-shm"):
                side = target.with_name(target.name + extra)
                if side.exists():
                    side.replace(replaced.with_name(replaced.name + extra))
        except OSError as exc:
            raise RegistryError("restore_busy", path=str(target), detail=str(exc)) from exc
    with open_registry(source, busy_seconds=busy_seconds(cfg), backup_before_migration=False) as reg:
        backup(reg, target)
    return Restored(source=source, registry=target, saved=saved, replaced=replaced)
