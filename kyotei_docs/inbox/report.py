"""The validation report staff open from the submission folder: one self-contained HTML file.

HTML rather than .docx because it opens with a double-click on any PC, prints
well and needs no Office; self-contained (inline style, no scripts, no external
resources) because it is opened from a network share.  Every value comes from
an applicant's form, so everything is escaped: a company named
「<script>株式会社」 prints as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote

from ..i18n import Catalog, get_lang, say
from ..proposal import Proposal
from ..report import _ROWS, _display
from ..report import MESSAGES as CHECK_MESSAGES
from ..rules import label_of
from .casenote import MESSAGES as CASE_MESSAGES
from .casenote import CaseNote

MESSAGES: Catalog = {
    "title": ("連携協定に関する提案書　確認結果", "Partnership proposal: check result"),
    "id": ("受付番号", "Submission id"),
    "received": ("受付日時", "Received"),
    "file": ("提出ファイル", "Submitted file"),
    "sha": ("SHA-256", "SHA-256"),
    "content": ("記入内容", "What the form says"),
    "drafts": ("作成した下書き", "Drafts written"),
    "no_drafts_invalid": ("不備があるため協定書の下書きは作成していません。", "No drafts: the form needs correcting first."),
    "no_drafts_error": ("協定書の下書きを作成できませんでした: {detail}", "The drafts could not be made: {detail}"),
    "pdf_missing": ("PDF は作成できませんでした（{detail}）。.docx の下書きを使ってください。",
                    "PDFs could not be made ({detail}); use the .docx drafts."),
    "pdf_later": ("PDF はこのあと作成します（受付画面で受け付けたため、確認結果を先に表示しています）。"
                  "作成が済むと、この一覧に PDF が加わります。それまでは .docx の下書きを使えます。",
                  "The PDFs follow shortly (received on the screen, so this report comes first); they are "
                  "added to this list when made. Until then the .docx drafts can be used."),
    "render_warning": ("下書きの注意", "Notes on the drafts"),
    "status_valid": ("受付可", "Acceptable"),
    "status_invalid": ("要修正", "Needs correction"),
    "generated": ("kyotei-docs が自動で作成した確認結果です。最終的な判断は担当職員が行ってください。",
                  "Checked automatically by kyotei-docs; staff make the final decision."),
}

_STYLE = """
body{font-family:"Yu Gothic","Meiryo","Hiragino Sans","IPAexGothic",sans-serif;margin:2em auto;max-width:60em;
line-height:1.6;color:#222;padding:0 1em}
h1{font-size:1.4em;border-bottom:2px solid #446;padding-bottom:.2em}
h2{font-size:1.1em;margin-top:1.6em;border-left:5px solid #446;padding-left:.4em}
.status{font-size:1.25em;font-weight:bold;padding:.5em .8em;border-radius:4px}
.ok{background:#e6f4ea;color:#1e5b2c;border:1px solid #9bc9a6}
.ng{background:#fdecea;color:#8a1c13;border:1px solid #e3a29c}
.rv{background:#fff4e5;color:#7a4a00;border:1px solid #e8b86a}
h2.review{border-left-color:#d08a00}
li.review{color:#7a4a00}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f1f1f6;width:14em;font-weight:normal}
td{white-space:pre-wrap;word-break:break-all}
li.error{color:#8a1c13}
.next{margin-top:1.5em;padding:.6em .8em;background:#fff8e1;border:1px solid #e6d28a}
.lines{white-space:pre-line}
.foot{margin-top:2em;font-size:.85em;color:#666}
@media print{body{margin:0}}
"""


@dataclass
class ReportInput:
    sid: str
    received: str
    original: str
    sha256: str | None
    check: dict[str, Any]
    drafts: list[str] = field(default_factory=list)
    render_error: str | None = None
    render_warnings: list[str] = field(default_factory=list)
    pdf_error: str | None = None
    #: the drafts' PDFs are still to be made (an upload on the screen: see ``inbox/later.py``)
    pdf_later: bool = False
    #: the case the registry put the file in (None until it has been recorded)
    case: CaseNote | None = None


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _row(label: str, value: object) -> str:
    return f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>"


def report_html(r: ReportInput) -> str:
    check = r.check
    proposal = Proposal.from_json(check.get("proposal") or {})
    valid = bool(check.get("valid"))
    errors = check.get("errors") or []
    warnings = check.get("warnings") or []
    review = check.get("review") or []
    parts: list[str] = []
    if not valid:
        status, css = say(CHECK_MESSAGES, "invalid", n=len(errors)), "ng"
    elif review:
        status, css = say(CHECK_MESSAGES, "review_status", n=len(review)), "rv"
    else:
        status, css = say(CHECK_MESSAGES, "valid"), "ok"
    parts.append(f'<p class="status {css}">{_e(status)}</p>')
    parts.append("<table>" + _row(say(MESSAGES, "id"), r.sid) + _row(say(MESSAGES, "received"), r.received)
                 + _row(say(MESSAGES, "file"), r.original)
                 + (_row(say(MESSAGES, "sha"), r.sha256) if r.sha256 else "") + "</table>")
    if r.case is not None:
        parts.append(_case(r.case))
    if errors:
        parts.append(f"<h2>{_e(say(CHECK_MESSAGES, 'errors'))}</h2><ul>"
                     + "".join(f'<li class="error">{_e(f.get("message", ""))}</li>' for f in errors) + "</ul>")
    if review:
        parts.append(f'<h2 class="review">{_e(say(CHECK_MESSAGES, "review"))}</h2><ul>'
                     + "".join(f'<li class="review">{_e(f.get("message", ""))}</li>' for f in review) + "</ul>")
    if warnings:
        parts.append(f"<h2>{_e(say(CHECK_MESSAGES, 'warnings'))}</h2><ul>"
                     + "".join(f"<li>{_e(f.get('message', ''))}</li>" for f in warnings) + "</ul>")
    routing = check.get("routing")
    if routing:
        rows = _row(say(CHECK_MESSAGES, "routing"), routing.get("department", ""))
        if routing.get("flow"):
            rows += _row(say(CHECK_MESSAGES, "flow"), say(CHECK_MESSAGES, routing["flow"])
                         if routing["flow"] in CHECK_MESSAGES else routing["flow"])
        if routing.get("notify"):
            rows += _row(say(CHECK_MESSAGES, "notify"), ("、" if get_lang() == "ja" else ", ").join(routing["notify"]))
        notes = "".join(f"<li>{_e(n)}</li>" for n in routing.get("notes") or [])
        parts.append(f"<h2>{_e(say(CHECK_MESSAGES, 'routing'))}</h2><table>{rows}</table>"
                     + (f"<ul>{notes}</ul>" if notes else ""))
    parts.append(f"<h2>{_e(say(MESSAGES, 'drafts'))}</h2>" + _drafts(r, valid))
    rows = "".join(_row(label_of(path), _display(proposal, path)) for path in _ROWS)
    parts.append(f"<h2>{_e(say(MESSAGES, 'content'))}</h2><table>{rows}</table>")
    step = "next_invalid" if not valid else "next_review" if review else "next_valid"
    parts.append(f'<p class="next">{_e(say(CHECK_MESSAGES, step))}</p>')
    parts.append(f'<p class="foot">{_e(say(MESSAGES, "generated"))}</p>')
    title = say(MESSAGES, "title")
    company = proposal.organization.name
    head_title = f"{title} – {company}" if company else title
    lang = "en" if get_lang() == "en" else "ja"
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width">'
            f"<title>{_e(head_title)}</title><style>{_STYLE}</style></head>\n<body>"
            f"<h1>{_e(title)}</h1>\n" + "\n".join(parts) + "\n</body></html>\n")


def _case(note: CaseNote) -> str:
    """Which case the file joined and its role there; "possibly the same" asks staff to confirm."""
    rows = (_row(say(CASE_MESSAGES, "case"), note.id) + _row(say(CASE_MESSAGES, "organisation"), note.org)
            + _row(say(CASE_MESSAGES, "role"), note.role_label()))
    css = "status rv lines" if note.possible else "next lines"
    return (f"<h2>{_e(say(CASE_MESSAGES, 'heading'))}</h2><table>{rows}</table>"
            f'<p class="{css}">{_e(note.explain())}</p>')


def _drafts(r: ReportInput, valid: bool) -> str:
    if not valid:
        return f"<p>{_e(say(MESSAGES, 'no_drafts_invalid'))}</p>"
    if r.render_error:
        return f"<p>{_e(say(MESSAGES, 'no_drafts_error', detail=r.render_error))}</p>"
    items = "".join(f'<li><a href="{_e(quote(name))}">{_e(name)}</a></li>' for name in r.drafts)
    out = f"<ul>{items}</ul>" if items else ""
    if r.pdf_later:
        out += f"<p>{_e(say(MESSAGES, 'pdf_later'))}</p>"
    elif r.pdf_error:
        out += f"<p>{_e(say(MESSAGES, 'pdf_missing', detail=r.pdf_error))}</p>"
    if r.render_warnings:
        out += (f"<p>{_e(say(MESSAGES, 'render_warning'))}:</p><ul>"
                + "".join(f"<li>{_e(w)}</li>" for w in r.render_warnings) + "</ul>")
    return out
