"""A file holding Form 1 more than once (issue 16's sweep of unseen submissions).

The city's Excel template may carry a filled-in example sheet (「記入例」) that the
company keeps beside its own; a PDF packet may start with the example page; a file
may hold a blank copy or two versions.  Before, the first form won: every value of the
example (「株式会社〇〇」, 「旭川　太郎」, 「example@example.jp」) was read as the proposal's
with no review item.  Now a form headed as an example (a sheet named so, a heading
「記入例」) is passed over; otherwise the first form whose answers are no template
stand-ins is read and the whole file is a review item (``review_several_forms``); a
stand-in left in an answer (「株式会社〇〇」) is a review item of its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formdoc import doc
from kyotei_docs.extract import extract
from kyotei_docs.pipeline import check_proposal, read_proposal
from xlsxbuild import Num, Sheet, make_xlsx

REAL = {"date": "令和８年１１月２０日", "address": "北海道旭川市宮前１条３丁目４番", "name": "北嶺物産株式会社",
        "rep": "代表取締役　北嶺　太郎", "axis": "子育て", "purpose": "子育て世帯の環境学習を進めるため。",
        "effects": "親子で学ぶ機会が増える。", "dept": "経営企画部", "person": "北嶺　花子", "phone": "0166-55-1234",
        "email": "hanako@hokurei.example.jp"}
EXAMPLE = {"date": "令和〇年〇月〇日", "address": "北海道旭川市〇〇町〇丁目", "name": "株式会社〇〇",
           "rep": "代表取締役　〇〇　〇〇", "axis": "環境", "purpose": "〇〇の推進のため。", "effects": "〇〇の向上。",
           "dept": "〇〇部", "person": "旭川　太郎", "phone": "0166-00-0000", "email": "example@example.jp"}


def verdict(prop, cfg):
    r = check_proposal(prop, cfg)
    return sorted(f.code for f in r.errors), sorted({(f.code, f.field) for f in r.review})


def lines(v: dict[str, str]) -> tuple[str, ...]:
    return ("様式１", v["date"], "旭川市長　様", f"所在地：{v['address']}", f"企業等名称：{v['name']}",
            f"代表者氏名：{v['rep']}", "連携協定に関する提案書", "連携協定の種別　☐個別連携協定　☑包括連携協定",
            "連携の分野　☐災害対策　☑環境　☑子育て", f"主軸分野の有無　☑有　主軸分野（{v['axis']}）　☐無",
            f"協定締結の目的：{v['purpose']}", f"連携により期待される効果：{v['effects']}", "連絡先",
            f"部署名：{v['dept']}", f"担当者氏名：{v['person']}", f"電話番号：{v['phone']}", f"メールアドレス：{v['email']}")


def is_real(prop) -> bool:
    c = prop.contact
    return (prop.organization.name, prop.axis.field, c.name, c.phone, c.email) == \
        (REAL["name"], REAL["axis"], REAL["person"], REAL["phone"], REAL["email"])


@pytest.mark.parametrize("heading", ["記入例", "【記入例】", "（記載例）", "見本"])
def test_a_page_headed_as_an_example_before_the_form_is_passed_over(cfg, heading):
    prop = extract(doc(heading, *lines(EXAMPLE), *lines(REAL)))
    assert is_real(prop)  # it was the example's 株式会社〇〇, 旭川　太郎, example@example.jp
    assert verdict(prop, cfg) == ([], [])


def test_an_unmarked_example_full_of_stand_ins_is_passed_over_and_the_file_reviewed(cfg):
    prop = extract(doc(*lines(EXAMPLE), *lines(REAL)))
    assert is_real(prop)
    errors, review = verdict(prop, cfg)
    assert errors == [] and review == [("review_several_forms", "file")]


def test_two_filled_forms_read_the_first_and_review_the_file(cfg):
    other = dict(REAL, person="旭　次郎", phone="0166-55-9999")
    prop = extract(doc(*lines(REAL), *lines(other)))
    assert is_real(prop)
    assert verdict(prop, cfg) == ([], [("review_several_forms", "file")])


def test_a_title_repeated_as_a_running_header_is_no_second_form(cfg):
    prop = extract(doc(*lines(REAL), "連携協定に関する提案書", "（別紙）", "連携により期待される効果", "地域の環境意識が高まる。"))
    assert is_real(prop)
    assert verdict(prop, cfg) == ([], [])


def test_a_stand_in_left_in_an_answer_is_a_review_item(cfg):
    prop = extract(doc(*lines(dict(REAL, dept="〇〇部"))))
    assert verdict(prop, cfg) == ([], [("review_example_text", "contact.department")])


def _sheet(v: dict[str, str], name: str) -> Sheet:
    cells: dict[str, object] = {
        "A1": "様式１", "H2": Num(46346, '[$-411]ggge"年"m"月"d"日"') if v is REAL else v["date"], "A4": "旭川市長　様",
        "E6": "所在地", "H6": v["address"], "E7": "企業等名称", "H7": v["name"], "E8": "代表者氏名", "H8": v["rep"],
        "A10": "連携協定に関する提案書", "A12": "連携協定の種別", "D12": "☐個別連携協定", "H12": "☑包括連携協定",
        "A14": "連携の分野", "D14": "☐災害対策", "F14": "☑環境", "H14": "☑子育て",
        "A16": "主軸分野の有無", "D16": f"☑有　主軸分野（{v['axis']}）", "I16": "☐無",
        "A18": "協定締結の目的", "A19": v["purpose"], "A21": "連携により期待される効果", "A22": v["effects"],
        "A24": "連絡先", "B25": "部署名", "E25": v["dept"], "B26": "担当者氏名", "E26": v["person"],
        "B27": "電話番号", "E27": v["phone"], "B28": "メールアドレス", "E28": v["email"]}
    return Sheet(cells, ["A19:L19", "A22:L22"], name=name)


@pytest.mark.parametrize("names, review", [
    (("記入例", "様式１"), []),  # the example sheet is passed over by its name
    (("様式１", "記入例"), []),
    (("Sheet1", "Sheet2"), [("review_several_forms", "file")]),  # unnamed: passed over for its 〇〇, the file reviewed
])
def test_a_workbook_with_the_citys_example_sheet(tmp_path: Path, cfg, names, review):
    example_first = names[0] != "様式１"
    sheets = [_sheet(EXAMPLE, names[0]), _sheet(REAL, names[1])] if example_first else \
        [_sheet(REAL, names[0]), _sheet(EXAMPLE, names[1])]
    prop = read_proposal(make_xlsx(tmp_path / "book.xlsx", *sheets))
    assert is_real(prop)
    assert verdict(prop, cfg) == ([], review)
