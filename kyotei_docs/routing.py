"""Which department handles a proposal, and whom it must tell (guideline §3(2), §4).

* individual: the department that owns the (first) field;
* comprehensive with an axis field (主軸分野型): the axis field's department, which
  must tell the coordinating section when talks start and the signing date is set;
* comprehensive without one (オールラウンド型): the coordinating section, which surveys
  the departments of every selected field;
* comprehensive with 有 ticked but the axis left blank (or not one of the fields): its
  own flow, ``comprehensive_axis_missing`` — the proposal is in error, and the
  coordinating section asks the proposer; it is never taken for オールラウンド型.

The mapping itself is configuration (``[routing]``), because organisation charts
change every April.  A field nobody owns goes to the coordinator with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .config import Config, Department
from .i18n import Catalog, say
from .proposal import Proposal

MESSAGES: Catalog = {
    "unmapped": ("分野「{field}」の担当部局が設定されていないため、{coordinator}に回付します（設定の routing.fields を確認してください）。",
                 "No department is set for 「{field}」: routed to {coordinator} (check routing.fields in the configuration)."),
    "no_type": ("協定の種別が確定しないため、{coordinator}に回付します。",
                "The agreement type is not settled: routed to {coordinator}."),
    "axis_notify": ("包括連携協定（主軸分野型）のため、協議開始時と締結日決定時に{coordinator}へ連絡してください。",
                    "Comprehensive agreement with an axis field: tell {coordinator} when talks start and when the signing date is set."),
    "axis_missing": ("「主軸分野の有無」は「有」ですが主軸分野が{what}ため、提案書は要修正です。{coordinator}が提案者に主軸分野を確認します"
                     "（確認できるまで主軸分野型ともオールラウンド型とも扱いません）。",
                     "「有」 (with an axis field) is ticked but the axis field is {what_en}: the proposal needs correction. "
                     "{coordinator} asks the proposer which field it is (neither with-axis nor all-round until then)."),
    "axis_blank": ("記入されていない", "blank"),
    "axis_unknown": ("分野の一覧のどれに当たるか判別できない", "not one of the listed fields"),
    "allround": ("オールラウンド型のため、{coordinator}が庁内各部局への意向調査を行います。",
                 "All-round comprehensive agreement: {coordinator} surveys the departments."),
}


@dataclass
class Routing:
    """Where a proposal goes: the department in charge, who is told, which flow of steps it follows."""

    department: str
    notify: list[str] = field(default_factory=list)
    flow: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"department": self.department, "notify": self.notify, "flow": self.flow, "notes": self.notes}


def route(p: Proposal, cfg: Config) -> Routing:
    coord = cfg.coordinator
    if p.agreement_type == "individual":
        dept, notes = _owner(p.fields[0] if p.fields else None, cfg)
        return Routing(dept.name, [], "individual", notes)
    if p.agreement_type == "comprehensive":
        if p.axis.present is True and p.axis.field:
            dept, notes = _owner(p.axis.field, cfg)
            notify = [] if dept.key == coord.key else [coord.name]
            notes.append(say(MESSAGES, "axis_notify", coordinator=coord.name))
            return Routing(dept.name, notify, "comprehensive_axis", notes)
        if p.axis.present is True:  # 有 ticked, axis blank or unknown: ask, never guess
            what = "axis_unknown" if p.axis.text else "axis_blank"
            return Routing(coord.name, [], "comprehensive_axis_missing",
                           [say(MESSAGES, "axis_missing", coordinator=coord.name, what=say(MESSAGES, what),
                                what_en=MESSAGES[what][1])])
        notify = []
        for name in p.fields:
            also = cfg.department_for(name)
            if also and also.key != coord.key and also.name not in notify:
                notify.append(also.name)
        return Routing(coord.name, notify, "comprehensive_allround",
                       [say(MESSAGES, "allround", coordinator=coord.name)])
    return Routing(coord.name, [], None, [say(MESSAGES, "no_type", coordinator=coord.name)])


def _owner(field_name: str | None, cfg: Config) -> tuple[Department, list[str]]:
    dept = cfg.department_for(field_name) if field_name else None
    if dept is None:
        note = say(MESSAGES, "unmapped", field=field_name or "—", coordinator=cfg.coordinator.name)
        return cfg.coordinator, [note]
    return dept, []
