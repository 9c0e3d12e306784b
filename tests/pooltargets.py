"""What the worker-pool tests have their workers do: scripted stand-ins for reading a file.

Kept in a module of their own that imports next to nothing: a worker is a *spawned* process, and it
imports the module its target comes from.  From test_inbox_faults.py that was the test module with
inboxkit, python-docx and the reading pipeline — a second or more of CPU for every worker started
(the tests start about fifteen), none of it needed to return a dict.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def scripted(task: Any, config: Any) -> dict:
    """``hang`` never ends, ``crash`` ends its process, anything else answers at once."""
    if task.original == "hang":
        time.sleep(60)
    if task.original == "crash":
        os._exit(7)
    return {"sid": task.sid, "kind": "ok", "pid": os.getpid()}


def pid(task: Any, config: Any) -> dict:
    return {"sid": task.sid, "kind": "ok", "pid": os.getpid()}


def meets_another(task: Any, config: Any) -> dict:
    """Marks its start and waits (up to 20 s) until another task has started too."""
    folder = Path(task.folder)
    (folder / f"started-{task.sid}").touch()
    deadline = time.monotonic() + 20
    met = False
    while time.monotonic() < deadline and not met:
        met = len(list(folder.glob("started-*"))) >= 2
        time.sleep(0.01)
    return {"sid": task.sid, "kind": "ok", "pid": os.getpid(), "met": met}
