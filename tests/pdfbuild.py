"""Build PDFs for tests: by hand (raw objects), with reportlab, or with LibreOffice from a .docx.

Each way produces what real submissions contain: LibreOffice/Word exports
(text layer with tables), reportlab pages with text exactly where a test
wants it (wrapped labels, fake bold, Kangxi radicals), raw PDFs for what no
tool writes on purpose (fonts without Unicode maps, decompression bombs).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    """Convert with LibreOffice (the project's runner); fail loudly if it cannot.

    The output is LibreOffice's own, made once per worker for each content and target
    (:func:`docx_to_all` converts a module's files in one LibreOffice run beforehand);
    the file in ``out_dir`` is ``<stem>.<target>`` (or ``<stem> (2).<target>`` … as
    :func:`kyotei_docs.office.convert` names it), a copy of that output.
    """
    return docx_to_all([docx], target, out_dir)[docx]


#: (what a file holds, target) → LibreOffice's output for it, kept for this worker's session
_converted: dict[tuple[str, str], Path] = {}
_kept: list[Any] = []  # the folder those outputs are kept in (removed when the worker ends)


def docx_to_all(files: list[Path], target: str, out_dir: Path | None = None) -> dict[Path, Path]:
    """Convert ``files`` to ``target`` in ONE LibreOffice run (what is not converted yet); copy each into ``out_dir``.

    LibreOffice's start costs ~1 s of CPU, converting a small document a fraction of that:
    a test module converts the files its tests will ask :func:`docx_to` for first, in one
    batch (a module-scoped fixture of a ``libreoffice`` test), and a file whose content was
    converted before (the same form built again under another name) is not converted twice.
    What a file holds is its bytes, or for a zip (.docx, .odt) its members' names and bytes:
    a zip records when each member was written, which LibreOffice's output does not depend on.
    A test without the ``libreoffice`` mark always asks LibreOffice (and the guard of
    tests/conftest.py fails it), whatever was converted before.
    """
    import os
    import tempfile

    from conftest import OFFICE_LOG
    from kyotei_docs.office import convert
    from kyotei_docs.publish import copy_new

    guarded = OFFICE_LOG in os.environ
    keys = {f: (_content_key(f), target) for f in files}
    todo = [f for f in files if guarded or not (keys[f] in _converted and _converted[keys[f]].exists())]
    todo = list({keys[f]: f for f in todo}.values())  # the same content once
    if todo:
        if not _kept:
            _kept.append(tempfile.TemporaryDirectory(prefix="kyotei-test-converted-"))
        scratch = Path(tempfile.mkdtemp(dir=_kept[0].name))
        result = convert(todo, target, scratch)
        assert set(result.outputs) == set(todo), result.failures
        for f, made in result.outputs.items():
            _converted[keys[f]] = made
    outputs = {}
    for f in files:
        made = _converted[keys[f]]
        if out_dir is None:
            outputs[f] = made
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        outputs[f] = copy_new(made, out_dir / f"{f.stem}.{target}")
    return outputs


def _content_key(path: Path) -> str:
    import hashlib
    import zipfile

    digest = hashlib.sha256()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                digest.update(info.filename.encode() + b"\0" + z.read(info) + b"\0")
    else:
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
    from hostile import ZEROS_MB, ZerosDeflater

    comp = ZerosDeflater(9, 15)  # as zlib.compressobj(9) makes it, the zeros deflated once
    parts = [comp.compress(ZEROS_MB) for _ in range(megabytes)]
    parts.append(comp.flush())
    data = b"".join(parts)
    return one_page(data, content_extra=b"/Filter /FlateDecode")

# ---------------------------------------------------------------- forms made fillable by Acrobat

#: what a company fills into the Acrobat-style form (our meaning -> value)
ACROBAT_VALUES: dict[str, str | bool] = {
    "era_year": "8", "month": "4", "day": "1",
    "address": "北海道旭川市神楽１条", "name": "株式会社かぐら", "representative": "代表取締役　神楽　一郎",
    "type": "Choice2", "field_環境": True, "field_子育て": True, "field_その他": True, "other": "食育",
    "axis": "0", "axis_text": "子育て", "purpose": "子どもの食育を進めるため。",
    "effects": "食品ロスの削減。\n地域の魅力向上。", "department": "総務部", "contact": "神楽　花",
    "phone": "0166-99-0000", "email": "hana@example.jp",
}

#: Acrobat's check box on-values as companies' Acrobat versions write them
ON_VALUES = ("/On", "/1", "/Ja", "/Oui", "/Check", "/Yes")


def acrobat_form(path: Path, *, axis_exports: tuple[str, str] = ("0", "1"),
                 type_exports: tuple[str, str] = ("Choice1", "Choice2")) -> dict[str, str]:
    """Form 1 printed from Word and made fillable by Acrobat's field detection.

    Acrobat names what it finds generically (Text1, Check Box7, Group1), makes
    the agreement type and the axis choice radio groups with export values
    Choice1/Choice2 or 0/1, splits the date 「令和[ ]年[ ]月[ ]日」 into three
    fields, and puts a field inside the printed 「有（主軸分野：　　）」.
    Returns our meaning -> the field name Acrobat gave it.
    """
    from reportlab.pdfgen.canvas import Canvas

    _font()
    c = Canvas(str(path), pagesize=A4)
    h = A4[1]
    page = Page()
    page.text(70, 60, "（様式１）")
    page.text(330, 80, "令和　　年　　月　　日")
    page.text(70, 100, "旭川市長　様")
    page.text(250, 125, "所在地").text(250, 145, "企業等名称").text(250, 165, "代表者氏名")
    page.text(200, 195, "連携協定に関する提案書", 14)
    tops = [225, 255, 355, 405, 465, 525, 549, 573, 597, 621]
    for t in tops:
        page.line(60, t, 530, t)
    for x in (60, 170, 530):
        page.line(x, 225, x, 621)
    page.text(65, 230, "連携協定の種別")
    page.text(200, 234, "個別連携協定").text(340, 234, "包括連携協定")
    page.text(65, 260, "連携の分野")
    from kyotei_docs.vocab import FIELDS
    for k, name in enumerate(FIELDS):
        page.text(190 + (k % 3) * 115, 262 + (k // 3) * 18, name, 9.5)
    page.text(190, 334, "その他（", 9.5).text(470, 334, "）", 9.5)
    page.text(65, 360, "主軸分野の有無")
    page.text(190, 364, "有（主軸分野：").text(460, 364, "）")
    page.text(190, 386, "無")
    page.text(65, 410, "協定締結の目的")
    page.text(65, 470, "連携により").text(65, 483, "期待される効果")
    page.text(65, 530, "部署名").text(65, 554, "担当者氏名").text(65, 578, "電話番号").text(65, 602, "メールアドレス", 9)
    draw(c, page)
    names: dict[str, str] = {}
    counter = iter(range(1, 100))

    def tf(key: str, x: float, top: float, w: float, hh: float = 14, multiline: bool = False) -> None:
        names[key] = f"Text{next(counter)}"
        c.acroForm.textfield(name=names[key], x=x, y=h - top - hh, width=w, height=hh, fontName="Helvetica",
                             fontSize=0 if multiline else 9, borderWidth=0,
                             fieldFlags="multiline" if multiline else "")

    def cb(key: str, x: float, top: float) -> None:
        names[key] = f"Check Box{next(counter)}"
        c.acroForm.checkbox(name=names[key], x=x, y=h - top - 9, size=9, buttonStyle="check",
                            borderWidth=0.5, checked=False)

    def radio(group: str, key: str, value: str, x: float, top: float) -> None:
        names[key] = group
        c.acroForm.radio(name=group, value=value, selected=False, x=x, y=h - top - 9, size=9,
                         buttonStyle="circle", borderWidth=0.5)

    tf("era_year", 356, 78, 18)
    tf("month", 388, 78, 18)
    tf("day", 420, 78, 18)
    tf("address", 310, 123, 210)
    tf("name", 310, 143, 210)
    tf("representative", 310, 163, 210)
    radio("Group1", "type", type_exports[0], 187, 235)
    radio("Group1", "type", type_exports[1], 327, 235)
    for k, name in enumerate(FIELDS):
        cb(f"field_{name}", 178 + (k % 3) * 115, 263 + (k // 3) * 18)
    cb("field_その他", 178, 335)
    tf("other", 232, 333, 235)
    radio("Group2", "axis", axis_exports[0], 177, 365)
    tf("axis_text", 262, 362, 195)
    radio("Group2", "axis", axis_exports[1], 177, 387)
    tf("purpose", 175, 408, 350, 54, multiline=True)
    tf("effects", 175, 468, 350, 54, multiline=True)
    tf("department", 175, 528, 350, 18)
    tf("contact", 175, 552, 350, 18)
    tf("phone", 175, 576, 350, 18)
    tf("email", 175, 600, 350, 18)
    c.showPage()
    c.save()
    _acrobat_on_values(path)
    return names


def _annots(doc: Any) -> list[Any]:
    """The first page's widget references of a PdfReader or PdfWriter (pypdf types them as any PDF object)."""
    from pypdf.generic import ArrayObject

    annots = doc.pages[0]["/Annots"].get_object()
    assert isinstance(annots, ArrayObject)
    return list(annots)


def _acrobat_on_values(path: Path) -> None:
    """Give each check box one of the on-values Acrobat versions write (/On, /1, /Ja, /Oui, /Check)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(str(path)))
    k = 0
    for ref in _annots(writer):
        annot = ref.get_object()
        if annot.get("/FT") != "/Btn" or "/Parent" in annot:
            continue
        on = ON_VALUES[k % len(ON_VALUES)]
        k += 1
        ap = annot["/AP"]
        for state in ("/N", "/D"):
            if state in ap:
                ap[NameObject(state)] = DictionaryObject({NameObject(on if key == "/Yes" else key): v
                                                          for key, v in ap[state].items()})
    with open(path, "wb") as fh:
        writer.write(fh)


def fill_acrobat(src: Path, out: Path, names: dict[str, str], values: dict[str, str | bool],
                 *, appearance: bool = True) -> Path:
    """Fill as a viewer does: ``/V`` on the field and, unless told not to, the widget's ``/AS``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(str(src)))
    by_name = {names[k]: v for k, v in values.items() if k in names}
    for ref in _annots(writer):
        annot = ref.get_object()
        parent = annot.get("/Parent")
        field = parent.get_object() if parent is not None else annot
        value = by_name.get(str(field.get("/T")))
        if value is None:
            continue
        states = [k for k in annot.get("/AP", {}).get("/N", {}) if k != "/Off"] if "/AP" in annot else []
        if value is True:
            on = states[0] if states else "/Yes"
            field[NameObject("/V")] = NameObject(on)
            if appearance:
                annot[NameObject("/AS")] = NameObject(on)
        elif annot.get("/FT", field.get("/FT")) == "/Btn" and isinstance(value, str):
            field[NameObject("/V")] = NameObject("/" + value)
            if appearance:
                annot[NameObject("/AS")] = NameObject("/" + value if "/" + value in states else "/Off")
        elif isinstance(value, str):
            field[NameObject("/V")] = TextStringObject(value)
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


# ---------------------------------------------------------------- fillable forms from raw objects

#: a fillable Form 1's values, by the label each field is named after
VALUES = {"所在地": "北海道旭川市緑町１丁目", "企業等名称": "株式会社フィールド", "代表者氏名": "代表取締役　野原　一",
          "主軸分野": "福祉・医療・健康", "協定締結の目的": "健康づくりを進めるため。",
          "連携により期待される効果": "健診受診率の向上。", "部署名": "総務部", "担当者氏名": "野原　花",
          "電話番号": "0166-11-2222", "メールアドレス": "hana@field.example.jp"}
#: name -> (x, top, width, height) of its widget; the axis field inside the printed brackets
PLACES = {"所在地": (310, 123, 210, 14), "企業等名称": (310, 143, 210, 14), "代表者氏名": (310, 163, 210, 14),
          "主軸分野": (300, 288, 155, 14), "協定締結の目的": (175, 355, 350, 40),
          "連携により期待される効果": (175, 415, 350, 40), "部署名": (175, 458, 350, 14),
          "担当者氏名": (175, 478, 350, 14), "電話番号": (175, 498, 350, 14), "メールアドレス": (175, 518, 350, 14)}
CHECKS = {"個別連携協定": (188, 231), "包括連携協定": (328, 231), "環境": (188, 261),
          "福祉・医療・健康": (328, 261), "有": (188, 291), "無": (188, 311)}
TICKED = {"包括連携協定", "環境", "福祉・医療・健康", "有"}


def _named_form_page(path: Path) -> None:
    """Form 1's text layer: labels at the left, 「有　主軸分野（　　　）」, 協定締結の目的 above its field."""
    from reportlab.pdfgen.canvas import Canvas

    _font()
    c = Canvas(str(path), pagesize=A4)
    page = Page()
    page.text(70, 60, "様式１").text(330, 80, "令和８年１１月２０日").text(70, 100, "旭川市長　様")
    page.text(250, 125, "所在地").text(250, 145, "企業等名称").text(250, 165, "代表者氏名")
    page.text(200, 195, "連携協定に関する提案書", 14)
    page.text(65, 230, "連携協定の種別").text(200, 230, "個別連携協定").text(340, 230, "包括連携協定")
    page.text(65, 260, "連携の分野").text(200, 260, "環境").text(340, 260, "福祉・医療・健康")
    page.text(65, 290, "主軸分野の有無").text(200, 290, "有　主軸分野（" + "\u3000" * 16 + "）").text(200, 310, "無")
    page.text(65, 340, "協定締結の目的").text(65, 400, "連携により期待される効果")
    page.text(65, 460, "部署名").text(65, 480, "担当者氏名").text(65, 500, "電話番号").text(65, 520, "メールアドレス")
    draw(c, page)
    c.showPage()
    c.save()


def _string(text: str, encoding: str):
    from pypdf.generic import ByteStringObject, TextStringObject

    raw = {"utf16": lambda: b"\xfe\xff" + text.encode("utf-16-be"), "utf8": lambda: text.encode("utf-8"),
           "utf8bom": lambda: b"\xef\xbb\xbf" + text.encode("utf-8"), "sjis": lambda: text.encode("cp932"),
           "escaped": lambda: "".join(c if c.isascii() else "".join(f"#{b:02X}" for b in c.encode()) for c in text)
           .encode("ascii")}.get(encoding)
    return ByteStringObject(raw()) if raw else TextStringObject(text)


def fillable(path: Path, *, names: str = "utf16", values: str = "utf16", axis_value: object = None,
             nested: bool = False, generic: bool = False, appearances: bool = True, need_appearances: bool | None = None,
             axis_options: list[tuple[str, str]] | None = None,
             moved: dict[str, tuple[float, float, float, float]] | None = None) -> Path:
    """Form 1 printed with labels, fields added from raw objects the way each tool writes them.

    Fields are named after their labels (``generic``: Text1, Text2 … as Acrobat's detection
    names them), the axis field inside the printed 「有　主軸分野（　　）」; ``names`` and
    ``values`` say how their strings are encoded (utf16, pdfdoc, utf8, utf8bom, sjis, and
    escaped: LibreOffice's 「#E4#B8#BB…」); ``nested`` puts them under Acrobat's
    「form1[0].#subform[0]」; ``moved`` places a widget elsewhere.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        StreamObject,
        TextStringObject,
    )

    _named_form_page(path)
    h = A4[1]
    w = PdfWriter(clone_from=PdfReader(str(path)))
    page = w.pages[0]
    annots, fields = ArrayObject(), ArrayObject()
    parent: Any = None
    kids = ArrayObject()  # the fields under the nesting
    if nested:  # what Acrobat keeps of a LiveCycle form: form1[0] > #subform[0] > 主軸分野[0]
        form1 = DictionaryObject({NameObject("/T"): TextStringObject("form1[0]")})
        fields.append(w._add_object(form1))
        parent = w._add_object(DictionaryObject({NameObject("/T"): TextStringObject("#subform[0]"),
                                                 NameObject("/Kids"): kids, NameObject("/Parent"): fields[0]}))
        form1[NameObject("/Kids")] = ArrayObject([parent])

    def appearance(width: float, height: float, data: bytes):
        s = StreamObject()
        s._data = data
        s[NameObject("/BBox")] = ArrayObject([FloatObject(v) for v in (0, 0, width, height)])
        return w._add_object(s)

    def add(name: str, ft: str, rect: tuple[float, float, float, float], value, **extra) -> None:
        field = DictionaryObject({NameObject("/FT"): NameObject(ft), NameObject("/Type"): NameObject("/Annot"),
                                  NameObject("/Subtype"): NameObject("/Widget"), NameObject("/P"): page.indirect_reference,
                                  NameObject("/T"): _string(name + ("[0]" if nested else ""), names),
                                  NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
                                  NameObject("/DA"): TextStringObject("/Helv 9 Tf 0 g"), NameObject("/V"): value})
        field.update({NameObject(k): v for k, v in extra.items()})
        width, height = rect[2] - rect[0], rect[3] - rect[1]
        if ft == "/Btn":
            field[NameObject("/AS")] = value
            if appearances:
                field[NameObject("/AP")] = DictionaryObject({NameObject("/N"): DictionaryObject({
                    NameObject("/Yes"): appearance(width, height, b"1 1 m 8 8 l S"),
                    NameObject("/Off"): appearance(width, height, b"")})})
        elif appearances:
            field[NameObject("/AP")] = DictionaryObject({NameObject("/N"): appearance(width, height, b"/Tx BMC EMC")})
        ref = w._add_object(field)
        annots.append(ref)
        if parent is not None:
            field[NameObject("/Parent")] = parent
            kids.append(ref)
        else:
            fields.append(ref)

    for k, (label, (x, top, width, height)) in enumerate({**PLACES, **(moved or {})}.items()):
        name = f"Text{k + 1}" if generic else label
        rect = (x, h - top - height, x + width, h - top)
        if label == "主軸分野":
            value = axis_value if axis_value is not None else _string(VALUES[label], values)
            extra = {}
            if axis_options is not None:
                extra = {"/Opt": ArrayObject([ArrayObject([TextStringObject(e), TextStringObject(d)])
                                              for e, d in axis_options]), "/Ff": NumberObject(1 << 17)}
            add(name, "/Ch" if axis_options is not None else "/Tx", rect, value, **extra)
        else:
            add(name, "/Tx", rect, _string(VALUES[label], values), **({"/Ff": NumberObject(1 << 12)} if height > 14 else {}))
    for label, (x, top) in CHECKS.items():
        add(label, "/Btn", (x, h - top - 9, x + 9, h - top), NameObject("/Yes" if label in TICKED else "/Off"))
    page[NameObject("/Annots")] = annots
    acro = DictionaryObject({NameObject("/Fields"): fields, NameObject("/DA"): TextStringObject("/Helv 0 Tf 0 g")})
    if need_appearances is not None:
        acro[NameObject("/NeedAppearances")] = BooleanObject(need_appearances)
    w._root_object[NameObject("/AcroForm")] = w._add_object(acro)
    with open(path, "wb") as fh:
        w.write(fh)
    return path


# ---------------------------------------------------------------- a web form printed to PDF

WEB_VALUES: dict[str, object] = {
    "date": "令和8年5月20日", "address": "北海道旭川市宮前１条３丁目", "name": "ウェブ商事株式会社",
    "representative": "代表取締役　網野　光", "type": "包括連携協定", "fields": ["災害対策", "観光・魅力発信"],
    "axis": "有", "axis_text": "観光・魅力発信", "purpose": "観光と防災の情報発信を連携して進めるため。",
    "effects": "来訪者の安全と満足度の向上。", "department": "広報部", "contact": "網野　陽",
    "phone": "0166-33-4455", "email": "yo@web.example.jp",
}


def web_form_pdf(path: Path, values: dict[str, object] | None = None) -> Path:
    """Form 1 as a company's web form prints it from a browser: every control is a drawing.

    Checkboxes are rounded squares (curves), blue and with a white tick path
    when checked; radio buttons are circles with a filled dot when chosen;
    text inputs are rounded boxes with the value inside.  Nothing is a form
    field and no glyph says ☑: the state is only in the drawing.
    """
    from reportlab.lib.colors import Color
    from reportlab.pdfgen.canvas import Canvas

    v = dict(WEB_VALUES if values is None else values)
    font = _font()
    c = Canvas(str(path), pagesize=A4)
    h = A4[1]
    blue, grey, white = Color(0, 0.46, 1), Color(0.46, 0.46, 0.46), Color(1, 1, 1)

    def text(x: float, top: float, s: str, size: float = 10.0) -> None:
        c.setFillColor(Color(0, 0, 0))
        c.setFont(font, size)
        c.drawString(x, h - top - size * 0.88, s)

    def checkbox(x: float, top: float, checked: bool, s: float = 9.75) -> None:
        y = h - top - s
        c.setLineWidth(0.75)
        c.setFillColor(blue if checked else white)
        c.setStrokeColor(blue if checked else grey)
        c.roundRect(x, y, s, s, 1.5, stroke=1, fill=1)
        if checked:
            c.setStrokeColor(white)
            c.setLineWidth(1.5)
            tick = c.beginPath()
            tick.moveTo(x + 2, y + s / 2)
            tick.lineTo(x + s * 0.42, y + 2.2)
            tick.lineTo(x + s - 2, y + s - 2.2)
            c.drawPath(tick, stroke=1, fill=0)

    def radio(x: float, top: float, checked: bool, s: float = 9.75) -> None:
        cx, cy = x + s / 2, h - top - s / 2
        c.setLineWidth(1.2 if checked else 0.75)
        c.setStrokeColor(blue if checked else grey)
        c.setFillColor(white)
        c.circle(cx, cy, s / 2, stroke=1, fill=1)
        if checked:
            c.setFillColor(blue)
            c.circle(cx, cy, s / 4, stroke=0, fill=1)

    def field(x: float, top: float, w: float, value: str, hh: float = 18.0) -> None:
        c.setLineWidth(0.75)
        c.setStrokeColor(grey)
        c.setFillColor(white)
        c.roundRect(x, h - top - hh, w, hh, 2, stroke=1, fill=1)
        for k, line in enumerate(value.split("\n")):
            text(x + 4, top + 4 + 13 * k, line)

    text(150, 40, "連携協定に関する提案書（様式１）　入力フォーム", 13)
    rows = [("提出日", "date"), ("所在地", "address"), ("企業等名称", "name"), ("代表者氏名", "representative")]
    top = 80.0
    for label, key in rows:
        text(60, top + 4, label)
        field(170, top, 340, str(v.get(key, "")))
        top += 28
    text(60, top, "連携協定の種別")
    for k, option in enumerate(("個別連携協定", "包括連携協定")):
        radio(170 + 130 * k, top, v.get("type") == option)
        text(184 + 130 * k, top, option)
    top += 26
    from kyotei_docs.vocab import FIELDS

    text(60, top, "連携の分野")
    chosen = set(v.get("fields") or [])  # type: ignore[call-overload]
    for k, name in enumerate(FIELDS):
        x, t = 170 + (k % 3) * 120, top + (k // 3) * 18
        checkbox(x, t, name in chosen)
        text(x + 14, t, name, 9.5)
    top += 4 * 18 + 8
    text(60, top, "主軸分野の有無")
    for k, option in enumerate(("有", "無")):
        radio(170 + 60 * k, top, v.get("axis") == option)
        text(184 + 60 * k, top, option)
    top += 24
    text(60, top + 4, "主軸分野")
    field(170, top, 340, str(v.get("axis_text", "")))
    top += 30
    for label, key in (("協定締結の目的", "purpose"), ("連携により期待される効果", "effects")):
        text(60, top, label)
        field(60, top + 16, 450, str(v.get(key, "")), 40)
        top += 66
    for label, key in (("部署名", "department"), ("担当者氏名", "contact"), ("電話番号", "phone"),
                       ("メールアドレス", "email")):
        text(60, top + 4, label)
        field(170, top, 340, str(v.get(key, "")))
        top += 28
    c.showPage()
    c.save()
    return path


# ---------------------------------------------------------------- layouts a PDF reader must follow

def borderless_header(page: Page) -> Page:
    """The date, the addressee and the applicant block as a borderless table prints them.

    The address and the representative each take two lines; the second line
    starts under the value, with nothing under the label.
    """
    page.text(70, 50, "（様式１）").text(400, 72, "令和８年４月１日").text(70, 95, "旭川市長　様")
    page.text(250, 125, "所在地").text(320, 125, "北海道旭川市緑町１丁目２番３号")
    page.text(320, 140, "ななかまどビル３階")
    page.text(250, 158, "企業等名称").text(320, 158, "株式会社ななかまど")
    page.text(250, 176, "代表者氏名").text(320, 176, "代表取締役社長")
    page.text(320, 191, "七竈　花子")
    page.text(200, 215, "連携協定に関する提案書", 14)
    return page


def ruled_rows(page: Page, top: float, rows: list[tuple[str, list[str]]], *, header: bool = True,
               left: float = 60, mid: float = 200, right: float = 530,
               sides: tuple[bool, bool] = (True, True)) -> float:
    """A two-column ruled table (label | value lines), optionally under a 「項目 | 内容」 header row.

    ``sides`` draws the outer left and right borders; a form styled with open sides, or a
    spreadsheet printed wider than the page, has none.
    """
    tops = [top]
    if header:
        page.text(left + 5, top + 4, "項目").text(mid + 5, top + 4, "内容")
        tops.append(top + 20)
    t = tops[-1]
    for label, lines in rows:
        if label:
            page.text(left + 5, t + 4, label)
        for k, line in enumerate(lines):
            page.text(mid + 5, t + 4 + 15 * k, line)
        t += 8 + 15 * max(len(lines), 1)
        tops.append(t)
    for y in tops:
        page.line(left, y, right, y)
    for x, drawn in ((left, sides[0]), (mid, True), (right, sides[1])):
        if drawn:
            page.line(x, tops[0], x, tops[-1])
    return t


def page_break_pdf(path: Path, *, running_header: str = "") -> Path:
    """Form 1 whose table breaks across two pages inside 「協定締結の目的」.

    Page 2 repeats the header row (Word's 「タイトル行の繰り返し」), the cut
    row goes on with an empty label cell, both pages carry a page number, and
    ``running_header`` (if given) stands at the top of each page.
    """
    first = borderless_header(Page())
    ruled_rows(first, 240, [("連携協定の種別", ["□個別連携協定　■包括連携協定"]),
                            ("連携の分野", ["■環境　■子育て　□災害対策"]),
                            ("主軸分野の有無", ["■有（主軸分野：子育て）", "□無"]),
                            ("協定締結の目的", [f"目的の説明その{i}。" for i in range(1, 30)])])
    first.text(290, 810, "- 1 -", 9)
    second = Page()
    ruled_rows(second, 70, [("", [f"目的の続きその{i}。" for i in range(30, 33)]),
                            ("連携により期待される効果", ["効果の説明。"]),
                            ("部署名", ["総務部"]), ("担当者氏名", ["連絡　太郎"]),
                            ("電話番号", ["0166-12-3456"]), ("メールアドレス", ["taro@example.jp"])])
    second.text(290, 810, "- 2 -", 9)
    if running_header:
        for page in (first, second):
            page.text(400, 30, running_header, 9)
    return reportlab_pdf(path, first, second)


def circled_form(path: Path, *, circle: dict[str, bool], frame_heading: bool = False, ring: bool = False) -> Path:
    """A retyped Form 1 whose options are plain words; ``circle`` names the words circled."""
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4)
    page, spots, y = Page(), {}, 60.0

    def line(*parts: tuple[float, str]) -> None:
        nonlocal y
        for x, text in parts:
            page.text(x, y, text)
            spots[text] = (x, y, len(text))
        y += 22

    for text in ("令和８年１１月２０日", "旭川市長　様", "所在地　旭川市緑町１丁目", "企業等名称　株式会社まる印",
                 "代表者氏名　代表取締役　丸山　円", "連携協定に関する提案書", "連携協定の種別（該当するものを○で囲む）"):
        line((72, text))
    line((90, "個別連携協定"), (220, "包括連携協定"))
    line((72, "連携の分野（該当するものを○で囲む）"))
    line((90, "災害対策"), (156, "環境"), (207, "子育て"), (268, "人材育成"))
    line((72, "主軸分野の有無"))
    line((90, "有"), (120, "（主軸分野：環境）"), (260, "無"))
    for text in ("協定締結の目的", "脱炭素の推進。", "連携により期待される効果", "CO2削減。", "連絡先", "部署名：環境部",
                 "担当者氏名：丸山　花", "電話番号：0166-00-1111", "メールアドレス：hana@maru.jp"):
        line((72, text))
    draw(c, page)
    c.setLineWidth(0.8)
    for word, on in circle.items():
        if on:
            x, top, n = spots[word]
            c.ellipse(x - 6, A4[1] - top - 10.5 - 4, x + n * 10.5 + 6, A4[1] - top + 4, stroke=1, fill=0)
    if frame_heading:  # a rounded frame around a heading is decoration, not a mark
        x, top, n = spots["連携協定の種別（該当するものを○で囲む）"]
        c.roundRect(x - 4, A4[1] - top - 10.5 - 4, n * 10.5 + 8, 10.5 + 8, 4, stroke=1, fill=0)
    if ring:  # a big ring drawn around a whole block of lines marks nothing
        x, top, _ = spots["個別連携協定"]
        c.ellipse(x - 20, A4[1] - top - 60, x + 300, A4[1] - top + 30, stroke=1, fill=0)
    c.showPage()
    c.save()
    return path


def survey_pdf(path: Path, pages: int = 300) -> Path:
    """A many-page PDF plainly not Form 1 (a traffic survey), as reportlab writes it: one /Pages node
    listing every page (the refusal tests and bench/bench_refuse.py)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(pages):
        c.drawString(100, 700, f"page {i} of a traffic survey")
        c.showPage()
    c.save()
    return path


def write_pdf(path: Path, *pages: Page, shuffle: bool = False, rotate: int = 0, turn: int = 0) -> Path:
    """``pages`` with reportlab: one character per text object in random order (``shuffle``), the content turned
    counter-clockwise by ``turn`` on a page of the right size, then ``/Rotate`` set on the page as a viewer
    applies it — the MediaBox stays what it was drawn on (reportlab would swap it)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, NumberObject
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    w, h = A4
    c = Canvas(str(path), pagesize=(h, w) if turn in (90, 270) else (w, h))
    font = _font()
    rng = random.Random(16)
    for page in pages:
        c.saveState()
        if turn == 90:
            c.translate(h, 0)
            c.rotate(90)
        elif turn == 270:
            c.translate(0, w)
            c.rotate(270)
        elif turn == 180:
            c.translate(w, h)
            c.rotate(180)
        pieces = []
        for x, top, text, size in page.texts:
            if shuffle:
                for ch in text:
                    pieces.append((x, top, ch, size))
                    x += stringWidth(ch, MINCHO, size)
            else:
                pieces.append((x, top, text, size))
        if shuffle:
            rng.shuffle(pieces)
        for x, top, text, size in pieces:
            c.setFont(font, size)
            c.drawString(x, h - top - size * 0.88, text)
        c.setLineWidth(0.6)
        for x0, t0, x1, t1 in page.lines:
            c.line(x0, h - t0, x1, h - t1)
        c.restoreState()
        c.showPage()
    c.save()
    if rotate:
        writer = PdfWriter(clone_from=PdfReader(str(path)))
        for pg in writer.pages:
            pg[NameObject("/Rotate")] = NumberObject(rotate)
        with open(path, "wb") as fh:
            writer.write(fh)
    return path
