"""The yearly results survey (実績調査) as an Excel workbook: written for a department, read back.

Why a workbook: each department records what it did under its agreements in
Excel, the tool staff know.  One workbook per department and fiscal year:

* sheet 「実績」: one row per result — the agreement (協定ID), the item number,
  the date, the title, what was done, public or not.  One empty row per item of
  each agreement is prefilled; results already recorded are listed with their
  実績ID (they are not imported again).  The header rows are protected (the
  sheet is protected, the data cells unlocked) and each column has data
  validation (an agreement of the list, an item number, a date in the fiscal
  year, 可/否);
* sheet 「連携事項」: the agreements and their current items, for reference (protected);
* a hidden sheet 「_kyotei」 saying what the workbook is (kind, version, fiscal
  year, department): a workbook without it is not ours and is refused.

Reading back: the returned file is a stranger's zip.  It goes through the
bounded package reader (:class:`~kyotei_docs.readers.package.Package`: entry
count, sizes, inflation caps, no DOCTYPE) before openpyxl sees it, and every
cell is only data.  Each problem names the sheet, row and column; the caller
(:mod:`kyotei_docs.cases.survey`) records nothing unless there is none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..era import fiscal_year_end, fiscal_year_said, fiscal_year_start, format_fiscal_year
from ..i18n import Catalog, say

MESSAGES: Catalog = {
    "where_file": ("{file}", "{file}"),
    "where_cell": ("{file} シート「{sheet}」 {row}行目{column}", "{file} sheet {sheet!r} row {row}{column}"),
    "where_column": (" {letter}列（{heading}）", " column {letter} ({heading})"),
    "not_xlsx": ("Excel ブック（.xlsx）ではありません。", "not an Excel workbook (.xlsx)."),
    "foreign": ("kyotei の実績調査票ではありません（kyotei registry survey make で作成したブックに記入して返してください）。",
                "not a kyotei results survey (fill in a workbook made by kyotei registry survey make)."),
    "version": ("調査票の版 {version} は読めません（版 {known}）。", "survey version {version} cannot be read (version {known})."),
    "no_year": ("調査票の年度が読めません。", "the survey's fiscal year cannot be read."),
    "no_agreement": ("協定IDがありません（数字で入れてください）。", "no agreement ID (a number)."),
    "no_item": ("連携事項番号がありません（1 から始まる数字で入れてください）。", "no item number (1, 2, …)."),
    "bad_date": ("日付として読めません: {value}", "not a date: {value}"),
    "date_outside": ("{fy}（{start}〜{end}）の日付ではありません: {date}", "not a day of {fy} ({start} to {end}): {date}"),
    "no_title": ("事業名がありません。", "no title."),
    "no_public": ("公表の可否を「可」か「否」で選んでください。", "choose 可 (public) or 否 (not public)."),
    "bad_public": ("「{value}」は「可」か「否」ではありません。", "{value!r} is neither 可 nor 否."),
    "not_listed": ("協定ID {id} はこの調査票の協定ではありません。", "agreement {id} is not one of this workbook's."),
    "not_in_force": ("協定ID {id} は {fy}に締結中ではありません。", "agreement {id} was not in force in {fy}."),
    "before_signing": ("実施日 {date} は協定ID {id} の締結日 {signed} より前です（協定の連携実績は締結後のものです）。",
                       "the date {date} is before agreement {id} was signed ({signed}): results are work done under it."),
    "no_such_item": ("連携事項番号 {item} は協定ID {id} にありません（1〜{count}）。",
                     "agreement {id} has no item {item} (1–{count})."),
}

#: what the hidden sheet's first cell says: the workbook is a kyotei results survey
KIND = "kyotei-survey"
VERSION = 1
META = "_kyotei"
SHEET = "実績"
ITEMS_SHEET = "連携事項"
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
#: (key, heading, width): the columns of 「実績」 in order
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("agreement", "協定ID", 8), ("title", "協定名称", 30), ("partner", "相手方", 22), ("item", "連携事項番号", 8),
    ("item_text", "連携事項", 30), ("date", "実施日", 12), ("name", "事業名", 28), ("content", "内容", 36),
    ("public", "公表（可／否）", 10), ("result_id", "実績ID（登録済み）", 10),
)
_LETTER = {key: chr(ord("A") + i) for i, (key, _, _) in enumerate(COLUMNS)}
_HEADING = {key: heading for key, heading, _ in COLUMNS}
PUBLIC_WORDS = {"可": True, "公表": True, "○": True, "〇": True, "yes": True, "否": False, "非公表": False,
                "×": False, "no": False}
#: data rows offered for new results beyond the prefilled ones
_SPARE_ROWS = 200


@dataclass(frozen=True)
class SurveyAgreement:
    """An agreement as the survey lists it."""

    id: int
    title: str
    partner: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """A result as a survey row holds it."""

    agreement_id: int
    item: int
    done_on: date | None
    title: str
    content: str
    public: bool


@dataclass(frozen=True)
class SurveyResult(Entry):
    """A result already recorded, listed so that staff see it (and it is not imported again)."""

    id: int = 0


@dataclass(frozen=True)
class SurveyRow(Entry):
    """One filled row read back: a result to record, with the file and row it came from."""

    file: str = ""
    row: int = 0


@dataclass(frozen=True)
class Problem:
    """Why one cell (or the whole workbook) cannot be imported."""

    file: str
    sheet: str
    row: int | None
    column: str | None
    message: str

    def where(self) -> str:
        if self.row is None:
            return say(MESSAGES, "where_file", file=self.file)
        column = say(MESSAGES, "where_column", letter=self.column, heading=_heading_of(self.column)) \
            if self.column else ""
        return say(MESSAGES, "where_cell", file=self.file, sheet=self.sheet, row=self.row, column=column)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "message": self.message}


def _heading_of(letter: str | None) -> str:
    for key, value in _LETTER.items():
        if value == letter:
            return _HEADING[key]
    return ""


# ------------------------------------------------------------------------------ writing


def write_workbook(target: Path, *, fy: int, department: str, agreements: Sequence[SurveyAgreement],
                   results: Sequence[SurveyResult]) -> None:
    """Write the survey of ``department`` for fiscal year ``fy`` to ``target`` (a temporary path)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    first, last = fiscal_year_start(date(fy, 4, 1)), fiscal_year_end(date(fy, 4, 1))
    ws["A1"] = f"{format_fiscal_year(fy, 'full')} 連携実績調査　{department}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = ("1行に1件の実績を記入してください（実施日・事業名・内容・公表の可否）。同じ連携事項に複数の実績があるときは、"
                "協定IDと連携事項番号を入れた行を下に追加します。実績IDのある行は登録済みです。")
    ws["A2"].alignment = Alignment(wrap_text=False)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for i, (_, heading, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=heading)
        cell.font, cell.fill = Font(bold=True), head_fill
        ws.column_dimensions[chr(ord("A") + i - 1)].width = width
    rows: list[list[Any]] = []
    for r in results:
        a = next(x for x in agreements if x.id == r.agreement_id)
        text = a.items[r.item - 1] if 1 <= r.item <= len(a.items) else ""
        rows.append([a.id, a.title, a.partner, r.item, text, r.done_on, r.title, r.content,
                     "可" if r.public else "否", r.id])
    for a in agreements:
        rows += [[a.id, a.title, a.partner, n, text, None, None, None, None, None]
                 for n, text in enumerate(a.items, start=1)]
    end_row = FIRST_ROW + len(rows) + _SPARE_ROWS - 1
    for r_index, values in enumerate(rows, start=FIRST_ROW):
        for c_index, value in enumerate(values, start=1):
            ws.cell(row=r_index, column=c_index, value=value)
    unlocked = Protection(locked=False)
    for row in ws.iter_rows(min_row=FIRST_ROW, max_row=end_row, max_col=len(COLUMNS)):
        for data_cell in row:
            data_cell.protection = unlocked
        row[_col("date") - 1].number_format = "yyyy/mm/dd"
    ws.freeze_panes = f"A{FIRST_ROW}"
    # printed: landscape, every column on the page width, the header rows repeated
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    items = wb.create_sheet(ITEMS_SHEET)
    items.append(["協定ID", "協定名称", "相手方", "連携事項番号", "連携事項"])
    for a in agreements:
        for n, text in enumerate(a.items, start=1):
            items.append([a.id, a.title, a.partner, n, text])
    for letter, width in zip("ABCDE", (8, 40, 24, 8, 50)):
        items.column_dimensions[letter].width = width
    items.protection.sheet = True

    meta = wb.create_sheet(META)
    meta.append([KIND])
    meta.append([VERSION])
    meta.append([fy])
    meta.append([department])
    for i, a in enumerate(agreements, start=1):
        meta.cell(row=i, column=2, value=a.id)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True

    span = f"{{}}{FIRST_ROW}:{{}}{end_row}"

    def validate(key: str, dv: DataValidation) -> None:
        dv.errorStyle = "stop"
        dv.showErrorMessage = True
        dv.add(span.format(_LETTER[key], _LETTER[key]))
        ws.add_data_validation(dv)

    ids = f"'{META}'!$B$1:$B${max(1, len(agreements))}"
    validate("agreement", DataValidation(type="list", formula1=ids, allow_blank=True,
                                         errorTitle="協定ID", error="一覧にある協定IDを選んでください。"))
    validate("item", DataValidation(type="whole", operator="between", formula1="1", formula2="20", allow_blank=True,
                                    errorTitle="連携事項番号", error="連携事項の番号（1〜20）を入れてください。"))
    validate("date", DataValidation(
        type="date", operator="between", allow_blank=True,
        formula1=f"DATE({first.year},{first.month},{first.day})", formula2=f"DATE({last.year},{last.month},{last.day})",
        errorTitle="実施日", error=f"{first.isoformat()} から {last.isoformat()} までの日付を入れてください。"))
    validate("public", DataValidation(type="list", formula1='"可,否"', allow_blank=True,
                                      errorTitle="公表", error="可 か 否 を選んでください。"))
    ws.protection.sheet = True
    ws.protection.insertRows = False  # rows may be inserted (False = not protected against it)
    ws.protection.formatColumns = False
    wb.save(target)


def _col(key: str) -> int:
    return ord(_LETTER[key]) - ord("A") + 1


# ------------------------------------------------------------------------------ reading


@dataclass
class ReadBook:
    """What one returned workbook holds: its fiscal year and department, rows, already recorded, problems."""

    file: str
    fy: int | None = None
    department: str = ""
    rows: list[SurveyRow] | None = None
    recorded: int = 0
    problems: list[Problem] | None = None
    #: the agreement IDs the workbook was made for (its hidden sheet)
    agreement_ids: frozenset[int] = frozenset()


def read_workbook(path: Path, *, limits: Any = None) -> ReadBook:
    """Read a returned survey; the bounded package reader first, then openpyxl on the checked bytes.

    Raises :class:`~kyotei_docs.errors.UnreadableError` for a damaged or oversized zip; a file
    that is no zip at all, or a workbook that is not a kyotei survey, comes back with one
    problem and no rows.
    """
    from ..readers.package import checked_workbook

    name = path.name
    book = ReadBook(name, rows=[], problems=[])
    assert book.rows is not None and book.problems is not None
    wb = checked_workbook(path.read_bytes(), limits)  # a damaged or oversized zip says so in its own words
    if wb is None:
        book.problems.append(Problem(name, "", None, None, say(MESSAGES, "not_xlsx")))
        return book
    if META not in wb.sheetnames or wb[META]["A1"].value != KIND or SHEET not in wb.sheetnames:
        book.problems.append(Problem(name, "", None, None, say(MESSAGES, "foreign")))
        return book
    meta = wb[META]
    version = meta["A2"].value
    if version != VERSION:
        book.problems.append(Problem(name, META, None, None, say(MESSAGES, "version", version=repr(version),
                                                                          known=VERSION)))
        return book
    fy = meta["A3"].value
    if not isinstance(fy, int):
        book.problems.append(Problem(name, META, None, None, say(MESSAGES, "no_year")))
        return book
    book.fy, book.department = fy, str(meta["A4"].value or "")
    book.agreement_ids = frozenset(v for (v,) in meta.iter_rows(min_col=2, max_col=2, values_only=True)
                                   if isinstance(v, int))
    ws = wb[SHEET]
    first, last = fiscal_year_start(date(fy, 4, 1)), fiscal_year_end(date(fy, 4, 1))
    for r in range(FIRST_ROW, (ws.max_row or 0) + 1):
        values = {key: ws.cell(row=r, column=_col(key)).value for key, _, _ in COLUMNS}
        if values["result_id"] not in (None, ""):
            book.recorded += 1
            continue
        filled = [values[k] for k in ("date", "name", "content", "public")]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in filled):
            continue  # a prefilled row nobody wrote in

        def problem(key: str, message: str, row: int = r) -> None:
            assert book.problems is not None
            book.problems.append(Problem(name, SHEET, row, _LETTER[key], message))

        before = len(book.problems)
        agreement = _int(values["agreement"])
        if agreement is None:
            problem("agreement", say(MESSAGES, "no_agreement"))
        item = _int(values["item"])
        if item is None or item < 1:
            problem("item", say(MESSAGES, "no_item"))
        done_on, bad_date = _date(values["date"])
        if bad_date:
            problem("date", say(MESSAGES, "bad_date", value=str(values["date"])[:40]))
        elif done_on is not None and not first <= done_on <= last:
            problem("date", say(MESSAGES, "date_outside", fy=fiscal_year_said(fy), start=first.isoformat(),
                                end=last.isoformat(), date=done_on.isoformat()))
        title = _text(values["name"])
        if not title:
            problem("name", say(MESSAGES, "no_title"))
        public_text = _text(values["public"])
        public = PUBLIC_WORDS.get(public_text.lower() if public_text.isascii() else public_text)
        if public is None:
            problem("public", say(MESSAGES, "bad_public", value=public_text[:10]) if public_text
                    else say(MESSAGES, "no_public"))
        if len(book.problems) == before:
            assert agreement is not None and item is not None and public is not None
            book.rows.append(SurveyRow(agreement, item, done_on, title, _text(values["content"]), public,
                                       file=name, row=r))
    return book


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        import unicodedata

        return int(unicodedata.normalize("NFKC", value.strip()))
    return None


def _date(value: Any) -> tuple[date | None, bool]:
    """(the date, whether the cell held something that is no date)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, False
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, str):
        from ..era import DateParseError, parse_date

        try:
            parsed = parse_date(value)
        except DateParseError:
            return None, True
        return (parsed.date, False) if parsed else (None, True)
    return None, True


def _text(value: Any) -> str:
    """A cell as one line of text: control characters dropped, runs of spaces and line breaks made one space."""
    if value is None:
        return ""
    import unicodedata

    kept = "".join(" " if ch in "\t\r\n" else ch for ch in str(value) if ch in "\t\r\n"
                   or unicodedata.category(ch) not in ("Cc", "Cs"))
    return " ".join(kept.split())[:2000]
