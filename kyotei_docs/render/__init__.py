"""Render the agreement (Form 2) and the homepage announcement (Form 3).

Public API (the ``kyotei render`` command and the drop folder use these):

* :func:`render_documents` — one proposal → .docx (and .pdf) of Form 2 and
  Form 3, never overwriting a file, returning a :class:`RenderResult`;
* :func:`pdf_batch` — many .docx → PDF in one LibreOffice process;
* :func:`restate_form3` — Form 3 drafts written again once the agreement's PDF exists (its size);
* :func:`lint_template`, :func:`lint_dir` — ``kyotei templates check``;
* :func:`export_templates`, :func:`resolve_templates` — template folders;
* errors: :class:`RenderError` (and :class:`InvalidProposal`,
  :class:`TemplateProblem`), all :class:`~kyotei_docs.errors.KyoteiError`.

Modules: ``context`` (items, dates, wording), ``values`` (safe values),
``docx``/``html`` (filling templates), ``lint``, ``naming`` (file names,
no-overwrite publishing), ``pdf``, ``inputs`` (items/results files, photos),
``templates`` (where templates are), ``messages``.
"""

from __future__ import annotations

from .documents import RenderResult, render_documents, restate_form3
from .lint import LintFinding, lint_dir, lint_template
from .messages import InvalidProposal, RenderError, TemplateProblem
from .pdf import PdfBatch, pdf_batch
from .templates import TEMPLATE_NAMES, builtin_dir, export_templates, resolve_templates

__all__ = [
    "InvalidProposal", "LintFinding", "PdfBatch", "RenderError", "RenderResult", "TEMPLATE_NAMES",
    "TemplateProblem", "builtin_dir", "export_templates", "lint_dir", "lint_template", "pdf_batch",
    "render_documents", "resolve_templates", "restate_form3",
]
