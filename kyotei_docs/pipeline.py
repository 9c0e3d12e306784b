"""Read → extract → check → route, for one file, as plain functions.

Commands, the drop folder and the registry all go through here, so a file is
handled the same way wherever it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .proposal import Proposal
from .rules import Finding, check
from .routing import Routing, route


def read_proposal(path: Path | str) -> Proposal:
    """Read Form 1 from ``path`` (any supported format); raise UnreadableError if it can't be."""
    from .extract import extract
    from .readers import read_form

    return extract(read_form(path))


@dataclass
class CheckResult:
    proposal: Proposal
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    routing: Routing | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_json(self) -> dict:
        return {
            "file": self.proposal.file,
            "valid": self.valid,
            "errors": [f.to_json() for f in self.errors],
            "warnings": [f.to_json() for f in self.warnings],
            "routing": self.routing.to_json() if self.routing else None,
            "proposal": self.proposal.to_json(),
        }


def check_proposal(proposal: Proposal, cfg: Config) -> CheckResult:
    errors, warnings = check(proposal, cfg)
    return CheckResult(proposal, errors, warnings, route(proposal, cfg))


def check_file(path: Path | str, cfg: Config) -> CheckResult:
    return check_proposal(read_proposal(path), cfg)
