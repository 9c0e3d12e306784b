"""The boundaries mutation testing found unasserted (issue 20): each test here kills mutants that survived.

A mutant is a small change to the code (``<`` for ``<=``, a dropped ``+ 1``, a deleted
branch); one that no test notices is a behaviour nobody asserts.  These are the ones
``make mutate`` reported for the core modules, each written as what staff would see.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from datetime import date, timedelta

import pytest

from formdoc import CONTACT, HEADER, TEXTS, cell, doc, form
from kyotei_docs import citytime
from kyotei_docs.contactvalues import (
    normalise_email,
    phone_numbers,
    split_department_name,
    valid_email,
    valid_phone,
)
from kyotei_docs.era import DateParseError, era_of, fiscal_year, format_fiscal_year, parse_date, parse_fiscal_year
from kyotei_docs.extract import extract
from kyotei_docs.i18n import set_lang
from kyotei_docs.periods import ClosedDays, add_years_end, earliest_end_after_notice, notice_deadline, term_end
from kyotei_docs.proposal import Axis
from kyotei_docs.registry.dates import DateRules
from kyotei_docs.registry.errors import RegistryError
from kyotei_docs.registry.lifecycle import (
    NewResult,
    add_result,
    add_results,
    agreement_title,
    default_actor,
    end,
    record_event,
    register,
    remove_result,
    renew_due,
    renew_preview,
    settle_ends,
    sign,
    update_details,
)
from kyotei_docs.registry.queries import events_for, fetch_agreement, results_for
from kyotei_docs.routing import MESSAGES as ROUTING
from kyotei_docs.routing import route
from kyotei_docs.rules import check, label_of
from kyotei_docs.vocab import may_be_form1, resolve_field
from kyotei_docs.vocab import written_as_one as vocab_written_as_one
from render_support import valid_proposal
from test_registry_helpers import add, add_signed, checked, make_proposal, open_new, submission

# -- contact values ------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["mailto:yamada@example.jp", "MAILTO:yamada@example.jp",
                                     "ｍａｉｌｔｏ：ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ"])
def test_a_mailto_prefix_is_no_part_of_the_address(written):
    assert normalise_email(written) == "yamada@example.jp"
    assert valid_email(written)


@pytest.mark.parametrize(("entry", "numbers"), [
    ("TEL／0166-25-6012", ["0166-25-6012"]),
    ("ＴＥＬ／０１６６－２５－６０１２", ["0166-25-6012"]),
    ("0166-25-6012、", ["0166-25-6012"]),
    ("0166-25-6012、090-1234-5678、", ["0166-25-6012", "090-1234-5678"]),
])
def test_a_label_with_a_slash_and_a_trailing_comma_leave_the_numbers(entry, numbers):
    assert phone_numbers(entry) == numbers and valid_phone(entry)


def test_a_stray_digit_group_after_a_number_makes_the_entry_invalid():
    """「0166-25-6012 12」: the 12 is no phone number — an error to look at, not a valid entry."""
    assert phone_numbers("0166-25-6012 12") == ["0166-25-6012", "12"]
    assert not valid_phone("0166-25-6012 12")
    assert valid_phone("0166 25 6012")  # blanks inside one number are no stray group


@pytest.mark.parametrize(("entry", "valid"), [
    ("+81-90-1234-5678", True), ("+81 90 1234 5678", True), ("+819012345678", True),
    ("+81-166-25-6012", True), ("+81-90-1234-567", False), ("+1-212-555-0100", False),
])
def test_plus_81_numbers_are_japanese_numbers(entry, valid):
    assert valid_phone(entry) is valid


@pytest.mark.parametrize("entry", ["工務部　総務課", "営業推進グループ", "工務部", "総務部　経理課　（）"])
def test_a_department_and_name_entry_of_department_words_only_is_not_parted(entry):
    """No person after the department words: nothing to part (the caller asks a person to look)."""
    assert split_department_name(entry) is None


def test_a_name_in_latin_letters_keeps_its_first_and_last_letter():
    """「Xiao Ming」 or 「Alex」 in brackets: only the brackets are taken off, never an X of the name."""
    assert split_department_name("総務部総務課　Xiao Ming") == ("総務部総務課", "Xiao Ming")
    assert split_department_name("総務部総務課 （Alex）") == ("総務部総務課", "Alex")


def test_a_department_and_name_entry_is_parted_after_the_last_department_word():
    assert split_department_name("工務部　総務課　末広　一") == ("工務部　総務課", "末広　一")
    assert split_department_name("営業本部　工務部　総務課　末広　一") == ("営業本部　工務部　総務課", "末広　一")
    assert split_department_name("工務部　末広") == ("工務部", "末広")  # a name of one word
    assert split_department_name("工務部　末広　一　様") is None  # three words after: not a name
    # 企画課長 ends in no unit word: a title, kept with the person (the department is cut at its first
    # mention, not at a later one inside the title)
    assert split_department_name("企画課　企画課長　山田") == ("企画課", "企画課長　山田")
    assert split_department_name("企画課（山田　花子）") == ("企画課", "山田　花子")
    assert split_department_name("工務部　末広　一\n") == ("工務部", "末広　一")  # a cell's line break
    assert split_department_name("阿部　一郎") is None  # 阿部 is a person, not a department


def test_what_is_not_a_number_is_said_so():
    assert phone_numbers("担当　山田") is None  # words: not a phone entry at all
    assert phone_numbers("0166256012 1") == ["0166256012 1"]  # 11 digits: one (invalid) number, not two
    assert not valid_phone("0166256012 1")
    assert not valid_phone("+0166-25-6012")  # a + that is not +81
    assert normalise_email("yamada @ example.jp") == "yamada@example.jp"


# -- era: what a person is told about a date that cannot be -----------------------------------------


@pytest.mark.parametrize(("written", "reason", "said"), [
    ("令和0年1月1日", "invalid_date", "令和0年はありません（最初の年は令和元年です）。"),
    ("令和元年2月30日", "invalid_date", "2月30日はありません。"),
    ("令和8年1月32日", "invalid_date", "1月32日はありません。"),
    ("令和7年2月29日", "invalid_date", "2025年はうるう年ではないため、2月29日はありません。"),
    ("R2026.1.1", "outside_era", "令和2026年はありません（西暦の年には元号を付けません: 2026-01-01）。"),
    ("令和100年1月1日", "outside_era", "令和100年はありません（西暦の年には元号を付けません: 100-01-01）。"),
    ("令和元年4月30日", "outside_era", "令和は2019年5月1日からです。"),
    ("令和８年　月　日", "incomplete", "年・月・日のどれかが空欄です。"),
    ("令和〇十年1月1日", "unrecognized", "日付の書き方として読めません（例: 2026-06-01、2026/6/1、令和8年6月1日、R8.6.1）。"),
    ("令和八年十●月一日", "unrecognized", "日付の書き方として読めません（例: 2026-06-01、2026/6/1、令和8年6月1日、R8.6.1）。"),
    ("令和8年13月1日", "invalid_date", "13月はありません。"),
    ("令和8年12月32日", "invalid_date", "12月32日はありません。"),
    ("2025年2月29日", "invalid_date", "2025年はうるう年ではないため、2月29日はありません。"),
    ("R2026.3.5", "outside_era", "令和2026年はありません（西暦の年には元号を付けません: 2026-03-05）。"),
    ("R2026.0.0", "outside_era", "令和2026年はありません（西暦の年には元号を付けません: 2026-01-01）。"),
    ("昭和99年1月1日", "outside_era", "昭和は1926年12月25日から1989年1月7日までです。"),
    ("8年11月20日", "missing_era", "8年だけでは年が決まりません（令和8年 や 2026年 のように元号か西暦で書いてください）。"),
])
def test_a_date_that_cannot_be_is_explained(written, reason, said):
    with pytest.raises(DateParseError) as info:
        parse_date(written)
    assert info.value.reason == reason
    assert info.value.why() == said


@pytest.mark.parametrize(("written", "day"), [
    ("一千九百八十九年一月八日", date(1989, 1, 8)), ("千九百八十九年一月八日", date(1989, 1, 8)),
    ("二〇二六年十月一日", date(2026, 10, 1)), ("令和八年十月三十一日", date(2026, 10, 31)),
    ("令和99年12月31日", date(2117, 12, 31)), ("平成31年4月30日", date(2019, 4, 30)),
])
def test_kanji_numerals_and_the_last_days_of_eras_are_read(written, day):
    parsed = parse_date(written)
    assert parsed is not None and parsed.date == day and parsed.warnings == ()


def test_heisei_after_its_last_day_is_read_with_a_warning():
    """Many forms still print 平成: 平成31年5月1日 is the day 令和 began, read, with a warning to look."""
    parsed = parse_date("平成31年5月1日")
    assert parsed is not None and parsed.date == date(2019, 5, 1) and parsed.warnings == ("heisei_after_end",)


@pytest.mark.parametrize(("written", "logged"), [
    ("令和0年1月1日", "invalid_date: '令和0年1月1日' (era year 0)"),
    ("R2026.1.1", "outside_era: 'R2026.1.1' (令和2026年)"),
    ("令和元年4月30日", "outside_era: '令和元年4月30日' (令和 is 2019-05-01..)"),
    ("昭和65年1月1日", "outside_era: '昭和65年1月1日' (昭和 is 1926-12-25..1989-01-07)"),
    ("令和８年　月　日", "incomplete: '令和８年\\u3000月\\u3000日' (some of 年/月/日 are blank)"),
    ("元年5月1日", "missing_era: '元年5月1日' (元年 without an era)"),
    ("999年1月1日", "missing_era: '999年1月1日' (year 999 without an era)"),
    ("令和〇十年1月1日", "unrecognized: '令和〇十年1月1日' (year '〇十')"),
    ("000002026年1月1日", "unrecognized: '000002026年1月1日' (year '000002026')"),
])
def test_each_refused_date_is_logged_with_what_was_written_and_the_detail(written, logged):
    with pytest.raises(DateParseError) as info:
        parse_date(written)
    assert str(info.value) == logged


def test_dates_at_the_edges_of_what_is_read():
    """元年 with no era is a year of 1 that needs its era; a four-digit year is Western, from 1000; a
    numeral of eight characters is still a number, nine are garbage; R. with a dot names 令和."""
    with pytest.raises(DateParseError) as info:
        parse_date("元年5月1日")
    assert (info.value.reason, info.value.year) == ("missing_era", 1)
    assert parse_date("1000年1月1日").date == date(1000, 1, 1)  # type: ignore[union-attr]
    assert parse_date("00002026年1月1日").date == date(2026, 1, 1)  # type: ignore[union-attr]
    assert parse_date("R.8.11.20").date == date(2026, 11, 20)  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="1872-12-31"):
        era_of(date(1872, 12, 31))


def test_a_date_error_names_what_was_written_and_why_for_the_log():
    """What a log shows of a refused date: the reason, the text as written and, when known, the detail."""
    with pytest.raises(DateParseError) as info:
        parse_date("令和8年13月1日")
    assert str(info.value) == "invalid_date: '令和8年13月1日' (month must be in 1..12)"
    assert info.value.detail == "month must be in 1..12" and info.value.text == "令和8年13月1日"
    assert str(DateParseError("unrecognized", "来月")) == "unrecognized: '来月'"


def test_fiscal_years_at_their_edges():
    assert parse_fiscal_year("令和99年度") == 2117
    assert [parse_fiscal_year(t) for t in ("令和元年度", "令和1年度", "2026", "2026年度", "1900", "2999")] == [
        2019, 2019, 2026, 2026, 1900, 2999]
    assert fiscal_year(date(2027, 3, 31)) == 2026  # a result dated 31 March belongs to the year ending then
    assert fiscal_year(date(2027, 4, 1)) == 2027
    assert format_fiscal_year(1873) == "明治６年度"  # the first year of the era table (the solar calendar)
    assert format_fiscal_year(1911, "ascii") == "明治44年度" and format_fiscal_year(1912, "ascii") == "大正元年度"
    with pytest.raises(ValueError, match="1872"):
        format_fiscal_year(1872)
    with pytest.raises(ValueError, match="'kanji'"):
        format_fiscal_year(2026, "kanji")  # type: ignore[arg-type]


@pytest.mark.parametrize(("written", "said"), [
    ("来年度", "年度として読めません（例: 令和8年度、R8、2026）。"),
    ("8", "8 だけでは年度が決まりません（令和8年度、R8、2026 のように書いてください）。"),
    ("令和100年度", "令和100年度 は扱える年度ではありません（1900年度から2999年度まで）。"),
    ("令和0年度", "令和0年度 は扱える年度ではありません（1900年度から2999年度まで）。"),
    ("1899", "1899 は扱える年度ではありません（1900年度から2999年度まで）。"),
    ("3000", "3000 は扱える年度ではありません（1900年度から2999年度まで）。"),
])
def test_a_fiscal_year_that_cannot_be_is_explained(written, said):
    with pytest.raises(ValueError) as info:
        parse_fiscal_year(written)
    assert str(info.value) == said


# -- periods ---------------------------------------------------------------------------------------


def test_the_earliest_end_after_a_notice_can_be_exactly_four_weeks_later():
    """Notice on 1 February 2027, plain reading: 1 March minus one month is 1 February, so the
    agreement may end on 1 March — 28 days later, the earliest any end can be; never 2 March."""
    assert earliest_end_after_notice(date(2027, 2, 1), "plain") == date(2027, 3, 1)
    assert earliest_end_after_notice(date(2027, 2, 1)) == date(2027, 3, 2)  # safe, the default


def test_the_earliest_end_after_a_notice_follows_the_city_calendar():
    """The deadline for an end on 12 February 2027 is 11 January, 成人の日 (a holiday), so it moves
    back to Friday 8 January: a notice given on the 11th is late for the 12th, and the first end it
    allows is 13 February (12 February without the calendar)."""
    assert earliest_end_after_notice(date(2027, 1, 11)) == date(2027, 2, 12)
    assert earliest_end_after_notice(date(2027, 1, 11), "safe", ClosedDays()) == date(2027, 2, 13)


def test_a_wrong_setting_is_refused_naming_the_value():
    """Terms, readings and year counts come from configuration and commands: a wrong one is refused
    with an error that names what was given."""
    with pytest.raises(ValueError, match="'two-year'"):
        term_end(date(2027, 4, 1), "two-year")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'lenient'"):
        notice_deadline(date(2027, 3, 31), "lenient")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not 0"):
        add_years_end(date(2027, 4, 1), 0)
    always_closed = ClosedDays(weekends=frozenset(range(7)))
    with pytest.raises(ValueError, match="2027-04-01"):
        always_closed.next_open_day(date(2027, 4, 1))


def test_a_calendar_given_as_lists_is_the_same_calendar():
    """Configuration files give lists; the calendar made from them equals (and hashes as) the one
    made from sets, so it can be compared and cached like any other."""
    from_lists = ClosedDays(weekends=[5, 6], extra_dates=[date(2027, 5, 6)])  # type: ignore[arg-type]
    from_sets = ClosedDays(weekends=frozenset({5, 6}), extra_dates=frozenset({date(2027, 5, 6)}))
    assert from_lists == from_sets and hash(from_lists) == hash(from_sets)
    assert from_lists.is_closed(date(2027, 5, 6)) and not from_lists.is_closed(date(2027, 5, 7))


# -- rules: a date equal to today is no future date ------------------------------------------------


def _warnings(p, cfg) -> list[str]:
    _errors, warnings = check(p, cfg)
    return [f.code for f in warnings]


def test_a_proposal_dated_today_is_not_in_the_future_and_tomorrow_is(cfg):
    today = citytime.today(cfg)
    assert "date_in_future" not in _warnings(valid_proposal(submitted_on=today), cfg)
    assert "date_in_future" in _warnings(valid_proposal(submitted_on=today + timedelta(days=1)), cfg)
    assert "date_in_future" not in _warnings(valid_proposal(submitted_on=today - timedelta(days=1)), cfg)


def _ticked_both_types():
    p = valid_proposal()
    p.types_ticked = ["individual", "comprehensive"]
    return p


def _no_type():
    p = valid_proposal()
    p.agreement_type, p.types_ticked = None, []
    return p


def _axis_ticked(*ticks):
    p = valid_proposal()
    p.axis_ticked = list(ticks)
    return p


def _contact(**values):
    p = valid_proposal()
    for name, value in values.items():
        setattr(p.contact, name, value)
    return p


@pytest.mark.parametrize(("make", "found"), [
    (_ticked_both_types, ("agreement_type_ambiguous", "agreement_type",
                          "連携協定の種別が両方選択されています。どちらか一つにしてください。")),
    (_no_type, ("agreement_type_missing", "agreement_type",
                "連携協定の種別（個別連携協定／包括連携協定）が選択されていません。")),
    (lambda: valid_proposal(fields=[]), ("no_field_selected", "fields", "連携の分野が一つも選択されていません。")),
    (lambda: valid_proposal(fields=["福祉・医療・健康"]), (
        "comprehensive_needs_two_fields", "fields", "包括連携協定では連携の分野を２つ以上選択する必要があります（選択数: 1）。")),
    (lambda: valid_proposal(fields=["福祉・医療・健康", "その他"]), (
        "other_field_text_missing", "other_field_text", "「その他」が選択されていますが、その内容が書かれていません。")),
    (lambda: _axis_ticked(), ("axis_choice_missing", "axis.present", "包括連携協定では主軸分野の有無（有／無）を選択してください。")),
    (lambda: _axis_ticked(True, False), ("axis_choice_ambiguous", "axis.present", "主軸分野の「有」と「無」が両方選択されています。")),
    (lambda: valid_proposal(axis=Axis(True, None, None)), (
        "axis_field_missing", "axis.field", "主軸分野「有」が選択されていますが、主軸分野が記入されていません。")),
    (lambda: valid_proposal(axis=Axis(True, None, "宇宙")), (
        "axis_field_unknown", "axis.field", "主軸分野「宇宙」が連携分野のどれに当たるか判断できません。分野名で記入してください。")),
    (lambda: valid_proposal(fields=["子育て", "環境"]), (
        "axis_field_not_selected", "axis.field", "主軸分野「福祉・医療・健康」が連携の分野で選択されていません。")),
    (lambda: valid_proposal(name=""), ("missing_required", "organization.name", "企業等名称が記入されていません。")),
    (lambda: _contact(email="taro@@example"), (
        "invalid_email", "contact.email", "メールアドレス「taro@@example」の形式が正しくありません。")),
    (lambda: _contact(phone="0166-12-345"), (
        "invalid_phone", "contact.phone", "電話番号「0166-12-345」の形式が正しくありません（市外局番から10桁、携帯電話は11桁）。")),
    (lambda: valid_proposal(submitted_on=None, date_error="invalid_date", date_text="令和8年2月30日"), (
        "invalid_date", "submitted_on", "提出日「令和8年2月30日」を日付として読めません。2月30日はありません。")),
    (lambda: valid_proposal(agreement_type="individual", fields=["環境", "子育て"], axis=Axis(None, None, None)), (
        "individual_multiple_fields", "fields", "個別連携協定ですが、分野が2つ選択されています。主な分野の担当部局に回付します。")),
    (lambda: valid_proposal(agreement_type="individual", fields=["環境"]), (
        "individual_has_axis", "axis.present", "個別連携協定ですが、主軸分野が記入されています（包括連携協定のための項目です）。")),
    (lambda: valid_proposal(submitted_on=date(2019, 5, 1), date_warnings=("heisei_after_end",),
                            date_text="平成31年5月1日"), (
        "heisei_after_end", "submitted_on",
        "提出日「平成31年5月1日」は平成の終了（2019年4月30日）後の日付です。2019-05-01 として扱いました。")),
    (lambda: valid_proposal(reader_warnings=["macros_present"]), (
        "macros_present", "file", "ファイルにマクロが含まれています（実行はしていません）。送付元を確認してください。")),
    (lambda: valid_proposal(reader_warnings=["ocr_used"]), (
        "ocr_used", "file", "スキャン画像を文字認識（OCR）で読み取りました。読み取った内容とチェック欄は誤りを含むことがあるため、"
                            "必ず原本と照合してください。")),
    (lambda: valid_proposal(agreement_type="individual", fields=["環境"], axis=Axis(None, None, "福祉")), (
        "individual_has_axis", "axis.present", "個別連携協定ですが、主軸分野が記入されています（包括連携協定のための項目です）。")),
    (lambda: valid_proposal(submitted_on=None, date_error="invalid_date", date_text=None), (
        "invalid_date", "submitted_on", "提出日「」を日付として読めません。")),
    (lambda: valid_proposal(submitted_on=date(2019, 5, 1), date_warnings=("heisei_after_end",), date_text=None), (
        "heisei_after_end", "submitted_on", "提出日「」は平成の終了（2019年4月30日）後の日付です。2019-05-01 として扱いました。")),
    (lambda: valid_proposal(submitted_on=date(2999, 1, 1)), (
        "date_in_future", "submitted_on", "提出日（2999-01-01）が今日より後の日付です。")),
])
def test_each_rule_names_the_entry_it_concerns_and_says_what_is_wrong(cfg, make, found):
    """The screen marks the entry a finding names and shows its sentence: each rule, alone, gives
    exactly its one finding on its own entry, an error or a warning as the rule is."""
    errors, warnings = check(make(), cfg)
    assert [(f.code, f.field, f.message) for f in errors + warnings] == [found]
    [finding] = errors + warnings
    assert finding.severity == ("error" if errors else "warning")


def test_a_rule_switched_off_leaves_the_others_on(cfg):
    p = valid_proposal(name="", fields=["福祉・医療・健康"])
    cfg = dataclasses.replace(cfg, disabled_rules=frozenset({"missing_required"}))
    errors, _ = check(p, cfg)
    assert [f.code for f in errors] == ["comprehensive_needs_two_fields"]


def test_findings_and_labels_in_english(cfg):
    set_lang("en")
    errors, _ = check(valid_proposal(name="", fields=["福祉・医療・健康"]), cfg)
    assert [(f.field, f.message) for f in errors] == [
        ("organization.name", "The organisation name is missing."),
        ("fields", "A comprehensive agreement needs two or more fields (1 ticked).")]
    assert label_of("contact.email") == "contact e-mail"
    assert label_of("custom.entry") == "custom.entry"  # a city's own required entry is named by its path
    set_lang("ja")
    assert label_of("contact.email") == "連絡先のメールアドレス" and label_of("custom.entry") == "custom.entry"


# -- routing -------------------------------------------------------------------------------------


def test_an_individual_agreement_with_several_fields_goes_to_the_first_fields_department(cfg):
    """「子育て」 and 「環境」 ticked (individual: a warning, still routed): the first in the guideline's
    order decides — 環境 (③) before 子育て (⑪) — never the last, never the coordinator."""
    p = valid_proposal(agreement_type="individual", fields=["環境", "子育て"])
    p.axis.present, p.axis.field, p.axis.text = False, None, None
    r = route(p, cfg)
    assert r.flow == "individual"
    assert r.department == cfg.department_for("環境").name != cfg.department_for("子育て").name
    assert r.notify == [] and r.notes == []


def test_the_axis_department_is_told_to_keep_the_coordinator_informed(cfg):
    p = valid_proposal()  # comprehensive, axis 福祉・医療・健康
    r = route(p, cfg)
    coordinator = cfg.coordinator.name
    assert (r.department, r.flow) == (cfg.department_for("福祉・医療・健康").name, "comprehensive_axis")
    assert r.notify == [coordinator]
    assert r.notes == [ROUTING["axis_notify"][0].format(coordinator=coordinator)]


@pytest.mark.parametrize("axis_text, what", [(None, "axis_blank"), ("宇宙開発", "axis_unknown")])
def test_an_axis_ticked_but_blank_or_unknown_is_asked_by_the_coordinator_saying_which(cfg, axis_text, what):
    """有 ticked, the axis field blank or not one of the list: the coordinator asks, and the note
    says which of the two it is, in Japanese and in English (--lang en)."""
    p = valid_proposal()
    p.axis.field, p.axis.text = None, axis_text
    coordinator = cfg.coordinator.name
    r = route(p, cfg)
    assert (r.department, r.notify, r.flow) == (coordinator, [], "comprehensive_axis_missing")
    assert r.notes == [ROUTING["axis_missing"][0].format(coordinator=coordinator, what=ROUTING[what][0])]
    assert coordinator in r.notes[0] and ROUTING[what][0] in r.notes[0]
    set_lang("en")
    note = route(p, cfg).notes[0]
    assert note == ROUTING["axis_missing"][1].format(coordinator=coordinator, what_en=ROUTING[what][1])
    assert f"the axis field is {ROUTING[what][1]}:" in note


def test_an_axis_owned_by_the_coordinator_notifies_nobody_else(cfg):
    p = valid_proposal(fields=["地域活性化・まちづくり", "環境"])
    p.axis.field = p.axis.text = "地域活性化・まちづくり"
    r = route(p, cfg)
    assert r.department == cfg.coordinator.name and r.notify == []


def test_an_allround_agreement_goes_to_the_coordinator_and_notifies_each_other_department_once(cfg):
    p = valid_proposal(fields=["災害対策", "安全・交通", "地域活性化・まちづくり", "観光・魅力発信",
                               "教育・文化・スポーツ"])
    p.axis.present, p.axis.field, p.axis.text = False, None, None
    r = route(p, cfg)
    coordinator = cfg.coordinator.name
    assert (r.department, r.flow) == (coordinator, "comprehensive_allround")
    # 安全・交通 and 災害対策 are two departments; 観光 and 教育 share one (named once); the coordinator's own
    # field (地域活性化) adds nobody
    assert r.notify == [cfg.department_for("災害対策").name, cfg.department_for("安全・交通").name,
                        cfg.department_for("観光・魅力発信").name]
    assert r.notes == [ROUTING["allround"][0].format(coordinator=coordinator)]
    assert r.to_json() == {"department": coordinator, "notify": r.notify, "flow": "comprehensive_allround",
                           "notes": r.notes}


def test_an_unsettled_type_goes_to_the_coordinator_saying_why(cfg):
    p = valid_proposal()
    p.agreement_type = None
    r = route(p, cfg)
    coordinator = cfg.coordinator.name
    assert (r.department, r.notify, r.flow) == (coordinator, [], None)
    assert r.notes == [ROUTING["no_type"][0].format(coordinator=coordinator)]


def test_a_field_without_a_department_goes_to_the_coordinator_naming_the_field(cfg):
    p = valid_proposal(agreement_type="individual", fields=["人材育成"])  # no department in the shipped table
    p.axis.present, p.axis.field, p.axis.text = False, None, None
    r = route(p, cfg)
    coordinator = cfg.coordinator.name
    assert (r.department, r.notify, r.flow) == (coordinator, [], "individual")
    assert r.notes == [ROUTING["unmapped"][0].format(field="人材育成", coordinator=coordinator)]
    p.fields = []
    assert route(p, cfg).notes == [ROUTING["unmapped"][0].format(field="—", coordinator=coordinator)]


# -- registry lifecycle --------------------------------------------------------------------------


def test_the_renewal_preview_is_what_renew_then_does_and_records_nothing(tmp_path, cfg):
    """`kyotei registry renew` for a day that has not come only previews: the renewals due (each
    year caught up, chained expiry to expiry), the agreements that lapse (no automatic renewal),
    the recorded ends whose day has come — and the registry is left as it was."""
    with open_new(tmp_path) as reg:
        renewing = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社更新")
        lapsing = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社満了")
        update_details(reg, lapsing, actor="x", today=date(2026, 6, 2), changes={"auto_renew": False})
        also_lapsing = add_signed(reg, cfg, date(2026, 7, 1), name="株式会社満了その二")
        update_details(reg, also_lapsing, actor="x", today=date(2026, 7, 2), changes={"auto_renew": False})
        ending = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社終了予定")
        end(reg, ending, on=date(2028, 3, 31), cause="non_renewal", reason="不更新の申出", actor="x",
            today=date(2026, 7, 1))
        add_signed(reg, cfg, date(2029, 1, 1), name="株式会社期間中")  # expires 2029-03-31: nothing due
        with reg.snapshot() as conn:
            before = [len(events_for(conn, aid)) for aid in (renewing, lapsing, ending)]
        preview = renew_preview(reg, today=date(2029, 3, 31), rules=DateRules())
        assert preview.preview is True
        assert [(r.agreement_id, r.starts_on, r.previous_expiry, r.new_expiry) for r in preview.renewed] == [
            (renewing, date(2027, 4, 1), date(2027, 3, 31), date(2028, 3, 31)),
            (renewing, date(2028, 4, 1), date(2028, 3, 31), date(2029, 3, 31))]
        assert [a.id for a in preview.lapsed] == [lapsing, also_lapsing] and preview.ended == [ending]
        with reg.snapshot() as conn:
            assert [len(events_for(conn, aid)) for aid in (renewing, lapsing, ending)] == before
        done = renew_due(reg, today=date(2029, 3, 31), actor="renewer", rules=DateRules())
        assert done.preview is False and done.renewed == preview.renewed
        assert [r.title for r in done.renewed] == ["旭川市と株式会社更新との包括連携協定"] * 2
        assert [a.id for a in done.lapsed] == [lapsing, also_lapsing] and done.ended == [ending]
        with reg.snapshot() as conn:
            settled = events_for(conn, ending)[-1]
        assert (settled.kind, settled.on_date, settled.actor, settled.from_status, settled.to_status) == (
            "ended", date(2028, 3, 31), "renewer", "signed", "ended")
        assert settled.detail == {"cause": "non_renewal", "reason": "不更新の申出", "scheduled": True}


def test_an_end_recorded_for_a_day_is_written_down_on_that_day(tmp_path, cfg):
    """終了予定 for 31 March: not yet on the 30th, written down on the 31st itself (あと0日 is the day)."""
    with open_new(tmp_path) as reg:
        first = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社一")
        second = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社二")
        for aid in (first, second):
            end(reg, aid, on=date(2027, 3, 31), cause="notice", reason="解約の申入れ", actor="x",
                today=date(2026, 9, 1), notice_on=date(2026, 9, 1))
        assert settle_ends(reg, today=date(2027, 3, 30), actor="x") == []
        assert settle_ends(reg, today=date(2027, 3, 31), actor="x") == [first, second]
        with reg.snapshot() as conn:
            assert [getattr(fetch_agreement(conn, aid), "status", None) for aid in (first, second)] == ["ended"] * 2
        assert settle_ends(reg, today=date(2027, 3, 31), actor="x") == []


def test_signing_records_its_details_the_items_once_and_refuses_saying_which_case(tmp_path, cfg):
    """Signing stores the term, the expiry, what the caller adds and the items (only where the case
    had none: items already written stay); signing twice names the case and its date; a correction
    keeps the old dates beside the new; a renewed case cannot be corrected."""
    rules = DateRules()
    with open_new(tmp_path) as reg:
        bare = add(reg, cfg, "株式会社項目なし")
        a = sign(reg, bare, on=date(2026, 6, 1), term="fiscal", actor="x", rules=rules,
                 extra={"meeting": "締結式"}, items=["健康増進に関すること", "その他"])
        assert (list(a.items), list(a.signed_items)) == (["健康増進に関すること", "その他"],) * 2
        with reg.snapshot() as conn:
            assert events_for(conn, bare)[-1].detail == {
                "term": "fiscal", "expires_on": "2027-03-31", "meeting": "締結式",
                "items": ["健康増進に関すること", "その他"]}
        written = add(reg, cfg, "株式会社項目あり")
        update_details(reg, written, actor="x", today=date(2026, 5, 1), changes={"items": ["既に書いた項目"]})
        assert list(sign(reg, written, on=date(2026, 6, 1), term="fiscal", actor="x", rules=rules,
                         items=["既定の項目"]).items) == ["既に書いた項目"]
        with pytest.raises(RegistryError) as err:
            sign(reg, bare, on=date(2026, 6, 2), term="fiscal", actor="x", rules=rules)
        assert err.value.message == (f"協定ID {bare} は既に締結済みです（締結日 2026-06-01）。"
                                     "締結日を訂正する場合は --correct を付けてください。")
        sign(reg, bare, on=date(2026, 6, 2), term="one-year", actor="x", rules=rules, correct=True)
        with reg.snapshot() as conn:
            assert events_for(conn, bare)[-1].detail == {
                "term": "one-year", "expires_on": "2027-06-01", "previous_signed_on": "2026-06-01",
                "previous_term": "fiscal", "previous_expires_on": "2027-03-31"}
        renew_due(reg, today=date(2027, 6, 3), actor="x", rules=rules)
        with pytest.raises(RegistryError) as err:
            sign(reg, bare, on=date(2026, 6, 3), term="fiscal", actor="x", rules=rules, correct=True)
        assert err.value.message == f"協定ID {bare} は既に更新または終了しているため、締結日を訂正できません。"


def test_a_step_recorded_on_a_case_is_an_event_and_nothing_else(tmp_path, cfg):
    """A judgement or a step of the flow is recorded as an event with its day, actor and detail;
    the agreement's columns stay; a case that does not exist is refused by its number."""
    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        with reg.snapshot() as conn:
            before = fetch_agreement(conn, aid)
        record_event(reg, aid, "step_done", on=date(2026, 6, 5), actor="suzuki", detail={"step": "notify"})
        with reg.snapshot() as conn:
            last = events_for(conn, aid)[-1]
            assert fetch_agreement(conn, aid) == before
        assert (last.kind, last.on_date, last.actor, last.detail) == (
            "step_done", date(2026, 6, 5), "suzuki", {"step": "notify"})
        with pytest.raises(RegistryError) as err:
            record_event(reg, 999, "step_done", on=date(2026, 6, 5), actor="suzuki", detail={})
        assert err.value.code == "not_found"


def test_each_refusal_of_an_end_names_the_case_and_the_dates(tmp_path, cfg):
    """Ending twice, ending again a case whose end is recorded, a notice before the signing: each is
    refused saying which case and which dates, and nothing changes; a notice given on the signing
    day itself is accepted."""
    with open_new(tmp_path) as reg:
        ended = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社終了")
        end(reg, ended, on=date(2027, 3, 31), cause="non_renewal", reason="不更新の申出", actor="x")
        with pytest.raises(RegistryError) as err:
            end(reg, ended, on=date(2027, 3, 31), cause="non_renewal", reason="再度", actor="x")
        assert err.value.message == f"協定ID {ended} は既に終了しています（終了日 2027-03-31）。何も変更していません。"
        ending = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社終了予定")
        end(reg, ending, on=date(2027, 3, 31), cause="notice", reason="解約の申入れ", actor="x",
            today=date(2026, 9, 1), notice_on=date(2026, 9, 1))
        with pytest.raises(RegistryError) as err:
            end(reg, ending, on=date(2027, 1, 31), cause="notice", reason="再度", actor="x", today=date(2026, 9, 2))
        assert err.value.message == (f"協定ID {ending} は 2027-03-31 に終了することが記録済みです（終了予定）。"
                                     "何も変更していません。")
        early = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社申入れ")
        with pytest.raises(RegistryError) as err:
            end(reg, early, on=date(2026, 12, 31), cause="notice", reason="解約の申入れ", actor="x",
                notice_on=date(2026, 5, 31))
        assert err.value.message == "解約の通知（2026-05-31）が締結（2026-06-01）より前になっています。"
        assert end(reg, early, on=date(2026, 12, 31), cause="notice", reason="解約の申入れ", actor="x",
                   notice_on=date(2026, 6, 1)).status == "ended"
        with pytest.raises(ValueError, match="'expired'"):
            end(reg, early, on=date(2026, 12, 31), cause="expired", reason="r", actor="x")


def test_results_are_kept_as_given_and_each_refusal_says_why(tmp_path, cfg):
    """A result keeps its content and department, is public unless said otherwise, and its event
    (dated the day it was done, else the day it was recorded) names it; a bulk import says where
    each result came from.  Days on the fiscal year's edges (1 April, 31 March) belong to it."""
    with open_new(tmp_path) as reg:
        unsigned = add(reg, cfg, "株式会社未締結")
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        first = add_result(reg, aid, fy=2026, item=1, title=" 健康講座 ", actor="x", today=date(2026, 9, 1),
                           done_on=date(2026, 4, 1), content="3回開催", department="市民生活部 地域活動推進課")
        assert (first.title, first.content, first.department, first.public) == (
            "健康講座", "3回開催", "市民生活部 地域活動推進課", True)
        last = add_result(reg, aid, fy=2026, item=1, title="年度末の報告", actor="x", today=date(2027, 4, 5),
                          done_on=date(2027, 3, 31))
        undated = add_result(reg, aid, fy=2026, item=2, title="相談会", actor="x", today=date(2026, 10, 1))
        [ids] = [add_results(reg, [NewResult(aid, 2026, 1, "調査票から", date(2026, 11, 1), "内容", "保健所 保健総務課",
                                             public=False, via="survey.xlsx")], actor="y", today=date(2027, 4, 10))]
        with reg.snapshot() as conn:
            added = [e for e in events_for(conn, aid) if e.kind == "result_added"]
            surveyed = [r for r in results_for(conn, aid) if r.id == ids[0]][0]
        assert [(e.on_date, e.detail) for e in added] == [
            (date(2026, 4, 1), {"result_id": first.id, "fiscal_year": 2026, "item": 1, "title": "健康講座",
                                "public": True}),
            (date(2027, 3, 31), {"result_id": last.id, "fiscal_year": 2026, "item": 1, "title": "年度末の報告",
                                 "public": True}),
            (date(2026, 10, 1), {"result_id": undated.id, "fiscal_year": 2026, "item": 2, "title": "相談会",
                                 "public": True}),
            (date(2026, 11, 1), {"result_id": ids[0], "fiscal_year": 2026, "item": 1, "title": "調査票から",
                                 "public": False, "via": "survey.xlsx"})]
        assert (surveyed.done_on, surveyed.content, surveyed.department, surveyed.public) == (
            date(2026, 11, 1), "内容", "保健所 保健総務課", False)
        outside = "は 令和8年度（2026-04-01〜2027-03-31）に含まれません。"
        refusals = [
            (lambda: add_result(reg, unsigned, fy=2026, item=1, title="t", actor="x", today=date(2026, 7, 1)),
             f"協定ID {unsigned} はまだ締結されていないため、実績を登録できません。"),
            (lambda: add_result(reg, aid, fy=2026, item=1, title="t", actor="x", today=date(2026, 7, 1),
                                done_on=date(2026, 3, 31)), f"実施日 2026-03-31 {outside}"),
            (lambda: add_results(reg, [NewResult(aid, 2026, 1, "t", date(2027, 4, 1))], actor="x",
                                 today=date(2027, 4, 2)), f"実施日 2027-04-01 {outside}"),
            (lambda: add_result(reg, aid, fy=26, item=1, title="t", actor="x", today=date(2026, 7, 1)),
             "年度 26 は扱えません（西暦の開始年で指定してください。例: 令和8年度 → 2026）。"),
            (lambda: add_result(reg, aid, fy=2026, item=0, title="t", actor="x", today=date(2026, 7, 1)),
             "連携事項の番号 0 がありません（この協定の連携事項は 1〜?）。"),
            (lambda: remove_result(reg, 999, actor="x", today=date(2026, 7, 1)), "実績ID 999 は登録されていません。"),
        ]
        for action, said in refusals:
            with pytest.raises(RegistryError) as err:
                action()
            assert err.value.message == said
        with reg.snapshot() as conn:
            assert len(results_for(conn, aid)) == 4


@pytest.mark.parametrize(("env", "actor"), [({"USERNAME": "tanaka", "USER": "linux"}, "tanaka"),
                                            ({"USER": "suzuki"}, "suzuki"), ({}, "unknown")])
def test_without_a_user_database_entry_the_actor_is_the_windows_user_else_the_login_name(monkeypatch, env, actor):
    """In a container the operating system may know no user (getpass fails): the environment says who."""
    import getpass

    def no_entry() -> str:
        raise KeyError("getpwuid(): uid not found: 1000")

    monkeypatch.setattr(getpass, "getuser", no_entry)
    for name in ("USERNAME", "USER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_actor() == actor


def test_details_are_stored_as_given_and_the_edit_lists_old_and_new(tmp_path, cfg):
    """Yes/no details given as 1/0 (a form, a spreadsheet) are stored and listed as yes/no; items are
    kept in the registry file as readable Japanese (other tools open it); an entry that cannot be
    edited is refused by name."""
    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        a = update_details(reg, aid, actor="x", today=date(2026, 6, 2),
                           changes={"review_exempt": 1, "auto_renew": 0, "items": ["健康増進に関すること"]})
        assert (a.review_exempt, a.auto_renew, list(a.items)) == (True, False, ["健康増進に関すること"])
        with reg.snapshot() as conn:
            edited = events_for(conn, aid)[-1]
            raw = conn.execute("SELECT items FROM agreements WHERE id = ?", (aid,)).fetchone()[0]
        assert edited.detail["review_exempt"] == [False, True] and edited.detail["auto_renew"] == [True, False]
        assert "健康増進に関すること" in raw
        with pytest.raises(ValueError, match="'status'"):
            update_details(reg, aid, actor="x", today=date(2026, 6, 2), changes={"status": "ended"})


# -- vocab ---------------------------------------------------------------------------------------


@pytest.fixture
def own_kept_file(tmp_path, monkeypatch):
    """compile_kept with its own kept file, as a new process sees it."""
    from kyotei_docs import kept, vocab

    monkeypatch.setattr(kept, "path", lambda name: str(tmp_path / f"kept.{name}"))
    monkeypatch.setattr(vocab, "_kept", None)
    monkeypatch.setattr(vocab, "_new", {})
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return tmp_path


def test_a_kept_pattern_is_used_as_kept_and_never_parsed_again(own_kept_file, monkeypatch):
    """The next run takes each pattern's code from the file: re's parser is not called at all (a
    parse that failed and fell back to re.compile would read the same, so the calls are counted)."""
    from kyotei_docs import vocab

    written = [(r"(?P<era>令和|平成)[\s\u3000]*(?P<y>\d+|元)年", 0), (r"tel|fax", re.I), (r"^\s*$", re.M)]
    for source, flags in written:
        vocab.compile_kept(source, flags)
    vocab._keep()
    monkeypatch.setattr(vocab, "_kept", None)
    monkeypatch.setattr(vocab, "_new", {})
    parsed: list[str] = []
    real_parse = re._parser.parse  # type: ignore[attr-defined]
    def counted_parse(source, *args):
        parsed.append(source)
        return real_parse(source, *args)

    monkeypatch.setattr(re._parser, "parse", counted_parse)  # type: ignore[attr-defined]
    compiled = [vocab.compile_kept(source, flags) for source, flags in written]
    assert parsed == [] and vocab._new == {}
    assert compiled[0].search("令和 8年").group("y") == "8"  # type: ignore[union-attr]
    assert compiled[1].flags & re.I and compiled[2].findall("a\n  \nb") == ["  "]
    assert vocab.compile_kept(r"\d+").pattern == r"\d+" and parsed == [r"\d+"]  # a new one is parsed, flags 0


def test_the_kept_file_starts_afresh_only_past_its_limit(own_kept_file, monkeypatch):
    from kyotei_docs import kept, vocab

    monkeypatch.setattr(vocab, "_KEPT_MAX", 3)

    def run(*sources: str) -> set[str]:
        monkeypatch.setattr(vocab, "_kept", None)
        monkeypatch.setattr(vocab, "_new", {})
        for source in sources:
            vocab.compile_kept(source)
        vocab._keep()
        return {source for source, _ in kept.read(vocab._kept_name())}

    assert run("a", "b") == {"a", "b"}
    assert run("c") == {"a", "b", "c"}  # three: at the limit, all kept
    assert run("d") == {"d"}  # four would be past it: started afresh


def test_a_label_is_written_as_one_when_no_blank_is_inside():
    assert vocab_written_as_one("担当部署・氏名") and vocab_written_as_one("　担当部署・氏名 \t")
    assert not vocab_written_as_one("部署名　　担当者氏名") and not vocab_written_as_one("部署名 氏名")


@pytest.mark.parametrize(("written", "field"), [
    ("①", "災害対策"), ("④", "福祉・医療・健康"), ("(4)", "福祉・医療・健康"), ("⑪", "子育て"), ("⑫", None), ("⓪", None),
    ("④福祉・医療・健康", "福祉・医療・健康"), ("環境の分野", "環境"), ("健康増進", "福祉・医療・健康"),
    ("環境教育", None),  # touches 環境 and 教育・文化・スポーツ: not clear enough
    ("防災", None),
])
def test_a_field_is_named_by_its_number_its_name_or_a_part_that_is_its_alone(written, field):
    assert resolve_field(written) == field


def test_a_text_may_be_form1_only_with_a_word_of_form1():
    assert may_be_form1("連携協定に関する提案書") and not may_be_form1("請求書　令和8年4月1日")


def test_a_submission_is_kept_readable_with_what_the_check_found_and_a_second_copy_is_named(tmp_path, cfg):
    """The registry file keeps each submission's proposal, errors and findings as readable Japanese
    (other tools open it), and the agreement's fields too; the same file again is a duplicate of
    that case, by name."""
    with open_new(tmp_path) as reg:
        sub = submission("dup")
        first = register(reg, checked(cfg, "株式会社重複", complete=False), municipality=cfg.municipality,
                         submission=sub, actor="x", today=date(2026, 4, 10))
        again = register(reg, checked(cfg, "株式会社重複", complete=False), municipality=cfg.municipality,
                         submission=sub, actor="x", today=date(2026, 4, 11))
        assert (first.created, first.organisation, first.role, first.possible) == (True, "株式会社重複", "original", False)
        assert (again.agreement_id, again.duplicate, again.created, again.role, again.possible, again.organisation) == (
            first.agreement_id, True, False, "original", False, "株式会社重複")
        with reg.snapshot() as conn:
            kept = conn.execute("SELECT errors, findings, proposal, format FROM submissions WHERE sha256 = ?",
                                (sub.sha256,)).fetchone()
            columns = conn.execute("SELECT fields, proposal FROM agreements WHERE id = ?", (first.agreement_id,)).fetchone()
            received = events_for(conn, first.agreement_id)[0]
        missing = "連絡先のメールアドレスが記入されていません。"
        assert kept["errors"] == f'["{missing}"]' and kept["format"] == "docx"
        assert kept["findings"] == ('{"errors": [{"code": "missing_required", "field": "contact.email", '
                                    f'"message": "{missing}", "params": {{"label": "連絡先のメールアドレス"}}}}], "review": []}}')
        assert '"name": "株式会社重複"' in kept["proposal"] and '"name": "株式会社重複"' in columns["proposal"]
        assert columns["fields"] == '["福祉・医療・健康", "子育て"]'
        assert {k: received.detail[k] for k in ("sha256", "file", "valid", "role")} == {
            "sha256": sub.sha256, "file": "dup.docx", "valid": False, "role": "original"}


def test_an_end_for_a_later_day_is_scheduled_and_one_for_today_ends_now(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        later = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社予定")
        a = end(reg, later, on=date(2027, 3, 31), cause="notice", reason=" 解約の申入れ ", actor="x",
                today=date(2026, 9, 1), notice_on=date(2026, 8, 31))
        assert (a.status, a.ended_on) == ("signed", date(2027, 3, 31))
        today = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社本日")
        assert end(reg, today, on=date(2026, 9, 1), cause="notice", reason="r", actor="x",
                   today=date(2026, 9, 1)).status == "ended"
        with reg.snapshot() as conn:
            scheduled = events_for(conn, later)[-1]
        assert (scheduled.kind, scheduled.on_date, scheduled.detail) == ("end_scheduled", date(2026, 9, 1), {
            "cause": "notice", "reason": "解約の申入れ", "ends_on": "2027-03-31", "notice_on": "2026-08-31"})
        with pytest.raises(RegistryError) as err:
            end(reg, add_signed(reg, cfg, date(2026, 6, 1), name="株式会社前日"), on=date(2026, 5, 31),
                cause="notice", reason="r", actor="x")
        assert err.value.message == "終了（2026-05-31）が締結（2026-06-01）より前になっています。"


@pytest.mark.parametrize(("changes", "title"), [
    ({"name": "", "kind": "comprehensive"}, "旭川市と（相手方未記入）との包括連携協定"),
    ({"name": "株式会社個別", "kind": "individual", "fields": ("子育て",), "axis": None}, "旭川市と株式会社個別との子育てに関する連携協定"),
    ({"name": "株式会社個別", "kind": "individual", "fields": ("その他",), "axis": None, "other": " 宇宙  開発 "},
     "旭川市と株式会社個別との宇宙 開発に関する連携協定"),
    ({"name": "株式会社個別", "kind": "individual", "fields": (), "axis": None}, "旭川市と株式会社個別との連携に関する連携協定"),
])
def test_the_agreement_title_names_the_partner_and_the_subject(changes, title):
    p = make_proposal(changes["name"], kind=changes["kind"], fields=changes.get("fields", ("福祉・医療・健康", "子育て")),
                      axis=changes.get("axis", True))
    p.other_field_text = changes.get("other")
    assert agreement_title("旭川市", p) == title


# -- extract/options -----------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "fields"), [
    ("連携の分野：観光、スポーツ", ["教育・文化・スポーツ", "観光・魅力発信"]),  # in the guideline's order
    ("連携の分野：観光・魅力発信、教育・文化・スポーツ（体験教室）", ["教育・文化・スポーツ", "観光・魅力発信"]),
    ("連携の分野：環境", ["環境"]),
    ("連携の分野：観光、宇宙", []),  # a word naming no field: nothing is guessed, the fields are asked for
])
def test_fields_retyped_in_short_are_read_only_when_every_word_names_one(written, fields):
    prop = extract(doc(*HEADER, "連携協定の種別：包括連携協定", written, "主軸分野の有無：無", "協定締結の目的：目的。"))
    assert prop.fields == fields

FIELD_NAMES = ["災害対策", "環境", "土木建設維持管理", "福祉・医療・健康", "教育・文化・スポーツ", "産業・商業",
          "地域活性化・まちづくり", "人材育成", "安全・交通", "観光・魅力発信", "子育て"]


def _type_grid(*rows: list[str]):
    """The agreement type asked in a table: each row's cells from column 0, in reading order."""
    cells = [cell(text, r, c) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return extract(doc(*HEADER, *cells, "連携の分野：☑環境　☐子育て", *TEXTS, *CONTACT))


@pytest.mark.parametrize(("rows", "ticked"), [
    # the options in a row of their own, a mark cell after each (the last one blank)
    ((["連携協定の種別"], ["個別連携協定", "○", "包括連携協定", ""]), ["individual"]),
    # a mark cell after every option (the last one an unticked box), a blank cell before the first
    ((["連携協定の種別", "", "個別連携協定", "○", "包括連携協定", "☐"],), ["individual"]),
    # a mark cell before every option (the first an unticked box), a blank cell after the last
    ((["連携協定の種別", "☐", "個別連携協定", "○", "包括連携協定", ""],), ["comprehensive"]),
])
def test_a_mark_cell_between_two_options_belongs_to_the_side_the_row_keeps(rows, ticked):
    prop = _type_grid(*rows)
    assert prop.types_ticked == ticked
    assert not [d for d in prop.doubts if d.field == "agreement_type"]


def test_a_mark_cell_between_two_options_with_no_side_kept_is_left_to_a_person():
    # 「個別｜○｜包括」 alone: the ○ may close 個別 or open 包括
    prop = _type_grid(["連携協定の種別"], ["個別連携協定", "○", "包括連携協定"])
    assert prop.agreement_type is None and prop.types_ticked == []
    assert [(d.field, d.original) for d in prop.doubts] == [("agreement_type", "○")]


@pytest.mark.parametrize(("written", "text"), [
    ("☐環境　☑その他　（農業体験）", "農業体験"),           # a space before the bracket
    ("☐環境　☑その他（農業体験）※（　）内に記入", "農業体験"),  # a note with brackets of its own after it
])
def test_the_other_fields_own_words_are_what_its_brackets_hold(written, text):
    prop = extract(form("連携の分野", written))
    assert prop.fields == ["その他"]
    assert prop.other_field_text == text


def test_the_other_field_unticked_with_empty_brackets_has_no_text():
    prop = extract(form("連携の分野", "☑環境　☐その他（　）"))
    assert prop.fields == ["環境"] and prop.other_field_text is None


@pytest.mark.parametrize("kept", [1, 2, 8])
def test_fields_kept_where_the_rest_were_deleted_are_the_choice(kept):
    prop = extract(form("連携協定の種別（不要なものは削除すること）", "包括連携協定",
                        "連携の分野（不要なものは削除すること）", "　".join(FIELD_NAMES[:kept]), "主軸分野の有無", "無"))
    assert prop.agreement_type == "comprehensive"
    assert prop.fields == FIELD_NAMES[:kept]


@pytest.mark.parametrize("kept", [9, 10, 11])
def test_nearly_every_field_left_is_the_printed_list_not_a_choice(kept):
    prop = extract(form("連携協定の種別（不要なものは削除すること）", "包括連携協定",
                        "連携の分野（不要なものは削除すること）", "　".join(FIELD_NAMES[:kept]), "主軸分野の有無", "無"))
    assert prop.fields == []


def test_every_field_left_unstruck_where_only_other_was_struck_is_read_as_chosen():
    prop = extract(form("連携の分野（不要なものを二重線で消すこと）", "　".join(FIELD_NAMES) + "　~~その他（　）~~"))
    assert prop.fields == FIELD_NAMES


@pytest.mark.parametrize("written", ["主軸分野の有無：有　主軸分野：子育て", "主軸分野の有無：有　（主軸分野：子育て）",
                                     "主軸分野の有無：有（子育て）"])
def test_has_an_axis_retyped_with_its_field_after_it(written):
    prop = extract(doc(*HEADER, "連携協定の種別：包括連携協定", "連携の分野：環境、子育て", written, "協定締結の目的：目的。"))
    assert prop.axis.present is True and prop.axis.field == "子育て"


def test_a_mark_cell_between_two_options_takes_the_side_the_tables_other_rows_keep():
    # 「個別｜○｜包括」 says nothing by itself; the next row puts each mark after its option
    prop = _type_grid(["連携協定の種別"], ["個別連携協定", "○", "包括連携協定"], ["環境", "☐", "子育て", "☐"])
    assert prop.types_ticked == ["individual"]


def test_fields_under_a_heading_repeated_on_a_new_page_are_all_read():
    prop = extract(form("連携の分野", "環境", "連携の分野", "子育て"))
    assert prop.fields == ["環境", "子育て"]


def test_the_report_says_the_fields_and_the_other_fields_words_came_from_the_marks():
    prop = extract(form("連携協定の種別", "☐個別連携協定　☑包括連携協定", "連携の分野", "☑環境　☐子育て　☑その他（農業体験）"))
    assert (prop.fields, prop.other_field_text) == (["環境", "その他"], "農業体験")
    assert {k: prop.sources[k] for k in ("agreement_type", "fields", "other_field_text")} == {
        "agreement_type": "docx:glyph", "fields": "docx:glyph", "other_field_text": "docx:glyph"}
    prop = extract(form("連携の分野", "環境（○）　子育て（　）"))
    assert prop.fields == ["環境"] and prop.sources["fields"] == "docx:glyph"


def test_a_box_between_two_options_read_against_the_forms_other_lines_is_left_to_a_person():
    # every other line puts its box before the option (「☑環境」); 「個別連携協定☑　包括連携協定」
    # reads 個別 by its glue but 包括 by the form: a person decides, the reader does not guess
    prop = extract(form("連携協定の種別", "個別連携協定☑　包括連携協定", "連携の分野", "☑環境　☐子育て",
                        "主軸分野の有無", "☐有　☑無"))
    assert prop.agreement_type is None and prop.types_ticked == []
    assert [(d.code, d.field, d.original) for d in prop.doubts] == [
        ("review_unplaced_text", "agreement_type", "個別連携協定☑ 包括連携協定")]
    assert prop.fields == ["環境"] and prop.axis.present is False


@pytest.mark.parametrize(("lines", "fields"), [
    (("連携の分野", "環境（ ○ ）　子育て（　 ）"), ["環境"]),  # spaces inside the brackets
    (("連携の分野（不要なものを消すこと）", "~~環境（　）~~　子育て（○）"), ["子育て"]),  # an option struck with its brackets
])
def test_brackets_after_their_options_are_their_boxes(lines, fields):
    prop = extract(form(*lines))
    assert prop.fields == fields and prop.doubts == []
    assert prop.sources["fields"] == "docx:glyph"  # read from the marks, not from what striking left


def test_brackets_set_apart_from_every_option_are_left_to_a_person():
    # 「環境　（　）　子育て　（○）」: is （○） 環境's box or 子育て's? nothing glues it to either
    prop = extract(form("連携の分野", "環境　（　）　子育て　（○）"))
    assert prop.fields == []
    assert [(d.code, d.field) for d in prop.doubts] == [("review_unplaced_text", "fields")]


def test_circles_asked_for_by_the_instruction_count_even_on_most_options():
    prop = extract(form("連携協定の種別（該当するものに○）", "○包括連携協定", "連携の分野（該当するものに○）",
                        "○環境　○子育て　人材育成"))
    assert prop.agreement_type == "comprehensive" and prop.fields == ["環境", "子育て"]
    assert prop.doubts == [] and prop.sources["agreement_type"] == "docx:glyph"


def test_a_content_control_box_ticked_on_a_struck_option_is_quoted_as_the_form_shows_it():
    from kyotei_docs.form import Block, Box, Text, lines_from_pieces

    line = Block(lines_from_pieces([Box(True, "docx:sdt"), Text("個別連携協定", "docx:text", True), Text("　", "docx:text"),
                                    Box(False, "docx:sdt"), Text("包括連携協定", "docx:text")]), "docx:text")
    prop = extract(doc(*HEADER, "連携協定の種別", line, *TEXTS, *CONTACT))
    assert [(d.code, d.field, d.original) for d in prop.doubts] == [
        ("review_mark_conflict", "agreement_type", "☑~~個別連携協定~~\u3000☐包括連携協定")]


def test_circles_glued_to_options_on_both_sides_are_left_to_a_person_not_read_from_the_rest():
    # 「○環境　子育て○」: before 環境 or after 子育て? the struck 人材育成 must not make the rest a choice
    prop = extract(form("連携の分野", "○環境　子育て○　~~人材育成~~"))
    assert prop.fields == []
    assert [(d.code, d.field) for d in prop.doubts] == [("review_unplaced_text", "fields")]


def test_fields_struck_under_the_first_of_two_headings_keep_the_rest_as_chosen():
    prop = extract(form("連携の分野（不要なものを二重線で消すこと）", "　".join(FIELD_NAMES) + "　~~その他（　）~~",
                        "連携の分野", "（裏面に続く）"))
    assert prop.fields == FIELD_NAMES


@pytest.mark.parametrize("written", ["有　主軸分野　子育て", "有主軸分野：子育て"])
def test_has_an_axis_retyped_on_its_own_line_with_the_field_named_after_it(written):
    prop = extract(form("連携協定の種別", "包括連携協定", "主軸分野の有無", written))
    assert prop.agreement_type == "comprehensive"
    assert prop.axis.present is True


def test_boxes_typed_after_options_each_on_its_own_line():
    prop = extract(form("連携協定の種別", "個別連携協定　☐", "包括連携協定　☑"))
    assert prop.agreement_type == "comprehensive" and prop.doubts == []


def test_circles_typed_after_some_options_of_a_line():
    prop = extract(form("連携の分野", "環境〇　子育て　人材育成〇"))
    assert prop.fields == ["環境", "人材育成"] and prop.doubts == []


@pytest.mark.parametrize(("fields_row", "ticked"), [
    (["", "環境", "", "子育て", "☐"], ["individual"]),      # a mark cell only after the last field: marks follow
    (["", "環境", "☐", "", "子育て", ""], ["individual"]),  # a mark cell after a field, none before any
    (["環境", "", "☐", "子育て"], ["comprehensive"]),        # a mark cell only before the last field: marks precede
    (["☐", "環境", "", "子育て", ""], ["comprehensive"]),    # a mark cell before the first field
])
def test_the_side_of_a_mark_cell_between_two_options_follows_the_tables_fields_row(fields_row, ticked):
    prop = _type_grid(["連携協定の種別"], ["個別連携協定", "○", "包括連携協定"], ["連携の分野"], fields_row)
    assert prop.types_ticked == ticked


def test_a_ticked_box_struck_through_in_a_cell_of_its_own_is_asked_about():
    prop = _type_grid(["連携協定の種別", "~~☑~~", "個別連携協定", "☐", "包括連携協定"])
    assert [(d.code, d.field) for d in prop.doubts] == [("review_mark_conflict", "agreement_type")]


@pytest.mark.parametrize(("written", "fields"), [
    ("（　）環境、（○）子育て、（　）人材育成", ["子育て"]),  # brackets before their options, 「、」 between
    ("（○）環境、（　）子育て", ["環境"]),
    ("環境（　）、子育て（○）、人材育成（　）", ["子育て"]),  # brackets after their options
])
def test_brackets_separated_by_commas_belong_to_the_option_they_touch(written, fields):
    prop = extract(form("連携の分野", written))
    assert prop.fields == fields and prop.doubts == []
