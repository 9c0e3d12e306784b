"""Signing in and out (only when users are configured; see :mod:`.app` for the other modes)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, g, redirect, render_template, request, session, url_for

from .app import _t, password_mark, site
from .users import verify

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this server (never another host) is followed after signing in."""
    if not target:
        return url_for("listing.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("listing.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    s = site()
    if s.auth_mode() != "users":
        return redirect(url_for("listing.index"))
    error = None
    status = 200
    name = ""
    if request.method == "POST":
        name = (request.form.get("name") or "").strip()[:100]
        password = request.form.get("password") or ""
        # per address only: failures from elsewhere never stop a person who knows the password
        keys = (f"addr:{request.remote_addr}",)
        if s.throttle.blocked(*keys):
            error = _t("login_throttled", minutes=max(1, s.settings.login_window_seconds // 60))
            status = 429
        else:
            user = s.users.get(name)
            if verify(user, password) and user is not None:
                s.throttle.clear(*keys)
                session.clear()  # a new session id for the signed-in user (no fixation)
                session.permanent = True
                session["sid"] = s.sessions.start(user.name, password_mark(user))
                return redirect(_safe_next(request.args.get("next")))
            s.throttle.fail(*keys)
            error = _t("login_failed")
            status = 401
    return render_template("login.html", error=error, name=name), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    """Ends the sign-in on the server too: a copy of the old cookie meets the sign-in page."""
    sid = session.get("sid")
    if sid:
        site().sessions.end(str(sid))
    session.clear()
    if g.get("auth_mode") == "users":
        return redirect(url_for("auth.login"))
    return redirect(url_for("listing.index"))
