"""Staff-supplied inputs besides Form 1: the negotiated item wording, past results, photos.

All three are plain files so staff can prepare them in Notepad or Excel:

* items file: one item per line, in order; blank lines and lines starting with
  「#」 are ignored; a leading number (⑴, (1), 1., １．) is removed.  If the last
  line starts with 「その他」 it is the closing item, otherwise the standard one
  is added;
* results file: a line naming a fiscal year (「令和７年度」, 「R7」, 「2025年度」)
  starts a year, the lines under it are that year's results (a leading 「・」 or
  「-」 is removed);
* photos: JPEG or PNG, recognised by content, not by name.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .messages import RenderError

__all__ = ["photo_suffix", "read_items_file", "read_results_file"]

_MAX_INPUT = 1024 * 1024
_NUMBERING = re.compile(r"^\s*(?:[\u2474-\u2487\u2460-\u2473]|[(（]\s*[0-9０-９]+\s*[)）]|[0-9０-９]+\s*[.．、，)）])\s*")
_BULLET = re.compile(r"^\s*[・\-‐－*●○◯■□]\s*")
_FY = re.compile(r"^(?:(令和|平成|R|H)\s*([0-9]+|元)|([0-9]{4}))\s*(?:年度|年)?(?:連携実績|の?実績)?$", re.I)


def _read(path: Path, code: str) -> str:
    try:
        if path.stat().st_size > _MAX_INPUT:
            raise RenderError(code, path=str(path), detail="> 1 MB")
        data = path.read_bytes()
    except OSError as exc:
        raise RenderError(code, path=str(path), detail=exc.strerror or type(exc).__name__) from exc
    for encoding in ("utf-8-sig", "cp932"):  # Notepad: UTF-8; older Excel exports: Shift_JIS
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RenderError(code, path=str(path), detail="UTF-8 / Shift_JIS")


def read_items_file(path: Path) -> list[str]:
    """The items, in order, without numbering (see the module docstring)."""
    items = []
    for line in _read(path, "items_file").splitlines():
        text = line.strip().strip("\u3000")
        if not text or text.startswith(("#", "＃")):
            continue
        text = _NUMBERING.sub("", text, count=1).strip()
        if text:
            items.append(text)
    if not items:
        raise RenderError("no_items", path=str(path))
    return items


def fiscal_year_heading(line: str) -> int | None:
    """2025 for 「令和７年度」, 「R7年度」, 「2025年度」 or 「令和7年度連携実績」; None for other text."""
    text = unicodedata.normalize("NFKC", line).strip().lstrip("・-*●■ ").replace(" ", "")
    m = _FY.match(text)
    if not m:
        return None
    if m.group(3):
        return int(m.group(3))
    era, num = m.group(1).upper(), m.group(2)
    year = 1 if num == "元" else int(num)
    if era in ("令和", "R"):
        return 2018 + year
    return 1988 + year


def read_results_file(path: Path) -> dict[int, list[str]]:
    """``{fiscal year: [results]}`` from a results file."""
    results: dict[int, list[str]] = {}
    current: int | None = None
    for n, line in enumerate(_read(path, "results_file").splitlines(), start=1):
        text = line.strip().strip("\u3000")
        if not text or text.startswith(("#", "＃")):
            continue
        fy = fiscal_year_heading(text)
        if fy is not None:
            current = fy
            results.setdefault(fy, [])
            continue
        if current is None:
            raise RenderError("results_no_year", path=str(path), line=n)
        results[current].append(_BULLET.sub("", text, count=1))
    return results


def photo_suffix(path: Path) -> str:
    """".jpg" or ".png" from the file's first bytes; RenderError for anything else."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise RenderError("photo_bad", path=str(path)) from exc
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    raise RenderError("photo_bad", path=str(path))
