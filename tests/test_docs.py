"""The developer docs stay true: docs/ARCHITECTURE.md lists every module, and every
file a docstring cites is in the repository (a reader must be able to open it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "kyotei_docs"
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
#: folders whose Python files have docstrings a developer reads
SOURCES = ("kyotei_docs", "tests", "scripts", "bench")
#: top-level folders of the repository: a citation starting with one is a file of ours, whatever its type
REPO_FOLDERS = ("kyotei_docs", "docs", "templates", "samples", "scripts", "bench", "tests", "ci", ".ci")
#: kinds of file that are source or documentation wherever they are cited
SOURCE_SUFFIXES = (".py", ".md", ".toml", ".txt", ".sh", ".cfg", ".ini", ".yml", ".yaml")

_CODE = re.compile(r"`([^`\n]+)`")
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.I)
_PATH = re.compile(r"(?<![\w./\\-])(/?(?:[\w.-]+/)+[\w.-]+\.[A-Za-z0-9]+)(?![\w/])")


def _modules() -> list[str]:
    return sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _rows(text: str) -> list[tuple[list[str], list[str]]]:
    """Each table row as (code tokens of its first cell, code tokens of the other cells)."""
    rows = []
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            cells = line.strip().strip("|").split("|")
            if len(cells) >= 2:
                rows.append((_CODE.findall(cells[0]), _CODE.findall("|".join(cells[1:]))))
    return rows


def _listed(text: str) -> set[str]:
    """Modules docs/ARCHITECTURE.md lists: a table row's first cell (``form.py``, ``readers/sniff.py``),
    a file named in the row of its package (``render/`` … ``context.py``; the row stands for the
    package's ``__init__.py`` too), or a module path with its folder anywhere in the text."""
    listed = {t for t in _CODE.findall(text) if "/" in t and t.endswith(".py")}
    for first, rest in _rows(text):
        listed.update(first)
        for package in (t for t in first if t.endswith("/")):
            listed.add(f"{package}__init__.py")
            listed.update(package + t for t in rest if t.endswith(".py") and "/" not in t)
    return listed


def _named(text: str) -> set[str]:
    """Module paths the text names outright (first cells, and paths with their folder)."""
    named = {t for t in _CODE.findall(text) if "/" in t and t.endswith(".py")}
    for first, _ in _rows(text):
        named.update(t for t in first if t.endswith(".py"))
    return named


def test_architecture_lists_every_module() -> None:
    listed = _listed(ARCHITECTURE.read_text(encoding="utf-8"))
    missing = [m for m in _modules() if m not in listed]
    assert not missing, (
        f"docs/ARCHITECTURE.md does not list {missing}: add a row (or the file name in its package's row) "
        "saying what the module holds")


def test_architecture_lists_no_module_that_is_gone() -> None:
    modules = set(_modules())
    stale = sorted(m for m in _named(ARCHITECTURE.read_text(encoding="utf-8"))
                   if m not in modules and not m.startswith(tuple(f"{f}/" for f in REPO_FOLDERS)))
    assert not stale, f"docs/ARCHITECTURE.md lists modules that do not exist: {stale}"


def _docstrings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                found.append((getattr(node, "lineno", 1), doc))
    return found


def _citations(doc: str) -> list[str]:
    """Paths a docstring cites as files of the repository (not zip parts, folders at run time or URLs)."""
    refs = []
    for ref in _PATH.findall(_URL.sub(" ", doc)):
        ref = ref.rstrip(".")
        if ref.startswith("./"):
            continue  # the working folder at run time (``./kyotei.toml``), not the repository
        top = ref.lstrip("/").split("/", 1)[0]
        if top in REPO_FOLDERS or ref.endswith(SOURCE_SUFFIXES):
            refs.append(ref)
    return refs


def _exists(ref: str, cited_in: Path) -> bool:
    if ref.startswith("/"):
        return False  # a path on one machine is not a file of the repository
    return any((base / ref).exists() for base in (ROOT, PACKAGE, cited_in.parent))


def test_docstrings_cite_only_files_in_the_repository() -> None:
    wrong = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, doc in _docstrings(path):
                wrong += [f"{path.relative_to(ROOT)}:{line}: {ref}" for ref in _citations(doc)
                          if not _exists(ref, path)]
    assert not wrong, "docstrings cite files that are not in the repository:\n" + "\n".join(wrong)


def test_the_citation_scan_finds_paths_and_skips_what_is_not_a_file_of_ours() -> None:
    doc = ("See ``readers/pdf.py`` and docs/inbox.md. (bench/RESULTS.md), ``/work/shared/domain.md`` §2; "
           "not word/document.xml, https://example.org/a/b.py or done/提案書.docx")
    assert _citations(doc) == ["readers/pdf.py", "docs/inbox.md", "bench/RESULTS.md", "/work/shared/domain.md"]
    here = ROOT / "kyotei_docs" / "inbox" / "batch.py"
    assert _exists("readers/pdf.py", here) and _exists("docs/inbox.md", here)
    assert not _exists("/work/shared/domain.md", here) and not _exists("docs/nothing.md", here)


def test_the_listing_reads_package_rows() -> None:
    text = ("| module | holds |\n|---|---|\n| `form.py` | x, unlike `era.py` |\n"
            "| `render/` | `context.py` (items), `docx.py`/`html.py` |\n| `readers/sniff.py` | y |\n"
            "Prose naming `inbox/pool.py` and `pipeline.py`.\n")
    listed = _listed(text)
    assert {"form.py", "render/__init__.py", "render/context.py", "render/docx.py", "render/html.py",
            "readers/sniff.py", "inbox/pool.py"} <= listed
    assert not {"render/pdf.py", "era.py", "pipeline.py", "__init__.py"} & listed
    assert _named(text) == {"form.py", "readers/sniff.py", "inbox/pool.py"}


# -- README.md is short and points on; docs/staff.md and docs/reference.md name only real commands --

README = ROOT / "README.md"
STAFF = ROOT / "docs" / "staff.md"
REFERENCE = ROOT / "docs" / "reference.md"
_LINK = re.compile(r"\]\(([^)\s]+)\)")
#: global options that take a value, skipped when reading a command line out of the docs
_VALUED = {"--lang", "--config"}


def test_the_readme_is_short_and_says_the_two_commands_and_where_to_read_next() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text) < 4000, "README.md stays short: the manual is docs/staff.md, the reference docs/reference.md"
    assert "make demo" in text and "make test" in text
    assert "(docs/staff.md)" in text and "(docs/reference.md)" in text
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_every_link_in_the_docs_opens_a_file_of_the_repository() -> None:
    broken = []
    for doc in [README, *sorted((ROOT / "docs").glob("*.md"))]:
        for target in _LINK.findall(doc.read_text(encoding="utf-8")):
            if _URL.match(target) or target.startswith("#"):
                continue
            if not (doc.parent / target.split("#", 1)[0]).exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert not broken, f"links to files that are not there: {broken}"


def _command_lines(text: str) -> list[list[str]]:
    """The words after ``kyotei`` in each code span that starts with it, global options left out."""
    found = []
    for span in _CODE.findall(text):
        if not span.startswith("kyotei "):
            continue
        words, rest = [], span.split()[1:]
        while rest:
            word = rest.pop(0)
            if word in _VALUED and rest:
                rest.pop(0)
            elif not word.startswith("-"):
                words.append(word)
        found.append(words)
    return found


def _unknown_commands(text: str) -> list[str]:
    import importlib

    import click

    from kyotei_docs.cli import COMMANDS

    unknown = []
    for words in _command_lines(text):
        if not words or not re.fullmatch(r"[a-z][a-z|-]*", words[0]):
            continue  # a placeholder (「kyotei コマンド --help」)
        for name in words[0].split("|"):
            if name not in COMMANDS:
                unknown.append(" ".join(words))
                continue
            module, attr = COMMANDS[name].split(":")
            command = getattr(importlib.import_module(f"kyotei_docs.commands.{module}"), attr)
            sub = words[1] if len(words) > 1 else ""
            if isinstance(command, click.Group) and re.fullmatch(r"[a-z][a-z|-]*", sub):
                unknown += [f"{name} {s}" for s in sub.split("|") if s not in command.commands]
    return unknown


def test_the_staff_manual_and_the_reference_name_only_commands_that_exist() -> None:
    for doc in (STAFF, REFERENCE):
        text = doc.read_text(encoding="utf-8")
        assert len(_command_lines(text)) > 10, doc
        assert not _unknown_commands(text), (doc.name, _unknown_commands(text))


def test_the_command_scan_reads_groups_and_skips_global_options() -> None:
    text = "`kyotei --lang en check 提案書.docx`, `kyotei registry list|show`, `kyotei registry frobnicate`, `kyotei nope`, `kyotei コマンド --help`"
    assert _command_lines(text)[0] == ["check", "提案書.docx"]
    assert _unknown_commands(text) == ["registry frobnicate", "nope"]
