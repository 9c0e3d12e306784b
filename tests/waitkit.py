"""Waiting in tests: for a condition, never for a fixed time; and the processes waited on.

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
        return _stat(Path(f"/proc/{pid}/stat"))[0] != "Z"
    except (OSError, IndexError):
        return not Path("/proc").is_dir()  # no /proc (not Linux): kill(0) is all there is to go by


def descendants(pid: int) -> list[int]:
    """Every process descended from ``pid`` (Linux: read from /proc; elsewhere none), a generation at
    a time, parents before their children."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(entry.parent.name)] = int(_stat(entry)[1])
        except (OSError, IndexError, ValueError):
            continue
    found: list[int] = []
    generation = {pid}
    while generation:
        generation = {child for child, parent in parents.items() if parent in generation} - set(found) - {pid}
        found.extend(sorted(generation))
    return found


def _stat(path: Path) -> list[str]:
    """The fields of a /proc/<pid>/stat after the command's name (state, ppid, …): the name, in
    parentheses, may hold spaces and parentheses itself."""
    return path.read_text().rsplit(")", 1)[1].split()
