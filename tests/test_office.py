"""The LibreOffice runner, for real: batch conversion, verification, no overwriting, fonts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from docxbuild import Xml, make_docx, p
from kyotei_docs.office import convert


@pytest.mark.libreoffice
@pytest.mark.slow
def test_batch_converts_and_never_overwrites(tmp_path):
    a = make_docx(p("第１条　甲及び乙は協力する。"), tmp_path / "a.docx")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a document")
    out = tmp_path / "out"
    out.mkdir()
    existing = out / "a.pdf"
    existing.write_bytes(b"staff's own file")
    result = convert([a, broken], "pdf", out, timeout=60)
    assert existing.read_bytes() == b"staff's own file"
    made = result.outputs[a]
    assert made.name == "a(2).pdf" and made.read_bytes().startswith(b"%PDF")
    # a file soffice could not load is a failure even though soffice exits 0
    assert broken in result.failures and broken not in result.outputs
    assert not list(out.glob(".kyotei-convert-*"))  # the scratch folder is gone


@pytest.mark.libreoffice
@pytest.mark.slow
def test_mincho_maps_to_an_embedded_serif_font(tmp_path):
    mincho_run = Xml('<w:r><w:rPr><w:rFonts w:eastAsia="ＭＳ 明朝"/><w:lang w:eastAsia="ja-JP"/></w:rPr>'
                     '<w:t>旭川市長</w:t></w:r>')
    doc = make_docx(p(mincho_run), tmp_path / "m.docx")
    pdf = convert([doc], "pdf", tmp_path / "out").outputs[doc]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    mincho = [line for line in fonts.splitlines() if "Mincho" in line]
    assert mincho and all(" yes " in line for line in mincho)  # a Mincho face, embedded


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_new_profile_starts_once_and_skips_the_graphics_self_test(tmp_path, monkeypatch):
    """Each conversion's fresh profile is seeded (``office._seed_profile``): LibreOffice neither runs
    its 4096×4096 graphics self-test (128 MB, ~0.7 s CPU: it writes GraphicsRenderTests.log when it
    does) nor restarts itself to register its extensions (it leaves OfficeRestartInProgress then).
    The profile of the real run is kept by a spy around ``start_group`` for a look afterwards."""
    import shutil

    from conftest import path_without_guard
    from kyotei_docs import office

    kept = tmp_path / "kept"
    start_group = office.start_group

    class Spy:
        def __init__(self, group, profile):
            self.group, self.profile = group, profile

        def wait(self, timeout=None):
            code = self.group.wait(timeout)
            shutil.copytree(self.profile, kept)
            return code

        def __getattr__(self, name):
            return getattr(self.group, name)

    def spying(cmd, **kw):
        uri = next(a for a in cmd if a.startswith("-env:UserInstallation="))
        from urllib.parse import unquote, urlparse

        return Spy(start_group(cmd, **kw), Path(unquote(urlparse(uri.split("=", 1)[1]).path)))

    monkeypatch.setattr(office, "start_group", spying)
    # the installation itself, not the test session's stand-in (which has a copy of its versionrc beside it)
    real = shutil.which("soffice", path=path_without_guard())
    monkeypatch.setattr(office, "soffice_path", lambda: real)
    doc = make_docx(p("第１条　甲及び乙は協力する。"), tmp_path / "a.docx")
    result = office.convert([doc], "pdf", tmp_path / "out", timeout=60)
    assert result.outputs[doc].read_bytes().startswith(b"%PDF")
    user = kept / "user"
    assert (user / "registrymodifications.xcu").is_file()  # LibreOffice ran in the seeded profile …
    assert not (user / "GraphicsRenderTests.log").exists()  # … without its self-test
    settings = (user / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert "OfficeRestartInProgress" not in settings  # … and started once
    assert (user / "extensions" / "buildid").read_text(encoding="utf-8") == office._build_id(real)


def test_the_stand_in_soffice_of_the_tests_gives_the_installations_build_id():
    """tests/conftest.py's guard puts a stand-in ``soffice`` first on PATH: a copy of the installation's
    versionrc beside it lets each conversion's profile be seeded with the build id (no restart)."""
    import shutil

    from conftest import path_without_guard
    from kyotei_docs import office

    real = shutil.which("soffice", path=path_without_guard())
    if real is None:
        pytest.skip("LibreOffice is not installed")
    stand_in = office.soffice_path()
    assert stand_in is not None and stand_in != real
    assert office._build_id(stand_in) == office._build_id(real) is not None


def test_the_build_id_is_read_beside_the_program(tmp_path):
    """Linux/Windows keep ``versionrc``/``version.ini`` beside soffice, macOS in ``Resources``; a
    program found elsewhere (a wrapper script) gives None and the profile is seeded without it."""
    from kyotei_docs import office

    linux = tmp_path / "lo" / "program"
    linux.mkdir(parents=True)
    (linux / "soffice").write_text("#!/bin/sh\n")
    (linux / "versionrc").write_text("[Version]\nAllLanguages=en-US\nbuildid=40(Build:2)\n")
    link = tmp_path / "soffice"
    link.symlink_to(linux / "soffice")
    assert office._build_id(str(link)) == "40(Build:2)"  # /usr/bin/soffice is a link into program/
    mac = tmp_path / "LibreOffice.app" / "Contents"
    (mac / "MacOS").mkdir(parents=True)
    (mac / "Resources").mkdir()
    (mac / "Resources" / "versionrc").write_text("[Version]\nbuildid=24.2.1.2\n")
    assert office._build_id(str(mac / "MacOS" / "soffice")) == "24.2.1.2"
    lone = tmp_path / "bin"
    lone.mkdir()
    assert office._build_id(str(lone / "soffice")) is None
    office._seed_profile(tmp_path / "profile", str(lone / "soffice"))
    user = tmp_path / "profile" / "user"
    assert not (user / "extensions" / "buildid").exists()
    settings = (user / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert ">99.9<" in settings and 'oor:name="ooSetupLastVersion"' in settings
