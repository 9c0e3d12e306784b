"""Check a template before anyone relies on it (``kyotei templates check``).

Why: a template edited in Word fails quietly in ways docxtpl does not report
(``docs/pitfalls.md``): tags typed with a Japanese IME (「｛｛」) are plain text,
a tag whose halves ended up in different paragraphs is mangled, ``{%tr %}``
tags need a table row of their own, a misspelt variable renders blank unless
the environment is strict.  This module looks for each of these, then renders
the template with sample data under the same rules as the real renderer, so a
template that passes the lint renders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from jinja2 import TemplateSyntaxError, meta
from jinja2.exceptions import TemplateError
from lxml import etree

from ..config import Config
from ..errors import UnreadableError
from ..i18n import Catalog, say
from ..readers.package import Package, parse_xml
from .context import VARIABLES, sample_context
from .docx import CityTemplate, jinja_env, render_docx
from .html import html_env, render_html
from .messages import TemplateProblem
from .templates import TEMPLATE_NAMES

__all__ = ["LintFinding", "MESSAGES", "check_cached", "lint_dir", "lint_template"]

MESSAGES: Catalog = {
    "ime_brace": ("全角の括弧で書かれたタグ「{text}」は差し込まれません。半角の {{{{ }}}} や {{% %}} で書き直してください。",
                  "The tag 「{text}」 uses full-width braces and never renders; retype it with ASCII {{{{ }}}} / {{% %}}."),
    "spaced_brace": ("「{text}」は括弧の間に空白があるため、タグとして扱われません。",
                     "「{text}」 has a space between the braces and is not a tag."),
    "split_tag": ("タグの始まりと終わりが同じ段落にありません（{detail}）。一つのタグは一つの段落の中に書いてください。",
                  "A tag does not open and close in the same paragraph ({detail}); keep each tag within one paragraph."),
    "tr_outside_row": ("{{%tr … %}} が表の行の外にあります。表の行ごと繰り返すときにだけ使えます。",
                       "{{%tr … %}} is outside a table row; it only works inside one."),
    "tr_not_alone": ("{{%tr … %}} は、その行にほかの文字を置かずに書いてください（行全体が置き換わります）。",
                     "{{%tr … %}} must be alone in its table row (the whole row is replaced)."),
    "p_in_cell": ("表のセルの中の {{%p … %}} は正しく動かないことがあります。{{%tr %}} か {{% %}} を使ってください。",
                  "{{%p … %}} inside a table cell can break; use {{%tr %}} or {{% %}} instead."),
    "p_extra_text": ("{{%p … %}} と同じ段落にある文字「{text}」は出力されません。タグだけの段落にしてください。",
                     "Text 「{text}」 in the same paragraph as {{%p … %}} is dropped; give the tag a paragraph of its own."),
    "richtext": ("{{{{r …}}}} は日本語フォントの指定が失われることがあります。通常の {{{{ … }}}} を使ってください。",
                 "{{{{r …}}}} can lose the East-Asian font; use a plain {{{{ … }}}}."),
    "syntax": ("タグの書き方に誤りがあります: {detail}", "Tag syntax error: {detail}"),
    "unknown_variable": ("「{name}」という差し込み項目はありません。使える項目: {known}",
                         "There is no variable 「{name}」. Known: {known}"),
    "undefined": ("差し込み項目の誤り: {detail}", "Unknown variable or attribute: {detail}"),
    "render_failed": ("見本データでの差し込みに失敗しました: {detail}", "Trial render with sample data failed: {detail}"),
    "broken_output": ("差し込み後の文書が壊れます（{detail}）。タグの組み合わせ（if/for と end）を確認してください。",
                      "The rendered document is broken ({detail}); check that every if/for has its end."),
    "unrendered": ("差し込まれずに残るタグがあります「{text}」（途中で書式が変わっている可能性）。タグを打ち直してください。",
                   "A tag stays in the output unrendered 「{text}」 (formatting inside it?); retype it."),
    "unreadable": ("テンプレートを開けません: {detail}", "Cannot open the template: {detail}"),
    "unused_file": ("このファイルはテンプレートとして使われません（名前が {names} のどれとも違います）。",
                    "This file is not used as a template (its name is none of {names})."),
    "where_par": ("{part} 第{n}段落「{text}」", "{part} paragraph {n} 「{text}」"),
    "where_line": ("{n}行目", "line {n}"),
    "error": ("誤り", "error"),
    "warning": ("注意", "warning"),
}

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_IME = re.compile(r"[｛{][｛{％%＃#]|[％%＃#}｝][｝}]")
_SPACED = re.compile(r"\{\s+[{%]|[%}]\s+\}")
#: Templates of other features that share the folder (the blank Form 1): not ours, not unused.
OTHER_TEMPLATES = frozenset({"form1_proposal.docx"})


@dataclass(frozen=True)
class LintFinding:
    severity: str  # "error" or "warning"
    code: str
    template: str
    where: str
    message: str

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"[{say(MESSAGES, self.severity)}] {self.template}: {where}{self.message}"


class _Collector:
    def __init__(self, template: str) -> None:
        self.template = template
        self.findings: list[LintFinding] = []

    def add(self, severity: str, code: str, where: str = "", **params: object) -> None:
        self.findings.append(LintFinding(severity, code, self.template, where, say(MESSAGES, code, **params)))


def _short(text: str, n: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# ------------------------------------------------------------------------- .docx

def _parts(path: Path) -> list[tuple[str, bytes]]:
    """Body, headers and footers: the parts docxtpl renders.

    The whole package is inflated once under the caps first (:meth:`Package.verify`):
    docxtpl (python-docx) reads every entry into memory, so a template that is a
    zip bomb must be stopped here, before the trial render.
    """
    with Package(path) as pkg:
        pkg.verify()
        names = [n for n in pkg.names()
                 if n == "word/document.xml" or re.fullmatch(r"word/(header|footer)\d*\.xml", n)]
        if "word/document.xml" not in names:
            raise UnreadableError("not_docx", kind="no word/document.xml")
        return [(name, pkg.read(name, pkg.limits.zip_xml_bytes))
                for name in sorted(names, key=lambda n: (n != "word/document.xml", n))]


def _paragraph_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{{{_W}}}t"))


def _check_text(c: _Collector, text: str, where: str) -> None:
    for m in _IME.finditer(text):
        if not m.group(0).isascii():
            c.add("error", "ime_brace", where, text=_short(text[max(0, m.start() - 2): m.end() + 12], 24))
    for m in _SPACED.finditer(text):
        c.add("warning", "spaced_brace", where, text=m.group(0))


def _balance(text: str) -> str | None:
    """Why the tags in ``text`` are not closed within it, or None."""
    depth_open = text.count("{{") + text.count("{%") + text.count("{#")
    depth_close = text.count("}}") + text.count("%}") + text.count("#}")
    if depth_open == depth_close:
        return None
    return f"{{ ×{depth_open} / }} ×{depth_close}"


def _lint_docx_static(c: _Collector, path: Path) -> None:
    for part, data in _parts(path):
        root = parse_xml(data, part)
        label = part.removeprefix("word/").removesuffix(".xml")
        for n, p in enumerate(root.iter(f"{{{_W}}}p"), start=1):
            text = _paragraph_text(p)
            if not any(ch in text for ch in "{}｛｝%％"):
                continue
            where = say(MESSAGES, "where_par", part=label, n=n, text=_short(text))
            _check_text(c, text, where)
            problem = _balance(text)
            if problem:
                c.add("error", "split_tag", where, detail=problem)
            in_cell = any(a.tag == f"{{{_W}}}tc" for a in p.iterancestors())
            if "{%tr" in text:
                row = next((a for a in p.iterancestors() if a.tag == f"{{{_W}}}tr"), None)
                if row is None:
                    c.add("error", "tr_outside_row", where)
                else:
                    rest = re.sub(r"{%tr.*?%}", "", "".join(_paragraph_text(q) for q in row.iter(f"{{{_W}}}p")))
                    if rest.strip():
                        c.add("error", "tr_not_alone", where)
            if "{%p" in text:
                if in_cell:
                    c.add("warning", "p_in_cell", where)
                rest = re.sub(r"{%p.*?%}", "", text).strip()
                if rest:
                    c.add("warning", "p_extra_text", where, text=_short(rest, 20))
            if re.search(r"{{r\s|{%r\s", text):
                c.add("warning", "richtext", where)


def _docx_source(path: Path, cfg: Config) -> str:
    """The Jinja source docxtpl makes of the template (what Jinja will parse)."""
    tpl = CityTemplate(path, comma=cfg.comma)
    tpl.init_docx()
    source = tpl.patch_xml(tpl.get_xml())
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            source += tpl.patch_xml(tpl.get_part_xml(part))
    return source


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
            + chunk(b"IEND", b""))


def _sample_photos(tpl) -> dict:
    from docx.shared import Mm
    from docxtpl import InlineImage

    image = InlineImage(tpl, BytesIO(_tiny_png()), width=Mm(10))
    return {"photos": [{"image": image, "name": "photo.png", "href": "photo.png", "caption": "見本"}]}


def _known(name: str) -> dict[str, str]:
    """The names template ``name`` may use: a letter's own list (render/letters.py), else Form 2/3's."""
    from .letters import VARIABLES as LETTERS

    return LETTERS.get(name, VARIABLES)


def _sample(name: str, cfg: Config) -> dict:
    from .letters import VARIABLES as LETTERS
    from .letters import sample_letter_context

    return sample_letter_context(cfg, name) if name in LETTERS else sample_context(cfg)


def _check_variables(c: _Collector, ast, known: dict[str, str] = VARIABLES) -> None:
    unknown = sorted(meta.find_undeclared_variables(ast) - set(known))
    for name in unknown:
        c.add("error", "unknown_variable", name=name, known=", ".join(known))


def _lint_docx(c: _Collector, path: Path, cfg: Config) -> None:
    _lint_docx_static(c, path)
    try:
        ast = jinja_env().parse(_docx_source(path, cfg))
    except TemplateSyntaxError as exc:
        c.add("error", "syntax", detail=exc.message or str(exc))
        return
    _check_variables(c, ast, _known(path.name))
    if any(f.severity == "error" for f in c.findings):
        return
    out = BytesIO()
    try:
        render_docx(path, _sample(path.name, cfg), out, comma=cfg.comma, images=_sample_photos)
    except TemplateProblem as exc:
        code = "undefined" if exc.code == "template_undefined" else "render_failed"
        c.add("error", code, detail=str(exc.params.get("detail", exc)))
        return
    except Exception as exc:  # docxtpl's own failures (broken XML after Jinja) end up here
        c.add("error", "broken_output", detail=_short(f"{type(exc).__name__}: {exc}", 80))
        return
    _check_output(c, out.getvalue())


def _check_output(c: _Collector, data: bytes) -> None:
    try:
        with Package(data) as pkg:
            root = pkg.xml("word/document.xml")
    except Exception as exc:
        c.add("error", "broken_output", detail=type(exc).__name__)
        return
    for p in root.iter(f"{{{_W}}}p"):
        text = _paragraph_text(p)
        m = re.search(r"{{.*?}}|{%.*?%}|{{|{%", text)
        if m:
            c.add("error", "unrendered", text=_short(m.group(0), 24))


# ------------------------------------------------------------------------- .html

def _lint_html(c: _Collector, path: Path, cfg: Config) -> None:
    try:
        source = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        c.add("error", "unreadable", detail=str(exc))
        return
    for n, line in enumerate(source.splitlines(), start=1):
        _check_text(c, line, say(MESSAGES, "where_line", n=n))
    try:
        ast = html_env().parse(source)
    except TemplateSyntaxError as exc:
        c.add("error", "syntax", say(MESSAGES, "where_line", n=exc.lineno), detail=exc.message or str(exc))
        return
    _check_variables(c, ast)
    if any(f.severity == "error" for f in c.findings):
        return
    try:
        render_html(path, sample_context(cfg), comma=cfg.comma)
    except TemplateProblem as exc:
        code = "undefined" if exc.code == "template_undefined" else "render_failed"
        c.add("error", code, detail=str(exc.params.get("detail", exc)))


# ------------------------------------------------------------------------- API

def lint_template(path: Path, cfg: Config) -> list[LintFinding]:
    """Every finding for one template (.docx or .html)."""
    c = _Collector(path.name)
    try:
        if path.suffix.lower() == ".html":
            _lint_html(c, path, cfg)
        else:
            _lint_docx(c, path, cfg)
    except UnreadableError as exc:  # a broken or hostile package: the reader's own words
        c.add("error", "unreadable", detail=exc.message)
    except (OSError, KeyError, ValueError, etree.XMLSyntaxError, TemplateError) as exc:
        c.add("error", "unreadable", detail=_short(f"{type(exc).__name__}: {exc}", 80))
    return c.findings


def lint_dir(folder: Path, cfg: Config) -> dict[Path, list[LintFinding]]:
    """Findings for the known templates in ``folder``, plus a note for .docx/.html files not used."""
    results: dict[Path, list[LintFinding]] = {}
    for name in TEMPLATE_NAMES:
        path = folder / name
        if path.is_file():
            results[path] = lint_template(path, cfg)
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in (".docx", ".html") and path.name not in TEMPLATE_NAMES \
                and not path.name.startswith(("~$", ".")) and path.name not in OTHER_TEMPLATES:
            c = _Collector(path.name)
            c.add("warning", "unused_file", names=", ".join(TEMPLATE_NAMES))
            results[path] = c.findings
    return results


_CACHE: dict[tuple[str, int, int, str], tuple[LintFinding, ...]] = {}


def check_cached(path: Path, cfg: Config) -> list[LintFinding]:
    """:func:`lint_template`, remembered while the file is unchanged (the renderer calls this every time).

    Keyed by path, modification time and size: a template edited in Word is checked again.
    """
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size, cfg.comma)
    if key not in _CACHE:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = tuple(lint_template(path, cfg))
    return list(_CACHE[key])
