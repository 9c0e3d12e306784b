"""The case page as a ledger's page: 備考 and 自動更新 on the screen (changed through a confirmation),
the history with time, who and what changed (old → new), no internal files listed; and the drop
folder's error files — their reason, their file, 「対応済み」 recorded — on the screen.

Cases and error files come in through the 受付 page (the drop folder's own pass) into a real
registry and a real drop folder."""

from __future__ import annotations

import re
import sqlite3

from test_web_case import signed_in  # noqa: F401
from webkit import add_users, form_bytes, home, login, make_app, post, upload  # noqa: F401


def history(page: str) -> str:
    return page.split('id="hist-h"')[1].split("</table>")[0]


def test_notes_and_renewal_change_after_a_confirmation(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    page = signed_in.get("/case/1").get_data(as_text=True)
    assert "備考" in page and "自動更新" in page and 'name="notes"' in page
    confirm = post(signed_in, "/case/1/details", notes="市長協議済み\n年度末に見直し", auto_renew="0")
    text = confirm.get_data(as_text=True)
    assert "確認: 備考・自動更新の変更" in text and "株式会社ほくと" in text
    assert "備考: — → 市長協議済み" in text and "自動更新: あり → なし" in text
    with sqlite3.connect(home / "registry.sqlite3") as db:  # nothing recorded before the confirmation
        assert db.execute("SELECT notes, auto_renew FROM agreements WHERE id = 1").fetchone() == (None, 1)
    fields = dict(re.findall(r'<input type="hidden" name="(notes|auto_renew|confirmed)" value="([^"]*)"', text))
    done = post(signed_in, "/case/1/details", **fields).get_data(as_text=True)
    assert "備考・自動更新の変更を記録しました" in done
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT notes, auto_renew FROM agreements WHERE id = 1").fetchone() == (
            "市長協議済み\n年度末に見直し", 0)
    hist = history(done)
    assert "登録内容の変更" in hist and "自動更新: あり → なし" in hist and "備考: — → 市長協議済み 年度末に見直し" in hist
    assert re.search(r"<td>\d{4}/\d{2}/\d{2} \d{2}:\d{2}", hist) or re.search(r"\d{1,2}:\d{2}", hist)  # the time
    assert "<td>tanaka</td>" in hist
    again = post(signed_in, "/case/1/details", notes="市長協議済み\n年度末に見直し", auto_renew="0")
    assert "変更はありません" in again.get_data(as_text=True)  # no confirmation for nothing


def test_history_says_what_a_correction_changed(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    page = post(signed_in, "/case/1/correct", field="organization.representative", value="代表取締役　北斗　太郎",
                reason="電話で確認", confirmed="1").get_data(as_text=True)
    hist = history(page)
    assert "職員による訂正" in hist and "代表者氏名: 代表取締役 試験 花子 → 代表取締役 北斗 太郎" in hist
    assert "理由: 電話で確認" in hist


def test_no_internal_files_are_listed_or_served(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    page = signed_in.get("/case/1").get_data(as_text=True)
    files = page.split('id="files-h"')[1].split("</section>")[0]
    assert "a.docx" in files and "report.html" in files
    assert "check.json" not in files and "submission.json" not in files
    assert signed_in.get("/case/1/files/0/check.json").status_code == 404
    served = signed_in.get("/case/1/files/0/a.docx")
    assert served.status_code == 200
    served.close()


def test_error_files_open_download_and_are_marked_handled(home, signed_in):  # noqa: F811
    upload(signed_in, [("壊れた提案書.docx", b"PK\x03\x04 not really a zip")])
    listing = signed_in.get("/").get_data(as_text=True)
    attention = listing.split('id="att-h"')[1].split("</section>")[0]
    link = re.search(r'<a href="(/errors/[^"]+)">壊れた提案書', attention)
    assert link and 'href="/errors"' in attention
    page = signed_in.get(link.group(1)).get_data(as_text=True)
    assert "理由" in page and "壊れた提案書.docx" in page
    download = re.search(r'href="(/errors/[^"]+/[^"]+\.docx)"', page)
    assert download
    served = signed_in.get(download.group(1))
    assert served.data == b"PK\x03\x04 not really a zip"
    served.close()
    assert signed_in.get(link.group(1) + "/..%2F..%2Fkyotei.toml").status_code == 404
    assert signed_in.get("/errors/no-such-entry").status_code == 404
    from urllib.parse import unquote

    entry = unquote(link.group(1).split("/")[2])
    confirm = post(signed_in, f"/errors/{entry}/handled", note="提出者に再提出を依頼").get_data(as_text=True)
    assert "対応済みとして記録する" in confirm
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM handled_errors").fetchone()[0] == 0
    done = post(signed_in, f"/errors/{entry}/handled", note="提出者に再提出を依頼", confirmed="1").get_data(as_text=True)
    assert "対応済みとして記録しました" in done and "tanaka が対応済みにしました" in done
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT entry, actor, note FROM handled_errors").fetchall() == [
            (entry, "tanaka", "提出者に再提出を依頼")]
    assert (home / "drop" / "error" / entry).is_dir()  # never deleted
    assert "error に" not in signed_in.get("/").get_data(as_text=True).split('id="att-h"')[1].split("</section>")[0]


def test_read_only_staff_read_error_files_but_cannot_mark_them(home):  # noqa: F811
    add_users(home)
    app = make_app(home)
    tanaka = app.test_client()
    login(tanaka)
    upload(tanaka, [("x.docx", b"not a form")])
    suzuki = app.test_client()
    login(suzuki, "suzuki")
    entry = re.search(r'href="/errors/([^"/]+)"', suzuki.get("/errors").get_data(as_text=True))
    assert entry
    page = suzuki.get(f"/errors/{entry.group(1)}").get_data(as_text=True)
    assert "対応済みにする" not in page
    assert post(suzuki, f"/errors/{entry.group(1)}/handled", confirmed="1").status_code == 403


def test_the_intake_result_shows_the_findings_in_the_page_in_screen_words(home, signed_in):  # noqa: F811
    page = upload(signed_in, [("提案書.docx", form_bytes(home, "株式会社ほくと")),
                              ("要修正.docx", form_bytes(home, "株式会社みなみ", valid=False))]).get_data(as_text=True)
    assert "<iframe" not in page  # nothing hidden in a frame of fixed height
    assert page.count("回付先") == 2 and "担当部局" in page
    drafts = re.findall(r'<a href="(/intake/report/[^"]+\.docx)" download>', page)
    assert len(drafts) == 2  # Form 2 and Form 3 of the valid one, downloadable from the page
    served = signed_in.get(drafts[0])
    assert served.status_code == 200 and served.data[:2] == b"PK"
    served.close()
    assert "不備があるため協定書の下書きは作成していません" in page
    assert "--signing-date" not in page and "--pdf" not in page  # the screen's words, not a command's flags
    assert "案件の画面で締結を記録" in page
    assert "記入内容" in page and "株式会社みなみ" in page


def test_screen_words_replace_command_flags():
    from kyotei_docs.i18n import set_lang
    from kyotei_docs.render.messages import MESSAGES as RENDER
    from kyotei_docs.web.intake import screen_words

    set_lang("ja")
    for key in ("no_signing_fiscal", "no_signing_one_year", "pdf_size_unknown"):
        assert "--" not in screen_words(RENDER[key][0]) and "--" not in screen_words(RENDER[key][1])
    assert screen_words("そのままの注意") == "そのままの注意"


def test_form_errors_come_before_any_confirmation_at_their_field_with_the_value_kept(home, signed_in):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと")),
                       ("b.docx", form_bytes(home, "株式会社みなみ", valid=False))])
    r = post(signed_in, "/case/1/sign", date="令和8年2月30日", term="fiscal")
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "確認:" not in page  # not the confirmation page
    assert 'id="sign-date" name="date" required placeholder="令和8年6月1日" value="令和8年2月30日"' in page
    assert 'aria-invalid="true" aria-describedby="sign-date-err"' in page
    assert re.search(r'<span class="field-error" id="sign-date-err">日付として読めません: 令和8年2月30日', page)
    assert 'role="alert"' in page and 'href="#sign-date"' in page
    r = post(signed_in, "/case/1/end", date="令和8年4月1日", cause="notice", notice_date="きのう", reason="解散のため")
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and 'id="end-notice-err"' in page and 'value="きのう"' in page
    assert 'value="解散のため"' in page and "<details open>" in page  # the end form open again, as typed
    r = post(signed_in, "/case/1/correct", field="contact.email", value="not an address", reason="電話で確認")
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and 'id="c-value-err"' in page and 'value="not an address"' in page
    assert '<option value="contact.email" selected>' in page and 'value="電話で確認"' in page
    # a signing the service would refuse (要修正) is refused before the confirmation, in the screen's words
    r = post(signed_in, "/case/2/sign", date="令和8年6月1日", term="fiscal")
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "不備があるため、締結を記録できません" in page and "確認:" not in page
    alert = page.split('<div class="alert bad" role="alert">')[1].split("</div>")[0]
    assert "不備があるため" in alert and "--force" not in alert and "--reason" not in alert and "kyotei " not in alert
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM agreements WHERE status != 'received'").fetchone()[0] == 0


def test_a_refusal_after_the_confirmation_is_said_in_screen_words():
    from kyotei_docs.cases.messages import CaseError
    from kyotei_docs.i18n import set_lang
    from kyotei_docs.web.case import SCREEN_WORDS, screen_message

    set_lang("ja")
    for code in SCREEN_WORDS:
        text = screen_message(CaseError(code, id=1, notice="2026-05-01", end="2026-05-10", earliest="2026-06-01",
                                        deadline="2027-02-27", expiry="2027-03-31", errors="", items=""))
        assert "--" not in text and "kyotei " not in text, code


def test_history_names_fiscal_years_as_the_screen_does():
    """A result or a yearly review in the history says 「令和8年度」 (FY2026 in English), as the rest of
    the screen does — it said 「2026年度」."""
    from types import SimpleNamespace

    from kyotei_docs.i18n import set_lang
    from kyotei_docs.web.history import lines

    def shown(kind: str, detail: dict) -> list[str]:
        event = SimpleNamespace(kind=kind, detail=detail, from_status=None, to_status=None)
        return lines(event, str, str)

    set_lang("ja")
    assert shown("result_added", {"fiscal_year": 2026, "item_no": 2, "title": "防災訓練"}) == ["実績: 令和8年度 2. 防災訓練"]
    assert shown("reviewed", {"fiscal_year": 2019, "outcome_label": "継続"}) == ["令和元年度: 継続"]
    set_lang("en")
    assert shown("result_added", {"fiscal_year": 2026, "item_no": 2, "title": "x"}) == ["Result: FY2026 item 2: x"]
