"""Shared fixtures: build a .docx from raw XML and read it back."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kyotei_docs.config import load_config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

_counter = itertools.count()


@pytest.fixture(autouse=True)
def _lang_ja(monkeypatch, tmp_path_factory):
    """Every test starts in Japanese with the built-in configuration and its own per-user data folder
    (where the registry and the drop folder's journal live by default), never the real one."""
    from kyotei_docs.i18n import set_lang

    monkeypatch.delenv("KYOTEI_LANG", raising=False)
    monkeypatch.delenv("KYOTEI_CONFIG", raising=False)
    monkeypatch.delenv("KYOTEI_REGISTRY", raising=False)
    home = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("LOCALAPPDATA", str(home))
    set_lang("ja")
    yield
    set_lang("ja")


@pytest.fixture
def cfg():
    return load_config(ROOT / "kyotei_docs" / "defaults" / "kyotei.toml")


@pytest.fixture
def build(tmp_path):
    """``build(body_xml, **kw) -> Path`` writes a .docx made from raw WordprocessingML."""
    from docxbuild import make_docx

    def _build(body: str, name: str | None = None, **kw) -> Path:
        path = tmp_path / (name or f"form{next(_counter)}.docx")
        return make_docx(body, path, **kw)

    return _build


@pytest.fixture
def parse(build):
    """``parse(body_xml) -> Proposal`` for a document made from raw XML."""
    from kyotei_docs.pipeline import read_proposal

    def _parse(body: str, **kw):
        return read_proposal(build(body, **kw))

    return _parse


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``kyotei`` as staff would: a separate process, real exit code and streams."""
    full_env = dict(os.environ)
    full_env.pop("KYOTEI_LANG", None)
    full_env.pop("KYOTEI_CONFIG", None)
    # the code under test, also when cwd is elsewhere (else the venv's editable install of /work/main wins)
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH")]))
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "kyotei_docs", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=full_env, timeout=120)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
