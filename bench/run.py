"""Run every bench/bench_*.py in turn and record the figures in bench/RESULTS.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        status |= subprocess.call([sys.executable, str(script), "--write", *sys.argv[1:]], cwd=HERE.parent)
    sys.exit(status)
