"""包括 with 有 ticked and the axis left blank: its own flow to the coordinator, never オールラウンド型."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli
from kyotei_docs.pipeline import check_proposal
from kyotei_docs.report import check_text
from kyotei_docs.routing import route
from test_registry_helpers import make_proposal

BLANK_AXIS = ROOT / "samples" / "07_invalid_one_field_no_axis.docx"


def test_blank_axis_is_its_own_flow_to_the_coordinator(cfg):
    p = make_proposal(axis=True, axis_field=None)
    r = route(p, cfg)
    assert r.flow == "comprehensive_axis_missing" and r.department == "市民生活部 地域活動推進課"
    assert r.notify == [] and "記入されていない" in r.notes[0] and "要修正" in r.notes[0]
    result = check_proposal(p, cfg)
    assert not result.valid and any(f.field == "axis.field" for f in result.errors)
    text = check_text(result)
    assert "手続: 包括連携協定（主軸分野型・主軸分野未記入）" in text and "（オールラウンド型）" not in text


def test_axis_written_but_not_a_field_is_the_same_flow(cfg):
    p = make_proposal(axis=True, axis_field=None)
    p.axis.text = "宇宙開発"
    assert route(p, cfg).flow == "comprehensive_axis_missing"
    assert "判別できない" in route(p, cfg).notes[0]


def test_the_routing_block_is_not_labelled_like_the_companys_contact(cfg):
    axis = check_text(check_proposal(make_proposal(axis_field="環境", fields=("環境", "子育て")), cfg))
    assert "連絡（回付先以外）: 市民生活部 地域活動推進課" in axis
    assert "  連絡先:" not in axis


def test_a_real_form_with_the_axis_left_blank():
    obj = json.loads(run_cli("check", "--json", str(BLANK_AXIS)).stdout)
    assert obj["routing"]["flow"] == "comprehensive_axis_missing"
    assert obj["routing"]["department"] == "市民生活部 地域活動推進課"


def test_the_axis_field_shows_what_was_written_only_when_it_differs(cfg):
    """「主軸分野: 福祉・医療・健康（福祉・医療・健康）」 said the same twice; a short form keeps its note."""
    from kyotei_docs.report import proposal_text

    same = make_proposal(axis_field="環境", fields=("環境", "子育て"))
    same.axis.text = "環境"
    assert "  主軸分野: 環境\n" in proposal_text(same) + "\n"
    short = make_proposal(axis_field="観光・魅力発信", fields=("観光・魅力発信", "子育て"))
    short.axis.text = "観光"
    assert "  主軸分野: 観光・魅力発信（観光）" in proposal_text(short)
    unknown = make_proposal(axis=True, axis_field=None)
    unknown.axis.text = "宇宙開発"
    assert "  主軸分野: ?（宇宙開発）" in proposal_text(unknown)
