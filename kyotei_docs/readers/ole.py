"""Look inside an OLE compound file (.doc, a password-protected .docx) without trusting it.

Sniffing needs two answers from an OLE file: which streams it holds
(``WordDocument``: a Word 97–2003 document; ``EncryptedPackage``: an Office
2007+ file under a password) and, for a .doc, whether Word encrypted it (the
``fEncrypted`` bit of the File Information Block at the start of the
``WordDocument`` stream).  Stream names are compared case-insensitively, as the
format says (some writers store ``WORDDOCUMENT``).

The reader follows sector chains with a bounded number of steps and reads at
most the FAT and directory sectors, each once, so a hostile file with looping
chains costs nothing.  It
raises :class:`ValueError` on anything malformed; :mod:`.sniff` then falls
back to a bounded scan of the file's first bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import IO

from .sniff import OLE_MAGIC as MAGIC  # one definition, in the module every file meets first

_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_FIB_ENCRYPTED = 0x0100  # FibBase.fEncrypted (flags word at offset 0x0A)


@dataclass(frozen=True)
class OleInfo:
    streams: frozenset[str]  # lower-case names
    word_encrypted: bool = False
    #: the ``WordDocument`` stream's first sector and size, when it lies in regular sectors
    word_stream: tuple[int, int] | None = None
    sector: int = 512


def inspect(fh: IO[bytes], size: int) -> OleInfo:
    header = _read_at(fh, 0, 512)
    if header[:8] != MAGIC or len(header) < 512:
        raise ValueError("not an OLE file")
    shift = struct.unpack("<H", header[0x1E:0x20])[0]
    if shift not in (9, 12):
        raise ValueError("sector size")
    sector = 1 << shift
    n_fat, first_dir = struct.unpack("<II", header[0x2C:0x34])
    cutoff = struct.unpack("<I", header[0x38:0x3C])[0]
    first_difat, n_difat = struct.unpack("<II", header[0x44:0x4C])
    if n_fat > size // sector + 1:
        raise ValueError("FAT count")

    def offset(sid: int) -> int:
        off = (sid + 1) * sector
        if sid >= _END - 16 or off >= size:
            raise ValueError("sector out of file")
        return off

    fat_sectors = [s for s in struct.unpack("<109I", header[0x4C:0x200]) if s != _FREE][:n_fat]
    sid, steps = first_difat, 0
    while len(fat_sectors) < n_fat and sid not in (_END, _FREE) and steps <= n_difat:
        block = struct.unpack(f"<{sector // 4}I", _read_at(fh, offset(sid), sector))
        fat_sectors += [s for s in block[:-1] if s != _FREE]
        sid, steps = block[-1], steps + 1
    per = sector // 4

    def next_sector(sid: int) -> int:
        index, slot = divmod(sid, per)
        if index >= len(fat_sectors):
            raise ValueError("FAT index")
        raw = _read_at(fh, offset(fat_sectors[index]) + 4 * slot, 4)
        if len(raw) < 4:
            raise ValueError("FAT read")
        return struct.unpack("<I", raw)[0]

    names: set[str] = set()
    word: tuple[int, int] | None = None
    sid, seen = first_dir, set[int]()
    while sid not in (_END, _FREE):
        if sid in seen or len(seen) > size // sector:
            raise ValueError("directory chain loops")
        seen.add(sid)
        data = _read_at(fh, offset(sid), sector)
        for i in range(0, len(data) - 127, 128):
            entry = data[i:i + 128]
            length = struct.unpack("<H", entry[0x40:0x42])[0]
            kind = entry[0x42]
            if kind not in (1, 2, 5) or not 2 <= length <= 64:
                continue
            name = entry[:length - 2].decode("utf-16-le", "replace").lower()
            names.add(name)
            if name == "worddocument" and kind == 2:
                word = struct.unpack("<II", entry[0x74:0x7C])
        sid = next_sector(sid)
    encrypted = False
    if word is not None and word[1] >= cutoff and word[1] >= 12:  # in regular sectors (always, for Word)
        fib = _read_at(fh, offset(word[0]), 12)
        if len(fib) == 12 and fib[:2] == b"\xec\xa5":
            encrypted = bool(struct.unpack("<H", fib[0x0A:0x0C])[0] & _FIB_ENCRYPTED)
    regular = word if word is not None and word[1] >= cutoff else None
    return OleInfo(frozenset(names), encrypted, regular, sector)


def read_word_stream(fh: IO[bytes], size: int, max_bytes: int) -> bytes:
    """The first ``max_bytes`` of a .doc's ``WordDocument`` stream (where Word keeps the text), b"" if
    there is none; the sector chain is followed at most as many steps as the file has sectors."""
    info = inspect(fh, size)
    if info.word_stream is None:
        return b""
    header = _read_at(fh, 0, 512)
    sector = info.sector
    per = sector // 4
    n_fat = struct.unpack("<I", header[0x2C:0x30])[0]
    fat_sectors = [s for s in struct.unpack("<109I", header[0x4C:0x200]) if s != _FREE][:n_fat]
    sid, length = info.word_stream
    out, steps = bytearray(), 0
    while sid not in (_END, _FREE) and len(out) < min(length, max_bytes) and steps <= size // sector:
        off = (sid + 1) * sector
        if off >= size:
            raise ValueError("sector out of file")
        out += _read_at(fh, off, sector)
        index, slot = divmod(sid, per)
        if index >= len(fat_sectors):  # FATs listed past the header's 109 (a file of ~7 MB and more): stop here
            break
        raw = _read_at(fh, (fat_sectors[index] + 1) * sector + 4 * slot, 4)
        sid, steps = (struct.unpack("<I", raw)[0] if len(raw) == 4 else _END), steps + 1
    return bytes(out[:min(length, max_bytes)])


def _read_at(fh: IO[bytes], pos: int, n: int) -> bytes:
    fh.seek(pos)
    return fh.read(n)
