"""一覧: the cases as a ledger (sort, pages, filters, columns), the counts, what is due, what needs attention.

The rows, filters, sort and pages are :mod:`.ledger`'s (the list's export uses the
same view); the counts are ``registry summary``'s and the deadlines ``registry due``'s
(the same query functions).  This module only gathers and arranges them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, g, redirect, render_template, request, url_for

from .app import site
from .ledger import COLUMNS, COLUMNS_SETTING, REQUIRED, TYPES, VERDICTS, View, case_rows

bp = Blueprint("listing", __name__)

DUE_DAYS = 60
#: at most this many entries in each side panel: with fiscal-year terms every agreement expires on the same
#: 31 March, so from February the deadlines alone would list them all (hundreds) and the page would grow
PANEL_SHOWN = 50


def today() -> date:
    """Today in the city's time zone (``[municipality] timezone``)."""
    from ..citytime import today as city_today

    return city_today(site().cfg)


def stored_columns(reg: Any) -> Any:
    """The columns the signed-in person chose (None: never chosen)."""
    from ..registry.screen import get_setting

    with reg.snapshot() as conn:
        return get_setting(conn, g.user.name, COLUMNS_SETTING)


def current_view() -> tuple[View, list[Any]]:
    """The view the request's arguments ask for, over every case (and the rows, for the side panels)."""
    s = site()
    with s.registry() as reg:
        rows = case_rows(s.cfg, reg, today())
        view = View.from_args(request.args, stored_columns(reg))
    return view.select(rows), rows


@bp.route("/")
def index() -> Any:
    from ..cases.verdict import verdict_label
    from ..era import fiscal_year
    from ..registry.dates import DateRules
    from ..registry.model import STATUSES
    from ..registry.queries import SUMMARY_ROWS, due, summary
    from .app import _t, status_label

    s = site()
    day = today()
    view, rows = current_view()
    from ..cases.listing import listed
    from ..cases.remind import collect

    with s.registry() as reg:
        held = [x.case.agreement for x in listed(s.cfg, reg, today=day)]  # kept: nothing read again
        with reg.snapshot() as conn:
            counts = summary(conn)
            due_items = due(conn, today=day, within=DUE_DAYS, rules=DateRules.from_config(s.cfg),
                            agreements=held)
        # the results survey, the 5(3) consultations and ends ahead (deadlines are in the due panel)
        reminders = sorted((r for r in collect(s.cfg, reg, today=day) if r.kind in ("survey", "consultation", "ending", "step")),
                           key=lambda r: r.on)  # the nearest first: the panel shows PANEL_SHOWN of them
    departments = sorted({r.department for r in rows if r.department})
    years = sorted({fiscal_year(r.received_on) for r in rows}, reverse=True)
    from .errorfiles import waiting

    n_errors, errors = waiting()
    attention = [r for r in rows if r.needs_fix or r.review or r.possible]
    attention.sort(key=lambda r: -r.id)
    return render_template(
        "list.html", case_url=url_for("case.show", case_id=0)[:-1], view=view, filters=view.filters,
        status_names={st: status_label(st) for st in (*STATUSES, "ending")},
        type_names={k: _t("type_" + k) for k in TYPES}, verdict_names={k: verdict_label(k) for k in VERDICTS},
        column_names={c: _t("col_" + c) for c in COLUMNS}, all_columns=COLUMNS, required=REQUIRED,
        statuses=STATUSES, types=TYPES, verdicts=VERDICTS, departments=departments, years=years,
        counts=counts, summary_rows=SUMMARY_ROWS, due_items=due_items[:PANEL_SHOWN],
        due_more=max(0, len(due_items) - PANEL_SHOWN), due_days=DUE_DAYS, today=day,
        attention=attention[:PANEL_SHOWN], attention_more=max(0, len(attention) - PANEL_SHOWN), n_errors=n_errors, errors=errors, reminders=reminders[:PANEL_SHOWN],
        reminders_more=max(0, len(reminders) - PANEL_SHOWN), panel_shown=PANEL_SHOWN,
        steps=_step_choices(s.cfg))


def _step_choices(cfg: Any) -> list[tuple[str, str]]:
    """The steps of every flow before signing, once each, for the list's 段階 filter (issue 18)."""
    seen: dict[str, str] = {}
    for flow in cfg.guideline.flows.values():
        for step in flow:
            if step.key != "signed":
                seen.setdefault(step.key, step.label)
    return list(seen.items())


@bp.route("/columns", methods=["POST"])
def columns() -> Any:
    """Keep the columns this person chose (in the registry, per person: there on any PC)."""
    from ..registry.screen import put_setting

    chosen = [c for c in request.form.getlist("col") if c in COLUMNS]
    s = site()
    with s.registry() as reg:
        put_setting(reg, g.user.name, COLUMNS_SETTING, chosen or list(COLUMNS))
    from urllib.parse import parse_qsl, urlencode

    back = urlencode(parse_qsl((request.form.get("back") or "")[:2000]))  # this list's own arguments only
    return redirect(url_for("listing.index") + ("?" + back if back else ""), code=303)
