"""Issue 6 figures: ``due`` and ``export`` over 10,000 agreements with 10 years of results.

Builds a registry of 10,000 agreements signed in fiscal year 2016 (a mix of
types, terms and states, renewed up to 2026) with one result per signed
agreement and fiscal year 2016–2025 (about 96,000 results: the 4 % never
signed have none), then times:

* ``due --within 60`` — opening the registry and computing the list, in-process;
* the same as a whole ``kyotei registry due`` process (Python start-up included);
* ``export --csv`` (both files) and ``export --xlsx`` (both sheets, rustpy-xlsxwriter in
  constant-memory mode), each also as a ratio to a bare write of the same rows with the same
  library (the ``csv`` module; rustpy-xlsxwriter's ``write_worksheets`` of the rows as records,
  no options), rows read beforehand;
* with ``--compare``, bare writes of the same rows with the writers not chosen (XlsxWriter in
  constant-memory mode and in memory, pyexcelerate), where installed;
* ``review`` and ``summary`` for context;
* a pure-Python reference loop, so that figures from machines of different
  speed (or a shared, loaded machine) can be compared.

Prints a table; ``--write`` also records it in bench/RESULTS.md.  Targets (CPU):
``due`` and ``export --csv`` under 1 s, ``export --xlsx`` under 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, write_section  # noqa: E402
from kyotei_docs.registry.dates import DateRules  # noqa: E402
from kyotei_docs.registry.export import (  # noqa: E402
    AGREEMENT_COLUMNS,
    RESULT_COLUMNS,
    iter_agreement_rows,
    iter_result_rows,
    write_csv,
    write_xlsx,
)
from kyotei_docs.registry.queries import due, review, summary  # noqa: E402
from kyotei_docs.registry.store import now_stamp, open_registry  # noqa: E402
from kyotei_docs.vocab import FIELDS  # noqa: E402

TODAY = date(2026, 11, 25)
YEARS = range(2016, 2026)


def build(path: Path, agreements: int, seed: int = 6) -> int:
    """Fill a new registry directly (bulk inserts); returns the number of results."""
    rng = random.Random(seed)
    rules = DateRules()
    stamp = now_stamp()
    rows, events, results = [], [], []
    for i in range(1, agreements + 1):
        signed = date(2016, 4, 1) + timedelta(days=rng.randrange(365))
        term = rng.choice(("fiscal", "one-year"))
        expiry = rules.expiry(signed, term)  # type: ignore[arg-type]
        renewals = list(rules.renewals(expiry, TODAY))
        start = renewals[-1][0] if renewals else signed
        expires = renewals[-1][1] if renewals else expiry
        state = rng.choices(("renewed", "ended", "received", "in_consultation"), (90, 6, 2, 2))[0]
        kind = rng.choice(("comprehensive", "comprehensive", "individual"))
        subtype = rng.choice(("axis", "allround")) if kind == "comprehensive" else None
        fields = rng.sample(FIELDS, 3 if kind == "comprehensive" else 1)
        partner = f"株式会社ベンチ{i:05d}"
        unsigned = state in ("received", "in_consultation")
        rows.append((
            i, f"旭川市と{partner}との包括連携協定", kind, subtype, fields[0] if subtype == "axis" else None,
            partner, f"北海道旭川市{i % 9 + 1}条通{i % 20 + 1}丁目", "代表取締役 旭川 太郎",
            json.dumps(fields, ensure_ascii=False), "[]", "市民生活部 地域活動推進課", state,
            "2016-03-01", "2016-03-10",
            None if unsigned else signed.isoformat(), None if unsigned else term,
            None if unsigned else start.isoformat(), None if unsigned else expires.isoformat(),
            1, 0 if unsigned else len(renewals),
            "2026-01-31" if state == "ended" else None, "notice" if state == "ended" else None,
            "解約の申出" if state == "ended" else None, "{}", stamp, stamp))
        events.append((i, "received", None, "received", "2016-03-10", "bench", stamp, "{}"))
        if unsigned:
            continue
        events.append((i, "signed", "received", "signed", signed.isoformat(), "bench", stamp, "{}"))
        for fy in YEARS:
            results.append((i, fy, rng.randint(1, 4), f"令和{fy - 2018}年度の連携事業 {i}", f"{fy}-10-01",
                            "市民向けセミナーを開催", "市民生活部 地域活動推進課", rng.random() < 0.9, stamp))
    with open_registry(path, create=True) as reg, reg.write() as conn:
        conn.executemany(
            "INSERT INTO agreements (id, title, kind, subtype, axis_field, partner_name, partner_address,"
            " partner_representative, fields, items, department, status, proposed_on, received_on, signed_on,"
            " term, period_start, expires_on, auto_renew, renewals, ended_on, end_cause, end_reason, proposal,"
            " created_at, updated_at) VALUES (" + ", ".join("?" * 26) + ")", rows)
        conn.executemany("INSERT INTO events (agreement_id, kind, from_status, to_status, on_date, actor,"
                         " recorded_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", events)
        conn.executemany("INSERT INTO results (agreement_id, fiscal_year, item_no, title, done_on, content,"
                         " department, public, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", results)
    return len(results)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (user + system)."""
    own = time.process_time()
    try:
        import resource

        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own + kids.ru_utime + kids.ru_stime
    except ImportError:  # Windows: no child accounting
        return own


def timed(fn, runs: int) -> tuple[float, float, object]:
    """Median wall and CPU seconds of ``runs`` calls after one warm-up, and the last return value.

    CPU time is reported beside wall time because the bench machine may be shared: on a
    loaded machine wall time grows with the other work, CPU time measures ours.
    """
    value = fn()
    walls, cpus = [], []
    for _ in range(runs):
        c0, t0 = _cpu(), time.perf_counter()
        value = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(_cpu() - c0)
    return statistics.median(walls), statistics.median(cpus), value


def reference_loop() -> float:
    """CPU seconds for ten million additions in a Python loop (median of three): the machine's speed."""
    times = []
    for _ in range(3):
        c0 = time.process_time()
        total = 0
        for i in range(10_000_000):
            total += i
        times.append(time.process_time() - c0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--agreements", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--write", action="store_true", help="record the table in bench/RESULTS.md")
    ap.add_argument("--compare", action="store_true",
                    help="also time XlsxWriter and pyexcelerate writing the same rows (where installed)")
    args = ap.parse_args()

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="kyotei-bench-registry-") as tmp:
        work = Path(tmp)
        db = work / "registry.sqlite3"
        t0 = time.perf_counter()
        n_results = build(db, args.agreements)
        build_s = time.perf_counter() - t0
        size_mb = db.stat().st_size / 1e6
        rules = DateRules.from_config(None)

        def run_due():
            with open_registry(db) as reg, reg.snapshot() as conn:
                return due(conn, today=TODAY, within=60, rules=DateRules())  # fresh deadline cache each run

        def run_review():
            with open_registry(db) as reg, reg.snapshot() as conn:
                return review(conn, fy=2025, exempt_fields=["災害対策"])

        def run_summary():
            with open_registry(db) as reg, reg.snapshot() as conn:
                return summary(conn)

        counter = iter(range(1_000_000))

        def run_csv():
            n = next(counter)
            with open_registry(db) as reg:
                return write_csv(reg, work / f"a{n}.csv", rules=rules)

        def run_xlsx():
            n = next(counter)
            with open_registry(db) as reg:
                return write_xlsx(reg, work / f"a{n}.xlsx", rules=rules)

        with open_registry(db) as reg, reg.snapshot() as conn:  # the same rows, read once, for the bare writes
            bare_agreements = [list(r) for r in iter_agreement_rows(conn, rules, "，")]
            bare_results = [list(r) for r in iter_result_rows(conn)]

        def run_bare_csv():
            """The csv module alone writing the same rows (UTF-8 with BOM, as the export)."""
            import csv

            n = next(counter)
            for name, header, rows in ((f"b{n}.csv", AGREEMENT_COLUMNS, bare_agreements),
                                       (f"b{n}-results.csv", RESULT_COLUMNS, bare_results)):
                with open(work / name, "w", encoding="utf-8-sig", newline="") as fh:
                    writer = csv.writer(fh)
                    writer.writerow(header)
                    writer.writerows(rows)

        bare_sheets = (("協定", AGREEMENT_COLUMNS, bare_agreements), ("実績", RESULT_COLUMNS, bare_results))

        def run_bare_xlsx():
            """rustpy-xlsxwriter alone writing the same rows: records (the input it takes), no options."""
            from rustpy_xlsxwriter import write_worksheets

            write_worksheets([(title, (dict(zip(header, row)) for row in rows)) for title, header, rows in bare_sheets],
                             str(work / f"b{next(counter)}.xlsx"))

        def xlsxwriter_bare(options: dict[str, bool]):
            """XlsxWriter writing the same rows with ``write_row`` and no formats (the writer used before)."""
            def run():
                import xlsxwriter  # type: ignore[import-untyped,unused-ignore]

                wb = xlsxwriter.Workbook(str(work / f"x{next(counter)}.xlsx"), {
                    "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False, **options})
                for title, header, rows in bare_sheets:
                    ws = wb.add_worksheet(title)
                    ws.write_row(0, 0, header)
                    for r, row in enumerate(rows, 1):
                        ws.write_row(r, 0, row)
                wb.close()
            return run

        def run_pyexcelerate():
            """pyexcelerate writing the same rows (``new_sheet(data=...)``, no styles)."""
            from pyexcelerate import Workbook  # type: ignore[import-not-found,unused-ignore]

            wb = Workbook()
            for title, header, rows in bare_sheets:
                wb.new_sheet(title, data=[list(header), *rows])
            wb.save(str(work / f"p{next(counter)}.xlsx"))

        def run_cli_due():
            subprocess.run([sys.executable, "-m", "kyotei_docs", "registry", "due", "--within", "60",
                            "--today", TODAY.isoformat(), "--registry", str(db)], check=True,
                           capture_output=True, cwd=work)

        reference_s = reference_loop()
        due_s = timed(run_due, args.runs)
        cli_s = timed(run_cli_due, args.runs)
        csv_s = timed(run_csv, args.runs)
        bare_csv_s = timed(run_bare_csv, args.runs)
        xlsx_s = timed(run_xlsx, max(1, args.runs // 2))
        bare_xlsx_s = timed(run_bare_xlsx, max(1, args.runs // 2))
        compared = []
        if args.compare:
            for name, fn in (("XlsxWriter `write_row`, constant memory", xlsxwriter_bare({"constant_memory": True})),
                             ("XlsxWriter `write_row`, in memory", xlsxwriter_bare({"in_memory": True})),
                             ("pyexcelerate `new_sheet(data=…)`", run_pyexcelerate)):
                try:
                    compared.append((name, timed(fn, max(1, args.runs // 2))))
                except ImportError as exc:
                    print(f"skipped {name}: {exc}")
        review_s = timed(run_review, args.runs)
        summary_s = timed(run_summary, args.runs)
        items, csv_report = due_s[2], csv_s[2]

    def row(what: str, figures: tuple[float, float, object], target: float | None = None,
            bare: tuple[float, float, object] | None = None) -> str:
        wall, cpu, _ = figures
        verdict = ""
        if target is not None:
            verdict = f"≤ {target:g} s " + ("✔" if cpu <= target else "✘ **not met**")
        ratio = f"{cpu / bare[1]:.2f}×" if bare else ""
        return f"| {what} | {wall * 1000:,.0f} ms | {cpu * 1000:,.0f} ms | {ratio} | {verdict} |"

    table = "\n".join([
        "| operation | wall (median) | CPU (median) | CPU ÷ bare write | target (on CPU) |",
        "|---|---|---|---|---|",
        row(f"`due --within 60` in-process ({len(items)} entries listed)", due_s, 1.0),
        row("`kyotei registry due --within 60` whole process", cli_s, 1.0),
        row(f"`export --csv` (agreements + {csv_report.results:,} results, two files)", csv_s, 1.0, bare_csv_s),
        row("bare write of the same rows with the `csv` module", bare_csv_s),
        row("`export --xlsx` (rustpy-xlsxwriter, constant memory, two sheets)", xlsx_s, 3.0, bare_xlsx_s),
        row("bare write of the same rows with rustpy-xlsxwriter (records, no options)", bare_xlsx_s),
        *(row(f"for comparison: bare write with {name}", figures) for name, figures in compared),
        row("`review --fy 2025`", review_s),
        row("`summary`", summary_s),
    ])
    body = (f"{args.agreements:,} agreements signed in FY2016 and renewed to 2026, {n_results:,} results "
            f"(one per signed agreement and fiscal year 2016–2025); registry file {size_mb:.1f} MB, built in "
            f"{build_s:.1f} s. Median of {args.runs} runs (xlsx: {max(1, args.runs // 2)}), each opening the "
            f"registry afresh. Load average before the run: {load_before:.1f} on "
            f"{os.cpu_count()} cores: when other work shares the machine, wall time grows and CPU time "
            f"(this process and its children) is the fair figure. Machine speed: ten million additions in "
            f"a Python loop took {reference_s:.2f} s of CPU (about 0.4–0.5 s on a current desktop CPU), "
            f"measured just before.\n\n{table}\n")
    missed = [name for name, figures, target in (("`due`", due_s, 1.0), ("the whole `due` process", cli_s, 1.0),
                                                 ("`export --csv`", csv_s, 1.0), ("`export --xlsx`", xlsx_s, 3.0))
              if figures[1] > target]
    body += ("\nAll four timed operations meet their targets on CPU.\n" if not missed else
             f"\nTarget **not met** on this machine for: {', '.join(missed)}.\n")
    cells = args.agreements * 24 + n_results * 11
    extra = xlsx_s[1] - bare_xlsx_s[1]
    body += XLSX_NOTE.format(cells=cells, us=xlsx_s[1] / cells * 1e6, bare_us=bare_xlsx_s[1] / cells * 1e6,
                             extra=extra)
    if compared:
        body += COMPARE_NOTE.format(extra=extra)
    if csv_s[1] > 1.0:
        ratio = reference_s / 0.45
        body += CSV_NOTE.format(ratio=ratio, scaled=csv_s[1] / ratio)
    print(f"Machine: {machine()}\n")
    print(body)
    if args.write:
        write_section("Registry (issue 6)", body)


CSV_NOTE = """
In a profile the CSV export spends its time in three places of similar size: SQLite handing
about 100,000 rows to Python, building each row (dates to 令和, labels), and the C `csv` writer
quoting about a million fields. Nothing is converted twice and the formula guard runs inside SQLite. This
machine ran the reference loop {ratio:.1f}× slower than a typical desktop (shared with other
work during the run); scaled by that ratio the export would take about {scaled:.1f} s there, which
is an estimate, not a measurement.
"""

XLSX_NOTE = """
The .xlsx export is written with rustpy-xlsxwriter's documented `write_worksheets` (rust_xlsxwriter
underneath, each sheet in constant-memory mode: rows go to a temporary file as they come; inline
strings, no shared-string table): {us:.2f} µs of CPU per cell ({cells:,} cells), against
{bare_us:.2f} µs for the library writing the same values as records with no options. The export's
extra is reading the registry and building each row (dates to 令和, labels), dates as real date cells,
and the check for control characters (one search per row), about {extra:.1f} s in all; every `str` is
a text cell, never a formula, number or link. The ratio is larger than XlsxWriter's was (1.07×) because
the writer itself is now fast: before, XlsxWriter's own per-cell work (5.6 µs a cell) was the time.
"""

COMPARE_NOTE = """
The "for comparison" rows are the writers evaluated and not chosen, each writing the same rows with no
formats (XlsxWriter: `write_row`, formula/number/URL guessing off, `constant_memory` or `in_memory`;
pyexcelerate: `new_sheet(data=rows)`): none gets under the 3 s target even bare, before the export's
own {extra:.1f} s. Only rustpy-xlsxwriter (Rust, rust_xlsxwriter) does. pyexcelerate would also take
any text starting with 「=」 for a formula (its type detection, with no text-only switch). The two are
not project dependencies: install them to run `bench_registry.py --compare`.
"""


if __name__ == "__main__":
    main()
