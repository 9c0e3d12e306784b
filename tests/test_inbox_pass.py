"""One pass over a real folder with a real journal: outputs, routing, errors, duplicates, names."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from docxbuild import make_docx, p
from inboxkit import cfg, drop, journal, one_pass, root, sha, stray_temp_files, submission_folders, write_form  # noqa: F401  (fixtures)
from kyotei_docs.inbox.journal import Journal
from kyotei_docs.inbox.layout import FolderUnavailable, Layout
from kyotei_docs.pipeline import check_file, read_proposal


def test_first_run_creates_the_layout_and_a_readme(root, journal):
    summary = one_pass(root, journal)
    assert summary.processed == 0
    for name in ("inbox", ".work", "done", "error", "duplicate"):
        assert (root / name).is_dir()
    readme = (root / "はじめにお読みください.txt").read_bytes()
    assert readme.startswith(b"\xef\xbb\xbf") and b"\r\n" in readme  # Notepad-friendly
    assert "inbox" in readme.decode("utf-8-sig") and "要修正" in readme.decode("utf-8-sig")
    # it named only 「Word .docx」: every format the readers take is named, and what 要確認 asks
    from kyotei_docs.readers import READERS

    text = readme.decode("utf-8-sig")
    named = {"docx": ".docx", "doc": ".doc", "xlsx": ".xlsx", "xls": ".xls", "pdf": "PDF", "odt": ".odt",
             "rtf": ".rtf", "image": ".jpg"}
    assert set(READERS) <= set(named) and all(named[f] in text for f in READERS), text
    assert "要確認" in text


def test_files_present_at_start_up_are_processed_with_every_output(root, journal, tmp_path):
    src = write_form(tmp_path / "src" / "提案書.docx", "株式会社ななかまど")
    original = src.read_bytes()
    drop(root, "提案書.docx", original)
    summary = one_pass(root, journal)
    assert [f.outcome for f in summary.finished] == ["valid"]
    (folder,) = submission_folders(root)["done"]
    assert folder.parent.parent.parent == root / "done"
    assert folder.name.endswith("_株式会社ななかまど")
    assert (folder / "提案書.docx").read_bytes() == original  # byte-identical
    assert json.loads((folder / "proposal.json").read_text("utf-8")) == \
        json.loads(json.dumps(read_proposal(src).to_json(), ensure_ascii=False)) | {"file": "提案書.docx"}
    check = json.loads((folder / "check.json").read_text("utf-8"))
    expected = check_file(src, cfg()).to_json()
    assert check["valid"] is True and check["routing"] == expected["routing"]
    record = json.loads((folder / "submission.json").read_text("utf-8"))
    assert record["status"] == "valid" and record["status_label"] == "受付可"
    assert record["sha256"] == sha(src) and record["id"] == folder.name.split("_")[0]
    html = (folder / "report.html").read_text("utf-8")
    assert "受付可" in html and expected["routing"]["department"] in html and "<script" not in html
    from datetime import date

    from kyotei_docs.era import format_both

    submitted = date.fromisoformat(expected["proposal"]["submitted_on"])
    assert f"<td>{format_both(submitted)}</td>" in html  # 記入内容's 提出日 as staff read dates: 令和…（2026/…）
    assert submitted.isoformat() not in html
    assert not (folder / "要修正.txt").exists()
    assert not list((root / "inbox").iterdir()) and not list(p for p in (root / ".work").iterdir() if p.is_dir())
    assert not stray_temp_files(root)


def test_drafts_are_written_for_valid_proposals(root, journal, tmp_path):
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社ドラフト").read_bytes())
    one_pass(root, journal)
    (folder,) = submission_folders(root)["done"]
    docx = sorted(f.name for f in folder.glob("*.docx") if f.name != "a.docx")
    assert len(docx) == 2 and all(n.startswith("株式会社ドラフト_") for n in docx)
    record = json.loads((folder / "submission.json").read_text("utf-8"))
    assert set(docx) <= set(record["drafts"])
    html = (folder / "report.html").read_text("utf-8")
    assert all(n in html for n in docx)


def test_a_warning_of_the_check_is_reported_once_not_again_as_a_note_on_the_drafts(root, journal):
    """A scan read by OCR said 「スキャン画像を文字認識…」 three times in its report: as 要確認, under 注意 and
    again under 下書きの注意 (the render repeats the check's warnings for kyotei render alone)."""
    heisei = Path(__file__).resolve().parent.parent / "samples" / "11_heisei_individual_two_fields.docx"
    drop(root, heisei.name, heisei.read_bytes())
    one_pass(root, journal)
    (folder,) = submission_folders(root)["done"]
    html = (folder / "report.html").read_text("utf-8")
    assert html.count("平成の終了") == 1, html
    record = json.loads((folder / "submission.json").read_text("utf-8"))
    assert record["drafts"] and not any("平成" in w for w in record["render_warnings"])
    assert any("締結日が未定" in w for w in record["render_warnings"])  # what concerns the drafts stays


def test_invalid_proposal_lands_in_done_marked_youshuusei(root, journal, tmp_path):
    drop(root, "b.docx", write_form(tmp_path / "b.docx", "株式会社ふぞろい", valid=False).read_bytes())
    summary = one_pass(root, journal)
    assert [f.outcome for f in summary.finished] == ["invalid"]
    (folder,) = submission_folders(root)["done"]
    marker = (folder / "要修正.txt").read_text("utf-8-sig")
    assert "不備" in marker and "２つ以上" in marker and "report.html" in marker
    record = json.loads((folder / "submission.json").read_text("utf-8"))
    assert record["status"] == "invalid" and record["status_label"] == "要修正" and record["errors"] == 2
    assert record["drafts"] == []
    html = (folder / "report.html").read_text("utf-8")
    assert "要修正" in html and "２つ以上" in html
    assert not submission_folders(root)["error"]


def _zip_with(src: Path, dst: Path, transform) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, transform(item.filename, zin.read(item)))
    return dst


@pytest.mark.libreoffice
@pytest.mark.slow
def test_unreadable_and_hostile_files_go_to_error_with_a_reason(root, journal, tmp_path):
    good = write_form(tmp_path / "good.docx")
    bomb = _zip_with(good, tmp_path / "bomb.docx", lambda n, d: d.replace(b"</w:body>", b" " * (30 << 20) + b"</w:body>")
                     if n == "word/document.xml" else d)
    xxe = _zip_with(good, tmp_path / "xxe.docx", lambda n, d: d.replace(
        b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
        if n == "word/document.xml" else d)
    files = {
        "メモ.txt": b"just some text",
        "空.docx": b"",
        "途中まで.docx": good.read_bytes()[:1500],
        "bomb.docx": bomb.read_bytes(),
        "xxe.docx": xxe.read_bytes(),
        "letter.docx": make_docx(p("拝啓"), tmp_path / "letter.docx").read_bytes(),
        "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "WordDocument".encode("utf-16-le") + b"\0" * 600,
    }
    for name, data in files.items():
        drop(root, name, data)
    summary = one_pass(root, journal, grace=0.0)
    assert sorted(f.outcome for f in summary.finished) == ["unreadable"] * len(files)
    folders = submission_folders(root)["error"]
    assert len(folders) == len(files)
    for folder in folders:
        originals = [f for f in folder.iterdir() if f.name not in ("理由.txt", "submission.json")]
        assert len(originals) == 1 and originals[0].read_bytes() == files[originals[0].name]
        reason = (folder / "理由.txt").read_text("utf-8-sig")
        assert "理由:" in reason and "送り直し" in reason
        assert not (folder / "proposal.json").exists()
        record = json.loads((folder / "submission.json").read_text("utf-8"))
        assert record["status"] == "unreadable" and record["reason"]["message"] in reason
    codes = {json.loads((f / "submission.json").read_text("utf-8"))["original"]:
             json.loads((f / "submission.json").read_text("utf-8"))["reason"]["code"] for f in folders}
    assert codes["空.docx"] == "empty" and codes["bomb.docx"] == "zip_bomb" and codes["xxe.docx"] == "xml_forbidden"
    assert codes["old.doc"].startswith("legacy_") and codes["letter.docx"] == "not_form1"
    assert codes["途中まで.docx"] in ("truncated_zip", "not_zip")


def test_the_same_bytes_twice_are_a_duplicate_not_processed_again(root, journal, tmp_path):
    data = write_form(tmp_path / "x.docx", "株式会社にじゅう").read_bytes()
    drop(root, "提案書.docx", data)
    drop(root, "提案書 - コピー.docx", data)  # two copies in one pass
    s1 = one_pass(root, journal)
    assert sorted(f.outcome for f in s1.finished) == ["duplicate", "valid"]
    drop(root, "再送.docx", data)  # and again later
    s2 = one_pass(root, journal)
    assert [f.outcome for f in s2.finished] == ["duplicate"]
    areas = submission_folders(root)
    assert len(areas["done"]) == 1 and len(areas["duplicate"]) == 2
    first_id = areas["done"][0].name.split("_")[0]
    for folder in areas["duplicate"]:
        note = (folder / "重複.txt").read_text("utf-8-sig")
        assert first_id in note and "SHA-256" in note
        kept = [f for f in folder.iterdir() if f.suffix == ".docx"]
        assert len(kept) == 1 and kept[0].read_bytes() == data  # never deleted
        record = json.loads((folder / "submission.json").read_text("utf-8"))
        assert record["duplicate_of"]["id"] == first_id
        # also the copy met in the same pass points to the first file's folder, not 「処理中」
        first_folder = areas["done"][0].relative_to(root).as_posix()
        assert record["duplicate_of"]["folder"] == first_folder and first_folder in note


def test_journal_is_sqlite_wal_with_one_row_per_submission(root, journal, tmp_path):
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社エー").read_bytes())
    drop(root, "b.txt", b"nope")
    one_pass(root, journal)
    db = sqlite3.connect(journal)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = db.execute("SELECT name, sha256, state, outcome, attempts FROM submissions ORDER BY name").fetchall()
    assert [(r[0], r[2], r[3]) for r in rows] == [("a.docx", "done", "valid"), ("b.txt", "error", "unreadable")]
    assert all(len(r[1]) == 64 for r in rows)
    steps = [s for (s,) in db.execute("SELECT step FROM steps WHERE submission = (SELECT id FROM submissions"
                                      " WHERE name = 'a.docx') ORDER BY seq")]
    assert steps[:3] == ["claimed", "hashed", "parsed"] and steps[3:5] == ["finishing", "done"]
    j = Journal(journal, root)
    assert j.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    j.close()


def test_a_lost_journal_is_rebuilt_from_the_folders(root, journal, tmp_path):
    data = write_form(tmp_path / "a.docx", "株式会社きおく").read_bytes()
    drop(root, "a.docx", data)
    one_pass(root, journal)
    for f in journal.parent.glob("journal.sqlite3*"):
        f.unlink()
    drop(root, "again.docx", data)
    summary = one_pass(root, journal)  # new journal, same folder
    assert [f.outcome for f in summary.finished] == ["duplicate"]


@pytest.mark.parametrize("company", [
    "../../../etc/株式会社", "株式会社Ａ／Ｂ＼Ｃ", "CON", "ＣＯＮ", "株式会社" + "長" * 300, "株式会社...",
    "株式会社<script>alert(1)</script>", "\u202e株式会社",
])
def test_output_names_stay_inside_the_folder(root, journal, tmp_path, company):
    drop(root, "form.docx", write_form(tmp_path / "f.docx", company).read_bytes())
    summary = one_pass(root, journal)
    (fin,) = summary.finished
    dest = fin.dest
    assert dest.resolve().parent.parent.parent == (root / "done").resolve()
    name = dest.name
    assert "/" not in name and "\\" not in name and len(name.encode("utf-8")) <= 120
    assert not name.endswith((".", " ")) and name.split("_", 1)[1].upper() != "CON"
    for f in dest.iterdir():
        assert f.resolve().parent == dest.resolve() and len(f.name.encode("utf-8")) <= 255
    html = (dest / "report.html").read_text("utf-8")
    assert "<script>alert" not in html


@pytest.mark.parametrize("dropped", ["CON.docx", "report.html", "submission.json", "理由.txt",
                                     "あ" * 80 + ".docx", 'a:b?"c.docx', "x.kyotei-tmp.docx",
                                     __import__("os").fsdecode(b"\xff\xfe_sjis.docx")])
def test_odd_original_names_are_kept_safe_and_never_overwritten(root, journal, tmp_path, dropped):
    data = write_form(tmp_path / "f.docx", "株式会社なまえ").read_bytes()
    drop(root, dropped, data)
    one_pass(root, journal)
    (folder,) = submission_folders(root)["done"]
    record = json.loads((folder / "submission.json").read_text("utf-8"))
    assert (folder / record["original"]).read_bytes() == data
    assert record["dropped_as"] == dropped.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    assert json.loads((folder / "check.json").read_text("utf-8"))["valid"] is True  # outputs intact


def test_a_folder_that_was_used_before_is_not_recreated_on_a_bare_mount_point(root, journal):
    one_pass(root, journal)  # first run: layout made
    (root / ".work").rmdir()
    for name in ("inbox", "done", "error", "duplicate"):
        (root / name).rmdir()
    with Journal(journal, root) as j:
        j.add("20260101-000000-0000", "x", "x", 1, __import__("datetime").datetime.now().astimezone())
    with pytest.raises(FolderUnavailable) as info:
        one_pass(root, journal)
    assert "--init" in info.value.message
    assert not (root / "inbox").exists()
    one_pass(root, journal, init=True)
    assert (root / "inbox").is_dir()


def test_a_missing_folder_is_unavailable(tmp_path, journal):
    with pytest.raises(FolderUnavailable) as info:
        one_pass(tmp_path / "not-mounted", journal)
    assert "見つかりません" in info.value.message
    assert not (tmp_path / "not-mounted").exists()


def test_layout_destinations():
    from datetime import datetime

    layout = Layout.at("/srv/kyotei")
    when = datetime(2026, 4, 1, 9, 30)
    assert layout.done_dir("20260401-093000-abcd", "株式会社Ｘ", when).as_posix() == \
        "/srv/kyotei/done/2026/04/20260401-093000-abcd_株式会社Ｘ"
    assert layout.error_dir("id", "../x.docx").parent == layout.error
    assert layout.done_dir("id", None, when).name == "id_名称不明"


def test_a_name_with_the_temporary_mark_is_not_mistaken_for_a_temporary_file(root, journal, tmp_path):
    """Recovery removes *.kyotei-tmp files from .work: a submission must never carry that mark."""
    from kyotei_docs.inbox.claim import adopt, claim

    data = write_form(tmp_path / "f.docx", "株式会社しるし").read_bytes()
    path = drop(root, "a.kyotei-tmp", data)
    (root / ".work").mkdir()
    claimed = claim(root / ".work", path)
    assert claimed is not None and "kyotei-tmp" not in claimed.original
    adopted = adopt(claimed.folder)
    assert adopted is not None and adopted.original == claimed.original  # a restart keeps it
    assert (claimed.folder / claimed.original).read_bytes() == data


def test_a_claim_left_without_its_record_is_received_at_the_city_time_its_id_names(root, tmp_path, server_in_utc):
    """A crash between the claiming rename and submission.json: the id (city time) gives the moment."""
    from kyotei_docs.inbox.claim import adopt

    folder = root / ".work" / "20260401-083000-ab12"
    folder.mkdir(parents=True)
    write_form(folder / "a.docx", "株式会社ふっき")
    adopted = adopt(folder)
    assert adopted is not None and adopted.original == "a.docx"
    assert adopted.received.isoformat() == "2026-04-01T08:30:00+09:00"  # not 08:30 on the server's clock


def test_a_move_the_journal_did_not_hear_of_is_found_in_the_folders(root, journal, tmp_path):
    """A power cut can undo the journal's last transactions after the folder was moved to done/."""
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社ていでん").read_bytes())
    one_pass(root, journal)
    (folder,) = submission_folders(root)["done"]
    db = sqlite3.connect(journal)
    db.execute("UPDATE submissions SET state = 'claimed', dest = NULL, outcome = NULL")
    db.commit()
    db.close()
    one_pass(root, journal)
    db = sqlite3.connect(journal)
    state, outcome, dest = db.execute("SELECT state, outcome, dest FROM submissions").fetchone()
    assert (state, outcome) == ("done", "valid") and root / dest == folder
    assert len(submission_folders(root)["done"]) == 1


def test_pdfs_are_read_in_worker_processes(root, journal):
    """Workers read PDFs in limited children of their own (the sandbox); a worker must be
    allowed to have them.  A text-layer PDF and a filled fillable PDF, two workers."""
    samples = Path(__file__).resolve().parent.parent / "samples"
    names = ["12_pdf_typed_glyphs.pdf", "16_fillable_pdf.pdf"]
    for name in names:
        drop(root, name, (samples / name).read_bytes())
    summary = one_pass(root, journal, workers=2)
    assert sorted(f.outcome for f in summary.finished) == ["valid", "valid"]
    folders = submission_folders(root)["done"]
    assert len(folders) == 2 and not submission_folders(root)["error"]
    for folder in folders:
        proposal = json.loads((folder / "proposal.json").read_text("utf-8"))
        assert proposal["format"] == "pdf" and proposal["file"] in names
        assert (folder / proposal["file"]).read_bytes() == (samples / proposal["file"]).read_bytes()


SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _case_of(folder: Path) -> dict:
    return json.loads((folder / "submission.json").read_text("utf-8"))["case"]


def test_a_docx_and_its_pdf_in_one_pass_name_one_case_and_the_role(root, journal):
    """The PDF copy's folder says which case it joined and that it is the same proposal in another format."""
    from kyotei_docs.commands.inbox import summary_text

    docx, pdf = "02_typed_glyphs.docx", "12_pdf_typed_glyphs.pdf"  # 北嶺防災サービス株式会社, the same proposal
    for name in (docx, pdf):
        drop(root, name, (SAMPLES / name).read_bytes())
    summary = one_pass(root, journal, workers=2)
    assert sorted(f.outcome for f in summary.finished) == ["valid", "valid"]
    by_role = {_case_of(f.dest)["role"]: f for f in summary.finished}
    assert set(by_role) == {"original", "other_format"}
    first, second = by_role["original"], by_role["other_format"]
    note = _case_of(second.dest)
    assert note["id"] == _case_of(first.dest)["id"] and "北嶺防災サービス" in note["organisation"]
    assert note["role_label"] == "同じ提案書の別形式"
    html = (second.dest / "report.html").read_text("utf-8")
    assert "案件（協定登録簿）" in html and f"<td>{note['id']}</td>" in html and "同じ提案書の別形式" in html
    assert "新しい案件" in (first.dest / "report.html").read_text("utf-8")
    db = sqlite3.connect(journal.parent / "registry.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM agreements").fetchone()[0] == 1
    text = summary_text(Layout.at(root), summary)
    assert f"{second.name} → 協定ID {note['id']}（{note['organisation']}）: 同じ提案書の別形式" in text
    assert first.name + " →" not in text  # a new case is not listed as joining one


def test_a_correction_after_youshuusei_is_named_a_correction_of_that_case(root, journal):
    """samples/30 corrects samples/07 (要修正): dropped later, its folder names the case and the role."""
    drop(root, "07.docx", (SAMPLES / "07_invalid_one_field_no_axis.docx").read_bytes())
    [first] = one_pass(root, journal).finished
    assert first.outcome == "invalid" and first.case is not None and first.case.new
    drop(root, "30.docx", (SAMPLES / "30_corrected_07_resubmission.docx").read_bytes())
    [second] = one_pass(root, journal).finished
    note = _case_of(second.dest)
    assert (note["id"], note["role"]) == (first.case.id, "correction")
    assert second.case is not None and second.case.role == "correction"
    html = (second.dest / "report.html").read_text("utf-8")
    assert "修正版" in html and "現在の提案書" in html


def test_a_youshuusei_corrected_in_the_same_pass_says_so_in_the_summary(root, journal):
    """07 (要修正) and its correction 30 dropped together: the summary listed 07 under 「提案者に修正を依頼
    してください」 with nothing to say the correction had come in after it."""
    from kyotei_docs.commands.inbox import summary_text
    from kyotei_docs.inbox.layout import Layout

    drop(root, "07.docx", (SAMPLES / "07_invalid_one_field_no_axis.docx").read_bytes())
    drop(root, "30.docx", (SAMPLES / "30_corrected_07_resubmission.docx").read_bytes())
    summary = one_pass(root, journal)
    by_name = {f.name: f for f in summary.finished}
    assert [f.name for f in summary.finished] == ["07.docx", "30.docx"]  # ready files are taken by name
    text = summary_text(Layout.at(root), summary)
    case = by_name["07.docx"].case
    assert case is not None
    case_id = case.id
    line = next(ln for ln in text.splitlines() if "07_invalid" in ln or by_name["07.docx"].dest.name in ln)
    assert f"その後に修正版 30.docx を受け付けました。協定ID {case_id} の判定は kyotei registry show {case_id}" in line


def test_the_case_is_named_in_english_with_lang_en(root, journal):
    from kyotei_docs.i18n import set_lang

    drop(root, "07.docx", (SAMPLES / "07_invalid_one_field_no_axis.docx").read_bytes())
    set_lang("en")
    try:
        [fin] = one_pass(root, journal).finished
    finally:
        set_lang("ja")
    note = _case_of(fin.dest)
    assert note["role_label"] == "a new case (its first file)"
    assert "Case (registry)" in (fin.dest / "report.html").read_text("utf-8")


def test_possibly_the_same_case_asks_staff_to_merge_or_split_and_is_escaped():
    from kyotei_docs.inbox.casenote import CaseNote, summary_lines
    from kyotei_docs.inbox.report import ReportInput, report_html

    note = CaseNote(7, "<b>株式会社</b>", "possible", "提案書<v2>.pdf")
    html = report_html(ReportInput("s1", "2026-04-01 08:30:00", "x.pdf", None, {"valid": True}, case=note))
    assert "kyotei registry merge 7" in html and "kyotei registry split 7 &quot;提案書&lt;v2&gt;.pdf&quot;" in html
    assert "<b>" not in html and "同一案件の可能性" in html
    lines = summary_lines([("x.pdf", note)])
    assert "x.pdf → 協定ID 7（<b>株式会社</b>）: 同一案件の可能性（職員の確認が必要）" in lines[1]
    assert "kyotei registry merge" in lines[-1]


def test_received_is_the_citys_time_whatever_the_servers_zone(root, journal, tmp_path, monkeypatch, server_in_utc):
    """23:30 UTC on 31 March is 08:30 on 1 April in Japan: the id, done/2026/04 and 受付日時 say so."""
    monkeypatch.setenv("KYOTEI_NOW", "2026-03-31T23:30:00+00:00")
    drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社朝一番").read_bytes())
    [fin] = one_pass(root, journal).finished
    assert fin.sid.startswith("20260401-083000") and fin.dest.parent == root / "done" / "2026" / "04"
    record = json.loads((fin.dest / "submission.json").read_text("utf-8"))
    assert record["received_at"] == "2026-04-01T08:30:00+09:00"
    assert "2026-04-01 08:30:00" in (fin.dest / "report.html").read_text("utf-8")
    # stored times carry the city's offset too, whatever the server's zone (TZ=UTC here)
    assert record["finished_at"] == "2026-04-01T08:30:00+09:00"
    db = sqlite3.connect(journal.parent / "registry.sqlite3")
    assert db.execute("SELECT created_at FROM agreements").fetchall() == [("2026-04-01T08:30:00+09:00",)]
    assert db.execute("SELECT recorded_at FROM submissions").fetchall() == [("2026-04-01T08:30:00+09:00",)]
    db.close()


def test_an_upload_is_found_by_moment_whatever_zone_since_is_written_in(root, journal, tmp_path, monkeypatch):
    """Received 08:30 in Japan (+09:00); the screen's ``since`` may be in the server's zone (UTC)."""
    from kyotei_docs.inbox.upload import find_by_sha

    monkeypatch.setenv("KYOTEI_NOW", "2026-03-31T23:30:00+00:00")
    path = drop(root, "a.docx", write_form(tmp_path / "a.docx", "株式会社時差").read_bytes())
    digest = sha(path)
    [fin] = one_pass(root, journal).finished
    layout = Layout.at(root)
    found = find_by_sha(layout, journal, digest, "2026-03-31T23:29:58+00:00")
    assert found is not None and found.sid == fin.sid
    assert find_by_sha(layout, journal, digest, "2026-03-31T23:30:05+00:00") is None  # an earlier copy
