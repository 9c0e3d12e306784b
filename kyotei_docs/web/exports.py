"""書き出し: the registry as .xlsx or CSV, and a backup copy — the same writers as ``kyotei registry export/backup``.

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
from .listing import today
from .security import needs_change

bp = Blueprint("exports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/export")
def page() -> Any:
    return render_template("export.html", registry=registry_path(site().cfg))


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


@bp.route("/export/backup.sqlite3")
@needs_change
def backup() -> Any:
    from ..registry.store import backup as make_backup

    s = site()

    def write(tmp: Path) -> Path:
        with s.registry() as reg:
            return make_backup(reg, tmp / "backup.sqlite3")

    return _send(write, f"kyotei-registry_{_stamp()}.sqlite3", "application/vnd.sqlite3")
