"""``kyotei registry …`` and ``kyotei sign``: the agreement registry from the command line.

Thin: each command opens the registry, calls one function of
``kyotei_docs.registry`` and prints a Japanese table (English with --lang en)
or JSON.  Every failure is a message and an exit code (:mod:`kyotei_docs.exitcodes`),
never a traceback: a ``RegistryError`` carries its code and the ``kyotei``
group's one handler (:mod:`.failures`) prints it.

0 done · 1 refused, nothing changed · 3 input file unreadable (``add``) ·
5 registry file unusable (missing, damaged, newer, busy, not ours) ·
6 recorded, but Form 2/3 could not be rendered.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from ..exitcodes import ExitCode
from ..i18n import Catalog, say
from . import App
from .params import DATE, FISCAL_YEAR, STATUS, VERDICT

F = TypeVar("F", bound=Callable[..., Any])

_MSG: Catalog = {
    "migrated": ("協定登録簿をスキーマ {old} から {new} に更新しました。更新前のコピー: {backup}",
                 "Upgraded the registry from schema {old} to {new}. Copy of the old file: {backup}"),
    "added": ("登録しました: 協定ID {id}（受付）— {title}", "Registered: agreement {id} (received) — {title}"),
    "added_resubmitted": ("修正版として協定ID {id} の受付内容を更新しました — {title}",
                          "Recorded as the corrected version of agreement {id} — {title}"),
    "added_duplicate": ("このファイルは既に登録されています: 協定ID {id}", "This file is already registered: agreement {id}"),
    "needs_correction": ("注意: この提案書には {n} 件の不備があります（kyotei check で確認し、提案者に修正を依頼してください）。",
                         "Note: this proposal has {n} problem(s) (see kyotei check; ask the proposer to correct them)."),
    "needs_review": ("注意: この案件には原本と照合する要確認の項目が {n} 件あります（kyotei registry show {id} で確認し、"
                     "照合したら kyotei registry confirm {id} 番号）。",
                     "Note: this case has {n} item(s) to compare with the original (see kyotei registry show {id}; "
                     "then kyotei registry confirm {id} NO)."),
    "verdict_now": ("協定ID {id} の判定: {verdict}（未確認の要確認項目 {n} 件）",
                    "Case {id} is now: {verdict} ({n} open review item(s))"),
    "confirmed_item": ("協定ID {id} の要確認の項目 {item} を「原本と照合済み」にしました。",
                       "Review item {item} of case {id} is now checked against the original."),
    "bad_json": ("{path}: 提案データ（JSON）として読めません — {detail}", "{path}: not a proposal JSON — {detail}"),
    "consulting": ("協定ID {id} を「協議中」にしました（{date}）。", "Agreement {id} is now in consultation ({date})."),
    "signed": ("協定ID {id} の締結を記録しました。\n  締結日: {signed}\n  有効期間: {start} 〜 {end}\n  不更新申出期限: {deadline}",
               "Recorded signing of agreement {id}.\n  Signed: {signed}\n  Term: {start} to {end}\n"
               "  Notice deadline: {deadline}"),
    "signed_past": ("満了日を過ぎています。自動更新を反映するには kyotei registry renew を実行してください。",
                    "The term has already expired: run kyotei registry renew to apply the automatic renewals."),
    "rendered": ("様式２・様式３を作成しました:", "Rendered Form 2 / Form 3:"),
    "retired": ("以前の版 {n} 件は {folder} に移しました（上書き・削除はしていません）。",
                "The {n} earlier file(s) were moved to {folder} (nothing overwritten or deleted)."),
    "render_unavailable": ("文書作成機能（kyotei_docs.render）がこの環境にないため、様式２・３は作成していません。登録は完了しています。",
                           "Rendering (kyotei_docs.render) is not installed: Form 2/3 were not rendered. The registry is updated."),
    "render_failed": ("登録は完了しましたが、様式２・３を作成できませんでした: {detail}\n"
                      "原因を直してから kyotei registry render {id} で作成し直してください。",
                      "Recorded, but Form 2/3 could not be rendered: {detail}\n"
                      "Fix the cause, then run kyotei registry render {id}."),
    "render_warning": ("注意: {text}", "Warning: {text}"),
    "ended": ("協定ID {id} の終了を記録しました（{date}、{cause}）。", "Recorded the end of agreement {id} ({date}, {cause})."),
    "ending": ("協定ID {id} の終了予定を記録しました（{date}、{cause}）。その日までは締結中として扱います。",
               "Recorded that agreement {id} ends on {date} ({cause}); it stays in force until then."),
    "result_added": ("実績を登録しました: 実績ID {rid}（協定ID {id}、{fy}、連携事項 {item}）",
                     "Recorded result {rid} (agreement {id}, {fy}, item {item})."),
    "result_removed": ("実績ID {rid} を削除しました（履歴に記録）。", "Removed result {rid} (kept in the history)."),
    "updated": ("協定ID {id} の登録内容を変更しました。", "Updated agreement {id}."),
    "unchanged": ("変更はありません。", "Nothing changed."),
    "exported": ("書き出しました: {paths}（協定 {agreements}件、実績 {results}件）",
                 "Wrote {paths} ({agreements} agreements, {results} results)."),
    "progress_csv": ("CSV を書き出し中（行）", "Writing CSV (rows)"),
    "progress_xlsx": ("Excel ファイルを書き出し中（行）", "Writing .xlsx (rows)"),
    "progress_line": ("{label}: {done:,} / {total:,}", "{label}: {done:,} / {total:,}"),
    "need_target": ("--csv または --xlsx で出力先を指定してください。", "Give --csv FILE or --xlsx FILE."),
    "created": ("空の協定登録簿を作成しました: {path}\n次にすること: 様式１を受付フォルダに置くか kyotei registry add で登録します。",
                "Made an empty registry: {path}\nNext: drop Form 1 files into the drop folder or register one with "
                "kyotei registry add."),
    "backups_kept": ("  サイトのバックアップは新しい {n} 件を残します（{folder}、設定 [registry] backups_keep）。",
                     "  The site keeps its newest {n} backups ({folder}; [registry] backups_keep)."),
    "need_dest": ("バックアップ先（ファイル名またはフォルダ）を指定してください。", "Give the backup's file or folder."),
    "ask_restore": ("現在の協定登録簿を {source} の内容に戻します（現在のものは残します）。よろしいですか？",
                    "Put {source} in place of the current registry (the current one is kept)?"),
    "restored": ("協定登録簿を戻しました: {source} → {path}", "Restored the registry: {source} → {path}"),
    "restored_saved": ("  戻す前の登録簿のコピー: {path}", "  Copy of the registry before the restore: {path}"),
    "restored_replaced": ("  戻す前の登録簿のファイル（そのまま保管）: {path}", "  The file it replaced (kept as it was): {path}"),
    "next_restored": ("次にすること: kyotei registry list で内容を確認し、kyotei watch / kyotei serve を再開してください。",
                      "Next: check with kyotei registry list, then start kyotei watch / kyotei serve again."),
    "backed_up": ("バックアップを作成しました: {path}", "Backup written: {path}"),
    "check_ok": ("協定登録簿 {path}: 問題ありません（スキーマ {version}）。", "Registry {path}: OK (schema {version})."),
    "check_bad": ("協定登録簿 {path} に問題があります:\n{detail}", "Registry {path} has problems:\n{detail}"),
    "where": ("  記録先: {path}", "  Recorded in: {path}"),
    "ask": ("この案件を変更します。よろしいですか？", "Change this case?"),
    "added_other_format": ("同じ提案書の別形式として協定ID {id} に追加しました（現在の提案書は変わりません） — {title}",
                           "Added to case {id} as the same proposal in another format (current proposal unchanged) — {title}"),
    "added_possible": ("協定ID {id} に「同一案件の可能性」として追加しました（現在の提案書は変わりません） — {title}\n"
                       "読み取った値の違いは要確認の項目です（kyotei registry show {id}）。同じ案件なら kyotei registry merge {id}、"
                       "別の案件なら kyotei registry split {id} {file} を実行してください。",
                       "Added to case {id} as possibly the same case (its current proposal is unchanged) — {title}\n"
                       "The values read differently are review items (kyotei registry show {id}). If it is the same "
                       "case run kyotei registry merge {id}; if not, kyotei registry split {id} {file}."),
    "merged": ("協定ID {other} を協定ID {id} に統合しました（1件として数えます）。", "Merged case {other} into case {id} (counted once)."),
    "confirmed": ("協定ID {id} の「同一案件の可能性」のファイルを同一案件として確認しました"
                  "（違いをすべて照合済みにしたファイルは別形式、それ以外は新しい版として現在の提案書になります）。",
                  "Confirmed the possibly-same files of case {id} as the same case (a file whose differences were "
                  "all checked joins as another format; otherwise it becomes the current proposal)."),
    "split": ("「{file}」を協定ID {id} から分離し、新しい案件 協定ID {new} にしました。",
              "Split {file!r} off case {id} into a new case {new}."),
    "items_stored": ("連携事項 {n} 件を協定ID {id} に保存しました:", "Stored {n} item(s) on case {id}:"),
    "warning": ("注意: {text}", "Warning: {text}"),
    "corrected": ("協定ID {id} の {field} を訂正しました: {read} → {value}（読み取った値は履歴に残ります）。",
                  "Corrected {field} of case {id}: {read} → {value} (the value read is kept)."),
    "items_used": ("連携事項（協定ID {id} に保存された {n} 件）:", "Items ({n} stored on case {id}):"),
    "items_default": ("注意: 協定ID {id} には連携事項が保存されていないため、様式２は標準の文言で作成されます。"
                      "協議で決めた連携事項は kyotei registry set {id} --items-file ファイル で保存してください。",
                      "Note: case {id} has no stored items, so Form 2 carries the default wording. Store the "
                      "negotiated items with kyotei registry set {id} --items-file FILE."),
    "old_found": ("注意: 作業フォルダに以前の既定の場所の協定登録簿 {old} があります（使用していません）。"
                  "サイトに取り込むには kyotei site adopt、そのまま移すには kyotei registry move を実行してください。",
                  "Note: there is a registry in the working folder, the earlier default place: {old} (not used). "
                  "Bring it into the site with kyotei site adopt, or move it with kyotei registry move."),
    "where_path": ("協定登録簿: {path}", "Registry: {path}"),
    "where_source_option": ("  （--registry または環境変数 KYOTEI_REGISTRY で指定）", "  (given by --registry or KYOTEI_REGISTRY)"),
    "where_source_config": ("  （設定ファイル {config} の [registry] path で指定）", "  (set by [registry] path in {config})"),
    "where_source_site": ("  （サイト {site} の協定登録簿。{why}）", "  (the registry of site {site}. {why})"),
    "where_source_default": ("  （既定の場所: 利用者ごとのデータフォルダ。変更は設定ファイルの [registry] path で）",
                             "  (the default: the per-user data folder; set [registry] path to change it)"),
    "where_exists": ("  状態: あり（{size:,} バイト）", "  Exists ({size:,} bytes)"),
    "where_missing": ("  状態: まだありません（最初の kyotei registry add または監視フォルダの処理で作成されます）",
                      "  Not created yet (the first kyotei registry add or drop-folder pass creates it)"),
    "where_missing_site": ("  状態: ありません（kyotei registry restore でバックアップから戻すか、kyotei registry create で空の登録簿を作成）",
                           "  Missing (restore a backup with kyotei registry restore, or make an empty one with "
                           "kyotei registry create)"),
    "moved": ("協定登録簿を移動しました: {source} → {target}\n元のファイルは {kept} という名前で残しています（確認後に削除して構いません）。",
              "Moved the registry: {source} → {target}\nThe old file is kept as {kept} (delete it once you have checked)."),
    "move_nothing": ("移動する協定登録簿が作業フォルダ（{cwd}）にありません。移動元は --from ファイル名 で指定できます。",
                     "No registry to move in the working folder ({cwd}); name one with --from FILE."),
    "next_moved": ("次にすること: kyotei registry list で内容を確認してください。",
                   "Next: check it with kyotei registry list."),
    "next_added": ("次にすること: 協議を始めたら kyotei registry consult {id}、締結日が決まったら "
                   "kyotei sign {id} --date 締結日 を実行してください。",
                   "Next: when talks start, run kyotei registry consult {id}; once signed, kyotei sign {id} --date DATE."),
    "next_fix": ("次にすること: 不備を提案者に伝えてください。修正版を同じように登録すると、この協定ID {id} の内容が差し替わります。",
                 "Next: tell the proposer what to correct; registering the corrected file updates agreement {id}."),
    "next_show": ("何も変更していません。内容は kyotei registry show {id} で確認できます。",
                  "Nothing changed. See it with kyotei registry show {id}."),
    "next_consult": ("次にすること: 締結日が決まったら kyotei sign {id} --date 締結日、協議が不成立なら "
                     "kyotei registry end {id} --cause withdrawn --date 日付 --reason 理由 を実行してください。",
                     "Next: once signed, kyotei sign {id} --date DATE; if talks fail, "
                     "kyotei registry end {id} --cause withdrawn --date DATE --reason TEXT."),
    "next_signed": ("次にすること: 連携事業を実施したら kyotei registry results add {id} で実績を登録し、"
                    "不更新申出期限は kyotei registry due で確認してください。",
                    "Next: record results with kyotei registry results add {id}; watch deadlines with kyotei registry due."),
    "next_unrendered": ("様式２・３は kyotei registry render {id} で作成できます。",
                        "Render Form 2/3 with kyotei registry render {id}."),
    "amended": ("協定ID {id} の変更（第{article}条 {title}、{date}）を記録しました（変更ID {mid}）。締結時の協定書の内容はそのまま残ります。",
                "Recorded the amendment of case {id} (article {article} {title}, {date}; amendment {mid}). "
                "The agreement as signed is kept as it was."),
    "amend_written": ("変更協定書を作成しました:", "Wrote the amendment (変更協定書):"),
    "amend_failed": ("変更は記録しましたが、変更協定書を作成できませんでした: {detail}\n"
                     "原因を直してから kyotei registry amend {id} --render-only で作成し直してください。",
                     "Recorded, but the 変更協定書 could not be written: {detail}\n"
                     "Fix the cause, then run kyotei registry amend {id} --render-only."),
    "next_amended": ("次にすること: 変更協定書を確認して相手方と取り交わしてください。ホームページ（様式３）は "
                     "kyotei registry render {id} で現在の連携事項に更新されます。",
                     "Next: check the 変更協定書 and exchange it with the partner; kyotei registry render {id} "
                     "updates the homepage text (Form 3) to the current items."),
    "notice_recorded": ("  解約の通知日: {date}", "  Notice given: {date}"),
    "notice_written": ("解約通知書を作成しました:", "Wrote the notice of termination (解約通知書):"),
    "notice_failed": ("終了は記録しましたが、解約通知書を作成できませんでした: {detail}",
                      "Recorded, but the 解約通知書 could not be written: {detail}"),
    "survey_made": ("{fy}の実績調査票を {n} 件作成しました:", "Wrote {n} results survey workbook(s) for {fy}:"),
    "survey_none": ("{fy}に締結中の協定がないため、調査票は作成していません。", "No agreement in force in {fy}: no workbook written."),
    "next_survey": ("次にすること: 各部署に送り、記入して返してもらったら kyotei registry survey import ファイル… で"
                    "内容を確認し、--record で登録してください。",
                    "Next: send each to its department; when they come back, check them with kyotei registry survey "
                    "import FILE… and record them with --record."),
    "survey_problems": ("取り込めない箇所が {n} 件あります。どの行も登録していません（直して、もう一度取り込んでください）:",
                        "{n} problem(s); nothing was recorded (fix them and import again):"),
    "survey_preview": ("登録する実績 {n} 件（見込み。まだ登録していません）:", "{n} result(s) to record (preview; nothing recorded yet):"),
    "survey_skipped": ("登録済みのため取り込まない行: {dup} 件（同じ実績）、{listed} 件（実績IDのある行）",
                       "Skipped: {dup} already recorded (same result), {listed} listed with a result ID"),
    "survey_record_hint": ("登録するには同じコマンドに --record を付けて実行してください。",
                           "To record them, run the same command with --record."),
    "survey_recorded": ("実績 {n} 件を登録しました（1回の処理で、すべて）。", "Recorded {n} result(s), all in one transaction."),
    "survey_row": ("  {file} {row}行目: 協定ID {id} {fy} 連携事項 {item}  {date}  {title} [{flag}]",
                   "  {file} row {row}: case {id} {fy} item {item}  {date}  {title} [{flag}]"),
    "survey_public": ("公表", "public"), "survey_private": ("非公表", "not public"),
    "survey_nothing": ("登録する実績はありません。", "Nothing to record."),
    "next_survey_recorded": ("次にすること: kyotei registry render 協定ID で様式３（これまでの主な取組）を更新し、"
                             "kyotei registry review で実績のない協定を確認してください。",
                             "Next: kyotei registry render ID updates Form 3's results; kyotei registry review lists "
                             "agreements without results."),
    "reviewed": ("協定ID {id} の継続協議（{fy}の実績なし）の結果を記録しました: {outcome}",
                 "Recorded the consultation of case {id} (no results in {fy}): {outcome}"),
    "next_reviewed_continue": ("次にすること: 今年度の実績を登録してください（kyotei registry results add {id}、または実績調査）。",
                               "Next: record this year's results (kyotei registry results add {id}, or the survey)."),
    "next_reviewed_amend": ("次にすること: 変更協定を kyotei registry amend {id} で記録し、変更協定書を取り交わしてください。",
                            "Next: record the amendment with kyotei registry amend {id}."),
    "next_reviewed_end": ("次にすること: 終了を kyotei registry end {id} --date 終了日 --notice-date 通知日 --reason 理由 で記録してください"
                          "（満了で終える場合は --cause non_renewal）。",
                          "Next: record the end with kyotei registry end {id} (--cause non_renewal at expiry)."),
    "future_preview": ("見込み: 基準日 {day} はまだ来ていない日付（今日は {real}）のため、何も記録せず、その日に"
                       "どうなるかだけを表示しています。記録はその日になってから行ってください。",
                       "Preview: {day} has not come yet (today is {real}), so nothing is recorded; this shows what "
                       "that day would bring. Record it once the day has come."),
    "next_renew": ("次にすること: kyotei registry due で次の期限を確認してください。",
                   "Next: check the coming deadlines with kyotei registry due."),
    "next_ended": ("履歴は kyotei registry show {id} で確認できます。ホームページに掲載している場合は掲載内容を見直してください。",
                   "See the history with kyotei registry show {id}; update the homepage if the agreement is published there."),
    "next_result": ("次にすること: ホームページ（様式３）に反映するには kyotei registry render {id} を実行してください。",
                    "Next: run kyotei registry render {id} to put it on the homepage (Form 3)."),
    "next_updated": ("内容は kyotei registry show {id} で確認できます（様式２・３に反映するには kyotei registry render {id}）。",
                     "See it with kyotei registry show {id} (kyotei registry render {id} updates Form 2/3)."),
    "next_verdict_fix": ("次にすること: 不備が残っています（kyotei registry show {id} の「不備」）。読み取りの誤りなら "
                         "kyotei registry correct で訂正し、提案書の不備なら提案者に伝えて修正版を受付フォルダに置いてください。",
                         "Next: errors remain (see kyotei registry show {id}). Correct a misreading with kyotei registry "
                         "correct; for an error in the proposal, ask the applicant and put the corrected file in the drop folder."),
    "next_verdict_review": ("次にすること: 残りの要確認の項目を原本と照合してください（kyotei registry show {id} で一覧、"
                            "照合したら kyotei registry confirm {id} 番号）。",
                            "Next: compare the remaining review items with the original (kyotei registry show {id}; "
                            "then kyotei registry confirm {id} NO)."),
    "next_verdict_ok": ("次にすること: 2(2)の検討票を記録して（kyotei registry judge {id}）、流れの段階に進んでください"
                        "（kyotei registry show {id}。様式２・３に反映するには kyotei registry render {id}）。",
                        "Next: record the 2(2) checklist (kyotei registry judge {id}) and go on with the steps "
                        "(kyotei registry show {id}; kyotei registry render {id} updates Form 2/3)."),
    "next_export": ("次にすること: Excel で開いてください（CSV はダブルクリックで文字化けせずに開けます）。",
                    "Next: open it in Excel (the CSV opens with a double click, without garbled characters)."),
    "next_backup": ("次にすること: バックアップは別の場所にも保管してください。復元は、このファイルを [registry] path の場所へコピーします。",
                    "Next: keep the backup somewhere else too. To restore, copy it to the [registry] path location."),
    # a site's registry is put back by the command, which keeps the one it replaces (never a copy over it)
    "bad_step": ("「{value}」という段階はありません。段階: {steps}", "No step {value!r}. Steps: {steps}"),
    "next_backup_site": ("次にすること: バックアップは別の場所にも保管してください。戻すときは kyotei watch・kyotei serve を止めてから "
                         "kyotei registry restore {path} を実行します（戻す前の登録簿も残ります）。",
                         "Next: keep the backup somewhere else too. To restore it, stop kyotei watch and kyotei serve and "
                         "run kyotei registry restore {path} (the registry it replaces is kept)."),
}


# --------------------------------------------------------------------------------------
# shared options and error handling
# --------------------------------------------------------------------------------------




def _registry_option(f: F) -> F:
    return click.option("--registry", "registry_file", type=click.Path(dir_okay=False), default=None,
                        envvar="KYOTEI_REGISTRY",
                        help="協定登録簿のファイル（既定: サイトの registry.sqlite3。kyotei registry where で確認）。"
                             "Registry file (default: the site's registry.sqlite3).")(f)


def _actor_option(f: F) -> F:
    return click.option("--actor", default=None, envvar="KYOTEI_ACTOR",
                        help="変更する人の名前（既定: ログインしている利用者名）。Who makes the change.")(f)


def _today_option(f: F) -> F:
    return click.option("--today", type=DATE, default=None, help="基準日（既定: 今日）。Date to work from.")(f)


def _yes_option(f: F) -> F:
    return click.option("--yes", "-y", "yes", is_flag=True,
                        help="確認せずに進めます（画面のない実行では必要）。Go on without asking.")(f)


def _confirm(case: Any, yes: bool) -> None:
    """Show whose case it is, then ask on a terminal; without one go on only with ``--yes``.

    Refusing exits 1 with nothing changed: a typo in an ID must not sign another company.
    """
    for line in case.headline():
        click.echo(line)
    if yes:
        return
    from ..cases.messages import say_case

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo(say_case("not_confirmed"), err=True)
        sys.exit(ExitCode.FINDINGS)
    if not click.confirm(say(_MSG, "ask"), default=False):
        click.echo(say_case("not_confirmed"), err=True)
        sys.exit(ExitCode.FINDINGS)


def _preview(app: App, reg: Any, ref: str, yes: bool) -> Any:
    """The case named by ``ref`` (ID or unique part of the organisation name), shown and confirmed."""
    from .. import cases

    case = cases.get(app.config, reg, ref)
    _confirm(case, yes)
    return case


_CASE_HELP = "the case: its ID, or a unique part of the organisation's name"


def _json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="表ではなく JSON で出力します。JSON instead of a table.")(f)


def _open(app: App, registry_file: str | None, *, create: bool = False) -> Any:
    """Open the registry; a missing one says where it was looked for and mentions an old one in the
    working folder (moved only by ``kyotei registry move``)."""
    from ..registry.errors import RegistryError
    from ..registry.location import locate, old_registry, open_located
    from ..registry.schema import SCHEMA_VERSION

    cfg = app.config
    location = locate(cfg, registry_file)
    old = old_registry(location)
    try:
        reg = open_located(cfg, registry_file, create=create)
    except RegistryError as exc:
        if exc.code == "missing" and old is not None:
            click.echo(say(_MSG, "old_found", old=str(old)), err=True)
        raise
    if old is not None and not create:
        click.echo(say(_MSG, "old_found", old=str(old)), err=True)
    if reg.migrated_from:
        click.echo(say(_MSG, "migrated", old=reg.migrated_from, new=SCHEMA_VERSION,
                       backup=str(reg.migration_backup or "—")), err=True)
    return reg


def _today(app: App) -> date:
    """The city's date (``[municipality] timezone``), whatever the server's clock says."""
    from ..citytime import today

    return today(app.config)


def _as_of(app: App, given: date | None) -> tuple[date, bool]:
    """The day to work from and whether it is still to come (then nothing may be recorded).

    ``--today`` earlier than the city's date re-runs a missed day and records it;
    a later one only previews (issue 19: a rehearsal must never record future renewals).
    """
    real = _today(app)
    day = given or real
    if day > real:
        click.echo(say(_MSG, "future_preview", day=day.isoformat(), real=real.isoformat()), err=True)
        return day, True
    return day, False


def _rules(app: App) -> Any:
    from ..registry.dates import DateRules

    return DateRules.from_config(app.config)


def _actor(actor: str | None) -> str:
    from ..registry.lifecycle import default_actor

    return (actor or "").strip() or default_actor()


def _emit(obj: Any, cfg: Any) -> None:
    """Print ``obj`` as JSON; stored timestamps (keys ending in ``_at``) in the city's time zone."""
    click.echo(json.dumps(_in_city(obj, cfg), ensure_ascii=False, indent=2))


def _in_city(obj: Any, cfg: Any) -> Any:
    from ..citytime import in_city

    if isinstance(obj, dict):
        return {k: in_city(v, cfg) if k.endswith("_at") and isinstance(v, str) else _in_city(v, cfg)
                for k, v in obj.items()}
    if isinstance(obj, list):
        return [_in_city(v, cfg) for v in obj]
    return obj


def _both(d: date | None) -> str:
    from ..era import format_wareki

    return f"{d.isoformat()}（{format_wareki(d, 'ascii')}）" if d else "—"


# --------------------------------------------------------------------------------------
# kyotei registry
# --------------------------------------------------------------------------------------


@click.group()
def registry() -> None:
    """協定登録簿: 受付から締結・更新・終了、年度ごとの実績、Excel 用の書き出し。

    The agreement registry: proposals to agreements, renewals, yearly results, exports.
    Exit codes: 0 done, 1 refused (nothing changed), 3 input unreadable,
    5 registry file unusable, 6 recorded but documents not rendered.
    """


@registry.command()
@_json_option
@_registry_option
@click.pass_obj
def where(app: App, as_json: bool, registry_file: str | None) -> None:
    """協定登録簿の場所を表示（Show which registry file is used, and why; creates nothing）。"""
    from ..registry.location import locate, old_registry

    location = locate(app.config, registry_file)
    old = old_registry(location)
    if as_json:
        _emit(location.to_json() | {"old_in_working_folder": str(old) if old else None}, app.config)
        return
    click.echo(say(_MSG, "where_path", path=str(location.path)))
    site = app.config.site
    click.echo(say(_MSG, f"where_source_{location.source}", config=location.config_file or "—",
                   site=site.root if site else "—", why=site.why() if site else ""))
    if location.path.is_file():
        click.echo(say(_MSG, "where_exists", size=location.path.stat().st_size))
    else:
        click.echo(say(_MSG, "where_missing_site" if location.source == "site" else "where_missing"))
    if old is not None:
        click.echo(say(_MSG, "old_found", old=str(old)))


@registry.command()
@click.option("--from", "source", type=click.Path(dir_okay=False), default=None,
              help="移動する協定登録簿（既定: 作業フォルダの kyotei-registry.sqlite3）。The registry to move.")
@_registry_option
@click.pass_obj
def move(app: App, source: str | None, registry_file: str | None) -> None:
    """以前の場所の協定登録簿を、使用する場所へ移動（Move an old registry to where it is used; only on request）。

    The copy is made with SQLite's backup API and checked; the old file is then
    renamed to NAME.moved-DATE beside itself (kept, never deleted).  Refused if
    a registry already exists at the destination.
    """
    from ..registry.location import DEFAULT_NAME, locate
    from ..registry.location import move as move_registry
    from ..registry.store import busy_seconds

    location = locate(app.config, registry_file)
    src = Path(source) if source else Path.cwd() / DEFAULT_NAME
    if not source and not src.is_file():
        click.echo(say(_MSG, "move_nothing", cwd=str(Path.cwd())), err=True)
        sys.exit(ExitCode.FINDINGS)
    done = move_registry(src, location, busy_seconds=busy_seconds(app.config))
    click.echo(say(_MSG, "moved", source=str(done.source), target=str(done.target), kept=str(done.kept_as)))
    click.echo(say(_MSG, "next_moved"))


@registry.command("list")
@click.option("--status", "statuses", multiple=True, type=STATUS,
              help="この状態の協定だけ（受付・協議中・締結済・更新済・終了予定・終了。繰り返し指定できます。終了予定 = まだ有効）。"
                   "Only these states (received, in_consultation, signed, renewed, ending, ended).")
@click.option("--verdict", "verdicts", multiple=True, type=VERDICT,
              help="この判定の案件だけ（受付可・要確認・要修正。繰り返し指定できます）。Only cases with this verdict "
                   "(ok, review, fix).")
@click.option("--step", "step_key", default=None,
              help="流れの現在の段階がこれの案件だけ（例: survey、consultation）。Only cases now at this step.")
@click.option("--late", is_flag=True, help="流れの段階が目安より遅れている案件だけ。Only cases with a late step.")
@_json_option
@_registry_option
@click.pass_obj
def list_(app: App, statuses: tuple[str, ...], verdicts: tuple[str, ...], step_key: str | None, late: bool,
          as_json: bool, registry_file: str | None) -> None:
    """案件（協定）の一覧（List cases: one row per proposal, whatever files it came in）。"""
    from ..cases.listing import listed, only
    from ..registry.report import cases_table

    if step_key:
        step_key = _step_filter(app.config, step_key)
    with _open(app, registry_file) as reg:
        found = only(listed(app.config, reg, today=_today(app)), statuses, verdicts)
    if step_key:
        found = [x for x in found if (cur := x.progress.current) is not None and cur.step.key == step_key]
    if late:
        found = [x for x in found if x.progress.late]
    if as_json:
        _emit([x.case.agreement.to_json() | {"effective_status": x.case.status, "files": len(x.case.files),
                                             "possibly_same": x.case.possibly_same, "verdict": x.case.verdict_code,
                                             "open_review": len(x.case.open_review),
                                             "step": (cur.step.key if (cur := x.progress.current) else None),
                                             "late_steps": [s.step.key for s in x.progress.late]} for x in found],
              app.config)
    else:
        click.echo(cases_table([x.case for x in found]))


def _step_filter(cfg: Any, text: str) -> str:
    """A step of any flow by its key or its words (「意向調査」); a usage error listing them otherwise — a
    mistyped step listed 「該当なし」 as if no case were at it."""
    pairs = [(s.key, s.label) for flow in cfg.guideline.flows.values() for s in flow]  # a key's words differ by flow
    wanted = text.strip()
    for key, words in pairs:
        if wanted in (key, words):
            return key
    shown: dict[str, str] = {}
    for key, words in pairs:  # each key once, with its words in the first flow that has it, in the flows' order
        shown.setdefault(key, words)
    raise click.BadParameter(say(_MSG, "bad_step", value=text, steps="、".join(f"{k}（{w}）" for k, w in shown.items())),
                             param_hint="--step")


@registry.command()
@click.argument("case_ref", metavar="CASE")
@_json_option
@_registry_option
@click.pass_obj
def show(app: App, case_ref: str, as_json: bool, registry_file: str | None) -> None:
    """案件の詳細・ファイル・履歴・実績（Show one case: CASE is its ID or part of the organisation's name）。"""
    from .. import cases
    from ..registry.report import case_text

    with _open(app, registry_file) as reg:
        case = cases.get(app.config, reg, case_ref)
    rules = _rules(app)
    if as_json:
        a = case.agreement
        data = case.to_json()
        data["agreement"] = data.pop("case")
        data["agreement"]["notice_deadline"] = (rules.deadline(a.expires_on).isoformat()
                                                if a.active and a.auto_renew and a.expires_on else None)
        data.update(_steps.steps_json(app.config, case, _today(app)))
        _emit(data, app.config)
    else:
        click.echo(case_text(case, rules, app.config))
        for line in ["", *_steps.sheet_lines(app.config, case), "", *_steps.flow_lines(app.config, case, _today(app)),
                     *_steps.meeting_lines(case), *_steps.intent_lines(case), *_steps.draft_lines(case)]:
            click.echo(line)


@registry.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_actor_option
@_registry_option
@click.pass_obj
def add(app: App, file: str, actor: str | None, registry_file: str | None) -> None:
    """様式１または proposal.json を登録簿に受付として登録（Register a proposal by hand）。

    For staff not using the drop folder. Registering the same file twice changes nothing.
    """
    import hashlib

    from ..errors import UnreadableError
    from ..pipeline import check_file, check_proposal
    from ..proposal import Proposal

    path = Path(file)
    if not path.is_file():
        raise UnreadableError("not_found", path=str(path))
    cfg = app.config

    limit = cfg.limits.file_bytes
    if path.stat().st_size > limit:  # never read a file of any size into memory to hash it
        raise UnreadableError("too_large", size=f"{path.stat().st_size / 2**20:.0f}", limit=f"{limit / 2**20:.0f}")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    folder = None
    if path.suffix.lower() == ".json":
        try:
            obj = json.loads(data.decode("utf-8-sig"))
            if isinstance(obj, dict) and isinstance(obj.get("proposal"), dict):
                obj = obj["proposal"]  # a .check.json written by kyotei check --out
            if not isinstance(obj, dict):
                raise ValueError("not an object")
            proposal = Proposal.from_json(obj)
        except (ValueError, TypeError, KeyError) as exc:
            click.echo(say(_MSG, "bad_json", path=str(path), detail=str(exc)), err=True)
            sys.exit(ExitCode.UNREADABLE)
        proposal.file = proposal.file or path.name
        result = check_proposal(proposal, cfg)
        folder = str(path.parent.resolve())  # a drafts folder: signed documents go next to it
    else:
        try:
            result = check_file(path, cfg)
        except UnreadableError:
            raise
        except Exception as exc:
            from . import describe_failure

            _, message = describe_failure(exc)
            click.echo(message, err=True)
            sys.exit(ExitCode.UNREADABLE)
    from .. import cases

    with _open(app, registry_file, create=True) as reg:
        done = cases.intake(cfg, reg, result, submission_id=f"manual-{sha[:12]}", sha256=sha, file=path.name,
                            folder=folder, actor=actor)
        case = cases.get(cfg, reg, done.case_id)
    title = case.agreement.title
    if done.outcome == "duplicate":
        click.echo(say(_MSG, "added_duplicate", id=done.case_id))
        click.echo(say(_MSG, "next_show", id=done.case_id))
        return
    key = {"new": "added", "correction": "added_resubmitted", "other_format": "added_other_format",
           "possible": "added_possible"}[done.outcome]
    click.echo(say(_MSG, key, id=done.case_id, title=title, file=path.name))
    click.echo(say(_MSG, "where", path=reg.path))
    if case.needs_correction:
        click.echo(say(_MSG, "needs_correction", n=len(case.errors)))
        click.echo(say(_MSG, "next_fix", id=done.case_id))
    elif case.open_review:
        click.echo(say(_MSG, "needs_review", n=len(case.open_review), id=done.case_id))
    else:
        click.echo(say(_MSG, "next_added", id=done.case_id))


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.option("--date", "on", type=DATE, default=None, help="協議を始めた日（既定: 今日）。Date talks started.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def consult(app: App, case_ref: str, on: date | None, yes: bool, actor: str | None,
            registry_file: str | None) -> None:
    """受付 → 協議中（Record that talks have started; CASE is its ID or part of the organisation's name）。"""
    from .. import cases

    on = on or _today(app)
    with _open(app, registry_file) as reg:
        case = _preview(app, reg, case_ref, yes)
        cases.consult(app.config, reg, case.id, on=on, actor=actor)
    click.echo(say(_MSG, "consulting", id=case.id, date=on.isoformat()))
    click.echo(say(_MSG, "where", path=reg.path))
    click.echo(say(_MSG, "next_consult", id=case.id))


@registry.command()
@click.option("--within", type=click.IntRange(0, 3660), default=60, show_default=True, help="何日先までを表示するか。Days ahead.")
@_today_option
@_json_option
@_registry_option
@click.pass_obj
def due(app: App, within: int, today: date | None, as_json: bool, registry_file: str | None) -> None:
    """近づいている不更新申出期限・満了日（Notice deadlines and expiries coming up）。"""
    from ..registry.queries import due as due_items
    from ..registry.report import due_table

    today, _ = _as_of(app, today)
    rules = _rules(app)
    with _open(app, registry_file) as reg, reg.snapshot() as conn:
        items = due_items(conn, today=today, within=within, rules=rules)
    if as_json:
        _emit([i.to_json() for i in items], app.config)
    else:
        click.echo(due_table(items, today=today, within=within))


@registry.command()
@_today_option
@_json_option
@_actor_option
@_registry_option
@click.pass_obj
def renew(app: App, today: date | None, as_json: bool, actor: str | None, registry_file: str | None) -> None:
    """期限の来た自動更新を反映（Apply automatic renewals that have come due; safe to repeat）。

    --today earlier than today applies what was missed; a later --today only
    shows what that day would bring and records nothing.
    """
    from ..registry.lifecycle import renew_due, renew_preview
    from ..registry.report import renew_text

    today, future = _as_of(app, today)
    with _open(app, registry_file) as reg:
        if future:
            report = renew_preview(reg, today=today, rules=_rules(app))
        else:
            report = renew_due(reg, today=today, actor=_actor(actor), rules=_rules(app))
    if as_json:
        _emit({"preview": report.preview, "ended": report.ended, "renewed": [{"id": r.agreement_id, "starts_on": r.starts_on.isoformat(),
                            "previous_expires_on": r.previous_expiry.isoformat(),
                            "expires_on": r.new_expiry.isoformat()} for r in report.renewed],
               "lapsed": [a.to_json() for a in report.lapsed]}, app.config)
    else:
        click.echo(renew_text(report, today=today))
        if report.renewed and not report.preview:
            click.echo(say(_MSG, "where", path=reg.path))
        click.echo(say(_MSG, "next_renew"))


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.option("--date", "on", type=DATE, required=True,
              help="協定が終了する日（先の日付なら、その日まで有効: 終了予定）。Day the agreement ends.")
@click.option("--reason", required=True, help="終了の理由（履歴に残ります）。Why, in words.")
@click.option("--cause", type=click.Choice(["notice", "non_renewal", "dissolution", "exclusion", "withdrawn",
                                            "other"]), default="notice", show_default=True,
              help="終了の種類: notice = 解約の申出、non_renewal = 不更新の申出、dissolution = 解散・消滅、"
                   "exclusion = 除外事項、withdrawn = 提案の取下げ・不成立。How the agreement ends.")
@click.option("--notice-date", "notice_on", type=DATE, default=None,
              help="解約の申出: 書面で通知した日（終了日の１か月前まで。協定書 第４条第２項）。Day written notice was given.")
@click.option("--by", "by", type=click.Choice(["city", "partner"]), default="city", show_default=True,
              help="解約を通知した側（解約通知書の差出人）。Who gave notice.")
@click.option("--force", is_flag=True,
              help="１か月に満たない期間で合意した終了を記録します（理由は --reason、履歴に残ります）。Agreed shorter period.")
@click.option("--letter/--no-letter", default=True, show_default=True,
              help="解約の申出のとき解約通知書を作成します。Write the 解約通知書.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="解約通知書の書き出し先（既定: 様式２と同じフォルダ）。Folder for the letter.")
@click.option("--pdf/--no-pdf", default=None, help="PDF も作成します（既定: LibreOffice があれば作成）。PDF too.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def end(app: App, case_ref: str, on: date, reason: str, cause: str, notice_on: date | None, by: str, force: bool,
        letter: bool, out_dir: str | None, pdf: bool | None, yes: bool, actor: str | None,
        registry_file: str | None) -> None:
    """協定の終了を記録（Record the end of an agreement, or a withdrawn proposal）。

    Ending on notice (--cause notice, the default) needs --notice-date and one
    month between it and --date (協定書 第４条第２項): a shorter period is refused
    with the earliest end the notice allows, unless --force (agreed; --reason is
    kept).  The 解約通知書 is written beside Form 2.  An agreement already ended,
    or already recorded as ending, is refused.
    """
    from .. import cases
    from ..cases.terminate import NOTICE, write_notice
    from ..registry.model import label

    with _open(app, registry_file) as reg:
        case = _preview(app, reg, case_ref, yes)
        after = cases.end(app.config, reg, case.id, on=on, cause=cause, reason=reason, actor=actor,
                          notice_on=notice_on, force=force)
        written = None
        if letter and cause == NOTICE and after.agreement.notice_on is not None:
            written = write_notice(app.config, reg, after, from_city=by == "city",
                                   out_dir=Path(out_dir) if out_dir else None, pdf=_pdf_wanted(pdf))
    key = "ending" if after.status == "ending" else "ended"
    click.echo(say(_MSG, key, id=case.id, date=on.isoformat(), cause=label(cause)))
    if notice_on is not None:
        click.echo(say(_MSG, "notice_recorded", date=notice_on.isoformat()))
    click.echo(say(_MSG, "where", path=reg.path))
    if written is not None:
        for w in written.warnings:
            click.echo(say(_MSG, "warning", text=w), err=True)
        if written.problem:
            click.echo(say(_MSG, "notice_failed", detail=written.detail), err=True)
            sys.exit(ExitCode.DOCUMENTS)
        click.echo(say(_MSG, "notice_written"))
        for f in written.files:
            click.echo(f"  {f}")
    click.echo(say(_MSG, "next_ended", id=case.id))


@registry.command("set")
@click.argument("case_ref", metavar="CASE")
@click.option("--title", default=None, help="協定名称。Agreement title.")
@click.option("--url", "public_url", default=None, help="公表URL（ホームページの協定のページ）。Public URL.")
@click.option("--note", "notes", default=None, help="備考。Notes.")
@click.option("--department", default=None, help="担当部局・課。Department in charge.")
@click.option("--item", "items", multiple=True, help="連携事項（順に繰り返し指定。すべて置き換えます）。Items, in order.")
@click.option("--items-file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="連携事項のテキストファイル（1行に1項目、kyotei render --items と同じ形式）。Items from a file.")
@click.option("--exempt/--no-exempt", "review_exempt", default=None,
              help="実績のない協定の見直しの対象外にします（有事に備えた協定。--exempt-reason が必要）。Exempt from the review.")
@click.option("--exempt-reason", "exempt_reason", default=None,
              help="対象外にする理由（例: 災害時の物資供給に備えた協定）。Why it is exempt.")
@click.option("--auto-renew/--no-auto-renew", "auto_renew", default=None, help="自動更新の有無。Automatic renewal.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def set_details(app: App, case_ref: str, items_file: str | None, yes: bool, actor: str | None,
                registry_file: str | None, **values: Any) -> None:
    """協定名称・公表URL・連携事項などの変更（Change details; each change is kept in the history）。"""
    from .. import cases

    changes = {k: v for k, v in values.items() if v is not None and v != ()}
    if items_file:
        from ..render.inputs import read_items_file

        changes["items"] = read_items_file(Path(items_file))
    if "items" in changes:
        changes["items"] = [" ".join(str(i).split()) for i in changes["items"] if str(i).strip()]
    if not changes:
        click.echo(say(_MSG, "unchanged"))
        return
    with _open(app, registry_file) as reg:
        case = _preview(app, reg, case_ref, yes)
        after = cases.set_details(app.config, reg, case.id, changes, actor=actor)
    click.echo(say(_MSG, "updated", id=case.id))
    if "items" in changes:
        click.echo(say(_MSG, "items_stored", n=len(after.items), id=case.id))
        for item in after.items:
            click.echo(f"  {item.no}. {item.text}")
    click.echo(say(_MSG, "where", path=reg.path))
    click.echo(say(_MSG, "next_updated", id=case.id))


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.option("--date", "on", type=DATE, default=None,
              help="変更協定の日（この日から効力を生ずる。既定: 今日）。Day the amendment applies.")
@click.option("--item", "items", multiple=True, help="変更後の連携事項（順に繰り返し指定）。New items, in order.")
@click.option("--items-file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="変更後の連携事項のテキストファイル（1行に1項目）。New items from a file.")
@click.option("--article", type=click.IntRange(1, 6), default=None,
              help="変更する条（既定: 2 = 連携・協力事項）。Article of Form 2 to amend.")
@click.option("--new", "new_text", default=None, help="第2条以外: 変更後の条文。The article's new text.")
@click.option("--old", "old_text", default=None, help="第2条以外: 変更前の条文（新旧対照表用）。Its old text.")
@click.option("--reason", default=None, help="変更の理由（履歴に残ります）。Why.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="変更協定書の書き出し先（既定: 様式２と同じフォルダ）。Folder for the document.")
@click.option("--pdf/--no-pdf", default=None, help="PDF も作成します（既定: LibreOffice があれば作成）。PDF too.")
@click.option("--render-only", is_flag=True, help="記録済みの最新の変更の変更協定書だけを作り直します。Re-write the document.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def amend(app: App, case_ref: str, on: date | None, items: tuple[str, ...], items_file: str | None,
          article: int | None, new_text: str | None, old_text: str | None, reason: str | None,
          out_dir: str | None, pdf: bool | None, render_only: bool, yes: bool, actor: str | None,
          registry_file: str | None) -> None:
    """締結した協定の変更（変更協定）を記録し、変更協定書を作成（Amend a signed agreement）。

    The change is its own record (article, old → new, date); the agreement as
    signed stays as it was, results keep the item numbers they were recorded
    under, Form 3 (registry render) shows the current items.
    Exit codes: 0 done, 1 refused (nothing recorded), 6 recorded but not written.
    """
    from ..cases import amend as amending
    from ..registry.amendments import ARTICLES

    new_items: list[str] | None = list(items) if items else None
    if items_file:
        from ..render.inputs import read_items_file

        new_items = read_items_file(Path(items_file))
    target = Path(out_dir) if out_dir else None
    with _open(app, registry_file) as reg:
        case = _preview(app, reg, case_ref, yes)
        if render_only:
            done = amending.render_amendment(app.config, reg, case.id, out_dir=target, pdf=_pdf_wanted(pdf))
        else:
            done = amending.amend(app.config, reg, case.id, on=on or _today(app), items=new_items, article=article,
                                  new_text=new_text, old_text=old_text, reason=reason, actor=actor,
                                  out_dir=target, pdf=_pdf_wanted(pdf))
    m = done.amendment
    if not render_only:
        click.echo(say(_MSG, "amended", id=case.id, article=m.article, title=ARTICLES[m.article],
                       date=m.on_date.isoformat(), mid=m.id))
        click.echo(say(_MSG, "where", path=reg.path))
        if m.changes_items:
            click.echo(say(_MSG, "items_stored", n=len(done.case.items), id=case.id))
            for item in done.case.items:
                click.echo(f"  {item.no}. {item.text}")
    for w in done.warnings:
        click.echo(say(_MSG, "warning", text=w), err=True)
    if done.problem:
        click.echo(say(_MSG, "amend_failed", detail=done.detail, id=case.id), err=True)
        sys.exit(ExitCode.DOCUMENTS)
    click.echo(say(_MSG, "amend_written"))
    for f in done.files:
        click.echo(f"  {f}")
    click.echo(say(_MSG, "next_amended", id=case.id))


@registry.group()
def survey() -> None:
    """年度ごとの実績調査（Excel の調査票を部署ごとに作成し、記入済みのものを一括で取り込む）。"""


@survey.command("make")
@click.option("--fy", type=FISCAL_YEAR, default=None,
              help="調査する年度（令和8年度、R8、2026。既定: 今年度）。Fiscal year (default: this one).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="調査票を書き出すフォルダ（既定: サイトの 実績調査、サイトがなければ作業フォルダの 実績調査）。"
                   "Folder for the workbooks (default: 実績調査 in the site, else in the working folder).")
@click.option("--department", "departments", multiple=True, help="この部署の分だけ（繰り返し可）。Only these departments.")
@_registry_option
@click.pass_obj
def survey_make(app: App, fy: int | None, out_dir: str | None, departments: tuple[str, ...],
                registry_file: str | None) -> None:
    """部署ごとの実績調査票（.xlsx）を作成（One workbook per department: its agreements, items, a row per result）。

    Without ``--out`` the workbooks go into the site (``<site>/実績調査``), like every other document a
    command makes there, not into whatever folder the command was started from.
    """
    from ..cases import survey as surveying
    from ..era import fiscal_year, fiscal_year_said

    year = fy if fy is not None else fiscal_year(_today(app))
    site = getattr(app.config, "site", None)
    folder = Path(out_dir) if out_dir else (Path(site.root) if site is not None else Path()) / "実績調査"
    with _open(app, registry_file) as reg:
        written = surveying.make(app.config, reg, fy=year, out_dir=folder.absolute(), departments=departments)
    label = fiscal_year_said(year)
    if not written:
        click.echo(say(_MSG, "survey_none", fy=label))
        return
    click.echo(say(_MSG, "survey_made", fy=label, n=len(written)))
    for f in written:
        click.echo(f"  {f}")
    click.echo(say(_MSG, "next_survey"))


@survey.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--record", "do_record", is_flag=True,
              help="確認した内容を登録します（なければ確認の表示だけ）。Record (without it: a preview only).")
@_json_option
@_actor_option
@_registry_option
@click.pass_obj
def survey_import(app: App, files: tuple[str, ...], do_record: bool, as_json: bool, actor: str | None,
                  registry_file: str | None) -> None:
    """記入済みの実績調査票を取り込む（Import filled workbooks: a preview, then --record; all or nothing）。

    Every problem is named by file, sheet, row and column; with any problem
    nothing is recorded (exit 1).  Rows already recorded are skipped.
    """
    from ..cases import survey as surveying
    from ..era import fiscal_year_said

    paths = [Path(f) for f in files]
    with _open(app, registry_file) as reg:
        done = (surveying.record(app.config, reg, paths, actor=actor) if do_record
                else surveying.read(app.config, reg, paths))
    if as_json:
        _emit(done.to_json(), app.config)
        sys.exit(ExitCode.FINDINGS if done.problems else ExitCode.OK)
    if done.problems:
        click.echo(say(_MSG, "survey_problems", n=len(done.problems)), err=True)
        for p in done.problems:
            click.echo(f"  - {p}", err=True)
        sys.exit(ExitCode.FINDINGS)
    if done.duplicates or done.listed:
        click.echo(say(_MSG, "survey_skipped", dup=done.duplicates, listed=done.listed))
    if not done.rows:
        click.echo(say(_MSG, "survey_nothing"))
        return
    if not do_record:
        click.echo(say(_MSG, "survey_preview", n=len(done.rows)))
    for r in done.rows:
        when = r.done_on.isoformat() if r.done_on else "—"
        fy = fiscal_year_said(done.years[r.file])
        flag = say(_MSG, "survey_public" if r.public else "survey_private")
        click.echo(say(_MSG, "survey_row", file=r.file, row=r.row, id=r.agreement_id, fy=fy, item=r.item, date=when,
                       title=r.title, flag=flag))
    if not do_record:
        click.echo(say(_MSG, "survey_record_hint"))
        return
    click.echo(say(_MSG, "survey_recorded", n=len(done.recorded)))
    click.echo(say(_MSG, "where", path=reg.path))
    click.echo(say(_MSG, "next_survey_recorded"))


@registry.group()
def results() -> None:
    """年度ごとの連携実績（Results per fiscal year and item）。"""


@results.command("add")
@click.argument("case_ref", metavar="CASE")
@click.option("--fy", type=FISCAL_YEAR, required=True,
              help="年度（令和8年度、R8、2026 のどれでも）。Fiscal year: 令和8年度, R8 or 2026.")
@click.option("--item", type=click.IntRange(1, None), required=True,
              help="連携事項の番号（1, 2, …、協定にある番号）。Item number.")
@click.option("--title", required=True, help="事業名。Title of the work.")
@click.option("--date", "on", type=DATE, default=None, help="実施日。Date it was done.")
@click.option("--content", default=None, help="内容。What was done.")
@click.option("--dept", default=None, help="担当課（既定: 協定の担当部局）。Section in charge.")
@click.option("--public/--private", default=True, show_default=True, help="公表するかどうか（様式３には公表するものだけ載ります）。Public or not.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def results_add(app: App, case_ref: str, fy: int, item: int, title: str, on: date | None,
                content: str | None, dept: str | None, public: bool, yes: bool, actor: str | None,
                registry_file: str | None) -> None:
    """実績を1件登録（Record one result under one of the agreement's items）。"""
    from .. import cases
    from ..era import fiscal_year_said
    from ..registry.lifecycle import check_fiscal_year

    check_fiscal_year(fy)
    with _open(app, registry_file) as reg:
        case = _preview(app, reg, case_ref, yes)
        done = cases.add_result(app.config, reg, case.id, fy=fy, item=item, title=title, on=on, content=content,
                                department=dept, public=public, actor=actor)
    for w in done.warnings:
        click.echo(say(_MSG, "warning", text=w), err=True)
    click.echo(say(_MSG, "result_added", rid=done.result.id, id=case.id, fy=fiscal_year_said(fy),
                   item=item))
    click.echo(say(_MSG, "where", path=reg.path))
    click.echo(say(_MSG, "next_result", id=case.id))


@results.command("remove")
@click.argument("result_id", type=int)
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def results_remove(app: App, result_id: int, yes: bool, actor: str | None, registry_file: str | None) -> None:
    """誤って登録した実績を削除（Remove a mistaken result; the history keeps a copy）。"""
    from .. import cases

    with _open(app, registry_file) as reg:
        _preview(app, reg, str(cases.service.case_of_result(reg, result_id)), yes)
        cases.remove_result(app.config, reg, result_id, actor=actor)
    click.echo(say(_MSG, "result_removed", rid=result_id))
    click.echo(say(_MSG, "where", path=reg.path))


@registry.command()
@click.argument("keep", metavar="CASE")
@click.argument("other", metavar="[OTHER]", required=False)
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def merge(app: App, keep: str, other: str | None, yes: bool, actor: str | None, registry_file: str | None) -> None:
    """二つの案件を一つに（OTHER's files join CASE; without OTHER: confirm CASE's possibly-same files）。

    OTHER must not have been signed; CASE's current proposal stays. OTHER is no
    longer counted (its history is kept).
    """
    from .. import cases

    with _open(app, registry_file) as reg:
        if other is not None:  # said before the questions: two organisations are rarely one proposal
            from ..cases.service import merge_warnings

            for w in merge_warnings(cases.get(app.config, reg, keep), cases.get(app.config, reg, other)):
                click.echo(say(_MSG, "warning", text=w), err=True)
        case = _preview(app, reg, keep, yes)
        if other is not None:
            _preview(app, reg, other, yes)
        after = cases.merge(app.config, reg, case.id, other, actor=actor)
    if other is not None:
        click.echo(say(_MSG, "merged", id=after.id, other=other))
    else:
        click.echo(say(_MSG, "confirmed", id=after.id))
    click.echo(say(_MSG, "where", path=reg.path))
    click.echo(say(_MSG, "next_updated", id=after.id))


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.argument("field", metavar="FIELD")
@click.argument("value")
@click.option("--reason", default=None, help="訂正の理由（訂正と並べて記録されます）。Why, kept beside the correction.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def correct(app: App, case_ref: str, field: str, value: str, reason: str | None, yes: bool, actor: str | None,
            registry_file: str | None) -> None:
    """読み取った値を職員が訂正（Correct one value of the current proposal; what was read is kept）。

    FIELD は画面の項目名（連携協定の種別、電話番号、主軸分野 など）か organization.name などの名前。
    VALUE を "" にすると空欄にします。FIELD is the label shown by check/show or a JSON path of the
    parse contract (organization.name, contact.phone); an empty VALUE ("") clears it.
    """
    from .. import cases
    from ..cases.service import check_correction, correction_field
    from ..registry.report import correction_value
    from ..rules import label_of

    path = correction_field(field)   # a name that is no value is refused before anything is asked
    check_correction(path, value)    # and so is a value that is not one (a 2月30日, a phone 「abc」)
    with _open(app, registry_file) as reg:
        check_correction(path, value, cases.get(app.config, reg, case_ref))  # 「A → A」: said before the question
        case = _preview(app, reg, case_ref, yes)
        after = cases.correct(app.config, reg, case.id, path, value, reason=reason, actor=actor)
    last = after.corrections[-1]
    click.echo(say(_MSG, "corrected", id=after.id, field=label_of(path), read=correction_value(path, last.read_value),
                   value=correction_value(path, last.value)))
    click.echo(say(_MSG, "where", path=reg.path))
    _say_verdict_next(after)


def _say_verdict_next(after: Any) -> None:
    """After a correction or a confirmation: the case's verdict now, and what to do next for it
    (a 要修正 case goes back to the applicant; 要確認 has items left to compare; 受付可 goes on)."""
    from ..cases.verdict import FIX, OK, REVIEW

    verdict = after.verdict
    click.echo(say(_MSG, "verdict_now", id=after.id, verdict=verdict.label if verdict else "—",
                   n=len(after.open_review)))
    key = {FIX: "next_verdict_fix", REVIEW: "next_verdict_review", OK: "next_verdict_ok"}.get(
        verdict.code if verdict else "", "next_updated")
    click.echo(say(_MSG, key, id=after.id))


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.argument("item", metavar="ITEM")
@click.option("--note", default=None, help="照合のメモ（任意。履歴に残ります）。A note, kept with the confirmation.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def confirm(app: App, case_ref: str, item: str, note: str | None, yes: bool, actor: str | None,
            registry_file: str | None) -> None:
    """要確認の項目を「原本と照合済み」にする（Close review item ITEM: compared with the original）。

    ITEM is the item's number as listed by kyotei registry show CASE. Who,
    when and the note are recorded; a value that was read wrongly is corrected
    with kyotei registry correct instead.
    """
    from .. import cases
    from ..cases.service import open_item

    with _open(app, registry_file) as reg:
        case = cases.get(app.config, reg, case_ref)
        open_item(case, item)  # an item that is not there (or closed) is said before the question
        _confirm(case, yes)
        after = cases.confirm(app.config, reg, case.id, item, note=note, actor=actor)
    click.echo(say(_MSG, "confirmed_item", id=after.id, item=item))
    click.echo(say(_MSG, "where", path=reg.path))
    _say_verdict_next(after)


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.argument("file")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def split(app: App, case_ref: str, file: str, yes: bool, actor: str | None, registry_file: str | None) -> None:
    """ファイルを案件から分離して別の案件に（FILE: its name as listed by registry show）。"""
    from .. import cases

    with _open(app, registry_file) as reg:
        case = _preview(app, reg, case_ref, yes)
        new = cases.split(app.config, reg, case.id, file, actor=actor)
    click.echo(say(_MSG, "split", file=file, id=case.id, new=new.id))
    click.echo(say(_MSG, "where", path=reg.path))
    click.echo(say(_MSG, "next_updated", id=new.id))


@registry.command()
@click.option("--fy", type=FISCAL_YEAR, default=None,
              help="確認する年度（令和8年度、R8、2026。既定: 前年度）。Fiscal year to review (default: the last one).")
@_today_option
@_json_option
@_registry_option
@click.pass_obj
def review(app: App, fy: int | None, today: date | None, as_json: bool, registry_file: str | None) -> None:
    """前年度に実績のない協定（Agreements without results in the last fiscal year）。"""
    from ..cases import review as reviewing
    from ..era import fiscal_year
    from ..registry.lifecycle import check_fiscal_year
    from ..registry.report import review_text

    day, _ = _as_of(app, today)
    year = fy if fy is not None else fiscal_year(day) - 1
    check_fiscal_year(year)
    with _open(app, registry_file) as reg:
        report = reviewing.report(app.config, reg, fy=year)
    if as_json:
        _emit(report.to_json(), app.config)
    else:
        click.echo(review_text(report))


@registry.command()
@click.argument("case_ref", metavar="CASE")
@click.option("--fy", type=FISCAL_YEAR, default=None,
              help="実績のなかった年度（既定: 前年度）。The fiscal year without results (default: the last one).")
@click.option("--outcome", type=click.Choice(["continue", "amend", "end"]), required=True,
              help="協議の結果: continue = 継続、amend = 内容を変更して継続、end = 終了。What was decided.")
@click.option("--date", "on", type=DATE, default=None, help="協議した日（既定: 今日）。Day of the consultation.")
@click.option("--note", default=None, help="協議の内容・相手方の意向。What was said.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def reviewed(app: App, case_ref: str, fy: int | None, outcome: str, on: date | None, note: str | None, yes: bool,
             actor: str | None, registry_file: str | None) -> None:
    """実績のない協定の継続協議の結果を記録（Record the outcome of the consultation of guideline 5(3)）。"""
    from ..cases import review as reviewing
    from ..era import fiscal_year, fiscal_year_said
    from ..registry.model import label

    year = fy if fy is not None else fiscal_year(_today(app)) - 1
    with _open(app, registry_file) as reg:
        case = _preview(app, reg, case_ref, yes)
        reviewing.record_outcome(app.config, reg, case.id, fy=year, outcome=outcome, on=on, note=note, actor=actor)
    click.echo(say(_MSG, "reviewed", id=case.id, fy=fiscal_year_said(year),
                   outcome=label(f"outcome_{outcome}")))
    click.echo(say(_MSG, "where", path=reg.path))
    click.echo(say(_MSG, f"next_reviewed_{outcome}", id=case.id))


@registry.command()
@_json_option
@_registry_option
@click.pass_obj
def summary(app: App, as_json: bool, registry_file: str | None) -> None:
    """包括連携協定の種別・状態ごとの件数（Counts for 市民生活部 地域活動推進課）。"""
    from ..registry.queries import summary as summary_counts
    from ..registry.report import summary_text

    with _open(app, registry_file) as reg, reg.snapshot() as conn:
        counts = summary_counts(conn)
    if as_json:
        _emit(counts, app.config)
    else:
        click.echo(summary_text(counts, coordinator=app.config.coordinator.name))


@registry.command()
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None,
              help="協定の一覧を CSV（UTF-8、BOM 付き）で書き出します。実績は <名前>-results.csv に。Agreements as CSV.")
@click.option("--results-csv", "results_file", type=click.Path(dir_okay=False), default=None,
              help="実績の CSV の書き出し先（既定の名前の代わり）。Where the results CSV goes.")
@click.option("--xlsx", "xlsx_file", type=click.Path(dir_okay=False), default=None,
              help="シート「協定」「実績」の Excel ファイルを書き出します。Workbook (.xlsx).")
@click.option("--force", is_flag=True, help="既にあるファイルを置き換えます。Replace existing files.")
@_registry_option
@click.pass_obj
def export(app: App, csv_file: str | None, results_file: str | None, xlsx_file: str | None, force: bool,
           registry_file: str | None) -> None:
    """Excel 用に書き出し（Export agreements and results for Excel: CSV and/or .xlsx）。"""
    from ..registry.export import write_csv, write_xlsx

    if not csv_file and not xlsx_file:
        raise click.UsageError(say(_MSG, "need_target"))
    rules, comma = _rules(app), app.config.comma
    with _open(app, registry_file) as reg:
        reports = []
        if csv_file:
            with _Progress(say(_MSG, "progress_csv")) as progress:
                reports.append(write_csv(reg, csv_file, rules=rules, results_path=results_file, force=force,
                                         comma=comma, progress=progress))
        if xlsx_file:
            with _Progress(say(_MSG, "progress_xlsx")) as progress:
                reports.append(write_xlsx(reg, xlsx_file, rules=rules, force=force, comma=comma,
                                          progress=progress))
    for r in reports:
        click.echo(say(_MSG, "exported", paths=", ".join(str(Path(p).absolute()) for p in r.paths), agreements=r.agreements,
                       results=r.results))
    click.echo(say(_MSG, "next_export"))


class _Progress:
    """Rows written, on stderr, for exports that take a while; stdout stays for the result.

    On a terminal: click's progress bar.  ``KYOTEI_PROGRESS=1`` forces it where stderr is
    not a terminal (a log, a test), as a line at most every two seconds and one at the end;
    ``KYOTEI_PROGRESS=0`` turns it off everywhere.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.err = sys.stderr
        setting = os.environ.get("KYOTEI_PROGRESS", "")
        self.mode = ("off" if setting == "0" else "bar" if self.err.isatty()
                     else "lines" if setting == "1" else "off")
        self._bar: Any = None
        self._last = 0.0
        self._done = self._total = 0

    def __enter__(self) -> Callable[[int, int], None] | None:
        return None if self.mode == "off" else self

    def __call__(self, done: int, total: int) -> None:
        if self.mode == "bar":
            if self._bar is None:
                self._bar = click.progressbar(length=total, label=self.label, show_pos=True, file=self.err)
                self._bar.__enter__()
            self._bar.update(done - self._done)
        elif time.monotonic() - self._last >= 2.0 and done < total:
            self._last = time.monotonic()
            click.echo(say(_MSG, "progress_line", label=self.label, done=done, total=total), err=True)
        self._done, self._total = done, total

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
        elif self.mode == "lines" and exc[0] is None:
            click.echo(say(_MSG, "progress_line", label=self.label, done=self._done, total=self._total),
                       err=True)


@registry.command()
@click.argument("dest", type=click.Path(), required=False)
@_registry_option
@click.pass_obj
def backup(app: App, dest: str | None, registry_file: str | None) -> None:
    """一貫したバックアップを作成（Consistent copy via the SQLite backup API; never overwrites DEST）。

    DEST is a new file name, or an existing folder to put a dated copy in.
    Without DEST, a dated copy goes into the site's backups/ folder and only the
    newest [registry] backups_keep of those are kept (watch and serve make one a day).
    """
    from ..registry.store import backup as backup_to

    if dest is None and not registry_file:
        from ..registry import backups

        if app.config.site is None:
            from ..registry.errors import RegistryError

            raise RegistryError("no_site")
        with _open(app, None) as reg:
            target = backups.make(app.config, reg)
        click.echo(say(_MSG, "backed_up", path=str(target.resolve())))
        click.echo(say(_MSG, "backups_kept", n=app.config.registry.backups_keep, folder=str(target.parent)))
        return
    if dest is None:
        raise click.UsageError(say(_MSG, "need_dest"))
    with _open(app, registry_file) as reg:
        target = backup_to(reg, dest)  # the raw text: a trailing separator names a folder
    click.echo(say(_MSG, "backed_up", path=str(Path(target).resolve())))
    on_site = app.config.site is not None and not registry_file
    click.echo(say(_MSG, "next_backup_site", path=str(Path(target).resolve())) if on_site else say(_MSG, "next_backup"))


@registry.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))  # a missing file: said before the question
@_yes_option
@click.pass_obj
def restore(app: App, source: str, yes: bool) -> None:
    """バックアップから協定登録簿を戻す（Put a backup in place of the site's registry; nothing is lost）。

    SOURCE must be a backup of this site's registry (e.g. a file in the site's
    backups/).  The current registry is first copied into backups/ and moved
    aside as registry.sqlite3.replaced-DATE, so the restore can be undone.
    Stop kyotei watch and kyotei serve first.
    """
    from ..registry.backups import restore as restore_from

    if not yes:
        from ..cases.messages import say_case

        if not (sys.stdin.isatty() and sys.stdout.isatty()) or \
                not click.confirm(say(_MSG, "ask_restore", source=source), default=False):
            click.echo(say_case("not_confirmed"), err=True)
            sys.exit(ExitCode.FINDINGS)
    done = restore_from(app.config, Path(source))
    click.echo(say(_MSG, "restored", source=str(done.source.resolve()), path=str(done.registry)))
    if done.saved:
        click.echo(say(_MSG, "restored_saved", path=str(done.saved)))
    if done.replaced:
        click.echo(say(_MSG, "restored_replaced", path=str(done.replaced)))
    click.echo(say(_MSG, "next_restored"))


@registry.command()
@_registry_option
@click.pass_obj
def create(app: App, registry_file: str | None) -> None:
    """空の協定登録簿を作成（Make a new, empty registry; only on request, never over an existing one）。

    The site's registry is made only by kyotei init and this command: a missing
    one is otherwise refused, never silently replaced by an empty file.  To get
    the records back, restore a backup instead (kyotei registry restore FILE).
    """
    from ..registry.errors import RegistryError
    from ..registry.identity import create_for_site
    from ..registry.location import locate
    from ..registry.store import busy_seconds, open_registry

    cfg = app.config
    location = locate(cfg, registry_file)
    if location.source == "site":
        create_for_site(location.path, cfg.site.id, busy_seconds=busy_seconds(cfg))
    elif location.path.exists():
        raise RegistryError("site_exists", path=str(location.path))
    else:
        open_registry(location.path, create=True, busy_seconds=busy_seconds(cfg)).close()
    click.echo(say(_MSG, "created", path=str(location.path)))


@registry.command()
@_registry_option
@click.pass_obj
def check(app: App, registry_file: str | None) -> None:
    """登録簿ファイルの整合性検査（Integrity check of the registry file）。"""
    from ..registry.schema import SCHEMA_VERSION

    with _open(app, registry_file) as reg:
        verdict = reg.integrity()
    if verdict == ["ok"]:
        click.echo(say(_MSG, "check_ok", path=str(reg.path), version=SCHEMA_VERSION))
        return
    click.echo(say(_MSG, "check_bad", path=str(reg.path), detail="\n".join(verdict[:20])), err=True)
    sys.exit(ExitCode.REGISTRY)


@registry.command("render")
@click.argument("case_ref", metavar="CASE")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="書き出し先のフォルダ（既定: 下書きの隣、または agreements/ID）。Folder for the documents.")
@click.option("--pdf/--no-pdf", default=None,
              help="PDF も作成します（既定: LibreOffice があれば作成）。Also write PDFs.")
@_registry_option
@click.pass_obj
def render_cmd(app: App, case_ref: str, out_dir: str | None, pdf: bool | None, registry_file: str | None) -> None:
    """様式２・３を登録内容（連携事項・締結日・実績）から作り直す（Re-render Form 2/3 from the registry）。"""
    sys.exit(_render(app, case_ref, registry_file, out_dir, pdf))


def _pdf_wanted(pdf: bool | None) -> bool:
    """``--pdf``/``--no-pdf`` as given, else PDFs whenever LibreOffice is installed (as the drop folder does)."""
    if pdf is not None:
        return pdf
    from ..office import soffice_available

    return soffice_available()


def _render(app: App, case_ref: str | int, registry_file: str | None, out_dir: str | None,
            pdf: bool | None) -> int:
    """Render documents for one case with its stored items; the exit code says whether it worked."""
    from .. import cases

    with _open(app, registry_file) as reg:
        case = cases.get(app.config, reg, case_ref)
        _echo_items(case)
        outcome = cases.render(app.config, reg, case.id, out_dir=Path(out_dir) if out_dir else None,
                               pdf=_pdf_wanted(pdf))
    if outcome.problem == "unavailable":
        click.echo(say(_MSG, "render_unavailable"), err=True)
        return ExitCode.OK
    if outcome.problem == "failed":
        click.echo(say(_MSG, "render_failed", detail=outcome.detail, id=case.id), err=True)
        return ExitCode.DOCUMENTS
    click.echo(say(_MSG, "rendered"))
    for f in outcome.files:
        click.echo(f"  {f}")
    if outcome.retired:
        click.echo(say(_MSG, "retired", n=len(outcome.retired), folder=str(outcome.retired[0].parent)))
    for w in outcome.warnings:
        click.echo(say(_MSG, "render_warning", text=w), err=True)
    return ExitCode.OK


def _echo_items(case: Any) -> None:
    """The 連携事項 the documents will carry: the stored ones, or a note that the default wording is used."""
    if case.items:
        click.echo(say(_MSG, "items_used", n=len(case.items), id=case.id))
        for item in case.items:
            click.echo(f"  {item.no}. {item.text}")
    else:
        click.echo(say(_MSG, "items_default", id=case.id), err=True)


# --------------------------------------------------------------------------------------
# kyotei sign
# --------------------------------------------------------------------------------------


@click.command()
@click.argument("case_ref", metavar="CASE")
@click.option("--date", "on", type=DATE, required=True, help="締結日（2026-06-01 や 令和8年6月1日）。Signing date.")
@click.option("--term", type=click.Choice(["fiscal", "one-year"]), default=None,
              help="有効期間: fiscal = その年度の3月31日まで、one-year = 1年間（既定: 設定の [render] term）。Validity.")
@click.option("--correct", is_flag=True, help="締結済みの協定の締結日を訂正します。Correct the signing date.")
@click.option("--force", is_flag=True, help="提案書に不備があっても締結を記録します（--reason が必要）。Sign despite errors.")
@click.option("--reason", default=None, help="--force を使う理由（履歴に残ります）。Why --force is right.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="様式２・３の書き出し先（既定: 下書きの隣、または agreements/ID）。Folder for Form 2/3.")
@click.option("--pdf/--no-pdf", default=None, help="PDF も作成します（既定: LibreOffice があれば作成）。PDFs too.")
@click.option("--no-render", is_flag=True, help="締結の記録だけを行い、様式２・３は作成しません。Only record the signing.")
@_yes_option
@_actor_option
@_registry_option
@click.pass_obj
def sign(app: App, case_ref: str, on: date, term: str | None, correct: bool, force: bool, reason: str | None,
         out_dir: str | None, pdf: bool | None, no_render: bool, yes: bool, actor: str | None,
         registry_file: str | None) -> None:
    """締結を記録し、有効期間を確定して様式２・３を日付入りで作成（Record the signing）。

    CASE is the case's ID or a unique part of the organisation's name; the case
    is shown and confirmed first.  Only a case judged 受付可 with no open review
    item is signed; others are refused (exit 1, nothing recorded) unless
    --force --reason TEXT.  When Form 2/3 cannot be made, nothing is recorded.  The expiry
    follows from the term by the Civil Code rules; Form 2/3 are rendered with
    the date, the stored items and the results recorded so far.
    Exit codes: 0 done, 1 refused, 5 registry unusable, 6 signed but not rendered.
    """
    from .. import cases

    if force and not (reason or "").strip():  # a usage slip: said at once, before any question
        from ..cases.messages import say_case

        raise click.UsageError(say_case("force_needs_reason"))
    rules = _rules(app)
    with _open(app, registry_file) as reg:
        case = _preview(app, reg, case_ref, yes)
        done = cases.sign(app.config, reg, case.id, on=on, term=term, actor=actor, force=force, reason=reason,
                          correct=correct, documents=not no_render)
    a = done.case.agreement
    assert a.expires_on is not None
    click.echo(say(_MSG, "signed", id=a.id, signed=_both(a.signed_on), start=_both(a.period_start),
                   end=_both(a.expires_on),
                   deadline=_both(rules.deadline(a.expires_on)) if a.auto_renew else "—"))
    click.echo(say(_MSG, "where", path=reg.path))
    for w in done.warnings:
        click.echo(say(_MSG, "warning", text=w), err=True)
    if a.expires_on < _today(app):
        click.echo(say(_MSG, "signed_past"))
    if no_render:
        _echo_items(done.case)
        click.echo(say(_MSG, "next_signed", id=a.id))
        click.echo(say(_MSG, "next_unrendered", id=a.id))
        return
    code = _render(app, a.id, registry_file, out_dir, pdf)
    click.echo(say(_MSG, "next_signed", id=a.id))
    sys.exit(code)


# The guideline's steps before signing (judge, sheet, step, notify, press) are commands of this group too.
from . import steps as _steps  # noqa: E402,F401  (registers its commands on ``registry``)
