"""`kyotei watch` in-process: early and repeated events, growing files, the folder vanishing and returning."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from inboxkit import cfg, journal, options, root, sha, submission_folders, write_form  # noqa: F401  (fixtures)
from kyotei_docs.inbox.journal import Journal
from kyotei_docs.inbox.layout import Layout
from kyotei_docs.inbox.watcher import Watcher, WatchOptions
from waitkit import wait_for


class Counting(Watcher):
    """A watcher that counts its cycles, the failed ones too (``passes`` counts only the good ones)."""

    cycles = 0

    def _cycle(self) -> float:
        try:
            return super()._cycle()
        finally:
            self.cycles += 1


class Running:
    """A watcher on its own thread (the journal is opened there: SQLite connections stay in one thread).

    Its intervals are short (the tests wait for what they need, not for the clock): settling is
    honoured all the same, and nothing here asserts how long a rescan or a retry takes.
    """

    def __init__(self, root: Path, journal: Path, *, poll: bool = False, settle: float = 0.05, **kw) -> None:
        self.layout = Layout.at(root)
        self.stop = threading.Event()
        self.passes = 0
        self.watcher: Counting | None = None
        self.error: BaseException | None = None
        opts = options(settle=settle, **kw)
        wopts = WatchOptions(rescan=0.1, poll=poll, unavailable_wait=0.05)
        config = cfg(journal.parent)

        def run() -> None:
            try:
                with Journal(journal, self.layout.root) as j:
                    self.watcher = Counting(self.layout, j, config, opts, wopts, stop=self.stop,
                                            on_pass=lambda s: setattr(self, "passes", self.passes + 1))
                    self.watcher.run()
            except BaseException as exc:  # surfaced by the test
                self.error = exc

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert wait_for(lambda: self.watcher is not None)

    def close(self) -> None:
        assert self.watcher is not None
        self.watcher.request_stop()
        self.thread.join(20)
        assert not self.thread.is_alive(), "watcher did not stop"
        assert self.error is None, self.error



def done_count(root: Path) -> int:
    return len(submission_folders(root)["done"])


def test_files_present_at_start_up_and_dropped_later(root, journal, tmp_path):
    (root / "inbox").mkdir()
    write_form(root / "inbox" / "before.docx", "株式会社まえ")
    w = Running(root, journal)
    try:
        assert wait_for(lambda: done_count(root) == 1)
        write_form(tmp_path / "later.docx", "株式会社あと")
        os.replace(tmp_path / "later.docx", root / "inbox" / "later.docx")
        assert wait_for(lambda: done_count(root) == 2)
    finally:
        w.close()


def test_a_file_written_slowly_is_taken_once_and_only_when_complete(root, journal, tmp_path):
    """Every chunk fires events (early, repeated); the file must not be taken half-written."""
    data = write_form(tmp_path / "slow.docx", "株式会社ゆっくり").read_bytes()
    # A long grace: on a busy machine this thread may stall between chunks for longer than settle; the
    # half-written zip must then wait as unfinished (no end record), not be taken once a short grace is over.
    # Settle longer than the pause between chunks: it, not only the zip's end record, keeps the file waiting.
    w = Running(root, journal, settle=0.2, grace=600.0)
    watcher = w.watcher
    assert watcher is not None
    try:
        assert wait_for(lambda: (root / "inbox").is_dir())
        target = root / "inbox" / "slow.docx"
        with open(target, "wb") as fh:
            for start in range(0, len(data), 400):
                fh.write(data[start:start + 400])
                fh.flush()
                for _ in range(3):
                    watcher.wake.set()  # duplicate hints
                time.sleep(0.05)
                assert target.exists(), "taken while still being written"
        assert wait_for(lambda: done_count(root) == 1)
        after = w.passes  # more events and rescans must not produce anything else
        for _ in range(3):
            watcher.wake.set()
        assert wait_for(lambda: w.passes >= after + 3)
        areas = submission_folders(root)
        assert len(areas["done"]) == 1 and not areas["error"] and not areas["duplicate"]
        (folder,) = areas["done"]
        assert sha(folder / "slow.docx") == sha(tmp_path / "slow.docx")
    finally:
        w.close()


@pytest.mark.parametrize("poll", [False, True], ids=["events", "poll"])
def test_the_folder_vanishing_and_returning(root, journal, tmp_path, poll):
    w = Running(root, journal, poll=poll)
    away = tmp_path / "unmounted"
    try:
        assert wait_for(lambda: (root / "inbox").is_dir() and w.passes >= 1)
        os.rename(root, away)  # the share disappears
        watcher = w.watcher
        assert watcher is not None
        assert wait_for(lambda: watcher._unavailable is not None)  # noticed; then two more tries while away
        noticed = watcher.cycles
        assert wait_for(lambda: watcher.cycles >= noticed + 3)
        assert w.thread.is_alive() and not root.exists(), "the watcher must not recreate a vanished folder"
        write_form(away / "inbox" / "while-away.docx", "株式会社るす")
        os.rename(away, root)  # and comes back, with a file dropped meanwhile
        assert wait_for(lambda: done_count(root) == 1)
        write_form(tmp_path / "after.docx", "株式会社もどり")
        os.replace(tmp_path / "after.docx", root / "inbox" / "after.docx")
        assert wait_for(lambda: done_count(root) == 2)
    finally:
        w.close()


def test_stop_is_clean_and_releases_the_lock(root, journal):
    w = Running(root, journal)
    assert wait_for(lambda: w.passes >= 1)
    w.close()
    from kyotei_docs.inbox.lock import FolderLock

    with FolderLock(root / ".work"):
        pass


def test_journal_trouble_and_bugs_do_not_end_the_watch(root, journal, tmp_path, monkeypatch):
    """A full local disk (sqlite3 error) or a bug in one cycle: logged, waited out, then work goes on."""
    import sqlite3

    from kyotei_docs.inbox import watcher as watcher_mod

    real = watcher_mod.run_pass
    failures = [sqlite3.OperationalError("database or disk is full"), RuntimeError("a bug")]

    def flaky(*args, **kw):
        if failures:
            raise failures.pop(0)
        return real(*args, **kw)

    monkeypatch.setattr(watcher_mod, "run_pass", flaky)
    (root / "inbox").mkdir()
    write_form(root / "inbox" / "a.docx", "株式会社しぶとい")
    w = Running(root, journal)
    try:
        assert wait_for(lambda: done_count(root) == 1)
        assert not failures
    finally:
        w.close()
