"""The kill test: `kyotei inbox` killed with SIGKILL at random moments, restarted until done.

Afterwards every dropped file is in done/ or error/ exactly once (copies of the
same bytes: once there, the others in duplicate/), byte-identical, with complete
outputs, nothing left in inbox/ or .work/, no temporary files, and a journal in
which every submission is finished.  Kills hit the whole process group (a power
cut) or only the parent (its workers must die with it and not scribble on).

Reproduce a failure with KYOTEI_KILL_SEED=<seed printed in the assertion>.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from docxbuild import make_docx
from inboxkit import config_file, form1, stray_temp_files, submission_folders

N_VALID, N_INVALID, N_BAD, N_PAIRS = 90, 12, 8, 3
KILLS = 7


def corpus(folder: Path) -> dict[str, bytes]:
    """name -> bytes: valid and invalid forms, unreadable files, and a few exact copies."""
    folder.mkdir(parents=True)
    files: dict[str, bytes] = {}
    for n in range(N_VALID):
        files[f"提案書_{n:03d}.docx"] = make_docx(form1(f"株式会社キル{n:03d}"), folder / f"v{n}.docx").read_bytes()
    for n in range(N_INVALID):
        files[f"要修正_{n:03d}.docx"] = make_docx(form1(f"株式会社フビ{n:03d}", valid=False),
                                               folder / f"i{n}.docx").read_bytes()
    for n in range(N_BAD):
        files[f"壊れ_{n:03d}.docx"] = (b"this is not a form %d " % n) * 20
    for n in range(N_PAIRS):
        files[f"重複_{n}_a.docx"] = files[f"重複_{n}_b.docx"] = files[f"提案書_{n:03d}.docx"]
    return files


def start(root: Path, journal: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kyotei_docs", "inbox", str(root), "--journal", str(journal),
                             "--no-pdf", "--workers", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing(tmp_path):
    seed = int(os.environ.get("KYOTEI_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    root = tmp_path / "share"
    journal = tmp_path / "local" / "journal.sqlite3"
    conf = config_file(tmp_path / "local", settle_seconds=0.1, incomplete_grace_seconds=0.3)
    env = {**os.environ, "KYOTEI_CONFIG": str(conf)}
    env.pop("KYOTEI_LANG", None)
    files = corpus(tmp_path / "src")
    (root / "inbox").mkdir(parents=True)
    for name, data in files.items():
        (root / "inbox" / name).write_bytes(data)

    kills, runs, last_err = 0, 0, ""
    deadline = time.monotonic() + 480  # an upper bound only (a busy 2-core machine)
    while time.monotonic() < deadline:
        runs += 1
        proc = start(root, journal, env)
        if kills < KILLS:
            time.sleep(rng.uniform(0.2, 2.5))
            if proc.poll() is None:
                if rng.random() < 0.5:
                    os.killpg(proc.pid, signal.SIGKILL)  # everything at once
                else:
                    os.kill(proc.pid, signal.SIGKILL)  # the parent only: workers must follow
                proc.wait()
                if proc.stderr is not None:
                    proc.stderr.close()  # a killed run's messages are not read; its pipe must not leak
                kills += 1
                continue
        _, err = proc.communicate(timeout=120)
        last_err = err.decode("utf-8", "replace")
        assert "Traceback" not in last_err, f"seed={seed}\n{last_err}"
        left = list((root / "inbox").iterdir()) + [p for p in (root / ".work").iterdir() if p.is_dir()]
        if proc.returncode == 0 and not left:
            break
    else:
        pytest.fail(f"seed={seed}: not finished after {runs} runs\n{last_err}")

    context = f"seed={seed}, kills={kills}, runs={runs}"
    by_sha: dict[str, list[tuple[str, Path]]] = {}
    areas = submission_folders(root)
    for area, folders in areas.items():
        for folder in folders:
            record = json.loads((folder / "submission.json").read_text("utf-8"))
            original = folder / record["original"]
            data = original.read_bytes()
            assert hashlib.sha256(data).hexdigest() == record["sha256"], context
            assert files[record["dropped_as"]] == data, context  # byte-identical to what was dropped
            by_sha.setdefault(record["sha256"], []).append((area, folder))
            _complete(area, folder, record, context)
    expected_shas = {hashlib.sha256(d).hexdigest() for d in files.values()}
    assert set(by_sha) == expected_shas, context
    for places in by_sha.values():
        finals = [a for a, _ in places if a in ("done", "error")]
        assert len(finals) == 1, f"{context}: {places}"
    # three copies each of 提案書_000…: whichever was claimed first is done, the other two are duplicates
    assert len(areas["duplicate"]) == 2 * N_PAIRS, context
    assert sum(len(v) for v in by_sha.values()) == len(files), context
    assert not stray_temp_files(root), context
    assert not [p for p in root.rglob(".*") if p.name != ".work" and p.parent != root / ".work"], context
    db = sqlite3.connect(journal)
    states = dict(db.execute("SELECT state, COUNT(*) FROM submissions GROUP BY state").fetchall())
    assert set(states) <= {"done", "error", "duplicate"}, f"{context}: {states}"
    assert sum(states.values()) == len(files), f"{context}: {states}"


def _complete(area: str, folder: Path, record: dict, context: str) -> None:
    names = {p.name for p in folder.iterdir()}
    if area == "done":
        assert {"submission.json", "proposal.json", "check.json", "report.html"} <= names, f"{context}: {folder}"
        check = json.loads((folder / "check.json").read_text("utf-8"))
        assert record["status"] == ("valid" if check["valid"] else "invalid")
        assert ("要修正.txt" in names) == (not check["valid"]), f"{context}: {folder}"
        assert set(record["drafts"]) <= names, f"{context}: {folder}"
        if check["valid"]:  # Form 2 and Form 3 drafts, each complete
            drafts = [folder / d for d in record["drafts"] if d.endswith(".docx")]
            assert len(drafts) == 2, f"{context}: {folder}"
            for d in drafts:
                with zipfile.ZipFile(d) as z:
                    assert z.testzip() is None and b"</w:document>" in z.read("word/document.xml")
        assert "</html>" in (folder / "report.html").read_text("utf-8")
    elif area == "error":
        assert {"submission.json", "理由.txt"} <= names and record["status"] == "unreadable", f"{context}: {folder}"
    else:
        assert {"submission.json", "重複.txt"} <= names and record["status"] == "duplicate", f"{context}: {folder}"


#: how often the next test kills a pass (at load below 1: a busier machine stretches it in proportion,
#: so a pass gets the same share of a core), and how many passes may go by before the queue is empty
KILL_EVERY, MAX_PASSES, N_STEADY = 2.0, 60, 16


def _kill_interval() -> float:
    busy = os.getloadavg()[0] / (os.cpu_count() or 1) if hasattr(os, "getloadavg") else 0.0
    return KILL_EVERY * max(1.0, busy)


@pytest.mark.slow
def test_passes_killed_every_two_seconds_still_drain_the_queue(tmp_path):
    """Each pass is SIGKILLed 2 s after it starts (the group or the parent only, in turn) until one ends
    by itself: what a pass finished — a file read and drafted, a submission filed — is kept, so the
    next pass goes on from there and the queue drains; nothing is lost or doubled on the way."""
    root = tmp_path / "share"
    journal = tmp_path / "local" / "journal.sqlite3"
    conf = config_file(tmp_path / "local", settle_seconds=0.1, incomplete_grace_seconds=0.3)
    env = {**os.environ, "KYOTEI_CONFIG": str(conf)}
    env.pop("KYOTEI_LANG", None)
    (tmp_path / "src").mkdir()
    files = {f"提案書_{n:03d}.docx": make_docx(form1(f"株式会社ツヅキ{n:03d}"), tmp_path / "src" / f"{n}.docx")
             .read_bytes() for n in range(N_STEADY)}
    (root / "inbox").mkdir(parents=True)
    for name, data in files.items():
        (root / "inbox" / name).write_bytes(data)
    done_after: list[int] = []
    for passes in range(1, MAX_PASSES + 1):
        proc = start(root, journal, env)
        try:
            proc.wait(timeout=_kill_interval())
        except subprocess.TimeoutExpired:
            if passes % 2:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                os.kill(proc.pid, signal.SIGKILL)  # the parent only: its workers must follow
            proc.wait()
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if proc.stderr is not None:
            proc.stderr.close()
        done_after.append(len(submission_folders(root)["done"]))
        if proc.returncode == 0:
            assert "Traceback" not in err, err
            left = list((root / "inbox").iterdir()) + [p for p in (root / ".work").iterdir() if p.is_dir()]
            if not left:
                break
    else:
        pytest.fail(f"the queue did not drain in {MAX_PASSES} passes killed every {KILL_EVERY:g} s "
                    f"(now {_kill_interval():.1f} s at this load); filed after each: {done_after}")
    context = f"passes={passes}, filed after each: {done_after}"
    done = submission_folders(root)["done"]
    assert len(done) == N_STEADY and not submission_folders(root)["error"], context
    for folder in done:
        record = json.loads((folder / "submission.json").read_text("utf-8"))
        assert files[record["dropped_as"]] == (folder / record["original"]).read_bytes(), context
        _complete("done", folder, record, context)
    assert not stray_temp_files(root), context
    db = sqlite3.connect(journal)
    assert dict(db.execute("SELECT state, COUNT(*) FROM submissions GROUP BY state").fetchall()) == {
        "done": N_STEADY}, context


# -- the steps a killed pass completed are not done again (deterministic: the "kill" is an exception) --


class Killed(BaseException):
    """Stands for SIGKILL at one exact moment: nothing after it runs, nothing catches it."""


def _pass(root: Path, journal: Path, monkeypatch, module, name: str, value) -> None:
    """One in-process pass with ``module.name`` replaced by ``value`` (a kill, or a guard)."""
    from inboxkit import one_pass

    with monkeypatch.context() as m:
        m.setattr(module, name, value)
        try:
            one_pass(root, journal, workers=0)
        except Killed:
            pass


def _never(*args, **kw):
    raise AssertionError("the file was read again although an earlier pass had read it")


def test_a_pass_killed_after_reading_and_drafting_is_filed_by_the_next_without_reading_again(
        tmp_path, monkeypatch):
    import kyotei_docs.pipeline as pipeline
    from inboxkit import drop, write_form
    from kyotei_docs.inbox import batch as batch_mod

    root, journal = tmp_path / "share", tmp_path / "local" / "journal.sqlite3"
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社ツヅキ").read_bytes())

    def killed(*args, **kw):
        raise Killed

    _pass(root, journal, monkeypatch, batch_mod, "finish_checked", killed)  # read, drafted, then killed
    assert not submission_folders(root)["done"]
    _pass(root, journal, monkeypatch, pipeline, "check_file", _never)
    (folder,) = submission_folders(root)["done"]
    record = json.loads((folder / "submission.json").read_text("utf-8"))
    _complete("done", folder, record, "resumed")
    from kyotei_docs.inbox.journal import Journal

    with Journal(journal, root) as j:
        steps = [s for _, s, _ in j.steps(record["id"])]
    assert steps.count("parsed") == 1 and "done" in steps, steps


def test_a_pass_killed_while_drafting_drafts_from_the_reading_it_kept(tmp_path, monkeypatch):
    import kyotei_docs.pipeline as pipeline
    import kyotei_docs.render as render
    from inboxkit import drop, write_form

    root, journal = tmp_path / "share", tmp_path / "local" / "journal.sqlite3"
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社ツヅキ").read_bytes())

    def killed(*args, **kw):
        raise Killed

    _pass(root, journal, monkeypatch, render, "render_documents", killed)  # read, killed while drafting
    (work,) = [p for p in (root / ".work").iterdir() if p.is_dir()]
    assert (work / "check.json").is_file() and not list(work.glob("*.docx"))[1:]
    _pass(root, journal, monkeypatch, pipeline, "check_file", _never)
    (folder,) = submission_folders(root)["done"]
    record = json.loads((folder / "submission.json").read_text("utf-8"))
    _complete("done", folder, record, "drafted after a kill")
