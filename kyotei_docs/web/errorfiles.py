"""対応が必要なもの: the drop folder's ``error/`` on the screen — read the reason, download the file,
mark it handled.

Why: files the drop folder could not read wait in ``error/<id>_<name>/`` with a
理由.txt.  Staff on another PC cannot open that folder, so the list's panel filled
with names nobody could act on.  Here each one opens (its reason in full), its files
download by their listed names only (never a path), and 「対応済みにする」 records who
and when (``registry/screen.py``; confirmed first, like every recording action) —
the folder and its files are never moved or deleted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for

from ..i18n import Catalog, say
from .app import site
from .security import needs_change

bp = Blueprint("errorfiles", __name__)

MESSAGES: Catalog = {
    "title": ("読み込めなかったファイル（受付フォルダの error）", "Files that could not be read (the drop folder's error/)"),
    "intro": ("受付フォルダが読み込めなかったファイルです。理由を確認し、提出者に連絡するなどの対応をしたら"
              "「対応済みにする」を押してください。ファイルは削除されず、error フォルダに残ります。",
              "Files the drop folder could not read. Read the reason, deal with it (e.g. ask the sender), then "
              "mark it handled. Files are never deleted: they stay in error/."),
    "waiting": ("対応が必要なもの（{n} 件）", "Waiting ({n})"),
    "handled": ("対応済み（{n} 件）", "Handled ({n})"),
    "none_waiting": ("対応が必要なファイルはありません。", "Nothing is waiting."),
    "no_folder": ("受付フォルダが設定されていません。", "No drop folder is configured."),
    "received": ("受付日時", "Received"),
    "reason": ("理由", "Reason"),
    "files": ("ファイル", "Files"),
    "open": ("開く", "Open"),
    "handled_by": ("{actor} が対応済みにしました（{at}）", "marked handled by {actor} ({at})"),
    "mark": ("対応済みにする", "Mark as handled"),
    "note": ("メモ（任意: 提出者に連絡した、など）", "Note (optional: e.g. asked the sender)"),
    "confirm": ("このファイルを対応済みにします。ファイルは error フォルダに残ります。",
                "Mark this file as handled; it stays in error/."),
    "confirm_yes": ("対応済みとして記録する", "Record as handled"),
    "confirm_no": ("やめる", "Cancel"),
    "done": ("対応済みとして記録しました: {name}", "Recorded as handled: {name}"),
    "back": ("一覧へ戻る", "Back to the files"),
}


def t(key: str, **params: Any) -> str:
    return say(MESSAGES, key, **params)


@dataclass(frozen=True)
class ErrorFile:
    """One entry of ``error/``: its folder name, the file's name as received, the reason."""

    entry: str
    name: str
    reason: str
    detail: str
    files: tuple[str, ...]
    handled: Any = None


def _error_dir() -> Path | None:
    folder = site().settings.drop_folder
    return Path(folder) / "error" if folder is not None else None


def _reason(folder: Path) -> tuple[str, str]:
    """(the reason's line, the whole 理由.txt)."""
    try:
        text = (folder / "理由.txt").read_text("utf-8-sig")
    except OSError:
        return "", ""
    short = ""
    for line in text.splitlines():
        if line.startswith(("理由:", "Reason:", "詳細:", "Detail:")):
            short = line.split(":", 1)[1].strip()
            break
    return short, text.strip()


def _files(folder: Path) -> tuple[str, ...]:
    try:
        return tuple(sorted(e.name for e in os.scandir(folder)
                            if e.is_file(follow_symlinks=False) and not e.name.startswith(".")))
    except OSError:
        return ()


def entries(limit: int | None = None) -> list[ErrorFile]:
    """Every entry of ``error/``, newest first, each with whether (who, when) it was handled."""
    from ..registry.screen import handled_errors

    root = _error_dir()
    if root is None:
        return []
    try:
        names = sorted((e.name for e in os.scandir(root) if e.is_dir(follow_symlinks=False)), reverse=True)
    except OSError:
        return []
    with site().registry() as reg, reg.snapshot() as conn:
        handled = handled_errors(conn)
    out = []
    for entry in names[:limit]:
        short, detail = _reason(root / entry)
        out.append(ErrorFile(entry, entry.split("_", 1)[-1], short, detail, _files(root / entry), handled.get(entry)))
    return out


def waiting(limit: int = 20) -> tuple[int, list[ErrorFile]]:
    """Entries not yet handled: (how many, the newest ``limit``)."""
    left = [e for e in entries() if e.handled is None]
    return len(left), left[:limit]


def _entry(entry: str) -> ErrorFile:
    """The entry named ``entry`` — one listed in ``error/``, never a path; 404 otherwise."""
    found = next((e for e in entries() if e.entry == entry), None) if "/" not in entry and "\\" not in entry else None
    if found is None:
        abort(404)
    return found


@bp.route("/errors")
def index() -> Any:
    if _error_dir() is None:
        return render_template("errors.html", m=t, configured=False, waiting=[], handled=[])
    all_ = entries()
    return render_template("errors.html", m=t, configured=True, waiting=[e for e in all_ if e.handled is None],
                           handled=[e for e in all_ if e.handled is not None])


@bp.route("/errors/<entry>")
def show(entry: str) -> Any:
    return render_template("error_file.html", m=t, e=_entry(entry))


@bp.route("/errors/<entry>/<name>")
def download(entry: str, name: str) -> Any:
    e = _entry(entry)
    root = _error_dir()
    if root is None or name not in e.files:
        abort(404)
    return send_file(root / entry / name, as_attachment=True, download_name=name)


@bp.route("/errors/<entry>/handled", methods=["POST"])
@needs_change
def mark(entry: str) -> Any:
    from ..registry.screen import mark_handled

    e = _entry(entry)
    note = " ".join((request.form.get("note") or "").split())[:500]
    if request.form.get("confirmed") != "1":
        return render_template("error_confirm.html", m=t, e=e, note=note)
    with site().registry() as reg:
        mark_handled(reg, e.entry, actor=g.user.name, note=note)
    flash(t("done", name=e.name), "ok")
    return redirect(url_for("errorfiles.index"), code=303)
