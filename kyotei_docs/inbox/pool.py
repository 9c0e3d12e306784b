"""A small pool of worker processes for the CPU-bound part (parsing, rendering).

Why not ``multiprocessing.Pool``: when one of its workers dies (a hostile file
exhausts memory, the OOM killer strikes) its task is silently lost and the pool
waits forever, and it cannot put a time limit on one task.  Here each worker has
its own pipe and serves one task at a time, so the parent always knows which
submission a worker holds: a worker that dies or overruns ``timeout`` is killed
and replaced, and its submission gets a ``failure`` outcome (retried, then
``error/``).  Parsing untrusted files under a time and memory limit in a child
process is what ``shared/pitfalls.md`` asks for.

Workers are started with ``spawn`` on every platform (safe beside the watcher's
threads, and what Windows does anyway).  They ignore Ctrl+C, so that the parent
can let the current files finish, and they die with the parent: on Linux via
``PR_SET_PDEATHSIG``, elsewhere by watching the parent's pid.  A worker
orphaned by a SIGKILL of the parent must not go on writing into a folder that a
restarted parent is already handling.

``workers=0`` runs everything in the calling process (tests, debugging).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable

from ..config import Config
from ..sandbox import limit_memory
from .process import Task, run_task

Result = dict[str, Any]
READY = "ready"
STARTUP_SECONDS = 120.0
"""A worker that is not ready this long after it was started is counted as one that cannot start."""
STARTUP_FAILURES = 3
"""Workers dying before they are ready this many times in a row: the machine's fault, not a file's."""
Target = Callable[[Task, Config], Result]
RETIRE_MB = 100.0
"""A worker whose resident size passed this after a task retires and is replaced (measured: a
worker settles at ~60 MB, but creeps upwards over hundreds of documents; two workers, the parent
and the resource tracker must stay under 300 MB together)."""
RETIRE = "_retire"


@dataclass(frozen=True)
class Limits:
    timeout: float = 120.0  # seconds for one submission
    memory_mb: int = 1536  # address-space limit per worker (POSIX); 0 = none
    retire_mb: float = RETIRE_MB  # resident size after which a worker is replaced


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _serve(conn: Connection, cfg: Config, lang: str, limits: Limits, parent_pid: int, target: Target) -> None:
    """A worker's life: prepare, then answer one task per message until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent_pid)
    if limits.memory_mb > 0:
        limit_memory(limits.memory_mb)
    from ..i18n import set_lang

    set_lang(lang)
    trim = _malloc_trim()
    conn.send(READY)  # tells the parent this worker can start at all (see WorkerPool.run)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = target(task, cfg)
        trim()
        if _rss_mb() > limits.retire_mb:  # hand over to a fresh process rather than grow
            conn.send({**result, RETIRE: True})
            return
        conn.send(result)


def _rss_mb() -> float:
    """This process's resident size in MB (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def _malloc_trim() -> Callable[[], None]:
    """glibc's ``malloc_trim``: hand memory freed after a document back to the system.

    Rendering parses and writes ~1 MB of XML per document; without trimming, a
    worker's resident size creeps from ~60 to ~110 MB by fragmentation.  Costs
    ~1.5 ms per document.  A no-op where there is no glibc.
    """
    if not sys.platform.startswith("linux"):
        return lambda: None
    try:
        import ctypes

        fn = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    return lambda: fn(0) and None


class _Worker:
    """One worker process and the tasks sent to it, oldest (the one it is working on) first.

    A worker is given its next task while it still works on the current one, so it
    never waits for the parent to finish a submission (reports, moves, journal,
    registry) before it can start reading the next file.
    """

    def __init__(self, ctx: Any, cfg: Config, lang: str, limits: Limits, target: Target) -> None:
        self.conn, child = ctx.Pipe()
        # Not a daemon: a daemonic process may not have children, and the PDF reader
        # runs each file in a limited child of its own (kyotei_docs.sandbox).  The
        # worker still ends with the parent (_die_with_parent) and with close().
        self.proc = ctx.Process(target=_serve, args=(child, cfg, lang, limits, os.getpid(), target),
                                daemon=False, name="kyotei-inbox-worker")
        self.proc.start()
        child.close()
        self.tasks: deque[Task] = deque()
        self.deadline = 0.0  # for the current task, counted from when the worker is ready
        self.ready = False
        self.started = time.monotonic()

    @property
    def task(self) -> Task | None:
        """The task the worker is on (or will start first)."""
        return self.tasks[0] if self.tasks else None

    def give(self, task: Task, timeout: float) -> None:
        self.conn.send(task)
        if not self.tasks:
            self.deadline = time.monotonic() + timeout
        self.tasks.append(task)

    def done_one(self, timeout: float) -> Task:
        """The current task answered: the next one (already sent) starts now."""
        task = self.tasks.popleft()
        self.deadline = time.monotonic() + timeout
        return task

    def kill(self) -> None:
        try:
            self.proc.kill()
        except (OSError, AttributeError):
            pass
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


class _Queue:
    """Tasks pulled one at a time from an iterator (which may do work to produce them),
    with tasks given back (a worker that never started) served first."""

    def __init__(self, tasks: Iterable[Task]) -> None:
        self._it = iter(tasks)
        self._back: deque[Task] = deque()

    def pop(self) -> Task | None:
        if self._back:
            return self._back.popleft()
        return next(self._it, None)

    def push_back(self, task: Task) -> None:
        self._back.appendleft(task)

    def rest(self) -> list[Task]:
        """Tasks given back and not started; the iterator is not advanced (it would claim more files)."""
        back, self._back = list(self._back), deque()
        return back


class WorkerPool:
    """Run tasks on ``n`` processes; ``on_result`` is called in the parent for each one."""

    def __init__(self, n: int, cfg: Config, lang: str, limits: Limits = Limits(),
                 target: Target = run_task) -> None:
        """``target`` does one task (a module-level function: it is sent to the workers)."""
        self.n = max(0, n)
        self.target = target
        self.cfg = cfg
        self.lang = lang
        self.limits = limits
        self._ctx = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for w in self._workers:
            w.stop()
        self._workers.clear()

    def run(self, tasks: Iterable[Task], on_result: Callable[[Task, Result], None],
            should_stop: Callable[[], bool] = lambda: False) -> list[Task]:
        """Run ``tasks``; after ``should_stop()`` turns true, give out no new ones and let
        the workers finish what they hold.  Returns the tasks that were not given out.

        Each worker holds up to ``PREFETCH`` tasks: the one it works on and the next.
        A worker that dies while reading a file gives that file a ``failure`` (the next
        one goes back to the queue); one that dies before it was ready (cannot import,
        cannot start) gives its files back, and after STARTUP_FAILURES such deaths in a
        row every remaining file gets an ``infra`` outcome instead: a broken
        installation must not send files to error/.
        """
        queue = _Queue(tasks)
        timeout = self.limits.timeout
        if self.n == 0:
            while not should_stop():
                task = queue.pop()
                if task is None:
                    break
                on_result(task, self.target(task, self.cfg))
            return queue.rest()
        while len(self._workers) < self.n:
            self._workers.append(_Worker(self._ctx, self.cfg, self.lang, self.limits, self.target))
        startup_failures = 0
        exhausted = False
        while True:
            if startup_failures >= STARTUP_FAILURES:
                detail = f"worker processes cannot start ({startup_failures} attempts)"
                for w in self._workers:
                    for task in reversed(w.tasks):
                        queue.push_back(task)
                    w.tasks.clear()
                for task in queue.rest():  # files not yet claimed stay in inbox/
                    on_result(task, {"sid": task.sid, "kind": "infra", "detail": detail})
                return []
            if not should_stop() and not exhausted:
                exhausted, failed = self._fill(queue)
                startup_failures += failed
            busy = [w for w in self._workers if w.tasks]
            if not busy:
                break
            wait_for = max(0.0, min(w.deadline if w.ready else w.started + STARTUP_SECONDS for w in busy)
                           - time.monotonic())
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=min(wait_for, 1.0))
            for w in busy:
                if w.conn in ready or w.proc.sentinel in ready:
                    try:
                        message = w.conn.recv()
                    except (EOFError, OSError):
                        if not w.ready:  # never started: not this file's fault
                            startup_failures += 1
                            self._give_back(w, queue, keep_first=False)
                            self._replace(w)
                            exhausted = False
                            continue
                        code = w.proc.exitcode
                        task = w.tasks[0]
                        self._give_back(w, queue, keep_first=True)
                        self._replace(w)
                        exhausted = False
                        on_result(task, {"sid": task.sid, "kind": "failure",
                                         "detail": f"worker died (exit code {code})"})
                        continue
                    if message == READY:
                        w.ready = True
                        startup_failures = 0
                        w.deadline = time.monotonic() + timeout  # start-up is not the file's time
                        continue
                    task = w.done_one(timeout)
                    if message.pop(RETIRE, False):  # it has exited; what it held goes back to the queue
                        self._give_back(w, queue, keep_first=False)
                        self._replace(w)
                        exhausted = False
                    if not should_stop() and not exhausted:  # the next file first, then the paperwork
                        exhausted, failed = self._fill(queue)
                        startup_failures += failed
                    on_result(task, message)
                elif not w.ready:
                    if time.monotonic() > w.started + STARTUP_SECONDS:  # hangs while starting: not the file's fault
                        startup_failures += 1
                        self._give_back(w, queue, keep_first=False)
                        self._replace(w)
                        exhausted = False
                elif time.monotonic() > w.deadline:
                    task = w.tasks[0]
                    self._give_back(w, queue, keep_first=True)
                    self._replace(w)
                    exhausted = False
                    on_result(task, {"sid": task.sid, "kind": "failure", "detail": f"timeout ({timeout:g} s)",
                                     "timeout": True})
        return queue.rest()

    PREFETCH = 2

    def _fill(self, queue: "_Queue") -> tuple[bool, int]:
        """Give workers tasks up to PREFETCH each, idle ones first.

        Returns (the queue ran dry, workers found dead before they were ready).
        """
        for depth in range(1, self.PREFETCH + 1):
            for w in self._workers:
                while len(w.tasks) < depth:
                    task = queue.pop()
                    if task is None:
                        return True, 0
                    try:
                        w.give(task, self.limits.timeout)
                    except OSError:  # died while idle: replace it and retry its tasks
                        queue.push_back(task)
                        self._give_back(w, queue, keep_first=False)
                        failed = 0 if w.ready else 1
                        self._replace(w)
                        return False, failed
        return False, 0

    @staticmethod
    def _give_back(w: _Worker, queue: "_Queue", *, keep_first: bool) -> None:
        """Put the tasks ``w`` had not started back at the front of the queue."""
        rest = list(w.tasks)[1:] if keep_first else list(w.tasks)
        for task in reversed(rest):
            queue.push_back(task)
        w.tasks.clear()

    def _replace(self, w: _Worker) -> None:
        w.kill()
        i = self._workers.index(w)
        self._workers[i] = _Worker(self._ctx, self.cfg, self.lang, self.limits, self.target)
