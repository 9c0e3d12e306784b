"""Where the journal and the log live by default: on local disk, never on the share.

For the site's own drop folder (kyotei_docs/site.py) they are the site's
``logs/journal.sqlite3`` and ``logs/inbox.log`` (:func:`site_journal_path`), so
every OS user and the service share one journal.  Any other folder:

SQLite's locking and WAL need a local file system, and a log on the share would
vanish exactly when the share does.  Each drop folder gets its own files, keyed
by the folder's absolute path, in the user's data folder:
``%LOCALAPPDATA%\\kyotei\\inbox`` on Windows, ``$XDG_DATA_HOME/kyotei/inbox``
(default ``~/.local/share/kyotei/inbox``) elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path


def data_dir() -> Path:
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    elif os.environ.get("XDG_DATA_HOME"):
        base = Path(os.environ["XDG_DATA_HOME"])
    else:
        base = Path.home() / ".local" / "share"
    return base / "kyotei" / "inbox"


def folder_key(root: Path) -> str:
    """``<last folder name>-<12 hex digits of the absolute path's hash>``: readable and unique."""
    absolute = os.path.normcase(os.path.abspath(root))
    digest = hashlib.sha256(absolute.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    label = re.sub(r"[^0-9A-Za-z_-]+", "_", Path(absolute).name)[:40].strip("_") or "root"
    return f"{label}-{digest}"


def default_journal_path(root: Path) -> Path:
    return data_dir() / f"{folder_key(root)}.sqlite3"


def default_log_path(root: Path) -> Path:
    return data_dir() / f"{folder_key(root)}.log"


def is_inside(path: Path, root: Path) -> bool:
    """True if ``path`` lies in the drop folder (the journal must not)."""
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
        return True
    except ValueError:
        return False


def _is_site_drop(site: object | None, root: Path) -> bool:
    drop = getattr(site, "drop_folder", None)
    return drop is not None and os.path.normcase(os.path.abspath(root)) == os.path.normcase(os.path.abspath(drop))


def site_journal_path(site: object | None, root: Path) -> Path | None:
    """The site's journal when ``root`` is the site's drop folder, else None."""
    return Path(site.journal) if site is not None and _is_site_drop(site, root) else None  # type: ignore[attr-defined]


def site_log_path(site: object | None, root: Path) -> Path | None:
    """The site's ``logs/inbox.log`` when ``root`` is the site's drop folder, else None."""
    return Path(site.logs) / "inbox.log" if site is not None and _is_site_drop(site, root) else None  # type: ignore[attr-defined]
