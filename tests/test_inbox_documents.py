"""The drop folder's drafts: the agreement's PDF is made before the announcement, which states its size."""

from __future__ import annotations

import re

import pytest

from inboxkit import drop, journal, one_pass, root, write_form  # noqa: F401  (fixtures)
from kyotei_docs.office import soffice_available


@pytest.mark.skipif(not soffice_available(), reason="LibreOffice is not installed")
@pytest.mark.libreoffice
@pytest.mark.slow
def test_form3_states_the_size_of_the_agreement_pdf_in_every_format(root, journal, tmp_path):
    import docx

    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社おおきさ").read_bytes())
    (fin,) = one_pass(root, journal, pdf=True).finished
    assert fin.outcome == "valid"
    form2_pdf = next(p for p in fin.dest.glob("*.pdf") if "掲載文" not in p.name)
    kb = str(max(1, -(-form2_pdf.stat().st_size // 1024)))
    html = next(fin.dest.glob("*掲載文.html")).read_text("utf-8")
    assert re.search(rf"PDF形式.{kb}キロバイト", html), html
    form3_docx = next(fin.dest.glob("*掲載文.docx"))
    text = "\n".join(p.text for p in docx.Document(str(form3_docx)).paragraphs)
    assert f"{kb}キロバイト" in text
    form3_pdf = next(fin.dest.glob("*掲載文.pdf"))
    assert form3_pdf.read_bytes().startswith(b"%PDF")
    report = (fin.dest / "report.html").read_text("utf-8")
    for f in (form2_pdf, form3_pdf, form3_docx):  # report.html lists what exists
        assert f.name in report
    assert "PDF は作成できませんでした" not in report
    assert "キロバイト」は空欄" not in report  # the drafts' note from before the PDF was made is gone
