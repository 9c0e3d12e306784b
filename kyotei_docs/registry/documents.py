"""Re-rendering Form 2 / Form 3 from what the registry knows.

Why optional: rendering (``kyotei_docs.render``) needs docxtpl and templates
and may be absent from an installation or broken by a template; the registry
must keep working without it.  Signing is therefore recorded first, and the
documents are rendered afterwards; a failure to render is reported (exit code
4), never rolled back into the registry.

One current file per document: a render is made in a private folder first;
only when it succeeded are the files it replaces moved into a dated
``versions/`` folder and the new ones put in their place — no 「(2)」 copies
piling up, and nothing overwritten or deleted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
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
        from ..render import render_documents
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
    #: earlier files moved into versions/<date>/ (nothing is ever overwritten)
    retired: list[Path] = field(default_factory=list)


def proposal_of(a: Agreement) -> Proposal:
    """The proposal as stored at registration (the parse contract JSON)."""
    data = dict(a.proposal or {})
    data.setdefault("file", "")
    data.setdefault("format", "")
    return Proposal.from_json(data)


def render_for(a: Agreement, results: list[Result], cfg: Any, out_dir: Path, *,
               pdf: bool = False, renderer: Any = None, in_force: Sequence[str] | None = None,
               form3_pdf: bool = True) -> Rendered:
    """Render Form 2/3 with the signing date, term, items and public results by fiscal year.

    Form 2 is the agreement as signed (its items as signed); Form 3 announces
    the items as they are now, after any amendment (変更協定).  ``form3_pdf=False``:
    with ``pdf``, Form 2's PDF only (the screen asking for the agreement's PDF).
    """
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
        extra: dict[str, Any] = {"title": title} if title else {}
        current = tuple(in_force) if in_force is not None else a.items  # the items in force today, if known
        if a.signed_items and current != a.signed_items:  # amended: Form 3 announces the items in force
            extra["form3_items"] = list(current)
        if pdf and not form3_pdf:
            extra["form3_pdf"] = False
        from ..render.naming import private_dir, publish

        with private_dir(out_dir) as stage:
            outcome = render(
                proposal, cfg, stage,
                signing_date=a.signed_on, term=a.term, items=list(a.signed_items or a.items) or None,
                results=results_by_fiscal_year(results) or None, pdf=pdf, **extra,
            )
            made = [Path(f) for f in getattr(outcome, "files", []) or []]
            retired = retire(out_dir, [f.name for f in made], stamp=_stamp(cfg))
            files = [publish(f, out_dir / f.name) for f in made]
    except Exception as exc:  # the renderer's own errors carry their messages
        detail = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        return Rendered(problem="failed", detail=str(detail))
    warnings = [str(w) for w in getattr(outcome, "warnings", []) or []]
    return Rendered(files=files, warnings=warnings, retired=retired)


#: Where earlier versions of a case's documents go, inside its documents folder.
VERSIONS = "versions"
_NUMBERED = re.compile(r"^(?P<stem>.*?)(?:\((?P<n>\d+)\))?$")


def _stamp(cfg: Any) -> str:
    from ..citytime import now

    return now(cfg).strftime("%Y%m%d-%H%M%S")


def retire(out_dir: Path, names: list[str], *, stamp: str) -> list[Path]:
    """Move the current files that ``names`` will replace (and numbered copies of them, 「X(2).docx」
    left by earlier versions) into ``versions/<stamp>/``; nothing is deleted or overwritten.

    So each case keeps one current file per document, and every earlier one
    stays findable by date.
    """
    wanted = {(Path(n).stem, Path(n).suffix.lower()) for n in names}
    old = []
    for entry in sorted(out_dir.iterdir()) if out_dir.is_dir() else []:
        if not entry.is_file() or entry.name.startswith("."):
            continue
        m = _NUMBERED.match(entry.stem)
        if m and (m.group("stem"), entry.suffix.lower()) in wanted:
            old.append(entry)
    if not old:
        return []
    folder = out_dir / VERSIONS / stamp
    n = 1
    while True:
        try:
            folder.mkdir(parents=True, exist_ok=False)
            break
        except FileExistsError:
            n += 1
            folder = out_dir / VERSIONS / f"{stamp}-{n}"
    moved = []
    for entry in old:
        target = folder / entry.name
        os.rename(entry, target)  # a new, empty folder on the same volume: nothing to overwrite
        moved.append(target)
    return moved


def default_out_dir(a: Agreement, submission_folder: str | None, cfg: Any) -> Path:
    """Where signed documents go unless ``--out`` says otherwise.

    With a site: the case's own folder ``<site>/cases/<ID>_<organisation>/``
    (:func:`case_folder`), whoever runs the command and from wherever.
    Without one, as before: next to the submission's drafts (``<folder>/signed``)
    when the drop folder recorded one and it still exists, else
    ``[registry] documents`` (default ``agreements``) ``/<ID>``.
    """
    site = getattr(cfg, "site", None)
    if site is not None:
        return case_folder(Path(site.cases), a)
    if submission_folder and Path(submission_folder).is_dir():
        return Path(submission_folder) / "signed"
    return Path(cfg.registry.documents if cfg is not None else "agreements").absolute() / str(a.id)


def case_folder(cases: Path, a: Agreement) -> Path:
    """``cases/<ID>_<organisation>``: the folder made first for this ID is kept even if the name is corrected
    later, so a case's documents never split over two folders."""
    from ..safenames import safe_filename

    try:
        for entry in sorted(cases.glob(f"{a.id}_*")):
            if entry.is_dir():
                return entry
    except OSError:
        pass
    return cases / safe_filename(f"{a.id}_{a.partner_name or ''}".rstrip("_"), max_bytes=120)
