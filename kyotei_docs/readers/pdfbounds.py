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

When a PDF's cross-reference table is damaged (no ``startxref``), pdfminer
rebuilds it from the ``N G obj`` lines of the file and parses every object
whole to find the object streams among them: 6–7 s of CPU for a 9 MB file of
40,000 objects.  :class:`QuickFallback` looks at an object's dictionary bytes
first and parses only the objects that may be object streams.
"""

from __future__ import annotations

import itertools
import re
import types
import zlib
from typing import Any

from pdfminer.pdfdocument import PDFXRefFallback

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
    """Give pdfminer a bounded ``zlib`` and the quick rebuild of a damaged table (in the parsing child)."""
    from pdfminer import pdfdocument, pdftypes

    pdftypes.zlib = bounded_zlib(int(cap_mb) * 1024 * 1024)
    pdfdocument.PDFXRefFallback = QuickFallback  # type: ignore[misc]


#: bytes of an object looked at before deciding it is no object stream
_PEEK = 4096
_OBJ_HEAD = re.compile(rb"\s*\d+\s+\d+\s+obj\b")
_STREAM_KEYWORD = re.compile(rb">>\s*stream\b")


def _end_of_object(fp: Any, pos: int) -> int | None:
    """The offset after the first ``endobj`` from ``pos``; None when there is none."""
    fp.seek(pos)
    carry = b""
    start = pos
    while True:
        chunk = fp.read(_PEEK * 16)
        if not chunk:
            return None
        data = carry + chunk
        found = data.find(b"endobj")
        if found >= 0:
            return start - len(carry) + found + len(b"endobj")
        carry = data[-5:]
        start += len(chunk)


class QuickFallback(PDFXRefFallback):
    """pdfminer's rebuilt table, parsing only the objects whose dictionary may name ``/ObjStm``.

    pdfminer's own ``load`` seeks to each ``N G obj`` it finds and parses the
    object to see whether it is an object stream.  Here an object whose first
    bytes show its whole dictionary (up to ``stream``, or the whole object up
    to ``endobj``) without ``ObjStm`` is recorded unparsed; any other (a longer
    dictionary, one naming ``ObjStm``) is parsed as pdfminer does.  The trailer
    is parsed as before.
    """

    def load(self, parser: Any) -> None:
        real = parser.nextobject

        def peeking() -> Any:
            if parser.buf:  # not straight after a seek: the trailer, or pdfminer's own use
                return real()
            pos = parser.bufpos
            parser.fp.seek(pos)
            head = parser.fp.read(_PEEK)
            parser.seek(pos)
            if _OBJ_HEAD.match(head) and b"ObjStm" not in head and \
                    (_STREAM_KEYWORD.search(head) is not None or b"endobj" in head):
                # its whole dictionary was seen and is no object stream: go on after it, as pdfminer would
                inside = head.find(b"endobj")
                end = pos + inside + len(b"endobj") if inside >= 0 else _end_of_object(parser.fp, pos + len(head) - 5)
                if end is not None:
                    parser.seek(end)
                    return pos, None
            return real()

        parser.nextobject = peeking
        try:
            super().load(parser)
        finally:
            del parser.nextobject


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
