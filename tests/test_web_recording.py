"""Recording on the case page, as staff read it: every recording action (訂正を記録 and 連携事項を保存
too) behind the same confirmation; sentences that read as Japanese (not 「値を訂正するを記録しました」);
the corrections table in staff's words with the value as read; an unexpected error is a page in
words, never a literal ``{detail}``.  Real registry, real uploads, Flask's test client."""

from __future__ import annotations

import re
import sqlite3

import pytest

from webkit import add_users, form_bytes, home, login, make_app, post, upload  # noqa: F401

JOINED = ("するを記録", "登録を記録", "として記録を記録", "照合済みを記録", "保存を記録")


@pytest.fixture
def signed_in(home):  # noqa: F811
    add_users(home)
    client = make_app(home).test_client()
    login(client)
    upload(client, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    return client


def corrections(home_) -> list[tuple]:
    with sqlite3.connect(home_ / "registry.sqlite3") as db:
        return list(db.execute("SELECT field, read_value, value FROM corrections ORDER BY id"))


def items(home_) -> list[str]:
    import json

    with sqlite3.connect(home_ / "registry.sqlite3") as db:
        return json.loads(db.execute("SELECT items FROM agreements").fetchone()[0] or "[]")


def test_a_correction_is_confirmed_before_it_is_recorded(home, signed_in):  # noqa: F811
    page = post(signed_in, "/case/1/correct", field="organization.representative", value="代表取締役　正しい　名前",
                reason="電話で確認").get_data(as_text=True)
    assert corrections(home) == []  # nothing yet
    assert "確認: 値の訂正" in page and "株式会社ほくと" in page and 'name="confirmed"' in page
    assert "代表取締役　試験　花子" in page and "代表取締役　正しい　名前" in page  # read → new, both named
    assert "値の訂正を記録する" in page and not any(j in page for j in JOINED)
    page = post(signed_in, "/case/1/correct", field="organization.representative", value="代表取締役　正しい　名前",
                reason="電話で確認", confirmed="1").get_data(as_text=True)
    assert corrections(home) == [("organization.representative", "代表取締役　試験　花子", "代表取締役　正しい　名前")]
    assert "値の訂正を記録しました。" in page and not any(j in page for j in JOINED)


def test_an_impossible_date_is_refused_before_the_confirmation(home, signed_in):  # noqa: F811
    r = post(signed_in, "/case/1/correct", field="submitted_on", value="令和8年2月30日")
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "日付として正しくない" in page and "2月30日はありません" in page  # the form, at its field
    assert "{detail}" not in page and 'name="confirmed"' not in page and corrections(home) == []
    # a start of consultation dated 2月30日 is refused too (it was taken silently as today)
    page = post(signed_in, "/case/1/consult", date="2026-02-30", confirmed="1").get_data(as_text=True)
    assert "日付として読めません" in page
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT status FROM agreements").fetchone()[0] == "received"


def test_the_items_are_confirmed_before_they_are_stored(home, signed_in):  # noqa: F811
    page = post(signed_in, "/case/1/items", items="健康づくりに関すること\n\n子育て支援に関すること\n").get_data(as_text=True)
    assert items(home) == []
    assert "確認: 連携事項" in page and "2. 子育て支援に関すること" in page and "連携事項を記録する" in page
    page = post(signed_in, "/case/1/items", items="健康づくりに関すること\n\n子育て支援に関すること\n",
                confirmed="1").get_data(as_text=True)
    stored = items(home)
    assert stored[:2] == ["健康づくりに関すること", "子育て支援に関すること"]
    assert f"3. {stored[2]}" in post(signed_in, "/case/1/items", items="健康づくりに関すること\n子育て支援に関すること"
                                     ).get_data(as_text=True)  # the confirmation shows what will be stored
    assert "連携事項を記録しました。" in page


def test_every_confirmation_and_result_reads_as_japanese(home, signed_in):  # noqa: F811
    post(signed_in, "/case/1/items", items="健康づくりに関すること\n", confirmed="1")
    post(signed_in, "/case/1/judge", all_clear="1", confirmed="1")  # judged in a meeting (issue 18)
    for url, data in (("/case/1/consult", {}), ("/case/1/sign", {"date": "2026-06-01", "term": "fiscal"})):
        page = post(signed_in, url, **data).get_data(as_text=True)
        assert not any(j in page for j in JOINED), url
        assert re.search(r"(協議開始|締結)を記録する", page), url
    page = post(signed_in, "/case/1/sign", date="2026-06-01", term="fiscal", confirmed="1").get_data(as_text=True)
    assert "締結を記録しました。" in page
    page = post(signed_in, "/case/1/results", fy="2026", item="1", title="健康講座").get_data(as_text=True)
    assert "実績を記録する" in page and "実績を登録を記録する" not in page
    page = post(signed_in, "/case/1/results", fy="2026", item="1", title="健康講座", confirmed="1").get_data(as_text=True)
    assert "実績を記録しました。" in page


def test_the_corrections_table_shows_staff_words_and_the_value_as_read(home, signed_in):  # noqa: F811
    post(signed_in, "/case/1/correct", field="agreement_type", value="個別", confirmed="1")
    post(signed_in, "/case/1/correct", field="agreement_type", value="包括", reason="原本を再確認", confirmed="1")
    page = signed_in.get("/case/1").get_data(as_text=True)
    table = page.split("訂正の記録")[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>[^<]*</td><td class=\"text\">([^<]*)</td><td class=\"text\">([^<]*)</td>", table)
    assert rows == [("包括連携協定", "個別連携協定"), ("包括連携協定", "包括連携協定")]  # 読み取り is what was read both times, not the first correction
    assert "comprehensive" not in page and "individual" not in table
    assert corrections(home)[1][1] == "comprehensive"  # stored as read, also for the second correction


def test_an_unexpected_error_is_a_page_in_words(home):  # noqa: F811
    app = make_app(home)
    app.testing = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("something inside broke")

    r = app.test_client().get("/boom")
    page = r.get_data(as_text=True)
    assert r.status_code == 500 and "予期しないエラー" in page
    assert "{detail}" not in page and "Traceback" not in page and "RuntimeError" in page
