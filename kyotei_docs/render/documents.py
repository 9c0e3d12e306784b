"""Form 2 and Form 3 for one proposal: the whole render, start to finish.

Order matters: the announcement (Form 3) names the agreement's PDF with its
size in kilobytes, so the agreement is written (and converted) first.  Nothing
is written before the proposal is valid, the templates pass the lint and the
inputs are usable, so a refused render leaves the folder as it was.
"""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..config import Config
from ..i18n import say
from ..proposal import Proposal
from .context import build_context
from .docx import render_docx
from .html import render_html
from .inputs import photo_suffix
from .lint import check_cached
from .messages import MESSAGES, InvalidProposal, RenderError, TemplateProblem
from .naming import OutputNames, temp_path, write_new
from .pdf import pdf_batch
from .templates import FORM2_COMPREHENSIVE, FORM2_INDIVIDUAL, FORM3_DOCX, FORM3_HTML, resolve_templates

__all__ = ["RenderResult", "render_documents", "restate_form3"]

PHOTO_WIDTH_MM = 80
BLANK_KB = "　　"


@dataclass
class RenderResult:
    """What a render wrote and what staff should know about it."""

    #: every file written, in the order written
    files: list[Path] = field(default_factory=list)
    #: messages for staff (current language; Japanese by default)
    warnings: list[str] = field(default_factory=list)
    #: the agreement's explicit expiry, None while the signing date is unknown
    end_date: date | None = None
    #: role → file: form2_docx, form2_pdf, form3_docx, form3_html, form3_pdf, photo1…
    documents: dict[str, Path] = field(default_factory=dict)
    #: .docx whose PDF could not be made → reason
    pdf_failures: dict[Path, str] = field(default_factory=dict)

    def _add(self, role: str, path: Path) -> Path:
        self.files.append(path)
        self.documents[role] = path
        return path


def _check(proposal: Proposal, cfg: Config) -> list[str]:
    from ..pipeline import check_proposal

    result = check_proposal(proposal, cfg)
    if not result.valid:
        raise InvalidProposal(result)
    if proposal.agreement_type is None:  # a type left for review (要確認): no guess at 包括 in a document
        raise RenderError("type_unsettled")
    return [f.message for f in result.warnings]


def _check_templates(paths: list[Path], cfg: Config) -> None:
    for path in paths:
        errors = [f for f in check_cached(path, cfg) if f.severity == "error"]
        if errors:
            raise TemplateProblem("template_broken", errors, name=path.name,
                                  detail="\n".join(f"  - {f}" for f in errors))


def _pdf_info(path: Path | None, wanted_name: str) -> dict[str, str]:
    if path is None:
        return {"name": wanted_name, "href": quote(wanted_name), "kb": BLANK_KB}
    kb = max(1, math.ceil(path.stat().st_size / 1024))
    return {"name": path.name, "href": quote(path.name), "kb": str(kb)}


def _convert(result: RenderResult, docx: Path, role: str, out_dir: Path) -> Path | None:
    batch = pdf_batch([docx], out_dir)
    if docx in batch:
        return result._add(role, batch[docx])
    reason = batch.failures.get(docx, "?")
    result.pdf_failures[docx] = reason
    result.warnings.append(say(MESSAGES, "pdf_failed", name=docx.name, reason=reason))
    return None


def render_documents(proposal: Proposal, cfg: Config, out_dir: Path, *, signing_date: date | None = None,
                     expected_signing: date | None = None, term: str | None = None,
                     items: list[str] | None = None, templates_dir: Path | None = None,
                     results: dict[int, list[str]] | None = None, pdf: bool = False,
                     photos: list[Path] | None = None, title: str | None = None,
                     form3_items: list[str] | None = None, form3_pdf: bool = True) -> RenderResult:
    """Write the agreement (Form 2) and the announcement (Form 3) for ``proposal`` into ``out_dir``.

    * Only a valid proposal renders: otherwise :class:`InvalidProposal` (its
      ``result`` is the check report).  Too many items, a bad term, unusable
      templates or inputs raise other :class:`RenderError` subclasses — all
      before anything is written.
    * Files are never overwritten: names that exist get 「(2)」, 「(3)」…, the
      same number for all files of this render.  Each file appears complete
      or not at all (temporary file, then one-step publish).
    * ``pdf=True`` converts both .docx with LibreOffice (raises
      :class:`~kyotei_docs.office.OfficeUnavailable` up front if it is not
      installed; a failed conversion is a warning and in ``pdf_failures``).
    * ``items`` replaces the default item wording; ``results`` maps a fiscal
      year (2025 = 令和７年度) to its results; ``photos`` are JPEG/PNG files of
      the signing; ``title`` replaces the agreement's title.
    * ``form3_items``: the items as amended since signing (変更協定): Form 3
      announces them, while Form 2 stays the agreement as signed (``items``).
    * ``form3_pdf=False`` with ``pdf``: Form 2's PDF only (Form 3's .docx/.html still state its
      size) — one LibreOffice run instead of two when only the agreement's PDF is wanted.
    """
    out_dir = Path(out_dir)
    check_warnings = _check(proposal, cfg)
    if pdf:
        from ..office import OfficeUnavailable, soffice_available

        if not soffice_available():
            raise OfficeUnavailable()
    ctx = build_context(proposal, cfg, signing_date=signing_date, expected_signing=expected_signing, term=term,
                        items=items, results=results, title=title)
    values = ctx.values
    templates = resolve_templates(cfg, templates_dir)
    form2_template = templates.path(FORM2_INDIVIDUAL if values["kind"] == "individual" else FORM2_COMPREHENSIVE)
    form3_docx, form3_html = templates.path(FORM3_DOCX), templates.path(FORM3_HTML)
    _check_templates([form2_template, form3_docx, form3_html], cfg)
    photo_files = [Path(p) for p in photos or []]
    suffixes = [photo_suffix(p) for p in photo_files]

    out_dir.mkdir(parents=True, exist_ok=True)
    names = OutputNames(out_dir, values["partner"]["name"], values["kind"], photo_suffixes=suffixes)
    result = RenderResult(warnings=ctx.warnings + check_warnings, end_date=ctx.end_date)
    font = cfg.render.font
    comma = cfg.comma

    form2 = result._add("form2_docx", write_new(
        names["form2_docx"], lambda tmp: render_docx(form2_template, values, tmp, comma=comma, font=font)))
    if names.number > 1:
        result.warnings.append(say(MESSAGES, "renamed", wanted=names.wanted["form2_docx"].name, actual=form2.name))
    form2_pdf = _convert(result, form2, "form2_pdf", out_dir) if pdf else None
    if form2_pdf is None and not pdf:
        result.warnings.append(say(MESSAGES, "pdf_size_unknown"))

    photo_files_out: list[Path] = []
    photo_values: list[dict[str, Any]] = []
    for i, src in enumerate(photo_files, start=1):
        copied = result._add(f"photo{i}", write_new(names[f"photo{i}"], partial(shutil.copyfile, src)))
        caption = "協定締結式の様子" if len(photo_files) == 1 else f"協定締結式の様子（{i}）"
        photo_files_out.append(copied)
        photo_values.append({"name": copied.name, "href": quote(copied.name), "caption": caption, "image": ""})
    form3_values = dict(values, pdf=_pdf_info(form2_pdf, names["form2_pdf"].name), photos=photo_values)
    if form3_items is not None:
        from .context import agreement_items, items_summary

        current = agreement_items(proposal, cfg, form3_items)
        form3_values |= {"items": [i.as_dict() for i in current], "item_count": len(current),
                         "items_summary": items_summary(current, comma)}

    def images(tpl: Any) -> dict[str, Any]:
        """The photos as docxtpl images (they need the template object, so they are made per render)."""
        from docx.shared import Mm
        from docxtpl import InlineImage

        return {"photos": [dict(value, image=InlineImage(tpl, str(path), width=Mm(PHOTO_WIDTH_MM)))
                           for value, path in zip(photo_values, photo_files_out)]}

    form3 = result._add("form3_docx", write_new(
        names["form3_docx"], lambda tmp: render_docx(form3_docx, form3_values, tmp, comma=comma, font=font,
                                                      images=images)))
    html = render_html(form3_html, form3_values, comma=comma)
    result._add("form3_html", write_new(
        names["form3_html"], lambda tmp: tmp.write_text(html, encoding="utf-8", newline="\n")))
    if pdf and form3_pdf:
        _convert(result, form3, "form3_pdf", out_dir)
    return result


def restate_form3(proposal: Proposal, cfg: Config, form2_pdf: Path, form3: list[Path]) -> list[Path]:
    """Write our own Form 3 drafts (``.docx``/``.html`` in ``form3``) again, now naming the agreement's
    PDF with its size in kilobytes.

    For the drop folder, which converts Form 2 drafts to PDF in batches after
    rendering: a draft made before its PDF existed said 「（PDF形式，　　キロバイト）」.
    Each file is written beside itself and renamed over the old draft in one
    step (our own draft of this pass, never a file someone gave us).
    """
    ctx = build_context(proposal, cfg)
    templates = resolve_templates(cfg, None)
    values = dict(ctx.values, pdf=_pdf_info(form2_pdf, form2_pdf.name), photos=[])
    font = str(cfg.section("render").get("font") or "")
    written = []
    for target in form3:
        tmp = temp_path(target.parent, target.suffix)
        try:
            if target.suffix.lower() == ".html":
                html = render_html(templates.path(FORM3_HTML), values, comma=cfg.comma)
                tmp.write_text(html, encoding="utf-8", newline="\n")
            else:
                render_docx(templates.path(FORM3_DOCX), values, tmp, comma=cfg.comma, font=font)
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                tmp.unlink()
        written.append(target)
    return written
