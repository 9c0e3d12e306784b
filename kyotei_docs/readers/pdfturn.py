"""A PDF page turned so that its text reads upright, whatever /Rotate or the text matrix say.

A page can be stored sideways in two ways, and a person turns it without
thinking: its ``/Rotate`` entry turns upright content on the screen (a driver
that stores a portrait page as landscape), or its content is drawn turned (a
text matrix of 90°, a page scanned sideways and given a text layer).  The
layout model (:mod:`.layout`) groups characters into lines by their vertical
position, so sideways characters of different rows would share a "line" —
purpose running into the next row, effects taking the contact rows.

The characters say which way is up: each has its text matrix, whose first
column is the direction its line runs.  When most characters run the same
way and that way is not left to right, the page is laid out again with the
rotation that makes it so (pdfminer applies ``/Rotate`` to everything on the
page: characters, rules, boxes, annotations alike).  Only turned pages cost a
second layout.
"""

from __future__ import annotations

import math
from typing import Any

#: share of the characters that must run one way for the page to be turned that way
MAJORITY = 0.6


def direction(page: Any) -> int:
    """The clockwise turn (0, 90, 180, 270) that makes most of the page's characters upright."""
    counts = [0, 0, 0, 0]
    for ch in page.chars:
        text = ch.get("text") or ""
        matrix = ch.get("matrix")
        if not text.strip() or not matrix:
            continue
        a, b = float(matrix[0]), float(matrix[1])
        if a == 0 and b == 0:
            continue
        angle = math.degrees(math.atan2(b, a))  # counter-clockwise, the PDF's y upwards
        counts[round(angle / 90) % 4] += 1
    total = sum(counts)
    if not total:
        return 0
    best = max(range(4), key=lambda k: counts[k])
    if best == 0 or counts[best] < MAJORITY * total:
        return 0
    return (best * 90) % 360  # text running at +90° (upwards) is upright after a 90° clockwise turn


def upright(pdf: Any, page: Any) -> Any:
    """``page``, or the same page laid out again turned so that its text reads upright."""
    turn = direction(page)
    if not turn:
        return page
    from pdfplumber.page import Page

    obj = page.page_obj
    rotate = (int(getattr(obj, "rotate", 0) or 0) + turn) % 360
    obj.attrs["Rotate"] = rotate
    obj.rotate = rotate
    page.close()
    return Page(pdf, obj, page_number=page.page_number, initial_doctop=page.initial_doctop)
