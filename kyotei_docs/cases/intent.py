"""The 意向調査 of an オールラウンド型 proposal (guideline 4(2), month 1): a sheet per department, answers, とりまとめ.

The coordinating section asks every department whether and how it wants to
work with the organisation.  This module writes one Excel workbook per
department (the proposal's summary, the answer deadline, the cells to fill:
連携への意向, 希望する連携内容・取組事項, 担当者, 備考), reads returned ones
back, records each department's answer on the case (``intent_answer``
events: the latest per department counts) and writes the とりまとめ for the
三者協議 (``intent_summary.docx`` through the one letter path).

A returned workbook is a stranger's file: it passes the bounded package reader
(:class:`~kyotei_docs.readers.package.Package`) before openpyxl opens it, and
it must carry the hidden sheet this module wrote (kind, version, the case's ID,
the department) — a workbook for another case, or not ours, is refused by
name; one unreadable answer refuses the whole import (nothing half-recorded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UnreadableError
from ..i18n import Catalog, in_japanese, say
from ..publish import write_new
from ..registry.store import Registry
from .flow import mark
from .messages import CaseError

__all__ = ["Answer", "answer", "answers", "make", "read", "record", "render_summary"]

KIND = "kyotei-intent"
VERSION = 1
META = "_kyotei"
SHEET = "意向調査"
EVENT_SENT = "intent_sent"
EVENT_ANSWER = "intent_answer"
#: the answer cells (column B) and their row on 「意向調査」
ROWS = {"wish": 14, "contents": 15, "contact": 16, "note": 17}
WISHES = ("希望する", "希望しない", "検討中")

MESSAGES: Catalog = {
    "title": ("連携協定に関する意向調査票", "Survey of the departments' wishes"),
    "not_book": ("{file}: Excel ブック（.xlsx）ではありません。", "{file}: not an Excel workbook (.xlsx)."),
    "not_ours": ("{file}: kyotei の意向調査票ではありません（kyotei registry intent make で作成した票に記入して返してください）。",
                 "{file}: not a kyotei survey sheet (fill in the one made by kyotei registry intent make)."),
    "other_case": ("{file}: 協定ID {other} の調査票です（この案件は協定ID {id}）。", "{file}: a sheet for case {other}, not {id}."),
    "bad_wish": ("{file}: 「{sheet}」B{row} の連携への意向は {wishes} のどれかです（記入: {value}）。",
                 "{file}: 「{sheet}」B{row}: the wish is one of {wishes} (written: {value})."),
    "no_contents": ("{file}: 「{sheet}」B{row} 「希望する」なら希望する連携内容・取組事項を書いてください。",
                    "{file}: 「{sheet}」B{row}: with 希望する, write the wished content."),
    "typed_bad_wish": ("連携への意向は {wishes} のどれかです（指定: {value}）。", "The wish is one of {wishes} (given: {value})."),
    "typed_no_contents": ("{department} が「希望する」なら、希望する連携内容・取組事項（--contents）を書いてください。",
                          "With 希望する, write what {department} wishes (--contents)."),
    "refused": ("意向調査票に問題があるため、何も記録していません:\n{problems}", "Nothing recorded; the sheets have problems:\n{problems}"),
    "no_departments": ("調査する部局がありません（設定の [routing.departments]）。", "No departments to ask ([routing.departments])."),
    "deadline_past": ("回答期限 {date} は過ぎた日付です。", "The deadline {date} has passed."),
    "unanswered": ("未回答", "no answer"),
}


class IntentError(CaseError):
    catalog = MESSAGES


@dataclass(frozen=True)
class Answer:
    department: str
    wish: str
    contents: str
    contact: str = ""
    note: str = ""
    on_date: date | None = None
    actor: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"department": self.department, "wish": self.wish, "contents": self.contents,
                "contact": self.contact, "note": self.note,
                "on_date": self.on_date.isoformat() if self.on_date else None, "actor": self.actor}


@dataclass
class ReadSheets:
    answers: list[Answer] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def departments(cfg: Any, chosen: Sequence[str] = ()) -> list[str]:
    """The departments asked: the ones named, else every department of the routing table but the coordinator.

    Each 部局 is asked once: a name the table holds twice, or a section whose
    department is in the table on its own (「防災安全部 防災課」 beside
    「防災安全部」), gets no sheet of its own — the department's sheet asks it.
    """
    if chosen:
        return list(dict.fromkeys(c.strip() for c in chosen if c.strip()))
    names = list(dict.fromkeys(d.name for d in cfg.departments.values() if d.name != cfg.coordinator.name))
    return [n for n in names if not any(n != m and _within(n, m) for m in names)]


def _within(section: str, department: str) -> bool:
    """「防災安全部 防災課」 is within 「防災安全部」 (the department's name, then a blank)."""
    return section.startswith(department) and section[len(department):len(department) + 1] in (" ", "　")


def make(cfg: Any, reg: Registry, ref: str | int, *, deadline: date, out_dir: Path, chosen: Sequence[str] = (),
         actor: str | None = None, today: date | None = None) -> list[Path]:
    """One workbook per department into ``out_dir``; recorded as sent (``intent_sent``) once every file exists."""
    from ..registry.lifecycle import record_event
    from . import service
    from .judging import proposal_summary

    day = service._today(cfg, today)
    if deadline < day:
        raise IntentError("deadline_past", date=deadline.isoformat())
    case = service.get(cfg, reg, ref, today=day)
    names = departments(cfg, chosen)
    if not names:
        raise IntentError("no_departments")
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = proposal_summary(cfg, case.agreement)
    written = []
    from ..safenames import safe_filename

    for name in names:
        target = out_dir / f"{safe_filename(f'意向調査票_{case.id}_{name}', max_bytes=120)}.xlsx"

        def write(tmp: Path, department: str = name) -> None:
            _write(tmp, case.id, department, summary, deadline)

        written.append(write_new(target, write))
    record_event(reg, case.id, EVENT_SENT, on=day, actor=service._actor(actor),
                 detail={"departments": names, "deadline": deadline.isoformat(), "files": [p.name for p in written]})
    mark(cfg, reg, case, "survey", on=day, actor=service._actor(actor), today=day, note=f"{len(names)} 部局")
    return written


def _write(target: Path, case_id: int, department: str, summary: list[dict[str, str]], deadline: date) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties

    from ..era import format_wareki

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws["A1"] = MESSAGES["title"][0]  # the sheet goes to the departments: Japanese whatever --lang says
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"宛先: {department}　回答期限: {format_wareki(deadline)}　（協定ID {case_id}）"
    for n, entry in enumerate(summary[1:11], start=3):  # rows 3–12 (the ID is in row 2); row 13 says where to write
        ws.cell(row=n, column=1, value=entry["label"])
        ws.cell(row=n, column=2, value=entry["value"]).alignment = Alignment(wrap_text=True, vertical="top")
    labels = {"wish": "連携への意向（希望する／希望しない／検討中）", "contents": "希望する連携内容・取組事項",
              "contact": "担当者（課・氏名・電話）", "note": "備考"}
    ws.cell(row=ROWS["wish"] - 1, column=1, value="（以下に記入してください）").font = Font(bold=True)
    edge = Side(style="thin")
    for key, row in ROWS.items():
        label = ws.cell(row=row, column=1, value=labels[key])
        label.font, label.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        cell = ws.cell(row=row, column=2)
        cell.protection = Protection(locked=False)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(left=edge, right=edge, top=edge, bottom=edge)
        cell.fill = PatternFill("solid", fgColor="FFF8DC")  # the cells to fill in stand out
    check = DataValidation(type="list", formula1='"' + ",".join(WISHES) + '"', allow_blank=True)
    ws.add_data_validation(check)
    check.add(f"B{ROWS['wish']}")
    ws.row_dimensions[ROWS["contents"]].height = 120
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    ws.protection.sheet = True
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    meta = wb.create_sheet(META)
    for n, value in enumerate((KIND, VERSION, case_id, department), start=1):
        meta.cell(row=n, column=1, value=value)
    meta.sheet_state = "hidden"
    wb.save(target)


def read(cfg: Any, case_id: int, paths: Sequence[Path]) -> ReadSheets:
    """The answers of returned workbooks for case ``case_id``, or the problems that stop their import."""
    from ..readers.package import checked_workbook

    out = ReadSheets()
    for path in paths:
        name = Path(path).name
        try:
            wb = checked_workbook(Path(path).read_bytes(), cfg.limits)
        except UnreadableError as exc:   # one bad file is named among the others' problems
            out.problems.append(f"{name}: {exc.message}")
            continue
        if wb is None:
            out.problems.append(say(MESSAGES, "not_book", file=name))
            continue
        if META not in wb.sheetnames or wb[META]["A1"].value != KIND or SHEET not in wb.sheetnames \
                or wb[META]["A2"].value != VERSION:
            out.problems.append(say(MESSAGES, "not_ours", file=name))
            continue
        other = wb[META]["A3"].value
        if other != case_id:
            out.problems.append(say(MESSAGES, "other_case", file=name, other=other, id=case_id))
            continue
        ws = wb[SHEET]
        values = {k: str(ws.cell(row=r, column=2).value or "").strip() for k, r in ROWS.items()}
        if values["wish"] not in WISHES:
            out.problems.append(say(MESSAGES, "bad_wish", file=name, sheet=SHEET, row=ROWS["wish"],
                                    wishes="・".join(WISHES), value=values["wish"] or "（空欄）"))
            continue
        if values["wish"] == WISHES[0] and not values["contents"]:
            out.problems.append(say(MESSAGES, "no_contents", file=name, sheet=SHEET, row=ROWS["contents"]))
            continue
        out.answers.append(Answer(str(wb[META]["A4"].value or ""), values["wish"], values["contents"],
                                  values["contact"], values["note"]))
    return out


def record(cfg: Any, reg: Registry, ref: str | int, paths: Sequence[Path], *, actor: str | None = None,
           today: date | None = None, preview: bool = False) -> ReadSheets:
    """Read the returned sheets; unless ``preview``, record every answer — or, with any problem, none."""
    from ..registry.lifecycle import record_event
    from . import service

    day = service._today(cfg, today)
    case_id = service._resolve(reg, ref)
    found = read(cfg, case_id, paths)
    if found.problems:
        raise IntentError("refused", problems="\n".join(f"  - {p}" for p in found.problems))
    if not preview:
        for a in found.answers:
            record_event(reg, case_id, EVENT_ANSWER, on=day, actor=service._actor(actor),
                         detail={"department": a.department, "wish": a.wish, "contents": a.contents,
                                 "contact": a.contact, "note": a.note})
    return found


def answer(cfg: Any, reg: Registry, ref: str | int, *, department: str, wish: str, contents: str = "",
           contact: str = "", note: str = "", actor: str | None = None, today: date | None = None) -> Any:
    """A department's answer typed in (by telephone, e-mail): the same checks as a returned sheet."""
    from ..registry.lifecycle import record_event
    from . import service

    day = service._today(cfg, today)
    case_id = service._resolve(reg, ref)
    if wish.strip() not in WISHES:
        raise IntentError("typed_bad_wish", wishes="・".join(WISHES), value=wish.strip() or "（空欄）")
    if wish.strip() == WISHES[0] and not contents.strip():
        raise IntentError("typed_no_contents", department=department)
    record_event(reg, case_id, EVENT_ANSWER, on=day, actor=service._actor(actor),
                 detail={"department": department.strip(), "wish": wish.strip(), "contents": contents.strip(),
                         "contact": contact.strip(), "note": note.strip(), "typed": True})
    return service.get(cfg, reg, case_id, today=day)


def answers(events: Any) -> tuple[list[str], dict[str, Answer]]:
    """(the departments asked, the latest answer of each department) from the case's events."""
    asked: list[str] = []
    latest: dict[str, Answer] = {}
    for e in events:
        if e.kind == EVENT_SENT:
            asked += [d for d in e.detail.get("departments", []) if d not in asked]
        elif e.kind == EVENT_ANSWER:
            d = e.detail
            latest[d.get("department", "")] = Answer(d.get("department", ""), d.get("wish", ""), d.get("contents", ""),
                                                     d.get("contact", ""), d.get("note", ""), e.on_date, e.actor)
    return asked, latest


def render_summary(cfg: Any, case: Any, out_dir: Path, *, today: date, pdf: bool = False) -> Any:
    """The とりまとめ for the 三者協議: every department asked, its wish and wished content (未回答 where none)."""
    from ..era import format_wareki
    from ..render.letters import render_letter
    from ..render.templates import INTENT_SUMMARY

    asked, latest = answers(case.events)
    with in_japanese():  # a document for the 三者協議: Japanese whatever --lang says
        unanswered = say(MESSAGES, "unanswered")
    rows = []
    for name in asked + [d for d in latest if d not in asked]:
        a = latest.get(name)
        rows.append({"department": name, "wish": a.wish if a else unanswered,
                     "contents": a.contents if a else "", "note": " ".join(x for x in (a.contact, a.note) if x) if a else ""})
    wished = sum(1 for r in rows if r["wish"] == WISHES[0])
    context = {"made_on": format_wareki(today), "partner": case.organisation, "case_id": str(case.id),
               "rows": rows, "counts": f"調査 {len(rows)} 部局、回答 {len(latest)} 部局、連携を希望 {wished} 部局"}
    return render_letter(cfg, INTENT_SUMMARY, context, out_dir, label="意向調査とりまとめ",
                         partner_name=case.organisation, pdf=pdf)
