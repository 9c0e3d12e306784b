"""Choices circled on an Excel sheet with a drawn oval (「該当するものを○で囲む」), issue 16's sweep.

Excel forms copied from paper ask to circle an option; in Excel that is an ellipse (or a
rounded box) drawn over the option's cell.  The drawing's anchor says which cells it
covers.  Before, ovals were not read: the type was 「選択されていません」 (a confident error)
and the fields' printed list was read as the answer (every printed field chosen, silently).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from kyotei_docs.pipeline import check_proposal, read_proposal
from xlsxbuild import Num, Sheet, make_xlsx


def _book(path: Path, ovals: Sequence[tuple[str, ...]], type_cells: dict[str, str] | None = None) -> Path:
    cells: dict[str, object] = {
        "A1": "様式１", "H2": Num(46346, '[$-411]ggge"年"m"月"d"日"'), "A4": "旭川市長　様",
        "E6": "所在地", "H6": "北海道旭川市宮前１条", "E7": "企業等名称", "H7": "北嶺物産株式会社",
        "E8": "代表者氏名", "H8": "代表取締役　北嶺　太郎", "A10": "連携協定に関する提案書",
        "A12": "連携協定の種別（該当するものを○で囲む）", **(type_cells or {"E12": "個別連携協定", "H12": "包括連携協定"}),
        "A14": "連携の分野（該当するものを○で囲む）", "D14": "災害対策", "F14": "環境", "H14": "子育て",
        "A16": "主軸分野の有無（○で囲む）", "D16": "有", "E16": "主軸分野（子育て）", "I16": "無",
        "A18": "協定締結の目的", "A19": "子育て世帯の環境学習を進めるため。",
        "A21": "連携により期待される効果", "A22": "親子で学ぶ機会が増える。",
        "A24": "連絡先", "B25": "部署名", "E25": "経営企画部", "B26": "担当者氏名", "E26": "北嶺　花子",
        "B27": "電話番号", "E27": "0166-55-1234", "B28": "メールアドレス", "E28": "hanako@hokurei.example.jp"}
    return make_xlsx(path, Sheet(cells, ["A19:L19", "A22:L22"], ovals=ovals))


def _read(path: Path, cfg):
    prop = read_proposal(path)
    result = check_proposal(prop, cfg)
    return prop, sorted(f.code for f in result.errors), sorted((f.code, f.field) for f in result.review)


@pytest.mark.parametrize("preset", ["ellipse", "flowChartConnector", "roundRect"])
def test_ovals_drawn_over_the_chosen_cells_choose_them(tmp_path, cfg, preset):
    ovals = [("H12", "I12", preset), ("F14", "F14", preset), ("H14", "H14", preset), ("D16", "D16", preset)]
    prop, errors, review = _read(_book(tmp_path / "circled.xlsx", ovals), cfg)
    assert (prop.agreement_type, prop.fields, prop.axis.present, prop.axis.field) == \
        ("comprehensive", ["環境", "子育て"], True, "子育て")  # the type was missing, the fields all three
    assert (errors, review) == ([], [])


def test_a_circling_form_with_no_circle_found_reads_no_printed_option_silently(tmp_path, cfg):
    """Nothing drawn: the type is the applicant's blank (both printed), the short printed list of fields
    read as the answer is a review item (it was every printed field, chosen with no review item)."""
    prop, errors, review = _read(_book(tmp_path / "plain.xlsx", []), cfg)
    assert errors == ["agreement_type_missing"]
    assert review == [("review_no_circle", "fields")]


def test_an_oval_over_a_cell_of_several_options_leaves_the_choice_to_a_person(tmp_path, cfg):
    prop, errors, review = _read(_book(tmp_path / "one_cell.xlsx", [("E12", "F12"), ("F14", "F14"), ("H14", "H14"),
                                                                     ("D16", "D16")],
                                       {"E12": "個別連携協定　　包括連携協定"}), cfg)
    assert prop.agreement_type is None and errors == []
    assert ("review_circles_drawn", "agreement_type") in review


def test_a_frame_drawn_around_rows_is_no_circle(tmp_path, cfg):
    ovals = [("A24", "L28", "roundRect"), ("H12", "I12"), ("F14", "F14"), ("H14", "H14"), ("D16", "D16")]
    prop, errors, review = _read(_book(tmp_path / "frame.xlsx", ovals), cfg)
    assert prop.contact.department == "経営企画部" and (errors, review) == ([], [])
