"""Read → extract → check → route, for one file, as plain functions.

Commands, the drop folder and the registry all go through here, so a file is
handled the same way wherever it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .proposal import Proposal
from .review import review
from .routing import Routing, route
from .rules import Finding, check


def read_proposal(path: Path | str) -> Proposal:
    """Read Form 1 from ``path`` (any supported format); raise UnreadableError if it can't be."""
    from .extract import extract
    from .readers import read_form
    from .readers.options import reading

    with reading(form1_only=True):  # what is plainly not Form 1 is refused after its first pages
        return extract(read_form(path))


@dataclass
class CheckResult:
    """A file read, checked and routed: what ``kyotei check``, the drop folder and the screen report."""

    proposal: Proposal
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    routing: Routing | None = None
    #: what a person must compare with the original (``要確認``); never an applicant error
    review: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """No applicant error (review items may still be open)."""
        return not self.errors

    @property
    def clear(self) -> bool:
        """Valid with nothing to review: the only result a command reports with exit code 0."""
        return self.valid and not self.review

    def to_json(self) -> dict:
        return {
            "file": self.proposal.file,
            "valid": self.valid,
            "errors": [f.to_json() for f in self.errors],
            "warnings": [f.to_json() for f in self.warnings],
            "review": [f.to_json() for f in self.review],
            "routing": self.routing.to_json() if self.routing else None,
            "proposal": self.proposal.to_json(),
        }


#: warnings a review item of the whole file already says (the OCR notice was shown twice: as 要確認 and as 注意)
_SAID_BY_REVIEW = {"ocr_used": "review_ocr"}


def check_proposal(proposal: Proposal, cfg: Config) -> CheckResult:
    """Rules, then review: an error on an entry the reader was unsure of becomes a review item."""
    errors, warnings = check(proposal, cfg)
    errors, to_review = review(proposal, errors)
    reviewed = {f.code for f in to_review}
    warnings = [w for w in warnings if _SAID_BY_REVIEW.get(w.code) not in reviewed]
    return CheckResult(proposal, errors, warnings, route(proposal, cfg), to_review)


def check_file(path: Path | str, cfg: Config) -> CheckResult:
    """Read ``path`` under ``cfg``'s ``[limits]`` and ``[reading]`` (also in a drop-folder worker), then check it."""
    from .readers.options import reading

    with reading(limits=cfg.limits, ocr_mode=cfg.reading.ocr, ocr_words=cfg.ocr_words()):
        proposal = read_proposal(path)
    return check_proposal(proposal, cfg)
