"""The screen to WCAG 2.1 AA (JIS X 8341-3), in a real browser: axe-core (from the npm registry,
``make install-test`` → ci/install-axe.sh) injected into every page state finds nothing; the
list is worked by keyboard alone; at 400 % (320 CSS px wide) no page scrolls sideways, at 200 %
neither does the list; the focus ring stands out 3:1; and the list's sort, pages, filters and
export-as-shown, and the confirmations, work as a person uses them.

Debian's Chromium driven by Playwright against a real server (waitress) over a real registry
and drop folder.  With ``KYOTEI_TEST_SCREENS=1`` pages are photographed into ``test-output/screens/``
(not committed).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from test_web_browser import CHROMIUM, Seed, _serving, shot, signed, signed_in  # noqa: F401
from webkit import PASSWORD, fill_cases

AXE = Path(__file__).resolve().parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
#: what WCAG 2.1 AA asks (axe's tags for it)
AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed "
                                 "(make test installs it as root: apt-get install chromium)")]


@pytest.fixture(scope="module")
def listed(signed, tmp_path_factory) -> Seed:
    """The site the tests start from, made once for the module: a registry of 60 cases (two 要修正, one
    要確認; case 2 judged) and an error file, with tanaka signed in (:func:`test_web_browser.signed`)."""
    folder = tmp_path_factory.mktemp("listed")
    shutil.copytree(signed.folder, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*-shm"))
    (folder / "kyotei.toml").write_text(f"[registry]\npath = {json.dumps(str(folder / 'registry.sqlite3'))}\n",
                                        encoding="utf-8")
    names = [f"株式会社テスト{i:03d}" for i in range(60)]
    names[4] = "㈱ヒマワリ"
    fill_cases(folder, names, departments=["環境部", "保健所", "経済部"] * 20, invalid={0, 7}, review={3: 2})
    _judged(folder / "registry.sqlite3", 2)  # case 2 may be signed: its 検討票 was judged in a meeting
    entry = folder / "drop" / "error" / "20261201-100000-abcd_壊れた提案書"
    entry.mkdir(parents=True)
    (entry / "壊れた提案書.docx").write_bytes(b"not a docx")
    (entry / "理由.txt").write_text("理由: Word 文書として開けません（ZIP 形式ではありません）\n", encoding="utf-8")
    return replace(signed, folder=folder)


@pytest.fixture
def site(tmp_path, monkeypatch, listed) -> Iterator[tuple[str, Path]]:
    """A server over a copy of :func:`listed` of its own (the tests record, sign and upload)."""
    with _serving(tmp_path, monkeypatch, pdf=False, users=True, seed=listed) as (url, _):
        yield url, tmp_path


def _judged(registry: Path, case_id: int) -> None:
    from kyotei_docs.cases import judging
    from kyotei_docs.config import load_config
    from kyotei_docs.registry.store import open_registry

    with open_registry(registry) as reg:
        judging.record(load_config(), reg, case_id, {}, all_clear=True, actor="test")


@pytest.fixture
def browser(chromium):
    """The worker's Chromium; the contexts a test opens (:func:`new_page`) are closed after it."""
    assert AXE.is_file(), "axe-core is missing: run `make install-test` (ci/install-axe.sh installs it from npm)"
    yield chromium
    for context in chromium.contexts:
        context.close()


def new_page(browser, width: int = 1366, height: int = 768, *, with_axe: bool = False):
    """A page in a context of its own; ``with_axe``: axe-core is in each document it opens (:func:`axe`)."""
    # bypass_csp only lets the test inject axe-core itself; the pages' own CSP is tested elsewhere
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP",
                                  accept_downloads=True, bypass_csp=True)
    if with_axe:  # sent to the browser once, where add_script_tag sent its 0.5 MB again for each state
        context.add_init_script(path=str(AXE))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    return page


def signed_list(browser, url: str, width: int = 1366, height: int = 768):
    """A page on the list, signed in as tanaka (the worker's one sign-in, :func:`test_web_browser.signed`)."""
    page = new_page(browser, width, height)
    signed_in(page)
    page.goto(url + "/")
    assert page.url == url + "/", f"not signed in: {page.url}"
    return page


def axe(page, state: str) -> None:
    """No WCAG 2.1 AA violation axe can find in the page as it is now (``state`` names it)."""
    found = page.evaluate("async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
                          " resultTypes: ['violations']})).violations.map(v => [v.id, v.impact,"
                          " v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + n.failureSummary)])", AA)
    assert found == [], f"{state}: {found}"


def no_sideways_scroll(page, state: str) -> None:
    width, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client, f"{state}: the page is {width} px wide in a {client} px window"


def test_every_page_state_has_no_aa_violation(site, browser):
    url, home = site
    page = new_page(browser, with_axe=True)
    page.goto(url + "/login")
    axe(page, "login")
    page.get_by_label("利用者名").fill("tanaka")
    page.get_by_label("パスワード").fill("wrong password!")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_load_state()
    axe(page, "login refused")
    page.errors.clear()  # the refused sign-in answers 401 on purpose
    page.get_by_label("パスワード").fill(PASSWORD)  # again on the refusal's own form
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(url + "/")
    states = [
        ("/", "list"), ("/?sort=organisation&order=asc&page=2", "list sorted, page 2"),
        ("/?verdict=fix", "list filtered by 判定"), ("/?status=signed", "list with no case"),
        ("/intake", "intake"), ("/export", "export"), ("/errors", "error files"),
        ("/errors/20261201-100000-abcd_壊れた提案書", "an error file"),
        ("/case/1", "case 要修正"), ("/case/4", "case 要確認"), ("/no-such-page", "404"),
        ("/case/2", "case 受付可"),  # last: its folded forms are opened next, in the same page
    ]
    for path, state in states:
        page.goto(url + path)
        if path == "/":
            page.locator("summary", has_text="表示する列").click()  # the column chooser open
        axe(page, state)
    page.errors.clear()  # the 404 on purpose
    for summary in ("終了", "統合 / 分離", "備考・自動更新を変更"):
        page.get_by_text(summary, exact=True).click()
    axe(page, "case with its folded forms open")
    page.get_by_label("締結日（例: 令和8年6月1日、R8.6.1、2026-06-01）").fill("令和8年2月30日")
    page.get_by_role("button", name="期間を確認…").click()
    page.wait_for_load_state()
    assert page.locator("#sign-date[aria-invalid=true]").count() == 1
    axe(page, "a form sent with an impossible date: the message at its field")
    page.get_by_label("締結日（例: 令和8年6月1日、R8.6.1、2026-06-01）").fill("令和8年6月1日")
    page.get_by_role("button", name="期間を確認…").click()
    page.wait_for_url("**/sign")
    axe(page, "sign confirmation")
    page.get_by_role("button", name="締結を記録する").click()
    page.wait_for_load_state()
    axe(page, "after the signing was sent (recorded, or refused in the screen's words)")
    page.errors.clear()  # a form sent wrong answers 400 on purpose
    page.goto(url + "/errors/20261201-100000-abcd_壊れた提案書")
    page.get_by_role("button", name="対応済みにする…").click()
    page.wait_for_load_state()
    axe(page, "error file confirmation")
    page.goto(url + "/intake")
    from inboxkit import write_form

    page.get_by_label("ファイル").set_input_files(str(write_form(home / "forms" / "up.docx", "株式会社あおば")))
    page.get_by_role("button", name="読み込む").click()
    page.wait_for_url("**/intake/result**")
    page.get_by_text("記入内容").click()
    axe(page, "intake result")
    assert not page.errors, page.errors


def test_list_by_keyboard_alone(site, browser):
    url, _ = site
    page = signed_list(browser, url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")  # skip to the content
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("(e => e.tagName + ':' + (e.name || e.textContent.trim()))(document.activeElement)"))
        if seen[-1].startswith("A:企業等名称"):
            break
    assert "INPUT:q" in seen and "SELECT:verdict" in seen and "BUTTON:表示" in seen
    page.keyboard.press("Enter")  # the 企業等名称 header: sorted by it
    page.wait_for_url("**sort=organisation**")
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("企業等名称")
    page.focus("select[name=verdict]")
    page.keyboard.press("ArrowDown")  # 要修正
    page.focus("button:text('表示')")
    page.keyboard.press("Enter")
    page.wait_for_url("**verdict=fix**")
    assert page.locator("table.cases tbody tr").count() == 2
    ring = page.evaluate("(() => { const a = document.querySelector('table.cases a'); a.focus();"
                         " const s = getComputedStyle(a); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; })()")
    assert ring[0] == "solid" and ring[1] == "3px"
    assert contrast(ring[2], "rgb(255, 255, 255)") >= 3  # the focus ring against white (WCAG 1.4.11)


def contrast(a: str, b: str) -> float:
    def lum(rgb: str) -> float:
        r, g, b_ = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b_)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_no_sideways_scroll_at_400_and_the_list_at_200(site, browser):
    url, _ = site
    wide = signed_list(browser, url, 683, 600)  # 200 % of 1366
    no_sideways_scroll(wide, "list at 200 %")
    shot(wide, "30_list_200")
    narrow = wide  # the same window made narrower: each page below is loaded at that width
    narrow.set_viewport_size({"width": 320, "height": 480})  # 400 % of 1280: WCAG 1.4.10's 320 CSS px
    for path in ("/", "/?sort=received&order=desc&page=2", "/intake", "/export", "/errors", "/case/1", "/case/4",
                 "/errors/20261201-100000-abcd_壊れた提案書"):
        narrow.goto(url + path)
        no_sideways_scroll(narrow, f"{path} at 400 %")
    header = narrow.locator("header.top").bounding_box()
    assert header and header["width"] <= 320
    shot(narrow, "31_list_400", url + "/")
    shot(narrow, "32_case_400", url + "/case/4")


def test_sort_pages_filters_and_export_as_shown(site, browser, tmp_path):
    url, _ = site
    page = signed_list(browser, url)
    page.get_by_role("link", name="受付日").click()
    page.get_by_role("link", name="番号").click()  # by number, ascending
    page.wait_for_url("**sort=id&order=asc**")
    first = page.locator("table.cases tbody tr").first.locator("td").first.inner_text()
    assert first == "1" and page.locator("th[aria-sort=ascending]").count() == 1
    page.get_by_role("navigation", name="ページ").get_by_role("link", name="2 ページ目").click()
    page.wait_for_url("**page=2**")
    assert page.locator("table.cases tbody tr").first.locator("td").first.inner_text() == "51"
    assert page.locator("table.cases tbody tr").count() == 10
    page.locator("select[name=department]").select_option("保健所")
    page.get_by_role("button", name="表示").click()
    page.wait_for_url("**department=**")
    assert "page=" not in page.url and "sort=id" in page.url  # a new filter starts at page 1, same order
    shown = [[c.strip() for c in row.locator("td").all_inner_texts()] for row in page.locator("table.cases tbody tr").all()]
    assert len(shown) == 20 and all(r[5] == "保健所" for r in shown)
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    path = tmp_path / "list.csv"
    info.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
    assert rows[0][:3] == ["番号", "状態", "判定"] and [r[0] for r in rows[1:]] == [r[0] for r in shown]
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel（.xlsx）", exact=True).click()
    assert info.value.suggested_filename.endswith(".xlsx") and info.value.failure() is None
    page.locator("summary", has_text="表示する列").click()
    page.locator("input[name=col][value=type]").uncheck()
    page.get_by_role("button", name="この列で表示").click()
    page.wait_for_load_state()
    assert "種別" not in page.locator("table.cases thead").inner_text()
    assert "department=" in page.url  # the view stays as it was


def test_every_recording_action_asks_first(site, browser):
    """Each button that records something leads to a confirmation naming the case; 「やめる」 records nothing."""
    import sqlite3

    url, home = site
    page = signed_list(browser, url)

    def events() -> int:
        with sqlite3.connect(home / "registry.sqlite3") as db:
            return db.execute("SELECT count(*) FROM events").fetchone()[0]

    before = events()
    actions = [
        ("協議開始…", None),
        ("期間を確認…", ("締結日（例: 令和8年6月1日、R8.6.1、2026-06-01）", "令和8年6月1日")),
        ("訂正を記録", ("正しい値", "代表取締役　北斗　太郎")),
        ("連携事項を保存", ("連携事項", "健康づくりに関すること")),
        ("変更を確認…", ("#d-notes", "市長協議済み")),
    ]
    page.goto(url + "/case/2")
    for button, fill in actions:  # each starts on the case page as loaded afresh: by 「やめる」 after the first
        if button == "変更を確認…":
            page.get_by_text("備考・自動更新を変更").click()
        if button == "訂正を記録":
            page.get_by_label("項目", exact=True).select_option(label="代表者氏名")
        if fill:
            box = page.locator(fill[0]) if fill[0].startswith("#") else page.get_by_role("textbox", name=fill[0], exact=True)
            box.fill(fill[1])
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text().startswith("確認"), button
        assert "株式会社テスト001" in page.content(), button
        page.get_by_role("link", name="やめる").click()
        page.wait_for_url("**/case/2")
    assert events() == before  # nothing recorded without the second press


def test_long_entries_in_the_side_panels_wrap_instead_of_scrolling(site, browser):
    """A reminder's label (「令和7年度に実績のない協定の継続協議（ガイドライン５(3)）」) is wider than the panel:
    it wraps, at 100 % and at 400 %, so nothing in 対応が必要なもの or 期限が近いもの scrolls sideways."""
    import sqlite3

    from kyotei_docs.citytime import today
    from kyotei_docs.era import fiscal_year

    url, home = site
    last_fy = fiscal_year(today()) - 1  # in force during the last fiscal year, no result recorded: reminded
    with sqlite3.connect(home / "registry.sqlite3") as db:
        db.execute("UPDATE agreements SET status = 'signed', signed_on = ?, period_start = ?, term = 'fiscal',"
                   " expires_on = ?, department = '市民生活部 地域活動推進課' WHERE id = 10",
                   (f"{last_fy}-06-01", f"{last_fy}-06-01", f"{last_fy + 2}-03-31"))
    page = signed_list(browser, url)
    for width in (1366, 320):
        if width != 1366:  # the list loaded again in the same window made narrower
            page.set_viewport_size({"width": width, "height": 768})
            page.goto(url + "/")
        panel = page.locator("section[aria-labelledby=att-h]")
        assert "実績" in panel.inner_text() and "株式会社テスト009" in panel.inner_text(), width
        wide = page.evaluate("[...document.querySelectorAll('section[aria-labelledby=att-h], section[aria-labelledby=due-h]')]"
                             ".filter(p => p.scrollWidth > p.clientWidth).map(p => p.id || p.getAttribute('aria-labelledby'))")
        assert wide == [], f"{width} px: {wide} scroll sideways"
        no_sideways_scroll(page, f"list at {width} px")
        shot(page, f"33_list_reminders_{width}")
