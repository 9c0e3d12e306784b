"""Open an OOXML package without trusting it.

A .docx is a zip archive from a stranger.  Before any XML is parsed, the zip
directory is checked (entry count, declared sizes, compression ratio) and every
part is read with a hard byte limit, because declared sizes can lie.  XML is
parsed with entities and DTDs disabled and any DOCTYPE is refused.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import UnreadableError


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 2000
    max_total: int = 512 * 1024 * 1024  # declared, all entries
    max_part: int = 64 * 1024 * 1024  # read, one XML part
    max_ratio: int = 150  # for entries larger than ratio_floor
    ratio_floor: int = 2 * 1024 * 1024


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          dtd_validation=False, huge_tree=False, remove_comments=True,
                          remove_pis=True)

REL_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                       "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


class Package:
    """A checked zip archive; read parts with :meth:`xml` or :meth:`names`."""

    def __init__(self, path: Path, limits: ZipLimits = ZipLimits()) -> None:
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise UnreadableError("truncated_zip" if _looks_truncated(path) else "not_zip") from exc
        except (OSError, ValueError, EOFError) as exc:
            raise UnreadableError("not_zip") from exc
        self._infos = {info.filename: info for info in self._zip.infolist()}
        self._check_directory()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def names(self) -> list[str]:
        return list(self._infos)

    def _check_directory(self) -> None:
        lim = self.limits
        if len(self._infos) > lim.max_entries:
            raise UnreadableError("zip_bomb", detail=f"{len(self._infos)} entries")
        total = 0
        for info in self._infos.values():
            total += info.file_size
            if info.file_size > lim.ratio_floor and \
                    info.file_size > lim.max_ratio * max(info.compress_size, 1):
                raise UnreadableError("zip_bomb", detail=f"{info.filename}: ratio "
                                      f"{info.file_size // max(info.compress_size, 1)}:1")
        if total > lim.max_total:
            raise UnreadableError("zip_bomb", detail=f"{total // (1024 * 1024)} MB")

    def read(self, name: str) -> bytes:
        """Read a part, never more than ``max_part`` bytes whatever the header says."""
        info = self._infos.get(name)
        if info is None:
            raise KeyError(name)
        if info.flag_bits & 0x1:
            raise UnreadableError("encrypted_office")
        limit = self.limits.max_part
        try:
            with self._zip.open(info) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            raise UnreadableError("truncated_zip") from exc
        except RuntimeError as exc:  # zipfile raises this for encrypted entries
            raise UnreadableError("encrypted_office") from exc
        if len(data) > limit:
            raise UnreadableError("zip_bomb", detail=f"{name} > {limit // (1024 * 1024)} MB")
        return data

    def xml(self, name: str) -> etree._Element:
        data = self.read(name)
        head = data[:4096].lstrip(b"\xef\xbb\xbf").lower()
        if b"<!doctype" in head or b"<!entity" in data[:65536].lower():
            raise UnreadableError("xml_forbidden")
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise UnreadableError("bad_xml", detail=f"{name}: {str(exc)[:80]}") from exc
        if root.getroottree().docinfo.doctype:
            raise UnreadableError("xml_forbidden")
        return root

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


def _looks_truncated(path: Path) -> bool:
    """A zip that starts like one but has no end-of-central-directory record."""
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"
