"""Which case a submission joined in the registry, as staff read it in its folder and in the summary.

The registry decides the case and the file's role (``registry/matching.py``,
under its write lock) and says so in its answer (``lifecycle.Registered``);
this module only carries that answer to ``submission.json``, ``report.html``
and the pass summary, so the drop folder never matches files itself.

Roles: ``original`` (the file opened a new case), ``other_format`` (the same
proposal in another format), ``correction`` (a corrected resubmission: now the
case's current proposal), ``possible`` (possibly the same case: staff confirm
with ``kyotei registry merge ID`` or undo with ``kyotei registry split ID FILE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n import Catalog, say
from ..registry.matching import ORIGINAL, POSSIBLE

MESSAGES: Catalog = {
    "heading": ("案件（協定登録簿）", "Case (registry)"),
    "case": ("協定ID", "Case ID"),
    "organisation": ("企業等名称（案件）", "Organisation (case)"),
    "role": ("このファイルの位置づけ", "This file's role"),
    "role_original": ("新しい案件（最初のファイル）", "a new case (its first file)"),
    "role_other_format": ("同じ提案書の別形式", "the same proposal in another format"),
    "role_correction": ("修正版（この提案書が案件の現在の提案書です）", "a correction (now the case's current proposal)"),
    "role_possible": ("同一案件の可能性（職員の確認が必要）", "possibly the same case (staff to confirm)"),
    "explain_original": ("協定登録簿に新しい案件として登録しました（協定ID {id}）。",
                         "Recorded in the registry as a new case (case {id})."),
    "explain_other_format": ("協定ID {id}（{org}）と同じ提案書の別形式のため、その案件のファイルとして登録しました。"
                             "案件は一つのまま数えます。",
                             "The same proposal as case {id} ({org}) in another format: recorded as a file of that "
                             "case, which is still counted once."),
    "explain_correction": ("協定ID {id}（{org}）の修正版として登録しました。案件の現在の提案書はこのファイルになり、"
                           "以前の提案書は履歴に残ります。",
                           "Recorded as a correction of case {id} ({org}): this file is now the case's current "
                           "proposal; the earlier one stays in its history."),
    "explain_possible": ("協定ID {id}（{org}）と同一案件の可能性があるため、その案件に加えました（現在の提案書は変わりません。"
                         "読み取った値の違いは案件の要確認の項目になります: kyotei registry show {id}）。確認してください:\n"
                         "同じ案件なら: kyotei registry merge {id}\n"
                         "別の案件なら: kyotei registry split {id} \"{file}\"",
                         "Possibly the same case as case {id} ({org}), so it was added to it (its current proposal "
                         "is unchanged; the values read differently are review items of the case: kyotei registry "
                         "show {id}). Please confirm:\n"
                         "the same case: kyotei registry merge {id}\n"
                         "another case: kyotei registry split {id} \"{file}\""),
    "summary_head": ("  既存の案件に加えたファイル {n}件:", "  {n} joined an existing case:"),
    "summary_row": ("{name} → 協定ID {id}（{org}）: {role}", "{name} → case {id} ({org}): {role}"),
    "summary_possible": ("  「同一案件の可能性」は kyotei registry merge 協定ID（同じ案件）か "
                         "kyotei registry split 協定ID ファイル名（別の案件）で確定してください。",
                         "  Confirm \"possibly the same case\" with kyotei registry merge ID (same case) or "
                         "kyotei registry split ID FILE (another case)."),
    "more": ("    …ほか {n}件", "    … and {n} more"),
    "no_name": ("（名称未記入）", "(no name)"),
}


@dataclass(frozen=True)
class CaseNote:
    """The registry's answer for one file: its case (ID, organisation) and its role there."""

    id: int
    organisation: str | None
    role: str
    #: the file's name as the registry knows it (what ``registry split`` takes)
    file: str | None = None

    @classmethod
    def of(cls, registered: Any, file: str | None = None) -> CaseNote | None:
        """From the registry hook's answer; None when it says nothing of a case (a stand-in hook)."""
        case_id = getattr(registered, "agreement_id", None)
        if not isinstance(case_id, int):
            return None
        return cls(case_id, getattr(registered, "organisation", None), getattr(registered, "role", ORIGINAL) or ORIGINAL,
                   file)

    @classmethod
    def from_json(cls, data: Any) -> CaseNote | None:
        if not isinstance(data, dict) or not isinstance(data.get("id"), int):
            return None
        return cls(data["id"], data.get("organisation"), str(data.get("role") or ORIGINAL), data.get("file"))

    @property
    def new(self) -> bool:
        return self.role == ORIGINAL

    @property
    def possible(self) -> bool:
        return self.role == POSSIBLE

    @property
    def org(self) -> str:
        return self.organisation or say(MESSAGES, "no_name")

    def role_label(self) -> str:
        key = f"role_{self.role}"
        return say(MESSAGES, key) if key in MESSAGES else self.role

    def explain(self) -> str:
        """One or more sentences for staff: what the registry did with the file and what to do."""
        key = f"explain_{self.role}"
        if key not in MESSAGES:
            key = "explain_original"
        return say(MESSAGES, key, id=self.id, org=self.org, file=self.file or "")

    def summary_row(self, name: str) -> str:
        """「提案書.pdf → 協定ID 1（株式会社X）: 同じ提案書の別形式」"""
        return say(MESSAGES, "summary_row", name=name, id=self.id, org=self.org, role=self.role_label())

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "organisation": self.organisation, "role": self.role,
                "role_label": self.role_label(), "file": self.file, "note": self.explain()}


def summary_lines(joined: list[tuple[str, CaseNote]], limit: int = 20) -> list[str]:
    """The pass summary's lines for files that joined an existing case: ``(name, note)`` pairs."""
    if not joined:
        return []
    lines = [say(MESSAGES, "summary_head", n=len(joined))]
    lines += [f"    ・{n.summary_row(name)}" for name, n in joined[:limit]]
    if len(joined) > limit:
        lines.append(say(MESSAGES, "more", n=len(joined) - limit))
    if any(n.possible for _, n in joined):
        lines.append(say(MESSAGES, "summary_possible"))
    return lines
