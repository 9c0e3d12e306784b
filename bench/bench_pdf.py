"""Issue 3 figures: reading Form 1 from PDF against the libraries underneath.

Prints a table; ``--write`` also records it in bench/RESULTS.md under
"Reading PDF (issue 3)".

* Text-layer PDFs (the LibreOffice exports in ``samples/``): our whole
  ``check_file`` — sniff, parse in the limited child process, layout, extract,
  check, route — against pdfplumber's own ``extract_words()`` over the same
  pages (open + every page).  Target ≤ 1.3×.  The same work in-process
  (``read_pdf_unlimited`` + extract + check, no child) is shown beside it, so
  the cost of the sandbox is visible on its own.
* Fillable PDF (``16_fillable_pdf.pdf``): ``check_file`` against pypdf
  ``PdfReader(f).get_fields()``.  Our reader also lays out the printed page
  (labels for generic field names, text typed outside the fields), so the
  ratio to ``get_fields()`` + ``extract_words()`` is shown too.
* Once each: a cold child process (first file of a run), and a scanned page
  read with ``--ocr`` when Tesseract is installed.

Runs are interleaved (ours, then the baseline, in turn) and medians taken, so
load from other processes on the machine hits both sides alike.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench.common import machine, write_section  # noqa: E402

SAMPLES = ROOT / "samples"
TEXT_PDFS = ("12_pdf_typed_glyphs.pdf", "13_pdf_tracked_changes.pdf", "14_pdf_retyped_no_table.pdf",
             "15_pdf_heisei_individual.pdf")
FILLABLE = "16_fillable_pdf.pdf"


def interleaved(fns: list, runs: int) -> list[float]:
    """Median seconds of each function, called in turn ``runs`` times after a warm-up."""
    for fn in fns:
        fn()
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for k, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--write", action="store_true", help="record the table in bench/RESULTS.md")
    args = ap.parse_args()

    import pdfplumber
    from pypdf import PdfReader

    from kyotei_docs.config import load_config
    from kyotei_docs.extract import extract
    from kyotei_docs.pipeline import check_file, check_proposal
    from kyotei_docs.readers.pdf import read_pdf_unlimited
    from kyotei_docs.sandbox import shutdown

    cfg = load_config()

    def words(path: Path) -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()

    def in_process(path: Path) -> None:
        check_proposal(extract(read_pdf_unlimited(str(path))), cfg)

    lines = ["| file | pages | kyotei parse+check (child process) | same in-process | pdfplumber `extract_words()` "
             "| ratio (target ≤ 1.3) | in-process ratio |", "|---|---|---|---|---|---|---|"]
    ratios = []
    for name in TEXT_PDFS:
        path = SAMPLES / name
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        ours, inproc, base = interleaved([lambda path=path: check_file(path, cfg), lambda path=path: in_process(path),
                                          lambda path=path: words(path)], args.runs)
        ratios.append(ours / base)
        mark = "✔" if ours / base <= 1.3 else "✘"
        lines.append(f"| {name} | {pages} | {ours * 1000:.1f} ms | {inproc * 1000:.1f} ms | {base * 1000:.1f} ms "
                     f"| {ours / base:.2f}× {mark} | {inproc / base:.2f}× |")

    path = SAMPLES / FILLABLE
    ours, fields, both = interleaved([lambda: check_file(path, cfg), lambda: PdfReader(path).get_fields(),
                                      lambda: (PdfReader(path).get_fields(), words(path))], args.runs)
    lines += ["", "| fillable PDF | kyotei parse+check | pypdf `get_fields()` | ratio | "
              "`get_fields()` + `extract_words()` | ratio |", "|---|---|---|---|---|---|",
              f"| {FILLABLE} | {ours * 1000:.1f} ms | {fields * 1000:.1f} ms | {ours / fields:.1f}× | "
              f"{both * 1000:.1f} ms | {both and ours / both:.2f}× |"]

    shutdown()  # the next call forks a fresh child, as the first file of a run does
    t0 = time.perf_counter()
    check_file(SAMPLES / TEXT_PDFS[0], cfg)
    cold = time.perf_counter() - t0
    warm = interleaved([lambda: check_file(SAMPLES / TEXT_PDFS[0], cfg)], 5)[0]
    lines += ["", f"First file of a run (child process started): {cold * 1000:.0f} ms; "
              f"the same file with the child running: {warm * 1000:.0f} ms."]

    ocr_line = ocr_figure(cfg)
    if ocr_line:
        lines.append(ocr_line)
    table = "\n".join(lines)
    print(machine())
    print(table)
    if args.write:
        note = NOTE.format(worst=max(ratios))
        write_section("Reading PDF (issue 3)", f"Medians of {args.runs} interleaved runs.\n\n{table}\n{note}")


def ocr_figure(cfg) -> str | None:
    """One scanned page (200 dpi grey image of a LibreOffice export) read with --ocr."""
    from kyotei_docs.pipeline import check_file
    from kyotei_docs.readers.ocr import tesseract_available
    from kyotei_docs.readers.options import reading

    if not tesseract_available():
        return "Scanned page with `--ocr`: not measured (Tesseract with jpn not installed)."
    from pdfbuild import scan_of

    with tempfile.TemporaryDirectory() as tmp:
        scan = scan_of(SAMPLES / TEXT_PDFS[0], Path(tmp) / "scan.pdf", dpi=200)
        with reading(ocr=True):
            t0 = time.perf_counter()
            check_file(scan, cfg)
            seconds = time.perf_counter() - t0
    return (f"A scanned page read with `--ocr` (render at 300 dpi, boxes and rules from the image, "
            f"Tesseract jpn on one thread): {seconds:.1f} s.")


NOTE = """
pdfplumber's `extract_words()` is the floor: our reader parses the same characters through the
same pdfminer layout, then adds the drawn edges (tables, checkbox squares), struck-out text, the
cell grid and the extraction, check and routing. The child process costs about a millisecond per
file once it runs (the parsed form comes back pickled, a few kB); starting it is the fork of a
process that has pdfplumber loaded already, within the noise of these figures. The machine is shared, so single figures move by
±20 % from run to run; the worst ratio in this run was {worst:.2f}×. On 2026-11-27 the worst ratio of
five runs ranged from 1.24× to 1.73× (in-process 1.2–1.5×): the ≤ 1.3× target is **not reliably met**;
the margin over `extract_words()` is small because both spend most of their time in pdfminer.
Re-measured on 2026-11-30 after issue 9.3–9.6 (one symbol table looked up per character, curves
scanned for drawn checkboxes and radio buttons, the layout model in `readers/layout.py`, value
columns and page breaks in the layout): on a heavily loaded machine (every baseline about twice its
2026-11-27 figure) the ratios stayed in the earlier range (1.25–1.59× in the run before this one).

A fillable PDF is read from its fields *and* its printed page (the labels beside generic field
names such as 「テキスト1」, and whatever was typed outside the fields), so `get_fields()` alone,
which reads neither, is not a like-for-like floor: against it the ratio is large by design (the
issue sets no number for it). Against `get_fields()` + `extract_words()` it is close to the
text-layer ratio; the rest is pypdf walking every widget's field chain for names, tooltips and
on-values, which `get_fields()` also does once more on its own. Since 2026-11-30 the blank form
embeds its field font (2.5 MB, in the form's resources only): no page content uses it, so
neither pdfplumber nor pypdf parses it when reading a filled form.
"""


if __name__ == "__main__":
    main()
