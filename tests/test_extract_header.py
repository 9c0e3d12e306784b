"""The applicant's block headed like a letter: unlabelled lines, 「氏名又は名称」, a 「提案者」 heading,
the company and its representative on one line. Fed to the extractor as a FormDoc (the seam)."""

from __future__ import annotations

from formdoc import CONTACT, TEXTS, doc
from kyotei_docs.config import load_config
from kyotei_docs.extract import extract
from kyotei_docs.pipeline import check_proposal

CHOICES = ("連携協定の種別　☐個別連携協定　☑包括連携協定", "連携の分野　☑環境　☑子育て",
           "主軸分野の有無　☑有（主軸分野：子育て）　☐無")


def read(*header: str):
    p = extract(doc("令和８年１１月２０日", *header, "連携協定に関する提案書", *CHOICES, *TEXTS, *CONTACT))
    result = check_proposal(p, load_config(None))
    return p, [f.code for f in result.errors], {f.field for f in result.review}


def test_unlabelled_lines_under_the_addressee_are_read_by_their_shape_as_review_items():
    p, errors, review = read("旭川市長　今津　寛介　様", "　　北海道旭川市宮前１条３丁目３番３０号",
                             "　　一般社団法人ヘッダ協会", "　　代表理事　上田　一")
    assert (p.organization.address, p.organization.name, p.organization.representative) == (
        "北海道旭川市宮前１条３丁目３番３０号", "一般社団法人ヘッダ協会", "代表理事　上田　一")
    assert errors == []
    assert review == {"organization.address", "organization.name", "organization.representative"}


def test_labels_written_the_official_way_and_a_heading_before_them():
    p, errors, review = read("旭川市長　様", "（提案者）", "住所又は所在地　旭川市１条通", "氏名又は名称　株式会社ヘッダ",
                             "代表者　代表取締役　上田　一")
    assert (p.organization.address, p.organization.name) == ("旭川市１条通", "株式会社ヘッダ")
    assert errors == [] and not review
    p, errors, review = read("旭川市長　様", "提案者　住所　旭川市１条通", "　　　　名称　株式会社ヘッダ",
                             "　　　　代表者　代表取締役　上田　一")
    assert p.organization.address == "旭川市１条通" and errors == [] and not review


def test_the_company_and_its_representative_on_one_line_are_parted():
    p, errors, _ = read("旭川市長　様", "所在地　旭川市", "名称：株式会社ヘッダ　代表取締役　上田　一")
    assert (p.organization.name, p.organization.representative) == ("株式会社ヘッダ", "代表取締役　上田　一")
    assert errors == []
    p, errors, review = read("旭川市長　様", "提案者：株式会社ヘッダ　代表取締役　上田　一", "所在地　旭川市")
    assert (p.organization.name, p.organization.representative) == ("株式会社ヘッダ", "代表取締役　上田　一")
    assert errors == [] and review == {"organization.name", "organization.representative"}


def test_lines_of_no_known_shape_stay_review_items_without_a_value():
    p, errors, review = read("旭川市長　様", "ヘッダ", "上田　一")
    assert p.organization.name is None and p.organization.representative is None
    # no shape says what they are: a person compares, the applicant is not told to add them
    assert errors == [] and review == {"organization.address", "organization.name", "organization.representative"}


def test_a_heading_word_the_reader_does_not_know_is_left_out_of_the_value():
    p, errors, review = read("旭川市長　様", "所在地　旭川市豊岡３条２丁目", "屋号・法人格　　豊岡ホールディングス株式会社",
                             "代表者氏名　代表取締役会長　岡田　豊")
    assert p.organization.name == "豊岡ホールディングス株式会社"
    assert errors == [] and review == {"organization.name"}
    [doubt] = [d for d in p.doubts if d.field == "organization.name"]
    assert doubt.original == "屋号・法人格　　豊岡ホールディングス株式会社"  # the person sees the whole line
