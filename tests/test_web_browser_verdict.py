"""The verdict in a real browser (Debian's Chromium through Playwright, a real server, real LibreOffice
for the original's pages): a 要確認 upload is yellow on the result page and on the case page, signing
is refused, the review item is closed with 「原本と照合済み」 (confirmed first), the case turns green
受付可 and is signed.  Screens go to ``test-output/screens/`` like the other browser tests'
(``KYOTEI_TEST_SCREENS=1``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_web_browser import page, server, shot, sign_in_and_upload, signed  # noqa: F401

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "29_review_placeholder_text.docx"
YELLOW, GREEN = "rgb(255, 244, 214)", "rgb(230, 244, 234)"  # --warn-bg, --ok-bg

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]


def background(locator) -> str:
    return locator.evaluate("e => getComputedStyle(e).backgroundColor")


def test_a_review_upload_is_yellow_until_checked_against_the_original_then_signed(server, page):  # noqa: F811
    sign_in_and_upload(server, page, SAMPLE)
    outcome = page.locator("section.receipt h2 .flag")
    assert outcome.inner_text() == "要確認" and background(outcome) == YELLOW
    verdict = page.locator(".case-verdict .flag")
    assert verdict.inner_text() == "要確認" and background(verdict) == YELLOW
    assert "企業等名称" in page.locator("ol.review-items").inner_text()
    shot(page, "30_verdict_result_review")

    page.get_by_role("link", name="案件を開く").click()
    page.wait_for_url("**/case/1")
    flag = page.locator("h1 .flag.verdict")
    assert flag.inner_text() == "要確認" and background(flag) == YELLOW
    shot(page, "31_verdict_case_review")

    page.get_by_label("残りをすべて適合・該当なしとして記録（会議で判断した場合）").check()  # issue 18: judged first
    page.get_by_role("button", name="検討票の判断を記録…").click()
    page.get_by_role("button", name="検討票の判断を記録する").click()
    page.wait_for_url("**/case/1")
    page.get_by_label("締結日（例: 令和8年6月1日、R8.6.1、2026-06-01）").fill("令和8年6月1日")
    page.get_by_role("button", name="期間を確認…").click()
    page.wait_for_load_state()  # refused before any confirmation, at the signing date's field
    assert "要確認の項目があるため、締結を記録できません" in page.locator("#sign-date-err").inner_text()
    assert page.get_by_role("button", name="締結を記録する").count() == 0
    assert page.locator("h1 .flag.verdict").inner_text() == "要確認"
    page.errors.clear()  # the refused form answers 400 on purpose

    item = page.locator("ol.review-items li").first
    item.get_by_label("メモ（任意）").fill("原本の企業名を確認")
    item.get_by_role("button", name="原本と照合済み").click()
    page.wait_for_url("**/case/1/confirm")
    assert "はるにれ図書サービス" in page.content() and "原本の企業名を確認" in page.content()
    shot(page, "32_verdict_confirm")
    page.get_by_role("button", name="原本との照合を記録する").click()
    page.wait_for_url("**/case/1")
    flag = page.locator("h1 .flag.verdict")
    assert flag.inner_text() == "受付可" and background(flag) == GREEN
    assert "tanaka" in item.inner_text() and "原本の企業名を確認" in item.inner_text()
    shot(page, "33_verdict_case_checked")

    page.get_by_label("残りをすべて適合・該当なしとして記録（会議で判断した場合）").check()  # issue 18: judged first
    page.get_by_role("button", name="検討票の判断を記録…").click()
    page.get_by_role("button", name="検討票の判断を記録する").click()
    page.wait_for_url("**/case/1")
    page.get_by_label("締結日（例: 令和8年6月1日、R8.6.1、2026-06-01）").fill("令和8年6月1日")
    page.get_by_role("button", name="期間を確認…").click()
    page.wait_for_url("**/case/1/sign")
    page.get_by_role("button", name="締結を記録する").click()
    page.wait_for_url("**/case/1")
    assert "締結を記録しました" in page.content()
    shot(page, "34_verdict_signed")
    assert not page.errors, page.errors
