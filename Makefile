# kyotei-docs: two commands on a fresh machine.
#   make demo  — install and run the main job on samples/ into demo-output/
#   make test  — install test needs and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# where apt-get's output goes (`make demo` sends it to its log)
APT_LOG ?= /dev/stdout
APT    := $(shell grep -v '^\s*\#' ci/apt-packages.txt | grep -v '^\s*$$')

.PHONY: demo test system venv install install-test clean bench mutate

# The main job on samples/, as an office would run it: demo-output/ is made a site
# (`kyotei init demo-output --no-record`: its kyotei.toml, registry, 受付/ drop folder, cases/,
# backups/, logs/; not recorded as this machine's site, so it never touches a real one) and
# every command names it with --site. Every sample is checked and routed (reports in
# demo-output/check/), then dropped into the site's drop folder and processed as staff would
# (demo-output/受付/done/…: report, routing, Form 2/3 drafts). The samples hold a 要修正
# proposal (07) and its correction (30), PDF copies of proposals (12–17) and a phone photo of
# 12 (45, read by OCR when Tesseract is installed, every value to review): one case for each
# proposal. On screen: one line per step and a short summary (scripts/demo_summary.py:
# the cases by verdict, a report, a Form 2 PDF, `kyotei serve`); the details (pip, every
# file's report) go to $(DEMO_LOG).
DEMO_LOG := demo-output/demo.log
DEMO     := $(BIN)/kyotei --site demo-output

demo:
	@rm -rf demo-output
	@mkdir -p demo-output
	@echo "1/5 インストール（install）… 詳しい記録: $(DEMO_LOG)"
	@$(MAKE) -s system APT_LOG=$(abspath $(DEMO_LOG))
	@$(MAKE) -s install >> $(DEMO_LOG) 2>&1 || { tail -n 20 $(DEMO_LOG); echo "インストールに失敗しました（install failed）: $(DEMO_LOG)"; exit 1; }
	@echo "2/5 デモ用のサイト（kyotei init demo-output）…"
	@$(BIN)/kyotei init demo-output --no-record >> $(DEMO_LOG) 2>&1 || { tail -n 5 $(DEMO_LOG); exit 1; }
	@echo "3/5 見本の確認（kyotei check samples）…"
	@$(DEMO) check samples --out demo-output/check >> $(DEMO_LOG) 2>&1 || true
	@echo "4/5 受付フォルダの処理（kyotei inbox）…"
	@cp samples/*.docx samples/*.xlsx samples/*.pdf samples/*.rtf samples/*.jpg demo-output/受付/inbox/
	@$(DEMO) inbox >> $(DEMO_LOG) 2>&1 || true
	@echo "5/5 協定登録簿（kyotei registry list）…"
	@$(DEMO) registry list >> $(DEMO_LOG) 2>&1 || true
	@echo
	@$(BIN)/python scripts/demo_summary.py demo-output

# Lint and types first (seconds), then the whole suite on every core and one worker more
# (pytest-xdist; tests/conftest.py says why; one test file per worker at a time, so a module's
# fixture — a batch of LibreOffice conversions — runs once); all configured in pyproject.toml. `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= auto
test: install-test
	$(BIN)/ruff check kyotei_docs tests bench scripts
	$(BIN)/mypy
	KYOTEI_TEST_REQUIRE_TOOLS=1 $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

# Mutation testing of the core modules (scripts/mutate.py over mutmut): each mutant of rules, periods,
# era, contactvalues, routing, registry.lifecycle, vocab and extract.options run against that module's
# own small set of fast in-process tests, under `nice`, each module in build/mutate/<module>/ (its
# verdicts are kept there: a second run tests only what changed). CPU-heavy: one module at a time,
# e.g. `make mutate MODULE=periods`; a reproducible sample: `make mutate MODULE=extract.options
# SAMPLE=300` (SEED=20 by default: the same mutants each time); after adding a test,
# `make mutate MODULE=era SURVIVORS=1` re-runs only the mutants not killed yet. A survivor's change:
# `cd build/mutate/<module> && ../../../.venv/bin/mutmut show NAME`. Equivalent mutants, each with
# why: scripts/mutate_equivalents.toml; results: bench/RESULTS.md, "Mutation testing (issue 20)".
MODULE ?=
SAMPLE ?=
SEED ?= 20
SURVIVORS ?=
mutate: install-test
	nice -n 10 $(BIN)/python scripts/mutate.py $(MODULE) $(if $(SAMPLE),--sample $(SAMPLE) --seed $(SEED),) $(if $(SURVIVORS),--survivors,)

bench: install-test
	$(BIN)/python bench/run.py

# System packages: installed with apt when we are root (CI, a fresh server);
# otherwise only reported, with the command to run.
system:
	@missing=""; for p in $(APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing (waits up to 5 minutes for another apt to finish):$$missing"; \
	    { apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends $$missing; } >> $(APT_LOG) 2>&1 \
	      || { echo "apt-get failed (see $(APT_LOG))"; exit 1; }; \
	  else \
	    echo "missing system packages:$$missing"; \
	    echo "  install with: sudo apt-get install$$missing"; \
	  fi; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

venv: $(BIN)/python

install: system venv
	$(BIN)/pip install -q -e .

install-test: system venv
	$(BIN)/pip install -q -e '.[test]'
	sh ci/install-axe.sh

clean:
	rm -rf $(VENV) demo-output build dist *.egg-info mutants
