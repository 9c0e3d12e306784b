"""Builders shared by the registry tests (no tests here): proposals, registries, agreements.

Proposals are built directly (no .docx) so the registry tests stay fast and
independent of the readers; one CLI test goes through a real Form 1 file.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date
from pathlib import Path

from kyotei_docs.pipeline import CheckResult, check_proposal
from kyotei_docs.proposal import Axis, Contact, Organization, Proposal
from kyotei_docs.registry.dates import DateRules
from kyotei_docs.registry.lifecycle import Submission, register, sign
from kyotei_docs.registry.store import Registry, open_registry

_seq = itertools.count(1)


def make_proposal(name: str = "株式会社テスト", *, kind: str | None = "comprehensive",
                  fields: tuple[str, ...] = ("福祉・医療・健康", "子育て"), axis: bool | None = True,
                  axis_field: str | None = "福祉・医療・健康", complete: bool = True) -> Proposal:
    """A Form 1 as the extractor would give it; ``complete=False`` leaves out the e-mail."""
    p = Proposal(
        file=f"{name}.docx", format="docx", submitted_on=date(2026, 4, 1),
        organization=Organization("北海道旭川市1条通1丁目", name, "代表取締役 旭川 太郎"),
        agreement_type=kind, fields=list(fields),
        axis=Axis(axis, axis_field if axis else None, axis_field if axis else None),
        purpose="地域の活性化と市民サービスの向上", expected_effects="健康づくりの推進",
        contact=Contact("総務部", "担当 花子", "0166-00-0000", "hanako@example.jp" if complete else None),
    )
    p.types_ticked = [kind] if kind else []
    p.axis_ticked = [axis] if kind == "comprehensive" and axis is not None else []
    return p


def checked(cfg, name: str = "株式会社テスト", **kw) -> CheckResult:
    return check_proposal(make_proposal(name, **kw), cfg)


def open_new(tmp_path: Path, name: str = "reg.sqlite3") -> Registry:
    return open_registry(tmp_path / name, create=True)


def submission(tag: str | None = None) -> Submission:
    tag = tag or f"s{next(_seq)}"
    return Submission(tag, hashlib.sha256(tag.encode()).hexdigest(), folder=None, file=f"{tag}.docx")


def add(reg: Registry, cfg, name: str = "株式会社テスト", *, today: date = date(2026, 4, 10),
        actor: str = "tester", tag: str | None = None, **kw) -> int:
    """Register a proposal and return its agreement ID."""
    outcome = register(reg, checked(cfg, name, **kw), municipality=cfg.municipality,
                       submission=submission(tag), actor=actor, today=today)
    return outcome.agreement_id


def add_signed(reg: Registry, cfg, on: date, term: str = "fiscal", name: str = "株式会社テスト", **kw) -> int:
    agreement_id = add(reg, cfg, name, **kw)
    sign(reg, agreement_id, on=on, term=term, actor="tester", rules=DateRules.from_config(cfg))
    return agreement_id
