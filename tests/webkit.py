"""Helpers for the tests of ``kyotei serve``: a working folder with its own registry and drop
folder, an application over it, users, and a browser-like client that signs in and uploads.

Kept apart from the test modules so that the page tests, the case tests and the benchmark
share one way of doing each of these.
"""

from __future__ import annotations

import functools
import io
import json
import re
import threading
from pathlib import Path

import pytest

from inboxkit import write_form
from kyotei_docs.config import load_config
from kyotei_docs.web.app import create_app
from kyotei_docs.web.settings import CHANGE, READ, WebSettings
from kyotei_docs.web.users import hash_password, save_user

PASSWORD = "correct horse battery"

#: Debian's Chromium, driven by Playwright in the browser tests (the ``chromium`` fixture of tests/conftest.py)
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A working folder with a configuration, a registry and a drop folder of its own.

    Files left waiting in the drop folder are read by the screen with an ordinary pass, which waits
    ``settle_seconds`` for them: 0.05 s here, not a real office's 2 s."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drop").mkdir()
    conf = tmp_path / "kyotei.toml"
    conf.write_text("\n".join([
        "[registry]", f"path = {json.dumps(str(tmp_path / 'registry.sqlite3'))}",
        "[inbox]", "workers = 0", "pdf = false", "settle_seconds = 0.05",
        "[web]", f"drop_folder = {json.dumps(str(tmp_path / 'drop'))}",
        f"journal = {json.dumps(str(tmp_path / 'journal.sqlite3'))}",
        "upload_max_mb = 1", "upload_max_files = 10", "login_attempts = 3",
    ]) + "\n", encoding="utf-8")
    return tmp_path


def make_app(home: Path, **overrides):
    cfg = load_config(home / "kyotei.toml")
    lang = overrides.pop("lang", "ja")
    app = create_app(cfg, WebSettings.from_config(cfg, **overrides), lang=lang)
    app.testing = True
    return app


@functools.cache
def password_hash() -> str:
    """A real argon2id hash of :data:`PASSWORD`, made once per process, with light parameters (1 MB, one pass).

    Signing in checks it in full, through the same ``users.verify``, with the parameters the hash itself
    names (as argon2 always does).  With the shipped ones (64 MB, three passes: ~0.15 s of CPU, 0.4 s on a
    busy machine) each of the suite's hundreds of sign-ins cost that; a sign-in against a hash made with
    the shipped parameters is :func:`shipped_hash`'s (tests/test_web_security.py)."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


@functools.cache
def shipped_hash() -> str:
    """The hash ``kyotei serve adduser`` makes of :data:`PASSWORD` (users.hash_password: the shipped parameters)."""
    return hash_password(PASSWORD)


def add_users(home: Path, *, shipped: bool = False) -> None:
    """tanaka (担当) and suzuki (閲覧), both with :data:`PASSWORD` (hashed as :func:`shipped_hash` if ``shipped``)."""
    made = shipped_hash() if shipped else password_hash()
    save_user(home / "kyotei-users.toml", "tanaka", CHANGE, made)
    save_user(home / "kyotei-users.toml", "suzuki", READ, made)


def token(client, url: str = "/") -> str:
    html = client.get(url).get_data(as_text=True)
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, f"no CSRF field on {url}"
    return m.group(1)


def post(client, url: str, **data):
    """A form posted from the screen's own page (its CSRF token), following the redirect as a browser does."""
    data.setdefault("csrf_token", token(client))
    return client.post(url, data=data, follow_redirects=True)


def login(client, name: str = "tanaka", password: str = PASSWORD):
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token(client, "/login")})


def upload(client, files: list[tuple[str, bytes]], csrf: str | None = None, follow: bool = True):
    """POST files as a browser does.  The body is encoded here, in memory: werkzeug's test client would
    spool a body over 500 KB to a TemporaryFile it never closes (a ResourceWarning in a later test)."""
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    fields: MultiDict = MultiDict([("csrf_token", csrf if csrf is not None else token(client, "/intake"))])
    for name, b in files:
        fields.add("files", FileStorage(io.BytesIO(b), filename=name, content_type="application/octet-stream"))
    boundary, body = encode_multipart(fields)
    return client.post("/intake", data=body, content_type=f"multipart/form-data; boundary={boundary}",
                       follow_redirects=follow)


def form_bytes(tmp: Path, company: str = "株式会社テスト商事", **kw) -> bytes:
    return write_form(tmp / "forms" / f"{company}.docx", company, **kw).read_bytes()


def fill_cases(home: Path, names: list[str], *, departments: list[str] | None = None,
               invalid: frozenset[int] | set[int] = frozenset(), review: dict[int, int] | None = None) -> None:
    """Record one proposal per name in ``home``'s registry, as the drop folder records them.

    A real Form 1 is read and checked once (valid and, if asked, invalid); each case is that
    result under another organisation's name (and department).  ``invalid`` holds the
    indexes recorded with the invalid proposal's errors (要修正); ``review`` maps an index
    to a number of review items the reader left (要確認).
    """
    import hashlib
    from dataclasses import replace

    from kyotei_docs.pipeline import check_file
    from kyotei_docs.registry import record_submission
    from kyotei_docs.rules import Finding

    cfg = load_config(home / "kyotei.toml")
    good = check_file(write_form(home / "forms" / "fill-good.docx", "株式会社ひな形"), cfg)
    bad = check_file(write_form(home / "forms" / "fill-bad.docx", "株式会社ひな形", valid=False), cfg) \
        if invalid else good
    for i, name in enumerate(names):
        base = bad if i in invalid else good
        proposal = replace(base.proposal, organization=replace(base.proposal.organization, name=name))
        result = replace(base, proposal=proposal)
        if review and i in review:  # review items as the reader leaves them (on entries it doubted)
            entries = ("purpose", "expected_effects", "contact.phone", "contact.email")
            result = replace(result, review=[Finding("doubt", entries[n], "原本と照合してください", "review")
                                             for n in range(review[i])])
        record_submission(cfg, result, submission_id=f"fill-{i}",
                          sha256=hashlib.sha256(f"fill-{i}".encode()).hexdigest(), folder=None)
    if departments:
        from kyotei_docs.cases import open_registry, set_details

        with open_registry(cfg) as reg:
            for i, department in enumerate(departments, start=1):
                set_details(cfg, reg, i, {"department": department})


class OfficeRuns:
    """Every real LibreOffice run of the test, counted while it lives (:func:`count_office_runs`)."""

    def __init__(self) -> None:
        self.inputs: list[str] = []  # the last file named on each run's command line
        self.live = self.most = 0
        self._lock = threading.Lock()

    def started(self, cmd) -> None:
        with self._lock:
            self.inputs.append(cmd[-1])
            self.live += 1
            self.most = max(self.most, self.live)

    def ended(self) -> None:
        with self._lock:
            self.live -= 1


def count_office_runs(monkeypatch) -> OfficeRuns:
    """Spy on ``office.start_group`` (the one place LibreOffice starts): the runs go on for real."""
    from kyotei_docs import office

    runs = OfficeRuns()
    start_group = office.start_group

    class Counted:
        def __init__(self, group) -> None:
            self.group = group

        def wait(self, timeout=None):
            code = self.group.wait(timeout)
            runs.ended()
            return code

        def kill(self) -> None:
            self.group.kill()
            runs.ended()

    def counting(cmd, **kw):
        runs.started(cmd)
        return Counted(start_group(cmd, **kw))

    monkeypatch.setattr(office, "start_group", counting)
    return runs
