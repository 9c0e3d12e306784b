# kyotei-docs: two commands on a fresh machine.
#   make demo  — install and run the main job on samples/ into demo-output/
#   make test  — install test needs and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APT    := $(shell grep -v '^\s*\#' ci/apt-packages.txt | grep -v '^\s*$$')

.PHONY: demo test system venv install install-test clean bench

demo: install
	rm -rf demo-output
	$(BIN)/kyotei check samples --out demo-output || true
	@echo
	@echo "demo-output/ に結果があります (results are in demo-output/)."

test: install-test
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
