"""A file that looks unfinished is decided by its own history, kept in the journal, not by one process's memory.

A scheduled ``kyotei inbox`` lives for seconds: the grace for an empty or
unfinished file (``incomplete_grace_seconds``) must be counted across passes,
so that every pass after the grace files it instead of leaving it in inbox/
forever.  Time passing is stood for by moving the journal's first sighting
back, as an hour between two scheduled runs would.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import run_cli
from inboxkit import config_file, drop, journal, one_pass, root, submission_folders  # noqa: F401  (fixtures)
from kyotei_docs.commands.inbox import summary_text
from kyotei_docs.inbox.journal import Journal
from kyotei_docs.inbox.layout import Layout
from pdfbuild import Page, reportlab_pdf


def padded_pdf(tmp_path: Path) -> bytes:
    """A whole, valid PDF followed by NUL bytes, as a pre-allocating copy tool leaves it: %%EOF is far from the end."""
    pdf = reportlab_pdf(tmp_path / "src.pdf", Page().text(72, 72, "お知らせ　来週の予定"))
    return pdf.read_bytes() + b"\0" * 8192


def age_sightings(journal: Path, seconds: float) -> None:
    conn = sqlite3.connect(journal)
    with conn:
        conn.execute("UPDATE sightings SET first_seen = first_seen - ?", (seconds,))
    conn.close()


def in_inbox(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "inbox").iterdir())


def test_a_padded_pdf_waits_reported_then_a_later_pass_files_it(root, journal, tmp_path):
    drop(root, "padded.pdf", padded_pdf(tmp_path))
    drop(root, "empty.docx", b"")
    first = one_pass(root, journal, grace=600.0)
    assert not first.finished and in_inbox(root) == ["empty.docx", "padded.pdf"]
    assert sorted(p.name for p in first.scan.incomplete) == ["empty.docx", "padded.pdf"]
    text = summary_text(Layout.at(root), first)
    assert "途中で終わっているように見える" in text and "padded.pdf（あと約10分）" in text
    # a second pass right away (another process, a fresh scanner) still waits: the grace is not over
    assert not one_pass(root, journal, grace=600.0).finished
    age_sightings(journal, 601)  # the next scheduled run, ten minutes later
    third = one_pass(root, journal, grace=600.0)
    assert sorted(f.name for f in third.finished) == ["empty.docx", "padded.pdf"]
    assert in_inbox(root) == []
    codes = {json.loads((f / "submission.json").read_text("utf-8"))["original"]:
             json.loads((f / "submission.json").read_text("utf-8")).get("reason", {}).get("code")
             for f in submission_folders(root)["error"]}
    assert codes.get("empty.docx") == "empty"
    with Journal(journal, root) as j:
        assert j.waiting_files() == []  # nothing left waiting


def test_a_file_that_changes_starts_its_grace_again(root, journal, tmp_path):
    path = drop(root, "cut.pdf", b"%PDF-1.7\n" + b"x" * 5000)
    one_pass(root, journal, grace=600.0)
    age_sightings(journal, 500)
    with open(path, "ab") as fh:  # more bytes arrive: it is still being written
        fh.write(b"y" * 100)
    one_pass(root, journal, grace=600.0)
    age_sightings(journal, 500)  # 1000 s since first seen, but only 500 s since it last changed
    assert not one_pass(root, journal, grace=600.0).finished and in_inbox(root) == ["cut.pdf"]
    age_sightings(journal, 200)
    assert [f.name for f in one_pass(root, journal, grace=600.0).finished] == ["cut.pdf"]


def test_one_shot_commands_report_and_file_an_unfinished_file(tmp_path):
    """Real processes, as a scheduled task runs them: run, status, run again after the grace."""
    root = tmp_path / "share"
    (root / "inbox").mkdir(parents=True)
    journal = tmp_path / "local" / "journal.sqlite3"
    env = {"KYOTEI_CONFIG": str(config_file(tmp_path / "local", settle_seconds=0.1,
                                            incomplete_grace_seconds=600))}
    (root / "inbox" / "padded.pdf").write_bytes(padded_pdf(tmp_path))
    args = ("--journal", str(journal), "--no-pdf", "--workers", "1")
    res = run_cli("inbox", str(root), *args, env=env)
    assert res.returncode == 0, res.stderr
    assert "padded.pdf（あと約10分）" in res.stdout and in_inbox(root) == ["padded.pdf"]
    res = run_cli("inbox", "status", str(root), "--journal", str(journal), env=env)
    assert res.returncode == 0 and "待機中のファイル" in res.stdout and "padded.pdf（" in res.stdout
    data = json.loads(run_cli("inbox", "status", str(root), "--journal", str(journal), "--json", env=env).stdout)
    assert [u["name"] for u in data["unfinished"]] == ["padded.pdf"]
    assert data["unfinished"][0]["since"].endswith("+09:00")  # a time staff read: the city's (Japan)
    age_sightings(journal, 601)
    res = run_cli("inbox", str(root), *args, env=env)
    assert res.returncode == 0, res.stderr
    assert in_inbox(root) == [] and "処理 1件" in res.stdout
