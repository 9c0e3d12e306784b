"""``kyotei remind``: what is due or late after signing, per department; e-mailed when [mail] is set.

Thin over :mod:`kyotei_docs.cases.remind`: it lists the reminders (notice
deadlines, recorded ends, renewals not applied, the results survey, the
consultations of 5(3)) grouped by department, and with ``[mail] host`` set
sends each department one message with what it has not been mailed before.
A ``--today`` that has not come only lists (nothing is mailed).
Exit codes: 0 done, 4 the relay could not be used (what was sent is recorded),
5 registry unusable.
"""

from __future__ import annotations

import sys
from datetime import date

import click

from ..exitcodes import ExitCode
from ..i18n import Catalog, say
from . import App
from .registry import _as_of, _emit, _json_option, _open, _registry_option, _today_option

_MSG: Catalog = {
    "head": ("対応が必要な事項（{today} 現在）: {n}件", "Due or late as of {today}: {n}"),
    "none": ("対応が必要な事項はありません（{today} 現在）。", "Nothing due or late as of {today}."),
    "dept": ("■ {department}（{n}件）", "■ {department} ({n})"),
    "late": ("期限切れ", "late"),
    "days": ("あと{n}日", "{n} days"),
    "over": ("{n}日経過", "{n} days late"),
    "line": ("  {date}（{when}）  {what}  協定ID {id} {partner}", "  {date} ({when})  {what}  case {id} {partner}"),
    "sent": ("メールを送信しました: {department} → {to}（{n}件）", "Mailed {department} → {to} ({n})"),
    "already": ("送信済みのため今回は送らなかった事項: {n}件", "Not mailed again (sent before): {n}"),
    "no_address": ("メールの宛先がない部署（設定の [routing.departments] に email を書いてください）: {names}",
                   "Departments without an e-mail address ([routing.departments] email): {names}"),
    "mail_off": ("メールは送っていません（設定の [mail] host が空です）。", "No e-mail sent ([mail] host is empty)."),
    "mail_error": ("メールの送信に失敗しました: {detail}\n送信できた分だけを記録しました。次の実行で残りを送ります。",
                   "Sending failed: {detail}\nWhat was sent is recorded; the rest goes next time."),
    "next": ("次にすること: 各事項を処理してください（不更新の申出・終了の記録: kyotei registry end、自動更新: "
             "kyotei registry renew、実績調査: kyotei registry survey make、継続協議: kyotei registry reviewed）。",
             "Next: act on each (registry end, registry renew, registry survey make, registry reviewed)."),
}


@click.command()
@click.option("--mail/--no-mail", "mail", default=True, show_default=True,
              help="[mail] が設定されていれば部署ごとにメールを送ります。E-mail when [mail] is configured.")
@_today_option
@_json_option
@_registry_option
@click.pass_obj
def remind(app: App, mail: bool, today: date | None, as_json: bool, registry_file: str | None) -> None:
    """期限の近い・過ぎた事項を部署ごとに表示し、メールで知らせます（Reminders per department）。

    Notice deadlines, recorded ends, renewals not applied, the results survey
    and the consultations of guideline 5(3).  Each thing is mailed to a
    department once; --today later than today only lists.
    """
    from ..cases import remind as reminding
    from ..mail import configured

    day, future = _as_of(app, today)
    with _open(app, registry_file) as reg:
        found = reminding.collect(app.config, reg, today=day)
        report = None
        if mail and not future and configured(app.config) and found:
            report = reminding.send(app.config, reg, found, today=day)
    if as_json:
        _emit({"today": day.isoformat(), "reminders": [r.to_json() for r in found],
               "sent": report.sent if report else {}, "error": report.error if report else None}, app.config)
        sys.exit(ExitCode.CONFIG if report and report.error else ExitCode.OK)
    if not found:
        click.echo(say(_MSG, "none", today=day.isoformat()))
        return
    click.echo(say(_MSG, "head", today=day.isoformat(), n=len(found)))
    for department, items in reminding.by_department(found).items():
        click.echo(say(_MSG, "dept", department=department, n=len(items)))
        for r in items:
            when = say(_MSG, "over", n=-r.days) if r.late else say(_MSG, "days", n=r.days)
            click.echo(say(_MSG, "line", date=r.on.isoformat(), when=when, what=r.what(), id=r.agreement.id,
                           partner=r.agreement.partner_name or "").rstrip())
    if report is not None:
        for department, to in report.sent.items():
            click.echo(say(_MSG, "sent", department=department, to=to, n=len(report.included[department])))
        if report.already:
            click.echo(say(_MSG, "already", n=report.already))
        if report.no_address:
            click.echo(say(_MSG, "no_address", names="、".join(report.no_address)), err=True)
    elif mail and not future and not configured(app.config):
        click.echo(say(_MSG, "mail_off"))
    click.echo(say(_MSG, "next"))
    if report is not None and report.error:
        click.echo(say(_MSG, "mail_error", detail=report.error), err=True)
        sys.exit(ExitCode.CONFIG)
