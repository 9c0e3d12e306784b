"""Output file names of one render.

Decision (documented in docs/render.md): an existing file is never replaced.
When 「株式会社X_包括連携協定書.docx」 exists, the next render writes
「株式会社X_包括連携協定書(2).docx」, and the files of one render share the same
number so they belong together visibly.  A signed agreement's draft can
therefore not be lost by rendering again.

Writing and publishing the files is :mod:`kyotei_docs.publish` (the one way,
with the one naming for copies); its helpers are re-exported here for the
renderer's modules.
"""

from __future__ import annotations

from pathlib import Path

from ..publish import MAX_NUMBER, free_number, numbered, private_dir, publish, temp_path, write_new
from ..safenames import safe_filename

__all__ = ["MAX_NUMBER", "OutputNames", "numbered", "private_dir", "publish", "temp_path", "write_new"]

LABEL_FORM2 = {"comprehensive": "包括連携協定書", "individual": "連携協定書"}
LABEL_FORM3 = "ホームページ掲載文"
LABEL_PHOTO = "写真"


class OutputNames:
    """The names of one render's files, all with the same free number.

    ``base`` is the partner's name made safe by :func:`safe_filename`.
    """

    def __init__(self, out_dir: Path, partner_name: str, kind: str, *, photo_suffixes: list[str] | None = None):
        base = safe_filename(partner_name or "協定")
        label = LABEL_FORM2.get(kind, LABEL_FORM2["comprehensive"])
        self.out_dir = out_dir
        wanted = {
            "form2_docx": out_dir / f"{base}_{label}.docx",
            "form2_pdf": out_dir / f"{base}_{label}.pdf",
            "form3_docx": out_dir / f"{base}_{LABEL_FORM3}.docx",
            "form3_pdf": out_dir / f"{base}_{LABEL_FORM3}.pdf",
            "form3_html": out_dir / f"{base}_{LABEL_FORM3}.html",
        }
        for i, suffix in enumerate(photo_suffixes or [], start=1):
            wanted[f"photo{i}"] = out_dir / f"{base}_{LABEL_PHOTO}{i}{suffix}"
        self.wanted = wanted
        self.number = free_number(wanted.values())
        self.paths = {k: numbered(p, self.number) for k, p in wanted.items()}

    def __getitem__(self, key: str) -> Path:
        return self.paths[key]
