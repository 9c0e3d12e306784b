"""After signing (issue 19): amendments (変更協定) and their document.

Real sample proposals, real SQLite registries, the real command line; the
変更協定書 rendered by the real template (and LibreOffice where marked).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import ROOT
from kyotei_docs.cli import cli
from kyotei_docs.exitcodes import ExitCode

SAMPLE = ROOT / "samples" / "01_content_controls.docx"   # 株式会社ななかまどヘルスケア, comprehensive
NOW = {"KYOTEI_NOW": "2026-12-07T10:00:00+09:00"}


@pytest.fixture
def kyotei(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KYOTEI_REGISTRY", str(tmp_path / "reg.sqlite3"))
    monkeypatch.delenv("KYOTEI_ACTOR", raising=False)
    runner = CliRunner()

    def run(*args: str, env: dict | None = None):
        return runner.invoke(cli, list(args), env=NOW | (env or {}), catch_exceptions=False)

    return run


def js(result) -> Any:
    return json.loads(result.stdout)


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def signed_with_items(kyotei, tmp_path) -> None:
    items = tmp_path / "items.txt"
    items.write_text("健康増進に関すること\n子育て支援に関すること\n", encoding="utf-8")
    assert kyotei("registry", "add", str(SAMPLE)).exit_code == 0
    assert kyotei("registry", "set", "1", "--items-file", str(items), "--yes").exit_code == 0
    assert kyotei("registry", "judge", "1", "--all-clear", "--yes").exit_code == 0  # judged in a meeting
    assert kyotei("sign", "1", "--date", "2026-06-01", "--no-render", "--yes").exit_code == 0


def test_an_amendment_is_its_own_record_and_the_signed_items_stay(kyotei, tmp_path):
    signed_with_items(kyotei, tmp_path)
    r = kyotei("registry", "results", "add", "1", "--fy", "2026", "--item", "2", "--title", "子育て講座", "--yes")
    assert r.exit_code == 0
    # set refuses to rewrite the signed items and names amend; nothing changes
    r = kyotei("registry", "set", "1", "--item", "観光振興に関すること", "--yes")
    assert r.exit_code == ExitCode.FINDINGS and "kyotei registry amend 1" in r.stderr
    new = tmp_path / "new.txt"
    new.write_text("観光振興に関すること\n健康増進に関すること\n子育て支援に関すること\n", encoding="utf-8")
    r = kyotei("registry", "amend", "1", "--items-file", str(new), "--date", "2026-11-01",
               "--reason", "観光分野の追加", "--out", "docs", "--no-pdf", "--yes")
    assert r.exit_code == 0, r.output
    assert "第2条 連携・協力事項、2026-11-01" in r.stdout and "締結時の協定書の内容はそのまま残ります" in r.stdout
    shown = js(kyotei("registry", "show", "1", "--json"))
    a = shown["agreement"]
    assert a["items"][:3] == ["観光振興に関すること", "健康増進に関すること", "子育て支援に関すること"]
    assert a["signed_items"][:2] == ["健康増進に関すること", "子育て支援に関すること"]
    assert a["items"][-1].startswith("その他") and len(a["items"]) == 4 and len(a["signed_items"]) == 3
    [event] = [e for e in shown["events"] if e["kind"] == "amended"]
    assert event["detail"]["before"] == a["signed_items"] and event["detail"]["after"] == a["items"]
    # the result keeps the number it was recorded under (2 = 子育て支援 as signed), and says so
    [result] = shown["results"]
    assert (result["item"], result["items_version"]) == (2, 0)
    assert "（連携事項の番号は締結時のもの）" in kyotei("registry", "show", "1").stdout
    later = kyotei("registry", "results", "add", "1", "--fy", "2026", "--item", "1", "--title", "観光PR", "--yes")
    assert later.exit_code == 0
    versions = {x["title"]: x["items_version"] for x in js(kyotei("registry", "show", "1", "--json"))["results"]}
    assert versions == {"子育て講座": 0, "観光PR": 1}
    # the amendment rows are append-only like the events
    conn = sqlite3.connect(tmp_path / "reg.sqlite3")
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE amendments SET article = 3")
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("DELETE FROM amendments")
    conn.close()
    # the 変更協定書: both parties, the original signing date, the new items, a 新旧対照表
    [doc] = sorted((tmp_path / "docs").glob("*.docx"))
    assert doc.name == "株式会社ななかまどヘルスケア_変更協定書_20261101.docx"
    text = _docx_text(doc)
    assert "包括連携協定の一部を変更する協定書" in text and "令和８年６月１日に締結した" in text
    assert "原協定第２条第１項各号を次のように改める。" in text and "⑴　観光振興に関すること" in text
    assert "変更後" in text and "変更前" in text and "⑴　健康増進に関すること" in text
    assert "令和８年１１月１日から効力を生ずる" in text and "{{" not in text and "{%" not in text


def test_amendment_refusals_leave_nothing_recorded(kyotei, tmp_path):
    assert kyotei("registry", "add", str(SAMPLE)).exit_code == 0
    r = kyotei("registry", "amend", "1", "--item", "x", "--date", "2026-11-01", "--no-pdf", "--yes")
    assert r.exit_code == ExitCode.FINDINGS and "kyotei registry set 1 --items-file" in r.stderr
    assert kyotei("registry", "judge", "1", "--all-clear", "--yes").exit_code == 0  # judged in a meeting
    assert kyotei("sign", "1", "--date", "2026-06-01", "--no-render", "--yes").exit_code == 0
    items = js(kyotei("registry", "show", "1", "--json"))["agreement"]["items"]
    cases = [
        (("--item", "x", "--date", "2026-05-01"), "締結"),                  # before the signing
        (("--date", "2026-11-01"), "--items-file"),                           # no items for article 2
        (("--article", "4", "--item", "x", "--date", "2026-11-01"), "--new"),  # items belong to article 2
        (tuple(a for i in items for a in ("--item", i)) + ("--date", "2026-11-01"), "同じ"),  # no change
    ]
    for args, words in cases:
        r = kyotei("registry", "amend", "1", *args, "--no-pdf", "--yes")
        assert r.exit_code == ExitCode.FINDINGS and words in r.stderr, (args, r.output)
    shown = js(kyotei("registry", "show", "1", "--json"))
    assert not [e for e in shown["events"] if e["kind"] == "amended"] and shown["agreement"]["items"] == items
    assert kyotei("registry", "end", "1", "--date", "2026-10-01", "--reason", "r", "--cause", "other",
                  "--yes").exit_code == 0
    r = kyotei("registry", "amend", "1", "--item", "x", "--date", "2026-11-01", "--no-pdf", "--yes")
    assert r.exit_code == ExitCode.FINDINGS and "締結中の協定" in r.stderr


def test_another_article_is_amended_by_its_text(kyotei, tmp_path):
    signed_with_items(kyotei, tmp_path)
    r = kyotei("registry", "amend", "1", "--article", "3", "--new", "甲及び乙は，知り得た秘密を漏らしてはならない。",
               "--old", "（旧）守秘義務の条文", "--date", "2026-12-01", "--out", "docs", "--no-pdf", "--yes")
    assert r.exit_code == 0, r.output
    a = js(kyotei("registry", "show", "1", "--json"))["agreement"]
    assert a["items"] == a["signed_items"]  # the items did not change
    text = _docx_text(next((tmp_path / "docs").glob("*.docx")))
    assert "原協定第３条を次のように改める。" in text and "（旧）守秘義務の条文" in text


@pytest.mark.libreoffice
@pytest.mark.slow
def test_registry_render_keeps_form2_as_signed_and_form3_current(kyotei, tmp_path):
    """Form 2 is the agreement as signed; Form 3 announces the items as amended; the 変更協定書 as PDF."""
    signed_with_items(kyotei, tmp_path)
    new = tmp_path / "new.txt"
    new.write_text("観光振興に関すること\n健康増進に関すること\n", encoding="utf-8")
    r = kyotei("registry", "amend", "1", "--items-file", str(new), "--date", "2026-11-01", "--out", "docs",
               "--pdf", "--yes")
    assert r.exit_code == 0, r.output
    pdf = tmp_path / "docs" / "株式会社ななかまどヘルスケア_変更協定書_20261101.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    r = kyotei("registry", "render", "1", "--out", "forms", "--no-pdf")
    assert r.exit_code == 0, r.output
    form2 = _docx_text(next((tmp_path / "forms").glob("*協定書.docx")))
    form3 = _docx_text(next((tmp_path / "forms").glob("*掲載文.docx")))
    assert "子育て支援に関すること" in form2 and "観光振興に関すること" not in form2
    assert "令和８年６月１日" in form2
    assert "観光振興に関すること" in form3 and "子育て支援に関すること" not in form3


# ---------------------------------------------------------------------------------- termination on notice


def test_termination_needs_the_notice_and_its_month(kyotei, tmp_path):
    """協定書 第４条第２項: notice one month before the end; refused with the earliest end, or --force agreed."""
    signed_with_items(kyotei, tmp_path)
    base = ("registry", "end", "1", "--date", "2027-02-10", "--reason", "事業の終了", "--out", "docs", "--no-pdf",
            "--yes")
    r = kyotei(*base)
    assert r.exit_code == ExitCode.FINDINGS and "--notice-date" in r.stderr
    r = kyotei(*base, "--notice-date", "2027-01-15")
    # notice on 2027-01-15, safe reading: 2027-02-16 is the first end it allows (2027-02-15 minus one month minus a day)
    assert r.exit_code == ExitCode.FINDINGS and "最も早い日は 2027-02-16" in r.stderr and "--force" in r.stderr
    assert js(kyotei("registry", "show", "1", "--json"))["agreement"]["ended_on"] is None  # nothing recorded
    r = kyotei(*base, "--notice-date", "2027-01-15", "--force")
    assert r.exit_code == 0, r.output
    assert "解約の通知日: 2027-01-15" in r.stdout and "解約通知書を作成しました" in r.stdout
    shown = js(kyotei("registry", "show", "1", "--json"))
    a = shown["agreement"]
    assert (a["ended_on"], a["notice_on"], a["status"]) == ("2027-02-10", "2027-01-15", "signed")  # 終了予定
    ev = shown["events"][-1]
    assert ev["kind"] == "end_scheduled" and ev["detail"]["shorter_than_notice"] is True
    assert ev["detail"]["earliest_end"] == "2027-02-16" and ev["detail"]["notice_on"] == "2027-01-15"
    # a second end is refused: the end is already recorded
    again = kyotei("registry", "end", "1", "--date", "2027-03-31", "--cause", "other", "--reason", "x", "--yes")
    assert again.exit_code == ExitCode.FINDINGS and "2027-02-10 に終了することが記録済み" in again.stderr
    [letter] = sorted((tmp_path / "docs").glob("*.docx"))
    assert letter.name == "株式会社ななかまどヘルスケア_解約通知書_20270115.docx"
    text = _docx_text(letter)
    assert "包括連携協定の解約について（通知）" in text and "令和９年２月１０日をもって解約" in text
    assert "同協定第４条第２項" in text and "事業の終了" in text and "{{" not in text


def test_a_notice_with_its_month_is_recorded_and_an_ended_case_refused(kyotei, tmp_path):
    signed_with_items(kyotei, tmp_path)
    r = kyotei("registry", "end", "1", "--date", "2026-11-30", "--notice-date", "2026-10-20", "--reason",
               "相手方からの申出", "--by", "partner", "--out", "docs", "--no-pdf", "--yes")
    assert r.exit_code == 0, r.output
    a = js(kyotei("registry", "show", "1", "--json"))["agreement"]
    assert (a["status"], a["notice_on"]) == ("ended", "2026-10-20")
    assert "解約・不更新の通知日: 2026-10-20" in kyotei("registry", "show", "1").stdout
    lines = _docx_text(next((tmp_path / "docs").glob("*.docx"))).split("\n")
    # written by the partner to the city: the city is the addressee, the partner signs
    assert lines[1:5] == ["旭川市", "旭川市長　様", "株式会社ななかまどヘルスケア", "代表取締役　北野　春香"], lines[:6]
    again = kyotei("registry", "end", "1", "--date", "2026-12-31", "--cause", "other", "--reason", "x", "--yes")
    assert again.exit_code == ExitCode.FINDINGS and "既に終了しています" in again.stderr


def test_earliest_end_after_notice_follows_the_reading_and_closed_days():
    from datetime import date

    from kyotei_docs.periods import ClosedDays, earliest_end_after_notice, notice_deadline

    assert earliest_end_after_notice(date(2027, 1, 15)) == date(2027, 2, 16)
    assert earliest_end_after_notice(date(2027, 1, 15), "plain") == date(2027, 2, 15)
    # 2027-02-28 minus one month is 2027-01-28, before a notice of 31 January: 1 March is the first end
    assert earliest_end_after_notice(date(2027, 1, 31), "plain") == date(2027, 3, 1)
    calendar = ClosedDays()
    for notice in (date(2026, 12, 1), date(2027, 4, 28), date(2028, 2, 29)):
        end = earliest_end_after_notice(notice, "safe", calendar)
        assert notice_deadline(end, "safe", calendar) >= notice > notice_deadline(
            date.fromordinal(end.toordinal() - 1), "safe", calendar)


# ---------------------------------------------------------------------------------- the yearly results survey


def _fill(path: Path, rows: list[tuple[int, list[Any]]]) -> None:
    """Fill cells of sheet 実績 as a department would in Excel: (row, [F 実施日, G 事業名, H 内容, I 公表])."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["実績"]
    for row, values in rows:
        for col, value in zip("FGHI", values):
            ws[f"{col}{row}"] = value
    wb.save(path)


def test_survey_workbook_lists_agreements_with_validation_and_protected_headers(kyotei, tmp_path):
    signed_with_items(kyotei, tmp_path)
    r = kyotei("registry", "survey", "make", "--fy", "R8", "--out", "survey")
    assert r.exit_code == 0, r.output
    [book] = sorted((tmp_path / "survey").glob("*.xlsx"))
    assert book.name == "実績調査_令和8年度_保健所 保健総務課.xlsx" and "kyotei registry survey import" in r.stdout
    assert "令和8年度の実績調査票を 1 件作成しました" in r.stdout   # no stray blank: 「令和8年度 の」
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb["実績"]
    assert [c.value for c in ws[3]][:6] == ["協定ID", "協定名称", "相手方", "連携事項番号", "連携事項", "実施日"]
    assert [(ws[f"A{r}"].value, ws[f"D{r}"].value, ws[f"E{r}"].value) for r in (4, 5, 6)] == [
        (1, 1, "健康増進に関すること"), (1, 2, "子育て支援に関すること"),
        (1, 3, "その他，地域の活性化及び市民サービスの向上に関すること")]
    assert ws.protection.sheet and ws["A3"].protection.locked and not ws["F4"].protection.locked
    kinds = {(dv.type, str(dv.sqref).split(":")[0][0]) for dv in ws.data_validations.dataValidation}
    assert {("list", "A"), ("whole", "D"), ("date", "F"), ("list", "I")} <= kinds
    assert wb["_kyotei"].sheet_state == "hidden" and wb["_kyotei"]["A1"].value == "kyotei-survey"


def test_survey_workbooks_go_into_the_site_by_default_and_are_named_absolutely(site, tmp_path, monkeypatch):
    """Without --out the workbooks land in <site>/実績調査, not in the folder the command started from."""
    monkeypatch.delenv("KYOTEI_REGISTRY", raising=False)
    elsewhere = tmp_path / "どこか"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    run = CliRunner()
    assert run.invoke(cli, ["registry", "add", str(SAMPLE)], env=NOW).exit_code == 0
    assert run.invoke(cli, ["registry", "judge", "1", "--all-clear", "--yes"], env=NOW).exit_code == 0
    assert run.invoke(cli, ["sign", "1", "--date", "2026-06-01", "--no-render", "--yes"], env=NOW).exit_code == 0
    r = run.invoke(cli, ["registry", "survey", "make", "--fy", "R8"], env=NOW)
    assert r.exit_code == 0, r.output
    [book] = sorted((site.root / "実績調査").glob("*.xlsx"))
    assert f"  {book}" in r.stdout.splitlines() and not list(elsewhere.iterdir())


def test_survey_import_previews_then_records_and_one_bad_cell_refuses_all(kyotei, tmp_path):
    from datetime import datetime

    signed_with_items(kyotei, tmp_path)
    kyotei("registry", "survey", "make", "--fy", "2026", "--out", "survey")
    [book] = sorted((tmp_path / "survey").glob("*.xlsx"))
    _fill(book, [(4, [datetime(2026, 7, 15), "健康セミナー", "市民200名", "可"]),
                 (5, ["2026/10/3", "子育て講座", "親子30組", "否"]),
                 (6, [datetime(2027, 4, 2), "翌年度の行事", "", "可"])])  # F6: not in 令和8年度
    r = kyotei("registry", "survey", "import", str(book), "--record")
    assert r.exit_code == ExitCode.FINDINGS and "どの行も登録していません" in r.stderr
    assert "シート「実績」 6行目 F列（実施日）" in r.stderr and "2027-04-02" in r.stderr
    assert js(kyotei("registry", "show", "1", "--json"))["results"] == []  # nothing half-imported
    _fill(book, [(6, [None, None, None, None])])
    preview = kyotei("registry", "survey", "import", str(book))
    assert preview.exit_code == 0 and "登録する実績 2 件（見込み" in preview.stdout and "--record" in preview.stdout
    assert js(kyotei("registry", "show", "1", "--json"))["results"] == []
    r = kyotei("registry", "survey", "import", str(book), "--record")
    assert r.exit_code == 0 and "実績 2 件を登録しました" in r.stdout, r.output
    results = js(kyotei("registry", "show", "1", "--json"))["results"]
    assert [(x["item"], x["title"], x["date"], x["public"]) for x in results] == [
        (1, "健康セミナー", "2026-07-15", True), (2, "子育て講座", "2026-10-03", False)]
    again = kyotei("registry", "survey", "import", str(book), "--record")
    assert again.exit_code == 0 and "登録済みのため取り込まない行: 2 件" in again.stdout
    assert len(js(kyotei("registry", "show", "1", "--json"))["results"]) == 2
    # a new workbook lists them with their result IDs
    kyotei("registry", "survey", "make", "--fy", "2026", "--out", "survey2")
    import openpyxl

    ws = openpyxl.load_workbook(next((tmp_path / "survey2").glob("*.xlsx")))["実績"]
    assert [ws["G4"].value, ws["J4"].value, ws["G5"].value] == ["健康セミナー", 1, "子育て講座"]


def test_survey_import_refuses_a_result_dated_before_the_signing_by_its_cell(kyotei, tmp_path):
    """Signed 2026-06-01: work of 2026-05-20 in the same fiscal year is not a result of the agreement."""
    from datetime import datetime

    signed_with_items(kyotei, tmp_path)
    kyotei("registry", "survey", "make", "--fy", "2026", "--out", "survey")
    [book] = sorted((tmp_path / "survey").glob("*.xlsx"))
    _fill(book, [(4, [datetime(2026, 7, 15), "健康セミナー", "", "可"]),
                 (5, [datetime(2026, 5, 20), "締結前の講座", "", "可"])])
    r = kyotei("registry", "survey", "import", str(book), "--record")
    assert r.exit_code == ExitCode.FINDINGS and "シート「実績」 5行目 F列（実施日）" in r.stderr
    assert "実施日 2026-05-20 は協定ID 1 の締結日 2026-06-01 より前です" in r.stderr
    assert js(kyotei("registry", "show", "1", "--json"))["results"] == []  # nothing half-imported


def test_survey_import_refuses_foreign_and_damaged_workbooks_by_name(kyotei, tmp_path):
    import openpyxl

    signed_with_items(kyotei, tmp_path)
    foreign = tmp_path / "他の表.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "協定ID"  # type: ignore[index]
    wb.save(foreign)
    broken = tmp_path / "壊れた.xlsx"
    broken.write_bytes(foreign.read_bytes()[:300])
    old_excel = tmp_path / "実績.xls"   # not a zip at all: the package reader's own words named a Word file
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    r = kyotei("registry", "survey", "import", str(foreign), str(broken), str(old_excel), "--record")
    assert r.exit_code == ExitCode.FINDINGS
    assert "他の表.xlsx: kyotei の実績調査票ではありません" in r.stderr and "壊れた.xlsx:" in r.stderr
    assert "実績.xls: Excel ブック（.xlsx）ではありません" in r.stderr and "Word" not in r.stderr
    assert "Traceback" not in r.output


# ---------------------------------------------------------------------------------- continuation reviews (5(3))

DISASTER = ROOT / "samples" / "02_typed_glyphs.docx"   # 北嶺防災サービス株式会社, individual, 災害対策


def test_review_suggests_the_exemption_and_records_the_consultation(kyotei, tmp_path):
    signed_with_items(kyotei, tmp_path)                       # case 1: comprehensive
    kyotei("registry", "add", str(DISASTER))
    kyotei("registry", "judge", "2", "--all-clear", "--yes")  # judged in a meeting (issue 18)
    kyotei("sign", "2", "--date", "2026-06-01", "--no-render", "--yes")
    late = {"KYOTEI_NOW": "2027-05-10T10:00:00+09:00"}
    report = js(kyotei("registry", "review", "--json", env=late))    # 令和8年度, the last fiscal year
    assert [(x["id"], x["exemption_suggested"], x["outcome"]) for x in report["needs_review"]] == [
        (1, None, None), (2, "災害対策", None)]
    text = kyotei("registry", "review", env=late).stdout
    assert "未記録" in text and "※ 災害対策の個別連携協定です" in text
    r = kyotei("registry", "reviewed", "1", "--outcome", "continue", "--date", "2027-05-09",
               "--note", "今年度は健康講座を実施予定", "--yes", env=late)
    assert r.exit_code == 0 and "継続する" in r.stdout and "令和8年度" in r.stdout
    assert kyotei("registry", "set", "2", "--exempt", "--exempt-reason", "災害時の資機材供給に備えた協定",
                  "--yes", env=late).exit_code == 0
    report = js(kyotei("registry", "review", "--json", env=late))
    assert [(x["id"], x["outcome"]["outcome"]) for x in report["needs_review"]] == [(1, "continue")]
    assert [(x["agreement"]["id"], x["reason"]) for x in report["exempt"]] == [(2, "災害時の資機材供給に備えた協定")]
    shown = kyotei("registry", "show", "1", env=late).stdout
    assert "継続の協議（実績なし）" in shown and "令和8年度: 継続する" in shown


# ---------------------------------------------------------------------------------- a year after signing

from test_remind import _mail_config, relay  # noqa: E402,F401  (the real local SMTP server)


def test_a_year_after_signing_with_the_reminders_on_the_way(kyotei, relay, tmp_path):  # noqa: F811
    """Signing, an amendment, the notice deadline mailed, the renewal, the results survey and its import,
    Form 3's results, the 5(3) review and consultation, a notice of termination and the end."""
    import openpyxl

    inbox, port, cert = relay
    secret = {"TEST_RELAY_PASSWORD": "s3cret"}

    def at(day: str) -> dict[str, str]:
        return {"KYOTEI_NOW": f"{day}T10:00:00+09:00"} | secret

    def reminders(day: str) -> list[tuple[str, int]]:
        found = js(kyotei("remind", "--json", "--no-mail", env=at(day)))["reminders"]
        return sorted((x["kind"], x["id"]) for x in found)

    signed_with_items(kyotei, tmp_path)                                        # 1: 健康増進, 子育て支援 (保健所)
    assert kyotei("registry", "add", str(DISASTER), env=at("2026-06-01")).exit_code == 0
    assert kyotei("registry", "judge", "2", "--all-clear", "--yes", env=at("2026-06-01")).exit_code == 0
    assert kyotei("sign", "2", "--date", "2026-06-01", "--no-render", "--yes", env=at("2026-06-01")).exit_code == 0
    _mail_config(tmp_path, port, cert)
    assert reminders("2026-06-02") == []

    # November: the partner proposes tourism too — an amendment, not an edit
    new = tmp_path / "new.txt"
    new.write_text("健康増進に関すること\n子育て支援に関すること\n観光振興に関すること\n", encoding="utf-8")
    r = kyotei("registry", "amend", "1", "--items-file", str(new), "--date", "2026-11-01", "--out", "docs",
               "--no-pdf", "--yes", env=at("2026-11-01"))
    assert r.exit_code == 0 and (tmp_path / "docs" / "株式会社ななかまどヘルスケア_変更協定書_20261101.docx").is_file()

    # February: the non-renewal notice deadline (2027-02-26) comes near — each department mailed once
    assert reminders("2027-02-01") == [("notice_deadline", 1), ("notice_deadline", 2)]
    assert kyotei("remind", env=at("2027-02-01")).exit_code == 0
    assert kyotei("remind", env=at("2027-02-05")).exit_code == 0
    assert sorted(m["To"] for m in inbox.messages) == ["bousai@city.example.jp", "hoken@city.example.jp"]

    # April: nobody objected — renewed to 2028-03-31; the 令和8年度 results survey is due
    assert reminders("2027-04-02") == [("renewal_pending", 1), ("renewal_pending", 2), ("survey", 1), ("survey", 2)]

    renewed = js(kyotei("registry", "renew", "--json", env=at("2027-04-02")))
    assert [x["expires_on"] for x in renewed["renewed"]] == ["2028-03-31", "2028-03-31"]
    assert reminders("2027-04-02") == [("survey", 1), ("survey", 2)]
    kyotei("registry", "survey", "make", "--fy", "2026", "--out", "survey", env=at("2027-04-02"))
    book = next((tmp_path / "survey").glob("*保健所*.xlsx"))
    wb = openpyxl.load_workbook(book)
    ws = wb["実績"]
    assert [ws[f"E{r}"].value for r in (4, 5, 6)][:3] == ["健康増進に関すること", "子育て支援に関すること",
                                                         "観光振興に関すること"]  # the current items
    ws["F4"], ws["G4"], ws["H4"], ws["I4"] = "2026/9/1", "健康ウォーキング講座", "市民80名", "可"
    ws["F6"], ws["G6"], ws["H6"], ws["I6"] = "2027/2/11", "冬まつりでのPR", "", "可"
    wb.save(book)
    assert "登録する実績 2 件" in kyotei("registry", "survey", "import", str(book), env=at("2027-04-20")).stdout
    assert kyotei("registry", "survey", "import", str(book), "--record", env=at("2027-04-20")).exit_code == 0
    assert reminders("2027-04-20") == [("survey", 2)]                # 保健所 answered
    r = kyotei("registry", "render", "1", "--out", "forms", "--no-pdf", env=at("2027-04-20"))
    assert r.exit_code == 0, r.output
    form3 = _docx_text(next((tmp_path / "forms").glob("*掲載文.docx")))
    assert "令和８年度連携実績" in form3 or "令和8年度連携実績" in form3
    assert "健康ウォーキング講座" in form3 and "冬まつりでのPR" in form3 and "観光振興に関すること" in form3

    # May: case 2 has no result — the consultation of 5(3); its exemption only suggested
    assert reminders("2027-05-10") == [("consultation", 2)]
    review = js(kyotei("registry", "review", "--json", env=at("2027-05-10")))
    assert [(x["id"], x["exemption_suggested"]) for x in review["needs_review"]] == [(2, "災害対策")]
    assert kyotei("registry", "reviewed", "2", "--outcome", "end", "--note", "事業終了のため解約",
                  "--yes", env=at("2027-05-10")).exit_code == 0
    assert reminders("2027-05-10") == []

    # the partner's written notice on 10 May: the end on 31 May is refused, 30 June is recorded
    end = ("registry", "end", "2", "--notice-date", "2027-05-10", "--reason", "事業終了", "--by", "partner",
           "--out", "docs", "--no-pdf", "--yes")
    refused = kyotei(*end, "--date", "2027-05-31", env=at("2027-05-10"))
    assert refused.exit_code == ExitCode.FINDINGS and "2027-06-11" in refused.stderr
    assert kyotei(*end, "--date", "2027-06-30", env=at("2027-05-10")).exit_code == 0
    assert (tmp_path / "docs" / "北嶺防災サービス株式会社_解約通知書_20270510.docx").is_file()
    assert reminders("2027-06-05") == [("ending", 2)]
    kyotei("remind", env=at("2027-06-05"))
    assert [m["To"] for m in inbox.messages].count("bousai@city.example.jp") == 2  # the end, once
    kyotei("registry", "renew", env=at("2027-07-01"))
    assert js(kyotei("registry", "show", "2", "--json", env=at("2027-07-01")))["agreement"]["status"] == "ended"
    again = kyotei("registry", "end", "2", "--date", "2027-12-31", "--cause", "other", "--reason", "x", "--yes",
                   env=at("2027-07-01"))
    assert again.exit_code == ExitCode.FINDINGS and "既に終了しています" in again.stderr
    assert reminders("2027-07-01") == []


def test_an_objection_to_the_renewal_after_its_deadline_is_refused(kyotei, tmp_path):
    signed_with_items(kyotei, tmp_path)   # expires 2027-03-31, notice deadline 2027-02-26 (safe reading)
    base = ("registry", "end", "1", "--cause", "non_renewal", "--date", "2027-03-31", "--reason", "不更新",
            "--no-letter", "--yes")
    late = kyotei(*base, "--notice-date", "2027-03-01")
    assert late.exit_code == ExitCode.FINDINGS and "期限 2027-02-26 を過ぎている" in late.stderr
    assert kyotei(*base, "--notice-date", "2027-02-20").exit_code == 0
    assert js(kyotei("registry", "show", "1", "--json"))["agreement"]["notice_on"] == "2027-02-20"


def test_form3_announces_an_amendment_only_from_the_day_it_takes_effect(kyotei, tmp_path):
    """An amendment recorded ahead of its date (walk report): Form 3 keeps the items in force until that day."""
    signed_with_items(kyotei, tmp_path)
    new = tmp_path / "new.txt"
    new.write_text("観光振興に関すること\n", encoding="utf-8")
    assert kyotei("registry", "amend", "1", "--items-file", str(new), "--date", "2027-01-15", "--no-pdf",
                  "--yes").exit_code == 0                                   # today is 2026-12-07 (NOW)
    assert kyotei("registry", "render", "1", "--out", "before", "--no-pdf").exit_code == 0
    before = _docx_text(next((tmp_path / "before").glob("*掲載文.docx")))
    assert "子育て支援に関すること" in before and "観光振興に関すること" not in before
    later = {"KYOTEI_NOW": "2027-01-15T09:00:00+09:00"}
    assert kyotei("registry", "render", "1", "--out", "after", "--no-pdf", env=later).exit_code == 0
    after = _docx_text(next((tmp_path / "after").glob("*掲載文.docx")))
    assert "観光振興に関すること" in after and "子育て支援に関すること" not in after
