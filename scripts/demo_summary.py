"""The last lines ``make demo`` prints: the demo's cases by verdict and where to look.

``demo-output/`` is a site (``kyotei init demo-output --no-record``); its own
registry and drop folder are read here, as every ``kyotei --site demo-output`` command does.

Everything the demo did in detail (pip, every file's report, the drop folder's pass)
went to ``demo-output/demo.log``; a new user reads these few lines instead.  The
verdict of a case is the cases service's (``cases/verdict.py``, as ``kyotei registry
list`` shows it): 要修正 for errors, else 要確認 for open review items, else 受付可.

Run from the repository root: ``python scripts/demo_summary.py demo-output``.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

VERDICTS = ("受付可", "要確認", "要修正")


def summary(demo: Path) -> list[str]:
    """The summary's lines for the demo folder ``demo`` (its registry, config and drop folder)."""
    from kyotei_docs.cases.service import list_cases, open_registry
    from kyotei_docs.cases.verdict import verdict_label
    from kyotei_docs.config import load_config
    from kyotei_docs.site import load

    cfg = load_config(site=load(demo, "option"))  # the demo folder is a site (kyotei init demo-output)
    with open_registry(cfg) as reg:
        cases = list_cases(cfg, reg)
    folders = {c.agreement.id: Path(f.folder) for c in cases for f in c.files if f.current and f.folder}
    verdicts = {c.agreement.id: verdict_label(c.verdict_code) for c in cases}
    counts = Counter(verdicts.values())
    by_verdict = "、".join(f"{v} {counts[v]}件" for v in VERDICTS)
    lines = [f"デモの結果: 案件 {len(cases)}件（{by_verdict}）",
             f"  (demo result: {len(cases)} cases — " + ", ".join(
                 f"{n} {counts[v]}" for v, n in zip(VERDICTS, ("acceptable", "to review", "to correct"),
                                                   strict=True)) + ")"]
    accepted = sorted(folders[i] for i, v in verdicts.items() if v == "受付可")
    report = next((f / "report.html" for f in accepted if (f / "report.html").exists()), None)
    form2 = next((p for f in accepted for p in sorted(f.glob("*協定書.pdf"))), None)
    lines.append("見るところ (where to look):")
    if report:
        lines.append(f"  報告書（回付先・確認結果） report:        {os.path.relpath(report)}")
    if form2:
        lines.append(f"  協定書（様式２）の下書き PDF  Form 2:     {os.path.relpath(form2)}")
    else:
        lines.append("  協定書（様式２）の PDF はありません（LibreOffice がないため）。.docx は各フォルダにあります。")
    site = f"--site {os.path.relpath(demo)}"
    lines.append(f"  すべての案件: .venv/bin/kyotei {site} registry list")
    lines.append(f"  画面で見る（screen）: .venv/bin/kyotei {site} serve  → http://127.0.0.1:8080/")
    lines.append(f"  サイトの中身（what the site holds）: .venv/bin/kyotei {site} site")
    lines.append(f"  詳しい記録（every file's report, pip）: {os.path.relpath(demo / 'demo.log')}")
    return lines


def main(argv: list[str]) -> int:
    demo = Path(argv[1] if len(argv) > 1 else "demo-output")
    try:
        lines = summary(demo)
    except Exception as exc:  # noqa: BLE001 — the demo's last line is a pointer to its log, never a traceback
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"デモの結果をまとめられませんでした（{first}）。詳しい記録を見てください: {demo / 'demo.log'}")
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
