"""The limits for untrusted work, in one place: ``[limits]`` in the configuration.

Every submitted file may be hostile (``docs/pitfalls.md``, "Hostile input"):
a zip whose entries inflate to gigabytes, a PDF whose parser loops, a .doc
that hangs LibreOffice.  Each reader, the sandbox that runs it and the
LibreOffice runner take their bounds from one :class:`Limits`, built and checked
once when the configuration is loaded (``Config.limits``) and passed down (or carried for the
readers by :mod:`kyotei_docs.readers.options`).  The zip bounds are not in the
shipped configuration, but a city may still set them there.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


#: limits set in another table of the configuration, where staff look for them
ELSEWHERE = {"submission_seconds": ("inbox", "timeout_seconds"), "worker_memory_mb": ("inbox", "worker_memory_mb")}


@dataclass(frozen=True)
class Limits:
    """Bounds for untrusted work: reading one file, and the drop folder's workers."""

    pdf_seconds: float = 60.0
    """time for reading one PDF (in a child process)"""
    memory_mb: int = 1024
    """address space of the child reading one file (Linux/macOS; Windows: a job object)"""
    pdf_pages: int = 20
    """pages read from one PDF (Form 1 comes first; attachments may follow)"""
    pdf_stream_mb: int = 32
    """bytes one PDF stream may inflate to (a page's content is kilobytes; a Flate bomb is gigabytes)"""
    ocr_seconds: float = 300.0
    """extra time when a file is read by OCR (a scan, a photo; ``[reading] ocr``, ``--ocr``)"""
    office_seconds: float = 120.0
    """LibreOffice conversion of one .doc/.odt/.rtf file"""
    office_memory_mb: int = 2048
    """address space of each LibreOffice process (it maps ~0.5 GB converting a form)"""
    file_mb: int = 50
    """largest submitted file read at all (Form 1 with photos is a few MB)"""
    zip_entries: int = 2000
    """entries in one zip (.docx, .odt, a template)"""
    zip_total_mb: int = 512
    """bytes all entries of one zip may inflate to, counted while inflating"""
    zip_part_mb: int = 64
    """bytes one entry may inflate to (a photo in an .odt or a template)"""
    zip_xml_mb: int = 16
    """bytes of one XML part that is parsed (lxml needs several times its size in memory; a Form 1's
    ``word/document.xml`` is well under 1 MB, a long attachment a few MB)"""
    zip_ratio: int = 150
    """declared inflation ratio refused for entries above 2 MB (a cheap first look; the caps above decide)"""
    submission_seconds: float = 120.0
    """a drop-folder worker's time for one submission (set as ``[inbox] timeout_seconds``)"""
    worker_memory_mb: int = 1536
    """memory of one drop-folder worker, which reads and drafts (``[inbox] worker_memory_mb``); 0 = no cap"""
    worker_retire_mb: float = 100.0
    """a worker whose resident size passed this after a task is replaced (measured: a worker settles
    at ~60 MB but creeps upwards over hundreds of documents; two workers, the parent and the resource
    tracker must stay under 300 MB together)"""

    @property
    def file_bytes(self) -> int:
        return int(self.file_mb) * MB

    @property
    def zip_total_bytes(self) -> int:
        return int(self.zip_total_mb) * MB

    @property
    def zip_xml_bytes(self) -> int:
        return int(self.zip_xml_mb) * MB

    @property
    def zip_part_bytes(self) -> int:
        return int(self.zip_part_mb) * MB
