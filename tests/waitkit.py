"""Waiting in tests: for a condition, never for a fixed time.

A test that sleeps "long enough" is slow on a quiet machine and flaky on a busy one; these
helpers look often and give up only after a generous limit, reached only when something is wrong.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


def wait_for(condition: Callable[[], object], timeout: float = 90.0, step: float = 0.02) -> bool:
    """True as soon as ``condition()`` holds; the generous limit is only reached when something is wrong
    (a busy 2-core machine can take many seconds for one file)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


def alive(pid: int) -> bool:
    """The process exists and has not ended: a zombie (ended, not yet reaped) still answers kill(0)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return not Path("/proc").is_dir()  # no /proc (not Linux): kill(0) is all there is to go by
