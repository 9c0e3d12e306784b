"""``kyotei blank-form``: the Form 1 the city hands out."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import Catalog, say

_MSG: Catalog = {
    "wrote": ("様式１（記入用）を書き出しました: {path}\n企業等へ送付してください。チェックボックスと入力欄はそのまま読み取れます。",
              "Wrote a blank Form 1: {path}\nSend it to the company; its checkboxes and entry fields are read back exactly."),
    "exists": ("{path} は既にあります。上書きしません（別の名前を指定してください）。",
               "{path} already exists; not overwritten (choose another name)."),
}


@click.command("blank-form")
@click.argument("out", type=click.Path(dir_okay=False))
def blank_form(out: str) -> None:
    """記入用の様式１（.docx）を書き出します（Write a blank, fillable Form 1）。"""
    from ..blankform import write_blank_form

    target = Path(out)
    if target.exists():
        click.echo(say(_MSG, "exists", path=out), err=True)
        raise SystemExit(1)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_blank_form(target)
    click.echo(say(_MSG, "wrote", path=out))
