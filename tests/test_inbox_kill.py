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
