"""Regenerate ``samples/*.docx``, ``samples/*.pdf`` and their expected reader output in ``samples/expected/``.

Each sample is one fictional company's Form 1, stored the way real submissions
store answers (typed glyphs, Wingdings symbols, legacy form fields, tracked
changes, text boxes, re-typed paragraphs...). The answers of a sample are one
:class:`Answers` record; the document is an *encoding* of that record and the
expected JSON is derived from the same record, so the two cannot drift apart.
What a checker must say (``*.check.json``) is written by hand per sample.

    .venv/bin/python scripts/make_samples.py          # write samples, open each with python-docx
    .venv/bin/python scripts/make_samples.py --pdf    # also convert each with LibreOffice
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import docx  # noqa: E402

from docxbuild import (  # noqa: E402
    NUMBERED,
    Xml,
    cell,
    dele,
    empty_vba_project,
    ffcheckbox,
    fftext,
    ins,
    make_docx,
    numbering_xml,
    p,
    reset_ids,
    run,
    sdt_checkbox,
    sdt_text,
    sdt_wrap,
    sym,
    table,
    textbox,
)
from kyotei_docs.blankform import fill_form  # noqa: E402
from kyotei_docs.contactvalues import normalise_email, normalise_phone  # noqa: E402
from kyotei_docs.vocab import ALL_FIELDS, FIELDS, OTHER  # noqa: E402

SAMPLES = ROOT / "samples"
EXPECTED = SAMPLES / "expected"
TEMPLATE = ROOT / "templates" / "form1_proposal.docx"


# ---------------------------------------------------------------------- answers


@dataclass(frozen=True)
class Answers:
    """What one applicant answered, values trimmed, as a correct reader reports them."""

    date_text: str
    submitted_on: str | None
    address: str | None
    name: str | None
    representative: str | None
    individual: bool
    comprehensive: bool
    fields: tuple[str, ...]
    purpose: str | None
    expected_effects: str | None
    department: str | None
    contact_name: str | None
    phone: str | None
    email: str | None
    other_field_text: str | None = None
    axis_yes: bool = False
    axis_no: bool = False
    axis_text: str | None = None

    def agreement_type(self) -> str | None:
        if self.individual == self.comprehensive:
            return None
        return "individual" if self.individual else "comprehensive"

    def axis_present(self) -> bool | None:
        return None if self.axis_yes == self.axis_no else self.axis_yes

    def expected(self, file: str, fmt: str = "docx") -> dict[str, object]:
        """The parser JSON contract for this sample."""
        return {
            "file": file,
            "format": fmt,
            "submitted_on": self.submitted_on,
            "organization": {
                "address": self.address,
                "name": self.name,
                "representative": self.representative,
            },
            "agreement_type": self.agreement_type(),
            "fields": sorted(self.fields, key=ALL_FIELDS.index),
            "other_field_text": self.other_field_text,
            "axis": {
                "present": self.axis_present(),
                "field": self.axis_text if self.axis_text in FIELDS else None,
                "text": self.axis_text,
            },
            "purpose": self.purpose,
            "expected_effects": self.expected_effects,
            "contact": {
                "department": self.department,
                "name": self.contact_name,
                # identifiers are read in half-width (kyotei_docs.contactvalues)
                "phone": normalise_phone(self.phone) if self.phone else None,
                "email": normalise_email(self.email) if self.email else None,
            },
        }

    def value(self, key: str) -> str | None:
        """A text answer by the blank form's tag name (``organization.name``...)."""
        return {
            "submitted_on": self.date_text,
            "organization.address": self.address,
            "organization.name": self.name,
            "organization.representative": self.representative,
            "other_field_text": self.other_field_text,
            "axis.text": self.axis_text,
            "purpose": self.purpose,
            "expected_effects": self.expected_effects,
            "contact.department": self.department,
            "contact.name": self.contact_name,
            "contact.phone": self.phone,
            "contact.email": self.email,
        }[key]


# ---------------------------------------------------------------------- layouts

_BLANK = "　" * 8
_GRID = (567, 1985, 6518)
_LABEL_W, _VALUE_W = _GRID[0] + _GRID[1], _GRID[2]

TYPE_LABEL = ("連携協定の種別", "該当に☑")
FIELDS_LABEL = ("連携の分野", "※包括連携協定を希望する場合，２つ以上選択すること")
AXIS_LABEL = (
    "主軸分野の有無",
    "※包括連携協定を希望する場合、主軸分野の有無を選択し，有の場合はその主軸分野を記入すること",
)
PURPOSE_LABEL = ("協定締結の目的",)
EFFECTS_LABEL = ("連携により", "期待される効果")
CONTACT = (
    ("部　署　名", "contact.department"),
    ("担当者氏名", "contact.name"),
    ("電 話 番 号", "contact.phone"),
    ("メールアドレス", "contact.email"),
)
HEADER = (
    ("所 在 地：", "organization.address"),
    ("企業等名称：", "organization.name"),
    ("代表者氏名：", "organization.representative"),
)


class Layout:
    """Form 1 as the guideline's Word file prints it, answers typed in with ☑/☐.

    A sample that stores answers differently overrides one method: ``mark`` for
    how a box is ticked, ``text`` for how a value is stored, ``rows`` or
    ``body`` for where things stand.
    """

    type_label = TYPE_LABEL
    fields_label = FIELDS_LABEL
    axis_label = AXIS_LABEL

    def __init__(self, a: Answers) -> None:
        self.a = a

    # -- encodings
    def mark(self, checked: bool, option: str) -> Xml:
        return run("☑" if checked else "☐")

    def text(self, key: str, value: str | None) -> list[Xml]:
        """Paragraph contents (one per line) holding ``value``; none for a blank."""
        return [run(line) for line in value.split("\n")] if value else []

    # -- pieces
    def option(self, checked: bool, name: str) -> list[Xml]:
        return [self.mark(checked, name), run(name)]

    def inline(self, key: str) -> Xml:
        """A single-line value inside running text, e.g. between the colon or parentheses."""
        parts = self.text(key, self.a.value(key))
        return parts[0] if parts else run(_BLANK)

    def paragraphs(self, key: str) -> list[Xml]:
        return [p(x) for x in self.text(key, self.a.value(key))]

    def type_options(self) -> list[Xml]:
        return [
            *self.option(self.a.individual, "個別連携協定"),
            run("　　"),
            *self.option(self.a.comprehensive, "包括連携協定"),
        ]

    def field_lines(self) -> list[list[Xml]]:
        lines: list[list[Xml]] = []
        for start in range(0, len(FIELDS), 3):
            line: list[Xml] = []
            for name in FIELDS[start : start + 3]:
                line += [*self.option(name in self.a.fields, name), run("　")]
            lines.append(line)
        other = self.option(OTHER in self.a.fields, OTHER)
        lines.append([*other, run("（"), self.inline("other_field_text"), run("）")])
        return lines

    def axis_lines(self) -> list[list[Xml]]:
        return [
            [*self.option(self.a.axis_yes, "有"), run("　主軸分野（"), self.inline("axis.text"), run("）")],
            [run("　　※協定の中心的位置づけとなる分野")],
            self.option(self.a.axis_no, "無"),
        ]

    def header(self) -> list[Xml]:
        lines = [p("（様式１）"), p(*self.text("submitted_on", self.a.date_text), jc="right"), p("旭川市長　様")]
        lines += [p(label, self.inline(key), ppr='<w:ind w:left="3400"/>') for label, key in HEADER]
        lines += [
            p(run("連携協定に関する提案書", rpr='<w:b/><w:sz w:val="28"/>'), jc="center"),
            p("連携協定に係る連携内容等について，次のとおり提案します。"),
            p("※別紙企画書等の添付も可。", jc="right"),
        ]
        return lines

    # -- table
    def label(self, lines: tuple[str, ...], span: int = 2) -> Xml:
        return cell(*lines, span=span, width=_LABEL_W)

    def value(self, paragraphs: list[Xml]) -> Xml:
        return cell(*paragraphs, width=_VALUE_W)

    def answer_rows(self) -> dict[str, list[Xml]]:
        """The rows above the contact block, by name, in the guideline's order."""
        return {
            "type": [self.label(self.type_label), self.value([p(*self.type_options())])],
            "fields": [self.label(self.fields_label), self.value([p(*x) for x in self.field_lines()])],
            "axis": [self.label(self.axis_label), self.value([p(*x) for x in self.axis_lines()])],
            "purpose": [self.label(PURPOSE_LABEL), self.value(self.paragraphs("purpose"))],
            "effects": [self.label(EFFECTS_LABEL), self.value(self.paragraphs("expected_effects"))],
        }

    def contact_rows(self) -> list[list[Xml]]:
        rows = []
        for i, (label, key) in enumerate(CONTACT):
            first = cell("連絡先" if i == 0 else "", vmerge="restart" if i == 0 else "continue", width=_GRID[0])
            rows.append([first, cell(label, width=_GRID[1]), self.value(self.paragraphs(key))])
        return rows

    def rows(self) -> list[list[Xml]]:
        return [*self.answer_rows().values(), *self.contact_rows()]

    def body(self) -> str:
        return "".join(self.header()) + table(self.rows(), widths=_GRID) + p()


class TypedGlyphs(Layout):
    """02: ☑ and □ typed as ordinary characters."""

    def mark(self, checked: bool, option: str) -> Xml:
        return run("☑" if checked else "□")


class WingdingsSymbols(Layout):
    """03: Insert ▸ Symbol from Wingdings: the glyph is a w:sym, not text."""

    def mark(self, checked: bool, option: str) -> Xml:
        return sym("Wingdings", "F0FE" if checked else "F0A8")


class LegacyFormFields(Layout):
    """04: Word 97-2003 form fields: FORMCHECKBOX for boxes, FORMTEXT for values.

    ``states`` gives some boxes only a w:default (never touched by the user) and
    one a default of checked that the user unticked (w:checked w:val="0").
    """

    states: dict[str, tuple[bool | None, bool]] = {
        "人材育成": (None, True),
        "安全・交通": (False, True),
    }

    def __init__(self, a: Answers) -> None:
        super().__init__(a)
        self._names = itertools.count(1)

    def mark(self, checked: bool, option: str) -> Xml:
        state, default = self.states.get(option, (True if checked else None, False))
        assert (default if state is None else state) == checked, option
        return ffcheckbox(state, default, name=f"Check{next(self._names)}")

    def text(self, key: str, value: str | None) -> list[Xml]:
        if key == "submitted_on" or not value:
            return super().text(key, value)
        return [fftext(value, name=f"Text{next(self._names)}")]


class TrackedChanges(Layout):
    """05: edited with Track Changes on, and sent without accepting them."""

    old_name = "有限会社こもれび学習塾"
    old_phone = "0166-55-7700"

    def mark(self, checked: bool, option: str) -> Xml:
        if option == "子育て":  # ticked by replacing ☐ with ☑
            assert checked
            return dele("☐", rev=11) + ins("☑", rev=12)
        return super().mark(checked, option)

    def text(self, key: str, value: str | None) -> list[Xml]:
        if key == "organization.name":
            return [dele(self.old_name, rev=1) + ins(value, rev=2)]
        if key == "contact.phone":
            return [dele(self.old_phone, rev=3) + ins(value, rev=4)]
        return super().text(key, value)


class Retyped(Layout):
    """06: no table: the applicant re-typed the form as paragraphs.

    Labels are letter-spaced, values follow a full-width colon (one with a
    leading space to trim), long answers sit on the lines after their label,
    and boxes are ■/□ typed before each option.
    """

    labels = {
        "organization.address": "所　在　地：",
        "organization.name": "企業等名称：　",
        "organization.representative": "代表者氏名：",
    }

    def mark(self, checked: bool, option: str) -> Xml:
        return run("■" if checked else "□")

    def body(self) -> str:
        a = self.a
        out = [p("（様式１）"), p(a.date_text, jc="right"), p("旭川市長　様")]
        out += [p(label + (a.value(key) or "")) for key, label in self.labels.items()]
        out += [
            p("連携協定に関する提案書", jc="center"),
            p("連携協定に係る連携内容等について，次のとおり提案します。"),
            p("連携協定の種別（該当に☑）"),
            p(*self.type_options()),
            p("連携の分野（※包括連携協定を希望する場合，２つ以上選択すること）"),
            *[p(*x) for x in self.field_lines()],
            p("主軸分野の有無"),
            p(*self.axis_lines()[0], run("　"), *self.axis_lines()[2]),
            p("協定締結の目的"),
            *self.paragraphs("purpose"),
            p("連携により期待される効果"),
            *self.paragraphs("expected_effects"),
            p("連絡先"),
            *[p("　" + label.replace(" ", "　") + "：" + (a.value(key) or "")) for label, key in CONTACT],
        ]
        return "".join(out)


class CrossedBoxes(Layout):
    """07: ☒ for a ticked box (a cross, still a tick)."""

    def mark(self, checked: bool, option: str) -> Xml:
        return run("☒" if checked else "☐")


class BlackSquares(Layout):
    """08: ■ for ticked, □ for empty."""

    def mark(self, checked: bool, option: str) -> Xml:
        return run("■" if checked else "□")


class Wingdings2Reordered(Layout):
    """09: Wingdings 2 symbols and Wingdings private-use text, rows in another order.

    Boxes for type/axis/その他 are w:sym in Wingdings 2 (0052 ☑, 00A3 ☐); the
    11 fields are U+F0FE / U+F0A8 typed as text in the Wingdings font. The
    contact block comes before the purpose; value cells span two grid columns.
    """

    grid = (567, 1985, 3259, 3259)

    def mark(self, checked: bool, option: str) -> Xml:
        if option in FIELDS:
            return run("\uf0fe" if checked else "\uf0a8", font="Wingdings")
        return sym("Wingdings 2", "0052" if checked else "00A3")

    def value(self, paragraphs: list[Xml]) -> Xml:
        return cell(*paragraphs, span=2, width=self.grid[2] + self.grid[3])

    def rows(self) -> list[list[Xml]]:
        upper = self.answer_rows()
        order = ("type", "fields", "axis")
        return [*(upper[k] for k in order), *self.contact_rows(), upper["purpose"], upper["effects"]]

    def body(self) -> str:
        return "".join(self.header()) + table(self.rows(), widths=self.grid) + p()


class TextBoxPurpose(Layout):
    """10: the purpose pasted as a text box (stored twice: DrawingML and VML)."""

    def mark(self, checked: bool, option: str) -> Xml:
        return run("✔" if checked else "☐")

    def text(self, key: str, value: str | None) -> list[Xml]:
        if key == "purpose" and value:
            return [textbox(value.split("\n"), width_mm=105, height_mm=25)]
        return super().text(key, value)


class ForeignContentControls(Layout):
    """11: another office's template: untagged content controls at every level.

    Check boxes are w14:checkbox without tags, header values inline text
    controls, the purpose a block-level control around its paragraphs, and each
    contact value a cell-level control wrapping the whole w:tc.
    """

    def mark(self, checked: bool, option: str) -> Xml:
        return sdt_checkbox(checked)

    def text(self, key: str, value: str | None) -> list[Xml]:
        if key.startswith(("organization.", "submitted_on")) and value:
            return [sdt_text(value)]
        return super().text(key, value)

    def paragraphs(self, key: str) -> list[Xml]:
        content = super().paragraphs(key)
        if key == "purpose":
            return [sdt_wrap("".join(content))]
        return content

    def contact_rows(self) -> list[list[Xml]]:
        rows = super().contact_rows()
        for row in rows:
            row[2] = sdt_wrap(row[2])
        return rows


class NumberedHeadings(Layout):
    """18: re-typed with numbered headings (「第１　」…), values on the indented lines below,
    contact entries 「ア　部署名：…」."""

    def mark(self, checked: bool, option: str) -> Xml:
        return run("☑" if checked else "☐")

    def body(self) -> str:
        a = self.a
        out = [p("（様式１）"), p(a.date_text, jc="right"), p("旭川市長　様")]
        out += [p(label + (a.value(key) or "")) for label, key in HEADER]
        out += [p("連携協定に関する提案書", jc="center"), p("連携協定に係る連携内容等について，次のとおり提案します。"),
                p("第１　連携協定の種別（該当に☑）"), p(run("　　"), *self.type_options()),
                p("第２　連携の分野（包括連携協定を希望する場合，２つ以上選択すること）"),
                *[p(run("　　"), *x) for x in self.field_lines()],
                p("第３　主軸分野の有無"), p(run("　　"), *self.axis_lines()[0]), p(run("　　"), *self.axis_lines()[2]),
                p("第４　協定締結の目的"), *[p("　　" + ln) for ln in (a.purpose or "").split("\n") if ln],
                p("第５　連携により期待される効果"),
                *[p("　　" + ln) for ln in (a.expected_effects or "").split("\n") if ln],
                p("第６　連絡先")]
        out += [p(f"　{kana}　{label.replace(' ', '').replace('　', '')}：{a.value(key) or ''}")
                for kana, (label, key) in zip("アイウエ", CONTACT, strict=True)]
        return "".join(out)


class WordNumbering(Layout):
    """19: headings numbered by Word (w:numPr: the 「１．」 is drawn, not typed), options and
    values in paragraphs indented under them, the contact entries 「（１）部署名：…」."""

    def mark(self, checked: bool, option: str) -> Xml:
        return sdt_checkbox(checked)

    def body(self) -> str:
        a = self.a
        ind = '<w:ind w:left="420"/>'

        def head(text: str) -> Xml:
            return p(text, ppr=NUMBERED)

        def under(*parts: Xml | str) -> Xml:
            return p(*parts, ppr=ind)

        out = [p("（様式１）"), p(a.date_text, jc="right"), p("旭川市長　様")]
        out += [p(label + (a.value(key) or "")) for label, key in HEADER]
        out += [p("連携協定に関する提案書", jc="center"), p("連携協定に係る連携内容等について，次のとおり提案します。"),
                head("連携協定の種別"), under(*self.type_options()),
                head("連携の分野"), *[under(*x) for x in self.field_lines()],
                head("主軸分野の有無"), under(*self.axis_lines()[0]), under(*self.axis_lines()[2]),
                head("協定締結の目的"), *[under(ln) for ln in (a.purpose or "").split("\n") if ln],
                head("連携により期待される効果"), *[under(ln) for ln in (a.expected_effects or "").split("\n") if ln],
                head("連絡先")]
        out += [under(f"（{n}）{label.replace(' ', '').replace('　', '')}：{a.value(key) or ''}")
                for n, (label, key) in zip("１２３４", CONTACT, strict=True)]
        return "".join(out)


class CircleBeforeChoice(Layout):
    """20: the form says 「該当するものに○を付けること」; ○ typed before the chosen options only."""

    type_label = ("連携協定の種別", "該当するものに○を付けること")
    fields_label = ("連携の分野", "該当するものに○を付けること（包括連携協定は２つ以上）")
    axis_label = ("主軸分野の有無", "該当するものに○を付け，有の場合は主軸分野を記入すること")

    def mark(self, checked: bool, option: str) -> Xml:
        return run("○" if checked else "")


class BracketCircles(Layout):
    """21: 「（○）」 against 「（　）」 before each option."""

    type_label = ("連携協定の種別", "該当する（　）に○")
    fields_label = ("連携の分野", "該当する（　）に○")
    axis_label = ("主軸分野の有無", "該当する（　）に○")

    def mark(self, checked: bool, option: str) -> Xml:
        return run("（○）" if checked else "（　）")


class CircleGridCells(Layout):
    """22 and 27: the options in a grid, ○ typed in the cell after the chosen option; the
    other options' cells stay empty.  The field label is merged down its rows."""

    grid = (1700, 1450, 450, 1450, 450, 1450, 450, 1700)

    def mark(self, checked: bool, option: str) -> Xml:
        return cell("○" if checked else "")

    def choice_rows(self) -> list[list[Xml]]:
        a = self.a
        blank = [cell(""), cell("")]
        rows = [[cell("連携協定の種別", "該当欄に○"), cell("個別連携協定"), self.mark(a.individual, ""),
                 cell("包括連携協定"), self.mark(a.comprehensive, ""), *blank, cell("")]]
        names = [*FIELDS, OTHER]
        for n, start in enumerate(range(0, len(names), 3)):
            first = cell("連携の分野", "該当欄に○", vmerge="restart") if n == 0 else cell("", vmerge="continue")
            row = [first]
            for name in names[start:start + 3]:
                label = f"{OTHER}（{self.a.other_field_text or '　　'}）" if name == OTHER else name
                row += [cell(label), self.mark(name in a.fields, name)]
            row += [cell(""), cell("")] * (3 - len(names[start:start + 3]))
            rows.append(row + [cell("")])
        rows.append([cell("主軸分野の有無", "該当欄に○"), cell("有"), self.mark(a.axis_yes, "有"), cell("無"),
                     self.mark(a.axis_no, "無"), cell("主軸分野"), cell(a.axis_text or ""), cell("")])
        return rows

    def body(self) -> str:
        a = self.a
        rows = self.choice_rows()
        texts = [[cell("協定締結の目的"), cell(*self.paragraphs("purpose"), span=7)],
                 [cell("連携により", "期待される効果"), cell(*self.paragraphs("expected_effects"), span=7)]]
        contact = [[cell("連絡先" if i == 0 else "", vmerge="restart" if i == 0 else "continue"), cell(label, span=2),
                    cell(*self.paragraphs(key), span=5)] for i, (label, key) in enumerate(CONTACT)]
        del a
        return "".join(self.header()) + table([*rows, *texts, *contact], widths=self.grid) + p()


class StruckOptions(Layout):
    """23 (and 24 as .rtf through LibreOffice): options not chosen struck through with a double
    line, as the form's 「不要なものを二重線で消すこと」 asks; no boxes."""

    type_label = ("連携協定の種別", "不要なものを二重線で消すこと")
    fields_label = ("連携の分野", "不要なものを二重線で消すこと")
    axis_label = ("主軸分野の有無", "不要なものを二重線で消すこと")
    strike = "<w:dstrike/>"

    def option(self, checked: bool, name: str) -> list[Xml]:
        return [run(name)] if checked else [run(name, rpr=self.strike)]

    def axis_lines(self) -> list[list[Xml]]:
        if self.a.axis_yes:
            yes = [run("有　主軸分野（"), self.inline("axis.text"), run("）")]
        else:
            yes = [run("有　主軸分野（" + _BLANK + "）", rpr=self.strike)]
        return [yes, [run("　　※協定の中心的位置づけとなる分野")], self.option(self.a.axis_no, "無")]


class DeletedOptions(Layout):
    """25: options not chosen deleted, as 「不要なものは削除すること」 asks: only the chosen remain."""

    type_label = ("連携協定の種別", "不要なものは削除すること")
    fields_label = ("連携の分野", "不要なものは削除すること")
    axis_label = ("主軸分野の有無", "不要なものは削除し，有の場合は主軸分野を記入すること")

    def option(self, checked: bool, name: str) -> list[Xml]:
        return [run(name)] if checked else []

    def field_lines(self) -> list[list[Xml]]:
        chosen = [name for name in FIELDS if name in self.a.fields]
        lines = [[run("　".join(chosen))]]
        if OTHER in self.a.fields:
            lines.append([run(f"{OTHER}（{self.a.other_field_text or ''}）")])
        return lines

    def axis_lines(self) -> list[list[Xml]]:
        if self.a.axis_yes:
            return [[run("有　主軸分野（"), self.inline("axis.text"), run("）")], [], []]
        return [[run("無")], [], []]


class UnknownMark(Layout):
    """26 (要確認): ◎ typed before the chosen options — a mark the reader does not take as a
    choice.  The answers hold what the reader reports (no choice); the review items say
    where to look instead of blaming the applicant."""

    marked = frozenset({"包括連携協定", "産業・商業", "観光・魅力発信", "無"})

    def mark(self, checked: bool, option: str) -> Xml:
        return run("◎" if option in self.marked else "")


class CirclesBothSides(Layout):
    """31 (要確認): the type line has a ○ typed before 個別 and another after 包括
    (「○個別連携協定　　包括連携協定○」) while the other choices are boxes: which option each
    ○ belongs to, nothing in the form says.  The answers hold what the reader reports (no
    type); the review item says where to look instead of guessing 個別."""

    def type_options(self) -> list[Xml]:
        return [run("○個別連携協定"), run("　　"), run("包括連携協定○")]


class LetterAnswersInWords(Layout):
    """32: headed like a letter — address, company and representative under 「旭川市長　様」 with
    no labels — and answered in words and numbers, not marks: 「協定の種別：包括連携協定」, the
    fields by the numbers of the printed list, 「主軸分野：なし」, a polite contact block on one
    line.  Valid; the three unlabelled header lines are review items (no label said what they are)."""

    def body(self) -> str:
        a = self.a
        circled = "①②③④⑤⑥⑦⑧⑨⑩⑪"
        numbers = "、".join(circled[FIELDS.index(f)] for f in a.fields)
        kind = "包括連携協定" if a.comprehensive else "個別連携協定"
        out = [p(a.date_text + "提出", jc="right"), p("旭川市長　今津　寛介　様"),
               *[p("　" * 12 + (a.value(key) or "")) for _, key in HEADER],
               p("連携協定に関する提案書", jc="center"),
               p(f"１　協定の種別：{kind}"),
               p(f"２　連携の分野（該当する番号を記入）：{numbers}"),
               p("　" + "　".join(circled[k] + FIELDS[k] for k in range(6))),
               p("　" + "　".join(circled[k] + FIELDS[k] for k in range(6, 11))),
               p("３　主軸分野：" + (a.axis_text if a.axis_yes and a.axis_text else "なし")),
               p("４　協定締結の目的"), p("（記入例：〇〇の推進）"), *[p(ln) for ln in (a.purpose or "").split("\n") if ln],
               p("５　連携により期待される効果"), *[p(ln) for ln in (a.expected_effects or "").split("\n") if ln],
               p(f"６　連絡先　部署名：{a.department}（ご担当：{a.contact_name}、TEL {a.phone}、Mail: {a.email}）")]
        return "".join(out)


class CoverLetter(Layout):
    """46: a cover letter (送付状) before Form 1, with its sender's phone and e-mail; the form's
    effects say 「別紙のとおり」 and a 別紙 after the form holds them; a letterhead with the
    switchboard number over the form.  Every value comes from the form, the effects from the 別紙."""

    def paragraphs(self, key: str) -> list[Xml]:
        if key == "expected_effects":
            return [p("別紙のとおり")]
        return super().paragraphs(key)

    def body(self) -> str:
        a = self.a
        cover = [p(a.date_text, jc="right"), p("旭川市長　様"), p(a.name or "", jc="right"),
                 p("総務部　送付　一郎", jc="right"), p("TEL 011-222-3333", jc="right"),
                 p("E-mail: sofu@cover.example.jp", jc="right"), p("送付状", jc="center"),
                 p("拝啓　時下ますますご清祥のこととお喜び申し上げます。"),
                 p("下記のとおり書類を送付いたしますので、ご査収のほどよろしくお願い申し上げます。"), p("敬具"),
                 p("記", jc="center"), p("１　連携協定に関する提案書　１部"), p("２　別紙　１部"), p("以上", jc="right"),
                 p(Xml('<w:r><w:br w:type="page"/></w:r>'))]
        letterhead = [p(f"{a.name}　〒070-0036 旭川市６条通１０丁目　TEL 0166-36-0001(代表)　FAX 0166-36-0002",
                        jc="right")]
        attachment = [p(Xml('<w:r><w:br w:type="page"/></w:r>')), p("別紙"), p("連携により期待される効果"),
                      *[p(line) for line in (a.expected_effects or "").split("\n")]]
        return "".join(cover) + "".join(letterhead) + super().body() + "".join(attachment)


class MarkConflict(ForeignContentControls):
    """28 (要確認): content-control checkboxes; on 包括連携協定 the state is unchecked while the
    box shows ☑ (typed over it) — the reader cannot tell which the applicant meant."""

    def mark(self, checked: bool, option: str) -> Xml:
        if option == "包括連携協定":
            return Xml(sdt_checkbox(False).replace("☐", "☑"))
        return sdt_checkbox(checked)


class PlaceholderText(ForeignContentControls):
    """29 (要確認): the company name typed into a text control that Word still flags as showing
    its placeholder (w:showingPlcHdr) — shown in grey, read, and marked for review."""

    def text(self, key: str, value: str | None) -> list[Xml]:
        if key == "organization.name" and value:
            return [Xml(sdt_text("x").replace("<w:text/>", "<w:showingPlcHdr/><w:text/>")
                        .replace(">x<", f">{value}<"))]
        return super().text(key, value)


# ---------------------------------------------------------------------- samples


@dataclass(frozen=True)
class Sample:
    name: str
    answers: Answers
    layout: type[Layout] | None  # None: a filled copy of the blank form
    valid: bool
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    extra_parts: Callable[[], dict[str, bytes]] = field(default=dict)
    #: review codes (要確認) the check must list
    review: tuple[str, ...] = ()

    @property
    def file(self) -> str:
        return f"{self.name}.docx"

    def check(self) -> dict[str, object]:
        return {"expected_check": {"valid": self.valid, "errors": list(self.errors), "warnings": list(self.warnings),
                                   "review": list(self.review)}}


def _blank_form_values(a: Answers) -> dict[str, str | bool]:
    """fill_form values for an Answers record (tags of the blank form)."""
    values: dict[str, str | bool] = {
        key: a.value(key) or ""
        for key in (
            "submitted_on", "organization.address", "organization.name", "organization.representative",
            "other_field_text", "axis.text", "purpose", "expected_effects",
            "contact.department", "contact.name", "contact.phone", "contact.email",
        )
    }
    values |= {"type.individual": a.individual, "type.comprehensive": a.comprehensive}
    values |= {f"field.{name}": name in a.fields for name in ALL_FIELDS}
    values |= {"axis.present": a.axis_yes, "axis.absent": a.axis_no}
    return values


SAMPLE_LIST: tuple[Sample, ...] = (
    Sample(
        "01_content_controls",
        Answers(
            date_text="令和８年４月１日",
            submitted_on="2026-04-01",
            address="北海道旭川市ななかまど町３丁目５番１号",
            name="株式会社ななかまどヘルスケア",
            representative="代表取締役　北野　春香",
            individual=False,
            comprehensive=True,
            fields=("福祉・医療・健康", "教育・文化・スポーツ", "子育て"),
            axis_yes=True,
            axis_text="福祉・医療・健康",
            purpose="市民の健康寿命の延伸に向けて，当社の健康管理のノウハウを活かし，旭川市と連携して健康づくり事業を推進するため。",
            expected_effects="・特定健診の受診率の向上\n・子育て世帯への健康相談の機会の拡充",
            department="地域連携推進部",
            contact_name="南　由紀",
            phone="0166-21-3456",
            email="y.minami@example.co.jp",
        ),
        None,
        valid=True,
    ),
    Sample(
        "02_typed_glyphs",
        Answers(
            date_text="令和８年４月１５日",
            submitted_on="2026-04-15",
            address="北海道旭川市ぽぷら台１条２丁目３番４号",
            name="北嶺防災サービス株式会社",
            representative="代表取締役社長　嶺岸　剛",
            individual=True,
            comprehensive=False,
            fields=("災害対策",),
            purpose="大規模災害の発生時に，避難所で必要となる資機材の供給について協力体制を構築するため。",
            expected_effects="災害時に必要な資機材を迅速に確保でき，避難所運営の安定につながる。",
            department="総務部危機管理課",
            contact_name="岩田　誠",
            phone="0166-32-1098",
            email="iwata@example.co.jp",
        ),
        TypedGlyphs,
        valid=True,
    ),
    Sample(
        "03_wingdings_symbols",
        Answers(
            date_text="令和8年6月1日",
            submitted_on="2026-06-01",
            address="北海道上川郡みどり町字みどり１２３番地",
            name="合同会社みどりの丘ファーム",
            representative="代表社員　緑川　洋平",
            individual=False,
            comprehensive=True,
            fields=("環境", "産業・商業", "地域活性化・まちづくり", OTHER),
            other_field_text="農業体験・食育",
            axis_no=True,
            purpose="地域資源を活かした循環型農業と観光農園の運営を通じて，持続可能な地域づくりに貢献するため。",
            expected_effects="・食品ロスの削減\n・農業体験を通じた地域の魅力の向上",
            department="経営企画室",
            contact_name="森本　咲",
            phone="0166-85-2211",
            email="morimoto@example.co.jp",
        ),
        WingdingsSymbols,
        valid=True,
    ),
    Sample(
        "04_legacy_form_fields",
        Answers(
            date_text="2026年7月1日",
            submitted_on="2026-07-01",
            address="北海道旭川市ほくと通北１条西２丁目３番地",
            name="株式会社ほくと人材開発",
            representative="代表取締役　星野　大輔",
            individual=False,
            comprehensive=True,
            fields=("産業・商業", "人材育成", "観光・魅力発信"),
            axis_yes=True,
            axis_text="産業・商業",
            purpose="地元企業と連携した人材育成と観光人材の確保により，地域産業の振興を図るため。",
            expected_effects="若年層の地元定着と観光産業の担い手の確保が期待される。",
            department="旭川支店営業課",
            contact_name="高橋　葵",
            phone="0166-74-5500",
            email="aoi.takahashi@example.co.jp",
        ),
        LegacyFormFields,
        valid=True,
    ),
    Sample(
        "05_tracked_changes",
        Answers(
            date_text="令和８年８月３日",
            submitted_on="2026-08-03",
            address="北海道旭川市こもれび町５条６丁目７番８号",
            name="株式会社こもれび教育研究所",
            representative="代表取締役　木村　光",
            individual=False,
            comprehensive=True,
            fields=("教育・文化・スポーツ", "子育て"),
            axis_no=True,
            purpose="学習支援と子育て支援を一体的に提供し，子どもの健やかな成長を支えるため。",
            expected_effects="放課後の学びの場の拡充及び保護者の負担の軽減。",
            department="事業推進部",
            contact_name="佐々木　陽菜",
            phone="0166-55-7788",
            email="sasaki@example.co.jp",
        ),
        TrackedChanges,
        valid=True,
    ),
    Sample(
        "06_retyped_no_table",
        Answers(
            date_text="令和８年５月１２日（火）",
            submitted_on="2026-05-12",
            address="北海道旭川市しらかば通１丁目１番１号",
            name="株式会社しらかば環境サービス",
            representative="代表取締役　白樺　健一",
            individual=True,
            comprehensive=False,
            fields=("環境",),
            purpose="家庭ごみの分別・リサイクルの啓発活動を市と協働で実施し，\nごみの減量化を推進するため。",
            expected_effects="・資源ごみの回収量の増加\n・市民の環境意識の向上",
            department="環境事業部",
            contact_name="川口　直子",
            phone="０１６６－４５－６７８９",
            email="kawaguchi@example.co.jp",
        ),
        Retyped,
        valid=True,
    ),
    Sample(
        "07_invalid_one_field_no_axis",
        Answers(
            date_text="R8.9.10",
            submitted_on="2026-09-10",
            address="北海道旭川市ゆきあかり町２丁目８番",
            name="株式会社雪あかりツーリズム",
            representative="代表取締役　雪村　まどか",
            individual=False,
            comprehensive=True,
            fields=("観光・魅力発信",),
            axis_yes=True,
            purpose="冬季観光の魅力を国内外に発信し，観光客の誘致を図るため。",
            expected_effects="冬季の観光入込客数の増加。",
            department="企画営業部",
            contact_name="小林　翔太",
            phone="0166-26-4321",
            email="kobayashi@example.co.jp",
        ),
        CrossedBoxes,
        valid=False,
        errors=("comprehensive_needs_two_fields", "axis_field_missing"),
    ),
    # 30–: samples of one case's life (issue 10). The corrected resubmission of 07: the same
    # company sends Form 1 again with a second field and the axis written in.
    Sample(
        "30_corrected_07_resubmission",
        Answers(
            date_text="R8.9.24",
            submitted_on="2026-09-24",
            address="北海道旭川市ゆきあかり町２丁目８番",
            name="株式会社雪あかりツーリズム",
            representative="代表取締役　雪村　まどか",
            individual=False,
            comprehensive=True,
            fields=("観光・魅力発信", "教育・文化・スポーツ"),
            axis_yes=True,
            axis_text="観光・魅力発信",
            purpose="冬季観光の魅力を国内外に発信し，観光客の誘致を図るため。",
            expected_effects="冬季の観光入込客数の増加。",
            department="企画営業部",
            contact_name="小林　翔太",
            phone="0166-26-4321",
            email="kobayashi@example.co.jp",
        ),
        CrossedBoxes,
        valid=True,
    ),
    Sample(
        "08_invalid_no_type_bad_contact",
        Answers(
            date_text="令和8年10月5日",
            submitted_on="2026-10-05",
            address="北海道旭川市みちしるべ４条９丁目",
            name="株式会社みちしるべ交通安全",
            representative="代表取締役　道下　安男",
            individual=False,
            comprehensive=False,
            fields=("安全・交通",),
            purpose="通学路の交通安全啓発活動を連携して実施するため。",
            expected_effects="児童の交通事故の減少。",
            department="安全推進室",
            contact_name="中村　健",
            phone="0166-25-601",
            email=None,
        ),
        BlackSquares,
        valid=False,
        errors=("missing_required", "agreement_type_missing", "invalid_phone"),
    ),
    Sample(
        "09_wingdings2_reordered_rows",
        Answers(
            date_text="令和八年十月二十日",
            submitted_on="2026-10-20",
            address="北海道旭川市ゆきどけ台３条４丁目５番６号",
            name="株式会社ゆきどけ観光開発",
            representative="代表取締役社長　雪解　遥",
            individual=False,
            comprehensive=True,
            fields=("産業・商業", "地域活性化・まちづくり", "観光・魅力発信"),
            axis_yes=True,
            axis_text="観光・魅力発信",
            purpose="旭川の観光資源を活かした体験型観光商品の開発と，中心市街地のにぎわいの創出を図るため。",
            expected_effects="・観光消費額の増加\n・商店街の来街者数の増加",
            department="観光事業本部",
            contact_name="山本　彩",
            phone="0166-61-2345",
            email="yamamoto@example.co.jp",
        ),
        Wingdings2Reordered,
        valid=True,
    ),
    Sample(
        "10_textbox_macros",
        Answers(
            date_text="令和8年11月20日",
            submitted_on="2026-11-20",
            address="北海道旭川市はばたき町１丁目２番３号",
            name="株式会社はばたきキャリア",
            representative="代表取締役　羽田　翼",
            individual=True,
            comprehensive=False,
            fields=("人材育成",),
            purpose="地域の若者を対象としたキャリア教育プログラムを市と共同で実施し，\n地元就職の促進を図るため。",
            expected_effects="若年層の市外流出の抑制。",
            department="公共事業推進部",
            contact_name="伊藤　誠",
            phone="0166-99-1234",
            email="ito@example.co.jp",
        ),
        TextBoxPurpose,
        valid=True,
        warnings=("macros_present",),
        extra_parts=lambda: {"word/vbaProject.bin": empty_vba_project()},
    ),
    Sample(
        "11_heisei_individual_two_fields",
        Answers(
            date_text="平成31年5月10日",
            submitted_on="2019-05-10",
            address="北海道旭川市ひだまり５条２丁目１番１号",
            name="株式会社ひだまり保育サービス",
            representative="代表取締役　日向　桜",
            individual=True,
            comprehensive=False,
            fields=("福祉・医療・健康", "子育て"),
            purpose="保育人材の確保と子育て家庭への支援を一体的に進めるため。",
            expected_effects="待機児童の解消と保育の質の向上。",
            department="保育事業部",
            contact_name="加藤　結衣",
            phone="0166-38-5566",
            email="kato@example.co.jp",
        ),
        ForeignContentControls,
        valid=True,
        warnings=("individual_multiple_fields", "heisei_after_end"),
    ),
    Sample(
        "18_numbered_headings",
        Answers(
            date_text="令和８年１０月１日",
            submitted_on="2026-10-01",
            address="北海道旭川市あさひ野３条５丁目６番７号",
            name="株式会社あさひ野ウェルネス",
            representative="代表取締役　朝日野　健",
            individual=False,
            comprehensive=True,
            fields=("福祉・医療・健康", "教育・文化・スポーツ", "人材育成"),
            axis_yes=True,
            axis_text="福祉・医療・健康",
            purpose="市民の運動習慣の定着に向けて，当社の運動指導の知見を活かし，\n健康づくりと指導者の育成を市と連携して進めるため。",
            expected_effects="・運動習慣のある市民の増加\n・地域の運動指導者の育成",
            department="地域健康推進部",
            contact_name="朝倉　理沙",
            phone="0166-25-6012（内線123）",
            email="asakura@example.co.jp",
        ),
        NumberedHeadings,
        valid=True,
    ),
    Sample(
        "19_word_auto_numbering",
        Answers(
            date_text="令和８年１０月３日",
            submitted_on="2026-10-03",
            address="北海道旭川市かわせみ町２丁目３番地",
            name="かわせみ環境テクノ株式会社",
            representative="代表取締役　川瀬　実",
            individual=True,
            comprehensive=False,
            fields=("環境",),
            purpose="市内の公共施設における省エネルギー診断を市と共同で実施し，\n脱炭素化を推進するため。",
            expected_effects="公共施設のエネルギー使用量の削減。",
            department="技術営業部",
            contact_name="瀬川　湊",
            phone="代表 0166-31-2000／直通 0166-31-2045",
            email="segawa@example.co.jp",
        ),
        WordNumbering,
        valid=True,
        extra_parts=lambda: {"word/numbering.xml": numbering_xml()},
    ),
    Sample(
        "20_circle_before_choice",
        Answers(
            date_text="令和８年１０月４日",
            submitted_on="2026-10-04",
            address="北海道旭川市ななかまど台１条１丁目",
            name="ななかまど観光開発株式会社",
            representative="代表取締役　七竈　紅葉",
            individual=False,
            comprehensive=True,
            fields=("産業・商業", "観光・魅力発信"),
            axis_yes=True,
            axis_text="観光・魅力発信",
            purpose="冬の観光資源を活かした体験型ツアーを市と連携して開発し，国内外に発信するため。",
            expected_effects="冬季観光客の増加と市内消費の拡大。",
            department="観光企画部",
            contact_name="紅林　雪菜",
            phone="0166-25-6012 ext. 45",
            email="kurebayashi@example.co.jp",
        ),
        CircleBeforeChoice,
        valid=True,
    ),
    Sample(
        "21_bracket_circles",
        Answers(
            date_text="令和８年１０月７日",
            submitted_on="2026-10-07",
            address="北海道旭川市すずらん通４丁目５番",
            name="すずらん子育て支援合同会社",
            representative="代表社員　鈴木　蘭",
            individual=False,
            comprehensive=True,
            fields=("教育・文化・スポーツ", "子育て", OTHER),
            other_field_text="食育",
            axis_no=True,
            purpose="子育て家庭への学びと食育の機会を，市と連携して提供するため。",
            expected_effects="・子育て家庭の孤立の防止\n・食育への関心の向上",
            department="事業推進室",
            contact_name="鈴村　花",
            phone="０１６６－５５－１２３４",
            email="ｓｕｚｕｍｕｒａ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ",
        ),
        BracketCircles,
        valid=True,
    ),
    Sample(
        "22_circle_grid_cells",
        Answers(
            date_text="令和８年１０月８日",
            submitted_on="2026-10-08",
            address="北海道旭川市いなほ町６丁目７番８号",
            name="いなほ物流株式会社",
            representative="代表取締役社長　稲穂　豊",
            individual=False,
            comprehensive=True,
            fields=("災害対策", "安全・交通", "地域活性化・まちづくり"),
            axis_yes=True,
            axis_text="災害対策",
            purpose="災害時の物資輸送と平時の見守り活動について，市と連携体制を構築するため。",
            expected_effects="災害時の物資の迅速な輸送と，地域の安全の向上。",
            department="総務部",
            contact_name="稲田　守",
            phone="0166-72-1100",
            email="inada@example.co.jp",
        ),
        CircleGridCells,
        valid=True,
    ),
    Sample(
        "23_struck_options",
        Answers(
            date_text="令和８年１０月９日",
            submitted_on="2026-10-09",
            address="北海道旭川市つばき台２条３丁目４番",
            name="株式会社つばき介護サービス",
            representative="代表取締役　椿　千代",
            individual=False,
            comprehensive=True,
            fields=("福祉・医療・健康", "人材育成"),
            axis_no=True,
            purpose="高齢者の在宅生活を支える介護人材の育成に，市と連携して取り組むため。",
            expected_effects="介護人材の確保と在宅介護の質の向上。",
            department="人材開発課",
            contact_name="椿本　結",
            phone="0166-48-3300",
            email="tsubakimoto@example.co.jp",
        ),
        StruckOptions,
        valid=True,
    ),
    Sample(
        "25_deleted_options",
        Answers(
            date_text="令和８年１０月１０日",
            submitted_on="2026-10-10",
            address="北海道旭川市こぶし町１丁目２番３号",
            name="こぶし建設株式会社",
            representative="代表取締役　辛夷　剛",
            individual=True,
            comprehensive=False,
            fields=("土木建設維持管理",),
            axis_no=True,
            purpose="道路・橋梁の維持管理に関する技術協力を市と連携して行うため。",
            expected_effects="道路施設の長寿命化と維持管理費の縮減。",
            department="土木部",
            contact_name="小節　剛志",
            phone="0166-60-7070",
            email="kobushi@example.co.jp",
        ),
        DeletedOptions,
        valid=True,
    ),
    Sample(
        "26_review_unknown_mark",
        Answers(
            date_text="令和８年１０月１１日",
            submitted_on="2026-10-11",
            address="北海道旭川市ひまわり通７丁目",
            name="ひまわりフーズ株式会社",
            representative="代表取締役　日廻　陽",
            individual=False,
            comprehensive=False,
            fields=(),
            purpose="地元食材を活かした商品開発を市と連携して進めるため。",
            expected_effects="地元農産物の消費拡大。",
            department="商品開発部",
            contact_name="向日　葵",
            phone="0166-90-1234",
            email="hinata@example.co.jp",
        ),
        UnknownMark,
        valid=True,
        review=("review_unplaced_text", "review_unplaced_text", "review_unplaced_text"),
    ),
    Sample(
        "27_two_circles_ambiguous",
        Answers(
            date_text="令和８年１０月１４日",
            submitted_on="2026-10-14",
            address="北海道旭川市もみじ台西１丁目",
            name="もみじ交通株式会社",
            representative="代表取締役　紅葉　進",
            individual=True,
            comprehensive=True,
            fields=("安全・交通",),
            purpose="高齢者の移動手段の確保に向けて，市と連携して実証運行を行うため。",
            expected_effects="高齢者の外出機会の増加。",
            department="企画課",
            contact_name="紅谷　道子",
            phone="0166-21-8800",
            email="beniya@example.co.jp",
        ),
        CircleGridCells,
        valid=False,
        errors=("agreement_type_ambiguous",),
    ),
    Sample(
        "28_review_mark_conflict",
        Answers(
            date_text="令和８年１０月１５日",
            submitted_on="2026-10-15",
            address="北海道旭川市あかしや町３丁目",
            name="株式会社あかしやＩＴソリューションズ",
            representative="代表取締役　明石　智",
            individual=False,
            comprehensive=False,
            fields=("産業・商業", "人材育成"),
            axis_no=True,
            purpose="地元企業のデジタル化を支援する人材の育成を市と連携して進めるため。",
            expected_effects="地元企業の生産性の向上。",
            department="地域ＤＸ推進室",
            contact_name="明石　葵",
            phone="0166-33-4455",
            email="akashi@example.co.jp",
        ),
        MarkConflict,
        valid=True,
        review=("review_mark_conflict",),
    ),
    Sample(
        "29_review_placeholder_text",
        Answers(
            date_text="令和８年１０月１６日",
            submitted_on="2026-10-16",
            address="北海道旭川市はるにれ町５条２丁目",
            name="はるにれ図書サービス株式会社",
            representative="代表取締役　春楡　文",
            individual=True,
            comprehensive=False,
            fields=("教育・文化・スポーツ",),
            purpose="図書館の読書推進事業を市と連携して行うため。",
            expected_effects="子どもの読書量の増加。",
            department="公共サービス部",
            contact_name="楡井　栞",
            phone="0166-47-2200",
            email="nirei@example.co.jp",
        ),
        PlaceholderText,
        valid=True,
        review=("review_placeholder_text",),
    ),
    Sample(
        "31_circles_both_sides",
        Answers(
            date_text="令和８年１０月２０日",
            submitted_on="2026-10-20",
            address="北海道旭川市神楽岡２条４丁目",
            name="かぐらおか緑化株式会社",
            representative="代表取締役　神楽　緑",
            individual=False,
            comprehensive=False,
            fields=("環境", "地域活性化・まちづくり"),
            axis_no=True,
            purpose="公園と街路の緑化を市と連携して進めるため。",
            expected_effects="市街地の緑被率の向上。",
            department="緑化事業部",
            contact_name="岡田　葉子",
            phone="0166-65-1020",
            email="okada@example.co.jp",
        ),
        CirclesBothSides,
        valid=True,
        review=("review_unplaced_text",),
    ),
    Sample(
        "32_letter_answers_in_words",
        Answers(
            date_text="令和８年１１月２５日",
            submitted_on="2026-11-25",
            address="北海道旭川市永山３条１９丁目",
            name="一般社団法人ながやま子育てネット",
            representative="代表理事　永山　結",
            individual=False,
            comprehensive=True,
            fields=("教育・文化・スポーツ", "子育て"),
            axis_no=True,
            purpose="放課後の子どもの居場所づくりを市と連携して進めるため。",
            expected_effects="子育て世帯の負担の軽減。",
            department="事務局",
            contact_name="永山　葵",
            phone="0166-48-3300",
            email="aoi@nagayama-kosodate.example.jp",
        ),
        LetterAnswersInWords,
        valid=True,
        review=("review_unlabelled_text",) * 3,
    ),
    Sample(
        "46_cover_letter_and_attachment",
        Answers(
            date_text="令和８年１２月１日",
            submitted_on="2026-12-01",
            address="北海道旭川市６条通１０丁目",
            name="株式会社そうふ物流",
            representative="代表取締役　送付　太郎",
            individual=False,
            comprehensive=True,
            fields=("災害対策", "安全・交通"),
            axis_yes=True,
            axis_text="災害対策",
            purpose="災害時の物資輸送を市と連携して行うため。",
            expected_effects="・避難所への物資が早く届く。\n・地域の防災力が高まる。",
            department="防災推進部",
            contact_name="輸送　花子",
            phone="0166-36-0123",
            email="hanako@sofu-butsuryu.example.jp",
        ),
        CoverLetter,
        valid=True,
        review=("review_attachment",),
    ),
)


@dataclass(frozen=True)
class PdfSample:
    """A PDF with the answers (and so the expected check) of the .docx sample ``source``."""

    name: str
    source: str
    #: True: the blank fillable PDF filled in; False: LibreOffice's PDF export of the .docx
    fillable: bool = False

    @property
    def file(self) -> str:
        return f"{self.name}.pdf"


#: LibreOffice exports only of samples whose encoding survives without Word's fonts
#: (without Wingdings installed LibreOffice prints its symbols in a substitute font)
PDF_SAMPLES: tuple[PdfSample, ...] = (
    PdfSample("12_pdf_typed_glyphs", "02_typed_glyphs"),
    PdfSample("13_pdf_tracked_changes", "05_tracked_changes"),
    PdfSample("14_pdf_retyped_no_table", "06_retyped_no_table"),
    PdfSample("15_pdf_heisei_individual", "11_heisei_individual_two_fields"),
    PdfSample("16_fillable_pdf", "01_content_controls", fillable=True),
    PdfSample("17_fillable_pdf_invalid", "08_invalid_no_type_bad_contact", fillable=True),
)


@dataclass(frozen=True)
class LegacySample:
    """A .doc/.odt/.rtf that LibreOffice saves from the .docx sample ``source`` (same answers)."""

    name: str
    source: str
    fmt: str

    @property
    def file(self) -> str:
        return f"{self.name}.{self.fmt}"


#: struck-out options must survive LibreOffice's round trip (.rtf → .docx → reader)
LEGACY_SAMPLES: tuple[LegacySample, ...] = (
    LegacySample("24_struck_options_rtf", "23_struck_options", "rtf"),
)


# ---------------------------------------------------------------------- PDFs made elsewhere

@dataclass(frozen=True)
class BuiltPdf:
    """A file no template of ours produces, with its answers: a PDF built from PDF operators
    (tests/pdfbuild.py), or an Excel workbook written as raw SpreadsheetML (tests/xlsxbuild.py, ``fmt="xlsx"``)."""

    name: str
    build: Callable[[Path], None]
    answers: Answers
    valid: bool = True
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    review: tuple[str, ...] = ()
    fmt: str = "pdf"

    @property
    def file(self) -> str:
        return f"{self.name}.{self.fmt}"

    def check(self) -> dict[str, object]:
        return {"expected_check": {"valid": self.valid, "errors": list(self.errors), "warnings": list(self.warnings),
                                   "review": list(self.review)}}


def _acrobat(path: Path, *, stale: bool = False) -> None:
    """Form 1 made fillable by Acrobat and filled in a viewer (``stale``: /V set without /AS, as a script does)."""
    from pdfbuild import ACROBAT_VALUES, acrobat_form, fill_acrobat

    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp, "blank.pdf")
        names = acrobat_form(blank)
        fill_acrobat(blank, path, names, ACROBAT_VALUES, appearance=not stale)


def _web(path: Path) -> None:
    from pdfbuild import web_form_pdf

    web_form_pdf(path)


def _page_break(path: Path) -> None:
    from pdfbuild import page_break_pdf

    page_break_pdf(path, running_header="株式会社ななかまど　連携協定提案書")


def _circled(path: Path) -> None:
    """44: 「該当するものを○で囲む」 answered with ellipses drawn around the words (Word's ellipse shape, printed)."""
    from pdfbuild import circled_form

    circled_form(path, circle={"包括連携協定": True, "環境": True, "子育て": True, "有": True})


def _excel(path: Path) -> None:
    """45: Form 1 filled in Excel: check boxes of the 開発 tab, 「所」「在」「地」 over three cells, a 和暦 date cell."""
    from xlsxbuild import excel_form1

    excel_form1(path, controls=True)


_ACROBAT_ANSWERS = Answers(
    date_text="令和8年4月1日", submitted_on="2026-04-01", address="北海道旭川市神楽１条", name="株式会社かぐら",
    representative="代表取締役　神楽　一郎", individual=False, comprehensive=True, fields=("環境", "子育て", OTHER),
    other_field_text="食育", axis_yes=True, axis_text="子育て", purpose="子どもの食育を進めるため。",
    expected_effects="食品ロスの削減。\n地域の魅力向上。", department="総務部", contact_name="神楽　花",
    phone="0166-99-0000", email="hana@example.jp")

BUILT_PDFS: tuple[BuiltPdf, ...] = (
    BuiltPdf("40_acrobat_fillable_pdf", _acrobat, _ACROBAT_ANSWERS),
    # every ticked box shows empty: one review item per choice (type, three fields, axis)
    BuiltPdf("41_acrobat_stale_appearance", lambda path: _acrobat(path, stale=True), _ACROBAT_ANSWERS,
             review=("review_mark_conflict",) * 5),
    BuiltPdf("42_web_form_printed_pdf", _web, Answers(
        date_text="令和8年5月20日", submitted_on="2026-05-20", address="北海道旭川市宮前１条３丁目",
        name="ウェブ商事株式会社", representative="代表取締役　網野　光", individual=False, comprehensive=True,
        fields=("災害対策", "観光・魅力発信"), axis_yes=True, axis_text="観光・魅力発信",
        purpose="観光と防災の情報発信を連携して進めるため。", expected_effects="来訪者の安全と満足度の向上。",
        department="広報部", contact_name="網野　陽", phone="0166-33-4455", email="yo@web.example.jp")),
    BuiltPdf("43_pdf_page_break_borderless_header", _page_break, Answers(
        date_text="令和８年４月１日", submitted_on="2026-04-01",
        address="北海道旭川市緑町１丁目２番３号　ななかまどビル３階", name="株式会社ななかまど",
        representative="代表取締役社長　七竈　花子", individual=False, comprehensive=True, fields=("環境", "子育て"),
        axis_yes=True, axis_text="子育て",
        purpose="\n".join([f"目的の説明その{i}。" for i in range(1, 30)] + [f"目的の続きその{i}。" for i in range(30, 33)]),
        expected_effects="効果の説明。", department="総務部", contact_name="連絡　太郎", phone="0166-12-3456",
        email="taro@example.jp")),
    BuiltPdf("44_pdf_circled_options", _circled, Answers(
        date_text="令和８年１１月２０日", submitted_on="2026-11-20", address="旭川市緑町１丁目", name="株式会社まる印",
        representative="代表取締役　丸山　円", individual=False, comprehensive=True, fields=("環境", "子育て"),
        axis_yes=True, axis_text="環境", purpose="脱炭素の推進。", expected_effects="CO2削減。", department="環境部",
        contact_name="丸山　花", phone="0166-00-1111", email="hana@maru.jp")),
    BuiltPdf("45_excel_form", _excel, Answers(
        date_text="令和8年11月20日", submitted_on="2026-11-20", address="北海道旭川市緑町１丁目２番３号",
        name="株式会社エクセル商事", representative="代表取締役　表計　算子", individual=False, comprehensive=True,
        fields=("災害対策", "福祉・医療・健康"), axis_yes=True, axis_text="福祉・医療・健康",
        purpose="災害時の物資供給と\n高齢者の見守りを進めるため。", expected_effects="避難所の備えが整う。\n見守りの目が増える。",
        department="総務部　地域連携課", contact_name="表計　次郎", phone="0166-23-4567", email="jiro@excel.example.jp"),
        fmt="xlsx"),
)


def write_built_pdfs(out_dir: Path = SAMPLES) -> list[Path]:
    """Write the files built by hand: PDFs from PDF operators (fillable forms from Acrobat, web forms, page breaks), Excel workbooks."""
    from reportlab import rl_config

    rl_config.invariant = 1  # the same bytes on every run
    expected = out_dir / "expected"
    expected.mkdir(parents=True, exist_ok=True)
    written = []
    for sample in BUILT_PDFS:
        target = out_dir / sample.file
        sample.build(target)
        _write_json(expected / f"{sample.name}.json", sample.answers.expected(sample.file, sample.fmt))
        _write_json(expected / f"{sample.name}.check.json", sample.check())
        written.append(target)
    return written


def _blank_pdf_values(a: Answers) -> dict[str, str | bool]:
    """fill_pdf values for an Answers record (field names of the fillable PDF)."""
    from kyotei_docs.blankpdf import CHECKBOXES, TEXT_FIELDS

    dotted = {name: name.replace("organization_", "organization.").replace("contact_", "contact.")
              .replace("axis_text", "axis.text") for name in TEXT_FIELDS}
    values: dict[str, str | bool] = {name: a.value(key) or "" for name, key in dotted.items()}
    ticked = {"type_individual": a.individual, "type_comprehensive": a.comprehensive,
              "axis_yes": a.axis_yes, "axis_no": a.axis_no}
    for name, option in CHECKBOXES.items():
        values[name] = ticked.get(name, option in a.fields)
    return values


# ---------------------------------------------------------------------- writing


def build(sample: Sample, out_dir: Path) -> Path:
    """Write one sample .docx into ``out_dir``."""
    path = out_dir / sample.file
    if sample.layout is None:
        fill_form(TEMPLATE, path, _blank_form_values(sample.answers))
    else:
        make_docx(sample.layout(sample.answers).body(), path, extra_parts=sample.extra_parts())
    return path


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_all(out_dir: Path = SAMPLES) -> list[Path]:
    """Write every sample with its expected JSON; each must open in python-docx."""
    expected = out_dir / "expected"
    expected.mkdir(parents=True, exist_ok=True)
    paths = []
    for sample in SAMPLE_LIST:
        reset_ids()  # the same bytes however many files this process built before
        path = build(sample, out_dir)
        docx.Document(str(path))  # raises on a package Word-compatible readers would reject
        _write_json(expected / f"{sample.name}.json", sample.answers.expected(sample.file))
        _write_json(expected / f"{sample.name}.check.json", sample.check())
        paths.append(path)
    return paths


def write_pdfs(out_dir: Path = SAMPLES, docx_dir: Path = SAMPLES) -> list[Path]:
    """Write every PDF sample with its expected JSON; the .docx samples must be in ``docx_dir``.

    The LibreOffice exports need ``soffice``; without it they are left as they are.
    """
    from reportlab import rl_config

    from kyotei_docs.blankpdf import fill_pdf, write_blank_pdf
    from kyotei_docs.office import convert, soffice_available

    rl_config.invariant = 1  # the same blank form byte for byte on every run
    sources = {s.name: s for s in SAMPLE_LIST}
    expected = out_dir / "expected"
    expected.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp, "blank.pdf")
        write_blank_pdf(blank)
        exports = [s for s in PDF_SAMPLES if not s.fillable]
        made: dict[str, Path] = {}
        if exports and soffice_available():
            docs = [docx_dir / sources[s.source].file for s in exports]
            result = convert(docs, "pdf", Path(tmp, "lo"))
            if result.failures:
                raise SystemExit(f"LibreOffice could not convert: {result.failures}")
            made = {s.name: result.outputs[doc] for s, doc in zip(exports, docs)}
        elif exports:
            print("soffice not found: LibreOffice PDF samples left as they are")
        for sample in PDF_SAMPLES:
            source = sources[sample.source]
            target = out_dir / sample.file
            if sample.fillable:
                fill_pdf(blank, target, _blank_pdf_values(source.answers))
            elif sample.name in made:
                shutil.copyfile(made[sample.name], target)
            else:
                continue
            _write_json(expected / f"{sample.name}.json", source.answers.expected(sample.file, "pdf"))
            _write_json(expected / f"{sample.name}.check.json", source.check())
            written.append(target)
    return written


def write_legacy(out_dir: Path = SAMPLES, docx_dir: Path = SAMPLES) -> list[Path]:
    """Write every legacy-format sample through LibreOffice (left as they are without ``soffice``)."""
    from kyotei_docs.office import convert, soffice_available

    if not soffice_available():
        print("soffice not found: legacy-format samples left as they are")
        return []
    sources = {s.name: s for s in SAMPLE_LIST}
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for sample in LEGACY_SAMPLES:
            source = sources[sample.source]
            doc = docx_dir / source.file
            result = convert([doc], sample.fmt, Path(tmp, sample.name))
            if doc not in result.outputs:
                raise SystemExit(f"LibreOffice could not convert {doc.name}: {result.failures}")
            target = out_dir / sample.file
            shutil.copyfile(result.outputs[doc], target)
            _write_json(out_dir / "expected" / f"{sample.name}.json", source.answers.expected(sample.file, sample.fmt))
            _write_json(out_dir / "expected" / f"{sample.name}.check.json", source.check())
            written.append(target)
    return written


def convert_all(paths: list[Path]) -> None:
    """Convert every sample with LibreOffice in one process and check each PDF.

    soffice exits 0 even when a file "could not be loaded", so the PDFs
    themselves are checked; a private profile avoids clashing with other runs.
    """
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, *map(str, paths)],
            check=True, capture_output=True, timeout=300,
        )
        for path in paths:
            pdf = Path(tmp, path.with_suffix(".pdf").name)
            if not pdf.exists() or not pdf.read_bytes().startswith(b"%PDF"):
                raise SystemExit(f"LibreOffice could not convert {path.name}")
            print(f"ok  {path.name} -> pdf ({pdf.stat().st_size} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="also convert each sample with LibreOffice")
    args = parser.parse_args()
    paths = write_all()
    for path in [*paths, *write_pdfs(), *write_legacy(), *write_built_pdfs()]:
        print(path.relative_to(ROOT))
    if args.pdf:
        if shutil.which("soffice") is None:
            raise SystemExit("soffice not found")
        convert_all(paths)


if __name__ == "__main__":
    main()
