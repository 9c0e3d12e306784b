"""Where the registry file is, opening it there, and moving an old one there on request.

With a site (:mod:`kyotei_docs.site`, the normal case) the registry is the
site's ``registry.sqlite3`` (or ``[registry] path`` of the site's
configuration, relative to the site) and must be the site's own
(:mod:`.identity`).  ``--registry FILE`` (``KYOTEI_REGISTRY``) and a
``[registry] path`` in a configuration named with ``--config`` outside a site
still name a file directly (scripts, tests, a registry kept elsewhere).  With
neither and no site there is no registry: the command says to run ``kyotei
init`` — the per-user data folder of earlier versions is no longer a default
(one registry per OS user split one office's cases; ``kyotei site adopt``
brings such files into the site).

An old registry in the working folder (an earlier default) is never used or
moved silently: commands mention it, and ``kyotei site adopt`` moves it in.
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
    #: "option" (--registry / KYOTEI_REGISTRY), "site" (the site's), "config" ([registry] path outside a site)
    source: str
    #: the configuration file that named it, for "config"
    config_file: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "source": self.source, "config": self.config_file,
                "exists": self.path.is_file()}


def locate(cfg: Any | None, override: str | os.PathLike[str] | None = None) -> Location:
    """The registry's location: ``override`` (``--registry``), else the site's, else ``[registry] path``.

    Raises :class:`RegistryError` ``no_site`` when none of them names a file.
    """
    if override:
        return Location(Path(os.path.abspath(override)), "option")
    site = getattr(cfg, "site", None)
    configured = cfg.registry.path.strip() if cfg is not None else ""
    if site is not None and (not configured or _is_site_config(cfg)):
        return Location(site.resolve(configured) if configured else site.registry, "site",
                        getattr(cfg, "source", None))
    if configured:
        return Location(Path(os.path.abspath(os.path.expandvars(os.path.expanduser(configured)))), "config",
                        getattr(cfg, "source", None))
    raise RegistryError("no_site")


def _is_site_config(cfg: Any) -> bool:
    """Whether ``cfg`` was read from its site's own kyotei.toml (not another file named by --config)."""
    try:
        return Path(cfg.source).resolve() == Path(cfg.site.config).resolve()
    except (OSError, TypeError):
        return False


def open_located(cfg: Any | None, override: str | os.PathLike[str] | None = None, *,
                 create: bool = False) -> Any:
    """Open the registry :func:`locate` finds — the one way every command, pass and page opens it.

    A site's registry is never created here (``create`` is ignored for it) and
    must carry the site's id; a file named directly (``--registry``, a
    configuration's ``[registry] path`` outside a site) is made on first use by
    callers that add (``create``), as before.
    """
    from .store import busy_seconds, open_registry

    location = locate(cfg, override)
    if location.source == "site":
        from .identity import open_site_registry

        return open_site_registry(cfg.site, location.path, busy_seconds=busy_seconds(cfg))  # type: ignore[union-attr]
    return open_registry(location.path, create=create, busy_seconds=busy_seconds(cfg))


def check_usable(cfg: Any | None) -> None:
    """Open and close the registry at once: a pass calls this before it claims any file."""
    open_located(cfg, create=True).close()


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
