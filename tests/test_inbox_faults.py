"""Infrastructure faults are retried, never sent to error/; bugs are retried, then reported; stops are clean."""

from __future__ import annotations

import errno
import importlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

import kyotei_docs.pipeline as pipeline
import pooltargets
from inboxkit import cfg, drop, journal, one_pass, options, root, stray_temp_files, submission_folders, write_form  # noqa: F401  (fixtures)
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.inbox import batch as batch_mod
from kyotei_docs.inbox import finish as finish_mod
from kyotei_docs.inbox import journal as journal_mod
from kyotei_docs.inbox import process as process_mod
from kyotei_docs.inbox.batch import PassOptions, Progress, run_pass
from kyotei_docs.inbox.journal import Journal
from kyotei_docs.inbox.layout import FolderUnavailable, Layout
from kyotei_docs.inbox.lock import FolderLock, FolderLocked
from kyotei_docs.inbox.pool import WorkerPool
from kyotei_docs.inbox.process import Task
from kyotei_docs.inbox.results import Failure, Infra
from kyotei_docs.limits import Limits


def work_folders(root: Path) -> list[Path]:
    return [p for p in (root / ".work").iterdir() if p.is_dir()]


def row(journal: Path, name: str) -> dict:
    db = sqlite3.connect(journal)
    db.row_factory = sqlite3.Row
    r = db.execute("SELECT * FROM submissions WHERE name = ?", (name,)).fetchone()
    return dict(r)


def test_disk_full_while_writing_outputs_is_retried_not_rejected(root, journal, tmp_path, monkeypatch):
    data = write_form(tmp_path / "a.docx", "株式会社ディスク").read_bytes()
    drop(root, "a.docx", data)

    def full(path, obj):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(process_mod, "atomic_write_json", full)
    summary = one_pass(root, journal)
    assert summary.finished == [] and len(summary.retrying) == 1 and summary.exit_code == ExitCode.RETRY
    detail = summary.retrying[0][2]  # in Japanese: what is wrong, where, what to do; the errno for the administrator
    assert detail.startswith("ディスクの空き容量がありません（") and "proposal.json" in detail, detail
    assert "空きを作ってください" in detail and detail.endswith("[ENOSPC]") and "No space" not in detail
    (folder,) = work_folders(root)
    assert (folder / "a.docx").read_bytes() == data
    r = row(journal, "a.docx")
    assert r["attempts"] == 1 and "[ENOSPC]" in r["last_error"] and r["state"] == "claimed"
    assert not submission_folders(root)["error"]
    monkeypatch.undo()
    summary = one_pass(root, journal)
    assert [f.outcome for f in summary.finished] == ["valid"] and summary.exit_code == ExitCode.OK
    assert not work_folders(root) and not stray_temp_files(root)


def test_permission_denied_on_the_final_move_is_retried(root, journal, tmp_path, monkeypatch):
    drop(root, "a.docx", write_form(tmp_path / "a.docx").read_bytes())
    real = os.rename

    def deny(src, dst):
        if "/.work/" in str(src) and "/done/" in str(dst):
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real(src, dst)

    monkeypatch.setattr(finish_mod.os, "rename", deny)
    summary = one_pass(root, journal)
    assert summary.finished == [] and summary.retrying
    assert row(journal, "a.docx")["state"] == "finishing"  # destination chosen, move pending
    monkeypatch.undo()
    summary = one_pass(root, journal)
    assert [f.outcome for f in summary.finished] == ["valid"]
    assert summary.recovered == 1 and not work_folders(root)


def test_share_vanishing_mid_file_is_an_infrastructure_fault(root, journal, tmp_path, monkeypatch):
    drop(root, "a.docx", write_form(tmp_path / "a.docx").read_bytes())
    away = tmp_path / "away"
    real = pipeline.check_file

    def vanish(path, config):
        os.rename(root, away)  # the share disappears while the file is being read
        return real(path, config)

    monkeypatch.setattr(pipeline, "check_file", vanish)
    summary = one_pass(root, journal)
    assert not summary.finished and summary.retrying
    monkeypatch.undo()
    with pytest.raises(FolderUnavailable):
        one_pass(root, journal)
    os.rename(away, root)  # and comes back
    summary = one_pass(root, journal)
    assert [f.outcome for f in summary.finished] == ["valid"]
    assert not submission_folders(root)["error"]


def test_an_unexpected_error_is_retried_then_reported_in_error(root, journal, tmp_path, monkeypatch):
    data = write_form(tmp_path / "a.docx").read_bytes()
    drop(root, "a.docx", data)

    def bug(path, config):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(pipeline, "check_file", bug)
    for attempt in (1, 2):
        summary = one_pass(root, journal, max_attempts=3)
        assert not summary.finished and summary.retrying, attempt
        assert row(journal, "a.docx")["attempts"] == attempt
    summary = one_pass(root, journal, max_attempts=3)
    assert [f.outcome for f in summary.finished] == ["failed"]
    (folder,) = submission_folders(root)["error"]
    assert (folder / "a.docx").read_bytes() == data
    reason = (folder / "理由.txt").read_text("utf-8-sig")
    assert "予期しないエラー" in reason and "3 回" in reason and "RuntimeError" in reason
    assert json.loads((folder / "submission.json").read_text("utf-8"))["status"] == "failed"


@pytest.mark.slow
def test_a_file_whose_reader_times_out_or_crashes_its_worker_is_not_lost(tmp_path):
    """The pool kills an overrunning worker and replaces a dead one; the others go on."""
    tasks = [Task(f"id{n}", str(tmp_path), name) for n, name in enumerate(["ok1", "hang", "crash", "ok2", "ok3"])]
    results: dict[str, dict] = {}
    # The time limit is counted from a worker being ready: 1.5 s is ample for the trivial tasks on a busy
    # machine, and the hanging one is killed once it is up (the whole test waits for that firing).
    with WorkerPool(2, cfg(), "ja", Limits(submission_seconds=1.5, worker_memory_mb=0), target=pooltargets.scripted) as pool:
        left = pool.run(tasks, lambda t, r: results.__setitem__(t.original, r))
    assert left == []
    hang, crash = results["hang"], results["crash"]
    assert isinstance(hang, Failure) and hang.timeout and "timeout" in hang.detail
    assert isinstance(crash, Failure) and not crash.timeout and "died" in crash.detail
    assert all(results[n]["kind"] == "ok" and results[n]["pid"] != os.getpid() for n in ("ok1", "ok2", "ok3")), results


def test_real_worker_processes_read_in_parallel(root, journal, tmp_path):
    for n in range(4):
        drop(root, f"f{n}.docx", write_form(tmp_path / f"f{n}.docx", f"株式会社並列{n}").read_bytes())
    summary = one_pass(root, journal, workers=2)
    assert sorted(f.outcome for f in summary.finished) == ["valid"] * 4


def test_two_workers_work_at_the_same_time(tmp_path):
    """Both cores: with two workers, two tasks run at once in two processes.

    Each task marks its start and waits (up to 20 s) until another task has
    started too: run one after the other, the first would wait in vain.  No
    measured durations, so a busy machine slows the test but cannot fail it.
    """
    tasks = [Task(f"id{n}", str(tmp_path), "sleep") for n in range(4)]
    spans: dict[str, dict] = {}
    with WorkerPool(2, cfg(), "ja", Limits(submission_seconds=60, worker_memory_mb=0), target=pooltargets.meets_another) as pool:
        pool.run(tasks, lambda t, r: spans.__setitem__(t.sid, r))
    assert sorted(spans) == [t.sid for t in tasks]
    assert len({r["pid"] for r in spans.values()}) == 2
    assert all(r["met"] for r in spans.values()), "a task never ran beside another"


@pytest.mark.slow
def test_a_worker_that_grows_is_replaced_and_nothing_is_lost(tmp_path):
    """A worker over its resident-size limit hands over to a fresh one; every task is answered once."""
    tasks = [Task(f"id{n}", str(tmp_path), "x") for n in range(6)]
    results: dict[str, dict] = {}
    with WorkerPool(2, cfg(), "ja", Limits(submission_seconds=30, worker_memory_mb=0, worker_retire_mb=1), target=pooltargets.pid) as pool:
        left = pool.run(tasks, lambda t, r: results.__setitem__(t.sid, r))
    assert left == [] and sorted(results) == [t.sid for t in tasks]
    assert all(r["kind"] == "ok" for r in results.values())
    assert len({r["pid"] for r in results.values()}) == 6  # every worker retired after one task


def test_a_stop_request_finishes_the_current_file_and_leaves_the_rest(root, journal, tmp_path):
    for n in range(3):
        drop(root, f"f{n}.docx", write_form(tmp_path / f"f{n}.docx", f"株式会社停止{n}").read_bytes())
    stop = threading.Event()

    class StopAfterFirst(Progress):
        def advance(self, finished):
            stop.set()

    layout = Layout.at(root)
    with Journal(journal, layout.root) as j:
        summary = run_pass(layout, j, cfg(journal.parent), options(), stop=stop, progress=StopAfterFirst())
    assert summary.stopped and summary.processed == 1
    # the rest is still in inbox/ (never claimed) or whole in .work/ (claimed, resumed next time)
    assert len(list((root / "inbox").iterdir())) + len(work_folders(root)) == 2
    summary = one_pass(root, journal)
    assert summary.processed == 2
    assert len(submission_folders(root)["done"]) == 3 and not stray_temp_files(root)


def test_pdf_failures_are_retried_then_finished_without_pdf(root, journal, tmp_path, monkeypatch):
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社ピーディーエフ").read_bytes())

    def broken(docx, out_dir):
        raise RuntimeError("soffice crashed (signal 11)")

    monkeypatch.setattr(batch_mod, "converter", lambda: broken)
    summary = one_pass(root, journal, pdf=True, pdf_attempts=2)
    assert not summary.finished and "soffice crashed" in summary.retrying[0][2]
    summary = one_pass(root, journal, pdf=True, pdf_attempts=2)
    (fin,) = summary.finished
    assert fin.outcome == "valid"
    record = json.loads((fin.dest / "submission.json").read_text("utf-8"))
    assert any("soffice crashed" in n for n in record["notes"])
    assert "PDF は作成できませんでした" in (fin.dest / "report.html").read_text("utf-8")
    assert not list(fin.dest.glob("*.pdf")) and list(fin.dest.glob("*.docx"))


@pytest.mark.libreoffice
@pytest.mark.slow
def test_pdfs_are_made_in_one_batch_when_libreoffice_is_there(root, journal, tmp_path):
    """Two submissions from one partner have drafts of the same names: each gets its own PDFs (real LibreOffice)."""
    for n in range(2):
        drop(root, f"f{n}.docx", write_form(tmp_path / f"f{n}.docx", "株式会社同名", purpose=f"目的その{n}。").read_bytes())
    summary = one_pass(root, journal, pdf=True)
    assert [f.outcome for f in summary.finished] == ["valid", "valid"]
    for fin in summary.finished:
        pdfs = sorted(fin.dest.glob("*.pdf"))
        assert len(pdfs) == 2 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
        assert {p.stem for p in pdfs} <= {d.stem for d in fin.dest.glob("*.docx")}
    assert not stray_temp_files(root)


def test_registry_records_and_a_registry_failure_is_retried(root, journal, tmp_path, monkeypatch):
    calls: list[dict] = []
    fail = {"on": True}

    def record(config, check_result, *, submission_id, sha256, folder):
        if fail["on"]:
            raise RuntimeError("registry is busy")
        calls.append({"id": submission_id, "sha": sha256, "folder": folder,
                      "valid": check_result.valid, "name": check_result.proposal.organization.name})

    monkeypatch.setattr(finish_mod, "registry_api", lambda: record)
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社台帳").read_bytes())
    summary = one_pass(root, journal)
    assert [f.outcome for f in summary.finished] == ["valid"]  # the submission is not held back
    assert summary.registry_failures and row(journal, "a.docx")["registry"] == "pending"
    fail["on"] = False
    one_pass(root, journal)
    (call,) = calls
    r = row(journal, "a.docx")
    assert r["registry"] == "done" and call["id"] == r["id"] and call["sha"] == r["sha256"]
    assert call["folder"] == root / r["dest"] and call["valid"] and call["name"] == "株式会社台帳"


def test_real_registry_gets_the_submission(root, journal, tmp_path):
    """The hook "proposals processed by the drop folder appear in the registry", with the real registry."""
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社本物台帳").read_bytes())
    drop(root, "b.docx", write_form(tmp_path / "b.docx", "株式会社本物フビ", valid=False).read_bytes())
    one_pass(root, journal)
    db = sqlite3.connect(journal.parent / "registry.sqlite3")
    ids = sorted(r[0] for r in db.execute("SELECT submission_id FROM submissions"))
    assert ids == sorted([row(journal, "a.docx")["id"], row(journal, "b.docx")["id"]])
    assert row(journal, "a.docx")["registry"] == "done"
    one_pass(root, journal)  # nothing new: nothing recorded twice
    assert db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 2


def test_the_registry_hook_can_be_switched_off(root, journal, tmp_path):
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社台帳なし").read_bytes())
    config = cfg(journal.parent, registry=False)
    assert PassOptions.from_config(config).registry is False
    layout = Layout.at(root)
    with Journal(journal, layout.root) as j:
        summary = run_pass(layout, j, config, options(registry=False))
    assert [f.outcome for f in summary.finished] == ["valid"]
    assert not (journal.parent / "registry.sqlite3").exists()
    assert row(journal, "a.docx")["registry"] is None


def test_a_busy_journal_is_waited_for_not_an_error(root, journal, tmp_path, monkeypatch):
    """Another connection holds the journal's write lock when the pass comes to write: the pass waits (busy
    timeout).  The lock is given back only once the pass has begun a write, so the pass cannot get past it
    without waiting, however slow the machine."""
    one_pass(root, journal)  # creates the journal
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社まつ").read_bytes())
    other = sqlite3.connect(journal, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    writing = threading.Event()

    def release() -> None:
        writing.wait(120)
        time.sleep(0.2)  # the pass is in its busy wait meanwhile
        other.execute("COMMIT")

    def watched(path, busy_seconds):  # the journal's own connection, told to say when it begins a write
        conn = real_connect(path, busy_seconds)
        conn.set_trace_callback(lambda sql: writing.set() if sql.startswith("BEGIN IMMEDIATE") else None)
        return conn

    real_connect = journal_mod.connect
    monkeypatch.setattr(journal_mod, "connect", watched)
    releaser = threading.Thread(target=release)
    releaser.start()
    try:
        summary = one_pass(root, journal)
    finally:
        writing.set()
        releaser.join()
        other.close()
    assert [f.outcome for f in summary.finished] == ["valid"]


def test_one_instance_per_folder(tmp_path):
    work = tmp_path / ".work"
    work.mkdir()
    with FolderLock(work):
        with pytest.raises(FolderLocked) as info:
            FolderLock(work).acquire()
        assert "既に処理中" in info.value.message
    with FolderLock(work):  # released: can be taken again
        pass


def test_a_lock_from_another_pc_is_respected_until_it_goes_stale(tmp_path):
    work = tmp_path / ".work"
    work.mkdir()
    lock = work / "lock.json"
    # written by the other PC with its own offset (a server in UTC): shown in the city's time
    lock.write_text(json.dumps({"host": "other-pc", "pid": 1, "active": True, "since": "2026-04-01T00:00:00+00:00"}))
    with pytest.raises(FolderLocked) as info:
        FolderLock(work, stale=600).acquire()
    assert "other-pc" in info.value.message and "2026-04-01 09:00 開始" in info.value.message
    old = time.time() - 3600
    os.utime(lock, (old, old))
    with FolderLock(work, stale=600):
        assert json.loads(lock.read_text())["pid"] == os.getpid()
    assert json.loads(lock.read_text())["active"] is False


def test_workers_that_cannot_start_are_an_infrastructure_fault(tmp_path, monkeypatch):
    """A broken installation (workers die before they are ready) must not send files to error/."""
    (tmp_path / "brokenchild.py").write_text(  # importable here, dies on import in any other process
        "import os\n"
        f"if os.getpid() != {os.getpid()}:\n"
        "    raise SystemExit(3)\n"
        "def target(task, cfg):\n"
        "    return {'sid': task.sid, 'kind': 'ok'}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    brokenchild = importlib.import_module("brokenchild")  # made just above

    tasks = [Task(f"id{n}", str(tmp_path), f"f{n}") for n in range(5)]
    produced: list[str] = []

    def lazily():
        for t in tasks:
            produced.append(t.sid)
            yield t

    results: dict[str, dict] = {}
    with WorkerPool(2, cfg(), "ja", Limits(submission_seconds=30, worker_memory_mb=0), target=brokenchild.target) as pool:
        pool.run(lazily(), lambda t, r: results.__setitem__(t.sid, r))
    assert results and all(isinstance(r, Infra) and "cannot start" in r.detail for r in results.values())
    assert len(produced) < len(tasks)  # it stopped taking files instead of failing them one by one


def test_a_submission_recorded_on_a_later_pass_gets_its_case_named_then(root, journal, tmp_path, monkeypatch):
    """The registry was busy during the pass: the folder is finished without a case; the pass that
    records it names the case in submission.json and report.html, rebuilt from the folder's files."""
    from kyotei_docs.registry import record_submission

    busy = {"on": True}

    def record(config, check_result, **kw):
        if busy["on"]:
            raise RuntimeError("registry is busy")
        return record_submission(config, check_result, **kw)

    monkeypatch.setattr(finish_mod, "registry_api", lambda: record)
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社あとで台帳").read_bytes())
    [fin] = one_pass(root, journal).finished
    assert "case" not in json.loads((fin.dest / "submission.json").read_text("utf-8"))
    before = (fin.dest / "report.html").read_text("utf-8")
    assert "案件（協定登録簿）" not in before
    busy["on"] = False
    one_pass(root, journal)
    record_json = json.loads((fin.dest / "submission.json").read_text("utf-8"))
    assert record_json["case"]["role"] == "original" and record_json["case"]["organisation"] == "株式会社あとで台帳"
    after = (fin.dest / "report.html").read_text("utf-8")
    assert "案件（協定登録簿）" in after and "新しい案件" in after
    assert after.replace(after[after.index("<h2>案件"):after.index("<h2>", after.index("<h2>案件") + 1)], "") == before


class _Killed(BaseException):
    """Stands for SIGKILL in-process: nothing after it runs, no handler catches it."""


def test_a_pass_killed_while_naming_the_case_names_it_next_time_and_leaves_no_temp_file(
        root, journal, tmp_path, monkeypatch):
    """Killed after the move to done/, half-way through rewriting submission.json: the row stays
    pending for the registry, so the next pass records it (once), names the case and removes the
    temporary file the killed write left (the SIGKILL test found one in done/)."""
    real = finish_mod.name_case

    def killed_half_way(folder, note, check=None):
        (folder / ".0d89f550.kyotei-tmp.json").write_text('{"id": ', "utf-8")
        raise _Killed

    monkeypatch.setattr(finish_mod, "name_case", killed_half_way)
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社キル").read_bytes())
    with pytest.raises(_Killed):
        one_pass(root, journal)
    [folder] = submission_folders(root)["done"]
    assert stray_temp_files(root) and "case" not in json.loads((folder / "submission.json").read_text("utf-8"))
    assert row(journal, "a.docx")["state"] == "done" and row(journal, "a.docx")["registry"] == "pending"

    monkeypatch.setattr(finish_mod, "name_case", real)
    one_pass(root, journal)
    assert not stray_temp_files(root)
    assert json.loads((folder / "submission.json").read_text("utf-8"))["case"]["organisation"] == "株式会社キル"
    assert row(journal, "a.docx")["registry"] == "done"
    db = sqlite3.connect(journal.parent / "registry.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 1
