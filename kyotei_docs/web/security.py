"""The screen's defences, in one place: who is signed in, CSRF, headers, login throttling.

Why each:

* **CSRF** — a page elsewhere on the intranet could make a signed-in browser
  post to this server; every form carries a per-session token and every POST
  without the matching token is refused (403) before any route runs.
* **Headers** — the CSP allows scripts, styles and images from this server only
  and no inline script, so a value that slipped through escaping still cannot
  run; ``frame-ancestors 'none'`` stops click-jacking.
* **Throttling** — at most ``login_attempts`` failed sign-ins per address and
  per name within ``login_window_seconds``; argon2 already makes each guess slow.
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
