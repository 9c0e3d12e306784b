"""The screen's defences, in one place: allowed hosts, same origin, CSRF, headers, roles, login throttling.

Why each:

* **Allowed hosts** — a web page the employee visits can point its own name at
  127.0.0.1 (DNS rebinding) and read the screen as if it were its own site: the
  list, the CSV, the registry backup.  Such a request carries that page's name
  in ``Host``; any name not in :meth:`WebSettings.hosts` gets 400 before any
  route runs (static files included).
* **Same origin** — a state-changing request (POST) whose ``Origin`` (or, when a
  browser sends none, ``Referer``) names another site is refused (403), even with
  a valid token.  Browsers always send ``Origin`` on a cross-site POST; a request
  with neither header is not a browser's cross-site request and still needs the
  CSRF token.
* **CSRF** — a page elsewhere on the intranet could make a signed-in browser
  post to this server; every form carries a per-session token and every POST
  without the matching token is refused (403) before any route runs.
* **Headers** — the CSP allows scripts, styles and images from this server only
  and no inline script, so a value that slipped through escaping still cannot
  run; ``frame-ancestors 'none'`` stops click-jacking.
* **Throttling** — at most ``login_attempts`` failed sign-ins per address within
  ``login_window_seconds``; argon2 already makes each guess slow.  Per address
  only, never per name: failures from other addresses must never stop a person
  who types the right password (that would let anyone lock out a named user).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, g, request, session

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; frame-src 'self'")
#: The stored report.html (inline style, no script) shown inside the intake page.
#: Its links to the drafts download them: ``allow-downloads``, and ``allow-same-origin`` so that the
#: click carries the session (from an opaque origin the SameSite=Strict cookie is withheld and the
#: link meets the sign-in page).  No script can run in it (no ``allow-scripts``, ``default-src 'none'``),
#: no form can be sent, nothing can navigate the page around it.
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
              "sandbox allow-same-origin allow-downloads")


def _name_of(netloc: str) -> str:
    """The host name of ``host[:port]`` / ``[v6][:port]``, lower case, without a final dot."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        return netloc[1:netloc.find("]")] if "]" in netloc else ""
    return netloc.rsplit(":", 1)[0].rstrip(".") if netloc.count(":") <= 1 else netloc


def check_host(allowed: frozenset[str]) -> None:
    """Abort with 400 unless the request's ``Host`` names this server (see the module docstring)."""
    host = request.environ.get("HTTP_HOST") or request.environ.get("SERVER_NAME") or ""
    if _name_of(host) not in allowed:
        abort(400, description="host")


def _origin(netloc: str, scheme: str) -> str:
    """``host:port`` with the scheme's default port left out, for comparing two origins."""
    netloc = netloc.strip().lower()
    default = {"http": ":80", "https": ":443"}.get(scheme, "")
    return netloc[: -len(default)] if default and netloc.endswith(default) else netloc


def check_origin() -> None:
    """Abort with 403 when a state-changing request names another site as where it came from."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    from urllib.parse import urlsplit

    given = request.headers.get("Origin")
    if given is None:
        given = request.headers.get("Referer")
        if given is None:
            return  # not a browser's cross-site request (browsers send Origin on every cross-site POST)
    parts = urlsplit(given.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:  # "null": a sandboxed frame, a data: page
        abort(403, description="origin")
    ours = _origin(request.host, request.scheme)
    if _origin(parts.netloc, parts.scheme) != ours:
        abort(403, description="origin")


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf() -> None:
    """Abort with 403 unless a state-changing request carries this session's token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = session.get("csrf")
    given = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not expected or not hmac.compare_digest(str(expected), str(given)):
        abort(403, description="csrf")


def add_headers(response: Any) -> Any:
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY" if "frame-ancestors 'none'" in h["Content-Security-Policy"]
                 else "SAMEORIGIN")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.endpoint != "static":
        h.setdefault("Cache-Control", "no-store")
    return response


def needs_change(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only the 担当 role may run this route (403 otherwise)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = getattr(g, "user", None)
        if user is None or not user.can_change:
            abort(403, description="role")
        return view(*args, **kwargs)

    return wrapper


class Throttle:
    """Failed sign-ins per key in a sliding window (in memory: one server process)."""

    def __init__(self, attempts: int, window: float) -> None:
        self.attempts = attempts
        self.window = window
        self._fails: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails.setdefault(key, deque())
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.attempts for k in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for k in keys:
                self._recent(k, now).append(now)
            if len(self._fails) > 10000:  # a flood of names: forget the oldest quiet ones
                for k in [k for k, q in self._fails.items() if not q][:5000]:
                    del self._fails[k]

    def clear(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._fails.pop(k, None)


#: the headers a proxy adds; from anyone else they are lies and are dropped
_FORWARDED = ("HTTP_FORWARDED", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
              "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX", "HTTP_X_FORWARDED_BY")
PEER = "kyotei.peer"


class TrustedProxy:
    """``[web] behind_https_proxy``: believe ``X-Forwarded-Proto``/``-For`` from ``proxy_addresses`` only.

    Why: behind IIS or nginx speaking HTTPS, the browser's address and scheme
    arrive in those headers.  The scheme makes the session cookie ``Secure``-worthy
    and the origin check compare like with like; the address is what sign-in
    throttling counts (otherwise every person would be the proxy's one address).
    werkzeug's ``ProxyFix`` (one hop) does the reading, for the proxy's requests
    only; from any other peer the headers are removed.  The connection's own
    address stays in ``environ[PEER]`` (proxy sign-in checks who connected).
    """

    def __init__(self, app: Any, proxies: tuple[str, ...]) -> None:
        from werkzeug.middleware.proxy_fix import ProxyFix

        self.app = app
        self.fixed = ProxyFix(app, x_for=1, x_proto=1)
        self.proxies = frozenset(proxies)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        peer = environ.get("REMOTE_ADDR", "")
        environ[PEER] = peer
        if peer in self.proxies:
            return self.fixed(environ, start_response)
        for key in _FORWARDED:
            environ.pop(key, None)
        return self.app(environ, start_response)


def peer_address() -> str:
    """The address that opened the connection (the proxy's, behind one)."""
    return str(request.environ.get(PEER) or request.remote_addr or "")
