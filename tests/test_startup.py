"""Start-up discipline (issue 20): what ``kyotei`` pays before it does any work.

The figures are measured by bench/bench_startup.py, never by timed tests; these tests keep the
causes from creeping back: patterns compiled at import, libraries a command does not use.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import kyotei_docs.extract
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
