# pactgraph: `make serve` builds and serves the graph; `make test` runs the whole suite.
# Both create .venv and install the package first; only Python 3.11+ and make are needed.

VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install build serve test bench clean

$(INSTALLED): pyproject.toml
	@test -n "$(PYTHON)" || { echo "pactgraph needs Python 3.11 or newer on PATH" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(INSTALLED)

build: install
	$(BIN)/pactgraph build

serve: build
	$(BIN)/pactgraph serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf var .pytest_cache
