"""Documents staff send along a case's steps: the 検討票 and 報道資料 before signing, the 変更協定書 and
解約通知書 after.

Why beside Form 2/3 and not inside them: each has its own values (the
articles changed, the notice date), but the same rules — a docxtpl template
staff may edit (``kyotei templates export``), values cleaned and escaped,
checked by the same lint against its own list of names (:data:`VARIABLES`),
the .docx first and the PDF through the one LibreOffice runner
(:func:`.pdf.pdf_batch`), files never overwritten (:mod:`kyotei_docs.publish`).

The functions take plain values (names, dates, lists), not registry rows, so
the renderer stays below the registry; :mod:`kyotei_docs.cases.amend` and
:mod:`kyotei_docs.cases.termination` build them from a case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..config import Config
from ..era import format_wareki
from ..i18n import say
from ..safenames import safe_filename
from .context import CIRCLED
from .docx import render_docx
from .messages import MESSAGES, TemplateProblem
from .naming import write_new
from .templates import AMENDMENT, INTENT_SUMMARY, JUDGEMENT_SHEET, PRESS_RELEASE, TERMINATION, resolve_templates
from .values import one_line

__all__ = ["AMENDMENT", "TERMINATION", "VARIABLES", "Change", "Letter", "amendment_context", "render_letter",
           "sample_letter_context", "termination_context"]

_COMMON = {
    "city": "市の名称（設定 municipality.name）",
    "city_address": "市の所在地",
    "mayor_title": "市長の職名",
    "mayor_name": "市長の氏名（空欄可）",
    "partner": "相手方: partner.name, partner.address, partner.representative",
    "agreement_name": "原協定の名称 例: 旭川市と◯◯株式会社との包括連携協定",
}

#: Every name each letter's template may use (the template lint checks against it).
VARIABLES: dict[str, dict[str, str]] = {
    AMENDMENT: _COMMON | {
        "title": "変更協定書の題名 例: 旭川市と◯◯株式会社との包括連携協定の一部を変更する協定書",
        "changes": "変更の一覧: change.heading（「第２条第１項各号を次のように改める。」）, change.lines（新しい文言）",
        "rows": "新旧対照表の行: row.after（変更後）, row.before（変更前）",
        "dates": "日付: dates.signed（原協定の締結日）, dates.signing（本協定の日付）, dates.effective（効力を生ずる日）",
    },
    TERMINATION: _COMMON | {
        "addressee": "宛先: addressee.name, addressee.representative",
        "sender": "差出人: sender.name, sender.representative",
        "dates": "日付: dates.notice（通知日）, dates.signed（締結日）, dates.end（解約日）",
        "reason": "解約の理由",
        "contact": "担当部署（空欄可）",
    },
    JUDGEMENT_SHEET: {
        "made_on": "作成日（令和の日付）",
        "summary": "提案の概要の行: row.label（項目）, row.value（内容）",
        "routing": "回付先の部局", "routing_notes": "回付の注記の一覧",
        "items": "検討・判断事項: item.group（区分、続く行は空）, item.text, item.state（適合・該当なし・確認中…）, item.note",
        "conclusion": "判定の文（すべて適合・該当なしか、未了の件数）",
    },
    INTENT_SUMMARY: {
        "made_on": "作成日", "partner": "提案者（企業等名称）", "case_id": "協定ID",
        "counts": "調査・回答・希望した部局の数の文",
        "rows": "部局ごとの行: row.department, row.wish（希望する・希望しない・検討中・未回答）, row.contents, row.note",
    },
    PRESS_RELEASE: {
        "made_on": "作成日", "city": "市の名称", "department": "担当部局", "agreement_name": "協定の名称",
        "partner": "相手方: partner.name, partner.address, partner.representative", "when": "締結日時",
        "place": "場所", "attendees": "出席者の一覧", "purpose": "協定の目的",
        "items": "連携・協力事項: item.number（⑴）, item.text", "tel": "問合せ先の電話番号（「　電話　…」、なければ空）",
    },
}


@dataclass(frozen=True)
class Change:
    """One article changed: its number and title, and the wording before and after.

    For the items (article 2) ``before``/``after`` are lists of item texts;
    for any other article, the article's text.
    """

    article: int
    title: str
    before: Any
    after: Any


@dataclass
class Letter:
    """What :func:`render_letter` wrote."""

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _full(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _base(cfg: Config, agreement_name: str, partner: dict[str, str]) -> dict[str, Any]:
    return {"city": cfg.municipality, "city_address": cfg.address, "mayor_title": cfg.mayor_title,
            "mayor_name": cfg.mayor_name,
            "partner": {k: one_line(partner.get(k) or "") for k in ("name", "address", "representative")},
            "agreement_name": one_line(agreement_name)}


def _numbered(items: Sequence[str]) -> list[str]:
    return [f"{CIRCLED[i]}　{one_line(t)}" if i < len(CIRCLED) else one_line(t) for i, t in enumerate(items)]


def amendment_context(cfg: Config, *, agreement_name: str, partner: dict[str, str], signed_on: date,
                      on: date, changes: Sequence[Change]) -> dict[str, Any]:
    """The 変更協定書's values: the wording of each change and the rows of the 新旧対照表."""
    values = _base(cfg, agreement_name, partner)
    texts, rows = [], []
    for c in changes:
        head = f"第{_full(c.article)}条（{c.title}）"
        if isinstance(c.after, list):
            texts.append({"heading": f"原協定第{_full(c.article)}条第１項各号を次のように改める。",
                          "lines": _numbered(c.after)})
            old, new = _numbered(c.before or []), _numbered(c.after)
            rows.append({"after": head, "before": head})
            rows += [{"after": new[i] if i < len(new) else "", "before": old[i] if i < len(old) else ""}
                     for i in range(max(len(old), len(new)))]
        else:
            texts.append({"heading": f"原協定第{_full(c.article)}条を次のように改める。",
                          "lines": [one_line(str(c.after))]})
            rows += [{"after": head, "before": head},
                     {"after": one_line(str(c.after)), "before": one_line(str(c.before or "")) or "（記載なし）"}]
    name = values["agreement_name"]
    return values | {
        "title": f"{name}の一部を変更する協定書",
        "changes": texts, "rows": rows,
        "dates": {"signed": format_wareki(signed_on, "full"), "signing": format_wareki(on, "full"),
                  "effective": format_wareki(on, "full")},
    }


def termination_context(cfg: Config, *, agreement_name: str, partner: dict[str, str], signed_on: date,
                        notice_on: date, ends_on: date, reason: str, from_city: bool = True,
                        contact: str = "") -> dict[str, Any]:
    """The 解約通知書's values; ``from_city`` False writes it as the partner's notice to the city."""
    values = _base(cfg, agreement_name, partner)
    city = {"name": cfg.municipality, "representative": " ".join(
        x for x in (cfg.mayor_title, cfg.mayor_name) if x)}
    them = {"name": values["partner"]["name"], "representative": values["partner"]["representative"]}
    addressee, sender = (them, city) if from_city else (city, them)
    return values | {
        "addressee": addressee, "sender": sender, "reason": one_line(reason), "contact": one_line(contact),
        "dates": {"notice": format_wareki(notice_on, "full"), "signed": format_wareki(signed_on, "full"),
                  "end": format_wareki(ends_on, "full")},
    }


def sample_letter_context(cfg: Config, name: str) -> dict[str, Any]:
    """A context with every variable filled, for the template lint's trial render."""
    partner = {"name": "見本株式会社", "address": "旭川市見本町1丁目1番1号", "representative": "代表取締役　見本　太郎"}
    if name == JUDGEMENT_SHEET:
        return {"made_on": "令和８年１２月７日", "summary": [{"label": "企業等名称", "value": "見本株式会社"}],
                "routing": "市民生活部 地域活動推進課", "routing_notes": ["見本"],
                "items": [{"group": "検討・判断事項", "text": "見本", "state": "適合", "note": "見本"}],
                "conclusion": "見本"}
    if name == INTENT_SUMMARY:
        return {"made_on": "令和８年１２月７日", "partner": "見本株式会社", "case_id": "1", "counts": "見本",
                "rows": [{"department": "見本部", "wish": "希望する", "contents": "見本", "note": "見本"}]}
    if name == PRESS_RELEASE:
        return {"made_on": "令和８年１２月７日", "city": cfg.municipality, "department": "見本課",
                "agreement_name": "旭川市と見本株式会社との包括連携協定", "partner": partner, "when": "見本",
                "place": "見本", "attendees": ["見本"], "purpose": "見本", "items": [{"number": "⑴", "text": "見本"}],
                "tel": "　電話　0166-00-0000"}
    if name == AMENDMENT:
        return amendment_context(cfg, agreement_name="旭川市と見本株式会社との包括連携協定", partner=partner,
                                 signed_on=date(2026, 6, 1), on=date(2027, 1, 15),
                                 changes=[Change(2, "連携・協力事項", ["見本"], ["見本", "追加"])])
    return termination_context(cfg, agreement_name="旭川市と見本株式会社との包括連携協定", partner=partner,
                               signed_on=date(2026, 6, 1), notice_on=date(2027, 1, 15),
                               ends_on=date(2027, 2, 28), reason="見本", contact="見本課")


def _check(path: Path, cfg: Config) -> None:
    from .lint import check_cached

    errors = [f for f in check_cached(path, cfg) if f.severity == "error"]
    if errors:
        raise TemplateProblem("template_broken", errors, name=path.name,
                              detail="\n".join(f"  - {f}" for f in errors))


def render_letter(cfg: Config, name: str, values: dict[str, Any], out_dir: Path, *, label: str,
                  partner_name: str, pdf: bool = False, templates_dir: Path | None = None) -> Letter:
    """Write ``<partner>_<label>.docx`` (never over an existing file) and, with ``pdf``, its PDF.

    The template is the city's own copy when ``[render] templates`` has one,
    else the built-in; it is linted first, so a broken one writes nothing.
    """
    if pdf:
        from ..office import OfficeUnavailable, soffice_available

        if not soffice_available():
            raise OfficeUnavailable()
    template = resolve_templates(cfg, templates_dir).path(name)
    _check(template, cfg)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{safe_filename(partner_name or '協定')}_{label}.docx"
    letter = Letter()
    docx = write_new(target, lambda tmp: render_docx(template, values, tmp, comma=cfg.comma, font=cfg.render.font))
    letter.files.append(docx)
    if pdf:
        from .pdf import pdf_batch

        batch = pdf_batch([docx], out_dir)
        if docx in batch:
            letter.files.append(batch[docx])
        else:
            letter.warnings.append(say(MESSAGES, "pdf_failed", name=docx.name, reason=batch.failures.get(docx, "?")))
    return letter
