"""Fill a .docx template with docxtpl, safely.

Why these settings (``docs/pitfalls.md``, "Rendering with docxtpl"):

* ``autoescape=True``: without it a value with ``&`` or ``<`` corrupts the XML;
* ``StrictUndefined``: a misspelt variable is an error, never a silent blank;
* a sandboxed Jinja environment: templates come from a folder staff edit;
* values are cleaned of control characters (:mod:`.values`) and are only ever
  data — docxtpl renders the template once and never re-reads the output.

The template's own fixed text is adapted to the configuration before Jinja
runs: its commas (「，」 or 「、」) become the city's comma, and the built-in
East-Asian font becomes ``[render] font``.  Values are never touched by that.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from .messages import TemplateProblem
from .values import safe_context

__all__ = ["BUILTIN_FONT", "CityTemplate", "jinja_env", "render_docx"]

#: The East-Asian font the built-in templates are made with (scripts/make_templates.py).
BUILTIN_FONT = "ＭＳ 明朝"
_FONT_ATTR = re.compile(f'(w:(?:ascii|hAnsi|eastAsia|cs)=)"{BUILTIN_FONT}"')
_FONT_KEYS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_TAG = re.compile(r"({{.*?}}|{%.*?%}|{#.*?#})", re.DOTALL)


class CompilingOnceEnvironment(SandboxedEnvironment):
    """Compiles each template source once per process.

    docxtpl calls ``from_string`` for every part of every render (about eight
    per document), and compiling is ~40 % of a render; the drop folder renders
    thousands of documents from the same few templates.  A compiled template
    holds no state between renders, and the key is the exact source (after the
    comma/font adaptation), so a cached one renders exactly as a fresh one.
    """

    _CACHE_SIZE = 64

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        cache = self.__dict__.setdefault("_compiled", {})
        template = cache.get(source)
        if template is None:
            template = super().from_string(source)
            if len(cache) >= self._CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[source] = template
        return template


@lru_cache(maxsize=1)
def jinja_env() -> SandboxedEnvironment:
    """The one Jinja environment for .docx templates (autoescaping, strict, sandboxed)."""
    return CompilingOnceEnvironment(autoescape=True, undefined=StrictUndefined)


def apply_comma(source: str, comma: str) -> str:
    """Write the template's fixed text with the configured comma; leave Jinja tags alone."""
    if comma not in ("，", "、"):
        return source
    other = "、" if comma == "，" else "，"
    if other not in source:
        return source
    parts = _TAG.split(source)
    return "".join(p if i % 2 else p.replace(other, comma) for i, p in enumerate(parts))


_PATCHED: dict[tuple[str, str, str], str] = {}


class CityTemplate(DocxTemplate):
    """A DocxTemplate that adapts the template's fixed text (comma, font) to the city's style."""

    def __init__(self, template_file: str | Path | IO[bytes], *, comma: str = "，", font: str = "") -> None:
        super().__init__(template_file)
        self.comma = comma
        self.font = font

    def patch_xml(self, src_xml: str) -> str:  # docxtpl hook: runs on the template, before Jinja
        key = (src_xml, self.comma, self.font)
        xml = _PATCHED.get(key)
        if xml is None:  # a pure function of the template's XML: done once per template and process
            xml = super().patch_xml(src_xml)
            xml = apply_comma(xml, self.comma)
            if self.font and self.font != BUILTIN_FONT:
                xml = _FONT_ATTR.sub(lambda m: m.group(1) + quoteattr(self.font), xml)
            if len(_PATCHED) >= 32:
                _PATCHED.pop(next(iter(_PATCHED)))
            _PATCHED[key] = xml
        return xml

    def set_style_font(self) -> None:
        """Replace the built-in font in styles.xml too (docDefaults, Normal…)."""
        if not self.font or self.font == BUILTIN_FONT:
            return
        attrs = [qn(k) for k in _FONT_KEYS]
        for el in self.docx.styles.element.iter(qn("w:rFonts")):
            for attr in attrs:
                if el.get(attr) == BUILTIN_FONT:
                    el.set(attr, self.font)


#: the children of ``w:compat`` the schema puts before ``w:doNotExpandShiftReturn`` (CT_Compat is a sequence)
_BEFORE_NO_EXPAND = frozenset(qn(f"w:{t}") for t in (
    "useSingleBorderforContiguousCells", "wpJustification", "noTabHangInd", "noLeading", "spaceForUL",
    "noColumnBalance", "balanceSingleByteDoubleByteWidth", "noExtraLineSpacing", "doNotLeaveBackslashAlone",
    "ulTrailSpace"))


def keep_line_breaks_unjustified(document: Any) -> None:
    """Set Word's「Shift+Enter で終わる行の文字間隔を広げない」(``w:doNotExpandShiftReturn``).

    A value of several lines (期待される効果: 「・特定健診の受診率の向上」「・子育て世帯への…」) is
    written as line breaks inside one paragraph, and the templates' paragraphs are justified (両端揃え):
    without this, Word and LibreOffice spread every line but the last across the whole cell,
    「・　特　定　健　診　の　…」.  LibreOffice reads the same setting from the .docx.
    """
    settings = document.settings.element
    compat = settings.find(qn("w:compat"))
    # Word writes a w:compat into every document it saves; a template without one is left as it is
    # rather than guessing its place among the settings (Word refuses a settings part out of order)
    if compat is None or compat.find(qn("w:doNotExpandShiftReturn")) is not None:
        return
    index = 0
    for i, child in enumerate(compat):
        if child.tag in _BEFORE_NO_EXPAND:
            index = i + 1
    compat.insert(index, compat.makeelement(qn("w:doNotExpandShiftReturn"), {}))


def render_docx(template: Path, context: dict[str, Any], target: Path | IO[bytes], *, comma: str = "，",
                font: str = "", images: Any = None) -> None:
    """Render ``template`` with ``context`` into ``target`` (a path or a binary file object).

    ``images``, if given, is called with the DocxTemplate to build image values
    (docxtpl needs the template object for them) and returns a dict merged into
    the context.  Jinja errors become :class:`TemplateProblem` with the template's name.
    """
    tpl = CityTemplate(template, comma=comma, font=font)
    values = safe_context(context)
    if images is not None:
        values.update(images(tpl))
    try:
        tpl.render(values, jinja_env=jinja_env(), autoescape=True)
    except UndefinedError as exc:
        raise TemplateProblem("template_undefined", name=template.name, detail=str(exc)) from exc
    except TemplateError as exc:
        raise TemplateProblem("template_render", name=template.name, detail=str(exc)) from exc
    tpl.set_style_font()
    keep_line_breaks_unjustified(tpl.docx)
    if isinstance(target, Path):
        # Built in memory, written in one call: python-docx leaves its zip open when a write
        # fails (a full disk), and the zip's clean-up then prints a traceback of its own.
        buffer = io.BytesIO()
        tpl.save(buffer)
        target.write_bytes(buffer.getvalue())
    else:
        tpl.save(target)
