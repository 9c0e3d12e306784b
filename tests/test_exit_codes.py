"""Every command ends with the exit code docs/reference.md documents for it, run as staff run it.

The table below is the reference's command table turned into cases: each row
names the reference row it proves, prepares real files in a temporary folder and
runs ``kyotei`` in its own process.  A second test keeps the two in step: the
codes a reference row documents are exactly the codes the cases reach.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from inboxkit import config_file
from kyotei_docs.exitcodes import MEANINGS, ExitCode

VALID = ROOT / "samples" / "01_content_controls.docx"
INVALID = ROOT / "samples" / "07_invalid_one_field_no_axis.docx"
OK, FINDINGS, USAGE, UNREADABLE = ExitCode.OK, ExitCode.FINDINGS, ExitCode.USAGE, ExitCode.UNREADABLE
CONFIG, REGISTRY, DOCUMENTS, RETRY = ExitCode.CONFIG, ExitCode.REGISTRY, ExitCode.DOCUMENTS, ExitCode.RETRY
FOLDER, LOCKED = ExitCode.FOLDER, ExitCode.LOCKED


@dataclass
class Case:
    row: str  # the row of docs/reference.md: its first cell starts with this
    code: ExitCode
    prepare: Callable[[Path], list[str]]  # makes the files, returns the arguments
    env: dict[str, str] | None = None


def empty_file(tmp: Path) -> Path:
    (tmp / "empty.docx").write_bytes(b"")
    return tmp / "empty.docx"


def kyotei(tmp: Path, *args: str, env: dict[str, str] | None = None):
    """``kyotei`` in ``tmp`` with a configuration that keeps the registry there (and takes a file
    dropped into a drop folder after 0.1 s unchanged, not the shipped 2 s)."""
    return run_cli(*args, cwd=tmp, env={"KYOTEI_CONFIG": str(config_file(tmp, settle_seconds=0.1)), **(env or {})})


def prepared(tmp: Path, *args: str) -> int:
    """A command that only makes a case's files, run in this process (click's runner) with the configuration
    :func:`kyotei` gives: the command under test still runs in a process of its own.  Its exit code."""
    from click.testing import CliRunner

    from kyotei_docs.cli import cli

    return CliRunner().invoke(cli, list(args), env={"KYOTEI_CONFIG": str(config_file(tmp, settle_seconds=0.1))},
                              catch_exceptions=False).exit_code


@dataclass
class _Made:
    """Where :func:`registered` makes its registries (a folder of the module's), and those made."""

    folder: Path | None = None
    registries: dict[bool, Path] = field(default_factory=dict)


_MADE = _Made()


@pytest.fixture(scope="module", autouse=True)
def _made_once(tmp_path_factory):
    _MADE.folder, _MADE.registries = tmp_path_factory.mktemp("registries"), {}


def registered(tmp: Path, *, signed: bool = False) -> None:
    """A registry holding one proposal judged in a meeting (signed if asked), made by kyotei's own commands.

    Made once per module and copied for each case: the commands under test still each run in
    their own process on a registry of their own."""
    if signed not in _MADE.registries:
        assert _MADE.folder is not None
        made = _MADE.folder / ("signed" if signed else "judged")
        assert prepared(made, "registry", "add", str(VALID)) == OK
        assert prepared(made, "registry", "judge", "1", "--all-clear", "--yes") == OK  # judged in a meeting
        if signed:
            assert prepared(made, "sign", "1", "--date", "2026-06-01", "--no-render", "--yes") == OK
        _MADE.registries[signed] = made / "registry.sqlite3"
    shutil.copyfile(_MADE.registries[signed], tmp / "registry.sqlite3")


def on_registry(*args: str, signed: bool = False, then: Callable[[Path], object] | None = None
                ) -> Callable[[Path], list[str]]:
    """A case run on a registry holding one proposal (signed if asked); ``then`` prepares more files."""
    def prepare(tmp: Path) -> list[str]:
        registered(tmp, signed=signed)
        if then is not None:
            then(tmp)
        return list(args)
    return prepare


def existing(tmp: Path, name: str) -> str:
    (tmp / name).write_bytes(b"already here")
    return str(tmp / name)


def damaged_registry(tmp: Path) -> list[str]:
    """Not an SQLite file where the configuration names the registry (no arguments to add)."""
    (tmp / "registry.sqlite3").write_bytes(b"Excel" * 100)
    return []


def web_config(tmp: Path, line: str) -> Path:
    (tmp / "web.toml").write_text(f"[web]\n{line}\n", encoding="utf-8")
    return tmp / "web.toml"


def drop_folder(tmp: Path) -> list[str]:
    (tmp / "share").mkdir(exist_ok=True)
    return [str(tmp / "share"), "--journal", str(tmp / "local" / "journal.sqlite3")]


def locked(tmp: Path, command: str) -> list[str]:
    from kyotei_docs.inbox.lock import FolderLock

    assert kyotei(tmp, "inbox", *drop_folder(tmp)).returncode == OK
    lock = FolderLock(tmp / "share" / ".work").acquire()  # held by this (other) process while kyotei runs
    _held.append(lock)
    return [command, *drop_folder(tmp)]


_held: list = []


def bad_template_folder(tmp: Path) -> Path:
    folder = tmp / "city"
    folder.mkdir()
    (folder / "form2_comprehensive.docx").write_bytes(b"not a Word file")
    return folder


def retry_pass(tmp: Path) -> list[str]:
    """A LibreOffice that fails (a stand-in ``soffice`` exiting 1): the drafts' PDFs wait for a retry."""
    (tmp / "bin").mkdir()
    fake = tmp / "bin" / "soffice"
    fake.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    args = drop_folder(tmp)
    (tmp / "share" / "inbox").mkdir(parents=True)
    shutil.copyfile(VALID, tmp / "share" / "inbox" / "a.docx")
    return ["inbox", *args, "--workers", "0"]


def office(tmp: Path, *, registry: bool = True) -> list[str]:
    """A site ``office`` in ``tmp`` (made by kyotei init's code), without its registry unless ``registry``."""
    from kyotei_docs.site import init

    made = init(tmp / "office", record=False).site
    if not registry:
        made.registry.unlink()
    return []


def old_registry(tmp: Path) -> list[str]:
    """An office site and a registry made outside it (as earlier versions did), to adopt."""
    office(tmp)
    assert prepared(tmp, "registry", "add", str(VALID), "--registry", str(tmp / "old.sqlite3")) == OK
    return ["--from", str(tmp / "old.sqlite3")]


#: the site ``office`` in the working folder, its own configuration (not the test's)
SITE = {"KYOTEI_SITE": "office", "KYOTEI_CONFIG": ""}

CASES = [
    Case("kyotei init", OK, lambda t: ["init", str(t / "new"), "--no-record"]),
    Case("kyotei init", CONFIG, lambda t: ["init", str(t), "--no-record"] if existing(t, "kyotei.toml") else []),
    Case("kyotei site [", OK, lambda t: [*office(t), "site"], env=SITE),
    Case("kyotei site [", FINDINGS, lambda t: ["site"]),
    Case("kyotei site [", CONFIG, lambda t: ["--site", str(t), "site"]),
    Case("kyotei site adopt", OK, lambda t: ["site", "adopt", *old_registry(t), "--yes"], env=SITE),
    Case("kyotei site adopt", FINDINGS,  # the site's own registry: nothing to adopt
         lambda t: [*office(t), "site", "adopt", "--from", str(t / "office" / "registry.sqlite3"), "--yes"], env=SITE),
    Case("kyotei site adopt", REGISTRY, lambda t: ["site", "adopt", "--yes"]),
    Case("kyotei registry create", OK, lambda t: [*office(t, registry=False), "registry", "create"], env=SITE),
    Case("kyotei registry create", FINDINGS, lambda t: [*office(t), "registry", "create"], env=SITE),
    Case("kyotei registry create", USAGE, lambda t: ["registry", "restore", str(t / "nothere.sqlite3"), "--yes"]),
    Case("kyotei registry create", REGISTRY, lambda t: ["registry", "restore", str(VALID), "--yes"],
         env={"KYOTEI_CONFIG": ""}),
    Case("kyotei inbox [DIR]", REGISTRY, lambda t: [*office(t, registry=False), "inbox"], env=SITE),
    Case("kyotei inbox [DIR]", USAGE, lambda t: ["inbox"]),
    Case("kyotei watch ", REGISTRY, lambda t: [*office(t, registry=False), "watch"], env=SITE),
    Case("kyotei serve [", REGISTRY, lambda t: [*office(t, registry=False), "serve"], env=SITE),
    Case("kyotei parse ", OK, lambda t: ["parse", str(VALID)]),
    Case("kyotei parse ", UNREADABLE, lambda t: ["parse", str(empty_file(t))]),
    Case("kyotei check ", OK, lambda t: ["check", str(VALID)]),
    Case("kyotei check ", FINDINGS, lambda t: ["check", str(INVALID)]),
    Case("kyotei check ", UNREADABLE, lambda t: ["check", str(VALID), str(empty_file(t))]),
    Case("kyotei blank-form ", OK, lambda t: ["blank-form", str(t / "f.docx")]),
    Case("kyotei blank-form ", FINDINGS, lambda t: ["blank-form", existing(t, "f.docx")]),
    Case("kyotei blank-form ", USAGE, lambda t: ["blank-form", str(t / "f.txt")]),
    Case("kyotei rules", OK, lambda t: ["rules"]),
    Case("kyotei config show", OK, lambda t: ["config", "show"]),
    Case("kyotei config show", FINDINGS, lambda t: ["config", "export", existing(t, "k.toml")]),
    Case("kyotei render ", OK, lambda t: ["render", str(VALID), "--out", str(t / "out")]),
    Case("kyotei render ", FINDINGS, lambda t: ["render", str(INVALID), "--out", str(t / "out")]),
    Case("kyotei render ", UNREADABLE, lambda t: ["render", str(empty_file(t)), "--out", str(t / "out")]),
    Case("kyotei render ", DOCUMENTS, lambda t: ["render", str(VALID), "--out", str(t / "out"), "--pdf"],
         env={"PATH": "/nonexistent"}),
    Case("kyotei templates check", OK, lambda t: ["templates", "check"]),
    Case("kyotei templates check", FINDINGS, lambda t: ["templates", "check", str(bad_template_folder(t))]),
    Case("kyotei templates check", UNREADABLE, lambda t: ["templates", "check", str(t / "nowhere")]),
    Case("kyotei templates export", OK, lambda t: ["templates", "export", str(t / "tpl")]),
    Case("kyotei templates export", FINDINGS,
         lambda t: ["templates", "export", str(t / "tpl")] if prepared(
             t, "templates", "export", str(t / "tpl")) == OK else []),
    Case("kyotei inbox [DIR]", OK, lambda t: ["inbox", *drop_folder(t)]),
    Case("kyotei inbox [DIR]", CONFIG, lambda t: ["inbox", *drop_folder(t)], env={"KYOTEI_CONFIG": "bad.toml"}),
    Case("kyotei inbox [DIR]", CONFIG, lambda t: ["inbox", *drop_folder(t)], env={"KYOTEI_CONFIG": "none.toml"}),
    Case("kyotei inbox [DIR]", RETRY, retry_pass, env={"PATH": "bin"}),
    Case("kyotei inbox [DIR]", FOLDER, lambda t: ["inbox", str(t / "nowhere"), "--journal", str(t / "j.sqlite3")]),
    Case("kyotei inbox [DIR]", LOCKED, lambda t: locked(t, "inbox")),
    Case("kyotei watch ", FOLDER, lambda t: ["watch", str(t / "nowhere"), "--journal", str(t / "j.sqlite3")]),
    Case("kyotei watch ", LOCKED, lambda t: locked(t, "watch")),
    Case("kyotei inbox status", OK, lambda t: ["inbox", "status", *drop_folder(t)]),
    Case("kyotei inbox status", FOLDER,
         lambda t: ["inbox", "status", str(t / "share"), "--journal", existing(t, "j.sqlite3")]),
    Case("kyotei registry list", OK, on_registry("registry", "list")),
    Case("kyotei registry list", FINDINGS, on_registry("registry", "show", "9")),
    Case("kyotei registry list", REGISTRY, lambda t: ["registry", "due"]),
    Case("kyotei registry add", OK, lambda t: ["registry", "add", str(VALID)]),
    Case("kyotei registry add", UNREADABLE, lambda t: ["registry", "add", str(empty_file(t))]),
    Case("kyotei registry add", REGISTRY,
         lambda t: [*damaged_registry(t), "registry", "add", str(VALID)]),
    Case("kyotei registry consult", OK, on_registry("registry", "consult", "1", "--yes")),
    Case("kyotei registry consult", FINDINGS, on_registry("registry", "consult", "2", "--yes")),
    Case("kyotei registry consult", REGISTRY, lambda t: ["registry", "renew"]),
    Case("kyotei registry export", OK, on_registry("registry", "export", "--csv", "a.csv")),
    Case("kyotei registry export", FINDINGS,
         on_registry("registry", "export", "--csv", "a.csv", then=lambda t: existing(t, "a.csv"))),
    Case("kyotei registry export", USAGE, lambda t: ["registry", "export"]),
    Case("kyotei registry export", REGISTRY, lambda t: ["registry", "export", "--csv", "a.csv"]),
    Case("kyotei registry backup", OK, on_registry("registry", "backup", "b.sqlite3")),
    Case("kyotei registry backup", FINDINGS,
         on_registry("registry", "backup", "b.sqlite3", then=lambda t: existing(t, "b.sqlite3"))),
    Case("kyotei registry backup", REGISTRY, lambda t: ["registry", "backup", "b.sqlite3"]),
    Case("kyotei registry check", OK, on_registry("registry", "check")),
    Case("kyotei registry check", REGISTRY, lambda t: ["registry", "check"]),
    Case("kyotei sign ", OK, on_registry("sign", "1", "--date", "2026-06-01", "--no-render", "--yes")),
    Case("kyotei sign ", FINDINGS,
         on_registry("sign", "1", "--date", "2026-06-02", "--no-render", "--yes", signed=True)),
    Case("kyotei sign ", REGISTRY, lambda t: ["sign", "1", "--date", "2026-06-01"]),
    Case("kyotei registry where", OK, lambda t: ["registry", "where"]),
    Case("kyotei registry where", FINDINGS, lambda t: ["registry", "move"]),  # nothing to move
    Case("kyotei registry where", REGISTRY, lambda t: [*damaged_registry(t), "registry", "merge", "1", "2", "--yes"]),
    Case("kyotei serve [", FINDINGS, lambda t: ["serve", "--host", "0.0.0.0"]),  # sign-in needed: refused
    Case("kyotei serve [", CONFIG, lambda t: ["--config", str(web_config(t, 'port = "8080"')), "serve"]),
    Case("kyotei sign ", DOCUMENTS,
         on_registry("sign", "1", "--date", "2026-06-01", "--out", "blocked/docs", "--yes",
                     then=lambda t: t.joinpath("blocked").write_text("a file"))),
]


@pytest.fixture(autouse=True)
def _release_locks():
    yield
    while _held:
        _held.pop().release()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.row.strip()}-{c.code.name}" for c in CASES])
def test_each_command_ends_with_its_documented_code(case: Case, tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[inbox]\nworkers = \"two\"\n", encoding="utf-8")
    args = case.prepare(tmp_path)
    res = kyotei(tmp_path, *args, env=case.env)
    assert res.returncode == case.code, (args, res.stdout[-500:], res.stderr[-500:])
    assert "Traceback" not in res.stderr
    if case.code not in (OK, FINDINGS):
        assert res.stderr.strip(), "a failure says why on stderr"


#: codes reached only by a signal to a running process: tests/test_inbox_watch.py and test_inbox_cli.py
NEEDS_A_SIGNAL = {"kyotei watch ": {0, 130}, "kyotei serve [": {0}}


REFERENCE = ROOT / "docs" / "reference.md"


def _reference_rows() -> dict[str, set[int]]:
    text = REFERENCE.read_text("utf-8")
    table = text[text.index("| command | what it does | exit codes |"):text.index("## Exit codes")]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 3 and cells[0].startswith("`kyotei"):
            codes = cells[2]
            # "0 done; 1 refused, nothing changed; 5": each clause starts with its code
            rows[cells[0].strip("`")] = {int(m.group(1)) for part in codes.split(";")
                                          if (m := re.match(r"\s*(\d+)\b", part))}
    return rows


def test_the_reference_documents_exactly_the_codes_the_commands_reach() -> None:
    rows = _reference_rows()
    for prefix in {c.row for c in CASES}:
        matches = [r for r in rows if r.startswith(prefix)]
        assert len(matches) == 1, (prefix, matches)
        reached = {int(c.code) for c in CASES if c.row == prefix}
        documented = rows[matches[0]] - NEEDS_A_SIGNAL.get(prefix, set())
        assert documented == reached, (matches[0], documented, reached)


def test_the_reference_exit_code_table_is_the_enum() -> None:
    text = REFERENCE.read_text("utf-8")
    section = text[text.index("## Exit codes"):text.index("## Parse contract")]
    found = {int(m.group(1)): m.group(2) for m in re.finditer(r"^\| (\d+) \| `(\w+)` \|", section, re.M)}
    assert found == {int(c): c.name for c in ExitCode}
    assert set(MEANINGS) == set(ExitCode)


def test_a_file_or_folder_the_system_refuses_is_one_line(tmp_path: Path) -> None:
    """An OSError meeting a command (here: --out names a folder inside a file) is said, not traced."""
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    res = kyotei(tmp_path, "check", "--out", str(tmp_path / "afile" / "sub"), str(VALID))
    assert res.returncode == UNREADABLE and "Traceback" not in res.stderr
    line, = res.stderr.strip().splitlines()
    assert str(tmp_path / "afile") in line and ("フォルダを指定してください" in line or "既にある" in line), line
    res = kyotei(tmp_path, "--debug", "check", "--out", str(tmp_path / "afile" / "sub"), str(VALID))
    assert res.returncode == UNREADABLE and "Traceback" in res.stderr  # --debug shows where


def test_a_bug_is_one_line_with_exit_10_and_a_traceback_only_with_debug() -> None:
    """What no command foresaw still ends as one line and INTERNAL; Ctrl+C as INTERRUPTED."""
    import click
    from click.testing import CliRunner

    from kyotei_docs.cli import LazyGroup
    from kyotei_docs.commands.failures import set_debug

    @click.group(cls=LazyGroup)
    @click.option("--debug", is_flag=True)
    def group(debug: bool) -> None:
        set_debug(debug)

    @group.command()
    def boom() -> None:
        raise RuntimeError("kaboom")

    @group.command()
    def stop() -> None:
        raise KeyboardInterrupt

    res = CliRunner().invoke(group, ["boom"])
    assert res.exit_code == ExitCode.INTERNAL and "Traceback" not in res.stderr
    line, = res.stderr.strip().splitlines()
    assert "予期しないエラー" in line and "RuntimeError: kaboom" in line and "--debug" in line
    res = CliRunner().invoke(group, ["--debug", "boom"])
    assert res.exit_code == ExitCode.INTERNAL and "Traceback" in res.stderr and 'raise RuntimeError("kaboom")' in res.stderr
    res = CliRunner().invoke(group, ["stop"])
    assert res.exit_code == ExitCode.INTERRUPTED and "中断しました。" in res.stderr
