"""One configuration, loaded once by the command and passed down; every section checked at load."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from inboxkit import settle_fast
from kyotei_docs.config import ConfigError, InboxSettings, RegistrySettings, RenderSettings, config_from, load_config
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.i18n import set_lang
from kyotei_docs.limits import Limits

PDF = ROOT / "samples" / "12_pdf_typed_glyphs.pdf"


def strict_limits(folder: Path) -> Path:
    """A configuration whose [limits] no PDF can meet (a 10 ms reading time), registry kept in ``folder``."""
    path = folder / "city.toml"
    path.write_text("[limits]\npdf_seconds = 0.01\n\n[registry]\n"
                    f"path = {json.dumps(str(folder / 'registry.sqlite3'))}\n", encoding="utf-8")
    return path


def test_shipped_defaults_and_the_settings_classes_agree():
    cfg = load_config(ROOT / "kyotei_docs" / "defaults" / "kyotei.toml")
    assert cfg.render == RenderSettings() and cfg.inbox == InboxSettings()
    assert cfg.registry == RegistrySettings() and cfg.limits == Limits()


def test_a_config_file_limits_reach_the_drop_folder_workers(tmp_path, site):
    """``--config FILE`` (not $KYOTEI_CONFIG, not ./kyotei.toml): its [limits] hold in the worker processes."""
    conf = settle_fast(strict_limits(tmp_path))
    settle_fast(site.config)  # the second pass's configuration: the site's, [limits] as shipped
    root = tmp_path / "share"
    (root / "inbox").mkdir(parents=True)
    shutil.copyfile(PDF, root / "inbox" / "a.pdf")
    res = run_cli("--config", str(conf), "inbox", str(root), "--journal", str(tmp_path / "j.sqlite3"),
                  "--no-pdf", "--workers", "1", cwd=tmp_path)
    assert res.returncode == ExitCode.OK, res.stderr
    (folder,) = [p for p in (root / "error").rglob("*") if p.is_dir() and (p / "理由.txt").exists()]
    assert "制限時間" in (folder / "理由.txt").read_text("utf-8-sig")
    # the same file under the shipped limits is read
    (root / "inbox").joinpath("b.pdf").write_bytes(PDF.read_bytes() + b"\n% another copy\n")
    res = run_cli("inbox", str(root), "--journal", str(tmp_path / "j.sqlite3"), "--no-pdf", "--workers", "1",
                  cwd=tmp_path, env={"KYOTEI_CONFIG": ""})
    assert res.returncode == ExitCode.OK and "受付可 1件" in res.stdout, res.stdout + res.stderr


def test_a_config_file_limits_reach_registry_add(tmp_path):
    conf = strict_limits(tmp_path)
    res = run_cli("--config", str(conf), "registry", "add", str(PDF), cwd=tmp_path)
    assert res.returncode == ExitCode.UNREADABLE and "制限時間" in res.stderr, res.stderr
    assert not (tmp_path / "registry.sqlite3").exists()
    res = run_cli("registry", "add", str(PDF), "--registry", str(tmp_path / "other.sqlite3"), cwd=tmp_path)
    assert res.returncode == ExitCode.OK, res.stderr


@pytest.mark.parametrize("section, key, value, expected", [
    ("inbox", "workers", '"two"', "0 以上の整数"),
    ("inbox", "pdf", "1", "true または false"),
    ("render", "term", '"year"', '"fiscal", "one-year"'),
    ("limits", "memory_mb", "0", "0 より大きい数"),
    ("registry", "review_exempt_fields", '"災害対策"', "文字列の配列"),
    ("inbox", "workres", "2", "知らない項目"),
    ("dates", "notice_reading", '"early"', '"safe", "plain"'),
    ("dates", "closures", "[[12, 29]]", "[[月, 日], [月, 日]] の組の配列"),
    ("routing", "coordinator", '"nobody"', "[routing.departments] にある部局のキー"),
    ("municipality", "timezone", '"Mars/Olympus"', "タイムゾーンの名前"),
])
def test_an_invalid_value_is_refused_at_load_naming_the_key(tmp_path, section, key, value, expected):
    conf = tmp_path / "kyotei.toml"
    conf.write_text(f"[{section}]\n{key} = {value}\n", encoding="utf-8")
    res = run_cli("--config", str(conf), "rules", cwd=tmp_path)  # a command that reads none of these
    assert res.returncode == ExitCode.CONFIG
    line, = res.stderr.strip().splitlines()
    assert f"[{section}] {key}" in line and expected in line and str(conf) in line


def test_english_message_for_an_invalid_value():
    set_lang("en")
    with pytest.raises(ConfigError) as err:
        config_from({"render": {"term": "year"}}, "city.toml")
    assert err.value.message == ('Configuration city.toml: [render] term = "year" is not valid '
                                 '(one of: "fiscal", "one-year").')


def test_render_term_has_one_meaning_everywhere(tmp_path):
    """``[render] term`` decides the drafts' validity and the signing's expiry alike."""
    conf = tmp_path / "kyotei.toml"
    conf.write_text(f'[render]\nterm = "one-year"\n\n[registry]\npath = {json.dumps(str(tmp_path / "r.sqlite3"))}\n',
                    encoding="utf-8")
    sample = ROOT / "samples" / "01_content_controls.docx"
    res = run_cli("--config", str(conf), "render", str(sample), "--out", str(tmp_path / "out"),
                  "--signing-date", "2026-12-01", cwd=tmp_path)
    assert res.returncode == ExitCode.OK and "１年間" in res.stdout, res.stdout + res.stderr
    assert run_cli("--config", str(conf), "registry", "add", str(sample), cwd=tmp_path).returncode == ExitCode.OK
    assert run_cli("--config", str(conf), "registry", "judge", "1", "--all-clear", "--yes",
                   cwd=tmp_path).returncode == ExitCode.OK
    res = run_cli("--config", str(conf), "sign", "1", "--date", "2026-12-01", "--no-render", "--yes", cwd=tmp_path)
    assert res.returncode == ExitCode.OK and "2027-11-30" in res.stdout, res.stdout + res.stderr


def test_typed_settings_replace_like_any_dataclass():
    cfg = config_from({"inbox": {"workers": 0}})
    assert cfg.inbox.workers == 0 and isinstance(cfg.inbox.settle_seconds, float)
    assert dataclasses.replace(cfg, render=dataclasses.replace(cfg.render, font="游明朝")).render.font == "游明朝"


def test_config_show_prints_the_checked_settings(tmp_path):
    conf = tmp_path / "kyotei.toml"
    conf.write_text('[render]\nterm = "one-year"\n\n[limits]\npdf_seconds = 7\n', encoding="utf-8")
    res = run_cli("--config", str(conf), "config", "show", cwd=tmp_path)
    assert res.returncode == ExitCode.OK
    assert '[render] templates = "", term = "one-year"' in res.stdout and "pdf_seconds = 7.0" in res.stdout
    assert "submission_seconds" not in res.stdout  # set as [inbox] timeout_seconds, shown there
