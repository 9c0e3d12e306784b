"""A case's verdict follows what staff do: corrections re-checked, review items closed, copies kept apart.

Real sample files and copies LibreOffice makes of them, real SQLite registries,
the real command line (click's runner: no terminal, so changes need --yes).
Each test walks one transition of issue 15: a correction clears the error it
fixes; an invalid correction is refused; a review item is closed by 照合済み or
by a correction; a copy that reads differently never becomes current; signing
is refused on 要確認 and records nothing when the documents cannot be made.
"""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from conftest import ROOT
from kyotei_docs import cases
from kyotei_docs.pipeline import check_file, check_proposal
from kyotei_docs.proposal import Proposal
from test_registry_helpers import open_new

NO_TYPE = ROOT / "samples" / "08_invalid_no_type_bad_contact.docx"   # 種別 none, phone 0166-25-601, no e-mail
PLACEHOLDER = ROOT / "samples" / "29_review_placeholder_text.docx"   # 要確認: name in a placeholder control
UNKNOWN_MARKS = ROOT / "samples" / "26_review_unknown_mark.docx"    # 要確認 ×3: type, fields, axis unplaced
MARK_CONFLICT = ROOT / "samples" / "28_review_mark_conflict.docx"   # 要確認: the type's marks disagree
DOCX = ROOT / "samples" / "02_typed_glyphs.docx"                     # valid, individual


@pytest.fixture
def kyotei(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KYOTEI_REGISTRY", str(tmp_path / "registry.sqlite3"))
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli_group(), list(args), catch_exceptions=False)

    return run


def cli_group():
    from kyotei_docs.cli import cli

    return cli


def show(kyotei, case: str = "1") -> dict:
    r = kyotei("registry", "show", case, "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def listed(kyotei, *args: str) -> list[dict]:
    return json.loads(kyotei("registry", "list", "--json", *args).stdout)


# ------------------------------------------------------------------------- corrections


def test_correcting_the_type_clears_its_error_and_sign_quotes_only_what_is_left(kyotei):
    assert kyotei("registry", "add", str(NO_TYPE)).exit_code == 0
    before = show(kyotei)
    assert before["verdict"] == "fix" and any("種別" in e for e in before["errors"])

    r = kyotei("registry", "correct", "1", "agreement_type", "個別", "--yes")
    assert r.exit_code == 0 and "判定: 要修正" in r.stdout
    after = show(kyotei)
    assert not any("種別" in e for e in after["errors"])       # the error it fixed is gone
    assert any("電話番号" in e for e in after["errors"])        # the others stand
    text = kyotei("registry", "show", "1").stdout
    assert "選択されていません" not in text and "判定: 要修正" in text

    refused = kyotei("sign", "1", "--date", "2026-06-01", "--yes", "--no-render")
    assert refused.exit_code == 1 and "電話番号" in refused.output and "選択されていません" not in refused.output
    assert show(kyotei)["agreement"]["status"] == "received"     # nothing recorded

    assert kyotei("registry", "correct", "1", "contact.phone", "0166-25-6012", "--yes").exit_code == 0
    assert kyotei("registry", "correct", "1", "contact.email", "nakamura@example.co.jp", "--yes").exit_code == 0
    assert show(kyotei)["verdict"] == "ok" and show(kyotei)["errors"] == []
    assert [c["id"] for c in listed(kyotei, "--verdict", "受付可")] == [1]
    assert kyotei("registry", "judge", "1", "--all-clear", "--yes").exit_code == 0  # judged in a meeting (issue 18)
    signed = kyotei("sign", "1", "--date", "2026-06-01", "--yes", "--no-render")
    assert signed.exit_code == 0, signed.output
    assert show(kyotei)["agreement"]["status"] == "signed"


@pytest.mark.parametrize("field, value, reason", [
    ("contact.email", "abc", "メールアドレスの形式が正しくない"),
    ("contact.phone", "12", "電話番号の形式が正しくない"),
    ("submitted_on", "令和8年2月30日", "日付として正しくない"),
    ("submitted_on", "令和　年　月　日", "日付として正しくない"),
])
def test_an_invalid_correction_is_refused_with_its_reason_and_nothing_recorded(kyotei, field, value, reason):
    assert kyotei("registry", "add", str(NO_TYPE)).exit_code == 0
    r = kyotei("registry", "correct", "1", field, value, "--yes")
    assert r.exit_code == 1 and reason in r.output and "何も変更していません" in r.output
    assert "Traceback" not in r.output
    case = show(kyotei)
    assert case["corrections"] == [] and not any(e["kind"] == "corrected" for e in case["events"])
    # said before the question (no terminal here): staff do not confirm a value only to hear it is wrong
    asked = kyotei("registry", "correct", "1", field, value)
    assert asked.exit_code == 1 and reason in asked.output and "確認が取れなかった" not in asked.output


def test_a_correction_counts_for_the_file_it_corrected_only(tmp_path, cfg):
    """A later file from the organisation replaces the corrections made on the earlier one."""
    with open_new(tmp_path) as reg:
        first = cases.intake(cfg, reg, check_file(NO_TYPE, cfg), submission_id="a", sha256="a" * 64)
        cases.correct(cfg, reg, first.case_id, "agreement_type", "個別", actor="staff")
        assert not any("種別" in e for e in cases.get(cfg, reg, first.case_id).errors)
        with reg.write() as conn:  # the correction names the file that was current
            assert conn.execute("SELECT file FROM corrections").fetchone()[0] == "a" * 64


# ------------------------------------------------------------------------- review items


def test_a_review_item_blocks_signing_until_checked_against_the_original(kyotei):
    assert kyotei("registry", "add", str(PLACEHOLDER)).exit_code == 0
    case = show(kyotei)
    assert case["verdict"] == "review" and case["open_review"] == 1
    assert case["review"][0]["field"] == "organization.name" and case["review"][0]["open"]
    assert [c["id"] for c in listed(kyotei, "--verdict", "要確認")] == [1]
    assert listed(kyotei, "--verdict", "ok") == []
    assert "要確認" in kyotei("registry", "list").stdout

    refused = kyotei("sign", "1", "--date", "2026-06-01", "--yes", "--no-render")
    assert refused.exit_code == 1 and "要確認" in refused.output and "registry confirm 1" in refused.output
    assert show(kyotei)["agreement"]["status"] == "received"

    done = kyotei("registry", "confirm", "1", "1", "--note", "原本の企業名を確認", "--actor", "佐藤", "--yes")
    assert done.exit_code == 0 and "照合済み" in done.stdout and "判定: 受付可" in done.stdout
    item = show(kyotei)["review"][0]
    assert (item["open"], item["closed"], item["actor"], item["note"]) == (False, "confirmed", "佐藤", "原本の企業名を確認")
    text = kyotei("registry", "show", "1").stdout
    assert "原本と照合済み: 佐藤" in text and "原本の企業名を確認" in text
    assert kyotei("registry", "confirm", "1", "1", "--yes").exit_code == 1      # closed already
    assert kyotei("registry", "confirm", "1", "9", "--yes").exit_code == 1      # no such item
    asked = kyotei("registry", "confirm", "1", "9")  # said before the question, not after a 「はい」
    assert asked.exit_code == 1 and "要確認の項目 9 はありません" in asked.output and "確認が取れなかった" not in asked.output
    assert kyotei("registry", "judge", "1", "--all-clear", "--yes").exit_code == 0  # judged in a meeting (issue 18)
    signed = kyotei("sign", "1", "--date", "2026-06-01", "--yes", "--no-render")
    assert signed.exit_code == 0, signed.output


def test_a_correction_closes_the_item_on_its_entry(kyotei):
    assert kyotei("registry", "add", str(MARK_CONFLICT)).exit_code == 0
    assert show(kyotei)["verdict"] == "review"
    assert kyotei("registry", "correct", "1", "agreement_type", "包括", "--yes").exit_code == 0
    case = show(kyotei)
    assert case["review"][0]["closed"] == "corrected" and case["verdict"] == "ok"


def test_what_was_read_stands_once_the_doubt_is_checked(kyotei):
    """照合済み on an entry the reader could not place: the original has no type ticked, so 要修正."""
    assert kyotei("registry", "add", str(UNKNOWN_MARKS)).exit_code == 0
    case = show(kyotei)
    assert case["verdict"] == "review" and case["errors"] == [] and case["open_review"] == 3
    for n in ("1", "2", "3"):
        assert kyotei("registry", "confirm", "1", n, "--yes").exit_code == 0
    case = show(kyotei)
    assert case["verdict"] == "fix" and any("種別" in e for e in case["errors"])


# ------------------------------------------------------------------------- signing


def test_nothing_is_recorded_when_the_documents_cannot_be_made(kyotei):
    """--force on a case whose type is unknown: Form 2 cannot be made, so the signing is not recorded."""
    assert kyotei("registry", "add", str(UNKNOWN_MARKS)).exit_code == 0
    r = kyotei("sign", "1", "--date", "2026-06-01", "--yes", "--force", "--reason", "市長判断", "--no-pdf")
    assert r.exit_code == 1 and "作成できないため、締結を記録しません" in r.output
    case = show(kyotei)
    assert case["agreement"]["status"] == "received" and not any(e["kind"] == "signed" for e in case["events"])
    forced = kyotei("sign", "1", "--date", "2026-06-01", "--yes", "--force", "--reason", "市長判断", "--no-render")
    assert forced.exit_code == 0 and show(kyotei)["agreement"]["status"] == "signed"


# ------------------------------------------------------------------------- copies


def _copy(base: Proposal, fmt: str, **changes) -> Proposal:
    data = base.to_json() | {"file": f"提案書.{fmt}", "format": fmt} | changes
    return Proposal.from_json(data)


def test_a_copy_that_reads_differently_joins_as_possible_and_never_becomes_current(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        read = check_file(DOCX, cfg)
        done = cases.intake(cfg, reg, read, submission_id="d", sha256="d" * 64, file=DOCX.name)
        # the PDF in which the reader found no ticked type (a ☑ drawn one line lower)
        pdf = _copy(read.proposal, "pdf", agreement_type=None)
        pdf.types_ticked = []
        joined = cases.intake(cfg, reg, check_proposal(pdf, cfg), submission_id="p", sha256="p" * 64,
                              file="提案書.pdf")
        assert joined.outcome == "possible" and joined.case_id == done.case_id
        case = cases.get(cfg, reg, done.case_id)
        assert case.current_file is not None and case.current_file.key == "d" * 64
        assert case.agreement.kind == "individual" and case.errors == ()
        assert case.verdict_code == "review"
        [item] = case.open_review
        assert item.field == "agreement_type" and item.message.startswith("PDF「提案書.pdf」では連携協定の種別が読み取れません")

        # staff compare it with the original: the .docx's reading is right, the PDF is a copy
        cases.confirm(cfg, reg, case.id, item.no, note="原本は個別に☑", actor="staff")
        assert cases.get(cfg, reg, case.id).verdict_code == "ok"
        merged = cases.merge(cfg, reg, case.id, actor="staff")
        assert [f.role for f in merged.files] == ["original", "other_format"]
        assert merged.current_file is not None and merged.current_file.key == "d" * 64


def test_a_differing_copy_is_named_by_the_format_staff_know(tmp_path, cfg):
    from kyotei_docs.report import format_label

    assert [format_label(f) for f in ("image", "pdf", "doc", "xls", "rtf", None)] == [
        "画像", "PDF", "Word", "Excel", "RTF", "?"]
    # a phone photo read by OCR said 「IMAGE「写真.jpg」では…」: staff call it 画像, a .docx Word, a .xlsx Excel
    with open_new(tmp_path) as reg:
        read = check_file(DOCX, cfg)
        done = cases.intake(cfg, reg, read, submission_id="d", sha256="d" * 64, file=DOCX.name)
        for n, (fmt, name) in enumerate((("image", "写真.jpg"), ("xlsx", "提案書.xlsx"))):
            copy = _copy(read.proposal, fmt, file=name, agreement_type=None)
            copy.types_ticked = []
            cases.intake(cfg, reg, check_proposal(copy, cfg), submission_id=f"c{n}", sha256=f"{n}" * 64, file=name)
        messages = [i.message for i in cases.get(cfg, reg, done.case_id).open_review]
        assert any(m.startswith("画像「写真.jpg」では連携協定の種別が読み取れません") for m in messages), messages
        assert any(m.startswith("Excel「提案書.xlsx」では") for m in messages), messages
        assert not any("IMAGE" in m or "XLSX" in m for m in messages), messages


def test_a_copy_with_both_types_marked_is_not_another_format(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        read = check_file(DOCX, cfg)
        cases.intake(cfg, reg, read, submission_id="d", sha256="d" * 64)
        both = _copy(read.proposal, "pdf", agreement_type=None)
        both.types_ticked = ["individual", "comprehensive"]
        checked = check_proposal(both, cfg)
        assert not checked.valid
        joined = cases.intake(cfg, reg, checked, submission_id="b", sha256="b" * 64)
        assert joined.outcome == "possible"
        case = cases.get(cfg, reg, joined.case_id)
        assert case.current_file is not None and case.current_file.key == "d" * 64 and case.verdict_code == "review"


def test_a_possible_file_confirmed_with_differences_open_becomes_current(tmp_path, cfg):
    """Staff confirm the file is the newer version: it becomes current and its own reading speaks."""
    with open_new(tmp_path) as reg:
        read = check_file(DOCX, cfg)
        done = cases.intake(cfg, reg, read, submission_id="d", sha256="d" * 64)
        newer = _copy(read.proposal, "docx", purpose="避難所の運営と備蓄品の管理について協力体制を構築するため。")
        assert cases.intake(cfg, reg, check_proposal(newer, cfg), submission_id="n", sha256="n" * 64).outcome == \
            "possible"
        merged = cases.merge(cfg, reg, done.case_id, actor="staff")
        assert merged.current_file is not None and merged.current_file.key == "n" * 64
        assert merged.agreement.proposal["purpose"].startswith("避難所の運営") and merged.verdict_code == "ok"


@pytest.mark.libreoffice
def test_format_copies_of_one_text_join_as_other_format(kyotei, tmp_path):
    """.doc, an .rtf saved from that .doc, .odt and .pdf made by LibreOffice from one .docx: copies."""
    from pdfbuild import docx_to

    work = tmp_path / "copies"
    work.mkdir()
    src = work / "提案書.docx"
    shutil.copyfile(DOCX, src)
    # LibreOffice's own copies, made once per worker for each content and target (pdfbuild.docx_to)
    doc = docx_to(src, "doc", work / "doc")
    rtf = docx_to(doc, "rtf", work / "rtf")  # an exact-text .rtf copy of the .doc
    copies = [doc, rtf, docx_to(src, "odt", work / "odt"), docx_to(src, "pdf", work / "pdf")]
    assert kyotei("registry", "add", str(src)).exit_code == 0
    for copy in copies:
        r = kyotei("registry", "add", str(copy))
        assert r.exit_code == 0 and "別形式として協定ID 1" in r.stdout, (copy.name, r.output)
    case = show(kyotei)
    assert [f["role"] for f in case["files"]] == ["original"] + ["other_format"] * 4
    assert case["verdict"] == "ok" and len(listed(kyotei)) == 1


def test_the_verdict_follows_the_configuration_it_is_judged_under(tmp_path, cfg):
    """Remembered verdicts are keyed by what they were judged from: a city that switches a rule off
    sees the case without that error at once, and the first configuration still gets its own answer."""
    import dataclasses

    with open_new(tmp_path) as reg:
        done = cases.intake(cfg, reg, check_file(NO_TYPE, cfg), submission_id="a", sha256="a" * 64)
        assert any("電話番号" in e for e in cases.get(cfg, reg, done.case_id).errors)
        lenient = dataclasses.replace(cfg, disabled_rules=cfg.disabled_rules | {"invalid_phone"})
        assert not any("電話番号" in e for e in cases.get(lenient, reg, done.case_id).errors)
        assert any("電話番号" in e for e in cases.get(cfg, reg, done.case_id).errors)


def test_several_doubts_on_one_entry_are_each_an_item(tmp_path, cfg):
    """Marks that disagree on three lines of 連携の分野: three items, each closed on its own."""
    from kyotei_docs.pipeline import CheckResult
    from kyotei_docs.rules import Finding

    read = check_file(DOCX, cfg)
    doubts = [Finding("review_mark_conflict", "fields", f"「連携の分野」の印が食い違っています（{n}行目）", "review")
              for n in (1, 2, 3)]
    with open_new(tmp_path) as reg:
        done = cases.intake(cfg, reg, CheckResult(read.proposal, [], [], read.routing, doubts),
                            submission_id="m", sha256="m" * 64)
        case = cases.get(cfg, reg, done.case_id)
        assert [i.key for i in case.open_review] == [
            "review_mark_conflict:fields", "review_mark_conflict:fields#2", "review_mark_conflict:fields#3"]
        after = cases.confirm(cfg, reg, case.id, 2, actor="staff")
        assert [i.no for i in after.open_review] == [1, 3] and after.verdict_code == "review"


def test_review_items_and_errors_are_said_in_the_language_they_are_shown_in(kyotei):
    """A case read in Japanese shows its review items (and the errors kept as read) in English with --lang en."""
    assert kyotei("registry", "add", str(UNKNOWN_MARKS)).exit_code == 0
    ja = [i["message"] for i in show(kyotei)["review"]]
    assert ja[0].startswith("「連携協定の種別」の後に、値として読み取れなかった記載があります。") and "読み取り「（なし）」" in ja[0]
    r = kyotei("--lang", "en", "registry", "show", "1", "--json")
    en = [i["message"] for i in json.loads(r.stdout)["review"]]
    assert len(en) == len(ja) == 3
    assert en[0].startswith("Text after 「agreement type」 could not be placed as its value.")
    assert "Original: 「個別連携協定 ◎包括連携協定」 / read: 「(nothing)」" in en[0]  # the original quoted as written
    assert not any("値として" in m for m in en)
    assert "To review" in kyotei("--lang", "en", "registry", "show", "1").stdout


def test_review_items_recorded_before_their_parameters_were_kept_show_their_stored_text(kyotei, tmp_path):
    """Old rows (findings without parameters) still display, as they were stored."""
    import sqlite3

    assert kyotei("registry", "add", str(MARK_CONFLICT)).exit_code == 0
    with sqlite3.connect(tmp_path / "registry.sqlite3") as db:
        (text,) = db.execute("SELECT findings FROM submissions").fetchone()
        old = json.loads(text)
        for item in old["review"]:
            assert "params" in item
            del item["params"]
            item["message"] = "古い形式の要確認の文"
        db.execute("UPDATE submissions SET findings = ?", (json.dumps(old, ensure_ascii=False),))
    r = kyotei("--lang", "en", "registry", "show", "1", "--json")
    assert [i["message"] for i in json.loads(r.stdout)["review"]] == ["古い形式の要確認の文"]


def test_an_error_kept_as_read_is_said_in_english_too():
    """A rule's finding stored with its parameters (the entry's name among them) is said again in English."""
    from kyotei_docs.review import said

    stored = {"code": "missing_required", "field": "contact.email", "message": "連絡先のメールアドレスが記入されていません。",
              "params": {"label": "連絡先のメールアドレス"}}
    assert said(stored) == stored["message"]
    from kyotei_docs.i18n import set_lang

    set_lang("en")
    try:
        assert "contact e-mail" in said(stored) and "メール" not in said(stored)
    finally:
        set_lang("ja")


@pytest.mark.parametrize("field, value, shown", [
    ("企業等名称", "株式会社みちしるべ交通安全", "株式会社みちしるべ交通安全"),
    ("連絡先のメールアドレス", "", "—"),
    ("連携の分野", "安全・交通", "安全・交通"),
    ("主軸分野", "", "無"),
])
def test_a_correction_to_the_value_the_case_holds_records_nothing(kyotei, field, value, shown):
    """「A → A」 is no correction: said before the question, nothing recorded, the review item's way named."""
    assert kyotei("registry", "add", str(NO_TYPE)).exit_code == 0
    r = kyotei("registry", "correct", "1", field, value)  # no --yes: refused before asking
    if field == "主軸分野":  # nothing read for the axis: 無 is a change (「（なし）→ 無」), recorded
        r = kyotei("registry", "correct", "1", field, value, "--yes")
        assert r.exit_code == 0 and len(show(kyotei)["corrections"]) == 1
        r = kyotei("registry", "correct", "1", field, value, "--yes")
        assert r.exit_code == 1 and f"は既に「{shown}」です（何も変更していません）" in r.output
        assert len(show(kyotei)["corrections"]) == 1
        return
    assert r.exit_code == 1 and f"は既に「{shown}」です（何も変更していません）" in r.output, r.output
    assert "kyotei registry confirm 1" in r.output and "確認が取れなかった" not in r.output
    case = show(kyotei)
    assert case["corrections"] == [] and not any(e["kind"] == "corrected" for e in case["events"])


def test_the_text_for_sonota_can_be_corrected(tmp_path, cfg):
    """その他 ticked with its text left blank (要修正): staff who hear the text from the applicant correct it."""
    from test_registry_helpers import make_proposal

    p = make_proposal(fields=("福祉・医療・健康", "子育て", "その他"))
    with open_new(tmp_path) as reg:
        first = cases.intake(cfg, reg, check_proposal(p, cfg), submission_id="a", sha256="a" * 64)
        before = cases.get(cfg, reg, first.case_id)
        assert any("その他" in e for e in before.errors), before.errors
        after = cases.correct(cfg, reg, first.case_id, "その他の分野の内容", "地域の防犯", actor="staff")
        assert not any("その他" in e for e in after.errors) and after.verdict_code != "fix"
