# kyotei-docs: two commands on a fresh machine.
#   make demo  — install and run the main job on samples/ into demo-output/
#   make test  — install test needs and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APT    := $(shell grep -v '^\s*\#' ci/apt-packages.txt | grep -v '^\s*$$')

.PHONY: demo test system venv install install-test clean bench

# The main job on samples/: every sample checked and routed (a report on screen and in
# demo-output/check/), then dropped into a drop folder and processed as staff would
# (demo-output/受付/done/…: report, routing, Form 2/3 drafts; registry in demo-output/,
# named by demo-output/kyotei.toml so the demo never touches the user's own registry).
# The samples hold a 要修正 proposal (07) and its correction (30), and PDF copies of
# proposals (12–17): the registry list at the end shows one case for each proposal.
demo: install
	rm -rf demo-output
	mkdir -p demo-output/受付/inbox
	printf '[registry]\npath = "kyotei-registry.sqlite3"\n' > demo-output/kyotei.toml
	$(BIN)/kyotei check samples --out demo-output/check || true
	cp samples/*.docx samples/*.pdf samples/*.rtf demo-output/受付/inbox/
	cd demo-output && ../$(BIN)/kyotei inbox 受付 --journal journal.sqlite3 || true
	cd demo-output && ../$(BIN)/kyotei registry list || true
	@echo
	@echo "demo-output/ に結果があります: check/（確認結果）、受付/done/（提案ごとの報告書・協定書の下書き）、kyotei-registry.sqlite3（協定の台帳: kyotei registry list）"
	@echo "Results are in demo-output/: check/, 受付/done/ (reports and drafts per proposal), and the registry."
	@echo
	@echo "画面で見るには（Open the screen on the demo's registry and drop folder; then browse http://127.0.0.1:8080/）:"
	@echo "  cd demo-output && ../$(BIN)/kyotei serve --inbox 受付 --journal journal.sqlite3"

# Lint and types first (seconds), then the suite; all configured in pyproject.toml.
test: install-test
	$(BIN)/ruff check kyotei_docs tests
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: install-test
	$(BIN)/python bench/run.py

# System packages: installed with apt when we are root (CI, a fresh server);
# otherwise only reported, with the command to run.
system:
	@missing=""; for p in $(APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
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

clean:
	rm -rf $(VENV) demo-output build dist *.egg-info
