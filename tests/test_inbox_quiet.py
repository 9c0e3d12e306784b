"""No pass prints a traceback: whatever a pass meets, staff read its summary and nothing else.

Each case runs ``kyotei inbox`` / ``kyotei watch`` as staff do (own process, real
worker processes) and fails on any ``Traceback`` in stdout or stderr — also one a
worker process or an object's clean-up prints, which no exit code shows:
- a pass that holds only a duplicate (its workers had nothing to do: they used to
  die with ``BrokenPipeError`` sending "ready" to a parent that had closed the pipe);
- ``watch`` meeting a new file and then a duplicate;
- a drop folder on a full disk (a real, tiny tmpfs in a private mount namespace):
  the summary says in Japanese what is wrong, names the file and what to do.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import ROOT, run_cli
from inboxkit import LockTouches, setup, submission_folders, write_form  # noqa: F401  (fixtures)
from kyotei_docs.exitcodes import ExitCode


def no_traceback(res: subprocess.CompletedProcess | tuple[str, str]) -> str:
    out, err = (res.stdout, res.stderr) if isinstance(res, subprocess.CompletedProcess) else res
    both = out + err
    assert "Traceback" not in both and "Exception ignored" not in both, both[-3000:]
    return both



def test_a_pass_holding_only_a_duplicate_ends_quietly(setup, tmp_path):
    root, journal, env = setup
    form = write_form(tmp_path / "form.docx", "株式会社ダブり")
    shutil.copy(form, root / "inbox" / "a.docx")
    args = ("inbox", str(root), "--journal", str(journal), "--no-pdf", "--workers", "2")
    first = run_cli(*args, env=env)
    assert first.returncode == ExitCode.OK, first.stderr
    no_traceback(first)
    shutil.copy(form, root / "inbox" / "a-again.docx")
    again = run_cli(*args, env=env)
    assert again.returncode == ExitCode.OK, again.stderr
    assert "重複 1件" in no_traceback(again)
    assert len(submission_folders(root)["duplicate"]) == 1


def test_watch_meeting_a_file_and_its_duplicate_ends_quietly(setup, tmp_path):
    root, journal, env = setup
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    full_env.pop("KYOTEI_LANG", None)
    proc = subprocess.Popen([sys.executable, "-m", "kyotei_docs", "watch", str(root), "--journal", str(journal),
                             "--poll", "--interval", "0.1", "--no-pdf", "--workers", "2"],
                            cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        form = write_form(tmp_path / "form" / "w.docx", "株式会社ウォッチ")
        for name, kind in (("w.docx", "done"), ("w-again.docx", "duplicate")):
            shutil.copy(form, tmp_path / name)
            os.replace(tmp_path / name, root / "inbox" / name)
            end = time.monotonic() + 120  # an upper bound only
            while time.monotonic() < end and not submission_folders(root)[kind]:
                assert proc.poll() is None, proc.communicate()
                time.sleep(0.1)
            assert submission_folders(root)[kind], kind
        assert LockTouches(root).wait(3)  # a few more idle cycles with nothing for the workers
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    no_traceback((out, err))


def _private_mounts_work() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _private_mounts_work(), reason="needs Linux mount namespaces (unshare) for a real full disk")
def test_a_full_disk_is_said_in_japanese_naming_the_file_twice_over_without_a_traceback(setup, tmp_path):
    """Two passes on a drop folder with 40 KB free: both summaries name each file and say what to do."""
    root, journal, env = setup
    mount = tmp_path / "full"
    mount.mkdir()
    for company, name in (("株式会社まんぱい", "a.docx"), ("株式会社いっぱい", "b.docx")):
        write_form(tmp_path / name, company)
    python = f"PYTHONPATH={ROOT} {sys.executable} -m kyotei_docs"
    args = f"inbox {mount}/share --journal {journal} --no-pdf --workers 2"
    script = textwrap.dedent(f"""\
        mount -t tmpfs -o size=1m tmpfs {mount} || exit 90
        mkdir -p {mount}/share/inbox && cp {tmp_path}/a.docx {tmp_path}/b.docx {mount}/share/inbox/
        head -c 2000000 /dev/zero > {mount}/filler 2>/dev/null; truncate -s -40K {mount}/filler
        {python} {args}; echo "exit=$?"
        echo "=== second pass"
        {python} {args}; echo "exit=$?"
        {python} inbox status {mount}/share --journal {journal}
        """)
    res = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
                         capture_output=True, text=True, timeout=300, env={**os.environ, **env})
    assert "exit=90" not in res.stdout, res.stderr
    text = no_traceback(res)
    first, second = res.stdout.split("=== second pass")
    for summary in (first, second):
        assert "exit=7" in summary, summary  # RETRY: kept, nothing lost
        for name in ("a.docx", "b.docx"):
            line = next(line for line in summary.splitlines() if f"・{name}（" in line)
            assert "ディスクの空き容量がありません（" in line and "空きを作ってください" in line, line
            assert "No space left" not in line and "OSError" not in line, line
    assert "処理中・再試行待ち" in text and "ディスクの空き容量がありません" in second.split("受付フォルダ:")[-1]
