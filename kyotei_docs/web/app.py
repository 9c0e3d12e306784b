"""The Flask application: settings, who is signed in, defences, pages.

Why an application factory: the command, the tests and the benchmark each
build an application from a :class:`Config` and :class:`WebSettings` they
loaded once; nothing reads the environment or the working folder per request.

Who is signed in is decided per request, in this order:

* ``[web] proxy_user_header`` set: the trusted reverse proxy names the user
  (requests from other addresses are refused);
* users in the users file: the session cookie names a user who signed in;
* neither, and the server listens on this PC only: the PC's own user, 担当.
"""

from __future__ import annotations

import atexit
import contextlib
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import Flask, current_app, g, redirect, render_template, request, session, url_for
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.exceptions import HTTPException

from .. import citytime
from ..config import Config
from ..errors import KyoteiError
from ..i18n import get_lang, say, set_lang
from . import security
from .messages import MESSAGES
from .sessions import SessionStore
from .sessions import path_for as session_path
from .settings import CHANGE, WebError, WebSettings
from .users import ROLE_LABELS, User, UserStore
from .workload import Busy, Workload

#: endpoints reachable without signing in
PUBLIC = frozenset({"auth.login", "static"})


@dataclass
class Site:
    """What every request of one server shares."""

    cfg: Config
    settings: WebSettings
    users: UserStore
    throttle: security.Throttle
    sessions: SessionStore
    #: the one bounded queue for uploads' passes and LibreOffice (``web/workload.py``)
    workload: Workload
    lang: str = "ja"
    #: the names a request's Host may carry (``WebSettings.hosts``, worked out once at start)
    hosts: frozenset[str] = frozenset()
    #: one drop-folder pass at a time from this server (uploads, and waiting files)
    passes: threading.Lock = field(default_factory=threading.Lock)
    _pool: Any = None
    _pdf_jobs: Any = None
    _lazy: threading.Lock = field(default_factory=threading.Lock)

    def worker_pool(self) -> Any:
        """The drop folder's sandboxed workers, kept warm between uploads (None: ``[inbox] workers = 0``).

        Made on first use with the limits of a pass (``inbox.batch.pass_limits``); the
        workers end with the server.  Call with :attr:`passes` held.
        """
        if self._pool is None:
            from ..inbox.batch import PassOptions, pass_limits
            from ..inbox.pool import WorkerPool

            opts = PassOptions.from_config(self.cfg)
            if opts.workers <= 0:
                return None
            # one warm worker: an upload is a few files, and the heavy-work slot runs one job at a time
            # anyway — a second idle worker would only hold memory (web/workload.py, bench/RESULTS.md)
            opts.workers = 1
            self._pool = WorkerPool(opts.workers, self.cfg, self.lang, pass_limits(self.cfg, opts))
            atexit.register(self._pool.close)
        return self._pool

    def rest_readers(self) -> None:
        """Let the warm reader process go (LibreOffice is about to run; the next upload starts it
        again, about a second).  Not while a pass uses it (``[web] heavy_jobs`` above 1)."""
        if self._pool is not None and self.passes.acquire(blocking=False):
            try:
                self._pool.close()
            finally:
                self.passes.release()

    def pdf_jobs(self) -> Any:
        """The background maker of uploaded submissions' PDFs (``web/pdfjobs.py``); None without a drop folder."""
        if self.settings.drop_folder is None:
            return None
        with self._lazy:
            if self._pdf_jobs is None:
                from ..inbox.layout import Layout
                from .pdfjobs import PdfJobs

                self._pdf_jobs = PdfJobs(Layout.at(self.settings.drop_folder), self.cfg, self.lang, self.passes,
                                         self.workload)
            return self._pdf_jobs

    def auth_mode(self) -> str | None:
        """``proxy``, ``users`` or ``local``; None when this server must not run (see :func:`check_can_serve`)."""
        if self.settings.proxy_user_header:
            return "proxy"
        if self.users:
            return "users"
        return "local" if self.settings.local_only else None

    @contextlib.contextmanager
    def registry(self) -> Iterator[Any]:
        """The registry, open for one request (the cases' own opener; created on first use, as the
        drop folder does, so a new installation shows an empty list rather than an error)."""
        from ..cases import open_registry

        with open_registry(self.cfg, create=True) as reg:
            yield reg


def site() -> Site:
    return current_app.extensions["kyotei"]


class _CompiledTemplates(BytecodeCache):
    """The pages' templates compiled once per process, whatever number of applications it makes.

    Why: each :func:`create_app` has its own Jinja environment, and compiling the
    templates is most of a first page's time; a process that makes many applications
    (the tests make one per test) compiled them again each time.  A template's code
    is kept by its name and the checksum of its source (Jinja's own bucket), so a
    changed template is compiled afresh; every application compiles with the same
    settings, so the code is the same.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # left empty (compiled again) if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code


_COMPILED = _CompiledTemplates()


def check_can_serve(settings: WebSettings, users: UserStore) -> None:
    """Refuse to listen beyond this PC without sign-in (raises WebError ``needs_auth``)."""
    if not settings.local_only and not settings.proxy_user_header and not users:
        raise WebError("needs_auth", host=settings.host)


def create_app(cfg: Config, settings: WebSettings, *, lang: str = "ja", secret_key: bytes | None = None) -> Flask:
    users = UserStore(settings.users_file)
    check_can_serve(settings, users)
    app = Flask("kyotei_docs.web", static_folder="static", template_folder="templates")
    per_file = settings.max_upload_bytes
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_bytes(32),
        SESSION_COOKIE_NAME="kyotei_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        MAX_CONTENT_LENGTH=per_file * max(1, settings.upload_max_files) + 1024 * 1024,
        MAX_FORM_PARTS=max(50, settings.upload_max_files * 2 + 20),
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    sessions = SessionStore(session_path(settings.users_file), settings.session_hours * 3600,
                            settings.session_idle_minutes * 60)
    app.extensions["kyotei"] = Site(cfg, settings, users,
                                    security.Throttle(settings.login_attempts, settings.login_window_seconds),
                                    sessions, Workload(settings.heavy_jobs, settings.heavy_wait_seconds,
                                                       settings.heavy_queue), lang, settings.hosts())
    site_ = app.extensions["kyotei"]
    site_.workload.make_room = site_.rest_readers
    app.jinja_env.bytecode_cache = _COMPILED
    app.jinja_env.globals.update(t=_t, csrf_token=security.csrf_token, role_label=role_label,
                                 CSRF_FIELD=security.CSRF_FIELD, status_label=status_label,
                                 summary_label=summary_label, fy_label=fy_label, fy_input=fy_input)
    # stored moments carry the writing server's offset: staff read them in the city's time
    app.jinja_env.filters.update(sdate=sdate, jdate=jdate, jdate_input=jdate_input,
                                 moment=lambda text: citytime.shown(text, cfg))
    app.context_processor(_context)
    app.before_request(_before)
    app.after_request(security.add_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(KyoteiError, _kyotei_error)
    app.register_error_handler(Busy, _busy)

    from . import auth, case, errorfiles, exports, intake, listing, steps

    for module in (auth, listing, intake, case, steps, exports, errorfiles):
        app.register_blueprint(module.bp)
    if settings.behind_https_proxy:
        app.wsgi_app = security.TrustedProxy(app.wsgi_app, settings.proxy_addresses)  # type: ignore[method-assign]
    return app


def _t(key: str, **params: Any) -> str:
    return say(MESSAGES, key, **params)


def role_label(role: str) -> str:
    ja, en = ROLE_LABELS.get(role, (role, role))
    return en if get_lang() == "en" else ja


def status_label(key: str | None) -> str:
    from ..registry.model import label

    return label(key)


def summary_label(key: str) -> str:
    from ..registry.report import MESSAGES as REPORT

    return say(REPORT, key) if key in REPORT else key


def fy_input(fy: int) -> str:
    """A fiscal year as staff type it into a field: 令和8年度 (2026 in English), read back by parse_fiscal_year."""
    from ..era import format_fiscal_year

    return format_fiscal_year(fy, "ascii") if get_lang() == "ja" else str(fy)


def fy_label(fy: int) -> str:
    from ..era import fiscal_year_said

    return fiscal_year_said(fy)


def sdate(d: date | None) -> str:
    """A date in a table: 2026/06/01."""
    return d.strftime("%Y/%m/%d") if d else "—"


def jdate(d: date | None) -> str:
    """A date on its own: 令和8年6月1日（2026/06/01）."""
    if not d:
        return "—"
    from ..era import format_both

    return format_both(d) if get_lang() == "ja" else d.isoformat()


def jdate_input(d: date | None) -> str:
    """A date as staff type it into a field: 令和8年6月1日."""
    if not d:
        return ""
    from ..era import format_wareki

    return format_wareki(d, "ascii") if get_lang() == "ja" else d.isoformat()


_NAV = {"listing": "list", "case": "list", "errorfiles": "list", "intake": "intake", "exports": "export"}


def _context() -> dict[str, Any]:
    return {"lang": get_lang(), "nav": _NAV.get(request.blueprint or "", ""), "has_case": True}


def _before() -> Any:
    s = site()
    set_lang(s.lang)
    g.user = None
    security.check_host(s.hosts)
    security.check_origin()
    security.check_csrf()
    g.user = None
    mode = s.auth_mode()
    if mode == "proxy":
        g.user = _proxy_user(s)
    elif mode == "users":
        g.user = _session_user(s)
    elif mode == "local":
        from ..registry.lifecycle import default_actor

        g.user = User(default_actor(), CHANGE)
    g.auth_mode = mode
    if g.user is None and request.endpoint not in PUBLIC:
        if mode == "users":
            return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
        return render_template("error.html", message=_t("proxy_missing")), 401
    return None


def _proxy_user(s: Site) -> User | None:
    if security.peer_address() not in s.settings.proxy_addresses:
        return None
    name = (request.headers.get(s.settings.proxy_user_header) or "").strip()
    if not name or len(name) > 200 or any(ord(c) < 32 for c in name):
        return None
    known = s.users.get(name)
    return User(name, known.role if known else s.settings.proxy_default_role)


def _session_user(s: Site) -> User | None:
    """The user of this browser's live sign-in (``web/sessions.py``), or None."""
    sid = session.get("sid")
    if not sid:
        return None
    signed = s.sessions.find(str(sid))
    user = s.users.get(signed.user) if signed is not None else None
    if signed is None or user is None or signed.mark != password_mark(user):  # ended, removed, password changed
        if signed is not None:
            s.sessions.end_user(signed.user)
        session.pop("sid", None)
        return None
    return user


def password_mark(user: User) -> str:
    """A short mark of the user's password hash: a changed password no longer matches it."""
    return user.hash[-16:]


def _http_error(exc: HTTPException) -> Any:
    code = exc.code or 500
    key = f"err_{code}"
    if (code, exc.description) in ((400, "host"), (403, "csrf"), (403, "role"), (403, "origin")):
        key = f"err_{code}_{exc.description}"
    if code == 500:  # the cause in a word for the administrator; the traceback stays in the console's log
        original = getattr(exc, "original_exception", None)
        message = _t("err_500", detail=type(original).__name__ if original is not None else "500")
    elif key == "err_400_host":
        message = _t(key, host=request.host[:200])
    elif code == 413:
        st = site().settings
        message = _t("err_413", mb=st.upload_max_mb, n=st.upload_max_files)
    elif key in MESSAGES:
        message = _t(key)
    else:
        message = exc.description or str(code)
    return render_template("error.html", message=message, code=code), code


def _busy(exc: Busy) -> Any:
    """The heavy work's queue is full: say so, and when to try again (nothing was done)."""
    seconds = max(5, min(60, site().settings.heavy_wait_seconds))
    return (render_template("error.html", message=_t("err_503_busy", seconds=seconds), code=503), 503,
            {"Retry-After": str(seconds)})


def _kyotei_error(exc: KyoteiError) -> Any:
    """A refused request or an unusable registry: its message, never a traceback."""
    from ..registry.errors import RegistryError

    code = 400
    if isinstance(exc, RegistryError):
        code = 404 if exc.code in ("not_found", "result_not_found") else \
            400 if getattr(exc, "exit_code", 3) == 1 else 503
    return render_template("error.html", message=exc.message, code=code), code
