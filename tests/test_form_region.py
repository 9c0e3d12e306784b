"""What surrounds Form 1: a cover letter before it, a letterhead over it, 別紙 after it.

Values come from the form's own region only; a value that could be someone else's (the
letter's sender, the company's switchboard) is a review item, never taken silently; an entry
saying 「別紙のとおり」 takes the attachment's text as a review item quoting both.
"""

from __future__ import annotations

import pytest

from docxbuild import Xml, make_docx, p
from formdoc import CONTACT, HEADER, TEXTS, cell, doc
from kyotei_docs.extract import extract
from kyotei_docs.extract.region import region_of
from kyotei_docs.pipeline import check_proposal, read_proposal
from pdfbuild import docx_to

CHOICES = ("連携協定の種別：☐個別連携協定　☑包括連携協定", "連携の分野：☑環境　☑子育て", "主軸分野の有無：☐有　☑無")
COVER = ("令和８年１１月１８日", "旭川市　市民生活部　地域活動推進課　御中", "株式会社テスト商事　総務部　送付　一郎",
         "TEL 011-222-3333", "E-mail: sofu@cover.example.jp", "送付状", "拝啓　時下ますますご清祥のこととお喜び申し上げます。",
         "下記の書類を送付いたします。", "記", "１　連携協定に関する提案書　１部", "以上")
FORM = ("様式１", *HEADER[:2], *HEADER[2:], "連携協定に関する提案書", *CHOICES, *TEXTS)


def _codes(prop, cfg):
    result = check_proposal(prop, cfg)
    return sorted(f.code for f in result.errors), sorted((f.code, f.field) for f in result.review)


# ---------------------------------------------------------------- the region (seam)

def test_the_region_starts_at_the_form_number_and_ends_before_the_attachment():
    blocks = doc(*COVER, *FORM, *CONTACT, "別紙", "連携により期待される効果", "効果の詳細。").blocks
    region = region_of(blocks)
    assert [b.text for b in region.before] == list(COVER)
    assert region.form[0].text == "様式１" and region.form[-1].text == CONTACT[-1]
    assert [b.text for b in region.after] == ["別紙", "連携により期待される効果", "効果の詳細。"]


def test_without_form_number_the_addressee_and_date_before_the_title_start_it():
    blocks = doc(*COVER, *HEADER, "連携協定に関する提案書", *CHOICES, *TEXTS, *CONTACT).blocks
    assert [b.text for b in region_of(blocks).form][:2] == list(HEADER[:2])


def test_a_cover_letter_listing_the_title_is_no_start_and_a_plain_form_is_whole():
    blocks = doc(*HEADER, "連携協定に関する提案書", *CHOICES, *TEXTS, *CONTACT).blocks
    assert region_of(blocks).before == [] and region_of(blocks).form == blocks
    # no title at all (a re-typed form): the whole file, as before
    assert region_of(doc(*COVER[:5], *CHOICES, *TEXTS).blocks).before == []


# ---------------------------------------------------------------- the cover letter

def test_the_cover_letters_sender_is_never_the_contact(cfg):
    prop = extract(doc(*COVER, *FORM, *CONTACT))
    assert (prop.contact.phone, prop.contact.email) == ("0166-12-3456", "renraku@example.co.jp")
    assert prop.submitted_on is not None and prop.submitted_on.isoformat() == "2026-11-20"  # the form's, not the letter's
    assert _codes(prop, cfg) == ([], [])


def test_a_form_without_the_contacts_email_is_not_given_the_senders(cfg):
    contact = [c for c in CONTACT if not c.startswith("メール")] + ["メールアドレス："]
    prop = extract(doc(*COVER, *FORM, *contact))
    assert prop.contact.email is None
    errors, review = _codes(prop, cfg)
    assert ("review_cover_letter", "contact.email") in review  # the letter's address is quoted, not taken


# ---------------------------------------------------------------- the letterhead

PAGE_BREAK = Xml('<w:r><w:br w:type="page"/></w:r>')
LETTERHEAD = "株式会社テスト商事　〒070-0036 旭川市６条通１０丁目　TEL 0166-36-0001(代表)　FAX 0166-36-0002"


def test_a_letterhead_over_the_form_never_feeds_the_contact_phone(cfg):
    prop = extract(doc(LETTERHEAD, *FORM, *CONTACT))
    assert prop.contact.phone == "0166-12-3456"
    prop = extract(doc(FORM[0], LETTERHEAD, *FORM[1:], *CONTACT))  # inside the region, above the header
    assert prop.contact.phone == "0166-12-3456" and _codes(prop, cfg) == ([], [])


def test_a_switchboard_number_outside_the_contact_block_is_a_review_item(cfg):
    contact = [c for c in CONTACT if not c.startswith("電話")]
    prop = extract(doc(FORM[0], LETTERHEAD, *FORM[1:], *contact))
    errors, review = _codes(prop, cfg)
    assert ("review_outside_contact", "contact.phone") in review
    assert "contact.phone" not in str(errors)


# ---------------------------------------------------------------- 別紙

@pytest.mark.parametrize("reference", ["別紙のとおり", "別添のとおり", "別紙参照", "（別紙１のとおり）", "別紙1に記載"])
def test_an_entry_saying_see_the_attachment_takes_its_text_for_review(reference, cfg):
    texts = ("協定締結の目的", "市民の健康増進を進めるため。", "連携により期待される効果", reference)
    prop = extract(doc(*FORM[:-4], *texts, *CONTACT, "別紙１", "連携により期待される効果",
                       "・健診受診率の向上", "・相談の機会の拡充"))
    assert prop.expected_effects == "・健診受診率の向上\n・相談の機会の拡充"
    assert prop.purpose == "市民の健康増進を進めるため。"
    errors, review = _codes(prop, cfg)
    assert errors == [] and review == [("review_attachment", "expected_effects")]


def test_the_numbered_attachment_is_the_one_referred_to(cfg):
    texts = ("協定締結の目的", "別紙２のとおり", "連携により期待される効果", "別紙１のとおり")
    prop = extract(doc(*FORM[:-4], *texts, *CONTACT, "別紙１", "効果その一。", "別紙２", "目的その二。"))
    assert (prop.purpose, prop.expected_effects) == ("目的その二。", "効果その一。")


def test_an_attachment_in_a_table_under_its_own_heading(cfg):
    texts = ("協定締結の目的", "目的。", "連携により期待される効果", "別紙のとおり")
    prop = extract(doc(*FORM[:-4], *texts, *CONTACT, "別紙　連携により期待される効果",
                       cell("項目", 0, 0), cell("効果", 0, 1), cell("防災", 1, 0), cell("備蓄の充実", 1, 1)))
    assert prop.expected_effects is not None and "備蓄の充実" in prop.expected_effects


def test_a_missing_attachment_is_a_review_item_never_the_literal_text_accepted(cfg):
    texts = ("協定締結の目的", "目的。", "連携により期待される効果", "別紙のとおり")
    prop = extract(doc(*FORM[:-4], *texts, *CONTACT))
    assert prop.expected_effects == "別紙のとおり"
    assert ("review_attachment_missing", "expected_effects") in _codes(prop, cfg)[1]


# ---------------------------------------------------------------- real files

def _cover_docx(path):
    body = "".join(p(x) for x in COVER) + p(PAGE_BREAK)
    body += p(LETTERHEAD) + "".join(p(x) for x in FORM[:-2]) + p("連携により期待される効果") + p("別紙のとおり")
    body += "".join(p(x) for x in CONTACT if not x.startswith("メール")) + p("メールアドレス：")
    body += p(PAGE_BREAK) + p("別紙") + p("連携により期待される効果") + p("健診受診率の向上。")
    return make_docx(body, path)


def test_a_docx_with_cover_letter_letterhead_and_attachment(tmp_path, cfg):
    prop = read_proposal(_cover_docx(tmp_path / "cover.docx"))
    assert (prop.contact.phone, prop.contact.email) == ("0166-12-3456", None)
    assert prop.expected_effects == "健診受診率の向上。"
    errors, review = _codes(prop, cfg)
    assert ("review_cover_letter", "contact.email") in review and ("review_attachment", "expected_effects") in review


@pytest.mark.libreoffice
def test_the_same_submission_as_pdf(tmp_path, cfg):
    pdf = docx_to(_cover_docx(tmp_path / "cover.docx"), "pdf", tmp_path / "pdf")
    prop = read_proposal(pdf)
    assert (prop.contact.phone, prop.contact.email) == ("0166-12-3456", None)
    assert prop.expected_effects == "健診受診率の向上。"


def test_a_cell_pointing_at_the_attachment_inside_the_form_does_not_end_the_form(cfg):
    """「別紙１」 alone in the effects cell points at the attachment; the contact block after it is still the form's."""
    rows = [cell("協定締結の目的", 0, 0), cell("目的。", 0, 1), cell("連携により期待される効果", 1, 0), cell("別紙１", 1, 1),
            cell("部署名", 2, 0), cell("地域連携部", 2, 1), cell("担当者氏名", 3, 0), cell("連絡　太郎", 3, 1),
            cell("電話番号", 4, 0), cell("0166-12-3456", 4, 1), cell("メールアドレス", 5, 0), cell("renraku@example.co.jp", 5, 1)]
    prop = extract(doc(*FORM[:-4], *rows, "別紙１", "連携により期待される効果", "備蓄の充実。"))
    assert prop.contact.email == "renraku@example.co.jp" and prop.contact.department == "地域連携部"
    assert prop.expected_effects == "備蓄の充実。"
    assert _codes(prop, cfg) == ([], [("review_attachment", "expected_effects")])


def test_the_cover_letters_addressee_never_starts_a_form_without_its_own(cfg):
    """A short cover letter addressed to the mayor, then Form 1 with no 「様式１」 and no addressee of its own:
    the letter's 「以上」 ends it, and the sender's phone is not the contact's."""
    letter = ("旭川市長　様", "株式会社テスト商事　送付　一郎", "TEL 011-222-3333", "送付状", "記", "提案書　１部", "以上")
    contact = [c for c in CONTACT if not c.startswith("電話")]
    prop = extract(doc(*letter, *HEADER[2:], "連携協定に関する提案書", *CHOICES, *TEXTS, *contact))
    assert prop.contact.phone is None
    assert ("review_cover_letter", "contact.phone") in _codes(prop, cfg)[1]
