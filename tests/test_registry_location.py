"""Where the registry is: the site's, wherever kyotei runs; with no site none at all (a message
pointing at kyotei init), never made by a read-only command; an old one in the working folder
moved only on request."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from conftest import ROOT
from kyotei_docs.cli import cli
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.registry.location import DEFAULT_NAME, locate

SAMPLE = ROOT / "samples" / "01_content_controls.docx"


@pytest.fixture
def kyotei(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return run


def files_under(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_the_site_registry_is_used_wherever_kyotei_runs(kyotei, tmp_path, monkeypatch, site, site_cfg):
    assert locate(site_cfg).path == site.registry and locate(site_cfg).source == "site"
    r = kyotei("registry", "where")
    assert r.exit_code == 0 and str(site.registry) in r.stdout
    assert kyotei("registry", "add", str(SAMPLE)).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    listing = kyotei("registry", "list")
    assert listing.exit_code == 0 and "ななかまど" in listing.stdout
    where = json.loads(kyotei("registry", "where", "--json").stdout)
    assert where == {"path": str(site.registry), "source": "site", "config": str(site.config), "exists": True,
                     "old_in_working_folder": None}


def test_without_a_site_commands_point_at_kyotei_init_and_create_nothing(kyotei, tmp_path):
    data = tmp_path.parent  # the test's own data folders (conftest)
    before = sorted(str(p) for p in data.rglob("*"))
    for args in (("registry", "list"), ("registry", "summary"), ("registry", "due"), ("registry", "show", "1"),
                 ("registry", "where"), ("registry", "check"), ("registry", "add", str(SAMPLE))):
        r = kyotei(*args)
        assert r.exit_code == ExitCode.REGISTRY, (args, r.output)
        assert "kyotei init" in r.stderr and "KYOTEI_SITE" in r.stderr, args
    assert files_under(tmp_path / "work") == []
    assert sorted(str(p) for p in data.rglob("*")) == before


def test_empty_and_foreign_files_are_refused_with_their_path(kyotei, tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    r = kyotei("registry", "list", "--registry", str(empty))
    assert r.exit_code == ExitCode.REGISTRY and str(empty) in r.stderr and "0 バイト" in r.stderr
    assert empty.stat().st_size == 0
    foreign = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    r = kyotei("registry", "list", "--registry", str(foreign))
    assert r.exit_code == ExitCode.REGISTRY and str(foreign) in r.stderr and foreign.read_bytes() == before


def test_configured_path_and_where_says_which_setting(kyotei, tmp_path):
    (tmp_path / "work" / "kyotei.toml").write_text('[registry]\npath = "data/city.sqlite3"\n', encoding="utf-8")
    r = kyotei("registry", "where")
    assert "data/city.sqlite3" in r.stdout and "kyotei.toml" in r.stdout


def test_an_old_registry_in_the_working_folder_is_moved_only_on_request(kyotei, tmp_path):
    old = tmp_path / "work" / DEFAULT_NAME
    assert kyotei("registry", "add", str(SAMPLE), "--registry", str(old)).exit_code == 0
    target = tmp_path / "kept" / "city.sqlite3"
    missing = kyotei("registry", "list", "--registry", str(target))
    assert missing.exit_code == ExitCode.REGISTRY and "kyotei registry move" in missing.stderr and str(old) in missing.stderr
    assert old.exists() and not target.exists()  # nothing moved silently
    moved = kyotei("registry", "move", "--registry", str(target))
    assert moved.exit_code == 0, moved.output
    assert target.exists() and not old.exists()
    kept = list((tmp_path / "work").glob(DEFAULT_NAME + ".moved-*"))
    assert len(kept) == 1 and str(kept[0]) in moved.stdout  # kept, never deleted
    listing = kyotei("registry", "list", "--registry", str(target))
    assert listing.exit_code == 0 and "ななかまど" in listing.stdout
    # a second move finds nothing to move; a move onto an existing registry is refused
    assert kyotei("registry", "move", "--registry", str(target)).exit_code == ExitCode.FINDINGS
    again = tmp_path / "again.sqlite3"
    assert kyotei("registry", "add", str(SAMPLE), "--registry", str(again)).exit_code == 0
    refused = kyotei("registry", "move", "--from", str(again), "--registry", str(target))
    assert refused.exit_code == ExitCode.FINDINGS and str(target) in refused.stderr and again.exists()
