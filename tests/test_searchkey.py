"""The search key (``web/searchkey.py``): what staff type finds what the registry holds, in
hiragana or katakana, full or half width, with or without spaces — and nothing more."""

from __future__ import annotations

from kyotei_docs.web.searchkey import kana_fold, matches, search_key
from webkit import form_bytes, home, make_app, upload  # noqa: F401


def test_katakana_and_hiragana_find_each_other():
    assert matches("ひまわり", "ヒマワリ株式会社")
    assert matches("ヒマワリ", "株式会社ひまわり")
    assert matches("ﾋﾏﾜﾘ", "ひまわり商事")  # half-width katakana
    assert matches("ひまわり　しょうじ", "ヒマワリショウジ")  # a full-width space typed between
    assert matches("ＡＢＣ", "abc株式会社")
    assert matches("", "anything")


def test_what_stays_different():
    assert not matches("ひる", "ビル管理株式会社")  # voiced marks are letters of their own
    assert not matches("ひまわり", "ひま")
    assert search_key("ヴ") == "ゔ" and kana_fold("ヶ") == "ゖ" and kana_fold("ー") == "ー"
    assert search_key(None) == ""


def test_the_list_finds_katakana_by_hiragana(home):  # noqa: F811
    client = make_app(home).test_client()
    upload(client, [("a.docx", form_bytes(home, "株式会社ヒマワリ")), ("b.docx", form_bytes(home, "株式会社あおば"))])
    for q in ("ひまわり", "ﾋﾏﾜﾘ", "ヒマワリ"):
        table = client.get(f"/?q={q}").get_data(as_text=True).split('class="cases"')[1].split("</table>")[0]
        assert "株式会社ヒマワリ" in table and "株式会社あおば" not in table, q
    table = client.get("/?q=アオバ").get_data(as_text=True).split('class="cases"')[1].split("</table>")[0]
    assert "株式会社あおば" in table and "株式会社ヒマワリ" not in table


def test_abbreviated_company_kinds_are_written_out():
    assert matches("㈱ひまわり", "株式会社ヒマワリ")
    assert matches("株式会社ひまわり", "㈱ヒマワリ")
    assert matches("（株）ひまわり", "株式会社ひまわり") and matches("(株)ﾋﾏﾜﾘ", "㈱ひまわり")
    assert matches("㈲あおば", "有限会社アオバ") and matches("財団法人", "㈶ほくと")
    assert not matches("㈱ひまわり", "有限会社ひまわり")
    assert search_key("(株") == "(株"  # a bracket left open is not an abbreviation
