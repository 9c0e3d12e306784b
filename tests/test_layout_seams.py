"""Fast tests at the layout seams: positioned items in, regions and blocks out (no PDF, no pdfplumber)."""

from __future__ import annotations

from kyotei_docs.readers.acroform import Widget, blocks
from kyotei_docs.readers.layout import (
    Item,
    PageLayout,
    Region,
    TableState,
    _margins_after_tables,
    arrange,
    build_lines,
    paragraphs,
    text_right,
)

SIZE = 10.5


def _items(x: float, top: float, text: str) -> list[Item]:
    return [Item(ch, x + k * SIZE, x + (k + 1) * SIZE, top, top + SIZE, SIZE) for k, ch in enumerate(text)]


def _layout(*lines: tuple[float, float, str]) -> PageLayout:
    items = [it for x, top, text in lines for it in _items(x, top, text)]
    layout = PageLayout(0, 595.0, 842.0, [])
    layout.regions = arrange(items, [], TableState(), 0, 842.0, 595.0)
    return layout


def test_three_date_fields_in_one_printed_line_read_as_one_date():
    layout = _layout((300, 80, "令和　　年　　月　　日"))
    ws = [Widget(f"Text{k + 1}", "text", 0, 300 + (2 + 3 * k) * SIZE, 80, 300 + (4 + 3 * k) * SIZE, 80 + SIZE,
                 value=v) for k, v in enumerate(("8", "4", "1"))]
    out = blocks(ws, [layout])
    assert [b.text for b in out] == ["令和8年4月1日"]


def test_fields_with_labels_of_their_own_on_one_line_stay_apart():
    layout = _layout((60, 80, "部署名　　　　担当者氏名　　　　　。"))
    ws = [Widget("Text1", "text", 0, 60 + 3 * SIZE, 80, 60 + 7 * SIZE, 80 + SIZE, value="総務部"),
          Widget("Text2", "text", 0, 60 + 12 * SIZE, 80, 60 + 17 * SIZE, 80 + SIZE, value="神楽")]
    out = blocks(ws, [layout])
    assert [(b.row, b.col, b.text) for b in out] == [(0, 0, "部署名"), (0, 1, "総務部"),
                                                     (1, 0, "担当者氏名"), (1, 1, "神楽")]


def test_a_line_under_the_value_continues_it_and_a_line_under_the_label_does_not():
    lines = build_lines(_items(250, 125, "所在地") + _items(320, 125, "旭川市緑町")
                        + _items(320, 140, "ビル３階") + _items(250, 155, "企業等名称") + _items(320, 155, "株式会社"))
    paras = paragraphs(lines, text_right(lines, [], 595.0))
    assert [[ln.text for ln in para] for para in paras] == [["所在地旭川市緑町", "ビル３階"], ["企業等名称株式会社"]]


def test_a_page_number_between_two_parts_of_a_table_moves_after_the_table():
    def region(text: str, table: int | None = None, row: int | None = None, margin: bool = False) -> Region:
        made = Region(build_lines(_items(60, 100, text)), 60, 100, 500, 120, table, row, 0 if table else None)
        made.margin = margin
        return made

    parts = [region("目的の前半", 1, 0), region("株式会社　提案書", margin=True), region("目的の後半", 1, 0),
             region("効果", 1, 1)]
    assert [r.text for r in _margins_after_tables(parts)] == ["目的の前半", "目的の後半", "効果", "株式会社　提案書"]


def test_a_joined_line_marks_where_the_page_wrapped_it():
    """「…（内線15）」 ends at the cell's edge and 「メールアドレス」 starts the next line: joined as a
    wrap (geometry cannot tell), but the joint is kept so the extractor can see a label start there."""
    from kyotei_docs.form import Text
    from kyotei_docs.readers.layout import line_pieces, unwrap

    first = _items(300, 80, "電話番号　0166（内線15）")
    right = first[-1].x1 + 0.5 * SIZE
    lines = build_lines(first + _items(300, 80 + SIZE + 2, "メールアドレス"))
    for line in lines:
        line.right = right
    [joined] = unwrap(lines)
    texts = [p for p in line_pieces(joined, "pdf:text") if isinstance(p, Text)]
    assert [(t.text, t.wrapped) for t in texts] == [("電話番号　0166（内線15）", False), ("メールアドレス", True)]
