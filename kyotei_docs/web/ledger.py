"""The list as a ledger: its rows, columns, filters, sort order and pages — one view, two outputs.

Why a module of its own: the list page and the list's CSV/XLSX export must show
the same rows in the same order with the same columns (「表示どおりに書き出す」),
so both build a :class:`View` from the request's arguments here and only the
presentation differs.  Everything is server-side (no script): a sort, a filter or
a page is a link or a form with the state in its URL, so a view can be bookmarked,
sent to a colleague and opened again.

Sorting is stable: rows with the same value keep the order of their number, and
rows without a value (no signing date yet) come last in either direction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

#: every column the list can show, in the order shown
COLUMNS: tuple[str, ...] = ("id", "status", "verdict", "type", "organisation", "department",
                            "received", "signed", "expires")
#: the columns a person cannot hide (the organisation is the link to the case)
REQUIRED: frozenset[str] = frozenset({"organisation"})
DATE_COLUMNS: frozenset[str] = frozenset({"received", "signed", "expires"})
TYPES: tuple[str, ...] = ("axis", "allround", "individual", "unknown")
#: the verdict of a case's current proposal, worst first: 要修正, 要確認, 受付可
VERDICTS: tuple[str, ...] = ("fix", "review", "ok")  # the codes of cases/verdict.py, in this order
PAGE_SIZE = 50
#: the setting (registry/screen.py) that holds a person's columns
COLUMNS_SETTING = "list.columns"


def type_key(kind: str | None, subtype: str | None) -> str:
    if kind == "comprehensive":
        return subtype if subtype in ("axis", "allround") else "unknown"
    return "individual" if kind == "individual" else "unknown"


def fold(text: str | None) -> str:
    """The search key (:func:`.searchkey.search_key`): width, case, spaces, kana and ㈱ do not matter."""
    from .searchkey import search_key

    return search_key(text)


@dataclass(frozen=True)
class Row:
    """One case as the list shows it."""

    id: int
    status: str
    type: str
    organisation: str
    department: str
    received_on: date
    signed_on: date | None
    expires_on: date | None
    #: fix (要修正), review (要確認) or ok (受付可): the cases service's derived verdict
    verdict: str
    #: review items (要確認) the reader left, for the open cases
    review: int
    possible: bool = False
    #: open cases only: the current proposal has errors (要修正)
    needs_fix: bool = False
    #: the flow's current step (cases/flow.py) and whether any step is past its expected date
    step: str = ""
    late: bool = False
    key: str = field(default="", compare=False, repr=False)

    def value(self, column: str) -> Any:
        """The row's value in ``column`` (a key for status, verdict and type; a date; text)."""
        return {"id": self.id, "status": self.status, "verdict": self.verdict, "type": self.type,
                "organisation": self.organisation, "department": self.department,
                "received": self.received_on, "signed": self.signed_on, "expires": self.expires_on}[column]


def _order(values: tuple[str, ...]) -> Callable[[str], int]:
    index = {v: i for i, v in enumerate(values)}
    return lambda v: index.get(v, len(index))


def _sort_key(column: str) -> Callable[[Row], Any]:
    """What a column sorts by: its states in their life order, names by their search key, else the value."""
    from ..registry.model import STATUSES

    if column == "status":
        order = _order((*STATUSES[:3], "renewed", "ending", "ended"))
        return lambda r: order(r.status)
    if column == "verdict":
        verdicts = _order(VERDICTS)
        return lambda r: verdicts(r.verdict)
    if column == "type":
        types = _order(TYPES)
        return lambda r: types(r.type)
    if column == "organisation":
        return lambda r: r.key or fold(r.organisation) or None
    if column == "department":
        return lambda r: r.department or None
    return lambda r: r.value(column)


def sort_rows(rows: Iterable[Row], column: str, descending: bool) -> list[Row]:
    """``rows`` by ``column``; ties in number order; rows without a value last."""
    key = _sort_key(column)
    keyed = sorted(((key(r), r) for r in rows), key=lambda kr: kr[1].id)
    present = [kr for kr in keyed if kr[0] is not None]
    present.sort(key=lambda kr: kr[0], reverse=descending)  # stable, also reversed: ties stay in number order
    return [r for _, r in present] + [r for k, r in keyed if k is None]


#: what a step key may hold (configuration keys are plain words): anything else is dropped from the URL
_STEP_KEY = re.compile(r"[^a-z0-9_]")


@dataclass(frozen=True)
class Filters:
    status: str = ""
    type: str = ""
    department: str = ""
    fy: int | None = None
    verdict: str = ""
    q: str = ""
    #: a step of the flow (the cases now at it), or "late" (a step past its expected date)
    step: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        from ..registry.model import STATUSES

        status = args.get("status", "")
        kind = args.get("type", "")
        verdict = args.get("verdict", "")
        try:
            fy: int | None = int(args.get("fy", ""))
        except ValueError:
            fy = None
        return cls(status if status in (*STATUSES, "ending") else "", kind if kind in TYPES else "",
                   (args.get("department") or "")[:200], fy, verdict if verdict in VERDICTS else "",
                   (args.get("q") or "")[:200], _STEP_KEY.sub("", args.get("step") or "")[:60])

    @property
    def active(self) -> bool:
        return bool(self.status or self.type or self.department or self.fy or self.verdict or self.q or self.step)

    def keep(self, row: Row) -> bool:
        from ..era import fiscal_year

        if self.status and row.status != self.status:
            return False
        if self.type and row.type != self.type:
            return False
        if self.department and row.department != self.department:
            return False
        if self.fy and fiscal_year(row.received_on) != self.fy:
            return False
        if self.verdict and row.verdict != self.verdict:
            return False
        if self.step and not (row.late if self.step == "late" else row.step == self.step):
            return False
        return not self.q or fold(self.q) in (row.key or fold(row.organisation))

    def args(self) -> dict[str, str]:
        """The filters as URL arguments (empty ones left out)."""
        values = {"q": self.q, "status": self.status, "type": self.type, "department": self.department,
                  "fy": str(self.fy) if self.fy else "", "verdict": self.verdict, "step": self.step}
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class View:
    """One view of the list: filters, sort, page, columns — and the rows it selects."""

    filters: Filters
    sort: str
    descending: bool
    page: int
    columns: tuple[str, ...]
    rows: tuple[Row, ...] = ()
    total: int = 0

    @classmethod
    def from_args(cls, args: Mapping[str, str], columns: Iterable[str] | None = None) -> View:
        sort = args.get("sort", "")
        order = args.get("order", "")
        try:
            page = max(1, int(args.get("page", "1")))
        except ValueError:
            page = 1
        if sort not in COLUMNS:
            sort, order = "id", "desc"  # newest first
        return cls(Filters.from_args(args), sort, order == "desc", page, chosen_columns(columns))

    def select(self, rows: Iterable[Row]) -> View:
        """This view over ``rows``: filtered and sorted (every page)."""
        kept = sort_rows((r for r in rows if self.filters.keep(r)), self.sort, self.descending)
        return replace(self, rows=tuple(kept), total=len(kept))

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def current(self) -> int:
        return min(self.page, self.pages)

    @property
    def page_rows(self) -> tuple[Row, ...]:
        first = (self.current - 1) * PAGE_SIZE
        return self.rows[first:first + PAGE_SIZE]

    @property
    def first_no(self) -> int:
        return (self.current - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last_no(self) -> int:
        return min(self.total, self.current * PAGE_SIZE)

    def args(self, **changes: Any) -> dict[str, str]:
        """This view's URL arguments (the page left out unless > 1), with ``changes`` applied."""
        values: dict[str, Any] = dict(self.filters.args())
        if (self.sort, self.descending) != ("id", True):
            values.update(sort=self.sort, order="desc" if self.descending else "asc")
        if self.current > 1:
            values["page"] = str(self.current)
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def query(self, **changes: Any) -> str:
        return urlencode(self.args(**changes))

    def sort_query(self, column: str) -> str:
        """The link of a column's header: sort by it ascending, or the other way if it is the sort."""
        descending = not self.descending if column == self.sort else False
        return self.query(sort=column, order="desc" if descending else "asc", page=None)

    def aria_sort(self, column: str) -> str | None:
        if column != self.sort:
            return None
        return "descending" if self.descending else "ascending"

    def page_links(self) -> list[int | None]:
        """Page numbers to link: the first, the last, and two either side of the current (None: a gap)."""
        n, cur = self.pages, self.current
        wanted = sorted({1, n, *range(max(1, cur - 2), min(n, cur + 2) + 1)})
        out: list[int | None] = []
        for p in wanted:
            if out and out[-1] is not None and p - out[-1] > 1:
                out.append(None)
            out.append(p)
        return out


def chosen_columns(stored: Iterable[str] | None) -> tuple[str, ...]:
    """The columns to show, in list order: the stored choice (unknown names dropped) or all."""
    wanted = set(stored or ()) & set(COLUMNS)
    if not wanted:
        return COLUMNS
    return tuple(c for c in COLUMNS if c in wanted or c in REQUIRED)


# ------------------------------------------------------------------------------ rows from the cases


#: registry file → each case's row, beside the listed case it was made from (cases/listing.py)
_ROWS: dict[str, dict[int, tuple[Any, Row]]] = {}


def case_rows(cfg: Any, reg: Any, day: date) -> list[Row]:
    """Every case (merged ones left out), from the cases service's listing.

    The listing re-derives only the cases that changed (by their change stamps);
    a row is made again only for a case the listing derived again — the others
    keep the row made from the same listed case.
    """
    from ..cases.listing import listed

    where = str(getattr(reg, "path", id(reg)))
    known = _ROWS.get(where, {})
    made: dict[int, tuple[Any, Row]] = {}
    for x in listed(cfg, reg, today=day):
        old = known.get(x.id)
        made[x.id] = old if old is not None and old[0] is x else (x, _row(x))
    _ROWS[where] = made
    return [row for _, row in made.values()]


def _row(x: Any) -> Row:
    c, flow = x.case, x.progress
    a = c.agreement
    open_ = c.status in ("received", "in_consultation")
    current = flow.current
    return Row(a.id, c.status, type_key(a.kind, a.subtype), a.partner_name or "", a.department or "",
               a.received_on, a.signed_on, a.expires_on, c.verdict_code,
               len(c.open_review) if open_ else 0, c.possibly_same, open_ and c.needs_correction,
               current.step.key if current and open_ else "", bool(flow.late) and open_, fold(a.partner_name))
