"""Where the templates are: the city's own folder first, then the built-in ones.

Why: staff edit templates in Word (``kyotei templates export DIR``), and may
change only one of them, so each template is looked up on its own: the
chosen folder (``--templates DIR`` or ``[render] templates``) if it has that
file, else the built-in copy.  Built-ins live in the installed package
(``kyotei_docs/templates``, put there by the wheel build) or, in a source
checkout, in the repository's top-level ``templates/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..publish import copy_new
from .messages import RenderError

__all__ = [
    "AMENDMENT", "FORM2_COMPREHENSIVE", "FORM2_INDIVIDUAL", "FORM3_DOCX", "FORM3_HTML", "INTENT_SUMMARY", "JUDGEMENT_SHEET",
    "PRESS_RELEASE", "TEMPLATE_NAMES", "TERMINATION",
    "TemplateSet", "builtin_dir", "export_templates", "resolve_templates",
]

FORM2_COMPREHENSIVE = "form2_comprehensive.docx"
FORM2_INDIVIDUAL = "form2_individual.docx"
FORM3_DOCX = "form3_announcement.docx"
FORM3_HTML = "form3_announcement.html"
#: documents staff send after signing (render/letters.py): 変更協定書, 解約通知書
AMENDMENT = "amendment.docx"
TERMINATION = "termination_notice.docx"
#: documents of the steps before signing (cases/judging.py, cases/press.py): 検討票, 報道資料
JUDGEMENT_SHEET = "judgement_sheet.docx"
PRESS_RELEASE = "press_release.docx"
INTENT_SUMMARY = "intent_summary.docx"
TEMPLATE_NAMES: tuple[str, ...] = (FORM2_COMPREHENSIVE, FORM2_INDIVIDUAL, FORM3_DOCX, FORM3_HTML, AMENDMENT,
                                   TERMINATION, JUDGEMENT_SHEET, PRESS_RELEASE, INTENT_SUMMARY)

_PACKAGE_DIR = Path(__file__).resolve().parents[1] / "templates"
_REPO_DIR = Path(__file__).resolve().parents[2] / "templates"


def builtin_dir() -> Path:
    """The folder holding the shipped templates (package first, then the source checkout)."""
    for folder in (_PACKAGE_DIR, _REPO_DIR):
        if (folder / FORM2_COMPREHENSIVE).is_file():
            return folder
    raise RenderError("templates_dir_missing", path=f"{_PACKAGE_DIR} / {_REPO_DIR}")


@dataclass(frozen=True)
class TemplateSet:
    """The template file to use for each name, and the folder the city chose (if any)."""

    paths: dict[str, Path]
    custom_dir: Path | None

    def path(self, name: str) -> Path:
        return self.paths[name]

    def is_custom(self, name: str) -> bool:
        return self.custom_dir is not None and self.paths[name].parent == self.custom_dir


def chosen_dir(cfg: Config | None, templates_dir: Path | None) -> Path | None:
    """``--templates DIR``, else ``[render] templates`` from the configuration (relative to the site), else None."""
    if templates_dir is not None:
        return Path(templates_dir)
    configured = cfg.render.templates.strip() if cfg else ""
    return cfg.path(configured) if cfg is not None and configured else None


def resolve_templates(cfg: Config | None, templates_dir: Path | None = None) -> TemplateSet:
    """Each template from the chosen folder when it has it, else the built-in one."""
    custom = chosen_dir(cfg, templates_dir)
    if custom is not None:
        if not custom.is_dir():
            raise RenderError("templates_dir_missing", path=str(custom))
        custom = custom.resolve()
    builtin = builtin_dir()
    paths: dict[str, Path] = {}
    for name in TEMPLATE_NAMES:
        own = custom / name if custom is not None else None
        paths[name] = own if own is not None and own.is_file() else builtin / name
    return TemplateSet(paths, custom)


def export_templates(dest: Path) -> tuple[list[Path], list[Path]]:
    """Copy the built-in templates into ``dest`` for staff to edit; never overwrite.

    Returns (written, skipped because a file of that name already exists).
    """
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    skipped: list[Path] = []
    source = builtin_dir()
    for name in TEMPLATE_NAMES:
        target = dest / name
        try:
            written.append(copy_new(source / name, target, copies=False))
        except FileExistsError:
            skipped.append(target)
    return written, skipped
