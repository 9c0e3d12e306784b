"""Questions staff ask the registry: what is due, what needs review, how many there are.

Why here and not in the commands: the same answers feed the text tables, the
``--json`` output, the exports and the benchmark, so they are plain functions
over a connection that return dataclasses.  Each takes the connection of one
read transaction (``Registry.snapshot()``) so that a report never mixes two
states of a registry the watcher is writing to.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..era import fiscal_year_end, fiscal_year_start
from .dates import DateRules
from .model import ACTIVE, ENDED, RENEWED, SIGNED, STATUSES, Agreement, Event, Result

#: A notice deadline lies at most one month and a few closed days before its expiry.
_DEADLINE_MARGIN = timedelta(days=31 + 14)


def fetch_agreement(conn: sqlite3.Connection, agreement_id: int) -> Agreement | None:
    row = conn.execute("SELECT * FROM agreements WHERE id = ?", (agreement_id,)).fetchone()
    return Agreement.from_row(row) if row else None


def fetch_result(conn: sqlite3.Connection, result_id: int) -> Result | None:
    row = conn.execute("SELECT * FROM results WHERE id = ?", (result_id,)).fetchone()
    return Result.from_row(row) if row else None


def list_agreements(conn: sqlite3.Connection, statuses: Iterable[str] | None = None) -> list[Agreement]:
    """All agreements — cases, not files: merged-away cases are left out — (optionally only some
    stored states), oldest ID first."""
    wanted = tuple(statuses or ())
    if wanted:
        marks = ", ".join("?" for _ in wanted)
        rows = conn.execute(f"SELECT * FROM agreements WHERE status IN ({marks}) AND merged_into IS NULL"
                            " ORDER BY id", wanted)
    else:
        rows = conn.execute("SELECT * FROM agreements WHERE merged_into IS NULL ORDER BY id")
    return [Agreement.from_row(r) for r in rows]


def change_stamps(conn: sqlite3.Connection) -> dict[int, int]:
    """Every case's change stamp (merged-away cases left out), from one covering index.

    The stamp is a new random number whenever anything of the case is written,
    by any process (the triggers of schema version 10): a reader that kept what
    it derived from a case knows, by comparing stamps, which cases to read again.
    """
    rows = conn.execute("SELECT id, changed FROM agreements INDEXED BY agreements_by_change"
                        " WHERE merged_into IS NULL")
    return dict(rows.fetchall())


def events_for(conn: sqlite3.Connection, agreement_id: int) -> list[Event]:
    rows = conn.execute("SELECT * FROM events WHERE agreement_id = ? ORDER BY id", (agreement_id,))
    return [Event.from_row(r) for r in rows]


def results_for(conn: sqlite3.Connection, agreement_id: int) -> list[Result]:
    rows = conn.execute("SELECT * FROM results WHERE agreement_id = ? ORDER BY fiscal_year, item_no, id",
                        (agreement_id,))
    return [Result.from_row(r) for r in rows]


def submission_folder(conn: sqlite3.Connection, agreement_id: int) -> str | None:
    """The folder of the agreement's latest submission (drop-folder drafts), if any."""
    row = conn.execute("SELECT folder FROM submissions WHERE agreement_id = ? ORDER BY rowid DESC LIMIT 1",
                       (agreement_id,)).fetchone()
    return row["folder"] if row else None


def results_by_fiscal_year(results: Iterable[Result], *, public_only: bool = True) -> dict[int, list[str]]:
    """What Form 3 prints under 「令和◯年度連携実績」: titles by fiscal year, public ones only."""
    out: dict[int, list[str]] = defaultdict(list)
    for r in results:
        if r.public or not public_only:
            out[r.fiscal_year].append(r.title)
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------------------
# due
# --------------------------------------------------------------------------------------

#: kinds of due entries, in the order they are printed on the same day
DUE_KINDS: tuple[str, ...] = ("renewal_pending", "lapsed", "notice_deadline", "expiry", "ending")


@dataclass(frozen=True)
class DueItem:
    """Something to act on by a date: a notice deadline, an expiry, an unapplied renewal."""

    kind: str
    on: date
    days: int
    agreement: Agreement

    def to_json(self) -> dict:
        a = self.agreement
        return {"kind": self.kind, "date": self.on.isoformat(), "days": self.days, "id": a.id,
                "title": a.title, "partner": a.partner_name, "department": a.department,
                "status": a.status, "expires_on": a.expires_on.isoformat() if a.expires_on else None}


def due(conn: sqlite3.Connection, *, today: date, within: int, rules: DateRules,
        agreements: Iterable[Agreement] | None = None) -> list[DueItem]:
    """Deadlines and expiries from ``today`` to ``today + within`` days, plus overdue renewals.

    * ``notice_deadline`` — last day to object to the automatic renewal
      (moved earlier off closed days);
    * ``expiry`` — the current term ends;
    * ``renewal_pending`` — expired with automatic renewal, but ``renew`` has not run;
    * ``lapsed`` — expired without automatic renewal and not recorded as ended;
    * ``ending`` — an agreement recorded as ending on a coming day (after ``today``: one ending
      today is ended today, not 「あと0日」).

    ``agreements``: every case's agreement (merged-away ones left out) when the
    caller holds them already (``cases/listing.py``): none is read again.  With
    fiscal-year terms every agreement expires on the same 31 March, so from
    February this lists them all; the screen asks on every request.
    """
    horizon = today + timedelta(days=within)
    last_expiry = horizon + _DEADLINE_MARGIN
    items: list[DueItem] = []

    def add(kind: str, on: date, a: Agreement) -> None:
        items.append(DueItem(kind, on, (on - today).days, a))

    if agreements is None:  # the rows the two conditions below can keep
        rows = conn.execute(
            "SELECT * FROM agreements WHERE merged_into IS NULL AND ((status IN (?, ?) AND expires_on <= ?)"
            " OR (status IN (?, ?, ?) AND ended_on > ? AND ended_on <= ?)) ORDER BY id",
            (SIGNED, RENEWED, last_expiry.isoformat(), ENDED, SIGNED, RENEWED, today.isoformat(), horizon.isoformat()))
        agreements = [Agreement.from_row(row) for row in rows]
    else:
        agreements = list(agreements)
    for a in agreements:
        if a.status not in (SIGNED, RENEWED) or a.expires_on is None or a.expires_on > last_expiry:
            continue
        if a.expires_on < today:
            add("renewal_pending" if a.auto_renew else "lapsed", a.expires_on, a)
            continue
        if a.ended_on is not None and a.ended_on <= a.expires_on:
            continue  # its end is recorded (終了予定): listed below, no renewal to object to
        if a.auto_renew:
            deadline = rules.deadline(a.expires_on)
            if today <= deadline <= horizon:
                add("notice_deadline", deadline, a)
        if a.expires_on <= horizon:
            add("expiry", a.expires_on, a)
    # ended on a coming day: recorded ahead (status still in force, 終了予定) or by an earlier version.
    # An end on today has come (the agreement is ended today, cases.effective_status): not 「あと0日」.
    for a in agreements:
        if a.status in (ENDED, SIGNED, RENEWED) and a.ended_on is not None and today < a.ended_on <= horizon:
            add("ending", a.ended_on, a)
    items.sort(key=lambda i: (i.on, DUE_KINDS.index(i.kind), i.agreement.id))
    return items


# --------------------------------------------------------------------------------------
# review
# --------------------------------------------------------------------------------------


#: The outcomes of a continuation consultation (guideline 5(3)).
OUTCOMES: tuple[str, ...] = ("continue", "amend", "end")


@dataclass(frozen=True)
class ReviewOutcome:
    """What the consultation with the partner decided for one agreement and fiscal year."""

    agreement_id: int
    fiscal_year: int
    outcome: str
    on_date: date
    note: str | None
    actor: str

    def to_json(self) -> dict:
        return {"agreement_id": self.agreement_id, "fiscal_year": self.fiscal_year, "outcome": self.outcome,
                "on_date": self.on_date.isoformat(), "note": self.note, "actor": self.actor}


@dataclass
class ReviewReport:
    """Agreements in force during fiscal year ``fy`` with no result recorded for it."""

    fy: int
    needs_review: list[Agreement] = field(default_factory=list)
    #: (agreement, why exempt: the reason staff gave, or "flag" when none was recorded)
    exempt: list[tuple[Agreement, str]] = field(default_factory=list)
    #: agreements in force that year (reviewed or not), for context
    in_force: int = 0
    #: agreement ID → the field for which exemption is *suggested* (an individual agreement in
    #: 災害対策): staff decide, with ``registry set ID --exempt --exempt-reason``
    suggested: dict[int, str] = field(default_factory=dict)
    #: agreement ID → the latest consultation outcome recorded for ``fy``
    outcomes: dict[int, ReviewOutcome] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"fiscal_year": self.fy, "in_force": self.in_force,
                "needs_review": [a.to_json() | {"exemption_suggested": self.suggested.get(a.id),
                                                "outcome": (self.outcomes[a.id].to_json()
                                                            if a.id in self.outcomes else None)}
                                 for a in self.needs_review],
                "exempt": [{"agreement": a.to_json(), "reason": why} for a, why in self.exempt]}


def outcomes_for(conn: sqlite3.Connection, fy: int) -> dict[int, ReviewOutcome]:
    """The latest recorded outcome per agreement for fiscal year ``fy``."""
    out: dict[int, ReviewOutcome] = {}
    for r in conn.execute("SELECT * FROM reviews WHERE fiscal_year = ? ORDER BY id", (fy,)):
        out[r["agreement_id"]] = ReviewOutcome(r["agreement_id"], r["fiscal_year"], r["outcome"],
                                               date.fromisoformat(r["on_date"]), r["note"], r["actor"])
    return out


def _in_force_during(a: Agreement, first: date, last: date) -> bool:
    """Signed by the year's last day, and still in force or ended (also ahead, 終了予定) on or after its
    first day — but not lapsed before it began (``renew`` not run)."""
    if a.signed_on is None or a.signed_on > last:
        return False
    if not (a.status in (SIGNED, RENEWED) or (a.status == ENDED and a.ended_on is not None and a.ended_on >= first)):
        return False
    return a.expires_on is None or a.expires_on >= first


def review(conn: sqlite3.Connection, *, fy: int, suggest_fields: Iterable[str] = (),
           agreements: Iterable[Agreement] | None = None) -> ReviewReport:
    """Guideline §5(3): agreements without results are discussed with the partner —
    except agreements prepared for emergencies, which may stay without results.

    Which agreements those are is a judgement: only the flag staff set on the
    case (``review_exempt``, with its reason) exempts one.  An individual
    agreement in one of ``suggest_fields`` (災害対策) is listed for review with
    the exemption *suggested*; a comprehensive agreement that merely lists the
    field is reviewed like any other.

    ``agreements``: every case's agreement (merged-away ones left out), oldest
    first, when the caller holds them already (``cases/listing.py``): the
    agreements are then not read again.
    """
    first, last = fiscal_year_start(date(fy, 4, 1)), fiscal_year_end(date(fy, 4, 1))
    suggest = tuple(suggest_fields)
    with_results = {row[0] for row in conn.execute(
        "SELECT DISTINCT agreement_id FROM results WHERE fiscal_year = ?", (fy,))}
    report = ReviewReport(fy, outcomes=outcomes_for(conn, fy))
    if agreements is None:
        rows = conn.execute("SELECT * FROM agreements WHERE merged_into IS NULL AND signed_on <= ? ORDER BY id",
                            (last.isoformat(),))
        agreements = (Agreement.from_row(row) for row in rows)
    for a in agreements:
        if not _in_force_during(a, first, last):
            continue
        report.in_force += 1
        if a.id in with_results or a.status == ENDED:
            continue  # an agreement already ended is not discussed with its partner
        if a.review_exempt:
            report.exempt.append((a, a.exempt_reason or "flag"))
            continue
        report.needs_review.append(a)
        if a.kind == "individual":
            field_ = next((f for f in (a.axis_field, *a.fields) if f and f in suggest), None)
            if field_:
                report.suggested[a.id] = field_
    return report


# --------------------------------------------------------------------------------------
# summary
# --------------------------------------------------------------------------------------

#: row keys of the summary, in print order
SUMMARY_ROWS: tuple[str, ...] = ("axis", "allround", "comprehensive_unknown", "individual", "unknown")


def summary(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Counts by type row (主軸分野型, オールラウンド型, … individual) and status, with totals.

    For 市民生活部 地域活動推進課, which keeps count of comprehensive agreements.
    Cases, not files: a proposal sent as .docx and PDF, or corrected, is one
    case; cases merged into another are not counted.  An agreement whose end
    is recorded for a later date counts as in force until then.
    """
    table = {row: dict.fromkeys((*STATUSES, "total"), 0) for row in SUMMARY_ROWS}
    for r in conn.execute("SELECT kind, subtype, status, count(*) AS n FROM agreements"
                          " WHERE merged_into IS NULL GROUP BY kind, subtype, status"):
        if r["kind"] == "comprehensive":
            row = r["subtype"] if r["subtype"] in ("axis", "allround") else "comprehensive_unknown"
        else:
            row = "individual" if r["kind"] == "individual" else "unknown"
        table[row][r["status"]] += r["n"]
        table[row]["total"] += r["n"]
    return table


def active_count(table: dict[str, int]) -> int:
    """Agreements in force in one summary row."""
    return sum(table[s] for s in ACTIVE)
