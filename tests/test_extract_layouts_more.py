"""Layouts met in an audit of unseen submissions: entries side by side, an axis heading with a
condition in brackets, values broken over lines. Fed to the extractor as a FormDoc (the seam)."""

from __future__ import annotations

from formdoc import HEADER, TEXTS, cell, doc
from kyotei_docs.config import load_config
from kyotei_docs.extract import extract
from kyotei_docs.pipeline import check_proposal

CHOICES = ("連携協定の種別　☐個別連携協定　☑包括連携協定", "連携の分野　☑環境　☑子育て",
           "主軸分野の有無　☐有　☑無")


def test_two_contact_entries_on_one_line_each_read_their_own_value():
    p = extract(doc(*HEADER, *CHOICES, *TEXTS, "連絡先",
                    "部署名：安全推進室　担当者氏名：伊藤　四郎",
                    "電話番号：0166-11-2222　メールアドレス：ito@example.jp"))
    assert p.contact.department == "安全推進室"
    assert p.contact.name == "伊藤　四郎"
    assert p.contact.phone == "0166-11-2222"
    assert p.contact.email == "ito@example.jp"


def test_numbered_entries_side_by_side_and_an_other_label_end_the_value():
    p = extract(doc(*HEADER, *CHOICES, *TEXTS,
                    "（１）部署名：総務課　（２）担当者氏名：田中次郎",
                    "電話：011-222-3333　FAX：011-222-3334　Mail：tanaka@example.co.jp"))
    assert (p.contact.department, p.contact.name) == ("総務課", "田中次郎")
    assert p.contact.phone == "011-222-3333"
    assert p.contact.email == "tanaka@example.co.jp"


def test_a_label_inside_a_sentence_without_a_colon_does_not_split_the_value():
    p = extract(doc(*HEADER, *CHOICES, "協定締結の目的", "地域の防災力向上　連絡先の共有を含む。",
                    "連携により期待される効果", "迅速な対応。",
                    "部署名：防災室", "担当者氏名：山田", "電話番号：0166-12-3456", "メールアドレス：a@example.jp"))
    assert p.purpose == "地域の防災力向上　連絡先の共有を含む。"


def test_axis_heading_with_a_condition_in_brackets_is_not_the_axis():
    p = extract(doc(*HEADER, "連携協定の種別　☐個別連携協定　☑包括連携協定", "連携の分野　☑環境　☑子育て",
                    "３　主軸分野（包括連携協定の場合のみ）", "　○有（主軸分野：環境）　無", *TEXTS,
                    "部署名：総務課", "担当者氏名：田中", "電話番号：0166-12-3456", "メールアドレス：a@example.jp"))
    assert p.axis.present is True
    assert (p.axis.field, p.axis.text) == ("環境", "環境")


def test_axis_left_blank_under_such_a_heading_is_the_applicants_blank_not_a_doubt():
    p = extract(doc(*HEADER, "連携協定の種別　☐個別連携協定　☑包括連携協定", "連携の分野　☑環境　☑子育て",
                    "３　主軸分野（包括連携協定の場合のみ）", "　○有（主軸分野：　　）　無", *TEXTS,
                    "部署名：総務課", "担当者氏名：田中", "電話番号：0166-12-3456", "メールアドレス：a@example.jp"))
    assert p.axis.present is True and p.axis.text is None
    assert not [d for d in p.doubts if d.field == "axis.field"]
    codes = [f.code for f in check_proposal(p, load_config(None)).errors]
    assert "axis_field_missing" in codes


def test_an_address_goes_on_in_an_indented_paragraph():
    p = extract(doc("令和８年１１月２０日", "所在地　札幌市中央区北1条西2丁目", "　　　　○○ビル5階",
                    "名称　合同会社サンプル", "代表者　代表社員　山田太郎", *CHOICES, *TEXTS,
                    "部署名：総務課", "担当者氏名：田中", "電話番号：0166-12-3456", "メールアドレス：a@example.jp"))
    assert p.organization.address == "札幌市中央区北1条西2丁目\u3000○○ビル5階"
    assert p.organization.name == "合同会社サンプル"


def test_an_unindented_paragraph_after_an_address_is_not_part_of_it():
    p = extract(doc("令和８年１１月２０日", "所在地：札幌市中央区北1条西2丁目", "旭川市長　様",
                    "名称：合同会社サンプル", "代表者：山田太郎", *CHOICES, *TEXTS,
                    "部署名：総務課", "担当者氏名：田中", "電話番号：0166-12-3456", "メールアドレス：a@example.jp"))
    assert p.organization.address == "札幌市中央区北1条西2丁目"


def test_lines_of_one_cell_keep_a_blank_between_them():
    p = extract(doc("令和８年１１月２０日",
                    cell("所在地", 0, 0), cell("東京都千代田区丸の内１－１－１\n丸の内ビル１０階", 0, 1),
                    cell("企業等名称", 1, 0), cell("株式会社ミライ商事", 1, 1),
                    cell("代表者職・氏名", 2, 0), cell("代表取締役社長\n中村　五郎", 2, 1),
                    *CHOICES, *TEXTS,
                    "部署名：総務課", "担当者氏名：田中", "電話番号：0166-12-3456", "メールアドレス：a@example.jp"))
    assert p.organization.address == "東京都千代田区丸の内１－１－１\u3000丸の内ビル１０階"
    assert p.organization.representative == "代表取締役社長\u3000中村\u3000五郎"


def test_marks_after_their_options_in_brackets_on_the_label_line():
    p = extract(doc(*HEADER, "【連携協定の種別】個別連携協定（　）　包括連携協定（○）",
                    "【連携分野】", "災害対策（○）　環境（○）　子育て（　）",
                    "【主軸分野】有（○）　主軸分野：災害対策　　無（　）", *TEXTS,
                    "部署名：総務部", "担当者氏名：石井", "電話番号：0166-44-5555", "メールアドレス：a@example.jp"))
    assert p.agreement_type == "comprehensive"
    assert p.fields == ["災害対策", "環境"]
    assert p.axis.present is True
    assert (p.axis.field, p.axis.text) == ("災害対策", "災害対策")


def test_a_mark_after_the_individual_option_selects_it_alone():
    p = extract(doc(*HEADER, "【連携協定の種別】個別連携協定（○）　包括連携協定（　）",
                    "【連携分野】", "災害対策（○）　環境（　）", *TEXTS,
                    "部署名：総務部", "担当者氏名：石井", "電話番号：0166-44-5555", "メールアドレス：a@example.jp"))
    assert p.agreement_type == "individual"
    assert p.fields == ["災害対策"]


def test_a_mark_in_a_choice_section_that_no_option_took_is_a_doubt_not_a_blank():
    # 「（○）」 on a line of its own under both options: the reader cannot tell which it marks
    p = extract(doc(*HEADER, "連携協定の種別", "個別連携協定　　包括連携協定", "　　　　　　　　　（○）", "連携の分野　☑環境　☑子育て",
                    "主軸分野の有無　☐有　☑無", *TEXTS,
                    "部署名：総務部", "担当者氏名：石井", "電話番号：0166-44-5555", "メールアドレス：a@example.jp"))
    assert p.agreement_type is None
    assert [d.field for d in p.doubts if d.code == "review_unplaced_text"] == ["agreement_type"]
    result = check_proposal(p, load_config(None))
    assert "agreement_type_missing" not in [f.code for f in result.errors]


def test_an_entry_under_a_heading_word_the_reader_does_not_know_is_a_review_item():
    p = extract(doc("令和８年１１月２０日", "所在地　旭川市豊岡３条２丁目", "屋号・法人格　　豊岡ホールディングス株式会社",
                    "代表者職氏名　　代表取締役会長　岡田　豊", *CHOICES, *TEXTS,
                    "部署名：経営企画室", "担当者氏名：岡田　美咲", "電話番号：0166-31-0000",
                    "メールアドレス：okada@example.jp"))
    assert p.organization.name == "豊岡ホールディングス株式会社"  # read by its shape (extract/header.py), for review
    doubts = [d for d in p.doubts if d.field == "organization.name"]
    assert [d.code for d in doubts] == ["review_unlabelled_text"]
    assert "豊岡ホールディングス株式会社" in doubts[0].original
    result = check_proposal(p, load_config(None))
    assert "organization.name" not in [f.field for f in result.errors]
    assert "organization.name" in [f.field for f in result.review]


def test_a_blank_entry_among_known_labels_stays_the_applicants_error():
    p = extract(doc(*HEADER, *CHOICES, *TEXTS,
                    "部署名：経営企画室", "担当者氏名：", "電話番号：0166-31-0000", "メールアドレス：okada@example.jp"))
    assert not p.doubts
    result = check_proposal(p, load_config(None))
    assert [(f.code, f.field) for f in result.errors] == [("missing_required", "contact.name")]
