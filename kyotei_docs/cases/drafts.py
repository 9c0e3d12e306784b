"""The 協定書（案） exchanged with the organisation (guideline 4: 協定書（案）作成 → 内容確認・修正 → 内容確定).

Each draft sent is a numbered version: Form 2 as the case now stands (its
items, no signing date), written into the case's folder as 「協定書（案）第N版」.
A version the organisation returns (a .docx with tracked changes — read with
insertions accepted and deletions left out, as Word shows it after 「すべて承諾」
— or plain edits) is read by the project's own reader (bounded, sandboxed like
any submission) and compared with the version before it article by article.
Each version is recorded with its articles' text (``draft`` events), so a
comparison never needs the files again.

Confirming a version (内容確定) makes it what signing prints: its items
(第２条's ⑴⑵…) become the case's items, so Form 2 at signing carries them; a
change in any other article cannot come from the shipped template and is said
so (edit the city's template, or print the confirmed .docx) — never dropped
silently.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..i18n import Catalog, say
from ..registry.store import Registry
from .flow import mark
from .messages import CaseError

__all__ = ["ArticleDiff", "Version", "compare", "confirm", "receive", "send", "versions"]

EVENT = "draft"
EVENT_CONFIRMED = "draft_confirmed"
_ARTICLE = re.compile(r"^第([０-９0-9]+)条")
_HEADING = re.compile(r"^（[^）]{1,20}）$")
_ITEM = re.compile(r"^[⑴-⒇]\s*")

MESSAGES: Catalog = {
    "preamble": ("前文", "preamble"),
    "same": ("変更なし", "unchanged"),
    "changed": ("変更あり", "changed"),
    "added": ("追加", "added"),
    "removed": ("削除", "removed"),
    "no_version": ("協定ID {id} の協定書（案）第{n}版はありません（版: {versions}）。",
                   "Case {id} has no draft version {n} (versions: {versions})."),
    "nothing_sent": ("協定ID {id} にはまだ協定書（案）を送っていません（kyotei registry draft send {id}）。",
                     "No draft of case {id} was sent yet (kyotei registry draft send {id})."),
    "no_articles": ("{file}: 協定書の条（「第１条」…）が見つかりません。返送された協定書（案）の Word ファイルか確認してください。",
                    "{file}: no articles (第１条 …) found; is it the returned draft agreement?"),
    "after_signing": ("協定ID {id} は{date}に締結済みのため、協定書（案）は扱いません（何も変更していません）。"
                      "締結後に連携事項などを変えるときは変更協定を使います: kyotei registry amend {id}",
                      "Case {id} was signed on {date}, so drafts no longer apply (nothing changed). To change a "
                      "signed agreement use an amendment: kyotei registry amend {id}"),
    "other_articles": ("第{articles}条の変更は様式２の雛形から印刷されません。テンプレートを編集するか、確定版の .docx を印刷してください。",
                       "The change of article(s) {articles} does not come from the Form 2 template: edit the city's "
                       "template or print the confirmed .docx."),
}


class DraftError(CaseError):
    catalog = MESSAGES


def _unsigned(case: Any) -> None:
    """Drafts belong before the signing: a signed agreement changes by amendment (第５条), never by a new
    draft version that would also move the case's flow back to 協定書（案）."""
    signed = case.agreement.signed_on
    if signed is not None:
        from ..era import format_wareki

        raise DraftError("after_signing", id=case.id, date=format_wareki(signed, "ascii"))


@dataclass(frozen=True)
class Version:
    number: int
    direction: str  # "sent" or "returned"
    on_date: date
    file: str
    articles: dict[str, str]
    actor: str


@dataclass(frozen=True)
class ArticleDiff:
    key: str
    state: str  # same / changed / added / removed
    before: str
    after: str

    def lines(self) -> list[str]:
        """What changed, line by line (- before, + after)."""
        diff = difflib.ndiff(self.before.splitlines(), self.after.splitlines())
        return [d for d in diff if d[:1] in "-+"]

    def to_json(self) -> dict[str, Any]:
        return {"article": self.key, "state": self.state, "changes": self.lines()}


def articles_of(text_lines: Sequence[str]) -> dict[str, str]:
    """The text of each article, keyed 「第１条」…, the lines before the first one as 「前文」.

    A heading line 「（目的）」 belongs to the article after it; everything after
    the last article's start (further paragraphs, the closing) stays with it.
    """
    out: dict[str, list[str]] = {}
    key = say(MESSAGES, "preamble")
    pending: list[str] = []
    for raw in text_lines:
        line = raw.strip()
        if not line:
            continue
        m = _ARTICLE.match(line)
        if m:
            key = f"第{m.group(1).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条"
            out.setdefault(key, []).extend(pending)
            pending = []
        elif _HEADING.match(line):
            pending.append(line)
            continue
        out.setdefault(key, []).extend([*pending, line])
        pending = []
    if pending:
        out.setdefault(key, []).extend(pending)
    return {k: "\n".join(v) for k, v in out.items()}


def _docx_lines(path: Path) -> list[str]:
    from ..readers import read_form

    return [line.plain for block in read_form(path).blocks for line in block.lines]


def versions(events: Any) -> list[Version]:
    return [Version(e.detail["version"], e.detail.get("direction", "sent"), e.on_date, e.detail.get("file", ""),
                    dict(e.detail.get("articles", {})), e.actor) for e in events if e.kind == EVENT]


def confirmed(events: Any) -> int | None:
    """The version confirmed last (内容確定), if any."""
    found = [e.detail.get("version") for e in events if e.kind == EVENT_CONFIRMED]
    return found[-1] if found else None


def compare(before: dict[str, str], after: dict[str, str]) -> list[ArticleDiff]:
    keys = list(before) + [k for k in after if k not in before]
    out = []
    for k in keys:
        if k not in after:
            out.append(ArticleDiff(k, "removed", before[k], ""))
        elif k not in before:
            out.append(ArticleDiff(k, "added", "", after[k]))
        else:
            out.append(ArticleDiff(k, "same" if before[k] == after[k] else "changed", before[k], after[k]))
    return out


def send(cfg: Any, reg: Registry, ref: str | int, *, out_dir: Path, pdf: bool = False, actor: str | None = None,
         today: date | None = None) -> tuple[int, Any]:
    """Write the next version of the 協定書（案） from the case as it stands; record it once the file exists."""
    from ..registry.documents import proposal_of
    from ..registry.lifecycle import record_event
    from ..render.context import build_context
    from ..render.letters import render_letter
    from ..render.templates import FORM2_COMPREHENSIVE, FORM2_INDIVIDUAL
    from . import service

    day = service._today(cfg, today)
    case = service.get(cfg, reg, ref, today=day)
    _unsigned(case)
    number = len(versions(case.events)) + 1
    values = build_context(proposal_of(case.agreement), cfg, items=list(case.agreement.items) or None).values
    values["title"] = f"{values['title']}（案）"  # a draft says so on its face
    template = FORM2_INDIVIDUAL if values["kind"] == "individual" else FORM2_COMPREHENSIVE
    letter = render_letter(cfg, template, values, out_dir, label=f"協定書（案）第{number}版",
                           partner_name=case.organisation, pdf=pdf)
    docx = letter.files[0]
    record_event(reg, case.id, EVENT, on=day, actor=service._actor(actor),
                 detail={"version": number, "direction": "sent", "file": docx.name,
                         "articles": articles_of(_docx_lines(docx))})
    mark(cfg, reg, case, "draft", on=day, actor=service._actor(actor), today=day, note=f"第{number}版")
    return number, letter


def receive(cfg: Any, reg: Registry, ref: str | int, path: Path, *, actor: str | None = None,
            today: date | None = None) -> tuple[int, list[ArticleDiff]]:
    """Read a version the organisation returned, compare it with the one before, record it as the next version."""
    from ..registry.lifecycle import record_event
    from . import service

    day = service._today(cfg, today)
    case = service.get(cfg, reg, ref, today=day)
    _unsigned(case)
    known = versions(case.events)
    if not known:
        raise DraftError("nothing_sent", id=case.id)
    after = articles_of(_docx_lines(Path(path)))
    if not any(_ARTICLE.match(k) for k in after):
        raise DraftError("no_articles", file=Path(path).name)
    diffs = compare(known[-1].articles, after)
    number = len(known) + 1
    record_event(reg, case.id, EVENT, on=day, actor=service._actor(actor),
                 detail={"version": number, "direction": "returned", "file": Path(path).name, "articles": after,
                         "compared_with": known[-1].number})
    mark(cfg, reg, case, "confirmation", on=day, actor=service._actor(actor), today=day, note=f"第{number}版（返送）")
    return number, diffs


def items_of(articles: dict[str, str]) -> list[str]:
    """The items (⑴⑵…) of 第２条 as plain texts."""
    text = articles.get("第２条", "")
    return [_ITEM.sub("", line).strip() for line in text.splitlines() if _ITEM.match(line)]


def confirm(cfg: Any, reg: Registry, ref: str | int, number: int, *, actor: str | None = None,
            today: date | None = None) -> tuple[Any, list[str]]:
    """内容確定: version ``number`` is what signing prints — its items become the case's; returns (case, warnings)."""
    from ..registry.lifecycle import record_event
    from . import service

    day = service._today(cfg, today)
    case = service.get(cfg, reg, ref, today=day)
    _unsigned(case)
    known = {v.number: v for v in versions(case.events)}
    if number not in known:
        raise DraftError("no_version", id=case.id, n=number, versions="、".join(map(str, known)) or "—")
    chosen = known[number]
    items = items_of(chosen.articles)
    warnings = []
    first_sent = next(v for v in known.values() if v.direction == "sent")
    others = [k for k, v in chosen.articles.items()
              if k not in ("第２条", say(MESSAGES, "preamble")) and first_sent.articles.get(k) != v]
    if others:
        warnings.append(say(MESSAGES, "other_articles", articles="・".join(k[1:-1] for k in others)))
    if items and items != list(case.agreement.items):
        service.set_items(cfg, reg, case.id, items, actor=actor, today=day)
    record_event(reg, case.id, EVENT_CONFIRMED, on=day, actor=service._actor(actor),
                 detail={"version": number, "items": items})
    mark(cfg, reg, service.get(cfg, reg, case.id, today=day), "fixed", on=day, actor=service._actor(actor), today=day,
         note=f"第{number}版")
    return service.get(cfg, reg, case.id, today=day), warnings
