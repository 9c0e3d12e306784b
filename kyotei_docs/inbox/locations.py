"""Where the journal and the log live by default: on local disk, never on the share.

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
