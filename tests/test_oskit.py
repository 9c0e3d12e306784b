"""kyotei_docs.oskit: the POSIX implementations run here; the Windows ones' pure logic is checked too."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kyotei_docs import oskit
from waitkit import alive, wait_for

posix_only = pytest.mark.skipif(oskit.WINDOWS, reason="the POSIX implementation")


def _gone_within(pid: int, seconds: float) -> bool:
    return wait_for(lambda: not alive(pid), timeout=seconds, step=0.05)


def _grandchild_pid(pidfile: Path) -> int:
    end = time.monotonic() + 30
    while time.monotonic() < end:
        if pidfile.exists() and pidfile.read_text().strip():
            return int(pidfile.read_text())
        time.sleep(0.05)
    raise AssertionError("the grandchild never started")


@posix_only
def test_kill_ends_the_whole_group(tmp_path):
    pidfile = tmp_path / "pid"
    group = oskit.start_group(["sh", "-c", f"sleep 60 & echo $! > {pidfile}; wait"])
    grandchild = _grandchild_pid(pidfile)
    group.kill()
    assert _gone_within(grandchild, 10)


@posix_only
def test_the_group_dies_with_its_owner_even_by_sigkill(tmp_path):
    """LibreOffice must not outlive kyotei: the owner here is killed without a chance to clean up."""
    pidfile = tmp_path / "pid"
    owner = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from kyotei_docs.oskit import start_group
        start_group(["sh", "-c", "sleep 60 & echo $! > {pidfile}; wait"])
        time.sleep(60)
    """)], cwd=Path(__file__).resolve().parent.parent)
    try:
        grandchild = _grandchild_pid(pidfile)
        owner.send_signal(signal.SIGKILL)
        owner.wait(10)
        assert _gone_within(grandchild, 10)
    finally:
        owner.kill()


@posix_only
def test_a_finished_command_gives_its_exit_code():
    assert oskit.start_group(["sh", "-c", "exit 3"]).wait(30) == 3


@posix_only
def test_file_lock_has_one_holder(tmp_path):
    path = tmp_path / "lock"
    a = os.open(path, os.O_RDWR | os.O_CREAT)
    b = os.open(path, os.O_RDWR)
    try:
        assert oskit.lock_file(a)
        assert not oskit.lock_file(b)
        oskit.unlock_file(a)
        assert oskit.lock_file(b)
    finally:
        os.close(a)
        os.close(b)


def test_memory_figures_are_plausible():
    if sys.platform.startswith("linux"):
        assert 5 < oskit.rss_mb() <= oskit.peak_mb() * 1.1 + 1


# ------------------------------------------------------------------ Windows logic, checked here

def test_job_object_limits_structure_matches_winnt_h():
    info = oskit.job_limit_info(kill_on_close=True, memory_bytes=300 * 1024 * 1024)
    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert ctypes.sizeof(info) == 144  # sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION) on x64
        assert oskit.JobLimits.ProcessMemoryLimit.offset == 112
    flags = info.BasicLimitInformation.LimitFlags
    assert flags == oskit.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | oskit.JOB_OBJECT_LIMIT_PROCESS_MEMORY
    assert info.ProcessMemoryLimit == 300 * 1024 * 1024
    assert oskit.job_limit_info().BasicLimitInformation.LimitFlags == 0


def test_stop_signals_per_system():
    assert oskit.stop_signals("posix") == (signal.SIGINT, signal.SIGTERM)
    nt = oskit.stop_signals("nt")
    assert signal.SIGINT in nt and 21 in nt and signal.SIGTERM not in nt  # 21 = SIGBREAK (Ctrl+Break)


def test_children_are_forked_on_linux_only():
    assert oskit.child_context_name("linux") == "fork"
    assert oskit.child_context_name("win32") == "spawn"
    assert oskit.child_context_name("darwin") == "spawn"


@posix_only
def test_a_memory_cap_reaches_every_process_of_the_group(tmp_path):
    out = tmp_path / "limit"
    group = oskit.start_group(["sh", "-c", f"ulimit -v > {out}"], memory_mb=300)
    assert group.wait(30) == 0
    assert int(out.read_text()) == 300 * 1024  # KiB
