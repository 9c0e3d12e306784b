"""The words of Form 1: canonical field names, options and labels, and how to match them.

Applicants letter-space labels (「所 在 地」), mix full- and half-width forms and
write 「福祉、医療、健康」 for 「福祉・医療・健康」.  Matching is therefore done on a
*key*: NFKC, without whitespace, separators or circled numbers.  Keys are only
for matching; values always keep the applicant's own characters.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # re's own engine: compiled patterns kept (compile_kept)
import re
import unicodedata
from functools import lru_cache
from typing import Any, cast

FIELDS: tuple[str, ...] = (
    "災害対策", "環境", "土木建設維持管理", "福祉・医療・健康", "教育・文化・スポーツ",
    "産業・商業", "地域活性化・まちづくり", "人材育成", "安全・交通", "観光・魅力発信", "子育て",
)
OTHER = "その他"
ALL_FIELDS: tuple[str, ...] = FIELDS + (OTHER,)

AGREEMENT_TYPES = {"individual": "個別連携協定", "comprehensive": "包括連携協定"}


class _PatternOnUse:
    """A regular expression compiled the first time it is used (see :func:`pattern`)."""

    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags = source, flags

    def __getattr__(self, name: str) -> Any:
        # only reached while the name is not yet an attribute: compile once, then keep the pattern's
        # methods and attributes on the instance so that later calls never come here
        if name.startswith("_"):  # copy/pickle probing a half-made instance, never the pattern's API
            raise AttributeError(name)
        compiled = compile_kept(self._source, self._flags)
        self.__dict__.update({n: getattr(compiled, n) for n in _PATTERN_ATTRS})
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"pattern({self._source!r}, {self._flags!r})"


_PATTERN_ATTRS = ("search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer",
                  "pattern", "flags", "groups", "groupindex")


def pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, done when the pattern is first used rather than at import.

    Form 1's patterns (long alternations, ranges of kanji that the compiler expands one
    character at a time) took about 20 ms of every ``kyotei`` start when the modules
    that hold them compiled them all at import, though one file uses only some of them
    (issue 20). Use it for a module-level pattern; the result behaves as the compiled
    pattern in every method and attribute (``search`` … ``pattern``), but it is not an
    ``re.Pattern`` to ``isinstance`` or ``re.compile``.
    """
    return cast("re.Pattern[str]", _PatternOnUse(source, flags))


# ----------------------------------------------------------------------------- compiled patterns kept

#: ``(source, flags)`` -> what :func:`re.compile` hands ``_sre.compile`` for it (None: not read yet)
_kept: dict[tuple[str, int], tuple[Any, ...]] | None = None
#: the entries compiled in this process, written beside the bytecode when it ends
_new: dict[tuple[str, int], tuple[Any, ...]] = {}
#: an older file keeps patterns no run uses any more; past this many it is started afresh
_KEPT_MAX = 2000


def compile_kept(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, the compiled form kept from an earlier run where there is one.

    Why: ``re`` parses a pattern and builds its code in Python, character by character; the
    ~85 patterns a ``kyotei check`` uses cost ~15 ms of every start that way (issue 20). The
    code ``re`` builds depends only on the pattern, its flags and the Python, so it is kept
    as Python keeps bytecode (:mod:`kyotei_docs.kept`, in a file named for ``_sre``'s code
    version too), looked up by the pattern's own text and flags. ``_sre`` checks every code
    it is given (an unusable one raises), and any failure here compiles the pattern afresh:
    the result is always the pattern ``re.compile`` makes.
    """
    flags = int(flags)
    if flags & re.DEBUG:
        return re.compile(source, flags)
    try:
        kept = _kept_codes().get((source, flags))
        if kept is not None:
            try:
                return cast("re.Pattern[str]", _sre.compile(source, *kept))
            except Exception:  # noqa: BLE001 - damaged (``_sre`` refuses it): made afresh below and kept anew
                pass
        # re._compiler.compile, keeping what it hands _sre.compile
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(source, flags)
        code = _compiler._code(parsed, flags)
        names = [None] * parsed.state.groups
        for name, index in parsed.state.groupdict.items():
            names[index] = name
        made = (int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1,
                dict(parsed.state.groupdict), tuple(names))
        compiled = _sre.compile(source, *made)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - another Python's internals: compile as re does
        return re.compile(source, flags)
    if not _new:
        import atexit

        atexit.register(_keep)
    _new[(source, flags)] = made
    return cast("re.Pattern[str]", compiled)


def _kept_name() -> str:
    """The kept file's name: the code depends on ``_sre``'s code version too (kept.py names the Python)."""
    return f"patterns-{_sre.MAGIC}"


def _kept_codes() -> dict[tuple[str, int], tuple[Any, ...]]:
    global _kept
    if _kept is None:
        from . import kept

        _kept = kept.read_table(_kept_name())
    return _kept


def _keep() -> None:
    """At exit: the patterns this run compiled afresh join those kept (where Python writes bytecode)."""
    if not _new:
        return
    from . import kept

    kept.add_to_table(_kept_name(), _kept_codes(), _new, _KEPT_MAX)


_DROP = pattern(r"[\s\u3000・･、，,.．。\-‐－―ー_＿/／]+")
def key(text: str) -> str:
    """The matching key of ``text`` (never shown to anyone).

    Latin letters are case-folded: applicants write 「E-mail」, 「e-mail」, 「E-Mail」, 「ＴＥＬ」, 「Tel」.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    return _DROP.sub("", text)


@lru_cache(maxsize=4096)
def char_key(ch: str) -> str:
    """The key of one character ('' for characters the key drops)."""
    return key(ch)


FIELD_KEYS: dict[str, str] = {key(name): name for name in ALL_FIELDS}

# Options a checkbox can stand for, by group.  Keys are matched as prefixes of the
# text that follows (or precedes) a box, longest first.
OPTION_GROUPS: dict[str, dict[str, str]] = {
    "type": {key(v): k for k, v in AGREEMENT_TYPES.items()} | {key("個別"): "individual",
                                                              key("包括"): "comprehensive"},
    "field": dict(FIELD_KEYS),
    "axis": {key("有"): "yes", key("無"): "no", key("あり"): "yes", key("なし"): "no"},
}

# Labels: id -> synonyms.  The longest synonym that starts a line wins, so
# 「主軸分野の有無」 is never read as 「主軸分野」.
LABELS: dict[str, tuple[str, ...]] = {
    "submitted_on": ("提出日", "提案日", "申込日", "記入日", "日付"),
    "organization.address": ("所在地", "住所", "本社所在地", "企業等所在地", "企業等の所在地", "本店所在地",
                             "住所又は所在地", "住所または所在地", "所在地又は住所", "主たる事務所の所在地"),
    # 「提案者　住所　…」: a heading before the applicant's own entries, no value of its own
    "applicant": ("提案者", "申請者", "提出者", "申込者"),
    "organization.name": ("企業等名称", "企業等の名称", "企業等名", "企業名称", "企業名", "会社名称", "会社名",
                          "法人名称", "法人名", "団体名称", "団体名", "事業者名称", "事業者名", "名称", "商号",
                          "商号又は名称", "商号または名称", "名称又は商号", "法人等の名称", "法人等名称",
                          "氏名又は名称", "氏名または名称", "名称又は氏名", "提案者名", "提案者の名称", "申請者名"),
    "organization.representative": ("代表者氏名", "代表者職氏名", "代表者の職氏名", "代表者役職氏名",
                                    "代表者の役職及び氏名", "代表者の氏名", "代表者職名氏名", "代表者名", "代表者"),
    # one entry for both, as official forms ask (「氏名（法人にあっては名称及び代表者の氏名）」): split by
    # :func:`kyotei_docs.extract.header.apply_name_and_representative`
    "organization.name_representative": ("氏名（法人にあっては名称及び代表者の氏名）", "氏名（法人の場合は名称及び代表者の氏名）",
                                         "名称及び代表者氏名", "名称及び代表者の氏名", "名称及び代表者名",
                                         "名称及び代表者職氏名", "商号又は名称及び代表者氏名", "商号及び代表者氏名",
                                         "法人名及び代表者名", "法人名及び代表者氏名", "団体名及び代表者名",
                                         "団体名及び代表者氏名", "企業等名称及び代表者氏名", "氏名又は名称及び代表者氏名",
                                         "名称・代表者氏名", "法人名・代表者名", "会社名・代表者名"),
    # a representative's title on a row of its own (「代表者役職」 then 「代表者氏名」): put before the name
    "organization.representative_title": ("代表者役職", "代表者の役職", "代表者職名", "代表者職", "代表者役職名",
                                          "代表者肩書", "代表者肩書き", "代表者の肩書", "代表者の肩書き"),
    "type": ("連携協定の種別", "協定の種別", "種別"),
    "fields": ("連携の分野", "連携分野", "分野", "連携する分野", "連携を希望する分野", "連携したい分野", "提案する分野",
               "連携を行う分野"),
    "axis.choice": ("主軸分野の有無",),
    "axis.text": ("主軸分野", "主軸となる分野"),
    "purpose": ("協定締結の目的", "連携協定締結の目的", "締結の目的", "協定の目的", "連携協定の目的", "連携の目的",
                "提案の目的", "提案目的"),
    "expected_effects": ("連携により期待される効果", "期待される効果", "期待する効果", "連携による効果", "連携の効果",
                         "想定される効果", "期待効果"),
    "contact": ("連絡先", "担当者連絡先", "担当窓口", "ご連絡先"),
    "contact.department": ("部署名", "担当部署名", "担当部署", "所属部署名", "所属部署", "所属", "部署", "担当課", "担当部課",
                           "担当部局", "所属課"),
    "contact.name": ("担当者氏名", "担当者の氏名", "担当者名", "担当者", "担当", "ご担当者氏名", "ご担当者名",
                     "ご担当者", "御担当者", "ご担当", "御担当", "担当者様", "担当者様のお名前",
                     "担当者のお名前", "連絡担当者", "連絡担当者氏名", "連絡担当者名", "連絡者", "連絡者氏名", "連絡者名"),
    # 「TEL／FAX：0166-23-4567／0166-23-4568」 holds the phone (both numbers kept, as written)
    # one entry for both (「担当部署・氏名：工務部　末広　一」): split by :func:`split_department_name`
    "contact.department_name": ("担当部署・氏名", "部署名・氏名", "所属・氏名", "所属部署・氏名", "担当部署及び氏名",
                                "所属及び氏名", "部署・担当者名", "部署名・担当者名", "担当部署・担当者名",
                                "担当課・担当者名", "所属・担当者名", "所属・担当者氏名", "部署名・担当者氏名"),
    "contact.phone": ("電話番号", "電話", "TEL", "連絡先電話番号", "TEL/FAX", "TEL・FAX", "電話/FAX", "電話・FAX",
                      "電話番号/FAX", "電話番号・FAX番号", "電話・ファクス"),
    "contact.email": ("メールアドレス", "電子メールアドレス", "Eメールアドレス", "E-mail", "Eメール", "Mail",
                      "メール"),
    # 「氏名」 alone: the contact's name inside the contact block, nobody's elsewhere (see CONTACT_BLOCK)
    "person": ("氏名", "お名前"),
    # entries some companies add; never extracted, but they end the value before them
    "other": ("FAX", "ファクス", "ファックス", "ファクシミリ", "携帯電話", "携帯", "URL", "ホームページ",
              "資本金", "設立年月日", "設立", "従業員数", "事業内容", "業種", "備考", "役職", "役職名", "職名", "肩書", "肩書き"),
}

#: English headings (a foreign company's own form, a bilingual one: 「Representative:」, 「Company name」): the same
#: entries in other words.  Each names one entry and nothing else (no bare 「Name」 or 「Title」 outside
#: 「person」); a heading of Latin words is taken only before a colon, a tab, a wide blank, the line's end or
#: a value that is not another word (:func:`kyotei_docs.extract.lines._match_label`), so a sentence of English
#: text that starts with the same word (「Contact us …」, 「Purpose of this…」 in a purpose) stays text.
ENGLISH_LABELS: dict[str, tuple[str, ...]] = {
    "submitted_on": ("Date", "Date of submission", "Submission date", "Date submitted"),
    "organization.address": ("Address", "Company address", "Head office address", "Business address",
                             "Registered address", "Address of head office"),
    "organization.name": ("Company name", "Company", "Name of company", "Corporate name", "Organization name",
                          "Organisation name", "Name of organization", "Name of organisation"),
    "applicant": ("Applicant",),
    "organization.representative": ("Representative", "Representative name", "Name of representative",
                                    "Representative's name", "Company representative"),
    "organization.representative_title": ("Representative title", "Title of representative",
                                          "Representative's title", "Representative position"),
    "type": ("Type of agreement", "Agreement type", "Type of partnership agreement"),
    "fields": ("Fields of partnership", "Partnership fields", "Fields of cooperation", "Fields", "Field"),
    "axis.choice": ("Main field yes/no",),
    "axis.text": ("Main field",),
    "purpose": ("Purpose", "Purpose of the agreement", "Purpose of agreement", "Purpose of the partnership",
                "Objective", "Objectives"),
    "expected_effects": ("Expected effects", "Expected effect", "Expected outcomes", "Expected outcome",
                         "Expected results", "Expected benefits", "Effects"),
    "contact": ("Contact", "Contact information", "Contact details", "Contact info"),
    "contact.department": ("Department", "Dept", "Division", "Department name"),
    "contact.name": ("Contact person", "Person in charge", "Contact name", "Name of contact person",
                     "Contact person name", "Person in charge name"),
    "contact.phone": ("Phone", "Telephone", "Phone number", "Telephone number", "Tel No", "Phone No"),
    "contact.email": ("Email", "E-mail address", "Email address", "Mail address"),
    "person": ("Name", "Full name"),
    "other": ("Fax number", "Mobile", "Mobile phone", "Cell phone", "Website", "Homepage", "Capital",
              "Established", "Employees", "Number of employees", "Business", "Remarks", "Title", "Position"),
}
#: the keys of English headings no other synonym has (「E-mail」, 「TEL」 were read before them, as they were)
ENGLISH_KEYS = frozenset(key(w) for words in ENGLISH_LABELS.values() for w in words) - frozenset(
    key(s) for syns in LABELS.values() for s in syns)
for _path, _words in ENGLISH_LABELS.items():
    LABELS[_path] += tuple(w for w in _words if w not in LABELS[_path])

#: 「提案者の所在地」, 「申請者名称」: the applicant's own entries named with the applicant's heading word before them
#: (else 「提案者」 alone heads the line, and the entry is left to the shape of the text)
for _path in ("organization.address", "organization.name", "organization.representative"):
    LABELS[_path] += tuple(f"{who}{no}{s}" for who in LABELS["applicant"] for no in ("の", "")
                           for s in ("所在地", "住所", "名称", "代表者氏名", "代表者職氏名", "代表者名")
                           if s in LABELS[_path] and f"{who}{no}{s}" not in LABELS[_path])

#: Labels made of two others joined (「担当部署・氏名」): matched only when written without a blank between,
#: else they are the two labels side by side (「部署名　　担当者氏名」).
JOINED_LABELS = frozenset({"contact.department_name", "organization.name_representative"})
_BLANK = pattern(r"[\s\u3000]")


def written_as_one(text: str) -> bool:
    """Whether a joined label's text has no blank inside (「担当部署・氏名」, not 「部署名　　担当者氏名」)."""
    return not _BLANK.search(text.strip(" \u3000\t"))


#: Labels whose value may run over several lines or paragraphs.
MULTILINE = frozenset({"purpose", "expected_effects"})
#: Labels that head a group of options or entries and hold no value of their own.
SECTION_LABELS = frozenset({"type", "fields", "axis.choice", "contact", "other", "person", "applicant"})
#: Labels of the contact block: a 「氏名」 right after one of them is the contact's name.
CONTACT_BLOCK = frozenset({"contact", "contact.department", "contact.name", "contact.department_name", "contact.phone",
                           "contact.email"})

# Lines that are part of the printed form, never an applicant's value.
BOILERPLATE = tuple(key(s) for s in (
    "連携協定に関する提案書", "連携協定に係る連携内容等について", "次のとおり提案します",
    "別紙企画書等の添付も可", "様式1", "様式第1号",
))

#: Words found in any Form 1 (its title, its options): a text without any of them is not Form 1.
FORM1_HINTS = tuple(key(s) for s in ("連携", "協定", "提案", "主軸分野")) + tuple(
    key(s) for label in ("type", "fields", "purpose", "expected_effects") for s in LABELS[label]
    if s not in ENGLISH_LABELS[label])  # 「purpose」 in any English text is no sign of Form 1


def may_be_form1(text: str) -> bool:
    """Could ``text`` (the first pages of a document) be Form 1?  Lenient: one hint is enough."""
    k = key(text)
    return any(h in k for h in FORM1_HINTS)


LABEL_KEYS: list[tuple[str, str]] = sorted(
    ((key(s), label) for label, syns in LABELS.items() for s in syns),
    key=lambda kv: -len(kv[0]),
)
#: first key character -> the label keys starting with it, longest first
LABELS_BY_INITIAL: dict[str, list[tuple[str, str]]] = {}
for _k, _label in LABEL_KEYS:
    LABELS_BY_INITIAL.setdefault(_k[0], []).append((_k, _label))
LONGEST_LABEL = max(len(k) for k, _ in LABEL_KEYS)
_FIELD_NUMBER = pattern(r"\(?(\d{1,2})\)?")
_FIELD_NUMBER_BEFORE = pattern(r"^\(?\d{1,2}\)?")
_FIELD_SUFFIX = pattern(r"(の)?(分野|関係|関連)$")
_FIELD_PARTS = pattern(r"[・･]")


def resolve_field(text: str | None) -> str | None:
    """The canonical field ``text`` clearly names, or None.

    「④福祉・医療・健康」, 「教育・文化・スポーツ分野」, 「スポーツ」, 「⑪」 and 「健康増進」
    (only one field speaks of 健康) resolve; 「環境教育」 does not (two fields).
    """
    if not text:
        return None
    k = key(text)  # NFKC turns ④ into 4 and ⑷ into (4)
    number = _FIELD_NUMBER.fullmatch(k)
    if number:
        n = int(number.group(1))
        return FIELDS[n - 1] if 1 <= n <= len(FIELDS) else None
    k = _FIELD_SUFFIX.sub("", _FIELD_NUMBER_BEFORE.sub("", k))
    if k in FIELD_KEYS:
        return FIELD_KEYS[k]
    # 「健康増進」 names a part of one field (健康) and of no other: clear enough;
    # 「環境教育」 touches two fields and is not.
    partial = {name for name in FIELDS for part in _FIELD_PARTS.split(name) if key(part) in k}
    return partial.pop() if len(partial) == 1 else None
#: the longest option name, as a key (how far back an option written before its mark may start)
LONGEST_OPTION = max(len(k) for options in OPTION_GROUPS.values() for k in options)
