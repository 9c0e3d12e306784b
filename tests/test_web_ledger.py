"""The list as a ledger (``web/ledger.py``, ``web/listing.py``): sort by any column, pages of 50,
filters (判定 beside status, department, fiscal year, type), columns kept per person, and the
view exported exactly as shown — against a real registry file filled as the drop folder fills it."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from kyotei_docs.web.ledger import PAGE_SIZE, Row, sort_rows
from webkit import add_users, fill_cases, home, login, make_app, token  # noqa: F401


def table(html: str) -> str:
    return html.split('class="cases"')[1].split("</table>")[0]


def orgs(html: str) -> list[str]:
    return re.findall(r'<a href="/case/\d+">([^<]+)</a>', table(html))


def test_rows_sort_stably_with_empty_values_last():
    from datetime import date

    def row(i: int, dept: str, signed: date | None) -> Row:
        return Row(i, "received", "axis", f"会社{i}", dept, date(2026, 4, 1), signed, None, "ok", 0)

    rows = [row(3, "環境部", None), row(1, "環境部", date(2026, 5, 1)), row(2, "保健所", date(2026, 6, 1)),
            row(4, "", date(2026, 5, 1))]
    assert [r.id for r in sort_rows(rows, "department", False)] == [2, 1, 3, 4]  # ties in number order, "" last
    assert [r.id for r in sort_rows(rows, "department", True)] == [1, 3, 2, 4]
    assert [r.id for r in sort_rows(rows, "signed", False)] == [1, 4, 2, 3]
    assert [r.id for r in sort_rows(rows, "signed", True)] == [2, 1, 4, 3]  # no date: last either way


@pytest.fixture
def many(home):  # noqa: F811
    """120 cases: names in reverse order of their numbers, three departments, a few 要修正 and 要確認."""
    names = [f"株式会社テスト{120 - i:03d}" for i in range(120)]
    names[5] = "㈱ヒマワリ"
    departments = ["環境部", "保健所", "経済部"] * 40
    fill_cases(home, names, departments=departments, invalid={0, 7}, review={3: 2, 9: 1})
    return home


def test_sort_by_any_column_shown_in_the_header(many):
    client = make_app(many).test_client()
    html = client.get("/").get_data(as_text=True)
    assert '<th scope="col" aria-sort="descending"><a href="?sort=id&amp;order=asc"' in html  # default: newest first
    assert html.count("aria-sort=") == 1
    first = orgs(html)
    assert first[0] == "株式会社テスト001" and len(first) == PAGE_SIZE  # case 120 first
    html = client.get("/?sort=organisation&order=asc").get_data(as_text=True)
    assert 'aria-sort="ascending"><a href="?sort=organisation&amp;order=desc"' in html
    assert orgs(html)[:3] == ["株式会社テスト001", "株式会社テスト002", "株式会社テスト003"]
    assert "▲" in table(html).split("</thead>")[0]
    html = client.get("/?sort=department&order=asc").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'<a href="/case/(\d+)">', table(html))]
    assert ids[:3] == [2, 5, 8]  # 保健所 first, then its cases in number order (stable)
    html = client.get("/?sort=verdict").get_data(as_text=True)
    assert re.findall(r'<a href="/case/(\d+)">', table(html))[:4] == ["1", "8", "4", "10"]  # 要修正, then 要確認


def test_pages_of_fifty_with_links(many):
    client = make_app(many).test_client()
    html = client.get("/?sort=id&order=asc").get_data(as_text=True)
    assert "120 件中 1〜50 件目" in html
    nav = html.split('class="pages"')[1].split("</nav>")[0]
    assert 'aria-current="page" aria-label="1 ページ目">1<' in nav and "page=3" in nav and "次へ" in nav
    assert "sort=id" in nav  # the sort travels with the page links
    html = client.get("/?sort=id&order=asc&page=3").get_data(as_text=True)
    assert len(orgs(html)) == 20 and "120 件中 101〜120 件目" in html and "前へ" in html
    assert client.get("/?sort=id&order=asc&page=99").get_data(as_text=True).count('aria-current="page" aria') == 1
    assert "101〜120" in client.get("/?sort=id&order=asc&page=99").get_data(as_text=True)  # past the end: the last


def test_filters_verdict_department_status_search(many):
    client = make_app(many).test_client()
    fix = client.get("/?verdict=fix").get_data(as_text=True)
    assert sorted(orgs(fix)) == ["株式会社テスト113", "株式会社テスト120"] and "2 件" in fix
    review = client.get("/?verdict=review").get_data(as_text=True)
    assert sorted(orgs(review)) == ["株式会社テスト111", "株式会社テスト117"]
    assert '<option value="review" selected>' in review
    dept = client.get("/?department=保健所&verdict=ok").get_data(as_text=True)
    assert "39 件" in dept  # 40 at 保健所 (cases 2, 5, 8 …), less case 8 (要修正)
    for q in ("株式会社ひまわり", "(株)ﾋﾏﾜﾘ", "ひまわり"):
        assert orgs(client.get(f"/?q={q}").get_data(as_text=True)) == ["㈱ヒマワリ"], q
    assert "該当する案件はありません" in client.get("/?status=signed").get_data(as_text=True)


def test_columns_are_kept_per_person(many):
    add_users(many)
    app = make_app(many)
    tanaka = app.test_client()
    login(tanaka)
    r = tanaka.post("/columns", data={"csrf_token": token(tanaka), "col": ["id", "verdict", "received"],
                                      "back": "sort=organisation&order=asc&q=テスト"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/?sort=organisation&order=asc&q=%E3%83%86%E3%82%B9%E3%83%88")
    again = app.test_client()  # another browser, signed in again: the same columns
    login(again)
    head = table(again.get("/").get_data(as_text=True)).split("</thead>")[0]
    assert re.findall(r'class="sort">([^<]+)<', head) == ["番号", "判定", "企業等名称", "受付日"]
    suzuki = app.test_client()  # another person: every column
    login(suzuki, "suzuki")
    head = table(suzuki.get("/").get_data(as_text=True)).split("</thead>")[0]
    assert len(re.findall(r'class="sort"', head)) == 9


def test_export_is_the_view_as_shown(many):
    from openpyxl import load_workbook

    client = make_app(many).test_client()
    client.post("/columns", data={"csrf_token": token(client), "col": ["id", "verdict", "department", "received"]})
    query = "verdict=ok&sort=organisation&order=desc"
    shown: list[list[str]] = []
    for page in (1, 2, 3):
        html = client.get(f"/?{query}&page={page}").get_data(as_text=True)
        assert "/export/list.csv?verdict=ok" in html and "page=" not in html.split("/export/list.csv?")[1][:80]
        for tr in table(html).split("<tbody>")[1].split("</tr>")[:-1]:
            shown.append([re.sub(r"<[^>]+>|\s+", "", td) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)])
    assert len(shown) == 116 and shown[0][2] == "㈱ヒマワリ"
    r = client.get(f"/export/list.csv?{query}")
    assert r.headers["Content-Disposition"].startswith("attachment") and r.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0] == ["番号", "判定", "企業等名称", "担当部局", "受付日"]
    assert [[c.replace("-", "/") for c in row] for row in rows[1:]] == [
        [c.replace("要確認2件", "要確認") for c in row] for row in shown]
    book = load_workbook(io.BytesIO(client.get(f"/export/list.xlsx?{query}").data))
    sheet = book.active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == rows[0] and [int(str(v[0]).split(".")[0]) for v in values[1:]] == [int(row[0]) for row in rows[1:]]
    assert str(values[1][4])[:10] == rows[1][4] and not isinstance(values[1][4], str)  # a real date cell
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.page_setup.fitToWidth in (1, None) and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"


def test_list_page_stays_small_with_a_thousand_cases_in_mind(many):
    html = make_app(many).test_client().get("/").get_data(as_text=True)
    assert html.count("<tr>") <= PAGE_SIZE + 1 + 10  # the page holds one page of cases (and the counts)


def test_side_panels_show_the_nearest_fifty_and_say_how_many_more(many):
    """Fiscal-year terms all end on 31 March: in February every agreement's notice deadline is near.
    The panel shows the nearest 50 and says how many more, so the page stays one page."""
    import sqlite3
    from datetime import timedelta

    from kyotei_docs.citytime import today

    day = today()
    with sqlite3.connect(many / "registry.sqlite3") as db:  # 80 agreements in force, expiring within the panel's days
        for case_id in range(1, 81):
            expires = day + timedelta(days=10 + case_id % 20)
            db.execute("UPDATE agreements SET status = 'signed', signed_on = ?, period_start = ?, term = 'one-year',"
                       " expires_on = ?, auto_renew = 0 WHERE id = ?",
                       ((day - timedelta(days=300)).isoformat(), (day - timedelta(days=300)).isoformat(),
                        expires.isoformat(), case_id))
    html = make_app(many).test_client().get("/").get_data(as_text=True)
    due = html.split('id="due-h"')[1].split("</section>")[0]
    assert due.count("<li>") == 50 and "ほか 30 件（日付の近い順に 50 件を表示しています）" in due
    days = [int(n) for n in re.findall(r"あと\s*(\d+)\s*日", due)]
    assert len(days) == 50 and days == sorted(days) and max(days) <= 29  # the nearest first
    assert len(html.encode()) <= 100 * 1024


def test_needs_attention_shows_fifty_and_links_to_the_verdict_filters(many):
    """Sixty cases with an item to compare with the original: 50 in the panel, the rest counted, and
    the list filtered by 判定 one click away."""
    import sqlite3

    findings = json.dumps({"errors": [], "review": [{"code": "doubt", "field": "purpose",
                                                      "message": "原本と照合してください"}]}, ensure_ascii=False)
    with sqlite3.connect(many / "registry.sqlite3") as db:  # as the reader leaves them (another program's write)
        db.execute("UPDATE submissions SET findings = ? WHERE agreement_id > 60", (findings,))
    client = make_app(many).test_client()
    html = client.get("/?sort=organisation&order=asc").get_data(as_text=True)
    panel = html.split('id="att-h"')[1].split("</section>")[0]
    assert panel.count("要確認 1 件") == 50 and "ほか 14 件（新しい順に 50 件を表示しています）" in panel  # 60 + 4 before
    link = re.search(r'<a href="\?([^"]+)">要確認</a></li>', panel)
    assert link and link.group(1).replace("&amp;", "&") == "sort=organisation&order=asc&verdict=review"  # the view kept
    assert "62 件中 1〜50 件目" in client.get("/?" + link.group(1).replace("&amp;", "&")).get_data(as_text=True)
