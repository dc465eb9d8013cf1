# The two commands in the README: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
# Test processes: one per core (make test JOBS=0 runs the suite in this process).
JOBS ?= auto
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(BENCH_STAMP)

run: $(STAMP)
	$(BIN)/reader $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(JOBS) $(PYTEST_ARGS)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run_all.py $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
