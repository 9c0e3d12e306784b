"""A Japanese command line: click's own messages, help texts, fiscal years and dates that cannot exist."""

from __future__ import annotations

import json
import re

import click
import pytest
from click.testing import CliRunner

from conftest import ROOT, run_cli
from kyotei_docs.cli import COMMANDS, cli
from kyotei_docs.commands.params import FISCAL_YEAR
from kyotei_docs.exitcodes import ExitCode

SAMPLE = ROOT / "samples" / "01_content_controls.docx"


def kyotei(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), prog_name="kyotei",
                              env={"KYOTEI_LANG": None, "KYOTEI_CONFIG": None, **(env or {})})


@pytest.mark.parametrize("args, ja, en", [
    (["render", str(SAMPLE)], "--out を指定してください。", "Missing option --out."),
    (["check", "--jsn", "x"], "--jsn というオプションはありません。 もしかして --json ですか？",
     "No such option: --jsn. Did you mean --json?"),
    (["chekc", "x"], "chekc というコマンドはありません。 もしかして check ですか？",
     "No such command: chekc. Did you mean check?"),
    (["registry", "due", "--within", "abc"], "--within の値が正しくありません: 「abc」は整数ではありません。",
     "Invalid value for --within: 'abc' is not a whole number."),
    (["registry", "list", "--status", "done"], "「done」は指定できません。指定できる値: 受付（received）、",
     "'done' is not one of: received, "),
    (["render", str(ROOT / "samples"), "--out", "x"], "はフォルダです。ファイルを指定してください。",
     "is a folder; give a file."),
    (["inbox", str(SAMPLE)], "はファイルです。フォルダを指定してください。", "is a file; give a folder."),
    (["check"], "FILES... を指定してください。", "Missing argument FILES...."),
    (["render", "x", "--term"], "--term の後に値を指定してください。", "Option --term needs a value."),
    (["rules", "extra"], "余分な引数があります: extra", "Unexpected extra argument(s): extra"),
    (["registry", "results", "add", "1", "--fy", "令和7年", "--item", "x", "--title", "t"],
     "--item の値が正しくありません: 「x」は整数ではありません。", "'x' is not a whole number."),
])
def test_click_messages_in_japanese_and_english(args, ja, en):
    res = kyotei(*args)
    assert res.exit_code == ExitCode.USAGE
    assert ja in res.stderr and "Error" not in res.stderr and "Try '" not in res.stderr, res.stderr
    assert "使い方は「kyotei" in res.stderr and "--help」で表示できます。" in res.stderr
    res = kyotei("--lang", "en", *args)
    assert res.exit_code == ExitCode.USAGE and en in res.stderr, res.stderr
    assert not any("\u3040" <= ch <= "\u30ff" for ch in res.stderr.split(en)[0]), res.stderr  # no kana around it


def test_a_real_process_says_it_in_japanese_without_error_prefix():
    res = run_cli("render", str(SAMPLE))
    assert res.returncode == ExitCode.USAGE
    assert res.stderr.splitlines() == ["使い方: kyotei render [OPTIONS] FILE", "--out を指定してください。",
                                       "使い方は「kyotei render --help」で表示できます。"]


def test_lang_comes_first_even_for_a_mistake_in_the_command_name():
    res = kyotei("--lang", "en", "chek")
    assert "No such command: chek." in res.stderr and "コマンド" not in res.stderr


@pytest.mark.parametrize("text", ["令和8年度", "令和８年度", "R8", "r8年度", "2026", "２０２６年度"])
def test_fiscal_year_spellings(text):
    assert FISCAL_YEAR.convert(text, None, None) == 2026


@pytest.mark.parametrize("text, why", [
    ("8", "8 だけでは年度が決まりません"),
    ("令和八年度?", "年度として読めません"),
    ("R120", "扱える年度ではありません"),
])
def test_fiscal_year_mistakes_say_why(text, why):
    res = kyotei("registry", "review", "--fy", text)
    assert res.exit_code == ExitCode.USAGE and why in res.stderr, res.stderr


def test_fy_reaches_the_registry_in_any_spelling(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KYOTEI_REGISTRY", str(tmp_path / "registry.sqlite3"))
    assert kyotei("registry", "add", str(SAMPLE)).exit_code == ExitCode.OK
    assert kyotei("registry", "judge", "1", "--all-clear", "--yes").exit_code == ExitCode.OK
    assert kyotei("sign", "1", "--date", "令和8年6月1日", "--no-render", "--yes").exit_code == ExitCode.OK
    for n, fy in enumerate(["令和8年度", "R8", "2026"], start=1):
        res = kyotei("registry", "results", "add", "1", "--fy", fy, "--item", "1", "--title", f"事業{n}", "--yes")
        assert res.exit_code == ExitCode.OK and "令和8年度" in res.stdout, res.output
    results = json.loads(kyotei("registry", "show", "1", "--json").stdout)["results"]
    assert [r["fiscal_year"] for r in results] == [2026, 2026, 2026]


@pytest.mark.parametrize("value, why", [
    ("令和8年2月30日", "2月30日はありません。"),
    ("2027-02-29", "2027年はうるう年ではないため、2月29日はありません。"),
    ("令和元年4月30日", "令和は2019年5月1日からです。"),
    ("平成元年1月7日", "平成は1989年1月8日から2019年4月30日までです。"),
    ("2026-13-01", "13月はありません。"),
    ("8年6月1日", "8年だけでは年が決まりません"),
    ("元年6月1日", "「元年」だけでは、どの元号の元年か決まりません"),
    ("平成99年1月1日", "平成は2019年4月30日までです。平成99年は2087年（令和69年）にあたり"),
])
def test_a_date_that_cannot_exist_says_why(value, why):
    res = kyotei("render", str(SAMPLE), "--out", "unused", "--signing-date", value)
    assert res.exit_code == ExitCode.USAGE
    assert f"--signing-date の値が正しくありません: 「{value}」— {why}" in res.stderr, res.stderr


def test_a_heisei_date_after_the_era_is_taken_but_said(tmp_path):
    res = kyotei("render", str(SAMPLE), "--out", str(tmp_path / "out"), "--signing-date", "平成38年6月1日")
    assert "注意: 「平成38年6月1日」は平成の終了（2019年4月30日）後の日付のため、令和8年6月1日（2026-06-01）として扱います。" \
        in res.stderr


def test_english_date_reason():
    res = kyotei("--lang", "en", "sign", "1", "--date", "2026-02-30")
    assert "Invalid value for --date: '2026-02-30': There is no 2/30." in res.stderr


def _commands(group: click.Group, ctx: click.Context, path: str):
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None or cmd.hidden:
            continue
        yield f"{path} {name}", cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, ctx, f"{path} {name}")


#: a first sentence in Japanese: Japanese characters before its closing 「。」 (it may start with 「JSON」 or 「PDF」)
_JAPANESE_SENTENCE = re.compile(r"^(?:[^。.]|\.(?=\S))*[\u3040-\u30ff\u4e00-\u9fff](?:[^。.]|\.(?=\S))*。")


def _japanese_first(text: str | None) -> bool:
    return bool(text and _JAPANESE_SENTENCE.match(text.strip()))


def test_every_help_text_leads_with_japanese():
    ctx = click.Context(cli, info_name="kyotei")
    missing = []
    for path, cmd in [("kyotei", cli), *_commands(cli, ctx, "kyotei")]:
        if not _japanese_first(cmd.help):
            missing.append(path)
        for param in cmd.params:
            if isinstance(param, click.Option) and not _japanese_first(param.help):
                missing.append(f"{path} {param.opts[0]}")
    assert not missing, missing
    assert set(COMMANDS) <= {p.split()[1] for p, _ in _commands(cli, ctx, "kyotei")}


def test_help_headings_are_japanese():
    res = kyotei("check", "--help")
    assert res.output.startswith("使い方: kyotei check [OPTIONS] FILES...")
    assert "オプション（Options）:" in res.output and "この説明を表示して終了します" in res.output
    res = kyotei("--lang", "en", "check", "--help")
    assert res.output.startswith("Usage: kyotei check") and "Options:" in res.output


def test_no_help_text_names_the_registry_places_from_before_sites():
    """Since ``kyotei init`` the registry is the site's registry.sqlite3; the help said「設定の [registry]
    path、なければ利用者のデータフォルダ」, places staff can no longer find it in."""
    ctx = click.Context(cli, info_name="kyotei")
    stale = [f"{path} {p.opts[0]}" for path, cmd in _commands(cli, ctx, "kyotei") for p in cmd.params
             if isinstance(p, click.Option) and p.help and "利用者のデータフォルダ。kyotei registry where" in p.help]
    assert stale == []
    assert "既定: サイトの registry.sqlite3" in kyotei("registry", "list", "--help").output
