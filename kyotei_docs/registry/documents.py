"""Re-rendering Form 2 / Form 3 from what the registry knows.

Why optional: rendering (``kyotei_docs.render``) needs docxtpl and templates
and may be absent from an installation or broken by a template; the registry
must keep working without it.  Signing is therefore recorded first, and the
documents are rendered afterwards; a failure to render is reported (exit code
4), never rolled back into the registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..proposal import Proposal
from .model import Agreement, Result
from .queries import results_by_fiscal_year


def render_available() -> bool:
    """True if this installation has the renderer."""
    return _renderer() is not None


def _renderer() -> Any:
    try:
        from ..render import render_documents  # type: ignore[import-not-found,attr-defined]
    except ImportError:
        return None
    return render_documents


@dataclass
class Rendered:
    """Files written, warnings from the renderer, and why nothing was written if so."""

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: "unavailable" (no renderer installed), "failed" (it raised), or None
    problem: str | None = None
    detail: str = ""


def proposal_of(a: Agreement) -> Proposal:
    """The proposal as stored at registration (the parse contract JSON)."""
    data = dict(a.proposal or {})
    data.setdefault("file", "")
    data.setdefault("format", "")
    return Proposal.from_json(data)


def render_for(a: Agreement, results: list[Result], cfg: Any, out_dir: Path, *,
               pdf: bool = False, renderer: Any = None) -> Rendered:
    """Render Form 2/3 with the signing date, term, items and public results by fiscal year."""
    render = renderer or _renderer()
    if render is None:
        return Rendered(problem="unavailable")
    from .lifecycle import agreement_title

    proposal = proposal_of(a)
    # Pass the title only when staff changed it: the renderer words the default itself.
    title = None
    if a.title != agreement_title(cfg.municipality, proposal):
        title = a.title if a.title.endswith("書") else a.title + "書"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        extra = {"title": title} if title else {}
        outcome = render(
            proposal, cfg, out_dir,
            signing_date=a.signed_on, term=a.term, items=list(a.items) or None,
            results=results_by_fiscal_year(results) or None, pdf=pdf, **extra,
        )
    except Exception as exc:  # the renderer's own errors carry their messages
        detail = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        return Rendered(problem="failed", detail=str(detail))
    files = [Path(f) for f in getattr(outcome, "files", []) or []]
    warnings = [str(w) for w in getattr(outcome, "warnings", []) or []]
    return Rendered(files=files, warnings=warnings)


def default_out_dir(a: Agreement, submission_folder: str | None, cfg: Any) -> Path:
    """Where signed documents go unless ``--out`` says otherwise.

    Next to the submission's drafts (``<folder>/signed``) when the drop folder
    recorded one and it still exists, else ``[registry] documents`` (default
    ``agreements``) ``/<ID>``.
    """
    if submission_folder and Path(submission_folder).is_dir():
        return Path(submission_folder) / "signed"
    section = cfg.section("registry") if cfg is not None else {}
    return Path(section.get("documents") or "agreements") / str(a.id)
