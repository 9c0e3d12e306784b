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
}

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click docs, "Lazily Loading Subcommands")."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx)) | set(COMMANDS)
        return sorted(n for n in names if self.get_command(ctx, n) is not None)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            module, attr = COMMANDS[name].split(":")
            spec = f"kyotei_docs.commands.{module}"
            if importlib.util.find_spec(spec) is None:
                return None  # a command of a feature this installation does not have
            return getattr(importlib.import_module(spec), attr, None)
        return super().get_command(ctx, name)


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
