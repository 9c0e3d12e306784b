"""``kyotei init FOLDER``, ``kyotei site`` and ``kyotei site adopt``: the office's shared folder.

Thin over :mod:`kyotei_docs.site` (finding and making a site),
:mod:`kyotei_docs.registry.identity` and :mod:`kyotei_docs.registry.adopt`.
Exit codes: 0 done · 1 no site in use (``kyotei site``) or nothing to adopt ·
4 a site named but unusable, or one that cannot be made · 5 the registry unusable.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..exitcodes import ExitCode
from ..i18n import Catalog, say
from . import App

_MSG: Catalog = {
    "made": ("サイトを作成しました: {root}", "Made the site: {root}"),
    "existed": ("{root} は既にサイトです（設定・台帳・フォルダは変更していません）。",
                "{root} is already a site (its configuration, registry and folders are unchanged)."),
    "made_item": ("  作成: {path}", "  made: {path}"),
    "recorded_machine": ("この PC のサイトとして記録しました: {record}（この PC のすべての利用者・サービスが使います）",
                         "Recorded as this machine's site in {record} (every user and service of this machine uses it)."),
    "recorded_user": ("注意: この PC 全体の記録（{machine}）に書き込めなかったため、この利用者だけの記録 {record} に書きました。"
                      "他の利用者やサービスはこのサイトを見つけられません。管理者として kyotei init {root} を実行し直すか、"
                      "環境変数 KYOTEI_SITE={root} を設定してください。",
                      "Note: the machine-wide record ({machine}) could not be written, so the site is recorded for this "
                      "user only in {record}. Other users and services will not find it: run kyotei init {root} again "
                      "as an administrator, or set KYOTEI_SITE={root}."),
    "not_recorded": ("この PC には記録していません（--no-record）。使うときは --site {root} か KYOTEI_SITE={root} を付けます。",
                     "Not recorded for this machine (--no-record): use --site {root} or KYOTEI_SITE={root}."),
    "next_init": ("次にすること:\n"
                  "  1. 市の情報（市長名など）を {config} に書きます（書かない項目は標準設定のままです）。\n"
                  "  2. 受付フォルダ {drop} を各 PC から使えるよう共有します（様式１は {inbox} に置きます）。\n"
                  "  3. kyotei watch で受付フォルダの処理を、kyotei serve で職員向けの画面を始めます"
                  "（常時動かす方法: docs/office-setup.md）。\n"
                  "  確認: kyotei site",
                  "Next:\n"
                  "  1. Write the city's details (mayor's name …) into {config} (what is left out keeps the defaults).\n"
                  "  2. Share the drop folder {drop} with the other PCs (Form 1 files go into {inbox}).\n"
                  "  3. Start kyotei watch (the drop folder) and kyotei serve (the screen for staff); to run them "
                  "always, see docs/office-setup.md.\n"
                  "  Check with: kyotei site"),
    "site": ("サイト: {root}\n  理由: {why}", "Site: {root}\n  Why: {why}"),
    "config": ("設定: {path}", "Configuration: {path}"),
    "config_explicit": ("  （--config または KYOTEI_CONFIG で指定）", "  (given by --config or KYOTEI_CONFIG)"),
    "registry": ("協定登録簿: {path}", "Registry: {path}"),
    "registry_ok": ("  状態: あり（{size:,} バイト、このサイトのもの）", "  Present ({size:,} bytes, this site's own)"),
    "registry_bad": ("  状態: 使えません — {detail}", "  Unusable — {detail}"),
    "registry_source_option": ("  （--registry で指定）", "  (given by --registry)"),
    "registry_source_config": ("  （設定ファイル {config} の [registry] path で指定）", "  (set by [registry] path in {config})"),
    "drop": ("受付フォルダ: {path}", "Drop folder: {path}"),
    "cases": ("案件の文書: {path}", "Case documents: {path}"),
    "backups": ("バックアップ: {path}（最新: {latest}）", "Backups: {path} (latest: {latest})"),
    "logs": ("ログ・処理記録: {path}", "Logs and journal: {path}"),
    "stray": ("注意: 作業フォルダの {path} は使っていません（このサイトの設定ではありません）。",
              "Note: {path} in the working folder is not used (it is not the site's configuration)."),
    "no_site": ("サイトは設定されていません。\n"
                "事務所で共有するサイトを kyotei init フォルダ で作成してください（例: kyotei init D:\\kyotei）。\n"
                "探した場所: --site、環境変数 KYOTEI_SITE、{records}",
                "No site is set up.\n"
                "Make the office's site with kyotei init FOLDER (e.g. kyotei init /srv/kyotei).\n"
                "Looked at: --site, KYOTEI_SITE, {records}"),
    "config_nosite": ("設定: {path}（サイトなし）", "Configuration: {path} (no site)"),
    "adopt_none": ("取り込む協定登録簿・設定ファイルは見つかりませんでした（探した場所: この利用者のデータフォルダ、"
                   "作業フォルダ、読める各利用者のデータフォルダ）。ほかのファイルは --from ファイル、--config ファイル で指定します。",
                   "No earlier registry or configuration was found (looked in this user's data folder, the working "
                   "folder and every user's data folder that can be read). Name others with --from FILE, --config FILE."),
    "adopt_plan": ("サイト {site} に取り込みます:", "Into site {site}:"),
    "adopt_plan_registry": ("  協定登録簿: {path}（{n} 件）", "  registry: {path} ({n} cases)"),
    "adopt_plan_config": ("  設定ファイル: {path}", "  configuration: {path}"),
    "adopt_ask": ("取り込みますか？（先にサイトの登録簿をバックアップします）", "Adopt them (the site's registry is backed up first)?"),
    "adopt_not_confirmed": ("確認が取れなかったため、何も変更していません（画面のない実行では --yes を付けます）。",
                            "Not confirmed: nothing changed (without a terminal, add --yes)."),
    "adopted": ("{source} を取り込みました（{n} 件）。先に作成したバックアップ: {backup}",
                "Adopted {source} ({n} cases). Backup made first: {backup}"),
    "adopted_case": ("  旧 協定ID {old} → 協定ID {new}  {partner}", "  old case {old} → case {new}  {partner}"),
    "adopted_known": ("  注意: 「{file}」は既にサイトの協定ID {held} にあります（協定ID {new} には記録していません）。"
                      "同じ案件なら kyotei registry merge {held} {new}",
                      "  Note: {file!r} is already in the site's case {held} (not recorded again in case {new}). "
                      "If they are one case: kyotei registry merge {held} {new}"),
    "adopted_kept": ("  元のファイルは {path} という名前で残しています。", "  The old file is kept as {path}."),
    "adopted_config": ("設定ファイル {source} をサイトの設定 {config} に取り込みました（元の設定のコピー: {backup}）。",
                       "Adopted {source} into the site's configuration {config} (copy of the previous one: {backup})."),
    "adopt_next": ("次にすること: kyotei registry list で案件を確認し、kyotei site で設定を確認してください。",
                   "Next: check the cases with kyotei registry list and the settings with kyotei site."),
}


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--no-record", is_flag=True,
              help="この PC のサイトとして記録しません（試用・デモ用。--site / KYOTEI_SITE で指定して使う）。Do not record it.")
@click.option("--replace-record", is_flag=True,
              help="この PC に記録された別のサイトを、このサイトに置き換えます。Replace the machine's record.")
@click.pass_obj
def init(app: App, folder: str, no_record: bool, replace_record: bool) -> None:
    """事務所のサイト（設定・登録簿・受付フォルダ）を作成し、この PC に記録します（Make the office's site）。

    FOLDER may be new or hold other files, but no kyotei.toml, registry or
    受付 of its own (if it is already a site, nothing is changed).
    It receives kyotei.toml, registry.sqlite3, 受付/ (the drop folder), cases/,
    backups/ and logs/, and is recorded machine-wide (%PROGRAMDATA%\\kyotei on
    Windows, /etc/kyotei elsewhere) so every user, kyotei watch and kyotei
    serve find it.  Keep it on a local disk of the PC that runs serve/watch.
    """
    from ..site import init as make_site

    done = make_site(Path(folder), record=not no_record, replace_record=replace_record)
    site = done.site
    click.echo(say(_MSG, "existed" if done.existed else "made", root=site.root))
    for path in done.created:
        click.echo(say(_MSG, "made_item", path=path))
    if done.record_kind == "machine":
        click.echo(say(_MSG, "recorded_machine", record=done.record))
    elif done.record_kind == "user":
        from ..site import RECORD_NAME, machine_dirs

        click.echo(say(_MSG, "recorded_user", record=done.record, machine=machine_dirs()[0] / RECORD_NAME,
                       root=site.root), err=True)
    else:
        click.echo(say(_MSG, "not_recorded", root=site.root))
    click.echo(say(_MSG, "next_init", config=site.config, drop=site.drop_folder, inbox=site.drop_folder / "inbox"))


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="JSON で出力します（パスはすべて絶対パス）。JSON, absolute paths.")
@click.pass_context
def site(ctx: click.Context, as_json: bool) -> None:
    """使用中のサイト・設定・登録簿とその理由を表示します（Show which site is in use, and why）。

    Shows the site (and why: --site, KYOTEI_SITE or the machine's record), the
    configuration, the registry (and whether it is the site's own), the drop
    folder, the case documents, backups and logs; creates nothing.
    Exit codes: 0 a site is in use · 1 none is set up · 4 the site named is unusable.
    """
    if ctx.invoked_subcommand is not None:
        return
    app: App = ctx.obj
    data = describe(app)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(_text(data))
    sys.exit(ExitCode.OK if data["site"] else ExitCode.FINDINGS)


def describe(app: App) -> dict[str, Any]:
    """What ``kyotei site`` reports, as data (every path absolute)."""
    from ..registry.errors import RegistryError
    from ..registry.identity import latest_backup
    from ..registry.location import locate, open_located
    from ..site import record_paths, stray_config

    s = app.site
    cfg = app.config
    data: dict[str, Any] = {"site": None, "config": None if cfg.source == "defaults" else str(Path(cfg.source).resolve()),
                            "config_explicit": bool(app.config_path), "registry": None, "registry_source": None,
                            "registry_ok": None, "registry_problem": None, "drop_folder": None,
                            "ignored_config": None,
                            "searched": [str(p) for _k, p in record_paths()]}
    if s is not None:
        data |= s.to_json()
        data["why"] = s.why()
        data["latest_backup"] = str(latest_backup(s) or "") or None
        stray = stray_config(s)
        data["ignored_config"] = str(stray) if stray and not app.config_path else None
    try:
        location = locate(cfg)
    except RegistryError as exc:
        data["registry_problem"] = exc.message
        return data
    data["registry"] = str(location.path.resolve())
    data["registry_source"] = location.source
    try:
        open_located(cfg).close()
        data["registry_ok"] = True
    except RegistryError as exc:
        data["registry_ok"] = False
        data["registry_problem"] = exc.message
    return data


def _text(d: dict[str, Any]) -> str:
    if not d["site"]:
        lines = [say(_MSG, "no_site", records="、".join(d["searched"]))]
        if d["config"]:
            lines.append(say(_MSG, "config_nosite", path=d["config"]))
        return "\n".join(lines)
    lines = [say(_MSG, "site", root=d["site"], why=d["why"]), say(_MSG, "config", path=d["config"])]
    if d["config_explicit"]:
        lines.append(say(_MSG, "config_explicit"))
    if d["registry"]:
        lines.append(say(_MSG, "registry", path=d["registry"]))
        if d["registry_source"] in ("option", "config"):
            lines.append(say(_MSG, f"registry_source_{d['registry_source']}", config=d["config"]))
    if d["registry_ok"]:
        lines.append(say(_MSG, "registry_ok", size=Path(d["registry"]).stat().st_size))
    else:
        lines.append(say(_MSG, "registry_bad", detail=d["registry_problem"]))
    lines += [say(_MSG, "drop", path=d["drop_folder"]), say(_MSG, "cases", path=d["cases"]),
              say(_MSG, "backups", path=d["backups"], latest=d.get("latest_backup") or "—"),
              say(_MSG, "logs", path=d["logs"])]
    if d["ignored_config"]:
        lines.append(say(_MSG, "stray", path=d["ignored_config"]))
    return "\n".join(lines)


@site.command()
@click.option("--from", "sources", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="取り込む協定登録簿（繰り返し可。既定: 見つかったもの）。A registry to adopt.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="取り込む設定ファイル（既定: 作業フォルダの kyotei.toml）。A configuration to adopt.")
@click.option("--yes", "-y", is_flag=True, help="確認せずに進めます。Go on without asking.")
@click.pass_obj
def adopt(app: App, sources: tuple[str, ...], config_file: str | None, yes: bool) -> None:
    """以前の協定登録簿と設定ファイルをサイトに取り込みます（Adopt earlier registries and configurations）。

    Finds registries of earlier versions (each user's data folder, the working
    folder) and the working folder's kyotei.toml, or takes them from --from and
    --config.  The site's registry is backed up first; adopted cases get new IDs
    after the site's (the site's are never renumbered) and the mapping is printed;
    the adopted files are renamed NAME.adopted-DATE (kept).
    """
    from ..registry.adopt import adopt_config, adopt_registry, candidates
    from ..registry.errors import RegistryError
    from ..site import stray_config

    s = app.site
    if s is None:
        raise RegistryError("no_site")
    cfg = app.config
    registries = [Path(p) for p in sources] or candidates(s)
    conf = Path(config_file) if config_file else stray_config(s)
    if not registries and conf is None:
        click.echo(say(_MSG, "adopt_none"))
        sys.exit(ExitCode.FINDINGS)
    click.echo(say(_MSG, "adopt_plan", site=s.root))
    for path in registries:
        click.echo(say(_MSG, "adopt_plan_registry", path=path.resolve(), n=_count(path)))
    if conf is not None:
        click.echo(say(_MSG, "adopt_plan_config", path=conf.resolve()))
    if not yes and not (sys.stdin.isatty() and sys.stdout.isatty() and click.confirm(say(_MSG, "adopt_ask"))):
        click.echo(say(_MSG, "adopt_not_confirmed"), err=True)
        sys.exit(ExitCode.FINDINGS)
    for path in registries:
        done = adopt_registry(cfg, path)
        click.echo(say(_MSG, "adopted", source=done.source.resolve(), n=len(done.cases), backup=done.backup))
        for m in done.cases:
            click.echo(say(_MSG, "adopted_case", old=m.old_id, new=m.new_id, partner=m.partner))
        for name, new, held in done.known_files:
            click.echo(say(_MSG, "adopted_known", file=name, new=new, held=held))
        click.echo(say(_MSG, "adopted_kept", path=done.kept_as))
    if conf is not None:
        got = adopt_config(cfg, conf)
        click.echo(say(_MSG, "adopted_config", source=got.source.resolve(), config=s.config, backup=got.backup))
        click.echo(say(_MSG, "adopted_kept", path=got.kept_as))
    click.echo(say(_MSG, "adopt_next"))


def _count(path: Path) -> str:
    """How many cases a registry holds, read without changing it ("?" if it cannot be read so)."""
    import sqlite3

    for query in ("SELECT count(*) FROM agreements WHERE merged_into IS NULL",  # schema 3 on
                  "SELECT count(*) FROM agreements"):
        try:
            conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
            try:
                return str(conn.execute(query).fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error:
            continue
    return "?"
