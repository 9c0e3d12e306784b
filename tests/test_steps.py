"""The guideline's steps before signing (issue 18): the judgement sheet, the flow of each type, notices, press.

Real SQLite registries, real sample files, the real command line (click's runner:
no terminal, so changes need --yes), documents read back with python-docx and,
for the PDF, made by the real LibreOffice and looked at as text with pdftotext.
"""

from __future__ import annotations

import email
import json
import re
import subprocess
import zipfile
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import ROOT
from kyotei_docs import cases
from kyotei_docs.cases import flow, judging
from kyotei_docs.cases.notices import NoticeError
from kyotei_docs.cli import cli
from kyotei_docs.config import ConfigError, config_from
from kyotei_docs.registry.errors import RegistryError
from test_registry_helpers import checked, make_proposal, open_new

AXIS = ROOT / "samples" / "01_content_controls.docx"        # comprehensive, axis 福祉・医療・健康
INDIVIDUAL = ROOT / "samples" / "02_typed_glyphs.docx"      # individual, 災害対策


@pytest.fixture
def kyotei(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KYOTEI_REGISTRY", str(tmp_path / "r.sqlite3"))
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


def _case(tmp_path, cfg, name="株式会社けんとう", **kw):
    reg = open_new(tmp_path)
    done = cases.intake(cfg, reg, checked(cfg, name, **kw), submission_id="s1", sha256="a" * 64)
    return reg, done.case_id


# ---------------------------------------------------------------------------------- configuration


def test_the_guideline_ships_as_configuration(cfg):
    """2(2)'s six conditions and both exclusion lists, and one flow per type, from defaults/kyotei.toml."""
    kinds = [i.kind for i in cfg.guideline.checklist]
    assert kinds.count("condition") == 6 and kinds.count("exclusion") == 13
    texts = " ".join(i.text for i in cfg.guideline.checklist)
    for words in ("暴力団", "風俗営業", "ギャンブル", "医療類似行為", "広告宣伝", "宗教", "非科学的", "利益誘導"):
        assert words in texts
    assert [s.key for s in cfg.guideline.flow("allround")][:3] == ["hearing", "survey", "compile"]
    assert cfg.guideline.flow("allround")[-1].month == 6 and cfg.guideline.flow("individual")[-1].key == "signed"
    assert cfg.guideline.notify_kinds == ("axis",)


@pytest.mark.parametrize("override, key", [
    ({"judging": {"items": [{"key": "x", "kind": "maybe", "text": "t"}]}}, "items[1].kind"),
    ({"judging": {"items": [{"key": "x", "kind": "condition", "text": ""}]}}, "items[1].text"),
    ({"judging": {"items": [{"key": "x", "kind": "condition", "text": "a"},
                            {"key": "x", "kind": "condition", "text": "b"}]}}, "items[2].key"),
    ({"flows": {"yearly": {"steps": []}}}, "yearly"),
    ({"flows": {"individual": {"steps": [{"key": "a", "month": 40}]}}}, "steps[1].month"),
])
def test_a_wrong_guideline_setting_is_refused_naming_its_key(override, key):
    with pytest.raises(ConfigError) as err:
        config_from(override)
    assert key in err.value.message


def test_another_city_has_its_own_checklist_and_flow():
    cfg = config_from({"judging": {"items": [{"key": "own", "kind": "condition", "group": "市の基準", "text": "独自の基準"}]},
                       "flows": {"individual": {"steps": [{"key": "talk", "label": "協議"},
                                                          {"key": "signed", "label": "締結"}]}}})
    assert [i.key for i in cfg.guideline.checklist] == ["own"]
    assert [s.label for s in cfg.guideline.flow("individual")] == ["協議", "締結"]


# ---------------------------------------------------------------------------------- the judgement sheet


def test_judgements_are_recorded_and_the_latest_of_each_item_counts(tmp_path, cfg):
    reg, cid = _case(tmp_path, cfg)
    with reg:
        judging.record(cfg, reg, cid, {"c2_feasible": ("確認中", "計画書待ち")}, actor="山田", on=date(2026, 11, 1))
        states = judging.judgement(cfg, cases.get(cfg, reg, cid).events)
        c2 = next(s for s in states if s.item.key == "c2_feasible")
        assert c2.answer is not None and (c2.state, c2.answer.note, c2.answer.actor) == ("pending", "計画書待ち", "山田")
        assert len(judging.blocking(states)) == 19
        judging.record(cfg, reg, cid, {"c2_feasible": ("met", "")}, all_clear=True, note="部内協議", actor="佐藤")
        states = judging.judgement(cfg, cases.get(cfg, reg, cid).events)
        assert judging.blocking(states) == []
        by_key = {s.item.key: s for s in states}
        crime, c2_answer = by_key["b_organised_crime"].answer, by_key["c2_feasible"].answer
        assert crime is not None and crime.state == "clear" and crime.note == "部内協議"
        assert c2_answer is not None and c2_answer.note == ""  # named explicitly: its own (empty) note, not the meeting's
        judging.record(cfg, reg, cid, {"p_advertising": ("該当", "チラシ配布が主目的")})
        assert [s.item.key for s in judging.blocking(judging.judgement(cfg, cases.get(cfg, reg, cid).events))] \
            == ["p_advertising"]


@pytest.mark.parametrize("answers, words", [
    ({"c1_understanding": ("該当なし", "")}, "適合 / 不適合 / 確認中"),   # an exclusion's word for a condition
    ({"b_gambling": ("適合", "")}, "該当なし / 該当 / 確認中"),
    ({"no_such_item": ("適合", "")}, "no_such_item"),
])
def test_a_wrong_judgement_is_refused_whole(tmp_path, cfg, answers, words):
    reg, cid = _case(tmp_path, cfg)
    with reg:
        with pytest.raises(RegistryError) as err:
            judging.record(cfg, reg, cid, {"c2_feasible": ("適合", ""), **answers})
        assert words in err.value.message and err.value.exit_code == 1
        assert not [e for e in cases.get(cfg, reg, cid).events if e.kind == "judged"]  # nothing half-recorded


def test_recording_nothing_is_refused(tmp_path, cfg):
    reg, cid = _case(tmp_path, cfg)
    with reg:
        with pytest.raises(RegistryError) as err:
            judging.record(cfg, reg, cid, {})
        assert "--all-clear" in err.value.message


def test_signing_needs_a_complete_judgement_and_force_names_why(tmp_path, cfg):
    reg, cid = _case(tmp_path, cfg)
    with reg:
        with pytest.raises(RegistryError) as err:
            cases.sign(cfg, reg, cid, on=date(2026, 6, 1), today=date(2026, 6, 1))
        assert "検討票" in err.value.message and "[未判断]" in err.value.message
        assert cases.get(cfg, reg, cid).agreement.status == "received"  # nothing recorded
        judging.record(cfg, reg, cid, {"c3_collaboration": ("確認中", "")}, all_clear=True)
        with pytest.raises(RegistryError) as err:
            cases.sign(cfg, reg, cid, on=date(2026, 6, 1), today=date(2026, 6, 1))
        assert "[確認中] ３）" in err.value.message and "[適合]" not in err.value.message
        signed = cases.sign(cfg, reg, cid, on=date(2026, 6, 1), today=date(2026, 6, 1), force=True,
                            reason="市長決裁で判断済み")
        event = next(e for e in signed.case.events if e.kind == "signed")
        assert event.detail["forced"] and event.detail["unjudged"] == ["c3_collaboration"]
        # the warning names what was passed over: the sheet, not 「不備または要確認」 of a 受付可 proposal
        [forced] = [w for w in signed.warnings if "があるまま締結を記録しました" in w]
        assert forced.startswith("検討票の未了の項目（1件）があるまま") and "不備" not in forced, forced


def test_the_case_pages_history_says_what_was_judged(tmp_path, cfg):
    """The screen's history showed a judgement as 「検討票の判断」 alone: it names an all-clear with its note
    and every other answer by its key with its state in staff's words."""
    from types import SimpleNamespace

    from kyotei_docs.i18n import set_lang
    from kyotei_docs.web.history import lines

    reg, cid = _case(tmp_path, cfg)
    with reg:
        judging.record(cfg, reg, cid, {"c2_feasible": ("確認中", "計画書待ち")}, all_clear=True, note="部内協議")
        judging.record(cfg, reg, cid, {"b_gambling": ("該当なし", "")})
        events = [e for e in cases.get(cfg, reg, cid).events if e.kind == judging.EVENT]
    set_lang("ja")
    first, second = (lines(e, str, str) for e in events)
    assert first == ["18 項目を一括で適合・該当なしと記録（部内協議）", "c2_feasible: 確認中（計画書待ち）"], first
    assert second == ["b_gambling: 該当なし"], second
    # a step and a draft said which: it showed 「流れの段階」 and 「協定書（案）」 alone
    step = SimpleNamespace(kind="step", detail={"step": "hearing", "note": "来庁", "undone": False},
                           from_status=None, to_status=None)
    assert lines(step, str, str, {"hearing": "提案内容の聴取・確認"}.get) == ["段階: 提案内容の聴取・確認", "メモ: 来庁"]
    draft = SimpleNamespace(kind="draft", detail={"version": 2, "direction": "sent"}, from_status=None, to_status=None)
    from kyotei_docs.registry.model import label
    assert lines(draft, label, str) == ["第2版 送付"]


def test_the_sheet_is_rendered_with_the_proposal_routing_and_each_judgement(tmp_path, cfg):
    reg, cid = _case(tmp_path, cfg, name="株式会社<あ&い>")
    with reg:
        judging.record(cfg, reg, cid, {"c2_feasible": ("確認中", "計画書の提出待ち")}, actor="山田",
                       on=date(2026, 11, 30))
        case = cases.get(cfg, reg, cid)
    letter = judging.render_sheet(cfg, case, tmp_path / "out", today=date(2026, 12, 7))
    [docx] = letter.files
    doc = Document(str(docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "連携協定に関する検討票" in text and "令和８年１２月７日" in text
    assert "株式会社<あ&い>" in cells                 # escaped into the XML, read back as written
    assert "確認中" in cells and any("計画書の提出待ち" in c and "山田" in c for c in cells)
    assert sum(c == "未判断" for c in cells) == 18
    assert "未了の項目が 19 件" in text
    assert case.agreement.department and case.agreement.department in text


@pytest.mark.libreoffice
def test_the_sheet_as_pdf_prints_every_item(tmp_path, cfg):
    reg, cid = _case(tmp_path, cfg)
    with reg:
        judging.record(cfg, reg, cid, {}, all_clear=True, note="部内協議")
        case = cases.get(cfg, reg, cid)
    letter = judging.render_sheet(cfg, case, tmp_path / "out", today=date(2026, 12, 7), pdf=True)
    pdf = next(p for p in letter.files if p.suffix == ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = "".join(text.split())
    assert "連携協定に関する検討票" in squeezed and "すべての検討・判断事項が適合・該当なし" in squeezed
    assert squeezed.count("該当なし") >= 13 and "暴力団" in squeezed


@pytest.mark.libreoffice
def test_a_value_of_several_lines_is_printed_as_written_not_spread_across_its_cell(tmp_path, cfg):
    """期待される効果 of two bullet lines: the templates justify (両端揃え), and a line ending in a line
    break was spread over the whole cell (「・　特　定　健　診…」) until the documents set Word's
    doNotExpandShiftReturn, which LibreOffice honours too."""
    import pdfplumber

    from kyotei_docs.render.letters import render_letter, sample_letter_context
    from kyotei_docs.render.templates import JUDGEMENT_SHEET

    values = sample_letter_context(cfg, JUDGEMENT_SHEET) | {"summary": [
        {"label": "連携により期待される効果", "value": "・特定健診の受診率の向上\n・子育て世帯への健康相談の機会の拡充"}]}
    letter = render_letter(cfg, JUDGEMENT_SHEET, values, tmp_path, label="検討票", partner_name="見本株式会社",
                           pdf=True)
    docx, pdf = letter.files
    settings = zipfile.ZipFile(docx).read("word/settings.xml").decode()
    assert settings.index("<w:doNotExpandShiftReturn/>") < settings.index("<w:useFELayout/>")  # schema order
    with pdfplumber.open(pdf) as opened:
        chars = opened.pages[0].chars
    top = next(c for c in chars if c["text"] == "特")["top"]
    row = sorted((c for c in chars if abs(c["top"] - top) < 1), key=lambda c: c["x0"])
    start = "".join(c["text"] for c in row).index("・特定健診の受診率の向上")
    line = row[start:start + len("・特定健診の受診率の向上")]
    gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
    assert max(gaps) < 2, gaps   # set solid, as typed; spread, each gap was about a character wide


# ---------------------------------------------------------------------------------- the flow


def test_an_allround_case_is_late_by_the_guidelines_months(tmp_path, cfg):
    reg, cid = _case(tmp_path, cfg, fields=("環境", "子育て", "観光・魅力発信"), axis=False)
    with reg:
        a = cases.get(cfg, reg, cid).agreement
        assert flow.flow_kind(a.kind, a.subtype) == "allround"
        received = a.received_on
        flow.record(cfg, reg, cid, "hearing", on=received, today=received)
        case = cases.get(cfg, reg, cid)
    one_month = flow.progress(cfg, case.agreement, case.events, received)
    assert one_month.current is not None and one_month.current.step.key == "survey" and not one_month.late
    survey = next(s for s in one_month.steps if s.step.key == "survey")
    from kyotei_docs.periods import subtract_months

    assert survey.expected == subtract_months(received, -1)
    later = flow.progress(cfg, case.agreement, case.events, subtract_months(received, -2))
    assert [s.step.key for s in later.late] == ["survey"]   # month 1 passed, とりまとめ (month 2) not yet late
    assert next(s for s in later.steps if s.step.key == "hearing").done_on == received


def test_a_step_left_unrecorded_before_a_later_one_is_passed_not_current_nor_late(tmp_path, cfg):
    """A 協定書（案） sent (draft ticked) while the hearing and the consultation were never ticked: the
    case stands after the draft, not at 提案内容の聴取・確認, and the skipped steps are not late."""
    from kyotei_docs.periods import subtract_months

    reg, cid = _case(tmp_path, cfg, fields=("環境", "子育て", "観光・魅力発信"), axis=False)
    with reg:
        received = cases.get(cfg, reg, cid).agreement.received_on
        flow.record(cfg, reg, cid, "compile", on=received, today=received)  # month 2's とりまとめ, early
        case = cases.get(cfg, reg, cid)
    later = flow.progress(cfg, case.agreement, case.events, subtract_months(received, -2))
    keys = [s.step.key for s in later.steps]
    assert later.current is not None and keys.index(later.current.step.key) == keys.index("compile") + 1
    assert "survey" not in [s.step.key for s in later.late] and "hearing" not in [s.step.key for s in later.late]


def test_a_case_signed_with_steps_skipped_has_no_current_step_and_nothing_late(tmp_path, cfg):
    """Signing ends the flow: a step not recorded on the way is neither "now" nor late afterwards
    (the CLI showed 現在の段階: 協議 for a signed case, and the list's --late would name it for ever)."""
    from kyotei_docs.periods import subtract_months

    reg, cid = _case(tmp_path, cfg, fields=("環境", "子育て", "観光・魅力発信"), axis=False)
    with reg:
        received = cases.get(cfg, reg, cid).agreement.received_on
        judging.record(cfg, reg, cid, {}, all_clear=True, on=received, today=received)
        signed = cases.sign(cfg, reg, cid, on=received, today=received).case
    months_later = flow.progress(cfg, signed.agreement, signed.events, subtract_months(received, -7))
    assert months_later.signed and months_later.current is None and months_later.late == []
    assert [s.step.key for s in months_later.steps if s.done_on] == ["signed"]
    assert months_later.to_json()["current"] is None and months_later.to_json()["late"] == []


def test_steps_are_refused_when_they_cannot_be_right(tmp_path, cfg):
    reg, cid = _case(tmp_path, cfg)
    with reg:
        today = date(2026, 12, 7)
        for step, words in (("signed", "kyotei sign"), ("survey", "hearing"), ("draft_v9", "段階")):
            with pytest.raises(RegistryError) as err:
                flow.record(cfg, reg, cid, step, today=today)
            assert words in err.value.message
        with pytest.raises(RegistryError) as err:
            flow.record(cfg, reg, cid, "hearing", on=date(2026, 12, 8), today=today)
        assert "まだ来ていない" in err.value.message
        flow.record(cfg, reg, cid, "hearing", on=today, today=today)
        flow.record(cfg, reg, cid, "hearing", undo=True, today=today)
        case = cases.get(cfg, reg, cid)
        current = flow.progress(cfg, case.agreement, case.events, today).current
        assert current is not None and current.step.key == "hearing"


def test_a_case_without_a_settled_type_has_no_flow(tmp_path, cfg):
    p = make_proposal("株式会社みてい")
    p.agreement_type = None
    reg = open_new(tmp_path)
    from kyotei_docs.pipeline import check_proposal

    with reg:
        cid = cases.intake(cfg, reg, check_proposal(p, cfg), submission_id="s", sha256="c" * 64).case_id
        case = cases.get(cfg, reg, cid)
        assert flow.progress(cfg, case.agreement, case.events, date(2026, 12, 7)).flow is None
        with pytest.raises(RegistryError) as err:
            flow.record(cfg, reg, cid, "hearing", today=date(2026, 12, 7))
        assert "種別" in err.value.message


# ---------------------------------------------------------------------------------- notices and press


def test_an_axis_case_notifies_the_coordinator_with_a_draft_email(kyotei, tmp_path, cfg):
    assert kyotei("registry", "add", str(AXIS)).exit_code == 0
    r = kyotei("registry", "notify", "1", "consultation", "--yes", "--out", "notices")
    assert r.exit_code == 0, r.output
    assert "送付済みとして記録" in r.stdout and ".eml" in r.stdout and "次にすること" in r.stdout
    eml = next((tmp_path / "notices").glob("*.eml"))
    assert eml.name == "連絡_協議開始_1.eml"   # in staff's words, not the step's key notice_consultation
    msg = email.message_from_bytes(eml.read_bytes())
    assert msg["To"] == cfg.coordinator.email and msg["X-Unsent"] == "1"
    payload = msg.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode("utf-8")
    assert body.startswith(f"{cfg.coordinator.name}　御中") and "株式会社ななかまどヘルスケア" in body
    assert "主軸分野　　福祉・医療・健康" in body and "協議を進める" in body
    shown = json.loads(kyotei("registry", "show", "1", "--json").stdout)
    step = next(s for s in shown["flow"]["steps"] if s["key"] == "notice_consultation")
    assert step["done_on"] is not None
    r = kyotei("registry", "notify", "1", "signing_date", "--yes", "--out", "notices")
    assert r.exit_code == 1 and "--signing-date" in r.stderr
    r = kyotei("registry", "notify", "1", "signing_date", "--signing-date", "2027-01-20", "--yes", "--out", "notices")
    assert r.exit_code == 0
    txt = sorted((tmp_path / "notices").glob("連絡_締結日決定_1*.txt"))[0].read_text("utf-8")
    assert "令和９年１月２０日に決定" in txt


def test_an_individual_agreement_needs_no_notice_and_nothing_is_written(kyotei, tmp_path):
    assert kyotei("registry", "add", str(INDIVIDUAL)).exit_code == 0
    r = kyotei("registry", "notify", "1", "consultation", "--yes", "--out", "notices")
    assert r.exit_code == 1 and "連絡不要" in r.stderr
    assert not (tmp_path / "notices").exists()


def test_press_information_names_the_partner_items_and_ceremony(tmp_path, cfg):
    reg, cid = _case(tmp_path, cfg, name="株式会社ほうどう")
    with reg:
        case = cases.get(cfg, reg, cid)
    from kyotei_docs.cases.press import render_press

    letter = render_press(cfg, case, tmp_path / "out", when="令和8年12月20日（日）午前10時", place="市長室",
                          attendees=["旭川市長", "", "代表取締役　見本"], today=date(2026, 12, 7))
    text = "\n".join(p.text for p in Document(str(letter.files[0])).paragraphs)
    assert "市政記者　各位" in text and "株式会社ほうどう" in text and "市長室" in text
    assert "代表取締役　見本" in text and "（未定）" not in text
    assert "⑴" in text and "その他" in text   # the items as Form 2 words them


# ---------------------------------------------------------------------------------- the command line


def test_judge_on_the_command_line_then_sign(kyotei):
    assert kyotei("registry", "add", str(AXIS)).exit_code == 0
    r = kyotei("registry", "judge", "1")
    assert r.exit_code == 1 and "--all-clear --yes" in r.stderr and "[未判断]" in r.stdout  # no terminal: shown only
    r = kyotei("registry", "judge", "1", "--item", "c2_feasible=確認中:計画書待ち", "--yes")
    assert r.exit_code == 0 and "1 / 19 項目が判断済み" in r.stdout and "未了 19 件" in r.stdout
    assert "残りの項目" in r.stdout and "registry sheet" not in r.stdout
    r = kyotei("registry", "judge", "1", "--item", "c2_feasible", "--yes")
    assert r.exit_code == 2 and "項目=状態" in r.stderr
    r = kyotei("sign", "1", "--date", "2026-06-01", "--no-render", "--yes")
    assert r.exit_code == 1 and "検討票" in r.stderr and "kyotei registry judge 1" in r.stderr
    r = kyotei("sign", "1", "--date", "2026-06-01", "--no-render", "--force")  # no reason: said before any question
    assert r.exit_code == 2 and "--force には理由（--reason）が必要です" in r.stderr and "確認が取れなかった" not in r.stderr
    # a sheet made while items are open is not yet the one to attach: the next step is judging them
    r = kyotei("registry", "sheet", "1", "--out", "out")
    assert r.exit_code == 0 and "次にすること: 残りの項目を kyotei registry judge 1 で判断し" in r.stdout
    assert "次にすること: 検討票を決裁に添付してください" not in r.stdout
    r = kyotei("registry", "judge", "1", "--all-clear", "--note", "部内協議", "--yes")
    assert r.exit_code == 0 and "締結できます" in r.stdout and "kyotei registry sheet 1" in r.stdout
    shown = json.loads(kyotei("registry", "show", "1", "--json").stdout)
    assert shown["judgement"]["complete"] and len(shown["judgement"]["items"]) == 19
    assert "次にすること: 検討票を決裁に添付してください" in kyotei("registry", "sheet", "1", "--out", "out").stdout
    shown_text = kyotei("registry", "show", "1").stdout
    assert "検討票（ガイドライン2(2)）: 19 / 19" in shown_text
    # an item's text cut to fit the line says it was cut (「…」), it does not end mid-word
    assert "市民サービスの向上などの行（部内協議）" not in shown_text
    assert re.search(r"\[適合\] １）[^\n]+…（部内協議）", shown_text), shown_text
    assert kyotei("sign", "1", "--date", "2026-06-01", "--no-render", "--yes").exit_code == 0


def test_step_command_shows_the_flow_and_records(kyotei):
    assert kyotei("registry", "add", str(INDIVIDUAL)).exit_code == 0
    r = kyotei("registry", "step", "1")
    assert r.exit_code == 0 and "流れ: 個別連携協定" in r.stdout and "現在の段階: 提案内容の聴取・確認" in r.stdout
    # every step still to record names what to type for it, and the next one is spelled out
    assert "☐ 企業等と担当部局で協議　[consultation]" in r.stdout
    assert "kyotei registry step 1 hearing --date 日付" in r.stdout
    r = kyotei("registry", "step", "1", "hearing", "--date", "2026-11-20", "--note", "来庁", "--yes")
    assert r.exit_code == 0 and "☑ 提案内容の聴取・確認（2026-11-20" in r.stdout
    assert "現在の段階: 企業等と担当部局で協議" in r.stdout
    r = kyotei("registry", "step", "1", "survey", "--yes")
    assert r.exit_code == 1 and "consultation" in r.stderr   # 意向調査 is the all-round flow's, not an individual's
    r = kyotei("registry", "step", "1", "survey")  # said before the question (no terminal: no 「確認が取れなかった」)
    assert r.exit_code == 1 and "流れにない段階です" in r.stderr and "確認が取れなかった" not in r.stderr
    assert kyotei("registry", "judge", "1", "--all-clear", "--yes").exit_code == 0
    assert kyotei("sign", "1", "--date", "2026-11-30", "--no-render", "--yes").exit_code == 0
    r = kyotei("registry", "step", "1")
    assert "締結済みです" in r.stdout and "現在の段階" not in r.stdout and "[consultation]" not in r.stdout
    assert "次にすること" not in r.stdout


# ---------------------------------------------------------------------------------- one case of each type, walked


@pytest.mark.parametrize("kw, kind, steps", [
    ({"kind": "individual", "fields": ("災害対策",), "axis": None}, "individual",
     ["hearing", "consultation", "draft", "confirmation", "fixed"]),
    ({}, "axis", ["hearing", "notice_consultation", "consultation", "draft", "confirmation", "fixed",
                  "notice_signing_date"]),
    ({"fields": ("環境", "子育て", "観光・魅力発信"), "axis": False}, "allround",
     ["hearing", "survey", "compile", "present", "meeting", "draft", "confirmation", "fixed"]),
])
def test_one_case_of_each_type_from_form1_to_signing(tmp_path, cfg, kw, kind, steps):
    reg, cid = _case(tmp_path, cfg, name="株式会社あゆみ", **kw)
    with reg:
        a = cases.get(cfg, reg, cid).agreement
        assert flow.flow_kind(a.kind, a.subtype) == kind
        day = a.received_on
        judging.record(cfg, reg, cid, {}, all_clear=True, on=day, today=day)
        for key in steps:
            if key.startswith("notice_"):
                from kyotei_docs.cases.notices import notify

                which = "consultation" if key == "notice_consultation" else "signing_date"
                notify(cfg, reg, cases.get(cfg, reg, cid).agreement, which, on=day, actor="t", today=day,
                       out_dir=tmp_path / "out", signing=day)
            else:
                flow.record(cfg, reg, cid, key, on=day, today=day)
        case = cases.get(cfg, reg, cid)
        current = flow.progress(cfg, case.agreement, case.events, day).current
        assert current is not None and current.step.key == "signed"
        signed = cases.sign(cfg, reg, cid, on=day, today=day)
        done = flow.progress(cfg, signed.case.agreement, signed.case.events, day)
        assert done.current is None and all(s.done_on for s in done.steps)
    if kind != "axis":
        with pytest.raises(NoticeError):
            from kyotei_docs.cases.notices import compose

            compose(cfg, case.agreement, "consultation", on=day)


def test_the_shipped_templates_of_the_steps_pass_the_template_check(cfg):
    from kyotei_docs.render.lint import lint_template
    from kyotei_docs.render.templates import JUDGEMENT_SHEET, PRESS_RELEASE, builtin_dir

    for name in (JUDGEMENT_SHEET, PRESS_RELEASE):
        assert lint_template(builtin_dir() / name, cfg) == []


def test_a_city_template_with_an_unknown_name_is_refused_before_anything_is_written(tmp_path, cfg):
    """A judgement sheet edited in Word with a misspelt name: the same lint as Form 2/3, nothing written."""
    from kyotei_docs.config import config_from as with_templates
    from kyotei_docs.render.templates import JUDGEMENT_SHEET, builtin_dir

    own = tmp_path / "templates"
    own.mkdir()
    with zipfile.ZipFile(builtin_dir() / JUDGEMENT_SHEET) as src, \
            zipfile.ZipFile(own / JUDGEMENT_SHEET, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                assert b"{{ conclusion }}" in data
                data = data.replace(b"{{ conclusion }}", b"{{ conclusoin }}")
            out.writestr(info, data)
    city = with_templates({"render": {"templates": str(own)}})
    reg, cid = _case(tmp_path, city)
    with reg:
        case = cases.get(city, reg, cid)
    with pytest.raises(Exception) as err:
        judging.render_sheet(city, case, tmp_path / "out", today=date(2026, 12, 7))
    assert "conclusoin" in str(err.value) and not list((tmp_path / "out").glob("*.docx"))


# ---------------------------------------------------------------------------------- meetings


def test_meetings_are_recorded_with_who_what_and_the_next_action(kyotei):
    assert kyotei("registry", "add", str(AXIS)).exit_code == 0
    r = kyotei("registry", "meeting", "1", "--kind", "三者協議", "--date", "2026-11-30", "--attendee", "株式会社側 2名",
               "--attendee", "保健総務課", "--notes", "健康講座の年間計画を協議", "--next", "協定書（案）を作成", "--yes")
    assert r.exit_code == 0, r.output
    assert "三者協議（2026-11-30）を記録" in r.stdout and "→ 次の対応: 協定書（案）を作成" in r.stdout
    for args, words in ((("--kind", "雑談", "--notes", "x"), "協議 / 三者協議 / 庁内協議"),
                        (("--notes", ""), "--notes"), (("--date", "2099-01-01", "--notes", "x"), "まだ来ていない")):
        r = kyotei("registry", "meeting", "1", *args, "--yes")
        assert r.exit_code == 1 and words in r.stderr, r.output
    shown = json.loads(kyotei("registry", "show", "1", "--json").stdout)
    assert [(m["kind"], m["attendees"], m["next_action"]) for m in shown["meetings"]] == [
        ("three_party", ["株式会社側 2名", "保健総務課"], "協定書（案）を作成")]
    assert "協議の記録: 1 件" in kyotei("registry", "show", "1").stdout


# ---------------------------------------------------------------------------------- 意向調査 (4(2))


def _fill(path, *, wish="希望する", contents="健康講座を年2回", contact="保健総務課 山田 25-0000", note=""):
    """A department's answer typed into the workbook, as Excel would save it (openpyxl)."""
    from openpyxl import load_workbook

    from kyotei_docs.cases.intent import ROWS, SHEET

    wb = load_workbook(path)
    ws = wb[SHEET]
    for key, value in (("wish", wish), ("contents", contents), ("contact", contact), ("note", note)):
        ws.cell(row=ROWS[key], column=2, value=value)
    wb.save(path)
    return path


def test_the_departments_survey_goes_out_comes_back_and_is_summed_up(kyotei, tmp_path, cfg):
    from openpyxl import load_workbook

    from kyotei_docs.cases.intent import META, SHEET

    reg, cid = _case(tmp_path, cfg, name="株式会社いこう", fields=("環境", "子育て", "観光・魅力発信"), axis=False)
    reg.close()
    os_env = {"KYOTEI_REGISTRY": str(tmp_path / "reg.sqlite3")}
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, list(args), env=os_env, catch_exceptions=False)

    r = run("registry", "intent", "make", str(cid), "--deadline", "2099-01-31", "--department", "保健所 保健総務課",
            "--department", "環境部 環境総務課", "--out", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    sheets = sorted((tmp_path / "out" / "意向調査").glob("*.xlsx"))
    assert len(sheets) == 2 and "intent import" in r.stdout
    survey = next(s for s in json.loads(run("registry", "show", str(cid), "--json").stdout)["flow"]["steps"]
                  if s["key"] == "survey")
    assert survey["done_on"] and survey["note"] == "2 部局"   # the flow's 意向調査 step follows the sheets made
    wb = load_workbook(sheets[0])
    ws = wb[SHEET]
    assert wb[META].sheet_state == "hidden" and ws.protection.sheet
    assert "株式会社いこう" in [c.value for row in ws.iter_rows() for c in row]
    assert "回答期限" in str(ws["A2"].value)
    health = next(p for p in sheets if "保健" in p.name)
    env = next(p for p in sheets if "環境" in p.name)
    _fill(health)
    _fill(env, wish="希望しない", contents="")
    preview = run("registry", "intent", "import", str(cid), str(health), str(env))
    assert preview.exit_code == 0 and "記録していません" in preview.stdout and "保健所 保健総務課: 希望する" in preview.stdout
    assert all(e["kind"] != "intent_answer" for e in json.loads(run("registry", "show", str(cid), "--json").stdout)["events"])
    done = run("registry", "intent", "import", str(cid), str(health), str(env), "--record")
    assert done.exit_code == 0 and "2 部局の回答を記録" in done.stdout
    shown = run("registry", "show", str(cid))
    assert "意向調査: 2 部局に調査、2 部局が回答" in shown.stdout and "環境部 環境総務課: 希望しない" in shown.stdout
    typed = run("registry", "intent", "answer", str(cid), "--department", "子育て支援部 子育て支援課", "--wish", "検討中",
                "--note", "電話で回答", "--yes")
    assert typed.exit_code == 0 and "子育て支援部 子育て支援課: 検討中" in typed.stdout, typed.output
    refused = run("registry", "intent", "answer", str(cid), "--department", "経済部", "--wish", "希望する", "--yes")
    assert refused.exit_code == 1 and "希望する連携内容" in refused.stderr
    summary = run("registry", "intent", "summary", str(cid), "--out", str(tmp_path / "out"))
    assert summary.exit_code == 0, summary.output
    docx = next((tmp_path / "out").glob("*意向調査とりまとめ*.docx"))
    cells = [c.text for t in Document(str(docx)).tables for row in t.rows for c in row.cells]
    assert "健康講座を年2回" in cells and "希望しない" in cells and "保健総務課 山田 25-0000" in cells
    assert "検討中" in cells and "電話で回答" in cells


def test_a_wrong_or_foreign_sheet_refuses_the_whole_import(tmp_path, cfg):
    from openpyxl import Workbook

    from kyotei_docs.cases import intent

    reg, cid = _case(tmp_path, cfg, name="株式会社いこう", fields=("環境", "子育て", "観光・魅力発信"), axis=False)
    with reg:
        files = intent.make(cfg, reg, cid, deadline=date(2099, 1, 31), out_dir=tmp_path / "out",
                            chosen=["保健所 保健総務課", "環境部 環境総務課"])
        good = _fill(files[0])
        blank = _fill(files[1], wish="たぶん")
        foreign = tmp_path / "他の表.xlsx"
        Workbook().save(foreign)
        not_excel = tmp_path / "偽物.xlsx"
        not_excel.write_bytes(b"PK\x05\x06" + b"\0" * 18)
        for bad, words in ((blank, "B14 の連携への意向は"), (foreign, "意向調査票ではありません")):
            with pytest.raises(RegistryError) as err:
                intent.record(cfg, reg, cid, [good, bad])
            assert words in err.value.message and "何も記録していません" in err.value.message
        other = cases.intake(cfg, reg, checked(cfg, "株式会社べつ"), submission_id="s2", sha256="b" * 64).case_id
        theirs = intent.make(cfg, reg, other, deadline=date(2099, 1, 31), out_dir=tmp_path / "other",
                             chosen=["保健所 保健総務課"])
        with pytest.raises(RegistryError) as err:
            intent.record(cfg, reg, cid, [_fill(theirs[0])])
        assert f"協定ID {other} の調査票" in err.value.message
        assert not [e for e in cases.get(cfg, reg, cid).events if e.kind == "intent_answer"]
        with pytest.raises(RegistryError) as err:
            intent.record(cfg, reg, cid, [not_excel])
        assert "Excel" in err.value.message
        # a file that is no zip at all is named among the others' problems, as not a workbook (it was
        # the package reader's 「Word ファイル（.docx）として開けません」, with no file name, alone)
        pdf = tmp_path / "回答.pdf"
        pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
        with pytest.raises(RegistryError) as err:
            intent.record(cfg, reg, cid, [pdf, blank])
        assert "回答.pdf: Excel ブック（.xlsx）ではありません" in err.value.message and "Word" not in err.value.message
        assert "B14 の連携への意向は" in err.value.message


# ---------------------------------------------------------------------------------- 協定書（案） versions


def _returned_with_changes(src, target):
    """The organisation's copy: 「子育て」 item changed with Word's tracked changes, 第３条 edited in place."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                stamp = 'w:author="先方" w:date="2026-12-01T00:00:00Z"'
                old = re.search(r'<w:t(?: [^>]*)?>子育てに関すること</w:t>', xml)
                assert old is not None
                xml = xml.replace(old.group(0), f'<w:t></w:t></w:r><w:del w:id="901" {stamp}><w:r><w:delText>'
                                  f'子育てに関すること</w:delText></w:r></w:del><w:ins w:id="902" {stamp}><w:r><w:t>'
                                  f'子育て支援に関すること</w:t></w:r></w:ins><w:r><w:t></w:t>', 1)
                assert "漏洩してはならない" in xml
                data = xml.replace("漏洩してはならない", "漏えいしてはならない").encode("utf-8")
            zout.writestr(info, data)
    return target


def test_draft_versions_are_compared_article_by_article_and_the_confirmed_one_is_signed(kyotei, tmp_path):
    assert kyotei("registry", "add", str(AXIS)).exit_code == 0
    r = kyotei("registry", "draft", "receive", "1", str(AXIS))
    assert r.exit_code == 1 and "draft send 1" in r.stderr           # nothing sent yet
    r = kyotei("registry", "draft", "send", "1", "--out", "drafts")
    assert r.exit_code == 0 and "第1版" in r.stdout, r.output
    sent = next((tmp_path / "drafts").glob("*協定書（案）第1版.docx"))
    back = _returned_with_changes(sent, tmp_path / "先方修正.docx")
    r = kyotei("registry", "draft", "receive", "1", str(back))
    assert r.exit_code == 0 and "第2版" in r.stdout and "2 条に変更" in r.stdout, r.output
    assert "第２条: 変更あり" in r.stdout and "+ ⑶　子育て支援に関すること" in r.stdout
    assert "- ⑶　子育てに関すること" in r.stdout and "第１条: 変更なし" in r.stdout and "第３条: 変更あり" in r.stdout
    r = kyotei("registry", "draft", "receive", "1", str(AXIS))   # a Form 1, not a draft agreement
    assert r.exit_code == 1 and "条" in r.stderr
    r = kyotei("registry", "draft", "confirm", "1", "7", "--yes")
    assert r.exit_code == 1 and "第7版はありません" in r.stderr
    r = kyotei("registry", "draft", "confirm", "1", "2", "--yes")
    assert r.exit_code == 0 and "内容確定" in r.stdout and "第３条の変更は様式２の雛形から印刷されません" in r.stderr
    shown = json.loads(kyotei("registry", "show", "1", "--json").stdout)
    assert "子育て支援に関すること" in shown["agreement"]["items"] and shown["drafts"]["confirmed"] == 2
    done = {s["key"]: s["note"] for s in shown["flow"]["steps"] if s["done_on"]}
    assert (done["draft"], done["confirmation"], done["fixed"]) == ("第1版", "第2版（返送）", "第2版")  # the flow follows
    assert "第2版 返送" in kyotei("registry", "show", "1").stdout
    assert kyotei("registry", "judge", "1", "--all-clear", "--yes").exit_code == 0
    r = kyotei("sign", "1", "--date", "2026-06-01", "--no-pdf", "--yes", "--out", "signed")
    assert r.exit_code == 0, r.output
    form2 = next((tmp_path / "signed").glob("*包括連携協定書*.docx"))
    assert "⑶　子育て支援に関すること" in "\n".join(p.text for p in Document(str(form2)).paragraphs)
    # after the signing a change is an amendment: no new draft version moves the flow back (walk report)
    r = kyotei("registry", "draft", "send", "1", "--out", "drafts")
    assert r.exit_code == 1 and "締結済み" in r.stderr and "kyotei registry amend 1" in r.stderr, r.output
    assert not list((tmp_path / "drafts").glob("*第3版*"))
    r = kyotei("registry", "draft", "receive", "1", str(back))
    assert r.exit_code == 1 and "締結済み" in r.stderr


def test_the_list_filters_by_the_current_step_and_lateness(kyotei):
    assert kyotei("registry", "add", str(AXIS)).exit_code == 0
    assert kyotei("registry", "add", str(INDIVIDUAL)).exit_code == 0
    assert kyotei("registry", "step", "2", "hearing", "--yes").exit_code == 0
    rows = json.loads(kyotei("registry", "list", "--json").stdout)
    assert {r["id"]: r["step"] for r in rows} == {1: "hearing", 2: "consultation"}
    assert [r["id"] for r in json.loads(kyotei("registry", "list", "--step", "consultation", "--json").stdout)] == [2]
    assert json.loads(kyotei("registry", "list", "--late", "--json").stdout) == []  # no months set for these types
    # a step by the words the flow shows; a mistyped one is refused with the steps, not answered 「該当なし」
    by_words = kyotei("registry", "list", "--step", "企業等と担当部局で協議", "--json")  # the individual flow's words
    assert [r["id"] for r in json.loads(by_words.stdout)] == [2]
    typo = kyotei("registry", "list", "--step", "consultaton")
    assert typo.exit_code == 2 and "「consultaton」という段階はありません" in typo.stderr and "consultation（" in typo.stderr
    listed = typo.stderr.split("段階: ", 1)[1]  # in the flows' order, from the first step (it listed them backwards)
    assert listed.startswith("hearing（提案内容の聴取・確認）") and listed.index("draft（") < listed.index("signed（")
    # a state as the list shows it (締結済), not only its key (signed)
    assert kyotei("registry", "list", "--status", "受付", "--json").exit_code == 0
    assert len(json.loads(kyotei("registry", "list", "--status", "受付", "--json").stdout)) == 2
    assert json.loads(kyotei("registry", "list", "--status", "締結済", "--json").stdout) == []
    wrong = kyotei("registry", "list", "--status", "締結")
    assert wrong.exit_code == 2 and "締結済（signed）" in wrong.stderr


def test_a_late_step_of_an_allround_case_is_reminded_to_its_department(tmp_path, cfg):
    from kyotei_docs.cases import remind
    from kyotei_docs.periods import subtract_months

    reg, cid = _case(tmp_path, cfg, name="株式会社おくれ", fields=("環境", "子育て", "観光・魅力発信"), axis=False)
    with reg:
        received = cases.get(cfg, reg, cid).agreement.received_on
        flow.record(cfg, reg, cid, "hearing", on=received, today=received)
        early = remind.collect(cfg, reg, today=received)
        assert [r.step for r in early if r.kind == "step"] == []   # 意向調査 is expected a month later
        late_day = subtract_months(received, -1) + timedelta(days=3)
        [step] = [r for r in remind.collect(cfg, reg, today=late_day) if r.kind == "step"]
        assert step.late and step.days == -3 and "意向調査" in step.what()
        assert step.department == cases.get(cfg, reg, cid).agreement.department
        flow.record(cfg, reg, cid, "survey", on=late_day, today=late_day)
        [after] = [r for r in remind.collect(cfg, reg, today=late_day) if r.kind == "step"]
        assert "とりまとめ" in after.what() and not after.late  # the next step, due within the notice window


def test_show_names_every_step_record_in_staff_words_and_the_keys_still_to_judge(kyotei):
    """The history of a case in its steps: 協定書（案）, 意向調査, 協議, 連携事項 in Japanese (it showed
    ev_draft, ev_intent_sent and items: [] → ['…']); the sheet names the key of each item still open,
    and an unknown key is refused with every key beside its words."""
    assert kyotei("registry", "add", str(AXIS)).exit_code == 0
    assert kyotei("registry", "judge", "1", "--item", "c2_feasible=確認中:計画書待ち", "--yes").exit_code == 0
    assert kyotei("registry", "intent", "make", "1", "--deadline", "2099-01-31", "--department", "環境部",
                  "--out", "out").exit_code == 0
    assert kyotei("registry", "draft", "send", "1", "--out", "out").exit_code == 0
    assert kyotei("registry", "meeting", "1", "--kind", "三者協議", "--date", "2026-12-01", "--notes", "内容確認",
                  "--yes").exit_code == 0
    assert kyotei("registry", "set", "1", "--item", "健康づくりに関すること", "--yes").exit_code == 0
    shown = kyotei("registry", "show", "1").stdout
    history = shown[shown.index("履歴:"):]
    assert "意向調査票の作成  [" in history and "環境部（回答期限 2099-01-31）" in history
    assert "協定書（案）  [" in history and "第1版 送付" in history and "協議の記録  [" in history
    assert "連携事項: — → 健康づくりに関すること" in history
    assert "ev_" not in shown and "[]" not in shown and "None" not in shown
    assert "（計画書待ち）　[c2_feasible]" in shown and "[c1_understanding]" in shown
    assert "検討票の判断  [" in history and "c2_feasible: 確認中" in history and "pending" not in history
    r = kyotei("registry", "judge", "1", "--item", "c9=適合", "--yes")
    assert r.exit_code == 1 and "\n  c2_feasible　２）それぞれの連携分野において" in r.stderr


def test_the_intent_survey_asks_each_department_once(cfg):
    """The shipped table holds 「防災安全部 防災課」 and 「防災安全部」: one 部局, one sheet."""
    from kyotei_docs.cases import intent

    asked = intent.departments(cfg)
    assert "防災安全部" in asked and "防災安全部 防災課" not in asked
    assert len(asked) == len(set(asked)) and cfg.coordinator.name not in asked
    assert "保健所 保健総務課" in asked  # a section whose department is not listed on its own stays
    assert intent.departments(cfg, ["環境部", " 環境部 ", "経済部"]) == ["環境部", "経済部"]


def test_documents_staff_send_stay_japanese_when_staff_work_in_english(kyotei, tmp_path):
    """With --lang en the 検討票 said 「comprehensive (with an axis field)」 and the notice to the coordinating
    section was written in English: the messages follow --lang, the documents stay Japanese."""
    import docx

    assert kyotei("registry", "add", str(AXIS)).exit_code == 0
    r = kyotei("--lang", "en", "registry", "notify", "1", "consultation", "--yes", "--out", "notices")
    assert r.exit_code == 0 and "Next:" in r.stdout  # the command speaks English
    text = next((tmp_path / "notices").glob("*.txt")).read_text("utf-8")
    assert "包括連携協定（主軸分野型）" in text and "comprehensive" not in text.lower()
    r = kyotei("--lang", "en", "registry", "sheet", "1", "--out", "out")
    assert r.exit_code == 0
    sheet = docx.Document(str(next((tmp_path / "out").glob("*検討票.docx"))))
    cells = " ".join(c.text for t in sheet.tables for row in t.rows for c in row.cells)
    assert "包括連携協定（主軸分野型）" in cells and "comprehensive" not in cells and "open" not in cells
