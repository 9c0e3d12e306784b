"""Issue 16's sweep of unseen layouts: Form 1 as strangers send it, each value right, flagged or silent.

Builds every file of ``tests/unseenbuild.py`` (raw SpreadsheetML, WordprocessingML, reportlab pages and
raw PDF objects; two .xls through LibreOffice) into a temporary folder, reads each one as
``kyotei check`` does (:func:`kyotei_docs.pipeline.check_file` under the shipped configuration, in
this process) and compares its 14 values with the truth:

* **right** — the value as the applicant wrote it, and no applicant error on it;
* **flagged** — wrong or missing, with a review item on it (or on the whole file), or the file refused;
* **silent** — wrong with no review item, or right but reported as the applicant's error.

Prints the table per file, per class and in total.  ``-k TEXT`` keeps the cases whose name holds
TEXT; ``--keep DIR`` leaves the files there to look at.  Correctness only: no timing, so the load
average changes nothing (run it under ``nice``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from kyotei_docs.config import load_config  # noqa: E402
from kyotei_docs.errors import KyoteiError  # noqa: E402
from kyotei_docs.pipeline import CheckResult, check_file  # noqa: E402
from unseenbuild import CASES, TRUTH, VALUES, Case  # noqa: E402

#: a review item on one of these covers the others (the axis choice and its field are read together)
_COVERS = {"axis.present": {"axis.field"}, "axis.field": {"axis.present"}}


def _read(result: CheckResult, key: str) -> object:
    prop = result.proposal
    if key == "submitted_on":
        return prop.submitted_on.isoformat() if prop.submitted_on else None
    if key == "fields":
        return sorted(prop.fields)
    return prop.value(key)


def score(result: CheckResult, truth: dict[str, object] = TRUTH) -> dict[str, tuple[str, str]]:
    """Each value's verdict (right / flagged / silent) and, when not right, what was read."""
    reviewed = {f.field for f in result.review}
    reviewed |= {c for f in list(reviewed) for c in _COVERS.get(f, ())}
    whole = "file" in reviewed or any(f.code in ("review_ocr", "review_cut_off", "review_several_forms")
                                      for f in result.review)
    errors = {f.field for f in result.errors}
    out = {}
    for key in VALUES:
        want = sorted(truth[key]) if isinstance(truth[key], list) else truth[key]  # type: ignore[call-overload]
        got = _read(result, key)
        if got == want and key not in errors:
            out[key] = ("right", "")
        elif (key in reviewed or whole) and key not in errors:
            out[key] = ("flagged", repr(got))
        else:
            out[key] = ("silent", repr(got) + (" (applicant error)" if key in errors else ""))
    return out


def run(cases: list[Case], folder: Path, verbose: bool) -> Counter:
    cfg = load_config(ROOT / "kyotei_docs" / "defaults" / "kyotei.toml")
    totals: Counter = Counter()
    by_class: dict[str, Counter] = {}
    print(f"{'file':<58} right flagged silent")
    for n, case in enumerate(cases):
        where = folder / f"{n:02d}"
        where.mkdir(parents=True, exist_ok=True)
        try:
            path = case.build(where)
        except Exception as exc:  # a fixture that cannot be built (LibreOffice missing) is said, not counted
            print(f"{case.name:<58} not built: {exc}")
            continue
        try:
            verdicts = score(check_file(path, cfg), case.truth)
        except KyoteiError as exc:
            verdicts = {key: ("flagged", f"refused: {exc}") for key in VALUES}
        counts = Counter(v for v, _ in verdicts.values())
        totals.update(counts)
        by_class.setdefault(case.klass, Counter()).update(counts | {"files": 1})
        print(f"{case.name:<58} {counts['right']:>5} {counts['flagged']:>7} {counts['silent']:>6}")
        for key, (verdict, got) in verdicts.items():
            if verdict != "right" and (verbose or verdict == "silent"):
                print(f"    {verdict:<7} {key} = {got}")
    print()
    print("| class (files) | right | flagged | silent |\n|---|---|---|---|")
    for klass, c in by_class.items():
        print(f"| {klass} ({c['files']}) | {c['right']} | {c['flagged']} | {c['silent']} |")
    files = sum(c["files"] for c in by_class.values())
    print(f"| **all ({files} files × {len(VALUES)} values)** | {totals['right']} | {totals['flagged']} | "
          f"**{totals['silent']}** |")
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", default="", help="only the cases whose name holds this text")
    ap.add_argument("-v", "--verbose", action="store_true", help="show flagged values too, not only silent ones")
    ap.add_argument("--keep", type=Path, help="build the files in this folder and leave them there")
    ap.add_argument("--no-office", action="store_true", help="skip the cases that need LibreOffice")
    args = ap.parse_args(argv)
    cases = [c for c in CASES if args.k in c.name and not (args.no_office and c.needs_office)]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="unseen-"))
    try:
        totals = run(cases, folder, args.verbose)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if totals["silent"] else 0


if __name__ == "__main__":
    sys.exit(main())
