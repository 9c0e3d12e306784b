"""When a dropped file may be taken: settled, complete, not locked; what is never taken."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from inboxkit import write_form
from kyotei_docs.inbox.readiness import Scanner, kind_of, lock_for, looks_finished


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def docx_bytes(tmp_path: Path) -> bytes:
    return write_form(tmp_path / "src" / "form.docx").read_bytes()


def names(paths) -> list[str]:
    return sorted(p.name for p in paths)


def test_a_file_is_ready_only_after_two_scans_settle_seconds_apart(inbox, docx_bytes):
    clock = Clock()
    scanner = Scanner(inbox, settle=2.0, clock=clock)
    (inbox / "a.docx").write_bytes(docx_bytes)
    assert names(scanner.scan().pending) == ["a.docx"]  # first sight: never ready
    clock.tick(1.0)
    assert names(scanner.scan().pending) == ["a.docx"]  # unchanged, but not for settle seconds yet
    clock.tick(1.0)
    assert names(scanner.scan().ready) == ["a.docx"]


def test_a_growing_file_waits_until_it_stops_growing(inbox, docx_bytes):
    clock = Clock()
    scanner = Scanner(inbox, settle=1.0, clock=clock)
    path = inbox / "growing.docx"
    with open(path, "wb") as fh:
        for start in range(0, len(docx_bytes), 1000):
            fh.write(docx_bytes[start:start + 1000])
            fh.flush()
            clock.tick(5.0)  # long gaps between chunks: only the change matters
            result = scanner.scan()
            assert not result.ready, "a file still being written was taken"
    clock.tick(1.0)
    result = scanner.scan()
    assert names(result.ready) == ["growing.docx"]


def test_a_full_size_file_still_being_filled_is_not_taken(inbox, docx_bytes):
    """Windows CopyFile: full size at once (zeros), source mtime kept, bytes arrive later."""
    clock = Clock()
    scanner = Scanner(inbox, settle=1.0, grace=300.0, clock=clock)
    path = inbox / "copied.docx"
    path.write_bytes(b"\0" * len(docx_bytes))
    old = time.time() - 86400
    os.utime(path, (old, old))
    for filled in (0, len(docx_bytes) // 3, 2 * len(docx_bytes) // 3):
        if filled:
            with open(path, "r+b") as fh:
                fh.write(docx_bytes[:filled])
            os.utime(path, (old, old))  # mtime stays the source's
        for _ in range(3):
            clock.tick(2.0)
            result = scanner.scan()
            assert not result.ready, f"taken with only {filled} bytes written"
        assert names(result.incomplete) == ["copied.docx"]
    with open(path, "r+b") as fh:
        fh.write(docx_bytes)
    os.utime(path, (old, old))
    clock.tick(2.0)
    scanner.scan()
    clock.tick(2.0)
    assert names(scanner.scan().ready) == ["copied.docx"]


def test_an_unfinished_file_is_taken_after_the_grace_period(inbox, docx_bytes):
    """So that a truncated upload reaches error/ with a reason instead of waiting silently."""
    clock = Clock()
    scanner = Scanner(inbox, settle=1.0, grace=60.0, clock=clock)
    (inbox / "cut.docx").write_bytes(docx_bytes[: len(docx_bytes) // 2])
    (inbox / "empty.docx").write_bytes(b"")
    scanner.scan()
    clock.tick(2.0)
    result = scanner.scan()
    assert names(result.incomplete) == ["cut.docx", "empty.docx"] and not result.ready
    clock.tick(60.0)
    assert names(scanner.scan().ready) == ["cut.docx", "empty.docx"]


def test_completeness_by_content(tmp_path, docx_bytes):
    cases = {"docx": (docx_bytes, True), "zip_cut": (docx_bytes[:-30], False),
             "zeros": (b"\0" * 500, False), "pdf": (b"%PDF-1.7\n...\n%%EOF\n", True),
             "pdf_cut": (b"%PDF-1.7\n" + b"x" * 5000, False), "text": (b"hello", True)}
    for name, (data, expected) in cases.items():
        f = tmp_path / name
        f.write_bytes(data)
        assert looks_finished(f, len(data)) is expected, name


@pytest.mark.parametrize("lock, target, held", [
    ("~$提案書.docx", "提案書.docx", True),
    ("~$cument1.docx", "Document1.docx", True),  # Word drops up to two leading characters
    ("~$OCUMENT1.DOCX", "document1.docx", True),  # Windows names are case-insensitive
    ("~$cument1.docx", "other.docx", False),
    (".~lock.提案書.docx#", "提案書.docx", True),  # LibreOffice
    (".~lock.提案書.docx#", "提案書2.docx", False),
])
def test_office_lock_files_hold_their_document(lock, target, held):
    assert (lock_for(target, [lock], word_temp=False) is not None) is held


def test_locked_files_wait_and_lock_files_are_never_taken(inbox, docx_bytes):
    clock = Clock()
    scanner = Scanner(inbox, settle=0.0, clock=clock)
    (inbox / "提案書.docx").write_bytes(docx_bytes)
    (inbox / "~$提案書.docx").write_bytes(b"owner")
    (inbox / ".~lock.other.docx#").write_bytes(b"lo")
    (inbox / "~WRL0003.tmp").write_bytes(b"word temp")
    (inbox / "other.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    scanner.scan()
    clock.tick(1.0)
    result = scanner.scan()
    assert [(p.name, lk) for p, lk in result.locked][0][0] == "提案書.docx"
    assert names(result.ready) == ["other.pdf"]  # a fresh ~WRL*.tmp holds Word files only
    os.unlink(inbox / "~$提案書.docx")
    old = time.time() - 3600
    os.utime(inbox / "~WRL0003.tmp", (old, old))  # left over from a crash: no longer holds
    clock.tick(1.0)
    result = scanner.scan()
    assert names(result.ready) == ["other.pdf", "提案書.docx"]
    assert not any(n.startswith(("~", ".~")) for n in names(result.ready))


def test_noise_is_ignored_and_folders_and_links_are_reported(inbox, docx_bytes):
    for name in (".hidden.docx", "Thumbs.db", "desktop.ini", ".DS_Store", "download.docx.crdownload",
                 "copy.part", "x.tmp"):
        (inbox / name).write_bytes(docx_bytes)
    (inbox / "subfolder").mkdir()
    (inbox / "subfolder" / "inside.docx").write_bytes(docx_bytes)
    (inbox / "link.docx").symlink_to(inbox / "Thumbs.db")
    scanner = Scanner(inbox, settle=0.0)
    scanner.scan()
    result = scanner.scan()
    assert not result.ready and not result.pending
    assert result.subfolders == ["subfolder"]
    assert result.links == ["link.docx"]
    assert len(result.ignored) == 7


def test_kind_of():
    assert kind_of("~$x.docx") == "lock"
    assert kind_of("~WRL1234.tmp") == "lock"
    assert kind_of(".~lock.a.docx#") == "lock"
    assert kind_of(".git") == "hidden"
    assert kind_of("THUMBS.DB") == "system"
    assert kind_of("a.docx.part") == "partial"
    assert kind_of("提案書.docx") == "file"
    assert kind_of("提案書.pdf") == "file"
