"""Tests for kyotei_docs.era: the spec is docs/domain.md §2."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyotei_docs.era import (
    ERAS,
    WARN_HEISEI_AFTER_END,
    WARN_WEEKDAY_MISMATCH,
    DateParseError,
    ParsedDate,
    era_of,
    fiscal_year,
    fiscal_year_end,
    fiscal_year_start,
    format_era_year,
    format_fiscal_year,
    format_wareki,
    parse_date,
    to_fullwidth_digits,
)

HEISEI_START = date(1989, 1, 8)
LAST_TESTED_DAY = date(2100, 12, 31)
NOV_20_2026 = date(2026, 11, 20)  # a Friday (金)

_KANJI = "〇一二三四五六七八九"


def kanji_numeral(n: int) -> str:
    """1–99 in the unit spelling used on documents: 十, 十一, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _KANJI[tens] + "十")
    return head + (_KANJI[ones] if ones else "")


def spell_in_kanji(d: date) -> str:
    """An era date with kanji numerals, e.g. 令和八年十一月二十日."""
    era = era_of(d)
    year = d.year - era.first_year + 1
    year_text = "元" if year == 1 else kanji_numeral(year)
    return f"{era.name}{year_text}年{kanji_numeral(d.month)}月{kanji_numeral(d.day)}日"


def insert_spaces(text: str, positions: list[int], spaces: list[str]) -> str:
    """Insert the given space strings before the given character positions."""
    chars = list(text)
    for pos, space in sorted(zip(positions, spaces), reverse=True):
        chars.insert(pos % (len(chars) + 1), space)
    return "".join(chars)


# --------------------------------------------------------------------------
# Accepted spellings
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "era"),
    [
        ("令和8年11月20日", NOV_20_2026, "令和"),
        ("令和８年１１月２０日", NOV_20_2026, "令和"),
        ("令和八年十一月二十日", NOV_20_2026, "令和"),
        ("令和08年11月20日", NOV_20_2026, "令和"),
        ("R8.11.20", NOV_20_2026, "令和"),
        ("r8.11.20", NOV_20_2026, "令和"),
        ("R8/11/20", NOV_20_2026, "令和"),
        ("R8-11-20", NOV_20_2026, "令和"),
        ("Ｒ８．１１．２０", NOV_20_2026, "令和"),
        ("R8年11月20日", NOV_20_2026, "令和"),
        ("㋿8年11月20日", NOV_20_2026, "令和"),
        ("2026年11月20日", NOV_20_2026, None),
        ("２０２６年１１月２０日", NOV_20_2026, None),
        ("二〇二六年十一月二十日", NOV_20_2026, None),
        ("2026/11/20", NOV_20_2026, None),
        ("2026/1/5", date(2026, 1, 5), None),
        ("2026-11-20", NOV_20_2026, None),
        ("2026.11.20", NOV_20_2026, None),
        ("２０２６／１１／２０", NOV_20_2026, None),
        ("H31.4.30", date(2019, 4, 30), "平成"),
        ("h31/4/30", date(2019, 4, 30), "平成"),
        ("S64.1.7", date(1989, 1, 7), "昭和"),
        ("s64.1.7", date(1989, 1, 7), "昭和"),
        ("T15.12.24", date(1926, 12, 24), "大正"),
        ("M45.7.29", date(1912, 7, 29), "明治"),
        ("令和7年3月31日", date(2025, 3, 31), "令和"),
        ("令和九年三月三十一日", date(2027, 3, 31), "令和"),
        ("令和八年十月十日", date(2026, 10, 10), "令和"),
        ("令和二十年一月一日", date(2038, 1, 1), "令和"),
    ],
)
def test_accepted_spellings(text: str, expected: date, era: str | None) -> None:
    assert parse_date(text) == ParsedDate(expected, era, ())


@pytest.mark.parametrize("year_one", ["元", "1", "１", "一", "01"])
def test_year_one_spellings(year_one: str) -> None:
    parsed = parse_date(f"令和{year_one}年5月1日")
    assert parsed is not None
    assert parsed.date == date(2019, 5, 1)


@pytest.mark.parametrize("text", ["R元.5.1", "r元/5/1", "H元.1.8"])
def test_gannen_in_separated_form(text: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None and parsed.date in {date(2019, 5, 1), date(1989, 1, 8)}


@pytest.mark.parametrize(
    "text",
    [
        " 令和 8 年 11 月 20 日 ",
        "令和\u30008年\u300011月\u300020日",
        "令 和８年１１月　２０日",
        "R 8 . 11 . 20",
        "2026 / 11 / 20",
        "\u30002026年11月20日\t",
        "2 026年11月20日",
    ],
)
def test_spaces_anywhere(text: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None and parsed.date == NOV_20_2026


@pytest.mark.parametrize(
    "suffix",
    ["（金）", "(金)", "（金曜日）", "(金曜)", "　（金）", "金曜日", "（金・祝）", "（　）", "()"],
)
def test_weekday_suffix_is_accepted(suffix: str) -> None:
    assert parse_date("令和8年11月20日" + suffix) == ParsedDate(NOV_20_2026, "令和", ())


def test_weekday_suffix_on_separated_form() -> None:
    assert parse_date("2026/11/20(金)") == ParsedDate(NOV_20_2026, None, ())


def test_wrong_weekday_is_a_warning_not_an_error() -> None:
    parsed = parse_date("令和8年11月20日（土）")
    assert parsed is not None
    assert parsed.date == NOV_20_2026
    assert parsed.warnings == (WARN_WEEKDAY_MISMATCH,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和8年1月十日", date(2026, 1, 10)),
        ("令和8年1月十一日", date(2026, 1, 11)),
        ("令和8年1月二十日", date(2026, 1, 20)),
        ("令和8年1月三十一日", date(2026, 1, 31)),
        ("令和8年十二月一日", date(2026, 12, 1)),
        ("令和8年一〇月一日", date(2026, 10, 1)),
        ("二千二十六年一月一日", date(2026, 1, 1)),
        ("二〇二六年一月三〇日", date(2026, 1, 30)),
    ],
)
def test_kanji_numerals(text: str, expected: date) -> None:
    parsed = parse_date(text)
    assert parsed is not None and parsed.date == expected


# --------------------------------------------------------------------------
# Blanks and rejections
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u3000",
        "令和　年　月　日",
        "令和    年   月   日",
        "　年　月　日",
        "年月日",
        "●●年●●月●●日",
        "〇〇年〇月〇日",
        "令和〇年〇月〇日",
        "令和　年　月　日（　）",
        "令和＿＿年＿＿月＿＿日",
    ],
)
def test_blank_date_lines_are_none(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("令和8年2月30日", "invalid_date"),
        ("2026年2月29日", "invalid_date"),
        ("2026/13/01", "invalid_date"),
        ("令和8年11月32日", "invalid_date"),
        ("令和8年0月1日", "invalid_date"),
        ("令和0年5月1日", "invalid_date"),
        ("令和元年4月30日", "outside_era"),
        ("R1.4.30", "outside_era"),
        ("昭和64年1月8日", "outside_era"),
        ("S65.1.1", "outside_era"),
        ("平成元年1月7日", "outside_era"),
        ("大正15年12月25日", "outside_era"),
        ("明治5年12月2日", "outside_era"),  # lunisolar era: not convertible
        ("R2026.1.1", "outside_era"),  # western year behind an era initial
        ("平成100年1月1日", "outside_era"),
        ("平成99年1月1日", "outside_era"),  # would be 2087: no slip of an old form
        ("平成41年1月1日", "outside_era"),
        ("令和100年1月1日", "outside_era"),
        ("2026年11月" + "1" * 5000 + "日", "unrecognized"),
        ("令和8年　月　日", "incomplete"),
        ("　年11月20日", "incomplete"),
        ("令和●年11月●日", "incomplete"),
        ("8年11月20日", "missing_era"),
        ("元年5月1日", "missing_era"),
        ("hello", "unrecognized"),
        ("令和八", "unrecognized"),
        ("2026/11-20", "unrecognized"),
        ("26/11/20", "missing_era"),
        ("11/20", "unrecognized"),
        ("X8.11.20", "unrecognized"),
        ("令和八年十十月一日", "unrecognized"),
        ("令和8年二三十月1日", "unrecognized"),
        ("令和8年11月20日です", "unrecognized"),
        ("令和8年11月20日（金", "unrecognized"),
    ],
)
def test_rejections_have_a_reason(text: str, reason: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(text)
    assert info.value.reason == reason
    assert info.value.text == text


def test_date_parse_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_date("令和元年4月30日")


# --------------------------------------------------------------------------
# Era boundaries and the 平成-after-end exception
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "full", "ascii_text"),
    [
        (date(1989, 1, 7), "昭和６４年１月７日", "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年１月８日", "平成元年1月8日"),
        (date(2019, 4, 30), "平成３１年４月３０日", "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年５月１日", "令和元年5月1日"),
        (date(2019, 12, 31), "令和元年１２月３１日", "令和元年12月31日"),
        (date(2020, 1, 1), "令和２年１月１日", "令和2年1月1日"),
        (date(1926, 12, 25), "昭和元年１２月２５日", "昭和元年12月25日"),
        (date(1926, 12, 24), "大正１５年１２月２４日", "大正15年12月24日"),
    ],
)
def test_era_boundaries(day: date, full: str, ascii_text: str) -> None:
    assert format_wareki(day) == full
    assert format_wareki(day, digits="ascii") == ascii_text
    assert parse_date(full) == ParsedDate(day, full[:2], ())
    assert parse_date(ascii_text) == ParsedDate(day, full[:2], ())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("平成31年5月1日", date(2019, 5, 1)),
        ("H31.5.1", date(2019, 5, 1)),
        ("平成31年12月31日", date(2019, 12, 31)),
        ("平成32年1月1日", date(2020, 1, 1)),
        ("平成32年3月31日", date(2020, 3, 31)),
    ],
)
def test_heisei_after_end_is_converted_with_warning(text: str, expected: date) -> None:
    assert parse_date(text) == ParsedDate(expected, "平成", (WARN_HEISEI_AFTER_END,))


def test_heisei_last_day_has_no_warning() -> None:
    assert parse_date("平成31年4月30日") == ParsedDate(date(2019, 4, 30), "平成", ())


def test_heisei_after_end_and_wrong_weekday_both_warn() -> None:
    parsed = parse_date("平成31年5月1日（木）")  # 2019-05-01 was a Wednesday
    assert parsed is not None
    assert set(parsed.warnings) == {WARN_HEISEI_AFTER_END, WARN_WEEKDAY_MISMATCH}


def test_era_table_is_contiguous() -> None:
    for older, newer in zip(ERAS, ERAS[1:]):
        assert older.end is not None
        assert older.end + timedelta(days=1) == newer.start
        assert newer.first_year == newer.start.year
    assert ERAS[-1].end is None


def test_era_of_and_unsupported_dates() -> None:
    assert era_of(date(2019, 4, 30)).name == "平成"
    assert era_of(date(2019, 5, 1)).name == "令和"
    with pytest.raises(ValueError):
        era_of(date(1872, 12, 31))
    with pytest.raises(ValueError):
        format_wareki(date(1800, 1, 1))


# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------


def test_format_wareki_full_width_without_padding() -> None:
    assert format_wareki(date(2026, 12, 1)) == "令和８年１２月１日"
    assert format_wareki(date(2027, 3, 31)) == "令和９年３月３１日"
    assert format_wareki(date(2026, 12, 1), digits="ascii") == "令和8年12月1日"


def test_format_era_year() -> None:
    assert format_era_year(date(2026, 11, 20)) == "令和８年"
    assert format_era_year(date(2019, 5, 1)) == "令和元年"
    assert format_era_year(date(2019, 4, 30)) == "平成３１年"
    assert format_era_year(date(2038, 1, 1), digits="ascii") == "令和20年"


def test_format_rejects_unknown_digit_style() -> None:
    with pytest.raises(ValueError):
        format_wareki(date(2026, 1, 1), digits="kanji")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        format_fiscal_year(2026, digits="wide")  # type: ignore[arg-type]


def test_to_fullwidth_digits() -> None:
    assert to_fullwidth_digits("第12条 R8") == "第１２条 R８"
    assert to_fullwidth_digits("０１") == "０１"
    assert to_fullwidth_digits("0123456789") == "０１２３４５６７８９"


# --------------------------------------------------------------------------
# Fiscal years (年度)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (date(2026, 2, 15), 2025),
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), 2026),
        (date(2026, 12, 31), 2026),
        (date(2027, 1, 1), 2026),
        (date(2019, 4, 30), 2019),
        (date(2019, 5, 1), 2019),
    ],
)
def test_fiscal_year(day: date, fy: int) -> None:
    assert fiscal_year(day) == fy
    assert fiscal_year_start(day) == date(fy, 4, 1)
    assert fiscal_year_end(day) == date(fy + 1, 3, 31)


def test_fiscal_year_of_domain_example_is_reiwa_7() -> None:
    assert format_fiscal_year(fiscal_year(date(2026, 2, 15))) == "令和７年度"


@pytest.mark.parametrize(
    ("fy", "full", "ascii_text"),
    [
        (2025, "令和７年度", "令和7年度"),
        (2026, "令和８年度", "令和8年度"),
        (2019, "令和元年度", "令和元年度"),
        (2020, "令和２年度", "令和2年度"),
        (2018, "平成３０年度", "平成30年度"),
        (1989, "平成元年度", "平成元年度"),
        (1988, "昭和６３年度", "昭和63年度"),
        (2037, "令和１９年度", "令和19年度"),
    ],
)
def test_format_fiscal_year(fy: int, full: str, ascii_text: str) -> None:
    assert format_fiscal_year(fy) == full
    assert format_fiscal_year(fy, digits="ascii") == ascii_text


def test_fiscal_year_before_table_is_rejected() -> None:
    with pytest.raises(ValueError):
        format_fiscal_year(1850)


@given(st.dates(min_value=date(1900, 1, 1), max_value=LAST_TESTED_DAY))
def test_fiscal_year_contains_the_day(day: date) -> None:
    start, end = fiscal_year_start(day), fiscal_year_end(day)
    assert start <= day <= end
    assert (start.month, start.day, end.month, end.day) == (4, 1, 3, 31)
    assert end.year == start.year + 1 == fiscal_year(day) + 1


# --------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------


@given(st.dates(min_value=HEISEI_START, max_value=LAST_TESTED_DAY))
def test_round_trip_full_width(day: date) -> None:
    assert parse_date(format_wareki(day)) == ParsedDate(day, era_of(day).name, ())


@given(st.dates(min_value=HEISEI_START, max_value=LAST_TESTED_DAY))
def test_round_trip_ascii(day: date) -> None:
    assert parse_date(format_wareki(day, digits="ascii")) == ParsedDate(day, era_of(day).name, ())


@given(st.dates(min_value=date(1926, 12, 25), max_value=date(1989, 1, 7)))
def test_round_trip_showa(day: date) -> None:
    assert parse_date(format_wareki(day)) == ParsedDate(day, "昭和", ())


def test_round_trip_every_day_heisei_to_2100() -> None:
    """Exhaustive: ~41,000 days, both digit styles, no sampling gaps."""
    day = HEISEI_START
    while day <= LAST_TESTED_DAY:
        for digits in ("full", "ascii"):
            parsed = parse_date(format_wareki(day, digits=digits))
            assert parsed is not None and parsed.date == day and not parsed.warnings, day
        day += timedelta(days=1)


@given(st.dates(min_value=HEISEI_START, max_value=LAST_TESTED_DAY))
def test_round_trip_kanji_numerals(day: date) -> None:
    assert parse_date(spell_in_kanji(day)) == ParsedDate(day, era_of(day).name, ())


@given(st.dates(min_value=date(1873, 1, 1), max_value=LAST_TESTED_DAY))
def test_round_trip_latin_initials(day: date) -> None:
    era = era_of(day)
    year = day.year - era.first_year + 1
    for sep in "./-":
        text = f"{era.initial}{year}{sep}{day.month}{sep}{day.day}"
        assert parse_date(text) == ParsedDate(day, era.name, ())
        assert parse_date(text.lower()) == ParsedDate(day, era.name, ())


@given(st.dates(min_value=date(1000, 1, 1), max_value=LAST_TESTED_DAY))
def test_round_trip_gregorian(day: date) -> None:
    for text in (
        f"{day.year}年{day.month}月{day.day}日",
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
    ):
        assert parse_date(text) == ParsedDate(day, None, ())


@given(
    st.dates(min_value=HEISEI_START, max_value=LAST_TESTED_DAY),
    st.lists(st.integers(min_value=0, max_value=40), max_size=6),
    st.lists(st.sampled_from([" ", "\u3000", "  ", "\t"]), min_size=6, max_size=6),
)
def test_spaces_never_change_the_date(day: date, positions: list[int], spaces: list[str]) -> None:
    text = insert_spaces(format_wareki(day), positions, spaces)
    parsed = parse_date(text)
    assert parsed is not None and parsed.date == day


@given(st.dates(min_value=date(2019, 5, 1), max_value=LAST_TESTED_DAY))
def test_correct_weekday_suffix_never_warns(day: date) -> None:
    weekday = "月火水木金土日"[day.weekday()]
    parsed = parse_date(f"{format_wareki(day)}（{weekday}）")
    assert parsed == ParsedDate(day, "令和", ())


_DATE_ALPHABET = "0123456789０１２３４５６７８９元一二三十〇年月日令和平成昭RHSrhs./-（）()金曜　 ●"


#: every character but the surrogates — what st.text() draws from (its characters(codec="utf-8")), without
#: the table of the UTF-8 codec hypothesis builds on a fresh clone (every code point encoded: 1.7 s of CPU a worker)
_ANY_CHARACTER = st.characters(exclude_categories=["Cs"])


@given(st.one_of(st.text(_ANY_CHARACTER), st.text(alphabet=_DATE_ALPHABET, max_size=20)))
def test_parse_date_only_ever_raises_date_parse_error(text: str) -> None:
    try:
        parsed = parse_date(text)
    except DateParseError as exc:
        assert exc.reason in {
            "unrecognized", "invalid_date", "outside_era", "incomplete", "missing_era"
        }
    else:
        assert parsed is None or isinstance(parsed.date, date)


def test_heisei_overrun_is_bounded_and_says_why() -> None:
    """平成38年 (an old form filled in 2026) is converted with a warning; 平成99年 (2087) is refused, saying why."""
    assert parse_date("平成40年12月31日") == ParsedDate(date(2028, 12, 31), "平成", (WARN_HEISEI_AFTER_END,))
    with pytest.raises(DateParseError) as info:
        parse_date("平成99年1月1日")
    assert info.value.why() == ("平成は2019年4月30日までです。平成99年は2087年（令和69年）にあたり、旧元号の書き誤りとしても"
                                "遠すぎるため日付として扱いません。令和か西暦で書いてください。")


def test_first_year_without_an_era_is_named_as_written() -> None:
    """「元年5月1日」: the sentence says 元年 (not 「1年だけでは」) and how to write it."""
    with pytest.raises(DateParseError) as info:
        parse_date("元年5月1日")
    assert info.value.why().startswith("「元年」だけでは、どの元号の元年か決まりません（令和元年")
    with pytest.raises(DateParseError) as info:
        parse_date("8年5月1日")
    assert info.value.why().startswith("8年だけでは年が決まりません")


def test_a_fiscal_year_is_said_in_the_language_shown() -> None:
    """Messages say 令和8年度 in Japanese and FY2026 in English (they said 令和8年度 with --lang en)."""
    from kyotei_docs.era import fiscal_year_said
    from kyotei_docs.i18n import set_lang

    assert fiscal_year_said(2026) == "令和8年度" and fiscal_year_said(2019) == "令和元年度"
    set_lang("en")
    try:
        assert fiscal_year_said(2026) == "FY2026"
    finally:
        set_lang("ja")


def test_a_date_for_staff_is_said_in_both_calendars_with_ascii_digits() -> None:
    from kyotei_docs.era import format_both

    assert format_both(date(2026, 6, 1)) == "令和8年6月1日（2026/06/01）"
    assert format_both(date(2019, 5, 1)) == "令和元年5月1日（2019/05/01）"
    assert format_both(date(2019, 4, 30)) == "平成31年4月30日（2019/04/30）"
