"""Issue 16 figures: how many values OCR reads right on scanned and photographed Form 1, by engine.

Fixtures are made here, never taken from staff: the filled Form 1 PDFs of
samples 12, 14 and 15 (LibreOffice's output) rendered at 300 dpi by pdfium,
then spoiled as paper is (tests/scanbuild.py): a **scan** (red 角印 and 丸印
over the name, turned 1.2°, noise, JPEG 70) and a **photo** (the sealed page
on a desk at an angle, uneven light, blur, JPEG 80, EXIF orientation).  Each is
read through the product's OCR path (image reader → the configuration's word
corrections → extract, in process) with each engine setting.  A second set
(``--set new``) is made the same way from other Form 1 layouts (samples 01,
09, 18 and 42) with other spoiling, to show how far the figures carry to
layouts never seen (its misreadings were seen while the general corrections
were chosen: none is keyed to its strings); a
third (``--set pdf``) holds sample 12 as PDFs whose text cannot be used
(glyph ids only; text turned to outlines, traced the old way and faithfully).
A value is right when it equals the sample's expected
value after NFKC and without whitespace (「，」 and 「,」 count as one).  15
values a form: date, address, name, representative, type, fields, その他,
axis yes/no, axis field, purpose, effects, and the four contact entries.
"Flagged" counts forms whose every value is a review item (source ``pdf:ocr``
and the ``review_ocr`` doubt).

Engines: the product (page prepared, cells and lines cut out, each line read
by Tesseract ``jpn --psm 7``); the same with ``jpn_vert``; the step before
issue 16 (Tesseract on the whole page, ``--psm 6``) and ``--psm 4``, both on
the page prepared the new way (the old code as a whole is in the notes); RapidOCR (PaddleOCR models inside the PyPI package) when
``rapidocr_onnxruntime`` is installed (text only: its lines are printed).

Prints a table; ``--write`` records it in bench/RESULTS.md under "OCR (issue 16)".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bench.common import write_section  # noqa: E402

SAMPLES = ("12_pdf_typed_glyphs", "14_pdf_retyped_no_table", "15_pdf_heisei_individual")
#: the second set (issue 16, later): other Form 1 layouts — a content-control form with wide cells (01),
#: rows in another order (09), numbered headings without a table (18, LibreOffice's PDF of the .docx),
#: a web form printed to PDF with rounded boxes and radio buttons (42) — spoiled differently
#: (other seeds, turned the other way, JPEG 60, a photo in a dimmer room); the recognition was not
#: tuned on them
NEW_SAMPLES = ("01_content_controls", "09_wingdings2_reordered_rows", "18_numbered_headings",
               "42_web_form_printed_pdf")
FIELDS = ("submitted_on", "address", "name", "representative", "agreement_type", "fields", "other", "axis_present",
          "axis_field", "purpose", "effects", "dept", "cname", "phone", "email")


def flat(d: dict) -> dict[str, Any]:
    o, c, a = d["organization"], d["contact"], d["axis"]
    return {"submitted_on": d["submitted_on"], "address": o["address"], "name": o["name"],
            "representative": o["representative"], "agreement_type": d["agreement_type"],
            "fields": "/".join(d["fields"] or []), "other": d["other_field_text"], "axis_present": a["present"],
            "axis_field": a["field"], "purpose": d["purpose"], "effects": d["expected_effects"],
            "dept": c["department"], "cname": c["name"], "phone": c["phone"], "email": c["email"]}


def norm(v: Any) -> str | None:
    return None if v is None else "".join(unicodedata.normalize("NFKC", str(v)).split())


def fixtures(folder: Path, which: str = "old") -> Iterator[tuple[str, str, Path]]:
    """The fixture images of one set (made once into ``folder``; an image already there is reused)."""
    from scanbuild import (
        glyph_only_pdf,
        jpeg,
        noise,
        outlined_pdf,
        phone_photo,
        render,
        rotate,
        scanned,
        stamp_seals,
        with_exif_rotation,
    )

    if which == "pdf":  # PDFs without usable text: OCR on a perfect raster, no paper in between
        pdf = ROOT / "samples" / f"{SAMPLES[0]}.pdf"
        made = {"glyphs": lambda out: glyph_only_pdf(pdf, out),
                "outlines_300": lambda out: outlined_pdf(pdf, out, 300, faithful=False),
                "outlines": lambda out: outlined_pdf(pdf, out)}
        for kind, make in made.items():
            out = folder / f"{SAMPLES[0]}_{kind}.pdf"
            if not out.exists():
                make(out)
            yield SAMPLES[0], kind, out
        return

    if which == "old":
        for name in SAMPLES:
            pdf = ROOT / "samples" / f"{name}.pdf"
            scan = folder / f"{name}_scan.jpg"
            if not scan.exists():
                scanned(pdf).save(scan, quality=92)
            yield name, "scan", scan
            photo = folder / f"{name}_photo.jpg"
            if not photo.exists():
                with_exif_rotation(phone_photo(stamp_seals(render(pdf))), photo, 6, 85)
            yield name, "photo", photo
        return
    for k, name in enumerate(NEW_SAMPLES):
        pdf = _as_pdf(name, folder)
        scan = folder / f"{name}_scan.jpg"
        if not scan.exists():
            page = stamp_seals(render(pdf)) if k % 2 else render(pdf)
            jpeg(noise(rotate(page, -0.8 + 0.5 * k), sigma=9.0 + 3 * k, seed=10 + k), quality=60).save(scan, quality=92)
        yield name, "scan", scan
        if k % 2 == 0:
            photo = folder / f"{name}_photo.jpg"
            if not photo.exists():
                with_exif_rotation(phone_photo(stamp_seals(render(pdf)), seed=11 + k), photo, 8, 80)
            yield name, "photo", photo


def _as_pdf(name: str, folder: Path) -> Path:
    """The sample as a PDF: a .docx through LibreOffice (as the applicant's printer would have it).

    Its symbol-font boxes are made Unicode first (``scanbuild.symbols_as_unicode``): LibreOffice
    without Wingdings prints sample 09's empty boxes crossed, a page that is not what the applicant
    sent (the bench measured that page's misreadings as the reader's until 2026-12-07).
    """
    from scanbuild import symbols_as_unicode

    pdf = ROOT / "samples" / f"{name}.pdf"
    if pdf.exists():
        return pdf
    out = folder / f"{name}.pdf"
    if not out.exists():
        from kyotei_docs.office import convert

        convert([symbols_as_unicode(ROOT / "samples" / f"{name}.docx", folder / f"{name}.docx")], "pdf", folder)
    return out


@contextmanager
def engine(name: str) -> Iterator[None]:
    """The product's OCR with one thing changed for the comparison."""
    from kyotei_docs.readers import ocr

    saved = ocr.LANG, ocr.recognise
    if name == "jpn_vert":
        ocr.LANG = "jpn_vert"
    elif name.startswith("page"):
        psm = name.split("psm")[1]

        def whole_page(page: Any, cells: Any, dpi: int = 300, seconds: float = 300.0, binary: Any = None) -> list:
            with tempfile.TemporaryDirectory() as tmp:
                img = Path(tmp) / "page.png"
                page.save(img, dpi=(dpi, dpi))
                out = ocr._tesseract([str(img), "stdout", "-l", "jpn", "--psm", psm, "--dpi", str(dpi), "tsv"],
                                     seconds)
            return ocr._characters(out, 1)

        ocr.recognise = whole_page
    try:
        yield
    finally:
        ocr.LANG, ocr.recognise = saved


def read(path: Path) -> tuple[dict, bool, float]:
    from kyotei_docs.config import config_from
    from kyotei_docs.errors import UnreadableError
    from kyotei_docs.extract import extract
    from kyotei_docs.readers.image import read_image_unlimited
    from kyotei_docs.readers.ocrwords import snap_words
    from kyotei_docs.readers.pdf import read_pdf_unlimited

    t0 = _cpu()
    try:
        doc = read_pdf_unlimited(str(path), "force") if path.suffix == ".pdf" else read_image_unlimited(str(path))
        snap_words(doc, config_from({}).ocr_words())  # as read_form does with the shipped configuration
        p = extract(doc)
    except UnreadableError:  # nothing of Form 1 recognised: every value wrong
        return dict.fromkeys(FIELDS, "(unreadable)"), False, _cpu() - t0
    seconds = _cpu() - t0
    d = p.to_json()
    flagged = set(p.sources.values()) == {"pdf:ocr"} and any(x.code == "review_ocr" for x in p.doubts)
    return flat(d), flagged, seconds


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract): the machine is shared, wall time lies."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rapidocr_lines(path: Path) -> list[str] | None:
    try:
        from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-not-found]
    except ImportError:
        return None
    result, _ = RapidOCR()(str(path))
    return [text for _, text, _ in (result or [])]


ENGINES = ("kyotei", "jpn_vert", "page_psm6", "page_psm4")
LABELS = {"kyotei": "product: prepared page, cells → lines, `jpn --psm 7`",
          "jpn_vert": "the same with `jpn_vert`",
          "page_psm6": "whole prepared page, `jpn --psm 6` (the old recognition step on the new preparation)",
          "page_psm4": "whole prepared page, `jpn --psm 4`"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="record the table in bench/RESULTS.md")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--set", default="all", choices=("old", "new", "pdf", "all"),
                    help="fixture set: old (samples 12, 14, 15), new (01, 09, 18, 42: other layouts), pdf (sample "
                         "12 without usable text: glyph ids only, outlines traced at 300 dpi the old way, outlines "
                         "traced faithfully) or all")
    ap.add_argument("--keep", type=Path, help="make the fixture images once into this folder and reuse them")
    args = ap.parse_args()
    engines = args.engines.split(",")
    sets = ("old", "new", "pdf") if args.set == "all" else (args.set,)
    rows: list[str] = []
    verdicts: list[str] = []
    misses: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        made = {which: list(fixtures(folder, which)) for which in sets}
        for which in sets:
            for eng in engines:
                right = total = flagged = 0
                seconds: list[float] = []
                by_kind: dict[str, list[int]] = {}
                with engine(eng):
                    for name, kind, path in made[which]:
                        truth = flat(json.loads((ROOT / "samples" / "expected" / f"{name}.json").read_text("utf-8")))
                        got, ok_flag, sec = read(path)
                        good = [k for k in FIELDS if norm(truth[k]) == norm(got[k])]
                        right += len(good)
                        total += len(FIELDS)
                        flagged += ok_flag
                        seconds.append(sec)
                        by_kind.setdefault(kind, [0, 0])
                        by_kind[kind][0] += len(good)
                        by_kind[kind][1] += len(FIELDS)
                        misses.setdefault(f"{which} {eng}", []).extend(
                            f"{name} {kind} {k}: {truth[k]!r} → {got[k]!r}" for k in FIELDS if k not in good)
                        print(f"{which} {eng:10} {name:28} {kind:6} {len(good):2}/{len(FIELDS)} {sec:5.1f} s CPU",
                              flush=True)
                kinds = " · ".join(f"{k} {r}/{t}" for k, (r, t) in by_kind.items())
                if eng == "kyotei" and "scan" in by_kind:
                    r, t = by_kind["scan"]
                    verdicts.append(
                        f"Target on the {which} set's scans (≥ 90 % right, every value flagged): "
                        f"**{'met' if r >= 0.9 * t and flagged == len(made[which]) else 'not met'}** — {r}/{t} = "
                        f"{100 * r / t:.0f} %, {flagged}/{len(made[which])} forms all flagged.")
                rows.append(f"| {which} | {LABELS[eng]} | {right}/{total} = **{100 * right / total:.0f} %** | {kinds} | "
                            f"{flagged}/{len(made[which])} | {sorted(seconds)[len(seconds) // 2]:.1f} s |")
        first = made[sets[0]][0][2]
        rapid = rapidocr_lines(first)
    load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    table = ("| set | engine | values right | by kind | all flagged | median CPU a page |\n|---|---|---|---|---|---|\n"
             + "\n".join(rows) + "\n\n" + "\n".join(f"{v}  " for v in verdicts).rstrip()
             + f"\n\nLoad average at the end of the run: {load}.")
    print(table)
    if rapid is not None:
        print("RapidOCR lines:", rapid[:30])
    wrong = "\n\n".join(f"{key}:\n\n" + "\n".join(f"- {m}" for m in ms)
                         for key, ms in misses.items() if key.endswith("kyotei"))
    print(wrong)
    if args.write:
        write_section("OCR (issue 16)", f"{table}\n\nWhat the product still reads wrong:\n\n{wrong}\n\n{NOTES}")


NOTES = """\
Target: ≥ 90 % of values right on a scanned 300 dpi Form 1 before a person corrects them, every
value flagged. Time is the wall clock of one page on this shared machine (load 10–16 from other
work on 2 cores while measured): CPU is about a quarter of it.

Before issue 16 (commit 73821cd, `kyotei check --ocr` on the three scans saved as image-only PDFs;
measured by hand on the same fixtures, 2026-12-07): **13/45 = 29 %** of values right (no seal
removal, no deskew: the 1.2° turn broke the lines and the ticks); the photos were refused as an
unknown format (0/45).

RapidOCR (`rapidocr-onnxruntime` 1.4.4, the only PyPI package found whose OCR models ship inside
it: PP-OCRv4 Chinese detection and recognition) was run on the same scan by hand in a separate
virtual environment: it drops most kana and writes simplified forms — 「大模害生時，避難所必要資機材供」
for 「大規模災害の発生時に，避難所で必要となる資機材の供給について」, 「個别连携協定」, 「害对策」,
「主轴分野」 — and took 48 s for the page. It cannot read Japanese forms; it is not a dependency.
Tesseract `jpn_vert` is trained for vertical text; Form 1 is horizontal.
"""


if __name__ == "__main__":
    main()
