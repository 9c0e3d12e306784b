"""`kyotei inbox`, `kyotei inbox status` and `kyotei watch` as staff run them: real processes, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from inboxkit import config_file, setup, submission_folders, write_form  # noqa: F401  (fixtures)
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.inbox.lock import FolderLock


def fill(root: Path, tmp_path: Path) -> None:
    write_form(root / "inbox" / "ok.docx", "株式会社コマンド")
    write_form(root / "inbox" / "ng.docx", "株式会社フビ", valid=False)
    (root / "inbox" / "memo.txt").write_text("not a form")
    (root / "inbox" / "sub").mkdir()


def test_one_pass_with_progress_and_summary(setup, tmp_path):
    root, journal, env = setup
    fill(root, tmp_path)
    # valid as read, but the reader was unsure of a mark: 要確認, not 受付可
    shutil.copy(ROOT / "samples" / "29_review_placeholder_text.docx", root / "inbox" / "review.docx")
    res = run_cli("inbox", str(root), "--journal", str(journal), "--no-pdf", "--workers", "2", env=env)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    assert "処理中" in res.stderr  # the progress bar's label
    out = res.stdout
    assert "処理 4件: 受付可 1件、要確認 1件、要修正 1件、読込不可 1件、重複 0件" in out
    assert "要確認 1件 — report.html の「要確認」を原本と照合してください" in out
    assert "要修正 1件 — report.html と 要修正.txt" in out and "理由.txt" in out
    assert "処理しないフォルダ: sub" in out and "次にすること" in out
    assert f"ジャーナル: {journal}" in out and f"ログ: {journal.with_suffix('.log')}" in out  # where it wrote
    assert journal.with_suffix(".log").is_file()  # next to the journal given, as --help says
    logged = journal.with_suffix(".log").read_text("utf-8")  # each file's outcome in staff's words
    assert "review.docx → done/" in logged and "（要確認）" in logged and "（受付可）" in logged
    assert "（要修正）" in logged and "（読込不可）" in logged and "（valid）" not in logged
    areas = submission_folders(root)
    assert len(areas["done"]) == 3 and len(areas["error"]) == 1


def test_status_shows_counts_and_failures(setup, tmp_path):
    root, journal, env = setup
    fill(root, tmp_path)
    shutil.copy(ROOT / "samples" / "29_review_placeholder_text.docx", root / "inbox" / "review.docx")
    assert run_cli("inbox", "run", str(root), "--journal", str(journal), "--no-pdf", env=env).returncode == 0
    res = run_cli("inbox", "status", str(root), "--journal", str(journal), env=env)
    assert res.returncode == 0, res.stderr
    # 要確認 (valid as read, with review items) apart from 受付可, as the pass's summary counts it
    assert "受付済み 4件: 受付可 1件、要確認 1件、要修正 1件、読込不可 1件" in res.stdout and "監視: 停止中" in res.stdout
    res = run_cli("inbox", "status", str(root), "--journal", str(journal), "--json", env=env)
    data = json.loads(res.stdout)
    assert data["totals"]["valid"] == 1 and data["totals"]["review"] == 1 and data["totals"]["total"] == 4
    assert data["queue"]["inbox"] == 0


def test_english_output(setup, tmp_path):
    root, journal, env = setup
    fill(root, tmp_path)
    res = run_cli("--lang", "en", "inbox", str(root), "--journal", str(journal), "--no-pdf", env=env)
    assert "Processed 3: 1 acceptable, 0 to review, 1 need correction, 1 unreadable, 0 duplicates" in res.stdout
    (folder,) = submission_folders(root)["error"]
    assert "could not be read" in (folder / "理由.txt").read_text("utf-8-sig")


def test_exit_codes_for_locked_missing_and_misplaced_journal(setup, tmp_path):
    root, journal, env = setup
    res = run_cli("inbox", str(tmp_path / "nowhere"), "--journal", str(journal), env=env)
    assert res.returncode == ExitCode.FOLDER and "見つかりません" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("inbox", str(root), "--journal", str(root / "j.sqlite3"), env=env)
    assert res.returncode == ExitCode.USAGE and "ジャーナル" in res.stderr
    assert run_cli("inbox", str(root), "--journal", str(journal), env=env).returncode == 0
    with FolderLock(root / ".work"):
        res = run_cli("inbox", str(root), "--journal", str(journal), env=env)
        assert res.returncode == ExitCode.LOCKED and "既に処理中" in res.stderr
        res = run_cli("watch", str(root), "--journal", str(journal), env=env)
        assert res.returncode == ExitCode.LOCKED


def test_a_bad_setting_is_a_message_not_a_traceback(tmp_path):
    root = tmp_path / "share"
    conf = config_file(tmp_path / "local", workers="two")
    res = run_cli("inbox", str(root), "--journal", str(tmp_path / "local" / "j.sqlite3"),
                  env={"KYOTEI_CONFIG": str(conf)})
    assert res.returncode == ExitCode.CONFIG and "[inbox]" in res.stderr and "workers" in res.stderr
    assert "Traceback" not in res.stderr and not root.exists()


def test_help_lists_both_actions():
    res = run_cli("inbox", "--help")
    assert res.returncode == 0 and "status" in res.stdout and "run" in res.stdout
    res = run_cli("watch", "--help")
    assert "--poll" in res.stdout and "--interval" in res.stdout


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_watch_processes_drops_logs_and_stops_cleanly(setup, tmp_path, sig):
    root, journal, env = setup
    log = tmp_path / "local" / "watch.log"
    full_env = {**os.environ, **env}
    full_env.pop("KYOTEI_LANG", None)
    proc = subprocess.Popen([sys.executable, "-m", "kyotei_docs", "watch", str(root), "--journal", str(journal),
                             "--poll", "--interval", "0.3", "--no-pdf", "--workers", "1", "--log", str(log)],
                            cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        write_form(tmp_path / "w.docx", "株式会社ウォッチ")
        os.replace(tmp_path / "w.docx", root / "inbox" / "w.docx")
        end = time.monotonic() + 120  # an upper bound only: a busy machine may need long for the first file
        while time.monotonic() < end and not submission_folders(root)["done"]:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        assert submission_folders(root)["done"]
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    text = log.read_text("utf-8")
    assert "監視を開始しました" in text and "完了:" in text and "監視を終了しました" in text
    assert json.loads((root / ".work" / "lock.json").read_text())["active"] is False


def test_an_in_process_pass_over_a_pdf_ends(setup, tmp_path):
    """--workers 0 reads the PDF in the sandbox's forked child, which inherited the command's SIGTERM
    handler: the child must still end when the command exits, or the command waits for it for ever."""
    from pdfbuild import Page, reportlab_pdf

    root, journal, env = setup
    reportlab_pdf(root / "inbox" / "a.pdf", Page().text(72, 72, "お知らせ"))
    res = run_cli("inbox", str(root), "--journal", str(journal), "--no-pdf", "--workers", "0", env=env)
    assert res.returncode == 0, res.stderr
    assert "処理 1件" in res.stdout and not list((root / "inbox").iterdir())
