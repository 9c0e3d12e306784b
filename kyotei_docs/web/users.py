"""The people who may sign in to the screen: a small TOML file of names, roles and argon2 hashes.

Why a file of its own (``[web] users_file``, default ``kyotei-users.toml`` next
to the configuration file): the configuration is often copied between PCs and
shown with ``kyotei config show``; password hashes should not travel with it,
and ``kyotei serve adduser`` must be able to write without reformatting a file
a person edited.  The file looks like::

    [users."tanaka"]
    role = "担当"
    hash = "$argon2id$v=19$m=65536,t=3,p=4$…"

Passwords are hashed with argon2id (argon2-cffi's defaults); the file never
holds a password.  Each hash or check takes argon2's 64 MB for a moment, so a
server does one at a time (:data:`_ONE_CHECK`): eight people signing in at once
would otherwise take 512 MB beside LibreOffice (the 300 MB budget of issue 17).  The server rereads the file when it changes, so a user added
while it runs can sign in at once.
"""

from __future__ import annotations

import json
import os
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..i18n import Catalog
from .settings import CHANGE, READ, WebError, parse_role

MESSAGES: Catalog = {
    "bad_users": ("利用者ファイルを読めません（{path}）: {detail}", "Cannot read the users file {path}: {detail}"),
    "bad_name": ("利用者名に使えない文字があります: {name}（空白・引用符・制御文字は使えません）",
                 "The user name has characters that cannot be used: {name} (no spaces, quotes or control characters)"),
}

ROLE_LABELS = {READ: ("閲覧", "read"), CHANGE: ("担当", "change")}


class UsersError(WebError):
    catalog = {**WebError.catalog, **MESSAGES}


@dataclass(frozen=True)
class User:
    name: str
    role: str
    hash: str = ""

    @property
    def can_change(self) -> bool:
        return self.role == CHANGE


def _hasher():  # imported on use: the CLI's start-up stays light
    from argon2 import PasswordHasher

    return PasswordHasher()


#: one argon2 hash or check at a time in this process: each holds 64 MB (``m=65536``) while it runs
#: (~0.1 s, longer on a busy PC); a sign-in waits for the one before it instead of adding 64 MB
_ONE_CHECK = threading.Lock()


def hash_password(password: str) -> str:
    with _ONE_CHECK:
        return _hasher().hash(password)


def verify(user: User | None, password: str) -> bool:
    """True if ``password`` is the user's; an unknown user costs the same time (no name probing)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    target = user.hash if user and user.hash else _DUMMY.get()
    try:
        with _ONE_CHECK:
            ok = _hasher().verify(target, password)
    except (VerificationError, InvalidHashError):
        return False
    return bool(ok and user and user.hash)


class _Dummy:
    value = ""

    def get(self) -> str:
        if not self.value:
            self.value = hash_password(os.urandom(16).hex())
        return self.value


_DUMMY = _Dummy()


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() or c in "\"'" or ord(c) < 32 or ord(c) == 127
                                          for c in name):
        raise UsersError("bad_name", name=name)
    return name


class UserStore:
    """The users file, reread when its time stamp changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._users: dict[str, User] = {}

    def users(self) -> dict[str, User]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._users = None, {}
            return {}
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp != self._stamp:
            self._users = load_users(self.path)
            self._stamp = stamp
        return self._users

    def get(self, name: str) -> User | None:
        return self.users().get(name)

    def __bool__(self) -> bool:
        return bool(self.users())


def load_users(path: Path) -> dict[str, User]:
    try:
        data = tomllib.loads(path.read_text("utf-8-sig"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsersError("bad_users", path=str(path), detail=str(exc)) from exc
    out: dict[str, User] = {}
    table = data.get("users", {})
    if not isinstance(table, dict):
        raise UsersError("bad_users", path=str(path), detail="[users] is not a table")
    for name, entry in table.items():
        if not isinstance(entry, dict):
            raise UsersError("bad_users", path=str(path), detail=f"users.{name}")
        out[name] = User(name, parse_role(entry.get("role", "閲覧")), str(entry.get("hash", "")))
    return out


def save_user(path: Path, name: str, role: str, password_hash: str) -> bool:
    """Add or replace one user; True if the name was new.  The file is rewritten atomically."""
    name = check_name(name)
    users = dict(load_users(path))
    new = name not in users
    users[name] = User(name, role, password_hash)
    lines = ["# kyotei serve の利用者（kyotei serve adduser で追加）。パスワードそのものは保存していません。",
             "# Users of kyotei serve (add with: kyotei serve adduser). No password is stored here.", ""]
    for user in users.values():
        lines += [f"[users.{json.dumps(user.name, ensure_ascii=False)}]",
                  f"role = {json.dumps(ROLE_LABELS[user.role][0], ensure_ascii=False)}",
                  f"hash = {json.dumps(user.hash)}", ""]
    from ..inbox.fsutil import atomic_write_text

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, "\n".join(lines))
    try:
        os.chmod(path, 0o600)
    except OSError:  # pragma: no cover - Windows ACLs instead
        pass
    return new
