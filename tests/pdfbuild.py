"""Build PDFs for tests: by hand (raw objects), with reportlab, or with LibreOffice from a .docx.

Each way produces what real submissions contain: LibreOffice/Word exports
(text layer with tables), reportlab pages with text exactly where a test
wants it (wrapped labels, fake bold, Kangxi radicals), raw PDFs for what no
tool writes on purpose (fonts without Unicode maps, decompression bombs).
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path

MINCHO = "HeiseiMin-W3"
A4 = (595.28, 841.89)


@dataclass
class Page:
    """Text and shapes for one reportlab page; y is measured from the top, like pdfplumber."""

    texts: list[tuple[float, float, str, float]] = field(default_factory=list)  # x, top, text, size
    rects: list[tuple[float, float, float, float]] = field(default_factory=list)  # x, top, w, h
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, top0, x1, top1

    def text(self, x: float, top: float, text: str, size: float = 10.5) -> Page:
        self.texts.append((x, top, text, size))
        return self

    def rect(self, x: float, top: float, w: float, h: float) -> Page:
        self.rects.append((x, top, w, h))
        return self

    def line(self, x0: float, top0: float, x1: float, top1: float) -> Page:
        self.lines.append((x0, top0, x1, top1))
        return self


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if MINCHO not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(MINCHO))
    return MINCHO


def draw(canvas, page: Page) -> None:
    """Draw ``page`` on a reportlab canvas (top-based coordinates)."""
    height = A4[1]
    font = _font()
    for x, top, text, size in page.texts:
        canvas.setFont(font, size)
        canvas.drawString(x, height - top - size * 0.88, text)
    canvas.setLineWidth(0.6)
    for x, top, w, h in page.rects:
        canvas.rect(x, height - top - h, w, h, stroke=1, fill=0)
    for x0, t0, x1, t1 in page.lines:
        canvas.line(x0, height - t0, x1, height - t1)


def reportlab_pdf(path: Path, *pages: Page) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4)
    for page in pages:
        draw(c, page)
        c.showPage()
    c.save()
    return path


def docx_to(docx: Path, target: str, out_dir: Path) -> Path:
    """Convert with LibreOffice (the project's runner); fail loudly if it cannot."""
    from kyotei_docs.office import convert

    result = convert([docx], target, out_dir)
    assert docx in result.outputs, result.failures
    return result.outputs[docx]


def scan_of(pdf: Path, out: Path, dpi: int = 200) -> Path:
    """An image-only PDF of ``pdf``'s pages, as a scanner makes it."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    images = [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
    doc.close()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out


# ---------------------------------------------------------------- raw PDFs

def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from object bodies (object 1 must be the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page(content: bytes, resources: bytes = b"<< >>", extra_objects: list[bytes] | None = None,
             content_extra: bytes = b"") -> bytes:
    """Catalog, pages, one A4 page with ``content``; extra objects are numbered from 5."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources
        + b" /Contents 4 0 R >>",
        stream(content, content_extra),
        *(extra_objects or []),
    ])


def cid_garbage_pdf() -> bytes:
    """Text in a Type0 font with Identity-H and no ToUnicode: pdfminer gives ``(cid:NNN)``."""
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H"
            b" /DescendantFonts [6 0 R] >>")
    cidfont = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMap /CIDToGIDMap /Identity"
               b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
               b" /FontDescriptor 7 0 R /DW 1000 >>")
    desc = (b"<< /Type /FontDescriptor /FontName /NoMap /Flags 4 /FontBBox [0 0 1000 1000]"
            b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    lines = b"".join(b"BT /F1 10.5 Tf 70 %d Td <%s> Tj ET\n" % (760 - 14 * i, b"0101020203030404050506060707" * 2)
                     for i in range(20))
    return one_page(lines, b"<< /Font << /F1 5 0 R >> >>", [font, cidfont, desc])


def flate_bomb_pdf(megabytes: int) -> bytes:
    """A small PDF whose page content inflates to ``megabytes`` MB of zeros."""
    comp = zlib.compressobj(9)
    chunk = bytes(1024 * 1024)
    parts = [comp.compress(chunk) for _ in range(megabytes)]
    parts.append(comp.flush())
    data = b"".join(parts)
    return one_page(data, content_extra=b"/Filter /FlateDecode")
