"""A page set in two columns: the left column read to its end before the right one.

Some companies retype Form 1 in two columns — the applicant and the choices at the left, the
purpose, effects and contacts at the right, each answer on the line under its heading.  Read
line by line across the page, a heading at the right took the left column's next line as its
answer (「企業等名称」 → 「地域づくりを進めるため。」, silent).

A form of labels and answers has a gap between its two columns too, and must never be split:
there the left column holds the labels and the right one their answers.  A page is read as two
columns only where *each* column, on its own, has headings followed on the next line by an
answer (a known label, then a line that is none) — at least :data:`PAIRS` times in each —, no
text crosses the gutter between them, and the page has no ruled table.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from .. import vocab

if TYPE_CHECKING:
    from .layout import Item, TextLine

#: label-then-answer pairs each column must hold on its own
PAIRS = 2
#: a gap wider than this many character sizes separates two columns on a line
GAP = 2.0
#: lines whose right part starts at the same x (within this many points) share a gutter
ALIGN = 3.0


def split_columns(lines: list[TextLine], page_width: float) -> list[list[TextLine]] | None:
    """``lines`` (a page's free lines, top to bottom) as groups in reading order — above the columns,
    the left column, the right one, below them — or None when the page is not set in two columns."""
    starts: list[float] = []
    for line in lines:
        words = _words(line.items)
        if words and words[0].x0 > 0.3 * page_width:
            starts.append(words[0].x0)
        starts += [b.x0 for a, b in zip(words, words[1:]) if b.x0 - a.x1 > GAP * max(a.size, b.size, 1.0)]
    ordered = sorted(starts)

    def aligned(g: int) -> int:  # starts within ALIGN right of g, by bisection: a page of 20,000 spaced
        # characters on a wide page was 12.8 s of CPU counted start by start for each candidate
        return bisect.bisect_right(ordered, g + ALIGN) - bisect.bisect_left(ordered, g)

    counted = sorted({round(s) for s in starts}, key=lambda g: -aligned(g))
    for g in counted[:4]:
        if aligned(g) < 2 * PAIRS:
            break
        groups = _at(lines, g - 0.5)
        if groups is not None:
            return groups
    return None


def _at(lines: list[TextLine], gutter: float) -> list[list[TextLine]] | None:
    """The groups when the page's longest stretch of lines not crossing ``gutter`` reads as two columns."""
    from .layout import TextLine

    runs: list[list[int]] = [[]]
    for k, line in enumerate(lines):
        if any(i.x0 < gutter < i.x1 for i in _words(line.items)):
            runs.append([])
        else:
            runs[-1].append(k)
    run = max(runs, key=len)
    if not run:
        return None
    left: list[TextLine] = []
    right: list[TextLine] = []
    for k in run:
        for side, keep in ((left, lambda i: i.x1 <= gutter), (right, lambda i: i.x1 > gutter)):
            items = [i for i in lines[k].items if keep(i)]
            if _words(items):
                part = TextLine()
                for item in items:
                    part.add(item)
                side.append(part)
    if _pairs(left) < PAIRS or _pairs(right) < PAIRS:
        return None
    return [lines[:run[0]], left, right, lines[run[-1] + 1:]]


def _words(items: list[Item]) -> list[Item]:
    return [i for i in items if not i.text.isspace()]


def _pairs(column: list[TextLine]) -> int:
    """How often a heading (a known label alone on its line) has its answer on the next line of the column."""
    heads = [_heading(line.text) for line in column]
    return sum(1 for k in range(len(column) - 1)
               if heads[k] and not heads[k + 1] and column[k + 1].top - column[k].bottom <= 1.5 * column[k].size)


def _heading(text: str) -> bool:
    """A known label and nothing else (「協定締結の目的」, 「部署名：」)."""
    k = vocab.key(text).rstrip(":")
    return any(k == lk for lk, label in vocab.LABELS_BY_INITIAL.get(k[:1], ()) if label != "applicant")
