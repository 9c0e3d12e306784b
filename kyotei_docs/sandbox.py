"""Run a parser over an untrusted file in a child process, under a time and a memory limit.

A 1 MB PDF with a 1 GB Flate stream took 3 GB of memory in pdfplumber, and
pdfminer has known infinite loops (``shared/pitfalls.md``, "Hostile input").
Neither can be stopped from inside the same process, so the work runs in a
child: the child caps its own address space (``RLIMIT_AS``, where the OS has
it) and the parent kills it when the time is up.  Whatever happens in the
child, the caller gets either the function's result or an
:class:`~kyotei_docs.errors.UnreadableError` (``too_complex``, ``timeout``,
``crashed``), so one hostile file ends as exit code 2 and a batch goes on.

On Linux children are forked: a fork costs a few milliseconds, where a fresh
interpreter would import pdfplumber again (~0.3 s per file), and it needs no
``if __name__ == "__main__"`` guard in the caller's script.  The PDF libraries
are imported in the parent before the first fork, so a child never imports
while another thread of the parent (a folder watcher) might hold an import
lock.  Elsewhere (Windows, macOS) children are spawned; Windows has only the
time limit.
"""

from __future__ import annotations

import importlib
import multiprocessing
import sys
import threading
from functools import lru_cache
from typing import Any, Callable, TypeVar

from .errors import KyoteiError, UnreadableError

T = TypeVar("T")

#: modules imported in the parent before forking, so each child starts with them loaded
PRELOAD = ("pdfplumber", "pypdf", "kyotei_docs.readers.pdf", "kyotei_docs.readers.acroform")


def can_limit_memory() -> bool:
    try:
        import resource  # noqa: F401  (POSIX only)
    except ImportError:
        return False
    return hasattr(__import__("resource"), "RLIMIT_AS")


@lru_cache(maxsize=1)
def _context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux"):
        for name in PRELOAD:
            importlib.import_module(name)
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class _Worker:
    """A child process that runs one task after another until it is killed or retires.

    Reusing the child matters: a freshly forked child pays ~15 ms of cold caches
    and copy-on-write faults on its first PDF, a warm one does not.  A worker
    that hit its memory limit, ran out of time or crashed is never reused.
    """

    def __init__(self, memory_mb: int | None) -> None:
        ctx = _context()
        self.memory_mb = memory_mb
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, args=(child, memory_mb), daemon=True)
        self.proc.start()
        child.close()

    def stop(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)


_local = threading.local()


def run_limited(fn: Callable[..., T], *args: Any, seconds: float, memory_mb: int | None) -> T:
    """``fn(*args)`` in a child process; its result, or UnreadableError on a limit.

    ``fn`` and its arguments and result must be picklable (a module-level
    function, plain data).  A :class:`KyoteiError` raised by ``fn`` is raised
    here unchanged; any other exception becomes ``internal``.  Each thread has
    its own worker, so concurrent callers never wait for each other.
    """
    worker: _Worker | None = getattr(_local, "worker", None)
    if worker is None or worker.memory_mb != memory_mb or not worker.proc.is_alive():
        if worker is not None:
            worker.stop()
        worker = _local.worker = _Worker(memory_mb)
    try:
        worker.conn.send((fn, args))
        if not worker.conn.poll(seconds):
            raise UnreadableError("timeout", seconds=_fmt(seconds))
        kind, payload, retire = worker.conn.recv()
    except UnreadableError:
        _local.worker = None
        worker.stop()
        raise
    except (EOFError, OSError, BrokenPipeError):
        # the child died without a word: killed by the kernel, or crashed in C code
        _local.worker = None
        worker.proc.join(5)
        code = worker.proc.exitcode
        worker.stop()
        raise _death(code, memory_mb) from None
    if retire:
        _local.worker = None
        worker.stop()
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
        worker.stop()


def _death(exitcode: int | None, memory_mb: int | None) -> UnreadableError:
    # SIGKILL/SIGSEGV/SIGABRT after an allocation failure under RLIMIT_AS all mean
    # "the file needed more than it may have"; anything else is a crash.
    if memory_mb and exitcode is not None and exitcode < 0:
        return UnreadableError("too_complex", limit=memory_mb)
    return UnreadableError("crashed", detail=f"exit {exitcode}")


#: a worker retires after this many tasks, or when its peak memory passed half the limit
RETIRE_AFTER = 200


def _serve(conn: Any, memory_mb: int | None) -> None:
    if memory_mb:
        limit_memory(memory_mb)
    done = 0
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
        retire = retire or done >= RETIRE_AFTER or _peak_mb() > (memory_mb or 1 << 30) / 2
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


def _peak_mb() -> float:
    try:
        import resource
    except ImportError:
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def limit_memory(memory_mb: int) -> None:
    """Cap this process's address space (POSIX); the sandbox child and the drop folder's workers call it."""
    try:
        import resource
    except ImportError:  # Windows: only the time limit applies
        return
    limit = int(memory_mb) * 1024 * 1024
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _fmt(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"
