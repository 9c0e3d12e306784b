"""``kyotei render`` (Form 2 and Form 3) and ``kyotei templates check|export``.

Thin: reading options and printing; the work is in :mod:`kyotei_docs.render`.

Exit codes of ``render`` (:mod:`kyotei_docs.exitcodes`): 0 written; 1 the
proposal or an input is not acceptable (check report / message printed,
nothing written); 2 the options are wrong; 3 the file cannot be read; 6 PDFs
were asked for but could not be made (LibreOffice missing: nothing written; a
conversion failed: the .docx files were written).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..exitcodes import ExitCode
from ..i18n import Catalog, say
from . import App, describe_failure, report_unreadable
from .params import DATE

_MSG: Catalog = {
    "items_stored": ("連携事項 {n} 件を協定ID {id}（{org}）に保存しました。締結時の協定書にも使われます（確認: kyotei registry show {id}）。",
                     "Stored {n} item(s) on case {id} ({org}); the signed agreement will carry them "
                     "(see kyotei registry show {id})."),
    "items_signed": ("協定ID {id} は締結済みのため、連携事項は登録簿に保存していません。締結した協定の変更は変更協定です: "
                     "kyotei registry amend {id} --items-file ファイル --date 変更日。",
                     "Case {id} is signed: the items were not stored. A signed agreement changes by an amendment: "
                     "kyotei registry amend {id} --items-file FILE --date DATE."),
    "items_not_stored": ("連携事項を登録簿に保存できませんでした（{detail}）。文書は作成済みです。",
                         "Could not store the items in the registry ({detail}); the documents were written."),
    "bad_json": ("提案内容の JSON を読めません（{path}）: {detail}", "Cannot read the proposal JSON {path}: {detail}"),
    "written": ("作成しました（出力先: {path}）", "Written (folder: {path})"),
    "form2_docx": ("協定書（様式２）", "agreement (Form 2)"),
    "form2_pdf": ("協定書（様式２）PDF", "agreement (Form 2) PDF"),
    "form3_docx": ("ホームページ掲載文（様式３）", "announcement (Form 3)"),
    "form3_html": ("ホームページ掲載文（CMS 用 HTML）", "announcement (HTML for the CMS)"),
    "form3_pdf": ("ホームページ掲載文 PDF", "announcement PDF"),
    "photo": ("写真", "photo"),
    "term_fiscal": ("有効期間: 協定締結の日から {end} まで（締結年度の末日まで）",
                    "Validity: from the signing date to {end} (end of the fiscal year)"),
    "term_one-year": ("有効期間: 協定締結の日から {end} まで（１年間）", "Validity: from the signing date to {end} (one year)"),
    "term_open": ("有効期間の満了日: 締結日が決まってから記入（{end}）", "Expiry: to be filled in once the signing date is set ({end})"),
    "warnings": ("注意:", "Warnings:"),
    "next": ("次にすること:\n"
             "  1. 協定書の連携事項・有効期間・相手方の名称と代表者を確認し、相手方と文案を調整してください。\n"
             "  2. 印刷は PDF から A4・実際のサイズ（拡大縮小なし）で２部。PDF がなければ --pdf を付けて作り直すか Word で印刷してください。\n"
             "  3. 締結後、掲載文（様式３）の日付・PDF の大きさ・写真を確認してホームページに掲載してください。",
             "Next:\n"
             "  1. Check the items, the validity and the partner's name and representative; agree the text with the partner.\n"
             "  2. Print two copies from the PDF on A4 at actual size (or use --pdf / print from Word).\n"
             "  3. After signing, check the date, PDF size and photos in Form 3 and publish it."),
    "invalid_next": ("提案書の不備を直してから、もう一度 kyotei render を実行してください。",
                     "Correct Form 1, then run kyotei render again."),
    "office_next": ("LibreOffice をインストールするか、--pdf を付けずに実行して Word から印刷してください。何も書き出していません。",
                    "Install LibreOffice, or run without --pdf and print from Word. Nothing was written."),
    "pdf_partly": ("PDF の一部を作成できませんでした。.docx は書き出してあります。もう一度 --pdf を付けて実行するか、Word で PDF に保存してください。",
                   "Some PDFs could not be made; the .docx files were written. Run again with --pdf, or save as PDF from Word."),
    "tpl_checked": ("テンプレートを確認しました: {path}", "Templates checked: {path}"),
    "tpl_ok": ("  ✔ {name}", "  ✔ {name}"),
    "tpl_builtin": ("  （{name} はこのフォルダーにないため、標準のものを使います）", "  ({name} is not in this folder: the built-in one is used)"),
    "tpl_summary": ("誤り {errors} 件、注意 {warnings} 件", "{errors} error(s), {warnings} warning(s)"),
    "tpl_fix": ("誤りのあるテンプレートでは協定書を作成できません。Word で直してから、もう一度確認してください。",
                "A template with errors cannot be used; fix it in Word and check again."),
    "tpl_variables": ("使える差し込み項目:", "Variables templates may use:"),
    "exported": ("書き出しました: {path}", "Written: {path}"),
    "export_skipped": ("既にあるため書き出していません（上書きしません）: {path}", "Exists, not overwritten: {path}"),
    "export_next": ("次にすること: Word でテンプレートを編集し（{{{{ }}}} の部分は消さない）、kyotei templates check {path} で確認してから、"
                    "設定 [render] templates = '{path}' か --templates {path} で使ってください。",
                    "Next: edit the templates in Word (keep the {{{{ }}}} tags), run kyotei templates check {path}, then use "
                    "them with [render] templates = '{path}' or --templates {path}."),
}


def _load_proposal(app: App, path: Path):
    """Form 1 in any supported format, or a stored ``proposal.json`` (the parse contract)."""
    if path.suffix.lower() == ".json":
        from ..proposal import Proposal

        try:
            return Proposal.from_json(json.loads(path.read_text("utf-8-sig")))
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            click.echo(say(_MSG, "bad_json", path=str(path), detail=str(exc)), err=True)
            raise SystemExit(ExitCode.UNREADABLE)
    from ..pipeline import read_proposal
    from ..readers.options import reading

    try:
        with reading(limits=app.config.limits, ocr_mode=app.config.reading.ocr,
                     ocr_words=app.config.ocr_words()):
            return read_proposal(path)
    except Exception as exc:  # a reader's failure is the file's: one line, exit UNREADABLE
        _code, message = describe_failure(exc)
        report_unreadable(path, message)
        raise SystemExit(ExitCode.UNREADABLE)


def _print_result(result, out_dir: Path, term: str) -> None:
    from ..era import format_wareki

    click.echo(say(_MSG, "written", path=str(out_dir.absolute())))
    for role, path in result.documents.items():
        label = say(_MSG, "photo") if role.startswith("photo") else say(_MSG, role)
        click.echo(f"  {label}: {path.name}")
    if result.end_date:
        click.echo(say(_MSG, f"term_{term}", end=format_wareki(result.end_date)))
    else:
        click.echo(say(_MSG, "term_open", end="令和　年３月３１日" if term == "fiscal" else "令和　年　月　日"))
    if result.warnings:
        click.echo(say(_MSG, "warnings"))
        for w in result.warnings:
            click.echo(f"  - {w}")
    click.echo(say(_MSG, "next"))


def _store_items_on_case(app: App, path: Path, proposal: Any, items: list[str]) -> None:
    """When FILE's proposal belongs to a case in the registry, keep the negotiated items there.

    Only an existing registry is opened (rendering never creates one), and only
    a case not yet signed takes them: a signed agreement's items change with
    ``kyotei registry set`` only.  Whatever happens, the render stands.
    """
    import hashlib

    from .. import cases
    from ..registry.errors import RegistryError
    from ..registry.location import locate

    location = locate(app.config)
    if not location.path.is_file():
        return
    try:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        with cases.open_registry(app.config) as reg:
            case_id = cases.case_for_file(app.config, reg, proposal, sha256=sha)
            if case_id is None:
                return
            case = cases.get(app.config, reg, case_id)
            if case.agreement.signed_on is not None:
                click.echo(say(_MSG, "items_signed", id=case.id), err=True)
                return
            stored = cases.set_items(app.config, reg, case.id, items)
    except (RegistryError, OSError) as exc:
        click.echo(say(_MSG, "items_not_stored", detail=getattr(exc, "message", str(exc))), err=True)
        return
    click.echo(say(_MSG, "items_stored", id=stored.id, n=len(stored.items), org=stored.organisation))


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="書き出し先のフォルダ（なければ作成。既存のファイルは上書きしません）。Output folder.")
@click.option("--signing-date", type=DATE,
              help="締結日（2026-12-01 や 令和8年12月1日）。省くと「令和　年　月　日」のまま。"
                   "Signing date; omit to leave the date blank.")
@click.option("--expected-signing", type=DATE,
              help="締結日が未定のとき、満了日の計算だけに使う締結予定日。Expected signing date (end date only).")
@click.option("--term", type=click.Choice(["fiscal", "one-year"]), default=None,
              help="有効期間: fiscal = 締結年度の3月31日まで、one-year = 1年間（既定: 設定の [render] term）。Validity.")
@click.option("--items", "items_file", type=click.Path(dir_okay=False),
              help="協議で決めた連携事項の文言（1行に1項目のテキストファイル）。Items, one per line.")
@click.option("--results", "results_file", type=click.Path(dir_okay=False),
              help="年度ごとの実績のテキストファイル（様式３用）。Results by fiscal year.")
@click.option("--photo", "photos", multiple=True, type=click.Path(dir_okay=False),
              help="様式３に載せる締結式の写真（JPEG/PNG、繰り返し指定できます）。Photo for Form 3.")
@click.option("--title", help="協定の名称（例: 「災害時における応急対策業務に関する協定書」）。Agreement title.")
@click.option("--pdf", is_flag=True, help="印刷用の PDF も作成します（LibreOffice が必要）。Also write PDFs.")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False),
              help="市のテンプレートのフォルダ（既定: 設定の [render] templates、なければ標準）。Template folder.")
@click.pass_obj
def render(app: App, file: str, out_dir: str, signing_date: date | None, expected_signing: date | None,
           term: str | None, items_file: str | None, results_file: str | None, photos: tuple[str, ...],
           title: str | None, pdf: bool, templates_dir: str | None) -> None:
    """協定書（様式２）とホームページ掲載文（様式３）を作成します（Render Form 2 and Form 3）。

    Exit codes: 0 written, 1 proposal or input not acceptable, 2 bad option, 3 unreadable file,
    6 PDF could not be made.
    """
    from ..office import OfficeUnavailable
    from ..render import InvalidProposal, render_documents
    from ..render.inputs import read_items_file, read_results_file
    from ..report import check_text

    signing, expected = signing_date, expected_signing
    cfg = app.config
    proposal = _load_proposal(app, Path(file))
    chosen_term = term or cfg.render.term
    try:
        items = read_items_file(Path(items_file)) if items_file else None
        results = read_results_file(Path(results_file)) if results_file else None
        result = render_documents(
            proposal, cfg, Path(out_dir), signing_date=signing, expected_signing=expected, term=chosen_term,
            items=items, templates_dir=Path(templates_dir) if templates_dir else None, results=results,
            pdf=pdf, photos=[Path(p) for p in photos], title=title)
    except InvalidProposal as exc:
        click.echo(check_text(exc.result))
        click.echo()
        click.echo(exc.message, err=True)
        click.echo(say(_MSG, "invalid_next"), err=True)
        raise SystemExit(exc.exit_code)
    except OfficeUnavailable as exc:
        click.echo(exc.message, err=True)
        click.echo(say(_MSG, "office_next"), err=True)
        raise SystemExit(exc.exit_code)
    _print_result(result, Path(out_dir), chosen_term)
    if items is not None:
        _store_items_on_case(app, Path(file), proposal, items)
    if result.pdf_failures:
        click.echo(say(_MSG, "pdf_partly"), err=True)
        raise SystemExit(ExitCode.DOCUMENTS)
    raise SystemExit(ExitCode.OK)


@click.group()
def templates() -> None:
    """協定書・掲載文のテンプレートを確認・書き出します（Check or export templates）。"""


@templates.command("check")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--variables", is_flag=True, help="テンプレートで使える差し込み項目も表示します。Also list the variables.")
@click.pass_obj
def templates_check(app: App, folder: str | None, variables: bool) -> None:
    """テンプレートの誤りを確認します（Lint templates）。FOLDER を省くと設定のフォルダーか標準のもの。

    Exit codes: 0 no errors, 1 errors found, 3 folder not found.
    """
    from ..render import RenderError, builtin_dir, lint_dir
    from ..render.context import VARIABLES
    from ..render.templates import TEMPLATE_NAMES, chosen_dir

    cfg = app.config
    try:
        target = Path(folder) if folder else (chosen_dir(cfg, None) or builtin_dir())
    except RenderError as exc:
        click.echo(exc.message, err=True)
        raise SystemExit(ExitCode.UNREADABLE)
    if not target.is_dir():
        from ..render.messages import MESSAGES

        click.echo(say(MESSAGES, "templates_dir_missing", path=str(target)), err=True)
        raise SystemExit(ExitCode.UNREADABLE)
    results = lint_dir(target, cfg)
    click.echo(say(_MSG, "tpl_checked", path=str(target)))
    errors = warnings = 0
    for path, findings in results.items():
        if not findings:
            click.echo(say(_MSG, "tpl_ok", name=path.name))
        for f in findings:
            click.echo(f"  {f}")
            errors += f.severity == "error"
            warnings += f.severity == "warning"
    for name in TEMPLATE_NAMES:
        if not (target / name).is_file():
            click.echo(say(_MSG, "tpl_builtin", name=name))
    if variables:
        click.echo(say(_MSG, "tpl_variables"))
        for name, text in VARIABLES.items():
            click.echo(f"  {name}: {text}")
    click.echo(say(_MSG, "tpl_summary", errors=errors, warnings=warnings))
    if errors:
        click.echo(say(_MSG, "tpl_fix"))
    raise SystemExit(ExitCode.FINDINGS if errors else ExitCode.OK)


@templates.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
def templates_export(folder: str) -> None:
    """標準のテンプレートを FOLDER に書き出します（既存のファイルは上書きしません）。

    Exit codes: 0 written, 1 a file was already there (not overwritten).
    """
    from ..render import export_templates

    # absolute: a relative [render] templates in the site's kyotei.toml is read from the site, not from here
    where = Path(folder).absolute()
    written, skipped = export_templates(where)
    for path in written:
        click.echo(say(_MSG, "exported", path=str(path)))
    for path in skipped:
        click.echo(say(_MSG, "export_skipped", path=str(path)))
    click.echo(say(_MSG, "export_next", path=str(where)))
    if skipped:  # documented: 1 when a file was already there (it was kept, not overwritten)
        raise SystemExit(ExitCode.FINDINGS)
