"""Run LibreOffice headless to convert documents, safely and in batches.

What goes wrong with ``soffice --convert-to`` (``docs/pitfalls.md``) and what is
done about it here:

* two processes sharing a profile lose output silently → every run gets its own
  ``-env:UserInstallation`` profile in a temporary folder;
* soffice exits 0 when a file "could not be loaded" → every output is verified
  (exists, right magic bytes, opens, has pages) and missing ones are failures;
* some files hang it → a hard timeout kills the whole process group, then one
  retry of what is still missing; and when kyotei itself stops, is stopped by
  the drop folder's pool or is killed, LibreOffice goes with it
  (:func:`kyotei_docs.oskit.start_group`), and each of its processes has a
  memory cap (``[limits] office_memory_mb``): a hostile .doc/.rtf cannot take
  the server's memory;
* start-up costs ~0.8 s → one process converts a whole batch;
* a new profile's first start is the costliest moment of a conversion: LibreOffice
  runs its graphics self-test (4096×4096 bitmaps: +128 MB, ~0.7 s CPU) and
  restarts itself once → each profile is seeded so that it skips both
  (:func:`_seed_profile`; measured in bench/RESULTS.md, issue 17);
* Mincho fonts are absent on Linux → a private fontconfig file maps
  ＭＳ 明朝/游明朝/Mincho to IPA明朝 (same metrics) and Gothic faces to IPAexGothic.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KyoteiError
from .exitcodes import ExitCode
from .i18n import Catalog
from .oskit import start_group
from .publish import publish

MESSAGES: Catalog = {
    "office_missing": ("LibreOffice（soffice）が見つかりません。PDF 変換・旧形式の読み込みにはインストールが必要です"
                       "（Windows: https://ja.libreoffice.org/ から、Debian/Ubuntu: sudo apt-get install libreoffice-writer）。",
                       "LibreOffice (soffice) was not found; it is needed for PDF conversion and legacy formats."),
    "timeout": ("LibreOffice が {seconds} 秒以内に終了しませんでした。", "LibreOffice did not finish within {seconds} s."),
    "no_output": ("LibreOffice が出力を作りませんでした（ファイルを開けなかった可能性があります）。",
                  "LibreOffice produced no output (it probably could not load the file)."),
    "bad_output": ("LibreOffice の出力が壊れています（{detail}）。", "LibreOffice output is broken ({detail})."),
    "stopping": ("終了するため LibreOffice を止めました。", "LibreOffice was stopped: kyotei is ending."),
}

#: the LibreOffice groups running in this process, and whether it is ending (:func:`stop_all`)
_running: set[object] = set()
_running_lock = threading.Lock()
_stopping = threading.Event()


def stop_all() -> None:
    """This process is ending (a server's stop): end every LibreOffice it runs and start no other.

    Why: a conversion thread would otherwise keep LibreOffice and its private
    folders until the process vanished under it (the server's ``.work/pdf-…``
    left behind after SIGTERM); stopped, each conversion returns at once with
    :data:`MESSAGES` ``stopping`` and its caller cleans up as after any failure.
    """
    _stopping.set()
    with _running_lock:
        groups = list(_running)
    for group in groups:
        group.kill()  # type: ignore[attr-defined]


_FILTERS = {"pdf": "pdf:writer_pdf_Export", "docx": "docx:MS Word 2007 XML"}

_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""
_SERIF = ("ＭＳ 明朝", "MS 明朝", "ＭＳ Ｐ明朝", "MS Mincho", "MS PMincho", "游明朝", "Yu Mincho",
          "游明朝体", "YuMincho", "ヒラギノ明朝 ProN", "Hiragino Mincho ProN", "明朝", "Mincho")
_SANS = ("ＭＳ ゴシック", "MS ゴシック", "ＭＳ Ｐゴシック", "MS Gothic", "MS PGothic", "游ゴシック",
         "Yu Gothic", "メイリオ", "Meiryo", "ゴシック", "Gothic")


class OfficeUnavailable(KyoteiError):
    catalog = MESSAGES
    exit_code = ExitCode.DOCUMENTS

    def __init__(self) -> None:
        super().__init__("office_missing")


@dataclass
class ConversionResult:
    outputs: dict[Path, Path] = field(default_factory=dict)
    failures: dict[Path, str] = field(default_factory=dict)


def soffice_path() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.path.exists(candidate):
            return candidate
    return None


def soffice_available() -> bool:
    return soffice_path() is not None


def convert(inputs: list[Path], target: str, out_dir: Path, *, timeout: float = 120.0,
            retries: int = 1, memory_mb: int | None = None) -> ConversionResult:
    """Convert ``inputs`` to ``target`` ("pdf" or "docx") into ``out_dir``.

    Output names are the input stem with the new suffix, or ``stem (2).pdf`` …
    when that name is taken: an existing file is never replaced.  Inputs with the
    same stem in one batch would collide, so each such input gets a batch of its own.
    """
    exe = soffice_path()
    if exe is None:
        raise OfficeUnavailable()
    if memory_mb is None:  # the limits of the command (or of the configuration found the usual way)
        from .readers.options import current

        memory_mb = current().effective_limits().office_memory_mb
    out_dir.mkdir(parents=True, exist_ok=True)
    result = ConversionResult()
    pending = [Path(p) for p in inputs]
    # soffice writes into a fresh scratch folder: a file already in out_dir can
    # neither be overwritten nor be mistaken for this run's output
    with tempfile.TemporaryDirectory(prefix=".kyotei-convert-", dir=out_dir) as scratch_name:
        scratch = Path(scratch_name)
        for _attempt in range(retries + 1):
            if not pending:
                break
            for batch in _batches(pending):
                error = _run(exe, batch, target, scratch, timeout, memory_mb)
                for src in batch:
                    made = scratch / f"{src.stem}.{target}"
                    problem = _verify(made, target) if made.exists() else (error or _msg("no_output"))
                    if problem is None:
                        result.outputs[src] = _place(made, out_dir)
                        result.failures.pop(src, None)
                    else:
                        result.failures[src] = problem
            pending = [p for p in pending if p not in result.outputs]
    return result


def _place(made: Path, out_dir: Path) -> Path:
    """Move a verified output into ``out_dir`` under a free name (never replacing a file).

    ``made`` is in a scratch folder inside ``out_dir`` (one file system), so it is published as it is.
    """
    return publish(made, out_dir / made.name)


def _batches(paths: list[Path]) -> list[list[Path]]:
    batches: list[list[Path]] = [[]]
    seen: set[str] = set()
    for path in paths:
        if path.stem in seen:
            batches.append([path])
        else:
            batches[0].append(path)
            seen.add(path.stem)
    return [b for b in batches if b]


_SEED = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>99.9</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseOpenCL" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def _seed_profile(profile: Path, exe: str) -> None:
    """Write what a new profile needs before LibreOffice first starts in it.

    Why: every conversion gets a profile of its own (two processes sharing one
    lose output), and LibreOffice treats each new profile as a first start
    (measured with LibreOffice 7.4, bench/RESULTS.md issue 17):

    * ``ooSetupLastVersion`` older than the program (a new profile has none) makes it
      run its graphics self-test (``GraphicsRenderTests``, drawing on 4096×4096
      bitmaps) before anything else: 128 MB more at the peak and ~0.7 s CPU, every
      time.  It compares major×10+minor of its own version with this value, so 99.9
      means "not upgraded" for every version; a headless conversion reads it nowhere else.
    * ``user/extensions/buildid`` missing or not this build's id makes it clear its
      extension cache, register the bundled extensions and start itself again
      (~0.1 s CPU, a second start).  The id is read from the installation's
      ``versionrc``/``version.ini``; not found, LibreOffice restarts as before
      (slower, the same output).
    * ``UseOpenCL`` off: on a PC with an OpenCL driver LibreOffice tests it at start by
      loading Calc; a conversion of Word documents never uses it.
    """
    user = profile / "user"
    (user / "extensions").mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_SEED, encoding="utf-8")
    build = _build_id(exe)
    if build:
        (user / "extensions" / "buildid").write_text(build, encoding="utf-8")


@functools.lru_cache(maxsize=4)
def _build_id(exe: str) -> str | None:
    """The ``buildid`` of the LibreOffice installation that ``exe`` belongs to (``40(Build:2)``), or None."""
    program = Path(os.path.realpath(exe)).parent
    for rc in (program / "versionrc", program / "version.ini", program.parent / "Resources" / "versionrc"):
        try:
            text = rc.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition("=")
            if key.strip().lower() == "buildid" and value.strip():
                return value.strip()
    return None


def _run(exe: str, batch: list[Path], target: str, out_dir: Path, timeout: float, memory_mb: int = 0) -> str | None:
    """One soffice process for the batch; returns an error text on timeout."""
    with tempfile.TemporaryDirectory(prefix="kyotei-lo-") as tmp:
        profile = Path(tmp) / "profile"
        _seed_profile(profile, exe)
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(_fonts_conf(Path(tmp)))
        env.setdefault("HOME", tmp)
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
               "--nologo", "--nodefault", "--norestore", "--nolockcheck",
               "--convert-to", _FILTERS.get(target, target), "--outdir", str(out_dir),
               *[str(p) for p in batch]]
        with _running_lock:
            if _stopping.is_set():
                return _msg("stopping")
            group = start_group(cmd, memory_mb=memory_mb, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env)
            _running.add(group)
        try:
            group.wait(timeout=timeout + 5 * len(batch))
        except subprocess.TimeoutExpired:
            group.kill()
            return _msg("timeout", seconds=int(timeout))
        except BaseException:  # Ctrl+C, SIGTERM turned into an exception: LibreOffice goes with us
            group.kill()
            raise
        finally:
            with _running_lock:
                _running.discard(group)
    return _msg("stopping") if _stopping.is_set() else None


def _fonts_conf(folder: Path) -> Path:
    def alias(family: str, prefer: tuple[str, ...]) -> str:
        fams = "".join(f"<family>{f}</family>" for f in prefer)
        return (f'  <match target="pattern"><test name="family" qual="any"><string>{family}</string></test>'
                f'<edit name="family" mode="prepend" binding="strong">'
                + "".join(f"<string>{f}</string>" for f in prefer) + "</edit></match>\n"
                f"  <alias binding=\"same\"><family>{family}</family><prefer>{fams}</prefer></alias>")
    serif = ("IPAMincho", "IPAmjMincho", "IPAexMincho", "Noto Serif CJK JP")
    sans = ("IPAexGothic", "IPAGothic", "Noto Sans CJK JP")
    aliases = "\n".join([alias(f, serif) for f in _SERIF] + [alias(f, sans) for f in _SANS])
    path = folder / "fonts.conf"
    path.write_text(_FONTS_CONF.format(aliases=aliases), encoding="utf-8")
    return path


def _verify(out: Path, target: str) -> str | None:
    try:
        if target == "pdf":
            with open(out, "rb") as fh:
                if not fh.read(1024).lstrip().startswith(b"%PDF"):
                    return _msg("bad_output", detail="not a PDF")
            from pypdf import PdfReader
            if len(PdfReader(str(out)).pages) < 1:
                return _msg("bad_output", detail="no pages")
        elif target == "docx":
            from .readers.package import Package

            with Package(out) as pkg:
                if "word/document.xml" not in pkg:
                    return _msg("bad_output", detail="no word/document.xml")
    except Exception as exc:  # any failure to open is a broken output
        return _msg("bad_output", detail=type(exc).__name__)
    return None


def _msg(key: str, **params: object) -> str:
    from .i18n import say
    return say(MESSAGES, key, **params)
