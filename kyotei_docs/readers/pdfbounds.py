"""Caps on what pdfminer does for one PDF: what it inflates from one stream, and the pages it walks.

pdfminer inflates each Flate stream whole (``zlib.decompress``), so a 1 MB PDF
whose page content inflates to 1 GB filled the parsing child up to its memory
limit (850 MB resident, 10 s) before it was stopped.  Installed in the child
that parses (:func:`kyotei_docs.readers.pdf.read_pdf_unlimited`), this makes
pdfminer's ``zlib`` a bounded one: a stream that inflates past the cap ends the
read at once as ``zip_bomb`` ("expands to an abnormal size").  pypdf has a cap
of its own (75 MB per stream).

The cap (``[limits] pdf_stream_mb``) is far above any real page: content
streams are kilobytes, embedded font programs a few MB; images are not
inflated by the text layer at all.

pdfplumber's ``pdf.pages`` walks the whole page tree before the first page
can be read (a 9.5 MB PDF of 20,000 pages: 18 s); :func:`first_pages` stops
the walk after the pages that are read (``[limits] pdf_pages``).
"""

from __future__ import annotations

import itertools
import types
import zlib
from typing import Any

from ..errors import UnreadableError

_CHUNK = 1 << 20


class _Inflater:
    """``zlib.decompressobj()`` whose output, summed over its life, may not pass ``cap``."""

    def __init__(self, cap: int, *args: Any) -> None:
        self._d = zlib.decompressobj(*args)
        self._cap = cap
        self._out = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        if max_length:  # the caller bounds this call itself; the total is still counted
            out = self._d.decompress(data, max_length)
        else:
            room = self._cap + 1 - self._out
            if room <= 0:
                _refuse(self._cap)
            out = self._d.decompress(data, room)
            if self._d.unconsumed_tail:  # stopped by the room left, with more to come
                _refuse(self._cap)
        self._out += len(out)
        if self._out > self._cap:
            _refuse(self._cap)
        return out

    def flush(self, *args: Any) -> bytes:
        out = self._d.flush(*args)
        self._out += len(out)
        if self._out > self._cap:
            _refuse(self._cap)
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._d, name)


def _refuse(cap: int) -> None:
    raise UnreadableError("zip_bomb", detail=f"PDF stream > {cap // (1024 * 1024)} MB")


def bounded_zlib(cap: int) -> types.ModuleType:
    """A stand-in for the ``zlib`` module whose ``decompress`` and ``decompressobj`` stop at ``cap`` bytes."""
    shim = types.ModuleType("zlib_bounded")
    shim.__dict__.update({k: v for k, v in vars(zlib).items() if not k.startswith("__")})

    def decompress(data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:
        d = zlib.decompressobj(wbits)
        out = d.decompress(data, cap + 1)
        if len(out) > cap or d.unconsumed_tail:
            _refuse(cap)
        if not d.eof:  # what zlib.decompress says of a stream cut short (pdfminer then tries to repair)
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    shim.decompress = decompress  # type: ignore[attr-defined]
    shim.decompressobj = lambda *args: _Inflater(cap, *args)  # type: ignore[attr-defined]
    return shim


def install(cap_mb: int) -> None:
    """Give pdfminer a bounded ``zlib`` (in the parsing child; harmless anywhere)."""
    from pdfminer import pdftypes

    pdftypes.zlib = bounded_zlib(int(cap_mb) * 1024 * 1024)


def first_pages(pdf: Any, n: int) -> list[Any]:
    """``pdf.pages[:n]`` of a :mod:`pdfplumber` PDF, without walking the rest of the page tree.

    Builds the pages as pdfplumber's own ``pages`` property does (page number,
    running ``doctop``) and keeps them as that property's value, so anything
    asking ``pdf.pages`` later sees the same pages; ``pdf.close()`` (also on
    leaving ``with``) closes these pages instead of walking the tree once more.
    """
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    pages: list[Any] = []
    doctop: float = 0
    for i, obj in enumerate(itertools.islice(PDFPage.create_pages(pdf.doc), max(0, n))):
        page = Page(pdf, obj, page_number=i + 1, initial_doctop=doctop)
        pages.append(page)
        doctop += page.height
    pdf._pages = pages

    def close() -> None:  # pdfplumber's own close() empties its caches, then walks every page again
        for page in pages:
            page.close()
        pdf.flush_cache()
        if not pdf.stream_is_external:
            pdf.stream.close()

    pdf.close = close
    return pages
