"""Write samples/47_phone_photo.jpg: Form 1 (sample 12) sealed and photographed with a phone.

The filled Form 1 PDF of sample 12 is rendered at 300 dpi, stamped with a red
角印 and 丸印, photographed on a desk at an angle (tests/scanbuild.py), and saved
as a phone saves it: the sensor's pixels turned on their side and an EXIF
Orientation tag saying how to show them.  Deterministic (seeded); kept under
1 MB.  Run from the repository root: ``python scripts/make_photo_sample.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from scanbuild import phone_photo, render, stamp_seals, with_exif_rotation  # noqa: E402

SOURCE = ROOT / "samples" / "12_pdf_typed_glyphs.pdf"
TARGET = ROOT / "samples" / "47_phone_photo.jpg"


def main() -> None:
    photo = phone_photo(stamp_seals(render(SOURCE)), width=2100)
    with_exif_rotation(photo, TARGET, orientation=6, quality=72)
    size = TARGET.stat().st_size
    print(f"{TARGET.relative_to(ROOT)}: {size / 1024:.0f} KB")
    if size >= 1024 * 1024:
        raise SystemExit("the sample must stay under 1 MB")


if __name__ == "__main__":
    main()
