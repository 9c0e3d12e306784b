"""The kyotei command as staff run it: output, exit codes, JSON contract, --explain, config."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli
from docxbuild import make_docx
from formbody import axis_row, contact_rows, fields_row, form, text_rows, type_row
from kyotei_docs.exitcodes import ExitCode

CONTRACT_KEYS = {"file", "format", "submitted_on", "organization", "agreement_type", "fields", "other_field_text",
                 "axis", "purpose", "expected_effects", "contact"}


def test_parse_json_contract(tmp_path):
    f = make_docx(form(), tmp_path / "提案書.docx")
    res = run_cli("parse", "--json", str(f))
    assert res.returncode == 0, res.stderr
    obj = json.loads(res.stdout)
    assert set(obj) == CONTRACT_KEYS
    assert obj["file"] == "提案書.docx" and obj["format"] == "docx"
    assert set(obj["organization"]) == {"address", "name", "representative"}
    assert set(obj["axis"]) == {"present", "field", "text"}
    assert set(obj["contact"]) == {"department", "name", "phone", "email"}
    assert obj["submitted_on"] == "2026-11-20"


def test_parse_explain_names_sources(tmp_path):
    f = make_docx(form(), tmp_path / "a.docx")
    res = run_cli("parse", "--explain", str(f))
    assert res.returncode == 0
    assert "docx:glyph" in res.stdout and "読取元" in res.stdout
    # in staff's words first, as the manual promises (「チェックボックス、入力欄、手入力の☑など」), the code beside
    assert "[読取元: 手入力の記号（☑ など）（docx:glyph）]" in res.stdout and "[読取元: 本文（docx:text）]" in res.stdout
    res = run_cli("parse", "--json", "--explain", str(f))
    assert json.loads(res.stdout)["sources"]["agreement_type"] == "docx:glyph"


def test_check_exit_codes_and_report(tmp_path):
    valid = make_docx(form(), tmp_path / "valid.docx")
    res = run_cli("check", str(valid))
    assert res.returncode == 0
    assert "受付可" in res.stdout and "保健所 保健総務課" in res.stdout and "次にすること" in res.stdout
    assert res.stdout.startswith("■ valid.docx (Word)")  # the format as staff call it, not 「(docx)」
    rows = [type_row(), fields_row("☑環境"), axis_row(), *text_rows(), *contact_rows()]
    invalid = make_docx(form(rows=rows), tmp_path / "invalid.docx")
    res = run_cli("check", "--json", str(invalid))
    assert res.returncode == ExitCode.FINDINGS
    obj = json.loads(res.stdout)
    assert obj["valid"] is False
    assert "comprehensive_needs_two_fields" in [e["code"] for e in obj["errors"]]


def test_check_english(tmp_path):
    rows = [type_row(), fields_row("☑環境"), axis_row(), *text_rows(), *contact_rows()]
    invalid = make_docx(form(rows=rows), tmp_path / "invalid.docx")
    obj = json.loads(run_cli("--lang", "en", "check", "--json", str(invalid)).stdout)
    messages = " ".join(e["message"] for e in obj["errors"])
    assert "two or more fields" in messages


def test_routing_flows(tmp_path):
    allround = form(axis_content=None).replace("☑有", "☐有").replace("☐無", "☑無")
    obj = json.loads(run_cli("check", "--json", str(make_docx(allround, tmp_path / "a.docx"))).stdout)
    assert obj["routing"]["flow"] == "comprehensive_allround"
    assert obj["routing"]["department"] == "市民生活部 地域活動推進課"
    assert obj["routing"]["notify"] == ["環境部", "保健所 保健総務課"]
    axis = json.loads(run_cli("check", "--json", str(make_docx(form(), tmp_path / "b.docx"))).stdout)
    assert axis["routing"]["flow"] == "comprehensive_axis"
    assert axis["routing"]["notify"] == ["市民生活部 地域活動推進課"]
    individual = form(type_content="☑個別連携協定　☐包括連携協定", fields_content="☑人材育成",
                      axis_content="☐有　☐無")
    ind = json.loads(run_cli("check", "--json", str(make_docx(individual, tmp_path / "c.docx"))).stdout)
    assert ind["routing"]["flow"] == "individual"
    # 人材育成 is not in the routing table: the coordinator takes it, with a note
    assert ind["routing"]["department"] == "市民生活部 地域活動推進課"
    assert any("人材育成" in n for n in ind["routing"]["notes"])


def test_city_config_changes_routing_and_rules(tmp_path):
    conf = tmp_path / "city.toml"
    conf.write_text('[municipality]\nname = "テスト市"\n[routing.fields]\n"人材育成" = "keizai"\n'
                    '[rules]\ndisabled = ["invalid_phone"]\n', encoding="utf-8")
    individual = form(type_content="☑個別連携協定　☐包括連携協定", fields_content="☑人材育成",
                      axis_content="☐有　☐無")
    rows_bad_phone = individual.replace("0166-12-3456", "12")
    f = make_docx(rows_bad_phone, tmp_path / "c.docx")
    obj = json.loads(run_cli("--config", str(conf), "check", "--json", str(f)).stdout)
    assert obj["routing"]["department"] == "経済部"
    assert obj["valid"] is True
    res = run_cli("--config", str(tmp_path / "missing.toml"), "check", str(f))
    assert res.returncode == ExitCode.CONFIG and "設定ファイル" in res.stderr and "Traceback" not in res.stderr


def test_check_out_folder_writes_results(tmp_path):
    f = make_docx(form(), tmp_path / "a.docx")
    out = tmp_path / "out"
    res = run_cli("check", str(f), "--out", str(out))
    assert res.returncode == 0
    assert json.loads((out / "a.docx.check.json").read_text("utf-8"))["valid"] is True
    assert "受付可" in (out / "summary.txt").read_text("utf-8")


def test_blank_form_round_trip(tmp_path):
    from kyotei_docs.blankform import fill_form
    from kyotei_docs.pipeline import read_proposal

    blank = tmp_path / "blank.docx"
    res = run_cli("blank-form", str(blank))
    assert res.returncode == 0 and blank.exists()
    assert run_cli("blank-form", str(blank)).returncode == ExitCode.FINDINGS  # never overwritten
    values: dict[str, str | bool] = {"submitted_on": "令和8年12月1日", "organization.address": "旭川市1条通1丁目",
              "organization.name": "株式会社往復", "organization.representative": "代表取締役　往復　太郎",
              "type.comprehensive": True, "field.環境": True, "field.子育て": True, "field.その他": True,
              "other_field_text": "食育", "axis.present": True, "axis.text": "子育て",
              "purpose": "目的の一行目。\n目的の二行目。", "expected_effects": "効果。",
              "contact.department": "総務部", "contact.name": "往復　花子", "contact.phone": "0166-11-2222",
              "contact.email": "ofuku@example.jp"}
    filled = tmp_path / "filled.docx"
    fill_form(blank, filled, values)
    got = read_proposal(filled).to_json()
    assert got == {
        "file": "filled.docx", "format": "docx", "submitted_on": "2026-12-01",
        "organization": {"address": "旭川市1条通1丁目", "name": "株式会社往復", "representative": "代表取締役　往復　太郎"},
        "agreement_type": "comprehensive", "fields": ["環境", "子育て", "その他"], "other_field_text": "食育",
        "axis": {"present": True, "field": "子育て", "text": "子育て"},
        "purpose": "目的の一行目。\n目的の二行目。", "expected_effects": "効果。",
        "contact": {"department": "総務部", "name": "往復　花子", "phone": "0166-11-2222", "email": "ofuku@example.jp"},
    }


def test_rules_and_config_commands():
    res = run_cli("rules")
    assert res.returncode == 0 and "comprehensive_needs_two_fields" in res.stdout
    assert "  [不備] missing_required" in res.stdout and "[注意]" in res.stdout and "[error" not in res.stdout
    res = run_cli("config", "show")
    assert res.returncode == 0 and "防災安全部 防災課" in res.stdout


def test_config_export_never_overwrites(tmp_path):
    target = tmp_path / "kyotei.toml"
    assert run_cli("config", "export", str(target)).returncode == 0
    assert "旭川市" in target.read_text("utf-8")
    assert run_cli("config", "export", str(target)).returncode == ExitCode.FINDINGS


def test_files_written_beside_the_registry_are_named_absolutely_and_a_site_names_its_own_config(tmp_path, site):
    """blank-form, templates export and config export run from any folder: each names what it wrote by its
    absolute path; with a site, the exported kyotei.toml is a reference and the site's own file is named
    (a kyotei.toml in the working folder is not used there); the templates' folder is suggested as a TOML
    literal string, which a Windows path with backslashes can be."""
    res = run_cli("blank-form", "様式1.docx", cwd=tmp_path)
    assert res.returncode == 0 and f"書き出しました: {tmp_path / '様式1.docx'}" in res.stdout
    res = run_cli("templates", "export", "tpl", cwd=tmp_path)
    assert res.returncode == 0 and f"書き出しました: {tmp_path / 'tpl'}" in res.stdout
    assert f"[render] templates = '{tmp_path / 'tpl'}'" in res.stdout
    res = run_cli("config", "export", cwd=tmp_path)
    assert res.returncode == 0 and (tmp_path / "kyotei.toml").exists()
    assert f"{tmp_path / 'kyotei.toml'} に書き出しました（見本です。このファイルは使われません）" in res.stdout
    assert f"サイトの設定 {site.config} に書き写してください" in res.stdout


def test_help_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = ("import sys; from kyotei_docs.cli import cli\n"
            "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit: pass\n"
            "heavy = [m for m in ('lxml', 'docx', 'pdfplumber', 'docxtpl', 'pypdf', 'openpyxl') if m in sys.modules]\n"
            "heavy += [m for m in sys.modules if m.startswith('kyotei_docs.commands.')]\n"
            "print('HEAVY:' + ','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:", out.stdout
    assert "inbox" in out.stdout and "registry" in out.stdout  # yet every command is listed


def test_help_lists_each_command_with_its_own_summary():
    import click

    from kyotei_docs.cli import COMMANDS, SUMMARIES, cli

    ctx = click.Context(cli)
    assert set(SUMMARIES) == set(COMMANDS)
    for name in COMMANDS:
        cmd = cli.get_command(ctx, name)
        assert cmd is not None and (cmd.short_help or cmd.help), name
        own = cmd.short_help or (cmd.help or "").split("\n\n")[0].strip()
        assert SUMMARIES[name] == own, name
