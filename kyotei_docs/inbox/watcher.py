"""``kyotei watch DIR``: process the drop folder continuously.

File-system events are only a hint that wakes the loop early; the loop rescans
the folder every ``rescan`` seconds anyway, because inotify sees nothing on
SMB/NFS shares and watchdog's observer threads die silently when a watched
folder disappears (watchdog #1065, #452).  ``--poll`` uses watchdog's polling
observer, the only kind that works on network shares.

The folder may vanish (share disconnected, server rebooted): the watcher logs
it once, lets go of the lock and the observer, and keeps checking; when the
folder comes back it takes the lock again, restarts the observer and carries
on, resuming whatever was left in ``.work/``.

Stopping (Ctrl+C, SIGTERM, the scheduled task ending) sets ``stop``: no new file
is taken, the files being processed are finished, and the loop returns.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from watchdog.events import FileSystemEventHandler

from ..config import Config
from ..i18n import Catalog, say
from ..registry.errors import RegistryError
from .batch import PassOptions, PassSummary, prepare_layout, run_pass
from .journal import Journal, JournalSightings
from .layout import FolderUnavailable, Layout
from .lock import FolderLock, FolderLocked
from .readiness import Scanner

if TYPE_CHECKING:
    from watchdog.observers.api import BaseObserver

log = logging.getLogger("kyotei.inbox")

FILE_ONLY = "file_only"
"""``extra={FILE_ONLY: True}``: a record (a traceback) for the log file, never the console."""

MESSAGES: Catalog = {
    "started": ("監視を開始しました: {inbox}（{mode}、再走査 {interval} 秒ごと）",
                "Watching {inbox} ({mode}, full rescan every {interval} s)"),
    "mode_poll": ("ポーリング", "polling"),
    "mode_events": ("変更通知", "file-system events"),
    "unavailable": ("フォルダを使えません。再接続を待ちます: {reason}", "Folder unavailable, waiting for it: {reason}"),
    "back": ("フォルダに再び接続できました。処理を再開します: {root}", "Folder is back, resuming: {root}"),
    "observer_restart": ("変更通知が停止していたため再開しました。", "The file-system observer had stopped; restarted."),
    "observer_failed": ("変更通知を開始できません（定期的な再走査のみで続行）: {detail}",
                        "Cannot start the file-system observer (continuing with rescans only): {detail}"),
    "summary": ("処理 {n}件: 受付可 {valid}件、要確認 {review}件、要修正 {invalid}件、読込不可 {unreadable}件、重複 {duplicate}件"
                "{extra}", "Processed {n}: {valid} acceptable, {review} to review, {invalid} need correction, {unreadable} unreadable, "
                "{duplicate} duplicates{extra}"),
    "reminded": ("対応が必要な事項をメールで知らせました: {department} → {to}（{n}件）",
                 "Mailed reminders: {department} → {to} ({n})"),
    "remind_failed": ("対応が必要な事項のメールを送れませんでした（明日また送ります）: {detail}",
                      "Could not mail the reminders (tried again tomorrow): {detail}"),
    "backup_made": ("協定登録簿の今日のバックアップを作成しました: {path}", "Made today's registry backup: {path}"),
    "backup_failed": ("協定登録簿のバックアップを作成できませんでした（次の処理で再試行）: {detail}",
                      "Could not back up the registry (tried again after the next pass): {detail}"),
    "summary_retry": ("、再試行待ち {n}件", ", {n} waiting to retry"),
    "stopped": ("監視を終了しました。", "Stopped watching."),
    "journal_trouble": ("ジャーナルに書き込めません。しばらく待って再試行します（ファイルは保管されています）: {detail}",
                        "Cannot write the journal; waiting and retrying (files are kept): {detail}"),
    "unexpected": ("予期しないエラーが起きました。しばらく待って再試行します（詳細はログ）: {detail}",
                   "Unexpected error; waiting and retrying (details in the log): {detail}"),
    "stopping": ("終了します（処理中のファイルを完了させてから終了します）…",
                 "Stopping (finishing the files being processed)…"),
}


@dataclass
class WatchOptions:
    rescan: float = 30.0
    poll: bool = False
    unavailable_wait: float = 10.0  # seconds between checks while the folder is gone


class _Wake(FileSystemEventHandler):
    """A watchdog event handler that only wakes the loop: events are hints, never work orders."""

    def __init__(self, wake: threading.Event) -> None:
        super().__init__()
        self.wake = wake

    def dispatch(self, event: Any) -> None:
        self.wake.set()


class Watcher:
    def __init__(self, layout: Layout, journal: Journal, cfg: Config, opts: PassOptions, wopts: WatchOptions,
                 stop: threading.Event | None = None,
                 on_pass: Callable[[PassSummary], None] | None = None) -> None:
        self.layout = layout
        self.journal = journal
        self.cfg = cfg
        self.opts = replace(opts, honour_backoff=True, settle_wait=False)
        self.wopts = wopts
        self.stop = stop or threading.Event()
        self.wake = threading.Event()
        self.on_pass = on_pass
        self.scanner = Scanner(layout.inbox, opts.settle, opts.grace, sightings=JournalSightings(journal))
        self._observer: Any = None
        self._lock: FolderLock | None = None
        self._unavailable: str | None = None
        self._troubles = 0
        self._reminded_on: Any = None
        self.passes = 0

    def request_stop(self) -> None:
        self.stop.set()
        self.wake.set()

    def run(self) -> None:
        """Loop until ``stop`` is set.  Raises FolderLocked if another instance holds the folder."""
        mode = say(MESSAGES, "mode_poll" if self.wopts.poll else "mode_events")
        log.info(say(MESSAGES, "started", inbox=self.layout.inbox, mode=mode, interval=f"{self.wopts.rescan:g}"))
        try:
            while not self.stop.is_set():
                timeout = self._cycle()
                self.wake.wait(timeout)
                self.wake.clear()
        finally:
            self._stop_observer()
            self._release()
            log.info(say(MESSAGES, "stopped"))

    # ------------------------------------------------------------------ a cycle

    def _cycle(self) -> float:
        try:
            self._ensure_ready()
            summary = run_pass(self.layout, self.journal, self.cfg, self.opts, scanner=self.scanner,
                               stop=self.stop, heartbeat=self._lock.heartbeat if self._lock else lambda: None)
        except FolderLocked:
            raise
        except RegistryError as exc:  # the site's registry missing or replaced: say so, keep the files, wait
            self._registry_refused(exc)
            return self._trouble_wait()
        except (FolderUnavailable, OSError) as exc:
            self._went_away(exc)
            return self.wopts.unavailable_wait
        except sqlite3.Error as exc:  # the journal's disk is full or locked: wait, never lose a file
            self._trouble("journal_trouble", exc)
            return self._trouble_wait()
        except Exception as exc:  # a bug must not end the service: log it, wait, try again
            self._trouble("unexpected", exc)
            return self._trouble_wait()
        self._troubles = 0
        self.passes += 1
        self._daily_backup()
        self._daily_reminders()
        if self._lock:
            self._lock.heartbeat()
        if summary.finished or summary.retrying:
            log.info(_summary_line(summary))
        if self.on_pass:
            self.on_pass(summary)
        if summary.scan.pending:
            return max(0.05, min(self.opts.settle, self.wopts.rescan))
        if summary.scan.incomplete or summary.scan.locked:
            return max(1.0, min(self.opts.settle * 2, self.wopts.rescan))
        return self.wopts.rescan

    def _daily_backup(self) -> None:
        """The site's registry copied into backups/ once a day (registry/backups.py); trouble is logged, never fatal."""
        if not self.opts.registry:
            return
        from ..registry.backups import daily

        try:
            made = daily(self.cfg)
        except (RegistryError, OSError) as exc:
            log.error(say(MESSAGES, "backup_failed", detail=getattr(exc, "message", None) or str(exc)))
            return
        if made is not None:
            log.info(say(MESSAGES, "backup_made", path=made))

    def _daily_reminders(self) -> None:
        """Once a day, with [mail] set: each department mailed what is due or late (cases/remind.py).

        The registry records what was sent, so a restart the same day sends nothing twice;
        trouble (the relay down) is logged, never fatal, and the rest goes the next day.
        """
        if not self.opts.registry:
            return
        from .. import citytime
        from ..mail import configured

        if not configured(self.cfg):
            return
        day = citytime.today(self.cfg)
        if self._reminded_on == day:
            return
        self._reminded_on = day
        from ..cases import remind

        try:
            report = remind.daily(self.cfg, today=day)
        except (RegistryError, OSError) as exc:
            log.error(say(MESSAGES, "remind_failed", detail=getattr(exc, "message", None) or str(exc)))
            return
        if report is None:
            return
        for department, to in report.sent.items():
            log.info(say(MESSAGES, "reminded", department=department, to=to, n=len(report.included[department])))
        if report.error:
            log.error(say(MESSAGES, "remind_failed", detail=report.error))

    def _registry_refused(self, exc: RegistryError) -> None:
        self._troubles += 1
        if self._troubles == 1 or self._troubles % 10 == 0:  # said at once, then now and then, not every cycle
            log.error(exc.message)
        self._release()

    def _trouble(self, key: str, exc: BaseException) -> None:
        self._troubles += 1
        log.error(say(MESSAGES, key, detail=f"{type(exc).__name__}: {exc}"))
        log.error("".join(traceback.format_exception(exc)), extra={FILE_ONLY: True})
        self._release()  # another instance may take over meanwhile; the lock is taken again next cycle

    def _trouble_wait(self) -> float:
        """Back-off after a failed cycle: the rescan interval, doubling up to [inbox] retry_max_seconds."""
        return min(max(self.opts.backoff_cap, self.wopts.rescan),
                   self.wopts.rescan * 2 ** min(self._troubles - 1, 10))

    def _ensure_ready(self) -> None:
        prepare_layout(self.layout, self.journal, init=self.opts.init)
        if self._lock is None:
            self._lock = FolderLock(self.layout.work).acquire()
        if self._unavailable is not None:
            log.warning(say(MESSAGES, "back", root=self.layout.root))
            self._unavailable = None
            self._stop_observer()
        self._ensure_observer()

    def _went_away(self, exc: BaseException) -> None:
        reason = str(exc) if not isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
        if self._unavailable is None:
            log.warning(say(MESSAGES, "unavailable", reason=reason))
        self._unavailable = reason
        self._stop_observer()
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            try:
                self._lock.release()
            except OSError:
                pass
            self._lock = None

    # ----------------------------------------------------------------- observer

    def _ensure_observer(self) -> None:
        if self._observer is not None:
            if self._observer.is_alive():
                return
            log.warning(say(MESSAGES, "observer_restart"))
            self._stop_observer()
        try:
            if self.wopts.poll:
                from watchdog.observers.polling import PollingObserver

                observer: BaseObserver = PollingObserver(timeout=max(1.0, min(self.wopts.rescan, 5.0)))
            else:
                from watchdog.observers import Observer

                observer = Observer()
            observer.schedule(_Wake(self.wake), str(self.layout.inbox), recursive=False)
            observer.daemon = True
            observer.start()
        except Exception as exc:  # inotify limits, missing folder: rescans still work
            log.warning(say(MESSAGES, "observer_failed", detail=f"{type(exc).__name__}: {exc}"))
            self._observer = None
            return
        self._observer = observer

    def _stop_observer(self) -> None:
        observer, self._observer = self._observer, None
        if observer is None:
            return
        try:
            observer.stop()
            observer.join(5)
        except Exception:  # a dead emitter may raise on stop; it is being discarded anyway
            pass


def _summary_line(s: PassSummary) -> str:
    extra = say(MESSAGES, "summary_retry", n=len(s.retrying)) if s.retrying else ""
    return say(MESSAGES, "summary", n=s.processed, valid=s.count("valid"), review=s.count("review"),
                         invalid=s.count("invalid"),
               unreadable=s.count("unreadable") + s.count("failed"), duplicate=s.count("duplicate"), extra=extra)


def city_converter(cfg: Config | None) -> Callable[[float | None], Any]:
    """A ``logging.Formatter.converter`` giving the city's time (citytime.py), whatever the server's zone is."""
    from datetime import UTC, datetime

    from .. import citytime

    def convert(seconds: float | None) -> Any:
        at = datetime.fromtimestamp(seconds if seconds is not None else datetime.now(UTC).timestamp(), UTC)
        return citytime.now(cfg, at=at).timetuple()

    return convert


def setup_log(path: Path, *, echo: bool, cfg: Config | None = None) -> logging.Handler | None:
    """Log to ``path`` (rotating, 1 MB × 5) and, for ``watch``, to the console too; times in the city's zone."""
    from logging.handlers import RotatingFileHandler

    logger = logging.getLogger("kyotei.inbox")
    logger.setLevel(logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    fmt.converter = city_converter(cfg)
    handler: logging.Handler | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(fmt)
        logger.addHandler(handler)
    except OSError:
        handler = None
    if echo:
        console = logging.StreamHandler()
        console_fmt = logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S")
        console_fmt.converter = city_converter(cfg)
        console.setFormatter(console_fmt)
        console.addFilter(lambda record: not getattr(record, FILE_ONLY, False))
        logger.addHandler(console)
    logger.propagate = False
    return handler
