"""Untrusted work in child processes, under a time and a memory limit: the one mechanism.

Two kinds of work run this way, both on :class:`LimitedChild`: a parser over
one file (:func:`run_limited`, below) and the drop folder's workers
(:mod:`kyotei_docs.inbox.pool`, which adds a queue, prefetch and replacement of
dead workers).  A :class:`LimitedChild` caps its own memory, ignores Ctrl+C
(its parent decides when to stop) and dies with its parent; the parent kills it
when its time is up.  The system calls behind this are in :mod:`kyotei_docs.oskit`
(LibreOffice, a program of its own, runs as an :func:`~kyotei_docs.oskit.start_group`).

A 1 MB PDF with a 1 GB Flate stream took 3 GB of memory in pdfplumber, and
pdfminer has known infinite loops (``docs/pitfalls.md``, "Hostile input").
Neither can be stopped from inside the same process, so the work runs in a
child: the child caps its own memory (``RLIMIT_AS`` on POSIX, a job object on
Windows) and the parent kills it when the time is up.  Whatever happens in the
child, the caller gets either the function's result or an
:class:`~kyotei_docs.errors.UnreadableError` (``too_complex``, ``timeout``,
``crashed``), so one hostile file ends as exit code 2 and a batch goes on.

On Linux children are forked: a fork costs a few milliseconds, where a fresh
interpreter would import pdfplumber again (~0.3 s per file), and it needs no
``if __name__ == "__main__"`` guard in the caller's script.  The PDF libraries
are imported in the parent before the first fork, so a child never imports
while another thread of the parent (a folder watcher) might hold an import
lock.  pypdf, which only fillable forms need, is imported before a fork only
when the parent runs other threads: a single-threaded ``kyotei check`` lets
the child import it when a file has form fields, and refuses a PDF that has
none without paying for it (~55 ms of CPU).  Elsewhere (Windows, macOS)
children are spawned.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from . import collector, oskit
from .errors import KyoteiError, UnreadableError

T = TypeVar("T")

#: modules imported in the parent before forking, so each child starts with them loaded
PRELOAD = ("pdfplumber", "kyotei_docs.readers.pdf", "kyotei_docs.readers.acroform")
#: imported before forking only while other threads run (one of them might be importing it then)
PRELOAD_WITH_THREADS = ("pypdf",)


@lru_cache(maxsize=1)
def _context() -> Any:
    if oskit.child_context_name() == "fork":
        with collector.importing():  # and set aside before the first fork (kyotei_docs.collector)
            for name in PRELOAD:
                importlib.import_module(name)
    return multiprocessing.get_context(oskit.child_context_name())


class LimitedChild:
    """A child process running ``serve(conn, *args)`` under ``memory_mb``, tied to its parent.

    ``serve`` answers messages on ``conn`` (a duplex pipe) until it returns.  The
    child caps its memory before ``serve`` starts, ignores Ctrl+C and ends when
    its parent does (:func:`kyotei_docs.oskit.die_with_parent`).  The parent
    watches ``conn`` and :attr:`sentinel`, and calls :meth:`kill` when the time
    is up; that is all a caller needs to bound untrusted work.
    """

    def __init__(self, ctx: Any, serve: Callable[..., None], args: tuple[Any, ...], *,
                 memory_mb: int | None, name: str, daemon: bool = True) -> None:
        self.memory_mb = memory_mb
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_child_main, args=(child, serve, args, memory_mb, os.getpid()),
                                daemon=daemon, name=name)
        self.proc.start()
        child.close()

    @property
    def sentinel(self) -> Any:
        return self.proc.sentinel

    @property
    def exitcode(self) -> int | None:
        return self.proc.exitcode

    def alive(self) -> bool:
        return self.proc.is_alive()

    def kill(self) -> None:
        """End the child now (it may be looping or swapping) and close the pipe."""
        try:
            self.proc.kill()
        except (OSError, AttributeError):
            pass
        self.proc.join(5)
        try:
            self.conn.close()
        except OSError:
            pass

    def stop(self, farewell: object = None) -> None:
        """Ask the child to end (``farewell`` is sent when given), wait briefly, then kill it."""
        if farewell is not None:
            try:
                self.conn.send(farewell)
            except OSError:
                pass
        else:
            try:
                self.conn.close()
            except OSError:
                pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.kill()
        else:
            try:
                self.conn.close()
            except OSError:
                pass


def _child_main(conn: Any, serve: Callable[..., None], args: tuple[Any, ...], memory_mb: int | None,
                parent_pid: int) -> None:
    oskit.ignore_interrupt()
    oskit.die_with_parent(parent_pid)
    if memory_mb:
        oskit.limit_memory(memory_mb)
    try:
        serve(conn, *args)
    except (BrokenPipeError, ConnectionResetError, EOFError):
        # The parent closed the pipe: it needs nothing more from this child (a pass with
        # nothing for it, a watch that stopped, a parent that died).  End quietly: a
        # traceback here would be the only thing staff see of a pass that went well.
        return


class _Worker(LimitedChild):
    """A child that parses one file after another until it is killed or retires.

    Reusing the child matters: a freshly forked child pays ~15 ms of cold caches
    and copy-on-write faults on its first PDF, a warm one does not.  A worker
    that hit its memory limit, ran out of time or crashed is never reused.
    """

    def __init__(self, memory_mb: int | None) -> None:
        ctx = _context()
        if ctx.get_start_method() == "fork" and threading.active_count() > 1:
            for name in PRELOAD_WITH_THREADS:
                importlib.import_module(name)
        super().__init__(ctx, _serve, (memory_mb,), memory_mb=memory_mb, name="kyotei-sandbox")


_local = threading.local()


def run_limited(fn: Callable[..., T], *args: Any, seconds: float, memory_mb: int | None) -> T:
    """``fn(*args)`` in a child process; its result, or UnreadableError on a limit.

    ``fn`` and its arguments and result must be picklable (a module-level
    function, plain data).  A :class:`KyoteiError` raised by ``fn`` is raised
    here unchanged; any other exception becomes ``internal``.  Each thread has
    its own worker, so concurrent callers never wait for each other.
    """
    worker: _Worker | None = getattr(_local, "worker", None)
    if worker is None or worker.memory_mb != memory_mb or not worker.alive():
        if worker is not None:
            worker.kill()
        worker = _local.worker = _Worker(memory_mb)
    try:
        worker.conn.send((fn, args))
        if not worker.conn.poll(seconds):
            raise UnreadableError("timeout", seconds=_fmt(seconds))
        kind, payload, retire = worker.conn.recv()
    except UnreadableError:
        _local.worker = None
        worker.kill()
        raise
    except (EOFError, OSError, BrokenPipeError):
        # the child died without a word: killed by the kernel, or crashed in C code
        _local.worker = None
        worker.proc.join(5)
        code = worker.exitcode
        worker.kill()
        raise _death(code, memory_mb) from None
    if retire:
        _local.worker = None
        worker.kill()
    if kind == "ok":
        return payload
    if kind == "kyotei":
        cls, code, params = payload
        exc = cls.__new__(cls)
        KyoteiError.__init__(exc, code, **params)
        raise exc
    if kind == "memory":
        raise UnreadableError("too_complex", limit=memory_mb or "-")
    raise UnreadableError("internal", detail=payload)


def shutdown() -> None:
    """Stop this thread's worker (tests; a long-running service may call it on exit)."""
    worker = getattr(_local, "worker", None)
    _local.worker = None
    if worker is not None:
        worker.kill()


def _death(exitcode: int | None, memory_mb: int | None) -> UnreadableError:
    # SIGKILL/SIGSEGV/SIGABRT after an allocation failure under RLIMIT_AS all mean
    # "the file needed more than it may have"; anything else is a crash.
    if memory_mb and exitcode is not None and exitcode < 0:
        return UnreadableError("too_complex", limit=memory_mb)
    return UnreadableError("crashed", detail=f"exit {exitcode}")


#: a worker retires after this many tasks, or when its peak memory grew by half the limit
RETIRE_AFTER = 200


def _serve(conn: Any, memory_mb: int | None) -> None:
    done = 0
    # A forked child starts with its parent's peak (the pages it shares count as its own),
    # so only what the child's work added is judged: a large parent (a long test run, serve
    # after many requests) would otherwise retire every worker after its first file.
    start_mb = oskit.peak_mb()
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        retire = False
        try:
            result = ("ok", fn(*args))
        except KyoteiError as exc:
            result = ("kyotei", (type(exc), exc.code, exc.params))
        except (MemoryError, RecursionError):
            result, retire = ("memory", None), True
        except Exception as exc:  # reported as "internal" by the parent, never a traceback
            result = ("error", type(exc).__name__)
        done += 1
        retire = retire or done >= RETIRE_AFTER or oskit.peak_mb() - start_mb > (memory_mb or 1 << 30) / 2
        try:
            conn.send((*result, retire))
        except MemoryError:
            conn.send(("memory", None, True))
            retire = True
        except Exception as exc:  # an unpicklable result is a bug, still no traceback
            conn.send(("error", f"send: {type(exc).__name__}", retire))
        if retire:
            conn.close()
            return


def _fmt(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"
