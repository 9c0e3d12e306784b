"""Mutation testing of the core modules, one module at a time (`make mutate MODULE=era`).

Why a script around mutmut: a mutant is only as cheap as the tests it runs. mutmut runs, for
each mutant, every selected test that reaches the mutated function; with the whole suite
selected, a date helper is reached by hundreds of reading tests (≈ 1.5 s a mutant, ~4,700
mutants). So each module gets its own small selection of fast, in-process tests (FormDoc-seam
and unit tests: no LibreOffice, no browser, no `kyotei` subprocess) and its own mutmut working
directory, build/mutate/<module>/, where a generated pyproject.toml names that selection —
mutmut reads its settings only from the working directory, and keeping one directory per module
keeps each module's cached verdicts (a changed selection would otherwise reset them all).

A run can be a reproducible sample (`--sample 80 --seed 20`: the same mutants every time for
the same code), and `--survivors` re-runs only the mutants that survived the last run (after a
test was added). Mutants listed in scripts/mutate_equivalents.toml are equivalent — no test of
behaviour can tell them from the original — and are counted apart, each with why; an entry
whose mutant no longer makes the recorded change is reported as stale and counted as survived.

Prints one table row per module (mutants run, killed, survived, equivalent, score) and each
survivor's name and changed line (`.venv/bin/mutmut show NAME` in build/mutate/<module>/ shows
the whole change).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "mutate"
EQUIVALENTS = Path(__file__).with_name("mutate_equivalents.toml")
BIN = Path(sys.executable).parent
# what the tests read besides kyotei_docs/ and tests/ (linked into each working directory)
SHARED = ["kyotei_docs", "tests", "samples", "templates", "scripts", "bench", "ci", "docs",
          "README.md", "Makefile"]
# mutmut's verdicts (mutmut.stats.status_by_exit_code) as counted here
KILLED = {"killed", "timeout", "segfault", "caught by type check"}


@dataclass
class Module:
    path: str
    tests: list[str]
    deselect: list[str] = field(default_factory=list)
    # reading a file can start helper processes that outlive a test; mutmut's fork runner then reaps
    # one of them as if it were a worker and stops (KeyError in wait_for_result): a fork server keeps
    # the tests out of mutmut's own process
    isolation: str = "fork"


# Every .docx and .xlsx sample read and checked against samples/expected/ (the PDFs, the photo and the
# .rtf take seconds each, and are read by the same choice logic once their text is laid out).
SAMPLE_READS = [f"tests/test_samples.py::{test}[{p.name}]" for p in sorted((ROOT / "samples").iterdir())
                if p.suffix in {".docx", ".xlsx"}
                for test in ("test_sample_reads_to_expected_contract", "test_sample_checks_as_expected")]

# Each module's fast tests: those that reach it in-process. A test left out here is not lost —
# it still runs in `make test` — it only does not judge this module's mutants.
MODULES: dict[str, Module] = {
    "rules": Module("kyotei_docs/rules.py", [
        "tests/test_boundaries.py", "tests/test_verdict.py", "tests/test_layouts.py",
        "tests/test_unseen_layouts.py", "tests/test_extract_header.py", *SAMPLE_READS], isolation="forkserver"),
    "periods": Module("kyotei_docs/periods.py", [
        "tests/test_boundaries.py", "tests/test_periods.py", "tests/test_registry_dates.py",
        "tests/test_registry_lifecycle.py",
        "tests/test_after_signing.py::test_earliest_end_after_notice_follows_the_reading_and_closed_days"]),
    # every day from 平成 to 2100 read back: 70 s under mutmut's tracing, per mutant of the parser
    "era": Module("kyotei_docs/era.py", [
        "tests/test_boundaries.py", "tests/test_era.py", "tests/test_periods.py"],
        deselect=["tests/test_era.py::test_round_trip_every_day_heisei_to_2100"]),
    "contactvalues": Module("kyotei_docs/contactvalues.py", [
        "tests/test_boundaries.py", "tests/test_headings.py", "tests/test_layouts.py", *SAMPLE_READS], isolation="forkserver"),
    "routing": Module("kyotei_docs/routing.py", [
        "tests/test_boundaries.py", "tests/test_routing_axis.py"]),
    "registry.lifecycle": Module("kyotei_docs/registry/lifecycle.py", [
        "tests/test_boundaries.py", "tests/test_registry_lifecycle.py", "tests/test_registry_dates.py"]),
    "vocab": Module("kyotei_docs/vocab.py", [
        "tests/test_boundaries.py", "tests/test_layouts.py", "tests/test_unseen_layouts.py",
        "tests/test_headings.py", "tests/test_extract_header.py", "tests/test_symbols.py",
        "tests/test_extract_layouts_more.py", *SAMPLE_READS,
        *(f"tests/test_startup.py::{t}" for t in (  # the patterns compiled on use and kept (in-process ones)
            "test_a_pattern_is_compiled_on_first_use_and_behaves_as_the_compiled_one",
            "test_a_kept_pattern_is_the_one_re_compiles_and_is_not_compiled_again",
            "test_a_damaged_foreign_or_unusable_kept_file_only_costs_a_compile",
            "test_nothing_is_written_where_python_writes_no_bytecode"))], isolation="forkserver"),
    "extract.options": Module("kyotei_docs/extract/options.py", [
        "tests/test_boundaries.py", "tests/test_layouts.py", "tests/test_marks.py",
        "tests/test_extract_layouts_more.py", "tests/test_unseen_layouts.py", "tests/test_docx_circles.py",
        "tests/test_strike.py", "tests/test_symbols.py", "tests/test_layout_seams.py", "tests/test_unseen_contacts.py",
        "tests/test_unseen_labels.py", "tests/test_unseen_files.py", "tests/test_options.py",
        "tests/test_extract_written_answers.py", *SAMPLE_READS],
        isolation="forkserver"),
}


def workdir(name: str) -> tuple[Path, bool]:
    """build/mutate/<module>/: links to the tree and a pyproject.toml naming the module's tests.

    Also says whether the module's mutmut settings changed; if so it starts afresh (mutmut would
    forget every verdict anyway, and a run cut short could leave some of the old ones behind).
    """
    mod = MODULES[name]
    wd = WORK / name
    wd.mkdir(parents=True, exist_ok=True)
    for entry in SHARED:
        link = wd / entry
        if (ROOT / entry).exists() and not link.is_symlink():
            link.symlink_to(ROOT / entry)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)
    pytest_args = ["-p", "no:xdist", "-p", "no:cacheprovider", "-m", "not slow and not libreoffice", "-q"]
    for node in mod.deselect:
        pytest_args += ["--deselect", node]
    section = "\n[tool.mutmut]\n" + "\n".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in {
        "source_paths": ["kyotei_docs"],
        "only_mutate": [mod.path],
        "also_copy": ["samples", "templates", "scripts", "bench"],
        "pytest_add_cli_args": pytest_args,
        "pytest_add_cli_args_test_selection": mod.tests,
        "use_git_change_detection": False,
        **({"process_isolation": mod.isolation} if mod.isolation != "fork" else {}),
    }.items()) + "\n"
    (wd / "pyproject.toml").write_text(text + section, encoding="utf-8")
    # only a change of the module's own settings starts it afresh, not an edit elsewhere in pyproject.toml
    settings = wd / "mutmut-settings.toml"
    if settings.exists() and settings.read_text(encoding="utf-8") == section:
        return wd, False
    shutil.rmtree(wd / "mutants", ignore_errors=True)
    settings.write_text(section, encoding="utf-8")
    return wd, True


def all_mutants(wd: Path, path: str) -> list[str]:
    """Every mutant mutmut makes of the file, by name (the same names `mutmut run` uses)."""
    from mutmut.mutation.file_mutation import mutate_file_contents
    from mutmut.utils.format_utils import get_mutant_name

    source = (ROOT / path).read_text(encoding="utf-8")
    with contextlib.chdir(wd):  # mutmut reads its settings from the working directory
        made = mutate_file_contents(path, source)
    return sorted(get_mutant_name(Path(path), n) for n in made.mutant_names)


def verdicts(wd: Path, path: str) -> dict[str, str]:
    from mutmut.stats import status_by_exit_code

    meta = wd / "mutants" / (path + ".meta")
    if not meta.exists():
        return {}
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {k: status_by_exit_code[v] for k, v in codes.items()}


def changed_lines(wd: Path, path: str, name: str) -> tuple[list[str], list[str]]:
    """The mutant's removed and added lines (what `mutmut show NAME` prints)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    with contextlib.chdir(wd):
        diff = get_diff_for_mutant(name, path=path)
    lines = diff.splitlines()
    removed = [ln[1:].strip() for ln in lines if ln.startswith("-") and not ln.startswith("---")]
    added = [ln[1:].strip() for ln in lines if ln.startswith("+") and not ln.startswith("+++")]
    return removed, added


_CAST = re.compile(r'cast\((?:None|"[^"]*"),\s*')
_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES)\b", re.IGNORECASE)


def _column_case_only(where: str, removed: list[str], added: list[str]) -> bool:
    """The change only writes a name of the registry's schema in another case (row["ID"], "TITLE": …)."""
    names = set(re.findall(r"[a-z_]+", (ROOT / "kyotei_docs" / "registry" / "schema.py").read_text(encoding="utf-8")))
    if [ln.lower() for ln in removed] != [ln.lower() for ln in added]:
        return False
    pairs = [(a, b) for ln_a, ln_b in zip(removed, added, strict=True)
             for a, b in zip(re.findall(r'"([^"]*)"', ln_a), re.findall(r'"([^"]*)"', ln_b), strict=False) if a != b]
    # only where the text is a name SQLite reads: a row's key (row["id"], known["role"]) or a column
    # of the INSERT proposal_columns builds ("title": …, a key the code never reads back itself)
    def sql_name(ln: str, a: str) -> bool:
        return bool(re.search(rf'\b(?:row|known)\["{re.escape(a)}"\]', ln)) or \
            (re.search(rf'^\s*"{re.escape(a)}": ', ln) is not None and "proposal_columns" in where)
    return bool(pairs) and all(a.lower() == b.lower() and a.lower() in names
                               and any(sql_name(ln, a) for ln in removed) for a, b in pairs)


def equivalents(wd: Path, path: str, survivors: set[str]) -> tuple[dict[str, str], list[str]]:
    """The survivors that are equivalent (name → why), and the stale entries of the list.

    Listed ones must still make their recorded change.  Three kinds are recognised by themselves:
    SQL text in another case (`select` for `SELECT`, `AGREEMENTS` for `agreements`) and a name of
    the registry's schema in another case (`row["ID"]`, a column key `"TITLE"`) — SQLite and
    sqlite3.Row read keywords and names in any case — and another type named to ``typing.cast``
    (a no-op at run time): no test can tell any of them from the original.
    """
    listed = {e["mutant"]: e for e in tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8")).get("equivalent", [])}
    found: dict[str, str] = {}
    stale: list[str] = []
    for name in sorted(survivors):
        removed, added = changed_lines(wd, path, name)
        entry = listed.get(name)
        if entry is not None:
            if any(entry["change"] in ln for ln in added):
                found[name] = entry["why"]
            else:
                stale.append(name)
        elif removed and [ln.lower() for ln in removed] == [ln.lower() for ln in added] \
                and all(_SQL.search(ln) for ln in removed):
            found[name] = "SQL text in another case: SQLite reads keywords and names in any case"
        elif removed and [_CAST.sub("cast(", ln) for ln in removed] == [_CAST.sub("cast(", ln) for ln in added]:
            found[name] = "the type named to typing.cast: cast returns its value unchanged at run time"
        elif removed and _column_case_only(name, removed, added):
            found[name] = "a registry column named in another case: SQLite and sqlite3.Row read names in any case"
    return found, stale


def run_module(name: str, sample: int | None, seed: int, survivors: bool, jobs: int) -> dict:
    mod = MODULES[name]
    wd, changed = workdir(name)
    names = all_mutants(wd, mod.path)
    # a fixed shuffle, so a larger sample holds a smaller one (the verdicts already made are kept)
    order = list(names)
    random.Random(f"{seed}:{name}").shuffle(order)
    chosen = sorted(order[:sample]) if sample and sample < len(names) else names
    before = {} if changed else verdicts(wd, mod.path)
    if survivors:
        todo = [n for n in chosen if before.get(n, "not checked") in {"survived", "no tests", "suspicious", "not checked"}]
    else:
        todo = [n for n in chosen if before.get(n, "not checked") == "not checked"]
    print(f"{name}: {len(chosen)} of {len(names)} mutants chosen, {len(todo)} to run (work dir {wd})", flush=True)
    if todo:
        # explicit names when part of the module is chosen; mutmut re-runs named mutants
        args = [] if len(todo) == len(names) else todo
        log = wd / "mutmut.log"
        print(f"  mutmut run … its output: {log}", flush=True)
        with log.open("w", encoding="utf-8") as out:
            for _ in range(3):  # mutmut 3.8 can lose track of a worker (KeyError in wait_for_result): go on
                done = subprocess.run([str(BIN / "mutmut"), "run", "--max-children", str(jobs), *args], cwd=wd,
                                      check=False, stdout=out, stderr=subprocess.STDOUT)
                left = [n for n in todo if verdicts(wd, mod.path).get(n, "not checked") == "not checked"]
                if done.returncode == 0 or not left:
                    break
                args = left
    after = verdicts(wd, mod.path)
    got = {n: after.get(n, "not checked") for n in chosen}
    equiv, stale = equivalents(wd, mod.path, {n for n, s in got.items() if s in {"survived", "no tests"}})
    killed = sum(1 for s in got.values() if s in KILLED)
    unchecked = sum(1 for s in got.values() if s == "not checked")
    run = len(chosen) - unchecked
    survived = [n for n, s in got.items() if s not in KILLED and s != "not checked" and n not in equiv]
    score = killed / (run - len(equiv)) if run > len(equiv) else 0.0
    return {"module": name, "mutants": len(names), "run": run, "killed": killed, "survived": survived,
            "equivalent": equiv, "stale": stale, "score": score, "unchecked": unchecked}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("modules", nargs="*", help=f"any of {', '.join(MODULES)} (default: all)")
    ap.add_argument("--sample", type=int, default=None, help="run only this many mutants of each module")
    ap.add_argument("--seed", type=int, default=20, help="the sample's seed (the same seed, the same mutants)")
    ap.add_argument("--survivors", action="store_true",
                    help="re-run only the mutants not killed yet (the survivors, and any not run)")
    ap.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    args = ap.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        print(f"unknown module {', '.join(unknown)}; choose from {', '.join(MODULES)}", file=sys.stderr)
        return 2
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    rows = [run_module(m, args.sample, args.seed, args.survivors, args.jobs) for m in args.modules or list(MODULES)]
    print("\n| module | mutants run (of all) | killed | survived | equivalent | score |\n|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['module']} | {r['run']} (of {r['mutants']}) | {r['killed']} | {len(r['survived'])} "
              f"| {len(r['equivalent'])} | {r['score'] * 100:.1f}% |")
    for r in rows:
        for n in r["survived"]:
            print(f"survived: {n}: {' / '.join(changed_lines(WORK / r['module'], MODULES[r['module']].path, n)[1])[:160]}")
        for n in r["stale"]:
            print(f"stale equivalent entry (the mutant changed; re-check it): {n}")
        if r["unchecked"]:
            print(f"{r['module']}: {r['unchecked']} chosen mutants not yet run")
    return 0 if all(r["score"] >= 0.9 and not r["unchecked"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
