"""Content rules of the agreement: items, validity dates, warnings, wording, input files."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from kyotei_docs.config import load_config
from kyotei_docs.proposal import Axis
from kyotei_docs.render.context import (
    BLANK_DATE,
    BLANK_FISCAL_END,
    CIRCLED,
    build_context,
    build_items,
    default_item_texts,
)
from kyotei_docs.render.inputs import fiscal_year_heading, read_items_file, read_results_file
from kyotei_docs.render.messages import RenderError
from kyotei_docs.render.values import clean_text, one_line
from render_support import individual_proposal, valid_proposal

CLOSING = "その他，地域の活性化及び市民サービスの向上に関すること"


@pytest.fixture(scope="module")
def cfg():
    return load_config(Path(__file__).resolve().parent.parent / "kyotei_docs" / "defaults" / "kyotei.toml")


# ----------------------------------------------------------------------- items

def test_axis_first_then_canonical_order_then_other_then_closing(cfg) -> None:
    p = valid_proposal(fields=["子育て", "その他", "災害対策", "福祉・医療・健康"],
                       other_field_text="農業の振興")
    ctx = build_context(p, cfg, signing_date=date(2026, 12, 1))
    texts = [i["text"] for i in ctx.values["items"]]
    assert texts == ["福祉・医療・健康に関すること", "災害対策に関すること", "子育てに関すること",
                     "農業の振興に関すること", CLOSING]
    assert [i["number"] for i in ctx.values["items"]] == ["⑴", "⑵", "⑶", "⑷", "⑸"]
    assert ctx.values["items"][-1]["closing"] is True
    assert ctx.values["item_count"] == 5


def test_all_round_agreement_uses_canonical_order(cfg) -> None:
    p = valid_proposal(fields=["観光・魅力発信", "環境"], axis=Axis(present=False))
    assert default_item_texts(p) == ["環境に関すること", "観光・魅力発信に関すること"]


def test_other_text_already_worded_is_kept(cfg) -> None:
    p = valid_proposal(fields=["環境", "その他"], axis=Axis(present=False),
                       other_field_text="脱炭素の推進に関すること。")
    assert default_item_texts(p)[-1] == "脱炭素の推進に関すること"


def test_closing_item_uses_configured_comma(cfg) -> None:
    tohten = dataclasses.replace(cfg, comma="、")
    items = build_items(["環境に関すること"], tohten)
    assert items[-1].text == "その他、地域の活性化及び市民サービスの向上に関すること"


def test_twenty_items_fit_twenty_one_do_not(cfg) -> None:
    items = build_items([f"事項{i}" for i in range(19)], cfg)
    assert [i.number for i in items] == list(CIRCLED)
    assert items[-1].number == "⒇"
    with pytest.raises(RenderError) as err:
        build_items([f"事項{i}" for i in range(20)], cfg)
    assert err.value.code == "too_many_items"
    assert "21" in err.value.message


def test_items_file_replaces_wording(cfg, tmp_path) -> None:
    f = tmp_path / "items.txt"
    f.write_text("# 協議で決まった文言\n⑴ 健康寿命の延伸に関すること\n(2) 子育て支援に関すること\n\n"
                 "３．環境保全に関すること\n", encoding="utf-8")
    items = read_items_file(f)
    assert items == ["健康寿命の延伸に関すること", "子育て支援に関すること", "環境保全に関すること"]
    ctx = build_context(valid_proposal(), cfg, items=items)
    assert [i["text"] for i in ctx.values["items"]] == items + [CLOSING]


def test_items_file_with_own_closing_item(cfg, tmp_path) -> None:
    f = tmp_path / "items.txt"
    f.write_text("健康に関すること\nその他，両者が必要と認めること\n", encoding="cp932")
    ctx = build_context(valid_proposal(), cfg, items=read_items_file(f))
    assert [i["text"] for i in ctx.values["items"]] == ["健康に関すること", "その他，両者が必要と認めること"]


def test_items_file_empty_or_too_long(cfg, tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        read_items_file(empty)
    assert err.value.code == "no_items"
    with pytest.raises(RenderError):
        build_context(valid_proposal(), cfg, items=[f"事項{i}" for i in range(21)])


def test_results_file(tmp_path) -> None:
    f = tmp_path / "results.txt"
    f.write_text("令和７年度\n・健康セミナー（3回）\n- 健診の受診勧奨\nR8年度連携実績\n出前講座\n2024年度\n",
                 encoding="utf-8")
    assert read_results_file(f) == {2025: ["健康セミナー（3回）", "健診の受診勧奨"], 2026: ["出前講座"], 2024: []}
    bad = tmp_path / "bad.txt"
    bad.write_text("年度なしの実績\n", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        read_results_file(bad)
    assert err.value.code == "results_no_year"
    assert fiscal_year_heading("令和元年度") == 2019
    assert fiscal_year_heading("平成30年度") == 2018
    assert fiscal_year_heading("健康セミナー") is None


def test_results_in_context_by_fiscal_year(cfg) -> None:
    ctx = build_context(valid_proposal(), cfg, results={2026: ["B"], 2025: ["A", " "]})
    assert [(r["label"], r["lines"]) for r in ctx.values["results"]] == [("令和7年度", ["A"]), ("令和8年度", ["B"])]


# ----------------------------------------------------------------------- dates

@pytest.mark.parametrize("signed, term, end, end_text", [
    (date(2026, 12, 1), "fiscal", date(2027, 3, 31), "令和９年３月３１日"),
    (date(2026, 12, 1), "one-year", date(2027, 11, 30), "令和９年１１月３０日"),
    (date(2027, 3, 15), "fiscal", date(2027, 3, 31), "令和９年３月３１日"),
    (date(2027, 3, 15), "one-year", date(2028, 3, 14), "令和１０年３月１４日"),
    (date(2028, 2, 29), "fiscal", date(2028, 3, 31), "令和１０年３月３１日"),
    (date(2028, 2, 29), "one-year", date(2029, 2, 28), "令和１１年２月２８日"),
])
def test_end_dates(cfg, signed, term, end, end_text) -> None:
    ctx = build_context(valid_proposal(), cfg, signing_date=signed, term=term)
    assert ctx.end_date == end
    assert ctx.values["dates"]["end"] == end_text
    assert ctx.values["dates"]["signing"].startswith("令和")
    assert not any(ch.isascii() and ch.isdigit() for ch in ctx.values["dates"]["signing"] + end_text)


@pytest.mark.parametrize("signed, term, warned", [
    (date(2026, 12, 1), "fiscal", None),            # deadline 2027-02-26, 87 days ahead
    (date(2027, 3, 15), "fiscal", "notice_past"),   # deadline 2027-02-26 already past
    (date(2028, 2, 29), "fiscal", "notice_past"),   # deadline 2028-02-28 (the day before signing)
    (date(2027, 1, 20), "fiscal", None),            # 37 days before the deadline
    (date(2027, 2, 1), "fiscal", "notice_soon"),    # 25 days before the deadline
    (date(2027, 3, 15), "one-year", None),
    (date(2028, 2, 29), "one-year", None),
])
def test_notice_deadline_warnings(cfg, signed, term, warned) -> None:
    ctx = build_context(valid_proposal(), cfg, signing_date=signed, term=term)
    past = [w for w in ctx.warnings if "より前です" in w]
    soon = [w for w in ctx.warnings if "日後です" in w]
    assert bool(past) == (warned == "notice_past")
    assert bool(soon) == (warned == "notice_soon")


def test_notice_deadline_text(cfg) -> None:
    ctx = build_context(valid_proposal(), cfg, signing_date=date(2027, 2, 1))
    # 2027-03-31 − 1 month − 1 day = 2027-02-27, a Saturday → moved earlier to Friday 26th.
    assert any("令和９年２月２６日" in w and "25 日後" in w for w in ctx.warnings)


def test_no_signing_date_leaves_blanks(cfg) -> None:
    ctx = build_context(valid_proposal(), cfg)
    assert ctx.values["dates"]["signing"] == BLANK_DATE == "令和　年　月　日"
    assert ctx.values["dates"]["end"] == BLANK_FISCAL_END == "令和　年３月３１日"
    assert ctx.end_date is None
    assert any("--signing-date" in w for w in ctx.warnings)
    one_year = build_context(valid_proposal(), cfg, term="one-year")
    assert one_year.values["dates"]["end"] == "令和　年　月　日"


def test_expected_signing_gives_end_date_only(cfg) -> None:
    ctx = build_context(valid_proposal(), cfg, expected_signing=date(2026, 12, 1))
    assert ctx.values["dates"]["signing"] == BLANK_DATE
    assert ctx.values["dates"]["end"] == "令和９年３月３１日"
    assert ctx.end_date == date(2027, 3, 31)
    assert any("締結予定日" in w for w in ctx.warnings)


def test_signing_on_closed_day_and_bad_term(cfg) -> None:
    ctx = build_context(valid_proposal(), cfg, signing_date=date(2026, 12, 29))
    assert any("閉庁日" in w for w in ctx.warnings)
    with pytest.raises(RenderError):
        build_context(valid_proposal(), cfg, term="two-years")
    with pytest.raises(RenderError):
        build_context(valid_proposal(), cfg, signing_date=date(2019, 4, 30))


def test_plain_notice_reading(cfg) -> None:
    plain = dataclasses.replace(cfg, notice_reading="plain")
    ctx = build_context(valid_proposal(), plain, signing_date=date(2027, 2, 1))
    assert any("令和９年２月２６日" in w for w in ctx.warnings)  # 2/28 is a Sunday → Friday 26th


# ----------------------------------------------------------------------- wording

def test_titles(cfg) -> None:
    ctx = build_context(valid_proposal(), cfg)
    assert ctx.values["title"] == "旭川市と株式会社見本商事との包括連携協定書"
    assert ctx.values["agreement_name"] == "旭川市と株式会社見本商事との包括連携協定"
    ind = build_context(individual_proposal(), cfg, title="災害時における応急対策業務に関する協定書")
    assert ind.values["title"] == "災害時における応急対策業務に関する協定書"
    assert ind.values["subject"] == "災害時における応急対策業務"
    default = build_context(individual_proposal(), cfg)
    assert default.values["title"] == "旭川市と株式会社見本商事との災害対策に関する連携協定書"
    assert any("--title" in w for w in default.warnings)


def test_items_summary_for_form3(cfg) -> None:
    ctx = build_context(valid_proposal(fields=["環境", "子育て", "災害対策", "人材育成", "福祉・医療・健康"]), cfg)
    assert ctx.values["items_summary"] == "福祉・医療・健康に関すること，災害対策に関すること，環境に関すること"
    assert ctx.values["item_count"] == 6  # the closing item counts (Form 3: 「…など，6項目」)


def test_values_are_cleaned(cfg) -> None:
    assert clean_text("a\x00b\x0bc\x1f\ufffe\uffffd\r\ne\tf") == "abcd\ne\tf"
    assert one_line("  株式会社\n見本\t商事 ") == "株式会社 見本 商事"
    ctx = build_context(valid_proposal(name="株式会社\x0b見本\n商事"), cfg)
    assert ctx.values["partner"]["name"] == "株式会社見本 商事"


def test_a_signed_agreement_without_the_mayors_name_says_so(cfg) -> None:
    """The shipped settings leave the mayor's name blank (空欄可): the signed Form 2 prints only
    「旭川市長　　印」, which the walk found unsaid. A draft (no signing date) is not nagged."""
    warned = build_context(valid_proposal(), cfg, signing_date=date(2026, 12, 1)).warnings
    assert any("市長の氏名が設定されていない" in w and "mayor_name" in w for w in warned)
    assert not any("市長の氏名" in w for w in build_context(valid_proposal(), cfg).warnings)
    named = dataclasses.replace(cfg, mayor_name="北嶺　太郎")
    ctx = build_context(valid_proposal(), named, signing_date=date(2026, 12, 1))
    assert not any("市長の氏名" in w for w in ctx.warnings) and ctx.values["mayor_name"] == "北嶺　太郎"
