"""受付 with ``[inbox] pdf = true``: the report comes at once, the drafts' PDFs follow in the background.

Real things: the drop folder's own pass, real LibreOffice where a PDF is made
(``libreoffice``), a real registry; Flask's test client for the pages.  The
background job is held (``pause``) to look at the pages before any PDF exists,
never timed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from inboxkit import stray_temp_files
from kyotei_docs.office import soffice_available
from webkit import count_office_runs, form_bytes, home, make_app, upload  # noqa: F401


@pytest.fixture
def pdf_home(home):
    conf = home / "kyotei.toml"
    conf.write_text(conf.read_text("utf-8").replace("pdf = false", "pdf = true"), encoding="utf-8")
    return home


def _folder(home: Path, company: str = "") -> Path:
    (folder,) = (home / "drop" / "done").glob(f"*/*/*{company}")
    return folder


def _record(folder: Path) -> dict:
    return json.loads((folder / "submission.json").read_text("utf-8"))


def _case_url(page: str, last: bool = False) -> str:
    found = re.findall(r'href="(/case/\d+)"', page)
    assert found, page
    return found[-1 if last else 0]


@pytest.mark.skipif(not soffice_available(), reason="LibreOffice is not installed")
@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_report_comes_first_and_the_pdfs_follow_where_the_drop_folder_puts_them(pdf_home, monkeypatch):
    home = pdf_home
    app = make_app(home)
    jobs = app.extensions["kyotei"].pdf_jobs()
    jobs.pause()  # held: the pages are looked at before any PDF exists
    client = app.test_client()
    r = upload(client, [("提案書.docx", form_bytes(home, "株式会社あとで")),
                        ("別の提案書.docx", form_bytes(home, "株式会社ふたつめ"))])
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and page.count("flag outcome-valid\">受付可") == 2  # one per file (each case says so too)
    assert page.count("PDFを作成しています") == 2 and "Refresh" not in r.headers and 'data-progress="1"' in page
    folder, other = (_folder(home, name) for name in ("株式会社あとで", "株式会社ふたつめ"))
    assert not list(folder.glob("*.pdf"))
    record = _record(folder)
    assert record["pdf_later"] is True and all(not d.endswith(".pdf") for d in record["drafts"])
    assert any(d.endswith(".docx") and (folder / d).is_file() for d in record["drafts"])
    sid = record["id"]
    report = client.get(f"/intake/report/{sid}").get_data(as_text=True)
    assert "PDF はこのあと作成します" in report
    case_url = _case_url(page)
    assert "PDFを作成しています" in client.get(case_url).get_data(as_text=True)

    # the server stops before the job ran: the folder keeps waiting, intact
    jobs.close()
    assert _record(folder)["pdf_later"] is True and not stray_temp_files(home / "drop")

    # the next server makes them when the pages are looked at, both in one LibreOffice batch
    from kyotei_docs.inbox import later

    runs: list[int] = []
    real = later.converter()
    assert real is not None

    def counted(docx, out_dir):  # the real converter, counted
        runs.append(len(docx))
        return real(docx, out_dir)

    monkeypatch.setattr(later, "converter", lambda: counted)
    app2 = make_app(home)
    client2 = app2.test_client()
    jobs2 = app2.extensions["kyotei"].pdf_jobs()
    jobs2.pause()
    assert "PDFを作成しています" in client2.get(case_url).get_data(as_text=True)
    assert "PDFを作成しています" in client2.get(_case_url(page, last=True)).get_data(as_text=True)
    jobs2.resume()
    assert jobs2.wait_idle(240)
    assert runs == [2, 2]  # Form 2 of both, then Form 3 of both (stating the size): two starts, not four
    assert len(list(other.glob("*.pdf"))) == 2 and "pdf_later" not in _record(other)

    record = _record(folder)
    assert "pdf_later" not in record and not record.get("pdf_error")
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 2 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert {p.name for p in pdfs} <= set(record["drafts"])
    form2_pdf = next(p for p in pdfs if "掲載文" not in p.name)
    kb = str(max(1, -(-form2_pdf.stat().st_size // 1024)))
    html = next(folder.glob("*掲載文.html")).read_text("utf-8")
    assert re.search(rf"PDF形式.{kb}キロバイト", html), html  # Form 3 states the PDF's size, as the drop folder does
    import docx

    form3 = "\n".join(p.text for p in docx.Document(str(next(folder.glob("*掲載文.docx")))).paragraphs)
    assert f"{kb}キロバイト" in form3
    assert not any("キロバイト」は空欄" in w for w in record.get("render_warnings") or [])
    report = client2.get(f"/intake/report/{sid}").get_data(as_text=True)
    assert all(p.name in report for p in pdfs) and "このあと作成します" not in report
    assert record.get("case", {}).get("id")  # the case the registry named is still there
    case_page = client2.get(case_url).get_data(as_text=True)
    assert "pdf-status" not in case_page and form2_pdf.name in case_page
    assert not stray_temp_files(home / "drop")


def test_a_failed_conversion_is_said_and_the_docx_drafts_stay(pdf_home, monkeypatch):
    """LibreOffice crashing (a stand-in, as in test_inbox_faults): the pages say it plainly, nothing is lost."""
    from kyotei_docs.inbox import batch, later

    def broken(docx, out_dir):
        raise RuntimeError("soffice crashed (signal 11)")

    monkeypatch.setattr(batch, "converter", lambda: broken)
    monkeypatch.setattr(later, "converter", lambda: broken)
    home = pdf_home
    app = make_app(home)
    jobs = app.extensions["kyotei"].pdf_jobs()
    jobs.pause()
    client = app.test_client()
    r = upload(client, [("提案書.docx", form_bytes(home, "株式会社しっぱい"))])
    page = r.get_data(as_text=True)
    assert "受付可" in page and "PDFを作成しています" in page
    result_url = r.request.full_path
    jobs.resume()
    assert jobs.wait_idle(60)
    r = client.get(result_url)
    page = r.get_data(as_text=True)
    assert "PDFを作成できませんでした" in page and "soffice crashed" in page and "Refresh" not in r.headers
    assert "PDFを作成できませんでした" in client.get(_case_url(page)).get_data(as_text=True)
    folder = _folder(home)
    record = _record(folder)
    assert "soffice crashed" in record["pdf_error"] and "pdf_later" not in record
    assert not list(folder.glob("*.pdf"))
    docx_drafts = [d for d in record["drafts"] if d.endswith(".docx")]
    assert len(docx_drafts) == 2 and all((folder / d).stat().st_size > 0 for d in docx_drafts)
    assert "PDF は作成できませんでした" in (folder / "report.html").read_text("utf-8")
    assert not stray_temp_files(home / "drop")


def test_without_pdfs_configured_nothing_waits(home):
    app = make_app(home)  # [inbox] pdf = false
    client = app.test_client()
    r = upload(client, [("提案書.docx", form_bytes(home, "株式会社なし"))])
    assert "Refresh" not in r.headers and "pdf-status" not in r.get_data(as_text=True)
    assert "pdf_later" not in _record(_folder(home))


def test_a_stop_before_the_pdfs_are_published_leaves_the_folder_waiting_and_clean(pdf_home, monkeypatch):
    """The seam the server's stop uses: converted, but told to stop before publishing — done/ is as it was."""
    from kyotei_docs.config import load_config
    from kyotei_docs.inbox import batch
    from kyotei_docs.inbox.later import make_later_pdfs, pdf_later
    from kyotei_docs.inbox.layout import Layout

    made: list[Path] = []

    def fake(docx, out_dir):  # writes a PDF-looking file per draft, as the batch converter names them
        out_dir.mkdir(parents=True, exist_ok=True)
        out = {}
        for src in docx:
            pdf = out_dir / f"{src.stem}.pdf"
            pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
            out[src] = pdf
            made.append(pdf)
        return out

    monkeypatch.setattr(batch, "converter", lambda: fake)
    home = pdf_home
    app = make_app(home)
    app.extensions["kyotei"].pdf_jobs().pause()
    upload(app.test_client(), [("提案書.docx", form_bytes(home, "株式会社とちゅう"))])
    folder = _folder(home)
    before = sorted((p.name, p.stat().st_size) for p in folder.iterdir())
    cfg = load_config(home / "kyotei.toml")
    assert make_later_pdfs(Layout.at(home / "drop"), folder, cfg, convert=fake, stopping=lambda: True) is None
    assert made  # it did convert
    assert sorted((p.name, p.stat().st_size) for p in folder.iterdir()) == before
    assert pdf_later(folder) and not stray_temp_files(home / "drop")
    outcome = make_later_pdfs(Layout.at(home / "drop"), folder, cfg, convert=fake)
    assert outcome is not None and len(outcome.pdfs) == 2 and not pdf_later(folder)
    assert set(outcome.pdfs) <= set(_record(folder)["drafts"]) and not stray_temp_files(home / "drop")
    assert make_later_pdfs(Layout.at(home / "drop"), folder, cfg, convert=fake) is None  # nothing due twice


def test_a_killed_jobs_private_folder_is_removed_once_stale(tmp_path):
    import os

    from kyotei_docs.inbox.later import remove_stale_stages
    from kyotei_docs.inbox.layout import Layout

    layout = Layout.at(tmp_path)
    layout.work.mkdir(parents=True)
    old = layout.work / "pdf-0a1b2c.kyotei-tmp"
    fresh = layout.work / "pdf-3d4e5f.kyotei-tmp"
    upload_stage = layout.work / "upload-000000.kyotei-tmp"
    submission = layout.work / "20260101-000000-abcd"  # a claimed submission: never ours to remove
    for folder in (old, fresh, upload_stage, submission):
        folder.mkdir()
        (folder / "x.docx").write_bytes(b"x")
    for folder in (old, upload_stage, submission):
        os.utime(folder, (0, 0))
    assert remove_stale_stages(layout) == 1
    assert not old.exists() and fresh.is_dir() and upload_stage.is_dir() and submission.is_dir()


@pytest.mark.libreoffice
@pytest.mark.slow
def test_one_libreoffice_at_a_time_for_the_uploads_pdfs_and_documents_asked_for(pdf_home, monkeypatch):
    """The memory budget (issue 17: the whole tree under 300 MB) holds one LibreOffice: the background
    job making the uploads' PDFs and two 担当 asking for Form 2 as PDF at the same moment take turns
    through the one slot (``web/workload.py``).  Every real LibreOffice run is counted while it lives."""
    import threading

    home = pdf_home
    app = make_app(home, heavy_wait_seconds=600)  # nobody gives up here: each waits for its turn
    jobs = app.extensions["kyotei"].pdf_jobs()
    jobs.pause()
    client = app.test_client()
    upload(client, [("提案書.docx", form_bytes(home, "株式会社じゅんばん")),
                    ("別の提案書.docx", form_bytes(home, "株式会社ふたつめ"))])
    runs = count_office_runs(monkeypatch)
    codes: list[int] = []

    def ask() -> None:
        r = app.test_client().get("/case/1/document/form2.pdf")
        codes.append(r.status_code)
        assert r.data[:5] == b"%PDF-"

    askers = [threading.Thread(target=ask) for _ in range(2)]
    jobs.resume()
    for th in askers:
        th.start()
    for th in askers:
        th.join()
    assert jobs.wait_idle(600)
    assert codes == [200, 200]
    assert len(runs.inputs) >= 4 and runs.most == 1  # the batch's two runs and each request's own, never two at once
    assert len(list(_folder(home, "株式会社じゅんばん").glob("*.pdf"))) == 2


@pytest.mark.libreoffice
@pytest.mark.slow
def test_files_left_waiting_are_read_by_the_screen_and_their_pdfs_follow_in_the_background(pdf_home, monkeypatch):
    """A file queued while another process held the folder (the watcher, then stopped): the result page
    reads it with the drop folder's own pass, and its PDFs are made by the background job as an
    upload's are — the pass itself starts no LibreOffice beside its reader process (issue 17's memory)."""
    from kyotei_docs.inbox.layout import Layout
    from kyotei_docs.inbox.lock import FolderLock

    home = pdf_home
    app = make_app(home)
    jobs = app.extensions["kyotei"].pdf_jobs()
    jobs.pause()
    client = app.test_client()
    upload(client, [("first.docx", form_bytes(home, "株式会社いち"))])  # makes the layout
    with FolderLock(Layout.at(home / "drop").work):
        r = upload(client, [("second.docx", form_bytes(home, "株式会社まつ"))])
        assert "処理待ち" in r.get_data(as_text=True)
        result_url = r.request.full_path
    runs = count_office_runs(monkeypatch)
    page = client.get(result_url).get_data(as_text=True)
    assert "受付可" in page and "PDFを作成しています" in page
    folder = _folder(home, "株式会社まつ")
    assert _record(folder)["pdf_later"] is True and not list(folder.glob("*.pdf")) and runs.inputs == []
    jobs.resume()
    assert jobs.wait_idle(600)
    assert len(list(folder.glob("*.pdf"))) == 2 and "pdf_later" not in _record(folder)
    assert runs.inputs  # made by the background job, through the one slot
