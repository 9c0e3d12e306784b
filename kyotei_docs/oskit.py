"""Everything that differs between POSIX and Windows, behind one small interface.

kyotei runs on a Linux server and as a Windows service (``kyotei watch``).
The calls that exist on one system only — ``RLIMIT_AS``, ``fork``,
``flock``, process groups and ``killpg``, ``prctl``, signals — live here, each
with its counterpart:

=========================  ===================================  ==========================================
what                       POSIX                                Windows
=========================  ===================================  ==========================================
memory cap of a process    ``setrlimit(RLIMIT_AS)``             a job object with ``ProcessMemoryLimit``
a child group killed as    a guard process leading a session:   a job object with
one, also when kyotei      it kills the group when kyotei's     ``KILL_ON_JOB_CLOSE``: the system closes
dies (even by SIGKILL)     pipe to it closes                    kyotei's handle when kyotei dies
kill that group now        ``killpg(SIGKILL)``                  ``TerminateJobObject``
die with the parent        ``PR_SET_PDEATHSIG`` + polling       polling (and the parent's job object)
lock a file (one holder)   ``flock``                            ``msvcrt.locking``
stop requests              SIGINT, SIGTERM                      SIGINT, SIGBREAK (Ctrl+Break, service stop)
resident/peak memory       ``/proc/self/statm``, ``getrusage``  ``GetProcessMemoryInfo``
start children             ``fork`` (cheap, PDF libs loaded)    ``spawn``
=========================  ===================================  ==========================================

Each public function takes the system as a keyword (``system=os.name``) only
where the choice is pure logic that a test on Linux can exercise for Windows
too (:func:`job_limit_info`, :func:`stop_signals`); the rest dispatch on
:data:`WINDOWS`.  What was run where is in ``docs/ARCHITECTURE.md``.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

WINDOWS = os.name == "nt"
LINUX = sys.platform.startswith("linux")

# ---------------------------------------------------------------- process groups

#: the guard: leader of a new session; runs the command in its group and kills the
#: whole group when its stdin (a pipe from kyotei) closes — kyotei ended, however
_GUARD = r"""
import os, signal, subprocess, sys, threading
limit = int(sys.argv[1])
if limit:
    import resource
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL)
def watch():
    try:
        while os.read(0, 4096):
            pass
    finally:
        os.killpg(0, signal.SIGKILL)
threading.Thread(target=watch, daemon=True).start()
os._exit(child.wait() & 0xFF)
"""


class Group:
    """A child process and everything it starts, killed as one (:func:`start_group`)."""

    def __init__(self, proc: subprocess.Popen, job: Any = None) -> None:
        self.proc = proc
        self._job = job

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait(self, timeout: float | None = None) -> int:
        """The exit code; raises ``subprocess.TimeoutExpired`` like ``Popen.wait``."""
        code = self.proc.wait(timeout)
        self._release()
        return code

    def kill(self) -> None:
        """Kill the process and every process it started; wait for it."""
        try:
            if WINDOWS:
                if self._job is not None:
                    _kernel32().TerminateJobObject(self._job, 1)
                else:
                    subprocess.run(["taskkill", "/F", "/T", "/PID", str(self.proc.pid)], capture_output=True,
                                   check=False)
            else:
                os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._release()

    def _release(self) -> None:
        if self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        if self._job is not None:
            _kernel32().CloseHandle(self._job)
            self._job = None


def start_group(cmd: Sequence[str], *, memory_mb: int = 0, **popen: Any) -> Group:
    """Start ``cmd`` so that it and all it starts die together: on :meth:`Group.kill`,
    and when this process ends in any way (LibreOffice must never outlive kyotei).

    ``memory_mb`` (0 = none) caps each process of the group (``RLIMIT_AS`` set by
    the guard and inherited; a job's per-process limit on Windows).  ``popen``
    goes to :class:`subprocess.Popen` (``stdout``, ``env``, …); stdin is ours.
    """
    limit = max(0, int(memory_mb)) * 1024 * 1024
    popen.pop("stdin", None)
    if WINDOWS:
        flags = popen.pop("creationflags", 0) | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        # soffice.exe is put in the job as soon as it runs; what it starts afterwards
        # (soffice.bin) is in the job too.  A child it started in the first instant
        # would escape: nothing here can start a process suspended without more Win32.
        proc = subprocess.Popen(list(cmd), stdin=subprocess.DEVNULL, creationflags=flags, **popen)
        job = None
        try:
            job = _job_object(kill_on_close=True, memory_bytes=limit)
            if not _kernel32().AssignProcessToJobObject(job, int(proc._handle)):  # type: ignore[attr-defined]
                raise OSError(ctypes.get_last_error(), "AssignProcessToJobObject")  # type: ignore[attr-defined]
        except OSError:
            pass  # no job (very old Windows): Group.kill falls back to taskkill /T
        return Group(proc, job)
    proc = subprocess.Popen([sys.executable, "-c", _GUARD, str(limit), *cmd], stdin=subprocess.PIPE,
                            start_new_session=True, **popen)
    return Group(proc)


# ---------------------------------------------------------------- memory

def can_limit_memory() -> bool:
    """True where :func:`limit_memory` can cap a process (POSIX with RLIMIT_AS, Windows)."""
    if WINDOWS:
        return True
    try:
        import resource
    except ImportError:
        return False
    return hasattr(resource, "RLIMIT_AS")


_own_job: Any = None


def limit_memory(memory_mb: int) -> None:
    """Cap this process's memory at ``memory_mb``: beyond it, allocations fail (MemoryError).

    POSIX caps the address space (``RLIMIT_AS``, never above a hard limit already
    set); Windows puts the process in a job object with a per-process commit limit.
    """
    limit = int(memory_mb) * 1024 * 1024
    if WINDOWS:
        global _own_job
        try:
            job = _job_object(memory_bytes=limit)
            if _kernel32().AssignProcessToJobObject(job, _kernel32().GetCurrentProcess()):
                _own_job = job  # kept open for the process's life
        except OSError:
            pass
        return
    try:
        import resource
    except ImportError:
        return
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def rss_mb() -> float:
    """This process's resident size in MB (0 where it cannot be told)."""
    if WINDOWS:
        return _windows_memory()[0]
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def peak_mb() -> float:
    """This process's peak resident size in MB (0 where it cannot be told)."""
    if WINDOWS:
        return _windows_memory()[1]
    try:
        import resource
    except ImportError:
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def malloc_trim() -> Callable[[], None]:
    """glibc's ``malloc_trim(0)``: give memory freed after a document back to the system.

    A no-op where there is no glibc (Windows, macOS, musl).
    """
    if not LINUX:
        return lambda: None
    try:
        fn = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    return lambda: fn(0) and None


# ---------------------------------------------------------------- parent and signals

def die_with_parent(parent_pid: int) -> None:
    """End this process (a worker) when ``parent_pid`` is gone, so it never works on for a dead parent.

    Linux: the kernel sends SIGKILL (``PR_SET_PDEATHSIG``); everywhere a thread
    also checks once a second (on Windows by asking whether the parent's pid
    still runs, as the parent id of a process does not change there).
    """
    if LINUX:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if not parent_alive(parent_pid):
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if not parent_alive(parent_pid):
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def parent_alive(parent_pid: int) -> bool:
    if WINDOWS:
        return _windows_pid_alive(parent_pid)
    return os.getppid() == parent_pid


def stop_signals(system: str = os.name) -> tuple[int, ...]:
    """The signals that ask kyotei to stop: Ctrl+C, and SIGTERM (POSIX) or SIGBREAK
    (Windows: Ctrl+Break, and what a service wrapper sends to a console process)."""
    if system == "nt":
        return tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGBREAK", 21)) if s is not None)
    return (signal.SIGINT, signal.SIGTERM)


def ignore_interrupt() -> None:
    """A worker ignores Ctrl+C: its parent decides when to stop (and lets current files finish).

    SIGTERM goes back to its default (end the process): a forked child inherits the parent's
    Python handler (``kyotei inbox``/``watch`` finish their files on SIGTERM), and a child that
    only noted the signal would never end when multiprocessing terminates it at the parent's
    exit — the parent would wait for it for ever.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def child_context_name(system: str = sys.platform) -> str:
    """``fork`` on Linux (a child starts with the PDF libraries loaded, in milliseconds), ``spawn``
    elsewhere (Windows has no fork; macOS forks badly with system frameworks loaded)."""
    return "fork" if system.startswith("linux") else "spawn"


# ---------------------------------------------------------------- file locks

def lock_file(fd: int) -> bool:
    """Take an exclusive lock on the open file ``fd`` without waiting; False if another holds it.

    The system releases it when the process dies, even by SIGKILL or a crash.
    """
    if WINDOWS:
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def unlock_file(fd: int) -> None:
    if WINDOWS:
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            pass
        return
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass


# ---------------------------------------------------------------- Windows details

JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x00000100
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9


class _IoCounters(ctypes.Structure):
    _fields_ = [(name, ctypes.c_ulonglong) for name in
                ("ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
                 "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]


class _BasicLimits(ctypes.Structure):
    _fields_ = [("PerProcessUserTimeLimit", ctypes.c_longlong), ("PerJobUserTimeLimit", ctypes.c_longlong),
                ("LimitFlags", ctypes.c_uint32), ("MinimumWorkingSetSize", ctypes.c_size_t),
                ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", ctypes.c_uint32),
                ("Affinity", ctypes.c_size_t), ("PriorityClass", ctypes.c_uint32),
                ("SchedulingClass", ctypes.c_uint32)]


class JobLimits(ctypes.Structure):
    """``JOBOBJECT_EXTENDED_LIMIT_INFORMATION`` (winnt.h)."""

    _fields_ = [("BasicLimitInformation", _BasicLimits), ("IoInfo", _IoCounters),
                ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t)]


def job_limit_info(*, kill_on_close: bool = False, memory_bytes: int = 0) -> JobLimits:
    """The limits structure for a job object (pure: built and checked on any system)."""
    info = JobLimits()
    flags = 0
    if kill_on_close:
        flags |= JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    if memory_bytes > 0:
        flags |= JOB_OBJECT_LIMIT_PROCESS_MEMORY
        info.ProcessMemoryLimit = memory_bytes
    info.BasicLimitInformation.LimitFlags = flags
    return info


_K32: Any = None


def _kernel32() -> Any:
    """kernel32 with the prototypes used here: handles are pointer-sized (never C ints)."""
    global _K32
    if _K32 is None:
        k32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        handle, dword, ptr = ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p
        for name, restype, argtypes in (
                ("CreateJobObjectW", handle, [ptr, ctypes.c_wchar_p]),
                ("SetInformationJobObject", ctypes.c_int, [handle, ctypes.c_int, ptr, dword]),
                ("AssignProcessToJobObject", ctypes.c_int, [handle, handle]),
                ("TerminateJobObject", ctypes.c_int, [handle, ctypes.c_uint]),
                ("CloseHandle", ctypes.c_int, [handle]),
                ("GetCurrentProcess", handle, []),
                ("OpenProcess", handle, [dword, ctypes.c_int, dword]),
                ("GetExitCodeProcess", ctypes.c_int, [handle, ctypes.POINTER(ctypes.c_uint32)])):
            fn = getattr(k32, name)
            fn.restype, fn.argtypes = restype, argtypes
        _K32 = k32
    return _K32


def _job_object(*, kill_on_close: bool = False, memory_bytes: int = 0) -> Any:
    k32 = _kernel32()
    job = k32.CreateJobObjectW(None, None)
    if not job:
        raise OSError(ctypes.get_last_error(), "CreateJobObjectW")  # type: ignore[attr-defined]
    info = job_limit_info(kill_on_close=kill_on_close, memory_bytes=memory_bytes)
    if not k32.SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS,
                                       ctypes.byref(info), ctypes.sizeof(info)):
        k32.CloseHandle(job)
        raise OSError(ctypes.get_last_error(), "SetInformationJobObject")  # type: ignore[attr-defined]
    return job


class _MemoryCounters(ctypes.Structure):
    _fields_ = [("cb", ctypes.c_uint32), ("PageFaultCount", ctypes.c_uint32),
                ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                ("QuotaPeakPagedPoolUsage", ctypes.c_size_t), ("QuotaPagedPoolUsage", ctypes.c_size_t),
                ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t), ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                ("PagefileUsage", ctypes.c_size_t), ("PeakPagefileUsage", ctypes.c_size_t)]


def _windows_memory() -> tuple[float, float]:
    """(resident, peak) MB of this process from ``GetProcessMemoryInfo``."""
    try:
        counters = _MemoryCounters()
        counters.cb = ctypes.sizeof(counters)
        psapi = ctypes.WinDLL("psapi")  # type: ignore[attr-defined]
        psapi.GetProcessMemoryInfo.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint32]
        if psapi.GetProcessMemoryInfo(_kernel32().GetCurrentProcess(), ctypes.byref(counters),
                                      counters.cb):
            return counters.WorkingSetSize / 1e6, counters.PeakWorkingSetSize / 1e6
    except (OSError, AttributeError):
        pass
    return 0.0, 0.0


def _windows_pid_alive(pid: int) -> bool:
    synchronize, still_active = 0x00100000 | 0x1000, 259  # SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION
    try:
        k32 = _kernel32()
        handle = k32.OpenProcess(synchronize, False, pid)
        if not handle:
            return False
        code = ctypes.c_uint32()
        ok = k32.GetExitCodeProcess(handle, ctypes.byref(code))
        k32.CloseHandle(handle)
        return bool(ok) and code.value == still_active
    except (OSError, AttributeError):
        return True
