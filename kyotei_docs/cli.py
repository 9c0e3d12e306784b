"""The ``kyotei`` command: a thin click front over plain functions.

Subcommands live in ``kyotei_docs/commands/`` and are imported only when used,
so ``kyotei --help`` stays fast (no lxml, pdfplumber or docxtpl at start-up).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Iterable
from typing import Any

import click

from . import collector, keptcode
from .i18n import Catalog, say, set_lang

#: subcommand -> "module:attribute" under kyotei_docs.commands
COMMANDS: dict[str, str] = {
    "parse": "read:parse",
    "check": "read:check",
    "blank-form": "forms:blank_form",
    "rules": "info:rules",
    "config": "info:config",
    "render": "render:render",
    "templates": "render:templates",
    "inbox": "inbox:inbox",
    "watch": "inbox:watch",
    "registry": "registry:registry",
    "sign": "registry:sign",
    "remind": "remind:remind",
    "serve": "serve:serve",
    "init": "site:init",
    "site": "site:site",
}

#: what ``kyotei --help`` lists for each subcommand, so listing them imports none
#: (a test keeps these equal to each command's own first help line)
SUMMARIES: dict[str, str] = {
    "parse": "様式１を読み取って内容を表示します（Read Form 1 and show what it says）。",
    "check": "様式１をガイドラインに照らして確認し、回付先を示します（Check Form 1 and route it）。",
    "blank-form": "記入用の様式１（.docx または --pdf で入力欄付き PDF）を書き出します（Write a blank, fillable Form 1）。",
    "rules": "確認ルールの一覧を表示します（List the rules Form 1 is checked against）。",
    "config": "設定の表示と書き出し（Show or export the configuration）。",
    "render": "協定書（様式２）とホームページ掲載文（様式３）を作成します（Render Form 2 and Form 3）。",
    "templates": "協定書・掲載文のテンプレートを確認・書き出します（Check or export templates）。",
    "inbox": "受付フォルダのファイルを処理します（Process the drop folder）。",
    "watch": "受付フォルダを監視し、置かれたファイルを順次処理します（Watch DIR/inbox continuously）。",
    "registry": "協定登録簿: 受付から締結・更新・終了、年度ごとの実績、Excel 用の書き出し。",
    "sign": "締結を記録し、有効期間を確定して様式２・３を日付入りで作成（Record the signing）。",
    "remind": "期限の近い・過ぎた事項を部署ごとに表示し、メールで知らせます（Reminders per department）。",
    "serve": "職員向けの画面（一覧・受付・案件・書き出し）をブラウザで開けるようにします（Serve the screen for staff）。",
    "init": "事務所のサイト（設定・登録簿・受付フォルダ）を作成し、この PC に記録します（Make the office's site）。",
    "site": "使用中のサイト・設定・登録簿とその理由を表示します（Show which site is in use, and why）。",
}



_HELP: Catalog = {
    "usage": ("使い方:", "Usage:"),
    "Options": ("オプション（Options）", "Options"),
    "Commands": ("コマンド（Commands）", "Commands"),
    "Positional arguments": ("引数（Arguments）", "Positional arguments"),
    "Show this message and exit.": ("この説明を表示して終了します（Show this message and exit）。",
                                    "Show this message and exit."),
    "Show the version and exit.": ("バージョンを表示して終了します（Show the version and exit）。",
                                   "Show the version and exit."),
}


class HelpFormatter(click.HelpFormatter):
    """click's help layout with its own words (``Usage:``, ``Options``, the help option) in Japanese."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else say(_HELP, "usage") + " ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(say(_HELP, heading) if heading in _HELP else heading)

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        said = [(term, say(_HELP, text) if text in _HELP else text) for term, text in rows]
        super().write_dl(said, col_max, col_spacing)


class Context(click.Context):
    """Every ``kyotei`` command's context: help in the staff's language."""

    formatter_class = HelpFormatter


def localise(cmd: click.Command) -> click.Command:
    """Give ``cmd`` and its subcommands :class:`Context` (commands are plain click ones where defined)."""
    cmd.context_class = Context
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            localise(sub)
    return cmd


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click docs, "Lazily Loading Subcommands").

    Its :meth:`main` hands every failure a command lets through to
    :mod:`kyotei_docs.commands.failures`: one message, one exit code, no traceback.
    """

    context_class = Context

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        from .commands.failures import run_main

        extra["complete_var"] = complete_var
        run_main(self, args, prog_name, extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx)) | {n for n in COMMANDS if _installed(n)}
        return sorted(names)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            if not _installed(name):
                return None  # a command of a feature this installation does not have
            module, attr = COMMANDS[name].split(":")
            cmd = getattr(importlib.import_module(f"kyotei_docs.commands.{module}"), attr, None)
            return localise(cmd) if cmd is not None else None
        return super().get_command(ctx, name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        """As click's, but "Did you mean" looks among the lazy commands too."""
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            raise click.exceptions.NoSuchCommand(exc.command_name, possibilities=self.list_commands(ctx),
                                                 ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from :data:`SUMMARIES`: importing every command would
        load the heavy libraries and more than double the time ``--help`` takes."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            if name in SUMMARIES:
                # click.utils.make_default_short_help is deprecated; a bare Command shortens the same way
                rows.append((name, click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit)))
            else:
                cmd = self.get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    rows.append((name, cmd.get_short_help_str(limit)))
        with formatter.section("Commands"):  # the heading is translated by the formatter
            formatter.write_dl(rows)


def _lang_now(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--lang`` takes effect as soon as it is read, so a mistake later on the line is said in it."""
    set_lang(value or "ja")
    return value


def _installed(name: str) -> bool:
    return importlib.util.find_spec(f"kyotei_docs.commands.{COMMANDS[name].split(':')[0]}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None, envvar="KYOTEI_LANG", is_eager=True,
              callback=_lang_now, help="メッセージと報告の言語（既定: ja）。Language of messages and reports.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              envvar="KYOTEI_CONFIG", help="設定ファイル（既定: ./kyotei.toml、なければ標準設定）。Configuration file.")
@click.option("--site", "site", type=click.Path(file_okay=False), default=None, envvar="KYOTEI_SITE",
              help="サイト（事務所の共有フォルダ、kyotei init で作成）。既定: この PC に記録されたサイト。The site folder.")
@click.option("--debug", is_flag=True, help="予期しないエラーの詳細（Python のトレースバック）を表示します。Show tracebacks for unexpected errors.")
@click.version_option(package_name="kyotei-docs",
                      help="バージョンを表示して終了します。Show the version and exit.")
@click.pass_context
def cli(ctx: click.Context, lang: str | None, config_path: str | None, site: str | None, debug: bool) -> None:
    """kyotei-docs: 連携協定の提案書（様式１）を読み取り・確認・回付し、協定書を作成します。

    Read, check and route partnership proposals (Form 1); render agreements.
    """
    set_lang(lang or "ja")
    collector.started()  # the command is found: its work runs with the collector on (kyotei_docs.collector)
    from .commands import App
    from .commands.failures import set_debug

    set_debug(debug)
    ctx.obj = App(config_path=config_path, debug=debug, site_option=site)


def main() -> None:
    """The ``kyotei`` command (the console script's and ``python -m kyotei_docs``'s entry)."""
    collector.starting()
    keptcode.install()
    try:
        cli.main(prog_name="kyotei", standalone_mode=True)
    except KeyboardInterrupt:
        from .exitcodes import ExitCode

        sys.exit(ExitCode.INTERRUPTED)
    finally:
        collector.ending()


if __name__ == "__main__":
    main()
