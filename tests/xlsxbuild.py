"""Build .xlsx files from raw SpreadsheetML, for tests and for ``samples/``.

What a company's Excel Form 1 holds — shared strings with furigana, merged
ranges, a date serial with a 和暦 number format, form-control check boxes whose
state lives in ``xl/ctrlProps`` and whose caption lives in a VML drawing, text
boxes — is written here as Excel writes it, so the reader meets the real XML
and not what a library chose to write.  Excel and LibreOffice open the result.

A sheet is a mapping ``"B3" -> value``: a ``str`` is a shared string (a
``Rich`` for runs with furigana or a strike), an ``int``/``float`` a number,
a ``Num(value, fmt)`` a number shown through a number format.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HIDDEN, CHECKED, APPLY = ' hidden="1"', ' checked="Checked"', ' applyNumberFormat="1"'


@dataclass(frozen=True)
class Num:
    value: float
    fmt: str | int = 0  # a format code, or a built-in numFmtId


@dataclass(frozen=True)
class Rich:
    """A shared string of runs: (text, struck); ``ruby`` is furigana Excel stores beside it."""

    runs: tuple[tuple[str, bool], ...]
    ruby: str = ""


@dataclass(frozen=True)
class CheckBox:
    cell: str  # the anchor cell (top-left corner)
    checked: bool
    caption: str = ""  # "" for a box without text; Excel's default is 「チェック 1」
    radio: bool = False
    vml_checked: bool | None = None  # the VML drawing's state, when it should differ from ctrlProps
    link: str = ""  # the linked cell (「L12」) Excel writes TRUE/FALSE into; the caller puts the value there


@dataclass
class Sheet:
    cells: Mapping[str, object]
    merges: Sequence[str] = ()
    controls: Sequence[CheckBox] = ()
    text_boxes: Sequence[tuple[str, str]] = ()  # (anchor cell, text)
    #: ovals drawn over cells to circle a choice (「該当するものを○で囲む」): (from cell, to cell), or a
    #: third item, the shape's preset (「ellipse」, 「flowChartConnector」, 「roundRect」)
    ovals: Sequence[tuple[str, ...]] = ()
    name: str = "様式１"
    hidden: bool = False
    hidden_rows: Sequence[int] = ()
    struck_cells: Sequence[str] = ()
    modern_controls: bool = True  # Excel 2010+ writes <controls> and ctrlProps; older files VML only
    print_area: str = ""  # 「A1:J31」: the workbook's _xlnm.Print_Area for this sheet
    extra_cells: list[str] = field(default_factory=list)  # raw <c> elements appended to their row


def _col_row(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col - 1, int(ref[len(letters):]) - 1


def make_xlsx(path: Path, *sheets: Sheet, date1904: bool = False) -> Path:
    strings: list[str] = []
    index: dict[str, int] = {}
    fmt_codes: dict[str, int] = {}
    xfs: list[tuple[int, int]] = [(0, 0)]  # (numFmtId, fontId)

    def style(fmt: str | int, struck: bool = False) -> int:
        if isinstance(fmt, int):
            fid = fmt
        else:
            fid = fmt_codes.setdefault(fmt, 164 + len(fmt_codes))
        key = (fid, 1 if struck else 0)
        if key not in xfs:
            xfs.append(key)
        return xfs.index(key)

    def shared(value: str | Rich) -> int:
        if isinstance(value, Rich):
            runs = "".join(f"<r>{'<rPr><strike/></rPr>' if struck else ''}<t xml:space=\"preserve\">{escape(t)}</t></r>"
                           for t, struck in value.runs)
            if value.ruby:
                runs += f'<rPh sb="0" eb="{len(value.runs[0][0])}"><t>{escape(value.ruby)}</t></rPh>'
            xml = f"<si>{runs}</si>"
        else:
            xml = f'<si><t xml:space="preserve">{escape(value)}</t></si>'
        if xml not in index:
            index[xml] = len(strings)
            strings.append(xml)
        return index[xml]

    files: dict[str, str | bytes] = {}
    sheet_entries = []
    ctrl_no = 0
    drawing_no = 0
    overrides = []
    for n, sheet in enumerate(sheets, start=1):
        rows: dict[int, list[tuple[int, str]]] = {}
        for ref, value in sheet.cells.items():
            col, row = _col_row(ref)
            struck = ref in sheet.struck_cells
            s_attr = f' s="{style(0, True)}"' if struck else ""
            if isinstance(value, Num):
                xml = f'<c r="{ref}" s="{style(value.fmt, struck)}"><v>{value.value}</v></c>'
            elif isinstance(value, bool):
                xml = f'<c r="{ref}" t="b"{s_attr}><v>{int(value)}</v></c>'
            elif isinstance(value, (int, float)):
                xml = f'<c r="{ref}"{s_attr}><v>{value}</v></c>'
            elif value is None:
                xml = f'<c r="{ref}" s="{style(0)}"/>'
            else:
                assert isinstance(value, (str, Rich))
                xml = f'<c r="{ref}" t="s"{s_attr}><v>{shared(value)}</v></c>'
            rows.setdefault(row, []).append((col, xml))
        for raw in sheet.extra_cells:
            ref = raw.split('r="', 1)[1].split('"', 1)[0]
            col, row = _col_row(ref)
            rows.setdefault(row, []).append((col, raw))
        data = "".join(
            f'<row r="{r + 1}"{HIDDEN if r + 1 in sheet.hidden_rows else ""}>'
            + "".join(x for _, x in sorted(cs)) + "</row>"
            for r, cs in sorted(rows.items()))
        merges = (f'<mergeCells count="{len(sheet.merges)}">'
                  + "".join(f'<mergeCell ref="{m}"/>' for m in sheet.merges) + "</mergeCells>") if sheet.merges else ""
        rels: list[tuple[str, str, str]] = []
        tail = ""
        if sheet.controls or sheet.text_boxes or sheet.ovals:
            drawing_no += 1
            rels.append(("rIdD", "drawing", f"../drawings/drawing{drawing_no}.xml"))
            files[f"xl/drawings/drawing{drawing_no}.xml"] = _drawing(sheet)
            overrides.append((f"/xl/drawings/drawing{drawing_no}.xml",
                              "application/vnd.openxmlformats-officedocument.drawing+xml"))
            tail += '<drawing r:id="rIdD"/>'
        if sheet.controls:
            rels.append(("rIdV", "vmlDrawing", f"../drawings/vmlDrawing{drawing_no}.vml"))
            files[f"xl/drawings/vmlDrawing{drawing_no}.vml"] = _vml(sheet.controls)
            tail += '<legacyDrawing r:id="rIdV"/>'
            if sheet.modern_controls:
                ctrls = []
                for k, box in enumerate(sheet.controls):
                    ctrl_no += 1
                    rid = f"rIdC{k}"
                    rels.append((rid, "ctrlProp", f"../ctrlProps/ctrlProp{ctrl_no}.xml"))
                    files[f"xl/ctrlProps/ctrlProp{ctrl_no}.xml"] = (
                        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        '<formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"'
                        f' objectType="{"Radio" if box.radio else "CheckBox"}"'
                        f'{CHECKED if box.checked else ""}'
                        + (f' fmlaLink="{_absolute(box.link)}"' if box.link else "") + ' lockText="1"/>')
                    overrides.append((f"/xl/ctrlProps/ctrlProp{ctrl_no}.xml",
                                      "application/vnd.ms-excel.controlproperties+xml"))
                    col, row = _col_row(box.cell)
                    ctrls.append(
                        f'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                        f'<mc:Choice Requires="x14"><control shapeId="{1025 + k}" r:id="{rid}" name="Check Box {k + 1}">'
                        f'<controlPr defaultSize="0" autoFill="0" autoLine="0" autoPict="0"><anchor moveWithCells="1">'
                        f'<from><xdr:col>{col}</xdr:col><xdr:colOff>19050</xdr:colOff><xdr:row>{row}</xdr:row>'
                        f'<xdr:rowOff>0</xdr:rowOff></from><to><xdr:col>{col + 1}</xdr:col><xdr:colOff>0</xdr:colOff>'
                        f'<xdr:row>{row + 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></to></anchor></controlPr></control>'
                        f'</mc:Choice></mc:AlternateContent>')
                tail += f"<controls>{''.join(ctrls)}</controls>"
        files[f"xl/worksheets/sheet{n}.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{MAIN}" xmlns:r="{R}"'
            ' xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f"<sheetData>{data}</sheetData>{merges}"
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="portrait" fitToWidth="1" fitToHeight="1"/>'
            f"{tail}</worksheet>")
        if rels:
            files[f"xl/worksheets/_rels/sheet{n}.xml.rels"] = _rels(
                (rid, f"{REL_BASE}/{kind}" if kind != "ctrlProp" else f"{REL_BASE}/ctrlProp", target)
                for rid, kind, target in rels)
        state = ' state="hidden"' if sheet.hidden else ""
        sheet_entries.append(f'<sheet name={quoteattr(sheet.name)} sheetId="{n}"{state} r:id="rId{n}"/>')
        overrides.append((f"/xl/worksheets/sheet{n}.xml",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"))
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    areas = "".join(
        f'<definedName name="_xlnm.Print_Area" localSheetId="{k}">'
        + escape(f"'{sheet.name}'!" + ":".join("$" + "".join(ch for ch in ref if ch.isalpha()) + "$"
                                                  + "".join(ch for ch in ref if ch.isdigit())
                                                  for ref in sheet.print_area.split(":")))
        + "</definedName>"
        for k, sheet in enumerate(sheets) if sheet.print_area)
    names = f"<definedNames>{areas}</definedNames>" if areas else ""
    files["xl/workbook.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{MAIN}" xmlns:r="{R}">{pr}<sheets>{"".join(sheet_entries)}</sheets>{names}</workbook>')
    book_rels = [(f"rId{n}", f"{REL_BASE}/worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(sheets) + 1)]
    book_rels += [("rIdS", f"{REL_BASE}/sharedStrings", "sharedStrings.xml"), ("rIdT", f"{REL_BASE}/styles", "styles.xml")]
    files["xl/_rels/workbook.xml.rels"] = _rels(book_rels)
    files["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{"".join(strings)}</sst>')
    numfmts = "".join(f'<numFmt numFmtId="{fid}" formatCode={quoteattr(code)}/>' for code, fid in fmt_codes.items())
    files["xl/styles.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="{MAIN}">'
        + (f'<numFmts count="{len(fmt_codes)}">{numfmts}</numFmts>' if fmt_codes else "")
        + '<fonts count="2"><font><sz val="11"/><name val="游ゴシック"/></font>'
          '<font><strike/><sz val="11"/><name val="游ゴシック"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        + f'<cellXfs count="{len(xfs)}">'
        + "".join(f'<xf numFmtId="{fid}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
                  f'{APPLY if fid else ""}/>' for fid, font in xfs)
        + "</cellXfs></styleSheet>")
    files["_rels/.rels"] = _rels([("rId1", f"{REL_BASE}/officeDocument", "xl/workbook.xml")])
    files["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
        '<Override PartName="/xl/workbook.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        + "</Types>")
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("[Content_Types].xml", "_rels/.rels", *[n for n in files if n not in
                                                           ("[Content_Types].xml", "_rels/.rels")]):
            part = files[name]
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 20, 9, 0, 0))  # the same bytes on every run
            zf.writestr(info, part.encode() if isinstance(part, str) else part, zipfile.ZIP_DEFLATED)
    return path


def _absolute(ref: str) -> str:
    """「L12」 as Excel writes a control's linked cell: 「$L$12」."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    return f"${letters}${ref[len(letters):]}"


def _rels(rels) -> str:
    body = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>')


def _vml(controls: Sequence[CheckBox]) -> str:
    """The legacy drawing Excel writes for form controls (with HTML's unclosed <br>)."""
    shapes = []
    for k, box in enumerate(controls):
        col, row = _col_row(box.cell)
        state = box.checked if box.vml_checked is None else box.vml_checked
        caption = escape(box.caption).replace("\n", "<br>")
        shapes.append(
            f'<v:shape id="_x0000_s{1025 + k}" type="#_x0000_t201" style=\'position:absolute;z-index:{k + 1}\''
            ' filled="f" stroked="f" o:insetmode="auto"><v:path shadowok="f" o:extrusionok="f" strokeok="f"'
            ' fillok="f" o:connecttype="rect"/><o:lock v:ext="edit" shapetype="t"/>'
            "<v:textbox style='mso-direction-alt:auto' o:singleclick=\"f\"><div style='text-align:left'>"
            f'<font face="ＭＳ Ｐゴシック" size="180" color="auto">{caption}</font></div></v:textbox>'
            f'<x:ClientData ObjectType="{"Radio" if box.radio else "Checkbox"}"><x:Anchor>\n'
            f" {col}, 2, {row}, 2, {col + 1}, 0, {row + 1}, 0</x:Anchor><x:AutoFill>False</x:AutoFill>"
            f"<x:AutoLine>False</x:AutoLine><x:TextVAlign>Center</x:TextVAlign>"
            + (f"<x:Checked>{1 if state else 0}</x:Checked>" if state else "")
            + (f"<x:FmlaLink>{_absolute(box.link)}</x:FmlaLink>" if box.link else "")
            + "<x:NoThreeD/></x:ClientData></v:shape>")
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
            ' xmlns:x="urn:schemas-microsoft-com:office:excel">'
            '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>'
            '<v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f"'
            ' o:connecttype="rect"/><o:lock v:ext="edit" shapetype="t"/></v:shapetype>'
            + "".join(shapes) + "</xml>")


def _drawing(sheet: Sheet) -> str:
    """Text boxes, and each form control's hidden shadow shape as Excel writes it."""
    xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    parts = []

    def anchor(ref: str, inner: str) -> str:
        col, row = _col_row(ref)
        return (f'<xdr:twoCellAnchor><xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}'
                f'</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{col + 4}</xdr:col><xdr:colOff>0'
                f'</xdr:colOff><xdr:row>{row + 3}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>{inner}'
                '<xdr:clientData/></xdr:twoCellAnchor>')

    for k, box in enumerate(sheet.controls):
        parts.append(anchor(box.cell, (
            f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{1025 + k}" name="Check Box {k + 1}" hidden="1">'
            '<a:extLst><a:ext uri="{63B3BB69-23CF-44E3-9099-C40C66FF867C}">'
            f'<a14:compatExt xmlns:a14="http://schemas.microsoft.com/office/drawing/2010/main" spid="_x0000_s{1025 + k}"/>'
            '</a:ext></a:extLst></xdr:cNvPr><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr/>'
            f'<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>{escape(box.caption or "チェック")}</a:t></a:r></a:p></xdr:txBody>'
            '</xdr:sp>')))
    for k, (ref, text) in enumerate(sheet.text_boxes):
        paras = "".join(f"<a:p><a:r><a:t>{escape(line)}</a:t></a:r></a:p>" for line in text.split("\n"))
        parts.append(anchor(ref, (
            f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{2000 + k}" name="テキスト ボックス {k + 1}"/>'
            '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr/>'
            f"<xdr:txBody><a:bodyPr/>{paras}</xdr:txBody></xdr:sp>")))
    for k, (start, end, *preset) in enumerate(sheet.ovals):
        (c0, r0), (c1, r1) = _col_row(start), _col_row(end)
        parts.append(
            f'<xdr:twoCellAnchor><xdr:from><xdr:col>{c0}</xdr:col><xdr:colOff>38100</xdr:colOff><xdr:row>{r0}</xdr:row>'
            f'<xdr:rowOff>9525</xdr:rowOff></xdr:from><xdr:to><xdr:col>{c1}</xdr:col><xdr:colOff>571500</xdr:colOff>'
            f'<xdr:row>{r1}</xdr:row><xdr:rowOff>161925</xdr:rowOff></xdr:to><xdr:sp macro="" textlink="">'
            f'<xdr:nvSpPr><xdr:cNvPr id="{3000 + k}" name="楕円 {k + 1}"/><xdr:cNvSpPr/></xdr:nvSpPr>'
            f'<xdr:spPr><a:prstGeom prst="{preset[0] if preset else "ellipse"}"><a:avLst/></a:prstGeom><a:noFill/>'
            '<a:ln w="12700"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></xdr:spPr>'
            '<xdr:style><a:lnRef idx="2"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="1"><a:schemeClr val="accent1"/>'
            '</a:fillRef><a:effectRef idx="0"><a:schemeClr val="accent1"/></a:effectRef><a:fontRef idx="minor">'
            '<a:schemeClr val="lt1"/></a:fontRef></xdr:style><xdr:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/>'
            '<a:p><a:pPr algn="l"/><a:endParaRPr lang="ja-JP" altLang="en-US" sz="1100"/></a:p></xdr:txBody></xdr:sp>'
            '<xdr:clientData/></xdr:twoCellAnchor>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<xdr:wsDr xmlns:xdr="{xdr}" xmlns:a="{a}">{"".join(parts)}</xdr:wsDr>')


# ---------------------------------------------------------------- an Excel Form 1

def excel_form1(path: Path, *, type_marks: tuple[str, str] = ("□", "☑"), controls: bool = False,
                spaced_labels: bool = True, date: object = None, extra: Mapping[str, object] | None = None,
                control_caption: bool = False, print_area: str = "") -> Path:
    """A Form 1 laid out on a sheet the way companies make one in Excel.

    Labels in column B (「所」「在」「地」 spaced over B–D when ``spaced_labels``),
    answers in merged E:J, the date a serial with a 和暦 format, the agreement
    type as typed marks (``type_marks`` for 個別 and 包括) or as form-control
    check boxes (``controls``), fields with ☑/□, contacts in a block.
    """
    cells: dict[str, object] = {
        "A1": "様式１",
        "H2": date if date is not None else Num(46346, '[$-411]ggge"年"m"月"d"日"'),
        "A4": "旭川市長　様",
        "H14": None,
    }
    merges = ["A6:J6", "E8:J8", "E9:J9", "E10:J10", "H2:J2", "E12:J12", "A17:J17", "A18:J20",
              "A22:J22", "A23:J25"]
    if spaced_labels:
        cells.update({"B8": "所", "C8": "在", "D8": "地"})
    else:
        cells["B8"] = "所在地"
    cells.update({
        "A6": "連携協定に関する提案書",
        "E8": "北海道旭川市緑町１丁目２番３号",
        "B9": "企業等名称", "E9": "株式会社エクセル商事",
        "B10": "代表者氏名", "E10": "代表取締役　表計　算子",
        "A12": "連携協定の種別（該当に☑）",
        "A13": "連携の分野（該当に☑）",
        "B14": "☑災害対策", "D14": "☐環境", "F14": "☑福祉・医療・健康", "I14": "☐子育て",
        "A15": "主軸分野の有無", "C15": "☑有　主軸分野（福祉・医療・健康）", "G15": "☐無",
        "A17": "協定締結の目的",
        "A18": "災害時の物資供給と\n高齢者の見守りを進めるため。",
        "A22": "連携により期待される効果",
        "A23": "避難所の備えが整う。\n見守りの目が増える。",
        "A27": "連絡先", "B28": "部署名", "E28": "総務部　地域連携課",
        "B29": "担当者氏名", "E29": "表計　次郎",
        "B30": "電話番号", "E30": "0166-23-4567",
        "B31": "メールアドレス", "E31": "jiro@excel.example.jp",
    })
    merges += ["E28:J28", "E29:J29", "E30:J30", "E31:J31", "A12:B12"]
    merges.remove("E12:J12")
    box_controls: list[CheckBox] = []
    if controls:
        if control_caption:
            box_controls = [CheckBox("D12", type_marks[0] == "☑", "個別連携協定"),
                            CheckBox("G12", type_marks[1] == "☑", "包括連携協定")]
        else:
            cells.update({"E12": "個別連携協定", "H12": "包括連携協定"})
            box_controls = [CheckBox("D12", type_marks[0] == "☑"), CheckBox("G12", type_marks[1] == "☑")]
    else:
        cells.update({"D12": type_marks[0], "E12": "個別連携協定", "G12": type_marks[1], "H12": "包括連携協定"})
    cells.update(extra or {})
    return make_xlsx(path, Sheet(cells, merges, box_controls, print_area=print_area))


def excel_printed_page(page):
    """A Form 1 sheet as Excel prints it without gridlines (a ``pdfbuild.Page``): text where the cells were.

    The label 「所在地」 is spread over three cells (printed 「所 在 地」 with the value's cell right
    after it, no blank between), and the agreement type's mark sits in the cell right after
    「個別連携協定」 — while every other choice line puts its mark before the option.
    """
    page.text(40, 40, "様式１").text(430, 60, "令和８年１１月２０日").text(40, 90, "旭川市長　様")
    for x, ch in ((160, "所"), (185, "在"), (210, "地")):
        page.text(x, 130, ch)
    page.text(220.5, 130, "北海道旭川市緑町１丁目２番３号")
    page.text(160, 150, "企業等名称").text(260, 150, "株式会社エクセル商事")
    page.text(160, 170, "代表者氏名").text(260, 170, "代表取締役　表計　算子")
    page.text(200, 200, "連携協定に関する提案書", 14)
    page.text(40, 240, "連携協定の種別").text(250, 240, "個別連携協定").text(313, 240, "■").text(340, 240, "包括連携協定")
    page.text(40, 270, "連携の分野")
    page.text(60, 290, "■災害対策").text(180, 290, "□環境").text(260, 290, "■福祉・医療・健康").text(420, 290, "□子育て")
    page.text(40, 320, "主軸分野の有無").text(180, 320, "■有　主軸分野（福祉・医療・健康）").text(440, 320, "□無")
    page.text(40, 360, "協定締結の目的").text(60, 380, "災害時の物資供給と高齢者の見守りを進めるため。")
    page.text(40, 420, "連携により期待される効果").text(60, 440, "避難所の備えが整う。")
    page.text(40, 490, "連絡先")
    for k, (label, value) in enumerate((("部署名", "総務部　地域連携課"), ("担当者氏名", "表計　次郎"),
                                        ("電話番号", "0166-23-4567"), ("メールアドレス", "jiro@excel.example.jp"))):
        page.text(60, 510 + 20 * k, label).text(200, 510 + 20 * k, value)
    return page
