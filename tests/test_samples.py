"""Every file in samples/ reads to exactly its expected JSON, and checks as expected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, json_lines, run_cli
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.pipeline import check_proposal, read_proposal

SAMPLES = ROOT / "samples"
EXPECTED = SAMPLES / "expected"
CASES = sorted(p for p in SAMPLES.iterdir() if p.is_file() and (EXPECTED / f"{p.stem}.json").exists())
#: the samples in .doc/.odt/.rtf are converted by LibreOffice before they are read
PARAMS = [pytest.param(c, marks=pytest.mark.libreoffice) if c.suffix in (".doc", ".odt", ".rtf") else c for c in CASES]


def test_there_are_enough_samples():
    assert len([c for c in CASES if c.suffix == ".docx"]) >= 8


@pytest.mark.parametrize("path", PARAMS, ids=lambda p: p.name)
def test_sample_reads_to_expected_contract(path: Path):
    expected = json.loads((EXPECTED / f"{path.stem}.json").read_text("utf-8"))
    assert read_proposal(path).to_json() == expected


@pytest.mark.parametrize("path", PARAMS, ids=lambda p: p.name)
def test_sample_checks_as_expected(path: Path, cfg):
    raw = json.loads((EXPECTED / f"{path.stem}.check.json").read_text("utf-8"))
    expected = raw.get("expected_check", raw)
    result = check_proposal(read_proposal(path), cfg)
    assert result.valid is expected["valid"]
    assert sorted(f.code for f in result.errors) == sorted(expected["errors"])
    assert sorted(f.code for f in result.warnings) == sorted(expected["warnings"])
    assert sorted(f.code for f in result.review) == sorted(expected.get("review", []))


def test_every_class_of_issue_9_has_a_sample():
    """Numbered headings, ○ and struck or deleted choices (also through LibreOffice), review items."""
    names = {c.stem for c in CASES}
    assert {"18_numbered_headings", "19_word_auto_numbering", "20_circle_before_choice", "21_bracket_circles",
            "22_circle_grid_cells", "23_struck_options", "24_struck_options_rtf", "25_deleted_options",
            "26_review_unknown_mark", "27_two_circles_ambiguous", "28_review_mark_conflict",
            "29_review_placeholder_text", "31_circles_both_sides", "32_letter_answers_in_words",
            "44_pdf_circled_options"} <= names


def test_issue_16_has_its_samples():
    """An Excel form (check boxes of the 開発 tab, a 和暦 date cell, a label over three cells); a submission
    with a cover letter, a letterhead and a 別紙 (every value from the form itself)."""
    names = {c.name for c in CASES}
    assert {"45_excel_form.xlsx", "46_cover_letter_and_attachment.docx"} <= names


@pytest.mark.libreoffice
def test_cli_check_json_over_the_samples_folder():
    res = run_cli("check", "--json", str(SAMPLES))
    objs = json_lines(res.stdout)
    assert len(objs) == len([p for p in SAMPLES.iterdir() if p.is_file()])
    assert res.returncode == (ExitCode.UNREADABLE if any("error" in o for o in objs) else ExitCode.FINDINGS)
    for obj in objs:
        if "error" in obj:
            continue
        assert set(obj) == {"file", "valid", "errors", "warnings", "review", "routing", "proposal"}
        for finding in obj["errors"] + obj["warnings"] + obj["review"]:
            assert set(finding) <= {"code", "field", "message", "params"} and finding["message"]
        assert obj["routing"]["flow"] in ("individual", "comprehensive_axis", "comprehensive_allround",
                                          "comprehensive_axis_missing", None)


def test_there_are_pdf_samples_of_both_kinds():
    """PDFs printed from Word-like software (text layer) and filled-in fillable PDFs (AcroForm)."""
    from pypdf import PdfReader

    pdfs = [c for c in CASES if c.suffix == ".pdf"]
    fillable = [c for c in pdfs if PdfReader(c).get_fields()]
    assert len(fillable) >= 2 and len(pdfs) - len(fillable) >= 3


def _script():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")

    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_script_regenerates_the_pdf_samples(tmp_path):
    """scripts/make_samples.py writes PDFs (LibreOffice exports, filled forms, PDFs built from operators)
    and Excel workbooks that read as committed."""
    script = _script()
    script.write_all(tmp_path)
    made = script.write_pdfs(tmp_path, tmp_path) + script.write_built_pdfs(tmp_path)
    assert sorted(p.name for p in made) == sorted(c.name for c in CASES if c.suffix in (".pdf", ".xlsx"))
    for path in made:
        assert read_proposal(path).to_json() == json.loads((EXPECTED / f"{path.stem}.json").read_text("utf-8"))
