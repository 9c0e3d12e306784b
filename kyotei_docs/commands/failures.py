"""The one place that turns an exception into a message for staff and an exit code.

Commands raise (a :class:`~kyotei_docs.errors.KyoteiError` with its code, an
``OSError``, a click usage error) and never print tracebacks or pick exit
numbers themselves: :func:`failure_of` says what went wrong in one line and
which :class:`~kyotei_docs.exitcodes.ExitCode` ends the command, and
:func:`report` prints it.  ``kyotei``'s group calls :func:`report` for whatever
a command lets through; ``parse`` and ``check`` call :func:`failure_of` for each
file of a batch so one bad file does not stop the others.

A traceback is printed only with ``--debug``, and only for errors nobody
foresaw (a bug): a foreseen failure is fully said by its message.
"""

from __future__ import annotations

import errno
import sys
from contextvars import ContextVar
from dataclasses import dataclass

import click

from ..exitcodes import ExitCode
from ..i18n import Catalog, say

MESSAGES: Catalog = {
    "not_found": ("見つかりません: {path}", "Not found: {path}"),
    "permission": ("アクセスする権限がありません: {path}（ファイルを開いているプログラムを閉じるか、フォルダの権限を確認してください）",
                   "Permission denied: {path} (close the program that has it open, or check the folder's permissions)"),
    "is_folder": ("ファイルを指定してください（フォルダです）: {path}", "Give a file, not a folder: {path}"),
    "not_folder": ("フォルダを指定してください（ファイルです）: {path}", "Give a folder, not a file: {path}"),
    "exists": ("同じ名前のファイルが既にあるため作れません: {path}（別の名前か場所を指定してください）",
               "Cannot create {path}: a file of that name exists (give another name or place)"),
    "read_only": ("読み取り専用の場所のため書き込めません: {path}", "Read-only location, cannot write: {path}"),
    "disk_full": ("ディスクの空き容量がありません: {path}", "The disk is full: {path}"),
    "os_error": ("ファイルを読み書きできません: {path}（{detail}）", "Cannot read or write {path} ({detail})"),
    "interrupted": ("中断しました。", "Interrupted."),
    "internal": ("予期しないエラーが発生しました（{detail}）。元のファイルは変更していません。"
                 "--debug を付けて再実行し、その結果をシステム担当者に送ってください。",
                 "Unexpected error ({detail}). The original files are unchanged. "
                 "Run again with --debug and send the output to your administrator."),
}

_debug: ContextVar[bool] = ContextVar("kyotei_debug", default=False)


def set_debug(on: bool) -> None:
    """``--debug``: print tracebacks of unexpected errors (set once by the ``kyotei`` group)."""
    _debug.set(on)


@dataclass(frozen=True)
class Failure:
    """What went wrong: a stable ``code`` (for ``--json``), one line for staff, the exit code."""

    code: str
    message: str
    exit_code: ExitCode


def failure_of(exc: BaseException) -> Failure:
    """The message and exit code for ``exc``; prints its traceback with ``--debug`` if unforeseen."""
    from ..errors import KyoteiError

    if isinstance(exc, KyoteiError):
        return Failure(exc.code, exc.message, ExitCode(exc.exit_code))
    if isinstance(exc, click.exceptions.UsageError):
        from .usage import usage_message

        return Failure("usage", usage_message(exc), ExitCode.USAGE)
    if isinstance(exc, click.ClickException):
        return Failure("click", exc.format_message(), ExitCode(exc.exit_code))
    if isinstance(exc, (KeyboardInterrupt, click.Abort)):
        return Failure("interrupted", say(MESSAGES, "interrupted"), ExitCode.INTERRUPTED)
    if isinstance(exc, OSError):
        return _os_failure(exc)
    if _debug.get():
        _print_traceback(exc)
    return Failure("internal", say(MESSAGES, "internal", detail=f"{type(exc).__name__}: {exc}"),
                   ExitCode.INTERNAL)


def _print_traceback(exc: BaseException) -> None:
    """``--debug``'s traceback; :mod:`traceback` (and what it imports) only then, not at every start."""
    import traceback

    traceback.print_exception(exc)


def _os_failure(exc: OSError) -> Failure:
    """A file the user named (or a folder to write into) that the system refused."""
    path = exc.filename if exc.filename is not None else "?"
    if isinstance(exc, FileNotFoundError):
        key = "not_found"
    elif isinstance(exc, PermissionError):
        key = "permission"
    elif isinstance(exc, IsADirectoryError):
        key = "is_folder"
    elif isinstance(exc, NotADirectoryError):
        key = "not_folder"
    elif isinstance(exc, FileExistsError):
        key = "exists"
    elif exc.errno == errno.EROFS:
        key = "read_only"
    elif exc.errno == errno.ENOSPC:
        key = "disk_full"
    else:
        key = "os_error"
    if _debug.get():
        _print_traceback(exc)
    return Failure(key, say(MESSAGES, key, path=path, detail=exc.strerror or type(exc).__name__),
                   ExitCode.UNREADABLE)


def report(exc: BaseException) -> ExitCode:
    """Print ``exc`` as one message on stderr and return the exit code to end with."""
    if isinstance(exc, click.exceptions.Exit):
        return ExitCode(exc.exit_code)
    failure = failure_of(exc)
    if isinstance(exc, click.exceptions.UsageError):
        from .usage import show_usage_error

        show_usage_error(exc)
    else:
        click.echo(failure.message, err=True)
    return failure.exit_code


def run_main(group: click.Group, args: list[str] | None, prog_name: str | None, extra: dict) -> None:
    """``group.main`` with every failure reported here; ends the process with its exit code."""
    try:
        rv = click.Group.main(group, args, prog_name, standalone_mode=False, **extra)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - every failure is a message and a code, never a traceback
        sys.stdout.flush()
        sys.exit(report(exc))
    sys.exit(rv if isinstance(rv, int) else ExitCode.OK)
