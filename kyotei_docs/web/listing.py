"""一覧: every case with its state, filters and search, the counts, what is due, what needs attention.

The counts are ``registry summary``'s and the deadlines ``registry due``'s
(the same query functions); this module only filters and arranges them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, render_template, request

from .app import site

bp = Blueprint("listing", __name__)

TYPES = ("axis", "allround", "individual", "unknown")
DUE_DAYS = 60
MAX_ROWS = 1000


def today() -> date:
    """Today in the city's time zone (``[municipality] timezone``)."""
    from ..citytime import today as city_today

    return city_today(site().cfg)


def type_key(kind: str | None, subtype: str | None) -> str:
    if kind == "comprehensive":
        return subtype if subtype in ("axis", "allround") else "unknown"
    return "individual" if kind == "individual" else "unknown"


def fold(text: str | None) -> str:
    """Search key (:func:`.searchkey.search_key`): width, case, spaces and katakana/hiragana do not
    matter (「ＡＢＣ　株式会社」 finds 「abc株式会社」, 「ひまわり」 finds 「ヒマワリ」)."""
    from .searchkey import search_key

    return search_key(text)


@dataclass(frozen=True)
class Row:
    id: int
    status: str
    type: str
    organisation: str
    department: str
    received_on: date
    signed_on: date | None
    expires_on: date | None
    needs_fix: bool
    review: int
    possible: bool = False
    #: ok / review / fix (受付可 / 要確認 / 要修正), the cases service's derived verdict
    verdict: str = "ok"


@dataclass(frozen=True)
class Filters:
    status: str = ""
    type: str = ""
    department: str = ""
    fy: int | None = None
    q: str = ""
    verdict: str = ""

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        from ..registry.model import STATUSES

        status = args.get("status", "")
        kind = args.get("type", "")
        try:
            fy: int | None = int(args.get("fy", ""))
        except ValueError:
            fy = None
        from ..cases.verdict import VERDICTS

        verdict = args.get("verdict", "")
        return cls(status if status in STATUSES else "", kind if kind in TYPES else "",
                   (args.get("department") or "")[:200], fy, (args.get("q") or "")[:200],
                   verdict if verdict in VERDICTS else "")

    @property
    def active(self) -> bool:
        return bool(self.status or self.type or self.department or self.fy or self.q or self.verdict)

    def keep(self, row: Row) -> bool:
        from ..era import fiscal_year

        if self.status and row.status != self.status:
            return False
        if self.verdict and row.verdict != self.verdict:
            return False
        if self.type and row.type != self.type:
            return False
        if self.department and row.department != self.department:
            return False
        if self.fy and fiscal_year(row.received_on) != self.fy:
            return False
        return not self.q or fold(self.q) in fold(row.organisation)


def case_rows(cfg: Any, reg: Any, day: date) -> list[Row]:
    """Every case (merged ones left out), newest first, from the cases service's own list."""
    from ..cases import list_cases

    rows = []
    for c in reversed(list_cases(cfg, reg, today=day)):
        a = c.agreement
        open_ = c.status in ("received", "in_consultation")
        review = len(c.open_review) if open_ else 0
        rows.append(Row(a.id, c.status, type_key(a.kind, a.subtype), a.partner_name or "", a.department or "",
                        a.received_on, a.signed_on, a.expires_on, open_ and c.needs_correction, review,
                        c.possibly_same, c.verdict_code))
    return rows


def error_files(limit: int = 20) -> tuple[int, list[tuple[str, str]]]:
    """Files waiting in the drop folder's ``error/``: (count, [(name, reason)] newest first)."""
    folder = site().settings.drop_folder
    if folder is None:
        return 0, []
    try:
        entries = sorted((e for e in (Path(folder) / "error").iterdir() if e.is_dir()), reverse=True)
    except OSError:
        return 0, []
    shown = []
    for entry in entries[:limit]:
        reason = ""
        try:
            for line in (entry / "理由.txt").read_text("utf-8-sig").splitlines():
                if line.startswith(("理由:", "Reason:", "詳細:", "Detail:")):
                    reason = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        shown.append((entry.name.split("_", 1)[-1], reason))
    return len(entries), shown


@bp.route("/")
def index() -> Any:
    from ..cases.verdict import VERDICTS, verdict_label
    from ..registry.dates import DateRules
    from ..registry.model import STATUSES
    from ..registry.queries import SUMMARY_ROWS, due, summary

    s = site()
    filters = Filters.from_args(request.args)
    day = today()
    with s.registry() as reg:
        rows = case_rows(s.cfg, reg, day)
        with reg.snapshot() as conn:
            counts = summary(conn)
            due_items = due(conn, today=day, within=DUE_DAYS, rules=DateRules.from_config(s.cfg))
    shown = [r for r in rows if filters.keep(r)]
    departments = sorted({r.department for r in rows if r.department})
    from ..era import fiscal_year

    years = sorted({fiscal_year(r.received_on) for r in rows}, reverse=True)
    n_errors, errors = error_files()
    attention = [r for r in rows if r.needs_fix or r.review or r.possible][:50]
    from flask import url_for

    from .app import _t, status_label

    return render_template(
        "list.html", case_url=url_for("case.show", case_id=0)[:-1],
        status_names={st: status_label(st) for st in (*STATUSES, "ending")},
        type_names={k: _t("type_" + k) for k in TYPES}, fix_label=_t("att_fix"), rows=shown[:MAX_ROWS], more=max(0, len(shown) - MAX_ROWS), total=len(shown),
        filters=filters, statuses=STATUSES, verdicts=VERDICTS, verdict_names={v: verdict_label(v) for v in VERDICTS}, types=TYPES, departments=departments, years=years,
        counts=counts, summary_rows=SUMMARY_ROWS, due_items=due_items, due_days=DUE_DAYS, today=day,
        attention=attention, n_errors=n_errors, errors=errors)
