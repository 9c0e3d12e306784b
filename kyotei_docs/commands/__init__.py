"""Subcommands of ``kyotei``.  Each module imports only click at the top; the work
is done by plain functions elsewhere in the package, imported when a command runs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import click

from ..i18n import Catalog, say

MESSAGES: Catalog = {
    "unreadable": ("{name}: 読み込めません — {reason}", "{name}: cannot read — {reason}"),
    "no_files": ("対象のファイルがありません: {path}", "No files to process: {path}"),
    "wrote": ("書き出しました: {path}", "Wrote: {path}"),
}


@dataclass
class App:
    """What every command may need; the configuration is loaded on first use."""

    config_path: str | None = None
    debug: bool = False
    _config: object = field(default=None, repr=False)

    @property
    def config(self):
        """Loaded on first use; a missing or invalid file raises ``ConfigError`` (exit ``CONFIG``)."""
        if self._config is None:
            from ..config import load_config

            self._config = load_config(self.config_path)
        return self._config


def expand_inputs(paths: Iterable[str]) -> list[Path]:
    """Files as given; a folder stands for the files directly inside it (sorted)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.iterdir()
                          if p.is_file() and not p.name.startswith((".", "~$")))
        else:
            out.append(path)
    return out


def describe_failure(exc: BaseException) -> tuple[str, str]:
    """(code, one-line message) for one file of a batch that could not be read.

    The mapping is :func:`.failures.failure_of`'s; an unforeseen error in a
    reader is still the file's failure (code ``internal``), and the batch goes on.
    """
    from ..errors import KyoteiError, UnreadableError
    from .failures import failure_of

    failure = failure_of(exc)
    if isinstance(exc, (KyoteiError, OSError)):
        return failure.code, failure.message
    err = UnreadableError("internal", detail=type(exc).__name__)
    return err.code, err.message


def report_unreadable(path: Path, message: str) -> None:
    click.echo(say(MESSAGES, "unreadable", name=path.name, reason=message), err=True)
