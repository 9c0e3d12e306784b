"""``kyotei inbox DIR`` (one pass), ``kyotei inbox status DIR`` and ``kyotei watch DIR``.

``inbox`` is one entry in ``cli.COMMANDS`` but has two actions, so it is a
group whose default subcommand is ``run``: ``kyotei inbox DIR`` means
``kyotei inbox run DIR``.  (A drop folder literally named ``status`` is given
as ``./status``.)
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import click

from ..exitcodes import ExitCode
from ..i18n import Catalog, say
from . import App

LIST_LIMIT = 20

_MSG: Catalog = {
    "progress": ("処理中", "Processing"),
    "folder": ("受付フォルダ: {path}", "Drop folder: {path}"),
    "nothing": ("新しいファイルはありません。", "No new files."),
    "summary": ("処理 {n}件: 受付可 {valid}件、要確認 {review}件、要修正 {invalid}件、読込不可 {unreadable}件、重複 {duplicate}件",
                "Processed {n}: {valid} acceptable, {review} to review, {invalid} need correction, {unreadable} unreadable, "
                "{duplicate} duplicates"),
    "where_done": ("  結果: {path}（年/月/受付番号_企業等名称 のフォルダに report.html と協定書の下書き）",
                   "  Results: {path} (year/month/<id>_<company> folders with report.html and the drafts)"),
    "review_head": ("  要確認 {n}件 — report.html の「要確認」を原本と照合してください（読み取りが正しければ受付可）:",
                    "  {n} to review — compare report.html's review items with the original (acceptable if read "
                    "right):"),
    "invalid_corrected": ("{where}（その後に修正版 {name} を受け付けました。協定ID {id} の判定は kyotei registry show {id}）",
                          "{where} (its correction {name} came in after it: see case {id} with kyotei registry show {id})"),
    "invalid_head": ("  要修正 {n}件 — report.html と 要修正.txt を確認し、提案者に修正を依頼してください:",
                     "  {n} need correction — see report.html and 要修正.txt, and ask the proposer to correct:"),
    "unreadable_head": ("  読込不可 {n}件 — 理由.txt を確認し、提出者に送り直しを依頼してください:",
                        "  {n} unreadable — see 理由.txt and ask the sender for the file again:"),
    "duplicate_head": ("  重複 {n}件 — 以前に受け付けたものと同じファイルです（通常は対応不要、重複.txt に最初の受付先）:",
                       "  {n} duplicates — identical to files received before (usually nothing to do; see 重複.txt):"),
    "retry_head": ("  再試行待ち {n}件 — 共有フォルダ・ディスク・権限・LibreOffice の一時的な問題か、"
                   "処理中の予期しないエラー（ログに記録）です。ファイルは保管されており、次回の実行で"
                   "自動的に再試行します（予期しないエラーが続くファイルは error へ）:",
                   "  {n} waiting to retry — share, disk, permission or LibreOffice trouble, or an unexpected "
                   "error while processing (see the log). The files are kept and retried automatically next "
                   "time (a file that keeps failing unexpectedly goes to error/):"),
    "waiting": ("  書き込み中のため次回に回したファイル: {n}件（{names}）",
                "  Still being written, left for the next pass: {n} ({names})"),
    "unfinished": ("  中身が途中で終わっているように見えるため待機中のファイル: {n}件（{names}）\n"
                   "    書き込み中でなければ、待機時間（[inbox] incomplete_grace_seconds）が過ぎた後の実行で "
                   "error フォルダに移し、理由を記録します。",
                   "  Waiting because their content looks unfinished: {n} ({names})\n"
                   "    Unless still being written, the first run after the grace ([inbox] incomplete_grace_seconds) "
                   "files them under error/ with the reason."),
    "grace_left": ("あと約{minutes}分", "about {minutes} min left"),
    "locked": ("  Word などで開かれているため待機中: {names}", "  Open in Word or another program, waiting: {names}"),
    "subfolders": ("  処理しないフォルダ: {names}（ファイルは inbox の直下に置いてください）",
                   "  Folders are not processed: {names} (put files directly into inbox)"),
    "links": ("  処理しないリンク: {names}", "  Links are not processed: {names}"),
    "registry": ("  協定登録簿への登録に失敗 {n}件（次回自動で再試行）", "  {n} could not be recorded in the registry (retried next time)"),
    "stopped": ("  中断しました。残りは次回の実行で処理します。", "  Interrupted; the rest is processed next time."),
    "recovered": ("  前回中断した {n}件を再処理しました。", "  {n} submissions left by an interrupted run were redone."),
    "more": ("    …ほか {n}件", "    … and {n} more"),
    "next_valid": ("次にすること: done の各フォルダの report.html で回付先を確認し、担当部局へ回してください。",
                   "Next: check the route in each done folder's report.html and pass the proposal on."),
    "stopping": ("終了します（処理中のファイルを完了させてから終了します。すぐに終了するにはもう一度 Ctrl+C）…",
                 "Stopping after the files being processed (press Ctrl+C again to stop at once)…"),
    "no_folder": ("受付フォルダを指定してください（kyotei inbox フォルダ）。サイトを作成すると（kyotei init）、"
                  "フォルダを省略したときはサイトの受付フォルダを使います。",
                  "Name the drop folder (kyotei inbox FOLDER). With a site (kyotei init), its drop folder is used "
                  "when none is named."),
    "journal_inside": ("ジャーナルを受付フォルダの中には置けません（共有フォルダでは SQLite が正しく動きません）: {path}",
                       "The journal must not be inside the drop folder (SQLite does not work on shares): {path}"),
    "journal_error": ("ジャーナルを開けません（{detail}）: {path}", "Cannot open the journal ({detail}): {path}"),
    "no_journal": ("このフォルダはまだ処理されていません（ジャーナルがありません: {path}）。",
                   "This folder has not been processed yet (no journal at {path})."),
    "status_totals": ("受付済み {total}件: 受付可 {valid}件、要確認 {review}件、要修正 {invalid}件、読込不可 {unreadable}件、"
                      "処理不能 {failed}件、重複 {duplicate}件、処理中 {active}件",
                      "{total} submissions: {valid} acceptable, {review} to review, {invalid} need correction, "
                      "{unreadable} unreadable, {failed} failed, {duplicate} duplicates, {active} in progress"),
    "status_queue": ("inbox の待ちファイル: {inbox}件、.work の処理中フォルダ: {work}件",
                     "Files waiting in inbox: {inbox}; folders in .work: {work}"),
    "status_active": ("処理中・再試行待ち:", "In progress / waiting to retry:"),
    "status_failures": ("最近の失敗:", "Recent failures:"),
    "status_unfinished": ("中身が途中で終わっているように見えるため inbox で待機中のファイル:",
                          "Waiting in inbox because their content looks unfinished:"),
    "status_unfinished_row": ("  {name}（{since} から変化なし、{after} 以降の実行で error へ）",
                              "  {name} (unchanged since {since}; filed under error/ by a run after {after})"),
    "status_none": ("  （なし）", "  (none)"),
    "status_watch_on": ("監視: 実行中（{host}、プロセス {pid}、{since} 開始）", "Watch: running ({host}, pid {pid}, since {since})"),
    "status_watch_off": ("監視: 停止中", "Watch: not running"),
    "journal_at": ("ジャーナル: {path}", "Journal: {path}"),
    "log_at": ("ログ: {path}", "Log: {path}"),
    "watch_missing": ("フォルダが見つかりません: {path}", "Folder not found: {path}"),
    "session": ("監視中の処理 {n}件: 受付可 {valid}件、要確認 {review}件、要修正 {invalid}件、読込不可 {unreadable}件、"
                "重複 {duplicate}件（結果: {done}）", "Processed while watching: {n} ({valid} acceptable, {review} to review, "
                "{invalid} need correction, {unreadable} unreadable, {duplicate} duplicates; results in {done})"),
    "journal_write": ("ジャーナルに書き込めません（{detail}）: {path}。ローカルディスクの空き容量を確認してください。"
                      "処理中のファイルは .work に保管されており、次回の実行で再開します。",
                      "Cannot write the journal ({detail}): {path}. Check the free space on the local disk. "
                      "Files being processed are kept in .work and resumed next time."),
    "internal": ("予期しないエラーで中断しました（{detail}）。ファイルは失われていません（inbox または .work に"
                 "あります）。もう一度実行し、続く場合は --debug を付けて実行した結果とログ（{log}）を"
                 "システム担当者に送ってください。",
                 "Stopped by an unexpected error ({detail}). No file was lost (they are in inbox or .work). "
                 "Run again; if it persists, send the output of a run with --debug and the log ({log}) to "
                 "your administrator."),
}


class _DefaultGroup(click.Group):
    """A group that runs ``run`` when the first argument is not a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["run", *args]
        return super().parse_args(ctx, args)


# --------------------------------------------------------------------- shared


def _journal_option(f):
    return click.option("--journal", "journal_path", type=click.Path(dir_okay=False), default=None,
                        help="処理記録（ジャーナル）のファイル。ローカルディスクに置きます（既定: 利用者のデータフォルダ）。Journal file on local disk.")(f)


def _common_options(f):
    f = click.option("--log", "log_path", type=click.Path(dir_okay=False), default=None,
                     help="ログファイル（既定: ジャーナルと同じ場所）。Log file.")(f)
    f = click.option("--init", is_flag=True,
                     help="以前に使ったフォルダで .work がなくても、フォルダ構成を作り直します。Recreate the layout.")(f)
    f = click.option("--workers", type=click.IntRange(0, 64), default=None,
                     help="読み取りを並行して行うプロセス数（既定: [inbox] workers = 2、0 = 同じプロセス）。Worker processes.")(f)
    f = click.option("--no-pdf", is_flag=True, help="下書きを PDF に変換しません。Do not make PDFs of the drafts.")(f)
    return _journal_option(f)


def _open_journal(folder: str | None, journal_path: str | None, cfg: Any, *, must_exist: bool = False):
    """The drop folder (FOLDER, else the site's 受付/), its layout and journal (``--journal``, else the
    site's logs/journal.sqlite3 for the site's folder, else the per-user data folder)."""
    from ..inbox.journal import Journal
    from ..inbox.layout import Layout
    from ..inbox.locations import default_journal_path, is_inside, site_journal_path

    if folder is None:
        if cfg.site is None:
            click.echo(say(_MSG, "no_folder"), err=True)
            sys.exit(ExitCode.USAGE)
        folder = str(cfg.site.drop_folder)
    layout = Layout.at(folder)
    path = Path(journal_path) if journal_path else (site_journal_path(cfg.site, layout.root)
                                                    or default_journal_path(layout.root))
    if is_inside(path, layout.root):
        click.echo(say(_MSG, "journal_inside", path=str(path)), err=True)
        sys.exit(ExitCode.USAGE)
    if must_exist and not path.exists():
        return layout, None, path
    try:
        return layout, Journal(path, layout.root, cfg), path
    except Exception as exc:  # sqlite3.Error, OSError: a message, never a traceback
        click.echo(say(_MSG, "journal_error", path=str(path), detail=f"{type(exc).__name__}: {exc}"), err=True)
        sys.exit(ExitCode.FOLDER)


def _log_path(cfg: Any, layout: Any, jpath: Path) -> Path:
    """The site's logs/inbox.log for the site's drop folder; else next to the journal."""
    from ..inbox.locations import site_log_path

    return site_log_path(cfg.site, layout.root) or jpath.with_suffix(".log")


def _options(app: App, no_pdf: bool, workers: int | None, init: bool):
    from ..inbox.batch import PassOptions

    # [inbox] was checked when the configuration was loaded (a wrong value: ConfigError, exit CONFIG)
    return PassOptions.from_config(app.config, workers=workers, pdf=False if no_pdf else None, init=init or None)


class _Stopper:
    """First Ctrl+C / SIGTERM: finish the current files and stop; second Ctrl+C: stop at once."""

    def __init__(self, stop: threading.Event, wake: threading.Event | None = None) -> None:
        self.stop = stop
        self.wake = wake
        self._old: dict[int, Any] = {}

    def __enter__(self) -> _Stopper:
        if threading.current_thread() is not threading.main_thread():
            return self
        from ..oskit import stop_signals

        for sig in stop_signals():  # Ctrl+C, and SIGTERM (POSIX) or Ctrl+Break / a service's stop (Windows)
            self._old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)

    def _handle(self, signum: int, frame: Any) -> None:
        if self.stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.stop.set()
        if self.wake is not None:
            self.wake.set()
        click.echo(say(_MSG, "stopping"), err=True)


@contextlib.contextmanager
def _guard(app: App, jpath: Path, log_file: Path) -> Iterator[None]:
    """Journal trouble and bugs end the command with a message and an exit code, never a traceback.

    Unlike :mod:`.failures`' general message, these say where the log is and
    that no submission was lost, and the bug is written to the log as well.
    """
    import logging
    import sqlite3

    from ..errors import KyoteiError

    try:
        yield
    except sqlite3.Error as exc:
        click.echo(say(_MSG, "journal_write", path=str(jpath), detail=f"{type(exc).__name__}: {exc}"), err=True)
        raise SystemExit(ExitCode.FOLDER)
    except (SystemExit, KeyboardInterrupt, click.exceptions.Exit, click.ClickException, KyoteiError):
        raise  # FolderUnavailable, FolderLocked: the caller has a message and an exit code for them
    except Exception as exc:
        logging.getLogger("kyotei.inbox").exception("unexpected error")
        if app.debug:
            traceback.print_exception(exc)
        click.echo(say(_MSG, "internal", detail=f"{type(exc).__name__}: {exc}", log=str(log_file)), err=True)
        raise SystemExit(ExitCode.INTERNAL)


# ------------------------------------------------------------------------ run


@click.group(cls=_DefaultGroup)
def inbox() -> None:
    """受付フォルダのファイルを処理します（Process the drop folder）。

    \b
    kyotei inbox DIR          1回処理して終了（one pass; same as `kyotei inbox run DIR`）
    kyotei inbox status DIR   処理状況を表示（journal counts and recent failures）
    """


@inbox.command("run")
@click.argument("folder", type=click.Path(file_okay=False), required=False)
@_common_options
@click.pass_obj
def run(app: App, folder: str, journal_path: str | None, no_pdf: bool, workers: int | None, init: bool,
        log_path: str | None) -> None:
    """受付フォルダを1回処理します（One pass over DIR/inbox）。

    Exit codes: 0 done; 4 bad configuration; 7 some submissions wait for a retry (share, disk,
    LibreOffice); 8 the folder or its journal cannot be used; 9 another instance is processing
    it; 10 unexpected error.
    """
    from ..inbox.batch import prepare_layout, run_pass
    from ..inbox.lock import FolderLock
    from ..inbox.watcher import setup_log

    opts = _options(app, no_pdf, workers, init)
    layout, journal, jpath = _open_journal(folder, journal_path, app.config)
    log_file = Path(log_path) if log_path else _log_path(app.config, layout, jpath)
    setup_log(log_file, echo=False, cfg=app.config)
    stop = threading.Event()
    bar = _Bar()
    # FolderUnavailable and FolderLocked carry their message and exit code (FOLDER, LOCKED)
    with journal, _Stopper(stop), _guard(app, jpath, log_file):
        try:
            prepare_layout(layout, journal, init=opts.init)
            with FolderLock(layout.work) as lock:
                summary = run_pass(layout, journal, app.config, opts, stop=stop, progress=bar,
                                   heartbeat=lock.heartbeat)
        finally:
            bar.close()
    click.echo(summary_text(layout, summary))
    click.echo(say(_MSG, "journal_at", path=str(jpath)))
    click.echo(say(_MSG, "log_at", path=str(log_file)))
    raise SystemExit(summary.exit_code)


class _Bar:
    """click's progress bar on stderr, created once the number of files is known."""

    def __init__(self) -> None:
        self._bar: Any = None

    def start(self, total: int) -> None:
        if total:
            self._bar = click.progressbar(length=total, label=say(_MSG, "progress"), show_pos=True,
                                          file=sys.stderr)
            self._bar.__enter__()

    def advance(self, finished: Any) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _names(items: list[str]) -> str:
    shown = items[:LIST_LIMIT]
    more = f" …+{len(items) - len(shown)}" if len(items) > len(shown) else ""
    return "、".join(shown) + more


def _listing(lines: list[str], entries: list[str]) -> None:
    lines += [f"    ・{e}" for e in entries[:LIST_LIMIT]]
    if len(entries) > LIST_LIMIT:
        lines.append(say(_MSG, "more", n=len(entries) - LIST_LIMIT))


def _grace_left(seconds: float | None) -> str:
    import math

    return say(_MSG, "grace_left", minutes=max(1, math.ceil((seconds or 0) / 60)))


def _invalid_entry(layout: Any, later: list[Any], f: Any) -> str:
    """A 要修正 file's folder; when a correction of its case came later in the same pass, says so: the
    request to the proposer is already answered (07 要修正 and its correction 30 dropped together)."""
    where = layout.relative(f.dest)
    case = getattr(f, "case", None)
    fix = next((g for g in later if getattr(g, "case", None) is not None and case is not None
                and g.case.id == case.id and g.case.role == "correction"), None)
    return say(_MSG, "invalid_corrected", where=where, name=fix.name, id=case.id) if fix and case else where


def summary_text(layout: Any, s: Any) -> str:
    """What a pass did, where it went and what to do next, for staff."""
    lines = [say(_MSG, "folder", path=str(layout.inbox))]
    unreadable = [f for f in s.finished if f.outcome in ("unreadable", "failed")]
    if s.finished:
        lines.append(say(_MSG, "summary", n=s.processed, valid=s.count("valid"), review=s.count("review"),
                         invalid=s.count("invalid"),
                         unreadable=len(unreadable), duplicate=s.count("duplicate")))
        if s.count("valid") or s.count("review") or s.count("invalid"):
            lines.append(say(_MSG, "where_done", path=str(layout.done)))
    elif not s.retrying:
        lines.append(say(_MSG, "nothing"))
    review = [f for f in s.finished if f.to_review]
    if review:
        lines.append(say(_MSG, "review_head", n=len(review)))
        _listing(lines, [layout.relative(f.dest) for f in review])
    invalid = [f for f in s.finished if f.outcome == "invalid"]
    if invalid:
        lines.append(say(_MSG, "invalid_head", n=len(invalid)))
        _listing(lines, [_invalid_entry(layout, s.finished[i + 1:], f)
                         for i, f in enumerate(s.finished) if f.outcome == "invalid"])
    if unreadable:
        lines.append(say(_MSG, "unreadable_head", n=len(unreadable)))
        _listing(lines, [f"{layout.relative(f.dest)}（{f.detail}）" for f in unreadable])
    dups = [f for f in s.finished if f.outcome == "duplicate"]
    if dups:
        lines.append(say(_MSG, "duplicate_head", n=len(dups)))
        _listing(lines, [layout.relative(f.dest) for f in dups])
    joined = [(f.name, f.case) for f in s.finished if getattr(f, "case", None) is not None and not f.case.new]
    if joined:
        from ..inbox.casenote import summary_lines

        lines += summary_lines(joined, LIST_LIMIT)
    if s.retrying:
        lines.append(say(_MSG, "retry_head", n=len(s.retrying)))
        _listing(lines, [f"{name}（{detail}）" for _, name, detail in s.retrying])
    scan = s.scan
    waiting = [p.name for p in scan.pending]
    if waiting:
        lines.append(say(_MSG, "waiting", n=len(waiting), names=_names(waiting)))
    if scan.incomplete:
        unfinished = [f"{p.name}（{_grace_left(scan.grace_left.get(p.name))}）" if p.name in scan.grace_left
                      else p.name for p in scan.incomplete]
        lines.append(say(_MSG, "unfinished", n=len(unfinished), names=_names(unfinished)))
    if scan.locked:
        lines.append(say(_MSG, "locked", names=_names([f"{p.name}（{lock}）" for p, lock in scan.locked])))
    if scan.subfolders:
        lines.append(say(_MSG, "subfolders", names=_names(scan.subfolders)))
    if scan.links:
        lines.append(say(_MSG, "links", names=_names(scan.links)))
    if s.registry_failures:
        lines.append(say(_MSG, "registry", n=len(s.registry_failures)))
    if s.recovered:
        lines.append(say(_MSG, "recovered", n=s.recovered))
    if s.stopped:
        lines.append(say(_MSG, "stopped"))
    if s.count("valid") or s.count("review"):
        lines.append(say(_MSG, "next_valid"))
    return "\n".join(lines)


# --------------------------------------------------------------------- status


@inbox.command("status")
@click.argument("folder", type=click.Path(file_okay=False), required=False)
@_journal_option
@click.option("--json", "as_json", is_flag=True, help="JSON で出力します。Machine-readable output.")
@click.pass_obj
def status(app: App, folder: str, journal_path: str | None, as_json: bool) -> None:
    """受付フォルダの処理状況を表示します（Counts and recent failures from the journal）。

    Exit codes: 0 shown; 8 the journal cannot be opened.
    """
    layout, journal, jpath = _open_journal(folder, journal_path, app.config, must_exist=True)
    if journal is None:
        click.echo(say(_MSG, "no_journal", path=str(jpath)))
        raise SystemExit(ExitCode.OK)
    grace = _options(app, False, None, False).grace
    with journal:
        data = status_data(layout, journal, grace=grace, cfg=app.config)
    data["journal"] = str(jpath)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        raise SystemExit(ExitCode.OK)
    click.echo(status_text(layout, data))
    raise SystemExit(ExitCode.OK)


def status_data(layout: Any, journal: Any, *, grace: float = 600.0, cfg: Any = None) -> dict[str, Any]:
    import os
    from datetime import datetime

    from ..citytime import in_city, now
    from ..inbox.lock import LOCK_NAME
    from ..inbox.readiness import kind_of

    counts = journal.counts()
    totals = {k: counts.get(k, 0) for k in ("valid", "review", "invalid", "unreadable", "failed", "duplicate")}
    totals["active"] = sum(n for k, n in counts.items() if k in ("claimed", "parsed", "finishing"))
    totals["total"] = sum(counts.values())
    active = [{"id": r.id, "name": r.name, "state": r.state, "attempts": r.attempts + r.pdf_attempts,
               "last_error": r.last_error, "next_try": r.next_try} for r in journal.unfinished()]
    failures = [{"id": r.id, "name": r.name, "state": r.state, "at": in_city(r.updated_at, cfg), "error": r.last_error}
                for r in journal.recent_failures()]  # in the city's time, whatever offset the row was written with

    def count_dir(path: Path, dirs: bool) -> int:
        try:
            return sum(1 for e in os.scandir(path)
                       if (e.is_dir() if dirs else e.is_file()) and (dirs or kind_of(e.name) == "file"))
        except OSError:
            return 0

    watch: dict[str, Any] | None = None
    try:
        info = json.loads((layout.work / LOCK_NAME).read_text("utf-8") or "{}")
        if info.get("active"):
            watch = info
            if isinstance(info.get("since"), str):  # written with the watching server's offset
                watch["since"] = in_city(info["since"], cfg)
    except (OSError, ValueError):
        watch = None
    def stamp(t: float) -> str:  # a time staff read: in the city's zone
        return now(cfg, at=datetime.fromtimestamp(t, UTC)).isoformat(timespec="seconds")

    unfinished = [{"name": name, "since": stamp(first), "filed_after": stamp(first + grace)}
                  for name, first in journal.waiting_files()]
    return {"folder": str(layout.root), "totals": totals,
            "queue": {"inbox": count_dir(layout.inbox, False), "work": count_dir(layout.work, True)},
            "unfinished": unfinished, "active": active, "recent_failures": failures, "running": watch}


def status_text(layout: Any, data: dict[str, Any]) -> str:
    import time

    lines = [say(_MSG, "folder", path=data["folder"]), say(_MSG, "journal_at", path=data["journal"]),
             say(_MSG, "status_totals", **data["totals"]), say(_MSG, "status_queue", **data["queue"])]
    running = data.get("running")
    lines.append(say(_MSG, "status_watch_on", host=running.get("host", "?"), pid=running.get("pid", "?"),
                     since=_minute(running.get("since", "?"))) if running else say(_MSG, "status_watch_off"))
    if data.get("unfinished"):
        lines.append(say(_MSG, "status_unfinished"))
        for u in data["unfinished"][:LIST_LIMIT]:
            lines.append(say(_MSG, "status_unfinished_row", name=u["name"], since=_minute(u["since"]),
                             after=_minute(u["filed_after"])))
    lines.append(say(_MSG, "status_active"))
    if not data["active"]:
        lines.append(say(_MSG, "status_none"))
    for a in data["active"][:LIST_LIMIT]:
        wait = ""
        if a["next_try"]:
            wait = f" next≈{max(0, int(a['next_try'] - time.time()))}s"
        err = f" — {a['last_error']}" if a["last_error"] else ""
        lines.append(f"  {a['id']}  {a['name']}  [{a['state']}, {a['attempts']}]{wait}{err}")
    lines.append(say(_MSG, "status_failures"))
    if not data["recent_failures"]:
        lines.append(say(_MSG, "status_none"))
    for f in data["recent_failures"]:
        lines.append(f"  {_minute(f['at'])}  {f['id']}  {f['name']}  [{f['state']}] {f['error']}")
    return "\n".join(lines)


def _minute(stamp: object) -> str:
    """A stored ISO moment already in the city's time, as staff read it (to the minute)."""
    return str(stamp).replace("T", " ")[:16]


# ---------------------------------------------------------------------- watch


class _Session:
    """What a watch did from start to stop, for the closing line."""

    def __init__(self) -> None:
        self.n = 0
        self.counts = {k: 0 for k in ("valid", "review", "invalid", "unreadable", "failed", "duplicate")}

    def add(self, summary: Any) -> None:
        for f in summary.finished:
            self.n += 1
            key = "review" if f.to_review else f.outcome  # 要確認 apart from 受付可, as in each pass's summary
            self.counts[key] = self.counts.get(key, 0) + 1


@click.command()
@click.argument("folder", type=click.Path(file_okay=False), required=False)
@click.option("--poll", is_flag=True, help="ファイルの変化を定期的に確認します（共有フォルダでは必要）。Poll (network shares).")
@click.option("--interval", type=click.FloatRange(0.1, None), default=None,
              help="フォルダ全体を確認し直す間隔（秒、既定: [inbox] rescan_seconds = 30）。Seconds between rescans.")
@_common_options
@click.pass_obj
def watch(app: App, folder: str, poll: bool, interval: float | None, journal_path: str | None, no_pdf: bool,
          workers: int | None, init: bool, log_path: str | None) -> None:
    """受付フォルダを監視し、置かれたファイルを順次処理します（Watch DIR/inbox continuously）。

    Stops cleanly on Ctrl+C or SIGTERM after the files being processed.
    Exit codes: 0 stopped; 4 bad configuration; 8 the folder does not exist (first use) or the
    journal cannot be used; 9 another instance is processing it; 10 unexpected error;
    130 a second Ctrl+C.
    """
    from ..inbox.watcher import Watcher, WatchOptions, setup_log

    opts = _options(app, no_pdf, workers, init)
    layout, journal, jpath = _open_journal(folder, journal_path, app.config)
    log_file = Path(log_path) if log_path else _log_path(app.config, layout, jpath)
    rescan = interval if interval is not None else app.config.inbox.rescan_seconds
    with journal:
        if journal.meta("layout") is None and not layout.root.is_dir():  # a typo, not a share that went away
            click.echo(say(_MSG, "watch_missing", path=str(layout.root)), err=True)
            raise SystemExit(ExitCode.FOLDER)
        if opts.registry:  # refused at once (exit 5) rather than found at the first pass
            from ..registry.location import check_usable

            check_usable(app.config)
        setup_log(log_file, echo=True, cfg=app.config)
        click.echo(say(_MSG, "journal_at", path=str(jpath)), err=True)
        click.echo(say(_MSG, "log_at", path=str(log_file)), err=True)
        session = _Session()
        watcher = Watcher(layout, journal, app.config, opts, WatchOptions(rescan=rescan, poll=poll),
                          on_pass=session.add)
        # FolderLocked (and FolderUnavailable, mostly handled inside the loop) carry their exit code
        with _Stopper(watcher.stop, watcher.wake), _guard(app, jpath, log_file):
            watcher.run()
    click.echo(say(_MSG, "session", n=session.n, valid=session.counts["valid"], review=session.counts["review"],
                   invalid=session.counts["invalid"],
                   unreadable=session.counts["unreadable"] + session.counts["failed"],
                   duplicate=session.counts["duplicate"], done=str(layout.done)))
    raise SystemExit(ExitCode.OK)
