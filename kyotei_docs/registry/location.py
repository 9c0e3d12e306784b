"""Where the registry file is, and moving an old one there on request.

Why not the working folder: staff start ``kyotei`` from wherever their
command prompt happens to be, a service starts in ``C:\\Windows\\System32``,
and every one of them used to find (or make) its own registry.  So the
default is one file per user in the per-user data folder that the drop
folder's journal already uses (``%LOCALAPPDATA%\\kyotei`` on Windows,
``~/.local/share/kyotei`` elsewhere; platformdirs decides), unless
``[registry] path`` or ``--registry`` names another.

An old registry in the working folder (the earlier default) is never used or
moved silently: commands mention it, and ``kyotei registry move`` moves it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import citytime
from .errors import RegistryError

#: The file name, in the data folder by default and in the working folder before.
DEFAULT_NAME = "kyotei-registry.sqlite3"


def user_data_dir() -> Path:
    """The per-user data folder of kyotei (platformdirs: LOCALAPPDATA, XDG_DATA_HOME, ~/Library…)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("kyotei", appauthor=False, roaming=False))


@dataclass(frozen=True)
class Location:
    """The registry file and why it is there: what ``kyotei registry where`` prints."""

    path: Path
    #: "option" (--registry / KYOTEI_REGISTRY), "config" ([registry] path) or "default"
    source: str
    #: the configuration file that named it, for "config"
    config_file: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "source": self.source, "config": self.config_file,
                "exists": self.path.is_file()}


def locate(cfg: Any | None, override: str | os.PathLike[str] | None = None) -> Location:
    """The registry's location: ``override`` (``--registry``), else ``[registry] path``, else the data folder.

    A relative ``[registry] path`` is relative to the working folder, as every
    path in the configuration is; the default needs no setting at all.
    """
    if override:
        return Location(Path(override), "option")
    configured = cfg.registry.path.strip() if cfg is not None else ""
    if configured:
        return Location(Path(os.path.expandvars(os.path.expanduser(configured))), "config",
                        getattr(cfg, "source", None))
    return Location(user_data_dir() / DEFAULT_NAME, "default")


def old_registry(location: Location, cwd: Path | None = None) -> Path | None:
    """A registry left in the working folder by the earlier default, if it is not the one in use."""
    candidate = (cwd or Path.cwd()) / DEFAULT_NAME
    try:
        if candidate.is_file() and candidate.stat().st_size > 0 and \
                os.path.abspath(candidate) != os.path.abspath(location.path):
            return candidate
    except OSError:
        return None
    return None


def describe_missing(location: Location) -> RegistryError:
    """"Not found", saying where it looked and how to name another file."""
    return RegistryError("missing", path=str(location.path))


@dataclass(frozen=True)
class Moved:
    """What ``kyotei registry move`` did: the copy in its new place and where the old file went."""

    source: Path
    target: Path
    #: the old file, renamed so that it is not found again (kept: nothing is deleted)
    kept_as: Path


def move(source: Path, location: Location, *, busy_seconds: float) -> Moved:
    """Move the registry at ``source`` to ``location`` (which must not exist yet).

    The copy is made with SQLite's backup API (consistent even if a watcher is
    still writing) and checked; only then is the old file renamed to
    ``<name>.moved-<date>`` beside itself, so nothing is lost and nothing
    finds the old copy by accident.
    """
    from .store import backup, open_registry

    target = location.path
    if not source.is_file():
        raise RegistryError("missing", path=str(source))
    if target.exists():
        raise RegistryError("move_target_exists", path=str(target), source=str(source))
    if os.path.abspath(source) == os.path.abspath(target):
        raise RegistryError("move_same", path=str(source))
    try:  # the data folder is ours to make (a backup refuses a missing folder: that one is the user's)
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RegistryError("cannot_open", path=str(target), detail=str(exc)) from exc
    with open_registry(source, busy_seconds=busy_seconds) as reg:
        backup(reg, target)
    stamp = citytime.now().strftime("%Y%m%d-%H%M%S")  # a name staff read: the city's time
    kept = source.with_name(f"{source.name}.moved-{stamp}")
    try:
        source.replace(kept)
        for extra in ("-wal", "-shm"):
            side = source.with_name(source.name + extra)
            if side.exists():
                side.replace(kept.with_name(kept.name + extra))
    except OSError as exc:
        raise RegistryError("move_failed", path=str(source), detail=str(exc)) from exc
    return Moved(source, target, kept)
