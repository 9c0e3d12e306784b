"""``make demo`` is calm: one line per step, the details in its log, and a summary a new user reads.

The summary (``scripts/demo_summary.py``) is run on a real drop-folder pass over
samples of each verdict; the Makefile's demo recipe is read to keep every step
that prints a lot (pip, apt, every file's report) writing to the log.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli
from inboxkit import settle_fast


def summary(demo: Path) -> subprocess.CompletedProcess:
    """``scripts/demo_summary.py`` as the Makefile runs it, on the code under test."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "demo_summary.py"), str(demo)],
                          capture_output=True, text=True, env=env, timeout=60)

SAMPLES = ("01_content_controls.docx", "07_invalid_one_field_no_axis.docx", "26_review_unknown_mark.docx",
           "02_typed_glyphs.docx")


def test_the_summary_counts_cases_by_verdict_and_names_a_report(tmp_path: Path) -> None:
    demo = tmp_path / "demo-output"
    assert run_cli("init", str(demo), "--no-record", cwd=tmp_path).returncode == 0  # as make demo does
    settle_fast(demo / "kyotei.toml")  # not 2 s of settling: the files are all there before the pass
    for name in SAMPLES:
        shutil.copy(ROOT / "samples" / name, demo / "受付" / "inbox" / name)
    res = run_cli("--site", "demo-output", "inbox", "--no-pdf", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    done = summary(demo)
    assert done.returncode == 0 and not done.stderr, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "デモの結果: 案件 4件（受付可 2件、要確認 1件、要修正 1件）", lines
    report = next(line.split()[-1] for line in lines if "report.html" in line)
    check = json.loads((Path(report).parent / "check.json").read_text(encoding="utf-8"))
    assert Path(report).is_file() and check["valid"] and not check["review"]  # the report of a 受付可 case
    assert any("LibreOffice" in line for line in lines)  # --no-pdf: no Form 2 PDF, and it says why
    assert any(line.rstrip().endswith("8080/") and "kyotei --site " in line and " serve" in line for line in lines)
    assert any("demo.log" in line for line in lines)


def test_a_demo_folder_without_a_registry_is_one_line_pointing_to_the_log(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path / "demo"), "--no-record", cwd=tmp_path).returncode == 0
    (tmp_path / "demo" / "registry.sqlite3").unlink()
    done = summary(tmp_path / "demo")
    assert done.returncode == 1 and not done.stderr, done.stderr
    out = done.stdout
    assert len(out.strip().splitlines()) == 1 and "demo.log" in out and "Traceback" not in out


def _demo_recipe() -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = text[text.index("\ndemo:"):].split("\n\n", 1)[0]
    return [line.strip() for line in recipe.splitlines()[1:]]


def test_every_demo_step_that_prints_a_lot_writes_to_the_log() -> None:
    noisy = [line for line in _demo_recipe()
             if not line.startswith("@echo") and re.search(r"kyotei |\$\(DEMO\) |MAKE\) -s install|pip ", line)]
    assert len(noisy) >= 5
    assert all(re.search(r">> (\$\(DEMO_LOG\)|demo\.log) 2>&1", line) for line in noisy), noisy
    assert _demo_recipe()[-1].endswith("scripts/demo_summary.py demo-output")


def test_apt_waits_for_another_apt_to_finish() -> None:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    runs = "\n".join(line for line in text.splitlines() if not line.strip().startswith("echo"))
    calls = re.findall(r"apt-get [^;&|]*?(?:update|install)", runs)
    assert len(calls) == 2 and all("-o DPkg::Lock::Timeout=300" in c for c in calls), calls
