"""CSV (UTF-8 with BOM) and .xlsx exports, read back with the csv module and openpyxl."""

from __future__ import annotations

import csv
import subprocess
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest

from kyotei_docs.registry.dates import DateRules
from kyotei_docs.registry.errors import RegistryError
from kyotei_docs.registry.export import (
    AGREEMENT_COLUMNS,
    RESULT_COLUMNS,
    write_csv,
    write_xlsx,
)
from kyotei_docs.registry.lifecycle import add_result, end, renew_due, update_details
from test_registry_helpers import add, add_signed, open_new

RULES = DateRules()


@pytest.fixture
def filled(tmp_path, cfg):
    """A registry with a renewed, an ended, a received and a hostile-named agreement, and results."""
    reg = open_new(tmp_path)
    renewed = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社ななかまど")
    update_details(reg, renewed, actor="x", today=date(2026, 6, 2), changes={
        "items": ["健康増進に関すること", "その他，地域の活性化及び市民サービスの向上に関すること"],
        "public_url": "https://www.city.asahikawa.hokkaido.jp/kyotei/1", "notes": "⑴を含む備考"})
    renew_due(reg, today=date(2027, 4, 1), actor="x", rules=RULES)
    ended = add_signed(reg, cfg, date(2026, 7, 1), "one-year", name="株式会社おわり")
    end(reg, ended, on=date(2027, 1, 31), cause="dissolution", reason="会社解散", actor="x")
    add(reg, cfg, "株式会社うけつけ", fields=("環境", "その他"), axis=False)
    hostile = add_signed(reg, cfg, date(2026, 6, 1), name="=HYPERLINK(\"http://evil\")株式会社")
    add_result(reg, renewed, fy=2026, item=1, title="健康セミナー", actor="x", today=date(2026, 8, 1),
               done_on=date(2026, 7, 15), content="市民200名参加\n2回開催")
    add_result(reg, renewed, fy=2027, item=2, title="非公表の取組", actor="x", today=date(2027, 5, 1),
               public=False)
    add_result(reg, hostile, fy=2026, item=1, title="@SUM(1+1)", actor="x", today=date(2026, 8, 1))
    yield reg, {"renewed": renewed, "ended": ended, "hostile": hostile}
    reg.close()


def received_on(reg, agreement_id):
    from kyotei_docs.registry.queries import fetch_agreement

    with reg.snapshot() as conn:
        agreement = fetch_agreement(conn, agreement_id)
    assert agreement is not None
    return agreement.received_on


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    assert b"\r\n" in raw
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_columns_and_values(filled, tmp_path):
    reg, ids = filled
    report = write_csv(reg, tmp_path / "協定.csv", rules=RULES)
    assert report.paths == (tmp_path / "協定.csv", tmp_path / "協定-results.csv")
    assert (report.agreements, report.results) == (4, 3)
    rows = read_csv(tmp_path / "協定.csv")
    assert list(rows[0]) == list(AGREEMENT_COLUMNS)
    r = rows[0]
    assert r["協定ID"] == str(ids["renewed"])
    assert r["協定名称"] == "旭川市と株式会社ななかまどとの包括連携協定"
    assert r["協定種別"] == "包括連携協定（主軸分野型）"
    assert (r["締結日"], r["締結日（和暦）"]) == ("2026-06-01", "令和8年6月1日")
    assert r["受付日"] == received_on(reg, ids["renewed"]).isoformat() and r["受付日（和暦）"].startswith("令和")
    assert (r["有効期間開始日"], r["有効期間開始日（和暦）"]) == ("2027-04-01", "令和9年4月1日")
    assert (r["満了日"], r["満了日（和暦）"]) == ("2028-03-31", "令和10年3月31日")
    assert (r["不更新申出期限"], r["不更新申出期限（和暦）"]) == ("2028-02-28", "令和10年2月28日")
    assert (r["自動更新"], r["状態"]) == ("あり", "更新済")
    assert r["連携分野"] == "福祉・医療・健康，子育て"
    assert r["連携事項"] == "1. 健康増進に関すること\n2. その他，地域の活性化及び市民サービスの向上に関すること"
    assert r["担当部局・課"] == "保健所 保健総務課" and r["公表URL"].endswith("/kyotei/1")
    assert r["備考"] == "⑴を含む備考"  # not representable in cp932: the reason for UTF-8
    ended = rows[1]
    assert (ended["状態"], ended["解約日"], ended["解約日（和暦）"]) == ("終了", "2027-01-31", "令和9年1月31日")
    assert ended["解約理由"] == "企業等の解散・消滅：会社解散" and ended["不更新申出期限"] == ""
    received = rows[2]
    assert received["締結日"] == "" and received["自動更新"] == "" and received["状態"] == "受付"
    assert received["協定種別"] == "包括連携協定（オールラウンド型）" and received["連携分野"] == "環境，その他"
    assert rows[3]["相手方名称"].startswith("'=HYPERLINK")  # never a formula in Excel


def test_csv_results(filled, tmp_path):
    reg, ids = filled
    write_csv(reg, tmp_path / "a.csv", rules=RULES, results_path=tmp_path / "実績.csv")
    rows = read_csv(tmp_path / "実績.csv")
    assert list(rows[0]) == list(RESULT_COLUMNS)
    first = rows[0]
    assert (first["協定ID"], first["年度"], first["年度（和暦）"], first["連携事項番号"]) == (
        str(ids["renewed"]), "2026", "令和8年度", "1")
    assert (first["事業名"], first["実施日"], first["実施日（和暦）"]) == ("健康セミナー", "2026-07-15", "令和8年7月15日")
    assert first["内容"] == "市民200名参加\n2回開催" and first["公表可否"] == "可"
    assert first["担当課"] == "保健所 保健総務課"
    assert rows[1]["公表可否"] == "否" and rows[1]["実施日"] == ""
    assert rows[2]["事業名"] == "'@SUM(1+1)"


def test_xlsx_read_back(filled, tmp_path):
    reg, ids = filled
    report = write_xlsx(reg, tmp_path / "協定.xlsx", rules=RULES)
    assert (report.agreements, report.results) == (4, 3)
    wb = openpyxl.load_workbook(tmp_path / "協定.xlsx")
    assert wb.sheetnames == ["協定", "実績"]
    ws = wb["協定"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(AGREEMENT_COLUMNS)
    r = dict(zip(AGREEMENT_COLUMNS, rows[1]))
    assert r["協定ID"] == ids["renewed"]
    assert r["締結日"] == datetime(2026, 6, 1) and r["締結日（和暦）"] == "令和8年6月1日"
    assert r["満了日"] == datetime(2028, 3, 31) and r["満了日（和暦）"] == "令和10年3月31日"
    assert r["備考"] == "⑴を含む備考"
    assert ws.cell(row=2, column=AGREEMENT_COLUMNS.index("締結日") + 1).number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:Z{len(rows)}"
    assert r["受付日"] == datetime.combine(received_on(reg, ids["renewed"]), datetime.min.time())
    assert str(r["受付日（和暦）"]).startswith("令和")
    for sheet in wb:  # printed on A4 landscape, one page wide, the header row on every page
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToHeight) == ("landscape", 9, 0)
        assert sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
    hostile = dict(zip(AGREEMENT_COLUMNS, rows[4]))
    cell = ws.cell(row=5, column=AGREEMENT_COLUMNS.index("相手方名称") + 1)
    name = hostile["相手方名称"]
    assert isinstance(name, str) and name.startswith("=HYPERLINK") and cell.data_type == "s"  # text, not a formula
    res = list(wb["実績"].iter_rows(values_only=True))
    assert list(res[0]) == list(RESULT_COLUMNS)
    first = dict(zip(RESULT_COLUMNS, res[1]))
    assert (first["年度"], first["年度（和暦）"], first["実施日"], first["公表可否"]) == (
        2026, "令和8年度", datetime(2026, 7, 15), "可")
    assert dict(zip(RESULT_COLUMNS, res[2]))["実施日"] is None


def test_exports_never_replace_without_force(filled, tmp_path):
    reg, _ = filled
    target = tmp_path / "x.xlsx"
    target.write_bytes(b"keep")
    with pytest.raises(RegistryError) as err:
        write_xlsx(reg, target, rules=RULES)
    assert err.value.code == "export_exists" and target.read_bytes() == b"keep"
    (tmp_path / "y-results.csv").write_text("keep")
    with pytest.raises(RegistryError):
        write_csv(reg, tmp_path / "y.csv", rules=RULES)
    assert not (tmp_path / "y.csv").exists()  # refused before writing anything
    write_xlsx(reg, target, rules=RULES, force=True)
    assert openpyxl.load_workbook(target).sheetnames == ["協定", "実績"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_empty_registry_exports_headers_only(tmp_path):
    with open_new(tmp_path) as reg:
        write_csv(reg, tmp_path / "e.csv", rules=RULES)
        write_xlsx(reg, tmp_path / "e.xlsx", rules=RULES)
    assert read_csv(tmp_path / "e.csv") == []
    assert len(list(openpyxl.load_workbook(tmp_path / "e.xlsx")["協定"].iter_rows())) == 1


def test_control_characters_are_dropped_from_xlsx(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        add(reg, cfg, "株式会社\x0cページ")
        write_xlsx(reg, tmp_path / "c.xlsx", rules=RULES)
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx")["協定"]
    assert ws.cell(row=2, column=4).value == "株式会社ページ"


NOTES = AGREEMENT_COLUMNS.index("備考")


def _awkward_rows():
    """Agreement rows with text that must stay text, whitespace, control characters and an over-long value."""
    base = ["", "", "包括連携協定（オールラウンド型）", "", "", "", "2026-05-01", "令和8年5月1日", "2026-06-01", "令和8年6月1日", "", "", "2027-03-31",
            "令和9年3月31日", "あり", "", "", "更新済", "環境", "", "", "", "", "", "", ""]
    texts = ["=HYPERLINK(\"http://evil\")", "#N/A", "  前後に空白  ", "改行\r\nと<&>\"'", "\x01\x02", "+1", "-1",
             "@SUM(1)", "長" * 40_000, "タブ\tあり", "末尾の空白 "]
    rows: list[list[Any]] = []
    for n, text in enumerate(texts, 1):
        row: list[Any] = list(base)
        row[0], row[1], row[3], row[NOTES] = n, f"協定{n}", text, text
        rows.append(row)
    return rows


def test_xlsx_text_stays_text(tmp_path):
    from kyotei_docs.registry.export import write_sheets

    assert write_sheets(tmp_path / "t.xlsx", [("協定", AGREEMENT_COLUMNS, _awkward_rows())]) == [11]
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["協定"]
    col = AGREEMENT_COLUMNS.index("備考") + 1
    cells = [ws.cell(row=r, column=col) for r in range(2, 13)]
    assert all(c.data_type == "s" for c in cells if c.value is not None)
    values = [c.value for c in cells]
    assert values[:4] == ["=HYPERLINK(\"http://evil\")", "#N/A", "  前後に空白  ", "改行\nと<&>\"'"]
    assert values[4] is None  # nothing left once the control characters are gone: an empty cell
    long_text = values[8]
    assert isinstance(long_text, str) and len(long_text) == 32767 and values[10] == "末尾の空白 "
    signed = ws.cell(row=2, column=AGREEMENT_COLUMNS.index("締結日") + 1)
    assert signed.value == datetime(2026, 6, 1) and signed.number_format == "yyyy-mm-dd"
    assert ws.cell(row=2, column=AGREEMENT_COLUMNS.index("締結日（和暦）") + 1).data_type == "s"
    assert ws.cell(row=2, column=AGREEMENT_COLUMNS.index("相手方所在地") + 1).value is None
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:Z12"
    assert 40 <= ws.column_dimensions["B"].width < 41  # the writer adds Excel's padding


def test_exports_report_progress(filled, tmp_path, monkeypatch):
    import kyotei_docs.registry.export as export

    reg, _ = filled
    monkeypatch.setattr(export, "_TICK_ROWS", 2)  # 4 agreements + 3 results: several reports
    for write, name in ((write_csv, "p.csv"), (write_xlsx, "p.xlsx")):
        calls: list[tuple[int, int]] = []

        def note(done: int, total: int, calls: list[tuple[int, int]] = calls) -> None:
            calls.append((done, total))

        write(reg, tmp_path / name, rules=RULES, progress=note)
        assert calls[0] == (0, 7) and calls[-1] == (7, 7), (name, calls)
        assert [d for d, _ in calls] == sorted(d for d, _ in calls) and len(calls) >= 4


@pytest.mark.libreoffice
@pytest.mark.slow
def test_xlsx_opens_in_libreoffice(tmp_path):
    """LibreOffice Calc reads the sheet as Excel would: text that looks like a formula stays text, dates show."""
    from kyotei_docs.office import _seed_profile, soffice_path
    from kyotei_docs.registry.export import write_sheets

    rows = _awkward_rows()[:8]
    rows[0][NOTES], rows[1][NOTES] = "=1+1", "-1"
    write_sheets(tmp_path / "lo.xlsx", [("協定", AGREEMENT_COLUMNS, rows)])
    exe = soffice_path()
    assert exe, "LibreOffice missing: make installs it"
    _seed_profile(tmp_path / "profile", exe)  # as the project seeds its own: no first-start self-test and restart
    # UTF-8 CSV of the first sheet, cells as shown (44 comma, 34 quote, 76 UTF-8)
    subprocess.run([exe, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(tmp_path / "lo.xlsx")],
                   check=True, capture_output=True, timeout=240)
    out = tmp_path / "lo.csv"
    assert out.exists(), "Calc could not load the file (make installs libreoffice-calc-nogui)"
    with out.open(encoding="utf-8", newline="") as fh:
        got = list(csv.DictReader(fh))
    assert [r["備考"] for r in got[:2]] == ["=1+1", "-1"]  # not 2, not a number
    assert [r["相手方名称"] for r in got] == ["=HYPERLINK(\"http://evil\")", "#N/A", "  前後に空白  ", "改行\nと<&>\"'",
                                              "", "+1", "-1", "@SUM(1)"]
    assert got[0]["締結日"] == "2026-06-01" and got[0]["締結日（和暦）"] == "令和8年6月1日"
