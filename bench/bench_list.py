"""Issue 17 figures: the list as a ledger with 1,000 cases — server time and page size.

A real SQLite registry holding 1,000 proposals, recorded the way the drop folder
records them (one sample .docx read and checked once, then recorded under 1,000
organisations' names, each with its own case folder and check.json, a tenth of them
with review items so the 判定 column has all three verdicts), the columns of the
person who asks at their default (every column).  Each view is requested through the
application (Flask's test client: server time without the network or the browser),
median of 30 requests after one warm-up.  Targets: ≤ 100 ms and ≤ 100 KB a page.

Prints a table; ``--write`` also records it in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import write_section  # noqa: E402

SAMPLE = ROOT / "samples" / "01_content_controls.docx"
CASES = 1000
VIEWS = (
    ("一覧 (newest first, page 1)", "/"),
    ("sorted by 企業等名称, page 11", "/?sort=organisation&order=asc&page=11"),
    ("判定 = 要確認, sorted by 受付日", "/?verdict=review&sort=received&order=desc"),
    ("search 「べんち」 (katakana stored), page 3", "/?q=%E3%81%B9%E3%82%93%E3%81%A1&page=3"),
    ("export as shown: CSV, every filtered row", "/export/list.csv?sort=organisation&order=asc"),
    ("export as shown: .xlsx, every row", "/export/list.xlsx"),
)


def fill(folder: Path, cfg, n: int) -> None:
    import hashlib
    from dataclasses import replace

    from kyotei_docs.pipeline import check_file
    from kyotei_docs.registry import record_submission
    from kyotei_docs.rules import Finding

    base = check_file(SAMPLE, cfg)
    for i in range(n):
        proposal = replace(base.proposal, organization=replace(base.proposal.organization,
                                                               name=f"株式会社ベンチ{i:04d}"))
        case = folder / "cases" / f"{i:04d}"
        case.mkdir(parents=True)
        review = [Finding("doubt", "purpose", "原本と照合してください", "review")] if i % 10 == 0 else []
        (case / "check.json").write_text(json.dumps({"review": [f.to_json() for f in review]}), encoding="utf-8")
        record_submission(cfg, replace(base, proposal=proposal, review=review), submission_id=f"bench-{i}",
                          sha256=hashlib.sha256(str(i).encode()).hexdigest(), folder=case)


def measure(folder: Path, runs: int) -> list[tuple[str, float, int]]:
    from kyotei_docs.config import load_config
    from kyotei_docs.web.app import create_app
    from kyotei_docs.web.settings import WebSettings

    conf = folder / "kyotei.toml"
    conf.write_text(f"[registry]\npath = {json.dumps(str(folder / 'registry.sqlite3'))}\n", encoding="utf-8")
    cfg = load_config(conf)
    fill(folder, cfg, CASES)
    client = create_app(cfg, WebSettings.from_config(cfg)).test_client()
    out = []
    for label, url in VIEWS:
        client.get(url)  # templates compiled, modules imported, check.json counts cached
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            r = client.get(url)
            times.append(time.perf_counter() - t0)
            assert r.status_code == 200, (url, r.status_code)
        out.append((label, statistics.median(times) * 1000, len(r.data)))
    # the first request after a case changed: every case read and decided again
    from kyotei_docs.cases import open_registry, set_details

    times = []
    for i in range(max(5, runs // 3)):
        with open_registry(cfg) as reg:
            set_details(cfg, reg, 1 + i, {"notes": f"bench {i}"})
        t0 = time.perf_counter()
        r = client.get("/")
        times.append(time.perf_counter() - t0)
    out.insert(1, ("一覧, first request after a case changed (every case read again)",
                   statistics.median(times) * 1000, len(r.data)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            rows = measure(Path(tmp), args.runs)
        finally:
            os.chdir(cwd)
    load1 = os.getloadavg()[0]
    lines = []
    for label, ms, size in rows:
        page = not label.startswith("export")
        ok = ("✔" if ms <= 100 and size <= 100 * 1024 else "✘ **not met**") if page else "no target"
        lines.append(f"| {label} | {ms:.0f} ms | {size / 1024:.1f} KB | {'≤ 100 ms, ≤ 100 KB' if page else ''} {ok} |")
    body = f"""
Load average at the start and the end: {load0:.1f} / {load1:.1f} on {os.cpu_count()} cores (the machine is
shared with other work: compare with the load).

| view of {CASES:,} cases | server time (median of {args.runs}) | response | target |
|---|---|---|---|
""" + "\n".join(lines) + """

The rows come from the cases service's list (one read transaction: each case with its files and
corrections, its verdict derived), and the side panel's reminders from `cases/remind.collect`
(which reads every case again for its steps). Both are kept between requests and built again
only when the registry changed (`web/ledger.cached`: a fingerprint of a few index look-ups — the
last event, file, correction, confirmation, result and update, the number of cases, the day):
the second row is that first request after a change. Each view then filters,
sorts and cuts one page of 50; the page also carries the side panels (counts, coming
deadlines, what needs attention). Before the ledger the list sent all 1,000 rows:
338 KB and about 150 ms (issue 11's figure). The exports hold every row the filters keep, in the
order and with the columns shown.
"""
    print(body)
    if args.write:
        write_section("The list as a ledger (issue 17)", body)


if __name__ == "__main__":
    main()
