"""Plain-text reports for people (Japanese by default, English with --lang en)."""

from __future__ import annotations

from .i18n import Catalog, get_lang, say
from .pipeline import CheckResult
from .proposal import Proposal
from .rules import label_of

MESSAGES: Catalog = {
    "valid": ("✔ 受付可（様式１の記入に不備はありません）", "✔ Acceptable (no problems found in Form 1)"),
    "invalid": ("✘ 要修正（{n}件の不備があります）", "✘ Needs correction ({n} problems)"),
    "review": ("要確認 — 原本と照合してください", "To check — compare with the original"),
    "review_status": ("？ 要確認 — 原本と照合してください（{n}件）", "? To check — compare with the original ({n} items)"),
    "next_review": ("次にすること: 「要確認」の項目を提出された原本と照合し、読み取りが正しいか確かめてください"
                    "（正しく記入されていれば受付可、記入漏れなら提案者に修正を依頼）。",
                    "Next: compare the items to check with the submitted original (if the form is right, accept it; "
                    "if an entry is really missing, ask the proposer to correct it)."),
    "errors": ("不備", "Problems"),
    "warnings": ("注意", "Warnings"),
    "routing": ("回付先", "Route to"),
    # not 「連絡先」: that is the company's contact block in Form 1
    "notify": ("連絡（回付先以外）", "Also inform"),
    "flow": ("手続", "Procedure"),
    "next_valid": ("次にすること: 回付先の担当部局へ提案書を回してください。",
                   "Next: pass the proposal to the department shown."),
    "next_invalid": ("次にすること: 上記の不備を提案者（連絡先の担当者）に伝え、修正した様式１を再提出してもらってください。",
                     "Next: tell the proposer (contact person) what to correct and ask for a corrected Form 1."),
    "individual": ("個別連携協定", "individual agreement"),
    "comprehensive": ("包括連携協定", "comprehensive agreement"),
    "comprehensive_axis": ("包括連携協定（主軸分野型）", "comprehensive agreement with an axis field"),
    "comprehensive_allround": ("包括連携協定（オールラウンド型）", "comprehensive agreement, all-round"),
    "comprehensive_axis_missing": ("包括連携協定（主軸分野型・主軸分野未記入）",
                                   "comprehensive agreement with an axis field, axis field missing"),
    "none": ("（なし）", "(none)"),
    "yes": ("有", "yes"),
    "no": ("無", "no"),
    "source": ("読取元", "source"),
    # what staff call each format a file was read as (readers.READERS' keys); another is shown in capitals
    "format_docx": ("Word", "Word"), "format_doc": ("Word", "Word"), "format_xlsx": ("Excel", "Excel"),
    "format_xls": ("Excel", "Excel"), "format_image": ("画像", "image"), "format_pdf": ("PDF", "PDF"),
}


def format_label(fmt: str | None) -> str:
    """「Word」「Excel」「PDF」「画像」 for a file's format — not 「image」 or 「IMAGE」 beside its name."""
    key = f"format_{fmt}"
    return say(MESSAGES, key) if key in MESSAGES else (fmt or "").upper() or "?"

#: where a value was read from (``Proposal.sources``), in staff's words: ``parse --explain``, the case page
SOURCES: Catalog = {
    "docx:text": ("本文", "text"), "docx:glyph": ("手入力の記号（☑ など）", "typed mark (☑ …)"),
    "docx:sym": ("記号と特殊文字", "inserted symbol"), "docx:sdt": ("入力欄（コンテンツ コントロール）", "content control"),
    "docx:ffdata": ("旧フォームのチェック欄", "legacy form checkbox"), "docx:formtext": ("旧フォームの入力欄", "legacy form field"),
    "docx:field": ("フィールド", "field"), "docx:textbox": ("テキスト ボックス", "text box"),
    "docx:circled": ("囲み文字", "circled option"), "pdf:text": ("PDF の文字", "PDF text"),
    "pdf:glyph": ("PDF の記号", "PDF mark"), "pdf:sym": ("PDF の記号フォント", "PDF symbol font"),
    "pdf:acroform": ("PDF の入力欄", "PDF form field"), "pdf:ocr": ("文字認識（OCR）", "OCR"),
    "pdf:drawn": ("PDF に描かれた印（チェック欄・○囲み）", "mark drawn in the PDF (a box, or a circle around the words)"),
    "docx:placeholder": ("入力欄（未入力の表示のまま）", "content control still flagged as empty"),
    "docx:fillin": ("入力欄（.odt の FILLIN フィールド）", "input field (FILLIN)"),
    "xlsx:text": ("Excel のセル", "Excel cell"), "xlsx:glyph": ("Excel のセルの記号（☑ など）", "mark typed in an Excel cell"),
    "xlsx:date": ("Excel の日付セル（表示形式のとおり）", "Excel date cell (as its format shows it)"),
    "xlsx:control": ("Excel のチェック ボックス（フォーム コントロール）", "Excel check box (form control)"),
    "xlsx:textbox": ("Excel のテキスト ボックス", "Excel text box"),
    "xlsx:drawn": ("Excel のセルに重ねて描いた○（楕円）", "oval drawn over an Excel cell"),
}


def source_label(code: str) -> str:
    """A reader's source code in staff's words (the code itself for one without words)."""
    return say(SOURCES, code) if code in SOURCES else code


_ROWS = ("submitted_on", "organization.address", "organization.name", "organization.representative",
         "agreement_type", "fields", "other_field_text", "axis.present", "axis.field", "purpose",
         "expected_effects", "contact.department", "contact.name", "contact.phone", "contact.email")


def proposal_text(p: Proposal, explain: bool = False) -> str:
    lines = [f"■ {p.file} ({format_label(p.format)})"]
    for path in _ROWS:
        value = _display(p, path)
        row = f"  {label_of(path)}: {value}"
        if explain:
            src = p.sources.get(path) or p.sources.get(path.split(".")[0] + ".text" if path == "axis.field" else "")
            row += f"   [{say(MESSAGES, 'source')}: {source_label(src) + f'（{src}）' if src else '—'}]"
        lines.append(row)
    return "\n".join(lines)


def _display(p: Proposal, path: str) -> str:
    value = p.value(path)
    if path == "agreement_type" and value:
        return say(MESSAGES, value)
    if path == "axis.present" and value is not None:
        return say(MESSAGES, "yes" if value else "no")
    if path == "submitted_on" and p.submitted_on and get_lang() == "ja":
        from .era import format_both

        return format_both(p.submitted_on)  # 令和8年10月11日（2026/10/11） as on the screen; ISO in English
    if path == "axis.field" and p.axis.text and p.axis.text.strip() != value:
        # what was written, when it is not the field's own name (「観光」 read as 観光・魅力発信, or unreadable)
        return f"{value or '?'}（{p.axis.text}）"
    if isinstance(value, list):
        sep = "、" if get_lang() == "ja" else ", "
        return sep.join(value) if value else say(MESSAGES, "none")
    if value in (None, ""):
        return say(MESSAGES, "none")
    text = str(value)
    return text.replace("\n", "\n      ")


def status_text(result: CheckResult) -> str:
    """The one-line verdict: 要修正 for applicant errors, else 要確認 for review items, else 受付可."""
    if not result.valid:
        return say(MESSAGES, "invalid", n=len(result.errors))
    if result.review:
        return say(MESSAGES, "review_status", n=len(result.review))
    return say(MESSAGES, "valid")


def next_step(result: CheckResult) -> str:
    return say(MESSAGES, "next_invalid" if not result.valid else "next_review" if result.review else "next_valid")


def check_text(result: CheckResult, explain: bool = False) -> str:
    out = [proposal_text(result.proposal, explain), ""]
    out.append(status_text(result))
    if result.errors:
        out.append(f"  {say(MESSAGES, 'errors')}:")
        out += [f"   - {f.message}" for f in result.errors]
    if result.review:
        out.append(f"  {say(MESSAGES, 'review')}:")
        out += [f"   - {f.message}" for f in result.review]
    if result.warnings:
        out.append(f"  {say(MESSAGES, 'warnings')}:")
        out += [f"   - {f.message}" for f in result.warnings]
    if result.routing:
        r = result.routing
        out.append(f"  {say(MESSAGES, 'routing')}: {r.department}")
        if r.flow:
            out.append(f"  {say(MESSAGES, 'flow')}: {say(MESSAGES, r.flow)}")
        if r.notify:
            out.append(f"  {say(MESSAGES, 'notify')}: {'、'.join(r.notify)}")
        out += [f"   ※ {n}" for n in r.notes]
    out.append(next_step(result))
    return "\n".join(out)
