"""The yearly results survey (実績調査): workbooks out to departments, filled ones back in bulk.

Used by ``kyotei registry survey make|import`` (and by the screen once it
offers it).  :func:`make` writes one workbook per department listing its
agreements in force during the fiscal year and their current items
(:mod:`kyotei_docs.registry.surveybook`).  :func:`read` reads returned
workbooks and checks every row against the registry — a preview, nothing
recorded; :func:`record` records the rows of all the workbooks in one
transaction, and only when no row of any of them has a problem: a bulk import
is never half done.  A row already recorded (same agreement, year, item,
title and date) is skipped, so importing a workbook twice records it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from ..era import fiscal_year_end, fiscal_year_said, fiscal_year_start, format_fiscal_year
from ..errors import UnreadableError
from ..i18n import say
from ..publish import write_new
from ..registry.lifecycle import NewResult, add_results, check_fiscal_year
from ..registry.model import ACTIVE, ENDED, Agreement
from ..registry.queries import list_agreements
from ..registry.store import Registry
from ..registry.surveybook import (
    MESSAGES,
    SHEET,
    Problem,
    SurveyAgreement,
    SurveyResult,
    SurveyRow,
    read_workbook,
    write_workbook,
)
from ..safenames import safe_filename
from .service import _actor, _today

__all__ = ["NO_DEPARTMENT", "SurveyImport", "make", "read", "record"]

#: The department name used for agreements with none recorded.
NO_DEPARTMENT = "担当未設定"


def _in_force_during(a: Agreement, fy: int) -> bool:
    first, last = fiscal_year_start(date(fy, 4, 1)), fiscal_year_end(date(fy, 4, 1))
    if a.signed_on is None or a.signed_on > last:
        return False
    if a.status in ACTIVE:
        return a.ended_on is None or a.ended_on >= first
    return a.status == ENDED and a.ended_on is not None and a.ended_on >= first


def make(cfg: Any, reg: Registry, *, fy: int, out_dir: Path, departments: Sequence[str] = ()) -> list[Path]:
    """One workbook per department (or only ``departments``) for fiscal year ``fy``; never overwrites.

    Returns the files written.  Departments without an agreement in force
    during the year get no workbook.
    """
    check_fiscal_year(fy)
    with reg.snapshot() as conn:
        agreements = [a for a in list_agreements(conn) if _in_force_during(a, fy)]
        rows = conn.execute("SELECT * FROM results WHERE fiscal_year = ? ORDER BY agreement_id, item_no, id",
                            (fy,)).fetchall()
    by_department: dict[str, list[Agreement]] = {}
    for a in agreements:
        by_department.setdefault(a.department or NO_DEPARTMENT, []).append(a)
    wanted = set(departments)
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for department, listed in sorted(by_department.items()):
        if wanted and department not in wanted:
            continue
        ids = {a.id for a in listed}
        book = [SurveyAgreement(a.id, a.title, a.partner_name or "", a.items) for a in listed]
        done = [SurveyResult(r["agreement_id"], r["item_no"], date.fromisoformat(r["done_on"]) if r["done_on"] else None,
                             r["title"], r["content"] or "", bool(r["public"]), id=r["id"])
                for r in rows if r["agreement_id"] in ids]
        name = f"実績調査_{format_fiscal_year(fy, 'ascii')}_{safe_filename(department)}.xlsx"
        written.append(write_new(out_dir / name, partial(_write, fy=fy, department=department, agreements=book,
                                                         results=done)))
    return written


def _write(tmp: Path, **values: Any) -> None:
    write_workbook(tmp, **values)


@dataclass
class SurveyImport:
    """What a set of returned workbooks holds, checked against the registry."""

    rows: list[SurveyRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: rows that were recorded before (by an earlier import or by hand): skipped
    duplicates: int = 0
    #: rows listed with their 実績ID (recorded before the workbook was made)
    listed: int = 0
    #: fiscal year of each row (by file)
    years: dict[str, int] = field(default_factory=dict)
    #: result IDs recorded by :func:`record`
    recorded: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"rows": [{"file": r.file, "row": r.row, "agreement": r.agreement_id, "item": r.item,
                          "date": r.done_on.isoformat() if r.done_on else None, "title": r.title,
                          "content": r.content, "public": r.public, "fiscal_year": self.years.get(r.file)}
                         for r in self.rows],
                "problems": [p.to_json() for p in self.problems], "duplicates": self.duplicates,
                "listed": self.listed, "recorded": self.recorded}


def read(cfg: Any, reg: Registry, paths: Sequence[Path]) -> SurveyImport:
    """Every returned workbook read and checked; nothing recorded (the preview)."""
    out = SurveyImport()
    seen: set[tuple[Any, ...]] = set()
    with reg.snapshot() as conn:
        agreements = {a.id: a for a in list_agreements(conn)}
        existing = {(r["agreement_id"], r["fiscal_year"], r["item_no"], r["title"], r["done_on"])
                    for r in conn.execute("SELECT agreement_id, fiscal_year, item_no, title, done_on FROM results")}
    for path in paths:
        try:
            book = read_workbook(Path(path), limits=cfg.limits)
        except UnreadableError as exc:
            out.problems.append(Problem(Path(path).name, "", None, None, exc.message))
            continue
        except OSError as exc:
            out.problems.append(Problem(Path(path).name, "", None, None, f"{type(exc).__name__}: {exc}"))
            continue
        out.problems += book.problems or []
        out.listed += book.recorded
        if book.fy is None:
            continue
        out.years[book.file] = book.fy
        listed_ids = book.agreement_ids
        for row in book.rows or []:
            a = agreements.get(row.agreement_id)
            if a is None or row.agreement_id not in listed_ids:
                out.problems.append(Problem(book.file, SHEET, row.row, "A",
                                            say(MESSAGES, "not_listed", id=row.agreement_id)))
                continue
            if not _in_force_during(a, book.fy):
                out.problems.append(Problem(book.file, SHEET, row.row, "A", say(
                    MESSAGES, "not_in_force", id=a.id, fy=fiscal_year_said(book.fy))))
                continue
            if row.item > len(a.items):
                out.problems.append(Problem(book.file, SHEET, row.row, "D", say(
                    MESSAGES, "no_such_item", item=row.item, id=a.id, count=len(a.items))))
                continue
            if row.done_on and a.signed_on and row.done_on < a.signed_on:
                out.problems.append(Problem(book.file, SHEET, row.row, "F", say(
                    MESSAGES, "before_signing", date=row.done_on.isoformat(), id=a.id,
                    signed=a.signed_on.isoformat())))
                continue
            key = (a.id, book.fy, row.item, row.title, row.done_on.isoformat() if row.done_on else None)
            if key in existing or key in seen:
                out.duplicates += 1
                continue
            seen.add(key)
            out.rows.append(row)
    return out


def record(cfg: Any, reg: Registry, paths: Sequence[Path], *, actor: str | None = None,
           today: date | None = None) -> SurveyImport:
    """Read and check, then record every row in one transaction — or, with any problem, nothing."""
    found = read(cfg, reg, paths)
    if found.problems or not found.rows:
        return found
    with reg.snapshot() as conn:
        departments = {a.id: a.department for a in list_agreements(conn)}
    entries = [NewResult(r.agreement_id, found.years[r.file], r.item, r.title, r.done_on, r.content or None,
                         departments.get(r.agreement_id), r.public, via=f"{r.file}:{r.row}") for r in found.rows]
    found.recorded = add_results(reg, entries, actor=_actor(actor), today=_today(cfg, today))
    return found
