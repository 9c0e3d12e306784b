"""The builder of scans and phone photos (``tests/scanbuild.py``) makes the images it always made, cheaply.

A seal is worked out only under the stamp, with the random numbers a
whole-page draw gives at those pixels; renders and scans are kept per process
and handed out as copies.  Were either wrong, every sealed scan, the OCR
bench's figures and the phone-photo sample would change without anyone
meaning it, or one test drawing on a page would spoil the next test's.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from conftest import ROOT
from scanbuild import _SEAL_RED, _page_random, _stamp, render, seal


@pytest.mark.parametrize(("seed", "height", "width", "box"), [
    (1829, 3508, 2480, (1400, 420, 1600, 620)),  # 角印 at A4: an even first number
    (7, 50, 33, (3, 5, 30, 49)),  # odd width and offsets: boxes starting on a 64-bit output's high half
    (11, 40, 40, (0, 0, 40, 40)),  # the whole page
    (5, 9, 17, (16, 8, 17, 9)),  # the last pixel alone
])
def test_the_random_numbers_under_a_stamp_are_the_whole_page_draws_at_its_pixels(seed, height, width, box):
    whole = np.random.default_rng(seed).random((height, width), dtype=np.float32)
    left, top, right, bottom = box
    assert _page_random(seed, width, box).tobytes() == whole[top:bottom, left:right].tobytes()


@pytest.mark.parametrize("round_", [False, True])
def test_a_seal_is_the_whole_page_sum_worked_out_only_under_the_stamp(round_):
    """What seal() gave when it worked over the whole page (the sum below, a random number a pixel) is
    what it gives now; one stamp is cut off by the page's corner."""
    page = Image.new("RGB", (420, 300), (250, 248, 240))
    ImageDraw.Draw(page).text((20, 40), "北嶺防災サービス株式会社", fill=(10, 10, 10), font_size=40)
    for centre, size, text in (((200, 70), 120, "北嶺之印"), ((400, 290), 91, "代表之印")):
        layer = _stamp(page.size, centre, size, text, round_)
        rng = np.random.default_rng(size + centre[0])
        ink = np.asarray(layer, dtype=np.float32) / 255.0
        ink *= 0.85 * (0.75 + 0.25 * rng.random(ink.shape, dtype=np.float32))
        whole = np.asarray(page, dtype=np.float32)
        red = np.array(_SEAL_RED, dtype=np.float32)
        whole = whole * (1 - ink[..., None]) + (whole * red / 255.0) * ink[..., None]
        sealed = seal(page, centre, size, text, round_=round_)
        assert sealed.mode == "RGB" and sealed.tobytes() == whole.clip(0, 255).astype(np.uint8).tobytes()
        assert sealed.tobytes() != page.tobytes()


def test_a_render_drawn_on_by_one_caller_is_whole_for_the_next():
    pdf = ROOT / "samples" / "12_pdf_typed_glyphs.pdf"
    first = render(pdf, dpi=50)
    ImageDraw.Draw(first).rectangle((0, 0, 100, 100), fill=(0, 0, 0))
    again = render(pdf, dpi=50)
    assert again.getpixel((5, 5)) == (255, 255, 255) and again.tobytes() != first.tobytes()
