"""Why the registry refused to do something, in words staff can act on.

Every failure the registry can meet (a damaged file, a file written by a newer
version, a locked database, an impossible state change) becomes a
:class:`RegistryError` with a stable ``code``; commands print its message and
exit with :attr:`RegistryError.exit_code` (``REGISTRY`` for the file itself,
``FINDINGS`` for a refused request; see :mod:`kyotei_docs.exitcodes`), never
with a traceback.
"""

from __future__ import annotations

from ..errors import KyoteiError
from ..exitcodes import ExitCode
from ..i18n import Catalog

MESSAGES: Catalog = {
    # --- the file itself (exit 5, REGISTRY) ---------------------------------------------------
    "missing": ("協定登録簿が見つかりません: {path}\n"
                "別の場所にある登録簿を使う場合は、設定ファイル（kyotei.toml）の [registry] path にそのファイルを書くか、"
                "--registry ファイル名 を付けてください。現在の場所は kyotei registry where で確認できます。"
                "新しく始める場合は、様式１を kyotei registry add で登録すると作成されます。",
                "No agreement registry at {path}.\n"
                "To use a registry elsewhere, set [registry] path in the configuration (kyotei.toml) or give "
                "--registry FILE; kyotei registry where shows where it is looked for. To start a new one, "
                "register a Form 1 with kyotei registry add."),
    "empty_file": ("{path} は空のファイル（0 バイト）のため、協定登録簿として使いません（変更していません）。\n"
                   "誤って作られたファイルであれば削除してください。別の登録簿を使う場合は [registry] path または --registry で指定してください。",
                   "{path} is an empty file (0 bytes); it is not used as the registry and was left unchanged.\n"
                   "Delete it if it was made by mistake, or name another registry with [registry] path or --registry."),
    "move_target_exists": ("移動先 {path} には既に協定登録簿があります。{source} は移動していません（どちらも変更していません）。",
                           "There is already a registry at {path}; {source} was not moved (neither was changed)."),
    "move_same": ("{path} は既に使用中の場所にあります。移動は不要です。", "{path} is already where the registry is used."),
    "move_failed": ("{path} の移動を完了できませんでした（{detail}）。新しい場所のコピーは作成済みです。",
                    "Could not finish moving {path} ({detail}); the copy in the new place was made."),
    "corrupt": ("協定登録簿のファイルが壊れているか、SQLite のデータベースではありません: {path}\n"
                "ファイルはそのまま残しています（上書きしません）。バックアップから復元してください（{detail}）。",
                "The registry file is damaged or not an SQLite database: {path}\n"
                "It has been left untouched (never overwritten). Restore it from a backup ({detail})."),
    "not_registry": ("{path} は kyotei の協定登録簿ではない SQLite ファイルです。変更せずに終了します。",
                     "{path} is an SQLite file but not a kyotei registry; left untouched."),
    "newer": ("協定登録簿 {path} は新しいバージョンの kyotei で作成されています（スキーマ {found}、このプログラムは {known} まで）。\n"
              "kyotei を更新してください。ファイルは変更していません。",
              "The registry {path} was written by a newer kyotei (schema {found}; this program knows up to {known}).\n"
              "Upgrade kyotei. The file has not been changed."),
    "busy": ("協定登録簿 {path} が他の処理（監視フォルダ等）で使用中のため、{seconds} 秒待っても書き込めませんでした。少し待って再実行してください。",
             "The registry {path} stayed busy (another process such as the watcher) for {seconds} s. Try again shortly."),
    "cannot_open": ("協定登録簿 {path} を開けません: {detail}", "Cannot open the registry {path}: {detail}"),
    "readonly": ("協定登録簿 {path} に書き込めません（読み取り専用、または権限がありません）。",
                 "Cannot write to the registry {path} (read-only or no permission)."),
    # --- what was asked (exit 1, FINDINGS) ----------------------------------------------------
    "not_found": ("協定ID {id} は登録されていません。", "No agreement with ID {id}."),
    "bad_transition": ("協定ID {id} は「{current}」のため、「{target}」にはできません。",
                       "Agreement {id} is {current}; it cannot become {target}."),
    "already_signed": ("協定ID {id} は既に締結済みです（締結日 {date}）。締結日を訂正する場合は --correct を付けてください。",
                       "Agreement {id} is already signed (on {date}). Add --correct to correct the signing date."),
    "cannot_correct": ("協定ID {id} は既に更新または終了しているため、締結日を訂正できません。",
                       "Agreement {id} has been renewed or ended; its signing date can no longer be corrected."),
    "date_before": ("{what}（{date}）が{other}（{other_date}）より前になっています。",
                    "{what} ({date}) is before {other} ({other_date})."),
    "no_results_yet": ("協定ID {id} はまだ締結されていないため、実績を登録できません。",
                       "Agreement {id} is not signed yet; results cannot be recorded."),
    "bad_item": ("連携事項の番号 {item} がありません（この協定の連携事項は 1〜{count}）。",
                 "There is no item {item} (this agreement has items 1–{count})."),
    "date_outside_fy": ("実施日 {date} は {fy_label}（{start}〜{end}）に含まれません。",
                        "Date {date} is not in {fy_label} ({start} to {end})."),
    "bad_fy": ("年度 {fy} は扱えません（西暦の開始年で指定してください。例: 令和8年度 → 2026）。",
               "Fiscal year {fy} is not valid (give its starting calendar year, e.g. 2026)."),
    "result_not_found": ("実績ID {id} は登録されていません。", "No result with ID {id}."),
    "backup_exists": ("{path} は既にあります。バックアップは上書きしません（別の名前かフォルダを指定してください）。",
                      "{path} exists; a backup never overwrites (give another name or a folder)."),
    "backup_failed": ("バックアップを作成できませんでした（{detail}）。", "The backup failed ({detail})."),
    "export_exists": ("{path} は既にあります。上書きする場合は --force を付けてください。",
                      "{path} exists; add --force to overwrite it."),
    "export_no_folder": ("書き出し先のフォルダ {folder} がありません。フォルダ名を確認するか、先にフォルダを作成してください（何も書き出していません）。",
                         "The folder {folder} does not exist. Check its name or create it first (nothing was written)."),
    "export_locked": ("{path} を置き換えられません。Excel などで開いていれば閉じてから再実行してください（{detail}）。",
                      "Cannot replace {path}. If it is open in Excel or another program, close it and try again ({detail})."),
    "export_failed": ("{path} に書き出せません: {detail}", "Cannot write {path}: {detail}"),
    "backup_no_folder": ("バックアップ先のフォルダ {folder} がありません。フォルダ名（ネットワークドライブの接続）を確認するか、先にフォルダを作成してください。",
                         "The backup folder {folder} does not exist. Check its name (or the network drive) or create it first."),
    "empty_reason": ("終了の理由（--reason）を記入してください。", "Give the reason for ending (--reason)."),
    "already_ended": ("協定ID {id} は既に終了しています（終了日 {date}）。何も変更していません。",
                      "Case {id} has already ended ({date}); nothing changed."),
    "already_ending": ("協定ID {id} は {date} に終了することが記録済みです（終了予定）。何も変更していません。",
                       "Case {id} is already recorded as ending on {date}; nothing changed."),
    "amend_bad_article": ("第{article}条は協定書（様式２）にありません。変更できる条: {articles}",
                          "Form 2 has no article {article}; articles: {articles}"),
    "amend_not_signed": ("協定ID {id} はまだ締結していません。締結前の連携事項は kyotei registry set {id} --items-file で変更します。",
                         "Case {id} is not signed yet: change its items with kyotei registry set {id} --items-file."),
    "amend_not_in_force": ("協定ID {id} は「{status}」のため、変更できません（変更できるのは締結中の協定です）。",
                           "Case {id} is {status}: only an agreement in force can be amended."),
    "amend_after_end": ("変更日 {date} は協定ID {id} の終了日（{end}）以後です。", "The amendment date {date} is on or after the end of case {id} ({end})."),
    "amend_before_last": ("変更日 {date} は前回の変更（{last}）より前です。変更は日付の順に記録してください。",
                          "The amendment date {date} is before the last amendment ({last}); record them in order."),
    "amend_same_items": ("協定ID {id} の現在の連携事項と同じです（何も記録していません）。", "These are the current items of case {id}: nothing recorded."),
    "amend_empty": ("第{article}条の変更後の文言（--new）が空です。", "The new text of article {article} (--new) is empty."),
    # --- the site's registry (registry/identity.py, registry/netfs.py; exit 5) -----------------
    "no_site": ("サイト（この事務所の共有フォルダ）が決まっていないため、協定登録簿を使えません。\n"
                "最初に kyotei init フォルダ でサイトを作成してください（例: kyotei init D:\\kyotei）。"
                "既にある場合は --site フォルダ か環境変数 KYOTEI_SITE で指定します。"
                "どのサイトが使われるかは kyotei site で確認できます。",
                "No site (the office's shared folder) is set up, so there is no registry to use.\n"
                "Make one first with kyotei init FOLDER, or name an existing one with --site FOLDER or KYOTEI_SITE; "
                "kyotei site shows which site is in use."),
    "site_missing": ("サイト {site} の協定登録簿がありません: {path}\n"
                     "新しい登録簿は作成していません（受付フォルダのファイルもそのままです）。"
                     "バックアップから戻すには: kyotei registry restore {backup}\n"
                     "（バックアップはサイトの backups フォルダにあります。登録簿を別の場所に移した場合は元に戻してください。）",
                     "The registry of site {site} is missing: {path}\n"
                     "No new registry was made (and the drop folder's files were left where they are). "
                     "To restore a backup: kyotei registry restore {backup}\n"
                     "(Backups are in the site's backups folder. If the registry was moved, put it back.)"),
    "site_replaced": ("{path} はサイト {site} の協定登録簿ではありません（記録されたサイト {found}、このサイトは {expected}）。\n"
                      "別の登録簿で置き換えられた可能性があります。何も変更していません。"
                      "元の登録簿をバックアップから戻すには: kyotei registry restore {backup}\n"
                      "置き換えたファイルの案件を取り込むには、元の登録簿を戻してから kyotei site adopt --from ファイル を実行します。",
                      "{path} is not the registry of site {site} (it records site {found}; this site is {expected}).\n"
                      "It may have been replaced by another registry. Nothing was changed. "
                      "To restore the site's registry: kyotei registry restore {backup}\n"
                      "To bring in the cases of the file put there, restore the site's own, then run "
                      "kyotei site adopt --from FILE."),
    "restore_other_site": ("{path} はこのサイト（{site}）の協定登録簿のバックアップではありません（記録されたサイト {found}）。"
                           "何も変更していません。",
                           "{path} is not a backup of this site's registry ({site}; it records site {found}). "
                           "Nothing was changed."),
    "restore_busy": ("協定登録簿 {path} を置き換えられません（{detail}）。kyotei watch と kyotei serve を止めてから"
                     "もう一度実行してください。何も変更していません。",
                     "Cannot replace the registry {path} ({detail}). Stop kyotei watch and kyotei serve, then try "
                     "again. Nothing was changed."),
    "adopt_own": ("{path} はこのサイトの協定登録簿です。取り込むものはありません。", "{path} is this site's own registry: nothing to adopt."),
    "adopt_config_busy": ("サイトの設定 {config} には既に市の設定が書かれているため、{path} は取り込んでいません。"
                          "必要な項目を手で書き写してください（2つの設定を自動では混ぜません）。",
                          "The site's configuration {config} already holds settings, so {path} was not adopted. "
                          "Copy what you need by hand (two sets of settings are never mixed automatically)."),
    "adopt_config_site": ("{path} は別のサイトの設定です（[site] があります）。取り込んでいません。",
                          "{path} is another site's configuration (it has [site]); not adopted."),
    "site_exists": ("{path} には既に協定登録簿があります。作成していません（上書きしません）。",
                    "There is already a registry at {path}; nothing was made (never overwritten)."),
    "network_fs": ("協定登録簿 {path} はネットワーク上のフォルダ（{kind}: {where}）にあります。"
                   "SQLite の登録簿は共有フォルダ上では壊れるおそれがあるため使いません。\n"
                   "サイトは kyotei serve / kyotei watch を動かす PC のローカルディスクに置き、"
                   "他の PC からは画面（ブラウザ）を使ってください（docs/office-setup.md）。",
                   "The registry {path} is on a network file system ({kind}: {where}). An SQLite registry can be "
                   "damaged on a share, so it is not used.\nKeep the site on a local disk of the PC that runs "
                   "kyotei serve / kyotei watch; other PCs use the screen in a browser (docs/office-setup.md)."),
}


class RegistryError(KyoteiError):
    """A registry failure with a message for staff and the exit code a command should use."""

    catalog = MESSAGES

    #: codes about the registry file itself; everything else is a refused request
    _UNUSABLE = frozenset({"missing", "empty_file", "corrupt", "not_registry", "newer", "busy", "cannot_open", "readonly",
                           "no_site", "site_missing", "site_replaced", "network_fs", "restore_busy"})

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, **params)
        self.exit_code = ExitCode.REGISTRY if code in self._UNUSABLE else ExitCode.FINDINGS
