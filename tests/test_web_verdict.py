"""The verdict on the screen: the upload result, the case page and the list say 受付可 / 要確認 / 要修正
as the cases service derives it; 原本と照合済み and corrections close review items; a refused correction
is a message on the case page, never a 500; upload results stay with their own submission.

Real uploads through the 受付 page (the drop folder's own pass) into a real registry.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from test_web_case import post, signed_in  # noqa: F401
from webkit import form_bytes, home, upload  # noqa: F401

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PLACEHOLDER = SAMPLES / "29_review_placeholder_text.docx"   # 要確認: the name sits in a placeholder control


def table(page: str) -> str:
    """The list's table of cases (the side panels name cases too)."""
    found = re.search(r'<table class="cases"[^>]*>.*?</table>', page, re.S)
    return found.group(0) if found else ""


def flag(page: str, cls: str) -> list[str]:
    return re.findall(rf'<span class="flag verdict {cls}">([^<]+)</span>', page)


@pytest.mark.libreoffice  # the case page shows the original's pages next to its review items
def test_a_review_file_is_yellow_on_the_result_the_case_and_the_list_until_checked(home, signed_in):  # noqa: F811
    result = upload(signed_in, [(PLACEHOLDER.name, PLACEHOLDER.read_bytes())]).get_data(as_text=True)
    assert "flag outcome-review warn" in result and "outcome-valid" not in result
    assert flag(result, "warn") == ["要確認"] and "企業等名称" in result

    page = signed_in.get("/case/1").get_data(as_text=True)
    assert flag(page, "warn") == ["要確認"] and "原本と照合済み" in page
    listing = table(signed_in.get("/?verdict=review").get_data(as_text=True))
    assert "はるにれ図書サービス" in listing and "要確認 1 件" in listing
    assert "はるにれ図書サービス" not in table(signed_in.get("/?verdict=ok").get_data(as_text=True))

    refused = post(signed_in, "/case/1/sign", date="2026-06-01", term="fiscal", confirmed="1")
    assert refused.status_code == 400 and "要確認の項目があるため" in refused.get_data(as_text=True)

    asked = post(signed_in, "/case/1/confirm", item="1", note="原本で確認")
    assert "確認: 原本との照合" in asked.get_data(as_text=True)   # the usual confirmation first
    done = post(signed_in, "/case/1/confirm", item="1", note="原本で確認", confirmed="1").get_data(as_text=True)
    assert flag(done, "ok") == ["受付可"] and "tanaka" in done and "原本で確認" in done
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT item, note, actor FROM confirmations").fetchall() == [
            ("review_placeholder_text:organization.name", "原本で確認", "tanaka")]
    assert "はるにれ図書サービス" in table(signed_in.get("/?verdict=ok").get_data(as_text=True))

    post(signed_in, "/case/1/judge", all_clear="1", confirmed="1")  # judged in a meeting (issue 18)
    signed = post(signed_in, "/case/1/sign", date="2026-06-01", term="fiscal", confirmed="1")
    assert signed.status_code == 200
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT status FROM agreements").fetchone()[0] == "signed"


@pytest.mark.parametrize("field, value, words", [
    ("submitted_on", "令和8年2月30日", "日付として正しくない"),
    ("contact.email", "abc", "メールアドレスの形式が正しくない"),
    ("contact.phone", "12", "電話番号の形式が正しくない"),
])
def test_an_invalid_correction_is_a_message_on_the_case_page(home, signed_in, field, value, words):  # noqa: F811
    upload(signed_in, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    r = post(signed_in, "/case/1/correct", field=field, value=value)
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and words in page and "{detail}" not in page  # the form back, at its field
    assert 'id="c-value-err"' in page and f'value="{value}"' in page
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0


def test_a_second_upload_of_the_same_file_leaves_the_first_result_alone(home, signed_in):  # noqa: F811
    data = form_bytes(home, "株式会社ほくと")
    first = upload(signed_in, [("a.docx", data)], follow=False)
    url = first.headers["Location"]
    assert "sid=" in url and "sha=" not in url
    before = signed_in.get(url).get_data(as_text=True)
    assert "受付可" in before and "重複" not in before
    second = upload(signed_in, [("a.docx", data)]).get_data(as_text=True)
    assert "重複" in second
    after = signed_in.get(url).get_data(as_text=True)
    assert "重複" not in after and "処理していません" not in after and "受付可" in after
