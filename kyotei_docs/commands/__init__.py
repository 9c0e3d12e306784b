"""Subcommands of ``kyotei``.  Each module imports only click at the top; the work
is done by plain functions elsewhere in the package, imported when a command runs."""

from __future__ import annotations

import sys
import traceback
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
        if self._config is None:
            from ..config import load_config
            from ..errors import KyoteiError
            try:
                self._config = load_config(self.config_path)
            except KyoteiError as exc:
                click.echo(str(exc), err=True)
                sys.exit(2)
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


def describe_failure(app: App, path: Path, exc: BaseException) -> tuple[str, str]:
    """(code, one-line message) for a file that could not be handled."""
    from ..errors import KyoteiError, UnreadableError

    if isinstance(exc, KyoteiError):
        return exc.code, exc.message
    if app.debug:
        traceback.print_exception(exc)
    err = UnreadableError("internal", detail=type(exc).__name__)
    return err.code, err.message


def report_unreadable(path: Path, message: str) -> None:
    click.echo(say(MESSAGES, "unreadable", name=path.name, reason=message), err=True)
