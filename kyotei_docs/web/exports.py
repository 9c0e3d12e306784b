"""書き出し: the registry as .xlsx or CSV, and a backup copy — the same writers as ``kyotei registry export/backup`` —
and the list as it is shown (:mod:`.ledger`'s view: same rows, order and columns).

Each download is written into a private temporary folder, sent, and removed;
nothing is left on the server and no request names a path.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, render_template, send_file

from ..registry.store import registry_path
from .app import site
from .listing import current_view, today
from .security import needs_change

bp = Blueprint("exports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/export")
def page() -> Any:
    from ..era import fiscal_year, format_fiscal_year

    last = fiscal_year(today()) - 1
    return render_template("export.html", registry=registry_path(site().cfg), survey_fy=last,
                           survey_label=format_fiscal_year(last, "ascii"))


def _send(write: Any, name: str, mimetype: str) -> Any:
    tmp = Path(tempfile.mkdtemp(prefix="kyotei-export-"))
    try:
        path = write(tmp)
        data = path.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    import io

    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


def _stamp() -> str:
    return today().strftime("%Y%m%d")


@bp.route("/export/registry.xlsx")
def xlsx() -> Any:
    from ..registry.dates import DateRules
    from ..registry.export import write_xlsx

    s = site()

    def write(tmp: Path) -> Path:
        with s.registry() as reg:
            return write_xlsx(reg, tmp / "out.xlsx", rules=DateRules.from_config(s.cfg), comma=s.cfg.comma).paths[0]

    return _send(write, f"協定登録簿_{_stamp()}.xlsx", XLSX)


@bp.route("/export/survey-<int:fy>.zip")
def survey(fy: int) -> Any:
    """The results survey (cases/survey.py): one workbook per department, in one zip."""
    import zipfile

    from ..cases.survey import make
    from ..era import format_fiscal_year
    from ..registry.lifecycle import check_fiscal_year

    check_fiscal_year(fy)
    s = site()

    def write(tmp: Path) -> Path:
        with s.registry() as reg:
            books = make(s.cfg, reg, fy=fy, out_dir=tmp / "books")
        target = tmp / "survey.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for book in books:
                zf.write(book, book.name)
        return target

    return _send(write, f"実績調査_{format_fiscal_year(fy, 'ascii')}.zip", "application/zip")


@bp.route("/export/<any(agreements, results):which>.csv")
def csv(which: str) -> Any:
    from ..registry.dates import DateRules
    from ..registry.export import write_csv

    s = site()

    def write(tmp: Path) -> Path:
        with s.registry() as reg:
            paths = write_csv(reg, tmp / "out.csv", rules=DateRules.from_config(s.cfg), comma=s.cfg.comma).paths
        return paths[0] if which == "agreements" else paths[1]

    label = "協定" if which == "agreements" else "実績"
    return _send(write, f"協定登録簿_{label}_{_stamp()}.csv", "text/csv")


@bp.route("/export/list.<any(csv, xlsx):ext>")
def list_view(ext: str) -> Any:
    """The list as shown — the same filters, order and columns (every page) — as CSV or .xlsx."""
    import io

    from ..cases.verdict import verdict_label
    from ..registry.export import csv_bytes, guard_all, write_sheets
    from .app import _t, status_label
    from .ledger import DATE_COLUMNS

    view, _ = current_view()
    header = tuple(_t("col_" + c) for c in view.columns)

    def cell(row: Any, column: str) -> Any:
        value = row.value(column)
        if column == "status":
            return status_label(value)
        if column == "verdict":
            return verdict_label(value)
        if column == "type":
            return _t(f"type_{value}")
        if column in DATE_COLUMNS:
            return value.isoformat() if value else ""
        return value

    rows = ([cell(r, c) for c in view.columns] for r in view.rows)
    name = f"案件一覧_{_stamp()}.{ext}"
    if ext == "csv":
        return send_file(io.BytesIO(csv_bytes(header, guard_all(rows))), mimetype="text/csv",
                         as_attachment=True, download_name=name)
    buffer = io.BytesIO()
    dates = frozenset(_t("col_" + c) for c in view.columns if c in DATE_COLUMNS)
    write_sheets(buffer, [(_t("list_title"), header, rows)], date_columns=dates)
    buffer.seek(0)
    return send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=name)


@bp.route("/export/backup.sqlite3")
@needs_change
def backup() -> Any:
    from ..registry.store import backup as make_backup

    s = site()

    def write(tmp: Path) -> Path:
        with s.registry() as reg:
            return make_backup(reg, tmp / "backup.sqlite3")

    return _send(write, f"kyotei-registry_{_stamp()}.sqlite3", "application/vnd.sqlite3")
