"""The blank Form 1 as a fillable PDF (``kyotei blank-form --pdf``).

Companies without Word fill Form 1 in a PDF viewer, any viewer: Acrobat Reader,
a browser, macOS Preview.  So nothing here relies on the viewer's fonts:

* the printed labels are drawn in IPAex明朝, embedded (a subset of the glyphs used);
* the form fields show their values in IPAexゴシック, embedded as a composite
  font (Identity-H, with a ToUnicode map) holding every character of JIS X 0208
  and Windows' extensions, in the form's default resources; every field has an
  appearance stream, and pypdf, poppler and Acrobat draw a value typed in any
  of those characters with it (IPAex fonts may be embedded freely);
* no field is flagged Required: an option not chosen is an answer, not a gap.

Each field is named after the parse contract's path (``organization_name``,
``contact_email``, ``field_05``...) and carries the printed label as its
tooltip, so the AcroForm reader maps it by name without guessing from layout.

:func:`fill_pdf` fills such a form by field name (with pypdf), for samples and
tests; it writes ``/V`` (and a checkbox's shown state ``/AS``) without text
appearances, as a script would, so the reader is tested on values whose
appearance was not regenerated.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from .errors import KyoteiError
from .i18n import Catalog
from .vocab import FIELDS, OTHER

A4 = (595.28, 841.89)
#: reportlab's name for the embedded label font
FONT = "IPAexMincho"
#: the form's default-resource name of the field font (``/DA /KyoteiGothic 10 Tf``)
FIELD_FONT = "KyoteiGothic"
FIELD_SIZE = 10.5

MESSAGES: Catalog = {
    "font_missing": ("入力欄付き PDF に埋め込む IPAex フォント（{name}）が見つかりません。"
                     "Debian/Ubuntu では sudo apt-get install fonts-ipaexfont、Windows では IPAex フォントを"
                     "インストールしてから、もう一度実行してください。",
                     "The IPAex font ({name}) to embed in the fillable PDF was not found. Install it "
                     "(Debian/Ubuntu: sudo apt-get install fonts-ipaexfont; Windows: install the IPAex fonts) and run again."),
}

#: where the IPAex fonts are installed (Debian's fonts-ipaexfont, its fontconfig aliases, Windows)
FONT_FILES: dict[str, tuple[str, ...]] = {
    "IPAexMincho": ("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
                    "/usr/share/fonts/truetype/ipaexfont-mincho/ipaexm.ttf",
                    "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf",
                    "C:/Windows/Fonts/ipaexm.ttf", "/Library/Fonts/ipaexm.ttf"),
    "IPAexGothic": ("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
                    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
                    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
                    "C:/Windows/Fonts/ipaexg.ttf", "/Library/Fonts/ipaexg.ttf"),
}


class FontMissing(KyoteiError):
    """The IPAex font to embed is not installed."""

    catalog = MESSAGES


@lru_cache(maxsize=4)
def font_file(name: str) -> Path:
    """The installed file of an IPAex font, from the usual places or fontconfig."""
    for candidate in FONT_FILES[name]:
        if Path(candidate).is_file():
            return Path(candidate)
    exe = shutil.which("fc-match")
    if exe:
        try:
            out = subprocess.run([exe, "-f", "%{file}", name], capture_output=True, text=True, timeout=10)
            found = Path(out.stdout.strip())
            if out.returncode == 0 and found.suffix.lower() in (".ttf", ".otf") and "ipaex" in found.name.lower():
                return found
        except (OSError, subprocess.SubprocessError):
            pass
    raise FontMissing("font_missing", name=name)

#: text fields: name -> (tooltip, multiline)
TEXT_FIELDS: dict[str, tuple[str, bool]] = {
    "submitted_on": ("提出日（例: 令和8年4月1日）", False),
    "organization_address": ("所在地", False),
    "organization_name": ("企業等名称", False),
    "organization_representative": ("代表者氏名", False),
    "other_field_text": ("その他の分野の内容", False),
    "axis_text": ("主軸分野", False),
    "purpose": ("協定締結の目的", True),
    "expected_effects": ("連携により期待される効果", True),
    "contact_department": ("部署名", False),
    "contact_name": ("担当者氏名", False),
    "contact_phone": ("電話番号", False),
    "contact_email": ("メールアドレス", False),
}
#: checkboxes: name -> option text printed beside it
CHECKBOXES: dict[str, str] = {
    "type_individual": "個別連携協定", "type_comprehensive": "包括連携協定",
    **{f"field_{i:02d}": name for i, name in enumerate(FIELDS, start=1)},
    "field_other": OTHER,
    "axis_yes": "有", "axis_no": "無",
}


class _Sheet:
    """Drawing with y measured from the top of the page, like the reader sees it."""

    def __init__(self, canvas) -> None:
        self.c = canvas
        self.h = A4[1]

    def text(self, x: float, top: float, s: str, size: float = 10.5) -> None:
        self.c.setFont(FONT, size)
        self.c.drawString(x, self.h - top - size * 0.88, s)

    def centred(self, top: float, s: str, size: float) -> None:
        self.c.setFont(FONT, size)
        self.c.drawCentredString(A4[0] / 2, self.h - top - size * 0.88, s)

    def hline(self, x0: float, x1: float, top: float) -> None:
        self.c.line(x0, self.h - top, x1, self.h - top)

    def vline(self, x: float, top: float, bottom: float) -> None:
        self.c.line(x, self.h - top, x, self.h - bottom)

    def textfield(self, name: str, x: float, top: float, w: float, h: float) -> None:
        tooltip, multiline = TEXT_FIELDS[name]
        from reportlab.lib.colors import Color

        self.c.acroForm.textfield(name=name, tooltip=tooltip, x=x, y=self.h - top - h, width=w, height=h,
                                  fontName="Helvetica", fontSize=FIELD_SIZE, borderWidth=0.5,
                                  borderColor=Color(0.6, 0.6, 0.6), fillColor=Color(0.94, 0.96, 1.0),
                                  textColor=Color(0, 0, 0), fieldFlags="multiline" if multiline else "",
                                  forceBorder=True)

    def checkbox(self, name: str, x: float, top: float, label: str, size: float = 10.5) -> None:
        from reportlab.lib.colors import Color

        self.c.acroForm.checkbox(name=name, tooltip=label, x=x, y=self.h - top - 10, size=10,
                                 buttonStyle="check", borderWidth=0.5, borderColor=Color(0, 0, 0),
                                 fillColor=Color(1, 1, 1), textColor=Color(0, 0, 0), checked=False,
                                 forceBorder=True, fieldFlags="")  # not Required: unticked is an answer
        self.text(x + 13, top, label, size)


def write_blank_pdf(path: Path, mayor_title: str = "旭川市長", comma: str = "，") -> None:
    """Write the fillable Form 1 to ``path``, its notes punctuated with the city's ``comma``."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(font_file("IPAexMincho"))))
    field_font = font_file("IPAexGothic")
    path.parent.mkdir(parents=True, exist_ok=True)
    drawn = io.BytesIO()
    c = Canvas(drawn, pagesize=A4)
    c.setTitle("連携協定に関する提案書（様式１）")
    c.setLineWidth(0.6)
    s = _Sheet(c)
    s.text(60, 50, "（様式１）")
    s.text(330, 72, "提出日")
    s.textfield("submitted_on", 370, 70, 160, 16)
    s.text(60, 100, f"{mayor_title}　様")
    top: float
    for top, label, name in ((125, "所在地", "organization_address"), (147, "企業等名称", "organization_name"),
                             (169, "代表者氏名", "organization_representative")):
        s.text(250, top + 2, label)
        s.textfield(name, 320, top, 210, 16)
    s.centred(200, "連携協定に関する提案書", 14)
    s.text(60, 228, f"連携協定に係る連携内容等について{comma}次のとおり提案します。")
    s.text(390, 244, "※別紙企画書等の添付も可。")

    left, mid, split, right = 60.0, 170.0, 90.0, 530.0
    rows = [260.0]

    def row(height: float) -> float:
        rows.append(rows[-1] + height)
        return rows[-2]

    top = row(34)  # 種別
    s.text(left + 5, top + 4, "連携協定の種別")
    s.text(left + 5, top + 18, "該当にチェック", 8)
    s.checkbox("type_individual", mid + 10, top + 11, "個別連携協定")
    s.checkbox("type_comprehensive", mid + 150, top + 11, "包括連携協定")

    top = row(104)  # 分野
    s.text(left + 5, top + 4, "連携の分野")
    s.text(left + 5, top + 20, "※包括連携協定を希望", 8)
    s.text(left + 5, top + 30, f"する場合{comma}２つ以上選", 8)
    s.text(left + 5, top + 40, "択すること", 8)
    names = [f"field_{i:02d}" for i in range(1, len(FIELDS) + 1)]
    for k, name in enumerate(names):
        s.checkbox(name, mid + 6 + (k % 3) * 120, top + 6 + (k // 3) * 19, CHECKBOXES[name], 9.5)
    other_top = top + 6 + 4 * 19
    s.checkbox("field_other", mid + 6, other_top, OTHER + "（", 9.5)
    s.textfield("other_field_text", mid + 75, other_top - 3, 240, 16)
    s.text(mid + 318, other_top, "）")

    top = row(58)  # 主軸分野
    s.text(left + 5, top + 4, "主軸分野の有無")
    s.text(left + 5, top + 20, "※包括連携協定を希望", 8)
    s.text(left + 5, top + 30, f"する場合に選択し{comma}有", 8)
    s.text(left + 5, top + 40, "の場合は主軸分野を記入", 8)
    s.checkbox("axis_yes", mid + 10, top + 8, "有")
    s.text(mid + 45, top + 8, "主軸分野（")
    s.textfield("axis_text", mid + 100, top + 5, 200, 16)
    s.text(mid + 303, top + 8, "）")
    s.checkbox("axis_no", mid + 10, top + 34, "無")

    for label_lines, name in ((("協定締結の目的",), "purpose"), (("連携により", "期待される効果"), "expected_effects")):
        top = row(80)
        for k, line in enumerate(label_lines):
            s.text(left + 5, top + 4 + 13 * k, line)
        s.textfield(name, mid + 4, top + 3, right - mid - 8, 74)

    contact_top = rows[-1]
    for label, name in (("部署名", "contact_department"), ("担当者氏名", "contact_name"),
                        ("電話番号", "contact_phone"), ("メールアドレス", "contact_email")):
        top = row(24)
        s.text(split + 5, top + 6, label)
        s.textfield(name, mid + 4, top + 3, right - mid - 8, 18)
    for k, ch in enumerate("連絡先"):
        s.text(left + 10, contact_top + 20 + 16 * k, ch)

    for y in rows:
        inner = contact_top < y < rows[-1]
        s.hline(split if inner else left, right, y)
    s.vline(left, rows[0], rows[-1])
    s.vline(mid, rows[0], rows[-1])
    s.vline(right, rows[0], rows[-1])
    s.vline(split, contact_top, rows[-1])
    c.showPage()
    c.save()
    path.write_bytes(_with_field_font(drawn.getvalue(), field_font))


def fill_pdf(template: Path, out: Path, values: Mapping[str, str | bool]) -> None:
    """Set field values (``/V`` only, no new appearance) by field name; unknown names raise KeyError."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(str(template)))
    found: set[str] = set()
    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            name = str(annot.get("/T", ""))
            if name not in values:
                continue
            found.add(name)
            value = values[name]
            if isinstance(value, bool):
                state = NameObject("/Yes" if value else "/Off")
                annot[NameObject("/V")] = state
                annot[NameObject("/AS")] = state  # as a viewer does: the box shows what /V says
            else:
                annot[NameObject("/V")] = TextStringObject(value)
    missing = set(values) - found
    if missing:
        raise KeyError(", ".join(sorted(missing)))
    with open(out, "wb") as fh:
        writer.write(fh)


# ---------------------------------------------------------------- the field font

def _repertoire() -> list[int]:
    """The characters a Japanese applicant types: JIS X 0208 and Windows' extensions (cp932), ASCII, half-width kana."""
    chars = set(range(0x20, 0x7F)) | set(range(0xFF61, 0xFFA0))
    for lead in [*range(0x81, 0xA0), *range(0xE0, 0xFD)]:
        for trail in [*range(0x40, 0x7F), *range(0x80, 0xFD)]:
            try:
                chars.update(map(ord, bytes((lead, trail)).decode("cp932")))
            except UnicodeDecodeError:
                continue
    return sorted(chars)


@lru_cache(maxsize=2)
def _field_font_parts(path: Path) -> tuple[bytes, dict[int, int], list[int], dict[str, Any]]:
    """(subset font file, character -> glyph id, widths by glyph id, metrics) for a composite font.

    Glyph ids are those reportlab's subsetter gives: in the order the characters
    come, the missing glyph first.
    """
    from reportlab.pdfbase.ttfonts import TTFontFile

    ttf = TTFontFile(str(path))
    chars = [c for c in _repertoire() if c in ttf.charToGlyph]
    data = ttf.makeSubset(chars)
    seen: dict[int, int] = {0: 0}
    glyph_of: dict[int, int] = {}
    widths = [1000]
    for code in chars:
        old = ttf.charToGlyph[code]
        if old not in seen:
            seen[old] = len(widths)
            widths.append(int(ttf.charWidths.get(code, 1000)))
        glyph_of.setdefault(code, seen[old])
    metrics = {"name": ttf.name.decode("latin-1") if isinstance(ttf.name, bytes) else str(ttf.name),
               "ascent": ttf.ascent, "descent": ttf.descent, "bbox": list(ttf.bbox),
               "cap": ttf.capHeight, "stemv": ttf.stemV, "flags": ttf.flags, "italic": ttf.italicAngle}
    return data, glyph_of, widths, metrics


def _to_unicode(glyph_of: dict[int, int]) -> bytes:
    first: dict[int, int] = {}
    for code, gid in glyph_of.items():
        first.setdefault(gid, code)
    pairs = sorted(first.items())
    out = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
           b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
           b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
           b"1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    for k in range(0, len(pairs), 100):
        chunk = pairs[k:k + 100]
        out.append(b"%d beginbfchar" % len(chunk))
        out.extend(b"<%04X> <%s>" % (gid, chr(code).encode("utf-16-be").hex().upper().encode()) for gid, code in chunk)
        out.append(b"endbfchar")
    out.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(out)


def _with_field_font(pdf: bytes, font_path: Path) -> bytes:
    """Put the embedded field font into the form's resources and every text field's appearance setting."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    data, glyph_of, widths, m = _field_font_parts(font_path)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))

    def stream(content: bytes, extra: dict[str, Any] | None = None) -> Any:
        raw = DecodedStreamObject()
        raw.set_data(content)
        for key, value in (extra or {}).items():
            raw[NameObject(key)] = value
        return writer._add_object(raw.flate_encode(level=9))

    base = NameObject("/" + "".join(ch for ch in m["name"] if ch.isalnum()))
    font_file = stream(data, {"/Length1": NumberObject(len(data))})
    descriptor = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/FontDescriptor"), NameObject("/FontName"): base,
        NameObject("/Flags"): NumberObject(m["flags"] or 4),
        NameObject("/FontBBox"): ArrayObject([NumberObject(int(v)) for v in m["bbox"]]),
        NameObject("/ItalicAngle"): FloatObject(m["italic"]), NameObject("/Ascent"): NumberObject(int(m["ascent"])),
        NameObject("/Descent"): NumberObject(int(m["descent"])), NameObject("/CapHeight"): NumberObject(int(m["cap"])),
        NameObject("/StemV"): NumberObject(int(m["stemv"] or 80)), NameObject("/FontFile2"): font_file}))
    cid_font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/CIDFontType2"),
        NameObject("/BaseFont"): base, NameObject("/FontDescriptor"): descriptor,
        NameObject("/CIDSystemInfo"): DictionaryObject({NameObject("/Registry"): TextStringObject("Adobe"),
                                                        NameObject("/Ordering"): TextStringObject("Identity"),
                                                        NameObject("/Supplement"): NumberObject(0)}),
        NameObject("/CIDToGIDMap"): NameObject("/Identity"), NameObject("/DW"): NumberObject(1000),
        NameObject("/W"): ArrayObject([NumberObject(0), ArrayObject([NumberObject(w) for w in widths])])}))
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): base, NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([cid_font]),
        NameObject("/ToUnicode"): stream(_to_unicode(glyph_of))}))

    da = TextStringObject(f"/{FIELD_FONT} {FIELD_SIZE:g} Tf 0 g")
    acro = cast(DictionaryObject, writer._root_object["/AcroForm"].get_object())
    resources = cast(DictionaryObject, acro.setdefault(NameObject("/DR"), DictionaryObject()).get_object())
    fonts = cast(DictionaryObject, resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object())
    fonts[NameObject("/" + FIELD_FONT)] = font
    if "/ZaDb" not in fonts:  # the checkboxes' tick (ZapfDingbats, a standard font every viewer has)
        fonts[NameObject("/ZaDb")] = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/ZapfDingbats")}))
    acro[NameObject("/DA")] = da
    acro[NameObject("/NeedAppearances")] = BooleanObject(False)  # every field carries its appearance
    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/FT") == "/Tx":
                annot[NameObject("/DA")] = da
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
