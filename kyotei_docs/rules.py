"""The guideline's rules for Form 1, one entry each.

A rule is data: a code, a severity, the entry it concerns, a test and its
message in Japanese and English.  ``kyotei rules`` lists them; a city switches
one off with ``[rules] disabled = [...]`` or changes the required entries with
``[rules] required = [...]`` in its configuration.  A new rule is a new entry in
``RULES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from .config import Config
from .contactvalues import valid_email, valid_phone
from .i18n import get_lang
from .proposal import Proposal
from .vocab import OTHER

#: A test yields one (field, params) pair per finding.
Test = Callable[[Proposal, Config], Iterable[tuple[str, dict]]]


@dataclass(frozen=True)
class Rule:
    """One check of a proposal against the guideline, with its message in both languages."""

    code: str
    severity: str  # "error" or "warning"
    test: Test
    ja: str
    en: str

    def message(self, **params: object) -> str:
        template = self.en if get_lang() == "en" else self.ja
        return template.format(**params).rstrip()  # an empty last part (「{why}」) leaves no blank


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one proposal: an error, a warning, or (after review) a 要確認 item."""

    code: str
    field: str
    message: str
    severity: str
    #: what the message was made from (its code's template is said again in the language it is
    #: shown in: a case read in Japanese shows its review items in English with --lang en)
    params: Mapping[str, Any] | None = _field(default=None, compare=False, hash=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "field": self.field, "message": self.message}
        if self.params is not None:
            out["params"] = dict(self.params)
        return out


LABELS_JA = {
    "submitted_on": "提出日", "organization.address": "所在地", "organization.name": "企業等名称",
    "organization.representative": "代表者氏名", "purpose": "協定締結の目的",
    "expected_effects": "連携により期待される効果", "contact.department": "連絡先の部署名",
    "contact.name": "連絡先の担当者氏名", "contact.phone": "連絡先の電話番号",
    "contact.email": "連絡先のメールアドレス", "agreement_type": "連携協定の種別", "fields": "連携の分野",
    "other_field_text": "その他の分野の内容", "axis.present": "主軸分野の有無", "axis.field": "主軸分野",
}
LABELS_EN = {
    "submitted_on": "submission date", "organization.address": "address", "organization.name": "organisation name",
    "organization.representative": "representative", "purpose": "purpose of the agreement",
    "expected_effects": "expected effects", "contact.department": "contact department",
    "contact.name": "contact person", "contact.phone": "contact phone", "contact.email": "contact e-mail",
    "agreement_type": "agreement type", "fields": "fields", "other_field_text": "text for その他",
    "axis.present": "axis field yes/no", "axis.field": "axis field",
}



def label_of(path: str) -> str:
    return (LABELS_EN if get_lang() == "en" else LABELS_JA).get(path, path)


def _one(path: str, /, **params: object) -> Iterable[tuple[str, dict]]:
    yield path, params


def _missing(p: Proposal, cfg: Config):
    for path in cfg.required:
        if path == "submitted_on" and (p.date_error or p.submitted_on):
            continue  # an unreadable date is reported as invalid_date, not as missing
        if p.value(path) in (None, "", []):
            yield path, {"label": label_of(path)}


def _type_missing(p, cfg):
    return _one("agreement_type") if not p.types_ticked else ()


def _type_ambiguous(p, cfg):
    return _one("agreement_type") if len(p.types_ticked) > 1 else ()


def _no_field(p, cfg):
    return _one("fields") if not p.fields else ()


def _needs_two(p, cfg):
    if p.agreement_type == "comprehensive" and len(p.fields) == 1:
        return _one("fields", count=len(p.fields))
    return ()


def _other_text_missing(p, cfg):
    return _one("other_field_text") if OTHER in p.fields and not p.other_field_text else ()


def _axis_choice_missing(p, cfg):
    return _one("axis.present") if p.agreement_type == "comprehensive" and not p.axis_ticked else ()


def _axis_choice_ambiguous(p, cfg):
    return _one("axis.present") if p.agreement_type == "comprehensive" and len(p.axis_ticked) > 1 else ()


def _axis_field_missing(p, cfg):
    if p.agreement_type == "comprehensive" and p.axis.present is True and not p.axis.text:
        return _one("axis.field")
    return ()


def _axis_field_unknown(p, cfg):
    if p.agreement_type == "comprehensive" and p.axis.present is True and p.axis.text and not p.axis.field:
        return _one("axis.field", text=p.axis.text)
    return ()


def _axis_not_selected(p, cfg):
    if p.agreement_type == "comprehensive" and p.axis.present is True and p.axis.field \
            and p.fields and p.axis.field not in p.fields:
        return _one("axis.field", field=p.axis.field)
    return ()


def _invalid_email(p, cfg):
    email = p.contact.email
    if email and not valid_email(email):
        return _one("contact.email", value=email)
    return ()


def _invalid_phone(p, cfg):
    phone = p.contact.phone
    if phone and not valid_phone(phone):
        return _one("contact.phone", value=phone)
    return ()


def _invalid_date(p, cfg):
    return _one("submitted_on", text=p.date_text or "", why=_why_not_a_date(p.date_text)) if p.date_error else ()


def _why_not_a_date(text: str | None) -> str:
    """Why ``text`` is no date, in a sentence (「2月30日はありません。」); empty when it cannot be said."""
    from .era import DateParseError, parse_date

    try:
        parse_date(text or "")
    except DateParseError as exc:
        return exc.why()
    return ""


def _individual_many(p, cfg):
    if p.agreement_type == "individual" and len(p.fields) > 1:
        return _one("fields", count=len(p.fields))
    return ()


def _individual_axis(p, cfg):
    if p.agreement_type == "individual" and (p.axis_ticked and p.axis.present or p.axis.text):
        return _one("axis.present")
    return ()


def _heisei(p, cfg):
    if "heisei_after_end" in p.date_warnings:
        return _one("submitted_on", text=p.date_text or "", date=p.submitted_on.isoformat())
    return ()


def _macros(p, cfg):
    return _one("file") if "macros_present" in p.reader_warnings else ()


def _ocr_used(p, cfg):
    return _one("file") if "ocr_used" in p.reader_warnings else ()


def _future_date(p, cfg):
    from .citytime import today
    if p.submitted_on and p.submitted_on > today(cfg):  # the city's date, not the server's
        return _one("submitted_on", date=p.submitted_on.isoformat())
    return ()


RULES: tuple[Rule, ...] = (
    Rule("missing_required", "error", _missing,
         "{label}が記入されていません。", "The {label} is missing."),
    Rule("agreement_type_missing", "error", _type_missing,
         "連携協定の種別（個別連携協定／包括連携協定）が選択されていません。",
         "No agreement type (individual / comprehensive) is ticked."),
    Rule("agreement_type_ambiguous", "error", _type_ambiguous,
         "連携協定の種別が両方選択されています。どちらか一つにしてください。",
         "Both agreement types are ticked; exactly one is allowed."),
    Rule("no_field_selected", "error", _no_field,
         "連携の分野が一つも選択されていません。", "No field (連携の分野) is ticked."),
    Rule("comprehensive_needs_two_fields", "error", _needs_two,
         "包括連携協定では連携の分野を２つ以上選択する必要があります（選択数: {count}）。",
         "A comprehensive agreement needs two or more fields ({count} ticked)."),
    Rule("other_field_text_missing", "error", _other_text_missing,
         "「その他」が選択されていますが、その内容が書かれていません。",
         "「その他」 is ticked but its description is empty."),
    Rule("axis_choice_missing", "error", _axis_choice_missing,
         "包括連携協定では主軸分野の有無（有／無）を選択してください。",
         "For a comprehensive agreement, tick whether there is an axis field (有/無)."),
    Rule("axis_choice_ambiguous", "error", _axis_choice_ambiguous,
         "主軸分野の「有」と「無」が両方選択されています。",
         "Both 有 and 無 are ticked for the axis field."),
    Rule("axis_field_missing", "error", _axis_field_missing,
         "主軸分野「有」が選択されていますが、主軸分野が記入されていません。",
         "An axis field is declared (有) but not written."),
    Rule("axis_field_unknown", "error", _axis_field_unknown,
         "主軸分野「{text}」が連携分野のどれに当たるか判断できません。分野名で記入してください。",
         "The axis field 「{text}」 does not name one of the fields."),
    Rule("axis_field_not_selected", "error", _axis_not_selected,
         "主軸分野「{field}」が連携の分野で選択されていません。",
         "The axis field 「{field}」 is not among the ticked fields."),
    Rule("invalid_email", "error", _invalid_email,
         "メールアドレス「{value}」の形式が正しくありません。", "The e-mail address 「{value}」 is not valid."),
    Rule("invalid_phone", "error", _invalid_phone,
         "電話番号「{value}」の形式が正しくありません（市外局番から10桁、携帯電話は11桁）。",
         "The phone number 「{value}」 is not valid (10 digits with area code, 11 for a mobile)."),
    Rule("invalid_date", "error", _invalid_date,
         "提出日「{text}」を日付として読めません。{why}", "The date 「{text}」 cannot be read. {why}"),
    Rule("individual_multiple_fields", "warning", _individual_many,
         "個別連携協定ですが、分野が{count}つ選択されています。主な分野の担当部局に回付します。",
         "An individual agreement with {count} fields: routed by the first one."),
    Rule("individual_has_axis", "warning", _individual_axis,
         "個別連携協定ですが、主軸分野が記入されています（包括連携協定のための項目です）。",
         "An individual agreement with axis-field entries (they apply to comprehensive agreements)."),
    Rule("heisei_after_end", "warning", _heisei,
         "提出日「{text}」は平成の終了（2019年4月30日）後の日付です。{date} として扱いました。",
         "The date 「{text}」 is a Heisei date after the era ended; read as {date}."),
    Rule("macros_present", "warning", _macros,
         "ファイルにマクロが含まれています（実行はしていません）。送付元を確認してください。",
         "The file contains macros (not run). Check where it came from."),
    Rule("date_in_future", "warning", _future_date,
         "提出日（{date}）が今日より後の日付です。", "The submission date ({date}) is in the future."),
    Rule("ocr_used", "warning", _ocr_used,
         "スキャン画像を文字認識（OCR）で読み取りました。読み取った内容とチェック欄は誤りを含むことがあるため、必ず原本と照合してください。",
         "The scanned form was read by OCR: every value and tick may be wrong and needs human review against the original."),
)


def check(p: Proposal, cfg: Config) -> tuple[list[Finding], list[Finding]]:
    """All findings for ``p``: (errors, warnings)."""
    errors: list[Finding] = []
    warnings: list[Finding] = []
    for rule in RULES:
        if rule.code in cfg.disabled_rules:
            continue
        for field_path, params in rule.test(p, cfg):
            finding = Finding(rule.code, field_path, rule.message(**params), rule.severity, _plain(params))
            (errors if rule.severity == "error" else warnings).append(finding)
    return errors, warnings


def _plain(params: Mapping[str, Any]) -> dict[str, Any]:
    """A rule's message parameters as JSON keeps them (numbers as they are, anything else as text)."""
    return {k: v if isinstance(v, (int, float, str)) and not isinstance(v, bool) else str(v)
            for k, v in params.items()}


def said(finding: Mapping[str, Any]) -> str:
    """A stored rule finding's message in the current language (its stored text when it cannot be said again)."""
    stored = str(finding.get("message") or "")
    params = finding.get("params")
    rule = next((r for r in RULES if r.code == finding.get("code")), None)
    if rule is None or not isinstance(params, dict):
        return stored
    if "label" in params:  # the entry's name, in the language shown
        params = dict(params, label=label_of(str(finding.get("field") or "")))
    if "why" in params:  # why a date is none, in the language shown
        params = dict(params, why=_why_not_a_date(str(params.get("text") or "")))
    try:
        return rule.message(**params)
    except (KeyError, IndexError, ValueError):
        return stored
