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
from pathlib import Path
from typing import Any

import pytest

import kyotei_docs.extract
from conftest import ROOT
from kyotei_docs import kept, vocab


def own_prefix(folder: Path) -> str:
    """A bytecode folder (``PYTHONPYCACHEPREFIX``) of the test's own, where ``kyotei`` keeps nothing yet.

    It starts with the bytecode the session's processes compiled (tests/conftest.py shares one folder
    where bytecode is not written beside the sources), without anything kept (``kept.*``, the subject
    of these tests): an empty folder made each test's first process compile kyotei_docs and every
    library it imports again (~0.75 s of CPU), which is not what the tests are about.
    """
    import shutil

    shared = os.environ.get("PYTHONPYCACHEPREFIX")
    if shared and Path(shared).is_dir():
        def unkept(where: str, names: list[str]) -> list[str]:
            return [n for n in names if n.startswith("kept.") and not n.endswith(".pyc")
                    and os.path.isfile(os.path.join(where, n))]

        shutil.copytree(shared, folder, ignore=unkept, dirs_exist_ok=True)
    return str(folder)


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
    "kyotei_docs.inbox", "kyotei_docs.web", "kyotei_docs.publish", "kyotei_docs.sandbox", "zoneinfo",
) + (("platformdirs", "tempfile") if sys.platform.startswith("linux") else ())  # site.user_dir reads XDG itself


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


# ----------------------------------------------------------------------------- compiled patterns kept between runs

_SAMPLES = [(r"(?P<era>令和|平成)[\s\u3000]*(?P<y>\d+|元)年", 0), (r"[(（【]?別紙(?P<no>[0-9０-９]*)[)）】]?", 0),
            (r"tel|fax|ext\.?", re.I), (r"^\s*$", re.M), (r"\\o\s*\((.*)\)", re.S), (r"\w+", re.ASCII)]
_TEXTS = ["令和 8年", "平成元年", "（別紙３）", "TEL ext.", "a\n  \nb", "\\o(\n丸\n)", "ｗ１ w1 ü"]


def _same_as_re(p: re.Pattern[str], source: str, flags: int) -> None:
    fresh = re.compile(source, flags)
    assert (p.pattern, p.flags, p.groups, dict(p.groupindex)) == (
        fresh.pattern, fresh.flags, fresh.groups, dict(fresh.groupindex))
    for text in _TEXTS:
        assert [m.span() for m in p.finditer(text)] == [m.span() for m in fresh.finditer(text)]
        assert [m.groups() for m in p.finditer(text)] == [m.groups() for m in fresh.finditer(text)]


@pytest.fixture
def kept_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """compile_kept with its own file, as a new process sees it."""
    path = tmp_path / "kept.patterns"
    monkeypatch.setattr(kept, "path", lambda name: str(tmp_path / f"kept.{name}"))
    monkeypatch.setattr(vocab, "_kept_name", lambda: "patterns")
    monkeypatch.setattr(vocab, "_kept", None)
    monkeypatch.setattr(vocab, "_new", {})
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return path


def _kept_bytes(value: Any) -> bytes:
    """A kept file of this Python, well formed, holding ``value``."""
    import marshal
    import zlib

    payload = marshal.dumps(value)
    return marshal.dumps((sys.version, zlib.crc32(payload), payload))


def _next_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocab, "_kept", None)
    monkeypatch.setattr(vocab, "_new", {})


def test_a_kept_pattern_is_the_one_re_compiles_and_is_not_compiled_again(kept_file, monkeypatch):
    for source, flags in _SAMPLES:
        _same_as_re(vocab.compile_kept(source, flags), source, flags)
    vocab._keep()
    assert kept_file.is_file()
    _next_process(monkeypatch)

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(re._parser, "parse", no_parsing)  # type: ignore[attr-defined]
    for source, flags in _SAMPLES:
        _same_as_re(vocab.compile_kept(source, flags), source, flags)
    assert vocab._new == {}  # nothing new to write


def test_a_damaged_foreign_or_unusable_kept_file_only_costs_a_compile(kept_file, monkeypatch):
    import marshal

    source, flags = _SAMPLES[0]
    for content in (b"\x00garbage", marshal.dumps(("2.7.18 other python", {(source, flags): (32, [1], 0, {}, ())})),
                    _kept_bytes({(source, flags): (32, [1, 2, 3], 1, {"era": 1}, (None, "era"))}),
                    _kept_bytes(["not", "a", "dict"])):
        kept_file.write_bytes(content)
        _next_process(monkeypatch)
        _same_as_re(vocab.compile_kept(source, flags), source, flags)
        assert (source, flags) in vocab._new  # made afresh, and kept anew when the process ends
    with pytest.raises(re.error):  # a wrong pattern is refused as re refuses it
        vocab.compile_kept(r"(?P<a>x", 0)


def test_nothing_is_written_where_python_writes_no_bytecode(kept_file, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    vocab.compile_kept(*_SAMPLES[1])
    vocab._keep()
    assert not kept_file.exists()
    (kept_file.parent / "a file").write_text("")
    monkeypatch.setattr(kept, "path", lambda name: str(kept_file.parent / "a file" / name))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    vocab._keep()  # a folder that cannot be made: nothing kept, nothing raised
    assert not (kept_file.parent / "a file").read_text()


def test_a_check_reads_the_same_with_the_patterns_kept_from_the_run_before(tmp_path):
    """Two real processes with their bytecode in one folder: the first keeps the patterns it compiled,
    the second uses them and says exactly what the first said."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": own_prefix(tmp_path)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("KYOTEI_LANG", None)
    sample = str(ROOT / "samples" / "01_content_controls.docx")
    runs = [subprocess.run([sys.executable, "-m", "kyotei_docs", "check", sample], capture_output=True, text=True,
                           cwd=ROOT, env=env, timeout=120) for _ in range(2)]
    files = list(tmp_path.rglob("kept.*.patterns-*"))
    assert len(files) == 1 and files[0].stat().st_size > 10_000
    assert runs[0].returncode == runs[1].returncode == 0
    assert runs[0].stdout == runs[1].stdout and "受付可" in runs[0].stdout


def test_kept_data_is_this_pythons_own_and_never_raises(tmp_path, monkeypatch):
    monkeypatch.setattr(kept, "path", lambda name: str(tmp_path / f"kept.{name}"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    kept.write("x", {"a": (1, "二", [3.0])})
    assert kept.read("x") == {"a": (1, "二", [3.0])} and kept.read("y") is None
    import marshal

    (tmp_path / "kept.x").write_bytes(marshal.dumps(("3.0.0 another python", {"a": 1})))
    assert kept.read("x") is None
    (tmp_path / "kept.x").write_bytes(b"\x00damaged")
    assert kept.read("x") is None
    kept.write("x", {"when": __import__("datetime").date(2026, 4, 1)})  # marshal cannot keep it: nothing kept
    assert kept.read("x") is None and not list(tmp_path.glob("*.tmp"))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    kept.write("z", 1)
    assert not (tmp_path / "kept.z").exists()


def test_the_kept_defaults_are_used_only_while_they_are_the_shipped_files(tmp_path, monkeypatch):
    import tomllib

    from kyotei_docs import config

    shipped = tomllib.loads(config.default_toml())
    monkeypatch.setattr(kept, "path", lambda name: str(tmp_path / f"kept.{name}"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    kept.write("defaults", ("[municipality]\nname = \"他市\"\n", {"municipality": {"name": "他市"}}))
    config._defaults.cache_clear()
    try:
        assert config._defaults() == shipped  # another text's table is not taken
        assert kept.read("defaults") == (config.default_toml(), shipped)  # kept anew
        config._defaults.cache_clear()
        assert config._defaults() == shipped
    finally:
        config._defaults.cache_clear()


def test_a_second_check_without_a_configuration_file_does_not_parse_toml(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": own_prefix(tmp_path)}
    for name in ("PYTHONDONTWRITEBYTECODE", "KYOTEI_LANG", "KYOTEI_CONFIG", "KYOTEI_SITE"):
        env.pop(name, None)
    # no site recorded anywhere (a record is TOML too)
    env.update(KYOTEI_MACHINE_DIR=str(tmp_path / "machine"), XDG_CONFIG_HOME=str(tmp_path / "user"))
    code = ("import atexit, runpy, sys\n"
            "atexit.register(lambda: print('TOML:', 'tomllib' in sys.modules))\n"
            "sys.argv = ['kyotei', *sys.argv[1:]]\n"
            "runpy.run_module('kyotei_docs', run_name='__main__')\n")
    sample = str(ROOT / "samples" / "01_content_controls.docx")
    outs = [subprocess.run([sys.executable, "-c", code, "check", sample], capture_output=True, text=True,
                           cwd=tmp_path, env=env, timeout=120).stdout for _ in range(2)]
    assert outs[1].splitlines()[-1] == "TOML: False", outs[1]
    assert outs[0].splitlines()[:-1] == outs[1].splitlines()[:-1]


# ----------------------------------------------------------------------------- the collector while starting and ending

def test_a_pdf_check_starts_and_imports_pdfplumber_without_a_collection():
    """kyotei_docs.collector: Python's cyclic collector does not run while ``kyotei`` starts (~60 collections
    that found nothing) nor while pdfplumber is imported before the sandbox forks; the command's own work
    runs with it on, and what start-up made is set aside (``gc.freeze``) before the interpreter ends."""
    code = ("import atexit, gc, runpy, sys\n"
            "from kyotei_docs import collector, pipeline, sandbox\n"
            "seen = {}\n"
            "def count():\n"
            "    return sum(s['collections'] for s in gc.get_stats())\n"
            "base = count()\n"
            "def started(real=collector.started):\n"
            "    seen['start-up'] = count() - base\n"
            "    real()\n"
            "collector.started = started\n"
            "def context(real=sandbox._context):\n"
            "    before = count()\n"
            "    ctx = real()\n"
            "    seen['pdfplumber'] = count() - before\n"
            "    return ctx\n"
            "sandbox._context = context\n"
            "def check_file(*args, real=pipeline.check_file):\n"
            "    seen['on while working'] = gc.isenabled()\n"
            "    return real(*args)\n"
            "pipeline.check_file = check_file\n"
            "atexit.register(lambda: print('GC:', sorted(seen.items()), gc.get_freeze_count() > 10_000))\n"
            "sys.argv = ['kyotei', *sys.argv[1:]]\n"
            "runpy.run_module('kyotei_docs', run_name='__main__')\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KYOTEI_LANG", None)
    out = subprocess.run([sys.executable, "-c", code, "check", str(ROOT / "samples" / "14_pdf_retyped_no_table.pdf")],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert "受付可" in out.stdout, out.stdout + out.stderr
    assert out.stdout.splitlines()[-1] == \
        "GC: [('on while working', True), ('pdfplumber', 0), ('start-up', 0)] True", out.stdout


def test_the_collector_is_left_as_it_was_when_kyotei_is_used_as_a_library():
    """Only the entry points pause the collector: a caller of the click group (the tests, an embedding
    program) keeps it on; an import phase restores what it found."""
    import gc

    from kyotei_docs import collector

    assert gc.isenabled()
    collector.started()  # without starting(): nothing
    assert gc.isenabled()
    with collector.importing():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.importing():
            pass
        assert not gc.isenabled()  # it was off: it stays off
    finally:
        gc.enable()


# ----------------------------------------------------------------------------- a PDF page interpreted once

def _plain(objects: list[dict]) -> list[dict]:
    """pdfplumber's objects without the pdfminer objects they point at (fonts, colour spaces, streams)."""
    kinds = (str, int, float, bool, tuple, list, type(None))
    return [{k: v for k, v in obj.items() if isinstance(v, kinds)} for obj in objects]


@pytest.mark.parametrize("sample", sorted(p.name for p in (ROOT / "samples").glob("*.pdf")))
def test_the_form1_test_builds_exactly_pdfplumbers_objects_of_a_page(sample):
    """The Form 1 test (``probe_text``) builds a light page's objects with pdfplumber's own device, so
    the full read does not interpret the page again; they must be the objects pdfplumber makes itself."""
    import pdfplumber

    from kyotei_docs.readers import pdf as pdf_reader

    path = ROOT / "samples" / sample
    with pdfplumber.open(path) as probed, pdfplumber.open(path) as fresh:
        for mine, theirs in zip(probed.pages[:2], fresh.pages[:2]):
            pdf_reader.probe_text(mine)
            assert hasattr(mine, "_layout")  # given to the page: no second interpretation
            for kind in ("chars", "rects", "lines", "curves", "images", "annots"):
                assert _plain(getattr(mine, kind)) == _plain(getattr(theirs, kind)), kind


def test_a_form1_pdf_is_interpreted_once_and_a_refused_one_probed_once(tmp_path, monkeypatch):
    from pdfminer.pdfinterp import PDFPageInterpreter

    from bench import foreign
    from kyotei_docs.errors import UnreadableError
    from kyotei_docs.readers import pdf as pdf_reader

    interpreted, probed = [], []
    real_process, real_probe = PDFPageInterpreter.process_page, pdf_reader.probe_text

    def process_page(self, page):
        interpreted.append(page)
        return real_process(self, page)

    def probe_text(page, *args):
        probed.append(page)
        return real_probe(page, *args)

    monkeypatch.setattr(PDFPageInterpreter, "process_page", process_page)
    monkeypatch.setattr(pdf_reader, "probe_text", probe_text)
    doc = pdf_reader.read_pdf_unlimited(str(ROOT / "samples" / "14_pdf_retyped_no_table.pdf"), form1_only=True)
    assert doc.blocks and len(interpreted) == len(probed) == 1  # one page, read once
    interpreted.clear()
    probed.clear()
    with pytest.raises(UnreadableError):  # its page is refused: the reason is found from the same probe
        pdf_reader.read_pdf_unlimited(str(foreign.drawing_pdf(tmp_path / "d.pdf")), form1_only=True)
    assert len(probed) == 1


def test_a_heavy_page_is_not_built_beyond_the_layout_cap(tmp_path):
    import pdfplumber

    from bench import foreign
    from kyotei_docs.readers import pdf as pdf_reader

    with pdfplumber.open(foreign.drawing_pdf(tmp_path / "d.pdf", operations=2 * pdf_reader.LAYOUT_OPERATIONS)) as pdf:
        page = pdf.pages[0]
        text, capped = pdf_reader.probe_text(page)
        assert not capped and text == "Site plan, sheet 3 of 12"
        assert not hasattr(page, "_layout")  # building stopped at the cap; the full read interprets it anew


# ----------------------------------------------------------------------------- the code of dataclasses' methods kept

_CLASSES = '''
import dataclasses
from dataclasses import InitVar, dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class Frozen:
    a: int
    b: str = "x"
    c: tuple = field(default_factory=tuple)
    k: ClassVar[int] = 3


@dataclass(order=True, slots=True)
class Ordered:
    x: float
    y: float = 0.0


@dataclass(kw_only=True)
class KwOnly:
    name: str
    tags: tuple = ()
    secret: InitVar[object] = None

    def __post_init__(self, secret):
        self.seen = secret


@dataclass(eq=False, repr=False)
class Plain:
    v: int
'''

_METHODS = ("__init__", "__repr__", "__eq__", "__lt__", "__ge__", "__setattr__", "__delattr__", "__hash__")


def _classes(name: str, future: bool) -> dict:
    """The classes of ``_CLASSES`` made in a module of their own, as an import makes them."""
    import types

    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(("from __future__ import annotations\n" if future else "") + _CLASSES, module.__dict__)
    finally:
        del sys.modules[name]
    return {k: v for k, v in vars(module).items() if k in ("Frozen", "Ordered", "KwOnly", "Plain")}


def _shape(cls: type) -> dict:
    out = {}
    for method in _METHODS:
        fn = vars(cls).get(method)
        if fn is None or not hasattr(fn, "__code__"):
            out[method] = fn
            continue
        code = fn.__code__
        out[method] = (code.co_code, code.co_consts, code.co_names, code.co_varnames, code.co_argcount,
                       code.co_kwonlyargcount, code.co_flags, code.co_filename, fn.__qualname__,
                       {k: str(v) for k, v in fn.__annotations__.items()}, fn.__defaults__, fn.__kwdefaults__)
    return out


def _behaviour(classes: dict) -> list:
    import dataclasses

    frozen, ordered, kw, plain = (classes[k] for k in ("Frozen", "Ordered", "KwOnly", "Plain"))
    f = frozen(1)
    try:
        f.a = 2
        refused = False
    except dataclasses.FrozenInstanceError:
        refused = True
    k = kw(name="n", secret="s")
    return [repr(f), f == frozen(1, "x", ()), hash(f) == hash(frozen(1)), refused, repr(ordered(1.0)),
            ordered(1.0) < ordered(2.0), sorted([ordered(2.0), ordered(1.0, 5.0)]) == [ordered(1.0, 5.0), ordered(2.0)],
            repr(k), k.seen, plain(1) == plain(1), "Plain object" in repr(plain(1))]


@pytest.fixture
def kept_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """keptcode installed with its own file, as a new process sees it; dataclasses as it was afterwards."""
    from kyotei_docs import keptcode

    monkeypatch.setattr(kept, "path", lambda name: str(tmp_path / f"kept.{name}"))
    monkeypatch.setattr(keptcode, "_kept", None)
    monkeypatch.setattr(keptcode, "_new", {})
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    keptcode.install()
    yield keptcode
    keptcode.uninstall()


@pytest.mark.parametrize("future", [False, True], ids=["annotations", "postponed-annotations"])
def test_a_dataclass_made_from_kept_code_is_the_one_python_makes(kept_code, tmp_path, monkeypatch, future):
    kept_code.uninstall()
    plain = _classes("kept_plain", future)
    kept_code.install()
    fresh = _classes("kept_fresh", future)  # compiled here, and kept
    assert kept_code._new
    kept_code._keep()
    assert (tmp_path / "kept.dataclasses").is_file()
    monkeypatch.setattr(kept_code, "_kept", None)  # the next process
    monkeypatch.setattr(kept_code, "_new", {})

    def never(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(kept_code, "compile", never, raising=False)  # the module's compile() is the builtin
    again = _classes("kept_again", future)
    assert kept_code._new == {}  # every text was kept
    for name in plain:
        assert _shape(plain[name]) == _shape(fresh[name]) == _shape(again[name]), name
    assert _behaviour(plain) == _behaviour(fresh) == _behaviour(again)


def test_damaged_or_foreign_kept_code_only_costs_a_compile(kept_code, tmp_path, monkeypatch):
    import marshal

    plain = _classes("kept_plain", False)
    for content in (b"\x00garbage", marshal.dumps(("2.7.18 other python", {"x": 1})),
                    _kept_bytes({text: "not code" for text in kept_code._new}),
                    _kept_bytes(["not", "a", "dict"])):
        (tmp_path / "kept.dataclasses").write_bytes(content)
        monkeypatch.setattr(kept_code, "_kept", None)
        monkeypatch.setattr(kept_code, "_new", {})
        made = _classes("kept_again", False)
        assert _behaviour(made) == _behaviour(plain)
        assert kept_code._new  # made afresh, to be kept anew


def test_kyotei_as_a_library_leaves_dataclasses_as_they_are():
    import dataclasses

    import kyotei_docs.cli  # noqa: F401 - importing the command does not install anything

    assert "exec" not in vars(dataclasses)


def test_a_pdf_check_compiles_no_dataclass_method_when_they_were_kept(tmp_path):
    """Two real processes with their bytecode in one folder: the second compiles no method text and
    says exactly what the first said."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": own_prefix(tmp_path)}
    for name in ("PYTHONDONTWRITEBYTECODE", "KYOTEI_LANG"):
        env.pop(name, None)
    code = ("import atexit, runpy, sys\n"
            "from kyotei_docs import keptcode\n"
            "atexit.register(lambda: print('COMPILED:', len(keptcode._new)))\n"
            "sys.argv = ['kyotei', *sys.argv[1:]]\n"
            "runpy.run_module('kyotei_docs', run_name='__main__')\n")
    sample = str(ROOT / "samples" / "14_pdf_retyped_no_table.pdf")
    runs = [subprocess.run([sys.executable, "-c", code, "check", sample], capture_output=True, text=True,
                           cwd=ROOT, env=env, timeout=120) for _ in range(2)]
    assert runs[0].returncode == runs[1].returncode == 0, runs[0].stderr
    first, second = (r.stdout.splitlines() for r in runs)
    assert int(first[-1].split()[1]) > 100 and second[-1] == "COMPILED: 0"
    assert first[:-1] == second[:-1] and "受付可" in runs[0].stdout
    assert len(list(tmp_path.rglob("kept.*.dataclasses"))) == 1


def test_kept_code_with_a_byte_changed_is_never_run(kept_code, tmp_path, monkeypatch):
    """marshal loads a code object whatever its bytecode holds, and Python runs it: a byte changed in a
    kept file (a disk error, a copy cut short) made classes behave otherwise, or crashed the interpreter.
    The kept bytes carry their CRC-32: a damaged file is ignored, the texts compiled again."""
    plain = _classes("kept_plain", False)
    kept_code._keep()
    path = tmp_path / "kept.dataclasses"
    good = path.read_bytes()
    code = next(iter(kept_code._new.values())).co_code
    at = good.find(code)
    assert at > 0
    for damaged in (good[:at] + bytes([good[at] ^ 0x40]) + good[at + 1:], good[:-7]):
        path.write_bytes(damaged)
        monkeypatch.setattr(kept_code, "_kept", None)
        monkeypatch.setattr(kept_code, "_new", {})
        assert kept.read("dataclasses") is None
        made = _classes("kept_again", False)
        assert _behaviour(made) == _behaviour(plain)
        assert kept_code._new  # made afresh, to be kept anew
    path.write_bytes(good)
    assert kept.read("dataclasses")  # the same file undamaged is used


def test_a_kept_file_larger_than_any_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(kept, "path", lambda name: str(tmp_path / f"kept.{name}"))
    monkeypatch.setattr(kept, "MOST", 1000)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    kept.write("x", "短い")
    assert kept.read("x") == "短い"
    kept.write("x", "長い" * 1000)
    assert kept.read("x") is None
