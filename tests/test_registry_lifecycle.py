"""Each state change of an agreement, its event, and the changes that are refused."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.registry import record_submission
from kyotei_docs.registry.dates import DateRules
from kyotei_docs.registry.errors import RegistryError
from kyotei_docs.registry.lifecycle import (
    TRANSITIONS,
    add_result,
    default_actor,
    end,
    register,
    remove_result,
    renew_due,
    sign,
    start_consultation,
    update_details,
)
from kyotei_docs.registry.model import STATUSES
from kyotei_docs.registry.queries import events_for, fetch_agreement, list_agreements, results_for
from kyotei_docs.registry.store import open_registry, registry_path
from test_registry_helpers import add, add_signed, checked, open_new, submission

RULES = DateRules()


def agreement(reg, aid):
    with reg.snapshot() as conn:
        return fetch_agreement(conn, aid)


def events(reg, aid):
    with reg.snapshot() as conn:
        return events_for(conn, aid)


def test_received_records_proposal_and_event(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add(reg, cfg, "株式会社ななかまど", today=date(2026, 4, 10), actor="suzuki")
        a = agreement(reg, aid)
        assert a.status == "received" and a.received_on == date(2026, 4, 10)
        assert a.title == "旭川市と株式会社ななかまどとの包括連携協定"
        assert (a.kind, a.subtype, a.axis_field) == ("comprehensive", "axis", "福祉・医療・健康")
        assert a.department == "保健所 保健総務課" and a.proposed_on == date(2026, 4, 1)
        assert a.proposal["organization"]["name"] == "株式会社ななかまど"
        [e] = events(reg, aid)
        assert (e.kind, e.from_status, e.to_status, e.on_date, e.actor) == (
            "received", None, "received", date(2026, 4, 10), "suzuki")
        assert e.recorded_at[:4].isdigit() and e.detail["valid"] is True


def test_individual_and_allround_titles_and_types(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        ind = agreement(reg, add(reg, cfg, "防災株式会社", kind="individual", fields=("災害対策",), axis=None))
        allround = agreement(reg, add(reg, cfg, "全方位株式会社", fields=("環境", "子育て"), axis=False))
    assert ind.title == "旭川市と防災株式会社との災害対策に関する連携協定"
    assert (ind.kind, ind.subtype, ind.department) == ("individual", None, "防災安全部 防災課")
    assert (allround.subtype, allround.axis_field, allround.department) == (
        "allround", None, "市民生活部 地域活動推進課")


def test_full_life_received_consultation_signed_renewed_ended(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add(reg, cfg)
        assert start_consultation(reg, aid, on=date(2026, 4, 20), actor="a").status == "in_consultation"
        signed = sign(reg, aid, on=date(2026, 6, 1), term="fiscal", actor="b", rules=RULES)
        assert (signed.status, signed.signed_on, signed.period_start, signed.expires_on, signed.term) == (
            "signed", date(2026, 6, 1), date(2026, 6, 1), date(2027, 3, 31), "fiscal")
        report = renew_due(reg, today=date(2027, 4, 1), actor="c", rules=RULES)
        assert [(r.starts_on, r.previous_expiry, r.new_expiry) for r in report.renewed] == [
            (date(2027, 4, 1), date(2027, 3, 31), date(2028, 3, 31))]
        renewed = agreement(reg, aid)
        assert (renewed.status, renewed.period_start, renewed.expires_on, renewed.renewals) == (
            "renewed", date(2027, 4, 1), date(2028, 3, 31), 1)
        ended = end(reg, aid, on=date(2027, 9, 30), cause="notice", reason="企業側からの解約申出", actor="d")
        assert (ended.status, ended.ended_on, ended.end_cause, ended.end_reason) == (
            "ended", date(2027, 9, 30), "notice", "企業側からの解約申出")
        log = events(reg, aid)
    assert [(e.kind, e.from_status, e.to_status, e.actor) for e in log] == [
        ("received", None, "received", "tester"),
        ("consultation", "received", "in_consultation", "a"),
        ("signed", "in_consultation", "signed", "b"),
        ("renewed", "signed", "renewed", "c"),
        ("ended", "renewed", "ended", "d"),
    ]
    assert log[2].on_date == date(2026, 6, 1) and log[2].detail == {"term": "fiscal", "expires_on": "2027-03-31"}
    assert log[3].on_date == date(2027, 4, 1)
    assert log[3].detail == {"previous_expires_on": "2027-03-31", "expires_on": "2028-03-31"}
    assert log[4].detail == {"cause": "notice", "reason": "企業側からの解約申出"}


def test_sign_directly_from_received(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add(reg, cfg)
        assert sign(reg, aid, on=date(2026, 7, 1), term="one-year", actor="x", rules=RULES).expires_on == date(
            2027, 6, 30)
        assert events(reg, aid)[-1].from_status == "received"


def test_withdrawn_proposal_ends_without_signing(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add(reg, cfg)
        a = end(reg, aid, on=date(2026, 5, 1), cause="withdrawn", reason="提案取下げ", actor="x")
        assert a.status == "ended" and a.signed_on is None


def test_dissolution_and_exclusion_causes(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        one = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社一")
        two = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社二")
        assert end(reg, one, on=date(2026, 12, 1), cause="dissolution", reason="会社解散", actor="x").end_cause \
            == "dissolution"
        assert end(reg, two, on=date(2026, 12, 1), cause="exclusion", reason="除外事項に該当", actor="x").end_cause \
            == "exclusion"


@pytest.mark.parametrize("status", STATUSES)
def test_transition_table_covers_every_state(status):
    assert status in TRANSITIONS


def test_refused_transitions_change_nothing(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        with pytest.raises(RegistryError) as err:
            start_consultation(reg, aid, on=date(2026, 7, 1), actor="x")
        assert err.value.code == "bad_transition" and err.value.exit_code == ExitCode.FINDINGS
        assert "締結済" in err.value.message and "協議中" in err.value.message
        end(reg, aid, on=date(2026, 12, 1), cause="notice", reason="r", actor="x")
        for action in (lambda: end(reg, aid, on=date(2027, 1, 1), cause="notice", reason="r", actor="x"),
                       lambda: sign(reg, aid, on=date(2027, 1, 1), term="fiscal", actor="x", rules=RULES),
                       lambda: start_consultation(reg, aid, on=date(2027, 1, 1), actor="x")):
            with pytest.raises(RegistryError):
                action()
        assert len(events(reg, aid)) == 3
        with pytest.raises(RegistryError) as err:
            start_consultation(reg, 999, on=date(2027, 1, 1), actor="x")
        assert err.value.code == "not_found"


def test_sign_twice_needs_correct_and_keeps_old_dates_in_event(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        with pytest.raises(RegistryError) as err:
            sign(reg, aid, on=date(2026, 6, 2), term="fiscal", actor="x", rules=RULES)
        assert err.value.code == "already_signed"
        a = sign(reg, aid, on=date(2026, 6, 2), term="one-year", actor="x", rules=RULES, correct=True)
        assert (a.signed_on, a.expires_on, a.status) == (date(2026, 6, 2), date(2027, 6, 1), "signed")
        e = events(reg, aid)[-1]
        assert e.kind == "sign_corrected"
        assert e.detail["previous_signed_on"] == "2026-06-01" and e.detail["previous_expires_on"] == "2027-03-31"
        renew_due(reg, today=date(2027, 6, 2), actor="x", rules=RULES)
        with pytest.raises(RegistryError) as err:
            sign(reg, aid, on=date(2026, 6, 3), term="fiscal", actor="x", rules=RULES, correct=True)
        assert err.value.code == "cannot_correct"


def test_end_before_signing_is_refused(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        with pytest.raises(RegistryError) as err:
            end(reg, aid, on=date(2026, 5, 31), cause="notice", reason="r", actor="x")
        assert err.value.code == "date_before"
        with pytest.raises(RegistryError) as err:
            end(reg, aid, on=date(2026, 7, 1), cause="notice", reason="  ", actor="x")
        assert err.value.code == "empty_reason"


def test_no_auto_renew_lapses_instead_of_renewing(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        update_details(reg, aid, actor="x", today=date(2026, 6, 2), changes={"auto_renew": False})
        report = renew_due(reg, today=date(2027, 4, 1), actor="x", rules=RULES)
        assert report.renewed == [] and [a.id for a in report.lapsed] == [aid]
        assert agreement(reg, aid).status == "signed"


def test_renew_is_idempotent_and_catches_up_years(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        first = renew_due(reg, today=date(2029, 4, 1), actor="x", rules=RULES)
        assert [r.new_expiry for r in first.renewed] == [date(2028, 3, 31), date(2029, 3, 31), date(2030, 3, 31)]
        again = renew_due(reg, today=date(2029, 4, 1), actor="x", rules=RULES)
        assert again.renewed == [] and again.lapsed == []
        a = agreement(reg, aid)
        assert (a.renewals, a.period_start, a.expires_on) == (3, date(2029, 4, 1), date(2030, 3, 31))
        assert [e.kind for e in events(reg, aid)].count("renewed") == 3
        # on the expiry day itself nothing is due yet
        assert renew_due(reg, today=date(2030, 3, 31), actor="x", rules=RULES).renewed == []


def test_renew_skips_ended_and_unsigned(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        add(reg, cfg, "株式会社受付")
        aid = add_signed(reg, cfg, date(2026, 6, 1), name="株式会社終了")
        end(reg, aid, on=date(2027, 3, 31), cause="non_renewal", reason="不更新の申出", actor="x")
        assert renew_due(reg, today=date(2028, 1, 1), actor="x", rules=RULES).renewed == []


# ---------------------------------------------------------------------------------- submissions


def test_record_submission_is_idempotent_by_sha256(tmp_path, site_cfg, monkeypatch):
    cfg = site_cfg  # the drop folder records into the site's registry
    monkeypatch.chdir(tmp_path)
    result = checked(cfg, "株式会社ドロップ")
    outcomes = [record_submission(cfg, result, submission_id="20261125-001", sha256="ab" * 32,
                                  folder=tmp_path / "done" / "x") for _ in range(3)]
    assert [(o.agreement_id, o.created, o.duplicate) for o in outcomes] == [
        (1, True, False), (1, False, True), (1, False, True)]
    with open_registry(registry_path(cfg)) as reg:
        with reg.snapshot() as conn:
            [a] = list_agreements(conn)
            assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1
            [e] = events_for(conn, a.id)
            row = conn.execute("SELECT * FROM submissions").fetchone()
    assert e.actor == default_actor() and e.detail["submission_id"] == "20261125-001"
    assert row["folder"] == str((tmp_path / "done" / "x").resolve())


def test_record_submission_same_id_or_same_file_is_one_row(tmp_path, site_cfg, monkeypatch):
    """A retry after a lost hash (same ID) and the same file dropped again (same SHA-256)."""
    cfg = site_cfg  # the drop folder records into the site's registry
    monkeypatch.chdir(tmp_path)
    result = checked(cfg, "株式会社ドロップ")
    first = record_submission(cfg, result, submission_id="20261125-001", sha256="", folder=None)
    same_id = record_submission(cfg, result, submission_id="20261125-001", sha256="ab" * 32, folder=None)
    assert first.created and same_id.duplicate and same_id.agreement_id == first.agreement_id
    other = record_submission(cfg, result, submission_id="20261125-002", sha256="cd" * 32, folder=None)
    same_file = record_submission(cfg, result, submission_id="20261125-003", sha256="CD" * 32, folder=None)
    # another file with the same proposal joins the case as the same proposal in another format
    assert other.role == "other_format" and other.agreement_id == first.agreement_id and not other.created
    assert same_file.duplicate and same_file.agreement_id == other.agreement_id
    # a different proposal that lost its hash is recorded too, not taken for a retry
    lost = record_submission(cfg, checked(cfg, "有限会社べつの会社"), submission_id="20261125-004", sha256="",
                             folder=None)
    assert lost.created and lost.agreement_id != first.agreement_id
    with pytest.raises(ValueError):
        record_submission(cfg, result, submission_id="", sha256="", folder=None)
    with open_registry(registry_path(cfg)) as reg, reg.snapshot() as conn:
        assert len(list_agreements(conn)) == 2
        keys = [r[0] for r in conn.execute("SELECT sha256 FROM submissions ORDER BY rowid")]
        assert keys == ["id:20261125-001", "cd" * 32, "id:20261125-004"]
        roles = [r[0] for r in conn.execute("SELECT role FROM submissions ORDER BY rowid")]
        assert roles == ["original", "other_format", "original"]
        assert conn.execute("SELECT count(*) FROM events WHERE kind = 'received'").fetchone()[0] == 2


def test_record_submission_uses_configured_path(tmp_path, cfg, monkeypatch):
    from dataclasses import replace

    monkeypatch.chdir(tmp_path)
    custom = replace(cfg, registry=replace(cfg.registry, path="data/city.sqlite3"))
    record_submission(custom, checked(cfg), submission_id="s", sha256="cd" * 32, folder=Path("."))
    assert (tmp_path / "data" / "city.sqlite3").exists()


def test_corrected_resubmission_updates_the_waiting_proposal(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        first = register(reg, checked(cfg, "株式会社なおし", complete=False), municipality="旭川市",
                         submission=submission("a"), actor="x", today=date(2026, 4, 1))
        assert first.created
        second = register(reg, checked(cfg, "株式会社 なおし"), municipality="旭川市",
                          submission=submission("b"), actor="x", today=date(2026, 4, 5))
        assert second.resubmission and second.agreement_id == first.agreement_id
        # the same proposal again in another file is a copy of it, not a second case
        third = register(reg, checked(cfg, "株式会社なおし"), municipality="旭川市",
                         submission=submission("c"), actor="x", today=date(2026, 4, 9))
        assert third.role == "other_format" and third.agreement_id == first.agreement_id
        a = agreement(reg, first.agreement_id)
        assert a.partner_name == "株式会社 なおし" and a.received_on == date(2026, 4, 1)
        assert [e.kind for e in events(reg, first.agreement_id)] == ["received", "resubmitted", "other_format"]


# ---------------------------------------------------------------------------------- results and details


def test_results_add_and_remove_with_events(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        r = add_result(reg, aid, fy=2026, item=2, title="子育て講座", actor="x", today=date(2026, 9, 1),
                       done_on=date(2027, 2, 1), content="講座を3回開催", public=False)
        assert (r.fiscal_year, r.item_no, r.done_on, r.public, r.department) == (
            2026, 2, date(2027, 2, 1), False, "保健所 保健総務課")
        removed = remove_result(reg, r.id, actor="y", today=date(2027, 2, 2))
        assert removed.title == "子育て講座"
        with reg.snapshot() as conn:
            assert results_for(conn, aid) == []
        kinds = [(e.kind, e.actor) for e in events(reg, aid)]
        assert kinds[-2:] == [("result_added", "x"), ("result_removed", "y")]
        assert events(reg, aid)[-1].detail["removed"]["title"] == "子育て講座"


def test_results_refusals(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        unsigned = add(reg, cfg, "株式会社未締結")
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        cases: list[tuple[dict[str, Any], str]] = [
            (dict(agreement_id=unsigned, fy=2026, item=1), "no_results_yet"),
            (dict(agreement_id=aid, fy=2026, item=1, done_on=date(2027, 4, 1)), "date_outside_fy"),
            (dict(agreement_id=aid, fy=26, item=1), "bad_fy"),
            (dict(agreement_id=aid, fy=2026, item=0), "bad_item"),
        ]
        for kwargs, code in cases:
            aid_ = kwargs.pop("agreement_id")
            with pytest.raises(RegistryError) as err:
                add_result(reg, aid_, title="t", actor="x", today=date(2026, 7, 1), **kwargs)
            assert err.value.code == code
        update_details(reg, aid, actor="x", today=date(2026, 6, 2), changes={"items": ["健康増進に関すること",
                                                                                      "その他"]})
        with pytest.raises(RegistryError) as err:
            add_result(reg, aid, fy=2026, item=3, title="t", actor="x", today=date(2026, 7, 1))
        assert err.value.code == "bad_item" and "1〜2" in err.value.message
        with pytest.raises(RegistryError):
            remove_result(reg, 999, actor="x", today=date(2026, 7, 1))


def test_update_details_records_old_and_new(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        aid = add(reg, cfg)
        a = update_details(reg, aid, actor="x", today=date(2026, 5, 1),
                           changes={"public_url": "https://example.jp/a", "review_exempt": True, "notes": "メモ"})
        assert (a.public_url, a.review_exempt, a.notes) == ("https://example.jp/a", True, "メモ")
        e = events(reg, aid)[-1]
        assert e.kind == "edited" and e.detail["review_exempt"] == [False, True]
        # unchanged values add no event
        update_details(reg, aid, actor="x", today=date(2026, 5, 1), changes={"notes": "メモ"})
        assert len(events(reg, aid)) == 2
        with pytest.raises(ValueError):
            update_details(reg, aid, actor="x", today=date(2026, 5, 1), changes={"status": "ended"})


def test_events_cannot_be_changed_or_deleted(tmp_path, cfg):
    with open_new(tmp_path) as reg:
        add(reg, cfg)
        for statement in ("UPDATE events SET actor = 'someone else'", "DELETE FROM events"):
            with pytest.raises(sqlite3.IntegrityError):
                with reg.write() as conn:
                    conn.execute(statement)


def test_add_results_records_all_in_one_transaction_or_none(tmp_path, cfg):
    """The bulk import's storage step (issue 19): a refusal at the last entry leaves none of the others."""
    from kyotei_docs.registry.lifecycle import NewResult, add_results
    from kyotei_docs.registry.queries import results_for

    with open_new(tmp_path) as reg:
        aid = add_signed(reg, cfg, date(2026, 6, 1))
        update_details(reg, aid, actor="x", today=date(2026, 6, 2), changes={"items": ["a", "b"]})
        good = [NewResult(aid, 2026, 1, "一件目", date(2026, 7, 1)), NewResult(aid, 2026, 2, "二件目")]
        with pytest.raises(RegistryError) as err:
            add_results(reg, [*good, NewResult(aid, 2026, 3, "ない番号")], actor="x", today=date(2026, 8, 1))
        assert err.value.code == "bad_item"
        with reg.snapshot() as conn:
            assert results_for(conn, aid) == []
        assert not [e for e in events(reg, aid) if e.kind == "result_added"]
        ids = add_results(reg, good, actor="x", today=date(2026, 8, 1))
        with reg.snapshot() as conn:
            assert [r.id for r in results_for(conn, aid)] == ids and len(ids) == 2
