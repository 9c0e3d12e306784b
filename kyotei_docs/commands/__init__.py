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
    "stray_config": ("注意: 作業フォルダの {path} は使っていません（サイト {site} の設定 {config} を使います）。"
                     "この内容を使う場合はサイトの設定に書き写してください。",
                     "Note: {path} in the working folder is not used (site {site} uses {config}). "
                     "Copy what you need into the site's configuration."),
}


@dataclass
class App:
    """What every command may need, found once where ``kyotei`` starts and handed to each command.

    The site (:mod:`kyotei_docs.site`: ``--site``, ``KYOTEI_SITE``, the
    machine's record) and the configuration are looked up on first use — so
    ``kyotei init`` and ``kyotei --help`` work before there is a site — and
    then kept: a command never looks again.
    """

    config_path: str | None = None
    debug: bool = False
    site_option: str | None = None
    _config: object = field(default=None, repr=False)
    _site: object = field(default=None, repr=False)
    _site_found: bool = field(default=False, repr=False)

    @property
    def site(self):
        """The site in use, or None; a site named but unusable raises ``SiteError`` (exit ``CONFIG``)."""
        if not self._site_found:
            from ..site import find

            self._site = find(self.site_option)
            self._site_found = True
        return self._site

    @property
    def config(self):
        """Loaded on first use; a missing or invalid file raises ``ConfigError`` (exit ``CONFIG``).

        With a site, its kyotei.toml (unless ``--config`` names another); a
        kyotei.toml in the working folder is then named in a warning, never used.
        """
        if self._config is None:
            from ..config import load_config
            from ..site import stray_config

            site = self.site
            self._config = load_config(self.config_path, site=site)
            stray = stray_config(site) if site is not None and not self.config_path else None
            if stray is not None:
                click.echo(say(MESSAGES, "stray_config", path=str(stray), site=str(site.root),
                               config=str(site.config)), err=True)
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
