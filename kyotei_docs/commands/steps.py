"""``kyotei registry judge / sheet / step / notify / press``: the guideline's steps before signing.

Thin over the step services (cases/judging.py, cases/flow.py, cases/notices.py,
cases/press.py): each command names the case, calls one service and says what
was recorded, what was written where, and what to do next.  The same services
serve the case page of ``kyotei serve``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..exitcodes import ExitCode
from ..i18n import Catalog, say
from . import App
from .params import DATE
from .registry import (
    _actor,
    _actor_option,
    _confirm,
    _emit,
    _json_option,
    _open,
    _registry_option,
    _today,
    _yes_option,
    registry,
)

MESSAGES: Catalog = {
    "sheet_head": ("検討票（ガイドライン2(2)）: {done} / {total} 項目が判断済み", "Judgement sheet (2(2)): {done} of {total} judged"),
    "sheet_row": ("  [{state}] {text}{note}", "  [{state}] {text}{note}"),
    "sheet_ok": ("  → 締結できます（すべて適合・該当なし）。", "  → may be signed (every item met or not applicable)."),
    "sheet_open": ("  → 未了 {n} 件: 締結の前に判断を記録してください（kyotei registry judge {id}）。",
                   "  → {n} open: record them before signing (kyotei registry judge {id})."),
    "flow_head": ("流れ: {flow}", "Flow: {flow}"),
    "flow_none": ("流れ: 種別が決まっていないため表示できません（種別を訂正すると表示されます）。",
                  "Flow: the type is not settled yet (correct it to see the flow)."),
    "flow_row": ("  {mark} {label}{when}", "  {mark} {label}{when}"),
    "flow_done": ("（{date} {actor}）", " ({date} {actor})"),
    "flow_expected": ("（目安 {date}）", " (expected by {date})"),
    "flow_late": ("（目安 {date}・遅れ）", " (expected by {date}: LATE)"),
    "flow_current": ("  現在の段階: {label}", "  Now: {label}"),
    "flow_key": ("　[{step}]", "  [{step}]"),
    "flow_signed": ("  締結済みです（流れは完了しました）。", "  Signed: the flow is complete."),
    "next_record_step": ("次にすること: 段階を終えたら kyotei registry step {id} {step} --date 日付 で記録します（[ ] 内が段階の名前）。",
                  "Next: when a step is done, record it with kyotei registry step {id} {step} --date DATE "
                  "(the step names are in [ ])."),
    "judged": ("協定ID {id} の検討票に {n} 項目の判断を記録しました。", "Recorded {n} judgement(s) on case {id}."),
    "ask_item": ("判断（{states}、空欄で飛ばす）", "Judgement ({states}; blank to skip)"),
    "ask_note": ("備考（任意）", "Note (optional)"),
    "no_tty": ("判断する項目を --item 項目=状態 で指定するか、会議で判断した場合は --all-clear --yes を付けてください。"
               "項目の一覧は上のとおりです。", "Name judgements with --item KEY=STATE, or --all-clear --yes for a case "
               "judged in a meeting. The items are listed above."),
    "bad_item": ("--item は 項目=状態 の形で書いてください（例: c2_feasible=確認中:計画書待ち）: {value}",
                 "Write --item as KEY=STATE[:NOTE] (e.g. c2_feasible=pending:waiting for the plan): {value}"),
    "next_judge_rest": ("次にすること: 残りの項目を kyotei registry judge {id} で判断してください（会議でまとめて判断した場合は --all-clear）。",
                        "Next: judge the remaining items with kyotei registry judge {id} (--all-clear for a meeting's)."),
    "next_judged": ("次にすること: 決裁に添付する検討票は kyotei registry sheet {id} --pdf で作成できます。",
                    "Next: make the sheet for the internal approval with kyotei registry sheet {id} --pdf."),
    "wrote": ("作成しました: {path}", "Wrote: {path}"),
    "next_sheet": ("次にすること: 検討票を決裁に添付してください。", "Next: attach the sheet to the internal approval."),
    "next_sheet_open": ("次にすること: 残りの項目を kyotei registry judge {id} で判断し、検討票を作り直してから決裁に添付してください。",
                        "Next: judge the open items with kyotei registry judge {id}, make the sheet again, then attach it "
                        "to the internal approval."),
    "stepped": ("協定ID {id} の「{label}」を記録しました（{date}）。", "Recorded {label!r} on case {id} ({date})."),
    "unstepped": ("協定ID {id} の「{label}」の記録を取り消しました（履歴には残ります）。",
                  "Withdrew the record of {label!r} on case {id} (kept in the history)."),
    "next_step": ("次の段階: {label}", "Next step: {label}"),
    "notified": ("地域活動推進課への連絡を作成し、送付済みとして記録しました（{date}）:",
                 "Wrote the notice to the coordinating section and recorded it as sent ({date}):"),
    "next_notified": ("次にすること: .eml ファイルを開き、宛先を確認して送信してください（メールソフトで下書きとして開きます）。",
                      "Next: open the .eml file, check the address and send it (it opens as a draft)."),
    "meetings_head": ("協議の記録: {n} 件", "Meetings: {n}"),
    "meeting_row": ("  {date} {kind}（{who}）: {notes}{next}", "  {date} {kind} ({who}): {notes}{next}"),
    "meeting_next": (" → 次の対応: {text}", " → next: {text}"),
    "met": ("協定ID {id} に{kind}（{date}）を記録しました。", "Recorded a {kind} on case {id} ({date})."),
    "next_intent": ("次にすること: 調査票を各部局に送り、返ってきた票を kyotei registry intent import {id} ファイル… --record で取り込んでください。",
                    "Next: send the sheets; import the returned ones with kyotei registry intent import {id} FILE… --record."),
    "intent_head": ("意向調査: {asked} 部局に調査、{answered} 部局が回答", "Survey: {asked} asked, {answered} answered"),
    "intent_row": ("  {department}: {wish}　{contents}", "  {department}: {wish}  {contents}"),
    "intent_preview": ("確認のみ: {n} 部局の回答を読み取りました（記録していません）。記録するには --record を付けてください。",
                       "Preview: {n} answer(s) read, nothing recorded. Add --record to record them."),
    "intent_recorded": ("協定ID {id} に {n} 部局の回答を記録しました。", "Recorded {n} answer(s) on case {id}."),
    "next_summary": ("次にすること: とりまとめを三者協議の資料にしてください（kyotei registry meeting {id} --kind 三者協議 で記録）。",
                     "Next: use it for the three-party consultation (record it with kyotei registry meeting {id})."),
    "draft_sent": ("協定ID {id} の協定書（案）第{n}版を作成し、送付として記録しました。企業等へ確認を依頼してください。",
                   "Wrote draft version {n} of case {id} and recorded it as sent; ask the organisation to check it."),
    "draft_received": ("協定ID {id} の返送を第{n}版として記録しました（前の版と比べて {changed} 条に変更）:",
                       "Recorded the returned draft of case {id} as version {n} ({changed} article(s) changed):"),
    "next_draft": ("次にすること: 変更を確認し、合意した版を kyotei registry draft confirm {id} {n} で内容確定にしてください"
                   "（さらに修正する場合は draft send で次の版を作成）。",
                   "Next: check the changes; confirm the agreed version with kyotei registry draft confirm {id} {n}."),
    "draft_confirmed": ("協定ID {id} の協定書（案）第{n}版を内容確定にしました（連携事項 {items} 件）。",
                        "Confirmed draft version {n} of case {id} ({items} items)."),
    "next_confirmed": ("次にすること: 締結日が決まったら kyotei sign {id} --date 締結日（確定した連携事項で様式２を作成）。",
                       "Next: once the date is set, kyotei sign {id} --date DATE (Form 2 with the confirmed items)."),
    "warning": ("注意: {text}", "Warning: {text}"),
    "drafts_head": ("協定書（案）: {n} 版", "Draft agreement: {n} version(s)"),
    "draft_row": ("  第{n}版 {way} {date} {file}{mark}", "  version {n} {way} {date} {file}{mark}"),
    "way_sent": ("送付", "sent"),
    "way_returned": ("返送", "returned"),
    "draft_mark": ("（内容確定）", " (confirmed)"),
    "next_press": ("次にすること: 内容を確認し、市政記者クラブへ提供してください。", "Next: check it and send it to the press club."),
}


def _say(key: str, **params: object) -> str:
    return say(MESSAGES, key, **params)


def _case_dir(app: App, case: Any, out: str | None) -> Path:
    """Where a case's documents go: ``--out``, else the case's own documents folder (registry/documents.py)."""
    from ..registry.documents import default_out_dir

    return Path(out) if out else default_out_dir(case.agreement, None, app.config)


def sheet_lines(cfg: Any, case: Any) -> list[str]:
    """The judgement sheet as ``show`` prints it."""
    from ..cases.judging import blocking, judgement, short, state_label

    states = judgement(cfg, case.events)
    if not states:
        return []
    open_items = blocking(states)
    lines = [_say("sheet_head", done=sum(1 for s in states if s.answer), total=len(states))]
    for s in states:
        note = f"（{s.answer.note}）" if s.answer and s.answer.note else ""
        # an item still in the way names its key, what `judge --item KEY=状態` takes
        key = "" if s.fine else _say("flow_key", step=s.item.key)
        lines.append(_say("sheet_row", state=state_label(s.state), text=short(s.item.text, 48), note=note) + key)
    lines.append(_say("sheet_open", n=len(open_items), id=case.id) if open_items else _say("sheet_ok"))
    return lines


def flow_lines(cfg: Any, case: Any, today: date) -> list[str]:
    """The flow with each step's record, expected date and lateness, as ``show`` prints it."""
    from ..cases.flow import SIGNED, kind_label, progress

    p = progress(cfg, case.agreement, case.events, today)
    if p.flow is None:
        return [_say("flow_none")]
    lines = [_say("flow_head", flow=kind_label(p.flow))]
    for s in p.steps:
        if s.done_on:
            when = _say("flow_done", date=s.done_on.isoformat(), actor=s.actor or "").replace(" ）", "）")
        elif s.expected:
            when = _say("flow_late" if s.late else "flow_expected", date=s.expected.isoformat())
        else:
            when = ""
        # the name to type for `registry step` on every step still to record (the signing is `kyotei sign`)
        if not s.done_on and not p.signed and s.step.key != SIGNED:
            when += _say("flow_key", step=s.step.key)
        lines.append(_say("flow_row", mark="☑" if s.done_on else "☐", label=s.step.label, when=when))
    if p.signed:
        lines.append(_say("flow_signed"))
    elif p.current:
        lines.append(_say("flow_current", label=p.current.step.label))
    return lines


def meeting_lines(case: Any) -> list[str]:
    from ..cases.meetings import kind_label, meetings

    found = meetings(case.events)
    if not found:
        return []
    lines = [_say("meetings_head", n=len(found))]
    for m in found:
        lines.append(_say("meeting_row", date=m.on_date.isoformat(), kind=kind_label(m.kind),
                          who="、".join(m.attendees) or m.actor, notes=m.notes,
                          next=_say("meeting_next", text=m.next_action) if m.next_action else ""))
    return lines


def intent_lines(case: Any) -> list[str]:
    from ..cases.intent import answers

    asked, latest = answers(case.events)
    if not asked and not latest:
        return []
    lines = [_say("intent_head", asked=len(asked), answered=len(latest))]
    lines += [_say("intent_row", department=d, wish=latest[d].wish if d in latest else "未回答",
                   contents=latest[d].contents[:60] if d in latest else "") for d in asked + [x for x in latest if x not in asked]]
    return lines


def draft_lines(case: Any) -> list[str]:
    from ..cases.drafts import confirmed, versions

    found = versions(case.events)
    if not found:
        return []
    done = confirmed(case.events)
    lines = [_say("drafts_head", n=len(found))]
    lines += [_say("draft_row", n=v.number, way=_say(f"way_{v.direction}"), date=v.on_date.isoformat(), file=v.file,
                   mark=_say("draft_mark") if v.number == done else "") for v in found]
    return lines


def steps_json(cfg: Any, case: Any, today: date) -> dict[str, Any]:
    from ..cases.drafts import confirmed, versions
    from ..cases.flow import progress
    from ..cases.intent import answers
    from ..cases.judging import blocking, judgement
    from ..cases.meetings import meetings

    asked, latest = answers(case.events)
    states = judgement(cfg, case.events)
    return {"judgement": {"items": [s.to_json() for s in states], "complete": not blocking(states)},
            "flow": progress(cfg, case.agreement, case.events, today).to_json(),
            "meetings": [m.to_json() for m in meetings(case.events)],
            "intent": {"asked": asked, "answers": [a.to_json() for a in latest.values()]},
            "drafts": {"versions": [{"version": v.number, "direction": v.direction, "on_date": v.on_date.isoformat(),
                                     "file": v.file} for v in versions(case.events)],
                       "confirmed": confirmed(case.events)}}


def _parse_items(raw: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    answers: dict[str, tuple[str, str]] = {}
    for value in raw:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip() or not rest.strip():
            click.echo(_say("bad_item", value=value), err=True)
            sys.exit(ExitCode.USAGE)
        state, _, note = rest.partition(":")
        answers[key.strip()] = (state.strip(), note.strip())
    return answers


def _ask(cfg: Any, case: Any) -> dict[str, tuple[str, str]]:
    """Item by item on a terminal: the question, its current state, the state to record and a note."""
    from ..cases.judging import MESSAGES as J
    from ..cases.judging import STATES, judgement, state_label

    answers: dict[str, tuple[str, str]] = {}
    for s in judgement(cfg, case.events):
        click.echo(f"\n{s.item.group}\n  {s.item.text}\n  （現在: {state_label(s.state)}）")
        words = " / ".join(say(J, st) for st in STATES[s.item.kind])
        word = click.prompt(_say("ask_item", states=words), default="", show_default=False).strip()
        if word:
            answers[s.item.key] = (word, click.prompt(_say("ask_note"), default="", show_default=False))
    return answers


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.option("--item", "items", multiple=True, metavar="項目=状態[:備考]",
              help="1項目の判断（繰り返し可。状態: 適合・不適合・該当なし・該当・確認中）。KEY=STATE[:NOTE].")
@click.option("--all-clear", is_flag=True,
              help="指定しなかった全項目を適合・該当なしとして記録（会議で判断した場合）。Every other item met/clear.")
@click.option("--note", default="", help="--all-clear の備考（例: 令和8年12月7日 部内協議で判断）。Note for --all-clear.")
@click.option("--date", "on", type=DATE, default=None, help="判断した日（既定: 今日）。Date judged.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def judge(app: App, case_ref: str, items: tuple[str, ...], all_clear: bool, note: str, on: date | None, yes: bool,
          actor: str | None, registry_file: str | None) -> None:
    """検討票（ガイドライン2(2)）の判断を記録（Record the judgement sheet of a case, item by item）。

    項目を指定しないと、端末では1項目ずつ尋ねます。Without --item/--all-clear, asks item by item on a terminal.
    """
    from .. import cases
    from ..cases.judging import record

    cfg = app.config
    answers = _parse_items(items)
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
        if not answers and not all_clear:
            for line in case.headline() + [""] + sheet_lines(cfg, case):
                click.echo(line)
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                click.echo(_say("no_tty"), err=True)
                sys.exit(ExitCode.FINDINGS)
            answers = _ask(cfg, case)
        else:
            _confirm(case, yes)
        case = record(cfg, reg, case.id, answers, all_clear=all_clear, note=note, on=on, actor=actor)
    n = len(cfg.guideline.checklist) if all_clear else len(answers)
    click.echo(_say("judged", id=case.id, n=n))
    for line in sheet_lines(cfg, case):
        click.echo(line)
    from ..cases.judging import blocking, judgement

    click.echo(_say("next_judge_rest" if blocking(judgement(cfg, case.events)) else "next_judged", id=case.id))


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="出力先フォルダ（既定: 案件の書類フォルダ）。Output folder.")
@click.option("--pdf", is_flag=True, help="PDF も作成（LibreOffice）。Also a PDF.")
@_registry_option
@click.pass_obj
def sheet(app: App, case_ref: str, out: str | None, pdf: bool, registry_file: str | None) -> None:
    """検討票を .docx（と PDF）で作成（Write the judgement sheet to attach to the internal approval）。"""
    from .. import cases
    from ..cases.judging import render_sheet

    cfg = app.config
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
    letter = render_sheet(cfg, case, _case_dir(app, case, out), today=_today(app), pdf=pdf)
    _report_letter(letter)
    for line in sheet_lines(cfg, case)[-1:]:
        click.echo(line)
    from ..cases.judging import blocking, judgement

    click.echo(_say("next_sheet_open" if blocking(judgement(cfg, case.events)) else "next_sheet", id=case.id))


def _report_letter(letter: Any) -> None:
    for path in letter.files:
        click.echo(_say("wrote", path=str(Path(path).resolve())))
    for warning in letter.warnings:
        click.echo(warning, err=True)


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.argument("step_key", metavar="STEP", required=False)
@click.option("--date", "on", type=DATE, default=None, help="その段階を行った日（既定: 今日）。Date it happened.")
@click.option("--note", default="", help="備考（例: 第2回協議、出席者）。Note.")
@click.option("--undo", is_flag=True, help="誤って記録した段階を取り消す（履歴には残ります）。Withdraw a wrong record.")
@_json_option
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def step(app: App, case_ref: str, step_key: str | None, on: date | None, note: str, undo: bool, as_json: bool,
         yes: bool, actor: str | None, registry_file: str | None) -> None:
    """協定の種別ごとの流れ（ガイドライン4）の段階を記録・表示（Record or show the steps of the case's flow）。

    STEP を省くと流れと現在の段階を表示します。Without STEP, shows the flow.
    """
    from .. import cases
    from ..cases.flow import SIGNED, check_step, progress
    from ..cases.flow import record as record_step

    cfg = app.config
    today = _today(app)
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
        if step_key:
            check_step(cfg, case.agreement, step_key, on=on or today, today=today)  # a wrong step: before the question
            _confirm(case, yes)
            case = record_step(cfg, reg, case.id, step_key, on=on, note=note, undo=undo, actor=actor)
    if as_json:
        _emit(steps_json(cfg, case, today)["flow"], cfg)
        return
    if step_key:
        label = next((s.label for s in cfg.guideline.flow(progress(cfg, case.agreement, (), today).flow)
                      if s.key == step_key), step_key)
        click.echo(_say("unstepped" if undo else "stepped", id=case.id, label=label,
                        date=(on or today).isoformat()))
    for line in flow_lines(cfg, case, today):
        click.echo(line)
    current = progress(cfg, case.agreement, case.events, today).current
    if current is not None and current.step.key != SIGNED:
        click.echo(_say("next_record_step", id=case.id, step=current.step.key))


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.argument("which", type=click.Choice(["consultation", "signing_date"]))
@click.option("--signing-date", "signing", type=DATE, default=None, help="決まった締結日（signing_date のとき）。The date.")
@click.option("--date", "on", type=DATE, default=None, help="連絡した日（既定: 今日）。Date sent.")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="出力先フォルダ。Output folder.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def notify(app: App, case_ref: str, which: str, signing: date | None, on: date | None, out: str | None, yes: bool,
           actor: str | None, registry_file: str | None) -> None:
    """主軸分野型の地域活動推進課への連絡（協議開始・締結日決定）を作成し記録（Notice to the coordinating section）。"""
    from .. import cases
    from ..cases.notices import notify as make_notice

    cfg = app.config
    today = _today(app)
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
        _confirm(case, yes)
        _notice, files = make_notice(cfg, reg, case.agreement, which, on=on or today, actor=_actor(actor),
                                     today=today, out_dir=_case_dir(app, case, out), signing=signing)
    click.echo(_say("notified", date=(on or today).isoformat()))
    for path in files:
        click.echo("  " + str(Path(path).resolve()))
    click.echo(_say("next_notified"))


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.option("--when", default="", help="締結日時（例: 令和8年12月20日（日）午前10時）。Date and time.")
@click.option("--place", default="", help="場所（例: 市役所総合庁舎 市長室）。Place.")
@click.option("--attendee", "attendees", multiple=True, help="出席者（繰り返し可）。Attendee (repeatable).")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="出力先フォルダ。Output folder.")
@click.option("--pdf", is_flag=True, help="PDF も作成（LibreOffice）。Also a PDF.")
@_registry_option
@click.pass_obj
def press(app: App, case_ref: str, when: str, place: str, attendees: tuple[str, ...], out: str | None, pdf: bool,
          registry_file: str | None) -> None:
    """報道機関への情報提供（市政記者あて）を作成（Write the press information for a signing）。"""
    from .. import cases
    from ..cases.press import render_press

    cfg = app.config
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
    letter = render_press(cfg, case, _case_dir(app, case, out), when=when, place=place, attendees=list(attendees),
                          today=_today(app), pdf=pdf)
    _report_letter(letter)
    click.echo(_say("next_press"))


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.option("--kind", default="協議", show_default=True, help="協議・三者協議・庁内協議。Kind of meeting.")
@click.option("--date", "on", type=DATE, default=None, help="行った日（既定: 今日）。Date held.")
@click.option("--attendee", "attendees", multiple=True, help="出席者（繰り返し可）。Attendee (repeatable).")
@click.option("--notes", default="", help="協議の内容。What was said.")
@click.option("--next", "next_action", default="", help="次の対応。Next action.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def meeting(app: App, case_ref: str, kind: str, on: date | None, attendees: tuple[str, ...], notes: str,
            next_action: str, yes: bool, actor: str | None, registry_file: str | None) -> None:
    """協議・三者協議の記録（日付・出席者・内容・次の対応）（Record a meeting on a case）。"""
    from .. import cases
    from ..cases.meetings import kind_label
    from ..cases.meetings import record as record_meeting

    cfg = app.config
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
        _confirm(case, yes)
        case = record_meeting(cfg, reg, case.id, kind=kind, on=on, attendees=list(attendees), notes=notes,
                              next_action=next_action, actor=actor)
    held = case.events[-1]
    click.echo(_say("met", id=case.id, kind=kind_label(held.detail.get("kind", "")), date=held.on_date.isoformat()))
    for line in meeting_lines(case):
        click.echo(line)


@registry.group()
def intent() -> None:
    """オールラウンド型の意向調査（部局ごとの調査票・回答・とりまとめ）（The departments' survey, 4(2)）。"""


@intent.command("make")
@click.argument("case_ref", metavar="CASE")
@click.option("--deadline", type=DATE, required=True, help="回答期限。Answer deadline.")
@click.option("--department", "chosen", multiple=True,
              help="調査する部局（繰り返し可。既定: 回付表の全部局、地域活動推進課を除く）。Department (repeatable).")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="出力先フォルダ。Output folder.")
@_actor_option
@_registry_option
@click.pass_obj
def intent_make(app: App, case_ref: str, deadline: date, chosen: tuple[str, ...], out: str | None,
                actor: str | None, registry_file: str | None) -> None:
    """部局ごとの意向調査票（Excel）を作成（One survey workbook per department）。"""
    from .. import cases
    from ..cases.intent import make

    cfg = app.config
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
        files = make(cfg, reg, case.id, deadline=deadline, out_dir=_case_dir(app, case, out) / "意向調査",
                     chosen=chosen, actor=actor)
    for path in files:
        click.echo(_say("wrote", path=str(Path(path).resolve())))
    click.echo(_say("next_intent", id=case.id))


@intent.command("import")
@click.argument("case_ref", metavar="CASE")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--record", is_flag=True, help="内容を確かめたうえで記録（なしでは確認だけ）。Record (else preview).")
@_actor_option
@_registry_option
@click.pass_obj
def intent_import(app: App, case_ref: str, files: tuple[str, ...], record: bool, actor: str | None,
                  registry_file: str | None) -> None:
    """記入された意向調査票を読み取り、部局ごとの回答を記録（Read returned sheets; --record records them）。"""
    from .. import cases
    from ..cases.intent import record as record_answers

    cfg = app.config
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
        found = record_answers(cfg, reg, case.id, [Path(f) for f in files], actor=actor, preview=not record)
    for a in found.answers:
        click.echo(_say("intent_row", department=a.department, wish=a.wish, contents=a.contents[:60]))
    click.echo(_say("intent_recorded" if record else "intent_preview", n=len(found.answers), id=case.id))


@intent.command("summary")
@click.argument("case_ref", metavar="CASE")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="出力先フォルダ。Output folder.")
@click.option("--pdf", is_flag=True, help="PDF も作成（LibreOffice）。Also a PDF.")
@_registry_option
@click.pass_obj
def intent_summary(app: App, case_ref: str, out: str | None, pdf: bool, registry_file: str | None) -> None:
    """意向調査のとりまとめ（三者協議用の Word）を作成（The summary for the three-party consultation）。"""
    from .. import cases
    from ..cases.intent import render_summary

    cfg = app.config
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
    _report_letter(render_summary(cfg, case, _case_dir(app, case, out), today=_today(app), pdf=pdf))
    click.echo(_say("next_summary", id=case.id))


@registry.group()
def draft() -> None:
    """協定書（案）の版: 送付・返送の比較・内容確定（Draft agreement versions: send, compare returned, confirm）。"""


@draft.command("send")
@click.argument("case_ref", metavar="CASE")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="出力先フォルダ。Output folder.")
@click.option("--pdf", is_flag=True, help="PDF も作成（LibreOffice）。Also a PDF.")
@_actor_option
@_registry_option
@click.pass_obj
def draft_send(app: App, case_ref: str, out: str | None, pdf: bool, actor: str | None,
               registry_file: str | None) -> None:
    """案件の現在の内容から協定書（案）の次の版を作成（Write the next draft version to send）。"""
    from .. import cases
    from ..cases.drafts import send

    cfg = app.config
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
        number, letter = send(cfg, reg, case.id, out_dir=_case_dir(app, case, out), pdf=pdf, actor=actor)
    _report_letter(letter)
    click.echo(_say("draft_sent", id=case.id, n=number))


@draft.command("receive")
@click.argument("case_ref", metavar="CASE")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@_actor_option
@_registry_option
@click.pass_obj
def draft_receive(app: App, case_ref: str, file: str, actor: str | None, registry_file: str | None) -> None:
    """企業等から返ってきた協定書（案）を前の版と条ごとに比較して記録（Compare a returned draft, article by article）。"""
    from .. import cases
    from ..cases.drafts import MESSAGES as D
    from ..cases.drafts import receive

    cfg = app.config
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
        number, diffs = receive(cfg, reg, case.id, Path(file), actor=actor)
    changed = [d for d in diffs if d.state != "same"]
    click.echo(_say("draft_received", id=case.id, n=number, changed=len(changed)))
    for d in diffs:
        click.echo(f"  {d.key}: {say(D, d.state)}")
        for line in d.lines() if d.state != "same" else []:
            click.echo(f"      {line}")
    click.echo(_say("next_draft", id=case.id, n=number))


@draft.command("confirm")
@click.argument("case_ref", metavar="CASE")
@click.argument("number", type=click.IntRange(1, 999))
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def draft_confirm(app: App, case_ref: str, number: int, yes: bool, actor: str | None,
                  registry_file: str | None) -> None:
    """協定書（案）の版を内容確定とし、その連携事項を締結時の協定書に使う（Confirm a version for signing）。"""
    from .. import cases
    from ..cases.drafts import confirm

    cfg = app.config
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
        _confirm(case, yes)
        case, warnings = confirm(cfg, reg, case.id, number, actor=actor)
    click.echo(_say("draft_confirmed", id=case.id, n=number, items=len(case.items)))
    for w in warnings:
        click.echo(_say("warning", text=w), err=True)
    click.echo(_say("next_confirmed", id=case.id))


@intent.command("answer")
@click.argument("case_ref", metavar="CASE")
@click.option("--department", required=True, help="回答した部局。The department.")
@click.option("--wish", required=True, type=click.Choice(["希望する", "希望しない", "検討中"]), help="連携への意向。Its wish.")
@click.option("--contents", default="", help="希望する連携内容・取組事項。What it wishes.")
@click.option("--contact", default="", help="担当者。Contact.")
@click.option("--note", default="", help="備考。Note.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def intent_answer(app: App, case_ref: str, department: str, wish: str, contents: str, contact: str, note: str,
                  yes: bool, actor: str | None, registry_file: str | None) -> None:
    """電話・メールで受けた部局の回答を入力して記録（Record an answer received by phone or e-mail）。"""
    from .. import cases
    from ..cases.intent import answer

    cfg = app.config
    with _open(app, registry_file) as reg:
        case = cases.get(cfg, reg, case_ref)
        _confirm(case, yes)
        case = answer(cfg, reg, case.id, department=department, wish=wish, contents=contents, contact=contact,
                      note=note, actor=actor)
    click.echo(_say("intent_recorded", n=1, id=case.id))
    for line in intent_lines(case):
        click.echo(line)
