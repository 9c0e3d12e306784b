"""What ``kyotei serve`` writes to its console while it runs: Japanese lines, nothing for the routine.

Why: staff and IT watch this window (or the service's log).  waitress and Flask
log in English through Python's ``logging`` (``WARNING:waitress.queue:Task
queue depth is 2`` whenever requests wait for a thread — routine, since the
screen's own queue says 混雑 on the page).  This installs one handler on the
root logger before waitress would install its own (``logging.basicConfig`` does
nothing once a handler exists): each line gets the time and a Japanese level,
the messages this program knows are said in Japanese, and waitress's queue
depth is not shown at all.
"""

from __future__ import annotations

import logging
import re

from ..i18n import Catalog, get_lang, say

MESSAGES: Catalog = {
    "WARNING": ("警告", "warning"),
    "ERROR": ("エラー", "error"),
    "CRITICAL": ("重大なエラー", "critical"),
    "INFO": ("情報", "info"),
    "DEBUG": ("詳細", "debug"),
    "still_running": ("終了時に {n} 件の要求がまだ処理中でした（その操作は記録されていない可能性があります）。",
                      "{n} request(s) were still being handled at the stop (they may not have been recorded)."),
    "canceling": ("終了のため、待っていた {n} 件の要求を取り消しました。", "{n} waiting request(s) cancelled by the stop."),
    "serving_error": ("画面の処理中に予期しないエラーが発生しました（{detail}）。", "Unexpected error while serving ({detail})."),
}

#: waitress's English messages → our keys (the number is the message's only variable)
_KNOWN = ((re.compile(r"(\d+) thread\(s\) still running"), "still_running"),
          (re.compile(r"Canceling (\d+) pending task\(s\)"), "canceling"))


class JapaneseFormatter(logging.Formatter):
    """``12:01:02 警告: …`` with waitress's known messages said in the screen's language."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s: %(message)s", datefmt="%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        for pattern, key in _KNOWN:
            found = pattern.fullmatch(text)
            if found:
                text = say(MESSAGES, key, n=found.group(1))
                break
        level = say(MESSAGES, record.levelname) if record.levelname in MESSAGES else record.levelname
        line = f"{self.formatTime(record, self.datefmt)} {level}: {text}"
        if record.exc_info and get_lang() == "en":
            line += "\n" + self.formatException(record.exc_info)
        elif record.exc_info:  # the exception's name and text, not a traceback staff cannot use
            exc = record.exc_info[1]
            line += f"（{type(exc).__name__}: {exc}）"
        return line


def console_logging(level: int = logging.WARNING) -> logging.Handler:
    """Install the console handler on the root logger (once); waitress's queue depth is silenced."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler.formatter, JapaneseFormatter):
            return handler
    handler = logging.StreamHandler()
    handler.setFormatter(JapaneseFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    return handler
