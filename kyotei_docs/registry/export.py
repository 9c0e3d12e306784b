"""Exports for Excel users: CSV (UTF-8 with BOM) and .xlsx, columns of domain.md §6.

Why these choices:

* UTF-8 with a BOM, because Excel opens a BOM-less CSV as cp932, and cp932
  cannot hold ⑴ or some company names; CRLF line ends as Excel writes them.
* Every date twice, ISO (sorts and filters) and 令和 (what staff read).
* Column headers and values stay Japanese whatever ``--lang`` says: the files
  are a data contract for the city's own sheets and macros.
* Values come partly from proposals written by outside companies, so a text
  value that Excel would take for a formula (``=…``, ``+…``, ``-…``, ``@…``)
  is written with a leading apostrophe in CSV and forced to a text cell in
  .xlsx (CSV injection).
* Files are written under a temporary name and published in one step
  (:mod:`kyotei_docs.publish`), so a half-written export never replaces a
  good one, and an existing file is only replaced with ``force``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from ..era import format_fiscal_year, format_wareki
from ..publish import write_new
from .dates import DateRules
from .errors import RegistryError
from .model import Agreement, label, type_label
from .store import Registry

AGREEMENT_COLUMNS: tuple[str, ...] = (
    "協定ID", "協定名称", "協定種別", "相手方名称", "相手方所在地", "代表者職氏名",
    "受付日", "受付日（和暦）", "締結日", "締結日（和暦）", "有効期間開始日", "有効期間開始日（和暦）", "満了日", "満了日（和暦）",
    "自動更新", "不更新申出期限", "不更新申出期限（和暦）", "状態", "連携分野", "連携事項",
    "担当部局・課", "公表URL", "解約日", "解約日（和暦）", "解約理由", "備考",
)
RESULT_COLUMNS: tuple[str, ...] = (
    "協定ID", "協定名称", "年度", "年度（和暦）", "連携事項番号", "事業名", "実施日", "実施日（和暦）",
    "内容", "担当課", "公表可否",
)
#: columns holding ISO dates (real date cells in .xlsx)
_DATE_COLUMNS = frozenset({"受付日", "締結日", "有効期間開始日", "満了日", "不更新申出期限", "解約日", "実施日"})
#: columns whose text may come from outside the city (proposals) or be typed freely
_FREE_TEXT_COLUMNS = frozenset({"協定名称", "相手方名称", "相手方所在地", "代表者職氏名", "連携分野", "連携事項",
                                "担当部局・課", "公表URL", "解約理由", "備考", "事業名", "内容", "担当課"})
#: first characters that make Excel read a cell as a formula
_FORMULA_FIRST = frozenset("=+-@\t\r")


@lru_cache(maxsize=8192)
def wareki(iso: str) -> str:
    """「令和8年12月1日」 for ``"2026-12-01"`` (half-width digits, as typed into a sheet); "" for ""."""
    return format_wareki(date.fromisoformat(iso), "ascii") if iso else ""


@lru_cache(maxsize=512)
def _fy_label(fy: int) -> str:
    return format_fiscal_year(fy, "ascii")


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _fields_text(a: Agreement, comma: str) -> str:
    other = (a.proposal or {}).get("other_field_text")
    return comma.join(f"{f}（{other}）" if f == "その他" and other else f for f in a.fields)


def agreement_row(a: Agreement, rules: DateRules, comma: str = "，") -> list[Any]:
    """One agreement as the values of :data:`AGREEMENT_COLUMNS` (dates as ISO text, "" if none)."""
    deadline = rules.deadline(a.expires_on) if a.expires_on and a.auto_renew and a.active else None
    reason = f"{label(a.end_cause, lang='ja')}：{a.end_reason}" if a.end_cause else (a.end_reason or "")
    received, signed, start, expires, notice, ended = map(
        _iso, (a.received_on, a.signed_on, a.period_start, a.expires_on, deadline, a.ended_on))
    return [
        a.id, a.title, type_label(a.kind, a.subtype, lang="ja"), a.partner_name or "",
        a.partner_address or "", a.partner_representative or "", received, wareki(received),
        signed, wareki(signed), start, wareki(start), expires, wareki(expires),
        ("あり" if a.auto_renew else "なし") if a.signed_on else "",
        notice, wareki(notice), label("ending" if a.active and a.ended_on else a.status, lang="ja"),
        _fields_text(a, comma),
        "\n".join(f"{n}. {item}" for n, item in enumerate(a.items, 1)),
        a.department or "", a.public_url or "", ended, wareki(ended), reason, a.notes or "",
    ]


#: The agreement columns an export needs: everything but the stored proposal, of which
#: only the text for 「その他」 is used (parsing every proposal's JSON would dominate).
_AGREEMENT_QUERY = (
    "SELECT id, title, kind, subtype, axis_field, partner_name, partner_address, partner_representative,"
    " fields, items, department, status, proposed_on, received_on, signed_on, term, period_start, expires_on,"
    " auto_renew, renewals, ended_on, end_cause, end_reason, public_url, notes, review_exempt,"
    " json_extract(proposal, '$.other_field_text') AS other_field_text FROM agreements"
    " WHERE merged_into IS NULL ORDER BY id")  # cases, not files: merged-away cases are not counted


def iter_agreement_rows(conn: Any, rules: DateRules, comma: str) -> Iterator[list[Any]]:
    for row in conn.execute(_AGREEMENT_QUERY):
        yield agreement_row(Agreement.from_row(row), rules, comma)


def _guard_sql(column: str) -> str:
    """SQL for ``column`` with a leading 「'」 when Excel would take it for a formula (CSV only)."""
    return (f"CASE WHEN substr({column}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13))"
            f" THEN '''' || {column} ELSE coalesce({column}, '') END")


def _plain_sql(column: str) -> str:
    return f"coalesce({column}, '')"


def _guard(value: str) -> str:
    """``value`` with a leading 「'」 when Excel would take it for a formula."""
    return "'" + value if value and value[0] in _FORMULA_FIRST else value


def iter_result_rows(conn: Any, *, csv_guard: bool = False) -> Iterator[list[Any]]:
    """Results with the agreement title, by agreement, year, item and entry (dates as ISO text).

    The hot loop of an export (ten rows per agreement and decade): the table
    is read in storage order and sorted here, which is about twice as fast as
    walking the index and fetching each row, and no objects are built.  With
    ``csv_guard`` the free-text cells are guarded against formula injection by
    SQLite while it reads them, instead of cell by cell in Python.
    """
    text = _guard_sql if csv_guard else _plain_sql
    titles = {aid: (_guard(title) if csv_guard else title)
              for aid, title in conn.execute("SELECT id, title FROM agreements")}
    rows = conn.execute(
        f"SELECT agreement_id, fiscal_year, item_no, id, {text('title')}, coalesce(done_on, ''),"
        f" {text('content')}, {text('department')}, public FROM results").fetchall()
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    for aid, fy, item, _id, work, done, content, dept, public in rows:
        yield [aid, titles.get(aid, ""), fy, _fy_label(fy), item, work, done, wareki(done), content, dept,
               "可" if public else "否"]


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    paths: tuple[Path, ...]
    agreements: int
    results: int


def results_csv_path(path: Path) -> Path:
    """Where ``--csv 協定.csv`` puts the results table: ``協定-results.csv``."""
    return path.with_name(f"{path.stem}-results{path.suffix or '.csv'}")


def _columns(header: tuple[str, ...], names: frozenset[str]) -> list[int]:
    return [i for i, name in enumerate(header) if name in names]


def _csv_rows(header: tuple[str, ...], rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """Rows ready for csv.writer: free text that Excel would take for a formula gets a leading 「'」."""
    text = _columns(header, _FREE_TEXT_COLUMNS)
    first = _FORMULA_FIRST
    for row in rows:
        for i in text:
            value = row[i]
            if value and value[0] in first:
                row[i] = "'" + value
        yield row


def _check_target(target: Path, force: bool) -> None:
    """Refuse before any work: a folder that is not there, or a file there without ``force``."""
    if not target.parent.is_dir():
        raise RegistryError("export_no_folder", folder=str(target.parent), path=str(target))
    if target.exists() and not force:
        raise RegistryError("export_exists", path=str(target))


def _write_target(target: Path, write: Callable[[Path], object], force: bool) -> None:
    """Write through ``write(tmp)`` and publish as ``target`` (replacing it only with ``force``)."""
    try:
        write_new(target, write, copies=False, replace=force)
    except FileExistsError:
        raise RegistryError("export_exists", path=str(target)) from None
    except FileNotFoundError as exc:  # the folder went away meanwhile
        raise RegistryError("export_no_folder", folder=str(target.parent), path=str(target)) from exc
    except PermissionError as exc:  # Windows: a file open in Excel cannot be replaced
        raise RegistryError("export_locked", path=str(target), detail=str(exc)) from exc
    except OSError as exc:
        raise RegistryError("export_failed", path=str(target), detail=str(exc)) from exc


def csv_bytes(header: tuple[str, ...], rows: Iterable[list[Any]]) -> bytes:
    """A CSV file as Excel opens it (UTF-8 with BOM, CRLF) from a header and rows, in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # excel dialect: CRLF, quotes when needed
    writer.writerow(header)
    writer.writerows(rows)
    data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.close()
    return data


def guard_all(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """Rows with every text cell Excel would take for a formula given a leading 「'」 (CSV only)."""
    for row in rows:
        yield [_guard(v) if isinstance(v, str) else v for v in row]


def _write_csv_file(target: Path, header: tuple[str, ...], rows: Iterable[list[Any]], force: bool) -> None:
    """Write the file from memory in one go under a temporary name, then move it into place.

    The text is built in a StringIO and encoded once: a file opened as
    ``utf-8-sig`` runs the Python-level BOM codec on every row, which took a
    quarter of the export's time.  A city's CSV is a few megabytes.
    """
    data = csv_bytes(header, rows)
    _write_target(target, lambda tmp: tmp.write_bytes(data), force)


def _counts(conn: Any) -> tuple[int, int]:
    """(agreements, results) in the snapshot being exported."""
    return (conn.execute("SELECT count(*) FROM agreements WHERE merged_into IS NULL").fetchone()[0],
            conn.execute("SELECT count(*) FROM results").fetchone()[0])


#: how often (rows) an export reports progress
_TICK_ROWS = 2000

_Tick = Callable[[int], None]  # called with the number of rows written since the last call


#: ``progress(done, total)``: rows of both tables written so far, out of all of them
Progress = Callable[[int, int], None]


def _ticker(progress: Progress | None, total: int) -> _Tick | None:
    """A ``_Tick`` that adds up the rows and reports the running count (None without ``progress``)."""
    if progress is None:
        return None
    done = 0
    progress(0, total)

    def tick(rows: int) -> None:
        nonlocal done
        done += rows
        progress(done, total)

    return tick


def _counted(rows: Iterable[list[Any]], tick: _Tick | None) -> Iterable[list[Any]]:
    """``rows``, reporting every ``_TICK_ROWS`` of them (and the rest at the end) to ``tick``."""
    if tick is None:
        return rows
    return _counting(rows, tick)


def _counting(rows: Iterable[list[Any]], tick: _Tick) -> Iterator[list[Any]]:
    count = 0
    for row in rows:
        yield row
        count += 1
        if count == _TICK_ROWS:
            tick(count)
            count = 0
    if count:
        tick(count)


def write_csv(reg: Registry, path: Path | str, *, rules: DateRules, results_path: Path | str | None = None,
              force: bool = False, comma: str = "，", progress: Progress | None = None) -> ExportReport:
    """Agreements to ``path`` and results to ``results_path`` (default ``<stem>-results.csv``).

    ``progress``, if given, is called with (rows written, rows in all) every few thousand rows.
    """
    target = Path(path)
    results_target = Path(results_path) if results_path else results_csv_path(target)
    for t in (target, results_target):
        _check_target(t, force)
    with reg.snapshot() as conn:
        n_agreements, n_results = _counts(conn)
        tick = _ticker(progress, n_agreements + n_results)
        _write_csv_file(target, AGREEMENT_COLUMNS, _counted(
            _csv_rows(AGREEMENT_COLUMNS, iter_agreement_rows(conn, rules, comma)), tick), force)
        _write_csv_file(results_target, RESULT_COLUMNS, _counted(iter_result_rows(conn, csv_guard=True), tick),
                        force)
    return ExportReport((target, results_target), n_agreements, n_results)


# --------------------------------------------------------------------------------------
# .xlsx
# --------------------------------------------------------------------------------------

_WIDTHS = {"協定ID": 8, "協定名称": 40, "協定種別": 26, "相手方名称": 28, "相手方所在地": 30, "連携分野": 30,
           "連携事項": 40, "担当部局・課": 24, "公表URL": 30, "解約理由": 30, "備考": 30, "事業名": 30,
           "内容": 40, "担当課": 20}
#: characters the file's XML cannot hold (tab and newline are kept; a carriage return becomes a newline,
#: the line break of an Excel cell, instead of the escape ``_x000D_`` that other readers would show)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
#: Excel's longest cell text
_CELL_MAX = 32767


def _clean_text(value: str) -> str | None:
    """``value`` as a cell can hold it: control characters gone (CR → LF), cut at Excel's limit; None if empty."""
    if _XML_ILLEGAL.search(value):
        value = _XML_ILLEGAL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value[:_CELL_MAX] or None


def _records(header: tuple[str, ...], rows: Iterable[list[Any]],
             progress: _Tick | None = None, date_columns: frozenset[str] = _DATE_COLUMNS) -> Iterator[dict[str, Any]]:
    """Rows as the records the writer takes: ISO dates as dates, "" as None, text cleaned.

    The check for control characters and over-long text runs once per row on
    the row's text joined (one search instead of one per cell); only a row
    that has one is cleaned cell by cell.  ``None`` leaves the cell empty.
    """
    dates = _columns(header, date_columns)
    day = lru_cache(maxsize=8192)(date.fromisoformat)
    illegal = _XML_ILLEGAL.search
    for row in _counted(rows, progress):
        for i in dates:
            value = row[i]
            row[i] = day(value) if value else None
        texts = [v for v in row if type(v) is str]
        joined = "".join(texts)
        if illegal(joined) or len(joined) > _CELL_MAX:
            row = [_clean_text(v) if type(v) is str else v for v in row]
        elif "" in texts:
            row = [None if v == "" else v for v in row]
        yield dict(zip(header, row))


def _empty_record(header: tuple[str, ...]) -> dict[str, Any]:
    """A record of empty cells: the writer takes its header from the first record, so an empty
    table is written as this one record (header row, nothing below)."""
    return dict.fromkeys(header)


def _sheet_records(header: tuple[str, ...], rows: Iterable[list[Any]], counts: list[int],
                   progress: _Tick | None, date_columns: frozenset[str]) -> Iterator[dict[str, Any]]:
    """:func:`_records`, counting the rows into ``counts`` (appended when the sheet is done)."""
    n = 0
    for record in _records(header, rows, progress, date_columns):
        n += 1
        yield record
    counts.append(n)
    if not n:
        yield _empty_record(header)


#: how every sheet prints: A4 landscape, all columns on one page wide (as many pages down as
#: needed), the header row repeated on each page — a ledger printed for a meeting or a file
PRINT_SETUP: dict[str, Any] = {"landscape": True, "paper_size": 9, "fit_to_pages": (1, 0), "repeat_rows": 0,
                               "margins": {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6},
                               "footer": "&C&P / &N"}


def write_sheets(target: Path | BinaryIO, sheets: Iterable[tuple[str, tuple[str, ...], Iterable[list[Any]]]],
                 progress: _Tick | None = None, *, date_columns: frozenset[str] = _DATE_COLUMNS) -> list[int]:
    """Write ``(title, header, rows)`` sheets with rustpy-xlsxwriter; the number of rows of each.

    Through the library's documented ``write_worksheets`` (rust_xlsxwriter
    underneath, each sheet in constant-memory mode: rows go to a temporary
    file as they come, so memory stays flat however large the registry).
    Every Python ``str`` is written as a text cell and nothing is ever a
    formula, a number or a link (we ask for no formula, URL or type-guessing
    option): a value starting with 「=」 stays text, as does ``#N/A``.  Dates
    are real date cells with a ``yyyy-mm-dd`` format (the columns named in
    ``date_columns``, holding ISO text).  The header row is bold and frozen,
    with an auto filter and the widths of :data:`_WIDTHS`; sheets print as
    :data:`PRINT_SETUP` says.
    """
    from rustpy_xlsxwriter import write_worksheets

    counts: list[int] = []
    entries: list[tuple[str, Any]] = []  # (title, records)
    widths: dict[str, Any] = {}  # title → widths of its columns
    for title, header, rows in sheets:
        entries.append((title, _sheet_records(header, rows, counts, progress, date_columns)))
        widths[title] = [_WIDTHS.get(name, 16 if "和暦" in name else 12) for name in header]
    write_worksheets(entries, target, freeze_panes={"general": {"row": 1, "col": 0}},
                     datetime_format="yyyy-mm-dd", bold_headers=True, autofit=False,
                     autofilter={"general": True}, column_widths=widths,
                     page_setup={title: PRINT_SETUP for title, _ in entries})
    return counts


def write_xlsx(reg: Registry, path: Path | str, *, rules: DateRules, force: bool = False,
               comma: str = "，", progress: Progress | None = None) -> ExportReport:
    """One workbook, sheets 「協定」 and 「実績」, written with rustpy-xlsxwriter (:func:`write_sheets`).

    ``progress``, if given, is called with (rows written, rows in all) every few thousand rows.
    """
    target = Path(path)
    _check_target(target, force)
    counts: list[int] = []

    def write(tmp: Path) -> None:
        with reg.snapshot() as conn:
            tick = _ticker(progress, sum(_counts(conn)))
            try:
                counts.extend(write_sheets(tmp, [
                    ("協定", AGREEMENT_COLUMNS, iter_agreement_rows(conn, rules, comma)),
                    ("実績", RESULT_COLUMNS, iter_result_rows(conn))], tick))
            except (RuntimeError, ValueError) as exc:  # the library's own errors (OSError goes on as it is)
                raise RegistryError("export_failed", path=str(target), detail=str(exc)) from exc

    _write_target(target, write, force)
    return ExportReport((target,), counts[0], counts[1])
