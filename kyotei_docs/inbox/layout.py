"""The drop folder's layout, created on first run.

::

    DIR/
      inbox/                          staff drop Form 1 files here
      .work/                          files being processed (claimed by rename)
      done/YYYY/MM/<id>_<company>/    read: original, report.html, proposal.json, check.json,
                                      submission.json, drafts; 要修正.txt when it needs correcting
      error/<id>_<name>/              could not be read: original and 理由.txt
      duplicate/<id>_<name>/          the same bytes were received before: original and 重複.txt
      はじめにお読みください.txt      what the folders mean, for staff

Folder names stay ASCII so that every share, zip tool and script handles them;
docs/inbox.md and the read-me explain them in Japanese.

``.work/`` doubles as the marker that the layout exists: if a folder that was
set up before comes back without it, the share is probably not mounted and the
tool refuses to build a new layout on the bare mount point.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import KyoteiError
from ..exitcodes import ExitCode
from ..i18n import Catalog, say
from ..publish import free_folder_name
from .fsutil import atomic_write_text

MESSAGES: Catalog = {
    "root_missing": ("フォルダが見つかりません（共有フォルダに接続できない可能性があります）: {path}",
                     "Folder not found (the network share may be unavailable): {path}"),
    "not_dir": ("フォルダではありません: {path}", "Not a folder: {path}"),
    "no_layout": ("{path} に作業フォルダ .work がありません。以前に使ったフォルダなら、共有フォルダが正しく"
                  "接続されているか確認してください（新しいフォルダとして使うには --init を付けて実行）。",
                  "{path} has no .work folder. If this folder was used before, check that the share is "
                  "mounted (to start afresh here, run with --init)."),
    "io": ("フォルダを準備できません（{detail}）: {path}", "Cannot prepare the folder ({detail}): {path}"),
    "readme": (
        "このフォルダは連携協定の提案書（様式１）の受付フォルダです。\n"
        "\n"
        "inbox      … 提出されたファイル（Word の .docx・.doc、Excel の .xlsx・.xls、PDF、.odt、.rtf、\n"
        "              スキャン・写真の .jpg・.png・.tif）をここに置いてください。\n"
        "              自動で読み取り・確認され、数十秒～数分で下のフォルダに移ります。\n"
        "done       … 処理済み。年/月/<受付番号>_<企業等名称> のフォルダに\n"
        "              元のファイル、確認結果（report.html）、協定書の下書きがあります。\n"
        "              「要修正.txt」があるものは記入に不備があります。report.html を開いて\n"
        "              不備の内容を確認し、提案者に修正を依頼してください。\n"
        "              report.html に「要確認」とあるものは、読み取りを原本と照合してください。\n"
        "error      … 読み込めなかったファイル。「理由.txt」に理由があります。\n"
        "              提出者にファイルの送り直しを依頼してください。\n"
        "duplicate  … 以前に受け付けたものと全く同じファイル。「重複.txt」に最初の受付先があります。\n"
        ".work      … 処理中のファイル（触らないでください）。\n"
        "\n"
        "ファイルは削除されません。不要になったフォルダは職員が整理してください。\n",
        "This is the drop folder for partnership proposals (Form 1).\n"
        "\n"
        "inbox      … put submitted files here (Word .docx/.doc, Excel .xlsx/.xls, PDF, .odt, .rtf,\n"
        "              scans and photos .jpg/.png/.tif).\n"
        "done       … processed: year/month/<id>_<company> with the original, report.html and drafts.\n"
        "              A 要修正.txt file means the form needs correcting: see report.html.\n"
        "              「要確認」 in report.html: compare what was read with the original.\n"
        "error      … files that could not be read; 理由.txt gives the reason.\n"
        "duplicate  … exact copies of files received before; 重複.txt names the first one.\n"
        ".work      … files being processed (do not touch).\n"
        "\n"
        "Nothing is ever deleted; staff tidy up folders they no longer need.\n",
    ),
}

README_NAME = "はじめにお読みください.txt"
COMPANY_BYTES = 80
"""Bytes of a company or file name in a folder name: keeps paths well under Windows' 260."""


class FolderUnavailable(KyoteiError):
    """The drop folder (or the share it lives on) cannot be used right now."""

    catalog = MESSAGES
    exit_code = ExitCode.FOLDER


@dataclass(frozen=True)
class Layout:
    root: Path

    @classmethod
    def at(cls, root: Path | str) -> Layout:
        return cls(Path(os.path.abspath(root)))

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def work(self) -> Path:
        return self.root / ".work"

    @property
    def done(self) -> Path:
        return self.root / "done"

    @property
    def error(self) -> Path:
        return self.root / "error"

    @property
    def duplicate(self) -> Path:
        return self.root / "duplicate"

    def exists(self) -> bool:
        return self.work.is_dir()

    def ensure(self, *, create: bool) -> None:
        """Make sure every folder exists.

        ``create=False`` (the folder was used before) refuses to recreate ``.work``:
        a missing ``.work`` then means the share is not mounted, not a new folder.
        """
        if not self.root.exists():
            raise FolderUnavailable("root_missing", path=str(self.root))
        if not self.root.is_dir():
            raise FolderUnavailable("not_dir", path=str(self.root))
        if not self.work.is_dir() and not create:
            raise FolderUnavailable("no_layout", path=str(self.root))
        try:
            for folder in (self.work, self.inbox, self.done, self.error, self.duplicate):
                folder.mkdir(exist_ok=True)
            readme = self.root / README_NAME
            if not readme.exists():
                atomic_write_text(readme, say(MESSAGES, "readme"), staff=True)
        except OSError as exc:
            raise FolderUnavailable("io", path=str(self.root), detail=_os_detail(exc)) from exc

    # ------------------------------------------------------------ destinations

    def done_dir(self, sid: str, company: str | None, received: datetime) -> Path:
        month = self.done / f"{received:%Y}" / f"{received:%m}"
        return month / folder_name(sid, company or _unknown_company())

    def error_dir(self, sid: str, original: str) -> Path:
        return self.error / folder_name(sid, Path(original).stem or original)

    def duplicate_dir(self, sid: str, original: str) -> Path:
        return self.duplicate / folder_name(sid, Path(original).stem or original)

    def relative(self, path: Path) -> str:
        """A path under the root as staff would type it (forward slashes)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def folder_name(sid: str, label: str) -> str:
    """``<id>_<label>`` with the label made safe for every file system (see safenames)."""
    from ..safenames import safe_filename

    return f"{sid}_{safe_filename(label, max_bytes=COMPANY_BYTES)}"


def unique(path: Path) -> Path:
    """``path``, or ``path(2)``, ``path(3)`` … if something is already there (the one naming for copies)."""
    return free_folder_name(path)


def _unknown_company() -> str:
    from ..i18n import get_lang

    return "unknown" if get_lang() == "en" else "名称不明"


def _os_detail(exc: OSError) -> str:
    return f"{type(exc).__name__}: {exc.strerror or exc}"
