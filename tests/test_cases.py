"""One proposal, one case: matching, confirmations, refusals, merge/split, ends ahead, items on the case.

Real sample files (a .docx and the PDF Word made of it), real SQLite registries,
the real command line (click's runner: no terminal, so changes need --yes).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from click.testing import CliRunner

from conftest import ROOT, case_folder, judged
from kyotei_docs import cases
from kyotei_docs.cli import cli
from kyotei_docs.pipeline import check_proposal
from kyotei_docs.registry.lifecycle import register
from kyotei_docs.registry.matching import likeness, org_core, org_key
from kyotei_docs.registry.queries import summary
from test_registry_helpers import checked, make_proposal, open_new, submission

DOCX = ROOT / "samples" / "02_typed_glyphs.docx"        # 北嶺防災サービス株式会社, individual, valid
PDF = ROOT / "samples" / "12_pdf_typed_glyphs.pdf"       # the same proposal, saved as PDF
OTHER = ROOT / "samples" / "01_content_controls.docx"    # 株式会社ななかまどヘルスケア
NEEDS_FIX = ROOT / "samples" / "07_invalid_one_field_no_axis.docx"  # 要修正: 有 ticked, axis blank


@pytest.fixture
def kyotei(tmp_path, monkeypatch, site):
    """The command line in a fresh working folder, with a site made by ``kyotei init``."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        if args[:1] == ("sign",) and "--correct" not in args:  # judged in a meeting first (test_steps.py: judging)
            runner.invoke(cli, ["registry", "judge", args[1], "--all-clear", "--yes"], catch_exceptions=False)
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


def rows(kyotei) -> list[dict]:
    return json.loads(kyotei("registry", "list", "--json").stdout)


# ---------------------------------------------------------------------------------- matching


@pytest.mark.parametrize("a, b", [("㈱ななかまど", "株式会社　ななかまど"), ("（株）ななかまど", "株式会社ななかまど"),
                                  ("株式会社ＡＢＣ", "株式会社abc"), ("(一社)旭川観光", "一般社団法人 旭川観光")])
def test_organisation_names_are_normalised(a, b):
    assert org_key(a) == org_key(b)


def test_legal_form_on_the_other_side_is_only_near():
    assert org_key("ななかまど株式会社") != org_key("株式会社ななかまど")
    assert org_core("ななかまど株式会社") == org_core("株式会社ななかまど")


def test_likeness_tolerates_one_missing_value_but_not_a_different_one(cfg):
    base = make_proposal().to_json()
    missing = make_proposal(complete=False).to_json()
    changed = dict(base, purpose="全く別の目的で、観光客を誘致するための連携")
    assert likeness(base, dict(base, file="x.pdf", format="pdf")).same
    assert likeness(base, missing).same
    assert not likeness(base, changed).same and likeness(base, changed).similar


def test_docx_and_its_pdf_are_one_case_counted_once(kyotei):
    assert kyotei("registry", "add", str(DOCX)).exit_code == 0
    r = kyotei("registry", "add", str(PDF))
    assert r.exit_code == 0 and "別形式として協定ID 1" in r.stdout
    [case] = rows(kyotei)
    assert case["files"] == 2 and not case["possibly_same"]
    shown = json.loads(kyotei("registry", "show", "1", "--json").stdout)
    assert [(f["name"], f["role"], f["current"]) for f in shown["files"]] == [
        (DOCX.name, "original", True), (PDF.name, "other_format", False)]
    counts = json.loads(kyotei("registry", "summary", "--json").stdout)
    assert counts["individual"]["total"] == 1
    assert "1件" in kyotei("registry", "list").stdout


def test_correction_becomes_current_and_possible_joins_are_marked(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        first = register(reg, checked(cfg, "㈱なおし", complete=False), municipality="旭川市",
                         submission=submission(), actor="x", today=date(2026, 4, 1))
        fixed = register(reg, checked(cfg, "株式会社 なおし"), municipality="旭川市", submission=submission(),
                         actor="x", today=date(2026, 4, 5))
        assert fixed.role == "correction" and fixed.agreement_id == first.agreement_id
        other = make_proposal("株式会社なおし", kind="individual", fields=("観光・魅力発信",), axis=None)
        other.purpose, other.expected_effects = "冬の観光イベントを共同で開催する", "観光客の増加"
        differing = submission("なおし別案")  # named: the review item quotes the file's name
        unsure = register(reg, check_proposal(other, cfg), municipality="旭川市", submission=differing,
                          actor="x", today=date(2026, 4, 9))
        assert unsure.possible and unsure.agreement_id == first.agreement_id
        case = cases.get(cfg, reg, first.agreement_id)
        assert [f.role for f in case.files] == ["original", "correction", "possible"]
        # a file that differs never takes over: the correction stays current, the differences are review items
        assert case.possibly_same and case.current_file is not None and case.current_file.role == "correction"
        assert case.agreement.kind == "comprehensive" and case.verdict_code == "review"
        assert any(i.field == "agreement_type" and "なおし別案.docx" in i.message for i in case.open_review)
        # staff say it is a different proposal: split it off; the correction is current again
        new = cases.split(cfg, reg, case.id, case.files[2].name or "", actor="staff")
        assert new.id != case.id and new.agreement.kind == "individual" and len(new.files) == 1
        back = cases.get(cfg, reg, case.id)
        assert back.current_file is not None and back.current_file.role == "correction"
        assert not back.possibly_same and back.agreement.kind == "comprehensive"
        assert [e.kind for e in back.events][-1] == "split"
        with reg.snapshot() as conn:
            assert sum(summary(conn)["axis"][s] for s in ("received",)) == 1


def test_after_signing_a_new_proposal_is_a_new_case_but_its_pdf_joins(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        done = cases.intake(cfg, reg, checked(cfg, "株式会社つづき"), submission_id="a", sha256="a" * 64)
        judged(cfg, reg, done.case_id)
        cases.sign(cfg, reg, done.case_id, on=date(2026, 6, 1), today=date(2026, 6, 2), actor="x")
        copy = make_proposal("株式会社つづき")
        copy.file, copy.format = "提案書.pdf", "pdf"
        again = cases.intake(cfg, reg, check_proposal(copy, cfg), submission_id="b", sha256="b" * 64)
        assert again.outcome == "other_format" and again.case_id == done.case_id
        fresh = make_proposal("株式会社つづき", fields=("環境", "観光・魅力発信"), axis_field="環境")
        fresh.purpose = "次の年度に向けた環境分野での新しい連携"
        new = cases.intake(cfg, reg, check_proposal(fresh, cfg), submission_id="c", sha256="c" * 64)
        assert new.outcome == "new" and new.case_id != done.case_id


# ---------------------------------------------------------------------------------- confirmation and names


def test_changes_are_confirmed_and_nothing_changes_without_yes(kyotei):
    kyotei("registry", "add", str(DOCX))
    kyotei("registry", "add", str(OTHER))
    r = kyotei("registry", "consult", "北嶺")
    assert r.exit_code == 1 and "何も変更していません" in r.stderr
    assert "協定ID 1　北嶺防災サービス株式会社" in r.stdout  # whose case it is, shown first
    assert [c["status"] for c in rows(kyotei)] == ["received", "received"]
    r = kyotei("registry", "consult", "ななかまど", "--yes")
    assert r.exit_code == 0 and "協定ID 2 を「協議中」" in r.stdout
    assert [c["status"] for c in rows(kyotei)] == ["received", "in_consultation"]
    r = kyotei("registry", "consult", "株式会社", "--yes")  # both names contain it
    assert r.exit_code == 1 and "複数" in r.stderr and "北嶺" in r.stderr and "ななかまど" in r.stderr
    r = kyotei("registry", "consult", "存在しない会社", "--yes")
    assert r.exit_code == 1 and "当たる案件がありません" in r.stderr


def test_sign_refuses_a_proposal_with_errors_unless_forced_with_a_reason(kyotei):
    kyotei("registry", "add", str(NEEDS_FIX))
    r = kyotei("sign", "1", "--date", "2026-10-01", "--no-render", "--yes")
    assert r.exit_code == 1 and "不備があるため、締結を記録しません" in r.stderr and "主軸分野" in r.stderr
    assert rows(kyotei)[0]["status"] == "received"
    r = kyotei("sign", "1", "--date", "2026-10-01", "--no-render", "--yes", "--force")
    assert r.exit_code == 2 and "--reason" in r.stderr and rows(kyotei)[0]["status"] == "received"  # a usage slip
    r = kyotei("sign", "1", "--date", "2026-10-01", "--no-render", "--yes", "--force", "--reason", "市長決裁済み")
    assert r.exit_code == 0 and "市長決裁済み" in r.stderr
    assert "不備があるまま締結を記録しました" in r.stderr  # names what it went past
    events = json.loads(kyotei("registry", "show", "1", "--json").stdout)["events"]
    assert events[-1]["kind"] == "signed" and events[-1]["detail"]["reason"] == "市長決裁済み"


def test_sign_warns_on_implausible_dates_and_results_need_an_existing_item(kyotei):
    kyotei("registry", "add", str(DOCX))  # proposal dated 2026-04-15
    r = kyotei("sign", "1", "--date", "2026-04-01", "--no-render", "--yes")
    assert r.exit_code == 0 and "提出日 2026-04-15 より前" in r.stderr
    assert "連携事項（協定ID 1 に保存された 2 件）" in r.stdout  # the default wording, stored and shown
    r = kyotei("registry", "results", "add", "1", "--fy", "2026", "--item", "3", "--title", "x", "--yes")
    assert r.exit_code == 1 and "1〜2" in r.stderr
    r = kyotei("registry", "results", "add", "1", "--fy", "2026", "--item", "1", "--title", "訓練",
               "--date", "2027-03-01", "--yes")
    assert r.exit_code == 0


def test_results_before_the_signing_or_in_a_year_not_begun_are_named_to_staff(kyotei):
    """A result dated before the signing, of a fiscal year before it or of one not begun is recorded with a warning."""
    kyotei("registry", "add", str(DOCX))
    assert kyotei("sign", "1", "--date", "2026-06-01", "--no-render", "--yes").exit_code == 0
    r = kyotei("registry", "results", "add", "1", "--fy", "2026", "--item", "1", "--title", "訓練",
               "--date", "2026-05-20", "--yes")
    assert r.exit_code == 0 and "実施日 2026-05-20 は締結日 2026-06-01 より前です" in r.stderr
    r = kyotei("registry", "results", "add", "1", "--fy", "R7", "--item", "1", "--title", "訓練", "--yes")
    assert r.exit_code == 0 and "令和7年度は締結日 2026-06-01（令和8年度）より前の年度です" in r.stderr
    r = kyotei("registry", "results", "add", "1", "--fy", "2040", "--item", "1", "--title", "訓練", "--yes")
    assert r.exit_code == 0 and "令和22年度はまだ始まっていません" in r.stderr
    r = kyotei("registry", "results", "add", "1", "--fy", "2026", "--item", "1", "--title", "訓練",
               "--date", "2026-07-01", "--yes")
    assert r.exit_code == 0 and "警告" not in r.stderr and "Warning" not in r.stderr  # a plausible one: no warning


def test_items_file_is_stored_on_the_case_and_used_by_sign(kyotei, tmp_path):
    kyotei("registry", "add", str(DOCX))
    items = tmp_path / "items.txt"
    items.write_text("避難所への資機材の供給に関すること\n防災訓練への協力に関すること\n", encoding="utf-8")
    r = kyotei("registry", "set", "北嶺", "--items-file", str(items), "--yes")
    assert r.exit_code == 0 and "3 件" in r.stdout  # Form 2's closing item is part of the agreement
    shown = json.loads(kyotei("registry", "show", "1", "--json").stdout)
    assert [i["text"] for i in shown["items"]][:2] == ["避難所への資機材の供給に関すること", "防災訓練への協力に関すること"]
    assert shown["items"][2]["text"].startswith("その他")
    r = kyotei("sign", "1", "--date", "2026-06-01", "--no-render", "--yes")
    assert "1. 避難所への資機材の供給に関すること" in r.stdout
    r = kyotei("registry", "export", "--csv", "a.csv")
    assert "防災訓練への協力に関すること" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert f"書き出しました: {tmp_path / 'a.csv'}, {tmp_path / 'a-results.csv'}" in r.stdout  # where, absolutely


# ---------------------------------------------------------------------------------- merge, ends ahead


def _variant(kyotei, tmp_path, name: str, purpose: str) -> str:
    data = json.loads(kyotei("parse", "--json", str(PDF)).stdout)
    data["organization"]["name"], data["purpose"] = name, purpose
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_near_name_joins_as_possibly_the_same_and_merge_confirms_it(kyotei, tmp_path):
    kyotei("registry", "add", str(DOCX))
    r = kyotei("registry", "add", _variant(kyotei, tmp_path, "北嶺防災サービス", "避難所の資機材の供給体制を構築するため"))
    assert r.exit_code == 0 and "同一案件の可能性" in r.stdout and "kyotei registry split 1" in r.stdout
    [case] = rows(kyotei)
    assert case["possibly_same"] and "※同一案件の可能性" in kyotei("registry", "list").stdout
    assert kyotei("registry", "merge", "1", "--yes").exit_code == 0
    [case] = rows(kyotei)
    assert not case["possibly_same"] and case["files"] == 2


def test_merge_two_cases_into_one_counts_one(kyotei, tmp_path):
    kyotei("registry", "add", str(DOCX))
    kyotei("registry", "add", _variant(kyotei, tmp_path, "ホクレイ防災", "避難所の資機材の供給体制を構築するため"))
    assert len(rows(kyotei)) == 2  # a name matching would not link: staff know better
    r = kyotei("registry", "merge", "1", "2")
    assert r.exit_code == 1 and len(rows(kyotei)) == 2  # not confirmed: nothing changed
    # two names, even without their legal form: said before the question (the merge may still be right)
    assert "協定ID 2（ホクレイ防災）と協定ID 1（北嶺防災サービス株式会社）は相手方の名称が違います" in r.stderr
    r = kyotei("registry", "merge", "1", "2", "--yes")
    assert r.exit_code == 0 and "統合しました" in r.stdout
    [case] = rows(kyotei)
    assert case["id"] == 1 and case["files"] == 2
    assert json.loads(kyotei("registry", "summary", "--json").stdout)["individual"]["total"] == 1
    assert kyotei("registry", "merge", "1", "2", "--yes").exit_code == 1  # merged already
    # split undoes a wrong merge, and says so (it ended 「何も変更していません。」 after splitting)
    name = json.loads(kyotei("registry", "show", "1", "--json").stdout)["files"][1]["name"]
    split = kyotei("registry", "split", "1", name, "--yes")
    assert split.exit_code == 0 and "新しい案件 協定ID 3" in split.stdout and "何も変更していません" not in split.stdout
    assert kyotei("registry", "merge", "1", "3", "--yes").exit_code == 0
    events = json.loads(kyotei("registry", "show", "2", "--json").stdout)["events"]
    assert events[-1]["kind"] == "merged_into"
    signed = kyotei("sign", "1", "--date", "2026-06-01", "--no-render", "--yes")
    assert signed.exit_code == 0
    kyotei("registry", "add", _variant(kyotei, tmp_path, "ホクレイ防災２", "別件"))
    r = kyotei("registry", "merge", "4", "1", "--yes")
    assert r.exit_code == 1 and "締結後" in r.stderr  # a signed case is never merged away


def test_an_end_in_the_future_keeps_the_agreement_in_force_until_then(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        done = cases.intake(cfg, reg, checked(cfg, "株式会社おわり"), submission_id="a", sha256="d" * 64)
        judged(cfg, reg, done.case_id)
        cases.sign(cfg, reg, done.case_id, on=date(2026, 6, 1), today=date(2026, 6, 1))
        case = cases.end(cfg, reg, done.case_id, on=date(2026, 12, 31), cause="notice", reason="解約の申出",
                         today=date(2026, 10, 1), notice_on=date(2026, 10, 1))
        assert case.status == "ending" and case.agreement.status == "signed"
        with reg.snapshot() as conn:
            assert summary(conn)["axis"]["signed"] == 1
        assert cases.get(cfg, reg, case.id, today=date(2027, 1, 1)).status == "ended"
        from kyotei_docs.registry.dates import DateRules
        from kyotei_docs.registry.lifecycle import renew_due

        report = renew_due(reg, today=date(2027, 4, 2), actor="x", rules=DateRules())
        assert report.ended == [case.id] and report.renewed == []
        after = cases.get(cfg, reg, case.id, today=date(2027, 4, 2))
        assert after.agreement.status == "ended" and after.agreement.ended_on == date(2026, 12, 31)
        assert [e.kind for e in after.events][-2:] == ["end_scheduled", "ended"]


def test_case_model_is_plain_data(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        done = cases.intake(cfg, reg, checked(cfg, "株式会社データ"), submission_id="a", sha256="e" * 64)
        case = cases.get(cfg, reg, "データ")
    assert dataclasses.is_dataclass(case) and case.id == done.case_id
    data = case.to_json()
    assert json.loads(json.dumps(data, ensure_ascii=False))["files"][0]["role"] == "original"
    assert case.headline()[0].startswith(f"協定ID {case.id}")


def test_render_with_items_stores_them_on_the_case_of_its_file(kyotei, tmp_path):
    items = tmp_path / "items.txt"
    items.write_text("避難所への資機材の供給に関すること\n", encoding="utf-8")
    r = kyotei("render", str(DOCX), "--out", "drafts", "--items", str(items))
    assert r.exit_code == 0 and "保存" not in r.stdout  # no registry yet: none is made
    from kyotei_docs.registry.location import DEFAULT_NAME, user_data_dir

    assert not (user_data_dir() / DEFAULT_NAME).exists()
    kyotei("registry", "add", str(DOCX))
    r = kyotei("render", str(PDF), "--out", "drafts", "--items", str(items))  # its PDF: the same case
    assert r.exit_code == 0 and "連携事項 2 件を協定ID 1（北嶺防災サービス株式会社）に保存しました" in r.stdout
    shown = json.loads(kyotei("registry", "show", "1", "--json").stdout)
    assert shown["items"][0]["text"] == "避難所への資機材の供給に関すること"


def test_rerendering_keeps_one_current_file_per_document_and_dates_the_old_ones(kyotei, tmp_path, site):
    pytest.importorskip("kyotei_docs.render")
    kyotei("registry", "add", str(DOCX))
    assert kyotei("sign", "1", "--date", "2026-06-01", "--no-pdf", "--yes").exit_code == 0
    folder = case_folder(site, 1)
    first = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert len(first) == 3 and not any("(2)" in n for n in first)  # Form 2 .docx, Form 3 .docx and .html
    before = {n: (folder / n).read_bytes() for n in first}
    r = kyotei("registry", "render", "北嶺", "--no-pdf")
    assert r.exit_code == 0 and "versions" in r.stdout
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == first  # still one file each
    [version] = list((folder / "versions").iterdir())
    assert sorted(p.name for p in version.iterdir()) == first
    assert {p.name: p.read_bytes() for p in version.iterdir()} == before  # the earlier files, untouched


@pytest.mark.libreoffice
@pytest.mark.slow
def test_sign_makes_pdfs_when_libreoffice_is_installed(kyotei, tmp_path, site):
    pytest.importorskip("kyotei_docs.render")
    from kyotei_docs.office import soffice_available

    if not soffice_available():
        pytest.skip("LibreOffice is not installed")
    kyotei("registry", "add", str(DOCX))
    r = kyotei("sign", "1", "--date", "2026-06-01", "--yes")
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in case_folder(site, 1).iterdir())
    assert sum(n.endswith(".pdf") for n in names) == 2  # Form 2 and Form 3
    html = next(p for p in case_folder(site, 1).iterdir() if p.suffix == ".html")
    import re

    kb = re.search(r"PDF形式.(\S*?)キロバイト", html.read_text("utf-8"))
    assert kb is not None and kb.group(1).isdigit()  # Form 3 states the agreement PDF's size


def test_the_corrected_sample_and_its_original_make_one_case_in_either_order(tmp_path, cfg):
    """samples/30 corrects samples/07 (要修正): whichever is recorded first, the correction is current."""
    from kyotei_docs.pipeline import check_file

    corrected = ROOT / "samples" / "30_corrected_07_resubmission.docx"
    for order in ((NEEDS_FIX, corrected), (corrected, NEEDS_FIX)):
        with open_new(tmp_path, f"{order[0].stem}.sqlite3") as reg:
            for n, path in enumerate(order):
                cases.intake(cfg, reg, check_file(path, cfg), submission_id=f"s{n}", sha256=f"{n}" * 64,
                             file=path.name)
            [case] = cases.list_cases(cfg, reg)
            assert case.current_file is not None and case.current_file.name == corrected.name
            assert not case.needs_correction and case.agreement.subtype == "axis"


def test_staff_correct_a_value_and_what_was_read_is_kept(kyotei):
    kyotei("registry", "add", str(DOCX))
    r = kyotei("registry", "correct", "1", "organization.name", "北嶺防災サービス株式会社 旭川支店",
               "--reason", "電話で確認", "--yes")
    assert r.exit_code == 0 and "北嶺防災サービス株式会社 → 北嶺防災サービス株式会社 旭川支店" in r.stdout
    shown = json.loads(kyotei("registry", "show", "1", "--json").stdout)
    assert shown["agreement"]["partner"]["name"] == "北嶺防災サービス株式会社 旭川支店"
    [c] = shown["corrections"]
    assert (c["read_value"], c["reason"]) == ("北嶺防災サービス株式会社", "電話で確認")
    file = shown["files"][0]
    assert file["role"] == "original"  # the file's own reading is unchanged
    r = kyotei("registry", "correct", "1", "routing", "x", "--yes")
    assert r.exit_code == 1 and "訂正できる項目ではありません" in r.stderr


def test_staff_correct_the_choices_in_words(kyotei):
    """A choice the reader could not see (circled with a shape, marks that disagree) is set by staff:
    the type as 個別／包括, the fields by name, the axis as a field or 無."""
    kyotei("registry", "add", str(DOCX))
    for field, value in (("agreement_type", "包括連携協定"), ("fields", "環境、子育て、福祉・医療・健康"),
                         ("axis.field", "子育て")):
        r = kyotei("registry", "correct", "1", field, value, "--reason", "原本で確認", "--yes")
        assert r.exit_code == 0, r.stderr
    shown = json.loads(kyotei("registry", "show", "1", "--json").stdout)
    agreement = shown["agreement"]
    assert (agreement["kind"], agreement["subtype"]) == ("comprehensive", "axis")
    assert agreement["fields"] == ["環境", "福祉・医療・健康", "子育て"]  # the form's order
    assert agreement["axis_field"] == "子育て"
    assert [c["value"] for c in shown["corrections"]] == ["comprehensive", "環境、福祉・医療・健康、子育て", "子育て"]
    assert kyotei("registry", "correct", "1", "axis.field", "無", "--yes").exit_code == 0
    agreement = json.loads(kyotei("registry", "show", "1", "--json").stdout)["agreement"]
    assert agreement["axis_field"] is None and agreement["subtype"] != "axis"
    r = kyotei("registry", "correct", "1", "fields", "環境、宇宙開発", "--yes")
    assert r.exit_code == 1 and "宇宙開発" in r.stderr and "分野" in r.stderr
    r = kyotei("registry", "correct", "1", "agreement_type", "たぶん", "--yes")
    assert r.exit_code == 1 and "「個別」か「包括」" in r.stderr


def test_staff_name_the_value_to_correct_as_the_screen_shows_it(kyotei):
    """「連携協定の種別」「電話番号」「主軸分野の有無」 as check and show print them, not only agreement_type;
    what changed is said in the same words (「包括連携協定」, never comprehensive or None)."""
    kyotei("registry", "add", str(DOCX))
    r = kyotei("registry", "correct", "1", "連携協定の種別", "包括", "--yes")
    assert r.exit_code == 0, r.stderr
    assert "協定ID 1 の 連携協定の種別 を訂正しました: 個別連携協定 → 包括連携協定" in r.stdout
    assert kyotei("registry", "correct", "1", "電話番号", "0166-25-6012", "--yes").exit_code == 0
    assert kyotei("registry", "correct", "1", "主軸分野の有無", "無", "--yes").exit_code == 0
    shown = json.loads(kyotei("registry", "show", "1", "--json").stdout)
    assert [c["field"] for c in shown["corrections"]] == ["agreement_type", "contact.phone", "axis.field"]
    assert shown["corrections"][1]["value"] == "0166-25-6012"
    text = kyotei("registry", "show", "1").stdout
    assert "連携協定の種別: 個別連携協定 → 包括連携協定" in text and "comprehensive" not in text
    assert "None" not in text and "agreement_type" not in text
    assert "主軸分野: — → 無" in text and "→ —" not in text   # 無 is said, never 「— → —」
    r = kyotei("registry", "correct", "1", "宇宙", "x", "--yes")
    assert r.exit_code == 1 and "contact.phone（連絡先の電話番号）" in r.stderr
    assert "協定ID 1" not in r.stdout   # refused before the case is shown and a confirmation asked


def test_a_correction_says_what_to_do_next_for_the_verdict_it_leaves(kyotei):
    """After ``correct``: a 要修正 case is sent back to the applicant (or corrected further); a 受付可 one
    goes on to the 検討票 — not the same 'see it with show' line whatever the verdict."""
    kyotei("registry", "add", str(NEEDS_FIX))
    r = kyotei("registry", "correct", "1", "電話番号", "0166-25-6012", "--yes")
    assert r.exit_code == 0, r.stderr
    assert "判定: 要修正" in r.stdout and "不備が残っています" in r.stdout and "修正版を受付フォルダ" in r.stdout
    r = kyotei("registry", "correct", "1", "連携の分野", "観光・魅力発信、環境", "--yes")
    assert r.exit_code == 0, r.stderr
    r = kyotei("registry", "correct", "1", "主軸分野の有無", "無", "--yes")
    assert r.exit_code == 0, r.stderr
    assert "判定: 受付可" in r.stdout and "kyotei registry judge 1" in r.stdout and "不備が残って" not in r.stdout


def test_show_json_gives_stored_moments_in_the_city_zone(kyotei):
    """A row written by a server kept in UTC reads as the same moment in Japan, with +09:00."""
    import sqlite3

    assert kyotei("registry", "add", str(DOCX)).exit_code == 0
    path = json.loads(kyotei("registry", "where", "--json").stdout)["path"]
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE submissions SET recorded_at = '2026-03-31T23:30:00+00:00'")
    conn.close()
    shown = json.loads(kyotei("registry", "show", "1", "--json").stdout)
    assert shown["files"][0]["recorded_at"] == "2026-04-01T08:30:00+09:00"
    assert all(e["recorded_at"].endswith("+09:00") for e in shown["events"])


def test_merging_two_copies_of_one_organisation_says_nothing_about_names(tmp_path, cfg):
    """「㈱ななかまど」 and 「株式会社ななかまど」 are one name; only different names are named to staff."""
    from kyotei_docs.cases.service import merge_warnings

    with open_new(tmp_path) as reg:
        a = cases.intake(cfg, reg, checked(cfg, "株式会社ななかまど"), submission_id="a", sha256="a" * 64)
        one = cases.get(cfg, reg, a.case_id)

    def named(case_id: int, name: str):
        return dataclasses.replace(one, agreement=dataclasses.replace(one.agreement, id=case_id, partner_name=name))

    assert merge_warnings(one, named(2, "㈱ななかまど")) == []
    [warning] = merge_warnings(one, named(3, "株式会社あかしや"))
    assert "協定ID 3（株式会社あかしや）と協定ID 1（株式会社ななかまど）は相手方の名称が違います" in warning
