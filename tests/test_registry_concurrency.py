"""Several processes writing at once (the watcher and staff): nothing lost, nothing doubled."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kyotei_docs.registry.queries import list_agreements
from kyotei_docs.registry.store import open_registry
from test_registry_helpers import add_signed, open_new

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

WRITER = textwrap.dedent("""
    import sys
    sys.path[:0] = [{root!r}, {tests!r}]
    from datetime import date
    from pathlib import Path
    from kyotei_docs.config import load_config
    from kyotei_docs.registry import record_submission
    from kyotei_docs.registry.dates import DateRules
    from kyotei_docs.registry.lifecycle import add_result, renew_due
    from kyotei_docs.registry.store import open_registry
    from test_registry_helpers import checked

    worker, count, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    cfg = load_config()
    from dataclasses import replace
    cfg = replace(cfg, registry=replace(cfg.registry, path=path, busy_timeout_seconds=30))
    for i in range(count):
        result = checked(cfg, f"株式会社{{worker}}の{{i}}")
        # the watcher's hook, each call its own connection and transaction
        record_submission(cfg, result, submission_id=f"w{{worker}}-{{i}}", sha256=f"{{worker:04d}}{{i:060d}}",
                          folder=Path("."))
        # the same file seen twice (a rescan) must not be recorded twice
        record_submission(cfg, result, submission_id=f"w{{worker}}-{{i}}", sha256=f"{{worker:04d}}{{i:060d}}",
                          folder=Path("."))
        with open_registry(path, busy_seconds=30) as reg:
            add_result(reg, 1, fy=2026, item=1, title=f"w{{worker}} r{{i}}", actor=f"w{{worker}}",
                       today=date(2026, 8, 1))
            renew_due(reg, today=date(2029, 4, 2), actor=f"w{{worker}}", rules=DateRules())
    print("done", worker)
""")


@pytest.mark.slow
def test_concurrent_writer_processes(tmp_path, cfg):
    path = tmp_path / "reg.sqlite3"
    with open_new(tmp_path) as reg:
        add_signed(reg, cfg, date(2026, 6, 1), name="株式会社共有")  # ID 1, expires 2027-03-31
    script = WRITER.format(root=str(ROOT), tests=str(TESTS))
    workers, count = 4, 20
    procs = [subprocess.Popen([sys.executable, "-c", script, str(w), str(count), str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
             for w in range(workers)]
    # a reader (staff running `due`/`list`) works meanwhile
    reads = 0
    while any(p.poll() is None for p in procs):
        with open_registry(path) as reg, reg.snapshot() as conn:
            list_agreements(conn)
            reads += 1
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
        assert out.startswith("done")
    assert reads > 0
    with open_registry(path) as reg:
        conn = reg.conn
        assert conn.execute("SELECT count(*) FROM agreements").fetchone()[0] == 1 + workers * count
        assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1 + workers * count
        assert conn.execute("SELECT count(*) FROM results").fetchone()[0] == workers * count
        # every worker tried to renew; the three renewals due happened exactly once
        renewals = conn.execute("SELECT detail FROM events WHERE kind = 'renewed' ORDER BY id").fetchall()
        assert [json.loads(r[0])["expires_on"] for r in renewals] == ["2028-03-31", "2029-03-31", "2030-03-31"]
        assert conn.execute("SELECT expires_on, renewals FROM agreements WHERE id = 1").fetchone()[:] == (
            "2030-03-31", 3)
        assert reg.integrity() == ["ok"]


SAME_FILES = textwrap.dedent("""
    import sys
    sys.path[:0] = [{root!r}, {tests!r}]
    from dataclasses import replace
    from pathlib import Path
    from kyotei_docs.config import load_config
    from kyotei_docs.registry import record_submission
    from test_registry_helpers import checked

    worker, count, path, barrier = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    cfg = load_config()
    cfg = replace(cfg, registry=replace(cfg.registry, path=path, busy_timeout_seconds=30))
    results = [checked(cfg, f"株式会社同一{{i}}") for i in range(count)]
    if barrier:  # all workers begin together: each says it is ready, then waits for the word to go
        import time
        Path(barrier, f"ready-{{worker}}").touch()
        while not Path(barrier, "go").exists():
            time.sleep(0.001)
    order = list(range(count)) if worker % 2 == 0 else list(reversed(range(count)))
    created = 0
    for i in order:
        # every worker records the same submissions: same ID and SHA-256
        outcome = record_submission(cfg, results[i], submission_id=f"20261125-{{i:03d}}",
                                    sha256=f"{{i:064x}}", folder=Path("."))
        created += outcome.created
    print("created", created)
""")


def test_same_submission_from_several_processes_at_once_is_recorded_once(tmp_path):
    """Watchers (or a watcher and its retry) racing on the same files: one row each."""
    from waitkit import wait_for

    path = tmp_path / "reg.sqlite3"
    script = SAME_FILES.format(root=str(ROOT), tests=str(TESTS))
    workers, count = 4, 15
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    procs = [subprocess.Popen([sys.executable, "-c", script, str(w), str(count), str(path), str(barrier)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
             for w in range(workers)]
    # every worker has read its files and waits: they are let go at once (one that died is reported below)
    wait_for(lambda: len(list(barrier.glob("ready-*"))) == workers or any(p.poll() is not None for p in procs),
             timeout=120)
    (barrier / "go").touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outputs):
        assert p.returncode == 0, err
    created = [int(out.split()[1]) for out, _ in outputs]
    assert sum(created) == count  # each submission created by exactly one worker
    with open_registry(path) as reg:
        conn = reg.conn
        assert conn.execute("SELECT count(*) FROM agreements").fetchone()[0] == count
        assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == count
        assert conn.execute("SELECT count(*) FROM events WHERE kind = 'received'").fetchone()[0] == count
        names = sorted(r[0] for r in conn.execute("SELECT partner_name FROM agreements"))
        assert names == sorted(f"株式会社同一{i}" for i in range(count))
        assert reg.integrity() == ["ok"]


def test_busy_registry_gives_clear_message(tmp_path, cfg):
    """A writer that holds the lock longer than the timeout: a message, not a traceback."""
    import sqlite3

    import pytest

    from kyotei_docs.exitcodes import ExitCode
    from kyotei_docs.registry.errors import RegistryError
    from kyotei_docs.registry.lifecycle import start_consultation
    from test_registry_helpers import add

    with open_new(tmp_path) as reg:
        aid = add(reg, cfg)
    blocker = sqlite3.connect(tmp_path / "reg.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with open_registry(tmp_path / "reg.sqlite3", busy_seconds=0.2) as reg:
            with reg.snapshot() as conn:  # readers are not blocked by the writer (WAL)
                assert len(list_agreements(conn)) == 1
            with pytest.raises(RegistryError) as err:
                start_consultation(reg, aid, on=date(2026, 5, 1), actor="x")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert err.value.code == "busy" and err.value.exit_code == ExitCode.REGISTRY
    assert "0.2 秒" in err.value.message


def test_backups_taken_while_a_process_writes_are_each_one_consistent_state(tmp_path, cfg):
    """Each copy holds whole transactions only: as many agreements as submissions and received events."""
    import sqlite3
    import time

    from kyotei_docs.registry.store import backup

    path = tmp_path / "reg.sqlite3"
    open_new(tmp_path).close()
    script = SAME_FILES.format(root=str(ROOT), tests=str(TESTS))
    count = 100
    writer = subprocess.Popen([sys.executable, "-c", script, "0", str(count), str(path), ""],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    copies: list[Any] = []
    try:
        deadline = time.monotonic() + 60
        while writer.poll() is None and time.monotonic() < deadline:  # wait for the first write
            with open_registry(path) as reg, reg.snapshot() as conn:
                if conn.execute("SELECT count(*) FROM agreements").fetchone()[0]:
                    break
            time.sleep(0.01)
        while writer.poll() is None and len(copies) < 8:
            with open_registry(path, busy_seconds=30) as reg:
                copies.append(backup(reg, tmp_path / f"copy{len(copies)}.sqlite3"))
            time.sleep(0.05)
    finally:
        _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert copies
    seen = []
    for copy in copies:
        conn = sqlite3.connect(copy)
        agreements, submissions, received = (conn.execute(q).fetchone()[0] for q in (
            "SELECT count(*) FROM agreements", "SELECT count(*) FROM submissions",
            "SELECT count(*) FROM events WHERE kind = 'received'"))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        assert agreements == submissions == received
        seen.append(agreements)
    assert seen == sorted(seen)  # later copies never hold less
    assert any(0 < n < count for n in seen), seen  # copies really were taken while it wrote
