"""Issue 11 figures: the screen's list page with 1,000 cases, and upload → report of one .docx.

* **一覧 with 1,000 cases** — a registry holding 1,000 proposals (recorded the
  way the drop folder records them), the list page rendered through the
  application (Flask's test client, so the figure is server time without the
  network): median of 30 requests. Target ≤ 200 ms.
* **upload → report page** — one sample .docx posted to 受付, the redirect to
  the result page followed (the findings are in it) and its report.html (``/intake/report/<id>``,
  the stored report.html) fetched: what a person waits for before reading the
  report.  The drop folder's own pass (sandboxed worker processes, drafts); with
  the shipped ``[inbox] pdf = true`` the drafts' PDFs are made afterwards by the
  server's background job, so they are not in this time: the time until they
  are in the folder (upload → PDFs) is measured too.  Each run waits for the
  previous run's PDFs first, so a run never shares the cores with an earlier
  run's LibreOffice.  Against ``kyotei check`` of the same file as a whole
  process; medians of 5.  Target ≤ 1.5× ``kyotei check``.  Measured both with
  the shipped ``[inbox]`` settings and with ``pdf = false``.

Prints a table; ``--write`` also records it in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import write_section  # noqa: E402

SAMPLE = ROOT / "samples" / "01_content_controls.docx"
CASES = 1000


def _config(folder: Path, pdf: bool) -> Path:
    conf = folder / "kyotei.toml"
    conf.write_text("\n".join([
        "[registry]", f"path = {json.dumps(str(folder / 'registry.sqlite3'))}",
        "[inbox]", f"pdf = {'true' if pdf else 'false'}",
        "[web]", f"drop_folder = {json.dumps(str(folder / 'drop'))}",
        f"journal = {json.dumps(str(folder / 'journal.sqlite3'))}",
    ]) + "\n", encoding="utf-8")
    (folder / "drop").mkdir(exist_ok=True)
    return conf


def _app(conf: Path):
    from kyotei_docs.config import load_config
    from kyotei_docs.web.app import create_app
    from kyotei_docs.web.settings import WebSettings

    cfg = load_config(conf)
    app = create_app(cfg, WebSettings.from_config(cfg))
    return cfg, app


def fill(cfg, n: int) -> None:
    """``n`` proposals from different organisations, recorded as the drop folder records them."""
    import hashlib
    from dataclasses import replace

    from kyotei_docs.pipeline import check_file
    from kyotei_docs.registry import record_submission

    base = check_file(SAMPLE, cfg)
    for i in range(n):
        proposal = replace(base.proposal, organization=replace(base.proposal.organization,
                                                               name=f"株式会社ベンチ{i:04d}"))
        result = replace(base, proposal=proposal)
        record_submission(cfg, result, submission_id=f"bench-{i}",
                          sha256=hashlib.sha256(str(i).encode()).hexdigest(), folder=None)


def list_page(folder: Path, runs: int) -> tuple[float, int]:
    conf = _config(folder, pdf=False)
    cfg, app = _app(conf)
    fill(cfg, CASES)
    client = app.test_client()
    client.get("/")  # templates compiled, modules imported
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = client.get("/")
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200
    rows = r.get_data(as_text=True).count("<tr>")
    return statistics.median(times) * 1000, rows


def upload(folder: Path, pdf: bool, runs: int, *, wait: bool = True) -> tuple[float, float | None]:
    """Median ms of upload → report page, and of upload → PDFs in the folder (None without PDFs).

    ``wait=False``: the next upload follows the report at once, while the previous
    upload's PDFs are still being made (LibreOffice shares the cores with it)."""
    conf = _config(folder, pdf=pdf)
    _, app = _app(conf)
    client = app.test_client()
    jobs = app.extensions["kyotei"].pdf_jobs()
    data = SAMPLE.read_bytes()
    times, pdf_times = [], []
    for i in range(runs):
        # a different file each time (one byte appended after the zip's end), so no run is a duplicate
        body = data + bytes([i])
        html = client.get("/intake").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        t0 = time.perf_counter()
        r = client.post("/intake", data={"csrf_token": token, "files": [(io.BytesIO(body), SAMPLE.name)]},
                        content_type="multipart/form-data", follow_redirects=True)
        page = r.get_data(as_text=True)
        frame = re.search(r'href="(/intake/report/[^"/]+)"', page)  # the findings are in the page; its report.html
        report = client.get(frame.group(1)) if frame else None
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200 and "受付可" in page, page[:500]
        assert report is not None and report.status_code == 200, page[:500]
        if pdf and wait:
            assert jobs.wait_idle(600), "the PDFs were not made within 10 minutes"
            pdf_times.append(time.perf_counter() - t0)
            made = len(list((folder / "drop" / "done").glob("*/*/*/*.pdf")))
            assert made == 2 * (i + 1), f"{made} PDFs after {i + 1} uploads (two each expected)"
    if pdf and not wait:
        assert jobs.wait_idle(600) and len(list((folder / "drop" / "done").glob("*/*/*/*.pdf"))) == 2 * runs
    return statistics.median(times) * 1000, (statistics.median(pdf_times) * 1000 if pdf_times else None)


def check_process(runs: int) -> float:
    kyotei = [sys.executable, "-m", "kyotei_docs", "check", str(SAMPLE)]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(kyotei, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for name in ("list", "pdf", "busy", "nopdf"):
            (base / name).mkdir()
        cwd = os.getcwd()
        os.chdir(base)
        try:
            list_ms, rows = list_page(base / "list", 30)
            check_ms = check_process(args.runs)
            up_pdf, pdfs_ms = upload(base / "pdf", True, args.runs)
            up_busy, _ = upload(base / "busy", True, args.runs, wait=False)
            up_nopdf, _ = upload(base / "nopdf", False, args.runs)
        finally:
            os.chdir(cwd)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    ok = "✔" if list_ms <= 200 else "✘ **not met**"
    r_pdf, r_nopdf, r_busy = up_pdf / check_ms, up_nopdf / check_ms, up_busy / check_ms
    body = f"""
Load average when the run ended: {load:.1f} on {os.cpu_count()} cores (the machine is shared; compare ratios).

| measurement | time (median) | baseline | ratio | target |
|---|---|---|---|---|
| 一覧 with {CASES:,} cases, server time ({rows - 1} rows in the table; 30 requests) | {list_ms:.0f} ms | | | ≤ 200 ms {ok} |
| 受付: upload → report page of `{SAMPLE.name}` (result page + its report.html), shipped `[inbox]` (`pdf = true`: PDFs made after, in the background) | {up_pdf:.0f} ms | `kyotei check` whole process {check_ms:.0f} ms | {r_pdf:.2f}× | ≤ 1.5× {"✔" if r_pdf <= 1.5 else "✘ **not met**"} |
| the same, each upload right after the previous report (its PDFs still being made beside it) | {up_busy:.0f} ms | {check_ms:.0f} ms | {r_busy:.2f}× | ≤ 1.5× {"✔" if r_busy <= 1.5 else "✘ **not met**"} |
| the same with `[inbox] pdf = false` (no PDFs at all) | {up_nopdf:.0f} ms | {check_ms:.0f} ms | {r_nopdf:.2f}× | ≤ 1.5× {"✔" if r_nopdf <= 1.5 else "✘ **not met**"} |
| for information: upload → the two PDFs in the submission's folder (background job done), shipped `[inbox]` | {pdfs_ms or 0:.0f} ms | | | no target |

Measured through Flask's test client (server time, no network or browser rendering): the POST,
the redirect to the result page (the findings in it), and its report.html. The upload goes through
the drop folder's own pass (`inbox/upload.py` → `run_pass`): the folder lock, the sandboxed
worker process (kept warm by the server between uploads; the first upload after start pays its
start-up), reading and checking, Form 2/3 drafts, the move into `done/`, the journal and the
registry. `kyotei check` only reads, checks and prints, but pays Python's start-up and imports
as a whole process.

With the shipped `[inbox] pdf = true` the upload's pass files the drafts as .docx and the
server's background job (`web/pdfjobs.py` → `inbox/later.py`, the drop folder's own PDF step)
makes the PDFs after the report is shown; the last row is how long until they are in the
folder (LibreOffice's start-up twice: Form 2, then Form 3 stating its size). In the first row
each run waited for the previous run's PDFs, so no LibreOffice ran beside it; the second row
uploads again as soon as the report is there, so LibreOffice (the background job of the
uploads before) shares the two cores with the upload, as when several files are received in a
row. `kyotei check` ran alone.
The list renders every one of the 1,000 rows; most of its time is the cases service's list
(every case with its files) and the template.
"""
    print(body)
    if args.write:
        write_section("Screen for staff (issue 11)", body)


if __name__ == "__main__":
    main()
