"""Regenerate ``templates/form1_proposal.docx``, the blank Form 1 the city hands out.

The .docx is committed (staff download it, samples are filled from it); this
script is how it is made, so a change to the layout is a change to code.

    .venv/bin/python scripts/make_template.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kyotei_docs.blankform import write_blank_form  # noqa: E402

TEMPLATE = ROOT / "templates" / "form1_proposal.docx"


def main() -> None:
    write_blank_form(TEMPLATE)
    print(TEMPLATE.relative_to(ROOT))


if __name__ == "__main__":
    main()
