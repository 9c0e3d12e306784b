"""The ``libreoffice`` mark is enforced: a test that starts LibreOffice without it fails, saying so.

A nested pytest run over a small test file with this suite's conftest.py: the
unmarked test converts through ``office.convert`` (the project's one way to start
LibreOffice) and fails with the guard's message; the marked one is not guarded.
LibreOffice itself never runs here (the guard starts nothing for an unmarked test).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import conftest
from conftest import OFFICE_LOG, ROOT
from waitkit import alive, wait_for

INNER = '''
import os
import subprocess
import pytest
from kyotei_docs.office import convert


def test_unmarked_convert(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("x")
    convert([src], "pdf", tmp_path / "out", retries=0)


def test_unmarked_in_a_child_process(tmp_path):
    subprocess.run(["soffice", "--version"], check=False)


@pytest.mark.libreoffice
def test_marked_is_not_guarded():
    assert "KYOTEI_TEST_SOFFICE_LOG" not in os.environ


def test_unmarked_without_libreoffice_passes():
    assert "KYOTEI_TEST_SOFFICE_LOG" in os.environ
'''


@pytest.mark.skipif(os.name != "posix" or not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="the guard is set up only where LibreOffice is installed (POSIX)")
def test_a_test_that_starts_libreoffice_without_the_mark_fails_with_a_clear_message(tmp_path: Path):
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_inner.py").write_text(INNER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != OFFICE_LOG and not k.startswith("PYTEST_")}
    env["PATH"] = conftest.path_without_guard()  # the nested run sets up its own guard
    env["PYTHONPATH"] = str(ROOT)
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W",
                          "ignore::pytest.PytestUnknownMarkWarning", "test_inner.py"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    out = res.stdout
    assert res.returncode == 1, out + res.stderr
    assert "2 failed, 2 passed" in out, out
    for name in ("test_unmarked_convert", "test_unmarked_in_a_child_process"):
        assert (f"test_inner.py::{name} started LibreOffice" in out
                and "is not marked @pytest.mark.libreoffice: add the mark" in out), out


def test_every_libreoffice_test_is_slow_too_so_not_slow_is_the_one_quick_run(request: pytest.FixtureRequest) -> None:
    """conftest marks each ``libreoffice`` test ``slow``: ``-m "not slow"`` leaves every one of them out."""
    here = request.node
    assert here.get_closest_marker("slow") is None  # this test is neither
    res = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                          "-m", "libreoffice and not slow", "tests/test_strike.py", "tests/test_legacy.py"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PATH": conftest.path_without_guard()})
    assert "no tests collected" in res.stdout and "deselected" in res.stdout, res.stdout[-800:]
    res = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                          "-m", "libreoffice", "tests/test_strike.py"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PATH": conftest.path_without_guard()})
    assert "test_strike.py::" in res.stdout, res.stdout[-800:]  # there are some to leave out


SKIPPING = '''
import pytest


def test_needs_libreoffice():
    pytest.skip("LibreOffice is not installed")


def test_skips_for_another_reason():
    pytest.skip("the POSIX implementation")
'''


@pytest.mark.parametrize("required", [False, True])
def test_a_skip_for_a_missing_system_tool_fails_under_make_test(tmp_path: Path, required: bool):
    """`make test` (and so CI) sets KYOTEI_TEST_REQUIRE_TOOLS: a test that would skip because
    LibreOffice (Tesseract, Chromium, Poppler) is missing fails there instead; other skips stay."""
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_inner.py").write_text(SKIPPING, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != OFFICE_LOG and not k.startswith("PYTEST_")}
    env.pop(conftest.REQUIRE_TOOLS, None)
    if required:
        env[conftest.REQUIRE_TOOLS] = "1"
    env["PATH"] = conftest.path_without_guard()
    env["PYTHONPATH"] = str(ROOT)
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "test_inner.py"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    if required:
        assert res.returncode == 1, res.stdout
        assert "1 failed, 1 skipped" in res.stdout and "make system" in res.stdout
    else:
        assert res.returncode == 0, res.stdout
        assert "2 skipped" in res.stdout


def _python(script: str, timeout: float) -> subprocess.CompletedProcess:
    """``script`` run by a Python of its own that imports this suite's conftest and kyotei_docs as the tests do."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "tests"), str(ROOT)]))
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads children from /proc (Linux)")
def test_the_browser_fixtures_watchdog_ends_a_hung_child_and_its_children():
    """The session's Chromium fixture watches the driver's start and end: a child that never
    ends (with a child of its own) is killed after the watchdog's time, so the wait returns.

    The watchdog is started once the child's own child is there (its pid read back), so both are
    killed; its time is short because its firing is all this test waits for."""
    script = (
        "import subprocess, time\n"
        "import conftest\n"
        "proc = subprocess.Popen(['sh', '-c', 'sleep 300 & echo $!; wait'], stdout=subprocess.PIPE, text=True)\n"
        "grandchild = int(proc.stdout.readline())\n"
        "start = time.monotonic()\n"
        "with conftest._watchdog(0.2):\n"
        "    code = proc.wait()\n"
        "print(code, round(time.monotonic() - start), grandchild)\n"
    )
    res = _python(script, timeout=60)
    code, seconds, grandchild = res.stdout.split()
    assert code == "-9" and int(seconds) < 10, res.stderr
    assert wait_for(lambda: not alive(int(grandchild)), timeout=30), "the child's own child outlived the watchdog"



@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="the PDF sandbox forks its worker on Linux only")
def test_the_browser_fixture_ends_without_waiting_when_a_sandbox_worker_was_forked_after_it():
    """A worker that read a PDF after starting Chromium kept a forked sandbox child holding the
    driver's pipe: at the session's end Playwright's driver never stopped (a fresh-clone run
    waited for the watchdog's minute).  The fixture ends such children first; the driver then
    stops at once.  Run in a child process, so a hang is a timeout here, not this worker's."""
    script = (
        "import os, time\n"
        "import conftest\n"
        "from playwright.sync_api import sync_playwright\n"
        "from webkit import ARGS, CHROMIUM\n"
        "from kyotei_docs import sandbox\n"
        "p = sync_playwright().start()\n"
        "browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)\n"
        "forked = sandbox.run_limited(os.getpid, seconds=30, memory_mb=None)\n"
        "conftest._end_forked_children()\n"
        "start = time.monotonic()\n"
        "browser.close()\n"
        "p.stop()\n"
        "print(forked != os.getpid(), round(time.monotonic() - start, 1))\n"
    )
    res = _python(script, timeout=120)
    assert res.returncode == 0, res.stderr
    was_forked, seconds = res.stdout.split()
    assert was_forked == "True" and float(seconds) < 10, res.stdout
