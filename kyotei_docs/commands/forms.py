"""``kyotei blank-form``: the Form 1 the city hands out."""

from __future__ import annotations

from pathlib import Path

import click

from ..exitcodes import ExitCode
from ..i18n import Catalog, say

_MSG: Catalog = {
    "wrote": ("様式１（記入用）を書き出しました: {path}\n企業等へ送付してください。チェックボックスと入力欄はそのまま読み取れます。",
              "Wrote a blank Form 1: {path}\nSend it to the company; its checkboxes and entry fields are read back exactly."),
    "exists": ("{path} は既にあります。上書きしません（別の名前を指定してください）。",
               "{path} already exists; not overwritten (choose another name)."),
    "pdf_name": ("--pdf を付けたときは、ファイル名を .pdf で終わる名前にしてください（{path} では Word と間違えます）。",
                 "With --pdf, give a name ending in .pdf ({path} would be taken for a Word file)."),
    "bad_suffix": ("ファイル名は .docx（Word の様式）か .pdf（入力欄付き PDF）で終わる名前にしてください: {path}",
                   "Give a name ending in .docx (Word form) or .pdf (fillable PDF): {path}"),
}


@click.command("blank-form")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--pdf", "as_pdf", is_flag=True,
              help=".docx ではなく入力欄付きの PDF を書き出します（.pdf の名前でも同じ）。Write a fillable PDF instead.")
@click.pass_obj
def blank_form(app, out: str, as_pdf: bool = False) -> None:
    """記入用の様式１（.docx または --pdf で入力欄付き PDF）を書き出します（Write a blank, fillable Form 1）。

    Exit codes: 0 written, 1 OUT exists (never overwritten), 2 OUT not named .docx or .pdf.
    """
    from ..publish import write_new

    target = Path(out)
    suffix = target.suffix.lower()
    if as_pdf and suffix != ".pdf":  # the file's name must say what it holds: staff open it by its name
        raise click.UsageError(say(_MSG, "pdf_name", path=out))
    if suffix not in (".docx", ".pdf"):
        raise click.UsageError(say(_MSG, "bad_suffix", path=out))
    if target.exists():
        click.echo(say(_MSG, "exists", path=out), err=True)
        raise SystemExit(ExitCode.FINDINGS)
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        from ..blankpdf import write_blank_pdf

        def write(tmp: Path) -> None:
            write_blank_pdf(tmp, mayor_title=app.config.mayor_title, comma=app.config.comma)
    else:
        from ..blankform import write_blank_form

        def write(tmp: Path) -> None:
            write_blank_form(tmp, comma=app.config.comma)
    try:
        write_new(target, write, copies=False)
    except FileExistsError:  # made meanwhile by someone else: theirs is kept
        click.echo(say(_MSG, "exists", path=out), err=True)
        raise SystemExit(ExitCode.FINDINGS) from None
    click.echo(say(_MSG, "wrote", path=target.absolute()))
