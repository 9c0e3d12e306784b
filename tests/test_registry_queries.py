"""review (no results last fiscal year, emergency agreements exempt), summary, due kinds."""

from __future__ import annotations

from datetime import date

from kyotei_docs.registry.dates import DateRules
from kyotei_docs.registry.lifecycle import add_result, end, start_consultation, update_details
from kyotei_docs.registry.queries import due, review, summary
from test_registry_helpers import add, add_signed, open_new

RULES = DateRules()


def test_review_lists_agreements_without_results_exempting_only_what_staff_flagged(tmp_path, cfg):
    """issue 19: listing 災害対策 among the fields exempts nothing; the exemption is suggested for an
    individual agreement in the field, and only the staff flag (with its reason) exempts."""
    with open_new(tmp_path) as reg:
        busy = add_signed(reg, cfg, date(2025, 6, 1), name="株式会社実績あり")
        idle = add_signed(reg, cfg, date(2025, 6, 1), name="株式会社実績なし")
        disaster = add_signed(reg, cfg, date(2025, 6, 1), name="防災株式会社", kind="individual",
                              fields=("災害対策",), axis=None)
        allround = add_signed(reg, cfg, date(2025, 6, 1), name="株式会社総合", fields=(
            "災害対策", "環境", "福祉・医療・健康", "子育て", "観光・魅力発信"), axis=False)
        flagged = add_signed(reg, cfg, date(2025, 6, 1), name="株式会社有事", fields=("環境", "安全・交通"), axis=False)
        update_details(reg, flagged, actor="x", today=date(2025, 6, 2),
                       changes={"review_exempt": True, "exempt_reason": "災害時の燃料供給に備えた協定"})
        later = add_signed(reg, cfg, date(2026, 4, 1), name="株式会社新規")  # signed after FY2025
        ended = add_signed(reg, cfg, date(2025, 6, 1), name="株式会社終了")
        end(reg, ended, on=date(2026, 1, 31), cause="notice", reason="r", actor="x")
        add(reg, cfg, "株式会社受付中")
        add_result(reg, busy, fy=2025, item=1, title="実施", actor="x", today=date(2025, 9, 1))
        add_result(reg, idle, fy=2024, item=1, title="古い年度", actor="x", today=date(2025, 9, 1))
        with reg.snapshot() as conn:
            report = review(conn, fy=2025, suggest_fields=["災害対策"])
            custom = review(conn, fy=2025, suggest_fields=[])
    assert [a.id for a in report.needs_review] == [idle, disaster, allround]
    assert report.suggested == {disaster: "災害対策"}  # suggested, never assumed; not for the all-round one
    assert [(a.id, why) for a, why in report.exempt] == [(flagged, "災害時の燃料供給に備えた協定")]
    # the agreement ended on 31 January was in force for most of FY2025: counted, not discussed
    assert report.in_force == 6 and later not in [a.id for a in report.needs_review]
    assert ended not in [a.id for a in report.needs_review]
    assert [a.id for a in custom.needs_review] == [idle, disaster, allround] and custom.suggested == {}
    data = report.to_json()
    assert data["fiscal_year"] == 2025 and data["exempt"][0]["reason"] == "災害時の燃料供給に備えた協定"
    assert [x["exemption_suggested"] for x in data["needs_review"]] == [None, "災害対策", None]


def test_summary_counts_by_type_and_status(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        add(reg, cfg, "主軸一")
        start_consultation(reg, add(reg, cfg, "主軸二"), on=date(2026, 5, 1), actor="x")
        add_signed(reg, cfg, date(2026, 6, 1), name="主軸三")
        add_signed(reg, cfg, date(2026, 6, 1), name="全方位一", fields=("環境", "子育て"), axis=False)
        gone = add_signed(reg, cfg, date(2026, 6, 1), name="全方位二", fields=("環境", "子育て"), axis=False)
        end(reg, gone, on=date(2026, 9, 1), cause="notice", reason="r", actor="x")
        add(reg, cfg, "型不明", axis=None)
        add_signed(reg, cfg, date(2026, 6, 1), name="個別", kind="individual", fields=("環境",), axis=None)
        with reg.snapshot() as conn:
            table = summary(conn)
    assert table["axis"] == {"received": 1, "in_consultation": 1, "signed": 1, "renewed": 0, "ended": 0,
                             "total": 3}
    assert table["allround"]["signed"] == 1 and table["allround"]["ended"] == 1 and table["allround"]["total"] == 2
    assert table["comprehensive_unknown"]["received"] == 1
    assert table["individual"]["signed"] == 1 and table["unknown"]["total"] == 0


def test_due_reports_lapsed_and_ending(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        lapsed = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社満了")
        update_details(reg, lapsed, actor="x", today=date(2026, 6, 1), changes={"auto_renew": False})
        ending = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社解約予定")
        end(reg, ending, on=date(2027, 5, 31), cause="notice", reason="解約申出", actor="x")
        with reg.snapshot() as conn:
            items = due(conn, today=date(2027, 4, 10), within=60, rules=RULES)
    assert [(i.kind, i.agreement.id, i.on) for i in items] == [
        ("lapsed", lapsed, date(2027, 3, 31)), ("ending", ending, date(2027, 5, 31))]
    assert items[0].to_json()["kind"] == "lapsed" and items[0].days == -10


def test_an_agreement_ended_today_is_not_due_as_ending(tmp_path, cfg):
    """issue 17: an end recorded for today has come — it is ended, not 「終了予定 あと0日」;
    one for tomorrow is still coming (あと1日)."""
    with open_new(tmp_path) as reg:
        today_ = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社本日終了")
        end(reg, today_, on=date(2026, 12, 7), cause="notice", reason="解約申出", actor="x")
        tomorrow = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社明日終了")
        end(reg, tomorrow, on=date(2026, 12, 8), cause="notice", reason="解約申出", actor="x")
        with reg.snapshot() as conn:
            items = due(conn, today=date(2026, 12, 7), within=60, rules=RULES)
    assert [(i.kind, i.agreement.id, i.days) for i in items] == [("ending", tomorrow, 1)]


def test_due_window_edges(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        add_signed(reg, cfg, date(2026, 6, 1))  # expiry 2027-03-31, deadline 2027-02-26
        with reg.snapshot() as conn:
            def kinds(today, within):
                return [i.kind for i in due(conn, today=today, within=within, rules=RULES)]

            assert kinds(date(2027, 2, 26), 0) == ["notice_deadline"]
            assert kinds(date(2027, 2, 27), 32) == ["expiry"]
            assert kinds(date(2027, 2, 27), 31) == []
            assert kinds(date(2026, 12, 28), 60) == ["notice_deadline"]
            assert kinds(date(2026, 12, 27), 60) == []
