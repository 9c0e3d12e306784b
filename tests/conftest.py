"""Shared fixtures (build a .docx from raw XML and read it back) and the guard of the ``libreoffice`` mark.

The guard: a test that starts LibreOffice must be marked ``@pytest.mark.libreoffice``
(so that ``-m "not libreoffice"`` really leaves LibreOffice out, and CI without it
knows what it skips).  The session puts a stand-in ``soffice``/``libreoffice`` first
on ``PATH`` (the project finds LibreOffice there: ``office.soffice_path``, the one
entry point that starts it).  During a test with the mark it runs the real program;
during any other test it starts nothing, notes the call, and the test fails saying
which test started LibreOffice and that it needs the mark.  Processes the test starts
(``kyotei`` via :func:`run_cli`, the drop folder's workers, the web server) inherit
``PATH`` and are guarded too; a test that sets its own ``PATH`` (LibreOffice missing
on purpose, a fake ``soffice``) is left alone.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest

from kyotei_docs.config import load_config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

_counter = itertools.count()


@pytest.fixture(autouse=True)
def _lang_ja(monkeypatch, tmp_path_factory):
    """Every test starts in Japanese with the built-in configuration and reading options, no site, and its own
    empty machine-wide and per-user folders (site records, the drop folder's journal), never the real ones.
    A test that needs a site asks for the ``site`` fixture."""
    from kyotei_docs.i18n import set_lang

    monkeypatch.delenv("KYOTEI_LANG", raising=False)
    monkeypatch.delenv("KYOTEI_CONFIG", raising=False)
    monkeypatch.delenv("KYOTEI_REGISTRY", raising=False)
    monkeypatch.delenv("KYOTEI_SITE", raising=False)
    home = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("LOCALAPPDATA", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("APPDATA", str(home / "config"))
    monkeypatch.setenv("KYOTEI_MACHINE_DIR", str(home / "machine"))
    from kyotei_docs.readers.options import ReadOptions, set_options

    set_lang("ja")
    set_options(ReadOptions())  # a command run in-process (CliRunner) sets the reading options for the process
    yield
    set_lang("ja")
    set_options(ReadOptions())


@pytest.fixture
def site(tmp_path_factory, monkeypatch):
    """A real site made by ``kyotei init``'s own code, named by ``KYOTEI_SITE`` (so ``run_cli`` uses it).

    Returns the :class:`kyotei_docs.site.Site`; ``site_cfg`` gives its loaded configuration.
    """
    from kyotei_docs.site import init

    made = init(tmp_path_factory.mktemp("office") / "site", record=False)
    monkeypatch.setenv("KYOTEI_SITE", str(made.site.root))
    return made.site


def case_folder(site, case_id: int) -> Path:
    """The one folder ``<site>/cases/<ID>_<name>/`` where a case's signed documents go."""
    [folder] = [p for p in site.cases.glob(f"{case_id}_*") if p.is_dir()]
    return folder


@pytest.fixture
def site_cfg(site):
    """The site's configuration, with the site attached (as the ``kyotei`` command loads it)."""
    return load_config(site=site)


@pytest.fixture
def server_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The server's clock zone is UTC (containers, cloud machines); the city is Japan."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(scope="session")
def chromium():
    """Chromium (Playwright), started once per worker: each start costs ~1 s of CPU.

    Tests open their own context in it (``browser.new_context()``: cookies and storage
    of their own) and close it; tests/test_web_browser.py's ``page`` does both."""
    from playwright.sync_api import sync_playwright

    from webkit import ARGS, CHROMIUM

    # Playwright's node driver once sat idle at start-up, the worker waiting for it for ever (no
    # browser started; node 18+ uses io_uring through libuv, known to stall on some kernels): off
    os.environ.setdefault("UV_USE_IO_URING", "0")
    # ... and once a worker's last test waited 298 s in this fixture's teardown (the driver not
    # ending at close): each end of the driver's life is watched, and after a minute this worker's
    # child processes (the driver, the browser) are killed, so the call fails instead of hanging
    with _watchdog(60):
        p = sync_playwright().start()
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    try:
        yield browser
    finally:
        _end_forked_children()
        with _watchdog(60):
            for end in (browser.close, p.stop):
                try:
                    end()
                except Exception:  # the driver was killed by the watchdog, or had already gone
                    pass


def _end_forked_children() -> None:
    """End the processes this worker forked and kept (the PDF sandbox's worker, kept for the next file).

    A child forked after the browser started holds a copy of the pipe to Playwright's driver: when
    the fixture closed it, the driver never saw its end and never stopped — a fresh-clone run
    waited here for the watchdog's minute (and once 298 s, before the watchdog). Nothing runs in
    them at the session's end."""
    import multiprocessing

    from kyotei_docs import sandbox

    sandbox.shutdown()
    for child in multiprocessing.active_children():
        child.kill()
        child.join(5)


@contextlib.contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    """Kill this process's children (and theirs) if the block takes longer than ``seconds``."""
    timer = threading.Timer(seconds, _kill_children)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _kill_children() -> None:
    """SIGKILL every descendant of this process (Linux: read from /proc; elsewhere nothing), parents first.

    Parents first: a parent whose child died first could end on its own (a shell's ``wait``
    returning) before its own kill, and a wait on it would see it end "normally"."""
    from waitkit import descendants

    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


@pytest.fixture
def cfg():
    return load_config(ROOT / "kyotei_docs" / "defaults" / "kyotei.toml")


@pytest.fixture
def build(tmp_path):
    """``build(body_xml, **kw) -> Path`` writes a .docx made from raw WordprocessingML."""
    from docxbuild import make_docx

    def _build(body: str, name: str | None = None, **kw) -> Path:
        path = tmp_path / (name or f"form{next(_counter)}.docx")
        return make_docx(body, path, **kw)

    return _build


@pytest.fixture
def parse(build):
    """``parse(body_xml) -> Proposal`` for a document made from raw XML."""
    from kyotei_docs.pipeline import read_proposal

    def _parse(body: str, **kw):
        return read_proposal(build(body, **kw))

    return _parse


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``kyotei`` as staff would: a separate process, real exit code and streams."""
    full_env = dict(os.environ)
    full_env.pop("KYOTEI_LANG", None)
    full_env.pop("KYOTEI_CONFIG", None)
    # the code under test, also when cwd is elsewhere (else the venv's editable install of /work/main wins)
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH")]))
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "kyotei_docs", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=full_env, timeout=120)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def shared_cli(tmp_path_factory) -> Callable[..., subprocess.CompletedProcess]:
    """``shared_cli(*args)``: :func:`run_cli` run once a session for the same files and arguments.

    For tests whose subject is what ``kyotei`` read from a file, not the act of reading it: a
    phone photo read by OCR costs ~7 s of CPU, and several test files ask what sample 47 reads
    as.  The first test to ask runs the command; every other test, in any xdist worker, gets
    its stored exit code and output.  The key is the arguments with each file named in them
    replaced by its name and the hash of its bytes (a file rebuilt with other content is read
    again).  The store lies in the session's temporary root, which the controller and every
    worker share (a worker's own root is a folder inside it); a lock per key makes the others
    wait for the one that runs it.
    """
    import fcntl
    import hashlib

    base = tmp_path_factory.getbasetemp()
    store = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-cli"
    store.mkdir(exist_ok=True)

    def run(*args: str) -> subprocess.CompletedProcess:
        key = hashlib.sha256()
        for arg in args:
            path = Path(arg)
            if path.is_file():
                key.update(b"file\0" + path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
            else:
                assert not path.is_dir(), "shared_cli keys files by their bytes: name each file, not a folder"
                key.update(b"arg\0" + arg.encode() + b"\0")
        name = key.hexdigest()[:32]
        with open(store / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            done = store / f"{name}.json"
            if not done.exists():
                res = run_cli(*args)
                part = done.with_suffix(".part")
                part.write_text(json.dumps([res.returncode, res.stdout, res.stderr]), encoding="utf-8")
                part.replace(done)
            code, out, err = json.loads(done.read_text("utf-8"))
        return subprocess.CompletedProcess(["kyotei", *args], code, out, err)

    return run


# ------------------------------------------------------------------ the libreoffice mark

#: Set while a test without the ``libreoffice`` mark runs: where the stand-in notes a start.
OFFICE_LOG = "KYOTEI_TEST_SOFFICE_LOG"
_SHIM = """#!/bin/sh
# tests/conftest.py: LibreOffice only for tests marked libreoffice
if [ -n "$KYOTEI_TEST_SOFFICE_LOG" ]; then
    printf '%s\\n' "$0 $*" >> "$KYOTEI_TEST_SOFFICE_LOG"
    exit 97
fi
exec REAL "$@"
"""
_shim_dir: Path | None = None


_SHIM_PREFIX = "kyotei-test-soffice-"


def path_without_guard(path: str | None = None) -> str:
    """``PATH`` (or ``path``) without any guard's stand-in folder (for a nested pytest run).

    Any: under pytest-xdist the controlling process and each worker set up a guard,
    and a worker's ``PATH`` holds both its own folder and the controller's."""
    parts = (path if path is not None else os.environ.get("PATH", "")).split(os.pathsep)
    return os.pathsep.join(p for p in parts if not Path(p).name.startswith(_SHIM_PREFIX))


#: the session's folder of compiled bytecode for the Python processes the tests start (:func:`_share_bytecode`)
_PYCACHE = "KYOTEI_TEST_PYCACHE"
_pycache_dir: Path | None = None


def _share_bytecode(config: pytest.Config) -> None:
    """The ``kyotei`` processes the tests start (hundreds) compile the package once, not each time.

    Where ``PYTHONDONTWRITEBYTECODE`` is set (this project's development machines) every such
    process compiled kyotei_docs from its source again (~0.06 s of CPU a process).  Their
    bytecode goes instead to one temporary folder per session (``PYTHONPYCACHEPREFIX``:
    nothing is written into the source tree), shared by every worker.  The pytest
    processes themselves keep reading the installed packages' own ``__pycache__`` (a
    prefix would make each compile those afresh), so the variables are set only where
    tests run: in a worker, or in a run without workers.
    """
    global _pycache_dir
    if not (sys.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE")):
        return  # bytecode is written beside the source as usual
    folder = os.environ.get(_PYCACHE)
    if folder is None:  # the first process of the session: the controller, or the only one
        _pycache_dir = Path(tempfile.mkdtemp(prefix="kyotei-test-pycache-"))
        folder = os.environ[_PYCACHE] = str(_pycache_dir)
    if hasattr(config, "workerinput") or not config.getoption("numprocesses", None):
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = folder


def pytest_configure(config: pytest.Config) -> None:
    global _shim_dir
    _share_bytecode(config)
    if hasattr(config.option, "loadscopereorder"):
        # pytest-xdist hands out files by their number of tests unless told not to, which put the
        # browser files (five or six long tests each) last: the order of
        # :func:`pytest_collection_modifyitems` is the one that counts
        config.option.loadscopereorder = False
    unguarded = path_without_guard()
    real = shutil.which("soffice", path=unguarded) or shutil.which("libreoffice", path=unguarded)
    if os.name != "posix" or real is None:  # nothing to guard: tests see LibreOffice missing as it is
        return
    _shim_dir = Path(tempfile.mkdtemp(prefix=_SHIM_PREFIX))
    for name in ("soffice", "libreoffice"):
        shim = _shim_dir / name
        shim.write_text(_SHIM.replace("REAL", "'" + real.replace("'", "'\\''") + "'"), encoding="utf-8")
        shim.chmod(0o755)
    # each profile is seeded with the installation's build id, read beside the program it is given
    # (office._build_id): without a copy beside the stand-in, every conversion of the session
    # restarted LibreOffice once (~0.13 s of CPU, ~0.5 s of wall time a conversion)
    program = Path(os.path.realpath(real)).parent
    for name in ("versionrc", "version.ini"):
        if (program / name).is_file():
            shutil.copyfile(program / name, _shim_dir / name)
    os.environ["PATH"] = os.pathsep.join([str(_shim_dir), unguarded])


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto`` (``make test``) starts one worker more than there are cores.

    About a third of the suite's wall time is spent waiting on other processes — Chromium drawing a
    page, LibreOffice converting, a drop-folder worker settling, a ``kyotei`` process starting —
    while the worker that started them sits idle; a worker per core left a core unused meanwhile.
    On 2 cores, with the files handed out whole (``--dist loadfile``), a third worker took the
    quiet-machine run from 274 s to 246 s (bench/RESULTS.md, "Test suite time").
    ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still sets the number, as pytest-xdist documents."""
    chosen = os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS", "")
    if chosen.isdigit():
        return int(chosen)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores + 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that runs the real LibreOffice is slow too: ``-m "not slow"`` is the one quick run
    (no LibreOffice, no browser, no wheel build), whatever else a test is marked.

    Files with the most slow tests run first, each file's tests in their order: ``make test``
    gives whole files to the workers in this order (``--dist loadfile``; pytest-xdist's own
    reordering by number of tests is turned off in :func:`pytest_configure`), and a long file
    handed out last kept one worker busy while the others had nothing left to do."""
    for item in items:
        if item.get_closest_marker("libreoffice") is not None and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.slow)
    slow = Counter(item.path for item in items if item.get_closest_marker("slow") is not None)
    place: dict[Path, int] = {}
    for n, item in enumerate(items):
        place.setdefault(item.path, n)
    items.sort(key=lambda item: (-slow[item.path], place[item.path]))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _shim_dir is not None:
        shutil.rmtree(_shim_dir, ignore_errors=True)
    if _pycache_dir is not None:
        shutil.rmtree(_pycache_dir, ignore_errors=True)


def _office_started(item: pytest.Item) -> None:
    """Fail ``item`` if LibreOffice was asked for while it ran without the mark."""
    log = item.stash.get(_LOG_KEY, None)
    if log is None or not log.exists():
        return
    calls = log.read_text("utf-8").splitlines()
    log.unlink()
    if calls:
        pytest.fail(f"{item.nodeid} started LibreOffice ({calls[0]}) but is not marked "
                    "@pytest.mark.libreoffice: add the mark (LibreOffice was not run)", pytrace=False)


_LOG_KEY = pytest.StashKey[Path]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    if _shim_dir is not None and item.get_closest_marker("libreoffice") is None:
        log = _shim_dir / f"started-{next(_counter)}.log"
        item.stash[_LOG_KEY] = log
        os.environ[OFFICE_LOG] = str(log)  # before any fixture: one that converts is guarded too
    try:
        return (yield)
    finally:
        _office_started(item)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    try:
        return (yield)
    finally:
        _office_started(item)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    try:
        return (yield)
    finally:
        os.environ.pop(OFFICE_LOG, None)
        _office_started(item)


def judged(cfg, reg, ref) -> None:
    """Record the case's judgement sheet (検討票) as all clear — a case judged in a meeting — so it may be signed.

    Tests about other parts of signing call this first; tests/test_steps.py is where judging itself is tested.
    """
    from kyotei_docs.cases import judging

    judging.record(cfg, reg, ref, {}, all_clear=True, actor="test")


# ------------------------------------------------------------------ no skipped system tool under make test
#: Set by ``make test`` (and so by CI): a test skipped because LibreOffice, Tesseract, Chromium or
#: Poppler is missing fails instead — the project installs them (ci/apt-packages.txt), so such a skip
#: means a test that silently stopped running.  A plain ``pytest`` run on a developer's machine
#: without them still skips.
REQUIRE_TOOLS = "KYOTEI_TEST_REQUIRE_TOOLS"
_TOOL_SKIP = re.compile(r"libreoffice|soffice|tesseract|chromium|pdftoppm|pdffonts|poppler", re.IGNORECASE)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if os.environ.get(REQUIRE_TOOLS) and report.skipped and _TOOL_SKIP.search(str(report.longrepr)):
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid} was skipped ({report.longrepr}) but `make test` requires the "
                           "system tools it needs: install them with `make system` (ci/apt-packages.txt)")
    return report
