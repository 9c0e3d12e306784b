"""Print-ready PDFs: text, embedded Japanese serif fonts, page count, signature block with its date line.

LibreOffice must be installed (CI installs it): these tests run, they never skip.
All documents go through one ``pdf_batch`` call (one soffice process) to keep the suite fast.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kyotei_docs.config import load_config
from kyotei_docs.pipeline import read_proposal
from kyotei_docs.render import pdf_batch, render_documents
from kyotei_docs.render.pdf import numbers_printable
from render_support import (
    HOSTILE_NAME,
    HOSTILE_PRINTED,
    ROOT,
    docx_text,
    individual_proposal,
    pdf_fonts,
    pdf_pages,
    squash,
    valid_proposal,
    valid_samples,
)

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

SIGNED = date(2026, 12, 1)
SIGNED_TEXT = "令和８年１２月１日"
CLOSING = "その他，地域の活性化及び市民サービスの向上に関すること"


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "kyotei_docs" / "defaults" / "kyotei.toml")


def _number(n: int) -> str:
    """How item n appears in the PDF: ⑴ if a font can print it, else (1) (see render/pdf.py)."""
    return chr(0x2473 + n) if numbers_printable() else f"({n})"


@pytest.fixture(scope="module")
def batch(cfg, tmp_path_factory):
    """Render many agreements (.docx), then convert them all in one batch.

    Returns {label: (case, docx, pdf or None)} and the batch itself.
    """
    out = tmp_path_factory.mktemp("pdf")
    cases: dict[str, dict] = {}
    for path in valid_samples():
        proposal = read_proposal(path)
        cases[f"sample:{path.stem}"] = {"proposal": proposal, "signing": SIGNED}
    for extra in range(1, 20):  # 2..20 items: the signature block lands at many positions on the page
        cases[f"items:{extra + 1}"] = {"proposal": valid_proposal(name=f"株式会社項目{extra + 1}"),
                                       "signing": SIGNED, "items": [f"連携事項その{i + 1}に関すること"
                                                                    for i in range(extra)]}
    cases["long-names"] = {"proposal": valid_proposal(
        name="一般社団法人" + "あさひかわ地域連携推進" * 6 + "協議会",
        address="北海道旭川市" + "ななかまど町" * 8 + "３丁目５番１号",
        representative="代表理事" + "　北野春香" * 4), "signing": SIGNED}
    cases["blank-date"] = {"proposal": valid_proposal(name="株式会社日付未定"), "signing": None}
    cases["individual"] = {"proposal": individual_proposal(name="株式会社個別"), "signing": SIGNED,
                           "title": "災害時における応急対策業務に関する協定書"}
    cases["hostile"] = {"proposal": valid_proposal(name=HOSTILE_NAME), "signing": SIGNED}

    docx: dict[str, Path] = {}
    form3: dict[str, Path] = {}
    for label, case in cases.items():
        result = render_documents(case["proposal"], cfg, out, signing_date=case["signing"],
                                  items=case.get("items"), title=case.get("title"))
        docx[label] = result.documents["form2_docx"]
        form3[label] = result.documents["form3_docx"]
    broken = out / "壊れた文書.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a real document")
    taken = out / f"{docx['individual'].stem}.pdf"
    taken.write_bytes(b"%PDF- an older file staff keep")
    inputs = list(docx.values()) + [form3["hostile"], broken]
    converted = pdf_batch(inputs, out)
    pages = {src: pdf_pages(pdf) for src, pdf in converted.items()}  # read each PDF once
    return {"cases": cases, "docx": docx, "form3": form3, "converted": converted, "broken": broken,
            "taken": taken, "pages": pages}


def test_one_batch_converts_everything_but_the_broken_file(batch) -> None:
    converted = batch["converted"]
    assert set(converted.failures) == {batch["broken"]}
    for label, path in batch["docx"].items():
        pdf = converted[path]
        assert pdf.read_bytes().startswith(b"%PDF"), label
        assert pdf.parent == path.parent


def test_existing_pdf_is_not_overwritten(batch) -> None:
    pdf = batch["converted"][batch["docx"]["individual"]]
    assert pdf.name.endswith("(2).pdf")
    assert batch["taken"].read_bytes() == b"%PDF- an older file staff keep"


def test_fonts_are_embedded_japanese_serif(batch) -> None:
    for label, path in batch["docx"].items():
        fonts = pdf_fonts(batch["converted"][path])
        names = [f["name"] for f in fonts]
        assert fonts and all(f["emb"] == "yes" for f in fonts), (label, fonts)
        assert any("IPAMincho" in n or "IPAexMincho" in n for n in names), (label, names)
        assert not any("Gothic" in n or "DejaVu" in n for n in names), (label, names)


def test_text_of_every_agreement(batch) -> None:
    for label, path in batch["docx"].items():
        case = batch["cases"][label]
        proposal = case["proposal"]
        text = squash("\n".join(batch["pages"][path]))
        assert squash(proposal.organization.name) in text, label
        assert "第１条" in text and "第６条" in text
        assert squash(f"{_number(1)}") in text
        assert squash(CLOSING) in text
        assert "令和９年３月３１日まで" in text or "令和年３月３１日まで" in text


def test_item_order_in_pdf(batch) -> None:
    text = squash("\n".join(batch["pages"][batch["docx"]["items:20"]]))
    positions = [text.index(squash(f"{_number(i + 1)}連携事項その{i + 1}に関すること")) for i in range(19)]
    assert positions == sorted(positions)
    assert squash(f"{_number(20)}{CLOSING}") in text


def test_page_counts(batch) -> None:
    for label, path in batch["docx"].items():
        pages = len(batch["pages"][path])
        limit = 3 if label.startswith("items:") or label == "long-names" else 2
        assert 1 <= pages <= limit, (label, pages)


def test_signature_block_is_on_the_page_of_its_date_line(batch) -> None:
    for label, path in batch["docx"].items():
        case = batch["cases"][label]
        proposal = case["proposal"]
        pages = [squash(p) for p in batch["pages"][path]]
        date_line = SIGNED_TEXT if case["signing"] else "令和年月日"
        with_date = [i for i, p in enumerate(pages) if date_line in p]
        assert len(with_date) == 1, (label, with_date)
        page = pages[with_date[0]]
        for part in ("本協定の締結を証するため", "旭川市7条通9丁目48番地", "旭川市長",
                     proposal.organization.address, proposal.organization.name,
                     proposal.organization.representative):
            assert squash(part) in page, (label, part)


def test_blank_date_line_and_end_date(batch) -> None:
    text = squash("\n".join(batch["pages"][batch["docx"]["blank-date"]]))
    assert "協定締結の日から令和年３月３１日までとする" in text
    assert "令和年月日" in text


def test_hostile_name_prints_literally_in_pdf(batch) -> None:
    agreement = squash("\n".join(batch["pages"][batch["docx"]["hostile"]]))
    assert squash(HOSTILE_PRINTED) in agreement
    assert "49" not in agreement.replace("令和", "")
    assert squash(HOSTILE_PRINTED) in squash(docx_text(batch["docx"]["hostile"]))
    announcement = squash("\n".join(batch["pages"][batch["form3"]["hostile"]]))
    assert squash(HOSTILE_PRINTED) in announcement


def test_render_with_pdf_names_the_agreement_pdf_with_its_size(cfg, tmp_path) -> None:
    result = render_documents(valid_proposal(), cfg, tmp_path, signing_date=SIGNED, pdf=True,
                              results={2025: ["健康セミナーの開催"]})
    assert set(result.documents) == {"form2_docx", "form2_pdf", "form3_docx", "form3_html", "form3_pdf"}
    assert not result.pdf_failures
    pdf = result.documents["form2_pdf"]
    kb = -(-pdf.stat().st_size // 1024)
    html = result.documents["form3_html"].read_text("utf-8")
    assert f"（PDF形式，{kb}キロバイト）" in html
    assert f'href="{pdf.name}"' in html or "href=\"%" in html
    form3_pdf = squash("\n".join(pdf_pages(result.documents["form3_pdf"])))
    assert f"ＰＤＦ形式{kb}キロバイト" in form3_pdf
    assert "4項目を連携項目" in form3_pdf and "令和7年度連携実績" in form3_pdf
    assert result.end_date == date(2027, 3, 31)
