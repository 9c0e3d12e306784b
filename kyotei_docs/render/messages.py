"""Messages of the renderer, Japanese first (staff read them), English with ``--lang en``.

Also the errors the renderer raises: every one is a :class:`KyoteiError`
subclass with a stable ``code``, so the command and the drop folder can turn
them into a message without a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import KyoteiError
from ..exitcodes import ExitCode
from ..i18n import Catalog

if TYPE_CHECKING:
    from ..pipeline import CheckResult
    from .lint import LintFinding

MESSAGES: Catalog = {
    # errors -----------------------------------------------------------------------------
    "invalid_proposal": ("提案書（様式１）に不備があるため協定書を作成できません（不備 {n} 件）。",
                         "Form 1 has {n} problem(s): the agreement cannot be rendered."),
    "type_unsettled": ("連携協定の種別（個別・包括）が読み取れていないため、協定書を作成していません。原本と照合して種別を訂正すると作成できます。",
                       "The agreement type (individual or comprehensive) was not read, so no agreement was drafted. "
                       "Correct the type after checking the original, then it can be."),
    "too_many_items": ("連携事項が {n} 件あります。協定書の号は⑴〜⒇の 20 件までです。事項をまとめてください。",
                       "There are {n} items; an agreement numbers at most 20 (⑴…⒇). Merge some items."),
    "no_items": ("連携事項が一つもありません（{path}）。", "No items found in {path}."),
    "items_file": ("連携事項のファイルを読めません（{path}）: {detail}", "Cannot read the items file {path}: {detail}"),
    "results_file": ("連携実績のファイルを読めません（{path}）: {detail}",
                     "Cannot read the results file {path}: {detail}"),
    "results_no_year": ("連携実績のファイル {path} の {line} 行目: 年度の見出し（例: 令和７年度）より前に実績があります。",
                        "{path} line {line}: a result comes before any fiscal-year heading (e.g. 令和７年度)."),
    "photo_bad": ("写真として使えないファイルです（JPEG か PNG のみ）: {path}",
                  "Not a usable photo (JPEG or PNG only): {path}"),
    "template_missing": ("テンプレートが見つかりません: {path}", "Template not found: {path}"),
    "templates_dir_missing": ("テンプレートのフォルダーが見つかりません: {path}",
                              "Templates folder not found: {path}"),
    "template_broken": ("テンプレート {name} に誤りがあるため作成を中止しました。`kyotei templates check` で確認してください:\n{detail}",
                        "Template {name} has errors; rendering stopped. Run `kyotei templates check`:\n{detail}"),
    "template_undefined": ("テンプレート {name} に、提供されていない差し込み項目があります（{detail}）。"
                           "`kyotei templates check` で確認してください。",
                           "Template {name} uses a variable the renderer does not provide ({detail}). "
                           "Run `kyotei templates check`."),
    "template_render": ("テンプレート {name} の差し込みに失敗しました（{detail}）。",
                        "Rendering template {name} failed ({detail})."),
    "bad_term": ("有効期間の種類は fiscal（年度末まで）か one-year（１年間）です: {term}",
                 "The term is fiscal (to 31 March) or one-year, not {term}"),
    "signing_too_old": ("締結日 {date} は令和より前の日付です。日付を確認してください。",
                        "Signing date {date} is before the 令和 era; check it."),
    # warnings ---------------------------------------------------------------------------
    "notice_past": ("初回更新の申出期限（{deadline}）は締結日 {signing} より前です。締結と同時に自動更新の判断時期を過ぎるため、"
                    "有効期間（--term one-year など）を見直してください。",
                    "The notice deadline for the first renewal ({deadline}) is before the signing date {signing}: "
                    "consider another term (e.g. --term one-year)."),
    "notice_soon": ("初回更新の申出期限（{deadline}）が締結日 {signing} から {days} 日後です。更新するかどうかの判断が"
                    "すぐに必要になるため、有効期間を見直すか、担当課で期限を管理してください。",
                    "The notice deadline for the first renewal ({deadline}) is only {days} days after signing "
                    "({signing}): review the term or diarise the deadline."),
    "no_signing_expected": ("締結日が未定のため、日付欄は「令和　年　月　日」のままです。有効期間の満了日は締結予定日 {date} "
                            "から計算しました（{end}）。締結日が変わったら作り直してください。",
                            "No signing date: date lines are left blank. The expiry was computed from the expected "
                            "signing date {date} ({end}); render again if the date changes."),
    "no_signing_fiscal": ("締結日が未定のため、日付欄と満了日の年は空欄です（「令和　年３月３１日」）。締結日が決まったら "
                          "--signing-date を付けて作り直すか、手書きで記入してください。",
                          "No signing date: the date lines and the expiry year are blank (「令和　年３月３１日」). "
                          "Render again with --signing-date, or fill them in by hand."),
    "no_signing_one_year": ("締結日が未定のため、日付欄と満了日は空欄です（「令和　年　月　日」）。締結日が決まったら "
                            "--signing-date を付けて作り直すか、手書きで記入してください。",
                            "No signing date: the date lines and the expiry are blank. Render again with "
                            "--signing-date, or fill them in by hand."),
    "signing_weekend": ("締結日 {date} は閉庁日（土日・祝日・年末年始）です。日付を確認してください。",
                        "The signing date {date} is a day the city office is closed; check it."),
    "pdf_size_unknown": ("協定書の PDF を作成していないため、掲載文の「キロバイト」は空欄です。--pdf を付けて作成するか、"
                         "掲載前に記入してください。",
                         "The agreement PDF was not made, so its size in Form 3 is blank: use --pdf or fill it in."),
    "pdf_failed": ("PDF を作成できませんでした（{name}）: {reason}", "Could not make a PDF of {name}: {reason}"),
    "renamed": ("{wanted} は既にあるため、{actual} として保存しました（上書きはしません）。",
                "{wanted} already exists; saved as {actual} (never overwritten)."),
    "no_mayor_name": ("市長の氏名が設定されていないため、協定書の市の署名欄は「{title}」だけです。氏名を印字するには、"
                      "サイトの kyotei.toml の [municipality] に mayor_name = \"氏名\" を書いてください。",
                      "No mayor's name is configured, so the city's signature block says only 「{title}」: add "
                      "mayor_name = \"...\" under [municipality] in the site's kyotei.toml to print it."),
    "individual_title_default": ("個別連携協定の題名は「{title}」としました。事業名の題名にする場合は --title で指定してください。",
                                 "The individual agreement is titled 「{title}」; give the project's title with --title."),
}


class RenderError(KyoteiError):
    """The agreement cannot be rendered as asked (exit code 1, ``FINDINGS``: nothing written)."""

    catalog = MESSAGES
    exit_code = ExitCode.FINDINGS


class InvalidProposal(RenderError):
    """The proposal fails the guideline's checks; ``result`` holds the check report."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__("invalid_proposal", n=len(result.errors))
        self.result = result


class TemplateProblem(RenderError):
    """A template cannot be used; ``findings`` holds what ``templates check`` would say."""

    def __init__(self, code: str, findings: list[LintFinding] | None = None, **params: object) -> None:
        super().__init__(code, **params)
        self.findings = list(findings or [])
