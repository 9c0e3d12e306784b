"""Amendments of a signed agreement (協定書 第５条, 変更協定): stored as records of their own.

Why not an edit: a signed agreement is a document both parties hold.  When
they change it they sign a second document (変更協定書) that says which
article changes, from what to what, from which day.  So an amendment is a row
of its own — the article, the text before and after, its date, who recorded
it — and the agreement as signed (``agreements.signed_items``) stays as it
was.  ``agreements.items`` is the *current* wording: what Form 3 announces
and what new results are recorded under.  Results keep the numbering they
were recorded under (``results.items_version``: the number of item
amendments before them), so an item added or removed later never shifts the
meaning of a result already recorded.

Amendments, like events, are never changed or deleted (the schema enforces it).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..sqlitedb import insert
from .errors import RegistryError
from .lifecycle import ITEMS_ARTICLE, _event, _require
from .model import ACTIVE, Agreement, label
from .store import Registry, now_stamp

#: The articles of Form 2 (様式２), by number: what a 変更協定書 names.
ARTICLES: dict[int, str] = {1: "目的", 2: "連携・協力事項", 3: "守秘義務", 4: "有効期間", 5: "協定の見直し",
                            6: "その他"}


@dataclass(frozen=True)
class Amendment:
    """One change of a signed agreement: an article, its text before and after, the day it applies."""

    id: int
    agreement_id: int
    article: int
    #: the items (a list) for article 2, else the article's text
    before: Any
    after: Any
    on_date: date
    reason: str | None
    actor: str
    recorded_at: str

    @property
    def changes_items(self) -> bool:
        return self.article == ITEMS_ARTICLE and isinstance(self.after, list)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Amendment:
        return cls(row["id"], row["agreement_id"], row["article"], json.loads(row["before"]),
                   json.loads(row["after"]), date.fromisoformat(row["on_date"]), row["reason"], row["actor"],
                   row["recorded_at"])

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "agreement_id": self.agreement_id, "article": self.article,
                "article_title": ARTICLES.get(self.article, ""), "before": self.before, "after": self.after,
                "on_date": self.on_date.isoformat(), "reason": self.reason, "actor": self.actor,
                "recorded_at": self.recorded_at}


def amendments_for(conn: sqlite3.Connection, agreement_id: int) -> list[Amendment]:
    """The agreement's amendments, oldest first."""
    rows = conn.execute("SELECT * FROM amendments WHERE agreement_id = ? ORDER BY id", (agreement_id,))
    return [Amendment.from_row(r) for r in rows]


def items_at(a: Agreement, amendments: list[Amendment], version: int) -> tuple[str, ...]:
    """The items as they read after ``version`` item amendments (0: as signed)."""
    if version <= 0:
        return a.signed_items or a.items
    changes = [m for m in amendments if m.changes_items]
    if version > len(changes):
        return a.items
    return tuple(changes[version - 1].after)


def items_in_force(a: Agreement, amendments: list[Amendment], day: date) -> tuple[str, ...]:
    """The items in force on ``day``: as signed, then each item amendment that has taken effect by then
    (an amendment recorded ahead of its date does not reach the homepage early)."""
    current = a.signed_items or a.items
    for m in amendments:
        if m.changes_items and m.on_date <= day:
            current = tuple(m.after)
    return current


def record(reg: Registry, agreement_id: int, *, article: int, after: Any, on: date, reason: str | None,
           actor: str, before: Any = None) -> Amendment:
    """Record one amendment of a signed agreement in force; for article 2 ``after`` is the new item list.

    Refused (nothing recorded): an agreement not signed or no longer in force,
    a date before the signing or before the last amendment, an item list that
    is the current one, an article Form 2 does not have.
    """
    if article not in ARTICLES:
        raise RegistryError("amend_bad_article", article=article,
                            articles="、".join(f"第{n}条（{t}）" for n, t in ARTICLES.items()))
    with reg.write() as conn:
        a = _require(conn, agreement_id)
        if a.signed_on is None:
            raise RegistryError("amend_not_signed", id=a.id)
        if a.status not in ACTIVE:
            raise RegistryError("amend_not_in_force", id=a.id, status=label(a.status))
        if on < a.signed_on:
            raise RegistryError("date_before", what=label("ev_amended"), date=on.isoformat(),
                                other=label("ev_signed"), other_date=a.signed_on.isoformat())
        if a.ended_on is not None and on >= a.ended_on:
            raise RegistryError("amend_after_end", id=a.id, date=on.isoformat(), end=a.ended_on.isoformat())
        last = conn.execute("SELECT max(on_date) FROM amendments WHERE agreement_id = ?", (a.id,)).fetchone()[0]
        if last and on.isoformat() < last:
            raise RegistryError("amend_before_last", date=on.isoformat(), last=last)
        if article == ITEMS_ARTICLE:
            before = list(a.items)
            after = list(after)
            if after == before:
                raise RegistryError("amend_same_items", id=a.id)
            conn.execute("UPDATE agreements SET items = ?, signed_items = COALESCE(signed_items, ?),"
                         " updated_at = ? WHERE id = ?",
                         (json.dumps(after, ensure_ascii=False), json.dumps(before, ensure_ascii=False),
                          now_stamp(), a.id))
        else:
            before, after = " ".join(str(before or "").split()), " ".join(str(after or "").split())
            if not after:
                raise RegistryError("amend_empty", article=article)
        amendment_id = insert(
            conn, "INSERT INTO amendments (agreement_id, article, before, after, on_date, reason, actor, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (a.id, article, json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False),
             on.isoformat(), (reason or "").strip() or None, actor, now_stamp()))
        _event(conn, a.id, "amended", on, actor,
               detail={"amendment_id": amendment_id, "article": article, "before": before, "after": after,
                       "reason": (reason or "").strip() or None})
        row = conn.execute("SELECT * FROM amendments WHERE id = ?", (amendment_id,)).fetchone()
        return Amendment.from_row(row)
