"""A small pool of worker processes for the CPU-bound part (parsing, rendering).

Why not ``multiprocessing.Pool``: when one of its workers dies (a hostile file
exhausts memory, the OOM killer strikes) its task is silently lost and the pool
waits forever, and it cannot put a time limit on one task.  Here each worker has
its own pipe and serves one task at a time, so the parent always knows which
submission a worker holds: a worker that dies or overruns ``timeout`` is killed
and replaced, and its submission gets a :class:`~.results.Failure` (retried, then
``error/``).  Parsing untrusted files under a time and memory limit in a child
process is what ``docs/pitfalls.md`` asks for.

Each worker is a :class:`~kyotei_docs.sandbox.LimitedChild`, the project's one
way of running untrusted work under limits (``Limits.worker_memory_mb``, and
``submission_seconds`` enforced here).  Workers are started with ``spawn`` on
every platform (safe beside the watcher's threads, and what Windows does
anyway).  They ignore Ctrl+C, so that the parent can let the current files
finish, and they die with the parent (:func:`kyotei_docs.oskit.die_with_parent`):
a worker orphaned by a SIGKILL of the parent must not go on writing into a
folder that a restarted parent is already handling.

``workers=0`` runs everything in the calling process (tests, debugging).
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection, wait
from typing import Any

from .. import oskit
from ..config import Config
from ..limits import Limits
from ..sandbox import LimitedChild
from .process import Task, run_task
from .results import Failure, Infra

#: What a target returns: a :data:`~.results.WorkerResult` (tests' targets return their own objects).
Result = Any
READY = "ready"
STARTUP_SECONDS = 120.0
"""A worker that is not ready this long after it was started is counted as one that cannot start."""
STARTUP_FAILURES = 3
"""Workers dying before they are ready this many times in a row: the machine's fault, not a file's."""
Target = Callable[[Task, Config], Result]
RETIRE = "_retire"


def _serve(conn: Connection, cfg: Config, lang: str, limits: Limits, target: Target) -> None:
    """A worker's life: prepare, then answer one task per message until told to stop.

    The worker is a :class:`~kyotei_docs.sandbox.LimitedChild`: its memory is
    capped, it ignores Ctrl+C and it dies with the parent before this runs.
    """
    from ..i18n import set_lang
    from ..readers.options import ReadOptions, set_options

    set_lang(lang)
    # the configuration's [limits] and [reading], not one found again
    set_options(ReadOptions(limits=limits, ocr_mode=cfg.reading.ocr, ocr_words=cfg.ocr_words()))
    trim = oskit.malloc_trim()
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
        if oskit.rss_mb() > limits.worker_retire_mb:  # hand over to a fresh process rather than grow
            conn.send((RETIRE, result))
            return
        conn.send(result)


class _Worker(LimitedChild):
    """One worker process and the tasks sent to it, oldest (the one it is working on) first.

    A worker is given its next task while it still works on the current one, so it
    never waits for the parent to finish a submission (reports, moves, journal,
    registry) before it can start reading the next file.
    """

    def __init__(self, ctx: Any, cfg: Config, lang: str, limits: Limits, target: Target) -> None:
        # Not a daemon: a daemonic process may not have children, and the PDF reader
        # runs each file in a limited child of its own (kyotei_docs.sandbox).  The
        # worker still ends with the parent (LimitedChild) and with close().
        super().__init__(ctx, _serve, (cfg, lang, limits, target), memory_mb=limits.worker_memory_mb or None,
                         name="kyotei-inbox-worker", daemon=False)
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

    def __enter__(self) -> WorkerPool:
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
        timeout = self.limits.submission_seconds
        if self.n == 0:
            from ..readers.options import reading

            with reading(limits=self.limits, ocr_mode=self.cfg.reading.ocr, ocr_words=self.cfg.ocr_words()):
                while not should_stop():
                    task = queue.pop()
                    if task is None:
                        break
                    on_result(task, self.target(task, self.cfg))
            return queue.rest()
        first = queue.pop()
        if first is None:  # nothing for the workers: start none (a pass holding only a duplicate)
            return []
        queue.push_back(first)
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
                    on_result(task, Infra(task.sid, detail))
                return []
            if not should_stop() and not exhausted:
                exhausted, failed = self._fill(queue)
                startup_failures += failed
            busy = [w for w in self._workers if w.tasks]
            if not busy:
                break
            wait_for = max(0.0, min(w.deadline if w.ready else w.started + STARTUP_SECONDS for w in busy)
                           - time.monotonic())
            ready = wait([w.conn for w in busy] + [w.sentinel for w in busy], timeout=min(wait_for, 1.0))
            for w in busy:
                if w.conn in ready or w.sentinel in ready:
                    try:
                        message = w.conn.recv()
                    except (EOFError, OSError):
                        if not w.ready:  # never started: not this file's fault
                            startup_failures += 1
                            self._give_back(w, queue, keep_first=False)
                            self._replace(w)
                            exhausted = False
                            continue
                        code = w.exitcode
                        task = w.tasks[0]
                        self._give_back(w, queue, keep_first=True)
                        self._replace(w)
                        exhausted = False
                        on_result(task, Failure(task.sid, f"worker died (exit code {code})"))
                        continue
                    if message == READY:
                        w.ready = True
                        startup_failures = 0
                        w.deadline = time.monotonic() + timeout  # start-up is not the file's time
                        continue
                    task = w.done_one(timeout)
                    retiring = isinstance(message, tuple) and len(message) == 2 and message[0] == RETIRE
                    if retiring:  # it has exited; what it held goes back to the queue
                        message = message[1]
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
                    on_result(task, Failure(task.sid, f"timeout ({timeout:g} s)", timeout=True))
        return queue.rest()

    PREFETCH = 2

    def _fill(self, queue: _Queue) -> tuple[bool, int]:
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
                        w.give(task, self.limits.submission_seconds)
                    except OSError:  # died while idle: replace it and retry its tasks
                        queue.push_back(task)
                        self._give_back(w, queue, keep_first=False)
                        failed = 0 if w.ready else 1
                        self._replace(w)
                        return False, failed
        return False, 0

    @staticmethod
    def _give_back(w: _Worker, queue: _Queue, *, keep_first: bool) -> None:
        """Put the tasks ``w`` had not started back at the front of the queue."""
        rest = list(w.tasks)[1:] if keep_first else list(w.tasks)
        for task in reversed(rest):
            queue.push_back(task)
        w.tasks.clear()

    def _replace(self, w: _Worker) -> None:
        w.kill()
        i = self._workers.index(w)
        self._workers[i] = _Worker(self._ctx, self.cfg, self.lang, self.limits, self.target)
