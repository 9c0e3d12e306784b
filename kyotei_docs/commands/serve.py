"""``kyotei serve`` (the screen for staff) and ``kyotei serve adduser NAME``.

Thin: the configuration is loaded once here, :class:`WebSettings` made from
``[web]`` and the options, and the Flask application from
:func:`kyotei_docs.web.app.create_app` served by waitress (which runs unchanged
as a Windows service).  Exit codes (:mod:`kyotei_docs.exitcodes`): 0 stopped
normally · 1 refused (sign-in needed for this address, port in use) · 2 a user
name that cannot be used · 4 bad configuration or users file.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from ..exitcodes import ExitCode
from ..i18n import Catalog, say, set_lang
from . import App

_MSG: Catalog = {
    "open": ("画面を開く: {url}\n  （ブラウザ Edge・Chrome でこのアドレスを開きます。終了は Ctrl+C）",
             "Open the screen: {url}\n  (open this address in Edge or Chrome; stop with Ctrl+C)"),
    "open_others": ("  ほかの PC からは: {urls}", "  From other PCs: {urls}"),
    "plain_http": (
        "警告: この画面はほかの PC から HTTP（暗号化なし）で開けます。パスワード・連絡先・協定の内容が"
        "ネットワークを平文で流れ、ログインのクッキーも盗み見られます。\n"
        "  HTTPS のリバースプロキシ（IIS・nginx）を前に置き、kyotei serve は 127.0.0.1 で待ち受けて "
        "[web] behind_https_proxy = true にしてください（手順: docs/web.md の「HTTPS in front of kyotei's own sign-in」）。",
        "Warning: other PCs can open this screen over plain HTTP (not encrypted). Passwords, contacts and "
        "agreements cross the network in clear text and the sign-in cookie can be copied.\n"
        "  Put an HTTPS reverse proxy (IIS, nginx) in front, listen on 127.0.0.1 and set "
        "[web] behind_https_proxy = true (docs/web.md, \"HTTPS in front of kyotei's own sign-in\")."),
    "stopping": ("停止しています（作成中の PDF は次回の起動後に作り直します）…",
                 "Stopping (PDFs being made are made again after the next start)…"),
    "stopped": ("停止しました。", "Stopped."),
    "registry": ("  協定登録簿: {path}", "  Registry: {path}"),
    "folder": ("  受付フォルダ: {path}", "  Drop folder: {path}"),
    "no_folder": ("  受付フォルダ: 未設定（受付画面を使うには --inbox フォルダ）",
                  "  Drop folder: not set (give --inbox DIR to use the intake page)"),
    "mode_local": ("  ログイン: なし（この PC からのみ開けます。操作はこの PC の利用者 {user} として記録）",
                   "  Sign-in: none (only this PC can open it; changes are recorded as {user})"),
    "mode_users": ("  ログイン: 利用者ファイル {path}（{n} 人）", "  Sign-in: users file {path} ({n} users)"),
    "mode_proxy": ("  ログイン: リバースプロキシのヘッダー {header}（{addresses} からの接続のみ）",
                   "  Sign-in: reverse proxy header {header} (connections from {addresses} only)"),
    "backup_made": ("協定登録簿の今日のバックアップを作成しました: {path}", "Made today's registry backup: {path}"),
    "backup_failed": ("協定登録簿のバックアップを作成できませんでした（1 時間後に再試行）: {detail}",
                      "Could not back up the registry (trying again in an hour): {detail}"),
    "port_busy": ("ポート {port} で待ち受けできません（{detail}）。別のプログラムが使用中なら --port で別の番号を指定してください。",
                  "Cannot listen on port {port} ({detail}). If another program uses it, choose another with --port."),
    "password": ("{name} のパスワード", "Password for {name}"),
    "password_again": ("もう一度入力", "Repeat"),
    "password_short": ("パスワードは {n} 文字以上にしてください。", "Use at least {n} characters."),
    "password_mismatch": ("2 回の入力が一致しません。", "The two entries differ."),
    "added": ("利用者 {name}（{role}）を追加しました: {path}", "Added user {name} ({role}) to {path}"),
    "replaced": ("利用者 {name}（{role}）のパスワードと権限を変更しました: {path}",
                 "Changed the password and role of {name} ({role}) in {path}"),
    "next_user": ("次にすること: kyotei serve を起動し、この利用者名とパスワードでログインしてください"
                  "（利用者ファイルは設定ファイルと同じフォルダにあります。パスワードそのものは保存していません）。",
                  "Next: start kyotei serve and sign in with this name and password (the users file sits next to "
                  "the configuration file; it holds no password, only a hash)."),
}

MIN_PASSWORD = 10


def _settings(app: App, **overrides: object):  # -> WebSettings
    from ..web.settings import WebError, WebSettings

    try:
        return WebSettings.from_config(app.config, **overrides)
    except WebError as exc:
        click.echo(exc.message, err=True)
        sys.exit(ExitCode.CONFIG)


@click.group(invoke_without_command=True)
@click.option("--host", default=None, help="待ち受けるアドレス（既定: [web] host、127.0.0.1 = この PC のみ）。Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="ポート番号（既定: [web] port、8080）。Port.")
@click.option("--inbox", "drop_folder", type=click.Path(file_okay=False), default=None,
              help="受付画面が提出ファイルを置く受付フォルダ（kyotei watch と同じフォルダ。既定: [web] drop_folder）。Drop folder.")
@click.option("--journal", type=click.Path(dir_okay=False), default=None,
              help="受付フォルダのジャーナル（kyotei watch に --journal を指定した場合）。The drop folder's journal.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None, help="画面の言語（既定: ja）。Language of the pages.")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, drop_folder: str | None, journal: str | None,
          lang: str | None) -> None:
    """職員向けの画面（一覧・受付・案件・書き出し）をブラウザで開けるようにします（Serve the screen for staff）。

    Serves the screen for staff in the browser: cases, intake, one case, exports.
    Listens on 127.0.0.1 (this PC only) unless --host says otherwise; any other
    address needs users (kyotei serve adduser) or a trusted reverse proxy
    ([web] proxy_user_header). See docs/web.md.
    """
    if ctx.invoked_subcommand is not None:
        return
    if lang:
        set_lang(lang)
    from ..i18n import get_lang

    app: App = ctx.obj
    if drop_folder and not journal and app.config.site is not None:
        from ..inbox.locations import default_journal_path, site_journal_path

        # another folder than the site's named by --inbox: its own journal, not the site's
        journal = str(site_journal_path(app.config.site, Path(drop_folder)) or default_journal_path(Path(drop_folder)))
    settings = _settings(app, host=host, port=port, drop_folder=Path(drop_folder) if drop_folder else None,
                         journal=Path(journal) if journal else None)
    from ..registry.location import check_usable

    check_usable(app.config)  # no site, or the site's registry missing or replaced: refused before listening
    from ..web.app import create_app
    from ..web.settings import WebError

    try:
        wsgi = create_app(app.config, settings, lang=get_lang())
    except WebError as exc:
        click.echo(exc.message, err=True)
        sys.exit(ExitCode.FINDINGS if exc.code == "needs_auth" else ExitCode.CONFIG)
    _announce(app, settings, wsgi)
    _daily_backups(app.config)
    import waitress

    from ..web.console import console_logging
    from ..web.workload import few_arenas

    console_logging()
    few_arenas()  # before waitress starts its threads (web/workload.py)
    _stop_like_ctrl_c()
    stopped = False
    try:
        # waitress drops X-Forwarded-* itself unless the trusted proxy's are to be read (web/security.py)
        waitress.serve(wsgi, host=settings.host, port=settings.port, threads=8, ident="kyotei",
                       clear_untrusted_proxy_headers=not settings.behind_https_proxy, _quiet=True)
        stopped = True
    except KeyboardInterrupt:  # a stop before waitress was listening
        stopped = True
    except OSError as exc:
        click.echo(say(_MSG, "port_busy", port=settings.port, detail=exc.strerror or exc), err=True)
        sys.exit(ExitCode.FINDINGS)
    finally:
        _ignore_stop_signals()  # a second Ctrl+C or SIGTERM must not break the clean-up below
        if stopped:
            click.echo(say(_MSG, "stopping"), err=True)
        jobs = wsgi.extensions["kyotei"].pdf_jobs()
        if jobs is not None:  # a PDF being published ends first; LibreOffice and .work/pdf-… go
            jobs.close(wait=STOP_SECONDS)
    click.echo(say(_MSG, "stopped"), err=True)


#: how long a stop waits for the background PDF job to clean up after LibreOffice is ended
STOP_SECONDS = 15.0


def _daily_backups(cfg: object) -> None:
    """The site's registry into backups/ once a day while the screen runs (registry/backups.py), checked hourly."""
    if getattr(cfg, "site", None) is None:
        return
    import threading

    from ..registry.backups import daily
    from ..registry.errors import RegistryError

    def loop() -> None:
        while True:
            try:
                made = daily(cfg)
                if made is not None:
                    click.echo(say(_MSG, "backup_made", path=made), err=True)
            except (RegistryError, OSError) as exc:
                click.echo(say(_MSG, "backup_failed", detail=getattr(exc, "message", None) or exc), err=True)
            threading.Event().wait(3600)

    threading.Thread(target=loop, name="kyotei-daily-backup", daemon=True).start()


def _stop_like_ctrl_c() -> None:
    """A service's stop (SIGTERM; Ctrl+Break on Windows) ends the server as Ctrl+C does, so the
    background PDF job is closed (``finally`` above) instead of the process vanishing mid-write."""
    import signal

    from ..oskit import stop_signals

    def interrupt(signum: int, frame: object) -> None:
        _ignore_stop_signals()  # one stop is enough: the next signal must not interrupt the clean-up
        raise KeyboardInterrupt

    for sig in stop_signals():
        signal.signal(sig, interrupt)


def _ignore_stop_signals() -> None:
    import signal

    from ..oskit import stop_signals

    for sig in stop_signals():
        try:
            signal.signal(sig, signal.SIG_IGN)
        except (ValueError, OSError):  # pragma: no cover - not the main thread
            pass


def _announce(app: App, settings: object, wsgi: object) -> None:
    from ..registry.store import registry_path
    from ..web.app import Site
    from ..web.settings import WebSettings

    assert isinstance(settings, WebSettings)
    site: Site = wsgi.extensions["kyotei"]  # type: ignore[attr-defined]
    for line in start_lines(settings):
        click.echo(line)
    click.echo(say(_MSG, "registry", path=registry_path(app.config).resolve()))
    if settings.drop_folder:
        click.echo(say(_MSG, "folder", path=Path(settings.drop_folder).resolve()))
    else:
        click.echo(say(_MSG, "no_folder"))
    mode = site.auth_mode()
    if mode == "proxy":
        click.echo(say(_MSG, "mode_proxy", header=settings.proxy_user_header,
                       addresses=", ".join(settings.proxy_addresses)))
    elif mode == "users":
        click.echo(say(_MSG, "mode_users", path=settings.users_file, n=len(site.users.users())))
    else:
        from ..registry.lifecycle import default_actor

        click.echo(say(_MSG, "mode_local", user=default_actor()))


def start_lines(settings: object) -> list[str]:
    """What the start says about where to open the screen: an address staff can type
    (never ``0.0.0.0``), and a warning when other PCs reach it over plain HTTP."""
    from ..web.settings import WebSettings, this_pc_names

    assert isinstance(settings, WebSettings)
    scheme_note = settings.secure

    def url(host: str) -> str:
        return f"http://{f'[{host}]' if ':' in host else host}:{settings.port}/"

    if settings.local_only:
        return [say(_MSG, "open", url=url("127.0.0.1" if settings.host.lower() == "localhost" else settings.host))]
    lines = [say(_MSG, "open", url=url("127.0.0.1"))]
    if settings.allowed_hosts:
        others = [h for h in settings.allowed_hosts if h not in ("localhost", "127.0.0.1", "::1")]
    elif settings.wildcard:
        import socket

        names = this_pc_names()
        others = [socket.gethostname()] + sorted(n for n in names if n.count(".") == 3 and not n.startswith("127."))
    else:
        others = [settings.host]
    if others:
        lines.append(say(_MSG, "open_others", urls="  ".join(dict.fromkeys(url(h) for h in others))))
    if not scheme_note:
        lines.append(say(_MSG, "plain_http"))
    return lines


@serve.command()
@click.argument("name")
@click.option("--role", type=click.Choice(["担当", "閲覧", "change", "read"]), default="閲覧", show_default=True,
              help="権限: 担当（change）は変更でき、閲覧（read）は見るだけです。Role.")
@click.option("--password-stdin", is_flag=True, help="パスワードを標準入力の1行目から読みます。Read the password from stdin.")
@click.pass_obj
def adduser(app: App, name: str, role: str, password_stdin: bool) -> None:
    """画面にログインできる利用者を追加します（Add a user who may sign in）。

    Writes NAME, its role and an argon2 hash of the password (asked twice) to the
    users file ([web] users_file, default kyotei-users.toml next to the configuration
    file). Adding an existing NAME changes its password and role.
    """
    from ..web.settings import WebError, parse_role
    from ..web.users import ROLE_LABELS, check_name, hash_password, save_user

    settings = _settings(app)
    try:
        name = check_name(name)
    except WebError as exc:
        click.echo(exc.message, err=True)
        sys.exit(ExitCode.USAGE)
    if password_stdin or not sys.stdin.isatty():
        # piped (a script, a scheduled task): the first line, quietly — getpass would print an English
        # echo warning and prompts nobody sees; a second line, if there is one, must repeat it
        password = sys.stdin.readline().rstrip("\r\n")
        again = sys.stdin.readline().rstrip("\r\n") if not password_stdin else ""
        if again and again != password:
            click.echo(say(_MSG, "password_mismatch"), err=True)
            sys.exit(ExitCode.FINDINGS)
    else:
        password = click.prompt(say(_MSG, "password", name=name), hide_input=True)
        again = click.prompt(say(_MSG, "password_again"), hide_input=True)
        if again != password:
            click.echo(say(_MSG, "password_mismatch"), err=True)
            sys.exit(ExitCode.FINDINGS)
    if len(password) < MIN_PASSWORD:
        click.echo(say(_MSG, "password_short", n=MIN_PASSWORD), err=True)
        sys.exit(ExitCode.FINDINGS)
    canonical = parse_role(role)
    try:
        new = save_user(settings.users_file, name, canonical, hash_password(password))
    except WebError as exc:
        click.echo(exc.message, err=True)
        sys.exit(ExitCode.CONFIG)
    except OSError as exc:
        click.echo(f"{settings.users_file}: {exc.strerror or exc}", err=True)
        sys.exit(ExitCode.CONFIG)
    if not new:  # a changed password signs the user out everywhere, at once
        from ..web.sessions import end_user_sessions

        try:
            end_user_sessions(settings.users_file, name)
        except (OSError, sqlite3.Error):
            pass  # the server ends them itself on their next request (the password mark differs)
    label = ROLE_LABELS[canonical][0]
    click.echo(say(_MSG, "added" if new else "replaced", name=name, role=label, path=settings.users_file))
    click.echo(say(_MSG, "next_user"))
