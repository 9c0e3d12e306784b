"""Files that are plainly not Form 1, one of each shape that was slow to refuse (issue 20).

Built from raw PDF operators, reportlab, PIL and hand-written RTF/ODF, never from our own
templates: a one-page drawing of ~51,000 path operations, a scanned page (one big image and
no text), a scanned report and a phone photo of it, a first page heavy for pdfplumber (thousands of characters and cells), a fillable
form that is not Form 1 (a tax return's fields), and a letter as .rtf, .odt and .doc (the
.doc made by LibreOffice from a .docx, as a real .doc is Word's binary format).
Used by ``bench/bench_refuse.py`` and by ``tests/test_refuse_early.py``.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

LETTER = ("拝啓　時下ますますご清祥のこととお喜び申し上げます。平素は格別のお引き立てを賜り、"
          "厚く御礼申し上げます。さて、このたび弊社では新製品の展示会を開催する運びとなりました。")


def drawing_pdf(path: Path, operations: int = 51_000) -> Path:
    """One A4 page of a vector drawing: ``operations`` path operators (moveto/lineto/stroke) and a title."""
    from pdfbuild import one_page

    rng = random.Random(7)
    ops = [b"BT /F1 12 Tf 40 800 Td (Site plan, sheet 3 of 12) Tj ET", b"0.2 w"]
    n = 0
    while n < operations:
        x, y = rng.uniform(20, 575), rng.uniform(20, 780)
        ops.append(b"%.1f %.1f m %.1f %.1f l %.1f %.1f l S" % (x, y, x + rng.uniform(-30, 30), y + rng.uniform(-30, 30),
                                                            x + rng.uniform(-30, 30), y + rng.uniform(-30, 30)))
        n += 4
    font = b"<< /Font << /F1 5 0 R >> >>"
    path.write_bytes(one_page(b"\n".join(ops), font, [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]))
    return path


def scanned_pdf(path: Path, dpi: int = 200) -> Path:
    """An A4 page as a scanner saves it: one greyscale image, no text layer."""
    from PIL import Image, ImageDraw

    w, h = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (w, h), 250)
    draw = ImageDraw.Draw(img)
    rng = random.Random(3)
    for row in range(60):  # lines of "print" and speckle, so the image does not compress to nothing
        y = 150 + row * 50
        for x in range(120, w - 120, 14):
            if rng.random() < 0.8:
                draw.rectangle([x, y, x + rng.randint(4, 11), y + rng.randint(10, 22)], fill=rng.randint(0, 90))
    for _ in range(40_000):
        img.putpixel((rng.randrange(w), rng.randrange(h)), rng.randint(120, 255))
    img.save(path, "PDF", resolution=dpi)
    return path


def scanned_report_pdf(path: Path, dpi: int = 200) -> Path:
    """A scanned page of real Japanese text (a traffic survey report), upright: what a scanner gives
    for a document that is not Form 1, as opposed to :func:`scanned_pdf`'s speckle."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (w, h), 250)
    draw = ImageDraw.Draw(img)
    font_path = next((f for f in ("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
                                  "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf",
                                  "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc") if Path(f).exists()), None)
    font = ImageFont.truetype(font_path, int(dpi * 11 / 72)) if font_path else ImageFont.load_default()
    for row in range(40):
        draw.text((int(dpi * 0.8), int(dpi * 0.8) + row * int(dpi * 0.25)),
                  f"交通量調査の結果（第{row + 1}地点）：平日の通行台数は前年より増え、休日は横ばいでした。",
                  fill=20, font=font)
    img.save(path, "PDF", resolution=dpi)
    return path


def report_photo_jpg(path: Path) -> Path:
    """A phone photo (a desk, an angle, uneven light, JPEG) of :func:`scanned_report_pdf`'s page printed:
    an image file that is not Form 1."""
    from scanbuild import phone_photo, render

    page = render(scanned_report_pdf(path.with_suffix(".pdf"), dpi=150), dpi=150)
    phone_photo(page, width=1600).save(path, quality=85)
    return path


def heavy_first_page_pdf(path: Path) -> Path:
    """A dense statistics table: ~9,000 characters in 7 pt and 1,200 ruled cells on the first page."""
    from pdfbuild import Page, reportlab_pdf

    pages = []
    for n in range(3):
        pg = Page().text(40, 20, f"令和５年　市町村別人口動態統計表（第{n + 1}表）", 12)
        for r in range(60):
            for c in range(20):
                pg.rect(20 + c * 28, 40 + r * 12.5, 28, 12.5)
                pg.text(21 + c * 28, 41 + r * 12.5, f"{(r * 37 + c * 11) % 99991:>6}", 6)
        pages.append(pg)
    return reportlab_pdf(path, *pages)


def fillable_tax_form_pdf(path: Path, fields: int = 180) -> Path:
    """A fillable form that is not Form 1: a return with ``fields`` text fields and check boxes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from pdfbuild import _font

    c = Canvas(str(path), pagesize=A4)
    form = c.acroForm
    font = _font()
    per_page = 60
    for n in range(fields):
        if n and n % per_page == 0:
            c.showPage()
        row = n % per_page
        y = 800 - row * 12.8
        c.setFont(font, 7)
        c.drawString(30, y + 2, f"所得の内訳 {n + 1}　給与・事業・不動産・配当（円）")
        if n % 5 == 4:
            form.checkbox(name=f"chk{n}", x=300, y=y, size=9, buttonStyle="check", borderWidth=0.5)
        else:
            form.textfield(name=f"amount_{n}", x=300, y=y, width=200, height=10, fontSize=7, borderWidth=0.5)
    c.save()
    return path


def letter_rtf(path: Path) -> Path:
    """A letter in RTF with Japanese text as \\uNNNN? escapes, a font and a colour table."""
    body = "".join(rf"\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?" for ch in LETTER * 40)
    path.write_text(r"{\rtf1\ansi\ansicpg932\deff0{\fonttbl{\f0\fnil MS Mincho;}}{\colortbl;\red0\green0\blue0;}"
                    r"\viewkind4\uc1\pard\f0\fs21 " + body + r"\par}", encoding="ascii")
    return path


def letter_odt(path: Path) -> Path:
    """A letter as an OpenDocument text, written by hand (mimetype stored first, as ODF requires)."""
    paras = "".join(f"<text:p>{LETTER}</text:p>" for _ in range(40))
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:text>{paras}</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    path.write_bytes(buffer.getvalue())
    return path


def letter_doc(path: Path) -> Path:
    """A letter as Word 97–2003 .doc (LibreOffice saves a .docx built from raw XML)."""
    from docxbuild import make_docx, p
    from pdfbuild import docx_to

    docx = make_docx("".join(p(LETTER) for _ in range(40)), path.with_suffix(".src.docx"))
    made = docx_to(docx, "doc", path.parent / "doc-out")
    made.replace(path)
    return path
