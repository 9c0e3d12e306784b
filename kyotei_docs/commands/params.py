"""Values staff type on the command line, read in one place: dates, fiscal years, verdicts and states.

A click :class:`~click.ParamType` for each, so every command accepts the same
spellings (2026-06-01, 2026/6/1, 令和8年6月1日, R8.6.1; 令和8年度, R8, 2026)
and a mistake is a usage error (exit 2) whose sentence says why: 「2月30日は
ありません」, 「令和は2019年5月1日からです」.  The spellings themselves are
:mod:`kyotei_docs.era`'s.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from ..i18n import Catalog, get_lang, say

MESSAGES: Catalog = {
    "bad_date": ("「{value}」— {why}", "{value!r}: {why}"),
    "heisei_taken": ("注意: 「{value}」は平成の終了（2019年4月30日）後の日付のため、{wareki}（{iso}）として扱います。",
                     "Note: {value!r} is a 平成 date after the era ended (30 April 2019): taken as {iso} ({wareki})."),
    "bad_fy": ("「{value}」— {why}", "{value!r}: {why}"),
    "bad_status": ("「{value}」は指定できません。指定できる値: {choices}", "{value!r} is not one of: {choices}"),
    "bad_verdict": ("「{value}」— 受付可・要確認・要修正（ok・review・fix）のどれかを指定してください",
                    "{value!r}: give one of ok, review, fix (受付可, 要確認, 要修正)"),
}


class DateType(click.ParamType):
    """A date as staff type it: ISO, 2026/6/1, 令和8年6月1日, R8.6.1."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from ..era import DateParseError, parse_date

        try:
            parsed = parse_date(str(value))
        except DateParseError as exc:
            self.fail(say(MESSAGES, "bad_date", value=value, why=exc.why()), param, ctx)
        if parsed is None:  # a blank template line 「令和　年　月　日」 is no date either
            self.fail(say(MESSAGES, "bad_date", value=value, why=_blank()), param, ctx)
        from ..era import WARN_HEISEI_AFTER_END, format_wareki

        if WARN_HEISEI_AFTER_END in parsed.warnings:  # 平成32年… is taken, but never silently
            click.echo(say(MESSAGES, "heisei_taken", value=value, iso=parsed.date.isoformat(),
                           wareki=format_wareki(parsed.date, "ascii")), err=True)
        return parsed.date


class FiscalYearType(click.ParamType):
    """A fiscal year (年度) by its starting calendar year: 令和8年度, R8 and 2026 are all 2026."""

    name = "FY"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        from ..era import parse_fiscal_year

        try:
            return parse_fiscal_year(str(value))
        except ValueError as exc:
            self.fail(say(MESSAGES, "bad_fy", value=value, why=str(exc)), param, ctx)


class VerdictType(click.ParamType):
    """A case's verdict as staff write it: 受付可 / 要確認 / 要修正, or ok / review / fix."""

    name = "VERDICT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..cases.verdict import MESSAGES as VERDICTS
        from ..cases.verdict import VERDICTS as CODES

        text = str(value).strip()
        for code in CODES:
            if text.lower() == code or text in VERDICTS[code]:
                return code
        self.fail(say(MESSAGES, "bad_verdict", value=value), param, ctx)


class StatusType(click.ParamType):
    """An agreement's state as the list shows it (受付, 協議中, 締結済, 更新済, 終了予定, 終了) or its key
    (received …): staff typed 「--status 締結済」, the word on their screen, and were refused."""

    name = "STATUS"
    KEYS = ("received", "in_consultation", "signed", "renewed", "ending", "ended")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..registry.model import label

        text = str(value).strip()
        for key in self.KEYS:
            if text.lower() == key or text == label(key, lang="ja"):
                return key
        choices = ("、".join(f"{label(k, lang='ja')}（{k}）" for k in self.KEYS) if get_lang() == "ja"
                   else ", ".join(self.KEYS))
        self.fail(say(MESSAGES, "bad_status", value=value, choices=choices), param, ctx)


def _blank() -> str:
    from ..era import MESSAGES as ERA_MESSAGES

    return say(ERA_MESSAGES, "incomplete")


DATE = DateType()
FISCAL_YEAR = FiscalYearType()
VERDICT = VerdictType()
STATUS = StatusType()
