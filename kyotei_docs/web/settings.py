"""What ``kyotei serve`` needs to know, read once from ``[web]`` (and the command line).

Why a dataclass of its own: the server decides at start whether it may run at
all (an address other than this PC needs sign-in), and every request reads the
same frozen values; nothing below reloads the configuration.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import KyoteiError
from ..i18n import Catalog

MESSAGES: Catalog = {
    "bad_setting": ("設定 [web] {key} の値が正しくありません: {value}", "[web] {key} has a bad value: {value}"),
    "needs_auth": (
        "{host} で待ち受けるには、ログインの設定が必要です（この PC 以外から画面を開けるため）。\n"
        "利用者を追加する: kyotei serve adduser 名前 --role 担当\n"
        "またはリバースプロキシの利用者ヘッダーを [web] proxy_user_header に設定してください（docs/web.md）。\n"
        "この PC だけで使う場合は --host 127.0.0.1 で起動してください。",
        "Serving on {host} needs sign-in to be configured (other PCs could open the screen).\n"
        "Add a user: kyotei serve adduser NAME --role change\n"
        "or set the reverse proxy's user header in [web] proxy_user_header (docs/web.md).\n"
        "To use it on this PC only, start with --host 127.0.0.1."),
}

#: The two roles: 閲覧 may look, 担当 may also change things.
READ, CHANGE = "read", "change"
ROLE_NAMES = {"閲覧": READ, "read": READ, "担当": CHANGE, "change": CHANGE}


class WebError(KyoteiError):
    catalog = MESSAGES


def parse_role(value: object) -> str:
    role = ROLE_NAMES.get(str(value).strip())
    if role is None:
        raise WebError("bad_setting", key="role", value=value)
    return role


def is_loopback(host: str) -> bool:
    """True for addresses only this PC can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8080
    drop_folder: Path | None = None
    journal: Path | None = None
    users_file: Path = Path("kyotei-users.toml")
    proxy_user_header: str = ""
    proxy_addresses: tuple[str, ...] = ("127.0.0.1", "::1")
    proxy_default_role: str = READ
    https: bool = False
    #: staff reach the screen through a reverse proxy that speaks HTTPS and says so (X-Forwarded-Proto)
    behind_https_proxy: bool = False
    #: names the browser may use to reach the server (the Host header); empty: :meth:`hosts` decides
    allowed_hosts: tuple[str, ...] = ()
    upload_max_mb: int = 20
    upload_max_files: int = 10
    login_attempts: int = 5
    login_window_seconds: int = 900
    session_hours: int = 8
    #: a sign-in unused this long ends (the absolute limit is session_hours)
    session_idle_minutes: int = 60
    preview_pages: int = 4
    #: heavy work (uploads' passes, LibreOffice) at a time, how long a request waits, how many may wait
    heavy_jobs: int = 1
    heavy_wait_seconds: int = 30
    heavy_queue: int = 8
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_config(cls, cfg: Config, **overrides: Any) -> WebSettings:
        section = cfg.section("web")
        base = Path(cfg.source).resolve().parent if cfg.source not in ("", "defaults") else Path.cwd()
        site = cfg.site  # with a site: its 受付/ and journal unless [web] names others (relative to the site)
        try:
            values: dict[str, Any] = {
                "host": str(section.get("host", cls.host)),
                "port": _int(section, "port", cls.port),
                "drop_folder": cfg.path(section["drop_folder"]) if section.get("drop_folder") else
                site.drop_folder if site is not None else None,
                "journal": cfg.path(section["journal"]) if section.get("journal") else
                site.journal if site is not None and not section.get("drop_folder") else None,
                "users_file": base / str(section.get("users_file") or "kyotei-users.toml"),
                "proxy_user_header": str(section.get("proxy_user_header", "")).strip(),
                "proxy_addresses": tuple(str(a) for a in section.get("proxy_addresses", cls.proxy_addresses)),
                "proxy_default_role": parse_role(section.get("proxy_default_role", "閲覧")),
                "https": bool(section.get("https", False)),
                "behind_https_proxy": bool(section.get("behind_https_proxy", False)),
                "allowed_hosts": _names(section.get("allowed_hosts", [])),
                "upload_max_mb": _int(section, "upload_max_mb", cls.upload_max_mb),
                "upload_max_files": _int(section, "upload_max_files", cls.upload_max_files),
                "login_attempts": _int(section, "login_attempts", cls.login_attempts),
                "login_window_seconds": _int(section, "login_window_seconds", cls.login_window_seconds),
                "session_hours": _int(section, "session_hours", cls.session_hours),
                "session_idle_minutes": _int(section, "session_idle_minutes", cls.session_idle_minutes),
                "preview_pages": _int(section, "preview_pages", cls.preview_pages),
                "heavy_jobs": _int(section, "heavy_jobs", cls.heavy_jobs),
                "heavy_wait_seconds": _int(section, "heavy_wait_seconds", cls.heavy_wait_seconds),
                "heavy_queue": _int(section, "heavy_queue", cls.heavy_queue),
            }
        except (TypeError, ValueError) as exc:
            raise WebError("bad_setting", key="?", value=str(exc)) from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> WebSettings:
        return replace(self, **changes)

    @property
    def local_only(self) -> bool:
        return is_loopback(self.host)

    @property
    def secure(self) -> bool:
        """Staff reach the screen over HTTPS (directly or through the proxy): cookies get ``Secure``."""
        return self.https or self.behind_https_proxy

    @property
    def wildcard(self) -> bool:
        """Listening on every address of this PC (``0.0.0.0``, ``::``)."""
        return self.host.strip("[]") in ("", "0.0.0.0", "::")

    def hosts(self) -> frozenset[str]:
        """The names a request's ``Host`` may carry (port aside), lower case.

        Why: a web page the employee visits can make the browser reach 127.0.0.1
        under its own name (DNS rebinding); such a request carries that name, not
        ours, and is refused.  This PC's own names (localhost, 127.0.0.1, ::1) are
        always allowed; then ``[web] allowed_hosts`` if set, else the address
        listened on — and for ``0.0.0.0``/``::`` this PC's name and addresses.
        """
        names = {"localhost", "127.0.0.1", "::1"}
        if self.allowed_hosts:
            names.update(self.allowed_hosts)
        elif self.wildcard:
            names.update(this_pc_names())
        else:
            names.add(self.host)
        return frozenset(n.strip().strip("[]").rstrip(".").lower() for n in names if n.strip())

    @property
    def max_upload_bytes(self) -> int:
        return self.upload_max_mb * 1024 * 1024


def this_pc_names() -> set[str]:
    """This PC's name (short and full) and its addresses, as other PCs may write them in the address bar."""
    import socket

    names: set[str] = set()
    try:
        host = socket.gethostname()
        names.update({host, socket.getfqdn()})
        for info in socket.getaddrinfo(host, None):
            names.add(str(info[4][0]).split("%")[0])
    except OSError:
        pass
    return {n for n in names if n}


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WebError("bad_setting", key="allowed_hosts", value=value)
    return tuple(v.strip() for v in value if v.strip())


def _int(section: dict[str, Any], key: str, default: int) -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise WebError("bad_setting", key=key, value=value)
    return value
