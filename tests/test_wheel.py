"""The package as a city installs it: from a wheel, with no source checkout beside it.

Templates and default configuration are package data; a checkout finds them in
the top-level ``templates/`` too, which would hide a packaging mistake.  So the
wheel is built for real, unpacked into an empty folder, and used from a folder
outside the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(p.name for p in (REPO / "templates").iterdir() if p.is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("kyotei_docs-*.whl")
    return built


def test_wheel_carries_templates_and_defaults(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in TEMPLATES:
        assert f"kyotei_docs/templates/{template}" in names
    assert "kyotei_docs/defaults/kyotei.toml" in names
    assert not any(n.startswith(("tests/", "samples/", "templates/")) for n in names)


def test_installed_wheel_finds_its_templates_and_renders(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "work"
    work.mkdir()
    sample = REPO / "samples" / "01_content_controls.docx"
    script = (
        "import json, sys\n"
        "import kyotei_docs\n"
        "from kyotei_docs.render.templates import builtin_dir\n"
        "print(json.dumps({'package': kyotei_docs.__file__, 'templates': str(builtin_dir())}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-c", script], cwd=work, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    where = json.loads(done.stdout)
    assert Path(where["package"]).is_relative_to(site)
    assert Path(where["templates"]) == site / "kyotei_docs" / "templates"

    done = subprocess.run([sys.executable, "-m", "kyotei_docs", "render", str(sample), "--out", "drafts",
                           "--signing-date", "2026-12-01"],
                          cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.suffix for p in (work / "drafts").iterdir()) == [".docx", ".docx", ".html"]
