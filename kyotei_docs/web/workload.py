"""One bounded queue for the screen's heavy work: reading uploads and running LibreOffice.

Why: each of these takes tens to hundreds of MB for seconds — an upload's pass
(the readers, the drafts), a LibreOffice conversion (the drafts' PDFs, a Word
original drawn as pages, Form 2/3 made as PDF).  Three people uploading at once
and a fourth opening Word originals took the server past 900 MB.  So all of them
take a **slot** here first (``[web] heavy_jobs``, default 1: one at a time on the
two cores an office PC has); a request that finds the slots taken waits up to
``[web] heavy_wait_seconds`` in a queue of at most ``[web] heavy_queue`` waiting
requests, and otherwise gets 503 with a Japanese page saying to try again in a
moment (:class:`Busy`).  The background PDF job waits as long as it must, a
little at a time, so a stop is never held up.

Light work (pages, lists, exports, the registry) never takes a slot.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any


class Busy(Exception):
    """No slot came free in time, or too many requests wait already (the page says 混雑, 503)."""


class Workload:
    def __init__(self, slots: int = 1, wait_seconds: float = 30.0, max_waiting: int = 8) -> None:
        self.slots = max(1, slots)
        self.wait_seconds = wait_seconds
        self.max_waiting = max(0, max_waiting)
        self._free = self.slots
        self._waiting = 0
        self._cond = threading.Condition()
        #: called when LibreOffice is about to run in a slot: what else may let go of memory now
        #: (the server's warm reader process, :meth:`Site.rest_readers`)
        self.make_room: Callable[[], None] | None = None

    def office(self) -> None:
        """LibreOffice is about to start in the slot held: the warm reader goes, the heap is trimmed
        (LibreOffice's 170–200 MB beside them is what the 300 MB budget is about)."""
        if self.make_room is not None:
            self.make_room()
        _give_back()

    @contextlib.contextmanager
    def slot(self, wait: float | None = None, *, office: bool = False) -> Iterator[None]:
        """Hold one slot for the ``with`` block; :class:`Busy` if none came free within ``wait``
        seconds (default ``wait_seconds``) or the queue of waiting requests is full.  ``office``:
        LibreOffice will run in it (:meth:`office`)."""
        timeout = self.wait_seconds if wait is None else wait
        with self._cond:
            if self._free == 0 and self._waiting >= self.max_waiting:
                raise Busy
            self._waiting += 1
            try:
                got = self._cond.wait_for(lambda: self._free > 0, timeout)
            finally:
                self._waiting -= 1
            if not got:
                raise Busy
            self._free -= 1
        try:
            if office:
                self.office()
            yield
        finally:
            self.release()

    def release(self) -> None:
        with self._cond:
            self._free += 1
            self._cond.notify_all()  # a waiting request and the background job test their own turn
        _give_back()

    def acquire_until(self, stopping: Callable[[], bool], step: float = 0.5) -> bool:
        """For the background job: wait for a slot as long as it takes; False if ``stopping()``
        became true first.  The caller calls :meth:`release` when done.

        A person's request goes first: the job takes a free slot only while no request waits
        for one (between two of its batches too), so a 担当 asking for a PDF waits for the batch
        under way, not for every batch queued behind it (which ended in 503 under load)."""
        while not stopping():
            with self._cond:
                if self._cond.wait_for(lambda: self._free > 0 and self._waiting == 0, step):
                    self._free -= 1
                    return True
            time.sleep(0)  # let a waiting request in between two batches
        return False

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._free == 0


def few_arenas(arenas: int = 2) -> None:
    """At a server's start, before its threads: at most ``arenas`` glibc heaps (M_ARENA_MAX).

    Why: glibc gives each of waitress's eight threads a heap of its own and keeps
    what a request freed in it; with few heaps, one render's freed memory serves
    the next request instead of sitting idle in another thread's heap.  Elsewhere
    (Windows, musl) nothing to do.
    """
    _libc_call("mallopt", -8, arenas)  # M_ARENA_MAX


def _libc_call(name: str, *args: int) -> None:
    import ctypes
    import ctypes.util

    try:
        getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)(*args)
    except (OSError, AttributeError, TypeError):
        pass


def _give_back() -> None:
    """Return the heap a heavy job freed to the system (glibc keeps it per thread otherwise: the
    server stayed ~60 MB larger after one render).  Elsewhere nothing to do."""
    global _trim
    if _trim is None:
        import ctypes
        import ctypes.util

        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _trim = libc.malloc_trim
        except (OSError, AttributeError):
            _trim = False
    if _trim:
        _trim(0)


_trim: Any = None
