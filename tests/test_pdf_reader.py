"""Form 1 from a PDF's text layer: the same answers as from the Word file it was made from."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conftest import json_lines, run_cli
from docxbuild import Xml, cell, make_docx, p
from formbody import axis_row, contact_rows, fields_row, form, text_rows, type_row
from kyotei_docs.errors import UnreadableError
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.limits import Limits
from kyotei_docs.pipeline import read_proposal
from kyotei_docs.readers import read_form
from kyotei_docs.readers.options import reading
from pdfbuild import Page, cid_garbage_pdf, docx_to, docx_to_all, flate_bomb_pdf, one_page, reportlab_pdf, scan_of


@pytest.fixture(scope="session")
def lo_dir(tmp_path_factory):
    """The tests' folder; every document they have LibreOffice export is exported here first, in one run."""
    folder = tmp_path_factory.mktemp("lo")
    batch = folder / "batch"
    batch.mkdir()
    docx_to_all([make_docx(body(), batch / f"{name}.docx") for name, body in BODIES.items()], "pdf")
    return folder


def _via_pdf(body: str, folder: Path, name: str) -> tuple[dict, dict]:
    """(answers read from the .docx, answers read from LibreOffice's PDF of it)."""
    docx = make_docx(body, folder / f"{name}.docx")
    pdf = docx_to(docx, "pdf", folder / "pdf")
    return read_proposal(docx).to_json(), read_proposal(pdf).to_json()


def _same(a: dict, b: dict) -> None:
    a, b = dict(a), dict(b)
    for k in ("file", "format"):
        a.pop(k), b.pop(k)
    assert a == b


@pytest.mark.libreoffice
def test_libreoffice_pdf_reads_like_its_docx(lo_dir):
    from_docx, from_pdf = _via_pdf(form(), lo_dir, "standard")
    assert from_pdf["format"] == "pdf"
    _same(from_docx, from_pdf)
    assert from_pdf["agreement_type"] == "comprehensive"
    assert from_pdf["contact"]["email"] == "renraku@example.co.jp"


@pytest.mark.libreoffice
def test_sources_say_pdf(lo_dir):
    docx = make_docx(form(), lo_dir / "sources.docx")
    pdf = docx_to(docx, "pdf", lo_dir / "pdf")
    p = read_proposal(pdf)
    assert p.sources["agreement_type"] == "pdf:glyph"
    assert p.sources["organization.name"] == "pdf:text"


@pytest.mark.libreoffice
def test_wrapped_labels_and_options_in_narrow_cells(lo_dir):
    """「メールアドレ\\nス」 and 「□子育\\nて」 wrap in narrow cells; the extractor still joins them."""
    from_docx, from_pdf = _via_pdf(_narrow(), lo_dir, "narrow")
    pdf = lo_dir / "pdf" / "narrow.pdf"
    import pdfplumber
    with pdfplumber.open(pdf) as doc:
        words = {w["text"] for w in doc.pages[0].extract_words()}
    assert "メールアドレ" in words and "☑子育て" not in words  # both really wrap in the PDF
    _same(from_docx, from_pdf)
    assert from_pdf["contact"]["email"] == "renraku@example.co.jp"
    assert "子育て" in from_pdf["fields"] and "環境" in from_pdf["fields"]


def test_wrapped_option_and_label_in_free_text(tmp_path):
    """Outside tables, a line that reaches the right margin continues on the next one.

    HeiseiMin (a standard CID font) has □ and ■ but not ☐/☑: forms made with it use those.
    """
    page = (Page()
            .text(85, 60, "令和８年１１月２０日")
            .text(85, 80, "所在地：北海道旭川市緑町１丁目２番３号")
            .text(85, 95, "企業等名称：株式会社テスト商事")
            .text(85, 110, "代表者氏名：代表取締役　試験　花子")
            .text(85, 140, "連携協定の種別：□個別連携協定　■包括連携協定")
            # Word's A4 page: 30 mm margins, 40 characters a line; the option 「子育て」 wraps after 「子」
            .text(85, 170, "連携の分野：■環境　■福祉・医療・健康　□教育・文化・スポーツ　□災害対策　■子")
            .text(85, 181, "育て　□その他（　　　）")
            .text(85, 210, "主軸分野の有無：■有　主軸分野（環境）　□無")
            .text(85, 240, "協定締結の目的：市民の健康増進と環境保全を進めるため。")
            .text(85, 270, "連携により期待される効果：健診受診率の向上。")
            .text(85, 300, "部署名：地域連携部")
            .text(85, 315, "担当者氏名：連絡　太郎")
            .text(85, 330, "電話番号：0166-12-3456")
            .text(85, 345, "メールアドレ")
            .text(85, 345 + 11, "ス：renraku@example.co.jp"))
    pdf = reportlab_pdf(tmp_path / "free.pdf", page)
    got = read_proposal(pdf)
    assert got.fields == ["環境", "福祉・医療・健康", "子育て"]
    assert got.agreement_type == "comprehensive" and got.axis.present is True and got.axis.field == "環境"
    assert got.organization.address == "北海道旭川市緑町１丁目２番３号"
    assert got.submitted_on is not None and got.submitted_on.isoformat() == "2026-11-20"


def test_fake_bold_kangxi_and_wave_dash(tmp_path):
    page = Page()
    for dx in (0.0, 0.25, 0.5):  # fake bold: the same text printed three times, a hair apart
        page.text(70 + dx, 80, "企業等名称：株式会社⾏政サービス")
    page.text(70, 100, "所在地：旭川市〜テスト町")
    page.text(70, 120, "連携協定の種別：■包括連携協定")
    page.text(70, 140, "連携の分野：■環境　■子育て")
    pdf = reportlab_pdf(tmp_path / "bold.pdf", page)
    doc = read_form(pdf)
    text = doc.text
    assert "株式会社行政サービス" in text and "⾏" not in text  # Kangxi radical → the ideograph
    got = read_proposal(pdf)
    assert got.organization.name == "株式会社行政サービス"
    assert got.organization.address == "旭川市〜テスト町"  # values keep their characters


def test_drawn_checkboxes_count_as_boxes(tmp_path):
    """Squares drawn on the page (legacy form fields printed by LibreOffice): an X inside ticks them."""
    page = Page().text(70, 100, "連携協定の種別").text(70, 130, "連携の分野")
    page.rect(200, 100, 10, 10).text(213, 100, "個別連携協定")
    page.rect(300, 100, 10, 10).text(313, 100, "包括連携協定")
    page.line(300, 100, 310, 110).line(300, 110, 310, 100)  # the X
    page.rect(200, 130, 10, 10).text(213, 130, "環境")
    page.rect(260, 130, 10, 10).text(273, 130, "子育て")
    page.line(260, 130, 270, 140).line(260, 140, 270, 130)
    pdf = reportlab_pdf(tmp_path / "drawn.pdf", page)
    got = read_proposal(pdf)
    assert got.agreement_type == "comprehensive" and got.fields == ["子育て"]
    assert got.sources["agreement_type"] == "pdf:drawn"


@pytest.mark.libreoffice
def test_pdf_named_docx_is_read_as_pdf(lo_dir, tmp_path):
    docx = make_docx(form(), lo_dir / "named.docx")
    pdf = docx_to(docx, "pdf", lo_dir / "pdf")
    disguised = tmp_path / "提案書.docx"
    disguised.write_bytes(pdf.read_bytes())
    got = read_proposal(disguised).to_json()
    assert got["format"] == "pdf" and got["file"] == "提案書.docx"
    assert got["organization"]["name"] == "株式会社テスト商事"


def test_random_bytes_named_pdf(tmp_path):
    f = tmp_path / "random.pdf"
    f.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UnreadableError) as err:
        read_form(f)
    assert err.value.code == "unknown_format"


@pytest.mark.libreoffice
def test_random_bytes_in_a_batch_exit_2_and_the_rest_is_read(lo_dir, tmp_path):
    """Random bytes named .pdf, with and without a PDF header: a message each, no library noise."""
    import random

    good = docx_to(make_docx(form(), lo_dir / "batch_good.docx"), "pdf", lo_dir / "pdf")
    folder = tmp_path / "batch"
    folder.mkdir()
    rnd = random.Random(3)
    (folder / "a_noise.pdf").write_bytes(rnd.randbytes(6000))
    (folder / "b_header.pdf").write_bytes(b"%PDF-1.7\n" + rnd.randbytes(6000) + b"\n%%EOF\n")
    (folder / "c_good.pdf").write_bytes(good.read_bytes())
    res = run_cli("parse", "--json", str(folder))
    assert res.returncode == ExitCode.UNREADABLE
    noise, header, ok = json_lines(res.stdout)
    assert noise["error"]["code"] == "unknown_format" and header["error"]["code"] == "pdf_broken"
    assert ok["organization"]["name"] == "株式会社テスト商事"
    # stderr holds our two messages and nothing from pypdf/pdfminer ("EOF marker not found")
    assert [line.split(":")[0] for line in res.stderr.splitlines()] == ["a_noise.pdf", "b_header.pdf"]


def test_damaged_pdf(tmp_path):
    f = tmp_path / "broken.pdf"
    f.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + b"\x00garbage" * 50)
    with pytest.raises(UnreadableError) as err:
        read_form(f)
    assert err.value.code == "pdf_broken"
    assert "壊れて" in err.value.message


def test_text_without_unicode_map_is_refused_like_a_scan(tmp_path):
    f = tmp_path / "cid.pdf"
    f.write_bytes(cid_garbage_pdf())
    with pytest.raises(UnreadableError) as err:
        read_form(f)
    assert err.value.code == "pdf_no_unicode" and "--ocr" in err.value.message


@pytest.mark.libreoffice
def test_scan_is_refused_with_advice(lo_dir, tmp_path):
    docx = make_docx(form(), lo_dir / "to_scan.docx")
    pdf = docx_to(docx, "pdf", lo_dir / "pdf")
    scan = scan_of(pdf, tmp_path / "scan.pdf", dpi=100)
    with pytest.raises(UnreadableError) as err:
        read_form(scan)
    assert err.value.code == "scanned_pdf"
    assert "スキャン" in err.value.message and ".docx" in err.value.message and "--ocr" in err.value.message
    never = tmp_path / "kyotei.toml"
    never.write_text('[reading]\nocr = "never"\n', encoding="utf-8")
    res = run_cli("--config", str(never), "check", str(scan))
    assert res.returncode == ExitCode.UNREADABLE and "スキャン" in res.stderr and "Traceback" not in res.stderr
    assert "[reading] ocr" in res.stderr  # says how OCR would read it


def _encrypted(src: Path, out: Path, user: str, owner: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(src))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-128")
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


@pytest.mark.libreoffice
@pytest.mark.slow
def test_owner_password_only_reads_normally(lo_dir, tmp_path):
    docx = make_docx(form(), lo_dir / "enc.docx")
    pdf = docx_to(docx, "pdf", lo_dir / "pdf")
    locked = _encrypted(pdf, tmp_path / "owner.pdf", user="", owner="city-owner")
    assert b"/Encrypt" in locked.read_bytes()
    assert read_proposal(locked).to_json()["organization"]["name"] == "株式会社テスト商事"


@pytest.mark.libreoffice
@pytest.mark.slow
def test_user_password_is_refused_clearly(lo_dir, tmp_path):
    docx = make_docx(form(), lo_dir / "enc2.docx")
    pdf = docx_to(docx, "pdf", lo_dir / "pdf")
    locked = _encrypted(pdf, tmp_path / "user.pdf", user="secret", owner="secret2")
    with pytest.raises(UnreadableError) as err:
        read_form(locked)
    assert err.value.code == "pdf_password" and "パスワード" in err.value.message
    res = run_cli("parse", "--json", str(locked))
    assert res.returncode == ExitCode.UNREADABLE
    assert json.loads(res.stdout)["error"]["code"] == "pdf_password"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_user_password_is_named_whichever_library_opens_first(tmp_path, algorithm):
    """pdfminer opens the text layer before pypdf looks at form fields: its refusal is a password too."""
    from pypdf import PdfReader, PdfWriter

    plain = reportlab_pdf(tmp_path / "plain.pdf", Page().text(60, 40, "連携協定に関する提案書", 14))
    for user, expected in (("secret", "pdf_password"), ("", None)):
        writer = PdfWriter(clone_from=PdfReader(plain))
        writer.encrypt(user_password=user, owner_password="city-owner", algorithm=algorithm)
        locked = tmp_path / f"locked_{bool(user)}.pdf"
        with open(locked, "wb") as fh:
            writer.write(fh)
        if expected is None:  # an owner password alone does not stop reading
            assert "連携協定に関する提案書" in read_form(locked).text
        else:
            with pytest.raises(UnreadableError) as err:
                read_form(locked)
            assert err.value.code == expected


@pytest.mark.slow
def test_decompression_bomb_stops_within_the_limit(tmp_path):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(flate_bomb_pdf(600))
    assert bomb.stat().st_size < 2 * 1024 * 1024
    start = time.monotonic()
    # the stream cap raised out of the way: the child's memory limit ends it
    with reading(limits=Limits(pdf_seconds=20, memory_mb=350, pdf_stream_mb=4096)):
        with pytest.raises(UnreadableError) as err:
            read_form(bomb)
    assert err.value.code in ("too_complex", "timeout")
    assert time.monotonic() - start < 25


def test_decompression_bomb_stops_at_the_stream_cap(tmp_path):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(flate_bomb_pdf(100))
    with reading(limits=Limits(pdf_stream_mb=8)):
        with pytest.raises(UnreadableError) as err:
            read_form(bomb)
    assert err.value.code == "zip_bomb" and "8 MB" in err.value.message


def test_bounded_zlib_inflates_like_zlib_within_the_cap():
    import zlib

    from kyotei_docs.readers.pdfbounds import bounded_zlib

    data = bytes(range(256)) * 4000
    packed = zlib.compress(data)
    z = bounded_zlib(2 * 1024 * 1024)
    assert z.decompress(packed) == data
    d = z.decompressobj()
    assert d.decompress(packed[:100]) + d.decompress(packed[100:]) + d.flush() == data
    with pytest.raises(zlib.error):
        z.decompress(packed[:-10])  # cut short: the error pdfminer expects, so it tries its repair
    with pytest.raises(UnreadableError):
        bounded_zlib(100_000).decompress(packed)


@pytest.mark.libreoffice
@pytest.mark.slow
def test_batch_goes_on_after_a_bomb(lo_dir, tmp_path):
    docx = make_docx(form(), lo_dir / "good.docx")
    good = docx_to(docx, "pdf", lo_dir / "pdf")
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a_bomb.pdf").write_bytes(flate_bomb_pdf(600))
    (folder / "b_good.pdf").write_bytes(good.read_bytes())
    cfg = tmp_path / "kyotei.toml"
    cfg.write_text("[limits]\npdf_seconds = 20\nmemory_mb = 350\n", encoding="utf-8")
    start = time.monotonic()
    res = run_cli("--config", str(cfg), "parse", "--json", str(folder))
    assert time.monotonic() - start < 60
    assert res.returncode == ExitCode.UNREADABLE
    bomb, ok = json_lines(res.stdout)
    assert bomb["error"]["code"] in ("zip_bomb", "too_complex", "timeout")
    assert ok["organization"]["name"] == "株式会社テスト商事" and ok["format"] == "pdf"


def test_endless_parse_times_out(tmp_path, monkeypatch):
    """A pdfminer infinite loop looks like a parse that never returns: the time limit ends it."""
    f = tmp_path / "slow.pdf"
    # a content stream of a million tiny operators: real work, far beyond a 1-second limit
    f.write_bytes(one_page(b"BT /F1 1 Tf (a) Tj ET\n" * 1_500_000))
    start = time.monotonic()
    with reading(limits=Limits(pdf_seconds=1, memory_mb=1024)):
        with pytest.raises(UnreadableError) as err:
            read_form(f)
    assert err.value.code == "timeout"
    assert time.monotonic() - start < 6


@pytest.mark.libreoffice
@pytest.mark.slow
def test_multi_page_table_keeps_its_rows(lo_dir):
    """A long purpose pushes the table onto page 2; values stay with their labels."""
    from_docx, from_pdf = _via_pdf(_long(), lo_dir, "long")
    import pdfplumber
    with pdfplumber.open(lo_dir / "pdf" / "long.pdf") as doc:
        assert len(doc.pages) >= 2
    _same(from_docx, from_pdf)


def _contact_paragraph(contact: str, **text) -> str:
    """A contact block typed as ONE justified paragraph with manual line breaks (Shift+Enter)."""
    rows = [type_row(), fields_row(), axis_row(), *text_rows(**text),
            [cell("連絡先"), cell(Xml(p(contact, jc="both")), span=2)]]
    return form(rows=rows)


@pytest.mark.parametrize("where", ["cell", "page"])
@pytest.mark.libreoffice
@pytest.mark.slow
def test_manual_line_breaks_in_a_justified_paragraph(lo_dir, where):
    """LibreOffice stretches a line ending in a manual break across the cell (or page), letter by letter.

    Such a line reaches the right edge like a wrapped one; it still ends its entry,
    and its widened letter gaps are no spaces.
    """
    from_docx, from_pdf = _via_pdf(BODIES[f"shift_enter_{where}"](), lo_dir, f"shift_enter_{where}")
    import pdfplumber
    with pdfplumber.open(lo_dir / "pdf" / f"shift_enter_{where}.pdf") as doc:
        chars = [c for page in doc.pages for c in page.chars]
    gaps = [min(b["x0"] for b in chars if b is not a and abs(b["top"] - a["top"]) < 1 and b["x0"] >= a["x1"] - 1)
            - a["x1"] for a in chars if a["text"] == "担"]
    assert max(gaps) > 10  # the line 「担当者氏名：…」 really is stretched in the PDF
    assert from_pdf["contact"] == {"department": "経営企画部", "name": "山田\u3000太郎",
                                   "phone": "0166-00-0000(代表)", "email": "yamada@example.co.jp"}
    _same(from_docx, from_pdf)


@pytest.mark.libreoffice
@pytest.mark.slow
def test_wrapped_lines_of_a_justified_paragraph_stay_joined(lo_dir):
    """Lines that truly wrap are stretched to the edge too, a little or, before a long URL, a lot: still one line.

    The department wraps in the middle of its value and then ends in a manual break
    on a stretched line; the purpose wraps before a URL that does not fit.
    """
    from_docx, from_pdf = _via_pdf(_justified_wrap(), lo_dir, "justified_wrap")
    assert from_pdf["purpose"] == WRAP_PURPOSE
    assert from_pdf["contact"]["department"] == ("経営企画部\u3000地域連携推進課\u3000産学官連携担当"
                                                 "（北海道旭川市緑町一丁目二番三号\u3000旭川分室内）")
    assert from_pdf["contact"]["name"] == "山田\u3000太郎"
    assert from_pdf["contact"]["email"] == "yamada.taro.kyotei-tantou@asahikawa-branch.example.co.jp"
    _same(from_docx, from_pdf)


# ------------------------------------------------------------------ the documents LibreOffice exports

def _narrow() -> str:
    rows = [type_row(), [cell("連携の分野"), cell("☑環境\u3000☑子育て"), cell("")],
            axis_row(), *text_rows(), *contact_rows()]
    # middle grid column 74.5 pt: six characters fit, the seventh wraps
    body = form(rows=rows).replace('<w:gridCol w:w="1600"/>', '<w:gridCol w:w="1490"/>')
    return body.replace("<w:p><w:r><w:t xml:space=\"preserve\">部　署　名", "<w:p><w:r><w:t xml:space=\"preserve\">部署名")


def _long() -> str:
    long_purpose = "\n".join(f"{i}．市民の健康増進と環境保全を進めるための取組を行う。" for i in range(1, 45))
    return form(rows=[type_row(), fields_row(), axis_row(), *text_rows(purpose=long_purpose), *contact_rows()])


SHIFT_ENTER = ("所属部署：経営企画部\n担当者氏名：山田　太郎\n電話番号：0166-00-0000（代表）\n"
               "E-mail：yamada@example.co.jp")
WRAP_PURPOSE = ("市民の健康増進と環境保全を進めるため、当社の資料（https://www.example.co.jp/kyotei/2026/proposal-document.pdf）"
                "に示す取組を旭川市と共同で実施し、地域の課題解決に向けた継続的な連携体制を構築する。")


def _justified_wrap() -> str:
    contact = ("所属部署：経営企画部　地域連携推進課　産学官連携担当（北海道旭川市緑町一丁目二番三号　旭川分室内）\n"
               "担当者氏名：山田　太郎\nE-mail：yamada.taro.kyotei-tantou@asahikawa-branch.example.co.jp")
    return _contact_paragraph(contact, purpose=WRAP_PURPOSE)


#: every document the tests above export with LibreOffice (``lo_dir`` exports them in one run)
BODIES = {
    "standard": form,
    "narrow": _narrow,
    "long": _long,
    "shift_enter_cell": lambda: _contact_paragraph(SHIFT_ENTER),
    # below the table, as a retyped form has it
    "shift_enter_page": lambda: (form(rows=[type_row(), fields_row(), axis_row(), *text_rows()])
                                 + p("連絡先\n" + SHIFT_ENTER, jc="both")),
    "justified_wrap": _justified_wrap,
}
