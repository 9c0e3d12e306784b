"""A Form 1 body in raw XML with parts that tests swap out.

Defaults give a valid comprehensive proposal with an axis field, laid out as the
guideline's form (header paragraphs, one table, 連絡先 merged down the contact rows).
"""

from __future__ import annotations

from docxbuild import Xml, cell, p, table

BOX_ON, BOX_OFF = "☑", "☐"

HEADER = Xml(p("令和８年１１月２０日", jc="right") + p("旭川市長　様")
             + p("所 在 地：北海道旭川市緑町１丁目２番３号")
             + p("企業等名称：株式会社テスト商事")
             + p("代表者氏名：代表取締役　試験　花子")
             + p("連携協定に関する提案書", jc="center")
             + p("連携協定に係る連携内容等について，次のとおり提案します。"))


def glyph_options(*pairs: tuple[bool, str], sep: str = "\u3000") -> str:
    return sep.join((BOX_ON if on else BOX_OFF) + label for on, label in pairs)


def type_row(content: str | Xml | None = None) -> list:
    content = content if content is not None else glyph_options((False, "個別連携協定"), (True, "包括連携協定"))
    return [cell("連携協定の種別", "該当に☑"), cell(content, span=2)]


def fields_row(content: str | Xml | None = None) -> list:
    if content is None:
        content = glyph_options((True, "環境"), (True, "福祉・医療・健康"), (False, "子育て"))
    return [cell("連携の分野", "※包括連携協定を希望する場合，２つ以上選択すること"), cell(content, span=2)]


def axis_row(content: str | Xml | None = None) -> list:
    if content is None:
        content = Xml(p("☑有　主軸分野（福祉・医療・健康）") + p("※協定の中心的位置づけとなる分野") + p("☐無"))
    return [cell("主軸分野の有無", "※包括連携協定を希望する場合、主軸分野の有無を選択し，有の場合はその主軸分野を記入すること"),
            cell(content, span=2)]


def text_rows(purpose: str = "市民の健康増進と環境保全を進めるため。",
              effects: str = "健診受診率の向上。\n環境意識の向上。") -> list[list]:
    return [[cell("協定締結の目的"), cell(*purpose.split("\n"), span=2)],
            [cell("連携により", "期待される効果"), cell(*effects.split("\n"), span=2)]]


def contact_rows(department: str = "地域連携部", name: str = "連絡　太郎", phone: str = "0166-12-3456",
                 email: str = "renraku@example.co.jp") -> list[list]:
    return [[cell("連絡先", vmerge="restart"), cell("部　署　名"), cell(department)],
            [cell("", vmerge="continue"), cell("担当者氏名"), cell(name)],
            [cell("", vmerge="continue"), cell("電 話 番 号"), cell(phone)],
            [cell("", vmerge="continue"), cell("メールアドレス"), cell(email)]]


def form(*, header: str = HEADER, type_content=None, fields_content=None, axis_content=None,
         rows: list[list] | None = None) -> str:
    rows = rows if rows is not None else [type_row(type_content), fields_row(fields_content),
                                          axis_row(axis_content), *text_rows(), *contact_rows()]
    return header + table(rows, widths=(1200, 1600, 6200))
