"""``kyotei rules`` and ``kyotei config``: what the tool checks and how it is set up."""

from __future__ import annotations

from dataclasses import fields

import click

from ..exitcodes import ExitCode
from ..i18n import Catalog, say
from . import App

_MSG: Catalog = {
    "rules_head": ("確認ルール（{n}件）。設定の [rules] disabled で無効化できます。",
                   "Rules ({n}). Switch one off with [rules] disabled in the configuration."),
    "off": ("（無効）", "(off)"),
    "sev_error": ("不備", "error"),
    "sev_warning": ("注意", "warning"),
    "required": ("必須項目", "Required entries"),
    "source": ("設定ファイル", "Configuration"),
    "routing": ("回付表（{as_of} 時点）", "Routing table (as of {as_of})"),
    "unmapped": ("未設定 → {name}", "not set → {name}"),
    "exported": ("既定の設定を {path} に書き出しました。編集してから --config で指定するか、作業フォルダに kyotei.toml として置いてください。",
                 "Wrote the default configuration to {path}. Edit it, then pass --config or keep it as ./kyotei.toml."),
    "exported_site": ("既定の設定を {path} に書き出しました（見本です。このファイルは使われません）。"
                      "変える項目をサイトの設定 {config} に書き写してください（書かない項目は標準設定のままです）。",
                      "Wrote the default configuration to {path} (a reference; this file is not used). Copy what "
                      "you change into the site's configuration {config} (what it leaves out keeps its default)."),
    "exists": ("{path} は既にあります。上書きしません。", "{path} exists; not overwritten."),
    "settings": ("読み込んだ設定（確認済みの値。書かなかった項目は既定値）:",
                 "Settings in force (checked; what the file leaves out has its default):"),
}


@click.command()
@click.pass_obj
def rules(app: App) -> None:
    """確認ルールの一覧を表示します（List the rules Form 1 is checked against）。"""
    from ..rules import RULES, label_of

    cfg = app.config
    click.echo(say(_MSG, "rules_head", n=len(RULES)))
    for rule in RULES:
        off = say(_MSG, "off") if rule.code in cfg.disabled_rules else ""
        # the code stays as written: it is what [rules] disabled names
        severity = say(_MSG, f"sev_{rule.severity}") if f"sev_{rule.severity}" in _MSG else rule.severity
        click.echo(f"  [{severity}] {rule.code}{off}")
        import string

        # every field the rule's sentences name, shown as 「…」 (a new field never breaks the listing)
        params = {f: "…" for _, f, _, _ in string.Formatter().parse(rule.ja + rule.en) if f}
        click.echo(f"            {rule.message(**params)}")
    click.echo(say(_MSG, "required") + ": " + "、".join(label_of(p) for p in cfg.required))


@click.group()
def config() -> None:
    """設定の表示と書き出し（Show or export the configuration）。"""


@config.command("show")
@click.pass_obj
def config_show(app: App) -> None:
    """現在の設定（回付表と、各項目の確認済みの値）を表示します。Show the settings in force."""
    from ..limits import ELSEWHERE
    from ..vocab import ALL_FIELDS

    cfg = app.config
    click.echo(f"{say(_MSG, 'source')}: {cfg.source}")
    click.echo(f"  {cfg.municipality} / {cfg.mayor_title} / {cfg.address} / comma={cfg.comma}")
    click.echo(say(_MSG, "routing", as_of=cfg.routing_as_of) + ":")
    for name in ALL_FIELDS:
        dept = cfg.department_for(name)
        click.echo(f"  {name}: {dept.name if dept else say(_MSG, 'unmapped', name=cfg.coordinator.name)}")
    click.echo(say(_MSG, "settings"))
    click.echo(f"  [municipality] timezone = {cfg.timezone}")
    for section, settings in (("render", cfg.render), ("inbox", cfg.inbox), ("registry", cfg.registry),
                              ("limits", cfg.limits)):
        values = ", ".join(f"{f.name} = {_shown(getattr(settings, f.name))}" for f in fields(settings)
                           if not (section == "limits" and f.name in ELSEWHERE))
        click.echo(f"  [{section}] {values}")


def _shown(value: object) -> str:
    """A setting as it would be written in kyotei.toml."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return str(value)


@config.command("export")
@click.argument("path", type=click.Path(dir_okay=False), default="kyotei.toml")
@click.pass_obj
def config_export(app: App, path: str) -> None:
    """既定の設定ファイルを書き出します（編集用）。

    With a site, the commands read the site's kyotei.toml only, so the message names it (a
    kyotei.toml in the working folder is ignored there, with a warning).
    """
    from pathlib import Path

    from ..config import default_toml
    from ..publish import write_new

    target = Path(path)
    text = default_toml()
    try:
        write_new(target, lambda tmp: tmp.write_text(text, encoding="utf-8"), copies=False)
    except FileExistsError:
        click.echo(say(_MSG, "exists", path=path), err=True)
        raise SystemExit(ExitCode.FINDINGS) from None
    site = app.site
    if site is not None and target.absolute() != site.config.absolute():
        click.echo(say(_MSG, "exported_site", path=target.absolute(), config=site.config))
    else:
        click.echo(say(_MSG, "exported", path=target.absolute()))
