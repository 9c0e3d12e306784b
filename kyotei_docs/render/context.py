"""What the templates are filled with: items, dates and wording, built from a proposal.

Why a module of its own: the content rules (item order, the closing item, the
explicit end date, the blank date line for the ceremony) are the guideline's,
and must be the same whichever template a city uses.  Templates only lay the
words out.  :data:`VARIABLES` is the list of names every template may use; the
template lint checks templates against it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..config import Config
from ..era import fiscal_year, format_fiscal_year, format_wareki
from ..i18n import say
from ..periods import ClosedDays, notice_deadline, term_end
from ..proposal import Proposal
from ..vocab import FIELDS, OTHER
from .messages import MESSAGES, RenderError
from .values import clean_text, one_line

__all__ = [
    "BLANK_DATE",
    "CIRCLED",
    "MAX_ITEMS",
    "VARIABLES",
    "Dates",
    "Item",
    "RenderContext",
    "build_context",
    "build_dates",
    "build_items",
    "closing_item",
    "default_item_texts",
]

#: ⑴ … ⒇ (U+2474–U+2487): the only parenthesised numbers there are.
CIRCLED: tuple[str, ...] = tuple(chr(c) for c in range(0x2474, 0x2488))
MAX_ITEMS = len(CIRCLED)
#: The date line left blank for the signing ceremony (ideographic spaces).
BLANK_DATE = "令和　年　月　日"
BLANK_DATE_WEB = "令和　年　月　日"
BLANK_FISCAL_END = "令和　年３月３１日"
BLANK_FISCAL_END_WEB = "令和　年3月31日"
#: Days before the first renewal's notice deadline under which staff are warned.
NOTICE_WARNING_DAYS = 30
_REIWA_START = date(2019, 5, 1)

#: Every name a template may use, with what it holds (shown by ``templates check`` and docs/render.md).
VARIABLES: dict[str, str] = {
    "city": "市の名称（設定 municipality.name）例: 旭川市",
    "city_address": "市の所在地（設定 municipality.address）",
    "mayor_title": "市長の職名（設定 municipality.mayor_title）例: 旭川市長",
    "mayor_name": "市長の氏名（設定 municipality.mayor_name、空欄可）",
    "partner": "相手方: partner.name（名称）, partner.address（所在地）, partner.representative（代表者）",
    "kind": "協定の種別: comprehensive（包括）/ individual（個別）",
    "title": "協定書の題名 例: 旭川市と◯◯株式会社との包括連携協定書",
    "agreement_name": "協定の名称（題名から「書」を除いたもの）",
    "subject": "個別連携協定の対象（事業名または分野）",
    "items": "連携事項の一覧: item.number（⑴）, item.index（1）, item.text, item.closing（最後の「その他」なら true）",
    "item_count": "連携事項の数（最後の「その他，…」を含む）",
    "items_summary": "掲載文用: 最初の３件までの事項を読点でつないだもの",
    "dates": "日付: dates.signing（令和８年１２月１日／令和　年　月　日）, dates.end（満了日）, "
             "dates.signing_web, dates.end_web（半角数字）, dates.term（fiscal / one-year）",
    "purpose": "提案書の「協定締結の目的」",
    "results": "連携実績: year.label（令和7年度）, year.lines（実績の一覧）",
    "pdf": "協定書 PDF: pdf.name（ファイル名）, pdf.href（リンク先）, pdf.kb（キロバイト、未作成なら空欄）",
    "photos": "写真: photo.image（.docx 用の画像）, photo.name, photo.href（.html 用）, photo.caption",
}


@dataclass(frozen=True)
class Item:
    number: str  # ⑴
    index: int  # 1
    text: str
    closing: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "index": self.index, "text": self.text, "closing": self.closing}


@dataclass(frozen=True)
class Dates:
    """The dates printed in the documents, and the ones the caller needs back."""

    signing: str
    end: str
    signing_web: str
    end_web: str
    term: str
    end_date: date | None
    notice_deadline: date | None

    def as_dict(self) -> dict[str, Any]:
        return {"signing": self.signing, "end": self.end, "signing_web": self.signing_web,
                "end_web": self.end_web, "term": self.term}


@dataclass
class RenderContext:
    """The template context and what the renderer learned while building it."""

    values: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    end_date: date | None = None
    items: list[Item] = field(default_factory=list)


# --------------------------------------------------------------------------- items

def closing_item(cfg: Config) -> str:
    """「その他，地域の活性化及び市民サービスの向上に関すること」 with the city's comma."""
    return f"その他{cfg.comma}地域の活性化及び市民サービスの向上に関すること"


def _about(text: str) -> str:
    """「X」 → 「Xに関すること」, unless the text already reads as an item (…こと)."""
    text = one_line(text).rstrip("。．.")
    return text if text.endswith("こと") else f"{text}に関すること"


def default_item_texts(proposal: Proposal) -> list[str]:
    """The items Form 1 implies, before the closing item.

    The axis field (主軸分野) first, then the other fields in the guideline's
    canonical order, then the applicant's own text for 「その他」.
    """
    chosen = [f for f in proposal.fields if f in FIELDS]
    order: list[str] = []
    if proposal.axis.present and proposal.axis.field in FIELDS:
        order.append(proposal.axis.field)
    order += [f for f in FIELDS if f in chosen and f not in order]
    texts = [_about(f) for f in order]
    if OTHER in proposal.fields and proposal.other_field_text and one_line(proposal.other_field_text):
        texts.append(_about(proposal.other_field_text))
    return texts


def build_items(texts: list[str], cfg: Config, *, closing_given: bool = False) -> list[Item]:
    """Number ``texts`` ⑴, ⑵, … and end with the closing catch-all item.

    ``closing_given``: the last text already is the closing item (an items file
    that words it itself).  More than 20 items cannot be numbered: an error.
    """
    all_texts = [one_line(t) for t in texts if one_line(t)]
    if not closing_given:
        all_texts.append(closing_item(cfg))
    if len(all_texts) > MAX_ITEMS:
        raise RenderError("too_many_items", n=len(all_texts))
    last = len(all_texts) - 1
    return [Item(CIRCLED[i], i + 1, t, closing=(i == last)) for i, t in enumerate(all_texts)]


def agreement_items(proposal: Proposal, cfg: Config, items: list[str] | None = None) -> list[Item]:
    """The items Form 2 carries: ``items`` as given (a last entry starting with 「その他」 is the
    closing item, else the standard one is added), or the default wording Form 1 implies.

    The registry stores exactly these texts on the case, so that 「連携事項 3」 in
    ``results add`` is item ⑶ of the signed agreement.
    """
    if items is not None:
        texts = [clean_text(t) for t in items]
        closing_given = bool(texts) and unicodedata.normalize("NFKC", one_line(texts[-1])).startswith("その他")
        return build_items(texts, cfg, closing_given=closing_given)
    return build_items(default_item_texts(proposal), cfg)


# --------------------------------------------------------------------------- dates

def _closed_days(cfg: Config) -> ClosedDays:
    return ClosedDays(closures=cfg.closures) if cfg.closures else ClosedDays(closures=())


def _short(d: date) -> str:
    return format_wareki(d, "full")


def build_dates(cfg: Config, *, signing_date: date | None, expected_signing: date | None,
                term: str, warnings: list[str]) -> Dates:
    """The signing date line, the explicit end date, and warnings about the renewal deadline.

    The end date is computed from the signing date (or, without one, from the
    expected signing date) under the 民法 rules in :mod:`kyotei_docs.periods`.
    """
    if term not in ("fiscal", "one-year"):
        raise RenderError("bad_term", term=term)
    basis = signing_date or expected_signing
    if basis is not None and basis < _REIWA_START:
        raise RenderError("signing_too_old", date=basis.isoformat())
    end = term_end(basis, term) if basis else None  # type: ignore[arg-type]
    calendar = _closed_days(cfg)
    deadline = notice_deadline(end, cfg.notice_reading, calendar) if end else None  # type: ignore[arg-type]

    if signing_date is not None:
        signing, signing_web = format_wareki(signing_date, "full"), format_wareki(signing_date, "ascii")
        if calendar.is_closed(signing_date):
            warnings.append(say(MESSAGES, "signing_weekend", date=_short(signing_date)))
    else:
        signing, signing_web = BLANK_DATE, BLANK_DATE_WEB
        if expected_signing is not None:
            warnings.append(say(MESSAGES, "no_signing_expected", date=_short(expected_signing),
                                end=_short(end)))  # type: ignore[arg-type]
        else:
            warnings.append(say(MESSAGES, "no_signing_fiscal" if term == "fiscal" else "no_signing_one_year"))

    if end is not None:
        end_text, end_web = format_wareki(end, "full"), format_wareki(end, "ascii")
    elif term == "fiscal":
        end_text, end_web = BLANK_FISCAL_END, BLANK_FISCAL_END_WEB
    else:
        end_text, end_web = BLANK_DATE, BLANK_DATE_WEB

    if basis is not None and deadline is not None:
        days = (deadline - basis).days
        if days < 0:
            warnings.append(say(MESSAGES, "notice_past", deadline=_short(deadline), signing=_short(basis)))
        elif days <= NOTICE_WARNING_DAYS:
            warnings.append(say(MESSAGES, "notice_soon", deadline=_short(deadline), signing=_short(basis),
                                days=days))
    return Dates(signing, end_text, signing_web, end_web, term, end, deadline)


# --------------------------------------------------------------------------- wording

_TITLE_SUBJECT = re.compile(r"^(?P<subject>.+?)に関する(?:連携)?協定書?$")


def _titles(kind: str, city: str, partner: str, subject: str, title: str | None) -> tuple[str, str]:
    """(title, agreement_name): 「…協定書」 and the same without the final 「書」."""
    if not title:
        if kind == "comprehensive":
            title = f"{city}と{partner}との包括連携協定書"
        else:
            title = f"{city}と{partner}との{subject}に関する連携協定書"
    name = title[:-1] if title.endswith("書") else title
    return title, name


def _subject(proposal: Proposal, title: str | None) -> str:
    """What an individual agreement is about: the project in ``--title``, else its field."""
    if title:
        m = _TITLE_SUBJECT.match(title)
        if m:
            return m.group("subject")
    if proposal.axis.field:
        return proposal.axis.field
    for f in FIELDS:
        if f in proposal.fields:
            return f
    return one_line(proposal.other_field_text or "") or "連携"


def _results(results: dict[int, list[str]] | None) -> list[dict[str, Any]]:
    out = []
    for fy in sorted(results or {}):
        lines = [one_line(r) for r in results[fy] if one_line(r)]  # type: ignore[index]
        if lines:
            out.append({"year": fy, "label": format_fiscal_year(fy, "ascii"),
                        "label_full": format_fiscal_year(fy, "full"), "lines": lines})
    return out


def items_summary(items: list[Item], comma: str, limit: int = 3) -> str:
    """「◯◯に関すること，◯◯に関すること，◯◯に関すること」: Form 3's lead-in (the catch-all left out)."""
    named = [i.text for i in items if not i.closing][:limit] or [items[0].text]
    return comma.join(named)


def build_context(proposal: Proposal, cfg: Config, *, signing_date: date | None = None,
                  expected_signing: date | None = None, term: str | None = None,
                  items: list[str] | None = None, results: dict[int, list[str]] | None = None,
                  title: str | None = None) -> RenderContext:
    """The full template context for Form 2 and Form 3 of ``proposal``.

    ``items`` replaces the default wording (one entry per item; a last entry
    starting with 「その他」 is taken as the closing item).  File-dependent
    entries (``pdf``, ``photos``) start empty; the renderer fills them in.
    """
    warnings: list[str] = []
    kind = proposal.agreement_type or "comprehensive"
    term = term or cfg.render.term
    numbered = agreement_items(proposal, cfg, items)
    dates = build_dates(cfg, signing_date=signing_date, expected_signing=expected_signing, term=term,
                        warnings=warnings)
    partner = {
        "name": one_line(proposal.organization.name or ""),
        "address": one_line(proposal.organization.address or ""),
        "representative": one_line(proposal.organization.representative or ""),
    }
    clean_title = one_line(title) if title else None
    subject = _subject(proposal, clean_title) if kind == "individual" else ""
    full_title, agreement_name = _titles(kind, cfg.municipality, partner["name"], subject, clean_title)
    if kind == "individual" and not clean_title:
        warnings.append(say(MESSAGES, "individual_title_default", title=full_title))
    if signing_date and not cfg.mayor_name.strip():
        # the signed agreement prints 「旭川市長　　印」 with no name: said where it is made, not at the desk
        warnings.append(say(MESSAGES, "no_mayor_name", title=cfg.mayor_title))
    values: dict[str, Any] = {
        "city": cfg.municipality,
        "city_address": cfg.address,
        "mayor_title": cfg.mayor_title,
        "mayor_name": cfg.mayor_name,
        "partner": partner,
        "kind": kind,
        "title": full_title,
        "agreement_name": agreement_name,
        "subject": subject,
        "items": [i.as_dict() for i in numbered],
        "item_count": len(numbered),
        "items_summary": items_summary(numbered, cfg.comma),
        "dates": dates.as_dict(),
        "purpose": clean_text(proposal.purpose or ""),
        "results": _results(results),
        "pdf": {"name": "", "href": "", "kb": ""},
        "photos": [],
    }
    return RenderContext(values=values, warnings=warnings, end_date=dates.end_date, items=numbered)


def sample_context(cfg: Config) -> dict[str, Any]:
    """A context with every variable filled, for trial renders in the template lint."""
    proposal = Proposal(file="sample.docx", format="docx", agreement_type="comprehensive",
                        fields=["環境", "子育て", OTHER], other_field_text="農業振興")
    proposal.organization.name = "見本株式会社"
    proposal.organization.address = "旭川市見本町1丁目1番1号"
    proposal.organization.representative = "代表取締役　見本　太郎"
    proposal.purpose = "見本"
    ctx = build_context(proposal, cfg, signing_date=date(2026, 12, 1),
                        results={2025: ["見本の実績"]}).values
    ctx["pdf"] = {"name": "見本.pdf", "href": "%E8%A6%8B%E6%9C%AC.pdf", "kb": "100"}
    return ctx


fiscal_year_of = fiscal_year  # re-exported for the results file reader
