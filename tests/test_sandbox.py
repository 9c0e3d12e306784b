"""The child-process sandbox: results come back, limits end hostile work, the next call still works."""

from __future__ import annotations

import os
import signal
import time

import pytest

from kyotei_docs import oskit, sandbox
from kyotei_docs.errors import KyoteiError, UnreadableError
from kyotei_docs.limits import Limits
from kyotei_docs.sandbox import run_limited
from waitkit import alive, wait_for


def _add(a: int, b: int) -> int:
    return a + b


def _pid() -> int:
    return os.getpid()


def _spin() -> None:
    while True:  # what a pdfminer infinite loop looks like from outside
        pass


def _hog() -> bytes:
    blocks = []
    while True:
        blocks.append(bytearray(64 * 1024 * 1024))


def _refuse() -> None:
    raise UnreadableError("pdf_broken", detail="test")


def _bug() -> None:
    raise ZeroDivisionError


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _exit_plain() -> None:
    os._exit(3)


@pytest.fixture(autouse=True)
def _fresh_worker():
    sandbox.shutdown()
    yield
    sandbox.shutdown()


def test_result_comes_back_from_another_process():
    assert run_limited(_add, 2, 3, seconds=10, memory_mb=512) == 5
    assert run_limited(_pid, seconds=10, memory_mb=512) != os.getpid()


def test_worker_is_reused_between_calls():
    first = run_limited(_pid, seconds=10, memory_mb=512)
    assert run_limited(_pid, seconds=10, memory_mb=512) == first


def test_worker_is_reused_beside_a_large_parent():
    # A forked child starts with its parent's peak resident size; a parent past half the
    # limit (a long test run, serve after many requests) retired every worker after one call.
    import subprocess
    import sys

    script = (
        "import os\n"
        "from kyotei_docs.sandbox import run_limited\n"
        "big = bytearray(800 * 1024 * 1024)\n"
        "for i in range(0, len(big), 4096): big[i] = 1\n"
        "a = run_limited(os.getpid, seconds=20, memory_mb=1400)\n"
        "b = run_limited(os.getpid, seconds=20, memory_mb=1400)\n"
        "print('same' if a == b else 'retired')\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         cwd=root, env=dict(os.environ, PYTHONPATH=root), check=True)
    assert out.stdout.strip() == "same"


def test_timeout_kills_the_child_and_the_next_call_works():
    start = time.monotonic()
    pid = run_limited(_pid, seconds=10, memory_mb=512)
    with pytest.raises(UnreadableError) as err:
        run_limited(_spin, seconds=0.5, memory_mb=512)  # spins (a core's worth) until the limit fires
    assert err.value.code == "timeout" and "0.5" in err.value.message
    assert time.monotonic() - start < 30  # _spin never ends: any bound proves the limit; a busy machine needs room
    assert wait_for(lambda: not alive(pid), timeout=10)  # the spinning worker is gone, not left running
    assert run_limited(_add, 1, 1, seconds=10, memory_mb=512) == 2


@pytest.mark.skipif(not oskit.can_limit_memory() or oskit.WINDOWS, reason="RLIMIT_AS exists on POSIX only")
def test_memory_limit_ends_as_too_complex():
    start = time.monotonic()
    with pytest.raises(UnreadableError) as err:
        run_limited(_hog, seconds=30, memory_mb=300)
    assert err.value.code == "too_complex" and "300" in err.value.message
    assert time.monotonic() - start < 60  # _hog never ends by itself (the seconds limit, 30, would say timeout)
    assert run_limited(_add, 2, 2, seconds=10, memory_mb=300) == 4


def test_kyotei_errors_keep_code_and_parameters():
    with pytest.raises(UnreadableError) as err:
        run_limited(_refuse, seconds=10, memory_mb=512)
    assert err.value.code == "pdf_broken" and "test" in err.value.message


def test_unexpected_exception_is_internal_not_a_traceback():
    with pytest.raises(KyoteiError) as err:
        run_limited(_bug, seconds=10, memory_mb=512)
    assert err.value.code == "internal" and "ZeroDivisionError" in err.value.message


def test_killed_child_is_reported():
    with pytest.raises(UnreadableError) as err:
        run_limited(_die, seconds=10, memory_mb=512)
    assert err.value.code == "too_complex"  # killed by a signal under a memory limit: the OOM killer's way
    with pytest.raises(UnreadableError) as err:
        run_limited(_exit_plain, seconds=10, memory_mb=512)
    assert err.value.code == "crashed" and "3" in err.value.message
    assert run_limited(_add, 3, 3, seconds=10, memory_mb=512) == 6


def test_limits_come_from_the_configuration(tmp_path):
    from kyotei_docs.config import load_config

    default = load_config().limits
    assert default == Limits()  # the shipped [limits] table and the code agree
    cfg_file = tmp_path / "kyotei.toml"
    cfg_file.write_text("[limits]\npdf_seconds = 7\nmemory_mb = 300\n", encoding="utf-8")
    limits = load_config(cfg_file).limits
    assert limits.pdf_seconds == 7.0 and limits.memory_mb == 300 and limits.pdf_pages == default.pdf_pages


_PYPDF_PRELOAD = """
import sys, threading
from kyotei_docs import sandbox
sandbox.run_limited(len, "ab", seconds=60, memory_mb=None)
alone = "pypdf" in sys.modules
sandbox.shutdown()
stop = threading.Event()
watcher = threading.Thread(target=stop.wait)
watcher.start()
sandbox.run_limited(len, "ab", seconds=60, memory_mb=None)
stop.set()
print(alone, "pypdf" in sys.modules)
"""


@pytest.mark.skipif(oskit.child_context_name() != "fork", reason="children are spawned here, nothing is preloaded")
def test_pypdf_is_imported_before_a_fork_only_while_other_threads_run():
    """A single-threaded ``kyotei check`` refuses a PDF without form fields without importing pypdf;
    a parent with a watcher thread imports it first, so no child imports while that thread might."""
    import subprocess
    import sys

    from conftest import ROOT

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-c", _PYPDF_PRELOAD], capture_output=True, text=True, cwd=ROOT,
                         env=env, timeout=120)
    assert res.stdout.split() == ["False", "True"], res.stderr
