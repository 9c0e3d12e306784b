"""The blank Form 1 as a fillable PDF (``kyotei blank-form --pdf``).

Companies without Word fill Form 1 in a PDF viewer.  This form prints the
guideline's layout with a standard Japanese CID font (HeiseiMin-W3, which every
PDF viewer has, so nothing is embedded) and puts a form field on every answer.
Each field is named after the parse contract's path (``organization_name``,
``contact_email``, ``field_05``...) and carries the printed label as its
tooltip, so the AcroForm reader maps it by name without guessing from layout.

:func:`fill_pdf` fills such a form by field name (with pypdf), for samples and
tests; it writes ``/V`` (and a checkbox's shown state ``/AS``) without text
appearances, as a script would, so the reader is tested on values whose
appearance was not regenerated.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .vocab import FIELDS, OTHER

FONT = "HeiseiMin-W3"
A4 = (595.28, 841.89)

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
                                  fontName="Helvetica", fontSize=0 if multiline else 10, borderWidth=0.5,
                                  borderColor=Color(0.6, 0.6, 0.6), fillColor=Color(0.94, 0.96, 1.0),
                                  textColor=Color(0, 0, 0), fieldFlags="multiline" if multiline else "",
                                  forceBorder=True)

    def checkbox(self, name: str, x: float, top: float, label: str, size: float = 10.5) -> None:
        from reportlab.lib.colors import Color

        self.c.acroForm.checkbox(name=name, tooltip=label, x=x, y=self.h - top - 10, size=10,
                                 buttonStyle="check", borderWidth=0.5, borderColor=Color(0, 0, 0),
                                 fillColor=Color(1, 1, 1), textColor=Color(0, 0, 0), checked=False,
                                 forceBorder=True)
        self.text(x + 13, top, label, size)


def write_blank_pdf(path: Path, mayor_title: str = "旭川市長") -> None:
    """Write the fillable Form 1 to ``path``."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path.parent.mkdir(parents=True, exist_ok=True)
    c = Canvas(str(path), pagesize=A4)
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
    s.text(60, 228, "連携協定に係る連携内容等について，次のとおり提案します。")
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
    s.text(left + 5, top + 30, "する場合，２つ以上選", 8)
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
    s.text(left + 5, top + 30, "する場合に選択し，有", 8)
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
