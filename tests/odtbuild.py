"""Build an .odt with form controls from raw XML, as LibreOffice Writer saves a fillable form.

LibreOffice exports such a document as a fillable PDF (its widgets named after the
controls, non-ASCII names escaped like PDF names), the way a company that fills
Form 1 in Writer sends it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0" '
      'xmlns:ooo="http://openoffice.org/2004/office" office:version="1.3"')


class Controls:
    """The controls of one form; each call returns the ``draw:control`` that places it in the text."""

    def __init__(self) -> None:
        self.xml: list[str] = []

    def _place(self, kind: str, attrs: str, inner: str = "", size: tuple[str, str] = ("5cm", "0.5cm")) -> str:
        cid = f"control{len(self.xml) + 1}"
        impl = {"text": "TextField", "checkbox": "CheckBox", "combobox": "ComboBox"}[kind]
        self.xml.append(f'<form:{kind} form:control-implementation="ooo:com.sun.star.form.component.{impl}" '
                        f'xml:id="{cid}" form:id="{cid}" {attrs}>{inner}</form:{kind}>')
        return (f'<draw:control draw:control="{cid}" svg:width="{size[0]}" svg:height="{size[1]}" '
                f'text:anchor-type="as-char" draw:z-index="{len(self.xml)}"/>')

    def text(self, name: str, value: str) -> str:
        return self._place("text", f'form:name="{name}" form:current-value="{value}"')

    def check(self, name: str, checked: bool) -> str:
        state = ' form:current-state="checked"' if checked else ""
        return self._place("checkbox", f'form:name="{name}" form:image-position="center"{state}', size=("0.4cm", "0.4cm"))

    def combo(self, name: str, value: str, items: list[str]) -> str:
        inner = "".join(f'<form:item form:label="{i}"/>' for i in items)
        return self._place("combobox", f'form:name="{name}" form:dropdown="true" form:current-value="{value}"', inner)


def make_odt(path: Path, controls: Controls, body: str) -> Path:
    """An .odt whose text is ``body`` (paragraphs, tables) with ``controls`` placed in it.

    LibreOffice 7.4 drops the controls of a document without ``office:automatic-styles``.
    """
    forms = ('<office:forms form:automatic-focus="false" form:apply-design-mode="false"><form:form form:name="Standard" '
             'form:control-implementation="ooo:com.sun.star.form.component.Form">' + "".join(controls.xml)
             + "</form:form></office:forms>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:automatic-styles/><office:body><office:text>'
               f"{forms}{body}</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def paragraphs(*texts: str) -> str:
    return "".join(f"<text:p>{t}</text:p>" for t in texts)


def table(rows: list[tuple[str, str]]) -> str:
    """Two columns: a label cell and a cell of paragraphs (``content`` is already XML)."""
    cells = "".join(f'<table:table-row><table:table-cell office:value-type="string"><text:p>{label}</text:p>'
                    f'</table:table-cell><table:table-cell office:value-type="string">{content}</table:table-cell>'
                    "</table:table-row>" for label, content in rows)
    return f'<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/>{cells}</table:table>'
