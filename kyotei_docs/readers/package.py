"""Open a zip package (.docx, .odt, a template) without trusting it.

Every zip the project opens goes through here: sniffing a file's format, the
.docx reader, the check before an .odt goes to LibreOffice, ``templates
check`` and the renderer's template lint.  A zip is a stranger's:

* the entry count is read from the end record *before* the central directory is
  parsed (a zip with a million entries would cost gigabytes as ``ZipInfo``);
* declared sizes are only a first look (an absurd ratio is refused at once);
  what decides is what inflates: every entry is stream-decompressed with a byte
  cap, and all reads of one package share a total cap;
* XML is parsed with entities and DTDs disabled, and any DOCTYPE is refused;
* a zip cut short (no end record: a failed transfer or save) is ``truncated``,
  one whose directory or data is damaged (bad CRC, broken deflate) ``corrupt``.

The bounds come from :class:`kyotei_docs.limits.Limits`.
"""

from __future__ import annotations

import os
import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any, Self

from lxml import etree

from ..errors import UnreadableError
from ..limits import MB, Limits

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          dtd_validation=False, huge_tree=False, remove_comments=True,
                          remove_pis=True)

REL_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                       "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
#: declared ratios are only looked at for entries larger than this
RATIO_FLOOR = 2 * MB
_CHUNK = 256 * 1024
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
#: OpenOffice 2's manifest DOCTYPE: no internal subset, nothing to expand (matched lower-cased)
_HARMLESS_DOCTYPE = re.compile(rb'<!doctype\s+manifest:manifest\s+public\s+"-//openoffice\.org//dtd manifest 1\.0//en"'
                               rb'\s+"manifest\.dtd"\s*>')
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


def _limits(limits: Limits | None) -> Limits:
    if limits is not None:
        return limits
    from .options import current

    return current().effective_limits()


class Package:
    """A checked zip archive; read parts with :meth:`read`, :meth:`head` or :meth:`xml`.

    ``source`` is a path or bytes (a document rendered in memory).
    """

    def __init__(self, source: Path | str | bytes, limits: Limits | None = None) -> None:
        self.limits = _limits(limits)
        self._inflated = 0
        fh: IO[bytes]
        if isinstance(source, (bytes, bytearray)):
            import io

            fh = io.BytesIO(source)
        else:
            try:
                fh = open(source, "rb")  # noqa: SIM115 (closed by close(), also on a failed open below)
            except OSError as exc:
                raise UnreadableError("not_zip") from exc
        self._fh = fh
        try:
            entries = _declared_entries(fh)
            if entries is None:
                if not _starts_like_zip(fh):
                    raise UnreadableError("not_zip")
                raise UnreadableError("truncated_zip", kind=kind_from_local_headers(fh))
            if entries > self.limits.zip_entries:
                raise UnreadableError("zip_bomb", detail=f"{entries} entries")
            try:
                self._zip = zipfile.ZipFile(fh)
            except zipfile.BadZipFile as exc:
                raise UnreadableError("corrupt_zip", detail=_short(exc)) from exc
            except (OSError, ValueError, EOFError, NotImplementedError) as exc:
                raise UnreadableError("corrupt_zip", detail=_short(exc)) from exc
            self._infos = {info.filename: info for info in self._zip.infolist()}
            self._check_directory()
        except BaseException:
            fh.close()
            raise

    def close(self) -> None:
        zf = getattr(self, "_zip", None)
        if zf is not None:
            zf.close()
        self._fh.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def names(self) -> list[str]:
        return list(self._infos)

    def info(self, name: str) -> zipfile.ZipInfo:
        """The directory entry of a part (to copy it into a new zip with its dates and flags)."""
        return self._infos[name]

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def _check_directory(self) -> None:
        lim = self.limits
        if len(self._infos) > lim.zip_entries:
            raise UnreadableError("zip_bomb", detail=f"{len(self._infos)} entries")
        total = 0
        for info in self._infos.values():
            total += info.file_size
            if info.file_size > RATIO_FLOOR and info.file_size > lim.zip_ratio * max(info.compress_size, 1):
                raise UnreadableError("zip_bomb", detail=f"{info.filename}: ratio "
                                      f"{info.file_size // max(info.compress_size, 1)}:1")
        if total > lim.zip_total_bytes:
            raise UnreadableError("zip_bomb", detail=f"{total // MB} MB")

    def _open(self, name: str) -> IO[bytes]:
        info = self._infos.get(name)
        if info is None:
            raise KeyError(name)
        if info.flag_bits & 0x1:
            raise UnreadableError("encrypted_office")
        try:
            return self._zip.open(info)
        except RuntimeError as exc:  # zipfile raises this for encrypted entries
            raise UnreadableError("encrypted_office") from exc
        except _DAMAGE as exc:
            raise UnreadableError("corrupt_zip", detail=f"{name}: {_short(exc)}") from exc

    def read(self, name: str, cap: int | None = None) -> bytes:
        """A part, inflated in chunks: never more than ``cap`` (default ``zip_part_mb``) bytes,
        and never more than ``zip_total_mb`` over all reads of this package, whatever the
        headers say."""
        limit = min(cap, self.limits.zip_part_bytes) if cap else self.limits.zip_part_bytes
        out = bytearray()
        with self._open(name) as fh:
            while True:
                try:
                    chunk = fh.read(min(_CHUNK, limit + 1 - len(out)))
                except _DAMAGE as exc:
                    raise UnreadableError("corrupt_zip", detail=f"{name}: {_short(exc)}") from exc
                if not chunk:
                    break
                out += chunk
                self._count(len(chunk), name)
                if len(out) > limit:
                    raise UnreadableError("zip_bomb", detail=f"{name} > {_size(limit)}")
        return bytes(out)

    def head(self, name: str, n: int) -> bytes:
        """The first ``n`` bytes of a part (for a ``mimetype`` entry): nothing more is inflated."""
        with self._open(name) as fh:
            try:
                data = fh.read(n)
            except _DAMAGE as exc:
                raise UnreadableError("corrupt_zip", detail=f"{name}: {_short(exc)}") from exc
        self._count(len(data), name)
        return data

    def verify(self) -> None:
        """Inflate every entry (and check its CRC) under the caps, keeping nothing.

        Before the package goes to a library that reads whole entries into
        memory (LibreOffice for an .odt, python-docx under docxtpl for a
        template), this proves that what the entries really inflate to is
        within bounds, not only what the directory claims.  An XML entry with a
        DOCTYPE or an entity declaration is refused too: LibreOffice's parser
        would expand its entities (``SYSTEM "file:///…"`` puts a server file
        into the converted document).  The one DOCTYPE OpenOffice 2 wrote into
        ``META-INF/manifest.xml`` (a public id, no declarations) is let through.
        """
        part = self.limits.zip_part_bytes
        for name in self._infos:
            if name.endswith("/"):
                continue
            size = 0
            xml: bool | None = None
            tail = b""
            with self._open(name) as fh:
                while True:
                    try:
                        chunk = fh.read(_CHUNK)
                    except _DAMAGE as exc:
                        raise UnreadableError("corrupt_zip", detail=f"{name}: {_short(exc)}") from exc
                    if not chunk:
                        break
                    size += len(chunk)
                    self._count(len(chunk), name)
                    if size > part:
                        raise UnreadableError("zip_bomb", detail=f"{name} > {_size(part)}")
                    if xml is None:
                        xml = chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
                    if xml:
                        window = (tail + chunk).lower()
                        if b"<!entity" in window or b"<!doctype" in _HARMLESS_DOCTYPE.sub(b"", window):
                            raise UnreadableError("xml_forbidden")
                        tail = window[-120:]

    def _count(self, n: int, name: str) -> None:
        self._inflated += n
        if self._inflated > self.limits.zip_total_bytes:
            raise UnreadableError("zip_bomb", detail=f"{name}: > {_size(self.limits.zip_total_bytes)}")

    def xml(self, name: str) -> etree._Element:
        """A part parsed as untrusted XML, read under the (smaller) cap for parsed XML."""
        return parse_xml(self.read(name, self.limits.zip_xml_bytes), name)

    def main_part(self) -> str:
        """The officeDocument part named by ``_rels/.rels`` (usually word/document.xml)."""
        if "_rels/.rels" in self._infos:
            rels = self.xml("_rels/.rels")
            for rel in rels.iter(_PKG_RELS):
                if rel.get("Type") in REL_OFFICE_DOCUMENT:
                    target = rel.get("Target", "").lstrip("/")
                    target = posixpath.normpath(target)
                    if target in self._infos:
                        return target
        if "word/document.xml" in self._infos:
            return "word/document.xml"
        raise UnreadableError("not_docx", kind="no word/document.xml")


def checked_workbook(data: bytes, limits: Limits | None = None) -> Any | None:
    """openpyxl's workbook of ``data`` (cell values, not formulas), opened only after every entry was
    inflated under the caps with no DOCTYPE (:meth:`Package.verify`: openpyxl reads entries whole);
    None when ``data`` is no workbook at all (not a zip: a .xls, a PDF; or a zip without
    ``xl/workbook.xml``).  A damaged or oversized zip raises :class:`UnreadableError`.

    The one way a workbook staff send back (a survey, the intent sheet) is opened.
    """
    import io

    from openpyxl import load_workbook

    try:
        with Package(data, limits) as pkg:
            pkg.verify()
            if "xl/workbook.xml" not in pkg:
                return None
    except UnreadableError as exc:
        if exc.code == "not_zip":   # the package reader's own words would name a Word file
            return None
        raise
    return load_workbook(io.BytesIO(data), data_only=True)


def parse_xml(data: bytes, name: str = "") -> etree._Element:
    """Untrusted XML: no DOCTYPE (so no entities, no external DTD), no network, no huge trees."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lower()
    if b"<!doctype" in head or b"<!entity" in data[:65536].lower():
        raise UnreadableError("xml_forbidden")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnreadableError("bad_xml", detail=f"{name}: {str(exc)[:80]}") from exc
    if getattr(root.getroottree().docinfo, "doctype", None):
        raise UnreadableError("xml_forbidden")
    return root


def _declared_entries(fh: IO[bytes]) -> int | None:
    """Entry count from the end-of-central-directory record (zip64 too), or None without one.

    Read from the file's last 64 KiB, so a directory of any size is judged
    before :mod:`zipfile` builds an object for each of its entries.
    """
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    tail_len = min(size, 65536 + 22)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    entries = struct.unpack("<H", tail[at + 10: at + 12])[0]
    if entries == 0xFFFF:
        loc = tail.rfind(_EOCD64_LOCATOR, 0, at)
        if loc >= 0 and at - loc >= 20:
            offset = struct.unpack("<Q", tail[loc + 8: loc + 16])[0]
            if offset < size:
                fh.seek(offset)
                record = fh.read(56)
                if record[:4] == b"PK\x06\x06" and len(record) >= 40:
                    entries = struct.unpack("<Q", record[32:40])[0]
    fh.seek(0)
    return entries


def _starts_like_zip(fh: IO[bytes]) -> bool:
    fh.seek(0)
    return fh.read(4) == b"PK\x03\x04"


#: what the parts' names say a zip-based office file is, for the message about a cut file
_KINDS = ((b"word/", "Word"), (b"xl/", "Excel"), (b"ppt/", "PowerPoint"), (b"application/vnd.oasis.opendocument", "OpenDocument"))
#: how far into a cut file the local headers are read for their names (the directory at the end is gone)
_HEAD = 64 * 1024


def kind_from_local_headers(fh: IO[bytes]) -> str:
    """Word, Excel, PowerPoint or OpenDocument from the part names of a zip whose end is missing.

    The central directory is at the end, so a cut file has none; each part's local
    header (``PK\\3\\4``, its name at offset 30) still names it.  ODF stores its
    type as the first part's text (``mimetype``), so that text is looked at too.
    """
    fh.seek(0)
    head = fh.read(_HEAD)
    at = 0
    seen: list[bytes] = []
    while len(seen) < 64 and (at := head.find(b"PK\x03\x04", at)) >= 0 and at + 30 <= len(head):
        size = int.from_bytes(head[at + 26:at + 28], "little")
        seen.append(head[at + 30:at + 30 + size])
        if size == 8 and seen[-1] == b"mimetype":  # stored uncompressed right after its name
            extra = int.from_bytes(head[at + 28:at + 30], "little")
            seen.append(head[at + 30 + size + extra:at + 30 + size + extra + 64])
        at += 4
    for mark, kind in _KINDS:
        if any(name.startswith(mark) for name in seen):
            return kind
    return "ZIP"


def _short(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:80]


def _size(n: int) -> str:
    return f"{n // MB} MB" if n >= MB else f"{n} B"
