"""Review items: what a person must compare with the original, kept apart from applicant errors.

The reader is honest.  When it found a label and text after it that no value
took, when two marks disagree, when a text control is flagged as placeholder but
holds text, or when the words came from OCR, it says so as a *review item*
(``要確認 — 原本と照合してください``), with the original text next to what was
read.  An applicant error on an entry the reader was unsure of may be its own
misread, so that error becomes a review item too: staff are never told to ask a
company to correct what the company wrote correctly.
"""

from __future__ import annotations

from typing import Any

from .i18n import Catalog, get_lang, say
from .proposal import Doubt, Proposal
from .rules import Finding, label_of

MESSAGES: Catalog = {
    "review_unplaced_text": (
        "「{label}」の後に、値として読み取れなかった記載があります。原本「{original}」／読み取り「{read}」",
        "Text after 「{label}」 could not be placed as its value. Original: 「{original}」 / read: 「{read}」"),
    "review_unlabelled_text": (
        "「{label}」の項目が見つかりませんが、項目名を読み取れない記載があります。原本「{original}」／読み取り「{read}」",
        "No entry 「{label}」 was found, but there is text under a heading the reader does not know. "
        "Original: 「{original}」 / read: 「{read}」"),
    "review_joined_cells": (
        "「{label}」を、同じ行に並んだ複数の記載をつないで読み取りました。別の項目が混ざっていないか確認してください。"
        "原本「{original}」／読み取り「{read}」",
        "「{label}」 was read by joining several entries side by side on its row: check that no other entry is mixed in. "
        "Original: 「{original}」 / read: 「{read}」"),
    "review_value_shape": (
        "「{label}」として読み取った値が、ほかの項目の記載のように見えます（項目名が記入欄の下に印刷された様式など）。"
        "どの記入がどの項目のものか原本で確認してください。原本「{original}」／読み取り「{read}」",
        "The value read as 「{label}」 looks like another entry's (a form that prints each heading under its answer?): "
        "check in the original which answer belongs to which heading. Original: 「{original}」 / read: 「{read}」"),
    "review_example_text": (
        "「{label}」に記入例の「〇〇」のような文字が残っています。提案者の記入か原本で確認してください。"
        "原本「{original}」／読み取り「{read}」",
        "「{label}」 still holds a stand-in such as 「〇〇」 from an example: check the applicant's own entry in the "
        "original. Original: 「{original}」 / read: 「{read}」"),
    "review_several_forms": (
        "この書類には様式１が複数あります（記入例や写しを含む）。読み取ったのは{original}番目の様式１です。"
        "すべての値とチェック欄を原本と照合してください。",
        "This file holds more than one Form 1 (an example or a copy among them); Form 1 number {original} was read. "
        "Compare every value and tick with the original."),
    "review_several_forms_finding": (
        "（様式１が複数ある書類のため、別の様式１の記載の可能性があります）{message}",
        "(the file holds more than one Form 1: this may come from another one) {message}"),
    "review_same_as": (
        "「{label}」が「{original}」と書かれており、ほかの欄を指しています。どの記載か原本で確認し、値を訂正してください。"
        "原本「{original}」／読み取り「{read}」",
        "「{label}」 says 「{original}」, pointing at another entry: check which in the original and correct the value. "
        "Original: 「{original}」 / read: 「{read}」"),
    "review_mark_conflict": (
        "「{label}」の印が食い違っています（チェックと取り消し線、チェック欄の状態と表示など）。原本「{original}」／読み取り「{read}」",
        "The marks for 「{label}」 disagree (a tick and a strike, a checkbox's state and its glyph). "
        "Original: 「{original}」 / read: 「{read}」"),
    "review_placeholder_text": (
        "「{label}」の入力欄は未入力の表示のままですが、文字が入っています。原本「{original}」／読み取り「{read}」",
        "The field 「{label}」 is still flagged as empty but holds text. Original: 「{original}」 / read: 「{read}」"),
    "review_ocr": (
        "スキャン画像を文字認識（OCR）で読み取りました。すべての値とチェック欄を原本と照合してください。",
        "The scanned form was read by OCR: compare every value and tick with the original."),
    "review_ocr_finding": (
        "（OCR の読み取りによる可能性があります）{message}",
        "(may be an OCR misread) {message}"),
    "review_no_circle": (
        "「{label}」は○で囲んで選ぶ様式ですが、囲みの印が読み取れず、印刷された選択肢を答えとして読んだ可能性があります。"
        "原本で確認してください。原本「{original}」／読み取り「{read}」",
        "「{label}」 is chosen by circling, but no circle could be read and the printed options may have been taken "
        "for the answer: check the original. Original: 「{original}」 / read: 「{read}」"),
    "review_date_hidden": (
        "提出日の欄が「{original}」と表示されています（表計算ソフトで列の幅が足りず、日付が表示されずに印刷されたもの）。"
        "原本のファイルで日付を確認してください。",
        "The date cell shows 「{original}」 (a spreadsheet's column too narrow for the date, printed so): check the "
        "date in the original file."),
    "review_field_unreadable": (
        "「{label}」が空欄と読み取られましたが、PDF の入力欄に文字として読み取れない表示があります"
        "（文字の対応表のないフォント）。原本で記入を確認してください。",
        "「{label}」 was read blank, but a field of the PDF shows text that cannot be decoded (a font without a "
        "Unicode map): check the entry in the original."),
    "review_printed_options": (
        "「{label}」の選択肢が一つずつ並んで印刷されていますが、どの選択肢の横にも印が読み取れません"
        "（図形で描いたチェックなど）。選択肢の文字を答えとして読んだ可能性があります。原本で確認してください。"
        "原本「{original}」／読み取り「{read}」",
        "The options of 「{label}」 are printed one by one and no mark could be read beside any of them (a tick "
        "drawn as a shape?): the printed words may have been taken for the answer. Check the original. "
        "Original: 「{original}」 / read: 「{read}」"),
    "review_circles_drawn": (
        "提案書に図形の○（楕円）が描かれており、○で囲んだ選択は読み取れません。「{label}」を原本で確認してください。",
        "The form has ellipse shapes drawn on it; choices circled with them cannot be read. Check 「{label}」 "
        "in the original."),
    "review_cut_off": (
        "PDF の一部がページの外にはみ出しています（表計算ソフトで用紙に収めずに印刷したものなど）。"
        "はみ出した記載は読み取れていない可能性があります。すべての値とチェック欄を原本と照合してください。",
        "Part of the PDF lies outside its pages (e.g. a spreadsheet printed without fitting it to the paper): "
        "what runs off may not have been read. Compare every value and tick with the original."),
    "review_cut_off_finding": (
        "（ページの外にはみ出した記載のため読み取れていない可能性があります）{message}",
        "(may be text that runs off the page) {message}"),
    "review_outside_contact": (
        "「{label}」を様式１の連絡先の欄の外（レターヘッド・提案者欄など）から読み取りました。担当者の連絡先か確認してください。"
        "原本「{original}」／読み取り「{read}」",
        "「{label}」 was read from outside the form's contact block (a letterhead, the applicant's header): check it is "
        "the contact's. Original: 「{original}」 / read: 「{read}」"),
    "review_cover_letter": (
        "様式１に「{label}」がありませんが、送付状（様式１の前か後ろに添えた書面）に「{original}」があります。担当者のものか確認してください"
        "（送付状の値は読み取っていません）。",
        "Form 1 has no 「{label}」, but the cover letter sent with it (before or after it) has 「{original}」: check whether it is the contact's "
        "(the letter's values are not read)."),
    "review_attachment": (
        "「{label}」が「{original}」と書かれているため、添付の別紙の記載を読み取りました。別紙と照合してください。"
        "原本「{original}」／読み取り「{read}」",
        "「{label}」 says 「{original}」, so the attachment's text was read: compare it with the attachment. "
        "Original: 「{original}」 / read: 「{read}」"),
    "review_attachment_missing": (
        "「{label}」が「{original}」と書かれていますが、該当する別紙が見つかりません。添付を確認してください。",
        "「{label}」 says 「{original}」, but no such attachment was found: check what was attached."),
    "review_date_serial": (
        "提出日の欄に日付の代わりに数値「{original}」が表示されています（表計算ソフトの日付の表示形式が失われたもの）。"
        "日付として「{read}」と読みました。原本で確認してください。",
        "The date cell shows the number 「{original}」 instead of a date (a spreadsheet's date format was lost); "
        "it was read as the date 「{read}」: check it in the original."),
    "nothing": ("（なし）", "(nothing)"),
}

#: review codes, in the order they are listed
CODES = ("review_unplaced_text", "review_unlabelled_text", "review_joined_cells", "review_value_shape", "review_same_as",
         "review_example_text",
         "review_mark_conflict", "review_placeholder_text",
         "review_outside_contact", "review_cover_letter", "review_attachment", "review_attachment_missing",
         "review_date_serial", "review_date_hidden", "review_field_unreadable",
         "review_no_circle", "review_printed_options", "review_circles_drawn", "review_several_forms", "review_cut_off", "review_ocr")
#: doubts on the whole file: every applicant error may be the reader's, so each becomes a review item
_WHOLE_FILE = ("review_ocr", "review_cut_off", "review_several_forms")
#: the error fields a doubt on a field covers (an axis doubt covers the axis field and choice)
_COVERS = {"axis.field": ("axis.field", "axis.present"), "axis.present": ("axis.present", "axis.field")}


def review(p: Proposal, errors: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(errors that stand, review items) for ``p``: errors on doubted entries move to review."""
    items = [_item(p, d) for d in p.doubts]
    doubted = {f for d in p.doubts for f in _COVERS.get(d.field, (d.field,))}
    whole = next((code for code in _WHOLE_FILE if any(d.code == code for d in p.doubts)), None)
    kept: list[Finding] = []
    for error in errors:
        if whole:
            inner: dict[str, Any] = {"code": error.code, "message": error.message}
            if error.params is not None:
                inner["params"] = dict(error.params)
            items.append(Finding(whole, error.field, say(MESSAGES, f"{whole}_finding", message=error.message),
                                 "review", {"finding": inner}))
        elif error.field in doubted:
            continue  # the doubt's review item says what to compare; no error for the applicant
        else:
            kept.append(error)
    return kept, _unique(items)


def _item(p: Proposal, doubt: Doubt) -> Finding:
    read = _read(p, doubt.field)
    params = {"original": doubt.original or None, "read": read}
    return Finding(doubt.code, doubt.field, _say_item(doubt.code, doubt.field, params), "review", params)


def _say_item(code: str, field: str, params: dict[str, Any]) -> str:
    """A review item's message in the current language from what it was made of (None: nothing was read)."""
    read = params.get("read")
    if isinstance(read, list):
        shown = ("、" if get_lang() == "ja" else ", ").join(str(v) for v in read) or say(MESSAGES, "nothing")
    else:
        shown = say(MESSAGES, "nothing") if read is None else str(read)
    return say(MESSAGES, code, label=label_of(field), original=params.get("original") or shown, read=shown)


def said(item: dict[str, Any]) -> str:
    """A stored review item's (or error's) message in the current language.

    Items recorded with the parameters they were made of are said again, so a
    case read in Japanese shows them in English with ``--lang en``; items
    recorded before that (no parameters) keep their stored text.
    """
    from .rules import said as rule_said

    stored = str(item.get("message") or "")
    code, params = str(item.get("code") or ""), item.get("params")
    if not isinstance(params, dict):
        return stored
    try:
        if code in _WHOLE_FILE and isinstance(params.get("finding"), dict):
            return say(MESSAGES, f"{code}_finding", message=said(params["finding"]))
        if code in MESSAGES:
            return _say_item(code, str(item.get("field") or ""), params)
    except (KeyError, IndexError, ValueError):
        return stored
    return rule_said(item)


def _read(p: Proposal, path: str) -> str | list[str] | None:
    """What was read for ``path``, as the item quotes it (None: nothing; a list is joined when said)."""
    if path == "file":
        return ""
    value = p.value(path)
    if path == "axis.present" and value is not None:
        value = "有" if value else "無"
    elif path == "agreement_type" and value:
        value = {"individual": "個別連携協定", "comprehensive": "包括連携協定"}.get(value, value)
    if isinstance(value, list):
        return [str(v) for v in value] or None
    if value in (None, ""):
        return None
    return str(value).replace("\n", " ")


def _unique(items: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for item in items:
        k = (item.code, item.field, item.message)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out
