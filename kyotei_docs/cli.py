"""The ``kyotei`` command: a thin click front over plain functions.

Subcommands live in ``kyotei_docs/commands/`` and are imported only when used,
so ``kyotei --help`` stays fast (no lxml, pdfplumber or docxtpl at start-up).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from .i18n import set_lang

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
    "serve": "serve:serve",
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
    "serve": "職員向けの画面（一覧・受付・案件・書き出し）をブラウザで開けるようにします（Serve the screen for staff）。",
}

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click docs, "Lazily Loading Subcommands")."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx)) | {n for n in COMMANDS if _installed(n)}
        return sorted(names)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            if not _installed(name):
                return None  # a command of a feature this installation does not have
            module, attr = COMMANDS[name].split(":")
            return getattr(importlib.import_module(f"kyotei_docs.commands.{module}"), attr, None)
        return super().get_command(ctx, name)

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
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _installed(name: str) -> bool:
    return importlib.util.find_spec(f"kyotei_docs.commands.{COMMANDS[name].split(':')[0]}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None, envvar="KYOTEI_LANG",
              help="Language of messages and reports (default: ja).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              envvar="KYOTEI_CONFIG", help="Configuration file (default: ./kyotei.toml, else built-in).")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for unexpected errors.")
@click.version_option(package_name="kyotei-docs")
@click.pass_context
def cli(ctx: click.Context, lang: str | None, config_path: str | None, debug: bool) -> None:
    """kyotei-docs: 連携協定の提案書（様式１）を読み取り・確認・回付し、協定書を作成します。

    Read, check and route partnership proposals (Form 1); render agreements.
    """
    set_lang(lang or "ja")
    from .commands import App
    ctx.obj = App(config_path=config_path, debug=debug)


def main() -> None:
    try:
        cli.main(prog_name="kyotei", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
