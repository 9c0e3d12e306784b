"""Helpers for the drop-folder tests: Form 1 files for any company, a folder, a pass.

Kept apart from conftest.py so that the kill test's helper script and the bench
can import it too.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from docxbuild import Xml, make_docx, p
from formbody import contact_rows, fields_row, form, glyph_options, text_rows, type_row
from kyotei_docs.config import load_config
from kyotei_docs.inbox.batch import PassOptions, PassSummary, run_pass
from kyotei_docs.inbox.journal import Journal
from kyotei_docs.inbox.layout import Layout
from waitkit import wait_for

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The drop folder, on what stands for a share (tests import this fixture by name)."""
    folder = tmp_path / "share" / "kyotei"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """The journal, on what stands for local disk: never inside the drop folder."""
    return tmp_path / "local" / "journal.sqlite3"


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """For a command run as staff run it: the drop folder (``share/``), the journal on local disk,
    and ``KYOTEI_CONFIG`` naming a configuration that settles fast and keeps the registry local."""
    folder = tmp_path / "share"
    (folder / "inbox").mkdir(parents=True)
    journal_path = tmp_path / "local" / "journal.sqlite3"
    conf = config_file(tmp_path / "local", settle_seconds=0.1, incomplete_grace_seconds=1)
    return folder, journal_path, {"KYOTEI_CONFIG": str(conf)}


def header(company: str, date: str = "令和８年１１月２０日") -> Xml:
    return Xml(p(date, jc="right") + p("旭川市長　様")
               + p("所 在 地：北海道旭川市緑町１丁目２番３号")
               + p(f"企業等名称：{company}")
               + p("代表者氏名：代表取締役　試験　花子")
               + p("連携協定に関する提案書", jc="center")
               + p("連携協定に係る連携内容等について，次のとおり提案します。"))


def form1(company: str = "株式会社テスト商事", *, valid: bool = True, purpose: str | None = None) -> str:
    """A Form 1 body; ``valid=False`` ticks only one field for a comprehensive agreement."""
    fields = None if valid else glyph_options((True, "環境"), (False, "福祉・医療・健康"), (False, "子育て"))
    rows = None
    if purpose is not None:
        from formbody import axis_row

        rows = [type_row(), fields_row(fields), axis_row(), *text_rows(purpose=purpose), *contact_rows()]
    return form(header=header(company), fields_content=fields, rows=rows)


def write_form(path: Path, company: str = "株式会社テスト商事", *, valid: bool = True, **kw) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return make_docx(form1(company, valid=valid, **kw), path)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def options(**kw) -> PassOptions:
    """Fast options for tests: no settling wait to speak of, in-process, no PDF."""
    base: dict[str, Any] = dict(workers=0, pdf=False, settle=0.05, grace=0.5, backoff=0.01, backoff_cap=0.05)
    base.update(kw)
    return PassOptions(**base)


def config_file(folder: Path, **inbox: object) -> Path:
    """A kyotei.toml that keeps the registry in ``folder`` (never the repository) and sets [inbox]."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["[registry]", f"path = {json.dumps(str(folder / 'registry.sqlite3'))}", "", "[inbox]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in inbox.items()]
    path = folder / "kyotei.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def settle_fast(config: Path, seconds: float = 0.1) -> Path:
    """Give a site's (or any) kyotei.toml a short ``[inbox] settle_seconds``.

    A pass sees every file it has not met before as still changing and waits ``settle_seconds``
    for a second look (readiness.py): 2 s in a real office, 2 s of waiting per ``kyotei inbox`` in
    a test that is not about settling.
    """
    text = config.read_text(encoding="utf-8")
    assert "\n[inbox]" not in text, f"{config} has an [inbox] table already: set settle_seconds there"
    config.write_text(text + f"\n[inbox]\nsettle_seconds = {seconds}\n", encoding="utf-8")
    return config


class LockTouches:
    """Counts the cycles of a ``kyotei watch`` in another process, from outside: every cycle writes
    ``.work/lock.json`` (its heartbeat, or the lock taken and given back while the registry is refused).

    Changes closer together than one look (or the file system's time stamp grain) count once, so
    ``wait(n)`` means at least ``n`` cycles went by, never fewer.
    """

    def __init__(self, root: Path) -> None:
        self.path = root / ".work" / "lock.json"
        self.last = self._stamp()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def wait(self, n: int, timeout: float = 90.0) -> bool:
        """True once the lock file changed ``n`` times since the last call (or since this was made)."""
        seen = 0

        def changed() -> bool:
            nonlocal seen
            now = self._stamp()
            if now != self.last:
                self.last, seen = now, seen + 1
            return seen >= n

        return wait_for(changed, timeout, step=0.01)


def cfg(folder: Path | None = None, **inbox: object):
    if folder is None:
        return load_config(ROOT / "kyotei_docs" / "defaults" / "kyotei.toml")
    return load_config(config_file(folder, **inbox))


def one_pass(root: Path, journal: Path, *, config=None, stop: threading.Event | None = None,
             **kw) -> PassSummary:
    """One pass in-process; the registry (if installed) goes next to the journal."""
    layout = Layout.at(root)
    with Journal(journal, layout.root) as j:
        return run_pass(layout, j, config or cfg(journal.parent), options(**kw), stop=stop)


def drop(root: Path, name: str, data: bytes) -> Path:
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / name
    tmp = inbox / f".{name}.partial"
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def submission_folders(root: Path) -> dict[str, list[Path]]:
    """Every finished submission folder, by area."""
    return {"done": sorted(p for p in (root / "done").glob("*/*/*") if p.is_dir()),
            "error": sorted(p for p in (root / "error").glob("*") if p.is_dir()),
            "duplicate": sorted(p for p in (root / "duplicate").glob("*") if p.is_dir())}


def stray_temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if "kyotei-tmp" in p.name or "kyotei-pdf" in p.name]
