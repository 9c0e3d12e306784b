"""OCR text set right after Tesseract (issue 16): the readings at three sizes vote, the city's words are known.

Fast: no Tesseract runs here.  The strings are what Tesseract made of the
bench's scans and photos (bench/RESULTS.md, "OCR (issue 16)"); the words
snapped to come from the configuration, so a city other than Asahikawa gets
its own name set right and Asahikawa's left alone.
"""

from __future__ import annotations

from kyotei_docs.config import config_from
from kyotei_docs.form import Block, FormDoc, Line, Text
from kyotei_docs.readers.ocr import Scored, _characters, _vote
from kyotei_docs.readers.ocrwords import correct, snap_words

SHIPPED = list(config_from({}).ocr_words())


def _reading(text: str, conf: float, confs: list[float] | None = None) -> tuple[list[Scored], float]:
    """A line's reading at one size: its characters, each at ``conf`` unless ``confs`` says otherwise."""
    confs = confs or [conf] * len(text)
    return [(ch, 10 * k, 0, 10 * k + 10, 40, 40, c) for k, (ch, c) in enumerate(zip(text, confs))], conf


def _text(found: list[Scored]) -> str:
    return "".join(c[0] for c in found)


def test_the_readings_at_three_sizes_vote_by_their_summed_confidence():
    # 「災害」 read as 「炎害」 at the scanned size, right at the two others (sample 15's scan)
    assert _text(_vote([_reading("炎害対策", 91), _reading("災害対策", 69), _reading("災害対策", 66)])) == "災害対策"
    # one confident reading loses to two that agree; a tie keeps the first (the scanned size)
    assert _text(_vote([_reading("炎害対策", 85), _reading("災害対策", 59), _reading("炎害対策", 80)])) == "炎害対策"
    assert _text(_vote([_reading("部署名", 70), _reading("部著名", 70)])) == "部署名"
    # a 「有」 alone in its cell, dropped at two sizes and read at the third, is not lost
    assert _text(_vote([_reading("", 0), _reading("有", 93), _reading("", 0)])) == "有"
    assert _text(_vote([_reading("", 0), _reading("", 0), _reading("", 0)])) == ""


def test_where_the_readings_differ_in_one_character_each_character_is_voted_by_its_own_confidence():
    """Sample 09's scan: the line of 「吾」 won (83.6 against 74.7 and 77.2), though Tesseract gave its 「吾」 a 0,
    as it did the 「怠」 of another size, while the third size read 「台」 at 82."""
    readings = [_reading("ゆきどけ怠3条", 74.7, [93, 93, 93, 93, 0, 0, 70]),
                _reading("ゆきどけ吾3条", 83.6, [96, 96, 93, 93, 0, 89, 88]),
                _reading("ゆきどけ台3条", 77.2, [95, 95, 93, 93, 82, 92, 87])]
    assert _text(_vote(readings)) == "ゆきどけ台3条"
    # a character only a little surer, or read so at more sizes, does not replace the winning line's (sample 42's
    # date: 「20日」 at 23, 「20昌」 at 34 and 18; its e-mail: 「yo@」 at 79, 「Yo@」 at 77 and 28)
    readings = [_reading("信和5月20昌", 71.4, [43, 43, 74, 97, 91, 91, 34]),
                _reading("令和5月20昌", 77.4, [17, 93, 96, 97, 92, 92, 18]),
                _reading("令和5月20日", 82.3, [77, 91, 94, 97, 93, 93, 23])]
    assert _text(_vote(readings)) == "令和5月20日"
    assert _text(_vote([_reading("yo@web", 79), _reading("Yo@web", 77), _reading("YO@wWeb", 28)])) == "yo@web"
    # a character two sizes agree on stands, however unsure Tesseract was of it (sample 12's 「嶺」, a rare kanji, at 0)
    readings = [_reading("北嶺防災", 88, [93, 0, 92, 92]), _reading("北嶺防災", 86, [89, 0, 84, 84]),
                _reading("北領防災", 91, [93, 79, 74, 74])]
    assert _text(_vote(readings)) == "北嶺防災"


def _at(text: str, start: int, conf: float) -> tuple[list[Scored], float]:
    """A reading whose characters stand 40 px apart from ``start``."""
    return [(ch, start + 40 * k, 0, start + 40 * k + 40, 40, 40, conf) for k, ch in enumerate(text)], conf


def test_a_small_mark_one_size_read_where_the_winning_line_read_nothing_is_kept():
    """Sample 18's photo and sample 14's scan: the bullet 「・」 of an effects list was dropped at two sizes
    (punctuation under 50 is dropped as dirt) and read at 93 at the third, clear of the next character;
    sample 06's scan: read at 77 where the winning line was surer (84) of its own characters."""
    assert _text(_vote([_at("・運動習慣", 10, 93), _at("運動習慣", 50, 82), _at("運動習慣", 50, 86)])) == "・運動習慣"
    assert _text(_vote([_at("資源ごみ", 50, 84), _at("・資源ごみ", 10, 77), _at("資源ごみ", 50, 76)])) == "・資源ごみ"
    # where the winning line read a character, what another size adds there is not taken (「こごみ」 for 「ごみ」) …
    assert _text(_vote([_at("ごみの", 10, 95), _at("こごみの", 0, 96), _at("ごみの", 10, 92)])) == "ごみの"
    # … nor what Tesseract was less sure of than of writing (dirt: a speck read as a letter)
    assert _text(_vote([_at("ハ運動習慣", 10, 30), _at("運動習慣", 50, 82), _at("運動習慣", 50, 86)])) == "運動習慣"


def _tsv(*words: tuple[int, int, float, str]) -> str:
    """Tesseract's TSV of one line 41 px high (sample 01's at 300 dpi): words (left, width, confidence, text)."""
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [header, "4\t1\t1\t1\t1\t0\t10\t10\t900\t41\t-1\t"]
    rows += [f"5\t1\t1\t1\t1\t{k}\t{left}\t10\t{width}\t40\t{conf}\t{text}"
             for k, (left, width, conf, text) in enumerate(words, 1)]
    return "\n".join(rows)


def test_a_kana_read_twice_from_one_glyph_is_read_once():
    """Sample 01's scan: 「ななかまど町」 read 「ななかまどと町」 at every size — 「ど」 and then 「と」 (58) starting half a
    character after it, on the same glyph."""
    line = _tsv((551, 27, 96, "な"), (577, 31, 96, "な"), (607, 37, 93, "か"), (643, 31, 93, "ま"), (673, 17, 85, "ど"),
                (689, 25, 58, "と"), (729, 29, 97, "町"), (771, 21, 97, "3"))
    assert "".join(c[0] for c in _characters(line, 1)) == "ななかまど町3"
    # the same letters side by side are two characters, their boxes touching or not: 「ただ」, 「ほぼ」, 「なな」
    line = _tsv((10, 30, 90, "た"), (45, 30, 60, "だ"), (80, 30, 92, "し"), (115, 30, 70, "ほ"), (150, 30, 95, "ぼ"),
                (554, 26, 96, "な"), (579, 35, 91, "な"))
    assert "".join(c[0] for c in _characters(line, 1)) == "ただしほぼなな"


def test_a_near_miss_of_the_citys_own_words_is_set_right_and_other_words_are_left():
    assert {"旭川市", "旭川市長", "北海道"} <= set(SHIPPED)  # the city, the mayor's title, [reading] ocr_words
    vocabulary = sorted(SHIPPED, key=len, reverse=True)
    assert correct("北海道加川市しらかば通1丁目1番1号", vocabulary) == "北海道旭川市しらかば通1丁目1番1号"
    assert correct("加川市長様", vocabulary) == "旭川市長様"
    # the last character says what the word is: these are other words, never misreadings
    for other in ("旭川の観光資源を活かした", "旭川駅前", "旭川支店", "旭川市旭川市", "北海道1川市"):
        assert correct(other, vocabulary) == other


def test_the_words_come_from_the_configuration():
    sapporo = sorted(config_from({"municipality": {"name": "札幌市", "mayor_title": "札幌市長"},
                                  "reading": {"ocr_words": ["北海道", "中央区"]}}).ocr_words(), key=len, reverse=True)
    assert correct("北海道礼幌市中犬区北1条西2丁目", sapporo) == "北海道札幌市中央区北1条西2丁目"
    assert correct("北海道加川市", sapporo) == "北海道加川市"  # not Sapporo's word: left as read


def test_the_chome_of_an_address_and_the_domain_of_an_e_mail_as_tesseract_reads_them():
    for read, right in (("ひだまり5条2」 日1番1号", "ひだまり5条2丁目1番1号"), ("ぽぷら台1条2」FH3番4号", "ぽぷら台1条2丁目3番4号"),
                        ("ゆきどけ台3条4]目5番6号", "ゆきどけ台3条4丁目5番6号"), ("2日3番", "2日3番"),
                        ("令和8年]1月20日", "令和8年11月20日"), ("令和8年1月2|日", "令和8年1月2|日"),
                        ("y.minami@example.coJp", "y.minami@example.co.jp"),
                        ("asakura@example.coJjp", "asakura@example.co.jp"),
                        ("kawaguchi@example.co.Jjp", "kawaguchi@example.co.jp"), ("a@cojp.example.com", "a@cojp.example.com")):
        assert correct(read, []) == right


def test_the_corrections_reach_every_text_piece_of_an_ocr_document():
    doc = FormDoc("scan.jpg", "image", [Block([Line([Text("所在地：北海道加川市宮前1条3」目5番", "pdf:ocr")])], "pdf:ocr")],
                  warnings=["ocr_used"])
    snap_words(doc, SHIPPED)
    assert doc.text == "所在地：北海道旭川市宮前1条3丁目5番"


def test_the_sides_of_a_frame_round_a_value_are_not_read_as_bars():
    """A web form's rounded field (sample 42): its sides are too short for rules and came out as 「|」."""
    from kyotei_docs.readers.ocr import _characters

    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [header, "4\t1\t1\t1\t1\t0\t10\t10\t900\t40\t-1\t",
            "5\t1\t1\t1\t1\t1\t10\t10\t400\t40\t91\t|北海道旭川市宮前1条3丁目",
            "5\t1\t1\t1\t1\t2\t880\t10\t20\t40\t93\t|"]
    assert "".join(c[0] for c in _characters("\n".join(rows), 1)) == "北海道旭川市宮前1条3丁目"


def _ocr_form(*lines: str) -> FormDoc:
    from formdoc import HEADER, doc, para

    d = doc(*[para(t, "pdf:ocr") for t in (*HEADER, *lines)])
    d.warnings.append("ocr_used")
    return d


CONTACT_ENTRIES = ("ア 部署名:地域健康推進部", "イ 担当者氏名:朝倉 理沙", "ウ 電話番号:0166-25-6012",
                   "エ メールアドレス:asakura@example.co.jp")


def test_a_numbered_heading_misread_by_one_character_ends_the_value_before_it():
    """Sample 18's scan: 「第6 連絡先」 read as 「第6 連給先」 ran into the effects as their last line."""
    from kyotei_docs.extract import extract

    p = extract(_ocr_form("第4 協定締結の目的", "市民の運動習慣の定着を進めるため。", "第5 連携により期待される効果",
                          "・運動習慣のある市民の増加", "第6 連給先", *CONTACT_ENTRIES))
    assert p.expected_effects == "・運動習慣のある市民の増加"
    assert p.contact.department == "地域健康推進部" and p.contact.email == "asakura@example.co.jp"


def test_a_value_line_one_character_off_a_label_stays_a_value():
    """Only a line numbered as the form numbers its headings: a bullet, or a number on a form whose headings
    are numbered otherwise, starts a value's line (「・連絡会」 and 「(1) 連絡会」 are one character off 「連絡先」)."""
    from kyotei_docs.extract import extract

    for effect in ("・連絡会", "(1) 連絡会"):
        p = extract(_ocr_form("第4 協定締結の目的", "市民の運動習慣の定着を進めるため。", "第5 連携により期待される効果",
                              "・運動習慣のある市民の増加", effect, "第6 連絡先", *CONTACT_ENTRIES))
        assert p.expected_effects == f"・運動習慣のある市民の増加\n{effect}"
