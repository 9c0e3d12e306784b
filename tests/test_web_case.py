"""The 案件 page: values with sources, corrections, items, confirmed actions, files, previews, documents.

Cases come in through the 受付 page (the drop folder's own pass) into a real
registry; every change goes through the cases service and is checked in the
registry afterwards, with the signed-in user as the actor.
"""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from webkit import add_users, count_office_runs, form_bytes, home, login, make_app, post, token, upload  # noqa: F401

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def signed_in(home):  # noqa: F811
    add_users(home)
    client = make_app(home).test_client()
    login(client)
    return client


def events(folder: Path, case_id: int) -> list[tuple[str, str]]:
    with sqlite3.connect(folder / "registry.sqlite3") as db:
        return list(db.execute("SELECT kind, actor FROM events WHERE agreement_id = ? ORDER BY id", (case_id,)))


def status(folder: Path, case_id: int) -> str:
    with sqlite3.connect(folder / "registry.sqlite3") as db:
        return db.execute("SELECT status FROM agreements WHERE id = ?", (case_id,)).fetchone()[0]


def test_case_page_shows_what_was_read_with_its_source(home, signed_in):  # noqa: F811
    upload(signed_in, [("提案書.docx", form_bytes(home, "株式会社ほくと"))])
    page = signed_in.get("/case/1").get_data(as_text=True)
    assert "株式会社ほくと" in page
    assert "手入力の記号" in page and "本文" in page  # the reader's sources (docx:glyph, docx:text), in staff's words
    assert "提案書.docx" in page and "現在の提案書" in page
    assert events(home, 1) == [("received", "tanaka")]  # the uploader, not the server's OS user
    assert signed_in.get("/case/999").status_code == 404
    import re

    read = re.search(r"<th scope=\"row\">提出日</th><td class=\"text\">([^<]*)</td>", page)
    assert read and re.fullmatch(r"令和\d+年\d+月\d+日（\d{4}/\d\d/\d\d）", read.group(1).strip()), read
    viewer = make_app(home).test_client()  # a 閲覧 user: no pages made yet of the Word original, and why
    login(viewer, "suzuki")
    seen = viewer.get("/case/1").get_data(as_text=True)
    assert "Word ファイルを画像にするのは「担当」の権限の方です" in seen and "PDF・Word 以外の形式" not in seen
    assert "協議開始・締結・終了などの記録には「担当」の権限が必要です" in seen  # the 手続 panel is not left empty
    assert "協議開始・締結・終了などの記録には" not in page


def test_correction_is_recorded_beside_what_was_read(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    page = post(signed_in, "/case/1/correct", field="organization.representative",
                value="代表取締役　正しい　名前", reason="電話で確認", confirmed="1").get_data(as_text=True)
    assert "代表取締役　正しい　名前" in page and "代表取締役　試験　花子" in page  # both: used and read
    assert "tanaka が訂正" in page
    with sqlite3.connect(home / "registry.sqlite3") as db:
        row = db.execute("SELECT read_value, value, actor FROM corrections").fetchone()
    assert row == ("代表取締役　試験　花子", "代表取締役　正しい　名前", "tanaka")
    refused = post(signed_in, "/case/1/correct", field="file", value="x").get_data(as_text=True)
    assert "訂正できる項目ではありません" in refused
    same = post(signed_in, "/case/1/correct", field="organization.representative",
                value="代表取締役　正しい　名前").get_data(as_text=True)  # 「A → A」: refused before the confirmation
    assert "は既に「代表取締役　正しい　名前」です（何も変更していません）" in same
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 1
    with sqlite3.connect(home / "registry.sqlite3") as db:  # as a server running in UTC stores it
        db.execute("UPDATE corrections SET recorded_at = '2026-04-01T23:30:00+00:00'")
    page = signed_in.get("/case/1").get_data(as_text=True)
    assert "2026-04-02 08:30" in page and "2026-04-01 23:30" not in page  # read in the city's time


def test_a_choice_is_corrected_in_words_on_the_case_page(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    assert "「個別」か「包括」" in signed_in.get("/case/1").get_data(as_text=True)  # how to write one
    page = post(signed_in, "/case/1/correct", field="fields", value="環境、子育て、人材育成",
                reason="原本の○を確認", confirmed="1").get_data(as_text=True)
    assert "環境、人材育成、子育て" in page
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT fields FROM agreements").fetchone()[0].count("人材育成") == 1
    refused = post(signed_in, "/case/1/correct", field="agreement_type", value="両方").get_data(as_text=True)
    assert "「個別」か「包括」で書いてください" in refused


def test_consult_sign_results_end_each_confirmed_first(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    post(signed_in, "/case/1/items", items="健康づくりに関すること\n\n子育て支援に関すること\n", confirmed="1")
    confirm = post(signed_in, "/case/1/consult").get_data(as_text=True)
    assert "株式会社ほくと" in confirm and 'name="confirmed"' in confirm
    assert status(home, 1) == "received"  # nothing changed before the confirmation
    post(signed_in, "/case/1/consult", confirmed="1")
    assert status(home, 1) == "in_consultation"

    refused = post(signed_in, "/case/1/sign", date="2026-06-01", term="fiscal", confirmed="1").get_data(as_text=True)
    assert "検討票" in refused and status(home, 1) == "in_consultation"  # not judged: nothing recorded
    post(signed_in, "/case/1/judge", all_clear="1", note="部内協議", confirmed="1")
    preview = post(signed_in, "/case/1/sign", date="令和8年6月1日", term="fiscal").get_data(as_text=True)
    assert "株式会社ほくと" in preview
    assert "令和9年3月31日" in preview  # the term ends on 31 March of the fiscal year
    assert "不更新の申出期限" in preview
    assert status(home, 1) == "in_consultation"
    post(signed_in, "/case/1/sign", date="2026-06-01", term="fiscal", confirmed="1")
    assert status(home, 1) == "signed"
    assert "締結日" in signed_in.get("/case/1").get_data(as_text=True)

    page = signed_in.get("/case/1").get_data(as_text=True)
    assert re.search(r'id="r-fy" name="fy" size="10" value="令和\d+年度"', page)  # as staff write a year
    preview = post(signed_in, "/case/1/results", fy="令和7年度", item="2", title="子育て講座", date="2026-05-01",
                   content="", public="1").get_data(as_text=True)
    assert "令和7年度" in preview  # 令和7年度, R7 or 2025, as on the command line
    refused = post(signed_in, "/case/1/results", fy="8", item="2", title="子育て講座").get_data(as_text=True)
    assert "年度を読めません: 「8」— 8 だけでは年度が決まりません" in refused
    assert "⚠ 実施日 2026-05-01 は締結日 2026-06-01 より前です" in preview  # seen before anything is recorded
    post(signed_in, "/case/1/results", fy="2026", item="2", title="子育て講座", date="", content="",
         public="1", confirmed="1")
    with sqlite3.connect(home / "registry.sqlite3") as db:
        (rid, item), = db.execute("SELECT id, item_no FROM results")
    assert item == 2
    post(signed_in, f"/case/1/results/{rid}/remove", confirmed="1")
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM results").fetchone()[0] == 0

    post(signed_in, "/case/1/end", date="令和9年3月31日", cause="non_renewal", reason="申出", confirmed="1")
    kinds = [k for k, _ in events(home, 1)]
    assert {"consultation", "signed", "result_added", "result_removed"} <= set(kinds)
    assert all(actor == "tanaka" for _, actor in events(home, 1))


def test_bad_date_and_refused_signing_change_nothing(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社みなみ", valid=False))])
    page = post(signed_in, "/case/1/sign", date="そのうち", term="fiscal").get_data(as_text=True)
    assert "日付として読めません" in page
    page = post(signed_in, "/case/1/sign", date="R8.6.1", term="fiscal", confirmed="1").get_data(as_text=True)
    assert "不備があるため" in page
    assert status(home, 1) == "received"


def test_read_role_and_csrf(home):  # noqa: F811
    add_users(home)
    client = make_app(home).test_client()
    login(client)
    upload(client, [("a.docx", form_bytes(home))])
    reader = make_app(home).test_client()
    login(reader, "suzuki")
    page = reader.get("/case/1").get_data(as_text=True)
    assert "値を訂正する" not in page and "期間を確認" not in page
    for url in ("/case/1/consult", "/case/1/items", "/case/1/correct", "/case/1/sign", "/case/1/end"):
        assert post(reader, url).status_code == 403, url
    assert client.post("/case/1/consult", data={"confirmed": "1"}).status_code == 403  # no token
    assert status(home, 1) == "received"


def test_files_only_from_the_case_folder(home, signed_in):  # noqa: F811
    upload(signed_in, [("提案書.docx", form_bytes(home))])
    page = signed_in.get("/case/1").get_data(as_text=True)
    links = re.findall(r'href="(/case/1/files/0/[^"]+)"', page)
    assert links
    r = signed_in.get(links[0])
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    r.close()  # the file behind the response
    for bad in ("/case/1/files/0/..%2F..%2Fkyotei.toml", "/case/1/files/0/kyotei.toml",
                "/case/1/files/5/report.html", "/case/1/files/0/sub/report.html"):
        assert signed_in.get(bad).status_code == 404, bad


def test_preview_of_a_pdf_original(home, signed_in):  # noqa: F811
    pdf = SAMPLES / "12_pdf_typed_glyphs.pdf"
    upload(signed_in, [(pdf.name, pdf.read_bytes())])
    page = signed_in.get("/case/1").get_data(as_text=True)
    src = re.search(r'<img src="(/case/1/preview/0/1\.png)"', page)
    assert src, "no page image on the case page"
    r = signed_in.get(src.group(1))
    assert r.status_code == 200 and r.data.startswith(b"\x89PNG")
    r.close()
    assert signed_in.get("/case/1/preview/0/99.png").status_code == 404


def test_form2_download_is_made_from_the_case(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    post(signed_in, "/case/1/items", items="健康づくりに関すること\n", confirmed="1")
    r = signed_in.get("/case/1/document/form2.docx")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "株式会社ほくと" in xml and "健康づくりに関すること" in xml
    assert signed_in.get("/case/1/document/form9.docx").status_code == 404


def test_merge_and_split(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社いち")), ("b.docx", form_bytes(home, "株式会社に"))])
    confirm = post(signed_in, "/case/1/merge", other="2").get_data(as_text=True)
    assert "株式会社いち" in confirm and "株式会社に" in confirm
    assert "⚠ 協定ID 2（株式会社に）と協定ID 1（株式会社いち）は相手方の名称が違います" in confirm
    post(signed_in, "/case/1/merge", other="2", confirmed="1")
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT merged_into FROM agreements WHERE id = 2").fetchone()[0] == 1
    assert "株式会社に" not in signed_in.get("/").get_data(as_text=True).split('class="cases"')[1]
    page = post(signed_in, "/case/1/split", file="1", confirmed="1").get_data(as_text=True)
    assert "株式会社に" in page  # the new case of its own


@pytest.mark.libreoffice
@pytest.mark.slow
def test_preview_of_a_word_original_on_request(home, signed_in):  # noqa: F811
    from kyotei_docs.office import soffice_available

    if not soffice_available():
        pytest.skip("LibreOffice is not installed")
    upload(signed_in, [("a.docx", form_bytes(home))])
    page = signed_in.get("/case/1").get_data(as_text=True)
    assert "原本を画像で表示する" in page and "/preview/" not in page  # no conversion unless asked
    page = signed_in.get("/case/1?original=1").get_data(as_text=True)
    src = re.search(r'<img src="(/case/1/preview/0/1\.png)"', page)
    assert src
    r = signed_in.get(src.group(1))
    assert r.data.startswith(b"\x89PNG")
    r.close()


@pytest.mark.libreoffice
@pytest.mark.slow
def test_form2_pdf_download(home, signed_in, monkeypatch):  # noqa: F811
    """Form 2's PDF takes one LibreOffice run (the slot is held half as long); Form 3's takes two, as it
    states the size of Form 2's PDF.  The real runs are counted."""
    from kyotei_docs import office

    if not office.soffice_available():
        pytest.skip("LibreOffice is not installed")
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    runs = count_office_runs(monkeypatch)
    r = signed_in.get("/case/1/document/form2.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF") and r.mimetype == "application/pdf"
    assert len(runs.inputs) == 1 and "連携協定書" in runs.inputs[0]
    r = signed_in.get("/case/1/document/form3.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    assert len(runs.inputs) == 3 and "掲載文" in runs.inputs[2]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_review_items_in_the_list_and_beside_the_original(home, signed_in):  # noqa: F811
    """A content control shown ticked but stored unticked: the reader is unsure, so the case is
    要確認 in the list, and its page shows the review item next to images of the original."""
    from docxbuild import Xml, make_docx, p, sdt_checkbox
    from formbody import form

    shown_ticked = Xml(sdt_checkbox(False).replace("☐", "☑"))
    doubtful = make_docx(form(type_content=Xml(p(sdt_checkbox(False), "個別連携協定　", shown_ticked, "包括連携協定"))),
                         home / "doubtful.docx")
    upload(signed_in, [("doubtful.docx", doubtful.read_bytes())])
    listing = signed_in.get("/").get_data(as_text=True)
    assert "要確認 1 件" in listing.split('id="att-h"')[1]
    page = signed_in.get("/case/1").get_data(as_text=True)
    review = page.split('id="rv-h"')[1].split("</section>")[0]
    assert 'class="warn"' in review and "包括連携協定" in review
    assert "/case/1/preview/0/1.png" in review  # converted without being asked: there is something to compare


def test_every_source_the_readers_give_has_words_for_staff():
    """A new reader source must not reach the case page as a raw code such as 「docx:placeholder」."""
    from kyotei_docs.web.case import SOURCES

    package = Path(__file__).resolve().parent.parent / "kyotei_docs"
    given = {m for f in package.rglob("*.py") for m in re.findall(r'"((?:docx|pdf|xlsx):[a-z]+)"', f.read_text("utf-8"))}
    assert given and given <= set(SOURCES), sorted(given - set(SOURCES))


def test_a_signed_case_page_amends_its_items_after_confirmation(home, signed_in):  # noqa: F811
    """issue 19: on a signed case the items form records an amendment (変更協定), confirmed first."""
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    post(signed_in, "/case/1/items", items="健康づくりに関すること\n", confirmed="1")
    post(signed_in, "/case/1/judge", all_clear="1", confirmed="1")  # judged in a meeting (issue 18)
    post(signed_in, "/case/1/sign", date="2026-06-01", term="fiscal", confirmed="1")
    page = signed_in.get("/case/1").get_data(as_text=True)
    assert "/case/1/amend" in page and "変更協定として記録" in page
    refused = post(signed_in, "/case/1/items", items="別の事項\n", confirmed="1").get_data(as_text=True)
    assert "連携事項は変更協定として記録します" in refused  # the old route refuses a signed case's items (screen words)
    confirm = post(signed_in, "/case/1/amend", date="令和8年11月1日",
                   items="観光振興に関すること\n健康づくりに関すること").get_data(as_text=True)
    assert 'name="confirmed"' in confirm and "変更前" in confirm and "観光振興に関すること" in confirm
    assert "amended" not in [k for k, _ in events(home, 1)]  # nothing before the confirmation
    done = post(signed_in, "/case/1/amend", date="2026-11-01", items="観光振興に関すること\n健康づくりに関すること",
                confirmed="1").get_data(as_text=True)
    assert "変更協定書: 株式会社ほくと_変更協定書_20261101.docx" in done
    assert ("amended", "tanaka") in events(home, 1)
    with sqlite3.connect(home / "registry.sqlite3") as db:
        items, signed = db.execute("SELECT items, signed_items FROM agreements WHERE id = 1").fetchone()
    assert "観光振興" in items and "観光振興" not in signed


def test_ending_on_notice_from_the_case_page_checks_the_month(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    post(signed_in, "/case/1/judge", all_clear="1", confirmed="1")  # judged in a meeting (issue 18)
    post(signed_in, "/case/1/sign", date="2026-06-01", term="fiscal", confirmed="1")
    page = post(signed_in, "/case/1/end", date="2027-02-10", cause="notice", reason="申出", notice_date="2027-01-15",
                confirmed="1").get_data(as_text=True)
    assert "最も早い日は 2027-02-16" in page and status(home, 1) == "signed"
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT ended_on FROM agreements").fetchone()[0] is None
    page = post(signed_in, "/case/1/end", date="2027-02-28", cause="notice", reason="申出", notice_date="令和9年1月15日",
                confirmed="1").get_data(as_text=True)
    assert "解約通知書: 株式会社ほくと_解約通知書_20270115.docx" in page
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT ended_on, notice_on FROM agreements").fetchone() == ("2027-02-28", "2027-01-15")


def test_the_list_shows_the_results_survey_among_what_needs_doing(home, signed_in, monkeypatch):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    post(signed_in, "/case/1/judge", all_clear="1", confirmed="1")  # judged in a meeting (issue 18)
    post(signed_in, "/case/1/sign", date="2026-06-01", term="fiscal", confirmed="1")
    monkeypatch.setenv("KYOTEI_NOW", "2027-04-10T10:00:00+09:00")
    page = signed_in.get("/").get_data(as_text=True)
    assert "令和8年度の実績調査（実績が未登録）" in page and "株式会社ほくと" in page


def test_the_5_3_review_outcome_and_exemption_from_the_case_page(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    post(signed_in, "/case/1/judge", all_clear="1", confirmed="1")  # judged in a meeting (issue 18)
    post(signed_in, "/case/1/sign", date="2026-06-01", term="fiscal", confirmed="1")
    page = signed_in.get("/case/1").get_data(as_text=True)
    assert "実績のない協定の見直し（ガイドライン５(3)）" in page and "/case/1/reviewed" in page
    confirm = post(signed_in, "/case/1/reviewed", fy="2026", outcome="continue", note="継続の意向").get_data(as_text=True)
    assert 'name="confirmed"' in confirm and "継続する" in confirm
    post(signed_in, "/case/1/reviewed", fy="2026", outcome="continue", note="継続の意向", confirmed="1")
    refused = post(signed_in, "/case/1/exempt", exempt="1", reason="", confirmed="1").get_data(as_text=True)
    assert "理由" in refused  # an exemption is a judgement: its reason is needed
    post(signed_in, "/case/1/exempt", exempt="1", reason="災害時の物資供給に備えた協定", confirmed="1")
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT outcome, note, actor FROM reviews").fetchone() == ("continue", "継続の意向", "tanaka")
        assert db.execute("SELECT review_exempt, exempt_reason FROM agreements").fetchone() == (
            1, "災害時の物資供給に備えた協定")


def test_judgement_and_flow_on_the_case_page_each_confirmed_first(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    page = signed_in.get("/case/1").get_data(as_text=True)
    assert "検討票（ガイドライン2(2)）" in page and "0 / 19 項目が判断済み" in page and "暴力団" in page
    assert "流れ（ガイドライン4）" in page and "提案内容の聴取・確認" in page
    confirm = post(signed_in, "/case/1/judge", state_c2_feasible="pending", note_c2_feasible="計画書待ち",
                   all_clear="1", note="部内協議").get_data(as_text=True)
    assert "株式会社ほくと" in confirm and 'name="confirmed"' in confirm and "ほかの 18 項目" in confirm
    assert [k for k, _ in events(home, 1)] == ["received"]  # nothing before the confirmation
    page = post(signed_in, "/case/1/judge", state_c2_feasible="pending", note_c2_feasible="計画書待ち",
                all_clear="1", note="部内協議", confirmed="1").get_data(as_text=True)
    assert "19 / 19 項目が判断済み" in page and "未了 1 件" in page and "計画書待ち" in page
    assert events(home, 1)[-1] == ("judged", "tanaka")
    page = post(signed_in, "/case/1/judge", state_c2_feasible="該当", confirmed="1").get_data(as_text=True)
    assert "適合 / 不適合 / 確認中" in page and "未了 1 件" in page  # an exclusion's word for a condition: refused
    post(signed_in, "/case/1/step", step="hearing", date="令和8年11月20日", note="来庁", confirmed="1")
    page = signed_in.get("/case/1").get_data(as_text=True)
    assert "☑ 提案内容の聴取・確認" in page and "来庁" in page
    sheet = post(signed_in, "/case/1/sheet")
    data = sheet.data
    sheet.close()
    assert sheet.status_code == 200 and data[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "計画書待ち" in zf.read("word/document.xml").decode("utf-8")


def test_a_meeting_is_recorded_from_the_case_page_after_confirmation(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    confirm = post(signed_in, "/case/1/meeting", kind="three_party", date="令和8年11月30日", attendees="先方、保健総務課",
                   notes="年間計画", next="案の作成").get_data(as_text=True)
    assert 'name="confirmed"' in confirm and "三者協議" in confirm and [k for k, _ in events(home, 1)] == ["received"]
    page = post(signed_in, "/case/1/meeting", kind="three_party", date="2026-11-30", attendees="先方、保健総務課",
                notes="年間計画", next="案の作成", confirmed="1").get_data(as_text=True)
    assert "三者協議（先方、保健総務課）: 年間計画" in page and "案の作成" in page
    assert events(home, 1)[-1] == ("meeting", "tanaka")


def test_the_results_survey_workbooks_download_from_the_export_page(home, signed_in, monkeypatch):  # noqa: F811
    import io
    import zipfile as zf

    from openpyxl import load_workbook

    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    post(signed_in, "/case/1/judge", all_clear="1", confirmed="1")  # judged in a meeting (issue 18)
    post(signed_in, "/case/1/sign", date="2026-06-01", term="fiscal", confirmed="1")
    assert status(home, 1) == "signed"
    monkeypatch.setenv("KYOTEI_NOW", "2027-04-10T10:00:00+09:00")
    page = signed_in.get("/export").get_data(as_text=True)
    assert "令和8年度の実績調査票" in page and "/export/survey-2026.zip" in page
    assert "kyotei registry restore" in page and "場所へコピー" not in page  # how a backup goes back
    r = signed_in.get("/export/survey-2026.zip")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    with zf.ZipFile(io.BytesIO(r.data)) as z:
        [name] = z.namelist()
        wb = load_workbook(io.BytesIO(z.read(name)))
    assert name.startswith("実績調査_令和8年度_") and wb["実績"]["A4"].value == 1


def test_the_axis_notice_and_the_survey_and_drafts_on_the_case_page(home, signed_in):  # noqa: F811
    """A 主軸分野型 case: the notice made from the page (confirmed first); answers and draft versions listed."""
    from kyotei_docs.cases import drafts, intent
    from kyotei_docs.config import load_config
    from kyotei_docs.registry.store import open_registry

    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    page = signed_in.get("/case/1").get_data(as_text=True)
    assert "地域活動推進課へ連絡（協議開始）を作成" in page
    confirm = post(signed_in, "/case/1/notify", which="consultation").get_data(as_text=True)
    assert 'name="confirmed"' in confirm and [k for k, _ in events(home, 1)] == ["received"]
    done = post(signed_in, "/case/1/notify", which="consultation", confirmed="1").get_data(as_text=True)
    assert ".eml" in done and ("step", "tanaka") in events(home, 1)
    refused = post(signed_in, "/case/1/notify", which="signing_date", signing_date="そのうち").get_data(as_text=True)
    assert "そのうち" in refused
    cfg = load_config(home / "kyotei.toml") if (home / "kyotei.toml").is_file() else load_config()
    with open_registry(home / "registry.sqlite3") as reg:
        intent.answer(cfg, reg, 1, department="保健所 保健総務課", wish="希望する", contents="健康講座")
        drafts.send(cfg, reg, 1, out_dir=home / "drafts")
    page = signed_in.get("/case/1").get_data(as_text=True)
    assert "保健所 保健総務課: <strong>希望する</strong> 健康講座" in page and "第1版　送付" in page


def test_a_signing_date_before_receipt_is_shown_on_the_confirmation_and_after(home, signed_in):  # noqa: F811
    """issue 17: it was accepted silently. Not refused — an office enters agreements signed years ago — but said
    on the confirmation page, before anything is recorded, and again with the result."""
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    post(signed_in, "/case/1/judge", all_clear="1", confirmed="1")
    with sqlite3.connect(home / "registry.sqlite3") as db:
        received, proposed = db.execute("SELECT received_on, proposed_on FROM agreements").fetchone()
        db.execute("UPDATE agreements SET proposed_on = NULL")  # only the receipt to compare with
    preview = post(signed_in, "/case/1/sign", date="2020-06-01", term="fiscal").get_data(as_text=True)
    assert f"受付日 {received} より前です" in preview and status(home, 1) == "received"
    done = post(signed_in, "/case/1/sign", date="2020-06-01", term="fiscal", confirmed="1").get_data(as_text=True)
    assert f"受付日 {received} より前です" in done and status(home, 1) == "signed"


def test_the_list_filters_by_the_step_of_the_flow(home, signed_in):  # noqa: F811
    """issue 18: 一覧 filters by where a case stands in its flow (and by a late step), the export as shown."""
    import csv

    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    upload(signed_in, [("b.docx", form_bytes(home, "株式会社みなみ"))])
    post(signed_in, "/case/2/step", step="hearing", date="2026-12-01", confirmed="1")
    page = signed_in.get("/").get_data(as_text=True)
    assert "締結までの段階" in page and '<option value="survey"' in page   # every flow's steps offered
    at_hearing = signed_in.get("/?step=hearing").get_data(as_text=True)
    consulting = signed_in.get("/?step=notice_consultation").get_data(as_text=True)
    def table(page: str) -> str:
        found = re.search(r'<table class="cases"[^>]*>.*?</table>', page, re.S)
        return found.group(0) if found else ""

    assert "株式会社ほくと" in table(at_hearing) and "株式会社みなみ" not in table(at_hearing)
    assert "株式会社みなみ" in table(consulting) and "株式会社ほくと" not in table(consulting)
    assert "株式会社" not in table(signed_in.get("/?step=late").get_data(as_text=True))
    exported = signed_in.get("/export/list.csv?step=notice_consultation")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    exported.close()
    assert len(rows) == 2 and any("株式会社みなみ" in cell for cell in rows[1])


def test_a_viewer_sees_review_items_without_buttons_and_what_a_registered_file_read(home):  # noqa: F811
    """A file recorded by ``registry add`` (no drop-folder check.json) shows what was read, not 「—」; a 閲覧 user
    gets no 「原本と照合済み」 form (the server refuses it anyway) but is told who compares."""
    from click.testing import CliRunner

    from kyotei_docs.cli import cli

    r = CliRunner().invoke(cli, ["--config", str(home / "kyotei.toml"), "registry", "add",
                                 str(SAMPLES / "26_review_unknown_mark.docx")])
    assert r.exit_code == 0, r.output
    add_users(home)
    viewer = make_app(home).test_client()
    login(viewer, "suzuki")
    page = viewer.get("/case/1").get_data(as_text=True)
    assert "値として読み取れなかった記載があります" in page
    assert "原本と照合済み</button>" not in page and "原本との照合・値の訂正は「担当」の権限の方が行います" in page
    import re

    row = re.search(r"<th scope=\"row\">企業等名称</th><td class=\"text\">([^<]*)</td>", page)
    assert row and row.group(1) == "ひまわりフーズ株式会社"
    changer = make_app(home).test_client()
    login(changer)
    assert "原本と照合済み</button>" in changer.get("/case/1").get_data(as_text=True)
