"""Hostile and damaged files on every path that opens a zip or reads a submission.

Bombs are built here: zip entries of compressed zeros, a few hundred KB on
disk, hundreds of MB inflated.  Memory is asserted with tracemalloc (what
Python allocated), never with timings.
"""

from __future__ import annotations

import re
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import run_cli
from docxbuild import make_docx
from formbody import form
from hostile import ZEROS_MB, ZerosDeflater, zero_entry
from kyotei_docs.config import ConfigError, load_config
from kyotei_docs.errors import UnreadableError
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.limits import Limits
from kyotei_docs.pipeline import read_proposal
from kyotei_docs.readers import read_form
from kyotei_docs.readers.options import reading
from kyotei_docs.readers.package import Package
from kyotei_docs.readers.sniff import sniff
from pdfbuild import survey_pdf

ODT_MIME = b"application/vnd.oasis.opendocument.text"
MB = 1024 * 1024


def odt_bomb(path: Path, megabytes: float = 300) -> Path:
    """An .odt whose ``mimetype`` entry inflates to ``megabytes`` (the case measured in issue 12)."""
    with zipfile.ZipFile(path, "w") as zf:
        zero_entry(zf, "mimetype", megabytes, prefix=ODT_MIME)
        zf.writestr("content.xml", "<office:document-content/>")
    return path


def docx_with(path: Path, source: Path, **extra: float) -> Path:
    """A copy of the .docx ``source`` plus entries of zeros (name → megabytes)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item))
        for name, megabytes in extra.items():
            zero_entry(dst, name.replace("__", "/"), megabytes)
    return path


def _code(fn, *args) -> str:
    with pytest.raises(UnreadableError) as info:
        fn(*args)
    return info.value.code


def test_the_bombs_inflate_to_exactly_what_they_were_built_of(tmp_path):
    """The zeros of every bomb here are deflated once and repeated (hostile.ZerosDeflater): a zip entry and a
    zlib stream made so inflate, checksums and all, to the bytes written."""
    z = tmp_path / "z.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zero_entry(zf, "a", 2.5, prefix=b"head")
    with zipfile.ZipFile(z) as zf:
        assert zf.read("a") == b"head" + bytes(int(2.5 * MB))  # zipfile checks the CRC-32
    assert z.stat().st_size < 10_000
    parts = [b"x" * 100, ZEROS_MB, ZEROS_MB, b"y", ZEROS_MB]
    for wbits, inflate in ((15, zlib.decompress), (-15, lambda d: zlib.decompress(d, -15))):
        deflater = ZerosDeflater(9, wbits)
        packed = b"".join(deflater.compress(part) for part in parts) + deflater.flush()
        assert inflate(packed) == b"".join(parts)  # zlib checks the Adler-32


# ------------------------------------------------------------------ sniffing

def test_odt_mimetype_bomb_is_refused_without_inflating_it(tmp_path):
    bomb = odt_bomb(tmp_path / "提案書.odt")
    assert bomb.stat().st_size < 2 * MB
    tracemalloc.start()
    try:
        sniff(bomb)
        assert _code(read_form, bomb) == "zip_bomb"  # before LibreOffice ever sees it
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * MB


def test_a_zip_claiming_more_entries_than_allowed_is_refused_before_its_directory_is_read(tmp_path):
    many = tmp_path / "many.docx"
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(60):
            zf.writestr(f"x/{i}.xml", b"<x/>")
    with pytest.raises(UnreadableError) as info:
        Package(many, Limits(zip_entries=50))
    assert info.value.code == "zip_bomb" and "60 entries" in info.value.message


def test_sniffing_reads_only_the_first_bytes_of_mimetype(tmp_path):
    # 1.5 MB: below the floor of the declared-ratio check, so the package opens and sniffing reads
    odt = odt_bomb(tmp_path / "a.odt", megabytes=1.5)
    with reading(limits=Limits(zip_part_mb=1)):
        assert sniff(odt) == "odt"
        assert _code(read_form, odt) == "zip_bomb"


# ------------------------------------------------------------------ what really inflates

def test_an_entry_is_cut_at_its_cap_whatever_its_header_says(tmp_path):
    # 1.5 MB of zeros: under the 2 MB floor of the ratio check, so only the streamed cap can stop it
    z = tmp_path / "part.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zero_entry(zf, "word/document.xml", 1.5)
    with Package(z, Limits(zip_part_mb=1)) as pkg:
        assert _code(pkg.read, "word/document.xml") == "zip_bomb"
        assert len(pkg.head("word/document.xml", 10)) == 10


def test_all_entries_together_are_capped_while_inflating(tmp_path):
    z = tmp_path / "total.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for i in range(4):
            zero_entry(zf, f"part{i}.xml", 0.4)
    with pytest.raises(UnreadableError):  # the directory's declared 1.6 MB already exceed this
        Package(z, Limits(zip_total_mb=1))
    with Package(z, Limits(zip_total_mb=2)) as pkg:
        pkg.verify()  # 1.6 MB: within
        pkg.read("part0.xml")  # 2.0 MB
        assert _code(pkg.read, "part1.xml") == "zip_bomb"  # reading again counts again


def test_odt_with_a_content_bomb_never_reaches_libreoffice(tmp_path, monkeypatch):
    from kyotei_docs import office

    called = []
    monkeypatch.setattr(office, "convert", lambda *a, **k: called.append(a))
    odt = tmp_path / "a.odt"
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", ODT_MIME)
        zero_entry(zf, "content.xml", 1.5)
    with reading(limits=Limits(zip_part_mb=1)):
        assert _code(read_form, odt) == "zip_bomb"
    assert called == []


# ------------------------------------------------------------------ damaged zips

def test_corrupt_docx_is_called_corrupt_and_a_cut_one_truncated(tmp_path):
    good = make_docx(form(), tmp_path / "good.docx")
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 20, start + 60):  # inside the deflated body: the end record stays intact
        data[i] ^= 0x5A
    corrupt = tmp_path / "corrupt.docx"
    corrupt.write_bytes(bytes(data))
    assert _code(read_proposal, corrupt) == "corrupt_zip"
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good.read_bytes()[:-200])
    assert _code(read_proposal, cut) == "truncated_zip"


# ------------------------------------------------------------------ templates

def test_templates_check_refuses_a_template_bomb(tmp_path):
    from kyotei_docs.render import builtin_dir
    from kyotei_docs.render.lint import lint_template
    from kyotei_docs.render.templates import FORM2_COMPREHENSIVE

    folder = tmp_path / "tpl"
    folder.mkdir()
    bomb = docx_with(folder / FORM2_COMPREHENSIVE, builtin_dir() / FORM2_COMPREHENSIVE,
                     word__media__image9_png=300)
    tracemalloc.start()
    try:
        findings = lint_template(bomb, load_config())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [f.code for f in findings] == ["unreadable"]
    assert "展開すると異常に大きく" in findings[0].message
    assert peak < 40 * MB
    res = run_cli("templates", "check", str(folder))
    assert res.returncode == 1 and "Traceback" not in res.stderr + res.stdout
    assert "展開すると異常に大きく" in res.stdout


def test_templates_check_refuses_a_doctype(tmp_path):
    from kyotei_docs.render import builtin_dir
    from kyotei_docs.render.lint import lint_template
    from kyotei_docs.render.templates import FORM2_INDIVIDUAL

    src = builtin_dir() / FORM2_INDIVIDUAL
    evil = tmp_path / FORM2_INDIVIDUAL
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(evil, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
            zout.writestr(item, data)
    findings = lint_template(evil, load_config())
    assert [f.code for f in findings] == ["unreadable"] and "DOCTYPE" in findings[0].message


# ------------------------------------------------------------------ registry add

def test_registry_add_refuses_a_bomb_with_one_line(tmp_path):
    good = make_docx(form(), tmp_path / "good.docx")
    bomb = docx_with(tmp_path / "bomb.docx", good, word__media__image1_png=300)
    res = run_cli("registry", "add", str(bomb), "--registry", str(tmp_path / "r.sqlite3"))
    assert res.returncode == ExitCode.UNREADABLE, res.stderr
    assert "Traceback" not in res.stderr and "展開すると異常に大きく" not in res.stdout
    # the .docx reader reads only the parts it needs; the bomb entry is refused by the directory check
    assert "展開すると異常に大きく" in res.stderr


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"\0" * (2 * MB))
    with reading(limits=Limits(file_mb=1)), pytest.raises(UnreadableError) as info:
        read_form(big)
    assert info.value.code == "too_large" and "上限 1 MB" in info.value.message


def test_limits_are_checked_when_the_configuration_is_read(tmp_path):
    cfg_file = tmp_path / "kyotei.toml"
    cfg_file.write_text("[limits]\nfile_mb = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(cfg_file)
    assert "[limits] file_mb" in info.value.message


# ------------------------------------------------------------------ PDF

def test_a_long_pdf_that_is_not_form1_is_refused_before_any_page_is_laid_out(tmp_path, monkeypatch):
    from kyotei_docs.readers import pdf as pdf_reader
    from pdfbuild import Page, reportlab_pdf

    pages = []
    for n in range(8):
        pg = Page().text(60, 40, f"交通量調査報告書　第{n + 1}章", 14)
        for i in range(30):
            pg.text(40, 70 + i * 20, "調査地点ごとの時間帯別の通行量を示す。朝夕の混雑は前年より減少した。", 9)
        pages.append(pg)
    report = reportlab_pdf(tmp_path / "report.pdf", *pages)
    laid_out = []
    real = pdf_reader.layout_page

    def spy(*a, **k):
        laid_out.append(a[1])
        return real(*a, **k)

    monkeypatch.setattr(pdf_reader, "layout_page", spy)
    assert _code(pdf_reader.read_pdf_unlimited, str(report), False, 20, 300.0, 32, True) == "not_form1"
    assert laid_out == []
    assert pdf_reader.read_pdf_unlimited(str(report)).blocks  # read whole when Form 1 is not required
    assert len(laid_out) == 8


def test_form1_words_on_the_first_pages_go_on_to_the_full_read():
    from kyotei_docs.vocab import may_be_form1

    assert may_be_form1("連 携 協 定 に 関 す る 提 案 書")
    assert may_be_form1("１　連携の分野")
    assert not may_be_form1("交通量調査報告書　調査地点ごとの通行量")


def test_a_pdf_pypdf_cannot_open_is_still_read_by_the_text_engine(tmp_path):
    data = (Path(__file__).resolve().parent.parent / "samples" / "12_pdf_typed_glyphs.pdf").read_bytes()
    cut = tmp_path / "no_startxref.pdf"
    cut.write_bytes(data[: data.rfind(b"startxref")])
    proposal = read_proposal(cut)
    assert proposal.organization.name


def test_a_damaged_table_is_rebuilt_without_parsing_every_object(tmp_path, monkeypatch):
    """Without ``startxref`` pdfminer parsed each of a file's objects to find object streams (9 MB: 6 s)."""
    from pdfminer.pdfparser import PDFParser

    from kyotei_docs.readers import pdf as pdf_reader

    many = survey_pdf(tmp_path / "many.pdf")
    data = many.read_bytes()
    many.write_bytes(data[: data.rfind(b"startxref")])
    parsed = []
    real = PDFParser.nextobject

    def counting(self):
        parsed.append(1)
        return real(self)

    monkeypatch.setattr(PDFParser, "nextobject", counting)
    opened: list[str] = []
    real_open = pdf_reader.open_pypdf

    def counting_open(path):
        opened.append(path)
        return real_open(path)

    monkeypatch.setattr(pdf_reader, "open_pypdf", counting_open)
    assert _code(pdf_reader.read_pdf_unlimited, str(many), False, 20, 300.0, 32, True) == "not_form1"
    assert len(parsed) < 200  # 900 objects; pdfminer's own rebuild parses each
    assert opened == []  # its pages say it is no Form 1: pypdf is not asked to read the damaged file again
    assert "page 1 of a traffic survey" in pdf_reader.read_pdf_unlimited(str(many), False, 2).text


def test_objects_inside_an_object_stream_are_found_when_the_table_is_rebuilt(tmp_path):
    """The catalog and the page tree compressed into an object stream, no cross-reference table at all."""
    from kyotei_docs.readers import pdf as pdf_reader

    header, body = b"", b""
    for n, obj in ((1, b"<< /Type /Catalog /Pages 2 0 R >>"), (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")):
        header += b"%d %d " % (n, len(body))
        body += obj + b"\n"
    content = b"BT /F1 12 Tf 72 720 Td (Traffic survey, page one) Tj ET"
    pdf = tmp_path / "objstm.pdf"
    pdf.write_bytes(
        b"%PDF-1.7\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> >>"
        b" /Contents 4 0 R >>\nendobj\n"
        + b"4 0 obj\n<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream\nendobj\n"
        + b"5 0 obj\n<< /Type /ObjStm /N 2 /First %d /Length %d >>\nstream\n" % (len(header), len(header + body))
        + header + body + b"\nendstream\nendobj\n"
        b"6 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n"
        b"trailer\n<< /Size 7 /Root 1 0 R >>\n%%EOF\n")
    assert pdf_reader.read_pdf_unlimited(str(pdf)).text.strip() == "Traffic survey, page one"


# ------------------------------------------------------------------ .doc (OLE)

@pytest.fixture(scope="module")
def doc_file(tmp_path_factory) -> Path:
    from kyotei_docs import office
    from pdfbuild import docx_to

    if not office.soffice_available():
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("doc")
    odt = docx_to(make_docx(form(), folder / "提案書.docx"), "odt", folder / "odt")
    return docx_to(odt, "doc", folder / "doc")


@pytest.mark.libreoffice
@pytest.mark.slow
def test_ole_stream_names_are_matched_whatever_their_case(doc_file, tmp_path):
    from kyotei_docs.readers import ole

    upper = tmp_path / "upper.doc"
    data = doc_file.read_bytes()
    name = "WordDocument".encode("utf-16-le")
    assert data.count(name) == 1
    upper.write_bytes(data.replace(name, "WORDDOCUMENT".encode("utf-16-le")))
    with open(upper, "rb") as fh:
        assert "worddocument" in ole.inspect(fh, upper.stat().st_size).streams
    assert sniff(upper) == "doc"
    assert read_proposal(upper).organization.name == "株式会社テスト商事"


@pytest.mark.libreoffice
def test_a_password_protected_doc_is_called_password_protected(doc_file, tmp_path):
    data = bytearray(doc_file.read_bytes())
    # the WordDocument stream starts at a sector boundary with the FIB's wIdent 0xA5EC
    starts = [i for i in range(512, len(data), 512) if data[i:i + 2] == b"\xec\xa5"]
    assert starts
    data[starts[0] + 0x0B] |= 0x01  # FibBase.fEncrypted (bit 8 of the flags word at 0x0A)
    locked = tmp_path / "locked.doc"
    locked.write_bytes(bytes(data))
    assert sniff(locked) == "encrypted_office"
    assert _code(read_form, locked) == "encrypted_office"


def test_a_damaged_ole_directory_falls_back_to_a_bounded_scan(tmp_path):
    junk = tmp_path / "junk.doc"
    junk.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600 + "WORDDOCUMENT".encode("utf-16-le")
                     + b"\0" * 2000)
    assert sniff(junk) == "doc"



# ------------------------------------------------------------------ the drop folder

@pytest.mark.parametrize("workers", [0, 1])
def test_the_drop_folder_reads_with_the_limits_of_its_configuration(tmp_path, workers):
    """[limits] from the configuration given to the pass, not one found again from the environment."""
    import json

    from inboxkit import config_file, drop, one_pass, submission_folders

    root = tmp_path / "share" / "kyotei"
    root.mkdir(parents=True)
    journal = tmp_path / "local" / "journal.sqlite3"
    conf = config_file(journal.parent)
    conf.write_text(conf.read_text("utf-8") + "\n[limits]\nfile_mb = 1\n", encoding="utf-8")
    drop(root, "big.pdf", b"%PDF-1.4\n" + b"\0" * (2 * MB))
    summary = one_pass(root, journal, config=load_config(conf), grace=0.0, workers=workers)
    assert [f.outcome for f in summary.finished] == ["unreadable"]
    (folder,) = submission_folders(root)["error"]
    assert json.loads((folder / "submission.json").read_text("utf-8"))["reason"]["code"] == "too_large"


def test_a_long_docx_that_is_not_form1_is_refused_before_it_is_walked(tmp_path, monkeypatch):
    from docxbuild import p
    from kyotei_docs.readers import docx as docx_reader

    letter = make_docx(p("拝啓　時下ますますご清祥のこととお喜び申し上げます。交通量調査の結果をお送りします。") * 300,
                       tmp_path / "letter.docx")
    walked = []
    real = docx_reader._Walker.body

    def spy(self, b):
        walked.append(1)
        return real(self, b)

    monkeypatch.setattr(docx_reader._Walker, "body", spy)
    assert _code(read_proposal, letter) == "not_form1"
    assert walked == []
    assert read_form(letter).blocks and walked == [1]  # a plain read (not for Form 1) walks it whole


def test_a_pdf_of_many_pages_is_not_walked_beyond_the_pages_read(tmp_path, monkeypatch):
    """pdfplumber's pdf.pages (and its close()) walk the whole page tree: 20,000 pages took 18 s."""
    from pdfminer.pdfpage import PDFPage

    many = survey_pdf(tmp_path / "many.pdf")
    made = []
    real = PDFPage.__init__

    def counting(self, *a, **k):
        made.append(1)
        real(self, *a, **k)

    monkeypatch.setattr(PDFPage, "__init__", counting)
    from kyotei_docs.readers import pdf as pdf_reader

    assert _code(pdf_reader.read_pdf_unlimited, str(many), False, 20, 300.0, 32, True) == "not_form1"
    assert 0 < len(made) <= 20
    made.clear()
    doc = pdf_reader.read_pdf_unlimited(str(many), False, 5)
    assert len(made) == 5 and "page 4 of" in doc.text and "page 5 of" not in doc.text


def test_pypdf_opens_only_a_pdf_whose_catalog_lists_fields(tmp_path, monkeypatch):
    """pypdf reads the whole cross-reference table again and seeks to each object (20,000 pages: 40,000)."""
    from kyotei_docs.blankpdf import write_blank_pdf
    from kyotei_docs.readers import pdf as pdf_reader

    many = survey_pdf(tmp_path / "many.pdf")
    opened = []
    real = pdf_reader.open_pypdf

    def counting(path):
        opened.append(path)
        return real(path)

    monkeypatch.setattr(pdf_reader, "open_pypdf", counting)
    assert _code(pdf_reader.read_pdf_unlimited, str(many), False, 20, 300.0, 32, True) == "not_form1"
    assert pdf_reader.read_pdf_unlimited(str(many), False, 2).blocks
    assert opened == []
    blank = tmp_path / "form1.pdf"
    write_blank_pdf(blank)
    assert any(b.source == "pdf:acroform" for b in pdf_reader.read_pdf_unlimited(str(blank)).blocks)
    assert opened == [str(blank)]


def test_an_odt_with_a_doctype_never_reaches_libreoffice(tmp_path, monkeypatch):
    """LibreOffice would expand a SYSTEM entity: a server file inside the converted document."""
    from kyotei_docs import office

    called = []
    monkeypatch.setattr(office, "convert", lambda *a, **k: called.append(a))
    odt = tmp_path / "xxe.odt"
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", ODT_MIME)
        zf.writestr("content.xml", '<?xml version="1.0"?>' + "<!-- padding -->" * 30000
                    + '<!DOCTYPE office:document-content [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    + "<office:document-content>&x;</office:document-content>")
    assert _code(read_form, odt) == "xml_forbidden"
    assert called == []


def test_openoffice_2_manifest_doctype_is_no_reason_to_refuse(tmp_path):
    odt = tmp_path / "old.odt"
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", ODT_MIME)
        zf.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE manifest:manifest '
                    'PUBLIC "-//OpenOffice.org//DTD Manifest 1.0//EN" "Manifest.dtd">\n<manifest:manifest/>')
        zf.writestr("content.xml", "<office:document-content/>")
    with Package(odt) as pkg:
        pkg.verify()


def test_one_limits_holds_the_limits_table_and_the_drop_folders_keys(tmp_path):
    cfg_file = tmp_path / "kyotei.toml"
    cfg_file.write_text("[limits]\nfile_mb = 7\noffice_memory_mb = 900\npdf_stream_mb = 5\n"
                        "[inbox]\ntimeout_seconds = 33\nworker_memory_mb = 700\n", encoding="utf-8")
    limits = load_config(cfg_file).limits
    assert (limits.file_mb, limits.office_memory_mb, limits.pdf_stream_mb) == (7, 900, 5)
    assert (limits.submission_seconds, limits.worker_memory_mb) == (33.0, 700)  # the drop folder's keys


def test_a_returned_workbook_is_opened_only_after_the_bounded_check(tmp_path):
    """Surveys and intent sheets come back from outside: a bomb or an XXE entry never reaches openpyxl,
    a file that is no workbook at all is None (each caller names it in its own words)."""
    import io

    import openpyxl

    from kyotei_docs.readers.package import checked_workbook

    good = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.worksheets[0]["A1"] = "=1+1"
    wb.worksheets[0]["A2"] = "連携"
    wb.save(good)
    opened = checked_workbook(good.getvalue())
    assert opened is not None and opened.worksheets[0]["A2"].value == "連携"
    assert checked_workbook(b"%PDF-1.4\n%%EOF\n") is None          # not a zip
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert checked_workbook(plain.getvalue()) is None             # a zip, no workbook
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zero_entry(zf, "xl/worksheets/sheet1.xml", 300, b"<worksheet>")
    with pytest.raises(UnreadableError) as err:
        checked_workbook(bomb.getvalue())
    assert err.value.code == "zip_bomb"
    xxe = io.BytesIO()
    with zipfile.ZipFile(xxe, "w") as zf:
        zf.writestr("xl/workbook.xml", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><workbook>&e;</workbook>')
    with pytest.raises(UnreadableError) as err:
        checked_workbook(xxe.getvalue())
    assert err.value.code == "xml_forbidden"


# ------------------------------------------------------------------ fillable PDF: values drawn in appearances

def appearance_pdf(path: Path, kind: str, n: int = 1) -> Path:
    """A fillable PDF whose text fields have no /V and ``n`` hostile appearance streams (/AP /N):
    ``fan`` (each Form XObject draws the next twice, forty deep: 2**40 draws), ``deep`` (3,000
    nested), ``cycle`` (two forms drawing each other), ``bomb`` (zeros inflating past the stream cap),
    ``plain`` (a short value each)."""
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        StreamObject,
        TextStringObject,
    )

    w = PdfWriter()
    page = w.add_blank_page(595, 842)
    font = w._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                           NameObject("/BaseFont"): NameObject("/Helvetica")}))

    def res(**xobjects) -> DictionaryObject:
        d = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        if xobjects:
            d[NameObject("/XObject")] = DictionaryObject({NameObject("/" + k): v for k, v in xobjects.items()})
        return d

    def form(data: bytes, resources: DictionaryObject | None = None):
        s = DecodedStreamObject()
        s.set_data(data)
        s.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                  NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (0, 0, 200, 14)]),
                  NameObject("/Resources"): resources if resources is not None else res()})
        return w._add_object(s)

    annots = ArrayObject()
    for i in range(n):
        if kind in ("fan", "deep"):
            ap = form(b"BT /F1 9 Tf 2 4 Td (x) Tj ET")
            for _ in range(40 if kind == "fan" else 3000):
                ap = form(b"/X0 Do /X0 Do" if kind == "fan" else b"/X0 Do", res(X0=ap))
        elif kind == "cycle":
            a = form(b"/X1 Do")
            b = form(b"/X0 Do", res(X0=a))
            a.get_object()[NameObject("/Resources")] = res(X1=b)
            ap = form(b"BT /F1 9 Tf 2 4 Td (drawn) Tj ET /X0 Do", res(X0=a))
        elif kind == "bomb":
            s = StreamObject()
            s._data = zlib.compress(b"BT /F1 9 Tf 2 4 Td " + b" " * (2 * MB) + b"(x) Tj ET", 9)
            s.update({NameObject("/Filter"): NameObject("/FlateDecode"), NameObject("/Resources"): res(),
                      NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (0, 0, 200, 14)])})
            ap = w._add_object(s)
        else:
            ap = form(b"BT /F1 9 Tf 2 4 Td (value %d) Tj ET" % i)
        x, y = 40 + (i // 100) * 5, 700 - (i % 100) * 6
        annots.append(w._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject(f"企業等名称{i}"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (x, y, x + 200, y + 14)]),
            NameObject("/P"): page.indirect_reference, NameObject("/AP"): DictionaryObject({NameObject("/N"): ap})})))
    page[NameObject("/Annots")] = annots
    w._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject(annots)})
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def _shown(path: Path, cap_mb: int = 32) -> tuple[bool, list]:
    """acroform.shown_values on ``path`` as the reading child runs it (streams bounded): (unreadable, widgets)."""
    import pdfplumber

    from kyotei_docs.readers import acroform
    from kyotei_docs.readers.pdf import _widgets
    from kyotei_docs.readers.pdfbounds import first_pages, install

    install(cap_mb)
    found = _widgets(str(path), 20)
    with pdfplumber.open(path) as pdf:
        return acroform.shown_values(first_pages(pdf, 20), found), found


def test_appearances_drawing_forms_exponentially_are_cut_by_one_budget_and_flagged(tmp_path, monkeypatch):
    """2**40 draws ran the read into its time limit (60 s, 25 s of CPU): the operations of all appearances
    share one budget, and an entry past it is unreadable (a review item), never read blank."""
    from kyotei_docs.readers import acroform

    spent: list[int] = []
    real = acroform._drawn_text

    def spy(doc, ap, budget):
        out = real(doc, ap, budget)
        spent.append(budget[0])
        return out

    monkeypatch.setattr(acroform, "_drawn_text", spy)
    unreadable, found = _shown(appearance_pdf(tmp_path / "fan.pdf", "fan", n=2))
    assert unreadable and [w.value for w in found] == [None, None]
    assert spent[0] < 0 and spent[1] <= 0  # the first used the budget up; the second was never drawn


def test_appearances_nested_thousands_deep_are_unreadable_not_blank(tmp_path):
    unreadable, found = _shown(appearance_pdf(tmp_path / "deep.pdf", "deep"))
    assert unreadable and found[0].value is None


def test_appearances_that_draw_each_other_are_read_once(tmp_path):
    unreadable, found = _shown(appearance_pdf(tmp_path / "cycle.pdf", "cycle"))
    assert not unreadable and found[0].value == "drawn"


def test_an_appearance_stream_past_the_cap_refuses_the_file_as_a_page_would(tmp_path):
    """It was swallowed as a damaged appearance: the entry read blank and was blamed on the applicant."""
    bomb = appearance_pdf(tmp_path / "bomb.pdf", "bomb")
    assert bomb.stat().st_size < 64 * 1024
    with pytest.raises(UnreadableError) as info:
        _shown(bomb, cap_mb=1)
    assert info.value.code == "zip_bomb"
    with reading(limits=Limits(pdf_stream_mb=1)):
        assert _code(read_form, bomb) == "zip_bomb"


def test_thousands_of_widgets_are_matched_to_their_appearances_in_one_pass_per_page(tmp_path, monkeypatch):
    """Each empty field searched the page's every annotation (3,000 widgets: 9.6 s of CPU, now 2.2 s)."""
    from kyotei_docs.readers import acroform

    calls: list[int] = []
    real = acroform._annots_by_rect

    def counted(annots):
        calls.append(1)
        return real(annots)

    monkeypatch.setattr(acroform, "_annots_by_rect", counted)
    unreadable, found = _shown(appearance_pdf(tmp_path / "many.pdf", "plain", n=300))
    assert not unreadable and len(calls) == 1
    assert sorted(w.value for w in found) == sorted(f"value {i}" for i in range(300))


# ------------------------------------------------------------------ a page of ~20,000 characters

class _Over(Exception):
    pass


def _steps(module, fn, budget: int) -> int:
    """Lines of ``module`` executed while ``fn`` runs, stopped past ``budget`` (so quadratic work fails at
    once, without timing anything)."""
    import sys

    target, n = module.__file__, [0]

    def local(frame, event, arg):
        if event == "line":
            n[0] += 1
            if n[0] > budget:
                raise _Over
        return local

    sys.settrace(lambda frame, event, arg: local if frame.f_code.co_filename == target else None)
    try:
        fn()
    except _Over:
        pass
    finally:
        sys.settrace(None)
    return n[0]


CHARS = 20_000


def test_the_two_column_test_is_linear_in_the_characters_of_a_page():
    """Each candidate gutter counted every gap start again: 20,000 spaced characters on a wide page, 12.8 s."""
    import random

    from kyotei_docs.readers import columns
    from kyotei_docs.readers.layout import Item, TextLine

    rng, lines = random.Random(1), []
    for k in range(CHARS // 50):
        line = TextLine()
        for x in sorted(rng.uniform(0, 14_400) for _ in range(50)):
            line.add(Item("字", x, x + 0.5, k * 12.0, k * 12.0 + 0.2, 0.2))
        lines.append(line)
    budget = 60 * CHARS
    assert _steps(columns, lambda: columns.split_columns(lines, 14_400.0), budget) <= budget


def test_a_line_of_20000_characters_is_measured_once_not_per_character():
    """The line's size (a sort of every character's) was taken again for each character of a justified
    line, of a Latin word, and for each mark set into the line above: 12–13 s for one line."""
    from kyotei_docs.readers import layout
    from kyotei_docs.readers.layout import Item, TextLine

    half = CHARS // 2
    justified = TextLine()
    for k in range(CHARS):  # wrapped once: both runs reach the right edge, every gap widened
        x, top = (k % half) * 10.5, (k // half) * 12.0
        justified.add(Item("字", x, x + 10.0, top, top + 10.0, 10.0))
    justified.right = half * 10.5
    latin = TextLine()
    for k in range(CHARS):
        latin.add(Item("a", k * 5.0, k * 5.0 + 5.0, 0, 10, 10.0))
    above, marks = TextLine(), TextLine()
    for k in range(CHARS):
        above.add(Item("字", k * 20.0 + 10, k * 20.0 + 20, 0, 10, 10.0))
    for k in range(layout.GAP_MARKS):
        marks.add(Item("☐", k * 20.0, k * 20.0 + 9, 5, 14, 10.0))
    budget = 40 * CHARS
    assert _steps(layout, lambda: layout.line_pieces(justified, "pdf"), budget) <= budget
    assert _steps(layout, lambda: layout._first_unit(latin), budget) <= budget
    assert _steps(layout, lambda: layout._marks_into_line_above([above, marks]), 80 * CHARS) <= 80 * CHARS
    assert len(above.items) == CHARS + layout.GAP_MARKS  # each mark in a gap joined the line above


# ------------------------------------------------------------------ Excel: what a sheet may hold many of

def _rewrite(path: Path, name: str, edit) -> Path:
    """``path`` with its entry ``name`` passed through ``edit`` (str → str)."""
    with zipfile.ZipFile(path) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    entries[name] = edit(entries[name].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in entries.items():
            zf.writestr(n, data)
    return path


def _letters(col: int) -> str:
    """A column's letters (0 → A, 26 → AA)."""
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _grid(n: int, first_col: int = 0) -> dict[str, object]:
    """``n`` cells of text, forty to a row, from column ``first_col``."""
    return {f"{_letters(first_col + k % 40)}{k // 40 + 1}": f"値{k}" for k in range(n)}


def test_a_print_area_of_thousands_of_ranges_is_no_print_area(tmp_path):
    """Each cell was looked up in each range: 2,000 cells × 5,000 ranges."""
    from kyotei_docs.readers import xlsx
    from xlsxbuild import Sheet, make_xlsx

    book = make_xlsx(tmp_path / "areas.xlsx", Sheet(_grid(2000), print_area="A1:J31"))
    many = ",".join(f"'様式１'!$A${k}:$B${k}" for k in range(1, 5001))
    _rewrite(book, "xl/workbook.xml", lambda x: re.sub(r"(Print_Area\" localSheetId=\"0\">)[^<]*", r"\g<1>" + many, x))
    budget = 400_000
    assert _steps(xlsx, lambda: xlsx.read_xlsx(book), budget) <= budget
    assert len(xlsx.read_xlsx(book).blocks) > 0


def test_merged_ranges_are_bounded_in_number_and_in_the_cells_they_clear(tmp_path):
    from kyotei_docs.readers import xlsx
    from xlsxbuild import Sheet, make_xlsx

    # small ranges among many cells: each looked up cell by cell, not against all the cells
    small = make_xlsx(tmp_path / "small.xlsx", Sheet(_grid(4000), merges=[f"AR{k}:AS{k}" for k in range(1, 4001)]))
    budget = 1_500_000  # ~530,000 lines: ~130 a cell read; 16 million looking up every cell for each range
    assert _steps(xlsx, lambda: xlsx.read_xlsx(small), budget) <= budget
    # ranges over the whole sheet laid over each other: refused, as a sheet too large, not cleared cell by cell
    laid = make_xlsx(tmp_path / "laid.xlsx", Sheet(_grid(4000, first_col=5), merges=["A1:D1048576"] * 4000))
    assert _code(xlsx.read_xlsx, laid) == "xlsx_too_large"
    over = make_xlsx(tmp_path / "over.xlsx", Sheet({"A1": "提案書"}, merges=[f"A{k}:B{k}" for k in range(1, 5003)]))
    assert _code(xlsx.read_xlsx, over) == "xlsx_too_large"


def test_thousands_of_hidden_column_spans_are_joined_once(tmp_path):
    from kyotei_docs.readers import xlsx
    from xlsxbuild import Sheet, make_xlsx

    book = make_xlsx(tmp_path / "cols.xlsx", Sheet({"A1": "提案書", "B1": "隠れた値"}))
    cols = "<cols>" + '<col min="2" max="16383" hidden="1"/>' * 20_000 + "</cols>"
    _rewrite(book, "xl/worksheets/sheet1.xml", lambda x: x.replace("<sheetData>", cols + "<sheetData>", 1))
    budget = 400_000
    assert _steps(xlsx, lambda: xlsx.read_xlsx(book), budget) <= budget
    assert "隠れた値" not in str(xlsx.read_xlsx(book).blocks)


def test_thousands_of_example_headings_are_counted_once_per_column(tmp_path):
    from kyotei_docs.readers import xlsx
    from xlsxbuild import Sheet, make_xlsx

    cells: dict[str, object] = {f"A{r}": f"項目{r}" for r in range(1, 1001)}  # under half: never the form
    cells.update({f"{_letters(c)}1": "記入例" for c in range(2, 3002)})
    book = make_xlsx(tmp_path / "examples.xlsx", Sheet(cells))
    budget = 2_000_000  # ~610,000 lines; 42 million counting all the cells again for each heading
    assert _steps(xlsx, lambda: xlsx.read_xlsx(book), budget) <= budget


def test_form_controls_are_paired_with_their_vml_shapes_in_one_pass(tmp_path):
    """Each VML shape looked for its control through the whole sheet: 900 shapes × 10,000 elements."""
    from kyotei_docs.readers import xlcontrols, xlsx
    from xlsxbuild import CheckBox, Sheet, make_xlsx

    boxes = [CheckBox(f"B{k}", k % 2 == 0) for k in range(1, 901)]
    book = make_xlsx(tmp_path / "vml.xlsx", Sheet(_grid(5000, first_col=3), controls=boxes, modern_controls=False))
    budget = 2_000_000  # ~690,000 lines; 18 million walking the sheet again for each shape
    assert _steps(xlcontrols, lambda: xlsx.read_xlsx(book), budget) <= budget
    many = make_xlsx(tmp_path / "many.xlsx", Sheet({"A1": "提案書"}, controls=[CheckBox(f"B{k}", True) for k in
                                                                              range(1, xlsx.MAX_SHAPES + 2)],
                                                   modern_controls=False))
    assert _code(xlsx.read_xlsx, many) == "xlsx_too_large"


def test_a_date_cell_holding_nan_or_a_format_of_a_megabyte_is_read_without_a_traceback(tmp_path):
    """float('nan') is a number to Python: the date of its serial raised ValueError (an internal error)."""
    from kyotei_docs.readers import numfmt, xlsx
    from xlsxbuild import Num, Sheet, make_xlsx

    book = make_xlsx(tmp_path / "odd.xlsx", Sheet({"A1": "提出日", "B1": Num(1.0, "yyyy/m/d"),
                                                   **{f"C{r}": Num(r, "0" * 300_000) for r in range(1, 2001)}}))
    _rewrite(book, "xl/worksheets/sheet1.xml", lambda x: x.replace("<v>1.0</v>", "<v>nan</v>", 1))
    doc = xlsx.read_xlsx(book)
    assert "nan" in str(doc.blocks)
    assert numfmt.format_code(164, {164: "0" * (numfmt.MAX_CODE + 1)}) == "General"
    assert numfmt.show_number("2958465", "yyyy/m/d", date1904=True) == ("2958465", False)  # past 9999 from 1904
    budget = 600_000
    assert _steps(numfmt, lambda: xlsx.read_xlsx(book), budget) <= budget


# ------------------------------------------------------------------ OCR: a page full of marks

def test_a_page_full_of_rings_is_not_grouped_ring_by_ring():
    """Rings of a radio button's size were grouped pair by pair: 5,600 rings, 15 million pairs."""
    import cv2
    import numpy as np

    from kyotei_docs.readers import ocr

    page = np.full((3000, 3000), 255, np.uint8)
    for y in range(30, 2980, 40):
        for x in range(30, 2980, 40):
            cv2.circle(page, (x, y), 14, 0, 2)
            if (x + y) % 80 == 0:
                cv2.circle(page, (x, y), 5, 0, -1)  # ◉: a plainly chosen one in every row
    budget = 100_000
    out: list = []
    assert _steps(ocr, lambda: out.extend(ocr.radio_marks(page)), budget) <= budget
    assert out == []  # left to the text


def test_pen_strokes_level_with_boxes_are_looked_at_up_to_a_bound(monkeypatch):
    """Each tick-sized stroke looked for the frame it hides (up to 0.16 s of CPU each), however many."""
    import cv2
    import numpy as np

    from kyotei_docs.readers import ocr
    from kyotei_docs.readers.ocr import ImageBox

    strokes = np.zeros((3000, 3000), np.uint8)
    boxes = []
    for row in range(12):
        top = 100 + row * 240
        for x in range(40, 2900, 70):
            boxes.append(ImageBox(x, top, x + 47, top + 47, False))
            cv2.line(strokes, (x + 5, top + 20), (x + 15, top + 40), 255, 9)  # a ✓ drawn thick
            cv2.line(strokes, (x + 15, top + 40), (x + 40, top - 10), 255, 9)
    page = np.full((3000, 3000), 255, np.uint8)
    looks: list[int] = []
    real = ocr._hidden_frame

    def counted(*a):
        looks.append(1)
        return real(*a)

    monkeypatch.setattr(ocr, "_hidden_frame", counted)
    ocr.pen_ticks(strokes, boxes=boxes, binary=page)
    assert 0 < len(looks) <= ocr.PEN_MARKS < 12 * 41


def test_a_print_area_of_whole_columns_sets_apart_what_lies_beside_it(tmp_path):
    """Excel writes an area of whole columns as 「'様式１'!$A:$D」 (rows 「$1:$40」): it was no print area, and a
    note one empty column beside the form ran into it."""
    from kyotei_docs.readers import xlsx
    from xlsxbuild import Sheet, make_xlsx

    cells: dict[str, object] = {f"{c}{r}": f"{c}{r}の値" for c in "ABCD" for r in range(1, 21)}
    cells["F3"] = "欄外メモ"
    for area in ("$A:$D", "$1:$20"):
        book = make_xlsx(tmp_path / "cols.xlsx", Sheet(cells, print_area="A1:D20"))
        if area == "$1:$20":
            cells_beyond = {**cells, "C25": "欄外メモ"}
            del cells_beyond["F3"]
            book = make_xlsx(tmp_path / "cols.xlsx", Sheet(cells_beyond, print_area="A1:D20"))
        _rewrite(book, "xl/workbook.xml",
                 lambda x, area=area: re.sub(r"(Print_Area\" localSheetId=\"0\">)[^<]*", r"\g<1>'様式１'!" + area, x))
        doc = xlsx.read_xlsx(book)
        assert doc.apart is not None, area
        assert "欄外メモ" not in str(doc.blocks[:doc.apart]) and "欄外メモ" in str(doc.blocks[doc.apart:]), area


def test_ovals_drawn_over_cells_look_up_the_cells_they_cover(tmp_path):
    """Each oval searched all the cells of the sheet: 1,000 ovals × 10,000 cells."""
    from kyotei_docs.readers import xlsx
    from xlsxbuild import Sheet, make_xlsx

    ovals = [(f"{_letters(k % 40)}{k // 40 + 1}", f"{_letters(k % 40)}{k // 40 + 1}") for k in range(xlsx.MAX_SHAPES)]
    book = make_xlsx(tmp_path / "ovals.xlsx", Sheet(_grid(10_000), ovals=ovals))
    budget = 3_000_000  # ~1.5 million lines read the cells; 10 million more searching them for each oval
    assert _steps(xlsx, lambda: xlsx.read_xlsx(book), budget) <= budget
