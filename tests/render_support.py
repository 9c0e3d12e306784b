"""Helpers shared by tests/test_render_*.py: valid proposals, sample lists, reading outputs back."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

from docx import Document

from kyotei_docs.proposal import Axis, Contact, Organization, Proposal

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

#: A company name built to break naive renderers: XML specials, a Jinja expression, a control character.
HOSTILE_NAME = "A&B <株> {{7*7}}\x0b{% if 1 %}x{% endif %}株式会社"
HOSTILE_PRINTED = "A&B <株> {{7*7}}{% if 1 %}x{% endif %}株式会社"


def valid_proposal(**changes) -> Proposal:
    """A comprehensive proposal that passes every rule (axis 福祉・医療・健康)."""
    p = Proposal(
        file="built.docx", format="docx", submitted_on=date(2026, 4, 1),
        organization=Organization(address="北海道旭川市見本町１丁目２番３号", name="株式会社見本商事",
                                  representative="代表取締役　見本　花子"),
        agreement_type="comprehensive", fields=["子育て", "環境", "福祉・医療・健康"],
        axis=Axis(present=True, field="福祉・医療・健康", text="福祉・医療・健康"),
        purpose="地域の健康づくりを進めるため。", expected_effects="健診受診率の向上。",
        contact=Contact(department="地域連携部", name="見本　太郎", phone="0166-12-3456",
                        email="taro@example.co.jp"),
    )
    p.types_ticked = [p.agreement_type] if p.agreement_type else []
    p.axis_ticked = [True]
    for key, value in changes.items():
        if key == "name":
            p.organization.name = value
        elif key == "address":
            p.organization.address = value
        elif key == "representative":
            p.organization.representative = value
        elif key == "axis":
            p.axis = value
            p.axis_ticked = [] if value.present is None else [value.present]
        elif key == "agreement_type":
            p.agreement_type = value
            p.types_ticked = [value]
        else:
            setattr(p, key, value)
    return p


def individual_proposal(**changes) -> Proposal:
    base = dict(agreement_type="individual", fields=["災害対策"], axis=Axis())
    base.update(changes)
    return valid_proposal(**base)


def valid_samples() -> list[Path]:
    """Every sample Form 1 (.docx) whose expected check result is valid and whose type was read (one whose type
    is left for review — 要確認 — gets no draft: render refuses to guess it)."""
    out = []
    for path in sorted(SAMPLES.glob("*.docx")):
        expected = SAMPLES / "expected" / f"{path.stem}.check.json"
        parsed = SAMPLES / "expected" / f"{path.stem}.json"
        if expected.is_file() and json.loads(expected.read_text("utf-8"))["expected_check"]["valid"] \
                and json.loads(parsed.read_text("utf-8")).get("agreement_type"):
            out.append(path)
    return out


def docx_paragraphs(path: Path) -> list[str]:
    """Body paragraphs, then table-cell paragraphs, as python-docx reads them."""
    doc = Document(str(path))
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for cell in table._cells:
            out += [p.text for p in cell.paragraphs]
    return out


def docx_text(path: Path) -> str:
    return "\n".join(docx_paragraphs(path))


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, as PDFium reads it (compare it :func:`squash`-ed: spacing differs between readers).

    PDFium, not pdfplumber: the same characters (the squashed text of all 81 pages of
    tests/test_render_pdf.py's batch was identical), a tenth of the CPU.
    """
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


def squash(text: str) -> str:
    """Text without any whitespace (PDF extraction adds spaces between glyphs)."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(path: Path) -> list[dict[str, str]]:
    """``pdffonts`` rows as dicts (name, type, emb)."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 7:
            # name type [type2] encoding emb sub uni object ID — emb is the 5th field from the end.
            rows.append({"name": parts[0], "emb": parts[-5], "line": line})
    return rows
