"""The steps before signing in a real browser (Debian's Chromium through Playwright, a real server): the case
page's 検討票 — one item 確認中 with a note, then the rest in one go —, a step of the flow and a meeting,
each confirmed first.  Screens go to ``test-output/screens/`` like the other browser tests'
(``KYOTEI_TEST_SCREENS=1``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_web_browser import page, server, shot, sign_in_and_upload, signed  # noqa: F401

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "01_content_controls.docx"   # 主軸分野型

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]


def test_judging_a_step_and_a_meeting_on_the_case_page(server, page):  # noqa: F811
    sign_in_and_upload(server, page, SAMPLE)
    page.get_by_role("link", name="案件を開く").click()
    page.wait_for_url("**/case/1")

    panel = page.locator("section[aria-labelledby='jg-h']")
    assert "0 / 19 項目が判断済み" in panel.inner_text()
    panel.get_by_label("２）それぞれの連携分野において，具体的な計画や取組が示されており，実行性が認められるか") \
        .select_option(label="確認中")
    panel.locator("input[name='note_c2_feasible']").fill("計画書の提出待ち")
    panel.get_by_role("button", name="検討票の判断を記録…").click()
    page.wait_for_url("**/case/1/judge")
    assert "確認中" in page.content() and "株式会社ななかまどヘルスケア" in page.content()
    page.get_by_role("button", name="検討票の判断を記録する").click()
    page.wait_for_url("**/case/1")
    panel = page.locator("section[aria-labelledby='jg-h']")
    assert "1 / 19 項目が判断済み" in panel.inner_text() and "計画書の提出待ち" in panel.inner_text()

    flow = page.locator("section[aria-labelledby='fl-h']")
    assert "包括連携協定締結" in flow.inner_text() and "← 現在の段階" in flow.inner_text()
    flow.get_by_label("段階", exact=True).select_option(label="提案内容の聴取・確認")
    flow.get_by_label("備考（任意）").fill("来庁")
    flow.get_by_role("button", name="段階を記録…").click()
    page.wait_for_url("**/case/1/step")
    page.get_by_role("button", name="流れの段階を記録する").click()
    page.wait_for_url("**/case/1")
    flow = page.locator("section[aria-labelledby='fl-h']")
    assert "☑ 提案内容の聴取・確認" in flow.inner_text() and "来庁" in flow.inner_text()

    flow.get_by_text("協議を記録").first.click()   # the <details> summary
    flow.get_by_label("種類").select_option(label="協議")
    flow.get_by_label("出席者（「、」で区切る）").fill("先方 2名、保健総務課")
    flow.get_by_label("内容").fill("健康講座の年間計画")
    flow.get_by_role("button", name="協議を記録…").click()
    page.wait_for_url("**/case/1/meeting")
    page.get_by_role("button", name="協議の記録を記録する").click()
    page.wait_for_url("**/case/1")
    assert "健康講座の年間計画" in page.locator("section[aria-labelledby='fl-h']").inner_text()
    page.locator("section[aria-labelledby='jg-h']").scroll_into_view_if_needed()
    shot(page, "40_case_steps")
    assert not page.errors, page.errors
