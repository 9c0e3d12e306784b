"""Every case as a listing needs it — derived again only for the cases that changed.

Why: the screen's list (a page of 1,000 cases), its reminders and ``registry
list`` need every case with its verdict and where it stands in its flow.
Reading 1,000 cases with their files, corrections and confirmations and
deciding each verdict costs about 150 ms of CPU, and the screen asks on every
request.  A verdict is derived, never stored (:mod:`.verdict`), so what is kept
here is what was *derived*, per case, beside the case's change stamp
(:func:`kyotei_docs.registry.queries.change_stamps`: a new random number
whenever anything of the case is written, set by the registry's own triggers,
so the writes of ``watch``, of a command or of another screen move it too).

Each call reads every stamp (one covering index, about a millisecond for 1,000
cases) and, in the same read transaction, reads and derives again only the
cases whose stamp moved or that are new; the others are reused.  What every
case depends on at once: the configuration (the rules, the flows) and the
language of the messages start the whole listing afresh; a new day gives every
case its status (an end recorded ahead) and its flow (expected dates, what is
late) of that day from what was kept, without reading the cases again — the
verdict does not depend on the day.

Kept per registry file, per process, for the latest state only (memory about
11 MB per 1,000 cases in the benchmark's registry); the listed objects are
shared and frozen — callers must not change them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..i18n import get_lang
from ..registry.store import Registry
from .flow import EVENT, Progress, progress
from .model import Case, effective_status

__all__ = ["Listed", "listed"]


@dataclass(frozen=True)
class Listed:
    """One case of a listing: the case (files, corrections, verdict; its status on the day) and its flow."""

    case: Case
    progress: Progress

    @property
    def id(self) -> int:
        return self.case.id


@dataclass(frozen=True)
class _Kept:
    cfg: Any
    day: date
    lang: str
    stamps: dict[int, int]
    entries: dict[int, Listed]
    #: the entries in case order (what :func:`listed` returns while nothing changed)
    order: tuple[Listed, ...] = ()
    #: each case's step records (its flow seen on another day without reading it again)
    steps: dict[int, tuple[Any, ...]] = field(default_factory=dict)


#: registry file → what was derived from it last
_KEPT: dict[str, _Kept] = {}
_LOCK = threading.Lock()  # the screen's threads share it
#: above this many cases to read again, one read of every row is cheaper than a long IN (…)
_BY_ID_MAX = 200


def listed(cfg: Any, reg: Registry, *, today: date | None = None) -> list[Listed]:
    """Every case (merged-away ones left out), oldest first, with its verdict and flow on ``today``."""
    from ..registry.queries import change_stamps
    from .service import _today

    day = _today(cfg, today)
    lang = get_lang()
    where = str(getattr(reg, "path", id(reg)))
    with _LOCK:
        kept = _KEPT.get(where)
    if kept is None or kept.cfg is not cfg or kept.lang != lang:
        kept = _Kept(cfg, day, lang, {}, {})
    elif kept.day != day:
        kept = _on(kept, day)
    with reg.snapshot() as conn:
        stamps = change_stamps(conn)
        stale = [i for i, s in stamps.items() if kept.stamps.get(i) != s]
        fresh = _derive(cfg, conn, stale, day, everything=len(stale) > _BY_ID_MAX) if stale else {}
    if stamps != kept.stamps:
        entries = {i: fresh[i][0] if i in fresh else kept.entries[i] for i in sorted(stamps)}
        steps = {i: fresh[i][1] if i in fresh else kept.steps.get(i, ()) for i in entries}
        kept = _Kept(cfg, day, lang, stamps, entries, tuple(entries.values()), steps)
    with _LOCK:
        _KEPT[where] = kept
    return list(kept.order)


def _on(kept: _Kept, day: date) -> _Kept:
    """What was kept, seen on another ``day`` without reading a case again: the status (an end recorded
    ahead) and the flow (expected dates, what is late) follow the day; the verdict does not (the rules'
    one date check, a proposal dated ahead, is a warning, never an error or a review item)."""
    entries = {}
    for i, x in kept.entries.items():
        a = x.case.agreement
        entries[i] = Listed(replace(x.case, status=effective_status(a, day)),
                            progress(kept.cfg, a, kept.steps.get(i, ()), day))
    return _Kept(kept.cfg, day, kept.lang, kept.stamps, entries, tuple(entries.values()), kept.steps)


def _derive(cfg: Any, conn: sqlite3.Connection, ids: Sequence[int], day: date, *,
            everything: bool) -> dict[int, tuple[Listed, tuple[Any, ...]]]:
    """The cases ``ids`` read and derived from one read transaction (``everything``: read every case's rows,
    keep those), each with its step records."""
    from ..registry.model import Agreement, Event
    from .service import _confirmation, _correction, _file, verdict_for

    wanted = set(ids)
    marks = ", ".join("?" for _ in ids)

    def rows(sql: str, column: str, *args: Any) -> list[sqlite3.Row]:
        """``sql``'s rows of the cases wanted; ``{only}`` in it becomes the condition on ``column``."""
        if everything:
            name = column.rsplit(".", 1)[-1]
            return [r for r in conn.execute(sql.format(only=""), args) if r[name] in wanted]
        return conn.execute(sql.format(only=f" AND {column} IN ({marks})"), (*args, *ids)).fetchall()

    files: dict[int, list[Any]] = {}
    for r in rows("SELECT s.*, a.current_file FROM submissions s JOIN agreements a ON a.id = s.agreement_id"
                  " WHERE 1{only} ORDER BY s.rowid", "s.agreement_id"):
        files.setdefault(r["agreement_id"], []).append(_file(r, r["current_file"]))
    corrections: dict[int, list[Any]] = {}
    for r in rows("SELECT * FROM corrections WHERE 1{only} ORDER BY id", "agreement_id"):
        corrections.setdefault(r["agreement_id"], []).append(_correction(r))
    confirmations: dict[int, list[Any]] = {}
    for r in rows("SELECT * FROM confirmations WHERE 1{only} ORDER BY id", "agreement_id"):
        confirmations.setdefault(r["agreement_id"], []).append(_confirmation(r))
    steps: dict[int, list[Event]] = {}
    for r in rows("SELECT * FROM events WHERE kind = ?{only} ORDER BY id", "agreement_id", EVENT):
        steps.setdefault(r["agreement_id"], []).append(Event.from_row(r))
    out = {}
    for r in rows("SELECT * FROM agreements WHERE merged_into IS NULL{only} ORDER BY id", "id"):
        a = Agreement.from_row(r)
        mine = tuple(files.get(a.id, ()))
        corrected = tuple(corrections.get(a.id, ()))
        verdict = verdict_for(cfg, a, mine, corrected, confirmations.get(a.id, ()), r["proposal"])
        case = Case(a, mine, corrected, status=effective_status(a, day), verdict=verdict)
        records = tuple(steps.get(a.id, ()))
        out[a.id] = (Listed(case, progress(cfg, a, records, day)), records)
    return out


def only(found: Sequence[Listed], statuses: Collection[str] = (), verdicts: Collection[str] = ()) -> list[Listed]:
    """``found`` with the status (of the day) and verdict asked for (none asked: all)."""
    return [x for x in found if (not statuses or x.case.status in statuses)
            and (not verdicts or x.case.verdict_code in verdicts)]
