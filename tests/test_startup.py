"""Start-up discipline (issue 20): what ``kyotei`` pays before it does any work.

The figures are measured by bench/bench_startup.py, never by timed tests; these tests keep the
causes from creeping back: patterns compiled at import, libraries a command does not use.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import subprocess
import sys

import kyotei_docs.extract
from conftest import ROOT
from kyotei_docs import vocab


def test_a_pattern_is_compiled_on_first_use_and_behaves_as_the_compiled_one():
    p = vocab.pattern(r"(?P<era>令和|平成)\s*(\d+)年", re.ASCII)
    assert "search" not in vars(p)  # nothing compiled yet
    m = p.search("提出日　令和 8年")
    assert m is not None and m.group("era") == "令和" and m.group(2) == "8"
    assert "search" in vars(p)  # compiled once, kept
    assert p.sub(r"\g<era>X", "平成3年と令和4年") == "平成Xと令和X"
    assert p.findall("令和1年 平成2年") == [("令和", "1"), ("平成", "2")]
    assert [m.group(2) for m in p.finditer("令和1年平成22年")] == ["1", "22"]
    assert p.fullmatch("令和1年") and not p.match("R1年")
    assert p.split("a令和1年b") == ["a", "令和", "1", "b"]
    assert (p.pattern, p.flags & re.ASCII, p.groups, dict(p.groupindex)) == (
        r"(?P<era>令和|平成)\s*(\d+)年", re.ASCII, 2, {"era": 1})
    # \s with re.ASCII is ASCII only: the flags reach the compiled pattern
    assert p.search("令和\u30008年") is None


def test_no_pattern_of_extract_is_compiled_at_import():
    """Form 1's patterns cost ~19 ms to compile; a module of extract/ holds them through
    :func:`vocab.pattern`, so a run compiles only those it uses."""
    found = []
    for info in pkgutil.iter_modules(kyotei_docs.extract.__path__):
        module = importlib.import_module(f"kyotei_docs.extract.{info.name}")
        for name, value in vars(module).items():
            values = value.values() if isinstance(value, dict) else [value]
            found += [f"{info.name}.{name}" for v in values if isinstance(v, re.Pattern)]
    assert found == []


#: what ``kyotei check`` of a .docx must not import: other formats' libraries, the documents it does
#: not render, the screen, the registry, and the standard modules only other paths need
NOT_FOR_A_DOCX = (
    "pdfplumber", "pdfminer", "pypdf", "openpyxl", "docx", "docxtpl", "jinja2", "PIL", "waitress", "sqlite3",
    "multiprocessing", "subprocess", "json", "traceback", "kyotei_docs.readers.pdf", "kyotei_docs.readers.ole",
    "kyotei_docs.readers.xlsx", "kyotei_docs.render", "kyotei_docs.registry", "kyotei_docs.cases",
    "kyotei_docs.inbox", "kyotei_docs.web", "kyotei_docs.publish", "kyotei_docs.sandbox",
)


def _modules_after(*args: str) -> tuple[set[str], str]:
    """The modules a whole ``kyotei`` process has imported when it ends, and its output."""
    code = ("import atexit, runpy, sys\n"
            "atexit.register(lambda: print('MODULES:' + ' '.join(sorted(sys.modules))))\n"
            "sys.argv = ['kyotei', *sys.argv[1:]]\n"
            "runpy.run_module('kyotei_docs', run_name='__main__')\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KYOTEI_LANG", None)
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=120)
    last = out.stdout.strip().splitlines()[-1]
    assert last.startswith("MODULES:"), out.stdout + out.stderr
    return set(last.removeprefix("MODULES:").split()), out.stdout


def test_checking_a_docx_imports_nothing_it_does_not_use():
    modules, output = _modules_after("check", str(ROOT / "samples" / "01_content_controls.docx"))
    assert "受付可" in output or "要確認" in output or "要修正" in output  # the file was really checked
    assert "kyotei_docs.readers.docx" in modules and "kyotei_docs.extract" in modules
    heavy = sorted(m for m in modules if m in NOT_FOR_A_DOCX or m.split(".")[0] in NOT_FOR_A_DOCX
                   or any(m.startswith(n + ".") for n in NOT_FOR_A_DOCX))
    assert heavy == []
