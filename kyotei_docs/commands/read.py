"""``kyotei parse`` and ``kyotei check``."""

from __future__ import annotations

from pathlib import Path

import click

from ..exitcodes import ExitCode
from ..i18n import Catalog, say
from . import MESSAGES, App, describe_failure, expand_inputs, report_unreadable

_MSG: Catalog = {
    "summary": ("{total}件を確認: 受付可 {valid}件、要確認 {review}件、要修正 {invalid}件、読込不可 {unreadable}件",
                "Checked {total}: {valid} acceptable, {review} to check against the original, "
                "{invalid} need correction, {unreadable} unreadable"),
    "out": ("結果を {path} に書き出しました（1ファイルにつき .check.json、全体の一覧 {summary}）。",
            "Results written to {path} (one .check.json per file, {summary} for all)."),
}


def _emit_json(obj: dict) -> None:
    import json  # only with --json or --out: not at every start

    click.echo(json.dumps(obj, ensure_ascii=False))


def _error_json(path: Path, code: str, message: str) -> dict:
    return {"file": path.name, "format": None, "error": {"code": code, "message": message}}


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="1ファイルにつき1行の JSON で出力します（読み取り結果の形式）。One JSON object per file.")
@click.option("--explain", is_flag=True, help="各値をどこから読み取ったかを表示します。Show where each value was read from.")
@click.option("--ocr", is_flag=True, help="スキャン・写真・文字情報のない PDF を、設定（[reading] ocr）にかかわらず文字認識（Tesseract）で読みます。結果は必ず原本と照合してください。Read scans and photos with OCR whatever [reading] ocr says.")
@click.pass_obj
def parse(app: App, files: tuple[str, ...], as_json: bool, explain: bool, ocr: bool = False) -> None:
    """様式１を読み取って内容を表示します（Read Form 1 and show what it says）。

    Exit codes: 0 read, 3 a file could not be read.
    """
    from ..pipeline import read_proposal
    from ..report import proposal_text

    paths = expand_inputs(files)
    if not paths:
        raise click.UsageError(say(MESSAGES, "no_files", path=" ".join(files)))
    _read_options(app, ocr)
    code = ExitCode.OK
    for path in paths:
        try:
            proposal = read_proposal(path)
        except Exception as exc:  # every failure becomes a message, never a traceback
            err_code, message = describe_failure(exc)
            report_unreadable(path, message)
            if as_json:
                _emit_json(_error_json(path, err_code, message))
            code = ExitCode.UNREADABLE
            continue
        if as_json:
            obj = proposal.to_json()
            if explain:
                obj["sources"] = proposal.sources
            _emit_json(obj)
        else:
            click.echo(proposal_text(proposal, explain))
            click.echo()
    raise SystemExit(code)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="1ファイルにつき1行の JSON で出力します。One JSON object per file.")
@click.option("--explain", is_flag=True, help="各値をどこから読み取ったかを表示します。Show where each value was read from.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="結果（ファイルごとの JSON と一覧）をこのフォルダにも書き出します。Also write the results here.")
@click.option("--ocr", is_flag=True, help="スキャン・写真・文字情報のない PDF を、設定（[reading] ocr）にかかわらず文字認識（Tesseract）で読みます。結果は必ず原本と照合してください。Read scans and photos with OCR whatever [reading] ocr says.")
@click.pass_obj
def check(app: App, files: tuple[str, ...], as_json: bool, explain: bool, out_dir: str | None,
          ocr: bool = False) -> None:
    """様式１をガイドラインに照らして確認し、回付先を示します（Check Form 1 and route it）。

    Exit codes: 0 all acceptable with nothing to review, 1 some need correction or a check
    against the original (要確認), 3 some could not be read.
    """
    from ..pipeline import check_file
    from ..report import check_text

    paths = expand_inputs(files)
    if not paths:
        raise click.UsageError(say(MESSAGES, "no_files", path=" ".join(files)))
    cfg = app.config
    _read_options(app, ocr)
    counts = {"valid": 0, "review": 0, "invalid": 0, "unreadable": 0}
    lines: list[str] = []
    out = Path(out_dir) if out_dir else None
    if out:
        out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        try:
            result = check_file(path, cfg)
        except Exception as exc:
            err_code, message = describe_failure(exc)
            report_unreadable(path, message)
            counts["unreadable"] += 1
            obj = _error_json(path, err_code, message)
            if as_json:
                _emit_json(obj)
            lines.append(say(MESSAGES, "unreadable", name=path.name, reason=message))
            if out:
                _write_json(out / f"{path.name}.check.json", obj)
            continue
        counts["invalid" if not result.valid else "review" if result.review else "valid"] += 1
        obj = result.to_json()
        if explain:
            obj["proposal"]["sources"] = result.proposal.sources
        if as_json:
            _emit_json(obj)
        else:
            text = check_text(result, explain)
            click.echo(text)
            click.echo()
            lines.append(text)
        if out:
            _write_json(out / f"{path.name}.check.json", obj)
    summary = say(_MSG, "summary", total=len(paths), **counts)
    if not as_json:
        click.echo(summary)
    if out:
        text = "\n\n".join(lines + [summary]) + "\n"
        from ..publish import write_new  # only with --out: shutil and friends cost start-up

        written = write_new(out / "summary.txt", lambda tmp: tmp.write_text(text, encoding="utf-8"))
        # the folder in full (a scheduled task's working folder is nobody's guess), and the summary's real
        # name: a second run keeps the first and writes summary(2).txt
        click.echo(say(_MSG, "out", path=str(out.absolute()), summary=written.name), err=as_json)
    raise SystemExit(ExitCode.UNREADABLE if counts["unreadable"] else
                     ExitCode.FINDINGS if counts["invalid"] or counts["review"] else ExitCode.OK)


def _read_options(app: App, ocr: bool) -> None:
    """``--ocr``, the configured ``[reading] ocr`` and ``[limits]`` for every file this command reads."""
    from ..readers.options import ReadOptions, set_options

    set_options(ReadOptions(ocr=ocr, ocr_mode=app.config.reading.ocr, limits=app.config.limits,
                            ocr_words=app.config.ocr_words()))


def _write_json(path: Path, obj: dict) -> None:
    """Published whole and never over an earlier run's file (that one is kept, this becomes ``…(2)``)."""
    import json

    text = json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
    from ..publish import write_new

    write_new(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
